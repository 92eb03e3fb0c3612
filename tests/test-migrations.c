/* test-migrations.c: opening, identifying and migrating database files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "esa-core.h"
#include "esa-store-private.h"

/* Every table step 1 creates. */
static const char * const step1_tables[] = {
  "bodies", "offices", "office_bodies", "users", "debtors", "addresses", "debtor_contacts",
  "relations", "load_lists", "positions", "cases", "case_positions", "acts", "notifications",
  "payments", "instalment_plans", "instalments", "documents", "contact_log", "audit", "outbox",
  "debtor_search",
};

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("esa-migrations-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "test.db", NULL);
}

static void
remove_if_present (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    g_assert_cmpint (g_remove (path), ==, 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (fixture->path, "-shm", NULL);

  remove_if_present (fixture->path);
  remove_if_present (wal);
  remove_if_present (shm);
  g_assert_cmpint (g_rmdir (fixture->dir), ==, 0);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static sqlite3 *
raw_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  return db;
}

static void
raw_exec (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;
  int rc = sqlite3_exec (db, sql, NULL, NULL, &message);

  if (rc != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static gint64
raw_int (sqlite3    *db,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static char *
raw_text (sqlite3    *db,
          const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static gboolean
table_exists (sqlite3    *db,
              const char *name)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM sqlite_schema "
                                          "WHERE type = 'table' AND name = '%s'",
                                          name);

  return raw_int (db, sql) == 1;
}

/* Brings a raw database to @version with the embedded steps, as an older
 * build of Esattore would have left it. */
static void
raw_migrate_to (sqlite3 *db,
                gint     version)
{
  for (gint step = 1; step <= version; step++)
    {
      g_autoptr(GBytes) sql = _esa_store_get_migration (step);
      g_autofree char *text = g_strndup (g_bytes_get_data (sql, NULL), g_bytes_get_size (sql));
      g_autofree char *pragmas = g_strdup_printf ("PRAGMA application_id = %d; "
                                                  "PRAGMA user_version = %d;",
                                                  ESA_STORE_APPLICATION_ID, step);

      raw_exec (db, "BEGIN");
      raw_exec (db, text);
      raw_exec (db, pragmas);
      raw_exec (db, "COMMIT");
    }
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

static void
assert_no_side_files (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autofree char *journal = g_strconcat (path, "-journal", NULL);

  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (shm, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));
}

/* Opening @path must fail with @code and a message naming the file, and
 * leave every byte of it as it was. */
static void
assert_refused_untouched (const char *path,
                          gint        code,
                          const char *message_part)
{
  g_autoptr(GBytes) before = read_bytes (path);
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaStore) store = NULL;

  store = esa_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, ESA_STORE_ERROR, code);
  g_assert_nonnull (strstr (error->message, path));
  if (message_part != NULL)
    g_assert_nonnull (strstr (error->message, message_part));

  after = read_bytes (path);
  g_assert_true (g_bytes_equal (before, after));
}

/* Step 1 on a new file creates every table, marks the file as Esattore's
 * and sets the connection up as the design asks. */
static void
test_step1_creates_tables (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaStore) store = NULL;
  g_autofree char *journal_mode = NULL;
  sqlite3 *db;

  store = esa_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_cmpstr (esa_store_get_path (store), ==, fixture->path);
  g_assert_cmpint (esa_store_get_schema_version (store), ==, esa_store_current_schema_version ());

  db = _esa_store_get_db (store);
  for (guint i = 0; i < G_N_ELEMENTS (step1_tables); i++)
    {
      if (!table_exists (db, step1_tables[i]))
        g_error ("table %s is missing after step 1", step1_tables[i]);
    }
  g_assert_cmpint (raw_int (db, "PRAGMA application_id"), ==, ESA_STORE_APPLICATION_ID);
  g_assert_cmpint (raw_int (db, "PRAGMA user_version"), ==, esa_store_current_schema_version ());
  g_assert_cmpint (raw_int (db, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (raw_int (db, "PRAGMA synchronous"), ==, 1);
  journal_mode = raw_text (db, "PRAGMA journal_mode");
  g_assert_cmpstr (journal_mode, ==, "wal");
}

/* The same through the in-memory store the other tests use. */
static void
test_memory_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaStore) store = esa_store_open_memory (&error);
  sqlite3 *db;

  g_assert_no_error (error);
  g_assert_null (esa_store_get_path (store));
  db = _esa_store_get_db (store);
  for (guint i = 0; i < G_N_ELEMENTS (step1_tables); i++)
    g_assert_true (table_exists (db, step1_tables[i]));
  g_assert_cmpint (raw_int (db, "PRAGMA foreign_keys"), ==, 1);
}

/* Opening a current database again changes nothing, not one byte. */
static void
test_reopen_is_noop (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  EsaStore *store;
  EsaOffice office = { NULL, "Ufficio", "Lugano", "CH" };
  g_autofree char *office_id = NULL;

  store = esa_store_open (fixture->path, &error);
  g_assert_no_error (error);
  office_id = esa_store_add_office (store, &office, &error);
  g_assert_no_error (error);
  g_object_unref (store);
  before = read_bytes (fixture->path);

  store = esa_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (esa_store_get_schema_version (store), ==, esa_store_current_schema_version ());
  g_object_unref (store);
  after = read_bytes (fixture->path);

  g_assert_true (g_bytes_equal (before, after));
}

/* A database left at each earlier version by an older build is brought to
 * the current one, its rows kept. One case per step: the database is at
 * version step - 1 when this build opens it. */
static void
test_upgrade_from_each_version (Fixture       *fixture,
                                gconstpointer  data)
{
  for (gint version = 1; version <= esa_store_current_schema_version (); version++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(EsaStore) store = NULL;
      g_autoptr(GPtrArray) offices = NULL;
      sqlite3 *db = raw_open (fixture->path);

      raw_exec (db, "PRAGMA journal_mode = WAL");
      raw_migrate_to (db, version);
      raw_exec (db, "INSERT INTO offices (id, name, country) VALUES ('o1', 'Sede', 'IT')");
      sqlite3_close (db);

      store = esa_store_open (fixture->path, &error);
      g_assert_no_error (error);
      g_assert_cmpint (esa_store_get_schema_version (store), ==,
                       esa_store_current_schema_version ());
      offices = esa_store_list_offices (store, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (offices->len, ==, 1);
      g_assert_cmpstr (((EsaOffice *) offices->pdata[0])->name, ==, "Sede");

      g_clear_object (&store);
      g_assert_cmpint (g_remove (fixture->path), ==, 0);
    }
}

/* Step 2 adds the steps of cases to a database of step 1 that holds data:
 * the rows stay, the new tables start empty, and the first action run on
 * an old case numbers its act after the acts it already has. */
static void
test_step2_upgrade_with_data (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(EsaParameters) params = NULL;
  g_autoptr(GPtrArray) procedures = NULL;
  g_autoptr(GPtrArray) statuses = NULL;
  g_autoptr(EsaCase) case_ = NULL;
  g_autofree char *dir = esa_data_dir ("procedures");
  g_autofree char *event_id = NULL;
  g_autofree char *number = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *insert_act = NULL;
  const char *prefix;
  GDate on;
  sqlite3 *db = raw_open (fixture->path);

  params = esa_parameters_load_default (&error);
  g_assert_no_error (error);
  g_date_clear (&on, 1);
  g_date_set_dmy (&on, 14, G_DATE_JANUARY, 2026);
  prefix = esa_parameters_get_text (params, "it.act_number.injunction", &on, NULL, &error);
  g_assert_no_error (error);

  raw_exec (db, "PRAGMA journal_mode = WAL");
  raw_migrate_to (db, 1);
  raw_exec (db,
            "INSERT INTO bodies (id, name, country, currency) "
            "  VALUES ('b1', 'Comune', 'IT', 'EUR');"
            "INSERT INTO offices (id, name, country) VALUES ('o1', 'Sede', 'IT');"
            "INSERT INTO users (id, name, login, role, office_id) "
            "  VALUES ('u1', 'Anna', 'anna', 'officer', 'o1');"
            "INSERT INTO debtors (id, kind, name, office_id) "
            "  VALUES ('d1', 'person', 'Rossi Mario', 'o1');"
            "INSERT INTO positions (id, debtor_id, body_id, revenue_type, year, reference, "
            "  due_date, currency, principal) "
            "  VALUES ('p1', 'd1', 'b1', 'TARI', 2025, 'T-1', '2025-06-30', 'EUR', 12000);"
            "INSERT INTO cases (id, debtor_id, body_id, office_id, procedure_id, state, "
            "  opened_on) VALUES ('c1', 'd1', 'b1', 'o1', 'it-coercive', 'approved', "
            "  '2026-01-02');"
            "INSERT INTO case_positions (case_id, position_id) VALUES ('c1', 'p1');");
  insert_act = g_strdup_printf ("INSERT INTO acts (id, case_id, debtor_id, type, number, "
                                "issued_on) VALUES ('a1', 'c1', 'd1', 'injunction', "
                                "'%s-2026-000007', '2026-01-03')",
                                prefix);
  raw_exec (db, insert_act);
  sqlite3_close (db);

  store = esa_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (esa_store_get_schema_version (store), ==, esa_store_current_schema_version ());
  db = _esa_store_get_db (store);
  g_assert_true (table_exists (db, "case_events"));
  g_assert_true (table_exists (db, "case_event_acts"));
  g_assert_true (table_exists (db, "act_counters"));
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM case_events"), ==, 0);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM acts"), ==, 1);
  case_ = esa_store_get_case (store, "c1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (case_->state, ==, "approved");

  procedures = esa_procedure_load_dir (dir, params, &error);
  g_assert_no_error (error);
  esa_store_set_procedures (store, procedures, params);
  esa_store_set_acting_user (store, "u1");

  /* The old case has no steps, yet its actions are evaluated... */
  statuses = esa_store_case_actions (store, "c1", &on, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (statuses->len, >, 0);

  /* ...and run, numbered after the act it already has. */
  event_id = esa_store_case_do (store, "c1", "issue_injunction", &on, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM case_events"), ==, 1);
  number = raw_text (db, "SELECT a.number FROM acts a "
                         "JOIN case_event_acts ea ON ea.act_id = a.id");
  expected = g_strdup_printf ("%s-2026-000008", prefix);
  g_assert_cmpstr (number, ==, expected);
}

/* Every step runs in its own transaction: a failing step leaves the file at
 * the version before it. Simulated by a database at version 0 of ours that
 * already holds a table step 1 wants to create. */
static void
test_failed_step_rolls_back (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaStore) store = NULL;
  g_autofree char *pragma = g_strdup_printf ("PRAGMA application_id = %d",
                                             ESA_STORE_APPLICATION_ID);
  sqlite3 *db = raw_open (fixture->path);

  raw_exec (db, pragma);
  raw_exec (db, "CREATE TABLE outbox (x)");
  sqlite3_close (db);

  store = esa_store_open (fixture->path, &error);
  g_assert_null (store);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "schema version 1"));

  db = raw_open (fixture->path);
  g_assert_cmpint (raw_int (db, "PRAGMA user_version"), ==, 0);
  g_assert_false (table_exists (db, "bodies"));
  sqlite3_close (db);
}

/* A file written by a newer Esattore is refused untouched. */
static void
test_too_new_refused (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *pragmas = g_strdup_printf ("PRAGMA application_id = %d; "
                                              "PRAGMA user_version = %d;",
                                              ESA_STORE_APPLICATION_ID,
                                              esa_store_current_schema_version () + 1);
  sqlite3 *db = raw_open (fixture->path);

  raw_migrate_to (db, esa_store_current_schema_version ());
  raw_exec (db, pragmas);
  sqlite3_close (db);

  assert_refused_untouched (fixture->path, ESA_STORE_ERROR_TOO_NEW, "newer version");
  assert_no_side_files (fixture->path);
}

/* The same when a write-ahead log holds the newer version: SQLite has to
 * read it, and the file still is not written. */
static void
test_too_new_in_wal_refused (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *pragma = g_strdup_printf ("PRAGMA user_version = %d",
                                             esa_store_current_schema_version () + 1);
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  sqlite3 *db = raw_open (fixture->path);

  raw_exec (db, "PRAGMA journal_mode = WAL");
  raw_migrate_to (db, esa_store_current_schema_version ());
  raw_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)");
  raw_exec (db, pragma);
  /* The log keeps the change when the writer closes, as after a crash. */
  sqlite3_db_config (db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
  sqlite3_close (db);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));

  assert_refused_untouched (fixture->path, ESA_STORE_ERROR_TOO_NEW, "newer version");
}

/* An SQLite file of another program is refused untouched. */
static void
test_foreign_refused (Fixture       *fixture,
                      gconstpointer  data)
{
  sqlite3 *db = raw_open (fixture->path);

  raw_exec (db, "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT);"
                "INSERT INTO notes (text) VALUES ('buy milk');");
  sqlite3_close (db);

  assert_refused_untouched (fixture->path, ESA_STORE_ERROR_FOREIGN, "another program");
  assert_no_side_files (fixture->path);
}

/* One with an application id of its own, and in WAL mode. */
static void
test_foreign_with_application_id_refused (Fixture       *fixture,
                                          gconstpointer  data)
{
  sqlite3 *db = raw_open (fixture->path);

  raw_exec (db, "PRAGMA journal_mode = WAL;"
                "PRAGMA application_id = 1234;"
                "CREATE TABLE places (name TEXT);");
  sqlite3_close (db);

  assert_refused_untouched (fixture->path, ESA_STORE_ERROR_FOREIGN, "another program");
  assert_no_side_files (fixture->path);
}

/* Random bytes are not a database; neither is a short text file. */
static void
test_random_bytes_refused (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  gsize size = 64 * 1024;
  g_autofree guint8 *bytes = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    bytes[i] = (guint8) g_rand_int_range (rand, 0, 256);
  g_file_set_contents (fixture->path, (const char *) bytes, size, &error);
  g_assert_no_error (error);
  assert_refused_untouched (fixture->path, ESA_STORE_ERROR_NOT_A_DATABASE, "not an SQLite file");
  assert_no_side_files (fixture->path);

  g_file_set_contents (fixture->path, "hello\n", -1, &error);
  g_assert_no_error (error);
  assert_refused_untouched (fixture->path, ESA_STORE_ERROR_NOT_A_DATABASE, "not an SQLite file");
}

/* A database cut short, in several ways, is named as damaged. */
static void
test_truncated_refused (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) whole = NULL;
  EsaStore *store;
  const guint8 *bytes;
  gsize size;
  gsize page_size;

  store = esa_store_open (fixture->path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *name = g_strdup_printf ("Ufficio %u con un nome abbastanza lungo", i);
      EsaOffice office = { NULL, name, "Lugano", "CH" };
      g_autofree char *id = esa_store_add_office (store, &office, &error);

      g_assert_no_error (error);
    }
  g_object_unref (store);

  whole = read_bytes (fixture->path);
  bytes = g_bytes_get_data (whole, &size);
  page_size = ((gsize) bytes[16] << 8) | bytes[17];
  g_assert_cmpuint (size, >, 4 * page_size);

  /* Whole pages missing at the end. */
  g_file_set_contents (fixture->path, (const char *) bytes,
                       (gssize) (size / page_size / 2 * page_size), &error);
  g_assert_no_error (error);
  assert_refused_untouched (fixture->path, ESA_STORE_ERROR_CORRUPT, "truncated");

  /* Cut inside a page. */
  g_file_set_contents (fixture->path, (const char *) bytes, (gssize) (size - 100), &error);
  g_assert_no_error (error);
  assert_refused_untouched (fixture->path, ESA_STORE_ERROR_CORRUPT, "damaged");

  /* Cut inside the header. */
  g_file_set_contents (fixture->path, (const char *) bytes, 50, &error);
  g_assert_no_error (error);
  assert_refused_untouched (fixture->path, ESA_STORE_ERROR_CORRUPT, "damaged");
}

/* The first page intact, every other page overwritten: the quick check on
 * open finds it, and nothing crashes. */
static void
test_garbled_pages_refused (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) whole = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autofree guint8 *garbled = NULL;
  g_autoptr(EsaStore) store = NULL;
  gsize size;
  gsize page_size;

  store = esa_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  whole = read_bytes (fixture->path);
  size = g_bytes_get_size (whole);
  garbled = g_memdup2 (g_bytes_get_data (whole, NULL), size);
  page_size = ((gsize) garbled[16] << 8) | garbled[17];
  for (gsize i = page_size; i < size; i++)
    garbled[i] = (guint8) g_rand_int_range (rand, 0, 256);
  g_file_set_contents (fixture->path, (const char *) garbled, (gssize) size, &error);
  g_assert_no_error (error);

  store = esa_store_open (fixture->path, &error);
  g_assert_null (store);
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, fixture->path));
}

/* Decision: an empty file is a new database. It is what `touch` or a
 * creation interrupted before SQLite wrote its first page leaves, and it
 * holds nothing that could be lost. */
static void
test_empty_file_is_new (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaStore) store = NULL;

  g_file_set_contents (fixture->path, "", 0, &error);
  g_assert_no_error (error);

  store = esa_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (esa_store_get_schema_version (store), ==, esa_store_current_schema_version ());
  g_assert_true (table_exists (_esa_store_get_db (store), "debtors"));
}

/* So is an SQLite file with nothing in it. */
static void
test_blank_sqlite_file_is_new (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaStore) store = NULL;
  sqlite3 *db = raw_open (fixture->path);

  raw_exec (db, "PRAGMA page_size = 4096; VACUUM;");
  sqlite3_close (db);

  store = esa_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (esa_store_get_schema_version (store), ==, esa_store_current_schema_version ());
}

static void
test_directory_refused (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaStore) store = esa_store_open (fixture->dir, &error);

  g_assert_null (store);
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_NOT_A_DATABASE);
  g_assert_nonnull (strstr (error->message, fixture->dir));
}

static void
test_missing_directory (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "no", "such", "dir.db", NULL);
  g_autoptr(EsaStore) store = esa_store_open (path, &error);

  g_assert_null (store);
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_IO);
  g_assert_nonnull (strstr (error->message, path));
}

/* Step 6 (queues and contact center) on a database with contacts logged
 * before it: they keep their data and count as "info" contacts of no body;
 * the new tables and the knowledge cards' full-text index work. */
static void
test_step6_upgrade_with_data (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaStore) store = NULL;
  g_autofree char *outcome = NULL;
  sqlite3 *db = raw_open (fixture->path);

  raw_migrate_to (db, 5);
  raw_exec (db,
            "INSERT INTO offices (id, name, country) VALUES ('o1', 'Sede', 'IT');"
            "INSERT INTO users (id, name, login, role, office_id) "
            "  VALUES ('u1', 'Anna', 'anna', 'contact_operator', 'o1');"
            "INSERT INTO debtors (id, kind, name, office_id) "
            "  VALUES ('d1', 'person', 'Rossi Mario', 'o1');"
            "INSERT INTO contact_log (id, debtor_id, channel, direction, occurred_at, user_id, "
            "  subject, duration_s) VALUES ('k1', 'd1', 'phone', 'in', "
            "  '2026-10-01T08:00:00Z', 'u1', 'Asked about a payment', 180);");
  sqlite3_close (db);

  store = esa_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (esa_store_get_schema_version (store), ==, esa_store_current_schema_version ());
  db = _esa_store_get_db (store);
  outcome = raw_text (db, "SELECT outcome || '/' || duration_s || '/' || "
                          "coalesce(body_id, '-') FROM contact_log WHERE id = 'k1'");
  g_assert_cmpstr (outcome, ==, "info/180/-");
  g_assert_true (table_exists (db, "tickets"));
  g_assert_true (table_exists (db, "ticket_events"));
  g_assert_true (table_exists (db, "queue_assignments"));
  g_assert_true (table_exists (db, "queue_batches"));
  g_assert_true (table_exists (db, "appointments"));

  raw_exec (db, "INSERT INTO knowledge_cards (id, title, body, language, updated_at) "
                "VALUES ('kc1', 'Rateizzazione', 'Come pagare a rate', 'it', "
                "'2026-10-01T08:00:00Z')");
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM knowledge_search "
                                "WHERE knowledge_search MATCH 'rate*'"), ==, 1);
  raw_exec (db, "UPDATE knowledge_cards SET body = 'Dilazione' WHERE id = 'kc1'");
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM knowledge_search "
                                "WHERE knowledge_search MATCH 'rate'"), ==, 0);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM knowledge_search "
                                "WHERE knowledge_search MATCH 'dilazione'"), ==, 1);
}

/* Step 7 (offline sync) on a database of step 6 with data and a pending
 * operation: the rows and the operation stay (the old operation carries no
 * row images), the sync tables exist, the capture triggers are made on
 * opening, and a write from then on records its rows with its operation. */
static void
test_step7_upgrade_with_data (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaStore) store = NULL;
  g_autofree char *rows = NULL;
  sqlite3 *db = raw_open (fixture->path);

  raw_migrate_to (db, 6);
  raw_exec (db,
            "INSERT INTO offices (id, name, country) VALUES ('o1', 'Sede', 'IT');"
            "INSERT INTO debtors (id, kind, name, office_id) "
            "  VALUES ('d1', 'person', 'Rossi Mario', 'o1');"
            "INSERT INTO outbox (op_id, kind, entity, entity_id, payload, base_version, hlc, "
            "  schema_version, created_at) VALUES ('op1', 'event', 'debtor', 'd1', '{}', 0, "
            "  '1700000000000-000000', 6, '2026-10-01T08:00:00Z');");
  sqlite3_close (db);

  store = esa_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (esa_store_get_schema_version (store), >=, 7);
  db = _esa_store_get_db (store);
  g_assert_true (table_exists (db, "sync_state"));
  g_assert_true (table_exists (db, "sync_capture"));
  g_assert_true (table_exists (db, "conflicts"));
  g_assert_true (table_exists (db, "assignments"));
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM outbox WHERE op_id = 'op1' "
                                "AND rows IS NULL AND acked_at IS NULL"), ==, 1);
  g_assert_cmpint (raw_int (db, "SELECT capture FROM sync_switch"), ==, 1);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' "
                                "AND name = 'sync_debtors_upd'"), ==, 1);

  g_assert_true (esa_store_update_debtor_field (store, "d1", "name", "Rossi Maria", &error));
  g_assert_no_error (error);
  rows = raw_text (db, "SELECT rows FROM outbox ORDER BY seq DESC LIMIT 1");
  g_assert_nonnull (strstr (rows, "\"Rossi Maria\""));
  g_assert_nonnull (strstr (rows, "\"Rossi Mario\""));
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM sync_capture"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/migrations/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("step1-creates-tables", test_step1_creates_tables);
  g_test_add_func ("/migrations/memory-store", test_memory_store);
  ADD ("reopen-is-noop", test_reopen_is_noop);
  ADD ("upgrade-from-each-version", test_upgrade_from_each_version);
  ADD ("step2-upgrade-with-data", test_step2_upgrade_with_data);
  ADD ("step6-upgrade-with-data", test_step6_upgrade_with_data);
  ADD ("step7-upgrade-with-data", test_step7_upgrade_with_data);
  ADD ("failed-step-rolls-back", test_failed_step_rolls_back);
  ADD ("too-new-refused", test_too_new_refused);
  ADD ("too-new-in-wal-refused", test_too_new_in_wal_refused);
  ADD ("foreign-refused", test_foreign_refused);
  ADD ("foreign-with-application-id-refused", test_foreign_with_application_id_refused);
  ADD ("random-bytes-refused", test_random_bytes_refused);
  ADD ("truncated-refused", test_truncated_refused);
  ADD ("garbled-pages-refused", test_garbled_pages_refused);
  ADD ("empty-file-is-new", test_empty_file_is_new);
  ADD ("blank-sqlite-file-is-new", test_blank_sqlite_file_is_new);
  ADD ("directory-refused", test_directory_refused);
  ADD ("missing-directory", test_missing_directory);

#undef ADD

  return g_test_run ();
}
