/* esa-queue-page.c: "My work" and "Team queues"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>

#include "esa-act-batch.h"
#include "esa-acting.h"
#include "esa-date.h"
#include "esa-queue-page-private.h"
#include "esa-roles.h"
#include "esa-store-cases.h"

/* Items named in a preview before "and N more". */
#define PREVIEW_NAMES 5

struct _EsaQueuePage
{
  GtkWidget          parent_instance;

  GtkStack          *role_stack;
  GtkSearchEntry    *filter_entry;
  GtkDropDown       *period_dropdown;
  GtkDropDown       *group_dropdown;
  GtkDropDown       *sort_dropdown;
  GtkWidget         *bulk_box;
  GtkLabel          *selection_label;
  GtkWidget         *reassign_button;
  GtkWidget         *next_step_button;
  GtkWidget         *generate_button;
  GtkLabel          *summary_label;
  GtkStack          *list_stack;
  GtkListView       *list_view;
  AdwStatusPage     *empty_page;
  AdwStatusPage     *forbidden_page;

  gboolean           team;
  EsaStore          *store;
  EsaQueueModel     *model;
  GtkSelectionModel *selection;
  char              *today;

  /* The open preview dialog and what it would do. */
  AdwMessageDialog  *dialog;
  GtkDropDown       *dialog_dropdown;
  GtkLabel          *dialog_preview;
  GPtrArray         *dialog_ids;       /* item ids */
  GPtrArray         *dialog_users;     /* EsaUser offered */
  GPtrArray         *dialog_actions;   /* action ids offered (char *) */
  AdwToast          *undo_toast;
  GCancellable      *cancellable;
  /* Read again when next shown: hidden sections do not read the store. */
  gboolean       stale;
};

G_DEFINE_FINAL_TYPE (EsaQueuePage, esa_queue_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TEAM,
  N_PROPS
};

enum {
  OPEN_DOSSIER,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ---- helpers ------------------------------------------------------------ */

static void
show_toast (EsaQueuePage *self,
            AdwToast     *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (g_object_ref_sink (toast));
}

static void
show_message (EsaQueuePage *self,
              const char   *message)
{
  show_toast (self, adw_toast_new (message));
}

static gboolean
allows (EsaQueuePage  *self,
        const char    *action_id,
        char         **out_reason)
{
  return esa_acting_allows (self->store, action_id, out_reason);
}

static GPtrArray *
selected_entries (EsaQueuePage *self)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GtkBitset) bitset = NULL;
  GtkBitsetIter iter;
  guint position;

  if (self->selection == NULL)
    return entries;
  bitset = gtk_selection_model_get_selection (self->selection);
  for (gboolean ok = gtk_bitset_iter_init_first (&iter, bitset, &position);
       ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    g_ptr_array_add (entries, g_list_model_get_item (G_LIST_MODEL (self->selection), position));
  return entries;
}

/* Enables a bulk action when something is selected and the role allows it;
 * a refusal is explained on the button. */
static void
update_bulk_action (EsaQueuePage *self,
                    const char   *widget_action,
                    GtkWidget    *button,
                    const char   *role_action,
                    guint         n_selected,
                    const char   *tooltip)
{
  g_autofree char *reason = NULL;
  gboolean allowed = allows (self, role_action, &reason);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), widget_action, allowed && n_selected > 0);
  gtk_widget_set_tooltip_text (button, allowed ? tooltip : reason);
}

static void
update_selection (EsaQueuePage *self)
{
  g_autoptr(GtkBitset) bitset = NULL;
  guint n_selected = 0;
  guint n_shown = 0;
  g_autofree char *text = NULL;

  if (self->selection != NULL)
    {
      bitset = gtk_selection_model_get_selection (self->selection);
      n_selected = (guint) gtk_bitset_get_size (bitset);
      n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
    }

  if (n_selected == 0)
    /* Translators: %u is the number of queue items listed */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u item · select with Shift or Ctrl and the arrows, Ctrl+A for all",
                                         "%u items · select with Shift or Ctrl and the arrows, Ctrl+A for all",
                                         n_shown), n_shown);
  else
    /* Translators: %u selected of %u listed queue items */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u item selected",
                                         "%u of %u items selected", n_shown),
                            n_selected, n_shown);
  gtk_label_set_text (self->selection_label, text);

  update_bulk_action (self, "queue.reassign", self->reassign_button,
                      ESA_ACTION_QUEUE_REASSIGN, n_selected,
                      _("Give the selected items to another officer"));
  update_bulk_action (self, "queue.next-step", self->next_step_button,
                      ESA_ACTION_QUEUE_BULK_STEP, n_selected,
                      _("Run the same next step on the cases of the selected items"));
  update_bulk_action (self, "queue.generate", self->generate_button,
                      ESA_ACTION_QUEUE_BULK_STEP, n_selected,
                      _("Render the latest act of each selected case into one print file"));
}

static void
update_summary (EsaQueuePage *self)
{
  guint n = esa_queue_model_get_n_all (self->model);
  guint counts[ESA_QUEUE_WHEN_LATER + 1] = { 0 };
  g_autofree char *text = NULL;

  for (guint i = 0; i < n; i++)
    {
      EsaQueueWhen when = esa_queue_model_get_all (self->model, i)->when;

      if (when <= ESA_QUEUE_WHEN_LATER)
        counts[when]++;
    }

  /* Translators: counts of queue items: "12 overdue · 3 today · 20 this week · 140 later" */
  text = g_strdup_printf (_("%u overdue · %u today · %u this week · %u later"),
                          counts[ESA_QUEUE_WHEN_OVERDUE], counts[ESA_QUEUE_WHEN_TODAY],
                          counts[ESA_QUEUE_WHEN_WEEK], counts[ESA_QUEUE_WHEN_LATER]);
  gtk_label_set_text (self->summary_label, text);
}

static void
update_empty (EsaQueuePage *self)
{
  guint n = g_list_model_get_n_items (esa_queue_model_get_model (self->model));
  guint total = esa_queue_model_get_n_all (self->model);

  if (n > 0)
    {
      gtk_stack_set_visible_child_name (self->list_stack, "list");
      return;
    }
  if (total > 0)
    {
      adw_status_page_set_title (self->empty_page, _("No Matching Items"));
      adw_status_page_set_description (self->empty_page,
                                       _("Change the filter or choose “All” to see the rest."));
    }
  else
    {
      adw_status_page_set_title (self->empty_page, _("Nothing Due"));
      adw_status_page_set_description (self->empty_page,
                                       self->team ? _("No open deadline in the team’s queues.")
                                                  : _("No open deadline is assigned to you."));
    }
  gtk_stack_set_visible_child_name (self->list_stack, "empty");
}

/* ---- rows --------------------------------------------------------------- */

typedef struct
{
  GtkWidget *header;
  GtkWidget *due;
  GtkWidget *title;
  GtkWidget *subtitle;
  GtkWidget *assignee;
  GtkWidget *office;
  GtkWidget *result;
} RowWidgets;

static GtkWidget *
dim_label_new (int width_chars)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (label), width_chars);
  gtk_label_set_max_width_chars (GTK_LABEL (label), width_chars);
  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           EsaQueuePage             *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  RowWidgets *row = g_new0 (RowWidgets, 1);

  row->header = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (row->header), 0);
  gtk_widget_add_css_class (row->header, "heading");
  gtk_widget_add_css_class (row->header, "esa-queue-group");
  gtk_box_append (GTK_BOX (box), row->header);

  row->due = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (row->due), 0);
  gtk_label_set_width_chars (GTK_LABEL (row->due), 11);
  gtk_widget_add_css_class (row->due, "numeric");
  gtk_widget_set_valign (row->due, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (line), row->due);

  row->title = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (row->title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (row->title), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (row->title, "heading");
  row->subtitle = dim_label_new (10);
  gtk_label_set_max_width_chars (GTK_LABEL (row->subtitle), -1);
  gtk_box_append (GTK_BOX (texts), row->title);
  gtk_box_append (GTK_BOX (texts), row->subtitle);
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_box_append (GTK_BOX (line), texts);

  row->result = gtk_label_new (NULL);
  gtk_widget_add_css_class (row->result, "esa-badge");
  gtk_widget_set_valign (row->result, GTK_ALIGN_CENTER);
  gtk_label_set_ellipsize (GTK_LABEL (row->result), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (row->result), 28);
  gtk_box_append (GTK_BOX (line), row->result);

  row->assignee = dim_label_new (16);
  gtk_widget_set_visible (row->assignee, self->team);
  gtk_box_append (GTK_BOX (line), row->assignee);
  row->office = dim_label_new (22);
  gtk_box_append (GTK_BOX (line), row->office);

  gtk_box_append (GTK_BOX (box), line);
  g_object_set_data_full (G_OBJECT (box), "row", row, g_free);
  gtk_list_item_set_child (list_item, box);
}

static void
update_result (EsaQueueEntry *entry,
               GParamSpec    *pspec,
               GtkWidget     *label)
{
  const char *result = esa_queue_entry_get_result (entry);

  gtk_widget_set_visible (label, result != NULL);
  gtk_label_set_text (GTK_LABEL (label), result);
  gtk_widget_set_tooltip_text (label, result);
  if (esa_queue_entry_get_failed (entry))
    gtk_widget_add_css_class (label, "warning");
  else
    gtk_widget_remove_css_class (label, "warning");
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          EsaQueuePage             *self)
{
  EsaQueueEntry *entry = gtk_list_item_get_item (list_item);
  const EsaQueueItem *item = esa_queue_entry_get_item (entry);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  RowWidgets *row = g_object_get_data (G_OBJECT (box), "row");
  guint position = gtk_list_item_get_position (list_item);
  g_autofree char *due = esa_date_format_iso (item->due_on);
  g_autofree char *subtitle = NULL;
  const char *title;

  if (esa_queue_model_starts_group (self->model, position))
    {
      g_autofree char *label = esa_queue_model_group_label (self->model, entry);

      gtk_label_set_text (GTK_LABEL (row->header), label);
      gtk_widget_set_visible (row->header, TRUE);
    }
  else
    gtk_widget_set_visible (row->header, FALSE);

  gtk_label_set_text (GTK_LABEL (row->due), due);
  if (item->when == ESA_QUEUE_WHEN_OVERDUE)
    gtk_widget_add_css_class (row->due, "error");
  else
    gtk_widget_remove_css_class (row->due, "error");

  title = item->debtor_name != NULL ? item->debtor_name : item->title;
  gtk_label_set_text (GTK_LABEL (row->title), title);
  /* A title that names its reference already ("Notify act ING-… again")
   * does not repeat it. */
  if (item->debtor_name != NULL && item->reference != NULL
      && strstr (item->title, item->reference) == NULL)
    /* Translators: "Notice served: 60 days to pay · ING-2026-000123" */
    subtitle = g_strdup_printf (_("%s · %s"), item->title, item->reference);
  else if (item->debtor_name != NULL)
    subtitle = g_strdup (item->title);
  else
    subtitle = g_strdup (esa_queue_kind_describe (item->kind));
  gtk_label_set_text (GTK_LABEL (row->subtitle), subtitle);

  gtk_label_set_text (GTK_LABEL (row->assignee),
                      item->assignee_name != NULL ? item->assignee_name : _("Unassigned"));
  gtk_label_set_text (GTK_LABEL (row->office), item->office_name);

  update_result (entry, NULL, row->result);
  g_signal_connect_object (entry, "notify::result", G_CALLBACK (update_result), row->result, 0);
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            EsaQueuePage             *self)
{
  EsaQueueEntry *entry = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  RowWidgets *row = g_object_get_data (G_OBJECT (box), "row");

  if (entry != NULL)
    g_signal_handlers_disconnect_by_func (entry, update_result, row->result);
}

/* ---- reading ------------------------------------------------------------ */

static void
on_model_items_changed (EsaQueuePage *self)
{
  update_empty (self);
  update_selection (self);
}

static void
set_forbidden (EsaQueuePage *self,
               const char   *reason)
{
  adw_status_page_set_description (self->forbidden_page, reason);
  gtk_stack_set_visible_child_name (self->role_stack, "forbidden");
}

void
esa_queue_page_reload (EsaQueuePage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autoptr(GPtrArray) items = NULL;
  EsaQueueFilter filter = { 0 };

  g_return_if_fail (ESA_IS_QUEUE_PAGE (self));

  if (self->store != NULL && !gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->stale = TRUE;
      return;
    }
  self->stale = FALSE;

  if (self->store == NULL)
    {
      esa_queue_model_set_items (self->model, NULL);
      return;
    }

  if (!allows (self, self->team ? ESA_ACTION_QUEUE_VIEW_TEAM : ESA_ACTION_QUEUE_VIEW_OWN,
               &reason))
    {
      esa_queue_model_set_items (self->model, NULL);
      set_forbidden (self, reason);
      return;
    }

  filter.user_id = self->team ? NULL : esa_store_get_acting_user (self->store);
  filter.when = ESA_QUEUE_WHEN_ALL;
  /* The store gives every item in due order, which the model groups and
   * sorts as the officer chose, fastest from that order. */
  filter.group = ESA_QUEUE_GROUP_NONE;
  filter.today = self->today;

  if (!self->team && filter.user_id == NULL)
    {
      set_forbidden (self, _("Choose who you are in the sidebar to see your own work."));
      esa_queue_model_set_items (self->model, NULL);
      return;
    }

  items = esa_store_queue_items (self->store, &filter, &error);
  if (items == NULL)
    {
      esa_queue_model_set_items (self->model, NULL);
      set_forbidden (self, error->message);
      return;
    }

  gtk_stack_set_visible_child_name (self->role_stack, "queue");
  esa_queue_model_set_items (self->model, g_steal_pointer (&items));
  update_summary (self);
  update_empty (self);
  update_selection (self);
}

/* ---- results of bulk actions ------------------------------------------- */

static gboolean
result_failed (const EsaQueueItemResult *result)
{
  return result->code == ESA_QUEUE_RESULT_NOT_FOUND ||
         result->code == ESA_QUEUE_RESULT_REFUSED ||
         result->code == ESA_QUEUE_RESULT_CHANGED;
}

/* Shows each item's result on its row (after the queue was read again) and
 * counts the failures. */
static guint
show_results (EsaQueuePage *self,
              GPtrArray    *results)
{
  guint failed = 0;

  for (guint i = 0; results != NULL && i < results->len; i++)
    {
      const EsaQueueItemResult *result = g_ptr_array_index (results, i);
      EsaQueueEntry *entry = esa_queue_model_lookup (self->model, result->item_id);

      if (result_failed (result))
        failed++;
      if (entry != NULL)
        esa_queue_entry_set_result (entry, result->message, result_failed (result));
    }
  return failed;
}

static void
on_undo_clicked (AdwToast     *toast,
                 EsaQueuePage *self)
{
  const char *batch_id = g_object_get_data (G_OBJECT (toast), "batch-id");
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  guint failed;

  if (self->undo_toast == toast)
    self->undo_toast = NULL;
  if (self->store == NULL || batch_id == NULL)
    return;

  if (!esa_store_queue_undo_batch (self->store, batch_id, &results, &error))
    {
      show_message (self, error->message);
      return;
    }
  esa_queue_page_reload (self);
  failed = show_results (self, results);
  if (failed == 0)
    message = g_strdup (_("Undone"));
  else
    /* Translators: after an undo, %u items had been changed by someone else */
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Undone, except %u item changed since",
                                            "Undone, except %u items changed since", failed),
                               failed);
  show_message (self, message);
}

static void
on_undo_toast_dismissed (AdwToast     *toast,
                         EsaQueuePage *self)
{
  if (self->undo_toast == toast)
    self->undo_toast = NULL;
}

static void
show_undo_toast (EsaQueuePage *self,
                 const char   *message,
                 const char   *batch_id)
{
  AdwToast *toast = adw_toast_new (message);

  if (batch_id != NULL)
    {
      adw_toast_set_button_label (toast, _("_Undo"));
      adw_toast_set_timeout (toast, 10);
      g_object_set_data_full (G_OBJECT (toast), "batch-id", g_strdup (batch_id), g_free);
      g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_undo_clicked), self, 0);
      g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_undo_toast_dismissed),
                               self, 0);
      self->undo_toast = toast;
    }
  show_toast (self, toast);
}

/* ---- the preview dialog ------------------------------------------------- */

static void
clear_dialog (EsaQueuePage *self)
{
  self->dialog = NULL;
  self->dialog_dropdown = NULL;
  self->dialog_preview = NULL;
  g_clear_pointer (&self->dialog_ids, g_ptr_array_unref);
  g_clear_pointer (&self->dialog_users, g_ptr_array_unref);
  g_clear_pointer (&self->dialog_actions, g_ptr_array_unref);
}

static void
on_dialog_destroy (GtkWidget    *dialog,
                   EsaQueuePage *self)
{
  if (self->dialog == ADW_MESSAGE_DIALOG (dialog))
    clear_dialog (self);
}

/* A dialog whose extra child holds a drop-down and the preview below it. */
static AdwMessageDialog *
preview_dialog_new (EsaQueuePage *self,
                    const char   *heading,
                    const char   *body,
                    const char   *chooser_label,
                    GListModel   *choices,
                    const char   *confirm_id,
                    const char   *confirm_label)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              heading, body);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  if (choices != NULL)
    {
      GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *label = gtk_label_new_with_mnemonic (chooser_label);
      GtkWidget *dropdown = gtk_drop_down_new (g_object_ref (choices), NULL);

      gtk_widget_set_hexpand (dropdown, TRUE);
      gtk_label_set_mnemonic_widget (GTK_LABEL (label), dropdown);
      gtk_box_append (GTK_BOX (line), label);
      gtk_box_append (GTK_BOX (line), dropdown);
      gtk_box_append (GTK_BOX (box), line);
      self->dialog_dropdown = GTK_DROP_DOWN (dropdown);
    }

  self->dialog_preview = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->dialog_preview, TRUE);
  gtk_label_set_xalign (self->dialog_preview, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->dialog_preview), "dim-label");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->dialog_preview));

  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    confirm_id, confirm_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), confirm_id,
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), confirm_id);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (on_dialog_destroy), self, 0);
  self->dialog = ADW_MESSAGE_DIALOG (dialog);
  return ADW_MESSAGE_DIALOG (dialog);
}

/* "Rossi Mario, Bianchi SA, … and 45 more" */
static char *
name_items (GPtrArray *entries)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < entries->len && i < PREVIEW_NAMES; i++)
    {
      const EsaQueueItem *item = esa_queue_entry_get_item (g_ptr_array_index (entries, i));

      if (i > 0)
        g_string_append (text, _(", "));
      g_string_append (text, item->debtor_name != NULL ? item->debtor_name : item->title);
    }
  if (entries->len > PREVIEW_NAMES)
    {
      guint more = entries->len - PREVIEW_NAMES;

      g_string_append_c (text, ' ');
      /* Translators: follows a list of names */
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "and %u more", "and %u more",
                                                 more), more);
    }
  return g_string_free (text, FALSE);
}

/* ---- reassign ----------------------------------------------------------- */

static const EsaUser *
dialog_user (EsaQueuePage *self)
{
  guint selected;

  if (self->dialog_dropdown == NULL || self->dialog_users == NULL)
    return NULL;
  selected = gtk_drop_down_get_selected (self->dialog_dropdown);
  if (selected >= self->dialog_users->len)
    return NULL;
  return g_ptr_array_index (self->dialog_users, selected);
}

static void
update_reassign_preview (EsaQueuePage *self)
{
  const EsaUser *user = dialog_user (self);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  guint counts[ESA_QUEUE_RESULT_CHANGED + 1] = { 0 };
  GString *text;

  if (user == NULL || self->dialog_preview == NULL)
    return;
  results = esa_store_queue_reassign_preview (self->store,
                                              (const char * const *) self->dialog_ids->pdata,
                                              self->dialog_ids->len, user->id, &error);
  if (results == NULL)
    {
      gtk_label_set_text (self->dialog_preview, error->message);
      adw_message_dialog_set_response_enabled (self->dialog, "reassign", FALSE);
      return;
    }
  for (guint i = 0; i < results->len; i++)
    {
      const EsaQueueItemResult *result = g_ptr_array_index (results, i);

      if (result->code <= ESA_QUEUE_RESULT_CHANGED)
        counts[result->code]++;
    }

  text = g_string_new (NULL);
  /* Translators: preview of a reassignment; %u items, %s an officer */
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u item will go to %s.",
                                             "%u items will go to %s.",
                                             counts[ESA_QUEUE_RESULT_DONE]),
                          counts[ESA_QUEUE_RESULT_DONE], user->name);
  if (counts[ESA_QUEUE_RESULT_UNCHANGED] > 0)
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u is already assigned to them.",
                                                 "%u are already assigned to them.",
                                                 counts[ESA_QUEUE_RESULT_UNCHANGED]),
                              counts[ESA_QUEUE_RESULT_UNCHANGED]);
    }
  if (counts[ESA_QUEUE_RESULT_NOT_FOUND] + counts[ESA_QUEUE_RESULT_REFUSED] > 0)
    {
      guint n = counts[ESA_QUEUE_RESULT_NOT_FOUND] + counts[ESA_QUEUE_RESULT_REFUSED];

      g_string_append_c (text, '\n');
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u cannot be reassigned.",
                                                 "%u cannot be reassigned.", n), n);
    }
  gtk_label_set_text (self->dialog_preview, text->str);
  g_string_free (text, TRUE);
  adw_message_dialog_set_response_enabled (self->dialog, "reassign",
                                           counts[ESA_QUEUE_RESULT_DONE] > 0);
}

static void
on_reassign_response (AdwMessageDialog *dialog,
                      const char       *response,
                      EsaQueuePage     *self)
{
  const EsaUser *user = dialog_user (self);
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *batch_id = NULL;
  g_autofree char *message = NULL;
  g_autofree char *name = NULL;
  guint failed;
  guint done;

  if (!g_str_equal (response, "reassign") || user == NULL || self->store == NULL)
    return;

  ids = g_ptr_array_ref (self->dialog_ids);
  name = g_strdup (user->name);
  if (!esa_store_queue_reassign (self->store, (const char * const *) ids->pdata, ids->len,
                                 user->id, &batch_id, &results, &error))
    {
      show_message (self, error->message);
      return;
    }

  esa_queue_page_reload (self);
  failed = show_results (self, results);
  done = 0;
  for (guint i = 0; i < results->len; i++)
    if (((EsaQueueItemResult *) g_ptr_array_index (results, i))->code == ESA_QUEUE_RESULT_DONE)
      done++;

  if (failed == 0)
    /* Translators: %u items, %s an officer */
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u item reassigned to %s",
                                            "%u items reassigned to %s", done), done, name);
  else
    /* Translators: %u items, %s an officer, %u items that failed */
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%u item reassigned to %s, %u not (see the rows)",
                                            "%u items reassigned to %s, %u not (see the rows)",
                                            done), done, name, failed);
  show_undo_toast (self, message, batch_id);
}

static void
reassign_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  EsaQueuePage *self = ESA_QUEUE_PAGE (widget);
  g_autoptr(GPtrArray) entries = selected_entries (self);
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GtkStringList) names = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  g_autofree char *listed = NULL;
  AdwMessageDialog *dialog;

  if (self->store == NULL || entries->len == 0)
    return;

  users = esa_store_list_users (self->store, &error);
  if (users == NULL)
    {
      show_message (self, error->message);
      return;
    }

  /* Work goes to people who do casework, not to the auditor or the
   * contact center. */
  names = gtk_string_list_new (NULL);
  for (guint i = 0; i < users->len;)
    {
      const EsaUser *user = g_ptr_array_index (users, i);

      if (user->role == ESA_ROLE_AUDITOR || user->role == ESA_ROLE_CONTACT_OPERATOR)
        {
          g_ptr_array_remove_index (users, i);
          continue;
        }
      if (user->office_name != NULL)
        {
          /* Translators: "Mario Rossi (Milano)": an officer and their office */
          g_autofree char *label = g_strdup_printf (_("%s (%s)"), user->name, user->office_name);

          gtk_string_list_append (names, label);
        }
      else
        gtk_string_list_append (names, user->name);
      i++;
    }

  /* Translators: heading of the preview of a reassignment */
  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Reassign %u Item",
                                          "Reassign %u Items", entries->len), entries->len);
  listed = name_items (entries);
  body = g_strdup_printf (_("%s. You can undo this for a few seconds afterwards."), listed);
  dialog = preview_dialog_new (self, heading, body, _("_To"), G_LIST_MODEL (names),
                               "reassign", _("_Reassign"));

  self->dialog_users = g_steal_pointer (&users);
  self->dialog_ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < entries->len; i++)
    g_ptr_array_add (self->dialog_ids,
                     g_strdup (esa_queue_entry_get_id (g_ptr_array_index (entries, i))));

  g_signal_connect_object (self->dialog_dropdown, "notify::selected",
                           G_CALLBACK (update_reassign_preview), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_reassign_response), self, 0);
  update_reassign_preview (self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- run the next step -------------------------------------------------- */

/* The case ids of the selected items that are procedure deadlines. */
static GPtrArray *
selected_case_ids (GPtrArray *entries)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < entries->len; i++)
    {
      const EsaQueueItem *item = esa_queue_entry_get_item (g_ptr_array_index (entries, i));

      if (item->case_id != NULL && g_hash_table_add (seen, item->case_id))
        g_ptr_array_add (ids, g_strdup (item->case_id));
    }
  return ids;
}

static void
on_next_step_response (AdwMessageDialog *dialog,
                       const char       *response,
                       EsaQueuePage     *self)
{
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *batch_id = NULL;
  g_autofree char *message = NULL;
  const char *action_id;
  guint selected;
  guint failed;

  if (!g_str_equal (response, "run") || self->dialog_actions == NULL || self->store == NULL)
    return;
  selected = gtk_drop_down_get_selected (self->dialog_dropdown);
  if (selected >= self->dialog_actions->len)
    return;
  action_id = g_ptr_array_index (self->dialog_actions, selected);

  if (!esa_store_queue_run_step (self->store, (const char * const *) self->dialog_ids->pdata,
                                 self->dialog_ids->len, action_id, NULL, NULL, &batch_id,
                                 &results, &error))
    {
      show_message (self, error->message);
      return;
    }
  esa_queue_page_reload (self);
  failed = show_results (self, results);
  /* Translators: %u cases that took the step, %u that did not */
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "Step run on %u case, %u refused (see the rows)",
                                          "Step run on %u cases, %u refused (see the rows)",
                                          results->len - failed),
                             results->len - failed, failed);
  show_undo_toast (self, message, batch_id);
}

static void
update_next_step_preview (EsaQueuePage *self)
{
  guint selected;
  guint *counts;
  g_autofree char *text = NULL;

  if (self->dialog_dropdown == NULL || self->dialog_actions == NULL)
    return;
  selected = gtk_drop_down_get_selected (self->dialog_dropdown);
  counts = g_object_get_data (G_OBJECT (self->dialog), "counts");
  if (counts == NULL || selected >= self->dialog_actions->len)
    return;
  /* Translators: %u of %u cases can take the chosen step now */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u of %u case can take this step today; the others "
                                       "will be reported with the reason.",
                                       "%u of %u cases can take this step today; the others "
                                       "will be reported with the reason.",
                                       self->dialog_ids->len),
                          counts[selected], self->dialog_ids->len);
  gtk_label_set_text (self->dialog_preview, text);
}

static void
next_step_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  EsaQueuePage *self = ESA_QUEUE_PAGE (widget);
  g_autoptr(GPtrArray) entries = selected_entries (self);
  g_autoptr(GPtrArray) case_ids = selected_case_ids (entries);
  g_autoptr(GPtrArray) action_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) counts = g_array_new (FALSE, TRUE, sizeof (guint));
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;

  if (self->store == NULL)
    return;
  if (case_ids->len == 0)
    {
      show_message (self, _("None of the selected items is a deadline of a case"));
      return;
    }

  /* What each case can do next, counted per action: the team lead picks one
   * step that many of them can take. */
  for (guint i = 0; i < case_ids->len; i++)
    {
      g_autoptr(GPtrArray) statuses = esa_store_case_actions (self->store,
                                                               g_ptr_array_index (case_ids, i),
                                                               NULL, NULL);

      for (guint j = 0; statuses != NULL && j < statuses->len; j++)
        {
          const EsaActionStatus *status = g_ptr_array_index (statuses, j);
          guint k;

          if (!status->available)
            continue;
          for (k = 0; k < action_ids->len; k++)
            if (g_str_equal (g_ptr_array_index (action_ids, k), status->action->id))
              break;
          if (k == action_ids->len)
            {
              guint zero = 0;

              g_ptr_array_add (action_ids, g_strdup (status->action->id));
              gtk_string_list_append (labels, status->action->label);
              g_array_append_val (counts, zero);
            }
          g_array_index (counts, guint, k)++;
        }
    }

  if (action_ids->len == 0)
    {
      show_message (self, _("None of the selected cases can take a step today"));
      return;
    }

  /* Translators: heading of the preview of a bulk step */
  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Run the Next Step on %u Case",
                                          "Run the Next Step on %u Cases", case_ids->len),
                             case_ids->len);
  dialog = preview_dialog_new (self, heading,
                               _("The step is dated today and produces its acts. You can "
                                 "undo it for a few seconds afterwards, while none of the "
                                 "acts is printed."),
                               _("_Step"), G_LIST_MODEL (labels), "run", _("_Run"));
  self->dialog_ids = g_steal_pointer (&case_ids);
  self->dialog_actions = g_steal_pointer (&action_ids);
  g_object_set_data_full (G_OBJECT (dialog), "counts",
                          g_memdup2 (counts->data, counts->len * sizeof (guint)), g_free);
  g_signal_connect_object (self->dialog_dropdown, "notify::selected",
                           G_CALLBACK (update_next_step_preview), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_next_step_response), self, 0);
  update_next_step_preview (self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- generate the acts -------------------------------------------------- */

static void
on_open_folder_clicked (AdwToast     *toast,
                        EsaQueuePage *self)
{
  const char *folder = g_object_get_data (G_OBJECT (toast), "folder");
  g_autoptr(GFile) file = g_file_new_for_path (folder);
  g_autofree char *uri = g_file_get_uri (file);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
}

static void
on_batch_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(EsaQueuePage) self = user_data;
  g_autoptr(EsaActBatchReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  const char *folder = g_object_get_data (source, "folder");
  AdwToast *toast;

  report = esa_act_batch_run_finish (ESA_ACT_BATCH (source), result, &error);
  if (report == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_message (self, error->message);
      return;
    }

  for (guint i = 0; i < report->failures->len; i++)
    {
      const EsaActBatchFailure *failure = g_ptr_array_index (report->failures, i);
      g_autofree char *item_id = g_strconcat ("case:", failure->case_id, NULL);
      EsaQueueEntry *entry = esa_queue_model_lookup (self->model, item_id);

      if (entry != NULL)
        esa_queue_entry_set_result (entry, failure->message, TRUE);
    }

  /* Translators: %u acts rendered, %u cases without a printable act */
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%u act generated, %u failed",
                                          "%u acts generated, %u failed",
                                          report->generated),
                             report->generated, report->failed);
  toast = adw_toast_new (message);
  if (report->print_file != NULL)
    {
      adw_toast_set_button_label (toast, _("_Open Folder"));
      g_object_set_data_full (G_OBJECT (toast), "folder", g_strdup (folder), g_free);
      g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_open_folder_clicked),
                               self, 0);
    }
  show_toast (self, toast);
}

static char *
batch_folder (void)
{
  const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *name = g_date_time_format (now, "acts-%Y%m%d-%H%M%S");

  return g_build_filename (documents != NULL ? documents : g_get_home_dir (),
                           "Esattore", name, NULL);
}

static void
on_generate_response (AdwMessageDialog *dialog,
                      const char       *response,
                      EsaQueuePage     *self)
{
  g_autoptr(EsaActBatch) batch = NULL;
  const char *folder;
  const char *path;

  if (!g_str_equal (response, "generate") || self->store == NULL || self->dialog_ids == NULL)
    return;
  path = esa_store_get_path (self->store);
  if (path == NULL)
    {
      show_message (self, _("Acts can be generated only from a database file"));
      return;
    }

  folder = g_object_get_data (G_OBJECT (dialog), "folder");
  batch = esa_act_batch_new (path, folder);
  g_ptr_array_add (self->dialog_ids, NULL);
  esa_act_batch_set_cases (batch, (const char * const *) self->dialog_ids->pdata);
  g_ptr_array_set_size (self->dialog_ids, self->dialog_ids->len - 1);
  g_object_set_data_full (G_OBJECT (batch), "folder", g_strdup (folder), g_free);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  show_message (self, _("Generating the acts…"));
  esa_act_batch_run_async (batch, self->cancellable, NULL, NULL, NULL, on_batch_done,
                           g_object_ref (self));
}

static void
generate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  EsaQueuePage *self = ESA_QUEUE_PAGE (widget);
  g_autoptr(GPtrArray) entries = selected_entries (self);
  g_autoptr(GPtrArray) case_ids = selected_case_ids (entries);
  g_autofree char *heading = NULL;
  g_autofree char *folder = batch_folder ();
  g_autofree char *preview = NULL;
  AdwMessageDialog *dialog;

  if (self->store == NULL)
    return;
  if (case_ids->len == 0)
    {
      show_message (self, _("None of the selected items is a deadline of a case"));
      return;
    }

  /* Translators: heading of the preview of mass generation */
  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Generate the Act of %u Case",
                                          "Generate the Acts of %u Cases", case_ids->len),
                             case_ids->len);
  dialog = preview_dialog_new (self, heading,
                               _("The latest act of each case is rendered to PDF, archived "
                                 "in its dossier and added to one print file. A case without "
                                 "an act is reported on its row."),
                               NULL, NULL, "generate", _("_Generate"));
  /* Translators: %s is a folder */
  preview = g_strdup_printf (_("Into %s"), folder);
  gtk_label_set_text (self->dialog_preview, preview);
  g_object_set_data_full (G_OBJECT (dialog), "folder", g_steal_pointer (&folder), g_free);
  self->dialog_ids = g_steal_pointer (&case_ids);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_generate_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- callbacks ---------------------------------------------------------- */

static void
on_filter_changed (EsaQueuePage *self)
{
  static const EsaQueueWhen whens[] = {
    ESA_QUEUE_WHEN_ALL, ESA_QUEUE_WHEN_OVERDUE, ESA_QUEUE_WHEN_TODAY, ESA_QUEUE_WHEN_WEEK,
  };
  guint selected = gtk_drop_down_get_selected (self->period_dropdown);

  esa_queue_model_set_text (self->model, gtk_editable_get_text (GTK_EDITABLE (self->filter_entry)));
  esa_queue_model_set_when (self->model, selected < G_N_ELEMENTS (whens) ? whens[selected]
                                                                         : ESA_QUEUE_WHEN_ALL);
  update_empty (self);
}

static void
on_group_changed (EsaQueuePage *self)
{
  static const EsaQueueGroup groups[] = {
    ESA_QUEUE_GROUP_WHEN, ESA_QUEUE_GROUP_OFFICER, ESA_QUEUE_GROUP_OFFICE,
    ESA_QUEUE_GROUP_ACT_TYPE,
  };
  guint selected = gtk_drop_down_get_selected (self->group_dropdown);

  esa_queue_model_set_group (self->model, selected < G_N_ELEMENTS (groups) ? groups[selected]
                                                                           : ESA_QUEUE_GROUP_WHEN);
}

static void
on_sort_changed (EsaQueuePage *self)
{
  static const EsaQueueSort sorts[] = {
    ESA_QUEUE_SORT_DUE, ESA_QUEUE_SORT_DEBTOR, ESA_QUEUE_SORT_ASSIGNEE,
  };
  guint selected = gtk_drop_down_get_selected (self->sort_dropdown);

  esa_queue_model_set_sort (self->model, selected < G_N_ELEMENTS (sorts) ? sorts[selected]
                                                                         : ESA_QUEUE_SORT_DUE);
}

static void
on_list_view_activate (EsaQueuePage *self,
                       guint         position)
{
  g_autoptr(EsaQueueEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->selection),
                                                          position);
  const EsaQueueItem *item;

  if (entry == NULL)
    return;
  item = esa_queue_entry_get_item (entry);
  if (item->debtor_id != NULL)
    g_signal_emit (self, signals[OPEN_DOSSIER], 0, item->debtor_id);
  else
    show_message (self, _("This item concerns no single debtor"));
}

static void
focus_filter_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (ESA_QUEUE_PAGE (widget)->filter_entry));
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  esa_queue_page_reload (ESA_QUEUE_PAGE (widget));
}

/* ---- GObject ------------------------------------------------------------ */

static void
esa_queue_page_constructed (GObject *object)
{
  EsaQueuePage *self = ESA_QUEUE_PAGE (object);
  GtkListItemFactory *factory;

  G_OBJECT_CLASS (esa_queue_page_parent_class)->constructed (object);

  if (self->team)
    self->selection = GTK_SELECTION_MODEL (
      gtk_multi_selection_new (g_object_ref (esa_queue_model_get_model (self->model))));
  else
    {
      GtkSingleSelection *single =
        gtk_single_selection_new (g_object_ref (esa_queue_model_get_model (self->model)));

      gtk_single_selection_set_autoselect (single, FALSE);
      gtk_single_selection_set_can_unselect (single, TRUE);
      self->selection = GTK_SELECTION_MODEL (single);
    }
  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (update_selection), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "items-changed",
                           G_CALLBACK (on_model_items_changed), self, G_CONNECT_SWAPPED);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->list_view, self->selection);

  gtk_widget_set_visible (GTK_WIDGET (self->group_dropdown), self->team);
  gtk_widget_set_visible (self->bulk_box, self->team);
  gtk_widget_set_visible (GTK_WIDGET (self->sort_dropdown), TRUE);
  adw_status_page_set_title (self->forbidden_page, self->team ? _("Team Queues")
                                                              : _("My Work"));
  adw_status_page_set_icon_name (self->forbidden_page, self->team ? "system-users-symbolic"
                                                                  : "task-due-symbolic");
  update_selection (self);
}

static void
esa_queue_page_dispose (GObject *object)
{
  EsaQueuePage *self = ESA_QUEUE_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));
  clear_dialog (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), ESA_TYPE_QUEUE_PAGE);
  /* The template's root is not bound to a field; unparent what is left. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (esa_queue_page_parent_class)->dispose (object);
}

static void
esa_queue_page_finalize (GObject *object)
{
  EsaQueuePage *self = ESA_QUEUE_PAGE (object);

  g_free (self->today);

  G_OBJECT_CLASS (esa_queue_page_parent_class)->finalize (object);
}

static void
esa_queue_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  EsaQueuePage *self = ESA_QUEUE_PAGE (object);

  switch (prop_id)
    {
    case PROP_TEAM:
      g_value_set_boolean (value, self->team);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esa_queue_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  EsaQueuePage *self = ESA_QUEUE_PAGE (object);

  switch (prop_id)
    {
    case PROP_TEAM:
      self->team = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esa_queue_page_map (GtkWidget *widget)
{
  EsaQueuePage *self = ESA_QUEUE_PAGE (widget);

  GTK_WIDGET_CLASS (esa_queue_page_parent_class)->map (widget);
  if (self->stale)
    esa_queue_page_reload (self);
}

static void
esa_queue_page_class_init (EsaQueuePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = esa_queue_page_constructed;
  widget_class->map = esa_queue_page_map;
  object_class->dispose = esa_queue_page_dispose;
  object_class->finalize = esa_queue_page_finalize;
  object_class->get_property = esa_queue_page_get_property;
  object_class->set_property = esa_queue_page_set_property;

  properties[PROP_TEAM] =
    g_param_spec_boolean ("team", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * EsaQueuePage::open-dossier:
   * @debtor_id: the debtor of the activated item
   */
  signals[OPEN_DOSSIER] = g_signal_new ("open-dossier", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/esattore/Esattore/ui/esa-queue-page.ui");
  gtk_widget_class_bind_template_child (widget_class, EsaQueuePage, role_stack);
  gtk_widget_class_bind_template_child (widget_class, EsaQueuePage, filter_entry);
  gtk_widget_class_bind_template_child (widget_class, EsaQueuePage, period_dropdown);
  gtk_widget_class_bind_template_child (widget_class, EsaQueuePage, group_dropdown);
  gtk_widget_class_bind_template_child (widget_class, EsaQueuePage, sort_dropdown);
  gtk_widget_class_bind_template_child (widget_class, EsaQueuePage, bulk_box);
  gtk_widget_class_bind_template_child (widget_class, EsaQueuePage, selection_label);
  gtk_widget_class_bind_template_child (widget_class, EsaQueuePage, reassign_button);
  gtk_widget_class_bind_template_child (widget_class, EsaQueuePage, next_step_button);
  gtk_widget_class_bind_template_child (widget_class, EsaQueuePage, generate_button);
  gtk_widget_class_bind_template_child (widget_class, EsaQueuePage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, EsaQueuePage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, EsaQueuePage, list_view);
  gtk_widget_class_bind_template_child (widget_class, EsaQueuePage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, EsaQueuePage, forbidden_page);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_group_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_sort_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_list_view_activate);

  gtk_widget_class_install_action (widget_class, "queue.reassign", NULL, reassign_action);
  gtk_widget_class_install_action (widget_class, "queue.next-step", NULL, next_step_action);
  gtk_widget_class_install_action (widget_class, "queue.generate", NULL, generate_action);
  gtk_widget_class_install_action (widget_class, "queue.focus-filter", NULL,
                                   focus_filter_action);
  gtk_widget_class_install_action (widget_class, "queue.refresh", NULL, refresh_action);

  /* Ctrl+Shift with the initial of the bulk action; F5 reads the queue again
   * as in a browser. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "queue.reassign", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "queue.next-step", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "queue.generate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, GDK_CONTROL_MASK,
                                       "queue.focus-filter", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "queue.refresh", NULL);
}

static void
esa_queue_page_init (EsaQueuePage *self)
{
  self->model = esa_queue_model_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
esa_queue_page_new (gboolean team)
{
  return g_object_new (ESA_TYPE_QUEUE_PAGE, "team", team, NULL);
}

void
esa_queue_page_set_store (EsaQueuePage *self,
                          EsaStore     *store)
{
  g_return_if_fail (ESA_IS_QUEUE_PAGE (self));

  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));
  g_set_object (&self->store, store);
  esa_queue_page_reload (self);
}

/* ---- private API for the tests ------------------------------------------ */

void
_esa_queue_page_set_today (EsaQueuePage *self,
                           const char   *today)
{
  g_return_if_fail (ESA_IS_QUEUE_PAGE (self));

  g_free (self->today);
  self->today = g_strdup (today);
  esa_queue_page_reload (self);
}

EsaQueueModel *
_esa_queue_page_get_model (EsaQueuePage *self)
{
  return self->model;
}

GtkSelectionModel *
_esa_queue_page_get_selection (EsaQueuePage *self)
{
  return self->selection;
}

GtkWidget *
_esa_queue_page_get_list_view (EsaQueuePage *self)
{
  return GTK_WIDGET (self->list_view);
}

AdwMessageDialog *
_esa_queue_page_get_dialog (EsaQueuePage *self)
{
  return self->dialog;
}

gboolean
_esa_queue_page_choose_user (EsaQueuePage *self,
                             const char   *user_id)
{
  if (self->dialog_users == NULL)
    return FALSE;
  for (guint i = 0; i < self->dialog_users->len; i++)
    {
      const EsaUser *user = g_ptr_array_index (self->dialog_users, i);

      if (g_str_equal (user->id, user_id))
        {
          gtk_drop_down_set_selected (self->dialog_dropdown, i);
          return TRUE;
        }
    }
  return FALSE;
}

AdwToast *
_esa_queue_page_get_undo_toast (EsaQueuePage *self)
{
  return self->undo_toast;
}

const char *
_esa_queue_page_get_state (EsaQueuePage *self)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->role_stack), "forbidden") == 0)
    return "forbidden";
  return gtk_stack_get_visible_child_name (self->list_stack);
}
