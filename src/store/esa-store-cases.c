/* esa-store-cases.c: the steps of a case's procedure: the case as its
 * guards see it, read from the store; actions checked and recorded with
 * their acts, next deadline, audit entry and outbox operation; undo; the
 * cases due
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "esa-core-error.h"
#include "esa-date.h"
#include "esa-money.h"
#include "esa-roles.h"
#include "esa-rules.h"
#include "esa-store-private.h"
#include "esa-uuid.h"

/* The action name of an undo in case_events and in the audit journal. */
#define UNDO_ACTION "undo"

/* What esa_store_set_procedures() gave the store, kept on it. */
typedef struct
{
  GPtrArray     *procedures;
  EsaParameters *parameters;
} CasesData;

static GQuark
cases_data_quark (void)
{
  return g_quark_from_static_string ("esa-store-cases-data");
}

/* A case as the steps need it. */
typedef struct
{
  char   *id;
  char   *debtor_id;
  char   *body_id;
  char   *procedure_id;
  char   *state;
  char   *opened_on;
  char   *closed_on;
  char   *next_deadline;
  char   *next_deadline_label;
  gint64  version;
  char   *currency;
  char   *deceased_on;
  char   *ceased_on;
  char   *insolvent_since;
} CaseRow;

/* A step of the case that stands (neither undone nor an undo). */
typedef struct
{
  char   *id;
  gint64  seq;
  char   *action;
  char   *occurred_on;
  char   *from_state;
  char   *to_state;
  char   *fields;       /* JSON object text */
} EventRow;

/* The field that records the delivery (or the failed delivery) of an act,
 * for acts whose delivery was recorded as a notification rather than as a
 * step: imported cases and older history. */
static const struct
{
  const char *act_type;
  const char *delivered;
  const char *failed;
} deliveries[] = {
  { "injunction", "notified_on", "delivery_failed_on" },
  { "payment_order", "served_on", NULL },
  { "vehicle_lien_notice", "lien_notice_on", NULL },
  { "mortgage_notice", "mortgage_notice_on", NULL },
};

static void
cases_data_free (gpointer data)
{
  CasesData *cases = data;

  g_clear_pointer (&cases->procedures, g_ptr_array_unref);
  g_clear_object (&cases->parameters);
  g_free (cases);
}

static void
case_row_free (CaseRow *row)
{
  g_free (row->id);
  g_free (row->debtor_id);
  g_free (row->body_id);
  g_free (row->procedure_id);
  g_free (row->state);
  g_free (row->opened_on);
  g_free (row->closed_on);
  g_free (row->next_deadline);
  g_free (row->next_deadline_label);
  g_free (row->currency);
  g_free (row->deceased_on);
  g_free (row->ceased_on);
  g_free (row->insolvent_since);
  g_free (row);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CaseRow, case_row_free)

static void
event_row_free (gpointer data)
{
  EventRow *event = data;

  g_free (event->id);
  g_free (event->action);
  g_free (event->occurred_on);
  g_free (event->from_state);
  g_free (event->to_state);
  g_free (event->fields);
  g_free (event);
}

/* ---- errors ------------------------------------------------------------- */

/* A problem the procedure engine found (a parameter table or a calendar
 * missing, a state the procedure does not know), as a store error naming
 * the procedure. */
static void
propagate_core_error (GError        **error,
                      EsaProcedure   *procedure,
                      GError         *core_error)
{
  /* Translators: "Procedure “it-coercive”: the calendar “it” is needed but not known" */
  g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID, _("Procedure “%s”: %s"),
               esa_procedure_get_id (procedure), core_error->message);
}

/* "field served_on: 2026-02-30 is not a date"; takes @problem. */
static gboolean
field_error (GError     **error,
             const char  *field_id,
             char        *problem)
{
  /* Translators: "field served_on: 2026-02-30 is not a date"; the first %s
   * is the field's id as the procedure file and the CLI's --set name it */
  g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID, _("field %s: %s"), field_id,
               problem);
  g_free (problem);
  return FALSE;
}

/* ---- procedures --------------------------------------------------------- */

void
esa_store_set_procedures (EsaStore      *self,
                          GPtrArray     *procedures,
                          EsaParameters *parameters)
{
  CasesData *cases;

  g_return_if_fail (ESA_IS_STORE (self));
  g_return_if_fail (procedures != NULL);
  g_return_if_fail (ESA_IS_PARAMETERS (parameters));

  cases = g_new0 (CasesData, 1);
  cases->procedures = g_ptr_array_ref (procedures);
  cases->parameters = g_object_ref (parameters);
  g_object_set_qdata_full (G_OBJECT (self), cases_data_quark (), cases, cases_data_free);
}

static CasesData *
get_cases_data (EsaStore *self)
{
  return g_object_get_qdata (G_OBJECT (self), cases_data_quark ());
}

GPtrArray *
esa_store_get_procedures (EsaStore       *self,
                          EsaParameters **out_parameters)
{
  CasesData *cases;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);

  cases = get_cases_data (self);
  if (out_parameters != NULL)
    *out_parameters = cases != NULL ? cases->parameters : NULL;
  return cases != NULL ? cases->procedures : NULL;
}

EsaParameters *
_esa_store_get_parameters (EsaStore *self)
{
  CasesData *cases = get_cases_data (self);

  return cases != NULL ? cases->parameters : NULL;
}

static EsaProcedure *
find_procedure (EsaStore    *self,
                const char  *procedure_id,
                const char  *case_id,
                GError     **error)
{
  CasesData *cases = get_cases_data (self);
  EsaProcedure *procedure = NULL;

  if (cases != NULL)
    procedure = esa_procedure_list_find (cases->procedures, procedure_id);
  if (procedure == NULL)
    {
      _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                       /* Translators: the first %s is a procedure id ("ch-lef"), the second a
                        * case id */
                       _("The procedure “%s” of case %s is not loaded: its actions are "
                         "unavailable"),
                       procedure_id, case_id);
      return NULL;
    }
  return procedure;
}

static EsaParameters *
get_parameters (EsaStore *self)
{
  CasesData *cases = get_cases_data (self);

  return cases != NULL ? cases->parameters : NULL;
}

static const char *
state_label (EsaProcedure *procedure,
             const char   *id)
{
  const EsaState *state = procedure != NULL ? esa_procedure_find_state (procedure, id) : NULL;

  return state != NULL ? esa_procedure_gettext (state->label) : id;
}

static const char *
action_label (EsaProcedure *procedure,
              const char   *id)
{
  const EsaAction *action = procedure != NULL ? esa_procedure_find_action (procedure, id) : NULL;

  return action != NULL ? esa_procedure_gettext (action->label) : id;
}

static gboolean
procedure_has_flag (EsaProcedure *procedure,
                    const char   *flag)
{
  GPtrArray *flags = esa_procedure_get_flags (procedure);

  for (guint i = 0; i < flags->len; i++)
    {
      const EsaChoice *choice = g_ptr_array_index (flags, i);

      if (g_str_equal (choice->id, flag))
        return TRUE;
    }
  return FALSE;
}

/* The first date field of @action: the one that dates it. */
static const EsaField *
dating_field (const EsaAction *action,
              gboolean         required_only)
{
  for (guint i = 0; i < action->fields->len; i++)
    {
      const EsaField *field = g_ptr_array_index (action->fields, i);

      if (field->type == ESA_FIELD_DATE && (field->required || !required_only))
        return field;
    }
  return NULL;
}

/* The field the date of issue of an act of @type is recorded under: the
 * dating field of the first action that produces it. */
static const char *
issue_field (EsaProcedure *procedure,
             const char   *type)
{
  GPtrArray *actions = esa_procedure_get_actions (procedure);

  for (guint i = 0; i < actions->len; i++)
    {
      const EsaAction *action = g_ptr_array_index (actions, i);

      if (action->produces != NULL
          && g_strv_contains ((const char * const *) action->produces, type))
        {
          const EsaField *field = dating_field (action, FALSE);

          return field != NULL ? field->id : NULL;
        }
    }
  return NULL;
}

/* ---- reading the case --------------------------------------------------- */

static CaseRow *
read_case_row (EsaStore    *self,
               const char  *case_id,
               GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  CaseRow *row;
  gboolean found;

  stmt = _esa_store_prepare (self,
                             "SELECT c.id, c.debtor_id, c.body_id, c.procedure_id, c.state, "
                             "  c.opened_on, c.closed_on, c.next_deadline, "
                             "  c.next_deadline_label, c.version, b.currency, d.deceased_on, "
                             "  d.ceased_on, d.insolvent_since "
                             "FROM cases c JOIN bodies b ON b.id = c.body_id "
                             "  JOIN debtors d ON d.id = c.debtor_id "
                             "WHERE c.id = ?1",
                             error);
  if (stmt == NULL)
    return NULL;
  _esa_stmt_bind_text (stmt, 1, case_id);
  if (!_esa_store_step (self, stmt, &found, error))
    return NULL;
  if (!found)
    {
      _esa_store_fail (error, ESA_STORE_ERROR_NOT_FOUND, _("No case with id %s"), case_id);
      return NULL;
    }

  row = g_new0 (CaseRow, 1);
  row->id = _esa_stmt_dup_text (stmt, 0);
  row->debtor_id = _esa_stmt_dup_text (stmt, 1);
  row->body_id = _esa_stmt_dup_text (stmt, 2);
  row->procedure_id = _esa_stmt_dup_text (stmt, 3);
  row->state = _esa_stmt_dup_text (stmt, 4);
  row->opened_on = _esa_stmt_dup_text (stmt, 5);
  row->closed_on = _esa_stmt_dup_text (stmt, 6);
  row->next_deadline = _esa_stmt_dup_text (stmt, 7);
  row->next_deadline_label = _esa_stmt_dup_text (stmt, 8);
  row->version = sqlite3_column_int64 (stmt, 9);
  row->currency = _esa_stmt_dup_text (stmt, 10);
  row->deceased_on = _esa_stmt_dup_text (stmt, 11);
  row->ceased_on = _esa_stmt_dup_text (stmt, 12);
  row->insolvent_since = _esa_stmt_dup_text (stmt, 13);
  return row;
}

/* The steps of the case that stand, in order. */
static GPtrArray *
read_standing_events (EsaStore    *self,
                      const char  *case_id,
                      GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (event_row_free);
  gboolean row;

  stmt = _esa_store_prepare (self,
                             "SELECT id, seq, action, occurred_on, from_state, to_state, fields "
                             "FROM case_events "
                             "WHERE case_id = ?1 AND undone_by IS NULL AND action <> 'undo' "
                             "ORDER BY seq",
                             error);
  if (stmt == NULL)
    return NULL;
  _esa_stmt_bind_text (stmt, 1, case_id);
  for (;;)
    {
      EventRow *event;

      if (!_esa_store_step (self, stmt, &row, error))
        return NULL;
      if (!row)
        break;

      event = g_new0 (EventRow, 1);
      event->id = _esa_stmt_dup_text (stmt, 0);
      event->seq = sqlite3_column_int64 (stmt, 1);
      event->action = _esa_stmt_dup_text (stmt, 2);
      event->occurred_on = _esa_stmt_dup_text (stmt, 3);
      event->from_state = _esa_stmt_dup_text (stmt, 4);
      event->to_state = _esa_stmt_dup_text (stmt, 5);
      event->fields = _esa_stmt_dup_text (stmt, 6);
      g_ptr_array_add (events, event);
    }
  return g_steal_pointer (&events);
}

/* The acting user and the role of their account; no user is the system,
 * with no role. */
static gboolean
read_actor (EsaStore    *self,
            char       **out_role,
            GError     **error)
{
  const char *user_id = esa_store_get_acting_user (self);
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row;

  *out_role = NULL;
  if (user_id == NULL)
    return TRUE;

  stmt = _esa_store_prepare (self, "SELECT role FROM users WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, user_id);
  if (!_esa_store_step (self, stmt, &row, error))
    return FALSE;
  if (!row)
    return _esa_store_fail (error, ESA_STORE_ERROR_FORBIDDEN,
                            _("User %s is not known in this database"),
                            user_id);

  *out_role = _esa_stmt_dup_text (stmt, 0);
  return TRUE;
}

/* Records @iso under @field unless a later date is recorded there. */
static void
record_date (EsaCaseContext *context,
             const char     *field,
             const char     *iso)
{
  const GDate *known;
  GDate date;

  if (field == NULL || iso == NULL || !esa_date_parse_iso (iso, &date, NULL))
    return;
  known = esa_case_context_get_date (context, field);
  if (known == NULL || g_date_compare (&date, known) > 0)
    esa_case_context_set_date (context, field, &date);
}

/* What a step's fields tell the guards: dates, amounts, users and flags. */
static void
apply_fields (EsaProcedure   *procedure,
              EsaCaseContext *context,
              JsonObject     *fields)
{
  g_autoptr(GList) members = json_object_get_members (fields);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *id = l->data;
      const EsaField *field = esa_procedure_find_field (procedure, id);
      JsonNode *value = json_object_get_member (fields, id);

      if (field == NULL || !JSON_NODE_HOLDS_VALUE (value))
        continue;

      switch (field->type)
        {
        case ESA_FIELD_DATE:
          if (json_node_get_value_type (value) == G_TYPE_STRING)
            record_date (context, id, json_node_get_string (value));
          break;
        case ESA_FIELD_AMOUNT:
          if (json_node_get_value_type (value) == G_TYPE_INT64)
            esa_case_context_set_amount (context, id, json_node_get_int (value));
          break;
        case ESA_FIELD_USER:
          if (json_node_get_value_type (value) == G_TYPE_STRING)
            esa_case_context_set_user (context, id, json_node_get_string (value));
          break;
        case ESA_FIELD_BOOL:
          if (json_node_get_value_type (value) == G_TYPE_BOOLEAN
              && procedure_has_flag (procedure, id))
            esa_case_context_set_flag (context, id, json_node_get_boolean (value));
          break;
        case ESA_FIELD_COUNT:
        case ESA_FIELD_TEXT:
        case ESA_FIELD_CHOICE:
        case ESA_FIELD_ITEMS:
        default:
          break;
        }
    }
}

static JsonObject *
parse_fields_text (const char *text)
{
  g_autoptr(JsonNode) node = text != NULL ? json_from_string (text, NULL) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_ref (json_node_get_object (node));
}

static gboolean
read_amounts (EsaStore        *self,
              EsaProcedure    *procedure,
              EsaCaseContext  *context,
              const char      *case_id,
              GError         **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row;
  gint64 claim, balance;

  stmt = _esa_store_prepare (self,
                             "SELECT coalesce(sum(p.principal + p.sanctions + p.interest "
                             "    + p.costs), 0), "
                             "  coalesce(sum(p.principal + p.sanctions + p.interest + p.costs "
                             "    - p.paid), 0) "
                             "FROM case_positions cp JOIN positions p ON p.id = cp.position_id "
                             "WHERE cp.case_id = ?1 "
                             "  AND p.state NOT IN ('cancelled', 'written_off')",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, case_id);
  if (!_esa_store_step (self, stmt, &row, error))
    return FALSE;
  claim = sqlite3_column_int64 (stmt, 0);
  balance = sqlite3_column_int64 (stmt, 1);

  esa_case_context_set_amount (context, "balance", balance);
  if (esa_procedure_find_field (procedure, "claim") != NULL)
    esa_case_context_set_amount (context, "claim", claim);
  return TRUE;
}

/* The load list the case's positions came from: who imported it, when it
 * was received. */
static gboolean
read_load_list (EsaStore        *self,
                EsaCaseContext  *context,
                const char      *case_id,
                GError         **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row;

  stmt = _esa_store_prepare (self,
                             "SELECT l.imported_by, l.received_on "
                             "FROM case_positions cp JOIN positions p ON p.id = cp.position_id "
                             "  JOIN load_lists l ON l.id = p.load_list_id "
                             "WHERE cp.case_id = ?1 "
                             "ORDER BY l.received_on DESC LIMIT 1",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, case_id);
  if (!_esa_store_step (self, stmt, &row, error))
    return FALSE;
  if (row)
    {
      const char *imported_by = (const char *) sqlite3_column_text (stmt, 0);

      if (imported_by != NULL)
        esa_case_context_set_user (context, "imported_by", imported_by);
      record_date (context, "imported_on", (const char *) sqlite3_column_text (stmt, 1));
    }
  return TRUE;
}

static gboolean
read_plans (EsaStore        *self,
            EsaProcedure    *procedure,
            EsaCaseContext  *context,
            const char      *case_id,
            GError         **error)
{
  EsaParameters *params = get_parameters (self);
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autoptr(GArray) missed = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *today = NULL;
  gboolean lapsed = FALSE;
  gboolean row;

  if (procedure_has_flag (procedure, "had_lapsed_plan"))
    {
      stmt = _esa_store_prepare (self,
                                 "SELECT 1 FROM instalment_plans "
                                 "WHERE case_id = ?1 AND state = 'lapsed'",
                                 error);
      if (stmt == NULL)
        return FALSE;
      _esa_stmt_bind_text (stmt, 1, case_id);
      if (!_esa_store_step (self, stmt, &row, error))
        return FALSE;
      if (row)
        esa_case_context_set_flag (context, "had_lapsed_plan", TRUE);
      g_clear_pointer (&stmt, _esa_store_stmt_release);
    }

  /* Whether the instalments missed so far make the plan lapse is the rule
   * of the parameter table, not of this code. */
  if (!procedure_has_flag (procedure, "plan_in_default") || params == NULL
      || !esa_parameters_has_table (params, "it.instalment.lapse"))
    return TRUE;

  today = esa_date_to_iso (esa_case_context_get_today (context));
  stmt = _esa_store_prepare (self,
                             "SELECT i.due_on FROM instalments i "
                             "  JOIN instalment_plans p ON p.id = i.plan_id "
                             "WHERE p.case_id = ?1 AND p.state = 'active' AND i.paid < i.amount "
                             "  AND i.due_on < ?2",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, case_id);
  _esa_stmt_bind_text (stmt, 2, today);
  missed = g_array_new (FALSE, FALSE, sizeof (GDate));
  for (;;)
    {
      GDate due;

      if (!_esa_store_step (self, stmt, &row, error))
        return FALSE;
      if (!row)
        break;
      if (esa_date_parse_iso ((const char *) sqlite3_column_text (stmt, 0), &due, NULL))
        g_array_append_val (missed, due);
    }
  g_clear_pointer (&stmt, _esa_store_stmt_release);

  if (missed->len == 0)
    return TRUE;
  if (!esa_rules_it_plan_lapsed (params, (const GDate *) (gpointer) missed->data, missed->len,
                                 esa_case_context_get_today (context),
                                 esa_case_context_get_body (context), &lapsed, &local_error))
    {
      propagate_core_error (error, procedure, local_error);
      return FALSE;
    }
  esa_case_context_set_flag (context, "plan_in_default", lapsed);
  return TRUE;
}

/* The dates of acts that no step produced, and of the deliveries of every
 * act of the case. */
static gboolean
read_acts (EsaStore        *self,
           EsaProcedure    *procedure,
           EsaCaseContext  *context,
           const char      *case_id,
           GError         **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row;

  stmt = _esa_store_prepare (self,
                             "SELECT a.type, a.issued_on, n.state, n.delivered_on, n.failed_on, "
                             "  EXISTS (SELECT 1 FROM case_event_acts WHERE act_id = a.id) "
                             "FROM acts a LEFT JOIN notifications n ON n.id = "
                             "  (SELECT id FROM notifications WHERE act_id = a.id "
                             "     ORDER BY attempt DESC LIMIT 1) "
                             "WHERE a.case_id = ?1",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, case_id);
  for (;;)
    {
      const char *type;
      const char *state;

      if (!_esa_store_step (self, stmt, &row, error))
        return FALSE;
      if (!row)
        break;

      type = (const char *) sqlite3_column_text (stmt, 0);
      state = (const char *) sqlite3_column_text (stmt, 2);
      if (sqlite3_column_int (stmt, 5) == 0)
        record_date (context, issue_field (procedure, type),
                     (const char *) sqlite3_column_text (stmt, 1));

      for (guint i = 0; i < G_N_ELEMENTS (deliveries); i++)
        {
          const char *field = NULL;
          int column = 0;

          if (!g_str_equal (deliveries[i].act_type, type))
            continue;
          if (g_strcmp0 (state, "delivered") == 0)
            {
              field = deliveries[i].delivered;
              column = 3;
            }
          else if (g_strcmp0 (state, "failed") == 0)
            {
              field = deliveries[i].failed;
              column = 4;
            }
          if (field != NULL && esa_procedure_find_field (procedure, field) != NULL)
            record_date (context, field, (const char *) sqlite3_column_text (stmt, column));
        }
    }
  return TRUE;
}

/**
 * build_context:
 * @today: the day guards are evaluated on
 * @events: the standing steps of the case (from read_standing_events())
 *
 * The case as the procedure's guards see it.
 */
static EsaCaseContext *
build_context (EsaStore      *self,
               EsaProcedure  *procedure,
               const CaseRow *row,
               GPtrArray     *events,
               const char    *role,
               const GDate   *today,
               GError       **error)
{
  g_autoptr(EsaCaseContext) context = esa_case_context_new (get_parameters (self));
  const char *roles[] = { role, NULL };
  const char *previous = NULL;
  const char *changed_to = NULL;

  esa_case_context_set_state (context, row->state);
  esa_case_context_set_today (context, today);
  esa_case_context_set_body (context, row->body_id);
  esa_case_context_set_currency (context, row->currency);
  record_date (context, "opened_on", row->opened_on);

  esa_case_context_set_flag (context, "deceased", row->deceased_on != NULL);
  esa_case_context_set_flag (context, "insolvent", row->insolvent_since != NULL);
  esa_case_context_set_flag (context, "ceased", row->ceased_on != NULL);

  if (!read_amounts (self, procedure, context, row->id, error)
      || !read_load_list (self, context, row->id, error)
      || !read_plans (self, procedure, context, row->id, error)
      || !read_acts (self, procedure, context, row->id, error))
    return NULL;

  for (guint i = 0; i < events->len; i++)
    {
      const EventRow *event = g_ptr_array_index (events, i);
      g_autoptr(JsonObject) fields = parse_fields_text (event->fields);

      if (fields != NULL)
        apply_fields (procedure, context, fields);
      if (!g_str_equal (event->from_state, event->to_state))
        {
          previous = event->from_state;
          changed_to = event->to_state;
        }
    }
  /* The state before is known when the last change of state was a step;
   * a state set otherwise (an import) has no known predecessor. */
  if (changed_to != NULL && g_str_equal (changed_to, row->state))
    esa_case_context_set_previous_state (context, previous);

  esa_case_context_set_actor (context, esa_store_get_acting_user (self),
                              role != NULL ? roles : NULL);

  return g_steal_pointer (&context);
}

/* ---- fields ------------------------------------------------------------- */

static char *
choice_list (GPtrArray *choices)
{
  g_autoptr(GString) list = g_string_new (NULL);

  for (guint i = 0; i < choices->len; i++)
    {
      const EsaChoice *choice = g_ptr_array_index (choices, i);

      if (i > 0)
        g_string_append (list, ", ");
      g_string_append (list, choice->id);
    }
  return g_string_free (g_steal_pointer (&list), FALSE);
}

static JsonNode *parse_field (EsaStore        *self,
                              const EsaField  *field,
                              const char      *text,
                              char           **out_problem);

/* One item of an items field: an object whose members are the item's
 * fields, each as text (a number or a boolean is read as its text). */
static JsonNode *
parse_item (EsaStore        *self,
            const EsaField  *field,
            JsonNode        *element,
            char           **out_problem)
{
  g_autoptr(JsonObject) item = json_object_new ();
  g_autoptr(GList) members = NULL;
  JsonObject *object;
  JsonNode *node;

  if (!JSON_NODE_HOLDS_OBJECT (element))
    {
      *out_problem = g_strdup (_("is not an object"));
      return NULL;
    }
  object = json_node_get_object (element);

  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      gboolean known = FALSE;

      for (guint i = 0; i < field->items->len && !known; i++)
        known = g_str_equal (((const EsaField *) g_ptr_array_index (field->items, i))->id,
                             l->data);
      if (!known)
        {
          *out_problem = g_strdup_printf (_("%s: an item has no such field"),
                                          (const char *) l->data);
          return NULL;
        }
    }

  for (guint i = 0; i < field->items->len; i++)
    {
      const EsaField *sub = g_ptr_array_index (field->items, i);
      JsonNode *member = json_object_get_member (object, sub->id);
      g_autofree char *text = NULL;
      g_autofree char *problem = NULL;

      if (member != NULL && JSON_NODE_HOLDS_VALUE (member))
        {
          GType type = json_node_get_value_type (member);

          if (type == G_TYPE_STRING)
            text = g_strdup (json_node_get_string (member));
          else if (type == G_TYPE_INT64)
            text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (member));
          else if (type == G_TYPE_BOOLEAN)
            text = g_strdup (json_node_get_boolean (member) ? "true" : "false");
        }
      else if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
        {
          *out_problem = g_strdup_printf (_("%s: must be a text, a whole number or true or "
                                            "false"),
                                          sub->id);
          return NULL;
        }

      if (_esa_store_is_blank (text))
        {
          if (sub->required)
            {
              *out_problem = g_strdup_printf (_("%s: “%s” is required"), sub->id,
                                              esa_procedure_gettext (sub->label));
              return NULL;
            }
          continue;
        }

      node = parse_field (self, sub, text, &problem);
      if (node == NULL)
        {
          /* Translators: "estimated_value: 12,50 is not an amount" */
          *out_problem = g_strdup_printf (_("%s: %s"), sub->id, problem);
          return NULL;
        }
      json_object_set_member (item, sub->id, node);
    }

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, item);
  return node;
}

static JsonNode *
parse_items (EsaStore        *self,
             const EsaField  *field,
             const char      *text,
             char           **out_problem)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = json_from_string (text, &local_error);
  g_autoptr(JsonArray) items = json_array_new ();
  JsonArray *array;
  JsonNode *node;

  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      *out_problem = g_strdup_printf (_("not a JSON array of items (%s)"),
                                      local_error != NULL ? local_error->message
                                                          : _("another JSON value"));
      return NULL;
    }
  array = json_node_get_array (root);
  if (json_array_get_length (array) == 0 && field->required)
    {
      *out_problem = g_strdup_printf (_("“%s” needs at least one item"),
                                      esa_procedure_gettext (field->label));
      return NULL;
    }

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *problem = NULL;
      JsonNode *item = parse_item (self, field, json_array_get_element (array, i), &problem);

      if (item == NULL)
        {
          /* Translators: "item 2: estimated_value: 12,50 is not an amount" */
          *out_problem = g_strdup_printf (_("item %u: %s"), i + 1, problem);
          return NULL;
        }
      json_array_add_element (items, item);
    }

  node = json_node_new (JSON_NODE_ARRAY);
  json_node_set_array (node, items);
  return node;
}

static gboolean
user_exists (EsaStore   *self,
             const char *user_id)
{
  g_autoptr(EsaStoreStmt) stmt = _esa_store_prepare (self, "SELECT 1 FROM users WHERE id = ?1",
                                                     NULL);
  gboolean row = FALSE;

  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, user_id);
  return _esa_store_step (self, stmt, &row, NULL) && row;
}

/* @text (not blank) as the stored value of @field, or NULL with
 * *@out_problem saying what is wrong. */
static JsonNode *
parse_field (EsaStore        *self,
             const EsaField  *field,
             const char      *text,
             char           **out_problem)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *trimmed = g_strstrip (g_strdup (text));
  JsonNode *node = json_node_new (JSON_NODE_VALUE);
  GDate date;
  gint64 minor;
  guint64 count;

  switch (field->type)
    {
    case ESA_FIELD_DATE:
      if (!esa_date_parse_iso (trimmed, &date, &local_error))
        break;
      {
        g_autofree char *iso = esa_date_to_iso (&date);

        json_node_set_string (node, iso);
      }
      return node;

    case ESA_FIELD_AMOUNT:
      if (!esa_money_parse (trimmed, &minor, &local_error))
        break;
      if (minor < 0)
        {
          json_node_unref (node);
          *out_problem = g_strdup_printf (_("an amount must not be negative (%s)"), trimmed);
          return NULL;
        }
      json_node_set_int (node, minor);
      return node;

    case ESA_FIELD_COUNT:
      if (!g_ascii_string_to_unsigned (trimmed, 10, 0, G_MAXINT32, &count, NULL))
        {
          json_node_unref (node);
          *out_problem = g_strdup_printf (_("“%s” is not a whole number"), trimmed);
          return NULL;
        }
      json_node_set_int (node, (gint64) count);
      return node;

    case ESA_FIELD_TEXT:
      json_node_set_string (node, trimmed);
      return node;

    case ESA_FIELD_CHOICE:
      for (guint i = 0; i < field->choices->len; i++)
        {
          const EsaChoice *choice = g_ptr_array_index (field->choices, i);

          if (g_str_equal (choice->id, trimmed))
            {
              json_node_set_string (node, trimmed);
              return node;
            }
        }
      json_node_unref (node);
      {
        g_autofree char *list = choice_list (field->choices);

        /* Translators: "“fax” is not one of: registered_post, pec, messenger" */
        *out_problem = g_strdup_printf (_("“%s” is not one of: %s"), trimmed, list);
      }
      return NULL;

    case ESA_FIELD_BOOL:
      if (g_str_equal (trimmed, "true") || g_str_equal (trimmed, "false"))
        {
          json_node_set_boolean (node, g_str_equal (trimmed, "true"));
          return node;
        }
      json_node_unref (node);
      *out_problem = g_strdup_printf (_("“%s” is neither true nor false"), trimmed);
      return NULL;

    case ESA_FIELD_USER:
      if (user_exists (self, trimmed))
        {
          json_node_set_string (node, trimmed);
          return node;
        }
      json_node_unref (node);
      *out_problem = g_strdup_printf (_("No user with id %s"), trimmed);
      return NULL;

    case ESA_FIELD_ITEMS:
      json_node_unref (node);
      return parse_items (self, field, trimmed, out_problem);

    default:
      g_assert_not_reached ();
    }

  json_node_unref (node);
  *out_problem = g_strdup (local_error->message);
  return NULL;
}

static gboolean
action_has_field (const EsaAction *action,
                  const char      *id)
{
  for (guint i = 0; i < action->fields->len; i++)
    {
      if (g_str_equal (((const EsaField *) g_ptr_array_index (action->fields, i))->id, id))
        return TRUE;
    }
  return FALSE;
}

static char *
field_list (const EsaAction *action)
{
  g_autoptr(GString) list = g_string_new (NULL);

  for (guint i = 0; i < action->fields->len; i++)
    {
      if (i > 0)
        g_string_append (list, ", ");
      g_string_append (list, ((const EsaField *) g_ptr_array_index (action->fields, i))->id);
    }
  return g_string_free (g_steal_pointer (&list), FALSE);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The fields of @action from @given, checked and in their stored form. */
static JsonObject *
parse_fields (EsaStore         *self,
              const EsaAction  *action,
              GHashTable       *given,
              const GDate      *on,
              GError          **error)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  const EsaField *dating = dating_field (action, TRUE);

  if (given != NULL)
    {
      g_autofree gpointer *keys = g_hash_table_get_keys_as_array (given, NULL);
      guint n = g_hash_table_size (given);

      /* The same mistake is reported the same way every time. */
      qsort (keys, n, sizeof (gpointer), compare_strings);
      for (guint i = 0; i < n; i++)
        {
          if (!action_has_field (action, keys[i]))
            {
              g_autofree char *list = field_list (action);

              if (action->fields->len == 0)
                field_error (error, keys[i],
                             g_strdup_printf (_("the action “%s” asks for no fields"),
                                              action->id));
              else
                field_error (error, keys[i],
                             /* Translators: the second %s lists field ids */
                             g_strdup_printf (_("the action “%s” has no such field (it asks "
                                                "for %s)"),
                                              action->id, list));
              return NULL;
            }
        }
    }

  for (guint i = 0; i < action->fields->len; i++)
    {
      const EsaField *field = g_ptr_array_index (action->fields, i);
      const char *text = given != NULL ? g_hash_table_lookup (given, field->id) : NULL;
      g_autofree char *on_iso = NULL;
      char *problem = NULL;
      JsonNode *node;

      if (_esa_store_is_blank (text))
        {
          if (field == dating)
            {
              text = on_iso = esa_date_to_iso (on);
            }
          else if (field->required)
            {
              field_error (error, field->id,
                           g_strdup_printf (_("“%s” is required"),
                                            esa_procedure_gettext (field->label)));
              return NULL;
            }
          else
            {
              continue;
            }
        }

      node = parse_field (self, field, text, &problem);
      if (node == NULL)
        {
          field_error (error, field->id, problem);
          return NULL;
        }
      json_object_set_member (fields, field->id, node);
    }

  return g_steal_pointer (&fields);
}

/* ---- act numbers -------------------------------------------------------- */

/* The prefix of @type's act numbers: the parameter table
 * "<jurisdiction>.act_number.<type>" for the body on @on. An act type
 * without one still gets numbers, under its id in capitals. */
static char *
act_number_prefix (EsaProcedure  *procedure,
                   EsaParameters *params,
                   const char    *type,
                   const GDate   *on,
                   const char    *body_id)
{
  g_autofree char *jurisdiction = g_ascii_strdown (esa_procedure_get_jurisdiction (procedure),
                                                   -1);
  g_autofree char *table = g_strdup_printf ("%s.act_number.%s", jurisdiction, type);
  const char *prefix = NULL;

  if (params != NULL && esa_parameters_has_table (params, table))
    prefix = esa_parameters_get_text (params, table, on, body_id, NULL);
  return prefix != NULL ? g_strdup (prefix) : g_ascii_strup (type, -1);
}

/* "ING-2026-000124" is number 124 of the series "ING-2026". */
static gboolean
split_act_number (const char  *number,
                  char       **out_series,
                  guint64     *out_n)
{
  const char *dash = number != NULL ? strrchr (number, '-') : NULL;

  if (dash == NULL || !g_ascii_string_to_unsigned (dash + 1, 10, 0, G_MAXUINT32, out_n, NULL))
    return FALSE;
  if (out_series != NULL)
    *out_series = g_strndup (number, (gsize) (dash - number));
  return TRUE;
}

/* The next number of the series of @prefix and @on's year: one more than
 * the counter and than every act already numbered in the series (acts of
 * imports and of older history count too). */
static char *
allocate_act_number (EsaStore     *self,
                     const char   *prefix,
                     const GDate  *on,
                     GError      **error)
{
  g_autofree char *series = g_strdup_printf ("%s-%04u", prefix, (guint) g_date_get_year (on));
  g_autofree char *low = g_strconcat (series, "-", NULL);
  g_autofree char *high = g_strconcat (series, ".", NULL);
  g_autoptr(EsaStoreStmt) stmt = NULL;
  guint64 last = 0;
  gboolean row;

  stmt = _esa_store_prepare (self, "SELECT last FROM act_counters WHERE series = ?1", error);
  if (stmt == NULL)
    return NULL;
  _esa_stmt_bind_text (stmt, 1, series);
  if (!_esa_store_step (self, stmt, &row, error))
    return NULL;
  if (row)
    last = (guint64) sqlite3_column_int64 (stmt, 0);
  g_clear_pointer (&stmt, _esa_store_stmt_release);

  /* '.' follows '-': the range holds exactly the numbers of the series,
   * and the unique index on acts.number walks it from the top. */
  stmt = _esa_store_prepare (self,
                             "SELECT number FROM acts WHERE number > ?1 AND number < ?2 "
                             "ORDER BY number DESC",
                             error);
  if (stmt == NULL)
    return NULL;
  _esa_stmt_bind_text (stmt, 1, low);
  _esa_stmt_bind_text (stmt, 2, high);
  for (;;)
    {
      guint64 n;

      if (!_esa_store_step (self, stmt, &row, error))
        return NULL;
      if (!row)
        break;
      if (g_str_has_prefix ((const char *) sqlite3_column_text (stmt, 0), low)
          && split_act_number ((const char *) sqlite3_column_text (stmt, 0), NULL, &n))
        {
          last = MAX (last, n);
          break;
        }
    }
  g_clear_pointer (&stmt, _esa_store_stmt_release);

  last++;
  stmt = _esa_store_prepare (self,
                             "INSERT INTO act_counters (series, last) VALUES (?1, ?2) "
                             "ON CONFLICT (series) DO UPDATE SET last = excluded.last",
                             error);
  if (stmt == NULL)
    return NULL;
  _esa_stmt_bind_text (stmt, 1, series);
  sqlite3_bind_int64 (stmt, 2, (gint64) last);
  if (!_esa_store_step_done (self, stmt, error))
    return NULL;

  return g_strdup_printf ("%s-%06" G_GUINT64_FORMAT, series, last);
}

/* An undone act gives its number back when it is the last of its series,
 * so that numbers stay without gaps; an earlier one leaves a gap rather
 * than a number given twice. */
static gboolean
release_act_number (EsaStore    *self,
                    const char  *number,
                    GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autofree char *series = NULL;
  guint64 n;

  if (!split_act_number (number, &series, &n))
    return TRUE;

  stmt = _esa_store_prepare (self,
                             "UPDATE act_counters SET last = last - 1 "
                             "WHERE series = ?1 AND last = ?2",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, series);
  sqlite3_bind_int64 (stmt, 2, (gint64) n);
  return _esa_store_step_done (self, stmt, error);
}

/* ---- next deadline ------------------------------------------------------ */

/* The earliest deadline the standing steps started that falls on or after
 * @on; a deadline started again counts from its latest start. */
static gboolean
compute_next_deadline (EsaProcedure    *procedure,
                       EsaCaseContext  *context,
                       GPtrArray       *events,
                       const GDate     *on,
                       char           **out_date,
                       char           **out_label,
                       GError         **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  const EsaDeadline *best_deadline = NULL;
  GDate best;

  g_date_clear (&best, 1);
  for (guint i = 0; i < events->len; i++)
    {
      const EventRow *event = g_ptr_array_index (events, i);
      const EsaAction *action = esa_procedure_find_action (procedure, event->action);

      if (action == NULL)
        continue;
      for (guint j = 0; j < action->starts->len; j++)
        {
          const EsaDeadline *deadline = g_ptr_array_index (action->starts, j);
          g_autoptr(GError) local_error = NULL;
          GDate due;

          if (!g_hash_table_add (seen, deadline->id))
            continue;
          if (!esa_procedure_deadline_due (procedure, deadline, context, &due, &local_error))
            {
              propagate_core_error (error, procedure, local_error);
              return FALSE;
            }
          if (g_date_compare (&due, on) < 0)
            continue;
          if (best_deadline == NULL || g_date_compare (&due, &best) < 0)
            {
              best = due;
              best_deadline = deadline;
            }
        }
    }

  *out_date = best_deadline != NULL ? esa_date_to_iso (&best) : NULL;
  *out_label = best_deadline != NULL ? g_strdup (best_deadline->label)
                                     : NULL;
  return TRUE;
}

/* ---- recording ---------------------------------------------------------- */

static gint64
next_event_seq (EsaStore    *self,
                const char  *case_id,
                GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row;

  stmt = _esa_store_prepare (self,
                             "SELECT coalesce(max(seq), 0) + 1 FROM case_events "
                             "WHERE case_id = ?1",
                             error);
  if (stmt == NULL)
    return -1;
  _esa_stmt_bind_text (stmt, 1, case_id);
  if (!_esa_store_step (self, stmt, &row, error))
    return -1;
  return sqlite3_column_int64 (stmt, 0);
}

typedef struct
{
  const char *id;
  const char *case_id;
  gint64      seq;
  const char *action;
  const char *occurred_on;
  const char *user_id;
  const char *from_state;
  const char *to_state;
  JsonObject *fields;
} NewEvent;

static gboolean
insert_event (EsaStore       *self,
              const NewEvent *event,
              const CaseRow  *before,
              GError        **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *fields = NULL;
  g_autofree char *now = _esa_store_now_iso ();

  json_node_set_object (node, event->fields);
  fields = json_to_string (node, FALSE);

  stmt = _esa_store_prepare (self,
                             "INSERT INTO case_events (id, case_id, seq, action, occurred_on, "
                             "  recorded_at, user_id, from_state, to_state, fields, "
                             "  before_closed_on, before_deadline, before_deadline_label) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, event->id);
  _esa_stmt_bind_text (stmt, 2, event->case_id);
  sqlite3_bind_int64 (stmt, 3, event->seq);
  _esa_stmt_bind_text (stmt, 4, event->action);
  _esa_stmt_bind_text (stmt, 5, event->occurred_on);
  _esa_stmt_bind_text (stmt, 6, now);
  _esa_stmt_bind_text (stmt, 7, event->user_id);
  _esa_stmt_bind_text (stmt, 8, event->from_state);
  _esa_stmt_bind_text (stmt, 9, event->to_state);
  _esa_stmt_bind_text (stmt, 10, fields);
  _esa_stmt_bind_text (stmt, 11, before->closed_on);
  _esa_stmt_bind_text (stmt, 12, before->next_deadline);
  _esa_stmt_bind_text (stmt, 13, before->next_deadline_label);
  return _esa_store_step_done (self, stmt, error);
}

static JsonNode *
event_to_json (const NewEvent *event)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) fields = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (fields, event->fields);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, event->id);
  json_builder_set_member_name (builder, "case_id");
  json_builder_add_string_value (builder, event->case_id);
  json_builder_set_member_name (builder, "seq");
  json_builder_add_int_value (builder, event->seq);
  json_builder_set_member_name (builder, "action");
  json_builder_add_string_value (builder, event->action);
  json_builder_set_member_name (builder, "occurred_on");
  json_builder_add_string_value (builder, event->occurred_on);
  json_builder_set_member_name (builder, "user_id");
  if (event->user_id != NULL)
    json_builder_add_string_value (builder, event->user_id);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "from_state");
  json_builder_add_string_value (builder, event->from_state);
  json_builder_set_member_name (builder, "to_state");
  json_builder_add_string_value (builder, event->to_state);
  json_builder_set_member_name (builder, "fields");
  json_builder_add_value (builder, json_node_copy (fields));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
add_nullable_string (JsonBuilder *builder,
                     const char  *name,
                     const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* The case as the step leaves it, for the outbox payload. */
static void
add_case_after (JsonBuilder *builder,
                const char  *state,
                const char  *closed_on,
                const char  *next_deadline,
                const char  *next_deadline_label)
{
  json_builder_set_member_name (builder, "case");
  json_builder_begin_object (builder);
  add_nullable_string (builder, "state", state);
  add_nullable_string (builder, "closed_on", closed_on);
  add_nullable_string (builder, "next_deadline", next_deadline);
  add_nullable_string (builder, "next_deadline_label", next_deadline_label);
  json_builder_end_object (builder);
}

static gboolean
update_case (EsaStore    *self,
             const char  *case_id,
             const char  *state,
             const char  *closed_on,
             const char  *next_deadline,
             const char  *next_deadline_label,
             GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;

  stmt = _esa_store_prepare (self,
                             "UPDATE cases SET state = ?2, closed_on = ?3, next_deadline = ?4, "
                             "  next_deadline_label = ?5, version = version + 1 "
                             "WHERE id = ?1",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, case_id);
  _esa_stmt_bind_text (stmt, 2, state);
  _esa_stmt_bind_text (stmt, 3, closed_on);
  _esa_stmt_bind_text (stmt, 4, next_deadline);
  _esa_stmt_bind_text (stmt, 5, next_deadline_label);
  return _esa_store_step_done (self, stmt, error);
}

static gboolean
insert_act (EsaStore       *self,
            const CaseRow  *row,
            const char     *event_id,
            const char     *type,
            const char     *number,
            const char     *issued_on,
            gint64          amount,
            char          **out_id,
            GError        **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autofree char *id = esa_uuid_new ();

  stmt = _esa_store_prepare (self,
                             "INSERT INTO acts (id, case_id, debtor_id, type, number, issued_on, "
                             "issued_by, amount) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, id);
  _esa_stmt_bind_text (stmt, 2, row->id);
  _esa_stmt_bind_text (stmt, 3, row->debtor_id);
  _esa_stmt_bind_text (stmt, 4, type);
  _esa_stmt_bind_text (stmt, 5, number);
  _esa_stmt_bind_text (stmt, 6, issued_on);
  _esa_stmt_bind_text (stmt, 7, esa_store_get_acting_user (self));
  sqlite3_bind_int64 (stmt, 8, MAX (amount, 0));
  if (!_esa_store_step_done (self, stmt, error))
    return FALSE;
  g_clear_pointer (&stmt, _esa_store_stmt_release);

  stmt = _esa_store_prepare (self,
                             "INSERT INTO case_event_acts (event_id, act_id) VALUES (?1, ?2)",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, event_id);
  _esa_stmt_bind_text (stmt, 2, id);
  if (!_esa_store_step_done (self, stmt, error))
    return FALSE;

  *out_id = g_steal_pointer (&id);
  return TRUE;
}

static char *
join_strings (GPtrArray *strings)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < strings->len; i++)
    {
      if (i > 0)
        g_string_append (text, ", ");
      g_string_append (text, g_ptr_array_index (strings, i));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
step_summary (EsaProcedure *procedure,
              const char   *action_id,
              const char   *on_iso,
              const char   *from_state,
              const char   *to_state,
              GPtrArray    *numbers)
{
  g_autofree char *base = NULL;
  g_autofree char *list = NULL;

  if (!g_str_equal (from_state, to_state))
    base = g_strdup_printf (/* Translators: "Record the service, dated 2026-03-02: from
                             * “Payment order issued” to “Payment order served”" */
                            _("%s, dated %s: from “%s” to “%s”"),
                            action_label (procedure, action_id), on_iso,
                            state_label (procedure, from_state), state_label (procedure, to_state));
  else
    base = g_strdup_printf (/* Translators: "Record a delivery attempt, dated 2026-03-02" */
                            _("%s, dated %s"), action_label (procedure, action_id), on_iso);

  if (numbers->len == 0)
    return g_steal_pointer (&base);

  list = join_strings (numbers);
  /* Translators: the first %s is the rest of the summary, the second the
   * numbers of the acts the step issued */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s; act %s", "%s; acts %s",
                                       numbers->len),
                          base, list);
}

/* ---- running an action -------------------------------------------------- */

typedef struct
{
  const char  *case_id;
  const char  *action_id;
  const GDate *on;
  GHashTable  *fields;
} DoRequest;

/* The day the step is dated: as asked, else the date its dating field
 * gives, else today. */
static gboolean
resolve_on (const EsaAction  *action,
            const DoRequest  *request,
            GDate            *out_on,
            GError          **error)
{
  const EsaField *dating = dating_field (action, TRUE);
  const char *text = NULL;

  if (request->on != NULL)
    {
      *out_on = *request->on;
      return TRUE;
    }

  if (dating != NULL && request->fields != NULL)
    text = g_hash_table_lookup (request->fields, dating->id);
  if (!_esa_store_is_blank (text))
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *trimmed = g_strstrip (g_strdup (text));

      if (!esa_date_parse_iso (trimmed, out_on, &local_error))
        return field_error (error, dating->id, g_strdup (local_error->message));
      return TRUE;
    }

  esa_date_set_today (out_on);
  return TRUE;
}

static gboolean
check_step_date (const GDate  *on,
                 GPtrArray    *events,
                 EsaProcedure *procedure,
                 GError      **error)
{
  g_autofree char *on_iso = esa_date_to_iso (on);
  GDate today;

  esa_date_set_today (&today);
  if (g_date_compare (on, &today) > 0)
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("A step cannot be dated in the future (%s)"), on_iso);

  if (events->len > 0)
    {
      const EventRow *last = g_ptr_array_index (events, events->len - 1);

      if (strcmp (on_iso, last->occurred_on) < 0)
        return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                                /* Translators: "The case's latest step, “Record the service”, is
                                 * dated 2026-03-02: a step cannot be dated before it
                                 * (2026-03-01)" */
                                _("The case's latest step, “%s”, is dated %s: a step cannot be "
                                  "dated "
                                  "before it (%s)"),
                                action_label (procedure, last->action), last->occurred_on, on_iso);
    }
  return TRUE;
}

static gboolean
do_action (EsaStore         *self,
           const DoRequest  *request,
           char            **out_event_id,
           GError          **error)
{
  g_autoptr(CaseRow) row = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(EsaCaseContext) context = NULL;
  g_autoptr(EsaActionStatus) status = NULL;
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) act_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) payload = NULL;
  g_autofree char *role = NULL;
  g_autofree char *event_id = NULL;
  g_autofree char *on_iso = NULL;
  g_autofree char *deadline = NULL;
  g_autofree char *deadline_label = NULL;
  g_autofree char *summary = NULL;
  const char *closed_on = NULL;
  EsaProcedure *procedure;
  const EsaAction *action;
  const EsaState *to;
  NewEvent event = { 0 };
  EventRow *standing;
  gint64 balance = 0;
  GDate on;

  row = read_case_row (self, request->case_id, error);
  if (row == NULL)
    return FALSE;
  procedure = find_procedure (self, row->procedure_id, row->id, error);
  if (procedure == NULL)
    return FALSE;
  action = esa_procedure_find_action (procedure, request->action_id);
  if (action == NULL)
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("The procedure “%s” has no action “%s”"),
                            row->procedure_id, request->action_id);

  if (!read_actor (self, &role, error))
    return FALSE;
  if (!_esa_store_check_action (self, ESA_ACTION_CASE_STEP, error))
    return FALSE;

  events = read_standing_events (self, row->id, error);
  if (events == NULL
      || !resolve_on (action, request, &on, error)
      || !check_step_date (&on, events, procedure, error))
    return FALSE;

  context = build_context (self, procedure, row, events, role, &on, error);
  if (context == NULL)
    return FALSE;
  status = esa_procedure_evaluate_action (procedure, action->id, context, &local_error);
  if (status == NULL)
    {
      propagate_core_error (error, procedure, local_error);
      return FALSE;
    }
  if (!status->available)
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID, "%s", status->reason);

  fields = parse_fields (self, action, request->fields, &on, error);
  if (fields == NULL)
    return FALSE;
  apply_fields (procedure, context, fields);

  on_iso = esa_date_to_iso (&on);
  event_id = esa_uuid_new ();
  event.id = event_id;
  event.case_id = row->id;
  event.seq = next_event_seq (self, row->id, error);
  event.action = action->id;
  event.occurred_on = on_iso;
  event.user_id = esa_store_get_acting_user (self);
  event.from_state = row->state;
  event.to_state = status->to_state != NULL ? status->to_state : row->state;
  event.fields = fields;
  if (event.seq < 0 || !insert_event (self, &event, row, error))
    return FALSE;

  /* Each act is issued for what the case owes on the day. */
  esa_case_context_get_amount (context, "balance", &balance);
  for (guint i = 0; action->produces != NULL && action->produces[i] != NULL; i++)
    {
      g_autofree char *prefix = act_number_prefix (procedure, get_parameters (self),
                                                   action->produces[i], &on, row->body_id);
      g_autofree char *number = allocate_act_number (self, prefix, &on, error);
      char *act_id = NULL;

      if (number == NULL
          || !insert_act (self, row, event_id, action->produces[i], number, on_iso, balance,
                          &act_id, error))
        return FALSE;
      g_ptr_array_add (act_ids, act_id);
      g_ptr_array_add (numbers, g_steal_pointer (&number));
    }

  to = esa_procedure_find_state (procedure, event.to_state);
  if (to != NULL && to->final)
    {
      closed_on = row->closed_on != NULL && g_str_equal (event.to_state, row->state)
                  ? row->closed_on : on_iso;
    }
  else
    {
      standing = g_new0 (EventRow, 1);
      standing->action = g_strdup (action->id);
      g_ptr_array_add (events, standing);
      if (!compute_next_deadline (procedure, context, events, &on, &deadline, &deadline_label,
                                  error))
        return FALSE;
    }

  if (!update_case (self, row->id, event.to_state, closed_on, deadline, deadline_label, error))
    return FALSE;
  if (act_ids->len > 0 && !_esa_store_search_index_debtor (self, row->debtor_id, error))
    return FALSE;

  /* The step is a command: the server re-checks it against the case as it
   * knows it (base_version), with the acts it issued. */
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "command");
  json_builder_add_string_value (builder, "case_action");
  json_builder_set_member_name (builder, "event");
  json_builder_add_value (builder, event_to_json (&event));
  json_builder_set_member_name (builder, "acts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < act_ids->len; i++)
    {
      JsonNode *act = _esa_store_row_to_json (self, "acts", g_ptr_array_index (act_ids, i), error);

      if (act == NULL)
        return FALSE;
      json_builder_add_value (builder, act);
    }
  json_builder_end_array (builder);
  add_case_after (builder, event.to_state, closed_on, deadline, deadline_label);
  json_builder_end_object (builder);
  payload = json_builder_get_root (builder);

  summary = step_summary (procedure, action->id, on_iso, event.from_state, event.to_state,
                          numbers);
  if (!_esa_store_outbox_append (self, "command", "case", row->id, payload, row->version, error)
      || !_esa_store_audit_append (self, NULL, esa_store_get_acting_user (self), action->id,
                                   "case", row->id, row->debtor_id, summary, error))
    return FALSE;

  *out_event_id = g_steal_pointer (&event_id);
  return TRUE;
}

char *
esa_store_case_do (EsaStore     *self,
                   const char   *case_id,
                   const char   *action_id,
                   const GDate  *on,
                   GHashTable   *fields,
                   GError      **error)
{
  DoRequest request = { case_id, action_id, on, fields };
  g_autofree char *event_id = NULL;
  gboolean ok;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (case_id != NULL, NULL);
  g_return_val_if_fail (action_id != NULL, NULL);
  g_return_val_if_fail (on == NULL || g_date_valid (on), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_esa_store_write_begin (self, error))
    return NULL;
  ok = do_action (self, &request, &event_id, error);
  if (!_esa_store_write_end (self, ok, error))
    return NULL;

  return g_steal_pointer (&event_id);
}

/* ---- undo --------------------------------------------------------------- */

typedef struct
{
  char   *case_id;
  gint64  seq;
  char   *action;
  char   *occurred_on;
  char   *from_state;
  char   *to_state;
  char   *undone_by;
  char   *before_closed_on;
  char   *before_deadline;
  char   *before_deadline_label;
} StepRow;

static void
step_row_free (StepRow *step)
{
  g_free (step->case_id);
  g_free (step->action);
  g_free (step->occurred_on);
  g_free (step->from_state);
  g_free (step->to_state);
  g_free (step->undone_by);
  g_free (step->before_closed_on);
  g_free (step->before_deadline);
  g_free (step->before_deadline_label);
  g_free (step);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StepRow, step_row_free)

static StepRow *
read_step (EsaStore    *self,
           const char  *event_id,
           GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  StepRow *step;
  gboolean row;

  stmt = _esa_store_prepare (self,
                             "SELECT case_id, seq, action, occurred_on, from_state, to_state, "
                             "  undone_by, before_closed_on, before_deadline, "
                             "  before_deadline_label "
                             "FROM case_events WHERE id = ?1",
                             error);
  if (stmt == NULL)
    return NULL;
  _esa_stmt_bind_text (stmt, 1, event_id);
  if (!_esa_store_step (self, stmt, &row, error))
    return NULL;
  if (!row)
    {
      _esa_store_fail (error, ESA_STORE_ERROR_NOT_FOUND,
                       _("No step of a case with id %s"), event_id);
      return NULL;
    }

  step = g_new0 (StepRow, 1);
  step->case_id = _esa_stmt_dup_text (stmt, 0);
  step->seq = sqlite3_column_int64 (stmt, 1);
  step->action = _esa_stmt_dup_text (stmt, 2);
  step->occurred_on = _esa_stmt_dup_text (stmt, 3);
  step->from_state = _esa_stmt_dup_text (stmt, 4);
  step->to_state = _esa_stmt_dup_text (stmt, 5);
  step->undone_by = _esa_stmt_dup_text (stmt, 6);
  step->before_closed_on = _esa_stmt_dup_text (stmt, 7);
  step->before_deadline = _esa_stmt_dup_text (stmt, 8);
  step->before_deadline_label = _esa_stmt_dup_text (stmt, 9);
  return step;
}

/* Nothing may stand on the case after the step. */
static gboolean
check_nothing_since (EsaStore       *self,
                     EsaProcedure   *procedure,
                     const StepRow  *step,
                     GError        **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row;

  stmt = _esa_store_prepare (self,
                             "SELECT action, occurred_on FROM case_events "
                             "WHERE case_id = ?1 AND seq > ?2 AND undone_by IS NULL "
                             "  AND action <> 'undo' "
                             "ORDER BY seq LIMIT 1",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, step->case_id);
  sqlite3_bind_int64 (stmt, 2, step->seq);
  if (!_esa_store_step (self, stmt, &row, error))
    return FALSE;
  if (row)
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            /* Translators: "“Record an opposition” (dated 2026-03-05) was
                             * recorded on
                             * the case after this step: undo it first" */
                            _("“%s” (dated %s) was recorded on the case after this step: undo it "
                              "first"),
                            action_label (procedure, (const char *) sqlite3_column_text (stmt, 0)),
                            (const char *) sqlite3_column_text (stmt, 1));
  return TRUE;
}

/* The acts of the step, each still without any effect outside: no
 * notification, no document printed or exported from it. */
static gboolean
read_undoable_acts (EsaStore    *self,
                    const char  *event_id,
                    const char  *debtor_id,
                    GPtrArray   *ids,
                    GPtrArray   *numbers,
                    GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row;

  stmt = _esa_store_prepare (self,
                             "SELECT a.id, a.number, "
                             "  EXISTS (SELECT 1 FROM notifications WHERE act_id = a.id), "
                             "  (SELECT title FROM documents "
                             "     WHERE debtor_id = ?2 AND act_id = a.id LIMIT 1) "
                             "FROM case_event_acts ea JOIN acts a ON a.id = ea.act_id "
                             "WHERE ea.event_id = ?1 ORDER BY a.number",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, event_id);
  _esa_stmt_bind_text (stmt, 2, debtor_id);
  for (;;)
    {
      const char *number;

      if (!_esa_store_step (self, stmt, &row, error))
        return FALSE;
      if (!row)
        break;

      number = (const char *) sqlite3_column_text (stmt, 1);
      if (sqlite3_column_int (stmt, 2) != 0)
        return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                                _("Act %s already has a notification recorded: the step can no "
                                  "longer be "
                                  "undone"),
                                number);
      if (sqlite3_column_type (stmt, 3) != SQLITE_NULL)
        return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                                _("Act %s was printed or exported (“%s”): the step can no longer "
                                  "be "
                                  "undone"),
                                number, (const char *) sqlite3_column_text (stmt, 3));
      g_ptr_array_add (ids, _esa_stmt_dup_text (stmt, 0));
      g_ptr_array_add (numbers, g_strdup (number));
    }
  return TRUE;
}

static gboolean
remove_acts (EsaStore    *self,
             const char  *event_id,
             GPtrArray   *ids,
             GPtrArray   *numbers,
             GError     **error)
{
  g_autoptr(EsaStoreStmt) unlink = NULL;
  g_autoptr(EsaStoreStmt) remove = NULL;

  unlink = _esa_store_prepare (self, "DELETE FROM case_event_acts WHERE event_id = ?1", error);
  if (unlink == NULL)
    return FALSE;
  _esa_stmt_bind_text (unlink, 1, event_id);
  if (!_esa_store_step_done (self, unlink, error))
    return FALSE;

  remove = _esa_store_prepare (self, "DELETE FROM acts WHERE id = ?1", error);
  if (remove == NULL)
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    {
      _esa_stmt_bind_text (remove, 1, g_ptr_array_index (ids, i));
      if (!_esa_store_step_done (self, remove, error))
        return FALSE;
      sqlite3_reset (remove);
      if (!release_act_number (self, g_ptr_array_index (numbers, i), error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
mark_undone (EsaStore    *self,
             const char  *event_id,
             const char  *undo_id,
             GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;

  stmt = _esa_store_prepare (self,
                             "UPDATE case_events SET undone_by = ?2, version = version + 1 "
                             "WHERE id = ?1",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, event_id);
  _esa_stmt_bind_text (stmt, 2, undo_id);
  return _esa_store_step_done (self, stmt, error);
}

static gboolean
undo_step (EsaStore    *self,
           const char  *event_id,
           GError     **error)
{
  CasesData *cases = get_cases_data (self);
  g_autoptr(StepRow) step = NULL;
  g_autoptr(CaseRow) row = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(JsonArray) removed = json_array_new ();
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) payload = NULL;
  g_autofree char *role = NULL;
  g_autofree char *undo_id = NULL;
  g_autofree char *today_iso = NULL;
  g_autofree char *summary = NULL;
  EsaProcedure *procedure = NULL;
  NewEvent undo = { 0 };
  GDate today;

  step = read_step (self, event_id, error);
  if (step == NULL)
    return FALSE;
  if (!read_actor (self, &role, error))
    return FALSE;
  if (!_esa_store_check_action (self, ESA_ACTION_CASE_STEP, error))
    return FALSE;

  if (g_str_equal (step->action, UNDO_ACTION))
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("An undo cannot itself be undone: run the step again instead"));
  if (step->undone_by != NULL)
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID, _("This step was already undone"));

  row = read_case_row (self, step->case_id, error);
  if (row == NULL)
    return FALSE;
  if (cases != NULL)
    procedure = esa_procedure_list_find (cases->procedures, row->procedure_id);

  if (!check_nothing_since (self, procedure, step, error))
    return FALSE;
  if (!g_str_equal (row->state, step->to_state))
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("The case is no longer “%s” but “%s”: the step can no longer be "
                              "undone"),
                            state_label (procedure, step->to_state),
                            state_label (procedure, row->state));
  if (!read_undoable_acts (self, event_id, row->debtor_id, ids, numbers, error))
    return FALSE;

  /* The undo is a step of its own, recorded before the step it reverts
   * points to it. */
  esa_date_set_today (&today);
  today_iso = esa_date_to_iso (&today);
  undo_id = esa_uuid_new ();
  json_object_set_string_member (fields, "event_id", event_id);
  for (guint i = 0; i < numbers->len; i++)
    json_array_add_string_element (removed, g_ptr_array_index (numbers, i));
  json_object_set_array_member (fields, "acts", json_array_ref (removed));

  undo.id = undo_id;
  undo.case_id = row->id;
  undo.seq = next_event_seq (self, row->id, error);
  undo.action = UNDO_ACTION;
  undo.occurred_on = today_iso;
  undo.user_id = esa_store_get_acting_user (self);
  undo.from_state = row->state;
  undo.to_state = step->from_state;
  undo.fields = fields;
  if (undo.seq < 0
      || !insert_event (self, &undo, row, error)
      || !mark_undone (self, event_id, undo_id, error)
      || !remove_acts (self, event_id, ids, numbers, error)
      || !update_case (self, row->id, step->from_state, step->before_closed_on,
                       step->before_deadline, step->before_deadline_label, error))
    return FALSE;
  if (ids->len > 0 && !_esa_store_search_index_debtor (self, row->debtor_id, error))
    return FALSE;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "command");
  json_builder_add_string_value (builder, UNDO_ACTION);
  json_builder_set_member_name (builder, "event");
  json_builder_add_value (builder, event_to_json (&undo));
  json_builder_set_member_name (builder, "removed_acts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < ids->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (ids, i));
  json_builder_end_array (builder);
  add_case_after (builder, step->from_state, step->before_closed_on, step->before_deadline,
                  step->before_deadline_label);
  json_builder_end_object (builder);
  payload = json_builder_get_root (builder);

  if (numbers->len > 0)
    {
      g_autofree char *list = join_strings (numbers);

      summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              /* Translators: "Undone: Issue the injunction,
                                               * dated 2026-03-02; the case is “Approved for
                                               * enforcement” again; act ING-2026-000124
                                               * withdrawn" */
                                              "Undone: %s, dated %s; the case is “%s” again; "
                                              "act %s withdrawn",
                                              "Undone: %s, dated %s; the case is “%s” again; "
                                              "acts %s withdrawn",
                                              numbers->len),
                                 action_label (procedure, step->action), step->occurred_on,
                                 state_label (procedure, step->from_state), list);
    }
  else
    {
      summary = g_strdup_printf (_("Undone: %s, dated %s; the case is “%s” again"),
                                 action_label (procedure, step->action), step->occurred_on,
                                 state_label (procedure, step->from_state));
    }

  return _esa_store_outbox_append (self, "command", "case", row->id, payload, row->version,
                                   error)
         && _esa_store_audit_append (self, NULL, esa_store_get_acting_user (self), UNDO_ACTION,
                                     "case", row->id, row->debtor_id, summary, error);
}

gboolean
esa_store_case_undo (EsaStore    *self,
                     const char  *event_id,
                     GError     **error)
{
  gboolean ok;

  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);
  g_return_val_if_fail (event_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!_esa_store_write_begin (self, error))
    return FALSE;
  ok = undo_step (self, event_id, error);
  return _esa_store_write_end (self, ok, error);
}

/* ---- evaluating --------------------------------------------------------- */

static gint
compare_available_first (gconstpointer a,
                         gconstpointer b)
{
  const EsaActionStatus *x = *(const EsaActionStatus * const *) a;
  const EsaActionStatus *y = *(const EsaActionStatus * const *) b;

  return (gint) y->available - (gint) x->available;
}

/* Every action blocked for a role that may not run steps, saying why
 * first (the reason of the roles table). */
static void
block_for_role (GPtrArray  *statuses,
                const char *sentence)
{
  for (guint i = 0; i < statuses->len; i++)
    {
      EsaActionStatus *status = g_ptr_array_index (statuses, i);
      g_autoptr(GStrvBuilder) reasons = g_strv_builder_new ();

      g_strv_builder_add (reasons, sentence);
      if (status->reasons != NULL)
        g_strv_builder_addv (reasons, (const char **) status->reasons);
      g_strfreev (status->reasons);
      status->reasons = g_strv_builder_end (reasons);
      g_free (status->reason);
      status->reason = g_strdup (sentence);
      status->available = FALSE;
      g_date_clear (&status->available_from, 1);
    }
}

static GPtrArray *
evaluate_case (EsaStore     *self,
               const char   *case_id,
               const GDate  *today,
               GError      **error)
{
  g_autoptr(CaseRow) row = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(EsaCaseContext) context = NULL;
  g_autoptr(GPtrArray) statuses = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GError) refusal = NULL;
  g_autofree char *role = NULL;
  EsaProcedure *procedure;
  GDate day;

  row = read_case_row (self, case_id, error);
  if (row == NULL)
    return NULL;
  procedure = find_procedure (self, row->procedure_id, row->id, error);
  if (procedure == NULL || !read_actor (self, &role, error))
    return NULL;

  if (today != NULL)
    day = *today;
  else
    esa_date_set_today (&day);

  events = read_standing_events (self, row->id, error);
  if (events == NULL)
    return NULL;
  context = build_context (self, procedure, row, events, role, &day, error);
  if (context == NULL)
    return NULL;

  statuses = esa_procedure_evaluate (procedure, context, &local_error);
  if (statuses == NULL)
    {
      propagate_core_error (error, procedure, local_error);
      return NULL;
    }

  if (!_esa_store_check_action (self, ESA_ACTION_CASE_STEP, &refusal))
    block_for_role (statuses, refusal->message);
  /* A stable sort: each group keeps the order of the file. */
  g_ptr_array_sort (statuses, compare_available_first);
  return g_steal_pointer (&statuses);
}

GPtrArray *
esa_store_case_actions (EsaStore     *self,
                        const char   *case_id,
                        const GDate  *today,
                        GError      **error)
{
  GPtrArray *statuses;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (case_id != NULL, NULL);
  g_return_val_if_fail (today == NULL || g_date_valid (today), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_esa_store_read_begin (self, error))
    return NULL;
  statuses = evaluate_case (self, case_id, today, error);
  _esa_store_read_end (self);

  return statuses;
}

EsaProcedure *
esa_store_get_case_procedure (EsaStore    *self,
                              const char  *case_id,
                              GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autofree char *procedure_id = NULL;
  gboolean row;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (case_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = _esa_store_prepare (self, "SELECT procedure_id FROM cases WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  _esa_stmt_bind_text (stmt, 1, case_id);
  if (!_esa_store_step (self, stmt, &row, error))
    return NULL;
  if (!row)
    {
      _esa_store_fail (error, ESA_STORE_ERROR_NOT_FOUND, _("No case with id %s"), case_id);
      return NULL;
    }
  procedure_id = _esa_stmt_dup_text (stmt, 0);
  g_clear_pointer (&stmt, _esa_store_stmt_release);

  return find_procedure (self, procedure_id, case_id, error);
}

/* ---- cases -------------------------------------------------------------- */

#define CASE_COLUMNS \
  "c.id, c.debtor_id, c.body_id, c.office_id, c.procedure_id, c.state, c.officer_id, u.name, " \
  "c.opened_on, c.closed_on, c.next_deadline, c.next_deadline_label"

static EsaCase *
read_case (EsaStoreStmt *stmt)
{
  EsaCase *case_ = g_new0 (EsaCase, 1);

  case_->id = _esa_stmt_dup_text (stmt, 0);
  case_->debtor_id = _esa_stmt_dup_text (stmt, 1);
  case_->body_id = _esa_stmt_dup_text (stmt, 2);
  case_->office_id = _esa_stmt_dup_text (stmt, 3);
  case_->procedure_id = _esa_stmt_dup_text (stmt, 4);
  case_->state = _esa_stmt_dup_text (stmt, 5);
  case_->officer_id = _esa_stmt_dup_text (stmt, 6);
  case_->officer_name = _esa_stmt_dup_text (stmt, 7);
  case_->opened_on = _esa_stmt_dup_text (stmt, 8);
  case_->closed_on = _esa_stmt_dup_text (stmt, 9);
  case_->next_deadline = _esa_stmt_dup_text (stmt, 10);
  case_->next_deadline_label = _esa_stmt_dup_text (stmt, 11);
  return case_;
}

EsaCase *
esa_store_get_case (EsaStore    *self,
                    const char  *case_id,
                    GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (case_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = _esa_store_prepare (self,
                             "SELECT " CASE_COLUMNS " "
                             "FROM cases c LEFT JOIN users u ON u.id = c.officer_id "
                             "WHERE c.id = ?1",
                             error);
  if (stmt == NULL)
    return NULL;
  _esa_stmt_bind_text (stmt, 1, case_id);
  if (!_esa_store_step (self, stmt, &row, error))
    return NULL;
  if (!row)
    {
      _esa_store_fail (error, ESA_STORE_ERROR_NOT_FOUND, _("No case with id %s"), case_id);
      return NULL;
    }
  return read_case (stmt);
}

GPtrArray *
esa_store_cases_due (EsaStore     *self,
                     const char   *until_iso,
                     guint         limit,
                     GError      **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  gboolean row;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (until_iso != NULL)
    {
      g_autoptr(GError) local_error = NULL;
      GDate until;

      if (!esa_date_parse_iso (until_iso, &until, &local_error))
        {
          _esa_store_fail (error, ESA_STORE_ERROR_INVALID, "%s", local_error->message);
          return NULL;
        }
    }

  /* closed_on IS NULL and the order by next_deadline let the partial index
   * cases_deadline answer without a sort. */
  stmt = _esa_store_prepare (self,
                             "SELECT " CASE_COLUMNS " "
                             "FROM cases c LEFT JOIN users u ON u.id = c.officer_id "
                             "WHERE c.closed_on IS NULL AND c.next_deadline IS NOT NULL "
                             "  AND (?1 IS NULL OR c.next_deadline <= ?1) "
                             "ORDER BY c.next_deadline, c.id LIMIT ?2",
                             error);
  if (stmt == NULL)
    return NULL;
  _esa_stmt_bind_text (stmt, 1, until_iso);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64) limit : -1);

  cases = g_ptr_array_new_with_free_func ((GDestroyNotify) esa_case_free);
  for (;;)
    {
      if (!_esa_store_step (self, stmt, &row, error))
        return NULL;
      if (!row)
        break;
      g_ptr_array_add (cases, read_case (stmt));
    }
  return g_steal_pointer (&cases);
}
