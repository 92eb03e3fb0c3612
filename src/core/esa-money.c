#include "esa-money.h"
#include "esa-core-error.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* The magnitude of G_MININT64, which does not fit in a gint64. */
#define MAGNITUDE_OF_MIN ((guint64) G_MAXINT64 + 1)

typedef struct
{
  const char *prefix;    /* what precedes the number, with its space */
  const char *group;     /* thousands separator */
  char        decimal;   /* decimal separator */
} Convention;

static void
get_convention (const char *currency,
                Convention *out)
{
  if (g_strcmp0 (currency, "EUR") == 0)
    *out = (Convention) { "€ ", ".", ',' };
  else if (g_strcmp0 (currency, "CHF") == 0)
    *out = (Convention) { "CHF ", "\u2019", '.' };
  else
    *out = (Convention) { NULL, ",", '.' };
}

static guint64
magnitude (gint64 minor)
{
  return minor < 0 ? (guint64) 0 - (guint64) minor : (guint64) minor;
}

static void
append_grouped (GString    *out,
                guint64     units,
                const char *group)
{
  char digits[32];
  gsize len;

  g_snprintf (digits, sizeof digits, "%" G_GUINT64_FORMAT, units);
  len = strlen (digits);
  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append (out, group);
      g_string_append_c (out, digits[i]);
    }
}

static char *
format_amount (gint64      minor,
               const char *currency,
               gboolean    with_currency)
{
  Convention conv;
  GString *out = g_string_new (NULL);
  guint64 abs = magnitude (minor);

  get_convention (currency, &conv);
  if (minor < 0)
    g_string_append_c (out, '-');
  if (with_currency && conv.prefix != NULL)
    g_string_append (out, conv.prefix);
  else if (with_currency && currency != NULL && *currency != '\0')
    g_string_append_printf (out, "%s ", currency);
  append_grouped (out, abs / 100, conv.group);
  g_string_append_printf (out, "%c%02u", conv.decimal, (guint) (abs % 100));

  return g_string_free (out, FALSE);
}

gboolean
esa_money_parse (const char  *text,
                 gint64      *out_minor,
                 GError     **error)
{
  const char *p = text;
  const char *units_start;
  gboolean negative = FALSE;
  gboolean malformed = FALSE;
  guint64 units = 0;
  guint64 cents = 0;
  guint64 total;
  gsize n_decimals = 0;

  g_return_val_if_fail (out_minor != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (text == NULL || *text == '\0')
    {
      g_set_error_literal (error, ESA_CORE_ERROR, ESA_CORE_ERROR_PARSE,
                           _("No amount was given"));
      return FALSE;
    }

  if (*p == '-')
    {
      negative = TRUE;
      p++;
    }

  /* Accumulate only while the value can still be represented: past
   * MAGNITUDE_OF_MIN / 100 units the amount is out of range whatever
   * follows, and stopping there keeps the guint64 from wrapping. */
  for (units_start = p; g_ascii_isdigit (*p); p++)
    {
      if (units <= MAGNITUDE_OF_MIN / 100)
        units = units * 10 + (guint64) (*p - '0');
    }
  malformed = p == units_start;

  if (*p == '.')
    {
      const char *decimals = ++p;

      while (g_ascii_isdigit (*p))
        p++;
      n_decimals = (gsize) (p - decimals);
      malformed |= n_decimals == 0;
      for (gsize i = 0; i < 2; i++)
        cents = cents * 10 + (i < n_decimals ? (guint64) (decimals[i] - '0') : 0);
    }

  if (malformed || *p != '\0')
    {
      g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_PARSE,
                   /* Translators: %s is the text that was read. Keep the dot
                    * in the example: it is the machine form. */
                   _("“%s” is not an amount: write digits with a dot before the cents, "
                     "like 1234.50"),
                   text);
      return FALSE;
    }

  if (n_decimals > 2)
    {
      g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_PARSE,
                   _("Amount “%s” has more than two decimals"), text);
      return FALSE;
    }

  total = units * 100 + cents;
  if (units > MAGNITUDE_OF_MIN / 100
      || total > (negative ? MAGNITUDE_OF_MIN : (guint64) G_MAXINT64))
    {
      g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_RANGE,
                   _("Amount “%s” is too large"), text);
      return FALSE;
    }

  if (negative)
    *out_minor = total == MAGNITUDE_OF_MIN ? G_MININT64 : -(gint64) total;
  else
    *out_minor = (gint64) total;

  return TRUE;
}

char *
esa_money_to_decimal (gint64 minor)
{
  guint64 abs = magnitude (minor);

  return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%02u",
                          minor < 0 ? "-" : "",
                          abs / 100,
                          (guint) (abs % 100));
}

char *
esa_money_format (gint64      minor,
                  const char *currency)
{
  return format_amount (minor, currency, TRUE);
}

char *
esa_money_format_plain (gint64      minor,
                        const char *currency)
{
  return format_amount (minor, currency, FALSE);
}

gboolean
esa_money_add (gint64  a,
               gint64  b,
               gint64 *out)
{
  g_return_val_if_fail (out != NULL, FALSE);

  if ((b > 0 && a > G_MAXINT64 - b) || (b < 0 && a < G_MININT64 - b))
    return FALSE;

  *out = a + b;
  return TRUE;
}

gboolean
esa_money_sub (gint64  a,
               gint64  b,
               gint64 *out)
{
  g_return_val_if_fail (out != NULL, FALSE);

  if ((b < 0 && a > G_MAXINT64 + b) || (b > 0 && a < G_MININT64 + b))
    return FALSE;

  *out = a - b;
  return TRUE;
}
