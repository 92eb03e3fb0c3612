/* esa-pagopa-flow.c: pagoPA reconciliation flows (FlussoRiversamento)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "esa-money.h"
#include "esa-pagopa-flow.h"
#include "esa-payment-flow-private.h"

#define WHAT _("pagoPA flow")

/* The outcomes of a single payment (codiceEsitoSingoloPagamento): schema
 * 1.0.4 lists 0 (paid), 3 (revoked) and 9 (paid without a payment request);
 * 1.0.5 drops 3 and adds 4 (paid by the stand-in node) and 8 (the same
 * without a request). */
static const char * const outcomes[] = { "0", "3", "4", "8", "9", NULL };

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

  /* Translators: "pagoPA flow, line 12: importoTotalePagamenti is … : the flow is refused,
   * nothing was imported" */
  g_set_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_INVALID,
               _("pagoPA flow, line %u: %s: the flow is refused, nothing was imported"),
               _esa_xml_line (node), message);
  return FALSE;
}

/* The text of a required child; refuses the flow when it is missing. */
static char *
required (xmlNode     *parent,
          const char  *path,
          GError     **error)
{
  char *text = _esa_xml_path_text (parent, path);

  if (text == NULL)
    /* Translators: "datiSingoliPagamenti has no singoloImportoPagato" */
    refuse (error, parent, _("%s has no %s"), _esa_xml_name (parent), path);
  return text;
}

static gboolean
read_item (EsaPaymentFlow  *flow,
           xmlNode         *node,
           GError         **error)
{
  g_autofree char *iuv = NULL;
  g_autofree char *iur = NULL;
  g_autofree char *index = NULL;
  g_autofree char *amount = NULL;
  g_autofree char *outcome = NULL;
  g_autofree char *date_text = NULL;
  g_autofree char *paid_on = NULL;
  g_autoptr(GError) local_error = NULL;
  EsaFlowItem *item;
  gint64 minor;

  if ((iuv = required (node, "identificativoUnivocoVersamento", error)) == NULL
      || (iur = required (node, "identificativoUnivocoRiscossione", error)) == NULL
      || (amount = required (node, "singoloImportoPagato", error)) == NULL
      || (outcome = required (node, "codiceEsitoSingoloPagamento", error)) == NULL
      || (date_text = required (node, "dataEsitoSingoloPagamento", error)) == NULL)
    return FALSE;
  index = _esa_xml_path_text (node, "indiceDatiSingoloPagamento");

  if (!esa_payment_parse_amount (amount, '.', NULL, &minor, &local_error) || minor <= 0)
    return refuse (error, _esa_xml_child (node, "singoloImportoPagato"),
                   _("singoloImportoPagato “%s” is not an amount of euro"), amount);
  if (!g_strv_contains (outcomes, outcome))
    return refuse (error, _esa_xml_child (node, "codiceEsitoSingoloPagamento"),
                   _("codiceEsitoSingoloPagamento “%s” is not a pagoPA outcome "
                     "(0, 3, 4, 8, 9)"),
                   outcome);
  paid_on = _esa_payment_date (date_text);
  if (paid_on == NULL)
    return refuse (error, _esa_xml_child (node, "dataEsitoSingoloPagamento"),
                   _("dataEsitoSingoloPagamento “%s” is not a date"), date_text);

  item = esa_payment_flow_add_item (flow);
  item->line = _esa_xml_line (node);
  item->reference_kind = esa_payment_classify_reference (iuv, &item->reference);
  item->amount = minor;
  item->currency = g_strdup ("EUR");
  item->paid_on = g_steal_pointer (&paid_on);
  item->collection_ref = index != NULL ? g_strconcat (iur, "/", index, NULL)
                                       : g_steal_pointer (&iur);
  item->revoked = g_str_equal (outcome, "3");
  item->outcome = g_steal_pointer (&outcome);
  return TRUE;
}

static EsaPaymentFlow *
read_flow (xmlNode  *root,
           GError  **error)
{
  g_autoptr(EsaPaymentFlow) flow = esa_payment_flow_new (ESA_PAYMENT_FLOW_PAGOPA);
  g_autofree char *flow_at = NULL;
  g_autofree char *settled_on = NULL;
  g_autofree char *count_text = NULL;
  g_autofree char *total_text = NULL;
  g_autofree char *sender_id = NULL;
  g_autofree char *sender_name = NULL;
  g_autoptr(GError) local_error = NULL;
  xmlNode *count_node;
  xmlNode *total_node;
  guint64 count = 0;
  gint64 total = 0;
  gint64 sum = 0;

  if (root->ns == NULL || g_strcmp0 ((const char *) root->ns->href, ESA_PAGOPA_NAMESPACE) != 0)
    {
      refuse (error, root, _("FlussoRiversamento is not in the pagoPA namespace %s"),
              ESA_PAGOPA_NAMESPACE);
      return NULL;
    }

  if ((flow->flow_key = required (root, "identificativoFlusso", error)) == NULL
      || (flow_at = required (root, "dataOraFlusso", error)) == NULL
      || (flow->settlement_ref = required (root, "identificativoUnivocoRegolamento",
                                           error)) == NULL
      || (settled_on = required (root, "dataRegolamento", error)) == NULL
      || (sender_id = required (root, "istitutoMittente/identificativoUnivocoMittente/"
                                "codiceIdentificativoUnivoco", error)) == NULL
      || (flow->receiver = required (root, "istitutoRicevente/identificativoUnivocoRicevente/"
                                     "codiceIdentificativoUnivoco", error)) == NULL
      || (count_text = required (root, "numeroTotalePagamenti", error)) == NULL
      || (total_text = required (root, "importoTotalePagamenti", error)) == NULL)
    return NULL;

  flow->flow_at = _esa_payment_timestamp (flow_at);
  if (flow->flow_at == NULL)
    {
      refuse (error, _esa_xml_child (root, "dataOraFlusso"),
              _("dataOraFlusso “%s” is not a date and time"), flow_at);
      return NULL;
    }
  flow->settled_on = _esa_payment_date (settled_on);
  if (flow->settled_on == NULL)
    {
      refuse (error, _esa_xml_child (root, "dataRegolamento"),
              _("dataRegolamento “%s” is not a date"), settled_on);
      return NULL;
    }
  sender_name = _esa_xml_path_text (root, "istitutoMittente/denominazioneMittente");
  flow->sender = sender_name != NULL ? g_strdup_printf ("%s (%s)", sender_name, sender_id)
                                     : g_steal_pointer (&sender_id);

  count_node = _esa_xml_child (root, "numeroTotalePagamenti");
  total_node = _esa_xml_child (root, "importoTotalePagamenti");
  if (!g_ascii_string_to_unsigned (count_text, 10, 1, G_MAXUINT, &count, NULL))
    {
      refuse (error, count_node, _("numeroTotalePagamenti “%s” is not a number of payments"),
              count_text);
      return NULL;
    }
  if (!esa_payment_parse_amount (total_text, '.', NULL, &total, &local_error) || total < 0)
    {
      refuse (error, total_node, _("importoTotalePagamenti “%s” is not an amount of euro"),
              total_text);
      return NULL;
    }

  for (xmlNode *node = _esa_xml_child (root, "datiSingoliPagamenti"); node != NULL;
       node = _esa_xml_next (node))
    {
      if (!read_item (flow, node, error))
        return NULL;
      sum += ((EsaFlowItem *) g_ptr_array_index (flow->items, flow->items->len - 1))->amount;
    }

  if (count != flow->items->len)
    {
      refuse (error, count_node,
              g_dngettext (GETTEXT_PACKAGE,
                           "numeroTotalePagamenti says %s, but the flow has %u payment "
                           "(datiSingoliPagamenti)",
                           "numeroTotalePagamenti says %s, but the flow has %u payments "
                           "(datiSingoliPagamenti)",
                           flow->items->len),
              count_text, flow->items->len);
      return NULL;
    }
  if (total != sum)
    {
      g_autofree char *total_money = esa_money_format (total, "EUR");
      g_autofree char *sum_money = esa_money_format (sum, "EUR");

      refuse (error, total_node,
              _("importoTotalePagamenti is %s, but the payments (singoloImportoPagato) add up "
                "to %s"),
              total_money, sum_money);
      return NULL;
    }

  return g_steal_pointer (&flow);
}

EsaPaymentFlow *
esa_pagopa_flow_read (const char  *data,
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
  if (g_strcmp0 (_esa_xml_name (root), "FlussoRiversamento") != 0)
    {
      /* Translators: %s is the name of an XML element */
      g_set_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_INVALID,
                   _("The root element <%s> is not a pagoPA flow (FlussoRiversamento)"),
                   _esa_xml_name (root));
      return NULL;
    }

  return read_flow (root, error);
}
