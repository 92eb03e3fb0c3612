/* test-sync-scenario.c: what the sync tests share (see the header)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "esa-store-cases.h"
#include "esa-store-private.h"
#include "esa-store-sync.h"
#include "test-sync-scenario.h"

/* A seed writes a handful of small databases: in memory, waiting for the
 * disk to sync them would be most of its time. */
char *
esa_sync_test_make_dir (const char  *pattern,
                        GError     **error)
{
  if (g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) && g_access ("/dev/shm", W_OK) == 0)
    {
      g_autofree char *path = g_build_filename ("/dev/shm", pattern, NULL);

      if (g_mkdtemp (path) != NULL)
        return g_steal_pointer (&path);
    }
  return g_dir_make_tmp (pattern, error);
}

void
esa_sync_test_remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);

      g_unlink (file);
    }
  g_rmdir (path);
}

void
esa_sync_test_copy_file (const char *from,
                         const char *to)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (from, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (to, contents, (gssize) length, NULL));
}

gint64
esa_sync_test_count (EsaStore   *store,
                     const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (_esa_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

JsonNode *
esa_sync_test_serve (EsaServerCore *core,
                     const char    *method,
                     const char    *path,
                     const char    *token,
                     JsonNode      *body,
                     guint         *out_status)
{
  g_autoptr(EsaServerAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  const char *problem = NULL;

  *out_status = 200;
  if (g_str_equal (path, "/login"))
    return esa_server_core_login (core, body, "127.0.0.1", out_status);

  account = esa_server_core_authenticate (core, token, &problem);
  if (account == NULL)
    {
      JsonObject *object = json_object_new ();
      JsonNode *node = json_node_init_object (json_node_alloc (), object);

      json_object_set_string_member (object, "error", problem);
      json_object_unref (object);
      *out_status = 401;
      return node;
    }
  if (g_str_equal (method, "POST") && g_str_equal (path, "/push"))
    {
      JsonNode *answer = esa_server_core_push (core, account, body, &error);

      g_assert_no_error (error);
      return answer;
    }
  if (g_str_has_prefix (path, "/pull?cursor="))
    {
      gint64 cursor = g_ascii_strtoll (path + strlen ("/pull?cursor="), NULL, 10);
      const char *limit = strstr (path, "limit=");
      g_autofree char *text = esa_server_core_pull (core, account, cursor,
                                                    limit != NULL ? atoi (limit + 6) : 500,
                                                    &error);
      g_autoptr(JsonParser) parser = json_parser_new ();

      g_assert_no_error (error);
      g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
      return json_node_copy (json_parser_get_root (parser));
    }
  g_assert_not_reached ();
  return NULL;
}

char *
esa_sync_test_login (EsaServerCore *core,
                     const char    *login)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(JsonNode) answer = NULL;
  guint status;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "user");
  json_builder_add_string_value (builder, login);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, ESA_SYNC_TEST_PASSWORD);
  json_builder_end_object (builder);
  request = json_builder_get_root (builder);
  answer = esa_server_core_login (core, request, "127.0.0.1", &status);
  g_assert_cmpuint (status, ==, 200);
  return g_strdup (json_object_get_string_member (json_node_get_object (answer), "token"));
}

gboolean
esa_sync_test_find_act_action (EsaStore  *store,
                               char     **out_case,
                               char     **out_action)
{
  sqlite3_stmt *stmt = NULL;
  gboolean found = FALSE;

  g_assert_cmpint (sqlite3_prepare_v2 (_esa_store_get_db (store),
                                       "SELECT id FROM cases WHERE closed_on IS NULL ORDER BY id",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (!found && sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *case_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      g_autoptr(GPtrArray) statuses = esa_store_case_actions (store, case_id, NULL, NULL);

      for (guint i = 0; statuses != NULL && i < statuses->len && !found; i++)
        {
          EsaActionStatus *status = statuses->pdata[i];
          g_autofree char *event = NULL;
          gint64 acts = esa_sync_test_count (store, "SELECT count(*) FROM acts");

          if (!status->available || status->action->produces == NULL
              || status->action->produces[0] == NULL)
            continue;
          g_assert_true (_esa_store_begin (store, NULL));
          event = esa_store_case_do (store, case_id, status->action->id, NULL, NULL, NULL);
          found = event != NULL && esa_sync_test_count (store, "SELECT count(*) FROM acts") > acts;
          _esa_store_rollback (store);
          if (found)
            {
              *out_case = g_strdup (case_id);
              *out_action = g_strdup (status->action->id);
            }
        }
    }
  sqlite3_finalize (stmt);
  return found;
}

/* ---- the two officers --------------------------------------------------- */

static JsonNode *
serve_core (gpointer    data,
            const char *method,
            const char *path,
            const char *token,
            JsonNode   *body,
            guint      *out_status)
{
  EsaSyncTwoOfficers *scenario = data;

  return esa_sync_test_serve (scenario->core, method, path, token, body, out_status);
}

void
esa_sync_test_two_officers_free (EsaSyncTwoOfficers *scenario)
{
  if (scenario == NULL)
    return;
  g_clear_object (&scenario->client_a);
  g_clear_object (&scenario->client_b);
  g_clear_object (&scenario->a);
  g_clear_object (&scenario->b);
  g_clear_object (&scenario->direct);
  g_clear_pointer (&scenario->core, esa_server_core_free);
  if (scenario->dir != NULL)
    esa_sync_test_remove_dir (scenario->dir);
  g_free (scenario->dir);
  g_free (scenario->user_a);
  g_free (scenario->user_b);
  g_free (scenario->debtor);
  g_free (scenario->case_id);
  g_free (scenario->event_a);
  g_free (scenario->event_b);
  g_free (scenario->payment_id);
  g_free (scenario);
}

/* A first sync of the office makes A's replica; B's is a copy of it. */
static EsaStore *
officer_replica (EsaSyncTwoOfficers *scenario,
                 const char         *name,
                 const char         *user_id,
                 const char         *token,
                 GPtrArray          *procedures,
                 EsaParameters      *params)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (scenario->dir, name, NULL);
  g_autoptr(EsaStore) store = esa_store_open (path, &error);
  g_autoptr(EsaSyncClient) client = NULL;
  EsaSyncReport report = { 0 };

  g_assert_no_error (error);
  client = esa_sync_client_new (store, ESA_SYNC_TRANSPORT (scenario->direct));
  g_assert_true (esa_sync_client_set_token (client, token, NULL, &error));
  g_assert_true (esa_sync_client_pull (client, &report, NULL, &error));
  g_assert_no_error (error);
  esa_store_set_acting_user (store, user_id);
  esa_store_set_procedures (store, procedures, params);
  return g_steal_pointer (&store);
}

static char *
first_text (EsaStore   *store,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_esa_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return text;
}

EsaSyncTwoOfficers *
esa_sync_test_two_officers (GPtrArray     *procedures,
                            EsaParameters *params)
{
  g_autoptr(EsaSyncTwoOfficers) scenario = g_new0 (EsaSyncTwoOfficers, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaStore) server = NULL;
  g_autofree char *server_path = NULL;
  g_autofree char *login_a = NULL;
  g_autofree char *login_b = NULL;
  g_autofree char *role_a = NULL;
  g_autofree char *role_b = NULL;
  g_autofree char *office = NULL;
  g_autofree char *token_a = NULL;
  g_autofree char *token_b = NULL;
  g_autofree char *action = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *position = NULL;
  g_autofree char *account = NULL;
  EsaAddress address = { NULL, "Via dei Campi 3", "10100", "Torino", "IT", "2026-11-01", NULL };
  EsaPayment payment = { 0 };
  EsaSyncReport report = { 0 };
  sqlite3_stmt *stmt = NULL;

  scenario->dir = esa_sync_test_make_dir ("esa-two-officers-XXXXXX", &error);
  g_assert_no_error (error);
  g_assert_true (esa_server_core_init (scenario->dir, ESA_SYNC_TEST_PASSWORD, NULL, NULL,
                                       &error));
  g_assert_no_error (error);
  scenario->core = esa_server_core_open (scenario->dir, &error);
  g_assert_no_error (error);
  g_assert_true (esa_server_core_demo (scenario->core, 8, 3, &error));
  g_assert_no_error (error);

  /* Two officers of the office with the most debtors. */
  server_path = g_build_filename (scenario->dir, "server.db", NULL);
  server = esa_store_open (server_path, &error);
  g_assert_no_error (error);
  office = first_text (server, "SELECT office_id FROM debtors GROUP BY office_id "
                               "ORDER BY count(*) DESC LIMIT 1");
  sql = g_strdup_printf ("SELECT login, id, role FROM users WHERE office_id = '%s' AND role IN "
                         "('officer', 'team_lead', 'responsible') ORDER BY login", office);
  g_assert_cmpint (sqlite3_prepare_v2 (_esa_store_get_db (server), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  login_a = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  scenario->user_a = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  role_a = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  login_b = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  scenario->user_b = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  role_b = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  sqlite3_finalize (stmt);
  g_clear_object (&server);
  account = esa_server_core_user_add (scenario->core, login_a, role_a, office,
                                      ESA_SYNC_TEST_PASSWORD, &error);
  g_assert_no_error (error);
  g_clear_pointer (&account, g_free);
  account = esa_server_core_user_add (scenario->core, login_b, role_b, office,
                                      ESA_SYNC_TEST_PASSWORD, &error);
  g_assert_no_error (error);
  token_a = esa_sync_test_login (scenario->core, login_a);
  token_b = esa_sync_test_login (scenario->core, login_b);

  scenario->direct = esa_sync_direct_new (serve_core, scenario);
  scenario->a = officer_replica (scenario, "officer-a.db", scenario->user_a, token_a,
                                 procedures, params);
  scenario->b = officer_replica (scenario, "officer-b.db", scenario->user_b, token_b,
                                 procedures, params);
  scenario->client_a = esa_sync_client_new (scenario->a, ESA_SYNC_TRANSPORT (scenario->direct));
  scenario->client_b = esa_sync_client_new (scenario->b, ESA_SYNC_TRANSPORT (scenario->direct));

  if (!esa_sync_test_find_act_action (scenario->a, &scenario->case_id, &action))
    return NULL;
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT debtor_id FROM cases WHERE id = '%s'", scenario->case_id);
  scenario->debtor = first_text (scenario->a, sql);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT id FROM positions WHERE debtor_id = '%s' AND state = 'open' "
                         "AND principal > paid + 100 ORDER BY id LIMIT 1",
                         scenario->debtor);
  position = first_text (scenario->b, sql);
  server = esa_store_open (server_path, &error);
  g_assert_no_error (error);
  scenario->server_acts = esa_sync_test_count (server, "SELECT count(*) FROM acts");
  g_clear_object (&server);

  /* Offline: A moves the debtor and issues the act; B records a payment and
   * issues the same act. */
  g_assert_true (esa_store_move_debtor (scenario->a, scenario->debtor, &address, &error));
  g_assert_no_error (error);
  scenario->event_a = esa_store_case_do (scenario->a, scenario->case_id, action, NULL, NULL,
                                         &error);
  g_assert_no_error (error);
  if (position != NULL)
    {
      payment.debtor_id = scenario->debtor;
      payment.position_id = position;
      payment.amount = 100;
      payment.currency = "EUR";
      payment.paid_on = "2026-11-02";
      payment.channel = "cash";
      scenario->payment_id = esa_store_add_payment (scenario->b, &payment, &error);
      g_assert_no_error (error);
    }
  scenario->event_b = esa_store_case_do (scenario->b, scenario->case_id, action, NULL, NULL,
                                         &error);
  g_assert_no_error (error);

  /* A syncs first, then B, then both again. */
  g_assert_true (esa_sync_client_sync (scenario->client_a, &report, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.conflicts, ==, 0);
  memset (&report, 0, sizeof report);
  g_assert_true (esa_sync_client_sync (scenario->client_b, &report, NULL, &error));
  g_assert_no_error (error);
  scenario->b_conflicts = report.conflicts;
  g_assert_true (esa_sync_client_sync (scenario->client_a, &report, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (esa_sync_client_sync (scenario->client_b, &report, NULL, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&scenario);
}
