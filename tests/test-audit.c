/* test-audit.c: the hash-chained audit journal and its verification
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <sqlite3.h>
#include <string.h>

#include "esa-store-private.h"

#define N_ENTRIES 12

typedef struct
{
  EsaStore *store;
} Fixture;

static void
exec_sql (EsaStore   *store,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (_esa_store_get_db (store), sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static char *
sql_text (EsaStore   *store,
          const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_esa_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

/* N_ENTRIES entries through the private append, in one transaction, at
 * fixed times so that messages can be checked. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->store = esa_store_open_memory (&error);
  g_assert_no_error (error);

  g_assert_true (_esa_store_begin (fixture->store, &error));
  for (guint i = 1; i <= N_ENTRIES; i++)
    {
      g_autofree char *at = g_strdup_printf ("2026-11-%02uT08:40:00Z", i);
      g_autofree char *entity_id = g_strdup_printf ("debtor-%u", i % 3);
      g_autofree char *summary = g_strdup_printf ("Change number %u", i);

      g_assert_true (_esa_store_audit_append (fixture->store, at, i % 2 ? "user-1" : NULL,
                                              "update", "debtor", entity_id,
                                              i % 4 ? entity_id : NULL, summary, &error));
      g_assert_no_error (error);
    }
  g_assert_true (_esa_store_commit (fixture->store, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
}

static void
assert_broken (EsaStore   *store,
               gint64      expected_checked,
               const char *part1,
               const char *part2)
{
  g_autoptr(GError) error = NULL;
  gint64 checked = -1;

  g_assert_false (esa_store_audit_verify (store, &checked, &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_AUDIT_BROKEN);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, part1));
  if (part2 != NULL)
    g_assert_nonnull (strstr (error->message, part2));
  g_assert_cmpint (checked, ==, expected_checked);
}

static void
test_append_and_verify (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first_link = NULL;
  g_autofree char *link = NULL;
  g_autofree char *hash = NULL;
  gint64 checked = 0;

  g_assert_true (esa_store_audit_verify (fixture->store, &checked, &error));
  g_assert_no_error (error);
  g_assert_cmpint (checked, ==, N_ENTRIES);

  /* The first entry links to zeros; every other one to its predecessor. */
  first_link = sql_text (fixture->store, "SELECT prev_hash FROM audit WHERE seq = 1");
  g_assert_cmpstr (first_link, ==,
                   "0000000000000000000000000000000000000000000000000000000000000000");
  link = sql_text (fixture->store, "SELECT prev_hash FROM audit WHERE seq = 5");
  hash = sql_text (fixture->store, "SELECT hash FROM audit WHERE seq = 4");
  g_assert_cmpstr (link, ==, hash);
}

static void
test_empty_journal_verifies (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaStore) store = esa_store_open_memory (&error);
  gint64 checked = -1;

  g_assert_no_error (error);
  g_assert_true (esa_store_audit_verify (store, &checked, &error));
  g_assert_no_error (error);
  g_assert_cmpint (checked, ==, 0);
}

/* The hash of entry @seq as stored, computed again from its fields in the
 * canonical form documented in esa-store-audit.c. */
static char *
canonical_hash (EsaStore *store,
                gint64    seq)
{
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GString) canonical = g_string_new ("esattore-audit-1\n");

  g_assert_cmpint (sqlite3_prepare_v2 (_esa_store_get_db (store),
                                       "SELECT seq, at, user_id, action, entity, entity_id, "
                                       "debtor_id, summary, prev_hash FROM audit WHERE seq = ?1",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, seq);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  for (int i = 0; i < 9; i++)
    {
      const char *value = (const char *) sqlite3_column_text (stmt, i);

      if (value == NULL)
        g_string_append (canonical, "-\n");
      else
        g_string_append_printf (canonical, "%zu:%s\n", strlen (value), value);
    }
  sqlite3_finalize (stmt);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, canonical->str, -1);
}

/* The hash follows the canonical form, recomputed here independently for
 * an entry with NULL fields (entry 4: no user, no debtor) and another. */
static void
test_canonical_form (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *user = sql_text (fixture->store, "SELECT user_id FROM audit WHERE seq = 4");
  g_autofree char *debtor = sql_text (fixture->store,
                                      "SELECT debtor_id FROM audit WHERE seq = 4");
  g_autofree char *stored4 = sql_text (fixture->store, "SELECT hash FROM audit WHERE seq = 4");
  g_autofree char *stored5 = sql_text (fixture->store, "SELECT hash FROM audit WHERE seq = 5");
  g_autofree char *computed4 = canonical_hash (fixture->store, 4);
  g_autofree char *computed5 = canonical_hash (fixture->store, 5);

  g_assert_null (user);
  g_assert_null (debtor);
  g_assert_cmpstr (stored4, ==, computed4);
  g_assert_cmpstr (stored5, ==, computed5);
}

/* A summary changed behind the store's back is named by its entry. */
static void
test_tampered_summary (Fixture       *fixture,
                       gconstpointer  data)
{
  exec_sql (fixture->store, "UPDATE audit SET summary = 'Nothing happened' WHERE seq = 7");
  assert_broken (fixture->store, 6, "entry 7 (2026-11-07 08:40:00 UTC)",
                 "hash does not match its content");
}

/* So is any other field, the user for instance. */
static void
test_tampered_user (Fixture       *fixture,
                    gconstpointer  data)
{
  exec_sql (fixture->store, "UPDATE audit SET user_id = 'user-2' WHERE seq = 3");
  assert_broken (fixture->store, 2, "entry 3", "hash does not match");
}

/* An entry rewritten together with a correct hash of its new content
 * breaks the link of the next one. */
static void
test_rewritten_entry_breaks_next_link (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autofree char *hash = NULL;
  g_autofree char *sql = NULL;

  exec_sql (fixture->store, "UPDATE audit SET summary = 'Nothing happened' WHERE seq = 9");
  hash = canonical_hash (fixture->store, 9);
  sql = g_strdup_printf ("UPDATE audit SET hash = '%s' WHERE seq = 9", hash);
  exec_sql (fixture->store, sql);

  assert_broken (fixture->store, 9, "entry 10 (2026-11-10 08:40:00 UTC) to entry 9",
                 "is broken");
}

/* A link changed by itself is named as a broken link. */
static void
test_tampered_link (Fixture       *fixture,
                    gconstpointer  data)
{
  exec_sql (fixture->store,
            "UPDATE audit SET prev_hash = "
            "'2222222222222222222222222222222222222222222222222222222222222222' WHERE seq = 5");
  assert_broken (fixture->store, 4, "link of audit entry 5", "to entry 4 is broken");
}

/* A deleted entry in the middle, and the first one. */
static void
test_deleted_entries (Fixture       *fixture,
                      gconstpointer  data)
{
  exec_sql (fixture->store, "DELETE FROM audit WHERE seq = 6");
  assert_broken (fixture->store, 5, "entry 6 is missing", NULL);

  exec_sql (fixture->store, "DELETE FROM audit WHERE seq = 1");
  assert_broken (fixture->store, 0, "entry 1 is missing", NULL);
}

static void
test_deleted_range (Fixture       *fixture,
                    gconstpointer  data)
{
  exec_sql (fixture->store, "DELETE FROM audit WHERE seq BETWEEN 3 AND 5");
  assert_broken (fixture->store, 2, "entries 3 to 5 are missing", NULL);
}

/* Appends continue the chain from the last entry. */
static void
test_append_after_reopen_of_chain (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *office_id = NULL;
  g_autofree char *last_seq = NULL;
  EsaOffice office = { NULL, (char *) "Sede", NULL, (char *) "IT" };
  gint64 checked = 0;

  office_id = esa_store_add_office (fixture->store, &office, &error);
  g_assert_no_error (error);
  last_seq = sql_text (fixture->store, "SELECT max(seq) FROM audit");
  g_assert_cmpstr (last_seq, ==, "13");
  g_assert_true (esa_store_audit_verify (fixture->store, &checked, &error));
  g_assert_no_error (error);
  g_assert_cmpint (checked, ==, N_ENTRIES + 1);
}

/* The dossier shows at most the 500 newest entries of its debtor. */
static void
test_dossier_history_limit (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaStore) store = esa_store_open_memory (&error);
  g_autoptr(EsaDossier) dossier = NULL;
  g_autofree char *office_id = NULL;
  g_autofree char *debtor_id = NULL;
  EsaOffice office = { NULL, (char *) "Sede", NULL, (char *) "IT" };
  EsaDebtor debtor = { 0, };
  EsaContactEntry entry = { 0, };
  gint64 max_seq;

  g_assert_no_error (error);
  office_id = esa_store_add_office (store, &office, &error);
  g_assert_no_error (error);
  debtor.name = (char *) "Rossi Mario";
  debtor.office_id = office_id;
  debtor_id = esa_store_add_debtor (store, &debtor, &error);
  g_assert_no_error (error);

  entry.debtor_id = debtor_id;
  entry.channel = (char *) "phone";
  entry.direction = (char *) "out";
  entry.subject = (char *) "Reminder call";
  g_assert_true (_esa_store_begin (store, &error));
  for (guint i = 0; i < 510; i++)
    {
      g_autofree char *id = esa_store_add_contact_entry (store, &entry, &error);

      g_assert_no_error (error);
    }
  g_assert_true (_esa_store_commit (store, &error));

  dossier = esa_store_load_dossier (store, debtor_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dossier->history->len, ==, 500);
  g_assert_cmpuint (dossier->contacts->len, ==, 510);
  max_seq = ((EsaAuditEntry *) dossier->history->pdata[0])->seq;
  g_assert_cmpint (max_seq, ==, 512);
  g_assert_cmpint (((EsaAuditEntry *) dossier->history->pdata[499])->seq, ==, max_seq - 499);
  g_assert_true (esa_store_audit_verify (store, NULL, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/audit/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("append-and-verify", test_append_and_verify);
  g_test_add_func ("/audit/empty-journal-verifies", test_empty_journal_verifies);
  ADD ("canonical-form", test_canonical_form);
  ADD ("tampered-summary", test_tampered_summary);
  ADD ("tampered-user", test_tampered_user);
  ADD ("rewritten-entry-breaks-next-link", test_rewritten_entry_breaks_next_link);
  ADD ("tampered-link", test_tampered_link);
  ADD ("deleted-entries", test_deleted_entries);
  ADD ("deleted-range", test_deleted_range);
  ADD ("append-continues-chain", test_append_after_reopen_of_chain);
  g_test_add_func ("/audit/dossier-history-limit", test_dossier_history_limit);

#undef ADD

  return g_test_run ();
}
