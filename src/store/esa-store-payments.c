/* esa-store-payments.c: payment flows imported all or nothing, matched to
 * positions, allocated over their components, refunds and the unmatched
 * queue
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "esa-date.h"
#include "esa-identifiers.h"
#include "esa-money.h"
#include "esa-procedure.h"
#include "esa-store-columnar-private.h"
#include "esa-store-payments.h"
#include "esa-store-private.h"
#include "esa-store-sync.h"
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

#define ALLOCATION_TABLE "payments.allocation.order"
#define DEFAULT_CANDIDATES 10

typedef enum
{
  COMPONENT_COSTS,
  COMPONENT_INTEREST,
  COMPONENT_SANCTIONS,
  COMPONENT_PRINCIPAL,
  N_COMPONENTS
} Component;

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
  for (guint i = 0; i < G_N_ELEMENTS (format_names); i++)
    {
      if (g_strcmp0 (name, format_names[i]) == 0)
        {
          *out = (EsaPaymentFlowFormat) i;
          return TRUE;
        }
    }
  return FALSE;
}

static const char * const ref_kind_names[] = { NULL, "iuv", "notice", "qrr", "scor", "other" };

const char *
esa_payment_ref_kind_to_string (EsaPaymentRefKind kind)
{
  g_return_val_if_fail (kind <= ESA_PAYMENT_REF_OTHER, NULL);

  return ref_kind_names[kind];
}

static EsaPaymentRefKind
ref_kind_from_string (const char *name)
{
  for (guint i = 1; i < G_N_ELEMENTS (ref_kind_names); i++)
    {
      if (g_strcmp0 (name, ref_kind_names[i]) == 0)
        return (EsaPaymentRefKind) i;
    }
  return ESA_PAYMENT_REF_NONE;
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

static EsaPaymentImportReport *
import_report_new (void)
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

/* The acting user must be known, and auditors only read. */
static gboolean
check_writer (EsaStore  *self,
              GError   **error)
{
  const char *user_id = esa_store_get_acting_user (self);
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row;

  if (user_id == NULL)
    return TRUE;

  stmt = _esa_store_prepare (self, "SELECT role FROM users WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, user_id);
  if (!_esa_store_step (self, stmt, &row, error))
    return FALSE;
  if (!row)
    return _esa_store_fail (error, ESA_STORE_ERROR_FORBIDDEN,
                            _("User %s is not known in this database and may not change it"),
                            user_id);
  if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "auditor") == 0)
    return _esa_store_fail (error, ESA_STORE_ERROR_FORBIDDEN,
                            _("User %s is an auditor: auditors may read everything but change "
                              "nothing"),
                            user_id);
  return TRUE;
}

static char *
today_iso (void)
{
  GDate today;

  esa_date_set_today (&today);
  return esa_date_to_iso (&today);
}

static void
json_key (GString    *out,
          const char *name)
{
  char last = out->len > 0 ? out->str[out->len - 1] : '\0';

  if (last != '{' && last != '[' && last != '\0')
    g_string_append_c (out, ',');
  g_string_append_c (out, '"');
  g_string_append (out, name);
  g_string_append (out, "\":");
}

static void
json_str (GString    *out,
          const char *name,
          const char *value)
{
  json_key (out, name);
  _esa_json_append_string (out, value);
}

static void
json_int (GString    *out,
          const char *name,
          gint64      value)
{
  json_key (out, name);
  g_string_append_printf (out, "%" G_GINT64_FORMAT, value);
}

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

/* Reads a row of a statement into a new value. */
typedef gpointer (*RowRead) (EsaStoreStmt *stmt);

/* Steps @stmt to its end, adding every row to @rows as @read makes it. */
static gboolean
read_rows (EsaStore      *self,
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
static gboolean
read_text_pairs (EsaStore      *self,
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

typedef struct
{
  char  *id;
  char  *debtor_id;
  char  *body_id;
  char  *currency;
  char  *state;
  char  *reference;
  char  *due_date;
  gint64 amounts[N_COMPONENTS];
  gint64 paid;
  gint64 rowid;
} PositionRow;

static void
position_row_free (PositionRow *row)
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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PositionRow, position_row_free)

#define POSITION_COLUMNS \
  "p.id, p.debtor_id, p.body_id, p.currency, p.state, p.reference, p.due_date, " \
  "p.costs, p.interest, p.sanctions, p.principal, p.paid, p.rowid "

static PositionRow *
position_row_read (EsaStoreStmt *stmt)
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

static gint64
position_balance (const PositionRow *row)
{
  return position_total (row) - row->paid;
}

/* Every position @sql finds (?1 = @value, ?2 = the body or NULL). */
static GPtrArray *
find_positions (EsaStore    *self,
                const char  *sql,
                const char  *value,
                const char  *body_id,
                GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = _esa_store_prepare (self, sql, error);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) position_row_free);

  if (stmt == NULL)
    return NULL;
  _esa_stmt_bind_text (stmt, 1, value);
  _esa_stmt_bind_text (stmt, 2, body_id);
  if (!read_rows (self, stmt, (RowRead) position_row_read, rows, error))
    return NULL;
  return g_steal_pointer (&rows);
}

static PositionRow *
get_position (EsaStore    *self,
              const char  *position_id,
              GError     **error)
{
  g_autoptr(GPtrArray) rows = find_positions (self,
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

#define FIND_BY_IUV \
  "SELECT " POSITION_COLUMNS "FROM positions p " \
  "WHERE length(p.payment_reference) = 18 " \
  "  AND substr(p.payment_reference, " \
  "             CASE WHEN substr(p.payment_reference, 1, 1) = '0' THEN 4 ELSE 2 END) = ?1 " \
  "  AND (?2 IS NULL OR p.body_id = ?2)"
#define FIND_BY_PAYMENT_REFERENCE \
  "SELECT " POSITION_COLUMNS "FROM positions p " \
  "WHERE p.payment_reference = ?1 AND (?2 IS NULL OR p.body_id = ?2)"
#define FIND_BY_REFERENCE \
  "SELECT " POSITION_COLUMNS "FROM positions p " \
  "WHERE p.reference = ?1 AND (?2 IS NULL OR p.body_id = ?2)"

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

/* A payment row as it will be written. */
typedef struct
{
  char              *id;
  char              *debtor_id;
  char              *position_id;
  char              *body_id;
  gint64             amount;
  char              *currency;
  char              *paid_on;
  char              *reference;
  EsaPaymentRefKind  reference_kind;
  const char        *channel;
  char              *flow_id;
  guint              line;
  const char        *state;
  const char        *match_method;
  char              *collection_ref;
  char              *outcome;
  char              *debtor_name;
  char              *debtor_tax_id;
  char              *remittance;
  gint64             unapplied;
  const char        *refund_reason;
  char              *note;
  GArray            *allocations;     /* Allocation */
  GPtrArray         *paid_positions;  /* position ids whose balance reached zero */
  EsaPaymentOutcome  result;
  char              *message;
} Draft;

static Draft *
draft_new (void)
{
  Draft *draft = g_new0 (Draft, 1);

  draft->allocations = g_array_new (FALSE, FALSE, sizeof (Allocation));
  g_array_set_clear_func (draft->allocations, (GDestroyNotify) allocation_clear);
  draft->paid_positions = g_ptr_array_new_with_free_func (g_free);
  return draft;
}

static void
draft_free (Draft *draft)
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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Draft, draft_free)

typedef struct _Batch Batch;

static void batch_free (Batch *batch);

/* What one write (an import, an assignment) shares between its payments. */
typedef struct
{
  EsaStore       *store;
  EsaParameters  *parameters;
  GHashTable     *orders;        /* "body|date" → Order */
  char           *now;           /* ISO 8601 UTC */
  char           *today;         /* YYYY-MM-DD */
  const char     *user_id;
  GPtrArray      *notes;         /* (transfer none): where closures report */
  guint64         id_ms;         /* the time part of the ids made */
  guint32         id_count;      /* ids made so far */
  guint           positions_paid;
  guint           cases_closed;
  Batch          *batch;         /* an import's rows for the sync push, or NULL */
} Booking;

static gboolean
booking_init (Booking        *booking,
              EsaStore       *store,
              EsaParameters  *parameters,
              GPtrArray      *notes,
              GError        **error)
{
  booking->store = store;
  booking->parameters = parameters;
  booking->orders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  booking->now = _esa_store_now_iso ();
  booking->today = today_iso ();
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

static void
booking_clear (Booking *booking)
{
  g_clear_pointer (&booking->orders, g_hash_table_unref);
  g_clear_pointer (&booking->batch, batch_free);
  g_clear_pointer (&booking->now, g_free);
  g_clear_pointer (&booking->today, g_free);
}

/* A new UUID (version 7: the time in milliseconds, then a counter and
 * random bits) for the rows a booking adds. Ids that grow with time go to
 * the end of the primary key's index instead of a random page of it, which
 * is what keeps a flow of 100,000 payments from touching every page of the
 * payments' and allocations' indexes. */
static char *
booking_new_id (Booking *booking)
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
  if (*out_taken > 0 && *out_taken == position_balance (position))
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
static gboolean
plan_position (Booking            *booking,
               Draft              *draft,
               const PositionRow  *position,
               GError            **error)
{
  g_autofree char *how = NULL;
  g_autofree char *rest_text = NULL;
  g_autofree char *amount_text = NULL;
  gint64 balance = position_balance (position);
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
static gboolean
plan_debtor (Booking      *booking,
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

  positions = g_ptr_array_new_with_free_func ((GDestroyNotify) position_row_free);
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
  if (!read_rows (booking->store, stmt, (RowRead) position_row_read, positions, error))
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

static void
draft_unmatched (Draft      *draft,
                 const char *state,
                 char       *message)
{
  draft->state = state;
  draft->result = g_str_equal (state, "revoked") ? ESA_PAYMENT_OUTCOME_REVOKED
                                                 : ESA_PAYMENT_OUTCOME_UNMATCHED;
  g_free (draft->note);
  draft->note = g_strdup (message);
  g_free (draft->message);
  draft->message = message;
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
          row->id = booking_new_id (booking);
          row->position_id = allocation->position_id;
          row->state = allocation->state;
        }
      row->amounts[allocation->component] += allocation->amount;
      row->total += allocation->amount;
    }
  return rows;
}

static void
allocation_json (GString    *out,
                 const char *id,
                 const char *position_id,
                 gint64      amounts[N_COMPONENTS],
                 const char *allocated_on)
{
  g_string_append_c (out, '{');
  json_str (out, "id", id);
  json_str (out, "position_id", position_id);
  for (guint c = 0; c < N_COMPONENTS; c++)
    json_int (out, component_names[c], amounts[c]);
  json_str (out, "allocated_on", allocated_on);
  g_string_append_c (out, '}');
}

/* The outbox payload of a payment: its row and its allocations. */
static char *
payment_payload (const Draft *draft,
                 const char  *allocated_on,
                 GArray      *allocations)
{
  GString *out = g_string_new ("{");

  json_str (out, "id", draft->id);
  json_str (out, "debtor_id", draft->debtor_id);
  json_str (out, "position_id", draft->position_id);
  json_str (out, "body_id", draft->body_id);
  json_int (out, "amount", draft->amount);
  json_str (out, "currency", draft->currency);
  json_str (out, "paid_on", draft->paid_on);
  json_str (out, "reference", draft->reference);
  json_str (out, "channel", draft->channel);
  json_str (out, "flow_id", draft->flow_id);
  if (draft->line > 0)
    json_int (out, "line", draft->line);
  json_str (out, "state", draft->state);
  json_str (out, "reference_kind", esa_payment_ref_kind_to_string (draft->reference_kind));
  json_str (out, "match_method", draft->match_method);
  json_str (out, "collection_ref", draft->collection_ref);
  json_str (out, "outcome", draft->outcome);
  json_str (out, "debtor_name", draft->debtor_name);
  json_str (out, "debtor_tax_id", draft->debtor_tax_id);
  json_str (out, "remittance", draft->remittance);
  json_int (out, "unapplied", draft->unapplied);
  json_str (out, "refund_reason", draft->refund_reason);
  json_str (out, "note", draft->note);
  json_key (out, "allocations");
  g_string_append_c (out, '[');
  for (guint i = 0; i < allocations->len; i++)
    {
      PositionAllocation *row = &g_array_index (allocations, PositionAllocation, i);

      if (i > 0)
        g_string_append_c (out, ',');
      allocation_json (out, row->id, row->position_id, row->amounts, allocated_on);
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

static Batch *
batch_new (const char *flow_id,
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

static void
batch_free (Batch *batch)
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
static gboolean
batch_flush (EsaStore  *store,
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
static gboolean
book_draft (Booking   *booking,
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
             || batch_flush (booking->store, booking->batch, error);
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

static gint
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Closes, in the order of their ids, the open cases whose positions the
 * booking paid and that owe nothing more. */
static gboolean
close_paid_cases (Booking  *booking,
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
  if (stmt == NULL || !read_rows (booking->store, stmt, (RowRead) paid_case_read, paid, error))
    return FALSE;
  g_clear_pointer (&stmt, _esa_store_stmt_release);

  for (guint i = 0; i < paid->len; i++)
    {
      if (!close_case (booking, g_ptr_array_index (paid, i), error))
        return FALSE;
    }
  return _esa_store_exec (booking->store, "DELETE FROM temp.esa_paid_positions", error);
}

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
static gboolean
lookup_text (EsaStore    *self,
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
      if (!lookup_text (import->store, "SELECT id FROM bodies WHERE id = ?1",
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
  if (!lookup_text (import->store, sql, normalized, &import->body_id, error))
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
        json_int (out, columns[i], sqlite3_column_int64 (stmt, (int) i));
      else
        json_str (out, columns[i], (const char *) sqlite3_column_text (stmt, (int) i));
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
  if (!read_text_pairs (self, payments, ids, debtors, error))
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

      json_str (payload, "id", payment_id);
      json_str (payload, "state", "replaced");
      json_key (payload, "reversals");
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
          allocation_id = booking_new_id (booking);

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
          allocation_json (payload, allocation_id, position_id, negative, booking->today);
          reversed += amount;
        }
      g_string_append (payload, "]}");

      if (reversed > 0)
        {
          g_autofree char *amount_text = NULL;
          g_autofree char *currency = NULL;

          if (!lookup_text (self, "SELECT currency FROM payments WHERE id = ?1", payment_id,
                            &currency, error))
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
  if (!read_text_pairs (self, closures, events, events, error))
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
static char *
normalize_tax_id (const char *text)
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

static gboolean
all_digits (const char *text)
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
    return g_ptr_array_new_with_free_func ((GDestroyNotify) position_row_free);
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
        rows = find_positions (self, FIND_BY_PAYMENT_REFERENCE, content, NULL, error);
        if (rows != NULL && rows->len == 0 && all_digits (content) && strlen (content) < 27)
          {
            g_autofree char *zeros = g_strnfill (27 - strlen (content), '0');
            g_autofree char *padded = g_strconcat (zeros, content, NULL);

            g_ptr_array_unref (rows);
            rows = find_positions (self, FIND_BY_PAYMENT_REFERENCE, padded, NULL, error);
          }
        if (rows != NULL && rows->len == 0)
          {
            g_ptr_array_unref (rows);
            rows = find_positions (self, FIND_BY_REFERENCE, content, NULL, error);
          }
        return g_steal_pointer (&rows);
      }

    case ESA_PAYMENT_REF_OTHER:
      *out_method = "reference";
      rows = find_positions (self, FIND_BY_PAYMENT_REFERENCE, reference, NULL, error);
      if (rows != NULL && rows->len == 0 && all_digits (reference) && (length == 15
                                                                       || length == 17))
        {
          g_ptr_array_unref (rows);
          *out_method = "iuv";
          rows = find_positions (self, FIND_BY_IUV, reference, iuv_body, error);
        }
      if (rows != NULL && rows->len == 0)
        {
          g_ptr_array_unref (rows);
          *out_method = "reference";
          rows = find_positions (self, FIND_BY_REFERENCE, reference, NULL, error);
        }
      return g_steal_pointer (&rows);

    case ESA_PAYMENT_REF_NONE:
    default:
      return g_ptr_array_new_with_free_func ((GDestroyNotify) position_row_free);
    }
}

/* The one debtor with the payer's tax id, if exactly one. */
static gboolean
match_tax_id (Import             *import,
              const EsaFlowItem  *item,
              char              **out_debtor_id,
              GError            **error)
{
  g_autofree char *tax_id = normalize_tax_id (item->debtor_tax_id);
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
        g_ptr_array_add (import->found[index], position_row_read (stmt));
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
        import->found[i] = g_ptr_array_new_with_free_func ((GDestroyNotify) position_row_free);

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

/* Why a payment found no position. (transfer full) */
static char *
unmatched_reason (const EsaFlowItem *item,
                  guint              n_positions)
{
  if (n_positions > 1)
    /* Translators: "reference TARI-2024-1 fits 3 positions: an officer must choose" */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "reference %s fits %u position: an officer must choose",
                                         "reference %s fits %u positions: an officer must choose",
                                         n_positions),
                            item->reference, n_positions);
  if (item->reference == NULL)
    return g_strdup (_("the payment names no reference and no known debtor"));

  switch (item->reference_kind)
    {
    case ESA_PAYMENT_REF_IUV:
      return g_strdup_printf (_("no position has the IUV %s"), item->reference);
    case ESA_PAYMENT_REF_NOTICE:
      return g_strdup_printf (_("no position has the notice number %s"), item->reference);
    case ESA_PAYMENT_REF_QRR:
      return g_strdup_printf (_("no position has the QR reference %s"), item->reference);
    case ESA_PAYMENT_REF_SCOR:
      return g_strdup_printf (_("no position has the creditor reference %s"), item->reference);
    case ESA_PAYMENT_REF_OTHER:
    case ESA_PAYMENT_REF_NONE:
    default:
      return g_strdup_printf (_("no position has the reference %s"), item->reference);
    }
}

/* Why a matched position cannot take the payment, or NULL. (transfer full) */
static char *
position_refuses (const PositionRow *position,
                  const char        *currency)
{
  if (g_strcmp0 (position->state, "cancelled") == 0)
    return g_strdup_printf (_("position %s is cancelled: it takes no payments"),
                            position->reference);
  if (g_strcmp0 (position->state, "written_off") == 0)
    return g_strdup_printf (_("position %s is written off: it takes no payments"),
                            position->reference);
  if (g_strcmp0 (position->currency, currency) != 0)
    /* Translators: "the payment is in CHF, position X in EUR" */
    return g_strdup_printf (_("the payment is in %s, position %s in %s"), currency,
                            position->reference, position->currency);
  return NULL;
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
  g_clear_pointer (&pending->draft, draft_free);
  g_clear_pointer (&pending->position, position_row_free);
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
  Draft *draft = draft_new ();
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
      draft_unmatched (draft, "revoked",
                       g_strdup_printf (_("revoked (outcome %s): recorded, not applied"),
                                        item->outcome != NULL ? item->outcome : "3"));
      return TRUE;
    }

  positions = match_reference (import, pending->index, item, &method, error);
  if (positions == NULL)
    return FALSE;

  if (positions->len == 1)
    {
      const PositionRow *position = g_ptr_array_index (positions, 0);
      char *refusal = position_refuses (position, item->currency);

      if (refusal != NULL)
        draft_unmatched (draft, "unmatched", refusal);
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

  draft_unmatched (draft, "unmatched", unmatched_reason (item, positions->len));
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

  draft->id = booking_new_id (&import->booking);
  if (pending->position != NULL)
    {
      if (pending->position->rowid == previous_rowid)
        {
          g_autofree char *id = g_strdup (pending->position->id);

          g_clear_pointer (&pending->position, position_row_free);
          pending->position = get_position (import->store, id, error);
          if (pending->position == NULL)
            return FALSE;
        }
      if (!plan_position (&import->booking, draft, pending->position, error))
        return FALSE;
    }
  else if (pending->debtor_id != NULL
           && !plan_debtor (&import->booking, draft, pending->debtor_id,
                            import->body_known ? import->body_id : NULL, error))
    return FALSE;

  return book_draft (&import->booking, draft, TRUE, error);
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
 * failed import leaves it as it was. */
static gboolean
book_items (Import  *import,
            GError **error)
{
  Booking *booking = &import->booking;
  gboolean capture = esa_store_sync_get_capture (import->store);

  if (capture && !esa_store_sync_set_capture (import->store, FALSE, error))
    return FALSE;
  booking->batch = batch_new (import->flow_id, booking->now);
  if (!import_items (import, error) || !batch_flush (import->store, booking->batch, error))
    return FALSE;
  g_clear_pointer (&booking->batch, batch_free);
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
  if (!lookup_text (import->store, "SELECT id FROM payment_flows WHERE file_sha256 = ?1",
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

  if (!check_writer (import->store, error) || !check_recorded (import, &replaced, error))
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

  if (!send_flow (import, error) || !book_items (import, error)
      || !close_paid_cases (&import->booking, error))
    return FALSE;

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
  gboolean ok;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (flow != NULL, NULL);
  g_return_val_if_fail (options != NULL && options->file_sha256 != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_items (flow, error))
    return NULL;

  report = import_report_new ();
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
      ok = booking_init (&import.booking, self, options->parameters, report->notes, error)
           && run_import (&import, error);
      ok = _esa_store_write_end (self, ok, error);
    }
  restore_cache (self, previous_cache);

  booking_clear (&import.booking);
  lookup_clear (&import);
  g_free (import.flow_id);
  g_free (import.flow_key);
  g_free (import.body_id);

  return ok ? g_steal_pointer (&report) : NULL;
}

/* ---- the unmatched queue ------------------------------------------------------ */

#define QUEUE_COLUMNS \
  "pm.id, pm.state, pm.flow_id, f.flow_key, f.format, pm.line, pm.body_id, pm.amount, " \
  "pm.currency, pm.paid_on, pm.reference, pm.reference_kind, pm.collection_ref, " \
  "pm.debtor_name, pm.debtor_tax_id, pm.remittance, pm.note "

static EsaQueuedPayment *
queued_payment_read (EsaStoreStmt *stmt)
{
  EsaQueuedPayment *payment = g_new0 (EsaQueuedPayment, 1);

  payment->id = _esa_stmt_dup_text (stmt, 0);
  payment->state = _esa_stmt_dup_text (stmt, 1);
  payment->flow_id = _esa_stmt_dup_text (stmt, 2);
  payment->flow_key = _esa_stmt_dup_text (stmt, 3);
  payment->format = _esa_stmt_dup_text (stmt, 4);
  payment->line = (guint) sqlite3_column_int (stmt, 5);
  payment->body_id = _esa_stmt_dup_text (stmt, 6);
  payment->amount = sqlite3_column_int64 (stmt, 7);
  payment->currency = _esa_stmt_dup_text (stmt, 8);
  payment->paid_on = _esa_stmt_dup_text (stmt, 9);
  payment->reference = _esa_stmt_dup_text (stmt, 10);
  payment->reference_kind = _esa_stmt_dup_text (stmt, 11);
  payment->collection_ref = _esa_stmt_dup_text (stmt, 12);
  payment->debtor_name = _esa_stmt_dup_text (stmt, 13);
  payment->debtor_tax_id = _esa_stmt_dup_text (stmt, 14);
  payment->remittance = _esa_stmt_dup_text (stmt, 15);
  payment->note = _esa_stmt_dup_text (stmt, 16);
  return payment;
}

GPtrArray *
esa_store_list_unmatched_payments (EsaStore  *self,
                                   gboolean   include_parked,
                                   GError   **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) payments = NULL;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);

  stmt = _esa_store_prepare (self,
                             "SELECT " QUEUE_COLUMNS
                             "FROM payments pm LEFT JOIN payment_flows f ON f.id = pm.flow_id "
                             "WHERE pm.state IN ('unmatched', 'parked') "
                             "  AND (?1 OR pm.state = 'unmatched') "
                             "ORDER BY pm.paid_on, pm.rowid",
                             error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, include_parked);

  payments = g_ptr_array_new_with_free_func ((GDestroyNotify) esa_queued_payment_free);
  if (!read_rows (self, stmt, (RowRead) queued_payment_read, payments, error))
    return NULL;
  return g_steal_pointer (&payments);
}

static EsaQueuedPayment *
get_queued_payment (EsaStore    *self,
                    const char  *payment_id,
                    GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row;

  stmt = _esa_store_prepare (self,
                             "SELECT " QUEUE_COLUMNS
                             "FROM payments pm LEFT JOIN payment_flows f ON f.id = pm.flow_id "
                             "WHERE pm.id = ?1",
                             error);
  if (stmt == NULL)
    return NULL;
  _esa_stmt_bind_text (stmt, 1, payment_id);
  if (!_esa_store_step (self, stmt, &row, error))
    return NULL;
  if (!row)
    {
      _esa_store_fail (error, ESA_STORE_ERROR_NOT_FOUND, _("No payment with id %s"), payment_id);
      return NULL;
    }
  return queued_payment_read (stmt);
}

/* ---- candidates --------------------------------------------------------------- */

/* Lower case without accents, for comparing names. (transfer full) */
static char *
fold_name (const char *text)
{
  g_autofree char *decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_NFD);
  g_autofree char *folded = NULL;
  GString *plain;

  if (decomposed == NULL)
    return g_strdup ("");
  folded = g_utf8_casefold (decomposed, -1);
  plain = g_string_new (NULL);
  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_ismark (c))
        continue;
      g_string_append_unichar (plain, g_unichar_isalnum (c) ? c : ' ');
    }
  return g_string_free (plain, FALSE);
}

/* How many words of @name (two letters or more) appear among the words of
 * @payer, and how many it has. */
static void
count_name_words (const char *name,
                  const char *payer,
                  guint      *out_found,
                  guint      *out_words)
{
  g_autofree char *name_folded = fold_name (name);
  g_autofree char *payer_folded = fold_name (payer);
  g_auto(GStrv) name_words = g_strsplit (name_folded, " ", -1);
  g_auto(GStrv) payer_words = g_strsplit (payer_folded, " ", -1);

  *out_found = 0;
  *out_words = 0;
  for (guint i = 0; name_words[i] != NULL; i++)
    {
      if (strlen (name_words[i]) < 2)
        continue;
      (*out_words)++;
      if (g_strv_contains ((const char * const *) payer_words, name_words[i]))
        (*out_found)++;
    }
}

typedef struct
{
  EsaStore         *store;
  EsaQueuedPayment *payment;
  char             *tax_id;        /* the payer's, normalized */
  GHashTable       *debtors;       /* debtor ids to look at */
  GHashTable       *named;         /* position ids named in the payment's text */
  GHashTable       *seen;          /* position ids scored */
  GPtrArray        *candidates;
} Candidates;

static void
add_part (EsaPaymentCandidate *candidate,
          const char          *part,
          guint                points,
          guint                max,
          char                *explain)
{
  EsaScorePart *score = g_new0 (EsaScorePart, 1);

  score->part = g_strdup (part);
  score->points = points;
  score->max = max;
  score->explain = explain;
  candidate->score += points;
  g_ptr_array_add (candidate->parts, score);
}

static void
score_position (Candidates         *search,
                const PositionRow  *position,
                const char         *debtor_name,
                const char         *debtor_tax_id)
{
  EsaQueuedPayment *payment = search->payment;
  EsaPaymentCandidate *candidate = g_new0 (EsaPaymentCandidate, 1);
  g_autofree char *balance_text = NULL;
  gint64 balance = position_balance (position);
  guint found = 0, words = 0;
  GDate paid, due;

  candidate->position_id = g_strdup (position->id);
  candidate->debtor_id = g_strdup (position->debtor_id);
  candidate->debtor_name = g_strdup (debtor_name);
  candidate->tax_id = g_strdup (debtor_tax_id);
  candidate->body_id = g_strdup (position->body_id);
  candidate->reference = g_strdup (position->reference);
  candidate->due_date = g_strdup (position->due_date);
  candidate->currency = g_strdup (position->currency);
  candidate->balance = balance;
  candidate->parts = g_ptr_array_new_with_free_func ((GDestroyNotify) esa_score_part_free);
  balance_text = esa_money_format (balance, position->currency);

  if (search->tax_id != NULL && g_strcmp0 (search->tax_id, debtor_tax_id) == 0)
    add_part (candidate, "tax_id", 35, 35,
              g_strdup_printf (_("the payer’s tax id %s is the debtor’s"), search->tax_id));
  else if (search->tax_id != NULL)
    add_part (candidate, "tax_id", 0, 35,
              g_strdup_printf (_("the payer’s tax id %s is not the debtor’s"), search->tax_id));
  else
    add_part (candidate, "tax_id", 0, 35, g_strdup (_("the payment names no tax id")));

  if (g_hash_table_contains (search->named, position->id))
    add_part (candidate, "reference", 25, 25,
              g_strdup (_("the payment’s reference or message names this position")));
  else
    add_part (candidate, "reference", 0, 25,
              g_strdup (_("the payment’s reference and message do not name this position")));

  if (payment->amount == balance)
    add_part (candidate, "amount", 20, 20,
              g_strdup_printf (_("the amount equals the balance of %s"), balance_text));
  else if (payment->amount < balance)
    add_part (candidate, "amount", 8, 20,
              g_strdup_printf (_("the amount is less than the balance of %s (a part payment)"),
                               balance_text));
  else
    add_part (candidate, "amount", 0, 20,
              g_strdup_printf (_("the amount is more than the balance of %s"), balance_text));

  if (payment->debtor_name != NULL)
    count_name_words (debtor_name, payment->debtor_name, &found, &words);
  if (words > 0 && found == words)
    add_part (candidate, "name", 10, 10,
              g_strdup_printf (_("the payer “%s” has every word of the debtor’s name"),
                               payment->debtor_name));
  else if (found > 0)
    add_part (candidate, "name", 5, 10,
              g_strdup_printf (_("the payer “%s” has some words of the debtor’s name"),
                               payment->debtor_name));
  else
    add_part (candidate, "name", 0, 10, g_strdup (_("the payer’s name is not the debtor’s")));

  if (esa_date_parse_iso (payment->paid_on, &paid, NULL)
      && esa_date_parse_iso (position->due_date, &due, NULL))
    {
      gint days = ABS (esa_date_days_between (&due, &paid));

      if (days <= 30)
        add_part (candidate, "date", 10, 10,
                  g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "paid %d day from the due date %s",
                                                "paid %d days from the due date %s", days),
                                   days, position->due_date));
      else if (days <= 180)
        add_part (candidate, "date", 5, 10,
                  g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "paid %d day from the due date %s",
                                                "paid %d days from the due date %s", days),
                                   days, position->due_date));
      else
        add_part (candidate, "date", 0, 10,
                  g_strdup_printf (_("paid more than 180 days from the due date %s"),
                                   position->due_date));
    }

  g_ptr_array_add (search->candidates, candidate);
}

/* Scores every open position of @debtor_id in the payment's currency. */
static gboolean
score_debtor (Candidates  *search,
              const char  *debtor_id,
              GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row;

  stmt = _esa_store_prepare (search->store,
                             "SELECT " POSITION_COLUMNS ", d.name, d.tax_id, p.payment_reference "
                             "FROM positions p JOIN debtors d ON d.id = p.debtor_id "
                             "WHERE p.debtor_id = ?1 AND p.currency = ?2 "
                             "  AND (?3 IS NULL OR p.body_id = ?3) "
                             "  AND p.state IN ('open', 'suspended') "
                             "  AND p.principal + p.sanctions + p.interest + p.costs > p.paid",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, debtor_id);
  _esa_stmt_bind_text (stmt, 2, search->payment->currency);
  _esa_stmt_bind_text (stmt, 3, search->payment->body_id);
  for (;;)
    {
      g_autoptr(PositionRow) position = NULL;

      if (!_esa_store_step (search->store, stmt, &row, error))
        return FALSE;
      if (!row)
        break;
      position = position_row_read (stmt);
      if (!g_hash_table_add (search->seen, g_strdup (position->id)))
        continue;
      score_position (search, position, (const char *) sqlite3_column_text (stmt, 13),
                      (const char *) sqlite3_column_text (stmt, 14));
      ((EsaPaymentCandidate *) g_ptr_array_index (search->candidates,
                                                  search->candidates->len - 1))->payment_reference =
        _esa_stmt_dup_text (stmt, 15);
    }
  return TRUE;
}

/* The positions named by a word of the payment's reference or message. */
static gboolean
find_named_positions (Candidates  *search,
                      GError     **error)
{
  g_autofree char *text = g_strjoin (" ", search->payment->reference != NULL
                                          ? search->payment->reference : "",
                                     search->payment->remittance != NULL
                                     ? search->payment->remittance : "", NULL);
  g_auto(GStrv) words = g_strsplit_set (text, " \t\r\n,;:()[]", -1);
  guint looked = 0;

  for (guint i = 0; words[i] != NULL && looked < 20; i++)
    {
      g_autofree char *word = g_ascii_strup (words[i], -1);
      gsize length = strlen (word);
      const char *queries[3] = { FIND_BY_PAYMENT_REFERENCE, FIND_BY_REFERENCE, NULL };

      if (length < 6)
        continue;
      looked++;
      if (all_digits (word) && (length == 15 || length == 17))
        queries[2] = FIND_BY_IUV;

      for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
        {
          g_autoptr(GPtrArray) rows = NULL;

          if (queries[q] == NULL)
            continue;
          rows = find_positions (search->store, queries[q], word, NULL, error);
          if (rows == NULL)
            return FALSE;
          for (guint r = 0; r < rows->len; r++)
            {
              const PositionRow *position = g_ptr_array_index (rows, r);

              g_hash_table_add (search->named, g_strdup (position->id));
              g_hash_table_add (search->debtors, g_strdup (position->debtor_id));
            }
        }
    }
  return TRUE;
}

static gint
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const EsaPaymentCandidate *x = *(EsaPaymentCandidate * const *) a;
  const EsaPaymentCandidate *y = *(EsaPaymentCandidate * const *) b;

  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  if (g_strcmp0 (x->due_date, y->due_date) != 0)
    return g_strcmp0 (x->due_date, y->due_date);
  return g_strcmp0 (x->position_id, y->position_id);
}

static gboolean
collect_candidates (Candidates  *search,
                    GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autofree gpointer *debtors = NULL;
  guint n = 0;
  gboolean row;

  if (search->tax_id != NULL)
    {
      stmt = _esa_store_prepare (search->store, "SELECT id FROM debtors WHERE tax_id = ?1",
                                 error);
      if (stmt == NULL)
        return FALSE;
      _esa_stmt_bind_text (stmt, 1, search->tax_id);
      for (;;)
        {
          if (!_esa_store_step (search->store, stmt, &row, error))
            return FALSE;
          if (!row)
            break;
          g_hash_table_add (search->debtors, _esa_stmt_dup_text (stmt, 0));
        }
      g_clear_pointer (&stmt, _esa_store_stmt_release);
    }

  if (search->payment->debtor_name != NULL)
    {
      g_autoptr(GPtrArray) hits = esa_store_search (search->store, search->payment->debtor_name,
                                                    10, 0, NULL, error);

      if (hits == NULL)
        return FALSE;
      for (guint i = 0; i < hits->len; i++)
        g_hash_table_add (search->debtors,
                          g_strdup (((EsaSearchHit *) g_ptr_array_index (hits, i))->debtor_id));
    }

  if (!find_named_positions (search, error))
    return FALSE;

  debtors = g_hash_table_get_keys_as_array (search->debtors, &n);
  qsort (debtors, n, sizeof (gpointer), compare_strings);
  for (guint i = 0; i < n; i++)
    {
      if (!score_debtor (search, debtors[i], error))
        return FALSE;
    }
  return TRUE;
}

GPtrArray *
esa_store_payment_candidates (EsaStore    *self,
                              const char  *payment_id,
                              guint        limit,
                              GError     **error)
{
  g_autoptr(EsaQueuedPayment) payment = NULL;
  Candidates search = { 0, };
  gboolean ok;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (payment_id != NULL, NULL);

  payment = get_queued_payment (self, payment_id, error);
  if (payment == NULL)
    return NULL;

  search.store = self;
  search.payment = payment;
  search.tax_id = normalize_tax_id (payment->debtor_tax_id);
  search.debtors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  search.named = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  search.seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  search.candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) esa_payment_candidate_free);

  ok = _esa_store_read_begin (self, error);
  if (ok)
    {
      ok = collect_candidates (&search, error);
      _esa_store_read_end (self);
    }

  g_free (search.tax_id);
  g_hash_table_unref (search.debtors);
  g_hash_table_unref (search.named);
  g_hash_table_unref (search.seen);
  if (!ok)
    {
      g_ptr_array_unref (search.candidates);
      return NULL;
    }

  g_ptr_array_sort (search.candidates, compare_candidates);
  if (limit == 0)
    limit = DEFAULT_CANDIDATES;
  if (search.candidates->len > limit)
    g_ptr_array_set_size (search.candidates, limit);
  return search.candidates;
}

/* ---- an officer's decisions ----------------------------------------------------- */

/* The draft of a recorded payment that waits in the queue. */
static Draft *
queued_draft (EsaStore    *self,
              const char  *payment_id,
              GError     **error)
{
  g_autoptr(EsaQueuedPayment) payment = get_queued_payment (self, payment_id, error);
  Draft *draft;

  if (payment == NULL)
    return NULL;
  if (!g_str_equal (payment->state, "unmatched") && !g_str_equal (payment->state, "parked"))
    {
      /* Translators: the second %s is a payment's state: applied, revoked, replaced */
      _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                       _("Payment %s is %s, not waiting in the unmatched queue"), payment_id,
                       payment->state);
      return NULL;
    }

  draft = draft_new ();
  draft->id = g_strdup (payment->id);
  draft->amount = payment->amount;
  draft->currency = g_strdup (payment->currency);
  draft->paid_on = g_strdup (payment->paid_on);
  draft->reference = g_strdup (payment->reference);
  draft->reference_kind = ref_kind_from_string (payment->reference_kind);
  draft->flow_id = g_strdup (payment->flow_id);
  draft->line = payment->line;
  draft->collection_ref = g_strdup (payment->collection_ref);
  draft->debtor_name = g_strdup (payment->debtor_name);
  draft->debtor_tax_id = g_strdup (payment->debtor_tax_id);
  draft->remittance = g_strdup (payment->remittance);
  draft->body_id = g_strdup (payment->body_id);
  return draft;
}

typedef struct
{
  const char    *payment_id;
  const char    *target_id;
  gboolean       to_debtor;
  EsaParameters *parameters;
} Assignment;

static gboolean
run_assignment (EsaStore                *self,
                const Assignment        *assignment,
                EsaPaymentImportReport  *report,
                GError                 **error)
{
  g_autoptr(Draft) draft = NULL;
  g_autoptr(PositionRow) position = NULL;
  g_autofree char *refusal = NULL;
  g_autofree char *debtor_id = NULL;
  EsaPaymentImportLine *line;
  Booking booking;
  gboolean ok;

  if (!check_writer (self, error))
    return FALSE;
  draft = queued_draft (self, assignment->payment_id, error);
  if (draft == NULL)
    return FALSE;

  if (assignment->to_debtor)
    {
      if (!lookup_text (self, "SELECT id FROM debtors WHERE id = ?1", assignment->target_id,
                        &debtor_id, error))
        return FALSE;
      if (debtor_id == NULL)
        return _esa_store_fail (error, ESA_STORE_ERROR_NOT_FOUND, _("No debtor with id %s"),
                                assignment->target_id);
    }
  else
    {
      position = get_position (self, assignment->target_id, error);
      if (position == NULL)
        return FALSE;
      refusal = position_refuses (position, draft->currency);
      if (refusal != NULL)
        {
          g_set_error_literal (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID, refusal);
          return FALSE;
        }
    }

  ok = booking_init (&booking, self, assignment->parameters, report->notes, error);
  g_clear_pointer (&draft->note, g_free);
  if (ok && assignment->to_debtor)
    {
      draft->match_method = "assigned_debtor";
      ok = plan_debtor (&booking, draft, debtor_id, draft->body_id, error);
    }
  else if (ok)
    {
      draft->match_method = "assigned";
      ok = plan_position (&booking, draft, position, error);
    }
  ok = ok && book_draft (&booking, draft, FALSE, error) && close_paid_cases (&booking, error);

  if (ok)
    {
      line = g_new0 (EsaPaymentImportLine, 1);
      line->line = draft->line;
      line->outcome = draft->result;
      line->payment_id = g_strdup (draft->id);
      line->position_id = g_strdup (draft->position_id);
      line->debtor_id = g_strdup (draft->debtor_id);
      line->reference = g_strdup (draft->reference);
      line->amount = draft->amount;
      line->unapplied = draft->unapplied;
      line->currency = g_strdup (draft->currency);
      line->message = g_strdup (draft->message);
      g_ptr_array_add (report->lines, line);
      report->matched = 1;
      report->refunds = draft->unapplied > 0 ? 1 : 0;
      report->total = draft->amount;
      report->positions_paid = booking.positions_paid;
      report->cases_closed = booking.cases_closed;
    }
  booking_clear (&booking);
  return ok;
}

static EsaPaymentImportReport *
assign (EsaStore          *self,
        const Assignment  *assignment,
        GError           **error)
{
  g_autoptr(EsaPaymentImportReport) report = import_report_new ();
  gboolean ok;

  report->status = ESA_PAYMENT_FLOW_IMPORTED;
  if (!_esa_store_write_begin (self, error))
    return NULL;
  ok = run_assignment (self, assignment, report, error);
  if (!_esa_store_write_end (self, ok, error))
    return NULL;
  return g_steal_pointer (&report);
}

EsaPaymentImportReport *
esa_store_assign_payment (EsaStore       *self,
                          const char     *payment_id,
                          const char     *position_id,
                          EsaParameters  *parameters,
                          GError        **error)
{
  Assignment assignment = { payment_id, position_id, FALSE, parameters };

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (payment_id != NULL && position_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return assign (self, &assignment, error);
}

EsaPaymentImportReport *
esa_store_assign_payment_to_debtor (EsaStore       *self,
                                    const char     *payment_id,
                                    const char     *debtor_id,
                                    EsaParameters  *parameters,
                                    GError        **error)
{
  Assignment assignment = { payment_id, debtor_id, TRUE, parameters };

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (payment_id != NULL && debtor_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return assign (self, &assignment, error);
}

static char *
field_edit_payload (const char *field,
                    const char *value,
                    const char *old)
{
  GString *out = g_string_new ("{");

  json_str (out, "field", field);
  json_str (out, "value", value);
  json_str (out, "old", old);
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

static gboolean
run_park (EsaStore    *self,
          const char  *payment_id,
          const char  *note,
          GError     **error)
{
  g_autoptr(EsaQueuedPayment) payment = NULL;
  g_autoptr(EsaStoreStmt) version = NULL;
  g_autoptr(EsaStoreStmt) update = NULL;
  g_autofree char *now = _esa_store_now_iso ();
  g_autofree char *text = g_strstrip (g_strdup (note));
  g_autofree char *state_payload = NULL;
  g_autofree char *note_payload = NULL;
  g_autofree char *amount_text = NULL;
  g_autofree char *summary = NULL;
  const char *user_id = esa_store_get_acting_user (self);
  gint64 base_version;
  gboolean row;

  if (!check_writer (self, error))
    return FALSE;
  if (text[0] == '\0')
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("A parked payment needs a note saying why it is set aside"));
  payment = get_queued_payment (self, payment_id, error);
  if (payment == NULL)
    return FALSE;
  if (!g_str_equal (payment->state, "unmatched") && !g_str_equal (payment->state, "parked"))
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("Payment %s is %s, not waiting in the unmatched queue"), payment_id,
                            payment->state);

  version = _esa_store_prepare (self, "SELECT version FROM payments WHERE id = ?1", error);
  if (version == NULL)
    return FALSE;
  _esa_stmt_bind_text (version, 1, payment_id);
  if (!_esa_store_step (self, version, &row, error))
    return FALSE;
  base_version = sqlite3_column_int64 (version, 0);
  g_clear_pointer (&version, _esa_store_stmt_release);

  update = _esa_store_prepare (self,
                               "UPDATE payments SET state = 'parked', note = ?2, handled_at = ?3, "
                               "  handled_by = ?4, version = version + 1 WHERE id = ?1",
                               error);
  if (update == NULL)
    return FALSE;
  _esa_stmt_bind_text (update, 1, payment_id);
  _esa_stmt_bind_text (update, 2, text);
  _esa_stmt_bind_text (update, 3, now);
  _esa_stmt_bind_text (update, 4, user_id);
  if (!_esa_store_step_done (self, update, error))
    return FALSE;

  state_payload = field_edit_payload ("state", "parked", payment->state);
  note_payload = field_edit_payload ("note", text, payment->note);
  amount_text = esa_money_format (payment->amount, payment->currency);
  /* Translators: "Payment of € 120.00 parked: the bank is asked who paid" */
  summary = g_strdup_printf (_("Payment of %s parked: %s"), amount_text, text);

  return _esa_store_outbox_append_text (self, "field", "payment", payment_id, state_payload,
                                        base_version, now, error)
         && _esa_store_outbox_append_text (self, "field", "payment", payment_id, note_payload,
                                           base_version, now, error)
         && _esa_store_audit_append (self, now, user_id, "park", "payment", payment_id, NULL,
                                     summary, error);
}

gboolean
esa_store_park_payment (EsaStore    *self,
                        const char  *payment_id,
                        const char  *note,
                        GError     **error)
{
  gboolean ok;

  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);
  g_return_val_if_fail (payment_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!_esa_store_write_begin (self, error))
    return FALSE;
  ok = run_park (self, payment_id, note != NULL ? note : "", error);
  return _esa_store_write_end (self, ok, error);
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
  if (!read_rows (self, stmt, (RowRead) allocation_read, allocations, error))
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
  if (!read_rows (self, stmt, (RowRead) refund_read, refunds, error))
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

  if (!check_writer (self, error)
      || !lookup_text (self, "SELECT name FROM bodies WHERE id = ?1", body_id, &name, error))
    return FALSE;
  if (name == NULL)
    return _esa_store_fail (error, ESA_STORE_ERROR_NOT_FOUND,
                            _("No creditor body with id %s"), body_id);
  if (!lookup_text (self, "SELECT id FROM payment_csv_mappings WHERE body_id = ?1", body_id,
                    &exists, error))
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

  json_str (payload, "id", id);
  json_str (payload, "body_id", body_id);
  json_key (payload, "mapping");
  g_string_append (payload, mapping_json);
  json_str (payload, "updated_at", now);
  json_str (payload, "updated_by", user_id);
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

  if (!lookup_text (self, "SELECT mapping FROM payment_csv_mappings WHERE body_id = ?1", body_id,
                    &mapping, error))
    return NULL;
  return g_steal_pointer (&mapping);
}
