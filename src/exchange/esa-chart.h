#pragma once

#include <cairo.h>
#include <glib.h>

#include "esa-store-reports.h"

G_BEGIN_DECLS

/* Bar and line charts drawn with cairo and Pango on any cairo_t: the PDF
 * export draws on a PDF surface, the workbench in a GtkDrawingArea. No GTK
 * here: the caller passes the colours of its light or dark style.
 *
 * Series with the same unit (a currency code, or NULL for counts) share a
 * panel and its scale; each unit gets a panel of its own, side by side, so
 * that amounts in different currencies are never drawn on one scale. */

typedef enum
{
  ESA_CHART_BARS,
  ESA_CHART_LINES,
} EsaChartKind;

typedef struct
{
  double red, green, blue, alpha;
} EsaChartColor;

#define ESA_CHART_PALETTE_SIZE 4

typedef struct
{
  EsaChartColor foreground;   /* labels, axes */
  EsaChartColor dim;          /* tick labels, legends */
  EsaChartColor grid;
  EsaChartColor palette[ESA_CHART_PALETTE_SIZE];  /* series, in turn */
  const char   *font;         /* a Pango font description: "Sans 9" */
} EsaChartStyle;

typedef struct
{
  const char   *title;
  const char   *unit;         /* currency code, or NULL for counts */
  const gint64 *values;       /* one per category; minor units for a currency */
} EsaChartSeries;

/* Colours for a light or a dark background (the libadwaita palette). */
void     esa_chart_style_init       (EsaChartStyle         *style,
                                     gboolean               dark);

/**
 * esa_chart_draw:
 * @categories: (array length=n_categories): the labels along the x axis
 * @series: (array length=n_series): the values
 * @empty_text: (nullable): shown centred when there is nothing to draw
 *
 * Draws the chart into the rectangle @x, @y, @width, @height of @cr. The
 * cairo state of @cr is left as it was.
 */
void     esa_chart_draw             (cairo_t               *cr,
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
                                     const EsaChartStyle   *style);

/* The chart of a report (its categories and series), lines for the
 * collections over time and bars otherwise. */
void     esa_chart_draw_report      (cairo_t               *cr,
                                     double                 x,
                                     double                 y,
                                     double                 width,
                                     double                 height,
                                     const EsaReport       *report,
                                     const EsaChartStyle   *style);

G_END_DECLS
