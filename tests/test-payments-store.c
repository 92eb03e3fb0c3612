/* test-payments-store.c: importing payment flows into the store: matching by
 * IUV, notice number, QR reference and creditor reference, allocation over
 * the components, over-, under- and double payments, revoked payments, the
 * same file twice, a re-sent flow replacing the earlier one, closing paid
 * cases, the unmatched queue with scored candidates, parking and assigning
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <string.h>

#include "esa-core.h"
#include "esa-store-payments.h"
#include "esa-store-sync.h"
#include "esa-store-test.h"

#define TAX_ROSSI   "RSSMRA85T10A562S"
#define TAX_BOSCO   "BSCMTT83A12L719R"
#define BODY_TAX    "00743110157"

typedef struct
{
  EsaStore      *store;
  EsaParameters *params;
  GPtrArray     *procedures;
  char          *body_it;
  char          *body_ch;
  char          *office;
  char          *officer;
  char          *auditor;
  char          *rossi;
  char          *bosco;
} Fixture;

/* ---- helpers ------------------------------------------------------------ */

/* The rows of every table but the search index's own. */
static GHashTable *
count_rows (EsaStore *store)
{
  return esa_store_test_count_rows (store, "debtor_search_");
}

static char *
add_debtor (Fixture    *fixture,
            const char *name,
            const char *tax_id)
{
  g_autoptr(GError) error = NULL;
  EsaDebtor debtor = { 0 };
  char *id;

  debtor.kind = ESA_DEBTOR_PERSON;
  debtor.name = (char *) name;
  debtor.tax_id = (char *) tax_id;
  debtor.tax_id_kind = (char *) "cf";
  debtor.office_id = fixture->office;
  id = esa_store_add_debtor (fixture->store, &debtor, &error);
  g_assert_no_error (error);
  return id;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  EsaBody it = { NULL, "Comune di Esempio", "IT", "EUR", (char *) BODY_TAX, NULL, (char *) "01" };
  EsaBody ch = { NULL, "Creditore Svizzero", "CH", "CHF", NULL, NULL, NULL };
  EsaOffice office = { NULL, "Ufficio", "Lugano", "IT" };

  fixture->store = esa_store_test_open_memory (&fixture->params, &fixture->procedures);

  fixture->body_it = esa_store_add_body (fixture->store, &it, &error);
  g_assert_no_error (error);
  fixture->body_ch = esa_store_add_body (fixture->store, &ch, &error);
  g_assert_no_error (error);
  fixture->office = esa_store_add_office (fixture->store, &office, &error);
  g_assert_no_error (error);
  fixture->officer = esa_store_test_add_user (fixture->store, fixture->office, "officer",
                                              ESA_ROLE_OFFICER);
  fixture->auditor = esa_store_test_add_user (fixture->store, fixture->office, "auditor",
                                              ESA_ROLE_AUDITOR);
  fixture->rossi = add_debtor (fixture, "Rossi Mario", TAX_ROSSI);
  fixture->bosco = add_debtor (fixture, "Bosco Matteo", TAX_BOSCO);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->params);
  g_clear_pointer (&fixture->procedures, g_ptr_array_unref);
  g_free (fixture->body_it);
  g_free (fixture->body_ch);
  g_free (fixture->office);
  g_free (fixture->officer);
  g_free (fixture->auditor);
  g_free (fixture->rossi);
  g_free (fixture->bosco);
}

typedef struct
{
  const char *debtor;
  gboolean    swiss;
  const char *reference;
  const char *due_date;
  gint64      principal;
  gint64      sanctions;
  gint64      interest;
  gint64      costs;
  gint64      paid;
} PositionSpec;

/* A position with a payment reference made from @n: a pagoPA notice number
 * with aux digit 3 and segregation code 01 for the Italian body, a QR
 * reference for the Swiss one. */
static char *
add_position (Fixture            *fixture,
              const PositionSpec *spec,
              guint               n,
              char              **out_payment_reference)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  g_autofree char *payment_reference = NULL;
  EsaPosition position = { 0 };
  char *id;

  if (spec->swiss)
    {
      base = g_strdup_printf ("%026u", n);
      payment_reference = esa_qr_reference_compose (base);
    }
  else
    {
      base = g_strdup_printf ("%013u", n);
      payment_reference = esa_pagopa_notice_compose (3, "01", base);
    }

  position.debtor_id = (char *) spec->debtor;
  position.body_id = spec->swiss ? fixture->body_ch : fixture->body_it;
  position.revenue_type = (char *) (spec->swiss ? "claim" : "TARI");
  position.year = 2025;
  position.reference = (char *) spec->reference;
  position.payment_reference = payment_reference;
  position.due_date = (char *) (spec->due_date != NULL ? spec->due_date : "2025-06-30");
  position.principal = spec->principal;
  position.sanctions = spec->sanctions;
  position.interest = spec->interest;
  position.costs = spec->costs;
  position.paid = spec->paid;
  id = esa_store_add_position (fixture->store, &position, &error);
  g_assert_no_error (error);

  if (out_payment_reference != NULL)
    *out_payment_reference = g_steal_pointer (&payment_reference);
  return id;
}

/* A case of the body's procedure in @state for the positions (NULL-ended). */
static char *
add_case (Fixture    *fixture,
          gboolean    swiss,
          const char *debtor,
          const char *state,
          ...)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) positions = g_ptr_array_new ();
  EsaCase case_ = { 0 };
  const char *position;
  va_list args;
  char *id;

  va_start (args, state);
  for (position = va_arg (args, const char *); position != NULL;
       position = va_arg (args, const char *))
    g_ptr_array_add (positions, (gpointer) position);
  va_end (args);
  g_ptr_array_add (positions, NULL);

  case_.debtor_id = (char *) debtor;
  case_.body_id = swiss ? fixture->body_ch : fixture->body_it;
  case_.procedure_id = (char *) (swiss ? "ch-lef" : "it-coercive");
  case_.state = (char *) state;
  case_.officer_id = fixture->officer;
  case_.opened_on = (char *) "2025-09-01";
  id = esa_store_add_case (fixture->store, &case_, (const char * const *) positions->pdata,
                           &error);
  g_assert_no_error (error);
  return id;
}

static EsaPaymentFlow *
flow_new (EsaPaymentFlowFormat  format,
          const char           *key,
          const char           *at)
{
  EsaPaymentFlow *flow = esa_payment_flow_new (format);

  flow->flow_key = g_strdup (key);
  flow->flow_at = g_strdup (at);
  if (format == ESA_PAYMENT_FLOW_PAGOPA)
    flow->receiver = g_strdup (BODY_TAX);
  return flow;
}

static EsaFlowItem *
flow_item (EsaPaymentFlow    *flow,
           const char        *reference,
           EsaPaymentRefKind  kind,
           gint64             amount,
           const char        *paid_on)
{
  EsaFlowItem *item = esa_payment_flow_add_item (flow);

  item->line = 10 * flow->items->len;
  item->reference = g_strdup (reference);
  item->reference_kind = reference != NULL ? kind : ESA_PAYMENT_REF_NONE;
  item->amount = amount;
  item->currency = g_strdup (flow->format == ESA_PAYMENT_FLOW_PAGOPA ? "EUR" : "CHF");
  item->paid_on = g_strdup (paid_on != NULL ? paid_on : "2025-10-15");
  return item;
}

/* An item paying a notice number by its IUV, as pagoPA flows report it. */
static EsaFlowItem *
iuv_item (EsaPaymentFlow *flow,
          const char     *notice,
          gint64          amount)
{
  g_autofree char *iuv = esa_pagopa_notice_iuv (notice);

  return flow_item (flow, iuv, ESA_PAYMENT_REF_IUV, amount, NULL);
}

static EsaPaymentImportReport *
import (Fixture              *fixture,
        const EsaPaymentFlow *flow,
        const char           *file_label,
        EsaParameters        *params)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, file_label, -1);
  EsaPaymentImportOptions options = { file_label, sha, NULL, params };
  EsaPaymentImportReport *report;

  report = esa_store_import_payment_flow (fixture->store, flow, &options, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

static const EsaPaymentImportLine *
report_line (const EsaPaymentImportReport *report,
             guint                         index)
{
  g_assert_cmpuint (index, <, report->lines->len);
  return g_ptr_array_index (report->lines, index);
}

static gint64
position_paid (Fixture    *fixture,
               const char *position_id)
{
  return esa_store_test_sql_int (fixture->store, "SELECT paid FROM positions WHERE id = ?",
                                 position_id);
}

static char *
position_state (Fixture    *fixture,
                const char *position_id)
{
  return esa_store_test_sql_text (fixture->store, "SELECT state FROM positions WHERE id = ?",
                                  position_id);
}

static char *
case_state (Fixture    *fixture,
            const char *case_id)
{
  return esa_store_test_sql_text (fixture->store, "SELECT state FROM cases WHERE id = ?", case_id);
}

/* "costs=500,interest=300" from a payment's allocations: position by
 * position, the components it paid. */
static char *
allocations_text (Fixture    *fixture,
                  const char *payment_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) allocations = esa_store_payment_allocations (fixture->store, payment_id,
                                                                    &error);
  GString *text = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < allocations->len; i++)
    {
      const EsaPaymentAllocation *allocation = g_ptr_array_index (allocations, i);
      const struct { const char *name; gint64 amount; } parts[] = {
        { "costs", allocation->costs }, { "interest", allocation->interest },
        { "sanctions", allocation->sanctions }, { "principal", allocation->principal },
      };

      for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
        {
          if (parts[p].amount != 0)
            g_string_append_printf (text, "%s%s=%" G_GINT64_FORMAT, text->len > 0 ? "," : "",
                                    parts[p].name, parts[p].amount);
        }
    }
  return g_string_free (text, FALSE);
}

/* The pending operations of the import, as the push sends them: the flow
 * first, then one batch whose row images hold the payment (new), its
 * allocation (new) and the position's paid amount and state (before and
 * after), then the closing step. */
static void
assert_batch_images (Fixture    *fixture,
                     const char *payment_id,
                     const char *position_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) ops = NULL;
  JsonArray *rows = NULL;
  gint64 last = 0;
  int flow = -1;
  int batch = -1;
  int closing = -1;
  gboolean payment = FALSE;
  gboolean allocation = FALSE;
  gboolean paid = FALSE;

  ops = esa_store_sync_pending_ops (fixture->store, 0, 1000, &last, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < json_array_get_length (ops); i++)
    {
      JsonObject *op = json_array_get_object_element (ops, i);
      const char *entity = json_object_get_string_member (op, "entity");

      if (g_str_equal (entity, "payment_flow"))
        flow = (int) i;
      else if (g_str_equal (entity, "payment_batch"))
        {
          batch = (int) i;
          rows = json_object_get_array_member (op, "rows");
        }
      else if (g_str_equal (entity, "case"))
        closing = (int) i;
    }
  g_assert_cmpint (flow, >=, 0);
  g_assert_cmpint (batch, >, flow);
  g_assert_cmpint (closing, >, batch);
  g_assert_nonnull (rows);

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      const char *table = json_object_get_string_member (row, "t");
      JsonObject *after = json_object_get_object_member (row, "after");

      if (g_str_equal (table, "payments"))
        {
          g_assert_cmpstr (json_object_get_string_member (row, "k"), ==, payment_id);
          g_assert_true (json_object_get_null_member (row, "before"));
          g_assert_cmpint (json_object_get_int_member (after, "amount"), ==, 12800);
          g_assert_cmpstr (json_object_get_string_member (after, "position_id"), ==, position_id);
          g_assert_cmpstr (json_object_get_string_member (after, "match_method"), ==, "iuv");
          payment = TRUE;
        }
      else if (g_str_equal (table, "payment_allocations"))
        {
          g_assert_cmpstr (json_object_get_string_member (after, "payment_id"), ==, payment_id);
          g_assert_cmpint (json_object_get_int_member (after, "sanctions"), ==, 2000);
          g_assert_cmpint (json_object_get_int_member (after, "principal"), ==, 10000);
          allocation = TRUE;
        }
      else if (g_str_equal (table, "positions"))
        {
          JsonObject *before = json_object_get_object_member (row, "before");

          g_assert_cmpstr (json_object_get_string_member (row, "k"), ==, position_id);
          g_assert_cmpint (json_object_get_int_member (before, "paid"), ==, 0);
          g_assert_cmpint (json_object_get_int_member (after, "paid"), ==, 12800);
          g_assert_cmpstr (json_object_get_string_member (before, "state"), ==, "open");
          g_assert_cmpstr (json_object_get_string_member (after, "state"), ==, "paid");
          paid = TRUE;
        }
    }
  g_assert_true (payment && allocation && paid);
}

static void
assert_audit_verifies (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  gint64 checked = 0;

  g_assert_true (esa_store_audit_verify (fixture->store, &checked, &error));
  g_assert_no_error (error);
  g_assert_cmpint (checked, >, 0);
}

/* ---- tests ---------------------------------------------------------------- */

/* A pagoPA flow paying a position in full by its IUV: the position is paid,
 * the payment spread over costs, interest, sanctions and principal, and
 * the case whose only position it is closed by its procedure. */
static void
test_iuv_pays_and_closes (Fixture       *fixture,
                          gconstpointer  data)
{
  PositionSpec spec = { fixture->rossi, FALSE, "TARI-2025-1", NULL, 10000, 2000, 300, 500, 0 };
  g_autofree char *notice = NULL;
  g_autofree char *position = add_position (fixture, &spec, 1, &notice);
  g_autofree char *case_id = add_case (fixture, FALSE, fixture->rossi, "notified", position,
                                       NULL);
  g_autoptr(EsaPaymentFlow) flow = flow_new (ESA_PAYMENT_FLOW_PAGOPA, "FLOW-1",
                                             "2025-10-16T08:00:00Z");
  g_autoptr(EsaPaymentImportReport) report = NULL;
  g_autofree char *state = NULL;
  g_autofree char *closed_on = NULL;
  g_autofree char *allocations = NULL;
  g_autofree char *method = NULL;
  const EsaPaymentImportLine *line;
  gint64 outbox_before = esa_store_test_sql_int (fixture->store, "SELECT count(*) FROM outbox",
                                                 NULL);

  iuv_item (flow, notice, 12800)->collection_ref = g_strdup ("IUR-1");
  report = import (fixture, flow, "flow-1.xml", NULL);

  g_assert_cmpint (report->status, ==, ESA_PAYMENT_FLOW_IMPORTED);
  g_assert_cmpstr (report->body_id, ==, fixture->body_it);
  g_assert_cmpuint (report->matched, ==, 1);
  g_assert_cmpuint (report->unmatched, ==, 0);
  g_assert_cmpuint (report->positions_paid, ==, 1);
  g_assert_cmpuint (report->cases_closed, ==, 1);
  line = report_line (report, 0);
  g_assert_cmpint (line->outcome, ==, ESA_PAYMENT_OUTCOME_PAID);
  g_assert_cmpstr (line->position_id, ==, position);
  g_assert_cmpstr (line->debtor_id, ==, fixture->rossi);

  g_assert_cmpint (position_paid (fixture, position), ==, 12800);
  state = position_state (fixture, position);
  g_assert_cmpstr (state, ==, "paid");
  allocations = allocations_text (fixture, line->payment_id);
  g_assert_cmpstr (allocations, ==, "costs=500,interest=300,sanctions=2000,principal=10000");
  method = esa_store_test_sql_text (fixture->store,
                                    "SELECT match_method FROM payments WHERE id = ?",
                                    line->payment_id);
  g_assert_cmpstr (method, ==, "iuv");

  g_clear_pointer (&state, g_free);
  state = case_state (fixture, case_id);
  g_assert_cmpstr (state, ==, "paid");
  closed_on = esa_store_test_sql_text (fixture->store, "SELECT closed_on FROM cases WHERE id = ?",
                                       case_id);
  g_assert_nonnull (closed_on);
  g_assert_cmpint (esa_store_test_sql_int (fixture->store,
                                           "SELECT count(*) FROM case_events WHERE case_id = ? "
                                           "AND action = 'close_paid'", case_id), ==, 1);
  g_assert_cmpint (esa_store_test_sql_int (fixture->store, "SELECT count(*) "
                                                           "FROM payment_case_closures "
                                                           "WHERE case_id = ?", case_id), ==, 1);

  /* The flow, the batch of its payments and the closing step went to the
   * outbox, in that order; the batch pushes the payment, its allocation
   * and the position's paid amount and state as row images. */
  g_assert_cmpint (esa_store_test_sql_int (fixture->store, "SELECT count(*) FROM outbox", NULL), ==,
                   outbox_before + 3);
  assert_batch_images (fixture, line->payment_id, position);
  g_assert_cmpint (esa_store_test_sql_int (fixture->store,
                                           "SELECT count(*) FROM pragma_foreign_key_check", NULL),
                   ==, 0);
  /* The import booked with the CHECK constraints off: they are on again. */
  g_assert_cmpint (esa_store_test_sql_int (fixture->store, "PRAGMA ignore_check_constraints", NULL),
                   ==, 0);
  g_assert_cmpint (esa_store_test_sql_int (fixture->store,
                                           "SELECT count(*) FROM audit "
                                           "WHERE entity = 'payment_flow' "
                                           "AND summary LIKE '%1 matched, 0 unmatched%'", NULL), ==,
                   1);
  assert_audit_verifies (fixture);
}

/* A payment is spread in the body's order: by default costs, interest,
 * sanctions, principal; a later payment goes on where the earlier one
 * stopped, and an amount paid before allocations existed counts as spread
 * in the same order. A body's own order comes from the parameter table. */
static void
test_allocation_order (Fixture       *fixture,
                       gconstpointer  data)
{
  PositionSpec first = { fixture->rossi, FALSE, "ALLOC-1", NULL, 10000, 1000, 300, 500, 0 };
  PositionSpec legacy = { fixture->rossi, FALSE, "ALLOC-2", NULL, 10000, 1000, 300, 500, 600 };
  PositionSpec own = { fixture->bosco, FALSE, "ALLOC-3", NULL, 10000, 1000, 300, 500, 0 };
  g_autofree char *notice1 = NULL, *notice2 = NULL, *notice3 = NULL;
  g_autofree char *p1 = add_position (fixture, &first, 11, &notice1);
  g_autofree char *p2 = add_position (fixture, &legacy, 12, &notice2);
  g_autofree char *p3 = add_position (fixture, &own, 13, &notice3);
  g_autoptr(EsaPaymentFlow) flow = flow_new (ESA_PAYMENT_FLOW_PAGOPA, "FLOW-ALLOC",
                                             "2025-10-16T08:00:00Z");
  g_autoptr(EsaPaymentFlow) flow2 = flow_new (ESA_PAYMENT_FLOW_PAGOPA, "FLOW-ALLOC-2",
                                              "2025-10-17T08:00:00Z");
  g_autoptr(EsaPaymentImportReport) report = NULL;
  g_autoptr(EsaPaymentImportReport) report2 = NULL;
  g_autoptr(EsaParameters) params = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *file = NULL;
  g_autofree char *json = NULL;
  g_autofree char *a1 = NULL, *a2 = NULL, *a3 = NULL, *a4 = NULL;

  iuv_item (flow, notice1, 1000);
  iuv_item (flow, notice2, 1000);
  report = import (fixture, flow, "flow-alloc.xml", NULL);
  g_assert_cmpuint (report->matched, ==, 2);
  g_assert_cmpint (report_line (report, 0)->outcome, ==, ESA_PAYMENT_OUTCOME_PARTIAL);

  a1 = allocations_text (fixture, report_line (report, 0)->payment_id);
  g_assert_cmpstr (a1, ==, "costs=500,interest=300,sanctions=200");
  /* 600 paid before: costs 500 and interest 100 of it. */
  a2 = allocations_text (fixture, report_line (report, 1)->payment_id);
  g_assert_cmpstr (a2, ==, "interest=200,sanctions=800");

  /* The body's own order, from the payment's date on. */
  dir = g_dir_make_tmp ("esa-alloc-XXXXXX", &error);
  g_assert_no_error (error);
  file = g_build_filename (dir, "allocation.json", NULL);
  json = g_strdup_printf ("{ \"tables\": [ { \"name\": \"payments.allocation.order\", "
                          "\"unit\": \"text\", \"entries\": ["
                          "{ \"valid_from\": \"2000-01-01\", "
                          "\"value\": \"costs,interest,sanctions,principal\" }, "
                          "{ \"valid_from\": \"2025-01-01\", \"body\": \"%s\", "
                          "\"value\": \"principal, sanctions, interest, costs\" } ] } ] }",
                          fixture->body_it);
  g_assert_true (g_file_set_contents (file, json, -1, &error));
  params = esa_parameters_new ();
  g_assert_true (esa_parameters_load_file (params, file, &error));
  g_assert_no_error (error);

  iuv_item (flow2, notice1, 1500);
  iuv_item (flow2, notice3, 10500);
  report2 = import (fixture, flow2, "flow-alloc-2.xml", params);
  a3 = allocations_text (fixture, report_line (report2, 0)->payment_id);
  g_assert_cmpstr (a3, ==, "principal=1500");
  a4 = allocations_text (fixture, report_line (report2, 1)->payment_id);
  g_assert_cmpstr (a4, ==, "sanctions=500,principal=10000");
  g_assert_cmpint (position_paid (fixture, p1), ==, 2500);
  g_assert_cmpint (position_paid (fixture, p3), ==, 10500);

  g_assert_cmpint (g_remove (file), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
  (void) p2;
}

/* Less than the balance leaves the position open; more pays it and leaves a
 * credit; a payment on a paid position is a double payment: both are
 * refund candidates. */
static void
test_over_under_double (Fixture       *fixture,
                        gconstpointer  data)
{
  PositionSpec under = { fixture->rossi, FALSE, "UNDER", NULL, 5000, 0, 0, 0, 0 };
  PositionSpec over = { fixture->rossi, FALSE, "OVER", NULL, 5000, 0, 0, 0, 0 };
  PositionSpec paid = { fixture->bosco, FALSE, "PAID", NULL, 5000, 0, 0, 0, 5000 };
  g_autofree char *n1 = NULL, *n2 = NULL, *n3 = NULL;
  g_autofree char *p1 = add_position (fixture, &under, 21, &n1);
  g_autofree char *p2 = add_position (fixture, &over, 22, &n2);
  g_autofree char *p3 = add_position (fixture, &paid, 23, &n3);
  g_autoptr(EsaPaymentFlow) flow = flow_new (ESA_PAYMENT_FLOW_PAGOPA, "FLOW-OUD",
                                             "2025-10-16T08:00:00Z");
  g_autoptr(EsaPaymentImportReport) report = NULL;
  g_autoptr(GPtrArray) refunds = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *s1 = NULL, *s2 = NULL;
  const EsaRefundCandidate *refund;

  iuv_item (flow, n1, 2000);
  iuv_item (flow, n2, 6250);
  iuv_item (flow, n3, 5000);
  report = import (fixture, flow, "flow-oud.xml", NULL);

  g_assert_cmpuint (report->matched, ==, 3);
  g_assert_cmpuint (report->refunds, ==, 2);
  g_assert_cmpint (report_line (report, 0)->outcome, ==, ESA_PAYMENT_OUTCOME_PARTIAL);
  g_assert_cmpint (report_line (report, 1)->outcome, ==, ESA_PAYMENT_OUTCOME_OVERPAID);
  g_assert_cmpint (report_line (report, 1)->unapplied, ==, 1250);
  g_assert_cmpint (report_line (report, 2)->outcome, ==, ESA_PAYMENT_OUTCOME_DOUBLE);
  g_assert_cmpint (report_line (report, 2)->unapplied, ==, 5000);

  g_assert_cmpint (position_paid (fixture, p1), ==, 2000);
  s1 = position_state (fixture, p1);
  g_assert_cmpstr (s1, ==, "open");
  g_assert_cmpint (position_paid (fixture, p2), ==, 5000);
  s2 = position_state (fixture, p2);
  g_assert_cmpstr (s2, ==, "paid");
  g_assert_cmpint (position_paid (fixture, p3), ==, 5000);

  refunds = esa_store_list_refunds (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (refunds->len, ==, 2);
  refund = g_ptr_array_index (refunds, 0);
  g_assert_cmpstr (refund->reason, ==, "overpayment");
  g_assert_cmpint (refund->refund, ==, 1250);
  g_assert_cmpint (refund->amount, ==, 6250);
  g_assert_cmpstr (refund->position_reference, ==, "OVER");
  g_assert_cmpstr (refund->tax_id, ==, TAX_ROSSI);
  refund = g_ptr_array_index (refunds, 1);
  g_assert_cmpstr (refund->reason, ==, "double");
  g_assert_cmpint (refund->refund, ==, 5000);
  g_assert_cmpstr (refund->debtor_name, ==, "Bosco Matteo");
  g_assert_cmpstr (refund->flow_key, ==, "FLOW-OUD");
}

/* pagoPA outcome 3: recorded as revoked, not applied to the position. */
static void
test_revoked (Fixture       *fixture,
              gconstpointer  data)
{
  PositionSpec spec = { fixture->rossi, FALSE, "REVOKED", NULL, 5000, 0, 0, 0, 0 };
  g_autofree char *notice = NULL;
  g_autofree char *position = add_position (fixture, &spec, 31, &notice);
  g_autoptr(EsaPaymentFlow) flow = flow_new (ESA_PAYMENT_FLOW_PAGOPA, "FLOW-REV",
                                             "2025-10-16T08:00:00Z");
  g_autoptr(EsaPaymentImportReport) report = NULL;
  g_autofree char *state = NULL;
  EsaFlowItem *item = iuv_item (flow, notice, 5000);
  const EsaPaymentImportLine *line;

  item->revoked = TRUE;
  item->outcome = g_strdup ("3");
  report = import (fixture, flow, "flow-rev.xml", NULL);

  g_assert_cmpuint (report->revoked, ==, 1);
  g_assert_cmpuint (report->matched, ==, 0);
  line = report_line (report, 0);
  g_assert_cmpint (line->outcome, ==, ESA_PAYMENT_OUTCOME_REVOKED);
  g_assert_cmpint (position_paid (fixture, position), ==, 0);
  state = esa_store_test_sql_text (fixture->store, "SELECT state FROM payments WHERE id = ?",
                                   line->payment_id);
  g_assert_cmpstr (state, ==, "revoked");
  g_assert_cmpint (esa_store_test_sql_int (fixture->store, "SELECT count(*) FROM payments "
                                                           "WHERE id = ? AND debtor_id IS NULL "
                                                           "AND outcome = '3'", line->payment_id),
                   ==, 1);
  g_assert_cmpint (esa_store_test_sql_int (fixture->store,
                                           "SELECT count(*) FROM payment_allocations", NULL), ==,
                   0);
}

/* The same file twice changes nothing, not even the audit journal. */
static void
test_same_file_twice (Fixture       *fixture,
                      gconstpointer  data)
{
  PositionSpec spec = { fixture->rossi, FALSE, "TWICE", NULL, 5000, 0, 0, 0, 0 };
  g_autofree char *notice = NULL;
  g_autofree char *position = add_position (fixture, &spec, 41, &notice);
  g_autoptr(EsaPaymentFlow) flow = flow_new (ESA_PAYMENT_FLOW_PAGOPA, "FLOW-TWICE",
                                             "2025-10-16T08:00:00Z");
  g_autoptr(EsaPaymentImportReport) first = NULL;
  g_autoptr(EsaPaymentImportReport) second = NULL;
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;

  iuv_item (flow, notice, 3000);
  first = import (fixture, flow, "twice.xml", NULL);
  g_assert_cmpint (first->status, ==, ESA_PAYMENT_FLOW_IMPORTED);

  before = count_rows (fixture->store);
  second = import (fixture, flow, "twice.xml", NULL);
  after = count_rows (fixture->store);

  g_assert_cmpint (second->status, ==, ESA_PAYMENT_FLOW_DUPLICATE);
  g_assert_cmpstr (second->flow_id, ==, first->flow_id);
  g_assert_cmpuint (second->duplicates, ==, 1);
  g_assert_cmpuint (second->matched, ==, 0);
  esa_store_test_assert_same_counts (before, after);
  g_assert_cmpint (position_paid (fixture, position), ==, 3000);
}

/* A flow re-sent with the same identifier and a later time replaces the
 * earlier one: what the earlier applied is reversed (the case it closed is
 * reopened), then the new one is applied. An older or equal time changes
 * nothing. */
static void
test_replace_when_newer (Fixture       *fixture,
                         gconstpointer  data)
{
  PositionSpec spec_a = { fixture->rossi, FALSE, "REPL-A", NULL, 5000, 0, 0, 0, 0 };
  PositionSpec spec_b = { fixture->rossi, FALSE, "REPL-B", NULL, 7000, 0, 0, 0, 0 };
  g_autofree char *na = NULL, *nb = NULL;
  g_autofree char *pa = add_position (fixture, &spec_a, 51, &na);
  g_autofree char *pb = add_position (fixture, &spec_b, 52, &nb);
  g_autofree char *case_a = add_case (fixture, FALSE, fixture->rossi, "reminded", pa, NULL);
  g_autoptr(EsaPaymentFlow) v1 = flow_new (ESA_PAYMENT_FLOW_PAGOPA, "FLOW-R",
                                           "2025-10-16T08:00:00Z");
  g_autoptr(EsaPaymentFlow) v2 = flow_new (ESA_PAYMENT_FLOW_PAGOPA, "FLOW-R",
                                           "2025-10-16T10:30:00+02:00");
  g_autoptr(EsaPaymentFlow) v3 = flow_new (ESA_PAYMENT_FLOW_PAGOPA, "FLOW-R",
                                           "2025-10-16T08:30:00Z");
  g_autoptr(EsaPaymentImportReport) r1 = NULL;
  g_autoptr(EsaPaymentImportReport) r2 = NULL;
  g_autoptr(EsaPaymentImportReport) r3 = NULL;
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  g_autofree char *state = NULL;
  g_autofree char *flow_state = NULL;
  g_autofree char *old_payment = NULL;

  iuv_item (v1, na, 5000);
  r1 = import (fixture, v1, "flow-r-v1.xml", NULL);
  g_assert_cmpuint (r1->cases_closed, ==, 1);
  state = case_state (fixture, case_a);
  g_assert_cmpstr (state, ==, "paid");
  old_payment = g_strdup (report_line (r1, 0)->payment_id);

  /* 10:30 at +02:00 is 08:30 UTC: later than 08:00 UTC. */
  iuv_item (v2, nb, 7000);
  r2 = import (fixture, v2, "flow-r-v2.xml", NULL);
  g_assert_cmpint (r2->status, ==, ESA_PAYMENT_FLOW_REPLACED);
  g_assert_cmpstr (r2->replaced_id, ==, r1->flow_id);
  g_assert_cmpuint (r2->matched, ==, 1);

  g_assert_cmpint (position_paid (fixture, pa), ==, 0);
  g_clear_pointer (&state, g_free);
  state = position_state (fixture, pa);
  g_assert_cmpstr (state, ==, "open");
  g_clear_pointer (&state, g_free);
  state = case_state (fixture, case_a);
  g_assert_cmpstr (state, ==, "reminded");
  g_assert_cmpint (esa_store_test_sql_int (fixture->store, "SELECT count(*) FROM cases "
                                                           "WHERE id = ? AND closed_on IS NULL",
                                           case_a), ==, 1);
  g_assert_cmpint (position_paid (fixture, pb), ==, 7000);
  g_assert_cmpint (esa_store_test_sql_int (fixture->store,
                                           "SELECT coalesce(sum(costs + interest + sanctions "
                                           "+ principal), 0) FROM payment_allocations "
                                           "WHERE position_id = ?", pa), ==, 0);
  g_assert_cmpint (esa_store_test_sql_int (fixture->store,
                                           "SELECT count(*) FROM payment_allocations "
                                           "WHERE position_id = ? "
                                           "AND principal < 0", pa), ==, 1);
  g_clear_pointer (&state, g_free);
  state = esa_store_test_sql_text (fixture->store, "SELECT state FROM payments WHERE id = ?",
                                   old_payment);
  g_assert_cmpstr (state, ==, "replaced");
  flow_state = esa_store_test_sql_text (fixture->store,
                                        "SELECT state FROM payment_flows WHERE id = ?",
                                        r1->flow_id);
  g_assert_cmpstr (flow_state, ==, "replaced");

  /* Not later than the flow that stands: nothing changes. */
  iuv_item (v3, na, 5000);
  before = count_rows (fixture->store);
  r3 = import (fixture, v3, "flow-r-v3.xml", NULL);
  after = count_rows (fixture->store);
  g_assert_cmpint (r3->status, ==, ESA_PAYMENT_FLOW_DUPLICATE);
  g_assert_cmpstr (r3->flow_id, ==, r2->flow_id);
  esa_store_test_assert_same_counts (before, after);
  g_assert_cmpint (position_paid (fixture, pa), ==, 0);
  assert_audit_verifies (fixture);
}

/* Swiss references: a QR reference, a creditor reference carrying the QR
 * reference without its leading zeros, one carrying the position's own
 * reference, and a notice number given as a plain reference. */
static void
test_qrr_scor_reference (Fixture       *fixture,
                         gconstpointer  data)
{
  PositionSpec ch1 = { fixture->rossi, TRUE, "CH-1", NULL, 10000, 0, 0, 0, 0 };
  PositionSpec ch2 = { fixture->rossi, TRUE, "CH-2", NULL, 10000, 0, 0, 0, 0 };
  PositionSpec ch3 = { fixture->bosco, TRUE, "TARI20251", NULL, 10000, 0, 0, 0, 0 };
  PositionSpec it1 = { fixture->bosco, FALSE, "IT-1", NULL, 8000, 0, 0, 0, 0 };
  g_autofree char *qr1 = NULL, *qr2 = NULL, *qr3 = NULL, *notice = NULL;
  g_autofree char *p1 = add_position (fixture, &ch1, 61, &qr1);
  g_autofree char *p2 = add_position (fixture, &ch2, 539007547, &qr2);
  g_autofree char *p3 = add_position (fixture, &ch3, 63, &qr3);
  g_autofree char *p4 = add_position (fixture, &it1, 64, &notice);
  g_autoptr(EsaPaymentFlow) flow = flow_new (ESA_PAYMENT_FLOW_CAMT054, "MSG-CH",
                                             "2025-10-16T08:00:00Z");
  g_autoptr(EsaPaymentFlow) flow_it = flow_new (ESA_PAYMENT_FLOW_CSV, NULL, NULL);
  g_autoptr(EsaPaymentImportReport) report = NULL;
  g_autoptr(EsaPaymentImportReport) report_it = NULL;
  g_autofree char *method = NULL;
  EsaFlowItem *item;

  /* A creditor reference whose content is p2's QR reference without its
   * leading zeros (RF34 5390 0754 78). */
  g_assert_cmpstr (qr2, ==, "000000000000000005390075478");
  flow_item (flow, qr1, ESA_PAYMENT_REF_QRR, 10000, NULL);
  flow_item (flow, "RF345390075478", ESA_PAYMENT_REF_SCOR, 4000, NULL);
  flow_item (flow, "RF06TARI20251", ESA_PAYMENT_REF_SCOR, 10000, NULL);
  flow_item (flow, "RF99NOTHING", ESA_PAYMENT_REF_OTHER, 100, NULL);
  report = import (fixture, flow, "camt-ch.xml", NULL);

  g_assert_cmpuint (report->matched, ==, 3);
  g_assert_cmpuint (report->unmatched, ==, 1);
  g_assert_cmpstr (report_line (report, 0)->position_id, ==, p1);
  g_assert_cmpint (report_line (report, 0)->outcome, ==, ESA_PAYMENT_OUTCOME_PAID);
  method = esa_store_test_sql_text (fixture->store,
                                    "SELECT match_method FROM payments WHERE id = ?",
                                    report_line (report, 1)->payment_id);
  g_assert_cmpstr (method, ==, "scor");
  g_assert_cmpint (report_line (report, 1)->outcome, ==, ESA_PAYMENT_OUTCOME_PARTIAL);
  g_assert_cmpint (position_paid (fixture, p3), ==, 10000);
  g_assert_cmpint (report_line (report, 3)->outcome, ==, ESA_PAYMENT_OUTCOME_UNMATCHED);
  g_assert_nonnull (strstr (report_line (report, 3)->message, "RF99NOTHING"));
  g_assert_cmpint (position_paid (fixture, p2), ==, 4000);
  g_assert_cmpint (esa_store_test_sql_int (fixture->store, "SELECT count(*) FROM payments "
                                                           "WHERE flow_id = ? AND channel = "
                                                           "'qr-bill'", report->flow_id), ==, 3);

  /* A CSV line naming a notice number directly. */
  item = flow_item (flow_it, notice, ESA_PAYMENT_REF_NOTICE, 8000, NULL);
  g_free (item->currency);
  item->currency = g_strdup ("EUR");
  report_it = import (fixture, flow_it, "bank.csv", NULL);
  g_assert_cmpint (report_line (report_it, 0)->outcome, ==, ESA_PAYMENT_OUTCOME_PAID);
  g_assert_cmpstr (report_line (report_it, 0)->position_id, ==, p4);
}

/* A payment naming no position but a payer whose tax id is one debtor's
 * goes to that debtor's open positions, oldest due date first. */
static void
test_tax_id_oldest_first (Fixture       *fixture,
                          gconstpointer  data)
{
  PositionSpec newer = { fixture->bosco, FALSE, "NEWER", "2025-09-30", 4000, 0, 0, 0, 0 };
  PositionSpec older = { fixture->bosco, FALSE, "OLDER", "2024-03-31", 3000, 0, 0, 500, 0 };
  g_autofree char *pn = add_position (fixture, &newer, 71, NULL);
  g_autofree char *po = add_position (fixture, &older, 72, NULL);
  g_autoptr(EsaPaymentFlow) flow = flow_new (ESA_PAYMENT_FLOW_CSV, NULL, NULL);
  g_autoptr(EsaPaymentImportReport) report = NULL;
  g_autofree char *allocations = NULL;
  EsaFlowItem *item = flow_item (flow, NULL, ESA_PAYMENT_REF_NONE, 5000, NULL);

  g_free (item->currency);
  item->currency = g_strdup ("EUR");
  item->debtor_tax_id = g_strdup ("bscmtt83a12l719r");
  report = import (fixture, flow, "by-tax-id.csv", NULL);

  g_assert_cmpint (report_line (report, 0)->outcome, ==, ESA_PAYMENT_OUTCOME_DEBTOR);
  g_assert_cmpstr (report_line (report, 0)->debtor_id, ==, fixture->bosco);
  g_assert_cmpint (position_paid (fixture, po), ==, 3500);
  g_assert_cmpint (position_paid (fixture, pn), ==, 1500);
  allocations = allocations_text (fixture, report_line (report, 0)->payment_id);
  g_assert_cmpstr (allocations, ==, "costs=500,principal=3000,principal=1500");
}

/* The unmatched queue: scored candidates, parking with a note, assigning to
 * a position or to a debtor's positions. */
static void
test_unmatched_queue (Fixture       *fixture,
                      gconstpointer  data)
{
  PositionSpec spec = { fixture->rossi, FALSE, "QUEUE-1", "2025-10-01", 4200, 0, 0, 0, 0 };
  PositionSpec other = { fixture->rossi, FALSE, "QUEUE-2", "2023-01-31", 9900, 0, 0, 0, 0 };
  PositionSpec bosco = { fixture->bosco, FALSE, "QUEUE-3", "2025-10-01", 4200, 0, 0, 0, 0 };
  g_autofree char *p1 = add_position (fixture, &spec, 81, NULL);
  g_autofree char *p2 = add_position (fixture, &other, 82, NULL);
  g_autofree char *p3 = add_position (fixture, &bosco, 83, NULL);
  g_autoptr(EsaPaymentFlow) flow = flow_new (ESA_PAYMENT_FLOW_PAGOPA, "FLOW-Q",
                                             "2025-10-16T08:00:00Z");
  g_autoptr(EsaPaymentImportReport) report = NULL;
  g_autoptr(EsaPaymentImportReport) assigned = NULL;
  g_autoptr(EsaPaymentImportReport) spread = NULL;
  g_autoptr(GPtrArray) queue = NULL;
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *state = NULL;
  g_autofree char *payment1 = NULL;
  g_autofree char *payment2 = NULL;
  const EsaPaymentCandidate *best;
  guint sum = 0;
  EsaFlowItem *item;

  /* The reference is wrong (a typo), but the payer's name and amount are
   * those of QUEUE-1, and its tax id Rossi's. */
  item = flow_item (flow, "012000000000000999", ESA_PAYMENT_REF_OTHER, 4200, "2025-10-10");
  item->debtor_name = g_strdup ("ROSSI MARIO");
  item->debtor_tax_id = g_strdup ("RSSMRA85T10A562X");
  item = flow_item (flow, "01999999999999999", ESA_PAYMENT_REF_IUV, 12000, "2025-10-10");
  item->debtor_name = g_strdup ("Mario Rossi");
  report = import (fixture, flow, "flow-q.xml", NULL);
  g_assert_cmpuint (report->unmatched, ==, 2);
  payment1 = g_strdup (report_line (report, 0)->payment_id);
  payment2 = g_strdup (report_line (report, 1)->payment_id);

  queue = esa_store_list_unmatched_payments (fixture->store, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (queue->len, ==, 2);
  g_assert_nonnull (((EsaQueuedPayment *) g_ptr_array_index (queue, 0))->note);

  /* The tax id is not a valid one (wrong check character), so it names no
   * debtor: the name and the amount make the best candidate. */
  candidates = esa_store_payment_candidates (fixture->store, payment1, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (candidates->len, ==, 2);
  best = g_ptr_array_index (candidates, 0);
  g_assert_cmpstr (best->position_id, ==, p1);
  g_assert_cmpuint (best->parts->len, ==, 5);
  for (guint i = 0; i < best->parts->len; i++)
    {
      const EsaScorePart *part = g_ptr_array_index (best->parts, i);

      g_assert_cmpuint (part->points, <=, part->max);
      g_assert_nonnull (part->explain);
      sum += part->points;
      if (g_str_equal (part->part, "amount"))
        g_assert_cmpuint (part->points, ==, 20);
      else if (g_str_equal (part->part, "name"))
        g_assert_cmpuint (part->points, ==, 10);
      else if (g_str_equal (part->part, "date"))
        g_assert_cmpuint (part->points, ==, 10);
      else if (g_str_equal (part->part, "tax_id"))
        g_assert_cmpuint (part->points, ==, 0);
    }
  g_assert_cmpuint (best->score, ==, sum);
  g_assert_cmpuint (best->score, ==, 40);
  g_assert_cmpuint (((EsaPaymentCandidate *) g_ptr_array_index (candidates, 1))->score, <,
                    best->score);
  (void) p3;

  /* Parking needs a note, and takes the payment out of the plain queue. */
  g_assert_false (esa_store_park_payment (fixture->store, payment1, "  ", &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (esa_store_park_payment (fixture->store, payment1, "asked the bank", &error));
  g_assert_no_error (error);
  g_clear_pointer (&queue, g_ptr_array_unref);
  queue = esa_store_list_unmatched_payments (fixture->store, FALSE, &error);
  g_assert_cmpuint (queue->len, ==, 1);
  g_clear_pointer (&queue, g_ptr_array_unref);
  queue = esa_store_list_unmatched_payments (fixture->store, TRUE, &error);
  g_assert_cmpuint (queue->len, ==, 2);

  /* A parked payment can still be assigned; an applied one cannot. */
  esa_store_set_acting_user (fixture->store, fixture->officer);
  assigned = esa_store_assign_payment (fixture->store, payment1, p1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (report_line (assigned, 0)->outcome, ==, ESA_PAYMENT_OUTCOME_PAID);
  state = esa_store_test_sql_text (fixture->store,
                                   "SELECT state || '/' || match_method || '/' || handled_by "
                                   "FROM payments WHERE id = ?", payment1);
  g_assert_true (g_str_has_prefix (state, "applied/assigned/"));
  g_assert_true (g_str_has_suffix (state, fixture->officer));
  g_assert_cmpint (position_paid (fixture, p1), ==, 4200);
  g_assert_null (esa_store_assign_payment (fixture->store, payment1, p2, NULL, &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* To the debtor: the older position first, the rest stays as a credit. */
  spread = esa_store_assign_payment_to_debtor (fixture->store, payment2, fixture->rossi, NULL,
                                               &error);
  g_assert_no_error (error);
  g_assert_cmpint (report_line (spread, 0)->outcome, ==, ESA_PAYMENT_OUTCOME_DEBTOR);
  g_assert_cmpint (report_line (spread, 0)->unapplied, ==, 2100);
  g_assert_cmpint (position_paid (fixture, p2), ==, 9900);
  g_assert_cmpint (esa_store_test_sql_int (fixture->store,
                                           "SELECT count(*) FROM outbox WHERE entity = 'payment' "
                                           "AND kind = 'command'", NULL), ==, 2);
  g_assert_cmpint (esa_store_test_sql_int (fixture->store,
                                           "SELECT count(*) FROM audit WHERE entity = 'payment' "
                                           "AND action IN ('assign', 'park')", NULL), ==, 3);

  g_clear_pointer (&queue, g_ptr_array_unref);
  queue = esa_store_list_unmatched_payments (fixture->store, TRUE, &error);
  g_assert_cmpuint (queue->len, ==, 0);
  assert_audit_verifies (fixture);
}

/* An item the store cannot record refuses the whole flow. */
static void
test_invalid_item (Fixture       *fixture,
                   gconstpointer  data)
{
  PositionSpec spec = { fixture->rossi, FALSE, "INVALID", NULL, 5000, 0, 0, 0, 0 };
  g_autofree char *notice = NULL;
  g_autofree char *position = add_position (fixture, &spec, 91, &notice);
  g_autoptr(EsaPaymentFlow) flow = flow_new (ESA_PAYMENT_FLOW_PAGOPA, "FLOW-BAD",
                                             "2025-10-16T08:00:00Z");
  g_autoptr(GHashTable) before = count_rows (fixture->store);
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(GError) error = NULL;
  EsaPaymentImportReport *report;
  EsaPaymentImportOptions options = { "bad.xml", "0123", NULL, NULL };
  EsaFlowItem *item;

  iuv_item (flow, notice, 5000);
  item = iuv_item (flow, notice, 100);
  g_free (item->paid_on);
  item->paid_on = g_strdup ("2025-02-30");
  report = esa_store_import_payment_flow (fixture->store, flow, &options, &error);
  g_assert_null (report);
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "line 20"));

  after = count_rows (fixture->store);
  esa_store_test_assert_same_counts (before, after);
  g_assert_cmpint (position_paid (fixture, position), ==, 0);
}

/* The same payment reported again in another file is skipped. */
static void
test_duplicate_payment (Fixture       *fixture,
                        gconstpointer  data)
{
  PositionSpec spec = { fixture->rossi, FALSE, "DUP", NULL, 5000, 0, 0, 0, 0 };
  g_autofree char *notice = NULL;
  g_autofree char *position = add_position (fixture, &spec, 101, &notice);
  g_autoptr(EsaPaymentFlow) one = flow_new (ESA_PAYMENT_FLOW_PAGOPA, "FLOW-D1",
                                            "2025-10-16T08:00:00Z");
  g_autoptr(EsaPaymentFlow) two = flow_new (ESA_PAYMENT_FLOW_PAGOPA, "FLOW-D2",
                                            "2025-10-17T08:00:00Z");
  g_autoptr(EsaPaymentImportReport) r1 = NULL;
  g_autoptr(EsaPaymentImportReport) r2 = NULL;

  iuv_item (one, notice, 2000)->collection_ref = g_strdup ("IUR-D/1");
  iuv_item (two, notice, 2000)->collection_ref = g_strdup ("IUR-D/1");
  iuv_item (two, notice, 1000)->collection_ref = g_strdup ("IUR-D/2");
  r1 = import (fixture, one, "d1.xml", NULL);
  r2 = import (fixture, two, "d2.xml", NULL);

  g_assert_cmpuint (r2->duplicates, ==, 1);
  g_assert_cmpuint (r2->matched, ==, 1);
  g_assert_cmpint (report_line (r2, 0)->outcome, ==, ESA_PAYMENT_OUTCOME_DUPLICATE);
  g_assert_null (report_line (r2, 0)->payment_id);
  g_assert_cmpint (position_paid (fixture, position), ==, 3000);
  (void) r1;
}

/* Two payments of one flow on the same position: the second sees what the
 * first paid. */
static void
test_same_position_twice (Fixture       *fixture,
                          gconstpointer  data)
{
  PositionSpec spec = { fixture->rossi, FALSE, "TWO", NULL, 4000, 0, 0, 1000, 0 };
  PositionSpec other = { fixture->rossi, FALSE, "OTHER", NULL, 500, 0, 0, 0, 0 };
  g_autofree char *notice = NULL, *notice_other = NULL;
  g_autofree char *position = add_position (fixture, &spec, 121, &notice);
  g_autofree char *position_other = add_position (fixture, &other, 122, &notice_other);
  g_autoptr(EsaPaymentFlow) flow = flow_new (ESA_PAYMENT_FLOW_PAGOPA, "FLOW-TWO",
                                             "2025-10-16T08:00:00Z");
  g_autoptr(EsaPaymentImportReport) report = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  iuv_item (flow, notice, 3000);
  iuv_item (flow, notice_other, 500);
  iuv_item (flow, notice, 3000);
  report = import (fixture, flow, "two.xml", NULL);

  /* Reported in the order of the file. */
  g_assert_cmpuint (report->lines->len, ==, 3);
  g_assert_cmpuint (report_line (report, 0)->line, ==, 10);
  g_assert_cmpint (report_line (report, 0)->outcome, ==, ESA_PAYMENT_OUTCOME_PARTIAL);
  g_assert_cmpint (report_line (report, 1)->outcome, ==, ESA_PAYMENT_OUTCOME_PAID);
  g_assert_cmpint (report_line (report, 2)->outcome, ==, ESA_PAYMENT_OUTCOME_OVERPAID);
  g_assert_cmpint (report_line (report, 2)->unapplied, ==, 1000);
  g_assert_cmpint (position_paid (fixture, position), ==, 5000);
  g_assert_cmpint (position_paid (fixture, position_other), ==, 500);

  first = allocations_text (fixture, report_line (report, 0)->payment_id);
  g_assert_cmpstr (first, ==, "costs=1000,principal=2000");
  second = allocations_text (fixture, report_line (report, 2)->payment_id);
  g_assert_cmpstr (second, ==, "principal=2000");
}

/* An auditor reads but imports nothing. */
static void
test_auditor_refused (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(EsaPaymentFlow) flow = flow_new (ESA_PAYMENT_FLOW_PAGOPA, "FLOW-AUD",
                                             "2025-10-16T08:00:00Z");
  g_autoptr(GHashTable) before = count_rows (fixture->store);
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(GError) error = NULL;
  EsaPaymentImportOptions options = { "aud.xml", "4567", NULL, NULL };

  flow_item (flow, "01999999999999999", ESA_PAYMENT_REF_IUV, 100, NULL);
  esa_store_set_acting_user (fixture->store, fixture->auditor);
  g_assert_null (esa_store_import_payment_flow (fixture->store, flow, &options, &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_FORBIDDEN);
  after = count_rows (fixture->store);
  esa_store_test_assert_same_counts (before, after);
}

/* A case with two positions closes only when both are paid. */
static void
test_case_needs_every_position (Fixture       *fixture,
                                gconstpointer  data)
{
  PositionSpec one = { fixture->bosco, TRUE, "CASE-1", NULL, 3000, 0, 0, 0, 0 };
  PositionSpec two = { fixture->bosco, TRUE, "CASE-2", NULL, 4000, 0, 0, 0, 0 };
  g_autofree char *qr1 = NULL, *qr2 = NULL;
  g_autofree char *p1 = add_position (fixture, &one, 111, &qr1);
  g_autofree char *p2 = add_position (fixture, &two, 112, &qr2);
  g_autofree char *case_id = add_case (fixture, TRUE, fixture->bosco, "served", p1, p2, NULL);
  g_autoptr(EsaPaymentFlow) first = flow_new (ESA_PAYMENT_FLOW_CAMT054, "MSG-C1",
                                              "2025-10-16T08:00:00Z");
  g_autoptr(EsaPaymentFlow) second = flow_new (ESA_PAYMENT_FLOW_CAMT054, "MSG-C2",
                                               "2025-10-17T08:00:00Z");
  g_autoptr(EsaPaymentImportReport) r1 = NULL;
  g_autoptr(EsaPaymentImportReport) r2 = NULL;
  g_autofree char *state = NULL;

  flow_item (first, qr1, ESA_PAYMENT_REF_QRR, 3000, NULL);
  r1 = import (fixture, first, "c1.xml", NULL);
  g_assert_cmpuint (r1->positions_paid, ==, 1);
  g_assert_cmpuint (r1->cases_closed, ==, 0);
  state = case_state (fixture, case_id);
  g_assert_cmpstr (state, ==, "served");

  flow_item (second, qr2, ESA_PAYMENT_REF_QRR, 4000, NULL);
  r2 = import (fixture, second, "c2.xml", NULL);
  g_assert_cmpuint (r2->cases_closed, ==, 1);
  g_clear_pointer (&state, g_free);
  state = case_state (fixture, case_id);
  g_assert_cmpstr (state, ==, "paid");
}

static void
test_mapping (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *none = NULL;
  g_autofree char *saved = NULL;

  none = esa_store_get_payment_mapping (fixture->store, fixture->body_ch, &error);
  g_assert_no_error (error);
  g_assert_null (none);

  g_assert_true (esa_store_set_payment_mapping (fixture->store, fixture->body_ch,
                                                "{\"separator\": \";\"}", &error));
  g_assert_true (esa_store_set_payment_mapping (fixture->store, fixture->body_ch,
                                                "{\"separator\": \",\"}", &error));
  g_assert_no_error (error);
  saved = esa_store_get_payment_mapping (fixture->store, fixture->body_ch, &error);
  g_assert_cmpstr (saved, ==, "{\"separator\": \",\"}");
  g_assert_false (esa_store_set_payment_mapping (fixture->store, "nobody", "{}", &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_NOT_FOUND);
}

/* A reason stored by any replica reads as a sentence here; anything else,
 * an officer's note or a damaged reason, reads as it is. */
static void
test_note_reasons (void)
{
  static const struct
  {
    const char *stored;
    const char *read;
  } cases[] = {
    { "{\"reason\":\"no-position\",\"kind\":\"iuv\",\"reference\":\"123\",\"count\":0}",
      "no position has the IUV 123" },
    { "{\"reason\":\"no-position\",\"kind\":\"notice\",\"reference\":\"3012\",\"count\":0}",
      "no position has the notice number 3012" },
    { "{\"reason\":\"no-position\",\"kind\":\"qrr\",\"reference\":\"2100\",\"count\":0}",
      "no position has the QR reference 2100" },
    { "{\"reason\":\"no-position\",\"kind\":\"scor\",\"reference\":\"RF18\",\"count\":0}",
      "no position has the creditor reference RF18" },
    { "{\"reason\":\"no-position\",\"kind\":\"other\",\"reference\":\"TARI\",\"count\":0}",
      "no position has the reference TARI" },
    { "{\"reason\":\"no-position\",\"kind\":\"other\",\"reference\":\"TARI\",\"count\":3}",
      "reference TARI fits 3 positions: an officer must choose" },
    { "{\"reason\":\"no-position\",\"kind\":null,\"reference\":null,\"count\":0}",
      "the payment names no reference and no known debtor" },
    { "{\"reason\":\"cancelled\",\"position\":\"TARI-1\"}",
      "position TARI-1 is cancelled: it takes no payments" },
    { "{\"reason\":\"written-off\",\"position\":\"TARI-1\"}",
      "position TARI-1 is written off: it takes no payments" },
    { "{\"reason\":\"currency\",\"currency\":\"CHF\",\"position_currency\":\"EUR\","
      "\"position\":\"TARI-1\"}",
      "the payment is in CHF, position TARI-1 in EUR" },
    { "{\"reason\":\"revoked\",\"outcome\":\"3\"}", "revoked (outcome 3): recorded, not applied" },
    { "asked the bank who paid", "asked the bank who paid" },
    { "{\"reason\":\"no-position\",", "{\"reason\":\"no-position\"," },
    { "{\"reason\":\"from-a-newer-version\"}", "{\"reason\":\"from-a-newer-version\"}" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *read = esa_payment_note_describe (cases[i].stored);

      g_assert_cmpstr (read, ==, cases[i].read);
    }
  g_assert_null (esa_payment_note_describe (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/payments-store/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("iuv-pays-and-closes", test_iuv_pays_and_closes);
  ADD ("allocation-order", test_allocation_order);
  ADD ("over-under-double", test_over_under_double);
  ADD ("revoked", test_revoked);
  ADD ("same-file-twice", test_same_file_twice);
  ADD ("replace-when-newer", test_replace_when_newer);
  ADD ("qrr-scor-reference", test_qrr_scor_reference);
  ADD ("tax-id-oldest-first", test_tax_id_oldest_first);
  ADD ("unmatched-queue", test_unmatched_queue);
  ADD ("invalid-item", test_invalid_item);
  ADD ("duplicate-payment", test_duplicate_payment);
  ADD ("same-position-twice", test_same_position_twice);
  ADD ("auditor-refused", test_auditor_refused);
  ADD ("case-needs-every-position", test_case_needs_every_position);
  ADD ("mapping", test_mapping);

#undef ADD

  g_test_add_func ("/payments-store/note-reasons", test_note_reasons);

  return g_test_run ();
}
