/* esa-cli-queue.c: "queue": the open work items, sorted by due date
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>

#include "esa-cli.h"
#include "esa-store-queues.h"

EsaStore *
esa_cli_open_store_with_parameters (EsaCliContext *cli,
                                    int           *out_status)
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
      /* The installed data is broken: not a mistake of the caller. */
      esa_cli_printerr (_("cannot load the procedures: %s"), error->message);
      *out_status = ESA_CLI_EXIT_FAILURE;
      return NULL;
    }
  esa_store_set_procedures (store, procedures, params);
  return g_steal_pointer (&store);
}

gboolean
esa_cli_find_user (EsaCliContext  *cli,
                   EsaStore       *store,
                   const char     *option,
                   const char     *user,
                   char          **out_id,
                   int            *out_status)
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
          *out_id = g_strdup (known->id);
          return TRUE;
        }
    }

  /* Translators: the first %s is an option ("--user"), the second what was given */
  esa_cli_printerr (_("%s: no user with the id or login “%s”"), option, user);
  *out_status = ESA_CLI_EXIT_INVALID;
  return FALSE;
}

static void
add_item_json (JsonBuilder   *builder,
               gconstpointer  row)
{
  const EsaQueueItem *item = row;

  esa_cli_json_add_string (builder, "id", item->id);
  esa_cli_json_add_string (builder, "kind", esa_queue_kind_to_string (item->kind));
  esa_cli_json_add_string (builder, "due_on", item->due_on);
  esa_cli_json_add_string (builder, "when", esa_queue_when_to_string (item->when));
  esa_cli_json_add_string (builder, "office_id", item->office_id);
  esa_cli_json_add_string (builder, "office", item->office_name);
  esa_cli_json_add_string (builder, "body_id", item->body_id);
  esa_cli_json_add_string (builder, "assignee_id", item->assignee_id);
  esa_cli_json_add_string (builder, "assignee", item->assignee_name);
  esa_cli_json_add_string (builder, "case_id", item->case_id);
  esa_cli_json_add_string (builder, "debtor_id", item->debtor_id);
  esa_cli_json_add_string (builder, "debtor", item->debtor_name);
  esa_cli_json_add_string (builder, "act_type", item->act_type);
  esa_cli_json_add_string (builder, "title", item->title);
  esa_cli_json_add_string (builder, "state", item->state);
  esa_cli_json_add_string (builder, "reference", item->reference);
}

int
esa_cli_queue (EsaCliContext *cli,
               int            argc,
               char         **argv)
{
  gboolean json = FALSE;
  g_autofree char *user = NULL;
  g_autofree char *office = NULL;
  g_autofree char *when = NULL;
  g_autofree char *today = NULL;
  g_autofree char *user_id = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user,
      N_("Only the items assigned to this user (id or login)"), N_("USER") },
    { "office", 0, 0, G_OPTION_ARG_STRING, &office, N_("Only the items of this office"),
      N_("OFFICE_ID") },
    { "when", 0, 0, G_OPTION_ARG_STRING, &when,
      N_("Only the items overdue, due today, this week or later"),
      N_("overdue|today|week|later") },
    { "today", 0, 0, G_OPTION_ARG_STRING, &today,
      N_("Count overdue and due from this day (YYYY-MM-DD; default today)"), N_("DATE") },
    { NULL }
  };
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  EsaQueueFilter filter = { 0 };
  int status;

  if (!esa_cli_parse_options (cli, "",
                              _("Lists the open work items (procedure deadlines, service levels "
                                "and tickets) sorted by due date."),
                              entries, 0, 0, &argc, &argv, &status))
    return status;
  if (when != NULL && !esa_queue_when_from_string (when, &filter.when))
    {
      esa_cli_printerr (_("--when: “%s” is not one of overdue, today, week, later"), when);
      return ESA_CLI_EXIT_INVALID;
    }

  store = esa_cli_open_store_with_parameters (cli, &status);
  if (store == NULL)
    return status;
  if (user != NULL && !esa_cli_find_user (cli, store, "--user", user, &user_id, &status))
    return status;

  filter.user_id = user_id;
  filter.office_id = office;
  filter.today = today;
  items = esa_store_queue_items (store, &filter, &error);
  if (items == NULL)
    return esa_cli_report_error (cli, error);

  if (json)
    return esa_cli_print_json_rows (items, add_item_json);

  if (items->len == 0)
    {
      g_print ("%s\n", _("No open work items."));
      return ESA_CLI_EXIT_OK;
    }
  {
    g_autoptr(EsaCliTable) table = esa_cli_table_new (_("Due"), _("When"), _("Kind"),
                                                      _("Office"), _("Assignee"), _("Debtor"),
                                                      _("Item"), NULL);

    for (guint i = 0; i < items->len; i++)
      {
        const EsaQueueItem *item = g_ptr_array_index (items, i);
        g_autofree char *due = esa_date_format_iso (item->due_on);

        esa_cli_table_add_row (table, due, esa_queue_when_describe (item->when),
                               esa_queue_kind_describe (item->kind), item->office_name,
                               item->assignee_name != NULL ? item->assignee_name
                                                           : _("Unassigned"),
                               item->debtor_name, item->title);
      }
    esa_cli_table_print (table, 0);
  }
  return ESA_CLI_EXIT_OK;
}
