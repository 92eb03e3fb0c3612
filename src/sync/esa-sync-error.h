#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ESA_SYNC_ERROR (esa_sync_error_quark ())

/* Every failure leaves the outbox as it was: the operations are pushed again
 * at the next sync. */
typedef enum
{
  ESA_SYNC_ERROR_OFFLINE,            /* no route, connection refused, timeout */
  ESA_SYNC_ERROR_TLS,                /* the server's certificate is not from the configured CA */
  ESA_SYNC_ERROR_WRONG_CREDENTIALS,  /* user name or password wrong */
  ESA_SYNC_ERROR_THROTTLED,          /* too many failed logins: wait */
  ESA_SYNC_ERROR_TOKEN_EXPIRED,      /* log in again (offline work goes on) */
  ESA_SYNC_ERROR_BAD_TOKEN,          /* the server does not know the token */
  ESA_SYNC_ERROR_PROTOCOL,           /* the answer is not what the protocol says */
  ESA_SYNC_ERROR_SERVER,             /* the server failed (5xx) */
  ESA_SYNC_ERROR_NOT_CONFIGURED,     /* no server, CA or user configured */
} EsaSyncError;

GQuark esa_sync_error_quark (void);

G_END_DECLS
