#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Mass generation of acts (issue 4): the acts of an approved load list or
 * of a list of cases, rendered on worker threads into one PDF per act and
 * one combined print file, each act archived in the dossier.
 *
 * Output folder:
 *   <act number>.pdf   one per act, written whole (to a temporary name
 *                      renamed into place)
 *   print.pdf          every act in batch order, for the printer; written as
 *                      the batch goes (print.pdf.part until it ends)
 *   journal.jsonl      one line per act finished: a rerun in the same folder
 *                      (after a crash, a cancel, a power cut) skips them and
 *                      draws their pages into the new print.pdf from their
 *                      PDFs instead of rendering them again
 *
 * The journal is written line by line without waiting for the disk: after
 * a power cut its last lines may be lost, which only means that those acts
 * are rendered again, to the same bytes. */

typedef struct
{
  char *case_id;
  char *act_id;       /* NULL when the case has no act to print */
  char *act_number;   /* NULL when unknown */
  char *message;      /* why it failed, translated */
} EsaActBatchFailure;

void esa_act_batch_failure_free (EsaActBatchFailure *self);

typedef struct
{
  guint      total;       /* cases in the batch */
  guint      generated;   /* acts rendered by this run */
  guint      skipped;     /* acts the journal showed done by an earlier run */
  guint      failed;
  guint      pages;       /* pages of the print file */
  guint      archived;    /* documents added to dossiers by this run */
  double     seconds;     /* wall-clock time of the run */
  char      *print_file;  /* NULL when no act was printed */
  char      *journal_file;
  GPtrArray *failures;    /* EsaActBatchFailure */
} EsaActBatchReport;

void esa_act_batch_report_free (EsaActBatchReport *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaActBatchReport, esa_act_batch_report_free)

/* Called after each case: @done of @total, @item the case's act number (or
 * its id when it failed before). With esa_act_batch_run_async() it runs in
 * the caller's main context, at most every 50 ms and once at the end. */
typedef void (*EsaActBatchProgress) (guint        done,
                                     guint        total,
                                     const char  *item,
                                     gpointer     user_data);

#define ESA_TYPE_ACT_BATCH (esa_act_batch_get_type ())
G_DECLARE_FINAL_TYPE (EsaActBatch, esa_act_batch, ESA, ACT_BATCH, GObject)

/**
 * esa_act_batch_new:
 * @db_path: the database file; the batch opens a connection of its own on
 *   its thread
 * @output_dir: where the PDFs, the print file and the journal go; created
 *   when missing
 *
 * Returns: (transfer full): a batch, given its cases by
 *   esa_act_batch_set_load_list() or esa_act_batch_set_cases()
 */
EsaActBatch       *esa_act_batch_new              (const char            *db_path,
                                                   const char            *output_dir);

/* The cases opened by an approved load list (a list not approved is an
 * error of the run); their injunctions unless esa_act_batch_set_act_type()
 * says otherwise. */
void               esa_act_batch_set_load_list    (EsaActBatch           *self,
                                                   const char            *load_list_id);
/* These cases, in this order; each one's most recent act (of the type set). */
void               esa_act_batch_set_cases        (EsaActBatch           *self,
                                                   const char * const    *case_ids);
/* @type: (nullable): the act type to print of each case */
void               esa_act_batch_set_act_type     (EsaActBatch           *self,
                                                   const char            *type);
void               esa_act_batch_set_language     (EsaActBatch           *self,
                                                   const char            *language);
void               esa_act_batch_set_templates_dir (EsaActBatch          *self,
                                                   const char            *dir);
/* Whether each act is archived in its dossier (default TRUE). */
void               esa_act_batch_set_archive      (EsaActBatch           *self,
                                                   gboolean               archive);
/* Rendering threads; 0 (the default) for one per processor. */
void               esa_act_batch_set_threads      (EsaActBatch           *self,
                                                   guint                  threads);

/**
 * esa_act_batch_run:
 * @progress: (nullable) (scope call): called in this thread
 *
 * Runs the batch in the calling thread (its renderers on their own
 * threads). A case that fails is reported and the batch goes on; the run
 * fails only when it cannot start or go on (an unknown or unapproved load
 * list, a database or folder that cannot be used) or is cancelled
 * (G_IO_ERROR_CANCELLED; what was finished is in the journal).
 *
 * Returns: (transfer full) (nullable): the report
 */
EsaActBatchReport *esa_act_batch_run              (EsaActBatch           *self,
                                                   GCancellable          *cancellable,
                                                   EsaActBatchProgress    progress,
                                                   gpointer               progress_data,
                                                   GError               **error);

/* The same on a thread of its own (GTask); @progress runs in the caller's
 * main context. */
void               esa_act_batch_run_async        (EsaActBatch           *self,
                                                   GCancellable          *cancellable,
                                                   EsaActBatchProgress    progress,
                                                   gpointer               progress_data,
                                                   GDestroyNotify         progress_destroy,
                                                   GAsyncReadyCallback    callback,
                                                   gpointer               user_data);
EsaActBatchReport *esa_act_batch_run_finish       (EsaActBatch           *self,
                                                   GAsyncResult          *result,
                                                   GError               **error);

G_END_DECLS
