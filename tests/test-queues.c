/* test-queues.c: work queues, bulk reassignment and its undo, the
 * dashboard, the contact center (tickets, contacts, knowledge cards,
 * appointments, statistics) and the role checks of the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "esa-core.h"
#include "esa-store-private.h"
#include "esa-store-queues.h"
#include "esa-store-test.h"
#include "esa-store-tickets.h"

#define N_CASES 10000
#define TODAY "2026-11-23"

typedef struct
{
  EsaStore      *store;
  EsaParameters *params;
  GPtrArray     *procedures;
} Fixture;

/* Two offices, an Italian body, users of several roles, 200 debtors and
 * N_CASES open cases with deadlines around TODAY: a third assigned to
 * Anna (u-a), a third to Bruno (u-b), the rest unassigned; a load list
 * waiting to be verified. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db;

  fixture->store = esa_store_test_open_memory (&fixture->params, &fixture->procedures);

  esa_store_test_exec (fixture->store,
                       "BEGIN;"
                       "INSERT INTO bodies (id, name, country, currency) "
                       "  VALUES ('b-it', 'Comune di Esempio', 'IT', 'EUR');"
                       "INSERT INTO offices (id, name, country) "
                       "  VALUES ('o-1', 'Sede centrale', 'IT');"
                       "INSERT INTO offices (id, name, country) "
                       "  VALUES ('o-2', 'Sportello nord', 'IT');"
                       "INSERT INTO office_bodies (office_id, body_id) VALUES ('o-1', 'b-it');"
                       "INSERT INTO users (id, name, login, role, office_id) VALUES "
                       "  ('u-lead', 'Laura Capo', 'laura', 'team_lead', 'o-1'),"
                       "  ('u-a', 'Anna Rossi', 'anna', 'officer', 'o-1'),"
                       "  ('u-b', 'Bruno Bianchi', 'bruno', 'officer', 'o-1'),"
                       "  ('u-c', 'Carla Verdi', 'carla', 'officer', 'o-2'),"
                       "  ('u-cc', 'Dario Neri', 'dario', 'contact_operator', 'o-1'),"
                       "  ('u-aud', 'Elena Gialli', 'elena', 'auditor', 'o-1'),"
                       "  ('u-resp', 'Franco Blu', 'franco', 'responsible', 'o-1');"
                       "INSERT INTO load_lists (id, body_id, reference, revenue_type, year, "
                       "  received_on, state, imported_by) "
                       "  VALUES ('ll-1', 'b-it', 'TARI-2026-1', 'TARI', 2026, '2026-11-01', "
                       "  'imported', 'u-resp');");

  db = _esa_store_get_db (fixture->store);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO debtors (id, kind, name, office_id) "
                                       "VALUES (?1, 'person', ?2, 'o-1')",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *id = g_strdup_printf ("d-%03u", i);
      g_autofree char *name = g_strdup_printf ("Debitore %03u", i);

      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO cases (id, debtor_id, body_id, "
                                       "office_id, procedure_id, state, officer_id, opened_on, "
                                       "next_deadline, next_deadline_label) "
                                       "VALUES (?1, ?2, 'b-it', ?3, 'it-coercive', "
                                       "'injunction_notified', ?4, '2026-01-15', ?5, "
                                       "'Payment deadline of the injunction')",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < N_CASES; i++)
    {
      static const char * const officers[] = { "u-a", "u-b", NULL };
      g_autofree char *id = g_strdup_printf ("c-%05u", i);
      g_autofree char *debtor = g_strdup_printf ("d-%03u", i % 200);
      GDate due;
      char due_iso[16];

      /* Deadlines from 30 days before TODAY to 30 days after. */
      g_date_clear (&due, 1);
      g_date_set_dmy (&due, 23, G_DATE_NOVEMBER, 2026);
      if (i % 61 < 30)
        g_date_subtract_days (&due, 30 - i % 61);
      else
        g_date_add_days (&due, i % 61 - 30);
      g_date_strftime (due_iso, sizeof due_iso, "%Y-%m-%d", &due);

      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, debtor, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, i % 10 == 9 ? "o-2" : "o-1", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, officers[i % 3], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, due_iso, -1, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  esa_store_test_exec (fixture->store, "COMMIT");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  g_clear_pointer (&fixture->procedures, g_ptr_array_unref);
  g_clear_object (&fixture->params);
}

static GPtrArray *
all_items (EsaStore *store)
{
  g_autoptr(GError) error = NULL;
  EsaQueueFilter filter = { .today = TODAY };
  GPtrArray *items = esa_store_queue_items (store, &filter, &error);

  g_assert_no_error (error);
  g_assert_nonnull (items);
  return items;
}

/* "id assignee" per item, in queue order. */
static char *
snapshot (EsaStore *store)
{
  g_autoptr(GPtrArray) items = all_items (store);
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < items->len; i++)
    {
      EsaQueueItem *item = g_ptr_array_index (items, i);

      g_string_append_printf (text, "%s %s %s\n", item->id,
                              item->assignee_id != NULL ? item->assignee_id : "-", item->due_on);
    }
  return g_string_free (text, FALSE);
}

static void
test_items_sorted (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) items = all_items (fixture->store);
  g_autoptr(GPtrArray) mine = NULL;
  g_autoptr(GPtrArray) overdue = NULL;
  g_autoptr(GPtrArray) grouped = NULL;
  g_autoptr(GError) error = NULL;
  EsaQueueFilter filter = { .today = TODAY };
  gboolean saw_service_level = FALSE;

  /* The cases and the load list to verify (received 1 November, 25 days). */
  g_assert_cmpuint (items->len, ==, N_CASES + 1);
  for (guint i = 1; i < items->len; i++)
    {
      EsaQueueItem *a = g_ptr_array_index (items, i - 1);
      EsaQueueItem *b = g_ptr_array_index (items, i);

      g_assert_cmpstr (a->due_on, <=, b->due_on);
    }
  for (guint i = 0; i < items->len; i++)
    {
      EsaQueueItem *item = g_ptr_array_index (items, i);

      if (item->kind == ESA_QUEUE_KIND_SERVICE_LEVEL)
        {
          saw_service_level = TRUE;
          g_assert_cmpstr (item->id, ==, "sl:load_list_verify:ll-1");
          g_assert_cmpstr (item->due_on, ==, "2026-11-26");
          g_assert_cmpint (item->when, ==, ESA_QUEUE_WHEN_WEEK);
          g_assert_cmpstr (item->assignee_id, ==, "u-resp");
          g_assert_cmpstr (item->office_id, ==, "o-1");
        }
    }
  g_assert_true (saw_service_level);

  filter.user_id = "u-a";
  filter.office_id = "o-1";
  mine = esa_store_queue_items (fixture->store, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mine->len, ==,
                    esa_store_test_sql_int (fixture->store,
                                            "SELECT count(*) FROM cases WHERE officer_id = ?1 "
                                            "AND office_id = 'o-1'", "u-a"));

  filter.user_id = NULL;
  filter.office_id = NULL;
  filter.when = ESA_QUEUE_WHEN_OVERDUE;
  overdue = esa_store_queue_items (fixture->store, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (overdue->len, ==, esa_store_test_sql_int (fixture->store,
                                                              "SELECT count(*) FROM cases "
                                                              "WHERE next_deadline < ?1", TODAY));
  for (guint i = 0; i < overdue->len; i++)
    g_assert_cmpstr (((EsaQueueItem *) g_ptr_array_index (overdue, i))->due_on, <, TODAY);

  filter.when = ESA_QUEUE_WHEN_ALL;
  filter.group = ESA_QUEUE_GROUP_OFFICER;
  grouped = esa_store_queue_items (fixture->store, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (grouped->len, ==, items->len);
  {
    EsaQueueItem *first = g_ptr_array_index (grouped, 0);
    EsaQueueItem *last = g_ptr_array_index (grouped, grouped->len - 1);
    g_autofree char *first_label = esa_queue_item_group_label (first, ESA_QUEUE_GROUP_OFFICER);

    g_assert_cmpstr (first->assignee_name, ==, "Anna Rossi");
    g_assert_cmpstr (first_label, ==, "Anna Rossi");
    g_assert_null (last->assignee_id);
  }
}

/* 10,000 items given to Carla and taken back: the queue is as before,
 * item by item. */
static void
test_reassign_undo_10000 (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) items = all_items (fixture->store);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) undo_results = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = snapshot (fixture->store);
  g_autofree char *restored = NULL;
  g_autofree char *batch_id = NULL;
  gint64 outbox_before, audit_before, checked = 0;
  guint done = 0;

  /* Every case item and the load list; Carla already has none. */
  for (guint i = 0; i < items->len && ids->len < N_CASES; i++)
    {
      EsaQueueItem *item = g_ptr_array_index (items, i);

      g_ptr_array_add (ids, g_strdup (item->id));
    }
  g_assert_cmpuint (ids->len, ==, N_CASES);
  g_ptr_array_add (ids, g_strdup ("case:no-such-case"));

  esa_store_set_acting_user (fixture->store, "u-lead");
  outbox_before = esa_store_count_pending_ops (fixture->store, &error);
  g_assert_no_error (error);
  audit_before = esa_store_test_sql_int (fixture->store, "SELECT count(*) FROM audit", NULL);

  g_assert_true (esa_store_queue_reassign (fixture->store, (const char * const *) ids->pdata,
                                           ids->len, "u-c", &batch_id, &results, &error));
  g_assert_no_error (error);
  g_assert_nonnull (batch_id);
  g_assert_cmpuint (results->len, ==, ids->len);
  for (guint i = 0; i < results->len; i++)
    {
      EsaQueueItemResult *result = g_ptr_array_index (results, i);

      g_assert_cmpstr (result->item_id, ==, g_ptr_array_index (ids, i));
      if (result->code == ESA_QUEUE_RESULT_DONE)
        done++;
    }
  g_assert_cmpuint (done, ==, N_CASES);
  g_assert_cmpint (((EsaQueueItemResult *) g_ptr_array_index (results, N_CASES))->code, ==,
                   ESA_QUEUE_RESULT_NOT_FOUND);

  after = all_items (fixture->store);
  for (guint i = 0, carla = 0; i < after->len; i++)
    {
      EsaQueueItem *item = g_ptr_array_index (after, i);

      if (g_strcmp0 (item->assignee_id, "u-c") == 0)
        carla++;
      if (i == after->len - 1)
        g_assert_cmpuint (carla, ==, N_CASES);
    }
  /* One audit entry and one outbox operation per item, and the batch's. */
  g_assert_cmpint (esa_store_count_pending_ops (fixture->store, NULL), ==,
                   outbox_before + N_CASES + 1);
  g_assert_cmpint (esa_store_test_sql_int (fixture->store, "SELECT count(*) FROM audit", NULL), ==,
                   audit_before + N_CASES + 1);

  g_assert_true (esa_store_queue_undo_batch (fixture->store, batch_id, &undo_results, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (undo_results->len, ==, N_CASES);
  for (guint i = 0; i < undo_results->len; i++)
    g_assert_cmpint (((EsaQueueItemResult *) g_ptr_array_index (undo_results, i))->code, ==,
                     ESA_QUEUE_RESULT_DONE);

  restored = snapshot (fixture->store);
  g_assert_cmpstr (restored, ==, before);
  g_assert_cmpint (esa_store_test_sql_int (fixture->store, "SELECT count(*) FROM queue_assignments",
                                           NULL), ==, 0);
  g_assert_true (esa_store_audit_verify (fixture->store, &checked, &error));
  g_assert_no_error (error);
  g_assert_cmpint (checked, >, 2 * N_CASES);

  /* Once only. */
  g_assert_false (esa_store_queue_undo_batch (fixture->store, batch_id, NULL, &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
}

/* An item reassigned again after the batch is left as it is by the undo. */
static void
test_undo_skips_changed (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *ids[] = { "case:c-00000", "case:c-00001", "sl:load_list_verify:ll-1" };
  const char *again[] = { "case:c-00001" };
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) preview = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *batch_id = NULL;
  g_autofree char *second = NULL;
  g_autoptr(EsaQueueItem) item0 = NULL;
  g_autoptr(EsaQueueItem) item1 = NULL;
  g_autoptr(EsaQueueItem) list_item = NULL;

  esa_store_set_acting_user (fixture->store, "u-lead");
  preview = esa_store_queue_reassign_preview (fixture->store, ids, 3, "u-a", &error);
  g_assert_no_error (error);
  /* c-00000 is Anna's already. */
  g_assert_cmpint (((EsaQueueItemResult *) g_ptr_array_index (preview, 0))->code, ==,
                   ESA_QUEUE_RESULT_UNCHANGED);
  g_assert_cmpint (((EsaQueueItemResult *) g_ptr_array_index (preview, 1))->code, ==,
                   ESA_QUEUE_RESULT_DONE);
  g_assert_cmpint (esa_store_test_sql_int (fixture->store, "SELECT count(*) FROM queue_batches",
                                           NULL), ==, 0);

  g_assert_true (esa_store_queue_reassign (fixture->store, ids, 3, "u-a", &batch_id, NULL,
                                           &error));
  g_assert_no_error (error);
  list_item = esa_store_queue_get_item (fixture->store, "sl:load_list_verify:ll-1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (list_item->assignee_id, ==, "u-a");

  g_assert_true (esa_store_queue_reassign (fixture->store, again, 1, "u-c", &second, NULL,
                                           &error));
  g_assert_no_error (error);

  g_assert_true (esa_store_queue_undo_batch (fixture->store, batch_id, &results, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 2);

  item0 = esa_store_queue_get_item (fixture->store, "case:c-00000", &error);
  item1 = esa_store_queue_get_item (fixture->store, "case:c-00001", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (item0->assignee_id, ==, "u-a");
  g_assert_cmpstr (item1->assignee_id, ==, "u-c");
  g_clear_pointer (&list_item, esa_queue_item_free);
  list_item = esa_store_queue_get_item (fixture->store, "sl:load_list_verify:ll-1", &error);
  g_assert_cmpstr (list_item->assignee_id, ==, "u-resp");
}

static void
test_roles_refused (Fixture       *fixture,
                    gconstpointer  data)
{
  const char *ids[] = { "case:c-00001" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) mine = NULL;
  g_autoptr(GPtrArray) team = NULL;
  g_autofree char *batch_id = NULL;
  g_autofree char *ticket_id = NULL;
  gint64 audit_before = esa_store_test_sql_int (fixture->store, "SELECT count(*) FROM audit", NULL);
  EsaQueueFilter own = { .user_id = "u-a", .today = TODAY };
  EsaQueueFilter everyone = { .today = TODAY };
  EsaTicketSpec spec = { .debtor_id = "d-001", .subject = "Richiesta rateizzazione" };

  /* An officer reads their own queue, not the team's, and reassigns nothing. */
  esa_store_set_acting_user (fixture->store, "u-a");
  mine = esa_store_queue_items (fixture->store, &own, &error);
  g_assert_no_error (error);
  g_assert_nonnull (mine);
  team = esa_store_queue_items (fixture->store, &everyone, &error);
  g_assert_null (team);
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_false (esa_store_queue_reassign (fixture->store, ids, 1, "u-a", &batch_id, NULL,
                                            &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_FORBIDDEN);
  g_assert_nonnull (strstr (error->message, esa_roles_describe_action (ESA_ACTION_QUEUE_REASSIGN)));
  g_clear_error (&error);

  /* A contact-center operator and an auditor may not either. */
  esa_store_set_acting_user (fixture->store, "u-cc");
  g_assert_false (esa_store_queue_reassign (fixture->store, ids, 1, "u-a", NULL, NULL, &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_FORBIDDEN);
  g_clear_error (&error);
  esa_store_set_acting_user (fixture->store, "u-aud");
  g_assert_false (esa_store_queue_reassign (fixture->store, ids, 1, "u-a", NULL, NULL, &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_FORBIDDEN);
  g_clear_error (&error);
  /* The auditor reads, and opens no ticket. */
  g_clear_pointer (&team, g_ptr_array_unref);
  team = esa_store_queue_items (fixture->store, &everyone, &error);
  g_assert_no_error (error);
  ticket_id = esa_store_open_ticket (fixture->store, &spec, NULL, &error);
  g_assert_null (ticket_id);
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_FORBIDDEN);
  g_clear_error (&error);

  /* A user not in the database is refused too. */
  esa_store_set_acting_user (fixture->store, "u-nobody");
  g_assert_false (esa_store_queue_reassign (fixture->store, ids, 1, "u-a", NULL, NULL, &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_FORBIDDEN);
  g_clear_error (&error);

  /* Nothing changed, nothing was journaled. */
  g_assert_cmpint (esa_store_test_sql_int (fixture->store, "SELECT count(*) FROM audit", NULL), ==,
                   audit_before);
  g_assert_cmpint (esa_store_test_sql_int (fixture->store,
                                           "SELECT count(*) FROM cases WHERE id = 'c-00001' "
                                           "AND officer_id = 'u-b'", NULL), ==, 1);
}

static void
test_tickets (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *id2 = NULL;
  g_autofree char *reference = NULL;
  g_autofree char *reference2 = NULL;
  g_autoptr(EsaTicket) ticket = NULL;
  g_autoptr(EsaTicket) closed = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) open = NULL;
  g_autoptr(GPtrArray) queue = NULL;
  EsaTicketSpec spec = {
    .debtor_id = "d-007", .subject = "Chiede copia dell'ingiunzione",
    .urgency = ESA_TICKET_URGENCY_HIGH, .opened_at = "2026-11-20T14:00:00Z",
  };
  EsaTicketFilter filter = { .open_only = TRUE };
  EsaQueueFilter tickets_only = { .kinds = 1u << ESA_QUEUE_KIND_TICKET, .today = TODAY };
  EsaTicketLevel level;

  esa_store_set_acting_user (fixture->store, "u-cc");
  id = esa_store_open_ticket (fixture->store, &spec, &reference, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (reference, ==, "T-2026-000001");
  spec.urgency = ESA_TICKET_URGENCY_LOW;
  spec.subject = "Second";
  id2 = esa_store_open_ticket (fixture->store, &spec, &reference2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (reference2, ==, "T-2026-000002");

  ticket = esa_store_get_ticket (fixture->store, reference, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ticket->id, ==, id);
  g_assert_cmpstr (ticket->body_id, ==, "b-it");
  g_assert_cmpstr (ticket->owner_id, ==, "u-cc");
  g_assert_cmpint (ticket->level, ==, ESA_TICKET_LEVEL_FIRST);
  /* The shipped target for a high urgency in Italy: 240 business minutes. */
  g_assert_cmpint (ticket->sla_target_s, ==, 240 * 60);
  g_assert_nonnull (ticket->sla_due_at);
  g_clear_pointer (&ticket, esa_ticket_free);

  queue = esa_store_queue_items (fixture->store,
                                 &(EsaQueueFilter) { .user_id = "u-cc", .today = TODAY,
                                                     .kinds = tickets_only.kinds },
                                 &error);
  g_assert_no_error (error);
  g_assert_cmpuint (queue->len, ==, 2);

  g_assert_true (esa_store_ticket_set_status (fixture->store, reference,
                                              ESA_TICKET_STATUS_WAITING_CALLER,
                                              "Waiting for the receipt", &error));
  g_assert_no_error (error);
  g_assert_true (esa_store_ticket_escalate (fixture->store, reference, NULL, &level, &error));
  g_assert_no_error (error);
  g_assert_cmpint (level, ==, ESA_TICKET_LEVEL_BACK_OFFICE);
  g_assert_true (esa_store_ticket_escalate (fixture->store, id, "Specialist", &level, &error));
  g_assert_cmpint (level, ==, ESA_TICKET_LEVEL_SECOND);
  g_assert_false (esa_store_ticket_escalate (fixture->store, id, NULL, &level, &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_false (esa_store_ticket_close (fixture->store, reference, "  ", &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (esa_store_ticket_close (fixture->store, reference, "Copia inviata", &error));
  g_assert_no_error (error);
  g_assert_false (esa_store_ticket_close (fixture->store, reference, "Again", &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
  g_clear_error (&error);

  closed = esa_store_get_ticket (fixture->store, id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (closed->status, ==, ESA_TICKET_STATUS_CLOSED);
  g_assert_cmpstr (closed->resolution, ==, "Copia inviata");
  g_assert_true (closed->sla_paused);
  g_assert_null (closed->owner_id);

  events = esa_store_ticket_events (fixture->store, reference, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 5);
  g_assert_cmpstr (((EsaTicketEvent *) g_ptr_array_index (events, 0))->kind, ==, "open");
  g_assert_cmpstr (((EsaTicketEvent *) g_ptr_array_index (events, 4))->kind, ==, "close");

  open = esa_store_list_tickets (fixture->store, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (open->len, ==, 1);
  g_assert_cmpstr (((EsaTicket *) g_ptr_array_index (open, 0))->reference, ==, reference2);

  g_assert_null (esa_store_get_ticket (fixture->store, "T-2026-999999", NULL, &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_NOT_FOUND);
}

static void
log_at (EsaStore          *store,
     const char        *channel,
     const char        *at,
     gint               duration,
     gint               wait,
     EsaContactOutcome  outcome)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  EsaContactSpec spec = {
    .debtor_id = "d-002", .channel = channel, .direction = "in", .subject = "Domanda",
    .occurred_at = at, .duration_s = duration, .wait_s = wait, .outcome = outcome,
  };

  id = esa_store_log_contact (store, &spec, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
}

static void
test_contacts_and_stats (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) stats = NULL;
  g_autoptr(EsaDossier) dossier = NULL;
  EsaContactStats *s;
  EsaContactSpec bad = { .debtor_id = "d-002", .channel = "fax", .direction = "in",
                         .subject = "x" };

  esa_store_set_acting_user (fixture->store, "u-cc");
  log_at (fixture->store, "phone", "2026-10-05T08:00:00Z", 120, 10, ESA_CONTACT_OUTCOME_RESOLVED);
  log_at (fixture->store, "phone", "2026-10-06T08:00:00Z", 300, 55, ESA_CONTACT_OUTCOME_TICKET);
  log_at (fixture->store, "phone", "2026-10-07T08:00:00Z", 0, 90, ESA_CONTACT_OUTCOME_LOST);
  log_at (fixture->store, "counter", "2026-10-08T08:00:00Z", 600, 0, ESA_CONTACT_OUTCOME_RESOLVED);
  log_at (fixture->store, "email", "2026-11-02T08:00:00Z", 0, 0, ESA_CONTACT_OUTCOME_RESOLVED);

  g_assert_null (esa_store_log_contact (fixture->store, &bad, &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
  g_clear_error (&error);

  dossier = esa_store_load_dossier (fixture->store, "d-002", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dossier->contacts->len, ==, 5);

  /* An operator may not read the statistics; a team lead may. */
  g_assert_null (esa_store_contact_stats (fixture->store, NULL, "2026-10", &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_FORBIDDEN);
  g_clear_error (&error);
  esa_store_set_acting_user (fixture->store, "u-lead");
  g_assert_null (esa_store_contact_stats (fixture->store, NULL, "2026-13", &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
  g_clear_error (&error);

  stats = esa_store_contact_stats (fixture->store, NULL, "2026-10", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats->len, ==, 1);
  s = g_ptr_array_index (stats, 0);
  g_assert_cmpstr (s->body_id, ==, "b-it");
  g_assert_cmpint (s->contacts_in, ==, 4);
  g_assert_cmpint (s->contacts_handled, ==, 3);
  g_assert_cmpint (s->contacts_lost, ==, 1);
  g_assert_cmpint (s->lost_rate_ppm, ==, 250000);
  g_assert_cmpint (s->waits_over_40s, ==, 1);
  /* Of two answered calls, one waited over 40 s. */
  g_assert_cmpint (s->waits_over_40s_ppm, ==, 500000);
  g_assert_cmpint (s->duration_count, ==, 3);
  g_assert_cmpint (s->duration_mean_s, ==, 340);
  g_assert_cmpint (s->duration_min_s, ==, 120);
  g_assert_cmpint (s->duration_max_s, ==, 600);
  g_assert_cmpint (s->first_level_resolved, ==, 2);
  g_assert_cmpint (s->first_level_rate_ppm, ==, 666666);
}

static void
test_knowledge (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GPtrArray) approved = NULL;
  g_autoptr(EsaKnowledgeCard) card = NULL;
  g_autofree char *it_id = NULL;
  g_autofree char *en_id = NULL;
  g_autofree char *again = NULL;
  EsaKnowledgeCard it = {
    .title = "Come chiedere la rateizzazione", .language = "it",
    .body = "Si può chiedere di pagare a rate un debito superiore a 100 euro.",
    .keywords = "rate rateizzazione dilazione",
  };
  EsaKnowledgeCard en = {
    .title = "How to ask for an instalment plan", .language = "en",
    .body = "A debt over 100 euro can be paid in instalments.",
    .keywords = "instalments plan",
  };

  esa_store_set_acting_user (fixture->store, "u-cc");
  g_assert_null (esa_store_save_knowledge_card (fixture->store, &it, &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_FORBIDDEN);
  g_clear_error (&error);

  esa_store_set_acting_user (fixture->store, "u-lead");
  it_id = esa_store_save_knowledge_card (fixture->store, &it, &error);
  g_assert_no_error (error);
  en_id = esa_store_save_knowledge_card (fixture->store, &en, &error);
  g_assert_no_error (error);

  esa_store_set_acting_user (fixture->store, "u-cc");
  hits = esa_store_search_knowledge (fixture->store, "rateizz", NULL, FALSE, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpstr (((EsaKnowledgeCard *) g_ptr_array_index (hits, 0))->id, ==, it_id);
  g_clear_pointer (&hits, g_ptr_array_unref);
  /* Every word must match; accents do not matter. */
  hits = esa_store_search_knowledge (fixture->store, "puo rate", NULL, FALSE, 10, &error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = esa_store_search_knowledge (fixture->store, "100 euro", NULL, FALSE, 10, &error);
  g_assert_cmpuint (hits->len, ==, 2);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = esa_store_search_knowledge (fixture->store, "100 euro", "en", FALSE, 10, &error);
  g_assert_cmpuint (hits->len, ==, 1);

  approved = esa_store_search_knowledge (fixture->store, "euro", NULL, TRUE, 10, &error);
  g_assert_cmpuint (approved->len, ==, 0);
  g_clear_pointer (&approved, g_ptr_array_unref);

  g_assert_false (esa_store_approve_knowledge_card (fixture->store, it_id, &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_FORBIDDEN);
  g_clear_error (&error);
  esa_store_set_acting_user (fixture->store, "u-resp");
  g_assert_true (esa_store_approve_knowledge_card (fixture->store, it_id, &error));
  g_assert_no_error (error);
  approved = esa_store_search_knowledge (fixture->store, "euro", NULL, TRUE, 10, &error);
  g_assert_cmpuint (approved->len, ==, 1);

  /* A change loses the approval, and the index follows the new text. */
  it.id = it_id;
  it.keywords = "rate dilazione piano";
  again = esa_store_save_knowledge_card (fixture->store, &it, &error);
  g_assert_no_error (error);
  card = esa_store_get_knowledge_card (fixture->store, it_id, &error);
  g_assert_no_error (error);
  g_assert_false (card->approved);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = esa_store_search_knowledge (fixture->store, "piano", NULL, FALSE, 10, &error);
  g_assert_cmpuint (hits->len, ==, 1);
}

static void
test_appointments (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *clash = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GPtrArray) list = NULL;
  EsaAppointment a = {
    .debtor_id = "d-003", .office_id = "o-1", .user_id = "u-a",
    .starts_at = "2026-11-24T09:00:00Z", .minutes = 30, .channel = "counter",
    .subject = "Firma del piano di rateizzazione",
  };

  esa_store_set_acting_user (fixture->store, "u-cc");
  first = esa_store_book_appointment (fixture->store, &a, &error);
  g_assert_no_error (error);
  a.starts_at = "2026-11-24T09:15:00Z";
  clash = esa_store_book_appointment (fixture->store, &a, &error);
  g_assert_null (clash);
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
  g_clear_error (&error);
  a.starts_at = "2026-11-24T09:30:00Z";
  after = esa_store_book_appointment (fixture->store, &a, &error);
  g_assert_no_error (error);

  g_assert_true (esa_store_set_appointment_status (fixture->store, first, "done", &error));
  g_assert_no_error (error);
  g_assert_false (esa_store_set_appointment_status (fixture->store, first, "cancelled", &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
  g_clear_error (&error);

  list = esa_store_list_appointments (fixture->store, "o-1", NULL, "2026-11-24", "2026-11-24",
                                      &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (((EsaAppointment *) g_ptr_array_index (list, 0))->status, ==, "done");
  g_assert_cmpstr (((EsaAppointment *) g_ptr_array_index (list, 1))->user_name, ==,
                   "Anna Rossi");
}

static void
test_dashboard (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaDashboard) dashboard = NULL;
  g_autofree char *csv = NULL;
  gint64 overdue = esa_store_test_sql_int (fixture->store, "SELECT count(*) FROM cases "
                                           "WHERE next_deadline < ?1 AND office_id = 'o-1'", TODAY);
  gint64 total = 0, overdue_sum = 0;

  esa_store_set_acting_user (fixture->store, "u-cc");
  g_assert_null (esa_store_dashboard (fixture->store, "o-1", "2026-11-01", "2026-12-31", TODAY,
                                      &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_FORBIDDEN);
  g_clear_error (&error);

  esa_store_set_acting_user (fixture->store, "u-lead");
  g_assert_null (esa_store_dashboard (fixture->store, "o-1", "2026-12-31", "2026-11-01", TODAY,
                                      &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
  g_clear_error (&error);

  dashboard = esa_store_dashboard (fixture->store, "o-1", "2026-11-01", "2026-12-31", TODAY,
                                   &error);
  g_assert_no_error (error);
  /* The office's cases and the load list. */
  g_assert_cmpint (dashboard->open_items, ==,
                   esa_store_test_sql_int (fixture->store, "SELECT count(*) + 1 FROM cases "
                                           "WHERE office_id = ?1", "o-1"));
  g_assert_cmpint (dashboard->overdue_items, ==, overdue);
  for (guint i = 0; i < dashboard->overdue_by_officer->len; i++)
    overdue_sum += ((EsaWorkloadRow *) g_ptr_array_index (dashboard->overdue_by_officer,
                                                          i))->overdue;
  g_assert_cmpint (overdue_sum, ==, overdue);
  for (guint i = 0; i < dashboard->workload->len; i++)
    total += ((EsaWorkloadRow *) g_ptr_array_index (dashboard->workload, i))->items;
  /* Every item is due before the end of December: each is in one row. */
  g_assert_cmpint (total, ==, dashboard->open_items);
  /* 2026-11-01 is a Sunday: its week starts on 26 October. */
  g_assert_cmpstr (((EsaFlowRow *) g_ptr_array_index (dashboard->flow, 0))->week_start, ==,
                   "2026-10-26");
  g_assert_cmpstr (((EsaFlowRow *) g_ptr_array_index (dashboard->flow, 0))->week, ==,
                   "2026-W44");
  g_assert_cmpuint (dashboard->flow->len, ==, 10);

  csv = esa_dashboard_to_csv (dashboard);
  g_assert_nonnull (strstr (csv, "Anna Rossi,2026-W"));
}

/* The item of @id in @items, or NULL. */
static const EsaQueueItem *
find_item (GPtrArray  *items,
           const char *id)
{
  for (guint i = 0; i < items->len; i++)
    if (g_str_equal (((EsaQueueItem *) g_ptr_array_index (items, i))->id, id))
      return g_ptr_array_index (items, i);
  return NULL;
}

/* The table the deadlines are read from (migration 009) follows every
 * write to cases, debtors, users and offices: after each, it holds exactly
 * what the join of those tables gives. */
static void
assert_deadlines_in_step (EsaStore *store)
{
  static const char *join =
    "SELECT c.next_deadline, c.id, c.office_id, o.name, c.body_id, c.officer_id, u.name, "
    "  c.debtor_id, d.name, c.state, c.next_deadline_label "
    "FROM cases c LEFT JOIN offices o ON o.id = c.office_id "
    "LEFT JOIN users u ON u.id = c.officer_id LEFT JOIN debtors d ON d.id = c.debtor_id "
    "WHERE c.closed_on IS NULL AND c.next_deadline IS NOT NULL";
  g_autofree char *missing = g_strdup_printf ("SELECT count(*) FROM (%s EXCEPT "
                                              "SELECT * FROM queue_deadlines)", join);
  g_autofree char *extra = g_strdup_printf ("SELECT count(*) FROM (SELECT * FROM "
                                            "queue_deadlines EXCEPT %s)", join);

  g_assert_cmpint (esa_store_test_sql_int (store, missing, NULL), ==, 0);
  g_assert_cmpint (esa_store_test_sql_int (store, extra, NULL), ==, 0);
}

static void
test_deadlines_in_step (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  const EsaQueueItem *item;

  assert_deadlines_in_step (fixture->store);

  /* A debtor renamed through the store, an officer and an office renamed,
   * a case closed, a deadline moved, a case reassigned, a new case. */
  g_assert_true (esa_store_update_debtor_field (fixture->store, "d-001", "name",
                                                "Debitore Uno", &error));
  g_assert_no_error (error);
  esa_store_test_exec (fixture->store,
                       "UPDATE users SET name = 'Anna Rossi-Neri' WHERE id = 'u-a';"
                       "UPDATE offices SET name = 'Sede nuova' WHERE id = 'o-2';"
                       "UPDATE cases SET closed_on = '2026-11-20' WHERE id = 'c-00000';"
                       "UPDATE cases SET next_deadline = '2027-03-01' WHERE id = 'c-00002';"
                       "UPDATE cases SET officer_id = 'u-c' WHERE id = 'c-00003';"
                       "INSERT INTO cases (id, debtor_id, body_id, office_id, procedure_id, state, "
                       "  opened_on, next_deadline) VALUES ('c-new', 'd-002', 'b-it', 'o-1', "
                       "  'it-coercive', 'loaded', '2026-11-20', '2026-11-24');"
                       "DELETE FROM cases WHERE id = 'c-00004';");
  assert_deadlines_in_step (fixture->store);

  items = all_items (fixture->store);
  g_assert_null (find_item (items, "case:c-00000"));
  g_assert_null (find_item (items, "case:c-00004"));
  item = find_item (items, "case:c-00001");
  g_assert_cmpstr (item->debtor_name, ==, "Debitore Uno");
  g_assert_cmpstr (item->assignee_name, ==, "Bruno Bianchi");
  item = find_item (items, "case:c-00002");
  g_assert_cmpstr (item->due_on, ==, "2027-03-01");
  g_assert_cmpint (item->when, ==, ESA_QUEUE_WHEN_LATER);
  g_assert_true (item == g_ptr_array_index (items, items->len - 1));
  g_assert_cmpstr (find_item (items, "case:c-00003")->assignee_name, ==, "Carla Verdi");
  g_assert_cmpstr (find_item (items, "case:c-00009")->office_name, ==, "Sede nuova");
  g_assert_cmpstr (find_item (items, "case:c-00006")->assignee_name, ==, "Anna Rossi-Neri");
  g_assert_cmpstr (find_item (items, "case:c-new")->debtor_name, ==, "Debitore 002");
}

/* The service levels of DOMAIN.md that the data allows, each from its
 * parameter table: injunctions ready for print after a load list's
 * approval, the insolvency claim, the conclusion of a case. */
static void
test_service_levels (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) later = NULL;
  g_autofree char *dir = g_dir_make_tmp ("esa-queues-XXXXXX", &error);
  g_autofree char *path = NULL;
  const EsaQueueItem *item;
  gint64 n_claims;

  esa_store_test_exec (fixture->store,
                       "UPDATE load_lists SET state = 'approved', approved_by = 'u-resp', "
                       "  approved_on = '2026-11-20' WHERE id = 'll-1';"
                       "INSERT INTO positions (id, debtor_id, body_id, load_list_id, revenue_type, "
                       "  year, reference, due_date, currency, principal) VALUES "
                       "  ('p-1', 'd-010', 'b-it', 'll-1', 'TARI', 2026, 'TARI-1', '2026-06-30', "
                       "   'EUR', 10000);"
                       "INSERT INTO case_positions (case_id, position_id) "
                       "  VALUES ('c-00010', 'p-1');"
                       "UPDATE debtors SET insolvent_since = '2026-11-10' WHERE id = 'd-005';"
                       "INSERT INTO acts (id, case_id, debtor_id, type, number, issued_on) VALUES "
                       "  ('a-1', 'c-00011', 'd-011', 'injunction', 'ING-1', '2024-11-01'),"
                       "  ('a-2', 'c-00205', 'd-005', 'insolvency_claim', 'INS-1', '2026-11-12');"
                       "INSERT INTO notifications (id, act_id, attempt, method, state, sent_on, "
                       "  delivered_on) VALUES "
                       "  ('n-1', 'a-1', 1, 'post', 'failed', '2024-11-02', NULL),"
                       "  ('n-2', 'a-1', 2, 'post', 'delivered', '2024-11-20', '2024-11-30');");

  items = all_items (fixture->store);
  /* Approved 20 November, 5 days; the case has no act yet. */
  item = find_item (items, "sl:print:ll-1");
  g_assert_nonnull (item);
  g_assert_cmpstr (item->due_on, ==, "2026-11-25");
  g_assert_cmpstr (item->reference, ==, "TARI-2026-1");
  g_assert_null (find_item (items, "sl:load_list_verify:ll-1"));
  /* Insolvent since 10 November, 15 days: each open case of the debtor but
   * the one whose claim was filed. */
  item = find_item (items, "sl:insolvency_claim:c-00005");
  g_assert_nonnull (item);
  g_assert_cmpstr (item->due_on, ==, "2026-11-25");
  g_assert_cmpstr (item->debtor_id, ==, "d-005");
  g_assert_nonnull (find_item (items, "sl:insolvency_claim:c-00405"));
  g_assert_null (find_item (items, "sl:insolvency_claim:c-00205"));
  /* Delivered 30 November 2024 (the failed attempt does not count), 24
   * months: due within the week. */
  item = find_item (items, "sl:conclude:c-00011");
  g_assert_nonnull (item);
  g_assert_cmpstr (item->due_on, ==, "2026-11-30");
  g_assert_cmpstr (item->reference, ==, "ING-1");
  g_assert_cmpint (item->when, ==, ESA_QUEUE_WHEN_WEEK);
  /* The cases, the print, the conclusion and the claims of d-005 but one. */
  n_claims = esa_store_test_sql_int (fixture->store,
                                     "SELECT count(*) - 1 FROM cases WHERE debtor_id = ?1",
                                     "d-005");
  g_assert_cmpuint (items->len, ==, N_CASES + 2 + n_claims);

  /* Done: the injunction issued, the case closed. */
  esa_store_test_exec (fixture->store,
                       "INSERT INTO acts (id, case_id, debtor_id, type, number, issued_on) VALUES "
                       "  ('a-3', 'c-00010', 'd-010', 'injunction', 'ING-2', '2026-11-21');"
                       "UPDATE cases SET closed_on = '2026-11-21' WHERE id = 'c-00011';");
  g_clear_pointer (&items, g_ptr_array_unref);
  items = all_items (fixture->store);
  g_assert_null (find_item (items, "sl:print:ll-1"));
  g_assert_null (find_item (items, "sl:conclude:c-00011"));

  /* A body's own entry, valid from a date, changes its deadline from then. */
  g_assert_no_error (error);
  path = g_build_filename (dir, "body.json", NULL);
  g_assert_true (g_file_set_contents (path,
                                      "{ \"tables\": [ { \"name\": "
                                      "\"it.queue.insolvency_claim.days\", \"unit\": \"days\", "
                                      "\"entries\": [ { \"valid_from\": \"2026-11-01\", "
                                      "\"body\": \"b-it\", \"value\": 30 } ] } ] }",
                                      -1, &error));
  g_assert_true (esa_parameters_load_file (fixture->params, path, &error));
  g_assert_no_error (error);
  later = all_items (fixture->store);
  g_assert_cmpstr (find_item (later, "sl:insolvency_claim:c-00005")->due_on, ==, "2026-12-10");
  g_remove (path);
  g_rmdir (dir);
}

/* The collection rate: of what was to be collected in the period, the
 * share paid in it. */
static void
test_collection_rate (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaDashboard) dashboard = NULL;

  /* p-1: 100.00 due in October, 10.00 paid before the period and 40.00 in
   * it; p-2: 60.00 due in the period, unpaid; p-3: due after it; p-4:
   * cancelled. */
  esa_store_test_exec (fixture->store,
                       "INSERT INTO positions (id, debtor_id, body_id, revenue_type, year, "
                       "  reference, due_date, currency, principal, paid, state) VALUES "
                       "  ('p-1', 'd-001', 'b-it', 'TARI', 2026, 'R-1', '2026-10-01', 'EUR', "
                       "   10000, 5000, 'open'),"
                       "  ('p-2', 'd-002', 'b-it', 'TARI', 2026, 'R-2', '2026-11-15', 'EUR', "
                       "   6000, 0, 'open'),"
                       "  ('p-3', 'd-003', 'b-it', 'TARI', 2026, 'R-3', '2027-02-01', 'EUR', "
                       "   9000, 0, 'open'),"
                       "  ('p-4', 'd-004', 'b-it', 'TARI', 2026, 'R-4', '2026-10-01', 'EUR', "
                       "   7000, 0, 'cancelled');"
                       "INSERT INTO payments (id, debtor_id, position_id, body_id, amount, "
                       "  currency, paid_on, channel, state) VALUES "
                       "  ('y-1', 'd-001', 'p-1', 'b-it', 1000, 'EUR', '2026-10-15', 'pagopa', "
                       "   'applied'),"
                       "  ('y-2', 'd-001', 'p-1', 'b-it', 4000, 'EUR', '2026-11-10', 'pagopa', "
                       "   'applied');");

  esa_store_set_acting_user (fixture->store, "u-lead");
  dashboard = esa_store_dashboard (fixture->store, "o-1", "2026-11-01", TODAY, TODAY, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dashboard->currency, ==, "EUR");
  g_assert_cmpint (dashboard->collected, ==, 4000);
  /* 40.00 paid + 50.00 still open on p-1 + 60.00 on p-2. */
  g_assert_cmpint (dashboard->charged, ==, 15000);
  g_assert_cmpint (dashboard->positions, ==, 2);
  g_assert_cmpint (dashboard->positions_paid, ==, 1);
  g_assert_cmpint (dashboard->collection_rate_ppm, ==, G_GINT64_CONSTANT (4000) * 1000000 / 15000);
  g_clear_pointer (&dashboard, esa_dashboard_free);

  /* Read for October: the 10.00 then, and the 40.00 paid after it is
   * counted as open at its end. */
  dashboard = esa_store_dashboard (fixture->store, "o-1", "2026-10-01", "2026-10-31", TODAY,
                                   &error);
  g_assert_no_error (error);
  g_assert_cmpint (dashboard->collected, ==, 1000);
  g_assert_cmpint (dashboard->charged, ==, 1000 + 5000 + 4000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/queues/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("items-sorted", test_items_sorted);
  ADD ("reassign-undo-10000", test_reassign_undo_10000);
  ADD ("undo-skips-changed", test_undo_skips_changed);
  ADD ("roles-refused", test_roles_refused);
  ADD ("tickets", test_tickets);
  ADD ("contacts-and-stats", test_contacts_and_stats);
  ADD ("knowledge", test_knowledge);
  ADD ("appointments", test_appointments);
  ADD ("dashboard", test_dashboard);
  ADD ("deadlines-in-step", test_deadlines_in_step);
  ADD ("service-levels", test_service_levels);
  ADD ("collection-rate", test_collection_rate);

  return g_test_run ();
}
