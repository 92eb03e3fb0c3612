/* Calendars: Easter, holidays with validity dates, business days, closed
 * periods (Swiss enforcement holidays) and the end of deadlines (art. 63
 * SchKG, art. 155 c.p.c.), all read from data/parameters/calendars.json. */

#include "esa-core.h"
#include "esa-calendar.h"
#include "esa-parameters.h"

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

static EsaCalendar *
calendar (const char *id)
{
  EsaCalendar *cal = esa_parameters_get_calendar (params, id, NULL);

  g_assert_nonnull (cal);
  return cal;
}

static void
assert_adds (const char  *calendar_id,
             const char  *start,
             guint        days,
             EsaCounting  counting,
             const char  *expected)
{
  GDate from = day (start);
  GDate end;

  esa_calendar_add_days (calendar (calendar_id), &from, days, counting, &end);
  assert_date (&end, expected);
}

static void
test_easter (void)
{
  /* Published dates, including the earliest (22 March) and latest
   * (25 April) possible ones. */
  static const struct { guint year; const char *easter; } cases[] = {
    { 1818, "1818-03-22" }, { 1943, "1943-04-25" }, { 2000, "2000-04-23" },
    { 2024, "2024-03-31" }, { 2025, "2025-04-20" }, { 2026, "2026-04-05" },
    { 2027, "2027-03-28" }, { 2038, "2038-04-25" }, { 2285, "2285-03-22" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GDate date;

      esa_calendar_easter_sunday (cases[i].year, &date);
      assert_date (&date, cases[i].easter);
    }
}

static void
test_italian_holidays (void)
{
  EsaCalendar *it = calendar ("it");
  const char *name = NULL;
  GDate date;

  /* Easter Monday 2026 is Easter Sunday (5 April) + 1. */
  date = day ("2026-04-06");
  g_assert_true (esa_calendar_is_holiday (it, &date, &name));
  g_assert_cmpstr (name, ==, "Easter Monday");
  g_assert_false (esa_calendar_is_working_day (it, &date));

  date = day ("2026-04-25");
  g_assert_true (esa_calendar_is_holiday (it, &date, &name));
  g_assert_cmpstr (name, ==, "Liberation Day");

  /* Easter Sunday is a Sunday, not a listed holiday. */
  date = day ("2026-04-05");
  g_assert_false (esa_calendar_is_holiday (it, &date, NULL));
  g_assert_false (esa_calendar_is_working_day (it, &date));

  /* 4 October is a holiday only from 2026 (valid_from in the data): a
   * Friday in 2024 is a working day, a Monday in 2027 is not. */
  date = day ("2024-10-04");
  g_assert_false (esa_calendar_is_holiday (it, &date, NULL));
  g_assert_true (esa_calendar_is_working_day (it, &date));
  date = day ("2027-10-04");
  g_assert_true (esa_calendar_is_holiday (it, &date, &name));
  g_assert_cmpstr (name, ==, "Saint Francis of Assisi");

  date = day ("2026-04-07");
  g_assert_true (esa_calendar_is_working_day (it, &date));
}

static void
test_business_days (void)
{
  /* From Thursday 2 April 2026: Fri 3 (1), Sat 4, Sun 5 (Easter), Mon 6
   * (Easter Monday), Tue 7 (2), Wed 8 (3), Thu 9 (4), Fri 10 (5). */
  assert_adds ("it", "2026-04-02", 5, ESA_COUNTING_BUSINESS, "2026-04-10");

  /* From Wednesday 23 December 2026: Thu 24 (1), Fri 25 Christmas, Sat 26,
   * Sun 27, Mon 28 (2), 29 (3), 30 (4), Thu 31 (5). */
  assert_adds ("it", "2026-12-23", 5, ESA_COUNTING_BUSINESS, "2026-12-31");

  /* From Tuesday 29 December 2026: Wed 30 (1), Thu 31 (2), Fri 1 January
   * New Year, Sat 2, Sun 3, Mon 4 January 2027 (3). */
  assert_adds ("it", "2026-12-29", 3, ESA_COUNTING_BUSINESS, "2027-01-04");

  /* One working day after Friday 1 October 2027: Monday 4 is Saint
   * Francis, so Tuesday 5. In 2024, the day after Thursday 3 October is
   * Friday 4, not yet a holiday. */
  assert_adds ("it", "2027-10-01", 1, ESA_COUNTING_BUSINESS, "2027-10-05");
  assert_adds ("it", "2024-10-03", 1, ESA_COUNTING_BUSINESS, "2024-10-04");

  /* Zero working days is the start itself. */
  assert_adds ("it", "2026-04-05", 0, ESA_COUNTING_BUSINESS, "2026-04-05");
}

static void
test_adjusted_italian (void)
{
  /* 30 days from Thursday 26 March 2026 end on Saturday 25 April,
   * Liberation Day; art. 155 c.p.c. moves the end to the next working day:
   * Sunday 26 is not, Monday 27 April is. Plain counting leaves it. */
  assert_adds ("it", "2026-03-26", 30, ESA_COUNTING_ADJUSTED, "2026-04-27");
  assert_adds ("it", "2026-03-26", 30, ESA_COUNTING_PLAIN, "2026-04-25");

  /* An end on a working day stays: 2 March 2026 + 30 = Wednesday 1 April. */
  assert_adds ("it", "2026-03-02", 30, ESA_COUNTING_ADJUSTED, "2026-04-01");
}

static void
assert_closed (const char *iso,
               const char *first,
               const char *last)
{
  EsaCalendar *cal = calendar ("ch-enforcement");
  GDate date = day (iso);
  GDate from, to;

  if (first == NULL)
    {
      g_assert_false (esa_calendar_closed_period (cal, &date, NULL, NULL, NULL));
      return;
    }
  g_assert_true (esa_calendar_closed_period (cal, &date, &from, &to, NULL));
  assert_date (&from, first);
  assert_date (&to, last);
}

static void
test_enforcement_holidays (void)
{
  /* Art. 56 no. 2 SchKG: 7 days before and after Easter (Easter 2027 is
   * 28 March: 21 March to 4 April), 15 to 31 July, 7 days before and after
   * Christmas (18 December to 1 January). */
  assert_closed ("2027-03-20", NULL, NULL);
  assert_closed ("2027-03-21", "2027-03-21", "2027-04-04");
  assert_closed ("2027-04-04", "2027-03-21", "2027-04-04");
  assert_closed ("2027-04-05", NULL, NULL);
  assert_closed ("2026-07-14", NULL, NULL);
  assert_closed ("2026-07-20", "2026-07-15", "2026-07-31");
  assert_closed ("2026-08-01", NULL, NULL);
  assert_closed ("2026-12-17", NULL, NULL);
  assert_closed ("2026-12-31", "2026-12-18", "2027-01-01");
  /* The Christmas period began the year before. */
  assert_closed ("2027-01-01", "2026-12-18", "2027-01-01");
  assert_closed ("2027-01-02", NULL, NULL);

  /* The plain Swiss calendar has no closed periods. */
  {
    GDate date = day ("2026-07-20");

    g_assert_false (esa_calendar_closed_period (calendar ("ch"), &date, NULL, NULL, NULL));
  }
}

static void
test_opposition_deadline (void)
{
  /* Art. 63 SchKG: a deadline ending in the enforcement holidays is
   * extended to the 3rd day after them, Saturdays, Sundays and holidays not
   * counted.
   *
   * Served Friday 10 July 2026 + 10 days = Monday 20 July, inside 15-31
   * July. After Friday 31 July: Sat 1 August (also National Day), Sun 2,
   * Mon 3 (1), Tue 4 (2), Wed 5 August (3). */
  assert_adds ("ch-enforcement", "2026-07-10", 10, ESA_COUNTING_ADJUSTED, "2026-08-05");

  /* Served Thursday 10 December 2026 + 10 = Sunday 20 December, inside
   * 18 December to 1 January (a Friday): Sat 2, Sun 3, Mon 4 (1), Tue 5 (2),
   * Wed 6 January 2027 (3). */
  assert_adds ("ch-enforcement", "2026-12-10", 10, ESA_COUNTING_ADJUSTED, "2027-01-06");

  /* Served Monday 15 March 2027 + 10 = Thursday 25 March, inside the Easter
   * period 21 March to 4 April (a Sunday); Easter Monday (29 March) is
   * inside it, so Mon 5 (1), Tue 6 (2), Wed 7 April (3). */
  assert_adds ("ch-enforcement", "2027-03-15", 10, ESA_COUNTING_ADJUSTED, "2027-04-07");

  /* No holidays near: Wednesday 24 June 2026 + 10 = Saturday 4 July, moved
   * to Monday 6 July (art. 31 SchKG with art. 142 ZPO). */
  assert_adds ("ch-enforcement", "2026-06-24", 10, ESA_COUNTING_ADJUSTED, "2026-07-06");

  /* A weekend that moves the end into the holidays: Wednesday 3 July 2024
   * + 10 = Saturday 13 July, moved to Monday 15 July, the first day of the
   * summer period; so the 3rd day after Wednesday 31 July: Thu 1 August is
   * National Day, Fri 2 (1), Mon 5 (2), Tue 6 August (3). */
  assert_adds ("ch-enforcement", "2024-07-03", 10, ESA_COUNTING_ADJUSTED, "2024-08-06");

  /* Plain counting and the calendar without closed periods ignore them. */
  assert_adds ("ch-enforcement", "2026-07-10", 10, ESA_COUNTING_PLAIN, "2026-07-20");
  assert_adds ("ch", "2026-07-10", 10, ESA_COUNTING_ADJUSTED, "2026-07-20");
}

static void
test_months (void)
{
  GDate start = day ("2027-01-31");
  GDate end;

  /* The same day a month later, or the last day of a shorter month. */
  esa_calendar_add_months (NULL, &start, 1, ESA_COUNTING_PLAIN, &end);
  assert_date (&end, "2027-02-28");
  esa_calendar_add_months (NULL, &start, 12, ESA_COUNTING_PLAIN, &end);
  assert_date (&end, "2028-01-31");

  /* 20 January + 6 months = Monday 20 July 2026, in the summer
   * enforcement holidays: extended as in test_opposition_deadline(). */
  start = day ("2026-01-20");
  esa_calendar_add_months (calendar ("ch-enforcement"), &start, 6, ESA_COUNTING_ADJUSTED, &end);
  assert_date (&end, "2026-08-05");
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

static void
test_body_calendar (void)
{
  g_autofree char *dir = g_dir_make_tmp ("esa-calendar-XXXXXX", NULL);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = esa_data_dir ("parameters");
  g_autoptr(EsaParameters) own = esa_parameters_new ();
  EsaCalendar *milano, *other;
  GDate date = day ("2026-12-07");

  /* Milan adds its patron saint (7 December) to the national calendar. */
  path = write_file (dir, "milano.json",
                     "{ \"calendars\": [ { \"id\": \"it\", \"body\": \"comune-milano\","
                     "  \"extends\": \"it\", \"title\": \"Milan\","
                     "  \"holidays\": [ { \"name\": \"Saint Ambrose\", \"month\": 12,"
                     "                   \"day\": 7 } ] } ] }");

  g_assert_true (esa_parameters_load_dir (own, data_dir, &error));
  g_assert_no_error (error);
  g_assert_true (esa_parameters_load_file (own, path, &error));
  g_assert_no_error (error);

  milano = esa_parameters_get_calendar (own, "it", "comune-milano");
  other = esa_parameters_get_calendar (own, "it", "comune-roma");
  g_assert_cmpstr (esa_calendar_get_body_id (milano), ==, "comune-milano");
  g_assert_null (esa_calendar_get_body_id (other));

  /* Monday 7 December 2026 is a holiday in Milan only; Milan keeps the
   * national holidays of the calendar it extends. */
  g_assert_false (esa_calendar_is_working_day (milano, &date));
  g_assert_true (esa_calendar_is_working_day (other, &date));
  date = day ("2026-12-08");
  g_assert_false (esa_calendar_is_working_day (milano, &date));

  /* One working day after Friday 4 December: Monday 7 in Rome, Wednesday 9
   * in Milan (7 Saint Ambrose, 8 Immaculate Conception). */
  date = day ("2026-12-04");
  {
    GDate end;

    esa_calendar_add_days (milano, &date, 1, ESA_COUNTING_BUSINESS, &end);
    assert_date (&end, "2026-12-09");
    esa_calendar_add_days (other, &date, 1, ESA_COUNTING_BUSINESS, &end);
    assert_date (&end, "2026-12-07");
  }

  g_unlink (path);
  g_rmdir (dir);
}

static void
assert_bad_calendar (const char *json,
                     const char *expected)
{
  g_autofree char *dir = g_dir_make_tmp ("esa-calendar-XXXXXX", NULL);
  g_autofree char *path = write_file (dir, "bad-calendar.json", json);
  g_autoptr(EsaParameters) own = esa_parameters_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (esa_parameters_load_file (own, path, &error));
  g_assert_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID);
  if (strstr (error->message, expected) == NULL)
    g_error ("“%s” does not say “%s”", error->message, expected);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_malformed_calendars (void)
{
  assert_bad_calendar ("{ \"calendars\": [ { \"id\": \"x\", \"title\": \"X\","
                       " \"weekend\": [\"saturday\", \"sonday\"] } ] }",
                       "bad-calendar.json: $.calendars[0].weekend[1]: “sonday” is not a day");
  assert_bad_calendar ("{ \"calendars\": [ { \"id\": \"x\", \"title\": \"X\","
                       " \"holidays\": [ { \"name\": \"N\", \"month\": 13, \"day\": 1 } ] } ] }",
                       "bad-calendar.json: $.calendars[0].holidays[0].month: there is no month 13");
  assert_bad_calendar ("{ \"calendars\": [ { \"id\": \"x\", \"title\": \"X\","
                       " \"holidays\": [ { \"name\": \"N\", \"month\": 2, \"day\": 30 } ] } ] }",
                       "bad-calendar.json: $.calendars[0].holidays[0].day: month 2 has no day 30");
  assert_bad_calendar ("{ \"calendars\": [ { \"id\": \"x\", \"title\": \"X\","
                       " \"extends\": \"nowhere\" } ] }",
                       "bad-calendar.json: $.calendars[0].extends: unknown calendar “nowhere”");
  assert_bad_calendar ("{ \"calendars\": [ { \"id\": \"x\", \"title\": \"X\", \"extends\": \"y\" },"
                       " { \"id\": \"y\", \"title\": \"Y\", \"extends\": \"x\" } ] }",
                       "bad-calendar.json: $.calendars[0].extends: the calendar extends itself");
  assert_bad_calendar ("{ \"calendars\": [ { \"id\": \"x\", \"title\": \"X\","
                       " \"closed_periods\": [ { \"name\": \"P\", \"from\": { \"easter\": 1,"
                       " \"month\": 3 }, \"to\": { \"month\": 4, \"day\": 1 } } ] } ] }",
                       "$.calendars[0].closed_periods[0].from: give either");
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

  g_test_add_func ("/calendar/easter", test_easter);
  g_test_add_func ("/calendar/italian-holidays", test_italian_holidays);
  g_test_add_func ("/calendar/business-days", test_business_days);
  g_test_add_func ("/calendar/adjusted-italian", test_adjusted_italian);
  g_test_add_func ("/calendar/enforcement-holidays", test_enforcement_holidays);
  g_test_add_func ("/calendar/opposition-deadline", test_opposition_deadline);
  g_test_add_func ("/calendar/months", test_months);
  g_test_add_func ("/calendar/body-calendar", test_body_calendar);
  g_test_add_func ("/calendar/malformed", test_malformed_calendars);

  status = g_test_run ();
  g_clear_object (&params);
  return status;
}
