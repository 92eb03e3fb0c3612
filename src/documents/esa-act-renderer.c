/* esa-act-renderer.c: acts as PDF
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <librsvg/rsvg.h>

#include "esa-act-renderer.h"
#include "esa-core.h"
#include "esa-documents-private.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsvgHandle, g_object_unref)

/* A logo read once and kept as a vector recording. */
typedef struct
{
  cairo_surface_t *surface;
  double           width;
  double           height;
} Logo;

static void
logo_free (Logo *logo)
{
  cairo_surface_destroy (logo->surface);
  g_free (logo);
}

struct _EsaActRenderer
{
  GObject     parent_instance;

  char       *templates_dir;
  char       *language;
  GHashTable *templates;  /* "body|type|language" → EsaActTemplate */
  GHashTable *logos;      /* file → Logo */
  gboolean    record_pages;
  EsaDraw    *draw;       /* made with the font of the latest template */
  char       *font;       /* the font that @draw was made with */
};

G_DEFINE_FINAL_TYPE (EsaActRenderer, esa_act_renderer, G_TYPE_OBJECT)

struct _EsaRenderedAct
{
  GPtrArray *pages;       /* cairo_surface_t recordings, or NULLs when not recorded */
  GBytes    *pdf;
  char      *title;
};

static void
esa_act_renderer_finalize (GObject *object)
{
  EsaActRenderer *self = ESA_ACT_RENDERER (object);

  g_free (self->templates_dir);
  g_free (self->language);
  g_clear_pointer (&self->templates, g_hash_table_unref);
  g_clear_pointer (&self->logos, g_hash_table_unref);
  g_clear_pointer (&self->draw, _esa_draw_free);
  g_free (self->font);

  G_OBJECT_CLASS (esa_act_renderer_parent_class)->finalize (object);
}

static void
esa_act_renderer_class_init (EsaActRendererClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = esa_act_renderer_finalize;
}

static void
esa_act_renderer_init (EsaActRenderer *self)
{
  self->templates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) _esa_act_template_unref);
  self->logos = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) logo_free);
}

EsaActRenderer *
esa_act_renderer_new (const char *templates_dir)
{
  EsaActRenderer *self = g_object_new (ESA_TYPE_ACT_RENDERER, NULL);

  self->templates_dir = templates_dir != NULL ? g_strdup (templates_dir)
                                              : esa_data_dir ("templates");
  return self;
}

const char *
esa_act_renderer_get_templates_dir (EsaActRenderer *self)
{
  g_return_val_if_fail (ESA_IS_ACT_RENDERER (self), NULL);

  return self->templates_dir;
}

void
esa_act_renderer_set_language (EsaActRenderer *self,
                               const char     *language)
{
  g_return_if_fail (ESA_IS_ACT_RENDERER (self));

  if (g_strcmp0 (self->language, language) == 0)
    return;
  g_free (self->language);
  self->language = g_strdup (language);
}

void
esa_act_renderer_set_record_pages (EsaActRenderer *self,
                                   gboolean        record)
{
  g_return_if_fail (ESA_IS_ACT_RENDERER (self));

  self->record_pages = record;
}

const char *
esa_act_renderer_get_language (EsaActRenderer *self)
{
  g_return_val_if_fail (ESA_IS_ACT_RENDERER (self), NULL);

  return self->language;
}

static EsaActTemplate *
get_template (EsaActRenderer  *self,
              const char      *body_id,
              const char      *act_type,
              GError         **error)
{
  g_autofree char *key = g_strdup_printf ("%s|%s|%s", body_id, act_type,
                                          self->language != NULL ? self->language : "");
  EsaActTemplate *tmpl = g_hash_table_lookup (self->templates, key);

  if (tmpl != NULL)
    return tmpl;

  tmpl = _esa_act_template_load (self->templates_dir, body_id, act_type, self->language, error);
  if (tmpl == NULL)
    return NULL;
  g_hash_table_insert (self->templates, g_steal_pointer (&key), tmpl);
  return tmpl;
}

static Logo *
load_svg (const char  *path,
          GError     **error)
{
  g_autoptr(RsvgHandle) handle = NULL;
  GError *local_error = NULL;
  RsvgRectangle viewport = { 0, };
  gdouble width = 0, height = 0;
  cairo_rectangle_t extents;
  cairo_surface_t *surface;
  cairo_t *cr;
  Logo *logo;
  gboolean ok;

  handle = rsvg_handle_new_from_file (path, &local_error);
  if (handle == NULL)
    {
      g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_LOGO,
                   _("Logo file %s cannot be read: %s"), path, local_error->message);
      g_error_free (local_error);
      return NULL;
    }
  rsvg_handle_set_dpi (handle, 72.0);
  if (!rsvg_handle_get_intrinsic_size_in_pixels (handle, &width, &height)
      || width <= 0 || height <= 0)
    {
      g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_LOGO,
                   _("Logo file %s has no width and height"), path);
      return NULL;
    }

  extents = (cairo_rectangle_t) { 0, 0, width, height };
  surface = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, &extents);
  cr = cairo_create (surface);
  viewport.width = width;
  viewport.height = height;
  ok = rsvg_handle_render_document (handle, cr, &viewport, &local_error);
  cairo_destroy (cr);
  if (!ok)
    {
      g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_LOGO,
                   _("Logo file %s cannot be drawn: %s"), path, local_error->message);
      g_error_free (local_error);
      cairo_surface_destroy (surface);
      return NULL;
    }

  logo = g_new0 (Logo, 1);
  logo->surface = surface;
  logo->width = width;
  logo->height = height;
  return logo;
}

static Logo *
load_png (const char  *path,
          GError     **error)
{
  cairo_surface_t *image = cairo_image_surface_create_from_png (path);
  Logo *logo;

  if (cairo_surface_status (image) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_LOGO,
                   _("Logo file %s cannot be read: %s"), path,
                   cairo_status_to_string (cairo_surface_status (image)));
      cairo_surface_destroy (image);
      return NULL;
    }

  logo = g_new0 (Logo, 1);
  logo->surface = image;
  logo->width = cairo_image_surface_get_width (image);
  logo->height = cairo_image_surface_get_height (image);
  return logo;
}

static Logo *
get_logo (EsaActRenderer  *self,
          const char      *path,
          GError         **error)
{
  Logo *logo = g_hash_table_lookup (self->logos, path);

  if (logo != NULL)
    return logo;

  if (g_str_has_suffix (path, ".svg") || g_str_has_suffix (path, ".SVG"))
    logo = load_svg (path, error);
  else if (g_str_has_suffix (path, ".png") || g_str_has_suffix (path, ".PNG"))
    logo = load_png (path, error);
  else
    g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_LOGO,
                 _("Logo file %s is neither SVG nor PNG"), path);
  if (logo == NULL)
    return NULL;

  g_hash_table_insert (self->logos, g_strdup (path), logo);
  return logo;
}

static cairo_status_t
write_to_array (void                *closure,
                const unsigned char *data,
                unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

void
esa_rendered_act_draw_page (EsaRenderedAct *self,
                            cairo_t        *cr,
                            guint           page)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (page < self->pages->len);
  g_return_if_fail (g_ptr_array_index (self->pages, page) != NULL);

  cairo_save (cr);
  cairo_set_source_surface (cr, g_ptr_array_index (self->pages, page), 0, 0);
  cairo_paint (cr);
  cairo_restore (cr);
}

EsaRenderedAct *
esa_act_renderer_render (EsaActRenderer    *self,
                         const EsaActData  *data,
                         GError           **error)
{
  g_autoptr(EsaRenderedAct) act = NULL;
  g_autoptr(GByteArray) bytes = NULL;
  g_autofree char *stamp = NULL;
  EsaActTemplate *tmpl;
  Logo *logo = NULL;
  const char *font;
  char *title = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  g_return_val_if_fail (ESA_IS_ACT_RENDERER (self), NULL);
  g_return_val_if_fail (data != NULL, NULL);

  tmpl = get_template (self, data->body->id, data->act->type, error);
  if (tmpl == NULL)
    return NULL;
  if (tmpl->logo_file != NULL)
    {
      logo = get_logo (self, tmpl->logo_file, error);
      if (logo == NULL)
        return NULL;
    }

  font = _esa_json_get_string (tmpl->common, "font");
  if (self->draw == NULL || g_strcmp0 (self->font, font) != 0)
    {
      g_clear_pointer (&self->draw, _esa_draw_free);
      self->draw = _esa_draw_new (font);
      g_free (self->font);
      self->font = g_strdup (font);
    }

  act = g_new0 (EsaRenderedAct, 1);
  if (!pango_parse_markup (_esa_json_get_string (tmpl->act, "title") != NULL
                           ? _esa_json_get_string (tmpl->act, "title") : "",
                           -1, 0, NULL, &title, NULL, NULL))
    title = g_strdup ("");
  act->title = g_strdup_printf ("%s %s", title, data->act->number);
  g_free (title);

  bytes = g_byte_array_sized_new (64 * 1024);
  stamp = g_strdup_printf ("%sT00:00:00Z", data->act->issued_on);
  surface = cairo_pdf_surface_create_for_stream (write_to_array, bytes, ESA_A4_WIDTH,
                                                 ESA_A4_HEIGHT);
  /* The act's date, not the clock: the same act gives the same bytes. */
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE, stamp);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_MOD_DATE, stamp);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, act->title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_AUTHOR, data->body->name);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Esattore");
  cr = cairo_create (surface);

  /* Recorded pages are replayed into the PDF (a batch replays them again
   * into its print file); otherwise they are drawn straight onto it. */
  act->pages = _esa_act_layout_pages (self->draw, tmpl, data,
                                      logo != NULL ? logo->surface : NULL,
                                      logo != NULL ? logo->width : 0,
                                      logo != NULL ? logo->height : 0,
                                      self->record_pages ? NULL : cr,
                                      self->record_pages, error);
  if (act->pages != NULL && self->record_pages)
    for (guint i = 0; i < act->pages->len; i++)
      {
        esa_rendered_act_draw_page (act, cr, i);
        cairo_show_page (cr);
      }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (act->pages == NULL)
    return NULL;
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_RENDER,
                   _("The PDF of act %s could not be written: %s"), data->act->number,
                   cairo_status_to_string (status));
      return NULL;
    }
  act->pdf = g_byte_array_free_to_bytes (g_steal_pointer (&bytes));

  return g_steal_pointer (&act);
}

GBytes *
esa_act_renderer_render_act (EsaActRenderer  *self,
                             EsaStore        *store,
                             const char      *act_id,
                             guint           *out_n_pages,
                             GError         **error)
{
  g_autoptr(EsaActData) data = NULL;
  g_autoptr(EsaRenderedAct) act = NULL;

  g_return_val_if_fail (ESA_IS_ACT_RENDERER (self), NULL);
  g_return_val_if_fail (ESA_IS_STORE (store), NULL);
  g_return_val_if_fail (act_id != NULL, NULL);

  data = esa_store_load_act_data (store, act_id, error);
  if (data == NULL)
    return NULL;
  act = esa_act_renderer_render (self, data, error);
  if (act == NULL)
    return NULL;

  if (out_n_pages != NULL)
    *out_n_pages = act->pages->len;
  return g_bytes_ref (act->pdf);
}

GBytes *
esa_rendered_act_get_pdf (EsaRenderedAct *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->pdf;
}

guint
esa_rendered_act_get_n_pages (EsaRenderedAct *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->pages->len;
}

const char *
esa_rendered_act_get_title (EsaRenderedAct *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->title;
}

void
esa_rendered_act_free (EsaRenderedAct *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->pages, g_ptr_array_unref);
  g_clear_pointer (&self->pdf, g_bytes_unref);
  g_free (self->title);
  g_free (self);
}

/* ---- the archive -------------------------------------------------------- */

EsaAttachments *
esa_act_attachments_for_store (EsaStore  *store,
                               GError   **error)
{
  const char *path;
  g_autofree char *dir = NULL;
  g_autofree char *attachments = NULL;

  g_return_val_if_fail (ESA_IS_STORE (store), NULL);

  path = esa_store_get_path (store);
  if (path == NULL || *path == '\0' || g_str_equal (path, ":memory:"))
    {
      g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_IO,
                   _("A database in memory has no folder to archive documents in"));
      return NULL;
    }
  dir = g_path_get_dirname (path);
  attachments = g_build_filename (dir, "attachments", NULL);
  return esa_attachments_new (attachments);
}

char *
esa_act_archive (EsaStore          *store,
                 EsaAttachments    *attachments,
                 const EsaActData  *data,
                 const char        *title,
                 GBytes            *pdf,
                 gboolean          *out_added,
                 GError           **error)
{
  g_autofree char *hash = NULL;
  g_autofree char *existing = NULL;
  EsaDocument document = { NULL, };
  GError *local_error = NULL;

  g_return_val_if_fail (ESA_IS_STORE (store), NULL);
  g_return_val_if_fail (ESA_IS_ATTACHMENTS (attachments), NULL);
  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (pdf != NULL, NULL);

  hash = esa_attachments_store_bytes (attachments, pdf, error);
  if (hash == NULL)
    return NULL;

  existing = esa_store_find_act_document (store, data->act->debtor_id, data->act->id, hash,
                                          &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (out_added != NULL)
    *out_added = existing == NULL;
  if (existing != NULL)
    return g_steal_pointer (&existing);

  document.debtor_id = data->act->debtor_id;
  document.case_id = data->act->case_id;
  document.act_id = data->act->id;
  document.title = (char *) title;
  document.mime_type = (char *) "application/pdf";
  document.sha256 = hash;
  document.size = (gint64) g_bytes_get_size (pdf);
  return esa_store_add_document (store, &document, error);
}
