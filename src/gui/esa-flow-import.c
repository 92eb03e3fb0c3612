/* esa-flow-import.c: a payment flow file imported on a worker thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>

#include "esa-flow-import.h"
#include "esa-payment-flow.h"
#include "esa-store-cases.h"

G_DEFINE_QUARK (esa-flow-import-error-quark, esa_flow_import_error)

/* What the worker needs of the window's store, taken on the calling
 * thread: the worker never touches that store itself. */
typedef struct
{
  char          *file_path;
  char          *body_id;     /* whose CSV mapping reads the file, or NULL */
  char          *db_path;
  char          *user_id;
  GPtrArray     *procedures;
  EsaParameters *parameters;
} ImportJob;

static void
import_job_free (ImportJob *job)
{
  g_free (job->file_path);
  g_free (job->body_id);
  g_free (job->db_path);
  g_free (job->user_id);
  g_clear_pointer (&job->procedures, g_ptr_array_unref);
  g_clear_object (&job->parameters);
  g_free (job);
}

/* The column mapping saved for @body_id's CSV exports. */
static EsaPaymentCsvMapping *
saved_mapping (EsaStore     *store,
               const char   *body_id,
               const char   *file_name,
               GError      **error)
{
  g_autofree char *saved = NULL;
  g_autoptr(GError) local_error = NULL;

  if (body_id == NULL)
    {
      g_set_error (error, ESA_FLOW_IMPORT_ERROR, ESA_FLOW_IMPORT_ERROR_NEEDS_BODY,
                   /* Translators: %s is a file name */
                   _("%s is a CSV file: it is read with the column mapping saved for its "
                     "creditor body"),
                   file_name);
      return NULL;
    }
  saved = esa_store_get_payment_mapping (store, body_id, &local_error);
  if (saved == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_INVALID,
                     _("Creditor body %s has no saved CSV column mapping: import its first CSV "
                       "file with “esattore-cli payments import FILE --mapping MAPPING "
                       "--body %s”"),
                     body_id, body_id);
      return NULL;
    }
  return esa_payment_csv_mapping_new_from_data (saved, error);
}

/* Reads the file into a flow: XML flows as they are, a bank's CSV export
 * with its body's saved column mapping. */
static EsaPaymentFlow *
read_flow (EsaStore         *store,
           const ImportJob  *job,
           EsaFlowFile     **out_file,
           GError          **error)
{
  g_autoptr(EsaFlowFile) file = esa_flow_file_load (job->file_path, error);
  g_autoptr(EsaPaymentCsvMapping) mapping = NULL;
  EsaPaymentFlowFormat format;
  EsaPaymentFlow *flow;

  if (file == NULL || !esa_payment_flow_detect (file->data, file->length, &format, error))
    return NULL;
  if (format == ESA_PAYMENT_FLOW_CSV)
    {
      mapping = saved_mapping (store, job->body_id, file->name, error);
      if (mapping == NULL)
        return NULL;
    }
  flow = esa_payment_flow_read (file->data, file->length, format, mapping, error);
  if (flow != NULL)
    *out_file = g_steal_pointer (&file);
  return flow;
}

static EsaPaymentImportReport *
import_into (EsaStore        *store,
             const ImportJob *job,
             GError         **error)
{
  g_autoptr(EsaFlowFile) file = NULL;
  g_autoptr(EsaPaymentFlow) flow = read_flow (store, job, &file, error);
  EsaPaymentImportOptions options = { NULL, };

  if (flow == NULL)
    return NULL;
  options.file_name = file->name;
  options.file_sha256 = file->sha256;
  options.body_id = job->body_id;
  options.parameters = job->parameters;
  return esa_store_import_payment_flow (store, flow, &options, error);
}

/* Imports into @store and ends @task with the report or the error. */
static void
import_and_return (GTask           *task,
                   EsaStore        *store,
                   const ImportJob *job)
{
  g_autoptr(GError) error = NULL;
  EsaPaymentImportReport *report = import_into (store, job, &error);

  if (report == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, report, (GDestroyNotify) esa_payment_import_report_free);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportJob *job = task_data;
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = esa_store_open (job->db_path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  esa_store_set_acting_user (store, job->user_id);
  if (job->procedures != NULL && job->parameters != NULL)
    esa_store_set_procedures (store, job->procedures, job->parameters);
  import_and_return (task, store, job);
}

void
esa_flow_import_async (EsaStore            *store,
                       GFile               *file,
                       const char          *body_id,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ImportJob *job;
  GPtrArray *procedures;
  EsaParameters *parameters = NULL;

  g_return_if_fail (ESA_IS_STORE (store));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, esa_flow_import_async);

  job = g_new0 (ImportJob, 1);
  job->file_path = g_file_get_path (file);
  job->body_id = g_strdup (body_id);
  job->db_path = g_strdup (esa_store_get_path (store));
  job->user_id = g_strdup (esa_store_get_acting_user (store));
  procedures = esa_store_get_procedures (store, &parameters);
  job->procedures = procedures != NULL ? g_ptr_array_ref (procedures) : NULL;
  job->parameters = parameters != NULL ? g_object_ref (parameters) : NULL;
  g_task_set_task_data (task, job, (GDestroyNotify) import_job_free);

  if (job->file_path == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("Only a file on this computer can be imported"));
      return;
    }
  if (job->db_path == NULL)
    import_and_return (task, store, job);
  else
    g_task_run_in_thread (task, import_thread);
}

EsaPaymentImportReport *
esa_flow_import_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == esa_flow_import_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
