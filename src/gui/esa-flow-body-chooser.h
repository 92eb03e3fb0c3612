/* esa-flow-body-chooser.h: which creditor body a bank's CSV export is for
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "esa-store.h"

G_BEGIN_DECLS

/* @body_id: the body chosen, NULL when the officer cancelled */
typedef void (*EsaFlowBodyChosen) (const char *body_id,
                                   gpointer    user_data);

/* Asks which creditor body the CSV file @file_name is for, offering the
 * bodies with a saved column mapping, and calls @callback once (@user_data
 * is freed with @destroy afterwards). Returns FALSE, showing nothing and
 * calling nothing, when no body has a mapping. */
gboolean esa_flow_body_chooser_run (GtkWindow         *parent,
                                    EsaStore          *store,
                                    const char        *file_name,
                                    EsaFlowBodyChosen  callback,
                                    gpointer           user_data,
                                    GDestroyNotify     destroy);

G_END_DECLS
