#pragma once

#include <adwaita.h>

#include "esa-store.h"

G_BEGIN_DECLS

/* "My work" (the acting user's queue items, grouped overdue / today / this
 * week / later) and "Team queues" (everyone's, grouped by officer, office,
 * act type or due date, with bulk actions on a multiple selection: reassign,
 * run the next step, generate the acts; each with a preview, a per-item
 * result and an undo toast). Activating an item emits "open-dossier". */

#define ESA_TYPE_QUEUE_PAGE (esa_queue_page_get_type ())
G_DECLARE_FINAL_TYPE (EsaQueuePage, esa_queue_page, ESA, QUEUE_PAGE, GtkWidget)

/* @team: TRUE for "Team queues", FALSE for "My work" */
GtkWidget *esa_queue_page_new       (gboolean      team);

/* (nullable): the store to work on; the queue is read again. */
void       esa_queue_page_set_store (EsaQueuePage *self,
                                     EsaStore     *store);

/* Reads the queue again (after the acting user changed, for instance). */
void       esa_queue_page_reload    (EsaQueuePage *self);

G_END_DECLS
