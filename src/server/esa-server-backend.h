#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The storage of esattore-server behind one interface, so that a PostgreSQL
 * backend can follow the SQLite one (DESIGN.md "Scale path"). The backend
 * holds the server's own tables (accounts, tokens, login failures, ops, the
 * change log, field clocks and history) and reads and writes the synced
 * tables of the EsaStore schema as row images (JSON objects, one member per
 * column, without device-local integer keys). The logic of sync (what wins,
 * what conflicts, who sees what) lives in esa-server-core.c, above it. */

#define ESA_SERVER_ERROR (esa_server_error_quark ())

typedef enum
{
  ESA_SERVER_ERROR_IO,          /* the database failed; the message has its text */
  ESA_SERVER_ERROR_INVALID,     /* a request that breaks a rule (the message says which) */
  ESA_SERVER_ERROR_NOT_FOUND,   /* no such user, office, row … */
  ESA_SERVER_ERROR_EXISTS,      /* already there (a login taken …) */
  ESA_SERVER_ERROR_TLS,         /* certificates could not be made or read */
} EsaServerError;

GQuark esa_server_error_quark (void);

/* An account that may log in. user_id names its row of the store's users
 * table (the acting user of its commands); the administrator made by
 * `esattore-server init` has none and no office, so it receives no rows. */
typedef struct
{
  char *id;
  char *login;
  char *name;
  char *role;        /* esa_role_to_string () */
  char *office_id;   /* NULL: no office */
  char *user_id;     /* NULL: no store user */
  char *hash;        /* crypto_pwhash_str () */
} EsaServerAccount;

void esa_server_account_free (EsaServerAccount *account);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaServerAccount, esa_server_account_free)

/* Who pulls: an office, and for a field officer the user whose assigned
 * debtors (assignments) make the scope. */
typedef struct
{
  const char *office_id;
  const char *assigned_user_id;   /* NULL: the whole office */
  const char *user_id;            /* rows logged for this user only (newly assigned debtors) */
} EsaServerScope;

typedef struct _EsaServerBackend EsaServerBackend;

typedef struct
{
  void              (*free)            (EsaServerBackend *self);
  gboolean          (*begin)           (EsaServerBackend *self, GError **error);
  gboolean          (*commit)          (EsaServerBackend *self, GError **error);
  void              (*rollback)        (EsaServerBackend *self);
  /* A batch: one transaction around several begin … commit pairs, which
   * become savepoints inside it (a push of many operations commits once). */
  gboolean          (*batch_begin)     (EsaServerBackend *self, GError **error);
  gboolean          (*batch_end)       (EsaServerBackend *self, gboolean commit,
                                        GError **error);
  gint64            (*last_seq)        (EsaServerBackend *self, GError **error);

  gboolean          (*account_add)     (EsaServerBackend *self, const EsaServerAccount *account,
                                        GError **error);
  EsaServerAccount *(*account_find)    (EsaServerBackend *self, const char *login,
                                        GError **error);
  gint              (*failures_since)  (EsaServerBackend *self, const char *login,
                                        const char *address, gint64 since, gint64 *out_latest,
                                        GError **error);
  gboolean          (*failure_add)     (EsaServerBackend *self, const char *login,
                                        const char *address, gint64 at, GError **error);
  gboolean          (*failures_clear)  (EsaServerBackend *self, const char *login,
                                        const char *address, GError **error);
  gboolean          (*token_add)       (EsaServerBackend *self, const char *token_hash,
                                        const char *account_id, gint64 expires,
                                        GError **error);
  EsaServerAccount *(*token_find)      (EsaServerBackend *self, const char *token_hash,
                                        gint64 *out_expires, GError **error);

  char             *(*op_find)         (EsaServerBackend *self, const char *op_id,
                                        GError **error);
  gboolean          (*op_add)          (EsaServerBackend *self, const char *op_id,
                                        const char *account_id, const char *result,
                                        GError **error);

  gboolean          (*is_synced_table) (EsaServerBackend *self, const char *table);
  JsonObject       *(*row_get)         (EsaServerBackend *self, const char *table,
                                        const char *key, GError **error);
  gboolean          (*row_put)         (EsaServerBackend *self, const char *table,
                                        JsonObject *image, GError **error);
  /* Numbers made offline on two devices can collide: a new act whose
   * number another act has gets the next number of its series, a new
   * case step whose seq another step of the case has gets the next seq.
   * Changes @image; TRUE when nothing collides or it was renumbered. */
  gboolean          (*row_renumber)    (EsaServerBackend *self, const char *table,
                                        JsonObject *image, GError **error);
  gboolean          (*row_delete)      (EsaServerBackend *self, const char *table,
                                        const char *key, GError **error);
  gboolean          (*row_scope)       (EsaServerBackend *self, const char *table,
                                        const char *key, GStrv *out_offices,
                                        char **out_debtor_id, GError **error);
  gint64            (*log_row)         (EsaServerBackend *self, const char *table,
                                        const char *key, GError **error);
  gint64            (*log_tombstone)   (EsaServerBackend *self, const char *table,
                                        const char *key, const char * const *offices,
                                        const char *debtor_id, GError **error);
  gint64            (*log_debtor)      (EsaServerBackend *self, const char *debtor_id,
                                        const char *for_user, GError **error);
  gint64            (*log_all)         (EsaServerBackend *self, GError **error);
  char             *(*clock_get)       (EsaServerBackend *self, const char *table,
                                        const char *key, const char *field, GError **error);
  gboolean          (*clock_set)       (EsaServerBackend *self, const char *table,
                                        const char *key, const char *field, const char *hlc,
                                        GError **error);
  gboolean          (*history_add)     (EsaServerBackend *self, const char *table,
                                        const char *key, const char *field, JsonNode *value,
                                        const char *hlc, const char *op_id, GError **error);
  gboolean          (*is_assigned)     (EsaServerBackend *self, const char *user_id,
                                        const char *debtor_id, gboolean *out_assigned,
                                        GError **error);
  /* The ids of the documents rows whose file has @sha256, into @out_ids. */
  gboolean          (*documents_with_hash) (EsaServerBackend *self, const char *sha256,
                                            GPtrArray *out_ids, GError **error);
  gboolean          (*pull)            (EsaServerBackend *self, const EsaServerScope *scope,
                                        gint64 cursor, guint limit, GString *rows,
                                        gint64 *out_next, gboolean *out_more, GPtrArray *purge,
                                        GError **error);
} EsaServerBackendVTable;

/* Every backend starts with this. */
struct _EsaServerBackend
{
  const EsaServerBackendVTable *vt;
};

/* Closes the backend and frees it. */
void esa_server_backend_free (EsaServerBackend *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaServerBackend, esa_server_backend_free)

/**
 * esa_server_backend_sqlite_new:
 * @path: the server database (DIR/server.db), already an EsaStore database
 *
 * Opens the SQLite backend on @path and creates the server tables when
 * missing.
 *
 * Returns: (transfer full): the backend, or NULL with @error set
 */
EsaServerBackend *esa_server_backend_sqlite_new (const char  *path,
                                                 GError     **error);

G_END_DECLS
