#pragma once

#include <glib-object.h>

#include "esa-parameters.h"

G_BEGIN_DECLS

/* Which role may do which action (issue 7 "Roles gate every action").
 *
 * Roles are named by the stable names stored with every user account
 * (esa_role_to_string() in the store): "officer", "field_officer",
 * "team_lead", "responsible", "contact_operator", "administrator",
 * "auditor". Actions are named by the ids below. Who may do what is data:
 * one parameter table per action, named "roles." and the action id
 * ("roles.queue.reassign"), of unit "text": the roles allowed to do it,
 * separated by spaces ("team_lead administrator"), valid from one day to
 * another like every parameter (file data/parameters/roles.json). An action
 * without a table is allowed to nobody.
 *
 * The GUI hides or explains a forbidden action with the reason
 * esa_roles_allows() gives; the store refuses it as well
 * (ESA_STORE_ERROR_FORBIDDEN with the same reason). */

/* "My work": the items assigned to oneself. */
#define ESA_ACTION_QUEUE_VIEW_OWN     "queue.view_own"
/* "Team queues": every officer's items of the offices one sees. */
#define ESA_ACTION_QUEUE_VIEW_TEAM    "queue.view_team"
/* Give work items to another officer (and undo that). */
#define ESA_ACTION_QUEUE_REASSIGN     "queue.reassign"
/* Run the next step of a procedure for many cases at once (and undo that). */
#define ESA_ACTION_QUEUE_BULK_STEP    "queue.bulk_step"
#define ESA_ACTION_DASHBOARD_VIEW     "dashboard.view"
#define ESA_ACTION_DASHBOARD_EXPORT   "dashboard.export"
/* Log a phone call, e-mail, counter visit, letter or visit on a dossier. */
#define ESA_ACTION_CONTACT_LOG        "contact.log"
#define ESA_ACTION_TICKET_OPEN        "ticket.open"
/* Change a ticket's status (waiting for the caller, in progress). */
#define ESA_ACTION_TICKET_UPDATE      "ticket.update"
#define ESA_ACTION_TICKET_ESCALATE    "ticket.escalate"
#define ESA_ACTION_TICKET_CLOSE       "ticket.close"
#define ESA_ACTION_KNOWLEDGE_VIEW     "knowledge.view"
/* Write or change a knowledge card (not yet approved). */
#define ESA_ACTION_KNOWLEDGE_EDIT     "knowledge.edit"
#define ESA_ACTION_KNOWLEDGE_APPROVE  "knowledge.approve"
#define ESA_ACTION_APPOINTMENT_BOOK   "appointment.book"
/* Monthly contact-center statistics. */
#define ESA_ACTION_STATS_VIEW         "stats.view"
/* Run a step of a case's procedure (and undo it): esa_store_case_do(). */
#define ESA_ACTION_CASE_STEP          "case.step"
/* Import a load list, and keep a body's column mapping for it. */
#define ESA_ACTION_LOAD_LIST_IMPORT   "load_list.import"
/* Approve or reject a load list (the four-eyes rule and the office apply too). */
#define ESA_ACTION_LOAD_LIST_APPROVE  "load_list.approve"
/* Import a payment flow, and keep a body's column mapping for it. */
#define ESA_ACTION_PAYMENT_IMPORT     "payment.import"
/* Assign an unmatched payment to a position or a debtor. */
#define ESA_ACTION_PAYMENT_ASSIGN     "payment.assign"
/* Park an unmatched payment with a note. */
#define ESA_ACTION_PAYMENT_PARK       "payment.park"
/* Produce documents: an act's PDF, a print batch. */
#define ESA_ACTION_DOCUMENT_PRINT     "document.print"
/* Change a debtor's data (addresses, contacts, fields) or move the dossier. */
#define ESA_ACTION_DEBTOR_EDIT        "debtor.edit"
/* Confirm instalment plans proposed for overdue instalments. */
#define ESA_ACTION_INSTALMENT_CONFIRM "instalment.confirm"
/* Resolve a sync conflict (keep mine or theirs). */
#define ESA_ACTION_SYNC_RESOLVE       "sync.resolve"

#define ESA_TYPE_ROLES (esa_roles_get_type ())
G_DECLARE_FINAL_TYPE (EsaRoles, esa_roles, ESA, ROLES, GObject)

/**
 * esa_roles_new:
 * @parameters: parameter tables holding the "roles.*" tables
 * @on: (nullable): the day whose entries apply; NULL for today
 * @error: ESA_CORE_ERROR_INVALID when a table names an unknown role
 *   (naming the table and the role)
 *
 * Returns: (transfer full): the table, or NULL with @error set
 */
EsaRoles    *esa_roles_new                (EsaParameters  *parameters,
                                           const GDate    *on,
                                           GError        **error);

/**
 * esa_roles_get_default:
 *
 * The table read once per process from the parameters of
 * esa_data_dir ("parameters") for today. When they cannot be read, the
 * table is empty (every action is refused) and a warning is logged once.
 *
 * Returns: (transfer none): the process-wide table
 */
EsaRoles    *esa_roles_get_default        (void);

/**
 * esa_roles_check:
 * @role: a role's stable name ("team_lead")
 * @action_id: an ESA_ACTION_* id
 * @out_reason: (out) (optional) (transfer full): when refused, a
 *   translated sentence saying why ("A contact-center operator may not
 *   reassign work items.")
 *
 * Returns: whether @role may do @action_id by this table
 */
gboolean     esa_roles_check              (EsaRoles       *self,
                                           const char     *role,
                                           const char     *action_id,
                                           char          **out_reason);

/**
 * esa_roles_allows:
 *
 * esa_roles_check() on the default table (esa_roles_get_default()).
 */
gboolean     esa_roles_allows             (const char     *role,
                                           const char     *action_id,
                                           char          **out_reason);

/* Returns: (transfer none): the translated name of a role ("Team lead"),
 *   @role itself for an unknown name */
const char  *esa_roles_describe_role      (const char     *role);

/* Returns: (transfer none): the translated description of an action
 *   ("reassign work items"), @action_id itself for an unknown id */
const char  *esa_roles_describe_action    (const char     *action_id);

/* Returns: (transfer none): the known action ids, NULL-terminated */
const char * const *esa_roles_list_actions (void);

G_END_DECLS
