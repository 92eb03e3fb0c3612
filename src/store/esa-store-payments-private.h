/* esa-store-payments-private.h: what the files of the payments share: a
 * position as matching reads it, a payment being planned (a draft), the
 * booking that writes drafts, and small helpers
 *
 * esa-store-payments.c         names, records, helpers, allocations and
 *                              refunds, CSV column mappings
 * esa-store-payment-booking.c  allocation order, planning and booking a
 *                              payment, the import's sync batches, closing
 *                              the cases paid in full
 * esa-store-payment-import.c   importing a flow: matching and booking it
 * esa-store-payment-queue.c    the unmatched queue, candidates, an
 *                              officer's decisions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "esa-store-payments.h"
#include "esa-store-private.h"

G_BEGIN_DECLS

/* The components of a position's amount, in the columns' order. */
typedef enum
{
  COMPONENT_COSTS,
  COMPONENT_INTEREST,
  COMPONENT_SANCTIONS,
  COMPONENT_PRINCIPAL,
  N_COMPONENTS
} Component;

/* Reads a row of a statement into a new value. */
typedef gpointer (*RowRead) (EsaStoreStmt *stmt);

typedef struct
{
  char  *id;
  char  *debtor_id;
  char  *body_id;
  char  *currency;
  char  *state;
  char  *reference;
  char  *due_date;
  gint64 amounts[N_COMPONENTS];
  gint64 paid;
  gint64 rowid;
} PositionRow;

#define POSITION_COLUMNS \
  "p.id, p.debtor_id, p.body_id, p.currency, p.state, p.reference, p.due_date, " \
  "p.costs, p.interest, p.sanctions, p.principal, p.paid, p.rowid "

#define FIND_BY_IUV \
  "SELECT " POSITION_COLUMNS "FROM positions p " \
  "WHERE length(p.payment_reference) = 18 " \
  "  AND substr(p.payment_reference, " \
  "             CASE WHEN substr(p.payment_reference, 1, 1) = '0' THEN 4 ELSE 2 END) = ?1 " \
  "  AND (?2 IS NULL OR p.body_id = ?2)"
#define FIND_BY_PAYMENT_REFERENCE \
  "SELECT " POSITION_COLUMNS "FROM positions p " \
  "WHERE p.payment_reference = ?1 AND (?2 IS NULL OR p.body_id = ?2)"
#define FIND_BY_REFERENCE \
  "SELECT " POSITION_COLUMNS "FROM positions p " \
  "WHERE p.reference = ?1 AND (?2 IS NULL OR p.body_id = ?2)"

/* A payment row as it will be written. */
typedef struct
{
  char              *id;
  char              *debtor_id;
  char              *position_id;
  char              *body_id;
  gint64             amount;
  char              *currency;
  char              *paid_on;
  char              *reference;
  EsaPaymentRefKind  reference_kind;
  const char        *channel;
  char              *flow_id;
  guint              line;
  const char        *state;
  const char        *match_method;
  char              *collection_ref;
  char              *outcome;
  char              *debtor_name;
  char              *debtor_tax_id;
  char              *remittance;
  gint64             unapplied;
  const char        *refund_reason;
  char              *note;
  GArray            *allocations;     /* Allocation */
  GPtrArray         *paid_positions;  /* position ids whose balance reached zero */
  EsaPaymentOutcome  result;
  char              *message;
} Draft;

typedef struct _Batch Batch;

/* What one write (an import, an assignment) shares between its payments. */
typedef struct
{
  EsaStore       *store;
  EsaParameters  *parameters;
  GHashTable     *orders;        /* "body|date" → Order */
  char           *now;           /* ISO 8601 UTC */
  char           *today;         /* YYYY-MM-DD */
  const char     *user_id;
  GPtrArray      *notes;         /* (transfer none): where closures report */
  guint64         id_ms;         /* the time part of the ids made */
  guint32         id_count;      /* ids made so far */
  guint           positions_paid;
  guint           cases_closed;
  Batch          *batch;         /* an import's rows for the sync push, or NULL */
} Booking;

/* esa-store-payments.c: names, helpers */

EsaPaymentRefKind        _esa_payment_ref_kind_from_string (const char *name);
EsaPaymentImportReport  *_esa_payment_import_report_new    (void);
char                    *_esa_payment_today_iso            (void);
void                     _esa_payment_json_key             (GString    *out,
                                                            const char *name);
void                     _esa_payment_json_str             (GString    *out,
                                                            const char *name,
                                                            const char *value);
void                     _esa_payment_json_int             (GString    *out,
                                                            const char *name,
                                                            gint64      value);

/* esa-store-payment-booking.c: positions, drafts, booking, batches, closing paid cases */

gboolean                 _esa_payment_read_rows            (EsaStore      *self,
                                                            EsaStoreStmt  *stmt,
                                                            RowRead        read,
                                                            GPtrArray     *rows,
                                                            GError       **error);
gboolean                 _esa_payment_read_text_pairs      (EsaStore      *self,
                                                            EsaStoreStmt  *stmt,
                                                            GPtrArray     *first,
                                                            GPtrArray     *second,
                                                            GError       **error);
void                     _esa_payment_position_free        (PositionRow *row);
PositionRow             *_esa_payment_position_read        (EsaStoreStmt *stmt);
gint64                   _esa_payment_position_balance     (const PositionRow *row);
GPtrArray               *_esa_payment_find_positions       (EsaStore    *self,
                                                            const char  *sql,
                                                            const char  *value,
                                                            const char  *body_id,
                                                            GError     **error);
PositionRow             *_esa_payment_get_position         (EsaStore    *self,
                                                            const char  *position_id,
                                                            GError     **error);
Draft                   *_esa_payment_draft_new            (void);
void                     _esa_payment_draft_free           (Draft *draft);
gboolean                 _esa_payment_booking_init         (Booking        *booking,
                                                            EsaStore       *store,
                                                            EsaParameters  *parameters,
                                                            GPtrArray      *notes,
                                                            GError        **error);
void                     _esa_payment_booking_clear        (Booking *booking);
char                    *_esa_payment_booking_new_id       (Booking *booking);
gboolean                 _esa_payment_plan_position        (Booking            *booking,
                                                            Draft              *draft,
                                                            const PositionRow  *position,
                                                            GError            **error);
gboolean                 _esa_payment_plan_debtor          (Booking     *booking,
                                                            Draft       *draft,
                                                            const char  *debtor_id,
                                                            const char  *body_id,
                                                            GError     **error);
void                     _esa_payment_draft_unmatched      (Draft      *draft,
                                                            const char *state,
                                                            char       *reason);
void                     _esa_payment_allocation_json      (GString    *out,
                                                            const char *id,
                                                            const char *position_id,
                                                            gint64      amounts[N_COMPONENTS],
                                                            const char *allocated_on);
Batch                   *_esa_payment_batch_new            (const char *flow_id,
                                                            const char *now);
void                     _esa_payment_batch_free           (Batch *batch);
gboolean                 _esa_payment_batch_flush          (EsaStore  *store,
                                                            Batch     *batch,
                                                            GError   **error);
gboolean                 _esa_payment_book_draft           (Booking   *booking,
                                                            Draft     *draft,
                                                            gboolean   created,
                                                            GError   **error);
gint                     _esa_payment_compare_strings      (gconstpointer a,
                                                            gconstpointer b);
gboolean                 _esa_payment_close_paid_cases     (Booking  *booking,
                                                            GError  **error);

/* esa-store-payment-import.c */

gboolean                 _esa_payment_lookup_text          (EsaStore    *self,
                                                            const char  *sql,
                                                            const char  *value,
                                                            char       **out,
                                                            GError     **error);
char                    *_esa_payment_normalize_tax_id     (const char *text);
gboolean                 _esa_payment_all_digits           (const char *text);
char                    *_esa_payment_position_refuses     (const PositionRow *position,
                                                            const char        *currency);

/* esa-store-payment-reasons.c */

char                    *_esa_payment_reason_no_position   (EsaPaymentRefKind  kind,
                                                            const char        *reference,
                                                            guint              n_positions);
char                    *_esa_payment_reason_refused       (const PositionRow *position,
                                                            const char        *currency);
char                    *_esa_payment_reason_revoked       (const char *outcome);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PositionRow, _esa_payment_position_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Draft, _esa_payment_draft_free)

G_END_DECLS
