/* Cold start of the workbench on a large database: runs
 *   esattore --db DB --screenshot OUT.png
 * ten times with ESATTORE_TIMING=1 and prints the time to the first frame
 * (p50/p95, as the application measures it from main()), the time until the
 * screenshot was written and the process exited, and the peak resident set
 * size of each run (from wait4()).
 *
 * The database is $ESATTORE_BENCH_DB; without it, a demo database of
 * $ESATTORE_BENCH_DEBTORS debtors (default 300000) is generated once in the
 * working directory (shared with bench-store) and reused by later runs. */

#include "esa-config.h"

#include <math.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "esa-demo.h"
#include "esa-store.h"

#define RUNS 10

typedef struct
{
  const char  *name;
  const char  *extra_args[4];
} Scenario;

typedef struct
{
  double first_frame_ms;
  double wall_ms;
  double peak_rss_mib;
} Sample;

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Nearest-rank percentile of @n sorted values. */
static double
percentile (const double *sorted,
            guint         n,
            double        p)
{
  guint rank = (guint) ceil (p / 100.0 * n);

  return sorted[CLAMP (rank, 1, n) - 1];
}

static gboolean
run_once (const char  *exe,
          const char  *db,
          const char  *png,
          const char  *const *extra_args,
          Sample      *sample,
          GError     **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GString) output = g_string_new (NULL);
  g_autoptr(GIOChannel) channel = NULL;
  struct rusage usage;
  const char *line;
  GPid pid;
  int err_fd;
  int status = 0;
  gint64 start;
  char buffer[4096];
  gsize got;

  g_ptr_array_add (argv, (gpointer) exe);
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, (gpointer) db);
  g_ptr_array_add (argv, (gpointer) "--screenshot");
  g_ptr_array_add (argv, (gpointer) png);
  for (guint i = 0; extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) extra_args[i]);
  g_ptr_array_add (argv, NULL);

  envp = g_environ_setenv (envp, "ESATTORE_TIMING", "1", TRUE);
  envp = g_environ_setenv (envp, "GSK_RENDERER", "cairo", TRUE);

  start = g_get_monotonic_time ();
  if (!g_spawn_async_with_pipes (NULL, (char **) argv->pdata, envp,
                                 G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid,
                                 NULL, NULL, &err_fd, error))
    return FALSE;

  channel = g_io_channel_unix_new (err_fd);
  g_io_channel_set_close_on_unref (channel, TRUE);
  g_io_channel_set_encoding (channel, NULL, NULL);
  while (g_io_channel_read_chars (channel, buffer, sizeof buffer, &got, NULL) ==
         G_IO_STATUS_NORMAL)
    g_string_append_len (output, buffer, got);

  /* wait4() both reaps the child and reports its own peak RSS, which
   * getrusage(RUSAGE_CHILDREN) would mix across runs. */
  if (wait4 (pid, &status, 0, &usage) < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "wait4 failed for %s", exe);
      return FALSE;
    }
  sample->wall_ms = (g_get_monotonic_time () - start) / 1000.0;
  g_spawn_close_pid (pid);

  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "esattore failed (status %d): %s",
                   status, output->str);
      return FALSE;
    }

  line = strstr (output->str, "first-frame-ms: ");
  if (line == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "esattore printed no first-frame-ms line: %s", output->str);
      return FALSE;
    }
  sample->first_frame_ms = g_ascii_strtod (line + strlen ("first-frame-ms: "), NULL);
  sample->peak_rss_mib = usage.ru_maxrss / 1024.0; /* Linux reports KiB */
  return TRUE;
}

/* Fills a new demo database at @path; run in a child process of its own so
 * that this process stays small (a forked child's peak RSS counts the memory
 * it inherited). */
static int
generate (const char *path,
          const char *size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaStore) store = NULL;
  g_autofree char *partial = g_strconcat (path, ".partial", NULL);
  EsaDemoOptions options;
  guint64 debtors;

  if (!g_ascii_string_to_unsigned (size, 10, 1, 10000000, &debtors, &error))
    goto fail;

  g_remove (partial);
  store = esa_store_open (partial, &error);
  if (store == NULL)
    goto fail;

  esa_demo_options_init (&options);
  options.debtors = (guint) debtors;
  options.seed = 1;
  if (!esa_demo_generate (store, &options, &error))
    goto fail;
  g_clear_object (&store);

  if (g_rename (partial, path) != 0)
    {
      g_printerr ("bench-startup: cannot rename %s to %s\n", partial, path);
      return 1;
    }
  return 0;

fail:
  g_printerr ("bench-startup: %s\n", error->message);
  return 1;
}

static char *
bench_database (const char  *self_path,
                GError     **error)
{
  const char *env = g_getenv ("ESATTORE_BENCH_DB");
  const char *size = g_getenv ("ESATTORE_BENCH_DEBTORS");
  g_autofree char *path = NULL;
  int status = 0;

  if (env != NULL && env[0] != '\0')
    {
      if (!g_file_test (env, G_FILE_TEST_IS_REGULAR))
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                       "ESATTORE_BENCH_DB names %s, which is not a file", env);
          return NULL;
        }
      return g_strdup (env);
    }

  if (size == NULL || size[0] == '\0')
    size = "300000";

  /* The same file as bench-store's (same generator, seed and size), so that
   * the two benchmarks make the large database only once. */
  path = g_strdup_printf ("bench-store-%s.db", size);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      const char *argv[] = { self_path, "--generate", path, size, NULL };

      g_printerr ("generating a demo database of %s debtors in %s...\n", size, path);
      if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                         NULL, NULL, &status, error) ||
          !g_spawn_check_wait_status (status, error))
        return NULL;
    }

  return g_canonicalize_filename (path, NULL);
}

int
main (int   argc,
      char *argv[])
{
  static const Scenario scenarios[] = {
    { "start", { NULL } },
    { "start + search 'mar'", { "--search", "mar", NULL } },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *png = NULL;
  g_autofree char *tmp_dir = NULL;
  g_autoptr(EsaStore) store = NULL;
  gint64 debtors;

  if (argc == 4 && g_str_equal (argv[1], "--generate"))
    return generate (argv[2], argv[3]);

  if (argc != 2)
    {
      g_printerr ("usage: %s PATH-TO-ESATTORE\n", argv[0]);
      return 2;
    }

  db = bench_database (argv[0], &error);
  if (db == NULL)
    {
      g_printerr ("bench-startup: %s\n", error->message);
      return 1;
    }

  store = esa_store_open (db, &error);
  if (store == NULL)
    {
      g_printerr ("bench-startup: %s\n", error->message);
      return 1;
    }
  debtors = esa_store_count_debtors (store, NULL);
  g_clear_object (&store);

  tmp_dir = g_dir_make_tmp ("esattore-bench-XXXXXX", &error);
  if (tmp_dir == NULL)
    {
      g_printerr ("bench-startup: %s\n", error->message);
      return 1;
    }
  png = g_build_filename (tmp_dir, "shot.png", NULL);

  g_print ("esattore cold start: %s (%" G_GINT64_FORMAT " debtors), %d runs each, "
           "GSK_RENDERER=cairo\n\n", db, debtors, RUNS);
  g_print ("%-24s %-18s %10s %10s %10s %10s\n", "scenario", "measure", "p50", "p95", "min", "max");

  for (guint s = 0; s < G_N_ELEMENTS (scenarios); s++)
    {
      double first_frame[RUNS];
      double wall[RUNS];
      double rss[RUNS];
      struct { const char *label; double *values; } rows[] = {
        { "first frame (ms)", first_frame },
        { "until exit (ms)", wall },
        { "peak RSS (MiB)", rss },
      };

      for (guint i = 0; i < RUNS; i++)
        {
          Sample sample;

          if (!run_once (argv[1], db, png, scenarios[s].extra_args, &sample, &error))
            {
              g_printerr ("bench-startup: run %u of “%s”: %s\n", i + 1, scenarios[s].name,
                          error->message);
              g_remove (png);
              g_rmdir (tmp_dir);
              return 1;
            }
          first_frame[i] = sample.first_frame_ms;
          wall[i] = sample.wall_ms;
          rss[i] = sample.peak_rss_mib;
        }

      for (guint r = 0; r < G_N_ELEMENTS (rows); r++)
        {
          qsort (rows[r].values, RUNS, sizeof (double), compare_doubles);
          g_print ("%-24s %-18s %10.1f %10.1f %10.1f %10.1f\n",
                   r == 0 ? scenarios[s].name : "", rows[r].label,
                   percentile (rows[r].values, RUNS, 50), percentile (rows[r].values, RUNS, 95),
                   rows[r].values[0], rows[r].values[RUNS - 1]);
        }
    }

  g_remove (png);
  g_rmdir (tmp_dir);
  return 0;
}
