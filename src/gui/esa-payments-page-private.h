#pragma once

#include "esa-payments-page.h"

G_BEGIN_DECLS

/* For the GUI tests. */

/* Returns: (transfer container): the ids of the payments the queue lists */
GPtrArray  *_esa_payments_page_get_queue_ids   (EsaPaymentsPage *self);
/* Opens the payment's row (showing its candidates); (nullable) (transfer
 * none): the row, NULL when the queue does not list the payment. */
GtkWidget  *_esa_payments_page_expand          (EsaPaymentsPage *self,
                                                const char      *payment_id);
/* Opens the payment's row and presses Assign on the candidate for
 * @position_id; FALSE when the row or the candidate is not shown. */
gboolean    _esa_payments_page_assign          (EsaPaymentsPage *self,
                                                const char      *payment_id,
                                                const char      *position_id);
/* "list" or "empty" */
const char *_esa_payments_page_get_queue_state (EsaPaymentsPage *self);
/* "queue" or "proposals" */
void        _esa_payments_page_show            (EsaPaymentsPage *self,
                                                const char      *name);
/* Imports @file as the Import Flow button does once a file is chosen. */
void        _esa_payments_page_import          (EsaPaymentsPage *self,
                                                GFile           *file);
gboolean    _esa_payments_page_is_importing    (EsaPaymentsPage *self);

G_END_DECLS
