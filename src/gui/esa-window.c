#include "esa-config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "esa-application.h"
#include "esa-acting.h"
#include "esa-contact-center-page.h"
#include "esa-contact-dialog.h"
#include "esa-dashboard-page.h"
#include "esa-demo.h"
#include "esa-dossier-format.h"
#include "esa-dossier-page.h"
#include "esa-next-steps.h"
#include "esa-procedure-catalog.h"
#include "esa-payments-page.h"
#include "esa-sync-page.h"
#include "esa-queue-page.h"
#include "esa-roles.h"
#include "esa-reports-page.h"
#include "esa-search-model.h"
#include "esa-search-result.h"
#include "esa-viewer.h"
#include "esa-window-private.h"

/* The size of the demo database made on first run. */
#define DEMO_DEBTORS 5000
#define DEMO_SEED    1

#define ICONS_PATH "/org/esattore/Esattore/icons"

/* An SQLite database in WAL mode and its companion files. */
static const char * const sqlite_suffixes[] = { "", "-wal", "-shm" };

struct _EsaWindow
{
  AdwApplicationWindow parent_instance;

  /* template widgets */
  AdwToastOverlay    *toast_overlay;
  GtkStack           *main_stack;
  GtkSpinner         *loading_spinner;
  GtkLabel           *loading_progress_label;
  AdwStatusPage      *error_page;
  GtkButton          *error_demo_button;
  AdwLeaflet         *leaflet;
  GtkSearchEntry     *search_entry;
  GtkStack           *sidebar_stack;
  GtkListBox         *sections_list;
  GtkListView        *results_view;
  AdwStatusPage      *no_results_page;
  GtkRevealer        *more_revealer;
  GtkLabel           *status_label;
  AdwWindowTitle     *content_title;
  GtkStack           *content_stack;
  AdwTabBar          *tab_bar;
  GtkStack           *dossier_stack;
  AdwTabView         *tab_view;
  EsaSyncPage        *sync_page;
  GtkLabel           *sync_count_label;
  GtkWidget          *sync_status_button;
  GtkImage           *sync_status_icon;
  GtkLabel           *sync_status_label;
  EsaPaymentsPage    *payments_page;
  EsaReportsPage     *reports_page;
  EsaQueuePage       *my_work_page;
  EsaQueuePage       *team_queues_page;
  EsaDashboardPage   *dashboard_page;
  EsaContactCenterPage *contact_center_page;
  GtkRevealer        *problems_revealer;
  GtkLabel           *problems_label;
  GtkMenuButton      *acting_button;
  GtkLabel           *acting_name_label;
  GtkLabel           *acting_role_label;

  EsaStore           *store;
  EsaSearchModel     *search_model;
  GtkSingleSelection *selection;
  GSettings          *settings;
  /* The procedures the stores are given, and what failed to load. */
  EsaProcedureCatalog *catalog;
  /* The day steps are evaluated on; NULL: the current date. */
  GDate              *today;
  /* The user steps are recorded for; NULL when the database has none. */
  char               *acting_user;

  /* Whether the database being opened or open is the demo. */
  gboolean            db_is_demo;
  gboolean            remember_db;
  /* The last failure concerned the demo database itself. */
  gboolean            demo_failed;

  /* First-run generation of the demo database. */
  gint               *demo_progress;   /* per mille; an rc box shared with the worker */
  guint               demo_progress_source;
  guint               demo_generation; /* drops the result of an abandoned run */

  /* Requests made before the database was open. */
  char               *pending_search;
  char               *pending_dossier;
  char               *pending_case;
  char               *pending_action;
  char               *pending_document;

  /* Counts of debtors under way in worker threads. */
  guint               counting;
  /* The query whose first result was selected. */
  char               *selection_query;
  /* The entry is being emptied to start a new search by typing. */
  gboolean            restarting_search;
  /* Enter was pressed before the results for the typed text arrived. */
  gboolean            open_when_ready;
  gboolean            fixed_size;
};

G_DEFINE_FINAL_TYPE (EsaWindow, esa_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_ACTING_USER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  GWeakRef window;
  char    *path;
  gint    *progress;
  guint    generation;
} DemoJob;

static void set_store              (EsaWindow  *self,
                                    EsaStore   *store);
static void show_error             (EsaWindow  *self,
                                    const char *message);
static void open_selected_result   (EsaWindow  *self);
static void update_sidebar_state   (EsaWindow  *self);
static void update_content_title   (EsaWindow  *self);

/* ---- helpers ------------------------------------------------------------ */

static char *
demo_database_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "esattore", "demo.db", NULL);
}

static void
demo_job_free (DemoJob *job)
{
  g_weak_ref_clear (&job->window);
  g_free (job->path);
  g_atomic_rc_box_release (job->progress);
  g_free (job);
}

static void
show_toast (EsaWindow  *self,
            const char *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static const char *
search_text (EsaWindow *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
}

/* Whether the model holds the results for what is in the entry now. */
static gboolean
search_is_current (EsaWindow *self)
{
  g_autofree char *typed = g_strstrip (g_strdup (search_text (self)));

  return self->search_model != NULL &&
         g_strcmp0 (typed, esa_search_model_get_query (self->search_model)) == 0 &&
         !esa_search_model_get_loading (self->search_model);
}

static void
run_search (EsaWindow  *self,
            const char *text)
{
  if (self->search_model == NULL)
    return;

  esa_search_model_set_query (self->search_model, text);
  update_sidebar_state (self);
}

/* The leaflet remembers its visible child while unfolded too, so these take
 * effect as soon as it folds (the window may not even be allocated yet). */
static void
show_content (EsaWindow *self)
{
  adw_leaflet_set_visible_child_name (self->leaflet, "content");
}

static void
show_sidebar (EsaWindow *self)
{
  adw_leaflet_set_visible_child_name (self->leaflet, "sidebar");
}

static void
select_section (EsaWindow  *self,
                const char *name)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->sections_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      if (GTK_IS_LIST_BOX_ROW (row) && g_strcmp0 (gtk_widget_get_name (row), name) == 0)
        {
          gtk_list_box_select_row (self->sections_list, GTK_LIST_BOX_ROW (row));
          break;
        }
    }
  gtk_stack_set_visible_child_name (self->content_stack, name);
}

static char *
format_count (gint64 n)
{
  /* The ' flag groups thousands the way the current locale does. */
  return g_strdup_printf ("%'" G_GINT64_FORMAT, n);
}

/* The count ngettext chooses the plural form by. */
static gulong
plural_count (gint64 n)
{
  return n < 0 ? 0 : (gulong) n;
}

static void
set_status_line (EsaWindow *self,
                 gint64     debtors)
{
  g_autofree char *name = NULL;
  g_autofree char *debtors_text = NULL;
  g_autofree char *text = NULL;

  if (self->db_is_demo)
    name = g_strdup (_("Demo database"));
  else
    name = g_path_get_basename (esa_store_get_path (self->store));

  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_label),
                               esa_store_get_path (self->store));

  if (debtors < 0)
    {
      gtk_label_set_text (self->status_label, name);
      return;
    }

  debtors_text = format_count (debtors);
  /* Translators: the status line under the sidebar: the database's name and
   * how many debtors it holds, e.g. "Demo database · 5,000 debtors". */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %s debtor", "%s · %s debtors",
                                       plural_count (debtors)),
                          name, debtors_text);
  gtk_label_set_text (self->status_label, text);
}

static void
count_debtors_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaStore) store = esa_store_open (task_data, &error);
  gint64 debtors;

  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  debtors = esa_store_count_debtors (store, &error);
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_memdup2 (&debtors, sizeof debtors), g_free);
}

static void
count_debtors_done (GObject      *source_object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  EsaWindow *self = ESA_WINDOW (source_object);
  g_autofree gint64 *debtors = g_task_propagate_pointer (G_TASK (result), NULL);

  self->counting--;

  /* The window may have moved on to another database, or be gone. */
  if (self->store == NULL ||
      g_strcmp0 (esa_store_get_path (self->store), g_task_get_task_data (G_TASK (result))) != 0)
    return;

  set_status_line (self, debtors != NULL ? *debtors : -1);
}

/* Counting the debtors of a large database takes long enough (a table scan)
 * to delay the first frame, so it runs in a worker thread on a connection of
 * its own; the line shows the database's name meanwhile. */
static void
update_status_line (EsaWindow *self)
{
  g_autoptr(GTask) task = NULL;
  const char *path;

  if (self->store == NULL)
    {
      gtk_label_set_text (self->status_label, "");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_label), NULL);
      return;
    }

  path = esa_store_get_path (self->store);
  if (path == NULL || path[0] == '\0' || g_str_equal (path, ":memory:"))
    {
      set_status_line (self, esa_store_count_debtors (self->store, NULL));
      return;
    }

  set_status_line (self, -1);

  self->counting++;
  task = g_task_new (self, NULL, count_debtors_done, NULL);
  g_task_set_source_tag (task, update_status_line);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, count_debtors_thread);
}

/* The sidebar's Sync row shows what waits: open conflicts first (they need
 * someone), else the operations not yet sent. */
static void
update_sync_count (EsaWindow *self)
{
  gint64 conflicts = esa_sync_page_get_conflicts (self->sync_page);
  gint64 pending = esa_sync_page_get_pending (self->sync_page);
  gint64 shown = conflicts > 0 ? conflicts : pending;
  g_autofree char *text = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->sync_count_label), self->store != NULL && shown > 0);
  if (shown <= 0)
    return;
  text = format_count (shown);
  gtk_label_set_label (self->sync_count_label, text);
  if (conflicts > 0)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->sync_count_label), "warning");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->sync_count_label),
                                   _("Open sync conflicts"));
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->sync_count_label), "warning");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->sync_count_label),
                                   _("Operations waiting to be sent"));
    }
}

/* The header says how the sync stands (offline, syncing, conflicts, what
 * waits, the last sync) and opens the Sync section; nothing for a local
 * database. */
static void
update_sync_status (EsaWindow *self)
{
  const char *icon = NULL;
  const char *status = esa_sync_page_get_status (self->sync_page, &icon);

  gtk_widget_set_visible (self->sync_status_button, self->store != NULL && status != NULL);
  if (status == NULL)
    return;
  gtk_label_set_label (self->sync_status_label, status);
  gtk_image_set_from_icon_name (self->sync_status_icon, icon);
  /* Translators: the tooltip of the sync status in the header: "Sync: Offline" */
  {
    g_autofree char *tooltip = g_strdup_printf (_("Sync: %s"), status);

    gtk_widget_set_tooltip_text (self->sync_status_button, tooltip);
  }
}

static void
on_sync_status_clicked (EsaWindow *self)
{
  esa_window_show_section (self, "sync");
}

static void
update_sync_page (EsaWindow *self)
{
  if (self->store == NULL)
    return;
  esa_sync_page_reload (self->sync_page);
}

static AdwTabPage *
find_dossier_tab (EsaWindow  *self,
                  const char *debtor_id)
{
  int n = adw_tab_view_get_n_pages (self->tab_view);

  for (int i = 0; i < n; i++)
    {
      AdwTabPage *page = adw_tab_view_get_nth_page (self->tab_view, i);
      GtkWidget *child = adw_tab_page_get_child (page);

      if (ESA_IS_DOSSIER_PAGE (child) &&
          g_strcmp0 (esa_dossier_page_get_debtor_id (ESA_DOSSIER_PAGE (child)), debtor_id) == 0)
        return page;
    }

  return NULL;
}

static void
close_all_tabs (EsaWindow *self)
{
  while (adw_tab_view_get_n_pages (self->tab_view) > 0)
    {
      AdwTabPage *page = adw_tab_view_get_nth_page (self->tab_view, 0);

      adw_tab_view_close_page (self->tab_view, page);
      /* close-page may be held back by a handler; a page that stays open
       * would loop forever, so give up on it. */
      if (adw_tab_view_get_n_pages (self->tab_view) > 0 &&
          adw_tab_view_get_nth_page (self->tab_view, 0) == page)
        break;
    }
}

/* ---- procedures and the acting user ------------------------------------ */

static EsaProcedureCatalog *
get_catalog (EsaWindow *self)
{
  GtkApplication *app;

  if (self->catalog != NULL)
    return self->catalog;

  /* The application loads the procedures once for all its windows; a
   * window of its own (the tests) loads them itself. */
  app = gtk_window_get_application (GTK_WINDOW (self));
  if (ESA_IS_APPLICATION (app))
    self->catalog = g_object_ref (esa_application_get_catalog (ESA_APPLICATION (app)));
  else
    self->catalog = esa_procedure_catalog_load ();

  return self->catalog;
}

/* Says which procedures are unavailable and why, above the content. */
static void
update_problems (EsaWindow *self)
{
  GPtrArray *problems = esa_procedure_catalog_get_problems (get_catalog (self));
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *heading = NULL;

  if (problems->len == 0)
    {
      gtk_revealer_set_reveal_child (self->problems_revealer, FALSE);
      return;
    }

  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "A procedure file could not be loaded: cases that "
                                          "follow it cannot be worked on until it is fixed.",
                                          "%u procedure files could not be loaded: cases "
                                          "that follow them cannot be worked on until they "
                                          "are fixed.",
                                          problems->len),
                             problems->len);
  g_string_append_printf (text, "<b>%s</b>", heading);

  for (guint i = 0; i < problems->len; i++)
    {
      const EsaProcedureProblem *problem = g_ptr_array_index (problems, i);
      g_autofree char *name = NULL;
      g_autofree char *line = NULL;
      g_autofree char *escaped = NULL;

      if (problem->procedure_id != NULL)
        {
          name = esa_dossier_term (ESA_DOSSIER_TERM_PROCEDURE, problem->procedure_id);
          /* Translators: a procedure that did not load and why: "Debt
           * enforcement (LEF/SchKG) is unavailable: ch-lef.json: $.actions…". */
          line = g_strdup_printf (_("%s is unavailable: %s"), name, problem->message);
        }
      else
        {
          line = g_strdup (problem->message);
        }

      escaped = g_markup_escape_text (line, -1);
      g_string_append_printf (text, "\n%s", escaped);
    }

  gtk_label_set_markup (self->problems_label, text->str);
  gtk_revealer_set_reveal_child (self->problems_revealer, TRUE);
}

static void
reload_dossiers (EsaWindow *self)
{
  int n = adw_tab_view_get_n_pages (self->tab_view);

  for (int i = 0; i < n; i++)
    {
      GtkWidget *child = adw_tab_page_get_child (adw_tab_view_get_nth_page (self->tab_view, i));

      if (ESA_IS_DOSSIER_PAGE (child))
        esa_dossier_page_reload (ESA_DOSSIER_PAGE (child));
    }
}

/* The queues, the dashboard and the contact center show what the acting
 * user may see. */
static void
reload_work_pages (EsaWindow *self)
{
  esa_queue_page_reload (self->my_work_page);
  esa_queue_page_reload (self->team_queues_page);
  esa_dashboard_page_reload (self->dashboard_page);
  esa_contact_center_page_reload (self->contact_center_page);
}

static void
set_work_pages_store (EsaWindow *self,
                      EsaStore  *store)
{
  esa_queue_page_set_store (self->my_work_page, store);
  esa_queue_page_set_store (self->team_queues_page, store);
  esa_dashboard_page_set_store (self->dashboard_page, store);
  esa_contact_center_page_set_store (self->contact_center_page, store);
}

static void
show_acting_user (EsaWindow *self)
{
  g_autoptr(EsaUser) user = NULL;
  g_autofree char *role = NULL;

  if (self->store != NULL && self->acting_user != NULL)
    user = esa_store_get_user (self->store, self->acting_user, NULL);

  if (user == NULL)
    {
      gtk_label_set_text (self->acting_name_label, _("Nobody"));
      gtk_label_set_text (self->acting_role_label, _("This database has no users"));
      return;
    }

  gtk_label_set_text (self->acting_name_label, user->name);
  if (esa_next_steps_role_can_act (user->role))
    role = g_strdup (esa_role_describe (user->role));
  else
    /* Translators: a role that can look at cases but not act on them. */
    role = g_strdup_printf (_("%s · read only"), esa_role_describe (user->role));
  gtk_label_set_text (self->acting_role_label, role);
}

/* @remember: the choice of the person at the keyboard, kept for next time,
 * rather than the default for a database. */
static void
set_acting_user (EsaWindow  *self,
                 const char *user_id,
                 gboolean    remember)
{
  if (user_id != NULL && user_id[0] == '\0')
    user_id = NULL;

  if (g_strcmp0 (self->acting_user, user_id) != 0)
    {
      g_free (self->acting_user);
      self->acting_user = g_strdup (user_id);
      if (self->store != NULL)
        esa_store_set_acting_user (self->store, user_id);
      show_acting_user (self);
      reload_dossiers (self);
      reload_work_pages (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTING_USER]);
    }

  if (remember && self->settings != NULL && user_id != NULL)
    g_settings_set_string (self->settings, "acting-user", user_id);
}

/* The users by role, for the menu of the acting user; picks the remembered
 * one when this database has them, else its first officer. */
static void
setup_acting_user (EsaWindow *self)
{
  g_autoptr(GPtrArray) users = esa_store_list_users (self->store, NULL);
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autofree char *remembered = NULL;
  const char *chosen = NULL;
  const char *first_officer = NULL;

  if (self->settings != NULL)
    remembered = g_settings_get_string (self->settings, "acting-user");

  for (guint r = 0; r < ESA_N_ROLES; r++)
    {
      g_autoptr(GMenu) section = g_menu_new ();

      for (guint i = 0; users != NULL && i < users->len; i++)
        {
          const EsaUser *user = g_ptr_array_index (users, i);
          g_autoptr(GMenuItem) item = NULL;

          if (user->role != r)
            continue;

          item = g_menu_item_new (user->name, NULL);
          g_menu_item_set_action_and_target (item, "win.acting-user", "s", user->id);
          g_menu_append_item (section, item);

          if (g_strcmp0 (user->id, remembered) == 0)
            chosen = user->id;
          if (first_officer == NULL && user->role == ESA_ROLE_OFFICER)
            first_officer = user->id;
        }

      if (g_menu_model_get_n_items (G_MENU_MODEL (section)) > 0)
        g_menu_append_section (menu, esa_role_describe (r), G_MENU_MODEL (section));
    }

  if (chosen == NULL)
    chosen = first_officer;
  if (chosen == NULL && users != NULL && users->len > 0)
    chosen = ((EsaUser *) g_ptr_array_index (users, 0))->id;

  gtk_menu_button_set_menu_model (self->acting_button, G_MENU_MODEL (menu));
  gtk_widget_set_sensitive (GTK_WIDGET (self->acting_button), chosen != NULL);

  /* The store starts with nobody acting: tell it even when the choice is
   * the same as for the previous database. */
  g_clear_pointer (&self->acting_user, g_free);
  set_acting_user (self, chosen, FALSE);
  show_acting_user (self);
}

/* ---- opening the database ----------------------------------------------- */

static void
show_loading (EsaWindow *self)
{
  gtk_label_set_text (self->loading_progress_label, " ");
  gtk_spinner_start (self->loading_spinner);
  gtk_stack_set_visible_child_name (self->main_stack, "loading");
}

static gboolean
on_demo_progress_tick (gpointer user_data)
{
  EsaWindow *self = user_data;
  g_autofree char *text = NULL;
  int per_mille = g_atomic_int_get (self->demo_progress);

  /* Translators: progress while the demo database is generated. */
  text = g_strdup_printf (_("%d %% done"), per_mille / 10);
  gtk_label_set_text (self->loading_progress_label, text);
  return G_SOURCE_CONTINUE;
}

static void
demo_progress_cb (double   fraction,
                  gpointer user_data)
{
  gint *progress = user_data;

  g_atomic_int_set (progress, (gint) CLAMP (fraction * 1000.0, 0.0, 1000.0));
}

/* Generates the demo database beside its final path and moves it there when
 * complete, so that an interrupted first run never leaves a half-made file
 * that would be taken for the demo next time. */
static void
demo_generate_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  DemoJob *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaStore) store = NULL;
  g_autofree char *dir = g_path_get_dirname (job->path);
  g_autofree char *partial = g_strconcat (job->path, ".partial", NULL);
  EsaDemoOptions options;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               _("Cannot create the folder %s: %s"),
                               dir, g_strerror (saved_errno));
      return;
    }

  /* Leftovers of an interrupted run. */
  for (guint i = 0; i < G_N_ELEMENTS (sqlite_suffixes); i++)
    {
      g_autofree char *stale = g_strconcat (partial, sqlite_suffixes[i], NULL);

      g_remove (stale);
    }

  store = esa_store_open (partial, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  esa_demo_options_init (&options);
  options.debtors = DEMO_DEBTORS;
  options.seed = DEMO_SEED;
  options.progress = demo_progress_cb;
  options.progress_data = job->progress;

  if (!esa_demo_generate (store, &options, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Closing the connection checkpoints the write-ahead log into the file. */
  g_clear_object (&store);

  if (g_rename (partial, job->path) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               _("Cannot move the new demo database to %s: %s"),
                               job->path, g_strerror (saved_errno));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
demo_generate_done (GObject      *source_object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = G_TASK (result);
  DemoJob *job = g_task_get_task_data (task);
  g_autoptr(EsaWindow) self = g_weak_ref_get (&job->window);
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaStore) store = NULL;

  if (self == NULL || job->generation != self->demo_generation)
    return;

  g_clear_handle_id (&self->demo_progress_source, g_source_remove);
  gtk_spinner_stop (self->loading_spinner);

  if (!g_task_propagate_boolean (task, &error))
    {
      self->demo_failed = TRUE;
      show_error (self, error->message);
      return;
    }

  store = esa_store_open (job->path, &error);
  if (store == NULL)
    {
      self->demo_failed = TRUE;
      show_error (self, error->message);
      return;
    }

  set_store (self, store);
}

static void
generate_demo (EsaWindow  *self,
               const char *path)
{
  g_autoptr(GTask) task = NULL;
  DemoJob *job;

  /* The counter is shared with the worker thread, which may outlive the
   * window, so both hold a reference. */
  g_clear_pointer (&self->demo_progress, g_atomic_rc_box_release);
  self->demo_progress = g_atomic_rc_box_new0 (gint);
  show_loading (self);
  g_clear_handle_id (&self->demo_progress_source, g_source_remove);
  self->demo_progress_source = g_timeout_add (100, on_demo_progress_tick, self);

  job = g_new0 (DemoJob, 1);
  g_weak_ref_init (&job->window, self);
  job->path = g_strdup (path);
  job->progress = g_atomic_rc_box_acquire (self->demo_progress);
  job->generation = ++self->demo_generation;

  task = g_task_new (NULL, NULL, demo_generate_done, NULL);
  g_task_set_source_tag (task, generate_demo);
  g_task_set_task_data (task, job, (GDestroyNotify) demo_job_free);
  g_task_run_in_thread (task, demo_generate_thread);
}

static void
show_error (EsaWindow  *self,
            const char *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  set_store (self, NULL);

  adw_status_page_set_description (self->error_page, escaped);
  gtk_button_set_label (self->error_demo_button,
                        self->demo_failed ? _("_Recreate the Demo Database")
                                          : _("Use the _Demo Database"));
  gtk_stack_set_visible_child_name (self->main_stack, "error");
}

static void
set_store (EsaWindow *self,
           EsaStore  *store)
{
  g_autofree char *pending_search = NULL;
  g_autofree char *pending_dossier = NULL;

  close_all_tabs (self);

  g_clear_object (&self->search_model);
  gtk_list_view_set_model (self->results_view, NULL);
  g_clear_object (&self->selection);
  g_clear_pointer (&self->selection_query, g_free);
  g_set_object (&self->store, store);
  esa_payments_page_set_store (self->payments_page, store);
  esa_sync_page_set_store (self->sync_page, store);
  esa_reports_page_set_store (self->reports_page, store);
  set_work_pages_store (self, NULL);

  if (store == NULL)
    {
      update_status_line (self);
      return;
    }

  esa_store_set_procedures (store,
                            esa_procedure_catalog_get_procedures (get_catalog (self)),
                            esa_procedure_catalog_get_parameters (get_catalog (self)));
  setup_acting_user (self);
  set_work_pages_store (self, store);

  self->search_model = esa_search_model_new (store);
  g_signal_connect_object (self->search_model, "notify::loading",
                           G_CALLBACK (update_sidebar_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_model, "notify::has-more",
                           G_CALLBACK (update_sidebar_state), self, G_CONNECT_SWAPPED);

  /* The selection model takes its own reference to the search model. */
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->search_model)));
  gtk_single_selection_set_autoselect (self->selection, TRUE);
  gtk_list_view_set_model (self->results_view, GTK_SELECTION_MODEL (self->selection));

  if (self->remember_db && self->settings != NULL)
    g_settings_set_string (self->settings, "database-path",
                           self->db_is_demo ? "" : esa_store_get_path (store));

  self->demo_failed = FALSE;
  update_status_line (self);
  update_sync_page (self);
  gtk_stack_set_visible_child_name (self->main_stack, "workbench");

  pending_search = g_steal_pointer (&self->pending_search);
  pending_dossier = g_steal_pointer (&self->pending_dossier);

  if (pending_search != NULL)
    esa_window_search (self, pending_search);
  else
    run_search (self, search_text (self));

  if (pending_dossier != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!esa_window_open_dossier (self, pending_dossier, &error))
        show_toast (self, error->message);
    }

  if (self->pending_document != NULL)
    {
      g_autofree char *pending_document = g_steal_pointer (&self->pending_document);
      g_autoptr(GError) error = NULL;

      if (!esa_window_open_document (self, pending_document, &error))
        show_toast (self, error->message);
    }

  if (self->pending_case != NULL)
    {
      g_autofree char *pending_case = g_steal_pointer (&self->pending_case);
      g_autofree char *pending_action = g_steal_pointer (&self->pending_action);
      g_autoptr(GError) error = NULL;

      if (!esa_window_run_action (self, pending_case, pending_action, &error))
        show_toast (self, error->message);
    }
}

/* ---- search ------------------------------------------------------------- */

static void
update_sidebar_state (EsaWindow *self)
{
  const char *query;
  const GError *error;
  guint n_items;

  if (self->search_model == NULL)
    return;

  query = esa_search_model_get_query (self->search_model);
  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->search_model));
  error = esa_search_model_get_error (self->search_model);

  if (query[0] == '\0')
    {
      gtk_stack_set_visible_child_name (self->sidebar_stack, "sections");
      gtk_revealer_set_reveal_child (self->more_revealer, FALSE);
      return;
    }

  /* While the first page of a new query is on its way the previous results
   * stay, so the list does not flash. */
  if (esa_search_model_get_loading (self->search_model) && n_items == 0)
    return;

  if (n_items > 0)
    {
      gtk_stack_set_visible_child_name (self->sidebar_stack, "results");

      /* A new query starts at its first result, whatever was selected in
       * the previous one. */
      if (g_strcmp0 (self->selection_query, query) != 0 &&
          !esa_search_model_get_loading (self->search_model))
        {
          g_free (self->selection_query);
          self->selection_query = g_strdup (query);
          gtk_single_selection_set_selected (self->selection, 0);
          gtk_widget_activate_action (GTK_WIDGET (self->results_view), "list.scroll-to-item",
                                      "u", 0);
        }
    }
  else if (error != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (error->message, -1);

      adw_status_page_set_title (self->no_results_page, _("Search Failed"));
      adw_status_page_set_description (self->no_results_page, escaped);
      gtk_stack_set_visible_child_name (self->sidebar_stack, "no-results");
    }
  else
    {
      g_autofree char *escaped = g_markup_escape_text (query, -1);
      g_autofree char *text = NULL;

      /* Translators: shown when a search finds nothing; %s is what was typed. */
      text = g_strdup_printf (_("Nothing matches “%s”. Try a tax code, an act number or part "
                                "of the name."), escaped);
      adw_status_page_set_title (self->no_results_page, _("No Results"));
      adw_status_page_set_description (self->no_results_page, text);
      gtk_stack_set_visible_child_name (self->sidebar_stack, "no-results");
    }

  gtk_revealer_set_reveal_child (self->more_revealer,
                                 esa_search_model_get_has_more (self->search_model));

  if (self->open_when_ready && search_is_current (self))
    {
      self->open_when_ready = FALSE;
      open_selected_result (self);
    }
}

static void
move_selection (EsaWindow *self,
                int        delta)
{
  guint n_items;
  guint selected;
  guint target;

  if (self->selection == NULL)
    return;

  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  if (n_items == 0)
    return;

  selected = gtk_single_selection_get_selected (self->selection);
  if (selected == GTK_INVALID_LIST_POSITION)
    target = delta > 0 ? 0 : n_items - 1;
  else if (delta < 0)
    target = selected == 0 ? 0 : selected - 1;
  else
    target = MIN (selected + 1, n_items - 1);

  gtk_single_selection_set_selected (self->selection, target);
  gtk_widget_activate_action (GTK_WIDGET (self->results_view), "list.scroll-to-item", "u",
                              target);
}

static void
open_selected_result (EsaWindow *self)
{
  g_autoptr(EsaSearchResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint position;

  if (self->selection == NULL)
    return;

  position = gtk_single_selection_get_selected (self->selection);
  if (position == GTK_INVALID_LIST_POSITION)
    position = 0;

  result = g_list_model_get_item (G_LIST_MODEL (self->selection), position);
  if (result == NULL)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }

  if (!esa_window_open_dossier (self, esa_search_result_get_debtor_id (result), &error))
    {
      show_toast (self, error->message);
      return;
    }

  /* The keyboard stays in the search, as in GNOME Settings, with the text
   * selected: typing replaces it with the next search, the arrows and Enter
   * still work on these results, and Tab goes on into the dossier. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self->search_entry)))
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
      gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
    }
}

static void
on_search_entry_search_changed (GtkSearchEntry *entry,
                                EsaWindow      *self)
{
  const char *text = search_text (self);
  g_autofree char *typed = g_strstrip (g_strdup (text));

  /* The entry is emptied for a moment before a new search by typing; the
   * results stay until the new ones come. */
  if (self->restarting_search)
    return;

  /* The entry reports a change after its delay even when the search ran at
   * once (esa_window_search(), Enter); nothing new then. */
  if (self->search_model != NULL &&
      g_strcmp0 (typed, esa_search_model_get_query (self->search_model)) == 0)
    return;

  /* Typing while the sidebar is folded away brings it back. */
  if (typed[0] != '\0')
    show_sidebar (self);

  run_search (self, text);
}

/* Typing outside the search entry starts a new search, the way type-ahead
 * works in GNOME applications: this capture-phase controller sees the key
 * first and clears the old text; the entry's key capture (in the bubble
 * phase, so only for keys the focused widget did not want) then types the key
 * into the empty entry, and search-started moves the focus there. Keys meant
 * for another text field are left alone. */
static gboolean
on_window_key_pressed (GtkEventControllerKey *controller,
                       guint                  keyval,
                       guint                  keycode,
                       GdkModifierType        state,
                       EsaWindow             *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  GtkWidget *entry = GTK_WIDGET (self->search_entry);
  gunichar c = gdk_keyval_to_unicode (keyval);

  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK)) != 0 ||
      c == 0 || !g_unichar_isgraph (c))
    return GDK_EVENT_PROPAGATE;

  if (focus != NULL && (focus == entry || gtk_widget_is_ancestor (focus, entry) ||
                        GTK_IS_EDITABLE (focus) || GTK_IS_TEXT_VIEW (focus)))
    return GDK_EVENT_PROPAGATE;

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "workbench") != 0)
    return GDK_EVENT_PROPAGATE;

  if (search_text (self)[0] != '\0')
    {
      self->restarting_search = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (entry), "");
      self->restarting_search = FALSE;
    }

  return GDK_EVENT_PROPAGATE;
}

/* Typing elsewhere in the window puts the first character into the entry
 * without focusing it (key capture); the rest of the typing, and Enter and
 * the arrows after it, belong in the entry too. */
static void
on_search_entry_search_started (GtkSearchEntry *entry,
                                EsaWindow      *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  show_sidebar (self);

  if (focus != NULL && (focus == GTK_WIDGET (entry) ||
                        gtk_widget_is_ancestor (focus, GTK_WIDGET (entry))))
    return;

  gtk_widget_grab_focus (GTK_WIDGET (entry));
  gtk_editable_set_position (GTK_EDITABLE (entry), -1);
}

static void
on_search_entry_activate (GtkSearchEntry *entry,
                          EsaWindow      *self)
{
  if (self->search_model == NULL)
    return;

  if (search_is_current (self))
    {
      open_selected_result (self);
      return;
    }

  /* Enter came before the results of what was typed: open the first of
   * them as soon as they arrive. */
  self->open_when_ready = TRUE;
  run_search (self, search_text (self));
}

static void
on_search_entry_stop_search (GtkSearchEntry *entry,
                             EsaWindow      *self)
{
  self->open_when_ready = FALSE;
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  run_search (self, "");
}

static void
on_search_entry_next_match (GtkSearchEntry *entry,
                            EsaWindow      *self)
{
  move_selection (self, 1);
}

static void
on_search_entry_previous_match (GtkSearchEntry *entry,
                                EsaWindow      *self)
{
  move_selection (self, -1);
}

static gboolean
on_search_entry_key_pressed (GtkEventControllerKey *controller,
                             guint                  keyval,
                             guint                  keycode,
                             GdkModifierType        state,
                             EsaWindow             *self)
{
  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK)) != 0)
    return GDK_EVENT_PROPAGATE;

  if (!g_str_equal (gtk_stack_get_visible_child_name (self->sidebar_stack), "results"))
    return GDK_EVENT_PROPAGATE;

  switch (keyval)
    {
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      move_selection (self, 1);
      return GDK_EVENT_STOP;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      move_selection (self, -1);
      return GDK_EVENT_STOP;
    default:
      return GDK_EVENT_PROPAGATE;
    }
}

static void
on_results_view_activate (GtkListView *view,
                          guint        position,
                          EsaWindow   *self)
{
  gtk_single_selection_set_selected (self->selection, position);
  open_selected_result (self);
}

/* ---- sections and tabs -------------------------------------------------- */

static void
on_sections_list_row_activated (GtkListBox    *list,
                                GtkListBoxRow *row,
                                EsaWindow     *self)
{
  const char *name = gtk_widget_get_name (GTK_WIDGET (row));

  gtk_stack_set_visible_child_name (self->content_stack, name);
  show_content (self);

  if (g_str_equal (name, "search") && !adw_leaflet_get_folded (self->leaflet))
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
update_content_title (EsaWindow *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->content_stack);
  AdwTabPage *page = adw_tab_view_get_selected_page (self->tab_view);

  if (g_strcmp0 (name, "search") == 0)
    {
      if (page != NULL)
        {
          adw_window_title_set_title (self->content_title, adw_tab_page_get_title (page));
          adw_window_title_set_subtitle (self->content_title, adw_tab_page_get_tooltip (page));
        }
      else
        {
          adw_window_title_set_title (self->content_title, _("Dossiers"));
          adw_window_title_set_subtitle (self->content_title, NULL);
        }
    }
  else
    {
      GtkWidget *child = gtk_stack_get_visible_child (self->content_stack);
      GtkStackPage *stack_page = gtk_stack_get_page (self->content_stack, child);

      adw_window_title_set_title (self->content_title, gtk_stack_page_get_title (stack_page));
      adw_window_title_set_subtitle (self->content_title, NULL);
    }
}

static void
on_content_stack_visible_child_changed (EsaWindow *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->content_stack);

  if (g_strcmp0 (name, "sync") == 0)
    update_sync_page (self);
  update_content_title (self);
}

static void
on_tab_view_n_pages_changed (EsaWindow *self)
{
  int n = adw_tab_view_get_n_pages (self->tab_view);

  gtk_stack_set_visible_child_name (self->dossier_stack, n > 0 ? "tabs" : "empty");
  gtk_widget_set_visible (GTK_WIDGET (self->tab_bar), n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.close-tab", n > 0);
  update_content_title (self);
}

static void
on_tab_view_selected_page_changed (EsaWindow *self)
{
  update_content_title (self);
}

static void
on_dossier_title_changed (EsaDossierPage *dossier,
                          GParamSpec     *pspec,
                          AdwTabPage     *page)
{
  const char *title = esa_dossier_page_get_title (dossier);

  if (title != NULL && title[0] != '\0')
    adw_tab_page_set_title (page, title);
  adw_tab_page_set_loading (page, title == NULL || title[0] == '\0');
}

static void
on_tab_page_title_changed (EsaWindow *self)
{
  update_content_title (self);
}

/* ---- actions ------------------------------------------------------------ */

static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  EsaWindow *self = ESA_WINDOW (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "workbench") != 0)
    return;

  show_sidebar (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

static void
close_tab_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  EsaWindow *self = ESA_WINDOW (widget);
  AdwTabPage *page = adw_tab_view_get_selected_page (self->tab_view);

  if (page != NULL)
    adw_tab_view_close_page (self->tab_view, page);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  EsaWindow *self = ESA_WINDOW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
on_open_database_response (GtkNativeDialog *dialog,
                           int              response,
                           EsaWindow       *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        esa_window_open_database (self, path, TRUE);
      else
        show_toast (self, _("Only databases on this computer’s disks can be opened"));
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
open_database_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  EsaWindow *self = ESA_WINDOW (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) databases = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  dialog = gtk_file_chooser_native_new (_("Open Database"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);

  gtk_file_filter_set_name (databases, _("Esattore Databases"));
  gtk_file_filter_add_mime_type (databases, "application/vnd.sqlite3");
  gtk_file_filter_add_mime_type (databases, "application/x-sqlite3");
  gtk_file_filter_add_suffix (databases, "db");
  gtk_file_filter_add_suffix (databases, "sqlite");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), databases);

  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), all);

  g_signal_connect (dialog, "response", G_CALLBACK (on_open_database_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* Moves a demo database that cannot be opened out of the way (keeping it,
 * for whoever wants to look at it) so that a fresh one is generated. */
static gboolean
set_aside_broken_demo (EsaWindow  *self,
                       const char *path)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *aside = g_strdup_printf ("%s.broken-%s", path, stamp);

  if (g_rename (path, aside) != 0 && errno != ENOENT)
    {
      int saved_errno = errno;
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("Cannot move the damaged demo database %s aside: %s"),
                                 path, g_strerror (saved_errno));
      show_error (self, message);
      return FALSE;
    }

  return TRUE;
}

static void
open_demo_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  EsaWindow *self = ESA_WINDOW (widget);

  if (self->demo_failed)
    {
      g_autofree char *path = demo_database_path ();

      if (!set_aside_broken_demo (self, path))
        return;
      self->demo_failed = FALSE;
    }

  esa_window_open_database (self, NULL, TRUE);
}

static void
dismiss_problems_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  EsaWindow *self = ESA_WINDOW (widget);

  gtk_revealer_set_reveal_child (self->problems_revealer, FALSE);
}

/* Ctrl+L: logs a contact on the debtor of the selected search result, or
 * else of the dossier in view. */
static void
log_contact_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  EsaWindow *self = ESA_WINDOW (widget);
  g_autoptr(EsaSearchResult) result = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *debtor_id = NULL;
  g_autofree char *debtor_name = NULL;
  AdwTabPage *page;

  if (self->store == NULL)
    return;
  if (!esa_acting_allows (self->store, ESA_ACTION_CONTACT_LOG, &reason))
    {
      show_toast (self, reason);
      return;
    }

  if (self->selection != NULL &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->sidebar_stack), "results") == 0)
    {
      guint position = gtk_single_selection_get_selected (self->selection);

      if (position != GTK_INVALID_LIST_POSITION)
        result = g_list_model_get_item (G_LIST_MODEL (self->selection), position);
    }
  if (result != NULL)
    {
      debtor_id = g_strdup (esa_search_result_get_debtor_id (result));
      debtor_name = g_strdup (esa_search_result_get_name (result));
    }
  else if ((page = adw_tab_view_get_selected_page (self->tab_view)) != NULL &&
           ESA_IS_DOSSIER_PAGE (adw_tab_page_get_child (page)))
    {
      EsaDossierPage *dossier = ESA_DOSSIER_PAGE (adw_tab_page_get_child (page));

      debtor_id = g_strdup (esa_dossier_page_get_debtor_id (dossier));
      debtor_name = g_strdup (adw_tab_page_get_title (page));
    }

  if (debtor_id == NULL)
    {
      show_toast (self, _("Select a debtor in the search results first, then press Ctrl+L"));
      return;
    }
  gtk_window_present (GTK_WINDOW (esa_contact_dialog_new (GTK_WINDOW (self), self->store,
                                                          debtor_id, debtor_name)));
}

static void
on_work_page_open_dossier (EsaWindow  *self,
                           const char *debtor_id)
{
  g_autoptr(GError) error = NULL;

  if (!esa_window_open_dossier (self, debtor_id, &error))
    show_toast (self, error->message);
  else
    select_section (self, "search");
}

/* ---- GtkWindow ---------------------------------------------------------- */

static gboolean
esa_window_close_request (GtkWindow *window)
{
  EsaWindow *self = ESA_WINDOW (window);

  if (self->settings != NULL && !self->fixed_size)
    {
      int width = 0;
      int height = 0;
      gboolean maximized = gtk_window_is_maximized (window);

      gtk_window_get_default_size (window, &width, &height);
      g_settings_delay (self->settings);
      if (!maximized && width > 0 && height > 0)
        {
          g_settings_set_int (self->settings, "window-width", width);
          g_settings_set_int (self->settings, "window-height", height);
        }
      g_settings_set_boolean (self->settings, "window-maximized", maximized);
      g_settings_apply (self->settings);
    }

  return GTK_WINDOW_CLASS (esa_window_parent_class)->close_request (window);
}

/* ---- GObject ------------------------------------------------------------ */

static void
esa_window_dispose (GObject *object)
{
  EsaWindow *self = ESA_WINDOW (object);

  /* An abandoned demo generation finishes in its thread; its result is
   * dropped because the generation no longer matches. */
  self->demo_generation++;
  g_clear_handle_id (&self->demo_progress_source, g_source_remove);

  if (self->results_view != NULL)
    gtk_list_view_set_model (self->results_view, NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->search_model);

  gtk_widget_dispose_template (GTK_WIDGET (self), ESA_TYPE_WINDOW);

  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->catalog);

  G_OBJECT_CLASS (esa_window_parent_class)->dispose (object);
}

static void
esa_window_finalize (GObject *object)
{
  EsaWindow *self = ESA_WINDOW (object);

  g_clear_pointer (&self->demo_progress, g_atomic_rc_box_release);
  g_free (self->pending_search);
  g_free (self->pending_dossier);
  g_free (self->pending_case);
  g_free (self->pending_action);
  g_free (self->pending_document);
  g_free (self->selection_query);
  g_free (self->acting_user);
  g_clear_pointer (&self->today, g_date_free);

  G_OBJECT_CLASS (esa_window_parent_class)->finalize (object);
}

static void
esa_window_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  EsaWindow *self = ESA_WINDOW (object);

  switch (prop_id)
    {
    case PROP_ACTING_USER:
      g_value_set_string (value, self->acting_user != NULL ? self->acting_user : "");
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esa_window_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  EsaWindow *self = ESA_WINDOW (object);

  switch (prop_id)
    {
    case PROP_ACTING_USER:
      set_acting_user (self, g_value_get_string (value), TRUE);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esa_window_class_init (EsaWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = esa_window_dispose;
  object_class->finalize = esa_window_finalize;
  object_class->get_property = esa_window_get_property;
  object_class->set_property = esa_window_set_property;
  window_class->close_request = esa_window_close_request;

  /* The id of the user steps are recorded for; "" for nobody. Choosing one
   * in the menu remembers the choice. */
  properties[PROP_ACTING_USER] =
    g_param_spec_string ("acting-user", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The row template of the results names this type. */
  g_type_ensure (ESA_TYPE_SEARCH_RESULT);
  g_type_ensure (ESA_TYPE_PAYMENTS_PAGE);
  g_type_ensure (ESA_TYPE_SYNC_PAGE);
  g_type_ensure (ESA_TYPE_REPORTS_PAGE);
  g_type_ensure (ESA_TYPE_QUEUE_PAGE);
  g_type_ensure (ESA_TYPE_DASHBOARD_PAGE);
  g_type_ensure (ESA_TYPE_CONTACT_CENTER_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/esattore/Esattore/ui/esa-window.ui");
  gtk_widget_class_bind_template_child (widget_class, EsaWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, EsaWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, EsaWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, EsaWindow, loading_progress_label);
  gtk_widget_class_bind_template_child (widget_class, EsaWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, EsaWindow, error_demo_button);
  gtk_widget_class_bind_template_child (widget_class, EsaWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, EsaWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, EsaWindow, sidebar_stack);
  gtk_widget_class_bind_template_child (widget_class, EsaWindow, sections_list);
  gtk_widget_class_bind_template_child (widget_class, EsaWindow, results_view);
  gtk_widget_class_bind_template_child (widget_class, EsaWindow, no_results_page);
  gtk_widget_class_bind_template_child (widget_class, EsaWindow, more_revealer);
  gtk_widget_class_bind_template_child (widget_class, EsaWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, EsaWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, EsaWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, EsaWindow, tab_bar);
  gtk_widget_class_bind_template_child (widget_class, EsaWindow, dossier_stack);
  gtk_widget_class_bind_template_child (widget_class, EsaWindow, tab_view);
  gtk_widget_class_bind_template_child (widget_class, EsaWindow, sync_page);
  gtk_widget_class_bind_template_child (widget_class, EsaWindow, sync_count_label);
  gtk_widget_class_bind_template_child (widget_class, EsaWindow, sync_status_button);
  gtk_widget_class_bind_template_child (widget_class, EsaWindow, sync_status_icon);
  gtk_widget_class_bind_template_child (widget_class, EsaWindow, sync_status_label);
  gtk_widget_class_bind_template_callback (widget_class, on_sync_status_clicked);
  gtk_widget_class_bind_template_child (widget_class, EsaWindow, payments_page);
  gtk_widget_class_bind_template_child (widget_class, EsaWindow, reports_page);
  gtk_widget_class_bind_template_child (widget_class, EsaWindow, my_work_page);
  gtk_widget_class_bind_template_child (widget_class, EsaWindow, team_queues_page);
  gtk_widget_class_bind_template_child (widget_class, EsaWindow, dashboard_page);
  gtk_widget_class_bind_template_child (widget_class, EsaWindow, contact_center_page);
  gtk_widget_class_bind_template_child (widget_class, EsaWindow, problems_revealer);
  gtk_widget_class_bind_template_child (widget_class, EsaWindow, problems_label);
  gtk_widget_class_bind_template_child (widget_class, EsaWindow, acting_button);
  gtk_widget_class_bind_template_child (widget_class, EsaWindow, acting_name_label);
  gtk_widget_class_bind_template_child (widget_class, EsaWindow, acting_role_label);

  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_search_started);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_next_match);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_previous_match);
  gtk_widget_class_bind_template_callback (widget_class, on_results_view_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_sections_list_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_content_stack_visible_child_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_tab_view_n_pages_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_tab_view_selected_page_changed);

  gtk_widget_class_install_action (widget_class, "win.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "win.close-tab", NULL, close_tab_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.open-database", NULL,
                                   open_database_action);
  gtk_widget_class_install_action (widget_class, "win.open-demo", NULL, open_demo_action);
  gtk_widget_class_install_action (widget_class, "win.dismiss-problems", NULL,
                                   dismiss_problems_action);
  gtk_widget_class_install_property_action (widget_class, "win.acting-user", "acting-user");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.find", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "win.close-tab", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK,
                                       "win.open-database", NULL);
  gtk_widget_class_install_action (widget_class, "win.log-contact", NULL, log_contact_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK,
                                       "win.log-contact", NULL);
}

static void
esa_window_init (EsaWindow *self)
{
  g_auto(GStrv) resource_paths = NULL;
  GtkEventController *controller;
  GtkIconTheme *theme;

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->sync_page, "notify::pending",
                           G_CALLBACK (update_sync_count), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sync_page, "notify::status",
                           G_CALLBACK (update_sync_status), self, G_CONNECT_SWAPPED);

  /* The application adds its resource icons to the theme; a window made
   * without it (tests) must show them too. */
  theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (self)));
  resource_paths = gtk_icon_theme_get_resource_path (theme);
  if (resource_paths == NULL ||
      !g_strv_contains ((const char * const *) resource_paths, ICONS_PATH))
    gtk_icon_theme_add_resource_path (theme, ICONS_PATH);

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_window_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_search_entry_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->search_entry), controller);

  /* GtkMenuButton centres a custom child; the acting user reads from the
   * start of the sidebar like the rest of it. */
  for (GtkWidget *w = gtk_menu_button_get_child (self->acting_button);
       w != NULL && w != GTK_WIDGET (self->acting_button);
       w = gtk_widget_get_parent (w))
    gtk_widget_set_halign (w, GTK_ALIGN_FILL);

  g_signal_connect_object (self->my_work_page, "open-dossier",
                           G_CALLBACK (on_work_page_open_dossier), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->team_queues_page, "open-dossier",
                           G_CALLBACK (on_work_page_open_dossier), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->contact_center_page, "open-dossier",
                           G_CALLBACK (on_work_page_open_dossier), self, G_CONNECT_SWAPPED);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.close-tab", FALSE);
  select_section (self, "search");
  update_content_title (self);
  gtk_stack_set_visible_child_name (self->main_stack, "loading");
}

/* ---- public API --------------------------------------------------------- */

EsaWindow *
esa_window_new (GtkApplication *application)
{
  EsaWindow *self;
  GSettings *settings = NULL;

  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);

  self = g_object_new (ESA_TYPE_WINDOW, "application", application, NULL);

  if (ESA_IS_APPLICATION (application))
    settings = esa_application_get_settings (ESA_APPLICATION (application));

  update_problems (self);

  if (settings != NULL)
    {
      self->settings = g_object_ref (settings);
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (settings, "window-width"),
                                   g_settings_get_int (settings, "window-height"));
      if (g_settings_get_boolean (settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }

  return self;
}

void
esa_window_open_database (EsaWindow  *self,
                          const char *path,
                          gboolean    remember)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaStore) store = NULL;
  g_autofree char *demo_path = NULL;

  g_return_if_fail (ESA_IS_WINDOW (self));

  /* A demo generation under way is abandoned. */
  self->demo_generation++;
  g_clear_handle_id (&self->demo_progress_source, g_source_remove);

  self->db_is_demo = path == NULL;
  self->remember_db = remember;
  self->demo_failed = FALSE;
  if (path == NULL)
    path = demo_path = demo_database_path ();

  if (self->db_is_demo && !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      set_store (self, NULL);
      generate_demo (self, path);
      return;
    }

  /* Opening would create an empty database in place of one that was moved
   * or deleted; that is never what the officer meant. */
  if (!self->db_is_demo && !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *message = g_strdup_printf (_("There is no database at %s"), path);

      show_error (self, message);
      return;
    }

  store = esa_store_open (path, &error);
  if (store == NULL)
    {
      self->demo_failed = self->db_is_demo;
      show_error (self, error->message);
      return;
    }

  set_store (self, store);
}

EsaStore *
esa_window_get_store (EsaWindow *self)
{
  g_return_val_if_fail (ESA_IS_WINDOW (self), NULL);
  return self->store;
}

gboolean
esa_window_show_section (EsaWindow  *self,
                         const char *name)
{
  g_return_val_if_fail (ESA_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (gtk_stack_get_child_by_name (self->content_stack, name) == NULL)
    return FALSE;
  select_section (self, name);
  show_content (self);
  return TRUE;
}

void
esa_window_search (EsaWindow  *self,
                   const char *text)
{
  g_return_if_fail (ESA_IS_WINDOW (self));

  if (self->store == NULL)
    {
      g_free (self->pending_search);
      self->pending_search = g_strdup (text);
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
  gtk_editable_set_position (GTK_EDITABLE (self->search_entry), -1);
  run_search (self, text);
}

gboolean
esa_window_open_dossier (EsaWindow   *self,
                         const char  *debtor_id,
                         GError     **error)
{
  g_autoptr(EsaDebtor) debtor = NULL;
  g_autofree char *tax_id = NULL;
  AdwTabPage *page;
  GtkWidget *dossier;
  const char *title;

  g_return_val_if_fail (ESA_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (debtor_id != NULL, FALSE);

  if (self->store == NULL)
    {
      g_free (self->pending_dossier);
      self->pending_dossier = g_strdup (debtor_id);
      return TRUE;
    }

  page = find_dossier_tab (self, debtor_id);
  if (page == NULL)
    {
      debtor = esa_store_get_debtor (self->store, debtor_id, error);
      if (debtor == NULL)
        return FALSE;

      dossier = esa_dossier_page_new_full (self->store, debtor_id, get_catalog (self),
                                           self->today);
      page = adw_tab_view_append (self->tab_view, dossier);

      title = esa_dossier_page_get_title (ESA_DOSSIER_PAGE (dossier));
      adw_tab_page_set_title (page, title != NULL && title[0] != '\0' ? title : debtor->name);
      tax_id = esa_format_tax_id (debtor->tax_id);
      adw_tab_page_set_tooltip (page, tax_id);
      on_dossier_title_changed (ESA_DOSSIER_PAGE (dossier), NULL, page);

      g_signal_connect_object (dossier, "notify::title",
                               G_CALLBACK (on_dossier_title_changed), page, 0);
      g_signal_connect_object (page, "notify::title",
                               G_CALLBACK (on_tab_page_title_changed), self, G_CONNECT_SWAPPED);
    }

  adw_tab_view_set_selected_page (self->tab_view, page);
  select_section (self, "search");
  show_content (self);
  update_content_title (self);
  return TRUE;
}

gboolean
esa_window_open_document (EsaWindow   *self,
                          const char  *path_or_id,
                          GError     **error)
{
  g_return_val_if_fail (ESA_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path_or_id != NULL, FALSE);

  if (self->store == NULL)
    {
      g_free (self->pending_document);
      self->pending_document = g_strdup (path_or_id);
      return TRUE;
    }

  if (esa_viewer_open_path_or_id (self->tab_view, self->store, path_or_id, error) == NULL)
    return FALSE;

  select_section (self, "search");
  show_content (self);
  update_content_title (self);
  return TRUE;
}

void
esa_window_set_fixed_size (EsaWindow *self,
                           int        width,
                           int        height)
{
  g_return_if_fail (ESA_IS_WINDOW (self));

  self->fixed_size = TRUE;
  gtk_window_unmaximize (GTK_WINDOW (self));
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
}

gboolean
esa_window_get_busy (EsaWindow *self)
{
  int n;

  g_return_val_if_fail (ESA_IS_WINDOW (self), FALSE);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "loading") == 0)
    return TRUE;

  if (self->store == NULL)
    return FALSE;

  if (self->counting > 0)
    return TRUE;

  if (search_text (self)[0] != '\0' && !search_is_current (self))
    return TRUE;

  n = adw_tab_view_get_n_pages (self->tab_view);
  for (int i = 0; i < n; i++)
    if (adw_tab_page_get_loading (adw_tab_view_get_nth_page (self->tab_view, i)))
      return TRUE;

  return FALSE;
}

gboolean
esa_window_run_action (EsaWindow   *self,
                       const char  *case_id,
                       const char  *action_id,
                       GError     **error)
{
  g_autoptr(EsaCase) case_ = NULL;
  AdwTabPage *page;

  g_return_val_if_fail (ESA_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (case_id != NULL && action_id != NULL, FALSE);

  if (self->store == NULL)
    {
      g_free (self->pending_case);
      g_free (self->pending_action);
      self->pending_case = g_strdup (case_id);
      self->pending_action = g_strdup (action_id);
      return TRUE;
    }

  case_ = esa_store_get_case (self->store, case_id, error);
  if (case_ == NULL)
    return FALSE;

  if (!esa_window_open_dossier (self, case_->debtor_id, error))
    return FALSE;

  page = find_dossier_tab (self, case_->debtor_id);
  return esa_dossier_page_run_action (ESA_DOSSIER_PAGE (adw_tab_page_get_child (page)),
                                      case_id, action_id, error);
}

/* ---- private API (tests) ------------------------------------------------ */

void
_esa_window_set_today (EsaWindow   *self,
                       const GDate *today)
{
  g_clear_pointer (&self->today, g_date_free);
  if (today != NULL)
    self->today = g_date_copy (today);
}

const char *
_esa_window_get_problems (EsaWindow *self)
{
  if (!gtk_revealer_get_reveal_child (self->problems_revealer))
    return NULL;
  return gtk_label_get_text (self->problems_label);
}

GtkWidget *
_esa_window_get_search_entry (EsaWindow *self)
{
  return GTK_WIDGET (self->search_entry);
}

GtkWidget *
_esa_window_get_results_view (EsaWindow *self)
{
  return GTK_WIDGET (self->results_view);
}

AdwTabView *
_esa_window_get_tab_view (EsaWindow *self)
{
  return self->tab_view;
}

const char *
_esa_window_get_state (EsaWindow *self)
{
  return gtk_stack_get_visible_child_name (self->main_stack);
}

const char *
_esa_window_get_error_text (EsaWindow *self)
{
  return adw_status_page_get_description (self->error_page);
}

const char *
_esa_window_get_sidebar_state (EsaWindow *self)
{
  return gtk_stack_get_visible_child_name (self->sidebar_stack);
}
