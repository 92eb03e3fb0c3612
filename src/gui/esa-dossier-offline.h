#pragma once

#include <gtk/gtk.h>

#include "esa-store.h"

G_BEGIN_DECLS

/* The dossier's "Offline For" button: the field officers of the debtor's
 * office, each with a check box that takes the dossier offline for them
 * (esa_store_sync_assign()): at their next sync the whole dossier reaches
 * their laptop, and it goes away when the box is cleared. Shown only where
 * the database syncs with a server, the office has field officers and the
 * acting user may assign work. */

#define ESA_TYPE_DOSSIER_OFFLINE (esa_dossier_offline_get_type ())
G_DECLARE_FINAL_TYPE (EsaDossierOffline, esa_dossier_offline, ESA, DOSSIER_OFFLINE, GtkWidget)

GtkWidget *esa_dossier_offline_new (void);

/* (nullable) @store: the dossier of @debtor_id, of office @office_id. */
void       esa_dossier_offline_set (EsaDossierOffline *self,
                                    EsaStore          *store,
                                    const char        *debtor_id,
                                    const char        *office_id);

G_END_DECLS
