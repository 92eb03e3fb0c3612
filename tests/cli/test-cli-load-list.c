/* Tests of esattore-cli load-list: the built binary is run as a script would
 * run it, on a demo database, and what it prints is checked against the
 * database read directly with SQLite. */

#include <string.h>

#include <glib.h>

#include "esa-cli-test.h"

#define HEADER "tax_id,name,address,postcode,town,country,revenue_type,year,reference," \
               "principal,sanctions,interest,costs,due_date\n"

/* Valid tax codes that the demo's invented debtors (made from other names)
 * do not have. */
static const char * const tax_codes[] = {
  "RSSMRA85T10A562S", "BSCMTT83A12L719R", "01234567897",
};

typedef struct
{
  char *dir;
  char *db;
  char *body;          /* the demo's Italian body */
  char *officer;       /* logins, of offices serving the body */
  char *responsible;
  char *other_responsible;
} Fixture;

static char *
write_temp (Fixture    *fixture,
            const char *name,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture->dir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

/* A demo database, and the users the tests act as. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = esa_cli_test_make_dir ("esa-cli-load-list-XXXXXX");
  fixture->db = esa_cli_test_demo_database (fixture->dir, "demo.db", 40);

  fixture->body = esa_cli_test_sql_text (fixture->db, "SELECT id FROM bodies WHERE country = 'IT'",
                                         NULL);
  fixture->officer = esa_cli_test_sql_text (fixture->db,
                                            "SELECT u.login FROM users u "
                                            "JOIN office_bodies ob ON ob.office_id = u.office_id "
                                            "JOIN bodies b ON b.id = ob.body_id "
                                            "WHERE b.country = 'IT' AND u.role = 'officer' "
                                            "ORDER BY u.login LIMIT 1", NULL);
  fixture->responsible = esa_cli_test_sql_text (fixture->db,
                                                "SELECT u.login FROM users u "
                                                "JOIN office_bodies ob "
                                                "ON ob.office_id = u.office_id "
                                                "JOIN bodies b ON b.id = ob.body_id "
                                                "WHERE b.country = 'IT' "
                                                "AND u.role = 'responsible' "
                                                "ORDER BY u.login LIMIT 1", NULL);
  fixture->other_responsible = esa_cli_test_sql_text (fixture->db,
                                                      "SELECT u.login FROM users u "
                                                      "JOIN office_bodies ob "
                                                      "ON ob.office_id = u.office_id "
                                                      "JOIN bodies b ON b.id = ob.body_id "
                                                      "WHERE b.country = 'IT' "
                                                      "AND u.role = 'responsible' "
                                                      "ORDER BY u.login LIMIT 1 OFFSET 1", NULL);
  g_assert_nonnull (fixture->body);
  g_assert_nonnull (fixture->officer);
  g_assert_nonnull (fixture->responsible);
  g_assert_nonnull (fixture->other_responsible);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  esa_cli_test_remove_dir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db);
  g_free (fixture->body);
  g_free (fixture->officer);
  g_free (fixture->responsible);
  g_free (fixture->other_responsible);
}

/* @n rows, each a distinct debt of one of three debtors; the row with
 * index @bad (line @bad + 2) has a wrong check character. */
static char *
make_rows (guint n,
           guint bad)
{
  GString *text = g_string_new (HEADER);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *tax_id = g_strdup (tax_codes[i % 3]);

      if (i == bad)
        tax_id[strlen (tax_id) - 1] = tax_id[strlen (tax_id) - 1] == 'A' ? 'B' : 'A';
      g_string_append_printf (text,
                              "%s,Debitore %u,\"Via Roma, %u\",20100,Milano,IT,TARI,2024,"
                              "CLI-%04u,%u.%02u,,1.00,,2024-10-31\n",
                              tax_id, i % 3, i % 3 + 1, i, 100 + i, i % 100);
    }
  return g_string_free (text, FALSE);
}

static gboolean
is_decimal (const char *text)
{
  gsize n = strlen (text);

  return g_regex_match_simple ("^[0-9]+\\.[0-9][0-9]$", text, 0, 0) && n >= 4;
}

/* ---- tests ----------------------------------------------------------- */

static void
test_rejected_row_stores_nothing (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autofree char *text = make_rows (50, 36);
  g_autofree char *path = write_temp (fixture, "list.csv", text);
  g_autoptr(EsaCliResult) result = NULL;
  g_autoptr(EsaCliResult) json_result = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonObject *issue;
  gint64 positions = esa_cli_test_sql_int (fixture->db, "SELECT count(*) FROM positions", NULL);
  gint64 outbox = esa_cli_test_sql_int (fixture->db, "SELECT count(*) FROM outbox", NULL);

  result = esa_cli_test_run ("--db", fixture->db, "load-list", "import", path, "--body",
                             fixture->body, "--user", fixture->officer, NULL);
  g_assert_cmpint (result->status, ==, 1);
  g_assert_cmpstr (result->out, ==, "");
  g_assert_nonnull (strstr (result->err, "1 row of 50 was rejected; nothing was imported"));
  g_assert_nonnull (strstr (result->err, "line 38: tax code"));
  g_assert_cmpint (esa_cli_test_sql_int (fixture->db, "SELECT count(*) FROM positions", NULL), ==,
                   positions);
  g_assert_cmpint (esa_cli_test_sql_int (fixture->db, "SELECT count(*) FROM outbox", NULL), ==,
                   outbox);
  g_assert_cmpint (esa_cli_test_sql_int (fixture->db, "SELECT count(*) FROM load_lists "
                                                      "WHERE file_name = 'list.csv'", NULL), ==, 0);

  json_result = esa_cli_test_run ("--db", fixture->db, "load-list", "import", path, "--body",
                                  fixture->body, "--json", NULL);
  g_assert_cmpint (json_result->status, ==, 1);
  root = esa_cli_test_parse_json (json_result->out);
  object = json_node_get_object (root);
  g_assert_false (json_object_get_boolean_member (object, "imported"));
  g_assert_true (json_object_get_null_member (object, "id"));
  g_assert_cmpint (json_object_get_int_member (object, "rows"), ==, 50);
  g_assert_cmpint (json_object_get_int_member (object, "rejected"), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "issues")), ==,
                    1);
  issue = json_array_get_object_element (json_object_get_array_member (object, "issues"), 0);
  g_assert_cmpint (json_object_get_int_member (issue, "line"), ==, 38);
  g_assert_cmpstr (json_object_get_string_member (issue, "reason"), ==, "tax_id");
  g_assert_cmpstr (json_object_get_string_member (issue, "field"), ==, "tax_id");
}

static void
test_exclude_rejected_and_approve (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autofree char *text = make_rows (50, 36);
  g_autofree char *path = write_temp (fixture, "list.csv", text);
  g_autoptr(EsaCliResult) import = NULL;
  g_autoptr(EsaCliResult) own = NULL;
  g_autoptr(EsaCliResult) officer = NULL;
  g_autoptr(EsaCliResult) approve = NULL;
  g_autoptr(EsaCliResult) show = NULL;
  g_autoptr(JsonNode) approved = NULL;
  g_autoptr(JsonNode) shown = NULL;
  g_autofree char *id = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *state = NULL;
  JsonObject *object;
  JsonArray *detail;
  char *newline;

  import = esa_cli_test_run ("--db", fixture->db, "load-list", "import", path, "--body",
                             fixture->body, "--user", fixture->responsible, "--exclude-rejected",
                             "--reference", "TARI 2024", "--budget-chapter", "1051", NULL);
  g_assert_cmpint (import->status, ==, 0);

  /* The first line is the new list's id, the summary follows. */
  newline = strchr (import->out, '\n');
  g_assert_nonnull (newline);
  id = g_strndup (import->out, newline - import->out);
  g_assert_cmpuint (strlen (id), ==, 36);
  g_assert_nonnull (strstr (import->out, "50 (49 imported, 1 left out)"));
  g_assert_nonnull (strstr (import->out, "line 38:"));
  g_assert_nonnull (strstr (import->out, "imported"));
  sql = g_strdup_printf ("SELECT count(*) FROM positions WHERE load_list_id = '%s'", id);
  g_assert_cmpint (esa_cli_test_sql_int (fixture->db, sql, NULL), ==, 49);

  /* Four eyes: the importer may not approve, nor may an officer. */
  own = esa_cli_test_run ("--db", fixture->db, "load-list", "approve", id, "--user",
                          fixture->responsible, NULL);
  g_assert_cmpint (own->status, ==, 1);
  g_assert_nonnull (strstr (own->err, "four eyes"));
  officer = esa_cli_test_run ("--db", fixture->db, "load-list", "approve", id, "--user",
                              fixture->officer, NULL);
  g_assert_cmpint (officer->status, ==, 1);
  g_assert_nonnull (strstr (officer->err, "may not approve or reject load lists"));
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT state FROM load_lists WHERE id = '%s'", id);
  state = esa_cli_test_sql_text (fixture->db, sql, NULL);
  g_assert_cmpstr (state, ==, "imported");

  approve = esa_cli_test_run ("--db", fixture->db, "load-list", "approve", id, "--user",
                              fixture->other_responsible, "--json", NULL);
  g_assert_cmpint (approve->status, ==, 0);
  approved = esa_cli_test_parse_json (approve->out);
  object = json_node_get_object (approved);
  g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, "approved");
  g_assert_cmpint (json_object_get_int_member (object, "cases"), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (object, "budget_chapter"), ==, "1051");

  show = esa_cli_test_run ("--db", fixture->db, "load-list", "show", id, "--json", NULL);
  g_assert_cmpint (show->status, ==, 0);
  shown = esa_cli_test_parse_json (show->out);
  object = json_node_get_object (shown);
  g_assert_cmpstr (json_object_get_string_member (object, "reference"), ==, "TARI 2024");
  g_assert_true (is_decimal (json_object_get_string_member (object, "total")));
  g_assert_cmpstr (json_object_get_string_member (object, "interest"), ==, "49.00");
  detail = json_object_get_array_member (object, "detail");
  g_assert_cmpuint (json_array_get_length (detail), ==, 49);
  object = json_array_get_object_element (detail, 0);
  g_assert_cmpint (json_object_get_int_member (object, "line"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (object, "principal"), ==, "100.00");
  g_assert_cmpstr (json_object_get_string_member (object, "total"), ==, "101.00");
  object = json_array_get_object_element (detail, 36);
  g_assert_cmpint (json_object_get_int_member (object, "line"), ==, 39);
}

static void
test_mapping (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *mapping = write_temp (fixture, "mapping.json",
                                         "{ \"separator\": \";\", \"decimal_comma\": true,\n"
                                         "  \"date_format\": \"DD/MM/YYYY\",\n"
                                         "  \"columns\": { \"tax_id\": \"Codice fiscale\",\n"
                                         "    \"name\": \"Nome\", \"principal\": \"Importo\" },\n"
                                         "  \"defaults\": { \"revenue_type\": \"IMU\",\n"
                                         "    \"year\": \"2023\" } }\n");
  g_autofree char *list = write_temp (fixture, "imu.csv",
                                      "Codice fiscale;Nome;Address;Town;Reference;Importo;"
                                      "Due_date\n"
                                      "RSSMRA85T10A562S;Rossi Mario;Via Roma 1;Milano;IMU-1;"
                                      "1.234,50;16/06/2024\n");
  g_autoptr(EsaCliResult) saved = NULL;
  g_autoptr(EsaCliResult) shown = NULL;
  g_autoptr(EsaCliResult) import = NULL;
  g_autoptr(EsaCliResult) bad = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  /* Without a mapping the file does not fit. */
  bad = esa_cli_test_run ("--db", fixture->db, "load-list", "import", list, "--body", fixture->body,
                          NULL);
  g_assert_cmpint (bad->status, ==, 1);
  g_assert_nonnull (strstr (bad->err, "line 1: the header is a single column"));

  saved = esa_cli_test_run ("--db", fixture->db, "load-list", "mapping", "--body", fixture->body,
                            mapping, NULL);
  g_assert_cmpint (saved->status, ==, 0);
  shown = esa_cli_test_run ("--db", fixture->db, "load-list", "mapping", "--body", fixture->body,
                            NULL);
  g_assert_cmpint (shown->status, ==, 0);
  g_assert_nonnull (strstr (shown->out, "\"Codice fiscale\""));

  /* The saved mapping is used without --mapping. */
  import = esa_cli_test_run ("--db", fixture->db, "load-list", "import", list, "--body",
                             fixture->body, "--json", NULL);
  g_assert_cmpint (import->status, ==, 0);
  root = esa_cli_test_parse_json (import->out);
  object = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (object, "principal"), ==, "1234.50");
  g_assert_cmpint (json_object_get_int_member (object, "positions"), ==, 1);
  object = json_array_get_object_element (json_object_get_array_member (object, "groups"), 0);
  g_assert_cmpstr (json_object_get_string_member (object, "revenue_type"), ==, "IMU");
  g_assert_cmpint (json_object_get_int_member (object, "year"), ==, 2023);
}

static void
test_reject (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *text = make_rows (6, 6);
  g_autofree char *path = write_temp (fixture, "list.csv", text);
  g_autoptr(EsaCliResult) import = NULL;
  g_autoptr(EsaCliResult) reject = NULL;
  g_autoptr(EsaCliResult) list = NULL;
  g_autoptr(EsaCliResult) again = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) lists = NULL;
  const char *id;

  import = esa_cli_test_run ("--db", fixture->db, "load-list", "import", path, "--body",
                             fixture->body, "--json", NULL);
  g_assert_cmpint (import->status, ==, 0);
  root = esa_cli_test_parse_json (import->out);
  id = json_object_get_string_member (json_node_get_object (root), "id");

  /* The same file again is refused while the list stands. */
  again = esa_cli_test_run ("--db", fixture->db, "load-list", "import", path, "--body",
                            fixture->body, NULL);
  g_assert_cmpint (again->status, ==, 1);
  g_assert_nonnull (strstr (again->err, "already imported"));

  reject = esa_cli_test_run ("--db", fixture->db, "load-list", "reject", id, "--user",
                             fixture->responsible, "--reason", "wrong year", NULL);
  g_assert_cmpint (reject->status, ==, 0);
  g_assert_nonnull (strstr (reject->out, "wrong year"));

  list = esa_cli_test_run ("--db", fixture->db, "load-list", "list", "--body", fixture->body,
                           "--json", NULL);
  g_assert_cmpint (list->status, ==, 0);
  lists = esa_cli_test_parse_json (list->out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (lists)), >=, 1);
}

static void
test_usage_errors (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(EsaCliResult) no_body = NULL;
  g_autoptr(EsaCliResult) no_user = NULL;
  g_autoptr(EsaCliResult) unknown = NULL;
  g_autoptr(EsaCliResult) subcommand = NULL;
  g_autoptr(EsaCliResult) missing_file = NULL;

  no_body = esa_cli_test_run ("--db", fixture->db, "load-list", "import", "x.csv", NULL);
  g_assert_cmpint (no_body->status, ==, 1);
  g_assert_nonnull (strstr (no_body->err, "--body"));
  no_user = esa_cli_test_run ("--db", fixture->db, "load-list", "approve", "x", NULL);
  g_assert_cmpint (no_user->status, ==, 1);
  unknown = esa_cli_test_run ("--db", fixture->db, "load-list", "show", "no-such-list", NULL);
  g_assert_cmpint (unknown->status, ==, 1);
  g_assert_nonnull (strstr (unknown->err, "No load list with id no-such-list"));
  subcommand = esa_cli_test_run ("--db", fixture->db, "load-list", "frobnicate", NULL);
  g_assert_cmpint (subcommand->status, ==, 1);
  missing_file = esa_cli_test_run ("--db", fixture->db, "load-list", "import", "/nonexistent/x.csv",
                                   "--body", fixture->body, NULL);
  g_assert_cmpint (missing_file->status, ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/cli/load-list/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("rejected-row-stores-nothing", test_rejected_row_stores_nothing);
  ADD ("exclude-rejected-and-approve", test_exclude_rejected_and_approve);
  ADD ("mapping", test_mapping);
  ADD ("reject", test_reject);
  ADD ("usage-errors", test_usage_errors);

  return g_test_run ();
}
