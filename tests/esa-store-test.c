/* esa-store-test.c: what the store tests share (see the header)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <sqlite3.h>

#include "esa-store-private.h"
#include "esa-store-test.h"

EsaStore *
esa_store_test_open_memory (EsaParameters **out_params,
                            GPtrArray     **out_procedures)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = esa_data_dir ("procedures");
  g_autoptr(EsaStore) store = esa_store_open_memory (&error);
  g_autoptr(EsaParameters) params = NULL;
  g_autoptr(GPtrArray) procedures = NULL;

  g_assert_no_error (error);
  params = esa_parameters_load_default (&error);
  g_assert_no_error (error);
  procedures = esa_procedure_load_dir (dir, params, &error);
  g_assert_no_error (error);
  esa_store_set_procedures (store, procedures, params);

  *out_params = g_steal_pointer (&params);
  *out_procedures = g_steal_pointer (&procedures);
  return g_steal_pointer (&store);
}

void
esa_store_test_exec (EsaStore   *store,
                     const char *sql)
{
  char *message = NULL;
  int rc = sqlite3_exec (_esa_store_get_db (store), sql, NULL, NULL, &message);

  if (rc != SQLITE_OK)
    g_test_message ("%s: %s", sql, message);
  sqlite3_free (message);
  g_assert_cmpint (rc, ==, SQLITE_OK);
}

gint64
esa_store_test_sql_int (EsaStore   *store,
                        const char *sql,
                        const char *param)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (_esa_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  if (param != NULL)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

char *
esa_store_test_sql_text (EsaStore   *store,
                         const char *sql,
                         const char *param)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_esa_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  if (param != NULL)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

GHashTable *
esa_store_test_count_rows (EsaStore   *store,
                           const char *skip_prefix)
{
  GHashTable *counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_esa_store_get_db (store),
                                       "SELECT name FROM sqlite_schema WHERE type = 'table' "
                                       "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);
      g_autofree char *sql = NULL;
      gint64 *count;

      if (skip_prefix != NULL && g_str_has_prefix (name, skip_prefix))
        continue;
      sql = g_strdup_printf ("SELECT count(*) FROM \"%s\"", name);
      count = g_new (gint64, 1);
      *count = esa_store_test_sql_int (store, sql, NULL);
      g_hash_table_insert (counts, g_strdup (name), count);
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (g_hash_table_size (counts), >, 20);
  return counts;
}

void
esa_store_test_assert_same_counts (GHashTable *before,
                                   GHashTable *after)
{
  GHashTableIter iter;
  gpointer name, count;

  g_assert_cmpuint (g_hash_table_size (before), ==, g_hash_table_size (after));
  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &name, &count))
    {
      gint64 *other = g_hash_table_lookup (after, name);

      g_assert_nonnull (other);
      if (*other != *(gint64 *) count)
        g_error ("table %s: %" G_GINT64_FORMAT " rows before, %" G_GINT64_FORMAT " after",
                 (const char *) name, *(gint64 *) count, *other);
    }
}

char *
esa_store_test_add_user (EsaStore   *store,
                         const char *office,
                         const char *login,
                         EsaRole     role)
{
  g_autoptr(GError) error = NULL;
  EsaUser user = { NULL, (char *) login, (char *) login, role, (char *) office, NULL };
  char *id = esa_store_add_user (store, &user, &error);

  g_assert_no_error (error);
  return id;
}
