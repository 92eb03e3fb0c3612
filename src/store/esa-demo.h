#pragma once

#include "esa-store.h"

G_BEGIN_DECLS

/* The deterministic demo generator: the same seed, size and reference date
 * always give the same rows with the same ids. Everything is invented: names
 * from lists of common given names and surnames, streets and towns made up,
 * identifiers valid by their check rules. */

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
 * @options: (nullable): NULL for the defaults
 *
 * Fills an empty store: an Italian municipality (EUR, pagoPA) and a Swiss
 * enforcement office's creditors (CHF), three offices, at least two users in
 * every role, @options->debtors debtors with about 3.3 positions each, cases
 * in every stage with the steps (case events) that led each to its state,
 * acts, notifications, payments, instalment plans, contact log entries and
 * an audit history. Refuses a store that already has debtors
 * (ESA_STORE_ERROR_INVALID).
 *
 * Everything goes in as one transaction, without outbox operations (the demo
 * data is a baseline, as if already synced); on error nothing remains. For
 * the length of the call the connection runs with a larger page cache,
 * without enforcing foreign keys and CHECK constraints (the rows are valid by
 * construction), a file database in rollback-journal rather than WAL mode,
 * and the loaded tables without their secondary indexes; all of it is put
 * back before returning. Other connections to the same file keep it in WAL
 * mode, which only makes the load slower.
 */
gboolean esa_demo_generate     (EsaStore              *store,
                                const EsaDemoOptions  *options,
                                GError               **error);

G_END_DECLS
