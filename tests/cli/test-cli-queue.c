/* Tests of esattore-cli queue, ticket and stats contacts: the built binary
 * is run as a script would run it, on a small demo database.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>


typedef struct
{
  int   status;
  char *out;
  char *err;
} CliResult;

static char *tmpdir;
static char *db_path;

static void
cli_result_free (CliResult *result)
{
  g_free (result->out);
  g_free (result->err);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CliResult, cli_result_free)

/* Runs esattore-cli on the demo database with the NULL-terminated
 * arguments in the C locale. */
static CliResult *
run_cli (const char *first_arg,
         ...)
{
  const char *cli = g_getenv ("ESATTORE_CLI");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  CliResult *result = g_new0 (CliResult, 1);
  const char *arg;
  int wait_status = 0;
  va_list args;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (char *) cli);
  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, db_path);
  va_start (args, first_arg);
  for (arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  envp = g_environ_setenv (envp, "LC_ALL", "C.UTF-8", TRUE);
  envp = g_environ_unsetenv (envp, "LANGUAGE");

  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                &result->out, &result->err, &wait_status, &error);
  g_assert_no_error (error);
  if (g_spawn_check_wait_status (wait_status, &error))
    result->status = 0;
  else
    {
      g_assert_true (error->domain == G_SPAWN_EXIT_ERROR);
      result->status = error->code;
    }
  return result;
}

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
  g_autoptr(CliResult) all = run_cli ("queue", "--json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonParser) mine_parser = json_parser_new ();
  g_autoptr(CliResult) mine = NULL;
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

  mine = run_cli ("queue", "--user", user, "--json", NULL);
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
  g_autoptr(CliResult) user = run_cli ("queue", "--user", "nobody-at-all", NULL);
  g_autoptr(CliResult) when = run_cli ("queue", "--when", "yesterday", NULL);

  g_assert_cmpint (user->status, ==, 1);
  g_assert_nonnull (strstr (user->err, "nobody-at-all"));
  g_assert_cmpint (when->status, ==, 1);
  g_assert_nonnull (strstr (when->err, "yesterday"));
}

static char *
first_debtor (void)
{
  g_autoptr(CliResult) queue = run_cli ("queue", "--json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *items = parse_array (parser, queue->out);

  return g_strdup (json_object_get_string_member (json_array_get_object_element (items, 0),
                                                  "debtor_id"));
}

static void
test_ticket_lifecycle (void)
{
  g_autofree char *debtor = first_debtor ();
  g_autoptr(CliResult) open = run_cli ("ticket", "open", debtor, "--subject", "Asks for a copy",
                                       "--urgency", "high", NULL);
  g_autoptr(CliResult) escalate = NULL;
  g_autoptr(CliResult) close = NULL;
  g_autoptr(CliResult) again = NULL;
  g_autoptr(CliResult) show = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) pattern = g_regex_new ("^T-[0-9]{4}-[0-9]{6}$", 0, 0, NULL);
  g_autofree char *reference = NULL;
  JsonObject *ticket;

  g_assert_cmpint (open->status, ==, 0);
  reference = g_strstrip (g_strdup (open->out));
  g_assert_true (g_regex_match (pattern, reference, 0, NULL));

  escalate = run_cli ("ticket", "escalate", reference, NULL);
  g_assert_cmpint (escalate->status, ==, 0);
  g_assert_nonnull (strstr (escalate->out, "Back office"));

  close = run_cli ("ticket", "close", reference, "--resolution", "Copy sent", NULL);
  g_assert_cmpint (close->status, ==, 0);
  again = run_cli ("ticket", "close", reference, "--resolution", "Again", NULL);
  g_assert_cmpint (again->status, ==, 1);

  show = run_cli ("ticket", "show", reference, "--json", NULL);
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
  g_autoptr(CliResult) no_subject = run_cli ("ticket", "open", "x", NULL);
  g_autoptr(CliResult) urgency = run_cli ("ticket", "open", "x", "--subject", "s",
                                          "--urgency", "urgent", NULL);
  g_autoptr(CliResult) debtor = run_cli ("ticket", "open", "no-such-debtor", "--subject", "s",
                                         NULL);
  g_autoptr(CliResult) missing = run_cli ("ticket", "escalate", "T-1999-000001", NULL);

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
  g_autoptr(CliResult) stats = run_cli ("stats", "contacts", "--month", month, "--json", NULL);
  g_autoptr(CliResult) bad = run_cli ("stats", "contacts", "--month", "2026-13", NULL);
  g_autoptr(CliResult) plain = run_cli ("stats", NULL);
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
  g_autoptr(GError) error = NULL;
  g_autoptr(CliResult) demo = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  tmpdir = g_dir_make_tmp ("esa-cli-queue-XXXXXX", &error);
  g_assert_no_error (error);
  db_path = g_build_filename (tmpdir, "demo.db", NULL);
  demo = run_cli ("demo", "--debtors", "300", NULL);
  g_assert_cmpint (demo->status, ==, 0);

  g_test_add_func ("/cli/queue/sorted", test_queue_sorted);
  g_test_add_func ("/cli/queue/bad-options", test_queue_bad_options);
  g_test_add_func ("/cli/ticket/lifecycle", test_ticket_lifecycle);
  g_test_add_func ("/cli/ticket/bad-input", test_ticket_bad_input);
  g_test_add_func ("/cli/stats/contacts", test_stats_contacts);
  status = g_test_run ();

  {
    g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db_path, "-shm", NULL);

    g_remove (wal);
    g_remove (shm);
    g_remove (db_path);
    g_rmdir (tmpdir);
  }
  g_free (db_path);
  g_free (tmpdir);
  return status;
}
