#pragma once

#include <adwaita.h>

#include "esa-store.h"

G_BEGIN_DECLS

/* The team lead's dashboard: open, overdue and due-today items, the
 * collection rate, workload per officer and per week, cases and tickets
 * coming in against those closed per week (charts drawn with esa-chart),
 * and an export of the figures as CSV. */

#define ESA_TYPE_DASHBOARD_PAGE (esa_dashboard_page_get_type ())
G_DECLARE_FINAL_TYPE (EsaDashboardPage, esa_dashboard_page, ESA, DASHBOARD_PAGE, GtkWidget)

GtkWidget *esa_dashboard_page_new       (void);

/* (nullable): the store to work on; the figures are read again. */
void       esa_dashboard_page_set_store (EsaDashboardPage *self,
                                         EsaStore         *store);
void       esa_dashboard_page_reload    (EsaDashboardPage *self);

/* For the tests and screenshots: the day the figures count from (NULL:
 * today). */
void                _esa_dashboard_page_set_today (EsaDashboardPage *self,
                                                   const char       *today);

G_END_DECLS
