/* The commands that manage the database file itself: init, demo, audit. */

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

#include "esa-cli.h"
#include "esa-demo.h"

typedef struct
{
  int last_percent;
} DemoProgress;

int
esa_cli_init (EsaCliContext *cli,
              int            argc,
              char         **argv)
{
  g_autoptr(EsaStore) store = NULL;
  int status;

  if (!esa_cli_parse_options (cli, "", _("Creates the database, or migrates it to the current "
                                         "schema, and prints the schema version."),
                              NULL, 0, 0, &argc, &argv, &status))
    return status;

  store = esa_cli_open_store (cli, TRUE, &status);
  if (store == NULL)
    return status;

  /* Translators: %s is a file name, %d a number */
  g_print (_("%s: schema version %d\n"), esa_store_get_path (store),
           esa_store_get_schema_version (store));

  return ESA_CLI_EXIT_OK;
}

static void
on_demo_progress (double   fraction,
                  gpointer user_data)
{
  DemoProgress *progress = user_data;
  int percent = (int) CLAMP (fraction * 100.0, 0.0, 100.0);

  if (percent == progress->last_percent)
    return;
  progress->last_percent = percent;

  g_printerr ("\r");
  /* Translators: shown while the demo data is written; %d is a percentage */
  g_printerr (_("Generating demo data… %3d %%"), percent);
}

static gboolean
parse_count (const char  *option,
             const char  *text,
             guint64      min,
             guint64      max,
             guint64     *out)
{
  g_autoptr(GError) error = NULL;

  if (!g_ascii_string_to_unsigned (text, 10, min, max, out, &error))
    {
      esa_cli_printerr ("%s: %s", option, error->message);
      return FALSE;
    }

  return TRUE;
}

static void
print_count (const char *label,
             gint64      count)
{
  g_print ("%-12s %" G_GINT64_FORMAT "\n", label, count);
}

int
esa_cli_demo (EsaCliContext *cli,
              int            argc,
              char         **argv)
{
  g_autofree char *debtors_text = NULL;
  g_autofree char *seed_text = NULL;
  const GOptionEntry entries[] = {
    { "debtors", 0, 0, G_OPTION_ARG_STRING, &debtors_text,
      N_("How many debtors to invent (default 5000)"), N_("N") },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed_text,
      N_("The seed: the same seed and size give the same data (default 1)"), N_("S") },
    { NULL }
  };
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(GPtrArray) bodies = NULL;
  g_autoptr(GPtrArray) offices = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GError) error = NULL;
  EsaDemoOptions options;
  DemoProgress progress = { -1 };
  gboolean show_progress;
  gint64 debtors, positions = 0;
  gboolean ok;
  int status;

  if (!esa_cli_parse_options (cli, "", _("Fills an empty database with invented demo data."),
                              entries, 0, 0, &argc, &argv, &status))
    return status;

  esa_demo_options_init (&options);
  if (debtors_text != NULL)
    {
      guint64 value;

      if (!parse_count ("--debtors", debtors_text, 1, 10000000, &value))
        return ESA_CLI_EXIT_INVALID;
      options.debtors = (guint) value;
    }
  if (seed_text != NULL && !parse_count ("--seed", seed_text, 0, G_MAXUINT64, &options.seed))
    return ESA_CLI_EXIT_INVALID;

  store = esa_cli_open_store (cli, TRUE, &status);
  if (store == NULL)
    return status;

  /* Progress only for a person watching: a log file gets the counts. */
  show_progress = isatty (STDERR_FILENO);
  if (show_progress)
    {
      options.progress = on_demo_progress;
      options.progress_data = &progress;
    }

  ok = esa_demo_generate (store, &options, &error);
  if (show_progress && progress.last_percent >= 0)
    g_printerr ("\n");
  if (!ok)
    return esa_cli_report_error (cli, error);

  bodies = esa_store_list_bodies (store, &error);
  if (bodies != NULL)
    offices = esa_store_list_offices (store, &error);
  if (offices != NULL)
    users = esa_store_list_users (store, &error);
  if (users == NULL)
    return esa_cli_report_error (cli, error);
  debtors = esa_store_count_debtors (store, &error);
  if (error == NULL)
    positions = esa_store_count_positions (store, &error);
  if (error != NULL)
    return esa_cli_report_error (cli, error);

  print_count (_("Bodies:"), bodies->len);
  print_count (_("Offices:"), offices->len);
  print_count (_("Users:"), users->len);
  print_count (_("Debtors:"), debtors);
  print_count (_("Positions:"), positions);

  return ESA_CLI_EXIT_OK;
}

int
esa_cli_audit (EsaCliContext *cli,
               int            argc,
               char         **argv)
{
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *count = NULL;
  gint64 checked = 0;
  int status;

  if (!esa_cli_parse_options (cli, "verify",
                              _("Walks the audit journal's hash chain from the first entry and "
                                "names the first entry that was altered."),
                              NULL, 1, 1, &argc, &argv, &status))
    return status;

  if (strcmp (argv[1], "verify") != 0)
    {
      esa_cli_printerr (_("audit: unknown action “%s”; usage: %s --db FILE audit verify"),
                        argv[1], g_get_prgname ());
      return ESA_CLI_EXIT_INVALID;
    }

  store = esa_cli_open_store (cli, FALSE, &status);
  if (store == NULL)
    return status;

  if (!esa_store_audit_verify (store, &checked, &error))
    return esa_cli_report_error (cli, error);

  count = g_strdup_printf ("%" G_GINT64_FORMAT, checked);
  /* Translators: %s is a number */
  g_print (g_dngettext (GETTEXT_PACKAGE, "%s entry verified\n", "%s entries verified\n",
                        (gulong) CLAMP (checked, 0, (gint64) G_MAXULONG)),
           count);

  return ESA_CLI_EXIT_OK;
}
