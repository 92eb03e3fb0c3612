/* test-roles.c: the store refuses every write an officer triggers that the
 * acting user's role may not do, by the roles table
 * (data/parameters/roles.json), one test per group of the table; and the
 * table, not the code, decides
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <string.h>

#include "esa-core.h"
#include "esa-roles.h"
#include "esa-store-cases.h"
#include "esa-store-instalments.h"
#include "esa-store-load-lists.h"
#include "esa-store-test.h"
#include "esa-store-tickets.h"

typedef struct
{
  EsaStore      *store;
  EsaParameters *params;
  GPtrArray     *procedures;
} Fixture;

/* One user of every role in one office serving an Italian body; a debtor
 * with an open case at its first step; a load list awaiting approval,
 * imported by the officer. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->store = esa_store_test_open_memory (&fixture->params, &fixture->procedures);

  esa_store_test_exec (fixture->store,
                       "INSERT INTO bodies (id, name, country, currency) "
                       "  VALUES ('b', 'Comune di Esempio', 'IT', 'EUR');"
                       "INSERT INTO offices (id, name, country) "
                       "  VALUES ('o', 'Sede centrale', 'IT');"
                       "INSERT INTO office_bodies (office_id, body_id) VALUES ('o', 'b');"
                       "INSERT INTO users (id, name, login, role, office_id) VALUES "
                       "  ('officer', 'Anna Rossi', 'anna', 'officer', 'o'),"
                       "  ('field_officer', 'Bruno Neri', 'bruno', 'field_officer', 'o'),"
                       "  ('team_lead', 'Laura Capo', 'laura', 'team_lead', 'o'),"
                       "  ('responsible', 'Franco Blu', 'franco', 'responsible', 'o'),"
                       "  ('contact_operator', 'Dario Verdi', 'dario', "
                       "   'contact_operator', 'o'),"
                       "  ('administrator', 'Ivo Grigi', 'ivo', 'administrator', 'o'),"
                       "  ('auditor', 'Elena Gialli', 'elena', 'auditor', 'o');"
                       "INSERT INTO debtors (id, kind, name, office_id) "
                       "  VALUES ('d', 'person', 'Mario Bianchi', 'o');"
                       "INSERT INTO cases (id, debtor_id, body_id, office_id, "
                       "  procedure_id, state, officer_id, opened_on) "
                       "  VALUES ('c', 'd', 'b', 'o', 'it-coercive', 'loaded', "
                       "  'officer', '2026-01-15');"
                       "INSERT INTO load_lists (id, body_id, reference, revenue_type, "
                       "  year, received_on, state, imported_by) VALUES ('ll', 'b', "
                       "  'TARI-2026-1', 'TARI', 2026, '2026-11-01', 'imported', "
                       "  'officer');");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  g_clear_pointer (&fixture->procedures, g_ptr_array_unref);
  g_clear_object (&fixture->params);
}

static gint64
count_audit (EsaStore *store)
{
  return esa_store_test_sql_int (store, "SELECT count(*) FROM audit", NULL);
}

/* A refusal is FORBIDDEN, says the role's reason, and writes nothing. */
static void
assert_forbidden (EsaStore   *store,
                  GError     *error,
                  gint64      audit_before,
                  const char *role,
                  const char *action_id)
{
  g_autofree char *reason = NULL;

  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_FORBIDDEN);
  g_assert_false (esa_roles_allows (role, action_id, &reason));
  g_assert_nonnull (strstr (error->message, reason));
  g_assert_cmpint (count_audit (store), ==, audit_before);
}

/* The first action the procedure offers the case, for the officer. */
static char *
first_available_action (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) statuses = NULL;

  esa_store_set_acting_user (fixture->store, "officer");
  statuses = esa_store_case_actions (fixture->store, "c", NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < statuses->len; i++)
    {
      const EsaActionStatus *status = g_ptr_array_index (statuses, i);

      if (status->available)
        return g_strdup (status->action->id);
    }
  g_assert_not_reached ();
  return NULL;
}

static void
test_case_step (Fixture       *fixture,
                gconstpointer  data)
{
  static const char * const refused[] = { "auditor", "contact_operator" };
  g_autofree char *action = first_available_action (fixture);

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) statuses = NULL;
      g_autofree char *event = NULL;
      gint64 before = count_audit (fixture->store);

      esa_store_set_acting_user (fixture->store, refused[i]);
      event = esa_store_case_do (fixture->store, "c", action, NULL, NULL, &error);
      g_assert_null (event);
      assert_forbidden (fixture->store, error, before, refused[i], ESA_ACTION_CASE_STEP);

      /* Next steps shows every action blocked, with the same reason. */
      g_clear_error (&error);
      statuses = esa_store_case_actions (fixture->store, "c", NULL, &error);
      g_assert_no_error (error);
      for (guint j = 0; j < statuses->len; j++)
        {
          const EsaActionStatus *status = g_ptr_array_index (statuses, j);

          g_assert_false (status->available);
          g_assert_nonnull (strstr (status->reason,
                                    esa_roles_describe_action (ESA_ACTION_CASE_STEP)));
        }
    }

  {
    g_autoptr(GError) error = NULL;
    g_autofree char *event = NULL;

    esa_store_set_acting_user (fixture->store, "field_officer");
    event = esa_store_case_do (fixture->store, "c", action, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (event);
  }
}

static void
test_load_list (Fixture       *fixture,
                gconstpointer  data)
{
  static const char * const refused[] = { "contact_operator", "team_lead" };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 before = count_audit (fixture->store);

      g_assert_false (esa_store_approve_load_list (fixture->store, "ll", refused[i], &error));
      g_test_message ("%s", error->message);
      assert_forbidden (fixture->store, error, before, refused[i],
                        ESA_ACTION_LOAD_LIST_APPROVE);
    }

  /* Importing (here: keeping the body's column mapping) is an officer's. */
  {
    g_autoptr(GError) error = NULL;
    gint64 before = count_audit (fixture->store);

    esa_store_set_acting_user (fixture->store, "contact_operator");
    g_assert_false (esa_store_set_load_list_mapping (fixture->store, "b", "{}", &error));
    assert_forbidden (fixture->store, error, before, "contact_operator",
                      ESA_ACTION_LOAD_LIST_IMPORT);
  }

  /* The responsible officer may; the four-eyes rule still holds for the
   * officer who imported it, whatever the table says. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (esa_store_approve_load_list (fixture->store, "ll", "responsible", &error));
    g_assert_no_error (error);
  }
}

static void
test_debtor_and_contacts (Fixture       *fixture,
                          gconstpointer  data)
{
  EsaContactEntry entry = { NULL, (char *) "d", (char *) "phone", (char *) "in",
                            (char *) "2026-11-20T10:00:00Z", NULL, NULL,
                            (char *) "Asks for the amount due", NULL, 120 };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  gint64 before = count_audit (fixture->store);

  esa_store_set_acting_user (fixture->store, "auditor");
  g_assert_false (esa_store_update_debtor_field (fixture->store, "d", "name",
                                                 "Mario Bianchi Rossi", &error));
  assert_forbidden (fixture->store, error, before, "auditor", ESA_ACTION_DEBTOR_EDIT);
  g_clear_error (&error);

  id = esa_store_add_contact_entry (fixture->store, &entry, &error);
  g_assert_null (id);
  assert_forbidden (fixture->store, error, before, "auditor", ESA_ACTION_CONTACT_LOG);
  g_clear_error (&error);

  /* A contact-center operator corrects the name and logs the call. */
  esa_store_set_acting_user (fixture->store, "contact_operator");
  entry.user_id = (char *) "contact_operator";
  g_assert_true (esa_store_update_debtor_field (fixture->store, "d", "name",
                                                "Mario Bianchi Rossi", &error));
  g_assert_no_error (error);
  id = esa_store_add_contact_entry (fixture->store, &entry, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
}

static void
test_documents (Fixture       *fixture,
                gconstpointer  data)
{
  EsaDocument document = { NULL, (char *) "d", (char *) "c", NULL, (char *) "Injunction",
                           (char *) "application/pdf",
                           (char *) "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b"
                                    "7852b855", 0, NULL };
  static const char * const refused[] = { "auditor", "contact_operator" };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *id = NULL;
      gint64 before = count_audit (fixture->store);

      esa_store_set_acting_user (fixture->store, refused[i]);
      id = esa_store_add_document (fixture->store, &document, &error);
      g_assert_null (id);
      assert_forbidden (fixture->store, error, before, refused[i], ESA_ACTION_DOCUMENT_PRINT);
    }
}

static void
test_instalments_and_tickets (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  EsaTicketSpec spec = { 0 };
  g_autofree char *ticket = NULL;
  gint64 before = count_audit (fixture->store);

  /* The refusal comes before the proposal is looked for. */
  esa_store_set_acting_user (fixture->store, "officer");
  g_assert_false (esa_store_instalment_confirm (fixture->store, fixture->params, "no-such",
                                                NULL, &error));
  assert_forbidden (fixture->store, error, before, "officer", ESA_ACTION_INSTALMENT_CONFIRM);
  g_clear_error (&error);

  spec.debtor_id = "d";
  spec.subject = "Asks for an instalment plan";
  spec.urgency = ESA_TICKET_URGENCY_NORMAL;
  esa_store_set_acting_user (fixture->store, "auditor");
  ticket = esa_store_open_ticket (fixture->store, &spec, NULL, &error);
  g_assert_null (ticket);
  assert_forbidden (fixture->store, error, before, "auditor", ESA_ACTION_TICKET_OPEN);
}

/* The table decides: parameters whose case.step table leaves the officer
 * out make the store refuse the officer's step. */
static void
test_table_decides (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaParameters) params = NULL;
  g_autofree char *dir = g_dir_make_tmp ("esa-roles-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *action = first_available_action (fixture);
  g_autofree char *event = NULL;
  const char *json =
    "{ \"tables\": [ { \"name\": \"roles.case.step\", \"unit\": \"text\", \"entries\": ["
    "  { \"valid_from\": \"2000-01-01\", \"value\": \"team_lead\" } ] } ] }";

  g_assert_no_error (error);
  path = g_build_filename (dir, "roles.json", NULL);
  g_assert_true (g_file_set_contents (path, json, -1, &error));
  params = esa_parameters_new ();
  g_assert_true (esa_parameters_load_file (params, path, &error));
  g_assert_no_error (error);

  esa_store_set_procedures (fixture->store, fixture->procedures, params);
  esa_store_set_acting_user (fixture->store, "officer");
  event = esa_store_case_do (fixture->store, "c", action, NULL, NULL, &error);
  g_assert_null (event);
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_FORBIDDEN);
  g_assert_nonnull (strstr (error->message, esa_roles_describe_action (ESA_ACTION_CASE_STEP)));

  g_remove (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/roles/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("case-step", test_case_step);
  ADD ("load-list", test_load_list);
  ADD ("debtor-and-contacts", test_debtor_and_contacts);
  ADD ("documents", test_documents);
  ADD ("instalments-and-tickets", test_instalments_and_tickets);
  ADD ("table-decides", test_table_decides);
#undef ADD

  return g_test_run ();
}
