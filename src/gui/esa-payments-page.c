/* esa-payments-page.c: the Payments section: the unmatched queue and the
 * instalment proposals
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>

#include "esa-acting.h"
#include "esa-date.h"
#include "esa-flow-body-chooser.h"
#include "esa-flow-import.h"
#include "esa-money.h"
#include "esa-payments-page-private.h"
#include "esa-roles.h"
#include "esa-store-instalments.h"
#include "esa-store-payments.h"

/* Candidates shown under an unmatched payment. */
#define N_CANDIDATES 5

struct _EsaPaymentsPage
{
  GtkWidget      parent_instance;

  GtkStack      *stack;
  GtkStackPage  *queue_page;
  GtkStackPage  *proposals_page;
  GtkStack      *queue_stack;
  GtkLabel      *queue_summary;
  GtkListBox    *queue_list;
  GtkButton     *import_button;
  GtkButton     *import_empty_button;
  GtkStack      *proposals_stack;
  GtkLabel      *proposals_summary;
  GtkListBox    *proposals_list;

  EsaStore      *store;
  EsaParameters *parameters;
  GPtrArray     *queue;      /* EsaQueuedPayment */
  GPtrArray     *proposals;  /* EsaInstalmentProposal */
  GCancellable  *import_cancellable;  /* set while a flow is imported */
  GFile         *import_file;         /* the file, meanwhile */
};

G_DEFINE_FINAL_TYPE (EsaPaymentsPage, esa_payments_page, GTK_TYPE_WIDGET)

static void
show_toast (EsaPaymentsPage *self,
            const char      *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static GtkWidget *
badge_new (const char *text,
           const char *style)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "esa-badge");
  if (style != NULL)
    gtk_widget_add_css_class (label, style);
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  return label;
}

static EsaParameters *
get_parameters (EsaPaymentsPage *self)
{
  if (self->parameters == NULL)
    {
      g_autoptr(GError) error = NULL;

      /* Without the tables the allocation order is the default one and no
       * lapse is proposed; the rest works. */
      self->parameters = esa_parameters_load_default (&error);
      if (self->parameters == NULL)
        g_warning ("Payments: the parameter tables cannot be loaded: %s", error->message);
    }
  return self->parameters;
}

/* ---- importing a flow --------------------------------------------------- */

/* The import buttons: allowed for the acting user's role, and not twice at
 * once. */
static void
update_import_buttons (EsaPaymentsPage *self)
{
  GtkButton *buttons[] = { self->import_button, self->import_empty_button };
  gboolean importing = self->import_cancellable != NULL;

  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    {
      GtkWidget *button = GTK_WIDGET (buttons[i]);

      gtk_button_set_label (buttons[i], importing ? _("Importing…") : _("_Import Flow…"));
      if (self->store == NULL)
        gtk_widget_set_sensitive (button, FALSE);
      else if (esa_acting_gate (button, self->store, ESA_ACTION_PAYMENT_IMPORT,
                                _("Import a payment flow: pagoPA, camt.054 or a bank’s CSV export"))
               && importing)
        gtk_widget_set_sensitive (button, FALSE);
    }
}

/* "Flow imported. Matched: 12, unmatched: 2, …" */
static char *
import_summary (const EsaPaymentImportReport *report)
{
  switch (report->status)
    {
    case ESA_PAYMENT_FLOW_DUPLICATE:
      return g_strdup (report->notes->len > 0 ? g_ptr_array_index (report->notes, 0)
                                              : _("This flow was imported before: nothing was "
                                                  "changed"));
    case ESA_PAYMENT_FLOW_REPLACED:
      return g_strdup_printf (_("Flow imported in place of an earlier one with the same "
                                "identifier. Matched: %u, unmatched: %u, revoked: %u, already "
                                "recorded: %u"),
                              report->matched, report->unmatched, report->revoked,
                              report->duplicates);
    case ESA_PAYMENT_FLOW_IMPORTED:
    default:
      return g_strdup_printf (_("Flow imported. Matched: %u, unmatched: %u, revoked: %u, "
                                "already recorded: %u"),
                              report->matched, report->unmatched, report->revoked,
                              report->duplicates);
    }
}

static void
show_import_error (EsaPaymentsPage *self,
                   const char      *file_name,
                   const GError    *error)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  /* Translators: the first %s is a file name, the second why it was refused */
  body = g_strdup_printf (_("%s: %s\n\nNothing was changed."), file_name, error->message);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Flow Not Imported"), body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void start_import (EsaPaymentsPage *self,
                          GFile           *file,
                          const char      *body_id);

/* A CSV file waiting for the officer to say which body it is for. */
typedef struct
{
  EsaPaymentsPage *page;
  GFile           *file;
} PendingCsv;

static void
pending_csv_free (PendingCsv *pending)
{
  g_object_unref (pending->page);
  g_object_unref (pending->file);
  g_free (pending);
}

static void
on_body_chosen (const char *body_id,
                gpointer    user_data)
{
  PendingCsv *pending = user_data;

  if (body_id != NULL)
    start_import (pending->page, pending->file, body_id);
}

/* Asks which body a CSV file is for, or says that none can read it. */
static void
ask_body (EsaPaymentsPage *self,
          GFile           *file,
          const char      *file_name,
          const GError    *error)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  PendingCsv *pending = g_new0 (PendingCsv, 1);
  g_autoptr(GError) none = NULL;

  pending->page = g_object_ref (self);
  pending->file = g_object_ref (file);
  if (esa_flow_body_chooser_run (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->store,
                                 file_name, on_body_chosen, pending,
                                 (GDestroyNotify) pending_csv_free))
    return;

  pending_csv_free (pending);
  none = g_error_new (error->domain, error->code,
                      /* Translators: the first %s says that the file is CSV */
                      _("%s. No creditor body has a saved column mapping yet: import a bank's "
                        "first CSV file with “esattore-cli payments import FILE --mapping "
                        "MAPPING --body BODY”, which saves it"),
                      error->message);
  show_import_error (self, file_name, none);
}

static void
on_import_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(EsaPaymentsPage) self = user_data;
  g_autoptr(EsaPaymentImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *file_name = NULL;

  report = esa_flow_import_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->import_cancellable);
  file = g_steal_pointer (&self->import_file);
  file_name = g_file_get_basename (file);
  update_import_buttons (self);

  if (g_error_matches (error, ESA_FLOW_IMPORT_ERROR, ESA_FLOW_IMPORT_ERROR_NEEDS_BODY))
    ask_body (self, file, file_name, error);
  else if (report == NULL)
    show_import_error (self, file_name, error);
  else
    {
      g_autofree char *summary = import_summary (report);

      show_toast (self, summary);
    }
  esa_payments_page_reload (self);
}

static void
start_import (EsaPaymentsPage *self,
              GFile           *file,
              const char      *body_id)
{
  if (self->store == NULL || self->import_cancellable != NULL)
    return;
  self->import_cancellable = g_cancellable_new ();
  self->import_file = g_object_ref (file);
  update_import_buttons (self);
  esa_flow_import_async (self->store, file, body_id, self->import_cancellable, on_import_done,
                         g_object_ref (self));
}

static void
on_import_response (GtkNativeDialog *chooser,
                    int              response,
                    gpointer         user_data)
{
  g_autoptr(EsaPaymentsPage) self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        start_import (self, file, NULL);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
on_import_clicked (EsaPaymentsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(GtkFileFilter) flows = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Import Payment Flow"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  /* Translators: a file filter: pagoPA and camt.054 flows, banks' CSV exports */
  gtk_file_filter_set_name (flows, _("Payment flows (XML, CSV)"));
  gtk_file_filter_add_pattern (flows, "*.xml");
  gtk_file_filter_add_pattern (flows, "*.XML");
  gtk_file_filter_add_mime_type (flows, "application/xml");
  gtk_file_filter_add_mime_type (flows, "text/xml");
  gtk_file_filter_add_pattern (flows, "*.csv");
  gtk_file_filter_add_pattern (flows, "*.CSV");
  gtk_file_filter_add_mime_type (flows, "text/csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), flows);
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  g_signal_connect (chooser, "response", G_CALLBACK (on_import_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- the unmatched queue ------------------------------------------------ */

static const EsaQueuedPayment *
find_queued (EsaPaymentsPage *self,
             const char      *payment_id)
{
  for (guint i = 0; self->queue != NULL && i < self->queue->len; i++)
    {
      const EsaQueuedPayment *payment = g_ptr_array_index (self->queue, i);

      if (g_strcmp0 (payment->id, payment_id) == 0)
        return payment;
    }
  return NULL;
}

static gboolean
assign (EsaPaymentsPage  *self,
        const char       *payment_id,
        const char       *position_id,
        GError          **error)
{
  g_autoptr(EsaPaymentImportReport) report = NULL;

  report = esa_store_assign_payment (self->store, payment_id, position_id,
                                     get_parameters (self), error);
  if (report == NULL)
    return FALSE;

  if (report->lines->len > 0)
    {
      const EsaPaymentImportLine *line = g_ptr_array_index (report->lines, 0);

      if (line->message != NULL)
        show_toast (self, line->message);
    }
  esa_payments_page_reload (self);
  return TRUE;
}

static void
on_assign_clicked (GtkButton       *button,
                   EsaPaymentsPage *self)
{
  const char *payment_id = g_object_get_data (G_OBJECT (button), "payment-id");
  const char *position_id = g_object_get_data (G_OBJECT (button), "position-id");
  g_autoptr(GError) error = NULL;

  if (!assign (self, payment_id, position_id, &error))
    show_toast (self, error->message);
}

static void
on_park_clicked (GtkButton       *button,
                 EsaPaymentsPage *self)
{
  const char *payment_id = g_object_get_data (G_OBJECT (button), "payment-id");
  GtkEditable *entry = g_object_get_data (G_OBJECT (button), "note-entry");
  g_autofree char *note = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  g_autoptr(GError) error = NULL;

  if (note[0] == '\0')
    {
      show_toast (self, _("Say why the payment is parked, e.g. “asked the bank who paid”"));
      gtk_widget_grab_focus (GTK_WIDGET (entry));
      return;
    }
  if (!esa_store_park_payment (self->store, payment_id, note, &error))
    {
      show_toast (self, error->message);
      return;
    }
  show_toast (self, _("Payment parked"));
  esa_payments_page_reload (self);
}

static GtkWidget *
candidate_row_new (EsaPaymentsPage           *self,
                   const EsaQueuedPayment    *payment,
                   const EsaPaymentCandidate *candidate,
                   gboolean                   best)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Assign"));
  g_autofree char *balance = esa_money_format (candidate->balance, candidate->currency);
  g_autofree char *due = esa_date_format_iso (candidate->due_date);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *score = NULL;
  GString *why = g_string_new (NULL);

  /* Translators: "Rossi Mario · TARI-2024-000123" */
  title = g_strdup_printf (_("%s · %s"), candidate->debtor_name, candidate->reference);
  /* Translators: "balance € 120,00 · due 30 Jun 2024" */
  subtitle = g_strdup_printf (_("balance %s · due %s"), balance, due);
  for (guint i = 0; candidate->parts != NULL && i < candidate->parts->len; i++)
    {
      const EsaScorePart *part = g_ptr_array_index (candidate->parts, i);

      if (part->points > 0 && part->explain != NULL)
        g_string_append_printf (why, "%s%s", why->len > 0 ? "\n" : "", part->explain);
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  /* Translators: how well a position fits a payment, out of 100 */
  score = g_strdup_printf (_("score %u"), candidate->score);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             badge_new (score, candidate->score >= 60 ? "accent" : NULL));
  if (why->len > 0)
    gtk_widget_set_tooltip_text (row, why->str);
  g_string_free (why, TRUE);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  if (best)
    gtk_widget_add_css_class (button, "suggested-action");
  g_object_set_data_full (G_OBJECT (button), "payment-id", g_strdup (payment->id), g_free);
  g_object_set_data_full (G_OBJECT (button), "position-id", g_strdup (candidate->position_id),
                          g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (on_assign_clicked), self);
  esa_acting_gate (button, self->store, ESA_ACTION_PAYMENT_ASSIGN, NULL);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

/* The candidates are read when a payment is opened, not for the whole
 * queue at once. */
static void
on_payment_expanded (AdwExpanderRow  *expander,
                     GParamSpec      *pspec,
                     EsaPaymentsPage *self)
{
  const char *payment_id = g_object_get_data (G_OBJECT (expander), "payment-id");
  const EsaQueuedPayment *payment = find_queued (self, payment_id);
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *park_row;
  GtkWidget *park_button;

  if (!adw_expander_row_get_expanded (expander) || payment == NULL
      || g_object_get_data (G_OBJECT (expander), "filled") != NULL)
    return;
  g_object_set_data (G_OBJECT (expander), "filled", GINT_TO_POINTER (1));

  candidates = esa_store_payment_candidates (self->store, payment_id, N_CANDIDATES, &error);
  if (candidates == NULL || candidates->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     candidates == NULL
                                     ? error->message
                                     : _("No open position looks like this payment’s: park it "
                                         "until you know who paid"));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      gtk_widget_add_css_class (row, "dim-label");
      adw_expander_row_add_row (expander, row);
    }
  for (guint i = 0; candidates != NULL && i < candidates->len; i++)
    adw_expander_row_add_row (expander,
                              candidate_row_new (self, payment, g_ptr_array_index (candidates, i),
                                                 i == 0));

  park_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (park_row), _("Note for parking"));
  park_button = gtk_button_new_with_mnemonic (_("_Park"));
  gtk_widget_set_valign (park_button, GTK_ALIGN_CENTER);
  g_object_set_data_full (G_OBJECT (park_button), "payment-id", g_strdup (payment_id), g_free);
  g_object_set_data (G_OBJECT (park_button), "note-entry", park_row);
  g_signal_connect (park_button, "clicked", G_CALLBACK (on_park_clicked), self);
  esa_acting_gate (park_button, self->store, ESA_ACTION_PAYMENT_PARK, NULL);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (park_row), park_button);
  adw_expander_row_add_row (expander, park_row);
}

static GtkWidget *
queue_row_new (EsaPaymentsPage        *self,
               const EsaQueuedPayment *payment)
{
  GtkWidget *row = adw_expander_row_new ();
  g_autofree char *amount = esa_money_format (payment->amount, payment->currency);
  g_autofree char *paid_on = esa_date_format_iso (payment->paid_on);
  g_autofree char *title = NULL;
  GString *subtitle = g_string_new (NULL);

  /* Translators: "€ 120,00 paid on 3 Mar 2026" */
  title = g_strdup_printf (_("%s paid on %s"), amount, paid_on);
  if (payment->debtor_name != NULL)
    g_string_append (subtitle, payment->debtor_name);
  if (payment->debtor_tax_id != NULL)
    g_string_append_printf (subtitle, "%s%s", subtitle->len > 0 ? " · " : "",
                            payment->debtor_tax_id);
  if (payment->reference != NULL)
    /* Translators: a payment's reference as the payer gave it */
    g_string_append_printf (subtitle, _("%sreference %s"), subtitle->len > 0 ? " · " : "",
                            payment->reference);
  if (payment->remittance != NULL)
    g_string_append_printf (subtitle, "%s“%s”", subtitle->len > 0 ? " · " : "",
                            payment->remittance);
  if (payment->note != NULL)
    g_string_append_printf (subtitle, "%s%s", subtitle->len > 0 ? "\n" : "", payment->note);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle->str);
  g_string_free (subtitle, TRUE);
  if (g_strcmp0 (payment->state, "parked") == 0)
    adw_expander_row_add_action (ADW_EXPANDER_ROW (row), badge_new (_("Parked"), NULL));
  if (payment->format != NULL)
    adw_expander_row_add_action (ADW_EXPANDER_ROW (row), badge_new (payment->format, NULL));

  g_object_set_data_full (G_OBJECT (row), "payment-id", g_strdup (payment->id), g_free);
  g_signal_connect (row, "notify::expanded", G_CALLBACK (on_payment_expanded), self);
  return row;
}

static void
load_queue (EsaPaymentsPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  guint unmatched = 0;

  clear_list (self->queue_list);
  g_clear_pointer (&self->queue, g_ptr_array_unref);
  update_import_buttons (self);
  if (self->store == NULL)
    return;

  self->queue = esa_store_list_unmatched_payments (self->store, TRUE, &error);
  if (self->queue == NULL)
    {
      gtk_label_set_text (self->queue_summary, error->message);
      gtk_stack_set_visible_child_name (self->queue_stack, "list");
      return;
    }

  for (guint i = 0; i < self->queue->len; i++)
    {
      const EsaQueuedPayment *payment = g_ptr_array_index (self->queue, i);

      if (g_strcmp0 (payment->state, "parked") != 0)
        unmatched++;
      gtk_list_box_append (self->queue_list, queue_row_new (self, payment));
    }

  if (self->queue->len > 0)
    {
      g_autofree char *summary = NULL;

      summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "%u payment matched no position, %u parked. Open "
                                              "one to see the positions it may be for.",
                                              "%u payments matched no position, %u parked. Open "
                                              "one to see the positions it may be for.",
                                              unmatched),
                                 unmatched, self->queue->len - unmatched);
      gtk_label_set_text (self->queue_summary, summary);
    }
  gtk_stack_set_visible_child_name (self->queue_stack, self->queue->len > 0 ? "list" : "empty");

  /* Translators: the title of the queue's tab, with its count */
  title = unmatched > 0 ? g_strdup_printf (_("Unmatched Payments (%u)"), unmatched)
                        : g_strdup (_("Unmatched Payments"));
  gtk_stack_page_set_title (self->queue_page, title);
  gtk_stack_page_set_needs_attention (self->queue_page, unmatched > 0);
}

/* ---- instalment proposals ----------------------------------------------- */

static gboolean
acting_is_team_lead (EsaPaymentsPage *self)
{
  /* A named user whose role the roles table lets confirm (a team lead). */
  return esa_store_get_acting_user (self->store) != NULL
         && esa_acting_allows (self->store, ESA_ACTION_INSTALMENT_CONFIRM, NULL);
}

static gboolean
confirm (EsaPaymentsPage  *self,
         const char       *proposal_id,
         GError          **error)
{
  if (!esa_store_instalment_confirm (self->store, get_parameters (self), proposal_id, NULL,
                                     error))
    return FALSE;
  show_toast (self, _("Proposal confirmed"));
  esa_payments_page_reload (self);
  return TRUE;
}

static void
on_confirm_clicked (GtkButton       *button,
                    EsaPaymentsPage *self)
{
  const char *proposal_id = g_object_get_data (G_OBJECT (button), "proposal-id");
  g_autoptr(GError) error = NULL;

  if (!confirm (self, proposal_id, &error))
    show_toast (self, error->message);
}

static GtkWidget *
proposal_row_new (EsaPaymentsPage             *self,
                  const EsaInstalmentProposal *proposal,
                  gboolean                     may_confirm)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button;
  const char *kind;
  const char *style;
  const char *label;

  switch (proposal->kind)
    {
    case ESA_INSTALMENT_PROPOSAL_LAPSE:
      kind = _("Lapse");
      style = "error";
      label = _("Declare _Lapsed");
      break;
    case ESA_INSTALMENT_PROPOSAL_CLOSE:
      kind = _("Paid");
      style = "accent";
      label = _("_Close as Paid");
      break;
    case ESA_INSTALMENT_PROPOSAL_REMINDER:
    default:
      kind = _("Reminder");
      style = "warning";
      label = _("Send _Reminder");
      break;
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), proposal->debtor_name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), proposal->reason);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), badge_new (kind, style));

  button = gtk_button_new_with_mnemonic (label);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  if (proposal->kind == ESA_INSTALMENT_PROPOSAL_LAPSE)
    gtk_widget_add_css_class (button, "destructive-action");
  gtk_widget_set_sensitive (button, may_confirm);
  if (!may_confirm)
    gtk_widget_set_tooltip_text (button, _("Only a team lead can confirm"));
  g_object_set_data_full (G_OBJECT (button), "proposal-id", g_strdup (proposal->id), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (on_confirm_clicked), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

static void
load_proposals (EsaPaymentsPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  gboolean may_confirm;

  clear_list (self->proposals_list);
  g_clear_pointer (&self->proposals, g_ptr_array_unref);
  if (self->store == NULL)
    return;

  self->proposals = esa_store_instalment_proposals (self->store, get_parameters (self), NULL,
                                                    &error);
  if (self->proposals == NULL)
    {
      gtk_label_set_text (self->proposals_summary, error->message);
      gtk_stack_set_visible_child_name (self->proposals_stack, "list");
      return;
    }

  may_confirm = acting_is_team_lead (self);
  for (guint i = 0; i < self->proposals->len; i++)
    gtk_list_box_append (self->proposals_list,
                         proposal_row_new (self, g_ptr_array_index (self->proposals, i),
                                           may_confirm));

  gtk_label_set_text (self->proposals_summary,
                      may_confirm
                      ? _("Instalment monitoring proposes these steps. Each one is recorded in "
                          "your name when you confirm it.")
                      : _("Instalment monitoring proposes these steps. Only a team lead can "
                          "confirm them."));
  gtk_stack_set_visible_child_name (self->proposals_stack,
                                    self->proposals->len > 0 ? "list" : "empty");
  title = self->proposals->len > 0
    /* Translators: the title of the proposals' tab, with their count */
    ? g_strdup_printf (_("Instalment Proposals (%u)"), self->proposals->len)
    : g_strdup (_("Instalment Proposals"));
  gtk_stack_page_set_title (self->proposals_page, title);
}

/* ---- GObject ------------------------------------------------------------ */

static void
on_map (EsaPaymentsPage *self)
{
  esa_payments_page_reload (self);
}

static void
esa_payments_page_dispose (GObject *object)
{
  EsaPaymentsPage *self = ESA_PAYMENTS_PAGE (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), ESA_TYPE_PAYMENTS_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  g_cancellable_cancel (self->import_cancellable);
  g_clear_object (&self->import_cancellable);
  g_clear_object (&self->import_file);
  g_clear_pointer (&self->queue, g_ptr_array_unref);
  g_clear_pointer (&self->proposals, g_ptr_array_unref);
  g_clear_object (&self->parameters);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (esa_payments_page_parent_class)->dispose (object);
}

static void
esa_payments_page_class_init (EsaPaymentsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = esa_payments_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/esattore/Esattore/ui/esa-payments-page.ui");
  gtk_widget_class_bind_template_child (widget_class, EsaPaymentsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, EsaPaymentsPage, queue_page);
  gtk_widget_class_bind_template_child (widget_class, EsaPaymentsPage, proposals_page);
  gtk_widget_class_bind_template_child (widget_class, EsaPaymentsPage, queue_stack);
  gtk_widget_class_bind_template_child (widget_class, EsaPaymentsPage, queue_summary);
  gtk_widget_class_bind_template_child (widget_class, EsaPaymentsPage, queue_list);
  gtk_widget_class_bind_template_child (widget_class, EsaPaymentsPage, import_button);
  gtk_widget_class_bind_template_child (widget_class, EsaPaymentsPage, import_empty_button);
  gtk_widget_class_bind_template_callback (widget_class, on_import_clicked);
  gtk_widget_class_bind_template_child (widget_class, EsaPaymentsPage, proposals_stack);
  gtk_widget_class_bind_template_child (widget_class, EsaPaymentsPage, proposals_summary);
  gtk_widget_class_bind_template_child (widget_class, EsaPaymentsPage, proposals_list);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
esa_payments_page_init (EsaPaymentsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self, "map", G_CALLBACK (on_map), self);
}

/* ---- public API --------------------------------------------------------- */

GtkWidget *
esa_payments_page_new (void)
{
  return g_object_new (ESA_TYPE_PAYMENTS_PAGE, NULL);
}

void
esa_payments_page_set_store (EsaPaymentsPage *self,
                             EsaStore        *store)
{
  g_return_if_fail (ESA_IS_PAYMENTS_PAGE (self));
  g_return_if_fail (store == NULL || ESA_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)) || store == NULL)
    esa_payments_page_reload (self);
}

void
esa_payments_page_reload (EsaPaymentsPage *self)
{
  g_return_if_fail (ESA_IS_PAYMENTS_PAGE (self));

  load_queue (self);
  load_proposals (self);
}

/* ---- for the tests ------------------------------------------------------ */

GPtrArray *
_esa_payments_page_get_queue_ids (EsaPaymentsPage *self)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->queue_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      const char *id = g_object_get_data (G_OBJECT (row), "payment-id");

      if (id != NULL)
        g_ptr_array_add (ids, g_strdup (id));
    }
  return ids;
}

static gboolean
click_assign_in (GtkWidget  *widget,
                 const char *position_id)
{
  if (GTK_IS_BUTTON (widget)
      && g_strcmp0 (g_object_get_data (G_OBJECT (widget), "position-id"), position_id) == 0)
    {
      g_signal_emit_by_name (widget, "clicked");
      return TRUE;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (click_assign_in (child, position_id))
      return TRUE;
  return FALSE;
}

GtkWidget *
_esa_payments_page_expand (EsaPaymentsPage *self,
                           const char      *payment_id)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->queue_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "payment-id"), payment_id) == 0)
        {
          adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
          return row;
        }
    }
  return NULL;
}

/* Opens the payment's row and presses Assign on the candidate for
 * @position_id, as an officer would. */
gboolean
_esa_payments_page_assign (EsaPaymentsPage *self,
                           const char      *payment_id,
                           const char      *position_id)
{
  GtkWidget *row = _esa_payments_page_expand (self, payment_id);

  return row != NULL && click_assign_in (row, position_id);
}

const char *
_esa_payments_page_get_queue_state (EsaPaymentsPage *self)
{
  return gtk_stack_get_visible_child_name (self->queue_stack);
}

void
_esa_payments_page_show (EsaPaymentsPage *self,
                         const char      *name)
{
  gtk_stack_set_visible_child_name (self->stack, name);
}

void
_esa_payments_page_import (EsaPaymentsPage *self,
                           GFile           *file)
{
  start_import (self, file, NULL);
}

gboolean
_esa_payments_page_is_importing (EsaPaymentsPage *self)
{
  return self->import_cancellable != NULL;
}
