#include "esa-core.h"

#include <locale.h>
#include <string.h>

static void
assert_date (const char *text,
             guint       year,
             guint       month,
             guint       day)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *back = NULL;
  GDate date;

  g_assert_true (esa_date_parse_iso (text, &date, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_date_get_year (&date), ==, year);
  g_assert_cmpuint (g_date_get_month (&date), ==, month);
  g_assert_cmpuint (g_date_get_day (&date), ==, day);

  back = esa_date_to_iso (&date);
  g_assert_cmpstr (back, ==, text);
}

static void
assert_not_a_date (const char *text,
                   const char *reason)
{
  g_autoptr(GError) error = NULL;
  GDate date;

  g_assert_false (esa_date_parse_iso (text, &date, &error));
  g_assert_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_PARSE);
  g_assert_false (g_date_valid (&date));
  if (text != NULL && strstr (error->message, text) == NULL)
    g_error ("“%s” does not name “%s”", error->message, text);
  if (reason != NULL && strstr (error->message, reason) == NULL)
    g_error ("“%s” does not say “%s”", error->message, reason);
}

static void
test_parse (void)
{
  assert_date ("2027-03-14", 2027, 3, 14);
  assert_date ("1985-12-10", 1985, 12, 10);
  assert_date ("0001-01-01", 1, 1, 1);
  assert_date ("9999-12-31", 9999, 12, 31);
}

static void
test_leap_years (void)
{
  /* Divisible by 4, except centuries, except every fourth century. */
  assert_date ("2024-02-29", 2024, 2, 29);
  assert_date ("2000-02-29", 2000, 2, 29);
  assert_date ("1600-02-29", 1600, 2, 29);

  assert_not_a_date ("2023-02-29", "February 2023 has 28 days");
  assert_not_a_date ("1900-02-29", "February 1900 has 28 days");
  assert_not_a_date ("2100-02-29", "February 2100 has 28 days");
  assert_not_a_date ("2024-02-30", "February 2024 has 29 days");
}

static void
test_invalid (void)
{
  assert_not_a_date ("2023-04-31", "April 2023 has 30 days");
  assert_not_a_date ("2023-01-32", "January 2023 has 31 days");
  assert_not_a_date ("2023-01-00", "no day 00");
  assert_not_a_date ("2023-13-01", "no month 13");
  assert_not_a_date ("2023-00-10", "no month 00");
  assert_not_a_date ("0000-01-01", "no year 0");

  /* Anything but the exact form YYYY-MM-DD. */
  assert_not_a_date ("2023-1-01", "YYYY-MM-DD");
  assert_not_a_date ("23-01-01", "YYYY-MM-DD");
  assert_not_a_date ("2023/01/01", "YYYY-MM-DD");
  assert_not_a_date ("01.02.2023", "YYYY-MM-DD");
  assert_not_a_date ("2023-01-01 ", "YYYY-MM-DD");
  assert_not_a_date ("2023-01-0a", "YYYY-MM-DD");
  assert_not_a_date ("+023-01-01", "YYYY-MM-DD");
  assert_not_a_date ("", "YYYY-MM-DD");
  assert_not_a_date (NULL, "YYYY-MM-DD");
}

static void
test_every_day_round_trips (void)
{
  GDate date;
  guint n_days = 0;

  /* Four centuries cover every leap-year rule once. */
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 1, G_DATE_JANUARY, 1900);
  while (g_date_get_year (&date) < 2300)
    {
      g_autofree char *text = esa_date_to_iso (&date);
      GDate parsed;

      g_assert_true (esa_date_parse_iso (text, &parsed, NULL));
      g_assert_cmpint (g_date_compare (&parsed, &date), ==, 0);
      g_date_add_days (&date, 1);
      n_days++;
    }
  g_assert_cmpuint (n_days, ==, 400 * 365 + 97);
}

static void
test_days_between (void)
{
  GDate a, b;

  esa_date_parse_iso ("2024-02-28", &a, NULL);
  esa_date_parse_iso ("2024-03-01", &b, NULL);
  g_assert_cmpint (esa_date_days_between (&a, &b), ==, 2);
  g_assert_cmpint (esa_date_days_between (&b, &a), ==, -2);

  esa_date_parse_iso ("2023-02-28", &a, NULL);
  esa_date_parse_iso ("2023-03-01", &b, NULL);
  g_assert_cmpint (esa_date_days_between (&a, &b), ==, 1);

  esa_date_parse_iso ("2026-01-01", &a, NULL);
  esa_date_parse_iso ("2027-01-01", &b, NULL);
  g_assert_cmpint (esa_date_days_between (&a, &b), ==, 365);
  g_assert_cmpint (esa_date_days_between (&a, &a), ==, 0);
}

static void
test_format (void)
{
  GDate date;
  g_autofree char *shown = NULL;
  g_autofree char *from_iso = esa_date_format_iso ("2027-03-04");
  g_autofree char *empty = esa_date_format_iso ("");
  g_autofree char *null = esa_date_format_iso (NULL);
  g_autofree char *garbage = esa_date_format_iso ("soon");

  esa_date_parse_iso ("2027-03-14", &date, NULL);
  shown = esa_date_format (&date);

  /* The test runs in the C locale (see main). */
  g_assert_cmpstr (shown, ==, "14 Mar 2027");
  g_assert_cmpstr (from_iso, ==, "4 Mar 2027");
  g_assert_cmpstr (empty, ==, "");
  g_assert_cmpstr (null, ==, "");
  g_assert_cmpstr (garbage, ==, "soon");
}

static void
test_today (void)
{
  g_autoptr(GDateTime) before = g_date_time_new_now_local ();
  g_autoptr(GDateTime) after = NULL;
  GDate today;

  esa_date_set_today (&today);
  after = g_date_time_new_now_local ();

  /* Today is the local date of now; reading the clock before and after
   * covers a test that runs across midnight. */
  g_assert_true (g_date_valid (&today));
  g_assert_true ((g_date_get_day (&today) == g_date_time_get_day_of_month (before)
                  && g_date_get_month (&today) == (GDateMonth) g_date_time_get_month (before)
                  && g_date_get_year (&today) == g_date_time_get_year (before))
                 || (g_date_get_day (&today) == g_date_time_get_day_of_month (after)
                     && g_date_get_month (&today) == (GDateMonth) g_date_time_get_month (after)
                     && g_date_get_year (&today) == g_date_time_get_year (after)));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dates/parse", test_parse);
  g_test_add_func ("/dates/leap-years", test_leap_years);
  g_test_add_func ("/dates/invalid", test_invalid);
  g_test_add_func ("/dates/every-day-round-trips", test_every_day_round_trips);
  g_test_add_func ("/dates/days-between", test_days_between);
  g_test_add_func ("/dates/format", test_format);
  g_test_add_func ("/dates/today", test_today);

  return g_test_run ();
}
