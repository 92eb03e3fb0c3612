/* bench-timing.h: timing runs of the queue benchmarks and their p50/max
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <stdlib.h>
#include <time.h>

#define BENCH_MAX_RUNS 16

/* One operation's time in each run, in ms, and its summary: the wall time
 * the officer waits, and the processor time of the thread, which other
 * work on a shared machine does not inflate as much. */
typedef struct
{
  const char *label;
  double      ms[BENCH_MAX_RUNS];
  double      cpu_ms[BENCH_MAX_RUNS];
  double      p50;
  double      max;
  double      cpu_p50;
} BenchTiming;

static inline double
bench_cpu_ms (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec * 1000.0 + now.tv_nsec / 1000000.0;
}

static inline int
bench_compare_double (const void *a,
                      const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Sorts the @runs times and sets p50 and max. */
static inline void
bench_summarise (BenchTiming *timing,
                 guint        runs)
{
  qsort (timing->ms, runs, sizeof (double), bench_compare_double);
  qsort (timing->cpu_ms, runs, sizeof (double), bench_compare_double);
  timing->p50 = timing->ms[runs / 2];
  timing->max = timing->ms[runs - 1];
  timing->cpu_p50 = timing->cpu_ms[runs / 2];
}

/* Runs @code and records its wall and processor time in ms as run @run of
 * @timing. */
#define BENCH_TIME(timing, run, code) \
  G_STMT_START { \
    double cpu_ = bench_cpu_ms (); \
    gint64 start_ = g_get_monotonic_time (); \
    code; \
    (timing).ms[run] = (g_get_monotonic_time () - start_) / 1000.0; \
    (timing).cpu_ms[run] = bench_cpu_ms () - cpu_; \
  } G_STMT_END
