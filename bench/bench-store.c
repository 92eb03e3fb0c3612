/* Search and dossier loading on a large database: a fixed, seeded set of
 * 1- to 4-word searches made from real names, towns, streets and
 * identifiers of the database, grouped notice numbers as printed on a
 * pagoPA notice, and dossier loads of random debtors. Prints p50, p95 and
 * max per kind, in milliseconds.
 *
 * The database is the first argument or $ESATTORE_BENCH_DB; without either,
 * a demo database of $ESATTORE_BENCH_DEBTORS debtors (default 300000, about
 * 1,000,000 positions) is generated once beside this program and reused. */

#include "esa-config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "esa-demo.h"
#include "esa-identifiers.h"
#include "esa-store-private.h"

#define SEED               42
#define SEARCHES_PER_SIZE  500
#define GROUPED_NOTICES    200
#define DOSSIER_LOADS      2000
#define PAGE               50

typedef struct
{
  char *id;
  char *name;
  char *tax_id;
  char *town;
  char *street;
  char *postcode;
  char *payment_reference;
  char *act_number;
} Sample;

static void
sample_clear (Sample *sample)
{
  g_free (sample->id);
  g_free (sample->name);
  g_free (sample->tax_id);
  g_free (sample->town);
  g_free (sample->street);
  g_free (sample->postcode);
  g_free (sample->payment_reference);
  g_free (sample->act_number);
}

typedef struct
{
  const char *label;
  GArray     *ms;      /* double */
  guint64     hits;
  guint       more;
} Series;

static char *
bench_database (int       argc,
                char     *argv[],
                GError  **error)
{
  const char *env = g_getenv ("ESATTORE_BENCH_DB");
  const char *size = g_getenv ("ESATTORE_BENCH_DEBTORS");
  g_autofree char *path = NULL;
  g_autofree char *partial = NULL;
  g_autoptr(EsaStore) store = NULL;
  EsaDemoOptions options;
  guint64 debtors = 300000;
  gint64 start;

  if (argc > 1)
    env = argv[1];
  if (env != NULL && env[0] != '\0')
    {
      if (!g_file_test (env, G_FILE_TEST_IS_REGULAR))
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "%s is not a file", env);
          return NULL;
        }
      return g_strdup (env);
    }

  if (size != NULL && !g_ascii_string_to_unsigned (size, 10, 1, 10000000, &debtors, error))
    return NULL;

  path = g_strdup_printf ("bench-store-%" G_GUINT64_FORMAT ".db", debtors);
  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return g_canonicalize_filename (path, NULL);

  g_printerr ("generating a demo database of %" G_GUINT64_FORMAT " debtors in %s…\n", debtors,
              path);
  partial = g_strconcat (path, ".partial", NULL);
  g_remove (partial);
  store = esa_store_open (partial, error);
  if (store == NULL)
    return NULL;

  start = g_get_monotonic_time ();
  esa_demo_options_init (&options);
  options.debtors = (guint) debtors;
  options.seed = 1;
  if (!esa_demo_generate (store, &options, error))
    return NULL;
  g_clear_object (&store);
  g_printerr ("generated in %.1f s\n", (g_get_monotonic_time () - start) / 1e6);

  if (g_rename (partial, path) != 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot rename %s", partial);
      return NULL;
    }
  return g_canonicalize_filename (path, NULL);
}

/* Random debtors with the words a person would type to find them. */
static GArray *
read_samples (EsaStore  *store,
              GRand     *rand,
              guint      n,
              GError   **error)
{
  sqlite3 *db = _esa_store_get_db (store);
  g_autoptr(GArray) samples = g_array_new (FALSE, TRUE, sizeof (Sample));
  sqlite3_stmt *max = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 max_num = 0;

  g_array_set_clear_func (samples, (GDestroyNotify) sample_clear);

  if (sqlite3_prepare_v2 (db, "SELECT max(num) FROM debtors", -1, &max, NULL) == SQLITE_OK
      && sqlite3_step (max) == SQLITE_ROW)
    max_num = sqlite3_column_int64 (max, 0);
  sqlite3_finalize (max);
  if (max_num == 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "the database has no debtors");
      return NULL;
    }

  if (sqlite3_prepare_v2 (db,
                          "SELECT d.id, d.name, d.tax_id, a.town, a.street, a.postcode, "
                          "  (SELECT payment_reference FROM positions "
                          "     WHERE debtor_id = d.id AND payment_reference IS NOT NULL LIMIT 1), "
                          "  (SELECT number FROM acts WHERE debtor_id = d.id LIMIT 1) "
                          "FROM debtors d LEFT JOIN addresses a ON a.debtor_id = d.id "
                          "  AND a.valid_to IS NULL "
                          "WHERE d.num >= ?1 ORDER BY d.num LIMIT 1",
                          -1, &stmt, NULL)
      != SQLITE_OK)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s", sqlite3_errmsg (db));
      return NULL;
    }

  while (samples->len < n)
    {
      Sample sample = { NULL, };

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, g_rand_int_range (rand, 1, (gint32) max_num + 1));
      if (sqlite3_step (stmt) != SQLITE_ROW)
        continue;
      sample.id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      sample.name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      sample.tax_id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      sample.town = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      sample.street = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      sample.postcode = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      sample.payment_reference = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
      sample.act_number = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
      g_array_append_val (samples, sample);
    }
  sqlite3_finalize (stmt);

  return g_steal_pointer (&samples);
}

/* A word cut to a prefix of 2 to 5 characters now and then, as typed by
 * someone who stops once the list looks right. */
static char *
maybe_prefix (GRand      *rand,
              const char *word)
{
  glong length = g_utf8_strlen (word, -1);

  if (length > 3 && g_rand_int_range (rand, 0, 10) < 4)
    {
      glong keep = MIN (length - 1, g_rand_int_range (rand, 2, 6));

      return g_utf8_substring (word, 0, keep);
    }
  return g_strdup (word);
}

static void
add_words (GPtrArray  *pool,
           const char *text)
{
  g_auto(GStrv) words = NULL;

  if (text == NULL)
    return;
  words = g_strsplit_set (text, " ,", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (words[i][0] != '\0')
        g_ptr_array_add (pool, g_strdup (words[i]));
    }
}

/* A query of @n_words words about @sample: the first word of the name
 * first, then other words of its name and address in random order. */
static char *
make_query (GRand        *rand,
            const Sample *sample,
            guint         n_words)
{
  g_autoptr(GPtrArray) name = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) others = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) query = g_string_new (NULL);
  const char *ids[] = { sample->tax_id, sample->payment_reference, sample->act_number, NULL };

  if (n_words == 1)
    {
      guint pick = g_rand_int_range (rand, 0, 100);

      if (pick >= 55 && pick < 70 && sample->town != NULL)
        return g_strdup (sample->town);
      if (pick >= 70 && ids[(pick - 70) / 10] != NULL)
        {
          const char *id = ids[(pick - 70) / 10];

          /* Identifiers are mostly typed whole, sometimes in part. */
          if (g_rand_int_range (rand, 0, 4) == 0)
            return g_strndup (id, MAX (4, strlen (id) / 2));
          return g_strdup (id);
        }
    }

  add_words (name, sample->name);
  add_words (others, sample->town);
  add_words (others, sample->street);
  add_words (others, sample->postcode);
  for (guint i = 1; i < name->len; i++)
    g_ptr_array_add (others, g_strdup (name->pdata[i]));

  {
    g_autofree char *first = maybe_prefix (rand, name->pdata[0]);

    g_string_append (query, first);
  }
  for (guint i = 1; i < n_words && others->len > 0; i++)
    {
      guint k = g_rand_int_range (rand, 0, (gint32) others->len);
      g_autofree char *word = maybe_prefix (rand, others->pdata[k]);

      g_string_append_c (query, ' ');
      g_string_append (query, word);
      g_ptr_array_remove_index_fast (others, k);
    }
  return g_string_free (g_steal_pointer (&query), FALSE);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *sorted,
            double  p)
{
  guint index = (guint) (p * (sorted->len - 1) + 0.5);

  return g_array_index (sorted, double, MIN (index, sorted->len - 1));
}

static void
print_series (Series *series)
{
  g_array_sort (series->ms, compare_doubles);
  g_print ("%-26s %6u %9.2f %9.2f %9.2f %9.1f %6.1f%%\n", series->label, series->ms->len,
           percentile (series->ms, 0.50), percentile (series->ms, 0.95),
           g_array_index (series->ms, double, series->ms->len - 1),
           (double) series->hits / series->ms->len, 100.0 * series->more / series->ms->len);
}

static gboolean
time_search (EsaStore    *store,
             const char  *text,
             Series      *series,
             GError     **error)
{
  g_autoptr(GPtrArray) hits = NULL;
  gboolean more = FALSE;
  gint64 start = g_get_monotonic_time ();
  double ms;

  hits = esa_store_search (store, text, PAGE, 0, &more, error);
  ms = (g_get_monotonic_time () - start) / 1000.0;
  if (hits == NULL)
    return FALSE;

  g_array_append_val (series->ms, ms);
  series->hits += hits->len;
  series->more += more ? 1 : 0;
  if (g_getenv ("ESATTORE_BENCH_VERBOSE") != NULL)
    g_printerr ("%8.2f ms %3u%s  %s\n", ms, hits->len, more ? "+" : " ", text);
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (SEED);
  g_autoptr(GArray) samples = NULL;
  g_autofree char *path = NULL;
  Series searches[4] = {
    { "search, 1 word", NULL, 0, 0 },
    { "search, 2 words", NULL, 0, 0 },
    { "search, 3 words", NULL, 0, 0 },
    { "search, 4 words", NULL, 0, 0 },
  };
  Series grouped = { "search, grouped notice no.", NULL, 0, 0 };
  Series dossier = { "dossier load", NULL, 0, 0 };
  gint64 start;
  double open_ms;

  path = bench_database (argc, argv, &error);
  if (path == NULL)
    {
      g_printerr ("bench-store: %s\n", error->message);
      return 1;
    }

  start = g_get_monotonic_time ();
  store = esa_store_open (path, &error);
  open_ms = (g_get_monotonic_time () - start) / 1000.0;
  if (store == NULL)
    {
      g_printerr ("bench-store: %s\n", error->message);
      return 1;
    }

  samples = read_samples (store, rand, SEARCHES_PER_SIZE * 4 + DOSSIER_LOADS, &error);
  if (samples == NULL)
    {
      g_printerr ("bench-store: %s\n", error->message);
      return 1;
    }

  for (guint i = 0; i < 4; i++)
    searches[i].ms = g_array_new (FALSE, FALSE, sizeof (double));
  grouped.ms = g_array_new (FALSE, FALSE, sizeof (double));
  dossier.ms = g_array_new (FALSE, FALSE, sizeof (double));

  /* The word counts take turns, so that a warming cache favours none. */
  for (guint i = 0; i < SEARCHES_PER_SIZE * 4; i++)
    {
      const Sample *sample = &g_array_index (samples, Sample, i);
      guint n_words = 1 + i % 4;
      g_autofree char *text = make_query (rand, sample, n_words);

      if (!time_search (store, text, &searches[n_words - 1], &error))
        {
          g_printerr ("bench-store: search “%s”: %s\n", text, error->message);
          return 1;
        }
    }

  for (guint i = 0, done = 0; done < GROUPED_NOTICES && i < samples->len; i++)
    {
      const Sample *sample = &g_array_index (samples, Sample, i);
      g_autofree char *text = NULL;

      if (sample->payment_reference == NULL || strlen (sample->payment_reference) != 18)
        continue;
      text = esa_id_format (ESA_ID_PAGOPA_NOTICE, sample->payment_reference);
      if (!time_search (store, text, &grouped, &error))
        {
          g_printerr ("bench-store: search “%s”: %s\n", text, error->message);
          return 1;
        }
      done++;
    }

  for (guint i = 0; i < DOSSIER_LOADS; i++)
    {
      const Sample *sample = &g_array_index (samples, Sample, SEARCHES_PER_SIZE * 4 + i);
      g_autoptr(EsaDossier) loaded = NULL;
      double ms;

      start = g_get_monotonic_time ();
      loaded = esa_store_load_dossier (store, sample->id, &error);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      if (loaded == NULL)
        {
          g_printerr ("bench-store: dossier %s: %s\n", sample->id, error->message);
          return 1;
        }
      g_array_append_val (dossier.ms, ms);
      dossier.hits += loaded->positions->len;
    }

  g_print ("database: %s\n", path);
  g_print ("debtors: %" G_GINT64_FORMAT ", positions: %" G_GINT64_FORMAT ", open: %.1f ms\n",
           esa_store_count_debtors (store, NULL), esa_store_count_positions (store, NULL),
           open_ms);
  g_print ("%-26s %6s %9s %9s %9s %9s %7s\n", "", "runs", "p50 ms", "p95 ms", "max ms",
           "rows", "more");
  for (guint i = 0; i < 4; i++)
    print_series (&searches[i]);
  if (grouped.ms->len > 0)
    print_series (&grouped);
  print_series (&dossier);
  g_print ("(rows: hits per search, page of %d; positions per dossier. more: searches with "
           "hits past the first page)\n", PAGE);

  for (guint i = 0; i < 4; i++)
    g_array_unref (searches[i].ms);
  g_array_unref (grouped.ms);
  g_array_unref (dossier.ms);
  return 0;
}
