/* Legal rules from parameter tables: interest, fees, instalment bands and
 * the lapse of a plan, the wage-garnishment quota, the mortgage threshold,
 * Swiss deadlines and the register extract, and the parameter tables
 * themselves (lookups by date and body, malformed files). Every expected
 * value is derived in the comment above it from the figures in
 * data/parameters/. */

#include "esa-core.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

static EsaParameters *params;

static GDate
day (const char *iso)
{
  GDate date;

  if (!esa_date_parse_iso (iso, &date, NULL))
    g_error ("bad date in the test: %s", iso);
  return date;
}

static void
assert_date (const GDate *date,
             const char  *expected)
{
  g_autofree char *iso = esa_date_to_iso (date);

  g_assert_cmpstr (iso, ==, expected);
}

static void
assert_message (const GError *error,
                const char   *expected)
{
  g_assert_nonnull (error);
  if (strstr (error->message, expected) == NULL)
    g_error ("“%s” does not say “%s”", error->message, expected);
}

static gint64
interest (EsaParameters *with,
          const char    *regime,
          gint64         principal,
          const char    *from,
          const char    *to,
          const char    *body_id)
{
  g_autoptr(GError) error = NULL;
  GDate a = day (from), b = day (to);
  gint64 out = -1;

  g_assert_true (esa_rules_interest (with, regime, principal, &a, &b, body_id, &out, &error));
  g_assert_no_error (error);
  return out;
}

static char *
write_file (const char *dir,
            const char *name,
            const char *text)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

/* The shipped parameters plus one more file, for a body's own entries. */
static EsaParameters *
params_with (const char *name,
             const char *text)
{
  g_autofree char *dir = g_dir_make_tmp ("esa-rules-XXXXXX", NULL);
  g_autofree char *path = write_file (dir, name, text);
  g_autofree char *data_dir = esa_data_dir ("parameters");
  g_autoptr(EsaParameters) own = esa_parameters_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (esa_parameters_load_dir (own, data_dir, &error));
  g_assert_no_error (error);
  g_assert_true (esa_parameters_load_file (own, path, &error));
  g_assert_no_error (error);

  g_unlink (path);
  g_rmdir (dir);
  return g_steal_pointer (&own);
}

/* ---- interest ----------------------------------------------------------- */

static void
test_interest_italian_rate_changes (void)
{
  /* 10,000.00 EUR (1,000,000 cents) from 1 December 2022 to 31 January
   * 2024, day count actual/365, each day at the rate of its own year:
   *   2022: 2..31 December  =  30 days at 1.25% (12,500 ppm)
   *   2023: the whole year  = 365 days at 5%    (50,000 ppm)
   *   2024: 1..31 January   =  31 days at 2.5%  (25,000 ppm)
   * interest = 1,000,000 × (30 × 12,500 + 365 × 50,000 + 31 × 25,000)
   *            / (1,000,000 × 365)
   *          = (375,000 + 18,250,000 + 775,000) / 365
   *          = 19,400,000 / 365 = 53,150.68… cents → 53,151 (531.51 EUR).
   * (Per year: 10.27397 + 500.00 + 21.23288 EUR, rounded once at the end.) */
  g_assert_cmpint (interest (params, "it", 1000000, "2022-12-01", "2024-01-31", NULL), ==, 53151);

  /* The same from 31 December 2022: only 2023 and January 2024,
   * (18,250,000 + 775,000) / 365 = 52,123.28… → 52,123. */
  g_assert_cmpint (interest (params, "it", 1000000, "2022-12-31", "2024-01-31", NULL), ==, 52123);
}

static void
test_interest_italian_all_years (void)
{
  /* 1,000.00 EUR (100,000 cents) from 31 December 2014 to 31 December 2026:
   * every day of 2015 … 2026 once. Σ days × ppm per year:
   *   2015 365 × 5,000 = 1,825,000     2021 365 × 100    =    36,500
   *   2016 366 × 2,000 =   732,000     2022 365 × 12,500 = 4,562,500
   *   2017 365 × 1,000 =   365,000     2023 365 × 50,000 = 18,250,000
   *   2018 365 × 3,000 = 1,095,000     2024 366 × 25,000 = 9,150,000
   *   2019 365 × 8,000 = 2,920,000     2025 365 × 20,000 = 7,300,000
   *   2020 366 × 500   =   183,000     2026 365 × 16,000 = 5,840,000
   * sum = 52,259,000; interest = 100,000 × 52,259,000 / (1,000,000 × 365)
   *     = 52,259,000 / 3,650 = 14,317.53… → 14,318 cents (143.18 EUR). */
  g_assert_cmpint (interest (params, "it", 100000, "2014-12-31", "2026-12-31", NULL), ==, 14318);
}

static void
test_interest_swiss (void)
{
  /* 10,000.00 CHF at 5% for 2026 (365 days after 31 December 2025):
   * 1,000,000 × 50,000 × 365 / (1,000,000 × 365) = 50,000 → 500.00 CHF. */
  g_assert_cmpint (interest (params, "ch", 1000000, "2025-12-31", "2026-12-31", NULL), ==, 50000);

  /* For 2024, a leap year, 366 days each earning rate/365:
   * 1,000,000 × 50,000 × 366 / 365,000,000 = 50,136.98… → 50,137 (501.37). */
  g_assert_cmpint (interest (params, "ch", 1000000, "2023-12-31", "2024-12-31", NULL), ==, 50137);

  /* Half-up at exactly half a Rappen: 36.50 CHF for one day at 5% is
   * 3,650 × 50,000 / 365,000,000 = 0.5 → 1; 36.49 CHF is 0.4998… → 0. */
  g_assert_cmpint (interest (params, "ch", 3650, "2026-03-01", "2026-03-02", NULL), ==, 1);
  g_assert_cmpint (interest (params, "ch", 3649, "2026-03-01", "2026-03-02", NULL), ==, 0);

  /* The start day earns nothing: from a day to itself is 0. */
  g_assert_cmpint (interest (params, "ch", 1000000, "2026-03-01", "2026-03-01", NULL), ==, 0);

  /* One day of 1,000.00 EUR at 5% in 2023: 100,000 × 50,000 / 365,000,000
   * = 13.69… → 14 cents. */
  g_assert_cmpint (interest (params, "it", 100000, "2023-06-01", "2023-06-02", NULL), ==, 14);
}

static void
test_interest_body_tables (void)
{
  g_autoptr(EsaParameters) own = NULL;

  own = params_with ("body.json",
                     "{ \"tables\": ["
                     "  { \"name\": \"it.interest.day_count\", \"unit\": \"text\", \"entries\": ["
                     "    { \"valid_from\": \"2020-01-01\", \"body\": \"comune-a\","
                     "      \"value\": \"actual/actual\" } ] },"
                     "  { \"name\": \"it.interest.rate\", \"unit\": \"ppm\", \"entries\": ["
                     "    { \"valid_from\": \"2023-07-01\", \"valid_to\": \"2023-12-31\","
                     "      \"body\": \"comune-b\", \"value\": 40000 } ] } ] }");

  /* comune-a counts actual/actual: the 31 days of January 2024 earn
   * rate/366. 1,000,000 × (30 × 12,500 / 365 + 365 × 50,000 / 365
   * + 31 × 25,000 / 366) / 1,000,000 = 1,027.397 + 50,000 + 2,117.486
   * = 53,144.88… → 53,145; other bodies keep 53,151 (see above). */
  g_assert_cmpint (interest (own, "it", 1000000, "2022-12-01", "2024-01-31", "comune-a"), ==,
                   53145);
  g_assert_cmpint (interest (own, "it", 1000000, "2022-12-01", "2024-01-31", "comune-z"), ==,
                   53151);

  /* comune-b has its own 4% from 1 July 2023. 365,000.00 EUR earns
   * 36,500,000 × 50,000 / 365,000,000 = 5,000 cents a day at 5% and 4,000
   * at 4%: from 29 June to 2 July, 30 June at 5% and 1 and 2 July at 4%:
   * 5,000 + 2 × 4,000 = 13,000; for anyone else 3 × 5,000 = 15,000. */
  g_assert_cmpint (interest (own, "it", 36500000, "2023-06-29", "2023-07-02", "comune-b"), ==,
                   13000);
  g_assert_cmpint (interest (own, "it", 36500000, "2023-06-29", "2023-07-02", NULL), ==, 15000);
}

static void
test_interest_errors (void)
{
  g_autoptr(GError) error = NULL;
  GDate a = day ("2014-12-30"), b = day ("2015-01-02");
  gint64 out;

  /* 31 December 2014 has no Italian rate in the table. */
  g_assert_false (esa_rules_interest (params, "it", 100000, &a, &b, NULL, &out, &error));
  g_assert_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_RANGE);
  assert_message (error, "“it.interest.rate” has no value for 2014-12-31");
  g_clear_error (&error);

  g_assert_false (esa_rules_interest (params, "it", 100000, &b, &a, NULL, &out, &error));
  g_assert_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_RANGE);
  g_clear_error (&error);

  g_assert_false (esa_rules_interest (params, "it", -1, &a, &b, NULL, &out, &error));
  g_assert_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_RANGE);
  g_clear_error (&error);

  g_assert_false (esa_rules_interest (params, "fr", 100000, &a, &b, NULL, &out, &error));
  g_assert_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID);
  assert_message (error, "there is no parameter table “fr.interest.rate”");
}

/* ---- fees --------------------------------------------------------------- */

static void
test_payment_order_fee (void)
{
  /* GebV SchKG art. 16 in CHF: up to 100: 7; to 500: 20; to 1,000: 40; to
   * 10,000: 60; to 100,000: 90; to 1,000,000: 190; above: 400. Each upper
   * bound belongs to its band; one Rappen more is the next band. */
  static const struct { gint64 claim; gint64 fee; } cases[] = {
    { 0, 700 }, { 1, 700 }, { 10000, 700 },
    { 10001, 2000 }, { 50000, 2000 },
    { 50001, 4000 }, { 100000, 4000 },
    { 100001, 6000 }, { 1000000, 6000 },
    { 1000001, 9000 }, { 10000000, 9000 },
    { 10000001, 19000 }, { 100000000, 19000 },
    { 100000001, 40000 }, { G_GINT64_CONSTANT (1000000000000), 40000 },
  };
  GDate date = day ("2026-05-01");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 fee = -1;

      g_assert_true (esa_rules_ch_payment_order_fee (params, cases[i].claim, &date, NULL, &fee,
                                                     &error));
      g_assert_no_error (error);
      if (fee != cases[i].fee)
        g_error ("claim %" G_GINT64_FORMAT ": fee %" G_GINT64_FORMAT ", expected %"
                 G_GINT64_FORMAT, cases[i].claim, fee, cases[i].fee);
    }
}

static void
test_fees (void)
{
  g_autoptr(GError) error = NULL;
  GDate date = day ("2026-05-01");
  GDate executable = day ("2026-01-01");
  GDate paid;
  gint64 out = -1;

  /* A claim of 750.00 CHF (band to 1,000: 40.00) served at the second
   * attempt: 40.00 + 2 × 7.00 = 54.00 CHF. */
  g_assert_true (esa_rules_ch_payment_order_costs (params, 75000, 2, &date, NULL, &out, &error));
  g_assert_no_error (error);
  g_assert_cmpint (out, ==, 5400);

  /* Flat fees: notification 5.88 EUR, written extract 17.00 CHF. */
  g_assert_true (esa_rules_flat_fee (params, "it.notification.fee", &date, NULL, &out, &error));
  g_assert_cmpint (out, ==, 588);
  g_assert_true (esa_rules_flat_fee (params, "ch.extract.fee", &date, NULL, &out, &error));
  g_assert_cmpint (out, ==, 1700);
  g_assert_no_error (error);
  g_assert_false (esa_rules_flat_fee (params, "it.interest.rate", &date, NULL, &out, &error));
  g_assert_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Collection charge (L. 160/2019 c. 803): 3% up to 300.00 EUR when paid
   * within 60 days of enforceability, 6% up to 600.00 after. 1 January +
   * 60 days = 2 March 2026. On 1,000.00 EUR: 30.00 by 2 March, 60.00 from
   * 3 March. On 20,000.00: 3% = 600.00 capped at 300.00; 6% = 1,200.00
   * capped at 600.00. */
  paid = day ("2026-03-02");
  g_assert_true (esa_rules_it_collection_charge (params, 100000, &executable, &paid, NULL, &out,
                                                 &error));
  g_assert_cmpint (out, ==, 3000);
  g_assert_true (esa_rules_it_collection_charge (params, 2000000, &executable, &paid, NULL, &out,
                                                 &error));
  g_assert_cmpint (out, ==, 30000);
  paid = day ("2026-03-03");
  g_assert_true (esa_rules_it_collection_charge (params, 100000, &executable, &paid, NULL, &out,
                                                 &error));
  g_assert_cmpint (out, ==, 6000);
  g_assert_true (esa_rules_it_collection_charge (params, 2000000, &executable, &paid, NULL, &out,
                                                 &error));
  g_assert_cmpint (out, ==, 60000);
  /* 3% of 0.50 EUR is 1.5 cents: half-up gives 2. */
  paid = day ("2026-01-10");
  g_assert_true (esa_rules_it_collection_charge (params, 50, &executable, &paid, NULL, &out,
                                                 &error));
  g_assert_cmpint (out, ==, 2);
  g_assert_no_error (error);
}

/* ---- instalments -------------------------------------------------------- */

static void
test_instalment_bands (void)
{
  /* L. 160/2019 c. 796: up to 100 none; 100.01-500 up to 4 (2 to 4);
   * 500.01-3,000 5-12; 3,000.01-6,000 13-24; 6,000.01-20,000 25-36; over
   * 20,000 37-72. Each bound in euro belongs to the band it closes. */
  static const struct { gint64 amount; guint min; guint max; } cases[] = {
    { 0, 0, 0 }, { 10000, 0, 0 },
    { 10001, 2, 4 }, { 50000, 2, 4 },
    { 50001, 5, 12 }, { 300000, 5, 12 },
    { 300001, 13, 24 }, { 600000, 13, 24 },
    { 600001, 25, 36 }, { 2000000, 25, 36 },
    { 2000001, 37, 72 }, { 100000000, 37, 72 },
  };
  GDate date = day ("2026-05-01");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      guint min = 99, max = 99;

      g_assert_true (esa_rules_it_instalments (params, cases[i].amount, &date, NULL, &min, &max,
                                               &error));
      g_assert_no_error (error);
      if (min != cases[i].min || max != cases[i].max)
        g_error ("%" G_GINT64_FORMAT " cents: %u to %u instalments, expected %u to %u",
                 cases[i].amount, min, max, cases[i].min, cases[i].max);
    }

  /* The scheme starts on 1 January 2020. */
  {
    g_autoptr(GError) error = NULL;
    GDate before = day ("2019-12-31");
    guint min, max;

    g_assert_false (esa_rules_it_instalments (params, 50000, &before, NULL, &min, &max, &error));
    g_assert_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_RANGE);
  }
}

static void
test_instalment_body_bands (void)
{
  g_autoptr(EsaParameters) own = NULL;
  g_autoptr(GError) error = NULL;
  GDate before = day ("2023-12-31");
  GDate after = day ("2024-01-01");
  guint min, max;

  /* A body with its own scheme from 2024: up to 50.00 none, then 2-120. */
  own = params_with ("comune.json",
                     "{ \"tables\": [ { \"name\": \"it.instalment.bands\", \"unit\": \"bands\","
                     " \"entries\": [ { \"valid_from\": \"2024-01-01\", \"body\": \"comune-c\","
                     " \"value\": [ { \"up_to\": 5000, \"min\": 0, \"max\": 0 },"
                     "              { \"up_to\": null, \"min\": 2, \"max\": 120 } ] } ] } ] }");

  /* 80.00 EUR: the default table says no plan; comune-c's says 2 to 120
   * from 2024, and the default before. */
  g_assert_true (esa_rules_it_instalments (own, 8000, &after, "comune-c", &min, &max, &error));
  g_assert_cmpuint (min, ==, 2);
  g_assert_cmpuint (max, ==, 120);
  g_assert_true (esa_rules_it_instalments (own, 8000, &before, "comune-c", &min, &max, &error));
  g_assert_cmpuint (max, ==, 0);
  g_assert_true (esa_rules_it_instalments (own, 8000, &after, "comune-d", &min, &max, &error));
  g_assert_cmpuint (max, ==, 0);
  g_assert_no_error (error);
}

static gboolean
lapsed (const char * const *missed,
        const char         *today)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) dates = g_array_new (FALSE, FALSE, sizeof (GDate));
  GDate now = day (today);
  gboolean out = FALSE;

  for (guint i = 0; missed[i] != NULL; i++)
    {
      GDate date = day (missed[i]);

      g_array_append_val (dates, date);
    }

  g_assert_true (esa_rules_it_plan_lapsed (params, (const GDate *) dates->data, dates->len, &now,
                                           NULL, &out, &error));
  g_assert_no_error (error);
  return out;
}

static void
test_plan_lapse (void)
{
  /* The plan lapses on 2 missed instalments, even non-consecutive, within
   * 6 months (c. 800): the second due on or before the day 6 months after
   * the first. */
  const char *none[] = { NULL };
  const char *one[] = { "2026-03-15", NULL };
  const char *exactly_six[] = { "2026-01-15", "2026-07-15", NULL };
  const char *six_and_a_day[] = { "2026-01-15", "2026-07-16", NULL };
  const char *non_consecutive[] = { "2026-01-15", "2026-03-15", NULL };
  const char *unordered[] = { "2026-07-15", "2026-01-15", NULL };
  /* 31 August + 6 months = 28 February (the month is shorter). */
  const char *month_end[] = { "2026-08-31", "2027-02-28", NULL };
  const char *month_end_late[] = { "2026-08-31", "2027-03-01", NULL };
  /* January to September is 8 months, but September to February is 5. */
  const char *later_pair[] = { "2025-01-10", "2025-09-10", "2026-02-10", NULL };
  const char *far_apart[] = { "2025-01-10", "2025-09-10", NULL };

  g_assert_false (lapsed (none, "2026-12-31"));
  g_assert_false (lapsed (one, "2026-12-31"));
  g_assert_true (lapsed (exactly_six, "2026-08-01"));
  g_assert_false (lapsed (six_and_a_day, "2026-08-01"));
  g_assert_true (lapsed (non_consecutive, "2026-04-01"));
  g_assert_true (lapsed (unordered, "2026-08-01"));
  g_assert_true (lapsed (month_end, "2027-03-31"));
  g_assert_false (lapsed (month_end_late, "2027-03-31"));
  g_assert_true (lapsed (later_pair, "2026-03-01"));
  g_assert_false (lapsed (far_apart, "2026-03-01"));

  /* An instalment due after today has not been missed yet. */
  g_assert_false (lapsed (non_consecutive, "2026-03-01"));
}

/* ---- garnishment, mortgage, renewal -------------------------------------- */

static void
test_garnish_quota (void)
{
  /* Art. 72-ter: 1/10 up to 2,500.00 EUR a month, 1/7 from 2,500.01 to
   * 5,000.00, 1/5 above; the fraction of the whole wage, rounded half-up:
   *   2,500.00 / 10 = 250.00            2,500.01 / 7 = 357.144… → 357.14
   *   5,000.00 / 7  = 714.2857… → 714.29  5,000.01 / 5 = 1,000.002 → 1,000.00
   *   1,234.56 / 10 = 123.456 → 123.46   0 → 0 */
  static const struct { gint64 wage; gint64 quota; } cases[] = {
    { 0, 0 }, { 123456, 12346 }, { 250000, 25000 }, { 250001, 35714 },
    { 500000, 71429 }, { 500001, 100000 }, { 1000000, 200000 },
  };
  GDate date = day ("2026-05-01");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 quota = -1;

      g_assert_true (esa_rules_it_garnish_quota (params, cases[i].wage, &date, NULL, &quota,
                                                 &error));
      g_assert_no_error (error);
      if (quota != cases[i].quota)
        g_error ("wage %" G_GINT64_FORMAT ": quota %" G_GINT64_FORMAT ", expected %"
                 G_GINT64_FORMAT, cases[i].wage, quota, cases[i].quota);
    }
}

static void
test_mortgage_and_renewal (void)
{
  g_autoptr(GError) error = NULL;
  GDate date = day ("2026-05-01");
  GDate notified = day ("2026-01-15");
  GDate last;
  gboolean allowed = TRUE;
  gint64 registered = -1;

  /* A mortgage needs at least 20,000.00 EUR and is registered for twice
   * the debt. */
  g_assert_true (esa_rules_it_mortgage (params, 1999999, &date, NULL, &allowed, &registered,
                                        &error));
  g_assert_false (allowed);
  g_assert_true (esa_rules_it_mortgage (params, 2000000, &date, NULL, &allowed, &registered,
                                        &error));
  g_assert_true (allowed);
  g_assert_cmpint (registered, ==, 4000000);
  g_assert_no_error (error);

  /* 180 days after 15 January 2026: 16 days to 31 January, +28 (February)
   * = 44, +31 = 75, +30 = 105, +31 = 136, +30 = 166 (30 June), +14 = 180:
   * 14 July 2026. */
  g_assert_true (esa_rules_it_order_renewal_due (params, &notified, NULL, &last, &error));
  g_assert_no_error (error);
  assert_date (&last, "2026-07-14");
}

/* ---- Swiss deadlines and the register ----------------------------------- */

static void
test_swiss_deadlines (void)
{
  g_autoptr(GError) error = NULL;
  GDate served = day ("2026-07-10");
  GDate last, first;

  /* 10 days from Friday 10 July 2026 end on 20 July, in the enforcement
   * holidays; extended to the 3rd working day after 31 July: 5 August
   * (derived in test-calendar). */
  g_assert_true (esa_rules_ch_opposition_deadline (params, &served, NULL, &last, &error));
  g_assert_no_error (error);
  assert_date (&last, "2026-08-05");

  /* Continuation from day 20 to day 365 after service on 22 February 2027:
   * 22 + 6 = 28 February, + 14 = 14 March 2027; one year of 365 days (29
   * February 2028 comes after) is 22 February 2028. */
  served = day ("2027-02-22");
  g_assert_true (esa_rules_ch_continuation_window (params, &served, NULL, &first, &last, &error));
  g_assert_no_error (error);
  assert_date (&first, "2027-03-14");
  assert_date (&last, "2028-02-22");
}

static void
test_register_extract (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  EsaExtractFacts facts = { 0 };
  GDate today = day ("2025-03-01");
  gboolean shown = FALSE;

  g_date_clear (&facts.ended_on, 1);

  /* A running proceeding is shown. */
  g_assert_true (esa_rules_ch_extract_shows (params, &facts, &today, NULL, &shown, &reason,
                                             &error));
  g_assert_true (shown);
  g_assert_null (reason);

  /* Art. 8a para. 3 c: withdrawn by the creditor. */
  facts.withdrawn = TRUE;
  g_assert_true (esa_rules_ch_extract_shows (params, &facts, &today, NULL, &shown, &reason,
                                             &error));
  g_assert_false (shown);
  g_assert_cmpstr (reason, ==, "the creditor withdrew the enforcement");
  g_clear_pointer (&reason, g_free);
  facts.withdrawn = FALSE;

  /* Art. 8a para. 3 d: hidden on the debtor's request. */
  facts.hidden_on_request = TRUE;
  g_assert_true (esa_rules_ch_extract_shows (params, &facts, &today, NULL, &shown, NULL,
                                             &error));
  g_assert_false (shown);
  facts.hidden_on_request = FALSE;

  /* Art. 8a para. 4: ended on 1 March 2020, consultable for 5 years: up to
   * and including 1 March 2025, not on 2 March. */
  facts.ended_on = day ("2020-03-01");
  g_assert_true (esa_rules_ch_extract_shows (params, &facts, &today, NULL, &shown, &reason,
                                             &error));
  g_assert_true (shown);
  today = day ("2025-03-02");
  g_assert_true (esa_rules_ch_extract_shows (params, &facts, &today, NULL, &shown, &reason,
                                             &error));
  g_assert_false (shown);
  g_assert_nonnull (strstr (reason, "more than 5 years ago"));
  g_assert_no_error (error);
}

/* ---- parameter tables --------------------------------------------------- */

static void
test_lookup (void)
{
  g_autoptr(GError) error = NULL;
  GDate date = day ("2023-05-01");
  GDate valid_to;
  JsonNode *value;
  gint64 days;

  value = esa_parameters_lookup (params, "it.interest.rate", &date, NULL, &valid_to, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_node_get_int (value), ==, 50000);
  assert_date (&valid_to, "2023-12-31");

  /* An open-ended entry has no last day. */
  value = esa_parameters_lookup (params, "ch.interest.rate", &date, NULL, &valid_to, &error);
  g_assert_nonnull (value);
  g_assert_false (g_date_valid (&valid_to));

  g_assert_true (esa_parameters_get_int (params, "ch.opposition.days", &date, "any-body", &days,
                                         &error));
  g_assert_cmpint (days, ==, 10);
  g_assert_cmpstr (esa_parameters_get_unit (params, "ch.payment_order.fee"), ==, "bands");
  g_assert_cmpstr (esa_parameters_get_currency (params, "it.mortgage.min_debt"), ==, "EUR");
  g_assert_cmpstr (esa_parameters_get_text (params, "ch.deadline.calendar", &date, NULL, &error),
                   ==, "ch-enforcement");
  g_assert_no_error (error);

  g_assert_null (esa_parameters_lookup (params, "no.such.table", &date, NULL, NULL, &error));
  g_assert_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID);
}

static void
assert_bad_parameters (const char *json,
                       const char *expected)
{
  g_autofree char *dir = g_dir_make_tmp ("esa-rules-XXXXXX", NULL);
  g_autofree char *path = write_file (dir, "bad-parameters.json", json);
  g_autoptr(EsaParameters) own = esa_parameters_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (esa_parameters_load_file (own, path, &error));
  g_assert_nonnull (error);
  assert_message (error, expected);
  g_assert_false (esa_parameters_has_table (own, "t"));

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_malformed_parameters (void)
{
  assert_bad_parameters ("{ \"tables\": [ { \"name\": \"t\", \"unit\": \"days\", \"entries\": ["
                         " { \"valid_from\": \"2020-01-01\", \"valid_to\": \"2020-12-31\","
                         "   \"value\": 1 },"
                         " { \"valid_from\": \"2020-06-01\", \"value\": 2 } ] } ] }",
                         "bad-parameters.json: $.tables[0].entries[1]: overlaps "
                         "bad-parameters.json: $.tables[0].entries[0]");
  assert_bad_parameters ("{ \"tables\": [ { \"name\": \"t\", \"unit\": \"percent\","
                         " \"entries\": [] } ] }",
                         "bad-parameters.json: $.tables[0].unit: unknown unit “percent”");
  assert_bad_parameters ("{ \"tables\": [ { \"name\": \"t\", \"unit\": \"ppm\", \"entries\": ["
                         " { \"valid_from\": \"2020-01-01\", \"value\": 1.25 } ] } ] }",
                         "bad-parameters.json: $.tables[0].entries[0].value: a value in ppm "
                         "must be a whole number");
  assert_bad_parameters ("{ \"tables\": [ { \"name\": \"t\", \"unit\": \"days\", \"entries\": ["
                         " { \"value\": 1 } ] } ] }",
                         "bad-parameters.json: $.tables[0].entries[0]: the member “valid_from” "
                         "is missing");
  assert_bad_parameters ("{ \"tables\": [ { \"name\": \"t\", \"unit\": \"days\", \"entries\": ["
                         " { \"valid_from\": \"2020-02-30\", \"value\": 1 } ] } ] }",
                         "bad-parameters.json: $.tables[0].entries[0].valid_from: 2020-02-30 "
                         "is not a date");
  assert_bad_parameters ("{ \"tables\": [ { \"name\": \"t\", \"unit\": \"bands\", \"entries\": ["
                         " { \"valid_from\": \"2020-01-01\", \"value\": ["
                         "   { \"up_to\": 500, \"fee\": 1 }, { \"up_to\": 100, \"fee\": 2 },"
                         "   { \"up_to\": null, \"fee\": 3 } ] } ] } ] }",
                         "bad-parameters.json: $.tables[0].entries[0].value[1].up_to: bands "
                         "must be in ascending order");
  assert_bad_parameters ("{ \"tables\": [ { \"name\": \"t\", \"unit\": \"bands\", \"entries\": ["
                         " { \"valid_from\": \"2020-01-01\", \"value\": ["
                         "   { \"up_to\": 500, \"fee\": 1 } ] } ] } ] }",
                         "$.tables[0].entries[0].value[0].up_to: the last band must be open");
  assert_bad_parameters ("{ \"tables\": [ { \"name\": \"t\", \"unit\": \"minor\", \"entries\": ["
                         " { \"valid_from\": \"2020-01-01\", \"value\": 5 } ] } ] }",
                         "bad-parameters.json: $.tables[0]: a table of amounts needs a "
                         "“currency”");
  assert_bad_parameters ("{ \"tables\": [ { \"name\": \"t\", \"unit\": \"days\", \"entries\": ["
                         " { \"valid_from\": \"2020-01-01\", \"value\": 5,"
                         "   \"bdy\": \"x\" } ] } ] }",
                         "bad-parameters.json: $.tables[0].entries[0].bdy: unknown member “bdy”");
  assert_bad_parameters ("{ \"tables\": [ { \"name\": \"t\", \"unit\": \"days\" ",
                         "bad-parameters.json: line 1, column");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  params = esa_parameters_load_default (&error);
  g_assert_no_error (error);

  g_test_add_func ("/rules/interest/italian-rate-changes", test_interest_italian_rate_changes);
  g_test_add_func ("/rules/interest/italian-all-years", test_interest_italian_all_years);
  g_test_add_func ("/rules/interest/swiss", test_interest_swiss);
  g_test_add_func ("/rules/interest/body-tables", test_interest_body_tables);
  g_test_add_func ("/rules/interest/errors", test_interest_errors);
  g_test_add_func ("/rules/fees/payment-order", test_payment_order_fee);
  g_test_add_func ("/rules/fees/others", test_fees);
  g_test_add_func ("/rules/instalments/bands", test_instalment_bands);
  g_test_add_func ("/rules/instalments/body-bands", test_instalment_body_bands);
  g_test_add_func ("/rules/instalments/lapse", test_plan_lapse);
  g_test_add_func ("/rules/garnishment/quota", test_garnish_quota);
  g_test_add_func ("/rules/mortgage-and-renewal", test_mortgage_and_renewal);
  g_test_add_func ("/rules/swiss-deadlines", test_swiss_deadlines);
  g_test_add_func ("/rules/register-extract", test_register_extract);
  g_test_add_func ("/rules/parameters/lookup", test_lookup);
  g_test_add_func ("/rules/parameters/malformed", test_malformed_parameters);

  status = g_test_run ();
  g_clear_object (&params);
  return status;
}
