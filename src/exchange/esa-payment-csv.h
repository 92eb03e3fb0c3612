#pragma once

#include <glib.h>

#include "esa-exchange-error.h"
#include "esa-store-payments.h"

G_BEGIN_DECLS

/* Payments exported as CSV by banks and the post office, read with a column
 * mapping: a small JSON object a creditor body keeps for its exports (saved
 * with esa_store_set_payment_mapping()), in the spirit of the load lists'
 * mapping:
 *
 *   { "separator": ";", "decimal_comma": true, "thousands_separator": "'",
 *     "date_format": "DD.MM.YYYY", "currency": "CHF", "skip_lines": 2,
 *     "columns": { "paid_on": "Valuta", "amount": "Gutschrift",
 *                  "reference": "Referenz", "debtor_name": "Auftraggeber" } }
 *
 * Fields: "amount" and "paid_on" (required), "reference", "currency",
 * "debtor_name", "debtor_tax_id", "remittance", "id" (the bank's reference
 * of the payment). A field's column is named by its header (any case) or
 * by its number from 1; a field left out of "columns" is read from the
 * column named like the field, when there is one. "separator": ",", ";",
 * "\t" or "auto" (the default); "date_format": "YYYY-MM-DD" (default),
 * "DD.MM.YYYY", "DD/MM/YYYY"; "currency": for files without a currency
 * column; "skip_lines": lines before the header (a bank's preamble). */

typedef enum
{
  ESA_PAYMENT_CSV_AMOUNT,
  ESA_PAYMENT_CSV_PAID_ON,
  ESA_PAYMENT_CSV_REFERENCE,
  ESA_PAYMENT_CSV_CURRENCY,
  ESA_PAYMENT_CSV_DEBTOR_NAME,
  ESA_PAYMENT_CSV_DEBTOR_TAX_ID,
  ESA_PAYMENT_CSV_REMITTANCE,
  ESA_PAYMENT_CSV_ID,
  ESA_PAYMENT_CSV_N_FIELDS
} EsaPaymentCsvField;

typedef struct _EsaPaymentCsvMapping EsaPaymentCsvMapping;

/* Comma or semicolon as found, ISO dates, decimal dots, default names. */
EsaPaymentCsvMapping *esa_payment_csv_mapping_new           (void);
/**
 * esa_payment_csv_mapping_new_from_data:
 * @error: ESA_EXCHANGE_ERROR_PARSE for text that is not JSON,
 *   ESA_EXCHANGE_ERROR_INVALID naming the member that is wrong
 *
 * Returns: (transfer full) (nullable): the mapping
 */
EsaPaymentCsvMapping *esa_payment_csv_mapping_new_from_data (const char   *json,
                                                             GError      **error);
/* As above, from a file; messages start with the file's name. */
EsaPaymentCsvMapping *esa_payment_csv_mapping_new_from_file (const char   *path,
                                                             GError      **error);
/* Returns: (transfer full): the mapping as JSON, as read above. */
char                 *esa_payment_csv_mapping_to_data       (const EsaPaymentCsvMapping *self);
void                  esa_payment_csv_mapping_free          (EsaPaymentCsvMapping *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaPaymentCsvMapping, esa_payment_csv_mapping_free)

/**
 * esa_payment_csv_read:
 *
 * Reads every record after the header. A record with a problem (a missing
 * or malformed amount or date, no currency) refuses the whole file, the
 * message listing each problem by line; credits of zero and debits
 * (negative amounts) are left out with a note.
 *
 * Returns: (transfer full): the flow (without key: the store keys it by
 *   the file), or NULL with @error set
 */
EsaPaymentFlow       *esa_payment_csv_read                  (const char                  *data,
                                                             gsize                        length,
                                                             const EsaPaymentCsvMapping  *mapping,
                                                             GError                     **error);

/**
 * esa_payment_refunds_to_csv:
 * @refunds: (element-type EsaRefundCandidate): esa_store_list_refunds()
 *
 * The refund list for the refund order, one payment a line, comma
 * separated with a header: payment, reason, paid_on, amount, refund,
 * currency, body, debtor, tax_id, position, payment_reference,
 * collection_ref, flow. Amounts as plain decimals ("120.00").
 *
 * Returns: (transfer full): the CSV text
 */
char                 *esa_payment_refunds_to_csv            (GPtrArray *refunds);

G_END_DECLS
