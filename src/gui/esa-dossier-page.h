#pragma once

#include <gtk/gtk.h>

#include "esa-next-steps.h"
#include "esa-procedure-catalog.h"
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
/**
 * esa_dossier_page_new_full:
 * @catalog: (nullable): the procedures loaded, to say why one is unavailable
 * @today: (nullable): the day next steps are evaluated on and dated; NULL:
 *   the current date
 *
 * Like esa_dossier_page_new(), with what the Next steps panel needs.
 */
GtkWidget  *esa_dossier_page_new_full      (EsaStore            *store,
                                            const char          *debtor_id,
                                            EsaProcedureCatalog *catalog,
                                            const GDate         *today);
const char *esa_dossier_page_get_debtor_id (EsaDossierPage *self);
/* The "title" property: the debtor's display name once loaded, for the tab. */
const char *esa_dossier_page_get_title     (EsaDossierPage *self);

/* Reads the dossier again from the store (after a step, another acting user). */
void          esa_dossier_page_reload         (EsaDossierPage *self);
/* The Next steps panel shown at the page's current width. */
EsaNextSteps *esa_dossier_page_get_next_steps (EsaDossierPage *self);
/**
 * esa_dossier_page_run_action:
 * Opens the wizard of @action_id on the debtor's case @case_id; after it
 * ran, the dossier is reloaded and a toast offers to undo the step.
 * Returns FALSE with @error for an unknown case or action, or a case whose
 * procedure is not loaded.
 */
gboolean      esa_dossier_page_run_action     (EsaDossierPage *self,
                                               const char     *case_id,
                                               const char     *action_id,
                                               GError        **error);

G_END_DECLS
