/* Reconciliation on a large database: 100,000 payments matched against
 * 1,000,000 positions.
 *
 * What is timed: two calls of esa_store_import_payment_flow(), a pagoPA
 * flow (about 65,000 payments, by IUV) and a camt.054 notification (about
 * 35,000, by QR reference), 100,000 payments in all, each call from start
 * to return: the check that the flow is new, matching every payment
 * (references, collection references), allocating it over its position's
 * components, writing the payments, allocations and positions' paid
 * amounts, one audit entry and one outbox operation per payment, closing
 * the cases paid in full through their procedure (a step, an outbox
 * command and an audit entry per case), recording the flow, and the
 * COMMIT, which writes every changed page to the write-ahead log. Copying
 * the log into the database file (the checkpoint) runs on the store's own
 * thread while the officer goes on (esa-store-checkpoint.c); the time from
 * the second import's return until that copy ends is printed apart. The flows are
 * built in memory beforehand: parsing the files is not timed (the
 * importers have their own tests), nor is opening, copying or topping up
 * the database.
 *
 * The database is the first argument or $ESATTORE_BENCH_DB; without either,
 * the demo database of bench-store ($ESATTORE_BENCH_DEBTORS debtors, default
 * 300000, about 1,000,000 positions) in this folder, generated once when
 * missing. That shared database is never changed: the work happens on a
 * copy beside it, topped up to 1,000,000 positions when it has fewer, and
 * removed at the end ($ESATTORE_BENCH_KEEP=1 keeps it).
 *
 * The payments: mostly paying open positions in full, some in part, some
 * more than owed, some paying positions already paid, and some with
 * references nobody issued. */

#include "esa-config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "esa-demo.h"
#include "esa-identifiers.h"
#include "esa-procedure.h"
#include "esa-store-payments.h"
#include "esa-store-private.h"
#include "esa-store-sync.h"
#include "esa-uuid.h"

#define SEED            7
#define PAYMENTS        100000
#define POSITIONS       1000000
#define LIMIT_MS        2000.0

static char *
bench_database (int       argc,
                char     *argv[],
                GError  **error)
{
  const char *env = g_getenv ("ESATTORE_BENCH_DB");
  const char *size = g_getenv ("ESATTORE_BENCH_DEBTORS");
  g_autofree char *path = NULL;
  g_autofree char *partial = NULL;
  g_autoptr(EsaStore) store = NULL;
  EsaDemoOptions options;
  guint64 debtors = 300000;

  if (argc > 1)
    env = argv[1];
  if (env != NULL && env[0] != '\0')
    {
      if (!g_file_test (env, G_FILE_TEST_IS_REGULAR))
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "%s is not a file", env);
          return NULL;
        }
      return g_strdup (env);
    }

  if (size != NULL && !g_ascii_string_to_unsigned (size, 10, 1, 10000000, &debtors, error))
    return NULL;

  /* The same file bench-store makes and uses. */
  path = g_strdup_printf ("bench-store-%" G_GUINT64_FORMAT ".db", debtors);
  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return g_canonicalize_filename (path, NULL);

  g_printerr ("generating a demo database of %" G_GUINT64_FORMAT " debtors in %s...\n", debtors,
              path);
  partial = g_strconcat (path, ".partial", NULL);
  g_remove (partial);
  store = esa_store_open (partial, error);
  if (store == NULL)
    return NULL;
  esa_demo_options_init (&options);
  options.debtors = (guint) debtors;
  options.seed = 1;
  if (!esa_demo_generate (store, &options, error))
    return NULL;
  g_clear_object (&store);
  if (g_rename (partial, path) != 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot rename %s", partial);
      return NULL;
    }
  return g_canonicalize_filename (path, NULL);
}

/* Waits until the kernel has written @path out: gigabytes of a fresh copy
 * still waiting to be written would be written during the timed import. */
static gboolean
sync_file (const char  *path,
           GError     **error)
{
  int fd = g_open (path, O_RDONLY, 0);
  gboolean ok;

  if (fd < 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno), "cannot open %s",
                   path);
      return FALSE;
    }
  ok = fsync (fd) == 0;
  if (!ok)
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno), "cannot sync %s", path);
  close (fd);
  return ok;
}

/* Copies the database (and its write-ahead log, if one is left) beside it. */
static char *
copy_database (const char  *source,
               GError     **error)
{
  g_autofree char *copy = g_strconcat (source, ".reconcile-work", NULL);
  const char *suffixes[] = { "", "-wal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *from_path = g_strconcat (source, suffixes[i], NULL);
      g_autofree char *to_path = g_strconcat (copy, suffixes[i], NULL);
      g_autoptr(GFile) from = g_file_new_for_path (from_path);
      g_autoptr(GFile) to = g_file_new_for_path (to_path);

      g_remove (to_path);
      if (i > 0 && !g_file_test (from_path, G_FILE_TEST_EXISTS))
        continue;
      if (!g_file_copy (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, error)
          || !sync_file (to_path, error))
        return NULL;
    }
  return g_steal_pointer (&copy);
}

static void
remove_database (const char *path)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_remove (file);
    }
}

static gint64
count (EsaStore   *store,
       const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  if (sqlite3_prepare_v2 (_esa_store_get_db (store), sql, -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

/* Adds positions (copies of existing Swiss ones with QR references of their
 * own, "99…") until there are @target. */
static gboolean
top_up_positions (EsaStore  *store,
                  gint64     target,
                  GError   **error)
{
  sqlite3 *db = _esa_store_get_db (store);
  gint64 missing = target - count (store, "SELECT count(*) FROM positions");
  sqlite3_stmt *select = NULL;
  sqlite3_stmt *insert = NULL;
  gint64 added = 0;

  if (missing <= 0)
    return TRUE;
  g_printerr ("adding %" G_GINT64_FORMAT " positions to reach %" G_GINT64_FORMAT "...\n", missing,
              target);

  /* Set-up, not an officer's work: nothing to send to the server. */
  if (!_esa_store_begin (store, error) || !esa_store_sync_set_capture (store, FALSE, error))
    return FALSE;
  sqlite3_prepare_v2 (db,
                      "SELECT debtor_id, body_id, revenue_type, year, reference, due_date, "
                      "  currency, principal, sanctions, interest, costs "
                      "FROM positions WHERE length(payment_reference) = 27 LIMIT ?1",
                      -1, &select, NULL);
  sqlite3_prepare_v2 (db,
                      "INSERT INTO positions (id, debtor_id, body_id, revenue_type, year, "
                      "  reference, payment_reference, due_date, currency, principal, "
                      "  sanctions, interest, costs) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6 || '-T', ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                      -1, &insert, NULL);
  sqlite3_bind_int64 (select, 1, missing);
  while (sqlite3_step (select) == SQLITE_ROW)
    {
      g_autofree char *id = esa_uuid_new ();
      g_autofree char *digits = g_strdup_printf ("99%024" G_GINT64_FORMAT, added);
      g_autofree char *reference = esa_qr_reference_compose (digits);

      sqlite3_bind_text (insert, 1, id, -1, SQLITE_TRANSIENT);
      for (int c = 0; c < 5; c++)
        sqlite3_bind_value (insert, 2 + c, sqlite3_column_value (select, c));
      sqlite3_bind_text (insert, 7, reference, -1, SQLITE_TRANSIENT);
      for (int c = 5; c < 11; c++)
        sqlite3_bind_value (insert, 3 + c, sqlite3_column_value (select, c));
      if (sqlite3_step (insert) != SQLITE_DONE)
        {
          _esa_store_set_sqlite_error (store, error, "top up");
          sqlite3_finalize (select);
          sqlite3_finalize (insert);
          _esa_store_rollback (store);
          return FALSE;
        }
      sqlite3_reset (insert);
      added++;
    }
  sqlite3_finalize (select);
  sqlite3_finalize (insert);
  return esa_store_sync_set_capture (store, TRUE, error) && _esa_store_commit (store, error);
}

typedef struct
{
  guint full;
  guint partial;
  guint over;
  guint twice;
  guint unmatched;
} Mix;

/* Random positions with a payment reference, each at most once, made
 * into payments of both flows. */
static gboolean
make_flows (EsaStore        *store,
            GRand           *rand,
            EsaPaymentFlow  *pagopa,
            EsaPaymentFlow  *camt,
            Mix             *mix,
            GError         **error)
{
  sqlite3 *db = _esa_store_get_db (store);
  g_autoptr(GHashTable) taken = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GArray) rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 max_rowid = count (store, "SELECT max(rowid) FROM positions");
  sqlite3_stmt *stmt = NULL;
  guint made = 0;

  if (sqlite3_prepare_v2 (db,
                          "SELECT payment_reference, currency, state, "
                          "  principal + sanctions + interest + costs - paid "
                          "FROM positions WHERE rowid = ?1 AND payment_reference IS NOT NULL "
                          "  AND state IN ('open', 'paid')",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      _esa_store_set_sqlite_error (store, error, "sampling");
      return FALSE;
    }

  while (made < PAYMENTS)
    {
      gint64 rowid = g_rand_int_range (rand, 1, (gint32) max_rowid + 1);
      gboolean paid_state;
      EsaPaymentFlow *flow;
      const char *reference;
      const char *currency;
      EsaFlowItem *item;
      gint64 balance;
      guint dice;

      /* One payment in twenty names a reference nobody issued. */
      dice = g_rand_int_range (rand, 0, 100);
      if (dice < 5)
        {
          g_autofree char *base = g_strdup_printf ("%013u", 9000000 + made);
          g_autofree char *notice = esa_pagopa_notice_compose (3, "77", base);

          item = esa_payment_flow_add_item (pagopa);
          item->reference = esa_pagopa_notice_iuv (notice);
          item->reference_kind = ESA_PAYMENT_REF_IUV;
          item->amount = 1000 + g_rand_int_range (rand, 0, 100000);
          item->currency = g_strdup ("EUR");
          item->paid_on = g_strdup ("2026-11-20");
          item->collection_ref = g_strdup_printf ("BENCH-%u", made);
          item->line = made + 1;
          mix->unmatched++;
          made++;
          continue;
        }

      if (!g_hash_table_insert (taken, g_memdup2 (&rowid, sizeof rowid), NULL))
        continue;
      sqlite3_bind_int64 (stmt, 1, rowid);
      if (sqlite3_step (stmt) != SQLITE_ROW)
        {
          sqlite3_reset (stmt);
          continue;
        }
      reference = (const char *) sqlite3_column_text (stmt, 0);
      currency = (const char *) sqlite3_column_text (stmt, 1);
      paid_state = g_str_equal ((const char *) sqlite3_column_text (stmt, 2), "paid");
      balance = sqlite3_column_int64 (stmt, 3);

      /* Paid positions are drawn as often as they occur: about one in four
       * of them gets a second payment, the rest are drawn again. */
      if (paid_state && g_rand_int_range (rand, 0, 4) != 0)
        {
          sqlite3_reset (stmt);
          continue;
        }

      flow = strlen (reference) == 18 ? pagopa : camt;
      item = esa_payment_flow_add_item (flow);
      if (flow == pagopa)
        {
          item->reference = esa_pagopa_notice_iuv (reference);
          item->reference_kind = ESA_PAYMENT_REF_IUV;
        }
      else
        {
          item->reference = g_strdup (reference);
          item->reference_kind = ESA_PAYMENT_REF_QRR;
        }
      item->currency = g_strdup (currency);
      item->paid_on = g_strdup ("2026-11-20");
      item->collection_ref = g_strdup_printf ("BENCH-%u", made);
      item->line = made + 1;

      if (paid_state || balance <= 0)
        {
          item->amount = 5000;
          mix->twice++;
        }
      else if (dice < 75)
        {
          item->amount = balance;
          mix->full++;
        }
      else if (dice < 92)
        {
          item->amount = MAX (1, balance / 2);
          mix->partial++;
        }
      else
        {
          item->amount = balance + 1000;
          mix->over++;
        }
      sqlite3_reset (stmt);
      made++;
    }
  sqlite3_finalize (stmt);
  return TRUE;
}

/* The floor the schema sets: as many rows as the imports wrote (payments,
 * allocations, positions' paid amounts), written by three set-based
 * statements over random positions and committed. No matching, no case
 * closed, no journal or outbox: what any import of these payments into
 * these tables costs at least. Returns the time in ms, or < 0. */
static double
measure_floor (EsaStore  *store,
               guint      payments,
               guint      allocations,
               guint      positions,
               GError   **error)
{
  sqlite3 *db = _esa_store_get_db (store);
  g_autofree char *sample = NULL;
  g_autofree char *writes = NULL;
  char *message = NULL;
  gint64 start;

  sample = g_strdup_printf ("CREATE TEMP TABLE floor_rows AS "
                            "  SELECT rowid AS r, id, debtor_id, body_id, currency, "
                            "    payment_reference FROM positions "
                            "  WHERE payment_reference IS NOT NULL "
                            "  ORDER BY random () LIMIT %u; "
                            "CREATE INDEX temp.floor_rows_r ON floor_rows (r);",
                            payments);
  writes = g_strdup_printf ("BEGIN IMMEDIATE; "
                            "INSERT INTO payments (id, debtor_id, position_id, body_id, amount, "
                            "  currency, paid_on, reference, channel, line, state, "
                            "  reference_kind, match_method, collection_ref) "
                            "  SELECT printf ('019a0000-0000-7000-8000-%%012d', r), debtor_id, "
                            "    id, body_id, 100, currency, '2026-11-20', payment_reference, "
                            "    'pagopa', r, 'applied', 'iuv', 'iuv', 'FLOOR-' || r "
                            "  FROM floor_rows ORDER BY r; "
                            "INSERT INTO payment_allocations (id, payment_id, position_id, "
                            "  principal, allocated_on) "
                            "  SELECT printf ('019a0000-0000-7000-9000-%%012d', r), "
                            "    printf ('019a0000-0000-7000-8000-%%012d', r), id, 100, "
                            "    '2026-11-20' "
                            "  FROM floor_rows ORDER BY r LIMIT %u; "
                            "UPDATE positions SET paid = paid + 100, version = version + 1 "
                            "  WHERE rowid IN (SELECT r FROM floor_rows ORDER BY r LIMIT %u); "
                            "COMMIT;",
                            allocations, positions);

  if (sqlite3_exec (db, sample, NULL, NULL, &message) != SQLITE_OK)
    goto failed;
  start = g_get_monotonic_time ();
  if (sqlite3_exec (db, writes, NULL, NULL, &message) != SQLITE_OK)
    goto failed;
  return (g_get_monotonic_time () - start) / 1000.0;

failed:
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "floor: %s", message);
  sqlite3_free (message);
  return -1;
}

/* The processor time this process used (user and system), in ms: on a
 * shared machine it shows the work apart from the waiting. */
static double
cpu_ms (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000.0
         + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000.0;
}

static gboolean
run_import (EsaStore                *store,
            EsaPaymentFlow          *flow,
            EsaParameters           *params,
            const char              *name,
            EsaPaymentImportReport **out_report,
            double                  *out_ms,
            double                  *out_cpu_ms,
            GError                 **error)
{
  g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, name, -1);
  EsaPaymentImportOptions options = { name, sha, NULL, params };
  gint64 start = g_get_monotonic_time ();
  double cpu_start = cpu_ms ();

  *out_report = esa_store_import_payment_flow (store, flow, &options, error);
  *out_ms = (g_get_monotonic_time () - start) / 1000.0;
  *out_cpu_ms = cpu_ms () - cpu_start;
  return *out_report != NULL;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *source = NULL;
  g_autofree char *work = NULL;
  g_autofree char *dir = esa_data_dir ("procedures");
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(EsaParameters) params = NULL;
  g_autoptr(GPtrArray) procedures = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (SEED);
  g_autoptr(EsaPaymentFlow) pagopa = esa_payment_flow_new (ESA_PAYMENT_FLOW_PAGOPA);
  g_autoptr(EsaPaymentFlow) camt = esa_payment_flow_new (ESA_PAYMENT_FLOW_CAMT054);
  g_autoptr(EsaPaymentImportReport) pagopa_report = NULL;
  g_autoptr(EsaPaymentImportReport) camt_report = NULL;
  Mix mix = { 0, };
  double pagopa_ms = 0, camt_ms = 0, total_ms;
  double pagopa_cpu = 0, camt_cpu = 0;
  double checkpoint_ms;
  double floor_ms;
  gint64 n_allocations, n_updates;
  guint checkpoints;
  gint64 positions;
  gint64 start;
  guint matched, unmatched, refunds, paid, closed;

  source = bench_database (argc, argv, &error);
  if (source == NULL)
    goto fail;
  g_printerr ("copying %s...\n", source);
  work = copy_database (source, &error);
  if (work == NULL)
    goto fail;

  start = g_get_monotonic_time ();
  store = esa_store_open (work, &error);
  if (store == NULL)
    goto fail;
  g_printerr ("opened and brought to schema %d in %.1f s\n", esa_store_get_schema_version (store),
              (g_get_monotonic_time () - start) / 1e6);
  if (!top_up_positions (store, POSITIONS, &error))
    goto fail;

  params = esa_parameters_load_default (&error);
  if (params == NULL)
    goto fail;
  procedures = esa_procedure_load_dir (dir, params, &error);
  if (procedures == NULL)
    goto fail;
  esa_store_set_procedures (store, procedures, params);

  pagopa->flow_key = g_strdup ("BENCH-PAGOPA-1");
  pagopa->flow_at = g_strdup ("2026-11-21T06:00:00Z");
  camt->flow_key = g_strdup ("BENCH-CAMT-1");
  camt->flow_at = g_strdup ("2026-11-21T06:00:00Z");
  if (!make_flows (store, rand, pagopa, camt, &mix, &error))
    goto fail;
  positions = count (store, "SELECT count(*) FROM positions");
  g_printerr ("importing %u payments...\n", pagopa->items->len + camt->items->len);

  if (!run_import (store, pagopa, params, "bench-pagopa.xml", &pagopa_report, &pagopa_ms,
                   &pagopa_cpu, &error)
      || !run_import (store, camt, params, "bench-camt054.xml", &camt_report, &camt_ms,
                      &camt_cpu, &error))
    goto fail;
  total_ms = pagopa_ms + camt_ms;
  start = g_get_monotonic_time ();
  checkpoints = _esa_store_wait_checkpoints (store);
  checkpoint_ms = (g_get_monotonic_time () - start) / 1000.0;

  matched = pagopa_report->matched + camt_report->matched;
  unmatched = pagopa_report->unmatched + camt_report->unmatched;
  refunds = pagopa_report->refunds + camt_report->refunds;
  paid = pagopa_report->positions_paid + camt_report->positions_paid;
  closed = pagopa_report->cases_closed + camt_report->cases_closed;

  g_print ("Reconciliation: %u payments against %" G_GINT64_FORMAT " positions\n",
           pagopa->items->len + camt->items->len, positions);
  g_print ("%-22s %10s %10s %10s\n", "", "pagoPA", "camt.054", "total");
  g_print ("%-22s %10u %10u %10u\n", "payments", pagopa->items->len, camt->items->len,
           pagopa->items->len + camt->items->len);
  g_print ("%-22s %10u %10u %10u\n", "matched", pagopa_report->matched, camt_report->matched,
           matched);
  g_print ("%-22s %10u %10u %10u\n", "unmatched", pagopa_report->unmatched,
           camt_report->unmatched, unmatched);
  g_print ("%-22s %10u %10u %10u\n", "refund candidates", pagopa_report->refunds,
           camt_report->refunds, refunds);
  g_print ("%-22s %10u %10u %10u\n", "positions paid", pagopa_report->positions_paid,
           camt_report->positions_paid, paid);
  g_print ("%-22s %10u %10u %10u\n", "cases closed", pagopa_report->cases_closed,
           camt_report->cases_closed, closed);
  g_print ("%-22s %10.0f %10.0f %10.0f\n", "time (ms)", pagopa_ms, camt_ms, total_ms);
  g_print ("%-22s %10.0f %10.0f %10.0f\n", "processor time (ms)", pagopa_cpu, camt_cpu,
           pagopa_cpu + camt_cpu);
  g_print ("%-22s %10.1f %10.1f %10.1f\n", "us per payment",
           pagopa_ms * 1000 / MAX (1, pagopa->items->len),
           camt_ms * 1000 / MAX (1, camt->items->len),
           total_ms * 1000 / (pagopa->items->len + camt->items->len));
  g_print ("the background checkpoints (%u) ended %.0f ms after the second import returned\n",
           checkpoints, checkpoint_ms);
  n_allocations = count (store, "SELECT count(*) FROM payment_allocations "
                                "WHERE payment_id IN (SELECT id FROM payments "
                                "  WHERE flow_id IN (SELECT id FROM payment_flows "
                                "    WHERE flow_key LIKE 'BENCH-%'))");
  n_updates = count (store, "SELECT count(DISTINCT position_id) FROM payment_allocations "
                           "WHERE payment_id IN (SELECT id FROM payments "
                           "  WHERE flow_id IN (SELECT id FROM payment_flows "
                           "    WHERE flow_key LIKE 'BENCH-%'))");
  floor_ms = measure_floor (store, PAYMENTS, (guint) n_allocations, (guint) n_updates, &error);
  if (floor_ms < 0)
    goto fail;
  g_print ("floor: %u payments, %" G_GINT64_FORMAT " allocations and %" G_GINT64_FORMAT
           " positions written by three set-based statements and committed: %.0f ms\n",
           PAYMENTS, n_allocations, n_updates, floor_ms);
  g_print ("mix: %u in full, %u in part, %u more than owed, %u on paid positions, "
           "%u unknown references\n", mix.full, mix.partial, mix.over, mix.twice, mix.unmatched);
  g_print ("%s: %.0f ms for %d payments (limit %.0f ms)\n",
           total_ms < LIMIT_MS ? "PASS" : "FAIL", total_ms, PAYMENTS, LIMIT_MS);

  g_clear_object (&store);
  if (g_strcmp0 (g_getenv ("ESATTORE_BENCH_KEEP"), "1") != 0)
    remove_database (work);
  return total_ms < LIMIT_MS ? 0 : 1;

fail:
  g_printerr ("bench-reconcile: %s\n", error->message);
  g_clear_object (&store);
  if (work != NULL)
    remove_database (work);
  return 1;
}
