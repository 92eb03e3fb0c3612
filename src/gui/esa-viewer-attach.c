#include "esa-config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "esa-viewer-attach.h"

#define QUERY_ATTRIBUTES G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME "," \
                         G_FILE_ATTRIBUTE_STANDARD_CONTENT_TYPE "," \
                         G_FILE_ATTRIBUTE_STANDARD_TYPE "," \
                         G_FILE_ATTRIBUTE_STANDARD_SIZE

/* One file on its way into the dossier. */
typedef struct
{
  GFile  *file;
  char   *title;
  char   *mime_type;
  char   *sha256;
  gint64  size;
  char   *failure;    /* why it could not be stored */
} Item;

typedef struct
{
  EsaAttachments *attachments;
  GPtrArray      *items;        /* Item */
  EsaStore       *store;
  EsaDocument    *link;
} AttachJob;

typedef struct
{
  GtkWidget            *widget;
  EsaViewerFilesChosen  callback;
  gpointer              user_data;
} Chooser;

/* ---- helpers ------------------------------------------------------------ */

static void
item_free (Item *item)
{
  g_clear_object (&item->file);
  g_free (item->title);
  g_free (item->mime_type);
  g_free (item->sha256);
  g_free (item->failure);
  g_free (item);
}

static void
attach_job_free (AttachJob *job)
{
  g_clear_object (&job->attachments);
  g_clear_pointer (&job->items, g_ptr_array_unref);
  g_clear_object (&job->store);
  g_clear_pointer (&job->link, esa_document_free);
  g_free (job);
}

/* A name for @file in messages before its display name is known. */
static char *
describe_file (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);

  return path != NULL ? g_filename_display_name (path) : g_file_get_parse_name (file);
}

/* ---- attaching ---------------------------------------------------------- */

static void
store_item (AttachJob    *job,
            Item         *item,
            GCancellable *cancellable)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  const char *content_type;
  g_autofree char *name = NULL;

  info = g_file_query_info (item->file, QUERY_ATTRIBUTES, G_FILE_QUERY_INFO_NONE, cancellable,
                            &error);
  if (info == NULL)
    {
      name = describe_file (item->file);
      /* Translators: the second %s is the reason, from the file system. */
      item->failure = g_strdup_printf (_("“%s” cannot be attached: %s"), name, error->message);
      return;
    }

  name = g_strdup (g_file_info_get_display_name (info));

  if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      item->failure = g_strdup_printf (_("“%s” is a folder; attach the files in it instead."),
                                       name);
      return;
    }

  if (item->title == NULL)
    item->title = g_strdup (name);

  content_type = g_file_info_get_content_type (info);
  if (content_type != NULL)
    item->mime_type = g_content_type_get_mime_type (content_type);
  if (item->mime_type == NULL)
    item->mime_type = g_strdup ("application/octet-stream");

  item->sha256 = esa_attachments_store_file (job->attachments, item->file, cancellable, &error);
  if (item->sha256 == NULL)
    {
      item->failure = g_strdup_printf (_("“%s” cannot be attached: %s"), name, error->message);
      return;
    }

  item->size = g_file_info_get_size (info);
}

static void
attach_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  AttachJob *job = task_data;

  for (guint i = 0; i < job->items->len; i++)
    {
      if (g_task_return_error_if_cancelled (task))
        return;
      store_item (job, g_ptr_array_index (job->items, i), cancellable);
    }

  g_task_return_boolean (task, TRUE);
}

static void
on_attach_thread_done (GObject      *source_object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AttachJob *job = g_task_get_task_data (task);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) failures = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; i < job->items->len; i++)
    {
      Item *item = g_ptr_array_index (job->items, i);
      EsaDocument document = { NULL, };
      char *id;

      if (item->failure == NULL)
        {
          document.debtor_id = job->link->debtor_id;
          document.case_id = job->link->case_id;
          document.act_id = job->link->act_id;
          document.title = item->title;
          document.mime_type = item->mime_type;
          document.sha256 = item->sha256;
          document.size = item->size;

          id = esa_store_add_document (job->store, &document, &error);
          if (id != NULL)
            {
              g_ptr_array_add (ids, id);
              continue;
            }
          item->failure = g_strdup_printf (_("“%s” cannot be recorded in the dossier: %s"),
                                           item->title, error->message);
          g_clear_error (&error);
        }

      if (failures->len > 0)
        g_string_append_c (failures, ' ');
      g_string_append (failures, item->failure);
    }

  if (failures->len > 0)
    {
      /* What was attached stays attached: the dossier shows it, and the
       * message says what was not. */
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", failures->str);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&ids), (GDestroyNotify) g_ptr_array_unref);
}

/* ---- file chooser ------------------------------------------------------- */

static void
on_chooser_response (GtkNativeDialog *dialog,
                     int              response,
                     Chooser         *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) model = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));
      GList *files = NULL;

      for (guint i = g_list_model_get_n_items (model); i > 0; i--)
        files = g_list_prepend (files, g_list_model_get_item (model, i - 1));

      if (files != NULL)
        chooser->callback (chooser->widget, files, chooser->user_data);
      g_list_free_full (files, g_object_unref);
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (chooser->widget);
  g_free (chooser);
}

/* ---- public API --------------------------------------------------------- */

EsaAttachments *
esa_viewer_attachments_for_store (EsaStore  *store,
                                  GError   **error)
{
  const char *path;
  g_autofree char *dir = NULL;
  g_autofree char *attachments = NULL;

  g_return_val_if_fail (ESA_IS_STORE (store), NULL);

  path = esa_store_get_path (store);
  if (path == NULL || path[0] == '\0' || g_str_equal (path, ":memory:"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("This database lives in memory, so it has no folder to keep files in."));
      return NULL;
    }

  dir = g_path_get_dirname (path);
  attachments = g_build_filename (dir, "attachments", NULL);
  return esa_attachments_new (attachments);
}

GFile *
esa_viewer_get_document_file (EsaStore           *store,
                              const EsaDocument  *document,
                              GError            **error)
{
  g_autoptr(EsaAttachments) attachments = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (ESA_IS_STORE (store), NULL);
  g_return_val_if_fail (document != NULL, NULL);

  attachments = esa_viewer_attachments_for_store (store, error);
  if (attachments == NULL)
    return NULL;

  path = esa_attachments_get_path (attachments, document->sha256, error);
  if (path == NULL)
    return NULL;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("The file of “%s” is missing: it should be %s."), document->title, path);
      return NULL;
    }

  return g_file_new_for_path (path);
}

EsaDocument *
esa_viewer_copy_document (const EsaDocument *document)
{
  EsaDocument *copy;

  g_return_val_if_fail (document != NULL, NULL);

  copy = g_new0 (EsaDocument, 1);
  copy->id = g_strdup (document->id);
  copy->debtor_id = g_strdup (document->debtor_id);
  copy->case_id = g_strdup (document->case_id);
  copy->act_id = g_strdup (document->act_id);
  copy->title = g_strdup (document->title);
  copy->mime_type = g_strdup (document->mime_type);
  copy->sha256 = g_strdup (document->sha256);
  copy->size = document->size;
  copy->created_at = g_strdup (document->created_at);
  return copy;
}

void
esa_viewer_attach_files_async (EsaStore            *store,
                               const EsaDocument   *link,
                               GList               *files,
                               const char          *title,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;
  g_autoptr(GTask) thread_task = NULL;
  g_autoptr(GError) error = NULL;
  AttachJob *job;

  g_return_if_fail (ESA_IS_STORE (store));
  g_return_if_fail (link != NULL && link->debtor_id != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, esa_viewer_attach_files_async);

  job = g_new0 (AttachJob, 1);
  job->attachments = esa_viewer_attachments_for_store (store, &error);
  job->items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
  job->store = g_object_ref (store);
  job->link = esa_viewer_copy_document (link);
  g_task_set_task_data (task, job, (GDestroyNotify) attach_job_free);

  if (job->attachments == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  for (GList *l = files; l != NULL; l = l->next)
    {
      Item *item = g_new0 (Item, 1);

      item->file = g_object_ref (G_FILE (l->data));
      item->title = files->next == NULL ? g_strdup (title) : NULL;
      g_ptr_array_add (job->items, item);
    }

  /* The worker sees the job (the store is not used there); the store is
   * written on the main thread, in on_attach_thread_done(). */
  thread_task = g_task_new (NULL, cancellable, on_attach_thread_done, task);
  g_task_set_source_tag (thread_task, attach_thread);
  g_task_set_task_data (thread_task, job, NULL);
  g_task_run_in_thread (thread_task, attach_thread);
}

GPtrArray *
esa_viewer_attach_files_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
esa_viewer_choose_files (GtkWidget            *widget,
                         EsaViewerFilesChosen  callback,
                         gpointer              user_data)
{
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) documents = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  GtkRoot *root;
  Chooser *chooser;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (callback != NULL);

  root = gtk_widget_get_root (widget);
  dialog = gtk_file_chooser_native_new (_("Attach Files"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Attach"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (dialog), TRUE);

  gtk_file_filter_set_name (documents, _("PDF Documents and Images"));
  gtk_file_filter_add_mime_type (documents, "application/pdf");
  gtk_file_filter_add_mime_type (documents, "image/*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), documents);

  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), all);

  chooser = g_new0 (Chooser, 1);
  chooser->widget = g_object_ref (widget);
  chooser->callback = callback;
  chooser->user_data = user_data;

  g_signal_connect (dialog, "response", G_CALLBACK (on_chooser_response), chooser);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

void
esa_viewer_show_toast (GtkWidget  *widget,
                       const char *message)
{
  GtkWidget *overlay;
  g_autofree char *markup = NULL;
  AdwToast *toast;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (message != NULL);

  overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL)
    {
      g_message ("%s", message);
      return;
    }

  /* A toast reads its title as markup; file names are not. */
  markup = g_markup_escape_text (message, -1);
  toast = adw_toast_new (markup);
  /* Messages about files name them and say why: give time to read. */
  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}
