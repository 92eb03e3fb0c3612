#pragma once

#include <glib.h>

#include "esa-exchange-error.h"
#include "esa-store-payments.h"

G_BEGIN_DECLS

#define ESA_CAMT054_NAMESPACE_04 "urn:iso:std:iso:20022:tech:xsd:camt.054.001.04"
#define ESA_CAMT054_NAMESPACE_08 "urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"

/**
 * esa_camt054_read:
 *
 * Reads an ISO 20022 bank-to-customer debit/credit notification
 * (camt.054.001.04 or .001.08, Swiss Payment Standards). The flow's key is
 * the message id (GrpHdr/MsgId), its time GrpHdr/CreDtTm, its receiver the
 * account of the first notification.
 *
 * Every booked credit entry (Ntry with CdtDbtInd CRDT, Sts BOOK, not a
 * reversal) gives one item per credited transaction (NtryDtls/TxDtls), or
 * one item for an entry without transaction details; the reference comes
 * from RmtInf/Strd/CdtrRefInf (Tp QRR or SCOR; without a type, by its
 * shape), the date from the entry's value date (else its booking date).
 * Other entries are left out with a note.
 *
 * Checked, or the file is refused: the document holds a notification; a
 * booked credit entry's amount is the sum of its transactions (and Btch/NbOfTxs,
 * Btch/TtlAmt, when given, their number and sum); TxsSummry, when given,
 * counts and sums the entries.
 *
 * Returns: (transfer full): the flow, or NULL with ESA_EXCHANGE_ERROR_PARSE
 *   (not XML) or ESA_EXCHANGE_ERROR_INVALID naming the line and the element
 */
EsaPaymentFlow *esa_camt054_read (const char  *data,
                                  gsize        length,
                                  GError     **error);

G_END_DECLS
