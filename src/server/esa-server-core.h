#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "esa-server-backend.h"

G_BEGIN_DECLS

/* The server without its transport: accounts and tokens, push (apply each
 * operation once, per kind, with its change-log rows) and pull (pages of
 * the change log in the user's scope). esa-server-http.c only parses and
 * serialises; the simulation tests call this directly. The wire format is
 * /work/briefs/issue5-contract.md, documented in help/C/server-api.page. */

typedef struct _EsaServerCore EsaServerCore;

/* Throttling: this many failed logins of one user from one address within
 * the window block that pair for the window. */
#define ESA_SERVER_MAX_FAILURES   5
#define ESA_SERVER_FAILURE_WINDOW (15 * 60)
/* The default lifetime of a token: a working day. */
#define ESA_SERVER_TOKEN_LIFETIME (8 * 3600)

/**
 * esa_server_core_init:
 * @dir: the data directory; created when missing
 * @password: (nullable): the administrator's password; NULL makes one
 * @out_password: (out) (optional) (transfer full): the password made, or NULL
 * @out_ca_path: (out) (optional) (transfer full): the development CA to give clients
 *
 * Creates DIR/server.db (the EsaStore schema and the server tables), the
 * development certificates when DIR has none, and the account "admin"
 * (role administrator, no office). Refuses a DIR that already has a
 * server.db.
 */
gboolean       esa_server_core_init        (const char  *dir,
                                            const char  *password,
                                            char       **out_password,
                                            char       **out_ca_path,
                                            GError     **error);

/* Opens DIR/server.db, made by esa_server_core_init(), with the shipped
 * procedures loaded (the server re-checks commands with them). */
EsaServerCore *esa_server_core_open        (const char  *dir,
                                            GError     **error);
void           esa_server_core_free        (EsaServerCore *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaServerCore, esa_server_core_free)

EsaServerBackend *esa_server_core_get_backend (EsaServerCore *self);
const char    *esa_server_core_get_dir     (EsaServerCore *self);

/* Seconds a token lives (default ESA_SERVER_TOKEN_LIFETIME). */
void           esa_server_core_set_token_lifetime (EsaServerCore *self,
                                                   gint64         seconds);
/* The clock (Unix seconds) for tokens and throttling; NULL for the real one
 * (tests move time on with it). */
void           esa_server_core_set_clock   (EsaServerCore  *self,
                                            gint64        (*now) (gpointer data),
                                            gpointer        data);

/**
 * esa_server_core_demo:
 *
 * Fills the server database with the demo data of esattore-cli demo (the
 * same seed gives the same ids) and logs every synced row, so that a first
 * pull receives them.
 */
gboolean       esa_server_core_demo        (EsaServerCore  *self,
                                            guint           debtors,
                                            guint64         seed,
                                            GError        **error);

/**
 * esa_server_core_user_add:
 * @role: a role name (esa_role_to_string())
 * @office_id: an office of the database
 *
 * Adds an account that logs in as @login. When the database has a user with
 * that login (the demo's users), the account is that user's, and @role and
 * @office_id must be theirs; otherwise a new user row is made and synced.
 *
 * Returns: (transfer full): the user's id, or NULL with @error set
 */
char          *esa_server_core_user_add    (EsaServerCore  *self,
                                            const char     *login,
                                            const char     *role,
                                            const char     *office_id,
                                            const char     *password,
                                            GError        **error);

/* GET /health: {"status":"ok","schema":N,"server_seq":S}. (transfer full) */
char          *esa_server_core_health      (EsaServerCore *self);

/**
 * esa_server_core_login:
 * @address: the client's address (throttling counts per user and address)
 * @out_status: (out): 200, 400 (malformed), 401 (wrong credentials) or 429
 *   (throttled)
 *
 * Returns: (transfer full): the answer's JSON object
 */
JsonNode      *esa_server_core_login       (EsaServerCore  *self,
                                            JsonNode       *request,
                                            const char     *address,
                                            guint          *out_status);

/**
 * esa_server_core_authenticate:
 * @token: the bearer token
 * @out_error: (out): "token_expired" or "bad_token" when NULL is returned
 *
 * Returns: (transfer full) (nullable): the token's account
 */
EsaServerAccount *esa_server_core_authenticate (EsaServerCore  *self,
                                                const char     *token,
                                                const char    **out_error);

/**
 * esa_server_core_push:
 * @request: {"schema", "device", "ops": […]}
 *
 * Applies each operation once, in order: {"results": […]}. A malformed
 * request gives ESA_SERVER_ERROR_INVALID; a conflict is a result, not an
 * error.
 *
 * Returns: (transfer full): the answer, or NULL with @error set
 */
JsonNode      *esa_server_core_push        (EsaServerCore           *self,
                                            const EsaServerAccount  *account,
                                            JsonNode                *request,
                                            GError                 **error);

/**
 * esa_server_core_pull:
 * @cursor: the last server sequence the client has
 * @limit: rows per page (at most 10000)
 *
 * Returns: (transfer full): {"rows","next_cursor","more","purge"} as text,
 *   or NULL with @error set
 */
char          *esa_server_core_pull        (EsaServerCore           *self,
                                            const EsaServerAccount  *account,
                                            gint64                   cursor,
                                            guint                    limit,
                                            GError                 **error);

/**
 * esa_server_core_handle:
 * @method: "GET" or "POST"
 * @path: below /api/v1, with its query: "/health", "/login", "/push",
 *   "/pull?cursor=12&limit=500"
 * @token: (nullable): the bearer token
 * @body: (nullable): the request's JSON
 * @address: the client's address (login throttling)
 * @out_status: (out): the HTTP status of the answer
 *
 * One JSON request served in-process, as the HTTPS layer would: for the
 * simulation tests (the client's direct transport) and benchmarks.
 * Attachments are not served here.
 *
 * Returns: (transfer full): the answer
 */
JsonNode      *esa_server_core_handle      (EsaServerCore  *self,
                                            const char     *method,
                                            const char     *path,
                                            const char     *token,
                                            JsonNode       *body,
                                            const char     *address,
                                            guint          *out_status);

/* Attachments by SHA-256 (lower-case hex) under DIR/attachments. A file is
 * given only to an account that may see a document row naming it (its
 * office; for a field officer, an assigned debtor); to anyone else it does
 * not exist (ESA_SERVER_ERROR_NOT_FOUND). */
GBytes        *esa_server_core_attachment_get (EsaServerCore           *self,
                                               const EsaServerAccount  *account,
                                               const char              *sha256,
                                               GError                 **error);
gboolean       esa_server_core_attachment_put (EsaServerCore  *self,
                                               const char     *sha256,
                                               GBytes         *bytes,
                                               GError        **error);

G_END_DECLS
