#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The payloads of the payment slips' QR codes (DOMAIN.md "Payment slips").
 * Both check what they are given with the identifiers' check rules, so
 * that a slip a bank app cannot pay is never printed. */

/**
 * esa_pagopa_qr_payload:
 * @notice: the 18-digit notice number (separators allowed)
 * @creditor_tax_code: the creditor body's 11-digit tax code
 * @amount: the amount in euro cents, above zero
 *
 * Returns: (transfer full) (nullable):
 *   "PAGOPA|002|<notice>|<tax code>|<cents>", or NULL with
 *   ESA_DOCUMENTS_ERROR_DATA naming the value that is wrong
 */
char *esa_pagopa_qr_payload (const char  *notice,
                             const char  *creditor_tax_code,
                             gint64       amount,
                             GError     **error);

/* A structured address (type S) of a Swiss QR-bill. */
typedef struct
{
  const char *name;       /* at most 70 characters; longer names are cut */
  const char *street;     /* without the number; may be NULL */
  const char *number;     /* building number; may be NULL */
  const char *postcode;
  const char *town;
  const char *country;    /* ISO 3166 alpha-2 */
} EsaQrBillAddress;

typedef struct
{
  const char       *account;    /* IBAN or QR-IBAN of a Swiss or Liechtenstein account */
  EsaQrBillAddress  creditor;
  gint64            amount;     /* minor units; -1 leaves the amount open */
  const char       *currency;   /* "CHF" or "EUR" */
  EsaQrBillAddress  debtor;     /* name NULL: no debtor printed */
  const char       *reference;  /* QR reference with a QR-IBAN, "RF…" creditor reference
                                 * otherwise, or NULL */
  const char       *message;    /* unstructured message, at most 140 characters; may be NULL */
} EsaQrBill;

/**
 * esa_qr_bill_payload:
 *
 * The Swiss QR code's text after the SIX implementation guidelines 2.x:
 * header SPC/0200/1, account, creditor (address type S), seven empty lines
 * for the ultimate creditor, amount, currency, debtor (type S or seven
 * empty lines), reference type (QRR with a QR-IBAN, SCOR for an RF
 * reference, NON without one) and reference, message, trailer EPD; lines
 * end with CR LF.
 *
 * Returns: (transfer full) (nullable): the payload, or NULL with
 *   ESA_DOCUMENTS_ERROR_DATA naming what is wrong ("QR reference … has a
 *   wrong check digit")
 */
char *esa_qr_bill_payload   (const EsaQrBill  *bill,
                             GError          **error);

/* The amount as a QR-bill prints it: "1 949.75" (a space groups
 * thousands). (transfer full) */
char *esa_qr_bill_format_amount (gint64 amount);

G_END_DECLS
