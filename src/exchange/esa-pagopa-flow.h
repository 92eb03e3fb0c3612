#pragma once

#include <glib.h>

#include "esa-exchange-error.h"
#include "esa-store-payments.h"

G_BEGIN_DECLS

/* The XML namespace of pagoPA reconciliation flows (FlussoRiversamento). */
#define ESA_PAGOPA_NAMESPACE "http://www.digitpa.gov.it/schemas/2011/Pagamenti/"

/**
 * esa_pagopa_flow_read:
 *
 * Reads a pagoPA reconciliation flow (FlussoRiversamento, schema 1.0.4 or
 * 1.0.5): the flow's identifier and time (identificativoFlusso,
 * dataOraFlusso), the settlement, the sender, the receiving body's tax code
 * (istitutoRicevente) and every datiSingoliPagamenti as an item: the IUV as
 * its reference, the IUR (with indiceDatiSingoloPagamento) as its
 * collection reference, the amount in euro, the outcome (0, 4, 8, 9 paid;
 * 3 revoked) and its date.
 *
 * numeroTotalePagamenti must be the number of datiSingoliPagamenti and
 * importoTotalePagamenti their sum, or the flow is refused.
 *
 * Returns: (transfer full): the flow, or NULL with ESA_EXCHANGE_ERROR_PARSE
 *   (not XML) or ESA_EXCHANGE_ERROR_INVALID naming the line and the element
 */
EsaPaymentFlow *esa_pagopa_flow_read (const char  *data,
                                      gsize        length,
                                      GError     **error);

G_END_DECLS
