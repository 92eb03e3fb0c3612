#pragma once

#include "esa-sync-transport.h"

G_BEGIN_DECLS

#define ESA_TYPE_SYNC_HTTP (esa_sync_http_get_type ())
G_DECLARE_FINAL_TYPE (EsaSyncHttp, esa_sync_http, ESA, SYNC_HTTP, GObject)

/**
 * esa_sync_http_new:
 * @base_url: the server, "https://127.0.0.1:8443"
 * @ca_file: the office's CA certificate (PEM); the server's certificate must
 *   be issued by it: the system's CAs are not trusted
 *
 * Returns: (transfer full): the transport, or NULL with @error set (a CA file
 *   that cannot be read, a URL that is not https)
 */
EsaSyncHttp *esa_sync_http_new (const char  *base_url,
                                const char  *ca_file,
                                GError     **error);

G_END_DECLS
