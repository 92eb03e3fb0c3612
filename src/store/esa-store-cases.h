#pragma once

#include <glib-object.h>

#include "esa-parameters.h"
#include "esa-procedure.h"
#include "esa-records.h"
#include "esa-store.h"

G_BEGIN_DECLS

/* Case actions: the store evaluates and runs the actions of a case's
 * procedure (DESIGN.md "Procedures are data"). What a procedure's guards
 * look at is read from the store into an EsaCaseContext:
 *
 * - the case's state, and the state before it (the state the latest step
 *   that led to the current one started from; "@previous" goes back there);
 * - dates: the date fields of the case's steps (the latest of each), and for
 *   acts that no step produced (imported or older history) the date of issue
 *   under the first date field of the action that produces that act type,
 *   and the delivery of an injunction, a payment order or a notice under the
 *   field that records it ("notified_on", "served_on", …); the facts
 *   "opened_on" and "imported_on" (the load list's date of receipt);
 * - amounts: the facts "balance" and "claim" from the case's positions
 *   (cancelled and written-off positions left out), and the amount fields of
 *   its steps;
 * - flags: "deceased", "insolvent" and "ceased" from the debtor,
 *   "had_lapsed_plan" and "plan_in_default" from the case's instalment plans
 *   (the latter by the lapse rule of it.instalment.lapse), and the boolean
 *   fields of its steps that carry a flag's id;
 * - users: "imported_by" (who imported the load list) and the user fields
 *   of its steps; the actor is the acting user (esa_store_set_acting_user())
 *   with the role of their account.
 *
 * An auditor can read the actions but run none (ESA_STORE_ERROR_FORBIDDEN). */

/**
 * esa_store_set_procedures:
 * @procedures: (element-type EsaProcedure): the loaded procedures
 * @parameters: the parameter tables and calendars they use
 *
 * The store is given the loaded procedures and parameter tables once (the
 * application and the CLI load them from esa_data_dir()). It keeps a
 * reference to both; a later call replaces them.
 */
void          esa_store_set_procedures     (EsaStore       *self,
                                            GPtrArray      *procedures,
                                            EsaParameters  *parameters);

/**
 * esa_store_get_procedures:
 * @out_parameters: (out) (optional) (transfer none): their parameters
 *
 * What esa_store_set_procedures() gave, for a second store on the same
 * file (a worker thread's) to run the same procedures.
 *
 * Returns: (transfer none) (nullable) (element-type EsaProcedure): the
 *   procedures, NULL when none were given
 */
GPtrArray    *esa_store_get_procedures     (EsaStore       *self,
                                            EsaParameters **out_parameters);

/**
 * esa_store_get_case:
 *
 * Returns: (transfer full): the case, or NULL with ESA_STORE_ERROR_NOT_FOUND
 */
EsaCase      *esa_store_get_case           (EsaStore       *self,
                                            const char     *case_id,
                                            GError        **error);

/**
 * esa_store_get_case_procedure:
 *
 * Returns: (transfer none): the procedure the case follows, owned by the
 *   store's procedures; NULL with ESA_STORE_ERROR_NOT_FOUND for an unknown
 *   case, ESA_STORE_ERROR_INVALID naming the procedure when it is not loaded
 */
EsaProcedure *esa_store_get_case_procedure (EsaStore       *self,
                                            const char     *case_id,
                                            GError        **error);

/**
 * esa_store_case_actions:
 * @today: (nullable): the day to evaluate on; NULL for the current date
 *
 * Every action of the case's procedure that can start from its state,
 * evaluated for the acting user on @today: available ones first, each
 * group in the order of the procedure file. For an auditor every action is
 * blocked, saying why.
 *
 * Returns: (transfer container) (element-type EsaActionStatus): the
 *   statuses, or NULL with ESA_STORE_ERROR_NOT_FOUND for an unknown case,
 *   ESA_STORE_ERROR_INVALID naming the procedure when it is not loaded
 */
GPtrArray    *esa_store_case_actions       (EsaStore       *self,
                                            const char     *case_id,
                                            const GDate    *today,
                                            GError        **error);

/**
 * esa_store_case_do:
 * @on: (nullable): the day the action is dated; NULL for today. Not after
 *   today, and not before the case's latest step.
 * @fields: (nullable) (element-type utf8 utf8): field id → text: dates
 *   "YYYY-MM-DD", amounts "1234.50", counts "12", booleans "true"/"false",
 *   choices by id, user fields by user id, items as a JSON array of objects
 *   (amounts in them as text too). The action's first required date field
 *   may be left out: it is then @on.
 *
 * Runs @action_id on the case. Every guard and field is checked again:
 * ESA_STORE_ERROR_INVALID carries the first blocking guard's sentence, or
 * "field ID: what is wrong" for a field; ESA_STORE_ERROR_FORBIDDEN for an
 * auditor. On success, in one transaction: a case_events row, the case's
 * new state (closed on @on in a final state), the acts the action produces
 * (numbered per act type and year: "ING-2026-000124"), the case's next
 * deadline recomputed (the earliest deadline its standing steps started
 * that falls on or after @on), an audit entry and a "command" outbox
 * operation.
 *
 * Returns: (transfer full): the new event's id, or NULL with @error set
 */
char         *esa_store_case_do            (EsaStore       *self,
                                            const char     *case_id,
                                            const char     *action_id,
                                            const GDate    *on,
                                            GHashTable     *fields,
                                            GError        **error);

/**
 * esa_store_case_undo:
 *
 * Reverts the step @event_id: the case's state, closing date and next
 * deadline as they were before it, and the acts it produced removed. Only
 * while nothing has happened on the case since (no later step stands) and
 * none of its acts has a notification or a document (printed, exported);
 * otherwise ESA_STORE_ERROR_INVALID saying why. The undo is an event of its
 * own, audited and sent to the outbox as a command.
 */
gboolean      esa_store_case_undo          (EsaStore       *self,
                                            const char     *event_id,
                                            GError        **error);

/**
 * esa_store_cases_due:
 * @until_iso: (nullable): "YYYY-MM-DD"; NULL for every open case with a
 *   deadline
 * @limit: at most this many; 0 for no limit
 *
 * Open cases whose next deadline is on or before @until_iso, soonest first
 * (ties by case id).
 *
 * Returns: (transfer container) (element-type EsaCase)
 */
GPtrArray    *esa_store_cases_due          (EsaStore       *self,
                                            const char     *until_iso,
                                            guint           limit,
                                            GError        **error);

G_END_DECLS
