/* Finding debtors and showing what is known about one: search, dossier. */

#include <string.h>

#include <glib/gi18n-lib.h>

#include "esa-cli.h"

#define DEFAULT_SEARCH_LIMIT 20

typedef struct
{
  const char *id;
  const char *label;
} StateLabel;

/* Stable state names of the schema, shown to people in their language. */
static const StateLabel position_states[] = {
  { "open", N_("open") },
  { "paid", N_("paid") },
  { "suspended", N_("suspended") },
  { "cancelled", N_("cancelled") },
  { "written_off", N_("written off") },
};

static const StateLabel notification_states[] = {
  { "pending", N_("pending") },
  { "sent", N_("sent") },
  { "delivered", N_("delivered") },
  { "failed", N_("failed") },
};

static const char *
describe_state (const StateLabel *labels,
                gsize             n_labels,
                const char       *id)
{
  gsize i;

  if (id == NULL)
    return NULL;

  for (i = 0; i < n_labels; i++)
    if (strcmp (labels[i].id, id) == 0)
      return _(labels[i].label);

  return id;
}

static void
add_hit_json (JsonBuilder   *builder,
              gconstpointer  row)
{
  const EsaSearchHit *hit = row;

  esa_cli_json_add_string (builder, "id", hit->debtor_id);
  esa_cli_json_add_string (builder, "name", hit->name);
  esa_cli_json_add_string (builder, "tax_id", hit->tax_id);
}

int
esa_cli_search (EsaCliContext *cli,
                int            argc,
                char         **argv)
{
  gboolean json = FALSE;
  g_autofree char *limit_text = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "limit", 0, 0, G_OPTION_ARG_STRING, &limit_text,
      N_("Show at most N hits (default 20)"), N_("N") },
    { NULL }
  };
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint64 limit = DEFAULT_SEARCH_LIMIT;
  gboolean more = FALSE;
  int status;
  guint i;

  if (!esa_cli_parse_options (cli, _("TEXT…"),
                              _("Finds debtors: every word of TEXT must match the start of a "
                                "word of a name, tax id, act number, payment reference or "
                                "address."),
                              entries, 1, -1, &argc, &argv, &status))
    return status;

  if (limit_text != NULL &&
      !g_ascii_string_to_unsigned (limit_text, 10, 1, 10000, &limit, &error))
    {
      esa_cli_printerr ("--limit: %s", error->message);
      return ESA_CLI_EXIT_INVALID;
    }

  text = g_strjoinv (" ", argv + 1);
  g_strstrip (text);
  if (text[0] == '\0')
    {
      esa_cli_printerr (_("search: the text to search for is empty"));
      return ESA_CLI_EXIT_INVALID;
    }

  store = esa_cli_open_store (cli, FALSE, &status);
  if (store == NULL)
    return status;

  hits = esa_store_search (store, text, (guint) limit, 0, &more, &error);
  if (hits == NULL)
    return esa_cli_report_error (cli, error);

  if (json)
    return esa_cli_print_json_rows (hits, add_hit_json);

  if (hits->len == 0)
    {
      /* Translators: %s is what was searched for */
      g_print (_("No debtor matches “%s”.\n"), text);
      return ESA_CLI_EXIT_OK;
    }
  else
    {
      g_autoptr(EsaCliTable) table = esa_cli_table_new (_("Name"), _("Tax id"), _("Kind"),
                                                        _("Town"), _("Id"), NULL);

      for (i = 0; i < hits->len; i++)
        {
          const EsaSearchHit *hit = g_ptr_array_index (hits, i);
          g_autoptr(GString) kind = g_string_new (hit->kind == ESA_DEBTOR_COMPANY
                                                  ? _("company") : _("person"));

          if (hit->deceased)
            g_string_append_printf (kind, ", %s", _("deceased"));
          if (hit->insolvent)
            g_string_append_printf (kind, ", %s", _("insolvent"));
          esa_cli_table_add_row (table, hit->name, hit->tax_id, kind->str, hit->town,
                                 hit->debtor_id);
        }
      esa_cli_table_print (table, 0);
    }

  if (more)
    g_print (_("More debtors match: add words to the search or raise --limit.\n"));

  return ESA_CLI_EXIT_OK;
}

static void
add_amounts (JsonBuilder *builder,
             gint64       principal,
             gint64       sanctions,
             gint64       interest,
             gint64       costs,
             gint64       paid,
             gint64       balance)
{
  esa_cli_json_add_int (builder, "principal", principal);
  esa_cli_json_add_int (builder, "sanctions", sanctions);
  esa_cli_json_add_int (builder, "interest", interest);
  esa_cli_json_add_int (builder, "costs", costs);
  esa_cli_json_add_int (builder, "paid", paid);
  esa_cli_json_add_int (builder, "balance", balance);
}

static JsonNode *
dossier_to_json (const EsaDossier *dossier)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const EsaDebtor *debtor = dossier->debtor;
  guint i;

  json_builder_begin_object (builder);
  esa_cli_json_add_string (builder, "id", debtor->id);
  esa_cli_json_add_string (builder, "name", debtor->name);
  esa_cli_json_add_string (builder, "tax_id", debtor->tax_id);

  json_builder_set_member_name (builder, "totals");
  json_builder_begin_array (builder);
  for (i = 0; i < dossier->totals->len; i++)
    {
      const EsaTotals *totals = g_ptr_array_index (dossier->totals, i);

      json_builder_begin_object (builder);
      esa_cli_json_add_string (builder, "body", totals->body_id);
      esa_cli_json_add_string (builder, "currency", totals->currency);
      add_amounts (builder, totals->principal, totals->sanctions, totals->interest,
                   totals->costs, totals->paid, totals->balance);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "positions");
  json_builder_begin_array (builder);
  for (i = 0; i < dossier->positions->len; i++)
    {
      const EsaPosition *position = g_ptr_array_index (dossier->positions, i);

      json_builder_begin_object (builder);
      esa_cli_json_add_string (builder, "id", position->id);
      esa_cli_json_add_string (builder, "body", position->body_id);
      esa_cli_json_add_string (builder, "reference", position->reference);
      esa_cli_json_add_string (builder, "payment_reference", position->payment_reference);
      esa_cli_json_add_string (builder, "currency", position->currency);
      add_amounts (builder, position->principal, position->sanctions, position->interest,
                   position->costs, position->paid, esa_position_balance (position));
      esa_cli_json_add_string (builder, "state", position->state);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "cases");
  json_builder_begin_array (builder);
  for (i = 0; i < dossier->cases->len; i++)
    {
      const EsaCase *case_ = g_ptr_array_index (dossier->cases, i);

      json_builder_begin_object (builder);
      esa_cli_json_add_string (builder, "id", case_->id);
      esa_cli_json_add_string (builder, "procedure", case_->procedure_id);
      esa_cli_json_add_string (builder, "state", case_->state);
      esa_cli_json_add_string (builder, "next_deadline", case_->next_deadline);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "acts");
  json_builder_begin_array (builder);
  for (i = 0; i < dossier->acts->len; i++)
    {
      const EsaAct *act = g_ptr_array_index (dossier->acts, i);

      json_builder_begin_object (builder);
      esa_cli_json_add_string (builder, "id", act->id);
      esa_cli_json_add_string (builder, "type", act->type);
      esa_cli_json_add_string (builder, "number", act->number);
      esa_cli_json_add_string (builder, "case", act->case_id);
      esa_cli_json_add_string (builder, "notification", act->notification_state);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "payments");
  json_builder_begin_array (builder);
  for (i = 0; i < dossier->payments->len; i++)
    {
      const EsaPayment *payment = g_ptr_array_index (dossier->payments, i);

      json_builder_begin_object (builder);
      esa_cli_json_add_string (builder, "id", payment->id);
      esa_cli_json_add_string (builder, "position", payment->position_id);
      esa_cli_json_add_int (builder, "amount", payment->amount);
      esa_cli_json_add_string (builder, "currency", payment->currency);
      esa_cli_json_add_string (builder, "paid_on", payment->paid_on);
      esa_cli_json_add_string (builder, "reference", payment->reference);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Prints a titled section of the dossier: the table, or "none" for no rows. */
static void
print_section (const char  *title,
               guint        count,
               EsaCliTable *table)
{
  g_print ("\n");
  /* Translators: a section title of the dossier with its number of rows, "Positions (3)" */
  g_print (_("%s (%u)\n"), title, count);
  if (count > 0)
    esa_cli_table_print (table, 2);
  else
    /* Translators: shown under a dossier section title that has no rows */
    g_print ("  %s\n", _("none"));
}

static void
print_debtor (const EsaDossier *dossier)
{
  const EsaDebtor *debtor = dossier->debtor;
  g_autoptr(EsaCliTable) fields = esa_cli_table_new_plain (2);
  EsaIdKind kind;

  g_print ("%s\n", debtor->name);

  if (debtor->tax_id != NULL)
    {
      g_autofree char *printed = NULL;
      const char *label = _("Tax id");

      if (debtor->tax_id_kind != NULL && esa_id_kind_from_string (debtor->tax_id_kind, &kind))
        {
          printed = esa_id_format (kind, debtor->tax_id);
          label = esa_id_kind_describe (kind);
        }
      esa_cli_table_add_row (fields, label, printed != NULL ? printed : debtor->tax_id);
    }

  if (debtor->addresses != NULL && debtor->addresses->len > 0)
    {
      const EsaAddress *address = g_ptr_array_index (debtor->addresses, 0);
      g_autofree char *line = NULL;

      if (address->valid_to == NULL)
        {
          line = g_strdup_printf ("%s, %s %s (%s)", address->street ? address->street : "",
                                  address->postcode ? address->postcode : "",
                                  address->town ? address->town : "",
                                  address->country ? address->country : "");
          esa_cli_table_add_row (fields, _("Address"), line);
        }
    }

  if (debtor->birth_date != NULL)
    {
      g_autofree char *date = esa_date_format_iso (debtor->birth_date);

      esa_cli_table_add_row (fields, _("Born"), date);
    }
  if (debtor->deceased_on != NULL)
    {
      g_autofree char *date = esa_date_format_iso (debtor->deceased_on);

      esa_cli_table_add_row (fields, _("Deceased"), date);
    }
  if (debtor->ceased_on != NULL)
    {
      g_autofree char *date = esa_date_format_iso (debtor->ceased_on);

      esa_cli_table_add_row (fields, _("Ceased"), date);
    }
  if (debtor->insolvent_since != NULL)
    {
      g_autofree char *date = esa_date_format_iso (debtor->insolvent_since);

      esa_cli_table_add_row (fields, _("Insolvent since"), date);
    }
  if (dossier->has_active_plan)
    esa_cli_table_add_row (fields, _("Instalments"), _("an instalment plan is active"));
  if (dossier->has_suspended_position)
    esa_cli_table_add_row (fields, _("Suspended"), _("some positions are suspended"));
  esa_cli_table_add_row (fields, _("Id"), debtor->id);

  esa_cli_table_print (fields, 2);
}

static void
print_totals (const EsaDossier *dossier)
{
  g_autoptr(EsaCliTable) table = esa_cli_table_new (_("Creditor"), _("Principal"), _("Sanctions"),
                                                    _("Interest"), _("Costs"), _("Paid"),
                                                    _("Balance"), NULL);
  guint i;

  for (i = 0; i < dossier->totals->len; i++)
    {
      const EsaTotals *totals = g_ptr_array_index (dossier->totals, i);
      g_autofree char *principal = esa_money_format (totals->principal, totals->currency);
      g_autofree char *sanctions = esa_money_format (totals->sanctions, totals->currency);
      g_autofree char *interest = esa_money_format (totals->interest, totals->currency);
      g_autofree char *costs = esa_money_format (totals->costs, totals->currency);
      g_autofree char *paid = esa_money_format (totals->paid, totals->currency);
      g_autofree char *balance = esa_money_format (totals->balance, totals->currency);

      esa_cli_table_add_row (table, totals->body_name, principal, sanctions, interest, costs,
                             paid, balance);
    }
  for (i = 1; i <= 6; i++)
    esa_cli_table_align_right (table, i);

  g_print ("\n%s\n", _("Owed"));
  esa_cli_table_print (table, 2);
}

static void
print_positions (const EsaDossier *dossier)
{
  g_autoptr(EsaCliTable) table = esa_cli_table_new (_("Reference"), _("Creditor"), _("Type"),
                                                    _("Year"), _("Due"), _("State"),
                                                    _("Balance"), NULL);
  guint i;

  for (i = 0; i < dossier->positions->len; i++)
    {
      const EsaPosition *position = g_ptr_array_index (dossier->positions, i);
      g_autofree char *year = g_strdup_printf ("%d", position->year);
      g_autofree char *due = esa_date_format_iso (position->due_date);
      g_autofree char *balance = esa_money_format (esa_position_balance (position),
                                                   position->currency);

      esa_cli_table_add_row (table, position->reference, position->body_name,
                             position->revenue_type, year, due,
                             describe_state (position_states, G_N_ELEMENTS (position_states),
                                             position->state),
                             balance);
    }
  esa_cli_table_align_right (table, 6);

  print_section (_("Positions"), dossier->positions->len, table);
}

static void
print_cases (const EsaDossier *dossier)
{
  g_autoptr(EsaCliTable) table = esa_cli_table_new (_("Procedure"), _("State"), _("Opened"),
                                                    _("Next deadline"), _("Officer"), NULL);
  guint i;

  for (i = 0; i < dossier->cases->len; i++)
    {
      const EsaCase *case_ = g_ptr_array_index (dossier->cases, i);
      g_autofree char *opened = esa_date_format_iso (case_->opened_on);
      g_autofree char *deadline = esa_date_format_iso (case_->next_deadline);
      g_autofree char *next = NULL;

      if (case_->next_deadline_label != NULL && deadline[0] != '\0')
        next = g_strdup_printf ("%s (%s)", deadline,
                                esa_procedure_gettext (case_->next_deadline_label));

      esa_cli_table_add_row (table, case_->procedure_id, case_->state, opened,
                             next != NULL ? next : deadline, case_->officer_name);
    }

  print_section (_("Cases"), dossier->cases->len, table);
}

static void
print_acts (const EsaDossier *dossier)
{
  g_autoptr(EsaCliTable) table = esa_cli_table_new (_("Number"), _("Type"), _("Issued"),
                                                    _("Notification"), NULL);
  guint i;

  for (i = 0; i < dossier->acts->len; i++)
    {
      const EsaAct *act = g_ptr_array_index (dossier->acts, i);
      g_autofree char *issued = esa_date_format_iso (act->issued_on);
      g_autofree char *notified = esa_date_format_iso (act->notified_on);
      const char *state = describe_state (notification_states,
                                          G_N_ELEMENTS (notification_states),
                                          act->notification_state);
      g_autofree char *notification = NULL;

      if (state != NULL && notified[0] != '\0')
        notification = g_strdup_printf ("%s %s", state, notified);

      esa_cli_table_add_row (table, act->number, act->type, issued,
                             notification != NULL ? notification : state);
    }

  print_section (_("Acts"), dossier->acts->len, table);
}

static void
print_payments (const EsaDossier *dossier)
{
  g_autoptr(EsaCliTable) table = esa_cli_table_new (_("Paid on"), _("Amount"), _("Reference"),
                                                    _("Channel"), NULL);
  guint i;

  for (i = 0; i < dossier->payments->len; i++)
    {
      const EsaPayment *payment = g_ptr_array_index (dossier->payments, i);
      g_autofree char *paid_on = esa_date_format_iso (payment->paid_on);
      g_autofree char *amount = esa_money_format (payment->amount, payment->currency);

      esa_cli_table_add_row (table, paid_on, amount, payment->reference, payment->channel);
    }
  esa_cli_table_align_right (table, 1);

  print_section (_("Payments"), dossier->payments->len, table);
}

int
esa_cli_dossier (EsaCliContext *cli,
                 int            argc,
                 char         **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(EsaDossier) dossier = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!esa_cli_parse_options (cli, _("DEBTOR_ID"),
                              _("Shows what a debtor owes, with positions, cases, acts and "
                                "payments."),
                              entries, 1, 1, &argc, &argv, &status))
    return status;

  store = esa_cli_open_store (cli, FALSE, &status);
  if (store == NULL)
    return status;

  dossier = esa_store_load_dossier (store, argv[1], &error);
  if (dossier == NULL)
    {
      if (g_error_matches (error, ESA_STORE_ERROR, ESA_STORE_ERROR_NOT_FOUND))
        {
          esa_cli_printerr (_("no debtor with id “%s”"), argv[1]);
          return ESA_CLI_EXIT_INVALID;
        }
      return esa_cli_report_error (cli, error);
    }

  if (json)
    {
      g_autoptr(JsonNode) root = dossier_to_json (dossier);

      return esa_cli_print_json (root);
    }

  print_debtor (dossier);
  print_totals (dossier);
  print_positions (dossier);
  print_cases (dossier);
  print_acts (dossier);
  print_payments (dossier);

  return ESA_CLI_EXIT_OK;
}
