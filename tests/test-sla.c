/* test-sla.c: the SLA clock of contact-center tickets (esa-sla.h) and the
 * roles table (esa-roles.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <string.h>

#include "esa-core.h"

/* Parameters of their own, so that the expected figures follow from what is
 * written here: office hours 09:00-17:00 on weekdays until 30 November 2026
 * and 09:00-13:00 from 1 December (a change with a validity date), 8 December
 * a holiday, and a body "b2" with hours of its own. */
static const char parameters_json[] =
  "{ \"tables\": ["
  "  { \"name\": \"t.contact.timezone\", \"unit\": \"text\", \"entries\": ["
  "    { \"valid_from\": \"2000-01-01\", \"value\": \"Europe/Rome\" } ] },"
  "  { \"name\": \"t.contact.calendar\", \"unit\": \"text\", \"entries\": ["
  "    { \"valid_from\": \"2000-01-01\", \"value\": \"t\" } ] },"
  "  { \"name\": \"t.contact.business_hours\", \"unit\": \"text\", \"entries\": ["
  "    { \"valid_from\": \"2000-01-01\", \"valid_to\": \"2026-11-30\","
  "      \"value\": \"mon-fri 09:00-17:00\" },"
  "    { \"valid_from\": \"2026-12-01\", \"value\": \"mon-fri 09:00-13:00\" },"
  "    { \"valid_from\": \"2000-01-01\", \"body\": \"b2\", \"value\": \"mon-thu 08:00-12:00\" } ] },"
  "  { \"name\": \"t.contact.sla.paused_statuses\", \"unit\": \"text\", \"entries\": ["
  "    { \"valid_from\": \"2000-01-01\", \"value\": \"waiting_caller\" } ] },"
  "  { \"name\": \"t.contact.sla.target_minutes\", \"unit\": \"object\", \"entries\": ["
  "    { \"valid_from\": \"2000-01-01\", \"value\": { \"high\": 240, \"normal\": 960 } } ] },"
  "  { \"name\": \"roles.queue.reassign\", \"unit\": \"text\", \"entries\": ["
  "    { \"valid_from\": \"2000-01-01\", \"value\": \"team_lead administrator\" } ] },"
  "  { \"name\": \"roles.ticket.open\", \"unit\": \"text\", \"entries\": ["
  "    { \"valid_from\": \"2000-01-01\", \"valid_to\": \"2025-12-31\", \"value\": \"officer\" },"
  "    { \"valid_from\": \"2026-01-01\", \"value\": \"contact_operator officer\" } ] }"
  "  ],"
  "  \"calendars\": ["
  "    { \"id\": \"t\", \"title\": \"Test\", \"weekend\": [\"saturday\", \"sunday\"],"
  "      \"holidays\": [ { \"name\": \"Immaculate Conception\", \"month\": 12, \"day\": 8 } ] }"
  "  ]"
  "}";

#define HOUR ((gint64) 3600)

static EsaParameters *
load_parameters (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("esa-sla-XXXXXX", &error);
  g_autofree char *path = NULL;
  EsaParameters *parameters;

  g_assert_no_error (error);
  path = g_build_filename (dir, "sla.json", NULL);
  g_file_set_contents (path, parameters_json, -1, &error);
  g_assert_no_error (error);
  parameters = esa_parameters_new ();
  esa_parameters_load_file (parameters, path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
  return parameters;
}

static EsaSla *
make_sla (EsaParameters *parameters,
          const char    *body_id)
{
  g_autoptr(GError) error = NULL;
  EsaSla *sla = esa_sla_new (parameters, "T", body_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (sla);
  return sla;
}

/* A local time in Rome. */
static GDateTime *
rome (gint year,
      gint month,
      gint day,
      gint hour,
      gint minute)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("Europe/Rome");

  g_assert_nonnull (zone);
  return g_date_time_new (zone, year, month, day, hour, minute, 0);
}

static void
assert_moment (GDateTime  *actual,
               const char *expected_iso)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *text = NULL;

  g_assert_nonnull (actual);
  utc = g_date_time_to_utc (actual);
  text = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
  g_assert_cmpstr (text, ==, expected_iso);
}

static void
test_unknown_country (void)
{
  g_autoptr(EsaParameters) parameters = load_parameters ();
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaSla) sla = esa_sla_new (parameters, "XX", NULL, &error);

  g_assert_null (sla);
  g_assert_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "xx.contact.business_hours"));
}

/* Opened on Friday at 15:00, looked at on Monday at 10:00: two hours on
 * Friday, none over the weekend, one on Monday. */
static void
test_weekend (void)
{
  g_autoptr(EsaParameters) parameters = load_parameters ();
  g_autoptr(EsaSla) sla = make_sla (parameters, NULL);
  g_autoptr(GDateTime) opened = rome (2026, 11, 20, 15, 0);
  g_autoptr(GDateTime) saturday = rome (2026, 11, 21, 11, 0);
  g_autoptr(GDateTime) monday = rome (2026, 11, 23, 10, 0);
  g_autoptr(GDateTime) due = NULL;
  g_autoptr(GDateTime) next_open = NULL;
  EsaSlaEvent events[] = { { opened, "open" } };
  gboolean paused = TRUE;
  gint64 target = 0;
  g_autoptr(GError) error = NULL;

  g_assert_true (esa_sla_is_open (sla, opened));
  g_assert_false (esa_sla_is_open (sla, saturday));
  g_assert_cmpint (esa_sla_business_seconds (sla, opened, monday), ==, 3 * HOUR);
  g_assert_cmpint (esa_sla_elapsed (sla, events, 1, saturday), ==, 2 * HOUR);
  g_assert_cmpint (esa_sla_elapsed (sla, events, 1, monday), ==, 3 * HOUR);

  {
    GDate on;

    g_date_clear (&on, 1);
    g_date_set_dmy (&on, 20, G_DATE_NOVEMBER, 2026);
    g_assert_true (esa_sla_target_seconds (sla, "high", &on, &target, &error));
    g_assert_no_error (error);
    g_assert_cmpint (target, ==, 4 * HOUR);
    g_assert_false (esa_sla_target_seconds (sla, "low", &on, &target, &error));
    g_assert_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID);
  }

  /* Four hours: two on Friday, two on Monday from 09:00. */
  due = esa_sla_due (sla, events, 1, 4 * HOUR, monday, &paused);
  g_assert_false (paused);
  assert_moment (due, "2026-11-23T10:00:00Z");   /* 11:00 in Rome */

  /* From Saturday, the next opening is Monday 09:00. */
  next_open = esa_sla_add_business_seconds (sla, saturday, 0);
  assert_moment (next_open, "2026-11-23T08:00:00Z");
}

/* The opening hours change on 1 December (validity dates) and 8 December is
 * a holiday. Opened on Monday 7 December at 12:00, looked at on Wednesday
 * 9 December at 10:00: one hour on Monday, none on the holiday, one on
 * Wednesday. */
static void
test_holiday (void)
{
  g_autoptr(EsaParameters) parameters = load_parameters ();
  g_autoptr(EsaSla) sla = make_sla (parameters, NULL);
  g_autoptr(GDateTime) opened = rome (2026, 12, 7, 12, 0);
  g_autoptr(GDateTime) holiday = rome (2026, 12, 8, 10, 0);
  g_autoptr(GDateTime) now = rome (2026, 12, 9, 10, 0);
  g_autoptr(GDateTime) nov30 = rome (2026, 11, 30, 0, 0);
  g_autoptr(GDateTime) dec2 = rome (2026, 12, 2, 0, 0);
  g_autoptr(GDateTime) due = NULL;
  EsaSlaEvent events[] = { { opened, "open" } };
  gboolean paused = TRUE;

  /* 8 hours on the last day of the old hours, 4 on the first of the new. */
  g_assert_cmpint (esa_sla_business_seconds (sla, nov30, dec2), ==, 12 * HOUR);

  g_assert_false (esa_sla_is_open (sla, holiday));
  g_assert_cmpint (esa_sla_elapsed (sla, events, 1, holiday), ==, 1 * HOUR);
  g_assert_cmpint (esa_sla_elapsed (sla, events, 1, now), ==, 2 * HOUR);

  /* 16 hours: 2 used, 3 more on Wednesday, 4 on Thursday, 4 on Friday,
   * 3 on Monday 14 December, ending at 12:00. */
  due = esa_sla_due (sla, events, 1, 16 * HOUR, now, &paused);
  g_assert_false (paused);
  assert_moment (due, "2026-12-14T11:00:00Z");
}

/* The clock pauses while the ticket waits for the caller, resumes when work
 * goes on, and stops for good at closing. */
static void
test_status_change (void)
{
  g_autoptr(EsaParameters) parameters = load_parameters ();
  g_autoptr(EsaSla) sla = make_sla (parameters, NULL);
  g_autoptr(GDateTime) opened = rome (2026, 11, 23, 9, 0);
  g_autoptr(GDateTime) waiting = rome (2026, 11, 23, 11, 0);
  g_autoptr(GDateTime) during_pause = rome (2026, 11, 23, 15, 0);
  g_autoptr(GDateTime) resumed = rome (2026, 11, 24, 10, 0);
  g_autoptr(GDateTime) closed = rome (2026, 11, 24, 12, 0);
  g_autoptr(GDateTime) later = rome (2026, 11, 26, 16, 0);
  g_autoptr(GDateTime) due_paused = NULL;
  g_autoptr(GDateTime) due_running = NULL;
  g_autoptr(GDateTime) due_breached = NULL;
  EsaSlaEvent events[] = {
    { opened, "open" },
    { waiting, "waiting_caller" },
    { resumed, "in_progress" },
    { closed, "closed" },
  };
  gboolean paused = FALSE;

  g_assert_true (esa_sla_status_pauses (sla, "waiting_caller"));
  g_assert_true (esa_sla_status_pauses (sla, "closed"));
  g_assert_false (esa_sla_status_pauses (sla, "in_progress"));

  /* Paused: two hours, whatever the time. */
  g_assert_cmpint (esa_sla_elapsed (sla, events, 2, during_pause), ==, 2 * HOUR);
  g_assert_cmpint (esa_sla_elapsed (sla, events, 4, during_pause), ==, 2 * HOUR);
  due_paused = esa_sla_due (sla, events, 4, 4 * HOUR, during_pause, &paused);
  g_assert_true (paused);
  /* As if it resumed now (15:00): two hours left, until 17:00. */
  assert_moment (due_paused, "2026-11-23T16:00:00Z");

  /* Resumed on Tuesday at 10:00: two more hours until 12:00. */
  g_assert_cmpint (esa_sla_elapsed (sla, events, 3, closed), ==, 4 * HOUR);
  due_running = esa_sla_due (sla, events, 3, 5 * HOUR, resumed, &paused);
  g_assert_false (paused);
  assert_moment (due_running, "2026-11-24T12:00:00Z");   /* 13:00 in Rome */

  /* Closed: nothing more counts. */
  g_assert_cmpint (esa_sla_elapsed (sla, events, 4, later), ==, 4 * HOUR);

  /* A budget of three hours ran out on Tuesday at 11:00, while it ran. */
  due_breached = esa_sla_due (sla, events, 4, 3 * HOUR, later, &paused);
  g_assert_true (paused);
  assert_moment (due_breached, "2026-11-24T10:00:00Z");
}

/* A body with hours of its own (Monday to Thursday, 08:00-12:00). */
static void
test_body_hours (void)
{
  g_autoptr(EsaParameters) parameters = load_parameters ();
  g_autoptr(EsaSla) sla = make_sla (parameters, "b2");
  g_autoptr(GDateTime) monday = rome (2026, 11, 23, 0, 0);
  g_autoptr(GDateTime) next_monday = rome (2026, 11, 30, 0, 0);
  g_autoptr(GDateTime) friday = rome (2026, 11, 27, 9, 0);

  g_assert_cmpstr (esa_sla_get_body_id (sla), ==, "b2");
  g_assert_cmpint (esa_sla_business_seconds (sla, monday, next_monday), ==, 16 * HOUR);
  g_assert_false (esa_sla_is_open (sla, friday));
}

static void
test_roles (void)
{
  g_autoptr(EsaParameters) parameters = load_parameters ();
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaRoles) roles = NULL;
  g_autoptr(EsaRoles) old_roles = NULL;
  g_autofree char *reason = NULL;
  GDate on;

  g_date_clear (&on, 1);
  g_date_set_dmy (&on, 23, G_DATE_NOVEMBER, 2026);
  roles = esa_roles_new (parameters, &on, &error);
  g_assert_no_error (error);

  g_assert_true (esa_roles_check (roles, "team_lead", ESA_ACTION_QUEUE_REASSIGN, NULL));
  g_assert_false (esa_roles_check (roles, "contact_operator", ESA_ACTION_QUEUE_REASSIGN,
                                   &reason));
  g_assert_nonnull (reason);
  g_assert_nonnull (strstr (reason, esa_roles_describe_action (ESA_ACTION_QUEUE_REASSIGN)));
  g_clear_pointer (&reason, g_free);
  g_assert_true (esa_roles_check (roles, "contact_operator", ESA_ACTION_TICKET_OPEN, NULL));
  /* An action without a table is allowed to nobody. */
  g_assert_false (esa_roles_check (roles, "administrator", ESA_ACTION_STATS_VIEW, &reason));
  g_assert_nonnull (reason);
  g_assert_false (esa_roles_check (roles, NULL, ESA_ACTION_TICKET_OPEN, NULL));

  /* Validity dates: in 2025 only officers opened tickets. */
  g_date_set_dmy (&on, 1, G_DATE_JUNE, 2025);
  old_roles = esa_roles_new (parameters, &on, &error);
  g_assert_no_error (error);
  g_assert_false (esa_roles_check (old_roles, "contact_operator", ESA_ACTION_TICKET_OPEN, NULL));
  g_assert_true (esa_roles_check (old_roles, "officer", ESA_ACTION_TICKET_OPEN, NULL));
}

/* The shipped table: every action has one, and the examples of the issue. */
static const char * const all_roles[] = {
  "officer", "field_officer", "team_lead", "responsible", "contact_operator", "administrator",
  "auditor",
};

static void
test_shipped_roles (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaParameters) parameters = esa_parameters_load_default (&error);
  g_autoptr(EsaRoles) roles = NULL;
  const char * const *actions = esa_roles_list_actions ();

  g_assert_no_error (error);
  roles = esa_roles_new (parameters, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_autofree char *table = g_strconcat ("roles.", actions[i], NULL);
      gboolean someone = FALSE;

      g_assert_true (esa_parameters_has_table (parameters, table));
      /* Every action is somebody's, and no auditor's: auditors read. */
      for (guint r = 0; r < G_N_ELEMENTS (all_roles); r++)
        someone |= esa_roles_check (roles, all_roles[r], actions[i], NULL);
      g_assert_true (someone);
      if (g_str_has_suffix (actions[i], ".view") || g_str_has_suffix (actions[i], ".view_own")
          || g_str_has_suffix (actions[i], ".view_team") || g_str_has_suffix (actions[i], ".export"))
        continue;
      g_assert_false (esa_roles_check (roles, "auditor", actions[i], NULL));
    }
  g_assert_false (esa_roles_check (roles, "auditor", ESA_ACTION_QUEUE_REASSIGN, NULL));
  g_assert_false (esa_roles_check (roles, "contact_operator", ESA_ACTION_QUEUE_REASSIGN, NULL));
  g_assert_true (esa_roles_check (roles, "contact_operator", ESA_ACTION_TICKET_ESCALATE, NULL));
  g_assert_true (esa_roles_allows ("team_lead", ESA_ACTION_QUEUE_REASSIGN, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sla/unknown-country", test_unknown_country);
  g_test_add_func ("/sla/weekend", test_weekend);
  g_test_add_func ("/sla/holiday", test_holiday);
  g_test_add_func ("/sla/status-change", test_status_change);
  g_test_add_func ("/sla/body-hours", test_body_hours);
  g_test_add_func ("/roles/table", test_roles);
  g_test_add_func ("/roles/shipped", test_shipped_roles);

  return g_test_run ();
}
