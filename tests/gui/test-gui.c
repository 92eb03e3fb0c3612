/* The workbench driven in-process, with real widgets on a real (temporary)
 * demo database: search, open a dossier, compare what it shows with the
 * store, close tabs, and the error state of a damaged file. */

#include "esa-config.h"

#include <glib/gstdio.h>
#include <adwaita.h>

#include "esa-core.h"
#include "esa-demo.h"
#include "esa-dossier-page.h"
#include "esa-search-model.h"
#include "esa-search-result.h"
#include "esa-store.h"
#include "esa-window-private.h"

#define WAIT_TIMEOUT_MS 20000

static char *tmp_dir;
static char *db_path;
static EsaStore *store;
/* A debtor with positions, and a second one, both found by search. */
static char *debtor_id;
static char *debtor_name;
static char *other_id;

typedef gboolean (*Condition) (gpointer data);

static gboolean
keep_waking (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until @condition holds; FALSE on timeout. */
static gboolean
wait_until (Condition condition,
            gpointer  data,
            guint     timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
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
wait_for (Condition condition,
          gpointer  data)
{
  return wait_until (condition, data, WAIT_TIMEOUT_MS);
}

/* Generating the demo database takes seconds, more on a busy machine. */
static gboolean
wait_for_long (Condition condition,
               gpointer  data)
{
  return wait_until (condition, data, 10 * WAIT_TIMEOUT_MS);
}

static gboolean
is_settled (gpointer data)
{
  return !esa_window_get_busy (ESA_WINDOW (data));
}

static gboolean
has_results (gpointer data)
{
  EsaWindow *window = data;

  return !esa_window_get_busy (window) &&
         g_strcmp0 (_esa_window_get_sidebar_state (window), "results") == 0;
}

static gboolean
has_one_tab (gpointer data)
{
  return adw_tab_view_get_n_pages (_esa_window_get_tab_view (ESA_WINDOW (data))) == 1;
}

static gboolean
has_no_tab (gpointer data)
{
  return adw_tab_view_get_n_pages (_esa_window_get_tab_view (ESA_WINDOW (data))) == 0;
}

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static EsaWindow *
new_window_on_db (void)
{
  EsaWindow *window = esa_window_new (NULL);

  esa_window_set_fixed_size (window, 1280, 800);
  esa_window_open_database (window, db_path, FALSE);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_for (is_mapped, window));
  g_assert_cmpstr (_esa_window_get_state (window), ==, "workbench");
  return window;
}

static void
collect_balance_labels (GtkWidget *widget,
                        GPtrArray *texts)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "esa-balance"))
    g_ptr_array_add (texts, g_strdup (gtk_label_get_text (GTK_LABEL (widget))));

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_balance_labels (child, texts);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* Finds the result for @id in what the list shows and selects it. */
static gboolean
select_result (EsaWindow  *window,
               const char *id)
{
  GtkListView *view = GTK_LIST_VIEW (_esa_window_get_results_view (window));
  GtkSelectionModel *model = gtk_list_view_get_model (view);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (model));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EsaSearchResult) result = g_list_model_get_item (G_LIST_MODEL (model), i);

      if (g_strcmp0 (esa_search_result_get_debtor_id (result), id) == 0)
        {
          gtk_selection_model_select_item (model, i, TRUE);
          return TRUE;
        }
    }

  return FALSE;
}

/* The shortcut of @widget for @trigger (one of its alternatives), activated
 * the way the key press would activate it. */
static gboolean
activate_shortcut (GtkWidget  *widget,
                   const char *trigger)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  guint n = g_list_model_get_n_items (controllers);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);
      guint n_shortcuts;

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      n_shortcuts = g_list_model_get_n_items (G_LIST_MODEL (controller));
      for (guint j = 0; j < n_shortcuts; j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *shortcut_trigger = gtk_shortcut_get_trigger (shortcut);
          g_autofree char *text = gtk_shortcut_trigger_to_string (shortcut_trigger);
          g_auto(GStrv) alternatives = g_strsplit (text, "|", -1);

          if (g_strv_contains ((const char * const *) alternatives, trigger))
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }

  return FALSE;
}

static EsaDossierPage *
selected_dossier (EsaWindow *window)
{
  AdwTabPage *page = adw_tab_view_get_selected_page (_esa_window_get_tab_view (window));

  g_assert_nonnull (page);
  g_assert_true (ESA_IS_DOSSIER_PAGE (adw_tab_page_get_child (page)));
  return ESA_DOSSIER_PAGE (adw_tab_page_get_child (page));
}

/* ---- tests -------------------------------------------------------------- */

static void
test_search_and_open (void)
{
  g_autoptr(EsaDossier) dossier = NULL;
  g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) shown = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  EsaWindow *window = new_window_on_db ();
  GtkWidget *entry = _esa_window_get_search_entry (window);
  EsaDossierPage *page;

  /* Typed, as a person would; the entry searches after its short delay. */
  gtk_editable_set_text (GTK_EDITABLE (entry), debtor_name);
  g_assert_true (wait_for (has_results, window));
  g_assert_true (select_result (window, debtor_id));

  g_signal_emit_by_name (entry, "activate");
  g_assert_true (wait_for (has_one_tab, window));
  g_assert_true (wait_for (is_settled, window));

  page = selected_dossier (window);
  g_assert_cmpstr (esa_dossier_page_get_debtor_id (page), ==, debtor_id);
  g_assert_cmpstr (esa_dossier_page_get_title (page), ==, debtor_name);

  dossier = esa_store_load_dossier (store, debtor_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dossier->totals->len, >, 0);
  for (guint i = 0; i < dossier->totals->len; i++)
    {
      EsaTotals *totals = g_ptr_array_index (dossier->totals, i);

      g_ptr_array_add (expected, esa_money_format (totals->balance, totals->currency));
    }

  collect_balance_labels (GTK_WIDGET (page), shown);
  g_ptr_array_sort (expected, compare_strings);
  g_ptr_array_sort (shown, compare_strings);
  g_assert_cmpuint (shown->len, ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    g_assert_cmpstr (g_ptr_array_index (shown, i), ==, g_ptr_array_index (expected, i));

  /* Ctrl+W closes the dossier and brings back the empty state. */
  g_assert_true (activate_shortcut (GTK_WIDGET (window), "<Control>w"));
  g_assert_true (wait_for (has_no_tab, window));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_same_debtor_one_tab (void)
{
  g_autoptr(GError) error = NULL;
  EsaWindow *window = new_window_on_db ();
  AdwTabView *tabs = _esa_window_get_tab_view (window);

  g_assert_true (esa_window_open_dossier (window, debtor_id, &error));
  g_assert_no_error (error);
  g_assert_true (esa_window_open_dossier (window, other_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (adw_tab_view_get_n_pages (tabs), ==, 2);
  g_assert_cmpstr (esa_dossier_page_get_debtor_id (selected_dossier (window)), ==, other_id);

  /* The second time, the open tab comes to the front. */
  g_assert_true (esa_window_open_dossier (window, debtor_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (adw_tab_view_get_n_pages (tabs), ==, 2);
  g_assert_cmpstr (esa_dossier_page_get_debtor_id (selected_dossier (window)), ==, debtor_id);

  /* And through the search, too, with the other tab in front. */
  adw_tab_view_set_selected_page (tabs, adw_tab_view_get_nth_page (tabs, 1));
  g_assert_cmpstr (esa_dossier_page_get_debtor_id (selected_dossier (window)), ==, other_id);
  esa_window_search (window, debtor_name);
  g_assert_true (wait_for (has_results, window));
  g_assert_true (select_result (window, debtor_id));
  g_signal_emit_by_name (_esa_window_get_search_entry (window), "activate");
  g_assert_cmpint (adw_tab_view_get_n_pages (tabs), ==, 2);
  g_assert_cmpstr (esa_dossier_page_get_debtor_id (selected_dossier (window)), ==, debtor_id);

  /* Ctrl+Page Up and Down go through the tabs (AdwTabView's shortcuts). */
  g_assert_true (activate_shortcut (GTK_WIDGET (tabs), "<Control>Page_Down"));
  g_assert_cmpstr (esa_dossier_page_get_debtor_id (selected_dossier (window)), ==, other_id);
  g_assert_true (activate_shortcut (GTK_WIDGET (tabs), "<Control>Page_Up"));
  g_assert_cmpstr (esa_dossier_page_get_debtor_id (selected_dossier (window)), ==, debtor_id);

  /* An unknown debtor is refused with the store's error. */
  g_assert_false (esa_window_open_dossier (window, "no-such-debtor", &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_NOT_FOUND);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_escape_clears_search (void)
{
  EsaWindow *window = new_window_on_db ();
  GtkWidget *entry = _esa_window_get_search_entry (window);

  gtk_editable_set_text (GTK_EDITABLE (entry), debtor_name);
  g_assert_true (wait_for (has_results, window));

  g_signal_emit_by_name (entry, "stop-search");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  g_assert_cmpstr (_esa_window_get_sidebar_state (window), ==, "sections");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_corrupt_database (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "damaged.db", NULL);
  g_autoptr(GString) junk = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *basename = NULL;
  EsaWindow *window;

  for (int i = 0; i < 512; i++)
    g_string_append (junk, "this is not a database ");
  g_file_set_contents (path, junk->str, junk->len, &error);
  g_assert_no_error (error);

  window = esa_window_new (NULL);
  esa_window_open_database (window, path, FALSE);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_for (is_mapped, window));

  /* The error state names the file; there is no store and no crash. */
  g_assert_cmpstr (_esa_window_get_state (window), ==, "error");
  g_assert_null (esa_window_get_store (window));
  basename = g_path_get_basename (path);
  g_assert_nonnull (strstr (_esa_window_get_error_text (window), basename));
  g_assert_false (esa_window_get_busy (window));

  /* A database that is not there is not made empty in its place. */
  g_remove (path);
  esa_window_open_database (window, path, FALSE);
  g_assert_cmpstr (_esa_window_get_state (window), ==, "error");
  g_assert_nonnull (strstr (_esa_window_get_error_text (window), basename));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* Another database opens from there. */
  esa_window_open_database (window, db_path, FALSE);
  g_assert_cmpstr (_esa_window_get_state (window), ==, "workbench");
  g_assert_nonnull (esa_window_get_store (window));

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
is_workbench (gpointer data)
{
  return g_strcmp0 (_esa_window_get_state (ESA_WINDOW (data)), "workbench") == 0;
}

/* First run: the demo database does not exist, so it is generated in a
 * worker thread while the window shows its progress; a damaged demo file is
 * set aside and made again. */
static void
test_demo_database (void)
{
  g_autofree char *demo_path = g_build_filename (g_get_user_data_dir (), "esattore", "demo.db",
                                                 NULL);
  g_autofree char *demo_dir = g_path_get_dirname (demo_path);
  g_autofree char *partial = g_strconcat (demo_path, ".partial", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  EsaWindow *window;
  const char *name;
  guint set_aside = 0;

  /* A demo file that is not a database at all. */
  g_assert_cmpint (g_mkdir_with_parents (demo_dir, 0700), ==, 0);
  g_file_set_contents (demo_path, "not a database, not at all", -1, &error);
  g_assert_no_error (error);

  window = esa_window_new (NULL);
  esa_window_set_fixed_size (window, 800, 600);
  esa_window_open_database (window, NULL, FALSE);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_for (is_mapped, window));
  g_assert_cmpstr (_esa_window_get_state (window), ==, "error");

  /* "Recreate the Demo Database" */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-demo", NULL));
  g_assert_cmpstr (_esa_window_get_state (window), ==, "loading");
  g_assert_true (esa_window_get_busy (window));
  g_assert_null (esa_window_get_store (window));

  g_assert_true (wait_for_long (is_workbench, window));
  g_assert_true (wait_for (is_settled, window));
  g_assert_nonnull (esa_window_get_store (window));
  g_assert_cmpint (esa_store_count_debtors (esa_window_get_store (window), NULL), ==, 5000);
  g_assert_true (g_file_test (demo_path, G_FILE_TEST_IS_REGULAR));
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));

  /* The damaged file was kept beside it, not deleted. */
  dir = g_dir_open (demo_dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "demo.db.broken-"))
      set_aside++;
  g_assert_cmpuint (set_aside, ==, 1);

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
model_not_loading (gpointer data)
{
  return !esa_search_model_get_loading (ESA_SEARCH_MODEL (data));
}

static guint expected_items;

static gboolean
model_has_expected_items (gpointer data)
{
  return !esa_search_model_get_loading (ESA_SEARCH_MODEL (data)) &&
         g_list_model_get_n_items (G_LIST_MODEL (data)) >= expected_items;
}

static void
test_search_model_pages (void)
{
  g_autoptr(EsaSearchModel) model = esa_search_model_new (store);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *query = NULL;
  gboolean more = FALSE;
  guint total;

  /* The first letter of the debtor's name matches many debtors. */
  query = g_strndup (debtor_name, 1);
  all = esa_store_search (store, query, 1000, 0, &more, &error);
  g_assert_no_error (error);
  total = all->len;
  if (total <= 10)
    {
      g_test_skip ("too few matches for paging");
      return;
    }

  esa_search_model_set_page_size (model, 10);
  esa_search_model_set_query (model, query);
  g_assert_true (wait_for (model_not_loading, model));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 10);
  g_assert_true (esa_search_model_get_has_more (model));

  /* Asking for the last loaded item brings the next page. */
  expected_items = MIN (20, total);
  g_object_unref (g_list_model_get_item (G_LIST_MODEL (model), 9));
  g_assert_true (wait_for (model_has_expected_items, model));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, expected_items);
  g_assert_cmpint (esa_search_model_get_has_more (model), ==, total > 20);

  /* The pages hold the same hits, in the same order, as one big search. */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
    {
      g_autoptr(EsaSearchResult) result = g_list_model_get_item (G_LIST_MODEL (model), i);
      EsaSearchHit *hit = g_ptr_array_index (all, i);

      g_assert_cmpstr (esa_search_result_get_debtor_id (result), ==, hit->debtor_id);
    }

  /* A blank query empties the model at once. */
  esa_search_model_set_query (model, "  ");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  g_assert_false (esa_search_model_get_has_more (model));
}

/* ---- fixture ------------------------------------------------------------ */

/* Picks, among search hits for a few common letters, a debtor with
 * something owed and a second debtor. */
static void
pick_debtors (void)
{
  const char *probes[] = { "a", "b", "c", "d", "e", "f", "g", "l", "m", "p", "r", "s", NULL };

  for (guint p = 0; probes[p] != NULL && debtor_id == NULL; p++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) hits = esa_store_search (store, probes[p], 50, 0, NULL, &error);

      g_assert_no_error (error);
      for (guint i = 0; i < hits->len; i++)
        {
          EsaSearchHit *hit = g_ptr_array_index (hits, i);
          g_autoptr(EsaDossier) dossier = esa_store_load_dossier (store, hit->debtor_id, &error);

          g_assert_no_error (error);
          if (debtor_id == NULL && dossier->positions->len > 0 && dossier->totals->len > 0)
            {
              debtor_id = g_strdup (hit->debtor_id);
              debtor_name = g_strdup (hit->name);
            }
          else if (other_id == NULL && debtor_id != NULL &&
                   g_strcmp0 (hit->debtor_id, debtor_id) != 0)
            {
              other_id = g_strdup (hit->debtor_id);
            }

          if (debtor_id != NULL && other_id != NULL)
            break;
        }
    }

  g_assert_nonnull (debtor_id);
  g_assert_nonnull (other_id);
}

static void
make_database (void)
{
  g_autoptr(GError) error = NULL;
  EsaDemoOptions options;

  db_path = g_build_filename (tmp_dir, "demo.db", NULL);

  store = esa_store_open (db_path, &error);
  g_assert_no_error (error);

  esa_demo_options_init (&options);
  options.debtors = 200;
  options.seed = 7;
  options.today = "2026-11-23";
  esa_demo_generate (store, &options, &error);
  g_assert_no_error (error);

  pick_debtors ();
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  /* The demo database lives in the user's data folder: a temporary one
   * here, set before GLib reads it. */
  tmp_dir = g_dir_make_tmp ("esattore-gui-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  data_home = g_build_filename (tmp_dir, "data", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  gtk_init ();
  adw_init ();

  make_database ();

  g_test_add_func ("/gui/search-and-open", test_search_and_open);
  g_test_add_func ("/gui/same-debtor-one-tab", test_same_debtor_one_tab);
  g_test_add_func ("/gui/escape-clears-search", test_escape_clears_search);
  g_test_add_func ("/gui/corrupt-database", test_corrupt_database);
  g_test_add_func ("/gui/search-model-pages", test_search_model_pages);
  g_test_add_func ("/gui/demo-database", test_demo_database);

  status = g_test_run ();

  g_clear_object (&store);
  remove_tree (tmp_dir);
  g_free (tmp_dir);
  g_free (db_path);
  g_free (debtor_id);
  g_free (debtor_name);
  g_free (other_id);
  return status;
}
