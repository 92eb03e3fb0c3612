#pragma once

#include "esa-sla.h"
#include "esa-store-private.h"
#include "esa-store-queues.h"
#include "esa-store-tickets.h"

G_BEGIN_DECLS

/* Shared by esa-store-queues.c and esa-store-tickets.c. The role check of
 * every write, _esa_store_check_action(), is in esa-store-private.h. */

/* A row of one of the tables of step 6 (tickets, knowledge_cards,
 * appointments, queue_batches) as a JSON object, one member per column, for
 * the full-row payload of a creation; other tables go to
 * _esa_store_row_to_json(). (transfer full) */
JsonNode *_esa_store_queues_row_to_json (EsaStore    *self,
                                         const char  *table,
                                         const char  *id,
                                         GError     **error);

/* The acting user's office, or NULL (the system, or a user not known).
 * (transfer full) */
char     *_esa_store_acting_office  (EsaStore    *self);

/* The SLA clock of a body by its country, cached on the store; NULL without
 * parameters or without business hours for the country. (transfer none) */
EsaSla   *_esa_store_sla_for        (EsaStore    *self,
                                     const char  *country,
                                     const char  *body_id);

/**
 * _esa_store_ticket_sla:
 * @now: the moment to compute for
 * @out_elapsed: (out): business seconds used
 * @out_due: (out) (transfer full) (nullable): when the budget runs out
 * @out_paused: (out)
 *
 * Computes the SLA of an open ticket from its events. FALSE with @error set
 * on database failure; TRUE with *out_due NULL when the ticket has no SLA
 * (no parameters or target).
 */
gboolean  _esa_store_ticket_sla     (EsaStore    *self,
                                     const char  *ticket_id,
                                     const char  *body_id,
                                     gint64       target_s,
                                     GDateTime   *now,
                                     gint64      *out_elapsed,
                                     GDateTime  **out_due,
                                     gboolean    *out_paused,
                                     GError     **error);

G_END_DECLS
