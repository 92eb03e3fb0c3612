/* sync: pushes the database's pending operations to the central server and
 * pulls what changed there (DESIGN.md "Sync"). */

#include <string.h>

#include <glib/gi18n-lib.h>

#include "esa-cli.h"
#include "esa-store-sync.h"
#include "esa-sync-client.h"
#include "esa-sync-http.h"

static char *
read_password (const char  *path,
               GError     **error)
{
  g_autofree char *text = NULL;
  gsize length;

  if (!g_file_get_contents (path, &text, &length, error))
    return NULL;
  /* The first line: files written by `echo` end with a newline. */
  text[strcspn (text, "\r\n")] = '\0';
  return g_steal_pointer (&text);
}

/* Says that a failure lost nothing. */
static void
print_kept (EsaStore *store)
{
  gint64 pending = esa_store_count_pending_ops (store, NULL);
  g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, MAX (pending, 0));

  /* Translators: %s is a number */
  esa_cli_printerr (g_dngettext (NULL, "%s operation is kept in the outbox",
                                 "%s operations are kept in the outbox", (gulong) MAX (pending, 0)),
                    count);
}

int
esa_cli_sync (EsaCliContext  *cli,
              int             argc,
              char          **argv)
{
  g_autofree char *server = NULL;
  g_autofree char *ca = NULL;
  g_autofree char *user = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *password = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &server,
      N_("The central server, https://HOST:PORT (default: the last one used)"), N_("URL") },
    { "ca", 0, 0, G_OPTION_ARG_FILENAME, &ca,
      N_("The office's CA certificate (PEM): the only one trusted"), N_("FILE") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("The login name at the server"),
      N_("NAME") },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
      N_("A file whose first line is the password"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the outcome as JSON"), NULL },
    { NULL }
  };
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(EsaSyncHttp) http = NULL;
  g_autoptr(EsaSyncClient) client = NULL;
  g_autoptr(GError) error = NULL;
  EsaSyncReport report;
  int status;

  if (!esa_cli_parse_options (cli, "",
                              _("Pushes the operations waiting in the outbox to the central "
                                "server and pulls what changed there. On any failure every "
                                "operation stays in the outbox."),
                              entries, 0, 0, &argc, &argv, &status))
    return status;

  /* A first sync makes the workstation's replica. */
  store = esa_cli_open_store (cli, TRUE, &status);
  if (store == NULL)
    return status;

  if (server == NULL)
    server = esa_store_sync_state_get (store, ESA_SYNC_STATE_SERVER, NULL);
  if (ca == NULL)
    ca = esa_store_sync_state_get (store, ESA_SYNC_STATE_CA, NULL);
  if (server == NULL || ca == NULL)
    {
      esa_cli_printerr (_("--server and --ca are required the first time"));
      return ESA_CLI_EXIT_INVALID;
    }
  if (password_file != NULL)
    {
      password = read_password (password_file, &error);
      if (password == NULL)
        {
          esa_cli_printerr (_("cannot read the password: %s"), error->message);
          return ESA_CLI_EXIT_INVALID;
        }
    }
  if (password != NULL && user == NULL)
    {
      esa_cli_printerr (_("--user is required with --password-file"));
      return ESA_CLI_EXIT_INVALID;
    }

  http = esa_sync_http_new (server, ca, &error);
  if (http == NULL)
    {
      esa_cli_printerr ("%s", error->message);
      return ESA_CLI_EXIT_INVALID;
    }

  client = esa_sync_client_new (store, ESA_SYNC_TRANSPORT (http));
  if (password != NULL)
    {
      gboolean offline = FALSE;

      if (!esa_sync_client_login (client, user, password, &offline, NULL, &error))
        {
          esa_cli_printerr ("%s", error->message);
          print_kept (store);
          return ESA_CLI_EXIT_FAILURE;
        }
      if (offline)
        {
          esa_cli_printerr ("%s", esa_sync_client_get_last_error (client));
          print_kept (store);
          return ESA_CLI_EXIT_FAILURE;
        }
    }

  if (!esa_sync_client_sync (client, &report, NULL, &error))
    {
      esa_cli_printerr ("%s", error->message);
      print_kept (store);
      return ESA_CLI_EXIT_FAILURE;
    }

  /* The server and CA that worked are the defaults of the next sync and of
   * the workbench's background sync. */
  {
    g_autofree char *absolute = g_canonicalize_filename (ca, NULL);

    if (!esa_store_sync_state_set (store, ESA_SYNC_STATE_SERVER, server, &error)
        || !esa_store_sync_state_set (store, ESA_SYNC_STATE_CA, absolute, &error))
      return esa_cli_report_error (cli, error);
  }

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      esa_cli_json_add_int (builder, "pushed", report.pushed);
      esa_cli_json_add_int (builder, "applied", report.applied);
      esa_cli_json_add_int (builder, "duplicates", report.duplicates);
      esa_cli_json_add_int (builder, "conflicts", report.conflicts);
      esa_cli_json_add_int (builder, "pulled", report.pulled);
      esa_cli_json_add_int (builder, "purged", report.purged);
      esa_cli_json_add_int (builder, "pending", report.pending);
      esa_cli_json_add_int (builder, "open_conflicts", report.open_conflicts);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      return esa_cli_print_json (root);
    }

  g_print (_("Pushed:     %u (applied %u, already there %u, conflicts %u)\n"), report.pushed,
           report.applied, report.duplicates, report.conflicts);
  g_print (_("Pulled:     %u rows\n"), report.pulled);
  if (report.purged > 0)
    g_print (_("Removed:    %u dossiers no longer in scope\n"), report.purged);
  {
    g_autofree char *pending = g_strdup_printf ("%" G_GINT64_FORMAT, report.pending);
    g_autofree char *conflicts = g_strdup_printf ("%" G_GINT64_FORMAT, report.open_conflicts);

    /* Translators: %s is a number of operations waiting to be pushed */
    g_print (_("Pending:    %s\n"), pending);
    /* Translators: %s is a number of conflicts not resolved yet */
    g_print (_("Conflicts:  %s open\n"), conflicts);
  }
  return ESA_CLI_EXIT_OK;
}
