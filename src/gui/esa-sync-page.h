#pragma once

#include <adwaita.h>

#include "esa-store.h"

G_BEGIN_DECLS

/* The "Sync" section: where this database syncs to (or that it is a local
 * one), the state of the last sync, the operations waiting to be sent, and
 * the open conflicts with both sides of each, to be resolved. */

#define ESA_TYPE_SYNC_PAGE (esa_sync_page_get_type ())
G_DECLARE_FINAL_TYPE (EsaSyncPage, esa_sync_page, ESA, SYNC_PAGE, GtkWidget)

GtkWidget *esa_sync_page_new            (void);

/* (nullable): the store to show; everything is read again. */
void       esa_sync_page_set_store      (EsaSyncPage *self,
                                         EsaStore    *store);

/* Reads the counts and the conflicts again. */
void       esa_sync_page_reload         (EsaSyncPage *self);

/* What the sidebar row shows: pending operations and open conflicts as of
 * the last reload. */
gint64     esa_sync_page_get_pending    (EsaSyncPage *self);
gint64     esa_sync_page_get_conflicts  (EsaSyncPage *self);

/* (nullable): the few words the window's header shows ("Offline",
 * "Syncing 45 %", "2 conflicts", "3 to send", "Synced 17:14") and the
 * name of their icon; NULL for a database without a server. */
const char *esa_sync_page_get_status    (EsaSyncPage  *self,
                                         const char  **out_icon);

/* The open conflicts listed (for tests). */
guint      esa_sync_page_get_n_listed   (EsaSyncPage *self);

/* Resolves the @index-th listed conflict as its buttons do: keeping the
 * server's version, or (@apply_mine) applying this side's change again. */
gboolean   esa_sync_page_resolve        (EsaSyncPage *self,
                                         guint        index,
                                         gboolean     apply_mine,
                                         GError     **error);

G_END_DECLS
