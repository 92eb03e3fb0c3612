#pragma once

#include <gio/gio.h>

#include "esa-exchange-error.h"
#include "esa-load-list-mapping.h"
#include "esa-store-load-lists.h"

G_BEGIN_DECLS

/* EsaLoadListReader reads a load list file (CSV with a header row, laid out
 * as its EsaLoadListMapping says) into the rows the store imports, checking
 * every row on its own: the tax code or VAT number by its check rules, the
 * amounts, the dates, the year, the required values, and the same debt
 * (tax id, reference, revenue type and year) twice in the file. Each problem
 * goes into an EsaLoadListReport with the row's line; the checks against
 * the database follow in esa_store_import_load_list().
 *
 *   g_autoptr(EsaLoadListReader) reader = esa_load_list_reader_new (mapping);
 *   g_autoptr(EsaLoadListReport) report = esa_load_list_report_new ();
 *   g_autoptr(EsaLoadListRows) rows =
 *     esa_load_list_reader_read_file (reader, path, report, NULL, &error);
 *
 * Amounts use a dot and at most two decimals ("1234.50"), or with the
 * mapping's decimal_comma a comma, with dots, spaces or apostrophes grouping
 * thousands ("1.234,50"). */

#define ESA_TYPE_LOAD_LIST_READER (esa_load_list_reader_get_type ())
G_DECLARE_FINAL_TYPE (EsaLoadListReader, esa_load_list_reader, ESA, LOAD_LIST_READER, GObject)

/* @mapping: (nullable): the layout; NULL for the default one */
EsaLoadListReader *esa_load_list_reader_new            (EsaLoadListMapping *mapping);

/* The country of addresses without one ("IT", "CH"); "IT" unless set. */
void               esa_load_list_reader_set_default_country (EsaLoadListReader *self,
                                                             const char        *country);

/**
 * esa_load_list_reader_read_stream:
 * @report: receives a problem for every rejected row, and the count of rows
 *
 * Reads the whole stream.
 *
 * Returns: (transfer full) (nullable): the rows that passed every check, in
 *   file order; NULL with @error set when the file cannot be read as a load
 *   list at all: it is not CSV (an unclosed quote, naming its line), not
 *   UTF-8, or its header lacks a required column ("line 1: no column for the
 *   tax id (“tax_id”)")
 */
EsaLoadListRows   *esa_load_list_reader_read_stream    (EsaLoadListReader  *self,
                                                        GInputStream       *stream,
                                                        EsaLoadListReport  *report,
                                                        GCancellable       *cancellable,
                                                        GError            **error);

/* As above, from a file; esa_load_list_reader_get_sha256() then gives the
 * file's checksum. */
EsaLoadListRows   *esa_load_list_reader_read_file      (EsaLoadListReader  *self,
                                                        const char         *path,
                                                        EsaLoadListReport  *report,
                                                        GCancellable       *cancellable,
                                                        GError            **error);

/* Returns: (nullable): the lower-case hex SHA-256 of the last file read */
const char        *esa_load_list_reader_get_sha256     (EsaLoadListReader  *self);

G_END_DECLS
