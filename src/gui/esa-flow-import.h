/* esa-flow-import.h: a payment flow file imported on a worker thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "esa-store-payments.h"

G_BEGIN_DECLS

/* Imports the pagoPA or camt.054 flow in @file into @store's database, as
 * @store's acting user and with its procedures, on a connection of its own
 * in a worker thread: the window stays live while a large flow is booked.
 * A store in memory has no file to share, and imports on the calling
 * thread. */
void                    esa_flow_import_async  (EsaStore             *store,
                                                GFile                *file,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
/* Returns: (transfer full): what the import did, or NULL with @error set
 *   (the file unreadable, not a flow, rejected; nothing was changed) */
EsaPaymentImportReport *esa_flow_import_finish (GAsyncResult         *result,
                                                GError              **error);

G_END_DECLS
