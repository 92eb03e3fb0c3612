/* The procedure engine: the shipped procedure files load and validate, every
 * guard and deadline rule they use answers as the law says (with the
 * expected dates derived in the comments), blocked actions explain
 * themselves, and malformed files are refused with the file name and the
 * JSON path of each problem. */

#include "esa-core.h"
#include "esa-procedure-private.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

static EsaParameters *params;
static EsaProcedure *it_proc;
static EsaProcedure *ch_proc;

static GDate
day (const char *iso)
{
  GDate date;

  if (!esa_date_parse_iso (iso, &date, NULL))
    g_error ("bad date in the test: %s", iso);
  return date;
}

static void
assert_date (const GDate *date,
             const char  *expected)
{
  g_autofree char *iso = NULL;

  if (expected == NULL)
    {
      g_assert_false (g_date_valid (date));
      return;
    }
  iso = esa_date_to_iso (date);
  g_assert_cmpstr (iso, ==, expected);
}

static void
assert_contains (const char *text,
                 const char *expected)
{
  g_assert_nonnull (text);
  if (strstr (text, expected) == NULL)
    g_error ("“%s” does not say “%s”", text, expected);
}

/* A case in @state on @today, in euro or francs by its procedure. */
static EsaCaseContext *
case_in (EsaProcedure *procedure,
         const char   *state,
         const char   *today)
{
  EsaCaseContext *context = esa_case_context_new (params);
  GDate date = day (today);

  esa_case_context_set_state (context, state);
  esa_case_context_set_today (context, &date);
  esa_case_context_set_currency (context, procedure == ch_proc ? "CHF" : "EUR");
  return context;
}

static void
set_date (EsaCaseContext *context,
          const char     *field,
          const char     *iso)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (esa_case_context_set_date_iso (context, field, iso, &error));
  g_assert_no_error (error);
}

static void
set_today (EsaCaseContext *context,
           const char     *iso)
{
  GDate date = day (iso);

  esa_case_context_set_today (context, &date);
}

static EsaActionStatus *
status_of (EsaProcedure   *procedure,
           const char     *action,
           EsaCaseContext *context)
{
  g_autoptr(GError) error = NULL;
  EsaActionStatus *status = esa_procedure_evaluate_action (procedure, action, context, &error);

  g_assert_no_error (error);
  g_assert_nonnull (status);
  g_assert_cmpstr (status->action->id, ==, action);
  return status;
}

static void
assert_available (EsaProcedure   *procedure,
                  const char     *action,
                  EsaCaseContext *context)
{
  g_autoptr(EsaActionStatus) status = status_of (procedure, action, context);

  if (!status->available)
    g_error ("%s is blocked: %s", action, status->reason);
  g_assert_null (status->reason);
  g_assert_null (status->reasons[0]);
}

/* Blocked with @reason as the first (or only) sentence; @from is the day
 * it becomes available by itself, or NULL. */
static void
assert_blocked (EsaProcedure   *procedure,
                const char     *action,
                EsaCaseContext *context,
                const char     *reason,
                const char     *from)
{
  g_autoptr(EsaActionStatus) status = status_of (procedure, action, context);

  if (status->available)
    g_error ("%s is available, expected blocked: %s", action, reason);
  g_assert_cmpstr (status->reason, ==, reason);
  g_assert_cmpstr (status->reasons[0], ==, reason);
  assert_date (&status->available_from, from);
}

static void
assert_due (EsaProcedure   *procedure,
            const char     *deadline_id,
            EsaCaseContext *context,
            const char     *expected)
{
  g_autoptr(GError) error = NULL;
  const EsaDeadline *deadline = esa_procedure_find_deadline (procedure, deadline_id);
  GDate due;

  g_assert_nonnull (deadline);
  g_assert_true (esa_procedure_deadline_due (procedure, deadline, context, &due, &error));
  g_assert_no_error (error);
  assert_date (&due, expected);
}

/* ---- the shipped files -------------------------------------------------- */

static void
test_shipped_files (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = esa_data_dir ("procedures");
  g_autoptr(GPtrArray) all = esa_procedure_load_dir (dir, params, &error);
  g_autoptr(GPtrArray) without_params = esa_procedure_load_dir (dir, NULL, &error);
  /* The states and act types the demo data uses (src/store/esa-demo.c). */
  const char *it_states[] = {
    "injunction_issued", "notified", "notification_failed", "reminded", "instalment_plan",
    "lien_notice", "lien_registered", "mortgage_notice", "garnishment", "seizure",
    "insolvency_claim", "suspended", "paid", "uncollectable", NULL,
  };
  const char *ch_states[] = {
    "requested", "order_issued", "served", "opposed", "continuable", "seized",
    "loss_certificate", "paid", "withdrawn", NULL,
  };
  const char *it_act_types[] = {
    "injunction", "reminder", "vehicle_lien_notice", "vehicle_lien", "mortgage_notice",
    "garnishment_order", "seizure_report", "insolvency_claim", "lien_revocation",
    "courtesy_notice", "relief_reply", "instalment_plan", NULL,
  };
  const char *ch_act_types[] = {
    "payment_order", "seizure_notice", "loss_certificate", "register_extract", NULL,
  };

  g_assert_no_error (error);
  g_assert_nonnull (all);
  g_assert_nonnull (without_params);
  g_assert_cmpuint (all->len, ==, 2);
  g_assert_true (esa_procedure_list_find (all, "it-coercive") != NULL);
  g_assert_true (esa_procedure_list_find (all, "ch-lef") != NULL);
  g_assert_null (esa_procedure_list_find (all, "fr-saisie"));

  g_assert_cmpstr (esa_procedure_get_id (it_proc), ==, "it-coercive");
  g_assert_cmpuint (esa_procedure_get_version (it_proc), ==, 1);
  g_assert_cmpstr (esa_procedure_get_jurisdiction (it_proc), ==, "IT");
  g_assert_cmpstr (esa_procedure_get_jurisdiction (ch_proc), ==, "CH");
  g_assert_cmpstr (esa_procedure_get_calendar (ch_proc), ==, "ch-enforcement");

  for (guint i = 0; it_states[i] != NULL; i++)
    g_assert_nonnull (esa_procedure_find_state (it_proc, it_states[i]));
  for (guint i = 0; ch_states[i] != NULL; i++)
    g_assert_nonnull (esa_procedure_find_state (ch_proc, ch_states[i]));
  for (guint i = 0; it_act_types[i] != NULL; i++)
    g_assert_nonnull (esa_procedure_find_act_type (it_proc, it_act_types[i]));
  for (guint i = 0; ch_act_types[i] != NULL; i++)
    g_assert_nonnull (esa_procedure_find_act_type (ch_proc, ch_act_types[i]));

  g_assert_true (esa_procedure_find_state (it_proc, "loaded")->initial);
  g_assert_true (esa_procedure_find_state (it_proc, "paid")->final);
  g_assert_false (esa_procedure_find_state (it_proc, "notified")->final);
}

static void
collect_strings (JsonNode   *node,
                 GHashTable *into)
{
  static const char * const members[] = { "title", "label", "description", "explain", NULL };

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) names = json_object_get_members (object);

      for (GList *l = names; l != NULL; l = l->next)
        {
          JsonNode *child = json_object_get_member (object, l->data);

          if (g_strv_contains (members, l->data) && JSON_NODE_HOLDS_VALUE (child))
            g_hash_table_add (into, g_strdup (json_node_get_string (child)));
          else
            collect_strings (child, into);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        collect_strings (json_array_get_element (array, i), into);
    }
}

static void
collect_calendar_strings (JsonNode   *root,
                          GHashTable *into)
{
  JsonArray *calendars = json_object_get_array_member (json_node_get_object (root), "calendars");

  for (guint i = 0; i < json_array_get_length (calendars); i++)
    {
      JsonObject *calendar = json_array_get_object_element (calendars, i);
      const char *lists[] = { "holidays", "closed_periods" };

      g_hash_table_add (into, g_strdup (json_object_get_string_member (calendar, "title")));
      for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
        {
          JsonArray *entries;

          if (!json_object_has_member (calendar, lists[l]))
            continue;
          entries = json_object_get_array_member (calendar, lists[l]);
          for (guint j = 0; j < json_array_get_length (entries); j++)
            g_hash_table_add (into, g_strdup (json_object_get_string_member (
                                json_array_get_object_element (entries, j), "name")));
        }
    }
}

static JsonNode *
parse (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  return json_parser_steal_root (parser);
}

static void
test_strings_listed (void)
{
  g_autoptr(GHashTable) wanted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) listed = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *procedures = esa_data_dir ("procedures");
  g_autofree char *calendars = NULL;
  g_autoptr(GDir) dir = g_dir_open (procedures, 0, NULL);
  g_autoptr(JsonNode) calendar_root = NULL;
  GHashTableIter iter;
  gpointer key;
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      {
        g_autofree char *path = g_build_filename (procedures, name, NULL);
        g_autoptr(JsonNode) root = parse (path);

        collect_strings (root, wanted);
      }

  calendars = esa_data_dir ("parameters/calendars.json");
  calendar_root = parse (calendars);
  collect_calendar_strings (calendar_root, wanted);

  for (guint i = 0; _esa_procedure_strings[i] != NULL; i++)
    g_hash_table_add (listed, (gpointer) _esa_procedure_strings[i]);

  /* Both ways: nothing shown untranslated, nothing stale in the catalogue. */
  g_hash_table_iter_init (&iter, wanted);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (listed, key))
      g_error ("“%s” is not in esa-procedure-strings.c: run src/core/esa-procedure-strings.py",
               (char *) key);

  g_hash_table_iter_init (&iter, listed);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (wanted, key))
      g_error ("“%s” in esa-procedure-strings.c is in no data file: run "
               "src/core/esa-procedure-strings.py", (char *) key);

  g_assert_cmpuint (g_hash_table_size (wanted), >, 200);
}

/* ---- Swiss enforcement -------------------------------------------------- */

static void
test_ch_continuation_window (void)
{
  g_autoptr(EsaCaseContext) c = case_in (ch_proc, "continuable", "2027-03-13");

  /* Served Monday 22 February 2027. Art. 88 SchKG: continuation from day 20
   * to one year (365 days) after service.
   *   day 19 = 22 Feb + 19 = 13 March 2027 (February 2027 has 28 days:
   *            22 + 6 = 28 February, + 13 = 13 March)    -> blocked
   *   day 20 = 14 March 2027                              -> available
   *   day 365 = 22 February 2028 (29 February 2028 comes after it)
   *                                                       -> available
   *   day 366 = 23 February 2028                          -> blocked */
  set_date (c, "served_on", "2027-02-22");

  assert_blocked (ch_proc, "request_continuation", c,
                  "continuation possible from 14 March 2027: 20 days after service",
                  "2027-03-14");

  set_today (c, "2027-03-14");
  assert_available (ch_proc, "request_continuation", c);

  set_today (c, "2028-02-22");
  assert_available (ch_proc, "request_continuation", c);

  set_today (c, "2028-02-23");
  assert_blocked (ch_proc, "request_continuation", c,
                  "continuation was possible until 22 February 2028: one year after service",
                  NULL);
}

static void
test_ch_opposition (void)
{
  g_autoptr(EsaCaseContext) c = case_in (ch_proc, "served", "2026-08-05");

  /* Served Friday 10 July 2026: 10 days to oppose end on 20 July, in the
   * summer enforcement holidays (15-31 July); art. 63 SchKG extends them to
   * the 3rd working day after 31 July: Sat 1 August (National Day), Sun 2,
   * Mon 3, Tue 4, Wed 5 August. */
  set_date (c, "served_on", "2026-07-10");
  assert_due (ch_proc, "opposition", c, "2026-08-05");

  /* On the last day an opposition is still in time; no opposition can be
   * confirmed before the next day. */
  assert_available (ch_proc, "record_opposition", c);
  assert_blocked (ch_proc, "confirm_no_opposition", c,
                  "the debtor can oppose until 5 August 2026", "2026-08-06");

  set_today (c, "2026-08-06");
  assert_blocked (ch_proc, "record_opposition", c,
                  "the time to oppose ended on 5 August 2026", NULL);
  assert_available (ch_proc, "confirm_no_opposition", c);

  /* The rules API agrees with the procedure file. */
  {
    g_autoptr(GError) error = NULL;
    GDate served = day ("2026-07-10");
    GDate last;

    g_assert_true (esa_rules_ch_opposition_deadline (params, &served, NULL, &last, &error));
    assert_date (&last, "2026-08-05");
  }
}

static void
test_ch_continuation_while_opposition_runs (void)
{
  g_autoptr(EsaCaseContext) c = case_in (ch_proc, "served", "2026-07-30");

  /* Served 10 July 2026, day 20 is 30 July; but in state "served" (no
   * opposition recorded) the time to oppose must also be over, and the
   * enforcement holidays extend it to 5 August (see above): blocked until
   * 6 August. */
  set_date (c, "served_on", "2026-07-10");
  assert_blocked (ch_proc, "request_continuation", c,
                  "the debtor can oppose until 5 August 2026", "2026-08-06");

  set_today (c, "2026-08-06");
  assert_available (ch_proc, "request_continuation", c);

  /* After the opposition was lifted the case is "continuable": only the
   * window of art. 88 counts. */
  esa_case_context_set_state (c, "continuable");
  set_today (c, "2026-07-30");
  assert_available (ch_proc, "request_continuation", c);
}

static void
test_ch_nondisclosure (void)
{
  g_autoptr(EsaCaseContext) c = case_in (ch_proc, "opposed", "2026-04-19");

  /* Art. 8a para. 3 d SchKG: the debtor can ask 3 months after service
   * (20 January 2026 + 3 months = 20 April 2026). */
  set_date (c, "served_on", "2026-01-20");
  assert_blocked (ch_proc, "request_nondisclosure", c,
                  "the debtor can ask from 20 April 2026: 3 months after service", "2026-04-20");
  set_today (c, "2026-04-20");
  assert_available (ch_proc, "request_nondisclosure", c);

  /* No request recorded: nothing to grant. */
  assert_blocked (ch_proc, "grant_nondisclosure", c, "no request not to disclose is recorded",
                  NULL);

  /* The creditor has 20 days: 20 April + 20 = Sunday 10 May 2026, moved to
   * Monday 11 May; the request can be granted from 12 May. */
  set_date (c, "nondisclosure_requested_on", "2026-04-20");
  assert_due (ch_proc, "creditor_proof", c, "2026-05-11");
  set_today (c, "2026-05-11");
  assert_blocked (ch_proc, "grant_nondisclosure", c,
                  "the creditor can prove until 11 May 2026 that lifting the opposition was "
                  "started", "2026-05-12");
  set_today (c, "2026-05-12");
  assert_available (ch_proc, "grant_nondisclosure", c);

  esa_case_context_set_flag (c, "lifting_started", TRUE);
  assert_blocked (ch_proc, "grant_nondisclosure", c,
                  "the creditor proved in time that lifting the opposition was started", NULL);
}

static void
test_ch_realisation (void)
{
  g_autoptr(EsaCaseContext) c = case_in (ch_proc, "seized", "2026-02-27");

  /* Art. 116 SchKG: from 1 month to 1 year after the seizure. Seized on
   * 31 January 2026: + 1 month = 28 February 2026 (the month is shorter),
   * + 12 months = 31 January 2027. */
  set_date (c, "seized_on", "2026-01-31");
  assert_blocked (ch_proc, "request_realisation", c,
                  "realisation can be requested from 28 February 2026", "2026-02-28");
  set_today (c, "2026-02-28");
  assert_available (ch_proc, "request_realisation", c);
  set_today (c, "2027-01-31");
  assert_available (ch_proc, "request_realisation", c);
  set_today (c, "2027-02-01");
  assert_blocked (ch_proc, "request_realisation", c,
                  "realisation could be requested until 31 January 2027", NULL);
}

/* ---- Italian coercive collection --------------------------------------- */

static void
test_it_four_eyes (void)
{
  g_autoptr(EsaCaseContext) c = case_in (it_proc, "loaded", "2026-05-04");
  const char *responsible[] = { "responsible", NULL };
  const char *officer[] = { "officer", NULL };

  esa_case_context_set_user (c, "imported_by", "u-anna");

  /* Nobody acting: neither the role nor the second person can be told. */
  {
    g_autoptr(EsaActionStatus) status = status_of (it_proc, "approve", c);

    g_assert_false (status->available);
    g_assert_cmpuint (g_strv_length (status->reasons), ==, 2);
    g_assert_cmpstr (status->reasons[0], ==,
                     "only the responsible officer of the creditor body can approve");
    g_assert_cmpstr (status->reasons[1], ==, "the acting user is not known");
  }

  /* The importer, even as the responsible officer, cannot approve. */
  esa_case_context_set_actor (c, "u-anna", responsible);
  assert_blocked (it_proc, "approve", c,
                  "the person who imported the list cannot approve it: a second person must",
                  NULL);

  /* A second person without the role cannot either. */
  esa_case_context_set_actor (c, "u-bruno", officer);
  assert_blocked (it_proc, "approve", c,
                  "only the responsible officer of the creditor body can approve", NULL);

  esa_case_context_set_actor (c, "u-bruno", responsible);
  assert_available (it_proc, "approve", c);

  /* Nobody recorded as importer: the second person cannot be told. */
  esa_case_context_set_user (c, "imported_by", NULL);
  assert_blocked (it_proc, "approve", c, "“Imported by” is not recorded yet", NULL);
}

static void
test_it_deceased (void)
{
  g_autoptr(EsaCaseContext) c = case_in (it_proc, "approved", "2026-05-04");

  assert_available (it_proc, "issue_injunction", c);

  esa_case_context_set_flag (c, "deceased", TRUE);
  assert_blocked (it_proc, "issue_injunction", c,
                  "the debtor is deceased: pursuing the heirs needs an authorisation first",
                  NULL);

  esa_case_context_set_flag (c, "heirs_authorised", TRUE);
  assert_available (it_proc, "issue_injunction", c);
}

static void
test_it_payment_deadline (void)
{
  g_autoptr(EsaCaseContext) c = case_in (it_proc, "notified", "2026-04-27");

  /* Notified Thursday 26 March 2026: 30 days to pay end on Saturday 25
   * April, Liberation Day; moved to Monday 27 April (art. 155 c.p.c.). A
   * reminder can follow from Tuesday 28 April. */
  set_date (c, "notified_on", "2026-03-26");
  assert_due (it_proc, "payment", c, "2026-04-27");
  assert_blocked (it_proc, "send_reminder", c,
                  "a reminder can be sent from 28 April 2026: the time to pay the injunction "
                  "ends on 27 April 2026", "2026-04-28");
  set_today (c, "2026-04-28");
  assert_available (it_proc, "send_reminder", c);

  /* The same notification starts the 180 days for enforcement and the 24
   * months to conclude the case: 26 March + 180 days = 22 September 2026
   * (5 + 30 + 31 + 30 + 31 + 31 = 158 to 31 August, + 22); + 24 months =
   * 26 March 2028. */
  assert_due (it_proc, "enforcement_start", c, "2026-09-22");
  assert_due (it_proc, "case_conclusion", c, "2028-03-26");
}

static void
test_it_small_debt (void)
{
  g_autoptr(EsaCaseContext) c = case_in (it_proc, "notified", "2026-03-01");

  /* Notified Saturday 10 January 2026: 30 days end on Monday 9 February
   * (10 + 21 = 31 January, + 9), a working day; measures from 10 February.
   * On 9 February they are blocked by the time to pay alone. */
  set_date (c, "notified_on", "2026-01-10");
  esa_case_context_set_amount (c, "balance", 150000);
  set_today (c, "2026-02-09");
  assert_blocked (it_proc, "send_lien_notice", c,
                  "measures can start from 10 February 2026: the time to pay the injunction ends "
                  "on 9 February 2026", "2026-02-10");

  /* 1,500.00 EUR is above the small-debt threshold (1,000.00): no reminder
   * is needed. */
  set_today (c, "2026-03-01");
  assert_available (it_proc, "send_lien_notice", c);

  /* 800.00 EUR needs a reminder first, then 120 days. */
  esa_case_context_set_amount (c, "balance", 80000);
  {
    g_autoptr(EsaActionStatus) status = status_of (it_proc, "send_lien_notice", c);

    g_assert_false (status->available);
    g_assert_cmpstr (status->reasons[0], ==,
                     "a reminder must precede measures on debts up to € 1.000,00");
    g_assert_cmpstr (status->reasons[1], ==, "“Date of the reminder” is not recorded yet");
    g_assert_null (status->reasons[2]);
    assert_date (&status->available_from, NULL);
  }

  /* Reminded on 20 February 2026: + 120 days = 20 June (8 to 28 February,
   * 39 to 31 March, 69 to 30 April, 100 to 31 May, + 20); from 21 June. */
  esa_case_context_set_state (c, "reminded");
  set_date (c, "reminded_on", "2026-02-20");
  assert_blocked (it_proc, "send_lien_notice", c,
                  "on debts up to € 1.000,00 measures can start from 21 June 2026: 120 days "
                  "after the reminder", "2026-06-21");
  set_today (c, "2026-06-21");
  assert_available (it_proc, "send_lien_notice", c);

  /* The threshold is inclusive: on 20 June exactly 1,000.00 EUR still
   * waits, 1,000.01 EUR does not. */
  set_today (c, "2026-06-20");
  esa_case_context_set_amount (c, "balance", 100000);
  assert_blocked (it_proc, "send_lien_notice", c,
                  "on debts up to € 1.000,00 measures can start from 21 June 2026: 120 days "
                  "after the reminder", "2026-06-21");
  esa_case_context_set_amount (c, "balance", 100001);
  assert_available (it_proc, "send_lien_notice", c);
}

static void
test_it_vehicle_lien (void)
{
  g_autoptr(EsaCaseContext) c = case_in (it_proc, "notified", "2026-03-01");

  set_date (c, "notified_on", "2026-01-10");
  esa_case_context_set_amount (c, "balance", 150000);

  esa_case_context_set_flag (c, "vehicle_needed_for_work", TRUE);
  assert_blocked (it_proc, "send_lien_notice", c,
                  "the vehicle is needed for the debtor's work: it cannot be liened", NULL);
  esa_case_context_set_flag (c, "vehicle_needed_for_work", FALSE);

  esa_case_context_set_flag (c, "insolvent", TRUE);
  assert_blocked (it_proc, "send_lien_notice", c,
                  "the debtor is in insolvency proceedings: file a claim instead", NULL);
  esa_case_context_set_flag (c, "insolvent", FALSE);

  /* Notice notified Monday 2 March 2026: 30 days to pay end Wednesday
   * 1 April; the lien can be registered from 2 April. */
  esa_case_context_set_state (c, "lien_notice");
  set_date (c, "lien_notice_on", "2026-03-02");
  set_today (c, "2026-04-01");
  assert_due (it_proc, "lien_notice_period", c, "2026-04-01");
  assert_blocked (it_proc, "register_lien", c,
                  "the lien can be registered from 2 April 2026: the debtor can pay until "
                  "1 April 2026", "2026-04-02");
  set_today (c, "2026-04-02");
  assert_available (it_proc, "register_lien", c);
}

static void
test_it_mortgage (void)
{
  g_autoptr(EsaCaseContext) c = case_in (it_proc, "notified", "2026-03-01");

  /* At least 20,000.00 EUR (art. 77 c. 1-bis). */
  set_date (c, "notified_on", "2026-01-10");
  esa_case_context_set_amount (c, "balance", 1999999);
  assert_blocked (it_proc, "send_mortgage_notice", c,
                  "a mortgage needs a debt of at least € 20.000,00; the balance is € 19.999,99",
                  NULL);

  esa_case_context_set_amount (c, "balance", 2000000);
  assert_available (it_proc, "send_mortgage_notice", c);

  /* Registration 30 days after the notice (Friday 6 March 2026 + 30 =
   * Sunday 5 April, Easter; Monday 6 April is Easter Monday; so Tuesday
   * 7 April), and the debt must still reach the threshold. */
  esa_case_context_set_state (c, "mortgage_notice");
  set_date (c, "mortgage_notice_on", "2026-03-06");
  assert_due (it_proc, "mortgage_notice_period", c, "2026-04-07");
  set_today (c, "2026-04-08");
  assert_available (it_proc, "register_mortgage", c);
  esa_case_context_set_amount (c, "balance", 1500000);
  assert_blocked (it_proc, "register_mortgage", c,
                  "a mortgage needs a debt of at least € 20.000,00; the balance is € 15.000,00",
                  NULL);
}

static void
test_it_order_renewal (void)
{
  g_autoptr(EsaCaseContext) c = case_in (it_proc, "notified", "2026-07-14");

  /* Notified 15 January 2026: enforcement must start within 180 days, by
   * 14 July 2026 (16 to 31 January, 44, 75, 105, 136, 166 to 30 June, +14). */
  set_date (c, "notified_on", "2026-01-15");
  esa_case_context_set_amount (c, "balance", 500000);
  assert_available (it_proc, "garnish", c);
  assert_available (it_proc, "seize_on_site", c);

  set_today (c, "2026-07-15");
  assert_blocked (it_proc, "garnish", c,
                  "the order to pay lapsed after 14 July 2026, 180 days after its notification "
                  "or the last reminder: send a reminder to renew it", NULL);

  /* A reminder on 1 July renews it: the latest of the two dates counts. */
  esa_case_context_set_state (c, "reminded");
  set_date (c, "reminded_on", "2026-07-01");
  assert_available (it_proc, "garnish", c);
}

static void
test_it_instalments (void)
{
  g_autoptr(EsaCaseContext) c = case_in (it_proc, "notified", "2026-03-01");
  g_autoptr(GError) error = NULL;
  GDate missed[2];
  GDate today;
  gboolean lapsed;

  /* No plan up to 100.00 EUR (c. 796 a). */
  esa_case_context_set_amount (c, "balance", 10000);
  assert_blocked (it_proc, "grant_instalment_plan", c,
                  "no instalment plan for debts up to € 100,00", NULL);
  esa_case_context_set_amount (c, "balance", 10001);
  assert_available (it_proc, "grant_instalment_plan", c);

  esa_case_context_set_flag (c, "had_lapsed_plan", TRUE);
  assert_blocked (it_proc, "grant_instalment_plan", c,
                  "an earlier plan lapsed: the debt cannot be spread again", NULL);

  /* The plan was granted while a vehicle lien was registered; it lapses
   * when the rule says so, and the case goes back there. Two missed
   * instalments within 6 months (15 January and 15 March 2026). */
  esa_case_context_set_state (c, "instalment_plan");
  esa_case_context_set_previous_state (c, "lien_registered");
  assert_blocked (it_proc, "lapse_plan", c,
                  "the plan has not lapsed: not enough instalments were missed after a "
                  "reminder", NULL);

  missed[0] = day ("2026-01-15");
  missed[1] = day ("2026-03-15");
  today = day ("2026-04-01");
  g_assert_true (esa_rules_it_plan_lapsed (params, missed, 2, &today, NULL, &lapsed, &error));
  g_assert_no_error (error);
  esa_case_context_set_flag (c, "plan_in_default", lapsed);
  {
    g_autoptr(EsaActionStatus) status = status_of (it_proc, "lapse_plan", c);

    g_assert_true (status->available);
    g_assert_cmpstr (status->to_state, ==, "lien_registered");
  }

  /* Without knowing where the case was, it cannot go back. */
  esa_case_context_set_previous_state (c, NULL);
  assert_blocked (it_proc, "lapse_plan", c, "the state the case was in before is not known",
                  NULL);
}

static void
test_it_insolvency (void)
{
  g_autoptr(EsaCaseContext) c = case_in (it_proc, "garnishment", "2026-05-04");

  assert_blocked (it_proc, "open_insolvency_claim", c,
                  "no insolvency proceedings are recorded for the debtor", NULL);
  esa_case_context_set_flag (c, "insolvent", TRUE);
  assert_available (it_proc, "open_insolvency_claim", c);

  /* The proof of claim is due 15 days after the papers: 4 + 15 = 19 May. */
  set_date (c, "papers_received_on", "2026-05-04");
  assert_due (it_proc, "claim_filing", c, "2026-05-19");

  esa_case_context_set_state (c, "insolvency_claim");
  assert_available (it_proc, "file_insolvency_claim", c);
  set_date (c, "claim_filed_on", "2026-05-15");
  assert_blocked (it_proc, "file_insolvency_claim", c, "the proof of claim was already filed",
                  NULL);
}

static void
test_it_relief (void)
{
  g_autoptr(EsaCaseContext) c = case_in (it_proc, "notified", "2026-05-04");
  const char *responsible[] = { "responsible", NULL };
  const char *officer[] = { "officer", NULL };

  /* A request leaves the case where it is and starts its response
   * deadlines: card in 15 days (4 + 15 = 19 May), decision in 30 (4 May
   * + 27 = 31 May, + 3 = 3 June), reply 15 days after signature (1 + 15 =
   * 16 June). */
  {
    g_autoptr(EsaActionStatus) status = status_of (it_proc, "receive_relief_request", c);

    g_assert_true (status->available);
    g_assert_null (status->to_state);
  }
  assert_blocked (it_proc, "reply_relief_request", c, "no relief request is recorded", NULL);

  set_date (c, "relief_received_on", "2026-05-04");
  assert_due (it_proc, "relief_card", c, "2026-05-19");
  assert_due (it_proc, "relief_decision", c, "2026-06-03");
  assert_available (it_proc, "reply_relief_request", c);
  set_date (c, "relief_signed_on", "2026-06-01");
  assert_due (it_proc, "relief_reply", c, "2026-06-16");

  /* Write-downs, refunds, suspensions and cancellations are the
   * responsible officer's. */
  esa_case_context_set_actor (c, "u-carla", officer);
  assert_blocked (it_proc, "write_down", c,
                  "only the responsible officer of the creditor body can write down a debt",
                  NULL);
  assert_blocked (it_proc, "suspend", c,
                  "only the responsible officer of the creditor body can suspend a case", NULL);
  esa_case_context_set_actor (c, "u-dario", responsible);
  assert_available (it_proc, "write_down", c);
  assert_available (it_proc, "cancel", c);
  assert_available (it_proc, "suspend", c);

  /* Resuming goes back to the state before the suspension. */
  esa_case_context_set_state (c, "suspended");
  esa_case_context_set_previous_state (c, "notified");
  {
    g_autoptr(EsaActionStatus) status = status_of (it_proc, "resume", c);

    g_assert_true (status->available);
    g_assert_cmpstr (status->to_state, ==, "notified");
  }

  /* A refund is possible on a closed case. */
  esa_case_context_set_state (c, "paid");
  assert_available (it_proc, "refund", c);
}

static void
test_it_closure (void)
{
  g_autoptr(EsaCaseContext) c = case_in (it_proc, "seizure", "2026-05-04");

  esa_case_context_set_amount (c, "balance", 1000);
  assert_blocked (it_proc, "close_paid", c, "the balance is still € 10,00", NULL);
  assert_available (it_proc, "close_uncollectable", c);

  esa_case_context_set_amount (c, "balance", 0);
  assert_available (it_proc, "close_paid", c);
  assert_blocked (it_proc, "close_uncollectable", c, "nothing is owed: close the case as paid",
                  NULL);

  /* Unknown balance: the guard cannot pass. */
  {
    g_autoptr(EsaCaseContext) unknown = case_in (it_proc, "seizure", "2026-05-04");

    assert_blocked (it_proc, "close_paid", unknown, "the amount “Balance” is not known", NULL);
  }

  /* Closing as uncollectable produces the report of the measures tried. */
  {
    const EsaAction *action = esa_procedure_find_action (it_proc, "close_uncollectable");

    g_assert_cmpstr (action->to, ==, "uncollectable");
    g_assert_cmpstr (action->produces[0], ==, "uncollectable_report");
    g_assert_nonnull (esa_procedure_find_field (it_proc, "measures_tried"));
  }
}

/* ---- evaluation and the data of actions ---------------------------------- */

static void
assert_action_ids (EsaProcedure       *procedure,
                   EsaCaseContext     *context,
                   const char * const *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) statuses = esa_procedure_evaluate (procedure, context, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (statuses->len, ==, g_strv_length ((char **) expected));
  for (guint i = 0; i < statuses->len; i++)
    g_assert_cmpstr (((EsaActionStatus *) g_ptr_array_index (statuses, i))->action->id, ==,
                     expected[i]);
}

static void
test_evaluate (void)
{
  g_autoptr(EsaCaseContext) c = case_in (ch_proc, "continuable", "2026-05-04");
  g_autoptr(GError) error = NULL;
  const char * const continuable[] = {
    "request_continuation", "close_paid", "withdraw", "issue_register_extract", NULL,
  };
  const char * const ch_paid[] = { "issue_register_extract", NULL };
  const char * const it_paid[] = { "refund", NULL };
  GDate due;

  /* The actions of the case's state, in file order. */
  assert_action_ids (ch_proc, c, continuable);
  esa_case_context_set_state (c, "paid");
  assert_action_ids (ch_proc, c, ch_paid);
  esa_case_context_set_state (c, "paid");
  assert_action_ids (it_proc, c, it_paid);

  /* An action the state does not allow says so. */
  {
    g_autoptr(EsaActionStatus) status = status_of (ch_proc, "seize", c);

    g_assert_false (status->available);
    g_assert_cmpstr (status->reason, ==, "not possible while the case is “Paid”");
  }

  esa_case_context_set_state (c, "nowhere");
  g_assert_null (esa_procedure_evaluate (ch_proc, c, &error));
  g_assert_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID);
  assert_contains (error->message, "the procedure “ch-lef” has no state “nowhere”");
  g_clear_error (&error);

  g_assert_null (esa_procedure_evaluate_action (ch_proc, "fly", c, &error));
  g_assert_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID);
  g_clear_error (&error);

  /* A deadline from a date not recorded. */
  esa_case_context_set_state (c, "served");
  g_assert_false (esa_procedure_deadline_due (ch_proc,
                                              esa_procedure_find_deadline (ch_proc, "opposition"),
                                              c, &due, &error));
  g_assert_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID);
  assert_contains (error->message,
                   "“Date of service” is not recorded yet: the deadline “Time to oppose” runs "
                   "from it");
}

static void
test_action_data (void)
{
  const EsaAction *serve = esa_procedure_find_action (ch_proc, "serve");
  const EsaAction *notify = esa_procedure_find_action (it_proc, "record_notification");
  const EsaAction *seize = esa_procedure_find_action (it_proc, "seize_on_site");
  const EsaAction *continuation = esa_procedure_find_action (ch_proc, "request_continuation");
  const EsaDeadline *opposition;
  const EsaField *field;

  /* What the wizard of "serve" asks and which deadline it starts. */
  g_assert_cmpstr (serve->label, ==, "Record the service");
  g_assert_cmpstr (serve->from[0], ==, "order_issued");
  g_assert_null (serve->from[1]);
  g_assert_cmpstr (serve->to, ==, "served");
  field = g_ptr_array_index (serve->fields, 0);
  g_assert_cmpstr (field->id, ==, "served_on");
  g_assert_cmpint (field->type, ==, ESA_FIELD_DATE);
  g_assert_true (field->required);
  g_assert_cmpuint (serve->starts->len, ==, 1);
  opposition = g_ptr_array_index (serve->starts, 0);
  g_assert_cmpstr (opposition->id, ==, "opposition");
  g_assert_cmpstr (opposition->from_field, ==, "served_on");
  g_assert_cmpint (opposition->period.unit, ==, ESA_PERIOD_DAYS);
  g_assert_cmpint (opposition->period.counting, ==, ESA_COUNTING_ADJUSTED);
  g_assert_cmpstr (opposition->period.param, ==, "ch.opposition.days");

  /* Documents produced. */
  g_assert_cmpstr (continuation->produces[0], ==, "seizure_notice");
  g_assert_cmpuint (continuation->guards->len, ==, 3);
  g_assert_cmpstr (esa_procedure_find_action (ch_proc, "issue_payment_order")->produces[0], ==,
                   "payment_order");

  /* Choices and items. */
  field = g_ptr_array_index (notify->fields, 1);
  g_assert_cmpint (field->type, ==, ESA_FIELD_CHOICE);
  g_assert_cmpuint (field->choices->len, ==, 3);
  g_assert_cmpstr (((EsaChoice *) g_ptr_array_index (field->choices, 1))->id, ==, "pec");
  field = g_ptr_array_index (seize->fields, 1);
  g_assert_cmpint (field->type, ==, ESA_FIELD_ITEMS);
  g_assert_cmpuint (field->items->len, ==, 4);
  g_assert_cmpint (((EsaField *) g_ptr_array_index (field->items, 1))->type, ==,
                   ESA_FIELD_AMOUNT);

  /* "@open" stands for every state that is not final. */
  {
    const EsaAction *close = esa_procedure_find_action (ch_proc, "close_paid");

    g_assert_true (g_strv_contains ((const char * const *) close->from, "seized"));
    g_assert_false (g_strv_contains ((const char * const *) close->from, "paid"));
    g_assert_cmpuint (g_strv_length (close->from), ==, 8);
  }

  /* Dates for people in sentences write the month out. */
  {
    GDate date = day ("2027-03-14");
    g_autofree char *text = esa_procedure_format_date (&date);

    g_assert_cmpstr (text, ==, "14 March 2027");
  }
}

/* ---- malformed files ---------------------------------------------------- */

/* A minimal valid procedure with @actions spliced in. */
#define PROCEDURE(states, actions) \
  "{ \"id\": \"t\", \"version\": 1, \"jurisdiction\": \"CH\", \"title\": \"T\",\n" \
  "  \"states\": " states ",\n" \
  "  \"actions\": [\n" actions "\n  ]\n}\n"

#define SERVE \
  "    { \"id\": \"serve\", \"label\": \"Serve\", \"from\": \"requested\", \"to\": \"served\",\n" \
  "      \"fields\": [ { \"id\": \"served_on\", \"type\": \"date\", \"label\": \"Served\" },\n" \
  "                    { \"id\": \"note\", \"type\": \"text\", \"label\": \"Note\" } ] }"

#define STATES "[\"requested\", \"served\", \"continued\"]"

static char *
load_error (const char    *file_name,
            const char    *json,
            EsaParameters *with)
{
  g_autofree char *dir = g_dir_make_tmp ("esa-procedure-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, file_name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaProcedure) procedure = NULL;

  g_file_set_contents (path, json, -1, &error);
  g_assert_no_error (error);

  procedure = esa_procedure_load_file (path, with, &error);
  g_assert_null (procedure);
  g_assert_nonnull (error);
  g_assert_true (error->domain == ESA_CORE_ERROR);

  g_unlink (path);
  g_rmdir (dir);
  return g_strdup (error->message);
}

static void
assert_refused (const char    *file_name,
                const char    *json,
                EsaParameters *with,
                const char    *expected)
{
  g_autofree char *message = load_error (file_name, json, with);

  assert_contains (message, expected);
}

static void
test_malformed_unknown_state (void)
{
  g_autofree char *message = load_error (
    "bad-state.json",
    PROCEDURE (STATES,
               "    { \"id\": \"serve\", \"label\": \"Serve\", \"from\": [\"requestd\"],"
               " \"to\": \"servd\" }"),
    NULL);

  /* Both problems, one a line, each with file and path. */
  assert_contains (message, "bad-state.json: $.actions[0].from: unknown state “requestd”\n");
  assert_contains (message, "bad-state.json: $.actions[0].to: unknown state “servd”");
}

static void
test_malformed_unknown_field (void)
{
  assert_refused ("bad-field.json",
                  PROCEDURE (STATES, SERVE ",\n"
                             "    { \"id\": \"continue\", \"label\": \"Continue\","
                             " \"from\": \"served\", \"to\": \"continued\",\n"
                             "      \"guards\": [ { \"after\": \"served_onn\", \"days\": 20,"
                             " \"explain\": \"from {date}\" } ] }"),
                  NULL,
                  "bad-field.json: $.actions[1].guards[0].after: unknown field “served_onn”");

  /* A date guard on a text field. */
  assert_refused ("bad-field.json",
                  PROCEDURE (STATES, SERVE ",\n"
                             "    { \"id\": \"continue\", \"label\": \"Continue\","
                             " \"from\": \"served\", \"to\": \"continued\",\n"
                             "      \"guards\": [ { \"before\": \"note\", \"days\": 20,"
                             " \"explain\": \"until {date}\" } ] }"),
                  NULL,
                  "bad-field.json: $.actions[1].guards[0].before: the field “note” is not a date "
                  "field");

  /* A guard in applies_if names an unknown amount. */
  assert_refused ("bad-field.json",
                  PROCEDURE (STATES, SERVE ",\n"
                             "    { \"id\": \"continue\", \"label\": \"Continue\","
                             " \"from\": \"served\", \"to\": \"continued\",\n"
                             "      \"guards\": [ { \"recorded\": \"note\", \"applies_if\":"
                             " { \"amount\": \"balanse\", \"max\": 100 },"
                             " \"explain\": \"up to {amount}\" } ] }"),
                  NULL,
                  "bad-field.json: $.actions[1].guards[0].applies_if.amount: unknown field "
                  "“balanse”");
}

static void
test_malformed_unreachable (void)
{
  g_autofree char *message = load_error (
    "bad-graph.json",
    PROCEDURE ("[\"a\", \"b\", \"c\"]",
               "    { \"id\": \"go\", \"label\": \"Go\", \"from\": \"a\", \"to\": \"b\" },\n"
               "    { \"id\": \"back\", \"label\": \"Back\", \"from\": \"c\", \"to\": \"b\" }"),
    NULL);

  assert_contains (message,
                   "bad-graph.json: $.actions[1].from: the action “back” can never run: none of "
                   "the states it runs in can be reached from an initial state (“a”)");
  assert_contains (message,
                   "bad-graph.json: $.states[2]: the state “c” cannot be reached from an initial "
                   "state (“a”)");

  /* Going back to a previous state needs a way in. */
  assert_refused ("bad-graph.json",
                  PROCEDURE ("[\"a\", \"b\"]",
                             "    { \"id\": \"go\", \"label\": \"Go\", \"from\": \"a\","
                             " \"to\": \"b\" },\n"
                             "    { \"id\": \"undo\", \"label\": \"Undo\", \"from\": \"a\","
                             " \"to\": \"@previous\" }"),
                  NULL,
                  "bad-graph.json: $.actions[1].to: “@previous” needs an action that leads into "
                  "“a”");
}

static void
test_malformed_syntax (void)
{
  g_autofree char *message = load_error (
    "bad-syntax.json",
    "{ \"id\": \"t\", \"version\": 1, \"jurisdiction\": \"CH\", \"title\": \"T\",\n"
    "  \"states\": [\"a\", \"b\"],\n"
    "  \"actions\": [\n"
    "    { \"id\": \"go\", \"label\": \"Go\" },\n"
    "    { \"id\": \"go\", \"label\": \"Go\", \"from\": [\"a\"] \"to\": \"b\" }\n"
    "  ]\n"
    "}\n",
    NULL);

  /* The comma missing after ["a"] on line 5, in the second action's
   * "from" (json-glib stops at the closing bracket of the array, hence
   * "from[0]"). */
  assert_contains (message, "bad-syntax.json: line 5, column ");
  assert_contains (message, "($.actions[1].from");
  assert_contains (message, "): not valid JSON: ");

  assert_refused ("empty.json", "", NULL, "empty.json: $: the file is empty");
}

static void
test_malformed_values (void)
{
  /* Duplicate ids. */
  g_autofree char *message = load_error (
    "bad-ids.json",
    PROCEDURE ("[\"a\", \"b\", \"a\"]",
               "    { \"id\": \"go\", \"label\": \"Go\", \"from\": \"a\", \"to\": \"b\" },\n"
               "    { \"id\": \"go\", \"label\": \"Go\", \"from\": \"a\", \"to\": \"b\" }"),
    NULL);

  assert_contains (message, "bad-ids.json: $.states[2]: duplicate state id “a”");
  assert_contains (message, "bad-ids.json: $.actions[1].id: duplicate action id “go”");

  /* A misspelt member, and the one it should have been is missing. */
  g_free (message);
  message = load_error ("bad-member.json",
                        PROCEDURE (STATES, "    { \"id\": \"serve\", \"label\": \"Serve\","
                                   " \"form\": \"requested\", \"to\": \"served\" }"),
                        NULL);
  assert_contains (message, "bad-member.json: $.actions[0].form: unknown member “form”");
  assert_contains (message, "bad-member.json: $.actions[0]: the member “from” is missing");

  /* Every guard explains itself, with placeholders it can fill. */
  assert_refused ("bad-guard.json",
                  PROCEDURE (STATES, SERVE ",\n"
                             "    { \"id\": \"continue\", \"label\": \"Continue\","
                             " \"from\": \"served\", \"to\": \"continued\",\n"
                             "      \"guards\": [ { \"after\": \"served_on\", \"days\": 20 } ] }"),
                  NULL,
                  "bad-guard.json: $.actions[1].guards[0]: the member “explain” is missing");
  assert_refused ("bad-guard.json",
                  PROCEDURE (STATES, SERVE ",\n"
                             "    { \"id\": \"continue\", \"label\": \"Continue\","
                             " \"from\": \"served\", \"to\": \"continued\",\n"
                             "      \"guards\": [ { \"after\": \"served_on\", \"days\": 20,"
                             " \"explain\": \"from {dat}\" } ] }"),
                  NULL,
                  "bad-guard.json: $.actions[1].guards[0].explain: unknown placeholder {dat} "
                  "(this guard knows: {date}, {days})");
  assert_refused ("bad-guard.json",
                  PROCEDURE (STATES, SERVE ",\n"
                             "    { \"id\": \"continue\", \"label\": \"Continue\","
                             " \"from\": \"served\", \"to\": \"continued\",\n"
                             "      \"guards\": [ { \"after\": \"served_on\", \"flag\": \"x\","
                             " \"days\": 20, \"explain\": \"no\" } ] }"),
                  NULL,
                  "bad-guard.json: $.actions[1].guards[0]: a guard tests one thing");
  assert_refused ("bad-guard.json",
                  PROCEDURE (STATES, SERVE ",\n"
                             "    { \"id\": \"continue\", \"label\": \"Continue\","
                             " \"from\": \"served\", \"to\": \"continued\",\n"
                             "      \"guards\": [ { \"deadline_passed\": \"oposition\","
                             " \"explain\": \"until {end}\" } ] }"),
                  NULL,
                  "bad-guard.json: $.actions[1].guards[0].deadline_passed: unknown deadline "
                  "“oposition”");
  assert_refused ("bad-guard.json",
                  PROCEDURE (STATES, SERVE ",\n"
                             "    { \"id\": \"continue\", \"label\": \"Continue\","
                             " \"from\": \"served\", \"to\": \"continued\",\n"
                             "      \"guards\": [ { \"not_flag\": \"insolvnt\","
                             " \"explain\": \"insolvent\" } ] }"),
                  NULL,
                  "bad-guard.json: $.actions[1].guards[0].not_flag: unknown flag “insolvnt”");

  /* An unknown act type, an unknown field type. */
  assert_refused ("bad-act-type.json",
                  PROCEDURE (STATES, "    { \"id\": \"serve\", \"label\": \"Serve\","
                             " \"from\": \"requested\", \"to\": \"served\","
                             " \"produces\": [\"payment_ordr\"] }"),
                  NULL,
                  "bad-act-type.json: $.actions[0].produces[0]: unknown act type "
                  "“payment_ordr”");
  assert_refused ("bad-field-type.json",
                  PROCEDURE (STATES, "    { \"id\": \"serve\", \"label\": \"Serve\","
                             " \"from\": \"requested\", \"to\": \"served\", \"fields\": ["
                             " { \"id\": \"on\", \"type\": \"datum\", \"label\": \"On\" } ] }"),
                  NULL,
                  "bad-field-type.json: $.actions[0].fields[0].type: unknown field type "
                  "“datum”");
}

static void
test_malformed_parameters (void)
{
  /* Checked against the parameters: tables that do not exist or hold
   * something else, calendars that do not exist. */
  assert_refused ("bad-param.json",
                  PROCEDURE (STATES, SERVE ",\n"
                             "    { \"id\": \"continue\", \"label\": \"Continue\","
                             " \"from\": \"served\", \"to\": \"continued\",\n"
                             "      \"guards\": [ { \"after\": \"served_on\","
                             " \"days\": { \"param\": \"ch.nothing\" },"
                             " \"explain\": \"from {date}\" } ] }"),
                  params,
                  "bad-param.json: $.actions[1].guards[0].days: unknown parameter table "
                  "“ch.nothing”");
  assert_refused ("bad-param.json",
                  PROCEDURE (STATES, SERVE ",\n"
                             "    { \"id\": \"continue\", \"label\": \"Continue\","
                             " \"from\": \"served\", \"to\": \"continued\",\n"
                             "      \"guards\": [ { \"after\": \"served_on\","
                             " \"days\": { \"param\": \"ch.extract.fee\" },"
                             " \"explain\": \"from {date}\" } ] }"),
                  params,
                  "bad-param.json: $.actions[1].guards[0].days: the parameter table "
                  "“ch.extract.fee” holds minor, not days");
  assert_refused ("bad-param.json",
                  PROCEDURE (STATES, SERVE ",\n"
                             "    { \"id\": \"continue\", \"label\": \"Continue\","
                             " \"from\": \"served\", \"to\": \"continued\",\n"
                             "      \"guards\": [ { \"after\": \"served_on\", \"days\": 10,"
                             " \"counting\": \"business\", \"calendar\": \"ch-zz\","
                             " \"explain\": \"from {date}\" } ] }"),
                  params,
                  "bad-param.json: $.actions[1].guards[0].calendar: unknown calendar “ch-zz”");
}

static void
test_literal_without_parameters (void)
{
  g_autofree char *dir = g_dir_make_tmp ("esa-procedure-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "plain.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaProcedure) procedure = NULL;
  g_autoptr(EsaCaseContext) c = esa_case_context_new (NULL);
  GDate today = day ("2026-03-20");

  /* Numbers in the file itself need no parameter tables. */
  g_file_set_contents (path,
                       PROCEDURE (STATES, SERVE ",\n"
                                  "    { \"id\": \"continue\", \"label\": \"Continue\","
                                  " \"from\": \"served\", \"to\": \"continued\",\n"
                                  "      \"guards\": [ { \"after\": \"served_on\", \"days\": 20,"
                                  " \"explain\": \"from {date}, {days} days after service\" } ] }"),
                       -1, &error);
  g_assert_no_error (error);
  procedure = esa_procedure_load_file (path, NULL, &error);
  g_assert_no_error (error);

  esa_case_context_set_state (c, "served");
  esa_case_context_set_today (c, &today);
  set_date (c, "served_on", "2026-03-01");
  assert_blocked (procedure, "continue", c, "from 21 March 2026, 20 days after service",
                  "2026-03-21");

  /* The first state is the initial one when none is marked. */
  g_assert_true (esa_procedure_find_state (procedure, "requested")->initial);

  g_unlink (path);
  g_rmdir (dir);
}

/* The guard kinds the shipped files do not use, placeholders, working days
 * in the engine and a body's own calendar. */
static void
test_guard_kinds (void)
{
  g_autofree char *dir = g_dir_make_tmp ("esa-procedure-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "kinds.json", NULL);
  g_autofree char *milano_path = g_build_filename (dir, "milano.json", NULL);
  g_autofree char *data_dir = esa_data_dir ("parameters");
  g_autoptr(EsaParameters) own = esa_parameters_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaProcedure) procedure = NULL;
  g_autoptr(EsaCaseContext) c = NULL;
  const char *clerk[] = { "clerk", NULL };

  g_file_set_contents (
    path,
    "{ \"id\": \"kinds\", \"version\": 1, \"jurisdiction\": \"IT\", \"title\": \"Kinds\",\n"
    "  \"calendar\": \"it\",\n"
    "  \"states\": [\"open\", \"held\", \"done\"],\n"
    "  \"flags\": [ { \"id\": \"urgent\", \"label\": \"Urgent\" } ],\n"
    "  \"facts\": [ { \"id\": \"balance\", \"type\": \"amount\", \"label\": \"Balance\" },\n"
    "             { \"id\": \"owner\", \"type\": \"user\", \"label\": \"Owner\" } ],\n"
    "  \"actions\": [\n"
    "    { \"id\": \"hold\", \"label\": \"Hold\", \"from\": \"open\", \"to\": \"held\",\n"
    "      \"fields\": [ { \"id\": \"held_on\", \"type\": \"date\", \"label\": \"Held on\" } ] },\n"
    "    { \"id\": \"finish\", \"label\": \"Finish\", \"from\": \"@open\", \"to\": \"done\",\n"
    "      \"guards\": [\n"
    "        { \"not_state\": \"held\", \"explain\": \"not while the case is {state}\" },\n"
    "        { \"amount\": \"balance\", \"below\": 5000,\n"
    "          \"explain\": \"only below {amount}, not {value}\" },\n"
    "        { \"flag\": \"urgent\", \"explain\": \"only when {flag}\" },\n"
    "        { \"role\": \"clerk\", \"explain\": \"only a {role}\" },\n"
    "        { \"four_eyes\": \"owner\", \"explain\": \"not by the {field}\" } ] },\n"
    "    { \"id\": \"release\", \"label\": \"Release\", \"from\": \"held\", \"to\": \"open\",\n"
    "      \"guards\": [ { \"after\": \"held_on\", \"days\": 3, \"counting\": \"business\",\n"
    "        \"explain\": \"from {date}, {days} working days after holding\" } ] }\n"
    "  ] }\n",
    -1, &error);
  g_file_set_contents (milano_path,
                       "{ \"calendars\": [ { \"id\": \"it\", \"body\": \"comune-milano\","
                       " \"extends\": \"it\", \"title\": \"Milan\", \"holidays\": ["
                       " { \"name\": \"Saint Ambrose\", \"month\": 12, \"day\": 7 } ] } ] }",
                       -1, &error);
  g_assert_no_error (error);
  g_assert_true (esa_parameters_load_dir (own, data_dir, &error));
  g_assert_true (esa_parameters_load_file (own, milano_path, &error));
  procedure = esa_procedure_load_file (path, own, &error);
  g_assert_no_error (error);

  c = esa_case_context_new (own);
  esa_case_context_set_state (c, "open");
  esa_case_context_set_currency (c, "EUR");
  esa_case_context_set_amount (c, "balance", 5000);
  esa_case_context_set_user (c, "owner", "u1");
  esa_case_context_set_actor (c, "u1", NULL);
  {
    g_autoptr(EsaActionStatus) status = status_of (procedure, "finish", c);

    g_assert_false (status->available);
    g_assert_cmpuint (g_strv_length (status->reasons), ==, 4);
    g_assert_cmpstr (status->reasons[0], ==, "only below € 50,00, not € 50,00");
    g_assert_cmpstr (status->reasons[1], ==, "only when Urgent");
    g_assert_cmpstr (status->reasons[2], ==, "only a clerk");
    g_assert_cmpstr (status->reasons[3], ==, "not by the Owner");
  }

  esa_case_context_set_amount (c, "balance", 4999);
  esa_case_context_set_flag (c, "urgent", TRUE);
  esa_case_context_set_actor (c, "u2", clerk);
  assert_available (procedure, "finish", c);
  esa_case_context_set_state (c, "held");
  assert_blocked (procedure, "finish", c, "not while the case is held", NULL);

  /* Held on Thursday 2 April 2026, 3 working days: Fri 3 (1), Mon 6 is
   * Easter Monday, Tue 7 (2), Wed 8 April (3). */
  set_date (c, "held_on", "2026-04-02");
  set_today (c, "2026-04-07");
  assert_blocked (procedure, "release", c, "from 8 April 2026, 3 working days after holding",
                  "2026-04-08");

  /* Held on Friday 4 December 2026: in Rome Mon 7 (1), Tue 8 is the
   * Immaculate Conception, Wed 9 (2), Thu 10 (3); in Milan 7 December is
   * Saint Ambrose too, so Wed 9 (1), Thu 10 (2), Fri 11 (3). */
  set_date (c, "held_on", "2026-12-04");
  set_today (c, "2026-12-10");
  assert_available (procedure, "release", c);
  esa_case_context_set_body (c, "comune-milano");
  assert_blocked (procedure, "release", c, "from 11 December 2026, 3 working days after holding",
                  "2026-12-11");

  g_unlink (path);
  g_unlink (milano_path);
  g_rmdir (dir);
}

static void
test_load_dir_duplicates (void)
{
  g_autofree char *dir = g_dir_make_tmp ("esa-procedure-XXXXXX", NULL);
  g_autofree char *one = g_build_filename (dir, "one.json", NULL);
  g_autofree char *two = g_build_filename (dir, "two.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) procedures = NULL;

  g_file_set_contents (one, PROCEDURE ("[\"requested\", \"served\"]", SERVE), -1, &error);
  g_file_set_contents (two, PROCEDURE ("[\"requested\", \"served\"]", SERVE), -1, &error);
  g_assert_no_error (error);

  procedures = esa_procedure_load_dir (dir, NULL, &error);
  g_assert_null (procedures);
  g_assert_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID);
  assert_contains (error->message, "two.json: $.id: the procedure “t” is already defined in "
                   "one.json");

  g_unlink (one);
  g_unlink (two);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *it_path = NULL;
  g_autofree char *ch_path = NULL;
  int status;

  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  params = esa_parameters_load_default (&error);
  g_assert_no_error (error);
  dir = esa_data_dir ("procedures");
  it_path = g_build_filename (dir, "it-coercive.json", NULL);
  ch_path = g_build_filename (dir, "ch-lef.json", NULL);
  it_proc = esa_procedure_load_file (it_path, params, &error);
  g_assert_no_error (error);
  ch_proc = esa_procedure_load_file (ch_path, params, &error);
  g_assert_no_error (error);

  g_test_add_func ("/procedure/shipped/load", test_shipped_files);
  g_test_add_func ("/procedure/shipped/strings-listed", test_strings_listed);
  g_test_add_func ("/procedure/ch/continuation-window", test_ch_continuation_window);
  g_test_add_func ("/procedure/ch/opposition", test_ch_opposition);
  g_test_add_func ("/procedure/ch/continuation-while-opposition-runs",
                   test_ch_continuation_while_opposition_runs);
  g_test_add_func ("/procedure/ch/nondisclosure", test_ch_nondisclosure);
  g_test_add_func ("/procedure/ch/realisation", test_ch_realisation);
  g_test_add_func ("/procedure/it/four-eyes", test_it_four_eyes);
  g_test_add_func ("/procedure/it/deceased", test_it_deceased);
  g_test_add_func ("/procedure/it/payment-deadline", test_it_payment_deadline);
  g_test_add_func ("/procedure/it/small-debt", test_it_small_debt);
  g_test_add_func ("/procedure/it/vehicle-lien", test_it_vehicle_lien);
  g_test_add_func ("/procedure/it/mortgage", test_it_mortgage);
  g_test_add_func ("/procedure/it/order-renewal", test_it_order_renewal);
  g_test_add_func ("/procedure/it/instalments", test_it_instalments);
  g_test_add_func ("/procedure/it/insolvency", test_it_insolvency);
  g_test_add_func ("/procedure/it/relief", test_it_relief);
  g_test_add_func ("/procedure/it/closure", test_it_closure);
  g_test_add_func ("/procedure/evaluate", test_evaluate);
  g_test_add_func ("/procedure/action-data", test_action_data);
  g_test_add_func ("/procedure/malformed/unknown-state", test_malformed_unknown_state);
  g_test_add_func ("/procedure/malformed/unknown-field", test_malformed_unknown_field);
  g_test_add_func ("/procedure/malformed/unreachable", test_malformed_unreachable);
  g_test_add_func ("/procedure/malformed/syntax", test_malformed_syntax);
  g_test_add_func ("/procedure/malformed/values", test_malformed_values);
  g_test_add_func ("/procedure/malformed/parameters", test_malformed_parameters);
  g_test_add_func ("/procedure/literal-without-parameters", test_literal_without_parameters);
  g_test_add_func ("/procedure/guard-kinds", test_guard_kinds);
  g_test_add_func ("/procedure/load-dir-duplicates", test_load_dir_duplicates);

  status = g_test_run ();
  g_clear_object (&it_proc);
  g_clear_object (&ch_proc);
  g_clear_object (&params);
  return status;
}
