/* esa-flow-body-chooser.c: which creditor body a bank's CSV export is for
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "esa-flow-body-chooser.h"
#include "esa-records.h"
#include "esa-store-payments.h"

typedef struct
{
  GPtrArray         *body_ids;
  GtkDropDown       *choice;
  EsaFlowBodyChosen  callback;
  gpointer           user_data;
  GDestroyNotify     destroy;
} Chooser;

static void
chooser_free (Chooser *chooser)
{
  if (chooser->destroy != NULL)
    chooser->destroy (chooser->user_data);
  g_ptr_array_unref (chooser->body_ids);
  g_free (chooser);
}

static void
chooser_closure_free (gpointer  data,
                      GClosure *closure)
{
  chooser_free (data);
}

static void
on_response (AdwMessageDialog *dialog,
             const char       *response,
             Chooser          *chooser)
{
  guint selected = gtk_drop_down_get_selected (chooser->choice);
  const char *body_id = NULL;

  if (g_str_equal (response, "import") && selected < chooser->body_ids->len)
    body_id = g_ptr_array_index (chooser->body_ids, selected);
  chooser->callback (body_id, chooser->user_data);
}

gboolean
esa_flow_body_chooser_run (GtkWindow         *parent,
                           EsaStore          *store,
                           const char        *file_name,
                           EsaFlowBodyChosen  callback,
                           gpointer           user_data,
                           GDestroyNotify     destroy)
{
  g_autoptr(GPtrArray) bodies = esa_store_list_bodies (store, NULL);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autofree char *body = NULL;
  Chooser *chooser;
  GtkWidget *dialog;

  chooser = g_new0 (Chooser, 1);
  chooser->body_ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; bodies != NULL && i < bodies->len; i++)
    {
      const EsaBody *candidate = g_ptr_array_index (bodies, i);
      g_autofree char *mapping = esa_store_get_payment_mapping (store, candidate->id, NULL);

      if (mapping == NULL)
        continue;
      g_ptr_array_add (chooser->body_ids, g_strdup (candidate->id));
      gtk_string_list_append (names, candidate->name);
    }
  if (chooser->body_ids->len == 0)
    {
      g_ptr_array_unref (chooser->body_ids);
      g_free (chooser);
      return FALSE;
    }
  chooser->callback = callback;
  chooser->user_data = user_data;
  chooser->destroy = destroy;
  chooser->choice = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (names)),
                                                      NULL));
  gtk_accessible_update_property (GTK_ACCESSIBLE (chooser->choice),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Creditor body"), -1);

  /* Translators: %s is a file name */
  body = g_strdup_printf (_("%s is a bank's CSV export. Choose the creditor body whose saved "
                            "column mapping reads it."),
                          file_name);
  dialog = adw_message_dialog_new (parent, _("Which Creditor Body?"), body);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), GTK_WIDGET (chooser->choice));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "import", _("_Import"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "import",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "import");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_response), chooser,
                         chooser_closure_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}
