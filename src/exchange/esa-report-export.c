/* esa-report-export.c: report formats, CSV and XML
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "esa-money.h"
#include "esa-report-export-private.h"

static const struct
{
  const char *name;
  const char *description;
  const char *mime_type;
} formats[ESA_N_REPORT_FORMATS] = {
  { "csv", N_("Comma-separated values (CSV)"), "text/csv" },
  { "xlsx", N_("Excel spreadsheet (XLSX)"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
  { "ods", N_("OpenDocument spreadsheet (ODS)"), "application/vnd.oasis.opendocument.spreadsheet" },
  { "pdf", N_("PDF document with chart"), "application/pdf" },
  { "xml", N_("XML (Esattore report schema)"), "application/xml" },
};

const char *
esa_report_format_to_string (EsaReportFormat format)
{
  g_return_val_if_fail (format < ESA_N_REPORT_FORMATS, NULL);

  return formats[format].name;
}

gboolean
esa_report_format_from_string (const char      *name,
                               EsaReportFormat *out)
{
  for (guint i = 0; i < ESA_N_REPORT_FORMATS; i++)
    {
      if (name != NULL && g_ascii_strcasecmp (name, formats[i].name) == 0)
        {
          *out = (EsaReportFormat) i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
esa_report_format_describe (EsaReportFormat format)
{
  g_return_val_if_fail (format < ESA_N_REPORT_FORMATS, NULL);

  return _(formats[format].description);
}

const char *
esa_report_format_mime_type (EsaReportFormat format)
{
  g_return_val_if_fail (format < ESA_N_REPORT_FORMATS, NULL);

  return formats[format].mime_type;
}

char *
_esa_report_cell_text (const EsaReport    *report,
                       const EsaReportRow *row,
                       guint               column)
{
  const EsaReportColumn *c = g_ptr_array_index (report->columns, column);

  switch (c->type)
    {
    case ESA_REPORT_COLUMN_TEXT:
      return g_strdup (row->texts[column] != NULL ? row->texts[column] : "");
    case ESA_REPORT_COLUMN_COUNT:
      return g_strdup_printf ("%" G_GINT64_FORMAT, row->values[column]);
    case ESA_REPORT_COLUMN_AMOUNT:
    default:
      return esa_money_to_decimal (row->values[column]);
    }
}

char *
_esa_report_full_title (const EsaReport *report)
{
  if (g_strcmp0 (report->from, report->to) == 0)
    /* Translators: "Ageing of open balances on 2026-11-23" */
    return g_strdup_printf (_("%s on %s"), report->title, report->to);
  /* Translators: "Collections 2026-01-01 – 2026-06-30" */
  return g_strdup_printf (_("%s %s – %s"), report->title, report->from, report->to);
}

/* ---- CSV ---------------------------------------------------------------- */

static void
append_csv_field (GString    *out,
                  const char *text)
{
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
append_csv_row (GString            *out,
                const EsaReport    *report,
                const EsaReportRow *row)
{
  for (guint c = 0; c < report->columns->len; c++)
    {
      g_autofree char *text = _esa_report_cell_text (report, row, c);

      if (c > 0)
        g_string_append_c (out, ',');
      append_csv_field (out, text);
    }
  g_string_append (out, "\r\n");
}

char *
esa_report_to_csv (const EsaReport *report)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (report != NULL, NULL);

  for (guint c = 0; c < report->columns->len; c++)
    {
      const EsaReportColumn *column = g_ptr_array_index (report->columns, c);

      if (c > 0)
        g_string_append_c (out, ',');
      append_csv_field (out, column->title);
    }
  g_string_append (out, "\r\n");
  for (guint r = 0; r < report->rows->len; r++)
    append_csv_row (out, report, g_ptr_array_index (report->rows, r));
  for (guint r = 0; r < report->totals->len; r++)
    append_csv_row (out, report, g_ptr_array_index (report->totals, r));

  return g_string_free (out, FALSE);
}

/* ---- XML ---------------------------------------------------------------- */

#define XML_NAMESPACE "urn:esattore:report:1"

static const char * const column_types[] = { "text", "count", "amount" };

static void
append_xml_cells (GString            *out,
                  const EsaReport    *report,
                  const EsaReportRow *row,
                  gboolean            skip_texts)
{
  const char *currency = row->texts[report->currency_column];

  for (guint c = 0; c < report->columns->len; c++)
    {
      const EsaReportColumn *column = g_ptr_array_index (report->columns, c);
      g_autofree char *text = _esa_report_cell_text (report, row, c);
      g_autofree char *escaped = g_markup_escape_text (text, -1);

      if (column->type == ESA_REPORT_COLUMN_TEXT)
        {
          if (!skip_texts)
            g_string_append_printf (out, "      <text column=\"%s\">%s</text>\n", column->id,
                                    escaped);
        }
      else if (column->type == ESA_REPORT_COLUMN_COUNT)
        g_string_append_printf (out, "      <count column=\"%s\">%s</count>\n", column->id,
                                escaped);
      else
        g_string_append_printf (out, "      <amount column=\"%s\" currency=\"%s\">%s</amount>\n",
                                column->id, currency, escaped);
    }
}

char *
esa_report_to_xml (const EsaReport *report)
{
  GString *out = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *generated = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *title = g_markup_escape_text (report->title, -1);

  g_string_append_printf (out,
                          "<report xmlns=\"" XML_NAMESPACE "\" kind=\"%s\" from=\"%s\" "
                          "to=\"%s\" generated=\"%s\">\n",
                          esa_report_kind_to_string (report->kind), report->from, report->to,
                          generated);
  g_string_append_printf (out, "  <title>%s</title>\n  <columns>\n", title);
  for (guint c = 0; c < report->columns->len; c++)
    {
      const EsaReportColumn *column = g_ptr_array_index (report->columns, c);
      g_autofree char *escaped = g_markup_escape_text (column->title, -1);

      g_string_append_printf (out, "    <column id=\"%s\" type=\"%s\">%s</column>\n", column->id,
                              column_types[column->type], escaped);
    }
  g_string_append (out, "  </columns>\n  <rows>\n");
  for (guint r = 0; r < report->rows->len; r++)
    {
      g_string_append (out, "    <row>\n");
      append_xml_cells (out, report, g_ptr_array_index (report->rows, r), FALSE);
      g_string_append (out, "    </row>\n");
    }
  g_string_append (out, "  </rows>\n  <totals>\n");
  for (guint r = 0; r < report->totals->len; r++)
    {
      const EsaReportRow *row = g_ptr_array_index (report->totals, r);

      g_string_append_printf (out, "    <total currency=\"%s\">\n",
                              row->texts[report->currency_column]);
      append_xml_cells (out, report, row, TRUE);
      g_string_append (out, "    </total>\n");
    }
  g_string_append (out, "  </totals>\n</report>\n");
  return g_string_free (out, FALSE);
}

/* ---- writing ------------------------------------------------------------ */

static gboolean
write_text (const char  *path,
            const char  *text,
            GError     **error)
{
  return g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
}

gboolean
esa_report_export (const EsaReport  *report,
                   EsaReportFormat   format,
                   const char       *path,
                   GError          **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (report != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (format < ESA_N_REPORT_FORMATS, FALSE);

  switch (format)
    {
    case ESA_REPORT_FORMAT_CSV:
      text = esa_report_to_csv (report);
      return write_text (path, text, error);
    case ESA_REPORT_FORMAT_XML:
      text = esa_report_to_xml (report);
      return write_text (path, text, error);
    case ESA_REPORT_FORMAT_XLSX:
      return _esa_report_write_xlsx (report, path, error);
    case ESA_REPORT_FORMAT_ODS:
      return _esa_report_write_ods (report, path, error);
    case ESA_REPORT_FORMAT_PDF:
    case ESA_N_REPORT_FORMATS:
    default:
      return _esa_report_write_pdf (report, path, error);
    }
}
