#pragma once

#include <gtk/gtk.h>

#include "esa-viewer-document.h"

G_BEGIN_DECLS

/* The fields of a PDF form (AcroForm) as widgets over its pages: text fields
 * as entries, check boxes and radio buttons as check buttons, choices as drop
 * downs. What the user types or picks goes into the PDF at once, so that a
 * copy saved afterwards holds it. */

typedef void (*EsaViewerFormsChanged) (gpointer user_data);

/**
 * esa_viewer_forms_populate:
 * @pages: (element-type EsaViewerPage): one per page of @document, in order
 * @changed: runs after every change the user makes to a field
 *
 * Puts a widget over every field that can be filled. Read-only fields, push
 * buttons and signatures get none: the page shows them as they are.
 *
 * Returns: (transfer container) (element-type GtkWidget): the widgets, in
 *   reading order
 */
GPtrArray  *esa_viewer_forms_populate       (EsaViewerDocument     *document,
                                             GPtrArray             *pages,
                                             EsaViewerFormsChanged  changed,
                                             gpointer               user_data);

/* The fully qualified name of the field @widget fills. */
const char *esa_viewer_forms_get_field_name (GtkWidget             *widget);

/* Writes the document, as filled now, into a new temporary PDF file, in a
 * worker thread. */
void        esa_viewer_forms_save_async     (EsaViewerDocument     *document,
                                             GCancellable          *cancellable,
                                             GAsyncReadyCallback    callback,
                                             gpointer               user_data);
/* Returns: (transfer full) (nullable): the temporary file; the caller
 * deletes it */
GFile      *esa_viewer_forms_save_finish    (GAsyncResult          *result,
                                             GError               **error);

G_END_DECLS
