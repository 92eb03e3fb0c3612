/* The model side of a large work queue: 100,000 queue items (as
 * esa_store_queue_items() returns them) loaded into the EsaQueueModel behind
 * "Team queues" (entries, filter, GtkSortListModel), then re-sorted and
 * re-grouped the ways the team lead can choose, and filtered to the overdue
 * ones and back. No widget and no display: the model is what costs.
 *
 * Prints p50 and max in ms per operation over the runs, and fails when a
 * p50 is over the limit. ESATTORE_BENCH_ITEMS changes the count. */

#include "esa-config.h"

#include <stdio.h>

#include "bench-timing.h"
#include "esa-queue-model.h"

#define ITEMS     100000
#define RUNS      7
#define LIMIT_MS  100.0
#define OFFICERS  40
#define OFFICES   8

static const char * const act_types[] = {
  "injunction", "payment_order", "reminder", "seizure", "vehicle_lien", "ticket",
};

static const char * const surnames[] = {
  "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
  "Marino", "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa",
  "Müller", "Meier", "Schmid", "Keller", "Weber", "Huber", "Schneider", "Meyer",
};

static const char * const names[] = {
  "Mario", "Giulia", "Luca", "Francesca", "Marco", "Chiara", "Andrea", "Sara",
  "Peter", "Anna", "Hans", "Ursula", "Daniel", "Sandra", "Reto", "Martina",
};

/* Items as the store gives them: due dates around today, so that about a
 * fifth is overdue. */
static GPtrArray *
make_items (guint n)
{
  GPtrArray *items = g_ptr_array_new_full (n, (GDestroyNotify) esa_queue_item_free);
  GRand *rand = g_rand_new_with_seed (7);
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 20, G_DATE_NOVEMBER, 2026);

  for (guint i = 0; i < n; i++)
    {
      EsaQueueItem *item = g_new0 (EsaQueueItem, 1);
      gint32 offset = g_rand_int_range (rand, -60, 240);
      guint officer = g_rand_int_range (rand, 0, OFFICERS + 1);
      GDate due = today;

      if (offset >= 0)
        g_date_add_days (&due, offset);
      else
        g_date_subtract_days (&due, -offset);

      item->id = g_strdup_printf ("case:%08u", i);
      item->kind = ESA_QUEUE_KIND_DEADLINE;
      item->due_on = g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (&due),
                                      g_date_get_month (&due), g_date_get_day (&due));
      item->due_julian = g_date_get_julian (&due);
      item->when = offset < 0 ? ESA_QUEUE_WHEN_OVERDUE
                   : offset == 0 ? ESA_QUEUE_WHEN_TODAY
                   : offset <= 7 ? ESA_QUEUE_WHEN_WEEK
                   : ESA_QUEUE_WHEN_LATER;
      item->office_id = g_strdup_printf ("office-%u", officer % OFFICES);
      item->office_name = g_strdup_printf ("Ufficio %u", officer % OFFICES);
      /* One officer in OFFICERS + 1 is nobody: unassigned items. */
      if (officer < OFFICERS)
        {
          item->assignee_id = g_strdup_printf ("user-%u", officer);
          item->assignee_name = g_strdup_printf ("%s %s",
                                                 names[officer % G_N_ELEMENTS (names)],
                                                 surnames[officer % G_N_ELEMENTS (surnames)]);
        }
      item->case_id = g_strdup_printf ("%08u", i);
      item->debtor_id = g_strdup_printf ("debtor-%08u", g_rand_int (rand));
      item->debtor_name = g_strdup_printf ("%s %s %u",
                                           surnames[g_rand_int_range (rand, 0, G_N_ELEMENTS (surnames))],
                                           names[g_rand_int_range (rand, 0, G_N_ELEMENTS (names))],
                                           g_rand_int_range (rand, 0, 1000));
      item->act_type = g_strdup (act_types[g_rand_int_range (rand, 0, G_N_ELEMENTS (act_types))]);
      item->title = g_strdup ("Notice served: 60 days to pay");
      item->state = g_strdup ("notified");
      g_ptr_array_add (items, item);
    }
  g_rand_free (rand);
  return items;
}

static void
report (BenchTiming *timing,
        gboolean    *ok)
{
  bench_summarise (timing, RUNS);
  printf ("%-28s p50 %7.1f ms   max %7.1f ms%s\n", timing->label, timing->p50, timing->max,
          timing->p50 > LIMIT_MS ? "   OVER THE LIMIT" : "");
  if (timing->p50 > LIMIT_MS)
    *ok = FALSE;
}

int
main (int   argc,
      char *argv[])
{
  const char *env = g_getenv ("ESATTORE_BENCH_ITEMS");
  guint n = env != NULL ? (guint) g_ascii_strtoull (env, NULL, 10) : ITEMS;
  BenchTiming load = { "load (entries, sort)" };
  BenchTiming by_officer = { "group by officer" };
  BenchTiming by_office = { "group by office" };
  BenchTiming by_debtor = { "sort by debtor" };
  BenchTiming by_due = { "back to due date" };
  BenchTiming overdue = { "filter overdue" };
  BenchTiming all = { "filter off" };
  gboolean ok = TRUE;
  guint shown = 0;

  if (n == 0)
    n = ITEMS;
  printf ("queue model: %u items, %d runs, limit %.0f ms (p50)\n", n, RUNS, LIMIT_MS);

  for (guint run = 0; run < RUNS; run++)
    {
      g_autoptr(EsaQueueModel) model = esa_queue_model_new ();
      GPtrArray *items = make_items (n);
      GListModel *sorted = esa_queue_model_get_model (model);

      esa_queue_model_set_group (model, ESA_QUEUE_GROUP_WHEN);
      BENCH_TIME (load, run, esa_queue_model_set_items (model, items));
      g_assert_cmpuint (g_list_model_get_n_items (sorted), ==, n);

      BENCH_TIME (by_officer, run, esa_queue_model_set_group (model, ESA_QUEUE_GROUP_OFFICER));
      BENCH_TIME (by_office, run, esa_queue_model_set_group (model, ESA_QUEUE_GROUP_OFFICE));
      BENCH_TIME (by_debtor, run,
            esa_queue_model_set_group (model, ESA_QUEUE_GROUP_NONE);
            esa_queue_model_set_sort (model, ESA_QUEUE_SORT_DEBTOR));
      BENCH_TIME (by_due, run,
            esa_queue_model_set_sort (model, ESA_QUEUE_SORT_DUE);
            esa_queue_model_set_group (model, ESA_QUEUE_GROUP_WHEN));
      BENCH_TIME (overdue, run, esa_queue_model_set_when (model, ESA_QUEUE_WHEN_OVERDUE));
      shown = g_list_model_get_n_items (sorted);
      BENCH_TIME (all, run, esa_queue_model_set_when (model, ESA_QUEUE_WHEN_ALL));
      g_assert_cmpuint (g_list_model_get_n_items (sorted), ==, n);
    }

  printf ("(%u of them overdue)\n", shown);
  report (&load, &ok);
  report (&by_officer, &ok);
  report (&by_office, &ok);
  report (&by_debtor, &ok);
  report (&by_due, &ok);
  report (&overdue, &ok);
  report (&all, &ok);
  return ok ? 0 : 1;
}
