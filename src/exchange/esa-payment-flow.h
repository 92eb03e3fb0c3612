#pragma once

#include <glib.h>

#include "esa-exchange-error.h"
#include "esa-payment-csv.h"
#include "esa-store-payments.h"

G_BEGIN_DECLS

/* Reading payment flow files (DOMAIN.md "Payment flows to reconcile") into
 * the EsaPaymentFlow the store imports (esa-store-payments.h):
 *
 * - pagoPA FlussoRiversamento 1.0.4 and 1.0.5 (esa-pagopa-flow.h): the two
 *   schemas differ only in the outcomes they list (1.0.4: 0, 3, 9; 1.0.5:
 *   0, 4, 8, 9), so one reader takes 0, 3, 4, 8 and 9;
 * - ISO 20022 camt.054 .001.04 and .001.08 (esa-camt054.h);
 * - CSV with a column mapping (esa-payment-csv.h).
 *
 * A reader refuses the whole file when its counts or totals do not add up,
 * naming the element or the line: nothing of it must be imported then.
 * Amounts are read as decimal text into minor units, never through
 * floating point. */

/* A file read into memory with its SHA-256, as the import records it. */
typedef struct
{
  char  *path;
  char  *name;      /* the base name */
  char  *data;      /* NUL-terminated */
  gsize  length;
  char  *sha256;    /* lower-case hex */
} EsaFlowFile;

EsaFlowFile *esa_flow_file_load (const char  *path,
                                 GError     **error);
void         esa_flow_file_free (EsaFlowFile *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaFlowFile, esa_flow_file_free)

/**
 * esa_payment_flow_detect:
 *
 * The format of @data: a pagoPA flow (XML root FlussoRiversamento), a
 * camt.054 document (XML root Document), or, for text that is not XML, CSV.
 *
 * Returns: FALSE with ESA_EXCHANGE_ERROR_INVALID for XML of another kind
 */
gboolean        esa_payment_flow_detect (const char            *data,
                                         gsize                  length,
                                         EsaPaymentFlowFormat  *out_format,
                                         GError               **error);

/**
 * esa_payment_flow_read:
 * @mapping: (nullable): required for CSV
 *
 * Reads @data as @format.
 *
 * Returns: (transfer full): the flow, or NULL with @error set: its message
 *   names the line or element and says what did not add up
 */
EsaPaymentFlow *esa_payment_flow_read   (const char                  *data,
                                         gsize                        length,
                                         EsaPaymentFlowFormat         format,
                                         const EsaPaymentCsvMapping  *mapping,
                                         GError                     **error);

/**
 * esa_payment_parse_amount:
 * @text: digits with at most one @decimal_separator and an optional leading
 *   sign
 * @grouping: (nullable): the thousands separator ("'", "’", "."), skipped
 *   where it stands between two digits
 *
 * Reads an amount into minor units (two decimals). More decimals are
 * accepted only when they are zeros ("12.50000", as camt.054 allows).
 *
 * Returns: FALSE with ESA_EXCHANGE_ERROR_INVALID quoting @text
 */
gboolean        esa_payment_parse_amount (const char  *text,
                                          char         decimal_separator,
                                          const char  *grouping,
                                          gint64      *out_minor,
                                          GError     **error);

/**
 * esa_payment_classify_reference:
 * @out_normalized: (out) (transfer full): upper case without spaces
 *
 * What a payment reference is by its shape and check digits: an ISO 11649
 * creditor reference ("RF…"), a Swiss QR reference (27 digits), a pagoPA
 * notice number (18 digits), a pagoPA IUV (15 or 17 digits), or another
 * reference (also one of those shapes whose check fails).
 */
EsaPaymentRefKind esa_payment_classify_reference (const char  *text,
                                                  char       **out_normalized);

/* TRUE for a valid ISO 11649 creditor reference ("RF18539007547034",
 * spaces allowed). */
gboolean        esa_creditor_reference_is_valid (const char *text);

/* The ISO 11649 creditor reference carrying @content (1–21 letters or
 * digits): "RF" + two check digits + @content. Returns: (transfer full) */
char           *esa_creditor_reference_compose  (const char *content);

G_END_DECLS
