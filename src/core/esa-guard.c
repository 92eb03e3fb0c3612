/* Evaluating a procedure's guards against a case, and the sentences that
 * explain a blocked action. */

#include "esa-procedure-private.h"
#include "esa-core-error.h"
#include "esa-money.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* What evaluating one condition found, and what its explain sentence can
 * say about it. */
typedef struct
{
  gboolean       holds;
  gboolean       dated;       /* turns true by itself on @date */
  gboolean       closes;      /* holds until @date, then never again */
  GDate          date;        /* {date} */
  GDate          end;         /* {end} */
  guint          count;       /* {days} or {months} */
  gboolean       has_amount;
  gint64         amount;      /* {amount}: the threshold */
  gboolean       has_value;
  gint64         value;       /* {value}: the case's amount */
  const char    *state;       /* {state} */
  const char    *flag;        /* {flag} */
  const char    *role;        /* {role} */
  const char    *field;       /* {field} */
  char          *missing;     /* when a value the condition needs is not
                               * recorded: the sentence that says so */
} Outcome;

static void
outcome_clear (Outcome *outcome)
{
  g_clear_pointer (&outcome->missing, g_free);
}

static const char *
field_label (EsaProcedure *self,
             const char   *id)
{
  const EsaField *field = esa_procedure_find_field (self, id);

  return field != NULL ? esa_procedure_gettext (field->label) : id;
}

static char *
not_recorded (EsaProcedure *self,
              const char   *field)
{
  /* Translators: %s is the label of a field, as in "“Date of service” is
   * not recorded yet" */
  return g_strdup_printf (_("“%s” is not recorded yet"), field_label (self, field));
}

/* A whole number from the file or from its parameter table on @date. */
static gboolean
resolve_number (EsaCaseContext  *context,
                gint64           literal,
                const char      *param,
                const GDate     *date,
                gint64          *out,
                GError         **error)
{
  EsaParameters *params = esa_case_context_get_parameters (context);

  if (param == NULL)
    {
      *out = literal;
      return TRUE;
    }

  if (params == NULL)
    {
      g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID,
                   _("the parameter table “%s” is needed but no parameters were given"), param);
      return FALSE;
    }

  return esa_parameters_get_int (params, param, date, esa_case_context_get_body (context),
                                 out, error);
}

static gboolean
period_end (EsaProcedure     *self,
            const EsaPeriod  *period,
            const GDate      *start,
            EsaCaseContext   *context,
            GDate            *out_end,
            guint            *out_count,
            GError          **error)
{
  EsaCalendar *calendar = NULL;
  gint64 count;

  /* The law in force when the period starts decides its length. */
  if (!resolve_number (context, period->count, period->param, start, &count, error))
    return FALSE;

  if (count < 0 || count > G_MAXUINT16)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, count);

      g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID,
                   _("the parameter table “%s” holds an implausible period of %s"),
                   period->param, text);
      return FALSE;
    }

  if (period->counting != ESA_COUNTING_PLAIN)
    {
      const char *id = period->calendar != NULL ? period->calendar : self->calendar;
      EsaParameters *params = esa_case_context_get_parameters (context);

      if (params != NULL && id != NULL)
        calendar = esa_parameters_get_calendar (params, id, esa_case_context_get_body (context));
      if (calendar == NULL)
        {
          g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID,
                       _("the calendar “%s” is needed but not known"), id != NULL ? id : "");
          return FALSE;
        }
    }

  if (period->unit == ESA_PERIOD_DAYS)
    esa_calendar_add_days (calendar, start, (guint) count, period->counting, out_end);
  else
    esa_calendar_add_months (calendar, start, (guint) count, period->counting, out_end);

  if (out_count != NULL)
    *out_count = (guint) count;
  return TRUE;
}

gboolean
esa_procedure_period_end (EsaProcedure     *self,
                          const EsaPeriod  *period,
                          const GDate      *start,
                          EsaCaseContext   *context,
                          GDate            *out_end,
                          GError          **error)
{
  g_return_val_if_fail (ESA_IS_PROCEDURE (self), FALSE);
  g_return_val_if_fail (period != NULL, FALSE);
  g_return_val_if_fail (start != NULL && g_date_valid (start), FALSE);
  g_return_val_if_fail (context != NULL, FALSE);
  g_return_val_if_fail (out_end != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return period_end (self, period, start, context, out_end, NULL, error);
}

gboolean
esa_procedure_deadline_due (EsaProcedure       *self,
                            const EsaDeadline  *deadline,
                            EsaCaseContext     *context,
                            GDate              *out_due,
                            GError            **error)
{
  const GDate *start;

  g_return_val_if_fail (ESA_IS_PROCEDURE (self), FALSE);
  g_return_val_if_fail (deadline != NULL, FALSE);
  g_return_val_if_fail (context != NULL, FALSE);
  g_return_val_if_fail (out_due != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  start = esa_case_context_get_date (context, deadline->from_field);
  if (start == NULL)
    {
      g_autofree char *missing = not_recorded (self, deadline->from_field);

      g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID,
                   /* Translators: "“Date of service” is not recorded yet: the
                    * deadline “Opposition” runs from it" */
                   _("%s: the deadline “%s” runs from it"), missing,
                   esa_procedure_gettext (deadline->label));
      return FALSE;
    }

  return period_end (self, &deadline->period, start, context, out_due, NULL, error);
}

/* ---- conditions --------------------------------------------------------- */

static const GDate *
latest_date (EsaCaseContext *context,
             char          **fields)
{
  const GDate *latest = NULL;

  for (guint i = 0; fields[i] != NULL; i++)
    {
      const GDate *date = esa_case_context_get_date (context, fields[i]);

      if (date != NULL && (latest == NULL || g_date_compare (date, latest) > 0))
        latest = date;
    }
  return latest;
}

static gboolean
check_amount (const EsaCondition  *condition,
              EsaCaseContext      *context,
              gint64               value,
              Outcome             *outcome,
              GError             **error)
{
  const GDate *today = esa_case_context_get_today (context);
  struct { const EsaBound *bound; gint sign; gboolean strict; } bounds[] = {
    { &condition->min, 1, FALSE }, { &condition->max, -1, FALSE },
    { &condition->above, 1, TRUE }, { &condition->below, -1, TRUE },
  };

  outcome->holds = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (bounds); i++)
    {
      gint64 limit;
      gboolean ok;

      if (!bounds[i].bound->set)
        continue;
      if (!resolve_number (context, bounds[i].bound->value, bounds[i].bound->param, today,
                           &limit, error))
        return FALSE;

      if (bounds[i].sign > 0)
        ok = bounds[i].strict ? value > limit : value >= limit;
      else
        ok = bounds[i].strict ? value < limit : value <= limit;

      /* {amount} is the bound that failed, or the first one. */
      if (!outcome->has_amount || (!ok && outcome->holds))
        {
          outcome->has_amount = TRUE;
          outcome->amount = limit;
        }
      if (!ok)
        outcome->holds = FALSE;
    }
  return TRUE;
}

static gboolean
evaluate_condition (EsaProcedure        *self,
                    const EsaCondition  *condition,
                    EsaCaseContext      *context,
                    Outcome             *outcome,
                    GError             **error)
{
  const GDate *today = esa_case_context_get_today (context);
  const char *state = esa_case_context_get_state (context);
  const EsaDeadline *deadline;
  const GDate *start;
  const char *user, *actor;
  GDate due;

  g_date_clear (&outcome->date, 1);
  g_date_clear (&outcome->end, 1);

  switch (condition->kind)
    {
    case ESA_GUARD_AFTER:
    case ESA_GUARD_BEFORE:
      start = latest_date (context, condition->names);
      if (start == NULL)
        {
          outcome->missing = not_recorded (self, condition->names[0]);
          return TRUE;
        }
      if (!period_end (self, &condition->period, start, context, &due, &outcome->count, error))
        return FALSE;
      outcome->date = due;
      if (condition->kind == ESA_GUARD_AFTER)
        {
          outcome->holds = g_date_compare (today, &due) >= 0;
          outcome->dated = TRUE;
        }
      else
        {
          outcome->holds = g_date_compare (today, &due) <= 0;
          outcome->closes = TRUE;
        }
      return TRUE;

    case ESA_GUARD_DEADLINE_PASSED:
    case ESA_GUARD_DEADLINE_OPEN:
      deadline = esa_procedure_find_deadline (self, condition->names[0]);
      start = esa_case_context_get_date (context, deadline->from_field);
      if (start == NULL)
        {
          outcome->missing = not_recorded (self, deadline->from_field);
          return TRUE;
        }
      if (!period_end (self, &deadline->period, start, context, &due, &outcome->count, error))
        return FALSE;
      outcome->end = due;
      outcome->date = due;
      if (condition->kind == ESA_GUARD_DEADLINE_PASSED)
        {
          g_date_add_days (&outcome->date, 1);
          outcome->holds = g_date_compare (today, &due) > 0;
          outcome->dated = TRUE;
        }
      else
        {
          outcome->holds = g_date_compare (today, &due) <= 0;
          outcome->closes = TRUE;
        }
      return TRUE;

    case ESA_GUARD_STATE:
    case ESA_GUARD_NOT_STATE:
      outcome->state = state;
      outcome->holds = (state != NULL && g_strv_contains ((const char * const *) condition->names,
                                                          state))
                       == (condition->kind == ESA_GUARD_STATE);
      return TRUE;

    case ESA_GUARD_AMOUNT:
      if (!esa_case_context_get_amount (context, condition->names[0], &outcome->value))
        {
          outcome->missing = g_strdup_printf (_("the amount “%s” is not known"),
                                              field_label (self, condition->names[0]));
          return TRUE;
        }
      outcome->has_value = TRUE;
      return check_amount (condition, context, outcome->value, outcome, error);

    case ESA_GUARD_FLAG:
    case ESA_GUARD_NOT_FLAG:
      outcome->flag = condition->names[0];
      outcome->holds = esa_case_context_get_flag (context, condition->names[0])
                       == (condition->kind == ESA_GUARD_FLAG);
      return TRUE;

    case ESA_GUARD_ROLE:
      outcome->role = condition->names[0];
      outcome->holds = esa_case_context_actor_has_role (context, condition->names[0]);
      return TRUE;

    case ESA_GUARD_FOUR_EYES:
      outcome->field = condition->names[0];
      user = esa_case_context_get_user (context, condition->names[0]);
      actor = esa_case_context_get_actor (context);
      if (actor == NULL)
        outcome->missing = g_strdup (_("the acting user is not known"));
      else if (user == NULL)
        outcome->missing = not_recorded (self, condition->names[0]);
      else
        outcome->holds = strcmp (user, actor) != 0;
      return TRUE;

    case ESA_GUARD_RECORDED:
    case ESA_GUARD_NOT_RECORDED:
      outcome->field = condition->names[0];
      outcome->holds = (esa_case_context_get_date (context, condition->names[0]) != NULL
                        || esa_case_context_get_amount (context, condition->names[0], NULL)
                        || esa_case_context_get_user (context, condition->names[0]) != NULL)
                       == (condition->kind == ESA_GUARD_RECORDED);
      return TRUE;

    case ESA_N_GUARD_KINDS:
    default:
      g_assert_not_reached ();
    }
}

/* ---- sentences ---------------------------------------------------------- */

static const char *
flag_label (EsaProcedure *self,
            const char   *id)
{
  for (guint i = 0; i < self->flags->len; i++)
    {
      const EsaChoice *flag = g_ptr_array_index (self->flags, i);

      if (strcmp (flag->id, id) == 0)
        return esa_procedure_gettext (flag->label);
    }
  return id;
}

static char *
format_amount (EsaCaseContext *context,
               gint64          minor)
{
  const char *currency = esa_case_context_get_currency (context);

  return currency != NULL ? esa_money_format (minor, currency) : esa_money_to_decimal (minor);
}

/* The value of placeholder @name from @outcome, or NULL when it has none. */
static char *
placeholder_value (EsaProcedure   *self,
                   EsaCaseContext *context,
                   const Outcome  *outcome,
                   const char     *name)
{
  if (strcmp (name, "date") == 0 && g_date_valid (&outcome->date))
    return esa_procedure_format_date (&outcome->date);
  if (strcmp (name, "end") == 0 && g_date_valid (&outcome->end))
    return esa_procedure_format_date (&outcome->end);
  if ((strcmp (name, "days") == 0 || strcmp (name, "months") == 0)
      && g_date_valid (&outcome->date))
    return g_strdup_printf ("%u", outcome->count);
  if (strcmp (name, "amount") == 0 && outcome->has_amount)
    return format_amount (context, outcome->amount);
  if (strcmp (name, "value") == 0 && outcome->has_value)
    return format_amount (context, outcome->value);
  if (strcmp (name, "state") == 0 && outcome->state != NULL)
    {
      const EsaState *state = esa_procedure_find_state (self, outcome->state);

      return g_strdup (state != NULL ? esa_procedure_gettext (state->label) : outcome->state);
    }
  if (strcmp (name, "flag") == 0 && outcome->flag != NULL)
    return g_strdup (flag_label (self, outcome->flag));
  if (strcmp (name, "role") == 0 && outcome->role != NULL)
    return g_strdup (outcome->role);
  if (strcmp (name, "field") == 0 && outcome->field != NULL)
    return g_strdup (field_label (self, outcome->field));
  return NULL;
}

/* The translated @explain with its placeholders filled from the guard's
 * outcome, then from its applies_if's. */
static char *
format_explain (EsaProcedure   *self,
                EsaCaseContext *context,
                const char     *explain,
                const Outcome  *outcome,
                const Outcome  *if_outcome)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const char *p = esa_procedure_gettext (explain);

  while (*p != '\0')
    {
      const char *open = strchr (p, '{');
      const char *close = open != NULL ? strchr (open, '}') : NULL;
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (open == NULL || close == NULL)
        {
          g_string_append (text, p);
          break;
        }

      g_string_append_len (text, p, open - p);
      name = g_strndup (open + 1, (gsize) (close - open - 1));
      value = placeholder_value (self, context, outcome, name);
      if (value == NULL && if_outcome != NULL)
        value = placeholder_value (self, context, if_outcome, name);
      /* A placeholder without a value (a translation naming one the guard
       * does not fill) stays visible rather than vanishing. */
      if (value != NULL)
        g_string_append (text, value);
      else
        g_string_append_len (text, open, close - open + 1);
      p = close + 1;
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* ---- actions ------------------------------------------------------------ */

/* Takes @reason. */
static void
add_reason (GStrvBuilder *reasons,
            char         *reason)
{
  g_strv_builder_add (reasons, reason);
  g_free (reason);
}

static gboolean
state_in (const EsaAction *action,
          const char      *state)
{
  return state != NULL && g_strv_contains ((const char * const *) action->from, state);
}

static EsaActionStatus *
evaluate_action (EsaProcedure     *self,
                 const EsaAction  *action,
                 EsaCaseContext   *context,
                 GError          **error)
{
  g_autoptr(EsaActionStatus) status = g_new0 (EsaActionStatus, 1);
  g_autoptr(GStrvBuilder) reasons = g_strv_builder_new ();
  const char *state = esa_case_context_get_state (context);
  gboolean only_time = TRUE;
  GDate opens, closes;

  g_date_clear (&opens, 1);
  g_date_clear (&closes, 1);
  g_date_clear (&status->available_from, 1);
  status->action = action;

  if (!state_in (action, state))
    {
      const EsaState *known = esa_procedure_find_state (self, state);

      add_reason (reasons,
                  /* Translators: %s is the label of a case state */
                  g_strdup_printf (_("not possible while the case is “%s”"),
                                   known != NULL ? esa_procedure_gettext (known->label) : state));
      only_time = FALSE;
    }

  if (g_strcmp0 (action->to, ESA_STATE_PREVIOUS) == 0)
    {
      status->to_state = g_strdup (esa_case_context_get_previous_state (context));
      if (status->to_state == NULL)
        {
          g_strv_builder_add (reasons, _("the state the case was in before is not known"));
          only_time = FALSE;
        }
    }
  else
    status->to_state = g_strdup (action->to);

  for (guint i = 0; i < action->guards->len; i++)
    {
      const EsaGuard *guard = g_ptr_array_index (action->guards, i);
      Outcome outcome = { 0 };
      Outcome if_outcome = { 0 };
      gboolean applies = TRUE;

      if (guard->applies_if != NULL)
        {
          if (!evaluate_condition (self, guard->applies_if, context, &if_outcome, error))
            {
              outcome_clear (&if_outcome);
              return NULL;
            }
          /* When the condition cannot be told, the guard applies: an
           * unknown amount must not let a rule for small debts slip. */
          applies = if_outcome.holds || if_outcome.missing != NULL;
        }

      if (applies && !evaluate_condition (self, &guard->condition, context, &outcome, error))
        {
          outcome_clear (&outcome);
          outcome_clear (&if_outcome);
          return NULL;
        }

      if (applies && !outcome.holds)
        {
          if (outcome.missing != NULL)
            add_reason (reasons, g_steal_pointer (&outcome.missing));
          else
            add_reason (reasons, format_explain (self, context, guard->explain,
                                                 &outcome, &if_outcome));

          if (outcome.dated && g_date_valid (&outcome.date))
            {
              if (!g_date_valid (&opens) || g_date_compare (&outcome.date, &opens) > 0)
                opens = outcome.date;
            }
          else
            only_time = FALSE;
        }
      else if (applies && outcome.closes && g_date_valid (&outcome.date))
        {
          if (!g_date_valid (&closes) || g_date_compare (&outcome.date, &closes) < 0)
            closes = outcome.date;
        }

      outcome_clear (&outcome);
      outcome_clear (&if_outcome);
    }

  status->reasons = g_strv_builder_end (reasons);
  status->available = status->reasons[0] == NULL;
  if (!status->available)
    status->reason = g_strdup (status->reasons[0]);

  /* Waiting helps only when the window does not close before it opens. */
  if (!status->available && only_time && g_date_valid (&opens)
      && (!g_date_valid (&closes) || g_date_compare (&opens, &closes) <= 0))
    status->available_from = opens;

  return g_steal_pointer (&status);
}

static gboolean
check_state (EsaProcedure    *self,
             EsaCaseContext  *context,
             GError         **error)
{
  const char *state = esa_case_context_get_state (context);

  if (state == NULL || esa_procedure_find_state (self, state) == NULL)
    {
      g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID,
                   _("the procedure “%s” has no state “%s”"), self->id,
                   state != NULL ? state : "");
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
esa_procedure_evaluate (EsaProcedure    *self,
                        EsaCaseContext  *context,
                        GError         **error)
{
  g_autoptr(GPtrArray) statuses = NULL;
  const char *state;

  g_return_val_if_fail (ESA_IS_PROCEDURE (self), NULL);
  g_return_val_if_fail (context != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_state (self, context, error))
    return NULL;

  state = esa_case_context_get_state (context);
  statuses = g_ptr_array_new_with_free_func ((GDestroyNotify) esa_action_status_free);
  for (guint i = 0; i < self->actions->len; i++)
    {
      const EsaAction *action = g_ptr_array_index (self->actions, i);
      EsaActionStatus *status;

      if (!state_in (action, state))
        continue;

      status = evaluate_action (self, action, context, error);
      if (status == NULL)
        return NULL;
      g_ptr_array_add (statuses, status);
    }

  return g_steal_pointer (&statuses);
}

EsaActionStatus *
esa_procedure_evaluate_action (EsaProcedure    *self,
                               const char      *action_id,
                               EsaCaseContext  *context,
                               GError         **error)
{
  const EsaAction *action;

  g_return_val_if_fail (ESA_IS_PROCEDURE (self), NULL);
  g_return_val_if_fail (action_id != NULL, NULL);
  g_return_val_if_fail (context != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  action = esa_procedure_find_action (self, action_id);
  if (action == NULL)
    {
      g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID,
                   _("the procedure “%s” has no action “%s”"), self->id, action_id);
      return NULL;
    }

  if (!check_state (self, context, error))
    return NULL;

  return evaluate_action (self, action, context, error);
}
