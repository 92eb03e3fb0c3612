#pragma once

#include <adwaita.h>

#include "esa-store.h"

G_BEGIN_DECLS

/* The "Reports" section: collections by creditor body, budget chapter,
 * revenue type or month, the acts issued and their outcome, and the ageing
 * of open balances, for a period; a chart (esa-chart.h, the same drawing as
 * the PDF export), the totals per currency, the table, and Export… to CSV,
 * XLSX, ODS, PDF or XML. */

#define ESA_TYPE_REPORTS_PAGE (esa_reports_page_get_type ())
G_DECLARE_FINAL_TYPE (EsaReportsPage, esa_reports_page, ESA, REPORTS_PAGE, GtkWidget)

GtkWidget *esa_reports_page_new        (void);

/* (nullable): the store to report on; the report is made again. */
void       esa_reports_page_set_store  (EsaReportsPage *self,
                                        EsaStore       *store);

/**
 * esa_reports_page_set_period:
 * @from: "YYYY-MM-DD"
 * @to: "YYYY-MM-DD"
 *
 * Shows the report for this custom period.
 */
void       esa_reports_page_set_period (EsaReportsPage *self,
                                        const char     *from,
                                        const char     *to);

G_END_DECLS
