/* syncfs(2) */
#define _GNU_SOURCE

#include "esa-attachments.h"

#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <string.h>

#define HASH_LENGTH 64
#define CHUNK_SIZE  (64 * 1024)

struct _EsaAttachments
{
  GObject  parent_instance;

  char    *dir;
};

G_DEFINE_FINAL_TYPE (EsaAttachments, esa_attachments, G_TYPE_OBJECT)

G_DEFINE_QUARK (esa-attachments-error-quark, esa_attachments_error)

static gboolean
is_hash (const char *hash)
{
  if (hash == NULL || strlen (hash) != HASH_LENGTH)
    return FALSE;

  for (gsize i = 0; i < HASH_LENGTH; i++)
    {
      if (!g_ascii_isdigit (hash[i]) && !(hash[i] >= 'a' && hash[i] <= 'f'))
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_hash (const char  *hash,
            GError     **error)
{
  if (is_hash (hash))
    return TRUE;

  g_set_error (error, ESA_ATTACHMENTS_ERROR, ESA_ATTACHMENTS_ERROR_INVALID_HASH,
               _("“%s” is not the name of an attachment: it should be 64 hexadecimal digits"),
               hash != NULL ? hash : "");
  return FALSE;
}

static char *
path_for (EsaAttachments *self,
          const char     *hash)
{
  char prefix[3] = { hash[0], hash[1], '\0' };

  return g_build_filename (self->dir, prefix, hash, NULL);
}

/* Moves a GIO or file error into this domain, keeping its message; a
 * cancellation stays what it is so that callers can tell it apart. */
static void
propagate_failure (GError     **error,
                   GError      *local,
                   const char  *path)
{
  if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, local);
      return;
    }

  g_set_error (error, ESA_ATTACHMENTS_ERROR,
               g_error_matches (local, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
               || g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT)
               ? ESA_ATTACHMENTS_ERROR_NOT_FOUND
               : ESA_ATTACHMENTS_ERROR_FAILED,
               /* Translators: the first %s is a file, the second why it failed */
               _("Attachment file %s: %s"), path, local->message);
  g_error_free (local);
}

/* TRUE when @path already holds @size bytes: the same content stored
 * before, since its name is the hash of that content. */
static gboolean
already_stored (const char *path,
                goffset     size)
{
  GStatBuf info;

  return g_stat (path, &info) == 0 && S_ISREG (info.st_mode) && info.st_size == size;
}

static gboolean
make_prefix_dir (const char  *path,
                 GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, ESA_ATTACHMENTS_ERROR, ESA_ATTACHMENTS_ERROR_FAILED,
                   _("Could not create the attachment folder %s: %s"),
                   dir, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

/* Copies @input to @output, feeding @checksum; returns the bytes copied or
 * -1 with an error. */
static goffset
copy_hashing (GInputStream   *input,
              GOutputStream  *output,
              GChecksum      *checksum,
              GCancellable   *cancellable,
              GError        **error)
{
  g_autofree guint8 *chunk = g_malloc (CHUNK_SIZE);
  goffset total = 0;

  for (;;)
    {
      gssize n = g_input_stream_read (input, chunk, CHUNK_SIZE, cancellable, error);

      if (n < 0)
        return -1;
      if (n == 0)
        return total;

      g_checksum_update (checksum, chunk, n);
      if (output != NULL
          && !g_output_stream_write_all (output, chunk, (gsize) n, NULL, cancellable, error))
        return -1;
      total += n;
    }
}

static void
esa_attachments_finalize (GObject *object)
{
  EsaAttachments *self = ESA_ATTACHMENTS (object);

  g_free (self->dir);

  G_OBJECT_CLASS (esa_attachments_parent_class)->finalize (object);
}

static void
esa_attachments_class_init (EsaAttachmentsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = esa_attachments_finalize;
}

static void
esa_attachments_init (EsaAttachments *self)
{
}

EsaAttachments *
esa_attachments_new (const char *dir)
{
  EsaAttachments *self;

  g_return_val_if_fail (dir != NULL, NULL);

  self = g_object_new (ESA_TYPE_ATTACHMENTS, NULL);
  self->dir = g_strdup (dir);
  return self;
}

const char *
esa_attachments_get_dir (EsaAttachments *self)
{
  g_return_val_if_fail (ESA_IS_ATTACHMENTS (self), NULL);

  return self->dir;
}

static char *
store_bytes (EsaAttachments  *self,
             GBytes          *bytes,
             gboolean         durable,
             GError         **error)
{
  g_autofree char *hash = NULL;
  g_autofree char *path = NULL;
  GError *local = NULL;
  gconstpointer data;
  gsize size;

  g_return_val_if_fail (ESA_IS_ATTACHMENTS (self), NULL);
  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (bytes, &size);
  hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  path = path_for (self, hash);

  if (already_stored (path, (goffset) size))
    return g_steal_pointer (&hash);

  if (!make_prefix_dir (path, error))
    return NULL;

  /* A temporary file renamed over the name: readers see the whole content
   * or nothing, even if the process dies half way. Durable unless the
   * caller syncs many files at once with esa_attachments_sync(). */
  if (!g_file_set_contents_full (path, data, (gssize) size,
                                 G_FILE_SET_CONTENTS_CONSISTENT
                                 | (durable ? G_FILE_SET_CONTENTS_DURABLE : 0),
                                 0600, &local))
    {
      propagate_failure (error, local, path);
      return NULL;
    }

  return g_steal_pointer (&hash);
}

char *
esa_attachments_store_bytes (EsaAttachments  *self,
                             GBytes          *bytes,
                             GError         **error)
{
  return store_bytes (self, bytes, TRUE, error);
}

char *
esa_attachments_store_bytes_unsynced (EsaAttachments  *self,
                                      GBytes          *bytes,
                                      GError         **error)
{
  return store_bytes (self, bytes, FALSE, error);
}

gboolean
esa_attachments_sync (EsaAttachments  *self,
                      GError         **error)
{
  int fd;
  int saved_errno = 0;

  g_return_val_if_fail (ESA_IS_ATTACHMENTS (self), FALSE);

  if (!g_file_test (self->dir, G_FILE_TEST_IS_DIR))
    return TRUE;

  /* One flush of the file system for a whole group of files costs about
   * what a single fsync() does. */
  fd = g_open (self->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  if (fd < 0 || syncfs (fd) != 0)
    saved_errno = errno;
  if (fd >= 0)
    close (fd);
  if (saved_errno != 0)
    {
      g_set_error (error, ESA_ATTACHMENTS_ERROR, ESA_ATTACHMENTS_ERROR_FAILED,
                   /* Translators: the first %s is a folder, the second why it failed */
                   _("Attachment folder %s could not be written to disk: %s"), self->dir,
                   g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

char *
esa_attachments_store_file (EsaAttachments  *self,
                            GFile           *file,
                            GCancellable    *cancellable,
                            GError         **error)
{
  g_autoptr(GFileInputStream) input = NULL;
  g_autoptr(GFileOutputStream) output = NULL;
  g_autoptr(GChecksum) checksum = NULL;
  g_autoptr(GFile) incoming = NULL;
  g_autoptr(GFile) target = NULL;
  g_autofree char *incoming_name = NULL;
  g_autofree char *incoming_path = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *path = NULL;
  GError *local = NULL;
  goffset size;

  g_return_val_if_fail (ESA_IS_ATTACHMENTS (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  input = g_file_read (file, cancellable, &local);
  if (input == NULL)
    {
      g_autofree char *name = g_file_get_parse_name (file);

      propagate_failure (error, local, name);
      return NULL;
    }

  /* The content is copied to a temporary file in the same folder, so that
   * the rename that gives it its name is atomic. */
  if (g_mkdir_with_parents (self->dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, ESA_ATTACHMENTS_ERROR, ESA_ATTACHMENTS_ERROR_FAILED,
                   _("Could not create the attachment folder %s: %s"),
                   self->dir, g_strerror (saved_errno));
      return NULL;
    }
  uuid = g_uuid_string_random ();
  incoming_name = g_strconcat (".incoming-", uuid, NULL);
  incoming_path = g_build_filename (self->dir, incoming_name, NULL);
  incoming = g_file_new_for_path (incoming_path);
  output = g_file_create (incoming, G_FILE_CREATE_PRIVATE, cancellable, &local);
  if (output == NULL)
    {
      propagate_failure (error, local, incoming_path);
      return NULL;
    }

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  size = copy_hashing (G_INPUT_STREAM (input), G_OUTPUT_STREAM (output), checksum,
                       cancellable, &local);
  if (size < 0 || !g_output_stream_close (G_OUTPUT_STREAM (output), cancellable, &local))
    goto failed;

  hash = g_strdup (g_checksum_get_string (checksum));
  path = path_for (self, hash);
  if (already_stored (path, size))
    {
      g_file_delete (incoming, NULL, NULL);
      return g_steal_pointer (&hash);
    }

  if (!make_prefix_dir (path, error))
    {
      g_file_delete (incoming, NULL, NULL);
      return NULL;
    }

  target = g_file_new_for_path (path);
  if (!g_file_move (incoming, target, G_FILE_COPY_OVERWRITE | G_FILE_COPY_NOFOLLOW_SYMLINKS,
                    cancellable, NULL, NULL, &local))
    goto failed;

  return g_steal_pointer (&hash);

failed:
  g_file_delete (incoming, NULL, NULL);
  propagate_failure (error, local, path != NULL ? path : incoming_path);
  return NULL;
}

gboolean
esa_attachments_exists (EsaAttachments *self,
                        const char     *hash)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (ESA_IS_ATTACHMENTS (self), FALSE);

  if (!is_hash (hash))
    return FALSE;

  path = path_for (self, hash);
  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

char *
esa_attachments_get_path (EsaAttachments  *self,
                          const char      *hash,
                          GError         **error)
{
  g_return_val_if_fail (ESA_IS_ATTACHMENTS (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_hash (hash, error))
    return NULL;

  return path_for (self, hash);
}

GInputStream *
esa_attachments_open (EsaAttachments  *self,
                      const char      *hash,
                      GCancellable    *cancellable,
                      GError         **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  GFileInputStream *stream;
  GError *local = NULL;

  g_return_val_if_fail (ESA_IS_ATTACHMENTS (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_hash (hash, error))
    return NULL;

  path = path_for (self, hash);
  file = g_file_new_for_path (path);
  stream = g_file_read (file, cancellable, &local);
  if (stream == NULL)
    {
      propagate_failure (error, local, path);
      return NULL;
    }
  return G_INPUT_STREAM (stream);
}

GBytes *
esa_attachments_read (EsaAttachments  *self,
                      const char      *hash,
                      GCancellable    *cancellable,
                      GError         **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  GBytes *bytes;
  GError *local = NULL;

  g_return_val_if_fail (ESA_IS_ATTACHMENTS (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_hash (hash, error))
    return NULL;

  path = path_for (self, hash);
  file = g_file_new_for_path (path);
  bytes = g_file_load_bytes (file, cancellable, NULL, &local);
  if (bytes == NULL)
    {
      propagate_failure (error, local, path);
      return NULL;
    }
  return bytes;
}

gboolean
esa_attachments_verify (EsaAttachments  *self,
                        const char      *hash,
                        GCancellable    *cancellable,
                        GError         **error)
{
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(GChecksum) checksum = NULL;
  g_autofree char *path = NULL;
  GError *local = NULL;
  const char *actual;

  g_return_val_if_fail (ESA_IS_ATTACHMENTS (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  input = esa_attachments_open (self, hash, cancellable, error);
  if (input == NULL)
    return FALSE;

  path = path_for (self, hash);
  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  if (copy_hashing (input, NULL, checksum, cancellable, &local) < 0)
    {
      propagate_failure (error, local, path);
      return FALSE;
    }

  actual = g_checksum_get_string (checksum);
  if (strcmp (actual, hash) != 0)
    {
      g_set_error (error, ESA_ATTACHMENTS_ERROR, ESA_ATTACHMENTS_ERROR_DAMAGED,
                   /* Translators: %s is a file; its content was changed after it
                    * was stored */
                   _("Attachment file %s is damaged: its content no longer matches its name "
                     "(SHA-256 %s)"),
                   path, actual);
      return FALSE;
    }

  return TRUE;
}
