/* The transport-free server (DESIGN.md "Sync"): what an operation does to
 * the server's rows, what conflicts, and which rows a user receives. */

#include "esa-config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>

#include "esa-core.h"
#include "esa-demo.h"
#include "esa-server-core.h"
#include "esa-server-tls.h"
#include "esa-store.h"
#include "esa-store-sync.h"

struct _EsaServerCore
{
  char             *dir;
  EsaStore         *store;
  EsaServerBackend *backend;
  gint64            token_lifetime;
  gint64          (*now) (gpointer data);
  gpointer          now_data;
};

#define MAX_PULL_LIMIT 10000

static gboolean
sodium_ready (GError **error)
{
  if (sodium_init () < 0)
    {
      g_set_error_literal (error, ESA_SERVER_ERROR, ESA_SERVER_ERROR_IO,
                           _("libsodium could not be initialised"));
      return FALSE;
    }
  return TRUE;
}

static gint64
core_now (EsaServerCore *self)
{
  if (self->now != NULL)
    return self->now (self->now_data);
  return g_get_real_time () / G_USEC_PER_SEC;
}

static char *
hash_password (const char  *password,
               GError     **error)
{
  char hash[crypto_pwhash_STRBYTES];

  if (crypto_pwhash_str (hash, password, strlen (password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      g_set_error_literal (error, ESA_SERVER_ERROR, ESA_SERVER_ERROR_IO,
                           _("not enough memory to hash the password"));
      return NULL;
    }
  return g_strdup (hash);
}

/* Random text of @bytes random bytes, as hex. */
static char *
random_hex (gsize bytes)
{
  g_autofree guint8 *buffer = g_malloc (bytes);
  char *hex = g_malloc (bytes * 2 + 1);

  randombytes_buf (buffer, bytes);
  sodium_bin2hex (hex, bytes * 2 + 1, buffer, bytes);
  return hex;
}

static char *
token_hash (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

gboolean
esa_server_core_init (const char  *dir,
                      const char  *password,
                      char       **out_password,
                      char       **out_ca_path,
                      GError     **error)
{
  g_autofree char *path = g_build_filename (dir, "server.db", NULL);
  g_autofree char *made = NULL;
  g_autofree char *ca_path = NULL;
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(EsaServerBackend) backend = NULL;
  g_autoptr(EsaServerAccount) admin = g_new0 (EsaServerAccount, 1);

  if (!sodium_ready (error))
    return FALSE;
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, ESA_SERVER_ERROR, ESA_SERVER_ERROR_EXISTS,
                   /* Translators: %s is a file */
                   _("%s already exists: the server is initialised"), path);
      return FALSE;
    }
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, ESA_SERVER_ERROR, ESA_SERVER_ERROR_IO,
                   /* Translators: %s is a directory, %s the system's reason */
                   _("cannot create %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }

  if (password == NULL)
    password = made = random_hex (12);

  store = esa_store_open (path, error);
  if (store == NULL || !esa_store_sync_set_capture (store, FALSE, error))
    return FALSE;
  backend = esa_server_backend_sqlite_new (path, error);
  if (backend == NULL || !esa_server_tls_make_development (dir, &ca_path, error))
    return FALSE;

  admin->id = esa_uuid_new ();
  admin->login = g_strdup ("admin");
  admin->name = g_strdup (_("Server administrator"));
  admin->role = g_strdup ("administrator");
  admin->hash = hash_password (password, error);
  if (admin->hash == NULL || !backend->vt->account_add (backend, admin, error))
    return FALSE;

  if (out_password != NULL)
    *out_password = g_steal_pointer (&made);
  if (out_ca_path != NULL)
    *out_ca_path = g_steal_pointer (&ca_path);
  return TRUE;
}

EsaServerCore *
esa_server_core_open (const char  *dir,
                      GError     **error)
{
  g_autofree char *path = g_build_filename (dir, "server.db", NULL);
  g_autofree char *procedures_dir = esa_data_dir ("procedures");
  g_autoptr(EsaParameters) params = NULL;
  g_autoptr(GPtrArray) procedures = NULL;
  EsaServerCore *self;

  if (!sodium_ready (error))
    return NULL;
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, ESA_SERVER_ERROR, ESA_SERVER_ERROR_NOT_FOUND,
                   /* Translators: %s is a file */
                   _("%s does not exist: run “esattore-server --data DIR init” first"), path);
      return NULL;
    }
  params = esa_parameters_load_default (error);
  if (params == NULL)
    return NULL;
  procedures = esa_procedure_load_dir (procedures_dir, params, error);
  if (procedures == NULL)
    return NULL;

  self = g_new0 (EsaServerCore, 1);
  self->dir = g_strdup (dir);
  self->token_lifetime = ESA_SERVER_TOKEN_LIFETIME;
  self->store = esa_store_open (path, error);
  if (self->store != NULL && esa_store_sync_set_capture (self->store, FALSE, error))
    self->backend = esa_server_backend_sqlite_new (path, error);
  if (self->backend == NULL)
    {
      esa_server_core_free (self);
      return NULL;
    }
  esa_store_set_procedures (self->store, procedures, params);
  return self;
}

void
esa_server_core_free (EsaServerCore *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->backend, esa_server_backend_free);
  g_clear_object (&self->store);
  g_free (self->dir);
  g_free (self);
}

EsaServerBackend *
esa_server_core_get_backend (EsaServerCore *self)
{
  return self->backend;
}

const char *
esa_server_core_get_dir (EsaServerCore *self)
{
  return self->dir;
}

void
esa_server_core_set_token_lifetime (EsaServerCore *self,
                                    gint64         seconds)
{
  self->token_lifetime = seconds;
}

void
esa_server_core_set_clock (EsaServerCore  *self,
                           gint64        (*now) (gpointer data),
                           gpointer        data)
{
  self->now = now;
  self->now_data = data;
}

/* ---- administration ---------------------------------------------------- */

gboolean
esa_server_core_demo (EsaServerCore  *self,
                      guint           debtors,
                      guint64         seed,
                      GError        **error)
{
  EsaServerBackend *backend = self->backend;
  EsaDemoOptions options;

  esa_demo_options_init (&options);
  options.debtors = debtors;
  options.seed = seed;
  /* The generator leaves the capture of changes on, for a workstation; the
   * server logs its rows itself. */
  if (!esa_demo_generate (self->store, &options, error)
      || !esa_store_sync_set_capture (self->store, FALSE, error))
    return FALSE;

  if (!backend->vt->begin (backend, error))
    return FALSE;
  if (backend->vt->log_all (backend, error) < 0 || !backend->vt->commit (backend, error))
    {
      backend->vt->rollback (backend);
      return FALSE;
    }
  return TRUE;
}

char *
esa_server_core_user_add (EsaServerCore  *self,
                          const char     *login,
                          const char     *role,
                          const char     *office_id,
                          const char     *password,
                          GError        **error)
{
  EsaServerBackend *backend = self->backend;
  g_autoptr(EsaServerAccount) account = g_new0 (EsaServerAccount, 1);
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(JsonObject) office = NULL;
  EsaRole parsed;
  EsaUser *existing = NULL;

  if (!esa_role_from_string (role, &parsed))
    {
      g_set_error (error, ESA_SERVER_ERROR, ESA_SERVER_ERROR_INVALID,
                   /* Translators: %s is what was given as a role */
                   _("“%s” is not a role: officer, field_officer, team_lead, responsible, "
                     "contact_operator, administrator or auditor"), role);
      return NULL;
    }
  if (login == NULL || *login == '\0' || password == NULL || *password == '\0')
    {
      g_set_error_literal (error, ESA_SERVER_ERROR, ESA_SERVER_ERROR_INVALID,
                           _("a user needs a login name and a password"));
      return NULL;
    }
  office = backend->vt->row_get (backend, "offices", office_id, error);
  if (office == NULL)
    {
      if (error == NULL || *error == NULL)
        g_set_error (error, ESA_SERVER_ERROR, ESA_SERVER_ERROR_NOT_FOUND,
                     /* Translators: %s is an office id */
                     _("there is no office %s"), office_id);
      return NULL;
    }

  users = esa_store_list_users (self->store, error);
  if (users == NULL)
    return NULL;
  for (guint i = 0; i < users->len && existing == NULL; i++)
    {
      EsaUser *user = g_ptr_array_index (users, i);

      if (g_strcmp0 (user->login, login) == 0)
        existing = user;
    }
  if (existing != NULL && (existing->role != parsed
                           || g_strcmp0 (existing->office_id, office_id) != 0))
    {
      g_set_error (error, ESA_SERVER_ERROR, ESA_SERVER_ERROR_EXISTS,
                   /* Translators: %s is a login, then a role and an office id */
                   _("user %s already exists as %s of office %s"), login,
                   esa_role_to_string (existing->role), existing->office_id);
      return NULL;
    }

  account->id = esa_uuid_new ();
  account->login = g_strdup (login);
  account->name = g_strdup (existing != NULL ? existing->name : login);
  account->role = g_strdup (role);
  account->office_id = g_strdup (office_id);
  account->user_id = existing != NULL ? g_strdup (existing->id) : esa_uuid_new ();
  account->hash = hash_password (password, error);
  if (account->hash == NULL || !backend->vt->begin (backend, error))
    return NULL;
  if (existing == NULL)
    {
      g_autoptr(JsonObject) image = json_object_new ();

      json_object_set_string_member (image, "id", account->user_id);
      json_object_set_string_member (image, "name", login);
      json_object_set_string_member (image, "login", login);
      json_object_set_string_member (image, "role", role);
      json_object_set_string_member (image, "office_id", office_id);
      json_object_set_int_member (image, "version", 1);
      if (!backend->vt->row_put (backend, "users", image, error)
          || backend->vt->log_row (backend, "users", account->user_id, error) < 0)
        {
          backend->vt->rollback (backend);
          return NULL;
        }
    }
  if (!backend->vt->account_add (backend, account, error)
      || !backend->vt->commit (backend, error))
    {
      backend->vt->rollback (backend);
      return NULL;
    }
  return g_steal_pointer (&account->user_id);
}

/* ---- health and login ---------------------------------------------------- */

char *
esa_server_core_health (EsaServerCore *self)
{
  gint64 seq = self->backend->vt->last_seq (self->backend, NULL);

  return g_strdup_printf ("{\"status\":\"ok\",\"schema\":%d,\"server_seq\":%" G_GINT64_FORMAT "}",
                          esa_store_get_schema_version (self->store), MAX (seq, 0));
}

static JsonNode *
error_answer (const char *code,
              const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, code);
  if (message != NULL)
    {
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, message);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonNode *
esa_server_core_login (EsaServerCore  *self,
                       JsonNode       *request,
                       const char     *address,
                       guint          *out_status)
{
  EsaServerBackend *backend = self->backend;
  JsonObject *object = request != NULL && JSON_NODE_HOLDS_OBJECT (request)
                       ? json_node_get_object (request) : NULL;
  const char *login = member_string (object, "user");
  const char *password = member_string (object, "password");
  g_autoptr(EsaServerAccount) account = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(GDateTime) expires_at = NULL;
  g_autofree char *expires_text = NULL;
  gint64 now = core_now (self);
  gint64 latest = 0;
  gint failures;

  if (login == NULL || password == NULL)
    {
      *out_status = 400;
      return error_answer ("bad_request", _("a login needs “user” and “password”"));
    }

  failures = backend->vt->failures_since (backend, login, address,
                                          now - ESA_SERVER_FAILURE_WINDOW, &latest, &error);
  if (failures < 0)
    {
      *out_status = 500;
      return error_answer ("server_error", error->message);
    }
  if (failures >= ESA_SERVER_MAX_FAILURES)
    {
      g_autoptr(JsonNode) node = NULL;
      gint64 retry = MAX (latest + ESA_SERVER_FAILURE_WINDOW - now, 1);
      g_autofree char *message =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "Too many failed logins: try again in %d minute.",
                                      "Too many failed logins: try again in %d minutes.",
                                      (gulong) ((retry + 59) / 60)),
                         (int) ((retry + 59) / 60));

      node = error_answer ("throttled", message);
      json_object_set_int_member (json_node_get_object (node), "retry_after", retry);
      *out_status = 429;
      return g_steal_pointer (&node);
    }

  account = backend->vt->account_find (backend, login, &error);
  if (account == NULL && error != NULL)
    {
      *out_status = 500;
      return error_answer ("server_error", error->message);
    }
  if (account == NULL
      || crypto_pwhash_str_verify (account->hash, password, strlen (password)) != 0)
    {
      backend->vt->failure_add (backend, login, address, now, NULL);
      *out_status = 401;
      return error_answer ("wrong_credentials", _("Wrong user name or password."));
    }

  token = random_hex (32);
  hash = token_hash (token);
  if (!backend->vt->failures_clear (backend, login, address, &error)
      || !backend->vt->token_add (backend, hash, account->id, now + self->token_lifetime, &error))
    {
      *out_status = 500;
      return error_answer ("server_error", error->message);
    }
  expires_at = g_date_time_new_from_unix_utc (now + self->token_lifetime);
  expires_text = g_date_time_format (expires_at, "%Y-%m-%dT%H:%M:%SZ");

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, token);
  json_builder_set_member_name (builder, "expires_at");
  json_builder_add_string_value (builder, expires_text);
  json_builder_set_member_name (builder, "user");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, account->user_id);
  json_builder_set_member_name (builder, "login");
  json_builder_add_string_value (builder, account->login);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, account->name);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, account->role);
  json_builder_set_member_name (builder, "office_id");
  json_builder_add_string_value (builder, account->office_id);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  *out_status = 200;
  return json_builder_get_root (builder);
}

EsaServerAccount *
esa_server_core_authenticate (EsaServerCore  *self,
                              const char     *token,
                              const char    **out_error)
{
  g_autofree char *hash = NULL;
  g_autoptr(EsaServerAccount) account = NULL;
  gint64 expires = 0;

  *out_error = "bad_token";
  if (token == NULL || *token == '\0')
    return NULL;
  hash = token_hash (token);
  account = self->backend->vt->token_find (self->backend, hash, &expires, NULL);
  if (account == NULL)
    return NULL;
  if (expires <= core_now (self))
    {
      *out_error = "token_expired";
      return NULL;
    }
  *out_error = NULL;
  return g_steal_pointer (&account);
}

/* ---- push ------------------------------------------------------------------ */

typedef struct
{
  EsaServerCore          *core;
  const EsaServerAccount *account;
  JsonObject             *op;
  const char             *op_id;
  const char             *kind;
  const char             *hlc;
  JsonArray              *rows;      /* may be NULL */
  GPtrArray              *touched;   /* "t\nk" */
  gint64                  seq;
} Apply;

static gboolean
is_field_officer (const EsaServerAccount *account)
{
  return g_strcmp0 (account->role, "field_officer") == 0;
}

/* The account may write rows of @offices about @debtor_id. */
static gboolean
check_scope (Apply        *apply,
             const char   *table,
             const char   *key,
             GError      **error)
{
  EsaServerBackend *backend = apply->core->backend;
  g_auto(GStrv) offices = NULL;
  g_autofree char *debtor = NULL;
  gboolean assigned = TRUE;

  if (!backend->vt->row_scope (backend, table, key, &offices, &debtor, error))
    return FALSE;
  /* A field officer works on the debtors assigned to them only. */
  if (is_field_officer (apply->account))
    {
      if (debtor == NULL)
        assigned = FALSE;
      else if (!backend->vt->is_assigned (backend, apply->account->user_id, debtor, &assigned,
                                          error))
        return FALSE;
    }
  if (!g_strv_contains ((const char * const *) offices, apply->account->office_id) || !assigned)
    {
      g_set_error (error, ESA_SERVER_ERROR, ESA_SERVER_ERROR_INVALID,
                   /* Translators: %s is a table, %s a row key */
                   _("the row %s %s is outside what this user may change"), table, key);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_counter (const char *table,
            const char *field)
{
  return g_str_equal (field, "paid")
         && (g_str_equal (table, "positions") || g_str_equal (table, "instalments"));
}

static gint64
node_int (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  return json_node_get_int (node);
}

/* Field edits: each changed field of the op's row wins when its clock is
 * not behind the server's for that field; the loser is kept in history.
 * Counters merge by their difference. */
static gboolean
merge_row (Apply       *apply,
           const char  *table,
           const char  *key,
           JsonObject  *current,
           JsonObject  *before,
           JsonObject  *after,
           GError     **error)
{
  EsaServerBackend *backend = apply->core->backend;
  g_autoptr(GList) members = json_object_get_members (after);
  gboolean changed = FALSE;

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *field = l->data;
      JsonNode *was = json_object_get_member (before, field);
      JsonNode *now = json_object_get_member (after, field);
      g_autofree char *clock = NULL;

      if (g_str_equal (field, "version") || (was != NULL && json_node_equal (was, now)))
        continue;
      if (is_counter (table, field))
        {
          json_object_set_int_member (current, field,
                                      node_int (json_object_get_member (current, field))
                                      + node_int (now) - node_int (was));
          changed = TRUE;
          continue;
        }
      clock = backend->vt->clock_get (backend, table, key, field, error);
      if (clock == NULL && error != NULL && *error != NULL)
        return FALSE;
      if (clock != NULL && g_strcmp0 (clock, apply->hlc) > 0)
        {
          if (!backend->vt->history_add (backend, table, key, field, now, apply->hlc,
                                         apply->op_id, error))
            return FALSE;
          continue;
        }
      if (!backend->vt->history_add (backend, table, key, field,
                                     json_object_get_member (current, field), clock, NULL, error)
          || !backend->vt->clock_set (backend, table, key, field, apply->hlc, error))
        return FALSE;
      json_object_set_member (current, field, json_node_copy (now));
      changed = TRUE;
    }
  /* Payments merged from two devices may pay a position in full although
   * neither device saw it paid: the state follows the merged sum, as the
   * store's payment booking sets it. */
  if (changed && g_str_equal (table, "positions")
      && g_strcmp0 (member_string (current, "state"), "open") == 0
      && node_int (json_object_get_member (current, "paid"))
         >= node_int (json_object_get_member (current, "principal"))
            + node_int (json_object_get_member (current, "sanctions"))
            + node_int (json_object_get_member (current, "interest"))
            + node_int (json_object_get_member (current, "costs")))
    {
      g_autoptr(JsonNode) paid = json_node_init_string (json_node_alloc (), "paid");

      if (!backend->vt->history_add (backend, table, key, "state",
                                     json_object_get_member (current, "state"), NULL, NULL,
                                     error)
          || !backend->vt->clock_set (backend, table, key, "state", apply->hlc, error))
        return FALSE;
      json_object_set_member (current, "state", g_steal_pointer (&paid));
    }
  if (changed)
    json_object_set_int_member (current, "version",
                                node_int (json_object_get_member (current, "version")) + 1);
  return TRUE;
}

static void
touch (Apply      *apply,
       const char *table,
       const char *key)
{
  char *entry = g_strconcat (table, "\n", key, NULL);

  if (g_ptr_array_find_with_equal_func (apply->touched, entry, g_str_equal, NULL))
    g_free (entry);
  else
    g_ptr_array_add (apply->touched, entry);
}

static gboolean
log_seq (Apply  *apply,
         gint64  seq)
{
  if (seq < 0)
    return FALSE;
  apply->seq = MAX (apply->seq, seq);
  return TRUE;
}

static gboolean
apply_row (Apply       *apply,
           JsonObject  *row,
           GError     **error)
{
  EsaServerBackend *backend = apply->core->backend;
  const char *table = member_string (row, "t");
  const char *key = member_string (row, "k");
  JsonObject *before = member_object (row, "before");
  JsonObject *after = member_object (row, "after");
  g_autoptr(JsonObject) current = NULL;
  g_autoptr(GError) local = NULL;

  if (table == NULL || key == NULL || !backend->vt->is_synced_table (backend, table))
    {
      g_set_error (error, ESA_SERVER_ERROR, ESA_SERVER_ERROR_INVALID,
                   /* Translators: %s is a table name sent by a client */
                   _("a row of an unknown table “%s”"), table != NULL ? table : "");
      return FALSE;
    }
  touch (apply, table, key);
  current = backend->vt->row_get (backend, table, key, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }

  if (after == NULL)
    {
      g_auto(GStrv) offices = NULL;
      g_autofree char *debtor = NULL;

      if (current == NULL)
        return TRUE;
      return check_scope (apply, table, key, error)
             && backend->vt->row_scope (backend, table, key, &offices, &debtor, error)
             && backend->vt->row_delete (backend, table, key, error)
             && log_seq (apply, backend->vt->log_tombstone (backend, table, key,
                                                            (const char * const *) offices,
                                                            debtor, error));
    }

  if (current != NULL && before == NULL)
    return TRUE;   /* an event already applied: the first one stands */

  if (current == NULL)
    {
      if (!backend->vt->row_renumber (backend, table, after, error)
          || !backend->vt->row_put (backend, table, after, error)
          || !check_scope (apply, table, key, error))
        return FALSE;
      if (g_str_equal (table, "assignments")
          && member_string (after, "debtor_id") != NULL && member_string (after, "user_id") != NULL
          && !log_seq (apply, backend->vt->log_debtor (backend, member_string (after, "debtor_id"),
                                                       member_string (after, "user_id"), error)))
        return FALSE;
      return log_seq (apply, backend->vt->log_row (backend, table, key, error));
    }

  return check_scope (apply, table, key, error)
         && merge_row (apply, table, key, current, before, after, error)
         && backend->vt->row_put (backend, table, current, error)
         && check_scope (apply, table, key, error)
         && log_seq (apply, backend->vt->log_row (backend, table, key, error));
}

/* The current server images of the rows an op touched. */
static void
add_result_rows (Apply       *apply,
                 JsonBuilder *builder)
{
  EsaServerBackend *backend = apply->core->backend;

  json_builder_set_member_name (builder, "rows");
  json_builder_begin_array (builder);
  for (guint i = 0; i < apply->touched->len; i++)
    {
      g_auto(GStrv) parts = g_strsplit (g_ptr_array_index (apply->touched, i), "\n", 2);
      g_autoptr(JsonObject) image = backend->vt->row_get (backend, parts[0], parts[1], NULL);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "t");
      json_builder_add_string_value (builder, parts[0]);
      json_builder_set_member_name (builder, "k");
      json_builder_add_string_value (builder, parts[1]);
      json_builder_set_member_name (builder, "after");
      if (image != NULL)
        {
          JsonNode *node = json_node_new (JSON_NODE_OBJECT);

          json_node_set_object (node, image);
          json_builder_add_value (builder, node);
        }
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static JsonNode *
result_node (Apply       *apply,
             const char  *status,
             const char  *conflict_id,
             const char  *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "op_id");
  json_builder_add_string_value (builder, apply->op_id);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, status);
  json_builder_set_member_name (builder, "seq");
  json_builder_add_int_value (builder, apply->seq);
  if (conflict_id != NULL)
    {
      json_builder_set_member_name (builder, "conflict_id");
      json_builder_add_string_value (builder, conflict_id);
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, message);
    }
  add_result_rows (apply, builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* The debtor an op is about, from its rows. */
static const char *
op_debtor (Apply *apply)
{
  for (guint i = 0; apply->rows != NULL && i < json_array_get_length (apply->rows); i++)
    {
      JsonObject *row = json_array_get_object_element (apply->rows, i);
      JsonObject *image = member_object (row, "after") != NULL ? member_object (row, "after")
                                                                : member_object (row, "before");
      const char *table = member_string (row, "t");

      if (g_strcmp0 (table, "debtors") == 0 && member_string (image, "id") != NULL)
        return member_string (image, "id");
      if (member_string (image, "debtor_id") != NULL)
        return member_string (image, "debtor_id");
    }
  return NULL;
}

/* A rejected op becomes a row of the synced table conflicts, in the office
 * of the user who sent it, with both sides: nothing entered is dropped. */
static JsonNode *
record_conflict (Apply       *apply,
                 const char  *kind,
                 const char  *message,
                 GError     **error)
{
  EsaServerBackend *backend = apply->core->backend;
  g_autoptr(JsonObject) image = json_object_new ();
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(JsonBuilder) server = json_builder_new ();
  g_autoptr(JsonNode) server_node = NULL;
  g_autoptr(JsonNode) op_node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *id = esa_uuid_new ();
  g_autofree char *server_text = NULL;
  g_autofree char *local_text = NULL;
  g_autofree char *result_text = NULL;
  g_autofree char *now = NULL;
  g_autoptr(GDateTime) at = g_date_time_new_now_utc ();

  /* Both sides: the server's images of every row the op would have changed. */
  for (guint i = 0; apply->rows != NULL && i < json_array_get_length (apply->rows); i++)
    {
      JsonNode *row = json_array_get_element (apply->rows, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (row) ? json_node_get_object (row) : NULL;
      const char *table = member_string (object, "t");

      if (table != NULL && member_string (object, "k") != NULL
          && backend->vt->is_synced_table (backend, table))
        touch (apply, table, member_string (object, "k"));
    }
  now = g_date_time_format (at, "%Y-%m-%dT%H:%M:%SZ");
  json_node_set_object (op_node, apply->op);
  local_text = json_to_string (op_node, FALSE);

  json_builder_begin_object (server);
  add_result_rows (apply, server);
  json_builder_end_object (server);
  server_node = json_builder_get_root (server);
  server_text = json_to_string (json_object_get_member (json_node_get_object (server_node),
                                                        "rows"), FALSE);

  json_object_set_string_member (image, "id", id);
  json_object_set_string_member (image, "op_id", apply->op_id);
  json_object_set_string_member (image, "entity", member_string (apply->op, "entity"));
  json_object_set_string_member (image, "entity_id", member_string (apply->op, "entity_id"));
  json_object_set_string_member (image, "debtor_id", op_debtor (apply));
  json_object_set_string_member (image, "office_id", apply->account->office_id);
  json_object_set_string_member (image, "kind", kind);
  json_object_set_string_member (image, "message", message);
  json_object_set_string_member (image, "local", local_text);
  json_object_set_string_member (image, "server", server_text);
  json_object_set_string_member (image, "state", "open");
  json_object_set_null_member (image, "resolved_by");
  json_object_set_null_member (image, "resolved_at");
  json_object_set_string_member (image, "created_at", now);
  json_object_set_string_member (image, "user_id", apply->account->user_id);
  json_object_set_int_member (image, "version", 1);

  if (!backend->vt->begin (backend, error))
    return NULL;
  if (!backend->vt->row_put (backend, "conflicts", image, error)
      || !log_seq (apply, backend->vt->log_row (backend, "conflicts", id, error)))
    {
      backend->vt->rollback (backend);
      return NULL;
    }
  touch (apply, "conflicts", id);
  result = result_node (apply, "conflict", id, message);
  result_text = json_to_string (result, FALSE);
  if (!backend->vt->op_add (backend, apply->op_id, apply->account->id, result_text, error)
      || !backend->vt->commit (backend, error))
    {
      backend->vt->rollback (backend);
      return NULL;
    }
  return g_steal_pointer (&result);
}

/* A state of @case_id's procedure as its label, for messages; the id when
 * the procedure does not know it. (transfer none) */
static const char *
state_label (EsaServerCore *self,
             const char    *case_id,
             const char    *state)
{
  EsaProcedure *procedure = esa_store_get_case_procedure (self->store, case_id, NULL);
  const EsaState *found = procedure != NULL && state != NULL
                          ? esa_procedure_find_state (procedure, state) : NULL;

  return found != NULL ? esa_procedure_gettext (found->label) : state;
}

/* The same for a step. (transfer none) */
static const char *
action_label (EsaServerCore *self,
              const char    *case_id,
              const char    *action)
{
  EsaProcedure *procedure = esa_store_get_case_procedure (self->store, case_id, NULL);
  const EsaAction *found = procedure != NULL && action != NULL
                           ? esa_procedure_find_action (procedure, action) : NULL;

  return found != NULL ? esa_procedure_gettext (found->label) : action;
}

/* A command on a case: the server's case must be in the state the device
 * saw, and the action must be available to the server's engine. Returns a
 * conflict kind with *out_message, or NULL when it may run. */
static const char *
check_command (Apply  *apply,
               char  **out_message)
{
  EsaServerCore *self = apply->core;
  const char *case_id = member_string (apply->op, "entity_id");
  JsonObject *payload = member_object (apply->op, "payload");
  JsonObject *event = member_object (payload, "event");
  const char *action = member_string (event, "action");
  const char *occurred = member_string (event, "occurred_on");
  JsonObject *before = NULL;
  g_autoptr(JsonObject) current = NULL;
  g_autoptr(GPtrArray) statuses = NULL;
  g_autoptr(GError) error = NULL;
  GDate day;

  if (g_strcmp0 (member_string (apply->op, "entity"), "case") != 0 || case_id == NULL)
    return NULL;
  for (guint i = 0; apply->rows != NULL && i < json_array_get_length (apply->rows); i++)
    {
      JsonObject *row = json_array_get_object_element (apply->rows, i);

      if (g_strcmp0 (member_string (row, "t"), "cases") == 0
          && g_strcmp0 (member_string (row, "k"), case_id) == 0)
        before = member_object (row, "before");
    }
  if (before == NULL)
    return NULL;   /* a new case */

  current = self->backend->vt->row_get (self->backend, "cases", case_id, NULL);
  if (current == NULL)
    {
      *out_message = g_strdup_printf (_("The case %s is not on the server."), case_id);
      return "missing";
    }
  if (g_strcmp0 (member_string (current, "state"), member_string (before, "state")) != 0)
    {
      /* Translators: both %s are states of a case's procedure */
      *out_message = g_strdup_printf (_("The case moved on: it is now “%s” on the server, "
                                        "not “%s” as on this device, so the step was not "
                                        "applied."),
                                      state_label (self, case_id,
                                                   member_string (current, "state")),
                                      state_label (self, case_id,
                                                   member_string (before, "state")));
      return "state_changed";
    }
  if (action == NULL || g_str_equal (action, "undo"))
    return NULL;

  g_date_clear (&day, 1);
  if (occurred != NULL)
    g_date_set_parse (&day, occurred);
  esa_store_set_acting_user (self->store, apply->account->user_id);
  statuses = esa_store_case_actions (self->store, case_id, g_date_valid (&day) ? &day : NULL,
                                     &error);
  esa_store_set_acting_user (self->store, NULL);
  if (statuses == NULL)
    {
      *out_message = g_strdup (error->message);
      return "guard";
    }
  for (guint i = 0; i < statuses->len; i++)
    {
      EsaActionStatus *status = g_ptr_array_index (statuses, i);

      if (!g_str_equal (status->action->id, action))
        continue;
      if (status->available)
        return NULL;
      *out_message = g_strdup (status->reason);
      return "guard";
    }
  /* Translators: %s is a step of a case's procedure */
  *out_message = g_strdup_printf (_("The step “%s” cannot be taken on the case as it is on the "
                                    "server."), action_label (self, case_id, action));
  return "guard";
}

static JsonNode *
apply_op (EsaServerCore           *self,
          const EsaServerAccount  *account,
          JsonObject              *op,
          GHashTable              *debtors,
          GError                 **error)
{
  EsaServerBackend *backend = self->backend;
  g_autoptr(GPtrArray) touched = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *previous = NULL;
  g_autofree char *message = NULL;
  g_autofree char *result_text = NULL;
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(GError) local = NULL;
  JsonNode *rows_node = json_object_get_member (op, "rows");
  const char *conflict = NULL;
  gint64 schema = json_object_get_int_member_with_default (op, "schema_version", 0);
  Apply apply = {
    .core = self,
    .account = account,
    .op = op,
    .op_id = member_string (op, "op_id"),
    .kind = member_string (op, "kind"),
    .hlc = member_string (op, "hlc"),
    .rows = rows_node != NULL && JSON_NODE_HOLDS_ARRAY (rows_node)
            ? json_node_get_array (rows_node) : NULL,
    .touched = touched,
  };

  if (apply.op_id == NULL || apply.kind == NULL || apply.hlc == NULL)
    {
      g_set_error_literal (error, ESA_SERVER_ERROR, ESA_SERVER_ERROR_INVALID,
                           _("an operation without op_id, kind or hlc"));
      return NULL;
    }

  previous = backend->vt->op_find (backend, apply.op_id, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (previous != NULL)
    {
      JsonNode *first = json_from_string (previous, error);

      if (first == NULL)
        return NULL;
      json_object_set_string_member (json_node_get_object (first), "status", "duplicate");
      return first;
    }

  if (account->office_id == NULL || account->user_id == NULL
      || g_strcmp0 (account->role, "auditor") == 0)
    {
      conflict = "forbidden";
      message = g_strdup (_("This user may not change anything."));
    }
  else if (schema > esa_store_get_schema_version (self->store))
    {
      conflict = "schema";
      /* Translators: %d are schema versions */
      message = g_strdup_printf (_("The change was made by a newer Esattore (schema %d) than "
                                   "the server's (schema %d)."),
                                 (int) schema, esa_store_get_schema_version (self->store));
    }
  else if (!g_str_equal (apply.kind, "field") && !g_str_equal (apply.kind, "event")
           && !g_str_equal (apply.kind, "command"))
    {
      conflict = "invalid";
      /* Translators: %s is what a client sent as an operation kind */
      message = g_strdup_printf (_("“%s” is not a kind of operation."), apply.kind);
    }
  else if (g_str_equal (apply.kind, "command"))
    conflict = check_command (&apply, &message);

  if (conflict == NULL)
    {
      gboolean ok = backend->vt->begin (backend, error);

      if (!ok)
        return NULL;
      for (guint i = 0; ok && apply.rows != NULL && i < json_array_get_length (apply.rows); i++)
        {
          JsonNode *row = json_array_get_element (apply.rows, i);

          if (!JSON_NODE_HOLDS_OBJECT (row))
            continue;
          ok = apply_row (&apply, json_node_get_object (row), &local);
        }
      if (ok)
        {
          result = result_node (&apply, "applied", NULL, NULL);
          result_text = json_to_string (result, FALSE);
          ok = backend->vt->op_add (backend, apply.op_id, account->id, result_text, &local)
               && backend->vt->commit (backend, &local);
        }
      if (ok)
        {
          if (op_debtor (&apply) != NULL)
            g_hash_table_add (debtors, g_strdup (op_debtor (&apply)));
          return g_steal_pointer (&result);
        }
      backend->vt->rollback (backend);
      g_clear_pointer (&result, json_node_unref);
      conflict = "rejected";
      /* Translators: %s says why the server could not apply a change */
      message = g_strdup_printf (_("The server could not apply the change: %s"), local->message);
      apply.seq = 0;
    }

  return record_conflict (&apply, conflict, message, error);
}

JsonNode *
esa_server_core_push (EsaServerCore           *self,
                      const EsaServerAccount  *account,
                      JsonNode                *request,
                      GError                 **error)
{
  JsonObject *object = request != NULL && JSON_NODE_HOLDS_OBJECT (request)
                       ? json_node_get_object (request) : NULL;
  JsonNode *ops = object != NULL ? json_object_get_member (object, "ops") : NULL;
  g_autoptr(JsonArray) results = json_array_new ();
  g_autoptr(JsonObject) answer = json_object_new ();
  g_autoptr(GHashTable) debtors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  EsaServerBackend *backend = self->backend;
  JsonNode *root;

  if (ops == NULL || !JSON_NODE_HOLDS_ARRAY (ops))
    {
      g_set_error_literal (error, ESA_SERVER_ERROR, ESA_SERVER_ERROR_INVALID,
                           _("a push needs “ops”, an array of operations"));
      return NULL;
    }
  /* Each op is applied in a transaction of its own (a savepoint) and the
   * batch is committed once: a crash loses the whole batch, which the
   * device sends again and the op ids deduplicate. A command is checked by
   * the procedure engine on the store's own connection, which must see the
   * ops before it: the batch is committed first. */
  if (!backend->vt->batch_begin (backend, error))
    return NULL;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (ops)); i++)
    {
      JsonNode *op = json_array_get_element (json_node_get_array (ops), i);
      JsonNode *result;

      if (!JSON_NODE_HOLDS_OBJECT (op))
        {
          g_set_error (error, ESA_SERVER_ERROR, ESA_SERVER_ERROR_INVALID,
                       /* Translators: %u is a position in a list, from 1 */
                       _("operation %u is not an object"), i + 1);
          backend->vt->batch_end (backend, FALSE, NULL);
          return NULL;
        }
      if (g_strcmp0 (member_string (json_node_get_object (op), "kind"), "command") == 0
          && (!backend->vt->batch_end (backend, TRUE, error)
              || !backend->vt->batch_begin (backend, error)))
        return NULL;
      result = apply_op (self, account, json_node_get_object (op), debtors, error);
      if (result == NULL)
        {
          backend->vt->batch_end (backend, FALSE, NULL);
          return NULL;
        }
      json_array_add_element (results, result);
    }
  if (!backend->vt->batch_end (backend, TRUE, error))
    return NULL;
  /* The pushes wrote the rows past the store's API: the search documents of
   * their debtors are rebuilt, so that the server's search finds them. */
  {
    g_autofree const char **ids = (const char **) g_hash_table_get_keys_as_array (debtors, NULL);

    if (!esa_store_sync_reindex_debtors (self->store, ids, error))
      return NULL;
  }
  json_object_set_array_member (answer, "results", json_array_ref (results));
  root = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (root, answer);
  return root;
}

/* ---- pull -------------------------------------------------------------------- */

char *
esa_server_core_pull (EsaServerCore           *self,
                      const EsaServerAccount  *account,
                      gint64                   cursor,
                      guint                    limit,
                      GError                 **error)
{
  g_autoptr(GString) out = g_string_sized_new (64 * 1024);
  g_autoptr(GPtrArray) purge = g_ptr_array_new_with_free_func (g_free);
  EsaServerScope scope = {
    .office_id = account->office_id,
    .assigned_user_id = is_field_officer (account) ? account->user_id : NULL,
    .user_id = account->user_id,
  };
  gint64 next = cursor;
  gboolean more = FALSE;

  limit = CLAMP (limit, 1, MAX_PULL_LIMIT);
  g_string_append (out, "{\"rows\":[");
  if (account->office_id != NULL
      && !self->backend->vt->pull (self->backend, &scope, MAX (cursor, 0), limit, out, &next,
                                   &more, purge, error))
    return NULL;
  g_string_append_printf (out, "],\"next_cursor\":%" G_GINT64_FORMAT ",\"more\":%s,\"purge\":[",
                          next, more ? "true" : "false");
  for (guint i = 0; i < purge->len; i++)
    g_string_append_printf (out, "%s\"%s\"", i > 0 ? "," : "",
                            (const char *) g_ptr_array_index (purge, i));
  g_string_append (out, "]}");
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ---- in-process requests ------------------------------------------------ */

static gint64
query_int (GHashTable *query,
           const char *name,
           gint64      fallback)
{
  const char *text = query != NULL ? g_hash_table_lookup (query, name) : NULL;
  gint64 value;

  if (text == NULL || !g_ascii_string_to_signed (text, 10, 0, G_MAXINT64, &value, NULL))
    return fallback;
  return value;
}

JsonNode *
esa_server_core_handle (EsaServerCore  *self,
                        const char     *method,
                        const char     *path,
                        const char     *token,
                        JsonNode       *body,
                        const char     *address,
                        guint          *out_status)
{
  g_autofree char *endpoint = g_strdup (path);
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(EsaServerAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *code = NULL;
  char *mark = strchr (endpoint, '?');
  JsonNode *answer;

  if (mark != NULL)
    {
      *mark = '\0';
      query = g_uri_parse_params (mark + 1, -1, "&", G_URI_PARAMS_NONE, NULL);
    }

  if (g_str_equal (endpoint, "/health") && g_str_equal (method, "GET"))
    {
      text = esa_server_core_health (self);
      *out_status = 200;
      return json_from_string (text, NULL);
    }
  if (g_str_equal (endpoint, "/login") && g_str_equal (method, "POST"))
    return esa_server_core_login (self, body, address, out_status);

  if ((!g_str_equal (endpoint, "/push") || !g_str_equal (method, "POST"))
      && (!g_str_equal (endpoint, "/pull") || !g_str_equal (method, "GET")))
    {
      *out_status = 404;
      return error_answer ("not_found", _("No such endpoint."));
    }
  account = esa_server_core_authenticate (self, token, &code);
  if (account == NULL)
    {
      *out_status = 401;
      return error_answer (code, g_str_equal (code, "token_expired")
                                 ? _("The session has expired: log in again.")
                                 : _("Not logged in: the token is missing or unknown."));
    }

  if (g_str_equal (endpoint, "/push"))
    answer = esa_server_core_push (self, account, body, &error);
  else
    {
      text = esa_server_core_pull (self, account, query_int (query, "cursor", 0),
                                   (guint) CLAMP (query_int (query, "limit", 1000), 1,
                                                  MAX_PULL_LIMIT), &error);
      answer = text != NULL ? json_from_string (text, &error) : NULL;
    }
  if (answer == NULL)
    {
      gboolean invalid = g_error_matches (error, ESA_SERVER_ERROR, ESA_SERVER_ERROR_INVALID);

      *out_status = invalid ? 400 : 500;
      return error_answer (invalid ? "bad_request" : "server_error", error->message);
    }
  *out_status = 200;
  return answer;
}

/* ---- attachments ---------------------------------------------------------- */

static char *
attachment_path (EsaServerCore  *self,
                 const char     *sha256,
                 GError        **error)
{
  gsize length = sha256 != NULL ? strlen (sha256) : 0;

  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isxdigit (sha256[i]) || g_ascii_isupper (sha256[i]))
      length = 0;
  if (length != 64)
    {
      g_set_error (error, ESA_SERVER_ERROR, ESA_SERVER_ERROR_INVALID,
                   /* Translators: %s is what a client sent as a hash */
                   _("“%s” is not a SHA-256 in lower-case hex"), sha256 != NULL ? sha256 : "");
      return NULL;
    }
  return g_build_filename (self->dir, "attachments", (char[]) { sha256[0], sha256[1], 0 },
                           sha256, NULL);
}

/* Whether @account may see one of the documents rows that name @sha256. */
static gboolean
attachment_visible (EsaServerCore           *self,
                    const EsaServerAccount  *account,
                    const char              *sha256,
                    gboolean                *out_visible,
                    GError                 **error)
{
  EsaServerBackend *backend = self->backend;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  *out_visible = FALSE;
  /* An account without an office (the administrator) sees no dossier. */
  if (account->office_id == NULL)
    return TRUE;
  if (!backend->vt->documents_with_hash (backend, sha256, ids, error))
    return FALSE;
  for (guint i = 0; i < ids->len && !*out_visible; i++)
    {
      g_auto(GStrv) offices = NULL;
      g_autofree char *debtor = NULL;
      gboolean assigned = TRUE;

      if (!backend->vt->row_scope (backend, "documents", g_ptr_array_index (ids, i), &offices,
                                   &debtor, error))
        return FALSE;
      if (is_field_officer (account) && debtor != NULL
          && !backend->vt->is_assigned (backend, account->user_id, debtor, &assigned, error))
        return FALSE;
      *out_visible = g_strv_contains ((const char * const *) offices, account->office_id)
                     && (!is_field_officer (account) || (debtor != NULL && assigned));
    }
  return TRUE;
}

GBytes *
esa_server_core_attachment_get (EsaServerCore           *self,
                                const EsaServerAccount  *account,
                                const char              *sha256,
                                GError                 **error)
{
  g_autofree char *path = attachment_path (self, sha256, error);
  char *data = NULL;
  gsize size = 0;
  gboolean visible = FALSE;

  if (path == NULL || !attachment_visible (self, account, sha256, &visible, error))
    return NULL;
  if (!visible || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, ESA_SERVER_ERROR, ESA_SERVER_ERROR_NOT_FOUND,
                   /* Translators: %s is a SHA-256 */
                   _("the server has no attachment %s"), sha256);
      return NULL;
    }
  if (!g_file_get_contents (path, &data, &size, error))
    return NULL;
  return g_bytes_new_take (data, size);
}

gboolean
esa_server_core_attachment_put (EsaServerCore  *self,
                                const char     *sha256,
                                GBytes         *bytes,
                                GError        **error)
{
  g_autofree char *path = attachment_path (self, sha256, error);
  g_autofree char *dir = NULL;
  g_autofree char *actual = NULL;
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  if (path == NULL)
    return FALSE;
  actual = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, size);
  if (!g_str_equal (actual, sha256))
    {
      g_set_error (error, ESA_SERVER_ERROR, ESA_SERVER_ERROR_INVALID,
                   /* Translators: both %s are SHA-256 hashes */
                   _("the attachment's bytes hash to %s, not %s"), actual, sha256);
      return FALSE;
    }
  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, ESA_SERVER_ERROR, ESA_SERVER_ERROR_IO,
                   _("cannot create %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  return g_file_set_contents (path, (const char *) data, (gssize) size, error);
}
