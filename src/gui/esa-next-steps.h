#pragma once

#include <gtk/gtk.h>

#include "esa-procedure-catalog.h"
#include "esa-store.h"

G_BEGIN_DECLS

/* The dossier's "Next steps": for each open case, the actions its procedure
 * allows now, as buttons (the first one suggested), and the actions that are
 * blocked, each with the sentence that says why. A case whose procedure did
 * not load says that the procedure is unavailable and why. When the acting
 * user's role cannot run actions the panel is read-only.
 *
 * Activating a button emits ::run-action with the case and the action. */

#define ESA_TYPE_NEXT_STEPS (esa_next_steps_get_type ())
G_DECLARE_FINAL_TYPE (EsaNextSteps, esa_next_steps, ESA, NEXT_STEPS, GtkWidget)

GtkWidget *esa_next_steps_new          (void);

/**
 * esa_next_steps_update:
 * @store: where the cases and their actions come from; its acting user is
 *   the one the actions are evaluated for
 * @cases: (element-type EsaCase): the debtor's cases; closed ones are left out
 * @catalog: (nullable): says why a procedure that did not load is unavailable
 * @today: (nullable): the day to evaluate the guards on; NULL: the current date
 *
 * Evaluates every open case's actions again and shows them.
 */
void       esa_next_steps_update       (EsaNextSteps        *self,
                                        EsaStore            *store,
                                        GPtrArray           *cases,
                                        EsaProcedureCatalog *catalog,
                                        const GDate         *today);

/* The first available action of the first case, as the shortcut runs it;
 * FALSE when nothing can be run. */
gboolean   esa_next_steps_get_first    (EsaNextSteps        *self,
                                        const char         **out_case_id,
                                        const char         **out_action_id);

/* Whether the acting user can run actions (FALSE: the panel is read-only). */
gboolean   esa_next_steps_get_can_act  (EsaNextSteps        *self);

/* Whether the role named @role may run procedure actions at all. */
gboolean   esa_next_steps_role_can_act (EsaRole              role);

G_END_DECLS
