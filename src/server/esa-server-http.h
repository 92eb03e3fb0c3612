#pragma once

#include <libsoup/soup.h>

#include "esa-server-core.h"

G_BEGIN_DECLS

/**
 * esa_server_http_new:
 * @core: (transfer none): kept alive by the caller while the server runs
 * @certificate: the server's certificate with its private key
 *
 * A SoupServer answering /api/v1/… (help/C/server-api.page) over HTTPS only;
 * listen with esa_server_http_listen().
 *
 * Returns: (transfer full): the server
 */
SoupServer *esa_server_http_new    (EsaServerCore    *core,
                                    GTlsCertificate  *certificate);

/**
 * esa_server_http_listen:
 * @listen: "ADDRESS:PORT"; port 0 picks a free one
 * @out_port: (out): the port listened on
 *
 * Listens with TLS on @listen (plain HTTP is never served).
 */
gboolean    esa_server_http_listen (SoupServer       *server,
                                    const char       *listen,
                                    guint            *out_port,
                                    GError          **error);

G_END_DECLS
