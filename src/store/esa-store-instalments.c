/* esa-store-instalments.c: instalment monitoring: proposals of reminders,
 * lapses and closings, confirmed by a team lead
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "esa-date.h"
#include "esa-money.h"
#include "esa-roles.h"
#include "esa-rules.h"
#include "esa-store-instalments.h"
#include "esa-store-private.h"

/* The state and the actions of data/procedures/it-coercive.json that an
 * instalment plan concerns. */
#define PLAN_STATE    "instalment_plan"
#define LAPSE_ACTION  "lapse_plan"
#define CLOSE_ACTION  "close_paid"

static const char * const kind_names[] = { "reminder", "lapse", "close" };

const char *
esa_instalment_proposal_kind_to_string (EsaInstalmentProposalKind kind)
{
  g_return_val_if_fail (kind <= ESA_INSTALMENT_PROPOSAL_CLOSE, NULL);

  return kind_names[kind];
}

void
esa_instalment_proposal_free (EsaInstalmentProposal *self)
{
  if (self == NULL)
    return;

  g_free (self->id);
  g_free (self->plan_id);
  g_free (self->case_id);
  g_free (self->case_state);
  g_free (self->debtor_id);
  g_free (self->debtor_name);
  g_free (self->body_id);
  g_free (self->currency);
  g_free (self->instalment_id);
  g_free (self->due_on);
  g_free (self->reason);
  g_free (self);
}

/* ---- reading the plans -------------------------------------------------- */

typedef struct
{
  char   *id;
  gint    seq;
  char   *due_on;
  gint64  amount;
  gint64  paid;
  char   *reminded_on;
} Instalment;

typedef struct
{
  char      *id;
  char      *case_id;
  char      *case_state;
  gboolean   case_open;
  char      *debtor_id;
  char      *debtor_name;
  char      *body_id;
  char      *currency;
  gint64     case_balance;
  gboolean   has_positions;
  GArray    *instalments;  /* Instalment */
} Plan;

static void
instalment_clear (Instalment *instalment)
{
  g_free (instalment->id);
  g_free (instalment->due_on);
  g_free (instalment->reminded_on);
}

static void
plan_free (Plan *plan)
{
  g_free (plan->id);
  g_free (plan->case_id);
  g_free (plan->case_state);
  g_free (plan->debtor_id);
  g_free (plan->debtor_name);
  g_free (plan->body_id);
  g_free (plan->currency);
  g_array_unref (plan->instalments);
  g_free (plan);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Plan, plan_free)

/* An instalment is paid by its own record or by the payments that carry
 * its payment reference, whichever says more: a payment flow may have
 * arrived before anyone updated the instalment. */
#define PLANS_SQL \
  "SELECT p.id, p.case_id, c.state, c.closed_on IS NULL, p.debtor_id, d.name, " \
  "  COALESCE (c.body_id, ''), p.currency, " \
  "  i.id, i.seq, i.due_on, i.amount, " \
  "  max (i.paid, COALESCE ((SELECT sum (pm.amount) FROM payments pm " \
  "                          WHERE pm.reference = i.payment_reference " \
  "                            AND pm.state NOT IN ('revoked', 'replaced')), 0)), " \
  "  i.reminded_on " \
  "FROM instalment_plans p " \
  "  JOIN debtors d ON d.id = p.debtor_id " \
  "  LEFT JOIN cases c ON c.id = p.case_id " \
  "  JOIN instalments i ON i.plan_id = p.id " \
  "WHERE p.state = 'active' "

/* The balance of the positions a case pursues (cancelled and written-off
 * ones left out, as the procedure's "balance" fact). */
#define BALANCE_SQL \
  "SELECT count(*), COALESCE (sum (po.principal + po.sanctions + po.interest + po.costs " \
  "                                - po.paid), 0) " \
  "FROM case_positions cp JOIN positions po ON po.id = cp.position_id " \
  "WHERE cp.case_id = ?1 AND po.state NOT IN ('cancelled', 'written_off')"

static gboolean
read_case_balance (EsaStore  *self,
                   Plan      *plan,
                   GError   **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row;

  if (plan->case_id == NULL)
    return TRUE;

  stmt = _esa_store_prepare (self, BALANCE_SQL, error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, plan->case_id);
  if (!_esa_store_step (self, stmt, &row, error))
    return FALSE;
  if (row)
    {
      plan->has_positions = sqlite3_column_int64 (stmt, 0) > 0;
      plan->case_balance = sqlite3_column_int64 (stmt, 1);
    }
  return TRUE;
}

/* The active plans with their instalments; only @plan_id when not NULL. */
static GPtrArray *
read_plans (EsaStore    *self,
            const char  *plan_id,
            GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) plans = g_ptr_array_new_with_free_func ((GDestroyNotify) plan_free);
  Plan *plan = NULL;
  gboolean row;
  gboolean ok;

  stmt = _esa_store_prepare (self,
                             plan_id != NULL ? PLANS_SQL "AND p.id = ?1 ORDER BY p.id, i.seq"
                                             : PLANS_SQL "ORDER BY p.id, i.seq",
                             error);
  if (stmt == NULL)
    return NULL;
  if (plan_id != NULL)
    _esa_stmt_bind_text (stmt, 1, plan_id);

  while ((ok = _esa_store_step (self, stmt, &row, error)) && row)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      Instalment instalment = { NULL, };

      if (plan == NULL || g_strcmp0 (plan->id, id) != 0)
        {
          plan = g_new0 (Plan, 1);
          plan->id = g_strdup (id);
          plan->case_id = _esa_stmt_dup_text (stmt, 1);
          plan->case_state = _esa_stmt_dup_text (stmt, 2);
          plan->case_open = plan->case_id != NULL && sqlite3_column_int (stmt, 3) != 0;
          plan->debtor_id = _esa_stmt_dup_text (stmt, 4);
          plan->debtor_name = _esa_stmt_dup_text (stmt, 5);
          plan->body_id = _esa_stmt_dup_text (stmt, 6);
          plan->currency = _esa_stmt_dup_text (stmt, 7);
          plan->instalments = g_array_new (FALSE, TRUE, sizeof (Instalment));
          g_array_set_clear_func (plan->instalments, (GDestroyNotify) instalment_clear);
          g_ptr_array_add (plans, plan);
        }
      instalment.id = _esa_stmt_dup_text (stmt, 8);
      instalment.seq = sqlite3_column_int (stmt, 9);
      instalment.due_on = _esa_stmt_dup_text (stmt, 10);
      instalment.amount = sqlite3_column_int64 (stmt, 11);
      instalment.paid = sqlite3_column_int64 (stmt, 12);
      instalment.reminded_on = _esa_stmt_dup_text (stmt, 13);
      g_array_append_val (plan->instalments, instalment);
    }
  if (!ok)
    return NULL;
  g_clear_pointer (&stmt, _esa_store_stmt_release);

  for (guint i = 0; i < plans->len; i++)
    if (!read_case_balance (self, g_ptr_array_index (plans, i), error))
      return NULL;

  return g_steal_pointer (&plans);
}

/* ---- the proposals of one plan ------------------------------------------ */

static EsaInstalmentProposal *
proposal_new (const Plan                *plan,
              EsaInstalmentProposalKind  kind,
              const char                *subject_id)
{
  EsaInstalmentProposal *proposal = g_new0 (EsaInstalmentProposal, 1);

  proposal->id = g_strdup_printf ("%s:%s", kind_names[kind], subject_id);
  proposal->kind = kind;
  proposal->plan_id = g_strdup (plan->id);
  proposal->case_id = g_strdup (plan->case_id);
  proposal->case_state = g_strdup (plan->case_state);
  proposal->debtor_id = g_strdup (plan->debtor_id);
  proposal->debtor_name = g_strdup (plan->debtor_name);
  proposal->body_id = g_strdup (plan->body_id);
  proposal->currency = g_strdup (plan->currency);
  return proposal;
}

/* What the plan still lacks, for a lapse without a case. */
static gint64
plan_unpaid (const Plan *plan)
{
  gint64 unpaid = 0;

  for (guint i = 0; i < plan->instalments->len; i++)
    {
      const Instalment *instalment = &g_array_index (plan->instalments, Instalment, i);

      if (instalment->paid < instalment->amount)
        unpaid += instalment->amount - instalment->paid;
    }
  return unpaid;
}

static gboolean
plan_proposals (const Plan     *plan,
                EsaParameters  *parameters,
                const GDate    *today,
                const char     *today_iso,
                GPtrArray      *out,
                GError        **error)
{
  g_autoptr(GArray) after_reminder = g_array_new (FALSE, FALSE, sizeof (GDate));
  g_autoptr(GPtrArray) reminders = g_ptr_array_new_with_free_func (
    (GDestroyNotify) esa_instalment_proposal_free);
  const char *latest_missed = NULL;
  gboolean all_paid = TRUE;
  gboolean lapsed = FALSE;
  guint n_missed = 0;

  for (guint i = 0; i < plan->instalments->len; i++)
    {
      const Instalment *instalment = &g_array_index (plan->instalments, Instalment, i);
      EsaInstalmentProposal *proposal;
      g_autofree char *due = NULL;
      g_autofree char *unpaid = NULL;

      if (instalment->paid >= instalment->amount)
        continue;
      all_paid = FALSE;
      if (strcmp (instalment->due_on, today_iso) >= 0)
        continue;

      n_missed++;
      latest_missed = instalment->due_on;
      if (instalment->reminded_on != NULL)
        {
          GDate date;

          if (strcmp (instalment->reminded_on, today_iso) < 0
              && esa_date_parse_iso (instalment->due_on, &date, NULL))
            g_array_append_val (after_reminder, date);
          continue;
        }

      proposal = proposal_new (plan, ESA_INSTALMENT_PROPOSAL_REMINDER, instalment->id);
      proposal->instalment_id = g_strdup (instalment->id);
      proposal->seq = instalment->seq;
      proposal->due_on = g_strdup (instalment->due_on);
      proposal->amount = instalment->amount - instalment->paid;
      due = esa_date_format_iso (instalment->due_on);
      unpaid = esa_money_format (proposal->amount, plan->currency);
      /* Translators: "Instalment 3, due on 22 Sep 2026, is unpaid: € 187,22" */
      proposal->reason = g_strdup_printf (_("Instalment %d, due on %s, is unpaid: %s"),
                                          instalment->seq, due, unpaid);
      g_ptr_array_add (reminders, proposal);
    }

  /* A case paid in full closes, whatever its instalments say. */
  if ((plan->case_open && plan->has_positions && plan->case_balance <= 0)
      || (plan->case_id == NULL && all_paid))
    {
      EsaInstalmentProposal *proposal = proposal_new (plan, ESA_INSTALMENT_PROPOSAL_CLOSE,
                                                      plan->id);

      proposal->reason = g_strdup (plan->case_id != NULL
                                   ? _("The case is paid in full: close it as paid")
                                   : _("Every instalment is paid: the plan is completed"));
      g_ptr_array_add (out, proposal);
      return TRUE;
    }

  if (after_reminder->len > 0 && parameters != NULL
      && esa_parameters_has_table (parameters, "it.instalment.lapse"))
    {
      if (!esa_rules_it_plan_lapsed (parameters, (const GDate *) (gpointer) after_reminder->data,
                                     after_reminder->len, today,
                                     plan->body_id[0] != '\0' ? plan->body_id : NULL,
                                     &lapsed, error))
        return FALSE;
    }

  if (lapsed)
    {
      EsaInstalmentProposal *proposal = proposal_new (plan, ESA_INSTALMENT_PROPOSAL_LAPSE,
                                                      plan->id);
      g_autofree char *residual = NULL;

      proposal->due_on = g_strdup (latest_missed);
      proposal->n_missed = n_missed;
      proposal->amount = plan->case_id != NULL && plan->has_positions ? plan->case_balance
                                                                      : plan_unpaid (plan);
      residual = esa_money_format (proposal->amount, plan->currency);
      proposal->reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                       "%u instalment unpaid after a reminder "
                                                       "meets the lapse rule; residual %s",
                                                       "%u instalments unpaid after a reminder "
                                                       "meet the lapse rule; residual %s",
                                                       after_reminder->len),
                                          after_reminder->len, residual);
      g_ptr_array_add (out, proposal);
      return TRUE;
    }

  for (guint i = 0; i < reminders->len; i++)
    {
      EsaInstalmentProposal *proposal = g_ptr_array_index (reminders, i);

      proposal->n_missed = n_missed;
    }
  g_ptr_array_extend_and_steal (out, g_steal_pointer (&reminders));
  return TRUE;
}

static gint
compare_proposals (gconstpointer a,
                   gconstpointer b)
{
  const EsaInstalmentProposal *pa = *(EsaInstalmentProposal * const *) a;
  const EsaInstalmentProposal *pb = *(EsaInstalmentProposal * const *) b;
  static const int order[] = { 2, 0, 1 };
  int c = order[pa->kind] - order[pb->kind];

  if (c == 0)
    c = g_strcmp0 (pa->due_on, pb->due_on);
  if (c == 0)
    c = g_strcmp0 (pa->id, pb->id);
  return c;
}

static GPtrArray *
collect_proposals (EsaStore       *self,
                   EsaParameters  *parameters,
                   const char     *plan_id,
                   const GDate    *today,
                   GError        **error)
{
  g_autoptr(GPtrArray) plans = NULL;
  g_autoptr(GPtrArray) proposals = NULL;
  g_autofree char *today_iso = esa_date_to_iso (today);
  gboolean ok;

  if (!_esa_store_read_begin (self, error))
    return NULL;
  plans = read_plans (self, plan_id, error);
  _esa_store_read_end (self);
  if (plans == NULL)
    return NULL;

  proposals = g_ptr_array_new_with_free_func ((GDestroyNotify) esa_instalment_proposal_free);
  ok = TRUE;
  for (guint i = 0; ok && i < plans->len; i++)
    ok = plan_proposals (g_ptr_array_index (plans, i), parameters, today, today_iso, proposals,
                         error);
  if (!ok)
    return NULL;

  g_ptr_array_sort (proposals, compare_proposals);
  return g_steal_pointer (&proposals);
}

GPtrArray *
esa_store_instalment_proposals (EsaStore       *self,
                                EsaParameters  *parameters,
                                const GDate    *today,
                                GError        **error)
{
  GDate now;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (parameters == NULL || ESA_IS_PARAMETERS (parameters), NULL);

  if (today == NULL)
    {
      esa_date_set_today (&now);
      today = &now;
    }
  return collect_proposals (self, parameters, NULL, today, error);
}

/* ---- confirming --------------------------------------------------------- */

/* A plan is confirmed in a named user's name, by a role the roles table
 * allows (a team lead). */
static gboolean
check_team_lead (EsaStore  *self,
                 GError   **error)
{
  if (esa_store_get_acting_user (self) == NULL)
    {
      g_set_error_literal (error, ESA_STORE_ERROR, ESA_STORE_ERROR_FORBIDDEN,
                           _("Only a team lead can confirm instalment proposals: no user is "
                             "acting"));
      return FALSE;
    }
  return _esa_store_check_action (self, ESA_ACTION_INSTALMENT_CONFIRM, error);
}

static JsonNode *
plan_state_payload (const char *state)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "field");
  json_builder_add_string_value (builder, "state");
  json_builder_set_member_name (builder, "value");
  json_builder_add_string_value (builder, state);
  json_builder_set_member_name (builder, "old");
  json_builder_add_string_value (builder, "active");
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static gboolean
confirm_reminder (EsaStore                    *self,
                  const EsaInstalmentProposal *proposal,
                  const char                  *today_iso,
                  GError                     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) payload = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *due = esa_date_format_iso (proposal->due_on);
  gint64 version = 0;
  gboolean row;

  stmt = _esa_store_prepare (self, "SELECT version FROM instalments WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, proposal->instalment_id);
  if (!_esa_store_step (self, stmt, &row, error))
    return FALSE;
  if (row)
    version = sqlite3_column_int64 (stmt, 0);
  g_clear_pointer (&stmt, _esa_store_stmt_release);

  stmt = _esa_store_prepare (self,
                             "UPDATE instalments SET reminded_on = ?2, version = version + 1 "
                             "WHERE id = ?1",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, proposal->instalment_id);
  _esa_stmt_bind_text (stmt, 2, today_iso);
  if (!_esa_store_step_done (self, stmt, error))
    return FALSE;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "field");
  json_builder_add_string_value (builder, "reminded_on");
  json_builder_set_member_name (builder, "value");
  json_builder_add_string_value (builder, today_iso);
  json_builder_set_member_name (builder, "old");
  json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  payload = json_builder_get_root (builder);

  /* Translators: "Reminder of instalment 3 (due on 22 Sep 2026) confirmed" */
  summary = g_strdup_printf (_("Reminder of instalment %d (due on %s) confirmed"), proposal->seq,
                             due);
  return _esa_store_outbox_append (self, "field", "instalment", proposal->instalment_id, payload,
                                   version, error)
         && _esa_store_audit_append (self, NULL, esa_store_get_acting_user (self), "remind",
                                     "instalment", proposal->instalment_id, proposal->debtor_id,
                                     summary, error);
}

static char *
last_payment_day (EsaStore     *self,
                  const char   *case_id,
                  const char   *today_iso,
                  GError      **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row;
  const char *day;

  stmt = _esa_store_prepare (self,
                             "SELECT max (pm.paid_on) FROM payments pm "
                             "  JOIN case_positions cp ON cp.position_id = pm.position_id "
                             "WHERE cp.case_id = ?1 AND pm.paid_on <= ?2",
                             error);
  if (stmt == NULL)
    return NULL;
  _esa_stmt_bind_text (stmt, 1, case_id);
  _esa_stmt_bind_text (stmt, 2, today_iso);
  if (!_esa_store_step (self, stmt, &row, error))
    return NULL;
  day = row ? (const char *) sqlite3_column_text (stmt, 0) : NULL;
  return g_strdup (day != NULL ? day : today_iso);
}

/* Ends the plan (lapsed or completed) and runs the procedure's action on
 * its case, all inside the caller's write. */
static gboolean
confirm_plan_end (EsaStore                    *self,
                  const EsaInstalmentProposal *proposal,
                  const GDate                 *today,
                  const char                  *today_iso,
                  GError                     **error)
{
  gboolean lapse = proposal->kind == ESA_INSTALMENT_PROPOSAL_LAPSE;
  const char *state = lapse ? "lapsed" : "completed";
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autoptr(JsonNode) payload = NULL;
  g_autoptr(GHashTable) fields = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autofree char *summary = NULL;
  g_autofree char *amount = NULL;
  gint64 version = 0;
  gboolean row;

  /* The procedure first: its guard reads the plan while it is active. */
  if (proposal->case_id != NULL)
    {
      g_autofree char *event_id = NULL;
      const char *action = NULL;

      if (lapse && g_strcmp0 (proposal->case_state, PLAN_STATE) == 0)
        {
          action = LAPSE_ACTION;
          g_hash_table_insert (fields, (gpointer) "plan_lapsed_on", g_strdup (today_iso));
          g_hash_table_insert (fields, (gpointer) "residual",
                               esa_money_to_decimal (proposal->amount));
        }
      else if (!lapse)
        {
          char *paid_on = last_payment_day (self, proposal->case_id, today_iso, error);

          if (paid_on == NULL)
            return FALSE;
          action = CLOSE_ACTION;
          g_hash_table_insert (fields, (gpointer) "paid_on", paid_on);
        }

      if (action != NULL)
        {
          event_id = esa_store_case_do (self, proposal->case_id, action, today, fields, error);
          if (event_id == NULL)
            return FALSE;
        }
    }

  stmt = _esa_store_prepare (self, "SELECT version FROM instalment_plans WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, proposal->plan_id);
  if (!_esa_store_step (self, stmt, &row, error))
    return FALSE;
  if (row)
    version = sqlite3_column_int64 (stmt, 0);
  g_clear_pointer (&stmt, _esa_store_stmt_release);

  stmt = _esa_store_prepare (self,
                             "UPDATE instalment_plans SET state = ?2, version = version + 1 "
                             "WHERE id = ?1 AND state = 'active'",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, proposal->plan_id);
  _esa_stmt_bind_text (stmt, 2, state);
  if (!_esa_store_step_done (self, stmt, error))
    return FALSE;

  payload = plan_state_payload (state);
  amount = esa_money_format (proposal->amount, proposal->currency);
  summary = lapse
    /* Translators: %s is the residual amount */
    ? g_strdup_printf (_("Instalment plan declared lapsed; residual %s"), amount)
    : g_strdup (_("Instalment plan completed: paid in full"));
  return _esa_store_outbox_append (self, "field", "instalment_plan", proposal->plan_id, payload,
                                   version, error)
         && _esa_store_audit_append (self, NULL, esa_store_get_acting_user (self),
                                     lapse ? "lapse" : "complete", "instalment_plan",
                                     proposal->plan_id, proposal->debtor_id, summary, error);
}

/* The plan a proposal id is about: the plan itself, or the instalment's. */
static char *
proposal_plan_id (EsaStore    *self,
                  const char  *proposal_id,
                  GError     **error)
{
  const char *colon = strchr (proposal_id, ':');
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row;

  if (colon == NULL)
    goto unknown;
  if (!g_str_has_prefix (proposal_id, "reminder:"))
    return g_strdup (colon + 1);

  stmt = _esa_store_prepare (self, "SELECT plan_id FROM instalments WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  _esa_stmt_bind_text (stmt, 1, colon + 1);
  if (!_esa_store_step (self, stmt, &row, error))
    return NULL;
  if (row)
    return _esa_stmt_dup_text (stmt, 0);

unknown:
  g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_NOT_FOUND,
               _("No instalment proposal with id %s"), proposal_id);
  return NULL;
}

gboolean
esa_store_instalment_confirm (EsaStore       *self,
                              EsaParameters  *parameters,
                              const char     *proposal_id,
                              const GDate    *today,
                              GError        **error)
{
  g_autoptr(GPtrArray) proposals = NULL;
  g_autofree char *plan_id = NULL;
  g_autofree char *today_iso = NULL;
  const EsaInstalmentProposal *proposal = NULL;
  GDate now;
  gboolean ok;

  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);
  g_return_val_if_fail (parameters == NULL || ESA_IS_PARAMETERS (parameters), FALSE);
  g_return_val_if_fail (proposal_id != NULL, FALSE);

  if (!check_team_lead (self, error))
    return FALSE;
  if (today == NULL)
    {
      esa_date_set_today (&now);
      today = &now;
    }
  today_iso = esa_date_to_iso (today);

  plan_id = proposal_plan_id (self, proposal_id, error);
  if (plan_id == NULL)
    return FALSE;

  if (!_esa_store_write_begin (self, error))
    return FALSE;

  /* The proposal is looked at again inside the write: it must still stand. */
  proposals = collect_proposals (self, parameters, plan_id, today, error);
  ok = proposals != NULL;
  for (guint i = 0; ok && i < proposals->len; i++)
    {
      const EsaInstalmentProposal *p = g_ptr_array_index (proposals, i);

      if (g_str_equal (p->id, proposal_id))
        proposal = p;
    }
  if (ok && proposal == NULL)
    {
      g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_NOT_FOUND,
                   _("The instalment proposal %s no longer stands on %s"), proposal_id,
                   today_iso);
      ok = FALSE;
    }

  if (ok)
    {
      if (proposal->kind == ESA_INSTALMENT_PROPOSAL_REMINDER)
        ok = confirm_reminder (self, proposal, today_iso, error);
      else
        ok = confirm_plan_end (self, proposal, today, today_iso, error);
    }

  return _esa_store_write_end (self, ok, ok ? error : NULL);
}
