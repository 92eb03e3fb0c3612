#pragma once

#include <glib.h>

#include "esa-parameters.h"
#include "esa-store.h"

G_BEGIN_DECLS

/* Payments arrive as flows (DOMAIN.md "Payment flows to reconcile"): pagoPA
 * reconciliation flows, ISO 20022 camt.054 notifications, CSV exports. The
 * exchange layer reads a file (esa-payment-flow.h) into an EsaPaymentFlow
 * and checks its counts and totals; the store imports it in one transaction:
 *
 * - the flow is recorded by its key (the pagoPA identificativoFlusso, the
 *   camt.054 message id, or the file's SHA-256 for CSV). A file already
 *   imported, or a flow with the same key and a time not later than the one
 *   recorded, is a duplicate and changes nothing; a later one replaces the
 *   earlier flow: what the earlier one applied is reversed first.
 * - each payment is matched exactly by its reference: a pagoPA IUV or notice
 *   number, a Swiss QR reference, an ISO 11649 creditor reference (whose
 *   content is a position's payment reference or its own reference), or
 *   another reference that is one of those; failing that, by the payer's tax
 *   id when it names exactly one debtor (the payment then goes to the
 *   debtor's positions, oldest first). What matches nothing waits in the
 *   unmatched queue, where an officer assigns it or parks it, helped by
 *   scored candidates (esa_store_payment_candidates()).
 * - a payment is allocated over the components of its position in the
 *   order of the parameter table "payments.allocation.order" (text
 *   "costs,interest,sanctions,principal", per body and by the date of the
 *   payment; that order when the table has no entry). What exceeds the
 *   balance stays on the payment as a credit and refund candidate; a payment
 *   on a position already paid is a double payment, refunded in full.
 * - a position whose balance reaches zero is paid; a case whose positions
 *   are all paid is closed by the action of its procedure that leads to the
 *   final state "paid" (esa_store_case_do(); the store needs its procedures,
 *   esa_store_set_procedures()). When the procedure refuses, the case stays
 *   as it is and the report says why.
 * - pagoPA payments with outcome 3 are recorded as revoked and not applied.
 *
 * Every payment, allocation and closure goes to the audit journal and the
 * outbox in the same transaction. */

typedef enum
{
  ESA_PAYMENT_FLOW_PAGOPA,    /* "pagopa": pagoPA FlussoRiversamento 1.0.4 / 1.0.5 */
  ESA_PAYMENT_FLOW_CAMT054,   /* "camt054": ISO 20022 camt.054 .001.04 / .001.08 */
  ESA_PAYMENT_FLOW_CSV,       /* "csv": an export read with a column mapping */
} EsaPaymentFlowFormat;

const char *esa_payment_flow_format_to_string   (EsaPaymentFlowFormat  format);
gboolean    esa_payment_flow_format_from_string (const char           *name,
                                                 EsaPaymentFlowFormat *out);

/* What a payment's reference is, as the reader made it out. */
typedef enum
{
  ESA_PAYMENT_REF_NONE,       /* no reference */
  ESA_PAYMENT_REF_IUV,        /* "iuv": a pagoPA IUV, 15 or 17 digits */
  ESA_PAYMENT_REF_NOTICE,     /* "notice": an 18-digit pagoPA notice number, check verified */
  ESA_PAYMENT_REF_QRR,        /* "qrr": a 27-digit Swiss QR reference, check verified */
  ESA_PAYMENT_REF_SCOR,       /* "scor": an ISO 11649 creditor reference "RF…", check verified */
  ESA_PAYMENT_REF_OTHER,      /* "other": anything else, or a reference whose check failed */
} EsaPaymentRefKind;

/* NULL for ESA_PAYMENT_REF_NONE */
const char *esa_payment_ref_kind_to_string (EsaPaymentRefKind kind);

/* A payment's note as this process's reader should see it: why the import
 * left it unapplied (stored as a code with its values) worded in the
 * current language, or an officer's note as written. (transfer full) */
char       *esa_payment_note_describe      (const char *note);

/* One payment of a flow. Text is owned by the item; absent values are NULL. */
typedef struct
{
  guint              line;           /* of the file: the element or the CSV record */
  char              *reference;      /* normalized: upper case, no spaces */
  EsaPaymentRefKind  reference_kind;
  gint64             amount;         /* minor units, more than zero */
  char              *currency;       /* ISO 4217 */
  char              *paid_on;        /* YYYY-MM-DD */
  char              *collection_ref; /* pagoPA IUR (with its index), bank reference, CSV id:
                                      * the same payment reported again is a duplicate */
  char              *outcome;        /* pagoPA codiceEsitoSingoloPagamento */
  gboolean           revoked;        /* pagoPA outcome 3 */
  char              *debtor_name;
  char              *debtor_tax_id;
  char              *remittance;     /* the payer's unstructured message */
} EsaFlowItem;

/* A flow as read from one file. */
typedef struct
{
  EsaPaymentFlowFormat  format;
  char                 *flow_key;       /* identificativoFlusso, camt.054 MsgId; NULL: the file */
  char                 *flow_at;        /* when the sender made it, ISO 8601 UTC; nullable */
  char                 *settlement_ref; /* identificativoUnivocoRegolamento */
  char                 *settled_on;     /* dataRegolamento */
  char                 *sender;
  char                 *receiver;       /* pagoPA: the body's tax code; camt.054: the IBAN */
  GPtrArray            *items;          /* EsaFlowItem, in file order */
  GPtrArray            *notes;          /* translated lines about what was left out */
} EsaPaymentFlow;

EsaPaymentFlow *esa_payment_flow_new      (EsaPaymentFlowFormat  format);
void            esa_payment_flow_free     (EsaPaymentFlow       *self);
/* Returns: (transfer none): a new zeroed item at the end of @self */
EsaFlowItem    *esa_payment_flow_add_item (EsaPaymentFlow       *self);
void            esa_payment_flow_add_note (EsaPaymentFlow       *self,
                                           const char           *format,
                                           ...) G_GNUC_PRINTF (2, 3);
/* The sum of the items' amounts. */
gint64          esa_payment_flow_total    (const EsaPaymentFlow *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaPaymentFlow, esa_payment_flow_free)

typedef struct
{
  const char    *file_name;    /* shown in the flow's record; nullable */
  const char    *file_sha256;  /* lower-case hex of the file: required */
  const char    *body_id;      /* nullable: the body the flow names (by tax code or IBAN) */
  EsaParameters *parameters;   /* nullable: the allocation order; the default without */
} EsaPaymentImportOptions;

/* What became of one payment of a flow. */
typedef enum
{
  ESA_PAYMENT_OUTCOME_PAID,      /* "paid": the position is now paid in full */
  ESA_PAYMENT_OUTCOME_PARTIAL,   /* "partial": less than the balance */
  ESA_PAYMENT_OUTCOME_OVERPAID,  /* "overpaid": the balance is paid, the rest is a credit */
  ESA_PAYMENT_OUTCOME_DOUBLE,    /* "double": the position was already paid */
  ESA_PAYMENT_OUTCOME_DEBTOR,    /* "debtor": spread over the debtor's positions */
  ESA_PAYMENT_OUTCOME_UNMATCHED, /* "unmatched": waits in the queue */
  ESA_PAYMENT_OUTCOME_REVOKED,   /* "revoked": recorded, not applied */
  ESA_PAYMENT_OUTCOME_DUPLICATE, /* "duplicate": already recorded, skipped */
} EsaPaymentOutcome;

const char *esa_payment_outcome_to_string (EsaPaymentOutcome outcome);

typedef struct
{
  guint              line;
  EsaPaymentOutcome  outcome;
  char              *payment_id;   /* NULL for a duplicate */
  char              *position_id;  /* the position it went to, if one */
  char              *debtor_id;
  char              *reference;
  gint64             amount;
  gint64             unapplied;    /* the credit left (overpaid, double, debtor) */
  char              *currency;
  char              *message;      /* a translated sentence */
} EsaPaymentImportLine;

void esa_payment_import_line_free (EsaPaymentImportLine *self);

typedef enum
{
  ESA_PAYMENT_FLOW_IMPORTED,   /* "imported": a new flow */
  ESA_PAYMENT_FLOW_REPLACED,   /* "replaced": it replaced an earlier flow with the same key */
  ESA_PAYMENT_FLOW_DUPLICATE,  /* "duplicate": nothing was changed */
} EsaPaymentFlowStatus;

const char *esa_payment_flow_status_to_string (EsaPaymentFlowStatus status);

typedef struct
{
  EsaPaymentFlowStatus  status;
  char                 *flow_id;        /* the new flow; for a duplicate, the recorded one */
  char                 *replaced_id;    /* the flow it replaced */
  char                 *body_id;        /* the body the flow was found to be for, if any */
  guint                 matched;        /* paid + partial + overpaid + double + debtor */
  guint                 unmatched;
  guint                 revoked;
  guint                 duplicates;
  guint                 refunds;        /* overpaid + double (+ debtor with a credit left) */
  guint                 positions_paid;
  guint                 cases_closed;
  gint64                total;          /* of the flow's items */
  GPtrArray            *lines;          /* EsaPaymentImportLine, in file order */
  GPtrArray            *notes;          /* translated lines: the flow's, then the store's */
} EsaPaymentImportReport;

void esa_payment_import_report_free (EsaPaymentImportReport *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaPaymentImportReport, esa_payment_import_report_free)

/**
 * esa_store_import_payment_flow:
 *
 * Imports @flow in one transaction (see the top of this file). A flow with
 * an invalid item (no amount, a date that is not one) is refused with
 * ESA_STORE_ERROR_INVALID naming the line, and nothing is stored.
 *
 * Returns: (transfer full): what happened, or NULL with @error set
 */
EsaPaymentImportReport *esa_store_import_payment_flow (EsaStore                       *self,
                                                       const EsaPaymentFlow           *flow,
                                                       const EsaPaymentImportOptions  *options,
                                                       GError                        **error);

/* ---- the unmatched queue ------------------------------------------------ */

typedef struct
{
  char  *id;
  char  *state;            /* "unmatched" or "parked" */
  char  *flow_id;
  char  *flow_key;
  char  *format;           /* "pagopa", "camt054", "csv"; NULL for a payment without flow */
  guint  line;
  char  *body_id;
  gint64 amount;
  char  *currency;
  char  *paid_on;
  char  *reference;
  char  *reference_kind;
  char  *collection_ref;
  char  *debtor_name;
  char  *debtor_tax_id;
  char  *remittance;
  char  *note;             /* why it matched nothing, or why it was parked */
} EsaQueuedPayment;

void esa_queued_payment_free (EsaQueuedPayment *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaQueuedPayment, esa_queued_payment_free)

/**
 * esa_store_list_unmatched_payments:
 * @include_parked: also the parked ones
 *
 * Returns: (transfer container) (element-type EsaQueuedPayment): oldest
 *   payment first, or NULL with @error set
 */
GPtrArray *esa_store_list_unmatched_payments (EsaStore    *self,
                                              gboolean     include_parked,
                                              GError     **error);

/* One part of a candidate's score, for people to see why. */
typedef struct
{
  char  *part;      /* "tax_id", "reference", "amount", "name", "date" */
  guint  points;
  guint  max;       /* the most this part can give */
  char  *explain;   /* a translated sentence */
} EsaScorePart;

void esa_score_part_free (EsaScorePart *self);

/* A position an unmatched payment may be for. */
typedef struct
{
  char      *position_id;
  char      *debtor_id;
  char      *debtor_name;
  char      *tax_id;
  char      *body_id;
  char      *reference;
  char      *payment_reference;
  char      *due_date;
  char      *currency;
  gint64     balance;
  guint      score;   /* 0–100: the sum of the parts */
  GPtrArray *parts;   /* EsaScorePart: tax_id (35), reference (25), amount (20), name (10),
                       * date (10), every one listed */
} EsaPaymentCandidate;

void esa_payment_candidate_free (EsaPaymentCandidate *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaPaymentCandidate, esa_payment_candidate_free)

/**
 * esa_store_payment_candidates:
 * @limit: at most this many; 0 for 10
 *
 * The open positions (with a balance, in the payment's currency, of its
 * body when known) of the debtors the payment may come from: the debtor
 * with the payer's tax id, the debtors whose name matches the payer's name,
 * and the owners of positions whose payment reference or reference appears
 * in the payment's reference or message. Each is scored from 0 to 100:
 * tax id equal (35); the position's reference in the payment (25); amount
 * equal to the balance (20) or below it (8); every word of the debtor's name
 * in the payer's name (10) or some (5); paid within 30 days of the due date
 * (10) or within 180 (5).
 *
 * Returns: (transfer container) (element-type EsaPaymentCandidate): best
 *   first (ties by due date), or NULL with ESA_STORE_ERROR_NOT_FOUND
 */
GPtrArray *esa_store_payment_candidates (EsaStore    *self,
                                         const char  *payment_id,
                                         guint        limit,
                                         GError     **error);

/**
 * esa_store_assign_payment:
 * @parameters: (nullable): for the allocation order
 *
 * An officer's decision: the unmatched or parked payment goes to
 * @position_id, allocated as an import would (a paid position makes it a
 * double payment, more than the balance leaves a credit), and the cases it
 * pays in full are closed. Refused with ESA_STORE_ERROR_INVALID for a
 * payment already applied, revoked or replaced, a position in another
 * currency, cancelled or written off.
 *
 * Returns: (transfer full): one line saying where the payment went, and
 *   notes on cases that stay open; or NULL with @error set
 */
EsaPaymentImportReport *esa_store_assign_payment (EsaStore       *self,
                                                  const char     *payment_id,
                                                  const char     *position_id,
                                                  EsaParameters  *parameters,
                                                  GError        **error);

/* Like esa_store_assign_payment(), spread over the debtor's open positions
 * (of the payment's body and currency), oldest due date first. */
EsaPaymentImportReport *esa_store_assign_payment_to_debtor (EsaStore       *self,
                                                            const char     *payment_id,
                                                            const char     *debtor_id,
                                                            EsaParameters  *parameters,
                                                            GError        **error);

/* Sets an unmatched payment aside with @note (required), e.g. while the
 * bank is asked who paid; a parked payment can still be assigned. */
gboolean   esa_store_park_payment       (EsaStore    *self,
                                         const char  *payment_id,
                                         const char  *note,
                                         GError     **error);

/* ---- allocations and refunds ------------------------------------------- */

/* What a payment paid of one position's components; negative amounts
 * reverse the allocation of a payment whose flow was replaced. */
typedef struct
{
  char  *position_id;
  gint64 costs;
  gint64 interest;
  gint64 sanctions;
  gint64 principal;
  char  *allocated_on;  /* YYYY-MM-DD */
} EsaPaymentAllocation;

void esa_payment_allocation_free (EsaPaymentAllocation *self);

/* Returns: (transfer container) (element-type EsaPaymentAllocation): one
 *   per position paid, in the order they were made */
GPtrArray *esa_store_payment_allocations (EsaStore    *self,
                                          const char  *payment_id,
                                          GError     **error);

/* What a debtor is owed back: a double payment, or the part of a payment
 * above what was owed. */
typedef struct
{
  char  *payment_id;
  char  *reason;              /* "double" or "overpayment" */
  char  *paid_on;
  gint64 amount;              /* the whole payment */
  gint64 refund;              /* what is owed back */
  char  *currency;
  char  *body_id;
  char  *body_name;
  char  *debtor_id;
  char  *debtor_name;
  char  *tax_id;
  char  *position_id;
  char  *position_reference;
  char  *reference;           /* of the payment */
  char  *collection_ref;
  char  *flow_key;
} EsaRefundCandidate;

void esa_refund_candidate_free (EsaRefundCandidate *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaRefundCandidate, esa_refund_candidate_free)

/* Returns: (transfer container) (element-type EsaRefundCandidate): by date
 *   of payment */
GPtrArray *esa_store_list_refunds        (EsaStore    *self,
                                          GError     **error);

/* ---- CSV column mappings ------------------------------------------------ */

/* The column mapping of a body's CSV payment exports (esa-payment-csv.h:
 * checked by the exchange layer before it is saved); saving replaces it. */
gboolean   esa_store_set_payment_mapping (EsaStore    *self,
                                          const char  *body_id,
                                          const char  *mapping_json,
                                          GError     **error);
/* Returns: (transfer full) (nullable): NULL (without error) when the body
 *   has none */
char      *esa_store_get_payment_mapping (EsaStore    *self,
                                          const char  *body_id,
                                          GError     **error);

G_END_DECLS
