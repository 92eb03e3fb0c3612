/* The Next steps panel and the action wizards driven in-process with real
 * widgets on a temporary demo database: an Italian and a Swiss case taken
 * through several steps (clicking the panel's buttons, filling the fields
 * through their widgets, Next, Run), the on-site seizure with items and a
 * photo, the case states and the audit journal checked in the store, the
 * undo toast, blocked actions with their reasons, read-only roles, and the
 * start with a malformed procedure file. */

#include "esa-config.h"

#include <glib/gstdio.h>
#include <adwaita.h>
#include <sqlite3.h>
#include <stdio.h>
#include <unistd.h>

#include "esa-action-wizard-private.h"
#include "esa-core.h"
#include "esa-demo.h"
#include "esa-dossier-page.h"
#include "esa-next-steps-private.h"
#include "esa-screenshot.h"
#include "esa-seizure-items.h"
#include "esa-store.h"
#include "esa-window-private.h"

#define WAIT_TIMEOUT_MS 20000

/* The day the demo is made for and the steps are dated: fixed, so that the
 * guards answer the same whenever the test runs. */
#define TODAY "2026-06-30"

static char *tmp_dir;
static char *db_path;
static GDate today;

/* ESATTORE_TEST_SCREENSHOTS=DIR saves what the window shows at the main
 * points into DIR, to be looked at; ESATTORE_TEST_SIZE=WxH and
 * ESATTORE_TEST_DARK=1 vary the window. */
static const char *screenshot_dir;
static int window_width = 1280;
static int window_height = 800;

typedef gboolean (*Condition) (gpointer data);

/* ---- waiting ------------------------------------------------------------ */

static gboolean
keep_waking (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
wait_for (Condition condition,
          gpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) WAIT_TIMEOUT_MS * 1000;
  guint waker = g_timeout_add (10, keep_waking, NULL);
  gboolean ok = TRUE;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        {
          ok = FALSE;
          break;
        }
      g_main_context_iteration (NULL, TRUE);
    }

  g_source_remove (waker);
  return ok;
}

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static gboolean
is_allocated (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data)) && gtk_widget_get_width (GTK_WIDGET (data)) > 0;
}

static gboolean
is_settled (gpointer data)
{
  return !esa_window_get_busy (ESA_WINDOW (data));
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* ---- the database ------------------------------------------------------- */

/* The first open case of @procedure in @state whose positions still owe at
 * least @min_balance, against a debtor neither deceased nor insolvent. */
static char *
pick_case (const char *procedure,
           const char *state,
           gint64      min_balance)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *id = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT c.id FROM cases c"
                                       " JOIN debtors d ON d.id = c.debtor_id"
                                       " JOIN case_positions cp ON cp.case_id = c.id"
                                       " JOIN positions p ON p.id = cp.position_id"
                                       " WHERE c.procedure_id = ?1 AND c.state = ?2"
                                       "   AND c.closed_on IS NULL"
                                       "   AND d.deceased_on IS NULL"
                                       "   AND d.insolvent_since IS NULL"
                                       "   AND (SELECT count(*) FROM cases o"
                                       "        WHERE o.debtor_id = c.debtor_id) = 1"
                                       " GROUP BY c.id"
                                       " HAVING sum(p.principal + p.sanctions + p.interest"
                                       "            + p.costs - p.paid) >= ?3"
                                       " ORDER BY c.id LIMIT 1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, procedure, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, state, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, min_balance);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return id;
}

/* The fields a step recorded, as the store keeps them (JSON). */
static char *
event_fields (const char *case_id,
              const char *action_id)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *fields = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT fields FROM case_events"
                                       " WHERE case_id = ?1 AND action = ?2"
                                       " ORDER BY seq DESC LIMIT 1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, case_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, action_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    fields = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return fields;
}

static char *
case_state (EsaWindow  *window,
            const char *case_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaCase) case_ = esa_store_get_case (esa_window_get_store (window), case_id, &error);

  g_assert_no_error (error);
  return g_strdup (case_->state);
}

/* How many audit entries of the case's debtor record @action on the case,
 * in the acting user's name. */
static guint
count_audit (EsaWindow  *window,
             const char *case_id,
             const char *action)
{
  EsaStore *store = esa_window_get_store (window);
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaCase) case_ = esa_store_get_case (store, case_id, &error);
  g_autoptr(EsaDossier) dossier = NULL;
  guint n = 0;

  g_assert_no_error (error);
  dossier = esa_store_load_dossier (store, case_->debtor_id, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < dossier->history->len; i++)
    {
      const EsaAuditEntry *entry = g_ptr_array_index (dossier->history, i);

      if (g_strcmp0 (entry->entity, "case") == 0 &&
          g_strcmp0 (entry->entity_id, case_id) == 0 &&
          g_strcmp0 (entry->action, action) == 0 &&
          g_strcmp0 (entry->user_id, esa_store_get_acting_user (store)) == 0)
        n++;
    }
  return n;
}

/* ---- the window --------------------------------------------------------- */

static EsaWindow *
new_window (void)
{
  EsaWindow *window = esa_window_new (NULL);

  _esa_window_set_today (window, &today);
  esa_window_set_fixed_size (window, window_width, window_height);
  esa_window_open_database (window, db_path, FALSE);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_for (is_mapped, window));
  g_assert_cmpstr (_esa_window_get_state (window), ==, "workbench");
  return window;
}

static EsaDossierPage *
selected_dossier (EsaWindow *window)
{
  AdwTabPage *page = adw_tab_view_get_selected_page (_esa_window_get_tab_view (window));

  g_assert_nonnull (page);
  g_assert_true (ESA_IS_DOSSIER_PAGE (adw_tab_page_get_child (page)));
  return ESA_DOSSIER_PAGE (adw_tab_page_get_child (page));
}

static EsaNextSteps *
open_case (EsaWindow  *window,
           const char *case_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaCase) case_ = esa_store_get_case (esa_window_get_store (window), case_id, &error);

  g_assert_no_error (error);
  g_assert_true (esa_window_open_dossier (window, case_->debtor_id, &error));
  g_assert_no_error (error);
  g_assert_true (wait_for (is_settled, window));
  return esa_dossier_page_get_next_steps (selected_dossier (window));
}

static EsaNextSteps *
next_steps (EsaWindow *window)
{
  EsaNextSteps *panel = esa_dossier_page_get_next_steps (selected_dossier (window));

  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (panel)));
  return panel;
}

/* The shortcut of @widget for @trigger, activated the way the key press
 * would activate it. */
static gboolean
activate_shortcut (GtkWidget  *widget,
                   const char *trigger)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *shortcut_trigger = gtk_shortcut_get_trigger (shortcut);
          g_autofree char *text = gtk_shortcut_trigger_to_string (shortcut_trigger);

          if (g_strcmp0 (text, trigger) == 0)
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }

  return FALSE;
}

static EsaActionWizard *
find_wizard (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (ESA_IS_ACTION_WIZARD (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return ESA_ACTION_WIZARD (toplevel);
    }
  return NULL;
}

static void
screenshot (EsaWindow  *window,
            const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;

  if (screenshot_dir == NULL)
    return;

  /* A few frames, so that what changed last is styled and laid out. */
  {
    gint64 until = g_get_monotonic_time () + 300 * 1000;

    while (g_get_monotonic_time () < until)
      {
        g_main_context_iteration (NULL, FALSE);
        g_usleep (5000);
      }
  }

  file = g_strdup_printf ("%s.png", name);
  path = g_build_filename (screenshot_dir, file, NULL);
  esa_screenshot_save (GTK_WIDGET (window), path, &error);
  g_assert_no_error (error);
}

/* Clicks the panel's button for @action_id and returns the wizard it opens. */
static EsaActionWizard *
click_next_step (EsaWindow  *window,
                 const char *case_id,
                 const char *action_id)
{
  GtkButton *button = _esa_next_steps_get_button (next_steps (window), case_id, action_id);
  EsaActionWizard *wizard;

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (button)));
  g_signal_emit_by_name (button, "clicked");

  wizard = find_wizard ();
  g_assert_nonnull (wizard);
  g_assert_cmpstr (esa_action_wizard_get_case_id (wizard), ==, case_id);
  g_assert_cmpstr (esa_action_wizard_get_action_id (wizard), ==, action_id);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (wizard)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (wizard)) == GTK_WINDOW (window));
  g_assert_true (wait_for (is_allocated, wizard));
  return wizard;
}

static void
set_text (EsaActionWizard *wizard,
          const char      *field_id,
          const char      *text)
{
  GtkWidget *input = _esa_action_wizard_get_input (wizard, field_id);

  g_assert_true (GTK_IS_EDITABLE (input));
  gtk_editable_set_text (GTK_EDITABLE (input), text);
}

static void
set_choice (EsaActionWizard *wizard,
            const char      *field_id,
            guint            position)
{
  GtkWidget *input = _esa_action_wizard_get_input (wizard, field_id);

  g_assert_true (ADW_IS_COMBO_ROW (input));
  adw_combo_row_set_selected (ADW_COMBO_ROW (input), position);
}

static gboolean
is_on_summary (gpointer data)
{
  return g_strcmp0 (_esa_action_wizard_get_page (data), "summary") == 0;
}

static gboolean
next_is_sensitive (EsaActionWizard *wizard)
{
  return gtk_widget_is_sensitive (_esa_action_wizard_get_next_button (wizard));
}

static void
press_next (EsaActionWizard *wizard)
{
  GtkWidget *next = _esa_action_wizard_get_next_button (wizard);

  g_assert_true (gtk_widget_is_sensitive (next));
  g_signal_emit_by_name (next, "clicked");
}

/* Goes on to the summary, checks it, and runs the step: the wizard closes. */
static void
run_from_here (EsaWindow       *window,
               EsaActionWizard *wizard)
{
  g_autofree char *name = g_strdup_printf ("summary-%s",
                                           esa_action_wizard_get_action_id (wizard));
  gpointer weak = wizard;

  while (g_strcmp0 (_esa_action_wizard_get_page (wizard), "summary") != 0)
    press_next (wizard);
  screenshot (window, name);
  if (screenshot_dir != NULL)
    {
      g_autofree char *alone = g_strdup_printf ("%s/%s-alone.png", screenshot_dir, name);

      esa_screenshot_save (GTK_WIDGET (wizard), alone, NULL);
    }

  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (_esa_action_wizard_get_next_button (wizard))),
                   ==, "_Run");
  g_object_add_weak_pointer (G_OBJECT (wizard), &weak);
  press_next (wizard);
  if (weak != NULL)
    g_assert_null (_esa_action_wizard_get_error (wizard));
  g_assert_true (wait_for (is_null, &weak));
  g_assert_true (wait_for (is_settled, window));
}

/* Runs a step and checks the state it leads to and its audit entry. */
static void
check_step (EsaWindow  *window,
            const char *case_id,
            const char *action_id,
            const char *expected_state)
{
  g_autofree char *state = case_state (window, case_id);

  g_assert_cmpstr (state, ==, expected_state);
  g_assert_cmpuint (count_audit (window, case_id, action_id), ==, 1);
}

static void
collect_undo_buttons (GtkWidget *widget,
                      GPtrArray *buttons)
{
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), "_Undo") == 0 &&
      gtk_widget_get_mapped (widget))
    g_ptr_array_add (buttons, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_undo_buttons (child, buttons);
}

static gboolean
has_one_undo_button (gpointer data)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  collect_undo_buttons (GTK_WIDGET (data), buttons);
  return buttons->len == 1;
}

/* Presses the Undo button of the toast the last step left. */
static void
press_undo (EsaWindow *window)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (selected_dossier (window)),
                                                ADW_TYPE_TOAST_OVERLAY);
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  g_assert_nonnull (overlay);
  g_assert_true (wait_for (has_one_undo_button, overlay));
  collect_undo_buttons (overlay, buttons);
  g_signal_emit_by_name (g_ptr_array_index (buttons, 0), "clicked");
  g_assert_true (wait_for (is_settled, window));
}

static char *
write_photo (void)
{
  /* A 1×1 PNG. */
  static const guchar png[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
    0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f,
    0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8,
    0xcf, 0xc0, 0xf0, 0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00,
    0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
  };
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (tmp_dir, "sofa.png", NULL);

  g_file_set_contents (path, (const char *) png, sizeof png, &error);
  g_assert_no_error (error);
  return path;
}

/* ---- tests -------------------------------------------------------------- */

/* An Italian case from the injunction to a seizure: a failed delivery, a
 * new notification, the notification, then the on-site seizure with two
 * items and a photo; each step clicked in the panel and filled in through
 * the wizard's widgets. Then the undo toast. */
static void
test_italian_case (void)
{
  g_autofree char *case_id = pick_case ("it-coercive", "injunction_issued", 200000);
  g_autofree char *photo = NULL;
  g_autofree char *fields = NULL;
  g_autofree char *state = NULL;
  g_autoptr(GFile) photo_file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaDossier) dossier = NULL;
  g_autoptr(EsaCase) case_ = NULL;
  EsaActionWizard *wizard;
  EsaSeizureItems *items;
  EsaWindow *window;
  GtkWidget *input;
  gboolean photo_filed = FALSE;

  if (case_id == NULL)
    {
      g_test_skip ("the demo has no Italian case with an injunction issued");
      return;
    }

  window = new_window ();
  open_case (window, case_id);
  screenshot (window, "it-dossier");

  /* 1. A failed delivery: a date and a reason. The date is checked as it
   * is typed: a day that does not exist keeps Next off and says so. */
  wizard = click_next_step (window, case_id, "record_failed_delivery");
  g_assert_cmpuint (_esa_action_wizard_get_n_pages (wizard), ==, 2);
  g_assert_cmpstr (_esa_action_wizard_get_page (wizard), ==, "fields-0");
  set_text (wizard, "delivery_failed_on", "2026-02-30");
  g_assert_false (next_is_sensitive (wizard));
  screenshot (window, "it-wizard-invalid-date");
  input = _esa_action_wizard_get_input (wizard, "delivery_failed_on");
  g_assert_true (gtk_widget_has_css_class (gtk_widget_get_ancestor (input, ADW_TYPE_ACTION_ROW),
                                           "error"));
  set_text (wizard, "delivery_failed_on", "2026-04-02");
  g_assert_true (next_is_sensitive (wizard));
  set_choice (wizard, "failure_reason", 1);
  run_from_here (window, wizard);
  check_step (window, case_id, "record_failed_delivery", "notification_failed");
  fields = event_fields (case_id, "record_failed_delivery");
  g_assert_nonnull (strstr (fields, "\"failure_reason\":\"moved\""));
  g_assert_nonnull (strstr (fields, "2026-04-02"));
  g_clear_pointer (&fields, g_free);

  /* 2. Notified again after checking the address: a required text. Enter
   * goes on as Next does. */
  wizard = click_next_step (window, case_id, "renotify");
  set_text (wizard, "resent_on", "2026-04-08");
  g_assert_false (next_is_sensitive (wizard));
  set_text (wizard, "checked_address", "Via Roma 1, 20121 Milano");
  screenshot (window, "it-renotify");
  /* Enter in the focused field, as the key would. */
  g_assert_true (GTK_IS_TEXT (gtk_root_get_focus (GTK_ROOT (wizard))));
  g_signal_emit_by_name (gtk_root_get_focus (GTK_ROOT (wizard)), "activate");
  /* The button shows itself pressed for a moment before it goes on. */
  g_assert_true (wait_for (is_on_summary, wizard));
  run_from_here (window, wizard);
  check_step (window, case_id, "renotify", "injunction_issued");

  /* 3. The notification, far enough back that the time to pay is over. */
  wizard = click_next_step (window, case_id, "record_notification");
  set_text (wizard, "notified_on", "2026-04-15");
  set_choice (wizard, "notification_method", 1);
  run_from_here (window, wizard);
  check_step (window, case_id, "record_notification", "notified");

  /* 4. The on-site seizure: the date, the goods (two items, one with a
   * photo), who was there and the other assets, on pages of their own. */
  wizard = click_next_step (window, case_id, "seize_on_site");
  g_assert_cmpuint (_esa_action_wizard_get_n_pages (wizard), ==, 4);
  press_next (wizard);
  g_assert_cmpstr (_esa_action_wizard_get_page (wizard), ==, "fields-1");
  items = _esa_action_wizard_get_items (wizard, "seized_items");
  g_assert_nonnull (items);
  g_assert_cmpuint (esa_seizure_items_get_n_items (items), ==, 1);
  g_assert_false (next_is_sensitive (wizard));

  input = _esa_seizure_items_get_input (items, 0, "description");
  gtk_editable_set_text (GTK_EDITABLE (input), "Leather sofa, three seats");
  input = _esa_seizure_items_get_input (items, 0, "estimated_value");
  /* A comma for the cents, as people type it. */
  gtk_editable_set_text (GTK_EDITABLE (input), "1200,50");
  /* The category is optional: the first entry chooses none. */
  input = _esa_seizure_items_get_input (items, 0, "category");
  adw_combo_row_set_selected (ADW_COMBO_ROW (input), 1);
  photo = write_photo ();
  photo_file = g_file_new_for_path (photo);
  g_assert_true (esa_seizure_items_add_photo (items, 0, photo_file, &error));
  g_assert_no_error (error);
  g_assert_true (next_is_sensitive (wizard));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (items), "items.add", NULL));
  g_assert_cmpuint (esa_seizure_items_get_n_items (items), ==, 2);
  g_assert_false (next_is_sensitive (wizard));
  input = _esa_seizure_items_get_input (items, 1, "description");
  gtk_editable_set_text (GTK_EDITABLE (input), "Television");
  input = _esa_seizure_items_get_input (items, 1, "estimated_value");
  gtk_editable_set_text (GTK_EDITABLE (input), "twelve");
  g_assert_false (next_is_sensitive (wizard));
  gtk_editable_set_text (GTK_EDITABLE (input), "300");
  g_assert_true (next_is_sensitive (wizard));
  screenshot (window, "it-seizure-items");
  press_next (wizard);

  g_assert_cmpstr (_esa_action_wizard_get_page (wizard), ==, "fields-2");
  set_choice (wizard, "debtor_presence", 1);
  set_text (wizard, "other_assets", "A car parked outside, plate AB123CD");
  screenshot (window, "it-seizure-details");
  run_from_here (window, wizard);
  screenshot (window, "it-after-seizure");
  check_step (window, case_id, "seize_on_site", "seizure");

  fields = event_fields (case_id, "seize_on_site");
  g_assert_nonnull (strstr (fields, "Leather sofa, three seats"));
  g_assert_nonnull (strstr (fields, "\"category\":\"furniture\""));
  g_assert_nonnull (strstr (fields, "\"debtor_presence\":\"courtesy_notice\""));
  g_assert_nonnull (strstr (fields, "\"photos\""));

  /* The photo became a document of the case, its file in the attachments. */
  case_ = esa_store_get_case (esa_window_get_store (window), case_id, &error);
  g_assert_no_error (error);
  dossier = esa_store_load_dossier (esa_window_get_store (window), case_->debtor_id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < dossier->documents->len; i++)
    {
      const EsaDocument *document = g_ptr_array_index (dossier->documents, i);

      if (g_strcmp0 (document->case_id, case_id) == 0 &&
          g_strcmp0 (document->mime_type, "image/png") == 0 &&
          strstr (fields, document->id) != NULL)
        {
          g_autofree char *prefix = g_strndup (document->sha256, 2);
          g_autofree char *file = g_build_filename (tmp_dir, "attachments", prefix,
                                                    document->sha256, NULL);

          g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));
          photo_filed = TRUE;
        }
    }
  g_assert_true (photo_filed);

  /* The toast takes the seizure back. */
  press_undo (window);
  state = case_state (window, case_id);
  g_assert_cmpstr (state, ==, "notified");
  g_assert_cmpuint (count_audit (window, case_id, "undo"), ==, 1);
  g_assert_nonnull (_esa_next_steps_get_button (next_steps (window), case_id, "seize_on_site"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A Swiss case from the enforcement request to the seizure, with the
 * blocked actions and their reasons on the way, and Escape cancelling. */
static void
test_swiss_case (void)
{
  g_autofree char *case_id = pick_case ("ch-lef", "requested", 0);
  g_autofree char *state = NULL;
  g_autofree char *fields = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) statuses = NULL;
  EsaActionWizard *wizard;
  EsaSeizureItems *items;
  EsaWindow *window;
  const char *reason;
  gpointer weak;

  if (case_id == NULL)
    {
      g_test_skip ("the demo has no Swiss case awaiting its payment order");
      return;
    }

  window = new_window ();
  open_case (window, case_id);

  /* Escape cancels: nothing is recorded. */
  wizard = click_next_step (window, case_id, "issue_payment_order");
  weak = wizard;
  g_object_add_weak_pointer (G_OBJECT (wizard), &weak);
  g_assert_true (activate_shortcut (GTK_WIDGET (wizard), "Escape"));
  g_assert_true (wait_for (is_null, &weak));
  state = case_state (window, case_id);
  g_assert_cmpstr (state, ==, "requested");
  g_clear_pointer (&state, g_free);

  /* 1. The payment order. */
  wizard = click_next_step (window, case_id, "issue_payment_order");
  set_text (wizard, "order_issued_on", "2026-05-10");
  run_from_here (window, wizard);
  check_step (window, case_id, "issue_payment_order", "order_issued");

  /* 2. Its service, long enough ago that the time to oppose is over. */
  wizard = click_next_step (window, case_id, "serve");
  set_text (wizard, "served_on", "2026-05-15");
  set_text (wizard, "served_to", "The debtor in person");
  run_from_here (window, wizard);
  check_step (window, case_id, "serve", "served");

  /* An opposition can no longer be recorded: the panel says why, in the
   * sentence the procedure gives. */
  statuses = esa_store_case_actions (esa_window_get_store (window), case_id, &today, &error);
  g_assert_no_error (error);
  reason = _esa_next_steps_get_reason (next_steps (window), case_id, "record_opposition");
  g_assert_nonnull (reason);
  g_assert_null (_esa_next_steps_get_button (next_steps (window), case_id, "record_opposition"));
  for (guint i = 0; i < statuses->len; i++)
    {
      const EsaActionStatus *status = g_ptr_array_index (statuses, i);

      if (g_strcmp0 (status->action->id, "record_opposition") == 0)
        {
          g_assert_false (status->available);
          g_assert_cmpstr (reason, ==, status->reason);
        }
    }
  g_assert_nonnull (strstr (reason, "2026"));
  screenshot (window, "ch-served");

  /* 3. No opposition: a step without fields, only its summary. */
  wizard = click_next_step (window, case_id, "confirm_no_opposition");
  g_assert_cmpuint (_esa_action_wizard_get_n_pages (wizard), ==, 1);
  run_from_here (window, wizard);
  check_step (window, case_id, "confirm_no_opposition", "continuable");

  /* 4. The continuation. */
  wizard = click_next_step (window, case_id, "request_continuation");
  run_from_here (window, wizard);
  check_step (window, case_id, "request_continuation", "continuation_requested");

  /* 5. The seizure of goods. */
  wizard = click_next_step (window, case_id, "seize");
  set_choice (wizard, "seizure_kind", 1);
  press_next (wizard);
  items = _esa_action_wizard_get_items (wizard, "seized_items");
  gtk_editable_set_text (GTK_EDITABLE (_esa_seizure_items_get_input (items, 0, "description")),
                         "Piano");
  gtk_editable_set_text (GTK_EDITABLE (_esa_seizure_items_get_input (items, 0,
                                                                     "estimated_value")),
                         "1500.00");
  press_next (wizard);
  set_choice (wizard, "debtor_presence", 1);
  run_from_here (window, wizard);
  check_step (window, case_id, "seize", "seized");
  fields = event_fields (case_id, "seize");
  g_assert_nonnull (strstr (fields, "Piano"));
  g_assert_nonnull (strstr (fields, "\"seizure_kind\":\"goods\""));

  /* Undo from the toast, and the case is back where it was. */
  press_undo (window);
  state = case_state (window, case_id);
  g_assert_cmpstr (state, ==, "continuation_requested");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Roles that cannot act see the panel read-only; a refusal by the store is
 * shown in the wizard. */
static void
test_read_only_role (void)
{
  g_autofree char *case_id = pick_case ("it-coercive", "notified", 0);
  g_autoptr(GPtrArray) users = NULL;
  g_autofree char *officer = NULL;
  const char *auditor = NULL;
  EsaActionWizard *wizard;
  EsaNextSteps *panel;
  EsaWindow *window;
  gpointer weak;

  if (case_id == NULL)
    {
      g_test_skip ("the demo has no notified Italian case");
      return;
    }

  window = new_window ();
  panel = open_case (window, case_id);
  g_assert_true (esa_next_steps_get_can_act (panel));
  officer = g_strdup (esa_store_get_acting_user (esa_window_get_store (window)));
  g_assert_nonnull (officer);

  users = esa_store_list_users (esa_window_get_store (window), NULL);
  for (guint i = 0; i < users->len && auditor == NULL; i++)
    {
      const EsaUser *user = g_ptr_array_index (users, i);

      if (user->role == ESA_ROLE_AUDITOR)
        auditor = user->id;
    }
  g_assert_nonnull (auditor);

  /* The menu of the acting user. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.acting-user", "s",
                                             auditor));
  g_assert_cmpstr (esa_store_get_acting_user (esa_window_get_store (window)), ==, auditor);
  panel = next_steps (window);
  g_assert_false (esa_next_steps_get_can_act (panel));
  screenshot (window, "auditor");
  /* Its action is off: nothing opens even when asked directly. */
  gtk_widget_activate_action (GTK_WIDGET (panel), "next-steps.run", "(ss)", case_id,
                              "receive_relief_request");
  g_assert_null (find_wizard ());
  /* The panel still shows what the procedure allows, without the means to
   * run it. */
  g_assert_nonnull (_esa_next_steps_get_button (panel, case_id, "receive_relief_request"));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (
    _esa_next_steps_get_button (panel, case_id, "receive_relief_request"))));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.acting-user", "s",
                                             officer));
  g_assert_true (esa_next_steps_get_can_act (next_steps (window)));

  /* The store has the last word: when it refuses the step (here the user
   * became an auditor behind the wizard's back), the wizard says why and
   * stays open. */
  wizard = click_next_step (window, case_id, "receive_relief_request");
  esa_store_set_acting_user (esa_window_get_store (window), auditor);
  press_next (wizard);
  press_next (wizard);
  g_assert_cmpstr (_esa_action_wizard_get_page (wizard), ==, "summary");
  g_assert_nonnull (_esa_action_wizard_get_error (wizard));
  g_assert_true (find_wizard () == wizard);
  g_assert_cmpuint (count_audit (window, case_id, "receive_relief_request"), ==, 0);
  esa_store_set_acting_user (esa_window_get_store (window), officer);
  weak = wizard;
  g_object_add_weak_pointer (G_OBJECT (wizard), &weak);
  gtk_window_destroy (GTK_WINDOW (wizard));
  g_assert_null (weak);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A malformed procedure file: the workbench starts, says which procedure
 * is unavailable and why (file and JSON path), and the cases of the other
 * procedure still work. */
static void
test_malformed_procedure (void)
{
  g_autofree char *it_case = pick_case ("it-coercive", "notified", 0);
  g_autofree char *ch_case = pick_case ("ch-lef", "served", 0);
  g_autofree char *source = g_strdup (g_getenv ("ESATTORE_DATADIR"));
  g_autofree char *data_dir = g_build_filename (tmp_dir, "data", NULL);
  g_autofree char *procedures = g_build_filename (data_dir, "procedures", NULL);
  g_autofree char *parameters = g_build_filename (data_dir, "parameters", NULL);
  g_autofree char *source_parameters = NULL;
  g_autofree char *text = NULL;
  g_autofree char *broken = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) regex = NULL;
  const char *problems;
  const char *problem;
  EsaNextSteps *panel;
  EsaWindow *window;

  g_assert_nonnull (source);
  g_assert_nonnull (it_case);
  g_assert_nonnull (ch_case);
  source_parameters = g_build_filename (source, "parameters", NULL);

  /* A data folder with the shipped parameters and procedures, in which
   * one guard of ch-lef.json names a field that does not exist. */
  g_assert_cmpint (g_mkdir_with_parents (procedures, 0700), ==, 0);
  g_assert_cmpint (symlink (source_parameters, parameters), ==, 0);
  for (guint i = 0; i < 2; i++)
    {
      const char *name = i == 0 ? "it-coercive.json" : "ch-lef.json";
      g_autofree char *from = g_build_filename (source, "procedures", name, NULL);
      g_autofree char *to = g_build_filename (procedures, name, NULL);

      g_file_get_contents (from, &text, NULL, &error);
      g_assert_no_error (error);
      if (i == 1)
        {
          regex = g_regex_new ("\"after\": \"served_on\"", 0, 0, NULL);
          broken = g_regex_replace_literal (regex, text, -1, 0, "\"after\": \"served_onn\"", 0,
                                            &error);
          g_assert_no_error (error);
          g_assert_cmpstr (broken, !=, text);
          g_free (text);
          text = g_steal_pointer (&broken);
        }
      g_file_set_contents (to, text, -1, &error);
      g_assert_no_error (error);
      g_clear_pointer (&text, g_free);
    }

  g_setenv ("ESATTORE_DATADIR", data_dir, TRUE);
  window = new_window ();
  g_setenv ("ESATTORE_DATADIR", source, TRUE);

  /* The strip above the content names the procedure, the file and the
   * place in it. */
  problems = _esa_window_get_problems (window);
  g_assert_nonnull (problems);
  g_assert_nonnull (strstr (problems, "ch-lef.json"));
  g_assert_nonnull (strstr (problems, "$.actions["));
  g_assert_nonnull (strstr (problems, "served_onn"));
  g_assert_null (strstr (problems, "it-coercive.json"));
  screenshot (window, "malformed-start");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.dismiss-problems", NULL));
  g_assert_null (_esa_window_get_problems (window));

  /* A Swiss case says its procedure is unavailable, and why. */
  panel = open_case (window, ch_case);
  screenshot (window, "malformed-swiss-case");
  problem = _esa_next_steps_get_problem (panel, ch_case);
  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (problem, "ch-lef.json"));
  g_assert_nonnull (strstr (problem, "served_onn"));
  g_assert_false (esa_dossier_page_run_action (selected_dossier (window), ch_case, "serve",
                                               &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* An Italian case goes on as usual. */
  panel = open_case (window, it_case);
  g_assert_null (_esa_next_steps_get_problem (panel, it_case));
  g_assert_nonnull (_esa_next_steps_get_button (panel, it_case, "receive_relief_request"));

  gtk_window_destroy (GTK_WINDOW (window));

  path = g_build_filename (procedures, "ch-lef.json", NULL);
  g_remove (path);
  g_clear_pointer (&path, g_free);
  path = g_build_filename (procedures, "it-coercive.json", NULL);
  g_remove (path);
  g_remove (parameters);
  g_rmdir (procedures);
  g_rmdir (data_dir);
}

/* ---- fixture ------------------------------------------------------------ */

static void
make_database (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaStore) store = NULL;
  EsaDemoOptions options;

  db_path = g_build_filename (tmp_dir, "demo.db", NULL);
  store = esa_store_open (db_path, &error);
  g_assert_no_error (error);

  esa_demo_options_init (&options);
  options.debtors = 600;
  options.seed = 7;
  options.today = TODAY;
  esa_demo_generate (store, &options, &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_remove (path);
      return;
    }

  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      remove_tree (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("esa-test-wizards-XXXXXX", &error);
  g_assert_no_error (error);
  data_home = g_build_filename (tmp_dir, "data-home", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  gtk_init ();
  adw_init ();

  /* The application's style sheet, as the application loads it. */
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/org/esattore/Esattore/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  screenshot_dir = g_getenv ("ESATTORE_TEST_SCREENSHOTS");
  if (g_getenv ("ESATTORE_TEST_SIZE") != NULL)
    g_assert_cmpint (sscanf (g_getenv ("ESATTORE_TEST_SIZE"), "%dx%d", &window_width,
                             &window_height), ==, 2);
  if (g_strcmp0 (g_getenv ("ESATTORE_TEST_DARK"), "1") == 0)
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                        ADW_COLOR_SCHEME_FORCE_DARK);
  /* No animations: a page, a toast or a flap is where it ends up at once. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  esa_date_parse_iso (TODAY, &today, &error);
  g_assert_no_error (error);
  make_database ();

  g_test_add_func ("/wizards/italian-case", test_italian_case);
  g_test_add_func ("/wizards/swiss-case", test_swiss_case);
  g_test_add_func ("/wizards/read-only-role", test_read_only_role);
  g_test_add_func ("/wizards/malformed-procedure", test_malformed_procedure);

  status = g_test_run ();

  remove_tree (tmp_dir);
  g_free (tmp_dir);
  g_free (db_path);
  return status;
}
