#pragma once

#include "esa-reports-page.h"
#include "esa-store-reports.h"

G_BEGIN_DECLS

/* For the GUI tests. */

/* (nullable) (transfer none): the report shown */
const EsaReport *_esa_reports_page_get_report       (EsaReportsPage *self);
/* The text of the totals shown above the table, one label a line. */
char            *_esa_reports_page_get_totals_text  (EsaReportsPage *self);
/* 0 by body, 1 by budget chapter, 2 by revenue type, 3 by month, 4 acts,
 * 5 ageing: the entries of the report drop-down. */
void             _esa_reports_page_select_view      (EsaReportsPage *self,
                                                     guint           view);
/* Rows of the table, totals rows included. */
guint            _esa_reports_page_get_n_table_rows (EsaReportsPage *self);
/* "report", "empty" or "error" */
const char      *_esa_reports_page_get_state        (EsaReportsPage *self);

G_END_DECLS
