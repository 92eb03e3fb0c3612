/* esa-report-export-xlsx.c: reports as XLSX workbooks (libxlsxwriter)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <errno.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <xlsxwriter.h>

#include "esa-report-export-private.h"

/* Excel refuses sheet names over 31 characters or with any of []:*?/\ in
 * them. */
#define SHEET_NAME_MAX 31

static char *
sheet_name (const char *title)
{
  GString *name = g_string_new (NULL);
  guint n = 0;

  for (const char *p = title; *p != '\0' && n < SHEET_NAME_MAX; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      g_string_append_unichar (name, g_utf8_strchr ("[]:*?/\\", -1, c) != NULL ? '_' : c);
    }
  return g_string_free (name, FALSE);
}

static gboolean
check (lxw_error    status,
       const char  *path,
       GError     **error)
{
  if (status == LXW_NO_ERROR)
    return TRUE;
  /* Translators: the first %s is a file name, the second libxlsxwriter's reason */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot write the workbook %s: %s"), path,
               lxw_strerror (status));
  return FALSE;
}

static void
write_row (lxw_worksheet      *sheet,
           lxw_row_t           r,
           const EsaReport    *report,
           const EsaReportRow *row,
           lxw_format         *amount_format,
           lxw_format         *count_format,
           lxw_format         *text_format)
{
  for (guint c = 0; c < report->columns->len; c++)
    {
      const EsaReportColumn *column = g_ptr_array_index (report->columns, c);

      switch (column->type)
        {
        case ESA_REPORT_COLUMN_TEXT:
          worksheet_write_string (sheet, r, (lxw_col_t) c, row->texts[c], text_format);
          break;
        case ESA_REPORT_COLUMN_COUNT:
          worksheet_write_number (sheet, r, (lxw_col_t) c, (double) row->values[c], count_format);
          break;
        case ESA_REPORT_COLUMN_AMOUNT:
        default:
          /* A spreadsheet cell holds a double; minor units below 2^53 are
           * exact after the division, and the cell shows two places. */
          worksheet_write_number (sheet, r, (lxw_col_t) c, (double) row->values[c] / 100.0,
                                  amount_format);
          break;
        }
    }
}

gboolean
_esa_report_write_xlsx (const EsaReport  *report,
                        const char       *path,
                        GError          **error)
{
  g_autofree char *part = g_strconcat (path, ".part", NULL);
  g_autofree char *name = sheet_name (report->title);
  g_autofree char *title = _esa_report_full_title (report);
  lxw_workbook_options options = { .constant_memory = LXW_FALSE, .tmpdir = NULL };
  lxw_doc_properties properties = { 0, };
  lxw_workbook *workbook;
  lxw_worksheet *sheet;
  lxw_format *header, *amount, *count, *total_text, *total_amount, *total_count;
  lxw_row_t r = 0;
  lxw_error status;

  workbook = workbook_new_opt (part, &options);
  if (workbook == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot create the workbook %s"), path);
      return FALSE;
    }

  properties.title = title;
  properties.comments = (char *) "Esattore";
  workbook_set_properties (workbook, &properties);

  sheet = workbook_add_worksheet (workbook, name);
  header = workbook_add_format (workbook);
  format_set_bold (header);
  format_set_bottom (header, LXW_BORDER_THIN);
  amount = workbook_add_format (workbook);
  format_set_num_format (amount, "#,##0.00");
  count = workbook_add_format (workbook);
  format_set_num_format (count, "0");
  total_text = workbook_add_format (workbook);
  format_set_bold (total_text);
  format_set_top (total_text, LXW_BORDER_THIN);
  total_amount = workbook_add_format (workbook);
  format_set_bold (total_amount);
  format_set_top (total_amount, LXW_BORDER_THIN);
  format_set_num_format (total_amount, "#,##0.00");
  total_count = workbook_add_format (workbook);
  format_set_bold (total_count);
  format_set_top (total_count, LXW_BORDER_THIN);
  format_set_num_format (total_count, "0");

  for (guint c = 0; c < report->columns->len; c++)
    {
      const EsaReportColumn *column = g_ptr_array_index (report->columns, c);

      worksheet_write_string (sheet, r, (lxw_col_t) c, column->title, header);
      worksheet_set_column (sheet, (lxw_col_t) c, (lxw_col_t) c,
                            column->type == ESA_REPORT_COLUMN_TEXT ? 24 : 14, NULL);
    }
  worksheet_freeze_panes (sheet, 1, 0);
  r++;

  for (guint i = 0; i < report->rows->len; i++, r++)
    write_row (sheet, r, report, g_ptr_array_index (report->rows, i), amount, count, NULL);
  for (guint i = 0; i < report->totals->len; i++, r++)
    write_row (sheet, r, report, g_ptr_array_index (report->totals, i), total_amount,
               total_count, total_text);

  status = workbook_close (workbook);
  if (!check (status, path, error))
    {
      g_unlink (part);
      return FALSE;
    }
  if (g_rename (part, path) != 0)
    {
      int saved = errno;

      g_unlink (part);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot write the workbook %s: %s"), path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}
