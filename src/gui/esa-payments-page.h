#pragma once

#include <adwaita.h>

#include "esa-store.h"

G_BEGIN_DECLS

/* The "Payments" section: the unmatched queue (payments whose reference
 * matched nothing: assign one to a candidate position, or park it with a
 * note) and the proposals of instalment monitoring (reminders, lapses,
 * closings) that a team lead confirms. */

#define ESA_TYPE_PAYMENTS_PAGE (esa_payments_page_get_type ())
G_DECLARE_FINAL_TYPE (EsaPaymentsPage, esa_payments_page, ESA, PAYMENTS_PAGE, GtkWidget)

GtkWidget *esa_payments_page_new       (void);

/* (nullable): the store to work on; the lists are read again. */
void       esa_payments_page_set_store (EsaPaymentsPage *self,
                                        EsaStore        *store);

/* Reads the queue and the proposals again. */
void       esa_payments_page_reload    (EsaPaymentsPage *self);

G_END_DECLS
