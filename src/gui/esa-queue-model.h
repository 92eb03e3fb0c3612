#pragma once

#include <gtk/gtk.h>

#include "esa-queue-entry.h"

G_BEGIN_DECLS

/* The list behind "My work" and "Team queues", apart from any widget: a
 * GListModel of EsaQueueEntry, the queue items filtered by typed text and by
 * when they are due, sorted by group first (so that each group is one run of
 * rows) and then by the chosen order.
 *
 * It is a list model of its own rather than GtkFilterListModel over
 * GtkSortListModel: a team's queue can hold 100,000 items, and re-sorting
 * them on precomputed integer ranks, with entry objects made only for the
 * rows shown, keeps a change of order well under 100 ms. */

typedef enum
{
  ESA_QUEUE_SORT_DUE,
  ESA_QUEUE_SORT_DEBTOR,
  ESA_QUEUE_SORT_ASSIGNEE,
} EsaQueueSort;

#define ESA_TYPE_QUEUE_MODEL (esa_queue_model_get_type ())
G_DECLARE_FINAL_TYPE (EsaQueueModel, esa_queue_model, ESA, QUEUE_MODEL, GObject)

/* The model is itself the GListModel of the filtered, sorted entries. */

EsaQueueModel *esa_queue_model_new          (void);

/* @items: (transfer full) (element-type EsaQueueItem): replaces the items. */
void           esa_queue_model_set_items    (EsaQueueModel *self,
                                             GPtrArray     *items);
/* Every item, unfiltered, in the store's order. */
guint               esa_queue_model_get_n_all (EsaQueueModel *self);
const EsaQueueItem *esa_queue_model_get_all   (EsaQueueModel *self,
                                               guint          index);
/* Returns: (transfer none): the filtered, sorted items (EsaQueueEntry): the
 *   model itself */
GListModel    *esa_queue_model_get_model    (EsaQueueModel *self);
/* Returns: (transfer none) (nullable): the entry of an item id */
EsaQueueEntry *esa_queue_model_lookup       (EsaQueueModel *self,
                                             const char    *item_id);

void           esa_queue_model_set_group    (EsaQueueModel *self,
                                             EsaQueueGroup  group);
EsaQueueGroup  esa_queue_model_get_group    (EsaQueueModel *self);
void           esa_queue_model_set_sort     (EsaQueueModel *self,
                                             EsaQueueSort   sort);
/* Only items due this way; ESA_QUEUE_WHEN_ALL for every item. */
void           esa_queue_model_set_when     (EsaQueueModel *self,
                                             EsaQueueWhen   when);
/* (nullable): words that must all occur in the debtor, title, assignee,
 * office or reference, case-insensitively. */
void           esa_queue_model_set_text     (EsaQueueModel *self,
                                             const char    *text);

/* Returns: (transfer full): the heading of @entry's group; "" without
 * grouping */
char          *esa_queue_model_group_label  (EsaQueueModel *self,
                                             EsaQueueEntry *entry);
/* Whether the entry at @position of the sorted model starts a group. */
gboolean       esa_queue_model_starts_group (EsaQueueModel *self,
                                             guint          position);

G_END_DECLS
