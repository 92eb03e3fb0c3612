#include "esa-date.h"
#include "esa-core-error.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* Reads exactly @n ASCII digits; FALSE when one of them is something else. */
static gboolean
read_digits (const char *text,
             guint       n,
             guint      *out)
{
  guint value = 0;

  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      value = value * 10 + (guint) (text[i] - '0');
    }
  *out = value;
  return TRUE;
}

static char *
format_month (guint year,
              guint month)
{
  g_autoptr(GDateTime) dt = g_date_time_new_utc ((gint) year, (gint) month, 1, 0, 0, 0);

  /* Translators: a month and its year, as in "February 2023"; see the
   * g_date_time_format() documentation for the codes. */
  return g_date_time_format (dt, _("%B %Y"));
}

gboolean
esa_date_parse_iso (const char  *text,
                    GDate       *out,
                    GError     **error)
{
  guint year, month, day;

  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_date_clear (out, 1);

  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-'
      || !read_digits (text, 4, &year)
      || !read_digits (text + 5, 2, &month)
      || !read_digits (text + 8, 2, &day))
    {
      g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_PARSE,
                   /* Translators: keep YYYY-MM-DD as it is: it is the
                    * machine form of a date. */
                   _("“%s” is not a date of the form YYYY-MM-DD"),
                   text != NULL ? text : "");
      return FALSE;
    }

  if (year == 0)
    {
      g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_PARSE,
                   _("%s is not a date: there is no year 0"), text);
      return FALSE;
    }

  if (month < 1 || month > 12)
    {
      g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_PARSE,
                   _("%s is not a date: there is no month %02u"), text, month);
      return FALSE;
    }

  if (day == 0)
    {
      g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_PARSE,
                   _("%s is not a date: there is no day 00"), text);
      return FALSE;
    }

  if (day > g_date_get_days_in_month ((GDateMonth) month, (GDateYear) year))
    {
      g_autofree char *month_name = format_month (year, month);
      guint8 n_days = g_date_get_days_in_month ((GDateMonth) month, (GDateYear) year);

      g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_PARSE,
                   /* Translators: "2023-02-29 is not a date: February 2023 has
                    * 28 days" */
                   _("%s is not a date: %s has %u days"),
                   text, month_name, (guint) n_days);
      return FALSE;
    }

  g_date_set_dmy (out, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  return TRUE;
}

char *
esa_date_to_iso (const GDate *date)
{
  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  return g_strdup_printf ("%04u-%02u-%02u",
                          (guint) g_date_get_year (date),
                          (guint) g_date_get_month (date),
                          (guint) g_date_get_day (date));
}

char *
esa_date_format (const GDate *date)
{
  g_autoptr(GDateTime) dt = NULL;

  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  dt = g_date_time_new_utc (g_date_get_year (date),
                            g_date_get_month (date),
                            g_date_get_day (date),
                            0, 0, 0);

  /* Translators: a date for people, as in "14 Mar 2027"; reorder the codes
   * as your language writes dates (see g_date_time_format()). */
  return g_date_time_format (dt, _("%-d %b %Y"));
}

char *
esa_date_format_iso (const char *text)
{
  GDate date;

  if (text == NULL || *text == '\0')
    return g_strdup ("");

  /* Something that is not a date is shown as it is rather than hidden. */
  if (!esa_date_parse_iso (text, &date, NULL))
    return g_strdup (text);

  return esa_date_format (&date);
}

gint
esa_date_days_between (const GDate *a,
                       const GDate *b)
{
  g_return_val_if_fail (a != NULL && g_date_valid (a), 0);
  g_return_val_if_fail (b != NULL && g_date_valid (b), 0);

  return g_date_days_between (a, b);
}

void
esa_date_set_today (GDate *out)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  g_return_if_fail (out != NULL);

  g_date_clear (out, 1);
  g_date_set_dmy (out,
                  (GDateDay) g_date_time_get_day_of_month (now),
                  (GDateMonth) g_date_time_get_month (now),
                  (GDateYear) g_date_time_get_year (now));
}
