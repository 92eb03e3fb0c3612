/* The Reports and Payments sections in-process with real widgets: the
 * reports page shows the store's totals for a period, the unmatched queue
 * lists an unmatched payment that assigning then removes, and a flow file
 * imported from the page (on a worker thread) fills the queue.
 *
 * With ESATTORE_TEST_SHOTS set to a folder, the pages are also saved there
 * as PNG files, for people to look at. */

#include "esa-config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "esa-gui-test.h"
#include "esa-demo.h"
#include "esa-money.h"
#include "esa-payments-page-private.h"
#include "esa-procedure-catalog.h"
#include "esa-records.h"
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

/* Waits until the page's import has ended. */
static void
wait_for_import (EsaPaymentsPage *page)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (_esa_payments_page_is_importing (page) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (_esa_payments_page_is_importing (page));
}

/* Closes the message dialogs open; returns how many there were. */
static guint
close_message_dialogs (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  g_autoptr(GPtrArray) dialogs = g_ptr_array_new ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (item))
        g_ptr_array_add (dialogs, item);
    }
  for (guint i = 0; i < dialogs->len; i++)
    gtk_window_destroy (g_ptr_array_index (dialogs, i));
  return dialogs->len;
}

/* Answers the message dialog open with @response, choosing item @selected
 * of its drop-down; FALSE when none is open. */
static gboolean
answer_message_dialog (const char *response,
                       guint       selected)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);
      GtkWidget *extra;

      if (!ADW_IS_MESSAGE_DIALOG (item))
        continue;
      extra = adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (item));
      if (GTK_IS_DROP_DOWN (extra))
        gtk_drop_down_set_selected (GTK_DROP_DOWN (extra), selected);
      esa_gui_test_save_shot (GTK_WIDGET (item), "payments-message.png");
      adw_message_dialog_response (ADW_MESSAGE_DIALOG (item), response);
      gtk_window_destroy (GTK_WINDOW (item));
      return TRUE;
    }
  return FALSE;
}

/* The Import Flow button's work: a real camt.054 sample imported into a
 * database file on a worker thread; its two payments name QR references no
 * position has, so they wait in the queue. The same file again changes
 * nothing; a file that is no flow is refused in a dialog. A bank's CSV
 * export is refused while no body has a saved column mapping, then read
 * with the mapping of the body the officer chooses. */
static void
test_import_flow (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaProcedureCatalog) catalog = esa_procedure_catalog_load ();
  g_autofree char *dir = g_dir_make_tmp ("esa-gui-import-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "import.db", NULL);
  g_autofree char *junk_path = g_build_filename (dir, "notes.xml", NULL);
  g_autofree char *csv_path = g_build_filename (dir, "bank.csv", NULL);
  g_autoptr(GFile) csv = NULL;
  g_autoptr(GPtrArray) bodies = NULL;
  const EsaBody *body;
  g_autofree char *sample_path = NULL;
  g_autoptr(EsaStore) file_store = NULL;
  g_autoptr(GFile) sample = NULL;
  g_autoptr(GFile) junk = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  EsaDemoOptions options;
  EsaPaymentsPage *page;
  GtkWidget *window;

  g_assert_no_error (error);
  sample_path = g_build_filename (g_test_get_dir (G_TEST_DIST), "..", "..", "shared", "standards",
                                  "iso20022", "samples",
                                  "200519_camt.054_P_CH2909000000250094239_1111091335_0_"
                                  "2020061900081727_v2019.xml", NULL);
  g_assert_true (g_file_test (sample_path, G_FILE_TEST_IS_REGULAR));
  sample = g_file_new_for_path (sample_path);
  g_assert_true (g_file_set_contents (junk_path, "<notes><note>call back</note></notes>", -1,
                                      &error));
  junk = g_file_new_for_path (junk_path);

  file_store = esa_store_open (path, &error);
  g_assert_no_error (error);
  esa_store_set_procedures (file_store, esa_procedure_catalog_get_procedures (catalog),
                            esa_procedure_catalog_get_parameters (catalog));
  esa_demo_options_init (&options);
  options.debtors = 60;
  options.seed = 5;
  options.today = "2026-11-20";
  g_assert_true (esa_demo_generate (file_store, &options, &error));
  g_assert_no_error (error);

  page = ESA_PAYMENTS_PAGE (esa_payments_page_new ());
  window = esa_gui_test_window_with (GTK_WIDGET (page), 1000, 700);
  esa_payments_page_set_store (page, file_store);
  esa_payments_page_reload (page);
  g_assert_cmpstr (_esa_payments_page_get_queue_state (page), ==, "empty");

  _esa_payments_page_import (page, sample);
  g_assert_true (_esa_payments_page_is_importing (page));
  wait_for_import (page);
  g_assert_cmpuint (close_message_dialogs (), ==, 0);
  ids = _esa_payments_page_get_queue_ids (page);
  g_assert_cmpuint (ids->len, ==, 2);
  g_assert_cmpstr (_esa_payments_page_get_queue_state (page), ==, "list");
  esa_gui_test_save_shot (window, "payments-imported.png");

  /* The same file again: recorded before, nothing changes. */
  _esa_payments_page_import (page, sample);
  wait_for_import (page);
  g_assert_cmpuint (close_message_dialogs (), ==, 0);
  g_clear_pointer (&ids, g_ptr_array_unref);
  ids = _esa_payments_page_get_queue_ids (page);
  g_assert_cmpuint (ids->len, ==, 2);

  /* XML that is no payment flow: a dialog says why. */
  _esa_payments_page_import (page, junk);
  wait_for_import (page);
  g_assert_cmpuint (close_message_dialogs (), ==, 1);
  g_clear_pointer (&ids, g_ptr_array_unref);
  ids = _esa_payments_page_get_queue_ids (page);
  g_assert_cmpuint (ids->len, ==, 2);

  /* A bank's CSV export: refused while no body has a column mapping. */
  g_assert_true (g_file_set_contents (csv_path,
                                      "Data;Importo;Avviso;Versante\n"
                                      "19/11/2026;12,34;NOREF-123;Pagatore Uno\n",
                                      -1, &error));
  csv = g_file_new_for_path (csv_path);
  _esa_payments_page_import (page, csv);
  wait_for_import (page);
  g_assert_cmpuint (close_message_dialogs (), ==, 1);

  /* With a mapping saved for a body, the officer chooses that body. */
  bodies = esa_store_list_bodies (file_store, &error);
  g_assert_no_error (error);
  body = g_ptr_array_index (bodies, 0);
  g_assert_true (esa_store_set_payment_mapping (file_store, body->id,
                                                "{ \"separator\": \";\", "
                                                "\"decimal_comma\": true, "
                                                "\"date_format\": \"DD/MM/YYYY\", "
                                                "\"currency\": \"EUR\", \"columns\": { "
                                                "\"paid_on\": \"Data\", "
                                                "\"amount\": \"Importo\", "
                                                "\"reference\": \"Avviso\", "
                                                "\"debtor_name\": \"Versante\" } }",
                                                &error));
  g_assert_no_error (error);
  _esa_payments_page_import (page, csv);
  wait_for_import (page);
  g_assert_true (answer_message_dialog ("import", 0));
  g_assert_true (_esa_payments_page_is_importing (page));
  wait_for_import (page);
  g_assert_cmpuint (close_message_dialogs (), ==, 0);
  g_clear_pointer (&ids, g_ptr_array_unref);
  ids = _esa_payments_page_get_queue_ids (page);
  g_assert_cmpuint (ids->len, ==, 3);

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&file_store);
  g_remove (junk_path);
  g_remove (csv_path);
  for (guint i = 0; i < 3; i++)
    {
      const char *suffixes[] = { "", "-wal", "-shm" };
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_remove (file);
    }
  g_rmdir (dir);
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
  g_test_add_func ("/payments-gui/import-flow", test_import_flow);

  status = g_test_run ();
  g_clear_object (&store);
  return status;
}
