/* instalments: the proposals of instalment monitoring (reminders, lapses,
 * closings) and their confirmation by a team lead. */

#include <string.h>

#include <glib/gi18n-lib.h>

#include "esa-cli.h"
#include "esa-store-instalments.h"

/* Opens the database with the procedures and parameter tables loaded:
 * confirming a lapse or a closing runs a procedure action. */
static EsaStore *
open_store (EsaCliContext  *cli,
            EsaParameters **out_params,
            int            *out_status)
{
  g_autoptr(EsaStore) store = esa_cli_open_store (cli, FALSE, out_status);
  g_autoptr(EsaParameters) params = NULL;
  g_autoptr(GPtrArray) procedures = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = esa_data_dir ("procedures");

  if (store == NULL)
    return NULL;

  params = esa_parameters_load_default (&error);
  if (params != NULL)
    procedures = esa_procedure_load_dir (dir, params, &error);
  if (procedures == NULL)
    {
      esa_cli_printerr (_("cannot load the procedures: %s"), error->message);
      *out_status = ESA_CLI_EXIT_FAILURE;
      return NULL;
    }
  esa_store_set_procedures (store, procedures, params);
  *out_params = g_steal_pointer (&params);
  return g_steal_pointer (&store);
}

static gboolean
parse_today (const char *text,
             GDate      *out)
{
  g_autoptr(GError) error = NULL;

  if (text == NULL)
    {
      esa_date_set_today (out);
      return TRUE;
    }
  if (esa_date_parse_iso (text, out, &error))
    return TRUE;
  esa_cli_printerr ("--today: %s", error->message);
  return FALSE;
}

/* --user takes a user id or a login. */
static gboolean
set_acting_user (EsaCliContext *cli,
                 EsaStore      *store,
                 const char    *user,
                 int           *out_status)
{
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GError) error = NULL;

  users = esa_store_list_users (store, &error);
  if (users == NULL)
    {
      *out_status = esa_cli_report_error (cli, error);
      return FALSE;
    }
  for (guint i = 0; i < users->len; i++)
    {
      const EsaUser *known = g_ptr_array_index (users, i);

      if (g_str_equal (known->id, user) || g_str_equal (known->login, user))
        {
          esa_store_set_acting_user (store, known->id);
          return TRUE;
        }
    }
  esa_cli_printerr (_("--user: no user with the id or login “%s”"), user);
  *out_status = ESA_CLI_EXIT_INVALID;
  return FALSE;
}

static void
add_proposal_json (JsonBuilder   *builder,
                   gconstpointer  row)
{
  const EsaInstalmentProposal *proposal = row;
  g_autofree char *amount = esa_money_to_decimal (proposal->amount);

  esa_cli_json_add_string (builder, "id", proposal->id);
  esa_cli_json_add_string (builder, "kind", esa_instalment_proposal_kind_to_string (proposal->kind));
  esa_cli_json_add_string (builder, "plan_id", proposal->plan_id);
  esa_cli_json_add_string (builder, "case_id", proposal->case_id);
  esa_cli_json_add_string (builder, "case_state", proposal->case_state);
  esa_cli_json_add_string (builder, "debtor_id", proposal->debtor_id);
  esa_cli_json_add_string (builder, "debtor_name", proposal->debtor_name);
  esa_cli_json_add_string (builder, "instalment_id", proposal->instalment_id);
  if (proposal->kind == ESA_INSTALMENT_PROPOSAL_REMINDER)
    esa_cli_json_add_int (builder, "seq", proposal->seq);
  esa_cli_json_add_string (builder, "due_on", proposal->due_on);
  esa_cli_json_add_string (builder, "amount", amount);
  esa_cli_json_add_string (builder, "currency", proposal->currency);
  esa_cli_json_add_int (builder, "missed", proposal->n_missed);
  esa_cli_json_add_string (builder, "reason", proposal->reason);
}

static int
instalments_proposals (EsaCliContext *cli,
                       int            argc,
                       char         **argv)
{
  gboolean json = FALSE;
  g_autofree char *today_text = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "today", 0, 0, G_OPTION_ARG_STRING, &today_text,
      N_("Look on this day instead of today"), N_("YYYY-MM-DD") },
    { NULL }
  };
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(EsaParameters) params = NULL;
  g_autoptr(GPtrArray) proposals = NULL;
  g_autoptr(GError) error = NULL;
  GDate today;
  int status;

  if (!esa_cli_parse_options (cli, "",
                              _("Lists what instalment monitoring proposes: reminders of missed "
                                "instalments, lapses of plans, closings of cases paid in full."),
                              entries, 0, 0, &argc, &argv, &status))
    return status;
  if (!parse_today (today_text, &today))
    return ESA_CLI_EXIT_INVALID;

  store = open_store (cli, &params, &status);
  if (store == NULL)
    return status;

  proposals = esa_store_instalment_proposals (store, params, &today, &error);
  if (proposals == NULL)
    return esa_cli_report_error (cli, error);

  if (json)
    return esa_cli_print_json_rows (proposals, add_proposal_json);

  if (proposals->len == 0)
    {
      g_print ("%s\n", _("Nothing to propose: every instalment plan is on track."));
      return ESA_CLI_EXIT_OK;
    }
  {
    g_autoptr(EsaCliTable) table = esa_cli_table_new (_("Proposal"), _("Debtor"), _("Reason"),
                                                      _("Id"), NULL);

    for (guint i = 0; i < proposals->len; i++)
      {
        const EsaInstalmentProposal *proposal = g_ptr_array_index (proposals, i);
        const char *kind = proposal->kind == ESA_INSTALMENT_PROPOSAL_REMINDER ? _("Reminder")
                         : proposal->kind == ESA_INSTALMENT_PROPOSAL_LAPSE ? _("Lapse")
                         : _("Close");

        esa_cli_table_add_row (table, kind, proposal->debtor_name, proposal->reason,
                               proposal->id);
      }
    esa_cli_table_print (table, 0);
  }
  return ESA_CLI_EXIT_OK;
}

static int
instalments_confirm (EsaCliContext *cli,
                     int            argc,
                     char         **argv)
{
  g_autofree char *user = NULL;
  g_autofree char *today_text = NULL;
  const GOptionEntry entries[] = {
    { "user", 0, 0, G_OPTION_ARG_STRING, &user,
      N_("The team lead confirming (id or login)"), N_("USER") },
    { "today", 0, 0, G_OPTION_ARG_STRING, &today_text,
      N_("Confirm on this day instead of today"), N_("YYYY-MM-DD") },
    { NULL }
  };
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(EsaParameters) params = NULL;
  g_autoptr(GError) error = NULL;
  GDate today;
  int status;

  if (!esa_cli_parse_options (cli, _("PROPOSAL_ID"),
                              _("Carries out a proposal of instalment monitoring. Only a team "
                                "lead can."),
                              entries, 1, 1, &argc, &argv, &status))
    return status;
  if (user == NULL)
    {
      esa_cli_printerr (_("--user is required: the team lead confirming"));
      return ESA_CLI_EXIT_INVALID;
    }
  if (!parse_today (today_text, &today))
    return ESA_CLI_EXIT_INVALID;

  store = open_store (cli, &params, &status);
  if (store == NULL || !set_acting_user (cli, store, user, &status))
    return status;

  if (!esa_store_instalment_confirm (store, params, argv[1], &today, &error))
    return esa_cli_report_error (cli, error);

  g_print (_("Confirmed %s\n"), argv[1]);
  return ESA_CLI_EXIT_OK;
}

int
esa_cli_instalments (EsaCliContext *cli,
                     int            argc,
                     char         **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "proposals"))
    {
      cli->command = "instalments proposals";
      return instalments_proposals (cli, argc - 1, argv + 1);
    }
  if (argc >= 2 && g_str_equal (argv[1], "confirm"))
    {
      cli->command = "instalments confirm";
      return instalments_confirm (cli, argc - 1, argv + 1);
    }

  if (argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")))
    {
      g_print ("%s\n  %s [--db FILE] instalments proposals [--json] [--today YYYY-MM-DD]\n"
               "  %s [--db FILE] instalments confirm PROPOSAL_ID --user USER\n",
               _("Usage:"), g_get_prgname (), g_get_prgname ());
      return ESA_CLI_EXIT_OK;
    }
  esa_cli_printerr (_("instalments: say “proposals” or “confirm PROPOSAL_ID --user USER”"));
  return ESA_CLI_EXIT_INVALID;
}
