/* esa-store.c: opening, identifying and migrating the database; the
 * connection, its statement cache and its transactions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "esa-hlc.h"
#include "esa-store-checkpoint-private.h"
#include "esa-store-private.h"
#include "esa-store-resources.h"
#include "esa-uuid.h"

struct _EsaStore
{
  GObject     parent_instance;

  sqlite3    *db;
  char       *path;            /* NULL for an in-memory store */
  char       *acting_user;
  GHashTable *statements;      /* SQL text -> sqlite3_stmt */
  guint       depth;           /* open transaction plus savepoints */
  gboolean    explicit_tx;     /* the outer transaction is the caller's */
  gint        schema_version;
  EsaHlc      hlc;
  gint64      clock_offset_ms; /* simulated clock skew (sync simulation test) */
  EsaCheckpointer *checkpointer; /* NULL for an in-memory store */
};

G_DEFINE_TYPE (EsaStore, esa_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (esa-store-error-quark, esa_store_error)

/* The migration steps, in order: step N brings a database from user_version
 * N - 1 to N. Each runs in its own transaction. Append, never edit, once a
 * step has been released. */
static const char * const migrations[] = {
  "/org/esattore/Esattore/store/schema/001-initial.sql",
  "/org/esattore/Esattore/store/schema/002-case-events.sql",
  "/org/esattore/Esattore/store/schema/003-load-lists.sql",
  "/org/esattore/Esattore/store/schema/004-instalment-reminders.sql",
  "/org/esattore/Esattore/store/schema/005-payments.sql",
  "/org/esattore/Esattore/store/schema/006-queues.sql",
  "/org/esattore/Esattore/store/schema/007-sync.sql",
  "/org/esattore/Esattore/store/schema/008-sync-origin-reindex.sql",
  "/org/esattore/Esattore/store/schema/009-queue-deadlines.sql",
};

#define SQLITE_HEADER_MAGIC "SQLite format 3"
#define SQLITE_HEADER_SIZE  100

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
esa_store_finalize (GObject *object)
{
  EsaStore *self = ESA_STORE (object);

  /* Statements first: sqlite3_close() refuses a connection with live ones. */
  g_clear_pointer (&self->statements, g_hash_table_unref);
  /* The checkpoint thread ends before the connection closes: the close,
   * as the last connection, copies whatever of the log it left. */
  g_clear_pointer (&self->checkpointer, _esa_checkpointer_free);
  if (self->db != NULL)
    {
      sqlite3_close (self->db);
      self->db = NULL;
    }
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->acting_user, g_free);

  G_OBJECT_CLASS (esa_store_parent_class)->finalize (object);
}

static void
esa_store_class_init (EsaStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = esa_store_finalize;
}

static void
esa_store_init (EsaStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            finalize_statement);
  esa_hlc_init (&self->hlc);
}

/* ---- errors ------------------------------------------------------------- */

static const char *
display_path (EsaStore *self)
{
  /* Translators: how an in-memory database is named in messages */
  return self->path != NULL ? self->path : _("the in-memory database");
}

static EsaStoreError
error_code_for_sqlite (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_CONSTRAINT:
      return ESA_STORE_ERROR_INVALID;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return ESA_STORE_ERROR_CORRUPT;
    default:
      return ESA_STORE_ERROR_IO;
    }
}

static void
set_sqlite_error_code (EsaStore    *self,
                       GError     **error,
                       int          rc,
                       const char  *what)
{
  EsaStoreError code = error_code_for_sqlite (rc);

  if (code == ESA_STORE_ERROR_CORRUPT)
    g_set_error (error, ESA_STORE_ERROR, code,
                 /* Translators: "Could not read the dossier: FILE is damaged (SQLite's text)" */
                 _("%s: %s is damaged (%s)"),
                 what, display_path (self), sqlite3_errmsg (self->db));
  else
    g_set_error (error, ESA_STORE_ERROR, code, "%s: %s", what, sqlite3_errmsg (self->db));
}

void
_esa_store_set_sqlite_error (EsaStore    *self,
                             GError     **error,
                             const char  *what)
{
  g_return_if_fail (ESA_IS_STORE (self));

  set_sqlite_error_code (self, error, sqlite3_extended_errcode (self->db), what);
}

/* ---- statements --------------------------------------------------------- */

sqlite3 *
_esa_store_get_db (EsaStore *self)
{
  g_return_val_if_fail (ESA_IS_STORE (self), NULL);

  return self->db;
}

EsaStoreStmt *
_esa_store_prepare (EsaStore    *self,
                    const char  *sql,
                    GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    return stmt;

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error_code (self, error, rc, _("Could not prepare a database query"));
      sqlite3_finalize (stmt);
      return NULL;
    }

  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

void
_esa_store_stmt_release (EsaStoreStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

gboolean
_esa_store_step (EsaStore      *self,
                 EsaStoreStmt  *stmt,
                 gboolean      *out_row,
                 GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    {
      *out_row = rc == SQLITE_ROW;
      return TRUE;
    }

  *out_row = FALSE;
  set_sqlite_error_code (self, error, rc, _("A database query failed"));
  return FALSE;
}

gboolean
_esa_store_step_done (EsaStore      *self,
                      EsaStoreStmt  *stmt,
                      GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_DONE || rc == SQLITE_ROW)
    return TRUE;

  set_sqlite_error_code (self, error, rc, _("Could not write to the database"));
  return FALSE;
}

/* SQLite evaluates a CHECK with an IN list of more than two values against
 * a temporary b-tree that it empties and fills again for every row written:
 * measured on 200,000 load-list rows, a tenth of the import's instructions.
 * Bulk writers whose values hold the checks by construction switch them off
 * around their rows (a connection setting, not part of the transaction).
 * Returns the setting to restore. */
gint
_esa_store_checks_off (EsaStore *self)
{
  g_autoptr(EsaStoreStmt) stmt = _esa_store_prepare (self, "PRAGMA ignore_check_constraints",
                                                     NULL);
  gint previous = 0;
  gboolean row;

  if (stmt != NULL && _esa_store_step (self, stmt, &row, NULL) && row)
    previous = sqlite3_column_int (stmt, 0);
  g_clear_pointer (&stmt, _esa_store_stmt_release);

  _esa_store_exec (self, "PRAGMA ignore_check_constraints = ON", NULL);
  return previous;
}

void
_esa_store_checks_restore (EsaStore *self,
                           gint      previous)
{
  _esa_store_exec (self, previous ? "PRAGMA ignore_check_constraints = ON"
                                  : "PRAGMA ignore_check_constraints = OFF", NULL);
}

gboolean
_esa_store_exec (EsaStore    *self,
                 const char  *sql,
                 GError     **error)
{
  int rc;

  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);

  rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error_code (self, error, rc, _("A database command failed"));
      return FALSE;
    }
  return TRUE;
}

/* Runs a cached statement without results (BEGIN, COMMIT …). */
static gboolean
run_cached (EsaStore    *self,
            const char  *sql,
            GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = _esa_store_prepare (self, sql, error);

  return stmt != NULL && _esa_store_step_done (self, stmt, error);
}

/* ---- transactions ------------------------------------------------------- */

/* A write waits for the checkpoint under way: started on a log that is
 * still being copied, it would make the log longer instead of starting it
 * again, and every page read looks through all of it (measured: approving
 * a 200,000-row load list just imported took 17 s instead of 11). */
static gboolean
begin_immediate (EsaStore  *self,
                 GError   **error)
{
  if (self->checkpointer != NULL)
    _esa_checkpointer_wait (self->checkpointer);
  return run_cached (self, "BEGIN IMMEDIATE", error);
}

gboolean
_esa_store_begin (EsaStore  *self,
                  GError   **error)
{
  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);

  if (self->depth > 0)
    {
      g_set_error_literal (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID,
                           _("A transaction is already open on this database"));
      return FALSE;
    }
  if (!begin_immediate (self, error))
    return FALSE;

  self->depth = 1;
  self->explicit_tx = TRUE;
  return TRUE;
}

gboolean
_esa_store_commit (EsaStore  *self,
                   GError   **error)
{
  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->depth == 1 && self->explicit_tx, FALSE);

  if (!run_cached (self, "COMMIT", error))
    {
      _esa_store_rollback (self);
      return FALSE;
    }
  self->depth = 0;
  self->explicit_tx = FALSE;
  return TRUE;
}

void
_esa_store_rollback (EsaStore *self)
{
  g_return_if_fail (ESA_IS_STORE (self));

  /* ROLLBACK fails only when no transaction is open, which is the state it
   * is meant to reach anyway. */
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  self->depth = 0;
  self->explicit_tx = FALSE;
}

gboolean
_esa_store_write_begin (EsaStore  *self,
                        GError   **error)
{
  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);

  if (self->depth == 0)
    {
      if (!begin_immediate (self, error))
        return FALSE;
    }
  else if (!run_cached (self, "SAVEPOINT esa_write", error))
    return FALSE;

  self->depth++;
  return TRUE;
}

gboolean
_esa_store_write_end (EsaStore  *self,
                      gboolean   ok,
                      GError   **error)
{
  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->depth > 0, FALSE);

  if (self->depth == 1 && !self->explicit_tx)
    {
      if (ok && !run_cached (self, "COMMIT", error))
        ok = FALSE;
      if (!ok)
        _esa_store_rollback (self);
      self->depth = 0;
      return ok;
    }

  /* A savepoint: inside the caller's transaction or an enclosing write. */
  if (!ok)
    {
      run_cached (self, "ROLLBACK TO esa_write", NULL);
      run_cached (self, "RELEASE esa_write", NULL);
    }
  else if (!run_cached (self, "RELEASE esa_write", error))
    {
      run_cached (self, "ROLLBACK TO esa_write", NULL);
      run_cached (self, "RELEASE esa_write", NULL);
      ok = FALSE;
    }
  self->depth--;
  return ok;
}

gboolean
_esa_store_read_begin (EsaStore  *self,
                       GError   **error)
{
  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);

  if (self->depth == 0 && !run_cached (self, "BEGIN", error))
    return FALSE;

  self->depth++;
  return TRUE;
}

void
_esa_store_read_end (EsaStore *self)
{
  g_return_if_fail (ESA_IS_STORE (self));
  g_return_if_fail (self->depth > 0);

  self->depth--;
  /* A read transaction has nothing to lose: COMMIT only ends it. */
  if (self->depth == 0 && !run_cached (self, "COMMIT", NULL))
    _esa_store_rollback (self);
}

/* ---- identification of the file ----------------------------------------- */

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static void
set_foreign_error (GError     **error,
                   const char  *path)
{
  g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_FOREIGN,
               _("%s is not an Esattore database (an SQLite database of another program)"),
               path);
}

static void
set_too_new_error (GError     **error,
                   const char  *path,
                   gint64       version)
{
  g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_TOO_NEW,
               _("%s was written by a newer version of Esattore (schema %d; this version "
                 "reads up to %d): update Esattore to open it"),
               path, (gint) version, esa_store_current_schema_version ());
}

static gboolean
wal_file_has_content (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  GStatBuf st;

  return g_stat (wal, &st) == 0 && st.st_size > 0;
}

/* Looks at the file's first bytes before SQLite touches it, so that a file
 * of another kind is refused without being opened as a database, and a
 * truncated database is named as such. *out_new is TRUE for a missing or
 * empty file (an empty file is what an interrupted creation or `touch`
 * leaves; it holds nothing that could be lost). When a write-ahead log with
 * content lies beside the file, the header may be stale, and identify()
 * decides through SQLite instead. */
static gboolean
inspect_header (const char  *path,
                gboolean    *out_new,
                GError     **error)
{
  guint8 header[SQLITE_HEADER_SIZE];
  GStatBuf st;
  gssize n_read;
  guint32 page_size;
  guint32 header_pages;
  guint32 application_id;
  gint32 user_version;
  int saved_errno;
  int fd;

  *out_new = FALSE;

  if (g_stat (path, &st) != 0)
    {
      saved_errno = errno;
      if (saved_errno == ENOENT)
        {
          *out_new = TRUE;
          return TRUE;
        }
      g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_IO,
                   _("Could not open %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_NOT_A_DATABASE,
                   _("%s is not an Esattore database (not a regular file)"), path);
      return FALSE;
    }

  if (st.st_size == 0)
    {
      *out_new = TRUE;
      return TRUE;
    }

  fd = g_open (path, O_RDONLY, 0);
  if (fd < 0)
    {
      saved_errno = errno;
      g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_IO,
                   _("Could not open %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  n_read = read (fd, header, sizeof header);
  saved_errno = errno;
  close (fd);

  if (n_read < 0)
    {
      g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_IO,
                   _("Could not read %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  if ((gsize) n_read < sizeof SQLITE_HEADER_MAGIC
      || memcmp (header, SQLITE_HEADER_MAGIC, sizeof SQLITE_HEADER_MAGIC) != 0)
    {
      g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_NOT_A_DATABASE,
                   _("%s is not an Esattore database (not an SQLite file)"), path);
      return FALSE;
    }

  if (n_read < SQLITE_HEADER_SIZE)
    {
      g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_CORRUPT,
                   _("%s is damaged: the file ends inside its header (truncated?)"), path);
      return FALSE;
    }

  /* The fixed fields of the header (sqlite.org/fileformat.html): a page
   * size that is a power of two from 512 to 65536, and the payload
   * fractions 64, 32, 32 that every SQLite writes. */
  page_size = ((guint32) header[16] << 8) | header[17];
  if (page_size == 1)
    page_size = 65536;
  if (page_size < 512 || page_size > 65536 || (page_size & (page_size - 1)) != 0
      || header[21] != 64 || header[22] != 32 || header[23] != 32)
    {
      g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_CORRUPT,
                   _("%s is damaged: its SQLite header is not valid"), path);
      return FALSE;
    }

  if (st.st_size % page_size != 0)
    {
      g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_CORRUPT,
                   _("%s is damaged: its size is not a whole number of pages (truncated?)"),
                   path);
      return FALSE;
    }

  /* The page count in the header is valid when the change counter matches
   * the version-valid-for number; a write-ahead log with content may hold
   * pages the main file does not have yet, so the check is only made when
   * there is none. */
  if (wal_file_has_content (path))
    return TRUE;

  header_pages = read_be32 (header + 28);
  if (header_pages != 0 && read_be32 (header + 24) == read_be32 (header + 92)
      && (guint64) header_pages * page_size > (guint64) st.st_size)
    {
      g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_CORRUPT,
                   _("%s is damaged: it is shorter than its header says (%u of %u pages; "
                     "truncated?)"),
                   path, (guint) (st.st_size / page_size), header_pages);
      return FALSE;
    }

  /* Without a write-ahead log the header is the truth about the file's
   * application id and schema version: a file that is not ours, or too new,
   * is refused before SQLite opens it, so not even a -shm file appears
   * beside it. An unmarked file of a single page has no table (every table
   * needs a page of its own): it may be an interrupted creation, which
   * identify() tells by its empty schema. */
  application_id = read_be32 (header + 68);
  user_version = (gint32) read_be32 (header + 60);
  if (application_id != ESA_STORE_APPLICATION_ID
      && (application_id != 0 || user_version != 0 || st.st_size > page_size))
    {
      set_foreign_error (error, path);
      return FALSE;
    }
  if (application_id == ESA_STORE_APPLICATION_ID
      && user_version > esa_store_current_schema_version ())
    {
      set_too_new_error (error, path, user_version);
      return FALSE;
    }

  return TRUE;
}

static gboolean
query_int (EsaStore    *self,
           const char  *sql,
           gint64      *out,
           GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *out = sqlite3_column_int64 (stmt, 0);
          rc = SQLITE_OK;
        }
      else if (rc == SQLITE_DONE)
        {
          *out = 0;
          rc = SQLITE_OK;
        }
    }

  if (rc != SQLITE_OK)
    {
      if ((rc & 0xff) == SQLITE_NOTADB)
        g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_NOT_A_DATABASE,
                     _("%s is not an Esattore database (not an SQLite file)"),
                     display_path (self));
      else
        set_sqlite_error_code (self, error, rc, _("Could not read the database"));
    }

  sqlite3_finalize (stmt);
  return rc == SQLITE_OK;
}

/* A quick look for damage, cheap enough for every open even on a large
 * file: every table's first and last rows, that is the root page and the
 * two outer paths of each b-tree, where truncation and overwritten pages
 * usually show (min and max in separate subqueries: together in one they
 * would scan the whole table). `PRAGMA quick_check` would read every page, which takes
 * seconds on a large office database; it remains a job for a maintenance
 * command. */
static gboolean
check_tables (EsaStore  *self,
              GError   **error)
{
  sqlite3_stmt *list = NULL;
  gboolean ok = TRUE;
  int rc;

  rc = sqlite3_prepare_v2 (self->db,
                           "SELECT name, wr FROM pragma_table_list "
                           "WHERE schema = 'main' AND type IN ('table', 'shadow') "
                           "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
                           -1, &list, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step (list)) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (list, 0);
      gboolean without_rowid = sqlite3_column_int (list, 1) != 0;
      sqlite3_stmt *probe = NULL;
      char *sql;

      if (without_rowid)
        sql = sqlite3_mprintf ("SELECT 1 FROM \"%w\" LIMIT 1", name);
      else
        sql = sqlite3_mprintf ("SELECT (SELECT min(rowid) FROM \"%w\"), "
                               "(SELECT max(rowid) FROM \"%w\")",
                               name, name);

      rc = sqlite3_prepare_v2 (self->db, sql, -1, &probe, NULL);
      if (rc == SQLITE_OK)
        {
          rc = sqlite3_step (probe);
          if (rc == SQLITE_ROW || rc == SQLITE_DONE)
            rc = SQLITE_OK;
        }
      sqlite3_finalize (probe);
      sqlite3_free (sql);
      if (rc != SQLITE_OK)
        break;
    }
  if (rc == SQLITE_DONE)
    rc = SQLITE_OK;

  if (rc != SQLITE_OK)
    {
      if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB)
        g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_CORRUPT,
                     _("%s is damaged: %s"), display_path (self), sqlite3_errmsg (self->db));
      else
        set_sqlite_error_code (self, error, rc, _("Could not read the database"));
      ok = FALSE;
    }

  sqlite3_finalize (list);
  return ok;
}

/* Decides whether an open SQLite file is ours, and which version it is at,
 * without writing anything. */
static gboolean
identify (EsaStore  *self,
          gint      *out_version,
          GError   **error)
{
  gint64 application_id;
  gint64 version;
  gint64 n_objects;

  if (!query_int (self, "PRAGMA application_id", &application_id, error)
      || !query_int (self, "PRAGMA user_version", &version, error)
      || !query_int (self, "SELECT count(*) FROM sqlite_schema", &n_objects, error))
    return FALSE;

  if (application_id == 0 && version == 0 && n_objects == 0)
    {
      /* An SQLite file with nothing in it: a creation that stopped before
       * its first step committed. */
      *out_version = 0;
      return TRUE;
    }

  if (application_id != ESA_STORE_APPLICATION_ID)
    {
      set_foreign_error (error, display_path (self));
      return FALSE;
    }

  if (version > esa_store_current_schema_version ())
    {
      set_too_new_error (error, display_path (self), version);
      return FALSE;
    }

  if (version < 0)
    {
      g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_CORRUPT,
                   _("%s is damaged: its schema version %d is not valid"),
                   display_path (self), (gint) version);
      return FALSE;
    }

  *out_version = (gint) version;
  return TRUE;
}

/* ---- migrations --------------------------------------------------------- */

gint
esa_store_current_schema_version (void)
{
  return (gint) G_N_ELEMENTS (migrations);
}

GBytes *
_esa_store_get_migration (gint version)
{
  g_return_val_if_fail (version >= 1 && version <= esa_store_current_schema_version (), NULL);

  /* The resource is compiled into the library: a lookup cannot fail. */
  return g_resource_lookup_data (_esa_store_get_resource (), migrations[version - 1],
                                 G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
}

static gboolean
migrate_step (EsaStore  *self,
              gint       version,
              GError   **error)
{
  g_autoptr(GBytes) sql = _esa_store_get_migration (version);
  g_autofree char *text = g_strndup (g_bytes_get_data (sql, NULL), g_bytes_get_size (sql));
  g_autofree char *pragmas = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 current;

  if (!_esa_store_exec (self, "BEGIN IMMEDIATE", &local_error))
    goto failed;

  /* Another process may have run this step while this one waited for the
   * write lock. */
  if (!query_int (self, "PRAGMA user_version", &current, &local_error))
    goto failed;
  if (current >= version)
    return _esa_store_exec (self, "COMMIT", error);

  pragmas = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = %d;",
                             ESA_STORE_APPLICATION_ID, version);
  if (!_esa_store_exec (self, text, &local_error)
      || !_esa_store_exec (self, pragmas, &local_error)
      || !_esa_store_exec (self, "COMMIT", &local_error))
    goto failed;

  return TRUE;

failed:
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  g_set_error (error, ESA_STORE_ERROR,
               local_error->domain == ESA_STORE_ERROR ? local_error->code : ESA_STORE_ERROR_IO,
               _("Could not bring %s to schema version %d: %s"),
               display_path (self), version, local_error->message);
  return FALSE;
}

static gboolean
migrate (EsaStore  *self,
         gint       from_version,
         GError   **error)
{
  for (gint version = from_version + 1; version <= esa_store_current_schema_version (); version++)
    {
      if (!migrate_step (self, version, error))
        return FALSE;
    }

  self->schema_version = esa_store_current_schema_version ();
  return TRUE;
}

/* ---- opening ------------------------------------------------------------ */

static gboolean
configure (EsaStore  *self,
           gboolean   in_memory,
           GError   **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean wal = FALSE;
  int rc;

  /* WAL lets readers (a second window, the CLI) work while one connection
   * writes; it is a property of the file and persists. */
  if (!in_memory)
    {
      rc = sqlite3_prepare_v2 (self->db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL);
      if (rc == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
        wal = g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), "wal") == 0;
      sqlite3_finalize (stmt);
      if (!wal)
        {
          set_sqlite_error_code (self, error, sqlite3_extended_errcode (self->db),
                                 _("Could not switch the database to write-ahead logging"));
          return FALSE;
        }
    }

  /* synchronous = NORMAL is durable against application crashes in WAL
   * mode and loses at most the last commits on a power cut, never
   * consistency. The cache and memory map keep dossier reads on large files
   * off the disk. */
  return _esa_store_exec (self,
                          "PRAGMA foreign_keys = ON;"
                          "PRAGMA synchronous = NORMAL;"
                          "PRAGMA temp_store = MEMORY;"
                          "PRAGMA cache_size = -32768;"
                          "PRAGMA mmap_size = 268435456;",
                          error);
}

/* The clock of the outbox continues after the last stamp written, even when
 * the wall clock has gone back since. Stamps only grow with seq, so the last
 * operation holds the largest. */
static gboolean
restore_clock (EsaStore  *self,
               GError   **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row;

  stmt = _esa_store_prepare (self, "SELECT hlc FROM outbox ORDER BY seq DESC LIMIT 1", error);
  if (stmt == NULL || !_esa_store_step (self, stmt, &row, error))
    return FALSE;

  if (row)
    {
      g_autoptr(GError) local_error = NULL;

      if (!esa_hlc_receive (&self->hlc, (const char *) sqlite3_column_text (stmt, 0),
                            g_get_real_time () / 1000, &local_error))
        {
          g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_CORRUPT,
                       _("%s is damaged: the sync outbox holds a bad clock stamp (%s)"),
                       display_path (self), local_error->message);
          return FALSE;
        }
    }
  return TRUE;
}

static EsaStore *
open_connection (const char  *path,
                 gboolean     create,
                 GError     **error)
{
  g_autoptr(EsaStore) self = g_object_new (ESA_TYPE_STORE, NULL);
  gboolean in_memory = path == NULL;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_EXRESCODE;
  int rc;

  if (create || in_memory)
    flags |= SQLITE_OPEN_CREATE;

  self->path = g_strdup (path);
  rc = sqlite3_open_v2 (in_memory ? ":memory:" : path, &self->db, flags, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_IO, _("Could not open %s: %s"),
                   display_path (self),
                   self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }

  /* Until the file is known to be ours, closing must not write to it: a
   * foreign database in WAL mode would otherwise be checkpointed on close. */
  sqlite3_db_config (self->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
  sqlite3_busy_timeout (self->db, 5000);

  return g_steal_pointer (&self);
}

static gboolean
finish_open (EsaStore  *self,
             gint       version,
             GError   **error)
{
  gboolean in_memory = self->path == NULL;

  if (!in_memory && sqlite3_db_readonly (self->db, "main") == 1)
    {
      g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_IO,
                   _("Could not open %s for writing: the file is read-only"), self->path);
      return FALSE;
    }

  if (!configure (self, in_memory, error)
      || !migrate (self, version, error)
      || !restore_clock (self, error)
      || !_esa_store_sync_install_triggers (self, error))
    return FALSE;

  sqlite3_db_config (self->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, NULL);
  if (!in_memory)
    {
      self->checkpointer = _esa_checkpointer_new (self->path);
      _esa_checkpointer_attach (self->checkpointer, self->db);
    }
  return TRUE;
}

/* Waits for the checkpoints asked for so far; returns how many ran. */
guint
_esa_store_wait_checkpoints (EsaStore *self)
{
  g_return_val_if_fail (ESA_IS_STORE (self), 0);

  return self->checkpointer != NULL ? _esa_checkpointer_wait (self->checkpointer) : 0;
}

EsaStore *
esa_store_open (const char  *path,
                GError     **error)
{
  g_autoptr(EsaStore) self = NULL;
  gboolean is_new;
  gint version = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!inspect_header (path, &is_new, error))
    return NULL;

  self = open_connection (path, is_new, error);
  if (self == NULL)
    return NULL;

  if (!identify (self, &version, error))
    return NULL;
  if (version > 0 && !check_tables (self, error))
    return NULL;
  if (!finish_open (self, version, error))
    return NULL;

  return g_steal_pointer (&self);
}

EsaStore *
esa_store_open_memory (GError **error)
{
  g_autoptr(EsaStore) self = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = open_connection (NULL, TRUE, error);
  if (self == NULL || !finish_open (self, 0, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
esa_store_get_path (EsaStore *self)
{
  g_return_val_if_fail (ESA_IS_STORE (self), NULL);

  return self->path;
}

gint
esa_store_get_schema_version (EsaStore *self)
{
  g_return_val_if_fail (ESA_IS_STORE (self), 0);

  return self->schema_version;
}

void
esa_store_set_acting_user (EsaStore   *self,
                           const char *user_id)
{
  g_return_if_fail (ESA_IS_STORE (self));

  if (g_strcmp0 (self->acting_user, user_id) == 0)
    return;
  g_free (self->acting_user);
  self->acting_user = g_strdup (user_id);
}

const char *
esa_store_get_acting_user (EsaStore *self)
{
  g_return_val_if_fail (ESA_IS_STORE (self), NULL);

  return self->acting_user;
}

/* ---- outbox ------------------------------------------------------------- */

void
_esa_store_set_clock_offset (EsaStore *self,
                             gint64    offset_ms)
{
  g_return_if_fail (ESA_IS_STORE (self));

  self->clock_offset_ms = offset_ms;
}

gboolean
_esa_store_fail (GError     **error,
                 gint         code,
                 const char  *format,
                 ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error_literal (error, ESA_STORE_ERROR, code, message);
  return FALSE;
}

char *
_esa_store_now_iso (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

gboolean
_esa_store_outbox_append (EsaStore    *self,
                          const char  *kind,
                          const char  *entity,
                          const char  *entity_id,
                          JsonNode    *payload,
                          gint64       base_version,
                          GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autofree char *op_id = NULL;
  g_autofree char *hlc = NULL;
  g_autofree char *text = NULL;
  g_autofree char *now = NULL;
  char *rows = NULL;

  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);
  g_return_val_if_fail (payload != NULL, FALSE);

  stmt = _esa_store_prepare (self,
                             "INSERT INTO outbox (op_id, kind, entity, entity_id, payload, "
                             "base_version, hlc, schema_version, created_at, rows) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                             error);
  if (stmt == NULL)
    return FALSE;

  op_id = esa_uuid_new ();
  hlc = esa_hlc_tick (&self->hlc, g_get_real_time () / 1000 + self->clock_offset_ms);
  text = json_to_string (payload, FALSE);
  now = _esa_store_now_iso ();

  _esa_stmt_bind_text (stmt, 1, op_id);
  _esa_stmt_bind_text (stmt, 2, kind);
  _esa_stmt_bind_text (stmt, 3, entity);
  _esa_stmt_bind_text (stmt, 4, entity_id);
  _esa_stmt_bind_text (stmt, 5, text);
  sqlite3_bind_int64 (stmt, 6, base_version);
  _esa_stmt_bind_text (stmt, 7, hlc);
  sqlite3_bind_int (stmt, 8, self->schema_version);
  _esa_stmt_bind_text (stmt, 9, now);
  /* The rows the operation changed, captured since the previous append. */
  if (!_esa_store_sync_claim_rows (self, &rows, error))
    return FALSE;
  sqlite3_bind_text (stmt, 10, rows, -1, g_free);

  return _esa_store_step_done (self, stmt, error);
}

gboolean
_esa_store_outbox_append_text (EsaStore    *self,
                               const char  *kind,
                               const char  *entity,
                               const char  *entity_id,
                               const char  *payload,
                               gint64       base_version,
                               const char  *created_at,
                               GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autofree char *op_id = NULL;
  g_autofree char *hlc = NULL;
  g_autofree char *now = NULL;
  char *rows = NULL;

  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);
  g_return_val_if_fail (payload != NULL, FALSE);

  stmt = _esa_store_prepare (self,
                             "INSERT INTO outbox (op_id, kind, entity, entity_id, payload, "
                             "base_version, hlc, schema_version, created_at, rows) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                             error);
  if (stmt == NULL)
    return FALSE;

  op_id = esa_uuid_new ();
  hlc = esa_hlc_tick (&self->hlc, g_get_real_time () / 1000 + self->clock_offset_ms);
  if (created_at == NULL)
    created_at = now = _esa_store_now_iso ();

  _esa_stmt_bind_text (stmt, 1, op_id);
  _esa_stmt_bind_text (stmt, 2, kind);
  _esa_stmt_bind_text (stmt, 3, entity);
  _esa_stmt_bind_text (stmt, 4, entity_id);
  sqlite3_bind_text (stmt, 5, payload, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, base_version);
  _esa_stmt_bind_text (stmt, 7, hlc);
  sqlite3_bind_int (stmt, 8, self->schema_version);
  _esa_stmt_bind_text (stmt, 9, created_at);
  if (!_esa_store_sync_claim_rows (self, &rows, error))
    return FALSE;
  sqlite3_bind_text (stmt, 10, rows, -1, g_free);

  return _esa_store_step_done (self, stmt, error);
}

/* The tables whose rows travel as full-row payloads; the name is put into
 * SQL text, so only these are accepted. */
static const char * const synced_tables[] = {
  "bodies", "offices", "users", "debtors", "addresses", "debtor_contacts", "relations",
  "load_lists", "positions", "cases", "acts", "notifications", "payments",
  "instalment_plans", "instalments", "documents", "contact_log",
};

JsonNode *
_esa_store_row_to_json (EsaStore    *self,
                        const char  *table,
                        const char  *id,
                        GError     **error)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autofree char *sql = NULL;
  gboolean known = FALSE;
  gboolean row;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (synced_tables) && !known; i++)
    known = g_str_equal (table, synced_tables[i]);
  g_return_val_if_fail (known, NULL);

  sql = g_strdup_printf ("SELECT * FROM %s WHERE id = ?1", table);
  stmt = _esa_store_prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;

  _esa_stmt_bind_text (stmt, 1, id);
  if (!_esa_store_step (self, stmt, &row, error))
    return NULL;
  if (!row)
    {
      g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_NOT_FOUND,
                   _("No row with id %s in %s"), id, table);
      return NULL;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  for (int i = 0; i < sqlite3_column_count (stmt); i++)
    {
      const char *column = sqlite3_column_name (stmt, i);

      /* debtors.num is this device's key into the search index; other
       * devices number their rows themselves. */
      if (g_str_equal (column, "num"))
        continue;

      json_builder_set_member_name (builder, column);
      switch (sqlite3_column_type (stmt, i))
        {
        case SQLITE_INTEGER:
          json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, i));
          break;
        case SQLITE_FLOAT:
          json_builder_add_double_value (builder, sqlite3_column_double (stmt, i));
          break;
        case SQLITE_NULL:
          json_builder_add_null_value (builder);
          break;
        default:
          json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, i));
          break;
        }
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
