/* Reading and validating a procedure file.
 *
 * The file is read in three passes. The first turns the JSON into the
 * structures of esa-procedure.h, checking each value on its own (types,
 * required members, duplicate ids). When that is clean the second resolves
 * every reference (states, fields, deadlines, flags, act types, parameter
 * tables, calendars, the placeholders of explain sentences), walking the
 * JSON again in step with the structures so that each problem names its
 * path. The third checks the graph: every state reachable from an initial
 * state, every action able to run. */

#include "esa-procedure-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

const char * const _esa_guard_kind_names[ESA_N_GUARD_KINDS] = {
  "after", "before", "deadline_passed", "deadline_open", "state", "not_state", "amount",
  "flag", "not_flag", "role", "four_eyes", "recorded", "not_recorded",
};

static const char * const field_type_names[] = {
  "date", "amount", "count", "text", "choice", "bool", "items", "user", NULL,
};

static const char * const counting_names[] = { "plain", "adjusted", "business", NULL };

/* "Every state that is not final" and "every state", in "from". */
#define FROM_OPEN "@open"
#define FROM_ANY  "@any"

const char * const *
_esa_guard_placeholders (EsaGuardKind  kind,
                         EsaPeriodUnit unit)
{
  static const char * const dated_days[] = { "date", "days", NULL };
  static const char * const dated_months[] = { "date", "months", NULL };
  static const char * const deadline_days[] = { "date", "end", "days", NULL };
  static const char * const deadline_months[] = { "date", "end", "months", NULL };
  static const char * const amount[] = { "amount", "value", NULL };
  static const char * const state[] = { "state", NULL };
  static const char * const flag[] = { "flag", NULL };
  static const char * const role[] = { "role", NULL };
  static const char * const field[] = { "field", NULL };

  switch (kind)
    {
    case ESA_GUARD_AFTER:
    case ESA_GUARD_BEFORE:
      return unit == ESA_PERIOD_DAYS ? dated_days : dated_months;
    case ESA_GUARD_DEADLINE_PASSED:
    case ESA_GUARD_DEADLINE_OPEN:
      return unit == ESA_PERIOD_DAYS ? deadline_days : deadline_months;
    case ESA_GUARD_STATE:
    case ESA_GUARD_NOT_STATE:
      return state;
    case ESA_GUARD_AMOUNT:
      return amount;
    case ESA_GUARD_FLAG:
    case ESA_GUARD_NOT_FLAG:
      return flag;
    case ESA_GUARD_ROLE:
      return role;
    case ESA_GUARD_FOUR_EYES:
    case ESA_GUARD_RECORDED:
    case ESA_GUARD_NOT_RECORDED:
      return field;
    case ESA_N_GUARD_KINDS:
    default:
      g_return_val_if_reached (NULL);
    }
}

/* Ids are what code, databases and other files refer to: keep them plain. */
static gboolean
check_id (EsaJsonCheck *check,
          const char   *member,
          const char   *id)
{
  if (id == NULL)
    return FALSE;

  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_' && *p != '-')
      {
        _esa_json_check_problem (check, member,
                                 _("“%s” is not an id: use a-z, 0-9, “_” and “-”"), id);
        return FALSE;
      }
  return TRUE;
}

static gint
index_of (const char * const *list,
          const char         *name)
{
  for (gint i = 0; list[i] != NULL; i++)
    if (g_strcmp0 (list[i], name) == 0)
      return i;
  return -1;
}

/* ---- pass 1: values ----------------------------------------------------- */

static void
read_states (EsaProcedure *self,
             EsaJsonCheck *check,
             JsonArray    *array)
{
  static const char * const members[] = {
    "id", "label", "initial", "final", "description", NULL,
  };
  gboolean any_initial = FALSE;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      EsaState *state = g_new0 (EsaState, 1);

      _esa_json_check_push_index (check, i);
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        {
          state->id = g_strdup (json_node_get_string (node));
          state->label = g_strdup (state->id);
        }
      else if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *object = json_node_get_object (node);

          _esa_json_check_members (check, object, members);
          state->id = g_strdup (_esa_json_string (check, object, "id", TRUE));
          state->label = g_strdup (_esa_json_string (check, object, "label", TRUE));
          _esa_json_bool (check, object, "initial", &state->initial);
          _esa_json_bool (check, object, "final", &state->final);
        }
      else
        _esa_json_check_problem (check, NULL, _("a state is a string or an object"));

      if (state->id != NULL && check_id (check, "id", state->id))
        {
          if (esa_procedure_find_state (self, state->id) != NULL)
            _esa_json_check_problem (check, NULL, _("duplicate state id “%s”"), state->id);
          any_initial |= state->initial;
          g_ptr_array_add (self->states, state);
        }
      else
        _esa_state_free (state);
      _esa_json_check_pop (check);
    }

  /* Without a word on it, a procedure starts in its first state. */
  if (!any_initial && self->states->len > 0)
    ((EsaState *) g_ptr_array_index (self->states, 0))->initial = TRUE;
}

/* Documents and flags: [{ "id": …, "label": … }]. */
static void
read_labelled (EsaJsonCheck *check,
               JsonArray    *array,
               GPtrArray    *into)
{
  static const char * const members[] = { "id", "label", "description", NULL };

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = _esa_json_element_object (check, array, i);
      const char *id, *label;

      if (object == NULL)
        continue;

      _esa_json_check_push_index (check, i);
      _esa_json_check_members (check, object, members);
      id = _esa_json_string (check, object, "id", TRUE);
      label = _esa_json_string (check, object, "label", TRUE);
      if (check_id (check, "id", id) && label != NULL)
        {
          EsaChoice *entry = g_new0 (EsaChoice, 1);

          for (guint j = 0; j < into->len; j++)
            if (strcmp (((EsaChoice *) g_ptr_array_index (into, j))->id, id) == 0)
              _esa_json_check_problem (check, "id", _("duplicate id “%s”"), id);

          entry->id = g_strdup (id);
          entry->label = g_strdup (label);
          g_ptr_array_add (into, entry);
        }
      _esa_json_check_pop (check);
    }
}

static EsaField *
read_field (EsaJsonCheck *check,
            JsonObject   *object,
            gboolean      nested)
{
  static const char * const members[] = {
    "id", "type", "label", "required", "choices", "items", "description", NULL,
  };
  EsaField *field;
  const char *id, *type, *label;
  JsonArray *array;
  gint type_index = -1;

  _esa_json_check_members (check, object, members);
  id = _esa_json_string (check, object, "id", TRUE);
  type = _esa_json_string (check, object, "type", TRUE);
  label = _esa_json_string (check, object, "label", TRUE);

  if (type != NULL && (type_index = index_of (field_type_names, type)) < 0)
    {
      g_autofree char *list = g_strjoinv (", ", (char **) field_type_names);

      _esa_json_check_problem (check, "type", _("unknown field type “%s” (known: %s)"),
                               type, list);
    }

  if (!check_id (check, "id", id) || type_index < 0 || label == NULL)
    return NULL;

  field = g_new0 (EsaField, 1);
  field->id = g_strdup (id);
  field->type = (EsaFieldType) type_index;
  field->label = g_strdup (label);
  _esa_json_bool (check, object, "required", &field->required);

  array = _esa_json_array (check, object, "choices", field->type == ESA_FIELD_CHOICE);
  if (array != NULL && field->type != ESA_FIELD_CHOICE)
    _esa_json_check_problem (check, "choices", _("only a choice field has choices"));
  else if (array != NULL)
    {
      field->choices = g_ptr_array_new_with_free_func (_esa_choice_free);
      _esa_json_check_push_member (check, "choices");
      read_labelled (check, array, field->choices);
      _esa_json_check_pop (check);
      if (field->choices->len == 0)
        _esa_json_check_problem (check, "choices", _("must not be empty"));
    }

  array = _esa_json_array (check, object, "items", field->type == ESA_FIELD_ITEMS);
  if (array != NULL && (field->type != ESA_FIELD_ITEMS || nested))
    _esa_json_check_problem (check, "items", nested ? _("items cannot hold items")
                                                    : _("only an items field has items"));
  else if (array != NULL)
    {
      field->items = g_ptr_array_new_with_free_func (_esa_field_free);
      _esa_json_check_push_member (check, "items");
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonObject *item_object = _esa_json_element_object (check, array, i);
          EsaField *item;

          if (item_object == NULL)
            continue;
          _esa_json_check_push_index (check, i);
          if ((item = read_field (check, item_object, TRUE)) != NULL)
            g_ptr_array_add (field->items, item);
          _esa_json_check_pop (check);
        }
      _esa_json_check_pop (check);
      if (field->items->len == 0)
        _esa_json_check_problem (check, "items", _("must not be empty"));
    }

  return field;
}

/* A field id names one kind of value wherever it appears, so that a guard
 * on "notified_on" means the same date whichever action recorded it. */
static void
register_field (EsaProcedure *self,
                EsaJsonCheck *check,
                EsaField     *field)
{
  EsaField *known = g_hash_table_lookup (self->fields, field->id);

  if (known == NULL)
    g_hash_table_insert (self->fields, field->id, field);
  else if (known->type != field->type)
    _esa_json_check_problem (check, "type",
                             _("the field “%s” is a %s elsewhere in the file"),
                             field->id, field_type_names[known->type]);
}

static GPtrArray *
read_fields (EsaProcedure *self,
             EsaJsonCheck *check,
             JsonArray    *array)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func (_esa_field_free);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = _esa_json_element_object (check, array, i);
      EsaField *field;

      if (object == NULL)
        continue;

      _esa_json_check_push_index (check, i);
      field = read_field (check, object, FALSE);
      if (field != NULL)
        {
          for (guint j = 0; j < fields->len; j++)
            if (strcmp (((EsaField *) g_ptr_array_index (fields, j))->id, field->id) == 0)
              _esa_json_check_problem (check, "id", _("duplicate field id “%s”"), field->id);
          register_field (self, check, field);
          g_ptr_array_add (fields, field);
        }
      _esa_json_check_pop (check);
    }
  return fields;
}

/* A whole number, or { "param": "table" } for one from a parameter table. */
static gboolean
read_number (EsaJsonCheck  *check,
             JsonObject    *object,
             const char    *member,
             gint64        *out_value,
             char         **out_param)
{
  static const char * const members[] = { "param", NULL };
  JsonNode *node = json_object_get_member (object, member);

  *out_param = NULL;
  if (node == NULL)
    return FALSE;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *ref = json_node_get_object (node);
      const char *param;

      _esa_json_check_push_member (check, member);
      _esa_json_check_members (check, ref, members);
      param = _esa_json_string (check, ref, "param", TRUE);
      _esa_json_check_pop (check);
      if (param == NULL)
        return FALSE;
      *out_param = g_strdup (param);
      return TRUE;
    }

  if (!_esa_json_int (check, object, member, FALSE, out_value))
    return FALSE;
  if (*out_value < 0)
    {
      _esa_json_check_problem (check, member, _("must not be negative"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_period (EsaJsonCheck *check,
             JsonObject   *object,
             EsaPeriod    *period)
{
  gboolean has_days = json_object_has_member (object, "days");
  gboolean has_months = json_object_has_member (object, "months");
  const char *counting, *calendar;
  gint64 count = 0;

  if (has_days == has_months)
    {
      _esa_json_check_problem (check, NULL, _("give either “days” or “months”"));
      return FALSE;
    }

  period->unit = has_days ? ESA_PERIOD_DAYS : ESA_PERIOD_MONTHS;
  if (!read_number (check, object, has_days ? "days" : "months", &count, &period->param))
    return FALSE;
  if (count > G_MAXUINT16)
    {
      _esa_json_check_problem (check, has_days ? "days" : "months", _("is implausibly long"));
      return FALSE;
    }
  period->count = (guint) count;

  counting = _esa_json_string (check, object, "counting", FALSE);
  period->counting = ESA_COUNTING_PLAIN;
  if (counting != NULL)
    {
      gint index = index_of (counting_names, counting);

      if (index < 0)
        {
          _esa_json_check_problem (check, "counting",
                                   _("unknown counting “%s” (known: plain, adjusted, business)"),
                                   counting);
          return FALSE;
        }
      period->counting = (EsaCounting) index;
    }

  if (period->unit == ESA_PERIOD_MONTHS && period->counting == ESA_COUNTING_BUSINESS)
    {
      _esa_json_check_problem (check, "counting", _("months cannot be counted in working days"));
      return FALSE;
    }

  calendar = _esa_json_string (check, object, "calendar", FALSE);
  period->calendar = g_strdup (calendar);
  return TRUE;
}

static gboolean
read_condition (EsaJsonCheck *check,
                JsonObject   *object,
                EsaCondition *condition,
                gboolean      is_guard)
{
  static const char * const period_members[] = { "days", "months", "counting", "calendar", NULL };
  static const char * const bound_members[] = { "min", "max", "above", "below", NULL };
  g_autoptr(GStrvBuilder) allowed = g_strv_builder_new ();
  g_auto(GStrv) allowed_list = NULL;
  const char *kind_name;
  gint kind = -1;

  for (guint k = 0; k < ESA_N_GUARD_KINDS; k++)
    if (json_object_has_member (object, _esa_guard_kind_names[k]))
      {
        if (kind >= 0)
          {
            _esa_json_check_problem (check, NULL, _("a guard tests one thing: “%s” or “%s”"),
                                     _esa_guard_kind_names[kind], _esa_guard_kind_names[k]);
            return FALSE;
          }
        kind = (gint) k;
      }

  if (kind < 0)
    {
      g_autofree char *list = g_strjoinv (", ", (char **) _esa_guard_kind_names);

      _esa_json_check_problem (check, NULL, _("a guard needs one of: %s"), list);
      return FALSE;
    }

  condition->kind = (EsaGuardKind) kind;
  kind_name = _esa_guard_kind_names[kind];

  g_strv_builder_add (allowed, kind_name);
  if (is_guard)
    {
      g_strv_builder_add (allowed, "explain");
      g_strv_builder_add (allowed, "applies_if");
      g_strv_builder_add (allowed, "source");
    }
  if (kind == ESA_GUARD_AFTER || kind == ESA_GUARD_BEFORE)
    g_strv_builder_addv (allowed, (const char **) period_members);
  if (kind == ESA_GUARD_AMOUNT)
    g_strv_builder_addv (allowed, (const char **) bound_members);
  allowed_list = g_strv_builder_end (allowed);
  _esa_json_check_members (check, object, (const char * const *) allowed_list);

  condition->names = _esa_json_strings (check, object, kind_name, TRUE);
  if (condition->names == NULL)
    return FALSE;

  /* Only dates (the latest counts) and states come in lists. */
  if (g_strv_length (condition->names) > 1
      && kind != ESA_GUARD_AFTER && kind != ESA_GUARD_BEFORE
      && kind != ESA_GUARD_STATE && kind != ESA_GUARD_NOT_STATE)
    {
      _esa_json_check_problem (check, kind_name, _("names one thing, not a list"));
      return FALSE;
    }

  if (kind == ESA_GUARD_AFTER || kind == ESA_GUARD_BEFORE)
    return read_period (check, object, &condition->period);

  if (kind == ESA_GUARD_AMOUNT)
    {
      struct { const char *member; EsaBound *bound; } bounds[] = {
        { "min", &condition->min }, { "max", &condition->max },
        { "above", &condition->above }, { "below", &condition->below },
      };

      for (guint i = 0; i < G_N_ELEMENTS (bounds); i++)
        bounds[i].bound->set = read_number (check, object, bounds[i].member,
                                            &bounds[i].bound->value, &bounds[i].bound->param);

      if (!condition->min.set && !condition->max.set
          && !condition->above.set && !condition->below.set)
        {
          _esa_json_check_problem (check, NULL,
                                   _("an amount guard needs “min”, “max”, “above” or “below”"));
          return FALSE;
        }
    }

  return TRUE;
}

static EsaGuard *
read_guard (EsaJsonCheck *check,
            JsonObject   *object)
{
  EsaGuard *guard = g_new0 (EsaGuard, 1);
  JsonObject *applies_if;
  const char *explain;

  read_condition (check, object, &guard->condition, TRUE);

  explain = _esa_json_string (check, object, "explain", TRUE);
  guard->explain = g_strdup (explain);

  applies_if = _esa_json_object (check, object, "applies_if", FALSE);
  if (applies_if != NULL)
    {
      guard->applies_if = g_new0 (EsaCondition, 1);
      _esa_json_check_push_member (check, "applies_if");
      read_condition (check, applies_if, guard->applies_if, FALSE);
      _esa_json_check_pop (check);
    }

  return guard;
}

static EsaDeadline *
read_deadline (EsaProcedure *self,
               EsaJsonCheck *check,
               JsonObject   *object)
{
  static const char * const members[] = {
    "deadline", "label", "from_field", "days", "months", "counting", "calendar", "source",
    NULL,
  };
  EsaDeadline *deadline = g_new0 (EsaDeadline, 1);
  const char *id;

  _esa_json_check_members (check, object, members);
  id = _esa_json_string (check, object, "deadline", TRUE);
  if (check_id (check, "deadline", id))
    {
      if (g_hash_table_contains (self->deadlines, id))
        _esa_json_check_problem (check, "deadline", _("duplicate deadline id “%s”"), id);
      deadline->id = g_strdup (id);
      g_hash_table_insert (self->deadlines, deadline->id, deadline);
    }
  deadline->label = g_strdup (_esa_json_string (check, object, "label", TRUE));
  deadline->from_field = g_strdup (_esa_json_string (check, object, "from_field", TRUE));
  read_period (check, object, &deadline->period);
  return deadline;
}

static EsaAction *
read_action (EsaProcedure *self,
             EsaJsonCheck *check,
             JsonObject   *object)
{
  static const char * const members[] = {
    "id", "label", "description", "from", "to", "fields", "guards", "starts", "produces",
    "source", NULL,
  };
  EsaAction *action = g_new0 (EsaAction, 1);
  const char *id;
  JsonArray *array;

  _esa_json_check_members (check, object, members);
  id = _esa_json_string (check, object, "id", TRUE);
  if (check_id (check, "id", id))
    {
      if (esa_procedure_find_action (self, id) != NULL)
        _esa_json_check_problem (check, "id", _("duplicate action id “%s”"), id);
      action->id = g_strdup (id);
    }
  action->label = g_strdup (_esa_json_string (check, object, "label", TRUE));
  action->description = g_strdup (_esa_json_string (check, object, "description", FALSE));
  action->from = _esa_json_strings (check, object, "from", TRUE);
  action->to = g_strdup (_esa_json_string (check, object, "to", FALSE));
  action->produces = _esa_json_strings (check, object, "produces", FALSE);
  if (action->produces == NULL)
    action->produces = g_new0 (char *, 1);

  array = _esa_json_array (check, object, "fields", FALSE);
  if (array != NULL)
    {
      _esa_json_check_push_member (check, "fields");
      action->fields = read_fields (self, check, array);
      _esa_json_check_pop (check);
    }
  else
    action->fields = g_ptr_array_new_with_free_func (_esa_field_free);

  /* The guards array frees its guards in _esa_action_free(). */
  action->guards = g_ptr_array_new ();
  array = _esa_json_array (check, object, "guards", FALSE);
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *guard_object;

      _esa_json_check_push_member (check, "guards");
      guard_object = _esa_json_element_object (check, array, i);
      if (guard_object != NULL)
        {
          _esa_json_check_push_index (check, i);
          g_ptr_array_add (action->guards, read_guard (check, guard_object));
          _esa_json_check_pop (check);
        }
      _esa_json_check_pop (check);
    }

  action->starts = g_ptr_array_new_with_free_func (_esa_deadline_free);
  array = _esa_json_array (check, object, "starts", FALSE);
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *deadline_object;

      _esa_json_check_push_member (check, "starts");
      deadline_object = _esa_json_element_object (check, array, i);
      if (deadline_object != NULL)
        {
          _esa_json_check_push_index (check, i);
          g_ptr_array_add (action->starts, read_deadline (self, check, deadline_object));
          _esa_json_check_pop (check);
        }
      _esa_json_check_pop (check);
    }

  return action;
}

/* ---- pass 2: references ------------------------------------------------- */

typedef struct
{
  EsaProcedure  *self;
  EsaJsonCheck  *check;
  EsaParameters *params;
} Resolver;

static void
check_param (Resolver   *r,
             const char *member,
             const char *param,
             const char *unit)
{
  const char *actual;

  if (param == NULL || r->params == NULL)
    return;

  actual = esa_parameters_get_unit (r->params, param);
  if (actual == NULL)
    _esa_json_check_problem (r->check, member, _("unknown parameter table “%s”"), param);
  else if (strcmp (actual, unit) != 0)
    _esa_json_check_problem (r->check, member,
                             _("the parameter table “%s” holds %s, not %s"), param, actual, unit);
}

static void
check_period (Resolver        *r,
              const EsaPeriod *period)
{
  const char *calendar = period->calendar != NULL ? period->calendar : r->self->calendar;

  check_param (r, period->unit == ESA_PERIOD_DAYS ? "days" : "months", period->param,
               period->unit == ESA_PERIOD_DAYS ? "days" : "months");

  if (period->counting == ESA_COUNTING_PLAIN)
    return;

  if (calendar == NULL)
    _esa_json_check_problem (r->check, "counting",
                             _("counting in a calendar needs “calendar” here or in the "
                               "procedure"));
  else if (r->params != NULL && esa_parameters_get_calendar (r->params, calendar, NULL) == NULL)
    _esa_json_check_problem (r->check, period->calendar != NULL ? "calendar" : "counting",
                             _("unknown calendar “%s”"), calendar);
}

/* @name must be a field of @type (or of any type when @type is negative). */
static void
check_field (Resolver   *r,
             const char *member,
             const char *name,
             gint        type)
{
  const EsaField *field = esa_procedure_find_field (r->self, name);

  if (field == NULL)
    _esa_json_check_problem (r->check, member, _("unknown field “%s”"), name);
  else if (type >= 0 && field->type != (EsaFieldType) type)
    _esa_json_check_problem (r->check, member, _("the field “%s” is not a %s field"),
                             name, field_type_names[type]);
}

static gboolean
has_flag (EsaProcedure *self,
          const char   *id)
{
  for (guint i = 0; i < self->flags->len; i++)
    if (strcmp (((EsaChoice *) g_ptr_array_index (self->flags, i))->id, id) == 0)
      return TRUE;
  return FALSE;
}

/* Checks the references of @condition; returns the unit of the period its
 * placeholders speak of. */
static EsaPeriodUnit
check_condition (Resolver           *r,
                 const EsaCondition *condition)
{
  const char *member = _esa_guard_kind_names[condition->kind];
  const EsaDeadline *deadline;

  switch (condition->kind)
    {
    case ESA_GUARD_AFTER:
    case ESA_GUARD_BEFORE:
      for (guint i = 0; condition->names[i] != NULL; i++)
        check_field (r, member, condition->names[i], ESA_FIELD_DATE);
      check_period (r, &condition->period);
      return condition->period.unit;

    case ESA_GUARD_DEADLINE_PASSED:
    case ESA_GUARD_DEADLINE_OPEN:
      deadline = esa_procedure_find_deadline (r->self, condition->names[0]);
      if (deadline == NULL)
        {
          _esa_json_check_problem (r->check, member, _("unknown deadline “%s”"),
                                   condition->names[0]);
          return ESA_PERIOD_DAYS;
        }
      return deadline->period.unit;

    case ESA_GUARD_STATE:
    case ESA_GUARD_NOT_STATE:
      for (guint i = 0; condition->names[i] != NULL; i++)
        if (esa_procedure_find_state (r->self, condition->names[i]) == NULL)
          _esa_json_check_problem (r->check, member, _("unknown state “%s”"),
                                   condition->names[i]);
      break;

    case ESA_GUARD_AMOUNT:
      check_field (r, member, condition->names[0], ESA_FIELD_AMOUNT);
      check_param (r, "min", condition->min.param, "minor");
      check_param (r, "max", condition->max.param, "minor");
      check_param (r, "above", condition->above.param, "minor");
      check_param (r, "below", condition->below.param, "minor");
      break;

    case ESA_GUARD_FLAG:
    case ESA_GUARD_NOT_FLAG:
      if (!has_flag (r->self, condition->names[0]))
        _esa_json_check_problem (r->check, member, _("unknown flag “%s”"), condition->names[0]);
      break;

    case ESA_GUARD_FOUR_EYES:
      check_field (r, member, condition->names[0], ESA_FIELD_USER);
      break;

    case ESA_GUARD_RECORDED:
    case ESA_GUARD_NOT_RECORDED:
      check_field (r, member, condition->names[0], -1);
      break;

    case ESA_GUARD_ROLE:
      break;

    case ESA_N_GUARD_KINDS:
    default:
      g_assert_not_reached ();
    }

  return ESA_PERIOD_DAYS;
}

/* Every {name} in @explain must be one the guard can fill in. */
static void
check_placeholders (Resolver           *r,
                    const char         *explain,
                    const char * const *known,
                    const char * const *known_too)
{
  for (const char *p = strchr (explain, '{'); p != NULL; p = strchr (p + 1, '{'))
    {
      const char *close = strchr (p, '}');
      g_autofree char *name = NULL;

      if (close == NULL)
        {
          _esa_json_check_problem (r->check, "explain", _("a “{” is not closed"));
          return;
        }

      name = g_strndup (p + 1, (gsize) (close - p - 1));
      if (!g_strv_contains (known, name)
          && (known_too == NULL || !g_strv_contains (known_too, name)))
        {
          g_autoptr(GString) list = g_string_new (NULL);

          for (guint i = 0; known[i] != NULL; i++)
            g_string_append_printf (list, "%s{%s}", list->len > 0 ? ", " : "", known[i]);
          for (guint i = 0; known_too != NULL && known_too[i] != NULL; i++)
            g_string_append_printf (list, "%s{%s}", list->len > 0 ? ", " : "", known_too[i]);

          _esa_json_check_problem (r->check, "explain",
                                   _("unknown placeholder {%s} (this guard knows: %s)"),
                                   name, list->str);
        }
    }
}

static void
check_guard (Resolver       *r,
             const EsaGuard *guard)
{
  EsaPeriodUnit unit = check_condition (r, &guard->condition);
  const char * const *also = NULL;

  if (guard->applies_if != NULL)
    {
      EsaPeriodUnit if_unit;

      _esa_json_check_push_member (r->check, "applies_if");
      if_unit = check_condition (r, guard->applies_if);
      _esa_json_check_pop (r->check);
      also = _esa_guard_placeholders (guard->applies_if->kind, if_unit);
    }

  check_placeholders (r, guard->explain, _esa_guard_placeholders (guard->condition.kind, unit),
                      also);
}

/* Replaces the wildcards of @action's "from" by the states they stand for. */
static void
expand_from (Resolver  *r,
             EsaAction *action)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; action->from[i] != NULL; i++)
    {
      const char *name = action->from[i];
      gboolean open = strcmp (name, FROM_OPEN) == 0;

      if (open || strcmp (name, FROM_ANY) == 0)
        {
          for (guint s = 0; s < r->self->states->len; s++)
            {
              const EsaState *state = g_ptr_array_index (r->self->states, s);

              if ((!open || !state->final) && g_hash_table_add (seen, state->id))
                g_strv_builder_add (builder, state->id);
            }
        }
      else if (esa_procedure_find_state (r->self, name) == NULL)
        _esa_json_check_problem (r->check, "from", _("unknown state “%s”"), name);
      else if (g_hash_table_add (seen, (gpointer) name))
        g_strv_builder_add (builder, name);
    }

  g_strfreev (action->from);
  action->from = g_strv_builder_end (builder);
}

static void
resolve_action (Resolver  *r,
                EsaAction *action)
{
  expand_from (r, action);

  if (action->to != NULL && strcmp (action->to, ESA_STATE_PREVIOUS) != 0
      && esa_procedure_find_state (r->self, action->to) == NULL)
    _esa_json_check_problem (r->check, "to", _("unknown state “%s”"), action->to);

  _esa_json_check_push_member (r->check, "guards");
  for (guint i = 0; i < action->guards->len; i++)
    {
      _esa_json_check_push_index (r->check, i);
      check_guard (r, g_ptr_array_index (action->guards, i));
      _esa_json_check_pop (r->check);
    }
  _esa_json_check_pop (r->check);

  _esa_json_check_push_member (r->check, "starts");
  for (guint i = 0; i < action->starts->len; i++)
    {
      const EsaDeadline *deadline = g_ptr_array_index (action->starts, i);

      _esa_json_check_push_index (r->check, i);
      check_field (r, "from_field", deadline->from_field, ESA_FIELD_DATE);
      check_period (r, &deadline->period);
      _esa_json_check_pop (r->check);
    }
  _esa_json_check_pop (r->check);

  for (guint i = 0; action->produces[i] != NULL; i++)
    if (esa_procedure_find_act_type (r->self, action->produces[i]) == NULL)
      {
        g_autofree char *at = g_strdup_printf ("produces[%u]", i);

        _esa_json_check_problem (r->check, at, _("unknown act type “%s”"), action->produces[i]);
      }
}

/* ---- pass 3: the graph -------------------------------------------------- */

static void
check_graph (EsaProcedure *self,
             EsaJsonCheck *check)
{
  g_autoptr(GHashTable) reached = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GString) initial = g_string_new (NULL);
  gboolean grew = TRUE;

  for (guint i = 0; i < self->states->len; i++)
    {
      const EsaState *state = g_ptr_array_index (self->states, i);

      if (state->initial)
        {
          g_hash_table_add (reached, state->id);
          g_string_append_printf (initial, "%s“%s”", initial->len > 0 ? ", " : "", state->id);
        }
    }

  /* A state is reached when an action leads there from a reached state;
   * going back to a previous state reaches nothing new. */
  while (grew)
    {
      grew = FALSE;
      for (guint i = 0; i < self->actions->len; i++)
        {
          const EsaAction *action = g_ptr_array_index (self->actions, i);

          if (action->to == NULL || strcmp (action->to, ESA_STATE_PREVIOUS) == 0
              || g_hash_table_contains (reached, action->to))
            continue;

          for (guint f = 0; action->from[f] != NULL; f++)
            if (g_hash_table_contains (reached, action->from[f]))
              {
                g_hash_table_add (reached, action->to);
                grew = TRUE;
                break;
              }
        }
    }

  _esa_json_check_push_member (check, "actions");
  for (guint i = 0; i < self->actions->len; i++)
    {
      const EsaAction *action = g_ptr_array_index (self->actions, i);
      gboolean runs = FALSE;

      for (guint f = 0; action->from[f] != NULL && !runs; f++)
        runs = g_hash_table_contains (reached, action->from[f]);

      _esa_json_check_push_index (check, i);
      if (!runs)
        _esa_json_check_problem (check, "from",
                                 _("the action “%s” can never run: none of the states it runs "
                                   "in can be reached from an initial state (%s)"),
                                 action->id, initial->str);

      /* Going back needs a way in to come back from. */
      if (g_strcmp0 (action->to, ESA_STATE_PREVIOUS) == 0)
        for (guint f = 0; action->from[f] != NULL; f++)
          {
            gboolean entered = FALSE;

            for (guint j = 0; j < self->actions->len && !entered; j++)
              {
                const EsaAction *other = g_ptr_array_index (self->actions, j);

                entered = g_strcmp0 (other->to, action->from[f]) == 0;
              }
            if (!entered)
              _esa_json_check_problem (check, "to",
                                       _("“%s” needs an action that leads into “%s”"),
                                       ESA_STATE_PREVIOUS, action->from[f]);
          }
      _esa_json_check_pop (check);
    }
  _esa_json_check_pop (check);

  _esa_json_check_push_member (check, "states");
  for (guint i = 0; i < self->states->len; i++)
    {
      const EsaState *state = g_ptr_array_index (self->states, i);

      if (!g_hash_table_contains (reached, state->id))
        {
          _esa_json_check_push_index (check, i);
          _esa_json_check_problem (check, NULL,
                                   _("the state “%s” cannot be reached from an initial state "
                                     "(%s)"), state->id, initial->str);
          _esa_json_check_pop (check);
        }
    }
  _esa_json_check_pop (check);
}

/* ---- the file ----------------------------------------------------------- */

void
_esa_procedure_read (EsaProcedure  *self,
                     EsaJsonCheck  *check,
                     JsonNode      *root,
                     EsaParameters *params)
{
  static const char * const members[] = {
    "id", "version", "jurisdiction", "title", "description", "calendar", "source", "states",
    "act_types", "flags", "facts", "actions", NULL,
  };
  Resolver resolver = { self, check, params };
  JsonObject *object;
  JsonArray *array, *actions;
  gint64 version;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      _esa_json_check_problem (check, NULL, _("a procedure is a JSON object"));
      return;
    }

  object = json_node_get_object (root);
  _esa_json_check_members (check, object, members);

  self->id = g_strdup (_esa_json_string (check, object, "id", TRUE));
  check_id (check, "id", self->id);
  if (_esa_json_int (check, object, "version", TRUE, &version))
    {
      if (version < 1 || version > G_MAXINT32)
        _esa_json_check_problem (check, "version", _("must be 1 or more"));
      else
        self->version = (guint) version;
    }
  self->jurisdiction = g_strdup (_esa_json_string (check, object, "jurisdiction", TRUE));
  self->title = g_strdup (_esa_json_string (check, object, "title", TRUE));
  self->calendar = g_strdup (_esa_json_string (check, object, "calendar", FALSE));

  if ((array = _esa_json_array (check, object, "states", TRUE)) != NULL)
    {
      _esa_json_check_push_member (check, "states");
      read_states (self, check, array);
      _esa_json_check_pop (check);
      if (self->states->len == 0)
        _esa_json_check_problem (check, "states", _("must not be empty"));
    }

  if ((array = _esa_json_array (check, object, "act_types", FALSE)) != NULL)
    {
      _esa_json_check_push_member (check, "act_types");
      read_labelled (check, array, self->act_types);
      _esa_json_check_pop (check);
    }

  if ((array = _esa_json_array (check, object, "flags", FALSE)) != NULL)
    {
      _esa_json_check_push_member (check, "flags");
      read_labelled (check, array, self->flags);
      _esa_json_check_pop (check);
    }

  if ((array = _esa_json_array (check, object, "facts", FALSE)) != NULL)
    {
      _esa_json_check_push_member (check, "facts");
      g_ptr_array_unref (self->facts);
      self->facts = read_fields (self, check, array);
      _esa_json_check_pop (check);
    }

  actions = _esa_json_array (check, object, "actions", TRUE);
  if (actions != NULL)
    {
      _esa_json_check_push_member (check, "actions");
      for (guint i = 0; i < json_array_get_length (actions); i++)
        {
          JsonObject *action_object = _esa_json_element_object (check, actions, i);

          if (action_object == NULL)
            continue;
          _esa_json_check_push_index (check, i);
          g_ptr_array_add (self->actions, read_action (self, check, action_object));
          _esa_json_check_pop (check);
        }
      _esa_json_check_pop (check);
    }

  if (!_esa_json_check_ok (check) || actions == NULL)
    return;

  if (self->calendar != NULL && params != NULL
      && esa_parameters_get_calendar (params, self->calendar, NULL) == NULL)
    _esa_json_check_problem (check, "calendar", _("unknown calendar “%s”"), self->calendar);

  _esa_json_check_push_member (check, "actions");
  for (guint i = 0; i < self->actions->len; i++)
    {
      _esa_json_check_push_index (check, i);
      resolve_action (&resolver, g_ptr_array_index (self->actions, i));
      _esa_json_check_pop (check);
    }
  _esa_json_check_pop (check);

  if (_esa_json_check_ok (check))
    check_graph (self, check);
}
