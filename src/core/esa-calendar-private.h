#pragma once

#include "esa-calendar.h"
#include "esa-json-private.h"

G_BEGIN_DECLS

/* Reads one calendar object; problems go to @check at its current path.
 * Returns: (transfer full) (nullable): NULL when the object is unusable. */
EsaCalendar *_esa_calendar_new_from_json (EsaJsonCheck *check,
                                          JsonObject   *object);

/* Returns: (nullable): the id of the calendar this one adds to. */
const char  *_esa_calendar_get_extends   (EsaCalendar  *self);

/* The calendar whose weekend, holidays, closed periods and rules this one
 * takes where it has none of its own. */
void         _esa_calendar_set_base      (EsaCalendar  *self,
                                          EsaCalendar  *base);

G_END_DECLS
