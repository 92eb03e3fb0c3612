#pragma once

#include <gtk/gtk.h>

#include "esa-store.h"

G_BEGIN_DECLS

/* What the acting user (esa_store_get_acting_user()) may do, for the pages
 * of issue 7: a forbidden action is explained on its control with the
 * reason of esa_roles_allows(). The system (no acting user) may do all. */

/* Returns: (transfer full) (nullable): the acting user's role by its
 *   stable name ("team_lead"); NULL without an acting user */
char     *esa_acting_role    (EsaStore     *store);

/* Whether the acting user may do @action_id (ESA_ACTION_*); when not,
 * @out_reason gets the translated sentence. */
gboolean  esa_acting_allows  (EsaStore     *store,
                              const char   *action_id,
                              char        **out_reason);

/* Makes @widget sensitive when allowed, else insensitive with the reason as
 * its tooltip (@tooltip otherwise). Returns whether allowed. */
gboolean  esa_acting_gate    (GtkWidget    *widget,
                              EsaStore     *store,
                              const char   *action_id,
                              const char   *tooltip);

G_END_DECLS
