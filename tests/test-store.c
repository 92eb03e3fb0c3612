/* test-store.c: writes with their audit entries and outbox operations,
 * failing writes, reads and the dossier
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>

#include "esa-identifiers.h"
#include "esa-store-private.h"

/* Every table with rows of its own, and the search index. */
static const char * const counted_tables[] = {
  "bodies", "offices", "office_bodies", "users", "debtors", "addresses", "debtor_contacts",
  "relations", "load_lists", "positions", "cases", "case_positions", "acts", "notifications",
  "payments", "instalment_plans", "instalments", "documents", "contact_log", "audit", "outbox",
  "debtor_search",
};

#define N_COUNTED G_N_ELEMENTS (counted_tables)

typedef struct
{
  EsaStore *store;
  char     *body_it;      /* Comune di Esempio, EUR */
  char     *body_ch;      /* Creditore Svizzero, CHF */
  char     *office;
  char     *officer;      /* an officer */
  char     *auditor;
  char     *debtor;       /* Rossi Mario */
  char     *other_debtor; /* Bianchi Anna */
} Fixture;

/* ---- helpers -------------------------------------------------------- */

static gint64
sql_int (EsaStore   *store,
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
sql_text (EsaStore   *store,
          const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_esa_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static gint64
count_rows (EsaStore   *store,
            const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table);

  return sql_int (store, sql);
}

static void
snapshot (EsaStore *store,
          gint64    counts[N_COUNTED])
{
  for (guint i = 0; i < N_COUNTED; i++)
    counts[i] = count_rows (store, counted_tables[i]);
}

static void
assert_unchanged (EsaStore     *store,
                  const gint64  before[N_COUNTED])
{
  gint64 after[N_COUNTED];

  snapshot (store, after);
  for (guint i = 0; i < N_COUNTED; i++)
    {
      if (before[i] != after[i])
        g_error ("table %s went from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT " rows",
                 counted_tables[i], before[i], after[i]);
    }
}

static EsaAddress *
address_new (const char *street,
             const char *postcode,
             const char *town,
             const char *country,
             const char *valid_from)
{
  EsaAddress *address = g_new0 (EsaAddress, 1);

  address->street = g_strdup (street);
  address->postcode = g_strdup (postcode);
  address->town = g_strdup (town);
  address->country = g_strdup (country);
  address->valid_from = g_strdup (valid_from);
  return address;
}

static EsaDebtor *
debtor_new (const char *name,
            const char *tax_id,
            const char *tax_id_kind,
            const char *office_id)
{
  EsaDebtor *debtor = g_new0 (EsaDebtor, 1);

  debtor->kind = ESA_DEBTOR_PERSON;
  debtor->name = g_strdup (name);
  debtor->tax_id = g_strdup (tax_id);
  debtor->tax_id_kind = g_strdup (tax_id_kind);
  debtor->office_id = g_strdup (office_id);
  debtor->addresses = g_ptr_array_new_with_free_func ((GDestroyNotify) esa_address_free);
  debtor->contacts = g_ptr_array_new_with_free_func ((GDestroyNotify) esa_debtor_contact_free);
  debtor->relations = g_ptr_array_new_with_free_func ((GDestroyNotify) esa_relation_free);
  return debtor;
}

static void
debtor_add_contact (EsaDebtor  *debtor,
                    const char *kind,
                    const char *value)
{
  EsaDebtorContact *contact = g_new0 (EsaDebtorContact, 1);

  contact->kind = g_strdup (kind);
  contact->value = g_strdup (value);
  g_ptr_array_add (debtor->contacts, contact);
}

/* A pagoPA notice number for the Italian body (segregation code 07). */
static char *
notice_number (guint n)
{
  g_autofree char *base = g_strdup_printf ("%013u", n);

  return esa_pagopa_notice_compose (3, "07", base);
}

static char *
qr_reference (guint n)
{
  g_autofree char *digits = g_strdup_printf ("%026u", n);

  return esa_qr_reference_compose (digits);
}

static EsaPosition
position_template (const char *debtor_id,
                   const char *body_id,
                   const char *reference)
{
  EsaPosition position = { 0, };

  position.debtor_id = (char *) debtor_id;
  position.body_id = (char *) body_id;
  position.revenue_type = (char *) "TARI";
  position.year = 2024;
  position.reference = (char *) reference;
  position.due_date = (char *) "2024-06-30";
  return position;
}

static char *
add_position (Fixture    *fixture,
              const char *debtor_id,
              const char *body_id,
              const char *reference,
              const char *state,
              gint64      principal,
              gint64      sanctions,
              gint64      interest,
              gint64      costs,
              gint64      paid)
{
  g_autoptr(GError) error = NULL;
  EsaPosition position = position_template (debtor_id, body_id, reference);
  char *id;

  position.state = (char *) state;
  position.principal = principal;
  position.sanctions = sanctions;
  position.interest = interest;
  position.costs = costs;
  position.paid = paid;
  id = esa_store_add_position (fixture->store, &position, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  return id;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaDebtor) debtor = NULL;
  g_autoptr(EsaDebtor) other = NULL;
  EsaBody body_it = { NULL, (char *) "Comune di Esempio", (char *) "IT", (char *) "EUR",
                      (char *) "00743110157", (char *) "IT60X0542811101000000123456",
                      (char *) "07" };
  EsaBody body_ch = { NULL, (char *) "Creditore Svizzero", (char *) "CH", (char *) "CHF",
                      (char *) "CHE-116.281.710", (char *) "CH4431999123000889012", NULL };
  EsaOffice office = { NULL, (char *) "Sede centrale", (char *) "Esempio", (char *) "IT" };
  EsaUser officer = { NULL, (char *) "Verdi Giulia", (char *) "gverdi", ESA_ROLE_OFFICER, NULL,
                      NULL };
  EsaUser auditor = { NULL, (char *) "Neri Paolo", (char *) "pneri", ESA_ROLE_AUDITOR, NULL,
                      NULL };

  fixture->store = esa_store_open_memory (&error);
  g_assert_no_error (error);

  fixture->body_it = esa_store_add_body (fixture->store, &body_it, &error);
  g_assert_no_error (error);
  fixture->body_ch = esa_store_add_body (fixture->store, &body_ch, &error);
  g_assert_no_error (error);
  fixture->office = esa_store_add_office (fixture->store, &office, &error);
  g_assert_no_error (error);
  officer.office_id = fixture->office;
  auditor.office_id = fixture->office;
  fixture->officer = esa_store_add_user (fixture->store, &officer, &error);
  g_assert_no_error (error);
  fixture->auditor = esa_store_add_user (fixture->store, &auditor, &error);
  g_assert_no_error (error);

  debtor = debtor_new ("Rossi Mario", "rssmra85t10a562s", "cf", fixture->office);
  g_ptr_array_add (debtor->addresses,
                   address_new ("Via Roma 12", "20121", "Milano", "IT", "2020-01-01"));
  debtor_add_contact (debtor, "phone", "+39 02 555 0101");
  debtor_add_contact (debtor, "email", "mario.rossi@example.org");
  fixture->debtor = esa_store_add_debtor (fixture->store, debtor, &error);
  g_assert_no_error (error);

  other = debtor_new ("Bianchi Anna", "BSCMTT83A12L719R", "cf", fixture->office);
  g_ptr_array_add (other->addresses,
                   address_new ("Via Garibaldi 3", "6900", "Lugano", "CH", NULL));
  fixture->other_debtor = esa_store_add_debtor (fixture->store, other, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  g_free (fixture->body_it);
  g_free (fixture->body_ch);
  g_free (fixture->office);
  g_free (fixture->officer);
  g_free (fixture->auditor);
  g_free (fixture->debtor);
  g_free (fixture->other_debtor);
}

/* The outbox row of the last operation on @entity_id, with its payload. */
typedef struct
{
  char     *kind;
  char     *entity;
  gint64    base_version;
  char     *hlc;
  gint64    schema_version;
  JsonNode *payload;
} OutboxRow;

static void
outbox_row_clear (OutboxRow *row)
{
  g_free (row->kind);
  g_free (row->entity);
  g_free (row->hlc);
  g_clear_pointer (&row->payload, json_node_unref);
}

static void
last_outbox_row (EsaStore   *store,
                 const char *entity_id,
                 OutboxRow  *out)
{
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_esa_store_get_db (store),
                                       "SELECT kind, entity, base_version, hlc, schema_version, "
                                       "payload FROM outbox WHERE entity_id = ?1 "
                                       "ORDER BY seq DESC LIMIT 1",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, entity_id, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  out->kind = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  out->entity = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  out->base_version = sqlite3_column_int64 (stmt, 2);
  out->hlc = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  out->schema_version = sqlite3_column_int64 (stmt, 4);
  out->payload = json_from_string ((const char *) sqlite3_column_text (stmt, 5), &error);
  g_assert_no_error (error);
  sqlite3_finalize (stmt);
}

/* Checks that the write just made added @n_rows rows to @table, exactly one
 * audit entry naming @id, and @n_ops outbox operations, the last one of
 * @kind on @id with the full row as its payload. */
static void
assert_recorded (EsaStore     *store,
                 const gint64  before[N_COUNTED],
                 const char   *table,
                 gint64        n_rows,
                 const char   *id,
                 const char   *kind,
                 gint64        n_ops)
{
  gint64 after[N_COUNTED];
  OutboxRow row = { NULL, };
  g_autofree char *audit_id = NULL;

  snapshot (store, after);
  for (guint i = 0; i < N_COUNTED; i++)
    {
      if (g_str_equal (counted_tables[i], table))
        g_assert_cmpint (after[i] - before[i], ==, n_rows);
      else if (g_str_equal (counted_tables[i], "audit"))
        g_assert_cmpint (after[i] - before[i], ==, 1);
      else if (g_str_equal (counted_tables[i], "outbox"))
        g_assert_cmpint (after[i] - before[i], ==, n_ops);
    }

  audit_id = sql_text (store, "SELECT entity_id FROM audit ORDER BY seq DESC LIMIT 1");
  g_assert_cmpstr (audit_id, ==, id);

  last_outbox_row (store, id, &row);
  g_assert_cmpstr (row.kind, ==, kind);
  g_assert_cmpint (row.base_version, ==, 0);
  g_assert_cmpint (row.schema_version, ==, esa_store_current_schema_version ());
  g_assert_true (JSON_NODE_HOLDS_OBJECT (row.payload));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (row.payload), "id"), ==,
                   id);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (row.payload), "version"), ==,
                   1);
  outbox_row_clear (&row);
}

/* ---- tests ---------------------------------------------------------- */

/* Every add_ call writes its row, one audit entry and its outbox operation
 * together. */
static void
test_add_records_everything (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 counts[N_COUNTED];
  EsaStore *store = fixture->store;
  g_autofree char *body = NULL;
  g_autofree char *office = NULL;
  g_autofree char *user = NULL;
  g_autofree char *debtor_id = NULL;
  g_autofree char *position_id = NULL;
  g_autofree char *case_id = NULL;
  g_autofree char *act_id = NULL;
  g_autofree char *notification_id = NULL;
  g_autofree char *payment_id = NULL;
  g_autofree char *entry_id = NULL;
  g_autofree char *document_id = NULL;
  g_autofree char *notice = notice_number (42);
  g_autoptr(EsaDebtor) debtor = NULL;
  EsaBody body_record = { NULL, (char *) "Comune di Altrove", (char *) "IT", NULL, NULL, NULL,
                          NULL };
  EsaOffice office_record = { NULL, (char *) "Sede nord", NULL, (char *) "IT" };
  EsaUser user_record = { NULL, (char *) "Bruno Carla", (char *) "cbruno", ESA_ROLE_TEAM_LEAD,
                          fixture->office, NULL };
  EsaPosition position = position_template (fixture->debtor, fixture->body_it, "TARI-2024-1");
  EsaCase case_record = { 0, };
  EsaAct act = { 0, };
  EsaPayment payment = { 0, };
  EsaContactEntry entry = { 0, };
  EsaDocument document = { 0, };
  const char *positions[2] = { NULL, NULL };

  snapshot (store, counts);
  body = esa_store_add_body (store, &body_record, &error);
  g_assert_no_error (error);
  assert_recorded (store, counts, "bodies", 1, body, "event", 1);

  snapshot (store, counts);
  office = esa_store_add_office (store, &office_record, &error);
  g_assert_no_error (error);
  assert_recorded (store, counts, "offices", 1, office, "event", 1);

  snapshot (store, counts);
  user = esa_store_add_user (store, &user_record, &error);
  g_assert_no_error (error);
  assert_recorded (store, counts, "users", 1, user, "event", 1);

  /* A debtor with an address, two contacts and a relation: one operation
   * per row, one audit entry, and a search document. */
  debtor = debtor_new ("Verdi Luca", "756.9217.0769.85", "ahv", fixture->office);
  g_ptr_array_add (debtor->addresses,
                   address_new ("Bahnhofstrasse 5", "8001", "Zürich", "CH", "2021-03-01"));
  debtor_add_contact (debtor, "phone", "+41 44 555 01 02");
  debtor_add_contact (debtor, "pec", "luca.verdi@pec.example.org");
  {
    EsaRelation *relation = g_new0 (EsaRelation, 1);

    relation->kind = g_strdup ("heir");
    relation->other_id = g_strdup (fixture->debtor);
    g_ptr_array_add (debtor->relations, relation);
  }
  snapshot (store, counts);
  debtor_id = esa_store_add_debtor (store, debtor, &error);
  g_assert_no_error (error);
  assert_recorded (store, counts, "debtors", 1, debtor_id, "event", 5);
  g_assert_cmpint (count_rows (store, "addresses") - counts[5], ==, 1);
  g_assert_cmpint (count_rows (store, "debtor_contacts") - counts[6], ==, 2);
  g_assert_cmpint (count_rows (store, "relations") - counts[7], ==, 1);
  g_assert_cmpint (count_rows (store, "debtor_search") - counts[N_COUNTED - 1], ==, 1);
  {
    g_autoptr(EsaDebtor) stored = esa_store_get_debtor (store, debtor_id, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (stored->tax_id, ==, "7569217076985");
    g_assert_cmpuint (stored->addresses->len, ==, 1);
    g_assert_cmpuint (stored->contacts->len, ==, 2);
    g_assert_cmpuint (stored->relations->len, ==, 1);
    g_assert_cmpstr (((EsaRelation *) stored->relations->pdata[0])->other_name, ==,
                     "Rossi Mario");
  }

  position.payment_reference = notice;
  position.principal = 10000;
  snapshot (store, counts);
  position_id = esa_store_add_position (store, &position, &error);
  g_assert_no_error (error);
  assert_recorded (store, counts, "positions", 1, position_id, "event", 1);

  case_record.debtor_id = fixture->debtor;
  case_record.body_id = fixture->body_it;
  case_record.procedure_id = (char *) "it-coercive";
  case_record.state = (char *) "injunction_issued";
  case_record.officer_id = fixture->officer;
  case_record.opened_on = (char *) "2025-01-10";
  positions[0] = position_id;
  snapshot (store, counts);
  case_id = esa_store_add_case (store, &case_record, positions, &error);
  g_assert_no_error (error);
  assert_recorded (store, counts, "cases", 1, case_id, "command", 1);
  g_assert_cmpint (count_rows (store, "case_positions") - counts[11], ==, 1);

  act.case_id = case_id;
  act.type = (char *) "injunction";
  act.number = (char *) "ING-2025-000001";
  act.issued_on = (char *) "2025-01-12";
  act.amount = 10000;
  snapshot (store, counts);
  act_id = esa_store_add_act (store, &act, &error);
  g_assert_no_error (error);
  assert_recorded (store, counts, "acts", 1, act_id, "command", 1);

  snapshot (store, counts);
  notification_id = esa_store_add_notification (store, act_id, "post", "sent", "2025-01-13",
                                                NULL, &error);
  g_assert_no_error (error);
  assert_recorded (store, counts, "notifications", 1, notification_id, "event", 1);

  payment.position_id = position_id;
  payment.amount = 2500;
  payment.paid_on = (char *) "2025-02-01";
  payment.reference = notice;
  payment.channel = (char *) "pagopa";
  snapshot (store, counts);
  payment_id = esa_store_add_payment (store, &payment, &error);
  g_assert_no_error (error);
  assert_recorded (store, counts, "payments", 1, payment_id, "event", 1);

  entry.debtor_id = fixture->debtor;
  entry.channel = (char *) "phone";
  entry.direction = (char *) "in";
  entry.subject = (char *) "Asks for an instalment plan";
  entry.duration_s = 240;
  snapshot (store, counts);
  entry_id = esa_store_add_contact_entry (store, &entry, &error);
  g_assert_no_error (error);
  assert_recorded (store, counts, "contact_log", 1, entry_id, "event", 1);

  document.debtor_id = fixture->debtor;
  document.act_id = act_id;
  document.title = (char *) "Injunction ING-2025-000001";
  document.mime_type = (char *) "application/pdf";
  document.sha256 = (char *) "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  document.size = 12345;
  snapshot (store, counts);
  document_id = esa_store_add_document (store, &document, &error);
  g_assert_no_error (error);
  assert_recorded (store, counts, "documents", 1, document_id, "event", 1);

  g_assert_cmpint (esa_store_count_pending_ops (store, &error), ==,
                   count_rows (store, "outbox"));
  g_assert_true (esa_store_audit_verify (store, NULL, &error));
  g_assert_no_error (error);
}

/* The clock stamps of the outbox grow with every operation. */
static void
test_outbox_clock_grows (Fixture       *fixture,
                         gconstpointer  data)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *previous = NULL;
  guint n = 0;

  g_assert_cmpint (sqlite3_prepare_v2 (_esa_store_get_db (fixture->store),
                                       "SELECT hlc FROM outbox ORDER BY seq", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *hlc = (const char *) sqlite3_column_text (stmt, 0);

      if (previous != NULL)
        g_assert_cmpint (strcmp (previous, hlc), <, 0);
      g_free (previous);
      previous = g_strdup (hlc);
      n++;
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (n, >, 5);
}

/* A failing write leaves every table as it was, even when it failed after
 * writing some rows. */
static void
test_failing_writes_change_nothing (Fixture       *fixture,
                                    gconstpointer  data)
{
  EsaStore *store = fixture->store;
  gint64 counts[N_COUNTED];
  g_autofree char *position_id = add_position (fixture, fixture->debtor, fixture->body_it,
                                               "IMU-2023-7", NULL, 5000, 0, 0, 0, 0);
  g_autofree char *other_position = add_position (fixture, fixture->other_debtor,
                                                  fixture->body_it, "IMU-2023-8", NULL, 100, 0,
                                                  0, 0, 0);

  snapshot (store, counts);

  /* A tax code with a wrong check character. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(EsaDebtor) debtor = debtor_new ("Rossi Mario", "RSSMRA85T10A562T", "cf",
                                              fixture->office);
    g_autofree char *id = esa_store_add_debtor (store, debtor, &error);

    g_assert_null (id);
    g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "RSSMRA85T10A562T"));
    assert_unchanged (store, counts);
  }

  /* A debtor whose second contact is bad: the debtor row and the first
   * contact were written before the failure. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(EsaDebtor) debtor = debtor_new ("Gialli Pia", NULL, NULL, fixture->office);
    g_autofree char *id = NULL;

    debtor_add_contact (debtor, "phone", "+39 06 555 0000");
    debtor_add_contact (debtor, "email", "not an address");
    id = esa_store_add_debtor (store, debtor, &error);
    g_assert_null (id);
    g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
    assert_unchanged (store, counts);
  }

  /* A position for a debtor that does not exist. */
  {
    g_autoptr(GError) error = NULL;
    EsaPosition position = position_template ("no-such-debtor", fixture->body_it, "X-1");
    g_autofree char *id = NULL;

    position.principal = 100;
    id = esa_store_add_position (store, &position, &error);
    g_assert_null (id);
    g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, "no-such-debtor"));
    assert_unchanged (store, counts);
  }

  /* A negative amount. */
  {
    g_autoptr(GError) error = NULL;
    EsaPosition position = position_template (fixture->debtor, fixture->body_it, "X-2");
    g_autofree char *id = NULL;

    position.principal = -100;
    id = esa_store_add_position (store, &position, &error);
    g_assert_null (id);
    g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
    assert_unchanged (store, counts);
  }

  /* A payment above the balance. */
  {
    g_autoptr(GError) error = NULL;
    EsaPayment payment = { 0, };
    g_autofree char *id = NULL;

    payment.position_id = position_id;
    payment.amount = 5001;
    payment.paid_on = (char *) "2025-03-01";
    payment.channel = (char *) "bank";
    id = esa_store_add_payment (store, &payment, &error);
    g_assert_null (id);
    g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "IMU-2023-7"));
    assert_unchanged (store, counts);
  }

  /* A case that pursues another debtor's position, after its own one. */
  {
    g_autoptr(GError) error = NULL;
    EsaCase case_record = { 0, };
    const char *positions[] = { position_id, other_position, NULL };
    g_autofree char *id = NULL;

    case_record.debtor_id = fixture->debtor;
    case_record.body_id = fixture->body_it;
    case_record.procedure_id = (char *) "it-coercive";
    case_record.state = (char *) "open";
    case_record.opened_on = (char *) "2025-01-01";
    id = esa_store_add_case (store, &case_record, positions, &error);
    g_assert_null (id);
    g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, other_position));
    assert_unchanged (store, counts);
  }

  /* An unknown field and a bad date in a field edit. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (esa_store_update_debtor_field (store, fixture->debtor, "tax_id", "X",
                                                   &error));
    g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_false (esa_store_update_debtor_field (store, fixture->debtor, "deceased_on",
                                                   "2023-02-30", &error));
    g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "2023-02-30"));
    assert_unchanged (store, counts);
  }

  /* A new address that starts before the current one. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(EsaAddress) address = address_new ("Via Po 1", "10100", "Torino", "IT",
                                                 "2019-05-01");

    g_assert_false (esa_store_move_debtor (store, fixture->debtor, address, &error));
    g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
    assert_unchanged (store, counts);
  }

  /* A row id that is already taken. */
  {
    g_autoptr(GError) error = NULL;
    EsaOffice office = { fixture->office, (char *) "Doppione", NULL, (char *) "IT" };
    g_autofree char *id = esa_store_add_office (store, &office, &error);

    g_assert_null (id);
    g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
    assert_unchanged (store, counts);
  }
}

/* Inside the caller's transaction a failing call undoes only itself. */
static void
test_explicit_transaction (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  EsaStore *store = fixture->store;
  gint64 debtors = count_rows (store, "debtors");
  g_autoptr(EsaDebtor) good = debtor_new ("Blu Aldo", NULL, NULL, fixture->office);
  g_autoptr(EsaDebtor) bad = debtor_new ("Viola Ada", "12345", "piva", fixture->office);
  g_autofree char *first = NULL;
  g_autofree char *failed = NULL;
  g_autofree char *second = NULL;

  g_assert_true (_esa_store_begin (store, &error));
  g_assert_false (_esa_store_begin (store, &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
  g_clear_error (&error);

  first = esa_store_add_debtor (store, good, &error);
  g_assert_no_error (error);
  failed = esa_store_add_debtor (store, bad, &error);
  g_assert_null (failed);
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
  g_clear_error (&error);
  second = esa_store_add_debtor (store, good, &error);
  g_assert_no_error (error);
  g_assert_true (_esa_store_commit (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (store, "debtors"), ==, debtors + 2);

  g_assert_true (_esa_store_begin (store, &error));
  g_free (first);
  first = esa_store_add_debtor (store, good, &error);
  g_assert_no_error (error);
  _esa_store_rollback (store);
  g_assert_cmpint (count_rows (store, "debtors"), ==, debtors + 2);
  g_assert_true (esa_store_audit_verify (store, NULL, &error));
  g_assert_no_error (error);
}

/* Totals per body and currency, computed by the store, equal the sums of
 * the positions entered; cancelled positions are not owed. */
static void
test_dossier_totals (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaDossier) dossier = NULL;
  g_autofree char *p1 = add_position (fixture, fixture->debtor, fixture->body_it, "TARI-1", NULL,
                                      100000, 3000, 1250, 600, 20000);
  g_autofree char *p2 = add_position (fixture, fixture->debtor, fixture->body_it, "IMU-1",
                                      "suspended", 45050, 0, 99, 1000, 0);
  g_autofree char *p3 = add_position (fixture, fixture->debtor, fixture->body_it, "IMU-2",
                                      "cancelled", 99999, 0, 0, 0, 0);
  g_autofree char *p4 = add_position (fixture, fixture->debtor, fixture->body_ch, "BET-1", NULL,
                                      250000, 0, 12500, 2000, 0);
  g_autofree char *p5 = add_position (fixture, fixture->debtor, fixture->body_ch, "BET-2",
                                      "paid", 7000, 0, 0, 700, 7700);
  g_autofree char *p6 = add_position (fixture, fixture->other_debtor, fixture->body_it, "TARI-9",
                                      NULL, 555, 0, 0, 0, 0);
  EsaTotals *ch;
  EsaTotals *it;

  dossier = esa_store_load_dossier (fixture->store, fixture->debtor, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dossier->debtor->name, ==, "Rossi Mario");
  g_assert_cmpuint (dossier->positions->len, ==, 5);
  g_assert_cmpuint (dossier->totals->len, ==, 2);

  /* Ordered by body name: "Comune di Esempio" before "Creditore Svizzero". */
  it = dossier->totals->pdata[0];
  ch = dossier->totals->pdata[1];
  g_assert_cmpstr (it->body_id, ==, fixture->body_it);
  g_assert_cmpstr (it->body_name, ==, "Comune di Esempio");
  g_assert_cmpstr (it->currency, ==, "EUR");
  g_assert_cmpint (it->principal, ==, 100000 + 45050);
  g_assert_cmpint (it->sanctions, ==, 3000);
  g_assert_cmpint (it->interest, ==, 1250 + 99);
  g_assert_cmpint (it->costs, ==, 600 + 1000);
  g_assert_cmpint (it->paid, ==, 20000);
  g_assert_cmpint (it->balance, ==, 104850 - 20000 + 46149);

  g_assert_cmpstr (ch->body_id, ==, fixture->body_ch);
  g_assert_cmpstr (ch->currency, ==, "CHF");
  g_assert_cmpint (ch->principal, ==, 257000);
  g_assert_cmpint (ch->interest, ==, 12500);
  g_assert_cmpint (ch->costs, ==, 2700);
  g_assert_cmpint (ch->paid, ==, 7700);
  g_assert_cmpint (ch->balance, ==, 264500);

  g_assert_true (dossier->has_suspended_position);
  g_assert_false (dossier->has_active_plan);
}

/* The dossier brings every part with its joins: officer and user names,
 * the latest notification attempt, newest first where it matters. */
static void
test_dossier_parts (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaDossier) dossier = NULL;
  EsaStore *store = fixture->store;
  g_autofree char *position = add_position (fixture, fixture->debtor, fixture->body_it, "TARI-5",
                                            NULL, 30000, 0, 0, 0, 0);
  g_autofree char *case_id = NULL;
  g_autofree char *act1 = NULL;
  g_autofree char *act2 = NULL;
  g_autofree char *n = NULL;
  g_autofree char *pay1 = NULL;
  g_autofree char *pay2 = NULL;
  g_autofree char *contact = NULL;
  g_autofree char *plan_sql = NULL;
  const char *positions[] = { position, NULL };
  EsaCase case_record = { 0, };
  EsaAct act = { 0, };
  EsaPayment payment = { 0, };
  EsaContactEntry entry = { 0, };
  EsaAct *act_read;
  EsaAuditEntry *newest;

  esa_store_set_acting_user (store, fixture->officer);

  case_record.debtor_id = fixture->debtor;
  case_record.body_id = fixture->body_it;
  case_record.procedure_id = (char *) "it-coercive";
  case_record.state = (char *) "injunction_issued";
  case_record.officer_id = fixture->officer;
  case_record.opened_on = (char *) "2025-01-10";
  case_record.next_deadline = (char *) "2025-03-11";
  case_record.next_deadline_label = (char *) "Payment deadline";
  case_id = esa_store_add_case (store, &case_record, positions, &error);
  g_assert_no_error (error);

  act.case_id = case_id;
  act.type = (char *) "injunction";
  act.number = (char *) "ING-2025-000010";
  act.issued_on = (char *) "2025-01-12";
  act1 = esa_store_add_act (store, &act, &error);
  g_assert_no_error (error);
  act.type = (char *) "reminder";
  act.number = (char *) "SOL-2025-000011";
  act.issued_on = (char *) "2025-04-01";
  act2 = esa_store_add_act (store, &act, &error);
  g_assert_no_error (error);

  /* The first attempt failed, the second was delivered. */
  n = esa_store_add_notification (store, act1, "post", "failed", "2025-01-20", "moved away",
                                  &error);
  g_assert_no_error (error);
  g_free (n);
  n = esa_store_add_notification (store, act1, "pec", "delivered", "2025-01-25", NULL, &error);
  g_assert_no_error (error);

  payment.position_id = position;
  payment.amount = 1000;
  payment.paid_on = (char *) "2025-02-01";
  payment.channel = (char *) "pagopa";
  pay1 = esa_store_add_payment (store, &payment, &error);
  g_assert_no_error (error);
  payment.paid_on = (char *) "2025-03-01";
  pay2 = esa_store_add_payment (store, &payment, &error);
  g_assert_no_error (error);

  entry.debtor_id = fixture->debtor;
  entry.channel = (char *) "counter";
  entry.direction = (char *) "in";
  entry.occurred_at = (char *) "2025-02-02T10:00:00Z";
  entry.subject = (char *) "Came to pay";
  contact = esa_store_add_contact_entry (store, &entry, &error);
  g_assert_no_error (error);

  plan_sql = g_strdup_printf ("INSERT INTO instalment_plans (id, debtor_id, case_id, state, "
                              "total, currency, first_due) VALUES ('plan-1', '%s', '%s', "
                              "'active', 28000, 'EUR', '2025-05-01');"
                              "INSERT INTO instalments (id, plan_id, seq, due_on, amount, paid) "
                              "VALUES ('i1', 'plan-1', 1, '2025-05-01', 14000, 14000), "
                              "('i2', 'plan-1', 2, '2025-06-01', 14000, 0);",
                              fixture->debtor, case_id);
  g_assert_cmpint (sqlite3_exec (_esa_store_get_db (store), plan_sql, NULL, NULL, NULL), ==,
                   SQLITE_OK);

  dossier = esa_store_load_dossier (store, fixture->debtor, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (dossier->debtor->addresses->len, ==, 1);
  g_assert_cmpuint (dossier->debtor->contacts->len, ==, 2);

  g_assert_cmpuint (dossier->cases->len, ==, 1);
  g_assert_cmpstr (((EsaCase *) dossier->cases->pdata[0])->officer_name, ==, "Verdi Giulia");
  g_assert_cmpstr (((EsaCase *) dossier->cases->pdata[0])->office_id, ==, fixture->office);
  g_assert_cmpstr (((EsaCase *) dossier->cases->pdata[0])->next_deadline_label, ==,
                   "Payment deadline");

  g_assert_cmpuint (dossier->acts->len, ==, 2);
  act_read = dossier->acts->pdata[0];
  g_assert_cmpstr (act_read->number, ==, "SOL-2025-000011");
  g_assert_cmpstr (act_read->notification_state, ==, "pending");
  g_assert_null (act_read->notified_on);
  act_read = dossier->acts->pdata[1];
  g_assert_cmpstr (act_read->id, ==, act1);
  g_assert_cmpstr (act_read->notification_state, ==, "delivered");
  g_assert_cmpstr (act_read->notified_on, ==, "2025-01-25");

  g_assert_cmpuint (dossier->payments->len, ==, 2);
  g_assert_cmpstr (((EsaPayment *) dossier->payments->pdata[0])->id, ==, pay2);
  g_assert_cmpstr (((EsaPayment *) dossier->payments->pdata[0])->debtor_id, ==, fixture->debtor);
  g_assert_cmpstr (((EsaPayment *) dossier->payments->pdata[0])->currency, ==, "EUR");
  g_assert_cmpint (((EsaPosition *) dossier->positions->pdata[0])->paid, ==, 2000);

  g_assert_cmpuint (dossier->plans->len, ==, 1);
  g_assert_cmpint (((EsaInstalmentPlan *) dossier->plans->pdata[0])->instalments, ==, 2);
  g_assert_cmpint (((EsaInstalmentPlan *) dossier->plans->pdata[0])->paid_instalments, ==, 1);
  g_assert_true (dossier->has_active_plan);
  g_assert_false (dossier->has_suspended_position);

  g_assert_cmpuint (dossier->contacts->len, ==, 1);
  g_assert_cmpstr (((EsaContactEntry *) dossier->contacts->pdata[0])->user_name, ==,
                   "Verdi Giulia");

  /* History: this debtor's entries only, newest first, made by the
   * acting user. */
  g_assert_cmpuint (dossier->history->len, >=, 8);
  newest = dossier->history->pdata[0];
  g_assert_cmpstr (newest->entity, ==, "contact");
  g_assert_cmpstr (newest->user_id, ==, fixture->officer);
  for (guint i = 1; i < dossier->history->len; i++)
    {
      EsaAuditEntry *a = dossier->history->pdata[i - 1];
      EsaAuditEntry *b = dossier->history->pdata[i];

      g_assert_cmpint (a->seq, >, b->seq);
      g_assert_cmpstr (b->debtor_id, ==, fixture->debtor);
    }
}

/* A field edit bumps the version and records the old value. */
static void
test_field_edit (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaDebtor) before = NULL;
  g_autoptr(EsaDebtor) after = NULL;
  g_autofree char *summary = NULL;
  EsaStore *store = fixture->store;
  OutboxRow row = { NULL, };
  JsonObject *payload;
  gint64 ops;

  before = esa_store_get_debtor (store, fixture->debtor, &error);
  g_assert_no_error (error);
  g_assert_cmpint (before->version, ==, 1);

  g_assert_true (esa_store_update_debtor_field (store, fixture->debtor, "name",
                                                "Rossi Mario Luigi", &error));
  g_assert_no_error (error);

  after = esa_store_get_debtor (store, fixture->debtor, &error);
  g_assert_no_error (error);
  g_assert_cmpint (after->version, ==, 2);
  g_assert_cmpstr (after->name, ==, "Rossi Mario Luigi");

  last_outbox_row (store, fixture->debtor, &row);
  g_assert_cmpstr (row.kind, ==, "field");
  g_assert_cmpstr (row.entity, ==, "debtor");
  g_assert_cmpint (row.base_version, ==, 1);
  payload = json_node_get_object (row.payload);
  g_assert_cmpstr (json_object_get_string_member (payload, "field"), ==, "name");
  g_assert_cmpstr (json_object_get_string_member (payload, "value"), ==, "Rossi Mario Luigi");
  g_assert_cmpstr (json_object_get_string_member (payload, "old"), ==, "Rossi Mario");
  outbox_row_clear (&row);

  summary = sql_text (store, "SELECT summary FROM audit ORDER BY seq DESC LIMIT 1");
  g_assert_nonnull (strstr (summary, "Rossi Mario"));
  g_assert_nonnull (strstr (summary, "Rossi Mario Luigi"));

  /* The search index follows the name. */
  {
    g_autoptr(GPtrArray) hits = esa_store_search (store, "luigi", 10, 0, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (hits->len, ==, 1);
  }

  /* The same value again changes nothing. */
  ops = count_rows (store, "outbox");
  g_assert_true (esa_store_update_debtor_field (store, fixture->debtor, "name",
                                                "Rossi Mario Luigi", &error));
  g_assert_cmpint (count_rows (store, "outbox"), ==, ops);

  /* A date, then clearing it: the null is recorded as such. */
  g_assert_true (esa_store_update_debtor_field (store, fixture->debtor, "deceased_on",
                                                "2025-06-01", &error));
  g_assert_no_error (error);
  g_assert_true (esa_store_update_debtor_field (store, fixture->debtor, "deceased_on", NULL,
                                                &error));
  g_assert_no_error (error);
  last_outbox_row (store, fixture->debtor, &row);
  payload = json_node_get_object (row.payload);
  g_assert_true (json_object_get_null_member (payload, "value"));
  g_assert_cmpstr (json_object_get_string_member (payload, "old"), ==, "2025-06-01");
  g_assert_cmpint (row.base_version, ==, 3);
  outbox_row_clear (&row);

  /* A person does not cease like a company. */
  g_assert_false (esa_store_update_debtor_field (store, fixture->debtor, "ceased_on",
                                                 "2025-06-01", &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
}

/* Unknown ids are NOT_FOUND, and the message names the id. */
static void
test_not_found (Fixture       *fixture,
                gconstpointer  data)
{
  EsaStore *store = fixture->store;
  const char *missing = "00000000-dead-4bee-8000-000000000000";

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(EsaDebtor) debtor = esa_store_get_debtor (store, missing, &error);

    g_assert_null (debtor);
    g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, missing));
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(EsaDossier) dossier = esa_store_load_dossier (store, missing, &error);

    g_assert_null (dossier);
    g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, missing));
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (esa_store_update_debtor_field (store, missing, "name", "X", &error));
    g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, missing));
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(EsaBody) body = esa_store_get_body (store, missing, &error);

    g_assert_null (body);
    g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, missing));
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(EsaUser) user = esa_store_get_user (store, missing, &error);

    g_assert_null (user);
    g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, missing));
  }
  {
    g_autoptr(GError) error = NULL;
    EsaPayment payment = { 0, };
    g_autofree char *id = NULL;

    payment.position_id = (char *) missing;
    payment.amount = 100;
    payment.paid_on = (char *) "2025-01-01";
    payment.channel = (char *) "cash";
    id = esa_store_add_payment (store, &payment, &error);
    g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, missing));
  }
}

/* Payments raise the paid amount; the balance reaching zero makes the
 * position paid; what is not owed cannot be paid. */
static void
test_payments_settle (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  EsaStore *store = fixture->store;
  g_autofree char *notice = notice_number (7);
  g_autofree char *qrr = qr_reference (99);
  g_autofree char *position_id = NULL;
  g_autofree char *cancelled = add_position (fixture, fixture->debtor, fixture->body_ch, "BET-9",
                                             "cancelled", 1000, 0, 0, 0, 0);
  g_autofree char *p1 = NULL;
  g_autofree char *p2 = NULL;
  g_autofree char *sql = NULL;
  EsaPosition position = position_template (fixture->debtor, fixture->body_it, "TARI-7");
  EsaPayment payment = { 0, };
  g_autofree char *state = NULL;

  position.principal = 10000;
  position.costs = 500;
  position.payment_reference = notice;
  position_id = esa_store_add_position (store, &position, &error);
  g_assert_no_error (error);

  /* The same payment reference twice would make payments ambiguous. */
  {
    EsaPosition twin = position_template (fixture->other_debtor, fixture->body_it, "TARI-8");
    g_autofree char *id = NULL;

    twin.principal = 1;
    twin.payment_reference = notice;
    id = esa_store_add_position (store, &twin, &error);
    g_assert_null (id);
    g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
    g_clear_error (&error);
  }

  /* A Swiss body's positions carry QR references, not notice numbers. */
  {
    EsaPosition swiss = position_template (fixture->debtor, fixture->body_ch, "BET-10");
    g_autofree char *id = NULL;

    swiss.principal = 1;
    swiss.payment_reference = notice;
    id = esa_store_add_position (store, &swiss, &error);
    g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
    g_clear_error (&error);
    swiss.payment_reference = qrr;
    g_free (id);
    id = esa_store_add_position (store, &swiss, &error);
    g_assert_no_error (error);
  }

  payment.position_id = position_id;
  payment.amount = 4000;
  payment.paid_on = (char *) "2025-02-01";
  payment.channel = (char *) "pagopa";
  p1 = esa_store_add_payment (store, &payment, &error);
  g_assert_no_error (error);
  sql = g_strdup_printf ("SELECT state || ' ' || paid || ' ' || version FROM positions "
                         "WHERE id = '%s'", position_id);
  state = sql_text (store, sql);
  g_assert_cmpstr (state, ==, "open 4000 2");

  /* Another currency than the position's. */
  payment.currency = (char *) "CHF";
  g_assert_null (esa_store_add_payment (store, &payment, &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
  g_clear_error (&error);
  payment.currency = NULL;

  payment.amount = 6500;
  p2 = esa_store_add_payment (store, &payment, &error);
  g_assert_no_error (error);
  g_free (state);
  state = sql_text (store, sql);
  g_assert_cmpstr (state, ==, "paid 10500 3");

  /* Nothing is owed any more. */
  payment.amount = 1;
  g_assert_null (esa_store_add_payment (store, &payment, &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
  g_clear_error (&error);

  payment.position_id = cancelled;
  g_assert_null (esa_store_add_payment (store, &payment, &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "BET-9"));
  g_clear_error (&error);

  /* A payment matched to nobody yet. */
  {
    EsaPayment unmatched = { 0, };
    g_autofree char *id = NULL;

    unmatched.body_id = fixture->body_ch;
    unmatched.amount = 1234;
    unmatched.paid_on = (char *) "2025-02-03";
    unmatched.reference = (char *) "RF18539007547034";
    unmatched.channel = (char *) "bank";
    id = esa_store_add_payment (store, &unmatched, &error);
    g_assert_no_error (error);
    g_free (sql);
    sql = g_strdup_printf ("SELECT currency FROM payments WHERE id = '%s'", id);
    g_free (state);
    state = sql_text (store, sql);
    g_assert_cmpstr (state, ==, "CHF");
  }
}

/* Moving ends the current address the day the new one starts. */
static void
test_move_debtor (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaAddress) address = address_new ("Corso Francia 8", "10138", "Torino", "IT",
                                               "2025-09-01");
  g_autoptr(EsaDebtor) debtor = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  EsaAddress *current;
  EsaAddress *old;
  OutboxRow row = { NULL, };

  g_assert_true (esa_store_move_debtor (fixture->store, fixture->debtor, address, &error));
  g_assert_no_error (error);

  debtor = esa_store_get_debtor (fixture->store, fixture->debtor, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (debtor->addresses->len, ==, 2);
  current = debtor->addresses->pdata[0];
  old = debtor->addresses->pdata[1];
  g_assert_cmpstr (current->town, ==, "Torino");
  g_assert_null (current->valid_to);
  g_assert_cmpstr (old->town, ==, "Milano");
  g_assert_cmpstr (old->valid_to, ==, "2025-09-01");

  last_outbox_row (fixture->store, old->id, &row);
  g_assert_cmpstr (row.kind, ==, "field");
  g_assert_cmpstr (row.entity, ==, "address");
  g_assert_cmpint (row.base_version, ==, 1);
  outbox_row_clear (&row);

  hits = esa_store_search (fixture->store, "torino", 10, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpstr (((EsaSearchHit *) hits->pdata[0])->town, ==, "Torino");
}

/* Writes are recorded in the acting user's name; auditors and unknown
 * users may not write. */
static void
test_acting_user (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  EsaStore *store = fixture->store;
  EsaOffice office = { NULL, (char *) "Sede sud", NULL, (char *) "IT" };
  gint64 counts[N_COUNTED];
  g_autofree char *id = NULL;
  g_autofree char *user_id = NULL;

  esa_store_set_acting_user (store, fixture->auditor);
  g_assert_cmpstr (esa_store_get_acting_user (store), ==, fixture->auditor);
  snapshot (store, counts);
  g_assert_null (esa_store_add_office (store, &office, &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_false (esa_store_update_debtor_field (store, fixture->debtor, "name", "X", &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_FORBIDDEN);
  g_clear_error (&error);

  esa_store_set_acting_user (store, "nobody");
  g_assert_null (esa_store_add_office (store, &office, &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_FORBIDDEN);
  g_assert_nonnull (strstr (error->message, "nobody"));
  g_clear_error (&error);
  assert_unchanged (store, counts);

  esa_store_set_acting_user (store, fixture->officer);
  id = esa_store_add_office (store, &office, &error);
  g_assert_no_error (error);
  user_id = sql_text (store, "SELECT user_id FROM audit ORDER BY seq DESC LIMIT 1");
  g_assert_cmpstr (user_id, ==, fixture->officer);

  esa_store_set_acting_user (store, NULL);
  g_assert_null (esa_store_get_acting_user (store));
}

static void
test_lists_and_counts (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  EsaStore *store = fixture->store;
  g_autoptr(GPtrArray) bodies = NULL;
  g_autoptr(GPtrArray) offices = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GPtrArray) stats = NULL;
  g_autoptr(EsaBody) body = NULL;
  g_autoptr(EsaUser) user = NULL;
  g_autofree char *p1 = add_position (fixture, fixture->debtor, fixture->body_it, "A-1", NULL, 1,
                                      0, 0, 0, 0);
  g_autofree char *p2 = add_position (fixture, fixture->other_debtor, fixture->body_it, "A-2",
                                      NULL, 1, 0, 0, 0, 0);
  EsaOfficeStats *office_stats;

  bodies = esa_store_list_bodies (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bodies->len, ==, 2);
  g_assert_cmpstr (((EsaBody *) bodies->pdata[0])->name, ==, "Comune di Esempio");
  g_assert_cmpstr (((EsaBody *) bodies->pdata[0])->tax_code, ==, "00743110157");
  g_assert_cmpstr (((EsaBody *) bodies->pdata[1])->tax_code, ==, "CHE116281710");

  body = esa_store_get_body (store, fixture->body_ch, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (body->currency, ==, "CHF");
  g_assert_null (body->segregation_code);

  offices = esa_store_list_offices (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (offices->len, ==, 1);

  users = esa_store_list_users (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (users->len, ==, 2);
  g_assert_cmpstr (((EsaUser *) users->pdata[0])->name, ==, "Neri Paolo");
  g_assert_cmpint (((EsaUser *) users->pdata[0])->role, ==, ESA_ROLE_AUDITOR);
  g_assert_cmpstr (((EsaUser *) users->pdata[0])->office_name, ==, "Sede centrale");

  user = esa_store_get_user (store, fixture->officer, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (user->login, ==, "gverdi");
  g_assert_cmpint (user->role, ==, ESA_ROLE_OFFICER);

  stats = esa_store_office_stats (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats->len, ==, 1);
  office_stats = stats->pdata[0];
  g_assert_cmpstr (office_stats->office_id, ==, fixture->office);
  g_assert_cmpint (office_stats->debtors, ==, 2);
  g_assert_cmpint (office_stats->positions, ==, 2);
  g_assert_cmpint (office_stats->cases, ==, 0);

  g_assert_cmpint (esa_store_count_debtors (store, &error), ==, 2);
  g_assert_cmpint (esa_store_count_positions (store, &error), ==, 2);
  g_assert_cmpint (esa_store_count_pending_ops (store, &error), ==, count_rows (store, "outbox"));
  g_assert_no_error (error);
}

/* Roles: names in the database and back. */
static void
test_roles (void)
{
  for (guint i = 0; i < ESA_N_ROLES; i++)
    {
      EsaRole role;

      g_assert_true (esa_role_from_string (esa_role_to_string ((EsaRole) i), &role));
      g_assert_cmpint (role, ==, (EsaRole) i);
      g_assert_nonnull (esa_role_describe ((EsaRole) i));
    }
  g_assert_cmpstr (esa_role_to_string (ESA_ROLE_FIELD_OFFICER), ==, "field_officer");
  g_assert_false (esa_role_from_string ("boss", NULL));
  g_assert_false (esa_role_from_string (NULL, NULL));
}

/* A database file in a new folder of its own, removed with it by
 * remove_db_file(). */
static char *
new_db_file (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("esa-store-XXXXXX", &error);

  g_assert_no_error (error);
  return g_build_filename (dir, name, NULL);
}

static void
remove_db_file (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  const char *suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_remove (file);
    }
  g_rmdir (dir);
}

/* A given id is kept; the clock continues after a reopen. */
static void
test_given_id_and_clock_on_reopen (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = new_db_file ("clock.db");
  g_autofree char *first_hlc = NULL;
  g_autofree char *second_hlc = NULL;
  g_autofree char *id = NULL;
  g_autofree char *id2 = NULL;
  EsaOffice office = { (char *) "office-given-id", (char *) "Sede", NULL, (char *) "CH" };
  EsaStore *store;

  store = esa_store_open (path, &error);
  g_assert_no_error (error);
  id = esa_store_add_office (store, &office, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, "office-given-id");
  /* Pretend the clock ran ahead (a stamp from a device whose clock was
   * fast), so that a continuation from the wall clock alone would go back. */
  g_assert_cmpint (sqlite3_exec (_esa_store_get_db (store),
                                 "UPDATE outbox SET hlc = '9000000000000-000005'", NULL, NULL,
                                 NULL),
                   ==, SQLITE_OK);
  first_hlc = sql_text (store, "SELECT hlc FROM outbox ORDER BY seq DESC LIMIT 1");
  g_object_unref (store);

  store = esa_store_open (path, &error);
  g_assert_no_error (error);
  office.id = NULL;
  id2 = esa_store_add_office (store, &office, &error);
  g_assert_no_error (error);
  second_hlc = sql_text (store, "SELECT hlc FROM outbox ORDER BY seq DESC LIMIT 1");
  g_assert_cmpint (strcmp (first_hlc, second_hlc), <, 0);
  g_object_unref (store);

  remove_db_file (path);
}

static gint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64) st.st_size : -1;
}

/* A commit that makes the log long does not copy it into the file itself:
 * the store's checkpoint thread does, the next write waits for it, and the
 * close copies the rest. */
static void
test_checkpoint_in_background (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = new_db_file ("checkpoint.db");
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *id = NULL;
  EsaOffice office = { NULL, (char *) "Sede", NULL, (char *) "CH" };
  EsaStore *store;
  gint64 before;

  store = esa_store_open (path, &error);
  g_assert_no_error (error);

  /* A short commit asks for no checkpoint. */
  id = esa_store_add_office (store, &office, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (_esa_store_wait_checkpoints (store), ==, 0);

  /* About 2,000 pages of 4 KiB: only a checkpoint puts them in the file. */
  before = file_size (path);
  g_assert_cmpint (sqlite3_exec (_esa_store_get_db (store),
                                 "BEGIN IMMEDIATE;"
                                 "CREATE TABLE test_filler (x BLOB);"
                                 "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 "
                                 "  FROM n WHERE i < 2000) "
                                 "INSERT INTO test_filler SELECT randomblob (3000) FROM n;"
                                 "COMMIT;",
                                 NULL, NULL, NULL),
                   ==, SQLITE_OK);
  /* The next write waits for the copy to end, so that it starts the log
   * again instead of making it longer. */
  office.name = (char *) "Sede due";
  g_clear_pointer (&id, g_free);
  id = esa_store_add_office (store, &office, &error);
  g_assert_no_error (error);
  g_assert_cmpint (file_size (path), >=, before + 2000 * 3000);
  g_assert_cmpuint (_esa_store_wait_checkpoints (store), >=, 1);
  g_assert_cmpint (sql_int (store, "SELECT count(*) FROM test_filler"), ==, 2000);
  g_object_unref (store);

  /* The close, the last connection, copied the rest and removed the log. */
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  store = esa_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sql_int (store, "SELECT count(*) FROM test_filler"), ==, 2000);
  g_assert_cmpint (sql_int (store, "SELECT count(*) FROM offices"), ==, 2);
  g_object_unref (store);

  remove_db_file (path);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/store/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("add-records-everything", test_add_records_everything);
  ADD ("outbox-clock-grows", test_outbox_clock_grows);
  ADD ("failing-writes-change-nothing", test_failing_writes_change_nothing);
  ADD ("explicit-transaction", test_explicit_transaction);
  ADD ("dossier-totals", test_dossier_totals);
  ADD ("dossier-parts", test_dossier_parts);
  ADD ("field-edit", test_field_edit);
  ADD ("not-found", test_not_found);
  ADD ("payments-settle", test_payments_settle);
  ADD ("move-debtor", test_move_debtor);
  ADD ("acting-user", test_acting_user);
  ADD ("lists-and-counts", test_lists_and_counts);
  g_test_add_func ("/store/roles", test_roles);
  g_test_add_func ("/store/given-id-and-clock-on-reopen", test_given_id_and_clock_on_reopen);
  g_test_add_func ("/store/checkpoint-in-background", test_checkpoint_in_background);

#undef ADD

  return g_test_run ();
}
