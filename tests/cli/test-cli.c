/* Tests of esattore-cli: the built binary is run as a script would run it,
 * and what it prints is checked against the database it worked on, read
 * directly with SQLite. */

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "esa-cli-test.h"

#define DEMO_DEBTORS 200

static char *tmpdir;
static char *demo_db;

static char *
read_file (const char *path,
           gsize      *length)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, length, &error);
  g_assert_no_error (error);

  return contents;
}

static void
write_file (const char *path,
            const char *contents,
            gsize       length)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, (gssize) length, &error);
  g_assert_no_error (error);
}

/* The number at the end of a line that starts with @label. */
static gint64
labelled_number (const char *text,
                 const char *label)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint i;

  for (i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], label))
      return g_ascii_strtoll (lines[i] + strlen (label), NULL, 10);

  g_test_message ("no line “%s” in:\n%s", label, text);
  g_assert_not_reached ();
}

static char *
temp_path (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

/* init and demo into a fresh file, once for the whole suite. */
static const char *
ensure_demo_db (void)
{
  g_autofree char *path = NULL;
  g_autoptr(EsaCliResult) init = NULL;
  g_autoptr(EsaCliResult) demo = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GRegex) regex = NULL;
  g_autofree char *version = NULL;

  if (demo_db != NULL)
    return demo_db;

  path = temp_path ("demo.db");
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  init = esa_cli_test_run ("--db", path, "init", NULL);
  g_assert_cmpint (init->status, ==, 0);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  /* The version printed is the one the file says it is at. */
  regex = g_regex_new ("schema version ([0-9]+)", 0, 0, NULL);
  g_assert_true (g_regex_match (regex, init->out, 0, &match));
  version = g_match_info_fetch (match, 1);
  g_assert_cmpint (g_ascii_strtoll (version, NULL, 10), >, 0);
  g_assert_cmpint (g_ascii_strtoll (version, NULL, 10), ==,
                   esa_cli_test_sql_int (path, "PRAGMA user_version", NULL));

  demo = esa_cli_test_run ("--db", path, "demo", "--debtors", G_STRINGIFY (DEMO_DEBTORS), "--seed",
                           "7", NULL);
  g_assert_cmpint (demo->status, ==, 0);
  /* stderr is not a terminal here: no progress. */
  g_assert_null (strstr (demo->err, "Generating"));
  g_assert_cmpint (labelled_number (demo->out, "Debtors:"), ==, DEMO_DEBTORS);
  g_assert_cmpint (labelled_number (demo->out, "Debtors:"), ==,
                   esa_cli_test_sql_int (path, "SELECT count(*) FROM debtors", NULL));
  g_assert_cmpint (labelled_number (demo->out, "Positions:"), ==,
                   esa_cli_test_sql_int (path, "SELECT count(*) FROM positions", NULL));
  g_assert_cmpint (labelled_number (demo->out, "Positions:"), >, DEMO_DEBTORS);
  g_assert_cmpint (labelled_number (demo->out, "Users:"), ==,
                   esa_cli_test_sql_int (path, "SELECT count(*) FROM users", NULL));

  demo_db = g_steal_pointer (&path);
  return demo_db;
}

static char *
copy_demo_db (const char *name)
{
  const char *source = ensure_demo_db ();
  g_autofree char *wal = g_strconcat (source, "-wal", NULL);
  g_autofree char *contents = NULL;
  char *path = temp_path (name);
  gsize length;

  /* The CLI closed the database: its WAL was checkpointed into the file. */
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  contents = read_file (source, &length);
  write_file (path, contents, length);

  return path;
}

static void
test_usage (void)
{
  g_autoptr(EsaCliResult) version = esa_cli_test_run ("--version", NULL);
  g_autoptr(EsaCliResult) help = esa_cli_test_run ("--help", NULL);
  g_autoptr(EsaCliResult) search_help = esa_cli_test_run ("search", "--help", NULL);
  g_autoptr(EsaCliResult) help_dossier = esa_cli_test_run ("help", "dossier", NULL);
  g_autoptr(EsaCliResult) nothing = esa_cli_test_run (NULL, NULL);
  g_autoptr(EsaCliResult) unknown = esa_cli_test_run ("frobnicate", NULL);
  g_autoptr(EsaCliResult) unknown_option = esa_cli_test_run ("--frobnicate", "bodies", NULL);
  g_autoptr(EsaCliResult) no_db = esa_cli_test_run ("bodies", "--json", NULL);
  g_autoptr(EsaCliResult) db_without_file = esa_cli_test_run ("--db", NULL);
  g_autoptr(EsaCliResult) bad_limit = esa_cli_test_run ("--db", "x.db", "search", "--limit", "many",
                                                        "Rossi", NULL);
  g_autoptr(EsaCliResult) extra = esa_cli_test_run ("--db", "x.db", "dossier", "a", "b", NULL);
  g_autofree char *missing = temp_path ("missing.db");
  g_autoptr(EsaCliResult) missing_file = esa_cli_test_run ("--db", missing, "stats", NULL);
  const char *commands[] = { "check-id", "init", "demo", "bodies", "users", "stats", "search",
                             "dossier", "audit" };
  guint i;

  g_assert_cmpint (version->status, ==, 0);
  g_assert_true (g_str_has_prefix (version->out, "esattore-cli "));

  g_assert_cmpint (help->status, ==, 0);
  for (i = 0; i < G_N_ELEMENTS (commands); i++)
    g_assert_nonnull (strstr (help->out, commands[i]));

  g_assert_cmpint (search_help->status, ==, 0);
  g_assert_nonnull (strstr (search_help->out, "--limit"));
  g_assert_nonnull (strstr (search_help->out, "search"));
  g_assert_cmpint (help_dossier->status, ==, 0);
  g_assert_nonnull (strstr (help_dossier->out, "DEBTOR_ID"));

  g_assert_cmpint (nothing->status, ==, 1);
  g_assert_nonnull (strstr (nothing->err, "Usage"));
  g_assert_cmpint (unknown->status, ==, 1);
  g_assert_nonnull (strstr (unknown->err, "frobnicate"));
  g_assert_cmpint (unknown_option->status, ==, 1);
  g_assert_nonnull (strstr (unknown_option->err, "--frobnicate"));

  /* A command that needs a database says so, without creating anything. */
  g_assert_cmpint (no_db->status, ==, 1);
  g_assert_nonnull (strstr (no_db->err, "--db"));
  g_assert_cmpstr (no_db->out, ==, "");
  g_assert_cmpint (db_without_file->status, ==, 1);

  /* Bad arguments are refused before the database is looked at. */
  g_assert_cmpint (bad_limit->status, ==, 1);
  g_assert_nonnull (strstr (bad_limit->err, "--limit"));
  g_assert_cmpint (extra->status, ==, 1);
  g_assert_false (g_file_test ("x.db", G_FILE_TEST_EXISTS));

  /* Reading a file that is not there is a failure naming it, not a new
   * empty database. */
  g_assert_cmpint (missing_file->status, ==, 2);
  g_assert_nonnull (strstr (missing_file->err, missing));
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
}

typedef struct
{
  const char *kind;
  const char *input;
  const char *normalized;
  const char *printed;     /* NULL where the printed form is not pinned here */
} ValidId;

/* Published examples and values whose check digits were computed by hand
 * from the rules in DOMAIN.md. */
static const ValidId valid_ids[] = {
  { "cf", "rssmra85t10a562s", "RSSMRA85T10A562S", NULL },
  { "piva", "12345678903", "12345678903", NULL },
  { "ahv", "756.9217.0769.85", "7569217076985", "756.9217.0769.85" },
  { "uid", "CHE-116.281.710", "CHE116281710", "CHE-116.281.710" },
  { "iban", "IT60 X054 2811 1010 0000 0123 456", "IT60X0542811101000000123456",
    "IT60 X054 2811 1010 0000 0123 456" },
  { "iban", "CH9300762011623852957", "CH9300762011623852957", "CH93 0076 2011 6238 5295 7" },
  { "avviso", "301000000001234519", "301000000001234519", NULL },
  { "qrr", "210000000003139471430009017", "210000000003139471430009017",
    "21 00000 00003 13947 14300 09017" },
};

static void
test_check_id_valid (void)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (valid_ids); i++)
    {
      const ValidId *id = &valid_ids[i];
      g_autoptr(EsaCliResult) result = esa_cli_test_run ("check-id", "--json", id->kind, id->input,
                                                         NULL);
      g_autoptr(EsaCliResult) text = esa_cli_test_run ("check-id", id->kind, id->input, NULL);
      g_autoptr(EsaCliResult) again = NULL;
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *expected_text = NULL;
      JsonObject *object;
      const char *printed;

      g_assert_cmpint (result->status, ==, 0);
      g_assert_cmpstr (result->err, ==, "");
      root = esa_cli_test_parse_json (result->out);
      object = json_node_get_object (root);
      esa_cli_test_assert_members (object, "kind,normalized,printed");
      g_assert_cmpstr (json_object_get_string_member (object, "kind"), ==, id->kind);
      g_assert_cmpstr (json_object_get_string_member (object, "normalized"), ==, id->normalized);
      printed = json_object_get_string_member (object, "printed");
      if (id->printed != NULL)
        g_assert_cmpstr (printed, ==, id->printed);
      g_assert_cmpuint (strlen (printed), >=, strlen (id->normalized));

      /* The printed form is accepted back and gives the same value. */
      again = esa_cli_test_run ("check-id", "--json", id->kind, printed, NULL);
      g_assert_cmpint (again->status, ==, 0);
      g_assert_cmpstr (again->out, ==, result->out);

      g_assert_cmpint (text->status, ==, 0);
      expected_text = g_strdup_printf ("normalized: %s\nprinted: %s\n", id->normalized, printed);
      g_assert_cmpstr (text->out, ==, expected_text);
    }
}

/* Each valid value above with one check character changed. */
static const char *invalid_ids[][2] = {
  { "cf", "RSSMRA85T10A562T" },
  { "piva", "12345678904" },
  { "ahv", "7569217076984" },
  { "uid", "CHE116281711" },
  { "iban", "IT60X0542811101000000123457" },
  { "iban", "CH9300762011623852958" },
  { "avviso", "301000000001234518" },
  { "qrr", "210000000003139471430009018" },
  { "cf", "RSSMRA85" },
  { "piva", "1234567890A" },
};

/* @text without anything but letters and digits, so that a value is found
 * in a message whatever separators the message prints it with. */
static char *
alnum_only (const char *text)
{
  GString *out = g_string_new (NULL);
  const char *p;

  for (p = text; *p != '\0'; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (out, *p);

  return g_string_free (out, FALSE);
}

static void
test_check_id_invalid (void)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (invalid_ids); i++)
    {
      g_autoptr(EsaCliResult) result = esa_cli_test_run ("check-id", invalid_ids[i][0],
                                                         invalid_ids[i][1], NULL);
      g_autofree char *err = NULL;

      g_assert_cmpint (result->status, ==, 1);
      g_assert_cmpstr (result->out, ==, "");
      /* The reason names the value. */
      err = alnum_only (result->err);
      g_assert_nonnull (strstr (err, invalid_ids[i][1]));
    }
}

static void
test_check_id_unknown_kind (void)
{
  g_autoptr(EsaCliResult) result = esa_cli_test_run ("check-id", "passport", "X1234567", NULL);
  g_autoptr(EsaCliResult) missing = esa_cli_test_run ("check-id", "cf", NULL);
  const char *kinds[] = { "cf", "piva", "ahv", "uid", "iban", "avviso", "qrr" };
  guint i;

  g_assert_cmpint (result->status, ==, 1);
  g_assert_cmpstr (result->out, ==, "");
  g_assert_nonnull (strstr (result->err, "passport"));
  for (i = 0; i < G_N_ELEMENTS (kinds); i++)
    g_assert_nonnull (strstr (result->err, kinds[i]));

  g_assert_cmpint (missing->status, ==, 1);
}

static void
test_init_demo (void)
{
  const char *path = ensure_demo_db ();
  g_autoptr(EsaCliResult) again = esa_cli_test_run ("--db", path, "init", NULL);
  g_autoptr(EsaCliResult) demo = esa_cli_test_run ("--db", path, "demo", "--debtors", "10", NULL);
  g_autoptr(EsaCliResult) bad_count = esa_cli_test_run ("--db", path, "demo", "--debtors", "0",
                                                        NULL);
  g_autoptr(GRegex) regex = g_regex_new ("schema version [0-9]+", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *version_text = NULL;

  /* init on a current database changes nothing and says the same. */
  g_assert_cmpint (again->status, ==, 0);
  g_assert_true (g_regex_match (regex, again->out, 0, &match));
  version_text = g_strdup_printf ("schema version %" G_GINT64_FORMAT,
                                  esa_cli_test_sql_int (path, "PRAGMA user_version", NULL));
  g_assert_nonnull (strstr (again->out, version_text));

  /* Demo data only goes into an empty database. */
  g_assert_cmpint (demo->status, ==, 1);
  g_assert_cmpstr (demo->out, ==, "");
  g_assert_cmpstr (demo->err, !=, "");
  g_assert_cmpint (esa_cli_test_sql_int (path, "SELECT count(*) FROM debtors", NULL), ==,
                   DEMO_DEBTORS);

  g_assert_cmpint (bad_count->status, ==, 1);
  g_assert_nonnull (strstr (bad_count->err, "--debtors"));
}

static void
test_bodies (void)
{
  const char *path = ensure_demo_db ();
  g_autoptr(EsaCliResult) result = esa_cli_test_run ("--db", path, "bodies", "--json", NULL);
  g_autoptr(EsaCliResult) text = esa_cli_test_run ("--db", path, "bodies", NULL);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GHashTable) countries = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *bodies;
  guint i;

  g_assert_cmpint (result->status, ==, 0);
  root = esa_cli_test_parse_json (result->out);
  bodies = json_node_get_array (root);
  g_assert_cmpint (json_array_get_length (bodies), ==,
                   esa_cli_test_sql_int (path, "SELECT count(*) FROM bodies", NULL));

  g_assert_cmpint (text->status, ==, 0);
  for (i = 0; i < json_array_get_length (bodies); i++)
    {
      JsonObject *body = json_array_get_object_element (bodies, i);
      const char *country = json_object_get_string_member (body, "country");
      const char *currency = json_object_get_string_member (body, "currency");

      esa_cli_test_assert_members (body, "id,name,country,currency");
      g_assert_cmpint (esa_cli_test_sql_int (path, "SELECT count(*) FROM bodies WHERE id = ?",
                                             json_object_get_string_member (body, "id")), ==, 1);
      g_assert_cmpstr (currency, ==, g_str_equal (country, "CH") ? "CHF" : "EUR");
      g_hash_table_add (countries, (gpointer) country);

      /* The readable form lists the same bodies. */
      g_assert_nonnull (strstr (text->out, json_object_get_string_member (body, "name")));
    }

  g_assert_cmpuint (g_hash_table_size (countries), ==, 2);
  g_assert_true (g_hash_table_contains (countries, "IT"));
  g_assert_true (g_hash_table_contains (countries, "CH"));
}

static void
test_users (void)
{
  const char *path = ensure_demo_db ();
  g_autoptr(EsaCliResult) result = esa_cli_test_run ("--db", path, "users", "--json", NULL);
  g_autoptr(EsaCliResult) text = esa_cli_test_run ("--db", path, "users", NULL);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GHashTable) per_role = g_hash_table_new (g_str_hash, g_str_equal);
  const char *roles[] = { "officer", "field_officer", "team_lead", "responsible",
                          "contact_operator", "administrator", "auditor" };
  JsonArray *users;
  guint i;

  g_assert_cmpint (result->status, ==, 0);
  g_assert_cmpint (text->status, ==, 0);
  root = esa_cli_test_parse_json (result->out);
  users = json_node_get_array (root);
  g_assert_cmpint (json_array_get_length (users), ==,
                   esa_cli_test_sql_int (path, "SELECT count(*) FROM users", NULL));

  for (i = 0; i < json_array_get_length (users); i++)
    {
      JsonObject *user = json_array_get_object_element (users, i);
      const char *role = json_object_get_string_member (user, "role");

      esa_cli_test_assert_members (user, "id,name,role,office");
      g_hash_table_insert (per_role, (gpointer) role,
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (per_role,
                                                                                    role)) + 1));
      g_assert_cmpint (esa_cli_test_sql_int (path, "SELECT count(*) FROM offices WHERE id = ?",
                                             json_object_get_string_member (user, "office")), ==,
                       1);
      g_assert_nonnull (strstr (text->out, json_object_get_string_member (user, "id")));
    }

  for (i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      g_test_message ("role %s", roles[i]);
      g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (per_role, roles[i])), >=, 2);
    }
  g_assert_cmpuint (g_hash_table_size (per_role), ==, G_N_ELEMENTS (roles));
}

static void
test_stats (void)
{
  const char *path = ensure_demo_db ();
  g_autoptr(EsaCliResult) result = esa_cli_test_run ("--db", path, "stats", "--json", NULL);
  g_autoptr(EsaCliResult) text = esa_cli_test_run ("--db", path, "stats", NULL);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *stats, *totals;
  JsonArray *offices;
  gint64 debtors = 0, positions = 0, cases = 0;
  guint i;

  g_assert_cmpint (result->status, ==, 0);
  g_assert_cmpint (text->status, ==, 0);
  root = esa_cli_test_parse_json (result->out);
  stats = json_node_get_object (root);
  esa_cli_test_assert_members (stats, "offices,totals");
  offices = json_object_get_array_member (stats, "offices");
  g_assert_cmpint (json_array_get_length (offices), ==,
                   esa_cli_test_sql_int (path, "SELECT count(*) FROM offices", NULL));

  for (i = 0; i < json_array_get_length (offices); i++)
    {
      JsonObject *office = json_array_get_object_element (offices, i);
      const char *id = json_object_get_string_member (office, "office");

      esa_cli_test_assert_members (office, "office,name,debtors,positions,cases");
      g_assert_cmpint (json_object_get_int_member (office, "debtors"), ==,
                       esa_cli_test_sql_int (path,
                                             "SELECT count(*) FROM debtors WHERE office_id = ?",
                                             id));
      g_assert_cmpint (json_object_get_int_member (office, "cases"), ==,
                       esa_cli_test_sql_int (path, "SELECT count(*) FROM cases WHERE office_id = ?",
                                             id));
      debtors += json_object_get_int_member (office, "debtors");
      positions += json_object_get_int_member (office, "positions");
      cases += json_object_get_int_member (office, "cases");
      g_assert_nonnull (strstr (text->out, json_object_get_string_member (office, "name")));
    }

  totals = json_object_get_object_member (stats, "totals");
  esa_cli_test_assert_members (totals, "debtors,positions,cases");
  g_assert_cmpint (json_object_get_int_member (totals, "debtors"), ==, debtors);
  g_assert_cmpint (json_object_get_int_member (totals, "positions"), ==, positions);
  g_assert_cmpint (json_object_get_int_member (totals, "cases"), ==, cases);
  g_assert_cmpint (debtors, ==, DEMO_DEBTORS);
  g_assert_cmpint (positions, ==,
                   esa_cli_test_sql_int (path, "SELECT count(*) FROM positions", NULL));
  g_assert_cmpint (cases, ==, esa_cli_test_sql_int (path, "SELECT count(*) FROM cases", NULL));
}

static gboolean
hits_contain (JsonArray  *hits,
              const char *id)
{
  guint i;

  for (i = 0; i < json_array_get_length (hits); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (hits, i),
                                                    "id"), id))
      return TRUE;

  return FALSE;
}

static void
test_search (void)
{
  const char *path = ensure_demo_db ();
  sqlite3 *db = esa_cli_test_sql_open (path);
  sqlite3_stmt *stmt = esa_cli_test_sql_prepare (db, "SELECT id, name, tax_id FROM debtors "
                                                     "WHERE tax_id IS NOT NULL "
                                                     "ORDER BY num LIMIT 3 OFFSET 37");
  guint n_checked = 0;

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      const char *name = (const char *) sqlite3_column_text (stmt, 1);
      const char *tax_id = (const char *) sqlite3_column_text (stmt, 2);
      g_autoptr(EsaCliResult) by_name = esa_cli_test_run ("--db", path, "search", "--json",
                                                          "--limit", "500", name, NULL);
      g_autoptr(EsaCliResult) by_tax_id = esa_cli_test_run ("--db", path, "search", "--json",
                                                            tax_id, NULL);
      g_autoptr(EsaCliResult) text = esa_cli_test_run ("--db", path, "search", tax_id, NULL);
      g_autoptr(JsonNode) name_root = NULL;
      g_autoptr(JsonNode) tax_root = NULL;
      JsonArray *hits;
      JsonObject *first;

      g_assert_cmpint (by_name->status, ==, 0);
      name_root = esa_cli_test_parse_json (by_name->out);
      g_assert_true (hits_contain (json_node_get_array (name_root), id));

      /* An exact identifier comes first. */
      g_assert_cmpint (by_tax_id->status, ==, 0);
      tax_root = esa_cli_test_parse_json (by_tax_id->out);
      hits = json_node_get_array (tax_root);
      g_assert_cmpuint (json_array_get_length (hits), >=, 1);
      first = json_array_get_object_element (hits, 0);
      esa_cli_test_assert_members (first, "id,name,tax_id");
      g_assert_cmpstr (json_object_get_string_member (first, "id"), ==, id);
      g_assert_cmpstr (json_object_get_string_member (first, "name"), ==, name);
      g_assert_cmpstr (json_object_get_string_member (first, "tax_id"), ==, tax_id);

      g_assert_cmpint (text->status, ==, 0);
      g_assert_nonnull (strstr (text->out, id));
      g_assert_nonnull (strstr (text->out, name));
      n_checked++;
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_assert_cmpuint (n_checked, ==, 3);
}

static void
test_search_limits (void)
{
  const char *path = ensure_demo_db ();
  g_autoptr(GPtrArray) names = esa_cli_test_sql_strings (path, "SELECT name FROM debtors "
                                                               "ORDER BY num LIMIT 1");
  g_autofree char *prefix = g_utf8_substring (g_ptr_array_index (names, 0), 0, 1);
  g_autoptr(EsaCliResult) all = esa_cli_test_run ("--db", path, "search", "--json", "--limit",
                                                  "1000", prefix, NULL);
  g_autoptr(EsaCliResult) one = esa_cli_test_run ("--db", path, "search", "--json", "--limit", "1",
                                                  prefix, NULL);
  g_autoptr(EsaCliResult) one_text = esa_cli_test_run ("--db", path, "search", "--limit", "1",
                                                       prefix, NULL);
  g_autoptr(EsaCliResult) none = esa_cli_test_run ("--db", path, "search", "--json", "Zzqxv", NULL);
  g_autoptr(EsaCliResult) blank = esa_cli_test_run ("--db", path, "search", "  ", NULL);
  g_autoptr(JsonNode) all_root = NULL;
  g_autoptr(JsonNode) one_root = NULL;
  g_autoptr(JsonNode) none_root = NULL;
  guint n_all;

  g_assert_cmpint (all->status, ==, 0);
  all_root = esa_cli_test_parse_json (all->out);
  n_all = json_array_get_length (json_node_get_array (all_root));
  g_assert_cmpuint (n_all, >, 1);

  g_assert_cmpint (one->status, ==, 0);
  one_root = esa_cli_test_parse_json (one->out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (one_root)), ==, 1);
  g_assert_cmpint (one_text->status, ==, 0);
  g_assert_nonnull (strstr (one_text->out, "More debtors match"));

  g_assert_cmpint (none->status, ==, 0);
  none_root = esa_cli_test_parse_json (none->out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (none_root)), ==, 0);

  g_assert_cmpint (blank->status, ==, 1);
}

typedef struct
{
  gint64 principal, sanctions, interest, costs, paid, balance;
} Sums;

static void
check_dossier (const char *path,
               const char *debtor_id)
{
  g_autoptr(EsaCliResult) result = esa_cli_test_run ("--db", path, "dossier", "--json", debtor_id,
                                                     NULL);
  g_autoptr(EsaCliResult) text = esa_cli_test_run ("--db", path, "dossier", debtor_id, NULL);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GHashTable) sums = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *positions_title = NULL;
  sqlite3 *db = esa_cli_test_sql_open (path);
  sqlite3_stmt *stmt;
  JsonObject *dossier;
  JsonArray *positions, *totals, *payments, *cases, *acts;
  guint i;

  g_assert_cmpint (result->status, ==, 0);
  root = esa_cli_test_parse_json (result->out);
  dossier = json_node_get_object (root);
  esa_cli_test_assert_members (dossier, "id,name,tax_id,totals,positions,cases,acts,payments");

  stmt = esa_cli_test_sql_prepare (db, "SELECT name, tax_id FROM debtors WHERE id = ?");
  sqlite3_bind_text (stmt, 1, debtor_id, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr (json_object_get_string_member (dossier, "id"), ==, debtor_id);
  g_assert_cmpstr (json_object_get_string_member (dossier, "name"), ==,
                   (const char *) sqlite3_column_text (stmt, 0));
  g_assert_cmpstr (json_object_get_string_member (dossier, "tax_id"), ==,
                   (const char *) sqlite3_column_text (stmt, 1));
  sqlite3_finalize (stmt);

  positions = json_object_get_array_member (dossier, "positions");
  g_assert_cmpint (json_array_get_length (positions), ==,
                   esa_cli_test_sql_int (path, "SELECT count(*) FROM positions WHERE debtor_id = ?",
                                         debtor_id));

  stmt = esa_cli_test_sql_prepare (db, "SELECT body_id, currency, principal, sanctions, interest, "
                                       "costs, paid, state FROM positions WHERE id = ?");
  for (i = 0; i < json_array_get_length (positions); i++)
    {
      JsonObject *position = json_array_get_object_element (positions, i);
      const char *body = json_object_get_string_member (position, "body");
      const char *currency = json_object_get_string_member (position, "currency");
      g_autofree char *key = g_strdup_printf ("%s|%s", body, currency);
      Sums *sum = g_hash_table_lookup (sums, key);
      gint64 principal = json_object_get_int_member (position, "principal");
      gint64 sanctions = json_object_get_int_member (position, "sanctions");
      gint64 interest = json_object_get_int_member (position, "interest");
      gint64 costs = json_object_get_int_member (position, "costs");
      gint64 paid = json_object_get_int_member (position, "paid");
      gint64 balance = json_object_get_int_member (position, "balance");

      esa_cli_test_assert_members (position,
                                   "id,body,reference,payment_reference,currency,principal,"
                                   "sanctions,interest,costs,paid,balance,state");
      g_assert_cmpint (balance, ==, principal + sanctions + interest + costs - paid);

      /* The amounts are the stored ones, in minor units. */
      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, json_object_get_string_member (position, "id"), -1,
                         SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpstr (body, ==, (const char *) sqlite3_column_text (stmt, 0));
      g_assert_cmpstr (currency, ==, (const char *) sqlite3_column_text (stmt, 1));
      g_assert_cmpint (principal, ==, sqlite3_column_int64 (stmt, 2));
      g_assert_cmpint (sanctions, ==, sqlite3_column_int64 (stmt, 3));
      g_assert_cmpint (interest, ==, sqlite3_column_int64 (stmt, 4));
      g_assert_cmpint (costs, ==, sqlite3_column_int64 (stmt, 5));
      g_assert_cmpint (paid, ==, sqlite3_column_int64 (stmt, 6));
      g_assert_cmpstr (json_object_get_string_member (position, "state"), ==,
                       (const char *) sqlite3_column_text (stmt, 7));

      /* What is owed leaves out positions that no longer are: cancelled
       * ones and those written off. */
      if (g_str_equal (json_object_get_string_member (position, "state"), "cancelled") ||
          g_str_equal (json_object_get_string_member (position, "state"), "written_off"))
        continue;

      if (sum == NULL)
        {
          sum = g_new0 (Sums, 1);
          g_hash_table_insert (sums, g_strdup (key), sum);
        }
      sum->principal += principal;
      sum->sanctions += sanctions;
      sum->interest += interest;
      sum->costs += costs;
      sum->paid += paid;
      sum->balance += balance;
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  /* One total per body and currency, each the sum of its positions still
   * owed. */
  totals = json_object_get_array_member (dossier, "totals");
  g_assert_cmpuint (json_array_get_length (totals), ==, g_hash_table_size (sums));
  for (i = 0; i < json_array_get_length (totals); i++)
    {
      JsonObject *total = json_array_get_object_element (totals, i);
      g_autofree char *key = g_strdup_printf ("%s|%s",
                                              json_object_get_string_member (total, "body"),
                                              json_object_get_string_member (total, "currency"));
      const Sums *sum = g_hash_table_lookup (sums, key);

      esa_cli_test_assert_members (total,
                                   "body,currency,principal,sanctions,interest,costs,paid,balance");
      g_assert_nonnull (sum);
      g_assert_cmpint (json_object_get_int_member (total, "principal"), ==, sum->principal);
      g_assert_cmpint (json_object_get_int_member (total, "sanctions"), ==, sum->sanctions);
      g_assert_cmpint (json_object_get_int_member (total, "interest"), ==, sum->interest);
      g_assert_cmpint (json_object_get_int_member (total, "costs"), ==, sum->costs);
      g_assert_cmpint (json_object_get_int_member (total, "paid"), ==, sum->paid);
      g_assert_cmpint (json_object_get_int_member (total, "balance"), ==, sum->balance);
      g_assert_cmpint (json_object_get_int_member (total, "balance"), ==,
                       sum->principal + sum->sanctions + sum->interest + sum->costs - sum->paid);
    }

  cases = json_object_get_array_member (dossier, "cases");
  g_assert_cmpint (json_array_get_length (cases), ==,
                   esa_cli_test_sql_int (path, "SELECT count(*) FROM cases WHERE debtor_id = ?",
                                         debtor_id));
  for (i = 0; i < json_array_get_length (cases); i++)
    esa_cli_test_assert_members (json_array_get_object_element (cases, i),
                                 "id,procedure,state,next_deadline");

  acts = json_object_get_array_member (dossier, "acts");
  g_assert_cmpint (json_array_get_length (acts), ==,
                   esa_cli_test_sql_int (path, "SELECT count(*) FROM acts WHERE debtor_id = ?",
                                         debtor_id));
  for (i = 0; i < json_array_get_length (acts); i++)
    esa_cli_test_assert_members (json_array_get_object_element (acts, i),
                                 "id,type,number,case,notification");

  payments = json_object_get_array_member (dossier, "payments");
  g_assert_cmpint (json_array_get_length (payments), ==,
                   esa_cli_test_sql_int (path, "SELECT count(*) FROM payments WHERE debtor_id = ?",
                                         debtor_id));
  for (i = 0; i < json_array_get_length (payments); i++)
    {
      JsonObject *payment = json_array_get_object_element (payments, i);

      esa_cli_test_assert_members (payment, "id,position,amount,currency,paid_on,reference");
      g_assert_cmpint (json_object_get_int_member (payment, "amount"), ==,
                       esa_cli_test_sql_int (path, "SELECT amount FROM payments WHERE id = ?",
                                             json_object_get_string_member (payment, "id")));
    }

  /* The readable summary shows the same debtor and positions. */
  g_assert_cmpint (text->status, ==, 0);
  g_assert_nonnull (strstr (text->out, json_object_get_string_member (dossier, "name")));
  positions_title = g_strdup_printf ("Positions (%u)", json_array_get_length (positions));
  g_assert_nonnull (strstr (text->out, positions_title));
}

static void
test_dossier (void)
{
  const char *path = ensure_demo_db ();
  /* Those with the most positions (several bodies, likely) and some with
   * payments against their positions. */
  g_autoptr(GPtrArray) busiest = esa_cli_test_sql_strings (path, "SELECT debtor_id FROM positions "
                                                                 "GROUP BY debtor_id "
                                                                 "ORDER BY count(*) DESC, "
                                                                 "debtor_id LIMIT 3");
  g_autoptr(GPtrArray) paying = esa_cli_test_sql_strings (path,
                                                          "SELECT DISTINCT debtor_id FROM payments "
                                                          "WHERE position_id IS NOT NULL "
                                                          "ORDER BY debtor_id LIMIT 3");
  guint i;

  g_assert_cmpuint (busiest->len, ==, 3);
  g_assert_cmpuint (paying->len, >=, 1);
  for (i = 0; i < busiest->len; i++)
    check_dossier (path, g_ptr_array_index (busiest, i));
  for (i = 0; i < paying->len; i++)
    check_dossier (path, g_ptr_array_index (paying, i));
}

static void
test_dossier_unknown (void)
{
  const char *path = ensure_demo_db ();
  const char *id = "00000000-0000-4000-8000-000000000000";
  g_autoptr(EsaCliResult) json = esa_cli_test_run ("--db", path, "dossier", "--json", id, NULL);
  g_autoptr(EsaCliResult) text = esa_cli_test_run ("--db", path, "dossier", id, NULL);

  g_assert_cmpint (esa_cli_test_sql_int (path, "SELECT count(*) FROM debtors WHERE id = ?", id), ==,
                   0);
  g_assert_cmpint (json->status, ==, 1);
  g_assert_cmpstr (json->out, ==, "");
  g_assert_nonnull (strstr (json->err, "no debtor with id"));
  g_assert_nonnull (strstr (json->err, id));
  g_assert_cmpint (text->status, ==, 1);
  g_assert_nonnull (strstr (text->err, "no debtor with id"));
}

/* Every command refuses @path with a message naming it, and leaves it as it
 * was, byte for byte. */
static void
assert_refused (const char *path)
{
  const char *commands[][4] = {
    { "init", NULL },
    { "demo", "--debtors", "5", NULL },
    { "bodies", "--json", NULL },
    { "users", NULL },
    { "stats", "--json", NULL },
    { "search", "Rossi", NULL },
    { "dossier", "00000000-0000-4000-8000-000000000000", NULL },
    { "audit", "verify", NULL },
  };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_length, after_length;
  guint i;

  before = read_file (path, &before_length);
  for (i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autoptr(EsaCliResult) result = esa_cli_test_run ("--db", path, commands[i][0],
                                                         commands[i][1], commands[i][2], NULL);

      g_test_message ("%s: %s", commands[i][0], result->err);
      g_assert_cmpint (result->status, ==, 2);
      g_assert_cmpstr (result->out, ==, "");
      g_assert_nonnull (strstr (result->err, path));
    }
  after = read_file (path, &after_length);

  g_assert_cmpuint (after_length, ==, before_length);
  g_assert_true (memcmp (before, after, before_length) == 0);
}

static void
test_refuse_random_bytes (void)
{
  g_autofree char *path = temp_path ("random.db");
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  char bytes[8192];
  guint i;

  for (i = 0; i < sizeof bytes; i++)
    bytes[i] = (char) g_rand_int_range (rand, 0, 256);
  write_file (path, bytes, sizeof bytes);

  assert_refused (path);
}

static void
test_refuse_truncated (void)
{
  g_autofree char *mid_page = copy_demo_db ("truncated-mid-page.db");
  g_autofree char *half = copy_demo_db ("truncated-half.db");
  gint64 page_size = esa_cli_test_sql_int (half, "PRAGMA page_size", NULL);
  g_autofree char *contents = NULL;
  gsize length;

  contents = read_file (half, &length);
  g_assert_cmpuint (length, >, 4 * page_size);

  /* A copy interrupted inside a page, early: not even the schema is whole. */
  write_file (mid_page, contents, (gsize) (2 * page_size + page_size / 3));
  assert_refused (mid_page);

  /* A copy interrupted at a page boundary, halfway: every page there is
   * reads well, the rest is missing. */
  write_file (half, contents, (gsize) (length / 2 / page_size * page_size));
  assert_refused (half);
}

static void
test_refuse_foreign (void)
{
  g_autofree char *path = temp_path ("foreign.db");

  esa_cli_test_sql_exec (path,
                         "CREATE TABLE IF NOT EXISTS recipes (id INTEGER PRIMARY KEY, title TEXT);"
                         "INSERT INTO recipes (title) VALUES ('Risotto'), ('Rösti');");

  assert_refused (path);
  g_assert_cmpint (esa_cli_test_sql_int (path, "SELECT count(*) FROM recipes", NULL), ==, 2);
}

static void
test_refuse_newer_schema (void)
{
  g_autofree char *path = copy_demo_db ("newer.db");
  g_autofree char *pragma = NULL;

  pragma = g_strdup_printf ("PRAGMA user_version = %" G_GINT64_FORMAT,
                            esa_cli_test_sql_int (path, "PRAGMA user_version", NULL) + 100);
  esa_cli_test_sql_exec (path, pragma);

  assert_refused (path);
}

static void
test_audit (void)
{
  g_autofree char *path = copy_demo_db ("audit.db");
  g_autoptr(EsaCliResult) intact = esa_cli_test_run ("--db", path, "audit", "verify", NULL);
  g_autoptr(EsaCliResult) tampered = NULL;
  g_autoptr(EsaCliResult) bad_action = esa_cli_test_run ("--db", path, "audit", "repair", NULL);
  g_autoptr(GRegex) names_entry = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *update = NULL;
  g_autofree char *pattern = NULL;
  gint64 n_entries = esa_cli_test_sql_int (path, "SELECT count(*) FROM audit", NULL);
  gint64 seq;

  g_assert_cmpint (n_entries, >, 1);
  g_assert_cmpint (intact->status, ==, 0);
  expected = g_strdup_printf ("%" G_GINT64_FORMAT " entries verified\n", n_entries);
  g_assert_cmpstr (intact->out, ==, expected);

  g_assert_cmpint (bad_action->status, ==, 1);
  g_assert_nonnull (strstr (bad_action->err, "repair"));

  /* Someone with the file and sqlite3 rewrites history in the middle. */
  seq = esa_cli_test_sql_int (path, "SELECT seq FROM audit ORDER BY seq LIMIT 1 "
                                    "OFFSET (SELECT count(*) / 2 "
                                    "FROM audit)", NULL);
  update = g_strdup_printf ("UPDATE audit SET summary = summary || ' (corrected)' "
                            "WHERE seq = %" G_GINT64_FORMAT, seq);
  esa_cli_test_sql_exec (path, update);

  tampered = esa_cli_test_run ("--db", path, "audit", "verify", NULL);
  g_assert_cmpint (tampered->status, ==, 1);
  g_assert_cmpstr (tampered->out, ==, "");
  pattern = g_strdup_printf ("entry %" G_GINT64_FORMAT "\\b", seq);
  names_entry = g_regex_new (pattern, 0, 0, NULL);
  g_assert_true (g_regex_match (names_entry, tampered->err, 0, NULL));
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  tmpdir = esa_cli_test_make_dir ("esattore-cli-XXXXXX");

  g_test_add_func ("/cli/usage", test_usage);
  g_test_add_func ("/cli/check-id/valid", test_check_id_valid);
  g_test_add_func ("/cli/check-id/invalid", test_check_id_invalid);
  g_test_add_func ("/cli/check-id/unknown-kind", test_check_id_unknown_kind);
  g_test_add_func ("/cli/init-demo", test_init_demo);
  g_test_add_func ("/cli/bodies", test_bodies);
  g_test_add_func ("/cli/users", test_users);
  g_test_add_func ("/cli/stats", test_stats);
  g_test_add_func ("/cli/search", test_search);
  g_test_add_func ("/cli/search/limits", test_search_limits);
  g_test_add_func ("/cli/dossier", test_dossier);
  g_test_add_func ("/cli/dossier/unknown", test_dossier_unknown);
  g_test_add_func ("/cli/refuse/random-bytes", test_refuse_random_bytes);
  g_test_add_func ("/cli/refuse/truncated", test_refuse_truncated);
  g_test_add_func ("/cli/refuse/foreign-sqlite", test_refuse_foreign);
  g_test_add_func ("/cli/refuse/newer-schema", test_refuse_newer_schema);
  g_test_add_func ("/cli/audit", test_audit);

  status = g_test_run ();

  esa_cli_test_remove_dir (tmpdir);
  g_free (demo_db);
  g_free (tmpdir);

  return status;
}
