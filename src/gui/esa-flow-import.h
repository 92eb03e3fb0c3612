/* esa-flow-import.h: a payment flow file imported on a worker thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "esa-store-payments.h"

G_BEGIN_DECLS

#define ESA_FLOW_IMPORT_ERROR (esa_flow_import_error_quark ())

typedef enum
{
  /* A CSV file: the import needs the creditor body whose saved column
   * mapping reads it. */
  ESA_FLOW_IMPORT_ERROR_NEEDS_BODY,
} EsaFlowImportError;

GQuark esa_flow_import_error_quark (void);

/* Imports the flow in @file into @store's database, as @store's acting
 * user and with its procedures, on a connection of its own in a worker
 * thread: the window stays live while a large flow is booked. A pagoPA or
 * camt.054 flow names its body; a bank's CSV export is read with the
 * column mapping saved for @body_id (without it, the import fails with
 * ESA_FLOW_IMPORT_ERROR_NEEDS_BODY). A store in memory has no file to
 * share, and imports on the calling thread. */
void                    esa_flow_import_async  (EsaStore             *store,
                                                GFile                *file,
                                                const char           *body_id,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
/* Returns: (transfer full): what the import did, or NULL with @error set
 *   (the file unreadable, not a flow, rejected; nothing was changed) */
EsaPaymentImportReport *esa_flow_import_finish (GAsyncResult         *result,
                                                GError              **error);

G_END_DECLS
