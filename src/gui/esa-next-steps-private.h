#pragma once

#include "esa-next-steps.h"

G_BEGIN_DECLS

/* For the GUI tests: the widgets the panel shows for one action of a case. */

/* (nullable): the button of an available action. */
GtkButton  *_esa_next_steps_get_button  (EsaNextSteps *self,
                                         const char   *case_id,
                                         const char   *action_id);
/* (nullable): the reason shown for a blocked action. */
const char *_esa_next_steps_get_reason  (EsaNextSteps *self,
                                         const char   *case_id,
                                         const char   *action_id);
/* (nullable): what the panel says in place of a case's actions (its
 * procedure is unavailable, or the actions could not be evaluated). */
const char *_esa_next_steps_get_problem (EsaNextSteps *self,
                                         const char   *case_id);

G_END_DECLS
