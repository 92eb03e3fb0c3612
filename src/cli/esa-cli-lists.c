/* The reference lists: creditor bodies, users, office statistics. */

#include <glib/gi18n-lib.h>

#include "esa-cli.h"

static char *
format_count (gint64 count)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, count);
}

static void
add_body_json (JsonBuilder   *builder,
               gconstpointer  row)
{
  const EsaBody *body = row;

  esa_cli_json_add_string (builder, "id", body->id);
  esa_cli_json_add_string (builder, "name", body->name);
  esa_cli_json_add_string (builder, "country", body->country);
  esa_cli_json_add_string (builder, "currency", body->currency);
}

int
esa_cli_bodies (EsaCliContext *cli,
                int            argc,
                char         **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(GPtrArray) bodies = NULL;
  g_autoptr(GError) error = NULL;
  int status;
  guint i;

  if (!esa_cli_parse_options (cli, "", _("Lists the creditor bodies."), entries, 0, 0,
                              &argc, &argv, &status))
    return status;

  store = esa_cli_open_store (cli, FALSE, &status);
  if (store == NULL)
    return status;

  bodies = esa_store_list_bodies (store, &error);
  if (bodies == NULL)
    return esa_cli_report_error (cli, error);

  if (json)
    return esa_cli_print_json_rows (bodies, add_body_json);
  else
    {
      g_autoptr(EsaCliTable) table = esa_cli_table_new (_("Name"), _("Country"), _("Currency"),
                                                        _("Id"), NULL);

      for (i = 0; i < bodies->len; i++)
        {
          const EsaBody *body = g_ptr_array_index (bodies, i);

          esa_cli_table_add_row (table, body->name, body->country, body->currency, body->id);
        }
      esa_cli_table_print (table, 0);
    }

  return ESA_CLI_EXIT_OK;
}

static void
add_user_json (JsonBuilder   *builder,
               gconstpointer  row)
{
  const EsaUser *user = row;

  esa_cli_json_add_string (builder, "id", user->id);
  esa_cli_json_add_string (builder, "name", user->name);
  esa_cli_json_add_string (builder, "role", esa_role_to_string (user->role));
  esa_cli_json_add_string (builder, "office", user->office_id);
}

int
esa_cli_users (EsaCliContext *cli,
               int            argc,
               char         **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GError) error = NULL;
  int status;
  guint i;

  if (!esa_cli_parse_options (cli, "", _("Lists the users with their roles and offices."),
                              entries, 0, 0, &argc, &argv, &status))
    return status;

  store = esa_cli_open_store (cli, FALSE, &status);
  if (store == NULL)
    return status;

  users = esa_store_list_users (store, &error);
  if (users == NULL)
    return esa_cli_report_error (cli, error);

  if (json)
    return esa_cli_print_json_rows (users, add_user_json);
  else
    {
      g_autoptr(EsaCliTable) table = esa_cli_table_new (_("Name"), _("Login"), _("Role"),
                                                        _("Office"), _("Id"), NULL);

      for (i = 0; i < users->len; i++)
        {
          const EsaUser *user = g_ptr_array_index (users, i);

          esa_cli_table_add_row (table, user->name, user->login, esa_role_describe (user->role),
                                 user->office_name, user->id);
        }
      esa_cli_table_print (table, 0);
    }

  return ESA_CLI_EXIT_OK;
}

int
esa_cli_stats (EsaCliContext *cli,
               int            argc,
               char         **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(GPtrArray) stats = NULL;
  g_autoptr(GError) error = NULL;
  gint64 debtors = 0, positions = 0, cases = 0;
  int status;
  guint i;

  if (!esa_cli_parse_options (cli, "", _("Counts debtors, positions and cases per office."),
                              entries, 0, 0, &argc, &argv, &status))
    return status;

  store = esa_cli_open_store (cli, FALSE, &status);
  if (store == NULL)
    return status;

  stats = esa_store_office_stats (store, &error);
  if (stats == NULL)
    return esa_cli_report_error (cli, error);

  for (i = 0; i < stats->len; i++)
    {
      const EsaOfficeStats *office = g_ptr_array_index (stats, i);

      debtors += office->debtors;
      positions += office->positions;
      cases += office->cases;
    }

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "offices");
      json_builder_begin_array (builder);
      for (i = 0; i < stats->len; i++)
        {
          const EsaOfficeStats *office = g_ptr_array_index (stats, i);

          json_builder_begin_object (builder);
          esa_cli_json_add_string (builder, "office", office->office_id);
          esa_cli_json_add_string (builder, "name", office->office_name);
          esa_cli_json_add_int (builder, "debtors", office->debtors);
          esa_cli_json_add_int (builder, "positions", office->positions);
          esa_cli_json_add_int (builder, "cases", office->cases);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "totals");
      json_builder_begin_object (builder);
      esa_cli_json_add_int (builder, "debtors", debtors);
      esa_cli_json_add_int (builder, "positions", positions);
      esa_cli_json_add_int (builder, "cases", cases);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);

      return esa_cli_print_json (root);
    }
  else
    {
      g_autoptr(EsaCliTable) table = esa_cli_table_new (_("Office"), _("Debtors"),
                                                        _("Positions"), _("Cases"), NULL);
      g_autofree char *total_debtors = format_count (debtors);
      g_autofree char *total_positions = format_count (positions);
      g_autofree char *total_cases = format_count (cases);

      for (i = 0; i < stats->len; i++)
        {
          const EsaOfficeStats *office = g_ptr_array_index (stats, i);
          g_autofree char *n_debtors = format_count (office->debtors);
          g_autofree char *n_positions = format_count (office->positions);
          g_autofree char *n_cases = format_count (office->cases);

          esa_cli_table_add_row (table, office->office_name, n_debtors, n_positions, n_cases);
        }
      esa_cli_table_add_row (table, _("Total"), total_debtors, total_positions, total_cases);
      for (i = 1; i <= 3; i++)
        esa_cli_table_align_right (table, i);
      esa_cli_table_print (table, 0);
    }

  return ESA_CLI_EXIT_OK;
}
