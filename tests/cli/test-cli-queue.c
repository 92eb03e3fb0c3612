/* Tests of esattore-cli queue, ticket and stats contacts: the built binary
 * is run as a script would run it, on a small demo database.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <glib.h>

#include "esa-cli-test.h"

static char *tmpdir;
static char *db_path;

/* Every command works on the one demo database. */
#define run_on_demo(...) esa_cli_test_run ("--db", db_path, __VA_ARGS__)

static JsonArray *
parse_array (JsonParser *parser,
             const char *text)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));
  return json_node_get_array (json_parser_get_root (parser));
}

static void
test_queue_sorted (void)
{
  g_autoptr(EsaCliResult) all = run_on_demo ("queue", "--json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonParser) mine_parser = json_parser_new ();
  g_autoptr(EsaCliResult) mine = NULL;
  JsonArray *items;
  JsonArray *mine_items;
  const char *user = NULL;

  g_assert_cmpint (all->status, ==, 0);
  items = parse_array (parser, all->out);
  g_assert_cmpuint (json_array_get_length (items), >, 100);
  for (guint i = 1; i < json_array_get_length (items); i++)
    {
      JsonObject *a = json_array_get_object_element (items, i - 1);
      JsonObject *b = json_array_get_object_element (items, i);

      g_assert_cmpstr (json_object_get_string_member (a, "due_on"), <=,
                       json_object_get_string_member (b, "due_on"));
      if (user == NULL && !json_object_get_null_member (a, "assignee_id"))
        user = json_object_get_string_member (a, "assignee_id");
    }
  g_assert_nonnull (user);

  mine = run_on_demo ("queue", "--user", user, "--json", NULL);
  g_assert_cmpint (mine->status, ==, 0);
  mine_items = parse_array (mine_parser, mine->out);
  g_assert_cmpuint (json_array_get_length (mine_items), >, 0);
  g_assert_cmpuint (json_array_get_length (mine_items), <, json_array_get_length (items));
  for (guint i = 0; i < json_array_get_length (mine_items); i++)
    g_assert_cmpstr (json_object_get_string_member (
                       json_array_get_object_element (mine_items, i), "assignee_id"), ==, user);
}

static void
test_queue_bad_options (void)
{
  g_autoptr(EsaCliResult) user = run_on_demo ("queue", "--user", "nobody-at-all", NULL);
  g_autoptr(EsaCliResult) when = run_on_demo ("queue", "--when", "yesterday", NULL);

  g_assert_cmpint (user->status, ==, 1);
  g_assert_nonnull (strstr (user->err, "nobody-at-all"));
  g_assert_cmpint (when->status, ==, 1);
  g_assert_nonnull (strstr (when->err, "yesterday"));
}

static char *
first_debtor (void)
{
  g_autoptr(EsaCliResult) queue = run_on_demo ("queue", "--json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *items = parse_array (parser, queue->out);

  return g_strdup (json_object_get_string_member (json_array_get_object_element (items, 0),
                                                  "debtor_id"));
}

static void
test_ticket_lifecycle (void)
{
  g_autofree char *debtor = first_debtor ();
  g_autoptr(EsaCliResult) open = run_on_demo ("ticket", "open", debtor, "--subject",
                                              "Asks for a copy", "--urgency", "high", NULL);
  g_autoptr(EsaCliResult) escalate = NULL;
  g_autoptr(EsaCliResult) close = NULL;
  g_autoptr(EsaCliResult) again = NULL;
  g_autoptr(EsaCliResult) show = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) pattern = g_regex_new ("^T-[0-9]{4}-[0-9]{6}$", 0, 0, NULL);
  g_autofree char *reference = NULL;
  JsonObject *ticket;

  g_assert_cmpint (open->status, ==, 0);
  reference = g_strstrip (g_strdup (open->out));
  g_assert_true (g_regex_match (pattern, reference, 0, NULL));

  escalate = run_on_demo ("ticket", "escalate", reference, NULL);
  g_assert_cmpint (escalate->status, ==, 0);
  g_assert_nonnull (strstr (escalate->out, "Back office"));

  close = run_on_demo ("ticket", "close", reference, "--resolution", "Copy sent", NULL);
  g_assert_cmpint (close->status, ==, 0);
  again = run_on_demo ("ticket", "close", reference, "--resolution", "Again", NULL);
  g_assert_cmpint (again->status, ==, 1);

  show = run_on_demo ("ticket", "show", reference, "--json", NULL);
  g_assert_cmpint (show->status, ==, 0);
  json_parser_load_from_data (parser, show->out, -1, &error);
  g_assert_no_error (error);
  ticket = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (ticket, "status"), ==, "closed");
  g_assert_cmpstr (json_object_get_string_member (ticket, "level"), ==, "back_office");
  g_assert_cmpstr (json_object_get_string_member (ticket, "resolution"), ==, "Copy sent");
  g_assert_cmpint (json_object_get_int_member (ticket, "sla_target_s"), ==, 240 * 60);
}

static void
test_ticket_bad_input (void)
{
  g_autoptr(EsaCliResult) no_subject = run_on_demo ("ticket", "open", "x", NULL);
  g_autoptr(EsaCliResult) urgency = run_on_demo ("ticket", "open", "x", "--subject", "s",
                                                 "--urgency", "urgent", NULL);
  g_autoptr(EsaCliResult) debtor = run_on_demo ("ticket", "open", "no-such-debtor", "--subject",
                                                "s", NULL);
  g_autoptr(EsaCliResult) missing = run_on_demo ("ticket", "escalate", "T-1999-000001", NULL);

  g_assert_cmpint (no_subject->status, ==, 1);
  g_assert_cmpint (urgency->status, ==, 1);
  g_assert_cmpint (debtor->status, ==, 1);
  g_assert_nonnull (strstr (debtor->err, "no-such-debtor"));
  g_assert_cmpint (missing->status, ==, 1);
}

static void
test_stats_contacts (void)
{
  /* The demo data is made for the current date: its contacts fill this month. */
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *month = g_date_time_format (now, "%Y-%m");
  g_autoptr(EsaCliResult) stats = run_on_demo ("stats", "contacts", "--month", month, "--json",
                                               NULL);
  g_autoptr(EsaCliResult) bad = run_on_demo ("stats", "contacts", "--month", "2026-13", NULL);
  g_autoptr(EsaCliResult) plain = run_on_demo ("stats", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *rows;
  gint64 contacts = 0;

  g_assert_cmpint (stats->status, ==, 0);
  rows = parse_array (parser, stats->out);
  g_assert_cmpuint (json_array_get_length (rows), >, 0);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);

      g_assert_cmpstr (json_object_get_string_member (row, "month"), ==, month);
      g_assert_cmpint (json_object_get_int_member (row, "contacts_handled"), <=,
                       json_object_get_int_member (row, "contacts_in"));
      g_assert_cmpint (json_object_get_int_member (row, "duration_min_s"), <=,
                       json_object_get_int_member (row, "duration_max_s"));
      contacts += json_object_get_int_member (row, "contacts_in");
    }
  g_assert_cmpint (contacts, >, 0);

  g_assert_cmpint (bad->status, ==, 1);
  /* "stats" alone still counts per office. */
  g_assert_cmpint (plain->status, ==, 0);
  g_assert_nonnull (strstr (plain->out, "Debtors"));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  tmpdir = esa_cli_test_make_dir ("esa-cli-queue-XXXXXX");
  db_path = esa_cli_test_demo_database (tmpdir, "demo.db", 300);

  g_test_add_func ("/cli/queue/sorted", test_queue_sorted);
  g_test_add_func ("/cli/queue/bad-options", test_queue_bad_options);
  g_test_add_func ("/cli/ticket/lifecycle", test_ticket_lifecycle);
  g_test_add_func ("/cli/ticket/bad-input", test_ticket_bad_input);
  g_test_add_func ("/cli/stats/contacts", test_stats_contacts);
  status = g_test_run ();

  esa_cli_test_remove_dir (tmpdir);
  g_free (db_path);
  g_free (tmpdir);
  return status;
}
