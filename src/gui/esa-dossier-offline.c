/* esa-dossier-offline.c: taking a dossier offline for field officers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>

#include "esa-acting.h"
#include "esa-dossier-offline.h"
#include "esa-roles.h"
#include "esa-store-sync.h"

struct _EsaDossierOffline
{
  GtkWidget   parent_instance;

  GtkWidget  *button;
  GtkWidget  *list;      /* the check boxes, one per field officer */
  GtkWidget  *message;   /* what went wrong, when it did */
  EsaStore   *store;
  char       *debtor_id;
};

G_DEFINE_FINAL_TYPE (EsaDossierOffline, esa_dossier_offline, GTK_TYPE_WIDGET)

static gboolean
is_assigned (EsaStore   *store,
             const char *user_id,
             const char *debtor_id)
{
  g_auto(GStrv) assigned = esa_store_sync_assigned (store, user_id, NULL);

  return assigned != NULL && g_strv_contains ((const char * const *) assigned, debtor_id);
}

static void
on_toggled (GtkCheckButton    *check,
            EsaDossierOffline *self)
{
  const char *user_id = g_object_get_data (G_OBJECT (check), "user-id");
  gboolean wanted = gtk_check_button_get_active (check);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  gboolean ok;

  if (self->store == NULL || wanted == is_assigned (self->store, user_id, self->debtor_id))
    return;
  if (wanted)
    ok = (id = esa_store_sync_assign (self->store, self->debtor_id, user_id, &error)) != NULL;
  else
    ok = esa_store_sync_unassign (self->store, self->debtor_id, user_id, &error);

  gtk_widget_set_visible (self->message, !ok);
  if (!ok)
    {
      gtk_label_set_text (GTK_LABEL (self->message), error->message);
      g_signal_handlers_block_by_func (check, on_toggled, self);
      gtk_check_button_set_active (check, !wanted);
      g_signal_handlers_unblock_by_func (check, on_toggled, self);
    }
}

static void
clear_list (EsaDossierOffline *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->list)) != NULL)
    gtk_box_remove (GTK_BOX (self->list), child);
}

void
esa_dossier_offline_set (EsaDossierOffline *self,
                         EsaStore          *store,
                         const char        *debtor_id,
                         const char        *office_id)
{
  g_autoptr(GPtrArray) users = NULL;
  g_autofree char *server = NULL;
  guint shown = 0;

  g_return_if_fail (ESA_IS_DOSSIER_OFFLINE (self));

  g_set_object (&self->store, store);
  g_free (self->debtor_id);
  self->debtor_id = g_strdup (debtor_id);
  clear_list (self);
  gtk_widget_set_visible (self->message, FALSE);

  if (store != NULL)
    server = esa_store_sync_state_get (store, ESA_SYNC_STATE_SERVER, NULL);
  if (server == NULL || debtor_id == NULL
      || !esa_acting_allows (store, ESA_ACTION_QUEUE_REASSIGN, NULL))
    {
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return;
    }

  users = esa_store_list_users (store, NULL);
  for (guint i = 0; users != NULL && i < users->len; i++)
    {
      const EsaUser *user = g_ptr_array_index (users, i);
      GtkWidget *check;

      if (user->role != ESA_ROLE_FIELD_OFFICER || g_strcmp0 (user->office_id, office_id) != 0)
        continue;
      check = gtk_check_button_new_with_label (user->name);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                                   is_assigned (store, user->id, debtor_id));
      g_object_set_data_full (G_OBJECT (check), "user-id", g_strdup (user->id), g_free);
      g_signal_connect (check, "toggled", G_CALLBACK (on_toggled), self);
      gtk_box_append (GTK_BOX (self->list), check);
      shown++;
    }
  gtk_widget_set_visible (GTK_WIDGET (self), shown > 0);
}

static void
esa_dossier_offline_dispose (GObject *object)
{
  EsaDossierOffline *self = ESA_DOSSIER_OFFLINE (object);

  g_clear_pointer (&self->button, gtk_widget_unparent);
  g_clear_object (&self->store);
  g_clear_pointer (&self->debtor_id, g_free);

  G_OBJECT_CLASS (esa_dossier_offline_parent_class)->dispose (object);
}

static void
esa_dossier_offline_class_init (EsaDossierOfflineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = esa_dossier_offline_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
esa_dossier_offline_init (EsaDossierOffline *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *title = gtk_label_new (_("Available offline on the laptops of"));
  GtkWidget *popover = gtk_popover_new ();

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "heading");
  self->list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  self->message = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->message), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (self->message), 40);
  gtk_widget_add_css_class (self->message, "error");
  gtk_widget_set_visible (self->message, FALSE);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), self->list);
  gtk_box_append (GTK_BOX (box), self->message);
  gtk_popover_set_child (GTK_POPOVER (popover), box);

  self->button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (self->button), "network-offline-symbolic");
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->button), popover);
  gtk_widget_set_tooltip_text (self->button, _("Take this dossier offline for field officers"));
  gtk_widget_set_valign (self->button, GTK_ALIGN_CENTER);
  gtk_widget_set_parent (self->button, GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

GtkWidget *
esa_dossier_offline_new (void)
{
  return g_object_new (ESA_TYPE_DOSSIER_OFFLINE, NULL);
}
