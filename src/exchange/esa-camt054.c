/* esa-camt054.c: ISO 20022 camt.054 debit/credit notifications
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "esa-camt054.h"
#include "esa-identifiers.h"
#include "esa-money.h"
#include "esa-payment-flow-private.h"

#define WHAT _("camt.054 file")

/* The sums a notification's TxsSummry states, made while reading. */
typedef struct
{
  guint  entries;
  gint64 sum;          /* of every entry, credits and debits alike */
  guint  credits;
  gint64 credit_sum;
  guint  debits;
  gint64 debit_sum;
} Totals;

static gboolean G_GNUC_PRINTF (3, 4)
refuse (GError     **error,
        xmlNode     *node,
        const char  *format,
        ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* Translators: "camt.054, line 40: the batch entry of CHF 1’692.22 (Ntry/Amt) is not the
   * sum of its 2 transactions (CHF 1’690.00): the file is refused, nothing was imported" */
  g_set_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_INVALID,
               _("camt.054, line %u: %s: the file is refused, nothing was imported"),
               _esa_xml_line (node), message);
  return FALSE;
}

/* An Amt element: its amount in minor units and its currency. */
static gboolean
read_amount (xmlNode     *node,
             gint64      *out_minor,
             char       **out_currency,
             GError     **error)
{
  g_autofree char *text = _esa_xml_text (node);
  g_autoptr(GError) local_error = NULL;
  xmlChar *currency;
  gboolean ok = TRUE;

  if (text == NULL || !esa_payment_parse_amount (text, '.', NULL, out_minor, &local_error)
      || *out_minor < 0)
    return refuse (error, node, _("%s “%s” is not an amount"), _esa_xml_name (node),
                   text != NULL ? text : "");
  if (out_currency == NULL)
    return TRUE;

  currency = xmlGetProp (node, (const xmlChar *) "Ccy");
  if (currency == NULL || strlen ((const char *) currency) != 3)
    ok = refuse (error, node, _("%s has no currency (Ccy)"), _esa_xml_name (node));
  else
    *out_currency = g_strdup ((const char *) currency);
  xmlFree (currency);
  return ok;
}

/* A Sum or TtlAmt: a decimal number without currency. */
static gboolean
read_decimal (xmlNode  *node,
              gint64   *out_minor,
              GError  **error)
{
  g_autofree char *text = _esa_xml_text (node);
  g_autoptr(GError) local_error = NULL;

  if (text == NULL || !esa_payment_parse_amount (text, '.', NULL, out_minor, &local_error))
    return refuse (error, node, _("%s “%s” is not an amount"), _esa_xml_name (node),
                   text != NULL ? text : "");
  return TRUE;
}

static gboolean
read_count (xmlNode  *node,
            guint64  *out,
            GError  **error)
{
  g_autofree char *text = _esa_xml_text (node);

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT, out, NULL))
    return refuse (error, node, _("%s “%s” is not a number"), _esa_xml_name (node),
                   text != NULL ? text : "");
  return TRUE;
}

/* The date of a DateAndDateTime choice (Dt or DtTm). */
static char *
read_date_choice (xmlNode *node)
{
  g_autofree char *text = _esa_xml_path_text (node, "Dt");

  if (text == NULL)
    text = _esa_xml_path_text (node, "DtTm");
  return _esa_payment_date (text);
}

/* The entry's status: Sts holds the code itself in .001.04 and a Cd (or
 * Prtry) in .001.08. */
static char *
read_status (xmlNode *entry)
{
  xmlNode *status = _esa_xml_child (entry, "Sts");
  char *code = _esa_xml_path_text (status, "Cd");

  if (code == NULL)
    code = _esa_xml_path_text (status, "Prtry");
  if (code == NULL && _esa_xml_child (status, "Cd") == NULL)
    code = _esa_xml_text (status);
  return code;
}

/* The payer's name: a party (Dbtr/Pty/Nm in .001.08, Dbtr/Nm in .001.04),
 * the ultimate debtor when the debtor has none. */
static char *
read_payer (xmlNode *transaction)
{
  static const char * const paths[] = {
    "RltdPties/Dbtr/Pty/Nm", "RltdPties/Dbtr/Nm",
    "RltdPties/UltmtDbtr/Pty/Nm", "RltdPties/UltmtDbtr/Nm",
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      char *name = _esa_xml_path_text (transaction, paths[i]);

      if (name != NULL)
        return name;
    }
  return NULL;
}

static char *
read_unstructured (xmlNode *transaction)
{
  xmlNode *remittance = _esa_xml_path (transaction, "RmtInf");
  g_autoptr(GString) text = g_string_new (NULL);

  for (xmlNode *line = _esa_xml_child (remittance, "Ustrd"); line != NULL;
       line = _esa_xml_next (line))
    {
      g_autofree char *part = _esa_xml_text (line);

      if (part == NULL)
        continue;
      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, part);
    }
  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

/* The creditor reference of a transaction: CdtrRefInf/Ref, typed QRR
 * (Prtry) or SCOR (Cd), else recognised by its shape. A reference whose
 * check fails is kept as "other", with a note. */
static void
read_reference (EsaPaymentFlow *flow,
                EsaFlowItem    *item,
                xmlNode        *transaction)
{
  xmlNode *remittance = _esa_xml_child (transaction, "RmtInf");
  g_autofree char *reference = NULL;
  g_autofree char *type = NULL;

  for (xmlNode *structured = _esa_xml_child (remittance, "Strd");
       structured != NULL && reference == NULL; structured = _esa_xml_next (structured))
    {
      reference = _esa_xml_path_text (structured, "CdtrRefInf/Ref");
      if (reference != NULL)
        {
          type = _esa_xml_path_text (structured, "CdtrRefInf/Tp/CdOrPrtry/Prtry");
          if (type == NULL)
            type = _esa_xml_path_text (structured, "CdtrRefInf/Tp/CdOrPrtry/Cd");
        }
    }
  if (reference == NULL)
    return;

  item->reference_kind = esa_payment_classify_reference (reference, &item->reference);
  if (g_strcmp0 (type, "QRR") == 0 && item->reference_kind != ESA_PAYMENT_REF_QRR)
    {
      item->reference_kind = ESA_PAYMENT_REF_OTHER;
      /* Translators: "line 40: QR reference 123… has a wrong check digit: it matches no
       * position by itself" */
      esa_payment_flow_add_note (flow, _("line %u: QR reference %s has a wrong check digit: it "
                                         "matches no position by itself"),
                                 item->line, item->reference);
    }
  else if (g_strcmp0 (type, "SCOR") == 0 && item->reference_kind != ESA_PAYMENT_REF_SCOR)
    {
      item->reference_kind = ESA_PAYMENT_REF_OTHER;
      esa_payment_flow_add_note (flow, _("line %u: creditor reference %s fails its ISO 11649 "
                                         "check: it matches no position by itself"),
                                 item->line, item->reference);
    }
}

static void
add_item (EsaPaymentFlow *flow,
          xmlNode        *node,
          gint64          amount,
          const char     *currency,
          const char     *paid_on,
          char           *collection_ref)
{
  EsaFlowItem *item = esa_payment_flow_add_item (flow);

  item->line = _esa_xml_line (node);
  item->amount = amount;
  item->currency = g_strdup (currency);
  item->paid_on = g_strdup (paid_on);
  item->collection_ref = collection_ref;
  if (g_strcmp0 (_esa_xml_name (node), "TxDtls") == 0)
    {
      read_reference (flow, item, node);
      item->debtor_name = read_payer (node);
      item->remittance = read_unstructured (node);
    }
}

/* Why an entry gives no payment, or NULL. (transfer full) */
static char *
entry_left_out (const char *indicator,
                const char *reversal,
                const char *status)
{
  if (g_strcmp0 (indicator, "CRDT") != 0)
    return g_strdup_printf (_("it is not a credit (CdtDbtInd %s)"),
                            indicator != NULL ? indicator : "");
  if (g_strcmp0 (reversal, "true") == 0 || g_strcmp0 (reversal, "1") == 0)
    return g_strdup (_("it is a reversal (RvslInd true)"));
  if (g_strcmp0 (status, "BOOK") != 0)
    return g_strdup_printf (_("it is not booked (Sts %s)"), status != NULL ? status : "");
  return NULL;
}

/* One entry: checked against its transactions, then its credited
 * transactions as items. */
static gboolean
read_entry (EsaPaymentFlow  *flow,
            xmlNode         *entry,
            Totals          *totals,
            GError         **error)
{
  g_autofree char *currency = NULL;
  g_autofree char *indicator = _esa_xml_path_text (entry, "CdtDbtInd");
  g_autofree char *reversal = _esa_xml_path_text (entry, "RvslInd");
  g_autofree char *status = read_status (entry);
  g_autofree char *paid_on = read_date_choice (_esa_xml_child (entry, "ValDt"));
  g_autofree char *entry_ref = _esa_xml_path_text (entry, "AcctSvcrRef");
  g_autofree char *left_out = NULL;
  g_autofree char *entry_money = NULL;
  g_autoptr(GPtrArray) transactions = g_ptr_array_new ();
  xmlNode *amount_node = _esa_xml_child (entry, "Amt");
  gint64 amount = 0;
  gint64 sum = 0;
  guint missing = 0;

  if (amount_node == NULL)
    return refuse (error, entry, _("the entry (Ntry) has no amount (Amt)"));
  if (!read_amount (amount_node, &amount, &currency, error))
    return FALSE;

  totals->entries++;
  totals->sum += amount;
  if (g_strcmp0 (indicator, "CRDT") == 0)
    {
      totals->credits++;
      totals->credit_sum += amount;
    }
  else if (g_strcmp0 (indicator, "DBIT") == 0)
    {
      totals->debits++;
      totals->debit_sum += amount;
    }
  else
    return refuse (error, entry, _("CdtDbtInd “%s” is neither CRDT nor DBIT"),
                   indicator != NULL ? indicator : "");
  entry_money = esa_money_format (amount, currency);

  /* An entry that gives no payment is only counted for TxsSummry: its
   * details are not checked, as nothing of it is imported. */
  left_out = entry_left_out (indicator, reversal, status);
  if (left_out != NULL)
    {
      /* Translators: "line 52: the entry of CHF 3.00 is left out: it is not a credit (CdtDbtInd
       * DBIT)" */
      esa_payment_flow_add_note (flow, _("line %u: the entry of %s is left out: %s"),
                                 _esa_xml_line (entry), entry_money, left_out);
      return TRUE;
    }

  /* Every NtryDtls: its batch figures, when given, and its transactions. */
  for (xmlNode *details = _esa_xml_child (entry, "NtryDtls"); details != NULL;
       details = _esa_xml_next (details))
    {
      xmlNode *batch = _esa_xml_child (details, "Btch");
      guint before = transactions->len;
      gint64 batch_sum = 0;

      for (xmlNode *tx = _esa_xml_child (details, "TxDtls"); tx != NULL; tx = _esa_xml_next (tx))
        {
          g_autofree char *tx_indicator = _esa_xml_path_text (tx, "CdtDbtInd");
          xmlNode *tx_amount = _esa_xml_child (tx, "Amt");
          gint64 value = 0;

          g_ptr_array_add (transactions, tx);
          if (tx_amount == NULL)
            {
              missing++;
              continue;
            }
          if (!read_amount (tx_amount, &value, NULL, error))
            return FALSE;
          /* A debited transaction in a credited batch takes away from it. */
          if (tx_indicator != NULL && g_strcmp0 (tx_indicator, indicator) != 0)
            value = -value;
          batch_sum += value;
        }
      sum += batch_sum;

      if (batch != NULL)
        {
          xmlNode *count_node = _esa_xml_child (batch, "NbOfTxs");
          xmlNode *total_node = _esa_xml_child (batch, "TtlAmt");
          guint n = transactions->len - before;
          guint64 count = 0;
          gint64 total = 0;

          if (count_node != NULL && !read_count (count_node, &count, error))
            return FALSE;
          if (count_node != NULL && count != n)
            return refuse (error, count_node,
                           g_dngettext (GETTEXT_PACKAGE,
                                        "Btch/NbOfTxs says %u, but the batch has %u transaction "
                                        "(TxDtls)",
                                        "Btch/NbOfTxs says %u, but the batch has %u transactions "
                                        "(TxDtls)", n),
                           (guint) count, n);
          if (total_node != NULL && !read_decimal (total_node, &total, error))
            return FALSE;
          if (total_node != NULL && missing == 0 && total != batch_sum)
            {
              g_autofree char *total_money = esa_money_format (total, currency);
              g_autofree char *sum_money = esa_money_format (batch_sum, currency);

              return refuse (error, total_node,
                             _("Btch/TtlAmt is %s, but the transactions add up to %s"),
                             total_money, sum_money);
            }
        }
    }

  /* The amount of the entry is the sum of its transactions. One
   * transaction may leave its amount out: it is then the entry's. */
  if (missing > 0 && transactions->len > 1)
    return refuse (error, g_ptr_array_index (transactions, 0),
                   _("a transaction (TxDtls) of the batch entry of %s has no amount (Amt)"),
                   entry_money);
  if (transactions->len > 0 && missing == 0 && sum != amount)
    {
      g_autofree char *sum_money = esa_money_format (sum, currency);

      return refuse (error, amount_node,
                     g_dngettext (GETTEXT_PACKAGE,
                                  "the entry of %s (Ntry/Amt) is not the sum of its %u "
                                  "transaction (%s)",
                                  "the batch entry of %s (Ntry/Amt) is not the sum of its %u "
                                  "transactions (%s)",
                                  transactions->len),
                     entry_money, transactions->len, sum_money);
    }

  if (paid_on == NULL)
    paid_on = read_date_choice (_esa_xml_child (entry, "BookgDt"));
  if (paid_on == NULL)
    return refuse (error, entry, _("the booked entry of %s has no value date (ValDt) and no "
                                   "booking date (BookgDt)"),
                   entry_money);

  if (transactions->len == 0)
    {
      add_item (flow, entry, amount, currency, paid_on, g_strdup (entry_ref));
      return TRUE;
    }

  for (guint i = 0; i < transactions->len; i++)
    {
      xmlNode *tx = g_ptr_array_index (transactions, i);
      g_autofree char *tx_indicator = _esa_xml_path_text (tx, "CdtDbtInd");
      g_autofree char *tx_currency = NULL;
      g_autofree char *tx_ref = _esa_xml_path_text (tx, "Refs/AcctSvcrRef");
      xmlNode *tx_amount = _esa_xml_child (tx, "Amt");
      gint64 value = amount;

      if (tx_amount != NULL && !read_amount (tx_amount, &value, &tx_currency, error))
        return FALSE;
      if (tx_indicator != NULL && g_strcmp0 (tx_indicator, "CRDT") != 0)
        {
          g_autofree char *money = esa_money_format (value, currency);

          esa_payment_flow_add_note (flow, _("line %u: the transaction of %s is left out: it is "
                                             "not a credit (CdtDbtInd %s)"),
                                     _esa_xml_line (tx), money, tx_indicator);
          continue;
        }
      if (value == 0)
        continue;
      if (tx_ref == NULL && entry_ref != NULL)
        tx_ref = g_strdup_printf ("%s/%u", entry_ref, i + 1);
      add_item (flow, tx, value, tx_currency != NULL ? tx_currency : currency, paid_on,
                g_steal_pointer (&tx_ref));
    }
  return TRUE;
}

/* TxsSummry, when given, must count and sum the entries. */
static gboolean
check_summary (xmlNode       *notification,
               const Totals  *totals,
               GError       **error)
{
  static const struct
  {
    const char *path;
    gsize       count_offset;
    gsize       sum_offset;
  } parts[] = {
    { "TxsSummry/TtlNtries", G_STRUCT_OFFSET (Totals, entries), G_STRUCT_OFFSET (Totals, sum) },
    { "TxsSummry/TtlCdtNtries", G_STRUCT_OFFSET (Totals, credits),
      G_STRUCT_OFFSET (Totals, credit_sum) },
    { "TxsSummry/TtlDbtNtries", G_STRUCT_OFFSET (Totals, debits),
      G_STRUCT_OFFSET (Totals, debit_sum) },
  };

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      xmlNode *part = _esa_xml_path (notification, parts[i].path);
      xmlNode *count_node = _esa_xml_child (part, "NbOfNtries");
      xmlNode *sum_node = _esa_xml_child (part, "Sum");
      guint expected_count = G_STRUCT_MEMBER (guint, totals, parts[i].count_offset);
      gint64 expected_sum = G_STRUCT_MEMBER (gint64, totals, parts[i].sum_offset);
      guint64 count = 0;
      gint64 sum = 0;

      if (count_node != NULL)
        {
          if (!read_count (count_node, &count, error))
            return FALSE;
          if (count != expected_count)
            return refuse (error, count_node,
                           g_dngettext (GETTEXT_PACKAGE,
                                        "%s/NbOfNtries says %u, but the notification has %u "
                                        "such entry",
                                        "%s/NbOfNtries says %u, but the notification has %u "
                                        "such entries", expected_count),
                           parts[i].path, (guint) count, expected_count);
        }
      if (sum_node != NULL)
        {
          if (!read_decimal (sum_node, &sum, error))
            return FALSE;
          if (sum != expected_sum)
            {
              g_autofree char *stated = esa_money_to_decimal (sum);
              g_autofree char *found = esa_money_to_decimal (expected_sum);

              return refuse (error, sum_node,
                             _("%s/Sum says %s, but the entries add up to %s"), parts[i].path,
                             stated, found);
            }
        }
    }
  return TRUE;
}

static EsaPaymentFlow *
read_document (xmlNode  *root,
               GError  **error)
{
  g_autoptr(EsaPaymentFlow) flow = esa_payment_flow_new (ESA_PAYMENT_FLOW_CAMT054);
  const char *ns = root->ns != NULL ? (const char *) root->ns->href : NULL;
  xmlNode *message = _esa_xml_child (root, "BkToCstmrDbtCdtNtfctn");
  xmlNode *notification = _esa_xml_child (message, "Ntfctn");
  g_autofree char *created = NULL;

  if (notification == NULL)
    {
      refuse (error, message != NULL ? message : root,
              _("the document holds no camt.054 notification (BkToCstmrDbtCdtNtfctn/Ntfctn), "
                "so there is nothing to reconcile"));
      return NULL;
    }
  if (g_strcmp0 (ns, ESA_CAMT054_NAMESPACE_04) != 0
      && g_strcmp0 (ns, ESA_CAMT054_NAMESPACE_08) != 0)
    {
      refuse (error, root,
              _("the namespace “%s” is not camt.054.001.04 or camt.054.001.08, the versions "
                "read here"),
              ns != NULL ? ns : "");
      return NULL;
    }

  flow->flow_key = _esa_xml_path_text (message, "GrpHdr/MsgId");
  if (flow->flow_key == NULL)
    {
      refuse (error, message, _("the group header has no message id (GrpHdr/MsgId)"));
      return NULL;
    }
  created = _esa_xml_path_text (message, "GrpHdr/CreDtTm");
  flow->flow_at = _esa_payment_timestamp (created);
  if (flow->flow_at == NULL)
    {
      refuse (error, _esa_xml_path (message, "GrpHdr"),
              _("GrpHdr/CreDtTm “%s” is not a date and time"), created != NULL ? created : "");
      return NULL;
    }

  for (; notification != NULL; notification = _esa_xml_next (notification))
    {
      Totals totals = { 0, };

      if (flow->receiver == NULL)
        {
          g_autofree char *iban = _esa_xml_path_text (notification, "Acct/Id/IBAN");

          if (iban != NULL && !esa_id_validate (ESA_ID_IBAN, iban, &flow->receiver, NULL))
            flow->receiver = g_steal_pointer (&iban);
        }

      for (xmlNode *entry = _esa_xml_child (notification, "Ntry"); entry != NULL;
           entry = _esa_xml_next (entry))
        {
          if (!read_entry (flow, entry, &totals, error))
            return NULL;
        }
      if (!check_summary (notification, &totals, error))
        return NULL;
    }

  return g_steal_pointer (&flow);
}

EsaPaymentFlow *
esa_camt054_read (const char  *data,
                  gsize        length,
                  GError     **error)
{
  g_autoptr(xmlDoc) doc = NULL;
  xmlNode *root;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  doc = _esa_xml_parse (data, length, WHAT, error);
  if (doc == NULL)
    return NULL;

  root = xmlDocGetRootElement (doc);
  if (g_strcmp0 (_esa_xml_name (root), "Document") != 0)
    {
      g_set_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_INVALID,
                   _("The root element <%s> is not an ISO 20022 document (Document)"),
                   _esa_xml_name (root));
      return NULL;
    }

  return read_document (root, error);
}
