#pragma once

#include <glib.h>

#include "esa-store-reports.h"

G_BEGIN_DECLS

/* Writing a report (esa-store-reports.h) to a file. Every format holds the
 * same table: a header row with the column titles, the rows, then one
 * totals row per currency (first cell "Total"). Amounts are decimals with
 * two places ("1234.50", numbers with a two-place format in spreadsheets),
 * counts whole numbers; every row names its currency.
 *
 * - CSV: UTF-8, comma separated, fields quoted when they need it (RFC 4180),
 *   lines ending in CRLF.
 * - XLSX (libxlsxwriter) and ODS (OpenDocument spreadsheet): one sheet named
 *   after the report, amounts and counts as numbers.
 * - PDF: A4 landscape, the title and period, the chart, then the table over
 *   as many pages as it needs.
 * - XML: Esattore's report schema, namespace "urn:esattore:report:1", whose
 *   XSD is data/schemas/report-1.xsd (documented there). */

typedef enum
{
  ESA_REPORT_FORMAT_CSV,
  ESA_REPORT_FORMAT_XLSX,
  ESA_REPORT_FORMAT_ODS,
  ESA_REPORT_FORMAT_PDF,
  ESA_REPORT_FORMAT_XML,
  ESA_N_REPORT_FORMATS
} EsaReportFormat;

/* "csv", "xlsx", "ods", "pdf", "xml": the CLI's names and the file name
 * extensions. */
const char *esa_report_format_to_string   (EsaReportFormat  format);
gboolean    esa_report_format_from_string (const char      *name,
                                           EsaReportFormat *out);
/* For people, translated: "Spreadsheet (XLSX)". */
const char *esa_report_format_describe    (EsaReportFormat  format);
const char *esa_report_format_mime_type   (EsaReportFormat  format);

/**
 * esa_report_export:
 * @path: the file to write; replaced when it exists
 *
 * Returns: TRUE when written; FALSE with @error set (a G_IO_ERROR or
 *   G_FILE_ERROR naming @path) and no file left behind
 */
gboolean    esa_report_export             (const EsaReport  *report,
                                           EsaReportFormat   format,
                                           const char       *path,
                                           GError          **error);

/* The CSV and XML forms as text (the CLI prints them when no file is
 * given). (transfer full) */
char       *esa_report_to_csv             (const EsaReport  *report);
char       *esa_report_to_xml             (const EsaReport  *report);

G_END_DECLS
