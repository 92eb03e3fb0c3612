/* esa-store-audit.c: the append-only, hash-chained audit journal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "esa-store-private.h"

/* The link of the first entry: there is no previous hash. */
#define FIRST_PREV_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* The fields of an entry in the order they are hashed. */
typedef struct
{
  gint64      seq;
  const char *at;
  const char *user_id;
  const char *action;
  const char *entity;
  const char *entity_id;
  const char *debtor_id;
  const char *summary;
  const char *prev_hash;
} AuditFields;

static void
hash_field (GChecksum  *checksum,
            const char *value)
{
  /* Length-prefixed, so that no two different entries serialize alike
   * whatever their fields contain; "-" marks NULL, which a length prefix can
   * never start with. */
  if (value == NULL)
    {
      g_checksum_update (checksum, (const guchar *) "-\n", 2);
    }
  else
    {
      gsize len = strlen (value);
      char prefix[32];

      g_snprintf (prefix, sizeof prefix, "%" G_GSIZE_FORMAT ":", len);
      g_checksum_update (checksum, (const guchar *) prefix, -1);
      g_checksum_update (checksum, (const guchar *) value, len);
      g_checksum_update (checksum, (const guchar *) "\n", 1);
    }
}

/* The canonical form of an entry is "esattore-audit-1\n" followed by seq (in
 * decimal), at, user_id, action, entity, entity_id, debtor_id, summary and
 * prev_hash, each written as "<byte length>:<UTF-8 text>\n", or "-\n" for
 * NULL. The hash is the lower-case hex SHA-256 of that text. */
static char *
compute_hash (GChecksum         *checksum,
              const AuditFields *fields)
{
  char seq[32];

  g_checksum_reset (checksum);
  g_checksum_update (checksum, (const guchar *) "esattore-audit-1\n", -1);
  g_snprintf (seq, sizeof seq, "%" G_GINT64_FORMAT, fields->seq);
  hash_field (checksum, seq);
  hash_field (checksum, fields->at);
  hash_field (checksum, fields->user_id);
  hash_field (checksum, fields->action);
  hash_field (checksum, fields->entity);
  hash_field (checksum, fields->entity_id);
  hash_field (checksum, fields->debtor_id);
  hash_field (checksum, fields->summary);
  hash_field (checksum, fields->prev_hash);

  return g_strdup (g_checksum_get_string (checksum));
}

gboolean
_esa_store_audit_append (EsaStore    *self,
                         const char  *at,
                         const char  *user_id,
                         const char  *action,
                         const char  *entity,
                         const char  *entity_id,
                         const char  *debtor_id,
                         const char  *summary,
                         GError     **error)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(EsaStoreStmt) last = NULL;
  g_autoptr(EsaStoreStmt) insert = NULL;
  g_autofree char *now = NULL;
  g_autofree char *prev_hash = NULL;
  g_autofree char *hash = NULL;
  AuditFields fields = { 0, };
  gboolean row;

  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);
  g_return_val_if_fail (action != NULL && entity != NULL && entity_id != NULL, FALSE);
  g_return_val_if_fail (summary != NULL, FALSE);
  g_return_val_if_fail (!sqlite3_get_autocommit (_esa_store_get_db (self)), FALSE);

  last = _esa_store_prepare (self, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", error);
  if (last == NULL || !_esa_store_step (self, last, &row, error))
    return FALSE;

  if (row)
    {
      fields.seq = sqlite3_column_int64 (last, 0) + 1;
      prev_hash = _esa_stmt_dup_text (last, 1);
    }
  else
    {
      fields.seq = 1;
      prev_hash = g_strdup (FIRST_PREV_HASH);
    }
  g_clear_pointer (&last, _esa_store_stmt_release);

  if (at == NULL)
    at = now = _esa_store_now_iso ();

  fields.at = at;
  fields.user_id = user_id;
  fields.action = action;
  fields.entity = entity;
  fields.entity_id = entity_id;
  fields.debtor_id = debtor_id;
  fields.summary = summary;
  fields.prev_hash = prev_hash;
  hash = compute_hash (checksum, &fields);

  insert = _esa_store_prepare (self,
                               "INSERT INTO audit (seq, at, user_id, action, entity, entity_id, "
                               "debtor_id, summary, prev_hash, hash) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                               error);
  if (insert == NULL)
    return FALSE;

  sqlite3_bind_int64 (insert, 1, fields.seq);
  _esa_stmt_bind_text (insert, 2, at);
  _esa_stmt_bind_text (insert, 3, user_id);
  _esa_stmt_bind_text (insert, 4, action);
  _esa_stmt_bind_text (insert, 5, entity);
  _esa_stmt_bind_text (insert, 6, entity_id);
  _esa_stmt_bind_text (insert, 7, debtor_id);
  _esa_stmt_bind_text (insert, 8, summary);
  _esa_stmt_bind_text (insert, 9, prev_hash);
  _esa_stmt_bind_text (insert, 10, hash);

  return _esa_store_step_done (self, insert, error);
}

/* "2026-11-02T08:40:00Z" as "2026-11-02 08:40:00 UTC" for messages. */
static char *
format_at (const char *at)
{
  if (at != NULL && strlen (at) == 20 && at[10] == 'T' && at[19] == 'Z')
    return g_strdup_printf ("%.10s %.8s UTC", at, at + 11);

  return g_strdup (at != NULL ? at : "?");
}

gboolean
esa_store_audit_verify (EsaStore  *self,
                        gint64    *out_checked,
                        GError   **error)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autofree char *prev_hash = g_strdup (FIRST_PREV_HASH);
  gint64 prev_seq = 0;
  gint64 checked = 0;
  gboolean ok = TRUE;
  gboolean row;

  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!_esa_store_read_begin (self, error))
    return FALSE;

  stmt = _esa_store_prepare (self,
                             "SELECT seq, at, user_id, action, entity, entity_id, debtor_id, "
                             "summary, prev_hash, hash FROM audit ORDER BY seq",
                             error);
  ok = stmt != NULL;

  while (ok && (ok = _esa_store_step (self, stmt, &row, error)) && row)
    {
      AuditFields fields;
      const char *stored_hash = (const char *) sqlite3_column_text (stmt, 9);
      g_autofree char *hash = NULL;
      g_autofree char *when = NULL;

      fields.seq = sqlite3_column_int64 (stmt, 0);
      fields.at = (const char *) sqlite3_column_text (stmt, 1);
      fields.user_id = (const char *) sqlite3_column_text (stmt, 2);
      fields.action = (const char *) sqlite3_column_text (stmt, 3);
      fields.entity = (const char *) sqlite3_column_text (stmt, 4);
      fields.entity_id = (const char *) sqlite3_column_text (stmt, 5);
      fields.debtor_id = (const char *) sqlite3_column_text (stmt, 6);
      fields.summary = (const char *) sqlite3_column_text (stmt, 7);
      fields.prev_hash = (const char *) sqlite3_column_text (stmt, 8);

      if (fields.seq != prev_seq + 1)
        {
          if (prev_seq == 0 && fields.seq == 2)
            g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_AUDIT_BROKEN,
                         _("The audit journal does not verify: entry 1 is missing (the journal "
                           "starts at entry 2)"));
          else if (fields.seq == prev_seq + 2)
            g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_AUDIT_BROKEN,
                         _("The audit journal does not verify: entry %lld is missing (the "
                           "journal goes from entry %lld to entry %lld)"),
                         (long long) prev_seq + 1, (long long) prev_seq,
                         (long long) fields.seq);
          else
            g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_AUDIT_BROKEN,
                         _("The audit journal does not verify: entries %lld to %lld are "
                           "missing"),
                         (long long) prev_seq + 1, (long long) fields.seq - 1);
          ok = FALSE;
          break;
        }

      when = format_at (fields.at);
      if (g_strcmp0 (fields.prev_hash, prev_hash) != 0)
        {
          g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_AUDIT_BROKEN,
                       /* Translators: "… the link of audit entry 1234 (2026-11-02 08:40:00
                        * UTC) to entry 1233 is broken: …" */
                       _("The audit journal does not verify: the link of audit entry %lld "
                         "(%s) to entry %lld is broken: one of the two was altered"),
                       (long long) fields.seq, when, (long long) prev_seq);
          ok = FALSE;
          break;
        }

      hash = compute_hash (checksum, &fields);
      if (g_strcmp0 (hash, stored_hash) != 0)
        {
          g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_AUDIT_BROKEN,
                       _("The audit journal does not verify: audit entry %lld (%s) was altered: "
                         "its hash does not match its content"),
                       (long long) fields.seq, when);
          ok = FALSE;
          break;
        }

      g_free (prev_hash);
      prev_hash = g_strdup (stored_hash);
      prev_seq = fields.seq;
      checked++;
    }

  g_clear_pointer (&stmt, _esa_store_stmt_release);
  _esa_store_read_end (self);

  if (out_checked != NULL)
    *out_checked = checked;
  return ok;
}
