/* esa-flow-import.c: a payment flow file imported on a worker thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>

#include "esa-flow-import.h"
#include "esa-payment-flow.h"
#include "esa-store-cases.h"

/* What the worker needs of the window's store, taken on the calling
 * thread: the worker never touches that store itself. */
typedef struct
{
  char          *file_path;
  char          *db_path;
  char          *user_id;
  GPtrArray     *procedures;
  EsaParameters *parameters;
} ImportJob;

static void
import_job_free (ImportJob *job)
{
  g_free (job->file_path);
  g_free (job->db_path);
  g_free (job->user_id);
  g_clear_pointer (&job->procedures, g_ptr_array_unref);
  g_clear_object (&job->parameters);
  g_free (job);
}

/* Reads the file into a flow. CSV files need the column mapping of their
 * bank, which the command line takes. */
static EsaPaymentFlow *
read_flow (const char   *path,
           EsaFlowFile **out_file,
           GError      **error)
{
  g_autoptr(EsaFlowFile) file = esa_flow_file_load (path, error);
  EsaPaymentFlowFormat format;
  EsaPaymentFlow *flow;

  if (file == NULL || !esa_payment_flow_detect (file->data, file->length, &format, error))
    return NULL;
  if (format == ESA_PAYMENT_FLOW_CSV)
    {
      g_set_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_INVALID,
                   /* Translators: %s is a file name */
                   _("%s is not a pagoPA or camt.054 flow. A CSV export of a bank needs its "
                     "column mapping: import it with “esattore-cli payments import FILE "
                     "--mapping MAPPING”"),
                   file->name);
      return NULL;
    }
  flow = esa_payment_flow_read (file->data, file->length, format, NULL, error);
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
  g_autoptr(EsaPaymentFlow) flow = read_flow (job->file_path, &file, error);
  EsaPaymentImportOptions options = { NULL, };

  if (flow == NULL)
    return NULL;
  options.file_name = file->name;
  options.file_sha256 = file->sha256;
  options.parameters = job->parameters;
  return esa_store_import_payment_flow (store, flow, &options, error);
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
  EsaPaymentImportReport *report;

  store = esa_store_open (job->db_path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  esa_store_set_acting_user (store, job->user_id);
  if (job->procedures != NULL && job->parameters != NULL)
    esa_store_set_procedures (store, job->procedures, job->parameters);

  report = import_into (store, job, &error);
  if (report == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, report, (GDestroyNotify) esa_payment_import_report_free);
}

void
esa_flow_import_async (EsaStore            *store,
                       GFile               *file,
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
    {
      g_autoptr(GError) error = NULL;
      EsaPaymentImportReport *report = import_into (store, job, &error);

      if (report == NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_pointer (task, report, (GDestroyNotify) esa_payment_import_report_free);
      return;
    }
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
