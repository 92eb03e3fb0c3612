/* esa-sync-transport.c: the transport interface and the direct transport
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>

#include "esa-sync-error.h"
#include "esa-sync-transport.h"

G_DEFINE_INTERFACE (EsaSyncTransport, esa_sync_transport, G_TYPE_OBJECT)

static void
esa_sync_transport_default_init (EsaSyncTransportInterface *iface)
{
}

JsonNode *
esa_sync_transport_request (EsaSyncTransport  *self,
                            const char        *method,
                            const char        *path,
                            const char        *token,
                            JsonNode          *body,
                            GCancellable      *cancellable,
                            GError           **error)
{
  g_return_val_if_fail (ESA_IS_SYNC_TRANSPORT (self), NULL);

  return ESA_SYNC_TRANSPORT_GET_IFACE (self)->request (self, method, path, token, body,
                                                       cancellable, error);
}

gboolean
esa_sync_transport_check_answer (guint      status,
                                 JsonNode  *answer,
                                 GError   **error)
{
  JsonObject *object = answer != NULL && JSON_NODE_HOLDS_OBJECT (answer)
                       ? json_node_get_object (answer)
                       : NULL;
  const char *code = object != NULL
                     ? json_object_get_string_member_with_default (object, "error", NULL)
                     : NULL;
  const char *message = object != NULL
                        ? json_object_get_string_member_with_default (object, "message", NULL)
                        : NULL;

  if (status >= 200 && status < 300)
    {
      if (object == NULL)
        {
          g_set_error_literal (error, ESA_SYNC_ERROR, ESA_SYNC_ERROR_PROTOCOL,
                               _("The server's answer is not a JSON object"));
          return FALSE;
        }
      return TRUE;
    }

  if (g_strcmp0 (code, "wrong_credentials") == 0)
    g_set_error_literal (error, ESA_SYNC_ERROR, ESA_SYNC_ERROR_WRONG_CREDENTIALS,
                         _("Wrong user name or password"));
  else if (g_strcmp0 (code, "throttled") == 0)
    {
      int minutes = (int) ((json_object_get_int_member_with_default (object, "retry_after", 900)
                            + 59) / 60);

      g_set_error (error, ESA_SYNC_ERROR, ESA_SYNC_ERROR_THROTTLED,
                   g_dngettext (NULL, "Too many failed logins: try again in %d minute",
                                "Too many failed logins: try again in %d minutes", minutes),
                   minutes);
    }
  else if (g_strcmp0 (code, "token_expired") == 0)
    g_set_error_literal (error, ESA_SYNC_ERROR, ESA_SYNC_ERROR_TOKEN_EXPIRED,
                         _("The session with the server has expired: log in again (the "
                           "work done offline is kept)"));
  else if (g_strcmp0 (code, "bad_token") == 0 || status == 401)
    g_set_error_literal (error, ESA_SYNC_ERROR, ESA_SYNC_ERROR_BAD_TOKEN,
                         _("The server did not accept the session: log in again (the work "
                           "done offline is kept)"));
  else if (status == 0)
    g_set_error_literal (error, ESA_SYNC_ERROR, ESA_SYNC_ERROR_OFFLINE,
                         _("The server did not answer"));
  else if (status >= 500)
    g_set_error (error, ESA_SYNC_ERROR, ESA_SYNC_ERROR_SERVER,
                 _("The server failed (HTTP %u): %s"), status,
                 message != NULL ? message : _("no details"));
  else
    g_set_error (error, ESA_SYNC_ERROR, ESA_SYNC_ERROR_PROTOCOL,
                 _("The server refused the request (HTTP %u): %s"), status,
                 message != NULL ? message : (code != NULL ? code : _("no details")));
  return FALSE;
}

/* ---- direct ------------------------------------------------------------- */

struct _EsaSyncDirect
{
  GObject              parent_instance;
  EsaSyncDirectHandler handler;
  gpointer             user_data;
};

static void esa_sync_direct_iface_init (EsaSyncTransportInterface *iface);

G_DEFINE_TYPE_WITH_CODE (EsaSyncDirect, esa_sync_direct, G_TYPE_OBJECT,
                         G_IMPLEMENT_INTERFACE (ESA_TYPE_SYNC_TRANSPORT,
                                                esa_sync_direct_iface_init))

static JsonNode *
direct_request (EsaSyncTransport  *transport,
                const char        *method,
                const char        *path,
                const char        *token,
                JsonNode          *body,
                GCancellable      *cancellable,
                GError           **error)
{
  EsaSyncDirect *self = ESA_SYNC_DIRECT (transport);
  g_autoptr(JsonNode) answer = NULL;
  guint status = 0;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  answer = self->handler (self->user_data, method, path, token, body, &status);
  if (!esa_sync_transport_check_answer (status, answer, error))
    return NULL;
  return g_steal_pointer (&answer);
}

static void
esa_sync_direct_iface_init (EsaSyncTransportInterface *iface)
{
  iface->request = direct_request;
}

static void
esa_sync_direct_class_init (EsaSyncDirectClass *klass)
{
}

static void
esa_sync_direct_init (EsaSyncDirect *self)
{
}

EsaSyncDirect *
esa_sync_direct_new (EsaSyncDirectHandler handler,
                     gpointer             user_data)
{
  EsaSyncDirect *self = g_object_new (ESA_TYPE_SYNC_DIRECT, NULL);

  self->handler = handler;
  self->user_data = user_data;
  return self;
}
