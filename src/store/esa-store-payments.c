/* esa-store-payments.c: the payments' names and records, the helpers their
 * files share, allocations and refunds as read back, and the CSV column
 * mappings (the rest: esa-store-payments-private.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "esa-date.h"
#include "esa-store-columnar-private.h"
#include "esa-roles.h"
#include "esa-store-payments-private.h"
#include "esa-uuid.h"

/* How a flow reaches the server (DESIGN.md "Sync"): the flow is one "event"
 * with its full row; its payments follow in "payment_batch" events of up to
 * a thousand payments, each with the payments' rows, their allocations (so
 * that the server books the same amounts on the same components) and the
 * paid amounts and states of the positions they paid, column by column
 * (esa-store-columnar-private.h); the cases they close are one "command"
 * each, re-checked by the server's procedure engine. An officer's
 * assignment is a "command" (the server re-checks that the payment is still
 * unmatched), parking is a "field" edit.
 *
 * The flow has one audit entry with its counts; the allocations are each
 * imported payment's journal. A payment assigned or parked by an officer
 * has an audit entry of its own for its debtor. */

/* ---- names ---------------------------------------------------------------- */

static const char * const format_names[] = { "pagopa", "camt054", "csv" };

const char *
esa_payment_flow_format_to_string (EsaPaymentFlowFormat format)
{
  g_return_val_if_fail (format <= ESA_PAYMENT_FLOW_CSV, NULL);

  return format_names[format];
}

gboolean
esa_payment_flow_format_from_string (const char           *name,
                                     EsaPaymentFlowFormat *out)
{
  guint i;

  if (!_esa_store_name_index (format_names, G_N_ELEMENTS (format_names), name, &i))
    return FALSE;
  *out = (EsaPaymentFlowFormat) i;
  return TRUE;
}

static const char * const ref_kind_names[] = { NULL, "iuv", "notice", "qrr", "scor", "other" };

const char *
esa_payment_ref_kind_to_string (EsaPaymentRefKind kind)
{
  g_return_val_if_fail (kind <= ESA_PAYMENT_REF_OTHER, NULL);

  return ref_kind_names[kind];
}

EsaPaymentRefKind
_esa_payment_ref_kind_from_string (const char *name)
{
  guint i;

  return _esa_store_name_index (ref_kind_names, G_N_ELEMENTS (ref_kind_names), name, &i)
         ? (EsaPaymentRefKind) i : ESA_PAYMENT_REF_NONE;
}

static const char * const outcome_names[] = {
  "paid", "partial", "overpaid", "double", "debtor", "unmatched", "revoked", "duplicate",
};

const char *
esa_payment_outcome_to_string (EsaPaymentOutcome outcome)
{
  g_return_val_if_fail (outcome <= ESA_PAYMENT_OUTCOME_DUPLICATE, NULL);

  return outcome_names[outcome];
}

static const char * const status_names[] = { "imported", "replaced", "duplicate" };

const char *
esa_payment_flow_status_to_string (EsaPaymentFlowStatus status)
{
  g_return_val_if_fail (status <= ESA_PAYMENT_FLOW_DUPLICATE, NULL);

  return status_names[status];
}

/* ---- records ---------------------------------------------------------------- */

static void
flow_item_free (EsaFlowItem *item)
{
  g_free (item->reference);
  g_free (item->currency);
  g_free (item->paid_on);
  g_free (item->collection_ref);
  g_free (item->outcome);
  g_free (item->debtor_name);
  g_free (item->debtor_tax_id);
  g_free (item->remittance);
  g_free (item);
}

EsaPaymentFlow *
esa_payment_flow_new (EsaPaymentFlowFormat format)
{
  EsaPaymentFlow *self = g_new0 (EsaPaymentFlow, 1);

  self->format = format;
  self->items = g_ptr_array_new_with_free_func ((GDestroyNotify) flow_item_free);
  self->notes = g_ptr_array_new_with_free_func (g_free);
  return self;
}

void
esa_payment_flow_free (EsaPaymentFlow *self)
{
  if (self == NULL)
    return;

  g_free (self->flow_key);
  g_free (self->flow_at);
  g_free (self->settlement_ref);
  g_free (self->settled_on);
  g_free (self->sender);
  g_free (self->receiver);
  g_ptr_array_unref (self->items);
  g_ptr_array_unref (self->notes);
  g_free (self);
}

EsaFlowItem *
esa_payment_flow_add_item (EsaPaymentFlow *self)
{
  EsaFlowItem *item = g_new0 (EsaFlowItem, 1);

  g_ptr_array_add (self->items, item);
  return item;
}

void
esa_payment_flow_add_note (EsaPaymentFlow *self,
                           const char     *format,
                           ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (self->notes, g_strdup_vprintf (format, args));
  va_end (args);
}

gint64
esa_payment_flow_total (const EsaPaymentFlow *self)
{
  gint64 total = 0;

  for (guint i = 0; i < self->items->len; i++)
    total += ((const EsaFlowItem *) g_ptr_array_index (self->items, i))->amount;
  return total;
}

void
esa_payment_import_line_free (EsaPaymentImportLine *self)
{
  if (self == NULL)
    return;

  g_free (self->payment_id);
  g_free (self->position_id);
  g_free (self->debtor_id);
  g_free (self->reference);
  g_free (self->currency);
  g_free (self->message);
  g_free (self);
}

EsaPaymentImportReport *
_esa_payment_import_report_new (void)
{
  EsaPaymentImportReport *self = g_new0 (EsaPaymentImportReport, 1);

  self->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) esa_payment_import_line_free);
  self->notes = g_ptr_array_new_with_free_func (g_free);
  return self;
}

void
esa_payment_import_report_free (EsaPaymentImportReport *self)
{
  if (self == NULL)
    return;

  g_free (self->flow_id);
  g_free (self->replaced_id);
  g_free (self->body_id);
  g_ptr_array_unref (self->lines);
  g_ptr_array_unref (self->notes);
  g_free (self);
}

void
esa_queued_payment_free (EsaQueuedPayment *self)
{
  if (self == NULL)
    return;

  g_free (self->id);
  g_free (self->state);
  g_free (self->flow_id);
  g_free (self->flow_key);
  g_free (self->format);
  g_free (self->body_id);
  g_free (self->currency);
  g_free (self->paid_on);
  g_free (self->reference);
  g_free (self->reference_kind);
  g_free (self->collection_ref);
  g_free (self->debtor_name);
  g_free (self->debtor_tax_id);
  g_free (self->remittance);
  g_free (self->note);
  g_free (self);
}

void
esa_score_part_free (EsaScorePart *self)
{
  if (self == NULL)
    return;

  g_free (self->part);
  g_free (self->explain);
  g_free (self);
}

void
esa_payment_candidate_free (EsaPaymentCandidate *self)
{
  if (self == NULL)
    return;

  g_free (self->position_id);
  g_free (self->debtor_id);
  g_free (self->debtor_name);
  g_free (self->tax_id);
  g_free (self->body_id);
  g_free (self->reference);
  g_free (self->payment_reference);
  g_free (self->due_date);
  g_free (self->currency);
  g_clear_pointer (&self->parts, g_ptr_array_unref);
  g_free (self);
}

void
esa_payment_allocation_free (EsaPaymentAllocation *self)
{
  if (self == NULL)
    return;

  g_free (self->position_id);
  g_free (self->allocated_on);
  g_free (self);
}

void
esa_refund_candidate_free (EsaRefundCandidate *self)
{
  if (self == NULL)
    return;

  g_free (self->payment_id);
  g_free (self->reason);
  g_free (self->paid_on);
  g_free (self->currency);
  g_free (self->body_id);
  g_free (self->body_name);
  g_free (self->debtor_id);
  g_free (self->debtor_name);
  g_free (self->tax_id);
  g_free (self->position_id);
  g_free (self->position_reference);
  g_free (self->reference);
  g_free (self->collection_ref);
  g_free (self->flow_key);
  g_free (self);
}

/* ---- helpers -------------------------------------------------------------- */

char *
_esa_payment_today_iso (void)
{
  GDate today;

  esa_date_set_today (&today);
  return esa_date_to_iso (&today);
}

void
_esa_payment_json_key (GString    *out,
                       const char *name)
{
  char last = out->len > 0 ? out->str[out->len - 1] : '\0';

  if (last != '{' && last != '[' && last != '\0')
    g_string_append_c (out, ',');
  g_string_append_c (out, '"');
  g_string_append (out, name);
  g_string_append (out, "\":");
}

void
_esa_payment_json_str (GString    *out,
                       const char *name,
                       const char *value)
{
  _esa_payment_json_key (out, name);
  _esa_json_append_string (out, value);
}

void
_esa_payment_json_int (GString    *out,
                       const char *name,
                       gint64      value)
{
  _esa_payment_json_key (out, name);
  g_string_append_printf (out, "%" G_GINT64_FORMAT, value);
}

/* ---- allocations and refunds -------------------------------------------------- */

static EsaPaymentAllocation *
allocation_read (EsaStoreStmt *stmt)
{
  EsaPaymentAllocation *allocation = g_new0 (EsaPaymentAllocation, 1);

  allocation->position_id = _esa_stmt_dup_text (stmt, 0);
  allocation->costs = sqlite3_column_int64 (stmt, 1);
  allocation->interest = sqlite3_column_int64 (stmt, 2);
  allocation->sanctions = sqlite3_column_int64 (stmt, 3);
  allocation->principal = sqlite3_column_int64 (stmt, 4);
  allocation->allocated_on = _esa_stmt_dup_text (stmt, 5);
  return allocation;
}

static EsaRefundCandidate *
refund_read (EsaStoreStmt *stmt)
{
  EsaRefundCandidate *refund = g_new0 (EsaRefundCandidate, 1);

  refund->payment_id = _esa_stmt_dup_text (stmt, 0);
  refund->reason = _esa_stmt_dup_text (stmt, 1);
  refund->paid_on = _esa_stmt_dup_text (stmt, 2);
  refund->amount = sqlite3_column_int64 (stmt, 3);
  refund->refund = sqlite3_column_int64 (stmt, 4);
  refund->currency = _esa_stmt_dup_text (stmt, 5);
  refund->body_id = _esa_stmt_dup_text (stmt, 6);
  refund->body_name = _esa_stmt_dup_text (stmt, 7);
  refund->debtor_id = _esa_stmt_dup_text (stmt, 8);
  refund->debtor_name = _esa_stmt_dup_text (stmt, 9);
  refund->tax_id = _esa_stmt_dup_text (stmt, 10);
  refund->position_id = _esa_stmt_dup_text (stmt, 11);
  refund->position_reference = _esa_stmt_dup_text (stmt, 12);
  refund->reference = _esa_stmt_dup_text (stmt, 13);
  refund->collection_ref = _esa_stmt_dup_text (stmt, 14);
  refund->flow_key = _esa_stmt_dup_text (stmt, 15);
  return refund;
}

GPtrArray *
esa_store_payment_allocations (EsaStore    *self,
                               const char  *payment_id,
                               GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) allocations = NULL;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (payment_id != NULL, NULL);

  stmt = _esa_store_prepare (self,
                             "SELECT position_id, costs, interest, sanctions, principal, "
                             "  allocated_on "
                             "FROM payment_allocations WHERE payment_id = ?1 ORDER BY rowid",
                             error);
  if (stmt == NULL)
    return NULL;
  _esa_stmt_bind_text (stmt, 1, payment_id);

  allocations = g_ptr_array_new_with_free_func ((GDestroyNotify) esa_payment_allocation_free);
  if (!_esa_payment_read_rows (self, stmt, (RowRead) allocation_read, allocations, error))
    return NULL;
  return g_steal_pointer (&allocations);
}

GPtrArray *
esa_store_list_refunds (EsaStore  *self,
                        GError   **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) refunds = NULL;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);

  stmt = _esa_store_prepare (self,
                             "SELECT pm.id, pm.refund_reason, pm.paid_on, pm.amount, "
                             "  pm.unapplied, pm.currency, pm.body_id, b.name, pm.debtor_id, "
                             "  d.name, d.tax_id, pm.position_id, po.reference, pm.reference, "
                             "  pm.collection_ref, f.flow_key "
                             "FROM payments pm "
                             "  LEFT JOIN bodies b ON b.id = pm.body_id "
                             "  LEFT JOIN debtors d ON d.id = pm.debtor_id "
                             "  LEFT JOIN positions po ON po.id = pm.position_id "
                             "  LEFT JOIN payment_flows f ON f.id = pm.flow_id "
                             "WHERE pm.unapplied > 0 AND pm.state = 'applied' "
                             "ORDER BY pm.paid_on, pm.rowid",
                             error);
  if (stmt == NULL)
    return NULL;

  refunds = g_ptr_array_new_with_free_func ((GDestroyNotify) esa_refund_candidate_free);
  if (!_esa_payment_read_rows (self, stmt, (RowRead) refund_read, refunds, error))
    return NULL;
  return g_steal_pointer (&refunds);
}

/* ---- CSV column mappings ---------------------------------------------------------- */

static gboolean
write_mapping (EsaStore    *self,
               const char  *body_id,
               const char  *mapping_json,
               GError     **error)
{
  g_autoptr(EsaStoreStmt) upsert = NULL;
  g_autofree char *exists = NULL;
  g_autofree char *id = NULL;
  g_autofree char *now = _esa_store_now_iso ();
  g_autofree char *name = NULL;
  g_autofree char *summary = NULL;
  g_autoptr(GString) payload = g_string_new ("{");
  const char *user_id = esa_store_get_acting_user (self);

  if (!_esa_store_check_action (self, ESA_ACTION_PAYMENT_IMPORT, error)
      || !_esa_payment_lookup_text (self, "SELECT name FROM bodies WHERE id = ?1", body_id, &name,
                                    error))
    return FALSE;
  if (name == NULL)
    return _esa_store_fail (error, ESA_STORE_ERROR_NOT_FOUND,
                            _("No creditor body with id %s"), body_id);
  if (!_esa_payment_lookup_text (self, "SELECT id FROM payment_csv_mappings WHERE body_id = ?1",
                                 body_id, &exists, error))
    return FALSE;
  id = exists != NULL ? g_strdup (exists) : esa_uuid_new ();

  upsert = _esa_store_prepare (self,
                               "INSERT INTO payment_csv_mappings (id, body_id, mapping, "
                               "  updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5) "
                               "ON CONFLICT (body_id) DO UPDATE SET mapping = excluded.mapping, "
                               "  updated_at = excluded.updated_at, "
                               "  updated_by = excluded.updated_by, version = version + 1",
                               error);
  if (upsert == NULL)
    return FALSE;
  _esa_stmt_bind_text (upsert, 1, id);
  _esa_stmt_bind_text (upsert, 2, body_id);
  _esa_stmt_bind_text (upsert, 3, mapping_json);
  _esa_stmt_bind_text (upsert, 4, now);
  _esa_stmt_bind_text (upsert, 5, user_id);
  if (!_esa_store_step_done (self, upsert, error))
    return FALSE;

  _esa_payment_json_str (payload, "id", id);
  _esa_payment_json_str (payload, "body_id", body_id);
  _esa_payment_json_key (payload, "mapping");
  g_string_append (payload, mapping_json);
  _esa_payment_json_str (payload, "updated_at", now);
  _esa_payment_json_str (payload, "updated_by", user_id);
  g_string_append_c (payload, '}');
  /* Translators: %s is a creditor body's name */
  summary = g_strdup_printf (_("CSV column mapping of payments saved for %s"), name);

  return _esa_store_outbox_append_text (self, exists != NULL ? "field" : "event",
                                        "payment_csv_mapping", id, payload->str, 0, now, error)
         && _esa_store_audit_append (self, now, user_id, exists != NULL ? "update" : "create",
                                     "payment_csv_mapping", id, NULL, summary, error);
}

gboolean
esa_store_set_payment_mapping (EsaStore    *self,
                               const char  *body_id,
                               const char  *mapping_json,
                               GError     **error)
{
  gboolean ok;

  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);
  g_return_val_if_fail (body_id != NULL, FALSE);
  g_return_val_if_fail (mapping_json != NULL, FALSE);

  if (!_esa_store_write_begin (self, error))
    return FALSE;
  ok = write_mapping (self, body_id, mapping_json, error);
  return _esa_store_write_end (self, ok, error);
}

char *
esa_store_get_payment_mapping (EsaStore    *self,
                               const char  *body_id,
                               GError     **error)
{
  g_autofree char *mapping = NULL;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (body_id != NULL, NULL);

  if (!_esa_payment_lookup_text (self,
                                 "SELECT mapping FROM payment_csv_mappings WHERE body_id = ?1",
                                 body_id, &mapping, error))
    return NULL;
  return g_steal_pointer (&mapping);
}
