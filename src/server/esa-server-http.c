/* The HTTPS transport of esattore-server: parses requests, authenticates
 * the bearer token, calls esa-server-core.c and serialises its answers. */

#include "esa-config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>

#include "esa-server-http.h"

#define API_PREFIX "/api/v1/"

static void
respond (SoupServerMessage *msg,
         guint              status,
         char              *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, body,
                                    strlen (body));
}

static void
respond_node (SoupServerMessage *msg,
              guint              status,
              JsonNode          *node)
{
  respond (msg, status, json_to_string (node, FALSE));
}

static void
respond_error (SoupServerMessage *msg,
               guint              status,
               const char        *code,
               const char        *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  respond_node (msg, status, node);
}

static JsonNode *
request_json (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);

  if (data == NULL || !json_parser_load_from_data (parser, data, (gssize) size, NULL))
    return NULL;
  return json_node_ref (json_parser_get_root (parser));
}

static EsaServerAccount *
authenticate (EsaServerCore     *core,
              SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *value = soup_message_headers_get_one (headers, "Authorization");
  const char *code = NULL;
  EsaServerAccount *account = NULL;

  if (value != NULL && g_ascii_strncasecmp (value, "Bearer ", 7) == 0)
    account = esa_server_core_authenticate (core, value + 7, &code);
  else
    code = "bad_token";
  if (account == NULL)
    respond_error (msg, SOUP_STATUS_UNAUTHORIZED, code,
                   g_str_equal (code, "token_expired")
                   ? _("The session has expired: log in again.")
                   : _("Not logged in: the token is missing or unknown."));
  return account;
}

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

static void
handle (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  EsaServerCore *core = user_data;
  const char *method = soup_server_message_get_method (msg);
  const char *endpoint = g_str_has_prefix (path, API_PREFIX) ? path + strlen (API_PREFIX) : "";
  g_autoptr(EsaServerAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  if (g_str_equal (endpoint, "health") && g_str_equal (method, "GET"))
    {
      respond (msg, SOUP_STATUS_OK, esa_server_core_health (core));
      return;
    }

  if (g_str_equal (endpoint, "login") && g_str_equal (method, "POST"))
    {
      g_autoptr(JsonNode) request = request_json (msg);
      g_autoptr(JsonNode) answer = NULL;
      const char *address = soup_server_message_get_remote_host (msg);
      guint status = 0;

      answer = esa_server_core_login (core, request, address != NULL ? address : "", &status);
      respond_node (msg, status, answer);
      return;
    }

  if (g_str_equal (endpoint, "push") && g_str_equal (method, "POST"))
    {
      g_autoptr(JsonNode) request = NULL;
      g_autoptr(JsonNode) answer = NULL;

      if ((account = authenticate (core, msg)) == NULL)
        return;
      request = request_json (msg);
      if (request == NULL)
        {
          respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                         _("The request is not JSON."));
          return;
        }
      answer = esa_server_core_push (core, account, request, &error);
      if (answer == NULL)
        respond_error (msg, g_error_matches (error, ESA_SERVER_ERROR, ESA_SERVER_ERROR_INVALID)
                            ? SOUP_STATUS_BAD_REQUEST : SOUP_STATUS_INTERNAL_SERVER_ERROR,
                       "bad_request", error->message);
      else
        respond_node (msg, SOUP_STATUS_OK, answer);
      return;
    }

  if (g_str_equal (endpoint, "pull") && g_str_equal (method, "GET"))
    {
      char *answer;

      if ((account = authenticate (core, msg)) == NULL)
        return;
      answer = esa_server_core_pull (core, account, query_int (query, "cursor", 0),
                                     (guint) CLAMP (query_int (query, "limit", 1000), 1, 10000),
                                     &error);
      if (answer == NULL)
        respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "server_error", error->message);
      else
        respond (msg, SOUP_STATUS_OK, answer);
      return;
    }

  if (g_str_has_prefix (endpoint, "attachments/")
      && (g_str_equal (method, "GET") || g_str_equal (method, "PUT")))
    {
      const char *sha = endpoint + strlen ("attachments/");

      if ((account = authenticate (core, msg)) == NULL)
        return;
      if (g_str_equal (method, "GET"))
        {
          g_autoptr(GBytes) bytes = esa_server_core_attachment_get (core, account, sha,
                                                                    &error);

          if (bytes == NULL)
            {
              respond_error (msg, g_error_matches (error, ESA_SERVER_ERROR,
                                                   ESA_SERVER_ERROR_NOT_FOUND)
                                  ? SOUP_STATUS_NOT_FOUND : SOUP_STATUS_BAD_REQUEST,
                             "not_found", error->message);
              return;
            }
          soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
          soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg),
                                                 "application/octet-stream", NULL);
          soup_message_body_append_bytes (soup_server_message_get_response_body (msg), bytes);
        }
      else
        {
          SoupMessageBody *body = soup_server_message_get_request_body (msg);
          g_autoptr(GBytes) bytes = soup_message_body_flatten (body);

          if (!esa_server_core_attachment_put (core, sha, bytes, &error))
            respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_attachment", error->message);
          else
            respond (msg, SOUP_STATUS_OK, g_strdup ("{\"status\":\"stored\"}"));
        }
      return;
    }

  respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found",
                 _("No such endpoint."));
}

SoupServer *
esa_server_http_new (EsaServerCore    *core,
                     GTlsCertificate  *certificate)
{
  SoupServer *server = soup_server_new ("tls-certificate", certificate,
                                        "server-header", "esattore-server/" PACKAGE_VERSION,
                                        NULL);

  soup_server_add_handler (server, "/api/v1", handle, core, NULL);
  return server;
}

gboolean
esa_server_http_listen (SoupServer  *server,
                        const char  *listen,
                        guint       *out_port,
                        GError     **error)
{
  g_autoptr(GSocketConnectable) connectable = NULL;
  g_autoptr(GSocketAddressEnumerator) enumerator = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  GSList *uris;

  connectable = g_network_address_parse (listen, 0, error);
  if (connectable == NULL)
    return FALSE;
  enumerator = g_socket_connectable_enumerate (connectable);
  address = g_socket_address_enumerator_next (enumerator, NULL, error);
  if (address == NULL)
    return FALSE;
  if (!soup_server_listen (server, address, SOUP_SERVER_LISTEN_HTTPS, error))
    return FALSE;
  uris = soup_server_get_uris (server);
  *out_port = uris != NULL ? (guint) g_uri_get_port (uris->data) : 0;
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return TRUE;
}
