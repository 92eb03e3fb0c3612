#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * esa_server_tls_make_development:
 * @dir: the server's data directory
 * @out_ca_path: (out) (transfer full): DIR/ca.pem
 *
 * Makes a development certificate authority (DIR/ca.pem, its key
 * DIR/ca.key) and a server certificate it signs for 127.0.0.1 and localhost
 * (DIR/server.pem, DIR/server.key), when DIR/server.pem does not exist yet.
 * Keys are ECDSA P-256, written readable by their owner only. A client
 * trusts the server by trusting DIR/ca.pem.
 *
 * Returns: TRUE when the files are there (made now or before), FALSE with
 *   @error set
 */
gboolean esa_server_tls_make_development (const char  *dir,
                                          char       **out_ca_path,
                                          GError     **error);

G_END_DECLS
