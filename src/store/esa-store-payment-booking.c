/* esa-store-payment-booking.c: a payment planned over a position or a
 * debtor's positions, booked with its allocations, sent to the server in
 * batches, and the cases it pays in full closed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "esa-date.h"
#include "esa-money.h"
#include "esa-procedure.h"
#include "esa-store-columnar-private.h"
#include "esa-store-payments-private.h"

#define ALLOCATION_TABLE "payments.allocation.order"

static const char * const component_names[N_COMPONENTS] = {
  "costs", "interest", "sanctions", "principal",
};

/* Translators: the components of a debt, as audit entries and reports list
 * what a payment paid: "costs € 5.00, principal € 100.00" */
static const char * const component_labels[N_COMPONENTS] = {
  N_("costs"), N_("interest"), N_("sanctions"), N_("principal"),
};

static const Component default_order[N_COMPONENTS] = {
  COMPONENT_COSTS, COMPONENT_INTEREST, COMPONENT_SANCTIONS, COMPONENT_PRINCIPAL,
};

/* ---- allocation order ------------------------------------------------------ */

typedef struct
{
  Component order[N_COMPONENTS];
} Order;

/* "costs,interest,sanctions,principal": every component once. */
static gboolean
parse_order (const char  *text,
             Order       *out,
             GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  gboolean seen[N_COMPONENTS] = { FALSE, };
  guint n = 0;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *name = g_strstrip (parts[i]);
      gint found = -1;

      for (guint c = 0; c < N_COMPONENTS; c++)
        {
          if (g_str_equal (name, component_names[c]))
            found = (gint) c;
        }
      if (found < 0 || seen[found] || n >= N_COMPONENTS)
        {
          n = 0;
          break;
        }
      seen[found] = TRUE;
      out->order[n++] = (Component) found;
    }

  if (n != N_COMPONENTS)
    /* Translators: the first %s is a parameter table's name, the second its value */
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("Parameter table %s: “%s” is not an order of costs, interest, "
                              "sanctions and "
                              "principal (each once, separated by commas)"),
                            ALLOCATION_TABLE, text);
  return TRUE;
}

/* The order valid for @body_id on @date_iso, cached per body and date. */
static gboolean
lookup_order (EsaParameters  *parameters,
              GHashTable     *cache,
              const char     *body_id,
              const char     *date_iso,
              Order          *out,
              GError        **error)
{
  g_autofree char *key = NULL;
  g_autoptr(GError) local_error = NULL;
  const Order *cached;
  const char *text;
  Order order;
  GDate date;

  memcpy (order.order, default_order, sizeof order.order);
  if (parameters == NULL || !esa_parameters_has_table (parameters, ALLOCATION_TABLE))
    {
      *out = order;
      return TRUE;
    }

  key = g_strconcat (body_id != NULL ? body_id : "", "|", date_iso, NULL);
  cached = g_hash_table_lookup (cache, key);
  if (cached != NULL)
    {
      *out = *cached;
      return TRUE;
    }

  if (!esa_date_parse_iso (date_iso, &date, NULL))
    esa_date_set_today (&date);
  text = esa_parameters_get_text (parameters, ALLOCATION_TABLE, &date, body_id, &local_error);
  /* A date no entry covers keeps the default order. */
  if (text != NULL && !parse_order (text, &order, error))
    return FALSE;

  g_hash_table_insert (cache, g_steal_pointer (&key), g_memdup2 (&order, sizeof order));
  *out = order;
  return TRUE;
}

/* Steps @stmt to its end, adding every row to @rows as @read makes it. */
gboolean
_esa_payment_read_rows (EsaStore      *self,
                        EsaStoreStmt  *stmt,
                        RowRead        read,
                        GPtrArray     *rows,
                        GError       **error)
{
  gboolean row;

  for (;;)
    {
      if (!_esa_store_step (self, stmt, &row, error))
        return FALSE;
      if (!row)
        return TRUE;
      g_ptr_array_add (rows, read (stmt));
    }
}

/* Steps @stmt to its end, adding the first two columns of every row to
 * @first and @second (which may be the same array). */
gboolean
_esa_payment_read_text_pairs (EsaStore      *self,
                              EsaStoreStmt  *stmt,
                              GPtrArray     *first,
                              GPtrArray     *second,
                              GError       **error)
{
  gboolean row;

  for (;;)
    {
      if (!_esa_store_step (self, stmt, &row, error))
        return FALSE;
      if (!row)
        return TRUE;
      g_ptr_array_add (first, _esa_stmt_dup_text (stmt, 0));
      g_ptr_array_add (second, _esa_stmt_dup_text (stmt, 1));
    }
}

/* ---- positions ------------------------------------------------------------- */

void
_esa_payment_position_free (PositionRow *row)
{
  g_free (row->id);
  g_free (row->debtor_id);
  g_free (row->body_id);
  g_free (row->currency);
  g_free (row->state);
  g_free (row->reference);
  g_free (row->due_date);
  g_free (row);
}

PositionRow *
_esa_payment_position_read (EsaStoreStmt *stmt)
{
  PositionRow *row = g_new0 (PositionRow, 1);

  row->id = _esa_stmt_dup_text (stmt, 0);
  row->debtor_id = _esa_stmt_dup_text (stmt, 1);
  row->body_id = _esa_stmt_dup_text (stmt, 2);
  row->currency = _esa_stmt_dup_text (stmt, 3);
  row->state = _esa_stmt_dup_text (stmt, 4);
  row->reference = _esa_stmt_dup_text (stmt, 5);
  row->due_date = _esa_stmt_dup_text (stmt, 6);
  for (guint c = 0; c < N_COMPONENTS; c++)
    row->amounts[c] = sqlite3_column_int64 (stmt, 7 + (int) c);
  row->paid = sqlite3_column_int64 (stmt, 11);
  row->rowid = sqlite3_column_int64 (stmt, 12);
  return row;
}

static gint64
position_total (const PositionRow *row)
{
  gint64 total = 0;

  for (guint c = 0; c < N_COMPONENTS; c++)
    total += row->amounts[c];
  return total;
}

gint64
_esa_payment_position_balance (const PositionRow *row)
{
  return position_total (row) - row->paid;
}

/* Every position @sql finds (?1 = @value, ?2 = the body or NULL). */
GPtrArray *
_esa_payment_find_positions (EsaStore    *self,
                             const char  *sql,
                             const char  *value,
                             const char  *body_id,
                             GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = _esa_store_prepare (self, sql, error);
  g_autoptr(GPtrArray) rows = NULL;

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) _esa_payment_position_free);

  if (stmt == NULL)
    return NULL;
  _esa_stmt_bind_text (stmt, 1, value);
  _esa_stmt_bind_text (stmt, 2, body_id);
  if (!_esa_payment_read_rows (self, stmt, (RowRead) _esa_payment_position_read, rows, error))
    return NULL;
  return g_steal_pointer (&rows);
}

PositionRow *
_esa_payment_get_position (EsaStore    *self,
                           const char  *position_id,
                           GError     **error)
{
  g_autoptr(GPtrArray) rows = _esa_payment_find_positions (self,
                                                           "SELECT " POSITION_COLUMNS
                                                           "FROM positions p WHERE p.id = ?1 "
                                                           "AND (?2 IS NULL OR p.body_id = ?2)",
                                                           position_id, NULL, error);

  if (rows == NULL)
    return NULL;
  if (rows->len == 0)
    {
      _esa_store_fail (error, ESA_STORE_ERROR_NOT_FOUND, _("No position with id %s"), position_id);
      return NULL;
    }
  return g_ptr_array_steal_index (rows, 0);
}

/* What is already paid of each component of @position: the allocations
 * recorded for it, and the rest of its paid amount (payments recorded
 * before allocations existed) spread in @order. */
static gboolean
paid_components (EsaStore           *self,
                 const PositionRow  *position,
                 const Order        *order,
                 gint64              out[N_COMPONENTS],
                 GError            **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gint64 explained = 0;
  gint64 rest;
  gboolean row;

  memset (out, 0, sizeof (gint64) * N_COMPONENTS);
  if (position->paid <= 0)
    return TRUE;

  stmt = _esa_store_prepare (self,
                             "SELECT sum(costs), sum(interest), sum(sanctions), sum(principal) "
                             "FROM payment_allocations WHERE position_id = ?1",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, position->id);
  if (!_esa_store_step (self, stmt, &row, error))
    return FALSE;
  for (guint c = 0; row && c < N_COMPONENTS; c++)
    {
      out[c] = CLAMP (sqlite3_column_int64 (stmt, (int) c), 0, position->amounts[c]);
      explained += out[c];
    }

  rest = position->paid - explained;
  for (guint i = 0; i < N_COMPONENTS && rest > 0; i++)
    {
      Component c = order->order[i];
      gint64 take = MIN (rest, position->amounts[c] - out[c]);

      out[c] += take;
      rest -= take;
    }
  return TRUE;
}

/* ---- one payment ------------------------------------------------------------ */

typedef struct
{
  char       *position_id;
  const char *state;      /* the position's state before (interned) */
  Component   component;
  gint64      amount;
} Allocation;

static void
allocation_clear (Allocation *allocation)
{
  g_free (allocation->position_id);
}

Draft *
_esa_payment_draft_new (void)
{
  Draft *draft = g_new0 (Draft, 1);

  draft->allocations = g_array_new (FALSE, FALSE, sizeof (Allocation));
  g_array_set_clear_func (draft->allocations, (GDestroyNotify) allocation_clear);
  draft->paid_positions = g_ptr_array_new_with_free_func (g_free);
  return draft;
}

void
_esa_payment_draft_free (Draft *draft)
{
  g_free (draft->id);
  g_free (draft->debtor_id);
  g_free (draft->position_id);
  g_free (draft->body_id);
  g_free (draft->currency);
  g_free (draft->paid_on);
  g_free (draft->reference);
  g_free (draft->flow_id);
  g_free (draft->collection_ref);
  g_free (draft->outcome);
  g_free (draft->debtor_name);
  g_free (draft->debtor_tax_id);
  g_free (draft->remittance);
  g_free (draft->note);
  g_array_unref (draft->allocations);
  g_ptr_array_unref (draft->paid_positions);
  g_free (draft->message);
  g_free (draft);
}

gboolean
_esa_payment_booking_init (Booking        *booking,
                           EsaStore       *store,
                           EsaParameters  *parameters,
                           GPtrArray      *notes,
                           GError        **error)
{
  booking->store = store;
  booking->parameters = parameters;
  booking->orders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  booking->now = _esa_store_now_iso ();
  booking->today = _esa_payment_today_iso ();
  booking->user_id = esa_store_get_acting_user (store);
  booking->notes = notes;
  booking->id_ms = (guint64) (g_get_real_time () / 1000);
  booking->id_count = 0;
  booking->positions_paid = 0;
  booking->cases_closed = 0;
  booking->batch = NULL;

  /* The positions paid in full, gathered while booking so that their cases
   * are looked at with one query at the end. */
  return _esa_store_exec (store,
                          "CREATE TEMP TABLE IF NOT EXISTS esa_paid_positions ("
                          "  seq INTEGER PRIMARY KEY, position_id TEXT NOT NULL, "
                          "  payment_id TEXT NOT NULL, paid_on TEXT NOT NULL);"
                          "DELETE FROM temp.esa_paid_positions;",
                          error);
}

void
_esa_payment_booking_clear (Booking *booking)
{
  g_clear_pointer (&booking->orders, g_hash_table_unref);
  g_clear_pointer (&booking->batch, _esa_payment_batch_free);
  g_clear_pointer (&booking->now, g_free);
  g_clear_pointer (&booking->today, g_free);
}

/* A new UUID (version 7: the time in milliseconds, then a counter and
 * random bits) for the rows a booking adds. Ids that grow with time go to
 * the end of the primary key's index instead of a random page of it, which
 * is what keeps a flow of 100,000 payments from touching every page of the
 * payments' and allocations' indexes. */
char *
_esa_payment_booking_new_id (Booking *booking)
{
  guint32 count = booking->id_count++;

  return g_strdup_printf ("%08x-%04x-7%03x-%04x-%08x%04x",
                          (guint32) (booking->id_ms >> 16), (guint) (booking->id_ms & 0xffff),
                          (count >> 14) & 0xfff, 0x8000 | (count & 0x3fff), g_random_int (),
                          g_random_int () & 0xffff);
}

/* Spreads up to @amount over @position's components in the body's order.
 * Returns what it took. */
static gboolean
allocate_position (Booking            *booking,
                   Draft              *draft,
                   const PositionRow  *position,
                   gint64              amount,
                   gint64             *out_taken,
                   GError            **error)
{
  gint64 paid[N_COMPONENTS];
  gint64 left = amount;
  Order order;

  if (!lookup_order (booking->parameters, booking->orders, position->body_id, draft->paid_on,
                     &order, error)
      || !paid_components (booking->store, position, &order, paid, error))
    return FALSE;

  for (guint i = 0; i < N_COMPONENTS && left > 0; i++)
    {
      Component c = order.order[i];
      gint64 take = MIN (left, position->amounts[c] - paid[c]);
      Allocation allocation;

      if (take <= 0)
        continue;
      allocation.position_id = g_strdup (position->id);
      allocation.state = g_intern_string (position->state);
      allocation.component = c;
      allocation.amount = take;
      g_array_append_val (draft->allocations, allocation);
      left -= take;
    }

  *out_taken = amount - left;
  if (*out_taken > 0 && *out_taken == _esa_payment_position_balance (position))
    g_ptr_array_add (draft->paid_positions, g_strdup (position->id));
  return TRUE;
}

/* "costs € 5.00, interest € 2.00, principal € 113.00" */
static char *
describe_allocations (const Draft *draft)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < draft->allocations->len; i++)
    {
      const Allocation *allocation = &g_array_index (draft->allocations, Allocation, i);
      g_autofree char *amount = esa_money_format (allocation->amount, draft->currency);

      if (text->len > 0)
        g_string_append (text, ", ");
      /* Translators: a component of a debt and its amount: "costs € 5.00" */
      g_string_append_printf (text, _("%s %s"), _(component_labels[allocation->component]),
                              amount);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Plans the payment on one position: a double payment, an under-payment,
 * the exact balance, or more. */
gboolean
_esa_payment_plan_position (Booking            *booking,
                            Draft              *draft,
                            const PositionRow  *position,
                            GError            **error)
{
  g_autofree char *how = NULL;
  g_autofree char *rest_text = NULL;
  g_autofree char *amount_text = NULL;
  gint64 balance = _esa_payment_position_balance (position);
  gint64 taken = 0;

  g_free (draft->position_id);
  draft->position_id = g_strdup (position->id);
  g_free (draft->debtor_id);
  draft->debtor_id = g_strdup (position->debtor_id);
  g_free (draft->body_id);
  draft->body_id = g_strdup (position->body_id);
  draft->state = "applied";

  if (balance <= 0)
    {
      draft->unapplied = draft->amount;
      draft->refund_reason = "double";
      draft->result = ESA_PAYMENT_OUTCOME_DOUBLE;
      amount_text = esa_money_format (draft->amount, draft->currency);
      /* Translators: "position TARI-2024-1 was already paid: € 120.00 to refund (double
       * payment)" */
      draft->message = g_strdup_printf (_("position %s was already paid: %s to refund "
                                          "(double payment)"),
                                        position->reference, amount_text);
      return TRUE;
    }

  if (!allocate_position (booking, draft, position, draft->amount, &taken, error))
    return FALSE;
  how = describe_allocations (draft);
  draft->unapplied = draft->amount - taken;

  if (draft->unapplied > 0)
    {
      draft->refund_reason = "overpayment";
      draft->result = ESA_PAYMENT_OUTCOME_OVERPAID;
      rest_text = esa_money_format (draft->unapplied, draft->currency);
      /* Translators: "position TARI-2024-1 paid in full (costs € 5.00, principal € 100.00);
       * € 10.00 more is a credit to refund" */
      draft->message = g_strdup_printf (_("position %s paid in full (%s); %s more is a credit "
                                          "to refund"),
                                        position->reference, how, rest_text);
    }
  else if (taken == balance)
    {
      draft->result = ESA_PAYMENT_OUTCOME_PAID;
      /* Translators: "position TARI-2024-1 paid in full (costs € 5.00, principal € 100.00)" */
      draft->message = g_strdup_printf (_("position %s paid in full (%s)"), position->reference,
                                        how);
    }
  else
    {
      draft->result = ESA_PAYMENT_OUTCOME_PARTIAL;
      rest_text = esa_money_format (balance - taken, draft->currency);
      /* Translators: "position TARI-2024-1 partly paid (principal € 50.00); € 70.00 still
       * owed" */
      draft->message = g_strdup_printf (_("position %s partly paid (%s); %s still owed"),
                                        position->reference, how, rest_text);
    }
  return TRUE;
}

/* Plans the payment over the debtor's open positions, oldest first. */
gboolean
_esa_payment_plan_debtor (Booking      *booking,
                          Draft        *draft,
                          const char   *debtor_id,
                          const char   *body_id,
                          GError      **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) positions = NULL;
  g_autofree char *how = NULL;
  g_autofree char *rest_text = NULL;
  gint64 left = draft->amount;
  guint touched = 0;

  positions = g_ptr_array_new_with_free_func ((GDestroyNotify) _esa_payment_position_free);
  stmt = _esa_store_prepare (booking->store,
                             "SELECT " POSITION_COLUMNS "FROM positions p "
                             "WHERE p.debtor_id = ?1 AND (?2 IS NULL OR p.body_id = ?2) "
                             "  AND p.currency = ?3 AND p.state = 'open' "
                             "  AND p.principal + p.sanctions + p.interest + p.costs > p.paid "
                             "ORDER BY p.due_date, p.id",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, debtor_id);
  _esa_stmt_bind_text (stmt, 2, body_id);
  _esa_stmt_bind_text (stmt, 3, draft->currency);
  if (!_esa_payment_read_rows (booking->store, stmt, (RowRead) _esa_payment_position_read,
                               positions, error))
    return FALSE;
  g_clear_pointer (&stmt, _esa_store_stmt_release);

  for (guint i = 0; i < positions->len && left > 0; i++)
    {
      const PositionRow *position = g_ptr_array_index (positions, i);
      gint64 taken = 0;

      if (!allocate_position (booking, draft, position, left, &taken, error))
        return FALSE;
      left -= taken;
      touched++;
      if (touched == 1)
        {
          g_free (draft->position_id);
          draft->position_id = g_strdup (position->id);
          g_free (draft->body_id);
          draft->body_id = g_strdup (position->body_id);
        }
      else
        g_clear_pointer (&draft->position_id, g_free);
    }

  g_free (draft->debtor_id);
  draft->debtor_id = g_strdup (debtor_id);
  if (draft->body_id == NULL)
    draft->body_id = g_strdup (body_id);
  draft->state = "applied";
  draft->result = ESA_PAYMENT_OUTCOME_DEBTOR;
  draft->unapplied = left;
  how = describe_allocations (draft);

  if (left > 0)
    {
      draft->refund_reason = "overpayment";
      rest_text = esa_money_format (left, draft->currency);
      if (touched == 0)
        /* Translators: "the debtor owes nothing: € 50.00 is a credit to refund" */
        draft->message = g_strdup_printf (_("the debtor owes nothing: %s is a credit to refund"),
                                          rest_text);
      else
        /* Translators: "spread over 2 positions of the debtor, oldest first (…); € 10.00 more
         * is a credit to refund" */
        draft->message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                       "spread over %u position of the debtor, "
                                                       "oldest first (%s); %s more is a credit "
                                                       "to refund",
                                                       "spread over %u positions of the debtor, "
                                                       "oldest first (%s); %s more is a credit "
                                                       "to refund",
                                                       touched),
                                          touched, how, rest_text);
    }
  else
    draft->message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "spread over %u position of the debtor, "
                                                   "oldest first (%s)",
                                                   "spread over %u positions of the debtor, "
                                                   "oldest first (%s)",
                                                   touched),
                                      touched, how);
  return TRUE;
}

/* Leaves the payment unapplied for @reason (a stored reason, taken), which
 * is its note; the report words it. */
void
_esa_payment_draft_unmatched (Draft      *draft,
                              const char *state,
                              char       *reason)
{
  draft->state = state;
  draft->result = g_str_equal (state, "revoked") ? ESA_PAYMENT_OUTCOME_REVOKED
                                                 : ESA_PAYMENT_OUTCOME_UNMATCHED;
  g_free (draft->note);
  draft->note = reason;
  g_free (draft->message);
  draft->message = esa_payment_note_describe (reason);
}

/* The allocations of a payment, one per position, as they are stored. */
typedef struct
{
  char       *id;
  const char *position_id;
  const char *state;        /* the position's state before (interned) */
  gint64      amounts[N_COMPONENTS];
  gint64      total;
} PositionAllocation;

static void
position_allocation_clear (PositionAllocation *allocation)
{
  g_free (allocation->id);
}

/* Gathers the draft's allocations by position, in the order the positions
 * were paid. */
static GArray *
allocations_by_position (Booking     *booking,
                         const Draft *draft)
{
  GArray *rows = g_array_new (FALSE, TRUE, sizeof (PositionAllocation));

  g_array_set_clear_func (rows, (GDestroyNotify) position_allocation_clear);
  for (guint i = 0; i < draft->allocations->len; i++)
    {
      const Allocation *allocation = &g_array_index (draft->allocations, Allocation, i);
      PositionAllocation *row = NULL;

      if (rows->len > 0)
        row = &g_array_index (rows, PositionAllocation, rows->len - 1);
      if (row == NULL || g_strcmp0 (row->position_id, allocation->position_id) != 0)
        {
          g_array_set_size (rows, rows->len + 1);
          row = &g_array_index (rows, PositionAllocation, rows->len - 1);
          row->id = _esa_payment_booking_new_id (booking);
          row->position_id = allocation->position_id;
          row->state = allocation->state;
        }
      row->amounts[allocation->component] += allocation->amount;
      row->total += allocation->amount;
    }
  return rows;
}

void
_esa_payment_allocation_json (GString    *out,
                              const char *id,
                              const char *position_id,
                              gint64      amounts[N_COMPONENTS],
                              const char *allocated_on)
{
  g_string_append_c (out, '{');
  _esa_payment_json_str (out, "id", id);
  _esa_payment_json_str (out, "position_id", position_id);
  for (guint c = 0; c < N_COMPONENTS; c++)
    _esa_payment_json_int (out, component_names[c], amounts[c]);
  _esa_payment_json_str (out, "allocated_on", allocated_on);
  g_string_append_c (out, '}');
}

/* The outbox payload of a payment: its row and its allocations. */
static char *
payment_payload (const Draft *draft,
                 const char  *allocated_on,
                 GArray      *allocations)
{
  GString *out = g_string_new ("{");

  _esa_payment_json_str (out, "id", draft->id);
  _esa_payment_json_str (out, "debtor_id", draft->debtor_id);
  _esa_payment_json_str (out, "position_id", draft->position_id);
  _esa_payment_json_str (out, "body_id", draft->body_id);
  _esa_payment_json_int (out, "amount", draft->amount);
  _esa_payment_json_str (out, "currency", draft->currency);
  _esa_payment_json_str (out, "paid_on", draft->paid_on);
  _esa_payment_json_str (out, "reference", draft->reference);
  _esa_payment_json_str (out, "channel", draft->channel);
  _esa_payment_json_str (out, "flow_id", draft->flow_id);
  if (draft->line > 0)
    _esa_payment_json_int (out, "line", draft->line);
  _esa_payment_json_str (out, "state", draft->state);
  _esa_payment_json_str (out, "reference_kind",
                         esa_payment_ref_kind_to_string (draft->reference_kind));
  _esa_payment_json_str (out, "match_method", draft->match_method);
  _esa_payment_json_str (out, "collection_ref", draft->collection_ref);
  _esa_payment_json_str (out, "outcome", draft->outcome);
  _esa_payment_json_str (out, "debtor_name", draft->debtor_name);
  _esa_payment_json_str (out, "debtor_tax_id", draft->debtor_tax_id);
  _esa_payment_json_str (out, "remittance", draft->remittance);
  _esa_payment_json_int (out, "unapplied", draft->unapplied);
  _esa_payment_json_str (out, "refund_reason", draft->refund_reason);
  _esa_payment_json_str (out, "note", draft->note);
  _esa_payment_json_key (out, "allocations");
  g_string_append_c (out, '[');
  for (guint i = 0; i < allocations->len; i++)
    {
      PositionAllocation *row = &g_array_index (allocations, PositionAllocation, i);

      if (i > 0)
        g_string_append_c (out, ',');
      _esa_payment_allocation_json (out, row->id, row->position_id, row->amounts, allocated_on);
    }
  g_string_append (out, "]}");

  return g_string_free (out, FALSE);
}

static gboolean
insert_payment (Booking  *booking,
                Draft    *draft,
                GError  **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;

  stmt = _esa_store_prepare (booking->store,
                             "INSERT INTO payments (id, debtor_id, position_id, body_id, amount, "
                             "  currency, paid_on, reference, channel, flow_id, line, state, "
                             "  reference_kind, match_method, collection_ref, outcome, "
                             "  debtor_name, debtor_tax_id, remittance, unapplied, "
                             "  refund_reason, note) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
                             "  ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, draft->id);
  _esa_stmt_bind_text (stmt, 2, draft->debtor_id);
  _esa_stmt_bind_text (stmt, 3, draft->position_id);
  _esa_stmt_bind_text (stmt, 4, draft->body_id);
  sqlite3_bind_int64 (stmt, 5, draft->amount);
  _esa_stmt_bind_text (stmt, 6, draft->currency);
  _esa_stmt_bind_text (stmt, 7, draft->paid_on);
  _esa_stmt_bind_text (stmt, 8, draft->reference);
  _esa_stmt_bind_text (stmt, 9, draft->channel);
  _esa_stmt_bind_text (stmt, 10, draft->flow_id);
  if (draft->line > 0)
    sqlite3_bind_int (stmt, 11, (int) draft->line);
  _esa_stmt_bind_text (stmt, 12, draft->state);
  _esa_stmt_bind_text (stmt, 13, esa_payment_ref_kind_to_string (draft->reference_kind));
  _esa_stmt_bind_text (stmt, 14, draft->match_method);
  _esa_stmt_bind_text (stmt, 15, draft->collection_ref);
  _esa_stmt_bind_text (stmt, 16, draft->outcome);
  _esa_stmt_bind_text (stmt, 17, draft->debtor_name);
  _esa_stmt_bind_text (stmt, 18, draft->debtor_tax_id);
  _esa_stmt_bind_text (stmt, 19, draft->remittance);
  sqlite3_bind_int64 (stmt, 20, draft->unapplied);
  _esa_stmt_bind_text (stmt, 21, draft->refund_reason);
  _esa_stmt_bind_text (stmt, 22, draft->note);

  return _esa_store_step_done (booking->store, stmt, error);
}

/* The officer's decision on a payment already recorded. */
static gboolean
update_payment (Booking  *booking,
                Draft    *draft,
                GError  **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;

  stmt = _esa_store_prepare (booking->store,
                             "UPDATE payments SET debtor_id = ?2, position_id = ?3, body_id = ?4, "
                             "  state = ?5, match_method = ?6, unapplied = ?7, "
                             "  refund_reason = ?8, note = ?9, handled_at = ?10, "
                             "  handled_by = ?11, version = version + 1 "
                             "WHERE id = ?1",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, draft->id);
  _esa_stmt_bind_text (stmt, 2, draft->debtor_id);
  _esa_stmt_bind_text (stmt, 3, draft->position_id);
  _esa_stmt_bind_text (stmt, 4, draft->body_id);
  _esa_stmt_bind_text (stmt, 5, draft->state);
  _esa_stmt_bind_text (stmt, 6, draft->match_method);
  sqlite3_bind_int64 (stmt, 7, draft->unapplied);
  _esa_stmt_bind_text (stmt, 8, draft->refund_reason);
  _esa_stmt_bind_text (stmt, 9, draft->note);
  _esa_stmt_bind_text (stmt, 10, booking->now);
  _esa_stmt_bind_text (stmt, 11, booking->user_id);

  return _esa_store_step_done (booking->store, stmt, error);
}

/* ---- the rows of an import, for the sync push ------------------------------- */

/* An import writes its payments with the capture triggers off and sends
 * them to the server in operations of up to BATCH_PAYMENTS payments, each
 * with the payments, their allocations and the positions' paid amounts in
 * columnar form (esa-store-columnar-private.h). Measured on 100,000
 * payments, the triggers and one operation per payment took more time than
 * matching and booking together. */
#define BATCH_PAYMENTS 1000

static const char * const payment_columns[] = {
  "id", "debtor_id", "position_id", "body_id", "amount", "currency", "paid_on", "reference",
  "channel", "version", "flow_id", "line", "state", "reference_kind", "match_method",
  "collection_ref", "outcome", "debtor_name", "debtor_tax_id", "remittance", "unapplied",
  "refund_reason", "note", "handled_at", "handled_by", NULL,
};

static const char * const allocation_columns[] = {
  "id", "payment_id", "position_id", "costs", "interest", "sanctions", "principal",
  "allocated_on", "version", NULL,
};

/* Only what a payment changes travels: the paid amount, a counter the
 * server merges by its difference, and the state. */
static const char * const position_columns[] = { "id", "paid", "state", NULL };

/* A position's change over the payments of one batch. */
typedef struct
{
  gint64      paid_before;
  gint64      paid_after;
  const char *state_before;  /* interned */
  const char *state_after;   /* interned */
} PositionChange;

struct _Batch
{
  EsaColumnar *columnar;
  guint        payments;
  guint        allocations;
  guint        positions;
  const char  *flow_id;
  const char  *now;
  GHashTable  *changes;      /* position id → PositionChange */
  GPtrArray   *order;        /* position ids (owned by changes), first changed first */
};

Batch *
_esa_payment_batch_new (const char *flow_id,
                        const char *now)
{
  Batch *batch = g_new0 (Batch, 1);

  batch->columnar = _esa_columnar_new ();
  batch->payments = _esa_columnar_add_part (batch->columnar, "payments", payment_columns, FALSE);
  batch->allocations = _esa_columnar_add_part (batch->columnar, "payment_allocations",
                                               allocation_columns, FALSE);
  batch->positions = _esa_columnar_add_part (batch->columnar, "positions", position_columns,
                                             TRUE);
  batch->flow_id = flow_id;
  batch->now = now;
  batch->changes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  batch->order = g_ptr_array_new ();
  return batch;
}

void
_esa_payment_batch_free (Batch *batch)
{
  _esa_columnar_free (batch->columnar);
  g_hash_table_unref (batch->changes);
  g_ptr_array_unref (batch->order);
  g_free (batch);
}

static void
batch_note_position (Batch       *batch,
                     const char  *position_id,
                     const char  *state_before,
                     gint64       taken,
                     gint64       paid_after,
                     const char  *state_after)
{
  PositionChange *change = g_hash_table_lookup (batch->changes, position_id);

  if (change == NULL)
    {
      char *key = g_strdup (position_id);

      change = g_new0 (PositionChange, 1);
      change->paid_before = paid_after - taken;
      change->state_before = state_before;
      g_hash_table_insert (batch->changes, key, change);
      g_ptr_array_add (batch->order, key);
    }
  change->paid_after = paid_after;
  change->state_after = g_intern_string (state_after);
}

static void
batch_add_payment (Batch        *batch,
                   const Draft  *draft,
                   const char   *allocated_on,
                   GArray       *allocations)
{
  EsaColumnar *c = batch->columnar;

  _esa_columnar_row (c, batch->payments, FALSE);
  _esa_columnar_text (c, draft->id);
  _esa_columnar_text (c, draft->debtor_id);
  _esa_columnar_text (c, draft->position_id);
  _esa_columnar_text (c, draft->body_id);
  _esa_columnar_int (c, draft->amount);
  _esa_columnar_text (c, draft->currency);
  _esa_columnar_text (c, draft->paid_on);
  _esa_columnar_text (c, draft->reference);
  _esa_columnar_text (c, draft->channel);
  _esa_columnar_int (c, 1);
  _esa_columnar_text (c, draft->flow_id);
  if (draft->line > 0)
    _esa_columnar_int (c, draft->line);
  else
    _esa_columnar_null (c);
  _esa_columnar_text (c, draft->state);
  _esa_columnar_text (c, esa_payment_ref_kind_to_string (draft->reference_kind));
  _esa_columnar_text (c, draft->match_method);
  _esa_columnar_text (c, draft->collection_ref);
  _esa_columnar_text (c, draft->outcome);
  _esa_columnar_text (c, draft->debtor_name);
  _esa_columnar_text (c, draft->debtor_tax_id);
  _esa_columnar_text (c, draft->remittance);
  _esa_columnar_int (c, draft->unapplied);
  _esa_columnar_text (c, draft->refund_reason);
  _esa_columnar_text (c, draft->note);
  _esa_columnar_null (c);
  _esa_columnar_null (c);

  for (guint i = 0; i < allocations->len; i++)
    {
      const PositionAllocation *row = &g_array_index (allocations, PositionAllocation, i);

      _esa_columnar_row (c, batch->allocations, FALSE);
      _esa_columnar_text (c, row->id);
      _esa_columnar_text (c, draft->id);
      _esa_columnar_text (c, row->position_id);
      for (guint k = 0; k < N_COMPONENTS; k++)
        _esa_columnar_int (c, row->amounts[k]);
      _esa_columnar_text (c, allocated_on);
      _esa_columnar_int (c, 1);
    }
}

/* Sends the rows gathered since the last flush as one operation. */
gboolean
_esa_payment_batch_flush (EsaStore  *store,
                          Batch     *batch,
                          GError   **error)
{
  EsaColumnar *c = batch->columnar;
  g_autofree char *payload = NULL;

  if (_esa_columnar_n_rows (c, batch->payments) == 0 && batch->order->len == 0)
    return TRUE;

  for (guint i = 0; i < batch->order->len; i++)
    {
      const char *id = g_ptr_array_index (batch->order, i);
      const PositionChange *change = g_hash_table_lookup (batch->changes, id);

      _esa_columnar_row (c, batch->positions, TRUE);
      _esa_columnar_text (c, id);
      _esa_columnar_int (c, change->paid_before);
      _esa_columnar_text (c, change->state_before);
      _esa_columnar_row (c, batch->positions, FALSE);
      _esa_columnar_text (c, id);
      _esa_columnar_int (c, change->paid_after);
      _esa_columnar_text (c, change->state_after);
    }
  g_ptr_array_set_size (batch->order, 0);
  g_hash_table_remove_all (batch->changes);

  payload = _esa_columnar_take (c);
  return _esa_store_outbox_append_text (store, "event", "payment_batch", batch->flow_id, payload,
                                        0, batch->now, error);
}

/* Remembers a position that was just paid: its cases are looked at once
 * every payment is booked. */
static gboolean
note_paid_position (Booking     *booking,
                    const Draft *draft,
                    const char  *position_id,
                    GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;

  booking->positions_paid++;
  stmt = _esa_store_prepare (booking->store,
                             "INSERT INTO temp.esa_paid_positions (position_id, payment_id, "
                             "  paid_on) VALUES (?1, ?2, ?3)",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, position_id);
  _esa_stmt_bind_text (stmt, 2, draft->id);
  _esa_stmt_bind_text (stmt, 3, draft->paid_on);
  return _esa_store_step_done (booking->store, stmt, error);
}

/* Writes the allocations, moves the positions' paid amounts, and records
 * the payment in the audit journal and the outbox. @created: a new row
 * (import) or an assignment of a recorded one. */
gboolean
_esa_payment_book_draft (Booking   *booking,
                         Draft     *draft,
                         gboolean   created,
                         GError   **error)
{
  g_autoptr(EsaStoreStmt) insert = NULL;
  g_autoptr(EsaStoreStmt) update = NULL;
  g_autoptr(GArray) allocations = allocations_by_position (booking, draft);
  gboolean updated = FALSE;
  g_autofree char *payload = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *amount_text = NULL;

  if (created ? !insert_payment (booking, draft, error) : !update_payment (booking, draft, error))
    return FALSE;

  if (allocations->len > 0)
    {
      insert = _esa_store_prepare (booking->store,
                                   "INSERT INTO payment_allocations (id, payment_id, position_id, "
                                   "  costs, interest, sanctions, principal, allocated_on) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                                   error);
      update = _esa_store_prepare (booking->store,
                                   "UPDATE positions SET paid = paid + ?2, "
                                   "  state = CASE WHEN principal + sanctions + interest + costs "
                                   "    - paid - ?2 = 0 THEN 'paid' ELSE state END, "
                                   "  version = version + 1 "
                                   "WHERE id = ?1 RETURNING paid, state",
                                   error);
      if (insert == NULL || update == NULL)
        return FALSE;
    }

  for (guint i = 0; i < allocations->len; i++)
    {
      PositionAllocation *row = &g_array_index (allocations, PositionAllocation, i);

      _esa_stmt_bind_text (insert, 1, row->id);
      _esa_stmt_bind_text (insert, 2, draft->id);
      _esa_stmt_bind_text (insert, 3, row->position_id);
      for (guint c = 0; c < N_COMPONENTS; c++)
        sqlite3_bind_int64 (insert, 4 + (int) c, row->amounts[c]);
      _esa_stmt_bind_text (insert, 8, booking->today);
      if (!_esa_store_step_done (booking->store, insert, error))
        return FALSE;
      sqlite3_reset (insert);

      _esa_stmt_bind_text (update, 1, row->position_id);
      sqlite3_bind_int64 (update, 2, row->total);
      if (!_esa_store_step (booking->store, update, &updated, error))
        return FALSE;
      if (updated && booking->batch != NULL)
        batch_note_position (booking->batch, row->position_id, row->state, row->total,
                             sqlite3_column_int64 (update, 0),
                             (const char *) sqlite3_column_text (update, 1));
      sqlite3_reset (update);
    }

  for (guint i = 0; i < draft->paid_positions->len; i++)
    {
      if (!note_paid_position (booking, draft, g_ptr_array_index (draft->paid_positions, i),
                               error))
        return FALSE;
    }

  /* An import's payment travels in its batch; the flow has the audit
   * entry, and the allocations are the payment's own journal. */
  if (booking->batch != NULL)
    {
      batch_add_payment (booking->batch, draft, booking->today, allocations);
      return _esa_columnar_n_rows (booking->batch->columnar, booking->batch->payments)
             < BATCH_PAYMENTS
             || _esa_payment_batch_flush (booking->store, booking->batch, error);
    }

  payload = payment_payload (draft, booking->today, allocations);
  amount_text = esa_money_format (draft->amount, draft->currency);
  if (draft->line > 0)
    /* Translators: "Payment of € 120.00 (line 23): position TARI-2024-1 paid in full (…)" */
    summary = g_strdup_printf (_("Payment of %s (line %u): %s"), amount_text, draft->line,
                               draft->message);
  else
    /* Translators: "Payment of € 120.00: position TARI-2024-1 paid in full (…)" */
    summary = g_strdup_printf (_("Payment of %s: %s"), amount_text, draft->message);

  return _esa_store_outbox_append_text (booking->store, created ? "event" : "command", "payment",
                                        draft->id, payload, 0, booking->now, error)
         && _esa_store_audit_append (booking->store, booking->now, booking->user_id,
                                     created ? "create" : "assign", "payment", draft->id,
                                     draft->debtor_id, summary, error);
}

/* ---- closing paid cases ---------------------------------------------------- */

/* The action of @procedure that takes a case to the final state "paid". */
static const EsaAction *
find_close_action (EsaProcedure *procedure)
{
  const EsaState *paid = esa_procedure_find_state (procedure, "paid");
  GPtrArray *actions = esa_procedure_get_actions (procedure);

  if (paid == NULL || !paid->final)
    return NULL;
  for (guint i = 0; i < actions->len; i++)
    {
      const EsaAction *action = g_ptr_array_index (actions, i);

      if (g_strcmp0 (action->to, "paid") == 0)
        return action;
    }
  return NULL;
}

/* An open case whose positions are all paid, with the payment that paid
 * the last of them. */
typedef struct
{
  char *case_id;
  char *state;
  char *payment_id;
  char *paid_on;
} PaidCase;

static void
paid_case_free (PaidCase *paid)
{
  g_free (paid->case_id);
  g_free (paid->state);
  g_free (paid->payment_id);
  g_free (paid->paid_on);
  g_free (paid);
}

static PaidCase *
paid_case_read (EsaStoreStmt *stmt)
{
  PaidCase *paid = g_new0 (PaidCase, 1);

  paid->case_id = _esa_stmt_dup_text (stmt, 0);
  paid->state = _esa_stmt_dup_text (stmt, 1);
  paid->payment_id = _esa_stmt_dup_text (stmt, 2);
  paid->paid_on = _esa_stmt_dup_text (stmt, 3);
  return paid;
}

/* Closes one case paid in full through its procedure's action. A refusal
 * (the procedure not loaded, a guard) leaves the case as it is, in a note. */
static gboolean
close_case (Booking         *booking,
            const PaidCase  *paid,
            GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GHashTable) fields = NULL;
  g_autoptr(EsaStoreStmt) record = NULL;
  g_autofree char *event_id = NULL;
  const EsaAction *action;
  EsaProcedure *procedure;
  GDate today;

  procedure = esa_store_get_case_procedure (booking->store, paid->case_id, &local_error);
  if (procedure == NULL)
    {
      /* Translators: "case 42…: paid in full, but it stays open: the procedure … is not
       * loaded" */
      g_ptr_array_add (booking->notes,
                       g_strdup_printf (_("case %s: paid in full, but it stays open: %s"),
                                        paid->case_id, local_error->message));
      return TRUE;
    }
  action = find_close_action (procedure);
  if (action == NULL)
    {
      g_ptr_array_add (booking->notes,
                       g_strdup_printf (_("case %s: paid in full; its procedure “%s” has no "
                                          "action that closes a case as paid"),
                                        paid->case_id, esa_procedure_get_id (procedure)));
      return TRUE;
    }

  /* The action's first required date is the date of the last payment,
   * which cannot be later than the day the action runs. */
  fields = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; action->fields != NULL && i < action->fields->len; i++)
    {
      const EsaField *field = g_ptr_array_index (action->fields, i);

      if (field->type == ESA_FIELD_DATE && field->required)
        {
          g_hash_table_insert (fields, field->id,
                               (gpointer) (g_strcmp0 (paid->paid_on, booking->today) <= 0
                                           ? paid->paid_on : booking->today));
          break;
        }
    }

  /* The step is dated the day it is recorded: the payment may be older
   * than the case's latest step. */
  esa_date_set_today (&today);
  event_id = esa_store_case_do (booking->store, paid->case_id, action->id, &today, fields,
                                &local_error);
  if (event_id == NULL)
    {
      if (local_error->domain != ESA_STORE_ERROR || local_error->code == ESA_STORE_ERROR_IO)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_ptr_array_add (booking->notes,
                       g_strdup_printf (_("case %s: paid in full, but it stays open: %s"),
                                        paid->case_id, local_error->message));
      return TRUE;
    }

  record = _esa_store_prepare (booking->store,
                               "INSERT OR REPLACE INTO payment_case_closures (payment_id, case_id, "
                               "  from_state, event_id) VALUES (?1, ?2, ?3, ?4)",
                               error);
  if (record == NULL)
    return FALSE;
  _esa_stmt_bind_text (record, 1, paid->payment_id);
  _esa_stmt_bind_text (record, 2, paid->case_id);
  _esa_stmt_bind_text (record, 3, paid->state);
  _esa_stmt_bind_text (record, 4, event_id);
  if (!_esa_store_step_done (booking->store, record, error))
    return FALSE;

  booking->cases_closed++;
  return TRUE;
}

gint
_esa_payment_compare_strings (gconstpointer a,
                              gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Closes, in the order of their ids, the open cases whose positions the
 * booking paid and that owe nothing more. */
gboolean
_esa_payment_close_paid_cases (Booking  *booking,
                               GError  **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) paid = g_ptr_array_new_with_free_func ((GDestroyNotify) paid_case_free);

  if (booking->positions_paid == 0)
    return TRUE;

  /* One query for every case of every position paid; a case is done when
   * none of its positions (but cancelled or written off ones) has a
   * balance. The bare columns come from the row of max(t.seq): the last
   * payment that paid one of its positions. CROSS JOIN keeps the paid
   * positions as the outer loop: the temporary table has no statistics,
   * and SQLite would rather scan every case's positions to save a sort. */
  stmt = _esa_store_prepare (booking->store,
                             "SELECT cp.case_id, c.state, t.payment_id, t.paid_on, max(t.seq) "
                             "FROM temp.esa_paid_positions t "
                             "  CROSS JOIN case_positions cp ON cp.position_id = t.position_id "
                             "  JOIN cases c ON c.id = cp.case_id "
                             "WHERE c.closed_on IS NULL "
                             "GROUP BY cp.case_id "
                             "HAVING NOT EXISTS (SELECT 1 FROM case_positions x "
                             "  JOIN positions p ON p.id = x.position_id "
                             "  WHERE x.case_id = cp.case_id "
                             "    AND p.state NOT IN ('cancelled', 'written_off') "
                             "    AND p.principal + p.sanctions + p.interest + p.costs > p.paid) "
                             "ORDER BY cp.case_id",
                             error);
  if (stmt == NULL
      || !_esa_payment_read_rows (booking->store, stmt, (RowRead) paid_case_read, paid, error))
    return FALSE;
  g_clear_pointer (&stmt, _esa_store_stmt_release);

  for (guint i = 0; i < paid->len; i++)
    {
      if (!close_case (booking, g_ptr_array_index (paid, i), error))
        return FALSE;
    }
  return _esa_store_exec (booking->store, "DELETE FROM temp.esa_paid_positions", error);
}
