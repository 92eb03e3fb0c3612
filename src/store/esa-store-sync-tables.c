/* esa-store-sync-tables.c: the tables that travel between devices and the
 * central server (the contract of issue 5, "Row images")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <string.h>

#include "esa-store-sync.h"

/* In foreign-key order, parents first: a page of pulled rows in this order
 * and a revert in the reverse order never break a reference. @debtor says
 * how a row finds the debtor whose dossier it belongs to (the scope of a
 * field officer): a column of its own, or a lookup through its parent (?1 is
 * the parent's key taken from the row's column named in debtor_via); NULL
 * for rows of the office (bodies, users, load lists …). @counters are the
 * columns the server merges additively (delta = after - before) rather than
 * by last writer. Not synced: the audit journal, the outbox, the counters of
 * act and ticket numbers, the search indexes, the sync tables and the undo
 * records of bulk queue actions (queue_batches), which are the device's
 * own. */
static const char * const id_key[] = { "id", NULL };
static const char * const office_bodies_key[] = { "office_id", "body_id", NULL };
static const char * const case_positions_key[] = { "case_id", "position_id", NULL };
static const char * const case_event_acts_key[] = { "event_id", "act_id", NULL };
static const char * const payment_case_closures_key[] = { "payment_id", "case_id", NULL };
static const char * const paid_counter[] = { "paid", NULL };
static const char * const queue_assignments_key[] = { "item_id", NULL };

#define CASE_DEBTOR "SELECT debtor_id FROM cases WHERE id = ?1"

static const EsaSyncTable sync_tables[] = {
  { "bodies", id_key, NULL, NULL, NULL },
  { "offices", id_key, NULL, NULL, NULL },
  { "office_bodies", office_bodies_key, NULL, NULL, NULL },
  { "users", id_key, NULL, NULL, NULL },
  { "debtors", id_key, "id", NULL, NULL },
  { "addresses", id_key, "debtor_id", NULL, NULL },
  { "debtor_contacts", id_key, "debtor_id", NULL, NULL },
  { "relations", id_key, "debtor_id", NULL, NULL },
  { "load_lists", id_key, NULL, NULL, NULL },
  { "load_list_rejections", id_key, NULL, NULL, NULL },
  { "load_list_mappings", id_key, NULL, NULL, NULL },
  { "positions", id_key, "debtor_id", NULL, NULL, paid_counter },
  { "cases", id_key, "debtor_id", NULL, NULL },
  { "case_positions", case_positions_key, NULL, "case_id", CASE_DEBTOR },
  { "acts", id_key, "debtor_id", NULL, NULL },
  { "case_events", id_key, NULL, "case_id", CASE_DEBTOR },
  { "case_event_acts", case_event_acts_key, NULL, "act_id",
    "SELECT debtor_id FROM acts WHERE id = ?1" },
  { "notifications", id_key, NULL, "act_id", "SELECT debtor_id FROM acts WHERE id = ?1" },
  { "payment_flows", id_key, NULL, NULL, NULL },
  { "payments", id_key, "debtor_id", NULL, NULL },
  { "payment_allocations", id_key, NULL, "position_id",
    "SELECT debtor_id FROM positions WHERE id = ?1" },
  { "payment_case_closures", payment_case_closures_key, NULL, "case_id", CASE_DEBTOR },
  { "payment_csv_mappings", id_key, NULL, NULL, NULL },
  { "instalment_plans", id_key, "debtor_id", NULL, NULL },
  { "instalments", id_key, NULL, "plan_id",
    "SELECT debtor_id FROM instalment_plans WHERE id = ?1", paid_counter },
  { "documents", id_key, "debtor_id", NULL, NULL },
  { "contact_log", id_key, "debtor_id", NULL, NULL },
  { "tickets", id_key, "debtor_id", NULL, NULL },
  { "ticket_events", id_key, NULL, "ticket_id", "SELECT debtor_id FROM tickets WHERE id = ?1" },
  { "appointments", id_key, "debtor_id", NULL, NULL },
  { "knowledge_cards", id_key, NULL, NULL, NULL },
  { "queue_assignments", queue_assignments_key, NULL, NULL, NULL },
  { "conflicts", id_key, "debtor_id", NULL, NULL },
  { "assignments", id_key, "debtor_id", NULL, NULL },
};

const EsaSyncTable *
esa_store_sync_tables (guint *out_n)
{
  *out_n = G_N_ELEMENTS (sync_tables);
  return sync_tables;
}

const EsaSyncTable *
esa_store_sync_table_lookup (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (sync_tables); i++)
    {
      if (g_strcmp0 (sync_tables[i].name, name) == 0)
        return &sync_tables[i];
    }
  return NULL;
}

gint
esa_store_sync_table_index (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (sync_tables); i++)
    {
      if (g_strcmp0 (sync_tables[i].name, name) == 0)
        return (gint) i;
    }
  return -1;
}
