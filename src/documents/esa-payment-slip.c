/* esa-payment-slip.c: pagoPA notice payment section and Swiss QR-bill
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "esa-core.h"
#include "esa-documents-private.h"
#include "esa-payment-slip.h"
#include "esa-qr.h"

/* The QR-bill prescribes its typefaces: Arial, Frutiger, Helvetica or
 * Liberation Sans; Nimbus Sans is Helvetica's metric twin. */
#define QR_BILL_FONT "Nimbus Sans, Liberation Sans, Arial, Helvetica"

/* ---- payloads ------------------------------------------------------------ */

char *
esa_pagopa_qr_payload (const char  *notice,
                       const char  *creditor_tax_code,
                       gint64       amount,
                       GError     **error)
{
  g_autofree char *notice_n = NULL;
  g_autofree char *tax_code_n = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (notice == NULL || !esa_id_validate (ESA_ID_PAGOPA_NOTICE, notice, &notice_n, &local_error))
    {
      g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_DATA,
                   _("The pagoPA slip cannot be printed: %s"),
                   local_error != NULL ? local_error->message : _("no notice number"));
      g_clear_error (&local_error);
      return NULL;
    }
  if (creditor_tax_code == NULL
      || !esa_id_validate (ESA_ID_PARTITA_IVA, creditor_tax_code, &tax_code_n, &local_error))
    {
      g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_DATA,
                   _("The pagoPA slip cannot be printed: %s"),
                   local_error != NULL ? local_error->message
                                       : _("the creditor body has no tax code"));
      g_clear_error (&local_error);
      return NULL;
    }
  if (amount <= 0)
    {
      g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_DATA,
                   _("The pagoPA slip for notice %s cannot be printed: nothing is owed"),
                   notice_n);
      return NULL;
    }

  return g_strdup_printf ("PAGOPA|002|%s|%s|%" G_GINT64_FORMAT, notice_n, tax_code_n, amount);
}

char *
esa_qr_bill_format_amount (gint64 amount)
{
  g_autofree char *units = g_strdup_printf ("%" G_GINT64_FORMAT, ABS (amount) / 100);
  GString *out = g_string_new (amount < 0 ? "-" : "");
  gsize len = strlen (units);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (out, ' ');
      g_string_append_c (out, units[i]);
    }
  g_string_append_printf (out, ".%02d", (int) (ABS (amount) % 100));
  return g_string_free (out, FALSE);
}

/* Whether the Swiss Payment Standards admit @c in a QR-bill: Basic Latin,
 * Latin-1 Supplement, Latin Extended-A, Ș ș Ț ț and the euro sign. */
static gboolean
is_permitted (gunichar c)
{
  return (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0x17f)
         || c == 0x218 || c == 0x219 || c == 0x21a || c == 0x21b || c == 0x20ac;
}

/* Appends one payload line, cut to @max characters, with the characters
 * the standard does not admit replaced by their nearest plain ones (a dash
 * for a dash, an apostrophe for a quote) or a dot. */
static void
append_line (GString    *out,
             const char *value,
             glong       max)
{
  glong n = 0;

  for (const char *p = value; p != NULL && *p != '\0' && n < max; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (is_permitted (c))
        g_string_append_unichar (out, c);
      else if (c == 0x2010 || c == 0x2011 || c == 0x2013 || c == 0x2014)
        g_string_append_c (out, '-');
      else if (c == 0x2018 || c == 0x2019)
        g_string_append_c (out, '\'');
      else if (c == 0x201c || c == 0x201d)
        g_string_append_c (out, '"');
      else
        g_string_append_c (out, '.');
    }
  g_string_append (out, "\r\n");
}

static gboolean
append_address (GString                 *out,
                const EsaQrBillAddress  *address,
                const char              *who,
                GError                 **error)
{
  if (address->name == NULL)
    {
      for (guint i = 0; i < 7; i++)
        g_string_append (out, "\r\n");
      return TRUE;
    }

  if (address->town == NULL || address->country == NULL || strlen (address->country) != 2)
    {
      g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_DATA,
                   /* Translators: %s is "creditor" or "debtor" (already translated) */
                   _("The QR-bill cannot be printed: the %s’s address lacks the town or "
                     "the country"), who);
      return FALSE;
    }

  append_line (out, "S", 1);
  append_line (out, address->name, 70);
  append_line (out, address->street, 70);
  append_line (out, address->number, 16);
  append_line (out, address->postcode, 16);
  append_line (out, address->town, 35);
  append_line (out, address->country, 2);
  return TRUE;
}

char *
esa_qr_bill_payload (const EsaQrBill  *bill,
                     GError          **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *account = NULL;
  g_autofree char *reference = NULL;
  GError *local_error = NULL;
  const char *reference_type;

  g_return_val_if_fail (bill != NULL, NULL);

  if (bill->account == NULL
      || !esa_id_validate (ESA_ID_IBAN, bill->account, &account, &local_error))
    {
      g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_DATA,
                   _("The QR-bill cannot be printed: %s"),
                   local_error != NULL ? local_error->message
                                       : _("the creditor body has no account"));
      g_clear_error (&local_error);
      return NULL;
    }
  if (!g_str_has_prefix (account, "CH") && !g_str_has_prefix (account, "LI"))
    {
      g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_DATA,
                   _("The QR-bill cannot be printed: account %s is neither Swiss nor from "
                     "Liechtenstein"), account);
      return NULL;
    }
  if (g_strcmp0 (bill->currency, "CHF") != 0 && g_strcmp0 (bill->currency, "EUR") != 0)
    {
      g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_DATA,
                   _("The QR-bill cannot be printed: it takes CHF or EUR, not %s"),
                   bill->currency != NULL ? bill->currency : "");
      return NULL;
    }

  /* A QR-IBAN takes a QR reference and nothing else; another account an
   * RF creditor reference or none. */
  if (esa_iban_is_qr_iban (account))
    {
      if (bill->reference == NULL
          || !esa_id_validate (ESA_ID_QR_REFERENCE, bill->reference, &reference, &local_error))
        {
          g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_DATA,
                       _("The QR-bill cannot be printed: %s"),
                       local_error != NULL ? local_error->message
                                           : _("a QR-IBAN needs a QR reference"));
          g_clear_error (&local_error);
          return NULL;
        }
      reference_type = "QRR";
    }
  else if (bill->reference != NULL && g_str_has_prefix (bill->reference, "RF"))
    {
      reference = g_strdelimit (g_strdup (bill->reference), " ", '\0');
      reference_type = "SCOR";
    }
  else if (bill->reference == NULL || *bill->reference == '\0')
    reference_type = "NON";
  else
    {
      g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_DATA,
                   _("The QR-bill cannot be printed: reference %s needs a QR-IBAN, and "
                     "account %s is not one"), bill->reference, account);
      return NULL;
    }
  if (bill->amount == 0 || bill->amount > G_GINT64_CONSTANT (99999999999))
    {
      g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_DATA,
                   _("The QR-bill cannot be printed: the amount must be from 0.01 to "
                     "999999999.99"));
      return NULL;
    }

  append_line (out, "SPC", 3);
  append_line (out, "0200", 4);
  append_line (out, "1", 1);
  append_line (out, account, 21);
  if (!append_address (out, &bill->creditor, _("creditor"), error))
    return NULL;
  /* The ultimate creditor is reserved for future use: seven empty lines. */
  for (guint i = 0; i < 7; i++)
    g_string_append (out, "\r\n");
  if (bill->amount > 0)
    {
      g_autofree char *amount = g_strdup_printf ("%" G_GINT64_FORMAT ".%02d",
                                                 bill->amount / 100, (int) (bill->amount % 100));

      append_line (out, amount, 12);
    }
  else
    append_line (out, NULL, 0);
  append_line (out, bill->currency, 3);
  if (!append_address (out, &bill->debtor, _("debtor"), error))
    return NULL;
  append_line (out, reference_type, 4);
  append_line (out, reference, 27);
  append_line (out, bill->message, 140);
  /* The trailer ends the payload: no line break after it. */
  g_string_append (out, "EPD");

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ---- drawing helpers ----------------------------------------------------- */

/* A label of the slip's object in the common texts ("pagopa",
 * "qr_bill"), with its placeholders filled, as plain text. */
static char *
slip_label (EsaActTemplate *tmpl,
            GHashTable     *values,
            const char     *object,
            const char     *name)
{
  g_autofree char *path = g_strdup_printf ("%s.%s", object, name);
  const char *text = _esa_act_template_text (tmpl, path);
  g_autofree char *expanded = NULL;
  char *plain = NULL;

  if (text == NULL)
    return g_strdup ("");
  /* The texts are markup; a label is drawn as it is, so its markup is
   * kept (escaped values included). */
  expanded = _esa_expand (text, values, TRUE);
  if (!pango_parse_markup (expanded, -1, 0, NULL, &plain, NULL, NULL))
    return g_strdup ("");
  return plain;
}

/* Splits "Via Roma 12a" into street and building number: the last word when
 * it starts with a digit. */
static void
split_street (const char  *line,
              char       **out_street,
              char       **out_number)
{
  const char *space = line != NULL ? strrchr (line, ' ') : NULL;

  if (space != NULL && g_ascii_isdigit (space[1]))
    {
      *out_street = g_strndup (line, space - line);
      *out_number = g_strdup (space + 1);
    }
  else
    {
      *out_street = g_strdup (line);
      *out_number = NULL;
    }
}

/* The lines of an address as the QR-bill prints them. */
static char *
address_block (const char *first,
               const char *name,
               const char *street,
               const char *number,
               const char *country,
               const char *postcode,
               const char *town)
{
  GString *out = g_string_new (NULL);

  if (first != NULL)
    g_string_append_printf (out, "%s\n", first);
  g_string_append (out, name);
  if (street != NULL)
    g_string_append_printf (out, "\n%s%s%s", street, number != NULL ? " " : "",
                            number != NULL ? number : "");
  g_string_append_c (out, '\n');
  if (country != NULL)
    g_string_append_printf (out, "%s-", country);
  if (postcode != NULL)
    g_string_append_printf (out, "%s ", postcode);
  g_string_append (out, town);
  return g_string_free (out, FALSE);
}

/* ---- pagoPA ------------------------------------------------------------- */

static void
rounded_box (cairo_t *cr,
             double   x,
             double   y,
             double   width,
             double   height,
             double   r)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + width - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + width - r, y + height - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + height - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

gboolean
_esa_pagopa_slip_draw (EsaDraw           *draw,
                       cairo_t           *cr,
                       EsaActTemplate    *tmpl,
                       GHashTable        *values,
                       const EsaActData  *data,
                       const EsaSlip     *slip,
                       double             top,
                       GError           **error)
{
  g_autofree char *payload = NULL;
  g_autoptr(EsaQrCode) qr = NULL;
  g_autofree char *notice = NULL;
  g_autofree char *amount = NULL;
  g_autofree char *due = NULL;
  g_autofree char *title = slip_label (tmpl, values, "pagopa", "title");
  g_autofree char *brand = slip_label (tmpl, values, "pagopa", "brand");
  g_autofree char *payer = slip_label (tmpl, values, "pagopa", "payer");
  g_autofree char *payee = slip_label (tmpl, values, "pagopa", "payee");
  g_autofree char *subject = slip_label (tmpl, values, "pagopa", "subject");
  g_autofree char *notice_label = slip_label (tmpl, values, "pagopa", "notice");
  g_autofree char *amount_label = slip_label (tmpl, values, "pagopa", "amount");
  g_autofree char *due_label = slip_label (tmpl, values, "pagopa", "due");
  g_autofree char *due_within = slip_label (tmpl, values, "pagopa", "due_within");
  g_autofree char *scan = slip_label (tmpl, values, "pagopa", "scan");
  g_autofree char *where = slip_label (tmpl, values, "pagopa", "where");
  g_autofree char *tax_code = slip_label (tmpl, values, "pagopa", "tax_code");
  g_autofree char *payer_line = NULL;
  g_autofree char *payee_line = NULL;
  const double x = ESA_MM (20.0);
  const double width = ESA_MM (170.0);
  const double box_top = top + ESA_MM (4.0);
  const double box_height = ESA_MM (74.0);
  const double band = ESA_MM (9.0);
  const double qr_size = ESA_MM (32.0);
  const double col = x + ESA_MM (48.0);
  const double col_width = width - ESA_MM (53.0);
  double y;

  payload = esa_pagopa_qr_payload (slip->reference, data->body->tax_code, slip->amount, error);
  if (payload == NULL)
    return FALSE;
  qr = esa_qr_code_new (payload, error);
  if (qr == NULL)
    return FALSE;

  notice = esa_id_format (ESA_ID_PAGOPA_NOTICE, slip->reference);
  amount = esa_money_format (slip->amount, data->body->currency);
  due = slip->due_on != NULL ? _esa_format_date (tmpl, slip->due_on) : NULL;

  _esa_draw_cut_line (draw, cr, ESA_MM (10.0), top, ESA_MM (200.0), top, TRUE);

  /* The title band, clipped to the box's rounded corners, then the box. */
  cairo_save (cr);
  rounded_box (cr, x, box_top, width, box_height, ESA_MM (2.0));
  cairo_clip (cr);
  cairo_set_source_rgb (cr, 0.918, 0.937, 0.965);
  cairo_rectangle (cr, x, box_top, width, band);
  cairo_fill (cr);
  cairo_restore (cr);
  rounded_box (cr, x, box_top, width, box_height, ESA_MM (2.0));
  cairo_set_source_rgb (cr, 0.35, 0.38, 0.42);
  cairo_set_line_width (cr, 0.6);
  cairo_stroke (cr);

  cairo_set_source_rgb (cr, 0.0, 0.0, 0.0);
  _esa_draw_text (draw, cr, title, 10.0, TRUE, x + ESA_MM (4.0), box_top + ESA_MM (2.6),
                  width / 2, PANGO_ALIGN_LEFT);
  cairo_set_source_rgb (cr, 0.0, 0.40, 0.80);
  _esa_draw_text (draw, cr, brand, 11.0, TRUE, x + width / 2, box_top + ESA_MM (2.3),
                  width / 2 - ESA_MM (4.0), PANGO_ALIGN_RIGHT);
  cairo_set_source_rgb (cr, 0.0, 0.0, 0.0);

  /* The caption (single payment or instalment) and the due date. */
  y = box_top + band + ESA_MM (3.0);
  _esa_draw_text (draw, cr, slip->caption, 9.5, TRUE, x + ESA_MM (5.0), y, width / 2,
                  PANGO_ALIGN_LEFT);
  {
    g_autofree char *line = due != NULL ? g_strdup_printf ("%s %s", due_label, due)
                                        : g_strdup (due_within);

    _esa_draw_text (draw, cr, line, 9.5, TRUE, x + width / 2, y, width / 2 - ESA_MM (5.0),
                    PANGO_ALIGN_RIGHT);
  }

  /* The code, with white around it for the scanner. */
  esa_qr_code_draw (qr, cr, x + ESA_MM (5.0), y + ESA_MM (8.0), qr_size);
  cairo_set_source_rgb (cr, 0.25, 0.25, 0.25);
  _esa_draw_text (draw, cr, scan, 6.5, FALSE, x + ESA_MM (5.0), y + ESA_MM (8.0) + qr_size
                  + ESA_MM (1.5), qr_size, PANGO_ALIGN_LEFT);

  /* Who pays, who is paid, what for. */
  payer_line = data->debtor->tax_id != NULL
               ? g_strdup_printf ("%s · %s %s", data->debtor->name, tax_code,
                                  data->debtor->tax_id)
               : g_strdup (data->debtor->name);
  payee_line = g_strdup_printf ("%s · %s %s", data->body->name, tax_code, data->body->tax_code);

  y += ESA_MM (8.0);
  {
    const char *labels[] = { payer, payee, subject };
    const char *texts[] = { payer_line, payee_line, slip->subject };

    for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
      {
        cairo_set_source_rgb (cr, 0.35, 0.35, 0.35);
        y += _esa_draw_text (draw, cr, labels[i], 7.0, FALSE, col, y, col_width,
                             PANGO_ALIGN_LEFT);
        cairo_set_source_rgb (cr, 0.0, 0.0, 0.0);
        y += _esa_draw_text (draw, cr, texts[i], 9.5, FALSE, col, y, col_width,
                             PANGO_ALIGN_LEFT);
        y += ESA_MM (2.2);
      }
  }

  /* The notice number grouped by four and the amount, large. */
  y += ESA_MM (1.0);
  cairo_set_source_rgb (cr, 0.35, 0.35, 0.35);
  _esa_draw_text (draw, cr, notice_label, 7.0, FALSE, col, y, col_width * 0.62,
                  PANGO_ALIGN_LEFT);
  _esa_draw_text (draw, cr, amount_label, 7.0, FALSE, col + col_width * 0.62, y,
                  col_width * 0.38, PANGO_ALIGN_RIGHT);
  y += ESA_MM (3.2);
  cairo_set_source_rgb (cr, 0.0, 0.0, 0.0);
  _esa_draw_text (draw, cr, notice, 13.0, TRUE, col, y, col_width * 0.68, PANGO_ALIGN_LEFT);
  _esa_draw_text (draw, cr, amount, 13.0, TRUE, col + col_width * 0.62, y, col_width * 0.38,
                  PANGO_ALIGN_RIGHT);

  /* Where to pay, along the bottom of the box. */
  cairo_set_source_rgb (cr, 0.25, 0.25, 0.25);
  _esa_draw_text (draw, cr, where, 7.0, FALSE, x + ESA_MM (5.0),
                  box_top + box_height - ESA_MM (8.5), width - ESA_MM (10.0), PANGO_ALIGN_LEFT);
  cairo_set_source_rgb (cr, 0.0, 0.0, 0.0);

  return TRUE;
}

/* ---- Swiss QR-bill ------------------------------------------------------- */

/* Draws a heading and its value lines; returns the new y. */
static double
qr_bill_group (EsaDraw    *draw,
               cairo_t    *cr,
               const char *heading,
               const char *value,
               double      heading_size,
               double      value_size,
               double      x,
               double      y,
               double      width)
{
  y += _esa_draw_text (draw, cr, heading, heading_size, TRUE, x, y, width, PANGO_ALIGN_LEFT);
  y += _esa_draw_text (draw, cr, value, value_size, FALSE, x, y, width, PANGO_ALIGN_LEFT);
  /* One empty line of the value's size between groups. */
  return y + value_size * 1.1;
}

gboolean
_esa_qr_bill_draw (EsaDraw           *draw,
                   cairo_t           *cr,
                   EsaActTemplate    *tmpl,
                   GHashTable        *values,
                   const EsaActData  *data,
                   const EsaSlip     *slip,
                   GError           **error)
{
  JsonObject *address = NULL;
  JsonNode *node = json_object_get_member (tmpl->profile, "address");
  const EsaAddress *debtor_address = NULL;
  g_autofree char *debtor_street = NULL;
  g_autofree char *debtor_number = NULL;
  g_autofree char *payload = NULL;
  g_autoptr(EsaQrCode) qr = NULL;
  g_autofree char *account = NULL;
  g_autofree char *reference = NULL;
  g_autofree char *amount = NULL;
  g_autofree char *creditor_block = NULL;
  g_autofree char *debtor_block = NULL;
  g_autofree char *receipt = slip_label (tmpl, values, "qr_bill", "receipt");
  g_autofree char *payment_part = slip_label (tmpl, values, "qr_bill", "payment_part");
  g_autofree char *account_label = slip_label (tmpl, values, "qr_bill", "account");
  g_autofree char *reference_label = slip_label (tmpl, values, "qr_bill", "reference");
  g_autofree char *information = slip_label (tmpl, values, "qr_bill", "information");
  g_autofree char *payable_by = slip_label (tmpl, values, "qr_bill", "payable_by");
  g_autofree char *currency_label = slip_label (tmpl, values, "qr_bill", "currency");
  g_autofree char *amount_label = slip_label (tmpl, values, "qr_bill", "amount");
  g_autofree char *acceptance = slip_label (tmpl, values, "qr_bill", "acceptance_point");
  EsaQrBill bill = { NULL, };
  char *saved_family;
  const double y0 = ESA_A4_HEIGHT - ESA_QR_BILL_HEIGHT;
  const double receipt_x = ESA_MM (5.0);
  const double receipt_width = ESA_MM (52.0);
  const double part_x = ESA_MM (67.0);
  const double info_x = ESA_MM (118.0);
  const double info_width = ESA_MM (87.0);
  const double cross_x = part_x + ESA_MM (23.0);
  const double cross_y = y0 + ESA_MM (17.0 + 23.0);
  double y;

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    address = json_node_get_object (node);
  if (address == NULL)
    {
      g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_DATA,
                   _("The QR-bill cannot be printed: the creditor body %s has no address "
                     "(“address” in %s)"), data->body->name,
                   tmpl->profile_file != NULL ? tmpl->profile_file : "body.json");
      return FALSE;
    }
  if (data->debtor->addresses != NULL && data->debtor->addresses->len > 0)
    debtor_address = g_ptr_array_index (data->debtor->addresses, 0);
  if (debtor_address == NULL)
    {
      g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_DATA,
                   _("The QR-bill cannot be printed: debtor %s has no address"),
                   data->debtor->name);
      return FALSE;
    }
  split_street (debtor_address->street, &debtor_street, &debtor_number);

  bill.account = data->body->iban;
  bill.creditor.name = data->body->name;
  bill.creditor.street = _esa_json_get_string (address, "street");
  bill.creditor.number = _esa_json_get_string (address, "number");
  bill.creditor.postcode = _esa_json_get_string (address, "postcode");
  bill.creditor.town = _esa_json_get_string (address, "town");
  bill.creditor.country = _esa_json_get_string (address, "country");
  bill.amount = slip->amount;
  bill.currency = data->body->currency;
  bill.debtor.name = data->debtor->name;
  bill.debtor.street = debtor_street;
  bill.debtor.number = debtor_number;
  bill.debtor.postcode = debtor_address->postcode;
  bill.debtor.town = debtor_address->town;
  bill.debtor.country = debtor_address->country;
  bill.reference = slip->reference;
  bill.message = slip->subject;

  payload = esa_qr_bill_payload (&bill, error);
  if (payload == NULL)
    return FALSE;
  qr = esa_qr_code_new (payload, error);
  if (qr == NULL)
    return FALSE;

  account = esa_id_format (ESA_ID_IBAN, data->body->iban);
  reference = esa_id_format (ESA_ID_QR_REFERENCE, slip->reference);
  amount = esa_qr_bill_format_amount (slip->amount);
  creditor_block = address_block (account, bill.creditor.name, bill.creditor.street,
                                  bill.creditor.number, NULL, bill.creditor.postcode,
                                  bill.creditor.town);
  /* A foreign debtor's postcode is prefixed with the country code. */
  debtor_block = address_block (NULL, bill.debtor.name, debtor_address->street, NULL,
                                g_strcmp0 (debtor_address->country, "CH") != 0
                                ? debtor_address->country : NULL,
                                debtor_address->postcode, debtor_address->town);

  saved_family = draw->family;
  draw->family = (char *) QR_BILL_FONT;

  /* White under the whole payment part, then the cutting lines. */
  cairo_set_source_rgb (cr, 1.0, 1.0, 1.0);
  cairo_rectangle (cr, 0, y0, ESA_A4_WIDTH, ESA_QR_BILL_HEIGHT);
  cairo_fill (cr);
  _esa_draw_cut_line (draw, cr, 0, y0, ESA_A4_WIDTH, y0, TRUE);
  _esa_draw_cut_line (draw, cr, ESA_MM (62.0), y0, ESA_MM (62.0), ESA_A4_HEIGHT, TRUE);
  cairo_set_source_rgb (cr, 0.0, 0.0, 0.0);

  /* The receipt: title, information, amount, acceptance point. */
  _esa_draw_text (draw, cr, receipt, 11.0, TRUE, receipt_x, y0 + ESA_MM (5.0), receipt_width,
                  PANGO_ALIGN_LEFT);
  y = y0 + ESA_MM (12.0);
  y = qr_bill_group (draw, cr, account_label, creditor_block, 6.0, 8.0, receipt_x, y,
                     receipt_width);
  y = qr_bill_group (draw, cr, reference_label, reference, 6.0, 8.0, receipt_x, y,
                     receipt_width);
  qr_bill_group (draw, cr, payable_by, debtor_block, 6.0, 8.0, receipt_x, y, receipt_width);

  y = y0 + ESA_MM (68.0);
  _esa_draw_text (draw, cr, currency_label, 6.0, TRUE, receipt_x, y, ESA_MM (12.0),
                  PANGO_ALIGN_LEFT);
  _esa_draw_text (draw, cr, amount_label, 6.0, TRUE, receipt_x + ESA_MM (12.0), y,
                  ESA_MM (40.0), PANGO_ALIGN_LEFT);
  y += ESA_MM (3.0);
  _esa_draw_text (draw, cr, data->body->currency, 8.0, FALSE, receipt_x, y, ESA_MM (12.0),
                  PANGO_ALIGN_LEFT);
  _esa_draw_text (draw, cr, amount, 8.0, FALSE, receipt_x + ESA_MM (12.0), y, ESA_MM (40.0),
                  PANGO_ALIGN_LEFT);
  _esa_draw_text (draw, cr, acceptance, 6.0, TRUE, receipt_x, y0 + ESA_MM (82.0), receipt_width,
                  PANGO_ALIGN_RIGHT);

  /* The payment part: title, code, amount; information on the right. */
  _esa_draw_text (draw, cr, payment_part, 11.0, TRUE, part_x, y0 + ESA_MM (5.0), ESA_MM (46.0),
                  PANGO_ALIGN_LEFT);
  esa_qr_code_draw (qr, cr, part_x, y0 + ESA_MM (17.0), ESA_MM (46.0));

  /* The Swiss cross, 7 mm with its white border: a black 6 mm square
   * with a white cross whose arms are 7/6 mm wide and 35/9 mm long. */
  cairo_set_source_rgb (cr, 1.0, 1.0, 1.0);
  cairo_rectangle (cr, cross_x - ESA_MM (3.5), cross_y - ESA_MM (3.5), ESA_MM (7.0),
                   ESA_MM (7.0));
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.0, 0.0, 0.0);
  cairo_rectangle (cr, cross_x - ESA_MM (3.0), cross_y - ESA_MM (3.0), ESA_MM (6.0),
                   ESA_MM (6.0));
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 1.0, 1.0, 1.0);
  cairo_rectangle (cr, cross_x - ESA_MM (7.0 / 12.0), cross_y - ESA_MM (35.0 / 18.0),
                   ESA_MM (7.0 / 6.0), ESA_MM (35.0 / 9.0));
  cairo_rectangle (cr, cross_x - ESA_MM (35.0 / 18.0), cross_y - ESA_MM (7.0 / 12.0),
                   ESA_MM (35.0 / 9.0), ESA_MM (7.0 / 6.0));
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.0, 0.0, 0.0);

  y = y0 + ESA_MM (68.0);
  _esa_draw_text (draw, cr, currency_label, 8.0, TRUE, part_x, y, ESA_MM (14.0),
                  PANGO_ALIGN_LEFT);
  _esa_draw_text (draw, cr, amount_label, 8.0, TRUE, part_x + ESA_MM (14.0), y, ESA_MM (37.0),
                  PANGO_ALIGN_LEFT);
  y += ESA_MM (3.8);
  _esa_draw_text (draw, cr, data->body->currency, 10.0, FALSE, part_x, y, ESA_MM (14.0),
                  PANGO_ALIGN_LEFT);
  _esa_draw_text (draw, cr, amount, 10.0, FALSE, part_x + ESA_MM (14.0), y, ESA_MM (37.0),
                  PANGO_ALIGN_LEFT);

  y = y0 + ESA_MM (5.0);
  y = qr_bill_group (draw, cr, account_label, creditor_block, 8.0, 10.0, info_x, y, info_width);
  y = qr_bill_group (draw, cr, reference_label, reference, 8.0, 10.0, info_x, y, info_width);
  if (slip->subject != NULL && *slip->subject != '\0')
    y = qr_bill_group (draw, cr, information, slip->subject, 8.0, 10.0, info_x, y, info_width);
  qr_bill_group (draw, cr, payable_by, debtor_block, 8.0, 10.0, info_x, y, info_width);

  draw->family = saved_family;
  return TRUE;
}
