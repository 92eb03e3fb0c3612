/* esa-gui-test.h: what the GUI tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "esa-store.h"

G_BEGIN_DECLS

/* An in-memory store with the demo data of @debtors debtors (seed @seed,
 * "today" @today) and, when @with_procedures, the procedures loaded. */
EsaStore  *esa_gui_test_demo_store (guint        debtors,
                                    guint        seed,
                                    const char  *today,
                                    gboolean     with_procedures);

/* Lets the widgets lay out and paint for @ms milliseconds. */
void       esa_gui_test_settle     (GtkWidget   *window,
                                    guint        ms);

/* With ESATTORE_TEST_SHOTS=DIR, saves what @window shows as DIR/@name. */
void       esa_gui_test_save_shot  (GtkWidget   *window,
                                    const char  *name);

/* A presented window of @width × @height with @child under a toast overlay. */
GtkWidget *esa_gui_test_window_with (GtkWidget  *child,
                                     int         width,
                                     int         height);

G_END_DECLS
