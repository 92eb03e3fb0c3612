/* esa-chart.c: bar and line charts on a cairo_t
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>

#include "esa-chart.h"

/* Spacing in device units (points on a PDF page, pixels on screen). */
#define PAD          8.0
#define PANEL_GAP    24.0
#define TICK_TARGET  5
/* Beyond this many categories a line reads better than a forest of bars. */
#define MAX_BAR_CATEGORIES 24

typedef struct
{
  const char *unit;
  GArray     *members;  /* guint: indexes into the series */
} Panel;

static EsaChartColor
rgb (guint32 hex,
     double  alpha)
{
  EsaChartColor color = {
    ((hex >> 16) & 0xff) / 255.0,
    ((hex >> 8) & 0xff) / 255.0,
    (hex & 0xff) / 255.0,
    alpha,
  };

  return color;
}

void
esa_chart_style_init (EsaChartStyle *style,
                      gboolean       dark)
{
  g_return_if_fail (style != NULL);

  memset (style, 0, sizeof *style);
  /* The libadwaita palette: blue 3, green 4, orange 3, purple 3 (light);
   * their lighter tones on dark. */
  if (dark)
    {
      style->foreground = rgb (0xffffff, 1.0);
      style->dim = rgb (0xffffff, 0.7);
      style->grid = rgb (0xffffff, 0.15);
      style->palette[0] = rgb (0x62a0ea, 1.0);
      style->palette[1] = rgb (0x57e389, 1.0);
      style->palette[2] = rgb (0xffa348, 1.0);
      style->palette[3] = rgb (0xc061cb, 1.0);
    }
  else
    {
      style->foreground = rgb (0x000000, 0.8);
      style->dim = rgb (0x000000, 0.55);
      style->grid = rgb (0x000000, 0.12);
      style->palette[0] = rgb (0x3584e4, 1.0);
      style->palette[1] = rgb (0x2ec27e, 1.0);
      style->palette[2] = rgb (0xff7800, 1.0);
      style->palette[3] = rgb (0x9141ac, 1.0);
    }
  style->font = "Sans 9";
}

static void
set_color (cairo_t             *cr,
           const EsaChartColor *color)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha);
}

static PangoLayout *
make_layout (cairo_t             *cr,
             const EsaChartStyle *style,
             const char          *text,
             gboolean             bold)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string (style->font);

  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

/* Draws @text with its top left (align 0), centre (0.5) or right (1) at
 * @x, @y; returns its width. */
static double
draw_text (cairo_t             *cr,
           const EsaChartStyle *style,
           const EsaChartColor *color,
           const char          *text,
           double               x,
           double               y,
           double               align,
           gboolean             bold)
{
  g_autoptr(PangoLayout) layout = make_layout (cr, style, text, bold);
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  set_color (cr, color);
  cairo_move_to (cr, x - align * width, y);
  pango_cairo_show_layout (cr, layout);
  return width;
}

static void
text_size (cairo_t             *cr,
           const EsaChartStyle *style,
           const char          *text,
           double              *out_width,
           double              *out_height)
{
  g_autoptr(PangoLayout) layout = make_layout (cr, style, text, FALSE);
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  *out_width = width;
  *out_height = height;
}

/* A step of 1, 2 or 5 times a power of ten that splits @max into about
 * TICK_TARGET intervals. */
static double
nice_step (double max)
{
  double raw = max / TICK_TARGET;
  double magnitude = pow (10.0, floor (log10 (raw)));
  double fraction = raw / magnitude;

  if (fraction <= 1.0)
    return magnitude;
  if (fraction <= 2.0)
    return 2.0 * magnitude;
  if (fraction <= 5.0)
    return 5.0 * magnitude;
  return 10.0 * magnitude;
}

/* A tick value for people: whole units with thousands grouped by the
 * locale, shortened to thousands or millions from a thousand on, so
 * that the ticks of one axis read alike ("5k", "10k", not "5.000", "10k"). */
static char *
tick_label (double value)
{
  if (value >= 1e6)
    return g_strdup_printf ("%'.*fM", fmod (value, 1e6) == 0 ? 0 : 1, value / 1e6);
  if (value >= 1e3)
    return g_strdup_printf ("%'.*fk", fmod (value, 1e3) == 0 ? 0 : 1, value / 1e3);
  if (value != floor (value))
    return g_strdup_printf ("%'.1f", value);
  return g_strdup_printf ("%'.0f", value);
}

static double
series_value (const EsaChartSeries *series,
              guint                 category)
{
  double value = (double) series->values[category];

  /* Drawing only: amounts go from minor to major units. */
  return series->unit != NULL ? value / 100.0 : value;
}

static void
draw_panel (cairo_t               *cr,
            double                 x,
            double                 y,
            double                 width,
            double                 height,
            EsaChartKind           kind,
            const char * const    *categories,
            guint                  n_categories,
            const EsaChartSeries  *series,
            const Panel           *panel,
            const EsaChartStyle   *style)
{
  double max = 0.0;
  double step, top, label_w, label_h, axis_w = 0.0;
  double plot_x, plot_y, plot_w, plot_h, slot;
  double title_h, legend_h = 0.0;
  guint n_ticks, label_every;
  g_autofree char *title = NULL;

  for (guint m = 0; m < panel->members->len; m++)
    {
      const EsaChartSeries *s = &series[g_array_index (panel->members, guint, m)];

      for (guint c = 0; c < n_categories; c++)
        max = MAX (max, series_value (s, c));
    }
  if (max <= 0.0)
    max = 1.0;
  step = nice_step (max);
  n_ticks = (guint) ceil (max / step);
  top = n_ticks * step;

  /* Title: the currency, or "Count". */
  title = g_strdup (panel->unit != NULL ? panel->unit : _("Count"));
  text_size (cr, style, title, &label_w, &title_h);
  draw_text (cr, style, &style->foreground, title, x, y, 0.0, TRUE);

  /* Legend, when the panel holds several series. */
  if (panel->members->len > 1)
    {
      double lx = x;

      legend_h = title_h + PAD / 2;
      for (guint m = 0; m < panel->members->len; m++)
        {
          guint index = g_array_index (panel->members, guint, m);
          const EsaChartColor *color = &style->palette[index % ESA_CHART_PALETTE_SIZE];

          set_color (cr, color);
          cairo_rectangle (cr, lx, y + title_h + PAD / 2 + title_h / 2 - 4, 8, 8);
          cairo_fill (cr);
          lx += 12 + draw_text (cr, style, &style->dim, series[index].title, lx + 12,
                                y + title_h + PAD / 2, 0.0, FALSE) + PAD * 1.5;
        }
    }

  for (guint t = 0; t <= n_ticks; t++)
    {
      g_autofree char *label = tick_label (t * step);
      double w, h;

      text_size (cr, style, label, &w, &h);
      axis_w = MAX (axis_w, w);
    }
  text_size (cr, style, "0000-00", &label_w, &label_h);

  plot_x = x + axis_w + PAD;
  plot_y = y + title_h + legend_h + PAD + label_h / 2;
  plot_w = width - (plot_x - x) - PAD / 2;
  plot_h = height - (plot_y - y) - label_h - PAD;
  if (plot_w < 20 || plot_h < 20 || n_categories == 0)
    return;

  /* Grid lines and the y axis labels. */
  cairo_set_line_width (cr, 1.0);
  for (guint t = 0; t <= n_ticks; t++)
    {
      g_autofree char *label = tick_label (t * step);
      double ty = plot_y + plot_h - plot_h * (t * step) / top;

      set_color (cr, &style->grid);
      cairo_move_to (cr, plot_x, floor (ty) + 0.5);
      cairo_line_to (cr, plot_x + plot_w, floor (ty) + 0.5);
      cairo_stroke (cr);
      draw_text (cr, style, &style->dim, label, plot_x - PAD / 2, ty - label_h / 2, 1.0, FALSE);
    }

  /* Category labels, thinned out so that they do not overlap. */
  slot = plot_w / n_categories;
  label_every = 1;
  for (guint c = 0; c < n_categories; c++)
    {
      double w, h;

      text_size (cr, style, categories[c], &w, &h);
      while (w + PAD > slot * label_every)
        label_every++;
    }
  for (guint c = 0; c < n_categories; c += label_every)
    {
      double w, h, cx;

      /* Centred under its slot, but kept inside the panel at both ends. */
      text_size (cr, style, categories[c], &w, &h);
      cx = plot_x + slot * (c + 0.5);
      cx = CLAMP (cx, x + w / 2, x + width - w / 2);
      draw_text (cr, style, &style->dim, categories[c], cx, plot_y + plot_h + PAD / 2, 0.5,
                 FALSE);
    }

  for (guint m = 0; m < panel->members->len; m++)
    {
      guint index = g_array_index (panel->members, guint, m);
      const EsaChartSeries *s = &series[index];
      const EsaChartColor *color = &style->palette[index % ESA_CHART_PALETTE_SIZE];

      set_color (cr, color);
      if (kind == ESA_CHART_BARS)
        {
          double group_w = slot * 0.7;
          double bar_w = group_w / panel->members->len;

          for (guint c = 0; c < n_categories; c++)
            {
              double bar_h = plot_h * series_value (s, c) / top;
              double bx = plot_x + slot * c + (slot - group_w) / 2 + bar_w * m;

              if (bar_h > 0)
                cairo_rectangle (cr, bx, plot_y + plot_h - bar_h, MAX (bar_w - 1, 1), bar_h);
            }
          cairo_fill (cr);
        }
      else
        {
          cairo_set_line_width (cr, 2.0);
          cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
          for (guint c = 0; c < n_categories; c++)
            {
              double px = plot_x + slot * (c + 0.5);
              double py = plot_y + plot_h - plot_h * series_value (s, c) / top;

              if (c == 0)
                cairo_move_to (cr, px, py);
              else
                cairo_line_to (cr, px, py);
            }
          cairo_stroke (cr);
        }
    }

  /* The base line. */
  set_color (cr, &style->dim);
  cairo_set_line_width (cr, 1.0);
  cairo_move_to (cr, plot_x, floor (plot_y + plot_h) + 0.5);
  cairo_line_to (cr, plot_x + plot_w, floor (plot_y + plot_h) + 0.5);
  cairo_stroke (cr);
}

void
esa_chart_draw (cairo_t               *cr,
                double                 x,
                double                 y,
                double                 width,
                double                 height,
                EsaChartKind           kind,
                const char * const    *categories,
                guint                  n_categories,
                const EsaChartSeries  *series,
                guint                  n_series,
                const char            *empty_text,
                const EsaChartStyle   *style)
{
  g_autoptr(GArray) panels = g_array_new (FALSE, TRUE, sizeof (Panel));
  gboolean any = FALSE;
  double panel_w;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (style != NULL);

  for (guint i = 0; i < n_series; i++)
    for (guint c = 0; c < n_categories; c++)
      any = any || series[i].values[c] != 0;

  cairo_save (cr);
  if (!any || n_categories == 0)
    {
      if (empty_text != NULL)
        {
          double w, h;

          text_size (cr, style, empty_text, &w, &h);
          draw_text (cr, style, &style->dim, empty_text, x + width / 2, y + (height - h) / 2,
                     0.5, FALSE);
        }
      cairo_restore (cr);
      return;
    }

  /* One panel per unit, in the order the units first appear. */
  for (guint i = 0; i < n_series; i++)
    {
      Panel *panel = NULL;

      for (guint p = 0; p < panels->len; p++)
        if (g_strcmp0 (g_array_index (panels, Panel, p).unit, series[i].unit) == 0)
          panel = &g_array_index (panels, Panel, p);
      if (panel == NULL)
        {
          Panel fresh = { series[i].unit, g_array_new (FALSE, FALSE, sizeof (guint)) };

          g_array_append_val (panels, fresh);
          panel = &g_array_index (panels, Panel, panels->len - 1);
        }
      g_array_append_val (panel->members, i);
    }

  panel_w = (width - PANEL_GAP * (panels->len - 1)) / panels->len;
  for (guint p = 0; p < panels->len; p++)
    {
      Panel *panel = &g_array_index (panels, Panel, p);

      draw_panel (cr, x + p * (panel_w + PANEL_GAP), y, panel_w, height, kind, categories,
                  n_categories, series, panel, style);
      g_array_unref (panel->members);
    }
  cairo_restore (cr);
}

void
esa_chart_draw_report (cairo_t             *cr,
                       double               x,
                       double               y,
                       double               width,
                       double               height,
                       const EsaReport     *report,
                       const EsaChartStyle *style)
{
  g_autofree EsaChartSeries *series = NULL;
  EsaChartKind kind;

  g_return_if_fail (report != NULL);

  series = g_new0 (EsaChartSeries, MAX (report->series->len, 1));
  for (guint i = 0; i < report->series->len; i++)
    {
      const EsaReportSeries *s = g_ptr_array_index (report->series, i);

      series[i].title = s->title;
      series[i].unit = s->unit;
      series[i].values = (const gint64 *) (gpointer) s->values->data;
    }
  kind = report->categories->len > MAX_BAR_CATEGORIES ? ESA_CHART_LINES : ESA_CHART_BARS;
  esa_chart_draw (cr, x, y, width, height, kind,
                  (const char * const *) report->categories->pdata, report->categories->len,
                  series, report->series->len, _("Nothing to chart in this period"), style);
}
