/* esa-store-sync.c: the store's side of offline sync: capture triggers, the
 * rows of each outbox operation, acknowledgements, pulled pages, purges,
 * conflicts and assignments
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "esa-roles.h"
#include "esa-store-cases.h"
#include "esa-store-columnar-private.h"
#include "esa-store-private.h"
#include "esa-store-sync.h"
#include "esa-uuid.h"

/* ---- columns ------------------------------------------------------------ */

/* The columns of each synced table as this database has them (generated
 * columns are not listed by table_info, and are not replicated: every
 * device computes them). Cached on the store. */
static GStrv
table_columns (EsaStore    *self,
               const char  *table,
               GError     **error)
{
  GHashTable *cache = g_object_get_data (G_OBJECT (self), "esa-sync-columns");
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autoptr(EsaStoreStmt) stmt = NULL;
  GStrv columns;
  gboolean row;

  if (cache == NULL)
    {
      cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                     (GDestroyNotify) g_strfreev);
      g_object_set_data_full (G_OBJECT (self), "esa-sync-columns", cache,
                              (GDestroyNotify) g_hash_table_unref);
    }
  columns = g_hash_table_lookup (cache, table);
  if (columns != NULL)
    return columns;

  stmt = _esa_store_prepare (self, "SELECT name FROM pragma_table_info (?1) ORDER BY cid", error);
  if (stmt == NULL)
    return NULL;
  _esa_stmt_bind_text (stmt, 1, table);
  builder = g_strv_builder_new ();
  while (_esa_store_step (self, stmt, &row, error) && row)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);

      /* debtors.num and knowledge_cards.num are this device's keys into
       * the full-text indexes. */
      if (g_str_equal (name, "num"))
        continue;
      g_strv_builder_add (builder, name);
    }
  if (error != NULL && *error != NULL)
    return NULL;

  columns = g_strv_builder_end (builder);
  g_hash_table_insert (cache, g_strdup (table), columns);
  return columns;
}

/* json_object('a', P.a, 'b', P.b …) over @columns with @prefix ("NEW."). */
static void
append_image_sql (GString     *sql,
                  GStrv        columns,
                  const char  *prefix)
{
  g_string_append (sql, "json_object(");
  for (guint i = 0; columns[i] != NULL; i++)
    g_string_append_printf (sql, "%s'%s', %s\"%s\"", i > 0 ? ", " : "", columns[i], prefix,
                            columns[i]);
  g_string_append_c (sql, ')');
}

/* P.a || '|' || P.b for the key columns. */
static void
append_key_sql (GString            *sql,
                const char * const *key,
                const char         *prefix)
{
  for (guint i = 0; key[i] != NULL; i++)
    g_string_append_printf (sql, "%s%s\"%s\"", i > 0 ? " || '|' || " : "", prefix, key[i]);
}

static gboolean
table_exists (EsaStore    *self,
              const char  *table,
              gboolean    *out_exists,
              GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = _esa_store_prepare (self,
                                                     "SELECT 1 FROM sqlite_schema "
                                                     "WHERE type = 'table' AND name = ?1",
                                                     error);

  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, table);
  return _esa_store_step (self, stmt, out_exists, error);
}

/* ---- capture triggers --------------------------------------------------- */

/* Notes the schema's version (PRAGMA schema_version, which every CREATE,
 * DROP and ALTER moves on) at which the triggers were last found right. */
static gboolean
remember_schema_version (EsaStore  *self,
                         GError   **error)
{
  g_autoptr(EsaStoreStmt) cookie = _esa_store_prepare (self, "PRAGMA schema_version", error);
  g_autofree char *text = NULL;
  gboolean row;

  if (cookie == NULL || !_esa_store_step (self, cookie, &row, error))
    return FALSE;
  text = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (cookie, 0));
  g_clear_pointer (&cookie, _esa_store_stmt_release);
  return esa_store_sync_state_set (self, "trigger_schema_version", text, error);
}

gboolean
_esa_store_sync_install_triggers (EsaStore  *self,
                                  GError   **error)
{
  g_autoptr(GString) signature = g_string_new (NULL);
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autofree char *stored = NULL;
  g_autofree char *schema_cookie = NULL;
  g_autofree char *stored_cookie = NULL;
  const EsaSyncTable *tables;
  gboolean ok;
  guint n;

  tables = esa_store_sync_tables (&n);

  /* Nothing changed the schema since the triggers were checked: opening
   * costs two reads. */
  {
    g_autoptr(EsaStoreStmt) cookie = _esa_store_prepare (self, "PRAGMA schema_version", error);
    gboolean row;

    if (cookie == NULL || !_esa_store_step (self, cookie, &row, error))
      return FALSE;
    schema_cookie = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (cookie, 0));
  }
  stored_cookie = esa_store_sync_state_get (self, "trigger_schema_version", error);
  if (error != NULL && *error != NULL)
    return FALSE;
  if (g_strcmp0 (stored_cookie, schema_cookie) == 0)
    return TRUE;

  /* The triggers follow the columns: made again only when a step changed
   * them. */
  for (guint i = 0; i < n; i++)
    {
      gboolean exists;
      GStrv columns;

      if (!table_exists (self, tables[i].name, &exists, error))
        return FALSE;
      if (!exists)
        continue;
      columns = table_columns (self, tables[i].name, error);
      if (columns == NULL)
        return FALSE;

      g_string_append_printf (signature, "%s(", tables[i].name);
      for (guint c = 0; columns[c] != NULL; c++)
        g_string_append_printf (signature, "%s,", columns[c]);
      g_string_append (signature, ");");
    }

  stored = esa_store_sync_state_get (self, "trigger_signature", error);
  if (error != NULL && *error != NULL)
    return FALSE;
  if (g_strcmp0 (stored, signature->str) == 0)
    return remember_schema_version (self, error);

  for (guint i = 0; i < n; i++)
    {
      gboolean exists;
      GStrv columns;

      if (!table_exists (self, tables[i].name, &exists, error))
        return FALSE;
      if (!exists)
        continue;
      columns = table_columns (self, tables[i].name, error);
      if (columns == NULL)
        return FALSE;

      for (guint t = 0; t < 3; t++)
        {
          static const char * const events[] = { "INSERT", "UPDATE", "DELETE" };
          static const char * const suffixes[] = { "ins", "upd", "del" };

          g_string_append_printf (sql,
                                  "DROP TRIGGER IF EXISTS sync_%s_%s; "
                                  "CREATE TRIGGER sync_%s_%s AFTER %s ON \"%s\" "
                                  "WHEN (SELECT capture FROM sync_switch WHERE id = 1) "
                                  "BEGIN INSERT INTO sync_capture (t, k, before, after) "
                                  "VALUES ('%s', ",
                                  tables[i].name, suffixes[t], tables[i].name, suffixes[t],
                                  events[t], tables[i].name, tables[i].name);
          append_key_sql (sql, tables[i].key, t == 2 ? "OLD." : "NEW.");
          g_string_append (sql, ", ");
          if (t == 0)
            g_string_append (sql, "NULL");
          else
            append_image_sql (sql, columns, "OLD.");
          g_string_append (sql, ", ");
          if (t == 2)
            g_string_append (sql, "NULL");
          else
            append_image_sql (sql, columns, "NEW.");
          g_string_append (sql, "); END;\n");
        }
    }

  if (!_esa_store_write_begin (self, error))
    return FALSE;
  ok = _esa_store_exec (self, sql->str, error)
       && esa_store_sync_state_set (self, "trigger_signature", signature->str, error);
  ok = _esa_store_write_end (self, ok, error);
  return ok && remember_schema_version (self, error);
}

gboolean
esa_store_sync_set_capture (EsaStore  *self,
                            gboolean   on,
                            GError   **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;

  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);

  stmt = _esa_store_prepare (self, "UPDATE sync_switch SET capture = ?1 WHERE id = 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, on ? 1 : 0);
  return _esa_store_step_done (self, stmt, error);
}

gboolean
esa_store_sync_get_capture (EsaStore *self)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row = FALSE;

  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);

  stmt = _esa_store_prepare (self, "SELECT capture FROM sync_switch WHERE id = 1", NULL);
  return stmt != NULL && _esa_store_step (self, stmt, &row, NULL) && row
         && sqlite3_column_int (stmt, 0) != 0;
}

/* One row of an operation: its first before-image and its last after-image. */
typedef struct
{
  char *t;
  char *k;
  char *before;
  char *after;
} Captured;

static void
captured_free (gpointer data)
{
  Captured *captured = data;

  g_free (captured->t);
  g_free (captured->k);
  g_free (captured->before);
  g_free (captured->after);
  g_free (captured);
}

gboolean
_esa_store_sync_claim_rows (EsaStore  *self,
                            char     **out_rows,
                            GError   **error)
{
  g_autoptr(EsaStoreStmt) select = NULL;
  g_autoptr(EsaStoreStmt) clear = NULL;
  g_autoptr(GHashTable) by_key = NULL;
  g_autoptr(GPtrArray) order = NULL;
  g_autoptr(GString) out = NULL;
  gboolean row;
  gboolean any = FALSE;

  *out_rows = NULL;

  select = _esa_store_prepare (self,
                               "SELECT t, k, before, after FROM sync_capture ORDER BY seq",
                               error);
  if (select == NULL)
    return FALSE;

  by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  order = g_ptr_array_new_with_free_func (captured_free);
  while (_esa_store_step (self, select, &row, error) && row)
    {
      const char *t = (const char *) sqlite3_column_text (select, 0);
      const char *k = (const char *) sqlite3_column_text (select, 1);
      g_autofree char *lookup = g_strconcat (t, "\n", k, NULL);
      Captured *captured = g_hash_table_lookup (by_key, lookup);

      if (captured == NULL)
        {
          captured = g_new0 (Captured, 1);
          captured->t = g_strdup (t);
          captured->k = g_strdup (k);
          captured->before = _esa_stmt_dup_text (select, 2);
          g_ptr_array_add (order, captured);
          g_hash_table_insert (by_key, g_steal_pointer (&lookup), captured);
        }
      g_free (captured->after);
      captured->after = _esa_stmt_dup_text (select, 3);
      any = TRUE;
    }
  if (error != NULL && *error != NULL)
    return FALSE;
  g_clear_pointer (&select, _esa_store_stmt_release);

  if (!any)
    return TRUE;

  out = g_string_new ("[");
  for (guint i = 0; i < order->len; i++)
    {
      Captured *captured = order->pdata[i];

      /* A row made and removed by the same operation, or written without a
       * change, is nothing to send. */
      if (g_strcmp0 (captured->before, captured->after) == 0)
        continue;

      if (out->len > 1)
        g_string_append_c (out, ',');
      g_string_append (out, "{\"t\":");
      _esa_json_append_string (out, captured->t);
      g_string_append (out, ",\"k\":");
      _esa_json_append_string (out, captured->k);
      g_string_append (out, ",\"before\":");
      g_string_append (out, captured->before != NULL ? captured->before : "null");
      g_string_append (out, ",\"after\":");
      g_string_append (out, captured->after != NULL ? captured->after : "null");
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, ']');

  clear = _esa_store_prepare (self, "DELETE FROM sync_capture", error);
  if (clear == NULL || !_esa_store_step_done (self, clear, error))
    return FALSE;

  *out_rows = g_string_free (g_steal_pointer (&out), FALSE);
  return TRUE;
}

/* ---- state -------------------------------------------------------------- */

char *
esa_store_sync_state_get (EsaStore    *self,
                          const char  *key,
                          GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);

  stmt = _esa_store_prepare (self, "SELECT value FROM sync_state WHERE key = ?1", error);
  if (stmt == NULL)
    return NULL;
  _esa_stmt_bind_text (stmt, 1, key);
  if (!_esa_store_step (self, stmt, &row, error) || !row)
    return NULL;
  return _esa_stmt_dup_text (stmt, 0);
}

gboolean
esa_store_sync_state_set (EsaStore    *self,
                          const char  *key,
                          const char  *value,
                          GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;

  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);

  if (value == NULL)
    stmt = _esa_store_prepare (self, "DELETE FROM sync_state WHERE key = ?1", error);
  else
    stmt = _esa_store_prepare (self,
                               "INSERT INTO sync_state (key, value) VALUES (?1, ?2) "
                               "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                               error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, key);
  if (value != NULL)
    _esa_stmt_bind_text (stmt, 2, value);
  return _esa_store_step_done (self, stmt, error);
}

char *
esa_store_sync_device_id (EsaStore  *self,
                          GError   **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *device = NULL;

  device = esa_store_sync_state_get (self, ESA_SYNC_STATE_DEVICE, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (device != NULL)
    return g_steal_pointer (&device);

  device = esa_uuid_new ();
  if (!esa_store_sync_state_set (self, ESA_SYNC_STATE_DEVICE, device, error))
    return NULL;
  return g_steal_pointer (&device);
}

void
esa_sync_counts_clear (EsaSyncCounts *counts)
{
  g_clear_pointer (&counts->last_sync, g_free);
  g_clear_pointer (&counts->cursor, g_free);
}

gboolean
esa_store_sync_counts (EsaStore       *self,
                       EsaSyncCounts  *out_counts,
                       GError        **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row;

  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);

  memset (out_counts, 0, sizeof *out_counts);
  stmt = _esa_store_prepare (self,
                             "SELECT (SELECT count(*) FROM outbox WHERE acked_at IS NULL), "
                             "(SELECT count(*) FROM conflicts WHERE state = 'open'), "
                             "(SELECT value FROM sync_state WHERE key = 'last_sync'), "
                             "(SELECT value FROM sync_state WHERE key = 'cursor')",
                             error);
  if (stmt == NULL || !_esa_store_step (self, stmt, &row, error))
    return FALSE;
  out_counts->pending_ops = sqlite3_column_int64 (stmt, 0);
  out_counts->open_conflicts = sqlite3_column_int64 (stmt, 1);
  out_counts->last_sync = _esa_stmt_dup_text (stmt, 2);
  out_counts->cursor = _esa_stmt_dup_text (stmt, 3);
  return TRUE;
}

/* ---- push --------------------------------------------------------------- */

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL))
    return json_node_init_null (json_node_alloc ());
  return json_node_copy (json_parser_get_root (parser));
}

JsonArray *
esa_store_sync_pending_ops (EsaStore  *self,
                            gint64     after_seq,
                            guint      limit,
                            gint64    *out_last_seq,
                            GError   **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autoptr(JsonArray) ops = json_array_new ();
  gboolean row;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);

  *out_last_seq = after_seq;
  stmt = _esa_store_prepare (self,
                             "SELECT seq, op_id, kind, entity, entity_id, payload, rows, "
                             "base_version, hlc, schema_version, created_at FROM outbox "
                             "WHERE acked_at IS NULL AND seq > ?1 ORDER BY seq LIMIT ?2",
                             error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, after_seq);
  sqlite3_bind_int (stmt, 2, (int) limit);
  while (_esa_store_step (self, stmt, &row, error) && row)
    {
      JsonObject *op = json_object_new ();
      const char *rows = (const char *) sqlite3_column_text (stmt, 6);
      g_autofree char *part_images = NULL;

      /* A load list's parts and a payment import's batches carry their
       * rows in columnar form only. */
      if (rows == NULL)
        rows = part_images = _esa_store_outbox_bulk_images ((const char *)
                                                            sqlite3_column_text (stmt, 3),
                                                            (const char *)
                                                            sqlite3_column_text (stmt, 5));

      *out_last_seq = sqlite3_column_int64 (stmt, 0);
      json_object_set_string_member (op, "op_id", (const char *) sqlite3_column_text (stmt, 1));
      json_object_set_string_member (op, "kind", (const char *) sqlite3_column_text (stmt, 2));
      json_object_set_string_member (op, "entity", (const char *) sqlite3_column_text (stmt, 3));
      json_object_set_string_member (op, "entity_id",
                                     (const char *) sqlite3_column_text (stmt, 4));
      json_object_set_member (op, "payload",
                              parse_json ((const char *) sqlite3_column_text (stmt, 5)));
      json_object_set_member (op, "rows",
                              rows != NULL ? parse_json (rows)
                                           : json_node_init_array (json_node_alloc (),
                                                                   json_array_new ()));
      json_object_set_int_member (op, "base_version", sqlite3_column_int64 (stmt, 7));
      json_object_set_string_member (op, "hlc", (const char *) sqlite3_column_text (stmt, 8));
      json_object_set_int_member (op, "schema_version", sqlite3_column_int (stmt, 9));
      json_object_set_string_member (op, "created_at",
                                     (const char *) sqlite3_column_text (stmt, 10));
      json_array_add_object_element (ops, op);
    }
  if (error != NULL && *error != NULL)
    return NULL;
  return g_steal_pointer (&ops);
}

/* ---- applying row images ----------------------------------------------- */

static void
bind_json_value (EsaStoreStmt *stmt,
                 int           index,
                 JsonNode     *value)
{
  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    {
      sqlite3_bind_null (stmt, index);
      return;
    }
  if (JSON_NODE_HOLDS_VALUE (value))
    {
      switch (json_node_get_value_type (value))
        {
        case G_TYPE_INT64:
          sqlite3_bind_int64 (stmt, index, json_node_get_int (value));
          return;
        case G_TYPE_DOUBLE:
          sqlite3_bind_double (stmt, index, json_node_get_double (value));
          return;
        case G_TYPE_BOOLEAN:
          sqlite3_bind_int (stmt, index, json_node_get_boolean (value) ? 1 : 0);
          return;
        default:
          /* The image outlives the statement's step: no copy. */
          sqlite3_bind_text (stmt, index, json_node_get_string (value), -1, SQLITE_STATIC);
          return;
        }
    }
  {
    g_autofree char *text = json_to_string (value, FALSE);

    _esa_stmt_bind_text (stmt, index, text);
  }
}

static gboolean
delete_row (EsaStore            *self,
            const EsaSyncTable  *table,
            const char          *key,
            GError             **error)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_auto(GStrv) parts = g_strsplit (key, "|", -1);

  if (g_str_equal (table->name, "debtors"))
    {
      g_autoptr(EsaStoreStmt) unindex = NULL;

      unindex = _esa_store_prepare (self,
                                    "DELETE FROM debtor_search WHERE rowid = "
                                    "(SELECT num FROM debtors WHERE id = ?1)",
                                    error);
      if (unindex == NULL)
        return FALSE;
      _esa_stmt_bind_text (unindex, 1, key);
      if (!_esa_store_step_done (self, unindex, error))
        return FALSE;
    }

  g_string_append_printf (sql, "DELETE FROM \"%s\" WHERE ", table->name);
  for (guint i = 0; table->key[i] != NULL; i++)
    g_string_append_printf (sql, "%s\"%s\" = ?%u", i > 0 ? " AND " : "", table->key[i], i + 1);
  stmt = _esa_store_prepare (self, sql->str, error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; table->key[i] != NULL; i++)
    _esa_stmt_bind_text (stmt, (int) i + 1, g_strv_length (parts) > i ? parts[i] : NULL);
  return _esa_store_step_done (self, stmt, error);
}

static gboolean
upsert_row (EsaStore            *self,
            const EsaSyncTable  *table,
            JsonObject          *image,
            char               **out_unique,
            GError             **error)
{
  g_autoptr(GString) shape = g_string_new (table->name);
  g_autoptr(GPtrArray) used = g_ptr_array_new ();
  g_autoptr(EsaStoreStmt) stmt = NULL;
  GHashTable *cache = g_object_get_data (G_OBJECT (self), "esa-sync-upserts");
  GStrv columns = table_columns (self, table->name, error);
  const char *sql;
  int rc;

  if (columns == NULL)
    return FALSE;

  /* The statement depends on which columns the image has: made once per
   * table and shape (nearly always one: the images are whole rows). */
  g_string_append_c (shape, ':');
  for (guint i = 0; columns[i] != NULL; i++)
    {
      gboolean has = json_object_has_member (image, columns[i]);

      g_string_append_c (shape, has ? '1' : '0');
      if (has)
        g_ptr_array_add (used, columns[i]);
    }
  if (cache == NULL)
    {
      cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_object_set_data_full (G_OBJECT (self), "esa-sync-upserts", cache,
                              (GDestroyNotify) g_hash_table_unref);
    }
  sql = g_hash_table_lookup (cache, shape->str);
  if (sql == NULL)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      g_autoptr(GString) values = g_string_new (NULL);
      g_autoptr(GString) updates = g_string_new (NULL);

      g_string_append_printf (text, "INSERT INTO \"%s\" (", table->name);
      for (guint i = 0; i < used->len; i++)
        {
          const char *column = used->pdata[i];

          g_string_append_printf (text, "%s\"%s\"", i > 0 ? ", " : "", column);
          g_string_append_printf (values, "%s?%u", i > 0 ? ", " : "", i + 1);
          if (!g_strv_contains (table->key, column))
            g_string_append_printf (updates, "%s\"%s\" = excluded.\"%s\"",
                                    updates->len > 0 ? ", " : "", column, column);
        }
      g_string_append_printf (text, ") VALUES (%s) ON CONFLICT (", values->str);
      for (guint i = 0; table->key[i] != NULL; i++)
        g_string_append_printf (text, "%s\"%s\"", i > 0 ? ", " : "", table->key[i]);
      if (updates->len > 0)
        g_string_append_printf (text, ") DO UPDATE SET %s", updates->str);
      else
        g_string_append (text, ") DO NOTHING");
      sql = text->str;
      g_hash_table_insert (cache, g_strdup (shape->str), g_string_free (g_steal_pointer (&text),
                                                                        FALSE));
    }

  stmt = _esa_store_prepare (self, sql, error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < used->len; i++)
    bind_json_value (stmt, (int) i + 1, json_object_get_member (image, used->pdata[i]));
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (out_unique != NULL
      && sqlite3_extended_errcode (_esa_store_get_db (self)) == SQLITE_CONSTRAINT_UNIQUE)
    {
      *out_unique = g_strdup (sqlite3_errmsg (_esa_store_get_db (self)));
      return FALSE;
    }
  sqlite3_reset (stmt);
  if (!_esa_store_step_done (self, stmt, error))
    {
      g_prefix_error (error, _("Could not store the server's row %s of %s: "),
                      json_object_get_string_member_with_default (image, "id", "?"),
                      table->name);
      return FALSE;
    }
  return TRUE;
}

static gboolean apply_images_in_table_order (EsaStore    *self,
                                             JsonArray   *rows,
                                             GHashTable  *touched,
                                             GError     **error);

/* Reverts the local effects of the pending operations that touched row @key
 * of @table, newest first, by putting back their before-images (capture is
 * off): a pulled row of the server took its place. The operations stay in
 * the outbox with their rows, so nothing entered is lost: the server
 * answers them, as a conflict where they no longer fit. */
static gboolean
revert_pending_ops_of (EsaStore    *self,
                       const char  *table,
                       const char  *key,
                       GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *needle = NULL;
  gboolean row;

  stmt = _esa_store_prepare (self,
                             "SELECT rows FROM outbox WHERE acked_at IS NULL AND rows IS NOT NULL "
                             "AND instr (rows, ?1) > 0 ORDER BY seq DESC",
                             error);
  if (stmt == NULL)
    return FALSE;
  needle = g_strdup_printf ("\"k\":\"%s\"", key);
  _esa_stmt_bind_text (stmt, 1, needle);
  while (_esa_store_step (self, stmt, &row, error) && row)
    g_ptr_array_add (ops, _esa_stmt_dup_text (stmt, 0));
  if (error != NULL && *error != NULL)
    return FALSE;
  g_clear_pointer (&stmt, _esa_store_stmt_release);

  for (guint i = 0; i < ops->len; i++)
    {
      g_autoptr(JsonNode) rows = parse_json (ops->pdata[i]);
      g_autoptr(JsonArray) images = json_array_new ();
      JsonArray *array;
      gboolean touches = FALSE;

      if (!JSON_NODE_HOLDS_ARRAY (rows))
        continue;
      array = json_node_get_array (rows);
      for (guint r = 0; r < json_array_get_length (array); r++)
        {
          JsonObject *captured = json_array_get_object_element (array, r);
          JsonObject *image = json_object_new ();

          touches |= g_strcmp0 (json_object_get_string_member_with_default (captured, "t", NULL),
                                table) == 0
                     && g_strcmp0 (json_object_get_string_member_with_default (captured, "k",
                                                                               NULL),
                                   key) == 0;
          json_object_set_string_member (image, "t",
                                         json_object_get_string_member (captured, "t"));
          json_object_set_string_member (image, "k",
                                         json_object_get_string_member (captured, "k"));
          json_object_set_member (image, "after",
                                  json_object_get_member (captured, "before") != NULL
                                  ? json_node_copy (json_object_get_member (captured, "before"))
                                  : json_node_init_null (json_node_alloc ()));
          json_array_add_object_element (images, image);
        }
      if (touches && !apply_images_in_table_order (self, images, NULL, error))
        return FALSE;
    }
  return TRUE;
}

/* The local rows that hold the values of @image in the columns a UNIQUE
 * constraint names (@message: SQLite's "UNIQUE constraint failed: t.a, t.b"),
 * other than the row itself. (transfer full) their keys */
static GPtrArray *
colliding_keys (EsaStore            *self,
                const EsaSyncTable  *table,
                JsonObject          *image,
                const char          *message,
                GError             **error)
{
  const char *list = strstr (message, ": ");
  g_auto(GStrv) columns = g_strsplit (list != NULL ? list + 2 : "", ", ", -1);
  g_autoptr(GString) sql = g_string_new ("SELECT ");
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  gboolean row;

  append_key_sql (sql, table->key, "");
  g_string_append_printf (sql, " FROM \"%s\" WHERE ", table->name);
  for (guint i = 0; columns[i] != NULL; i++)
    {
      const char *dot = strchr (columns[i], '.');

      g_string_append_printf (sql, "%s\"%s\" IS ?%u", i > 0 ? " AND " : "",
                              dot != NULL ? dot + 1 : columns[i], i + 1);
    }
  stmt = _esa_store_prepare (self, sql->str, error);
  if (stmt == NULL)
    return NULL;
  for (guint i = 0; columns[i] != NULL; i++)
    {
      const char *dot = strchr (columns[i], '.');

      bind_json_value (stmt, (int) i + 1,
                       json_object_get_member (image, dot != NULL ? dot + 1 : columns[i]));
    }
  while (_esa_store_step (self, stmt, &row, error) && row)
    g_ptr_array_add (keys, _esa_stmt_dup_text (stmt, 0));
  if (error != NULL && *error != NULL)
    return NULL;
  return g_steal_pointer (&keys);
}

/* Stores a server image whose unique values a local row of a pending
 * operation holds (two devices numbered a case's step or an act alike):
 * that operation's local effects give way, then the image is stored. */
static gboolean
upsert_over_local (EsaStore            *self,
                   const EsaSyncTable  *table,
                   JsonObject          *image,
                   GError             **error)
{
  g_autofree char *unique = NULL;
  g_autoptr(GPtrArray) keys = NULL;

  if (upsert_row (self, table, image, &unique, error))
    return TRUE;
  if (unique == NULL)
    return FALSE;

  keys = colliding_keys (self, table, image, unique, error);
  if (keys == NULL)
    return FALSE;
  for (guint i = 0; i < keys->len; i++)
    {
      if (!revert_pending_ops_of (self, table->name, keys->pdata[i], error))
        return FALSE;
    }
  g_clear_pointer (&unique, g_free);
  if (upsert_row (self, table, image, &unique, error))
    return TRUE;
  /* A local row of no pending operation: the server's row wins. */
  if (unique != NULL)
    {
      g_clear_pointer (&keys, g_ptr_array_unref);
      keys = colliding_keys (self, table, image, unique, error);
      if (keys == NULL)
        return FALSE;
      for (guint i = 0; i < keys->len; i++)
        {
          if (!delete_row (self, table, keys->pdata[i], error))
            return FALSE;
        }
      return upsert_row (self, table, image, NULL, error);
    }
  return FALSE;
}

/* The debtor a row image belongs to, if the row says so directly. */
static const char *
image_debtor (const EsaSyncTable *table,
              JsonObject         *image)
{
  if (table->debtor_column == NULL || image == NULL)
    return NULL;
  return json_object_get_string_member_with_default (image, table->debtor_column, NULL);
}

/* Applies one image: {"t","k","after"|null}. @touched collects the debtors
 * whose search documents need rebuilding. */
static gboolean
apply_image (EsaStore    *self,
             JsonObject  *row,
             GHashTable  *touched,
             GError     **error)
{
  const char *t = json_object_get_string_member_with_default (row, "t", NULL);
  const char *k = json_object_get_string_member_with_default (row, "k", NULL);
  const EsaSyncTable *table = esa_store_sync_table_lookup (t);
  JsonNode *after = json_object_get_member (row, "after");
  const char *debtor;

  if (table == NULL || k == NULL)
    {
      g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID,
                   _("The server sent a row of an unknown table “%s”"), t != NULL ? t : "");
      return FALSE;
    }

  if (after == NULL || JSON_NODE_HOLDS_NULL (after))
    return delete_row (self, table, k, error);

  if (!JSON_NODE_HOLDS_OBJECT (after))
    {
      g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID,
                   _("The server sent a row %s of %s that is not an object"), k, t);
      return FALSE;
    }

  if (!upsert_over_local (self, table, json_node_get_object (after), error))
    return FALSE;
  debtor = image_debtor (table, json_node_get_object (after));
  if (debtor != NULL && touched != NULL)
    g_hash_table_add (touched, g_strdup (debtor));
  return TRUE;
}

static gboolean
reindex_debtors (EsaStore    *self,
                 GHashTable  *touched,
                 GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autoptr(GArray) nums = g_array_new (FALSE, FALSE, sizeof (gint64));
  GHashTableIter iter;
  gpointer key;

  if (g_hash_table_size (touched) == 0)
    return TRUE;

  stmt = _esa_store_prepare (self, "SELECT num FROM debtors WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  g_hash_table_iter_init (&iter, touched);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      gboolean row;

      sqlite3_reset (stmt);
      _esa_stmt_bind_text (stmt, 1, key);
      if (!_esa_store_step (self, stmt, &row, error))
        return FALSE;
      if (row)
        {
          gint64 num = sqlite3_column_int64 (stmt, 0);

          g_array_append_val (nums, num);
        }
    }
  g_clear_pointer (&stmt, _esa_store_stmt_release);

  return _esa_store_search_index_debtors (self, (const gint64 *) (void *) nums->data, nums->len,
                                          FALSE, error);
}

/* Runs @apply with capture off and foreign keys checked at commit, inside
 * the caller's transaction. */
static gboolean
capture_off (EsaStore  *self,
             GError   **error)
{
  return esa_store_sync_set_capture (self, FALSE, error)
         && _esa_store_exec (self, "PRAGMA defer_foreign_keys = ON", error);
}

static gboolean
capture_on (EsaStore  *self,
            GError   **error)
{
  return esa_store_sync_set_capture (self, TRUE, error);
}

/* Applies server images in table order (upserts parents first, deletes
 * children first), for the revert of a conflicting operation. */
static gboolean
apply_images_in_table_order (EsaStore    *self,
                             JsonArray   *rows,
                             GHashTable  *touched,
                             GError     **error)
{
  guint n = json_array_get_length (rows);
  g_autofree guint *order = g_new (guint, n + 1);
  g_autofree gint *rank = g_new (gint, n + 1);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      JsonNode *after = row != NULL ? json_object_get_member (row, "after") : NULL;
      gint index = row != NULL
                   ? esa_store_sync_table_index (json_object_get_string_member_with_default (
                       row, "t", NULL))
                   : -1;
      gboolean deletion = after == NULL || JSON_NODE_HOLDS_NULL (after);

      order[i] = i;
      /* Deletions first, deepest tables first; then upserts, parents first. */
      rank[i] = deletion ? -1000 - index : index;
    }
  for (guint i = 1; i < n; i++)
    for (guint j = i; j > 0 && rank[order[j - 1]] > rank[order[j]]; j--)
      {
        guint swap = order[j];

        order[j] = order[j - 1];
        order[j - 1] = swap;
      }

  for (guint i = 0; i < n; i++)
    {
      JsonObject *row = json_array_get_object_element (rows, order[i]);

      if (row != NULL && !apply_image (self, row, touched, error))
        return FALSE;
    }
  return TRUE;
}

/* A conflict's images put the op's rows back as the server has them; a row
 * the server refused outright comes back as a deletion. When other local
 * rows still name such a row (the payments of a refused flow), deleting it
 * would break them, the commit would fail, and so would every later sync:
 * the row stays as it is, and the conflict tells the officer. The check is
 * immediate for these deletions only (the images of pulled rows may arrive
 * children first, and are checked at commit). */
static gboolean
apply_conflict_images (EsaStore    *self,
                       JsonArray   *rows,
                       GHashTable  *touched,
                       GError     **error)
{
  g_autoptr(JsonArray) upserts = json_array_new ();
  guint n = json_array_get_length (rows);
  guint n_tables;

  esa_store_sync_tables (&n_tables);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      JsonNode *after = row != NULL ? json_object_get_member (row, "after") : NULL;

      if (row != NULL && after != NULL && !JSON_NODE_HOLDS_NULL (after))
        json_array_add_object_element (upserts, json_object_ref (row));
    }
  if (!apply_images_in_table_order (self, upserts, touched, error))
    return FALSE;

  /* Deepest tables first, as apply_images_in_table_order() deletes. */
  for (gint index = (gint) n_tables - 1; index >= 0; index--)
    for (guint i = 0; i < n; i++)
      {
        JsonObject *row = json_array_get_object_element (rows, i);
        JsonNode *after = row != NULL ? json_object_get_member (row, "after") : NULL;
        const char *t = row != NULL ? json_object_get_string_member_with_default (row, "t", NULL)
                                    : NULL;
        g_autoptr(GError) local = NULL;
        gboolean kept;

        if (row == NULL || (after != NULL && !JSON_NODE_HOLDS_NULL (after))
            || esa_store_sync_table_index (t) != index)
          continue;
        if (!_esa_store_exec (self, "PRAGMA defer_foreign_keys = OFF; SAVEPOINT esa_conflict",
                              error))
          return FALSE;
        kept = !apply_image (self, row, touched, &local)
               && sqlite3_extended_errcode (_esa_store_get_db (self))
                  == SQLITE_CONSTRAINT_FOREIGNKEY;
        if (local != NULL && !kept)
          {
            g_propagate_error (error, g_steal_pointer (&local));
            return FALSE;
          }
        if (!_esa_store_exec (self, kept ? "ROLLBACK TO esa_conflict; RELEASE esa_conflict"
                                         : "RELEASE esa_conflict",
                              error)
            || !_esa_store_exec (self, "PRAGMA defer_foreign_keys = ON", error))
          return FALSE;
        if (kept)
          g_debug ("conflict: %s %s stays, other rows still name it", t,
                   json_object_get_string_member_with_default (row, "k", ""));
      }
  return TRUE;
}

gboolean
esa_store_sync_ack (EsaStore          *self,
                    JsonArray         *results,
                    EsaSyncAckCounts  *out_counts,
                    GError           **error)
{
  g_autoptr(GHashTable) touched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *now = _esa_store_now_iso ();
  EsaSyncAckCounts counts = { 0, 0, 0 };
  gboolean ok;
  guint n;

  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);

  if (!_esa_store_write_begin (self, error))
    return FALSE;
  ok = capture_off (self, error);

  n = json_array_get_length (results);
  for (guint i = 0; ok && i < n; i++)
    {
      JsonObject *result = json_array_get_object_element (results, i);
      g_autoptr(EsaStoreStmt) stmt = NULL;
      const char *op_id;
      const char *status;

      if (result == NULL)
        continue;
      op_id = json_object_get_string_member_with_default (result, "op_id", NULL);
      status = json_object_get_string_member_with_default (result, "status", "");
      if (op_id == NULL)
        continue;
      /* A repeated request gets the first answer as "duplicate": when that
       * first answer was a conflict the answer the device missed, the
       * conflict still has to be settled here. */
      if (g_str_equal (status, "duplicate")
          && json_object_get_string_member_with_default (result, "conflict_id", NULL) != NULL)
        status = "conflict";

      if (!g_str_equal (status, "applied") && !g_str_equal (status, "duplicate")
          && !g_str_equal (status, "conflict"))
        {
          g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID,
                       _("The server answered “%s” for operation %s"), status, op_id);
          ok = FALSE;
          break;
        }

      stmt = _esa_store_prepare (self,
                                 "UPDATE outbox SET acked_at = ?2, result = ?3 "
                                 "WHERE op_id = ?1 AND acked_at IS NULL",
                                 error);
      ok = stmt != NULL;
      if (ok)
        {
          _esa_stmt_bind_text (stmt, 1, op_id);
          _esa_stmt_bind_text (stmt, 2, now);
          _esa_stmt_bind_text (stmt, 3, status);
          ok = _esa_store_step_done (self, stmt, error);
        }
      if (!ok)
        break;
      /* An answer repeated by the network settles nothing twice. */
      if (sqlite3_changes (_esa_store_get_db (self)) == 0)
        continue;

      if (g_str_equal (status, "applied"))
        counts.applied++;
      else if (g_str_equal (status, "duplicate"))
        counts.duplicates++;
      else
        {
          JsonNode *node = json_object_get_member (result, "rows");
          JsonArray *rows = node != NULL && JSON_NODE_HOLDS_ARRAY (node)
                            ? json_node_get_array (node)
                            : NULL;

          counts.conflicts++;
          if (rows != NULL)
            ok = apply_conflict_images (self, rows, touched, error);
        }
    }

  ok = ok && reindex_debtors (self, touched, error) && capture_on (self, error);
  ok = _esa_store_write_end (self, ok, error);
  if (ok && out_counts != NULL)
    *out_counts = counts;
  return ok;
}

/* ---- pull --------------------------------------------------------------- */

static gboolean
purge_debtors (EsaStore            *self,
               const char * const  *ids,
               GError             **error)
{
  static const char * const statements[] = {
    "DELETE FROM debtor_search WHERE rowid IN "
    "(SELECT num FROM debtors WHERE id IN (SELECT id FROM temp.sync_purge))",
    "CREATE TEMP TABLE IF NOT EXISTS sync_purge_cases (id TEXT PRIMARY KEY)",
    "DELETE FROM temp.sync_purge_cases",
    "INSERT INTO temp.sync_purge_cases SELECT id FROM cases "
    "WHERE debtor_id IN (SELECT id FROM temp.sync_purge)",
    "DELETE FROM case_event_acts WHERE event_id IN (SELECT id FROM case_events WHERE case_id IN "
    "(SELECT id FROM temp.sync_purge_cases)) OR act_id IN (SELECT id FROM acts WHERE debtor_id IN "
    "(SELECT id FROM temp.sync_purge))",
    "DELETE FROM notifications WHERE act_id IN "
    "(SELECT id FROM acts WHERE debtor_id IN (SELECT id FROM temp.sync_purge))",
    "DELETE FROM payment_case_closures WHERE case_id IN (SELECT id FROM temp.sync_purge_cases) "
    "OR payment_id IN (SELECT id FROM payments WHERE debtor_id IN (SELECT id FROM temp.sync_purge))",
    "DELETE FROM payment_allocations WHERE position_id IN (SELECT id FROM positions WHERE debtor_id "
    "IN (SELECT id FROM temp.sync_purge)) OR payment_id IN (SELECT id FROM payments WHERE "
    "debtor_id IN (SELECT id FROM temp.sync_purge))",
    "DELETE FROM documents WHERE debtor_id IN (SELECT id FROM temp.sync_purge)",
    "DELETE FROM instalments WHERE plan_id IN (SELECT id FROM instalment_plans WHERE debtor_id IN "
    "(SELECT id FROM temp.sync_purge))",
    "DELETE FROM instalment_plans WHERE debtor_id IN (SELECT id FROM temp.sync_purge)",
    "DELETE FROM case_events WHERE case_id IN (SELECT id FROM temp.sync_purge_cases)",
    "DELETE FROM acts WHERE debtor_id IN (SELECT id FROM temp.sync_purge)",
    "DELETE FROM case_positions WHERE case_id IN (SELECT id FROM temp.sync_purge_cases) "
    "OR position_id IN (SELECT id FROM positions WHERE debtor_id IN "
    "(SELECT id FROM temp.sync_purge))",
    "DELETE FROM cases WHERE id IN (SELECT id FROM temp.sync_purge_cases)",
    "DELETE FROM payments WHERE debtor_id IN (SELECT id FROM temp.sync_purge) OR position_id IN "
    "(SELECT id FROM positions WHERE debtor_id IN (SELECT id FROM temp.sync_purge))",
    "DELETE FROM positions WHERE debtor_id IN (SELECT id FROM temp.sync_purge)",
    "DELETE FROM addresses WHERE debtor_id IN (SELECT id FROM temp.sync_purge)",
    "DELETE FROM debtor_contacts WHERE debtor_id IN (SELECT id FROM temp.sync_purge)",
    "DELETE FROM ticket_events WHERE ticket_id IN (SELECT id FROM tickets WHERE debtor_id IN "
    "(SELECT id FROM temp.sync_purge))",
    "DELETE FROM appointments WHERE debtor_id IN (SELECT id FROM temp.sync_purge)",
    "DELETE FROM tickets WHERE debtor_id IN (SELECT id FROM temp.sync_purge)",
    "DELETE FROM contact_log WHERE debtor_id IN (SELECT id FROM temp.sync_purge)",
    "DELETE FROM relations WHERE debtor_id IN (SELECT id FROM temp.sync_purge) "
    "OR other_id IN (SELECT id FROM temp.sync_purge)",
    "DELETE FROM conflicts WHERE debtor_id IN (SELECT id FROM temp.sync_purge)",
    "DELETE FROM assignments WHERE debtor_id IN (SELECT id FROM temp.sync_purge)",
    "DELETE FROM debtors WHERE id IN (SELECT id FROM temp.sync_purge)",
  };
  g_autoptr(EsaStoreStmt) add = NULL;

  if (ids == NULL || ids[0] == NULL)
    return TRUE;

  if (!_esa_store_exec (self,
                        "CREATE TEMP TABLE IF NOT EXISTS sync_purge (id TEXT PRIMARY KEY); "
                        "DELETE FROM temp.sync_purge;",
                        error))
    return FALSE;
  add = _esa_store_prepare (self, "INSERT OR IGNORE INTO temp.sync_purge (id) VALUES (?1)", error);
  if (add == NULL)
    return FALSE;
  for (guint i = 0; ids[i] != NULL; i++)
    {
      sqlite3_reset (add);
      _esa_stmt_bind_text (add, 1, ids[i]);
      if (!_esa_store_step_done (self, add, error))
        return FALSE;
    }
  g_clear_pointer (&add, _esa_store_stmt_release);

  for (guint i = 0; i < G_N_ELEMENTS (statements); i++)
    {
      if (!_esa_store_exec (self, statements[i], error))
        return FALSE;
    }
  return TRUE;
}

/* Notes the debtors whose search documents a page of a pull changed, in
 * the page's transaction: the end of the pull rebuilds each once, instead
 * of once per page that holds one of its rows. */
static gboolean
note_reindex (EsaStore    *self,
              GHashTable  *touched,
              GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  GHashTableIter iter;
  gpointer key;

  if (g_hash_table_size (touched) == 0)
    return TRUE;
  stmt = _esa_store_prepare (self, "INSERT OR IGNORE INTO sync_reindex (debtor_id) VALUES (?1)",
                             error);
  if (stmt == NULL)
    return FALSE;
  g_hash_table_iter_init (&iter, touched);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      sqlite3_reset (stmt);
      _esa_stmt_bind_text (stmt, 1, key);
      if (!_esa_store_step_done (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* Rebuilds the search documents of the debtors the pages noted, in one
 * transaction. */
static gboolean
reindex_noted (EsaStore  *self,
               GError   **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autoptr(GArray) nums = g_array_new (FALSE, FALSE, sizeof (gint64));
  gboolean row;
  gboolean ok;

  if (!_esa_store_write_begin (self, error))
    return FALSE;
  stmt = _esa_store_prepare (self,
                             "SELECT num FROM debtors WHERE id IN "
                             "(SELECT debtor_id FROM sync_reindex)",
                             error);
  ok = stmt != NULL;
  while (ok && (ok = _esa_store_step (self, stmt, &row, error)) && row)
    {
      gint64 num = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (nums, num);
    }
  g_clear_pointer (&stmt, _esa_store_stmt_release);
  ok = ok && _esa_store_search_index_debtors (self, (const gint64 *) (void *) nums->data,
                                              nums->len, FALSE, error)
       && _esa_store_exec (self, "DELETE FROM sync_reindex", error);
  return _esa_store_write_end (self, ok, error);
}

gboolean
esa_store_sync_pull_begin (EsaStore  *self,
                           GError   **error)
{
  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);

  if (!_esa_store_exec (self, "PRAGMA foreign_keys = OFF", error))
    return FALSE;
  g_object_set_data (G_OBJECT (self), "esa-sync-pulling", GINT_TO_POINTER (TRUE));
  return TRUE;
}

gboolean
esa_store_sync_pull_end (EsaStore  *self,
                         gint64    *out_dangling,
                         GError   **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row;

  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);

  g_object_set_data (G_OBJECT (self), "esa-sync-pulling", NULL);
  /* The pages that landed are searchable even when a later one failed. */
  if (!reindex_noted (self, error) || !_esa_store_exec (self, "PRAGMA foreign_keys = ON", error))
    return FALSE;
  if (out_dangling == NULL)
    return TRUE;
  stmt = _esa_store_prepare (self, "SELECT count(*) FROM pragma_foreign_key_check", error);
  if (stmt == NULL || !_esa_store_step (self, stmt, &row, error))
    return FALSE;
  *out_dangling = row ? sqlite3_column_int64 (stmt, 0) : 0;
  return TRUE;
}

gboolean
esa_store_sync_purge (EsaStore            *self,
                      const char * const  *debtor_ids,
                      GError             **error)
{
  gboolean ok;

  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);

  if (!_esa_store_write_begin (self, error))
    return FALSE;
  ok = capture_off (self, error) && purge_debtors (self, debtor_ids, error)
       && capture_on (self, error);
  return _esa_store_write_end (self, ok, error);
}

gboolean
esa_store_sync_apply_pull (EsaStore    *self,
                           JsonArray   *rows,
                           JsonArray   *purge,
                           const char  *next_cursor,
                           guint       *out_applied,
                           GError     **error)
{
  g_autoptr(GHashTable) touched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) purged = g_ptr_array_new ();
  g_autofree char *now = _esa_store_now_iso ();
  g_autofree char *summary = NULL;
  guint n = rows != NULL ? json_array_get_length (rows) : 0;
  gboolean ok;

  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);

  if (purge != NULL)
    for (guint i = 0; i < json_array_get_length (purge); i++)
      {
        const char *id = json_array_get_string_element (purge, i);

        if (id != NULL)
          g_ptr_array_add (purged, (gpointer) id);
      }
  g_ptr_array_add (purged, NULL);

  if (!_esa_store_write_begin (self, error))
    return FALSE;
  ok = capture_off (self, error);
  for (guint i = 0; ok && i < n; i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);

      if (row != NULL)
        ok = apply_image (self, row, touched, error);
    }
  ok = ok && purge_debtors (self, (const char * const *) purged->pdata, error);
  if (ok)
    for (guint i = 0; purged->pdata[i] != NULL; i++)
      g_hash_table_remove (touched, purged->pdata[i]);
  ok = ok
       && (g_object_get_data (G_OBJECT (self), "esa-sync-pulling") != NULL
           ? note_reindex (self, touched, error)
           : reindex_debtors (self, touched, error))
       && (next_cursor == NULL
           || esa_store_sync_state_set (self, ESA_SYNC_STATE_CURSOR, next_cursor, error))
       && esa_store_sync_state_set (self, ESA_SYNC_STATE_LAST_SYNC, now, error);
  if (ok && (n > 0 || purged->len > 1))
    {
      /* Translators: the audit journal's entry for a page of rows from the
       * server */
      summary = g_strdup_printf (_("Received %u rows from the server, removed %u dossiers"), n,
                                 purged->len - 1);
      ok = _esa_store_audit_append (self, now, esa_store_get_acting_user (self), "sync", "sync",
                                    next_cursor != NULL ? next_cursor : "", NULL, summary, error);
    }
  ok = ok && capture_on (self, error);
  ok = _esa_store_write_end (self, ok, error);
  if (ok && out_applied != NULL)
    *out_applied = n;
  return ok;
}

gboolean
esa_store_sync_reindex_debtors (EsaStore            *self,
                                const char * const  *debtor_ids,
                                GError             **error)
{
  g_autoptr(GHashTable) touched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean ok;

  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);

  for (guint i = 0; debtor_ids != NULL && debtor_ids[i] != NULL; i++)
    g_hash_table_add (touched, g_strdup (debtor_ids[i]));
  if (g_hash_table_size (touched) == 0)
    return TRUE;
  if (!_esa_store_write_begin (self, error))
    return FALSE;
  ok = reindex_debtors (self, touched, error);
  return _esa_store_write_end (self, ok, error);
}

/* ---- reading replicas --------------------------------------------------- */

static char *
image_select_sql (EsaStore            *self,
                  const EsaSyncTable  *table,
                  const char          *where,
                  GError             **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT ");
  GStrv columns = table_columns (self, table->name, error);

  if (columns == NULL)
    return NULL;
  append_key_sql (sql, table->key, "");
  g_string_append (sql, ", ");
  append_image_sql (sql, columns, "");
  g_string_append_printf (sql, " FROM \"%s\"%s", table->name, where);
  return g_string_free (g_steal_pointer (&sql), FALSE);
}

JsonObject *
esa_store_sync_dump_table (EsaStore    *self,
                           const char  *table_name,
                           GError     **error)
{
  const EsaSyncTable *table = esa_store_sync_table_lookup (table_name);
  g_autoptr(JsonObject) out = NULL;
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autofree char *sql = NULL;
  gboolean row;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (table != NULL, NULL);

  sql = image_select_sql (self, table, " ORDER BY 1", error);
  if (sql == NULL || (stmt = _esa_store_prepare (self, sql, error)) == NULL)
    return NULL;

  out = json_object_new ();
  while (_esa_store_step (self, stmt, &row, error) && row)
    json_object_set_member (out, (const char *) sqlite3_column_text (stmt, 0),
                            parse_json ((const char *) sqlite3_column_text (stmt, 1)));
  if (error != NULL && *error != NULL)
    return NULL;
  return g_steal_pointer (&out);
}

JsonNode *
esa_store_sync_row_image (EsaStore    *self,
                          const char  *table_name,
                          const char  *key,
                          GError     **error)
{
  const EsaSyncTable *table = esa_store_sync_table_lookup (table_name);
  g_autoptr(GString) where = g_string_new (" WHERE ");
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autofree char *sql = NULL;
  g_auto(GStrv) parts = g_strsplit (key, "|", -1);
  gboolean row;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (table != NULL, NULL);

  for (guint i = 0; table->key[i] != NULL; i++)
    g_string_append_printf (where, "%s\"%s\" = ?%u", i > 0 ? " AND " : "", table->key[i], i + 1);
  sql = image_select_sql (self, table, where->str, error);
  if (sql == NULL || (stmt = _esa_store_prepare (self, sql, error)) == NULL)
    return NULL;
  for (guint i = 0; table->key[i] != NULL; i++)
    _esa_stmt_bind_text (stmt, (int) i + 1, g_strv_length (parts) > i ? parts[i] : NULL);
  if (!_esa_store_step (self, stmt, &row, error) || !row)
    return NULL;
  return parse_json ((const char *) sqlite3_column_text (stmt, 1));
}

/* ---- conflicts ---------------------------------------------------------- */

void
esa_sync_conflict_free (EsaSyncConflict *conflict)
{
  if (conflict == NULL)
    return;
  g_free (conflict->id);
  g_free (conflict->op_id);
  g_free (conflict->entity);
  g_free (conflict->entity_id);
  g_free (conflict->debtor_id);
  g_free (conflict->debtor_name);
  g_free (conflict->kind);
  g_free (conflict->message);
  g_free (conflict->local);
  g_free (conflict->server);
  g_free (conflict->state);
  g_free (conflict->resolved_by);
  g_free (conflict->resolved_at);
  g_free (conflict->resolution);
  g_free (conflict->created_at);
  g_free (conflict->user_id);
  g_free (conflict->user_name);
  g_free (conflict);
}

/* The conflicts with @where (bound: ?1 an int, ?2 a text), newest first. */
static GPtrArray *
select_conflicts (EsaStore    *self,
                  const char  *where,
                  int          flag,
                  const char  *id,
                  GError     **error)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autofree char *sql = NULL;
  gboolean row;

  sql = g_strconcat ("SELECT c.id, c.op_id, c.entity, c.entity_id, c.debtor_id, d.name, "
                     "c.kind, c.message, c.local, c.server, c.state, c.resolved_by, "
                     "c.resolved_at, c.resolution, c.created_at, c.user_id, u.name "
                     "FROM conflicts c LEFT JOIN debtors d ON d.id = c.debtor_id "
                     "LEFT JOIN users u ON u.id = c.user_id WHERE ", where,
                     " ORDER BY c.created_at DESC, c.rowid DESC", NULL);
  stmt = _esa_store_prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, flag);
  _esa_stmt_bind_text (stmt, 2, id);
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) esa_sync_conflict_free);
  while (_esa_store_step (self, stmt, &row, error) && row)
    {
      EsaSyncConflict *conflict = g_new0 (EsaSyncConflict, 1);

      conflict->id = _esa_stmt_dup_text (stmt, 0);
      conflict->op_id = _esa_stmt_dup_text (stmt, 1);
      conflict->entity = _esa_stmt_dup_text (stmt, 2);
      conflict->entity_id = _esa_stmt_dup_text (stmt, 3);
      conflict->debtor_id = _esa_stmt_dup_text (stmt, 4);
      conflict->debtor_name = _esa_stmt_dup_text (stmt, 5);
      conflict->kind = _esa_stmt_dup_text (stmt, 6);
      conflict->message = _esa_stmt_dup_text (stmt, 7);
      conflict->local = _esa_stmt_dup_text (stmt, 8);
      conflict->server = _esa_stmt_dup_text (stmt, 9);
      conflict->state = _esa_stmt_dup_text (stmt, 10);
      conflict->resolved_by = _esa_stmt_dup_text (stmt, 11);
      conflict->resolved_at = _esa_stmt_dup_text (stmt, 12);
      conflict->resolution = _esa_stmt_dup_text (stmt, 13);
      conflict->created_at = _esa_stmt_dup_text (stmt, 14);
      conflict->user_id = _esa_stmt_dup_text (stmt, 15);
      conflict->user_name = _esa_stmt_dup_text (stmt, 16);
      g_ptr_array_add (list, conflict);
    }
  if (error != NULL && *error != NULL)
    return NULL;
  return g_steal_pointer (&list);
}

GPtrArray *
esa_store_sync_list_conflicts (EsaStore  *self,
                               gboolean   open_only,
                               GError   **error)
{
  g_return_val_if_fail (ESA_IS_STORE (self), NULL);

  return select_conflicts (self, "?1 = 0 OR c.state = 'open'", open_only ? 1 : 0, NULL, error);
}

EsaSyncConflict *
esa_store_sync_get_conflict (EsaStore    *self,
                             const char  *conflict_id,
                             GError     **error)
{
  g_autoptr(GPtrArray) list = NULL;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);

  list = select_conflicts (self, "c.id = ?2", 0, conflict_id, error);
  if (list == NULL)
    return NULL;
  if (list->len == 0)
    {
      g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_NOT_FOUND,
                   _("No conflict with id %s"), conflict_id);
      return NULL;
    }
  return g_ptr_array_steal_index (list, 0);
}

static JsonNode *
fields_payload (const char *first_field,
                ...)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *field = first_field;
  va_list args;

  va_start (args, first_field);
  json_builder_begin_object (builder);
  while (field != NULL)
    {
      json_builder_set_member_name (builder, field);
      json_builder_add_string_value (builder, va_arg (args, const char *));
      field = va_arg (args, const char *);
    }
  json_builder_end_object (builder);
  va_end (args);
  return json_builder_get_root (builder);
}

/* The open conflict @conflict_id, inside the caller's transaction: an error
 * when it is missing or already resolved. */
static EsaSyncConflict *
open_conflict (EsaStore    *self,
               const char  *conflict_id,
               GError     **error)
{
  g_autoptr(EsaSyncConflict) conflict = esa_store_sync_get_conflict (self, conflict_id, error);

  if (conflict == NULL)
    return NULL;
  if (g_strcmp0 (conflict->state, "resolved") == 0)
    {
      g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID,
                   _("Conflict %s is already resolved"), conflict_id);
      return NULL;
    }
  return g_steal_pointer (&conflict);
}

/* Marks the conflict resolved, inside the caller's transaction: a field
 * operation on the synced conflicts row, so that everyone in the office sees
 * it resolved, and an audit entry. */
static gboolean
mark_resolved (EsaStore         *self,
               EsaSyncConflict  *conflict,
               const char       *resolution,
               GError          **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autoptr(EsaStoreStmt) version = NULL;
  g_autoptr(JsonNode) payload = NULL;
  g_autofree char *now = _esa_store_now_iso ();
  const char *user = esa_store_get_acting_user (self);
  gint64 base = 0;
  gboolean row;

  version = _esa_store_prepare (self, "SELECT version FROM conflicts WHERE id = ?1", error);
  if (version == NULL)
    return FALSE;
  _esa_stmt_bind_text (version, 1, conflict->id);
  if (!_esa_store_step (self, version, &row, error))
    return FALSE;
  if (row)
    base = sqlite3_column_int64 (version, 0);
  g_clear_pointer (&version, _esa_store_stmt_release);

  stmt = _esa_store_prepare (self,
                             "UPDATE conflicts SET state = 'resolved', resolved_by = ?2, "
                             "resolved_at = ?3, resolution = ?4, version = version + 1 "
                             "WHERE id = ?1",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, conflict->id);
  _esa_stmt_bind_text (stmt, 2, user);
  _esa_stmt_bind_text (stmt, 3, now);
  _esa_stmt_bind_text (stmt, 4, resolution);
  if (!_esa_store_step_done (self, stmt, error))
    return FALSE;

  payload = fields_payload ("state", "resolved", "resolved_by", user, "resolved_at", now,
                            "resolution", resolution, NULL);
  return _esa_store_outbox_append (self, "field", "conflict", conflict->id, payload, base, error)
         && _esa_store_audit_append (self, now, user, "resolve", "conflict", conflict->id,
                                     conflict->debtor_id, resolution, error);
}

gboolean
esa_store_sync_resolve_conflict (EsaStore    *self,
                                 const char  *conflict_id,
                                 const char  *resolution,
                                 GError     **error)
{
  g_autoptr(EsaSyncConflict) conflict = NULL;
  gboolean ok;

  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);
  g_return_val_if_fail (resolution != NULL, FALSE);

  if (!_esa_store_check_action (self, ESA_ACTION_SYNC_RESOLVE, error))
    return FALSE;
  if (!_esa_store_write_begin (self, error))
    return FALSE;
  conflict = open_conflict (self, conflict_id, error);
  ok = conflict != NULL && mark_resolved (self, conflict, resolution, error);
  return _esa_store_write_end (self, ok, error);
}

/* ---- apply mine again ---------------------------------------------------- */

/* A stored field value of a case step as esa_store_case_do() takes it:
 * amounts as "1234.50", booleans "true"/"false", items as a JSON array with
 * their amounts as text. (transfer full) */
static char *
field_text (const EsaField *field,
            JsonNode       *value)
{
  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return NULL;
  if (field->type == ESA_FIELD_AMOUNT && JSON_NODE_HOLDS_VALUE (value)
      && json_node_get_value_type (value) == G_TYPE_INT64)
    {
      gint64 minor = json_node_get_int (value);
      guint64 units = (guint64) ABS (minor);

      return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%02u", minor < 0 ? "-" : "",
                              units / 100, (guint) (units % 100));
    }
  if (field->type == ESA_FIELD_BOOL && JSON_NODE_HOLDS_VALUE (value))
    return g_strdup (json_node_get_boolean (value) ? "true" : "false");
  if (field->type == ESA_FIELD_ITEMS && JSON_NODE_HOLDS_ARRAY (value) && field->items != NULL)
    {
      g_autoptr(JsonNode) copy = json_node_copy (value);
      JsonArray *items = json_node_get_array (copy);

      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonObject *item = json_array_get_object_element (items, i);

          for (guint f = 0; item != NULL && f < field->items->len; f++)
            {
              const EsaField *part = g_ptr_array_index (field->items, f);
              g_autofree char *text = NULL;

              if (part->type != ESA_FIELD_AMOUNT || !json_object_has_member (item, part->id))
                continue;
              text = field_text (part, json_object_get_member (item, part->id));
              if (text != NULL)
                json_object_set_string_member (item, part->id, text);
            }
        }
      return json_to_string (copy, FALSE);
    }
  if (JSON_NODE_HOLDS_VALUE (value))
    {
      if (json_node_get_value_type (value) == G_TYPE_STRING)
        return g_strdup (json_node_get_string (value));
      if (json_node_get_value_type (value) == G_TYPE_INT64)
        return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (value));
    }
  return json_to_string (value, FALSE);
}

/* Takes the refused step again on the case as it is now, dated today, with
 * the fields the officer entered. */
static gboolean
redo_step (EsaStore    *self,
           JsonObject  *op,
           GError     **error)
{
  const char *case_id = json_object_get_string_member_with_default (op, "entity_id", NULL);
  JsonObject *payload = json_object_get_object_member (op, "payload");
  JsonObject *event = payload != NULL ? json_object_get_object_member (payload, "event") : NULL;
  const char *action_id = event != NULL
                          ? json_object_get_string_member_with_default (event, "action", NULL)
                          : NULL;
  const char *occurred = json_object_get_string_member_with_default (event, "occurred_on", "");
  JsonObject *given = event != NULL && json_object_has_member (event, "fields")
                      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (event, "fields"))
                      ? json_object_get_object_member (event, "fields")
                      : NULL;
  g_autoptr(GHashTable) fields = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GPtrArray) statuses = NULL;
  g_autofree char *event_id = NULL;
  const EsaActionStatus *status = NULL;

  if (case_id == NULL || action_id == NULL || g_str_equal (action_id, "undo"))
    {
      g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID,
                   _("The refused change is not a step that can be taken again"));
      return FALSE;
    }
  statuses = esa_store_case_actions (self, case_id, NULL, error);
  if (statuses == NULL)
    return FALSE;
  for (guint i = 0; i < statuses->len; i++)
    if (g_str_equal (((EsaActionStatus *) g_ptr_array_index (statuses, i))->action->id,
                     action_id))
      status = g_ptr_array_index (statuses, i);
  if (status == NULL || !status->available)
    {
      g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID,
                   /* Translators: %s is a procedure step's id, the second %s why not */
                   _("The step “%s” cannot be taken again on the case as it is now: %s"),
                   action_id,
                   status != NULL && status->reason != NULL
                   ? status->reason
                   : _("the procedure does not offer it in the case's state"));
      return FALSE;
    }

  for (guint i = 0; given != NULL && i < status->action->fields->len; i++)
    {
      const EsaField *field = g_ptr_array_index (status->action->fields, i);
      JsonNode *value = json_object_get_member (given, field->id);
      char *text;

      /* The step's date was the day it was first taken: now it is today. */
      if (field->type == ESA_FIELD_DATE && value != NULL && JSON_NODE_HOLDS_VALUE (value)
          && g_strcmp0 (json_node_get_string (value), occurred) == 0)
        continue;
      text = field_text (field, value);
      if (text != NULL)
        g_hash_table_insert (fields, field->id, text);
    }

  event_id = esa_store_case_do (self, case_id, action_id, NULL, fields, error);
  return event_id != NULL;
}

/* Writes this side's after-images over the current rows with capture on, so
 * that the triggers record the current rows as the new operation's base. */
static gboolean
rewrite_rows (EsaStore    *self,
              JsonObject  *op,
              GError     **error)
{
  JsonNode *node = json_object_get_member (op, "rows");
  g_autoptr(GHashTable) touched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(JsonNode) payload = NULL;
  g_autofree char *summary = NULL;
  JsonArray *rows;
  gint64 base = 0;
  gboolean any = FALSE;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID,
                   _("The refused change carries no rows to write again"));
      return FALSE;
    }
  rows = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      const char *t = row != NULL ? json_object_get_string_member_with_default (row, "t", NULL)
                                  : NULL;
      const char *k = row != NULL ? json_object_get_string_member_with_default (row, "k", NULL)
                                  : NULL;
      const EsaSyncTable *table = esa_store_sync_table_lookup (t);
      JsonNode *after = row != NULL ? json_object_get_member (row, "after") : NULL;
      g_autoptr(JsonNode) current = NULL;
      g_autoptr(JsonObject) image = NULL;
      g_autoptr(GError) local_error = NULL;

      if (table == NULL || k == NULL)
        continue;
      current = esa_store_sync_row_image (self, t, k, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (after == NULL || !JSON_NODE_HOLDS_OBJECT (after))
        {
          if (current != NULL && !delete_row (self, table, k, error))
            return FALSE;
          any |= current != NULL;
          continue;
        }

      /* Every field as this side had it, on the row's current version. */
      image = json_object_new ();
      {
        g_autoptr(GList) members = json_object_get_members (json_node_get_object (after));

        for (GList *l = members; l != NULL; l = l->next)
          json_object_set_member (image, l->data,
                                  json_node_copy (json_object_get_member (
                                    json_node_get_object (after), l->data)));
      }
      if (current != NULL && JSON_NODE_HOLDS_OBJECT (current)
          && json_object_has_member (json_node_get_object (current), "version"))
        {
          base = MAX (base, json_object_get_int_member (json_node_get_object (current),
                                                        "version"));
          json_object_set_int_member (image, "version",
                                      json_object_get_int_member (json_node_get_object (current),
                                                                  "version"));
        }
      if (!upsert_over_local (self, table, image, error))
        return FALSE;
      if (image_debtor (table, image) != NULL)
        g_hash_table_add (touched, g_strdup (image_debtor (table, image)));
      any = TRUE;
    }
  if (!any)
    return TRUE;

  payload = json_node_copy (json_object_get_member (op, "payload"));
  if (payload == NULL || !JSON_NODE_HOLDS_OBJECT (payload))
    {
      g_clear_pointer (&payload, json_node_unref);
      payload = json_node_init_object (json_node_alloc (), json_object_new ());
    }
  /* Translators: audit summary of "Apply Mine Again"; %s is an operation id */
  summary = g_strdup_printf (_("Change %s written again over the server's version"),
                             json_object_get_string_member_with_default (op, "op_id", ""));
  return reindex_debtors (self, touched, error)
         && _esa_store_outbox_append (self,
                                      json_object_get_string_member_with_default (op, "kind",
                                                                                  "field"),
                                      json_object_get_string_member_with_default (op, "entity",
                                                                                  ""),
                                      json_object_get_string_member_with_default (op,
                                                                                  "entity_id",
                                                                                  ""),
                                      payload, base, error)
         && _esa_store_audit_append (self, NULL, esa_store_get_acting_user (self), "reapply",
                                     json_object_get_string_member_with_default (op, "entity",
                                                                                 ""),
                                     json_object_get_string_member_with_default (op,
                                                                                 "entity_id",
                                                                                 ""),
                                     NULL, summary, error);
}

gboolean
esa_store_sync_apply_mine_again (EsaStore    *self,
                                 const char  *conflict_id,
                                 GError     **error)
{
  g_autoptr(EsaSyncConflict) conflict = NULL;
  g_autoptr(JsonNode) local = NULL;
  JsonObject *op = NULL;
  gboolean ok;

  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);

  if (!_esa_store_check_action (self, ESA_ACTION_SYNC_RESOLVE, error))
    return FALSE;
  if (!_esa_store_write_begin (self, error))
    return FALSE;
  conflict = open_conflict (self, conflict_id, error);
  ok = conflict != NULL;
  if (ok)
    {
      local = conflict->local != NULL ? json_from_string (conflict->local, NULL) : NULL;
      op = local != NULL && JSON_NODE_HOLDS_OBJECT (local) ? json_node_get_object (local) : NULL;
      if (op == NULL)
        {
          g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID,
                       _("Conflict %s does not hold this side's change"), conflict_id);
          ok = FALSE;
        }
    }
  /* A case's step is taken again through the procedure engine: its old
   * rows would collide with the step and act numbers given meanwhile. */
  if (ok && g_strcmp0 (json_object_get_string_member_with_default (op, "kind", NULL),
                       "command") == 0
      && g_strcmp0 (json_object_get_string_member_with_default (op, "entity", NULL),
                    "case") == 0)
    ok = redo_step (self, op, error);
  else if (ok)
    ok = rewrite_rows (self, op, error);
  ok = ok && mark_resolved (self, conflict, _("Applied this side's change again"), error);
  return _esa_store_write_end (self, ok, error);
}

/* ---- assignments -------------------------------------------------------- */

char *
esa_store_sync_assign (EsaStore    *self,
                       const char  *debtor_id,
                       const char  *user_id,
                       GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autoptr(JsonNode) payload = NULL;
  g_autofree char *id = esa_uuid_new ();
  g_autofree char *now = _esa_store_now_iso ();
  g_autofree char *summary = NULL;
  gboolean ok;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);

  if (!_esa_store_write_begin (self, error))
    return NULL;
  stmt = _esa_store_prepare (self,
                             "INSERT INTO assignments (id, debtor_id, user_id, since) "
                             "SELECT ?1, ?2, ?3, ?4 WHERE EXISTS "
                             "(SELECT 1 FROM debtors WHERE id = ?2) AND EXISTS "
                             "(SELECT 1 FROM users WHERE id = ?3) "
                             "ON CONFLICT (debtor_id, user_id) DO NOTHING",
                             error);
  ok = stmt != NULL;
  if (ok)
    {
      _esa_stmt_bind_text (stmt, 1, id);
      _esa_stmt_bind_text (stmt, 2, debtor_id);
      _esa_stmt_bind_text (stmt, 3, user_id);
      _esa_stmt_bind_text (stmt, 4, now);
      ok = _esa_store_step_done (self, stmt, error);
    }
  if (ok && sqlite3_changes (_esa_store_get_db (self)) == 0)
    {
      g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID,
                   _("Cannot assign debtor %s to user %s: unknown debtor or user, or already "
                     "assigned"),
                   debtor_id, user_id);
      ok = FALSE;
    }
  if (ok)
    {
      payload = fields_payload ("debtor_id", debtor_id, "user_id", user_id, NULL);
      /* Translators: audit summary; %s is a user id */
      summary = g_strdup_printf (_("Dossier taken offline by %s"), user_id);
      ok = _esa_store_outbox_append (self, "event", "assignment", id, payload, 0, error)
           && _esa_store_audit_append (self, now, esa_store_get_acting_user (self), "assign",
                                       "assignment", id, debtor_id, summary, error);
    }
  if (!_esa_store_write_end (self, ok, error))
    return NULL;
  return g_steal_pointer (&id);
}

gboolean
esa_store_sync_unassign (EsaStore    *self,
                         const char  *debtor_id,
                         const char  *user_id,
                         GError     **error)
{
  g_autoptr(EsaStoreStmt) find = NULL;
  g_autoptr(EsaStoreStmt) remove = NULL;
  g_autoptr(JsonNode) payload = NULL;
  g_autofree char *id = NULL;
  g_autofree char *now = _esa_store_now_iso ();
  gint64 version = 0;
  gboolean row = FALSE;
  gboolean ok;

  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);

  if (!_esa_store_write_begin (self, error))
    return FALSE;
  find = _esa_store_prepare (self,
                             "SELECT id, version FROM assignments "
                             "WHERE debtor_id = ?1 AND user_id = ?2",
                             error);
  ok = find != NULL;
  if (ok)
    {
      _esa_stmt_bind_text (find, 1, debtor_id);
      _esa_stmt_bind_text (find, 2, user_id);
      ok = _esa_store_step (self, find, &row, error);
    }
  if (ok && !row)
    {
      g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_NOT_FOUND,
                   _("Debtor %s is not assigned to user %s"), debtor_id, user_id);
      ok = FALSE;
    }
  if (ok)
    {
      id = _esa_stmt_dup_text (find, 0);
      version = sqlite3_column_int64 (find, 1);
    }
  g_clear_pointer (&find, _esa_store_stmt_release);
  if (ok)
    {
      remove = _esa_store_prepare (self, "DELETE FROM assignments WHERE id = ?1", error);
      ok = remove != NULL;
    }
  if (ok)
    {
      _esa_stmt_bind_text (remove, 1, id);
      ok = _esa_store_step_done (self, remove, error);
    }
  if (ok)
    {
      payload = fields_payload ("debtor_id", debtor_id, "user_id", user_id, NULL);
      ok = _esa_store_outbox_append (self, "command", "assignment", id, payload, version, error)
           && _esa_store_audit_append (self, now, esa_store_get_acting_user (self), "unassign",
                                       "assignment", id, debtor_id,
                                       _("Dossier no longer offline"), error);
    }
  return _esa_store_write_end (self, ok, error);
}

GStrv
esa_store_sync_assigned (EsaStore    *self,
                         const char  *user_id,
                         GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  gboolean row;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);

  stmt = _esa_store_prepare (self,
                             "SELECT debtor_id FROM assignments WHERE user_id = ?1 "
                             "ORDER BY debtor_id",
                             error);
  if (stmt == NULL)
    return NULL;
  _esa_stmt_bind_text (stmt, 1, user_id);
  while (_esa_store_step (self, stmt, &row, error) && row)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  if (error != NULL && *error != NULL)
    return NULL;
  return g_strv_builder_end (builder);
}
