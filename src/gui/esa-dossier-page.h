#pragma once

#include <gtk/gtk.h>

#include "esa-store.h"

G_BEGIN_DECLS

#define ESA_TYPE_DOSSIER_PAGE (esa_dossier_page_get_type ())
G_DECLARE_FINAL_TYPE (EsaDossierPage, esa_dossier_page, ESA, DOSSIER_PAGE, GtkWidget)

/**
 * esa_dossier_page_new:
 * @store: the store to read from
 * @debtor_id: the debtor to show
 *
 * Loads the dossier at once; when that fails the page shows the error in
 * place of the dossier.
 *
 * Returns: (transfer full): a new #EsaDossierPage
 */
GtkWidget  *esa_dossier_page_new           (EsaStore       *store,
                                            const char     *debtor_id);
const char *esa_dossier_page_get_debtor_id (EsaDossierPage *self);
/* The "title" property: the debtor's display name once loaded, for the tab. */
const char *esa_dossier_page_get_title     (EsaDossierPage *self);

G_END_DECLS
