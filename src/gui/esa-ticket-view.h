#pragma once

#include <adwaita.h>

#include "esa-store.h"

G_BEGIN_DECLS

/* One contact-center ticket: its reference for the caller, urgency, level,
 * owner, SLA clock and history, with Escalate and Close (with a
 * resolution). Emits "changed" after it changed the ticket and
 * "open-dossier" to show the ticket's debtor. */

#define ESA_TYPE_TICKET_VIEW (esa_ticket_view_get_type ())
G_DECLARE_FINAL_TYPE (EsaTicketView, esa_ticket_view, ESA, TICKET_VIEW, GtkWidget)

GtkWidget  *esa_ticket_view_new         (void);

/* (nullable): @ticket_id: the ticket to show, NULL for none. */
void        esa_ticket_view_set_ticket  (EsaTicketView *self,
                                         EsaStore      *store,
                                         const char    *ticket_id);
/* (nullable): the ticket shown */
const char *esa_ticket_view_get_ticket  (EsaTicketView *self);

G_END_DECLS
