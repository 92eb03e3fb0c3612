/* esa-draw.c: Pango text on cairo, laid out in points
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-documents-private.h"

EsaDraw *
_esa_draw_new (const char *family)
{
  EsaDraw *self = g_new0 (EsaDraw, 1);
  cairo_font_options_t *options;

  /* A context of its own rather than one made from a cairo_t: it is made
   * once per renderer, and its settings do not depend on the surface. */
  self->context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  pango_cairo_context_set_resolution (self->context, 72.0);
  pango_context_set_round_glyph_positions (self->context, FALSE);

  /* Hinting would fit glyphs to a screen's pixel grid: on paper it only
   * changes the line breaks from one output to another. */
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_antialias (options, CAIRO_ANTIALIAS_GRAY);
  pango_cairo_context_set_font_options (self->context, options);
  cairo_font_options_destroy (options);

  self->family = g_strdup (family != NULL ? family : "Nimbus Sans, Liberation Sans, DejaVu Sans");
  return self;
}

void
_esa_draw_free (EsaDraw *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->context);
  g_free (self->family);
  g_free (self);
}

PangoLayout *
_esa_draw_layout (EsaDraw        *self,
                  const char     *markup,
                  double          size,
                  gboolean        bold,
                  double          width,
                  PangoAlignment  align)
{
  PangoLayout *layout = pango_layout_new (self->context);
  PangoFontDescription *font = pango_font_description_new ();

  pango_font_description_set_family (font, self->family);
  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);

  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  pango_layout_set_alignment (layout, align);
  /* Templates are checked when they are loaded: what reaches this point
   * is valid markup with escaped values. */
  pango_layout_set_markup (layout, markup, -1);
  return layout;
}

double
_esa_draw_markup (EsaDraw        *self,
                  cairo_t        *cr,
                  const char     *markup,
                  double          size,
                  gboolean        bold,
                  double          x,
                  double          y,
                  double          width,
                  PangoAlignment  align)
{
  g_autoptr(PangoLayout) layout = _esa_draw_layout (self, markup, size, bold, width, align);
  int height;

  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  pango_layout_get_size (layout, NULL, &height);
  return (double) height / PANGO_SCALE;
}

double
_esa_draw_text (EsaDraw        *self,
                cairo_t        *cr,
                const char     *text,
                double          size,
                gboolean        bold,
                double          x,
                double          y,
                double          width,
                PangoAlignment  align)
{
  g_autofree char *markup = g_markup_escape_text (text != NULL ? text : "", -1);

  return _esa_draw_markup (self, cr, markup, size, bold, x, y, width, align);
}

void
_esa_draw_cut_line (EsaDraw *self,
                    cairo_t *cr,
                    double   x1,
                    double   y1,
                    double   x2,
                    double   y2,
                    gboolean scissors)
{
  static const double dashes[] = { 3.0, 2.0 };

  cairo_save (cr);
  cairo_set_source_rgb (cr, 0.0, 0.0, 0.0);
  cairo_set_line_width (cr, 0.5);
  cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0.0);
  cairo_move_to (cr, x1, y1);
  cairo_line_to (cr, x2, y2);
  cairo_stroke (cr);
  cairo_restore (cr);

  if (scissors)
    {
      /* Scissors drawn as a path on a white ground that interrupts the
       * line: two blades crossing and two rings, 3.5 mm long. */
      const double u = ESA_MM (3.5) / 10.0;

      cairo_save (cr);
      cairo_translate (cr, x1, y1);
      if (x1 == x2)
        {
          cairo_translate (cr, 0, ESA_MM (8.0));
          cairo_rotate (cr, G_PI / 2.0);
        }
      else
        cairo_translate (cr, ESA_MM (8.0), 0);
      cairo_set_source_rgb (cr, 1.0, 1.0, 1.0);
      cairo_rectangle (cr, -0.5 * u, -3.5 * u, 11 * u, 7 * u);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 0.0, 0.0, 0.0);
      cairo_set_line_width (cr, 0.6 * u);
      cairo_move_to (cr, 3.5 * u, -1.6 * u);
      cairo_line_to (cr, 10 * u, 1.4 * u);
      cairo_move_to (cr, 3.5 * u, 1.6 * u);
      cairo_line_to (cr, 10 * u, -1.4 * u);
      cairo_stroke (cr);
      cairo_new_sub_path (cr);
      cairo_arc (cr, 1.8 * u, -1.8 * u, 1.3 * u, 0, 2 * G_PI);
      cairo_new_sub_path (cr);
      cairo_arc (cr, 1.8 * u, 1.8 * u, 1.3 * u, 0, 2 * G_PI);
      cairo_stroke (cr);
      cairo_restore (cr);
    }
}
