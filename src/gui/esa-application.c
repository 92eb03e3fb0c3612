#include "esa-config.h"

#include <stdio.h>
#include <glib/gi18n-lib.h>

#include "esa-application.h"
#include "esa-screenshot.h"
#include "esa-window.h"

/* How long a --screenshot run waits for the window to settle (the demo
 * database may be generated first). */
#define SCREENSHOT_TIMEOUT_MS (5 * 60 * 1000)

struct _EsaApplication
{
  AdwApplication parent_instance;

  GSettings     *settings;
  EsaProcedureCatalog *catalog;
  gint64         start_time;
  int            exit_status;
  gulong         first_paint_handler;
  GdkFrameClock *first_paint_clock;
};

G_DEFINE_FINAL_TYPE (EsaApplication, esa_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Open this database instead of the remembered one or the demo"), N_("FILE") },
  { "open-dossier", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Open the dossier of the debtor with this id"), N_("ID") },
  { "search", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Search for this text"), N_("TEXT") },
  { "section", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Show a section of the sidebar: search, my-work, team-queues, dashboard, cases, payments, "
       "documents, contact-center, reports, sync"), N_("NAME") },
  { "open-document", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Open this file, or the document with this id of an open dossier, in the viewer"),
    N_("FILE|ID") },
  { "run-action", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Open the wizard of a step of a case, e.g. CASE_ID:serve"), N_("CASE_ID:ACTION") },
  { "screenshot", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Render the window into this PNG file once it has settled, then quit"), N_("FILE") },
  { "window-size", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Open the window at this size, e.g. 800x600"), N_("WIDTHxHEIGHT") },
  { "dark", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Use the dark style"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Print the version and quit"), NULL },
  { NULL }
};

/* ---- style -------------------------------------------------------------- */

static AdwColorScheme
color_scheme_from_string (const char *name)
{
  if (g_strcmp0 (name, "light") == 0)
    return ADW_COLOR_SCHEME_FORCE_LIGHT;
  if (g_strcmp0 (name, "dark") == 0)
    return ADW_COLOR_SCHEME_FORCE_DARK;
  return ADW_COLOR_SCHEME_DEFAULT;
}

static void
apply_color_scheme (EsaApplication *self,
                    const char     *name)
{
  AdwStyleManager *style_manager = adw_style_manager_get_default ();

  adw_style_manager_set_color_scheme (style_manager, color_scheme_from_string (name));
}

static void
color_scheme_change_state (GSimpleAction *action,
                           GVariant      *state,
                           gpointer       user_data)
{
  EsaApplication *self = ESA_APPLICATION (user_data);
  const char *name = g_variant_get_string (state, NULL);

  g_simple_action_set_state (action, state);
  apply_color_scheme (self, name);

  if (self->settings != NULL)
    g_settings_set_string (self->settings, "color-scheme", name);
}

static void
on_settings_color_scheme_changed (GSettings      *settings,
                                  const char     *key,
                                  EsaApplication *self)
{
  g_autofree char *name = g_settings_get_string (settings, key);
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "color-scheme");
  g_autoptr(GVariant) state = g_action_get_state (action);

  if (g_strcmp0 (g_variant_get_string (state, NULL), name) == 0)
    return;

  g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_string (name));
  apply_color_scheme (self, name);
}

/* ---- actions ------------------------------------------------------------ */

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GApplication *app = G_APPLICATION (user_data);
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  /* Closing the windows (rather than quitting outright) lets each of them
   * remember its size. */
  for (GList *l = windows; l != NULL;)
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GtkWindow *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "modal", TRUE,
                        "application-name", _("Esattore"),
                        "application-icon", APPLICATION_ID,
                        "version", PACKAGE_VERSION,
                        "comments", _("Workbench for the collection of public debts"),
                        "developer-name", _("The Esattore developers"),
                        "copyright", _("© The Esattore developers"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: your names, one per line. */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (about);
}

static void
shortcuts_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  /* GtkApplicationWindow builds the shortcuts window from the application's
   * gtk/help-overlay.ui resource and exposes it as this action. */
  if (window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
}

static void
help_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  /* The Mallard pages of help/ are installed for Yelp under this name. */
  gtk_show_uri (window, "help:esattore", GDK_CURRENT_TIME);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action, NULL, NULL, NULL },
  { "help", help_action, NULL, NULL, NULL },
  { "about", about_action, NULL, NULL, NULL },
  { "shortcuts", shortcuts_action, NULL, NULL, NULL },
  { "color-scheme", NULL, "s", "'default'", color_scheme_change_state },
};

/* ---- timing and screenshots --------------------------------------------- */

static void
on_first_paint (GdkFrameClock  *frame_clock,
                EsaApplication *self)
{
  gint64 elapsed_us = g_get_monotonic_time () - self->start_time;

  g_clear_signal_handler (&self->first_paint_handler, self->first_paint_clock);
  g_clear_object (&self->first_paint_clock);

  fprintf (stderr, "first-frame-ms: %" G_GINT64_FORMAT "\n", elapsed_us / 1000);
  fflush (stderr);
}

static void
on_window_map (GtkWidget      *window,
               EsaApplication *self)
{
  g_signal_handlers_disconnect_by_func (window, on_window_map, self);

  if (self->first_paint_clock != NULL)
    return;

  self->first_paint_clock = g_object_ref (gtk_widget_get_frame_clock (window));
  self->first_paint_handler = g_signal_connect (self->first_paint_clock, "after-paint",
                                                G_CALLBACK (on_first_paint), self);
}

static void
on_screenshot_done (EsaWindow    *window,
                    const GError *error,
                    gpointer      user_data)
{
  EsaApplication *self = ESA_APPLICATION (user_data);

  if (error != NULL)
    {
      g_printerr (_("esattore: screenshot failed: %s\n"), error->message);
      self->exit_status = 1;
    }

  gtk_window_destroy (GTK_WINDOW (window));
  g_application_release (G_APPLICATION (self));
}

static gboolean
parse_window_size (const char *text,
                   int        *width,
                   int        *height)
{
  g_auto(GStrv) parts = g_strsplit (text, "x", 3);
  guint64 w;
  guint64 h;

  if (g_strv_length (parts) != 2 ||
      !g_ascii_string_to_unsigned (parts[0], 10, 100, 10000, &w, NULL) ||
      !g_ascii_string_to_unsigned (parts[1], 10, 100, 10000, &h, NULL))
    return FALSE;

  *width = (int) w;
  *height = (int) h;
  return TRUE;
}

/* ---- GApplication ------------------------------------------------------- */

static EsaWindow *
get_window (EsaApplication *self,
            gboolean       *created)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  *created = window == NULL;
  if (window == NULL)
    window = GTK_WINDOW (esa_window_new (GTK_APPLICATION (self)));

  return ESA_WINDOW (window);
}

static char *
remembered_database (EsaApplication *self)
{
  g_autofree char *path = NULL;

  if (self->settings == NULL)
    return NULL;

  path = g_settings_get_string (self->settings, "database-path");
  return path[0] != '\0' ? g_steal_pointer (&path) : NULL;
}

static void
esa_application_activate (GApplication *app)
{
  EsaApplication *self = ESA_APPLICATION (app);
  gboolean created;
  EsaWindow *window = get_window (self, &created);

  if (created)
    {
      g_autofree char *path = remembered_database (self);

      esa_window_open_database (window, path, FALSE);
    }

  gtk_window_present (GTK_WINDOW (window));
}

static gint
esa_application_handle_local_options (GApplication *app,
                                      GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("esattore %s\n", PACKAGE_VERSION);
      return 0;
    }

  /* A screenshot must come from this process, with a window of its own,
   * even when the workbench is already running. */
  if (g_variant_dict_contains (options, "screenshot"))
    g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);

  return -1;
}

static int
esa_application_command_line (GApplication            *app,
                              GApplicationCommandLine *cmdline)
{
  EsaApplication *self = ESA_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (cmdline);
  const char *db = NULL;
  const char *screenshot = NULL;
  const char *dossier = NULL;
  const char *search = NULL;
  const char *section = NULL;
  const char *size = NULL;
  const char *run_action = NULL;
  const char *document = NULL;
  g_auto(GStrv) run_action_parts = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *screenshot_path = NULL;
  int width = 0;
  int height = 0;
  gboolean created;
  EsaWindow *window;

  g_variant_dict_lookup (options, "db", "^&ay", &db);
  g_variant_dict_lookup (options, "screenshot", "^&ay", &screenshot);
  g_variant_dict_lookup (options, "open-dossier", "&s", &dossier);
  g_variant_dict_lookup (options, "search", "&s", &search);
  g_variant_dict_lookup (options, "section", "&s", &section);
  g_variant_dict_lookup (options, "window-size", "&s", &size);
  g_variant_dict_lookup (options, "run-action", "&s", &run_action);
  g_variant_dict_lookup (options, "open-document", "^&ay", &document);

  if (size != NULL && !parse_window_size (size, &width, &height))
    {
      g_application_command_line_printerr (cmdline,
                                           _("esattore: --window-size wants WIDTHxHEIGHT between "
                                             "100 and 10000, such as 800x600, not “%s”\n"),
                                           size);
      return 2;
    }

  if (run_action != NULL)
    {
      run_action_parts = g_strsplit (run_action, ":", 2);
      if (g_strv_length (run_action_parts) != 2 || run_action_parts[0][0] == '\0' ||
          run_action_parts[1][0] == '\0')
        {
          g_application_command_line_printerr (cmdline,
                                               _("esattore: --run-action wants a case id and "
                                                 "an action, such as CASE_ID:serve, not "
                                                 "“%s”\n"),
                                               run_action);
          return 2;
        }
    }

  if (db != NULL)
    {
      g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (cmdline, db);

      db_path = g_file_get_path (file);
    }
  if (screenshot != NULL)
    {
      g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (cmdline,
                                                                              screenshot);

      screenshot_path = g_file_get_path (file);
    }

  if (g_variant_dict_contains (options, "dark"))
    {
      g_simple_action_set_state (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self),
                                                                              "color-scheme")),
                                 g_variant_new_string ("dark"));
      apply_color_scheme (self, "dark");
    }

  if (screenshot_path != NULL)
    {
      /* Screenshots show the final state of every widget, not a frame of an
       * animation on its way there. */
      g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
    }

  window = get_window (self, &created);

  if (width > 0)
    esa_window_set_fixed_size (window, width, height);
  else if (screenshot_path != NULL)
    esa_window_set_fixed_size (window, 1280, 800);

  if (db_path != NULL)
    esa_window_open_database (window, db_path, FALSE);
  else if (created)
    {
      g_autofree char *path = remembered_database (self);

      esa_window_open_database (window, path, FALSE);
    }

  if (search != NULL)
    esa_window_search (window, search);

  if (dossier != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!esa_window_open_dossier (window, dossier, &error))
        {
          g_application_command_line_printerr (cmdline, "esattore: %s\n", error->message);
          if (screenshot_path != NULL)
            {
              if (created)
                gtk_window_destroy (GTK_WINDOW (window));
              return 1;
            }
        }
    }

  if (section != NULL && !esa_window_show_section (window, section))
    {
      g_application_command_line_printerr (cmdline,
                                           _("esattore: --section: there is no section “%s”\n"),
                                           section);
      if (screenshot_path != NULL)
        {
          if (created)
            gtk_window_destroy (GTK_WINDOW (window));
          return 2;
        }
    }

  if (run_action_parts != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!esa_window_run_action (window, run_action_parts[0], run_action_parts[1], &error))
        {
          g_application_command_line_printerr (cmdline, "esattore: %s\n", error->message);
          if (screenshot_path != NULL)
            {
              if (created)
                gtk_window_destroy (GTK_WINDOW (window));
              return 1;
            }
        }
    }

  if (document != NULL)
    {
      g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (cmdline, document);
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;

      /* A file named relative to where the command ran, else a document id. */
      if (path != NULL && g_file_test (path, G_FILE_TEST_EXISTS))
        document = path;

      if (!esa_window_open_document (window, document, &error))
        {
          g_application_command_line_printerr (cmdline, "esattore: %s\n", error->message);
          if (screenshot_path != NULL)
            {
              if (created)
                gtk_window_destroy (GTK_WINDOW (window));
              return 1;
            }
        }
    }

  if (created && g_strcmp0 (g_getenv ("ESATTORE_TIMING"), "1") == 0)
    g_signal_connect (window, "map", G_CALLBACK (on_window_map), self);

  if (screenshot_path != NULL)
    {
      g_application_hold (app);
      esa_screenshot_when_settled (window, screenshot_path, SCREENSHOT_TIMEOUT_MS,
                                   on_screenshot_done, self);
    }

  gtk_window_present (GTK_WINDOW (window));
  return 0;
}

static void
esa_application_startup (GApplication *app)
{
  EsaApplication *self = ESA_APPLICATION (app);
  static const char *quit_accels[] = { "<Primary>q", NULL };
  static const char *help_accels[] = { "F1", NULL };
  static const char *shortcuts_accels[] = { "<Primary>question", "<Primary>slash", NULL };
  static const char *no_accels[] = { NULL };
  g_autofree char *scheme = NULL;

  G_APPLICATION_CLASS (esa_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions),
                                   app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.help", help_accels);
  /* GTK gives these keys to win.show-help-overlay; app.shortcuts shows the
   * same window and is the one the menu names. */
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay",
                                         no_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.shortcuts",
                                         shortcuts_accels);

  if (self->settings != NULL)
    {
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (app), "color-scheme");

      scheme = g_settings_get_string (self->settings, "color-scheme");
      g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_string (scheme));
      apply_color_scheme (self, scheme);
      g_signal_connect_object (self->settings, "changed::color-scheme",
                               G_CALLBACK (on_settings_color_scheme_changed), self, 0);
    }
}

static void
esa_application_dispose (GObject *object)
{
  EsaApplication *self = ESA_APPLICATION (object);

  if (self->first_paint_clock != NULL)
    g_clear_signal_handler (&self->first_paint_handler, self->first_paint_clock);
  g_clear_object (&self->first_paint_clock);
  g_clear_object (&self->settings);
  g_clear_object (&self->catalog);

  G_OBJECT_CLASS (esa_application_parent_class)->dispose (object);
}

static void
esa_application_class_init (EsaApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = esa_application_dispose;
  app_class->startup = esa_application_startup;
  app_class->activate = esa_application_activate;
  app_class->handle_local_options = esa_application_handle_local_options;
  app_class->command_line = esa_application_command_line;
}

static void
esa_application_init (EsaApplication *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  /* Without the installed schema (an uninstalled build, the tests) the
   * application runs on the defaults rather than aborting in GSettings. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, ESA_SETTINGS_SCHEMA_ID, TRUE);
  if (schema != NULL)
    self->settings = g_settings_new_full (schema, NULL, NULL);

  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), NULL);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Esattore, the workbench for the collection "
                                              "of public debts."));
}

/* ---- public API --------------------------------------------------------- */

EsaApplication *
esa_application_new (gint64 start_time)
{
  EsaApplication *self;

  self = g_object_new (ESA_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/org/esattore/Esattore",
                       NULL);
  self->start_time = start_time;
  return self;
}

GSettings *
esa_application_get_settings (EsaApplication *self)
{
  g_return_val_if_fail (ESA_IS_APPLICATION (self), NULL);
  return self->settings;
}

EsaProcedureCatalog *
esa_application_get_catalog (EsaApplication *self)
{
  g_return_val_if_fail (ESA_IS_APPLICATION (self), NULL);

  if (self->catalog == NULL)
    {
      GPtrArray *problems;

      self->catalog = esa_procedure_catalog_load ();

      /* The window says it too; this is for whoever reads the log. */
      problems = esa_procedure_catalog_get_problems (self->catalog);
      for (guint i = 0; i < problems->len; i++)
        {
          const EsaProcedureProblem *problem = g_ptr_array_index (problems, i);

          g_printerr (_("esattore: a procedure is unavailable: %s\n"), problem->message);
        }
    }

  return self->catalog;
}

int
esa_application_get_exit_status (EsaApplication *self)
{
  g_return_val_if_fail (ESA_IS_APPLICATION (self), 1);
  return self->exit_status;
}
