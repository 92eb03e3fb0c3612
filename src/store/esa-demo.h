#pragma once

#include "esa-store.h"

G_BEGIN_DECLS

/* The deterministic demo generator: the same seed and size always give the
 * same rows with the same ids. Everything is invented: names from lists of
 * common given names and surnames, streets and towns made up, identifiers
 * valid by their check rules. */

typedef struct
{
  guint   debtors;        /* default 5000 */
  guint64 seed;           /* default 1 */
  /* The reference date "YYYY-MM-DD" every generated date is placed before;
   * NULL means the current date. Same seed, size and date give the same
   * database content. */
  const char *today;
  /* Called now and then with the share done (0..1); may be NULL. */
  void  (*progress) (double fraction, gpointer user_data);
  gpointer progress_data;
} EsaDemoOptions;

void     esa_demo_options_init (EsaDemoOptions *options);

/**
 * esa_demo_generate:
 * Fills an empty store: an Italian municipality (EUR, pagoPA) and a Swiss
 * enforcement office's creditors (CHF), three offices, at least two users in
 * every role, @options->debtors debtors with about 3.3 positions each, cases
 * in every stage, acts, notifications, payments, instalment plans, contact
 * log entries and an audit history. Refuses a store that already has debtors.
 */
gboolean esa_demo_generate     (EsaStore              *store,
                                const EsaDemoOptions  *options,
                                GError               **error);

G_END_DECLS
