#pragma once

#include "esa-report-export.h"

G_BEGIN_DECLS

/* The writers of each format, for esa-report-export.c. Each writes @path
 * whole or fails without leaving it behind. */
gboolean _esa_report_write_xlsx (const EsaReport *report, const char *path, GError **error);
gboolean _esa_report_write_ods  (const EsaReport *report, const char *path, GError **error);
gboolean _esa_report_write_pdf  (const EsaReport *report, const char *path, GError **error);

/* The text of cell @column of @row as the exports write it: the text, the
 * count, or the amount as a decimal with two places. (transfer full) */
char    *_esa_report_cell_text  (const EsaReport *report, const EsaReportRow *row, guint column);

/* The title of the sheet or document: "Collections 2026-01-01 – 2026-06-30". */
char    *_esa_report_full_title (const EsaReport *report);

G_END_DECLS
