/* esa-gui-test.c: what the GUI tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <adwaita.h>

#include "esa-demo.h"
#include "esa-gui-test.h"
#include "esa-procedure-catalog.h"
#include "esa-screenshot.h"

EsaStore *
esa_gui_test_demo_store (guint        debtors,
                         guint        seed,
                         const char  *today,
                         gboolean     with_procedures)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaStore) store = NULL;
  EsaDemoOptions options;

  store = esa_store_open_memory (&error);
  g_assert_no_error (error);
  if (with_procedures)
    {
      g_autoptr(EsaProcedureCatalog) catalog = esa_procedure_catalog_load ();

      esa_store_set_procedures (store, esa_procedure_catalog_get_procedures (catalog),
                                esa_procedure_catalog_get_parameters (catalog));
    }
  esa_demo_options_init (&options);
  options.debtors = debtors;
  options.seed = seed;
  options.today = today;
  g_assert_true (esa_demo_generate (store, &options, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&store);
}

static gboolean
keep_waking (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

void
esa_gui_test_settle (GtkWidget *window,
                     guint      ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) ms * 1000;
  guint waker = g_timeout_add (10, keep_waking, NULL);

  if (window != NULL)
    gtk_widget_queue_draw (window);
  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (waker);
}

void
esa_gui_test_save_shot (GtkWidget  *window,
                        const char *name)
{
  const char *dir = g_getenv ("ESATTORE_TEST_SHOTS");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (dir == NULL)
    return;
  path = g_build_filename (dir, name, NULL);
  esa_gui_test_settle (window, 300);
  if (!esa_screenshot_save (window, path, &error))
    g_test_message ("cannot save %s: %s", path, error->message);
}

GtkWidget *
esa_gui_test_window_with (GtkWidget *child,
                          int        width,
                          int        height)
{
  GtkWidget *window = adw_window_new ();
  GtkWidget *overlay = adw_toast_overlay_new ();

  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), child);
  adw_window_set_content (ADW_WINDOW (window), overlay);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  esa_gui_test_settle (window, 300);
  return window;
}
