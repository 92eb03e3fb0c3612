/* The steps of a case's procedure: case actions, do, undo, due. */

#include <string.h>

#include <glib/gi18n-lib.h>

#include "esa-cli.h"

#define DEFAULT_DUE_LIMIT 50

static int case_actions (EsaCliContext *cli, int argc, char **argv);
static int case_do      (EsaCliContext *cli, int argc, char **argv);
static int case_undo    (EsaCliContext *cli, int argc, char **argv);
static int case_due     (EsaCliContext *cli, int argc, char **argv);

static const EsaCliSubcommand subcommands[] = {
  { "actions", "case actions", N_("List the actions of a case, available and blocked, with why"),
    case_actions },
  { "do", "case do", N_("Run an action on a case"), case_do },
  { "undo", "case undo", N_("Undo a step that has had no effect outside yet"), case_undo },
  { "due", "case due", N_("List the open cases by their next deadline"), case_due },
};

/* ---- shared pieces ------------------------------------------------------ */

/* Gives the store the shipped procedures and parameter tables. */
static gboolean
load_procedures (EsaStore  *store,
                 int       *out_status)
{
  g_autoptr(EsaParameters) params = NULL;
  g_autoptr(GPtrArray) procedures = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = esa_data_dir ("procedures");

  params = esa_parameters_load_default (&error);
  if (params != NULL)
    procedures = esa_procedure_load_dir (dir, params, &error);
  if (procedures == NULL)
    {
      /* The installed data is broken: not a mistake of the caller. */
      esa_cli_printerr (_("cannot load the procedures: %s"), error->message);
      *out_status = ESA_CLI_EXIT_FAILURE;
      return FALSE;
    }

  esa_store_set_procedures (store, procedures, params);
  return TRUE;
}

/* Opens the database with the procedures loaded. */
static EsaStore *
open_case_store (EsaCliContext *cli,
                 int           *out_status)
{
  g_autoptr(EsaStore) store = esa_cli_open_store (cli, FALSE, out_status);

  if (store == NULL || !load_procedures (store, out_status))
    return NULL;
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

static gboolean
parse_date_option (const char *option,
                   const char *text,
                   GDate      *out,
                   int        *out_status)
{
  g_autoptr(GError) error = NULL;

  if (esa_date_parse_iso (text, out, &error))
    return TRUE;

  esa_cli_printerr ("%s: %s", option, error->message);
  *out_status = ESA_CLI_EXIT_INVALID;
  return FALSE;
}

static const char *
field_type_name (EsaFieldType type)
{
  switch (type)
    {
    case ESA_FIELD_DATE:
      return "date";
    case ESA_FIELD_AMOUNT:
      return "amount";
    case ESA_FIELD_COUNT:
      return "count";
    case ESA_FIELD_TEXT:
      return "text";
    case ESA_FIELD_CHOICE:
      return "choice";
    case ESA_FIELD_BOOL:
      return "bool";
    case ESA_FIELD_ITEMS:
      return "items";
    case ESA_FIELD_USER:
      return "user";
    default:
      g_assert_not_reached ();
    }
}

static void
add_fields_json (JsonBuilder *builder,
                 GPtrArray   *fields)
{
  json_builder_begin_array (builder);
  for (guint i = 0; i < fields->len; i++)
    {
      const EsaField *field = g_ptr_array_index (fields, i);

      json_builder_begin_object (builder);
      esa_cli_json_add_string (builder, "id", field->id);
      esa_cli_json_add_string (builder, "type", field_type_name (field->type));
      esa_cli_json_add_string (builder, "label", esa_procedure_gettext (field->label));
      json_builder_set_member_name (builder, "required");
      json_builder_add_boolean_value (builder, field->required);
      if (field->choices != NULL)
        {
          json_builder_set_member_name (builder, "choices");
          json_builder_begin_array (builder);
          for (guint j = 0; j < field->choices->len; j++)
            json_builder_add_string_value (builder,
                                           ((EsaChoice *) g_ptr_array_index (field->choices,
                                                                             j))->id);
          json_builder_end_array (builder);
        }
      if (field->items != NULL)
        {
          json_builder_set_member_name (builder, "items");
          add_fields_json (builder, field->items);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static const char *
state_label (EsaProcedure *procedure,
             const char   *id)
{
  const EsaState *state = id != NULL ? esa_procedure_find_state (procedure, id) : NULL;

  return state != NULL ? esa_procedure_gettext (state->label) : id;
}

/* ---- case actions ------------------------------------------------------- */

static JsonNode *
actions_to_json (const EsaCase *case_,
                 const GDate   *day,
                 GPtrArray     *statuses)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *day_iso = esa_date_to_iso (day);

  json_builder_begin_object (builder);
  esa_cli_json_add_string (builder, "case", case_->id);
  esa_cli_json_add_string (builder, "procedure", case_->procedure_id);
  esa_cli_json_add_string (builder, "state", case_->state);
  esa_cli_json_add_string (builder, "date", day_iso);
  json_builder_set_member_name (builder, "actions");
  json_builder_begin_array (builder);
  for (guint i = 0; i < statuses->len; i++)
    {
      const EsaActionStatus *status = g_ptr_array_index (statuses, i);
      g_autofree char *from = NULL;

      if (g_date_valid (&status->available_from))
        from = esa_date_to_iso (&status->available_from);

      json_builder_begin_object (builder);
      esa_cli_json_add_string (builder, "id", status->action->id);
      esa_cli_json_add_string (builder, "label", esa_procedure_gettext (status->action->label));
      json_builder_set_member_name (builder, "available");
      json_builder_add_boolean_value (builder, status->available);
      esa_cli_json_add_string (builder, "to_state", status->to_state);
      esa_cli_json_add_string (builder, "reason", status->reason);
      json_builder_set_member_name (builder, "reasons");
      json_builder_begin_array (builder);
      for (guint j = 0; status->reasons != NULL && status->reasons[j] != NULL; j++)
        json_builder_add_string_value (builder, status->reasons[j]);
      json_builder_end_array (builder);
      esa_cli_json_add_string (builder, "available_from", from);
      json_builder_set_member_name (builder, "fields");
      add_fields_json (builder, status->action->fields);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
print_actions (const EsaCase *case_,
               EsaProcedure  *procedure,
               GPtrArray     *statuses)
{
  g_autoptr(EsaCliTable) table = esa_cli_table_new (_("Action"), _("Label"), _("Status"), NULL);
  const char *title = esa_procedure_gettext (esa_procedure_get_title (procedure));

  /* Translators: "Case 0b6e…: Debt enforcement (LEF/SchKG), Payment order served" */
  g_print (_("Case %s: %s, %s\n"), case_->id, title, state_label (procedure, case_->state));

  for (guint i = 0; i < statuses->len; i++)
    {
      const EsaActionStatus *status = g_ptr_array_index (statuses, i);
      g_autofree char *blocked = NULL;

      if (!status->available)
        /* Translators: the status of an action that cannot run, with why */
        blocked = g_strdup_printf (_("blocked: %s"), status->reason);
      esa_cli_table_add_row (table, status->action->id,
                             esa_procedure_gettext (status->action->label),
                             status->available ? _("available") : blocked);
    }
  esa_cli_table_print (table, 2);
}

static int
case_actions (EsaCliContext *cli,
              int            argc,
              char         **argv)
{
  gboolean json = FALSE;
  g_autofree char *user = NULL;
  g_autofree char *date_text = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user,
      N_("Evaluate for this user (id or login)"), N_("USER") },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date_text,
      N_("Evaluate on this day (YYYY-MM-DD; default today)"), N_("DATE") },
    { NULL }
  };
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(GPtrArray) statuses = NULL;
  g_autoptr(EsaCase) case_ = NULL;
  g_autoptr(GError) error = NULL;
  EsaProcedure *procedure = NULL;
  GDate day;
  int status;

  if (!esa_cli_parse_options (cli, _("CASE_ID"),
                              _("Lists every action of the case's procedure that can start from "
                                "its state: the available ones first, then the blocked ones, "
                                "each with the reason."),
                              entries, 1, 1, &argc, &argv, &status))
    return status;

  if (date_text != NULL)
    {
      if (!parse_date_option ("--date", date_text, &day, &status))
        return status;
    }
  else
    {
      esa_date_set_today (&day);
    }

  store = open_case_store (cli, &status);
  if (store == NULL || !set_acting_user (cli, store, user, &status))
    return status;

  case_ = esa_store_get_case (store, argv[1], &error);
  if (case_ != NULL)
    procedure = esa_store_get_case_procedure (store, argv[1], &error);
  if (case_ == NULL || procedure == NULL)
    return esa_cli_report_error (cli, error);
  statuses = esa_store_case_actions (store, argv[1], &day, &error);
  if (statuses == NULL)
    return esa_cli_report_error (cli, error);

  if (json)
    {
      g_autoptr(JsonNode) root = actions_to_json (case_, &day, statuses);

      return esa_cli_print_json (root);
    }

  print_actions (case_, procedure, statuses);
  return ESA_CLI_EXIT_OK;
}

/* ---- case do ------------------------------------------------------------ */

static int
case_do (EsaCliContext *cli,
         int            argc,
         char         **argv)
{
  gboolean json = FALSE;
  g_autofree char *user = NULL;
  g_autofree char *date_text = NULL;
  g_auto(GStrv) sets = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user,
      N_("Act as this user (id or login)"), N_("USER") },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date_text,
      N_("Date the step (YYYY-MM-DD; default: its date field, else today)"), N_("DATE") },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets,
      N_("A field of the action: dates YYYY-MM-DD, amounts 1234.50, items as JSON "
         "(repeat for each field)"),
      N_("FIELD=VALUE") },
    { NULL }
  };
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(GHashTable) fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(EsaCase) case_ = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *event_id = NULL;
  EsaProcedure *procedure = NULL;
  gboolean dated = FALSE;
  GDate on;
  int status;

  if (!esa_cli_parse_options (cli, _("CASE_ID ACTION"),
                              _("Runs an action of the case's procedure. Its guards and fields "
                                "are checked first; a blocked action is refused with the "
                                "reason, and nothing is changed."),
                              entries, 2, 2, &argc, &argv, &status))
    return status;

  if (date_text != NULL)
    {
      if (!parse_date_option ("--date", date_text, &on, &status))
        return status;
      dated = TRUE;
    }
  for (guint i = 0; sets != NULL && sets[i] != NULL; i++)
    {
      const char *equals = strchr (sets[i], '=');

      if (equals == NULL || equals == sets[i])
        {
          esa_cli_printerr (_("--set: “%s” is not FIELD=VALUE"), sets[i]);
          return ESA_CLI_EXIT_INVALID;
        }
      g_hash_table_replace (fields, g_strndup (sets[i], (gsize) (equals - sets[i])),
                            g_strdup (equals + 1));
    }

  store = open_case_store (cli, &status);
  if (store == NULL || !set_acting_user (cli, store, user, &status))
    return status;

  event_id = esa_store_case_do (store, argv[1], argv[2], dated ? &on : NULL, fields, &error);
  if (event_id == NULL)
    return esa_cli_report_error (cli, error);

  case_ = esa_store_get_case (store, argv[1], &error);
  if (case_ != NULL)
    procedure = esa_store_get_case_procedure (store, argv[1], &error);
  if (case_ == NULL || procedure == NULL)
    return esa_cli_report_error (cli, error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      esa_cli_json_add_string (builder, "event", event_id);
      esa_cli_json_add_string (builder, "case", case_->id);
      esa_cli_json_add_string (builder, "state", case_->state);
      esa_cli_json_add_string (builder, "closed_on", case_->closed_on);
      esa_cli_json_add_string (builder, "next_deadline", case_->next_deadline);
      esa_cli_json_add_string (builder, "next_deadline_label", case_->next_deadline_label);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      return esa_cli_print_json (root);
    }

  {
    g_autoptr(EsaCliTable) table = esa_cli_table_new_plain (2);

    esa_cli_table_add_row (table, _("Step"), event_id);
    esa_cli_table_add_row (table, _("State"), state_label (procedure, case_->state));
    if (case_->next_deadline != NULL)
      {
        g_autofree char *next = g_strdup_printf ("%s (%s)", case_->next_deadline,
                                                 case_->next_deadline_label != NULL
                                                 ? esa_procedure_gettext (case_->next_deadline_label)
                                                 : "");

        esa_cli_table_add_row (table, _("Next deadline"), next);
      }
    if (case_->closed_on != NULL)
      esa_cli_table_add_row (table, _("Closed on"), case_->closed_on);
    esa_cli_table_print (table, 0);
  }
  return ESA_CLI_EXIT_OK;
}

/* ---- case undo ---------------------------------------------------------- */

static int
case_undo (EsaCliContext *cli,
           int            argc,
           char         **argv)
{
  g_autofree char *user = NULL;
  const GOptionEntry entries[] = {
    { "user", 0, 0, G_OPTION_ARG_STRING, &user,
      N_("Act as this user (id or login)"), N_("USER") },
    { NULL }
  };
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!esa_cli_parse_options (cli, _("STEP_ID"),
                              _("Undoes a step (the id “case do” printed) while nothing has "
                                "happened on the case since and its acts have not been "
                                "notified, printed or exported."),
                              entries, 1, 1, &argc, &argv, &status))
    return status;

  store = open_case_store (cli, &status);
  if (store == NULL || !set_acting_user (cli, store, user, &status))
    return status;

  if (!esa_store_case_undo (store, argv[1], &error))
    return esa_cli_report_error (cli, error);

  /* Translators: %s is the id of a step of a case */
  g_print (_("Step %s undone\n"), argv[1]);
  return ESA_CLI_EXIT_OK;
}

/* ---- case due ----------------------------------------------------------- */

static int
case_due (EsaCliContext *cli,
          int            argc,
          char         **argv)
{
  gboolean json = FALSE;
  g_autofree char *until = NULL;
  g_autofree char *limit_text = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "until", 0, 0, G_OPTION_ARG_STRING, &until,
      N_("Only deadlines on or before this day (YYYY-MM-DD)"), N_("DATE") },
    { "limit", 0, 0, G_OPTION_ARG_STRING, &limit_text,
      N_("Show at most N cases (default 50)"), N_("N") },
    { NULL }
  };
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GError) error = NULL;
  guint64 limit = DEFAULT_DUE_LIMIT;
  GDate until_date;
  int status;

  if (!esa_cli_parse_options (cli, "",
                              _("Lists the open cases by their next deadline, soonest first."),
                              entries, 0, 0, &argc, &argv, &status))
    return status;

  if (until != NULL && !parse_date_option ("--until", until, &until_date, &status))
    return status;
  if (limit_text != NULL
      && !g_ascii_string_to_unsigned (limit_text, 10, 1, 100000, &limit, &error))
    {
      esa_cli_printerr ("--limit: %s", error->message);
      return ESA_CLI_EXIT_INVALID;
    }

  store = esa_cli_open_store (cli, FALSE, &status);
  if (store == NULL)
    return status;

  cases = esa_store_cases_due (store, until, (guint) limit, &error);
  if (cases == NULL)
    return esa_cli_report_error (cli, error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < cases->len; i++)
        {
          const EsaCase *case_ = g_ptr_array_index (cases, i);

          json_builder_begin_object (builder);
          esa_cli_json_add_string (builder, "case", case_->id);
          esa_cli_json_add_string (builder, "debtor", case_->debtor_id);
          esa_cli_json_add_string (builder, "procedure", case_->procedure_id);
          esa_cli_json_add_string (builder, "state", case_->state);
          esa_cli_json_add_string (builder, "next_deadline", case_->next_deadline);
          esa_cli_json_add_string (builder, "next_deadline_label", case_->next_deadline_label);
          esa_cli_json_add_string (builder, "officer", case_->officer_name);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      return esa_cli_print_json (root);
    }

  {
    g_autoptr(EsaCliTable) table = esa_cli_table_new (_("Deadline"), _("What"), _("Case"),
                                                      _("State"), _("Officer"), NULL);

    for (guint i = 0; i < cases->len; i++)
      {
        const EsaCase *case_ = g_ptr_array_index (cases, i);

        esa_cli_table_add_row (table, case_->next_deadline,
                               esa_procedure_gettext (case_->next_deadline_label),
                               case_->id, case_->state, case_->officer_name);
      }
    esa_cli_table_print (table, 0);
  }
  return ESA_CLI_EXIT_OK;
}

/* ---- the command -------------------------------------------------------- */

int
esa_cli_case (EsaCliContext *cli,
              int            argc,
              char         **argv)
{
  return esa_cli_run_subcommand (cli, argc, argv, subcommands, G_N_ELEMENTS (subcommands));
}
