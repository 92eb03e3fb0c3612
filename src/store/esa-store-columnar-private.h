/* esa-store-columnar-private.h: many rows of an outbox operation in
 * columnar form, and their row images for the sync push
 *
 * A bulk writer (a payment flow of 100,000 payments) writes its rows with
 * the capture triggers off and sends them in a few operations whose
 * payload holds the rows column by column: one JSON object per row and per
 * trigger would cost more than writing the rows themselves. The push turns
 * such a payload back into the row images the server applies
 * ({"t", "k", "before", "after"}, DESIGN.md "Sync").
 *
 * The payload: {"parts": [{"t": TABLE, "columns": [NAME …], "rows": [[VALUE
 * …] …], "before": [[VALUE …] …]}, …]}. The first column is the row's key
 * ("id"). Without "before" a row is new (before: null); with it, "before"
 * holds the same columns of each row as they were, and only those columns
 * travel (a counter such as positions.paid then merges by its difference).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _EsaColumnar EsaColumnar;

EsaColumnar *_esa_columnar_new       (void);
void         _esa_columnar_free      (EsaColumnar        *self);

/* Adds a table; its parts come out in the order they were added (parents
 * first). Returns the part's index. */
guint        _esa_columnar_add_part  (EsaColumnar        *self,
                                      const char         *table,
                                      const char * const *columns,
                                      gboolean            with_before);

/* A row of @part: as many values as the part has columns, then end. For a
 * part with "before", the row as it was comes first (@before TRUE), then
 * the row as it is. */
void         _esa_columnar_row       (EsaColumnar        *self,
                                      guint               part,
                                      gboolean            before);
void         _esa_columnar_text      (EsaColumnar        *self,
                                      const char         *value);
void         _esa_columnar_int       (EsaColumnar        *self,
                                      gint64              value);
void         _esa_columnar_null      (EsaColumnar        *self);

/* Rows added to @part since the last take. */
guint        _esa_columnar_n_rows    (EsaColumnar        *self,
                                      guint               part);

/* The payload of the rows added so far, and a fresh start for the next
 * operation. (transfer full) */
char        *_esa_columnar_take      (EsaColumnar        *self);

/* The row images of a columnar payload as a JSON array, or NULL when
 * @payload is not one. (transfer full) */
char        *_esa_columnar_images    (const char         *payload);

/* @text as a JSON string ("null" for NULL), appended to @out. */
void         _esa_json_append_string (GString            *out,
                                      const char         *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaColumnar, _esa_columnar_free)

G_END_DECLS
