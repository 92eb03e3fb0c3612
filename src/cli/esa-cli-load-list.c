/* Load lists: import a creditor body's file, show its summary and detail,
 * approve or reject it, keep the body's column mapping. */

#include <string.h>

#include <glib/gi18n-lib.h>

#include "esa-cli.h"
#include "esa-load-list-reader.h"
#include "esa-store-load-lists.h"

static int load_list_import  (EsaCliContext *cli, int argc, char **argv);
static int load_list_show    (EsaCliContext *cli, int argc, char **argv);
static int load_list_list    (EsaCliContext *cli, int argc, char **argv);
static int load_list_approve (EsaCliContext *cli, int argc, char **argv);
static int load_list_reject  (EsaCliContext *cli, int argc, char **argv);
static int load_list_mapping (EsaCliContext *cli, int argc, char **argv);

static const EsaCliSubcommand subcommands[] = {
  { "import", "load-list import",
    N_("Check a load list file and import it, all or nothing, to await approval"),
    load_list_import },
  { "show", "load-list show", N_("Show a load list’s summary and detail list"), load_list_show },
  { "list", "load-list list", N_("List the load lists, newest first"), load_list_list },
  { "approve", "load-list approve",
    N_("Approve a load list (a responsible officer other than the importer) and open its cases"),
    load_list_approve },
  { "reject", "load-list reject", N_("Reject a whole load list awaiting approval"),
    load_list_reject },
  { "mapping", "load-list mapping",
    N_("Show a creditor body’s column mapping, or save one from a file"), load_list_mapping },
};

/* ---- shared pieces ------------------------------------------------------ */

/* A user given by id or login. */
static char *
find_user (EsaCliContext *cli,
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
      return NULL;
    }
  for (guint i = 0; i < users->len; i++)
    {
      const EsaUser *known = g_ptr_array_index (users, i);

      if (g_str_equal (known->id, user) || g_str_equal (known->login, user))
        return g_strdup (known->id);
    }

  esa_cli_printerr (_("--user: no user with the id or login “%s”"), user);
  *out_status = ESA_CLI_EXIT_INVALID;
  return NULL;
}

static void
add_amount (JsonBuilder *builder,
            const char  *name,
            gint64       minor)
{
  g_autofree char *decimal = esa_money_to_decimal (minor);

  esa_cli_json_add_string (builder, name, decimal);
}

static void
add_issues (JsonBuilder *builder,
            const char  *name,
            GPtrArray   *issues)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; issues != NULL && i < issues->len; i++)
    {
      const EsaLoadListIssue *issue = g_ptr_array_index (issues, i);

      json_builder_begin_object (builder);
      esa_cli_json_add_int (builder, "line", issue->line);
      esa_cli_json_add_string (builder, "reason", esa_load_list_reason_to_string (issue->reason));
      esa_cli_json_add_string (builder, "field", issue->field);
      esa_cli_json_add_string (builder, "message", issue->message);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

/* The summary's members, inside an open object. */
static void
add_summary (JsonBuilder       *builder,
             const EsaLoadList *list)
{
  esa_cli_json_add_string (builder, "id", list->id);
  esa_cli_json_add_string (builder, "reference", list->reference);
  esa_cli_json_add_string (builder, "state", list->state);
  esa_cli_json_add_string (builder, "body_id", list->body_id);
  esa_cli_json_add_string (builder, "body_name", list->body_name);
  esa_cli_json_add_string (builder, "currency", list->currency);
  esa_cli_json_add_string (builder, "file_name", list->file_name);
  esa_cli_json_add_string (builder, "file_sha256", list->file_sha256);
  esa_cli_json_add_string (builder, "procedure_id", list->procedure_id);
  esa_cli_json_add_string (builder, "resource", list->resource);
  esa_cli_json_add_string (builder, "budget_chapter", list->budget_chapter);
  esa_cli_json_add_string (builder, "received_on", list->received_on);
  esa_cli_json_add_string (builder, "imported_at", list->imported_at);
  esa_cli_json_add_string (builder, "imported_by", list->imported_by);
  esa_cli_json_add_string (builder, "imported_by_name", list->imported_by_name);
  esa_cli_json_add_string (builder, "approved_by", list->approved_by);
  esa_cli_json_add_string (builder, "approved_by_name", list->approved_by_name);
  esa_cli_json_add_string (builder, "approved_on", list->approved_on);
  esa_cli_json_add_string (builder, "note", list->note);
  esa_cli_json_add_int (builder, "rows", list->rows);
  esa_cli_json_add_int (builder, "rejected", list->rejected);
  esa_cli_json_add_int (builder, "positions", list->positions);
  esa_cli_json_add_int (builder, "debtors", list->debtors);
  esa_cli_json_add_int (builder, "new_debtors", list->new_debtors);
  esa_cli_json_add_int (builder, "cases", list->cases);
  add_amount (builder, "principal", list->principal);
  add_amount (builder, "sanctions", list->sanctions);
  add_amount (builder, "interest", list->interest);
  add_amount (builder, "costs", list->costs);
  add_amount (builder, "total", list->total);

  json_builder_set_member_name (builder, "groups");
  json_builder_begin_array (builder);
  for (guint i = 0; list->groups != NULL && i < list->groups->len; i++)
    {
      const EsaLoadListGroup *group = g_ptr_array_index (list->groups, i);

      json_builder_begin_object (builder);
      esa_cli_json_add_string (builder, "revenue_type", group->revenue_type);
      esa_cli_json_add_int (builder, "year", group->year);
      esa_cli_json_add_int (builder, "positions", group->positions);
      esa_cli_json_add_int (builder, "debtors", group->debtors);
      add_amount (builder, "principal", group->principal);
      add_amount (builder, "sanctions", group->sanctions);
      add_amount (builder, "interest", group->interest);
      add_amount (builder, "costs", group->costs);
      add_amount (builder, "total", group->total);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  add_issues (builder, "rejections", list->rejections);
}

static void
add_detail (JsonBuilder *builder,
            GPtrArray   *entries)
{
  json_builder_set_member_name (builder, "detail");
  json_builder_begin_array (builder);
  for (guint i = 0; i < entries->len; i++)
    {
      const EsaLoadListEntry *entry = g_ptr_array_index (entries, i);

      json_builder_begin_object (builder);
      esa_cli_json_add_int (builder, "line", entry->line);
      esa_cli_json_add_string (builder, "position_id", entry->position_id);
      esa_cli_json_add_string (builder, "debtor_id", entry->debtor_id);
      esa_cli_json_add_string (builder, "debtor_name", entry->debtor_name);
      esa_cli_json_add_string (builder, "tax_id", entry->tax_id);
      esa_cli_json_add_string (builder, "revenue_type", entry->revenue_type);
      esa_cli_json_add_int (builder, "year", entry->year);
      esa_cli_json_add_string (builder, "reference", entry->reference);
      esa_cli_json_add_string (builder, "payment_reference", entry->payment_reference);
      esa_cli_json_add_string (builder, "due_date", entry->due_date);
      add_amount (builder, "principal", entry->principal);
      add_amount (builder, "sanctions", entry->sanctions);
      add_amount (builder, "interest", entry->interest);
      add_amount (builder, "costs", entry->costs);
      add_amount (builder, "total",
                  entry->principal + entry->sanctions + entry->interest + entry->costs);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static char *
format_count (guint count)
{
  return g_strdup_printf ("%u", count);
}

static char *
format_year (gint year)
{
  return g_strdup_printf ("%d", year);
}

/* "name (on date)", or what is known of it. */
static char *
format_by (const char *when,
           const char *name)
{
  if (when == NULL)
    return NULL;
  if (name == NULL)
    return g_strdup (when);
  /* Translators: "2026-11-23T08:40:00Z by Anna Rossi" */
  return g_strdup_printf (_("%s by %s"), when, name);
}

static void
print_issues (GPtrArray *issues,
              gboolean   to_stderr)
{
  for (guint i = 0; i < issues->len; i++)
    {
      const EsaLoadListIssue *issue = g_ptr_array_index (issues, i);
      /* Translators: "line 57: tax code … has a wrong check character" */
      g_autofree char *text = g_strdup_printf (_("line %u: %s"), issue->line, issue->message);

      if (to_stderr)
        g_printerr ("  %s\n", text);
      else
        g_print ("  %s\n", text);
    }
}

static void
print_summary (const EsaLoadList *list)
{
  g_autoptr(EsaCliTable) block = esa_cli_table_new_plain (2);
  g_autoptr(EsaCliTable) groups = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *debtors = NULL;
  g_autofree char *positions = format_count (list->positions);
  g_autofree char *cases = format_count (list->cases);
  g_autofree char *imported = format_by (list->imported_at, list->imported_by_name);
  g_autofree char *decided = format_by (list->approved_on, list->approved_by_name);
  g_autofree char *body = g_strdup_printf ("%s (%s)", list->body_name, list->currency);
  g_autofree char *principal = esa_money_to_decimal (list->principal);
  g_autofree char *sanctions = esa_money_to_decimal (list->sanctions);
  g_autofree char *interest = esa_money_to_decimal (list->interest);
  g_autofree char *costs = esa_money_to_decimal (list->costs);
  g_autofree char *total = esa_money_to_decimal (list->total);

  /* Translators: "1000 (999 imported, 1 left out)" */
  rows = g_strdup_printf (_("%u (%u imported, %u left out)"), list->rows, list->positions,
                          list->rejected);
  /* Translators: "950 (120 new)" */
  debtors = g_strdup_printf (_("%u (%u new)"), list->debtors, list->new_debtors);

  esa_cli_table_add_row (block, _("Load list"), list->reference);
  esa_cli_table_add_row (block, _("Id"), list->id);
  esa_cli_table_add_row (block, _("Creditor body"), body);
  esa_cli_table_add_row (block, _("State"), list->state);
  esa_cli_table_add_row (block, _("Procedure"), list->procedure_id);
  esa_cli_table_add_row (block, _("File"), list->file_name);
  esa_cli_table_add_row (block, _("Received on"), list->received_on);
  esa_cli_table_add_row (block, _("Imported"), imported);
  if (g_strcmp0 (list->state, "rejected") == 0)
    {
      esa_cli_table_add_row (block, _("Rejected"), decided);
      esa_cli_table_add_row (block, _("Reason"), list->note);
    }
  else
    {
      esa_cli_table_add_row (block, _("Approved"), decided);
    }
  esa_cli_table_add_row (block, _("Resource"), list->resource);
  esa_cli_table_add_row (block, _("Budget chapter"), list->budget_chapter);
  esa_cli_table_add_row (block, _("Rows"), rows);
  esa_cli_table_add_row (block, _("Debtors"), debtors);
  esa_cli_table_add_row (block, _("Positions"), positions);
  esa_cli_table_add_row (block, _("Cases"), cases);
  esa_cli_table_add_row (block, _("Principal"), principal);
  esa_cli_table_add_row (block, _("Sanctions"), sanctions);
  esa_cli_table_add_row (block, _("Interest"), interest);
  esa_cli_table_add_row (block, _("Costs"), costs);
  esa_cli_table_add_row (block, _("Total"), total);
  esa_cli_table_print (block, 0);

  groups = esa_cli_table_new (_("Revenue type"), _("Year"), _("Positions"), _("Debtors"),
                              _("Principal"), _("Sanctions"), _("Interest"), _("Costs"),
                              _("Total"), NULL);
  for (guint column = 1; column < 9; column++)
    esa_cli_table_align_right (groups, column);
  for (guint i = 0; list->groups != NULL && i < list->groups->len; i++)
    {
      const EsaLoadListGroup *group = g_ptr_array_index (list->groups, i);
      g_autofree char *year = format_year (group->year);
      g_autofree char *n_positions = format_count (group->positions);
      g_autofree char *n_debtors = format_count (group->debtors);
      g_autofree char *g_principal = esa_money_to_decimal (group->principal);
      g_autofree char *g_sanctions = esa_money_to_decimal (group->sanctions);
      g_autofree char *g_interest = esa_money_to_decimal (group->interest);
      g_autofree char *g_costs = esa_money_to_decimal (group->costs);
      g_autofree char *g_total = esa_money_to_decimal (group->total);

      esa_cli_table_add_row (groups, group->revenue_type, year, n_positions, n_debtors,
                             g_principal, g_sanctions, g_interest, g_costs, g_total);
    }
  g_print ("\n");
  esa_cli_table_print (groups, 0);

  if (list->rejections != NULL && list->rejections->len > 0)
    {
      g_print ("\n%s\n", _("Rows left out:"));
      print_issues (list->rejections, FALSE);
    }
}

static void
print_detail (GPtrArray *entries)
{
  g_autoptr(EsaCliTable) table = NULL;

  table = esa_cli_table_new (_("Line"), _("Tax id"), _("Debtor"), _("Revenue type"), _("Year"),
                             _("Reference"), _("Payment reference"), _("Due date"), _("Total"),
                             NULL);
  esa_cli_table_align_right (table, 0);
  esa_cli_table_align_right (table, 8);
  for (guint i = 0; i < entries->len; i++)
    {
      const EsaLoadListEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *line = format_count (entry->line);
      g_autofree char *year = format_year (entry->year);
      g_autofree char *total = esa_money_to_decimal (entry->principal + entry->sanctions
                                                     + entry->interest + entry->costs);

      esa_cli_table_add_row (table, line, entry->tax_id, entry->debtor_name, entry->revenue_type,
                             year, entry->reference, entry->payment_reference, entry->due_date,
                             total);
    }
  g_print ("\n");
  esa_cli_table_print (table, 0);
}

/* Reading the file went wrong: the file's content is the caller's to fix,
 * a file that cannot be read is a failure. */
static int
report_file_error (const char   *path,
                   const GError *error)
{
  g_autofree char *name = g_filename_display_name (path);

  esa_cli_printerr ("%s: %s", name, error->message);
  return error->domain == ESA_EXCHANGE_ERROR ? ESA_CLI_EXIT_INVALID : ESA_CLI_EXIT_FAILURE;
}

/* The mapping for an import: --mapping FILE, else the body's saved one,
 * else the default layout. */
static EsaLoadListMapping *
choose_mapping (EsaCliContext *cli,
                EsaStore      *store,
                const char    *body_id,
                const char    *path,
                int           *out_status)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;
  EsaLoadListMapping *mapping;

  if (path != NULL)
    {
      mapping = esa_load_list_mapping_new_from_file (path, &error);
      if (mapping == NULL)
        *out_status = report_file_error (path, error);
      return mapping;
    }

  saved = esa_store_get_load_list_mapping (store, body_id, &error);
  if (error != NULL)
    {
      *out_status = esa_cli_report_error (cli, error);
      return NULL;
    }
  if (saved == NULL)
    return esa_load_list_mapping_new ();

  mapping = esa_load_list_mapping_new_from_data (saved, &error);
  if (mapping == NULL)
    {
      esa_cli_printerr (_("the saved column mapping of body %s: %s"), body_id, error->message);
      *out_status = ESA_CLI_EXIT_FAILURE;
    }
  return mapping;
}

static int
print_list (EsaCliContext *cli,
            EsaStore      *store,
            const char    *id,
            gboolean       json,
            gboolean       detail,
            guint          limit)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaLoadList) list = esa_store_get_load_list (store, id, &error);
  g_autoptr(GPtrArray) entries = NULL;

  if (list == NULL)
    return esa_cli_report_error (cli, error);
  if (detail)
    {
      entries = esa_store_load_list_detail (store, id, limit, 0, &error);
      if (entries == NULL)
        return esa_cli_report_error (cli, error);
    }

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      add_summary (builder, list);
      if (entries != NULL)
        add_detail (builder, entries);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      return esa_cli_print_json (root);
    }

  print_summary (list);
  if (entries != NULL)
    print_detail (entries);
  return ESA_CLI_EXIT_OK;
}

/* ---- import ------------------------------------------------------------ */

static int
print_rejection (EsaLoadListReport *report,
                 const GError      *error,
                 gboolean           json)
{
  esa_cli_printerr ("%s", error->message);
  print_issues (report->issues, TRUE);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      esa_cli_json_add_string (builder, "id", NULL);
      json_builder_set_member_name (builder, "imported");
      json_builder_add_boolean_value (builder, FALSE);
      esa_cli_json_add_string (builder, "error", error->message);
      esa_cli_json_add_int (builder, "rows", report->rows);
      esa_cli_json_add_int (builder, "rejected", esa_load_list_report_count_rejected (report));
      add_issues (builder, "issues", report->issues);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      esa_cli_print_json (root);
    }
  return ESA_CLI_EXIT_INVALID;
}

static int
load_list_import (EsaCliContext *cli,
                  int            argc,
                  char         **argv)
{
  g_autofree char *body_id = NULL;
  g_autofree char *mapping_path = NULL;
  g_autofree char *user = NULL;
  g_autofree char *reference = NULL;
  g_autofree char *received_on = NULL;
  g_autofree char *resource = NULL;
  g_autofree char *budget_chapter = NULL;
  g_autofree char *procedure = NULL;
  gboolean exclude_rejected = FALSE;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "body", 0, 0, G_OPTION_ARG_STRING, &body_id, N_("The creditor body of the list"),
      N_("ID") },
    { "mapping", 0, 0, G_OPTION_ARG_FILENAME, &mapping_path,
      N_("The column mapping (JSON); default: the body’s saved one, else the default layout"),
      N_("FILE") },
    { "exclude-rejected", 0, 0, G_OPTION_ARG_NONE, &exclude_rejected,
      N_("Import the valid rows and keep the report of the rejected ones"), NULL },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("The importing user (id or login)"),
      N_("USER") },
    { "reference", 0, 0, G_OPTION_ARG_STRING, &reference,
      N_("The list’s reference; default: the file name"), N_("TEXT") },
    { "received-on", 0, 0, G_OPTION_ARG_STRING, &received_on,
      N_("The date the body handed the list over; default: today"), N_("YYYY-MM-DD") },
    { "resource", 0, 0, G_OPTION_ARG_STRING, &resource,
      N_("The budget resource; default: the mapping’s"), N_("TEXT") },
    { "budget-chapter", 0, 0, G_OPTION_ARG_STRING, &budget_chapter,
      N_("The budget chapter; default: the mapping’s"), N_("TEXT") },
    { "procedure", 0, 0, G_OPTION_ARG_STRING, &procedure,
      N_("The procedure of the cases; default: by the body’s country"), N_("ID") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(EsaBody) body = NULL;
  g_autoptr(EsaLoadListMapping) mapping = NULL;
  g_autoptr(EsaLoadListReader) reader = NULL;
  g_autoptr(EsaLoadListReport) report = NULL;
  g_autoptr(EsaLoadListRows) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *user_id = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *id = NULL;
  EsaLoadListImportOptions options = { NULL, };
  int status;

  if (!esa_cli_parse_options (cli, _("FILE"),
                              _("Checks every row of a load list file and imports the list in "
                                "one transaction, awaiting approval. With a rejected row and "
                                "without --exclude-rejected nothing is stored, the report names "
                                "each line, and the exit status is 1."),
                              entries, 1, 1, &argc, &argv, &status))
    return status;
  if (body_id == NULL)
    {
      esa_cli_printerr (_("load-list import: --body is required"));
      return ESA_CLI_EXIT_INVALID;
    }

  store = esa_cli_open_store (cli, FALSE, &status);
  if (store == NULL)
    return status;
  body = esa_store_get_body (store, body_id, &error);
  if (body == NULL)
    return esa_cli_report_error (cli, error);
  if (user != NULL)
    {
      user_id = find_user (cli, store, user, &status);
      if (user_id == NULL)
        return status;
      esa_store_set_acting_user (store, user_id);
    }

  mapping = choose_mapping (cli, store, body->id, mapping_path, &status);
  if (mapping == NULL)
    return status;

  reader = esa_load_list_reader_new (mapping);
  esa_load_list_reader_set_default_country (reader, body->country);
  report = esa_load_list_report_new ();
  rows = esa_load_list_reader_read_file (reader, argv[1], report, NULL, &error);
  if (rows == NULL)
    return report_file_error (argv[1], error);

  file_name = g_path_get_basename (argv[1]);
  options.file_name = file_name;
  options.file_sha256 = esa_load_list_reader_get_sha256 (reader);
  options.reference = reference;
  options.received_on = received_on;
  options.resource = resource != NULL ? resource : esa_load_list_mapping_get_resource (mapping);
  options.budget_chapter = budget_chapter != NULL
                           ? budget_chapter : esa_load_list_mapping_get_budget_chapter (mapping);
  options.procedure_id = procedure;
  options.user_id = user_id;
  options.exclude_rejected = exclude_rejected;

  id = esa_store_import_load_list (store, body->id, rows, &options, report, &error);
  if (id == NULL)
    {
      if (g_error_matches (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID)
          && report->issues->len > 0)
        return print_rejection (report, error, json);
      return esa_cli_report_error (cli, error);
    }

  if (!json)
    g_print ("%s\n\n", id);
  return print_list (cli, store, id, json, FALSE, 0);
}

/* ---- show, list -------------------------------------------------------- */

static int
load_list_show (EsaCliContext *cli,
                int            argc,
                char         **argv)
{
  gboolean json = FALSE;
  gboolean summary_only = FALSE;
  gint limit = 0;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "summary", 0, 0, G_OPTION_ARG_NONE, &summary_only,
      N_("Only the summary, without the detail list"), NULL },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit,
      N_("At most this many positions in the detail list (0: all)"), N_("N") },
    { NULL }
  };
  g_autoptr(EsaStore) store = NULL;
  int status;

  if (!esa_cli_parse_options (cli, _("ID"),
                              _("Shows a load list’s summary (counts and totals by revenue type "
                                "and year, rows left out) and its detail list in file order."),
                              entries, 1, 1, &argc, &argv, &status))
    return status;
  if (limit < 0)
    {
      esa_cli_printerr (_("--limit must not be negative"));
      return ESA_CLI_EXIT_INVALID;
    }

  store = esa_cli_open_store (cli, FALSE, &status);
  if (store == NULL)
    return status;
  return print_list (cli, store, argv[1], json, !summary_only, (guint) limit);
}

static int
load_list_list (EsaCliContext *cli,
                int            argc,
                char         **argv)
{
  g_autofree char *body_id = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "body", 0, 0, G_OPTION_ARG_STRING, &body_id, N_("Only this creditor body’s lists"),
      N_("ID") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(GPtrArray) lists = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!esa_cli_parse_options (cli, "", _("Lists the load lists, newest first."), entries, 0, 0,
                              &argc, &argv, &status))
    return status;

  store = esa_cli_open_store (cli, FALSE, &status);
  if (store == NULL)
    return status;
  lists = esa_store_list_load_lists (store, body_id, &error);
  if (lists == NULL)
    return esa_cli_report_error (cli, error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < lists->len; i++)
        {
          json_builder_begin_object (builder);
          add_summary (builder, g_ptr_array_index (lists, i));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      return esa_cli_print_json (root);
    }
  else
    {
      g_autoptr(EsaCliTable) table = esa_cli_table_new (_("Received"), _("Reference"), _("State"),
                                                        _("Positions"), _("Total"), _("Id"),
                                                        NULL);

      esa_cli_table_align_right (table, 3);
      esa_cli_table_align_right (table, 4);
      for (guint i = 0; i < lists->len; i++)
        {
          const EsaLoadList *list = g_ptr_array_index (lists, i);
          g_autofree char *positions = format_count (list->positions);
          g_autofree char *total = esa_money_to_decimal (list->total);

          esa_cli_table_add_row (table, list->received_on, list->reference, list->state,
                                 positions, total, list->id);
        }
      esa_cli_table_print (table, 0);
    }
  return ESA_CLI_EXIT_OK;
}

/* ---- approve, reject ------------------------------------------------------ */

static int
load_list_approve (EsaCliContext *cli,
                   int            argc,
                   char         **argv)
{
  g_autofree char *user = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "user", 0, 0, G_OPTION_ARG_STRING, &user,
      N_("The approving responsible officer (id or login)"), N_("USER") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *user_id = NULL;
  int status;

  if (!esa_cli_parse_options (cli, _("ID"),
                              _("Approves a load list awaiting approval: the user must be a "
                                "responsible officer of the body and not the one who imported "
                                "it. One case per debtor is opened."),
                              entries, 1, 1, &argc, &argv, &status))
    return status;
  if (user == NULL)
    {
      esa_cli_printerr (_("load-list approve: --user is required"));
      return ESA_CLI_EXIT_INVALID;
    }

  store = esa_cli_open_store (cli, FALSE, &status);
  if (store == NULL)
    return status;
  user_id = find_user (cli, store, user, &status);
  if (user_id == NULL)
    return status;
  esa_store_set_acting_user (store, user_id);

  if (!esa_store_approve_load_list (store, argv[1], user_id, &error))
    return esa_cli_report_error (cli, error);
  return print_list (cli, store, argv[1], json, FALSE, 0);
}

static int
load_list_reject (EsaCliContext *cli,
                  int            argc,
                  char         **argv)
{
  g_autofree char *user = NULL;
  g_autofree char *reason = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "user", 0, 0, G_OPTION_ARG_STRING, &user,
      N_("The rejecting responsible officer (id or login)"), N_("USER") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("Why the list is rejected"),
      N_("TEXT") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *user_id = NULL;
  int status;

  if (!esa_cli_parse_options (cli, _("ID"),
                              _("Rejects a whole load list awaiting approval; its positions are "
                                "cancelled, so that a corrected file can be imported."),
                              entries, 1, 1, &argc, &argv, &status))
    return status;
  if (user == NULL || reason == NULL)
    {
      esa_cli_printerr (_("load-list reject: --user and --reason are required"));
      return ESA_CLI_EXIT_INVALID;
    }

  store = esa_cli_open_store (cli, FALSE, &status);
  if (store == NULL)
    return status;
  user_id = find_user (cli, store, user, &status);
  if (user_id == NULL)
    return status;
  esa_store_set_acting_user (store, user_id);

  if (!esa_store_reject_load_list (store, argv[1], user_id, reason, &error))
    return esa_cli_report_error (cli, error);
  return print_list (cli, store, argv[1], json, FALSE, 0);
}

/* ---- mapping -------------------------------------------------------------- */

static int
load_list_mapping (EsaCliContext *cli,
                   int            argc,
                   char         **argv)
{
  g_autofree char *body_id = NULL;
  g_autofree char *user = NULL;
  const GOptionEntry entries[] = {
    { "body", 0, 0, G_OPTION_ARG_STRING, &body_id, N_("The creditor body"), N_("ID") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("The user saving it (id or login)"),
      N_("USER") },
    { NULL }
  };
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(EsaBody) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaLoadListMapping) mapping = NULL;
  g_autofree char *text = NULL;
  int status;

  if (!esa_cli_parse_options (cli, _("[FILE]"),
                              _("Without FILE, prints the body’s column mapping (the default "
                                "layout when it has none); with FILE, checks it and saves it as "
                                "the body’s mapping."),
                              entries, 0, 1, &argc, &argv, &status))
    return status;
  if (body_id == NULL)
    {
      esa_cli_printerr (_("load-list mapping: --body is required"));
      return ESA_CLI_EXIT_INVALID;
    }

  store = esa_cli_open_store (cli, FALSE, &status);
  if (store == NULL)
    return status;
  body = esa_store_get_body (store, body_id, &error);
  if (body == NULL)
    return esa_cli_report_error (cli, error);

  if (argc < 2)
    {
      mapping = choose_mapping (cli, store, body->id, NULL, &status);
      if (mapping == NULL)
        return status;
      text = esa_load_list_mapping_to_data (mapping);
      g_print ("%s\n", text);
      return ESA_CLI_EXIT_OK;
    }

  if (user != NULL)
    {
      g_autofree char *user_id = find_user (cli, store, user, &status);

      if (user_id == NULL)
        return status;
      esa_store_set_acting_user (store, user_id);
    }
  mapping = esa_load_list_mapping_new_from_file (argv[1], &error);
  if (mapping == NULL)
    return report_file_error (argv[1], error);
  text = esa_load_list_mapping_to_data (mapping);
  if (!esa_store_set_load_list_mapping (store, body->id, text, &error))
    return esa_cli_report_error (cli, error);

  g_print ("%s\n", text);
  return ESA_CLI_EXIT_OK;
}

/* ---- the command ------------------------------------------------------------- */

int
esa_cli_load_list (EsaCliContext *cli,
                   int            argc,
                   char         **argv)
{
  return esa_cli_run_subcommand (cli, argc, argv, subcommands, G_N_ELEMENTS (subcommands));
}
