/* esa-cli-stats.c: "stats": the counts per office, and "stats contacts":
 * the contact center's monthly statistics per creditor body
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "esa-cli.h"
#include "esa-store-tickets.h"

static void
add_rate (JsonBuilder *builder,
          const char  *name,
          gint32       ppm)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_double_value (builder, ppm / 1e6);
}

static void
add_stats_json (JsonBuilder   *builder,
                gconstpointer  row)
{
  const EsaContactStats *s = row;

  esa_cli_json_add_string (builder, "body_id", s->body_id);
  esa_cli_json_add_string (builder, "body", s->body_name);
  esa_cli_json_add_string (builder, "month", s->month);
  esa_cli_json_add_int (builder, "contacts_in", s->contacts_in);
  esa_cli_json_add_int (builder, "contacts_handled", s->contacts_handled);
  esa_cli_json_add_int (builder, "contacts_lost", s->contacts_lost);
  add_rate (builder, "lost_rate", s->lost_rate_ppm);
  esa_cli_json_add_int (builder, "waits_over_40s", s->waits_over_40s);
  add_rate (builder, "waits_over_40s_rate", s->waits_over_40s_ppm);
  esa_cli_json_add_int (builder, "duration_count", s->duration_count);
  esa_cli_json_add_int (builder, "duration_mean_s", s->duration_mean_s);
  esa_cli_json_add_int (builder, "duration_min_s", s->duration_min_s);
  esa_cli_json_add_int (builder, "duration_max_s", s->duration_max_s);
  esa_cli_json_add_int (builder, "first_level_resolved", s->first_level_resolved);
  add_rate (builder, "first_level_rate", s->first_level_rate_ppm);
  esa_cli_json_add_int (builder, "tickets_opened", s->tickets_opened);
  esa_cli_json_add_int (builder, "tickets_closed", s->tickets_closed);
  esa_cli_json_add_int (builder, "tickets_within_sla", s->tickets_within_sla);
  add_rate (builder, "tickets_within_sla_rate", s->tickets_within_sla_ppm);
}

static char *
percent (gint32 ppm)
{
  /* Translators: a percentage with one decimal, e.g. "85.3%" */
  return g_strdup_printf (_("%.1f%%"), ppm / 1e4);
}

static int
stats_contacts (EsaCliContext *cli,
                int            argc,
                char         **argv)
{
  gboolean json = FALSE;
  g_autofree char *month = NULL;
  g_autofree char *body = NULL;
  const GOptionEntry entries[] = {
    { "month", 0, 0, G_OPTION_ARG_STRING, &month, N_("The month (required)"), N_("YYYY-MM") },
    { "body", 0, 0, G_OPTION_ARG_STRING, &body, N_("Only this creditor body"), N_("BODY_ID") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(GPtrArray) stats = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!esa_cli_parse_options (cli, "",
                              _("The contact center's month per creditor body: contacts in and "
                                "handled, durations, first-level resolution, tickets within "
                                "their SLA."),
                              entries, 0, 0, &argc, &argv, &status))
    return status;
  if (month == NULL)
    {
      esa_cli_printerr (_("--month is required"));
      return ESA_CLI_EXIT_INVALID;
    }
  store = esa_cli_open_store (cli, FALSE, &status);
  if (store == NULL)
    return status;
  stats = esa_store_contact_stats (store, body, month, &error);
  if (stats == NULL)
    return esa_cli_report_error (cli, error);

  if (json)
    return esa_cli_print_json_rows (stats, add_stats_json);

  if (stats->len == 0)
    {
      g_print (_("No contacts in %s.\n"), month);
      return ESA_CLI_EXIT_OK;
    }
  {
    g_autoptr(EsaCliTable) table = esa_cli_table_new (_("Body"), _("In"), _("Handled"),
                                                      _("Lost"), _("Mean s"), _("Min s"),
                                                      _("Max s"), _("First level"),
                                                      _("Tickets"), _("Within SLA"), NULL);

    for (guint c = 1; c <= 9; c++)
      esa_cli_table_align_right (table, c);
    for (guint i = 0; i < stats->len; i++)
      {
        const EsaContactStats *s = g_ptr_array_index (stats, i);
        g_autofree char *in = g_strdup_printf ("%" G_GINT64_FORMAT, s->contacts_in);
        g_autofree char *handled = g_strdup_printf ("%" G_GINT64_FORMAT, s->contacts_handled);
        g_autofree char *lost = percent (s->lost_rate_ppm);
        g_autofree char *mean = g_strdup_printf ("%" G_GINT64_FORMAT, s->duration_mean_s);
        g_autofree char *min = g_strdup_printf ("%" G_GINT64_FORMAT, s->duration_min_s);
        g_autofree char *max = g_strdup_printf ("%" G_GINT64_FORMAT, s->duration_max_s);
        g_autofree char *first = percent (s->first_level_rate_ppm);
        g_autofree char *tickets = g_strdup_printf ("%" G_GINT64_FORMAT, s->tickets_opened);
        g_autofree char *sla = percent (s->tickets_within_sla_ppm);

        esa_cli_table_add_row (table, s->body_name != NULL ? s->body_name : _("No body"), in,
                               handled, lost, mean, min, max, first, tickets, sla);
      }
    esa_cli_table_print (table, 0);
  }
  return ESA_CLI_EXIT_OK;
}

int
esa_cli_stats_command (EsaCliContext *cli,
                       int            argc,
                       char         **argv)
{
  const char *command = cli->command;
  int status;

  /* "stats" alone keeps its meaning (counts per office, esa_cli_stats()). */
  if (argc < 2 || strcmp (argv[1], "contacts") != 0)
    return esa_cli_stats (cli, argc, argv);

  cli->command = "stats contacts";
  status = stats_contacts (cli, argc - 1, argv + 1);
  cli->command = command;
  return status;
}
