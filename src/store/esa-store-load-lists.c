/* esa-store-load-lists.c: load lists, imported all or nothing, approved by
 * a second person
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
#include "esa-roles.h"
#include "esa-store-columnar-private.h"
#include "esa-store-load-lists.h"
#include "esa-store-private.h"
#include "esa-store-sync.h"
#include "esa-uuid.h"

/* How an import reaches the server (DESIGN.md "Sync"): the load list row is
 * an "event" operation like every creation, and the rows the import writes
 * (debtors, addresses, positions, rejected rows) travel in "load_list_part"
 * event operations of PART_ROWS positions each, every row complete (see
 * below). The approval is a "command" on the load list (the server re-checks
 * the four-eyes rule), and each case it opens is a "command" as well, with
 * the payload esa_store_add_case() writes.
 *
 * Audit: one entry per imported list (its counts and total), and on approval
 * one per list and one per case opened (in the case's debtor's history). An
 * entry per debtor of the import cost an eighth of a 200,000-row import and
 * 60 MB of journal; the dossier shows the list a position came from. */

/* ---- reasons, issues, reports, rows -------------------------------------- */

static const char * const reason_names[ESA_LOAD_LIST_N_REASONS] = {
  [ESA_LOAD_LIST_REASON_MISSING_COLUMN] = "missing_column",
  [ESA_LOAD_LIST_REASON_MISSING_VALUE] = "missing_value",
  [ESA_LOAD_LIST_REASON_TAX_ID] = "tax_id",
  [ESA_LOAD_LIST_REASON_AMOUNT] = "amount",
  [ESA_LOAD_LIST_REASON_DATE] = "date",
  [ESA_LOAD_LIST_REASON_YEAR] = "year",
  [ESA_LOAD_LIST_REASON_VALUE] = "value",
  [ESA_LOAD_LIST_REASON_DUPLICATE] = "duplicate",
  [ESA_LOAD_LIST_REASON_ALREADY_LOADED] = "already_loaded",
  [ESA_LOAD_LIST_REASON_DECEASED_SANCTIONS] = "deceased_with_sanctions",
  [ESA_LOAD_LIST_REASON_CEASED_NO_PARTNERS] = "ceased_without_partners",
};

const char *
esa_load_list_reason_to_string (EsaLoadListReason reason)
{
  g_return_val_if_fail (reason < ESA_LOAD_LIST_N_REASONS, NULL);

  return reason_names[reason];
}

void
esa_load_list_issue_free (EsaLoadListIssue *self)
{
  if (self == NULL)
    return;

  g_free (self->field);
  g_free (self->message);
  g_free (self);
}

EsaLoadListReport *
esa_load_list_report_new (void)
{
  EsaLoadListReport *self = g_new0 (EsaLoadListReport, 1);

  self->issues = g_ptr_array_new_with_free_func ((GDestroyNotify) esa_load_list_issue_free);
  return self;
}

void
esa_load_list_report_free (EsaLoadListReport *self)
{
  if (self == NULL)
    return;

  g_ptr_array_unref (self->issues);
  g_free (self);
}

static void
report_add_literal (EsaLoadListReport *self,
                    guint              line,
                    EsaLoadListReason  reason,
                    const char        *field,
                    char              *message)
{
  EsaLoadListIssue *issue = g_new0 (EsaLoadListIssue, 1);

  issue->line = line;
  issue->reason = reason;
  issue->field = g_strdup (field);
  issue->message = message;
  g_ptr_array_add (self->issues, issue);
}

void
esa_load_list_report_add (EsaLoadListReport *self,
                          guint              line,
                          EsaLoadListReason  reason,
                          const char        *field,
                          const char        *format,
                          ...)
{
  va_list args;
  char *message;

  g_return_if_fail (self != NULL);
  g_return_if_fail (reason < ESA_LOAD_LIST_N_REASONS);
  g_return_if_fail (format != NULL);

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  report_add_literal (self, line, reason, field, message);
}

static gint
compare_issue_lines (gconstpointer a,
                     gconstpointer b)
{
  const EsaLoadListIssue *issue_a = *(const EsaLoadListIssue * const *) a;
  const EsaLoadListIssue *issue_b = *(const EsaLoadListIssue * const *) b;

  return (issue_a->line > issue_b->line) - (issue_a->line < issue_b->line);
}

void
esa_load_list_report_sort (EsaLoadListReport *self)
{
  g_return_if_fail (self != NULL);

  /* g_ptr_array_sort() is stable: a line's issues keep the order in which
   * its fields were checked. */
  g_ptr_array_sort (self->issues, compare_issue_lines);
}

guint
esa_load_list_report_count_rejected (EsaLoadListReport *self)
{
  g_autoptr(GHashTable) lines = NULL;

  g_return_val_if_fail (self != NULL, 0);

  lines = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < self->issues->len; i++)
    {
      const EsaLoadListIssue *issue = g_ptr_array_index (self->issues, i);

      g_hash_table_add (lines, GUINT_TO_POINTER (issue->line));
    }
  return g_hash_table_size (lines);
}

EsaLoadListRows *
esa_load_list_rows_new (void)
{
  EsaLoadListRows *self = g_new0 (EsaLoadListRows, 1);

  self->rows = g_array_new (FALSE, TRUE, sizeof (EsaLoadListRow));
  self->strings = g_string_chunk_new (64 * 1024);
  return self;
}

void
esa_load_list_rows_free (EsaLoadListRows *self)
{
  if (self == NULL)
    return;

  g_array_unref (self->rows);
  g_string_chunk_free (self->strings);
  g_free (self);
}

EsaLoadListRow *
esa_load_list_rows_append (EsaLoadListRows *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_array_set_size (self->rows, self->rows->len + 1);
  return &g_array_index (self->rows, EsaLoadListRow, self->rows->len - 1);
}

const char *
esa_load_list_rows_keep (EsaLoadListRows *self,
                         const char      *text)
{
  g_return_val_if_fail (self != NULL, NULL);

  return text != NULL ? g_string_chunk_insert (self->strings, text) : NULL;
}

void
esa_load_list_group_free (EsaLoadListGroup *self)
{
  if (self == NULL)
    return;

  g_free (self->revenue_type);
  g_free (self);
}

void
esa_load_list_free (EsaLoadList *self)
{
  if (self == NULL)
    return;

  g_free (self->id);
  g_free (self->body_id);
  g_free (self->body_name);
  g_free (self->currency);
  g_free (self->reference);
  g_free (self->file_name);
  g_free (self->file_sha256);
  g_free (self->state);
  g_free (self->procedure_id);
  g_free (self->resource);
  g_free (self->budget_chapter);
  g_free (self->received_on);
  g_free (self->imported_at);
  g_free (self->imported_by);
  g_free (self->imported_by_name);
  g_free (self->approved_by);
  g_free (self->approved_by_name);
  g_free (self->approved_on);
  g_free (self->note);
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_pointer (&self->rejections, g_ptr_array_unref);
  g_free (self);
}

void
esa_load_list_entry_free (EsaLoadListEntry *self)
{
  if (self == NULL)
    return;

  g_free (self->position_id);
  g_free (self->debtor_id);
  g_free (self->debtor_name);
  g_free (self->tax_id);
  g_free (self->revenue_type);
  g_free (self->reference);
  g_free (self->payment_reference);
  g_free (self->due_date);
  g_free (self);
}

/* ---- helpers ------------------------------------------------------------- */


static char *
today_iso (void)
{
  GDate today;

  esa_date_set_today (&today);
  return esa_date_to_iso (&today);
}

/* JSON text written by hand: the payloads of bulk operations. */
typedef struct
{
  GString  *text;
  gboolean  first;
} Payload;

static void
payload_init (Payload *payload)
{
  payload->text = g_string_sized_new (512);
  payload->first = TRUE;
}

static void
payload_clear (Payload *payload)
{
  g_string_free (payload->text, TRUE);
}

static void
payload_begin (Payload *payload)
{
  g_string_truncate (payload->text, 0);
  g_string_append_c (payload->text, '{');
  payload->first = TRUE;
}

/* A decimal integer, without the cost of a printf per value. */
static void
append_int (GString *out,
            gint64   value)
{
  char digits[24];
  guint64 magnitude = value < 0 ? (guint64) -(value + 1) + 1 : (guint64) value;
  int n = sizeof digits;

  do
    {
      digits[--n] = (char) ('0' + magnitude % 10);
      magnitude /= 10;
    }
  while (magnitude > 0);
  if (value < 0)
    digits[--n] = '-';
  g_string_append_len (out, digits + n, (gssize) sizeof digits - n);
}

static void
payload_name (Payload    *payload,
              const char *name)
{
  if (!payload->first)
    g_string_append_c (payload->text, ',');
  payload->first = FALSE;
  g_string_append_c (payload->text, '"');
  g_string_append (payload->text, name);
  g_string_append (payload->text, "\":");
}

static void
payload_string (Payload    *payload,
                const char *name,
                const char *value)
{
  payload_name (payload, name);
  if (value != NULL)
    _esa_json_append_string (payload->text, value);
  else
    g_string_append (payload->text, "null");
}

static void
payload_int (Payload    *payload,
             const char *name,
             gint64      value)
{
  payload_name (payload, name);
  append_int (payload->text, value);
}

static const char *
payload_end (Payload *payload)
{
  g_string_append_c (payload->text, '}');
  return payload->text->str;
}

/* A user who may write: known, and not an auditor. Returns the role and the
 * office. */
static gboolean
read_user (EsaStore    *self,
           const char  *user_id,
           EsaRole     *out_role,
           char       **out_office_id,
           char       **out_name,
           GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row;

  stmt = _esa_store_prepare (self, "SELECT role, office_id, name FROM users WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, user_id);
  if (!_esa_store_step (self, stmt, &row, error))
    return FALSE;
  if (!row)
    return _esa_store_fail (error, ESA_STORE_ERROR_FORBIDDEN,
                            _("User %s is not known in this database and may not change it"),
                            user_id);

  if (!esa_role_from_string ((const char *) sqlite3_column_text (stmt, 0), out_role))
    *out_role = ESA_ROLE_AUDITOR;
  if (*out_role == ESA_ROLE_AUDITOR)
    return _esa_store_fail (error, ESA_STORE_ERROR_FORBIDDEN,
                            _("%s is an auditor: auditors may read everything but change nothing"),
                            (const char *) sqlite3_column_text (stmt, 2));

  if (out_office_id != NULL)
    *out_office_id = _esa_stmt_dup_text (stmt, 1);
  if (out_name != NULL)
    *out_name = _esa_stmt_dup_text (stmt, 2);
  return TRUE;
}

typedef struct
{
  char *name;
  char *country;
  char *currency;
  char *tax_code;
  char *segregation_code;
} Body;

static void
body_clear (Body *body)
{
  g_free (body->name);
  g_free (body->country);
  g_free (body->currency);
  g_free (body->tax_code);
  g_free (body->segregation_code);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Body, body_clear)

static gboolean
read_body (EsaStore    *self,
           const char  *body_id,
           Body        *body,
           GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row;

  stmt = _esa_store_prepare (self,
                             "SELECT name, country, currency, tax_code, segregation_code "
                             "FROM bodies WHERE id = ?1",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, body_id);
  if (!_esa_store_step (self, stmt, &row, error))
    return FALSE;
  if (!row)
    return _esa_store_fail (error, ESA_STORE_ERROR_NOT_FOUND,
                            _("No creditor body with id %s"), body_id);

  body->name = _esa_stmt_dup_text (stmt, 0);
  body->country = _esa_stmt_dup_text (stmt, 1);
  body->currency = _esa_stmt_dup_text (stmt, 2);
  body->tax_code = _esa_stmt_dup_text (stmt, 3);
  body->segregation_code = _esa_stmt_dup_text (stmt, 4);
  return TRUE;
}

/* Whether @office_id works for @body_id. */
static gboolean
office_serves_body (EsaStore    *self,
                    const char  *office_id,
                    const char  *body_id,
                    gboolean    *out_serves,
                    GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;

  stmt = _esa_store_prepare (self,
                             "SELECT 1 FROM office_bodies WHERE office_id = ?1 AND body_id = ?2",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, office_id);
  _esa_stmt_bind_text (stmt, 2, body_id);
  return _esa_store_step (self, stmt, out_serves, error);
}

/* A bulk write keeps the pages it changes in memory: with the default cache
 * (32 MiB), a 200,000-row list wrote its pages out to the log in the middle
 * of the transaction and read them back for every later index insert, which
 * doubled the import. Pages are only taken as they are used, and the cache
 * goes back to its size afterwards. */
#define BULK_CACHE_KIB 1048576

static gint64
enlarge_cache (EsaStore *self)
{
  g_autoptr(EsaStoreStmt) stmt = _esa_store_prepare (self, "PRAGMA cache_size", NULL);
  gint64 previous = -32768;
  gboolean row;

  if (stmt != NULL && _esa_store_step (self, stmt, &row, NULL) && row)
    previous = sqlite3_column_int64 (stmt, 0);
  g_clear_pointer (&stmt, _esa_store_stmt_release);

  _esa_store_exec (self, "PRAGMA cache_size = -" G_STRINGIFY (BULK_CACHE_KIB), NULL);
  return previous;
}

static void
restore_cache (EsaStore *self,
               gint64    previous)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA cache_size = %" G_GINT64_FORMAT, previous);

  _esa_store_exec (self, sql, NULL);
}

/* The CHECK constraints of the columns an import writes hold by
 * construction: check_row_values() has seen every value that comes from the
 * rows, and the others are constants, ids and the JSON of the outbox parts
 * that this file writes; so the rows' inserts skip them
 * (_esa_store_checks_off()). */

/* ---- import: ids --------------------------------------------------------- */

/* The rows of a list get time-ordered UUIDs (RFC 9562, version 7): the
 * Unix time in milliseconds, then a 74-bit number that starts at random and
 * counts up. Each new id is then the largest of its index, which SQLite
 * appends at the right edge of the b-tree instead of at a random page:
 * measured on 200,000 rows, random (version 4) ids made every index of the
 * import a scattered write once the transaction outgrew the page cache. */
typedef struct
{
  guint64 millis;
  guint64 high;     /* the 12 bits after the version (rand_a) */
  guint64 low;      /* the 62 bits after the variant (rand_b) */
} IdSeries;

#define ID_LOW_LIMIT (G_GUINT64_CONSTANT (1) << 62)

static void
id_series_init (IdSeries *series)
{
  /* The top bit of rand_a stays clear: room to count. */
  series->millis = (guint64) (g_get_real_time () / 1000) & G_GUINT64_CONSTANT (0xffffffffffff);
  series->high = g_random_int () & 0x7ff;
  series->low = (((guint64) g_random_int () << 32) | g_random_int ()) & (ID_LOW_LIMIT - 1);
}

/* Writes @value as @digits lower-case hexadecimal digits. */
static char *
put_hex (char    *out,
         guint64  value,
         guint    digits)
{
  static const char hex[] = "0123456789abcdef";

  for (guint i = digits; i > 0; i--)
    {
      out[i - 1] = hex[value & 0xf];
      value >>= 4;
    }
  return out + digits;
}

static char *
id_series_next (IdSeries *series)
{
  char *id = g_malloc (37);
  char *p = id;

  /* 8-4-4-4-12: time (48 bits), version 7 and rand_a, variant and the top
   * of rand_b, the rest of rand_b. */
  p = put_hex (p, series->millis >> 16, 8);
  *p++ = '-';
  p = put_hex (p, series->millis & 0xffff, 4);
  *p++ = '-';
  p = put_hex (p, 0x7000 | series->high, 4);
  *p++ = '-';
  p = put_hex (p, 0x8000 | (series->low >> 48), 4);
  *p++ = '-';
  p = put_hex (p, series->low & G_GUINT64_CONSTANT (0xffffffffffff), 12);
  *p = '\0';

  if (++series->low == ID_LOW_LIMIT)
    {
      series->low = 0;
      series->high = (series->high + 1) & 0xfff;
    }
  return id;
}

/* ---- import: checks against the database --------------------------------- */

/* A debtor of the list: known in the store, or to be created from its first
 * row. */
typedef struct
{
  char                 *id;
  gint64                num;          /* debtors.num once written; 0 before */
  gboolean              is_new;
  gboolean              is_company;
  char                 *deceased_on;
  char                 *ceased_on;
  gboolean              has_partner;
  const EsaLoadListRow *first;        /* the first imported row of the debtor */
  GString              *refs;         /* of a new debtor: its search document's references */
} Debtor;

static void
debtor_free (Debtor *debtor)
{
  g_free (debtor->id);
  g_free (debtor->deceased_on);
  g_free (debtor->ceased_on);
  if (debtor->refs != NULL)
    g_string_free (debtor->refs, TRUE);
  g_free (debtor);
}

/* Finds the debtor with @row's tax id, preferring one of @office_id, or
 * makes a new one. */
static Debtor *
find_debtor (EsaStore              *self,
             IdSeries              *ids,
             GHashTable            *debtors,
             const EsaLoadListRow  *row,
             const char            *office_id,
             GError               **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  Debtor *debtor = g_hash_table_lookup (debtors, row->tax_id);
  gboolean found;

  if (debtor != NULL)
    return debtor;

  /* The debtors_tax_id index gives them in the order of num, so no sort is
   * needed: sorting for "ORDER BY … LIMIT 1" opened a temporary b-tree per
   * tax id, a tenth of a 200,000-row import. The first of @office_id wins,
   * else the first. */
  stmt = _esa_store_prepare (self,
                             "SELECT d.id, d.num, d.kind, d.deceased_on, d.ceased_on, "
                             "  EXISTS (SELECT 1 FROM relations r "
                             "          WHERE r.debtor_id = d.id AND r.kind = 'partner'), "
                             "  d.office_id IS ?2 "
                             "FROM debtors d WHERE d.tax_id = ?1 ORDER BY d.num",
                             error);
  if (stmt == NULL)
    return NULL;
  _esa_stmt_bind_text (stmt, 1, row->tax_id);
  _esa_stmt_bind_text (stmt, 2, office_id);
  if (!_esa_store_step (self, stmt, &found, error))
    return NULL;
  if (found && sqlite3_column_int (stmt, 6) == 0)
    {
      gboolean more = TRUE;

      /* Steps on to the office's own debtor, or back to the first. */
      while (more && sqlite3_column_int (stmt, 6) == 0)
        if (!_esa_store_step (self, stmt, &more, error))
          return NULL;
      if (!more)
        {
          sqlite3_reset (stmt);
          if (!_esa_store_step (self, stmt, &found, error))
            return NULL;
        }
    }

  debtor = g_new0 (Debtor, 1);
  if (found)
    {
      debtor->id = _esa_stmt_dup_text (stmt, 0);
      debtor->num = sqlite3_column_int64 (stmt, 1);
      debtor->is_company = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 2),
                                      "company") == 0;
      debtor->deceased_on = _esa_stmt_dup_text (stmt, 3);
      debtor->ceased_on = _esa_stmt_dup_text (stmt, 4);
      debtor->has_partner = sqlite3_column_int (stmt, 5) != 0;
    }
  else
    {
      debtor->id = id_series_next (ids);
      debtor->is_new = TRUE;
      debtor->is_company = g_str_equal (row->tax_id_kind, "piva")
                           || g_str_equal (row->tax_id_kind, "uid");
    }

  g_hash_table_insert (debtors, (gpointer) row->tax_id, debtor);
  return debtor;
}

static gint64
row_total (const EsaLoadListRow *row)
{
  return row->principal + row->sanctions + row->interest + row->costs;
}

/* The same debt already among the body's positions (of any debtor with the
 * tax id), unless it was cancelled. */
static gboolean
check_already_loaded (EsaStore              *self,
                      const char            *body_id,
                      const EsaLoadListRow  *row,
                      EsaLoadListReport     *report,
                      gboolean              *out_rejected,
                      GError               **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean found;

  stmt = _esa_store_prepare (self,
                             "SELECT coalesce(l.reference, '') FROM debtors d "
                             "JOIN positions p ON p.debtor_id = d.id "
                             "LEFT JOIN load_lists l ON l.id = p.load_list_id "
                             "WHERE d.tax_id = ?1 AND p.body_id = ?2 AND p.reference = ?3 "
                             "AND p.revenue_type = ?4 AND p.year = ?5 AND p.state <> 'cancelled' "
                             "LIMIT 1",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, row->tax_id);
  _esa_stmt_bind_text (stmt, 2, body_id);
  _esa_stmt_bind_text (stmt, 3, row->reference);
  _esa_stmt_bind_text (stmt, 4, row->revenue_type);
  sqlite3_bind_int (stmt, 5, row->year);
  if (!_esa_store_step (self, stmt, &found, error))
    return FALSE;

  if (found)
    {
      const char *list = (const char *) sqlite3_column_text (stmt, 0);

      if (list[0] != '\0')
        /* Translators: "position TARI-2024-0042 (TARI 2024) of RSSMRA85T10A562S is already in
         * the database, from load list TARI 2024 spring" */
        esa_load_list_report_add (report, row->line, ESA_LOAD_LIST_REASON_ALREADY_LOADED,
                                  "reference",
                                  _("position %s (%s %d) of %s is already in the database, "
                                    "from load list %s"),
                                  row->reference, row->revenue_type, row->year, row->tax_id,
                                  list);
      else
        esa_load_list_report_add (report, row->line, ESA_LOAD_LIST_REASON_ALREADY_LOADED,
                                  "reference",
                                  _("position %s (%s %d) of %s is already in the database"),
                                  row->reference, row->revenue_type, row->year, row->tax_id);
      *out_rejected = TRUE;
    }
  return TRUE;
}

/* What the CHECK constraints of debtors and positions ask of a row's values
 * (see _esa_store_checks_off()). A reader never gives other values; rows made by
 * other code might. */
static gboolean
check_row_values (const EsaLoadListRow  *row,
                  GError               **error)
{
  static const char * const kinds[] = { "cf", "piva", "ahv", "uid" };
  gboolean kind_ok = FALSE;

  for (guint k = 0; k < G_N_ELEMENTS (kinds) && row->tax_id_kind != NULL; k++)
    kind_ok = kind_ok || g_str_equal (row->tax_id_kind, kinds[k]);
  if (!kind_ok)
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("line %u: “%s” is not a kind of tax id"), row->line,
                            row->tax_id_kind != NULL ? row->tax_id_kind : "");
  if (row->principal < 0 || row->sanctions < 0 || row->interest < 0 || row->costs < 0)
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("line %u: an amount is negative"), row->line);
  return TRUE;
}

/* The register data of a known debtor. */
static void
check_debtor (const Debtor          *debtor,
              const EsaLoadListRow  *row,
              const char            *currency,
              EsaLoadListReport     *report,
              gboolean              *out_rejected)
{
  if (debtor->deceased_on != NULL && row->sanctions > 0)
    {
      g_autofree char *sanctions = esa_money_format (row->sanctions, currency);

      /* Translators: "the debtor died on 2024-03-02: sanctions (€ 50,00) are not passed on
       * to the heirs; the sanction goes back to the creditor" */
      esa_load_list_report_add (report, row->line, ESA_LOAD_LIST_REASON_DECEASED_SANCTIONS,
                                "sanctions",
                                _("the debtor died on %s: sanctions (%s) are not passed on to "
                                  "the heirs; the sanction goes back to the creditor"),
                                debtor->deceased_on, sanctions);
      *out_rejected = TRUE;
    }

  if (debtor->is_company && debtor->ceased_on != NULL && !debtor->has_partner)
    {
      /* Translators: "the company ceased trading on 2023-06-30 and no partner is recorded:
       * record its partners before loading its debts" */
      esa_load_list_report_add (report, row->line, ESA_LOAD_LIST_REASON_CEASED_NO_PARTNERS,
                                "tax_id",
                                _("the company ceased trading on %s and no partner is "
                                  "recorded: record its partners before loading its debts"),
                                debtor->ceased_on);
      *out_rejected = TRUE;
    }
}

/* ---- import: payment references ------------------------------------------ */

/* Payment references are given in one series per body: pagoPA notice
 * numbers "3" + segregation code + 13 digits + check digits, or QR
 * references of 9 digits of the body (its UID) + 17 digits + check digit.
 * The next number follows the highest the database holds in the series, so
 * that a list never reuses a reference; the positions_payment_reference
 * index finds it in one step. */
typedef struct
{
  gboolean italian;
  char     prefix[16];
  guint    prefix_length;
  guint    digits;          /* of the running number */
  guint    length;          /* of the whole reference */
  guint64  next;
} ReferenceSeries;

static gboolean
series_init (EsaStore         *self,
             const Body       *body,
             ReferenceSeries  *series,
             GError          **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  char upper[16];
  gboolean row;

  memset (series, 0, sizeof *series);
  series->italian = g_str_equal (body->country, "IT");

  if (series->italian)
    {
      if (body->segregation_code == NULL)
        return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                                _("Creditor body %s has no pagoPA segregation code: its positions "
                                  "cannot "
                                  "get notice numbers"),
                                body->name);
      g_snprintf (series->prefix, sizeof series->prefix, "3%s", body->segregation_code);
      series->digits = 13;
      series->length = 18;
    }
  else
    {
      guint n = 0;

      /* The nine digits of the UID "CHE123456789", or zeros without one. */
      for (const char *p = body->tax_code; p != NULL && *p != '\0' && n < 9; p++)
        if (g_ascii_isdigit (*p))
          series->prefix[n++] = *p;
      while (n < 9)
        series->prefix[n++] = '0';
      series->prefix[n] = '\0';
      series->digits = 17;
      series->length = 27;
    }
  series->prefix_length = strlen (series->prefix);

  /* The smallest text above every reference of the series: the prefix with
   * its last digit raised, or a colon (after '9') when it is a 9. */
  g_strlcpy (upper, series->prefix, sizeof upper);
  if (upper[series->prefix_length - 1] == '9')
    upper[series->prefix_length - 1] = ':';
  else
    upper[series->prefix_length - 1]++;

  stmt = _esa_store_prepare (self,
                             "SELECT payment_reference FROM positions "
                             "WHERE payment_reference >= ?1 AND payment_reference < ?2 "
                             "AND length(payment_reference) = ?3 "
                             "ORDER BY payment_reference DESC LIMIT 1",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, series->prefix);
  _esa_stmt_bind_text (stmt, 2, upper);
  sqlite3_bind_int (stmt, 3, (int) series->length);
  if (!_esa_store_step (self, stmt, &row, error))
    return FALSE;

  series->next = 1;
  if (row)
    {
      const char *last = (const char *) sqlite3_column_text (stmt, 0);
      g_autofree char *number = g_strndup (last + series->prefix_length, series->digits);

      series->next = g_ascii_strtoull (number, NULL, 10) + 1;
    }
  return TRUE;
}

static char *
series_take (ReferenceSeries  *series,
             const Body       *body,
             GError          **error)
{
  char digits[32];
  guint64 limit = 1;

  for (guint i = 0; i < series->digits; i++)
    limit *= 10;
  if (series->next >= limit)
    {
      _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                       _("The payment references of creditor body %s are used up"), body->name);
      return NULL;
    }

  g_snprintf (digits, sizeof digits, "%s%0*" G_GUINT64_FORMAT, series->prefix,
              (int) series->digits, series->next++);
  if (series->italian)
    return esa_pagopa_notice_compose (3, body->segregation_code, digits + 3);
  return esa_qr_reference_compose (digits);
}

/* ---- import: writing ---------------------------------------------------- */

/* The rows of a list reach the server in parts: one "event" operation
 * "load_list_part" per PART_ROWS positions, carrying every row the part
 * created, table by table in the order they apply (debtors, addresses,
 * positions, rejected rows). Each table comes as
 *
 *   { "columns": ["id", "debtor_id", …], "rows": [["…", "…", …], …],
 *     "values": { "body_id": "…", "state": "open", … } }
 *
 * where a row is the full row as stored, its columns named once in
 * "columns", and "values" the columns every row of the part shares. Measured
 * on 200,000 rows: one operation per row (520,000 operations, the form of a
 * single creation) took a third of the import and its op_id index thrashed
 * the page cache; one operation per part costs a string append per row, and
 * the columnar form halves the bytes the outbox stores and sends. */
#define PART_ROWS 1000

typedef enum
{
  PART_DEBTORS,
  PART_ADDRESSES,
  PART_POSITIONS,
  PART_REJECTIONS,
  N_PART_TABLES
} PartTable;

static const struct
{
  const char *name;
  const char *columns;      /* JSON array text */
} part_tables[N_PART_TABLES] = {
  { "debtors", "[\"id\",\"kind\",\"name\",\"tax_id\",\"tax_id_kind\"]" },
  { "addresses", "[\"id\",\"debtor_id\",\"street\",\"postcode\",\"town\",\"country\"]" },
  { "positions", "[\"id\",\"debtor_id\",\"revenue_type\",\"year\",\"reference\","
                 "\"payment_reference\",\"due_date\",\"principal\",\"sanctions\",\"interest\","
                 "\"costs\",\"load_list_line\"]" },
  { "load_list_rejections", "[\"id\",\"line\",\"reason\",\"field\",\"message\"]" },
};

/* The rows go into the tables BATCH_ROWS at a time, one INSERT with that
 * many VALUES rows: the cost SQLite has per statement (opening a cursor on
 * the table and on each of its indexes, the statement journal, the foreign
 * key counters) is then paid once per batch instead of once per row. A batch
 * of debtors is written before a batch of addresses or positions that may
 * name them, so that every foreign key holds when its statement ends. */
#define BATCH_ROWS 64
#define BATCH_MAX_COLUMNS 15

typedef enum
{
  BATCH_DEBTORS,
  BATCH_ADDRESSES,
  BATCH_POSITIONS,
  N_BATCHES
} BatchTable;

static const struct
{
  const char *head;
  guint       n_columns;
} batch_tables[N_BATCHES] = {
  { "INSERT INTO debtors (id, kind, name, tax_id, tax_id_kind, num, office_id) VALUES ", 7 },
  { "INSERT INTO addresses (id, debtor_id, street, postcode, town, country) VALUES ", 6 },
  { "INSERT INTO positions (id, debtor_id, revenue_type, year, reference, payment_reference, "
    "due_date, principal, sanctions, interest, costs, load_list_line, body_id, load_list_id, "
    "currency) VALUES ", 15 },
};

/* A text (NULL for SQL NULL) or an integer. */
typedef struct
{
  const char *text;
  gint64      number;
  gboolean    is_number;
} BatchValue;

typedef struct
{
  EsaStoreStmt *full;       /* BATCH_ROWS rows */
  EsaStoreStmt *single;     /* one row: for the last, short batch */
  BatchValue    values[BATCH_ROWS * BATCH_MAX_COLUMNS];
  guint         n_values;
  GPtrArray    *owned;      /* the texts of the rows in values that the batch frees */
} Batch;

typedef struct
{
  EsaStore                       *store;
  const char                     *body_id;
  const Body                     *body;
  const EsaLoadListImportOptions *options;
  const char                     *user_id;
  const char                     *office_id;
  const char                     *list_id;
  const char                     *reference;
  const char                     *now;
  IdSeries                        ids;
  Batch                           batches[N_BATCHES];
  gint64                          next_num;     /* debtors.num of the next new debtor */
  gint                            checks;       /* PRAGMA ignore_check_constraints before */
  /* The outbox operation being filled: the rows of each table as JSON
   * arrays, sent every PART_ROWS positions. */
  GString                        *part[N_PART_TABLES];
  GString                        *row;          /* the row being written */
  gboolean                        row_first;
  guint                           part_positions;
  guint                           part_number;
} Import;

static void
part_row_begin (Import    *import,
                PartTable  table)
{
  import->row = import->part[table];
  if (import->row->len > 0)
    g_string_append_c (import->row, ',');
  g_string_append_c (import->row, '[');
  import->row_first = TRUE;
}

static void
part_text (Import     *import,
           const char *value)
{
  if (!import->row_first)
    g_string_append_c (import->row, ',');
  import->row_first = FALSE;
  if (value != NULL)
    _esa_json_append_string (import->row, value);
  else
    g_string_append (import->row, "null");
}

static void
part_int (Import *import,
          gint64  value)
{
  if (!import->row_first)
    g_string_append_c (import->row, ',');
  import->row_first = FALSE;
  append_int (import->row, value);
}

static void
part_row_end (Import *import)
{
  g_string_append_c (import->row, ']');
}

/* The columns every row of @table shares, as JSON object members. */
static void
append_shared_values (Import    *import,
                      PartTable  table,
                      GString   *text)
{
  switch (table)
    {
    case PART_DEBTORS:
      g_string_append (text, "\"birth_date\":null,\"deceased_on\":null,\"ceased_on\":null,"
                             "\"insolvent_since\":null,\"version\":1,\"office_id\":");
      _esa_json_append_string (text, import->office_id);
      break;
    case PART_ADDRESSES:
      g_string_append (text, "\"valid_from\":null,\"valid_to\":null,\"version\":1");
      break;
    case PART_POSITIONS:
      g_string_append (text, "\"paid\":0,\"state\":\"open\",\"version\":1,\"body_id\":");
      _esa_json_append_string (text, import->body_id);
      g_string_append (text, ",\"load_list_id\":");
      _esa_json_append_string (text, import->list_id);
      g_string_append (text, ",\"currency\":");
      _esa_json_append_string (text, import->body->currency);
      break;
    case PART_REJECTIONS:
    case N_PART_TABLES:
    default:
      g_string_append (text, "\"version\":1,\"load_list_id\":");
      _esa_json_append_string (text, import->list_id);
      break;
    }
}

/* Sends the current part as one operation. */
static gboolean
part_flush (Import  *import,
            GError **error)
{
  g_autoptr(GString) text = NULL;
  gsize size = 256;

  for (guint i = 0; i < N_PART_TABLES; i++)
    size += import->part[i]->len + 256;
  if (size == 256 + 256 * N_PART_TABLES)
    return TRUE;

  text = g_string_sized_new (size);
  g_string_append (text, "{\"load_list_id\":");
  _esa_json_append_string (text, import->list_id);
  g_string_append_printf (text, ",\"part\":%u", import->part_number++);
  for (guint i = 0; i < N_PART_TABLES; i++)
    {
      g_string_append_printf (text, ",\"%s\":{\"columns\":%s,\"values\":{",
                              part_tables[i].name, part_tables[i].columns);
      append_shared_values (import, i, text);
      g_string_append (text, "},\"rows\":[");
      g_string_append_len (text, import->part[i]->str, import->part[i]->len);
      g_string_append (text, "]}");
      g_string_truncate (import->part[i], 0);
    }
  g_string_append_c (text, '}');
  import->part_positions = 0;

  return _esa_store_outbox_append_text (import->store, "event", "load_list_part", import->list_id,
                                        text->str, 0, import->now, error);
}

/* A JSON scalar of a part as JSON text: the parts hold strings, integers
 * and nulls. */
static void
append_part_value (GString  *out,
                   JsonNode *value)
{
  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    g_string_append (out, "null");
  else if (json_node_get_value_type (value) == G_TYPE_STRING)
    _esa_json_append_string (out, json_node_get_string (value));
  else if (json_node_get_value_type (value) == G_TYPE_INT64)
    append_int (out, json_node_get_int (value));
  else
    {
      g_autofree char *text = json_to_string (value, FALSE);

      g_string_append (out, text);
    }
}

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
member_array (JsonObject *object,
              const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static const char *
element_string (JsonArray *array,
                guint      index)
{
  JsonNode *node = json_array_get_element (array, index);

  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

/* One table of a part as row images: the named columns of each row, then
 * the values its rows share. The first column is the key, "id". */
static gboolean
append_part_images (GString     *out,
                    const char  *table,
                    JsonObject  *part)
{
  JsonObject *values = member_object (part, "values");
  JsonArray *columns = member_array (part, "columns");
  JsonArray *rows = member_array (part, "rows");
  g_autoptr(GList) shared = NULL;
  guint n_columns;

  if (values == NULL || columns == NULL || rows == NULL)
    return FALSE;
  n_columns = json_array_get_length (columns);
  if (n_columns == 0 || g_strcmp0 (element_string (columns, 0), "id") != 0)
    return FALSE;
  for (guint c = 0; c < n_columns; c++)
    if (element_string (columns, c) == NULL)
      return FALSE;
  shared = json_object_get_members (values);

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *node = json_array_get_element (rows, i);
      JsonArray *row = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

      if (row == NULL || json_array_get_length (row) != n_columns
          || element_string (row, 0) == NULL)
        return FALSE;

      if (out->len > 1)
        g_string_append_c (out, ',');
      g_string_append (out, "{\"t\":");
      _esa_json_append_string (out, table);
      g_string_append (out, ",\"k\":");
      _esa_json_append_string (out, element_string (row, 0));
      g_string_append (out, ",\"before\":null,\"after\":{");
      for (guint c = 0; c < n_columns; c++)
        {
          if (c > 0)
            g_string_append_c (out, ',');
          _esa_json_append_string (out, element_string (columns, c));
          g_string_append_c (out, ':');
          append_part_value (out, json_array_get_element (row, c));
        }
      for (GList *l = shared; l != NULL; l = l->next)
        {
          g_string_append_c (out, ',');
          _esa_json_append_string (out, l->data);
          g_string_append_c (out, ':');
          append_part_value (out, json_object_get_member (values, l->data));
        }
      g_string_append (out, "}}");
    }
  return TRUE;
}

char *
_esa_store_load_list_part_images (const char *payload)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GString) out = g_string_new ("[");
  JsonNode *root;

  g_return_val_if_fail (payload != NULL, NULL);

  if (!json_parser_load_from_data (parser, payload, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  /* In the order the part applies them: parents first. */
  for (guint i = 0; i < N_PART_TABLES; i++)
    {
      JsonObject *part = member_object (json_node_get_object (root), part_tables[i].name);

      if (part == NULL || !append_part_images (out, part_tables[i].name, part))
        return NULL;
    }
  g_string_append_c (out, ']');
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
batch_sql (BatchTable table,
           guint      n_rows)
{
  GString *sql = g_string_new (batch_tables[table].head);

  for (guint r = 0; r < n_rows; r++)
    {
      g_string_append (sql, r > 0 ? ",(" : "(");
      for (guint c = 0; c < batch_tables[table].n_columns; c++)
        g_string_append (sql, c > 0 ? ",?" : "?");
      g_string_append_c (sql, ')');
    }
  return g_string_free (sql, FALSE);
}

/* The statements are prepared once per store: a bulk import binds them
 * thousands of times. The new debtors are numbered here, after the
 * largest number in use, as SQLite would number them: the number is needed
 * for the search index before the batch is written. */
static gboolean
prepare_inserts (Import  *import,
                 GError **error)
{
  EsaStore *self = import->store;
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row;

  for (guint t = 0; t < N_BATCHES; t++)
    {
      Batch *batch = &import->batches[t];
      g_autofree char *full = batch_sql (t, BATCH_ROWS);
      g_autofree char *single = batch_sql (t, 1);

      batch->full = _esa_store_prepare (self, full, error);
      if (batch->full == NULL)
        return FALSE;
      batch->single = _esa_store_prepare (self, single, error);
      if (batch->single == NULL)
        return FALSE;
      batch->owned = g_ptr_array_new_with_free_func (g_free);
    }

  stmt = _esa_store_prepare (self, "SELECT coalesce(max(num), 0) FROM debtors", error);
  if (stmt == NULL || !_esa_store_step (self, stmt, &row, error))
    return FALSE;
  import->next_num = sqlite3_column_int64 (stmt, 0) + 1;
  return TRUE;
}

static void
clear_inserts (Import *import)
{
  for (guint t = 0; t < N_BATCHES; t++)
    {
      Batch *batch = &import->batches[t];

      g_clear_pointer (&batch->full, _esa_store_stmt_release);
      g_clear_pointer (&batch->single, _esa_store_stmt_release);
      g_clear_pointer (&batch->owned, g_ptr_array_unref);
    }
}

/* A text that outlives the batch: the rows' strings and the import's ids
 * live as long as the import. */
static void
batch_text (Batch      *batch,
            const char *text)
{
  batch->values[batch->n_values++] = (BatchValue) { text, 0, FALSE };
}

/* A text the batch frees once written. */
static void
batch_take_text (Batch *batch,
                 char  *text)
{
  g_ptr_array_add (batch->owned, text);
  batch_text (batch, text);
}

static void
batch_int (Batch  *batch,
           gint64  number)
{
  batch->values[batch->n_values++] = (BatchValue) { NULL, number, TRUE };
}

static void
bind_values (EsaStoreStmt     *stmt,
             const BatchValue *values,
             guint             n_values)
{
  for (guint i = 0; i < n_values; i++)
    {
      if (values[i].is_number)
        sqlite3_bind_int64 (stmt, (int) i + 1, values[i].number);
      else
        sqlite3_bind_text (stmt, (int) i + 1, values[i].text, -1, SQLITE_STATIC);
    }
}

static gboolean
batch_write (Import      *import,
             BatchTable   table,
             GError     **error)
{
  Batch *batch = &import->batches[table];
  guint n_columns = batch_tables[table].n_columns;
  gboolean ok = TRUE;

  if (batch->n_values == BATCH_ROWS * n_columns)
    {
      bind_values (batch->full, batch->values, batch->n_values);
      ok = _esa_store_step_done (import->store, batch->full, error);
      _esa_store_stmt_release (batch->full);
    }
  else
    {
      for (guint i = 0; ok && i < batch->n_values; i += n_columns)
        {
          bind_values (batch->single, batch->values + i, n_columns);
          ok = _esa_store_step_done (import->store, batch->single, error);
          _esa_store_stmt_release (batch->single);
        }
    }

  batch->n_values = 0;
  g_ptr_array_set_size (batch->owned, 0);
  return ok;
}

/* Writes the rows waiting in @table's batch, after those of the tables
 * they may name. */
static gboolean
batches_write (Import      *import,
               BatchTable   table,
               GError     **error)
{
  for (guint t = 0; t <= table; t++)
    {
      if (!batch_write (import, t, error))
        return FALSE;
    }
  return TRUE;
}

/* Ends a row of @table's batch, and writes the batch once full. */
static gboolean
batch_row_end (Import      *import,
               BatchTable   table,
               GError     **error)
{
  const Batch *batch = &import->batches[table];

  return batch->n_values < BATCH_ROWS * batch_tables[table].n_columns
         || batches_write (import, table, error);
}

/* A value of the row being written, into its table's batch and into the
 * outbox part: the columns of each batch start with those of its part. */
static void
put_text (Import     *import,
          Batch      *batch,
          const char *text)
{
  batch_text (batch, text);
  part_text (import, text);
}

/* The same for a text the batch frees once written. */
static void
put_taken_text (Import *import,
                Batch  *batch,
                char   *text)
{
  batch_take_text (batch, text);
  part_text (import, text);
}

static void
put_int (Import *import,
         Batch  *batch,
         gint64  number)
{
  batch_int (batch, number);
  part_int (import, number);
}

static gboolean
write_debtor (Import       *import,
              Debtor       *debtor,
              GError      **error)
{
  const EsaLoadListRow *row = debtor->first;
  const char *kind = debtor->is_company ? "company" : "person";
  Batch *batch = &import->batches[BATCH_DEBTORS];

  part_row_begin (import, PART_DEBTORS);
  put_text (import, batch, debtor->id);
  put_text (import, batch, kind);
  put_text (import, batch, row->name);
  put_text (import, batch, row->tax_id);
  put_text (import, batch, row->tax_id_kind);
  part_row_end (import);
  debtor->num = import->next_num++;
  batch_int (batch, debtor->num);
  batch_text (batch, import->office_id);
  if (!batch_row_end (import, BATCH_DEBTORS, error))
    return FALSE;

  batch = &import->batches[BATCH_ADDRESSES];
  part_row_begin (import, PART_ADDRESSES);
  put_taken_text (import, batch, id_series_next (&import->ids));
  put_text (import, batch, debtor->id);
  put_text (import, batch, row->street);
  put_text (import, batch, row->postcode);
  put_text (import, batch, row->town);
  put_text (import, batch, row->country);
  part_row_end (import);
  return batch_row_end (import, BATCH_ADDRESSES, error);
}

/* Takes @payment_reference. */
static gboolean
write_position (Import                *import,
                const Debtor          *debtor,
                const EsaLoadListRow  *row,
                char                  *payment_reference,
                GError               **error)
{
  Batch *batch = &import->batches[BATCH_POSITIONS];

  part_row_begin (import, PART_POSITIONS);
  put_taken_text (import, batch, id_series_next (&import->ids));
  put_text (import, batch, debtor->id);
  put_text (import, batch, row->revenue_type);
  put_int (import, batch, row->year);
  put_text (import, batch, row->reference);
  put_taken_text (import, batch, payment_reference);
  put_text (import, batch, row->due_date);
  put_int (import, batch, row->principal);
  put_int (import, batch, row->sanctions);
  put_int (import, batch, row->interest);
  put_int (import, batch, row->costs);
  put_int (import, batch, row->line);
  part_row_end (import);
  batch_text (batch, import->body_id);
  batch_text (batch, import->list_id);
  batch_text (batch, import->body->currency);
  if (!batch_row_end (import, BATCH_POSITIONS, error))
    return FALSE;

  return ++import->part_positions < PART_ROWS || part_flush (import, error);
}

/* The report of the rows left out, kept with the list. */
static gboolean
write_rejections (Import             *import,
                  EsaLoadListReport  *report,
                  GError            **error)
{
  EsaStore *self = import->store;
  g_autoptr(EsaStoreStmt) stmt = NULL;

  stmt = _esa_store_prepare (self,
                             "INSERT INTO load_list_rejections (id, load_list_id, line, reason, "
                             "field, message) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                             error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < report->issues->len; i++)
    {
      const EsaLoadListIssue *issue = g_ptr_array_index (report->issues, i);
      const char *reason = esa_load_list_reason_to_string (issue->reason);
      g_autofree char *id = id_series_next (&import->ids);

      _esa_stmt_bind_text (stmt, 1, id);
      _esa_stmt_bind_text (stmt, 2, import->list_id);
      sqlite3_bind_int (stmt, 3, (int) issue->line);
      _esa_stmt_bind_text (stmt, 4, reason);
      _esa_stmt_bind_text (stmt, 5, issue->field);
      _esa_stmt_bind_text (stmt, 6, issue->message);
      if (!_esa_store_step_done (self, stmt, error))
        return FALSE;
      sqlite3_reset (stmt);

      part_row_begin (import, PART_REJECTIONS);
      part_text (import, id);
      part_int (import, issue->line);
      part_text (import, reason);
      part_text (import, issue->field);
      part_text (import, issue->message);
      part_row_end (import);
    }
  return TRUE;
}

/* The office new debtors go to. */
static char *
choose_office (EsaStore    *self,
               const char  *body_id,
               const char  *given,
               const char  *user_office,
               GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row;

  if (given != NULL)
    {
      gboolean serves;

      if (!office_serves_body (self, given, body_id, &serves, error))
        return NULL;
      if (!serves)
        {
          _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                           _("Office %s does not work for creditor body %s"), given, body_id);
          return NULL;
        }
      return g_strdup (given);
    }

  stmt = _esa_store_prepare (self,
                             "SELECT o.id FROM office_bodies ob "
                             "JOIN offices o ON o.id = ob.office_id "
                             "WHERE ob.body_id = ?1 "
                             "ORDER BY o.id IS ?2 DESC, o.name, o.id LIMIT 1",
                             error);
  if (stmt == NULL)
    return NULL;
  _esa_stmt_bind_text (stmt, 1, body_id);
  _esa_stmt_bind_text (stmt, 2, user_office);
  if (!_esa_store_step (self, stmt, &row, error))
    return NULL;
  if (!row)
    {
      _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                       _("No office works for creditor body %s: its debtors would have no office"),
                       body_id);
      return NULL;
    }
  return _esa_stmt_dup_text (stmt, 0);
}

static gboolean
check_not_imported_before (EsaStore    *self,
                           const char  *body_id,
                           const char  *sha256,
                           GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row;

  if (sha256 == NULL)
    return TRUE;

  stmt = _esa_store_prepare (self,
                             "SELECT reference, coalesce(imported_at, received_on) FROM load_lists "
                             "WHERE file_sha256 = ?1 AND body_id = ?2 AND state <> 'rejected' "
                             "LIMIT 1",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, sha256);
  _esa_stmt_bind_text (stmt, 2, body_id);
  if (!_esa_store_step (self, stmt, &row, error))
    return FALSE;
  if (row)
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("This file was already imported as load list “%s” (%s)"),
                            (const char *) sqlite3_column_text (stmt, 0),
                            (const char *) sqlite3_column_text (stmt, 1));
  return TRUE;
}

static gint
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The list's revenue types ("IMU" or "IMU, TARI") and latest year. */
static char *
describe_revenue_types (EsaLoadListRows *rows,
                        const guint8    *rejected,
                        gint            *out_year)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) types = g_ptr_array_new ();
  gint year = 0;

  for (guint i = 0; i < rows->rows->len; i++)
    {
      const EsaLoadListRow *row = &g_array_index (rows->rows, EsaLoadListRow, i);

      if (rejected[i])
        continue;
      year = MAX (year, row->year);
      if (g_hash_table_add (seen, (gpointer) row->revenue_type))
        g_ptr_array_add (types, (gpointer) row->revenue_type);
    }
  g_ptr_array_sort (types, compare_strings);

  *out_year = year;
  g_ptr_array_add (types, NULL);
  return g_strjoinv (", ", (char **) types->pdata);
}

static gboolean
write_load_list (Import           *import,
                 EsaLoadListRows  *rows,
                 const guint8     *rejected,
                 guint             n_rejected,
                 guint             n_positions,
                 guint             n_new_debtors,
                 gint64            total,
                 GError          **error)
{
  EsaStore *self = import->store;
  const EsaLoadListImportOptions *options = import->options;
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autoptr(JsonNode) payload = NULL;
  g_autofree char *revenue_types = NULL;
  g_autofree char *received_on = NULL;
  const char *procedure_id = options->procedure_id;
  gint year;

  if (options->received_on != NULL)
    {
      GDate date;
      g_autoptr(GError) local_error = NULL;

      if (!esa_date_parse_iso (options->received_on, &date, &local_error))
        return _esa_store_fail (error, ESA_STORE_ERROR_INVALID, _("Date of receipt: %s"),
                                local_error->message);
      received_on = g_strdup (options->received_on);
    }
  else
    {
      received_on = today_iso ();
    }

  if (procedure_id == NULL)
    procedure_id = g_str_equal (import->body->country, "IT") ? "it-coercive" : "ch-lef";

  revenue_types = describe_revenue_types (rows, rejected, &year);

  stmt = _esa_store_prepare (self,
                             "INSERT INTO load_lists (id, body_id, reference, revenue_type, year, "
                             "resource, budget_chapter, received_on, state, imported_by, "
                             "file_name, file_sha256, procedure_id, currency, row_count, "
                             "rejected_count, position_count, new_debtor_count, total, "
                             "imported_at) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'imported', ?9, ?10, ?11, "
                             "?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, import->list_id);
  _esa_stmt_bind_text (stmt, 2, import->body_id);
  _esa_stmt_bind_text (stmt, 3, import->reference);
  _esa_stmt_bind_text (stmt, 4, revenue_types);
  sqlite3_bind_int (stmt, 5, year);
  _esa_stmt_bind_text (stmt, 6, options->resource);
  _esa_stmt_bind_text (stmt, 7, options->budget_chapter);
  _esa_stmt_bind_text (stmt, 8, received_on);
  _esa_stmt_bind_text (stmt, 9, import->user_id);
  _esa_stmt_bind_text (stmt, 10, options->file_name);
  _esa_stmt_bind_text (stmt, 11, options->file_sha256);
  _esa_stmt_bind_text (stmt, 12, procedure_id);
  _esa_stmt_bind_text (stmt, 13, import->body->currency);
  sqlite3_bind_int64 (stmt, 14, n_positions + n_rejected);
  sqlite3_bind_int64 (stmt, 15, n_rejected);
  sqlite3_bind_int64 (stmt, 16, n_positions);
  sqlite3_bind_int64 (stmt, 17, n_new_debtors);
  sqlite3_bind_int64 (stmt, 18, total);
  _esa_stmt_bind_text (stmt, 19, import->now);
  if (!_esa_store_step_done (self, stmt, error))
    return FALSE;

  payload = _esa_store_row_to_json (self, "load_lists", import->list_id, error);
  return payload != NULL
         && _esa_store_outbox_append (self, "event", "load_list", import->list_id, payload, 0,
                                      error);
}

static gboolean
audit_load_list (Import       *import,
                 guint         n_positions,
                 guint         n_debtors,
                 guint         n_new_debtors,
                 guint         n_rejected,
                 gint64        total,
                 GError      **error)
{
  g_autofree char *total_text = esa_money_format (total, import->body->currency);
  g_autofree char *positions = NULL;
  g_autofree char *debtors = NULL;
  g_autofree char *summary = NULL;
  const char *file_name = import->options->file_name;

  positions = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u position", "%u positions",
                                            n_positions),
                               n_positions);
  /* Translators: "for 120 debtors (15 new)" */
  debtors = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "for %u debtor (%u new)",
                                          "for %u debtors (%u new)", n_debtors),
                             n_debtors, n_new_debtors);
  if (n_rejected > 0)
    {
      g_autofree char *left_out = NULL;

      left_out = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u row left out",
                                               "%u rows left out", n_rejected),
                                  n_rejected);
      /* Translators: "Load list TARI 2024 imported from tari.csv: 1200 positions for 950
       * debtors (15 new), total € 12.345,00; 3 rows left out" */
      summary = g_strdup_printf (_("Load list %s imported from %s: %s %s, total %s; %s"),
                                 import->reference, file_name != NULL ? file_name : "-",
                                 positions, debtors, total_text, left_out);
    }
  else
    {
      /* Translators: "Load list TARI 2024 imported from tari.csv: 1200 positions for 950
       * debtors (15 new), total € 12.345,00" */
      summary = g_strdup_printf (_("Load list %s imported from %s: %s %s, total %s"),
                                 import->reference, file_name != NULL ? file_name : "-",
                                 positions, debtors, total_text);
    }

  return _esa_store_audit_append (import->store, import->now, import->user_id, "import",
                                  "load_list", import->list_id, NULL, summary, error);
}

static gboolean
run_import (Import             *import,
            EsaLoadListRows    *rows,
            EsaLoadListReport  *report,
            char              **out_id,
            GError            **error)
{
  EsaStore *self = import->store;
  const EsaLoadListImportOptions *options = import->options;
  g_auto(Body) body = { NULL, };
  g_autoptr(GHashTable) debtors = NULL;
  g_autoptr(GPtrArray) touched = NULL;
  g_autofree guint8 *rejected = NULL;
  g_autofree gint64 *nums = NULL;
  g_autofree char *user_office = NULL;
  g_autofree char *office_id = NULL;
  g_autofree char *list_id = NULL;
  g_autofree char *reference = NULL;
  ReferenceSeries series;
  guint n_rows = rows->rows->len;
  guint n_rejected;
  guint n_positions = 0;
  guint n_new_debtors = 0;
  guint n_nums;
  gint64 total = 0;
  gboolean capture;

  if (import->user_id != NULL)
    {
      EsaRole role;

      if (!read_user (self, import->user_id, &role, &user_office, NULL, error))
        return FALSE;
    }

  if (!read_body (self, import->body_id, &body, error)
      || !check_not_imported_before (self, import->body_id, options->file_sha256, error))
    return FALSE;
  import->body = &body;

  office_id = choose_office (self, import->body_id, options->office_id, user_office, error);
  if (office_id == NULL)
    return FALSE;
  import->office_id = office_id;

  /* The checks that need the database, row by row. */
  debtors = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) debtor_free);
  touched = g_ptr_array_new ();
  rejected = g_new0 (guint8, MAX (n_rows, 1));
  for (guint i = 0; i < n_rows; i++)
    {
      const EsaLoadListRow *row = &g_array_index (rows->rows, EsaLoadListRow, i);
      Debtor *debtor;
      gboolean row_rejected = FALSE;

      if (!check_row_values (row, error))
        return FALSE;
      debtor = find_debtor (self, &import->ids, debtors, row, office_id, error);
      if (debtor == NULL)
        return FALSE;
      if (!debtor->is_new)
        {
          check_debtor (debtor, row, body.currency, report, &row_rejected);
          if (!check_already_loaded (self, import->body_id, row, report, &row_rejected, error))
            return FALSE;
        }
      if (row_rejected)
        {
          rejected[i] = 1;
          continue;
        }

      if (debtor->first == NULL)
        {
          debtor->first = row;
          g_ptr_array_add (touched, debtor);
          if (debtor->is_new)
            n_new_debtors++;
        }
      if (!esa_money_add (total, row_total (row), &total))
        return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                                _("The amounts of the load list add up to more than can be "
                                  "counted"));
      n_positions++;
    }

  esa_load_list_report_sort (report);
  n_rejected = esa_load_list_report_count_rejected (report);
  if (n_rejected > 0 && !options->exclude_rejected)
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            g_dngettext (GETTEXT_PACKAGE,
                                         "%u row of %u was rejected; nothing was imported",
                                         "%u rows of %u were rejected; nothing was imported",
                                         n_rejected),
                            n_rejected, MAX (report->rows, n_rows));
  if (n_positions == 0)
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("The load list has no row that can be imported"));

  list_id = id_series_next (&import->ids);
  import->list_id = list_id;
  reference = g_strdup (options->reference != NULL ? options->reference
                        : options->file_name != NULL ? options->file_name
                        : list_id);
  import->reference = reference;

  if (!write_load_list (import, rows, rejected, n_rejected, n_positions, n_new_debtors, total,
                        error)
      || !series_init (self, &body, &series, error)
      || !prepare_inserts (import, error))
    return FALSE;

  /* The rows of the list travel in the columnar parts, from which the sync
   * push makes their row images (_esa_store_load_list_part_images()): the
   * capture triggers would record every row a second time, as one JSON
   * object each. Measured on 200,000 rows, that doubled the import and
   * stored 216 MB of images beside the 69 MB of parts. The switch is a row
   * of this transaction: a failed import leaves it as it was. */
  capture = esa_store_sync_get_capture (self);
  if (capture && !esa_store_sync_set_capture (self, FALSE, error))
    return FALSE;
  import->checks = _esa_store_checks_off (self);

  for (guint i = 0; i < n_rows; i++)
    {
      const EsaLoadListRow *row = &g_array_index (rows->rows, EsaLoadListRow, i);
      Debtor *debtor;
      char *payment_reference;

      if (rejected[i])
        continue;

      debtor = g_hash_table_lookup (debtors, row->tax_id);
      if (debtor->is_new && debtor->num == 0 && !write_debtor (import, debtor, error))
        return FALSE;

      payment_reference = series_take (&series, &body, error);
      if (payment_reference == NULL)
        return FALSE;
      if (debtor->is_new)
        {
          if (debtor->refs == NULL)
            debtor->refs = g_string_new (NULL);
          _esa_store_search_append_ref (debtor->refs, row->reference, payment_reference);
        }
      if (!write_position (import, debtor, row, payment_reference, error))
        return FALSE;
    }
  /* The last rows, before the capture is switched on again. */
  if (!batches_write (import, BATCH_POSITIONS, error))
    return FALSE;
  _esa_store_checks_restore (self, import->checks);
  import->checks = -1;

  if (report->issues->len > 0 && !write_rejections (import, report, error))
    return FALSE;
  if (!part_flush (import, error)
      || (capture && !esa_store_sync_set_capture (self, TRUE, error)))
    return FALSE;

  if (!audit_load_list (import, n_positions, touched->len, n_new_debtors, n_rejected, total,
                        error))
    return FALSE;
  /* New debtors first, from the rows just written (nothing to delete from
   * the index, nothing to read back), then the known ones, whose documents
   * gain the new references. */
  if (n_new_debtors > 0)
    {
      if (!_esa_store_search_stage_begin (self, error))
        return FALSE;
      for (guint i = 0; i < touched->len; i++)
        {
          const Debtor *debtor = g_ptr_array_index (touched, i);

          if (debtor->is_new
              && !_esa_store_search_stage_add (self, debtor->num, debtor->first->name,
                                               debtor->first->tax_id, debtor->first->street,
                                               debtor->first->postcode, debtor->first->town,
                                               debtor->refs->str, error))
            return FALSE;
        }
      if (!_esa_store_search_stage_index (self, error))
        return FALSE;
    }
  nums = g_new (gint64, MAX (touched->len, 1));
  n_nums = 0;
  for (guint i = 0; i < touched->len; i++)
    {
      const Debtor *debtor = g_ptr_array_index (touched, i);

      if (!debtor->is_new)
        nums[n_nums++] = debtor->num;
    }
  if (!_esa_store_search_index_debtors (self, nums, n_nums, FALSE, error))
    return FALSE;

  *out_id = g_steal_pointer (&list_id);
  return TRUE;
}

char *
esa_store_import_load_list (EsaStore                        *self,
                            const char                      *body_id,
                            EsaLoadListRows                 *rows,
                            const EsaLoadListImportOptions  *options,
                            EsaLoadListReport               *report,
                            GError                         **error)
{
  static const EsaLoadListImportOptions defaults = { NULL, };
  g_autofree char *id = NULL;
  g_autofree char *now = NULL;
  Import import = { NULL, };
  gint64 cache;
  gboolean ok;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (body_id != NULL, NULL);
  g_return_val_if_fail (rows != NULL, NULL);
  g_return_val_if_fail (report != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_esa_store_check_action (self, ESA_ACTION_LOAD_LIST_IMPORT, error))
    return NULL;

  import.store = self;
  import.body_id = body_id;
  import.options = options != NULL ? options : &defaults;
  import.user_id = import.options->user_id != NULL ? import.options->user_id
                                                   : esa_store_get_acting_user (self);
  import.now = now = _esa_store_now_iso ();
  import.checks = -1;

  if (!_esa_store_write_begin (self, error))
    return NULL;
  cache = enlarge_cache (self);
  id_series_init (&import.ids);
  for (guint i = 0; i < N_PART_TABLES; i++)
    import.part[i] = g_string_sized_new (64 * 1024);
  ok = run_import (&import, rows, report, &id, error);
  for (guint i = 0; i < N_PART_TABLES; i++)
    g_string_free (import.part[i], TRUE);
  clear_inserts (&import);
  if (import.checks >= 0)
    _esa_store_checks_restore (self, import.checks);
  ok = _esa_store_write_end (self, ok, error);
  restore_cache (self, cache);
  if (!ok)
    return NULL;

  return g_steal_pointer (&id);
}

/* ---- reading -------------------------------------------------------------- */

#define LOAD_LIST_SELECT \
  "SELECT l.id, l.body_id, b.name, coalesce(l.currency, b.currency), l.reference, l.file_name, " \
  "  l.file_sha256, l.state, l.procedure_id, l.resource, l.budget_chapter, l.received_on, " \
  "  l.imported_at, l.imported_by, iu.name, l.approved_by, au.name, l.approved_on, l.note, " \
  "  l.row_count, l.rejected_count, l.new_debtor_count, " \
  "  (SELECT count(*) FROM positions p WHERE p.load_list_id = l.id), " \
  "  (SELECT count(DISTINCT p.debtor_id) FROM positions p WHERE p.load_list_id = l.id), " \
  "  (SELECT count(DISTINCT cp.case_id) FROM positions p " \
  "     JOIN case_positions cp ON cp.position_id = p.id WHERE p.load_list_id = l.id), " \
  "  (SELECT total(p.principal) FROM positions p WHERE p.load_list_id = l.id), " \
  "  (SELECT total(p.sanctions) FROM positions p WHERE p.load_list_id = l.id), " \
  "  (SELECT total(p.interest) FROM positions p WHERE p.load_list_id = l.id), " \
  "  (SELECT total(p.costs) FROM positions p WHERE p.load_list_id = l.id) " \
  "FROM load_lists l JOIN bodies b ON b.id = l.body_id " \
  "LEFT JOIN users iu ON iu.id = l.imported_by LEFT JOIN users au ON au.id = l.approved_by "

static EsaLoadList *
read_load_list (EsaStoreStmt *stmt)
{
  EsaLoadList *list = g_new0 (EsaLoadList, 1);

  list->id = _esa_stmt_dup_text (stmt, 0);
  list->body_id = _esa_stmt_dup_text (stmt, 1);
  list->body_name = _esa_stmt_dup_text (stmt, 2);
  list->currency = _esa_stmt_dup_text (stmt, 3);
  list->reference = _esa_stmt_dup_text (stmt, 4);
  list->file_name = _esa_stmt_dup_text (stmt, 5);
  list->file_sha256 = _esa_stmt_dup_text (stmt, 6);
  list->state = _esa_stmt_dup_text (stmt, 7);
  list->procedure_id = _esa_stmt_dup_text (stmt, 8);
  list->resource = _esa_stmt_dup_text (stmt, 9);
  list->budget_chapter = _esa_stmt_dup_text (stmt, 10);
  list->received_on = _esa_stmt_dup_text (stmt, 11);
  list->imported_at = _esa_stmt_dup_text (stmt, 12);
  list->imported_by = _esa_stmt_dup_text (stmt, 13);
  list->imported_by_name = _esa_stmt_dup_text (stmt, 14);
  list->approved_by = _esa_stmt_dup_text (stmt, 15);
  list->approved_by_name = _esa_stmt_dup_text (stmt, 16);
  list->approved_on = _esa_stmt_dup_text (stmt, 17);
  list->note = _esa_stmt_dup_text (stmt, 18);
  list->rejected = (guint) sqlite3_column_int64 (stmt, 20);
  list->new_debtors = (guint) sqlite3_column_int64 (stmt, 21);
  list->positions = (guint) sqlite3_column_int64 (stmt, 22);
  list->debtors = (guint) sqlite3_column_int64 (stmt, 23);
  list->cases = (guint) sqlite3_column_int64 (stmt, 24);
  /* total() sums integers exactly as long as they fit a double's 53 bits,
   * far above any list's amounts in cents. */
  list->principal = (gint64) sqlite3_column_double (stmt, 25);
  list->sanctions = (gint64) sqlite3_column_double (stmt, 26);
  list->interest = (gint64) sqlite3_column_double (stmt, 27);
  list->costs = (gint64) sqlite3_column_double (stmt, 28);
  list->total = list->principal + list->sanctions + list->interest + list->costs;
  /* Lists loaded before the file was recorded count their positions. */
  list->rows = MAX ((guint) sqlite3_column_int64 (stmt, 19), list->positions + list->rejected);
  return list;
}

static gboolean
read_groups (EsaStore     *self,
             EsaLoadList  *list,
             GError      **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row;

  stmt = _esa_store_prepare (self,
                             "SELECT revenue_type, year, count(*), count(DISTINCT debtor_id), "
                             "  sum(principal), sum(sanctions), sum(interest), sum(costs) "
                             "FROM positions WHERE load_list_id = ?1 "
                             "GROUP BY revenue_type, year ORDER BY revenue_type, year",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, list->id);

  list->groups = g_ptr_array_new_with_free_func ((GDestroyNotify) esa_load_list_group_free);
  while (_esa_store_step (self, stmt, &row, error))
    {
      EsaLoadListGroup *group;

      if (!row)
        return TRUE;

      group = g_new0 (EsaLoadListGroup, 1);
      group->revenue_type = _esa_stmt_dup_text (stmt, 0);
      group->year = sqlite3_column_int (stmt, 1);
      group->positions = (guint) sqlite3_column_int64 (stmt, 2);
      group->debtors = (guint) sqlite3_column_int64 (stmt, 3);
      group->principal = sqlite3_column_int64 (stmt, 4);
      group->sanctions = sqlite3_column_int64 (stmt, 5);
      group->interest = sqlite3_column_int64 (stmt, 6);
      group->costs = sqlite3_column_int64 (stmt, 7);
      group->total = group->principal + group->sanctions + group->interest + group->costs;
      g_ptr_array_add (list->groups, group);
    }
  return FALSE;
}

static gboolean
read_rejections (EsaStore     *self,
                 EsaLoadList  *list,
                 GError      **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row;

  stmt = _esa_store_prepare (self,
                             "SELECT line, reason, field, message FROM load_list_rejections "
                             "WHERE load_list_id = ?1 ORDER BY line, rowid",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, list->id);

  list->rejections = g_ptr_array_new_with_free_func ((GDestroyNotify) esa_load_list_issue_free);
  while (_esa_store_step (self, stmt, &row, error))
    {
      EsaLoadListIssue *issue;
      const char *reason;

      if (!row)
        return TRUE;

      issue = g_new0 (EsaLoadListIssue, 1);
      issue->line = (guint) sqlite3_column_int (stmt, 0);
      reason = (const char *) sqlite3_column_text (stmt, 1);
      for (guint i = 0; i < ESA_LOAD_LIST_N_REASONS; i++)
        if (g_strcmp0 (reason, reason_names[i]) == 0)
          issue->reason = (EsaLoadListReason) i;
      issue->field = _esa_stmt_dup_text (stmt, 2);
      issue->message = _esa_stmt_dup_text (stmt, 3);
      g_ptr_array_add (list->rejections, issue);
    }
  return FALSE;
}

EsaLoadList *
esa_store_get_load_list (EsaStore    *self,
                         const char  *id,
                         GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autoptr(EsaLoadList) list = NULL;
  gboolean row;
  gboolean ok;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (!_esa_store_read_begin (self, error))
    return NULL;

  stmt = _esa_store_prepare (self, LOAD_LIST_SELECT "WHERE l.id = ?1", error);
  ok = stmt != NULL;
  if (ok)
    {
      _esa_stmt_bind_text (stmt, 1, id);
      ok = _esa_store_step (self, stmt, &row, error);
      if (ok && !row)
        ok = _esa_store_fail (error, ESA_STORE_ERROR_NOT_FOUND, _("No load list with id %s"), id);
      if (ok)
        list = read_load_list (stmt);
      g_clear_pointer (&stmt, _esa_store_stmt_release);
    }
  ok = ok && read_groups (self, list, error) && read_rejections (self, list, error);

  _esa_store_read_end (self);
  return ok ? g_steal_pointer (&list) : NULL;
}

GPtrArray *
esa_store_list_load_lists (EsaStore    *self,
                           const char  *body_id,
                           GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) lists = NULL;
  gboolean row;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);

  stmt = _esa_store_prepare (self,
                             LOAD_LIST_SELECT
                             "WHERE ?1 IS NULL OR l.body_id = ?1 "
                             "ORDER BY l.received_on DESC, l.imported_at DESC, l.reference",
                             error);
  if (stmt == NULL)
    return NULL;
  _esa_stmt_bind_text (stmt, 1, body_id);

  lists = g_ptr_array_new_with_free_func ((GDestroyNotify) esa_load_list_free);
  while (_esa_store_step (self, stmt, &row, error))
    {
      if (!row)
        return g_steal_pointer (&lists);
      g_ptr_array_add (lists, read_load_list (stmt));
    }
  return NULL;
}

GPtrArray *
esa_store_load_list_detail (EsaStore    *self,
                            const char  *id,
                            guint        limit,
                            guint        offset,
                            GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  gboolean row;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  stmt = _esa_store_prepare (self,
                             "SELECT coalesce(p.load_list_line, 0), p.id, p.debtor_id, d.name, "
                             "  d.tax_id, p.revenue_type, p.year, p.reference, "
                             "  p.payment_reference, p.due_date, p.principal, p.sanctions, "
                             "  p.interest, p.costs "
                             "FROM positions p JOIN debtors d ON d.id = p.debtor_id "
                             "WHERE p.load_list_id = ?1 "
                             "ORDER BY p.load_list_line, p.rowid LIMIT ?2 OFFSET ?3",
                             error);
  if (stmt == NULL)
    return NULL;
  _esa_stmt_bind_text (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64) limit : -1);
  sqlite3_bind_int64 (stmt, 3, offset);

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) esa_load_list_entry_free);
  while (_esa_store_step (self, stmt, &row, error))
    {
      EsaLoadListEntry *entry;

      if (!row)
        return g_steal_pointer (&entries);

      entry = g_new0 (EsaLoadListEntry, 1);
      entry->line = (guint) sqlite3_column_int (stmt, 0);
      entry->position_id = _esa_stmt_dup_text (stmt, 1);
      entry->debtor_id = _esa_stmt_dup_text (stmt, 2);
      entry->debtor_name = _esa_stmt_dup_text (stmt, 3);
      entry->tax_id = _esa_stmt_dup_text (stmt, 4);
      entry->revenue_type = _esa_stmt_dup_text (stmt, 5);
      entry->year = sqlite3_column_int (stmt, 6);
      entry->reference = _esa_stmt_dup_text (stmt, 7);
      entry->payment_reference = _esa_stmt_dup_text (stmt, 8);
      entry->due_date = _esa_stmt_dup_text (stmt, 9);
      entry->principal = sqlite3_column_int64 (stmt, 10);
      entry->sanctions = sqlite3_column_int64 (stmt, 11);
      entry->interest = sqlite3_column_int64 (stmt, 12);
      entry->costs = sqlite3_column_int64 (stmt, 13);
      g_ptr_array_add (entries, entry);
    }
  return NULL;
}

/* ---- approval and rejection ----------------------------------------------- */

typedef struct
{
  char *body_id;
  char *reference;
  char *state;
  char *imported_by;
  char *procedure_id;
  char *country;
} ListState;

static void
list_state_clear (ListState *state)
{
  g_free (state->body_id);
  g_free (state->reference);
  g_free (state->state);
  g_free (state->imported_by);
  g_free (state->procedure_id);
  g_free (state->country);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ListState, list_state_clear)

/* The list as it stands, and the deciding user's right to decide on it:
 * a responsible officer of an office that serves the body, and, for an
 * approval, not the one who imported it. */
static gboolean
check_decision (EsaStore    *self,
                const char  *id,
                const char  *user_id,
                gboolean     approving,
                ListState   *state,
                GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autofree char *office_id = NULL;
  g_autofree char *user_name = NULL;
  g_autoptr(GError) refusal = NULL;
  EsaRole role;
  gboolean serves;
  gboolean row;

  stmt = _esa_store_prepare (self,
                             "SELECT l.body_id, l.reference, l.state, l.imported_by, "
                             "  l.procedure_id, b.country "
                             "FROM load_lists l JOIN bodies b ON b.id = l.body_id WHERE l.id = ?1",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, id);
  if (!_esa_store_step (self, stmt, &row, error))
    return FALSE;
  if (!row)
    return _esa_store_fail (error, ESA_STORE_ERROR_NOT_FOUND, _("No load list with id %s"), id);
  state->body_id = _esa_stmt_dup_text (stmt, 0);
  state->reference = _esa_stmt_dup_text (stmt, 1);
  state->state = _esa_stmt_dup_text (stmt, 2);
  state->imported_by = _esa_stmt_dup_text (stmt, 3);
  state->procedure_id = _esa_stmt_dup_text (stmt, 4);
  state->country = _esa_stmt_dup_text (stmt, 5);
  g_clear_pointer (&stmt, _esa_store_stmt_release);

  if (!g_str_equal (state->state, "imported"))
    /* Translators: "Load list TARI 2024 is already approved: only a list awaiting approval can
     * be decided" */
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            g_str_equal (state->state, "approved")
                            ? _("Load list %s is already approved: only a list awaiting "
                                "approval can be decided")
                            : _("Load list %s was rejected: only a list awaiting approval "
                                "can be decided"),
                            state->reference);

  if (user_id == NULL)
    return _esa_store_fail (error, ESA_STORE_ERROR_FORBIDDEN,
                            _("A load list is approved or rejected by a named responsible "
                              "officer"));
  if (!read_user (self, user_id, &role, &office_id, &user_name, error))
    return FALSE;
  if (!_esa_store_check_role (self, esa_role_to_string (role), ESA_ACTION_LOAD_LIST_APPROVE,
                              &refusal))
    /* Translators: "Anna Rossi (Officer): An officer may not approve or reject load lists." */
    return _esa_store_fail (error, ESA_STORE_ERROR_FORBIDDEN, _("%s (%s): %s"),
                            user_name, esa_role_describe (role), refusal->message);
  if (!office_serves_body (self, office_id, state->body_id, &serves, error))
    return FALSE;
  if (!serves)
    return _esa_store_fail (error, ESA_STORE_ERROR_FORBIDDEN,
                            _("%s works for an office that does not serve the load list’s "
                              "creditor body"),
                            user_name);
  if (approving && g_strcmp0 (state->imported_by, user_id) == 0)
    return _esa_store_fail (error, ESA_STORE_ERROR_FORBIDDEN,
                            _("%s imported load list %s and so cannot approve it: a second person "
                              "must "
                              "(four eyes)"),
                            user_name, state->reference);
  return TRUE;
}

/* The initial state of @procedure_id, from the shipped procedure files. */
static char *
initial_state (const char  *procedure_id,
               const char  *reference,
               GError     **error)
{
  g_autofree char *dir = esa_data_dir ("procedures");
  g_autoptr(GPtrArray) procedures = NULL;
  g_autoptr(GError) local_error = NULL;
  EsaProcedure *procedure;
  GPtrArray *states;

  procedures = esa_procedure_load_dir (dir, NULL, &local_error);
  if (procedures == NULL)
    {
      _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                       _("The cases of load list %s cannot be opened: the procedures cannot be "
                         "read: %s"),
                       reference, local_error->message);
      return NULL;
    }

  procedure = esa_procedure_list_find (procedures, procedure_id);
  if (procedure == NULL)
    {
      _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                       _("The cases of load list %s cannot be opened: there is no procedure “%s” "
                         "in %s"),
                       reference, procedure_id, dir);
      return NULL;
    }

  states = esa_procedure_get_states (procedure);
  for (guint i = 0; i < states->len; i++)
    {
      const EsaState *state = g_ptr_array_index (states, i);

      if (state->initial)
        return g_strdup (state->id);
    }

  _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                   _("The cases of load list %s cannot be opened: procedure “%s” has no initial "
                     "state"),
                   reference, procedure_id);
  return NULL;
}

typedef struct
{
  EsaStore   *store;
  IdSeries    ids;
  const char *list_id;
  const char *user_id;
  const char *procedure_id;
  const char *body_id;
  const char *state;
  const char *today;
  const char *now;
  Payload     payload;
} Opening;

static gboolean
open_case (Opening     *opening,
           const char  *debtor_id,
           const char  *office_id,
           GPtrArray   *position_ids,
           GError     **error)
{
  EsaStore *self = opening->store;
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autofree char *id = id_series_next (&opening->ids);
  g_autofree char *summary = NULL;

  stmt = _esa_store_prepare (self,
                             "INSERT INTO cases (id, debtor_id, body_id, office_id, procedure_id, "
                             "state, opened_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, id);
  _esa_stmt_bind_text (stmt, 2, debtor_id);
  _esa_stmt_bind_text (stmt, 3, opening->body_id);
  _esa_stmt_bind_text (stmt, 4, office_id);
  _esa_stmt_bind_text (stmt, 5, opening->procedure_id);
  _esa_stmt_bind_text (stmt, 6, opening->state);
  _esa_stmt_bind_text (stmt, 7, opening->today);
  if (!_esa_store_step_done (self, stmt, error))
    return FALSE;
  g_clear_pointer (&stmt, _esa_store_stmt_release);

  stmt = _esa_store_prepare (self,
                             "INSERT INTO case_positions (case_id, position_id) VALUES (?1, ?2)",
                             error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < position_ids->len; i++)
    {
      _esa_stmt_bind_text (stmt, 1, id);
      _esa_stmt_bind_text (stmt, 2, g_ptr_array_index (position_ids, i));
      if (!_esa_store_step_done (self, stmt, error))
        return FALSE;
      sqlite3_reset (stmt);
    }

  /* The payload esa_store_add_case() writes: the row and its positions. */
  payload_begin (&opening->payload);
  payload_string (&opening->payload, "id", id);
  payload_string (&opening->payload, "debtor_id", debtor_id);
  payload_string (&opening->payload, "body_id", opening->body_id);
  payload_string (&opening->payload, "office_id", office_id);
  payload_string (&opening->payload, "procedure_id", opening->procedure_id);
  payload_string (&opening->payload, "state", opening->state);
  payload_string (&opening->payload, "officer_id", NULL);
  payload_string (&opening->payload, "opened_on", opening->today);
  payload_string (&opening->payload, "closed_on", NULL);
  payload_string (&opening->payload, "next_deadline", NULL);
  payload_string (&opening->payload, "next_deadline_label", NULL);
  payload_int (&opening->payload, "version", 1);
  payload_name (&opening->payload, "position_ids");
  g_string_append_c (opening->payload.text, '[');
  for (guint i = 0; i < position_ids->len; i++)
    {
      if (i > 0)
        g_string_append_c (opening->payload.text, ',');
      _esa_json_append_string (opening->payload.text, g_ptr_array_index (position_ids, i));
    }
  g_string_append_c (opening->payload.text, ']');
  payload_string (&opening->payload, "load_list_id", opening->list_id);

  summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "Case opened (%s, state %s) for %u position",
                                          "Case opened (%s, state %s) for %u positions",
                                          position_ids->len),
                             opening->procedure_id, opening->state, position_ids->len);

  return _esa_store_outbox_append_text (self, "command", "case", id,
                                        payload_end (&opening->payload), 0, opening->now, error)
         && _esa_store_audit_append (self, opening->now, opening->user_id, "create", "case", id,
                                     debtor_id, summary, error);
}

/* One case per debtor, for the debtor's open positions of the list. */
static gboolean
open_cases (Opening  *opening,
            guint    *out_cases,
            GError  **error)
{
  EsaStore *self = opening->store;
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GPtrArray) position_ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *debtor_id = NULL;
  g_autofree char *office_id = NULL;
  gboolean row;

  /* The groups are read first: the statement must not step while the
   * cases are written. */
  stmt = _esa_store_prepare (self,
                             "SELECT p.debtor_id, d.office_id, p.id FROM positions p "
                             "JOIN debtors d ON d.id = p.debtor_id "
                             "WHERE p.load_list_id = ?1 AND p.state = 'open' "
                             "ORDER BY p.debtor_id, p.load_list_line, p.rowid",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, opening->list_id);
  for (;;)
    {
      char **ids;

      if (!_esa_store_step (self, stmt, &row, error))
        return FALSE;
      if (!row)
        break;

      ids = g_new0 (char *, 4);
      ids[0] = _esa_stmt_dup_text (stmt, 0);
      ids[1] = _esa_stmt_dup_text (stmt, 1);
      ids[2] = _esa_stmt_dup_text (stmt, 2);
      g_ptr_array_add (groups, ids);
    }
  g_clear_pointer (&stmt, _esa_store_stmt_release);

  *out_cases = 0;
  for (guint i = 0; i <= groups->len; i++)
    {
      char **ids = i < groups->len ? g_ptr_array_index (groups, i) : NULL;

      if (debtor_id != NULL && (ids == NULL || !g_str_equal (ids[0], debtor_id)))
        {
          if (!open_case (opening, debtor_id, office_id, position_ids, error))
            return FALSE;
          (*out_cases)++;
          g_ptr_array_set_size (position_ids, 0);
          g_clear_pointer (&debtor_id, g_free);
          g_clear_pointer (&office_id, g_free);
        }
      if (ids == NULL)
        break;
      if (debtor_id == NULL)
        {
          debtor_id = g_strdup (ids[0]);
          office_id = g_strdup (ids[1]);
        }
      g_ptr_array_add (position_ids, g_strdup (ids[2]));
    }
  return TRUE;
}

/* The outbox command and audit entry of a decision on a list. */
static gboolean
record_decision (EsaStore    *self,
                 const char  *id,
                 const char  *user_id,
                 const char  *now,
                 const char  *action,
                 const char  *summary,
                 guint        n_cases,
                 GError     **error)
{
  g_autoptr(JsonNode) payload = _esa_store_row_to_json (self, "load_lists", id, error);
  JsonObject *object;

  if (payload == NULL)
    return FALSE;

  /* A command carries what it expects (the server re-checks the four-eyes
   * rule against the state it knows) and what it did. */
  object = json_node_get_object (payload);
  json_object_set_string_member (object, "action", action);
  json_object_set_string_member (object, "expected_state", "imported");
  json_object_set_int_member (object, "cases_opened", n_cases);

  return _esa_store_outbox_append (self, "command", "load_list", id, payload, 1, error)
         && _esa_store_audit_append (self, now, user_id, action, "load_list", id, NULL, summary,
                                     error);
}

static gboolean
run_approval (EsaStore    *self,
              const char  *id,
              const char  *user_id,
              GError     **error)
{
  g_auto(ListState) state = { NULL, };
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autofree char *initial = NULL;
  g_autofree char *today = today_iso ();
  g_autofree char *now = _esa_store_now_iso ();
  g_autofree char *summary = NULL;
  Opening opening = { NULL, };
  guint n_cases = 0;
  gboolean ok;

  if (!check_decision (self, id, user_id, TRUE, &state, error))
    return FALSE;

  if (state.procedure_id == NULL)
    state.procedure_id = g_strdup (g_str_equal (state.country, "IT") ? "it-coercive" : "ch-lef");
  initial = initial_state (state.procedure_id, state.reference, error);
  if (initial == NULL)
    return FALSE;

  stmt = _esa_store_prepare (self,
                             "UPDATE load_lists SET state = 'approved', approved_by = ?2, "
                             "approved_on = ?3, procedure_id = ?4, version = version + 1 "
                             "WHERE id = ?1",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, id);
  _esa_stmt_bind_text (stmt, 2, user_id);
  _esa_stmt_bind_text (stmt, 3, today);
  _esa_stmt_bind_text (stmt, 4, state.procedure_id);
  if (!_esa_store_step_done (self, stmt, error))
    return FALSE;

  opening.store = self;
  id_series_init (&opening.ids);
  opening.list_id = id;
  opening.user_id = user_id;
  opening.procedure_id = state.procedure_id;
  opening.body_id = state.body_id;
  opening.state = initial;
  opening.today = today;
  opening.now = now;
  payload_init (&opening.payload);
  ok = open_cases (&opening, &n_cases, error);
  payload_clear (&opening.payload);
  if (!ok)
    return FALSE;

  /* Translators: "Load list TARI 2024 approved: 950 cases opened (it-coercive, state loaded)" */
  summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "Load list %s approved: %u case opened (%s, state %s)",
                                          "Load list %s approved: %u cases opened (%s, state %s)",
                                          n_cases),
                             state.reference, n_cases, state.procedure_id, initial);
  return record_decision (self, id, user_id, now, "approve", summary, n_cases, error);
}

gboolean
esa_store_approve_load_list (EsaStore    *self,
                             const char  *id,
                             const char  *user_id,
                             GError     **error)
{
  gint64 cache;
  gboolean ok;

  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (!_esa_store_write_begin (self, error))
    return FALSE;
  cache = enlarge_cache (self);
  ok = run_approval (self, id, user_id, error);
  ok = _esa_store_write_end (self, ok, error);
  restore_cache (self, cache);
  return ok;
}

static gboolean
run_rejection (EsaStore    *self,
               const char  *id,
               const char  *user_id,
               const char  *reason,
               GError     **error)
{
  g_auto(ListState) state = { NULL, };
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autofree char *today = today_iso ();
  g_autofree char *now = _esa_store_now_iso ();
  g_autofree char *summary = NULL;
  g_autofree char *note = NULL;

  if (reason == NULL || g_strstrip (note = g_strdup (reason))[0] == '\0')
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("A rejected load list needs a reason"));
  if (!check_decision (self, id, user_id, FALSE, &state, error))
    return FALSE;

  stmt = _esa_store_prepare (self,
                             "UPDATE load_lists SET state = 'rejected', approved_by = ?2, "
                             "approved_on = ?3, note = ?4, version = version + 1 WHERE id = ?1",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, id);
  _esa_stmt_bind_text (stmt, 2, user_id);
  _esa_stmt_bind_text (stmt, 3, today);
  _esa_stmt_bind_text (stmt, 4, note);
  if (!_esa_store_step_done (self, stmt, error))
    return FALSE;
  g_clear_pointer (&stmt, _esa_store_stmt_release);

  /* The command tells the server to cancel the list's positions too. */
  stmt = _esa_store_prepare (self,
                             "UPDATE positions SET state = 'cancelled', version = version + 1 "
                             "WHERE load_list_id = ?1 AND state = 'open'",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, id);
  if (!_esa_store_step_done (self, stmt, error))
    return FALSE;

  /* Translators: "Load list TARI 2024 rejected: wrong year" */
  summary = g_strdup_printf (_("Load list %s rejected: %s"), state.reference, note);
  return record_decision (self, id, user_id, now, "reject", summary, 0, error);
}

gboolean
esa_store_reject_load_list (EsaStore    *self,
                            const char  *id,
                            const char  *user_id,
                            const char  *reason,
                            GError     **error)
{
  gboolean ok;

  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (!_esa_store_write_begin (self, error))
    return FALSE;
  ok = run_rejection (self, id, user_id, reason, error);
  return _esa_store_write_end (self, ok, error);
}

/* ---- column mappings ------------------------------------------------------- */

static gboolean
write_mapping (EsaStore    *self,
               const char  *body_id,
               const char  *mapping_json,
               GError     **error)
{
  g_auto(Body) body = { NULL, };
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autofree char *now = _esa_store_now_iso ();
  g_autofree char *summary = NULL;
  g_autofree char *id = NULL;
  g_autofree char *old = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *user_id = esa_store_get_acting_user (self);
  Payload payload;
  gint64 version = 0;
  gboolean row;
  gboolean ok;

  parsed = json_from_string (mapping_json, &local_error);
  if (parsed == NULL || !JSON_NODE_HOLDS_OBJECT (parsed))
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("A column mapping must be a JSON object"));

  if (user_id != NULL)
    {
      EsaRole role;

      if (!read_user (self, user_id, &role, NULL, NULL, error))
        return FALSE;
    }
  if (!read_body (self, body_id, &body, error))
    return FALSE;

  stmt = _esa_store_prepare (self,
                             "SELECT id, mapping, version FROM load_list_mappings "
                             "WHERE body_id = ?1",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, body_id);
  if (!_esa_store_step (self, stmt, &row, error))
    return FALSE;
  if (row)
    {
      id = _esa_stmt_dup_text (stmt, 0);
      old = _esa_stmt_dup_text (stmt, 1);
      version = sqlite3_column_int64 (stmt, 2);
    }
  g_clear_pointer (&stmt, _esa_store_stmt_release);

  if (id == NULL)
    {
      id = esa_uuid_new ();
      stmt = _esa_store_prepare (self,
                                 "INSERT INTO load_list_mappings (id, body_id, mapping, "
                                 "updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5)",
                                 error);
    }
  else
    {
      stmt = _esa_store_prepare (self,
                                 "UPDATE load_list_mappings SET mapping = ?3, updated_at = ?4, "
                                 "updated_by = ?5, version = version + 1 "
                                 "WHERE id = ?1 AND body_id = ?2",
                                 error);
    }
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, id);
  _esa_stmt_bind_text (stmt, 2, body_id);
  _esa_stmt_bind_text (stmt, 3, mapping_json);
  _esa_stmt_bind_text (stmt, 4, now);
  _esa_stmt_bind_text (stmt, 5, user_id);
  if (!_esa_store_step_done (self, stmt, error))
    return FALSE;

  /* A new mapping travels as its row; a changed one as a field edit. */
  payload_init (&payload);
  payload_begin (&payload);
  if (old == NULL)
    {
      payload_string (&payload, "id", id);
      payload_string (&payload, "body_id", body_id);
      payload_string (&payload, "mapping", mapping_json);
      payload_string (&payload, "updated_at", now);
      payload_string (&payload, "updated_by", user_id);
      payload_int (&payload, "version", 1);
    }
  else
    {
      payload_string (&payload, "field", "mapping");
      payload_string (&payload, "value", mapping_json);
      payload_string (&payload, "old", old);
    }
  ok = _esa_store_outbox_append_text (self, old == NULL ? "event" : "field", "load_list_mapping",
                                      id, payload_end (&payload), version, now, error);
  payload_clear (&payload);
  if (!ok)
    return FALSE;

  summary = g_strdup_printf (_("Column mapping of the load lists of %s saved"), body.name);
  return _esa_store_audit_append (self, now, user_id, old == NULL ? "create" : "update",
                                  "load_list_mapping", id, NULL, summary, error);
}

gboolean
esa_store_set_load_list_mapping (EsaStore    *self,
                                 const char  *body_id,
                                 const char  *mapping_json,
                                 GError     **error)
{
  gboolean ok;

  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);
  g_return_val_if_fail (body_id != NULL, FALSE);
  g_return_val_if_fail (mapping_json != NULL, FALSE);

  if (!_esa_store_check_action (self, ESA_ACTION_LOAD_LIST_IMPORT, error))
    return FALSE;
  if (!_esa_store_write_begin (self, error))
    return FALSE;
  ok = write_mapping (self, body_id, mapping_json, error);
  return _esa_store_write_end (self, ok, error);
}

char *
esa_store_get_load_list_mapping (EsaStore    *self,
                                 const char  *body_id,
                                 GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (body_id != NULL, NULL);

  stmt = _esa_store_prepare (self, "SELECT mapping FROM load_list_mappings WHERE body_id = ?1",
                             error);
  if (stmt == NULL)
    return NULL;
  _esa_stmt_bind_text (stmt, 1, body_id);
  if (!_esa_store_step (self, stmt, &row, error) || !row)
    return NULL;
  return _esa_stmt_dup_text (stmt, 0);
}
