#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Dates are ISO "YYYY-MM-DD" in storage and exchange, GDate in memory. */

/**
 * esa_date_parse_iso:
 * @text: "YYYY-MM-DD"
 * @out: (out caller-allocates): the date
 * @error: ESA_CORE_ERROR_PARSE naming @text ("2023-02-30 is not a date")
 */
gboolean esa_date_parse_iso    (const char  *text,
                                GDate       *out,
                                GError     **error);

/** Returns: (transfer full): "YYYY-MM-DD" */
char    *esa_date_to_iso       (const GDate *date);

/** Returns: (transfer full): the date for people in the current locale, e.g. "14 Mar 2027" */
char    *esa_date_format       (const GDate *date);

/** Returns: (transfer full): the ISO @text shown for people; "" for NULL or empty */
char    *esa_date_format_iso   (const char  *text);

/* @b - @a in days (negative when @b is before @a). */
gint     esa_date_days_between (const GDate *a,
                                const GDate *b);

/* Today in the local time zone. */
void     esa_date_set_today    (GDate       *out);

G_END_DECLS
