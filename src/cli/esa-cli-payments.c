/* payments: importing payment flows, the unmatched queue, assigning and
 * parking payments, the refund list. */

#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "esa-cli.h"
#include "esa-payment-flow.h"
#include "esa-store-payments.h"

static int payments_import     (EsaCliContext *cli, int argc, char **argv);
static int payments_unmatched  (EsaCliContext *cli, int argc, char **argv);
static int payments_candidates (EsaCliContext *cli, int argc, char **argv);
static int payments_assign     (EsaCliContext *cli, int argc, char **argv);
static int payments_park       (EsaCliContext *cli, int argc, char **argv);
static int payments_refunds    (EsaCliContext *cli, int argc, char **argv);

static const EsaCliSubcommand subcommands[] = {
  { "import", "payments import",
    N_("Import a payment flow: pagoPA, camt.054 or CSV; match, allocate, close paid cases"),
    payments_import },
  { "unmatched", "payments unmatched", N_("List the payments that matched no position"),
    payments_unmatched },
  { "candidates", "payments candidates",
    N_("The positions an unmatched payment may be for, scored"), payments_candidates },
  { "assign", "payments assign", N_("Assign an unmatched payment to a position or a debtor"),
    payments_assign },
  { "park", "payments park", N_("Set an unmatched payment aside with a note"), payments_park },
  { "refunds", "payments refunds", N_("List double payments and overpayments to refund"),
    payments_refunds },
};

/* ---- shared pieces ------------------------------------------------------ */

/* Opens the database with the procedures and parameter tables: a payment
 * that pays a case in full runs the procedure's closing action, and the
 * allocation order is a parameter table. */
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
  if (out_params != NULL)
    *out_params = g_steal_pointer (&params);
  return g_steal_pointer (&store);
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

  if (user == NULL)
    return TRUE;

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
add_money (JsonBuilder *builder,
           const char  *name,
           gint64       minor)
{
  g_autofree char *text = esa_money_to_decimal (minor);

  esa_cli_json_add_string (builder, name, text);
}

static void
add_lines_json (JsonBuilder                  *builder,
                const EsaPaymentImportReport *report)
{
  json_builder_set_member_name (builder, "payments");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->lines->len; i++)
    {
      const EsaPaymentImportLine *line = g_ptr_array_index (report->lines, i);

      json_builder_begin_object (builder);
      if (line->line > 0)
        esa_cli_json_add_int (builder, "line", line->line);
      esa_cli_json_add_string (builder, "outcome", esa_payment_outcome_to_string (line->outcome));
      esa_cli_json_add_string (builder, "payment_id", line->payment_id);
      esa_cli_json_add_string (builder, "position_id", line->position_id);
      esa_cli_json_add_string (builder, "debtor_id", line->debtor_id);
      esa_cli_json_add_string (builder, "reference", line->reference);
      add_money (builder, "amount", line->amount);
      add_money (builder, "unapplied", line->unapplied);
      esa_cli_json_add_string (builder, "currency", line->currency);
      esa_cli_json_add_string (builder, "message", line->message);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "notes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->notes->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (report->notes, i));
  json_builder_end_array (builder);
}

static void
print_lines (const EsaPaymentImportReport *report)
{
  if (report->lines->len > 0)
    {
      g_autoptr(EsaCliTable) table = esa_cli_table_new (_("Line"), _("Outcome"), _("Amount"),
                                                        _("Reference"), _("What happened"),
                                                        NULL);

      esa_cli_table_align_right (table, 0);
      esa_cli_table_align_right (table, 2);
      for (guint i = 0; i < report->lines->len; i++)
        {
          const EsaPaymentImportLine *line = g_ptr_array_index (report->lines, i);
          g_autofree char *number = line->line > 0 ? g_strdup_printf ("%u", line->line) : NULL;
          g_autofree char *amount = esa_money_format (line->amount, line->currency);

          esa_cli_table_add_row (table, number, esa_payment_outcome_to_string (line->outcome),
                                 amount, line->reference, line->message);
        }
      esa_cli_table_print (table, 0);
    }
  for (guint i = 0; i < report->notes->len; i++)
    g_print ("%s %s\n", _("Note:"), (const char *) g_ptr_array_index (report->notes, i));
}

/* ---- import --------------------------------------------------------------- */

/* A file that cannot be imported: the reason on stderr, and the same in
 * JSON on stdout with --json, so that a script reads one format. */
static int
report_rejected (EsaCliContext *cli,
                 const char    *file,
                 const char    *format,
                 gboolean       json,
                 const GError  *error)
{
  int status;

  if (error->domain == ESA_EXCHANGE_ERROR || error->domain == G_FILE_ERROR)
    {
      /* Translators: "flow.xml: rejected: pagoPA flow, line 12: …" */
      esa_cli_printerr (_("%s: rejected: %s"), file, error->message);
      status = ESA_CLI_EXIT_INVALID;
    }
  else
    status = esa_cli_report_error (cli, error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      esa_cli_json_add_string (builder, "file", file);
      esa_cli_json_add_string (builder, "format", format);
      esa_cli_json_add_string (builder, "status", "rejected");
      esa_cli_json_add_int (builder, "matched", 0);
      esa_cli_json_add_int (builder, "unmatched", 0);
      esa_cli_json_add_int (builder, "duplicates", 0);
      esa_cli_json_add_int (builder, "rejected", 1);
      json_builder_set_member_name (builder, "reasons");
      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, error->message);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      esa_cli_print_json (root);
    }
  return status;
}

/* The mapping of a CSV import: from --mapping (saved for --body when both
 * are given), else the one saved for --body. */
static EsaPaymentCsvMapping *
csv_mapping (EsaStore    *store,
             const char  *mapping_path,
             const char  *body_id,
             GError     **error)
{
  g_autoptr(EsaPaymentCsvMapping) mapping = NULL;
  g_autofree char *saved = NULL;

  if (mapping_path != NULL)
    {
      g_autofree char *data = NULL;

      mapping = esa_payment_csv_mapping_new_from_file (mapping_path, error);
      if (mapping == NULL)
        return NULL;
      if (body_id != NULL)
        {
          data = esa_payment_csv_mapping_to_data (mapping);
          if (!esa_store_set_payment_mapping (store, body_id, data, error))
            return NULL;
        }
      return g_steal_pointer (&mapping);
    }

  if (body_id == NULL)
    {
      g_set_error_literal (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_INVALID,
                           _("A CSV payment file needs a column mapping: --mapping FILE, or "
                             "--body BODY with a mapping saved before"));
      return NULL;
    }
  saved = esa_store_get_payment_mapping (store, body_id, error);
  if (saved == NULL)
    {
      if (error == NULL || *error == NULL)
        g_set_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_INVALID,
                     _("Creditor body %s has no saved CSV mapping: give one with --mapping FILE"),
                     body_id);
      return NULL;
    }
  return esa_payment_csv_mapping_new_from_data (saved, error);
}

static int
payments_import (EsaCliContext *cli,
                 int            argc,
                 char         **argv)
{
  gboolean json = FALSE;
  g_autofree char *format_text = NULL;
  g_autofree char *mapping_path = NULL;
  g_autofree char *body_id = NULL;
  g_autofree char *user = NULL;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text,
      N_("pagopa, camt054 or csv (default: recognised from the file)"), N_("FORMAT") },
    { "mapping", 0, 0, G_OPTION_ARG_FILENAME, &mapping_path,
      N_("The column mapping of a CSV file (saved for --body when given)"), N_("FILE") },
    { "body", 0, 0, G_OPTION_ARG_STRING, &body_id,
      N_("The creditor body the flow is for (default: the one it names)"), N_("ID") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user,
      N_("Import in the name of this user (id or login)"), N_("USER") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(EsaParameters) params = NULL;
  g_autoptr(EsaFlowFile) file = NULL;
  g_autoptr(EsaPaymentCsvMapping) mapping = NULL;
  g_autoptr(EsaPaymentFlow) flow = NULL;
  g_autoptr(EsaPaymentImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  EsaPaymentImportOptions options = { NULL, };
  EsaPaymentFlowFormat format = ESA_PAYMENT_FLOW_PAGOPA;
  const char *format_name = NULL;
  int status;

  if (!esa_cli_parse_options (cli, _("FILE"),
                              _("Imports a payment flow in one transaction: the payments that "
                                "name a position's reference are allocated to it, the others wait "
                                "in the unmatched queue. A file imported before, or a flow not "
                                "newer than the one with its identifier, changes nothing; a "
                                "flow whose counts or totals do not add up is rejected."),
                              entries, 1, 1, &argc, &argv, &status))
    return status;

  if (format_text != NULL && !esa_payment_flow_format_from_string (format_text, &format))
    {
      esa_cli_printerr (_("--format: “%s” is not pagopa, camt054 or csv"), format_text);
      return ESA_CLI_EXIT_INVALID;
    }

  store = open_store (cli, &params, &status);
  if (store == NULL || !set_acting_user (cli, store, user, &status))
    return status;

  file = esa_flow_file_load (argv[1], &error);
  if (file == NULL)
    return report_rejected (cli, argv[1], format_text, json, error);
  if (format_text == NULL && !esa_payment_flow_detect (file->data, file->length, &format, &error))
    return report_rejected (cli, argv[1], NULL, json, error);
  format_name = esa_payment_flow_format_to_string (format);

  if (format == ESA_PAYMENT_FLOW_CSV)
    {
      mapping = csv_mapping (store, mapping_path, body_id, &error);
      if (mapping == NULL)
        return report_rejected (cli, argv[1], format_name, json, error);
    }

  flow = esa_payment_flow_read (file->data, file->length, format, mapping, &error);
  if (flow == NULL)
    return report_rejected (cli, argv[1], format_name, json, error);

  options.file_name = file->name;
  options.file_sha256 = file->sha256;
  options.body_id = body_id;
  options.parameters = params;
  report = esa_store_import_payment_flow (store, flow, &options, &error);
  if (report == NULL)
    return report_rejected (cli, argv[1], format_name, json, error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      esa_cli_json_add_string (builder, "file", argv[1]);
      esa_cli_json_add_string (builder, "format", format_name);
      esa_cli_json_add_string (builder, "flow", flow->flow_key != NULL ? flow->flow_key
                                                                       : file->sha256);
      esa_cli_json_add_string (builder, "flow_id", report->flow_id);
      esa_cli_json_add_string (builder, "status",
                               esa_payment_flow_status_to_string (report->status));
      esa_cli_json_add_string (builder, "replaced", report->replaced_id);
      esa_cli_json_add_string (builder, "body", report->body_id);
      esa_cli_json_add_int (builder, "matched", report->matched);
      esa_cli_json_add_int (builder, "unmatched", report->unmatched);
      esa_cli_json_add_int (builder, "duplicates", report->duplicates);
      esa_cli_json_add_int (builder, "revoked", report->revoked);
      esa_cli_json_add_int (builder, "rejected", 0);
      esa_cli_json_add_int (builder, "refunds", report->refunds);
      esa_cli_json_add_int (builder, "positions_paid", report->positions_paid);
      esa_cli_json_add_int (builder, "cases_closed", report->cases_closed);
      add_money (builder, "total", report->total);
      add_lines_json (builder, report);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      return esa_cli_print_json (root);
    }

  switch (report->status)
    {
    case ESA_PAYMENT_FLOW_DUPLICATE:
      /* Translators: %s is a file name */
      g_print (_("%s: already imported; nothing was changed\n"), file->name);
      break;
    case ESA_PAYMENT_FLOW_REPLACED:
      g_print (_("%s: replaces an earlier flow with the same identifier\n"), file->name);
      break;
    case ESA_PAYMENT_FLOW_IMPORTED:
    default:
      g_print (_("%s: imported\n"), file->name);
      break;
    }
  g_print (_("matched: %u  unmatched: %u  duplicates: %u  revoked: %u  rejected: 0\n"),
           report->matched, report->unmatched, report->duplicates, report->revoked);
  g_print (_("positions paid: %u  cases closed: %u  refunds: %u\n"), report->positions_paid,
           report->cases_closed, report->refunds);
  print_lines (report);
  return ESA_CLI_EXIT_OK;
}

/* ---- the queue -------------------------------------------------------------- */

static void
add_candidate_json (JsonBuilder               *builder,
                    const EsaPaymentCandidate *candidate)
{
  json_builder_begin_object (builder);
  esa_cli_json_add_string (builder, "position_id", candidate->position_id);
  esa_cli_json_add_string (builder, "debtor_id", candidate->debtor_id);
  esa_cli_json_add_string (builder, "debtor_name", candidate->debtor_name);
  esa_cli_json_add_string (builder, "tax_id", candidate->tax_id);
  esa_cli_json_add_string (builder, "reference", candidate->reference);
  esa_cli_json_add_string (builder, "payment_reference", candidate->payment_reference);
  esa_cli_json_add_string (builder, "due_date", candidate->due_date);
  add_money (builder, "balance", candidate->balance);
  esa_cli_json_add_string (builder, "currency", candidate->currency);
  esa_cli_json_add_int (builder, "score", candidate->score);
  json_builder_set_member_name (builder, "parts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < candidate->parts->len; i++)
    {
      const EsaScorePart *part = g_ptr_array_index (candidate->parts, i);

      json_builder_begin_object (builder);
      esa_cli_json_add_string (builder, "part", part->part);
      esa_cli_json_add_int (builder, "points", part->points);
      esa_cli_json_add_int (builder, "max", part->max);
      esa_cli_json_add_string (builder, "explain", part->explain);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static int
payments_unmatched (EsaCliContext *cli,
                    int            argc,
                    char         **argv)
{
  gboolean json = FALSE;
  gboolean parked = FALSE;
  int n_candidates = 3;
  const GOptionEntry entries[] = {
    { "parked", 0, 0, G_OPTION_ARG_NONE, &parked, N_("Also the parked payments"), NULL },
    { "candidates", 0, 0, G_OPTION_ARG_INT, &n_candidates,
      N_("Show the N best candidates of each payment (default 3, 0 for none)"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(EsaCliTable) table = NULL;
  int status;

  if (!esa_cli_parse_options (cli, "",
                              _("Lists the payments that matched no position, oldest first, "
                                "with the positions they may be for."),
                              entries, 0, 0, &argc, &argv, &status))
    return status;
  if (n_candidates < 0)
    {
      esa_cli_printerr (_("--candidates must not be negative"));
      return ESA_CLI_EXIT_INVALID;
    }

  store = esa_cli_open_store (cli, FALSE, &status);
  if (store == NULL)
    return status;
  payments = esa_store_list_unmatched_payments (store, parked, &error);
  if (payments == NULL)
    return esa_cli_report_error (cli, error);

  table = esa_cli_table_new (_("Payment"), _("State"), _("Paid on"), _("Amount"), _("Reference"),
                             _("Payer"), _("Best candidate"), NULL);
  esa_cli_table_align_right (table, 3);
  json_builder_begin_array (builder);
  for (guint i = 0; i < payments->len; i++)
    {
      const EsaQueuedPayment *payment = g_ptr_array_index (payments, i);
      g_autoptr(GPtrArray) candidates = NULL;
      g_autofree char *amount = esa_money_format (payment->amount, payment->currency);
      g_autofree char *best = NULL;

      if (n_candidates > 0)
        {
          candidates = esa_store_payment_candidates (store, payment->id, (guint) n_candidates,
                                                     &error);
          if (candidates == NULL)
            return esa_cli_report_error (cli, error);
        }

      if (!json)
        {
          if (candidates != NULL && candidates->len > 0)
            {
              const EsaPaymentCandidate *first = g_ptr_array_index (candidates, 0);

              /* Translators: "Rossi Mario, TARI-2024-1 (score 75)" */
              best = g_strdup_printf (_("%s, %s (score %u)"), first->debtor_name,
                                      first->reference, first->score);
            }
          esa_cli_table_add_row (table, payment->id, payment->state, payment->paid_on, amount,
                                 payment->reference, payment->debtor_name, best);
          continue;
        }

      json_builder_begin_object (builder);
      esa_cli_json_add_string (builder, "id", payment->id);
      esa_cli_json_add_string (builder, "state", payment->state);
      esa_cli_json_add_string (builder, "flow", payment->flow_key);
      esa_cli_json_add_string (builder, "format", payment->format);
      if (payment->line > 0)
        esa_cli_json_add_int (builder, "line", payment->line);
      esa_cli_json_add_string (builder, "body", payment->body_id);
      add_money (builder, "amount", payment->amount);
      esa_cli_json_add_string (builder, "currency", payment->currency);
      esa_cli_json_add_string (builder, "paid_on", payment->paid_on);
      esa_cli_json_add_string (builder, "reference", payment->reference);
      esa_cli_json_add_string (builder, "reference_kind", payment->reference_kind);
      esa_cli_json_add_string (builder, "collection_ref", payment->collection_ref);
      esa_cli_json_add_string (builder, "debtor_name", payment->debtor_name);
      esa_cli_json_add_string (builder, "debtor_tax_id", payment->debtor_tax_id);
      esa_cli_json_add_string (builder, "remittance", payment->remittance);
      esa_cli_json_add_string (builder, "note", payment->note);
      json_builder_set_member_name (builder, "candidates");
      json_builder_begin_array (builder);
      for (guint c = 0; candidates != NULL && c < candidates->len; c++)
        add_candidate_json (builder, g_ptr_array_index (candidates, c));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  if (json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (builder);

      return esa_cli_print_json (root);
    }
  if (payments->len == 0)
    g_print (_("No payment waits in the unmatched queue.\n"));
  else
    esa_cli_table_print (table, 0);
  return ESA_CLI_EXIT_OK;
}

static int
payments_candidates (EsaCliContext *cli,
                     int            argc,
                     char         **argv)
{
  gboolean json = FALSE;
  int limit = 10;
  const GOptionEntry entries[] = {
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("At most N candidates (default 10)"),
      N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!esa_cli_parse_options (cli, _("PAYMENT_ID"),
                              _("Scores the open positions an unmatched payment may be for, from "
                                "0 to 100: tax id 35, reference in the payment 25, amount 20, "
                                "payer's name 10, date 10."),
                              entries, 1, 1, &argc, &argv, &status))
    return status;
  if (limit < 1)
    {
      esa_cli_printerr (_("--limit must be at least 1"));
      return ESA_CLI_EXIT_INVALID;
    }

  store = esa_cli_open_store (cli, FALSE, &status);
  if (store == NULL)
    return status;
  candidates = esa_store_payment_candidates (store, argv[1], (guint) limit, &error);
  if (candidates == NULL)
    return esa_cli_report_error (cli, error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < candidates->len; i++)
        add_candidate_json (builder, g_ptr_array_index (candidates, i));
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      return esa_cli_print_json (root);
    }

  if (candidates->len == 0)
    g_print (_("No candidate: no debtor has the payer's tax id or name, and no position is "
               "named in the payment.\n"));
  for (guint i = 0; i < candidates->len; i++)
    {
      const EsaPaymentCandidate *candidate = g_ptr_array_index (candidates, i);
      g_autofree char *balance = esa_money_format (candidate->balance, candidate->currency);

      /* Translators: "75  Rossi Mario  TARI-2024-1  balance € 120.00  position 1234…" */
      g_print (_("%3u  %s  %s  balance %s  position %s\n"), candidate->score,
               candidate->debtor_name, candidate->reference, balance, candidate->position_id);
      for (guint p = 0; p < candidate->parts->len; p++)
        {
          const EsaScorePart *part = g_ptr_array_index (candidate->parts, p);

          g_print ("       %2u/%-2u %s\n", part->points, part->max, part->explain);
        }
    }
  return ESA_CLI_EXIT_OK;
}

static int
payments_assign (EsaCliContext *cli,
                 int            argc,
                 char         **argv)
{
  gboolean json = FALSE;
  g_autofree char *debtor_id = NULL;
  g_autofree char *user = NULL;
  const GOptionEntry entries[] = {
    { "debtor", 0, 0, G_OPTION_ARG_STRING, &debtor_id,
      N_("Spread the payment over this debtor's positions, oldest first, instead of one "
         "position"), N_("DEBTOR_ID") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user,
      N_("Assign in the name of this user (id or login)"), N_("USER") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(EsaParameters) params = NULL;
  g_autoptr(EsaPaymentImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!esa_cli_parse_options (cli, _("PAYMENT_ID [POSITION_ID]"),
                              _("Assigns an unmatched or parked payment to a position (or, with "
                                "--debtor, to a debtor's positions), allocated as an import "
                                "would."),
                              entries, 1, 2, &argc, &argv, &status))
    return status;
  if ((argc == 3) == (debtor_id != NULL))
    {
      esa_cli_printerr (_("payments assign needs a POSITION_ID or --debtor DEBTOR_ID, not both"));
      return ESA_CLI_EXIT_INVALID;
    }

  store = open_store (cli, &params, &status);
  if (store == NULL || !set_acting_user (cli, store, user, &status))
    return status;

  if (debtor_id != NULL)
    report = esa_store_assign_payment_to_debtor (store, argv[1], debtor_id, params, &error);
  else
    report = esa_store_assign_payment (store, argv[1], argv[2], params, &error);
  if (report == NULL)
    return esa_cli_report_error (cli, error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      esa_cli_json_add_string (builder, "payment_id", argv[1]);
      esa_cli_json_add_int (builder, "positions_paid", report->positions_paid);
      esa_cli_json_add_int (builder, "cases_closed", report->cases_closed);
      add_lines_json (builder, report);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      return esa_cli_print_json (root);
    }
  print_lines (report);
  return ESA_CLI_EXIT_OK;
}

static int
payments_park (EsaCliContext *cli,
               int            argc,
               char         **argv)
{
  g_autofree char *note = NULL;
  g_autofree char *user = NULL;
  const GOptionEntry entries[] = {
    { "note", 0, 0, G_OPTION_ARG_STRING, &note, N_("Why the payment is set aside (required)"),
      N_("TEXT") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user,
      N_("Park in the name of this user (id or login)"), N_("USER") },
    { NULL }
  };
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!esa_cli_parse_options (cli, _("PAYMENT_ID"),
                              _("Sets an unmatched payment aside with a note; it can still be "
                                "assigned later."),
                              entries, 1, 1, &argc, &argv, &status))
    return status;
  if (note == NULL)
    {
      esa_cli_printerr (_("payments park needs --note TEXT saying why"));
      return ESA_CLI_EXIT_INVALID;
    }

  store = esa_cli_open_store (cli, FALSE, &status);
  if (store == NULL || !set_acting_user (cli, store, user, &status))
    return status;
  if (!esa_store_park_payment (store, argv[1], note, &error))
    return esa_cli_report_error (cli, error);

  g_print (_("Payment %s parked\n"), argv[1]);
  return ESA_CLI_EXIT_OK;
}

static void
add_refund_json (JsonBuilder   *builder,
                 gconstpointer  row)
{
  const EsaRefundCandidate *refund = row;

  esa_cli_json_add_string (builder, "payment_id", refund->payment_id);
  esa_cli_json_add_string (builder, "reason", refund->reason);
  esa_cli_json_add_string (builder, "paid_on", refund->paid_on);
  add_money (builder, "amount", refund->amount);
  add_money (builder, "refund", refund->refund);
  esa_cli_json_add_string (builder, "currency", refund->currency);
  esa_cli_json_add_string (builder, "body", refund->body_id);
  esa_cli_json_add_string (builder, "debtor_id", refund->debtor_id);
  esa_cli_json_add_string (builder, "debtor_name", refund->debtor_name);
  esa_cli_json_add_string (builder, "tax_id", refund->tax_id);
  esa_cli_json_add_string (builder, "position_id", refund->position_id);
  esa_cli_json_add_string (builder, "position_reference", refund->position_reference);
  esa_cli_json_add_string (builder, "reference", refund->reference);
  esa_cli_json_add_string (builder, "flow", refund->flow_key);
}

static int
payments_refunds (EsaCliContext *cli,
                  int            argc,
                  char         **argv)
{
  gboolean json = FALSE;
  g_autofree char *csv_path = NULL;
  const GOptionEntry entries[] = {
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv_path,
      N_("Write the list as CSV to FILE (“-” for standard output)"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(GPtrArray) refunds = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!esa_cli_parse_options (cli, "",
                              _("Lists what is owed back: payments on positions already paid "
                                "(double payments) and the part of a payment above what was "
                                "owed."),
                              entries, 0, 0, &argc, &argv, &status))
    return status;

  store = esa_cli_open_store (cli, FALSE, &status);
  if (store == NULL)
    return status;
  refunds = esa_store_list_refunds (store, &error);
  if (refunds == NULL)
    return esa_cli_report_error (cli, error);

  if (csv_path != NULL)
    {
      g_autofree char *csv = esa_payment_refunds_to_csv (refunds);

      if (g_str_equal (csv_path, "-"))
        g_print ("%s", csv);
      else if (!g_file_set_contents (csv_path, csv, -1, &error))
        return esa_cli_report_error (cli, error);
      else if (!json)
        g_print (g_dngettext (GETTEXT_PACKAGE, "%u refund written to %s\n",
                              "%u refunds written to %s\n", refunds->len),
                 refunds->len, csv_path);
    }

  if (json)
    return esa_cli_print_json_rows (refunds, add_refund_json);
  if (csv_path == NULL)
    {
      g_autoptr(EsaCliTable) table = esa_cli_table_new (_("Paid on"), _("Reason"), _("Refund"),
                                                        _("Debtor"), _("Position"),
                                                        _("Payment"), NULL);

      esa_cli_table_align_right (table, 2);
      for (guint i = 0; i < refunds->len; i++)
        {
          const EsaRefundCandidate *refund = g_ptr_array_index (refunds, i);
          g_autofree char *amount = esa_money_format (refund->refund, refund->currency);
          const char *reason = g_strcmp0 (refund->reason, "double") == 0
                               ? _("double payment") : _("overpayment");

          esa_cli_table_add_row (table, refund->paid_on, reason, amount, refund->debtor_name,
                                 refund->position_reference, refund->payment_id);
        }
      if (refunds->len == 0)
        g_print (_("Nothing to refund.\n"));
      else
        esa_cli_table_print (table, 0);
    }
  return ESA_CLI_EXIT_OK;
}

/* ---- the command ---------------------------------------------------------------- */

int
esa_cli_payments (EsaCliContext *cli,
                  int            argc,
                  char         **argv)
{
  return esa_cli_run_subcommand (cli, argc, argv, subcommands, G_N_ELEMENTS (subcommands));
}
