#include "esa-roles.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "esa-core-error.h"
#include "esa-date.h"

struct _EsaRoles
{
  GObject     parent_instance;

  /* action id -> GStrv of the roles allowed */
  GHashTable *allowed;
};

G_DEFINE_FINAL_TYPE (EsaRoles, esa_roles, G_TYPE_OBJECT)

typedef struct
{
  const char *name;
  const char *title;
  const char *subject;   /* the start of a sentence refusing an action */
} RoleInfo;

static const RoleInfo roles[] = {
  { "officer", N_("Officer"), N_("An officer") },
  { "field_officer", N_("Field officer"), N_("A field officer") },
  { "team_lead", N_("Team lead"), N_("A team lead") },
  { "responsible", N_("Responsible officer"), N_("A responsible officer") },
  { "contact_operator", N_("Contact-center operator"), N_("A contact-center operator") },
  { "administrator", N_("Administrator"), N_("An administrator") },
  { "auditor", N_("Auditor"), N_("An auditor") },
};

typedef struct
{
  const char *id;
  const char *title;
} ActionInfo;

static const ActionInfo actions[] = {
  { ESA_ACTION_QUEUE_VIEW_OWN, N_("see their own work queue") },
  { ESA_ACTION_QUEUE_VIEW_TEAM, N_("see the queues of the team") },
  { ESA_ACTION_QUEUE_REASSIGN, N_("reassign work items") },
  { ESA_ACTION_QUEUE_BULK_STEP, N_("run procedure steps for many cases at once") },
  { ESA_ACTION_DASHBOARD_VIEW, N_("see the team dashboard") },
  { ESA_ACTION_DASHBOARD_EXPORT, N_("export the team dashboard") },
  { ESA_ACTION_CONTACT_LOG, N_("log contacts on a dossier") },
  { ESA_ACTION_TICKET_OPEN, N_("open tickets") },
  { ESA_ACTION_TICKET_UPDATE, N_("change the status of tickets") },
  { ESA_ACTION_TICKET_ESCALATE, N_("escalate tickets") },
  { ESA_ACTION_TICKET_CLOSE, N_("close tickets") },
  { ESA_ACTION_KNOWLEDGE_VIEW, N_("read knowledge cards") },
  { ESA_ACTION_KNOWLEDGE_EDIT, N_("write knowledge cards") },
  { ESA_ACTION_KNOWLEDGE_APPROVE, N_("approve knowledge cards") },
  { ESA_ACTION_APPOINTMENT_BOOK, N_("book appointments") },
  { ESA_ACTION_STATS_VIEW, N_("see contact-center statistics") },
  { ESA_ACTION_CASE_STEP, N_("run or undo steps of a case") },
  { ESA_ACTION_LOAD_LIST_IMPORT, N_("import load lists") },
  { ESA_ACTION_LOAD_LIST_APPROVE, N_("approve or reject load lists") },
  { ESA_ACTION_PAYMENT_IMPORT, N_("import payment flows") },
  { ESA_ACTION_PAYMENT_ASSIGN, N_("assign payments") },
  { ESA_ACTION_PAYMENT_PARK, N_("park payments") },
  { ESA_ACTION_DOCUMENT_PRINT, N_("produce documents and print batches") },
  { ESA_ACTION_DEBTOR_EDIT, N_("change debtors’ data") },
  { ESA_ACTION_INSTALMENT_CONFIRM, N_("confirm instalment plans") },
  { ESA_ACTION_SYNC_RESOLVE, N_("resolve sync conflicts") },
};

static const RoleInfo *
find_role (const char *name)
{
  for (gsize i = 0; name != NULL && i < G_N_ELEMENTS (roles); i++)
    if (strcmp (roles[i].name, name) == 0)
      return &roles[i];
  return NULL;
}

static const ActionInfo *
find_action (const char *id)
{
  for (gsize i = 0; id != NULL && i < G_N_ELEMENTS (actions); i++)
    if (strcmp (actions[i].id, id) == 0)
      return &actions[i];
  return NULL;
}

static void
esa_roles_finalize (GObject *object)
{
  EsaRoles *self = ESA_ROLES (object);

  g_clear_pointer (&self->allowed, g_hash_table_unref);
  G_OBJECT_CLASS (esa_roles_parent_class)->finalize (object);
}

static void
esa_roles_class_init (EsaRolesClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = esa_roles_finalize;
}

static void
esa_roles_init (EsaRoles *self)
{
  self->allowed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_strfreev);
}

EsaRoles *
esa_roles_new (EsaParameters  *parameters,
               const GDate    *on,
               GError        **error)
{
  g_autoptr(EsaRoles) self = g_object_new (ESA_TYPE_ROLES, NULL);
  GDate today;

  g_return_val_if_fail (ESA_IS_PARAMETERS (parameters), NULL);

  if (on == NULL)
    {
      g_date_clear (&today, 1);
      esa_date_set_today (&today);
      on = &today;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      g_autofree char *table = g_strconcat ("roles.", actions[i].id, NULL);
      g_autoptr(GError) local_error = NULL;
      g_auto(GStrv) names = NULL;
      g_autoptr(GPtrArray) allowed = NULL;
      const char *text;

      if (!esa_parameters_has_table (parameters, table))
        continue;
      text = esa_parameters_get_text (parameters, table, on, NULL, &local_error);
      if (text == NULL)
        {
          /* A table with no entry for the day allows nobody on that day. */
          if (g_error_matches (local_error, ESA_CORE_ERROR, ESA_CORE_ERROR_RANGE))
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }

      names = g_strsplit_set (text, " \t,", -1);
      allowed = g_ptr_array_new ();
      for (guint j = 0; names[j] != NULL; j++)
        {
          if (names[j][0] == '\0')
            continue;
          if (find_role (names[j]) == NULL)
            {
              g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID,
                           _("Parameter table %s names an unknown role “%s”"),
                           table, names[j]);
              return NULL;
            }
          g_ptr_array_add (allowed, g_strdup (names[j]));
        }
      g_ptr_array_add (allowed, NULL);
      g_hash_table_replace (self->allowed, g_strdup (actions[i].id),
                            g_ptr_array_free (g_steal_pointer (&allowed), FALSE));
    }

  return g_steal_pointer (&self);
}

EsaRoles *
esa_roles_get_default (void)
{
  static gsize initialized = 0;
  static EsaRoles *roles_default = NULL;

  if (g_once_init_enter (&initialized))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(EsaParameters) parameters = esa_parameters_load_default (&error);

      if (parameters != NULL)
        roles_default = esa_roles_new (parameters, NULL, &error);
      if (roles_default == NULL)
        {
          g_warning ("Could not read the roles table, every action is refused: %s",
                     error->message);
          roles_default = g_object_new (ESA_TYPE_ROLES, NULL);
        }
      g_once_init_leave (&initialized, 1);
    }

  return roles_default;
}

gboolean
esa_roles_check (EsaRoles    *self,
                 const char  *role,
                 const char  *action_id,
                 char       **out_reason)
{
  const char * const *allowed;
  const RoleInfo *info;

  g_return_val_if_fail (ESA_IS_ROLES (self), FALSE);
  g_return_val_if_fail (action_id != NULL, FALSE);

  allowed = g_hash_table_lookup (self->allowed, action_id);
  if (role != NULL && allowed != NULL && g_strv_contains (allowed, role))
    return TRUE;

  if (out_reason == NULL)
    return FALSE;

  info = find_role (role);
  if (info == NULL)
    /* Translators: %s is what was refused, e.g. "reassign work items" */
    *out_reason = g_strdup_printf (_("Without a known role you may not %s."),
                                   esa_roles_describe_action (action_id));
  else
    /* Translators: the first %s is a role ("A team lead"), the second what
     * was refused ("reassign work items") */
    *out_reason = g_strdup_printf (_("%s may not %s."), _(info->subject),
                                   esa_roles_describe_action (action_id));
  return FALSE;
}

gboolean
esa_roles_allows (const char  *role,
                  const char  *action_id,
                  char       **out_reason)
{
  return esa_roles_check (esa_roles_get_default (), role, action_id, out_reason);
}

const char *
esa_roles_describe_role (const char *role)
{
  const RoleInfo *info = find_role (role);

  return info != NULL ? _(info->title) : role;
}

const char *
esa_roles_describe_action (const char *action_id)
{
  const ActionInfo *info = find_action (action_id);

  return info != NULL ? _(info->title) : action_id;
}

const char * const *
esa_roles_list_actions (void)
{
  static const char *ids[G_N_ELEMENTS (actions) + 1];
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      for (gsize i = 0; i < G_N_ELEMENTS (actions); i++)
        ids[i] = actions[i].id;
      ids[G_N_ELEMENTS (actions)] = NULL;
      g_once_init_leave (&initialized, 1);
    }
  return ids;
}
