#pragma once

#include <adwaita.h>

#include "esa-store.h"

G_BEGIN_DECLS

/* The "Contact center" section: tickets (a list and the ticket's page),
 * knowledge cards found by keyword, the appointments ahead and the month's
 * statistics per body. Emits "open-dossier" with a debtor id. */

#define ESA_TYPE_CONTACT_CENTER_PAGE (esa_contact_center_page_get_type ())
G_DECLARE_FINAL_TYPE (EsaContactCenterPage, esa_contact_center_page, ESA, CONTACT_CENTER_PAGE,
                      GtkWidget)

GtkWidget *esa_contact_center_page_new        (void);

/* (nullable): the store to work on; everything is read again. */
void       esa_contact_center_page_set_store  (EsaContactCenterPage *self,
                                               EsaStore             *store);
void       esa_contact_center_page_reload     (EsaContactCenterPage *self);

/* Shows the ticket (by id or reference) on the Tickets page; FALSE when
 * the list does not hold it. */
gboolean   esa_contact_center_page_show_ticket (EsaContactCenterPage *self,
                                                const char           *id_or_reference);

G_END_DECLS
