/* esa-store-test.h: what the store tests share: a store in memory that
 * runs the procedures and parameter tables of the source tree, and its
 * database read and written directly with SQL.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "esa-core.h"
#include "esa-store.h"

G_BEGIN_DECLS

/* An empty store in memory that runs the procedures of the data folder
 * with the default parameters; @out_params and @out_procedures receive
 * them. (transfer full) */
EsaStore   *esa_store_test_open_memory        (EsaParameters **out_params,
                                               GPtrArray     **out_procedures);

/* Runs the statements of @sql; one that fails fails the test. */
void        esa_store_test_exec               (EsaStore       *store,
                                               const char     *sql);
/* The one integer @sql returns, with an optional text parameter. */
gint64      esa_store_test_sql_int            (EsaStore       *store,
                                               const char     *sql,
                                               const char     *param);
/* The first column of the first row of @sql, with an optional text
 * parameter; NULL without a row. (transfer full) */
char       *esa_store_test_sql_text           (EsaStore       *store,
                                               const char     *sql,
                                               const char     *param);

/* The number of rows (a gint64) of every table of @store's database, by
 * name, but for the tables whose names start with @skip_prefix when it is
 * not NULL. (transfer full) */
GHashTable *esa_store_test_count_rows         (EsaStore       *store,
                                               const char     *skip_prefix);
/* Every table has as many rows in @after as in @before. */
void        esa_store_test_assert_same_counts (GHashTable     *before,
                                               GHashTable     *after);

/* A user of @office whose name and login are @login. (transfer full) the
 * user's id */
char       *esa_store_test_add_user           (EsaStore       *store,
                                               const char     *office,
                                               const char     *login,
                                               EsaRole         role);

G_END_DECLS
