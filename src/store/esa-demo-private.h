#pragma once

#include "esa-store-private.h"

G_BEGIN_DECLS

/**
 * _esa_demo_contact_center:
 * @seed: the demo's seed
 * @today: the demo's reference date
 *
 * Writes the contact center's share of the demo data (contacts with their
 * outcomes, tickets with their history, knowledge cards, appointments)
 * inside the demo generator's transaction, from the users and debtors it
 * has written; deterministic for the same seed and date. No outbox
 * operations and no audit entries: like the rest of the demo data, it is a
 * baseline.
 */
gboolean _esa_demo_contact_center (EsaStore    *store,
                                   guint64      seed,
                                   const GDate *today,
                                   GError     **error);

G_END_DECLS
