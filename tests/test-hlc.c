#include "esa-core.h"

#include <string.h>

/* A wall time in 2027, in milliseconds. */
#define T0 G_GINT64_CONSTANT (1805000000000)

static void
assert_reading (const EsaHlc *clock,
                gint64        wall_ms,
                guint32       counter)
{
  g_assert_cmpint (clock->wall_ms, ==, wall_ms);
  g_assert_cmpuint (clock->counter, ==, counter);
}

static void
test_text_form (void)
{
  g_autofree char *stamp = esa_hlc_format (T0, 42);
  g_autofree char *zero = esa_hlc_format (0, 0);
  gint64 wall_ms = 0;
  guint32 counter = 0;

  g_assert_cmpstr (stamp, ==, "1805000000000-000042");
  g_assert_cmpstr (zero, ==, "0000000000000-000000");

  g_assert_true (esa_hlc_parse (stamp, &wall_ms, &counter, NULL));
  g_assert_cmpint (wall_ms, ==, T0);
  g_assert_cmpuint (counter, ==, 42);
  g_assert_true (esa_hlc_parse (zero, NULL, NULL, NULL));
}

static void
test_parse_errors (void)
{
  const char *bad[] = {
    "", "1805000000000", "1805000000000-00004", "1805000000000-0000420",
    "180500000000-000042", "1805000000000_000042", "18050000000x0-000042",
    "1805000000000-00004x", " 805000000000-000042", "-805000000000-000042",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 wall_ms = 7;

      g_assert_false (esa_hlc_parse (bad[i], &wall_ms, NULL, &error));
      g_assert_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_PARSE);
      g_assert_cmpint (wall_ms, ==, 7);
      if (*bad[i] != '\0')
        g_assert_nonnull (strstr (error->message, bad[i]));
    }

  {
    g_autoptr(GError) error = NULL;

    g_assert_false (esa_hlc_parse (NULL, NULL, NULL, &error));
    g_assert_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_PARSE);
  }
}

static void
test_tick_follows_wall_clock (void)
{
  EsaHlc clock;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;

  esa_hlc_init (&clock);
  assert_reading (&clock, 0, 0);

  first = esa_hlc_tick (&clock, T0);
  g_assert_cmpstr (first, ==, "1805000000000-000000");

  /* Same millisecond: the counter orders the events. */
  second = esa_hlc_tick (&clock, T0);
  g_assert_cmpstr (second, ==, "1805000000000-000001");

  /* The wall clock moved on: the counter starts again. */
  third = esa_hlc_tick (&clock, T0 + 5);
  g_assert_cmpstr (third, ==, "1805000000005-000000");
  g_assert_cmpstr (first, <, second);
  g_assert_cmpstr (second, <, third);
}

static void
test_wall_clock_goes_back (void)
{
  EsaHlc clock;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *later = NULL;

  esa_hlc_init (&clock);
  before = esa_hlc_tick (&clock, T0 + 1000);

  /* The device's clock is set back by a minute: stamps keep growing. */
  after = esa_hlc_tick (&clock, T0 - 60000);
  g_assert_cmpstr (after, ==, "1805000001000-000001");
  g_assert_cmpstr (before, <, after);

  /* Once the wall clock passes the clock again, it takes over. */
  later = esa_hlc_tick (&clock, T0 + 2000);
  g_assert_cmpstr (later, ==, "1805000002000-000000");
}

static void
test_receive (void)
{
  EsaHlc clock;
  g_autoptr(GError) error = NULL;
  g_autofree char *after_remote = NULL;
  g_autofree char *after_old = NULL;

  /* A remote stamp ahead of the local wall clock pulls the clock forward. */
  esa_hlc_init (&clock);
  g_assert_true (esa_hlc_receive (&clock, "1805000009000-000007", T0, &error));
  g_assert_no_error (error);
  assert_reading (&clock, T0 + 9000, 8);
  after_remote = esa_hlc_tick (&clock, T0 + 1);
  g_assert_cmpstr (after_remote, >, "1805000009000-000007");
  g_assert_cmpstr (after_remote, ==, "1805000009000-000009");

  /* Same wall time on both sides: the larger counter wins, plus one. */
  clock.wall_ms = T0;
  clock.counter = 3;
  g_assert_true (esa_hlc_receive (&clock, "1805000000000-000010", T0 - 5, NULL));
  assert_reading (&clock, T0, 11);
  g_assert_true (esa_hlc_receive (&clock, "1805000000000-000002", T0 - 5, NULL));
  assert_reading (&clock, T0, 12);

  /* An old remote stamp only counts as an event. */
  g_assert_true (esa_hlc_receive (&clock, "1700000000000-000099", T0 - 5, NULL));
  assert_reading (&clock, T0, 13);

  /* The local wall clock is ahead of both: it takes over. */
  g_assert_true (esa_hlc_receive (&clock, "1805000000000-000099", T0 + 10, NULL));
  assert_reading (&clock, T0 + 10, 0);
  after_old = esa_hlc_tick (&clock, T0 + 10);
  g_assert_cmpstr (after_old, ==, "1805000000010-000001");

  /* A bad stamp leaves the clock alone. */
  g_assert_false (esa_hlc_receive (&clock, "yesterday", T0 + 20, &error));
  g_assert_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_PARSE);
  assert_reading (&clock, T0 + 10, 1);
}

static void
test_counter_overflow (void)
{
  EsaHlc clock = { T0, ESA_HLC_MAX_COUNTER - 1 };
  g_autofree char *last = NULL;
  g_autofree char *carried = NULL;
  g_autoptr(GError) error = NULL;

  /* The six digits run out: the clock carries into the next millisecond so
   * that the text form stays ordered. */
  last = esa_hlc_tick (&clock, T0);
  g_assert_cmpstr (last, ==, "1805000000000-999999");
  carried = esa_hlc_tick (&clock, T0);
  g_assert_cmpstr (carried, ==, "1805000000001-000000");
  g_assert_cmpstr (last, <, carried);

  esa_hlc_init (&clock);
  g_assert_true (esa_hlc_receive (&clock, "1805000000000-999999", T0, NULL));
  assert_reading (&clock, T0 + 1, 0);

  /* The very last stamp cannot be followed. */
  esa_hlc_init (&clock);
  g_assert_false (esa_hlc_receive (&clock, "9999999999999-999999", T0, &error));
  g_assert_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_RANGE);
  assert_reading (&clock, 0, 0);
}

/* Three devices with skewed, sometimes backward clocks exchange messages in
 * a seeded random order. Every stamp a device issues must be greater than
 * every stamp it issued or received before, and no clock may run ahead of
 * the fastest wall clock. (Two devices can issue equal stamps: the sync
 * protocol breaks such ties by operation id.) */
static void
test_random_exchange (void)
{
  EsaHlc clocks[3];
  gint64 walls[3] = { T0, T0 - 30000, T0 + 45000 };
  char *last_seen[3] = { NULL, NULL, NULL };
  gint64 fastest_wall = walls[2];
  g_autoptr(GPtrArray) in_flight = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < 3; i++)
    esa_hlc_init (&clocks[i]);

  for (guint step = 0; step < 20000; step++)
    {
      guint device = (guint) g_test_rand_int_range (0, 3);
      gint action = g_test_rand_int_range (0, 10);

      /* Wall clocks mostly advance, sometimes stand still or jump back. */
      walls[device] += g_test_rand_int_range (-20, 40);
      fastest_wall = MAX (fastest_wall, walls[device]);

      if (action < 6 || in_flight->len == 0)
        {
          char *stamp = esa_hlc_tick (&clocks[device], MAX (walls[device], 0));

          if (last_seen[device] != NULL)
            g_assert_cmpstr (stamp, >, last_seen[device]);
          g_free (last_seen[device]);
          last_seen[device] = g_strdup (stamp);
          g_ptr_array_add (in_flight, stamp);
        }
      else
        {
          guint index = (guint) g_test_rand_int_range (0, (gint32) in_flight->len);
          const char *message = g_ptr_array_index (in_flight, index);
          g_autofree char *next = NULL;

          g_assert_true (esa_hlc_receive (&clocks[device], message, MAX (walls[device], 0), NULL));
          next = esa_hlc_format (clocks[device].wall_ms, clocks[device].counter);
          g_assert_cmpstr (next, >, message);
          if (last_seen[device] != NULL)
            g_assert_cmpstr (next, >, last_seen[device]);
          g_free (last_seen[device]);
          last_seen[device] = g_steal_pointer (&next);
          g_ptr_array_remove_index_fast (in_flight, index);
        }

      g_assert_cmpint (clocks[device].wall_ms, <=, fastest_wall);
    }

  for (guint i = 0; i < 3; i++)
    g_free (last_seen[i]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hlc/text-form", test_text_form);
  g_test_add_func ("/hlc/parse-errors", test_parse_errors);
  g_test_add_func ("/hlc/tick-follows-wall-clock", test_tick_follows_wall_clock);
  g_test_add_func ("/hlc/wall-clock-goes-back", test_wall_clock_goes_back);
  g_test_add_func ("/hlc/receive", test_receive);
  g_test_add_func ("/hlc/counter-overflow", test_counter_overflow);
  g_test_add_func ("/hlc/random-exchange", test_random_exchange);

  return g_test_run ();
}
