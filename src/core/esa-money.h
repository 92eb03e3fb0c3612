#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Money is always an integer count of minor units (cents, Rappen) beside an
 * ISO 4217 currency code. Never a double. */

/**
 * esa_money_parse:
 * @text: a decimal such as "1234.50", "1234.5", "1234", "-3.20"; a dot is the
 *   only decimal separator, no grouping characters
 * @out_minor: (out): the amount in minor units
 * @error: ESA_CORE_ERROR_PARSE with a message quoting @text
 *
 * Reads an amount with at most two decimals.
 */
gboolean esa_money_parse       (const char  *text,
                                gint64      *out_minor,
                                GError     **error);

/**
 * esa_money_to_decimal:
 * Returns: (transfer full): "1234.50" for 123450; the plain machine form used
 *   by the CLI and exchange formats.
 */
char    *esa_money_to_decimal  (gint64       minor);

/**
 * esa_money_format:
 * @currency: "EUR" or "CHF" (others are shown with their code)
 *
 * Returns: (transfer full): the amount for people, with the grouping of the
 *   currency's home convention: "€ 1.455,93" for EUR, "CHF 1’455.93" for CHF
 *   (U+2019 groups thousands), "XYZ 1,455.93" for any other code. A negative
 *   amount starts with a minus: "-€ 1.455,93". Two decimals for every currency.
 */
char    *esa_money_format      (gint64       minor,
                                const char  *currency);

/**
 * esa_money_format_plain:
 * Returns: (transfer full): like esa_money_format() without the currency.
 */
char    *esa_money_format_plain (gint64      minor,
                                 const char *currency);

/* Overflow-checked arithmetic: FALSE when the result would not fit (and
 * @out is left alone). */
gboolean esa_money_add         (gint64       a,
                                gint64       b,
                                gint64      *out);
/* @a - @b */
gboolean esa_money_sub         (gint64       a,
                                gint64       b,
                                gint64      *out);

G_END_DECLS
