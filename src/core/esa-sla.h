#pragma once

#include <glib-object.h>

#include "esa-calendar.h"
#include "esa-parameters.h"

G_BEGIN_DECLS

/* The SLA clock of a contact-center ticket (DOMAIN.md "Contact center").
 *
 * The clock runs only in the business hours of the ticket's creditor body
 * and only while the ticket is in a status that does not pause it. Both are
 * data, read from the parameter tables of the body's country
 * (data/parameters/contact-center.json), named with the country's prefix
 * like the other tables ("it.contact.timezone", "ch.contact.timezone"), each
 * entry valid from one day to another and either for every body of the
 * country or for one:
 *
 * - "contact.timezone" (text): the body's time zone ("Europe/Rome");
 * - "contact.calendar" (text): the calendar whose holidays close the office
 *   (esa_parameters_get_calendar(), "it");
 * - "contact.business_hours" (text): the opening hours of the weekdays, e.g.
 *   "mon-thu 08:30-12:30 14:00-16:30; fri 08:30-12:30". A weekday not named,
 *   and a holiday of the calendar, are closed. The hours of a day are those
 *   of the entry valid on that day, so that a change of opening hours applies
 *   from its date on;
 * - "contact.sla.paused_statuses" (text): the ticket statuses that pause the
 *   clock, separated by spaces ("waiting_caller"). A closed ticket's clock
 *   stops for good;
 * - "contact.sla.target_minutes" (object): the business minutes a ticket of
 *   each urgency may take, e.g. { "high": 240, "normal": 960, "low": 2400 }.
 *
 * The clock is pure: no database, no wall clock (the caller passes "now"). */

#define ESA_TYPE_SLA (esa_sla_get_type ())
G_DECLARE_FINAL_TYPE (EsaSla, esa_sla, ESA, SLA, GObject)

/* One change of a ticket's status: from @at on the ticket is in @status
 * ("open", "waiting_caller", "in_progress", "closed"). A ticket's history is
 * an array of these in time order; the first is its opening. */
typedef struct
{
  GDateTime  *at;
  const char *status;
} EsaSlaEvent;

/**
 * esa_sla_new:
 * @parameters: the parameter tables (business hours, paused statuses,
 *   targets) and the calendars they name
 * @body_id: (nullable): the creditor body whose hours apply; NULL for the
 *   entries for every body
 * @error: ESA_CORE_ERROR_INVALID when the parameters have no
 *   "contact.business_hours" table
 *
 * Returns: (transfer full): the clock of @body_id, or NULL with @error set
 */
EsaSla     *esa_sla_new                 (EsaParameters     *parameters,
                                         const char        *country,
                                         const char        *body_id,
                                         GError           **error);

/* Returns: (nullable): the creditor body given to esa_sla_new() */
const char *esa_sla_get_body_id         (EsaSla            *self);

/**
 * esa_sla_is_open:
 * @at: a moment
 *
 * Whether the body's office is open at @at (business hours, not a weekend
 * day, not a holiday). A day for which no entry of the hours table is valid
 * counts as closed.
 */
gboolean    esa_sla_is_open             (EsaSla            *self,
                                         GDateTime         *at);

/**
 * esa_sla_business_seconds:
 *
 * The seconds of business hours between @from and @to (0 when @to is not
 * after @from).
 */
gint64      esa_sla_business_seconds    (EsaSla            *self,
                                         GDateTime         *from,
                                         GDateTime         *to);

/**
 * esa_sla_add_business_seconds:
 * @seconds: 0 or more
 *
 * The moment at which @seconds of business hours have passed after @from;
 * when @seconds is 0, @from itself if the office is open then, else the next
 * opening. Looks at most ten years ahead.
 *
 * Returns: (transfer full) (nullable): the moment, in @from's time zone;
 *   NULL when the office never opens in that span
 */
GDateTime  *esa_sla_add_business_seconds (EsaSla           *self,
                                          GDateTime        *from,
                                          gint64            seconds);

/* Whether @status pauses the clock ("closed" always does). */
gboolean    esa_sla_status_pauses       (EsaSla            *self,
                                         const char        *status);

/**
 * esa_sla_target_seconds:
 * @urgency: "low", "normal" or "high"
 * @on: the day the ticket was opened (the target valid on that day applies)
 * @out_seconds: (out): the business seconds the ticket may take
 * @error: ESA_CORE_ERROR_INVALID for an unknown urgency or a table without
 *   it, ESA_CORE_ERROR_RANGE when no entry covers @on
 */
gboolean    esa_sla_target_seconds      (EsaSla            *self,
                                         const char        *urgency,
                                         const GDate       *on,
                                         gint64            *out_seconds,
                                         GError           **error);

/**
 * esa_sla_elapsed:
 * @events: (array length=n_events): the ticket's status history, in time
 *   order; the first event is the opening
 * @now: the moment to measure at; events after it are ignored
 *
 * The seconds the clock has run from the opening to @now: business seconds
 * spent in statuses that do not pause it. After a "closed" event it does not
 * run any more.
 *
 * Returns: the seconds (0 for no events)
 */
gint64      esa_sla_elapsed             (EsaSla            *self,
                                         const EsaSlaEvent *events,
                                         guint              n_events,
                                         GDateTime         *now);

/**
 * esa_sla_due:
 * @events: (array length=n_events): as for esa_sla_elapsed()
 * @target_seconds: the ticket's budget (esa_sla_target_seconds())
 * @now: the moment to project from
 * @out_paused: (out) (optional): TRUE when the clock is paused at @now
 *   (a pausing or closed status)
 *
 * When the ticket runs out of its budget if its status stays as it is at
 * @now: @now plus the business seconds left. While the clock is paused, the
 * due moment is computed as if it resumed at @now (the GUI shows it as
 * "paused"); for a budget already used up it is the moment it ran out.
 *
 * Returns: (transfer full) (nullable): the due moment, in @now's time zone;
 *   NULL only for no events
 */
GDateTime  *esa_sla_due                 (EsaSla            *self,
                                         const EsaSlaEvent *events,
                                         guint              n_events,
                                         gint64             target_seconds,
                                         GDateTime         *now,
                                         gboolean          *out_paused);

G_END_DECLS
