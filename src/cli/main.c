/* esattore-cli: Esattore for scripts, batch jobs and administration.
 *
 *   esattore-cli [--db FILE] COMMAND [ARGUMENTS…]
 *
 * The global options come before the command; each command parses its own
 * options with GOption, so "COMMAND --help" describes it. */

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "esa-config.h"
#include "esa-cli.h"

typedef struct
{
  const char        *name;
  const char        *description;
  EsaCliCommandFunc  func;
  gboolean           uses_db;
} EsaCliCommand;

static int help_command (EsaCliContext *cli, int argc, char **argv);

static const EsaCliCommand commands[] = {
  { "check-id",
    N_("Check an identifier (KIND VALUE) and print its normalized and printed forms"),
    esa_cli_check_id, FALSE },
  { "init", N_("Create the database, or bring it to the current schema"),
    esa_cli_init, TRUE },
  { "demo", N_("Fill an empty database with invented demo data"),
    esa_cli_demo, TRUE },
  { "bodies", N_("List the creditor bodies"),
    esa_cli_bodies, TRUE },
  { "users", N_("List the users with their roles and offices"),
    esa_cli_users, TRUE },
  { "stats", N_("Count debtors, positions and cases per office; “stats contacts”: the contact "
                "center’s month"),
    esa_cli_stats_command, TRUE },
  { "search", N_("Find debtors by name, tax id, act number, payment reference or address"),
    esa_cli_search, TRUE },
  { "dossier", N_("Show everything about one debtor"),
    esa_cli_dossier, TRUE },
  { "audit", N_("Check the audit journal (“audit verify”)"),
    esa_cli_audit, TRUE },
  { "case", N_("A case’s procedure: its actions, run one, undo a step, the cases due"),
    esa_cli_case, TRUE },
  { "calc", N_("Interest, fees, instalments and garnishment from the legal tables"),
    esa_cli_calc, FALSE },
  { "report", N_("Write an accounting report: collections, acts, ageing (CSV, XLSX, ODS, PDF, XML)"),
    esa_cli_report, TRUE },
  { "instalments", N_("Instalment monitoring: proposals, and their confirmation by a team lead"),
    esa_cli_instalments, TRUE },
  { "payments", N_("Payment flows: import, the unmatched queue, assign, park, refunds"),
    esa_cli_payments, TRUE },
  { "act", N_("Acts as PDF with payment slips: render one, print a batch"),
    esa_cli_act, TRUE },
  { "form", N_("PDF forms: list the fields, fill them into a copy"),
    esa_cli_form, FALSE },
  { "load-list", N_("Load lists: import a body’s file, show, approve (four eyes), reject"),
    esa_cli_load_list, TRUE },
  { "sync", N_("Push the outbox to the central server and pull what changed there"),
    esa_cli_sync, TRUE },
  { "queue", N_("Open work items (deadlines, service levels, tickets) by due date"),
    esa_cli_queue, TRUE },
  { "ticket", N_("Contact-center tickets: open, escalate, close, show"),
    esa_cli_ticket, TRUE },
  { "help", N_("Show this help, or a command’s help (help COMMAND)"),
    help_command, FALSE },
};

static void
print_usage (FILE *stream)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint i;

  g_string_append_printf (text, "%s\n  %s [--db FILE] %s\n\n", _("Usage:"), g_get_prgname (),
                          _("COMMAND [ARGUMENTS…]"));
  g_string_append_printf (text, "%s\n", _("Commands:"));
  for (i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (text, "  %-12s %s\n", commands[i].name, _(commands[i].description));
  g_string_append_printf (text, "\n%s\n", _("Options:"));
  g_string_append_printf (text, "  %-14s %s\n", "--db FILE", _("The Esattore database to work on"));
  g_string_append_printf (text, "  %-14s %s\n", "--version", _("Print the version and exit"));
  g_string_append_printf (text, "  %-14s %s\n", "-h, --help", _("Show this help and exit"));
  g_string_append_printf (text, "\n%s\n",
                          _("Run “esattore-cli COMMAND --help” for a command’s options."));

  if (stream == stdout)
    g_print ("%s", text->str);
  else
    g_printerr ("%s", text->str);
}

static const EsaCliCommand *
find_command (const char *name)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (commands[i].name, name) == 0)
      return &commands[i];

  return NULL;
}

static int
help_command (EsaCliContext *cli,
              int            argc,
              char         **argv)
{
  const EsaCliCommand *command;
  char *help_argv[] = { NULL, (char *) "--help", NULL };

  if (argc < 2)
    {
      print_usage (stdout);
      return ESA_CLI_EXIT_OK;
    }

  command = find_command (argv[1]);
  if (command == NULL || command->func == help_command)
    {
      esa_cli_printerr (_("unknown command “%s”"), argv[1]);
      print_usage (stderr);
      return ESA_CLI_EXIT_INVALID;
    }

  /* The command's own option parser prints its help and exits. */
  help_argv[0] = argv[1];
  cli->command = command->name;
  cli->uses_db = command->uses_db;
  return command->func (cli, 2, help_argv);
}

static void
setup_gettext (void)
{
  const char *localedir = g_getenv ("ESATTORE_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

/* Reads the global options up to the command's name and runs the command. */
static int
run (EsaCliContext  *cli,
     int             argc,
     char          **argv)
{
  const EsaCliCommand *command;
  int status;
  int i;

  for (i = 1; i < argc && argv[i][0] == '-'; i++)
    {
      const char *arg = argv[i];

      if (strcmp (arg, "--db") == 0)
        {
          if (i + 1 >= argc)
            {
              esa_cli_printerr (_("--db needs a file name"));
              print_usage (stderr);
              return ESA_CLI_EXIT_INVALID;
            }
          g_free (cli->global_db);
          cli->global_db = g_strdup (argv[++i]);
        }
      else if (g_str_has_prefix (arg, "--db="))
        {
          g_free (cli->global_db);
          cli->global_db = g_strdup (arg + strlen ("--db="));
        }
      else if (strcmp (arg, "--version") == 0)
        {
          g_print ("esattore-cli %s\n", PACKAGE_VERSION);
          return ESA_CLI_EXIT_OK;
        }
      else if (strcmp (arg, "--help") == 0 || strcmp (arg, "-h") == 0)
        {
          print_usage (stdout);
          return ESA_CLI_EXIT_OK;
        }
      else if (strcmp (arg, "--") == 0)
        {
          i++;
          break;
        }
      else
        {
          esa_cli_printerr (_("unknown option “%s”"), arg);
          print_usage (stderr);
          return ESA_CLI_EXIT_INVALID;
        }
    }

  if (i >= argc)
    {
      esa_cli_printerr (_("no command given"));
      print_usage (stderr);
      return ESA_CLI_EXIT_INVALID;
    }

  command = find_command (argv[i]);
  if (command == NULL)
    {
      esa_cli_printerr (_("unknown command “%s”"), argv[i]);
      print_usage (stderr);
      return ESA_CLI_EXIT_INVALID;
    }

  cli->command = command->name;
  cli->uses_db = command->uses_db;
  status = command->func (cli, argc - i, argv + i);

  /* Output that could not be written (a full disk, a closed pipe) must not
   * pass for success in a batch job. */
  if (fflush (stdout) != 0 || ferror (stdout))
    {
      esa_cli_printerr (_("cannot write the output"));
      if (status == ESA_CLI_EXIT_OK)
        status = ESA_CLI_EXIT_FAILURE;
    }

  return status;
}

int
main (int    argc,
      char **argv)
{
  EsaCliContext cli = { NULL, };
  int status;

  setup_gettext ();
  g_set_prgname ("esattore-cli");

  status = run (&cli, argc, argv);

  g_free (cli.global_db);
  g_free (cli.command_db);

  return status;
}
