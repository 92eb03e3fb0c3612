#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "esa-attachments.h"
#include "esa-store-documents.h"
#include "esa-store.h"

G_BEGIN_DECLS

/* Acts as PDF (issue 4): the act's template (data/templates/, see
 * help/C/templates.page) laid out with Pango on cairo, A4, with its payment
 * slips. The same act and data give the same bytes: the PDF's dates are
 * the act's date of issue and nothing in it is random.
 *
 * A renderer caches templates and logos and is not thread-safe: use one
 * per thread. */

#define ESA_TYPE_ACT_RENDERER (esa_act_renderer_get_type ())
G_DECLARE_FINAL_TYPE (EsaActRenderer, esa_act_renderer, ESA, ACT_RENDERER, GObject)

/**
 * esa_act_renderer_new:
 * @templates_dir: (nullable): the templates folder; NULL for
 *   esa_data_dir ("templates")
 *
 * Returns: (transfer full): a renderer
 */
EsaActRenderer *esa_act_renderer_new          (const char      *templates_dir);

const char     *esa_act_renderer_get_templates_dir (EsaActRenderer *self);

/* The language of the acts ("it", "de", "fr", "en"); NULL (the default)
 * takes each body's language from its body.json, else Italian. */
void            esa_act_renderer_set_language (EsaActRenderer  *self,
                                               const char      *language);
const char     *esa_act_renderer_get_language (EsaActRenderer  *self);

/* Whether rendered acts keep their pages as vector recordings, for
 * esa_rendered_act_draw_page() (default FALSE: only the PDF is made). */
void            esa_act_renderer_set_record_pages (EsaActRenderer *self,
                                                   gboolean        record);

/* An act laid out: its PDF, and its pages as vector recordings when the
 * renderer keeps them. */
typedef struct _EsaRenderedAct EsaRenderedAct;

/**
 * esa_act_renderer_render:
 *
 * Lays out the act of @data. Errors: ESA_DOCUMENTS_ERROR_TEMPLATE or
 * _LOGO naming the file, _DATA when the act lacks what its slip needs (a
 * payment reference, an address), _RENDER when cairo fails.
 *
 * Returns: (transfer full) (nullable): the act
 */
EsaRenderedAct *esa_act_renderer_render       (EsaActRenderer    *self,
                                               const EsaActData  *data,
                                               GError           **error);

/**
 * esa_act_renderer_render_act:
 * @out_n_pages: (out) (optional): the number of pages
 *
 * Reads act @act_id from @store and renders it.
 *
 * Returns: (transfer full) (nullable): the PDF
 */
GBytes         *esa_act_renderer_render_act   (EsaActRenderer  *self,
                                               EsaStore        *store,
                                               const char      *act_id,
                                               guint           *out_n_pages,
                                               GError         **error);

GBytes         *esa_rendered_act_get_pdf      (EsaRenderedAct  *self);
guint           esa_rendered_act_get_n_pages  (EsaRenderedAct  *self);
/* "Ingiunzione di pagamento ING-2026-000123": the document's title. */
const char     *esa_rendered_act_get_title    (EsaRenderedAct  *self);
/* Paints page @page (from 0) onto @cr, an A4 page in points: how a batch
 * writes its combined print file without laying the act out again. Only
 * for a renderer that records pages. */
void            esa_rendered_act_draw_page    (EsaRenderedAct  *self,
                                               cairo_t         *cr,
                                               guint            page);
void            esa_rendered_act_free         (EsaRenderedAct  *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaRenderedAct, esa_rendered_act_free)

/**
 * esa_act_attachments_for_store:
 *
 * The attachments beside the database ("attachments" in its folder).
 *
 * Returns: (transfer full) (nullable): NULL with ESA_DOCUMENTS_ERROR_IO for a
 *   database in memory
 */
EsaAttachments *esa_act_attachments_for_store (EsaStore        *store,
                                               GError         **error);

/**
 * esa_act_archive:
 * @title: the document's title
 * @out_added: (out) (optional): FALSE when the act already had a document
 *   with these bytes (nothing was added)
 *
 * Stores @pdf content-addressed in @attachments and records it as a
 * document of the act's debtor, case and act, unless the act already has a
 * document with the same content: printing an act twice archives it once.
 *
 * Returns: (transfer full) (nullable): the document's id
 */
char           *esa_act_archive               (EsaStore          *store,
                                               EsaAttachments    *attachments,
                                               const EsaActData  *data,
                                               const char        *title,
                                               GBytes            *pdf,
                                               gboolean          *out_added,
                                               GError           **error);

G_END_DECLS
