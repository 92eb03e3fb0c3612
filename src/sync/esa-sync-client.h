#pragma once

#include "esa-store.h"
#include "esa-sync-error.h"
#include "esa-sync-transport.h"

G_BEGIN_DECLS

/* What the header shows. */
typedef enum
{
  ESA_SYNC_STATUS_IDLE,     /* connected, nothing running */
  ESA_SYNC_STATUS_OFFLINE,  /* no network or server unreachable */
  ESA_SYNC_STATUS_SYNCING,  /* pushing or pulling (see "progress") */
  ESA_SYNC_STATUS_ERROR,    /* the last sync failed for another reason (see last-error) */
} EsaSyncStatus;

/* What one sync did. */
typedef struct
{
  guint  pushed;      /* operations the server settled */
  guint  applied;
  guint  duplicates;
  guint  conflicts;   /* of ours, refused by the server */
  guint  pulled;      /* rows received */
  guint  purged;      /* dossiers removed (scope revoked) */
  guint  push_requests;
  guint  pull_requests;
  gint64 pending;     /* operations still waiting after the sync */
  gint64 open_conflicts;
} EsaSyncReport;

#define ESA_TYPE_SYNC_CLIENT (esa_sync_client_get_type ())
G_DECLARE_FINAL_TYPE (EsaSyncClient, esa_sync_client, ESA, SYNC_CLIENT, GObject)

/* Operations per push request and rows per pull page. */
#define ESA_SYNC_PUSH_BATCH 200
#define ESA_SYNC_PULL_PAGE  5000

EsaSyncClient *esa_sync_client_new        (EsaStore          *store,
                                           EsaSyncTransport  *transport);

/* (nullable): the monitor the background sync follows; NULL for the
 * system's. Set it before esa_sync_client_start_background(). */
void           esa_sync_client_set_network_monitor (EsaSyncClient   *self,
                                                    GNetworkMonitor *monitor);

EsaStore      *esa_sync_client_get_store  (EsaSyncClient     *self);
EsaSyncStatus  esa_sync_client_get_status (EsaSyncClient     *self);
/* The message of the last failure, NULL after a good sync. */
const char    *esa_sync_client_get_last_error (EsaSyncClient *self);

/**
 * esa_sync_client_login:
 * @out_offline: (out) (optional): TRUE when the server could not be reached
 *   and the credentials were checked against the last ones it verified
 *
 * Logs in at the server and keeps the token; remembers an Argon2id hash of
 * the verified password (libsodium crypto_pwhash_str), so that the same
 * credentials open the workbench offline.
 */
gboolean       esa_sync_client_login      (EsaSyncClient     *self,
                                           const char        *user,
                                           const char        *password,
                                           gboolean          *out_offline,
                                           GCancellable      *cancellable,
                                           GError           **error);

/* Checks @password against the last credentials the server verified for
 * @user on this device (no network). */
gboolean       esa_sync_client_login_offline (EsaStore       *store,
                                              const char     *user,
                                              const char     *password,
                                              GError        **error);

/* Uses a token obtained elsewhere (tests, a token refreshed by another
 * window). */
gboolean       esa_sync_client_set_token  (EsaSyncClient     *self,
                                           const char        *token,
                                           const char        *expires_at,
                                           GError           **error);

/**
 * esa_sync_client_sync:
 *
 * Pushes every pending operation in ordered batches, then pulls pages until
 * the server has no more. Emits "progress" and "status-changed". A failure
 * at any point leaves every unacknowledged operation in the outbox, and
 * every page stored before it stays stored (the next sync resumes).
 */
gboolean       esa_sync_client_sync       (EsaSyncClient     *self,
                                           EsaSyncReport     *out_report,
                                           GCancellable      *cancellable,
                                           GError           **error);

/* Only the push half, only the pull half (the simulation test interleaves
 * them). */
gboolean       esa_sync_client_push       (EsaSyncClient     *self,
                                           EsaSyncReport     *report,
                                           GCancellable      *cancellable,
                                           GError           **error);
gboolean       esa_sync_client_pull       (EsaSyncClient     *self,
                                           EsaSyncReport     *report,
                                           GCancellable      *cancellable,
                                           GError           **error);

/**
 * esa_sync_client_start_background:
 * @interval_s: seconds between syncs while the network is up
 *
 * Syncs in a worker thread (its own database connection to the store's
 * file; the client's transport, or without one its own HTTPS session from
 * the configured server and CA) when the network comes up (the
 * "network-monitor", GNetworkMonitor), every @interval_s seconds while it
 * is up, and on esa_sync_client_sync_now(). Signals are emitted in the thread
 * default main context of the caller. The store must be a file.
 */
gboolean       esa_sync_client_start_background (EsaSyncClient *self,
                                                 guint          interval_s,
                                                 GError       **error);
void           esa_sync_client_stop_background  (EsaSyncClient *self);
/* Starts a background sync now unless one runs. */
void           esa_sync_client_sync_now   (EsaSyncClient     *self);

G_END_DECLS
