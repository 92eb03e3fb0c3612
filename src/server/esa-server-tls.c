/* The development certificates of esattore-server (GnuTLS x509 API). An
 * office that has its own certificates passes them to `serve` instead. */

#include "esa-config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "esa-server-backend.h"
#include "esa-server-tls.h"

#define TEN_YEARS (10 * 365 * 24 * 3600)

static gboolean
check (int          rc,
       const char  *what,
       GError     **error)
{
  if (rc >= 0)
    return TRUE;
  g_set_error (error, ESA_SERVER_ERROR, ESA_SERVER_ERROR_TLS,
               /* Translators: %s: the step that failed; %s: GnuTLS's message */
               _("cannot make the development certificates (%s): %s"), what,
               gnutls_strerror (rc));
  return FALSE;
}

static gboolean
new_key (gnutls_x509_privkey_t  *out_key,
         GError                **error)
{
  return check (gnutls_x509_privkey_init (out_key), "key", error)
         && check (gnutls_x509_privkey_generate (*out_key, GNUTLS_PK_ECDSA,
                                                 GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1),
                                                 0),
                   "key", error);
}

/* The fields every certificate here shares: version, a random serial, ten
 * years of validity from an hour ago (clock skew), the subject and key. */
static gboolean
init_cert (gnutls_x509_crt_t      crt,
           const char            *dn,
           gnutls_x509_privkey_t  key,
           GError               **error)
{
  guint8 serial[16];
  const char *err = NULL;
  time_t now = time (NULL);

  for (gsize i = 0; i < sizeof serial; i++)
    serial[i] = (guint8) g_random_int_range (0, 256);
  serial[0] &= 0x7f;

  return check (gnutls_x509_crt_set_version (crt, 3), "version", error)
         && check (gnutls_x509_crt_set_serial (crt, serial, sizeof serial), "serial", error)
         && check (gnutls_x509_crt_set_activation_time (crt, now - 3600), "validity", error)
         && check (gnutls_x509_crt_set_expiration_time (crt, now + TEN_YEARS), "validity", error)
         && check (gnutls_x509_crt_set_dn (crt, dn, &err), "subject", error)
         && check (gnutls_x509_crt_set_key (crt, key), "key", error)
         && check (gnutls_x509_crt_set_subject_key_id (crt, serial, 8), "key id", error);
}

static gboolean
write_pem (const char  *path,
           const char  *what,
           int          rc,
           gnutls_datum_t *datum,
           int          mode,
           GError     **error)
{
  gboolean ok;

  if (!check (rc, what, error))
    return FALSE;
  ok = g_file_set_contents_full (path, (const char *) datum->data, datum->size,
                                 G_FILE_SET_CONTENTS_CONSISTENT, mode, error);
  gnutls_free (datum->data);
  return ok;
}

gboolean
esa_server_tls_make_development (const char  *dir,
                                 char       **out_ca_path,
                                 GError     **error)
{
  g_autofree char *ca_path = g_build_filename (dir, "ca.pem", NULL);
  g_autofree char *ca_key_path = g_build_filename (dir, "ca.key", NULL);
  g_autofree char *cert_path = g_build_filename (dir, "server.pem", NULL);
  g_autofree char *key_path = g_build_filename (dir, "server.key", NULL);
  gnutls_x509_privkey_t ca_key = NULL;
  gnutls_x509_privkey_t key = NULL;
  gnutls_x509_crt_t ca = NULL;
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t datum = { NULL, 0 };
  guint8 ca_id[64];
  size_t ca_id_size = sizeof ca_id;
  const guint8 loopback[4] = { 127, 0, 0, 1 };
  gboolean ok;

  if (g_file_test (cert_path, G_FILE_TEST_EXISTS))
    {
      *out_ca_path = g_steal_pointer (&ca_path);
      return TRUE;
    }

  ok = new_key (&ca_key, error)
       && check (gnutls_x509_crt_init (&ca), "CA", error)
       && init_cert (ca, "CN=Esattore development CA,O=Esattore", ca_key, error)
       && check (gnutls_x509_crt_set_basic_constraints (ca, 1, 0), "CA", error)
       && check (gnutls_x509_crt_set_key_usage (ca, GNUTLS_KEY_KEY_CERT_SIGN
                                                    | GNUTLS_KEY_CRL_SIGN), "CA", error)
       && check (gnutls_x509_crt_sign2 (ca, ca, ca_key, GNUTLS_DIG_SHA256, 0), "CA", error)
       && check (gnutls_x509_crt_get_subject_key_id (ca, ca_id, &ca_id_size, NULL), "CA", error)
       && new_key (&key, error)
       && check (gnutls_x509_crt_init (&crt), "server", error)
       && init_cert (crt, "CN=localhost,O=Esattore", key, error)
       && check (gnutls_x509_crt_set_basic_constraints (crt, 0, -1), "server", error)
       && check (gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_DIGITAL_SIGNATURE), "server",
                 error)
       && check (gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_SERVER, 0),
                 "server", error)
       && check (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, "localhost",
                                                       strlen ("localhost"),
                                                       GNUTLS_FSAN_APPEND), "server", error)
       && check (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_IPADDRESS, loopback,
                                                       sizeof loopback, GNUTLS_FSAN_APPEND),
                 "server", error)
       && check (gnutls_x509_crt_set_authority_key_id (crt, ca_id, ca_id_size), "server", error)
       && check (gnutls_x509_crt_sign2 (crt, ca, ca_key, GNUTLS_DIG_SHA256, 0), "server", error)
       && write_pem (ca_key_path, "CA key",
                     gnutls_x509_privkey_export2_pkcs8 (ca_key, GNUTLS_X509_FMT_PEM, NULL,
                                                        GNUTLS_PKCS_PLAIN, &datum),
                     &datum, 0600, error)
       && write_pem (ca_path, "CA",
                     gnutls_x509_crt_export2 (ca, GNUTLS_X509_FMT_PEM, &datum), &datum, 0644,
                     error)
       && write_pem (key_path, "server key",
                     gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL,
                                                        GNUTLS_PKCS_PLAIN, &datum),
                     &datum, 0600, error)
       && write_pem (cert_path, "server",
                     gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &datum), &datum, 0644,
                     error);

  if (crt != NULL)
    gnutls_x509_crt_deinit (crt);
  if (ca != NULL)
    gnutls_x509_crt_deinit (ca);
  if (key != NULL)
    gnutls_x509_privkey_deinit (key);
  if (ca_key != NULL)
    gnutls_x509_privkey_deinit (ca_key);
  if (ok)
    *out_ca_path = g_steal_pointer (&ca_path);
  return ok;
}
