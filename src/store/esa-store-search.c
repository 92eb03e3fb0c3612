/* esa-store-search.c: the full-text index of debtors and the search over it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "esa-store-private.h"

/* Matches are taken unranked, in the order of the index (see Matches), in
 * chunks of this size, and each chunk is ranked in C. A query with at most
 * this many matches is therefore ranked as a whole; a broader one comes
 * chunk by chunk, each in good order, and its first page costs no more than
 * one chunk (DESIGN.md "Search": ranking a broad prefix inside FTS5 costs
 * 50–125 ms on 300,000 debtors, an unranked match about 0.1 ms). */
#define CHUNK_SIZE 500

/* The search document of one debtor: every address (old ones too: officers
 * search by the address on an old act), and the identifiers a caller may
 * read from paper: act numbers, position references and payment references
 * (pagoPA notice numbers, QR references). */
#define DOCUMENT_SELECT \
  "SELECT d.num, d.name, d.tax_id, " \
  "  (SELECT group_concat(a.street || ' ' || coalesce(a.postcode, '') || ' ' || a.town, ' ; ') " \
  "     FROM addresses a WHERE a.debtor_id = d.id), " \
  "  (SELECT group_concat(r, ' ') FROM (" \
  "     SELECT number AS r FROM acts WHERE debtor_id = d.id " \
  "     UNION ALL SELECT reference || coalesce(' ' || payment_reference, '') " \
  "       FROM positions WHERE debtor_id = d.id)) " \
  "FROM debtors d"

gboolean
_esa_store_search_index_debtor (EsaStore    *self,
                                const char  *debtor_id,
                                GError     **error)
{
  g_autoptr(EsaStoreStmt) find = NULL;
  g_autoptr(EsaStoreStmt) remove = NULL;
  g_autoptr(EsaStoreStmt) insert = NULL;
  gint64 num;
  gboolean row;

  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);
  g_return_val_if_fail (debtor_id != NULL, FALSE);

  find = _esa_store_prepare (self, "SELECT num FROM debtors WHERE id = ?1", error);
  if (find == NULL)
    return FALSE;
  _esa_stmt_bind_text (find, 1, debtor_id);
  if (!_esa_store_step (self, find, &row, error))
    return FALSE;
  if (!row)
    {
      g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_NOT_FOUND,
                   _("No debtor with id %s"), debtor_id);
      return FALSE;
    }
  num = sqlite3_column_int64 (find, 0);

  remove = _esa_store_prepare (self, "DELETE FROM debtor_search WHERE rowid = ?1", error);
  if (remove == NULL)
    return FALSE;
  sqlite3_bind_int64 (remove, 1, num);
  if (!_esa_store_step_done (self, remove, error))
    return FALSE;

  insert = _esa_store_prepare (self,
                               "INSERT INTO debtor_search (rowid, name, tax_id, address, refs) "
                               DOCUMENT_SELECT " WHERE d.num = ?1",
                               error);
  if (insert == NULL)
    return FALSE;
  sqlite3_bind_int64 (insert, 1, num);

  return _esa_store_step_done (self, insert, error);
}

/* Runs @sql, which inserts many documents in one statement. FTS5 merges
 * segments a little after every flush of its pending terms (automerge); in
 * one large insert that work cost 40% of the indexing (160,000 debtors) for
 * no gain: searches measured the same afterwards. Merging is turned off for
 * the statement and back on after it, at the value it had (4 when never
 * set). */
static gboolean
insert_documents (EsaStore    *self,
                  const char  *sql,
                  GError     **error)
{
  g_autoptr(EsaStoreStmt) probe = NULL;
  g_autofree char *restore = NULL;
  gboolean row;

  probe = _esa_store_prepare (self, "SELECT v FROM debtor_search_config WHERE k = 'automerge'",
                              error);
  if (probe == NULL || !_esa_store_step (self, probe, &row, error))
    return FALSE;
  restore = g_strdup_printf ("INSERT INTO debtor_search (debtor_search, rank) "
                             "VALUES ('automerge', %d)",
                             row ? sqlite3_column_int (probe, 0) : 4);
  g_clear_pointer (&probe, _esa_store_stmt_release);

  return _esa_store_exec (self,
                          "INSERT INTO debtor_search (debtor_search, rank) "
                          "VALUES ('automerge', 0);",
                          error)
         && _esa_store_exec (self, sql, error)
         && _esa_store_exec (self, restore, error);
}

gboolean
_esa_store_search_index_debtors (EsaStore      *self,
                                 const gint64  *nums,
                                 guint          n_nums,
                                 gboolean       fresh,
                                 GError       **error)
{
  g_autoptr(EsaStoreStmt) add = NULL;

  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);
  g_return_val_if_fail (nums != NULL || n_nums == 0, FALSE);

  if (n_nums == 0)
    return TRUE;

  /* The debtors go into a temporary table, so that their old documents are
   * deleted and the new ones inserted in one statement each. */
  if (!_esa_store_exec (self,
                        "CREATE TEMP TABLE IF NOT EXISTS esa_search_nums "
                        "(num INTEGER PRIMARY KEY); "
                        "DELETE FROM temp.esa_search_nums;",
                        error))
    return FALSE;

  add = _esa_store_prepare (self, "INSERT OR IGNORE INTO temp.esa_search_nums (num) VALUES (?1)",
                            error);
  if (add == NULL)
    return FALSE;
  for (guint i = 0; i < n_nums; i++)
    {
      sqlite3_bind_int64 (add, 1, nums[i]);
      if (!_esa_store_step_done (self, add, error))
        return FALSE;
      sqlite3_reset (add);
    }
  g_clear_pointer (&add, _esa_store_stmt_release);

  if (!fresh
      && !_esa_store_exec (self,
                           "DELETE FROM debtor_search "
                           "WHERE rowid IN (SELECT num FROM temp.esa_search_nums)",
                           error))
    return FALSE;

  return insert_documents (self,
                           "INSERT INTO debtor_search (rowid, name, tax_id, address, refs) "
                           DOCUMENT_SELECT
                           " WHERE d.num IN (SELECT num FROM temp.esa_search_nums); "
                           "DELETE FROM temp.esa_search_nums;",
                           error);
}

/* The documents of new debtors are built from the rows the caller has in
 * memory and staged in a temporary table; one statement then copies them
 * into the index (one statement: see _esa_store_search_index_debtors()).
 * Measured on the 160,000 new debtors of a 200,000-row load list,
 * DOCUMENT_SELECT's correlated subqueries (a search in addresses, acts and
 * positions per debtor) were a third of the indexing. */
gboolean
_esa_store_search_stage_begin (EsaStore  *self,
                               GError   **error)
{
  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);

  return _esa_store_exec (self,
                          "CREATE TEMP TABLE IF NOT EXISTS esa_search_stage "
                          "(num INTEGER PRIMARY KEY, name TEXT, tax_id TEXT, address TEXT, "
                          " refs TEXT); "
                          "DELETE FROM temp.esa_search_stage;",
                          error);
}

gboolean
_esa_store_search_stage_add (EsaStore    *self,
                             gint64       num,
                             const char  *name,
                             const char  *tax_id,
                             const char  *street,
                             const char  *postcode,
                             const char  *town,
                             const char  *refs,
                             GError     **error)
{
  EsaStoreStmt *stmt;
  g_autofree char *address = NULL;
  gboolean ok;

  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);

  stmt = _esa_store_prepare (self,
                             "INSERT INTO temp.esa_search_stage (num, name, tax_id, address, refs) "
                             "VALUES (?1, ?2, ?3, ?4, ?5)",
                             error);
  if (stmt == NULL)
    return FALSE;
  /* The form DOCUMENT_SELECT gives an address. */
  if (street != NULL && town != NULL)
    address = g_strconcat (street, " ", postcode != NULL ? postcode : "", " ", town, NULL);

  sqlite3_bind_int64 (stmt, 1, num);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, tax_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, address, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, refs, -1, SQLITE_STATIC);
  ok = _esa_store_step_done (self, stmt, error);
  _esa_store_stmt_release (stmt);
  return ok;
}

/* The form DOCUMENT_SELECT gives the references of a position, after those
 * already in @refs. */
void
_esa_store_search_append_ref (GString    *refs,
                              const char *reference,
                              const char *payment_reference)
{
  g_return_if_fail (refs != NULL && reference != NULL);

  if (refs->len > 0)
    g_string_append_c (refs, ' ');
  g_string_append (refs, reference);
  if (payment_reference != NULL)
    {
      g_string_append_c (refs, ' ');
      g_string_append (refs, payment_reference);
    }
}

gboolean
_esa_store_search_stage_index (EsaStore  *self,
                               GError   **error)
{
  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);

  return insert_documents (self,
                           "INSERT INTO debtor_search (rowid, name, tax_id, address, refs) "
                           "SELECT num, name, tax_id, address, refs FROM temp.esa_search_stage; "
                           "DELETE FROM temp.esa_search_stage;",
                           error);
}

/* Empties the index. A DELETE on an FTS5 table with its own content reads
 * every document back to find its tokens, so a full index is dropped and
 * created again from its own definition instead. */
static gboolean
clear_index (EsaStore  *self,
             GError   **error)
{
  g_autoptr(EsaStoreStmt) probe = NULL;
  g_autoptr(EsaStoreStmt) definition = NULL;
  g_autofree char *create = NULL;
  gboolean row;

  probe = _esa_store_prepare (self, "SELECT 1 FROM debtor_search LIMIT 1", error);
  if (probe == NULL || !_esa_store_step (self, probe, &row, error))
    return FALSE;
  if (!row)
    return TRUE;
  g_clear_pointer (&probe, _esa_store_stmt_release);

  definition = _esa_store_prepare (self,
                                   "SELECT sql FROM sqlite_schema "
                                   "WHERE type = 'table' AND name = 'debtor_search'",
                                   error);
  if (definition == NULL || !_esa_store_step (self, definition, &row, error))
    return FALSE;
  create = row ? _esa_stmt_dup_text (definition, 0) : NULL;
  g_clear_pointer (&definition, _esa_store_stmt_release);
  if (create == NULL)
    {
      g_set_error_literal (error, ESA_STORE_ERROR, ESA_STORE_ERROR_CORRUPT,
                           _("The search index is missing from the database"));
      return FALSE;
    }

  /* Cached statements on the table are compiled again by sqlite3_step()
   * on their next use, as after any schema change. */
  return _esa_store_exec (self, "DROP TABLE debtor_search", error)
         && _esa_store_exec (self, create, error);
}

gboolean
_esa_store_search_rebuild (EsaStore  *self,
                           GError   **error)
{
  gboolean ok;

  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);

  if (!_esa_store_write_begin (self, error))
    return FALSE;

  /* One statement for every debtor; then one merge of all the segments the
   * load wrote, which makes later queries read a single b-tree. */
  ok = clear_index (self, error)
       && _esa_store_exec (self,
                           "INSERT INTO debtor_search (rowid, name, tax_id, address, refs) "
                           DOCUMENT_SELECT,
                           error)
       && _esa_store_exec (self,
                           "INSERT INTO debtor_search (debtor_search) VALUES ('optimize')",
                           error);

  return _esa_store_write_end (self, ok, error);
}

/* ---- the query ---------------------------------------------------------- */

/* Digits from this length on are matched as whole tokens, never as prefixes
 * inside the index: FTS5 answers a prefix longer than its prefix indexes
 * ('1 2 3') by merging the lists of every term that starts with it, and
 * identifiers share long prefixes (a million notice numbers start with
 * 3 + the same segregation code), which costs tens of milliseconds.
 * Prefixes of identifiers typed alone are looked up in the b-tree indexes of
 * the identifier columns instead (see next_range_num()). */
#define WHOLE_NUMBER_LENGTH 4

typedef struct
{
  char *match;        /* the FTS5 expression */
  char *id_prefix;    /* the digits of an all-digit query, or NULL */
  char *compact;      /* letters and digits of the text, upper case */
  char *first;        /* the first word folded, for comparing with names */
} Query;

static void
query_clear (Query *query)
{
  g_clear_pointer (&query->match, g_free);
  g_clear_pointer (&query->id_prefix, g_free);
  g_clear_pointer (&query->compact, g_free);
  g_clear_pointer (&query->first, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Query, query_clear)

/* One word the officer typed, cut into the runs of letters and digits the
 * index tokenizer would also see ("ING-2026-000123" -> ING, 2026, 000123). */
typedef struct
{
  GPtrArray *groups;    /* char *, UTF-8 */
  gboolean   numeric;   /* every group is digits only */
} Word;

static void
word_clear (Word *word)
{
  g_clear_pointer (&word->groups, g_ptr_array_unref);
}

static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalnum (c) || g_unichar_ismark (c);
}

static gboolean
is_digits (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
    }
  return TRUE;
}

static gboolean
split_word (const char *text,
            Word       *out)
{
  g_autoptr(GString) group = g_string_new (NULL);

  out->groups = g_ptr_array_new_with_free_func (g_free);
  out->numeric = TRUE;

  for (const char *p = text;; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != 0 && is_word_char (c))
        {
          g_string_append_unichar (group, c);
          if (!g_ascii_isdigit (c))
            out->numeric = FALSE;
          continue;
        }
      if (group->len > 0)
        {
          g_ptr_array_add (out->groups, g_strdup (group->str));
          g_string_truncate (group, 0);
        }
      if (c == 0)
        break;
    }

  return out->groups->len > 0;
}

static char *
join_groups (GPtrArray  *groups,
             const char *separator)
{
  char *joined;

  g_ptr_array_add (groups, NULL);
  joined = g_strjoinv (separator, (char **) groups->pdata);
  g_ptr_array_set_size (groups, groups->len - 1);

  return joined;
}

/* A term is a prefix, unless it is a number long enough to be matched
 * whole. */
static const char *
prefix_mark (const char *term)
{
  return is_digits (term) && strlen (term) >= WHOLE_NUMBER_LENGTH ? "" : "*";
}

/* The groups of one word, all of them required: "ING-2026-000123" needs
 * the tokens ing, 2026 and 000123. The index keeps no positions (see the
 * schema), so their order is not checked; an exact identifier still ranks
 * first. Each group is quoted and holds letters and digits only, so nothing
 * can be read as FTS5 syntax (a quote, *, :, ^, parentheses, or the words
 * AND, OR, NOT, NEAR, which are plain strings inside quotes). The last group
 * is a prefix, the others are complete tokens. */
static void
append_groups (GString    *query,
               GPtrArray  *groups)
{
  for (guint i = 0; i < groups->len; i++)
    {
      const char *group = g_ptr_array_index (groups, i);

      if (i > 0)
        g_string_append (query, " AND ");
      g_string_append_printf (query, "\"%s\"%s", group,
                              i + 1 == groups->len ? prefix_mark (group) : "");
    }
}

static void
append_word (GString *query,
             Word    *word)
{
  g_autofree char *joined = NULL;

  if (word->groups->len == 1)
    {
      append_groups (query, word->groups);
      return;
    }

  /* "756.9217.0769.85" or "CHE-116.281.710": identifiers printed with
   * separators are indexed in their compact form. */
  joined = join_groups (word->groups, "");
  g_string_append (query, "((");
  append_groups (query, word->groups);
  g_string_append_printf (query, ") OR \"%s\"%s)", joined, prefix_mark (joined));
}

/* Reads what the officer typed. FALSE when it has no word at all. */
static gboolean
parse_query (const char *text,
             Query      *out)
{
  g_auto(GStrv) tokens = g_strsplit_set (text, " \t\r\n\f\v", -1);
  g_autoptr(GArray) words = g_array_new (FALSE, TRUE, sizeof (Word));
  g_autoptr(GString) match = g_string_new (NULL);
  g_autoptr(GString) compact = g_string_new (NULL);
  gboolean all_numeric = TRUE;
  guint i = 0;

  g_array_set_clear_func (words, (GDestroyNotify) word_clear);

  for (guint t = 0; tokens[t] != NULL; t++)
    {
      Word word = { NULL, FALSE };

      if (split_word (tokens[t], &word))
        g_array_append_val (words, word);
      else
        word_clear (&word);
    }

  if (words->len == 0)
    return FALSE;

  while (i < words->len)
    {
      Word *word = &g_array_index (words, Word, i);
      guint run_end = i;

      /* A run of number groups, such as a notice number printed as
       * "3007 1570 0000 0000 32", also matches the number they make
       * together; the words on their own still match as well (a house
       * number followed by a postcode). */
      while (run_end + 1 < words->len && g_array_index (words, Word, run_end).numeric
             && g_array_index (words, Word, run_end + 1).numeric)
        run_end++;

      /* FTS5 takes an implicit AND between phrases only, not before a
       * parenthesis: the operator is always written out. */
      if (match->len > 0)
        g_string_append (match, " AND ");

      if (run_end > i)
        {
          g_autoptr(GString) joined = g_string_new (NULL);

          g_string_append (match, "((");
          for (guint j = i; j <= run_end; j++)
            {
              Word *w = &g_array_index (words, Word, j);
              g_autofree char *digits = join_groups (w->groups, "");

              g_string_append (joined, digits);
              if (j > i)
                g_string_append (match, " AND ");
              append_word (match, w);
            }
          g_string_append_printf (match, ") OR \"%s\"%s)", joined->str,
                                  prefix_mark (joined->str));
          i = run_end + 1;
        }
      else
        {
          append_word (match, word);
          i++;
        }
    }

  for (guint j = 0; j < words->len; j++)
    {
      Word *w = &g_array_index (words, Word, j);
      g_autofree char *joined = join_groups (w->groups, "");

      g_string_append (compact, joined);
      all_numeric = all_numeric && w->numeric;
    }

  {
    Word *first = &g_array_index (words, Word, 0);
    g_autofree char *joined = join_groups (first->groups, "");
    g_autofree char *ascii = g_str_to_ascii (joined, "C");

    out->first = g_ascii_strdown (ascii, -1);
  }
  out->compact = g_utf8_strup (compact->str, -1);
  out->match = g_string_free (g_steal_pointer (&match), FALSE);

  /* Only digits: part of a tax id, a notice number or a QR reference,
   * whose prefixes the identifier indexes answer. */
  if (all_numeric && compact->len >= WHOLE_NUMBER_LENGTH)
    out->id_prefix = g_strdup (compact->str);

  return TRUE;
}

/* ---- the order of the matches -------------------------------------------- */

/* The debtors a query matches, one after the other, each once: first the
 * full-text matches in rowid order, then, for an all-digit query, the
 * debtors whose tax id or payment reference starts with those digits, in
 * the order of the identifiers. The order is the same at every call, which
 * is what makes paging honest. */
typedef struct
{
  EsaStore     *self;
  const Query  *query;
  EsaStoreStmt *fts;
  EsaStoreStmt *tax_ids;
  EsaStoreStmt *references;
  gboolean      tax_id_row;
  gboolean      reference_row;
  GHashTable   *seen;          /* gint64 *, the debtors already given */
  guint         stage;
} Matches;

static void
matches_clear (Matches *matches)
{
  g_clear_pointer (&matches->fts, _esa_store_stmt_release);
  g_clear_pointer (&matches->tax_ids, _esa_store_stmt_release);
  g_clear_pointer (&matches->references, _esa_store_stmt_release);
  g_clear_pointer (&matches->seen, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Matches, matches_clear)

/* Starts at @skip matches in (only for queries without the identifier
 * stage, which needs to see every full-text match to skip them later). */
static gboolean
matches_init (Matches      *matches,
              EsaStore     *self,
              const Query  *query,
              guint64       skip,
              GError      **error)
{
  matches->self = self;
  matches->query = query;
  matches->stage = 0;

  matches->fts = _esa_store_prepare (self,
                                     "SELECT rowid FROM debtor_search "
                                     "WHERE debtor_search MATCH ?1 LIMIT -1 OFFSET ?2",
                                     error);
  if (matches->fts == NULL)
    return FALSE;
  _esa_stmt_bind_text (matches->fts, 1, query->match);
  sqlite3_bind_int64 (matches->fts, 2, (gint64) skip);

  if (query->id_prefix != NULL)
    matches->seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  return TRUE;
}

/* The identifier stage: two index range scans merged by value. */
static gboolean
start_ranges (Matches  *matches,
              GError  **error)
{
  EsaStore *self = matches->self;
  const char *prefix = matches->query->id_prefix;
  g_autofree char *end = g_strdup (prefix);

  /* The first string after every string that starts with the prefix:
   * the last character one higher ("3019" -> "301:"). */
  end[strlen (end) - 1]++;

  matches->tax_ids = _esa_store_prepare (self,
                                         "SELECT tax_id, num FROM debtors "
                                         "WHERE tax_id >= ?1 AND tax_id < ?2 ORDER BY tax_id",
                                         error);
  if (matches->tax_ids == NULL)
    return FALSE;
  _esa_stmt_bind_text (matches->tax_ids, 1, prefix);
  _esa_stmt_bind_text (matches->tax_ids, 2, end);

  matches->references = _esa_store_prepare (self,
                                            "SELECT p.payment_reference, d.num "
                                            "FROM positions p "
                                            "JOIN debtors d ON d.id = p.debtor_id "
                                            "WHERE p.payment_reference >= ?1 "
                                            "  AND p.payment_reference < ?2 "
                                            "ORDER BY p.payment_reference",
                                            error);
  if (matches->references == NULL)
    return FALSE;
  _esa_stmt_bind_text (matches->references, 1, prefix);
  _esa_stmt_bind_text (matches->references, 2, end);

  return _esa_store_step (self, matches->tax_ids, &matches->tax_id_row, error)
         && _esa_store_step (self, matches->references, &matches->reference_row, error);
}

/* The next debtor of the identifier stage, or 0 at the end. */
static gboolean
next_range_num (Matches  *matches,
                gint64   *out_num,
                GError  **error)
{
  EsaStore *self = matches->self;
  EsaStoreStmt *from;
  gboolean *row;

  if (!matches->tax_id_row && !matches->reference_row)
    {
      *out_num = 0;
      return TRUE;
    }

  if (matches->tax_id_row
      && (!matches->reference_row
          || g_strcmp0 ((const char *) sqlite3_column_text (matches->tax_ids, 0),
                        (const char *) sqlite3_column_text (matches->references, 0))
               <= 0))
    {
      from = matches->tax_ids;
      row = &matches->tax_id_row;
    }
  else
    {
      from = matches->references;
      row = &matches->reference_row;
    }

  *out_num = sqlite3_column_int64 (from, 1);
  return _esa_store_step (self, from, row, error);
}

/* The next debtor, or 0 when there is none. */
static gboolean
matches_next (Matches  *matches,
              gint64   *out_num,
              GError  **error)
{
  gboolean row;

  if (matches->stage == 0)
    {
      if (!_esa_store_step (matches->self, matches->fts, &row, error))
        return FALSE;
      if (row)
        {
          *out_num = sqlite3_column_int64 (matches->fts, 0);
          if (matches->seen != NULL)
            g_hash_table_add (matches->seen, g_memdup2 (out_num, sizeof *out_num));
          return TRUE;
        }
      g_clear_pointer (&matches->fts, _esa_store_stmt_release);
      if (matches->query->id_prefix == NULL)
        {
          *out_num = 0;
          return TRUE;
        }
      if (!start_ranges (matches, error))
        return FALSE;
      matches->stage = 1;
    }

  for (;;)
    {
      if (!next_range_num (matches, out_num, error))
        return FALSE;
      if (*out_num == 0 || !g_hash_table_contains (matches->seen, out_num))
        break;
    }
  if (*out_num != 0)
    g_hash_table_add (matches->seen, g_memdup2 (out_num, sizeof *out_num));
  return TRUE;
}

/* ---- ranking ------------------------------------------------------------- */

typedef struct
{
  EsaSearchHit *hit;
  gint64        num;
  gboolean      exact;        /* the text is the tax id or a reference */
  gboolean      starts;       /* the name starts with the first word */
  char         *collate_key;
} Candidate;

static void
candidate_clear (Candidate *candidate)
{
  g_clear_pointer (&candidate->hit, esa_search_hit_free);
  g_clear_pointer (&candidate->collate_key, g_free);
}

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const Candidate *ca = a;
  const Candidate *cb = b;
  int cmp;

  if (ca->exact != cb->exact)
    return ca->exact ? -1 : 1;
  if (ca->starts != cb->starts)
    return ca->starts ? -1 : 1;
  cmp = strcmp (ca->collate_key, cb->collate_key);
  if (cmp != 0)
    return cmp;
  return ca->num < cb->num ? -1 : ca->num > cb->num;
}

/* The letters and digits of @text, upper case: "ING-2026-000123" and
 * "ing 2026 000123" compare equal. */
static char *
compact_identifier (const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_word_char (c))
        g_string_append_unichar (out, g_unichar_toupper (c));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
refs_contain (const char *refs,
              const char *compact)
{
  g_auto(GStrv) items = NULL;

  if (refs == NULL)
    return FALSE;

  items = g_strsplit (refs, " ", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      g_autofree char *item = compact_identifier (items[i]);

      if (g_str_equal (item, compact))
        return TRUE;
    }
  return FALSE;
}

static gboolean
name_starts_with (const char *name,
                  const char *first)
{
  g_autofree char *ascii = g_str_to_ascii (name, "C");
  g_autoptr(GString) folded = g_string_new (NULL);

  for (const char *p = ascii; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (folded, g_ascii_tolower (*p));
    }
  return g_str_has_prefix (folded->str, first);
}

/* What the result list shows of debtor @num, and how it ranks; the town
 * comes later, for the hits of the page only (see add_towns()). */
static gboolean
read_candidate (EsaStore      *self,
                EsaStoreStmt  *stmt,
                const Query   *query,
                gint64         num,
                gboolean       want_refs,
                Candidate     *out,
                GError       **error)
{
  EsaSearchHit *hit;
  gboolean row;

  sqlite3_reset (stmt);
  sqlite3_bind_int64 (stmt, 1, num);
  sqlite3_bind_int (stmt, 2, want_refs);
  if (!_esa_store_step (self, stmt, &row, error))
    return FALSE;
  if (!row)
    {
      g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_CORRUPT,
                   _("The search index names a debtor that does not exist (number %lld): "
                     "rebuild the index"),
                   (long long) num);
      return FALSE;
    }

  hit = g_new0 (EsaSearchHit, 1);
  hit->debtor_id = _esa_stmt_dup_text (stmt, 0);
  hit->kind = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1), "company") == 0
                ? ESA_DEBTOR_COMPANY
                : ESA_DEBTOR_PERSON;
  hit->name = _esa_stmt_dup_text (stmt, 2);
  hit->tax_id = _esa_stmt_dup_text (stmt, 3);
  hit->deceased = sqlite3_column_int (stmt, 4) != 0;
  hit->insolvent = sqlite3_column_int (stmt, 5) != 0;

  out->hit = hit;
  out->num = num;
  out->exact = want_refs
               && ((hit->tax_id != NULL && g_str_equal (hit->tax_id, query->compact))
                   || refs_contain ((const char *) sqlite3_column_text (stmt, 6),
                                    query->compact));
  out->starts = name_starts_with (hit->name != NULL ? hit->name : "", query->first);
  out->collate_key = g_utf8_collate_key (hit->name != NULL ? hit->name : "", -1);
  return TRUE;
}

/* The matches from @chunk_offset on, at most CHUNK_SIZE, ranked;
 * *out_has_next tells whether more follow. */
static GArray *
fetch_chunk (EsaStore     *self,
             const Query  *query,
             guint64       chunk_offset,
             gboolean     *out_has_next,
             GError      **error)
{
  g_auto(Matches) matches = { NULL, };
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autoptr(GArray) nums = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) candidates = g_array_new (FALSE, TRUE, sizeof (Candidate));
  /* Identifiers have digits; comparing a plain name with every reference
   * would only cost time. */
  gboolean want_refs = strpbrk (query->compact, "0123456789") != NULL;
  guint64 position;

  g_array_set_clear_func (candidates, (GDestroyNotify) candidate_clear);

  /* Without the identifier stage, SQLite skips to the chunk itself. */
  position = query->id_prefix == NULL ? chunk_offset : 0;
  if (!matches_init (&matches, self, query, position, error))
    return NULL;

  while (nums->len <= CHUNK_SIZE)
    {
      gint64 num;

      if (!matches_next (&matches, &num, error))
        return NULL;
      if (num == 0)
        break;
      if (position++ >= chunk_offset)
        g_array_append_val (nums, num);
    }
  matches_clear (&matches);

  /* The match past the chunk only tells that more follow. */
  *out_has_next = nums->len > CHUNK_SIZE;
  if (*out_has_next)
    g_array_set_size (nums, CHUNK_SIZE);

  stmt = _esa_store_prepare (self,
                             "SELECT d.id, d.kind, d.name, d.tax_id, "
                             "  d.deceased_on IS NOT NULL, d.insolvent_since IS NOT NULL, "
                             "  CASE WHEN ?2 THEN "
                             "    (SELECT refs FROM debtor_search WHERE rowid = d.num) END "
                             "FROM debtors d WHERE d.num = ?1",
                             error);
  if (stmt == NULL)
    return NULL;

  for (guint i = 0; i < nums->len; i++)
    {
      Candidate candidate = { NULL, };

      if (!read_candidate (self, stmt, query, g_array_index (nums, gint64, i), want_refs,
                           &candidate, error))
        return NULL;
      g_array_append_val (candidates, candidate);
    }

  g_array_sort (candidates, compare_candidates);
  return g_steal_pointer (&candidates);
}

/* The town of each hit's current address. Read for the page alone: the
 * address index is keyed by debtor id, so every lookup lands on a page of
 * its own, which for a whole chunk would cost more than the match itself. */
static gboolean
add_towns (EsaStore   *self,
           GPtrArray  *hits,
           GError    **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;

  stmt = _esa_store_prepare (self,
                             "SELECT town FROM addresses WHERE debtor_id = ?1 "
                             "ORDER BY valid_to IS NOT NULL, valid_from DESC LIMIT 1",
                             error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < hits->len; i++)
    {
      EsaSearchHit *hit = g_ptr_array_index (hits, i);
      gboolean row;

      _esa_stmt_bind_text (stmt, 1, hit->debtor_id);
      if (!_esa_store_step (self, stmt, &row, error))
        return FALSE;
      if (row)
        hit->town = _esa_stmt_dup_text (stmt, 0);
      sqlite3_reset (stmt);
    }
  return TRUE;
}

GPtrArray *
esa_store_search (EsaStore    *self,
                  const char  *text,
                  guint        limit,
                  guint        offset,
                  gboolean    *out_more,
                  GError     **error)
{
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func ((GDestroyNotify) esa_search_hit_free);
  g_auto(Query) query = { NULL, };
  guint64 start = offset;
  guint64 end = (guint64) offset + limit;
  gboolean more = FALSE;
  gboolean ok = TRUE;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (out_more != NULL)
    *out_more = FALSE;

  if (!parse_query (text != NULL ? text : "", &query))
    return g_steal_pointer (&hits);

  if (!_esa_store_read_begin (self, error))
    return NULL;

  for (guint64 chunk = start / CHUNK_SIZE;; chunk++)
    {
      guint64 chunk_offset = chunk * CHUNK_SIZE;
      g_autoptr(GArray) candidates = NULL;
      gboolean has_next;

      candidates = fetch_chunk (self, &query, chunk_offset, &has_next, error);
      if (candidates == NULL)
        {
          ok = FALSE;
          break;
        }

      for (guint i = 0; i < candidates->len; i++)
        {
          guint64 index = chunk_offset + i;
          Candidate *candidate = &g_array_index (candidates, Candidate, i);

          if (index >= start && index < end)
            g_ptr_array_add (hits, g_steal_pointer (&candidate->hit));
        }

      if (!has_next)
        {
          more = end < chunk_offset + candidates->len;
          break;
        }
      if (end <= chunk_offset + CHUNK_SIZE)
        {
          more = TRUE;
          break;
        }
    }

  ok = ok && add_towns (self, hits, error);
  _esa_store_read_end (self);

  if (!ok)
    return NULL;

  if (out_more != NULL)
    *out_more = more;
  return g_steal_pointer (&hits);
}
