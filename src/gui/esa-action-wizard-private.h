#pragma once

#include "esa-action-wizard.h"
#include "esa-seizure-items.h"

G_BEGIN_DECLS

/* For the GUI tests: the widgets they fill in and press. */

/* (nullable): what a person types into for field @field_id (see
 * esa_action_wizard_field_get_input()). */
GtkWidget       *_esa_action_wizard_get_input       (EsaActionWizard *self,
                                                     const char      *field_id);
/* (nullable): the editor of the items field @field_id. */
EsaSeizureItems *_esa_action_wizard_get_items       (EsaActionWizard *self,
                                                     const char      *field_id);
/* The button that goes on: Next, then Run on the summary. */
GtkWidget       *_esa_action_wizard_get_next_button (EsaActionWizard *self);
GtkWidget       *_esa_action_wizard_get_back_button (EsaActionWizard *self);
/* "fields-N" (from 0) or "summary". */
const char      *_esa_action_wizard_get_page        (EsaActionWizard *self);
guint            _esa_action_wizard_get_n_pages     (EsaActionWizard *self);
/* (nullable): the refusal shown on the summary. */
const char      *_esa_action_wizard_get_error       (EsaActionWizard *self);

G_END_DECLS
