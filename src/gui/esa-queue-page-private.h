#pragma once

#include "esa-queue-model.h"
#include "esa-queue-page.h"

G_BEGIN_DECLS

/* For the GUI tests. */

/* The day "overdue", "today" and "this week" count from; NULL: today. */
void              _esa_queue_page_set_today      (EsaQueuePage *self,
                                                  const char   *today);
EsaQueueModel    *_esa_queue_page_get_model      (EsaQueuePage *self);
GtkSelectionModel *_esa_queue_page_get_selection (EsaQueuePage *self);
GtkWidget        *_esa_queue_page_get_list_view  (EsaQueuePage *self);
/* (nullable) (transfer none): the preview dialog of a bulk action while it
 * is open. */
AdwMessageDialog *_esa_queue_page_get_dialog     (EsaQueuePage *self);
/* Chooses the officer in the open reassignment dialog; FALSE when the
 * dialog is not open or does not offer @user_id. */
gboolean          _esa_queue_page_choose_user    (EsaQueuePage *self,
                                                  const char   *user_id);
/* (nullable) (transfer none): the last toast with an Undo button. */
AdwToast         *_esa_queue_page_get_undo_toast (EsaQueuePage *self);
/* "queue", "forbidden" or "empty" */
const char       *_esa_queue_page_get_state      (EsaQueuePage *self);

G_END_DECLS
