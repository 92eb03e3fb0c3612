/* esa-sync-error.c: the error domain of the sync layer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include "esa-sync-error.h"

G_DEFINE_QUARK (esa-sync-error-quark, esa_sync_error)
