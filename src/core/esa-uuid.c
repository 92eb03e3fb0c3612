#include "esa-uuid.h"

#include <string.h>

char *
esa_uuid_new (void)
{
  return g_uuid_string_random ();
}

char *
esa_uuid_from_seed (const char *namespace_,
                    guint64     seed,
                    guint64     n)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize digest_len = sizeof digest;
  guint64 seed_le = GUINT64_TO_LE (seed);
  guint64 n_le = GUINT64_TO_LE (n);

  g_return_val_if_fail (namespace_ != NULL, NULL);

  /* The namespace is followed by its terminating NUL so that ("ab", …) and
   * ("a", …) can never feed the same bytes to the hash. */
  g_checksum_update (checksum, (const guchar *) namespace_, strlen (namespace_) + 1);
  g_checksum_update (checksum, (const guchar *) &seed_le, sizeof seed_le);
  g_checksum_update (checksum, (const guchar *) &n_le, sizeof n_le);
  g_checksum_get_digest (checksum, digest, &digest_len);

  /* Shape the first 16 bytes like a random (version 4, RFC 4122 variant) UUID
   * so that every consumer that checks the form accepts it. */
  digest[6] = (digest[6] & 0x0f) | 0x40;
  digest[8] = (digest[8] & 0x3f) | 0x80;

  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                          "%02x%02x%02x%02x%02x%02x",
                          digest[0], digest[1], digest[2], digest[3],
                          digest[4], digest[5], digest[6], digest[7],
                          digest[8], digest[9], digest[10], digest[11],
                          digest[12], digest[13], digest[14], digest[15]);
}
