/* esattore-server: accounts and tokens, push (dedupe, field edits, command
 * conflicts, scope), pull (office isolation for every role, a field
 * officer's assignments), and the real executable over TLS on 127.0.0.1. */

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "esa-core.h"
#include "esa-server-core.h"
#include "esa-store.h"
#include "esa-store-private.h"

#define PASSWORD "correct horse battery staple"

typedef struct
{
  char          *dir;
  EsaServerCore *core;
  EsaStore      *store;     /* the same file, for looking at it */
  GPtrArray     *users;     /* EsaUser of the demo */
  GPtrArray     *offices;   /* EsaOffice */
  gint64         now;
} Fixture;

static gint64
fixture_now (gpointer data)
{
  return ((Fixture *) data)->now;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaParameters) params = NULL;
  g_autoptr(GPtrArray) procedures = NULL;
  g_autofree char *procedures_dir = esa_data_dir ("procedures");
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("esa-server-XXXXXX", &error);
  g_assert_no_error (error);
  g_assert_true (esa_server_core_init (fixture->dir, PASSWORD, NULL, NULL, &error));
  g_assert_no_error (error);
  fixture->core = esa_server_core_open (fixture->dir, &error);
  g_assert_no_error (error);
  fixture->now = 1790000000;
  esa_server_core_set_clock (fixture->core, fixture_now, fixture);
  if (data != NULL)
    {
      g_assert_true (esa_server_core_demo (fixture->core, 60, 7, &error));
      g_assert_no_error (error);
    }

  path = g_build_filename (fixture->dir, "server.db", NULL);
  fixture->store = esa_store_open (path, &error);
  g_assert_no_error (error);
  params = esa_parameters_load_default (&error);
  g_assert_no_error (error);
  procedures = esa_procedure_load_dir (procedures_dir, params, &error);
  g_assert_no_error (error);
  esa_store_set_procedures (fixture->store, procedures, params);
  fixture->users = esa_store_list_users (fixture->store, &error);
  g_assert_no_error (error);
  fixture->offices = esa_store_list_offices (fixture->store, &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->users, g_ptr_array_unref);
  g_clear_pointer (&fixture->offices, g_ptr_array_unref);
  g_clear_object (&fixture->store);
  g_clear_pointer (&fixture->core, esa_server_core_free);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
}

/* The account of a demo user (no password needed in-process). */
static EsaServerAccount *
account_for (const EsaUser *user)
{
  EsaServerAccount *account = g_new0 (EsaServerAccount, 1);

  account->id = g_strdup (user->id);
  account->login = g_strdup (user->login);
  account->name = g_strdup (user->name);
  account->role = g_strdup (esa_role_to_string (user->role));
  account->office_id = g_strdup (user->office_id);
  account->user_id = g_strdup (user->id);
  return account;
}

static const EsaUser *
find_user (Fixture    *fixture,
           EsaRole     role,
           const char *office_id)
{
  for (guint i = 0; i < fixture->users->len; i++)
    {
      const EsaUser *user = g_ptr_array_index (fixture->users, i);

      if (user->role == role && (office_id == NULL || g_str_equal (user->office_id, office_id)))
        return user;
    }
  return NULL;
}

static JsonNode *
login (Fixture    *fixture,
       const char *user,
       const char *password,
       const char *address,
       guint      *out_status)
{
  g_autofree char *text = g_strdup_printf ("{\"user\":\"%s\",\"password\":\"%s\"}", user,
                                           password);
  g_autoptr(JsonNode) request = json_from_string (text, NULL);

  return esa_server_core_login (fixture->core, request, address, out_status);
}

/* ---- init, users, login -------------------------------------------------- */

static void
test_init (Fixture       *fixture,
           gconstpointer  data)
{
  const char *files[] = { "server.db", "ca.pem", "server.pem", "server.key" };
  g_autofree char *key = g_build_filename (fixture->dir, "server.key", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autofree char *cert = g_build_filename (fixture->dir, "server.pem", NULL);
  GStatBuf st;

  for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (fixture->dir, files[i], NULL);

      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    }
  g_assert_cmpint (g_stat (key, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);
  certificate = g_tls_certificate_new_from_files (cert, key, &error);
  g_assert_no_error (error);
  g_assert_nonnull (certificate);

  g_assert_false (esa_server_core_init (fixture->dir, PASSWORD, NULL, NULL, &error));
  g_assert_error (error, ESA_SERVER_ERROR, ESA_SERVER_ERROR_EXISTS);
}

static void
test_user_add (Fixture       *fixture,
               gconstpointer  data)
{
  const EsaOffice *office = g_ptr_array_index (fixture->offices, 0);
  const EsaUser *demo_user = find_user (fixture, ESA_ROLE_TEAM_LEAD, office->id);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *id = NULL;
  g_autofree char *again = NULL;
  g_autofree char *linked = NULL;
  g_autoptr(EsaUser) user = NULL;
  JsonObject *who;
  guint status = 0;

  id = esa_server_core_user_add (fixture->core, "anna", "officer", office->id, PASSWORD, &error);
  g_assert_no_error (error);
  user = esa_store_get_user (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (user->login, ==, "anna");
  g_assert_cmpint (user->role, ==, ESA_ROLE_OFFICER);

  again = esa_server_core_user_add (fixture->core, "anna", "officer", office->id, PASSWORD,
                                    &error);
  g_assert_null (again);
  g_assert_error (error, ESA_SERVER_ERROR, ESA_SERVER_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_null (esa_server_core_user_add (fixture->core, "bruno", "king", office->id, PASSWORD,
                                           &error));
  g_assert_error (error, ESA_SERVER_ERROR, ESA_SERVER_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (esa_server_core_user_add (fixture->core, "bruno", "officer", "no-such-office",
                                           PASSWORD, &error));
  g_assert_error (error, ESA_SERVER_ERROR, ESA_SERVER_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A demo user gets an account of their own user row. */
  linked = esa_server_core_user_add (fixture->core, demo_user->login, "team_lead", office->id,
                                     PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (linked, ==, demo_user->id);

  answer = login (fixture, "anna", PASSWORD, "10.0.0.1", &status);
  g_assert_cmpuint (status, ==, 200);
  who = json_object_get_object_member (json_node_get_object (answer), "user");
  g_assert_cmpstr (json_object_get_string_member (who, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (who, "role"), ==, "officer");
  g_assert_cmpstr (json_object_get_string_member (who, "office_id"), ==, office->id);
}

static void
test_login (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(EsaServerAccount) account = NULL;
  const char *token;
  const char *code = NULL;
  guint status = 0;

  answer = login (fixture, "admin", PASSWORD, "10.0.0.1", &status);
  g_assert_cmpuint (status, ==, 200);
  token = json_object_get_string_member (json_node_get_object (answer), "token");
  g_assert_cmpuint (strlen (token), ==, 64);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (answer), "expires_at"),
                   ==, "2026-09-21T22:13:20Z");
  account = esa_server_core_authenticate (fixture->core, token, &code);
  g_assert_nonnull (account);
  g_assert_cmpstr (account->login, ==, "admin");
  g_assert_null (code);
  g_clear_pointer (&answer, json_node_unref);

  answer = login (fixture, "admin", "wrong", "10.0.0.1", &status);
  g_assert_cmpuint (status, ==, 401);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (answer), "error"), ==,
                   "wrong_credentials");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (answer), "message"), ==,
                   "Wrong user name or password.");
  g_clear_pointer (&answer, json_node_unref);

  /* An unknown user gets the same answer as a wrong password. */
  answer = login (fixture, "nobody", "wrong", "10.0.0.1", &status);
  g_assert_cmpuint (status, ==, 401);
  g_clear_pointer (&answer, json_node_unref);

  /* A request without a password is malformed. */
  {
    g_autoptr(JsonNode) request = json_from_string ("{\"user\":\"admin\"}", NULL);

    answer = esa_server_core_login (fixture->core, request, "10.0.0.1", &status);
    g_assert_cmpuint (status, ==, 400);
    g_clear_pointer (&answer, json_node_unref);
  }
}

static void
test_throttling (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(JsonNode) answer = NULL;
  guint status = 0;

  for (int i = 0; i < ESA_SERVER_MAX_FAILURES; i++)
    {
      answer = login (fixture, "admin", "wrong", "10.0.0.2", &status);
      g_assert_cmpuint (status, ==, 401);
      g_clear_pointer (&answer, json_node_unref);
      fixture->now += 10;
    }

  /* Now even the right password is refused, from that address. */
  answer = login (fixture, "admin", PASSWORD, "10.0.0.2", &status);
  g_assert_cmpuint (status, ==, 429);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (answer), "error"), ==,
                   "throttled");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (answer), "retry_after"),
                   ==, ESA_SERVER_FAILURE_WINDOW - 10);
  g_clear_pointer (&answer, json_node_unref);

  /* Another address is not throttled. */
  answer = login (fixture, "admin", PASSWORD, "10.0.0.3", &status);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&answer, json_node_unref);

  /* After the window the user may try again. */
  fixture->now += ESA_SERVER_FAILURE_WINDOW;
  answer = login (fixture, "admin", PASSWORD, "10.0.0.2", &status);
  g_assert_cmpuint (status, ==, 200);
}

static void
test_token_expiry (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(EsaServerAccount) account = NULL;
  g_autofree char *token = NULL;
  const char *code = NULL;
  guint status = 0;

  esa_server_core_set_token_lifetime (fixture->core, 60);
  answer = login (fixture, "admin", PASSWORD, "10.0.0.1", &status);
  g_assert_cmpuint (status, ==, 200);
  token = g_strdup (json_object_get_string_member (json_node_get_object (answer), "token"));

  fixture->now += 59;
  account = esa_server_core_authenticate (fixture->core, token, &code);
  g_assert_nonnull (account);
  g_clear_pointer (&account, esa_server_account_free);

  fixture->now += 1;
  account = esa_server_core_authenticate (fixture->core, token, &code);
  g_assert_null (account);
  g_assert_cmpstr (code, ==, "token_expired");

  account = esa_server_core_authenticate (fixture->core, "not-a-token", &code);
  g_assert_null (account);
  g_assert_cmpstr (code, ==, "bad_token");
}

/* ---- pull and scopes ----------------------------------------------------- */

/* Every row the account receives from cursor 0, page by page; checks that
 * each belongs to the account's office. Returns the rows (JsonObject). */
static GPtrArray *
pull_all (Fixture                 *fixture,
          const EsaServerAccount  *account,
          guint                    limit,
          GPtrArray               *out_purge)
{
  EsaServerBackend *backend = esa_server_core_get_backend (fixture->core);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  gint64 cursor = 0;
  gboolean more = TRUE;

  while (more)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = esa_server_core_pull (fixture->core, account, cursor, limit, &error);
      g_autoptr(JsonNode) node = NULL;
      JsonObject *page;
      JsonArray *array;
      gint64 previous = cursor;

      g_assert_no_error (error);
      node = json_from_string (text, &error);
      g_assert_no_error (error);
      page = json_node_get_object (node);
      array = json_object_get_array_member (page, "rows");
      g_assert_cmpuint (json_array_get_length (array), <=, limit);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonObject *row = json_array_get_object_element (array, i);
          const char *t = json_object_get_string_member (row, "t");
          const char *k = json_object_get_string_member (row, "k");
          g_auto(GStrv) offices = NULL;
          g_autofree char *debtor = NULL;

          g_assert_cmpint (json_object_get_int_member (row, "seq"), >, previous);
          previous = json_object_get_int_member (row, "seq");
          if (!json_object_get_null_member (row, "after"))
            {
              g_assert_true (backend->vt->row_scope (backend, t, k, &offices, &debtor, &error));
              g_assert_no_error (error);
              if (!g_strv_contains ((const char * const *) offices, account->office_id))
                g_error ("%s of office %s received %s %s of office %s", account->login,
                         account->office_id, t, k, offices[0] != NULL ? offices[0] : "(none)");
            }
          g_ptr_array_add (rows, json_object_ref (row));
        }
      for (guint i = 0; out_purge != NULL
                        && i < json_array_get_length (json_object_get_array_member (page,
                                                                                    "purge"));
           i++)
        g_ptr_array_add (out_purge,
                         g_strdup (json_array_get_string_element (
                           json_object_get_array_member (page, "purge"), i)));
      more = json_object_get_boolean_member (page, "more");
      g_assert_cmpint (json_object_get_int_member (page, "next_cursor"), >=, cursor);
      cursor = json_object_get_int_member (page, "next_cursor");
    }
  return g_steal_pointer (&rows);
}

static guint
count_table (GPtrArray  *rows,
             const char *table)
{
  guint n = 0;

  for (guint i = 0; i < rows->len; i++)
    if (g_str_equal (json_object_get_string_member (g_ptr_array_index (rows, i), "t"), table))
      n++;
  return n;
}

static void
test_office_isolation (Fixture       *fixture,
                       gconstpointer  data)
{
  guint roles_seen = 0;

  g_assert_cmpuint (fixture->offices->len, >=, 2);
  for (guint i = 0; i < fixture->users->len; i++)
    {
      const EsaUser *user = g_ptr_array_index (fixture->users, i);
      g_autoptr(EsaServerAccount) account = account_for (user);
      g_autoptr(GPtrArray) rows = pull_all (fixture, account, 500, NULL);
      guint debtors = count_table (rows, "debtors");

      roles_seen |= 1u << user->role;
      g_assert_cmpuint (count_table (rows, "offices"), ==, 1);
      if (user->role == ESA_ROLE_FIELD_OFFICER)
        g_assert_cmpuint (debtors, ==, 0);   /* nothing assigned yet */
      else
        g_assert_cmpuint (debtors, >, 0);
    }
  /* Every role was checked. */
  g_assert_cmpuint (roles_seen, ==, (1u << (ESA_ROLE_AUDITOR + 1)) - 1);
}

static JsonNode *
push_one (Fixture                 *fixture,
          const EsaServerAccount  *account,
          const char              *op_json)
{
  g_autofree char *text = g_strdup_printf ("{\"schema\":%d,\"device\":\"d1\",\"ops\":[%s]}",
                                           esa_store_current_schema_version (), op_json);
  g_autoptr(JsonNode) request = json_from_string (text, NULL);
  g_autoptr(GError) error = NULL;
  JsonNode *answer;

  g_assert_nonnull (request);
  answer = esa_server_core_push (fixture->core, account, request, &error);
  g_assert_no_error (error);
  return answer;
}

static JsonObject *
first_result (JsonNode *answer)
{
  return json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (answer), "results"), 0);
}

static char *
image_text (JsonObject *image)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, image);
  return json_to_string (node, FALSE);
}

/* A debtor of @office_id as the server has it. */
static JsonObject *
some_debtor (Fixture    *fixture,
             const char *office_id)
{
  EsaServerBackend *backend = esa_server_core_get_backend (fixture->core);
  g_autoptr(GPtrArray) cases = esa_store_cases_due (fixture->store, NULL, 0, NULL);

  for (guint i = 0; i < cases->len; i++)
    {
      EsaCase *case_ = g_ptr_array_index (cases, i);

      if (g_str_equal (case_->office_id, office_id))
        return backend->vt->row_get (backend, "debtors", case_->debtor_id, NULL);
    }
  g_assert_not_reached ();
  return NULL;
}

static void
test_field_officer_scope (Fixture       *fixture,
                          gconstpointer  data)
{
  const EsaOffice *office = g_ptr_array_index (fixture->offices, 0);
  const EsaUser *lead = find_user (fixture, ESA_ROLE_TEAM_LEAD, office->id);
  const EsaUser *field = find_user (fixture, ESA_ROLE_FIELD_OFFICER, office->id);
  g_autoptr(EsaServerAccount) lead_account = NULL;
  g_autoptr(EsaServerAccount) field_account = NULL;
  g_autoptr(JsonObject) debtor = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) purge = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *op = NULL;
  const char *debtor_id;
  guint positions = 0;

  g_assert_nonnull (lead);
  g_assert_nonnull (field);
  lead_account = account_for (lead);
  field_account = account_for (field);
  debtor = some_debtor (fixture, office->id);
  debtor_id = json_object_get_string_member (debtor, "id");

  /* The team lead assigns the debtor to the field officer. */
  op = g_strdup_printf ("{\"op_id\":\"op-assign\",\"kind\":\"event\",\"entity\":\"assignment\","
                        "\"entity_id\":\"as-1\",\"payload\":{},\"base_version\":0,"
                        "\"hlc\":\"0001790000000000-000001\",\"schema_version\":7,"
                        "\"rows\":[{\"t\":\"assignments\",\"k\":\"as-1\",\"before\":null,"
                        "\"after\":{\"id\":\"as-1\",\"debtor_id\":\"%s\",\"user_id\":\"%s\","
                        "\"since\":\"2026-11-23\",\"version\":1}}]}",
                        debtor_id, field->id);
  answer = push_one (fixture, lead_account, op);
  g_assert_cmpstr (json_object_get_string_member (first_result (answer), "status"), ==,
                   "applied");

  rows = pull_all (fixture, field_account, 100, purge);
  g_assert_cmpuint (count_table (rows, "debtors"), >=, 1);
  for (guint i = 0; i < rows->len; i++)
    {
      JsonObject *row = g_ptr_array_index (rows, i);
      JsonObject *after = json_object_get_object_member (row, "after");
      const char *t = json_object_get_string_member (row, "t");

      if (g_str_equal (t, "debtors"))
        g_assert_cmpstr (json_object_get_string_member (after, "id"), ==, debtor_id);
      if (g_str_equal (t, "positions"))
        {
          g_assert_cmpstr (json_object_get_string_member (after, "debtor_id"), ==, debtor_id);
          positions++;
        }
      /* No payment of the office without a debtor, no load list rejection. */
      g_assert_cmpstr (t, !=, "load_list_rejections");
    }
  g_assert_cmpuint (positions, >, 0);
  g_assert_cmpuint (purge->len, ==, 0);
  g_clear_pointer (&answer, json_node_unref);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* The field officer may write the assigned debtor's rows, and no other's. */
  {
    g_autoptr(JsonObject) other = NULL;
    g_autofree char *edit = NULL;
    g_autoptr(GPtrArray) cases = esa_store_cases_due (fixture->store, NULL, 0, NULL);

    for (guint i = 0; i < cases->len && other == NULL; i++)
      {
        EsaCase *case_ = g_ptr_array_index (cases, i);

        if (g_str_equal (case_->office_id, office->id)
            && !g_str_equal (case_->debtor_id, debtor_id))
          other = esa_server_core_get_backend (fixture->core)->vt->row_get (
            esa_server_core_get_backend (fixture->core), "debtors", case_->debtor_id, NULL);
      }
    g_assert_nonnull (other);
    edit = g_strdup_printf ("{\"op_id\":\"op-other\",\"kind\":\"field\",\"entity\":\"debtor\","
                            "\"entity_id\":\"%s\",\"payload\":{},\"base_version\":1,"
                            "\"hlc\":\"0001790000000000-000002\",\"schema_version\":7,"
                            "\"rows\":[{\"t\":\"debtors\",\"k\":\"%s\",\"before\":{\"name\":\"%s\"},"
                            "\"after\":{\"id\":\"%s\",\"name\":\"Somebody Else\"}}]}",
                            json_object_get_string_member (other, "id"),
                            json_object_get_string_member (other, "id"),
                            json_object_get_string_member (other, "name"),
                            json_object_get_string_member (other, "id"));
    answer = push_one (fixture, field_account, edit);
    g_assert_cmpstr (json_object_get_string_member (first_result (answer), "status"), ==,
                     "conflict");
    g_clear_pointer (&answer, json_node_unref);
  }

  /* Unassigned: the next pull tells the device to purge the dossier. */
  answer = push_one (fixture, lead_account,
                     "{\"op_id\":\"op-unassign\",\"kind\":\"field\",\"entity\":\"assignment\","
                     "\"entity_id\":\"as-1\",\"payload\":{},\"base_version\":1,"
                     "\"hlc\":\"0001790000000000-000003\",\"schema_version\":7,"
                     "\"rows\":[{\"t\":\"assignments\",\"k\":\"as-1\",\"before\":{},"
                     "\"after\":null}]}");
  g_assert_cmpstr (json_object_get_string_member (first_result (answer), "status"), ==,
                   "applied");
  rows = pull_all (fixture, field_account, 100, purge);
  g_assert_true (g_ptr_array_find_with_equal_func (purge, debtor_id, g_str_equal, NULL));
}

/* ---- push ------------------------------------------------------------------ */

static void
test_push_dedupe (Fixture       *fixture,
                  gconstpointer  data)
{
  const EsaOffice *office = g_ptr_array_index (fixture->offices, 0);
  EsaServerBackend *backend = esa_server_core_get_backend (fixture->core);
  g_autoptr(EsaServerAccount) account = account_for (find_user (fixture, ESA_ROLE_OFFICER,
                                                                office->id));
  g_autoptr(JsonObject) debtor = some_debtor (fixture, office->id);
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(JsonObject) now = NULL;
  g_autoptr(JsonObject) note = NULL;
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) older = NULL;
  g_autoptr(JsonNode) event = NULL;
  g_autoptr(JsonNode) event_again = NULL;
  g_autofree char *before_text = image_text (debtor);
  g_autofree char *after_text = NULL;
  g_autofree char *op = NULL;
  g_autofree char *stale = NULL;
  g_autofree char *contact = NULL;
  const char *id = json_object_get_string_member (debtor, "id");
  gint64 version = json_object_get_int_member (debtor, "version");

  after = json_object_ref (debtor);
  after_text = g_strdup (before_text);
  {
    g_autoptr(JsonNode) copy = json_from_string (after_text, NULL);

    json_object_unref (after);
    after = json_object_ref (json_node_get_object (copy));
    json_object_set_string_member (after, "name", "Rossi Maria Nuova");
    g_free (after_text);
    after_text = image_text (after);
  }

  op = g_strdup_printf ("{\"op_id\":\"op-1\",\"kind\":\"field\",\"entity\":\"debtor\","
                        "\"entity_id\":\"%s\",\"payload\":{},\"base_version\":%" G_GINT64_FORMAT ","
                        "\"hlc\":\"0001790000000000-000005\",\"schema_version\":7,"
                        "\"rows\":[{\"t\":\"debtors\",\"k\":\"%s\",\"before\":%s,\"after\":%s}]}",
                        id, version, id, before_text, after_text);
  first = push_one (fixture, account, op);
  second = push_one (fixture, account, op);
  g_assert_cmpstr (json_object_get_string_member (first_result (first), "status"), ==,
                   "applied");
  g_assert_cmpstr (json_object_get_string_member (first_result (second), "status"), ==,
                   "duplicate");
  g_assert_cmpint (json_object_get_int_member (first_result (first), "seq"), ==,
                   json_object_get_int_member (first_result (second), "seq"));

  now = backend->vt->row_get (backend, "debtors", id, NULL);
  g_assert_cmpstr (json_object_get_string_member (now, "name"), ==, "Rossi Maria Nuova");
  g_assert_cmpint (json_object_get_int_member (now, "version"), ==, version + 1);
  g_clear_pointer (&now, json_object_unref);

  /* An edit of the same field with an older clock loses (kept in history). */
  stale = g_strdup_printf ("{\"op_id\":\"op-2\",\"kind\":\"field\",\"entity\":\"debtor\","
                           "\"entity_id\":\"%s\",\"payload\":{},\"base_version\":%" G_GINT64_FORMAT
                           ",\"hlc\":\"0001790000000000-000004\",\"schema_version\":7,"
                           "\"rows\":[{\"t\":\"debtors\",\"k\":\"%s\",\"before\":%s,"
                           "\"after\":{\"id\":\"%s\",\"name\":\"Old Name\"}}]}",
                           id, version, id, before_text, id);
  older = push_one (fixture, account, stale);
  g_assert_cmpstr (json_object_get_string_member (first_result (older), "status"), ==,
                   "applied");
  now = backend->vt->row_get (backend, "debtors", id, NULL);
  g_assert_cmpstr (json_object_get_string_member (now, "name"), ==, "Rossi Maria Nuova");

  /* An event sent twice (op dedupe) and re-sent with a new op id (key
   * dedupe) makes one row. */
  contact = g_strdup_printf ("{\"op_id\":\"op-3\",\"kind\":\"event\",\"entity\":\"contact\","
                             "\"entity_id\":\"cl-1\",\"payload\":{},\"base_version\":0,"
                             "\"hlc\":\"0001790000000000-000006\",\"schema_version\":7,"
                             "\"rows\":[{\"t\":\"contact_log\",\"k\":\"cl-1\",\"before\":null,"
                             "\"after\":{\"id\":\"cl-1\",\"debtor_id\":\"%s\",\"channel\":\"visit\","
                             "\"direction\":\"out\",\"occurred_at\":\"2026-11-20T09:00:00Z\","
                             "\"user_id\":\"%s\",\"subject\":\"Visit\",\"version\":1}}]}",
                             id, account->user_id);
  event = push_one (fixture, account, contact);
  event_again = push_one (fixture, account, contact);
  g_assert_cmpstr (json_object_get_string_member (first_result (event), "status"), ==,
                   "applied");
  g_assert_cmpstr (json_object_get_string_member (first_result (event_again), "status"), ==,
                   "duplicate");
  note = backend->vt->row_get (backend, "contact_log", "cl-1", NULL);
  g_assert_nonnull (note);
  g_assert_cmpstr (json_object_get_string_member (note, "subject"), ==, "Visit");
}

/* Two devices pay one position in part each, together in full: the merged
 * paid sum makes the position "paid" on the server. A pushed name is found
 * by the server's search. */
static void
test_merged_paid_and_search (Fixture       *fixture,
                             gconstpointer  data)
{
  const EsaOffice *office = g_ptr_array_index (fixture->offices, 0);
  EsaServerBackend *backend = esa_server_core_get_backend (fixture->core);
  g_autoptr(EsaServerAccount) account = account_for (find_user (fixture, ESA_ROLE_OFFICER,
                                                                office->id));
  g_autoptr(JsonObject) debtor = some_debtor (fixture, office->id);
  g_autoptr(JsonObject) position = NULL;
  g_autoptr(JsonObject) now = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *position_id = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *before = NULL;
  const char *id = json_object_get_string_member (debtor, "id");
  gint64 due;
  gint64 paid;

  /* An open position of the debtor with something left to pay. */
  sql = g_strdup_printf ("SELECT id FROM positions WHERE debtor_id = '%s' AND state = 'open' "
                         "AND principal + sanctions + interest + costs > paid + 2 LIMIT 1", id);
  {
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (_esa_store_get_db (fixture->store), sql, -1, &stmt,
                                         NULL), ==, SQLITE_OK);
    if (sqlite3_step (stmt) == SQLITE_ROW)
      position_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
  }
  if (position_id == NULL)
    {
      g_test_skip ("the debtor has no open position");
      return;
    }
  position = backend->vt->row_get (backend, "positions", position_id, NULL);
  due = json_object_get_int_member (position, "principal")
        + json_object_get_int_member (position, "sanctions")
        + json_object_get_int_member (position, "interest")
        + json_object_get_int_member (position, "costs");
  paid = json_object_get_int_member (position, "paid");
  before = image_text (position);

  /* Device 1 pays all but one cent, device 2 the last cent, both from the
   * same "before". */
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *op = NULL;
      g_autoptr(JsonNode) answer = NULL;
      gint64 after = i == 0 ? due - 1 : paid + 1;

      op = g_strdup_printf ("{\"op_id\":\"pay-%u\",\"kind\":\"event\",\"entity\":\"payment\","
                            "\"entity_id\":\"%s\",\"payload\":{},\"base_version\":1,"
                            "\"hlc\":\"0001790000000000-00001%u\",\"schema_version\":7,"
                            "\"rows\":[{\"t\":\"positions\",\"k\":\"%s\",\"before\":%s,"
                            "\"after\":{\"id\":\"%s\",\"debtor_id\":\"%s\",\"paid\":%"
                            G_GINT64_FORMAT "}}]}",
                            i, position_id, i, position_id, before, position_id, id, after);
      answer = push_one (fixture, account, op);
      g_assert_cmpstr (json_object_get_string_member (first_result (answer), "status"), ==,
                       "applied");
    }
  now = backend->vt->row_get (backend, "positions", position_id, NULL);
  g_assert_cmpint (json_object_get_int_member (now, "paid"), ==, due);
  g_assert_cmpstr (json_object_get_string_member (now, "state"), ==, "paid");

  /* The server's search finds the pushed name. */
  {
    g_autofree char *op = NULL;
    g_autofree char *debtor_text = image_text (debtor);
    g_autoptr(JsonNode) answer = NULL;

    op = g_strdup_printf ("{\"op_id\":\"rename-1\",\"kind\":\"field\",\"entity\":\"debtor\","
                          "\"entity_id\":\"%s\",\"payload\":{},\"base_version\":1,"
                          "\"hlc\":\"0001790000000000-000020\",\"schema_version\":7,"
                          "\"rows\":[{\"t\":\"debtors\",\"k\":\"%s\",\"before\":%s,"
                          "\"after\":{\"id\":\"%s\",\"name\":\"Zyqvarth Ottavia\"}}]}",
                          id, id, debtor_text, id);
    answer = push_one (fixture, account, op);
    g_assert_cmpstr (json_object_get_string_member (first_result (answer), "status"), ==,
                     "applied");
  }
  hits = esa_store_search (fixture->store, "Zyqvarth", 10, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
}

/* An open case of @office_id with an action the officer may take now. */
static EsaCase *
case_with_action (Fixture          *fixture,
                  const EsaUser    *officer,
                  char            **out_action,
                  char            **out_to)
{
  g_autoptr(GPtrArray) cases = esa_store_cases_due (fixture->store, NULL, 0, NULL);

  esa_store_set_acting_user (fixture->store, officer->id);
  for (guint i = 0; i < cases->len; i++)
    {
      EsaCase *case_ = g_ptr_array_index (cases, i);
      g_autoptr(GPtrArray) actions = NULL;

      if (!g_str_equal (case_->office_id, officer->office_id))
        continue;
      actions = esa_store_case_actions (fixture->store, case_->id, NULL, NULL);
      for (guint j = 0; actions != NULL && j < actions->len; j++)
        {
          EsaActionStatus *status = g_ptr_array_index (actions, j);

          if (status->available && status->to_state != NULL
              && !g_str_equal (status->to_state, case_->state))
            {
              *out_action = g_strdup (status->action->id);
              *out_to = g_strdup (status->to_state);
              return g_ptr_array_steal_index (cases, i);
            }
        }
    }
  g_assert_not_reached ();
  return NULL;
}

static char *
command_op (const char *op_id,
            const char *hlc,
            JsonObject *case_row,
            const char *action,
            const char *to_state)
{
  g_autofree char *before = image_text (case_row);
  g_autoptr(JsonNode) copy = json_from_string (before, NULL);
  g_autofree char *after = NULL;
  g_autoptr(GDateTime) today = g_date_time_new_now_local ();
  g_autofree char *day = g_date_time_format (today, "%Y-%m-%d");

  json_object_set_string_member (json_node_get_object (copy), "state", to_state);
  after = json_to_string (copy, FALSE);
  return g_strdup_printf ("{\"op_id\":\"%s\",\"kind\":\"command\",\"entity\":\"case\","
                          "\"entity_id\":\"%s\",\"payload\":{\"command\":\"case_action\","
                          "\"event\":{\"action\":\"%s\",\"occurred_on\":\"%s\"}},"
                          "\"base_version\":1,\"hlc\":\"%s\",\"schema_version\":7,"
                          "\"rows\":[{\"t\":\"cases\",\"k\":\"%s\",\"before\":%s,\"after\":%s}]}",
                          op_id, json_object_get_string_member (case_row, "id"), action, day,
                          hlc, json_object_get_string_member (case_row, "id"), before, after);
}

static void
test_command_conflict (Fixture       *fixture,
                       gconstpointer  data)
{
  /* An office with every role (not every demo office has an auditor). */
  const EsaUser *auditor_user = find_user (fixture, ESA_ROLE_AUDITOR, NULL);
  EsaOffice office_row = { .id = auditor_user->office_id };
  const EsaOffice *office = &office_row;
  EsaServerBackend *backend = esa_server_core_get_backend (fixture->core);
  const EsaUser *officer = find_user (fixture, ESA_ROLE_OFFICER, office->id);
  const EsaUser *colleague = find_user (fixture, ESA_ROLE_TEAM_LEAD, office->id);
  g_autoptr(EsaServerAccount) account = account_for (officer);
  g_autoptr(EsaServerAccount) colleague_account = account_for (colleague);
  g_autoptr(EsaServerAccount) auditor = account_for (auditor_user);
  g_autofree char *action = NULL;
  g_autofree char *to = NULL;
  g_autoptr(EsaCase) case_ = case_with_action (fixture, officer, &action, &to);
  g_autoptr(JsonObject) row = backend->vt->row_get (backend, "cases", case_->id, NULL);
  g_autoptr(JsonObject) now = NULL;
  g_autoptr(JsonObject) conflict = NULL;
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) forbidden = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *op1 = command_op ("cmd-1", "0001790000000000-000001", row, action, to);
  g_autofree char *op2 = command_op ("cmd-2", "0001790000000000-000002", row, action, to);
  g_autofree char *op3 = command_op ("cmd-3", "0001790000000000-000003", row, action, to);
  JsonObject *result;
  JsonArray *result_rows;
  const char *conflict_id;
  gboolean seen = FALSE;

  first = push_one (fixture, account, op1);
  g_assert_cmpstr (json_object_get_string_member (first_result (first), "status"), ==,
                   "applied");
  now = backend->vt->row_get (backend, "cases", case_->id, NULL);
  g_assert_cmpstr (json_object_get_string_member (now, "state"), ==, to);

  /* The colleague did the same offline, from the same state: a conflict,
   * nothing applied, the case's server image sent back. */
  second = push_one (fixture, colleague_account, op2);
  result = first_result (second);
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "conflict");
  conflict_id = json_object_get_string_member (result, "conflict_id");
  g_assert_nonnull (conflict_id);
  /* The message names the state the case is in by its label. */
  {
    EsaProcedure *procedure = esa_store_get_case_procedure (fixture->store, case_->id, NULL);
    const EsaState *state = esa_procedure_find_state (procedure, to);

    g_assert_nonnull (state);
    g_assert_nonnull (strstr (json_object_get_string_member (result, "message"),
                              esa_procedure_gettext (state->label)));
  }
  result_rows = json_object_get_array_member (result, "rows");
  g_assert_cmpuint (json_array_get_length (result_rows), >=, 1);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (json_array_get_object_element (result_rows, 0),
                                                    "after"), "state"), ==, to);

  conflict = backend->vt->row_get (backend, "conflicts", conflict_id, NULL);
  g_assert_nonnull (conflict);
  g_assert_cmpstr (json_object_get_string_member (conflict, "kind"), ==, "state_changed");
  g_assert_cmpstr (json_object_get_string_member (conflict, "office_id"), ==, office->id);
  g_assert_cmpstr (json_object_get_string_member (conflict, "debtor_id"), ==, case_->debtor_id);
  g_assert_cmpstr (json_object_get_string_member (conflict, "state"), ==, "open");

  /* Both officers receive the conflict. */
  rows = pull_all (fixture, account, 1000, NULL);
  for (guint i = 0; i < rows->len; i++)
    if (g_str_equal (json_object_get_string_member (g_ptr_array_index (rows, i), "k"),
                     conflict_id))
      seen = TRUE;
  g_assert_true (seen);

  /* An auditor may change nothing. */
  forbidden = push_one (fixture, auditor, op3);
  g_assert_cmpstr (json_object_get_string_member (first_result (forbidden), "status"), ==,
                   "conflict");
  g_clear_pointer (&conflict, json_object_unref);
  conflict = backend->vt->row_get (backend, "conflicts",
                                   json_object_get_string_member (first_result (forbidden),
                                                                  "conflict_id"), NULL);
  g_assert_cmpstr (json_object_get_string_member (conflict, "kind"), ==, "forbidden");
}

static void
test_other_office_refused (Fixture       *fixture,
                           gconstpointer  data)
{
  const EsaOffice *a = g_ptr_array_index (fixture->offices, 0);
  const EsaOffice *b = g_ptr_array_index (fixture->offices, 1);
  EsaServerBackend *backend = esa_server_core_get_backend (fixture->core);
  g_autoptr(EsaServerAccount) account = account_for (find_user (fixture, ESA_ROLE_OFFICER,
                                                                a->id));
  g_autoptr(JsonObject) debtor = some_debtor (fixture, b->id);
  g_autoptr(JsonObject) now = NULL;
  g_autoptr(JsonNode) answer = NULL;
  const char *id = json_object_get_string_member (debtor, "id");
  g_autofree char *op = NULL;

  op = g_strdup_printf ("{\"op_id\":\"op-b\",\"kind\":\"field\",\"entity\":\"debtor\","
                        "\"entity_id\":\"%s\",\"payload\":{},\"base_version\":1,"
                        "\"hlc\":\"0001790000000000-000009\",\"schema_version\":7,"
                        "\"rows\":[{\"t\":\"debtors\",\"k\":\"%s\",\"before\":{\"name\":\"x\"},"
                        "\"after\":{\"id\":\"%s\",\"name\":\"Changed From A\"}}]}",
                        id, id, id);
  answer = push_one (fixture, account, op);
  g_assert_cmpstr (json_object_get_string_member (first_result (answer), "status"), ==,
                   "conflict");
  now = backend->vt->row_get (backend, "debtors", id, NULL);
  g_assert_cmpstr (json_object_get_string_member (now, "name"), ==,
                   json_object_get_string_member (debtor, "name"));
}

/* Two devices numbered an act alike offline: the later one is renumbered. */
static void
test_act_renumbered (Fixture       *fixture,
                     gconstpointer  data)
{
  EsaServerBackend *backend = esa_server_core_get_backend (fixture->core);
  g_autofree char *path = g_build_filename (fixture->dir, "server.db", NULL);
  g_autofree char *act_id = NULL;
  g_autofree char *image = NULL;
  g_autofree char *op = NULL;
  g_autofree char *series = NULL;
  g_autoptr(JsonObject) act = NULL;
  g_autoptr(JsonObject) copy = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(EsaServerAccount) account = NULL;
  const EsaUser *officer = NULL;
  const char *number;
  JsonObject *result;
  JsonObject *stored;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT a.id, c.office_id FROM acts AS a "
                                           "JOIN cases AS c ON c.id = a.case_id "
                                           "ORDER BY a.number LIMIT 1", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  act_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  officer = find_user (fixture, ESA_ROLE_OFFICER, (const char *) sqlite3_column_text (stmt, 1));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  account = account_for (officer);

  act = backend->vt->row_get (backend, "acts", act_id, NULL);
  number = json_object_get_string_member (act, "number");
  series = g_strndup (number, strrchr (number, '-') - number);
  image = image_text (act);
  {
    g_autoptr(JsonNode) node = json_from_string (image, NULL);

    copy = json_object_ref (json_node_get_object (node));
  }
  json_object_set_string_member (copy, "id", "act-offline");
  g_free (image);
  image = image_text (copy);
  op = g_strdup_printf ("{\"op_id\":\"op-act\",\"kind\":\"event\",\"entity\":\"act\","
                        "\"entity_id\":\"act-offline\",\"payload\":{},\"base_version\":0,"
                        "\"hlc\":\"0001790000000000-000001\",\"schema_version\":7,"
                        "\"rows\":[{\"t\":\"acts\",\"k\":\"act-offline\",\"before\":null,"
                        "\"after\":%s}]}", image);
  answer = push_one (fixture, account, op);
  result = first_result (answer);
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "applied");
  stored = json_object_get_object_member (
    json_array_get_object_element (json_object_get_array_member (result, "rows"), 0), "after");
  g_assert_cmpstr (json_object_get_string_member (stored, "id"), ==, "act-offline");
  g_assert_cmpstr (json_object_get_string_member (stored, "number"), !=, number);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (stored, "number"), series));
}

/* Files go only to accounts that may see a document naming them. */
static void
test_attachments (Fixture       *fixture,
                  gconstpointer  data)
{
  static const char text[] = "a photo of the seized car";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, sizeof text - 1);
  g_autofree char *sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) text,
                                                      sizeof text - 1);
  g_autofree char *other = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "else", -1);
  g_autofree char *path = g_build_filename (fixture->dir, "server.db", NULL);
  g_autofree char *sql = NULL;
  g_autofree char *debtor_id = NULL;
  const EsaOffice *office_a = g_ptr_array_index (fixture->offices, 0);
  const EsaOffice *office_b = g_ptr_array_index (fixture->offices, 1);
  g_autoptr(EsaServerAccount) officer_a = account_for (find_user (fixture, ESA_ROLE_OFFICER,
                                                                  office_a->id));
  g_autoptr(EsaServerAccount) officer_b = account_for (find_user (fixture, ESA_ROLE_OFFICER,
                                                                  office_b->id));
  g_autoptr(GBytes) back = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;

  g_assert_null (esa_server_core_attachment_get (fixture->core, officer_a, sha, &error));
  g_assert_error (error, ESA_SERVER_ERROR, ESA_SERVER_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (esa_server_core_attachment_put (fixture->core, other, bytes, &error));
  g_assert_error (error, ESA_SERVER_ERROR, ESA_SERVER_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (esa_server_core_attachment_put (fixture->core, "../../etc/passwd", bytes,
                                                  &error));
  g_assert_error (error, ESA_SERVER_ERROR, ESA_SERVER_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (esa_server_core_attachment_put (fixture->core, sha, bytes, &error));
  g_assert_no_error (error);

  /* Stored but named by no document: nobody gets it. */
  g_assert_null (esa_server_core_attachment_get (fixture->core, officer_a, sha, &error));
  g_assert_error (error, ESA_SERVER_ERROR, ESA_SERVER_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A document of a debtor of office A names it. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  sql = g_strdup_printf ("SELECT id FROM debtors WHERE office_id = '%s' LIMIT 1", office_a->id);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  debtor_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("INSERT INTO documents (id, debtor_id, title, mime_type, sha256, size, "
                         "created_at) VALUES ('doc-photo', '%s', 'Photo', 'image/jpeg', '%s', "
                         "%d, '2026-11-23T10:00:00Z')",
                         debtor_id, sha, (int) (sizeof text - 1));
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  back = esa_server_core_attachment_get (fixture->core, officer_a, sha, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (back, bytes));
  g_assert_null (esa_server_core_attachment_get (fixture->core, officer_b, sha, &error));
  g_assert_error (error, ESA_SERVER_ERROR, ESA_SERVER_ERROR_NOT_FOUND);
}

/* The in-process entry point the client's direct transport uses. */
static void
test_handle (Fixture       *fixture,
             gconstpointer  data)
{
  const EsaOffice *office = g_ptr_array_index (fixture->offices, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = esa_server_core_user_add (fixture->core, "carla", "officer", office->id,
                                                  PASSWORD, &error);
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *token = NULL;
  guint status = 0;

  g_assert_no_error (error);
  answer = esa_server_core_handle (fixture->core, "GET", "/health", NULL, NULL, "sim", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (answer), "status"), ==,
                   "ok");
  g_clear_pointer (&answer, json_node_unref);

  answer = esa_server_core_handle (fixture->core, "GET", "/pull?cursor=0", NULL, NULL, "sim",
                                   &status);
  g_assert_cmpuint (status, ==, 401);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (answer), "error"), ==,
                   "bad_token");
  g_clear_pointer (&answer, json_node_unref);

  body = json_from_string ("{\"user\":\"carla\",\"password\":\"" PASSWORD "\"}", NULL);
  answer = esa_server_core_handle (fixture->core, "POST", "/login", NULL, body, "sim", &status);
  g_assert_cmpuint (status, ==, 200);
  token = g_strdup (json_object_get_string_member (json_node_get_object (answer), "token"));
  g_clear_pointer (&answer, json_node_unref);

  answer = esa_server_core_handle (fixture->core, "GET", "/pull?cursor=0&limit=10", token, NULL,
                                   "sim", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (answer), "rows")), ==, 10);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (answer), "more"));
  g_clear_pointer (&answer, json_node_unref);

  answer = esa_server_core_handle (fixture->core, "POST", "/push", token, body, "sim", &status);
  g_assert_cmpuint (status, ==, 400);
  g_clear_pointer (&answer, json_node_unref);

  fixture->now += ESA_SERVER_TOKEN_LIFETIME;
  answer = esa_server_core_handle (fixture->core, "GET", "/pull?cursor=0", token, NULL, "sim",
                                   &status);
  g_assert_cmpuint (status, ==, 401);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (answer), "error"), ==,
                   "token_expired");
}

/* ---- the real server over TLS ------------------------------------------------ */

static char *
server_path (void)
{
  return g_test_build_filename (G_TEST_BUILT, "..", "src", "server", "esattore-server", NULL);
}

static void
run_server (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
                                                      &error);

  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (process, NULL, &error));
  g_assert_no_error (error);
}

static SoupMessage *
request (const char *method,
         guint       port,
         const char *path,
         const char *token,
         const char *body)
{
  g_autofree char *uri = g_strdup_printf ("https://127.0.0.1:%u/api/v1/%s", port, path);
  SoupMessage *msg = soup_message_new (method, uri);

  if (token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_append (soup_message_get_request_headers (msg), "Authorization",
                                   value);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  return msg;
}

static JsonObject *
send_json (SoupSession *session,
           SoupMessage *msg,
           guint        expected_status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_autoptr(JsonNode) node = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, expected_status);
  node = json_from_string (g_bytes_get_data (bytes, NULL), &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (node));
}

static void
test_https (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *server = server_path ();
  g_autofree char *dir = g_dir_make_tmp ("esa-server-https-XXXXXX", &error);
  g_autofree char *other = g_dir_make_tmp ("esa-server-other-XXXXXX", &error);
  g_autofree char *data = NULL;
  g_autofree char *other_data = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *ca = NULL;
  g_autofree char *wrong_ca = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *office_id = NULL;
  g_autofree char *line = NULL;
  g_autofree char *login_body = NULL;
  g_autofree char *token = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GTlsDatabase) wrong = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupSession) wrong_session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GBytes) bytes = NULL;
  guint port = 0;

  g_assert_no_error (error);
  if (!g_file_test (server, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("esattore-server is not built");
      return;
    }
  data = g_build_filename (dir, "data", NULL);
  other_data = g_build_filename (other, "data", NULL);
  password_file = g_build_filename (dir, "password", NULL);
  g_assert_true (g_file_set_contents (password_file, PASSWORD "\n", -1, &error));

  run_server ((const char *[]) { server, "--data", data, "init", "--password-file",
                                 password_file, NULL });
  run_server ((const char *[]) { server, "--data", other_data, "init", "--password-file",
                                 password_file, NULL });
  run_server ((const char *[]) { server, "--data", data, "demo", "--debtors", "20", "--seed",
                                 "3", NULL });
  {
    g_autoptr(EsaStore) store = NULL;
    g_autoptr(GPtrArray) offices = NULL;

    db_path = g_build_filename (data, "server.db", NULL);
    store = esa_store_open (db_path, &error);
    g_assert_no_error (error);
    offices = esa_store_list_offices (store, &error);
    g_assert_no_error (error);
    office_id = g_strdup (((EsaOffice *) g_ptr_array_index (offices, 0))->id);
  }
  run_server ((const char *[]) { server, "--data", data, "user", "add", "alice", "--role",
                                 "officer", "--office", office_id, "--password-file",
                                 password_file, NULL });

  process = g_subprocess_newv ((const char *[]) { server, "--data", data, "serve", "--listen",
                                                  "127.0.0.1:0", NULL },
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  port = (guint) g_ascii_strtoull (strrchr (line, ' ') + 1, NULL, 10);
  g_assert_cmpuint (port, >, 0);

  ca = g_build_filename (data, "ca.pem", NULL);
  database = g_tls_file_database_new (ca, &error);
  g_assert_no_error (error);
  session = soup_session_new_with_options ("tls-database", database, NULL);

  msg = request ("GET", port, "health", NULL, NULL);
  answer = send_json (session, msg, 200);
  g_assert_cmpstr (json_object_get_string_member (answer, "status"), ==, "ok");
  g_assert_cmpint (json_object_get_int_member (answer, "schema"), ==,
                   esa_store_current_schema_version ());
  g_assert_cmpint (json_object_get_int_member (answer, "server_seq"), >, 0);
  g_clear_object (&msg);
  g_clear_pointer (&answer, json_object_unref);

  msg = request ("POST", port, "login", NULL, "{\"user\":\"alice\",\"password\":\"nope\"}");
  answer = send_json (session, msg, 401);
  g_assert_cmpstr (json_object_get_string_member (answer, "error"), ==, "wrong_credentials");
  g_clear_object (&msg);
  g_clear_pointer (&answer, json_object_unref);

  login_body = g_strdup_printf ("{\"user\":\"alice\",\"password\":\"%s\"}", PASSWORD);
  msg = request ("POST", port, "login", NULL, login_body);
  answer = send_json (session, msg, 200);
  token = g_strdup (json_object_get_string_member (answer, "token"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (answer, "user"),
                                                  "office_id"), ==, office_id);
  g_clear_object (&msg);
  g_clear_pointer (&answer, json_object_unref);

  msg = request ("GET", port, "pull?cursor=0&limit=50", token, NULL);
  answer = send_json (session, msg, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (answer, "rows")), ==, 50);
  g_assert_true (json_object_get_boolean_member (answer, "more"));
  g_clear_object (&msg);
  g_clear_pointer (&answer, json_object_unref);

  msg = request ("GET", port, "pull?cursor=0", "forged", NULL);
  answer = send_json (session, msg, 401);
  g_assert_cmpstr (json_object_get_string_member (answer, "error"), ==, "bad_token");
  g_clear_object (&msg);
  g_clear_pointer (&answer, json_object_unref);

  /* A client trusting another CA refuses the server. */
  wrong_ca = g_build_filename (other_data, "ca.pem", NULL);
  wrong = g_tls_file_database_new (wrong_ca, &error);
  g_assert_no_error (error);
  wrong_session = soup_session_new_with_options ("tls-database", wrong, NULL);
  msg = request ("GET", port, "health", NULL, NULL);
  bytes = soup_session_send_and_read (wrong_session, msg, NULL, &error);
  g_assert_null (bytes);
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  g_test_message ("wrong CA: %s", error->message);
  g_clear_error (&error);
  g_clear_object (&msg);

  /* Plain HTTP is not served. */
  {
    g_autofree char *uri = g_strdup_printf ("http://127.0.0.1:%u/api/v1/health", port);
    g_autoptr(SoupMessage) plain = soup_message_new ("GET", uri);
    g_autoptr(GBytes) none = soup_session_send_and_read (session, plain, NULL, &error);

    g_assert_true (none == NULL || soup_message_get_status (plain) != 200);
    g_clear_error (&error);
  }

  g_subprocess_send_signal (process, SIGTERM);
  g_assert_true (g_subprocess_wait (process, NULL, &error));
  g_assert_no_error (error);
  remove_tree (dir);
  remove_tree (other);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, demo) \
  g_test_add (path, Fixture, demo, fixture_set_up, func, fixture_tear_down)
  ADD ("/server/init", test_init, NULL);
  ADD ("/server/user-add", test_user_add, "demo");
  ADD ("/server/login", test_login, NULL);
  ADD ("/server/throttling", test_throttling, NULL);
  ADD ("/server/token-expiry", test_token_expiry, NULL);
  ADD ("/server/office-isolation", test_office_isolation, "demo");
  ADD ("/server/field-officer-scope", test_field_officer_scope, "demo");
  ADD ("/server/push-dedupe", test_push_dedupe, "demo");
  ADD ("/server/merged-paid-and-search", test_merged_paid_and_search, "demo");
  ADD ("/server/command-conflict", test_command_conflict, "demo");
  ADD ("/server/other-office-refused", test_other_office_refused, "demo");
  ADD ("/server/act-renumbered", test_act_renumbered, "demo");
  ADD ("/server/attachments", test_attachments, "demo");
  ADD ("/server/handle", test_handle, "demo");
#undef ADD
  g_test_add_func ("/server/https", test_https);
  return g_test_run ();
}
