/* test-payment-flows.c: reading payment flow files: pagoPA
 * FlussoRiversamento, ISO 20022 camt.054 (.001.04 and .001.08, written here
 * from the public schemas and validated against them with xmllint, and the
 * real samples of the shared standards folder), CSV with a column mapping;
 * amounts and references
 *
 * The official schemas and samples live in <source root>/../shared/standards
 * (G_TEST_SRCDIR is the tests folder of the source tree).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <string.h>

#include "esa-camt054.h"
#include "esa-core.h"
#include "esa-pagopa-flow.h"
#include "esa-payment-csv.h"
#include "esa-payment-flow.h"

static char *standards_dir;
static char *tmp_dir;

/* ---- helpers ------------------------------------------------------------ */

static char *
standard (const char *relative)
{
  char *path = g_build_filename (standards_dir, relative, NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    g_error ("%s is missing from the shared standards folder %s", relative, standards_dir);
  return path;
}

static char *
write_temp (const char *name,
            const char *text)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (tmp_dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
  return path;
}

/* Validates @text against the schema @xsd (relative to the standards
 * folder) with xmllint, as DOMAIN.md asks of every file Esattore writes. */
static void
assert_schema_valid (const char *xsd,
                     const char *name,
                     const char *text)
{
  g_autofree char *schema = standard (xsd);
  g_autofree char *path = write_temp (name, text);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "xmllint", "--noout", "--schema", schema, path, NULL };
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                               &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s does not validate against %s:\n%s", name, xsd, err);
  g_assert_nonnull (strstr (err, "validates"));
  g_remove (path);
}

static char *
read_standard (const char  *relative,
               gsize       *out_length)
{
  g_autofree char *path = standard (relative);
  g_autoptr(GError) error = NULL;
  char *data = NULL;

  g_assert_true (g_file_get_contents (path, &data, out_length, &error));
  g_assert_no_error (error);
  return data;
}

static const EsaFlowItem *
item_at (const EsaPaymentFlow *flow,
         guint                 index)
{
  g_assert_cmpuint (index, <, flow->items->len);
  return g_ptr_array_index (flow->items, index);
}

/* ---- pagoPA flows -------------------------------------------------------- */

typedef struct
{
  const char *iuv;
  const char *iur;
  const char *index;       /* nullable */
  const char *amount;
  const char *outcome;
  const char *date;
} PagopaPayment;

/* A FlussoRiversamento with the elements in the order of the schema. */
static char *
pagopa_flow (const char          *id,
             const char          *at,
             const char          *count,
             const char          *total,
             const PagopaPayment *payments,
             guint                n)
{
  GString *xml = g_string_new (NULL);

  g_string_append_printf (xml,
                          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                          "<FlussoRiversamento "
                          "xmlns=\"http://www.digitpa.gov.it/schemas/2011/Pagamenti/\">\n"
                          "  <versioneOggetto>1.0</versioneOggetto>\n"
                          "  <identificativoFlusso>%s</identificativoFlusso>\n"
                          "  <dataOraFlusso>%s</dataOraFlusso>\n"
                          "  <identificativoUnivocoRegolamento>BPPIITRRXXX-20250514"
                          "</identificativoUnivocoRegolamento>\n"
                          "  <dataRegolamento>2025-05-14</dataRegolamento>\n"
                          "  <istitutoMittente>\n"
                          "    <identificativoUnivocoMittente>\n"
                          "      <tipoIdentificativoUnivoco>B</tipoIdentificativoUnivoco>\n"
                          "      <codiceIdentificativoUnivoco>BPPIITRRXXX"
                          "</codiceIdentificativoUnivoco>\n"
                          "    </identificativoUnivocoMittente>\n"
                          "    <denominazioneMittente>Poste Italiane</denominazioneMittente>\n"
                          "  </istitutoMittente>\n"
                          "  <codiceBicBancaDiRiversamento>BPPIITRRXXX"
                          "</codiceBicBancaDiRiversamento>\n"
                          "  <istitutoRicevente>\n"
                          "    <identificativoUnivocoRicevente>\n"
                          "      <tipoIdentificativoUnivoco>G</tipoIdentificativoUnivoco>\n"
                          "      <codiceIdentificativoUnivoco>00743110157"
                          "</codiceIdentificativoUnivoco>\n"
                          "    </identificativoUnivocoRicevente>\n"
                          "    <denominazioneRicevente>Comune di Esempio"
                          "</denominazioneRicevente>\n"
                          "  </istitutoRicevente>\n"
                          "  <numeroTotalePagamenti>%s</numeroTotalePagamenti>\n"
                          "  <importoTotalePagamenti>%s</importoTotalePagamenti>\n",
                          id, at, count, total);
  for (guint i = 0; i < n; i++)
    {
      g_string_append_printf (xml,
                              "  <datiSingoliPagamenti>\n"
                              "    <identificativoUnivocoVersamento>%s"
                              "</identificativoUnivocoVersamento>\n"
                              "    <identificativoUnivocoRiscossione>%s"
                              "</identificativoUnivocoRiscossione>\n",
                              payments[i].iuv, payments[i].iur);
      if (payments[i].index != NULL)
        g_string_append_printf (xml, "    <indiceDatiSingoloPagamento>%s"
                                "</indiceDatiSingoloPagamento>\n", payments[i].index);
      g_string_append_printf (xml,
                              "    <singoloImportoPagato>%s</singoloImportoPagato>\n"
                              "    <codiceEsitoSingoloPagamento>%s"
                              "</codiceEsitoSingoloPagamento>\n"
                              "    <dataEsitoSingoloPagamento>%s</dataEsitoSingoloPagamento>\n"
                              "  </datiSingoliPagamenti>\n",
                              payments[i].amount, payments[i].outcome, payments[i].date);
    }
  g_string_append (xml, "</FlussoRiversamento>\n");
  return g_string_free (xml, FALSE);
}

/* Three payments: the notice 301000000000000124's IUV paid, an IUV with the
 * application code of aux digit 0 paid in two parts, one revoked. */
static const PagopaPayment three_payments[] = {
  { "01000000000000124", "IUR-0001", NULL, "150.00", "0", "2025-05-12" },
  { "000000000004711", "IUR-0002", "1", "20.05", "9", "2025-05-12" },
  { "01000000000000555", "IUR-0003", NULL, "99.99", "3", "2025-05-13" },
};

static void
test_pagopa_read (void)
{
  g_autofree char *xml = pagopa_flow ("2025-05-14BPPIITRRXXX-S0001", "2025-05-14T09:30:00",
                                      "3", "270.04", three_payments, 3);
  g_autoptr(EsaPaymentFlow) flow = NULL;
  g_autoptr(GError) error = NULL;
  const EsaFlowItem *item;
  EsaPaymentFlowFormat format;

  assert_schema_valid ("pagopa/FlussoRiversamento_1_0_4.xsd", "pagopa-three.xml", xml);

  g_assert_true (esa_payment_flow_detect (xml, strlen (xml), &format, &error));
  g_assert_cmpint (format, ==, ESA_PAYMENT_FLOW_PAGOPA);

  flow = esa_pagopa_flow_read (xml, strlen (xml), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (flow->flow_key, ==, "2025-05-14BPPIITRRXXX-S0001");
  g_assert_cmpstr (flow->flow_at, ==, "2025-05-14T09:30:00Z");
  g_assert_cmpstr (flow->settled_on, ==, "2025-05-14");
  g_assert_cmpstr (flow->receiver, ==, "00743110157");
  g_assert_cmpstr (flow->sender, ==, "Poste Italiane (BPPIITRRXXX)");
  g_assert_cmpuint (flow->items->len, ==, 3);
  g_assert_cmpint (esa_payment_flow_total (flow), ==, 27004);

  item = item_at (flow, 0);
  g_assert_cmpstr (item->reference, ==, "01000000000000124");
  g_assert_cmpint (item->reference_kind, ==, ESA_PAYMENT_REF_IUV);
  g_assert_cmpint (item->amount, ==, 15000);
  g_assert_cmpstr (item->currency, ==, "EUR");
  g_assert_cmpstr (item->paid_on, ==, "2025-05-12");
  g_assert_cmpstr (item->collection_ref, ==, "IUR-0001");
  g_assert_false (item->revoked);
  g_assert_cmpuint (item->line, ==, 25);

  item = item_at (flow, 1);
  g_assert_cmpint (item->reference_kind, ==, ESA_PAYMENT_REF_IUV);
  g_assert_cmpint (item->amount, ==, 2005);
  g_assert_cmpstr (item->collection_ref, ==, "IUR-0002/1");
  g_assert_cmpstr (item->outcome, ==, "9");

  /* Outcome 3: the payment was revoked. */
  item = item_at (flow, 2);
  g_assert_true (item->revoked);
  g_assert_cmpstr (item->outcome, ==, "3");
  g_assert_cmpint (item->amount, ==, 9999);
}

/* Schema 1.0.5 adds outcomes 4 and 8 (paid through the stand-in node). */
static void
test_pagopa_1_0_5_outcomes (void)
{
  static const PagopaPayment payments[] = {
    { "01000000000000124", "IUR-A", NULL, "10.00", "4", "2025-05-12" },
    { "01000000000000125", "IUR-B", NULL, "5.00", "8", "2025-05-12" },
  };
  static const PagopaPayment unknown[] = {
    { "01000000000000124", "IUR-A", NULL, "10.00", "5", "2025-05-12" },
  };
  g_autofree char *xml = pagopa_flow ("F-105", "2025-05-14T09:30:00+02:00", "2", "15.00",
                                      payments, 2);
  g_autofree char *bad = pagopa_flow ("F-105", "2025-05-14T09:30:00", "1", "10.00", unknown, 1);
  g_autoptr(EsaPaymentFlow) flow = NULL;
  g_autoptr(EsaPaymentFlow) refused = NULL;
  g_autoptr(GError) error = NULL;

  flow = esa_pagopa_flow_read (xml, strlen (xml), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (flow->flow_at, ==, "2025-05-14T07:30:00Z");
  g_assert_false (item_at (flow, 0)->revoked);
  g_assert_false (item_at (flow, 1)->revoked);
  g_assert_cmpstr (item_at (flow, 1)->outcome, ==, "8");

  refused = esa_pagopa_flow_read (bad, strlen (bad), &error);
  g_assert_null (refused);
  g_assert_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "codiceEsitoSingoloPagamento"));
}

/* A flow whose count or total does not add up is refused as a whole, the
 * message naming the element and its line; the schema cannot see it. */
static void
test_pagopa_totals_mismatch (void)
{
  g_autofree char *wrong_total = pagopa_flow ("F-TOT", "2025-05-14T09:30:00", "3", "270.05",
                                              three_payments, 3);
  g_autofree char *wrong_count = pagopa_flow ("F-CNT", "2025-05-14T09:30:00", "2", "270.04",
                                              three_payments, 3);
  g_autoptr(EsaPaymentFlow) flow = NULL;
  g_autoptr(GError) error = NULL;

  assert_schema_valid ("pagopa/FlussoRiversamento_1_0_4.xsd", "pagopa-total.xml", wrong_total);

  flow = esa_pagopa_flow_read (wrong_total, strlen (wrong_total), &error);
  g_assert_null (flow);
  g_assert_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "line 24"));
  g_assert_nonnull (strstr (error->message, "importoTotalePagamenti"));
  g_assert_nonnull (strstr (error->message, "270,05"));
  g_assert_nonnull (strstr (error->message, "270,04"));
  g_assert_nonnull (strstr (error->message, "nothing was imported"));
  g_clear_error (&error);

  flow = esa_pagopa_flow_read (wrong_count, strlen (wrong_count), &error);
  g_assert_null (flow);
  g_assert_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "line 23"));
  g_assert_nonnull (strstr (error->message, "numeroTotalePagamenti"));
}

static void
test_pagopa_malformed (void)
{
  static const char *broken = "<?xml version=\"1.0\"?>\n<FlussoRiversamento>\n"
                              "<identificativoFlusso>X</identificativo>\n";
  static const char *foreign = "<?xml version=\"1.0\"?>\n"
                               "<FlussoRiversamento xmlns=\"urn:other\"/>\n";
  g_autoptr(EsaPaymentFlow) flow = NULL;
  g_autoptr(GError) error = NULL;

  flow = esa_pagopa_flow_read (broken, strlen (broken), &error);
  g_assert_null (flow);
  g_assert_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "line 3"));
  g_clear_error (&error);

  flow = esa_pagopa_flow_read (foreign, strlen (foreign), &error);
  g_assert_null (flow);
  g_assert_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "namespace"));
}

/* ---- camt.054 ------------------------------------------------------------- */

typedef struct
{
  const char *amount;
  const char *indicator;   /* "CRDT" or "DBIT" */
  const char *ref_type;    /* "QRR", "SCOR" or NULL */
  const char *reference;   /* nullable */
  const char *debtor;
  const char *message;     /* nullable: Ustrd */
  const char *bank_ref;
} CamtTx;

typedef struct
{
  const char   *amount;
  const char   *indicator;
  const char   *status;
  const char   *value_date;
  const char   *bank_ref;
  const char   *batch_count;   /* nullable: no Btch */
  const CamtTx *txs;
  guint         n_txs;
} CamtEntry;

/* A camt.054 notification of @version (4 or 8) with the elements in the
 * order of the schema; @summary adds TxsSummry with these figures. */
static char *
camt_document (guint             version,
               const char       *msg_id,
               const CamtEntry  *entries,
               guint             n,
               const char       *summary_count,
               const char       *summary_sum)
{
  GString *xml = g_string_new (NULL);

  g_string_append_printf (xml,
                          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                          "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:"
                          "camt.054.001.0%u\">\n"
                          "  <BkToCstmrDbtCdtNtfctn>\n"
                          "    <GrpHdr>\n"
                          "      <MsgId>%s</MsgId>\n"
                          "      <CreDtTm>2025-06-02T21:40:00</CreDtTm>\n"
                          "      <MsgPgntn><PgNb>1</PgNb><LastPgInd>true</LastPgInd></MsgPgntn>\n"
                          "    </GrpHdr>\n"
                          "    <Ntfctn>\n"
                          "      <Id>%s-N1</Id>\n"
                          "      <CreDtTm>2025-06-02T21:40:00</CreDtTm>\n"
                          "      <Acct><Id><IBAN>CH4431999123000889012</IBAN></Id></Acct>\n",
                          version, msg_id, msg_id);
  if (summary_count != NULL)
    g_string_append_printf (xml,
                            "      <TxsSummry><TtlNtries><NbOfNtries>%s</NbOfNtries>"
                            "<Sum>%s</Sum></TtlNtries></TxsSummry>\n",
                            summary_count, summary_sum);

  for (guint e = 0; e < n; e++)
    {
      const CamtEntry *entry = &entries[e];

      g_string_append_printf (xml,
                              "      <Ntry>\n"
                              "        <Amt Ccy=\"CHF\">%s</Amt>\n"
                              "        <CdtDbtInd>%s</CdtDbtInd>\n"
                              "        <RvslInd>false</RvslInd>\n",
                              entry->amount, entry->indicator);
      if (version == 8)
        g_string_append_printf (xml, "        <Sts><Cd>%s</Cd></Sts>\n", entry->status);
      else
        g_string_append_printf (xml, "        <Sts>%s</Sts>\n", entry->status);
      g_string_append_printf (xml,
                              "        <BookgDt><Dt>%s</Dt></BookgDt>\n"
                              "        <ValDt><Dt>%s</Dt></ValDt>\n"
                              "        <AcctSvcrRef>%s</AcctSvcrRef>\n"
                              "        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd>"
                              "<SubFmlyCd>AUTT</SubFmlyCd></Fmly></Domn></BkTxCd>\n",
                              entry->value_date, entry->value_date, entry->bank_ref);
      if (entry->n_txs > 0)
        {
          g_string_append (xml, "        <NtryDtls>\n");
          if (entry->batch_count != NULL)
            g_string_append_printf (xml, "          <Btch><NbOfTxs>%s</NbOfTxs></Btch>\n",
                                    entry->batch_count);
          for (guint t = 0; t < entry->n_txs; t++)
            {
              const CamtTx *tx = &entry->txs[t];

              g_string_append_printf (xml,
                                      "          <TxDtls>\n"
                                      "            <Refs><AcctSvcrRef>%s</AcctSvcrRef></Refs>\n"
                                      "            <Amt Ccy=\"CHF\">%s</Amt>\n"
                                      "            <CdtDbtInd>%s</CdtDbtInd>\n",
                                      tx->bank_ref, tx->amount, tx->indicator);
              if (version == 8)
                g_string_append_printf (xml, "            <RltdPties><Dbtr><Pty><Nm>%s</Nm>"
                                        "</Pty></Dbtr></RltdPties>\n", tx->debtor);
              else
                g_string_append_printf (xml, "            <RltdPties><Dbtr><Nm>%s</Nm></Dbtr>"
                                        "</RltdPties>\n", tx->debtor);
              g_string_append (xml, "            <RmtInf>\n");
              if (tx->message != NULL)
                g_string_append_printf (xml, "              <Ustrd>%s</Ustrd>\n", tx->message);
              if (tx->reference != NULL)
                {
                  g_string_append (xml, "              <Strd><CdtrRefInf>");
                  if (g_strcmp0 (tx->ref_type, "QRR") == 0)
                    g_string_append (xml, "<Tp><CdOrPrtry><Prtry>QRR</Prtry></CdOrPrtry></Tp>");
                  else if (g_strcmp0 (tx->ref_type, "SCOR") == 0)
                    g_string_append (xml, "<Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp>");
                  g_string_append_printf (xml, "<Ref>%s</Ref></CdtrRefInf></Strd>\n",
                                          tx->reference);
                }
              g_string_append (xml, "            </RmtInf>\n          </TxDtls>\n");
            }
          g_string_append (xml, "        </NtryDtls>\n");
        }
      g_string_append (xml, "      </Ntry>\n");
    }
  g_string_append (xml, "    </Ntfctn>\n  </BkToCstmrDbtCdtNtfctn>\n</Document>\n");
  return g_string_free (xml, FALSE);
}

/* One batch entry of two QR payments and a creditor reference payment. */
static const CamtTx qr_batch[] = {
  { "250.00", "CRDT", "QRR", "210000000003139471430009017", "Bernasconi Maria", NULL, "TX-1" },
  { "1250.50", "CRDT", "QRR", "000000000000000005390075478", "Rezzonico Luca", "Rata 1",
    "TX-2" },
  { "12.45", "CRDT", "SCOR", "RF18539007547034", "Keller AG", NULL, "TX-3" },
};

static void
test_camt08_qr_batch (void)
{
  const CamtEntry entries[] = {
    { "1512.95", "CRDT", "BOOK", "2025-06-02", "ENTRY-1", "3", qr_batch, 3 },
    { "40.00", "DBIT", "BOOK", "2025-06-02", "ENTRY-2", NULL, NULL, 0 },
  };
  g_autofree char *xml = camt_document (8, "MSG-QR-1", entries, 2, "2", "1552.95");
  g_autoptr(EsaPaymentFlow) flow = NULL;
  g_autoptr(GError) error = NULL;
  const EsaFlowItem *item;
  EsaPaymentFlowFormat format;

  assert_schema_valid ("iso20022/camt.054.001.08.xsd", "camt08-batch.xml", xml);
  g_assert_true (esa_payment_flow_detect (xml, strlen (xml), &format, &error));
  g_assert_cmpint (format, ==, ESA_PAYMENT_FLOW_CAMT054);

  flow = esa_camt054_read (xml, strlen (xml), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (flow->flow_key, ==, "MSG-QR-1");
  g_assert_cmpstr (flow->flow_at, ==, "2025-06-02T21:40:00Z");
  g_assert_cmpstr (flow->receiver, ==, "CH4431999123000889012");
  g_assert_cmpuint (flow->items->len, ==, 3);
  g_assert_cmpint (esa_payment_flow_total (flow), ==, 151295);

  item = item_at (flow, 0);
  g_assert_cmpint (item->reference_kind, ==, ESA_PAYMENT_REF_QRR);
  g_assert_cmpstr (item->reference, ==, "210000000003139471430009017");
  g_assert_cmpint (item->amount, ==, 25000);
  g_assert_cmpstr (item->currency, ==, "CHF");
  g_assert_cmpstr (item->paid_on, ==, "2025-06-02");
  g_assert_cmpstr (item->debtor_name, ==, "Bernasconi Maria");
  g_assert_cmpstr (item->collection_ref, ==, "TX-1");
  item = item_at (flow, 1);
  g_assert_cmpint (item->reference_kind, ==, ESA_PAYMENT_REF_QRR);
  g_assert_cmpint (item->amount, ==, 125050);
  g_assert_cmpstr (item->remittance, ==, "Rata 1");
  item = item_at (flow, 2);
  g_assert_cmpint (item->reference_kind, ==, ESA_PAYMENT_REF_SCOR);
  g_assert_cmpstr (item->reference, ==, "RF18539007547034");

  /* The debit entry is left out with a note naming its line. */
  g_assert_cmpuint (flow->notes->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (flow->notes, 0), "DBIT"));
}

/* A batch whose amount is not the sum of its transactions, a wrong
 * NbOfTxs, a wrong TxsSummry: each refuses the file. */
static void
test_camt_batch_mismatch (void)
{
  const CamtEntry wrong_sum[] = {
    { "1512.90", "CRDT", "BOOK", "2025-06-02", "ENTRY-1", "3", qr_batch, 3 },
  };
  const CamtEntry wrong_count[] = {
    { "1512.95", "CRDT", "BOOK", "2025-06-02", "ENTRY-1", "2", qr_batch, 3 },
  };
  const CamtEntry right[] = {
    { "1512.95", "CRDT", "BOOK", "2025-06-02", "ENTRY-1", "3", qr_batch, 3 },
  };
  g_autofree char *xml1 = camt_document (8, "MSG-BAD-1", wrong_sum, 1, NULL, NULL);
  g_autofree char *xml2 = camt_document (8, "MSG-BAD-2", wrong_count, 1, NULL, NULL);
  g_autofree char *xml3 = camt_document (8, "MSG-BAD-3", right, 1, "1", "1512.00");
  g_autofree char *xml4 = camt_document (8, "MSG-BAD-4", right, 1, "2", "1512.95");
  g_autoptr(GError) error = NULL;

  assert_schema_valid ("iso20022/camt.054.001.08.xsd", "camt08-bad.xml", xml1);

  g_assert_null (esa_camt054_read (xml1, strlen (xml1), &error));
  g_assert_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_INVALID);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "line 14"));
  g_assert_nonnull (strstr (error->message, "Ntry/Amt"));
  g_assert_nonnull (strstr (error->message, "3 transactions"));
  g_assert_nonnull (strstr (error->message, "nothing was imported"));
  g_clear_error (&error);

  g_assert_null (esa_camt054_read (xml2, strlen (xml2), &error));
  g_assert_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "NbOfTxs"));
  g_clear_error (&error);

  g_assert_null (esa_camt054_read (xml3, strlen (xml3), &error));
  g_assert_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "TxsSummry/TtlNtries/Sum"));
  g_clear_error (&error);

  g_assert_null (esa_camt054_read (xml4, strlen (xml4), &error));
  g_assert_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "NbOfNtries"));
}

/* The 2009 version, as Swiss banks wrote it until 2019. */
static void
test_camt04_written (void)
{
  static const CamtTx txs[] = {
    { "80.00", "CRDT", NULL, "210000000003139471430009017", "Ada Lovelace", NULL, "T4-1" },
    { "20.00", "CRDT", NULL, NULL, "Lord Byron", "Fattura 12", "T4-2" },
  };
  const CamtEntry entries[] = {
    { "100.00", "CRDT", "BOOK", "2017-07-27", "E4-1", "2", txs, 2 },
    { "7.00", "CRDT", "PDNG", "2017-07-27", "E4-2", NULL, NULL, 0 },
  };
  g_autofree char *xml = camt_document (4, "MSG-04", entries, 2, "2", "107.00");
  g_autoptr(EsaPaymentFlow) flow = NULL;
  g_autoptr(GError) error = NULL;

  assert_schema_valid ("iso20022/camt.054.001.04.xsd", "camt04.xml", xml);
  flow = esa_camt054_read (xml, strlen (xml), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (flow->items->len, ==, 2);
  /* Without a type, a reference is recognised by its shape and check. */
  g_assert_cmpint (item_at (flow, 0)->reference_kind, ==, ESA_PAYMENT_REF_QRR);
  g_assert_cmpstr (item_at (flow, 0)->debtor_name, ==, "Ada Lovelace");
  g_assert_cmpint (item_at (flow, 1)->reference_kind, ==, ESA_PAYMENT_REF_NONE);
  g_assert_cmpstr (item_at (flow, 1)->remittance, ==, "Fattura 12");
  g_assert_cmpuint (flow->notes->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (flow->notes, 0), "PDNG"));
}

/* The real sample: one credited batch entry of CHF 1692.22 made of two QR
 * payments, 778.29 and 913.93. */
static void
test_camt_real_batch_sample (void)
{
  gsize length = 0;
  g_autofree char *data = read_standard ("iso20022/samples/200519_camt.054_P_"
                                         "CH2909000000250094239_1111091335_0_"
                                         "2020061900081727_v2019.xml", &length);
  g_autoptr(EsaPaymentFlow) flow = NULL;
  g_autoptr(GError) error = NULL;
  EsaPaymentFlowFormat format;

  g_assert_true (esa_payment_flow_detect (data, length, &format, &error));
  g_assert_cmpint (format, ==, ESA_PAYMENT_FLOW_CAMT054);
  flow = esa_payment_flow_read (data, length, format, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (flow->flow_key, ==, "20200618375204295372463");
  g_assert_cmpstr (flow->flow_at, ==, "2020-06-18T23:41:07Z");
  g_assert_cmpstr (flow->receiver, ==, "CH2909000000250094239");
  g_assert_cmpuint (flow->items->len, ==, 2);
  g_assert_cmpint (item_at (flow, 0)->amount, ==, 77829);
  g_assert_cmpint (item_at (flow, 1)->amount, ==, 91393);
  g_assert_cmpint (esa_payment_flow_total (flow), ==, 169222);
  g_assert_cmpint (item_at (flow, 0)->reference_kind, ==, ESA_PAYMENT_REF_QRR);
  g_assert_cmpstr (item_at (flow, 0)->reference, ==, "539115429773825311971477453");
  g_assert_cmpint (item_at (flow, 1)->reference_kind, ==, ESA_PAYMENT_REF_QRR);
  g_assert_cmpstr (item_at (flow, 1)->reference, ==, "662437765447746478179744715");
  g_assert_cmpstr (item_at (flow, 0)->paid_on, ==, "2020-06-18");
  g_assert_cmpstr (item_at (flow, 0)->debtor_name, ==, "Bernasconi Maria");
  g_assert_cmpstr (item_at (flow, 0)->collection_ref, ==, "2000000000000000");
  g_assert_cmpuint (flow->notes->len, ==, 0);
}

/* The other real samples: a single payment without reference (2022), a
 * collective booking of orange-slip payments (.001.04), and entries that
 * are no booked credit: a reversal, a pending one and a debit. */
static void
test_camt_other_samples (void)
{
  gsize length = 0;
  g_autofree char *single = read_standard ("iso20022/samples/camt.054_P_CH2909000000250094239_"
                                           "1111111112_0_2022031011011199_v2019.xml", &length);
  g_autofree char *batch = NULL;
  g_autofree char *none = NULL;
  g_autoptr(EsaPaymentFlow) flow = NULL;
  g_autoptr(GError) error = NULL;

  flow = esa_camt054_read (single, length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (flow->items->len, ==, 1);
  g_assert_cmpint (item_at (flow, 0)->amount, ==, 52210);
  g_assert_cmpint (item_at (flow, 0)->reference_kind, ==, ESA_PAYMENT_REF_NONE);
  g_clear_pointer (&flow, esa_payment_flow_free);

  batch = read_standard ("iso20022/samples/camt_054_Beispiel_SammelbuchungEs.xml", &length);
  flow = esa_camt054_read (batch, length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (flow->items->len, ==, 2);
  g_assert_cmpint (item_at (flow, 0)->amount, ==, 11100);
  g_assert_cmpint (item_at (flow, 1)->amount, ==, 200);
  g_assert_cmpstr (item_at (flow, 1)->debtor_name, ==, "Lord Bayron");
  g_assert_cmpstr (item_at (flow, 0)->remittance, ==, "TEST MITTEILUNG");
  g_assert_cmpstr (item_at (flow, 0)->paid_on, ==, "2017-07-27");
  g_clear_pointer (&flow, esa_payment_flow_free);

  none = read_standard ("iso20022/samples/camt_054_Beispiel_NoCrdtBookedNotReversed.xml",
                        &length);
  flow = esa_camt054_read (none, length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (flow->items->len, ==, 0);
  g_assert_cmpuint (flow->notes->len, ==, 3);
  g_assert_nonnull (strstr (g_ptr_array_index (flow->notes, 0), "reversal"));
  g_assert_nonnull (strstr (g_ptr_array_index (flow->notes, 1), "PDNG"));
  g_assert_nonnull (strstr (g_ptr_array_index (flow->notes, 2), "DBIT"));
}

/* A document without a notification is refused with a clear message. */
static void
test_camt_notification_missing (void)
{
  gsize length = 0;
  g_autofree char *data = read_standard ("iso20022/samples/"
                                         "camt_054_Beispiel_NotificationMissing.xml", &length);
  g_autoptr(EsaPaymentFlow) flow = NULL;
  g_autoptr(GError) error = NULL;
  EsaPaymentFlowFormat format;

  g_assert_true (esa_payment_flow_detect (data, length, &format, &error));
  g_assert_cmpint (format, ==, ESA_PAYMENT_FLOW_CAMT054);
  flow = esa_payment_flow_read (data, length, format, NULL, &error);
  g_assert_null (flow);
  g_assert_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "line 2"));
  g_assert_nonnull (strstr (error->message, "no camt.054 notification"));
  g_assert_nonnull (strstr (error->message, "refused"));
}

/* ---- recognising, amounts, references ------------------------------------------ */

static void
test_detect (void)
{
  static const char *other = "<?xml version=\"1.0\"?>\n<!-- a comment -->\n<invoice/>";
  static const char *csv = "\xEF\xBB\xBF" "Data;Importo\n2025-01-01;10,00\n";
  static const char *prefixed = "<?xml version=\"1.0\"?><pay:FlussoRiversamento "
                                "xmlns:pay=\"http://www.digitpa.gov.it/schemas/2011/"
                                "Pagamenti/\"/>";
  g_autoptr(GError) error = NULL;
  EsaPaymentFlowFormat format = ESA_PAYMENT_FLOW_PAGOPA;

  g_assert_true (esa_payment_flow_detect (csv, strlen (csv), &format, &error));
  g_assert_cmpint (format, ==, ESA_PAYMENT_FLOW_CSV);
  g_assert_true (esa_payment_flow_detect (prefixed, strlen (prefixed), &format, &error));
  g_assert_cmpint (format, ==, ESA_PAYMENT_FLOW_PAGOPA);
  g_assert_false (esa_payment_flow_detect (other, strlen (other), &format, &error));
  g_assert_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "<invoice>"));
}

static void
test_amounts (void)
{
  static const struct
  {
    const char *text;
    char        decimal;
    const char *grouping;
    gint64      minor;
  } good[] = {
    { "1692.22", '.', NULL, 169222 },
    { "778.29", '.', NULL, 77829 },
    { "0.5", '.', NULL, 50 },
    { "12", '.', NULL, 1200 },
    { "12.50000", '.', NULL, 1250 },
    { " -3.20 ", '.', NULL, -320 },
    { "1'234.50", '.', "'", 123450 },
    { "1\xE2\x80\x99" "234.50", '.', "\xE2\x80\x99", 123450 },
    { "1.234,50", ',', ".", 123450 },
    { "92233720368547758.07", '.', NULL, G_MAXINT64 },
  };
  static const char *bad[] = {
    "12.501", "abc", "", "1,2.3", ".", "12.", "92233720368547758.08", "1'234.50", "- 5",
  };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      gint64 minor = 0;

      g_assert_true (esa_payment_parse_amount (good[i].text, good[i].decimal, good[i].grouping,
                                               &minor, &error));
      g_assert_no_error (error);
      g_assert_cmpint (minor, ==, good[i].minor);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      gint64 minor = 0;

      g_assert_false (esa_payment_parse_amount (bad[i], '.', NULL, &minor, &error));
      g_assert_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_INVALID);
      g_clear_error (&error);
    }
}

static void
test_references (void)
{
  static const struct
  {
    const char        *text;
    EsaPaymentRefKind  kind;
    const char        *normalized;
  } cases[] = {
    { "21 00000 00003 13947 14300 09017", ESA_PAYMENT_REF_QRR, "210000000003139471430009017" },
    { "210000000003139471430009016", ESA_PAYMENT_REF_OTHER, "210000000003139471430009016" },
    { "3007 1570 0000 0000 32", ESA_PAYMENT_REF_NOTICE, "300715700000000032" },
    { "300715700000000033", ESA_PAYMENT_REF_OTHER, "300715700000000033" },
    { "01000000000000124", ESA_PAYMENT_REF_IUV, "01000000000000124" },
    { "000000000004711", ESA_PAYMENT_REF_IUV, "000000000004711" },
    { "rf18 5390 0754 7034", ESA_PAYMENT_REF_SCOR, "RF18539007547034" },
    { "RF19539007547034", ESA_PAYMENT_REF_OTHER, "RF19539007547034" },
    { "TARI-2024-0042", ESA_PAYMENT_REF_OTHER, "TARI-2024-0042" },
    { "   ", ESA_PAYMENT_REF_NONE, NULL },
  };
  g_autofree char *composed = esa_creditor_reference_compose ("539007547034");
  g_autofree char *title = esa_creditor_reference_compose ("tari20251");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *normalized = NULL;

      g_assert_cmpint (esa_payment_classify_reference (cases[i].text, &normalized), ==,
                       cases[i].kind);
      g_assert_cmpstr (normalized, ==, cases[i].normalized);
    }

  /* ISO 11649's own example. */
  g_assert_true (esa_creditor_reference_is_valid ("RF18 5390 0754 7034"));
  g_assert_false (esa_creditor_reference_is_valid ("RF18 5390 0754 7035"));
  g_assert_false (esa_creditor_reference_is_valid ("RF18"));
  g_assert_cmpstr (composed, ==, "RF18539007547034");
  g_assert_cmpstr (title, ==, "RF06TARI20251");
  g_assert_true (esa_creditor_reference_is_valid (title));
}

/* ---- CSV -------------------------------------------------------------------- */

static const char *bank_csv =
  "Kontoauszug Postfinance\n"
  "Konto;CH44 3199 9123 0008 8901 2\n"
  "Valuta;Gutschrift;Referenz;Auftraggeber;Mitteilung;Buchungs-ID\n"
  "02.06.2025;1'250.50;00 00000 00000 00000 53900 75478;Rezzonico Luca;Rata 1;B-1\n"
  "03.06.2025;-40.00;;Gebühren;;B-2\n"
  "03.06.2025;99.90;;\"Muster, Hans\";\"Rechnung \"\"7\"\"\";B-3\n";

static const char *bank_mapping =
  "{ \"separator\": \";\", \"thousands_separator\": \"'\", \"date_format\": \"DD.MM.YYYY\","
  "  \"currency\": \"CHF\", \"skip_lines\": 2,"
  "  \"columns\": { \"paid_on\": \"Valuta\", \"amount\": \"gutschrift\","
  "                 \"reference\": \"Referenz\", \"debtor_name\": \"Auftraggeber\","
  "                 \"remittance\": \"Mitteilung\", \"id\": 6 } }";

static void
test_csv_read (void)
{
  g_autoptr(EsaPaymentCsvMapping) mapping = NULL;
  g_autoptr(EsaPaymentCsvMapping) again = NULL;
  g_autoptr(EsaPaymentFlow) flow = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;
  const EsaFlowItem *item;

  mapping = esa_payment_csv_mapping_new_from_data (bank_mapping, &error);
  g_assert_no_error (error);
  flow = esa_payment_flow_read (bank_csv, strlen (bank_csv), ESA_PAYMENT_FLOW_CSV, mapping,
                                &error);
  g_assert_no_error (error);
  g_assert_null (flow->flow_key);
  g_assert_cmpuint (flow->items->len, ==, 2);

  item = item_at (flow, 0);
  g_assert_cmpuint (item->line, ==, 4);
  g_assert_cmpint (item->amount, ==, 125050);
  g_assert_cmpstr (item->currency, ==, "CHF");
  g_assert_cmpstr (item->paid_on, ==, "2025-06-02");
  g_assert_cmpint (item->reference_kind, ==, ESA_PAYMENT_REF_QRR);
  g_assert_cmpstr (item->reference, ==, "000000000000000005390075478");
  g_assert_cmpstr (item->collection_ref, ==, "B-1");
  g_assert_cmpstr (item->remittance, ==, "Rata 1");
  item = item_at (flow, 1);
  g_assert_cmpstr (item->debtor_name, ==, "Muster, Hans");
  g_assert_cmpstr (item->remittance, ==, "Rechnung \"7\"");
  g_assert_cmpint (item->reference_kind, ==, ESA_PAYMENT_REF_NONE);

  /* The debit is left out with a note. */
  g_assert_cmpuint (flow->notes->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (flow->notes, 0), "line 5"));

  /* The mapping saved and read back reads the same. */
  saved = esa_payment_csv_mapping_to_data (mapping);
  again = esa_payment_csv_mapping_new_from_data (saved, &error);
  g_assert_no_error (error);
  g_clear_pointer (&flow, esa_payment_flow_free);
  flow = esa_payment_csv_read (bank_csv, strlen (bank_csv), again, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (flow->items->len, ==, 2);
}

static void
test_csv_refused (void)
{
  static const char *bad_rows =
    "paid_on,amount,currency\n"
    "2025-06-02,10.00,EUR\n"
    "2025-06-31,10.00,EUR\n"
    "2025-06-03,ten,EUR\n"
    "2025-06-03,5.00,\n";
  static const char *no_column = "date,amount\n2025-06-02,10.00\n";
  g_autoptr(EsaPaymentCsvMapping) mapping = esa_payment_csv_mapping_new ();
  g_autoptr(EsaPaymentCsvMapping) wrong = NULL;
  g_autoptr(EsaPaymentFlow) flow = NULL;
  g_autoptr(GError) error = NULL;

  flow = esa_payment_csv_read (bad_rows, strlen (bad_rows), mapping, &error);
  g_assert_null (flow);
  g_assert_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "nothing was imported"));
  g_assert_nonnull (strstr (error->message, "line 3: date “2025-06-31”"));
  g_assert_nonnull (strstr (error->message, "line 4: amount"));
  g_assert_nonnull (strstr (error->message, "line 5: no currency"));
  g_assert_null (strstr (error->message, "line 2"));
  g_clear_error (&error);

  flow = esa_payment_csv_read (no_column, strlen (no_column), mapping, &error);
  g_assert_null (flow);
  g_assert_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“paid_on”"));
  g_clear_error (&error);

  wrong = esa_payment_csv_mapping_new_from_data ("{ \"columns\": { \"amout\": \"x\" } }",
                                                 &error);
  g_assert_null (wrong);
  g_assert_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "columns.amout"));
  g_clear_error (&error);

  wrong = esa_payment_csv_mapping_new_from_data ("{ \"date_format\": \"MM/DD/YYYY\" }", &error);
  g_assert_null (wrong);
  g_assert_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "date_format"));
}

static void
test_refunds_csv (void)
{
  g_autoptr(GPtrArray) refunds = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                 esa_refund_candidate_free);
  EsaRefundCandidate *refund = g_new0 (EsaRefundCandidate, 1);
  g_autofree char *csv = NULL;

  refund->payment_id = g_strdup ("p-1");
  refund->reason = g_strdup ("double");
  refund->paid_on = g_strdup ("2025-06-02");
  refund->amount = 5000;
  refund->refund = 5000;
  refund->currency = g_strdup ("EUR");
  refund->body_name = g_strdup ("Comune di Esempio");
  refund->debtor_name = g_strdup ("Rossi, \"Mario\"");
  refund->tax_id = g_strdup ("RSSMRA85T10A562S");
  refund->position_reference = g_strdup ("TARI-2024-1");
  g_ptr_array_add (refunds, refund);

  csv = esa_payment_refunds_to_csv (refunds);
  g_assert_cmpstr (csv, ==,
                   "payment,reason,paid_on,amount,refund,currency,body,debtor,tax_id,position,"
                   "payment_reference,collection_ref,flow\r\n"
                   "p-1,double,2025-06-02,50.00,50.00,EUR,Comune di Esempio,"
                   "\"Rossi, \"\"Mario\"\"\",RSSMRA85T10A562S,TARI-2024-1,,,\r\n");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *shared = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  /* <source root>/../shared/standards: in every checkout and in CI. */
  shared = g_build_filename (g_test_get_dir (G_TEST_DIST), "..", "..", "shared", "standards",
                             NULL);
  standards_dir = g_canonicalize_filename (shared, NULL);
  if (!g_file_test (standards_dir, G_FILE_TEST_IS_DIR))
    {
      g_printerr ("The official schemas and samples are missing: %s is not a folder. The shared "
                  "folder must sit beside the source tree (<source root>/../shared).\n",
                  standards_dir);
      g_print ("Bail out! %s is missing\n", standards_dir);
      return 1;
    }
  tmp_dir = g_dir_make_tmp ("esa-payment-flows-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/payment-flows/pagopa/read", test_pagopa_read);
  g_test_add_func ("/payment-flows/pagopa/1.0.5-outcomes", test_pagopa_1_0_5_outcomes);
  g_test_add_func ("/payment-flows/pagopa/totals-mismatch", test_pagopa_totals_mismatch);
  g_test_add_func ("/payment-flows/pagopa/malformed", test_pagopa_malformed);
  g_test_add_func ("/payment-flows/camt054/08-qr-batch", test_camt08_qr_batch);
  g_test_add_func ("/payment-flows/camt054/batch-mismatch", test_camt_batch_mismatch);
  g_test_add_func ("/payment-flows/camt054/04-written", test_camt04_written);
  g_test_add_func ("/payment-flows/camt054/real-batch-sample", test_camt_real_batch_sample);
  g_test_add_func ("/payment-flows/camt054/other-samples", test_camt_other_samples);
  g_test_add_func ("/payment-flows/camt054/notification-missing",
                   test_camt_notification_missing);
  g_test_add_func ("/payment-flows/detect", test_detect);
  g_test_add_func ("/payment-flows/amounts", test_amounts);
  g_test_add_func ("/payment-flows/references", test_references);
  g_test_add_func ("/payment-flows/csv/read", test_csv_read);
  g_test_add_func ("/payment-flows/csv/refused", test_csv_refused);
  g_test_add_func ("/payment-flows/refunds-csv", test_refunds_csv);

  status = g_test_run ();

  g_rmdir (tmp_dir);
  g_free (tmp_dir);
  g_free (standards_dir);
  return status;
}
