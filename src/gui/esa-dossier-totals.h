#pragma once

#include <gtk/gtk.h>

#include "esa-records.h"

G_BEGIN_DECLS

/* A card with what one debtor owes one creditor body in one currency: the
 * breakdown and, emphasised, the balance. */

#define ESA_TYPE_DOSSIER_TOTALS (esa_dossier_totals_get_type ())
G_DECLARE_FINAL_TYPE (EsaDossierTotals, esa_dossier_totals, ESA, DOSSIER_TOTALS, GtkWidget)

/* @totals: copied into the labels; need not outlive the card */
GtkWidget *esa_dossier_totals_new (const EsaTotals *totals);

G_END_DECLS
