/* test-sync-sim.c: deterministic simulation of offline sync (DESIGN.md
 * "Sync"): three officers of one office on their own databases edit fields
 * and record events offline; the network drops, duplicates and reorders
 * messages; the server restarts between batches; device clocks are skewed.
 * After a quiescent sync every replica equals the server, no operation is
 * lost, none applied twice, and no row of another office arrived.
 *
 * Seeds: 1..N (N from ESATTORE_SIM_SEEDS, default 1000); one seed with
 * --seed S. A failing seed prints its number.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <unistd.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>

#include "esa-parameters.h"
#include "esa-procedure.h"
#include "esa-server-core.h"
#include "esa-store-private.h"
#include "esa-store-sync.h"
#include "esa-sync-client.h"
#include "test-sync-scenario.h"

#define N_CLIENTS 3
#define PASSWORD  ESA_SYNC_TEST_PASSWORD

typedef struct
{
  char *login;
  char *token;
  char *office_id;
  char *user_id;
} Officer;

/* Made once: a server directory with demo data, three accounts and their
 * tokens; every seed starts from a copy of its database. */
static char    *template_dir;
static char    *client_template;   /* a replica of the office, pulled once */
/* What the seeds exercised, for the closing message. */
static struct
{
  guint64 ops;
  guint64 conflicts;
  guint64 lost;        /* requests or answers dropped */
  guint64 duplicated;
  guint64 held;        /* pushes delivered late */
  guint64 restarts;
} totals;

static GPtrArray     *sim_procedures;
static EsaParameters *sim_params;
static Officer  officers[N_CLIENTS];
/* A field officer of the same office: sees only the dossiers assigned to
 * them, which officer 0 assigns and takes back during the run. */
static Officer  field;
static char    *field_template;

typedef struct
{
  EsaServerCore *core;
  char          *dir;
  GRand         *rand;
  gboolean       faults;
  JsonNode      *held;        /* a push held back, delivered later (reordering) */
  char          *held_token;
  guint          delivered;
  guint          requests;    /* every request that reached the network */
  sqlite3       *db;          /* a reader of the server's database, for the checks */
  gboolean       down;        /* the network is down: nothing arrives */
} Net;

static JsonNode *
serve (Net        *net,
       const char *method,
       const char *path,
       const char *token,
       JsonNode   *body,
       guint      *out_status)
{
  if (g_str_equal (method, "POST") && g_str_equal (path, "/push"))
    net->delivered++;
  return esa_sync_test_serve (net->core, method, path, token, body, out_status);
}

/* The network between a client and the server: with faults on, a request
 * may be lost on the way (nothing happens), its answer may be lost (the
 * server acted, the client does not know), it may arrive twice, or a push
 * may be held back and delivered after the next request. */
static JsonNode *
network (gpointer    data,
         const char *method,
         const char *path,
         const char *token,
         JsonNode   *body,
         guint      *out_status)
{
  Net *net = data;
  JsonNode *answer;
  guint dice = net->faults ? (guint) g_rand_int_range (net->rand, 0, 100) : 99;

  net->requests++;
  if (net->down)
    {
      *out_status = 0;
      return NULL;
    }

  if (net->held != NULL && dice >= 50)
    {
      guint status;
      g_autoptr(JsonNode) late = serve (net, "POST", "/push", net->held_token, net->held,
                                        &status);

      g_clear_pointer (&net->held, json_node_unref);
      g_clear_pointer (&net->held_token, g_free);
    }

  if (dice < 8)
    {
      totals.lost++;
      *out_status = 0;
      return NULL;
    }
  if (dice < 12 && body != NULL && g_str_equal (path, "/push") && net->held == NULL)
    {
      totals.held++;
      net->held = json_node_copy (body);
      net->held_token = g_strdup (token);
      *out_status = 0;
      return NULL;
    }
  answer = serve (net, method, path, token, body, out_status);
  if (dice < 18)
    {
      totals.lost++;
      json_node_unref (answer);
      *out_status = 0;
      return NULL;
    }
  if (dice < 24)
    {
      totals.duplicated++;
      json_node_unref (answer);
      answer = serve (net, method, path, token, body, out_status);
    }
  return answer;
}

static void
restart_server (Net *net)
{
  g_autoptr(GError) error = NULL;

  if (net->core != NULL)
    totals.restarts++;
  g_clear_pointer (&net->core, esa_server_core_free);
  net->core = esa_server_core_open (net->dir, &error);
  g_assert_no_error (error);
}

static char *
query_text (EsaStore   *store,
            const char *sql,
            GRand      *rand)
{
  g_autofree char *full = g_strdup_printf ("%s LIMIT 1 OFFSET ?1", sql);
  sqlite3 *db = _esa_store_get_db (store);
  sqlite3_stmt *stmt = NULL;
  g_autofree char *count_sql = g_strdup_printf ("SELECT count(*) FROM (%s)", sql);
  gint64 n = 0;
  char *value = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, count_sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  if (n == 0)
    return NULL;
  g_assert_cmpint (sqlite3_prepare_v2 (db, full, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, g_rand_int_range (rand, 0, (gint32) n));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

/* One random piece of an officer's work: a field edit, or an event (a
 * contact log entry, a payment). Returns the payment's id for the count. */
static void
random_work (EsaStore *store,
             GRand    *rand,
             guint    *out_events)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *debtor = query_text (store, "SELECT id FROM debtors ORDER BY id", rand);
  guint what = (guint) g_rand_int_range (rand, 0, 4);

  if (debtor == NULL)
    return;

  if (what == 0)
    {
      static const char * const names[] = { "Rossi Mario", "Bianchi Anna", "Verdi Luca",
                                            "Neri Sara", "Galli Paolo" };
      g_assert_true (esa_store_update_debtor_field (store, debtor, "name",
                                                    names[g_rand_int_range (rand, 0, 5)],
                                                    &error));
    }
  else if (what == 1)
    {
      EsaContactEntry entry = { 0 };
      g_autofree char *id = NULL;

      entry.debtor_id = debtor;
      entry.channel = "phone";
      entry.direction = "out";
      entry.occurred_at = "2026-11-02T09:00:00Z";
      entry.subject = "Reminder";
      id = esa_store_add_contact_entry (store, &entry, &error);
      (*out_events)++;
    }
  else if (what == 3)
    {
      /* A command: a step of an open case of the debtor, one that needs no
       * field filled in. The server re-checks it: it may become a conflict. */
      g_autofree char *sql = g_strdup_printf ("SELECT id FROM cases WHERE debtor_id = '%s' "
                                              "AND closed_on IS NULL ORDER BY id", debtor);
      g_autofree char *case_id = query_text (store, sql, rand);
      g_autoptr(GPtrArray) statuses = NULL;
      g_autoptr(GPtrArray) candidates = g_ptr_array_new ();

      if (case_id == NULL)
        return;
      statuses = esa_store_case_actions (store, case_id, NULL, NULL);
      for (guint i = 0; statuses != NULL && i < statuses->len; i++)
        {
          EsaActionStatus *status = statuses->pdata[i];

          if (status->available)
            g_ptr_array_add (candidates, (gpointer) status->action->id);
        }
      if (candidates->len > 0)
        {
          const char *action = candidates->pdata[g_rand_int_range (rand, 0,
                                                                   (gint32) candidates->len)];
          g_autofree char *event = esa_store_case_do (store, case_id, action, NULL, NULL, NULL);
        }
      return;
    }
  else
    {
      g_autofree char *sql = g_strdup_printf ("SELECT id FROM positions WHERE debtor_id = '%s' "
                                              "AND state = 'open' AND principal + sanctions + "
                                              "interest + costs > paid + 100 ORDER BY id",
                                              debtor);
      g_autofree char *position = query_text (store, sql, rand);
      g_autofree char *id = NULL;
      EsaPayment payment = { 0 };

      if (position == NULL)
        return;
      payment.debtor_id = debtor;
      payment.position_id = position;
      payment.amount = 100;
      payment.currency = "EUR";
      payment.paid_on = "2026-11-02";
      payment.channel = "cash";
      id = esa_store_add_payment (store, &payment, &error);
      if (id == NULL)
        return;
      (*out_events)++;
    }
  g_assert_no_error (error);
}

/* Reads the server's database beside the running server (WAL). */
static gint64
server_count (Net        *net,
              const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  if (net->db == NULL)
    {
      g_autofree char *path = g_build_filename (net->dir, "server.db", NULL);

      g_assert_cmpint (sqlite3_open_v2 (path, &net->db, SQLITE_OPEN_READONLY, NULL), ==,
                       SQLITE_OK);
    }
  g_assert_cmpint (sqlite3_prepare_v2 (net->db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

/* Every row of @mine is the server's row with the same key. */
static void
assert_server_rows (guint64     seed,
                    const char *table,
                    const char *who,
                    JsonObject *mine,
                    JsonObject *theirs)
{
  g_autoptr(GList) keys = json_object_get_members (mine);

  for (GList *k = keys; k != NULL; k = k->next)
    {
      JsonNode *server_row = json_object_get_member (theirs, k->data);

      if (server_row == NULL
          || !json_node_equal (server_row, json_object_get_member (mine, k->data)))
        g_error ("seed %" G_GUINT64_FORMAT ": row %s of %s on %s differs from the server's",
                 seed, (const char *) k->data, table, who);
    }
}

static gboolean
run_seed (guint64 seed)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = esa_sync_test_make_dir ("esa-sim-XXXXXX", &error);
  g_autofree char *from = g_build_filename (template_dir, "server.db", NULL);
  g_autofree char *to = g_build_filename (dir, "server.db", NULL);
  EsaStore *stores[N_CLIENTS];
  EsaSyncClient *clients[N_CLIENTS];
  g_autoptr(EsaStore) field_store = NULL;
  g_autoptr(EsaSyncClient) field_client = NULL;
  g_autoptr(GPtrArray) op_ids = g_ptr_array_new_with_free_func (g_free);
  Net net = { 0 };
  guint events = 0;
  gint64 server_events_before;
  gint64 server_events_after;
  g_autoptr(EsaSyncDirect) direct = NULL;

  g_assert_no_error (error);
  esa_sync_test_copy_file (from, to);
  net.dir = dir;
  net.rand = g_rand_new_with_seed ((guint32) seed);
  restart_server (&net);
  direct = esa_sync_direct_new (network, &net);
  server_events_before = server_count (&net, "SELECT (SELECT count(*) FROM payments) + "
                                             "(SELECT count(*) FROM contact_log)");

  for (guint c = 0; c < N_CLIENTS; c++)
    {
      EsaSyncReport report = { 0 };

      g_autofree char *name = g_strdup_printf ("client-%u.db", c);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      /* A copy of a migrated file opens without running the migrations. */
      esa_sync_test_copy_file (client_template, path);
      stores[c] = esa_store_open (path, &error);
      g_assert_no_error (error);
      esa_store_set_acting_user (stores[c], officers[c].user_id);
      esa_store_set_procedures (stores[c], sim_procedures, sim_params);
      /* Clock skew: up to ten minutes either way. */
      _esa_store_set_clock_offset (stores[c], g_rand_int_range (net.rand, -600000, 600000));
      clients[c] = esa_sync_client_new (stores[c], ESA_SYNC_TRANSPORT (direct));
      g_assert_true (esa_sync_client_set_token (clients[c], officers[c].token, NULL, &error));
      /* The replica is up to date: the first pull brings nothing. */
      g_assert_true (esa_sync_client_pull (clients[c], &report, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (report.pulled, ==, 0);
    }

  {
    g_autofree char *path = g_build_filename (dir, "field.db", NULL);

    esa_sync_test_copy_file (field_template, path);
    field_store = esa_store_open (path, &error);
    g_assert_no_error (error);
    esa_store_set_acting_user (field_store, field.user_id);
    esa_store_set_procedures (field_store, sim_procedures, sim_params);
    _esa_store_set_clock_offset (field_store, g_rand_int_range (net.rand, -600000, 600000));
    field_client = esa_sync_client_new (field_store, ESA_SYNC_TRANSPORT (direct));
    g_assert_true (esa_sync_client_set_token (field_client, field.token, NULL, &error));
  }

  /* Rounds of offline work and faulty syncs, the server restarting now and
   * then. */
  net.faults = TRUE;
  for (guint round = 0; round < 4; round++)
    {
      for (guint c = 0; c < N_CLIENTS; c++)
        {
          guint n = (guint) g_rand_int_range (net.rand, 0, 4);

          for (guint i = 0; i < n; i++)
            random_work (stores[c], net.rand, &events);
        }
      /* Officer 0 takes a dossier offline for the field officer, or takes
       * one back; the field officer works on what they have. */
      if (g_rand_int_range (net.rand, 0, 2) == 0)
        {
          g_autofree char *sql = g_strdup_printf ("SELECT id FROM debtors WHERE id NOT IN "
                                                  "(SELECT debtor_id FROM assignments WHERE "
                                                  "user_id = '%s') ORDER BY id",
                                                  field.user_id);
          g_autofree char *debtor = query_text (stores[0], sql, net.rand);
          g_autofree char *id = NULL;

          if (debtor != NULL)
            id = esa_store_sync_assign (stores[0], debtor, field.user_id, NULL);
        }
      else if (g_rand_int_range (net.rand, 0, 2) == 0)
        {
          g_autofree char *sql = g_strdup_printf ("SELECT debtor_id FROM assignments WHERE "
                                                  "user_id = '%s' ORDER BY debtor_id",
                                                  field.user_id);
          g_autofree char *debtor = query_text (stores[0], sql, net.rand);

          if (debtor != NULL)
            esa_store_sync_unassign (stores[0], debtor, field.user_id, NULL);
        }
      for (guint i = 0, n = (guint) g_rand_int_range (net.rand, 0, 3); i < n; i++)
        random_work (field_store, net.rand, &events);
      {
        EsaSyncReport report = { 0 };
        g_autoptr(GError) sync_error = NULL;

        esa_sync_client_sync (field_client, &report, NULL, &sync_error);
      }
      for (guint c = 0; c < N_CLIENTS; c++)
        {
          EsaSyncReport report = { 0 };
          g_autoptr(GError) sync_error = NULL;
          guint order = (guint) g_rand_int_range (net.rand, 0, 2);

          /* A failure keeps the outbox; the next round retries. */
          if (order == 0)
            esa_sync_client_sync (clients[c], &report, NULL, &sync_error);
          else
            esa_sync_client_pull (clients[c], &report, NULL, &sync_error);
        }
      if (g_rand_int_range (net.rand, 0, 3) == 0)
        restart_server (&net);
    }

  /* Every op id the clients made. */
  for (guint c = 0; c <= N_CLIENTS; c++)
    {
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (_esa_store_get_db (c < N_CLIENTS ? stores[c]
                                                                            : field_store),
                                           "SELECT op_id FROM outbox", -1, &stmt, NULL),
                       ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_ptr_array_add (op_ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      sqlite3_finalize (stmt);
    }

  /* Quiescence: a held push arrives, then everyone syncs twice. */
  net.faults = FALSE;
  if (net.held != NULL)
    {
      guint status;
      g_autoptr(JsonNode) late = serve (&net, "POST", "/push", net.held_token, net.held,
                                        &status);

      g_clear_pointer (&net.held, json_node_unref);
      g_clear_pointer (&net.held_token, g_free);
    }
  for (guint pass = 0; pass < 2; pass++)
    for (guint c = 0; c <= N_CLIENTS; c++)
      {
        EsaSyncReport report = { 0 };

        if (!esa_sync_client_sync (c < N_CLIENTS ? clients[c] : field_client, &report, NULL,
                                   &error))
          g_error ("seed %" G_GUINT64_FORMAT ": quiescent sync failed: %s", seed,
                   error->message);
      }

  totals.ops += op_ids->len;
  for (guint c = 0; c < N_CLIENTS; c++)
    totals.conflicts += (guint64) esa_sync_test_count (stores[c], "SELECT count(*) FROM outbox "
                                                          "WHERE result = 'conflict'");
  totals.conflicts += (guint64) esa_sync_test_count (field_store, "SELECT count(*) FROM outbox "
                                                          "WHERE result = 'conflict'");

  /* No lost op: every one reached the server; the outboxes are empty. */
  for (guint i = 0; i < op_ids->len; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM ops WHERE op_id = '%s'",
                                              (const char *) op_ids->pdata[i]);

      if (server_count (&net, sql) != 1)
        g_error ("seed %" G_GUINT64_FORMAT ": operation %s was lost", seed,
                 (const char *) op_ids->pdata[i]);
    }
  for (guint c = 0; c < N_CLIENTS; c++)
    g_assert_cmpint (esa_store_count_pending_ops (stores[c], NULL), ==, 0);
  g_assert_cmpint (esa_store_count_pending_ops (field_store, NULL), ==, 0);
  /* Every write's captured rows went with its operation. */
  for (guint c = 0; c < N_CLIENTS; c++)
    g_assert_cmpint (esa_sync_test_count (stores[c], "SELECT count(*) FROM sync_capture"), ==, 0);
  g_assert_cmpint (esa_sync_test_count (field_store, "SELECT count(*) FROM sync_capture"), ==, 0);

  /* No double apply, nothing dropped: every event is on the server once,
   * or, refused (a dossier no longer in the field officer's scope), kept in a
   * conflict with what was entered. */
  {
    gint64 refused = 0;

    for (guint c = 0; c <= N_CLIENTS; c++)
      {
        sqlite3_stmt *stmt = NULL;

        g_assert_cmpint (sqlite3_prepare_v2 (_esa_store_get_db (c < N_CLIENTS ? stores[c]
                                                                              : field_store),
                                             "SELECT op_id FROM outbox WHERE kind = 'event' "
                                             "AND entity IN ('payment', 'contact') "
                                             "AND result = 'conflict'",
                                             -1, &stmt, NULL),
                         ==, SQLITE_OK);
        while (sqlite3_step (stmt) == SQLITE_ROW)
          {
            g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM conflicts WHERE "
                                                    "op_id = '%s' AND local IS NOT NULL",
                                                    sqlite3_column_text (stmt, 0));

            if (server_count (&net, sql) != 1)
              g_error ("seed %" G_GUINT64_FORMAT ": a refused event has no conflict", seed);
            refused++;
          }
        sqlite3_finalize (stmt);
      }
    server_events_after = server_count (&net, "SELECT (SELECT count(*) FROM payments) + "
                                              "(SELECT count(*) FROM contact_log)");
    if (server_events_after != server_events_before + events - refused)
      g_error ("seed %" G_GUINT64_FORMAT ": %u events recorded, %" G_GINT64_FORMAT " refused, "
               "the server has %" G_GINT64_FORMAT " more",
               seed, events, refused, server_events_after - server_events_before);
  }

  /* Convergence: the replicas are equal, and equal to the server: every
   * row a device has is the server's row; no row of another office. */
  {
    guint n_tables;
    const EsaSyncTable *tables = esa_store_sync_tables (&n_tables);
    g_autofree char *path = g_build_filename (dir, "server.db", NULL);
    g_autoptr(EsaStore) server = esa_store_open (path, &error);
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM debtors WHERE office_id = '%s'",
                                            officers[0].office_id);

    g_assert_no_error (error);
    for (guint t = 0; t < n_tables; t++)
      {
        g_autoptr(JsonObject) first = esa_store_sync_dump_table (stores[0], tables[t].name,
                                                                 &error);
        g_autoptr(JsonNode) first_node = json_node_init_object (json_node_alloc (), first);
        g_autoptr(JsonObject) theirs = esa_store_sync_dump_table (server, tables[t].name, &error);
        g_autoptr(JsonObject) field_rows = esa_store_sync_dump_table (field_store, tables[t].name,
                                                                      &error);

        g_assert_no_error (error);
        for (guint c = 1; c < N_CLIENTS; c++)
          {
            g_autoptr(JsonObject) other = esa_store_sync_dump_table (stores[c], tables[t].name,
                                                                     &error);
            g_autoptr(JsonNode) other_node = json_node_init_object (json_node_alloc (), other);

            if (!json_node_equal (first_node, other_node))
              g_error ("seed %" G_GUINT64_FORMAT ": table %s differs between clients 0 and %u",
                       seed, tables[t].name, c);
          }
        assert_server_rows (seed, tables[t].name, "client 0", first, theirs);
        assert_server_rows (seed, tables[t].name, "the field officer", field_rows, theirs);
      }
    if (server_count (&net, sql) != esa_store_count_debtors (stores[0], NULL))
      g_error ("seed %" G_GUINT64_FORMAT ": the client misses debtors of its office", seed);

    /* The field officer holds exactly the dossiers assigned to them. */
    {
      g_autofree char *assigned_sql = g_strdup_printf (
        "SELECT group_concat(debtor_id, ',') FROM (SELECT debtor_id FROM assignments "
        "WHERE user_id = '%s' ORDER BY debtor_id)", field.user_id);
      g_autofree char *expected = query_text (stores[0], assigned_sql, net.rand);
      g_autofree char *held = query_text (field_store,
                                          "SELECT group_concat(id, ',') FROM "
                                          "(SELECT id FROM debtors ORDER BY id)",
                                          net.rand);
      gint64 stray = esa_sync_test_count (field_store,
                                  "SELECT (SELECT count(*) FROM positions WHERE debtor_id NOT "
                                  "IN (SELECT id FROM debtors)) + (SELECT count(*) FROM cases "
                                  "WHERE debtor_id NOT IN (SELECT id FROM debtors)) + "
                                  "(SELECT count(*) FROM payments WHERE debtor_id NOT IN "
                                  "(SELECT id FROM debtors))");

      if (g_strcmp0 (expected, held) != 0 || stray != 0)
        g_error ("seed %" G_GUINT64_FORMAT ": the field officer holds dossiers %s, assigned "
                 "are %s (%" G_GINT64_FORMAT " rows of no dossier)",
                 seed, held != NULL ? held : "none", expected != NULL ? expected : "none",
                 stray);
    }
    for (guint c = 0; c < N_CLIENTS; c++)
      {
        g_autofree char *other = g_strdup_printf ("SELECT count(*) FROM debtors "
                                                  "WHERE office_id <> '%s'",
                                                  officers[c].office_id);
        sqlite3_stmt *stmt = NULL;

        g_assert_cmpint (sqlite3_prepare_v2 (_esa_store_get_db (stores[c]), other, -1, &stmt,
                                             NULL), ==, SQLITE_OK);
        g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
        if (sqlite3_column_int64 (stmt, 0) != 0)
          g_error ("seed %" G_GUINT64_FORMAT ": client %u holds debtors of another office",
                   seed, c);
        sqlite3_finalize (stmt);
      }
  }

  for (guint c = 0; c < N_CLIENTS; c++)
    {
      g_object_unref (clients[c]);
      g_object_unref (stores[c]);
    }
  g_clear_object (&field_client);
  g_clear_object (&field_store);
  g_clear_pointer (&net.db, sqlite3_close);
  g_clear_pointer (&net.core, esa_server_core_free);
  g_rand_free (net.rand);
  esa_sync_test_remove_dir (dir);
  return TRUE;
}


/* Every synced table holds the same rows on both databases. */
static void
assert_replicas_agree (EsaStore *a,
                       EsaStore *b)
{
  g_autoptr(GError) error = NULL;
  guint n_tables;
  const EsaSyncTable *tables = esa_store_sync_tables (&n_tables);

  for (guint t = 0; t < n_tables; t++)
    {
      g_autoptr(JsonObject) dump_a = esa_store_sync_dump_table (a, tables[t].name, &error);
      g_autoptr(JsonObject) dump_b = esa_store_sync_dump_table (b, tables[t].name, &error);
      g_autoptr(JsonNode) node_a = json_node_init_object (json_node_alloc (), dump_a);
      g_autoptr(JsonNode) node_b = json_node_init_object (json_node_alloc (), dump_b);

      g_assert_no_error (error);
      if (!json_node_equal (node_a, node_b))
        g_error ("table %s differs between the two officers", tables[t].name);
    }
}

/* Reads the server's database of the two-officer scenario. */
static gint64
scenario_count (EsaSyncTwoOfficers *two,
                const char         *sql)
{
  Net net = { 0 };
  gint64 n;

  net.dir = two->dir;
  n = server_count (&net, sql);
  g_clear_pointer (&net.db, sqlite3_close);
  return n;
}

/* The "Must show": two officers work offline on the same dossier;
 * one changes the address, the other records a payment and issues an act,
 * and both issue the same act. After both sync, both databases and the
 * server agree, there is exactly one act, and exactly one conflict, which
 * both see. */
static void
test_two_officers (void)
{
  g_autoptr(EsaSyncTwoOfficers) two = esa_sync_test_two_officers (sim_procedures, sim_params);
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  EsaSyncReport report = { 0 };

  if (two == NULL)
    {
      g_test_skip ("the demo office has no case with an act to issue today");
      return;
    }

  /* Exactly one new act, everywhere; exactly one conflict, seen by both. */
  g_assert_cmpuint (two->b_conflicts, ==, 1);
  g_assert_cmpint (scenario_count (two, "SELECT count(*) FROM acts"), ==, two->server_acts + 1);
  sql = g_strdup_printf ("SELECT count(*) FROM acts WHERE id IN (SELECT act_id FROM "
                         "case_event_acts WHERE event_id IN ('%s', '%s'))",
                         two->event_a, two->event_b);
  g_assert_cmpint (esa_sync_test_count (two->a, sql), ==, 1);
  g_assert_cmpint (esa_sync_test_count (two->b, sql), ==, 1);
  g_assert_cmpint (scenario_count (two, sql), ==, 1);
  g_assert_cmpint (scenario_count (two, "SELECT count(*) FROM conflicts"), ==, 1);
  g_assert_cmpint (esa_sync_test_count (two->a, "SELECT count(*) FROM conflicts WHERE state = 'open'"),
                   ==, 1);
  g_assert_cmpint (esa_sync_test_count (two->b, "SELECT count(*) FROM conflicts WHERE state = 'open'"),
                   ==, 1);
  g_assert_cmpint (esa_store_count_pending_ops (two->a, NULL), ==, 0);
  g_assert_cmpint (esa_store_count_pending_ops (two->b, NULL), ==, 0);
  /* B's payment and A's address arrived on both. */
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM addresses WHERE street = 'Via dei Campi 3' "
                         "AND debtor_id = '%s'", two->debtor);
  g_assert_cmpint (esa_sync_test_count (two->b, sql), ==, 1);
  if (two->payment_id != NULL)
    {
      g_clear_pointer (&sql, g_free);
      sql = g_strdup_printf ("SELECT count(*) FROM payments WHERE id = '%s'", two->payment_id);
      g_assert_cmpint (esa_sync_test_count (two->a, sql), ==, 1);
    }

  /* The two databases agree. */
  assert_replicas_agree (two->a, two->b);

  /* B applies their step again: it is taken again on the case as it is now
   * (or, when the procedure no longer offers it, B keeps the server's
   * version); after both sync, everybody agrees again and the conflict is
   * resolved everywhere. */
  {
    g_autoptr(GPtrArray) open = esa_store_sync_list_conflicts (two->b, TRUE, &error);
    EsaSyncConflict *conflict;

    g_assert_no_error (error);
    g_assert_cmpuint (open->len, ==, 1);
    conflict = g_ptr_array_index (open, 0);
    g_assert_nonnull (conflict->created_at);
    g_assert_cmpstr (conflict->user_id, ==, two->user_b);
    if (!esa_store_sync_apply_mine_again (two->b, conflict->id, &error))
      {
        g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
        g_test_message ("apply mine again: %s", error->message);
        g_clear_error (&error);
        g_assert_true (esa_store_sync_resolve_conflict (two->b, conflict->id, "kept", &error));
      }
    g_assert_no_error (error);
    g_assert_cmpint (esa_store_count_pending_ops (two->b, NULL), >=, 1);
  }
  g_assert_true (esa_sync_client_sync (two->client_b, &report, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (esa_sync_client_sync (two->client_a, &report, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (esa_sync_client_sync (two->client_b, &report, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (esa_store_count_pending_ops (two->a, NULL), ==, 0);
  g_assert_cmpint (esa_store_count_pending_ops (two->b, NULL), ==, 0);
  g_assert_cmpint (scenario_count (two, "SELECT count(*) FROM conflicts WHERE state = 'open'"),
                   ==, 0);
  g_assert_cmpint (esa_sync_test_count (two->a, "SELECT count(*) FROM conflicts WHERE state = 'resolved'"),
                   ==, 1);
  assert_replicas_agree (two->a, two->b);
}

static gint64
late_clock (gpointer data)
{
  /* Nine hours on: past a token's working day. */
  return g_get_real_time () / G_USEC_PER_SEC + 9 * 3600;
}

/* Login online remembers the credentials for an offline login; no network,
 * a wrong password and an expired token each fail with their own error and
 * leave the outbox as it was; a new login then syncs it. */
static void
test_login_and_failures (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = esa_sync_test_make_dir ("esa-sim-login-XXXXXX", &error);
  g_autofree char *from = g_build_filename (template_dir, "server.db", NULL);
  g_autofree char *to = g_build_filename (dir, "server.db", NULL);
  g_autofree char *path = g_build_filename (dir, "client.db", NULL);
  g_autofree char *debtor = NULL;
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(EsaSyncDirect) direct = NULL;
  g_autoptr(EsaSyncClient) client = NULL;
  EsaSyncReport report = { 0 };
  gboolean offline = TRUE;
  Net net = { 0 };

  g_assert_no_error (error);
  esa_sync_test_copy_file (from, to);
  esa_sync_test_copy_file (client_template, path);
  net.dir = dir;
  net.rand = g_rand_new_with_seed (1);
  restart_server (&net);
  direct = esa_sync_direct_new (network, &net);
  store = esa_store_open (path, &error);
  g_assert_no_error (error);
  esa_store_set_acting_user (store, officers[0].user_id);
  client = esa_sync_client_new (store, ESA_SYNC_TRANSPORT (direct));

  /* Not logged in: nothing is sent. */
  g_assert_false (esa_sync_client_sync (client, &report, NULL, &error));
  g_assert_error (error, ESA_SYNC_ERROR, ESA_SYNC_ERROR_TOKEN_EXPIRED);
  g_clear_error (&error);

  g_assert_true (esa_sync_client_login (client, officers[0].login, PASSWORD, &offline, NULL,
                                        &error));
  g_assert_no_error (error);
  g_assert_false (offline);

  debtor = query_text (store, "SELECT id FROM debtors ORDER BY id", net.rand);
  g_assert_true (esa_store_update_debtor_field (store, debtor, "name", "Offline Olga", &error));
  g_assert_no_error (error);
  g_assert_cmpint (esa_store_count_pending_ops (store, NULL), ==, 1);

  /* No network: the sync fails, the operation waits; the officer logs in
   * offline with the same credentials, not with others. */
  net.down = TRUE;
  g_assert_false (esa_sync_client_sync (client, &report, NULL, &error));
  g_assert_error (error, ESA_SYNC_ERROR, ESA_SYNC_ERROR_OFFLINE);
  g_clear_error (&error);
  g_assert_cmpint (esa_sync_client_get_status (client), ==, ESA_SYNC_STATUS_OFFLINE);
  g_assert_cmpint (esa_store_count_pending_ops (store, NULL), ==, 1);
  g_assert_true (esa_sync_client_login (client, officers[0].login, PASSWORD, &offline, NULL,
                                        &error));
  g_assert_no_error (error);
  g_assert_true (offline);
  g_assert_false (esa_sync_client_login (client, officers[0].login, "wrong", &offline, NULL,
                                         &error));
  g_assert_error (error, ESA_SYNC_ERROR, ESA_SYNC_ERROR_WRONG_CREDENTIALS);
  g_clear_error (&error);
  g_assert_false (esa_sync_client_login (client, officers[1].login, PASSWORD, &offline, NULL,
                                         &error));
  g_assert_error (error, ESA_SYNC_ERROR, ESA_SYNC_ERROR_OFFLINE);
  g_clear_error (&error);
  g_assert_false (esa_sync_client_login_offline (store, officers[0].login, "wrong", &error));
  g_assert_error (error, ESA_SYNC_ERROR, ESA_SYNC_ERROR_WRONG_CREDENTIALS);
  g_clear_error (&error);
  g_assert_false (esa_sync_client_login_offline (store, officers[1].login, PASSWORD, &error));
  g_assert_error (error, ESA_SYNC_ERROR, ESA_SYNC_ERROR_WRONG_CREDENTIALS);
  g_clear_error (&error);
  net.down = FALSE;

  /* A wrong password at the server. */
  g_assert_false (esa_sync_client_login (client, officers[0].login, "wrong", &offline, NULL,
                                         &error));
  g_assert_error (error, ESA_SYNC_ERROR, ESA_SYNC_ERROR_WRONG_CREDENTIALS);
  g_clear_error (&error);
  g_assert_cmpint (esa_store_count_pending_ops (store, NULL), ==, 1);

  /* The token expires: a clear error, the outbox untouched; a new login
   * syncs it. */
  esa_server_core_set_clock (net.core, late_clock, NULL);
  g_assert_false (esa_sync_client_sync (client, &report, NULL, &error));
  g_assert_error (error, ESA_SYNC_ERROR, ESA_SYNC_ERROR_TOKEN_EXPIRED);
  g_clear_error (&error);
  g_assert_cmpint (esa_store_count_pending_ops (store, NULL), ==, 1);
  g_assert_true (esa_sync_client_login (client, officers[0].login, PASSWORD, &offline, NULL,
                                        &error));
  g_assert_no_error (error);
  memset (&report, 0, sizeof report);
  g_assert_true (esa_sync_client_sync (client, &report, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.applied, ==, 1);
  g_assert_cmpint (esa_store_count_pending_ops (store, NULL), ==, 0);
  g_assert_cmpint (esa_sync_client_get_status (client), ==, ESA_SYNC_STATUS_IDLE);

  g_clear_object (&client);
  g_clear_object (&store);
  g_clear_pointer (&net.db, sqlite3_close);
  g_clear_pointer (&net.core, esa_server_core_free);
  g_rand_free (net.rand);
  esa_sync_test_remove_dir (dir);
}

/* ---- background sync ----------------------------------------------------- */

/* A network monitor the test switches: the background sync follows it as it
 * follows the system's. */
#define SIM_TYPE_MONITOR (sim_monitor_get_type ())
G_DECLARE_FINAL_TYPE (SimMonitor, sim_monitor, SIM, MONITOR, GObject)

struct _SimMonitor
{
  GObject  parent_instance;
  gboolean available;
};

enum
{
  MONITOR_PROP_0,
  MONITOR_PROP_AVAILABLE,
  MONITOR_PROP_METERED,
  MONITOR_PROP_CONNECTIVITY,
};

static void sim_monitor_iface_init (GNetworkMonitorInterface *iface);
static void sim_monitor_initable_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SimMonitor, sim_monitor, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      sim_monitor_initable_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR,
                                                      sim_monitor_iface_init))

static gboolean
sim_monitor_init_initable (GInitable     *initable,
                           GCancellable  *cancellable,
                           GError       **error)
{
  return TRUE;
}

static void
sim_monitor_initable_init (GInitableIface *iface)
{
  iface->init = sim_monitor_init_initable;
}

static gboolean
sim_monitor_can_reach (GNetworkMonitor     *monitor,
                       GSocketConnectable  *connectable,
                       GCancellable        *cancellable,
                       GError             **error)
{
  if (SIM_MONITOR (monitor)->available)
    return TRUE;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE, "network down");
  return FALSE;
}

static void
sim_monitor_iface_init (GNetworkMonitorInterface *iface)
{
  iface->can_reach = sim_monitor_can_reach;
}

static void
sim_monitor_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  SimMonitor *self = SIM_MONITOR (object);

  switch (prop_id)
    {
    case MONITOR_PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case MONITOR_PROP_METERED:
      g_value_set_boolean (value, FALSE);
      break;
    case MONITOR_PROP_CONNECTIVITY:
      g_value_set_enum (value, self->available ? G_NETWORK_CONNECTIVITY_FULL
                                               : G_NETWORK_CONNECTIVITY_LOCAL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sim_monitor_class_init (SimMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = sim_monitor_get_property;
  g_object_class_override_property (object_class, MONITOR_PROP_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, MONITOR_PROP_METERED, "network-metered");
  g_object_class_override_property (object_class, MONITOR_PROP_CONNECTIVITY, "connectivity");
}

static void
sim_monitor_init (SimMonitor *self)
{
}

static void
sim_monitor_set_available (SimMonitor *self,
                           gboolean    available)
{
  self->available = available;
  g_object_notify (G_OBJECT (self), "network-available");
  g_signal_emit_by_name (self, "network-changed", available);
}

static void
count_synced (EsaSyncClient *client,
              gpointer       report,
              guint         *synced)
{
  (*synced)++;
}

/* Runs the main context until @counter passes @above (the background
 * sync's signals arrive there), failing after a minute. */
static void
wait_for (guint *counter,
          guint  above)
{
  gint64 until = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (*counter <= above)
    {
      if (g_get_monotonic_time () > until)
        g_error ("the background sync did not finish within a minute");
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* The background sync follows the network monitor: while the network is
 * down nothing is sent and the state is offline; when it comes up a sync
 * runs and the outbox empties; while it is up it syncs periodically. */
static void
test_background (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = esa_sync_test_make_dir ("esa-sim-background-XXXXXX", &error);
  g_autofree char *from = g_build_filename (template_dir, "server.db", NULL);
  g_autofree char *to = g_build_filename (dir, "server.db", NULL);
  g_autofree char *path = g_build_filename (dir, "client.db", NULL);
  g_autofree char *debtor = NULL;
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(EsaSyncDirect) direct = NULL;
  g_autoptr(EsaSyncClient) client = NULL;
  g_autoptr(SimMonitor) monitor = g_object_new (SIM_TYPE_MONITOR, NULL);
  guint synced = 0;
  Net net = { 0 };

  g_assert_no_error (error);
  esa_sync_test_copy_file (from, to);
  esa_sync_test_copy_file (client_template, path);
  net.dir = dir;
  net.rand = g_rand_new_with_seed (1);
  restart_server (&net);
  direct = esa_sync_direct_new (network, &net);
  store = esa_store_open (path, &error);
  g_assert_no_error (error);
  esa_store_set_acting_user (store, officers[0].user_id);
  client = esa_sync_client_new (store, ESA_SYNC_TRANSPORT (direct));
  g_assert_true (esa_sync_client_set_token (client, officers[0].token, NULL, &error));
  esa_sync_client_set_network_monitor (client, G_NETWORK_MONITOR (monitor));
  g_signal_connect (client, "synced", G_CALLBACK (count_synced), &synced);

  debtor = query_text (store, "SELECT id FROM debtors ORDER BY id", net.rand);
  g_assert_true (esa_store_update_debtor_field (store, debtor, "name", "Rete Giù", &error));
  g_assert_no_error (error);
  g_assert_cmpint (esa_store_count_pending_ops (store, NULL), ==, 1);

  /* Network down: no request, offline, the operation waits. */
  g_assert_true (esa_sync_client_start_background (client, 1, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpint (esa_sync_client_get_status (client), ==, ESA_SYNC_STATUS_OFFLINE);
  g_assert_cmpuint (net.requests, ==, 0);
  g_assert_cmpuint (synced, ==, 0);
  esa_sync_client_sync_now (client);
  g_assert_cmpuint (net.requests, ==, 0);
  g_assert_cmpint (esa_store_count_pending_ops (store, NULL), ==, 1);

  /* Up: a sync runs and the outbox empties. */
  sim_monitor_set_available (monitor, TRUE);
  wait_for (&synced, 0);
  g_assert_cmpuint (net.requests, >, 0);
  g_assert_cmpint (esa_store_count_pending_ops (store, NULL), ==, 0);
  g_assert_cmpint (esa_sync_client_get_status (client), ==, ESA_SYNC_STATUS_IDLE);

  /* While it is up, the next change goes out with the next periodic sync. */
  g_assert_true (esa_store_update_debtor_field (store, debtor, "name", "Rete Su", &error));
  g_assert_no_error (error);
  wait_for (&synced, synced);
  g_assert_cmpint (esa_store_count_pending_ops (store, NULL), ==, 0);

  /* Down again: offline, and the periodic sync sends nothing. */
  sim_monitor_set_available (monitor, FALSE);
  g_assert_cmpint (esa_sync_client_get_status (client), ==, ESA_SYNC_STATUS_OFFLINE);

  esa_sync_client_stop_background (client);
  g_clear_object (&client);
  g_clear_object (&store);
  g_clear_pointer (&net.db, sqlite3_close);
  g_clear_pointer (&net.core, esa_server_core_free);
  g_rand_free (net.rand);
  esa_sync_test_remove_dir (dir);
}

static guint64 only_seed;

static void
test_seeds (void)
{
  const char *env = g_getenv ("ESATTORE_SIM_SEEDS");
  guint64 n = env != NULL ? g_ascii_strtoull (env, NULL, 10) : 1000;

  if (only_seed != 0)
    {
      g_test_message ("seed %" G_GUINT64_FORMAT, only_seed);
      run_seed (only_seed);
      return;
    }
  for (guint64 seed = 1; seed <= n; seed++)
    run_seed (seed);
  g_test_message ("%" G_GUINT64_FORMAT " seeds: %" G_GUINT64_FORMAT " operations, %"
                  G_GUINT64_FORMAT " conflicts, %" G_GUINT64_FORMAT " messages lost, %"
                  G_GUINT64_FORMAT " duplicated, %" G_GUINT64_FORMAT " delivered late, %"
                  G_GUINT64_FORMAT " server restarts",
                  n, totals.ops, totals.conflicts, totals.lost, totals.duplicated, totals.held,
                  totals.restarts);
}

static void
make_template (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaServerCore) core = NULL;
  g_autoptr(EsaStore) store = NULL;
  g_autofree char *path = NULL;
  sqlite3_stmt *stmt = NULL;
  guint n = 0;

  {
    g_autofree char *procedures_dir = esa_data_dir ("procedures");

    sim_params = esa_parameters_load_default (&error);
    g_assert_no_error (error);
    sim_procedures = esa_procedure_load_dir (procedures_dir, sim_params, &error);
    g_assert_no_error (error);
  }
  template_dir = esa_sync_test_make_dir ("esa-sim-template-XXXXXX", &error);
  g_assert_no_error (error);
  client_template = g_build_filename (template_dir, "client.db", NULL);
  g_assert_true (esa_server_core_init (template_dir, PASSWORD, NULL, NULL, &error));
  g_assert_no_error (error);
  core = esa_server_core_open (template_dir, &error);
  g_assert_no_error (error);
  g_assert_true (esa_server_core_demo (core, 8, 3, &error));
  g_assert_no_error (error);

  /* Three officers of the first office with debtors. */
  path = g_build_filename (template_dir, "server.db", NULL);
  store = esa_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_prepare_v2 (_esa_store_get_db (store),
                                       "SELECT login, role, office_id, id FROM users WHERE office_id = "
                                       "(SELECT office_id FROM debtors GROUP BY office_id "
                                       "ORDER BY count(*) DESC LIMIT 1) ORDER BY login",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (n < N_CLIENTS && sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *role = (const char *) sqlite3_column_text (stmt, 1);
      g_autofree char *id = NULL;

      /* A field officer sees only assigned dossiers; the others the office. */
      if (g_str_equal (role, "field_officer") || g_str_equal (role, "auditor")
          || g_str_equal (role, "contact_operator"))
        continue;
      officers[n].login = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      officers[n].office_id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      officers[n].user_id = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      id = esa_server_core_user_add (core, officers[n].login, role, officers[n].office_id,
                                     PASSWORD, &error);
      g_assert_no_error (error);
      n++;
    }
  sqlite3_finalize (stmt);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT login, id FROM users WHERE role = "
                                            "'field_officer' AND office_id = '%s' "
                                            "ORDER BY login LIMIT 1",
                                            officers[0].office_id);
    g_autofree char *id = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (_esa_store_get_db (store), sql, -1, &stmt, NULL), ==,
                     SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    field.login = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    field.user_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    field.office_id = g_strdup (officers[0].office_id);
    sqlite3_finalize (stmt);
    id = esa_server_core_user_add (core, field.login, "field_officer", field.office_id,
                                   PASSWORD, &error);
    g_assert_no_error (error);
  }
  g_clear_object (&store);
  g_assert_cmpuint (n, ==, N_CLIENTS);

  for (guint c = 0; c <= N_CLIENTS; c++)
    {
      Officer *officer = c < N_CLIENTS ? &officers[c] : &field;

      officer->token = esa_sync_test_login (core, officer->login);
    }

  /* The field officer's replica: the office's rows, no dossier yet. */
  field_template = g_build_filename (template_dir, "field.db", NULL);
  {
    g_autoptr(EsaStore) client = esa_store_open (field_template, &error);
    g_autoptr(EsaSyncDirect) direct = NULL;
    g_autoptr(EsaSyncClient) sync = NULL;
    EsaSyncReport report = { 0 };
    Net net = { 0 };

    g_assert_no_error (error);
    net.core = core;
    net.dir = template_dir;
    direct = esa_sync_direct_new (network, &net);
    sync = esa_sync_client_new (client, ESA_SYNC_TRANSPORT (direct));
    g_assert_true (esa_sync_client_set_token (sync, field.token, NULL, &error));
    g_assert_true (esa_sync_client_pull (sync, &report, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (esa_store_count_debtors (client, NULL), ==, 0);
    g_assert_true (esa_store_sync_state_set (client, ESA_SYNC_STATE_TOKEN, NULL, &error));
    g_assert_true (_esa_store_exec (client, "PRAGMA wal_checkpoint(TRUNCATE)", &error));
    g_clear_pointer (&net.db, sqlite3_close);
  }

  /* The office's replica as a first sync makes it (the three officers share
   * the office's scope); every seed starts from a copy. */
  {
    g_autoptr(EsaStore) client = esa_store_open (client_template, &error);
    g_autoptr(EsaSyncDirect) direct = NULL;
    g_autoptr(EsaSyncClient) sync = NULL;
    EsaSyncReport report = { 0 };
    Net net = { 0 };

    g_assert_no_error (error);
    net.core = core;
    net.dir = template_dir;
    direct = esa_sync_direct_new (network, &net);
    sync = esa_sync_client_new (client, ESA_SYNC_TRANSPORT (direct));
    g_assert_true (esa_sync_client_set_token (sync, officers[0].token, NULL, &error));
    g_assert_true (esa_sync_client_pull (sync, &report, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (report.pulled, >, 0);
    g_assert_true (esa_store_sync_state_set (client, ESA_SYNC_STATE_TOKEN, NULL, &error));
    /* One file: the copies need no write-ahead log beside them. */
    g_assert_true (_esa_store_exec (client, "PRAGMA wal_checkpoint(TRUNCATE)", &error));
  }
}

int
main (int    argc,
      char **argv)
{
  int status;
  int kept = 1;

  /* --seed N is ours (GLib's test framework has a --seed of its own for its
   * random numbers): taken out before g_test_init() sees it. */
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--seed") && i + 1 < argc)
        only_seed = g_ascii_strtoull (argv[++i], NULL, 10);
      else if (g_str_has_prefix (argv[i], "--seed="))
        only_seed = g_ascii_strtoull (argv[i] + 7, NULL, 10);
      else
        argv[kept++] = argv[i];
    }
  argc = kept;
  argv[argc] = NULL;
  g_test_init (&argc, &argv, NULL);
  if (only_seed == 0 && g_getenv ("ESATTORE_SIM_SEED") != NULL)
    only_seed = g_ascii_strtoull (g_getenv ("ESATTORE_SIM_SEED"), NULL, 10);

  make_template ();
  g_test_add_func ("/sync-sim/login-and-failures", test_login_and_failures);
  g_test_add_func ("/sync-sim/two-officers", test_two_officers);
  g_test_add_func ("/sync-sim/background", test_background);
  g_test_add_func ("/sync-sim/seeds", test_seeds);

  status = g_test_run ();
  esa_sync_test_remove_dir (template_dir);
  return status;
}
