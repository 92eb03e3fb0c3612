/* esa-contact-dialog.c: log a contact on a dossier
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>

#include "esa-contact-dialog.h"
#include "esa-store-tickets.h"

struct _EsaContactDialog
{
  AdwMessageDialog  parent_instance;

  AdwComboRow      *channel_row;
  AdwComboRow      *direction_row;
  AdwEntryRow      *subject_row;
  AdwEntryRow      *note_row;
  GtkSpinButton    *minutes_spin;
  AdwComboRow      *outcome_row;
  AdwComboRow      *urgency_row;

  EsaStore         *store;
  char             *debtor_id;
};

G_DEFINE_FINAL_TYPE (EsaContactDialog, esa_contact_dialog, ADW_TYPE_MESSAGE_DIALOG)

/* In the order of the channel row. */
static const char * const channels[] = { "phone", "email", "counter", "letter", "visit" };
static const char * const channel_labels[] = {
  N_("Phone"), N_("E-mail"), N_("Counter"), N_("Letter"), N_("Visit"), NULL
};
static const EsaContactOutcome outcomes[] = {
  ESA_CONTACT_OUTCOME_RESOLVED, ESA_CONTACT_OUTCOME_TICKET, ESA_CONTACT_OUTCOME_INFO,
  ESA_CONTACT_OUTCOME_LOST,
};
static const char * const outcome_labels[] = {
  N_("Answered now"), N_("Open a ticket"), N_("For the record"), N_("Lost (hung up)"), NULL
};
static const EsaTicketUrgency urgencies[] = {
  ESA_TICKET_URGENCY_NORMAL, ESA_TICKET_URGENCY_HIGH, ESA_TICKET_URGENCY_LOW,
};

static GtkStringList *
translated_list (const char * const *labels)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  for (guint i = 0; labels[i] != NULL; i++)
    gtk_string_list_append (list, _(labels[i]));
  return list;
}

static AdwComboRow *
combo_row_new (const char *title,
               GListModel *model)
{
  GtkWidget *row = adw_combo_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), model);
  g_object_unref (model);
  return ADW_COMBO_ROW (row);
}

/* Returns: (transfer full): the row's text without surrounding blanks */
static char *
entry_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static AdwToastOverlay *
find_overlay (GtkWidget *widget)
{
  if (widget == NULL)
    return NULL;
  if (ADW_IS_TOAST_OVERLAY (widget))
    return ADW_TOAST_OVERLAY (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwToastOverlay *overlay = find_overlay (child);

      if (overlay != NULL)
        return overlay;
    }
  return NULL;
}

static void
tell_parent (EsaContactDialog *self,
             const char       *message)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  AdwToastOverlay *overlay = find_overlay (GTK_WIDGET (parent));
  AdwToast *toast = adw_toast_new (message);

  /* The reference must stay on screen while the operator reads it out. */
  adw_toast_set_timeout (toast, 0);
  if (overlay != NULL)
    adw_toast_overlay_add_toast (overlay, toast);
  else
    g_object_unref (g_object_ref_sink (toast));
}

/* Logs the contact (and opens the ticket) as the form says. Returns the
 * reference, "" without a ticket, NULL on failure. */
static char *
log_contact (EsaContactDialog  *self,
             GError           **error)
{
  guint channel = adw_combo_row_get_selected (self->channel_row);
  guint outcome = adw_combo_row_get_selected (self->outcome_row);
  guint urgency = adw_combo_row_get_selected (self->urgency_row);
  g_autofree char *subject = entry_text (self->subject_row);
  g_autofree char *note = entry_text (self->note_row);
  g_autofree char *contact_id = NULL;
  g_autofree char *ticket_id = NULL;
  char *reference = NULL;
  EsaContactSpec spec = { 0 };
  EsaTicketSpec ticket = { 0 };

  if (subject[0] == '\0')
    {
      g_set_error_literal (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID,
                           _("Say what the contact was about in “Subject”"));
      return NULL;
    }

  spec.debtor_id = self->debtor_id;
  spec.channel = channels[MIN (channel, G_N_ELEMENTS (channels) - 1)];
  spec.direction = adw_combo_row_get_selected (self->direction_row) == 1 ? "out" : "in";
  spec.subject = subject;
  spec.note = note[0] != '\0' ? note : NULL;
  spec.duration_s = gtk_spin_button_get_value_as_int (self->minutes_spin) * 60;
  spec.outcome = outcomes[MIN (outcome, G_N_ELEMENTS (outcomes) - 1)];

  contact_id = esa_store_log_contact (self->store, &spec, error);
  if (contact_id == NULL)
    return NULL;
  if (spec.outcome != ESA_CONTACT_OUTCOME_TICKET)
    return g_strdup ("");

  ticket.debtor_id = self->debtor_id;
  ticket.subject = subject;
  ticket.description = spec.note;
  ticket.urgency = urgencies[MIN (urgency, G_N_ELEMENTS (urgencies) - 1)];
  ticket.contact_id = contact_id;
  ticket_id = esa_store_open_ticket (self->store, &ticket, &reference, error);
  if (ticket_id == NULL)
    return NULL;
  return reference;
}

static void
on_response (EsaContactDialog *self,
             const char       *response)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reference = NULL;
  g_autofree char *message = NULL;

  if (!g_str_equal (response, "log"))
    return;

  reference = log_contact (self, &error);
  if (reference == NULL)
    message = g_strdup (error->message);
  else if (reference[0] != '\0')
    /* Translators: %s is a ticket reference to read out to the caller */
    message = g_strdup_printf (_("Contact logged. Ticket %s opened: give the caller this "
                                 "reference"), reference);
  else
    message = g_strdup (_("Contact logged"));
  tell_parent (self, message);
}

static void
on_outcome_changed (EsaContactDialog *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->urgency_row),
                          adw_combo_row_get_selected (self->outcome_row) == 1);
}

static void
esa_contact_dialog_dispose (GObject *object)
{
  EsaContactDialog *self = ESA_CONTACT_DIALOG (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->debtor_id, g_free);

  G_OBJECT_CLASS (esa_contact_dialog_parent_class)->dispose (object);
}

static void
esa_contact_dialog_class_init (EsaContactDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = esa_contact_dialog_dispose;
}

static void
esa_contact_dialog_init (EsaContactDialog *self)
{
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *minutes_row = adw_action_row_new ();
  static const char * const directions[] = { N_("Incoming"), N_("Outgoing"), NULL };
  static const char * const urgency_labels[] = { N_("Normal"), N_("High"), N_("Low"), NULL };

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");

  self->channel_row = combo_row_new (_("_Channel"),
                                     G_LIST_MODEL (translated_list (channel_labels)));
  self->direction_row = combo_row_new (_("_Direction"),
                                     G_LIST_MODEL (translated_list (directions)));
  self->subject_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->subject_row), _("_Subject"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->subject_row), TRUE);
  adw_entry_row_set_activates_default (self->subject_row, TRUE);
  self->note_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->note_row), _("_Note"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->note_row), TRUE);
  adw_entry_row_set_activates_default (self->note_row, TRUE);

  self->minutes_spin = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (0, 240, 1));
  gtk_widget_set_valign (GTK_WIDGET (self->minutes_spin), GTK_ALIGN_CENTER);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (minutes_row), _("_Minutes"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (minutes_row), TRUE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (minutes_row), GTK_WIDGET (self->minutes_spin));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (minutes_row),
                                         GTK_WIDGET (self->minutes_spin));

  self->outcome_row = combo_row_new (_("_Outcome"),
                                     G_LIST_MODEL (translated_list (outcome_labels)));
  self->urgency_row = combo_row_new (_("_Urgency"),
                                     G_LIST_MODEL (translated_list (urgency_labels)));
  gtk_widget_set_visible (GTK_WIDGET (self->urgency_row), FALSE);
  g_signal_connect_swapped (self->outcome_row, "notify::selected",
                            G_CALLBACK (on_outcome_changed), self);

  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (self->channel_row));
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (self->direction_row));
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (self->subject_row));
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (self->note_row));
  gtk_list_box_append (GTK_LIST_BOX (list), minutes_row);
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (self->outcome_row));
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (self->urgency_row));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (self), list);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (self),
                                    "cancel", _("_Cancel"),
                                    "log", _("_Log Contact"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self), "log",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (self), "log");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (self), "cancel");
  g_signal_connect (self, "response", G_CALLBACK (on_response), NULL);
}

GtkWidget *
esa_contact_dialog_new (GtkWindow  *parent,
                        EsaStore   *store,
                        const char *debtor_id,
                        const char *debtor_name)
{
  EsaContactDialog *self;
  g_autofree char *heading = NULL;

  g_return_val_if_fail (ESA_IS_STORE (store), NULL);
  g_return_val_if_fail (debtor_id != NULL, NULL);

  /* Translators: %s is a debtor's name */
  heading = g_strdup_printf (_("Log a Contact with %s"), debtor_name != NULL ? debtor_name : "");
  self = g_object_new (ESA_TYPE_CONTACT_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       "heading", heading,
                       "body", _("It is added to the dossier’s contacts and to the month’s "
                                 "statistics."),
                       NULL);
  self->store = g_object_ref (store);
  self->debtor_id = g_strdup (debtor_id);
  gtk_widget_grab_focus (GTK_WIDGET (self->subject_row));
  return GTK_WIDGET (self);
}

char *
_esa_contact_dialog_log (EsaContactDialog *self,
                         const char       *channel,
                         const char       *subject,
                         const char       *ticket_urgency,
                         GError          **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (channels); i++)
    if (g_str_equal (channels[i], channel))
      adw_combo_row_set_selected (self->channel_row, i);
  gtk_editable_set_text (GTK_EDITABLE (self->subject_row), subject);
  adw_combo_row_set_selected (self->outcome_row, ticket_urgency != NULL ? 1 : 0);
  if (ticket_urgency != NULL)
    adw_combo_row_set_selected (self->urgency_row,
                                g_str_equal (ticket_urgency, "high") ? 1
                                : g_str_equal (ticket_urgency, "low") ? 2 : 0);
  return log_contact (self, error);
}
