#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* How the client reaches the server: one JSON request, one JSON answer.
 * The HTTP transport (esa-sync-http.h) speaks HTTPS; the direct transport
 * hands the request to a function in the same process (the simulation test
 * wires it to the server's core). Errors are in ESA_SYNC_ERROR; a transport
 * turns the server's error answers ({"error": "token_expired"} …) into them. */

#define ESA_TYPE_SYNC_TRANSPORT (esa_sync_transport_get_type ())
G_DECLARE_INTERFACE (EsaSyncTransport, esa_sync_transport, ESA, SYNC_TRANSPORT, GObject)

struct _EsaSyncTransportInterface
{
  GTypeInterface parent_iface;

  JsonNode *(*request) (EsaSyncTransport  *self,
                        const char        *method,
                        const char        *path,
                        const char        *token,
                        JsonNode          *body,
                        GCancellable      *cancellable,
                        GError           **error);
};

/**
 * esa_sync_transport_request:
 * @method: "GET" or "POST"
 * @path: below /api/v1, with its query: "/pull?cursor=12&limit=500"
 * @token: (nullable): the bearer token
 * @body: (nullable): the request's JSON
 *
 * Returns: (transfer full): the answer's JSON, or NULL with @error set
 */
JsonNode *esa_sync_transport_request (EsaSyncTransport  *self,
                                      const char        *method,
                                      const char        *path,
                                      const char        *token,
                                      JsonNode          *body,
                                      GCancellable      *cancellable,
                                      GError           **error);

/* Turns an error answer of the server (HTTP @status, JSON @answer) into
 * @error; TRUE when @status is a success. For transports. */
gboolean  esa_sync_transport_check_answer (guint       status,
                                           JsonNode   *answer,
                                           GError    **error);

/* ---- the direct transport ------------------------------------------------ */

/**
 * EsaSyncDirectHandler:
 * @out_status: (out): the HTTP status the server would answer
 *
 * Serves one request in process. Returns: (transfer full): the answer
 */
typedef JsonNode *(*EsaSyncDirectHandler) (gpointer     user_data,
                                           const char  *method,
                                           const char  *path,
                                           const char  *token,
                                           JsonNode    *body,
                                           guint       *out_status);

#define ESA_TYPE_SYNC_DIRECT (esa_sync_direct_get_type ())
G_DECLARE_FINAL_TYPE (EsaSyncDirect, esa_sync_direct, ESA, SYNC_DIRECT, GObject)

EsaSyncDirect *esa_sync_direct_new (EsaSyncDirectHandler handler,
                                    gpointer             user_data);

G_END_DECLS
