/* esa-sync-http.c: the HTTPS transport (libsoup 3), trusting only the
 * office's CA
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "esa-sync-error.h"
#include "esa-sync-http.h"

struct _EsaSyncHttp
{
  GObject      parent_instance;
  SoupSession *session;
  char        *base_url;
  char        *ca_file;
};

static void esa_sync_http_iface_init (EsaSyncTransportInterface *iface);

G_DEFINE_TYPE_WITH_CODE (EsaSyncHttp, esa_sync_http, G_TYPE_OBJECT,
                         G_IMPLEMENT_INTERFACE (ESA_TYPE_SYNC_TRANSPORT,
                                                esa_sync_http_iface_init))

static void
esa_sync_http_finalize (GObject *object)
{
  EsaSyncHttp *self = ESA_SYNC_HTTP (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->ca_file, g_free);
  G_OBJECT_CLASS (esa_sync_http_parent_class)->finalize (object);
}

static void
esa_sync_http_class_init (EsaSyncHttpClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = esa_sync_http_finalize;
}

static void
esa_sync_http_init (EsaSyncHttp *self)
{
}

/* Says in a sentence what went wrong with the connection; the outbox is not
 * touched by any of these. */
static void
set_transport_error (EsaSyncHttp  *self,
                     GError       *cause,
                     GError      **error)
{
  if (cause->domain == G_TLS_ERROR)
    g_set_error (error, ESA_SYNC_ERROR, ESA_SYNC_ERROR_TLS,
                 _("The server %s is not trusted: its certificate is not issued by the "
                   "office's CA (%s), or does not name the server (%s)"),
                 self->base_url, self->ca_file, cause->message);
  else if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    g_set_error (error, ESA_SYNC_ERROR, ESA_SYNC_ERROR_OFFLINE,
                 _("The server %s refused the connection: is it running?"), self->base_url);
  else if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, cause->message);
  else
    g_set_error (error, ESA_SYNC_ERROR, ESA_SYNC_ERROR_OFFLINE,
                 _("Could not reach the server %s: %s"), self->base_url, cause->message);
}

static JsonNode *
http_request (EsaSyncTransport  *transport,
              const char        *method,
              const char        *path,
              const char        *token,
              JsonNode          *body,
              GCancellable      *cancellable,
              GError           **error)
{
  EsaSyncHttp *self = ESA_SYNC_HTTP (transport);
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) answer_bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *url = g_strconcat (self->base_url, "/api/v1", path, NULL);
  guint status;
  gsize size;
  const char *data;

  message = soup_message_new (method, url);
  if (message == NULL)
    {
      g_set_error (error, ESA_SYNC_ERROR, ESA_SYNC_ERROR_NOT_CONFIGURED,
                   _("%s is not a valid server address"), url);
      return NULL;
    }
  if (token != NULL)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (message),
                                    "Authorization", bearer);
    }
  if (body != NULL)
    {
      gsize length;
      char *text = json_to_string (body, FALSE);
      g_autoptr(GBytes) bytes = NULL;

      length = strlen (text);
      bytes = g_bytes_new_take (text, length);
      soup_message_set_request_body_from_bytes (message, "application/json", bytes);
    }

  answer_bytes = soup_session_send_and_read (self->session, message, cancellable, &local_error);
  if (answer_bytes == NULL)
    {
      set_transport_error (self, local_error, error);
      return NULL;
    }

  status = soup_message_get_status (message);
  data = g_bytes_get_data (answer_bytes, &size);
  if (size > 0 && json_parser_load_from_data (parser, data, (gssize) size, NULL))
    answer = json_node_copy (json_parser_get_root (parser));

  if (!esa_sync_transport_check_answer (status, answer, error))
    return NULL;
  return g_steal_pointer (&answer);
}

static void
esa_sync_http_iface_init (EsaSyncTransportInterface *iface)
{
  iface->request = http_request;
}

EsaSyncHttp *
esa_sync_http_new (const char  *base_url,
                   const char  *ca_file,
                   GError     **error)
{
  g_autoptr(EsaSyncHttp) self = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *absolute = NULL;

  g_return_val_if_fail (base_url != NULL, NULL);
  g_return_val_if_fail (ca_file != NULL, NULL);

  if (!g_str_has_prefix (base_url, "https://"))
    {
      g_set_error (error, ESA_SYNC_ERROR, ESA_SYNC_ERROR_NOT_CONFIGURED,
                   _("The server address %s does not start with https://: Esattore syncs "
                     "only over TLS"),
                   base_url);
      return NULL;
    }

  /* GTlsFileDatabase wants an absolute path. */
  absolute = g_canonicalize_filename (ca_file, NULL);
  database = g_tls_file_database_new (absolute, &local_error);
  if (database == NULL)
    {
      g_set_error (error, ESA_SYNC_ERROR, ESA_SYNC_ERROR_NOT_CONFIGURED,
                   _("Could not read the office's CA certificate %s: %s"), ca_file,
                   local_error->message);
      return NULL;
    }

  self = g_object_new (ESA_TYPE_SYNC_HTTP, NULL);
  self->base_url = g_strdup (base_url);
  /* No trailing slash: paths start with one. */
  while (g_str_has_suffix (self->base_url, "/"))
    self->base_url[strlen (self->base_url) - 1] = '\0';
  self->ca_file = g_steal_pointer (&absolute);
  /* The CA file replaces the system's trust store: a certificate from any
   * other CA, public or not, fails the handshake. */
  self->session = g_object_new (SOUP_TYPE_SESSION,
                                "tls-database", database,
                                "timeout", 60,
                                "user-agent", "esattore/" PACKAGE_VERSION,
                                NULL);
  return g_steal_pointer (&self);
}
