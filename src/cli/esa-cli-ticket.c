/* esa-cli-ticket.c: "ticket": open, escalate, close and show contact-center
 * tickets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>

#include "esa-cli.h"
#include "esa-store-tickets.h"

/* Opens the database with the parameters (for the SLA) and, with --user,
 * acts as that user. */
static EsaStore *
open_ticket_store (EsaCliContext *cli,
                   const char    *user,
                   int           *out_status)
{
  g_autoptr(EsaStore) store = esa_cli_open_store_with_parameters (cli, out_status);
  g_autofree char *user_id = NULL;

  if (store == NULL)
    return NULL;
  if (user != NULL)
    {
      if (!esa_cli_find_user (cli, store, "--user", user, &user_id, out_status))
        return NULL;
      esa_store_set_acting_user (store, user_id);
    }
  return g_steal_pointer (&store);
}

static int
ticket_open (EsaCliContext *cli,
             int            argc,
             char         **argv)
{
  g_autofree char *subject = NULL;
  g_autofree char *urgency = NULL;
  g_autofree char *description = NULL;
  g_autofree char *user = NULL;
  const GOptionEntry entries[] = {
    { "subject", 0, 0, G_OPTION_ARG_STRING, &subject, N_("What the caller asks (required)"),
      N_("TEXT") },
    { "urgency", 0, 0, G_OPTION_ARG_STRING, &urgency, N_("low, normal (default) or high"),
      N_("URGENCY") },
    { "description", 0, 0, G_OPTION_ARG_STRING, &description, N_("More detail"), N_("TEXT") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user,
      N_("Open it as this user, its owner (id or login)"), N_("USER") },
    { NULL }
  };
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *reference = NULL;
  EsaTicketSpec spec = { 0 };
  int status;

  if (!esa_cli_parse_options (cli, _("DEBTOR_ID"),
                              _("Opens a ticket on a debtor's dossier and prints its reference "
                                "for the caller."),
                              entries, 1, 1, &argc, &argv, &status))
    return status;
  if (subject == NULL)
    {
      esa_cli_printerr (_("--subject is required"));
      return ESA_CLI_EXIT_INVALID;
    }
  spec.urgency = ESA_TICKET_URGENCY_NORMAL;
  if (urgency != NULL && !esa_ticket_urgency_from_string (urgency, &spec.urgency))
    {
      esa_cli_printerr (_("--urgency: “%s” is not one of low, normal, high"), urgency);
      return ESA_CLI_EXIT_INVALID;
    }

  store = open_ticket_store (cli, user, &status);
  if (store == NULL)
    return status;
  spec.debtor_id = argv[1];
  spec.subject = subject;
  spec.description = description;
  id = esa_store_open_ticket (store, &spec, &reference, &error);
  if (id == NULL)
    return esa_cli_report_error (cli, error);
  g_print ("%s\n", reference);
  return ESA_CLI_EXIT_OK;
}

static int
ticket_escalate (EsaCliContext *cli,
                 int            argc,
                 char         **argv)
{
  g_autofree char *note = NULL;
  g_autofree char *user = NULL;
  const GOptionEntry entries[] = {
    { "note", 0, 0, G_OPTION_ARG_STRING, &note, N_("Why it is handed on"), N_("TEXT") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("Act as this user (id or login)"),
      N_("USER") },
    { NULL }
  };
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(GError) error = NULL;
  EsaTicketLevel level;
  int status;

  if (!esa_cli_parse_options (cli, _("REF"),
                              _("Hands a ticket on to the next level: first level, back office, "
                                "second level."),
                              entries, 1, 1, &argc, &argv, &status))
    return status;
  store = open_ticket_store (cli, user, &status);
  if (store == NULL)
    return status;
  if (!esa_store_ticket_escalate (store, argv[1], note, &level, &error))
    return esa_cli_report_error (cli, error);
  /* Translators: "T-2026-000123: Back office" */
  g_print (_("%s: %s\n"), argv[1], esa_ticket_level_describe (level));
  return ESA_CLI_EXIT_OK;
}

static int
ticket_close (EsaCliContext *cli,
              int            argc,
              char         **argv)
{
  g_autofree char *resolution = NULL;
  g_autofree char *user = NULL;
  const GOptionEntry entries[] = {
    { "resolution", 0, 0, G_OPTION_ARG_STRING, &resolution,
      N_("What was answered or done (required)"), N_("TEXT") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("Act as this user (id or login)"),
      N_("USER") },
    { NULL }
  };
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(EsaTicket) ticket = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!esa_cli_parse_options (cli, _("REF"), _("Closes a ticket with its resolution."),
                              entries, 1, 1, &argc, &argv, &status))
    return status;
  if (resolution == NULL)
    {
      esa_cli_printerr (_("--resolution is required"));
      return ESA_CLI_EXIT_INVALID;
    }
  store = open_ticket_store (cli, user, &status);
  if (store == NULL)
    return status;
  if (!esa_store_ticket_close (store, argv[1], resolution, &error))
    return esa_cli_report_error (cli, error);
  ticket = esa_store_get_ticket (store, argv[1], NULL, &error);
  if (ticket == NULL)
    return esa_cli_report_error (cli, error);
  if (ticket->sla_target_s > 0)
    g_print (ticket->sla_breached ? _("%s closed, outside its SLA\n")
                                  : _("%s closed within its SLA\n"),
             ticket->reference);
  else
    g_print (_("%s closed\n"), ticket->reference);
  return ESA_CLI_EXIT_OK;
}

static void
add_ticket_json (JsonBuilder     *builder,
                 const EsaTicket *ticket)
{
  esa_cli_json_add_string (builder, "id", ticket->id);
  esa_cli_json_add_string (builder, "reference", ticket->reference);
  esa_cli_json_add_string (builder, "debtor_id", ticket->debtor_id);
  esa_cli_json_add_string (builder, "debtor", ticket->debtor_name);
  esa_cli_json_add_string (builder, "body_id", ticket->body_id);
  esa_cli_json_add_string (builder, "subject", ticket->subject);
  esa_cli_json_add_string (builder, "urgency", esa_ticket_urgency_to_string (ticket->urgency));
  esa_cli_json_add_string (builder, "level", esa_ticket_level_to_string (ticket->level));
  esa_cli_json_add_string (builder, "status", esa_ticket_status_to_string (ticket->status));
  esa_cli_json_add_string (builder, "owner_id", ticket->owner_id);
  esa_cli_json_add_string (builder, "opened_at", ticket->opened_at);
  esa_cli_json_add_string (builder, "closed_at", ticket->closed_at);
  esa_cli_json_add_string (builder, "resolution", ticket->resolution);
  esa_cli_json_add_int (builder, "sla_target_s", ticket->sla_target_s);
  esa_cli_json_add_int (builder, "sla_elapsed_s", ticket->sla_elapsed_s);
  esa_cli_json_add_string (builder, "sla_due_at", ticket->sla_due_at);
  json_builder_set_member_name (builder, "sla_paused");
  json_builder_add_boolean_value (builder, ticket->sla_paused);
  json_builder_set_member_name (builder, "sla_breached");
  json_builder_add_boolean_value (builder, ticket->sla_breached);
}

static int
ticket_show (EsaCliContext *cli,
             int            argc,
             char         **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(EsaTicket) ticket = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!esa_cli_parse_options (cli, _("REF"), _("Shows a ticket with its SLA clock."),
                              entries, 1, 1, &argc, &argv, &status))
    return status;
  store = open_ticket_store (cli, NULL, &status);
  if (store == NULL)
    return status;
  ticket = esa_store_get_ticket (store, argv[1], NULL, &error);
  if (ticket == NULL)
    return esa_cli_report_error (cli, error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      add_ticket_json (builder, ticket);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      return esa_cli_print_json (root);
    }
  {
    g_autoptr(EsaCliTable) table = esa_cli_table_new_plain (2);
    g_autofree char *elapsed_min = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                    ticket->sla_elapsed_s / 60);
    g_autofree char *target_min = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                   ticket->sla_target_s / 60);
    /* Translators: the time a ticket has used of its service level,
     * "95 of 600 business minutes" */
    g_autofree char *elapsed = g_strdup_printf (_("%s of %s business minutes"), elapsed_min,
                                                target_min);

    esa_cli_table_add_row (table, _("Reference"), ticket->reference);
    esa_cli_table_add_row (table, _("Debtor"), ticket->debtor_name);
    esa_cli_table_add_row (table, _("Subject"), ticket->subject);
    esa_cli_table_add_row (table, _("Urgency"), esa_ticket_urgency_describe (ticket->urgency));
    esa_cli_table_add_row (table, _("Level"), esa_ticket_level_describe (ticket->level));
    esa_cli_table_add_row (table, _("Status"), esa_ticket_status_describe (ticket->status));
    esa_cli_table_add_row (table, _("Owner"), ticket->owner_name);
    esa_cli_table_add_row (table, _("Opened"), ticket->opened_at);
    esa_cli_table_add_row (table, _("SLA"), elapsed);
    esa_cli_table_add_row (table, _("SLA due"), ticket->sla_due_at);
    if (ticket->resolution != NULL)
      esa_cli_table_add_row (table, _("Resolution"), ticket->resolution);
    esa_cli_table_print (table, 0);
  }
  return ESA_CLI_EXIT_OK;
}

static const EsaCliSubcommand subcommands[] = {
  { "open", "ticket open", N_("Open a ticket on a dossier; prints the reference"), ticket_open },
  { "escalate", "ticket escalate", N_("Hand a ticket on to the next level"), ticket_escalate },
  { "close", "ticket close", N_("Close a ticket with its resolution"), ticket_close },
  { "show", "ticket show", N_("Show a ticket and its SLA clock"), ticket_show },
};

int
esa_cli_ticket (EsaCliContext *cli,
                int            argc,
                char         **argv)
{
  return esa_cli_run_subcommand (cli, argc, argv, subcommands, G_N_ELEMENTS (subcommands));
}
