#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* What the viewer shows, apart from the widgets that show it: a PDF read by
 * poppler, or an image (a scan) as one page. Pages are rendered, and text is
 * searched, by one worker thread of the document's own, in order of priority;
 * results come back on the main thread. */

#define ESA_VIEWER_ERROR (esa_viewer_error_quark ())

typedef enum
{
  ESA_VIEWER_ERROR_UNREADABLE,  /* the file could not be read at all */
  ESA_VIEWER_ERROR_EMPTY,       /* the file holds no bytes, or the PDF no pages */
  ESA_VIEWER_ERROR_TRUNCATED,   /* a PDF whose end is missing */
  ESA_VIEWER_ERROR_DAMAGED,     /* a PDF or image that its reader refused */
  ESA_VIEWER_ERROR_ENCRYPTED,   /* a PDF protected by a password */
  ESA_VIEWER_ERROR_NOT_PDF,     /* named as a PDF, but something else */
  ESA_VIEWER_ERROR_UNSUPPORTED, /* neither a PDF nor an image */
} EsaViewerError;

GQuark esa_viewer_error_quark (void);

#define ESA_TYPE_VIEWER_DOCUMENT (esa_viewer_document_get_type ())
G_DECLARE_FINAL_TYPE (EsaViewerDocument, esa_viewer_document, ESA, VIEWER_DOCUMENT, GObject)

/**
 * esa_viewer_document_load_async:
 * @file: (nullable): the file to read, unless @bytes are given
 * @bytes: (nullable): the content, when there is no file
 * @title: the name the document goes by in messages ("invoice.pdf")
 *
 * Reads and opens the document in a worker thread. Errors are in
 * ESA_VIEWER_ERROR and name @title.
 */
void               esa_viewer_document_load_async    (GFile               *file,
                                                      GBytes              *bytes,
                                                      const char          *title,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
/* Returns: (transfer full) (nullable): the document */
EsaViewerDocument *esa_viewer_document_load_finish   (GAsyncResult        *result,
                                                      GError             **error);

const char        *esa_viewer_document_get_title     (EsaViewerDocument   *self);
/* TRUE for a PDF, FALSE for an image. */
gboolean           esa_viewer_document_is_pdf        (EsaViewerDocument   *self);
guint              esa_viewer_document_get_n_pages   (EsaViewerDocument   *self);
/* In points (1/72 inch), as the page is shown (its rotation applied). */
void               esa_viewer_document_get_page_size (EsaViewerDocument   *self,
                                                      guint                index,
                                                      double              *width,
                                                      double              *height);
/* The page's printed label ("iv", "12"), or its number from 1. */
const char        *esa_viewer_document_get_page_label (EsaViewerDocument  *self,
                                                       guint               index);
/* The "busy" property: TRUE while renders asked for are still on their way. */
gboolean           esa_viewer_document_get_busy      (EsaViewerDocument   *self);

/**
 * esa_viewer_document_render_async:
 * @scale: device pixels per point
 * @priority: lower first; the visible pages go before the thumbnails
 *
 * Renders a page into a texture of its size at @scale (an image document
 * returns its image, whatever the scale).
 */
void               esa_viewer_document_render_async  (EsaViewerDocument   *self,
                                                      guint                index,
                                                      double               scale,
                                                      int                  priority,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
/* Returns: (transfer full) (nullable): the rendered page */
GdkTexture        *esa_viewer_document_render_finish (EsaViewerDocument   *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

/**
 * esa_viewer_document_find_async:
 *
 * Finds @text (ignoring case) on every page. The result holds, per page,
 * a GArray of graphene_rect_t in points from the page's top left corner.
 */
void               esa_viewer_document_find_async    (EsaViewerDocument   *self,
                                                      const char          *text,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
/* Returns: (transfer full) (element-type GArray): one array per page */
GPtrArray         *esa_viewer_document_find_finish   (EsaViewerDocument   *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

/* Draws page @index on @cr, which is @width x @height points large, as
 * large as fits and centred (printing). Takes the document's lock. */
void               esa_viewer_document_draw_for_printing (EsaViewerDocument *self,
                                                          guint              index,
                                                          cairo_t           *cr,
                                                          double             width,
                                                          double             height);

G_END_DECLS
