/* esa-store-checkpoint.c: the write-ahead log copied back into the
 * database file on a thread of its own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include "esa-store-checkpoint-private.h"

/* SQLite's own checkpoint runs inside the COMMIT that makes the log longer
 * than a thousand pages, on the thread that committed: after a payment flow
 * or a load list of a hundred thousand rows, that is seconds of copying
 * pages the officer waits for. The store turns it off and asks this thread
 * instead, which copies with a connection of its own while the store goes
 * on: a PASSIVE checkpoint takes no lock that readers or the writer wait
 * for. What it has not copied when the store closes, the close copies. */

/* The log length, in pages, that asks for a checkpoint: SQLite's default. */
#define CHECKPOINT_PAGES 1000

struct _EsaCheckpointer
{
  char     *path;
  GThread  *thread;
  GMutex    lock;
  GCond     changed;
  gboolean  requested;
  gboolean  running;
  gboolean  stopping;
  guint     done;      /* checkpoints run */
};

static void
run_checkpoint (sqlite3 *db)
{
  gint64 start = g_get_monotonic_time ();
  int log_pages = 0;
  int copied = 0;
  int rc;

  /* A failure (the file gone, a disk error) leaves the log as it is: the
   * next commit asks again, and closing the store copies it. */
  rc = sqlite3_wal_checkpoint_v2 (db, "main", SQLITE_CHECKPOINT_PASSIVE, &log_pages, &copied);
  g_debug ("checkpoint: %d of %d pages of the log copied in %.0f ms (%s)", copied, log_pages,
           (g_get_monotonic_time () - start) / 1000.0, sqlite3_errstr (rc));
}

static gpointer
checkpoint_thread (gpointer data)
{
  EsaCheckpointer *self = data;
  sqlite3 *db = NULL;

  if (sqlite3_open_v2 (self->path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_EXRESCODE,
                       NULL) != SQLITE_OK)
    g_clear_pointer (&db, sqlite3_close);
  /* A read opens the log: until then the connection does not know the
   * file is in WAL mode, and a checkpoint does nothing. */
  if (db != NULL
      && sqlite3_exec (db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL) != SQLITE_OK)
    g_clear_pointer (&db, sqlite3_close);
  if (db != NULL)
    sqlite3_db_config (db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);

  g_mutex_lock (&self->lock);
  for (;;)
    {
      while (!self->requested && !self->stopping)
        g_cond_wait (&self->changed, &self->lock);
      if (self->stopping)
        break;
      self->requested = FALSE;
      self->running = TRUE;
      g_mutex_unlock (&self->lock);

      if (db != NULL)
        run_checkpoint (db);

      g_mutex_lock (&self->lock);
      self->running = FALSE;
      self->done++;
      g_cond_broadcast (&self->changed);
    }
  g_mutex_unlock (&self->lock);

  sqlite3_close (db);
  return NULL;
}

EsaCheckpointer *
_esa_checkpointer_new (const char *path)
{
  EsaCheckpointer *self = g_new0 (EsaCheckpointer, 1);

  self->path = g_strdup (path);
  g_mutex_init (&self->lock);
  g_cond_init (&self->changed);
  return self;
}

/* The thread starts with the first checkpoint asked for: most stores a
 * test or the command line opens never need one. */
void
_esa_checkpointer_request (EsaCheckpointer *self)
{
  g_mutex_lock (&self->lock);
  if (self->thread == NULL)
    self->thread = g_thread_new ("esa-checkpoint", checkpoint_thread, self);
  self->requested = TRUE;
  g_cond_broadcast (&self->changed);
  g_mutex_unlock (&self->lock);
}

static int
on_wal_commit (void       *data,
               sqlite3    *db,
               const char *schema,
               int         pages)
{
  if (pages >= CHECKPOINT_PAGES)
    _esa_checkpointer_request (data);
  return SQLITE_OK;
}

/* Replaces SQLite's automatic checkpoint on @db with this thread's. */
void
_esa_checkpointer_attach (EsaCheckpointer *self,
                          sqlite3         *db)
{
  sqlite3_wal_hook (db, on_wal_commit, self);
}

guint
_esa_checkpointer_wait (EsaCheckpointer *self)
{
  guint done;

  g_mutex_lock (&self->lock);
  while (self->requested || self->running)
    g_cond_wait (&self->changed, &self->lock);
  done = self->done;
  g_mutex_unlock (&self->lock);
  return done;
}

/* Lets a checkpoint under way finish, and stops the thread. */
void
_esa_checkpointer_free (EsaCheckpointer *self)
{
  g_mutex_lock (&self->lock);
  self->stopping = TRUE;
  g_cond_broadcast (&self->changed);
  g_mutex_unlock (&self->lock);
  if (self->thread != NULL)
    g_thread_join (self->thread);

  g_mutex_clear (&self->lock);
  g_cond_clear (&self->changed);
  g_free (self->path);
  g_free (self);
}
