#pragma once

#include <cairo.h>
#include <json-glib/json-glib.h>
#include <pango/pangocairo.h>

#include "esa-documents-error.h"
#include "esa-payment-slip.h"
#include "esa-store-documents.h"

G_BEGIN_DECLS

/* Private to src/documents: templates, the drawing context, the layout of
 * an act and the drawing of its payment slips. Every length is in PDF points
 * (1/72 inch); ESA_MM() converts millimetres. */

#define ESA_MM(mm) ((mm) * 72.0 / 25.4)
#define ESA_A4_WIDTH  ESA_MM (210.0)
#define ESA_A4_HEIGHT ESA_MM (297.0)

/* ---- templates (esa-act-template.c) -------------------------------------- */

/* An act's template for one language and creditor body: the shipped files
 * with the body's own files merged over them, checked when loaded. */
typedef struct
{
  gint        ref_count;
  char       *act_type;
  char       *language;
  char       *act_file;      /* the shipped act template, for messages */
  char       *common_file;   /* the shipped common texts, for messages */
  JsonObject *act;           /* merged act template */
  JsonObject *common;        /* merged common texts */
  JsonObject *profile;       /* the body's body.json; an empty object without one */
  char       *profile_file;  /* NULL without one */
  char       *logo_file;     /* NULL without a logo */
} EsaActTemplate;

/**
 * _esa_act_template_load:
 * @dir: the templates folder (data/templates)
 * @body_id: (nullable): the creditor body, whose folder bodies/@body_id/
 *   may hold body.json and its own versions of the files
 * @language: (nullable): "it", "de", "fr" or "en"; NULL for the body's
 *   language (body.json "language"), else Italian
 *
 * Reads common.@language.json and @act_type.@language.json, merges the
 * body's files over them (objects member by member, anything else
 * replaced) and checks every text: valid Pango markup, only known
 * placeholders. Errors name the file and the JSON path.
 *
 * Returns: (transfer full): the template, or NULL with @error set
 */
EsaActTemplate *_esa_act_template_load   (const char      *dir,
                                          const char      *body_id,
                                          const char      *act_type,
                                          const char      *language,
                                          GError         **error);
EsaActTemplate *_esa_act_template_ref    (EsaActTemplate  *self);
void            _esa_act_template_unref  (EsaActTemplate  *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaActTemplate, _esa_act_template_unref)

/* A text of the template: the act's own member, else the common one
 * (for dotted paths like "labels.date"); NULL when neither has it. */
const char     *_esa_act_template_text   (EsaActTemplate  *self,
                                          const char      *path);

/**
 * _esa_expand:
 * @text: template text with {placeholders}; "{{" and "}}" are braces
 * @values: name → plain text value
 * @markup: TRUE to escape the values for Pango markup
 *
 * Returns: (transfer full): @text with every placeholder replaced; a name
 *   without a value becomes empty (templates are checked when loaded).
 */
char           *_esa_expand              (const char      *text,
                                          GHashTable      *values,
                                          gboolean         markup);

/* ---- values of the placeholders (esa-act-values.c) ----------------------- */

/* The long date in the template's language ("23 novembre 2026"). */
char           *_esa_format_date         (EsaActTemplate  *tmpl,
                                          const char      *iso);
/* The date in figures ("23/11/2026", "23.11.2026"). */
char           *_esa_format_short_date   (EsaActTemplate  *tmpl,
                                          const char      *iso);

/**
 * _esa_act_values_new:
 *
 * Every placeholder's value for @data, formatted in the template's
 * language.
 *
 * Returns: (transfer full): name → value
 */
GHashTable     *_esa_act_values_new      (EsaActTemplate  *tmpl,
                                          const EsaActData *data);

/* Whether a name may appear in braces in a template. */
gboolean        _esa_placeholder_is_known (const char     *name);

/* ---- drawing ------------------------------------------------------------ */

/* Fonts and a Pango context laid out in points (72 per inch), without
 * hinting and with glyph positions left unrounded, so that the layout is
 * the same on every output. Not thread-safe: one per thread. */
typedef struct
{
  PangoContext *context;
  char         *family;
} EsaDraw;

EsaDraw        *_esa_draw_new            (const char      *family);
void            _esa_draw_free           (EsaDraw         *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaDraw, _esa_draw_free)

/* A layout of @markup in @size points (bold or not), wrapped at @width
 * points (0: no wrapping). (transfer full) */
PangoLayout    *_esa_draw_layout         (EsaDraw         *self,
                                          const char      *markup,
                                          double           size,
                                          gboolean         bold,
                                          double           width,
                                          PangoAlignment   align);
/* Draws @markup with its top left at (@x, @y); returns its height. */
double          _esa_draw_markup         (EsaDraw         *self,
                                          cairo_t         *cr,
                                          const char      *markup,
                                          double           size,
                                          gboolean         bold,
                                          double           x,
                                          double           y,
                                          double           width,
                                          PangoAlignment   align);
/* The same for plain text, which is escaped. */
double          _esa_draw_text           (EsaDraw         *self,
                                          cairo_t         *cr,
                                          const char      *text,
                                          double           size,
                                          gboolean         bold,
                                          double           x,
                                          double           y,
                                          double           width,
                                          PangoAlignment   align);
/* A dashed cutting line from (@x1, @y1) to (@x2, @y2) with scissors at
 * its start when @scissors. */
void            _esa_draw_cut_line       (EsaDraw         *self,
                                          cairo_t         *cr,
                                          double           x1,
                                          double           y1,
                                          double           x2,
                                          double           y2,
                                          gboolean         scissors);

/* ---- payment slips (esa-payment-slip.c) ---------------------------------- */

/* One slip to print: what is paid, how much, with which reference. */
typedef struct
{
  const char *reference;     /* notice number or QR reference, normalized */
  gint64      amount;        /* minor units */
  const char *due_on;        /* nullable ISO date */
  char       *caption;       /* "Rata 2 di 6", "Pagamento in unica soluzione" */
  char       *subject;       /* what the payment is for */
} EsaSlip;

/* Height of the pagoPA payment section, cutting line included: three
 * fit on a page. */
#define ESA_PAGOPA_SLIP_HEIGHT ESA_MM (80.0)
/* The Swiss QR-bill payment part: the bottom of the page. */
#define ESA_QR_BILL_HEIGHT ESA_MM (105.0)

/**
 * _esa_pagopa_slip_draw:
 * @top: where the slip's cutting line is
 *
 * Draws the pagoPA notice payment section across the page's text width.
 */
gboolean        _esa_pagopa_slip_draw    (EsaDraw           *draw,
                                          cairo_t           *cr,
                                          EsaActTemplate    *tmpl,
                                          GHashTable        *values,
                                          const EsaActData  *data,
                                          const EsaSlip     *slip,
                                          double             top,
                                          GError           **error);

/* Draws the Swiss QR-bill (receipt and payment part) at the bottom 105 mm
 * of the page. */
gboolean        _esa_qr_bill_draw        (EsaDraw           *draw,
                                          cairo_t           *cr,
                                          EsaActTemplate    *tmpl,
                                          GHashTable        *values,
                                          const EsaActData  *data,
                                          const EsaSlip     *slip,
                                          GError           **error);

/* ---- the act's pages (esa-act-layout.c) ---------------------------------- */

/**
 * _esa_act_layout_pages:
 * @logo: (nullable): the body's logo as a recording surface
 * @direct: (nullable): a cairo context on a PDF surface to draw every page
 *   onto, each ended with cairo_show_page()
 * @record: whether to return the pages as recording surfaces too
 *
 * Lays out and draws the act.
 *
 * Returns: (transfer full) (element-type cairo_surface_t): one element per
 *   page: its recording, or NULL when @record is FALSE; NULL with @error set
 *   on failure
 */
GPtrArray      *_esa_act_layout_pages    (EsaDraw           *draw,
                                          EsaActTemplate    *tmpl,
                                          const EsaActData  *data,
                                          cairo_surface_t   *logo,
                                          double             logo_width,
                                          double             logo_height,
                                          cairo_t           *direct,
                                          gboolean           record,
                                          GError           **error);

/* A member of a JSON object of the template as a string; NULL when absent
 * or not a string. */
const char     *_esa_json_get_string     (JsonObject      *object,
                                          const char      *member);
/* Element @index of @array as a string; NULL when it is not one. */
const char     *_esa_json_array_string   (JsonArray       *array,
                                          guint            index);
/* Element @index of @array as an object; NULL when it is not one. */
JsonObject     *_esa_json_array_object   (JsonArray       *array,
                                          guint            index);

G_END_DECLS
