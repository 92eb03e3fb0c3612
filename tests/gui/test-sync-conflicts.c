/* The Conflicts view on a real conflict: the two-officer scenario
 * runs through the direct transport (test-sync-scenario.c), then officer
 * B's database is shown in the Sync page. The conflict is listed with when
 * it arose and whose change it was, both sides of each record side by side
 * with labels for people, and both resolutions.
 *
 * With ESATTORE_TEST_SHOTS set to a folder the page is saved there at
 * 1280×800, 800×600 and dark (prefixed with $LANGUAGE when set, e.g. for
 * LANG=it_IT.UTF-8 LANGUAGE=it). */

#include "esa-config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <locale.h>

#include "esa-gui-test.h"
#include "esa-parameters.h"
#include "esa-procedure.h"
#include "esa-store-sync.h"
#include "esa-sync-page.h"
#include "test-sync-scenario.h"

static char *
shot_name (const char *what)
{
  const char *language = g_getenv ("LANGUAGE");

  if (language != NULL && language[0] != '\0')
    return g_strdup_printf ("%s-sync-conflicts-%s.png", language, what);
  return g_strdup_printf ("sync-conflicts-%s.png", what);
}

static GtkScrolledWindow *
find_scroller (GtkWidget *widget)
{
  if (GTK_IS_SCROLLED_WINDOW (widget))
    return GTK_SCROLLED_WINDOW (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkScrolledWindow *found = find_scroller (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The page as it opens, then scrolled down to the comparison. */
static void
save_shots (GtkWidget  *window,
            GtkWidget  *page,
            const char *what)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (find_scroller (page));
  g_autofree char *top = shot_name (what);
  g_autofree char *detail_what = g_strconcat (what, "-detail", NULL);
  g_autofree char *detail = shot_name (detail_what);

  gtk_adjustment_set_value (adjustment, 0);
  esa_gui_test_save_shot (window, top);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment)
                                        - gtk_adjustment_get_page_size (adjustment));
  esa_gui_test_save_shot (window, detail);
}

/* Every label under @widget that shows @text. */
static gboolean
shows_text (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget)
      && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_text (child, text))
      return TRUE;
  return FALSE;
}

static void
test_two_officers_conflict (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *procedures_dir = esa_data_dir ("procedures");
  g_autoptr(EsaParameters) params = esa_parameters_load_default (&error);
  g_autoptr(GPtrArray) procedures = NULL;
  g_autoptr(EsaSyncTwoOfficers) two = NULL;
  g_autoptr(GPtrArray) open = NULL;
  EsaSyncConflict *conflict;
  EsaSyncPage *page;
  GtkWidget *window;

  g_assert_no_error (error);
  procedures = esa_procedure_load_dir (procedures_dir, params, &error);
  g_assert_no_error (error);
  two = esa_sync_test_two_officers (procedures, params);
  if (two == NULL)
    {
      g_test_skip ("the demo office has no case with an act to issue today");
      return;
    }
  open = esa_store_sync_list_conflicts (two->b, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (open->len, ==, 1);
  conflict = g_ptr_array_index (open, 0);

  /* B's database as a workstation has it after signing in once. */
  g_assert_true (esa_store_sync_state_set (two->b, ESA_SYNC_STATE_SERVER,
                                           "https://esattore.example.org:8443", &error));
  g_assert_true (esa_store_sync_state_set (two->b, ESA_SYNC_STATE_USER, "officer-b", &error));
  g_assert_no_error (error);

  page = ESA_SYNC_PAGE (esa_sync_page_new ());
  window = esa_gui_test_window_with (GTK_WIDGET (page), 1280, 800);
  esa_sync_page_set_store (page, two->b);
  esa_gui_test_settle (window, 300);

  g_assert_cmpint (esa_sync_page_get_conflicts (page), ==, 1);
  g_assert_cmpuint (esa_sync_page_get_n_listed (page), ==, 1);
  /* Who and why, and the records with labels for people, not columns. */
  g_assert_nonnull (conflict->user_name);
  g_assert_true (shows_text (GTK_WIDGET (page), conflict->user_name));
  g_assert_true (shows_text (GTK_WIDGET (page), conflict->message));
  g_assert_true (shows_text (GTK_WIDGET (page), _("Case")));
  g_assert_true (shows_text (GTK_WIDGET (page), _("State")));
  g_assert_false (shows_text (GTK_WIDGET (page), "to_state"));
  g_assert_true (shows_text (GTK_WIDGET (page), _("_Apply Mine Again"))
                 || shows_text (GTK_WIDGET (page), _("Apply Mine Again")));
  save_shots (window, GTK_WIDGET (page), "1280x800");

  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  esa_gui_test_settle (window, 300);
  save_shots (window, GTK_WIDGET (page), "800x600");

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  esa_gui_test_settle (window, 300);
  save_shots (window, GTK_WIDGET (page), "dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_DEFAULT);

  /* Keeping the server's version resolves it; the resolution waits to be
   * sent. */
  g_assert_true (esa_sync_page_resolve (page, 0, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (esa_sync_page_get_n_listed (page), ==, 0);
  g_assert_cmpint (esa_sync_page_get_pending (page), ==, 1);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("ESATTORE_LOCALEDIR");

  setlocale (LC_ALL, "");
  if (localedir != NULL && localedir[0] != '\0')
    bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  /* The page's template takes its strings from the default domain. */
  textdomain (GETTEXT_PACKAGE);
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/sync-gui/two-officers-conflict", test_two_officers_conflict);

  return g_test_run ();
}
