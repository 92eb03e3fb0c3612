#pragma once

#include <json-glib/json-glib.h>

#include "esa-store.h"

G_BEGIN_DECLS

/* Offline sync, the store's side (DESIGN.md "Sync"; issue 5 contract):
 * capture of row images into the outbox, pages of pending operations,
 * acknowledgements, pulled rows, conflicts and assignments. No network here:
 * src/sync moves what these calls give and take. */

/* ---- the synced tables --------------------------------------------------- */

typedef struct
{
  const char         *name;
  const char * const *key;          /* primary-key columns; the row key joins them with "|" */
  const char         *debtor_column; /* the column holding the debtor id, or NULL */
  const char         *debtor_via;   /* else the column naming the parent … */
  const char         *debtor_sql;   /* … and the query from it (?1) to the debtor id */
  const char * const *counters;     /* columns merged additively by the server, or NULL */
} EsaSyncTable;

/* The synced tables in foreign-key order, parents first. */
const EsaSyncTable *esa_store_sync_tables       (guint       *out_n);
const EsaSyncTable *esa_store_sync_table_lookup (const char  *name);
gint                esa_store_sync_table_index  (const char  *name);

/* ---- capture ---------------------------------------------------------- */

/* Switches the capture triggers on or off (persistent: it is a row of the
 * database). Bulk writers that write a state the server already has (the
 * demo generator) and a server's own database switch it off. */
gboolean    esa_store_sync_set_capture  (EsaStore    *self,
                                         gboolean     on,
                                         GError     **error);
gboolean    esa_store_sync_get_capture  (EsaStore    *self);

/* ---- state ------------------------------------------------------------ */

/* Keys of sync_state used by src/sync. */
#define ESA_SYNC_STATE_SERVER     "server"
#define ESA_SYNC_STATE_CA         "ca_file"
#define ESA_SYNC_STATE_USER       "user"        /* login name */
#define ESA_SYNC_STATE_USER_ID    "user_id"
#define ESA_SYNC_STATE_OFFICE     "office_id"
#define ESA_SYNC_STATE_ROLE       "role"
#define ESA_SYNC_STATE_CURSOR     "cursor"
#define ESA_SYNC_STATE_LAST_SYNC  "last_sync"
#define ESA_SYNC_STATE_TOKEN      "token"
#define ESA_SYNC_STATE_EXPIRES    "expires_at"
#define ESA_SYNC_STATE_VERIFIER   "offline_verifier"
#define ESA_SYNC_STATE_DEVICE     "device"

/* (transfer full) the value, NULL when unset (not an error). */
char       *esa_store_sync_state_get    (EsaStore    *self,
                                         const char  *key,
                                         GError     **error);
/* @value NULL removes the key. */
gboolean    esa_store_sync_state_set    (EsaStore    *self,
                                         const char  *key,
                                         const char  *value,
                                         GError     **error);
/* The device id, made on first use. (transfer full) */
char       *esa_store_sync_device_id    (EsaStore    *self,
                                         GError     **error);

/* What the header shows. */
typedef struct
{
  gint64  pending_ops;
  gint64  open_conflicts;
  char   *last_sync;   /* ISO 8601 UTC, NULL when never */
  char   *cursor;      /* NULL before the first pull */
} EsaSyncCounts;

void        esa_sync_counts_clear       (EsaSyncCounts *counts);
gboolean    esa_store_sync_counts       (EsaStore      *self,
                                         EsaSyncCounts *out_counts,
                                         GError       **error);

/* ---- push --------------------------------------------------------------- */

/**
 * esa_store_sync_pending_ops:
 * @after_seq: the outbox seq after which to start (0 for the first page)
 * @limit: at most this many
 * @out_last_seq: (out): the seq of the last operation returned
 *
 * The pending (not acknowledged) operations in outbox order, each as the
 * JSON object of the push request: op_id, kind, entity, entity_id, payload,
 * rows, base_version, hlc, schema_version, created_at.
 *
 * Returns: (transfer full): a JSON array (empty at the end)
 */
JsonArray  *esa_store_sync_pending_ops  (EsaStore    *self,
                                         gint64       after_seq,
                                         guint        limit,
                                         gint64      *out_last_seq,
                                         GError     **error);

/* How many operations an acknowledgement settled. */
typedef struct
{
  guint applied;
  guint duplicates;
  guint conflicts;
} EsaSyncAckCounts;

/**
 * esa_store_sync_ack:
 * @results: the "results" array of a push answer
 *
 * Settles the operations the server answered, in one transaction: applied
 * and duplicate ones are acknowledged; a conflict is acknowledged too, and
 * its local effects are reverted by applying the server's current images of
 * the rows it touched (capture off). Results naming no pending operation
 * (an answer repeated by the network) change nothing.
 */
gboolean    esa_store_sync_ack          (EsaStore         *self,
                                         JsonArray        *results,
                                         EsaSyncAckCounts *out_counts,
                                         GError          **error);

/* ---- pull --------------------------------------------------------------- */

/**
 * esa_store_sync_apply_pull:
 * @rows: the "rows" of a pull answer: {"seq","t","k","after"|null}
 * @purge: (nullable): debtor ids no longer in scope
 * @next_cursor: stored with the rows
 * @out_applied: (out) (optional): rows written
 *
 * Writes a page of pulled rows and the new cursor in one transaction with
 * capture off: upserts by key (debtors keep or get a local num), deletes for
 * null images, purges the debtors out of scope, re-indexes the search
 * documents of the debtors touched (between esa_store_sync_pull_begin() and
 * esa_store_sync_pull_end(): notes them, and the end re-indexes each once)
 * and appends one audit entry.
 */
gboolean    esa_store_sync_apply_pull   (EsaStore    *self,
                                         JsonArray   *rows,
                                         JsonArray   *purge,
                                         const char  *next_cursor,
                                         guint       *out_applied,
                                         GError     **error);

/**
 * esa_store_sync_pull_begin:
 *
 * Before the pages of one pull: the server's change log holds each row once,
 * at the sequence of its latest change, so a page may hold a row whose
 * parent comes in a later page. Foreign keys are not enforced on this
 * connection until esa_store_sync_pull_end(). Not inside a transaction.
 */
gboolean    esa_store_sync_pull_begin   (EsaStore    *self,
                                         GError     **error);
/* Re-indexes the debtors the pages noted and enforces foreign keys again
 * (also after a failed page); @out_dangling: rows whose parent is still
 * missing after the last page (rows pointing out of the user's scope). */
gboolean    esa_store_sync_pull_end     (EsaStore    *self,
                                         gint64      *out_dangling,
                                         GError     **error);

/* Rebuilds the search documents of @debtor_ids (a server's store, whose rows
 * pushes write past the store's API). Unknown ids are skipped. */
gboolean    esa_store_sync_reindex_debtors (EsaStore            *self,
                                            const char * const  *debtor_ids,
                                            GError             **error);

/* Removes the debtors and everything of their dossiers (capture off). */
gboolean    esa_store_sync_purge        (EsaStore            *self,
                                         const char * const  *debtor_ids,
                                         GError             **error);

/**
 * esa_store_sync_dump_table:
 *
 * Every row of a synced table as {"k": image}, sorted by key (the
 * simulation test compares replicas with it).
 *
 * Returns: (transfer full): a JSON object
 */
JsonObject *esa_store_sync_dump_table   (EsaStore    *self,
                                         const char  *table,
                                         GError     **error);

/* Row image of one row of a synced table, NULL when missing. (transfer full) */
JsonNode   *esa_store_sync_row_image    (EsaStore    *self,
                                         const char  *table,
                                         const char  *key,
                                         GError     **error);

/* ---- conflicts ---------------------------------------------------------- */

typedef struct
{
  char *id;
  char *op_id;
  char *entity;
  char *entity_id;
  char *debtor_id;
  char *debtor_name;   /* NULL when the debtor is not on this device */
  char *kind;
  char *message;
  char *local;         /* JSON text: what this side wanted */
  char *server;        /* JSON text: what the server has */
  char *state;         /* "open" or "resolved" */
  char *resolved_by;
  char *resolved_at;
  char *resolution;
  char *created_at;    /* ISO 8601 UTC, when the server refused; NULL before step 8 */
  char *user_id;       /* whose operation the server refused */
  char *user_name;     /* that user's name, NULL when unknown here */
} EsaSyncConflict;

void        esa_sync_conflict_free      (EsaSyncConflict *conflict);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaSyncConflict, esa_sync_conflict_free)

/* (transfer container) (element-type EsaSyncConflict) newest first */
GPtrArray  *esa_store_sync_list_conflicts (EsaStore    *self,
                                           gboolean     open_only,
                                           GError     **error);
/* One open conflict by id. (transfer full) NULL with ESA_STORE_ERROR_NOT_FOUND */
EsaSyncConflict *esa_store_sync_get_conflict (EsaStore    *self,
                                              const char  *conflict_id,
                                              GError     **error);

/* "Keep Server Version": marks a conflict resolved by the acting user with
 * @resolution (what was decided, in a sentence); the server's rows, already
 * on this device, stay. The resolution is a field operation of its own. */
gboolean    esa_store_sync_resolve_conflict (EsaStore    *self,
                                             const char  *conflict_id,
                                             const char  *resolution,
                                             GError     **error);

/**
 * esa_store_sync_apply_mine_again:
 *
 * "Apply Mine Again": re-issues this side of a conflict as a new operation
 * (a fresh op id and clock stamp) whose base is the row as the server has it
 * now (the replica's current row), applies it here, and marks the conflict
 * resolved, all in one transaction with their audit entries and outbox
 * operations.
 *
 * An edit or an event is written again over the current rows: at the next
 * sync its fields win, as the newest change. A step of a case's procedure is
 * taken again on the case as it is now (a new step number, new act numbers):
 * when the procedure no longer allows it here, ESA_STORE_ERROR_INVALID says
 * why and the conflict stays open. The server checks the step again with its
 * own engine, so a case that moved on meanwhile on the server gives a new
 * conflict instead of being overwritten.
 */
gboolean    esa_store_sync_apply_mine_again (EsaStore    *self,
                                             const char  *conflict_id,
                                             GError     **error);

/* ---- assignments ("take dossiers offline") ------------------------------ */

/* Assigns the debtor to the field officer (an event operation); the server
 * then sends the dossier to that officer's devices. (transfer full) the id */
char       *esa_store_sync_assign       (EsaStore    *self,
                                         const char  *debtor_id,
                                         const char  *user_id,
                                         GError     **error);
/* Ends the assignment; the server purges the dossier from the officer's
 * devices at their next pull. */
gboolean    esa_store_sync_unassign     (EsaStore    *self,
                                         const char  *debtor_id,
                                         const char  *user_id,
                                         GError     **error);
/* (transfer full) debtor ids assigned to @user_id */
GStrv       esa_store_sync_assigned     (EsaStore    *self,
                                         const char  *user_id,
                                         GError     **error);

G_END_DECLS
