/* test-sync-scenario.h: what the sync tests share: scratch directories, the
 * server's core served in process, and the two-officer scenario
 * (test-sync-sim checks it; the Conflicts view's GUI test shows it).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "esa-server-core.h"
#include "esa-store.h"
#include "esa-sync-client.h"

G_BEGIN_DECLS

#define ESA_SYNC_TEST_PASSWORD "correct horse battery"

/* A scratch directory, in /dev/shm where there is one. (transfer full) */
char      *esa_sync_test_make_dir   (const char     *pattern,
                                     GError        **error);
void       esa_sync_test_remove_dir (const char     *path);
void       esa_sync_test_copy_file  (const char     *from,
                                     const char     *to);
/* The first column of the first row of @sql on @store. */
gint64     esa_sync_test_count      (EsaStore       *store,
                                     const char     *sql);

/* Serves one request of the wire protocol with @core, as the HTTP server
 * would (an EsaSyncDirectHandler's work). (transfer full) */
JsonNode  *esa_sync_test_serve      (EsaServerCore  *core,
                                     const char     *method,
                                     const char     *path,
                                     const char     *token,
                                     JsonNode       *body,
                                     guint          *out_status);
/* Logs @login in with ESA_SYNC_TEST_PASSWORD. (transfer full) the token */
char      *esa_sync_test_login      (EsaServerCore  *core,
                                     const char     *login);

/* An open case of @store and an available action of it that issues an act,
 * found by running candidates in a transaction that is rolled back. */
gboolean   esa_sync_test_find_act_action (EsaStore  *store,
                                          char     **out_case,
                                          char     **out_action);

/* The "Must show": two officers of one office work offline on the
 * same dossier. A moves the debtor and issues an act; B records a payment
 * and issues the same act. Then A syncs, B syncs (the server refuses B's
 * act: one conflict), and both sync again. */
typedef struct
{
  char          *dir;
  EsaServerCore *core;
  EsaSyncDirect *direct;
  EsaStore      *a;
  EsaStore      *b;
  EsaSyncClient *client_a;
  EsaSyncClient *client_b;
  char          *user_a;        /* store user ids */
  char          *user_b;
  char          *debtor;
  char          *case_id;
  char          *event_a;
  char          *event_b;
  char          *payment_id;    /* NULL when the debtor had nothing left to pay */
  gint64         server_acts;   /* acts on the server before */
  guint          b_conflicts;   /* conflicts of B's first sync */
} EsaSyncTwoOfficers;

/* NULL when the demo office has no case with an act to issue today. */
EsaSyncTwoOfficers *esa_sync_test_two_officers      (GPtrArray          *procedures,
                                                     EsaParameters      *params);
void                esa_sync_test_two_officers_free (EsaSyncTwoOfficers *scenario);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaSyncTwoOfficers, esa_sync_test_two_officers_free)

G_END_DECLS
