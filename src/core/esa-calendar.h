#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* A calendar says which days are working days (not a weekend day, not a
 * public holiday) and which periods are closed for a procedure (the Swiss
 * enforcement holidays), and how a deadline that ends on such a day moves.
 * Calendars are data: they are read from the "calendars" member of the files
 * under data/parameters/ (see EsaParameters and help/C/procedure-format.page),
 * with Easter-based days computed for each year.
 *
 * Deadlines are counted from the day after their start: 10 days from a
 * service on 10 July end on 20 July. */

#define ESA_TYPE_CALENDAR (esa_calendar_get_type ())
G_DECLARE_FINAL_TYPE (EsaCalendar, esa_calendar, ESA, CALENDAR, GObject)

typedef enum
{
  /* N calendar days; the end stays where it falls. */
  ESA_COUNTING_PLAIN,
  /* N calendar days (or months); an end in a closed period moves to the
   * calendar's extension after the period (art. 63 SchKG: the 3rd working
   * day), an end on a weekend day or holiday to the next working day when
   * the calendar says so (art. 155 c.p.c., art. 142 ZPO). */
  ESA_COUNTING_ADJUSTED,
  /* N working days: weekend days and holidays are not counted. */
  ESA_COUNTING_BUSINESS,
} EsaCounting;

/**
 * esa_calendar_easter_sunday:
 * @year: a Gregorian year (1583 or later)
 * @out: (out caller-allocates): Easter Sunday of @year
 *
 * The Gregorian computus (the anonymous algorithm of Meeus, Jones and
 * Butcher): 2026-04-05, 2027-03-28.
 */
void         esa_calendar_easter_sunday     (guint        year,
                                             GDate       *out);

const char  *esa_calendar_get_id            (EsaCalendar *self);
/* English, as in the data; translate for display with esa_procedure_gettext(). */
const char  *esa_calendar_get_title         (EsaCalendar *self);
/* Returns: (nullable): the creditor body this calendar is specific to. */
const char  *esa_calendar_get_body_id       (EsaCalendar *self);

/**
 * esa_calendar_is_holiday:
 * @out_name: (out) (optional) (transfer none): the holiday's English name
 *
 * Whether @date is a public holiday (weekend days are not holidays).
 */
gboolean     esa_calendar_is_holiday        (EsaCalendar *self,
                                             const GDate *date,
                                             const char **out_name);

/* Neither a weekend day nor a holiday. */
gboolean     esa_calendar_is_working_day    (EsaCalendar *self,
                                             const GDate *date);

/**
 * esa_calendar_closed_period:
 * @out_first: (out) (optional): the first day of the period
 * @out_last: (out) (optional): its last day
 * @out_name: (out) (optional) (transfer none): its English name
 *
 * Whether @date lies in a closed period (enforcement holidays).
 */
gboolean     esa_calendar_closed_period     (EsaCalendar *self,
                                             const GDate *date,
                                             GDate       *out_first,
                                             GDate       *out_last,
                                             const char **out_name);

/**
 * esa_calendar_add_days:
 * @self: (nullable): the calendar; may be NULL only for ESA_COUNTING_PLAIN
 * @start: the day the period starts from (not counted)
 * @days: 0 or more
 * @out: (out caller-allocates): the last day of the period
 */
void         esa_calendar_add_days          (EsaCalendar *self,
                                             const GDate *start,
                                             guint        days,
                                             EsaCounting  counting,
                                             GDate       *out);

/**
 * esa_calendar_add_months:
 *
 * Like esa_calendar_add_days() for a period in months: the same day
 * @months later, or the month's last day when it is shorter (31 January + 1
 * month = 28 February). @counting is ESA_COUNTING_PLAIN or
 * ESA_COUNTING_ADJUSTED.
 */
void         esa_calendar_add_months        (EsaCalendar *self,
                                             const GDate *start,
                                             guint        months,
                                             EsaCounting  counting,
                                             GDate       *out);

/* Moves @date by this calendar's rules for the end of a deadline (closed
 * periods, then weekend days and holidays), as ESA_COUNTING_ADJUSTED does. */
void         esa_calendar_adjust_end        (EsaCalendar *self,
                                             GDate       *date);

G_END_DECLS
