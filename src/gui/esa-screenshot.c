#include "esa-config.h"

#include <glib/gi18n-lib.h>

#include "esa-screenshot.h"

/* How often the window is asked whether it has settled. */
#define POLL_INTERVAL_MS 25

typedef struct
{
  EsaWindow         *window;
  char              *png_path;
  EsaScreenshotDone  done;
  gpointer           user_data;
  gint64             deadline;
  guint              poll_source;
  gulong             paint_handler;
  GdkFrameClock     *frame_clock;
  /* Frames still to draw before rendering: a layout that changes with the
   * width (a flap that folds) settles a frame after the first one. */
  guint              frames_left;
} Shot;

static void
shot_free (Shot *shot)
{
  g_clear_handle_id (&shot->poll_source, g_source_remove);
  if (shot->frame_clock != NULL)
    g_clear_signal_handler (&shot->paint_handler, shot->frame_clock);
  g_clear_object (&shot->frame_clock);
  g_clear_object (&shot->window);
  g_free (shot->png_path);
  g_free (shot);
}

static void
shot_finish (Shot         *shot,
             const GError *error)
{
  shot->done (shot->window, error, shot->user_data);
  shot_free (shot);
}

/* Shown and laid out: a window mapped a moment ago may not have its size yet. */
static gboolean
is_ready (GtkWidget *window)
{
  return gtk_widget_get_mapped (window) && gtk_widget_get_width (window) > 0;
}

/* The dialogs and wizards open over @window, as a window manager would show
 * them: the toplevels transient for it that are (or are not yet) @ready. */
static GPtrArray *
list_dialogs (GtkWidget *window,
              gboolean   ready)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GPtrArray *dialogs = g_ptr_array_new ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (GTK_WIDGET (toplevel) != window &&
          gtk_window_get_transient_for (toplevel) == GTK_WINDOW (window) &&
          gtk_widget_get_visible (GTK_WIDGET (toplevel)) &&
          is_ready (GTK_WIDGET (toplevel)) == ready)
        g_ptr_array_add (dialogs, toplevel);
    }
  return dialogs;
}

/* Draws @dialog centred over the window, with a shadow. */
static void
snapshot_dialog (GtkSnapshot *snapshot,
                 GtkWidget   *dialog,
                 int          width,
                 int          height)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (dialog);
  int dialog_width = gtk_widget_get_width (dialog);
  int dialog_height = gtk_widget_get_height (dialog);
  GskRoundedRect outline;
  GdkRGBA shadow = { 0, 0, 0, 0.35 };
  float x = MAX (0, (width - dialog_width) / 2);
  float y = MAX (0, (height - dialog_height) / 2);

  if (dialog_width <= 0 || dialog_height <= 0)
    return;

  gsk_rounded_rect_init_from_rect (&outline,
                                   &GRAPHENE_RECT_INIT (x, y, dialog_width, dialog_height), 8);
  gtk_snapshot_append_outset_shadow (snapshot, &outline, &shadow, 0, 4, 1, 16);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), dialog_width, dialog_height);
  gtk_snapshot_restore (snapshot);
}

gboolean
esa_screenshot_save (GtkWidget   *widget,
                     const char  *png_path,
                     GError     **error)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GPtrArray) dialogs = NULL;
  GtkNative *native;
  GskRenderer *renderer;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  native = gtk_widget_get_native (widget);
  renderer = native != NULL ? gtk_native_get_renderer (native) : NULL;
  if (renderer == NULL || width <= 0 || height <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The window was not shown, so there is nothing to render"));
      return FALSE;
    }

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  dialogs = list_dialogs (widget, TRUE);
  for (guint i = 0; i < dialogs->len; i++)
    snapshot_dialog (snapshot, g_ptr_array_index (dialogs, i), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The window drew nothing"));
      return FALSE;
    }

  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, png_path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot write the image %s"),
                   png_path);
      return FALSE;
    }

  return TRUE;
}

static void
on_after_paint (GdkFrameClock *frame_clock,
                Shot          *shot)
{
  g_autoptr(GError) error = NULL;

  if (shot->frames_left > 0)
    {
      shot->frames_left--;
      gtk_widget_queue_draw (GTK_WIDGET (shot->window));
      return;
    }

  g_clear_signal_handler (&shot->paint_handler, shot->frame_clock);

  if (!esa_screenshot_save (GTK_WIDGET (shot->window), shot->png_path, &error))
    shot_finish (shot, error);
  else
    shot_finish (shot, NULL);
}

static gboolean
poll_cb (gpointer user_data)
{
  Shot *shot = user_data;

  if (g_get_monotonic_time () > shot->deadline)
    {
      g_autoptr(GError) error = NULL;

      shot->poll_source = 0;
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   _("The window did not settle in time for the screenshot"));
      shot_finish (shot, error);
      return G_SOURCE_REMOVE;
    }

  if (!gtk_widget_get_mapped (GTK_WIDGET (shot->window)) || esa_window_get_busy (shot->window))
    return G_SOURCE_CONTINUE;

  /* A wizard opened with the window is part of the picture. */
  {
    g_autoptr(GPtrArray) pending = list_dialogs (GTK_WIDGET (shot->window), FALSE);

    if (pending->len > 0)
      return G_SOURCE_CONTINUE;
  }

  /* Settled: draw one more frame in this state and render it after it was
   * painted, so that lazily built widgets (list rows) are in place. */
  shot->poll_source = 0;
  shot->frames_left = 2;
  shot->frame_clock = g_object_ref (gtk_widget_get_frame_clock (GTK_WIDGET (shot->window)));
  shot->paint_handler = g_signal_connect (shot->frame_clock, "after-paint",
                                          G_CALLBACK (on_after_paint), shot);
  gtk_widget_queue_draw (GTK_WIDGET (shot->window));
  return G_SOURCE_REMOVE;
}

void
esa_screenshot_when_settled (EsaWindow         *window,
                             const char        *png_path,
                             guint              timeout_ms,
                             EsaScreenshotDone  done,
                             gpointer           user_data)
{
  Shot *shot;

  g_return_if_fail (ESA_IS_WINDOW (window));
  g_return_if_fail (png_path != NULL);
  g_return_if_fail (done != NULL);

  shot = g_new0 (Shot, 1);
  shot->window = g_object_ref (window);
  shot->png_path = g_strdup (png_path);
  shot->done = done;
  shot->user_data = user_data;
  shot->deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  shot->poll_source = g_timeout_add (POLL_INTERVAL_MS, poll_cb, shot);
}
