/* esa-store-payment-import.c: a payment flow imported all or nothing:
 * checked, matched item by item, booked, recorded
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "esa-date.h"
#include "esa-identifiers.h"
#include "esa-money.h"
#include "esa-store-columnar-private.h"
#include "esa-roles.h"
#include "esa-store-payments-private.h"
#include "esa-store-sync.h"
#include "esa-uuid.h"

/* ---- importing a flow ------------------------------------------------------- */

typedef struct
{
  Booking                        booking;
  EsaStore                      *store;
  const EsaPaymentFlow          *flow;
  const EsaPaymentImportOptions *options;
  EsaPaymentImportReport        *report;
  char                          *flow_id;
  char                          *flow_key;
  char                          *body_id;
  gboolean                       body_known;  /* named by the options or found by the flow */
  GPtrArray                    **found;       /* per item: the positions its exact reference
                                               * names; NULL without an exact reference */
  gboolean                      *recorded;    /* per item: already recorded */
} Import;

/* Every item must be a payment the store can record. */
static gboolean
check_items (const EsaPaymentFlow  *flow,
             GError               **error)
{
  for (guint i = 0; i < flow->items->len; i++)
    {
      const EsaFlowItem *item = g_ptr_array_index (flow->items, i);
      g_autoptr(GError) local_error = NULL;
      GDate date;

      if (item->amount <= 0)
        return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                                _("line %u: a payment must be more than zero"), item->line);
      if (item->currency == NULL || strlen (item->currency) != 3)
        return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                                _("line %u: the payment has no currency"), item->line);
      if (item->paid_on == NULL)
        return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                                _("line %u: the payment has no date"),
                                item->line);
      if (!esa_date_parse_iso (item->paid_on, &date, &local_error))
        /* Translators: "line 20: the date of the payment is wrong: 2025-02-30 is not a date" */
        return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                                _("line %u: the date of the payment is wrong: %s"), item->line,
                                local_error->message);
    }
  return TRUE;
}

/* One text column of the one row @sql (?1 = @value) returns, or NULL. */
gboolean
_esa_payment_lookup_text (EsaStore    *self,
                          const char  *sql,
                          const char  *value,
                          char       **out,
                          GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = _esa_store_prepare (self, sql, error);
  gboolean row;

  *out = NULL;
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, value);
  if (!_esa_store_step (self, stmt, &row, error))
    return FALSE;
  if (row)
    *out = _esa_stmt_dup_text (stmt, 0);
  return TRUE;
}

/* The body the flow is for: the one named, else the one whose tax code
 * (pagoPA) or account (camt.054) the flow names. */
static gboolean
resolve_body (Import  *import,
              GError **error)
{
  const char *receiver = import->flow->receiver;
  g_autofree char *normalized = NULL;
  const char *sql;

  if (import->options->body_id != NULL)
    {
      if (!_esa_payment_lookup_text (import->store, "SELECT id FROM bodies WHERE id = ?1",
                                     import->options->body_id, &import->body_id, error))
        return FALSE;
      if (import->body_id == NULL)
        return _esa_store_fail (error, ESA_STORE_ERROR_NOT_FOUND, _("No creditor body with id %s"),
                                import->options->body_id);
      import->body_known = TRUE;
      return TRUE;
    }
  if (receiver == NULL)
    return TRUE;

  if (import->flow->format == ESA_PAYMENT_FLOW_CAMT054)
    {
      sql = "SELECT id FROM bodies WHERE iban = ?1";
      if (!esa_id_validate (ESA_ID_IBAN, receiver, &normalized, NULL))
        normalized = g_strdup (receiver);
    }
  else
    {
      sql = "SELECT id FROM bodies WHERE tax_code = ?1";
      normalized = g_ascii_strup (receiver, -1);
    }
  if (!_esa_payment_lookup_text (import->store, sql, normalized, &import->body_id, error))
    return FALSE;

  if (import->body_id != NULL)
    import->body_known = TRUE;
  else
    /* Translators: %s is a tax code or an IBAN */
    g_ptr_array_add (import->report->notes,
                     g_strdup_printf (_("the flow is addressed to %s, which is no creditor body "
                                        "of this database: its payments are matched by their "
                                        "references alone"),
                                      receiver));
  return TRUE;
}

static GDateTime *
parse_timestamp (const char *text)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  return text != NULL ? g_date_time_new_from_iso8601 (text, utc) : NULL;
}

/* TRUE when @new_at is later than @old_at; a flow without a time is never
 * later than one with the same key. */
static gboolean
is_later (const char *new_at,
          const char *old_at)
{
  g_autoptr(GDateTime) new_time = parse_timestamp (new_at);
  g_autoptr(GDateTime) old_time = parse_timestamp (old_at);

  if (new_time == NULL)
    return FALSE;
  if (old_time == NULL)
    return TRUE;
  return g_date_time_compare (new_time, old_time) > 0;
}

static char *
flow_payload (EsaStore    *self,
              const char  *flow_id,
              GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  static const char * const columns[] = {
    "id", "format", "flow_key", "flow_at", "body_id", "settlement_ref", "settled_on", "sender",
    "receiver", "file_name", "file_sha256", "currency", "item_count", "total", "state",
    "replaced_by", "imported_at", "imported_by", "version",
  };
  GString *out;
  gboolean row;

  stmt = _esa_store_prepare (self,
                             "SELECT id, format, flow_key, flow_at, body_id, settlement_ref, "
                             "  settled_on, sender, receiver, file_name, file_sha256, currency, "
                             "  item_count, total, state, replaced_by, imported_at, "
                             "  imported_by, version "
                             "FROM payment_flows WHERE id = ?1",
                             error);
  if (stmt == NULL)
    return NULL;
  _esa_stmt_bind_text (stmt, 1, flow_id);
  if (!_esa_store_step (self, stmt, &row, error))
    return NULL;
  if (!row)
    {
      _esa_store_fail (error, ESA_STORE_ERROR_NOT_FOUND, _("No payment flow with id %s"), flow_id);
      return NULL;
    }

  out = g_string_new ("{");
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      if (sqlite3_column_type (stmt, (int) i) == SQLITE_INTEGER)
        _esa_payment_json_int (out, columns[i], sqlite3_column_int64 (stmt, (int) i));
      else
        _esa_payment_json_str (out, columns[i], (const char *) sqlite3_column_text (stmt, (int) i));
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

static gboolean
insert_flow (Import  *import,
             GError **error)
{
  const EsaPaymentFlow *flow = import->flow;
  const char *currency = NULL;
  g_autoptr(EsaStoreStmt) stmt = NULL;

  if (flow->items->len > 0)
    currency = ((const EsaFlowItem *) g_ptr_array_index (flow->items, 0))->currency;

  stmt = _esa_store_prepare (import->store,
                             "INSERT INTO payment_flows (id, format, flow_key, flow_at, body_id, "
                             "  settlement_ref, settled_on, sender, receiver, file_name, "
                             "  file_sha256, currency, item_count, total, state, imported_at, "
                             "  imported_by) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
                             "  ?14, 'current', ?15, ?16)",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, import->flow_id);
  _esa_stmt_bind_text (stmt, 2, esa_payment_flow_format_to_string (flow->format));
  _esa_stmt_bind_text (stmt, 3, import->flow_key);
  _esa_stmt_bind_text (stmt, 4, flow->flow_at);
  _esa_stmt_bind_text (stmt, 5, import->body_id);
  _esa_stmt_bind_text (stmt, 6, flow->settlement_ref);
  _esa_stmt_bind_text (stmt, 7, flow->settled_on);
  _esa_stmt_bind_text (stmt, 8, flow->sender);
  _esa_stmt_bind_text (stmt, 9, flow->receiver);
  _esa_stmt_bind_text (stmt, 10, import->options->file_name);
  _esa_stmt_bind_text (stmt, 11, import->options->file_sha256);
  _esa_stmt_bind_text (stmt, 12, currency);
  sqlite3_bind_int64 (stmt, 13, flow->items->len);
  sqlite3_bind_int64 (stmt, 14, import->report->total);
  _esa_stmt_bind_text (stmt, 15, import->booking.now);
  _esa_stmt_bind_text (stmt, 16, import->booking.user_id);

  return _esa_store_step_done (import->store, stmt, error);
}

/* Takes back what the payments of a replaced flow applied: negative
 * allocations, the positions' paid amounts, and the cases they closed
 * (undone, when nothing happened on them since). */
static gboolean
reverse_flow (Import      *import,
              const char  *old_flow_id,
              GError     **error)
{
  Booking *booking = &import->booking;
  EsaStore *self = import->store;
  g_autoptr(EsaStoreStmt) payments = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) debtors = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(EsaStoreStmt) closures = NULL;
  g_autoptr(EsaStoreStmt) mark = NULL;
  gboolean row;

  payments = _esa_store_prepare (self,
                                 "SELECT id, debtor_id FROM payments "
                                 "WHERE flow_id = ?1 AND state = 'applied' ORDER BY rowid",
                                 error);
  if (payments == NULL)
    return FALSE;
  _esa_stmt_bind_text (payments, 1, old_flow_id);
  if (!_esa_payment_read_text_pairs (self, payments, ids, debtors, error))
    return FALSE;
  g_clear_pointer (&payments, _esa_store_stmt_release);

  for (guint i = 0; i < ids->len; i++)
    {
      const char *payment_id = g_ptr_array_index (ids, i);
      g_autoptr(EsaStoreStmt) sums = NULL;
      g_autoptr(EsaStoreStmt) insert = NULL;
      g_autoptr(EsaStoreStmt) update = NULL;
      g_autoptr(GString) payload = g_string_new ("{");
      g_autofree char *summary = NULL;
      gint64 reversed = 0;
      guint n = 0;

      sums = _esa_store_prepare (self,
                                 "SELECT position_id, sum(costs), sum(interest), sum(sanctions), "
                                 "  sum(principal) "
                                 "FROM payment_allocations WHERE payment_id = ?1 "
                                 "GROUP BY position_id "
                                 "HAVING sum(costs) <> 0 OR sum(interest) <> 0 "
                                 "  OR sum(sanctions) <> 0 OR sum(principal) <> 0 "
                                 "ORDER BY min(rowid)",
                                 error);
      insert = _esa_store_prepare (self,
                                   "INSERT INTO payment_allocations (id, payment_id, position_id, "
                                   "  costs, interest, sanctions, principal, allocated_on) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                                   error);
      update = _esa_store_prepare (self,
                                   "UPDATE positions SET paid = paid - ?2, "
                                   "  state = CASE WHEN state = 'paid' THEN 'open' ELSE state END, "
                                   "  version = version + 1 "
                                   "WHERE id = ?1",
                                   error);
      if (sums == NULL || insert == NULL || update == NULL)
        return FALSE;

      _esa_payment_json_str (payload, "id", payment_id);
      _esa_payment_json_str (payload, "state", "replaced");
      _esa_payment_json_key (payload, "reversals");
      g_string_append_c (payload, '[');
      _esa_stmt_bind_text (sums, 1, payment_id);
      for (;;)
        {
          g_autofree char *allocation_id = NULL;
          const char *position_id;
          gint64 negative[N_COMPONENTS];
          gint64 amount = 0;

          if (!_esa_store_step (self, sums, &row, error))
            return FALSE;
          if (!row)
            break;
          position_id = (const char *) sqlite3_column_text (sums, 0);
          allocation_id = _esa_payment_booking_new_id (booking);

          _esa_stmt_bind_text (insert, 1, allocation_id);
          _esa_stmt_bind_text (insert, 2, payment_id);
          _esa_stmt_bind_text (insert, 3, position_id);
          for (guint c = 0; c < N_COMPONENTS; c++)
            {
              negative[c] = -sqlite3_column_int64 (sums, 1 + (int) c);
              amount -= negative[c];
              sqlite3_bind_int64 (insert, 4 + (int) c, negative[c]);
            }
          _esa_stmt_bind_text (insert, 8, booking->today);
          if (!_esa_store_step_done (self, insert, error))
            return FALSE;
          sqlite3_reset (insert);

          _esa_stmt_bind_text (update, 1, position_id);
          sqlite3_bind_int64 (update, 2, amount);
          if (!_esa_store_step_done (self, update, error))
            return FALSE;
          sqlite3_reset (update);

          if (n++ > 0)
            g_string_append_c (payload, ',');
          _esa_payment_allocation_json (payload, allocation_id, position_id, negative,
                                        booking->today);
          reversed += amount;
        }
      g_string_append (payload, "]}");

      if (reversed > 0)
        {
          g_autofree char *amount_text = NULL;
          g_autofree char *currency = NULL;

          if (!_esa_payment_lookup_text (self, "SELECT currency FROM payments WHERE id = ?1",
                                         payment_id, &currency, error))
            return FALSE;
          amount_text = esa_money_format (reversed, currency);
          /* Translators: "Payment reversed: € 120.00 taken back from its positions, as its flow
           * was replaced by a newer one" */
          summary = g_strdup_printf (_("Payment reversed: %s taken back from its positions, as "
                                       "its flow was replaced by a newer one"),
                                     amount_text);
        }
      else
        summary = g_strdup (_("Payment reversed: its flow was replaced by a newer one"));

      if (!_esa_store_outbox_append_text (self, "event", "payment", payment_id, payload->str, 0,
                                          booking->now, error)
          || !_esa_store_audit_append (self, booking->now, booking->user_id, "reverse", "payment",
                                       payment_id, g_ptr_array_index (debtors, i), summary,
                                       error))
        return FALSE;
    }

  /* The cases the old flow closed open again; the new flow closes them
   * anew if it pays them in full. */
  closures = _esa_store_prepare (self,
                                 "SELECT DISTINCT cc.event_id, cc.case_id "
                                 "FROM payment_case_closures cc "
                                 "  JOIN payments p ON p.id = cc.payment_id "
                                 "WHERE p.flow_id = ?1 AND cc.event_id IS NOT NULL "
                                 "ORDER BY cc.case_id",
                                 error);
  if (closures == NULL)
    return FALSE;
  _esa_stmt_bind_text (closures, 1, old_flow_id);
  if (!_esa_payment_read_text_pairs (self, closures, events, events, error))
    return FALSE;
  g_clear_pointer (&closures, _esa_store_stmt_release);

  for (guint i = 0; i + 1 < events->len; i += 2)
    {
      g_autoptr(GError) local_error = NULL;

      if (!esa_store_case_undo (self, g_ptr_array_index (events, i), &local_error))
        {
          if (local_error->domain != ESA_STORE_ERROR || local_error->code == ESA_STORE_ERROR_IO)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          g_ptr_array_add (import->report->notes,
                           g_strdup_printf (_("case %s was closed by the replaced flow and stays "
                                              "closed: %s"),
                                            (const char *) g_ptr_array_index (events, i + 1),
                                            local_error->message));
        }
    }

  mark = _esa_store_prepare (self,
                             "UPDATE payments SET state = 'replaced', debtor_id = NULL, "
                             "  position_id = NULL, version = version + 1 "
                             "WHERE flow_id = ?1",
                             error);
  if (mark == NULL)
    return FALSE;
  _esa_stmt_bind_text (mark, 1, old_flow_id);
  if (!_esa_store_step_done (self, mark, error))
    return FALSE;
  g_clear_pointer (&mark, _esa_store_stmt_release);

  mark = _esa_store_prepare (self,
                             "UPDATE payment_flows SET state = 'replaced', replaced_by = ?2, "
                             "  version = version + 1 WHERE id = ?1",
                             error);
  if (mark == NULL)
    return FALSE;
  _esa_stmt_bind_text (mark, 1, old_flow_id);
  _esa_stmt_bind_text (mark, 2, import->flow_id);
  return _esa_store_step_done (self, mark, error);
}

/* The stored form of a payer's tax id: as the identifier rules make it
 * when it is one, else upper case without spaces. */
char *
_esa_payment_normalize_tax_id (const char *text)
{
  static const EsaIdKind kinds[] = {
    ESA_ID_CODICE_FISCALE, ESA_ID_PARTITA_IVA, ESA_ID_AHV, ESA_ID_UID,
  };
  GString *plain;

  if (text == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      char *normalized = NULL;

      if (esa_id_validate (kinds[i], text, &normalized, NULL))
        return normalized;
    }

  plain = g_string_new (NULL);
  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isspace (*p))
        g_string_append_c (plain, g_ascii_toupper (*p));
    }
  return g_string_free (plain, plain->len == 0);
}

gboolean
_esa_payment_all_digits (const char *text)
{
  if (text == NULL || *text == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
    }
  return TRUE;
}

/* The positions a reference names exactly, and how it named them. The
 * exact kinds (IUV, notice number, QR reference) were looked up for the
 * whole flow by lookup_flow(). */
static GPtrArray *
match_reference (Import             *import,
                 guint               index,
                 const EsaFlowItem  *item,
                 const char        **out_method,
                 GError            **error)
{
  EsaStore *self = import->store;
  const char *reference = item->reference;
  const char *iuv_body = import->body_known ? import->body_id : NULL;
  g_autoptr(GPtrArray) rows = NULL;
  gsize length;

  *out_method = NULL;
  if (reference == NULL || item->reference_kind == ESA_PAYMENT_REF_NONE)
    return g_ptr_array_new_with_free_func ((GDestroyNotify) _esa_payment_position_free);
  length = strlen (reference);

  switch (item->reference_kind)
    {
    case ESA_PAYMENT_REF_IUV:
    case ESA_PAYMENT_REF_NOTICE:
    case ESA_PAYMENT_REF_QRR:
      *out_method = esa_payment_ref_kind_to_string (item->reference_kind);
      return g_steal_pointer (&import->found[index]);

    case ESA_PAYMENT_REF_SCOR:
      {
        /* The content after "RF" and the two check digits: a position's
         * payment reference (a QR reference written without its leading
         * zeros too) or its own reference. */
        const char *content = reference + 4;

        *out_method = "scor";
        rows = _esa_payment_find_positions (self, FIND_BY_PAYMENT_REFERENCE, content, NULL, error);
        if (rows != NULL && rows->len == 0 && _esa_payment_all_digits (content)
            && strlen (content) < 27)
          {
            g_autofree char *zeros = g_strnfill (27 - strlen (content), '0');
            g_autofree char *padded = g_strconcat (zeros, content, NULL);

            g_ptr_array_unref (rows);
            rows = _esa_payment_find_positions (self, FIND_BY_PAYMENT_REFERENCE, padded, NULL,
                                                error);
          }
        if (rows != NULL && rows->len == 0)
          {
            g_ptr_array_unref (rows);
            rows = _esa_payment_find_positions (self, FIND_BY_REFERENCE, content, NULL, error);
          }
        return g_steal_pointer (&rows);
      }

    case ESA_PAYMENT_REF_OTHER:
      *out_method = "reference";
      rows = _esa_payment_find_positions (self, FIND_BY_PAYMENT_REFERENCE, reference, NULL, error);
      if (rows != NULL && rows->len == 0 && _esa_payment_all_digits (reference) && (length == 15
                                                                       || length == 17))
        {
          g_ptr_array_unref (rows);
          *out_method = "iuv";
          rows = _esa_payment_find_positions (self, FIND_BY_IUV, reference, iuv_body, error);
        }
      if (rows != NULL && rows->len == 0)
        {
          g_ptr_array_unref (rows);
          *out_method = "reference";
          rows = _esa_payment_find_positions (self, FIND_BY_REFERENCE, reference, NULL, error);
        }
      return g_steal_pointer (&rows);

    case ESA_PAYMENT_REF_NONE:
    default:
      return g_ptr_array_new_with_free_func ((GDestroyNotify) _esa_payment_position_free);
    }
}

/* The one debtor with the payer's tax id, if exactly one. */
static gboolean
match_tax_id (Import             *import,
              const EsaFlowItem  *item,
              char              **out_debtor_id,
              GError            **error)
{
  g_autofree char *tax_id = _esa_payment_normalize_tax_id (item->debtor_tax_id);
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row;

  *out_debtor_id = NULL;
  if (tax_id == NULL)
    return TRUE;

  stmt = _esa_store_prepare (import->store, "SELECT id FROM debtors WHERE tax_id = ?1 LIMIT 2",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, tax_id);
  if (!_esa_store_step (import->store, stmt, &row, error))
    return FALSE;
  if (!row)
    return TRUE;
  *out_debtor_id = _esa_stmt_dup_text (stmt, 0);
  if (!_esa_store_step (import->store, stmt, &row, error))
    return FALSE;
  if (row)
    g_clear_pointer (out_debtor_id, g_free);
  return TRUE;
}

/* The positions of every exact reference of the flow, and the items
 * already recorded by a flow that still stands (the same collection
 * reference, reference and amount), looked up with one join each: the
 * flow's references go in as a JSON array, one element per item (null
 * where the lookup does not apply), and json_each() gives each back with
 * its item's index as the key. A statement per payment would cost a
 * hundred thousand steps for a large flow. */
#define LOOKUP_BY_IUV \
  "SELECT " POSITION_COLUMNS ", j.key FROM json_each (?1) j CROSS JOIN positions p " \
  "WHERE j.type = 'text' AND length(p.payment_reference) = 18 " \
  "  AND substr(p.payment_reference, " \
  "             CASE WHEN substr(p.payment_reference, 1, 1) = '0' THEN 4 ELSE 2 END) " \
  "      = j.value " \
  "  AND (?2 IS NULL OR p.body_id = ?2)"
#define LOOKUP_BY_PAYMENT_REFERENCE \
  "SELECT " POSITION_COLUMNS ", j.key FROM json_each (?1) j CROSS JOIN positions p " \
  "WHERE j.type = 'text' AND p.payment_reference = j.value"
#define LOOKUP_RECORDED \
  "SELECT DISTINCT j.key FROM json_each (?1) j CROSS JOIN payments p " \
  "WHERE j.type = 'array' AND p.collection_ref = json_extract (j.value, '$[0]') " \
  "  AND p.reference IS json_extract (j.value, '$[1]') " \
  "  AND p.amount = json_extract (j.value, '$[2]') AND p.state <> 'replaced'"

/* Runs one lookup: rows of positions (@positions) or of recorded items,
 * with the item's index in the last column; ?2 is @body_id, if any. */
static gboolean
lookup_rows (Import      *import,
             const char  *sql,
             gboolean     positions,
             const char  *array,
             const char  *body_id,
             GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = _esa_store_prepare (import->store, sql, error);
  guint n_items = import->flow->items->len;
  gboolean row;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, array, -1, SQLITE_STATIC);
  if (body_id != NULL)
    _esa_stmt_bind_text (stmt, 2, body_id);
  for (;;)
    {
      gint64 index;

      if (!_esa_store_step (import->store, stmt, &row, error))
        return FALSE;
      if (!row)
        break;
      index = sqlite3_column_int64 (stmt, positions ? 13 : 0);
      g_assert (index >= 0 && index < n_items);
      if (positions)
        g_ptr_array_add (import->found[index], _esa_payment_position_read (stmt));
      else
        import->recorded[index] = TRUE;
    }
  return TRUE;
}

static gboolean
lookup_flow (Import  *import,
             GError **error)
{
  const GPtrArray *items = import->flow->items;
  g_autoptr(GString) iuvs = g_string_new ("[");
  g_autoptr(GString) references = g_string_new ("[");
  g_autoptr(GString) recorded = g_string_new ("[");

  import->found = g_new0 (GPtrArray *, items->len);
  import->recorded = g_new0 (gboolean, items->len);
  for (guint i = 0; i < items->len; i++)
    {
      const EsaFlowItem *item = g_ptr_array_index (items, i);
      const char *separator = i > 0 ? "," : "";
      const char *iuv = NULL;
      const char *reference = NULL;

      if (item->reference_kind == ESA_PAYMENT_REF_IUV)
        iuv = item->reference;
      else if (item->reference_kind == ESA_PAYMENT_REF_NOTICE
               || item->reference_kind == ESA_PAYMENT_REF_QRR)
        reference = item->reference;
      if (iuv != NULL || reference != NULL)
        import->found[i] = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                           _esa_payment_position_free);

      g_string_append (iuvs, separator);
      _esa_json_append_string (iuvs, iuv);
      g_string_append (references, separator);
      _esa_json_append_string (references, reference);
      g_string_append (recorded, separator);
      if (item->collection_ref == NULL)
        {
          g_string_append (recorded, "null");
          continue;
        }
      g_string_append_c (recorded, '[');
      _esa_json_append_string (recorded, item->collection_ref);
      g_string_append_c (recorded, ',');
      _esa_json_append_string (recorded, item->reference);
      g_string_append_printf (recorded, ",%" G_GINT64_FORMAT "]", item->amount);
    }
  g_string_append_c (iuvs, ']');
  g_string_append_c (references, ']');
  g_string_append_c (recorded, ']');

  return lookup_rows (import, LOOKUP_BY_IUV, TRUE, iuvs->str,
                      import->body_known ? import->body_id : NULL, error)
         && lookup_rows (import, LOOKUP_BY_PAYMENT_REFERENCE, TRUE, references->str, NULL, error)
         && lookup_rows (import, LOOKUP_RECORDED, FALSE, recorded->str, NULL, error);
}

static void
lookup_clear (Import *import)
{
  for (guint i = 0; import->found != NULL && i < import->flow->items->len; i++)
    g_clear_pointer (&import->found[i], g_ptr_array_unref);
  g_clear_pointer (&import->found, g_free);
  g_clear_pointer (&import->recorded, g_free);
}

static const char *
channel_for (EsaPaymentFlowFormat  format,
             EsaPaymentRefKind     kind)
{
  if (format == ESA_PAYMENT_FLOW_PAGOPA)
    return "pagopa";
  if (kind == ESA_PAYMENT_REF_QRR || kind == ESA_PAYMENT_REF_SCOR)
    return "qr-bill";
  return "bank";
}

static void
add_line (Import             *import,
          const EsaFlowItem  *item,
          const Draft        *draft)
{
  EsaPaymentImportLine *line = g_new0 (EsaPaymentImportLine, 1);
  EsaPaymentImportReport *report = import->report;

  line->line = item->line;
  line->outcome = draft->result;
  line->payment_id = draft->result != ESA_PAYMENT_OUTCOME_DUPLICATE ? g_strdup (draft->id) : NULL;
  line->position_id = g_strdup (draft->position_id);
  line->debtor_id = g_strdup (draft->debtor_id);
  line->reference = g_strdup (item->reference);
  line->amount = item->amount;
  line->unapplied = draft->unapplied;
  line->currency = g_strdup (item->currency);
  line->message = g_strdup (draft->message);
  g_ptr_array_add (report->lines, line);

  switch (draft->result)
    {
    case ESA_PAYMENT_OUTCOME_PAID:
    case ESA_PAYMENT_OUTCOME_PARTIAL:
      report->matched++;
      break;
    case ESA_PAYMENT_OUTCOME_OVERPAID:
    case ESA_PAYMENT_OUTCOME_DOUBLE:
      report->matched++;
      report->refunds++;
      break;
    case ESA_PAYMENT_OUTCOME_DEBTOR:
      report->matched++;
      if (draft->unapplied > 0)
        report->refunds++;
      break;
    case ESA_PAYMENT_OUTCOME_UNMATCHED:
      report->unmatched++;
      break;
    case ESA_PAYMENT_OUTCOME_REVOKED:
      report->revoked++;
      break;
    case ESA_PAYMENT_OUTCOME_DUPLICATE:
      report->duplicates++;
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Why a matched position cannot take the payment, or NULL. (transfer full) */
char *
_esa_payment_position_refuses (const PositionRow *position,
                               const char        *currency)
{
  g_autofree char *reason = _esa_payment_reason_refused (position, currency);

  return reason != NULL ? esa_payment_note_describe (reason) : NULL;
}

/* An item of the flow between matching and booking. */
typedef struct
{
  guint        index;     /* in the flow */
  gint64       order;     /* when it is booked: the matched position's rowid first */
  Draft       *draft;
  PositionRow *position;  /* the matched position as it was read */
  char        *debtor_id; /* the debtor matched by tax id */
} Pending;

static void
pending_free (Pending *pending)
{
  g_clear_pointer (&pending->draft, _esa_payment_draft_free);
  g_clear_pointer (&pending->position, _esa_payment_position_free);
  g_free (pending->debtor_id);
  g_free (pending);
}

#define ORDER_SKIP      G_GINT64_CONSTANT (-1)
#define ORDER_DEBTOR    (G_MAXINT64 - 1)
#define ORDER_UNMATCHED G_MAXINT64

/* Matches one item: a duplicate, a revoked payment, a position, a debtor
 * by tax id, or nothing. Nothing is written yet. */
static gboolean
match_item (Import             *import,
            const EsaFlowItem  *item,
            GHashTable         *seen,
            Pending            *pending,
            GError            **error)
{
  Draft *draft = _esa_payment_draft_new ();
  g_autoptr(GPtrArray) positions = NULL;
  g_autofree char *key = NULL;
  const char *method = NULL;
  gboolean duplicate = FALSE;

  pending->draft = draft;
  pending->order = ORDER_UNMATCHED;
  draft->amount = item->amount;
  draft->currency = g_strdup (item->currency);
  draft->paid_on = g_strdup (item->paid_on);
  draft->reference = g_strdup (item->reference);
  draft->reference_kind = item->reference_kind;
  draft->channel = channel_for (import->flow->format, item->reference_kind);
  draft->flow_id = g_strdup (import->flow_id);
  draft->line = item->line;
  draft->collection_ref = g_strdup (item->collection_ref);
  draft->outcome = g_strdup (item->outcome);
  draft->debtor_name = g_strdup (item->debtor_name);
  draft->debtor_tax_id = g_strdup (item->debtor_tax_id);
  draft->remittance = g_strdup (item->remittance);
  draft->body_id = g_strdup (import->body_id);

  /* The same payment already recorded, or earlier in this flow. */
  if (item->collection_ref != NULL)
    {
      key = g_strdup_printf ("%s|%s|%" G_GINT64_FORMAT, item->collection_ref,
                             item->reference != NULL ? item->reference : "", item->amount);
      duplicate = import->recorded[pending->index]
                  || !g_hash_table_add (seen, g_steal_pointer (&key));
    }
  if (duplicate)
    {
      draft->result = ESA_PAYMENT_OUTCOME_DUPLICATE;
      /* Translators: %s is a bank's or pagoPA's own reference of a payment */
      draft->message = g_strdup_printf (_("already recorded (collection reference %s): skipped"),
                                        item->collection_ref);
      pending->order = ORDER_SKIP;
      return TRUE;
    }

  if (item->revoked)
    {
      _esa_payment_draft_unmatched (draft, "revoked", _esa_payment_reason_revoked (item->outcome));
      return TRUE;
    }

  positions = match_reference (import, pending->index, item, &method, error);
  if (positions == NULL)
    return FALSE;

  if (positions->len == 1)
    {
      const PositionRow *position = g_ptr_array_index (positions, 0);
      char *refusal = _esa_payment_reason_refused (position, item->currency);

      if (refusal != NULL)
        _esa_payment_draft_unmatched (draft, "unmatched", refusal);
      else
        {
          draft->match_method = method;
          pending->order = position->rowid;
          pending->position = g_ptr_array_steal_index (positions, 0);
        }
      return TRUE;
    }

  if (positions->len == 0 && !match_tax_id (import, item, &pending->debtor_id, error))
    return FALSE;
  if (positions->len == 0 && pending->debtor_id != NULL)
    {
      draft->match_method = "tax_id";
      pending->order = ORDER_DEBTOR;
      return TRUE;
    }

  _esa_payment_draft_unmatched (draft, "unmatched",
                                _esa_payment_reason_no_position (item->reference_kind,
                                                                 item->reference,
                                                                 positions->len));
  return TRUE;
}

/* Books a matched item. A position that an earlier payment of the flow
 * paid is read again: the items are booked by position, so that is the
 * payment booked just before. */
static gboolean
book_pending (Import   *import,
              Pending  *pending,
              gint64    previous_rowid,
              GError  **error)
{
  Draft *draft = pending->draft;

  draft->id = _esa_payment_booking_new_id (&import->booking);
  if (pending->position != NULL)
    {
      if (pending->position->rowid == previous_rowid)
        {
          g_autofree char *id = g_strdup (pending->position->id);

          g_clear_pointer (&pending->position, _esa_payment_position_free);
          pending->position = _esa_payment_get_position (import->store, id, error);
          if (pending->position == NULL)
            return FALSE;
        }
      if (!_esa_payment_plan_position (&import->booking, draft, pending->position, error))
        return FALSE;
    }
  else if (pending->debtor_id != NULL
           && !_esa_payment_plan_debtor (&import->booking, draft, pending->debtor_id,
                                         import->body_known ? import->body_id : NULL, error))
    return FALSE;

  return _esa_payment_book_draft (&import->booking, draft, TRUE, error);
}

static gint
compare_pending (gconstpointer a,
                 gconstpointer b)
{
  const Pending *x = *(Pending * const *) a;
  const Pending *y = *(Pending * const *) b;

  if (x->order != y->order)
    return x->order < y->order ? -1 : 1;
  return x->index < y->index ? -1 : (x->index > y->index);
}

/* Matches every item, then books them in the order of the positions they
 * pay, which is the order of the positions' pages in the file (a flow of
 * many payments then reads and writes each page once), and reports them
 * in the order of the file. */
static gboolean
import_items (Import  *import,
              GError **error)
{
  const GPtrArray *items = import->flow->items;
  g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_free);
  g_autoptr(GPtrArray) sorted = g_ptr_array_sized_new (items->len);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 previous_rowid = 0;
  gint64 start = g_get_monotonic_time ();

  if (!lookup_flow (import, error))
    return FALSE;
  for (guint i = 0; i < items->len; i++)
    {
      Pending *one = g_new0 (Pending, 1);

      one->index = i;
      g_ptr_array_add (pending, one);
      if (!match_item (import, g_ptr_array_index (items, i), seen, one, error))
        return FALSE;
      if (one->order != ORDER_SKIP)
        g_ptr_array_add (sorted, one);
    }

  g_debug ("payment flow %s: %u items matched in %.0f ms", import->flow_key, items->len,
           (g_get_monotonic_time () - start) / 1000.0);
  g_ptr_array_sort (sorted, compare_pending);
  for (guint i = 0; i < sorted->len; i++)
    {
      Pending *one = g_ptr_array_index (sorted, i);

      if (!book_pending (import, one, previous_rowid, error))
        return FALSE;
      previous_rowid = one->position != NULL ? one->position->rowid : 0;
    }

  for (guint i = 0; i < pending->len; i++)
    {
      Pending *one = g_ptr_array_index (pending, i);

      add_line (import, g_ptr_array_index (items, i), one->draft);
    }
  return TRUE;
}

/* The flow's row goes to the server before its payments, which name it. */
static gboolean
send_flow (Import  *import,
           GError **error)
{
  g_autofree char *payload = flow_payload (import->store, import->flow_id, error);

  return payload != NULL
         && _esa_store_outbox_append_text (import->store, "event", "payment_flow",
                                           import->flow_id, payload, 0, import->booking.now,
                                           error);
}

/* Matches and books every item with the capture triggers off, the rows
 * going out in batches; the switch is a row of this transaction, so a
 * failed import leaves it as it was. The CHECK constraints of the rows
 * booked hold by construction (amounts checked by check_items(), states,
 * kinds and methods from this code's constants), so they are off too. */
static gboolean
book_items (Import  *import,
            GError **error)
{
  Booking *booking = &import->booking;
  gboolean capture = esa_store_sync_get_capture (import->store);
  gint checks;
  gboolean ok;

  if (capture && !esa_store_sync_set_capture (import->store, FALSE, error))
    return FALSE;
  booking->batch = _esa_payment_batch_new (import->flow_id, booking->now);
  checks = _esa_store_checks_off (import->store);
  ok = import_items (import, error);
  _esa_store_checks_restore (import->store, checks);
  if (!ok || !_esa_payment_batch_flush (import->store, booking->batch, error))
    return FALSE;
  g_clear_pointer (&booking->batch, _esa_payment_batch_free);
  return !capture || esa_store_sync_set_capture (import->store, TRUE, error);
}

static gboolean
record_flow (Import  *import,
             GError **error)
{
  EsaPaymentImportReport *report = import->report;
  g_autofree char *summary = NULL;
  g_autofree char *total = NULL;
  const char *currency = "";

  if (import->flow->items->len > 0)
    currency = ((const EsaFlowItem *) g_ptr_array_index (import->flow->items, 0))->currency;
  total = esa_money_format (report->total, currency);

  /* Translators: "Payment flow 2024-01-10ABI-S0001 (pagopa) imported: 12 matched, 1 unmatched,
   * 1 revoked, 0 already recorded; total € 1.234,00" */
  summary = g_strdup_printf (_("Payment flow %s (%s) imported: %u matched, %u unmatched, "
                               "%u revoked, %u already recorded; total %s"),
                             import->flow_key,
                             esa_payment_flow_format_to_string (import->flow->format),
                             report->matched, report->unmatched, report->revoked,
                             report->duplicates, total);

  return _esa_store_audit_append (import->store, import->booking.now, import->booking.user_id,
                                     report->status == ESA_PAYMENT_FLOW_REPLACED ? "replace"
                                                                                : "import",
                                     "payment_flow", import->flow_id, NULL, summary, error);
}

/* Finds a flow already recorded with the same file or key. Sets the report
 * to a duplicate, or @out_replaced to the flow this one replaces. */
static gboolean
check_recorded (Import  *import,
                char   **out_replaced,
                GError **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autofree char *existing = NULL;
  gboolean row;

  *out_replaced = NULL;
  if (!_esa_payment_lookup_text (import->store,
                                 "SELECT id FROM payment_flows WHERE file_sha256 = ?1",
                                 import->options->file_sha256, &existing, error))
    return FALSE;
  if (existing != NULL)
    {
      import->report->status = ESA_PAYMENT_FLOW_DUPLICATE;
      import->report->flow_id = g_steal_pointer (&existing);
      g_ptr_array_add (import->report->notes,
                       g_strdup (_("this file was imported before: nothing was changed")));
      return TRUE;
    }

  stmt = _esa_store_prepare (import->store,
                             "SELECT id, flow_at FROM payment_flows "
                             "WHERE format = ?1 AND flow_key = ?2 AND state = 'current'",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, esa_payment_flow_format_to_string (import->flow->format));
  _esa_stmt_bind_text (stmt, 2, import->flow_key);
  if (!_esa_store_step (import->store, stmt, &row, error))
    return FALSE;
  if (!row)
    return TRUE;

  if (is_later (import->flow->flow_at, (const char *) sqlite3_column_text (stmt, 1)))
    {
      *out_replaced = _esa_stmt_dup_text (stmt, 0);
      return TRUE;
    }

  import->report->status = ESA_PAYMENT_FLOW_DUPLICATE;
  import->report->flow_id = _esa_stmt_dup_text (stmt, 0);
  /* Translators: the first %s is a flow's id, the second the time of the recorded one */
  g_ptr_array_add (import->report->notes,
                   g_strdup_printf (_("flow %s was imported before with the time %s, and this "
                                      "one is not later: nothing was changed"),
                                    import->flow_key,
                                    (const char *) sqlite3_column_text (stmt, 1) != NULL
                                    ? (const char *) sqlite3_column_text (stmt, 1) : "—"));
  return TRUE;
}

/* A flow of many payments touches many pages (the positions, the
 * payments' indexes): a page cache that holds them keeps SQLite from
 * spilling them to the log and reading them back within the transaction.
 * The cache only grows as pages are used, and is set back afterwards.
 * Returns the size to set back, 0 when it was left alone. */
static gint64
enlarge_cache (EsaStore *self,
               guint     n_items)
{
  g_autoptr(EsaStoreStmt) stmt = _esa_store_prepare (self, "PRAGMA cache_size", NULL);
  g_autofree char *pragma = NULL;
  /* About 8 KiB per payment, up to 1 GiB. */
  gint64 wanted = -MIN ((gint64) n_items * 8, 1048576);
  gint64 current;
  gboolean row = FALSE;

  if (stmt == NULL || !_esa_store_step (self, stmt, &row, NULL) || !row)
    return 0;
  current = sqlite3_column_int64 (stmt, 0);
  /* Negative sizes are KiB, positive ones pages: compare in KiB. */
  if ((current < 0 ? -current : current * 4) >= -wanted)
    return 0;

  pragma = g_strdup_printf ("PRAGMA cache_size = %" G_GINT64_FORMAT, wanted);
  return _esa_store_exec (self, pragma, NULL) ? current : 0;
}

static void
restore_cache (EsaStore *self,
               gint64    previous)
{
  g_autofree char *pragma = NULL;

  if (previous == 0)
    return;
  pragma = g_strdup_printf ("PRAGMA cache_size = %" G_GINT64_FORMAT, previous);
  _esa_store_exec (self, pragma, NULL);
}

static gboolean
run_import (Import  *import,
            GError **error)
{
  g_autofree char *replaced = NULL;
  gint64 start, booked;

  if (!_esa_store_check_action (import->store, ESA_ACTION_PAYMENT_IMPORT, error)
      || !check_recorded (import, &replaced, error))
    return FALSE;
  if (import->report->status == ESA_PAYMENT_FLOW_DUPLICATE)
    {
      import->report->duplicates = import->flow->items->len;
      return TRUE;
    }
  if (!resolve_body (import, error))
    return FALSE;

  import->flow_id = esa_uuid_new ();
  if (!insert_flow (import, error))
    return FALSE;
  if (replaced != NULL)
    {
      import->report->status = ESA_PAYMENT_FLOW_REPLACED;
      import->report->replaced_id = g_strdup (replaced);
      if (!reverse_flow (import, replaced, error))
        return FALSE;
    }

  start = g_get_monotonic_time ();
  if (!send_flow (import, error) || !book_items (import, error))
    return FALSE;
  booked = g_get_monotonic_time ();
  if (!_esa_payment_close_paid_cases (&import->booking, error))
    return FALSE;
  g_debug ("payment flow %s: %u items matched and booked in %.0f ms, %u cases closed in %.0f ms",
           import->flow_key, import->flow->items->len, (booked - start) / 1000.0,
           import->booking.cases_closed, (g_get_monotonic_time () - booked) / 1000.0);

  import->report->positions_paid = import->booking.positions_paid;
  import->report->cases_closed = import->booking.cases_closed;
  import->report->flow_id = g_strdup (import->flow_id);
  import->report->body_id = g_strdup (import->body_id);
  return record_flow (import, error);
}

EsaPaymentImportReport *
esa_store_import_payment_flow (EsaStore                       *self,
                               const EsaPaymentFlow           *flow,
                               const EsaPaymentImportOptions  *options,
                               GError                        **error)
{
  g_autoptr(EsaPaymentImportReport) report = NULL;
  Import import = { { 0, }, };
  gint64 previous_cache;
  gint64 start;
  gboolean ok;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (flow != NULL, NULL);
  g_return_val_if_fail (options != NULL && options->file_sha256 != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_items (flow, error))
    return NULL;

  report = _esa_payment_import_report_new ();
  report->status = ESA_PAYMENT_FLOW_IMPORTED;
  report->total = esa_payment_flow_total (flow);
  for (guint i = 0; i < flow->notes->len; i++)
    g_ptr_array_add (report->notes, g_strdup (g_ptr_array_index (flow->notes, i)));

  import.store = self;
  import.flow = flow;
  import.options = options;
  import.report = report;
  import.flow_key = g_strdup (flow->flow_key != NULL ? flow->flow_key : options->file_sha256);
  previous_cache = enlarge_cache (self, flow->items->len);
  ok = _esa_store_write_begin (self, error);
  if (ok)
    {
      ok = _esa_payment_booking_init (&import.booking, self, options->parameters, report->notes,
                                      error)
           && run_import (&import, error);
      start = g_get_monotonic_time ();
      ok = _esa_store_write_end (self, ok, error);
      g_debug ("payment flow %s: committed in %.0f ms", import.flow_key,
               (g_get_monotonic_time () - start) / 1000.0);
    }
  restore_cache (self, previous_cache);

  _esa_payment_booking_clear (&import.booking);
  lookup_clear (&import);
  g_free (import.flow_id);
  g_free (import.flow_key);
  g_free (import.body_id);

  return ok ? g_steal_pointer (&report) : NULL;
}
