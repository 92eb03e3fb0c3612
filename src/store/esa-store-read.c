/* esa-store-read.c: lists, single records and the dossier
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>

#include "esa-store-private.h"
#include "esa-store-rows-private.h"

/* Every dossier query reads by an indexed debtor_id (see the schema), and
 * all of them are prepared once per store: a dossier costs about a dozen
 * index lookups. */

static gboolean
count (EsaStore    *self,
       const char  *sql,
       gint64      *out,
       GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = _esa_store_prepare (self, sql, error);
  gboolean row;

  if (stmt == NULL || !_esa_store_step (self, stmt, &row, error))
    return FALSE;

  *out = row ? sqlite3_column_int64 (stmt, 0) : 0;
  return TRUE;
}

#define text(i) _esa_stmt_dup_text (stmt, (i))

/* ---- bodies, offices, users --------------------------------------------- */

#define BODY_SELECT \
  "SELECT id, name, country, currency, tax_code, iban, segregation_code FROM bodies"

static gpointer
read_body (EsaStoreStmt *stmt)
{
  EsaBody *body = g_new0 (EsaBody, 1);

  body->id = text (0);
  body->name = text (1);
  body->country = text (2);
  body->currency = text (3);
  body->tax_code = text (4);
  body->iban = text (5);
  body->segregation_code = text (6);
  return body;
}

GPtrArray *
esa_store_list_bodies (EsaStore  *self,
                       GError   **error)
{
  g_return_val_if_fail (ESA_IS_STORE (self), NULL);

  return _esa_store_read_rows (self, BODY_SELECT " ORDER BY name", NULL, read_body,
                               (GDestroyNotify) esa_body_free, error);
}

EsaBody *
esa_store_get_body (EsaStore    *self,
                    const char  *id,
                    GError     **error)
{
  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return _esa_store_read_one (self, BODY_SELECT " WHERE id = ?1", id, read_body,
                              _("No creditor body with id %s"), error);
}

GPtrArray *
esa_store_list_offices (EsaStore  *self,
                        GError   **error)
{
  g_return_val_if_fail (ESA_IS_STORE (self), NULL);

  return _esa_store_read_rows (self, "SELECT id, name, town, country FROM offices ORDER BY name",
                               NULL, _esa_store_row_office, (GDestroyNotify) esa_office_free,
                               error);
}

GPtrArray *
esa_store_list_users (EsaStore  *self,
                      GError   **error)
{
  g_return_val_if_fail (ESA_IS_STORE (self), NULL);

  return _esa_store_read_rows (self, ESA_STORE_USER_SELECT " ORDER BY u.name, u.login", NULL,
                               _esa_store_row_user, (GDestroyNotify) esa_user_free, error);
}

EsaUser *
esa_store_get_user (EsaStore    *self,
                    const char  *id,
                    GError     **error)
{
  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return _esa_store_read_one (self, ESA_STORE_USER_SELECT " WHERE u.id = ?1", id,
                              _esa_store_row_user, _("No user with id %s"), error);
}

static gpointer
read_office_stats (EsaStoreStmt *stmt)
{
  EsaOfficeStats *stats = g_new0 (EsaOfficeStats, 1);

  stats->office_id = text (0);
  stats->office_name = text (1);
  stats->debtors = sqlite3_column_int64 (stmt, 2);
  stats->positions = sqlite3_column_int64 (stmt, 3);
  stats->cases = sqlite3_column_int64 (stmt, 4);
  return stats;
}

GPtrArray *
esa_store_office_stats (EsaStore  *self,
                        GError   **error)
{
  g_autoptr(GPtrArray) stats = NULL;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);

  if (!_esa_store_read_begin (self, error))
    return NULL;
  stats = _esa_store_read_rows (self,
                                "SELECT o.id, o.name, (SELECT count(*) FROM debtors d WHERE "
                                "d.office_id = o.id), (SELECT count(*) FROM debtors d JOIN "
                                "positions p ON p.debtor_id = d.id WHERE d.office_id = o.id), "
                                "(SELECT count(*) FROM cases c WHERE c.office_id = o.id) FROM "
                                "offices o ORDER BY o.name", NULL, read_office_stats,
                                (GDestroyNotify) esa_office_stats_free, error);
  _esa_store_read_end (self);

  return g_steal_pointer (&stats);
}

gint64
esa_store_count_debtors (EsaStore  *self,
                         GError   **error)
{
  gint64 n = -1;

  g_return_val_if_fail (ESA_IS_STORE (self), -1);

  return count (self, "SELECT count(*) FROM debtors", &n, error) ? n : -1;
}

gint64
esa_store_count_positions (EsaStore  *self,
                           GError   **error)
{
  gint64 n = -1;

  g_return_val_if_fail (ESA_IS_STORE (self), -1);

  return count (self, "SELECT count(*) FROM positions", &n, error) ? n : -1;
}

gint64
esa_store_count_pending_ops (EsaStore  *self,
                             GError   **error)
{
  gint64 n = -1;

  g_return_val_if_fail (ESA_IS_STORE (self), -1);

  return count (self, "SELECT count(*) FROM outbox WHERE acked_at IS NULL", &n, error) ? n : -1;
}

/* ---- debtors ------------------------------------------------------------ */

static gpointer
read_debtor (EsaStoreStmt *stmt)
{
  EsaDebtor *debtor = g_new0 (EsaDebtor, 1);

  debtor->id = text (0);
  debtor->kind = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1), "company") == 0
                   ? ESA_DEBTOR_COMPANY
                   : ESA_DEBTOR_PERSON;
  debtor->name = text (2);
  debtor->tax_id = text (3);
  debtor->tax_id_kind = text (4);
  debtor->birth_date = text (5);
  debtor->deceased_on = text (6);
  debtor->ceased_on = text (7);
  debtor->insolvent_since = text (8);
  debtor->office_id = text (9);
  debtor->version = sqlite3_column_int64 (stmt, 10);
  return debtor;
}

static gpointer
read_address (EsaStoreStmt *stmt)
{
  EsaAddress *address = g_new0 (EsaAddress, 1);

  address->id = text (0);
  address->street = text (1);
  address->postcode = text (2);
  address->town = text (3);
  address->country = text (4);
  address->valid_from = text (5);
  address->valid_to = text (6);
  return address;
}

static gpointer
read_debtor_contact (EsaStoreStmt *stmt)
{
  EsaDebtorContact *contact = g_new0 (EsaDebtorContact, 1);

  contact->id = text (0);
  contact->kind = text (1);
  contact->value = text (2);
  return contact;
}

static gpointer
read_relation (EsaStoreStmt *stmt)
{
  EsaRelation *relation = g_new0 (EsaRelation, 1);

  relation->id = text (0);
  relation->kind = text (1);
  relation->other_id = text (2);
  relation->other_name = text (3);
  relation->note = text (4);
  return relation;
}

/* The debtor with addresses, contacts and relations, inside the caller's
 * read transaction. */
static EsaDebtor *
load_debtor (EsaStore    *self,
             const char  *id,
             GError     **error)
{
  g_autoptr(EsaDebtor) debtor = NULL;

  debtor = _esa_store_read_one (self,
                                "SELECT id, kind, name, tax_id, tax_id_kind, birth_date, "
                                "deceased_on, ceased_on, insolvent_since, office_id, version FROM "
                                "debtors WHERE id = ?1", id, read_debtor,
                                _("No debtor with id %s"), error);
  if (debtor == NULL)
    return NULL;

  /* Current address first, then the older ones from the most recent. */
  debtor->addresses = _esa_store_read_rows (self,
                                            "SELECT id, street, postcode, town, country, "
                                            "valid_from, valid_to FROM addresses WHERE debtor_id "
                                            "= ?1 ORDER BY valid_to IS NOT NULL, valid_to DESC, "
                                            "valid_from DESC", id, read_address,
                                            (GDestroyNotify) esa_address_free, error);
  if (debtor->addresses == NULL)
    return NULL;

  debtor->contacts = _esa_store_read_rows (self,
                                           "SELECT id, kind, value FROM debtor_contacts "
                                           "WHERE debtor_id = ?1 ORDER BY kind, rowid", id,
                                           read_debtor_contact,
                                           (GDestroyNotify) esa_debtor_contact_free, error);
  if (debtor->contacts == NULL)
    return NULL;

  debtor->relations = _esa_store_read_rows (self,
                                            "SELECT r.id, r.kind, r.other_id, o.name, r.note FROM "
                                            "relations r LEFT JOIN debtors o ON o.id = r.other_id "
                                            "WHERE r.debtor_id = ?1 ORDER BY r.kind, o.name", id,
                                            read_relation, (GDestroyNotify) esa_relation_free,
                                            error);
  if (debtor->relations == NULL)
    return NULL;

  return g_steal_pointer (&debtor);
}

EsaDebtor *
esa_store_get_debtor (EsaStore    *self,
                      const char  *id,
                      GError     **error)
{
  EsaDebtor *debtor;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (!_esa_store_read_begin (self, error))
    return NULL;
  debtor = load_debtor (self, id, error);
  _esa_store_read_end (self);

  return debtor;
}

/* ---- the dossier -------------------------------------------------------- */

static gpointer
read_totals (EsaStoreStmt *stmt)
{
  EsaTotals *totals = g_new0 (EsaTotals, 1);

  totals->body_id = text (0);
  totals->body_name = text (1);
  totals->currency = text (2);
  totals->principal = sqlite3_column_int64 (stmt, 3);
  totals->sanctions = sqlite3_column_int64 (stmt, 4);
  totals->interest = sqlite3_column_int64 (stmt, 5);
  totals->costs = sqlite3_column_int64 (stmt, 6);
  totals->paid = sqlite3_column_int64 (stmt, 7);
  totals->balance = sqlite3_column_int64 (stmt, 8);
  return totals;
}

static gpointer
read_payment (EsaStoreStmt *stmt)
{
  EsaPayment *payment = g_new0 (EsaPayment, 1);

  payment->id = text (0);
  payment->debtor_id = text (1);
  payment->position_id = text (2);
  payment->body_id = text (3);
  payment->amount = sqlite3_column_int64 (stmt, 4);
  payment->currency = text (5);
  payment->paid_on = text (6);
  payment->reference = text (7);
  payment->channel = text (8);
  return payment;
}

static gpointer
read_document (EsaStoreStmt *stmt)
{
  EsaDocument *document = g_new0 (EsaDocument, 1);

  document->id = text (0);
  document->debtor_id = text (1);
  document->case_id = text (2);
  document->act_id = text (3);
  document->title = text (4);
  document->mime_type = text (5);
  document->sha256 = text (6);
  document->size = sqlite3_column_int64 (stmt, 7);
  document->created_at = text (8);
  return document;
}

static gpointer
read_contact_entry (EsaStoreStmt *stmt)
{
  EsaContactEntry *entry = g_new0 (EsaContactEntry, 1);

  entry->id = text (0);
  entry->debtor_id = text (1);
  entry->channel = text (2);
  entry->direction = text (3);
  entry->occurred_at = text (4);
  entry->user_id = text (5);
  entry->user_name = text (6);
  entry->subject = text (7);
  entry->note = text (8);
  entry->duration_s = sqlite3_column_int (stmt, 9);
  return entry;
}

static gpointer
read_audit_entry (EsaStoreStmt *stmt)
{
  EsaAuditEntry *entry = g_new0 (EsaAuditEntry, 1);

  entry->seq = sqlite3_column_int64 (stmt, 0);
  entry->at = text (1);
  entry->user_id = text (2);
  entry->action = text (3);
  entry->entity = text (4);
  entry->entity_id = text (5);
  entry->debtor_id = text (6);
  entry->summary = text (7);
  entry->prev_hash = text (8);
  entry->hash = text (9);
  return entry;
}

static gboolean
fill_dossier (EsaStore    *self,
              const char  *id,
              EsaDossier  *dossier,
              GError     **error)
{
  dossier->debtor = load_debtor (self, id, error);
  if (dossier->debtor == NULL)
    return FALSE;

  /* What is owed per creditor body and currency. Cancelled and written-off
   * positions are no longer owed and stay out of the sums; paid ones count
   * in both what was owed and what was paid. */
  dossier->totals = _esa_store_read_rows (self,
                                          "SELECT p.body_id, b.name, p.currency, "
                                          "sum(p.principal), sum(p.sanctions), sum(p.interest), "
                                          "sum(p.costs), sum(p.paid), sum(p.principal + "
                                          "p.sanctions + p.interest + p.costs - p.paid) FROM "
                                          "positions p JOIN bodies b ON b.id = p.body_id WHERE "
                                          "p.debtor_id = ?1 AND p.state NOT IN ('cancelled', "
                                          "'written_off') GROUP BY p.body_id, p.currency ORDER BY "
                                          "b.name, p.currency", id, read_totals,
                                          (GDestroyNotify) esa_totals_free, error);
  if (dossier->totals == NULL)
    return FALSE;

  dossier->positions = _esa_store_read_rows (self,
                                             "SELECT p.id, p.debtor_id, p.body_id, b.name, "
                                             "p.currency, p.load_list_id, p.revenue_type, p.year, "
                                             "p.reference, p.payment_reference, p.due_date, "
                                             "p.state, p.principal, p.sanctions, p.interest, "
                                             "p.costs, p.paid FROM positions p JOIN bodies b ON "
                                             "b.id = p.body_id WHERE p.debtor_id = ?1 ORDER BY "
                                             "p.due_date, p.reference", id,
                                             _esa_store_row_position,
                                             (GDestroyNotify) esa_position_free, error);
  if (dossier->positions == NULL)
    return FALSE;

  dossier->cases = _esa_store_read_rows (self,
                                         "SELECT c.id, c.debtor_id, c.body_id, c.office_id, "
                                         "c.procedure_id, c.state, c.officer_id, u.name, "
                                         "c.opened_on, c.closed_on, c.next_deadline, "
                                         "c.next_deadline_label FROM cases c LEFT JOIN users u ON "
                                         "u.id = c.officer_id WHERE c.debtor_id = ?1 ORDER BY "
                                         "c.closed_on IS NOT NULL, c.opened_on DESC", id,
                                         _esa_store_row_case, (GDestroyNotify) esa_case_free,
                                         error);
  if (dossier->cases == NULL)
    return FALSE;

  /* The notification state of an act is that of its latest attempt. */
  dossier->acts = _esa_store_read_rows (self,
                                        "SELECT a.id, a.case_id, a.debtor_id, a.type, a.number, "
                                        "a.issued_on, a.amount, coalesce(n.state, 'pending'), "
                                        "CASE n.state WHEN 'delivered' THEN n.delivered_on WHEN "
                                        "'failed' THEN n.failed_on END FROM acts a LEFT JOIN "
                                        "notifications n ON n.id = (SELECT id FROM notifications "
                                        "WHERE act_id = a.id ORDER BY attempt DESC LIMIT 1) WHERE "
                                        "a.debtor_id = ?1 ORDER BY a.issued_on DESC, a.number DESC",
                                        id, _esa_store_row_act, (GDestroyNotify) esa_act_free,
                                        error);
  if (dossier->acts == NULL)
    return FALSE;

  dossier->payments = _esa_store_read_rows (self,
                                            "SELECT id, debtor_id, position_id, body_id, amount, "
                                            "currency, paid_on, reference, channel FROM payments "
                                            "WHERE debtor_id = ?1 ORDER BY paid_on DESC, rowid "
                                            "DESC", id, read_payment,
                                            (GDestroyNotify) esa_payment_free, error);
  if (dossier->payments == NULL)
    return FALSE;

  dossier->plans = _esa_store_read_rows (self,
                                         "SELECT p.id, p.debtor_id, p.case_id, p.state, p.total, "
                                         "p.currency, (SELECT count(*) FROM instalments i WHERE "
                                         "i.plan_id = p.id), (SELECT count(*) FROM instalments i "
                                         "WHERE i.plan_id = p.id AND i.paid >= i.amount), "
                                         "p.first_due FROM instalment_plans p WHERE p.debtor_id = "
                                         "?1 ORDER BY p.state <> 'active', p.first_due DESC", id,
                                         _esa_store_row_plan,
                                         (GDestroyNotify) esa_instalment_plan_free, error);
  if (dossier->plans == NULL)
    return FALSE;

  dossier->documents = _esa_store_read_rows (self,
                                             "SELECT id, debtor_id, case_id, act_id, title, "
                                             "mime_type, sha256, size, created_at FROM documents "
                                             "WHERE debtor_id = ?1 ORDER BY created_at DESC, "
                                             "rowid DESC", id, read_document,
                                             (GDestroyNotify) esa_document_free, error);
  if (dossier->documents == NULL)
    return FALSE;

  dossier->contacts = _esa_store_read_rows (self,
                                            "SELECT c.id, c.debtor_id, c.channel, c.direction, "
                                            "c.occurred_at, c.user_id, u.name, c.subject, c.note, "
                                            "c.duration_s FROM contact_log c LEFT JOIN users u ON "
                                            "u.id = c.user_id WHERE c.debtor_id = ?1 ORDER BY "
                                            "c.occurred_at DESC", id, read_contact_entry,
                                            (GDestroyNotify) esa_contact_entry_free, error);
  if (dossier->contacts == NULL)
    return FALSE;

  dossier->history = _esa_store_read_rows (self,
                                           "SELECT seq, at, user_id, action, entity, entity_id, "
                                           "debtor_id, summary, prev_hash, hash FROM audit WHERE "
                                           "debtor_id = ?1 ORDER BY seq DESC LIMIT 500", id,
                                           read_audit_entry, (GDestroyNotify) esa_audit_entry_free,
                                           error);
  if (dossier->history == NULL)
    return FALSE;

  for (guint i = 0; i < dossier->plans->len; i++)
    {
      EsaInstalmentPlan *plan = g_ptr_array_index (dossier->plans, i);

      if (g_strcmp0 (plan->state, "active") == 0)
        dossier->has_active_plan = TRUE;
    }
  for (guint i = 0; i < dossier->positions->len; i++)
    {
      EsaPosition *position = g_ptr_array_index (dossier->positions, i);

      if (g_strcmp0 (position->state, "suspended") == 0)
        dossier->has_suspended_position = TRUE;
    }

  return TRUE;
}

EsaDossier *
esa_store_load_dossier (EsaStore    *self,
                        const char  *debtor_id,
                        GError     **error)
{
  g_autoptr(EsaDossier) dossier = NULL;
  gboolean ok;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (debtor_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* One snapshot: a write between two of the queries must not show a
   * payment without the paid amount it added to its position. */
  if (!_esa_store_read_begin (self, error))
    return NULL;
  dossier = g_new0 (EsaDossier, 1);
  ok = fill_dossier (self, debtor_id, dossier, error);
  _esa_store_read_end (self);

  return ok ? g_steal_pointer (&dossier) : NULL;
}
