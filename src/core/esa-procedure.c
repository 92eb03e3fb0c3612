#include "esa-procedure-private.h"
#include "esa-core-error.h"

#include <glib/gi18n-lib.h>

G_DEFINE_FINAL_TYPE (EsaProcedure, esa_procedure, G_TYPE_OBJECT)

void
_esa_state_free (gpointer data)
{
  EsaState *state = data;

  g_free (state->id);
  g_free (state->label);
  g_free (state);
}

void
_esa_choice_free (gpointer data)
{
  EsaChoice *choice = data;

  g_free (choice->id);
  g_free (choice->label);
  g_free (choice);
}

void
_esa_field_free (gpointer data)
{
  EsaField *field = data;

  g_free (field->id);
  g_free (field->label);
  g_clear_pointer (&field->choices, g_ptr_array_unref);
  g_clear_pointer (&field->items, g_ptr_array_unref);
  g_free (field);
}

void
_esa_period_clear (EsaPeriod *period)
{
  g_clear_pointer (&period->param, g_free);
  g_clear_pointer (&period->calendar, g_free);
}

void
_esa_deadline_free (gpointer data)
{
  EsaDeadline *deadline = data;

  g_free (deadline->id);
  g_free (deadline->label);
  g_free (deadline->from_field);
  _esa_period_clear (&deadline->period);
  g_free (deadline);
}

void
_esa_condition_clear (EsaCondition *condition)
{
  g_clear_pointer (&condition->names, g_strfreev);
  _esa_period_clear (&condition->period);
  g_clear_pointer (&condition->min.param, g_free);
  g_clear_pointer (&condition->max.param, g_free);
  g_clear_pointer (&condition->above.param, g_free);
  g_clear_pointer (&condition->below.param, g_free);
}

static void
guard_free (gpointer data)
{
  EsaGuard *guard = data;

  _esa_condition_clear (&guard->condition);
  if (guard->applies_if != NULL)
    {
      _esa_condition_clear (guard->applies_if);
      g_free (guard->applies_if);
    }
  g_free (guard->explain);
  g_free (guard);
}

void
_esa_action_free (gpointer data)
{
  EsaAction *action = data;

  g_free (action->id);
  g_free (action->label);
  g_free (action->description);
  g_strfreev (action->from);
  g_free (action->to);
  g_clear_pointer (&action->fields, g_ptr_array_unref);
  if (action->guards != NULL)
    {
      g_ptr_array_set_free_func (action->guards, guard_free);
      g_ptr_array_unref (action->guards);
    }
  g_clear_pointer (&action->starts, g_ptr_array_unref);
  g_strfreev (action->produces);
  g_free (action);
}

static void
act_type_free (gpointer data)
{
  EsaActType *act_type = data;

  g_free (act_type->id);
  g_free (act_type->label);
  g_free (act_type);
}

static void
esa_procedure_finalize (GObject *object)
{
  EsaProcedure *self = ESA_PROCEDURE (object);

  g_free (self->file);
  g_free (self->id);
  g_free (self->jurisdiction);
  g_free (self->title);
  g_free (self->calendar);
  g_clear_pointer (&self->fields, g_hash_table_unref);
  g_clear_pointer (&self->deadlines, g_hash_table_unref);
  g_clear_pointer (&self->actions, g_ptr_array_unref);
  g_clear_pointer (&self->facts, g_ptr_array_unref);
  g_clear_pointer (&self->flags, g_ptr_array_unref);
  g_clear_pointer (&self->act_types, g_ptr_array_unref);
  g_clear_pointer (&self->states, g_ptr_array_unref);

  G_OBJECT_CLASS (esa_procedure_parent_class)->finalize (object);
}

static void
esa_procedure_class_init (EsaProcedureClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = esa_procedure_finalize;
}

static void
esa_procedure_init (EsaProcedure *self)
{
  self->states = g_ptr_array_new_with_free_func (_esa_state_free);
  self->act_types = g_ptr_array_new_with_free_func (act_type_free);
  self->flags = g_ptr_array_new_with_free_func (_esa_choice_free);
  self->facts = g_ptr_array_new_with_free_func (_esa_field_free);
  self->actions = g_ptr_array_new_with_free_func (_esa_action_free);
  self->fields = g_hash_table_new (g_str_hash, g_str_equal);
  self->deadlines = g_hash_table_new (g_str_hash, g_str_equal);
}

EsaProcedure *
esa_procedure_load_file (const char     *path,
                         EsaParameters  *params,
                         GError        **error)
{
  g_autoptr(EsaProcedure) self = NULL;
  g_autoptr(JsonNode) root = NULL;
  EsaJsonCheck check;
  gboolean ok;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (params == NULL || ESA_IS_PARAMETERS (params), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = _esa_json_load (path, error);
  if (root == NULL)
    return NULL;

  self = g_object_new (ESA_TYPE_PROCEDURE, NULL);
  self->file = g_strdup (path);

  _esa_json_check_init (&check, path);
  _esa_procedure_read (self, &check, root, params);
  ok = _esa_json_check_finish (&check, error);
  _esa_json_check_clear (&check);

  return ok ? g_steal_pointer (&self) : NULL;
}

GPtrArray *
esa_procedure_load_dir (const char     *dir,
                        EsaParameters  *params,
                        GError        **error)
{
  g_autoptr(GPtrArray) paths = NULL;
  g_autoptr(GPtrArray) procedures = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  paths = _esa_json_files_in (dir, error);
  if (paths == NULL)
    return NULL;

  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      EsaProcedure *procedure = esa_procedure_load_file (path, params, error);
      EsaProcedure *twin;

      if (procedure == NULL)
        return NULL;

      twin = esa_procedure_list_find (procedures, procedure->id);
      if (twin != NULL)
        {
          g_autofree char *base = g_path_get_basename (path);
          g_autofree char *twin_base = g_path_get_basename (twin->file);

          g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID,
                       _("%s: $.id: the procedure “%s” is already defined in %s"),
                       base, procedure->id, twin_base);
          g_object_unref (procedure);
          return NULL;
        }
      g_ptr_array_add (procedures, procedure);
    }

  return g_steal_pointer (&procedures);
}

EsaProcedure *
esa_procedure_list_find (GPtrArray  *procedures,
                         const char *id)
{
  g_return_val_if_fail (procedures != NULL, NULL);

  for (guint i = 0; i < procedures->len; i++)
    {
      EsaProcedure *procedure = g_ptr_array_index (procedures, i);

      if (g_strcmp0 (procedure->id, id) == 0)
        return procedure;
    }
  return NULL;
}

const char *
esa_procedure_get_id (EsaProcedure *self)
{
  g_return_val_if_fail (ESA_IS_PROCEDURE (self), NULL);
  return self->id;
}

guint
esa_procedure_get_version (EsaProcedure *self)
{
  g_return_val_if_fail (ESA_IS_PROCEDURE (self), 0);
  return self->version;
}

const char *
esa_procedure_get_jurisdiction (EsaProcedure *self)
{
  g_return_val_if_fail (ESA_IS_PROCEDURE (self), NULL);
  return self->jurisdiction;
}

const char *
esa_procedure_get_title (EsaProcedure *self)
{
  g_return_val_if_fail (ESA_IS_PROCEDURE (self), NULL);
  return self->title;
}

const char *
esa_procedure_get_calendar (EsaProcedure *self)
{
  g_return_val_if_fail (ESA_IS_PROCEDURE (self), NULL);
  return self->calendar;
}

GPtrArray *
esa_procedure_get_states (EsaProcedure *self)
{
  g_return_val_if_fail (ESA_IS_PROCEDURE (self), NULL);
  return self->states;
}

GPtrArray *
esa_procedure_get_actions (EsaProcedure *self)
{
  g_return_val_if_fail (ESA_IS_PROCEDURE (self), NULL);
  return self->actions;
}

GPtrArray *
esa_procedure_get_act_types (EsaProcedure *self)
{
  g_return_val_if_fail (ESA_IS_PROCEDURE (self), NULL);
  return self->act_types;
}

GPtrArray *
esa_procedure_get_facts (EsaProcedure *self)
{
  g_return_val_if_fail (ESA_IS_PROCEDURE (self), NULL);
  return self->facts;
}

GPtrArray *
esa_procedure_get_flags (EsaProcedure *self)
{
  g_return_val_if_fail (ESA_IS_PROCEDURE (self), NULL);
  return self->flags;
}

const EsaState *
esa_procedure_find_state (EsaProcedure *self,
                          const char   *id)
{
  g_return_val_if_fail (ESA_IS_PROCEDURE (self), NULL);

  for (guint i = 0; i < self->states->len; i++)
    {
      const EsaState *state = g_ptr_array_index (self->states, i);

      if (g_strcmp0 (state->id, id) == 0)
        return state;
    }
  return NULL;
}

const EsaAction *
esa_procedure_find_action (EsaProcedure *self,
                           const char   *id)
{
  g_return_val_if_fail (ESA_IS_PROCEDURE (self), NULL);

  for (guint i = 0; i < self->actions->len; i++)
    {
      const EsaAction *action = g_ptr_array_index (self->actions, i);

      if (g_strcmp0 (action->id, id) == 0)
        return action;
    }
  return NULL;
}

const EsaField *
esa_procedure_find_field (EsaProcedure *self,
                          const char   *id)
{
  g_return_val_if_fail (ESA_IS_PROCEDURE (self), NULL);
  return id != NULL ? g_hash_table_lookup (self->fields, id) : NULL;
}

const EsaDeadline *
esa_procedure_find_deadline (EsaProcedure *self,
                             const char   *id)
{
  g_return_val_if_fail (ESA_IS_PROCEDURE (self), NULL);
  return id != NULL ? g_hash_table_lookup (self->deadlines, id) : NULL;
}

const EsaActType *
esa_procedure_find_act_type (EsaProcedure *self,
                             const char   *id)
{
  g_return_val_if_fail (ESA_IS_PROCEDURE (self), NULL);

  for (guint i = 0; i < self->act_types->len; i++)
    {
      const EsaActType *act_type = g_ptr_array_index (self->act_types, i);

      if (g_strcmp0 (act_type->id, id) == 0)
        return act_type;
    }
  return NULL;
}

void
esa_action_status_free (EsaActionStatus *status)
{
  if (status == NULL)
    return;

  g_free (status->to_state);
  g_free (status->reason);
  g_strfreev (status->reasons);
  g_free (status);
}

const char *
esa_procedure_gettext (const char *msgid)
{
  if (msgid == NULL || *msgid == '\0')
    return msgid;
  return g_dgettext (GETTEXT_PACKAGE, msgid);
}

char *
esa_procedure_format_date (const GDate *date)
{
  g_autoptr(GDateTime) dt = NULL;

  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  dt = g_date_time_new_utc (g_date_get_year (date), g_date_get_month (date),
                            g_date_get_day (date), 0, 0, 0);

  /* Translators: a date in a sentence that says why an action is blocked,
   * as in "continuation possible from 14 March 2027"; the month is written
   * out. Reorder the codes as your language writes dates (see
   * g_date_time_format()); %-d is the day without a leading zero. */
  return g_date_time_format (dt, _("%-d %B %Y"));
}
