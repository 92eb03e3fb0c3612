#pragma once

#include "esa-window.h"

G_BEGIN_DECLS

/* For the GUI tests: the widgets they drive and look at. */

GtkWidget  *_esa_window_get_search_entry (EsaWindow *self);
GtkWidget  *_esa_window_get_results_view (EsaWindow *self);
AdwTabView *_esa_window_get_tab_view     (EsaWindow *self);
/* "loading", "error" or "workbench" */
const char *_esa_window_get_state        (EsaWindow *self);
/* The description shown by the error state (markup). */
const char *_esa_window_get_error_text   (EsaWindow *self);
/* "sections", "results" or "no-results" */
const char *_esa_window_get_sidebar_state (EsaWindow *self);

/* The day dossiers opened from now on evaluate and date steps on, instead
 * of the current date. */
void        _esa_window_set_today        (EsaWindow   *self,
                                          const GDate *today);
/* (nullable): the text of the strip naming unavailable procedures, NULL
 * while it is not shown. */
const char *_esa_window_get_problems     (EsaWindow *self);

G_END_DECLS
