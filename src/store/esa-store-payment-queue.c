/* esa-store-payment-queue.c: the payments no reference placed, the
 * candidates for each, and the officer's decisions: assign or park
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "esa-date.h"
#include "esa-money.h"
#include "esa-roles.h"
#include "esa-store-payments-private.h"

#define DEFAULT_CANDIDATES 10

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
  payment->note = esa_payment_note_describe ((const char *) sqlite3_column_text (stmt, 16));
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
  if (!_esa_payment_read_rows (self, stmt, (RowRead) queued_payment_read, payments, error))
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
  gint64 balance = _esa_payment_position_balance (position);
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
      position = _esa_payment_position_read (stmt);
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
      if (_esa_payment_all_digits (word) && (length == 15 || length == 17))
        queries[2] = FIND_BY_IUV;

      for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
        {
          g_autoptr(GPtrArray) rows = NULL;

          if (queries[q] == NULL)
            continue;
          rows = _esa_payment_find_positions (search->store, queries[q], word, NULL, error);
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
  qsort (debtors, n, sizeof (gpointer), _esa_payment_compare_strings);
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
  search.tax_id = _esa_payment_normalize_tax_id (payment->debtor_tax_id);
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

  draft = _esa_payment_draft_new ();
  draft->id = g_strdup (payment->id);
  draft->amount = payment->amount;
  draft->currency = g_strdup (payment->currency);
  draft->paid_on = g_strdup (payment->paid_on);
  draft->reference = g_strdup (payment->reference);
  draft->reference_kind = _esa_payment_ref_kind_from_string (payment->reference_kind);
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

  if (!_esa_store_check_action (self, ESA_ACTION_PAYMENT_ASSIGN, error))
    return FALSE;
  draft = queued_draft (self, assignment->payment_id, error);
  if (draft == NULL)
    return FALSE;

  if (assignment->to_debtor)
    {
      if (!_esa_payment_lookup_text (self, "SELECT id FROM debtors WHERE id = ?1",
                                     assignment->target_id, &debtor_id, error))
        return FALSE;
      if (debtor_id == NULL)
        return _esa_store_fail (error, ESA_STORE_ERROR_NOT_FOUND, _("No debtor with id %s"),
                                assignment->target_id);
    }
  else
    {
      position = _esa_payment_get_position (self, assignment->target_id, error);
      if (position == NULL)
        return FALSE;
      refusal = _esa_payment_position_refuses (position, draft->currency);
      if (refusal != NULL)
        {
          g_set_error_literal (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID, refusal);
          return FALSE;
        }
    }

  ok = _esa_payment_booking_init (&booking, self, assignment->parameters, report->notes, error);
  g_clear_pointer (&draft->note, g_free);
  if (ok && assignment->to_debtor)
    {
      draft->match_method = "assigned_debtor";
      ok = _esa_payment_plan_debtor (&booking, draft, debtor_id, draft->body_id, error);
    }
  else if (ok)
    {
      draft->match_method = "assigned";
      ok = _esa_payment_plan_position (&booking, draft, position, error);
    }
  ok = ok && _esa_payment_book_draft (&booking, draft, FALSE, error)
       && _esa_payment_close_paid_cases (&booking, error);

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
  _esa_payment_booking_clear (&booking);
  return ok;
}

static EsaPaymentImportReport *
assign (EsaStore          *self,
        const Assignment  *assignment,
        GError           **error)
{
  g_autoptr(EsaPaymentImportReport) report = _esa_payment_import_report_new ();
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

  _esa_payment_json_str (out, "field", field);
  _esa_payment_json_str (out, "value", value);
  _esa_payment_json_str (out, "old", old);
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
  g_autofree char *stored_note = NULL;
  g_autofree char *amount_text = NULL;
  g_autofree char *summary = NULL;
  const char *user_id = esa_store_get_acting_user (self);
  gint64 base_version;
  gboolean row;

  if (!_esa_store_check_action (self, ESA_ACTION_PAYMENT_PARK, error))
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

  /* The edit's earlier value is the note as stored, not as worded here. */
  if (!_esa_payment_lookup_text (self, "SELECT note FROM payments WHERE id = ?1", payment_id,
                                 &stored_note, error))
    return FALSE;
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
  note_payload = field_edit_payload ("note", text, stored_note);
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
