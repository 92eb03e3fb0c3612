/* test-case-actions.c: running the steps of a case's procedure through the
 * store: guards and fields checked again, state, acts, next deadline, audit
 * journal and outbox in one transaction, undo, the cases due
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <sqlite3.h>
#include <string.h>

#include "esa-core.h"
#include "esa-demo.h"
#include "esa-store-private.h"
#include "esa-store-test.h"

typedef struct
{
  EsaStore      *store;
  EsaParameters *params;
  GPtrArray     *procedures;
  char          *body_it;
  char          *body_ch;
  char          *office;
  char          *officer;
  char          *resp_a;     /* a responsible officer: imports the load list */
  char          *resp_b;     /* another responsible officer */
  char          *auditor;
  char          *debtor;
  char          *load_list;
} Fixture;

/* ---- helpers ------------------------------------------------------------ */

static GDate
day (const char *iso)
{
  g_autoptr(GError) error = NULL;
  GDate date;

  g_assert_true (esa_date_parse_iso (iso, &date, &error));
  g_assert_no_error (error);
  return date;
}

/* field id, text, …, NULL */
static GHashTable *
fields_new (const char *first_key,
            ...)
{
  GHashTable *fields = g_hash_table_new (g_str_hash, g_str_equal);
  const char *key;
  va_list args;

  va_start (args, first_key);
  for (key = first_key; key != NULL; key = va_arg (args, const char *))
    g_hash_table_insert (fields, (gpointer) key, va_arg (args, char *));
  va_end (args);
  return fields;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *insert = NULL;
  EsaBody it = { NULL, "Comune di Esempio", "IT", "EUR", NULL, NULL, NULL };
  EsaBody ch = { NULL, "Creditore Svizzero", "CH", "CHF", NULL, NULL, NULL };
  EsaOffice office = { NULL, "Ufficio", "Lugano", "IT" };
  EsaDebtor debtor = { 0 };

  fixture->store = esa_store_test_open_memory (&fixture->params, &fixture->procedures);

  fixture->body_it = esa_store_add_body (fixture->store, &it, &error);
  fixture->body_ch = esa_store_add_body (fixture->store, &ch, &error);
  fixture->office = esa_store_add_office (fixture->store, &office, &error);
  g_assert_no_error (error);
  fixture->officer = esa_store_test_add_user (fixture->store, fixture->office, "officer",
                                              ESA_ROLE_OFFICER);
  fixture->resp_a = esa_store_test_add_user (fixture->store, fixture->office, "resp.a",
                                             ESA_ROLE_RESPONSIBLE);
  fixture->resp_b = esa_store_test_add_user (fixture->store, fixture->office, "resp.b",
                                             ESA_ROLE_RESPONSIBLE);
  fixture->auditor = esa_store_test_add_user (fixture->store, fixture->office, "auditor",
                                              ESA_ROLE_AUDITOR);

  debtor.kind = ESA_DEBTOR_PERSON;
  debtor.name = (char *) "Rossi Mario";
  debtor.office_id = fixture->office;
  fixture->debtor = esa_store_add_debtor (fixture->store, &debtor, &error);
  g_assert_no_error (error);

  /* Load lists come from the intake; here one row stands for an imported
   * list, imported by the first responsible officer. */
  fixture->load_list = g_strdup ("list-1");
  insert = g_strdup_printf ("INSERT INTO load_lists (id, body_id, reference, revenue_type, year, "
                            "received_on, state, imported_by) VALUES ('list-1', '%s', 'L1', "
                            "'TARI', 2025, '2026-01-05', 'imported', '%s')",
                            fixture->body_it, fixture->resp_a);
  esa_store_test_exec (fixture->store, insert);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->params);
  g_clear_pointer (&fixture->procedures, g_ptr_array_unref);
  g_free (fixture->body_it);
  g_free (fixture->body_ch);
  g_free (fixture->office);
  g_free (fixture->officer);
  g_free (fixture->resp_a);
  g_free (fixture->resp_b);
  g_free (fixture->auditor);
  g_free (fixture->debtor);
  g_free (fixture->load_list);
}

/* A case of @procedure in @state for a debtor owing @principal (minor
 * units) on one position. */
static char *
add_case (Fixture    *fixture,
          gboolean    swiss,
          const char *state,
          gint64      principal,
          const char *opened_on)
{
  g_autoptr(GError) error = NULL;
  static guint n = 0;
  g_autofree char *reference = g_strdup_printf ("REF-%u", ++n);
  g_autofree char *position_id = NULL;
  EsaPosition position = { 0 };
  EsaCase case_ = { 0 };
  const char *positions[2] = { NULL, NULL };
  char *id;

  position.debtor_id = fixture->debtor;
  position.body_id = swiss ? fixture->body_ch : fixture->body_it;
  position.load_list_id = swiss ? NULL : fixture->load_list;
  position.revenue_type = (char *) (swiss ? "claim" : "TARI");
  position.year = 2025;
  position.reference = reference;
  position.due_date = (char *) "2025-06-30";
  position.principal = principal;
  position_id = esa_store_add_position (fixture->store, &position, &error);
  g_assert_no_error (error);

  case_.debtor_id = fixture->debtor;
  case_.body_id = position.body_id;
  case_.procedure_id = (char *) (swiss ? "ch-lef" : "it-coercive");
  case_.state = (char *) state;
  case_.officer_id = fixture->officer;
  case_.opened_on = (char *) opened_on;
  positions[0] = position_id;
  id = esa_store_add_case (fixture->store, &case_, positions, &error);
  g_assert_no_error (error);
  return id;
}

static char *
case_state (Fixture    *fixture,
            const char *case_id)
{
  return esa_store_test_sql_text (fixture->store, "SELECT state FROM cases WHERE id = ?", case_id);
}

static char *
case_deadline (Fixture    *fixture,
               const char *case_id)
{
  return esa_store_test_sql_text (fixture->store, "SELECT next_deadline FROM cases WHERE id = ?",
                                  case_id);
}

/* Runs @action as @user and expects it to succeed. */
static char *
do_step (Fixture     *fixture,
         const char  *user,
         const char  *case_id,
         const char  *action,
         const char  *on,
         GHashTable  *fields)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) owned = fields;
  GDate date = day (on);
  char *event_id;

  esa_store_set_acting_user (fixture->store, user);
  event_id = esa_store_case_do (fixture->store, case_id, action, &date, owned, &error);
  g_assert_no_error (error);
  g_assert_nonnull (event_id);
  return event_id;
}

/* Runs @action as @user and expects a refusal whose message holds @part. */
static void
refuse_step (Fixture     *fixture,
             const char  *user,
             const char  *case_id,
             const char  *action,
             const char  *on,
             GHashTable  *fields,
             gint         code,
             const char  *part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) owned = fields;
  g_autoptr(GHashTable) before = esa_store_test_count_rows (fixture->store, NULL);
  g_autoptr(GHashTable) after = NULL;
  g_autofree char *event_id = NULL;
  GDate date;

  esa_store_set_acting_user (fixture->store, user);
  if (on != NULL)
    date = day (on);
  event_id = esa_store_case_do (fixture->store, case_id, action, on != NULL ? &date : NULL,
                                owned, &error);
  g_assert_null (event_id);
  g_assert_error (error, ESA_STORE_ERROR, code);
  if (strstr (error->message, part) == NULL)
    g_error ("“%s” does not say “%s”", error->message, part);

  /* A refused step leaves no trace anywhere. */
  after = esa_store_test_count_rows (fixture->store, NULL);
  esa_store_test_assert_same_counts (before, after);
}

/* The last day of @deadline for a case of @procedure_id whose @field is
 * @iso, as the engine counts it. */
static char *
deadline_due (Fixture    *fixture,
              const char *procedure_id,
              const char *body_id,
              const char *deadline_id,
              const char *field,
              const char *iso)
{
  g_autoptr(EsaCaseContext) context = esa_case_context_new (fixture->params);
  g_autoptr(GError) error = NULL;
  EsaProcedure *procedure = esa_procedure_list_find (fixture->procedures, procedure_id);
  const EsaDeadline *deadline = esa_procedure_find_deadline (procedure, deadline_id);
  GDate start = day (iso);
  GDate due;

  g_assert_nonnull (deadline);
  esa_case_context_set_body (context, body_id);
  esa_case_context_set_date (context, field, &start);
  g_assert_true (esa_procedure_deadline_due (procedure, deadline, context, &due, &error));
  g_assert_no_error (error);
  return esa_date_to_iso (&due);
}

/* The act number the parameter tables give the first act of @type in
 * @year. */
static char *
first_number (Fixture    *fixture,
              const char *table,
              const char *on)
{
  g_autoptr(GError) error = NULL;
  GDate date = day (on);
  const char *prefix = esa_parameters_get_text (fixture->params, table, &date, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (prefix);
  return g_strdup_printf ("%s-%u-000001", prefix, (guint) g_date_get_year (&date));
}

static gint64
audit_count (Fixture    *fixture,
             const char *case_id,
             const char *action)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM audit WHERE entity = 'case' "
                                          "AND entity_id = ? AND action = '%s'",
                                          action);

  return esa_store_test_sql_int (fixture->store, sql, case_id);
}

static gint64
command_count (Fixture    *fixture,
               const char *case_id)
{
  return esa_store_test_sql_int (fixture->store, "SELECT count(*) FROM outbox "
                                                 "WHERE kind = 'command' AND entity = 'case' "
                                                 "AND entity_id = ?", case_id);
}

static const EsaActionStatus *
find_status (GPtrArray  *statuses,
             const char *action)
{
  for (guint i = 0; i < statuses->len; i++)
    {
      const EsaActionStatus *status = g_ptr_array_index (statuses, i);

      if (g_str_equal (status->action->id, action))
        return status;
    }
  g_error ("no status for %s", action);
}

static GPtrArray *
actions_on (Fixture    *fixture,
            const char *user,
            const char *case_id,
            const char *on)
{
  g_autoptr(GError) error = NULL;
  GDate date = day (on);
  GPtrArray *statuses;

  esa_store_set_acting_user (fixture->store, user);
  statuses = esa_store_case_actions (fixture->store, case_id, &date, &error);
  g_assert_no_error (error);
  g_assert_nonnull (statuses);
  return statuses;
}

/* ---- tests -------------------------------------------------------------- */

/* An Italian case from the load list to a reminder: four eyes on the
 * approval, the injunction numbered, the notification starting the time to
 * pay, the reminder blocked until it has passed. */
static void
test_italian_case (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *case_id = add_case (fixture, FALSE, "loaded", 150000, "2026-01-10");
  g_autoptr(GPtrArray) before_approval = NULL;
  g_autoptr(GPtrArray) notified = NULL;
  g_autofree char *approve = NULL;
  g_autofree char *issue = NULL;
  g_autofree char *notify = NULL;
  g_autofree char *remind = NULL;
  g_autofree char *state = NULL;
  g_autofree char *deadline = NULL;
  g_autofree char *print_due = NULL;
  g_autofree char *payment_due = NULL;
  g_autofree char *number = NULL;
  g_autofree char *expected_number = NULL;
  g_autofree char *label = NULL;
  g_autofree char *notified_on = NULL;
  const EsaActionStatus *status;
  GDate payment_end;

  /* The importer is a responsible officer too, but not for this. */
  before_approval = actions_on (fixture, fixture->resp_a, case_id, "2026-01-12");
  status = find_status (before_approval, "approve");
  g_assert_false (status->available);
  g_assert_nonnull (strstr (status->reason, "cannot approve"));
  status = find_status (before_approval, "reject");
  g_assert_true (status->available);
  /* Available first. */
  g_assert_true (((EsaActionStatus *) before_approval->pdata[0])->available);
  g_assert_false (((EsaActionStatus *) before_approval->pdata[before_approval->len - 1])
                  ->available);
  refuse_step (fixture, fixture->resp_a, case_id, "approve", "2026-01-12", NULL,
               ESA_STORE_ERROR_INVALID, "the person who imported the list cannot approve it");
  /* An officer is not the responsible officer. */
  refuse_step (fixture, fixture->officer, case_id, "approve", "2026-01-12", NULL,
               ESA_STORE_ERROR_INVALID, "only the responsible officer");

  /* Step 1: the second responsible officer approves; the approval date
   * defaults to the day of the step and starts the print deadline. */
  approve = do_step (fixture, fixture->resp_b, case_id, "approve", "2026-01-12", NULL);
  state = case_state (fixture, case_id);
  g_assert_cmpstr (state, ==, "approved");
  print_due = deadline_due (fixture, "it-coercive", fixture->body_it, "injunction_print",
                            "approved_on", "2026-01-12");
  deadline = case_deadline (fixture, case_id);
  g_assert_cmpstr (deadline, ==, print_due);
  label = esa_store_test_sql_text (fixture->store,
                                   "SELECT next_deadline_label FROM cases WHERE id = ?", case_id);
  g_assert_cmpstr (label, ==, "Injunctions ready for print");
  g_assert_cmpint (audit_count (fixture, case_id, "approve"), ==, 1);
  g_assert_cmpint (command_count (fixture, case_id), ==, 2); /* opening + approval */

  /* Step 2: the injunction, numbered by the parameter table's prefix. */
  issue = do_step (fixture, fixture->officer, case_id, "issue_injunction", "2026-01-14", NULL);
  g_clear_pointer (&state, g_free);
  state = case_state (fixture, case_id);
  g_assert_cmpstr (state, ==, "injunction_issued");
  number = esa_store_test_sql_text (fixture->store, "SELECT number FROM acts WHERE case_id = ? "
                                                    "AND type = 'injunction'", case_id);
  expected_number = first_number (fixture, "it.act_number.injunction", "2026-01-14");
  g_assert_cmpstr (number, ==, expected_number);
  g_assert_cmpint (esa_store_test_sql_int (fixture->store,
                                           "SELECT amount FROM acts WHERE case_id = ?", case_id),
                   ==, 150000);
  g_assert_cmpint (esa_store_test_sql_int (fixture->store, "SELECT count(*) FROM case_event_acts "
                                                           "WHERE event_id = ?", issue), ==, 1);
  /* The act number is searchable at once. */
  g_assert_cmpint (esa_store_test_sql_int (fixture->store,
                                           "SELECT count(*) FROM debtor_search WHERE refs MATCH ?",
                                           "\"ING\""), ==, 1);

  /* Step 3: the notification; the earliest of its deadlines is the time to
   * pay (the print deadline has passed by then). */
  notify = do_step (fixture, fixture->officer, case_id, "record_notification", "2026-01-20",
                    fields_new ("notification_method", "pec", NULL));
  g_clear_pointer (&state, g_free);
  state = case_state (fixture, case_id);
  g_assert_cmpstr (state, ==, "notified");
  payment_due = deadline_due (fixture, "it-coercive", fixture->body_it, "payment", "notified_on",
                              "2026-01-20");
  g_clear_pointer (&deadline, g_free);
  deadline = case_deadline (fixture, case_id);
  g_assert_cmpstr (deadline, ==, payment_due);
  notified_on = esa_store_test_sql_text (fixture->store, "SELECT json_extract(fields, "
                                                         "'$.notified_on') FROM case_events "
                                                         "WHERE id = ?", notify);
  g_assert_cmpstr (notified_on, ==, "2026-01-20");

  /* The reminder waits for the end of the time to pay: blocked, with the
   * day it becomes possible, and refused until then. */
  notified = actions_on (fixture, fixture->officer, case_id, "2026-02-01");
  status = find_status (notified, "send_reminder");
  g_assert_false (status->available);
  g_assert_nonnull (strstr (status->reason, "a reminder can be sent from"));
  payment_end = day (payment_due);
  g_date_add_days (&payment_end, 1);
  g_assert_cmpint (g_date_compare (&status->available_from, &payment_end), ==, 0);
  refuse_step (fixture, fixture->officer, case_id, "send_reminder", "2026-02-01", NULL,
               ESA_STORE_ERROR_INVALID, "a reminder can be sent from");

  /* Step 4: after it, the reminder goes out with its act. */
  {
    g_autofree char *on = esa_date_to_iso (&payment_end);

    remind = do_step (fixture, fixture->officer, case_id, "send_reminder", on, NULL);
  }
  g_clear_pointer (&state, g_free);
  state = case_state (fixture, case_id);
  g_assert_cmpstr (state, ==, "reminded");
  g_assert_cmpint (esa_store_test_sql_int (fixture->store,
                                           "SELECT count(*) FROM acts WHERE case_id = ?", case_id),
                   ==, 2);

  /* Each step: one audit entry under its action, one command. */
  g_assert_cmpint (audit_count (fixture, case_id, "issue_injunction"), ==, 1);
  g_assert_cmpint (audit_count (fixture, case_id, "record_notification"), ==, 1);
  g_assert_cmpint (audit_count (fixture, case_id, "send_reminder"), ==, 1);
  g_assert_cmpint (command_count (fixture, case_id), ==, 5);
  g_assert_cmpint (esa_store_test_sql_int (fixture->store,
                                           "SELECT count(*) FROM outbox WHERE entity_id = ? AND "
                                           "json_extract(payload, '$.event.action') = "
                                           "'issue_injunction' AND "
                                           "json_array_length(payload, '$.acts') = 1", case_id), ==,
                   1);
  g_assert_cmpint (esa_store_test_sql_int (fixture->store,
                                           "SELECT count(*) FROM case_events WHERE case_id = ?",
                                           case_id), ==, 4);

  esa_store_set_acting_user (fixture->store, NULL);
  {
    g_autoptr(GError) error = NULL;
    gint64 checked = 0;

    g_assert_true (esa_store_audit_verify (fixture->store, &checked, &error));
    g_assert_no_error (error);
  }
}

/* A Swiss case from the request to the seizure: the payment order served,
 * the continuation possible twenty days after service and not before. */
static void
test_swiss_case (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *case_id = add_case (fixture, TRUE, "requested", 250000, "2026-03-01");
  g_autoptr(GPtrArray) early = NULL;
  g_autoptr(GPtrArray) later = NULL;
  g_autofree char *order = NULL;
  g_autofree char *serve = NULL;
  g_autofree char *continuation = NULL;
  g_autofree char *seize = NULL;
  g_autofree char *state = NULL;
  g_autofree char *deadline = NULL;
  g_autofree char *opposition_due = NULL;
  g_autofree char *number = NULL;
  g_autofree char *expected_number = NULL;
  const EsaActionStatus *status;
  GDate from = day ("2026-03-04");
  gint64 value;

  order = do_step (fixture, fixture->officer, case_id, "issue_payment_order", "2026-03-02", NULL);
  state = case_state (fixture, case_id);
  g_assert_cmpstr (state, ==, "order_issued");
  number = esa_store_test_sql_text (fixture->store, "SELECT number FROM acts WHERE case_id = ?",
                                    case_id);
  expected_number = first_number (fixture, "ch.act_number.payment_order", "2026-03-02");
  g_assert_cmpstr (number, ==, expected_number);
  /* Nothing started: no deadline. */
  deadline = case_deadline (fixture, case_id);
  g_assert_null (deadline);

  /* A required text is missing; then given. */
  refuse_step (fixture, fixture->officer, case_id, "serve", "2026-03-04", NULL,
               ESA_STORE_ERROR_INVALID, "field served_to: ");
  serve = do_step (fixture, fixture->officer, case_id, "serve", "2026-03-04",
                   fields_new ("served_to", "The debtor in person", "served_on", "2026-03-04",
                               NULL));
  g_clear_pointer (&state, g_free);
  state = case_state (fixture, case_id);
  g_assert_cmpstr (state, ==, "served");
  opposition_due = deadline_due (fixture, "ch-lef", fixture->body_ch, "opposition", "served_on",
                                 "2026-03-04");
  deadline = case_deadline (fixture, case_id);
  g_assert_cmpstr (deadline, ==, opposition_due);

  /* Ten days later: the continuation waits for day 20 after service. */
  early = actions_on (fixture, fixture->officer, case_id, "2026-03-14");
  status = find_status (early, "request_continuation");
  g_assert_false (status->available);
  g_assert_nonnull (strstr (status->reason, "continuation possible from"));
  g_assert_true (g_date_valid (&status->available_from));
  g_assert_cmpint (esa_date_days_between (&from, &status->available_from), >=, 20);
  g_assert_true (find_status (early, "withdraw")->available);
  refuse_step (fixture, fixture->officer, case_id, "request_continuation", "2026-03-14", NULL,
               ESA_STORE_ERROR_INVALID, "continuation possible from");

  /* On the day it opens, it is available and runs. */
  {
    g_autofree char *on = esa_date_to_iso (&status->available_from);
    GDate before_day = status->available_from;

    g_date_subtract_days (&before_day, 1);
    {
      g_autofree char *before_iso = esa_date_to_iso (&before_day);

      later = actions_on (fixture, fixture->officer, case_id, before_iso);
      g_assert_false (find_status (later, "request_continuation")->available);
      g_clear_pointer (&later, g_ptr_array_unref);
    }
    later = actions_on (fixture, fixture->officer, case_id, on);
    g_assert_true (find_status (later, "request_continuation")->available);
    continuation = do_step (fixture, fixture->officer, case_id, "request_continuation", on, NULL);
  }
  g_clear_pointer (&state, g_free);
  state = case_state (fixture, case_id);
  g_assert_cmpstr (state, ==, "continuation_requested");

  /* The seizure with its items: a bad amount names the item and field. */
  refuse_step (fixture, fixture->officer, case_id, "seize", "2026-04-20",
               fields_new ("seizure_kind", "goods", "seized_items",
                           "[{\"description\": \"Car\", \"estimated_value\": \"12,50\"}]", NULL),
               ESA_STORE_ERROR_INVALID, "field seized_items: item 1: estimated_value: ");
  seize = do_step (fixture, fixture->officer, case_id, "seize", "2026-04-20",
                   fields_new ("seizure_kind", "goods", "seized_items",
                               "[{\"description\": \"Car\", \"estimated_value\": \"8000.00\"},"
                               " {\"description\": \"Piano\", \"estimated_value\": \"1500\"}]",
                               NULL));
  g_clear_pointer (&state, g_free);
  state = case_state (fixture, case_id);
  g_assert_cmpstr (state, ==, "seized");
  /* Items keep amounts in minor units. */
  value = esa_store_test_sql_int (fixture->store, "SELECT json_extract(fields, "
                                                  "'$.seized_items[1].estimated_value') "
                                                  "FROM case_events WHERE id = ?", seize);
  g_assert_cmpint (value, ==, 150000);
  g_assert_cmpint (esa_store_test_sql_int (fixture->store,
                                           "SELECT count(*) FROM acts WHERE case_id = ?", case_id),
                   ==, 3);
  g_assert_cmpint (audit_count (fixture, case_id, "serve"), ==, 1);
  g_assert_cmpint (audit_count (fixture, case_id, "seize"), ==, 1);
  g_assert_cmpint (command_count (fixture, case_id), ==, 5);

  /* Realisation: the earliest day from the parameter table, so blocked
   * on the day of the seizure. */
  g_clear_pointer (&later, g_ptr_array_unref);
  later = actions_on (fixture, fixture->officer, case_id, "2026-04-20");
  status = find_status (later, "request_realisation");
  g_assert_false (status->available);
  g_assert_nonnull (strstr (status->reason, "realisation can be requested from"));
}

/* Fields are checked by their type and named when wrong. */
static void
test_fields (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *case_id = add_case (fixture, FALSE, "injunction_issued", 50000, "2026-01-10");

  refuse_step (fixture, fixture->officer, case_id, "record_notification", "2026-02-02",
               fields_new ("notified_on", "2026-02-02", NULL),
               ESA_STORE_ERROR_INVALID, "field notification_method: “Method” is required");
  refuse_step (fixture, fixture->officer, case_id, "record_notification", "2026-02-02",
               fields_new ("notification_method", "fax", NULL),
               ESA_STORE_ERROR_INVALID, "field notification_method: “fax” is not one of: "
               "registered_post, pec, messenger");
  refuse_step (fixture, fixture->officer, case_id, "record_notification", "2026-02-02",
               fields_new ("notification_method", "pec", "notified_on", "2026-02-30", NULL),
               ESA_STORE_ERROR_INVALID, "field notified_on: ");
  refuse_step (fixture, fixture->officer, case_id, "record_notification", NULL,
               fields_new ("notification_method", "pec", "notified_on", "yesterday", NULL),
               ESA_STORE_ERROR_INVALID, "field notified_on: ");
  refuse_step (fixture, fixture->officer, case_id, "record_notification", "2026-02-02",
               fields_new ("notification_method", "pec", "colour", "red", NULL),
               ESA_STORE_ERROR_INVALID, "field colour: the action “record_notification” has "
               "no such field");
  refuse_step (fixture, fixture->officer, case_id, "no_such_action", "2026-02-02", NULL,
               ESA_STORE_ERROR_INVALID, "no_such_action");
  /* Not after today. */
  refuse_step (fixture, fixture->officer, case_id, "record_notification", "2999-01-01",
               fields_new ("notification_method", "pec", NULL),
               ESA_STORE_ERROR_INVALID, "future");

  /* Without a date, the dating field dates the step. */
  {
    g_autoptr(GHashTable) fields = fields_new ("notification_method", "messenger",
                                               "notified_on", "2026-02-03", NULL);
    g_autoptr(GError) error = NULL;
    g_autofree char *event_id = NULL;
    g_autofree char *occurred = NULL;

    esa_store_set_acting_user (fixture->store, fixture->officer);
    event_id = esa_store_case_do (fixture->store, case_id, "record_notification", NULL, fields,
                                  &error);
    g_assert_no_error (error);
    occurred = esa_store_test_sql_text (fixture->store,
                                        "SELECT occurred_on FROM case_events WHERE id = ?",
                                        event_id);
    g_assert_cmpstr (occurred, ==, "2026-02-03");

    /* Nor before the latest step. */
    refuse_step (fixture, fixture->officer, case_id, "suspend", "2026-02-01",
                 fields_new ("suspension_reason", "Review", NULL),
                 ESA_STORE_ERROR_INVALID, "cannot be dated before it");
  }
}

/* Undo puts back state, acts and deadline, and is audited; the number of
 * the removed act is given again. */
static void
test_undo (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *case_id = add_case (fixture, TRUE, "order_issued", 80000, "2026-03-01");
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *serve = NULL;
  g_autofree char *opposition = NULL;
  g_autofree char *again = NULL;
  g_autofree char *state = NULL;
  g_autofree char *deadline = NULL;
  g_autofree char *undone_by = NULL;
  g_autofree char *number = NULL;
  g_autofree char *renumbered = NULL;
  g_autofree char *reissue = NULL;

  /* A step with a deadline and no act. */
  serve = do_step (fixture, fixture->officer, case_id, "serve", "2026-03-04",
                   fields_new ("served_to", "Wife", NULL));
  deadline = case_deadline (fixture, case_id);
  g_assert_nonnull (deadline);

  /* A later step stands: the earlier one cannot be undone. */
  opposition = do_step (fixture, fixture->officer, case_id, "record_opposition", "2026-03-05",
                        NULL);
  esa_store_set_acting_user (fixture->store, fixture->officer);
  g_assert_false (esa_store_case_undo (fixture->store, serve, &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Record an opposition"));
  g_clear_error (&error);

  /* Undo the later, then the earlier. */
  g_assert_true (esa_store_case_undo (fixture->store, opposition, &error));
  g_assert_no_error (error);
  state = case_state (fixture, case_id);
  g_assert_cmpstr (state, ==, "served");
  g_assert_true (esa_store_case_undo (fixture->store, serve, &error));
  g_assert_no_error (error);
  g_clear_pointer (&state, g_free);
  state = case_state (fixture, case_id);
  g_assert_cmpstr (state, ==, "order_issued");
  g_clear_pointer (&deadline, g_free);
  deadline = case_deadline (fixture, case_id);
  g_assert_null (deadline);
  undone_by = esa_store_test_sql_text (fixture->store,
                                       "SELECT undone_by FROM case_events WHERE id = ?", serve);
  g_assert_nonnull (undone_by);
  g_assert_cmpint (audit_count (fixture, case_id, "undo"), ==, 2);
  g_assert_cmpint (esa_store_test_sql_int (fixture->store,
                                           "SELECT count(*) FROM outbox WHERE entity_id = ? AND "
                                           "json_extract(payload, '$.command') = 'undo'",
                                           case_id), ==, 2);

  /* Twice is once too many; an undo is not undone. */
  g_assert_false (esa_store_case_undo (fixture->store, serve, &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "already undone"));
  g_clear_error (&error);
  g_assert_false (esa_store_case_undo (fixture->store, undone_by, &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (esa_store_case_undo (fixture->store, "no-such-step", &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The undone service no longer dates anything: served again later, the
   * deadline runs from the new date. */
  again = do_step (fixture, fixture->officer, case_id, "serve", "2026-03-10",
                   fields_new ("served_to", "The debtor", NULL));
  g_clear_pointer (&deadline, g_free);
  deadline = case_deadline (fixture, case_id);
  {
    g_autofree char *expected = deadline_due (fixture, "ch-lef", fixture->body_ch, "opposition",
                                              "served_on", "2026-03-10");

    g_assert_cmpstr (deadline, ==, expected);
  }

  /* A step with an act: undone, the act goes and its number is free. */
  {
    g_autofree char *case2 = add_case (fixture, TRUE, "requested", 80000, "2026-03-01");
    g_autofree char *issue = do_step (fixture, fixture->officer, case2, "issue_payment_order",
                                      "2026-03-02", NULL);

    number = esa_store_test_sql_text (fixture->store, "SELECT number FROM acts WHERE case_id = ?",
                                      case2);
    g_assert_nonnull (number);
    before = esa_store_test_count_rows (fixture->store, NULL);
    g_assert_true (esa_store_case_undo (fixture->store, issue, &error));
    g_assert_no_error (error);
    g_assert_cmpint (esa_store_test_sql_int (fixture->store,
                                             "SELECT count(*) FROM acts WHERE case_id = ?", case2),
                     ==, 0);
    g_clear_pointer (&state, g_free);
    state = case_state (fixture, case2);
    g_assert_cmpstr (state, ==, "requested");
    reissue = do_step (fixture, fixture->officer, case2, "issue_payment_order", "2026-03-03",
                        NULL);
    renumbered = esa_store_test_sql_text (fixture->store,
                                          "SELECT number FROM acts WHERE case_id = ?", case2);
    g_assert_cmpstr (renumbered, ==, number);
    after = esa_store_test_count_rows (fixture->store, NULL);
    /* Only the journal grew: the undo and the new step. */
    g_assert_cmpint (*(gint64 *) g_hash_table_lookup (after, "acts"), ==,
                     *(gint64 *) g_hash_table_lookup (before, "acts"));
  }
}

/* Once an act of the step has a notification, the step has an effect
 * outside and stays. */
static void
test_undo_after_notification (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *case_id = add_case (fixture, FALSE, "approved", 90000, "2026-01-10");
  g_autoptr(GError) error = NULL;
  g_autofree char *issue = NULL;
  g_autofree char *act_id = NULL;
  g_autofree char *notification = NULL;
  g_autofree char *number = NULL;
  g_autofree char *state = NULL;

  issue = do_step (fixture, fixture->officer, case_id, "issue_injunction", "2026-01-14", NULL);
  act_id = esa_store_test_sql_text (fixture->store,
                                    "SELECT act_id FROM case_event_acts WHERE event_id = ?", issue);
  number = esa_store_test_sql_text (fixture->store, "SELECT number FROM acts WHERE id = ?", act_id);
  notification = esa_store_add_notification (fixture->store, act_id, "pec", "sent", "2026-01-15",
                                             NULL, &error);
  g_assert_no_error (error);

  g_assert_false (esa_store_case_undo (fixture->store, issue, &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, number));
  g_assert_nonnull (strstr (error->message, "notification"));
  state = case_state (fixture, case_id);
  g_assert_cmpstr (state, ==, "injunction_issued");
  g_assert_cmpint (audit_count (fixture, case_id, "undo"), ==, 0);
}

/* A suspension returns to where the case was. */
static void
test_previous_state (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *case_id = add_case (fixture, FALSE, "injunction_issued", 90000, "2026-01-10");
  g_autofree char *notify = NULL;
  g_autofree char *suspend = NULL;
  g_autofree char *resume = NULL;
  g_autofree char *state = NULL;
  g_autoptr(GPtrArray) suspended = NULL;

  notify = do_step (fixture, fixture->officer, case_id, "record_notification", "2026-01-20",
                    fields_new ("notification_method", "registered_post", NULL));
  suspend = do_step (fixture, fixture->resp_b, case_id, "suspend", "2026-01-25",
                     fields_new ("suspension_reason", "Relief request under review", NULL));
  suspended = actions_on (fixture, fixture->resp_b, case_id, "2026-01-26");
  g_assert_cmpstr (find_status (suspended, "resume")->to_state, ==, "notified");
  resume = do_step (fixture, fixture->resp_b, case_id, "resume", "2026-01-26", NULL);
  state = case_state (fixture, case_id);
  g_assert_cmpstr (state, ==, "notified");
}

/* Closing in a final state ends the deadlines. */
static void
test_close (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *case_id = add_case (fixture, TRUE, "order_issued", 0, "2026-03-01");
  g_autofree char *serve = NULL;
  g_autofree char *paid = NULL;
  g_autofree char *closed = NULL;
  g_autofree char *deadline = NULL;

  serve = do_step (fixture, fixture->officer, case_id, "serve", "2026-03-04",
                   fields_new ("served_to", "Wife", NULL));
  paid = do_step (fixture, fixture->officer, case_id, "close_paid", "2026-03-06", NULL);
  closed = esa_store_test_sql_text (fixture->store, "SELECT closed_on FROM cases WHERE id = ?",
                                    case_id);
  g_assert_cmpstr (closed, ==, "2026-03-06");
  deadline = case_deadline (fixture, case_id);
  g_assert_null (deadline);

  /* Undone, it is open again with its deadline. */
  esa_store_set_acting_user (fixture->store, fixture->officer);
  g_assert_true (esa_store_case_undo (fixture->store, paid, NULL));
  g_clear_pointer (&closed, g_free);
  closed = esa_store_test_sql_text (fixture->store, "SELECT closed_on FROM cases WHERE id = ?",
                                    case_id);
  g_assert_null (closed);
  deadline = case_deadline (fixture, case_id);
  g_assert_nonnull (deadline);
}

/* An auditor reads the actions, all blocked, and runs none. */
static void
test_auditor (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *case_id = add_case (fixture, TRUE, "requested", 80000, "2026-03-01");
  g_autoptr(GPtrArray) statuses = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *step = NULL;

  statuses = actions_on (fixture, fixture->auditor, case_id, "2026-03-02");
  g_assert_cmpuint (statuses->len, >, 0);
  for (guint i = 0; i < statuses->len; i++)
    {
      const EsaActionStatus *status = g_ptr_array_index (statuses, i);

      g_assert_false (status->available);
      g_assert_nonnull (strstr (status->reason, "auditor"));
    }
  refuse_step (fixture, fixture->auditor, case_id, "issue_payment_order", "2026-03-02", NULL,
               ESA_STORE_ERROR_FORBIDDEN, "auditor");

  step = do_step (fixture, fixture->officer, case_id, "issue_payment_order", "2026-03-02", NULL);
  esa_store_set_acting_user (fixture->store, fixture->auditor);
  g_assert_false (esa_store_case_undo (fixture->store, step, &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_FORBIDDEN);
}

/* Unknown cases and procedures that are not loaded. */
static void
test_unknown (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *case_id = add_case (fixture, TRUE, "requested", 80000, "2026-03-01");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  g_autoptr(GPtrArray) statuses = NULL;

  statuses = esa_store_case_actions (fixture->store, "no-such-case", NULL, &error);
  g_assert_null (statuses);
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (esa_store_get_case_procedure (fixture->store, "no-such-case", &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (esa_store_get_case_procedure (fixture->store, case_id, &error)
                 == esa_procedure_list_find (fixture->procedures, "ch-lef"));

  esa_store_set_procedures (fixture->store, none, fixture->params);
  statuses = esa_store_case_actions (fixture->store, case_id, NULL, &error);
  g_assert_null (statuses);
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "ch-lef"));
  g_clear_error (&error);
  g_assert_null (esa_store_case_do (fixture->store, case_id, "withdraw", NULL, NULL, &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "ch-lef"));
}

/* Numbers continue after acts that were issued before the steps existed. */
static void
test_numbers_continue (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *case_id = add_case (fixture, FALSE, "approved", 90000, "2026-01-10");
  g_autofree char *old_number = NULL;
  g_autofree char *old_id = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *number = NULL;
  g_autofree char *issue = NULL;
  g_autoptr(GError) error = NULL;
  EsaAct act = { 0 };
  GDate date = day ("2026-01-14");
  const char *prefix = esa_parameters_get_text (fixture->params, "it.act_number.injunction",
                                                &date, NULL, NULL);

  old_number = g_strdup_printf ("%s-2026-000041", prefix);
  act.case_id = case_id;
  act.type = (char *) "injunction";
  act.number = old_number;
  act.issued_on = (char *) "2026-01-11";
  old_id = esa_store_add_act (fixture->store, &act, &error);
  g_assert_no_error (error);

  issue = do_step (fixture, fixture->officer, case_id, "issue_injunction", "2026-01-14", NULL);
  number = esa_store_test_sql_text (fixture->store, "SELECT a.number FROM acts a "
                                                    "JOIN case_event_acts ea ON ea.act_id = a.id "
                                                    "WHERE ea.event_id = ?", issue);
  expected = g_strdup_printf ("%s-2026-000042", prefix);
  g_assert_cmpstr (number, ==, expected);
}

/* The cases due, soonest first, open ones only. */
static void
test_cases_due (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *late = add_case (fixture, TRUE, "order_issued", 80000, "2026-03-01");
  g_autofree char *early = add_case (fixture, TRUE, "order_issued", 80000, "2026-03-01");
  g_autofree char *closed = add_case (fixture, TRUE, "order_issued", 0, "2026-03-01");
  g_autofree char *none = add_case (fixture, TRUE, "order_issued", 80000, "2026-03-01");
  g_autofree char *s1 = NULL, *s2 = NULL, *s3 = NULL, *s4 = NULL;
  g_autofree char *none_due = NULL;
  g_autofree char *late_due = NULL;
  g_autofree char *early_due = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) until = NULL;
  g_autoptr(GPtrArray) one = NULL;
  g_autoptr(GError) error = NULL;

  s1 = do_step (fixture, fixture->officer, late, "serve", "2026-03-20",
                fields_new ("served_to", "Wife", NULL));
  s2 = do_step (fixture, fixture->officer, early, "serve", "2026-03-02",
                fields_new ("served_to", "Son", NULL));
  s3 = do_step (fixture, fixture->officer, closed, "serve", "2026-03-03",
                fields_new ("served_to", "Son", NULL));
  s4 = do_step (fixture, fixture->officer, closed, "close_paid", "2026-03-04", NULL);
  late_due = case_deadline (fixture, late);
  early_due = case_deadline (fixture, early);
  g_assert_cmpstr (early_due, <, late_due);
  none_due = case_deadline (fixture, none);
  g_assert_null (none_due);

  all = esa_store_cases_due (fixture->store, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 2);
  g_assert_cmpstr (((EsaCase *) all->pdata[0])->id, ==, early);
  g_assert_cmpstr (((EsaCase *) all->pdata[1])->id, ==, late);
  g_assert_cmpstr (((EsaCase *) all->pdata[0])->next_deadline, ==, early_due);
  g_assert_cmpstr (((EsaCase *) all->pdata[0])->officer_name, ==, "officer");

  until = esa_store_cases_due (fixture->store, early_due, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (until->len, ==, 1);
  g_assert_cmpstr (((EsaCase *) until->pdata[0])->id, ==, early);

  one = esa_store_cases_due (fixture->store, NULL, 1, &error);
  g_assert_cmpuint (one->len, ==, 1);

  g_assert_null (esa_store_cases_due (fixture->store, "March", 0, &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
}

/* The demo data records the steps that led each case to its state, so
 * that the next steps of a demo case are evaluated as for a real one: the
 * continuation of a served Swiss case is available for some and, for
 * others, blocked until a day it names. */
static void
test_demo (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaParameters) params = NULL;
  g_autoptr(GPtrArray) procedures = NULL;
  g_autoptr(EsaStore) store = esa_store_test_open_memory (&params, &procedures);
  g_autofree char *officer = NULL;
  EsaDemoOptions options;
  sqlite3_stmt *stmt = NULL;
  GDate today = day ("2026-11-23");
  guint continuation_available = 0;
  guint continuation_later = 0;
  guint evaluated = 0;

  esa_demo_options_init (&options);
  options.debtors = 400;
  options.seed = 11;
  options.today = "2026-11-23";
  g_assert_true (esa_demo_generate (store, &options, &error));
  g_assert_no_error (error);

  /* Every case but those just requested has steps; the last one standing
   * led to the case's state; every act came from a step. */
  g_assert_cmpint (esa_store_test_sql_int (store, "SELECT count(*) FROM case_events", NULL), >,
                   esa_store_test_sql_int (store, "SELECT count(*) FROM cases", NULL));
  g_assert_cmpint (esa_store_test_sql_int (store,
                                           "SELECT count(*) FROM cases c "
                                           "WHERE c.state <> 'requested' AND "
                                           "c.state IS NOT (SELECT to_state FROM case_events "
                                           "  WHERE case_id = c.id ORDER BY seq DESC LIMIT 1)",
                                           NULL), ==, 0);
  g_assert_cmpint (esa_store_test_sql_int (store, "SELECT count(*) FROM cases c "
                                                  "WHERE c.state = 'requested' "
                                                  "AND EXISTS (SELECT 1 FROM case_events "
                                                  "WHERE case_id = c.id)", NULL), ==, 0);
  g_assert_cmpint (esa_store_test_sql_int (store, "SELECT count(*) FROM case_events "
                                                  "WHERE NOT json_valid(fields)", NULL), ==, 0);
  g_assert_cmpint (esa_store_test_sql_int (store, "SELECT count(*) FROM acts WHERE id NOT IN "
                                                  "(SELECT act_id FROM case_event_acts)", NULL), ==,
                   0);
  g_assert_cmpint (esa_store_test_sql_int (store, "SELECT count(*) FROM case_events "
                                                  "WHERE action = 'serve' AND "
                                                  "json_extract(fields, '$.served_on') IS NULL",
                                           NULL), ==, 0);

  /* Every open case can be evaluated. */
  officer = esa_store_test_sql_text (store, "SELECT id FROM users WHERE role = 'officer' LIMIT 1",
                                     NULL);
  esa_store_set_acting_user (store, officer);
  g_assert_cmpint (sqlite3_prepare_v2 (_esa_store_get_db (store),
                                       "SELECT id, state FROM cases WHERE closed_on IS NULL",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      const char *state = (const char *) sqlite3_column_text (stmt, 1);
      g_autoptr(GPtrArray) statuses = esa_store_case_actions (store, id, &today, &error);

      g_assert_no_error (error);
      g_assert_nonnull (statuses);
      evaluated++;
      if (!g_str_equal (state, "served"))
        continue;

      for (guint i = 0; i < statuses->len; i++)
        {
          const EsaActionStatus *status = g_ptr_array_index (statuses, i);

          if (!g_str_equal (status->action->id, "request_continuation"))
            continue;
          if (status->available)
            continuation_available++;
          else if (g_date_valid (&status->available_from)
                   && strstr (status->reason, "continuation possible from") != NULL)
            continuation_later++;
        }
    }
  sqlite3_finalize (stmt);

  g_assert_cmpuint (evaluated, >, 100);
  g_assert_cmpuint (continuation_available, >, 0);
  g_assert_cmpuint (continuation_later, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/case-actions/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("italian-case", test_italian_case);
  ADD ("swiss-case", test_swiss_case);
  ADD ("fields", test_fields);
  ADD ("undo", test_undo);
  ADD ("undo-after-notification", test_undo_after_notification);
  ADD ("previous-state", test_previous_state);
  ADD ("close", test_close);
  ADD ("auditor", test_auditor);
  ADD ("unknown", test_unknown);
  ADD ("numbers-continue", test_numbers_continue);
  ADD ("cases-due", test_cases_due);

#undef ADD

  g_test_add_func ("/case-actions/demo", test_demo);

  return g_test_run ();
}
