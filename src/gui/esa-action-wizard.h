#pragma once

#include <adwaita.h>

#include "esa-core.h"
#include "esa-store.h"

G_BEGIN_DECLS

/* The wizard of one procedure action, built from the procedure data: the
 * action's fields on pages (an items field on a page of its own), each
 * checked as it is typed, Back and Next, then a summary of every value and of
 * what the step does before Run records it with esa_store_case_do(). A
 * refusal (a guard's sentence, a field the store does not take) is shown in
 * the wizard, which stays open. After a successful run the wizard emits
 * ::done and closes. Escape cancels; Enter goes on. */

#define ESA_TYPE_ACTION_WIZARD (esa_action_wizard_get_type ())
G_DECLARE_FINAL_TYPE (EsaActionWizard, esa_action_wizard, ESA, ACTION_WIZARD, AdwWindow)

/**
 * esa_action_wizard_new:
 * @parent: (nullable): the window it is modal to
 * @store: where the step is recorded
 * @procedure: the case's procedure
 * @case_: the case
 * @action_id: the action to run
 * @subject: (nullable): who the case is against, for the title ("Rossi Mario")
 * @today: (nullable): the day the step is dated and date fields start at;
 *   NULL: the current date
 * @error: ESA_STORE_ERROR_NOT_FOUND when the procedure has no such action
 *
 * Returns: (transfer full) (nullable): the wizard, not yet shown
 */
EsaActionWizard *esa_action_wizard_new (GtkWindow     *parent,
                                        EsaStore      *store,
                                        EsaProcedure  *procedure,
                                        const EsaCase *case_,
                                        const char    *action_id,
                                        const char    *subject,
                                        const GDate   *today,
                                        GError       **error);

const char      *esa_action_wizard_get_case_id   (EsaActionWizard *self);
const char      *esa_action_wizard_get_action_id (EsaActionWizard *self);

G_END_DECLS
