/* esa-report-export-pdf.c: reports as PDF: title, chart and table on A4
 * landscape pages (cairo and Pango)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <errno.h>

#include <cairo-pdf.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <pango/pangocairo.h>

#include "esa-chart.h"
#include "esa-date.h"
#include "esa-money.h"
#include "esa-report-export-private.h"

/* A4 landscape in points. */
#define PAGE_WIDTH    841.89
#define PAGE_HEIGHT   595.28
#define MARGIN        40.0
#define CHART_HEIGHT  190.0
#define CELL_PAD      6.0
#define TABLE_FONT    "Sans 8"

typedef struct
{
  cairo_t         *cr;
  const EsaReport *report;
  char            *title;
  double          *widths;     /* per column */
  double           row_height;
  int              page;
} Pdf;

static PangoLayout *
layout_new (cairo_t    *cr,
            const char *font,
            const char *text,
            gboolean    bold)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *description = pango_font_description_from_string (font);

  if (bold)
    pango_font_description_set_weight (description, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, description);
  pango_font_description_free (description);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

static double
text_width (cairo_t    *cr,
            const char *text,
            gboolean    bold)
{
  g_autoptr(PangoLayout) layout = layout_new (cr, TABLE_FONT, text, bold);
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  return width;
}

/* What a cell shows on paper: amounts grouped the way the currency's home
 * does, counts grouped by the locale. */
static char *
cell_text (const EsaReport    *report,
           const EsaReportRow *row,
           guint               column)
{
  const EsaReportColumn *c = g_ptr_array_index (report->columns, column);

  switch (c->type)
    {
    case ESA_REPORT_COLUMN_TEXT:
      return g_strdup (row->texts[column]);
    case ESA_REPORT_COLUMN_COUNT:
      return g_strdup_printf ("%'" G_GINT64_FORMAT, row->values[column]);
    case ESA_REPORT_COLUMN_AMOUNT:
    default:
      return esa_money_format_plain (row->values[column],
                                     row->texts[report->currency_column]);
    }
}

static void
draw_cell (Pdf        *pdf,
           const char *text,
           double      x,
           double      y,
           double      width,
           gboolean    right,
           gboolean    bold)
{
  g_autoptr(PangoLayout) layout = layout_new (pdf->cr, TABLE_FONT, text, bold);

  pango_layout_set_width (layout, (int) ((width - 2 * CELL_PAD) * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (layout, right ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
  cairo_move_to (pdf->cr, x + CELL_PAD, y + 2);
  pango_cairo_show_layout (pdf->cr, layout);
}

static void
rule (cairo_t *cr,
      double   y,
      double   width)
{
  cairo_set_line_width (cr, 0.6);
  cairo_move_to (cr, MARGIN, y);
  cairo_line_to (cr, MARGIN + width, y);
  cairo_stroke (cr);
}

static double
table_width (const Pdf *pdf)
{
  double width = 0;

  for (guint c = 0; c < pdf->report->columns->len; c++)
    width += pdf->widths[c];
  return width;
}

/* The header row: titles wrap at spaces when their column is narrower
 * than they are. */
static double
draw_header (Pdf    *pdf,
             double  y)
{
  double x = MARGIN;
  int height = 0;

  cairo_set_source_rgb (pdf->cr, 0, 0, 0);
  for (guint c = 0; c < pdf->report->columns->len; c++)
    {
      const EsaReportColumn *column = g_ptr_array_index (pdf->report->columns, c);
      g_autoptr(PangoLayout) layout = layout_new (pdf->cr, TABLE_FONT, column->title, TRUE);
      int w, h;

      pango_layout_set_width (layout, (int) ((pdf->widths[c] - 2 * CELL_PAD) * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      pango_layout_set_alignment (layout, column->type != ESA_REPORT_COLUMN_TEXT
                                          ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
      cairo_move_to (pdf->cr, x + CELL_PAD, y + 2);
      pango_cairo_show_layout (pdf->cr, layout);
      pango_layout_get_pixel_size (layout, &w, &h);
      height = MAX (height, h);
      x += pdf->widths[c];
    }
  y += height + 4;
  rule (pdf->cr, y, table_width (pdf));
  return y + 2;
}

/* The widest word of @text, in bold. */
static double
widest_word (cairo_t    *cr,
             const char *text)
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);
  double width = 0;

  for (guint i = 0; words[i] != NULL; i++)
    width = MAX (width, text_width (cr, words[i], TRUE));
  return width;
}

static double
draw_row (Pdf                *pdf,
          const EsaReportRow *row,
          double              y,
          gboolean            total)
{
  double x = MARGIN;

  cairo_set_source_rgb (pdf->cr, 0, 0, 0);
  for (guint c = 0; c < pdf->report->columns->len; c++)
    {
      const EsaReportColumn *column = g_ptr_array_index (pdf->report->columns, c);
      g_autofree char *text = cell_text (pdf->report, row, c);

      draw_cell (pdf, text, x, y, pdf->widths[c], column->type != ESA_REPORT_COLUMN_TEXT, total);
      x += pdf->widths[c];
    }
  return y + pdf->row_height;
}

static void
draw_footer (Pdf *pdf)
{
  g_autofree char *page = g_strdup_printf (_("Page %d"), pdf->page);
  g_autoptr(PangoLayout) left = layout_new (pdf->cr, TABLE_FONT, pdf->title, FALSE);
  g_autoptr(PangoLayout) right = layout_new (pdf->cr, TABLE_FONT, page, FALSE);
  int width, height;

  cairo_set_source_rgb (pdf->cr, 0.4, 0.4, 0.4);
  cairo_move_to (pdf->cr, MARGIN, PAGE_HEIGHT - MARGIN + 8);
  pango_cairo_show_layout (pdf->cr, left);
  pango_layout_get_pixel_size (right, &width, &height);
  cairo_move_to (pdf->cr, PAGE_WIDTH - MARGIN - width, PAGE_HEIGHT - MARGIN + 8);
  pango_cairo_show_layout (pdf->cr, right);
}

static void
next_page (Pdf *pdf)
{
  draw_footer (pdf);
  cairo_show_page (pdf->cr);
  pdf->page++;
}

/* Column widths: each column as wide as its widest text; when the table is
 * wider than the page, the text columns give up the difference. */
static void
measure_columns (Pdf *pdf)
{
  const EsaReport *report = pdf->report;
  double available = PAGE_WIDTH - 2 * MARGIN;
  double total = 0, text_total = 0;
  g_autofree double *values = g_new0 (double, report->columns->len);

  pdf->widths = g_new0 (double, report->columns->len);
  for (guint c = 0; c < report->columns->len; c++)
    {
      const EsaReportColumn *column = g_ptr_array_index (report->columns, c);
      double width = 0;

      for (guint r = 0; r < report->rows->len + report->totals->len; r++)
        {
          const EsaReportRow *row = r < report->rows->len
            ? g_ptr_array_index (report->rows, r)
            : g_ptr_array_index (report->totals, r - report->rows->len);
          g_autofree char *text = cell_text (report, row, c);

          width = MAX (width, text_width (pdf->cr, text, r >= report->rows->len));
        }
      values[c] = width;
      pdf->widths[c] = MAX (width, text_width (pdf->cr, column->title, TRUE)) + 2 * CELL_PAD + 2;
      total += pdf->widths[c];
      if (column->type == ESA_REPORT_COLUMN_TEXT)
        text_total += pdf->widths[c];
    }

  /* Too wide with the titles on one line: they wrap at spaces. */
  if (total > available)
    {
      total = text_total = 0;
      for (guint c = 0; c < report->columns->len; c++)
        {
          const EsaReportColumn *column = g_ptr_array_index (report->columns, c);

          pdf->widths[c] = MAX (values[c], widest_word (pdf->cr, column->title))
                           + 2 * CELL_PAD + 2;
          total += pdf->widths[c];
          if (column->type == ESA_REPORT_COLUMN_TEXT)
            text_total += pdf->widths[c];
        }
    }

  /* Still too wide: the widest text columns are capped, one common cap found by
   * bisection, so that short columns (months, currencies) stay whole. */
  if (total > available && text_total > 0)
    {
      double fixed = total - text_total;
      double low = 20, high = 0;

      for (guint c = 0; c < report->columns->len; c++)
        high = MAX (high, pdf->widths[c]);
      for (int i = 0; i < 40; i++)
        {
          double cap = (low + high) / 2, sum = fixed;

          for (guint c = 0; c < report->columns->len; c++)
            {
              const EsaReportColumn *column = g_ptr_array_index (report->columns, c);

              if (column->type == ESA_REPORT_COLUMN_TEXT)
                sum += MIN (pdf->widths[c], cap);
            }
          if (sum > available)
            high = cap;
          else
            low = cap;
        }
      for (guint c = 0; c < report->columns->len; c++)
        {
          const EsaReportColumn *column = g_ptr_array_index (report->columns, c);

          if (column->type == ESA_REPORT_COLUMN_TEXT)
            pdf->widths[c] = MIN (pdf->widths[c], low);
        }
    }
}

static void
draw_report (Pdf *pdf)
{
  const EsaReport *report = pdf->report;
  g_autoptr(PangoLayout) title = layout_new (pdf->cr, "Sans 16", pdf->title, TRUE);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *generated = g_date_time_format (now, "%Y-%m-%d %H:%M");
  g_autofree char *rows = NULL;
  g_autofree char *subtitle = NULL;
  g_autoptr(PangoLayout) sub = NULL;
  EsaChartStyle style;
  double bottom = PAGE_HEIGHT - MARGIN;
  double y = MARGIN;
  int width, height;

  cairo_set_source_rgb (pdf->cr, 0, 0, 0);
  cairo_move_to (pdf->cr, MARGIN, y);
  pango_cairo_show_layout (pdf->cr, title);
  pango_layout_get_pixel_size (title, &width, &height);
  y += height + 2;

  rows = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u row", "%u rows", report->rows->len),
                          report->rows->len);
  /* Translators: the first %s is a date and time, the second a number of rows */
  subtitle = g_strdup_printf (_("Generated on %s by Esattore · %s"), generated, rows);
  sub = layout_new (pdf->cr, TABLE_FONT, subtitle, FALSE);
  cairo_set_source_rgb (pdf->cr, 0.35, 0.35, 0.35);
  cairo_move_to (pdf->cr, MARGIN, y);
  pango_cairo_show_layout (pdf->cr, sub);
  pango_layout_get_pixel_size (sub, &width, &height);
  y += height + 14;

  esa_chart_style_init (&style, FALSE);
  style.font = "Sans 7";
  esa_chart_draw_report (pdf->cr, MARGIN, y, PAGE_WIDTH - 2 * MARGIN, CHART_HEIGHT, report,
                         &style);
  y += CHART_HEIGHT + 18;

  measure_columns (pdf);
  y = draw_header (pdf, y);
  for (guint r = 0; r < report->rows->len; r++)
    {
      if (y + pdf->row_height > bottom)
        {
          next_page (pdf);
          y = draw_header (pdf, MARGIN);
        }
      y = draw_row (pdf, g_ptr_array_index (report->rows, r), y, FALSE);
    }

  if (y + pdf->row_height * (report->totals->len + 1) > bottom)
    {
      next_page (pdf);
      y = draw_header (pdf, MARGIN);
    }
  cairo_set_source_rgb (pdf->cr, 0, 0, 0);
  rule (pdf->cr, y + 1, table_width (pdf));
  y += 3;
  for (guint r = 0; r < report->totals->len; r++)
    y = draw_row (pdf, g_ptr_array_index (report->totals, r), y, TRUE);

  draw_footer (pdf);
  cairo_show_page (pdf->cr);
}

gboolean
_esa_report_write_pdf (const EsaReport  *report,
                       const char       *path,
                       GError          **error)
{
  g_autofree char *part = g_strconcat (path, ".part", NULL);
  cairo_surface_t *surface;
  cairo_status_t status;
  Pdf pdf = { NULL, };
  int height;

  surface = cairo_pdf_surface_create (part, PAGE_WIDTH, PAGE_HEIGHT);
  pdf.cr = cairo_create (surface);
  pdf.report = report;
  pdf.title = _esa_report_full_title (report);
  pdf.page = 1;
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, pdf.title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Esattore");

  {
    g_autoptr(PangoLayout) probe = layout_new (pdf.cr, TABLE_FONT, "Ag", FALSE);
    int width;

    pango_layout_get_pixel_size (probe, &width, &height);
  }
  pdf.row_height = height + 4;

  draw_report (&pdf);

  cairo_destroy (pdf.cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  g_free (pdf.widths);
  g_free (pdf.title);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_unlink (part);
      /* Translators: the first %s is a file name, the second cairo's reason */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot write the PDF %s: %s"), path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  if (g_rename (part, path) != 0)
    {
      int saved = errno;

      g_unlink (part);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot write the PDF %s: %s"), path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}
