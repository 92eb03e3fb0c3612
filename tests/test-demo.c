/* test-demo.c: the deterministic demo data generator
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "esa-demo.h"
#include "esa-identifiers.h"
#include "esa-store-private.h"
#include "esa-uuid.h"

#define N_DEBTORS 500
#define TODAY     "2026-11-23"

static const char * const it_states[] = {
  "injunction_issued", "notified", "notification_failed", "reminded", "instalment_plan",
  "lien_notice", "lien_registered", "mortgage_notice", "garnishment", "seizure",
  "insolvency_claim", "suspended", "paid", "uncollectable",
};

static const char * const ch_states[] = {
  "requested", "order_issued", "served", "opposed", "continuable", "seized",
  "loss_certificate", "paid", "withdrawn",
};

static EsaStore *
generate (guint64     seed,
          guint       debtors,
          const char *today)
{
  g_autoptr(GError) error = NULL;
  EsaStore *store = esa_store_open_memory (&error);
  EsaDemoOptions options;

  g_assert_no_error (error);
  esa_demo_options_init (&options);
  options.debtors = debtors;
  options.seed = seed;
  options.today = today;
  g_assert_true (esa_demo_generate (store, &options, &error));
  g_assert_no_error (error);
  return store;
}

/* One shared store for the read-only checks: generating it is the slow part. */
static EsaStore *shared_store;

static EsaStore *
demo_store (void)
{
  if (shared_store == NULL)
    shared_store = generate (42, N_DEBTORS, TODAY);
  return shared_store;
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

/* Every value of the first column of @sql. */
static GPtrArray *
query_strings (EsaStore   *store,
               const char *sql)
{
  GPtrArray *values = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_assert_cmpint (sqlite3_prepare_v2 (_esa_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (values, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  return values;
}

/* The rows of @sql, one line each, columns separated by '|'. */
static char *
dump (EsaStore   *store,
      const char *sql)
{
  GString *out = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_assert_cmpint (sqlite3_prepare_v2 (_esa_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int i;

      for (i = 0; i < sqlite3_column_count (stmt); i++)
        {
          const char *text = (const char *) sqlite3_column_text (stmt, i);

          g_string_append (out, text != NULL ? text : "NULL");
          g_string_append_c (out, '|');
        }
      g_string_append_c (out, '\n');
    }
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  return g_string_free (out, FALSE);
}

static char *
dump_tables (EsaStore *store)
{
  static const char * const queries[] = {
    "SELECT * FROM bodies ORDER BY id",
    "SELECT * FROM users ORDER BY id",
    "SELECT * FROM load_lists ORDER BY id",
    "SELECT * FROM debtors ORDER BY num",
    "SELECT * FROM addresses ORDER BY id",
    "SELECT * FROM relations ORDER BY id",
    "SELECT * FROM positions ORDER BY id",
    "SELECT * FROM cases ORDER BY id",
    "SELECT * FROM acts ORDER BY id",
    "SELECT * FROM notifications ORDER BY id",
    "SELECT * FROM payments ORDER BY id",
    "SELECT * FROM instalments ORDER BY id",
    "SELECT * FROM contact_log ORDER BY id",
    "SELECT * FROM audit ORDER BY seq",
  };
  GString *out = g_string_new (NULL);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autofree char *part = dump (store, queries[i]);

      g_string_append_printf (out, "-- %s\n%s", queries[i], part);
    }
  return g_string_free (out, FALSE);
}

/* The generator loads without enforcing constraints: prove it needed none,
 * and that the connection enforces them again afterwards. */
static void
test_demo_constraints (void)
{
  EsaStore *store = demo_store ();
  g_autoptr(GPtrArray) integrity = query_strings (store, "PRAGMA integrity_check");
  g_autoptr(GPtrArray) foreign = query_strings (store, "PRAGMA foreign_key_check");
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaStore) wal = NULL;
  g_autoptr(GPtrArray) mode = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  EsaDemoOptions options;

  g_assert_cmpuint (integrity->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (integrity, 0), ==, "ok");
  g_assert_cmpuint (foreign->len, ==, 0);
  g_assert_cmpint (query_int (store, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (query_int (store, "PRAGMA ignore_check_constraints"), ==, 0);
  g_assert_cmpint (sqlite3_exec (_esa_store_get_db (store),
                                 "INSERT INTO debtor_contacts (id, debtor_id, kind, value) "
                                 "VALUES ('x', (SELECT id FROM debtors LIMIT 1), 'fax', '1')",
                                 NULL, NULL, NULL) & 0xff, ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (sqlite3_exec (_esa_store_get_db (store),
                                 "INSERT INTO debtor_contacts (id, debtor_id, kind, value) "
                                 "VALUES ('x', 'no-such-debtor', 'phone', '1')",
                                 NULL, NULL, NULL) & 0xff, ==, SQLITE_CONSTRAINT);

  /* A file database goes back to WAL mode. */
  dir = g_dir_make_tmp ("test-demo-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "demo.db", NULL);
  wal = esa_store_open (path, &error);
  g_assert_no_error (error);
  esa_demo_options_init (&options);
  options.debtors = 50;
  options.today = TODAY;
  g_assert_true (esa_demo_generate (wal, &options, &error));
  g_assert_no_error (error);
  mode = query_strings (wal, "PRAGMA journal_mode");
  g_assert_cmpstr (g_ptr_array_index (mode, 0), ==, "wal");
  g_assert_cmpint (query_int (wal, "PRAGMA foreign_keys"), ==, 1);
  g_clear_object (&wal);

  wal = esa_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (esa_store_count_debtors (wal, &error), ==, 50);
  g_clear_object (&wal);
  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_demo_bodies_offices_users (void)
{
  EsaStore *store = demo_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) bodies = esa_store_list_bodies (store, &error);
  g_autoptr(GPtrArray) offices = NULL;
  g_autoptr(GPtrArray) users = NULL;
  guint per_role[ESA_N_ROLES] = { 0, };
  gboolean it_eur = FALSE;
  gboolean ch_chf = FALSE;
  guint i;

  g_assert_no_error (error);
  for (i = 0; i < bodies->len; i++)
    {
      EsaBody *body = g_ptr_array_index (bodies, i);
      EsaIdKind kind = g_str_equal (body->country, "IT") ? ESA_ID_PARTITA_IVA : ESA_ID_UID;
      g_autoptr(GError) id_error = NULL;

      if (g_str_equal (body->country, "IT") && g_str_equal (body->currency, "EUR"))
        {
          it_eur = TRUE;
          g_assert_cmpstr (body->segregation_code, ==, "01");
        }
      if (g_str_equal (body->country, "CH") && g_str_equal (body->currency, "CHF"))
        {
          ch_chf = TRUE;
          /* A QR-IBAN: institution id 30000-31999. */
          g_assert_cmpint (g_ascii_strtoll (body->iban + 4, NULL, 10) / 1000000000000LL, >=, 30000);
          g_assert_cmpint (g_ascii_strtoll (body->iban + 4, NULL, 10) / 1000000000000LL, <=, 31999);
        }
      g_assert_true (esa_id_validate (kind, body->tax_code, NULL, &id_error));
      g_assert_no_error (id_error);
      g_assert_true (esa_id_validate (ESA_ID_IBAN, body->iban, NULL, &id_error));
      g_assert_no_error (id_error);
    }
  g_assert_true (it_eur);
  g_assert_true (ch_chf);

  offices = esa_store_list_offices (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (offices->len, ==, 3);
  g_assert_cmpint (query_int (store, "SELECT count(DISTINCT office_id) FROM office_bodies"), ==, 3);

  users = esa_store_list_users (store, &error);
  g_assert_no_error (error);
  for (i = 0; i < users->len; i++)
    {
      EsaUser *user = g_ptr_array_index (users, i);

      g_assert_cmpint (user->role, <, ESA_N_ROLES);
      per_role[user->role]++;
    }
  for (i = 0; i < ESA_N_ROLES; i++)
    g_assert_cmpuint (per_role[i], >=, 2);
  g_assert_cmpint (query_int (store, "SELECT count(DISTINCT login) FROM users"), ==,
                   query_int (store, "SELECT count(*) FROM users"));
}

static void
test_demo_debtors (void)
{
  EsaStore *store = demo_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) kinds = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  guint i;

  g_assert_cmpint (esa_store_count_debtors (store, &error), ==, N_DEBTORS);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM debtors"), ==, N_DEBTORS);

  /* Both kinds and both countries, with a name and a current address each. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM debtors WHERE kind = 'company'"), >, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM debtors WHERE kind = 'person'"), >,
                   N_DEBTORS / 2);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM debtors d WHERE NOT EXISTS "
                                     "(SELECT 1 FROM addresses a WHERE a.debtor_id = d.id "
                                     "AND a.valid_to IS NULL)"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM addresses WHERE valid_to IS NOT NULL"),
                   >, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM debtors WHERE deceased_on IS NOT NULL"),
                   ==, query_int (store, "SELECT count(DISTINCT r.debtor_id) FROM relations r "
                                         "JOIN debtors d ON d.id = r.debtor_id "
                                         "WHERE r.kind = 'heir' AND d.deceased_on IS NOT NULL"));

  /* Dates that follow each other in life do so in the data. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM addresses a JOIN debtors d "
                                     "ON d.id = a.debtor_id WHERE a.valid_from < "
                                     "date(d.birth_date, '+18 years') OR a.valid_to <= "
                                     "a.valid_from"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM debtors WHERE deceased_on <= "
                                     "birth_date OR deceased_on >= '" TODAY "' OR "
                                     "insolvent_since >= '" TODAY "'"), ==, 0);

  /* Every tax id passes its own check. */
  kinds = query_strings (store, "SELECT tax_id_kind FROM debtors WHERE tax_id IS NOT NULL "
                                "ORDER BY num");
  ids = query_strings (store, "SELECT tax_id FROM debtors WHERE tax_id IS NOT NULL ORDER BY num");
  g_assert_cmpuint (ids->len, >, N_DEBTORS * 9 / 10);
  for (i = 0; i < ids->len; i++)
    {
      g_autoptr(GError) id_error = NULL;
      EsaIdKind kind;

      g_assert_true (esa_id_kind_from_string (g_ptr_array_index (kinds, i), &kind));
      if (!esa_id_validate (kind, g_ptr_array_index (ids, i), NULL, &id_error))
        g_error ("debtor tax id %s (%s) does not validate: %s", (char *) g_ptr_array_index (ids, i),
                 (char *) g_ptr_array_index (kinds, i), id_error->message);
    }
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM (SELECT tax_id FROM debtors "
                                     "WHERE tax_id IS NOT NULL GROUP BY tax_id "
                                     "HAVING count(*) > 1)"), ==, 0);
}

static void
test_demo_positions (void)
{
  EsaStore *store = demo_store ();
  g_autoptr(GPtrArray) it_refs = NULL;
  g_autoptr(GPtrArray) ch_refs = NULL;
  gint64 positions = query_int (store, "SELECT count(*) FROM positions");
  guint i;

  /* About 3.3 a debtor. */
  g_assert_cmpint (positions, >, N_DEBTORS * 3);
  g_assert_cmpint (positions, <, N_DEBTORS * 4);

  it_refs = query_strings (store, "SELECT p.payment_reference FROM positions p "
                                  "JOIN bodies b ON b.id = p.body_id WHERE b.country = 'IT'");
  ch_refs = query_strings (store, "SELECT p.payment_reference FROM positions p "
                                  "JOIN bodies b ON b.id = p.body_id WHERE b.country = 'CH'");
  g_assert_cmpuint (it_refs->len, >, 0);
  g_assert_cmpuint (ch_refs->len, >, 0);
  for (i = 0; i < it_refs->len; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (esa_id_validate (ESA_ID_PAGOPA_NOTICE, g_ptr_array_index (it_refs, i), NULL,
                                      &error));
      g_assert_no_error (error);
    }
  for (i = 0; i < ch_refs->len; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (esa_id_validate (ESA_ID_QR_REFERENCE, g_ptr_array_index (ch_refs, i), NULL,
                                      &error));
      g_assert_no_error (error);
    }
  g_assert_cmpint (query_int (store, "SELECT count(DISTINCT payment_reference) FROM positions"),
                   ==, positions);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM instalments i JOIN positions p "
                                     "ON p.payment_reference = i.payment_reference"), ==, 0);

  /* Currencies follow the bodies; Italian positions come from approved load lists. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM positions p JOIN bodies b "
                                     "ON b.id = p.body_id WHERE p.currency <> b.currency"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM positions p JOIN cases c "
                                     "JOIN case_positions cp ON cp.case_id = c.id "
                                     "AND cp.position_id = p.id JOIN load_lists l "
                                     "ON l.id = p.load_list_id WHERE l.state <> 'approved' "
                                     "OR l.approved_on > c.opened_on"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM positions WHERE principal "
                                     "+ sanctions + interest + costs < paid"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM positions WHERE revenue_type "
                                     "IN ('IMU', 'TARI', 'fine', 'water') AND "
                                     "load_list_id IS NULL"), ==, 0);
}

static void
test_demo_cases (void)
{
  EsaStore *store = demo_store ();
  guint i;

  for (i = 0; i < G_N_ELEMENTS (it_states); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM cases WHERE procedure_id = "
                                              "'it-coercive' AND state = '%s'", it_states[i]);

      if (query_int (store, sql) == 0)
        g_error ("no it-coercive case in state %s", it_states[i]);
    }
  for (i = 0; i < G_N_ELEMENTS (ch_states); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM cases WHERE procedure_id = "
                                              "'ch-lef' AND state = '%s'", ch_states[i]);

      if (query_int (store, sql) == 0)
        g_error ("no ch-lef case in state %s", ch_states[i]);
    }

  /* Closed exactly when the state ends the procedure; open ones have a deadline. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM cases WHERE (closed_on IS NOT NULL) "
                                     "<> (state IN ('paid', 'uncollectable', 'withdrawn', "
                                     "'loss_certificate'))"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM cases WHERE closed_on IS NULL AND "
                                     "(next_deadline IS NULL OR next_deadline_label IS NULL)"),
                   ==, 0);
  /* Nothing happened on or after the reference date. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM cases WHERE opened_on >= '" TODAY "' "
                                     "OR closed_on >= '" TODAY "'"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM payments WHERE paid_on >= '"
                                     TODAY "'"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM audit WHERE at >= '" TODAY "'"), ==, 0);

  /* The officer belongs to the debtor's office; every case pursues positions. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM cases c JOIN users u "
                                     "ON u.id = c.officer_id JOIN debtors d ON d.id = c.debtor_id "
                                     "WHERE u.office_id <> d.office_id"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM cases c WHERE NOT EXISTS "
                                     "(SELECT 1 FROM case_positions cp WHERE cp.case_id = c.id)"),
                   ==, 0);

  /* Acts: an injunction or a payment order first, numbers unique, a
   * delivery attempt each; failed deliveries have a reason and a second try. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM cases c WHERE c.state NOT IN "
                                     "('requested', 'withdrawn') AND NOT EXISTS (SELECT 1 FROM "
                                     "acts a WHERE a.case_id = c.id AND a.type IN "
                                     "('injunction', 'payment_order'))"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM acts a WHERE NOT EXISTS (SELECT 1 "
                                     "FROM notifications n WHERE n.act_id = a.id)"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM notifications WHERE state = 'failed' "
                                     "AND failure_reason IS NULL"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM cases c WHERE c.state = "
                                     "'notification_failed' AND NOT EXISTS (SELECT 1 FROM acts a "
                                     "JOIN notifications n ON n.act_id = a.id WHERE "
                                     "a.case_id = c.id AND n.attempt = 2)"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM acts WHERE number NOT GLOB "
                                     "'[A-Z]*-20[0-9][0-9]-[0-9][0-9][0-9][0-9][0-9][0-9]'"),
                   ==, 0);
  /* Events follow each other: opening, issue, sending, delivery or failure. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM acts a JOIN cases c ON c.id = a.case_id "
                                     "WHERE a.issued_on < c.opened_on OR a.issued_on >= '"
                                     TODAY "' OR a.debtor_id <> c.debtor_id"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM notifications n JOIN acts a ON "
                                     "a.id = n.act_id WHERE n.sent_on < a.issued_on OR "
                                     "n.delivered_on < n.sent_on OR n.failed_on < n.sent_on OR "
                                     "n.delivered_on >= '" TODAY "'"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM positions p JOIN case_positions cp "
                                     "ON cp.position_id = p.id JOIN cases c ON c.id = cp.case_id "
                                     "WHERE p.due_date >= c.opened_on OR c.body_id <> p.body_id "
                                     "OR c.debtor_id <> p.debtor_id"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM cases WHERE closed_on < opened_on"),
                   ==, 0);
  /* A mortgage notice needs at least 20,000 EUR. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM acts WHERE type = 'mortgage_notice' "
                                     "AND amount < 2000000"), ==, 0);
  /* Insolvency claims are filed against insolvent debtors. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM cases c JOIN debtors d ON "
                                     "d.id = c.debtor_id WHERE c.state = 'insolvency_claim' "
                                     "AND d.insolvent_since IS NULL"), ==, 0);
}

static void
test_demo_payments (void)
{
  EsaStore *store = demo_store ();

  g_assert_cmpint (query_int (store, "SELECT count(*) FROM payments"), >, 0);
  /* What the payments add up to is what each position says was paid. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM positions p WHERE p.paid <> "
                                     "(SELECT coalesce(sum(amount), 0) FROM payments y "
                                     "WHERE y.position_id = p.id)"), ==, 0);
  /* Paid cases are paid in full. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM positions p JOIN case_positions cp "
                                     "ON cp.position_id = p.id JOIN cases c ON c.id = cp.case_id "
                                     "WHERE c.state = 'paid' AND (p.state <> 'paid' OR p.paid <> "
                                     "p.principal + p.sanctions + p.interest + p.costs)"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM positions WHERE state = 'paid' AND "
                                     "paid <> principal + sanctions + interest + costs"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM positions WHERE state = 'open' "
                                     "AND paid > 0"), >, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM payments WHERE channel NOT IN "
                                     "('pagopa', 'qr-bill', 'bank', 'cash')"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM payments y JOIN positions p "
                                     "ON p.id = y.position_id WHERE y.currency <> p.currency "
                                     "OR y.debtor_id <> p.debtor_id"), ==, 0);

  /* Instalment plans exactly for the cases in that state, adding up. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM instalment_plans"), ==,
                   query_int (store, "SELECT count(*) FROM cases WHERE state = "
                                     "'instalment_plan'"));
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM instalment_plans p WHERE p.total <> "
                                     "(SELECT sum(amount) FROM instalments i "
                                     "WHERE i.plan_id = p.id)"), ==, 0);

  g_assert_cmpint (query_int (store, "SELECT count(*) FROM instalments WHERE (paid > 0) <> "
                                     "(paid = amount) OR (paid > 0 AND due_on >= '" TODAY "')"),
                   ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM payments y JOIN case_positions cp "
                                     "ON cp.position_id = y.position_id JOIN cases c "
                                     "ON c.id = cp.case_id WHERE y.paid_on < c.opened_on"), ==, 0);

  g_assert_cmpint (query_int (store, "SELECT count(*) FROM contact_log"), >, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM outbox"), ==, 0);
}

static void
test_demo_audit (void)
{
  EsaStore *store = demo_store ();
  g_autoptr(GError) error = NULL;
  gint64 checked = 0;

  g_assert_true (esa_store_audit_verify (store, &checked, &error));
  g_assert_no_error (error);
  g_assert_cmpint (checked, ==, query_int (store, "SELECT count(*) FROM audit"));
  g_assert_cmpint (checked, >=, 2 * N_DEBTORS);
  g_assert_cmpint (checked, <=, 5 * N_DEBTORS);
  /* The chain reads forward in time. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM audit a JOIN audit b "
                                     "ON b.seq = a.seq + 1 WHERE b.at < a.at"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(DISTINCT debtor_id) FROM audit"), ==,
                   N_DEBTORS);
}

static void
test_demo_search (void)
{
  EsaStore *store = demo_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = query_strings (store, "SELECT name FROM debtors WHERE num IN "
                                                     "(1, 100, 250) ORDER BY num");
  g_autoptr(GPtrArray) ids = query_strings (store, "SELECT id FROM debtors WHERE num IN "
                                                   "(1, 100, 250) ORDER BY num");
  guint i;

  g_assert_cmpuint (names->len, ==, 3);
  for (i = 0; i < names->len; i++)
    {
      g_autoptr(GPtrArray) hits = esa_store_search (store, g_ptr_array_index (names, i), 200, 0,
                                                    NULL, &error);
      gboolean found = FALSE;
      guint j;

      g_assert_no_error (error);
      for (j = 0; j < hits->len; j++)
        {
          EsaSearchHit *hit = g_ptr_array_index (hits, j);

          if (g_str_equal (hit->debtor_id, g_ptr_array_index (ids, i)))
            found = TRUE;
        }
      if (!found)
        g_error ("searching for %s did not find it", (char *) g_ptr_array_index (names, i));
    }
}

static void
test_demo_deterministic (void)
{
  g_autoptr(EsaStore) again = generate (42, N_DEBTORS, TODAY);
  g_autoptr(EsaStore) other = generate (43, N_DEBTORS, TODAY);
  g_autofree char *first = dump_tables (demo_store ());
  g_autofree char *second = dump_tables (again);
  g_autofree char *third = dump_tables (other);

  g_assert_cmpuint (strlen (first), >, 100000);
  g_assert_cmpstr (first, ==, second);
  g_assert_cmpstr (first, !=, third);
}

static void
test_demo_refuses_non_empty (void)
{
  g_autoptr(EsaStore) store = generate (7, 20, TODAY);
  g_autoptr(GError) error = NULL;
  EsaDemoOptions options;

  esa_demo_options_init (&options);
  options.debtors = 20;
  options.seed = 8;
  options.today = TODAY;
  g_assert_false (esa_demo_generate (store, &options, &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "20"));
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM debtors"), ==, 20);
}

/* A failure half-way leaves nothing behind and the connection as it was. */
static void
test_demo_rolls_back (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaStore) store = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-demo-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *body_id = esa_uuid_from_seed ("body", 5, 0);
  g_autofree char *insert = NULL;
  g_autoptr(GPtrArray) mode = NULL;
  EsaDemoOptions options;

  g_assert_no_error (error);
  path = g_build_filename (dir, "taken.db", NULL);
  store = esa_store_open (path, &error);
  g_assert_no_error (error);

  /* The first body the generator writes has this id already. */
  insert = g_strdup_printf ("INSERT INTO bodies (id, name, country, currency) "
                            "VALUES ('%s', 'Comune di Prova', 'IT', 'EUR')", body_id);
  g_assert_cmpint (sqlite3_exec (_esa_store_get_db (store), insert, NULL, NULL, NULL), ==,
                   SQLITE_OK);

  esa_demo_options_init (&options);
  options.debtors = 30;
  options.seed = 5;
  options.today = TODAY;
  g_assert_false (esa_demo_generate (store, &options, &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "bodies"));

  g_assert_cmpint (query_int (store, "SELECT count(*) FROM bodies"), ==, 1);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM debtors"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM audit"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM sqlite_master WHERE name = "
                                     "'positions_debtor'"), ==, 1);
  g_assert_cmpint (query_int (store, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (query_int (store, "PRAGMA ignore_check_constraints"), ==, 0);
  mode = query_strings (store, "PRAGMA journal_mode");
  g_assert_cmpstr (g_ptr_array_index (mode, 0), ==, "wal");

  g_clear_object (&store);
  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_demo_bad_date (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaStore) store = esa_store_open_memory (&error);
  EsaDemoOptions options;

  g_assert_no_error (error);
  esa_demo_options_init (&options);
  options.debtors = 5;
  options.today = "2026-02-30";
  g_assert_false (esa_demo_generate (store, &options, &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM bodies"), ==, 0);
}

static void
count_progress (double   fraction,
                gpointer user_data)
{
  double *last = user_data;

  g_assert_cmpfloat (fraction, >=, *last);
  g_assert_cmpfloat (fraction, <=, 1.0);
  *last = fraction;
}

static void
test_demo_progress (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaStore) store = esa_store_open_memory (&error);
  EsaDemoOptions options;
  double last = 0.0;

  g_assert_no_error (error);
  esa_demo_options_init (&options);
  options.debtors = 2000;
  options.today = TODAY;
  options.progress = count_progress;
  options.progress_data = &last;
  g_assert_true (esa_demo_generate (store, &options, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (last, ==, 1.0);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/demo/constraints", test_demo_constraints);
  g_test_add_func ("/demo/bodies-offices-users", test_demo_bodies_offices_users);
  g_test_add_func ("/demo/debtors", test_demo_debtors);
  g_test_add_func ("/demo/positions", test_demo_positions);
  g_test_add_func ("/demo/cases", test_demo_cases);
  g_test_add_func ("/demo/payments", test_demo_payments);
  g_test_add_func ("/demo/audit", test_demo_audit);
  g_test_add_func ("/demo/search", test_demo_search);
  g_test_add_func ("/demo/deterministic", test_demo_deterministic);
  g_test_add_func ("/demo/refuses-non-empty", test_demo_refuses_non_empty);
  g_test_add_func ("/demo/rolls-back", test_demo_rolls_back);
  g_test_add_func ("/demo/bad-date", test_demo_bad_date);
  g_test_add_func ("/demo/progress", test_demo_progress);

  status = g_test_run ();
  g_clear_object (&shared_store);
  return status;
}
