/* Tests of esattore-cli case and calc: the built binary is run as a script
 * would run it, and what it did is checked in the database with SQLite. */

#include <string.h>

#include <glib.h>

#include "esa-cli-test.h"

static char *tmpdir;

/* A new database with one Swiss case of CHF 800.00 in state "requested",
 * worked by the officer "anna"; the auditor is "otto". */
static char *
make_db (const char *name)
{
  char *path = g_build_filename (tmpdir, name, NULL);
  g_autoptr(EsaCliResult) init = esa_cli_test_run ("--db", path, "init", NULL);

  g_assert_cmpint (init->status, ==, 0);
  esa_cli_test_sql_exec (path,
                         "INSERT INTO bodies (id, name, country, currency) "
                         "  VALUES ('b1', 'Creditore', 'CH', 'CHF');"
                         "INSERT INTO offices (id, name, country) VALUES ('o1', 'Ufficio', 'CH');"
                         "INSERT INTO users (id, name, login, role, office_id) VALUES "
                         "  ('u1', 'Anna', 'anna', 'officer', 'o1'),"
                         "  ('u2', 'Otto', 'otto', 'auditor', 'o1');"
                         "INSERT INTO debtors (id, kind, name, office_id) "
                         "  VALUES ('d1', 'person', 'Bernasconi Luca', 'o1');"
                         "INSERT INTO positions (id, debtor_id, body_id, revenue_type, year, "
                         "  reference, due_date, currency, principal) "
                         "  VALUES ('p1', 'd1', 'b1', 'claim', 2025, 'C-1', '2025-06-30', 'CHF', "
                         "    80000);"
                         "INSERT INTO cases (id, debtor_id, body_id, office_id, procedure_id, "
                         "  state, officer_id, opened_on) "
                         "  VALUES ('c1', 'd1', 'b1', 'o1', 'ch-lef', 'requested', 'u1', "
                         "    '2026-03-01');"
                         "INSERT INTO case_positions (case_id, position_id) VALUES ('c1', 'p1');");
  return path;
}

static char *
case_state (const char *path)
{
  return esa_cli_test_sql_text (path, "SELECT state FROM cases WHERE id = 'c1'", NULL);
}

/* ---- case --------------------------------------------------------------- */

static void
test_case_actions_json (void)
{
  g_autofree char *path = make_db ("actions.db");
  g_autoptr(EsaCliResult) result = NULL;
  g_autoptr(EsaCliResult) served = NULL;
  g_autoptr(EsaCliResult) text = NULL;
  g_autoptr(EsaCliResult) step = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) served_root = NULL;
  JsonObject *object;
  JsonArray *actions;
  gboolean seen_available = FALSE;
  gboolean seen_blocked = FALSE;

  result = esa_cli_test_run ("--db", path, "case", "actions", "--json", "--user", "anna", "--date",
                             "2026-03-02", "c1", NULL);
  g_assert_cmpint (result->status, ==, 0);
  root = esa_cli_test_parse_json (result->out);
  object = json_node_get_object (root);
  esa_cli_test_assert_members (object, "case,procedure,state,date,actions");
  g_assert_cmpstr (json_object_get_string_member (object, "case"), ==, "c1");
  g_assert_cmpstr (json_object_get_string_member (object, "procedure"), ==, "ch-lef");
  g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, "requested");
  g_assert_cmpstr (json_object_get_string_member (object, "date"), ==, "2026-03-02");

  actions = json_object_get_array_member (object, "actions");
  g_assert_cmpuint (json_array_get_length (actions), >, 1);
  for (guint i = 0; i < json_array_get_length (actions); i++)
    {
      JsonObject *action = json_array_get_object_element (actions, i);
      gboolean available = json_object_get_boolean_member (action, "available");

      esa_cli_test_assert_members (action,
                                   "id,label,available,to_state,reason,reasons,available_from,"
                                   "fields");
      /* Available ones first; a blocked one says why. */
      if (available)
        {
          g_assert_false (seen_blocked);
          g_assert_true (json_object_get_null_member (action, "reason"));
          seen_available = TRUE;
        }
      else
        {
          g_assert_cmpstr (json_object_get_string_member (action, "reason"), !=, "");
          g_assert_cmpuint (json_array_get_length (json_object_get_array_member (action,
                                                                                 "reasons")),
                            >, 0);
          seen_blocked = TRUE;
        }
    }
  g_assert_true (seen_available);
  g_assert_true (seen_blocked);

  /* Served: the continuation is blocked until day 20, which it names. */
  step = esa_cli_test_run ("--db", path, "case", "do", "--user", "anna", "--date", "2026-03-02",
                           "c1", "issue_payment_order", NULL);
  g_assert_cmpint (step->status, ==, 0);
  g_clear_pointer (&step, esa_cli_result_free);
  step = esa_cli_test_run ("--db", path, "case", "do", "--user", "anna", "--date", "2026-03-04",
                           "--set", "served_to=The debtor", "c1", "serve", NULL);
  g_assert_cmpint (step->status, ==, 0);
  served = esa_cli_test_run ("--db", path, "case", "actions", "--json", "--user", "anna", "--date",
                             "2026-03-10", "c1", NULL);
  g_assert_cmpint (served->status, ==, 0);
  served_root = esa_cli_test_parse_json (served->out);
  actions = json_object_get_array_member (json_node_get_object (served_root), "actions");
  for (guint i = 0; i < json_array_get_length (actions); i++)
    {
      JsonObject *action = json_array_get_object_element (actions, i);

      if (g_str_equal (json_object_get_string_member (action, "id"), "request_continuation"))
        {
          g_assert_false (json_object_get_boolean_member (action, "available"));
          g_assert_nonnull (strstr (json_object_get_string_member (action, "reason"),
                                    "continuation possible from"));
          g_assert_cmpstr (json_object_get_string_member (action, "available_from"), >=,
                           "2026-03-24");
        }
    }

  /* The text form lists the same actions. */
  text = esa_cli_test_run ("--db", path, "case", "actions", "--user", "anna", "--date",
                           "2026-03-10", "c1", NULL);
  g_assert_cmpint (text->status, ==, 0);
  g_assert_nonnull (strstr (text->out, "request_continuation"));
  g_assert_nonnull (strstr (text->out, "continuation possible from"));
}

static void
test_case_do (void)
{
  g_autofree char *path = make_db ("do.db");
  g_autoptr(EsaCliResult) issue = NULL;
  g_autoptr(EsaCliResult) serve = NULL;
  g_autoptr(EsaCliResult) blocked = NULL;
  g_autoptr(EsaCliResult) bad_field = NULL;
  g_autoptr(EsaCliResult) bad_set = NULL;
  g_autoptr(EsaCliResult) auditor = NULL;
  g_autoptr(EsaCliResult) unknown = NULL;
  g_autoptr(EsaCliResult) undo = NULL;
  g_autoptr(EsaCliResult) due = NULL;
  g_autoptr(JsonNode) serve_root = NULL;
  g_autoptr(JsonNode) due_root = NULL;
  g_autofree char *state = NULL;
  g_autofree char *event_id = NULL;
  JsonObject *object;
  gint64 events;

  issue = esa_cli_test_run ("--db", path, "case", "do", "--user", "anna", "--date", "2026-03-02",
                            "c1", "issue_payment_order", NULL);
  g_assert_cmpint (issue->status, ==, 0);
  g_assert_cmpstr (issue->err, ==, "");
  state = case_state (path);
  g_assert_cmpstr (state, ==, "order_issued");
  event_id = esa_cli_test_sql_text (path, "SELECT id FROM case_events "
                                          "WHERE action = 'issue_payment_order'", NULL);
  g_assert_nonnull (strstr (issue->out, event_id));
  g_assert_cmpint (esa_cli_test_sql_int (path, "SELECT count(*) FROM acts WHERE case_id = 'c1'",
                                         NULL), ==, 1);

  /* A field missing: refused naming it, nothing written. */
  events = esa_cli_test_sql_int (path, "SELECT count(*) FROM case_events", NULL);
  bad_field = esa_cli_test_run ("--db", path, "case", "do", "--user", "anna", "--date",
                                "2026-03-04", "c1", "serve", NULL);
  g_assert_cmpint (bad_field->status, ==, 1);
  g_assert_nonnull (strstr (bad_field->err, "field served_to"));
  g_assert_cmpstr (bad_field->out, ==, "");
  bad_set = esa_cli_test_run ("--db", path, "case", "do", "--user", "anna", "--set", "served_to",
                              "c1", "serve", NULL);
  g_assert_cmpint (bad_set->status, ==, 1);
  g_assert_nonnull (strstr (bad_set->err, "FIELD=VALUE"));
  auditor = esa_cli_test_run ("--db", path, "case", "do", "--user", "otto", "--date", "2026-03-04",
                              "--set", "served_to=Wife", "c1", "serve", NULL);
  g_assert_cmpint (auditor->status, ==, 1);
  g_assert_nonnull (strstr (auditor->err, "auditor"));
  g_assert_cmpint (esa_cli_test_sql_int (path, "SELECT count(*) FROM case_events", NULL), ==,
                   events);

  serve = esa_cli_test_run ("--db", path, "case", "do", "--json", "--user", "anna", "--date",
                            "2026-03-04", "--set", "served_to=Wife", "--set",
                            "served_on=2026-03-04", "c1", "serve", NULL);
  g_assert_cmpint (serve->status, ==, 0);
  serve_root = esa_cli_test_parse_json (serve->out);
  object = json_node_get_object (serve_root);
  esa_cli_test_assert_members (object,
                               "event,case,state,closed_on,next_deadline,next_deadline_label");
  g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, "served");
  g_assert_cmpstr (json_object_get_string_member (object, "next_deadline"), >, "2026-03-04");

  /* Blocked: exit 1, the reason on stderr, the case as it was. */
  events = esa_cli_test_sql_int (path, "SELECT count(*) FROM case_events", NULL);
  blocked = esa_cli_test_run ("--db", path, "case", "do", "--user", "anna", "--date", "2026-03-10",
                              "c1", "request_continuation", NULL);
  g_assert_cmpint (blocked->status, ==, 1);
  g_assert_cmpstr (blocked->out, ==, "");
  g_assert_nonnull (strstr (blocked->err, "continuation possible from"));
  g_clear_pointer (&state, g_free);
  state = case_state (path);
  g_assert_cmpstr (state, ==, "served");
  g_assert_cmpint (esa_cli_test_sql_int (path, "SELECT count(*) FROM case_events", NULL), ==,
                   events);

  unknown = esa_cli_test_run ("--db", path, "case", "do", "--user", "anna", "no-such-case", "serve",
                              NULL);
  g_assert_cmpint (unknown->status, ==, 1);
  g_assert_nonnull (strstr (unknown->err, "no-such-case"));

  /* The service is undone; the case is due no more. */
  g_clear_pointer (&event_id, g_free);
  event_id = esa_cli_test_sql_text (path, "SELECT id FROM case_events WHERE action = 'serve'",
                                    NULL);
  due = esa_cli_test_run ("--db", path, "case", "due", "--json", NULL);
  g_assert_cmpint (due->status, ==, 0);
  due_root = esa_cli_test_parse_json (due->out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (due_root)), ==, 1);
  undo = esa_cli_test_run ("--db", path, "case", "undo", "--user", "anna", event_id, NULL);
  g_assert_cmpint (undo->status, ==, 0);
  g_clear_pointer (&state, g_free);
  state = case_state (path);
  g_assert_cmpstr (state, ==, "order_issued");
  g_assert_cmpint (esa_cli_test_sql_int (path, "SELECT count(*) FROM audit WHERE action = 'undo'",
                                         NULL), ==, 1);
}

static void
test_case_usage (void)
{
  g_autoptr(EsaCliResult) help = esa_cli_test_run ("case", "--help", NULL);
  g_autoptr(EsaCliResult) do_help = esa_cli_test_run ("case", "do", "--help", NULL);
  g_autoptr(EsaCliResult) none = esa_cli_test_run ("--db", "x.db", "case", NULL);
  g_autoptr(EsaCliResult) unknown = esa_cli_test_run ("--db", "x.db", "case", "frobnicate", NULL);
  g_autoptr(EsaCliResult) top = esa_cli_test_run ("--help", NULL);

  g_assert_cmpint (help->status, ==, 0);
  g_assert_nonnull (strstr (help->out, "actions"));
  g_assert_nonnull (strstr (help->out, "undo"));
  g_assert_cmpint (do_help->status, ==, 0);
  g_assert_nonnull (strstr (do_help->out, "--set"));
  g_assert_cmpint (none->status, ==, 1);
  g_assert_cmpint (unknown->status, ==, 1);
  g_assert_nonnull (strstr (unknown->err, "frobnicate"));
  g_assert_nonnull (strstr (top->out, "case"));
  g_assert_nonnull (strstr (top->out, "calc"));
  g_assert_false (g_file_test ("x.db", G_FILE_TEST_EXISTS));
}

/* ---- calc --------------------------------------------------------------- */

typedef struct
{
  const char *args[10];
  const char *out;
} CalcCase;

/* The boundaries of the tables as core's tests state them. */
static const CalcCase calc_cases[] = {
  { { "calc", "fee", "ch-payment-order", "100.00", "--date", "2026-05-01" }, "7.00\n" },
  { { "calc", "fee", "ch-payment-order", "100.01", "--date", "2026-05-01" }, "20.00\n" },
  { { "calc", "fee", "ch-payment-order", "0", "--date", "2026-05-01" }, "7.00\n" },
  { { "calc", "instalments", "it", "100.00", "--date", "2026-05-01" }, "0 0\n" },
  { { "calc", "instalments", "it", "100.01", "--date", "2026-05-01" }, "2 4\n" },
  { { "calc", "instalments", "it", "500.01", "--date", "2026-05-01" }, "5 12\n" },
  { { "calc", "garnish", "it", "2500.00", "--date", "2026-05-01" }, "250.00\n" },
  { { "calc", "garnish", "it", "2500.01", "--date", "2026-05-01" }, "357.14\n" },
  /* 10,000.00 EUR from 1 December 2022 to 31 January 2024 at the rate of
   * each day's year: (30 × 1.25% + 365 × 5% + 31 × 2.5%) / 365 of the
   * principal = 531.51 EUR. */
  { { "calc", "interest", "--regime", "it", "--amount", "10000.00", "--from", "2022-12-01",
      "--to", "2024-01-31" }, "531.51\n" },
  { { "calc", "interest", "--regime", "ch", "--amount", "10000", "--from", "2025-12-31",
      "--to", "2026-12-31" }, "500.00\n" },
};

static void
test_calc (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (calc_cases); i++)
    {
      const char * const *a = calc_cases[i].args;
      g_autoptr(EsaCliResult) result = esa_cli_test_run (a[0], a[1], a[2], a[3], a[4], a[5], a[6],
                                                         a[7], a[8], a[9], NULL);

      g_assert_cmpint (result->status, ==, 0);
      g_assert_cmpstr (result->out, ==, calc_cases[i].out);
      g_assert_cmpstr (result->err, ==, "");
    }
}

static void
test_calc_refused (void)
{
  const char *refused[][8] = {
    { "calc", "fee", "ch-payment-order", "12,50", NULL },
    { "calc", "fee", "it-payment-order", "12.50", NULL },
    { "calc", "instalments", "it", NULL },
    { "calc", "garnish", "it", "1800.00", "1900.00", NULL },
    { "calc", "interest", "--regime", "fr", "--amount", "1.00", "--from", "2024-01-01" },
    { "calc", "interest", "--regime", "it", "--amount", "1.00", NULL },
    { "calc", "frobnicate", NULL },
    { "calc", "garnish", "it", "1800.00", "--amount", "1.00", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      const char * const *a = refused[i];
      g_autoptr(EsaCliResult) result = esa_cli_test_run (a[0], a[1], a[2], a[3], a[4], a[5], a[6],
                                                         a[7], NULL);

      g_assert_cmpint (result->status, ==, 1);
      g_assert_cmpstr (result->out, ==, "");
      g_assert_cmpstr (result->err, !=, "");
    }

  {
    g_autoptr(EsaCliResult) bad = esa_cli_test_run ("calc", "garnish", "it", "12,50", NULL);

    g_assert_nonnull (strstr (bad->err, "12,50"));
  }
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  tmpdir = esa_cli_test_make_dir ("esattore-cli-case-XXXXXX");

  g_test_add_func ("/cli/case/usage", test_case_usage);
  g_test_add_func ("/cli/case/actions-json", test_case_actions_json);
  g_test_add_func ("/cli/case/do", test_case_do);
  g_test_add_func ("/cli/calc/values", test_calc);
  g_test_add_func ("/cli/calc/refused", test_calc_refused);

  status = g_test_run ();

  esa_cli_test_remove_dir (tmpdir);
  g_free (tmpdir);

  return status;
}
