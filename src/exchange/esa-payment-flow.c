/* esa-payment-flow.c: loading, recognising and reading payment flow files;
 * amounts and references
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>
#include <libxml/parser.h>
#include <string.h>

#include "esa-camt054.h"
#include "esa-date.h"
#include "esa-identifiers.h"
#include "esa-pagopa-flow.h"
#include "esa-payment-flow-private.h"

/* ---- files --------------------------------------------------------------- */

EsaFlowFile *
esa_flow_file_load (const char  *path,
                    GError     **error)
{
  g_autoptr(EsaFlowFile) file = g_new0 (EsaFlowFile, 1);

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &file->data, &file->length, error))
    return NULL;
  file->path = g_strdup (path);
  file->name = g_path_get_basename (path);
  file->sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) file->data,
                                              file->length);
  return g_steal_pointer (&file);
}

void
esa_flow_file_free (EsaFlowFile *self)
{
  if (self == NULL)
    return;

  g_free (self->path);
  g_free (self->name);
  g_free (self->data);
  g_free (self->sha256);
  g_free (self);
}

/* ---- XML ------------------------------------------------------------------- */

/* The first error of a parse: later ones follow from it ("premature end of
 * data" after a mismatched tag) and would point at the wrong line. */
typedef struct
{
  char *message;
  int   line;
} FirstError;

static void
on_xml_error (void        *data,
              xmlErrorPtr  problem)
{
  FirstError *first = data;

  if (first->message != NULL || problem == NULL || problem->level < XML_ERR_ERROR)
    return;
  first->message = g_strstrip (g_strdup (problem->message != NULL ? problem->message : ""));
  first->line = problem->line;
}

xmlDoc *
_esa_xml_parse (const char  *data,
                gsize        length,
                const char  *what,
                GError     **error)
{
  FirstError first = { NULL, 0 };
  xmlDoc *doc;

  if (length > G_MAXINT)
    {
      g_set_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_PARSE,
                   _("The %s is too large to read"), what);
      return NULL;
    }

  /* No network, no entity substitution, no DTD loading: a flow file is
   * data from outside and must not make the reader fetch anything. The
   * handler keeps libxml2 from printing on stderr. */
  xmlSetStructuredErrorFunc (&first, on_xml_error);
  doc = xmlReadMemory (data, (int) length, NULL, NULL, XML_PARSE_NONET);
  xmlSetStructuredErrorFunc (NULL, NULL);

  if (doc == NULL || first.message != NULL)
    {
      /* Translators: "The pagoPA flow is not well-formed XML: line 12: Opening and ending tag
       * mismatch" */
      g_set_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_PARSE,
                   _("The %s is not well-formed XML: line %d: %s"), what, first.line,
                   first.message != NULL ? first.message : "");
      g_clear_pointer (&doc, xmlFreeDoc);
    }
  else if (xmlDocGetRootElement (doc) == NULL)
    {
      g_set_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_PARSE,
                   _("The %s holds no XML element"), what);
      g_clear_pointer (&doc, xmlFreeDoc);
    }

  g_free (first.message);
  return doc;
}

const char *
_esa_xml_name (xmlNode *node)
{
  return (const char *) node->name;
}

xmlNode *
_esa_xml_child (xmlNode    *parent,
                const char *name)
{
  if (parent == NULL)
    return NULL;
  for (xmlNode *child = parent->children; child != NULL; child = child->next)
    {
      if (child->type == XML_ELEMENT_NODE && strcmp ((const char *) child->name, name) == 0)
        return child;
    }
  return NULL;
}

xmlNode *
_esa_xml_next (xmlNode *node)
{
  for (xmlNode *next = node->next; next != NULL; next = next->next)
    {
      if (next->type == XML_ELEMENT_NODE && xmlStrEqual (next->name, node->name))
        return next;
    }
  return NULL;
}

xmlNode *
_esa_xml_path (xmlNode    *parent,
               const char *path)
{
  g_auto(GStrv) steps = g_strsplit (path, "/", -1);
  xmlNode *node = parent;

  for (guint i = 0; steps[i] != NULL && node != NULL; i++)
    node = _esa_xml_child (node, steps[i]);
  return node;
}

char *
_esa_xml_text (xmlNode *node)
{
  xmlChar *content;
  char *text;

  if (node == NULL)
    return NULL;
  content = xmlNodeGetContent (node);
  if (content == NULL)
    return NULL;
  text = g_strstrip (g_strdup ((const char *) content));
  xmlFree (content);
  if (text[0] == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

char *
_esa_xml_path_text (xmlNode    *parent,
                    const char *path)
{
  return _esa_xml_text (_esa_xml_path (parent, path));
}

guint
_esa_xml_line (xmlNode *node)
{
  long line = node != NULL ? xmlGetLineNo (node) : 0;

  return line > 0 ? (guint) line : 0;
}

char *
_esa_payment_timestamp (const char *text)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) time = NULL;
  g_autoptr(GDateTime) in_utc = NULL;

  if (text == NULL)
    return NULL;
  time = g_date_time_new_from_iso8601 (text, utc);
  if (time == NULL)
    return NULL;
  in_utc = g_date_time_to_utc (time);
  return g_date_time_format_iso8601 (in_utc);
}

char *
_esa_payment_date (const char *text)
{
  g_autofree char *day = NULL;
  GDate date;

  if (text == NULL || strlen (text) < 10)
    return NULL;
  if (text[10] != '\0' && text[10] != 'T' && text[10] != 'Z' && text[10] != '+'
      && text[10] != '-')
    return NULL;
  day = g_strndup (text, 10);
  if (!esa_date_parse_iso (day, &date, NULL))
    return NULL;
  return g_steal_pointer (&day);
}

/* ---- recognising and reading ----------------------------------------------------- */

/* The local name of the first element of an XML text, or NULL. */
static char *
root_element_name (const char *data,
                   gsize       length)
{
  const char *end = data + length;
  const char *p = data;

  while (p < end)
    {
      const char *start;

      p = memchr (p, '<', end - p);
      if (p == NULL || p + 1 >= end)
        return NULL;
      p++;
      if (*p == '?' || *p == '!')
        {
          /* A declaration, a comment or a doctype: skip to its end. */
          if (end - p >= 3 && strncmp (p, "!--", 3) == 0)
            {
              const char *close = g_strstr_len (p, end - p, "-->");

              if (close == NULL)
                return NULL;
              p = close + 3;
            }
          else
            {
              const char *close = memchr (p, '>', end - p);

              if (close == NULL)
                return NULL;
              p = close + 1;
            }
          continue;
        }

      start = p;
      while (p < end && !g_ascii_isspace (*p) && *p != '>' && *p != '/')
        p++;
      {
        g_autofree char *name = g_strndup (start, p - start);
        const char *colon = strchr (name, ':');

        return g_strdup (colon != NULL ? colon + 1 : name);
      }
    }
  return NULL;
}

gboolean
esa_payment_flow_detect (const char            *data,
                         gsize                  length,
                         EsaPaymentFlowFormat  *out_format,
                         GError               **error)
{
  g_autofree char *root = NULL;
  gsize start = 0;

  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (out_format != NULL, FALSE);

  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    start = 3;
  while (start < length && g_ascii_isspace (data[start]))
    start++;

  if (start >= length || data[start] != '<')
    {
      *out_format = ESA_PAYMENT_FLOW_CSV;
      return TRUE;
    }

  root = root_element_name (data + start, length - start);
  if (g_strcmp0 (root, "FlussoRiversamento") == 0)
    {
      *out_format = ESA_PAYMENT_FLOW_PAGOPA;
      return TRUE;
    }
  if (g_strcmp0 (root, "Document") == 0)
    {
      *out_format = ESA_PAYMENT_FLOW_CAMT054;
      return TRUE;
    }

  /* Translators: %s is the name of an XML element */
  g_set_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_INVALID,
               _("The XML root element <%s> is neither a pagoPA flow (FlussoRiversamento) nor an "
                 "ISO 20022 camt.054 document (Document): the format cannot be recognised"),
               root != NULL ? root : "?");
  return FALSE;
}

EsaPaymentFlow *
esa_payment_flow_read (const char                  *data,
                       gsize                        length,
                       EsaPaymentFlowFormat         format,
                       const EsaPaymentCsvMapping  *mapping,
                       GError                     **error)
{
  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  switch (format)
    {
    case ESA_PAYMENT_FLOW_PAGOPA:
      return esa_pagopa_flow_read (data, length, error);
    case ESA_PAYMENT_FLOW_CAMT054:
      return esa_camt054_read (data, length, error);
    case ESA_PAYMENT_FLOW_CSV:
      if (mapping == NULL)
        {
          g_set_error_literal (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_INVALID,
                               _("A CSV payment file needs a column mapping"));
          return NULL;
        }
      return esa_payment_csv_read (data, length, mapping, error);
    default:
      g_return_val_if_reached (NULL);
    }
}

/* ---- amounts ----------------------------------------------------------------- */

/* @text without the @grouping separators that stand between two digits. */
static char *
strip_grouping (const char *text,
                const char *grouping)
{
  gsize skip = grouping != NULL ? strlen (grouping) : 0;
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0';)
    {
      if (skip > 0 && out->len > 0 && g_ascii_isdigit (out->str[out->len - 1])
          && strncmp (p, grouping, skip) == 0 && g_ascii_isdigit (p[skip]))
        {
          p += skip;
          continue;
        }
      g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

gboolean
esa_payment_parse_amount (const char  *text,
                          char         decimal_separator,
                          const char  *grouping,
                          gint64      *out_minor,
                          GError     **error)
{
  g_autofree char *plain = NULL;
  const char *p;
  gboolean negative = FALSE;
  gboolean in_fraction = FALSE;
  gboolean any_digit = FALSE;
  guint fraction_digits = 0;
  gint64 value = 0;

  g_return_val_if_fail (out_minor != NULL, FALSE);

  if (text == NULL)
    goto invalid;
  plain = g_strstrip (strip_grouping (text, grouping));
  p = plain;
  if (*p == '-' || *p == '+')
    negative = *p++ == '-';

  for (; *p != '\0'; p++)
    {
      int digit;

      if (*p == decimal_separator && !in_fraction)
        {
          in_fraction = TRUE;
          continue;
        }
      if (!g_ascii_isdigit (*p))
        goto invalid;

      digit = *p - '0';
      any_digit = TRUE;
      if (in_fraction && ++fraction_digits > 2)
        {
          /* Decimals past the cents must be zeros: an amount is never
           * rounded. */
          if (digit != 0)
            goto invalid;
          continue;
        }
      if (value > (G_MAXINT64 - digit) / 10)
        goto invalid;
      value = value * 10 + digit;
    }

  if (!any_digit || (in_fraction && fraction_digits == 0))
    goto invalid;
  for (; fraction_digits < 2; fraction_digits++)
    {
      if (value > G_MAXINT64 / 10)
        goto invalid;
      value *= 10;
    }

  *out_minor = negative ? -value : value;
  return TRUE;

invalid:
  /* Translators: %s is the text found where an amount was expected */
  g_set_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_INVALID,
               _("“%s” is not an amount"), text != NULL ? text : "");
  return FALSE;
}

/* ---- references ----------------------------------------------------------------- */

/* The remainder modulo 97 of a string of digits and letters read as a
 * number, letters counting as 10 (A) to 35 (Z) (ISO 7064 MOD 97-10). */
static guint
mod97 (const char *text)
{
  guint remainder = 0;

  for (const char *p = text; *p != '\0'; p++)
    {
      guint value;

      if (g_ascii_isdigit (*p))
        remainder = (remainder * 10 + (guint) (*p - '0')) % 97;
      else
        {
          value = (guint) (g_ascii_toupper (*p) - 'A') + 10;
          remainder = (remainder * 100 + value) % 97;
        }
    }
  return remainder;
}

static char *
compact_upper (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isspace (*p))
        g_string_append_c (out, g_ascii_toupper (*p));
    }
  return g_string_free (out, FALSE);
}

static gboolean
is_alnum_text (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p))
        return FALSE;
    }
  return TRUE;
}

gboolean
esa_creditor_reference_is_valid (const char *text)
{
  g_autofree char *compact = NULL;
  g_autofree char *rearranged = NULL;
  gsize length;

  if (text == NULL)
    return FALSE;
  compact = compact_upper (text);
  length = strlen (compact);
  if (length < 5 || length > 25 || !g_str_has_prefix (compact, "RF")
      || !g_ascii_isdigit (compact[2]) || !g_ascii_isdigit (compact[3])
      || !is_alnum_text (compact))
    return FALSE;

  rearranged = g_strconcat (compact + 4, "RF", (char[]) { compact[2], compact[3], '\0' }, NULL);
  return mod97 (rearranged) == 1;
}

char *
esa_creditor_reference_compose (const char *content)
{
  g_autofree char *compact = NULL;
  g_autofree char *rearranged = NULL;

  g_return_val_if_fail (content != NULL, NULL);
  compact = compact_upper (content);
  g_return_val_if_fail (compact[0] != '\0' && strlen (compact) <= 21 && is_alnum_text (compact),
                        NULL);

  rearranged = g_strconcat (compact, "RF00", NULL);
  return g_strdup_printf ("RF%02u%s", 98 - mod97 (rearranged), compact);
}

static gboolean
is_digits (const char *text)
{
  if (*text == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
    }
  return TRUE;
}

EsaPaymentRefKind
esa_payment_classify_reference (const char  *text,
                                char       **out_normalized)
{
  g_autofree char *compact = NULL;
  EsaPaymentRefKind kind = ESA_PAYMENT_REF_OTHER;
  gsize length;

  g_return_val_if_fail (out_normalized != NULL, ESA_PAYMENT_REF_NONE);

  *out_normalized = NULL;
  if (text == NULL)
    return ESA_PAYMENT_REF_NONE;
  compact = compact_upper (text);
  length = strlen (compact);
  if (length == 0)
    return ESA_PAYMENT_REF_NONE;

  if (g_str_has_prefix (compact, "RF"))
    kind = esa_creditor_reference_is_valid (compact) ? ESA_PAYMENT_REF_SCOR
                                                     : ESA_PAYMENT_REF_OTHER;
  else if (is_digits (compact) && length == 27)
    kind = esa_id_validate (ESA_ID_QR_REFERENCE, compact, NULL, NULL) ? ESA_PAYMENT_REF_QRR
                                                                      : ESA_PAYMENT_REF_OTHER;
  else if (is_digits (compact) && length == 18)
    kind = esa_id_validate (ESA_ID_PAGOPA_NOTICE, compact, NULL, NULL) ? ESA_PAYMENT_REF_NOTICE
                                                                       : ESA_PAYMENT_REF_OTHER;
  else if (is_digits (compact) && (length == 15 || length == 17))
    kind = ESA_PAYMENT_REF_IUV;

  *out_normalized = g_steal_pointer (&compact);
  return kind;
}
