#pragma once

#include <glib-object.h>

#include "esa-store-queues.h"

G_BEGIN_DECLS

/* One queue item as an object the list widgets can bind to, with what the
 * last bulk action did to it. */

#define ESA_TYPE_QUEUE_ENTRY (esa_queue_entry_get_type ())
G_DECLARE_FINAL_TYPE (EsaQueueEntry, esa_queue_entry, ESA, QUEUE_ENTRY, GObject)

/* @item: (transfer full) */
EsaQueueEntry      *esa_queue_entry_new         (EsaQueueItem  *item);
const EsaQueueItem *esa_queue_entry_get_item    (EsaQueueEntry *self);
const char         *esa_queue_entry_get_id      (EsaQueueEntry *self);

/* (nullable): the outcome of the last bulk action on the item, shown on its
 * row; @failed marks it as a problem. */
const char         *esa_queue_entry_get_result  (EsaQueueEntry *self);
gboolean            esa_queue_entry_get_failed  (EsaQueueEntry *self);
void                esa_queue_entry_set_result  (EsaQueueEntry *self,
                                                 const char    *result,
                                                 gboolean       failed);

G_END_DECLS
