/* test-reports.c: accounting reports against sums computed here with SQL of
 * their own, and instalment monitoring on crafted plans
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <sqlite3.h>
#include <string.h>

#include "esa-date.h"
#include "esa-demo.h"
#include "esa-parameters.h"
#include "esa-procedure.h"
#include "esa-store-instalments.h"
#include "esa-store-private.h"
#include "esa-store-reports.h"

#define N_DEBTORS 600
#define DEMO_TODAY "2026-11-20"
#define FROM "2025-07-01"
#define TO   "2026-06-30"

static EsaStore *shared_store;

static EsaStore *
demo_store (void)
{
  if (shared_store == NULL)
    {
      g_autoptr(GError) error = NULL;
      EsaDemoOptions options;

      shared_store = esa_store_open_memory (&error);
      g_assert_no_error (error);
      esa_demo_options_init (&options);
      options.debtors = N_DEBTORS;
      options.seed = 7;
      options.today = DEMO_TODAY;
      g_assert_true (esa_demo_generate (shared_store, &options, &error));
      g_assert_no_error (error);
    }
  return shared_store;
}

/* Runs @sql with ?1 and ?2 bound to @a and @b (when not NULL) and returns
 * its rows as "text|text|…" strings keyed by the first @n_keys columns, the
 * rest of the columns as a gint64 array. */
static GHashTable *
query_sums (EsaStore   *store,
            const char *sql,
            const char *a,
            const char *b,
            guint       n_keys)
{
  GHashTable *sums = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) g_array_unref);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_esa_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  if (a != NULL)
    sqlite3_bind_text (stmt, 1, a, -1, SQLITE_TRANSIENT);
  if (b != NULL)
    sqlite3_bind_text (stmt, 2, b, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      GString *key = g_string_new (NULL);
      GArray *values = g_array_new (FALSE, TRUE, sizeof (gint64));
      int n = sqlite3_column_count (stmt);

      for (guint k = 0; k < n_keys; k++)
        {
          const char *text = (const char *) sqlite3_column_text (stmt, (int) k);

          g_string_append_printf (key, "%s%s", k > 0 ? "|" : "", text != NULL ? text : "");
        }
      for (int c = (int) n_keys; c < n; c++)
        {
          gint64 value = sqlite3_column_int64 (stmt, c);

          g_array_append_val (values, value);
        }
      g_hash_table_insert (sums, g_string_free (key, FALSE), values);
    }
  sqlite3_finalize (stmt);
  return sums;
}

/* Sums the report's rows into "key|…|currency" → the values of @value_ids,
 * the key made of the text columns @key_ids. */
static GHashTable *
report_sums (const EsaReport    *report,
             const char * const *key_ids,
             const char * const *value_ids)
{
  GHashTable *sums = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) g_array_unref);

  for (guint r = 0; r < report->rows->len; r++)
    {
      const EsaReportRow *row = g_ptr_array_index (report->rows, r);
      GString *key = g_string_new (NULL);
      GArray *values;
      char *k;

      for (guint i = 0; key_ids[i] != NULL; i++)
        {
          gint column = esa_report_find_column (report, key_ids[i]);

          g_assert_cmpint (column, >=, 0);
          g_string_append_printf (key, "%s%s", i > 0 ? "|" : "", row->texts[column]);
        }
      k = g_string_free (key, FALSE);
      values = g_hash_table_lookup (sums, k);
      if (values == NULL)
        {
          values = g_array_new (FALSE, TRUE, sizeof (gint64));
          g_array_set_size (values, g_strv_length ((char **) value_ids));
          g_hash_table_insert (sums, k, values);
        }
      else
        g_free (k);
      for (guint v = 0; value_ids[v] != NULL; v++)
        {
          gint column = esa_report_find_column (report, value_ids[v]);

          g_assert_cmpint (column, >=, 0);
          g_array_index (values, gint64, v) += row->values[column];
        }
    }
  return sums;
}

static void
assert_same_sums (GHashTable *expected,
                  GHashTable *actual)
{
  GHashTableIter iter;
  gpointer key, value;

  g_assert_cmpuint (g_hash_table_size (expected), >, 0);
  g_assert_cmpuint (g_hash_table_size (actual), ==, g_hash_table_size (expected));
  g_hash_table_iter_init (&iter, expected);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GArray *want = value;
      GArray *got = g_hash_table_lookup (actual, key);

      if (got == NULL)
        g_error ("the report has no row for %s", (const char *) key);
      g_assert_cmpuint (got->len, ==, want->len);
      for (guint i = 0; i < want->len; i++)
        {
          if (g_array_index (got, gint64, i) != g_array_index (want, gint64, i))
            g_error ("%s, value %u: the report says %" G_GINT64_FORMAT ", SQL %" G_GINT64_FORMAT,
                     (const char *) key, i, g_array_index (got, gint64, i),
                     g_array_index (want, gint64, i));
        }
    }
}

/* The report's totals rows, as "currency" → values of @value_ids. */
static GHashTable *
report_totals (const EsaReport    *report,
               const char * const *value_ids)
{
  GHashTable *sums = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) g_array_unref);

  for (guint r = 0; r < report->totals->len; r++)
    {
      const EsaReportRow *row = g_ptr_array_index (report->totals, r);
      GArray *values = g_array_new (FALSE, TRUE, sizeof (gint64));

      for (guint v = 0; value_ids[v] != NULL; v++)
        {
          gint64 value = row->values[esa_report_find_column (report, value_ids[v])];

          g_array_append_val (values, value);
        }
      g_hash_table_insert (sums, g_strdup (row->texts[report->currency_column]), values);
    }
  return sums;
}

/* ---- collections -------------------------------------------------------- */

static void
test_collections_totals (void)
{
  static const char * const values[] = { "payments", "amount", NULL };
  static const char * const by_currency[] = { "currency", NULL };
  static const char * const by_body[] = { "body", "currency", NULL };
  static const char * const by_revenue[] = { "revenue_type", "currency", NULL };
  static const char * const by_month[] = { "period", "currency", NULL };
  static const char * const by_chapter[] = { "budget_chapter", "currency", NULL };
  EsaStore *store = demo_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaReport) report = NULL;
  g_autoptr(GHashTable) sql_totals = NULL;
  g_autoptr(GHashTable) sql_bodies = NULL;
  g_autoptr(GHashTable) sql_revenues = NULL;
  g_autoptr(GHashTable) sql_months = NULL;
  g_autoptr(GHashTable) sql_chapters = NULL;
  g_autoptr(GHashTable) got = NULL;
  gint64 charted = 0;

  report = esa_store_report_collections (store, FROM, TO, ESA_REPORT_BY_ALL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_cmpuint (report->rows->len, >, 10);

  sql_totals = query_sums (store,
                           "SELECT currency, count(*), sum (amount) FROM payments "
                           "WHERE paid_on >= ?1 AND paid_on <= ?2 "
                           "  AND state IN ('applied', 'unmatched', 'parked') GROUP BY currency",
                           FROM, TO, 1);
  /* Both currencies of the demo were paid in: totals must stay apart. */
  g_assert_cmpuint (g_hash_table_size (sql_totals), ==, 2);
  got = report_sums (report, by_currency, values);
  assert_same_sums (sql_totals, got);
  g_clear_pointer (&got, g_hash_table_unref);
  got = report_totals (report, values);
  assert_same_sums (sql_totals, got);
  g_clear_pointer (&got, g_hash_table_unref);

  /* By creditor body: the body of the payment, or of its position. */
  sql_bodies = query_sums (store,
                           "SELECT (SELECT name FROM bodies WHERE id = IFNULL (p.body_id, "
                           "          (SELECT body_id FROM positions WHERE id = p.position_id))), "
                           "  p.currency, count(*), sum (p.amount) "
                           "FROM payments p WHERE p.paid_on >= ?1 AND p.paid_on <= ?2 "
                           "  AND p.state IN ('applied', 'unmatched', 'parked') "
                           "GROUP BY 1, 2",
                           FROM, TO, 2);
  got = report_sums (report, by_body, values);
  assert_same_sums (sql_bodies, got);
  g_clear_pointer (&got, g_hash_table_unref);

  sql_revenues = query_sums (store,
                             "SELECT IFNULL ((SELECT revenue_type FROM positions "
                             "                WHERE id = p.position_id), ''), "
                             "  p.currency, count(*), sum (p.amount) "
                             "FROM payments p WHERE p.paid_on >= ?1 AND p.paid_on <= ?2 "
                             "  AND p.state IN ('applied', 'unmatched', 'parked') "
                             "GROUP BY 1, 2",
                             FROM, TO, 2);
  got = report_sums (report, by_revenue, values);
  assert_same_sums (sql_revenues, got);
  g_clear_pointer (&got, g_hash_table_unref);

  sql_chapters = query_sums (store,
                             "SELECT IFNULL ((SELECT l.budget_chapter FROM positions o "
                             "  JOIN load_lists l ON l.id = o.load_list_id "
                             "  WHERE o.id = p.position_id), ''), "
                             "  p.currency, count(*), sum (p.amount) "
                             "FROM payments p WHERE p.paid_on >= ?1 AND p.paid_on <= ?2 "
                             "  AND p.state IN ('applied', 'unmatched', 'parked') "
                             "GROUP BY 1, 2",
                             FROM, TO, 2);
  got = report_sums (report, by_chapter, values);
  assert_same_sums (sql_chapters, got);
  g_clear_pointer (&got, g_hash_table_unref);

  sql_months = query_sums (store,
                           "SELECT strftime ('%Y-%m', paid_on), currency, count(*), "
                           "  sum (amount) "
                           "FROM payments WHERE paid_on >= ?1 AND paid_on <= ?2 "
                           "  AND state IN ('applied', 'unmatched', 'parked') GROUP BY 1, 2",
                           FROM, TO, 2);
  got = report_sums (report, by_month, values);
  assert_same_sums (sql_months, got);
  g_clear_pointer (&got, g_hash_table_unref);

  /* The chart: twelve months, one series per currency, summing to the
   * totals. */
  g_assert_cmpuint (report->categories->len, ==, 12);
  g_assert_cmpstr (g_ptr_array_index (report->categories, 0), ==, "2025-07");
  g_assert_cmpuint (report->series->len, ==, 2);
  for (guint s = 0; s < report->series->len; s++)
    {
      const EsaReportSeries *series = g_ptr_array_index (report->series, s);
      const EsaReportRow *total = esa_report_get_total (report, series->unit);
      gint64 sum = 0;

      g_assert_nonnull (total);
      for (guint c = 0; c < series->values->len; c++)
        sum += g_array_index (series->values, gint64, c);
      g_assert_cmpint (sum, ==, total->values[esa_report_find_column (report, "amount")]);
      charted += sum;
    }
  g_assert_cmpint (charted, >, 0);
}

/* A breakdown by body alone has the same totals as the full one. */
static void
test_collections_groups (void)
{
  static const char * const values[] = { "payments", "amount", NULL };
  EsaStore *store = demo_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaReport) full = NULL;
  g_autoptr(EsaReport) bodies = NULL;
  g_autoptr(GHashTable) full_totals = NULL;
  g_autoptr(GHashTable) body_totals = NULL;

  full = esa_store_report_collections (store, FROM, TO, ESA_REPORT_BY_ALL, &error);
  g_assert_no_error (error);
  bodies = esa_store_report_collections (store, FROM, TO, ESA_REPORT_BY_BODY, &error);
  g_assert_no_error (error);
  g_assert_cmpint (esa_report_find_column (bodies, "period"), ==, -1);
  g_assert_cmpint (esa_report_find_column (bodies, "body"), ==, 0);
  g_assert_cmpuint (bodies->rows->len, ==, 4);
  g_assert_cmpuint (bodies->rows->len, <, full->rows->len);

  full_totals = report_totals (full, values);
  body_totals = report_totals (bodies, values);
  assert_same_sums (full_totals, body_totals);
}

static void
test_collections_invalid (void)
{
  EsaStore *store = demo_store ();
  g_autoptr(GError) error = NULL;
  EsaReport *report;

  report = esa_store_report_collections (store, TO, FROM, ESA_REPORT_BY_ALL, &error);
  g_assert_null (report);
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, FROM));
  g_clear_error (&error);

  report = esa_store_report_collections (store, "2026-02-30", TO, ESA_REPORT_BY_ALL, &error);
  g_assert_null (report);
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "2026-02-30"));
  g_clear_error (&error);

  report = esa_store_report_collections (store, FROM, TO, 0, &error);
  g_assert_null (report);
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
}

/* ---- acts --------------------------------------------------------------- */

static void
test_acts_totals (void)
{
  static const char * const values[] = {
    "issued", "amount", "delivered", "failed", "pending", "not_sent", "paid_after", NULL
  };
  static const char * const by_type[] = { "act_type", "currency", NULL };
  EsaStore *store = demo_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaReport) report = NULL;
  g_autoptr(GHashTable) sql = NULL;
  g_autoptr(GHashTable) got = NULL;
  g_autoptr(GHashTable) totals = NULL;
  GHashTableIter iter;
  gpointer value;

  report = esa_store_report_acts (store, FROM, TO, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);

  /* The latest attempt by ORDER BY … LIMIT 1 here, by max(attempt) in the
   * store; "paid after" by a join here, by EXISTS there. */
  sql = query_sums (store,
                    "SELECT a.type, b.currency, count(*), sum (a.amount), "
                    "  sum (last = 'delivered'), sum (last = 'failed'), "
                    "  sum (last IN ('pending', 'sent')), sum (last IS NULL), "
                    "  sum ((SELECT count(*) FROM payments p "
                    "          JOIN case_positions cp ON cp.position_id = p.position_id "
                    "          WHERE cp.case_id = a.case_id AND p.paid_on >= a.issued_on "
                    "            AND p.state = 'applied') > 0) "
                    "FROM (SELECT acts.*, (SELECT state FROM notifications n "
                    "        WHERE n.act_id = acts.id ORDER BY attempt DESC LIMIT 1) AS last "
                    "      FROM acts WHERE issued_on >= ?1 AND issued_on <= ?2) a "
                    "  JOIN cases c ON c.id = a.case_id JOIN bodies b ON b.id = c.body_id "
                    "GROUP BY 1, 2",
                    FROM, TO, 2);
  got = report_sums (report, by_type, values);
  assert_same_sums (sql, got);

  totals = report_totals (report, values);
  g_assert_cmpuint (g_hash_table_size (totals), ==, 2);
  g_hash_table_iter_init (&iter, totals);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      GArray *sums = value;

      /* Every act has exactly one outcome. */
      g_assert_cmpint (g_array_index (sums, gint64, 0), ==,
                       g_array_index (sums, gint64, 2) + g_array_index (sums, gint64, 3)
                       + g_array_index (sums, gint64, 4) + g_array_index (sums, gint64, 5));
    }
}

/* ---- ageing ------------------------------------------------------------- */

static void
test_ageing_totals (void)
{
  static const char * const bands[] = {
    "not_due", "days_0_90", "days_91_180", "days_181_365", "days_over_365", NULL
  };
  EsaStore *store = demo_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaReport) report = NULL;
  g_autoptr(GHashTable) expected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          (GDestroyNotify) g_array_unref);
  g_autoptr(GHashTable) totals = NULL;
  sqlite3_stmt *stmt = NULL;
  GDate as_of;

  report = esa_store_report_ageing (store, DEMO_TODAY, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_cmpuint (report->categories->len, ==, 5);

  /* The bands computed here in C, position by position. */
  g_assert_true (esa_date_parse_iso (DEMO_TODAY, &as_of, NULL));
  g_assert_cmpint (sqlite3_prepare_v2 (_esa_store_get_db (store),
                                       "SELECT currency, due_date, "
                                       "  principal + sanctions + interest + costs - paid "
                                       "FROM positions WHERE state IN ('open', 'suspended')",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *currency = (const char *) sqlite3_column_text (stmt, 0);
      gint64 balance = sqlite3_column_int64 (stmt, 2);
      GArray *sums = g_hash_table_lookup (expected, currency);
      GDate due;
      gint days;
      guint band;

      if (balance <= 0)
        continue;
      if (sums == NULL)
        {
          sums = g_array_new (FALSE, TRUE, sizeof (gint64));
          g_array_set_size (sums, 5);
          g_hash_table_insert (expected, g_strdup (currency), sums);
        }
      g_assert_true (esa_date_parse_iso ((const char *) sqlite3_column_text (stmt, 1), &due,
                                         NULL));
      days = esa_date_days_between (&due, &as_of);
      band = days < 0 ? 0 : days <= 90 ? 1 : days <= 180 ? 2 : days <= 365 ? 3 : 4;
      g_array_index (sums, gint64, band) += balance;
    }
  sqlite3_finalize (stmt);

  totals = report_totals (report, bands);
  assert_same_sums (expected, totals);

  /* Each row's bands add up to its balance. */
  for (guint r = 0; r < report->rows->len; r++)
    {
      const EsaReportRow *row = g_ptr_array_index (report->rows, r);
      gint64 sum = 0;

      for (guint b = 0; bands[b] != NULL; b++)
        sum += row->values[esa_report_find_column (report, bands[b])];
      g_assert_cmpint (sum, ==, row->values[esa_report_find_column (report, "balance")]);
    }
}

/* ---- instalment monitoring ---------------------------------------------- */

typedef struct
{
  EsaStore      *store;
  EsaParameters *params;
  char          *body;
  char          *office;
  char          *officer;
  char          *lead;
  guint          n_debtors;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) procedures = NULL;
  g_autofree char *dir = esa_data_dir ("procedures");
  EsaBody body = { NULL, (char *) "Comune di Esempio", (char *) "IT", (char *) "EUR",
                   (char *) "00743110157", (char *) "IT60X0542811101000000123456", (char *) "07" };
  EsaOffice office = { NULL, (char *) "Sede centrale", (char *) "Esempio", (char *) "IT" };
  EsaUser officer = { NULL, (char *) "Verdi Giulia", (char *) "gverdi", ESA_ROLE_OFFICER, NULL,
                      NULL };
  EsaUser lead = { NULL, (char *) "Russo Carla", (char *) "crusso", ESA_ROLE_TEAM_LEAD, NULL,
                   NULL };

  fixture->store = esa_store_open_memory (&error);
  g_assert_no_error (error);
  fixture->params = esa_parameters_load_default (&error);
  g_assert_no_error (error);
  procedures = esa_procedure_load_dir (dir, fixture->params, &error);
  g_assert_no_error (error);
  esa_store_set_procedures (fixture->store, procedures, fixture->params);

  fixture->body = esa_store_add_body (fixture->store, &body, &error);
  g_assert_no_error (error);
  fixture->office = esa_store_add_office (fixture->store, &office, &error);
  g_assert_no_error (error);
  officer.office_id = lead.office_id = fixture->office;
  fixture->officer = esa_store_add_user (fixture->store, &officer, &error);
  g_assert_no_error (error);
  fixture->lead = esa_store_add_user (fixture->store, &lead, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->params);
  g_free (fixture->body);
  g_free (fixture->office);
  g_free (fixture->officer);
  g_free (fixture->lead);
}

static void
exec_sql (EsaStore   *store,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (_esa_store_get_db (store), sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static gint64
query_int (EsaStore   *store,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (_esa_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static char *
query_text (EsaStore   *store,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value;

  g_assert_cmpint (sqlite3_prepare_v2 (_esa_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

typedef struct
{
  char *debtor;
  char *position;
  char *case_id;
  char *plan;
} Plan;

static void
plan_clear (Plan *plan)
{
  g_free (plan->debtor);
  g_free (plan->position);
  g_free (plan->case_id);
  g_free (plan->plan);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Plan, plan_clear)

/* A debtor owing 600.00 EUR on one position, a case granted a plan of six
 * monthly instalments of 100.00 EUR due on the 1st from February 2025, the
 * first @n_paid of them paid. */
static void
make_plan (Fixture *fixture,
           guint    n_paid,
           Plan    *out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) fields = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *name = g_strdup_printf ("Debitore %u", ++fixture->n_debtors);
  g_autofree char *reference = g_strdup_printf ("AVV-2024-%04u", fixture->n_debtors);
  g_autofree char *event = NULL;
  const char *position_ids[2] = { NULL, NULL };
  EsaDebtor debtor = { 0, };
  EsaPosition position = { 0, };
  EsaCase case_ = { 0, };
  GDate granted;

  debtor.kind = ESA_DEBTOR_PERSON;
  debtor.name = name;
  debtor.office_id = fixture->office;
  debtor.addresses = g_ptr_array_new ();
  debtor.contacts = g_ptr_array_new ();
  debtor.relations = g_ptr_array_new ();
  out->debtor = esa_store_add_debtor (fixture->store, &debtor, &error);
  g_assert_no_error (error);
  g_ptr_array_unref (debtor.addresses);
  g_ptr_array_unref (debtor.contacts);
  g_ptr_array_unref (debtor.relations);

  position.debtor_id = out->debtor;
  position.body_id = fixture->body;
  position.currency = (char *) "EUR";
  position.revenue_type = (char *) "TARI";
  position.year = 2024;
  position.reference = reference;
  position.due_date = (char *) "2024-06-30";
  position.state = (char *) "open";
  position.principal = 60000;
  out->position = esa_store_add_position (fixture->store, &position, &error);
  g_assert_no_error (error);

  case_.debtor_id = out->debtor;
  case_.body_id = fixture->body;
  case_.office_id = fixture->office;
  case_.procedure_id = (char *) "it-coercive";
  case_.state = (char *) "notified";
  case_.officer_id = fixture->officer;
  case_.opened_on = (char *) "2024-09-01";
  position_ids[0] = out->position;
  out->case_id = esa_store_add_case (fixture->store, &case_, position_ids, &error);
  g_assert_no_error (error);

  /* The plan as the procedure grants it, then its schedule. */
  esa_store_set_acting_user (fixture->store, fixture->officer);
  g_hash_table_insert (fields, (gpointer) "plan_requested_on", (gpointer) "2025-01-05");
  g_hash_table_insert (fields, (gpointer) "plan_decided_on", (gpointer) "2025-01-10");
  g_hash_table_insert (fields, (gpointer) "first_due_on", (gpointer) "2025-02-01");
  g_hash_table_insert (fields, (gpointer) "instalments", (gpointer) "6");
  g_date_clear (&granted, 1);
  g_date_set_dmy (&granted, 10, G_DATE_JANUARY, 2025);
  event = esa_store_case_do (fixture->store, out->case_id, "grant_instalment_plan", &granted,
                             fields, &error);
  g_assert_no_error (error);
  g_assert_nonnull (event);

  out->plan = g_strdup_printf ("plan-%u", fixture->n_debtors);
  {
    g_autofree char *sql = g_strdup_printf (
      "INSERT INTO instalment_plans (id, debtor_id, case_id, state, total, currency, first_due, "
      "  decided_on) VALUES ('%s', '%s', '%s', 'active', 60000, 'EUR', '2025-02-01', "
      "  '2025-01-10');",
      out->plan, out->debtor, out->case_id);

    exec_sql (fixture->store, sql);
  }
  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *sql = g_strdup_printf (
        "INSERT INTO instalments (id, plan_id, seq, due_on, amount, paid, payment_reference) "
        "VALUES ('%s-%u', '%s', %u, '2025-%02u-01', 10000, %d, 'REF-%s-%u');",
        out->plan, i + 1, out->plan, i + 1, i + 2, i < n_paid ? 10000 : 0, out->plan, i + 1);

      exec_sql (fixture->store, sql);
    }
  esa_store_set_acting_user (fixture->store, NULL);
}

static GPtrArray *
proposals_on (Fixture    *fixture,
              const char *day)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *proposals;
  GDate date;

  g_assert_true (esa_date_parse_iso (day, &date, NULL));
  proposals = esa_store_instalment_proposals (fixture->store, fixture->params, &date, &error);
  g_assert_no_error (error);
  g_assert_nonnull (proposals);
  return proposals;
}

static gboolean
confirm_on (Fixture     *fixture,
            const char  *user,
            const char  *proposal_id,
            const char  *day,
            GError     **error)
{
  GDate date;

  g_assert_true (esa_date_parse_iso (day, &date, NULL));
  esa_store_set_acting_user (fixture->store, user);
  return esa_store_instalment_confirm (fixture->store, fixture->params, proposal_id, &date, error);
}

static void
test_instalments_missed_one (Fixture       *fixture,
                             gconstpointer  data)
{
  g_auto(Plan) plan = { NULL, };
  g_autoptr(GPtrArray) proposals = NULL;
  g_autofree char *expected = NULL;
  const EsaInstalmentProposal *proposal;

  make_plan (fixture, 1, &plan);

  /* 5 March 2025: the first instalment is paid, the second (1 March) not. */
  proposals = proposals_on (fixture, "2025-03-05");
  g_assert_cmpuint (proposals->len, ==, 1);
  proposal = g_ptr_array_index (proposals, 0);
  expected = g_strdup_printf ("reminder:%s-2", plan.plan);
  g_assert_cmpstr (proposal->id, ==, expected);
  g_assert_cmpint (proposal->kind, ==, ESA_INSTALMENT_PROPOSAL_REMINDER);
  g_assert_cmpint (proposal->seq, ==, 2);
  g_assert_cmpstr (proposal->due_on, ==, "2025-03-01");
  g_assert_cmpint (proposal->amount, ==, 10000);
  g_assert_cmpstr (proposal->case_id, ==, plan.case_id);
  g_assert_cmpstr (proposal->case_state, ==, "instalment_plan");

  /* On its due date an instalment is not missed yet. */
  g_clear_pointer (&proposals, g_ptr_array_unref);
  proposals = proposals_on (fixture, "2025-03-01");
  g_assert_cmpuint (proposals->len, ==, 0);

  /* A payment with the instalment's reference pays it. */
  exec_sql (fixture->store, "INSERT INTO payments (id, amount, currency, paid_on, reference, "
                            "  channel) SELECT 'pay-1', 10000, 'EUR', '2025-03-03', "
                            "  payment_reference, 'pagopa' FROM instalments WHERE seq = 2");
  g_clear_pointer (&proposals, g_ptr_array_unref);
  proposals = proposals_on (fixture, "2025-03-05");
  g_assert_cmpuint (proposals->len, ==, 0);
}

static void
test_instalments_paid_up (Fixture       *fixture,
                          gconstpointer  data)
{
  g_auto(Plan) plan = { NULL, };
  g_autoptr(GPtrArray) proposals = NULL;

  /* Four paid; the fifth falls due on 1 June. */
  make_plan (fixture, 4, &plan);
  proposals = proposals_on (fixture, "2025-05-20");
  g_assert_cmpuint (proposals->len, ==, 0);
}

static void
test_instalments_lapse (Fixture       *fixture,
                        gconstpointer  data)
{
  g_auto(Plan) plan = { NULL, };
  g_autoptr(GPtrArray) proposals = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reminder2 = NULL;
  g_autofree char *reminder3 = NULL;
  g_autofree char *lapse = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *state = NULL;
  const EsaInstalmentProposal *proposal;
  gint64 audit_before, outbox_before;

  make_plan (fixture, 1, &plan);
  reminder2 = g_strdup_printf ("reminder:%s-2", plan.plan);
  reminder3 = g_strdup_printf ("reminder:%s-3", plan.plan);
  lapse = g_strdup_printf ("lapse:%s", plan.plan);

  /* Only a team lead confirms. */
  g_assert_false (confirm_on (fixture, fixture->officer, reminder2, "2025-03-05", &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_false (confirm_on (fixture, NULL, reminder2, "2025-03-05", &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_FORBIDDEN);
  g_clear_error (&error);

  audit_before = query_int (fixture->store, "SELECT count(*) FROM audit");
  outbox_before = query_int (fixture->store, "SELECT count(*) FROM outbox");
  g_assert_true (confirm_on (fixture, fixture->lead, reminder2, "2025-03-05", &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (fixture->store, "SELECT count(*) FROM audit"), ==,
                   audit_before + 1);
  g_assert_cmpint (query_int (fixture->store, "SELECT count(*) FROM outbox"), ==,
                   outbox_before + 1);
  sql = g_strdup_printf ("SELECT reminded_on FROM instalments WHERE id = '%s-2'", plan.plan);
  state = query_text (fixture->store, sql);
  g_assert_cmpstr (state, ==, "2025-03-05");
  g_clear_pointer (&state, g_free);

  /* Confirmed once: it no longer stands. */
  g_assert_false (confirm_on (fixture, fixture->lead, reminder2, "2025-03-05", &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* One missed after its reminder does not make the plan lapse. */
  proposals = proposals_on (fixture, "2025-03-20");
  g_assert_cmpuint (proposals->len, ==, 0);
  g_clear_pointer (&proposals, g_ptr_array_unref);

  /* 5 April: the third is missed too; it gets its reminder. */
  proposals = proposals_on (fixture, "2025-04-05");
  g_assert_cmpuint (proposals->len, ==, 1);
  g_assert_cmpstr (((EsaInstalmentProposal *) g_ptr_array_index (proposals, 0))->id, ==,
                   reminder3);
  g_clear_pointer (&proposals, g_ptr_array_unref);
  g_assert_true (confirm_on (fixture, fixture->lead, reminder3, "2025-04-05", &error));
  g_assert_no_error (error);

  /* The next day two instalments missed after a reminder within six months
   * meet the lapse rule. */
  proposals = proposals_on (fixture, "2025-04-06");
  g_assert_cmpuint (proposals->len, ==, 1);
  proposal = g_ptr_array_index (proposals, 0);
  g_assert_cmpstr (proposal->id, ==, lapse);
  g_assert_cmpint (proposal->kind, ==, ESA_INSTALMENT_PROPOSAL_LAPSE);
  g_assert_cmpint (proposal->amount, ==, 60000);
  g_assert_cmpuint (proposal->n_missed, ==, 2);

  g_assert_true (confirm_on (fixture, fixture->lead, lapse, "2025-04-06", &error));
  g_assert_no_error (error);

  /* The plan lapsed and the procedure resumed where it was. */
  g_free (sql);
  sql = g_strdup_printf ("SELECT state FROM instalment_plans WHERE id = '%s'", plan.plan);
  state = query_text (fixture->store, sql);
  g_assert_cmpstr (state, ==, "lapsed");
  g_clear_pointer (&state, g_free);
  g_free (sql);
  sql = g_strdup_printf ("SELECT state FROM cases WHERE id = '%s'", plan.case_id);
  state = query_text (fixture->store, sql);
  g_assert_cmpstr (state, ==, "notified");
  g_clear_pointer (&state, g_free);
  g_free (sql);
  sql = g_strdup_printf ("SELECT json_extract (fields, '$.residual') FROM case_events "
                         "WHERE case_id = '%s' AND action = 'lapse_plan'", plan.case_id);
  state = query_text (fixture->store, sql);
  g_assert_nonnull (state);

  g_clear_pointer (&proposals, g_ptr_array_unref);
  proposals = proposals_on (fixture, "2025-04-07");
  g_assert_cmpuint (proposals->len, ==, 0);
  g_assert_true (esa_store_audit_verify (fixture->store, NULL, &error));
  g_assert_no_error (error);
}

static void
test_instalments_paid_in_full (Fixture       *fixture,
                               gconstpointer  data)
{
  g_auto(Plan) plan = { NULL, };
  g_autoptr(GPtrArray) proposals = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *close = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *state = NULL;
  g_autofree char *payment = NULL;
  EsaPayment pay = { 0, };

  make_plan (fixture, 2, &plan);
  pay.debtor_id = plan.debtor;
  pay.position_id = plan.position;
  pay.body_id = fixture->body;
  pay.amount = 60000;
  pay.currency = (char *) "EUR";
  pay.paid_on = (char *) "2025-03-10";
  pay.reference = (char *) "WHOLE";
  pay.channel = (char *) "bank";
  payment = esa_store_add_payment (fixture->store, &pay, &error);
  g_assert_no_error (error);

  close = g_strdup_printf ("close:%s", plan.plan);
  proposals = proposals_on (fixture, "2025-03-12");
  g_assert_cmpuint (proposals->len, ==, 1);
  g_assert_cmpstr (((EsaInstalmentProposal *) g_ptr_array_index (proposals, 0))->id, ==, close);

  g_assert_true (confirm_on (fixture, fixture->lead, close, "2025-03-12", &error));
  g_assert_no_error (error);
  sql = g_strdup_printf ("SELECT state || ' ' || closed_on FROM cases WHERE id = '%s'",
                         plan.case_id);
  state = query_text (fixture->store, sql);
  g_assert_cmpstr (state, ==, "paid 2025-03-12");
  g_clear_pointer (&state, g_free);
  g_free (sql);
  sql = g_strdup_printf ("SELECT state FROM instalment_plans WHERE id = '%s'", plan.plan);
  state = query_text (fixture->store, sql);
  g_assert_cmpstr (state, ==, "completed");
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reports/collections/totals", test_collections_totals);
  g_test_add_func ("/reports/collections/groups", test_collections_groups);
  g_test_add_func ("/reports/collections/invalid", test_collections_invalid);
  g_test_add_func ("/reports/acts/totals", test_acts_totals);
  g_test_add_func ("/reports/ageing/totals", test_ageing_totals);
  g_test_add ("/instalments/missed-one", Fixture, NULL, fixture_set_up,
              test_instalments_missed_one, fixture_tear_down);
  g_test_add ("/instalments/paid-up", Fixture, NULL, fixture_set_up,
              test_instalments_paid_up, fixture_tear_down);
  g_test_add ("/instalments/lapse", Fixture, NULL, fixture_set_up,
              test_instalments_lapse, fixture_tear_down);
  g_test_add ("/instalments/paid-in-full", Fixture, NULL, fixture_set_up,
              test_instalments_paid_in_full, fixture_tear_down);

  status = g_test_run ();
  g_clear_object (&shared_store);
  return status;
}
