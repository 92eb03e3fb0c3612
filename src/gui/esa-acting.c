/* esa-acting.c: the acting user's role, for gating controls
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include "esa-acting.h"
#include "esa-roles.h"

char *
esa_acting_role (EsaStore *store)
{
  g_autoptr(EsaUser) user = NULL;
  const char *user_id;

  if (store == NULL)
    return NULL;
  user_id = esa_store_get_acting_user (store);
  if (user_id == NULL)
    return NULL;
  user = esa_store_get_user (store, user_id, NULL);
  if (user == NULL)
    return NULL;
  return g_strdup (esa_role_to_string (user->role));
}

gboolean
esa_acting_allows (EsaStore    *store,
                   const char  *action_id,
                   char       **out_reason)
{
  g_autofree char *role = esa_acting_role (store);

  if (role == NULL)
    return TRUE;
  return esa_roles_allows (role, action_id, out_reason);
}

gboolean
esa_acting_gate (GtkWidget  *widget,
                 EsaStore   *store,
                 const char *action_id,
                 const char *tooltip)
{
  g_autofree char *reason = NULL;
  gboolean allowed = esa_acting_allows (store, action_id, &reason);

  gtk_widget_set_sensitive (widget, allowed);
  gtk_widget_set_tooltip_text (widget, allowed ? tooltip : reason);
  return allowed;
}
