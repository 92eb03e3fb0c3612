#pragma once

#include <gtk/gtk.h>

#include "esa-window.h"

G_BEGIN_DECLS

/* Renders the window into a PNG once it has settled (no database loading,
 * no search or dossier on its way) and has painted a frame in that state.
 * Gives up after @timeout_ms. The callback gets NULL on success. */
typedef void (*EsaScreenshotDone) (EsaWindow    *window,
                                   const GError *error,
                                   gpointer      user_data);

void esa_screenshot_when_settled (EsaWindow         *window,
                                  const char        *png_path,
                                  guint              timeout_ms,
                                  EsaScreenshotDone  done,
                                  gpointer           user_data);

/* Renders what @widget shows now into @png_path. */
gboolean esa_screenshot_save     (GtkWidget         *widget,
                                  const char        *png_path,
                                  GError           **error);

G_END_DECLS
