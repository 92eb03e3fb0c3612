/* esa-sync-client.c: the client engine of DESIGN.md "Sync": login (also
 * offline), push in ordered batches, pull pages, background sync
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "esa-store-sync.h"
#include "esa-sync-client.h"
#include "esa-sync-http.h"

struct _EsaSyncClient
{
  GObject           parent_instance;

  EsaStore         *store;
  EsaSyncTransport *transport;
  EsaSyncStatus     status;
  char             *last_error;

  /* background */
  GNetworkMonitor  *network_monitor;  /* the one to follow; NULL: the default */
  GNetworkMonitor  *monitor;
  gulong            network_handler;
  guint             timer;
  guint             interval_s;
  gboolean          running;
  gboolean          again;
  GMainContext     *context;
  GCancellable     *cancellable;
  EsaSyncClient    *forward_to;   /* a worker's client forwards its signals */
};

enum
{
  SIGNAL_PROGRESS,
  SIGNAL_STATUS_CHANGED,
  SIGNAL_SYNCED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum
{
  PROP_0,
  PROP_NETWORK_MONITOR,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

G_DEFINE_TYPE (EsaSyncClient, esa_sync_client, G_TYPE_OBJECT)

static void
esa_sync_client_dispose (GObject *object)
{
  EsaSyncClient *self = ESA_SYNC_CLIENT (object);

  esa_sync_client_stop_background (self);
  g_clear_object (&self->store);
  g_clear_object (&self->transport);
  g_clear_object (&self->network_monitor);
  G_OBJECT_CLASS (esa_sync_client_parent_class)->dispose (object);
}

static void
esa_sync_client_finalize (GObject *object)
{
  EsaSyncClient *self = ESA_SYNC_CLIENT (object);

  g_clear_pointer (&self->last_error, g_free);
  G_OBJECT_CLASS (esa_sync_client_parent_class)->finalize (object);
}

static void
esa_sync_client_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  EsaSyncClient *self = ESA_SYNC_CLIENT (object);

  switch (prop_id)
    {
    case PROP_NETWORK_MONITOR:
      g_value_set_object (value, self->network_monitor);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esa_sync_client_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  EsaSyncClient *self = ESA_SYNC_CLIENT (object);

  switch (prop_id)
    {
    case PROP_NETWORK_MONITOR:
      esa_sync_client_set_network_monitor (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esa_sync_client_class_init (EsaSyncClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = esa_sync_client_dispose;
  object_class->finalize = esa_sync_client_finalize;
  object_class->get_property = esa_sync_client_get_property;
  object_class->set_property = esa_sync_client_set_property;

  /**
   * EsaSyncClient:network-monitor:
   *
   * The network monitor the background sync follows; NULL for the
   * system's (g_network_monitor_get_default()). Tests give a fake one.
   */
  props[PROP_NETWORK_MONITOR] = g_param_spec_object ("network-monitor", NULL, NULL,
                                                     G_TYPE_NETWORK_MONITOR,
                                                     G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
                                                     | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /**
   * EsaSyncClient::progress:
   * @stage: "push" or "pull"
   * @done: operations pushed or rows pulled so far
   * @total: operations to push (push), or 0 when unknown (pull)
   */
  signals[SIGNAL_PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_UINT64,
                                           G_TYPE_UINT64);
  signals[SIGNAL_STATUS_CHANGED] = g_signal_new ("status-changed", G_TYPE_FROM_CLASS (klass),
                                                 G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                 G_TYPE_NONE, 0);
  /* @report: (type gpointer) the EsaSyncReport of a finished sync */
  signals[SIGNAL_SYNCED] = g_signal_new ("synced", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
esa_sync_client_init (EsaSyncClient *self)
{
  self->status = ESA_SYNC_STATUS_IDLE;
}

EsaSyncClient *
esa_sync_client_new (EsaStore         *store,
                     EsaSyncTransport *transport)
{
  EsaSyncClient *self;

  g_return_val_if_fail (ESA_IS_STORE (store), NULL);
  g_return_val_if_fail (transport == NULL || ESA_IS_SYNC_TRANSPORT (transport), NULL);

  self = g_object_new (ESA_TYPE_SYNC_CLIENT, NULL);
  self->store = g_object_ref (store);
  self->transport = transport != NULL ? g_object_ref (transport) : NULL;
  return self;
}

void
esa_sync_client_set_network_monitor (EsaSyncClient   *self,
                                     GNetworkMonitor *monitor)
{
  g_return_if_fail (ESA_IS_SYNC_CLIENT (self));
  g_return_if_fail (monitor == NULL || G_IS_NETWORK_MONITOR (monitor));

  if (g_set_object (&self->network_monitor, monitor))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_NETWORK_MONITOR]);
}

EsaStore *
esa_sync_client_get_store (EsaSyncClient *self)
{
  g_return_val_if_fail (ESA_IS_SYNC_CLIENT (self), NULL);
  return self->store;
}

EsaSyncStatus
esa_sync_client_get_status (EsaSyncClient *self)
{
  g_return_val_if_fail (ESA_IS_SYNC_CLIENT (self), ESA_SYNC_STATUS_IDLE);
  return self->status;
}

const char *
esa_sync_client_get_last_error (EsaSyncClient *self)
{
  g_return_val_if_fail (ESA_IS_SYNC_CLIENT (self), NULL);
  return self->last_error;
}

/* ---- signals across threads --------------------------------------------- */

typedef struct
{
  EsaSyncClient *target;
  guint          signal;
  char          *stage;
  guint64        done;
  guint64        total;
  EsaSyncStatus  status;
  char          *error;
} Emission;

static void
emission_free (gpointer data)
{
  Emission *emission = data;

  g_object_unref (emission->target);
  g_free (emission->stage);
  g_free (emission->error);
  g_free (emission);
}

static gboolean
emit_in_context (gpointer data)
{
  Emission *emission = data;
  EsaSyncClient *self = emission->target;

  if (emission->signal == SIGNAL_PROGRESS)
    g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, emission->stage, emission->done,
                   emission->total);
  else
    {
      self->status = emission->status;
      g_free (self->last_error);
      self->last_error = g_strdup (emission->error);
      g_signal_emit (self, signals[SIGNAL_STATUS_CHANGED], 0);
    }
  return G_SOURCE_REMOVE;
}

static void
forward (EsaSyncClient *self,
         Emission      *emission)
{
  emission->target = g_object_ref (self->forward_to);
  g_main_context_invoke_full (self->forward_to->context, G_PRIORITY_DEFAULT, emit_in_context,
                              emission, emission_free);
}

static void
set_status (EsaSyncClient *self,
            EsaSyncStatus  status,
            const char    *error_message)
{
  if (self->forward_to != NULL)
    {
      Emission *emission = g_new0 (Emission, 1);

      emission->signal = SIGNAL_STATUS_CHANGED;
      emission->status = status;
      emission->error = g_strdup (error_message);
      forward (self, emission);
      return;
    }
  self->status = status;
  g_free (self->last_error);
  self->last_error = g_strdup (error_message);
  g_signal_emit (self, signals[SIGNAL_STATUS_CHANGED], 0);
}

static void
progress (EsaSyncClient *self,
          const char    *stage,
          guint64        done,
          guint64        total)
{
  if (self->forward_to != NULL)
    {
      Emission *emission = g_new0 (Emission, 1);

      emission->signal = SIGNAL_PROGRESS;
      emission->stage = g_strdup (stage);
      emission->done = done;
      emission->total = total;
      forward (self, emission);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, stage, done, total);
}

/* ---- login -------------------------------------------------------------- */

static gboolean
need_transport (EsaSyncClient  *self,
                GError        **error)
{
  if (self->transport != NULL)
    return TRUE;
  g_set_error_literal (error, ESA_SYNC_ERROR, ESA_SYNC_ERROR_NOT_CONFIGURED,
                       _("No server is configured for this database"));
  return FALSE;
}

static gboolean
remember_credentials (EsaStore    *store,
                      const char  *user,
                      const char  *password,
                      GError     **error)
{
  char hash[crypto_pwhash_STRBYTES];
  g_autofree char *value = NULL;

  /* Argon2id with libsodium's interactive limits: the verifier stays on the
   * device, where an attacker holding the file may try passwords offline. */
  if (crypto_pwhash_str_alg (hash, password, strlen (password),
                             crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE,
                             crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      g_set_error_literal (error, ESA_SYNC_ERROR, ESA_SYNC_ERROR_SERVER,
                           _("Not enough memory to remember the credentials for offline login"));
      return FALSE;
    }
  value = g_strconcat (user, "\n", hash, NULL);
  return esa_store_sync_state_set (store, ESA_SYNC_STATE_VERIFIER, value, error);
}

/* Whether the device holds a verifier for @user. */
static gboolean
knows_user (EsaStore   *store,
            const char *user)
{
  g_autofree char *value = esa_store_sync_state_get (store, ESA_SYNC_STATE_VERIFIER, NULL);
  const char *end = value != NULL ? strchr (value, '\n') : NULL;

  return end != NULL && strlen (user) == (gsize) (end - value)
         && strncmp (value, user, (gsize) (end - value)) == 0;
}

gboolean
esa_sync_client_login_offline (EsaStore    *store,
                               const char  *user,
                               const char  *password,
                               GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *value = NULL;
  const char *hash;

  g_return_val_if_fail (ESA_IS_STORE (store), FALSE);

  if (sodium_init () < 0)
    g_error ("libsodium could not be initialised");

  value = esa_store_sync_state_get (store, ESA_SYNC_STATE_VERIFIER, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  hash = value != NULL ? strchr (value, '\n') : NULL;
  if (hash == NULL || strncmp (value, user, (gsize) (hash - value)) != 0
      || strlen (user) != (gsize) (hash - value))
    {
      g_set_error (error, ESA_SYNC_ERROR, ESA_SYNC_ERROR_WRONG_CREDENTIALS,
                   _("%s has not logged in on this device with the server reachable yet: "
                     "the first login needs the server"),
                   user);
      return FALSE;
    }
  if (crypto_pwhash_str_verify (hash + 1, password, strlen (password)) != 0)
    {
      g_set_error_literal (error, ESA_SYNC_ERROR, ESA_SYNC_ERROR_WRONG_CREDENTIALS,
                           _("Wrong user name or password"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
store_session (EsaSyncClient  *self,
               JsonObject     *answer,
               const char     *login,
               GError        **error)
{
  JsonObject *user = json_object_get_member (answer, "user") != NULL
                     && JSON_NODE_HOLDS_OBJECT (json_object_get_member (answer, "user"))
                     ? json_object_get_object_member (answer, "user")
                     : NULL;
  const char *token = json_object_get_string_member_with_default (answer, "token", NULL);

  if (token == NULL || user == NULL)
    {
      g_set_error_literal (error, ESA_SYNC_ERROR, ESA_SYNC_ERROR_PROTOCOL,
                           _("The server's login answer has no token or user"));
      return FALSE;
    }
  return esa_store_sync_state_set (self->store, ESA_SYNC_STATE_TOKEN, token, error)
         && esa_store_sync_state_set (self->store, ESA_SYNC_STATE_EXPIRES,
                                      json_object_get_string_member_with_default (
                                        answer, "expires_at", NULL),
                                      error)
         && esa_store_sync_state_set (self->store, ESA_SYNC_STATE_USER, login, error)
         && esa_store_sync_state_set (self->store, ESA_SYNC_STATE_USER_ID,
                                      json_object_get_string_member_with_default (user, "id",
                                                                                  NULL),
                                      error)
         && esa_store_sync_state_set (self->store, ESA_SYNC_STATE_OFFICE,
                                      json_object_get_string_member_with_default (
                                        user, "office_id", NULL),
                                      error)
         && esa_store_sync_state_set (self->store, ESA_SYNC_STATE_ROLE,
                                      json_object_get_string_member_with_default (user, "role",
                                                                                  NULL),
                                      error);
}

gboolean
esa_sync_client_login (EsaSyncClient  *self,
                       const char     *user,
                       const char     *password,
                       gboolean       *out_offline,
                       GCancellable   *cancellable,
                       GError        **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (ESA_IS_SYNC_CLIENT (self), FALSE);

  if (out_offline != NULL)
    *out_offline = FALSE;
  if (sodium_init () < 0)
    g_error ("libsodium could not be initialised");
  if (!need_transport (self, error))
    return FALSE;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "user");
  json_builder_add_string_value (builder, user);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  answer = esa_sync_transport_request (self->transport, "POST", "/login", NULL, body,
                                       cancellable, &local_error);
  if (answer == NULL)
    {
      /* No server: the last credentials it verified open the workbench. */
      if (g_error_matches (local_error, ESA_SYNC_ERROR, ESA_SYNC_ERROR_OFFLINE))
        {
          g_autoptr(GError) offline_error = NULL;

          if (esa_sync_client_login_offline (self->store, user, password, &offline_error))
            {
              if (out_offline != NULL)
                *out_offline = TRUE;
              set_status (self, ESA_SYNC_STATUS_OFFLINE, local_error->message);
              return TRUE;
            }
          /* The device knows this user: the password is what is wrong. */
          if (g_error_matches (offline_error, ESA_SYNC_ERROR, ESA_SYNC_ERROR_WRONG_CREDENTIALS)
              && knows_user (self->store, user))
            {
              set_status (self, ESA_SYNC_STATUS_OFFLINE, local_error->message);
              g_propagate_error (error, g_steal_pointer (&offline_error));
              return FALSE;
            }
        }
      set_status (self,
                  g_error_matches (local_error, ESA_SYNC_ERROR, ESA_SYNC_ERROR_OFFLINE)
                  ? ESA_SYNC_STATUS_OFFLINE
                  : ESA_SYNC_STATUS_ERROR,
                  local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return store_session (self, json_node_get_object (answer), user, error)
         && remember_credentials (self->store, user, password, error);
}

gboolean
esa_sync_client_set_token (EsaSyncClient  *self,
                           const char     *token,
                           const char     *expires_at,
                           GError        **error)
{
  g_return_val_if_fail (ESA_IS_SYNC_CLIENT (self), FALSE);

  return esa_store_sync_state_set (self->store, ESA_SYNC_STATE_TOKEN, token, error)
         && esa_store_sync_state_set (self->store, ESA_SYNC_STATE_EXPIRES, expires_at, error);
}

/* The token, or TOKEN_EXPIRED without asking the server when the device
 * already knows it lapsed. */
static char *
current_token (EsaSyncClient  *self,
               GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *token = esa_store_sync_state_get (self->store, ESA_SYNC_STATE_TOKEN,
                                                     &local_error);
  g_autofree char *expires = NULL;
  g_autofree char *now = NULL;
  g_autoptr(GDateTime) utc = g_date_time_new_now_utc ();

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (token == NULL)
    {
      g_set_error_literal (error, ESA_SYNC_ERROR, ESA_SYNC_ERROR_TOKEN_EXPIRED,
                           _("Not logged in at the server: log in to sync (the work done "
                             "offline is kept)"));
      return NULL;
    }
  expires = esa_store_sync_state_get (self->store, ESA_SYNC_STATE_EXPIRES, NULL);
  now = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
  if (expires != NULL && strlen (expires) == strlen (now) && strcmp (expires, now) <= 0)
    {
      g_set_error_literal (error, ESA_SYNC_ERROR, ESA_SYNC_ERROR_TOKEN_EXPIRED,
                           _("The session with the server has expired: log in again (the "
                             "work done offline is kept)"));
      return NULL;
    }
  return g_steal_pointer (&token);
}

/* ---- push and pull ------------------------------------------------------ */

gboolean
esa_sync_client_push (EsaSyncClient  *self,
                      EsaSyncReport  *report,
                      GCancellable   *cancellable,
                      GError        **error)
{
  g_autofree char *token = NULL;
  g_autofree char *device = NULL;
  gint64 after = 0;
  gint64 total;

  g_return_val_if_fail (ESA_IS_SYNC_CLIENT (self), FALSE);

  if (!need_transport (self, error) || (token = current_token (self, error)) == NULL
      || (device = esa_store_sync_device_id (self->store, error)) == NULL)
    return FALSE;

  total = esa_store_count_pending_ops (self->store, error);
  if (total < 0)
    return FALSE;

  for (;;)
    {
      g_autoptr(JsonArray) ops = NULL;
      g_autoptr(JsonBuilder) builder = NULL;
      g_autoptr(JsonNode) body = NULL;
      g_autoptr(JsonNode) answer = NULL;
      EsaSyncAckCounts counts;
      JsonNode *results;
      guint n;

      ops = esa_store_sync_pending_ops (self->store, after, ESA_SYNC_PUSH_BATCH, &after, error);
      if (ops == NULL)
        return FALSE;
      n = json_array_get_length (ops);
      if (n == 0)
        return TRUE;

      builder = json_builder_new ();
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "schema");
      json_builder_add_int_value (builder, esa_store_get_schema_version (self->store));
      json_builder_set_member_name (builder, "device");
      json_builder_add_string_value (builder, device);
      json_builder_set_member_name (builder, "ops");
      json_builder_add_value (builder, json_node_init_array (json_node_alloc (), ops));
      json_builder_end_object (builder);
      body = json_builder_get_root (builder);

      answer = esa_sync_transport_request (self->transport, "POST", "/push", token, body,
                                           cancellable, error);
      if (answer == NULL)
        return FALSE;
      report->push_requests++;
      results = json_object_get_member (json_node_get_object (answer), "results");
      if (results == NULL || !JSON_NODE_HOLDS_ARRAY (results))
        {
          g_set_error_literal (error, ESA_SYNC_ERROR, ESA_SYNC_ERROR_PROTOCOL,
                               _("The server's push answer has no results"));
          return FALSE;
        }
      if (!esa_store_sync_ack (self->store, json_node_get_array (results), &counts, error))
        return FALSE;
      report->applied += counts.applied;
      report->duplicates += counts.duplicates;
      report->conflicts += counts.conflicts;
      report->pushed += counts.applied + counts.duplicates + counts.conflicts;
      progress (self, "push", report->pushed, (guint64) total);
    }
}

static gboolean pull_pages (EsaSyncClient  *self,
                            const char     *token,
                            EsaSyncReport  *report,
                            GCancellable   *cancellable,
                            GError        **error);

gboolean
esa_sync_client_pull (EsaSyncClient  *self,
                      EsaSyncReport  *report,
                      GCancellable   *cancellable,
                      GError        **error)
{
  g_autofree char *token = NULL;
  gint64 dangling = 0;
  gboolean ok;

  g_return_val_if_fail (ESA_IS_SYNC_CLIENT (self), FALSE);

  if (!need_transport (self, error) || (token = current_token (self, error)) == NULL)
    return FALSE;

  if (!esa_store_sync_pull_begin (self->store, error))
    return FALSE;
  ok = pull_pages (self, token, report, cancellable, error);
  if (!esa_store_sync_pull_end (self->store, ok ? &dangling : NULL, ok ? error : NULL))
    return FALSE;
  if (ok && dangling > 0)
    g_debug ("after the pull, %" G_GINT64_FORMAT " rows point to rows out of scope", dangling);
  return ok;
}

/* A page of a pull, applied in a thread of its own while the next page is
 * on its way: the server prepares and sends a page in about the time the
 * replica takes to store one, so that the two overlap. Only that thread
 * uses the store's connection until it is joined. */
typedef struct
{
  EsaStore *store;
  JsonNode *answer;
  char     *next_cursor;
  guint     applied;
  guint     purged;
  GError   *error;
} Page;

static void
page_free (Page *page)
{
  g_clear_pointer (&page->answer, json_node_unref);
  g_free (page->next_cursor);
  g_clear_error (&page->error);
  g_free (page);
}

static gpointer
apply_page (gpointer data)
{
  Page *page = data;
  JsonObject *object = json_node_get_object (page->answer);
  JsonNode *purge = json_object_get_member (object, "purge");
  JsonArray *purged = purge != NULL && JSON_NODE_HOLDS_ARRAY (purge)
                      ? json_node_get_array (purge)
                      : NULL;

  if (esa_store_sync_apply_pull (page->store, json_object_get_array_member (object, "rows"),
                                 purged, page->next_cursor, &page->applied, &page->error)
      && purged != NULL)
    page->purged = json_array_get_length (purged);
  /* Freeing a page's tree costs about as much as parsing it: here, not on
   * the thread receiving the next page. */
  g_clear_pointer (&page->answer, json_node_unref);
  return NULL;
}

/* Waits for the page being applied, if any, and counts it. */
static gboolean
finish_page (EsaSyncClient  *self,
             GThread       **thread,
             Page          **page,
             EsaSyncReport  *report,
             GError        **error)
{
  gboolean ok;

  if (*thread == NULL)
    return TRUE;
  g_thread_join (g_steal_pointer (thread));
  ok = (*page)->error == NULL;
  if (ok)
    {
      report->pulled += (*page)->applied;
      report->purged += (*page)->purged;
      progress (self, "pull", report->pulled, 0);
    }
  else
    g_propagate_error (error, g_steal_pointer (&(*page)->error));
  g_clear_pointer (page, page_free);
  return ok;
}

static gboolean
pull_pages (EsaSyncClient  *self,
            const char     *token,
            EsaSyncReport  *report,
            GCancellable   *cancellable,
            GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *cursor = esa_store_sync_state_get (self->store, ESA_SYNC_STATE_CURSOR,
                                                      &local_error);
  GThread *thread = NULL;
  Page *pending = NULL;
  gboolean more = TRUE;

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  while (more)
    {
      g_autofree char *escaped = g_uri_escape_string (cursor != NULL ? cursor : "0", NULL,
                                                      FALSE);
      g_autofree char *path = g_strdup_printf ("/pull?cursor=%s&limit=%d", escaped,
                                               ESA_SYNC_PULL_PAGE);
      g_autoptr(JsonNode) answer = NULL;
      JsonObject *object;
      JsonNode *rows;
      JsonNode *next;
      Page *page;

      answer = esa_sync_transport_request (self->transport, "GET", path, token, NULL,
                                           cancellable, &local_error);
      if (answer != NULL)
        {
          report->pull_requests++;
          object = json_node_get_object (answer);
          rows = json_object_get_member (object, "rows");
          next = json_object_get_member (object, "next_cursor");
          if (rows == NULL || !JSON_NODE_HOLDS_ARRAY (rows) || next == NULL
              || !JSON_NODE_HOLDS_VALUE (next))
            g_set_error_literal (&local_error, ESA_SYNC_ERROR, ESA_SYNC_ERROR_PROTOCOL,
                                 _("The server's pull answer has no rows or no cursor"));
        }
      /* The page before this one lands whatever happened to this one. */
      if (!finish_page (self, &thread, &pending, report, local_error == NULL ? error : NULL)
          || local_error != NULL)
        {
          if (local_error != NULL)
            g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      page = g_new0 (Page, 1);
      page->store = self->store;
      page->answer = g_steal_pointer (&answer);
      next = json_object_get_member (json_node_get_object (page->answer), "next_cursor");
      page->next_cursor = json_node_get_value_type (next) == G_TYPE_STRING
                          ? g_strdup (json_node_get_string (next))
                          : g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (next));
      more = json_object_get_boolean_member_with_default (json_node_get_object (page->answer),
                                                          "more", FALSE);
      g_free (cursor);
      cursor = g_strdup (page->next_cursor);
      pending = page;
      thread = g_thread_new ("esa-sync-apply", apply_page, page);
    }
  return finish_page (self, &thread, &pending, report, error);
}

gboolean
esa_sync_client_sync (EsaSyncClient  *self,
                      EsaSyncReport  *out_report,
                      GCancellable   *cancellable,
                      GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  EsaSyncReport report;
  EsaSyncCounts counts;
  gboolean ok;

  g_return_val_if_fail (ESA_IS_SYNC_CLIENT (self), FALSE);

  memset (&report, 0, sizeof report);
  set_status (self, ESA_SYNC_STATUS_SYNCING, NULL);
  ok = esa_sync_client_push (self, &report, cancellable, &local_error)
       && esa_sync_client_pull (self, &report, cancellable, &local_error)
       && esa_store_sync_counts (self->store, &counts, &local_error);
  if (!ok)
    {
      set_status (self,
                  g_error_matches (local_error, ESA_SYNC_ERROR, ESA_SYNC_ERROR_OFFLINE)
                  ? ESA_SYNC_STATUS_OFFLINE
                  : ESA_SYNC_STATUS_ERROR,
                  local_error->message);
      if (out_report != NULL)
        *out_report = report;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  report.pending = counts.pending_ops;
  report.open_conflicts = counts.open_conflicts;
  esa_sync_counts_clear (&counts);
  set_status (self, ESA_SYNC_STATUS_IDLE, NULL);
  if (out_report != NULL)
    *out_report = report;
  return TRUE;
}

/* ---- background --------------------------------------------------------- */

static void background_run (EsaSyncClient *self);

static void
sync_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  EsaSyncClient *self = source;
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(EsaSyncTransport) transport = NULL;
  g_autoptr(EsaSyncClient) worker = NULL;
  g_autofree char *server = NULL;
  g_autofree char *ca = NULL;
  EsaSyncReport *report = g_new0 (EsaSyncReport, 1);

  /* A connection of its own: SQLite connections are not shared between
   * threads, and WAL lets the workbench go on reading and writing. The
   * transport the client was made with is used when there is one (it must
   * serve a worker thread); else an HTTPS session from the configured
   * server and CA. */
  store = esa_store_open (esa_store_get_path (self->store), &error);
  if (store != NULL && self->transport != NULL)
    transport = g_object_ref (self->transport);
  else if (store != NULL)
    {
      server = esa_store_sync_state_get (store, ESA_SYNC_STATE_SERVER, NULL);
      ca = esa_store_sync_state_get (store, ESA_SYNC_STATE_CA, NULL);
      if (server == NULL || ca == NULL)
        g_set_error_literal (&error, ESA_SYNC_ERROR, ESA_SYNC_ERROR_NOT_CONFIGURED,
                             _("No server is configured for this database"));
      else
        transport = (EsaSyncTransport *) esa_sync_http_new (server, ca, &error);
    }
  if (transport != NULL)
    {
      worker = esa_sync_client_new (store, transport);
      worker->forward_to = self;
      if (!esa_sync_client_sync (worker, report, cancellable, &error))
        g_clear_pointer (&report, g_free);
    }
  else
    g_clear_pointer (&report, g_free);

  if (error != NULL)
    {
      if (worker == NULL)
        {
          Emission *emission = g_new0 (Emission, 1);

          emission->signal = SIGNAL_STATUS_CHANGED;
          emission->status = ESA_SYNC_STATUS_ERROR;
          emission->error = g_strdup (error->message);
          emission->target = g_object_ref (self);
          g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, emit_in_context,
                                      emission, emission_free);
        }
      g_task_return_error (task, g_steal_pointer (&error));
    }
  else
    g_task_return_pointer (task, report, g_free);
}

static void
sync_done (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  EsaSyncClient *self = ESA_SYNC_CLIENT (source);
  g_autofree EsaSyncReport *report = g_task_propagate_pointer (G_TASK (result), NULL);

  self->running = FALSE;
  if (report != NULL)
    g_signal_emit (self, signals[SIGNAL_SYNCED], 0, report);
  if (self->again)
    {
      self->again = FALSE;
      background_run (self);
    }
}

static void
background_run (EsaSyncClient *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->running)
    {
      self->again = TRUE;
      return;
    }
  self->running = TRUE;
  task = g_task_new (self, self->cancellable, sync_done, NULL);
  g_task_run_in_thread (task, sync_thread);
}

void
esa_sync_client_sync_now (EsaSyncClient *self)
{
  g_return_if_fail (ESA_IS_SYNC_CLIENT (self));

  if (self->monitor != NULL && !g_network_monitor_get_network_available (self->monitor))
    {
      set_status (self, ESA_SYNC_STATUS_OFFLINE, _("The network is down"));
      return;
    }
  background_run (self);
}

static void
network_changed (GNetworkMonitor *monitor,
                 gboolean         available,
                 gpointer         data)
{
  EsaSyncClient *self = data;

  if (available)
    background_run (self);
  else
    set_status (self, ESA_SYNC_STATUS_OFFLINE, _("The network is down"));
}

static gboolean
timer_tick (gpointer data)
{
  EsaSyncClient *self = data;

  if (g_network_monitor_get_network_available (self->monitor))
    background_run (self);
  return G_SOURCE_CONTINUE;
}

gboolean
esa_sync_client_start_background (EsaSyncClient  *self,
                                  guint           interval_s,
                                  GError        **error)
{
  g_return_val_if_fail (ESA_IS_SYNC_CLIENT (self), FALSE);

  if (esa_store_get_path (self->store) == NULL)
    {
      g_set_error_literal (error, ESA_SYNC_ERROR, ESA_SYNC_ERROR_NOT_CONFIGURED,
                           _("An in-memory database cannot sync in the background"));
      return FALSE;
    }
  esa_sync_client_stop_background (self);

  self->context = g_main_context_ref_thread_default ();
  self->cancellable = g_cancellable_new ();
  self->monitor = g_object_ref (self->network_monitor != NULL ? self->network_monitor
                                                              : g_network_monitor_get_default ());
  self->network_handler = g_signal_connect (self->monitor, "network-changed",
                                            G_CALLBACK (network_changed), self);
  self->interval_s = MAX (interval_s, 1);
  self->timer = g_timeout_add_seconds (self->interval_s, timer_tick, self);
  if (g_network_monitor_get_network_available (self->monitor))
    background_run (self);
  else
    set_status (self, ESA_SYNC_STATUS_OFFLINE, _("The network is down"));
  return TRUE;
}

void
esa_sync_client_stop_background (EsaSyncClient *self)
{
  g_return_if_fail (ESA_IS_SYNC_CLIENT (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->timer, g_source_remove);
  if (self->monitor != NULL)
    g_clear_signal_handler (&self->network_handler, self->monitor);
  g_clear_object (&self->monitor);
  g_clear_pointer (&self->context, g_main_context_unref);
}
