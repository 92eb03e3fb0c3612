#pragma once

#include <adwaita.h>

#include "esa-store.h"

G_BEGIN_DECLS

/* The document viewer: a PDF (acts, forms, anything filed) or an image (a
 * scan) as continuous pages, with zoom, fitting, thumbnails, finding text,
 * printing, opening with another application, and filling PDF forms; a file
 * it cannot show gets a page that says why. */

#define ESA_TYPE_VIEWER (esa_viewer_get_type ())
G_DECLARE_FINAL_TYPE (EsaViewer, esa_viewer, ESA, VIEWER, GtkWidget)

GtkWidget  *esa_viewer_new                 (void);

/* Opens @file; @title (nullable) names it in the tab and in messages, by
 * default its display name. */
void        esa_viewer_load_file           (EsaViewer         *self,
                                            GFile             *file,
                                            const char        *title);
void        esa_viewer_load_bytes          (EsaViewer         *self,
                                            GBytes            *bytes,
                                            const char        *title);

/* The dossier the document is filed in (@document is its row, or NULL for
 * a file from elsewhere that belongs to the debtor @debtor_id): a filled
 * copy of a form is saved there. Without one, forms can be filled and
 * printed but not saved. */
void        esa_viewer_set_dossier         (EsaViewer         *self,
                                            EsaStore          *store,
                                            const char        *debtor_id,
                                            const EsaDocument *document);

/* (nullable): the file shown, if it came from one */
GFile      *esa_viewer_get_file            (EsaViewer         *self);
const char *esa_viewer_get_title           (EsaViewer         *self);
/* The "busy" property: TRUE while the document loads and while the pages
 * in view (and the thumbnails) are being rendered. */
gboolean    esa_viewer_get_busy            (EsaViewer         *self);
/* 0 until a document is shown. */
guint       esa_viewer_get_n_pages         (EsaViewer         *self);
/* The page in the middle of the view, from 0. */
guint       esa_viewer_get_current_page    (EsaViewer         *self);
void        esa_viewer_scroll_to_page      (EsaViewer         *self,
                                            guint              index);

/* 1.0 is 100 %: a point of the page is 96/72 pixels. Setting a zoom stops
 * fitting the page to the window. */
double      esa_viewer_get_zoom            (EsaViewer         *self);
void        esa_viewer_set_zoom            (EsaViewer         *self,
                                            double             zoom);

gboolean    esa_viewer_get_show_thumbnails (EsaViewer         *self);
void        esa_viewer_set_show_thumbnails (EsaViewer         *self,
                                            gboolean           show);

/* Shows the find bar with @text and searches for it. */
void        esa_viewer_find                (EsaViewer         *self,
                                            const char        *text);

/**
 * esa_viewer_open_file_in_tab:
 * @parent: (nullable): the tab the document belongs beside (its dossier's)
 * @title: (nullable): the tab's title; by default the file's display name
 *
 * Opens @file in a viewer in a new tab after @parent, or selects the tab
 * showing it already.
 *
 * Returns: (transfer none): the viewer
 */
EsaViewer  *esa_viewer_open_file_in_tab    (AdwTabView        *tab_view,
                                            AdwTabPage        *parent,
                                            GFile             *file,
                                            const char        *title);

/**
 * esa_viewer_open_document_in_tab:
 * @parent: (nullable): the tab of the document's dossier
 *
 * Opens a document filed in a dossier (its file in the attachments) as
 * esa_viewer_open_file_in_tab() does, ready to save filled copies there.
 *
 * Returns: (transfer none) (nullable): the viewer, or NULL with @error set
 *   when the document's file is missing
 */
EsaViewer  *esa_viewer_open_document_in_tab (AdwTabView        *tab_view,
                                             AdwTabPage        *parent,
                                             EsaStore          *store,
                                             const EsaDocument *document,
                                             GError           **error);

/**
 * esa_viewer_open_path_or_id:
 * @path_or_id: a file, or the id of a document in the dossier of an open tab
 *
 * Opens a file beside the dossier in view (a form filled in there is saved to
 * that dossier), or a document of an open dossier beside its dossier.
 *
 * Returns: (transfer none) (nullable): the viewer, or NULL with @error set
 */
EsaViewer  *esa_viewer_open_path_or_id     (AdwTabView        *tab_view,
                                            EsaStore          *store,
                                            const char        *path_or_id,
                                            GError           **error);

G_END_DECLS
