/* test-sync-payments.c: a payment flow imported on one workstation reaches
 * the server and the other workstations of the office (issue 6 on issue 5's
 * sync): the payments, their allocations, the positions' paid amounts and
 * states, and the cases closed. An import sends its payments in columnar
 * batches rather than one captured operation per payment
 * (esa-store-payments.c); these tests check that what arrives is the same.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <string.h>

#include "esa-core.h"
#include "esa-store-payments.h"
#include "esa-store-private.h"
#include "test-sync-scenario.h"

static GPtrArray *procedures;
static EsaParameters *params;

/* An open position of @store with an 18-digit notice number in an open
 * case (@alone: as the case's only position), not of @avoid (the two
 * officers' dossier), other than @other. */
typedef struct
{
  char   *id;
  char   *reference;
  char   *case_id;
  gint64  balance;
} Target;

static void
target_clear (Target *target)
{
  g_free (target->id);
  g_free (target->reference);
  g_free (target->case_id);
}

static gboolean
find_target (EsaStore    *store,
             const char  *avoid,
             const char  *other,
             gboolean     alone,
             Target      *out)
{
  sqlite3_stmt *stmt = NULL;
  gboolean found = FALSE;

  g_assert_cmpint (sqlite3_prepare_v2 (_esa_store_get_db (store),
                                       "SELECT p.id, p.payment_reference, c.id, "
                                       "  p.principal + p.sanctions + p.interest + p.costs "
                                       "  - p.paid "
                                       "FROM positions p "
                                       "  JOIN case_positions cp ON cp.position_id = p.id "
                                       "  JOIN cases c ON c.id = cp.case_id "
                                       "WHERE p.state = 'open' AND c.closed_on IS NULL "
                                       "  AND length (p.payment_reference) = 18 "
                                       "  AND p.principal > p.paid + 200 "
                                       "  AND p.debtor_id <> ?1 AND p.id <> ifnull (?2, '') "
                                       "  AND (?3 = 0 OR (SELECT count(*) FROM case_positions x "
                                       "                  WHERE x.case_id = c.id) = 1) "
                                       "ORDER BY p.id LIMIT 1",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, avoid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, other, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, alone);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      out->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      out->reference = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      out->case_id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      out->balance = sqlite3_column_int64 (stmt, 3);
      found = TRUE;
    }
  sqlite3_finalize (stmt);
  return found;
}

static void
add_item (EsaPaymentFlow *flow,
          const Target   *target,
          gint64          amount)
{
  EsaFlowItem *item = esa_payment_flow_add_item (flow);

  item->line = flow->items->len + 1;
  item->reference = g_strdup (target->reference);
  item->reference_kind = ESA_PAYMENT_REF_NOTICE;
  item->amount = amount;
  item->currency = g_strdup ("EUR");
  item->paid_on = g_strdup ("2026-11-10");
  item->collection_ref = g_strdup_printf ("CSV-%u", item->line);
}

static gint64
count_in (EsaStore   *store,
          const char *format,
          const char *value)
{
  g_autofree char *sql = g_strdup_printf (format, value);

  return esa_sync_test_count (store, sql);
}

static gint64
count_on_server (EsaSyncTwoOfficers *two,
                 const char         *format,
                 const char         *value)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (two->dir, "server.db", NULL);
  g_autoptr(EsaStore) server = esa_store_open (path, &error);

  g_assert_no_error (error);
  return count_in (server, format, value);
}

/* A pays one position in full (its case closes) and another in part, while
 * B, offline too, records a payment on that second position by hand. A
 * syncs, B syncs, A syncs: everywhere the same payments and allocations, the
 * first position paid and its case closed, and the second position's paid
 * amount is the sum of both payments (merged by difference). */
static void
test_flow_reaches_everyone (void)
{
  g_autoptr(EsaSyncTwoOfficers) two = esa_sync_test_two_officers (procedures, params);
  g_autoptr(EsaPaymentFlow) flow = esa_payment_flow_new (ESA_PAYMENT_FLOW_CSV);
  g_autoptr(EsaPaymentImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *payment_b = NULL;
  g_autofree char *debtor_b = NULL;
  EsaPaymentImportOptions options = { "flow.csv", "5ca1ab1e", NULL, params };
  EsaSyncReport sync = { 0 };
  EsaPayment manual = { 0 };
  Target full = { 0 };
  Target part = { 0 };
  EsaStore *stores[2];
  gint64 part_paid_before;

  if (two == NULL)
    {
      g_test_skip ("the demo office has no case with an act to issue today");
      return;
    }
  g_assert_true (find_target (two->a, two->debtor, NULL, TRUE, &full));
  g_assert_true (find_target (two->a, two->debtor, full.id, FALSE, &part));
  part_paid_before = count_in (two->a, "SELECT paid FROM positions WHERE id = '%s'", part.id);

  add_item (flow, &full, full.balance);
  add_item (flow, &part, 150);
  report = esa_store_import_payment_flow (two->a, flow, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->matched, ==, 2);
  g_assert_cmpuint (report->cases_closed, ==, 1);
  g_assert_cmpint (esa_sync_test_count (two->a, "SELECT count(*) FROM outbox WHERE entity = "
                                                "'payment_batch' AND acked_at IS NULL"), ==, 1);

  /* B's replica has the same position: both pulled the office. */
  {
    g_autofree char *sql = g_strdup_printf ("SELECT debtor_id FROM positions WHERE id = '%s'",
                                            part.id);
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (_esa_store_get_db (two->b), sql, -1, &stmt, NULL), ==,
                     SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    debtor_b = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
  }
  manual.debtor_id = debtor_b;
  manual.position_id = part.id;
  manual.amount = 70;
  manual.currency = (char *) "EUR";
  manual.paid_on = (char *) "2026-11-11";
  manual.channel = (char *) "cash";
  payment_b = esa_store_add_payment (two->b, &manual, &error);
  g_assert_no_error (error);

  g_assert_true (esa_sync_client_sync (two->client_b, &sync, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (esa_sync_client_sync (two->client_a, &sync, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sync.conflicts, ==, 0);
  g_assert_true (esa_sync_client_sync (two->client_b, &sync, NULL, &error));
  g_assert_no_error (error);

  stores[0] = two->a;
  stores[1] = two->b;
  for (guint i = 0; i < G_N_ELEMENTS (stores); i++)
    {
      g_assert_cmpint (esa_store_count_pending_ops (stores[i], NULL), ==, 0);
      g_assert_cmpint (count_in (stores[i], "SELECT count(*) FROM payments WHERE flow_id = '%s'",
                                 report->flow_id), ==, 2);
      g_assert_cmpint (count_in (stores[i], "SELECT count(*) FROM payment_allocations a "
                                            "JOIN payments p ON p.id = a.payment_id "
                                            "WHERE p.flow_id = '%s'", report->flow_id), ==, 2);
      g_assert_cmpint (count_in (stores[i], "SELECT count(*) FROM positions WHERE id = '%s' "
                                            "AND state = 'paid' AND paid = principal + "
                                            "sanctions + interest + costs", full.id), ==, 1);
      g_assert_cmpint (count_in (stores[i], "SELECT count(*) FROM cases WHERE id = '%s' "
                                            "AND state = 'paid' AND closed_on IS NOT NULL",
                                 full.case_id), ==, 1);
      g_assert_cmpint (count_in (stores[i], "SELECT paid FROM positions WHERE id = '%s'",
                                 part.id), ==, part_paid_before + 150 + 70);
      g_assert_cmpint (count_in (stores[i], "SELECT count(*) FROM payments WHERE id = '%s'",
                                 payment_b), ==, 1);
    }
  g_assert_cmpint (count_on_server (two, "SELECT paid FROM positions WHERE id = '%s'", part.id),
                   ==, part_paid_before + 150 + 70);
  g_assert_cmpint (count_on_server (two, "SELECT count(*) FROM payments WHERE flow_id = '%s'",
                                    report->flow_id), ==, 2);
  g_assert_cmpint (count_on_server (two, "SELECT count(*) FROM cases WHERE id = '%s' "
                                         "AND state = 'paid'", full.case_id), ==, 1);

  target_clear (&full);
  target_clear (&part);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;

  g_test_init (&argc, &argv, NULL);
  params = esa_parameters_load_default (&error);
  g_assert_no_error (error);
  dir = esa_data_dir ("procedures");
  procedures = esa_procedure_load_dir (dir, params, &error);
  g_assert_no_error (error);

  g_test_add_func ("/sync-payments/flow-reaches-everyone", test_flow_reaches_everyone);
  return g_test_run ();
}
