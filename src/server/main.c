/* esattore-server: the central server Esattore workstations sync with.
 *
 *   esattore-server --data DIR init [--password-file F]
 *   esattore-server --data DIR demo [--debtors N] [--seed S]
 *   esattore-server --data DIR user add NAME --role ROLE --office OFFICE_ID [--password-file F]
 *   esattore-server --data DIR serve --listen ADDRESS:PORT [--cert C --key K]
 *                                    [--token-lifetime SECONDS]
 *
 * The API is described in help/C/server-api.page. */

#include "esa-config.h"

#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <locale.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>

#include "esa-server-core.h"
#include "esa-server-http.h"

static char *data_dir = NULL;

static int
fail (GError *error)
{
  /* Translators: the prefix of the server's error messages */
  g_printerr (_("esattore-server: %s\n"), error->message);
  g_error_free (error);
  return EXIT_FAILURE;
}

static gboolean
parse (const char    *parameter,
       const char    *summary,
       GOptionEntry  *entries,
       int           *argc,
       char        ***argv,
       GError       **error)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameter);

  g_option_context_set_summary (context, summary);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  return g_option_context_parse (context, argc, argv, error);
}

/* A password from the first line of @path. */
static char *
read_password (const char  *path,
               GError     **error)
{
  g_autofree char *text = NULL;
  char *end;

  if (!g_file_get_contents (path, &text, NULL, error))
    return NULL;
  end = strchr (text, '\n');
  if (end != NULL)
    *end = '\0';
  if (*text == '\0')
    {
      g_set_error (error, ESA_SERVER_ERROR, ESA_SERVER_ERROR_INVALID,
                   /* Translators: %s is a file */
                   _("the password file %s is empty"), path);
      return NULL;
    }
  return g_steal_pointer (&text);
}

static int
cmd_init (int    argc,
          char **argv)
{
  g_autofree char *password_file = NULL;
  g_autofree char *password = NULL;
  g_autofree char *made = NULL;
  g_autofree char *ca = NULL;
  GError *error = NULL;
  GOptionEntry entries[] = {
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
      N_("The administrator’s password (first line); without it one is made and printed"),
      N_("FILE") },
    { NULL }
  };

  if (!parse (NULL, _("Creates the server database, development certificates and the "
                      "administrator “admin”."), entries, &argc, &argv, &error))
    return fail (error);
  if (password_file != NULL && (password = read_password (password_file, &error)) == NULL)
    return fail (error);
  if (!esa_server_core_init (data_dir, password, &made, &ca, &error))
    return fail (error);

  /* Translators: %s is a directory */
  g_print (_("Server initialised in %s\n"), data_dir);
  /* Translators: %s is the file clients must trust */
  g_print (_("Certificate authority for the clients: %s\n"), ca);
  if (made != NULL)
    /* Translators: %s is a password, shown this once */
    g_print (_("Administrator “admin”, password (shown only now): %s\n"), made);
  return EXIT_SUCCESS;
}

static int
cmd_demo (int    argc,
          char **argv)
{
  g_autoptr(EsaServerCore) core = NULL;
  gint debtors = 5000;
  gint64 seed = 1;
  GError *error = NULL;
  GOptionEntry entries[] = {
    { "debtors", 0, 0, G_OPTION_ARG_INT, &debtors, N_("How many debtors (default 5000)"),
      N_("N") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed,
      N_("The seed: the same seed gives the same ids as esattore-cli demo"), N_("S") },
    { NULL }
  };

  if (!parse (NULL, _("Fills the server with invented demo data."), entries, &argc, &argv,
              &error))
    return fail (error);
  if (debtors < 1 || seed < 0)
    {
      g_printerr (_("esattore-server: --debtors must be at least 1 and --seed not negative\n"));
      return EXIT_FAILURE;
    }
  core = esa_server_core_open (data_dir, &error);
  if (core == NULL || !esa_server_core_demo (core, (guint) debtors, (guint64) seed, &error))
    return fail (error);
  /* Translators: %d is a number of debtors */
  g_print (g_dngettext (GETTEXT_PACKAGE, "Demo data with %d debtor written\n",
                        "Demo data with %d debtors written\n", (gulong) debtors), debtors);
  return EXIT_SUCCESS;
}

static int
cmd_user (int    argc,
          char **argv)
{
  g_autoptr(EsaServerCore) core = NULL;
  g_autofree char *role = NULL;
  g_autofree char *office = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *password = NULL;
  g_autofree char *user_id = NULL;
  gboolean made = FALSE;
  GError *error = NULL;
  GOptionEntry entries[] = {
    { "role", 0, 0, G_OPTION_ARG_STRING, &role,
      N_("officer, field_officer, team_lead, responsible, contact_operator, administrator "
         "or auditor"), N_("ROLE") },
    { "office", 0, 0, G_OPTION_ARG_STRING, &office, N_("The office’s id"), N_("OFFICE_ID") },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
      N_("The password (first line); without it one is made and printed"), N_("FILE") },
    { NULL }
  };

  if (!parse (N_("add NAME"), _("Adds a user who may log in."), entries, &argc, &argv, &error))
    return fail (error);
  if (argc != 3 || !g_str_equal (argv[1], "add") || role == NULL || office == NULL)
    {
      g_printerr (_("Usage: esattore-server --data DIR user add NAME --role ROLE "
                    "--office OFFICE_ID [--password-file FILE]\n"));
      return EXIT_FAILURE;
    }
  if (password_file != NULL)
    password = read_password (password_file, &error);
  else
    {
      guint8 bytes[12];

      if (sodium_init () < 0)
        {
          g_printerr (_("esattore-server: libsodium could not be initialised\n"));
          return EXIT_FAILURE;
        }
      randombytes_buf (bytes, sizeof bytes);
      password = g_base64_encode (bytes, sizeof bytes);
      made = TRUE;
    }
  if (password == NULL)
    return fail (error);
  core = esa_server_core_open (data_dir, &error);
  if (core == NULL)
    return fail (error);
  user_id = esa_server_core_user_add (core, argv[2], role, office, password, &error);
  if (user_id == NULL)
    return fail (error);
  /* Translators: %s is a login, %s a user id */
  g_print (_("User %s added (id %s)\n"), argv[2], user_id);
  if (made)
    /* Translators: %s is a password, shown this once */
    g_print (_("Password (shown only now): %s\n"), password);
  return EXIT_SUCCESS;
}

static gboolean
on_signal (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static int
cmd_serve (int    argc,
           char **argv)
{
  g_autoptr(EsaServerCore) core = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  gint64 lifetime = ESA_SERVER_TOKEN_LIFETIME;
  guint port = 0;
  GError *error = NULL;
  GOptionEntry entries[] = {
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen,
      N_("Address and port, e.g. 127.0.0.1:8443 (port 0: any free port)"), N_("ADDRESS:PORT") },
    { "cert", 0, 0, G_OPTION_ARG_FILENAME, &cert,
      N_("The server certificate (PEM; default DIR/server.pem)"), N_("FILE") },
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &key,
      N_("Its private key (PEM; default DIR/server.key)"), N_("FILE") },
    { "token-lifetime", 0, 0, G_OPTION_ARG_INT64, &lifetime,
      N_("Seconds a login token lives (default 28800: eight hours)"), N_("SECONDS") },
    { NULL }
  };

  if (!parse (NULL, _("Serves the API over HTTPS."), entries, &argc, &argv, &error))
    return fail (error);
  if (listen == NULL || lifetime < 1)
    {
      g_printerr (_("Usage: esattore-server --data DIR serve --listen ADDRESS:PORT "
                    "[--cert FILE --key FILE] [--token-lifetime SECONDS]\n"));
      return EXIT_FAILURE;
    }
  if (cert == NULL)
    cert = g_build_filename (data_dir, "server.pem", NULL);
  if (key == NULL)
    key = g_build_filename (data_dir, "server.key", NULL);
  certificate = g_tls_certificate_new_from_files (cert, key, &error);
  if (certificate == NULL)
    {
      GError *wrapped = g_error_new (ESA_SERVER_ERROR, ESA_SERVER_ERROR_TLS,
                                     /* Translators: %s are files, then the reason */
                                     _("cannot read the certificate %s with its key %s: %s"),
                                     cert, key, error->message);

      g_error_free (error);
      return fail (wrapped);
    }
  core = esa_server_core_open (data_dir, &error);
  if (core == NULL)
    return fail (error);
  esa_server_core_set_token_lifetime (core, lifetime);

  server = esa_server_http_new (core, certificate);
  if (!esa_server_http_listen (server, listen, &port, &error))
    return fail (error);

  /* Translators: %u is a port; scripts and tests read this line */
  g_print (_("Listening on port %u\n"), port);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, on_signal, loop);
  g_unix_signal_add (SIGTERM, on_signal, loop);
  g_main_loop_run (loop);
  soup_server_disconnect (server);
  return EXIT_SUCCESS;
}

int
main (int    argc,
      char **argv)
{
  const char *localedir = g_getenv ("ESATTORE_LOCALEDIR");
  g_autoptr(GOptionContext) context = NULL;
  GError *error = NULL;
  const char *command;
  GOptionEntry entries[] = {
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &data_dir,
      N_("The server’s data directory (server.db, certificates, attachments)"), N_("DIR") },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (N_("COMMAND [OPTIONS…]"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Commands: init, demo, user add, serve. "
                                           "“COMMAND --help” describes one."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_strict_posix (context, TRUE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return fail (error);
  if (argc < 2 || data_dir == NULL)
    {
      g_printerr (_("Usage: esattore-server --data DIR COMMAND (init, demo, user add, serve)\n"));
      return EXIT_FAILURE;
    }

  command = argv[1];
  if (g_str_equal (command, "init"))
    return cmd_init (argc - 1, argv + 1);
  if (g_str_equal (command, "demo"))
    return cmd_demo (argc - 1, argv + 1);
  if (g_str_equal (command, "user"))
    return cmd_user (argc - 1, argv + 1);
  if (g_str_equal (command, "serve"))
    return cmd_serve (argc - 1, argv + 1);
  /* Translators: %s is what was given as a command */
  g_printerr (_("esattore-server: unknown command “%s”\n"), command);
  return EXIT_FAILURE;
}
