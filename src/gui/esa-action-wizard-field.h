#pragma once

#include <adwaita.h>

#include "esa-core.h"
#include "esa-store.h"

G_BEGIN_DECLS

/* One field of a procedure action as a wizard row: the editor for its type
 * (a date typed as YYYY-MM-DD or picked from a calendar and shown in words,
 * an amount checked with esa_money_parse(), a whole number, a text, a choice,
 * a switch, a user) and, under it, a row that says what is wrong with the
 * value. Items fields have an editor of their own (EsaSeizureItems). */

#define ESA_TYPE_ACTION_WIZARD_FIELD (esa_action_wizard_field_get_type ())
G_DECLARE_FINAL_TYPE (EsaActionWizardField, esa_action_wizard_field, ESA, ACTION_WIZARD_FIELD,
                      GObject)

/**
 * esa_action_wizard_field_new:
 * @field: the field, owned by its procedure, which must outlive the editor
 * @currency: (nullable): the currency of amounts ("EUR")
 * @today: (nullable): what a date field starts at; NULL: empty
 * @users: (nullable) (element-type EsaUser): who a user field can name
 *
 * Returns: (transfer full): the editor; its rows are floating-free widgets
 *   the caller adds to a group
 */
EsaActionWizardField *esa_action_wizard_field_new       (const EsaField       *field,
                                                         const char           *currency,
                                                         const GDate          *today,
                                                         GPtrArray            *users);

const EsaField       *esa_action_wizard_field_get_field (EsaActionWizardField *self);
/* The row with the editor. */
GtkWidget            *esa_action_wizard_field_get_row   (EsaActionWizardField *self);
/* The row under it that shows what is wrong; hidden while nothing is. */
GtkWidget            *esa_action_wizard_field_get_error_row (EsaActionWizardField *self);

/**
 * esa_action_wizard_field_check:
 * @out_value: (out) (optional) (transfer full) (nullable): the value as the
 *   store takes it ("2027-03-14", "1234.50", "true", a choice's id), NULL
 *   for an optional field left empty
 * @out_problem: (out) (optional) (transfer full): what is wrong, when FALSE
 *
 * Returns: whether the value can be used.
 */
gboolean              esa_action_wizard_field_check     (EsaActionWizardField *self,
                                                         char                **out_value,
                                                         char                **out_problem);

/* Returns: (transfer full): the value for people ("14 March 2027",
 *   "€ 1.234,50", a choice's label), "" when empty. */
char                 *esa_action_wizard_field_describe  (EsaActionWizardField *self);

/* Shows the problem (if any) even before the field was edited: pressing
 * Next on a page with a problem, for one. */
void                  esa_action_wizard_field_reveal_problem (EsaActionWizardField *self);

/* The widget a person types into: the GtkEditable of a date, amount,
 * count or text field; the GtkSwitch of a bool; the AdwComboRow of a choice
 * or a user. */
GtkWidget            *esa_action_wizard_field_get_input (EsaActionWizardField *self);

G_END_DECLS
