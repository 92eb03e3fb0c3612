#pragma once

#include <gtk/gtk.h>

#include "esa-viewer-document.h"

G_BEGIN_DECLS

/* One page of a document, as large as the scale makes it: white paper until
 * its render arrives, the render after that (scaled while a sharper one for
 * a new zoom is on its way), the matches of a search over it, and the
 * widgets of its form fields on top, each at its field's place. A page is
 * rendered only while it is wanted, that is, near what the view shows. */

#define ESA_TYPE_VIEWER_PAGE (esa_viewer_page_get_type ())
G_DECLARE_FINAL_TYPE (EsaViewerPage, esa_viewer_page, ESA, VIEWER_PAGE, GtkWidget)

/* @priority: of its renders (see esa_viewer_document_render_async()) */
GtkWidget *esa_viewer_page_new               (int                    priority);

/* Shows page @index of @document (NULL for none). */
void       esa_viewer_page_set_page          (EsaViewerPage         *self,
                                              EsaViewerDocument     *document,
                                              guint                  index);
guint      esa_viewer_page_get_index         (EsaViewerPage         *self);
/* @scale: logical pixels per point */
void       esa_viewer_page_set_scale         (EsaViewerPage         *self,
                                              double                 scale);
double     esa_viewer_page_get_scale         (EsaViewerPage         *self);
void       esa_viewer_page_set_wanted        (EsaViewerPage         *self,
                                              gboolean               wanted);
/* Whether the page shows a render made for its present scale. */
gboolean   esa_viewer_page_get_rendered      (EsaViewerPage         *self);

/* @matches: (nullable) (element-type graphene_rect_t): points from the top
 * left corner; @current: the one to mark as current, or -1 */
void       esa_viewer_page_set_matches       (EsaViewerPage         *self,
                                              GArray                *matches,
                                              int                    current);

/* Places @widget over the page at @area (points from the top left corner),
 * scaled with the page. */
void       esa_viewer_page_add_overlay       (EsaViewerPage         *self,
                                              GtkWidget             *widget,
                                              const graphene_rect_t *area);

G_END_DECLS
