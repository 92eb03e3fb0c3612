#pragma once

#include <gtk/gtk.h>

#include "esa-attachments.h"
#include "esa-store.h"

G_BEGIN_DECLS

/* Files filed in a dossier: stored as content-addressed attachments in the
 * folder "attachments" beside the database, each with a row in documents. */

/* Returns: (transfer full) (nullable): the attachments of @store's database;
 * NULL with an error for a database that lives in memory. */
EsaAttachments *esa_viewer_attachments_for_store (EsaStore           *store,
                                                  GError            **error);

/* Returns: (transfer full) (nullable): the file holding @document's content,
 * or NULL with an error naming the document when it is missing. */
GFile          *esa_viewer_get_document_file     (EsaStore           *store,
                                                  const EsaDocument  *document,
                                                  GError            **error);

/* Returns: (transfer full): a copy of @document */
EsaDocument    *esa_viewer_copy_document         (const EsaDocument  *document);

/**
 * esa_viewer_attach_files_async:
 * @link: whose dossier the files go to: its debtor_id, and its case_id and
 *   act_id when set
 * @files: (element-type GFile): the files
 * @title: (nullable): the title of the one file; by default each file's
 *   display name
 *
 * Copies the files into the attachments in a worker thread, then records a
 * document for each on the main thread. A file that fails does not stop the
 * others.
 */
void            esa_viewer_attach_files_async    (EsaStore           *store,
                                                  const EsaDocument  *link,
                                                  GList              *files,
                                                  const char         *title,
                                                  GCancellable       *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer            user_data);
/* Returns: (transfer full) (element-type utf8) (nullable): the ids of the
 * documents recorded, or NULL with @error naming each file that failed (the
 * others are attached all the same). */
GPtrArray      *esa_viewer_attach_files_finish   (GAsyncResult       *result,
                                                  GError            **error);

typedef void (*EsaViewerFilesChosen) (GtkWidget *widget,
                                      GList     *files,
                                      gpointer   user_data);

/* Asks for files to attach with the file chooser of the desktop; @callback
 * runs with the chosen files (never with none). @widget is kept alive
 * meanwhile. */
void            esa_viewer_choose_files          (GtkWidget           *widget,
                                                  EsaViewerFilesChosen callback,
                                                  gpointer             user_data);

/* Shows @message in the toast overlay around @widget. */
void            esa_viewer_show_toast            (GtkWidget          *widget,
                                                  const char         *message);

G_END_DECLS
