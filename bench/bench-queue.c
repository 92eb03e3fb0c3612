/* Opening a work queue of ESATTORE_BENCH_ITEMS items (default 100,000) as
 * the officer waits for it: the store reads the open deadlines of a
 * database of that many cases over 3 offices and 24 officers
 * (esa_store_queue_items(), as "Team queues" asks), and the page's list
 * model (EsaQueueModel) is built from them, as the page does on every
 * reload (one model for the page's life, grouped by due date); then the
 * ways the officer can re-sort it, each timed on its own. Prints a table of p50 and max in ms
 * over the runs with the load average, and fails when the median of
 * opening plus the slowest re-sort is over 100 ms (issue 7: "a queue of
 * 100,000 items opens and re-sorts in under 100 ms").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gstdio.h>
#include <stdlib.h>

#include "bench-timing.h"
#include "esa-queue-model.h"
#include "esa-store-private.h"
#include "esa-store-queues.h"

#define RUNS 9
#define LIMIT_MS 100.0
static void
exec_sql (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static void
fill (EsaStore *store,
      guint     n_items)
{
  sqlite3 *db = _esa_store_get_db (store);
  sqlite3_stmt *debtor = NULL;
  sqlite3_stmt *case_ = NULL;
  GRand *rand = g_rand_new_with_seed (7);

  exec_sql (db, "BEGIN;"
                "INSERT INTO bodies (id, name, country, currency) "
                "  VALUES ('b', 'Comune', 'IT', 'EUR');"
                "INSERT INTO offices (id, name, country) VALUES ('o0', 'Sede centrale', 'IT'),"
                "  ('o1', 'Sportello nord', 'IT'), ('o2', 'Sportello sud', 'IT');");
  for (guint u = 0; u < 24; u++)
    {
      g_autofree char *sql = g_strdup_printf ("INSERT INTO users (id, name, login, role, "
                                              "office_id) VALUES ('u%02u', 'Officer %02u', "
                                              "'u%02u', 'officer', 'o%u')",
                                              u, u, u, u % 3);

      exec_sql (db, sql);
    }
  g_assert (sqlite3_prepare_v2 (db, "INSERT INTO debtors (id, kind, name, office_id) "
                                "VALUES (?1, 'person', ?2, ?3)", -1, &debtor, NULL) == SQLITE_OK);
  g_assert (sqlite3_prepare_v2 (db, "INSERT INTO cases (id, debtor_id, body_id, office_id, "
                                "procedure_id, state, officer_id, opened_on, next_deadline, "
                                "next_deadline_label) VALUES (?1, ?2, 'b', ?3, 'it-coercive', "
                                "'injunction_notified', ?4, '2026-01-10', ?5, "
                                "'Payment period ends')", -1, &case_, NULL) == SQLITE_OK);
  for (guint i = 0; i < n_items; i++)
    {
      char id[32], name[48], office[8], officer[8], due[16];
      guint u = (guint) g_rand_int_range (rand, 0, 25);
      GDate date;

      g_snprintf (id, sizeof id, "d%07u", i);
      g_snprintf (name, sizeof name, "Debitore %07u", i);
      g_snprintf (office, sizeof office, "o%u", i % 3);
      sqlite3_bind_text (debtor, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (debtor, 2, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (debtor, 3, office, -1, SQLITE_TRANSIENT);
      g_assert (sqlite3_step (debtor) == SQLITE_DONE);
      sqlite3_reset (debtor);

      g_date_clear (&date, 1);
      g_date_set_dmy (&date, 1, G_DATE_SEPTEMBER, 2026);
      g_date_add_days (&date, (guint) g_rand_int_range (rand, 0, 180));
      g_date_strftime (due, sizeof due, "%Y-%m-%d", &date);
      g_snprintf (officer, sizeof officer, "u%02u", u);
      g_snprintf (id, sizeof id, "c%07u", i);
      sqlite3_bind_text (case_, 1, id, -1, SQLITE_TRANSIENT);
      g_snprintf (name, sizeof name, "d%07u", i);
      sqlite3_bind_text (case_, 2, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (case_, 3, office, -1, SQLITE_TRANSIENT);
      /* One in 25 unassigned. */
      if (u < 24)
        sqlite3_bind_text (case_, 4, officer, -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_null (case_, 4);
      sqlite3_bind_text (case_, 5, due, -1, SQLITE_TRANSIENT);
      g_assert (sqlite3_step (case_) == SQLITE_DONE);
      sqlite3_reset (case_);
    }
  sqlite3_finalize (debtor);
  sqlite3_finalize (case_);
  exec_sql (db, "COMMIT");
  g_rand_free (rand);
}

static void
print_row (const BenchTiming *timing)
{
  g_print ("| %-40s | %8.1f | %8.1f | %8.1f |\n", timing->label, timing->p50, timing->max,
           timing->cpu_p50);
}

static char *
load_average (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return g_strdup ("unknown");
  g_strchomp (text);
  return g_strdup (text);
}

int
main (int   argc,
      char *argv[])
{
  const char *items_env = g_getenv ("ESATTORE_BENCH_ITEMS");
  guint n_items = items_env != NULL ? (guint) atoi (items_env) : 100000;
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(EsaQueueModel) model = NULL;
  g_autofree char *dir = g_dir_make_tmp ("esa-bench-queue-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "queue.db", NULL);
  g_autofree char *load_before = NULL;
  g_autofree char *load_after = NULL;
  /* What "Team queues" asks: every item, in due order (the model groups). */
  EsaQueueFilter filter = { .today = "2026-11-23", .group = ESA_QUEUE_GROUP_NONE };
  BenchTiming store_load = { "store: esa_store_queue_items()" };
  BenchTiming model_load = { "model: esa_queue_model_set_items()" };
  BenchTiming open = { "open (store + model)" };
  BenchTiming by_officer = { "re-sort: group by officer" };
  BenchTiming by_office = { "re-sort: group by office" };
  BenchTiming by_assignee = { "re-sort: sort by assignee" };
  BenchTiming by_debtor = { "re-sort: sort by debtor" };
  BenchTiming by_due = { "re-sort: back to due date, by when" };
  BenchTiming *resorts[] = { &by_officer, &by_office, &by_assignee, &by_debtor, &by_due };
  BenchTiming *slowest;
  double total;
  guint n_loaded = 0;

  if (n_items == 0)
    n_items = 100000;
  store = esa_store_open (path, &error);
  g_assert_no_error (error);
  fill (store, n_items);

  load_before = load_average ();
  model = esa_queue_model_new ();
  esa_queue_model_set_group (model, ESA_QUEUE_GROUP_WHEN);
  for (guint run = 0; run < RUNS; run++)
    {
      GPtrArray *items = NULL;

      BENCH_TIME (store_load, run, items = esa_store_queue_items (store, &filter, &error));
      g_assert_no_error (error);
      n_loaded = items->len;
      BENCH_TIME (model_load, run, esa_queue_model_set_items (model, items));
      open.ms[run] = store_load.ms[run] + model_load.ms[run];
      open.cpu_ms[run] = store_load.cpu_ms[run] + model_load.cpu_ms[run];
      g_assert_cmpuint (g_list_model_get_n_items (esa_queue_model_get_model (model)), ==,
                        n_loaded);

      BENCH_TIME (by_officer, run, esa_queue_model_set_group (model, ESA_QUEUE_GROUP_OFFICER));
      BENCH_TIME (by_office, run, esa_queue_model_set_group (model, ESA_QUEUE_GROUP_OFFICE));
      BENCH_TIME (by_assignee, run,
            esa_queue_model_set_group (model, ESA_QUEUE_GROUP_NONE);
            esa_queue_model_set_sort (model, ESA_QUEUE_SORT_ASSIGNEE));
      BENCH_TIME (by_debtor, run, esa_queue_model_set_sort (model, ESA_QUEUE_SORT_DEBTOR));
      BENCH_TIME (by_due, run,
            esa_queue_model_set_sort (model, ESA_QUEUE_SORT_DUE);
            esa_queue_model_set_group (model, ESA_QUEUE_GROUP_WHEN));
    }
  load_after = load_average ();

  bench_summarise (&store_load, RUNS);
  bench_summarise (&model_load, RUNS);
  bench_summarise (&open, RUNS);
  slowest = resorts[0];
  for (guint i = 0; i < G_N_ELEMENTS (resorts); i++)
    {
      bench_summarise (resorts[i], RUNS);
      if (resorts[i]->p50 > slowest->p50)
        slowest = resorts[i];
    }
  total = open.p50 + slowest->p50;

  g_print ("queue of %u items, %d runs, load average %s (before) / %s (after)\n",
           n_loaded, RUNS, load_before, load_after);
  g_print ("| %-40s | %8s | %8s | %8s |\n", "operation", "p50 ms", "max ms", "cpu p50");
  g_print ("|------------------------------------------|----------|----------|----------|\n");
  print_row (&store_load);
  print_row (&model_load);
  print_row (&open);
  for (guint i = 0; i < G_N_ELEMENTS (resorts); i++)
    print_row (resorts[i]);
  g_print ("open + slowest re-sort (%s), p50: %.1f ms, limit %.0f ms: %s\n",
           slowest->label, total, LIMIT_MS, total <= LIMIT_MS ? "met" : "NOT MET");

  g_clear_object (&model);
  g_clear_object (&store);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    /* ESATTORE_BENCH_KEEP leaves the database for a look with sqlite3. */
    if (g_getenv ("ESATTORE_BENCH_KEEP") == NULL)
      {
        g_remove (wal);
        g_remove (shm);
        g_remove (path);
        g_rmdir (dir);
      }
  }
  return total <= LIMIT_MS ? 0 : 1;
}
