/* The server side of sync over HTTPS on loopback: esattore-server (the built
 * executable, argv[1]) with the demo data of $ESATTORE_BENCH_DEBTORS debtors
 * (default 50,000) serves one office's initial sync end to end: the sync
 * client (EsaSyncClient over its HTTPS transport, trusting only the
 * development CA) pulls every page and lands every row in a new replica
 * database, as `esattore-cli sync` does (rows per second, with the load
 * average of the machine); then a push of 1,000 field edits in one request
 * (seconds), and small pull requests one after the other (requests per
 * second). With `wrk` on PATH, wrk -t2 -c8 -d10s on the
 * pull endpoint too. Goals (issue 5): >= 20,000 rows/s initial sync, a
 * 1,000-op push under a second.
 *
 * Files go into a temporary directory, removed at the end. */

#include "esa-config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <unistd.h>
#include <string.h>

#include "esa-store-private.h"
#include "esa-store-sync.h"
#include "esa-sync-client.h"
#include "esa-sync-http.h"

#define PASSWORD "bench password"

static void
run (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
                                                      &error);

  if (process == NULL || !g_subprocess_wait_check (process, NULL, &error))
    g_error ("%s: %s", argv[3], error->message);
}

static JsonNode *
call (SoupSession *session,
      const char  *method,
      const char  *uri,
      const char  *token,
      const char  *body)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  if (token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_append (soup_message_get_request_headers (msg), "Authorization",
                                   value);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", request);
    }
  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  if (bytes == NULL || soup_message_get_status (msg) != 200)
    g_error ("%s %s: %s (HTTP %u)", method, uri, error != NULL ? error->message : "",
             soup_message_get_status (msg));
  node = json_from_string (g_bytes_get_data (bytes, NULL), &error);
  if (node == NULL)
    g_error ("%s: %s", uri, error->message);
  return node;
}

/* The 1-minute load average, for the record beside a measurement: the
 * machine is shared. (transfer full) */
static char *
load_average (void)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return g_strdup ("?");
  fields = g_strsplit (text, " ", 4);
  return g_strdup (fields[0] != NULL ? fields[0] : "?");
}

static double
tv_seconds (const struct timeval *tv)
{
  return tv->tv_sec + tv->tv_usec / 1e6;
}

/* User and system CPU seconds of process @pid so far (/proc/PID/stat). */
static double
process_cpu (const char *pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", pid);
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_name;

  if (pid == NULL || !g_file_get_contents (path, &text, NULL, NULL)
      || (after_name = strrchr (text, ')')) == NULL)
    return 0;
  /* After "pid (comm) ": state is field 3, utime 14 and stime 15. */
  fields = g_strsplit (after_name + 2, " ", 16);
  if (g_strv_length (fields) < 14)
    return 0;
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL))
         / sysconf (_SC_CLK_TCK);
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

int
main (int    argc,
      char **argv)
{
  const char *server = argc > 1 ? argv[1] : NULL;
  const char *size = g_getenv ("ESATTORE_BENCH_DEBTORS");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("esa-bench-sync-XXXXXX", &error);
  g_autofree char *data = g_build_filename (dir, "data", NULL);
  g_autofree char *password_file = g_build_filename (dir, "password", NULL);
  g_autofree char *db_path = g_build_filename (data, "server.db", NULL);
  g_autofree char *ca = g_build_filename (data, "ca.pem", NULL);
  g_autofree char *office_id = NULL;
  g_autofree char *root = NULL;
  g_autofree char *base = NULL;
  g_autofree char *login = NULL;
  g_autofree char *token = NULL;
  g_autofree char *line = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *wrk = g_find_program_in_path ("wrk");
  g_autoptr(GPtrArray) debtors = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GString) push = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  gint64 cursor = 0;
  gint64 rows = 0;
  guint pages = 0;
  guint port;
  double seconds;

  if (server == NULL || dir == NULL)
    g_error ("usage: bench-sync-server PATH-TO-esattore-server");
  if (size == NULL)
    size = "50000";
  g_file_set_contents (password_file, PASSWORD, -1, NULL);

  run ((const char *[]) { server, "--data", data, "init", "--password-file", password_file,
                          NULL });
  g_timer_start (timer);
  run ((const char *[]) { server, "--data", data, "demo", "--debtors", size, NULL });
  g_print ("demo of %s debtors with its change log: %.1f s\n", size, g_timer_elapsed (timer, NULL));

  {
    g_autoptr(EsaStore) store = esa_store_open (db_path, &error);
    g_autoptr(GPtrArray) stats = NULL;
    gint64 best = -1;

    if (store == NULL || (stats = esa_store_office_stats (store, &error)) == NULL)
      g_error ("%s", error->message);
    for (guint i = 0; i < stats->len; i++)
      {
        EsaOfficeStats *office = g_ptr_array_index (stats, i);

        if (office->debtors > best)
          {
            best = office->debtors;
            g_free (office_id);
            office_id = g_strdup (office->office_id);
          }
      }
    g_print ("office %s: %" G_GINT64_FORMAT " debtors\n", office_id, best);
  }
  run ((const char *[]) { server, "--data", data, "user", "add", "bench", "--role", "officer",
                          "--office", office_id, "--password-file", password_file, NULL });

  process = g_subprocess_newv ((const char *[]) { server, "--data", data, "serve", "--listen",
                                                  "127.0.0.1:0", NULL },
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  if (process == NULL)
    g_error ("%s", error->message);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  if (line == NULL)
    g_error ("the server did not start");
  port = (guint) g_ascii_strtoull (strrchr (line, ' ') + 1, NULL, 10);
  root = g_strdup_printf ("https://127.0.0.1:%u", port);
  base = g_strconcat (root, "/api/v1", NULL);

  database = g_tls_file_database_new (ca, &error);
  session = soup_session_new_with_options ("tls-database", database, "timeout", 600, NULL);
  login = g_strdup_printf ("{\"user\":\"bench\",\"password\":\"%s\"}", PASSWORD);
  g_free (uri);
  uri = g_strconcat (base, "/login", NULL);
  answer = call (session, "POST", uri, NULL, login);
  token = g_strdup (json_object_get_string_member (json_node_get_object (answer), "token"));
  g_clear_pointer (&answer, json_node_unref);

  /* Initial sync: every row landed in the replica. */
  {
    g_autofree char *replica_path = g_build_filename (dir, "replica.db", NULL);
    g_autofree char *before = load_average ();
    g_autofree char *after = NULL;
    g_autoptr(EsaStore) replica = esa_store_open (replica_path, &error);
    g_autoptr(EsaSyncHttp) http = NULL;
    g_autoptr(EsaSyncClient) client = NULL;
    EsaSyncReport report = { 0 };
    sqlite3_stmt *stmt = NULL;
    struct rusage usage;
    double client_cpu;
    double server_cpu;

    if (replica == NULL || (http = esa_sync_http_new (root, ca, &error)) == NULL)
      g_error ("%s", error->message);
    client = esa_sync_client_new (replica, ESA_SYNC_TRANSPORT (http));
    if (!esa_sync_client_set_token (client, token, NULL, &error))
      g_error ("%s", error->message);
    server_cpu = process_cpu (g_subprocess_get_identifier (process));
    getrusage (RUSAGE_SELF, &usage);
    client_cpu = tv_seconds (&usage.ru_utime) + tv_seconds (&usage.ru_stime);
    g_timer_start (timer);
    if (!esa_sync_client_pull (client, &report, NULL, &error))
      g_error ("initial sync: %s", error->message);
    seconds = g_timer_elapsed (timer, NULL);
    server_cpu = process_cpu (g_subprocess_get_identifier (process)) - server_cpu;
    getrusage (RUSAGE_SELF, &usage);
    client_cpu = tv_seconds (&usage.ru_utime) + tv_seconds (&usage.ru_stime) - client_cpu;
    after = load_average ();
    rows = report.pulled;
    pages = report.pull_requests;
    g_print ("initial sync into a replica: %" G_GINT64_FORMAT " rows (%" G_GINT64_FORMAT
             " debtors) in %u pages, %.2f s, %.0f rows/s (goal 20000); load average %s before, "
             "%s after\n"
             "  CPU: client %.2f s (receiving and landing the rows), server %.2f s\n",
             rows, esa_store_count_debtors (replica, NULL), pages, seconds, rows / seconds,
             before, after, client_cpu, server_cpu);

    /* Debtors for the push. */
    if (sqlite3_prepare_v2 (_esa_store_get_db (replica), "SELECT id FROM debtors LIMIT 1000", -1,
                            &stmt, NULL) != SQLITE_OK)
      g_error ("cannot read the replica");
    while (sqlite3_step (stmt) == SQLITE_ROW)
      g_ptr_array_add (debtors, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
    sqlite3_finalize (stmt);
    {
      g_autofree char *last = esa_store_sync_state_get (replica, ESA_SYNC_STATE_CURSOR, NULL);

      cursor = last != NULL ? g_ascii_strtoll (last, NULL, 10) : 0;
    }
  }

  /* A push of 1,000 field edits. */
  push = g_string_new ("{\"schema\":7,\"device\":\"bench\",\"ops\":[");
  for (guint i = 0; i < debtors->len; i++)
    {
      g_autofree char *op_id = g_strdup_printf ("bench-op-%u", i);
      const char *id = g_ptr_array_index (debtors, i);

      g_string_append_printf (push, "%s{\"op_id\":\"%s\",\"kind\":\"field\",\"entity\":\"debtor\","
                              "\"entity_id\":\"%s\",\"payload\":{},\"base_version\":1,"
                              "\"hlc\":\"0001790000000000-%06u\",\"schema_version\":7,"
                              "\"created_at\":\"2026-11-23T10:00:00Z\","
                              "\"rows\":[{\"t\":\"debtors\",\"k\":\"%s\",\"before\":"
                              "{\"insolvent_since\":null},\"after\":{\"id\":\"%s\","
                              "\"insolvent_since\":\"2026-11-0%u\"}}]}",
                              i > 0 ? "," : "", op_id, id, i, id, id, 1 + i % 9);
    }
  g_string_append (push, "]}");
  g_free (uri);
  uri = g_strconcat (base, "/push", NULL);
  g_timer_start (timer);
  answer = call (session, "POST", uri, token, push->str);
  seconds = g_timer_elapsed (timer, NULL);
  {
    JsonArray *results = json_object_get_array_member (json_node_get_object (answer), "results");
    guint applied = 0;

    for (guint i = 0; i < json_array_get_length (results); i++)
      if (g_str_equal (json_object_get_string_member (json_array_get_object_element (results, i),
                                                      "status"), "applied"))
        applied++;
    g_print ("push of %u ops: %u applied in %.3f s (goal < 1 s)\n", debtors->len, applied,
             seconds);
  }
  g_clear_pointer (&answer, json_node_unref);

  /* Small pulls one after the other: the requests a device makes when
   * nothing changed. */
  g_free (uri);
  uri = g_strdup_printf ("%s/pull?cursor=%" G_GINT64_FORMAT "&limit=100", base, cursor);
  g_timer_start (timer);
  for (int i = 0; i < 2000; i++)
    {
      answer = call (session, "GET", uri, token, NULL);
      g_clear_pointer (&answer, json_node_unref);
    }
  seconds = g_timer_elapsed (timer, NULL);
  {
    g_autofree char *load = load_average ();

    g_print ("pull requests, one connection: %.0f requests/s; load average %s\n",
             2000 / seconds, load);
  }

  if (wrk != NULL)
    {
      g_autofree char *header = g_strconcat ("Authorization: Bearer ", token, NULL);
      g_autoptr(GSubprocess) bench = NULL;
      g_autofree char *report = NULL;

      bench = g_subprocess_newv ((const char *[]) { wrk, "-t2", "-c8", "-d10s", "-H", header, uri,
                                                    NULL },
                                 G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
      if (bench != NULL && g_subprocess_communicate_utf8 (bench, NULL, NULL, &report, NULL,
                                                          &error))
        g_print ("wrk -t2 -c8 -d10s on pull:\n%s", report);
    }
  else
    g_print ("wrk: not installed, skipped\n");

  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, NULL);
  remove_tree (dir);
  return 0;
}
