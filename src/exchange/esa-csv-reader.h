#pragma once

#include <gio/gio.h>

#include "esa-exchange-error.h"

G_BEGIN_DECLS

/* EsaCsvReader reads comma-separated values (RFC 4180) one record at a time,
 * so that files of any size take constant memory:
 *
 *   g_autoptr(EsaCsvReader) reader = esa_csv_reader_new_for_path (path, &error);
 *
 *   while (esa_csv_reader_next (reader, cancellable, &error))
 *     for (guint i = 0; i < esa_csv_reader_get_n_fields (reader); i++)
 *       use (esa_csv_reader_get_line (reader), esa_csv_reader_get_field (reader, i));
 *   if (error != NULL)
 *     … the message names the line …
 *
 * What it accepts: fields in double quotes holding separators, doubled quotes
 * ("") and line breaks; records ended by CRLF, LF or a lone CR; a last record
 * without a line break; a UTF-8 byte order mark at the start, which is
 * skipped. Blank lines are skipped, so a record always has at least one field.
 * A quote inside an unquoted field is kept as it is; text after a closing
 * quote is an error. Every field must be valid UTF-8.
 *
 * Errors: ESA_EXCHANGE_ERROR_PARSE for a quoted field that is never closed
 * (naming the line where it opens) or text after a closing quote,
 * ESA_EXCHANGE_ERROR_ENCODING for text that is not UTF-8 (naming the line and
 * field); errors of the stream come through as they are. */

#define ESA_TYPE_CSV_READER (esa_csv_reader_get_type ())
G_DECLARE_FINAL_TYPE (EsaCsvReader, esa_csv_reader, ESA, CSV_READER, GObject)

/* The separator to pass to esa_csv_reader_set_separator() to have the reader
 * choose ',' or ';', whichever the first record holds more of (outside
 * quotes), as spreadsheets in Italy and Switzerland often write ';'. */
#define ESA_CSV_SEPARATOR_AUTO '\0'

/* Returns: (transfer full): a reader of @stream, which it keeps a reference to. */
EsaCsvReader *esa_csv_reader_new           (GInputStream  *stream);

/* Returns: (transfer full) (nullable): a reader of the file at @path, or NULL
 * with the GIO error that kept it from opening. */
EsaCsvReader *esa_csv_reader_new_for_path  (const char    *path,
                                            GError       **error);

/* ',' (the default), ';', '\t' or ESA_CSV_SEPARATOR_AUTO; set it before the
 * first call of esa_csv_reader_next(). */
void          esa_csv_reader_set_separator (EsaCsvReader  *self,
                                            char           separator);

/* The separator in use: after the first record, the one that was chosen
 * when it was ESA_CSV_SEPARATOR_AUTO. */
char          esa_csv_reader_get_separator (EsaCsvReader  *self);

/**
 * esa_csv_reader_next:
 *
 * Reads the next record.
 *
 * Returns: TRUE when a record was read; FALSE at the end of the input (with
 *   @error left unset) or on error. Do not call it again after an error.
 */
gboolean      esa_csv_reader_next          (EsaCsvReader  *self,
                                            GCancellable  *cancellable,
                                            GError       **error);

/* The number of fields of the current record (at least 1). */
guint         esa_csv_reader_get_n_fields  (EsaCsvReader  *self);

/* Returns: (transfer none): field @index of the current record, valid UTF-8,
 *   valid until the next call of esa_csv_reader_next(). */
const char   *esa_csv_reader_get_field     (EsaCsvReader  *self,
                                            guint          index);

/* Returns: (transfer full): the fields of the current record. */
char        **esa_csv_reader_dup_fields    (EsaCsvReader  *self);

/* The 1-based line of the input where the current record starts. */
guint         esa_csv_reader_get_line      (EsaCsvReader  *self);

G_END_DECLS
