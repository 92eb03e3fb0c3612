#pragma once

#include "esa-viewer.h"

G_BEGIN_DECLS

/* For the GUI tests: what the viewer shows, and the widgets they drive. */

/* "loading", "error" or "document" */
const char *_esa_viewer_get_state            (EsaViewer  *self);
const char *_esa_viewer_get_error_title      (EsaViewer  *self);
/* The reason shown on the error page (markup). */
const char *_esa_viewer_get_error_text       (EsaViewer  *self);
/* (nullable): the EsaViewerPage of page @index */
GtkWidget  *_esa_viewer_get_page             (EsaViewer  *self,
                                              guint       index);
/* (nullable): the first widget of the form field named @name */
GtkWidget  *_esa_viewer_get_field_widget     (EsaViewer  *self,
                                              const char *name);
guint       _esa_viewer_get_n_matches        (EsaViewer  *self);
/* The current match over the whole document and its page, or -1. */
int         _esa_viewer_get_current_match    (EsaViewer  *self,
                                              guint      *page);
GtkWidget  *_esa_viewer_get_find_entry       (EsaViewer  *self);
GtkWidget  *_esa_viewer_get_thumbnails       (EsaViewer  *self);
gboolean    _esa_viewer_get_thumbnails_shown (EsaViewer  *self);
gboolean    _esa_viewer_get_forms_bar_shown  (EsaViewer  *self);
/* Runs the print operation into a PDF file, without a dialog. */
gboolean    _esa_viewer_export_pdf           (EsaViewer  *self,
                                              const char *path,
                                              GError    **error);

G_END_DECLS
