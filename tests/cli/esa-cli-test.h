/* esa-cli-test.h: what the tests of esattore-cli share: running the built
 * binary as a script would run it, and reading what it printed and the
 * database it worked on (directly with SQLite).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* What one run of esattore-cli gave: its exit status and its output. */
typedef struct
{
  int   status;
  char *out;
  char *err;
} EsaCliResult;

void          esa_cli_result_free         (EsaCliResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaCliResult, esa_cli_result_free)

/* Runs $ESATTORE_CLI with the NULL-terminated arguments in the C locale:
 * in @language (set as LANGUAGE; the test's environment says where the
 * translations are) or, when it is NULL, without LANGUAGE, so that the
 * messages are the English source strings. A crash fails the test.
 * (transfer full) */
EsaCliResult *esa_cli_test_run_in         (const char   *language,
                                           const char   *first_arg,
                                           ...) G_GNUC_NULL_TERMINATED;
/* The same without LANGUAGE. (transfer full) */
#define esa_cli_test_run(...) esa_cli_test_run_in (NULL, __VA_ARGS__)

/* A new scratch folder named after @pattern (see g_dir_make_tmp()).
 * (transfer full) */
char         *esa_cli_test_make_dir       (const char   *pattern);
/* Removes @dir and the files in it. */
void          esa_cli_test_remove_dir     (const char   *dir);
/* A new demo database of @debtors debtors, @file in @dir, made by the
 * demo command. (transfer full) the path */
char         *esa_cli_test_demo_database  (const char   *dir,
                                           const char   *file,
                                           guint         debtors);

/* (transfer full) */
JsonNode     *esa_cli_test_parse_json     (const char   *text);
/* The members of @object in their order, joined by commas, are @expected. */
void          esa_cli_test_assert_members (JsonObject   *object,
                                           const char   *expected);

/* The database at @path, read-write, created when missing. */
sqlite3      *esa_cli_test_sql_open       (const char   *path);
sqlite3_stmt *esa_cli_test_sql_prepare    (sqlite3      *db,
                                           const char   *sql);
/* The one integer @sql returns, with an optional text parameter. */
gint64        esa_cli_test_sql_int        (const char   *path,
                                           const char   *sql,
                                           const char   *param);
/* The first column of the first row of @sql, with an optional text
 * parameter; NULL without a row. (transfer full) */
char         *esa_cli_test_sql_text       (const char   *path,
                                           const char   *sql,
                                           const char   *param);
/* The text columns of the first row of @sql. (transfer full) */
GStrv         esa_cli_test_sql_row        (const char   *path,
                                           const char   *sql);
/* The first text column of every row of @sql. (transfer full) */
GPtrArray    *esa_cli_test_sql_strings    (const char   *path,
                                           const char   *sql);
void          esa_cli_test_sql_exec       (const char   *path,
                                           const char   *sql);

G_END_DECLS
