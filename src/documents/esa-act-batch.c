/* esa-act-batch.c: printing many acts at once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One thread (the caller's, or the GTask's) owns the database connection:
 * it reads each act's data, hands it to the rendering threads through a
 * queue, and takes their results back in batch order, so that the per-act
 * files, the archive, the print file and the journal are written by one
 * thread in a fixed order. Each rendering thread has its own renderer
 * (Pango contexts and templates are not shared between threads). The print
 * file is drawn from the same vector recordings as the act's own PDF: an
 * act is laid out once.
 */

#include "esa-config.h"

#include <cairo-pdf.h>
#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <poppler.h>
#include <string.h>

#include "esa-act-batch.h"
#include "esa-act-renderer.h"
#include "esa-core.h"
#include "esa-documents-private.h"
#include "esa-store-documents.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerDocument, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerPage, g_object_unref)

#define JOURNAL_NAME "journal.jsonl"
#define PRINT_NAME   "print.pdf"

struct _EsaActBatch
{
  GObject   parent_instance;

  char     *db_path;
  char     *output_dir;
  char     *load_list_id;
  GStrv     case_ids;
  char     *act_type;
  char     *language;
  char     *templates_dir;
  gboolean  archive;
  guint     threads;
};

G_DEFINE_FINAL_TYPE (EsaActBatch, esa_act_batch, G_TYPE_OBJECT)

void
esa_act_batch_failure_free (EsaActBatchFailure *self)
{
  if (self == NULL)
    return;
  g_free (self->case_id);
  g_free (self->act_id);
  g_free (self->act_number);
  g_free (self->message);
  g_free (self);
}

void
esa_act_batch_report_free (EsaActBatchReport *self)
{
  if (self == NULL)
    return;
  g_free (self->print_file);
  g_free (self->journal_file);
  g_clear_pointer (&self->failures, g_ptr_array_unref);
  g_free (self);
}

static void
esa_act_batch_finalize (GObject *object)
{
  EsaActBatch *self = ESA_ACT_BATCH (object);

  g_free (self->db_path);
  g_free (self->output_dir);
  g_free (self->load_list_id);
  g_strfreev (self->case_ids);
  g_free (self->act_type);
  g_free (self->language);
  g_free (self->templates_dir);

  G_OBJECT_CLASS (esa_act_batch_parent_class)->finalize (object);
}

static void
esa_act_batch_class_init (EsaActBatchClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = esa_act_batch_finalize;
}

static void
esa_act_batch_init (EsaActBatch *self)
{
  self->archive = TRUE;
}

EsaActBatch *
esa_act_batch_new (const char *db_path,
                   const char *output_dir)
{
  EsaActBatch *self;

  g_return_val_if_fail (db_path != NULL, NULL);
  g_return_val_if_fail (output_dir != NULL, NULL);

  self = g_object_new (ESA_TYPE_ACT_BATCH, NULL);
  self->db_path = g_strdup (db_path);
  self->output_dir = g_strdup (output_dir);
  return self;
}

void
esa_act_batch_set_load_list (EsaActBatch *self,
                             const char  *load_list_id)
{
  g_return_if_fail (ESA_IS_ACT_BATCH (self));

  g_free (self->load_list_id);
  self->load_list_id = g_strdup (load_list_id);
  g_clear_pointer (&self->case_ids, g_strfreev);
}

void
esa_act_batch_set_cases (EsaActBatch        *self,
                         const char * const *case_ids)
{
  g_return_if_fail (ESA_IS_ACT_BATCH (self));

  g_strfreev (self->case_ids);
  self->case_ids = g_strdupv ((char **) case_ids);
  g_clear_pointer (&self->load_list_id, g_free);
}

void
esa_act_batch_set_act_type (EsaActBatch *self,
                            const char  *type)
{
  g_return_if_fail (ESA_IS_ACT_BATCH (self));

  g_free (self->act_type);
  self->act_type = g_strdup (type);
}

void
esa_act_batch_set_language (EsaActBatch *self,
                            const char  *language)
{
  g_return_if_fail (ESA_IS_ACT_BATCH (self));

  g_free (self->language);
  self->language = g_strdup (language);
}

void
esa_act_batch_set_templates_dir (EsaActBatch *self,
                                 const char  *dir)
{
  g_return_if_fail (ESA_IS_ACT_BATCH (self));

  g_free (self->templates_dir);
  self->templates_dir = g_strdup (dir);
}

void
esa_act_batch_set_archive (EsaActBatch *self,
                           gboolean     archive)
{
  g_return_if_fail (ESA_IS_ACT_BATCH (self));

  self->archive = archive;
}

void
esa_act_batch_set_threads (EsaActBatch *self,
                           guint        threads)
{
  g_return_if_fail (ESA_IS_ACT_BATCH (self));

  self->threads = threads;
}

/* ---- jobs --------------------------------------------------------------- */

typedef enum
{
  JOB_RENDER,     /* given to a rendering thread */
  JOB_SKIP,       /* done by an earlier run: drawn from its PDF */
  JOB_FAILED,     /* failed before rendering */
} JobKind;

typedef struct
{
  guint           seq;
  JobKind         kind;
  char           *case_id;
  char           *act_id;
  char           *act_number;
  char           *file;        /* JOB_SKIP: the act's PDF */
  EsaActData     *data;
  EsaRenderedAct *rendered;
  GError         *error;
} Job;

static void
job_free (Job *job)
{
  g_free (job->case_id);
  g_free (job->act_id);
  g_free (job->act_number);
  g_free (job->file);
  g_clear_pointer (&job->data, esa_act_data_free);
  g_clear_pointer (&job->rendered, esa_rendered_act_free);
  g_clear_error (&job->error);
  g_free (job);
}

/* The stop signal of the rendering threads. */
static Job stop_job;

typedef struct
{
  GAsyncQueue *work;
  GAsyncQueue *results;
  const char  *templates_dir;
  const char  *language;
} Workers;

static gpointer
render_thread (gpointer user_data)
{
  Workers *workers = user_data;
  g_autoptr(EsaActRenderer) renderer = esa_act_renderer_new (workers->templates_dir);

  esa_act_renderer_set_language (renderer, workers->language);
  esa_act_renderer_set_record_pages (renderer, TRUE);
  for (;;)
    {
      Job *job = g_async_queue_pop (workers->work);

      if (job == &stop_job)
        break;
      job->rendered = esa_act_renderer_render (renderer, job->data, &job->error);
      g_async_queue_push (workers->results, job);
    }
  return NULL;
}

/* ---- the journal --------------------------------------------------------- */

typedef struct
{
  char  *act_id;
  char  *file;
} JournalEntry;

static void
journal_entry_free (JournalEntry *entry)
{
  g_free (entry->act_id);
  g_free (entry->file);
  g_free (entry);
}

/* Case id → what an earlier run finished. A torn last line (a crash while
 * writing it) is ignored. */
static GHashTable *
read_journal (const char *path)
{
  GHashTable *done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) journal_entry_free);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return done;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) node = json_from_string (lines[i], NULL);
      JsonObject *object;
      JournalEntry *entry;

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);
      if (_esa_json_get_string (object, "case") == NULL
          || _esa_json_get_string (object, "act") == NULL
          || _esa_json_get_string (object, "file") == NULL
          || strchr (_esa_json_get_string (object, "file"), G_DIR_SEPARATOR) != NULL)
        continue;
      entry = g_new0 (JournalEntry, 1);
      entry->act_id = g_strdup (_esa_json_get_string (object, "act"));
      entry->file = g_strdup (_esa_json_get_string (object, "file"));
      g_hash_table_replace (done, g_strdup (_esa_json_get_string (object, "case")), entry);
    }
  return done;
}

static gboolean
journal_append (GOutputStream  *journal,
                const char     *case_id,
                const char     *act_id,
                const char     *act_number,
                const char     *file,
                guint           pages,
                GError        **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *line = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "case");
  json_builder_add_string_value (builder, case_id);
  json_builder_set_member_name (builder, "act");
  json_builder_add_string_value (builder, act_id);
  json_builder_set_member_name (builder, "number");
  json_builder_add_string_value (builder, act_number);
  json_builder_set_member_name (builder, "file");
  json_builder_add_string_value (builder, file);
  json_builder_set_member_name (builder, "pages");
  json_builder_add_int_value (builder, pages);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  line = g_strconcat (text, "\n", NULL);

  /* One write per line, flushed: a crash loses at most the line being
   * written, which the reader then ignores. */
  return g_output_stream_write_all (journal, line, strlen (line), NULL, NULL, error)
         && g_output_stream_flush (journal, NULL, error);
}

/* ---- the run ------------------------------------------------------------- */

/* An act number as a file name. */
static char *
file_name_for (const char *number)
{
  GString *name = g_string_new (NULL);

  for (const char *p = number; *p != '\0'; p++)
    g_string_append_c (name, g_ascii_isalnum (*p) || *p == '-' || *p == '_' || *p == '.'
                             ? *p : '_');
  g_string_append (name, ".pdf");
  return g_string_free (name, FALSE);
}

static gboolean
write_file (const char  *path,
            GBytes      *bytes,
            GError     **error)
{
  g_autofree char *tmp = g_strconcat (path, ".tmp", NULL);
  GError *local_error = NULL;

  /* Written whole, then renamed: a crash never leaves half a PDF under
   * the act's name. */
  if (!g_file_set_contents_full (tmp, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                 G_FILE_SET_CONTENTS_NONE, 0644, &local_error)
      || g_rename (tmp, path) != 0)
    {
      g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_IO,
                   _("%s could not be written: %s"), path,
                   local_error != NULL ? local_error->message : g_strerror (errno));
      g_clear_error (&local_error);
      g_unlink (tmp);
      return FALSE;
    }
  return TRUE;
}

/* An act printed and written whose archive and journal line wait for the
 * group's commit. */
typedef struct
{
  char        *case_id;
  char        *act_id;
  char        *act_number;
  char        *file;
  guint        pages;
  EsaDocument *document;     /* NULL when the act already has this document */
} Pending;

static void
pending_free (Pending *pending)
{
  g_free (pending->case_id);
  g_free (pending->act_id);
  g_free (pending->act_number);
  g_free (pending->file);
  g_clear_pointer (&pending->document, esa_document_free);
  g_free (pending);
}

/* Acts archived per transaction: a crash loses at most this many journal
 * lines, whose acts are then printed again to the same bytes. */
#define ARCHIVE_GROUP 64

typedef struct
{
  EsaActBatch         *batch;
  EsaStore            *store;
  EsaAttachments      *attachments;
  EsaActBatchReport   *report;
  GOutputStream       *journal;
  cairo_surface_t     *print;
  cairo_t             *print_cr;
  EsaActBatchProgress  progress;
  gpointer             progress_data;
  guint                done;
  GPtrArray           *pending;     /* Pending, in batch order */
} Run;

static void
add_failure_for (Run        *run,
                 const char *case_id,
                 const char *act_id,
                 const char *act_number,
                 const char *message)
{
  EsaActBatchFailure *failure = g_new0 (EsaActBatchFailure, 1);

  failure->case_id = g_strdup (case_id);
  failure->act_id = g_strdup (act_id);
  failure->act_number = g_strdup (act_number);
  failure->message = g_strdup (message);
  g_ptr_array_add (run->report->failures, failure);
  run->report->failed++;
}

static void
add_failure (Run        *run,
             const Job  *job,
             const char *message)
{
  add_failure_for (run, job->case_id, job->act_id, job->act_number, message);
}

/* Archives the pending acts in one transaction, after one flush of their
 * files to disk, then journals them: an act is in the journal only once
 * it is in the dossier. */
static void
flush_pending (Run *run)
{
  g_autoptr(GPtrArray) documents = g_ptr_array_new ();
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok = TRUE;

  if (run->pending->len == 0)
    return;

  for (guint i = 0; i < run->pending->len; i++)
    {
      Pending *pending = g_ptr_array_index (run->pending, i);

      if (pending->document != NULL)
        g_ptr_array_add (documents, pending->document);
    }
  if (documents->len > 0)
    {
      ok = esa_attachments_sync (run->attachments, &error);
      if (ok)
        {
          ids = esa_store_add_documents (run->store, documents, &error);
          ok = ids != NULL;
        }
    }

  for (guint i = 0; i < run->pending->len; i++)
    {
      Pending *pending = g_ptr_array_index (run->pending, i);
      g_autoptr(GError) journal_error = NULL;

      if (!ok)
        {
          g_autofree char *message = g_strdup_printf (_("printed, but not archived: %s"),
                                                      error->message);

          add_failure_for (run, pending->case_id, pending->act_id, pending->act_number,
                           message);
          run->report->generated--;
          continue;
        }
      if (!journal_append (run->journal, pending->case_id, pending->act_id,
                           pending->act_number, pending->file, pending->pages, &journal_error))
        add_failure_for (run, pending->case_id, pending->act_id, pending->act_number,
                         journal_error->message);
    }
  if (ok)
    run->report->archived += documents->len;
  g_ptr_array_set_size (run->pending, 0);
}

/* Draws the pages of an act finished by an earlier run into the print
 * file, from its PDF. */
static gboolean
print_from_file (Run         *run,
                 const char  *path,
                 guint       *out_pages,
                 GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *uri = g_file_get_uri (file);
  g_autoptr(PopplerDocument) document = NULL;
  GError *local_error = NULL;
  int n;

  document = poppler_document_new_from_file (uri, NULL, &local_error);
  if (document == NULL)
    {
      g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_PDF,
                   _("%s: cannot be read as a PDF: %s"), path, local_error->message);
      g_error_free (local_error);
      return FALSE;
    }

  n = poppler_document_get_n_pages (document);
  for (int i = 0; i < n; i++)
    {
      g_autoptr(PopplerPage) page = poppler_document_get_page (document, i);

      cairo_save (run->print_cr);
      poppler_page_render_for_printing (page, run->print_cr);
      cairo_restore (run->print_cr);
      cairo_show_page (run->print_cr);
    }
  *out_pages = (guint) n;
  return TRUE;
}

static void
finish_job (Run *run,
            Job *job)
{
  EsaActBatch *self = run->batch;
  g_autoptr(GError) error = NULL;

  switch (job->kind)
    {
    case JOB_FAILED:
      add_failure (run, job, job->error->message);
      break;

    case JOB_SKIP:
      {
        guint pages = 0;

        if (print_from_file (run, job->file, &pages, &error))
          {
            run->report->skipped++;
            run->report->pages += pages;
          }
        else
          add_failure (run, job, error->message);
      }
      break;

    case JOB_RENDER:
    default:
      {
        g_autofree char *name = NULL;
        g_autofree char *path = NULL;
        GBytes *pdf;
        guint pages;

        if (job->rendered == NULL)
          {
            add_failure (run, job, job->error->message);
            break;
          }

        pdf = esa_rendered_act_get_pdf (job->rendered);
        pages = esa_rendered_act_get_n_pages (job->rendered);
        name = file_name_for (job->act_number);
        path = g_build_filename (self->output_dir, name, NULL);
        if (!write_file (path, pdf, &error))
          {
            add_failure (run, job, error->message);
            break;
          }
        if (run->attachments != NULL)
          {
            g_autofree char *hash = NULL;
            g_autofree char *existing = NULL;
            GError *local_error = NULL;
            Pending *pending;

            hash = esa_attachments_store_bytes_unsynced (run->attachments, pdf, &error);
            if (hash == NULL)
              {
                add_failure (run, job, error->message);
                break;
              }
            existing = esa_store_find_act_document (run->store, job->data->act->debtor_id,
                                                    job->act_id, hash, &local_error);
            if (local_error != NULL)
              {
                add_failure (run, job, local_error->message);
                g_error_free (local_error);
                break;
              }

            pending = g_new0 (Pending, 1);
            pending->case_id = g_strdup (job->case_id);
            pending->act_id = g_strdup (job->act_id);
            pending->act_number = g_strdup (job->act_number);
            pending->file = g_strdup (name);
            pending->pages = pages;
            if (existing == NULL)
              {
                pending->document = g_new0 (EsaDocument, 1);
                pending->document->debtor_id = g_strdup (job->data->act->debtor_id);
                pending->document->case_id = g_strdup (job->data->act->case_id);
                pending->document->act_id = g_strdup (job->act_id);
                pending->document->title = g_strdup (esa_rendered_act_get_title (job->rendered));
                pending->document->mime_type = g_strdup ("application/pdf");
                pending->document->sha256 = g_steal_pointer (&hash);
                pending->document->size = (gint64) g_bytes_get_size (pdf);
              }
            g_ptr_array_add (run->pending, pending);
          }

        for (guint i = 0; i < pages; i++)
          {
            esa_rendered_act_draw_page (job->rendered, run->print_cr, i);
            cairo_show_page (run->print_cr);
          }
        run->report->pages += pages;
        run->report->generated++;

        if (run->attachments == NULL
            && !journal_append (run->journal, job->case_id, job->act_id, job->act_number, name,
                                pages, &error))
          add_failure (run, job, error->message);
        if (run->pending->len >= ARCHIVE_GROUP)
          flush_pending (run);
      }
      break;
    }

  run->done++;
  if (run->progress != NULL)
    run->progress (run->done, run->report->total,
                   job->act_number != NULL ? job->act_number : job->case_id,
                   run->progress_data);
}

/* The cases of the batch, in order. */
static GPtrArray *
batch_cases (EsaActBatch  *self,
             EsaStore     *store,
             GError      **error)
{
  GPtrArray *cases;

  if (self->load_list_id != NULL)
    return esa_store_list_load_list_cases (store, self->load_list_id, error);

  cases = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; self->case_ids != NULL && self->case_ids[i] != NULL; i++)
    g_ptr_array_add (cases, g_strdup (self->case_ids[i]));
  return cases;
}

/* Makes the job of case @index: what to render, what an earlier run
 * finished, or why it cannot be printed. */
static Job *
make_job (Run         *run,
          guint        index,
          const char  *case_id,
          const char  *act_type,
          GHashTable  *done)
{
  Job *job = g_new0 (Job, 1);
  JournalEntry *entry;

  job->seq = index;
  job->case_id = g_strdup (case_id);
  job->act_id = esa_store_find_case_act (run->store, case_id, act_type, &job->error);
  if (job->act_id == NULL)
    {
      if (job->error == NULL)
        job->error = g_error_new (ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_DATA,
                                  act_type != NULL
                                  /* Translators: %s: a case id, then an act type id */
                                  ? _("Case %s has no act of type “%s” to print")
                                  : _("Case %s has no act to print"),
                                  case_id, act_type);
      job->kind = JOB_FAILED;
      return job;
    }

  job->data = esa_store_load_act_data (run->store, job->act_id, &job->error);
  if (job->data == NULL)
    {
      job->kind = JOB_FAILED;
      return job;
    }
  job->act_number = g_strdup (job->data->act->number);

  entry = g_hash_table_lookup (done, case_id);
  if (entry != NULL && g_strcmp0 (entry->act_id, job->act_id) == 0)
    {
      g_autofree char *path = g_build_filename (run->batch->output_dir, entry->file, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          job->kind = JOB_SKIP;
          job->file = g_steal_pointer (&path);
          g_clear_pointer (&job->data, esa_act_data_free);
          return job;
        }
    }

  job->kind = JOB_RENDER;
  return job;
}

static gboolean
run_batch (Run           *run,
           GCancellable  *cancellable,
           GError       **error)
{
  EsaActBatch *self = run->batch;
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GHashTable) done = NULL;
  g_autoptr(GHashTable) pending = NULL;
  g_autoptr(GFile) journal_file = NULL;
  g_autofree char *print_part = NULL;
  g_autofree char *print_path = NULL;
  const char *act_type = self->act_type;
  GPtrArray *threads;
  Workers workers;
  guint n_threads = self->threads > 0 ? self->threads : g_get_num_processors ();
  guint window;
  guint fed = 0, finished = 0, in_flight = 0;
  gboolean cancelled = FALSE;
  cairo_status_t status;

  cases = batch_cases (self, run->store, error);
  if (cases == NULL)
    return FALSE;
  if (self->load_list_id != NULL && act_type == NULL)
    act_type = "injunction";
  run->report->total = cases->len;

  if (g_mkdir_with_parents (self->output_dir, 0755) != 0)
    {
      g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_IO,
                   _("Folder %s cannot be created: %s"), self->output_dir, g_strerror (errno));
      return FALSE;
    }

  run->report->journal_file = g_build_filename (self->output_dir, JOURNAL_NAME, NULL);
  done = read_journal (run->report->journal_file);
  journal_file = g_file_new_for_path (run->report->journal_file);
  run->journal = G_OUTPUT_STREAM (g_file_append_to (journal_file, G_FILE_CREATE_NONE, NULL,
                                                    error));
  if (run->journal == NULL)
    return FALSE;

  print_path = g_build_filename (self->output_dir, PRINT_NAME, NULL);
  print_part = g_strconcat (print_path, ".part", NULL);
  run->print = cairo_pdf_surface_create (print_part, ESA_A4_WIDTH, ESA_A4_HEIGHT);
  cairo_pdf_surface_set_metadata (run->print, CAIRO_PDF_METADATA_CREATOR, "Esattore");
  run->print_cr = cairo_create (run->print);
  if (cairo_status (run->print_cr) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_IO,
                   _("%s cannot be written: %s"), print_part,
                   cairo_status_to_string (cairo_status (run->print_cr)));
      return FALSE;
    }

  if (self->archive)
    {
      run->attachments = esa_act_attachments_for_store (run->store, error);
      if (run->attachments == NULL)
        return FALSE;
    }

  workers.work = g_async_queue_new ();
  workers.results = g_async_queue_new ();
  workers.templates_dir = self->templates_dir;
  workers.language = self->language;
  threads = g_ptr_array_new ();
  n_threads = CLAMP (n_threads, 1, 16);
  for (guint i = 0; i < n_threads; i++)
    g_ptr_array_add (threads, g_thread_new ("esa-act-render", render_thread, &workers));

  /* A few acts ahead of the one being written, so that every thread stays
   * busy, without holding the whole batch in memory. */
  window = 3 * n_threads;
  pending = g_hash_table_new (g_direct_hash, g_direct_equal);

  while (finished < fed || (fed < cases->len && !cancelled))
    {
      Job *job;

      while (!cancelled && fed < cases->len && in_flight < window)
        {
          if (g_cancellable_is_cancelled (cancellable))
            {
              cancelled = TRUE;
              break;
            }
          job = make_job (run, fed, g_ptr_array_index (cases, fed), act_type, done);
          if (job->kind == JOB_RENDER)
            {
              g_async_queue_push (workers.work, job);
              in_flight++;
            }
          else
            g_hash_table_insert (pending, GUINT_TO_POINTER (job->seq), job);
          fed++;
        }
      if (finished >= fed)
        break;

      job = g_hash_table_lookup (pending, GUINT_TO_POINTER (finished));
      if (job == NULL)
        {
          job = g_async_queue_pop (workers.results);
          in_flight--;
          g_hash_table_insert (pending, GUINT_TO_POINTER (job->seq), job);
          continue;
        }
      g_hash_table_remove (pending, GUINT_TO_POINTER (finished));
      finish_job (run, job);
      job_free (job);
      finished++;
    }

  for (guint i = 0; i < threads->len; i++)
    g_async_queue_push (workers.work, &stop_job);
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (g_ptr_array_index (threads, i));
  g_ptr_array_unref (threads);
  g_async_queue_unref (workers.work);
  g_async_queue_unref (workers.results);

  /* Also after a cancel: what was printed is archived and journaled. */
  flush_pending (run);
  g_output_stream_close (run->journal, NULL, NULL);

  cairo_destroy (g_steal_pointer (&run->print_cr));
  cairo_surface_finish (run->print);
  status = cairo_surface_status (run->print);
  g_clear_pointer (&run->print, cairo_surface_destroy);

  if (cancelled)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                   _("The batch was cancelled after %u of %u cases; run it again in %s to "
                     "go on"), finished, cases->len, self->output_dir);
      return FALSE;
    }
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_IO,
                   _("%s cannot be written: %s"), print_part, cairo_status_to_string (status));
      return FALSE;
    }

  if (run->report->pages == 0)
    g_unlink (print_part);
  else if (g_rename (print_part, print_path) != 0)
    {
      g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_IO,
                   _("%s cannot be written: %s"), print_path, g_strerror (errno));
      return FALSE;
    }
  else
    run->report->print_file = g_steal_pointer (&print_path);

  return TRUE;
}

EsaActBatchReport *
esa_act_batch_run (EsaActBatch          *self,
                   GCancellable         *cancellable,
                   EsaActBatchProgress   progress,
                   gpointer              progress_data,
                   GError              **error)
{
  g_autoptr(EsaActBatchReport) report = NULL;
  g_autoptr(EsaStore) store = NULL;
  gint64 start = g_get_monotonic_time ();
  Run run = { NULL, };
  gboolean ok;

  g_return_val_if_fail (ESA_IS_ACT_BATCH (self), NULL);

  store = esa_store_open (self->db_path, error);
  if (store == NULL)
    return NULL;

  report = g_new0 (EsaActBatchReport, 1);
  report->failures = g_ptr_array_new_with_free_func ((GDestroyNotify) esa_act_batch_failure_free);

  run.batch = self;
  run.store = store;
  run.report = report;
  run.progress = progress;
  run.progress_data = progress_data;
  run.pending = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_free);

  ok = run_batch (&run, cancellable, error);

  g_clear_pointer (&run.pending, g_ptr_array_unref);
  g_clear_object (&run.journal);
  g_clear_object (&run.attachments);
  g_clear_pointer (&run.print_cr, cairo_destroy);
  g_clear_pointer (&run.print, cairo_surface_destroy);
  if (!ok)
    return NULL;

  report->seconds = (g_get_monotonic_time () - start) / 1e6;
  return g_steal_pointer (&report);
}

/* ---- in the background --------------------------------------------------- */

typedef struct
{
  EsaActBatchProgress  progress;
  gpointer             progress_data;
  GDestroyNotify       progress_destroy;
  GMainContext        *context;
  gint64               last;      /* when progress was last posted */
} AsyncRun;

typedef struct
{
  GTask    *task;      /* keeps the AsyncRun alive until delivered */
  guint     done;
  guint     total;
  char     *item;
} ProgressUpdate;

static void
async_run_free (AsyncRun *async)
{
  if (async->progress_destroy != NULL)
    async->progress_destroy (async->progress_data);
  g_main_context_unref (async->context);
  g_free (async);
}

static gboolean
deliver_progress (gpointer user_data)
{
  ProgressUpdate *update = user_data;
  AsyncRun *async = g_task_get_task_data (update->task);

  async->progress (update->done, update->total, update->item, async->progress_data);
  return G_SOURCE_REMOVE;
}

static void
progress_update_free (ProgressUpdate *update)
{
  g_object_unref (update->task);
  g_free (update->item);
  g_free (update);
}

/* Runs in the batch's thread: posts to the caller's context now and then,
 * and always for the last case. */
static void
post_progress (guint       done,
               guint       total,
               const char *item,
               gpointer    user_data)
{
  GTask *task = user_data;
  AsyncRun *async = g_task_get_task_data (task);
  gint64 now = g_get_monotonic_time ();
  ProgressUpdate *update;
  GSource *source;

  if (done < total && now - async->last < 50 * 1000)
    return;
  async->last = now;

  update = g_new0 (ProgressUpdate, 1);
  update->task = g_object_ref (task);
  update->done = done;
  update->total = total;
  update->item = g_strdup (item);

  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, deliver_progress, update, (GDestroyNotify) progress_update_free);
  g_source_attach (source, async->context);
  g_source_unref (source);
}

static void
run_in_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  EsaActBatch *self = source_object;
  AsyncRun *async = task_data;
  EsaActBatchReport *report;
  GError *error = NULL;

  report = esa_act_batch_run (self, cancellable, async->progress != NULL ? post_progress : NULL,
                              task, &error);
  if (report == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, report, (GDestroyNotify) esa_act_batch_report_free);
}

void
esa_act_batch_run_async (EsaActBatch          *self,
                         GCancellable         *cancellable,
                         EsaActBatchProgress   progress,
                         gpointer              progress_data,
                         GDestroyNotify        progress_destroy,
                         GAsyncReadyCallback   callback,
                         gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  AsyncRun *async;

  g_return_if_fail (ESA_IS_ACT_BATCH (self));

  async = g_new0 (AsyncRun, 1);
  async->progress = progress;
  async->progress_data = progress_data;
  async->progress_destroy = progress_destroy;
  async->context = g_main_context_ref_thread_default ();

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, esa_act_batch_run_async);
  g_task_set_task_data (task, async, (GDestroyNotify) async_run_free);
  g_task_run_in_thread (task, run_in_thread);
}

EsaActBatchReport *
esa_act_batch_run_finish (EsaActBatch   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (ESA_IS_ACT_BATCH (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
