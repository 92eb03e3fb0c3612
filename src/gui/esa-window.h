#pragma once

#include <adwaita.h>

#include "esa-store.h"

G_BEGIN_DECLS

#define ESA_TYPE_WINDOW (esa_window_get_type ())
G_DECLARE_FINAL_TYPE (EsaWindow, esa_window, ESA, WINDOW, AdwApplicationWindow)

/* @application: (nullable): the application; without one (tests) nothing is
 * remembered in GSettings. */
EsaWindow *esa_window_new              (GtkApplication *application);

/**
 * esa_window_open_database:
 * @path: (nullable): the database file, or NULL for the demo database, which
 *   is generated in a worker thread on first use while the window shows its
 *   progress
 * @remember: whether to open this database again at the next start
 *
 * Replaces the open database (and closes its dossiers). A file that cannot
 * be opened leaves the window in its error state, which offers to open
 * another one.
 */
void       esa_window_open_database    (EsaWindow      *self,
                                        const char     *path,
                                        gboolean        remember);
/* (nullable): the open store, NULL while loading or after an error. */
EsaStore  *esa_window_get_store        (EsaWindow      *self);

/* Shows a section of the sidebar by its name ("search", "payments",
 * "reports" …); FALSE for an unknown name. */
gboolean   esa_window_show_section     (EsaWindow      *self,
                                        const char     *name);

/* Types @text into the search entry and searches at once. Before the
 * database is open, the search runs as soon as it is. */
void       esa_window_search           (EsaWindow      *self,
                                        const char     *text);

/**
 * esa_window_open_dossier:
 * Opens the debtor's dossier in a new tab, or selects its tab when it is
 * open already. Before the database is open, the dossier opens as soon as it
 * is. Returns FALSE with ESA_STORE_ERROR_NOT_FOUND for an unknown debtor.
 */
gboolean   esa_window_open_dossier     (EsaWindow      *self,
                                        const char     *debtor_id,
                                        GError        **error);

/**
 * esa_window_open_document:
 * @path_or_id: a file, or the id of a document of an open dossier
 *
 * Opens the document in the viewer, in a tab beside its dossier (a file:
 * beside the dossier in view). Before the database is open, that happens as
 * soon as it is. Returns FALSE with ESA_STORE_ERROR_NOT_FOUND when there is
 * no such file or document.
 */
gboolean   esa_window_open_document    (EsaWindow      *self,
                                        const char     *path_or_id,
                                        GError        **error);

/**
 * esa_window_run_action:
 * Opens the dossier of the case's debtor and the wizard of @action_id on the
 * case. Before the database is open, that happens as soon as it is. Returns
 * FALSE with @error for an unknown case or action.
 */
gboolean   esa_window_run_action       (EsaWindow      *self,
                                        const char     *case_id,
                                        const char     *action_id,
                                        GError        **error);

/* Shows the window at exactly this size and does not remember its size
 * (screenshots). */
void       esa_window_set_fixed_size   (EsaWindow      *self,
                                        int             width,
                                        int             height);

/* TRUE while the window is still getting to a state worth looking at: the
 * database loading, a search under way or pending, a dossier loading. */
gboolean   esa_window_get_busy         (EsaWindow      *self);

G_END_DECLS
