/* The Reports and Payments sections in-process with real widgets: the
 * reports page shows the store's totals for a period, and the unmatched
 * queue lists an unmatched payment that assigning then removes.
 *
 * With ESATTORE_TEST_SHOTS set to a folder, the pages are also saved there
 * as PNG files, for people to look at. */

#include "esa-config.h"

#include <adwaita.h>
#include <sqlite3.h>

#include "esa-gui-test.h"
#include "esa-money.h"
#include "esa-payments-page-private.h"
#include "esa-reports-page-private.h"
#include "esa-store-payments.h"
#include "esa-store-private.h"
#include "esa-store-reports.h"

#define FROM "2026-01-01"
#define TO   "2026-06-30"

static EsaStore *store;

static void
test_reports_totals (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaReport) expected = NULL;
  g_autofree char *shown = NULL;
  EsaReportsPage *page = ESA_REPORTS_PAGE (esa_reports_page_new ());
  GtkWidget *window = esa_gui_test_window_with (GTK_WIDGET (page), 1000, 700);
  const EsaReport *report;
  gint amount;

  esa_reports_page_set_store (page, store);
  esa_reports_page_set_period (page, FROM, TO);
  g_assert_cmpstr (_esa_reports_page_get_state (page), ==, "report");

  /* What the store says, asked here on its own. */
  expected = esa_store_report_collections (store, FROM, TO, ESA_REPORT_BY_BODY, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (expected->totals->len, ==, 2);
  amount = esa_report_find_column (expected, "amount");

  shown = _esa_reports_page_get_totals_text (page);
  for (guint i = 0; i < expected->totals->len; i++)
    {
      const EsaReportRow *total = g_ptr_array_index (expected->totals, i);
      g_autofree char *text = esa_money_format (total->values[amount],
                                                total->texts[expected->currency_column]);

      g_test_message ("total %s in:\n%s", text, shown);
      g_assert_nonnull (strstr (shown, text));
    }

  report = _esa_reports_page_get_report (page);
  g_assert_nonnull (report);
  g_assert_cmpuint (_esa_reports_page_get_n_table_rows (page), ==,
                    report->rows->len + report->totals->len);
  esa_gui_test_save_shot (window, "reports-collections.png");

  /* The other reports show too. */
  _esa_reports_page_select_view (page, 4);
  g_assert_cmpstr (_esa_reports_page_get_state (page), ==, "report");
  g_assert_cmpint (_esa_reports_page_get_report (page)->kind, ==, ESA_REPORT_ACTS);
  _esa_reports_page_select_view (page, 5);
  g_assert_cmpint (_esa_reports_page_get_report (page)->kind, ==, ESA_REPORT_AGEING);
  esa_gui_test_save_shot (window, "reports-ageing.png");

  /* A period without payments has its empty state. */
  _esa_reports_page_select_view (page, 0);
  esa_reports_page_set_period (page, "1990-01-01", "1990-12-31");
  g_assert_cmpstr (_esa_reports_page_get_state (page), ==, "empty");
  esa_gui_test_save_shot (window, "reports-empty.png");

  /* A period that ends before it starts says why. */
  esa_reports_page_set_period (page, TO, FROM);
  g_assert_cmpstr (_esa_reports_page_get_state (page), ==, "error");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_unmatched_assign (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) candidates = NULL;
  g_autofree char *position_id = NULL;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  EsaPaymentsPage *page;
  GtkWidget *window;
  const EsaPaymentCandidate *best;

  /* An officer at work. */
  users = esa_store_list_users (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < users->len; i++)
    {
      const EsaUser *user = g_ptr_array_index (users, i);

      if (user->role == ESA_ROLE_OFFICER)
        {
          esa_store_set_acting_user (store, user->id);
          break;
        }
    }

  /* A payment for an open position whose reference the bank garbled: the
   * payer's tax id and the exact balance point to the position. */
  g_assert_cmpint (sqlite3_prepare_v2 (_esa_store_get_db (store),
                                       "SELECT p.id FROM positions p "
                                       "  JOIN debtors d ON d.id = p.debtor_id "
                                       "WHERE p.state = 'open' AND p.currency = 'EUR' "
                                       "  AND d.tax_id IS NOT NULL "
                                       "  AND p.principal + p.sanctions + p.interest + p.costs "
                                       "      - p.paid > 0 "
                                       "ORDER BY p.id LIMIT 1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  position_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sql = g_strdup_printf ("INSERT INTO payments (id, body_id, amount, currency, paid_on, "
                         "  reference, channel, state, debtor_name, debtor_tax_id, note) "
                         "SELECT 'gui-unmatched', p.body_id, "
                         "  p.principal + p.sanctions + p.interest + p.costs - p.paid, "
                         "  'EUR', '2026-11-10', 'GARBLED-REF', 'bank', 'unmatched', d.name, "
                         "  d.tax_id, 'The reference GARBLED-REF matches no position' "
                         "FROM positions p JOIN debtors d ON d.id = p.debtor_id "
                         "WHERE p.id = '%s'",
                         position_id);
  g_assert_cmpint (sqlite3_exec (_esa_store_get_db (store), sql, NULL, NULL, NULL), ==,
                   SQLITE_OK);

  candidates = esa_store_payment_candidates (store, "gui-unmatched", 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (candidates->len, >, 0);
  best = g_ptr_array_index (candidates, 0);
  g_assert_cmpstr (best->position_id, ==, position_id);

  page = ESA_PAYMENTS_PAGE (esa_payments_page_new ());
  window = esa_gui_test_window_with (GTK_WIDGET (page), 1000, 700);
  esa_payments_page_set_store (page, store);
  esa_payments_page_reload (page);

  ids = _esa_payments_page_get_queue_ids (page);
  g_assert_true (g_ptr_array_find_with_equal_func (ids, "gui-unmatched", g_str_equal, NULL));
  g_assert_cmpstr (_esa_payments_page_get_queue_state (page), ==, "list");
  g_assert_nonnull (_esa_payments_page_expand (page, "gui-unmatched"));
  esa_gui_test_save_shot (window, "payments-queue.png");

  /* Assign it as an officer would: open the row, press Assign. */
  g_assert_true (_esa_payments_page_assign (page, "gui-unmatched", position_id));
  g_clear_pointer (&ids, g_ptr_array_unref);
  ids = _esa_payments_page_get_queue_ids (page);
  g_assert_false (g_ptr_array_find_with_equal_func (ids, "gui-unmatched", g_str_equal, NULL));
  g_assert_cmpstr (_esa_payments_page_get_queue_state (page), ==, "empty");

  g_clear_pointer (&sql, g_free);
  g_assert_cmpint (sqlite3_prepare_v2 (_esa_store_get_db (store),
                                       "SELECT state, position_id FROM payments "
                                       "WHERE id = 'gui-unmatched'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "applied");
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, position_id);
  sqlite3_finalize (stmt);

  _esa_payments_page_show (page, "proposals");
  esa_gui_test_save_shot (window, "payments-proposals.png");

  gtk_window_destroy (GTK_WINDOW (window));
  esa_store_set_acting_user (store, NULL);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();
  /* The window adds the application's icons to the theme; these pages are
   * shown here without it. */
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    "/org/esattore/Esattore/icons");

  store = esa_gui_test_demo_store (400, 11, "2026-11-20", FALSE);

  g_test_add_func ("/reports-gui/totals", test_reports_totals);
  g_test_add_func ("/payments-gui/unmatched-assign", test_unmatched_assign);

  status = g_test_run ();
  g_clear_object (&store);
  return status;
}
