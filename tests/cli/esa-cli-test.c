/* esa-cli-test.c: what the tests of esattore-cli share (see the header)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>

#include "esa-cli-test.h"

void
esa_cli_result_free (EsaCliResult *result)
{
  g_free (result->out);
  g_free (result->err);
  g_free (result);
}

EsaCliResult *
esa_cli_test_run_in (const char *language,
                     const char *first_arg,
                     ...)
{
  const char *cli = g_getenv ("ESATTORE_CLI");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  g_autofree char *command_line = NULL;
  EsaCliResult *result = g_new0 (EsaCliResult, 1);
  const char *arg;
  int wait_status = 0;
  va_list args;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (char *) cli);
  va_start (args, first_arg);
  for (arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  envp = g_environ_setenv (envp, "LC_ALL", "C.UTF-8", TRUE);
  if (language != NULL)
    envp = g_environ_setenv (envp, "LANGUAGE", language, TRUE);
  else
    envp = g_environ_unsetenv (envp, "LANGUAGE");

  command_line = g_strjoinv (" ", (char **) argv->pdata);
  g_test_message ("running %s", command_line);

  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                &result->out, &result->err, &wait_status, &error);
  g_assert_no_error (error);

  if (g_spawn_check_wait_status (wait_status, &error))
    result->status = 0;
  else if (error->domain == G_SPAWN_EXIT_ERROR)
    result->status = error->code;
  else
    {
      g_test_message ("%s did not exit normally: %s\n%s", command_line, error->message,
                      result->err);
      g_assert_not_reached ();
    }

  if (result->status != 0)
    g_test_message ("exit %d, stderr: %s", result->status, result->err);
  return result;
}

char *
esa_cli_test_make_dir (const char *pattern)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp (pattern, &error);

  g_assert_no_error (error);
  return dir;
}

void
esa_cli_test_remove_dir (const char *dir)
{
  g_autoptr(GDir) files = g_dir_open (dir, 0, NULL);
  const char *name;

  while (files != NULL && (name = g_dir_read_name (files)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_remove (path);
    }
  g_rmdir (dir);
}

char *
esa_cli_test_demo_database (const char *dir,
                            const char *file,
                            guint       debtors)
{
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autofree char *count = g_strdup_printf ("%u", debtors);
  g_autoptr(EsaCliResult) result = esa_cli_test_run ("--db", path, "demo", "--debtors", count,
                                                     NULL);

  g_assert_cmpint (result->status, ==, 0);
  return g_steal_pointer (&path);
}

JsonNode *
esa_cli_test_parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_parser_steal_root (parser);
}

void
esa_cli_test_assert_members (JsonObject *object,
                             const char *expected)
{
  g_autoptr(GList) members = json_object_get_members (object);
  g_autoptr(GString) names = g_string_new (NULL);

  for (GList *l = members; l != NULL; l = l->next)
    {
      if (names->len > 0)
        g_string_append_c (names, ',');
      g_string_append (names, l->data);
    }
  g_assert_cmpstr (names->str, ==, expected);
}

/* Created when missing, as some tests write foreign SQLite files the CLI
 * must refuse. */
sqlite3 *
esa_cli_test_sql_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
                   ==, SQLITE_OK);
  return db;
}

sqlite3_stmt *
esa_cli_test_sql_prepare (sqlite3    *db,
                          const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_test_message ("%s: %s", sql, sqlite3_errmsg (db));
  g_assert_nonnull (stmt);
  return stmt;
}

gint64
esa_cli_test_sql_int (const char *path,
                      const char *sql,
                      const char *param)
{
  sqlite3 *db = esa_cli_test_sql_open (path);
  sqlite3_stmt *stmt = esa_cli_test_sql_prepare (db, sql);
  gint64 value;

  if (param != NULL)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

char *
esa_cli_test_sql_text (const char *path,
                       const char *sql,
                       const char *param)
{
  sqlite3 *db = esa_cli_test_sql_open (path);
  sqlite3_stmt *stmt = esa_cli_test_sql_prepare (db, sql);
  char *value = NULL;

  if (param != NULL)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

GStrv
esa_cli_test_sql_row (const char *path,
                      const char *sql)
{
  sqlite3 *db = esa_cli_test_sql_open (path);
  sqlite3_stmt *stmt = esa_cli_test_sql_prepare (db, sql);
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);

  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  for (int i = 0; i < sqlite3_column_count (stmt); i++)
    g_ptr_array_add (values, g_strdup ((const char *) sqlite3_column_text (stmt, i)));
  g_ptr_array_add (values, NULL);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return (GStrv) g_ptr_array_steal (values, NULL);
}

GPtrArray *
esa_cli_test_sql_strings (const char *path,
                          const char *sql)
{
  sqlite3 *db = esa_cli_test_sql_open (path);
  sqlite3_stmt *stmt = esa_cli_test_sql_prepare (db, sql);
  GPtrArray *values = g_ptr_array_new_with_free_func (g_free);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (values, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return values;
}

void
esa_cli_test_sql_exec (const char *path,
                       const char *sql)
{
  sqlite3 *db = esa_cli_test_sql_open (path);
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_test_message ("%s: %s", sql, message);
  g_assert_null (message);
  sqlite3_close (db);
}
