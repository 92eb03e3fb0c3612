/* esa-store-checkpoint-private.h: the write-ahead log copied back into the
 * database file on a thread of its own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

typedef struct _EsaCheckpointer EsaCheckpointer;

EsaCheckpointer *_esa_checkpointer_new     (const char      *path);
void             _esa_checkpointer_attach  (EsaCheckpointer *self,
                                            sqlite3         *db);
void             _esa_checkpointer_request (EsaCheckpointer *self);
guint            _esa_checkpointer_wait    (EsaCheckpointer *self);
void             _esa_checkpointer_free    (EsaCheckpointer *self);

G_END_DECLS
