#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Attachment files beside the database, named by the SHA-256 of their
 * content (DESIGN.md "Data"): content "abcdef…" lives in DIR/ab/abcdef…, is
 * written once and atomically (to a temporary file renamed into place), and a
 * second copy of the same content costs nothing: the file is left alone
 * unless its size shows it damaged, and then it is replaced. A file whose content no longer matches its name has been damaged
 * or tampered with, which esa_attachments_verify() detects.
 *
 * Hashes are 64 lower case hexadecimal digits; anything else is refused with
 * ESA_ATTACHMENTS_ERROR_INVALID_HASH, so that a hash never reaches the file
 * system as a path. */

#define ESA_ATTACHMENTS_ERROR (esa_attachments_error_quark ())

typedef enum
{
  ESA_ATTACHMENTS_ERROR_INVALID_HASH,   /* not 64 lower case hexadecimal digits */
  ESA_ATTACHMENTS_ERROR_NOT_FOUND,      /* no attachment with that hash */
  ESA_ATTACHMENTS_ERROR_DAMAGED,        /* the file's content does not match its name */
  ESA_ATTACHMENTS_ERROR_FAILED,         /* the file system refused; the message says why */
} EsaAttachmentsError;

GQuark esa_attachments_error_quark (void);

#define ESA_TYPE_ATTACHMENTS (esa_attachments_get_type ())
G_DECLARE_FINAL_TYPE (EsaAttachments, esa_attachments, ESA, ATTACHMENTS, GObject)

/* Returns: (transfer full): the attachments kept in @dir, which is created
 * when the first attachment is stored. */
EsaAttachments *esa_attachments_new          (const char     *dir);

const char     *esa_attachments_get_dir      (EsaAttachments *self);

/* Returns: (transfer full) (nullable): the hash of @bytes, now stored. */
char           *esa_attachments_store_bytes  (EsaAttachments *self,
                                              GBytes         *bytes,
                                              GError        **error);

/* The same without waiting for the disk: for storing many files, followed
 * by one esa_attachments_sync() before anything refers to them.
 * Returns: (transfer full) (nullable): the hash of @bytes, now stored. */
char           *esa_attachments_store_bytes_unsynced (EsaAttachments *self,
                                                      GBytes         *bytes,
                                                      GError        **error);

/* Writes every stored file to disk (one syncfs() of the folder's file
 * system). */
gboolean        esa_attachments_sync         (EsaAttachments *self,
                                              GError        **error);

/* Copies @file in, hashing it on the way; the file may be of any size.
 * Returns: (transfer full) (nullable): its hash. */
char           *esa_attachments_store_file   (EsaAttachments *self,
                                              GFile          *file,
                                              GCancellable   *cancellable,
                                              GError        **error);

/* FALSE also for a string that is not a hash. */
gboolean        esa_attachments_exists       (EsaAttachments *self,
                                              const char     *hash);

/* Returns: (transfer full) (nullable): where the attachment is (or would be)
 * stored; NULL with an error when @hash is not a hash. */
char           *esa_attachments_get_path     (EsaAttachments *self,
                                              const char     *hash,
                                              GError        **error);

/* Returns: (transfer full) (nullable): the stored content as a stream. */
GInputStream   *esa_attachments_open         (EsaAttachments *self,
                                              const char     *hash,
                                              GCancellable   *cancellable,
                                              GError        **error);

/* Returns: (transfer full) (nullable): the stored content; not verified, see
 * esa_attachments_verify(). */
GBytes         *esa_attachments_read         (EsaAttachments *self,
                                              const char     *hash,
                                              GCancellable   *cancellable,
                                              GError        **error);

/* Hashes the stored file again: ESA_ATTACHMENTS_ERROR_DAMAGED, naming the
 * file, when its content no longer matches its name. */
gboolean        esa_attachments_verify       (EsaAttachments *self,
                                              const char     *hash,
                                              GCancellable   *cancellable,
                                              GError        **error);

G_END_DECLS
