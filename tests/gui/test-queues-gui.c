/* The work queues, the dashboard and the contact center in-process with
 * real widgets, on a demo database of their own: a team lead selects 50
 * overdue items in "Team queues", reassigns them through the preview dialog
 * and undoes the reassignment from the toast, after which the queue is as
 * before; roles hide or explain what one may not do; a contact logged with
 * a ticket shows in the contact center.
 *
 * With ESATTORE_TEST_SHOTS set to a folder, the pages are also saved there
 * as PNG files, for people to look at. */

#include "esa-config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "esa-contact-center-page.h"
#include "esa-contact-dialog.h"
#include "esa-dashboard-page.h"
#include "esa-demo.h"
#include "esa-gui-test.h"
#include "esa-parameters.h"
#include "esa-queue-entry.h"
#include "esa-queue-model.h"
#include "esa-queue-page-private.h"
#include "esa-store-cases.h"
#include "esa-store-queues.h"
#include "esa-store-tickets.h"
#include "esa-search-result.h"
#include "esa-window-private.h"

#define TODAY "2026-11-20"
#define N_SELECTED 50

static EsaStore *store;

/* The first user with @role; NULL when the demo has none. */
static EsaUser *
find_user (EsaRole     role,
           const char *other_than)
{
  g_autoptr(GPtrArray) users = esa_store_list_users (store, NULL);

  g_assert_nonnull (users);
  for (guint i = 0; i < users->len; i++)
    {
      EsaUser *user = g_ptr_array_index (users, i);

      if (user->role == role && g_strcmp0 (user->id, other_than) != 0)
        return g_ptr_array_steal_index (users, i);
    }
  return NULL;
}

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* "id=assignee" for every open item the store lists, in id order: what the
 * queue is, independent of the widgets. */
static char *
queue_snapshot (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  EsaQueueFilter filter = { 0 };
  GString *text = g_string_new (NULL);

  filter.today = TODAY;
  items = esa_store_queue_items (store, &filter, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < items->len; i++)
    {
      const EsaQueueItem *item = g_ptr_array_index (items, i);

      g_ptr_array_add (lines, g_strdup_printf ("%s=%s", item->id,
                                               item->assignee_id != NULL ? item->assignee_id
                                                                         : "-"));
    }
  g_ptr_array_sort (lines, compare_lines);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (text, "%s\n", (char *) g_ptr_array_index (lines, i));
  return g_string_free (text, FALSE);
}

static void
test_reassign_and_undo (void)
{
  g_autoptr(EsaUser) lead = find_user (ESA_ROLE_TEAM_LEAD, NULL);
  g_autoptr(EsaUser) target = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GPtrArray) chosen = g_ptr_array_new_with_free_func (g_free);
  EsaQueuePage *page;
  GtkWidget *window;
  GtkSelectionModel *selection;
  EsaQueueModel *model;
  AdwMessageDialog *dialog;
  AdwToast *toast;
  guint n_shown;
  guint moved = 0;

  g_assert_nonnull (lead);
  esa_store_set_acting_user (store, lead->id);

  page = ESA_QUEUE_PAGE (esa_queue_page_new (TRUE));
  window = esa_gui_test_window_with (GTK_WIDGET (page), 1100, 720);
  esa_queue_page_set_store (page, store);
  _esa_queue_page_set_today (page, TODAY);
  g_assert_cmpstr (_esa_queue_page_get_state (page), ==, "list");

  before = queue_snapshot ();

  /* Only the overdue items, as the team lead's filter shows them. */
  model = _esa_queue_page_get_model (page);
  esa_queue_model_set_when (model, ESA_QUEUE_WHEN_OVERDUE);
  selection = _esa_queue_page_get_selection (page);
  n_shown = g_list_model_get_n_items (G_LIST_MODEL (selection));
  g_test_message ("%u overdue items", n_shown);
  g_assert_cmpuint (n_shown, >=, N_SELECTED);
  for (guint i = 0; i < n_shown; i++)
    {
      g_autoptr(EsaQueueEntry) entry = g_list_model_get_item (G_LIST_MODEL (selection), i);

      g_assert_cmpint (esa_queue_entry_get_item (entry)->when, ==, ESA_QUEUE_WHEN_OVERDUE);
    }

  g_assert_true (gtk_selection_model_select_range (selection, 0, N_SELECTED, TRUE));
  for (guint i = 0; i < N_SELECTED; i++)
    {
      g_autoptr(EsaQueueEntry) entry = g_list_model_get_item (G_LIST_MODEL (selection), i);

      g_ptr_array_add (chosen, g_strdup (esa_queue_entry_get_id (entry)));
    }
  esa_gui_test_save_shot (window, "team-queues-selected.png");

  /* An officer who does not hold the first item. */
  {
    g_autoptr(EsaQueueEntry) first = g_list_model_get_item (G_LIST_MODEL (selection), 0);

    target = find_user (ESA_ROLE_OFFICER, esa_queue_entry_get_item (first)->assignee_id);
  }
  g_assert_nonnull (target);

  /* The preview dialog, then Reassign. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "queue.reassign", NULL));
  dialog = _esa_queue_page_get_dialog (page);
  g_assert_nonnull (dialog);
  g_assert_true (_esa_queue_page_choose_user (page, target->id));
  esa_gui_test_settle (GTK_WIDGET (dialog), 300);
  /* As the Reassign button does: the response, then the dialog closes. */
  adw_message_dialog_response (dialog, "reassign");
  gtk_window_close (GTK_WINDOW (dialog));
  esa_gui_test_settle (window, 300);
  g_assert_null (_esa_queue_page_get_dialog (page));

  /* Every chosen item is the target's now, and its row says what happened. */
  for (guint i = 0; i < chosen->len; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(EsaQueueItem) item = esa_store_queue_get_item (store,
                                                               g_ptr_array_index (chosen, i),
                                                               &error);
      EsaQueueEntry *entry = esa_queue_model_lookup (model, g_ptr_array_index (chosen, i));

      g_assert_no_error (error);
      g_assert_cmpstr (item->assignee_id, ==, target->id);
      g_assert_nonnull (entry);
      g_assert_nonnull (esa_queue_entry_get_result (entry));
      moved++;
    }
  g_assert_cmpuint (moved, ==, N_SELECTED);
  after = queue_snapshot ();
  g_assert_cmpstr (after, !=, before);
  esa_gui_test_save_shot (window, "team-queues-reassigned.png");

  /* Undo from the toast: the queue is as before. */
  toast = _esa_queue_page_get_undo_toast (page);
  g_assert_nonnull (toast);
  g_signal_emit_by_name (toast, "button-clicked");
  esa_gui_test_settle (window, 300);
  g_clear_pointer (&after, g_free);
  after = queue_snapshot ();
  g_assert_cmpstr (after, ==, before);

  esa_store_set_acting_user (store, NULL);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* An officer may not see the team's queues: the page says why; a
 * contact-center operator sees no bulk action enabled. */
static void
test_roles (void)
{
  g_autoptr(EsaUser) officer = find_user (ESA_ROLE_OFFICER, NULL);
  EsaQueuePage *page;
  GtkWidget *window;

  g_assert_nonnull (officer);
  esa_store_set_acting_user (store, officer->id);

  page = ESA_QUEUE_PAGE (esa_queue_page_new (TRUE));
  window = esa_gui_test_window_with (GTK_WIDGET (page), 1100, 720);
  esa_queue_page_set_store (page, store);
  g_assert_cmpstr (_esa_queue_page_get_state (page), ==, "forbidden");
  gtk_window_destroy (GTK_WINDOW (window));

  /* The same officer's own work is listed, and only theirs. */
  page = ESA_QUEUE_PAGE (esa_queue_page_new (FALSE));
  window = esa_gui_test_window_with (GTK_WIDGET (page), 1100, 720);
  esa_queue_page_set_store (page, store);
  _esa_queue_page_set_today (page, TODAY);
  {
    EsaQueueModel *model = _esa_queue_page_get_model (page);

    g_test_message ("%u items of the officer", esa_queue_model_get_n_all (model));
    for (guint i = 0; i < esa_queue_model_get_n_all (model); i++)
      g_assert_cmpstr (esa_queue_model_get_all (model, i)->assignee_id, ==, officer->id);
  }
  esa_gui_test_save_shot (window, "my-work.png");

  esa_store_set_acting_user (store, NULL);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A contact logged with "Open a ticket" gives a reference that the contact
 * center lists and shows. */
static void
test_contact_ticket (void)
{
  g_autoptr(EsaUser) operator = find_user (ESA_ROLE_CONTACT_OPERATOR, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autofree char *reference = NULL;
  g_autoptr(EsaTicket) ticket = NULL;
  EsaContactCenterPage *page;
  GtkWidget *window;
  GtkWidget *dialog;
  const EsaSearchHit *hit;

  g_assert_nonnull (operator);
  esa_store_set_acting_user (store, operator->id);

  hits = esa_store_search (store, "rossi", 1, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  hit = g_ptr_array_index (hits, 0);

  page = ESA_CONTACT_CENTER_PAGE (esa_contact_center_page_new ());
  window = esa_gui_test_window_with (GTK_WIDGET (page), 1100, 720);
  dialog = esa_contact_dialog_new (GTK_WINDOW (window), store, hit->debtor_id, hit->name);
  reference = _esa_contact_dialog_log (ESA_CONTACT_DIALOG (dialog), "phone",
                                       "Asks for an instalment plan", "high", &error);
  g_assert_no_error (error);
  g_assert_nonnull (reference);
  g_assert_true (g_str_has_prefix (reference, "T-"));
  gtk_window_destroy (GTK_WINDOW (dialog));

  ticket = esa_store_get_ticket (store, reference, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ticket->debtor_id, ==, hit->debtor_id);
  g_assert_cmpint (ticket->urgency, ==, ESA_TICKET_URGENCY_HIGH);

  esa_contact_center_page_set_store (page, store);
  g_assert_true (esa_contact_center_page_show_ticket (page, reference));
  esa_gui_test_save_shot (window, "ticket.png");

  esa_store_set_acting_user (store, NULL);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
window_has_results (gpointer data)
{
  EsaWindow *window = data;

  return !esa_window_get_busy (window) &&
         g_strcmp0 (_esa_window_get_sidebar_state (window), "results") == 0;
}

static EsaContactDialog *
find_contact_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (ESA_IS_CONTACT_DIALOG (toplevel))
        return ESA_CONTACT_DIALOG (toplevel);
    }
  return NULL;
}

/* Ctrl+L on the selected search result opens the contact dialog for that
 * debtor; what it logs is in the dossier. */
static void
test_log_contact_keystroke (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("esa-queues-gui-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *logged = NULL;
  g_autoptr(EsaDossier) dossier = NULL;
  g_autoptr(EsaSearchResult) result = NULL;
  EsaContactDialog *dialog;
  EsaWindow *window;
  EsaDemoOptions options;
  guint n_contacts;

  g_assert_no_error (error);
  path = g_build_filename (dir, "demo.db", NULL);
  {
    g_autoptr(EsaStore) file_store = esa_store_open (path, &error);

    g_assert_no_error (error);
    esa_demo_options_init (&options);
    options.debtors = 150;
    options.seed = 3;
    options.today = TODAY;
    g_assert_true (esa_demo_generate (file_store, &options, &error));
    g_assert_no_error (error);
  }

  window = esa_window_new (NULL);
  esa_window_set_fixed_size (window, 1280, 800);
  esa_window_open_database (window, path, FALSE);
  gtk_window_present (GTK_WINDOW (window));
  esa_gui_test_settle (GTK_WIDGET (window), 300);
  g_assert_cmpstr (_esa_window_get_state (window), ==, "workbench");

  esa_window_search (window, "a");
  for (guint i = 0; i < 200 && !window_has_results (window); i++)
    esa_gui_test_settle (GTK_WIDGET (window), 300);
  g_assert_true (window_has_results (window));
  {
    GtkListView *view = GTK_LIST_VIEW (_esa_window_get_results_view (window));
    GListModel *results = G_LIST_MODEL (gtk_list_view_get_model (view));

    gtk_selection_model_select_item (GTK_SELECTION_MODEL (results), 0, TRUE);
    result = g_list_model_get_item (results, 0);
  }
  dossier = esa_store_load_dossier (esa_window_get_store (window),
                                    esa_search_result_get_debtor_id (result), &error);
  g_assert_no_error (error);
  n_contacts = dossier->contacts->len;
  g_clear_pointer (&dossier, esa_dossier_free);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.log-contact", NULL));
  esa_gui_test_settle (GTK_WIDGET (window), 300);
  dialog = find_contact_dialog ();
  g_assert_nonnull (dialog);
  logged = _esa_contact_dialog_log (dialog, "counter", "Paid at the post office, brings the "
                                    "receipt", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (logged, ==, "");
  gtk_window_destroy (GTK_WINDOW (dialog));

  dossier = esa_store_load_dossier (esa_window_get_store (window),
                                    esa_search_result_get_debtor_id (result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dossier->contacts->len, ==, n_contacts + 1);

  gtk_window_destroy (GTK_WINDOW (window));
  esa_gui_test_settle (NULL, 300);
  for (guint i = 0; i < 3; i++)
    {
      static const char * const suffixes[] = { "", "-wal", "-shm" };
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_remove (file);
    }
  g_rmdir (dir);
}

static void
test_dashboard (void)
{
  g_autoptr(EsaUser) lead = find_user (ESA_ROLE_TEAM_LEAD, NULL);
  EsaDashboardPage *page;
  GtkWidget *window;

  esa_store_set_acting_user (store, lead->id);
  page = ESA_DASHBOARD_PAGE (esa_dashboard_page_new ());
  window = esa_gui_test_window_with (GTK_WIDGET (page), 1100, 720);
  esa_dashboard_page_set_store (page, store);
  _esa_dashboard_page_set_today (page, TODAY);
  esa_gui_test_save_shot (window, "dashboard.png");
  esa_store_set_acting_user (store, NULL);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* An item as the store gives it, by due day (days after 2026-11-01). */
static EsaQueueItem *
model_item (guint       n,
            guint       day,
            const char *debtor,
            const char *assignee)
{
  g_autofree char *id = g_strdup_printf ("case:%05u", n);
  g_autofree char *key = assignee != NULL ? g_utf8_collate_key (assignee, -1) : g_strdup ("");
  char due[16];
  EsaQueueItem item = { 0 };
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 1, G_DATE_NOVEMBER, 2026);
  g_date_add_days (&date, day);
  g_date_strftime (due, sizeof due, "%Y-%m-%d", &date);
  item.id = id;
  item.kind = ESA_QUEUE_KIND_DEADLINE;
  item.due_on = due;
  item.due_julian = g_date_get_julian (&date);
  item.when = day < 19 ? ESA_QUEUE_WHEN_OVERDUE : ESA_QUEUE_WHEN_LATER;
  item.debtor_name = (char *) debtor;
  item.assignee_name = (char *) assignee;
  item.assignee_key = key;
  item.office_key = (char *) "";
  return esa_queue_item_copy (&item);
}

static const EsaQueueItem *
view_item (EsaQueueModel *model,
           guint          position)
{
  g_autoptr(EsaQueueEntry) entry = g_list_model_get_item (esa_queue_model_get_model (model),
                                                          position);

  return esa_queue_entry_get_item (entry);
}

/* The model's orders without widgets: the store's due order kept as it is,
 * other input sorted by due date; debtors by their names' bytes (many
 * sharing long prefixes, some equal, some absent), ties by due date. */
static void
test_model_orders (void)
{
  static const char * const surnames[] = { "Rossi", "Rossini", "Ross", "Müller", "Meier" };
  g_autoptr(EsaQueueModel) model = esa_queue_model_new ();
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) esa_queue_item_free);
  GListModel *view = esa_queue_model_get_model (model);
  guint n = 3000;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *debtor = g_strdup_printf ("%s Mario %u", surnames[(i * 7) % 5],
                                                 (i * 37) % 400);

      g_ptr_array_add (items, model_item (i, i / 100, i % 50 == 0 ? NULL : debtor,
                                          i % 3 == 0 ? NULL : "Anna Rossi"));
    }
  esa_queue_model_set_group (model, ESA_QUEUE_GROUP_WHEN);
  esa_queue_model_set_items (model, items);
  g_assert_cmpuint (g_list_model_get_n_items (view), ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (view_item (model, i)->id, ==, esa_queue_model_get_all (model, i)->id);

  esa_queue_model_set_group (model, ESA_QUEUE_GROUP_NONE);
  esa_queue_model_set_sort (model, ESA_QUEUE_SORT_DEBTOR);
  for (guint i = 1; i < n; i++)
    {
      const EsaQueueItem *a = view_item (model, i - 1);
      const EsaQueueItem *b = view_item (model, i);

      if (b->debtor_name == NULL)
        continue;
      g_assert_nonnull (a->debtor_name);
      g_assert_cmpint (strcmp (a->debtor_name, b->debtor_name), <=, 0);
      if (strcmp (a->debtor_name, b->debtor_name) == 0)
        g_assert_cmpuint (a->due_julian, <=, b->due_julian);
    }
  g_assert_null (view_item (model, n - 1)->debtor_name);

  /* Input out of due order is sorted. */
  items = g_ptr_array_new_with_free_func ((GDestroyNotify) esa_queue_item_free);
  for (guint i = 0; i < 500; i++)
    g_ptr_array_add (items, model_item (i, 499 - i, "Bianchi Luca", "Anna Rossi"));
  esa_queue_model_set_sort (model, ESA_QUEUE_SORT_DUE);
  esa_queue_model_set_group (model, ESA_QUEUE_GROUP_WHEN);
  esa_queue_model_set_items (model, items);
  for (guint i = 1; i < 500; i++)
    g_assert_cmpuint (view_item (model, i - 1)->due_julian, <, view_item (model, i)->due_julian);
  esa_queue_model_set_group (model, ESA_QUEUE_GROUP_OFFICER);
  g_assert_true (esa_queue_model_starts_group (model, 0));
  g_assert_false (esa_queue_model_starts_group (model, 1));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  store = esa_gui_test_demo_store (600, 7, TODAY, TRUE);

  g_test_add_func ("/queues-gui/model-orders", test_model_orders);
  g_test_add_func ("/queues-gui/reassign-and-undo", test_reassign_and_undo);
  g_test_add_func ("/queues-gui/roles", test_roles);
  g_test_add_func ("/queues-gui/contact-ticket", test_contact_ticket);
  g_test_add_func ("/queues-gui/dashboard", test_dashboard);
  g_test_add_func ("/queues-gui/log-contact-keystroke", test_log_contact_keystroke);

  status = g_test_run ();
  g_clear_object (&store);
  return status;
}
