#include "esa-case-context.h"
#include "esa-date.h"

struct _EsaCaseContext
{
  EsaParameters *params;
  char          *state;
  char          *previous_state;
  GDate          today;
  char          *body_id;
  char          *currency;
  GHashTable    *dates;     /* field -> GDate* */
  GHashTable    *amounts;   /* name -> gint64* */
  GHashTable    *flags;     /* set of flag ids */
  GHashTable    *users;     /* field -> user id */
  char          *actor;
  GStrv          roles;
};

EsaCaseContext *
esa_case_context_new (EsaParameters *params)
{
  EsaCaseContext *self;

  g_return_val_if_fail (params == NULL || ESA_IS_PARAMETERS (params), NULL);

  self = g_new0 (EsaCaseContext, 1);
  if (params != NULL)
    self->params = g_object_ref (params);
  esa_date_set_today (&self->today);
  self->dates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->amounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->flags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->users = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

void
esa_case_context_free (EsaCaseContext *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->params);
  g_free (self->state);
  g_free (self->previous_state);
  g_free (self->body_id);
  g_free (self->currency);
  g_hash_table_unref (self->dates);
  g_hash_table_unref (self->amounts);
  g_hash_table_unref (self->flags);
  g_hash_table_unref (self->users);
  g_free (self->actor);
  g_strfreev (self->roles);
  g_free (self);
}

void
esa_case_context_set_state (EsaCaseContext *self,
                            const char     *state)
{
  g_return_if_fail (self != NULL);

  g_free (self->state);
  self->state = g_strdup (state);
}

void
esa_case_context_set_previous_state (EsaCaseContext *self,
                                     const char     *state)
{
  g_return_if_fail (self != NULL);

  g_free (self->previous_state);
  self->previous_state = g_strdup (state);
}

void
esa_case_context_set_today (EsaCaseContext *self,
                            const GDate    *today)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (today != NULL && g_date_valid (today));

  self->today = *today;
}

void
esa_case_context_set_body (EsaCaseContext *self,
                           const char     *body_id)
{
  g_return_if_fail (self != NULL);

  g_free (self->body_id);
  self->body_id = g_strdup (body_id);
}

void
esa_case_context_set_currency (EsaCaseContext *self,
                               const char     *currency)
{
  g_return_if_fail (self != NULL);

  g_free (self->currency);
  self->currency = g_strdup (currency);
}

void
esa_case_context_set_date (EsaCaseContext *self,
                           const char     *field,
                           const GDate    *date)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (field != NULL);
  g_return_if_fail (date == NULL || g_date_valid (date));

  if (date == NULL)
    g_hash_table_remove (self->dates, field);
  else
    g_hash_table_insert (self->dates, g_strdup (field), g_memdup2 (date, sizeof *date));
}

gboolean
esa_case_context_set_date_iso (EsaCaseContext  *self,
                               const char      *field,
                               const char      *iso,
                               GError         **error)
{
  GDate date;

  g_return_val_if_fail (self != NULL, FALSE);

  if (!esa_date_parse_iso (iso, &date, error))
    return FALSE;

  esa_case_context_set_date (self, field, &date);
  return TRUE;
}

void
esa_case_context_set_amount (EsaCaseContext *self,
                             const char     *name,
                             gint64          minor)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL);

  g_hash_table_insert (self->amounts, g_strdup (name), g_memdup2 (&minor, sizeof minor));
}

void
esa_case_context_set_flag (EsaCaseContext *self,
                           const char     *flag,
                           gboolean        set)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (flag != NULL);

  if (set)
    g_hash_table_add (self->flags, g_strdup (flag));
  else
    g_hash_table_remove (self->flags, flag);
}

void
esa_case_context_set_user (EsaCaseContext *self,
                           const char     *field,
                           const char     *user_id)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (field != NULL);

  if (user_id == NULL)
    g_hash_table_remove (self->users, field);
  else
    g_hash_table_insert (self->users, g_strdup (field), g_strdup (user_id));
}

void
esa_case_context_set_actor (EsaCaseContext     *self,
                            const char         *user_id,
                            const char * const *roles)
{
  g_return_if_fail (self != NULL);

  g_free (self->actor);
  self->actor = g_strdup (user_id);
  g_strfreev (self->roles);
  self->roles = g_strdupv ((char **) roles);
}

EsaParameters *
esa_case_context_get_parameters (EsaCaseContext *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->params;
}

const char *
esa_case_context_get_state (EsaCaseContext *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->state;
}

const char *
esa_case_context_get_previous_state (EsaCaseContext *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->previous_state;
}

const GDate *
esa_case_context_get_today (EsaCaseContext *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return &self->today;
}

const char *
esa_case_context_get_body (EsaCaseContext *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->body_id;
}

const char *
esa_case_context_get_currency (EsaCaseContext *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->currency;
}

const GDate *
esa_case_context_get_date (EsaCaseContext *self,
                           const char     *field)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_hash_table_lookup (self->dates, field);
}

gboolean
esa_case_context_get_amount (EsaCaseContext *self,
                             const char     *name,
                             gint64         *out_minor)
{
  gint64 *value;

  g_return_val_if_fail (self != NULL, FALSE);

  value = g_hash_table_lookup (self->amounts, name);
  if (value == NULL)
    return FALSE;
  if (out_minor != NULL)
    *out_minor = *value;
  return TRUE;
}

gboolean
esa_case_context_get_flag (EsaCaseContext *self,
                           const char     *flag)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return g_hash_table_contains (self->flags, flag);
}

const char *
esa_case_context_get_user (EsaCaseContext *self,
                           const char     *field)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_hash_table_lookup (self->users, field);
}

const char *
esa_case_context_get_actor (EsaCaseContext *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->actor;
}

gboolean
esa_case_context_actor_has_role (EsaCaseContext *self,
                                 const char     *role)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->roles != NULL && g_strv_contains ((const char * const *) self->roles, role);
}
