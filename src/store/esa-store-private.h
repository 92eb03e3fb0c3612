#pragma once

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "esa-parameters.h"
#include "esa-store.h"

G_BEGIN_DECLS

/* Private to src/store: the raw connection and the pieces of the write path,
 * for the demo generator's bulk loading and for the store's own files. */

sqlite3  *_esa_store_get_db          (EsaStore    *self);
guint     _esa_store_wait_checkpoints (EsaStore  *self);

/* Transactions (BEGIN IMMEDIATE / COMMIT / ROLLBACK); nesting is an error.
 * Public write calls (esa_store_add_debtor() …) made while such a
 * transaction is open join it as a savepoint: a failing call undoes only its
 * own changes, and nothing is durable before _esa_store_commit(). */
gboolean  _esa_store_begin           (EsaStore    *self,
                                      GError     **error);
gboolean  _esa_store_commit          (EsaStore    *self,
                                      GError     **error);
void      _esa_store_rollback        (EsaStore    *self);

/* Whether @text is NULL, empty or only white space. */
static inline gboolean
_esa_store_is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

/* The outbox payload of a field edit: {"field", "value", "old"}, NULL
 * values as JSON null; as a node, or as text. */
JsonNode *_esa_store_field_payload      (const char *field,
                                         const char *value,
                                         const char *old);
char     *_esa_store_field_payload_text (const char *field,
                                         const char *value,
                                         const char *old);

/* Sets @error (ESA_STORE_ERROR, @code) to the formatted message and returns
 * FALSE, so that a refusal reads as one statement. */
/* The index of @name in @names, the stable names of an enum's values (a
 * NULL entry stands for a value without a name); FALSE for an unknown name
 * or NULL. */
gboolean  _esa_store_name_index      (const char * const *names,
                                      guint               n_names,
                                      const char         *name,
                                      guint              *out_index);

gboolean  _esa_store_fail            (GError     **error,
                                      gint         code,
                                      const char  *format,
                                      ...) G_GNUC_PRINTF (3, 4);

/**
 * _esa_store_check_action:
 * @action_id: an ESA_ACTION_* id (esa-roles.h)
 *
 * The one role check of every write an officer triggers: whether the acting
 * user's role may do @action_id by the roles table (data/parameters/
 * roles.json; the parameters given with esa_store_set_procedures(), else the
 * default ones). The system, a NULL acting user, may do everything; a user
 * not in the database nothing. A refusal is ESA_STORE_ERROR_FORBIDDEN with
 * the translated reason. (esa-store-queues.c)
 */
gboolean  _esa_store_check_action    (EsaStore    *self,
                                      const char  *action_id,
                                      GError     **error);

/* The same for a user given by role (its stable name, "officer") rather than
 * the acting user, for a decision taken in a named user's name. */
gboolean  _esa_store_check_role      (EsaStore    *self,
                                      const char  *role,
                                      const char  *action_id,
                                      GError     **error);

/* Sets @error from the connection's last SQLite error, prefixed by @what. */
void      _esa_store_set_sqlite_error (EsaStore    *self,
                                       GError     **error,
                                       const char  *what);

/**
 * _esa_store_audit_append:
 * @at: (nullable): ISO 8601 UTC timestamp; NULL for now
 * @user_id: (nullable): acting user; NULL for the system
 *
 * Appends one entry to the hash chain. Must be called inside a transaction.
 */
gboolean  _esa_store_audit_append    (EsaStore    *self,
                                      const char  *at,
                                      const char  *user_id,
                                      const char  *action,
                                      const char  *entity,
                                      const char  *entity_id,
                                      const char  *debtor_id,
                                      const char  *summary,
                                      GError     **error);

/* Rebuilds the full-text document of one debtor (names, ids, addresses, act
 * numbers, payment references), inside the caller's transaction. */
gboolean  _esa_store_search_index_debtor (EsaStore    *self,
                                          const char  *debtor_id,
                                          GError     **error);
/* Rebuilds the documents of the debtors numbered @nums (debtors.num) in
 * one statement, inside the caller's transaction; @fresh: none of them has
 * a document yet (new debtors), so that there is nothing to delete. FTS5
 * writes its pending terms out at every statement boundary of a transaction,
 * so that indexing many debtors one call each would leave one small segment
 * per debtor. */
gboolean  _esa_store_search_index_debtors (EsaStore      *self,
                                           const gint64  *nums,
                                           guint          n_nums,
                                           gboolean       fresh,
                                           GError       **error);
/* The documents of debtors created in the caller's transaction, made from
 * the data the caller holds (a load list's rows) instead of read back:
 * _esa_store_search_stage_begin(), then _esa_store_search_stage_add() per
 * debtor, then _esa_store_search_stage_index() indexes them all in one
 * statement. The debtors must have no document yet. @refs: the references
 * of the debtor's positions in the order they were written, each appended
 * with _esa_store_search_append_ref(); @street, @postcode, @town: its one
 * address, or NULL. */
gboolean  _esa_store_search_stage_begin (EsaStore    *self,
                                         GError     **error);
gboolean  _esa_store_search_stage_add   (EsaStore    *self,
                                         gint64       num,
                                         const char  *name,
                                         const char  *tax_id,
                                         const char  *street,
                                         const char  *postcode,
                                         const char  *town,
                                         const char  *refs,
                                         GError     **error);
void      _esa_store_search_append_ref  (GString     *refs,
                                         const char  *reference,
                                         const char  *payment_reference);
gboolean  _esa_store_search_stage_index (EsaStore    *self,
                                         GError     **error);
/* Switches the CHECK constraints off for a bulk writer whose values hold
 * them by construction; returns what _esa_store_checks_restore() sets back. */
gint      _esa_store_checks_off      (EsaStore    *self);
void      _esa_store_checks_restore  (EsaStore    *self,
                                      gint         previous);
/* Rebuilds the whole full-text index from the tables (bulk loads). */
gboolean  _esa_store_search_rebuild  (EsaStore    *self,
                                      GError     **error);

/* ---- added for the store's own files (and useful to bulk loaders) ------- */

/* The application id Esattore writes into every database (PRAGMA
 * application_id): "ESAT". */
#define ESA_STORE_APPLICATION_ID 0x45534154

/**
 * _esa_store_prepare:
 * @sql: one statement; it is also the cache key
 *
 * Returns a statement prepared once per store (SQLITE_PREPARE_PERSISTENT)
 * and kept until the store is finalized. Hold it in a
 * g_autoptr(EsaStoreStmt), which resets it and clears its bindings when it
 * goes out of scope, so that no statement keeps a read transaction open.
 * A statement must not be used again while a previous use is still stepping.
 *
 * Returns: (transfer none): the statement, or NULL with @error set
 */
typedef sqlite3_stmt EsaStoreStmt;
EsaStoreStmt *_esa_store_prepare     (EsaStore    *self,
                                      const char  *sql,
                                      GError     **error);
void      _esa_store_stmt_release    (EsaStoreStmt *stmt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaStoreStmt, _esa_store_stmt_release)

/* Runs one or more statements without results (sqlite3_exec). */
gboolean  _esa_store_exec            (EsaStore    *self,
                                      const char  *sql,
                                      GError     **error);

/* Steps @stmt once more: TRUE with *out_row set for a row, TRUE with *out_row
 * FALSE at the end, FALSE with @error set on failure. */
gboolean  _esa_store_step            (EsaStore     *self,
                                      EsaStoreStmt *stmt,
                                      gboolean     *out_row,
                                      GError      **error);
/* Steps a statement that returns no rows (INSERT, UPDATE, DELETE). */
gboolean  _esa_store_step_done       (EsaStore     *self,
                                      EsaStoreStmt *stmt,
                                      GError      **error);

/* A column as a new string, NULL for SQL NULL. */
static inline char *
_esa_stmt_dup_text (EsaStoreStmt *stmt,
                    int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

/* Binds @text (NULL binds SQL NULL); SQLite copies it. */
static inline void
_esa_stmt_bind_text (EsaStoreStmt *stmt,
                     int           index,
                     const char   *text)
{
  sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

/* The write scope of one public write call: a transaction of its own
 * (BEGIN IMMEDIATE), or a savepoint inside the caller's _esa_store_begin().
 * _esa_store_write_end() commits (or releases) when @ok, and rolls back
 * otherwise; it returns @ok and FALSE with @error set when committing fails. */
gboolean  _esa_store_write_begin     (EsaStore    *self,
                                      GError     **error);
gboolean  _esa_store_write_end       (EsaStore    *self,
                                      gboolean     ok,
                                      GError     **error);

/* A consistent snapshot for several reads: a read transaction, or nothing
 * inside an open one. */
gboolean  _esa_store_read_begin      (EsaStore    *self,
                                      GError     **error);
void      _esa_store_read_end        (EsaStore    *self);

/**
 * _esa_store_outbox_append:
 * @kind: "field", "event" or "command" (DESIGN.md "Sync")
 * @entity: the entity name used in the audit journal ("debtor", "position" …)
 * @payload: (transfer none): a JSON object
 * @base_version: the row's version before the change; 0 for a new row
 *
 * Appends one operation with a new op id, the next hybrid logical clock
 * stamp and the current schema version, inside the caller's transaction.
 */
gboolean  _esa_store_outbox_append   (EsaStore    *self,
                                      const char  *kind,
                                      const char  *entity,
                                      const char  *entity_id,
                                      JsonNode    *payload,
                                      gint64       base_version,
                                      GError     **error);

/**
 * _esa_store_outbox_append_text:
 * @payload: a JSON object as text, e.g. built by a bulk writer
 * @created_at: (nullable): ISO 8601 UTC timestamp; NULL for now
 *
 * Like _esa_store_outbox_append() for a payload that is already text, so that
 * bulk writers (load lists) need not build a JsonNode per row.
 */
gboolean  _esa_store_outbox_append_text (EsaStore    *self,
                                         const char  *kind,
                                         const char  *entity,
                                         const char  *entity_id,
                                         const char  *payload,
                                         gint64       base_version,
                                         const char  *created_at,
                                         GError     **error);

/* The row images ({"t", "k", "before", "after"} objects, as a JSON array)
 * of the rows a "load_list_part" outbox operation created, made from its
 * columnar payload: a load list's import writes its rows without capturing
 * them one by one (esa-store-load-lists.c), and the sync push sends these
 * images instead. NULL when @payload is not such a part. (transfer full) */
char     *_esa_store_load_list_part_images (const char *payload);

/* The row images of an outbox operation written in bulk with the capture
 * triggers off: a load list's part, or a payment import's batch
 * (esa-store-columnar-private.h). NULL for any other operation.
 * (transfer full) */
char     *_esa_store_outbox_bulk_images (const char *entity,
                                         const char *payload);

/**
 * _esa_store_row_to_json:
 * @table: a table name from the schema
 *
 * Reads the row of @table with @id and returns it as a JSON object, one
 * member per column (the full-row payload of a creation).
 *
 * Returns: (transfer full): the object, or NULL with @error set
 */
JsonNode *_esa_store_row_to_json     (EsaStore    *self,
                                      const char  *table,
                                      const char  *id,
                                      GError     **error);

/* Now as an ISO 8601 UTC timestamp "2026-11-23T08:40:00Z". (transfer full) */
char     *_esa_store_now_iso         (void);

/* The parameters given with esa_store_set_procedures(), or NULL.
 * (transfer none) */
EsaParameters *_esa_store_get_parameters (EsaStore *self);

/* The SQL text of migration step @version (1 … current schema version), as
 * embedded in the library, for the migration tests. (transfer full) */
GBytes   *_esa_store_get_migration   (gint         version);

/* ---- sync (esa-store-sync.c) ------------------------------------------- */

/* Makes the capture triggers of the synced tables from their columns, again
 * whenever a migration step changed them; called on every open. */
gboolean  _esa_store_sync_install_triggers (EsaStore  *self,
                                            GError   **error);
/* Takes the rows captured since the previous append (the outbox column
 * `rows`: a JSON array of {"t","k","before","after"}, one entry per row);
 * *out_rows is NULL when nothing was captured. */
gboolean  _esa_store_sync_claim_rows  (EsaStore    *self,
                                       char       **out_rows,
                                       GError     **error);
/* Shifts this store's clock for the outbox stamps (simulated clock skew). */
void      _esa_store_set_clock_offset (EsaStore    *self,
                                       gint64       offset_ms);

G_END_DECLS
