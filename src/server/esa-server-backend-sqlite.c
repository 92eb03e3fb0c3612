/* The SQLite backend of esattore-server: the only file of src/server with
 * SQL (DESIGN.md "Layout"). It opens the server database (an EsaStore file)
 * on a connection of its own and keeps the server tables beside the store's
 * tables, so that applying an operation and logging its rows is one
 * transaction. */

#include "esa-config.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>
#include <string.h>

#include "esa-server-backend.h"

/* Where each synced table's rows belong: the debtor a row is about and the
 * office in charge of it, as SQL expressions over the row (alias r). Rows
 * of a creditor body (load lists, payment flows, a payment not yet matched
 * to a debtor) belong to every office that works for the body. Tables in
 * foreign-key order, parents first, as the contract of issue 5 lists them;
 * a table missing from the database is left out. */
#define DEBTOR_OFFICE(d) "(SELECT d_.office_id FROM debtors AS d_ WHERE d_.id = " d ")"
#define CASE_DEBTOR "(SELECT c_.debtor_id FROM cases AS c_ WHERE c_.id = r.case_id)"
#define CASE_OFFICE "(SELECT c_.office_id FROM cases AS c_ WHERE c_.id = r.case_id)"
#define ACT_DEBTOR "(SELECT a_.debtor_id FROM acts AS a_ WHERE a_.id = r.act_id)"
#define ACT_OFFICE "(SELECT c_.office_id FROM acts AS a_ JOIN cases AS c_ ON c_.id = a_.case_id " \
                   "WHERE a_.id = r.act_id)"
#define EVENT_CASE "(SELECT e_.case_id FROM case_events AS e_ WHERE e_.id = r.event_id)"
#define PAYMENT_DEBTOR "(SELECT p_.debtor_id FROM payments AS p_ WHERE p_.id = r.payment_id)"
#define PLAN_DEBTOR "(SELECT p_.debtor_id FROM instalment_plans AS p_ WHERE p_.id = r.plan_id)"

static const struct
{
  const char *table;
  const char *debtor;
  const char *office;
  const char *body;
} scopes[] = {
  { "bodies", NULL, NULL, "r.id" },
  { "offices", NULL, "r.id", NULL },
  { "office_bodies", NULL, "r.office_id", NULL },
  { "users", NULL, "r.office_id", NULL },
  { "debtors", "r.id", "r.office_id", NULL },
  { "addresses", "r.debtor_id", DEBTOR_OFFICE ("r.debtor_id"), NULL },
  { "debtor_contacts", "r.debtor_id", DEBTOR_OFFICE ("r.debtor_id"), NULL },
  { "relations", "r.debtor_id", DEBTOR_OFFICE ("r.debtor_id"), NULL },
  { "load_lists", NULL, NULL, "r.body_id" },
  { "load_list_rejections", NULL, NULL,
    "(SELECT l_.body_id FROM load_lists AS l_ WHERE l_.id = r.load_list_id)" },
  { "load_list_mappings", NULL, NULL, "r.body_id" },
  { "positions", "r.debtor_id", DEBTOR_OFFICE ("r.debtor_id"), NULL },
  { "cases", "r.debtor_id", "r.office_id", NULL },
  { "case_positions", CASE_DEBTOR, CASE_OFFICE, NULL },
  { "case_events", CASE_DEBTOR, CASE_OFFICE, NULL },
  { "acts", "r.debtor_id", CASE_OFFICE, NULL },
  { "case_event_acts", ACT_DEBTOR, ACT_OFFICE, NULL },
  { "notifications", ACT_DEBTOR, ACT_OFFICE, NULL },
  /* A flow addressed to no known body belongs to the office that imported it. */
  { "payment_flows", NULL, "(SELECT u_.office_id FROM users AS u_ WHERE u_.id = r.imported_by)",
    "r.body_id" },
  { "payments", "r.debtor_id", DEBTOR_OFFICE ("r.debtor_id"), "r.body_id" },
  { "payment_allocations", PAYMENT_DEBTOR, DEBTOR_OFFICE (PAYMENT_DEBTOR),
    "(SELECT p_.body_id FROM payments AS p_ WHERE p_.id = r.payment_id)" },
  { "payment_case_closures", CASE_DEBTOR, CASE_OFFICE, NULL },
  { "payment_csv_mappings", NULL, NULL, "r.body_id" },
  { "instalment_plans", "r.debtor_id", DEBTOR_OFFICE ("r.debtor_id"), NULL },
  { "instalments", PLAN_DEBTOR, DEBTOR_OFFICE (PLAN_DEBTOR), NULL },
  { "documents", "r.debtor_id", DEBTOR_OFFICE ("r.debtor_id"), NULL },
  { "contact_log", "r.debtor_id", DEBTOR_OFFICE ("r.debtor_id"), NULL },
  { "assignments", "r.debtor_id", DEBTOR_OFFICE ("r.debtor_id"), NULL },
  { "conflicts", "r.debtor_id", "r.office_id", NULL },
};

/* The office rows a field officer receives besides the rows of the debtors
 * assigned to them: what the assigned debtors' rows refer to. */
#define FIELD_OFFICE_TABLES \
  "('bodies', 'offices', 'office_bodies', 'users', 'load_lists', 'payment_flows')"

static const char server_schema[] =
  "CREATE TABLE IF NOT EXISTS accounts ("
  "  id TEXT PRIMARY KEY, login TEXT NOT NULL UNIQUE, name TEXT NOT NULL,"
  "  role TEXT NOT NULL, office_id TEXT, user_id TEXT, hash TEXT NOT NULL,"
  "  created_at TEXT NOT NULL);"
  "CREATE TABLE IF NOT EXISTS tokens ("
  "  hash TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts (id),"
  "  expires INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS login_failures ("
  "  login TEXT NOT NULL, address TEXT NOT NULL, at INTEGER NOT NULL);"
  "CREATE INDEX IF NOT EXISTS login_failures_key ON login_failures (login, address, at);"
  "CREATE TABLE IF NOT EXISTS ops ("
  "  op_id TEXT PRIMARY KEY, account_id TEXT, received_at TEXT NOT NULL,"
  "  result TEXT NOT NULL) WITHOUT ROWID;"
  /* One row per row image and office in scope; an older image of the same
   * row is deleted when a newer one is logged, so that a first sync reads
   * every row once. for_user: a copy for one user only (the rows of a
   * debtor newly assigned to a field officer). after NULL: the row was
   * deleted. */
  "CREATE TABLE IF NOT EXISTS change_log ("
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT, t TEXT NOT NULL, k TEXT NOT NULL,"
  "  office_id TEXT, debtor_id TEXT, for_user TEXT, after TEXT);"
  "CREATE INDEX IF NOT EXISTS change_log_office ON change_log (office_id, seq);"
  "CREATE INDEX IF NOT EXISTS change_log_key ON change_log (t, k);"
  "CREATE TABLE IF NOT EXISTS field_clock ("
  "  t TEXT NOT NULL, k TEXT NOT NULL, field TEXT NOT NULL, hlc TEXT NOT NULL,"
  "  PRIMARY KEY (t, k, field)) WITHOUT ROWID;"
  "CREATE TABLE IF NOT EXISTS field_history ("
  "  id INTEGER PRIMARY KEY, t TEXT NOT NULL, k TEXT NOT NULL, field TEXT NOT NULL,"
  "  value TEXT, hlc TEXT, op_id TEXT, at TEXT NOT NULL);";

typedef struct
{
  char      *name;
  char      *debtor;      /* SQL expression or "NULL" */
  char      *office;      /* SQL expression or "NULL" */
  char      *body;        /* SQL expression or NULL */
  GPtrArray *columns;     /* the columns of an image */
  GPtrArray *key_columns; /* id, or the primary key of a join table */
  char      *key_expr;    /* k as SQL over r */
  char      *key_where;   /* r.col = ?2 [AND r.col2 = ?3] */
  char      *image_expr;  /* json_object(…) over r */
} TableInfo;

typedef struct
{
  EsaServerBackend parent;
  sqlite3         *db;
  GHashTable      *stmts;   /* SQL text → sqlite3_stmt */
  GHashTable      *tables;  /* name → TableInfo */
  GPtrArray       *order;   /* TableInfo, parents first */
  gboolean         batch;   /* inside batch_begin (): begin is a savepoint */
} SqliteBackend;

static void
table_info_free (TableInfo *info)
{
  g_free (info->name);
  g_free (info->debtor);
  g_free (info->office);
  g_free (info->body);
  g_ptr_array_unref (info->columns);
  g_ptr_array_unref (info->key_columns);
  g_free (info->key_expr);
  g_free (info->key_where);
  g_free (info->image_expr);
  g_free (info);
}

static gboolean
fail (SqliteBackend  *self,
      GError        **error,
      const char     *what)
{
  g_set_error (error, ESA_SERVER_ERROR, ESA_SERVER_ERROR_IO,
               /* Translators: %s: what the server was doing; %s: SQLite's message */
               _("server database: %s: %s"), what, sqlite3_errmsg (self->db));
  return FALSE;
}

/* Steps @stmt once: the first column of its row, or NULL when there is
 * none (with @error set when the step failed). (transfer full) */
static char *
step_text (SqliteBackend  *self,
           sqlite3_stmt   *stmt,
           const char     *what,
           GError        **error)
{
  int rc = sqlite3_step (stmt);
  char *text = NULL;

  if (rc == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  else if (rc != SQLITE_DONE)
    fail (self, error, what);
  sqlite3_reset (stmt);
  return text;
}

/* A statement prepared once and kept; it comes back reset and unbound. */
static sqlite3_stmt *
stmt_get (SqliteBackend  *self,
          const char     *sql,
          GError        **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->stmts, sql);

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      fail (self, error, sql);
      return NULL;
    }
  g_hash_table_insert (self->stmts, g_strdup (sql), stmt);
  return stmt;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

/* Steps a statement without result rows and resets it. */
static gboolean
step_done (SqliteBackend  *self,
           sqlite3_stmt   *stmt,
           GError        **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    {
      fail (self, error, sqlite3_sql (stmt));
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
exec (SqliteBackend  *self,
      const char     *sql,
      GError        **error)
{
  char *message = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, ESA_SERVER_ERROR, ESA_SERVER_ERROR_IO,
                   _("server database: %s: %s"), sql, message);
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

static TableInfo *
table_get (SqliteBackend  *self,
           const char     *table,
           GError        **error)
{
  TableInfo *info = table != NULL ? g_hash_table_lookup (self->tables, table) : NULL;

  if (info == NULL)
    g_set_error (error, ESA_SERVER_ERROR, ESA_SERVER_ERROR_INVALID,
                 /* Translators: %s is a table name sent by a client */
                 _("“%s” is not a synced table"), table != NULL ? table : "");
  return info;
}

/* Binds the key @key of @info from parameter @first on ("a|b" for a join
 * table); FALSE when it has the wrong number of parts. */
static gboolean
bind_key (TableInfo     *info,
          sqlite3_stmt  *stmt,
          int            first,
          const char    *key,
          GError       **error)
{
  g_auto(GStrv) parts = NULL;

  if (info->key_columns->len == 1)
    {
      bind_text (stmt, first, key);
      return TRUE;
    }
  parts = g_strsplit (key, "|", -1);
  if (g_strv_length (parts) != info->key_columns->len)
    {
      g_set_error (error, ESA_SERVER_ERROR, ESA_SERVER_ERROR_INVALID,
                   /* Translators: %s is a row key, %s a table */
                   _("“%s” is not a key of table %s"), key, info->name);
      return FALSE;
    }
  for (guint i = 0; parts[i] != NULL; i++)
    bind_text (stmt, first + (int) i, parts[i]);
  return TRUE;
}

static gboolean
load_tables (SqliteBackend  *self,
             GError        **error)
{
  for (gsize i = 0; i < G_N_ELEMENTS (scopes); i++)
    {
      g_autofree char *sql = g_strdup_printf ("PRAGMA table_info (%s)", scopes[i].table);
      sqlite3_stmt *stmt = NULL;
      TableInfo *info;
      GString *image;
      GString *key;
      GString *where;
      /* Up to three primary-key columns, by their position in the key. */
      char *pk[4] = { NULL };

      if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
        return fail (self, error, sql);

      info = g_new0 (TableInfo, 1);
      info->name = g_strdup (scopes[i].table);
      info->debtor = g_strdup (scopes[i].debtor != NULL ? scopes[i].debtor : "NULL");
      info->office = g_strdup (scopes[i].office != NULL ? scopes[i].office : "NULL");
      info->body = g_strdup (scopes[i].body);
      info->columns = g_ptr_array_new_with_free_func (g_free);
      info->key_columns = g_ptr_array_new_with_free_func (g_free);

      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *name = (const char *) sqlite3_column_text (stmt, 1);
          int pk_index = sqlite3_column_int (stmt, 5);

          /* debtors.num is a device-local key (the full-text index's). */
          if (g_str_equal (info->name, "debtors") && g_str_equal (name, "num"))
            continue;
          g_ptr_array_add (info->columns, g_strdup (name));
          if (pk_index > 0 && pk_index < 4)
            pk[pk_index] = g_strdup (name);
        }
      sqlite3_finalize (stmt);

      if (info->columns->len == 0)
        {
          table_info_free (info);
          continue;
        }
      if (g_ptr_array_find_with_equal_func (info->columns, "id", g_str_equal, NULL))
        g_ptr_array_add (info->key_columns, g_strdup ("id"));
      else
        for (guint j = 1; j < 4 && pk[j] != NULL; j++)
          g_ptr_array_add (info->key_columns, g_strdup (pk[j]));
      for (guint j = 1; j < 4; j++)
        g_free (pk[j]);

      image = g_string_new ("json_object(");
      for (guint j = 0; j < info->columns->len; j++)
        {
          const char *column = g_ptr_array_index (info->columns, j);

          g_string_append_printf (image, "%s'%s', r.%s", j > 0 ? ", " : "", column, column);
        }
      g_string_append_c (image, ')');
      key = g_string_new (NULL);
      where = g_string_new (NULL);
      for (guint j = 0; j < info->key_columns->len; j++)
        {
          const char *column = g_ptr_array_index (info->key_columns, j);

          g_string_append_printf (key, "%sr.%s", j > 0 ? " || '|' || " : "", column);
          g_string_append_printf (where, "%sr.%s = ?%u", j > 0 ? " AND " : "", column, j + 2);
        }
      info->image_expr = g_string_free (image, FALSE);
      info->key_expr = g_string_free (key, FALSE);
      info->key_where = g_string_free (where, FALSE);

      g_ptr_array_add (self->order, info);
      g_hash_table_insert (self->tables, info->name, info);
    }
  return TRUE;
}

/* ---- transactions ------------------------------------------------------ */

static gboolean
sqlite_begin (EsaServerBackend  *backend,
              GError           **error)
{
  SqliteBackend *self = (SqliteBackend *) backend;

  return exec (self, self->batch ? "SAVEPOINT op" : "BEGIN IMMEDIATE", error);
}

static gboolean
sqlite_commit (EsaServerBackend  *backend,
               GError           **error)
{
  SqliteBackend *self = (SqliteBackend *) backend;

  return exec (self, self->batch ? "RELEASE op" : "COMMIT", error);
}

static void
sqlite_rollback (EsaServerBackend *backend)
{
  SqliteBackend *self = (SqliteBackend *) backend;

  if (sqlite3_get_autocommit (self->db))
    return;
  if (self->batch)
    sqlite3_exec (self->db, "ROLLBACK TO op; RELEASE op", NULL, NULL, NULL);
  else
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

static gboolean
sqlite_batch_begin (EsaServerBackend  *backend,
                    GError           **error)
{
  SqliteBackend *self = (SqliteBackend *) backend;

  if (!exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  self->batch = TRUE;
  return TRUE;
}

static gboolean
sqlite_batch_end (EsaServerBackend  *backend,
                  gboolean           commit,
                  GError           **error)
{
  SqliteBackend *self = (SqliteBackend *) backend;

  self->batch = FALSE;
  if (sqlite3_get_autocommit (self->db))
    return TRUE;
  if (commit)
    return exec (self, "COMMIT", error);
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return TRUE;
}

static gint64
sqlite_last_seq (EsaServerBackend  *backend,
                 GError           **error)
{
  SqliteBackend *self = (SqliteBackend *) backend;
  sqlite3_stmt *stmt = stmt_get (self,
                                 "SELECT seq FROM sqlite_sequence WHERE name = 'change_log'",
                                 error);
  gint64 seq = 0;
  int rc;

  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    seq = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    {
      fail (self, error, "sqlite_sequence");
      seq = -1;
    }
  sqlite3_reset (stmt);
  return seq;
}

/* ---- accounts, tokens, login failures ----------------------------------- */

static gboolean
sqlite_account_add (EsaServerBackend        *backend,
                    const EsaServerAccount  *account,
                    GError                 **error)
{
  SqliteBackend *self = (SqliteBackend *) backend;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = g_date_time_format_iso8601 (now);
  sqlite3_stmt *stmt = stmt_get (self,
                                 "INSERT INTO accounts (id, login, name, role, office_id, "
                                 "user_id, hash, created_at) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                                 error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, account->id);
  bind_text (stmt, 2, account->login);
  bind_text (stmt, 3, account->name);
  bind_text (stmt, 4, account->role);
  bind_text (stmt, 5, account->office_id);
  bind_text (stmt, 6, account->user_id);
  bind_text (stmt, 7, account->hash);
  bind_text (stmt, 8, at);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      gboolean exists = sqlite3_extended_errcode (self->db) == SQLITE_CONSTRAINT_UNIQUE;

      sqlite3_reset (stmt);
      if (exists)
        {
          g_set_error (error, ESA_SERVER_ERROR, ESA_SERVER_ERROR_EXISTS,
                       /* Translators: %s is a login name */
                       _("there is already an account “%s”"), account->login);
          return FALSE;
        }
      return fail (self, error, "accounts");
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static EsaServerAccount *
account_from_row (sqlite3_stmt *stmt)
{
  EsaServerAccount *account = g_new0 (EsaServerAccount, 1);

  account->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  account->login = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  account->name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  account->role = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  account->office_id = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  account->user_id = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  account->hash = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
  return account;
}

static EsaServerAccount *
sqlite_account_find (EsaServerBackend  *backend,
                     const char        *login,
                     GError           **error)
{
  SqliteBackend *self = (SqliteBackend *) backend;
  sqlite3_stmt *stmt = stmt_get (self,
                                 "SELECT id, login, name, role, office_id, user_id, hash "
                                 "FROM accounts WHERE login = ?1",
                                 error);
  EsaServerAccount *account = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, login);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    account = account_from_row (stmt);
  else if (rc != SQLITE_DONE)
    fail (self, error, "accounts");
  sqlite3_reset (stmt);
  return account;
}

static gint
sqlite_failures_since (EsaServerBackend  *backend,
                       const char        *login,
                       const char        *address,
                       gint64             since,
                       gint64            *out_latest,
                       GError           **error)
{
  SqliteBackend *self = (SqliteBackend *) backend;
  sqlite3_stmt *stmt = stmt_get (self,
                                 "SELECT count(*), max(at) FROM login_failures "
                                 "WHERE login = ?1 AND address = ?2 AND at >= ?3",
                                 error);
  gint count = -1;

  if (stmt == NULL)
    return -1;
  bind_text (stmt, 1, login);
  bind_text (stmt, 2, address);
  sqlite3_bind_int64 (stmt, 3, since);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      count = sqlite3_column_int (stmt, 0);
      *out_latest = sqlite3_column_int64 (stmt, 1);
    }
  else
    fail (self, error, "login_failures");
  sqlite3_reset (stmt);
  return count;
}

static gboolean
sqlite_failure_add (EsaServerBackend  *backend,
                    const char        *login,
                    const char        *address,
                    gint64             at,
                    GError           **error)
{
  SqliteBackend *self = (SqliteBackend *) backend;
  sqlite3_stmt *stmt = stmt_get (self,
                                 "INSERT INTO login_failures (login, address, at) "
                                 "VALUES (?1, ?2, ?3)",
                                 error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, login);
  bind_text (stmt, 2, address);
  sqlite3_bind_int64 (stmt, 3, at);
  return step_done (self, stmt, error);
}

static gboolean
sqlite_failures_clear (EsaServerBackend  *backend,
                       const char        *login,
                       const char        *address,
                       GError           **error)
{
  SqliteBackend *self = (SqliteBackend *) backend;
  sqlite3_stmt *stmt = stmt_get (self,
                                 "DELETE FROM login_failures WHERE login = ?1 AND address = ?2",
                                 error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, login);
  bind_text (stmt, 2, address);
  return step_done (self, stmt, error);
}

static gboolean
sqlite_token_add (EsaServerBackend  *backend,
                  const char        *token_hash,
                  const char        *account_id,
                  gint64             expires,
                  GError           **error)
{
  SqliteBackend *self = (SqliteBackend *) backend;
  sqlite3_stmt *stmt;

  /* Expired tokens are of no use any more. */
  stmt = stmt_get (self, "DELETE FROM tokens WHERE expires < ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, expires - 7 * 24 * 3600);
  if (!step_done (self, stmt, error))
    return FALSE;

  stmt = stmt_get (self, "INSERT INTO tokens (hash, account_id, expires) VALUES (?1, ?2, ?3)",
                   error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, token_hash);
  bind_text (stmt, 2, account_id);
  sqlite3_bind_int64 (stmt, 3, expires);
  return step_done (self, stmt, error);
}

static EsaServerAccount *
sqlite_token_find (EsaServerBackend  *backend,
                   const char        *token_hash,
                   gint64            *out_expires,
                   GError           **error)
{
  SqliteBackend *self = (SqliteBackend *) backend;
  sqlite3_stmt *stmt = stmt_get (self,
                                 "SELECT a.id, a.login, a.name, a.role, a.office_id, a.user_id, "
                                 "a.hash, t.expires FROM tokens AS t "
                                 "JOIN accounts AS a ON a.id = t.account_id WHERE t.hash = ?1",
                                 error);
  EsaServerAccount *account = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, token_hash);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      account = account_from_row (stmt);
      *out_expires = sqlite3_column_int64 (stmt, 7);
    }
  else if (rc != SQLITE_DONE)
    fail (self, error, "tokens");
  sqlite3_reset (stmt);
  return account;
}

/* ---- operations ----------------------------------------------------------- */

static char *
sqlite_op_find (EsaServerBackend  *backend,
                const char        *op_id,
                GError           **error)
{
  SqliteBackend *self = (SqliteBackend *) backend;
  sqlite3_stmt *stmt = stmt_get (self, "SELECT result FROM ops WHERE op_id = ?1", error);

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, op_id);
  return step_text (self, stmt, "ops", error);
}

static gboolean
sqlite_op_add (EsaServerBackend  *backend,
               const char        *op_id,
               const char        *account_id,
               const char        *result,
               GError           **error)
{
  SqliteBackend *self = (SqliteBackend *) backend;
  sqlite3_stmt *stmt = stmt_get (self,
                                 "INSERT INTO ops (op_id, account_id, received_at, result) "
                                 "VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?3)",
                                 error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, op_id);
  bind_text (stmt, 2, account_id);
  bind_text (stmt, 3, result);
  return step_done (self, stmt, error);
}

/* ---- rows ------------------------------------------------------------------ */

static gboolean
sqlite_is_synced_table (EsaServerBackend *backend,
                        const char       *table)
{
  return g_hash_table_contains (((SqliteBackend *) backend)->tables, table);
}

static JsonObject *
sqlite_row_get (EsaServerBackend  *backend,
                const char        *table,
                const char        *key,
                GError           **error)
{
  SqliteBackend *self = (SqliteBackend *) backend;
  TableInfo *info = table_get (self, table, error);
  g_autofree char *sql = NULL;
  g_autoptr(JsonNode) node = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (info == NULL)
    return NULL;
  sql = g_strdup_printf ("SELECT %s FROM %s AS r WHERE %s", info->image_expr, info->name,
                         info->key_where);
  stmt = stmt_get (self, sql, error);
  if (stmt == NULL || !bind_key (info, stmt, 2, key, error))
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    node = json_from_string ((const char *) sqlite3_column_text (stmt, 0), NULL);
  else if (rc != SQLITE_DONE)
    fail (self, error, table);
  sqlite3_reset (stmt);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_ref (json_node_get_object (node));
}

static void
bind_json (sqlite3_stmt *stmt,
           int           index,
           JsonNode     *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    sqlite3_bind_null (stmt, index);
  else if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_INT64)
        sqlite3_bind_int64 (stmt, index, json_node_get_int (node));
      else if (type == G_TYPE_DOUBLE)
        sqlite3_bind_double (stmt, index, json_node_get_double (node));
      else if (type == G_TYPE_BOOLEAN)
        sqlite3_bind_int (stmt, index, json_node_get_boolean (node));
      else
        bind_text (stmt, index, json_node_get_string (node));
    }
  else
    sqlite3_bind_text (stmt, index, json_to_string (node, FALSE), -1, g_free);
}

static gboolean
sqlite_row_put (EsaServerBackend  *backend,
                const char        *table,
                JsonObject        *image,
                GError           **error)
{
  SqliteBackend *self = (SqliteBackend *) backend;
  TableInfo *info = table_get (self, table, error);
  g_autoptr(GPtrArray) present = g_ptr_array_new ();
  g_autoptr(GString) sql = g_string_new ("INSERT INTO ");
  sqlite3_stmt *stmt;
  gboolean any_update = FALSE;

  if (info == NULL)
    return FALSE;
  /* Only the table's own columns: an image from a newer schema may carry
   * more, and the names go into SQL text. */
  for (guint i = 0; i < info->columns->len; i++)
    if (json_object_has_member (image, g_ptr_array_index (info->columns, i)))
      g_ptr_array_add (present, g_ptr_array_index (info->columns, i));
  for (guint i = 0; i < info->key_columns->len; i++)
    if (!json_object_has_member (image, g_ptr_array_index (info->key_columns, i)))
      {
        g_set_error (error, ESA_SERVER_ERROR, ESA_SERVER_ERROR_INVALID,
                     /* Translators: %s is a table, %s a column */
                     _("a row of %s without %s"), table,
                     (const char *) g_ptr_array_index (info->key_columns, i));
        return FALSE;
      }

  g_string_append_printf (sql, "%s (", info->name);
  for (guint i = 0; i < present->len; i++)
    g_string_append_printf (sql, "%s%s", i > 0 ? ", " : "", (char *) present->pdata[i]);
  g_string_append (sql, ") VALUES (");
  for (guint i = 0; i < present->len; i++)
    g_string_append_printf (sql, "%s?%u", i > 0 ? ", " : "", i + 1);
  g_string_append (sql, ") ON CONFLICT (");
  for (guint i = 0; i < info->key_columns->len; i++)
    g_string_append_printf (sql, "%s%s", i > 0 ? ", " : "",
                            (char *) info->key_columns->pdata[i]);
  g_string_append (sql, ") DO ");
  for (guint i = 0; i < present->len; i++)
    {
      const char *column = present->pdata[i];

      if (g_ptr_array_find_with_equal_func (info->key_columns, column, g_str_equal, NULL))
        continue;
      g_string_append_printf (sql, "%s%s = excluded.%s", any_update ? ", " : "UPDATE SET ",
                              column, column);
      any_update = TRUE;
    }
  if (!any_update)
    g_string_append (sql, "NOTHING");

  stmt = stmt_get (self, sql->str, error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < present->len; i++)
    bind_json (stmt, (int) i + 1, json_object_get_member (image, present->pdata[i]));
  return step_done (self, stmt, error);
}

/* The integer of @sql with the text parameters @a and @b; -1 on error. */
static gint64
query_int (SqliteBackend  *self,
           const char     *sql,
           const char     *a,
           const char     *b,
           GError        **error)
{
  sqlite3_stmt *stmt = stmt_get (self, sql, error);
  gint64 value = -1;

  if (stmt == NULL)
    return -1;
  bind_text (stmt, 1, a);
  bind_text (stmt, 2, b);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  else
    fail (self, error, sql);
  sqlite3_reset (stmt);
  return value;
}

static gboolean
sqlite_row_renumber (EsaServerBackend  *backend,
                     const char        *table,
                     JsonObject        *image,
                     GError           **error)
{
  SqliteBackend *self = (SqliteBackend *) backend;
  const char *id = json_object_get_string_member_with_default (image, "id", NULL);
  gint64 taken;

  if (g_str_equal (table, "acts"))
    {
      const char *number = json_object_get_string_member_with_default (image, "number", NULL);
      const char *dash = number != NULL ? strrchr (number, '-') : NULL;
      g_autofree char *series = NULL;
      g_autofree char *next = NULL;
      gint64 last;

      if (dash == NULL)
        return TRUE;
      taken = query_int (self, "SELECT count(*) FROM acts WHERE number = ?1 AND id <> ?2",
                         number, id, error);
      if (taken <= 0)
        return taken == 0;
      /* "ING-2026-000124" is number 124 of the series "ING-2026"; '.'
       * follows '-', so the range holds exactly the series. */
      series = g_strndup (number, (gsize) (dash - number));
      last = query_int (self, "SELECT coalesce(max(CAST(substr(number, length(?1) + 2) "
                              "AS INTEGER)), 0) FROM acts "
                              "WHERE number > ?1 || '-' AND number < ?1 || '.'",
                        series, NULL, error);
      if (last < 0)
        return FALSE;
      next = g_strdup_printf ("%s-%06" G_GINT64_FORMAT, series, last + 1);
      json_object_set_string_member (image, "number", next);
      return TRUE;
    }

  if (g_str_equal (table, "case_events"))
    {
      const char *case_id = json_object_get_string_member_with_default (image, "case_id", NULL);
      g_autofree char *seq = g_strdup_printf ("%" G_GINT64_FORMAT,
                                              json_object_get_int_member_with_default (image,
                                                                                       "seq", 0));
      g_autofree char *sql = NULL;
      gint64 last;

      if (case_id == NULL)
        return TRUE;
      sql = g_strdup_printf ("SELECT count(*) FROM case_events WHERE case_id = ?1 AND seq = %s",
                             seq);
      taken = query_int (self, sql, case_id, NULL, error);
      if (taken <= 0)
        return taken == 0;
      last = query_int (self, "SELECT coalesce(max(seq), 0) FROM case_events WHERE case_id = ?1",
                        case_id, NULL, error);
      if (last < 0)
        return FALSE;
      json_object_set_int_member (image, "seq", last + 1);
    }
  return TRUE;
}

static gboolean
sqlite_row_delete (EsaServerBackend  *backend,
                   const char        *table,
                   const char        *key,
                   GError           **error)
{
  SqliteBackend *self = (SqliteBackend *) backend;
  TableInfo *info = table_get (self, table, error);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;

  if (info == NULL)
    return FALSE;
  sql = g_strdup_printf ("DELETE FROM %s AS r WHERE %s", info->name, info->key_where);
  stmt = stmt_get (self, sql, error);
  if (stmt == NULL || !bind_key (info, stmt, 2, key, error))
    return FALSE;
  return step_done (self, stmt, error);
}

static gboolean
sqlite_row_scope (EsaServerBackend  *backend,
                  const char        *table,
                  const char        *key,
                  GStrv             *out_offices,
                  char             **out_debtor_id,
                  GError           **error)
{
  SqliteBackend *self = (SqliteBackend *) backend;
  TableInfo *info = table_get (self, table, error);
  g_autoptr(GStrvBuilder) offices = g_strv_builder_new ();
  g_autofree char *sql = NULL;
  g_autofree char *body = NULL;
  g_autofree char *debtor = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (info == NULL)
    return FALSE;
  sql = g_strdup_printf ("SELECT %s, %s, %s FROM %s AS r WHERE %s", info->debtor, info->office,
                         info->body != NULL ? info->body : "NULL", info->name, info->key_where);
  stmt = stmt_get (self, sql, error);
  if (stmt == NULL || !bind_key (info, stmt, 2, key, error))
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      debtor = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      if (sqlite3_column_type (stmt, 1) != SQLITE_NULL)
        g_strv_builder_add (offices, (const char *) sqlite3_column_text (stmt, 1));
      else
        body = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return fail (self, error, table);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, ESA_SERVER_ERROR, ESA_SERVER_ERROR_NOT_FOUND,
                   /* Translators: %s is a table, %s a row key */
                   _("no row of %s with key %s"), table, key);
      return FALSE;
    }

  if (body != NULL)
    {
      stmt = stmt_get (self, "SELECT office_id FROM office_bodies WHERE body_id = ?1 "
                             "ORDER BY office_id", error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, body);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_strv_builder_add (offices, (const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return fail (self, error, "office_bodies");
    }

  *out_offices = g_strv_builder_end (offices);
  *out_debtor_id = g_steal_pointer (&debtor);
  return TRUE;
}

/* Logs the rows of @info that match @where (parameters from ?2 on, bound by
 * @bind) for @for_user (?1; NULL: everyone in scope): one change-log row per
 * office in scope. Returns the last seq, 0 when nothing was logged. */
typedef gboolean (*BindFunc) (TableInfo *info, sqlite3_stmt *stmt, gpointer data, GError **error);

static gint64
log_where (SqliteBackend  *self,
           TableInfo      *info,
           const char     *where,
           BindFunc        bind,
           gpointer        data,
           const char     *for_user,
           GError        **error)
{
  sqlite3_int64 before = sqlite3_total_changes64 (self->db);
  g_autofree char *by_office = NULL;
  g_autofree char *by_body = NULL;
  sqlite3_stmt *stmt;

  by_office = g_strdup_printf ("INSERT INTO change_log (t, k, office_id, debtor_id, for_user, "
                               "after) SELECT '%s', %s, %s, %s, ?1, %s FROM %s AS r "
                               "WHERE (%s) AND %s IS NOT NULL",
                               info->name, info->key_expr, info->office, info->debtor,
                               info->image_expr, info->name, where, info->office);
  stmt = stmt_get (self, by_office, error);
  if (stmt == NULL)
    return -1;
  bind_text (stmt, 1, for_user);
  if ((bind != NULL && !bind (info, stmt, data, error)) || !step_done (self, stmt, error))
    return -1;

  if (info->body != NULL)
    {
      by_body = g_strdup_printf ("INSERT INTO change_log (t, k, office_id, debtor_id, for_user, "
                                 "after) SELECT '%s', %s, ob_.office_id, %s, ?1, %s "
                                 "FROM %s AS r JOIN office_bodies AS ob_ ON ob_.body_id = %s "
                                 "WHERE (%s) AND %s IS NULL",
                                 info->name, info->key_expr, info->debtor, info->image_expr,
                                 info->name, info->body, where, info->office);
      stmt = stmt_get (self, by_body, error);
      if (stmt == NULL)
        return -1;
      bind_text (stmt, 1, for_user);
      if ((bind != NULL && !bind (info, stmt, data, error)) || !step_done (self, stmt, error))
        return -1;
    }

  if (sqlite3_total_changes64 (self->db) == before)
    return 0;
  return sqlite3_last_insert_rowid (self->db);
}

static gboolean
bind_key_data (TableInfo     *info,
               sqlite3_stmt  *stmt,
               gpointer       data,
               GError       **error)
{
  return bind_key (info, stmt, 2, data, error);
}

static gboolean
bind_debtor_data (TableInfo     *info,
                  sqlite3_stmt  *stmt,
                  gpointer       data,
                  GError       **error)
{
  bind_text (stmt, 2, data);
  return TRUE;
}

/* A newer image of a row makes the older ones of no use to anyone. */
static gboolean
forget_older (SqliteBackend  *self,
              const char     *table,
              const char     *key,
              GError        **error)
{
  sqlite3_stmt *stmt = stmt_get (self, "DELETE FROM change_log WHERE t = ?1 AND k = ?2", error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, table);
  bind_text (stmt, 2, key);
  return step_done (self, stmt, error);
}

static gint64
sqlite_log_row (EsaServerBackend  *backend,
                const char        *table,
                const char        *key,
                GError           **error)
{
  SqliteBackend *self = (SqliteBackend *) backend;
  TableInfo *info = table_get (self, table, error);

  if (info == NULL || !forget_older (self, table, key, error))
    return -1;
  return log_where (self, info, info->key_where, bind_key_data, (gpointer) key, NULL, error);
}

static gint64
sqlite_log_tombstone (EsaServerBackend    *backend,
                      const char          *table,
                      const char          *key,
                      const char * const  *offices,
                      const char          *debtor_id,
                      GError             **error)
{
  SqliteBackend *self = (SqliteBackend *) backend;
  gint64 seq = 0;
  sqlite3_stmt *stmt;

  if (!forget_older (self, table, key, error))
    return -1;
  for (guint i = 0; offices != NULL && offices[i] != NULL; i++)
    {
      stmt = stmt_get (self, "INSERT INTO change_log (t, k, office_id, debtor_id, after) "
                             "VALUES (?1, ?2, ?3, ?4, NULL)", error);
      if (stmt == NULL)
        return -1;
      bind_text (stmt, 1, table);
      bind_text (stmt, 2, key);
      bind_text (stmt, 3, offices[i]);
      bind_text (stmt, 4, debtor_id);
      if (!step_done (self, stmt, error))
        return -1;
      seq = sqlite3_last_insert_rowid (self->db);
    }
  return seq;
}

static gint64
sqlite_log_debtor (EsaServerBackend  *backend,
                   const char        *debtor_id,
                   const char        *for_user,
                   GError           **error)
{
  SqliteBackend *self = (SqliteBackend *) backend;
  gint64 last = 0;

  for (guint i = 0; i < self->order->len; i++)
    {
      TableInfo *info = g_ptr_array_index (self->order, i);
      g_autofree char *where = NULL;
      gint64 seq;

      if (g_str_equal (info->debtor, "NULL"))
        continue;
      where = g_strdup_printf ("%s = ?2", info->debtor);
      seq = log_where (self, info, where, bind_debtor_data, (gpointer) debtor_id, for_user,
                       error);
      if (seq < 0)
        return -1;
      last = MAX (last, seq);
    }
  return last;
}

static gint64
sqlite_log_all (EsaServerBackend  *backend,
                GError           **error)
{
  SqliteBackend *self = (SqliteBackend *) backend;
  gint64 last = 0;

  /* Indexes built once at the end cost less than kept up row by row. */
  if (!exec (self, "DROP INDEX change_log_office; DROP INDEX change_log_key", error))
    return -1;
  for (guint i = 0; i < self->order->len; i++)
    {
      TableInfo *info = g_ptr_array_index (self->order, i);
      gint64 seq = log_where (self, info, "1", NULL, NULL, NULL, error);

      if (seq < 0)
        return -1;
      last = MAX (last, seq);
    }
  if (!exec (self, "CREATE INDEX change_log_office ON change_log (office_id, seq); "
                   "CREATE INDEX change_log_key ON change_log (t, k)", error))
    return -1;
  return last;
}

/* ---- field clocks and history ---------------------------------------------- */

static char *
sqlite_clock_get (EsaServerBackend  *backend,
                  const char        *table,
                  const char        *key,
                  const char        *field,
                  GError           **error)
{
  SqliteBackend *self = (SqliteBackend *) backend;
  sqlite3_stmt *stmt = stmt_get (self,
                                 "SELECT hlc FROM field_clock WHERE t = ?1 AND k = ?2 "
                                 "AND field = ?3",
                                 error);

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, table);
  bind_text (stmt, 2, key);
  bind_text (stmt, 3, field);
  return step_text (self, stmt, "field_clock", error);
}

static gboolean
sqlite_clock_set (EsaServerBackend  *backend,
                  const char        *table,
                  const char        *key,
                  const char        *field,
                  const char        *hlc,
                  GError           **error)
{
  SqliteBackend *self = (SqliteBackend *) backend;
  sqlite3_stmt *stmt = stmt_get (self,
                                 "INSERT INTO field_clock (t, k, field, hlc) "
                                 "VALUES (?1, ?2, ?3, ?4) "
                                 "ON CONFLICT (t, k, field) DO UPDATE SET hlc = excluded.hlc",
                                 error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, table);
  bind_text (stmt, 2, key);
  bind_text (stmt, 3, field);
  bind_text (stmt, 4, hlc);
  return step_done (self, stmt, error);
}

static gboolean
sqlite_history_add (EsaServerBackend  *backend,
                    const char        *table,
                    const char        *key,
                    const char        *field,
                    JsonNode          *value,
                    const char        *hlc,
                    const char        *op_id,
                    GError           **error)
{
  SqliteBackend *self = (SqliteBackend *) backend;
  sqlite3_stmt *stmt = stmt_get (self,
                                 "INSERT INTO field_history (t, k, field, value, hlc, op_id, at) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                                 "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                                 error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, table);
  bind_text (stmt, 2, key);
  bind_text (stmt, 3, field);
  if (value != NULL)
    sqlite3_bind_text (stmt, 4, json_to_string (value, FALSE), -1, g_free);
  bind_text (stmt, 5, hlc);
  bind_text (stmt, 6, op_id);
  return step_done (self, stmt, error);
}

static gboolean
sqlite_is_assigned (EsaServerBackend  *backend,
                    const char        *user_id,
                    const char        *debtor_id,
                    gboolean          *out_assigned,
                    GError           **error)
{
  SqliteBackend *self = (SqliteBackend *) backend;
  sqlite3_stmt *stmt;
  int rc;

  *out_assigned = FALSE;
  if (!g_hash_table_contains (self->tables, "assignments"))
    return TRUE;
  stmt = stmt_get (self, "SELECT 1 FROM assignments WHERE user_id = ?1 AND debtor_id = ?2",
                   error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, user_id);
  bind_text (stmt, 2, debtor_id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return fail (self, error, "assignments");
  *out_assigned = rc == SQLITE_ROW;
  return TRUE;
}

static gboolean
sqlite_documents_with_hash (EsaServerBackend  *backend,
                            const char        *sha256,
                            GPtrArray         *out_ids,
                            GError           **error)
{
  SqliteBackend *self = (SqliteBackend *) backend;
  sqlite3_stmt *stmt = stmt_get (self, "SELECT id FROM documents WHERE sha256 = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, sha256);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (out_ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return fail (self, error, "documents");
  return TRUE;
}

/* ---- pull ------------------------------------------------------------------- */

static void
append_json_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      if ((guchar) *p < 0x20)
        g_string_append_printf (out, "\\u%04x", (guint) (guchar) *p);
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static gboolean
sqlite_pull (EsaServerBackend      *backend,
             const EsaServerScope  *scope,
             gint64                 cursor,
             guint                  limit,
             GString               *rows,
             gint64                *out_next,
             gboolean              *out_more,
             GPtrArray             *purge,
             GError               **error)
{
  SqliteBackend *self = (SqliteBackend *) backend;
  gboolean field = scope->assigned_user_id != NULL
                   && g_hash_table_contains (self->tables, "assignments");
  sqlite3_stmt *stmt;
  gint64 next = cursor;
  guint n = 0;
  int rc;

  if (field)
    stmt = stmt_get (self,
                     "SELECT seq, t, k, after FROM change_log "
                     "WHERE office_id = ?1 AND seq > ?2 "
                     "AND (for_user IS NULL OR for_user = ?4) "
                     "AND CASE WHEN debtor_id IS NULL THEN t IN " FIELD_OFFICE_TABLES " "
                     "ELSE debtor_id IN (SELECT debtor_id FROM assignments WHERE user_id = ?5) "
                     "END ORDER BY seq LIMIT ?3",
                     error);
  else
    stmt = stmt_get (self,
                     "SELECT seq, t, k, after FROM change_log "
                     "WHERE office_id = ?1 AND seq > ?2 AND for_user IS NULL "
                     "ORDER BY seq LIMIT ?3",
                     error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, scope->office_id);
  sqlite3_bind_int64 (stmt, 2, cursor);
  sqlite3_bind_int64 (stmt, 3, (gint64) limit + 1);
  if (field)
    {
      bind_text (stmt, 4, scope->user_id);
      bind_text (stmt, 5, scope->assigned_user_id);
    }

  *out_more = FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *after = (const char *) sqlite3_column_text (stmt, 3);

      if (n == limit)
        {
          *out_more = TRUE;
          break;
        }
      next = sqlite3_column_int64 (stmt, 0);
      g_string_append_printf (rows, "%s{\"seq\":%" G_GINT64_FORMAT ",\"t\":",
                              n > 0 ? "," : "", next);
      append_json_string (rows, (const char *) sqlite3_column_text (stmt, 1));
      g_string_append (rows, ",\"k\":");
      append_json_string (rows, (const char *) sqlite3_column_text (stmt, 2));
      g_string_append (rows, ",\"after\":");
      g_string_append (rows, after != NULL ? after : "null");
      g_string_append_c (rows, '}');
      n++;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return fail (self, error, "change_log");

  /* Past the last row in scope there is nothing for this user up to the end
   * of the log: the cursor may move there, so that the next pull starts late. */
  if (!*out_more)
    {
      gint64 last = sqlite_last_seq (backend, error);

      if (last < 0)
        return FALSE;
      next = MAX (next, last);
    }

  if (field)
    {
      stmt = stmt_get (self,
                       "SELECT DISTINCT debtor_id FROM change_log "
                       "WHERE office_id = ?1 AND t = 'assignments' AND seq > ?2 AND seq <= ?3 "
                       "AND debtor_id IS NOT NULL AND debtor_id NOT IN "
                       "(SELECT debtor_id FROM assignments WHERE user_id = ?4)",
                       error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, scope->office_id);
      sqlite3_bind_int64 (stmt, 2, cursor);
      sqlite3_bind_int64 (stmt, 3, next);
      bind_text (stmt, 4, scope->assigned_user_id);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (purge, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return fail (self, error, "change_log");
    }

  *out_next = next;
  return TRUE;
}

/* ---- lifetime ---------------------------------------------------------------- */

static void
finalize_stmt (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
sqlite_free (EsaServerBackend *backend)
{
  SqliteBackend *self = (SqliteBackend *) backend;

  g_hash_table_unref (self->stmts);
  g_hash_table_unref (self->tables);
  g_ptr_array_unref (self->order);
  sqlite3_close (self->db);
  g_free (self);
}

static const EsaServerBackendVTable sqlite_vtable = {
  .free = sqlite_free,
  .begin = sqlite_begin,
  .commit = sqlite_commit,
  .rollback = sqlite_rollback,
  .batch_begin = sqlite_batch_begin,
  .batch_end = sqlite_batch_end,
  .last_seq = sqlite_last_seq,
  .account_add = sqlite_account_add,
  .account_find = sqlite_account_find,
  .failures_since = sqlite_failures_since,
  .failure_add = sqlite_failure_add,
  .failures_clear = sqlite_failures_clear,
  .token_add = sqlite_token_add,
  .token_find = sqlite_token_find,
  .op_find = sqlite_op_find,
  .op_add = sqlite_op_add,
  .is_synced_table = sqlite_is_synced_table,
  .row_get = sqlite_row_get,
  .row_put = sqlite_row_put,
  .row_renumber = sqlite_row_renumber,
  .row_delete = sqlite_row_delete,
  .row_scope = sqlite_row_scope,
  .documents_with_hash = sqlite_documents_with_hash,
  .log_row = sqlite_log_row,
  .log_tombstone = sqlite_log_tombstone,
  .log_debtor = sqlite_log_debtor,
  .log_all = sqlite_log_all,
  .clock_get = sqlite_clock_get,
  .clock_set = sqlite_clock_set,
  .history_add = sqlite_history_add,
  .is_assigned = sqlite_is_assigned,
  .pull = sqlite_pull,
};

EsaServerBackend *
esa_server_backend_sqlite_new (const char  *path,
                               GError     **error)
{
  g_autofree SqliteBackend *self = g_new0 (SqliteBackend, 1);

  self->parent.vt = &sqlite_vtable;
  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    {
      g_set_error (error, ESA_SERVER_ERROR, ESA_SERVER_ERROR_IO,
                   /* Translators: %s is a file, %s SQLite's message */
                   _("cannot open the server database %s: %s"), path,
                   self->db != NULL ? sqlite3_errmsg (self->db) : "");
      sqlite3_close (self->db);
      return NULL;
    }
  self->stmts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_stmt);
  self->tables = g_hash_table_new (g_str_hash, g_str_equal);
  self->order = g_ptr_array_new_with_free_func ((GDestroyNotify) table_info_free);
  sqlite3_busy_timeout (self->db, 10000);

  /* The change log of a large office is read in long runs: a larger cache
   * and memory-mapped reads keep the pages of a pull out of system calls. */
  if (!exec (self, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
                   "PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536; "
                   "PRAGMA mmap_size = 1073741824", error)
      || !exec (self, server_schema, error)
      || !load_tables (self, error))
    {
      sqlite_free ((EsaServerBackend *) g_steal_pointer (&self));
      return NULL;
    }
  return (EsaServerBackend *) g_steal_pointer (&self);
}
