/* test-sync-store.c: the store's side of sync: captured row images in the
 * outbox, pulled pages, acknowledgements and conflict reverts, purges,
 * conflicts and assignments
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>

#include "esa-demo.h"
#include "esa-store-private.h"
#include "esa-store-sync.h"

static gint64
sql_int (EsaStore   *store,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (_esa_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static char *
sql_text (EsaStore   *store,
          const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_esa_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static EsaStore *
demo_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaStore) store = esa_store_open_memory (&error);
  EsaDemoOptions options;

  g_assert_no_error (error);
  esa_demo_options_init (&options);
  options.debtors = 12;
  options.seed = 7;
  options.today = "2026-11-01";
  g_assert_true (esa_demo_generate (store, &options, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&store);
}

/* The rows of every pending operation as pull rows {"t","k","after"}. */
static JsonArray *
pending_as_pull (EsaStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) ops = NULL;
  JsonArray *rows = json_array_new ();
  gint64 last;

  ops = esa_store_sync_pending_ops (store, 0, 10000, &last, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < json_array_get_length (ops); i++)
    {
      JsonObject *op = json_array_get_object_element (ops, i);
      JsonArray *op_rows = json_object_get_array_member (op, "rows");

      for (guint r = 0; r < json_array_get_length (op_rows); r++)
        {
          JsonObject *row = json_array_get_object_element (op_rows, r);
          JsonObject *pulled = json_object_new ();

          json_object_set_string_member (pulled, "t", json_object_get_string_member (row, "t"));
          json_object_set_string_member (pulled, "k", json_object_get_string_member (row, "k"));
          json_object_set_member (pulled, "after",
                                  json_node_copy (json_object_get_member (row, "after")));
          json_array_add_object_element (rows, pulled);
        }
    }
  return rows;
}

static void
assert_tables_equal (EsaStore *a,
                     EsaStore *b)
{
  const EsaSyncTable *tables;
  guint n;

  tables = esa_store_sync_tables (&n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) dump_a = esa_store_sync_dump_table (a, tables[i].name, &error);
      g_autoptr(JsonObject) dump_b = NULL;
      g_autoptr(JsonNode) node_a = NULL;
      g_autoptr(JsonNode) node_b = NULL;

      g_assert_no_error (error);
      dump_b = esa_store_sync_dump_table (b, tables[i].name, &error);
      g_assert_no_error (error);
      node_a = json_node_init_object (json_node_alloc (), dump_a);
      node_b = json_node_init_object (json_node_alloc (), dump_b);
      if (!json_node_equal (node_a, node_b))
        g_error ("table %s differs", tables[i].name);
    }
}

static char *
first_debtor (EsaStore *store)
{
  return sql_text (store, "SELECT id FROM debtors ORDER BY num LIMIT 1");
}

/* The demo writes no capture; an edit's operation carries its row images,
 * and nothing stays captured after a write. */
static void
test_capture (void)
{
  g_autoptr(EsaStore) store = demo_store ();
  g_autoptr(GError) error = NULL;
  g_autofree char *debtor = first_debtor (store);
  g_autofree char *rows = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *array;
  JsonObject *row;

  g_assert_cmpint (sql_int (store, "SELECT count(*) FROM sync_capture"), ==, 0);
  g_assert_true (esa_store_sync_get_capture (store));
  g_assert_cmpint (esa_store_count_pending_ops (store, NULL), ==, 0);

  g_assert_true (esa_store_update_debtor_field (store, debtor, "name", "Rossi Maria", &error));
  g_assert_no_error (error);
  g_assert_cmpint (sql_int (store, "SELECT count(*) FROM sync_capture"), ==, 0);
  rows = sql_text (store, "SELECT rows FROM outbox ORDER BY seq DESC LIMIT 1");
  g_assert_nonnull (rows);
  g_assert_true (json_parser_load_from_data (parser, rows, -1, NULL));
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  row = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (row, "t"), ==, "debtors");
  g_assert_cmpstr (json_object_get_string_member (row, "k"), ==, debtor);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (row, "after"),
                                                  "name"),
                   ==, "Rossi Maria");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (row, "after"),
                                               "version"),
                   ==, json_object_get_int_member (json_object_get_object_member (row, "before"),
                                                   "version") + 1);
  g_assert_false (json_object_has_member (json_object_get_object_member (row, "after"), "num"));

  /* Off: nothing captured. */
  g_assert_true (esa_store_sync_set_capture (store, FALSE, &error));
  g_assert_true (esa_store_update_debtor_field (store, debtor, "name", "Rossi Mario", &error));
  g_assert_no_error (error);
  g_assert_null (sql_text (store, "SELECT rows FROM outbox ORDER BY seq DESC LIMIT 1"));
}

/* A second device applies the first's rows as pulled rows and ends equal,
 * with a search document for the new debtor, no outbox and no capture. */
static void
test_apply_pull (void)
{
  g_autoptr(EsaStore) a = demo_store ();
  g_autoptr(EsaStore) b = demo_store ();
  g_autoptr(GError) error = NULL;
  g_autofree char *debtor = first_debtor (a);
  g_autoptr(JsonArray) rows = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autofree char *cursor = NULL;
  EsaAddress address = { NULL, "Via Nuova 9", "20121", "Milano", "IT", "2026-10-01", NULL };
  gint64 addresses;
  guint applied = 0;

  g_assert_true (esa_store_update_debtor_field (a, debtor, "name", "Zanzibar Quintino", &error));
  g_assert_true (esa_store_move_debtor (a, debtor, &address, &error));
  g_assert_no_error (error);

  rows = pending_as_pull (a);
  g_assert_cmpuint (json_array_get_length (rows), >=, 3);
  addresses = sql_int (b, "SELECT count(*) FROM addresses");
  g_assert_true (esa_store_sync_apply_pull (b, rows, NULL, "42", &applied, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (applied, ==, json_array_get_length (rows));
  g_assert_cmpint (sql_int (b, "SELECT count(*) FROM addresses"), ==, addresses + 1);
  g_assert_cmpint (esa_store_count_pending_ops (b, NULL), ==, 0);
  g_assert_cmpint (sql_int (b, "SELECT count(*) FROM sync_capture"), ==, 0);
  g_assert_true (esa_store_sync_get_capture (b));
  cursor = esa_store_sync_state_get (b, ESA_SYNC_STATE_CURSOR, &error);
  g_assert_cmpstr (cursor, ==, "42");
  assert_tables_equal (a, b);

  hits = esa_store_search (b, "zanzibar", 10, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);

  /* The same page again (a cut connection repeated): nothing changes. */
  g_assert_true (esa_store_sync_apply_pull (b, rows, NULL, "42", NULL, &error));
  g_assert_no_error (error);
  assert_tables_equal (a, b);
}

/* An upsert of a debtor keeps its local num and its children: no
 * INSERT OR REPLACE cascade. A new debtor gets a num of its own. */
static void
test_upsert_keeps_children (void)
{
  g_autoptr(EsaStore) store = demo_store ();
  g_autoptr(GError) error = NULL;
  g_autofree char *debtor = first_debtor (store);
  g_autoptr(JsonNode) image = esa_store_sync_row_image (store, "debtors", debtor, &error);
  g_autoptr(JsonArray) rows = json_array_new ();
  g_autofree char *sql = NULL;
  JsonObject *row = json_object_new ();
  JsonObject *fresh = json_object_new ();
  g_autoptr(JsonNode) fresh_node = NULL;
  JsonObject *fresh_image;
  gint64 num;
  gint64 positions;

  g_assert_no_error (error);
  fresh_node = json_node_copy (image);
  fresh_image = json_node_get_object (fresh_node);
  sql = g_strdup_printf ("SELECT num FROM debtors WHERE id = '%s'", debtor);
  num = sql_int (store, sql);
  positions = sql_int (store, "SELECT count(*) FROM positions");

  json_object_set_string_member (json_node_get_object (image), "name", "Nuovo Nome");
  json_object_set_string_member (row, "t", "debtors");
  json_object_set_string_member (row, "k", debtor);
  json_object_set_member (row, "after", json_node_copy (image));
  json_array_add_object_element (rows, row);

  json_object_set_string_member (fresh_image, "id", "0000aaaa-0000-4000-8000-000000000001");
  json_object_set_string_member (fresh_image, "tax_id", NULL);
  json_object_set_string_member (fresh, "t", "debtors");
  json_object_set_string_member (fresh, "k", "0000aaaa-0000-4000-8000-000000000001");
  json_object_set_member (fresh, "after", json_node_copy (fresh_node));
  json_array_add_object_element (rows, fresh);

  g_assert_true (esa_store_sync_apply_pull (store, rows, NULL, "7", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sql_int (store, sql), ==, num);
  g_assert_cmpint (sql_int (store, "SELECT count(*) FROM positions"), ==, positions);
  g_assert_cmpint (sql_int (store, "SELECT count(*) FROM debtors WHERE id = "
                                   "'0000aaaa-0000-4000-8000-000000000001' AND num > 0"),
                   ==, 1);
  g_assert_cmpint (sql_int (store, "SELECT count(*) FROM debtor_search"), ==,
                   sql_int (store, "SELECT count(*) FROM debtors"));
}

/* Applied and duplicate answers acknowledge; a conflict reverts the
 * operation's rows to the server's images; a repeated answer is ignored. */
static void
test_ack (void)
{
  g_autoptr(EsaStore) store = demo_store ();
  g_autoptr(GError) error = NULL;
  g_autofree char *debtor = first_debtor (store);
  g_autoptr(JsonNode) original = esa_store_sync_row_image (store, "debtors", debtor, &error);
  g_autoptr(JsonArray) ops = NULL;
  g_autoptr(JsonArray) results = json_array_new ();
  g_autofree char *name = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT name FROM debtors WHERE id = '%s'", debtor);
  EsaSyncAckCounts counts;
  JsonObject *result;
  JsonArray *server_rows;
  JsonObject *server_row;
  gint64 last;

  g_assert_true (esa_store_update_debtor_field (store, debtor, "name", "Primo", &error));
  g_assert_true (esa_store_update_debtor_field (store, debtor, "name", "Secondo", &error));
  g_assert_no_error (error);
  ops = esa_store_sync_pending_ops (store, 0, 100, &last, &error);
  g_assert_cmpuint (json_array_get_length (ops), ==, 2);

  result = json_object_new ();
  json_object_set_string_member (result, "op_id",
                                 json_object_get_string_member (
                                   json_array_get_object_element (ops, 0), "op_id"));
  json_object_set_string_member (result, "status", "applied");
  json_array_add_object_element (results, result);

  result = json_object_new ();
  json_object_set_string_member (result, "op_id",
                                 json_object_get_string_member (
                                   json_array_get_object_element (ops, 1), "op_id"));
  json_object_set_string_member (result, "status", "conflict");
  server_rows = json_array_new ();
  server_row = json_object_new ();
  json_object_set_string_member (server_row, "t", "debtors");
  json_object_set_string_member (server_row, "k", debtor);
  json_object_set_member (server_row, "after", json_node_copy (original));
  json_array_add_object_element (server_rows, server_row);
  json_object_set_array_member (result, "rows", server_rows);
  json_array_add_object_element (results, result);

  g_assert_true (esa_store_sync_ack (store, results, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.applied, ==, 1);
  g_assert_cmpuint (counts.conflicts, ==, 1);
  g_assert_cmpint (esa_store_count_pending_ops (store, NULL), ==, 0);
  name = sql_text (store, sql);
  g_assert_cmpstr (name, ==, json_object_get_string_member (json_node_get_object (original),
                                                            "name"));
  /* The revert is the server's, not an edit of ours. */
  g_assert_cmpint (esa_store_count_pending_ops (store, NULL), ==, 0);

  g_assert_true (esa_store_sync_ack (store, results, &counts, &error));
  g_assert_cmpuint (counts.applied + counts.duplicates + counts.conflicts, ==, 0);
}

/* A conflict whose server images delete a row that other local rows still
 * name (a debtor with positions) leaves that row as it is, so that the
 * acknowledgement commits and later syncs go on; a row nothing names (an
 * address) is deleted as the server says. */
static void
test_conflict_keeps_named_rows (void)
{
  g_autoptr(EsaStore) store = demo_store ();
  g_autoptr(GError) error = NULL;
  g_autofree char *debtor = first_debtor (store);
  g_autofree char *address = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(JsonArray) ops = NULL;
  g_autoptr(JsonArray) results = json_array_new ();
  JsonArray *server_rows = json_array_new ();
  JsonObject *result = json_object_new ();
  EsaSyncAckCounts counts;
  const char *tables[] = { "debtors", "addresses" };
  gint64 last;

  sql = g_strdup_printf ("SELECT id FROM addresses WHERE debtor_id = '%s' LIMIT 1", debtor);
  address = sql_text (store, sql);
  g_assert_nonnull (address);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM positions WHERE debtor_id = '%s'", debtor);
  g_assert_cmpint (sql_int (store, sql), >, 0);

  g_assert_true (esa_store_update_debtor_field (store, debtor, "name", "Rifiutato", &error));
  g_assert_no_error (error);
  ops = esa_store_sync_pending_ops (store, 0, 100, &last, &error);
  g_assert_cmpuint (json_array_get_length (ops), ==, 1);

  json_object_set_string_member (result, "op_id",
                                 json_object_get_string_member (
                                   json_array_get_object_element (ops, 0), "op_id"));
  json_object_set_string_member (result, "status", "conflict");
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      JsonObject *server_row = json_object_new ();

      json_object_set_string_member (server_row, "t", tables[i]);
      json_object_set_string_member (server_row, "k", i == 0 ? debtor : address);
      json_object_set_null_member (server_row, "after");
      json_array_add_object_element (server_rows, server_row);
    }
  json_object_set_array_member (result, "rows", server_rows);
  json_array_add_object_element (results, result);

  g_assert_true (esa_store_sync_ack (store, results, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.conflicts, ==, 1);
  g_assert_cmpint (esa_store_count_pending_ops (store, NULL), ==, 0);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM debtors WHERE id = '%s'", debtor);
  g_assert_cmpint (sql_int (store, sql), ==, 1);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM addresses WHERE id = '%s'", address);
  g_assert_cmpint (sql_int (store, sql), ==, 0);
  g_assert_cmpint (sql_int (store, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);
  g_assert_cmpint (sql_int (store, "PRAGMA defer_foreign_keys"), ==, 0);
}

/* A purged debtor leaves nothing behind, not even a search document. */
static void
test_purge (void)
{
  g_autoptr(EsaStore) store = demo_store ();
  g_autoptr(GError) error = NULL;
  g_autofree char *debtor = first_debtor (store);
  const char *ids[] = { debtor, NULL };
  gint64 debtors = sql_int (store, "SELECT count(*) FROM debtors");
  g_autofree char *sql = NULL;

  g_assert_true (esa_store_sync_purge (store, ids, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sql_int (store, "SELECT count(*) FROM debtors"), ==, debtors - 1);
  sql = g_strdup_printf ("SELECT (SELECT count(*) FROM positions WHERE debtor_id = '%1$s') + "
                         "(SELECT count(*) FROM cases WHERE debtor_id = '%1$s') + "
                         "(SELECT count(*) FROM addresses WHERE debtor_id = '%1$s')",
                         debtor);
  g_assert_cmpint (sql_int (store, sql), ==, 0);
  g_assert_cmpint (sql_int (store, "SELECT count(*) FROM debtor_search"), ==, debtors - 1);
  g_assert_cmpint (esa_store_count_pending_ops (store, NULL), ==, 0);
  g_assert_cmpint (sql_int (store, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);
}

/* A conflict arrives with a pull, counts in the header, and its resolution
 * is an operation of its own. Assignments too. */
static void
test_conflicts_and_assignments (void)
{
  g_autoptr(EsaStore) store = demo_store ();
  g_autoptr(GError) error = NULL;
  g_autofree char *debtor = first_debtor (store);
  g_autofree char *user = sql_text (store, "SELECT id FROM users WHERE role = 'officer' "
                                                      "ORDER BY id LIMIT 1");
  g_autoptr(JsonArray) rows = json_array_new ();
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autofree char *assignment = NULL;
  g_auto(GStrv) assigned = NULL;
  JsonObject *row = json_object_new ();
  JsonObject *image = json_object_new ();
  EsaSyncCounts counts;

  json_object_set_string_member (image, "id", "c0000000-0000-4000-8000-000000000001");
  json_object_set_string_member (image, "op_id", "o0000000-0000-4000-8000-000000000001");
  json_object_set_string_member (image, "entity", "case");
  json_object_set_string_member (image, "entity_id", "x");
  json_object_set_string_member (image, "debtor_id", debtor);
  json_object_set_string_member (image, "kind", "command");
  json_object_set_string_member (image, "message", "The act was already issued");
  json_object_set_string_member (image, "state", "open");
  json_object_set_int_member (image, "version", 1);
  json_object_set_string_member (row, "t", "conflicts");
  json_object_set_string_member (row, "k", "c0000000-0000-4000-8000-000000000001");
  json_object_set_object_member (row, "after", image);
  json_array_add_object_element (rows, row);
  g_assert_true (esa_store_sync_apply_pull (store, rows, NULL, "3", NULL, &error));
  g_assert_no_error (error);

  g_assert_true (esa_store_sync_counts (store, &counts, &error));
  g_assert_cmpint (counts.open_conflicts, ==, 1);
  g_assert_cmpint (counts.pending_ops, ==, 0);
  g_assert_nonnull (counts.last_sync);
  g_assert_cmpstr (counts.cursor, ==, "3");
  esa_sync_counts_clear (&counts);

  conflicts = esa_store_sync_list_conflicts (store, TRUE, &error);
  g_assert_cmpuint (conflicts->len, ==, 1);
  g_assert_nonnull (((EsaSyncConflict *) conflicts->pdata[0])->debtor_name);

  /* An auditor reads conflicts but settles none. */
  {
    g_autofree char *auditor = sql_text (store, "SELECT id FROM users WHERE role = 'auditor' "
                                                "ORDER BY id LIMIT 1");

    g_assert_nonnull (auditor);
    esa_store_set_acting_user (store, auditor);
    g_assert_false (esa_store_sync_resolve_conflict (store,
                                                     "c0000000-0000-4000-8000-000000000001",
                                                     "Kept the server's act", &error));
    g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_FORBIDDEN);
    g_clear_error (&error);
  }

  esa_store_set_acting_user (store, user);
  g_assert_true (esa_store_sync_resolve_conflict (store, "c0000000-0000-4000-8000-000000000001",
                                                  "Kept the server's act", &error));
  g_assert_no_error (error);
  g_assert_false (esa_store_sync_resolve_conflict (store, "c0000000-0000-4000-8000-000000000001",
                                                   "again", &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (esa_store_sync_counts (store, &counts, &error));
  g_assert_cmpint (counts.open_conflicts, ==, 0);
  g_assert_cmpint (counts.pending_ops, ==, 1);
  esa_sync_counts_clear (&counts);

  assignment = esa_store_sync_assign (store, debtor, user, &error);
  g_assert_no_error (error);
  g_assert_nonnull (assignment);
  assigned = esa_store_sync_assigned (store, user, &error);
  g_assert_cmpuint (g_strv_length (assigned), ==, 1);
  g_assert_cmpstr (assigned[0], ==, debtor);
  g_assert_cmpint (esa_store_count_pending_ops (store, NULL), ==, 2);
  g_assert_true (esa_store_sync_unassign (store, debtor, user, &error));
  g_assert_no_error (error);
  g_assert_cmpint (esa_store_count_pending_ops (store, NULL), ==, 3);
}

/* The server refused an edit (a conflict): "Apply Mine Again" writes this
 * side's values over the server's as a new operation whose base is the
 * server's row, and resolves the conflict in the same transaction; "Keep
 * Server Version" only resolves it. */
static void
test_apply_mine_again (void)
{
  g_autoptr(EsaStore) store = demo_store ();
  g_autoptr(GError) error = NULL;
  g_autofree char *debtor = first_debtor (store);
  g_autofree char *user = sql_text (store, "SELECT id FROM users WHERE role = 'officer' "
                                                      "ORDER BY id LIMIT 1");
  g_autofree char *op_text = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *name = NULL;
  g_autoptr(JsonNode) server_row = NULL;
  g_autoptr(JsonArray) ops = NULL;
  g_autoptr(JsonArray) again = NULL;
  g_autoptr(JsonArray) results = json_array_new ();
  g_autoptr(EsaSyncConflict) conflict = NULL;
  const char *conflict_id = "c0000000-0000-4000-8000-000000000002";
  JsonObject *result = json_object_new ();
  JsonArray *rows = json_array_new ();
  JsonObject *row;
  JsonObject *image;
  JsonObject *op;
  JsonObject *reissued;
  JsonObject *rewritten;
  EsaSyncAckCounts counts;
  gint64 last;

  esa_store_set_acting_user (store, user);
  server_row = esa_store_sync_row_image (store, "debtors", debtor, &error);
  g_assert_no_error (error);
  g_assert_true (esa_store_update_debtor_field (store, debtor, "name", "Mine Maria", &error));
  g_assert_no_error (error);
  ops = esa_store_sync_pending_ops (store, 0, 10, &last, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (ops), ==, 1);
  op = json_array_get_object_element (ops, 0);
  {
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), op);

    op_text = json_to_string (node, FALSE);
  }

  /* The server answers with a conflict: its row (another name, a later
   * version) and the conflicts row naming the officer's operation. */
  json_object_set_string_member (json_node_get_object (server_row), "name", "Server Sergio");
  json_object_set_int_member (json_node_get_object (server_row), "version", 5);
  row = json_object_new ();
  json_object_set_string_member (row, "t", "debtors");
  json_object_set_string_member (row, "k", debtor);
  json_object_set_member (row, "after", json_node_copy (server_row));
  json_array_add_object_element (rows, row);
  image = json_object_new ();
  json_object_set_string_member (image, "id", conflict_id);
  json_object_set_string_member (image, "op_id", json_object_get_string_member (op, "op_id"));
  json_object_set_string_member (image, "entity", "debtor");
  json_object_set_string_member (image, "entity_id", debtor);
  json_object_set_string_member (image, "debtor_id", debtor);
  json_object_set_string_member (image, "kind", "rejected");
  json_object_set_string_member (image, "message", "The server could not apply the change");
  json_object_set_string_member (image, "local", op_text);
  json_object_set_string_member (image, "state", "open");
  json_object_set_string_member (image, "created_at", "2026-11-20T09:30:00Z");
  json_object_set_string_member (image, "user_id", user);
  json_object_set_int_member (image, "version", 1);
  row = json_object_new ();
  json_object_set_string_member (row, "t", "conflicts");
  json_object_set_string_member (row, "k", conflict_id);
  json_object_set_object_member (row, "after", image);
  json_array_add_object_element (rows, row);
  json_object_set_string_member (result, "op_id", json_object_get_string_member (op, "op_id"));
  json_object_set_string_member (result, "status", "conflict");
  json_object_set_string_member (result, "conflict_id", conflict_id);
  json_object_set_array_member (result, "rows", rows);
  json_array_add_object_element (results, result);
  g_assert_true (esa_store_sync_ack (store, results, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.conflicts, ==, 1);
  sql = g_strdup_printf ("SELECT name FROM debtors WHERE id = '%s'", debtor);
  name = sql_text (store, sql);
  g_assert_cmpstr (name, ==, "Server Sergio");
  g_clear_pointer (&name, g_free);
  g_assert_cmpint (esa_store_count_pending_ops (store, NULL), ==, 0);

  /* The view's "when" and "who". */
  conflict = esa_store_sync_get_conflict (store, conflict_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (conflict->created_at, ==, "2026-11-20T09:30:00Z");
  g_assert_cmpstr (conflict->user_id, ==, user);
  g_assert_nonnull (conflict->user_name);
  g_assert_cmpstr (conflict->state, ==, "open");

  g_assert_true (esa_store_sync_apply_mine_again (store, conflict_id, &error));
  g_assert_no_error (error);
  name = sql_text (store, sql);
  g_assert_cmpstr (name, ==, "Mine Maria");
  g_assert_cmpint (sql_int (store, "SELECT count(*) FROM conflicts WHERE state = 'open'"), ==, 0);
  g_assert_cmpint (sql_int (store, "SELECT count(*) FROM audit WHERE action = 'reapply'"), ==, 1);
  g_assert_cmpint (sql_int (store, "SELECT count(*) FROM audit WHERE action = 'resolve'"), ==, 1);

  /* Two operations: the edit again (new op id and clock stamp, the server's
   * row as its base), then the resolution. */
  again = esa_store_sync_pending_ops (store, 0, 10, &last, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (again), ==, 2);
  reissued = json_array_get_object_element (again, 0);
  g_assert_cmpstr (json_object_get_string_member (reissued, "op_id"), !=,
                   json_object_get_string_member (op, "op_id"));
  g_assert_cmpint (strcmp (json_object_get_string_member (reissued, "hlc"),
                           json_object_get_string_member (op, "hlc")), >, 0);
  g_assert_cmpstr (json_object_get_string_member (reissued, "kind"), ==, "field");
  g_assert_cmpint (json_object_get_int_member (reissued, "base_version"), ==, 5);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reissued, "rows")), ==,
                    1);
  rewritten = json_array_get_object_element (json_object_get_array_member (reissued, "rows"), 0);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (rewritten,
                                                                                 "before"),
                                                  "name"), ==, "Server Sergio");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (rewritten,
                                                                                 "after"),
                                                  "name"), ==, "Mine Maria");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (again, 1),
                                                  "entity"), ==, "conflict");

  /* Resolved once only, either way. */
  g_assert_false (esa_store_sync_apply_mine_again (store, conflict_id, &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (esa_store_sync_resolve_conflict (store, conflict_id, "late", &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (esa_store_sync_apply_mine_again (store, "no-such-conflict", &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (esa_store_count_pending_ops (store, NULL), ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync-store/capture", test_capture);
  g_test_add_func ("/sync-store/apply-pull", test_apply_pull);
  g_test_add_func ("/sync-store/upsert-keeps-children", test_upsert_keeps_children);
  g_test_add_func ("/sync-store/ack", test_ack);
  g_test_add_func ("/sync-store/conflict-keeps-named-rows", test_conflict_keeps_named_rows);
  g_test_add_func ("/sync-store/purge", test_purge);
  g_test_add_func ("/sync-store/conflicts-and-assignments", test_conflicts_and_assignments);
  g_test_add_func ("/sync-store/apply-mine-again", test_apply_mine_again);

  return g_test_run ();
}
