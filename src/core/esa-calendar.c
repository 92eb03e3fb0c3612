#include "esa-calendar-private.h"

#include <glib/gi18n-lib.h>

/* A day of the year: fixed (month and day) or counted from Easter Sunday. */
typedef struct
{
  gboolean easter;
  gint     offset;    /* days from Easter Sunday */
  guint    month;
  guint    day;
} DayRule;

typedef struct
{
  char    *name;
  DayRule  rule;
  GDate    valid_from;  /* invalid: since always */
  GDate    valid_to;    /* invalid: for ever */
} Holiday;

typedef struct
{
  char    *name;
  DayRule  first;
  DayRule  last;      /* before @first: the period runs into the next year */
} ClosedPeriod;

struct _EsaCalendar
{
  GObject      parent_instance;

  char        *id;
  char        *title;
  char        *body_id;
  char        *extends;
  EsaCalendar *base;

  guint        weekend;        /* bit (1 << GDateWeekday) per weekend day; 0: inherit */
  GArray      *holidays;       /* of Holiday */
  GArray      *closed;         /* of ClosedPeriod */
  gint         extension;      /* working days after a closed period; -1: inherit */
  gint         roll_forward;   /* -1: inherit */
};

G_DEFINE_FINAL_TYPE (EsaCalendar, esa_calendar, G_TYPE_OBJECT)

/* Saturday and Sunday, for a calendar that names no weekend anywhere. */
#define DEFAULT_WEEKEND ((1u << G_DATE_SATURDAY) | (1u << G_DATE_SUNDAY))

/* Bounds the moves of a deadline's end: a chain of closed periods and
 * holidays longer than this would be an error in the data. */
#define MAX_ADJUSTMENTS 64

static const char * const weekday_names[] = {
  NULL, "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
};

static void
holiday_clear (gpointer data)
{
  Holiday *holiday = data;

  g_free (holiday->name);
}

static void
closed_period_clear (gpointer data)
{
  ClosedPeriod *period = data;

  g_free (period->name);
}

static void
esa_calendar_finalize (GObject *object)
{
  EsaCalendar *self = ESA_CALENDAR (object);

  g_free (self->id);
  g_free (self->title);
  g_free (self->body_id);
  g_free (self->extends);
  g_clear_object (&self->base);
  g_clear_pointer (&self->holidays, g_array_unref);
  g_clear_pointer (&self->closed, g_array_unref);

  G_OBJECT_CLASS (esa_calendar_parent_class)->finalize (object);
}

static void
esa_calendar_class_init (EsaCalendarClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = esa_calendar_finalize;
}

static void
esa_calendar_init (EsaCalendar *self)
{
  self->holidays = g_array_new (FALSE, TRUE, sizeof (Holiday));
  g_array_set_clear_func (self->holidays, holiday_clear);
  self->closed = g_array_new (FALSE, TRUE, sizeof (ClosedPeriod));
  g_array_set_clear_func (self->closed, closed_period_clear);
  self->extension = -1;
  self->roll_forward = -1;
}

/* ---- reading ----------------------------------------------------------- */

/* { "month": 12, "day": 25 } or { "easter": 1 }, inside @object. */
static gboolean
read_day_rule (EsaJsonCheck *check,
               JsonObject   *object,
               DayRule      *out)
{
  gint64 month, day, offset;

  if (json_object_has_member (object, "easter"))
    {
      if (!_esa_json_int (check, object, "easter", TRUE, &offset))
        return FALSE;
      if (offset < -366 || offset > 366)
        {
          _esa_json_check_problem (check, "easter", _("must be within a year of Easter"));
          return FALSE;
        }
      if (json_object_has_member (object, "month") || json_object_has_member (object, "day"))
        {
          _esa_json_check_problem (check, NULL,
                                   _("give either “easter” or “month” and “day”, not both"));
          return FALSE;
        }
      out->easter = TRUE;
      out->offset = (gint) offset;
      return TRUE;
    }

  /* Both are read before giving up, so that both can be reported. */
  if (!_esa_json_int (check, object, "month", TRUE, &month))
    {
      _esa_json_int (check, object, "day", TRUE, &day);
      return FALSE;
    }
  if (!_esa_json_int (check, object, "day", TRUE, &day))
    return FALSE;

  if (month < 1 || month > 12)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, month);

      _esa_json_check_problem (check, "month", _("there is no month %s"), text);
      return FALSE;
    }
  /* 2000 is a leap year, so 29 February passes here and is skipped in
   * other years. */
  if (day < 1 || day > g_date_get_days_in_month ((GDateMonth) month, 2000))
    {
      g_autofree char *month_text = g_strdup_printf ("%" G_GINT64_FORMAT, month);
      g_autofree char *day_text = g_strdup_printf ("%" G_GINT64_FORMAT, day);

      _esa_json_check_problem (check, "day", _("month %s has no day %s"), month_text, day_text);
      return FALSE;
    }

  out->easter = FALSE;
  out->month = (guint) month;
  out->day = (guint) day;
  return TRUE;
}

static void
read_holidays (EsaCalendar  *self,
               EsaJsonCheck *check,
               JsonArray    *array)
{
  static const char * const members[] = {
    "name", "month", "day", "easter", "valid_from", "valid_to", "source", NULL,
  };

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = _esa_json_element_object (check, array, i);
      Holiday holiday = { 0 };
      const char *name;

      if (object == NULL)
        continue;

      _esa_json_check_push_index (check, i);
      _esa_json_check_members (check, object, members);
      name = _esa_json_string (check, object, "name", TRUE);
      _esa_json_date (check, object, "valid_from", FALSE, &holiday.valid_from);
      _esa_json_date (check, object, "valid_to", FALSE, &holiday.valid_to);
      if (g_date_valid (&holiday.valid_from) && g_date_valid (&holiday.valid_to)
          && g_date_compare (&holiday.valid_to, &holiday.valid_from) < 0)
        _esa_json_check_problem (check, "valid_to", _("ends before “valid_from”"));

      if (read_day_rule (check, object, &holiday.rule) && name != NULL)
        {
          holiday.name = g_strdup (name);
          g_array_append_val (self->holidays, holiday);
        }
      _esa_json_check_pop (check);
    }
}

static void
read_closed_periods (EsaCalendar  *self,
                     EsaJsonCheck *check,
                     JsonArray    *array)
{
  static const char * const members[] = { "name", "from", "to", "source", NULL };
  static const char * const day_members[] = { "month", "day", "easter", NULL };

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = _esa_json_element_object (check, array, i);
      ClosedPeriod period = { 0 };
      gboolean ok = TRUE;
      JsonObject *from, *to;
      const char *name;

      if (object == NULL)
        continue;

      _esa_json_check_push_index (check, i);
      _esa_json_check_members (check, object, members);
      name = _esa_json_string (check, object, "name", TRUE);
      from = _esa_json_object (check, object, "from", TRUE);
      to = _esa_json_object (check, object, "to", TRUE);

      if (from != NULL)
        {
          _esa_json_check_push_member (check, "from");
          _esa_json_check_members (check, from, day_members);
          ok &= read_day_rule (check, from, &period.first);
          _esa_json_check_pop (check);
        }
      if (to != NULL)
        {
          _esa_json_check_push_member (check, "to");
          _esa_json_check_members (check, to, day_members);
          ok &= read_day_rule (check, to, &period.last);
          _esa_json_check_pop (check);
        }

      if (ok && name != NULL && from != NULL && to != NULL)
        {
          period.name = g_strdup (name);
          g_array_append_val (self->closed, period);
        }
      _esa_json_check_pop (check);
    }
}

EsaCalendar *
_esa_calendar_new_from_json (EsaJsonCheck *check,
                             JsonObject   *object)
{
  static const char * const members[] = {
    "id", "title", "body", "extends", "source", "weekend", "holidays", "closed_periods",
    "closed_period_extension", "roll_forward", NULL,
  };
  g_autoptr(EsaCalendar) self = g_object_new (ESA_TYPE_CALENDAR, NULL);
  g_auto(GStrv) weekend = NULL;
  const char *id;
  JsonArray *array;
  gint64 extension;
  gboolean roll;

  _esa_json_check_members (check, object, members);
  id = _esa_json_string (check, object, "id", TRUE);
  if (id == NULL)
    return NULL;

  self->id = g_strdup (id);
  self->title = g_strdup (_esa_json_string (check, object, "title", TRUE));
  self->body_id = g_strdup (_esa_json_string (check, object, "body", FALSE));
  self->extends = g_strdup (_esa_json_string (check, object, "extends", FALSE));

  weekend = _esa_json_strings (check, object, "weekend", FALSE);
  for (guint i = 0; weekend != NULL && weekend[i] != NULL; i++)
    {
      guint day = 0;

      for (guint d = G_DATE_MONDAY; d <= G_DATE_SUNDAY; d++)
        if (g_strcmp0 (weekday_names[d], weekend[i]) == 0)
          day = d;

      if (day == 0)
        {
          g_autofree char *at = g_strdup_printf ("weekend[%u]", i);

          _esa_json_check_problem (check, at, _("“%s” is not a day of the week (monday … sunday)"),
                                   weekend[i]);
        }
      else
        self->weekend |= 1u << day;
    }

  if ((array = _esa_json_array (check, object, "holidays", FALSE)) != NULL)
    {
      _esa_json_check_push_member (check, "holidays");
      read_holidays (self, check, array);
      _esa_json_check_pop (check);
    }

  if ((array = _esa_json_array (check, object, "closed_periods", FALSE)) != NULL)
    {
      _esa_json_check_push_member (check, "closed_periods");
      read_closed_periods (self, check, array);
      _esa_json_check_pop (check);
    }

  if (_esa_json_int (check, object, "closed_period_extension", FALSE, &extension))
    {
      if (extension < 0 || extension > 31)
        _esa_json_check_problem (check, "closed_period_extension",
                                 _("must be between 0 and 31 working days"));
      else
        self->extension = (gint) extension;
    }

  if (_esa_json_bool (check, object, "roll_forward", &roll))
    self->roll_forward = roll;

  return g_steal_pointer (&self);
}

const char *
_esa_calendar_get_extends (EsaCalendar *self)
{
  return self->extends;
}

void
_esa_calendar_set_base (EsaCalendar *self,
                        EsaCalendar *base)
{
  g_set_object (&self->base, base);
}

/* ---- days -------------------------------------------------------------- */

void
esa_calendar_easter_sunday (guint  year,
                            GDate *out)
{
  guint a = year % 19;
  guint b = year / 100;
  guint c = year % 100;
  guint d = b / 4;
  guint e = b % 4;
  guint f = (b + 8) / 25;
  guint g = (b - f + 1) / 3;
  guint h = (19 * a + b - d - g + 15) % 30;
  guint i = c / 4;
  guint k = c % 4;
  guint l = (32 + 2 * e + 2 * i - h - k) % 7;
  guint m = (a + 11 * h + 22 * l) / 451;
  guint month = (h + l - 7 * m + 114) / 31;
  guint day = (h + l - 7 * m + 114) % 31 + 1;

  g_return_if_fail (out != NULL);
  g_return_if_fail (year >= 1583);

  g_date_clear (out, 1);
  g_date_set_dmy (out, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
}

/* The rule's day in @year; FALSE for 29 February in a common year. */
static gboolean
resolve_day (const DayRule *rule,
             guint          year,
             GDate         *out)
{
  g_date_clear (out, 1);

  if (rule->easter)
    {
      esa_calendar_easter_sunday (year, out);
      if (rule->offset >= 0)
        g_date_add_days (out, (guint) rule->offset);
      else
        g_date_subtract_days (out, (guint) -rule->offset);
      return TRUE;
    }

  if (rule->day > g_date_get_days_in_month ((GDateMonth) rule->month, (GDateYear) year))
    return FALSE;

  g_date_set_dmy (out, (GDateDay) rule->day, (GDateMonth) rule->month, (GDateYear) year);
  return TRUE;
}

const char *
esa_calendar_get_id (EsaCalendar *self)
{
  g_return_val_if_fail (ESA_IS_CALENDAR (self), NULL);
  return self->id;
}

const char *
esa_calendar_get_title (EsaCalendar *self)
{
  g_return_val_if_fail (ESA_IS_CALENDAR (self), NULL);
  return self->title;
}

const char *
esa_calendar_get_body_id (EsaCalendar *self)
{
  g_return_val_if_fail (ESA_IS_CALENDAR (self), NULL);
  return self->body_id;
}

gboolean
esa_calendar_is_holiday (EsaCalendar *self,
                         const GDate *date,
                         const char **out_name)
{
  g_return_val_if_fail (ESA_IS_CALENDAR (self), FALSE);
  g_return_val_if_fail (date != NULL && g_date_valid (date), FALSE);

  for (EsaCalendar *cal = self; cal != NULL; cal = cal->base)
    for (guint i = 0; i < cal->holidays->len; i++)
      {
        const Holiday *holiday = &g_array_index (cal->holidays, Holiday, i);
        GDate day;

        if (g_date_valid (&holiday->valid_from) && g_date_compare (date, &holiday->valid_from) < 0)
          continue;
        if (g_date_valid (&holiday->valid_to) && g_date_compare (date, &holiday->valid_to) > 0)
          continue;
        if (resolve_day (&holiday->rule, g_date_get_year (date), &day)
            && g_date_compare (&day, date) == 0)
          {
            if (out_name != NULL)
              *out_name = holiday->name;
            return TRUE;
          }
      }

  return FALSE;
}

static guint
weekend_of (EsaCalendar *self)
{
  for (EsaCalendar *cal = self; cal != NULL; cal = cal->base)
    if (cal->weekend != 0)
      return cal->weekend;
  return DEFAULT_WEEKEND;
}

gboolean
esa_calendar_is_working_day (EsaCalendar *self,
                             const GDate *date)
{
  g_return_val_if_fail (ESA_IS_CALENDAR (self), FALSE);
  g_return_val_if_fail (date != NULL && g_date_valid (date), FALSE);

  if (weekend_of (self) & (1u << g_date_get_weekday (date)))
    return FALSE;
  return !esa_calendar_is_holiday (self, date, NULL);
}

gboolean
esa_calendar_closed_period (EsaCalendar *self,
                            const GDate *date,
                            GDate       *out_first,
                            GDate       *out_last,
                            const char **out_name)
{
  guint year;

  g_return_val_if_fail (ESA_IS_CALENDAR (self), FALSE);
  g_return_val_if_fail (date != NULL && g_date_valid (date), FALSE);

  year = g_date_get_year (date);

  for (EsaCalendar *cal = self; cal != NULL; cal = cal->base)
    for (guint i = 0; i < cal->closed->len; i++)
      {
        const ClosedPeriod *period = &g_array_index (cal->closed, ClosedPeriod, i);

        /* A period that runs over New Year may have started the year before. */
        for (guint y = year - 1; y <= year; y++)
          {
            GDate first, last;

            if (y < 1583 || !resolve_day (&period->first, y, &first)
                || !resolve_day (&period->last, y, &last))
              continue;
            if (g_date_compare (&last, &first) < 0
                && !resolve_day (&period->last, y + 1, &last))
              continue;

            if (g_date_compare (date, &first) >= 0 && g_date_compare (date, &last) <= 0)
              {
                if (out_first != NULL)
                  *out_first = first;
                if (out_last != NULL)
                  *out_last = last;
                if (out_name != NULL)
                  *out_name = period->name;
                return TRUE;
              }
          }
      }

  return FALSE;
}

static gint
extension_of (EsaCalendar *self)
{
  for (EsaCalendar *cal = self; cal != NULL; cal = cal->base)
    if (cal->extension >= 0)
      return cal->extension;
  return 0;
}

static gboolean
rolls_forward (EsaCalendar *self)
{
  for (EsaCalendar *cal = self; cal != NULL; cal = cal->base)
    if (cal->roll_forward >= 0)
      return cal->roll_forward;
  return FALSE;
}

static void
next_working_day (EsaCalendar *self,
                  GDate       *date)
{
  do
    g_date_add_days (date, 1);
  while (!esa_calendar_is_working_day (self, date));
}

void
esa_calendar_adjust_end (EsaCalendar *self,
                         GDate       *date)
{
  g_return_if_fail (ESA_IS_CALENDAR (self));
  g_return_if_fail (date != NULL && g_date_valid (date));

  for (guint n = 0; n < MAX_ADJUSTMENTS; n++)
    {
      gint extension = extension_of (self);
      GDate last;

      /* Art. 63 SchKG: an end in the enforcement holidays moves to the
       * N-th day after them, weekend days and holidays not counted. */
      if (extension > 0 && esa_calendar_closed_period (self, date, NULL, &last, NULL))
        {
          *date = last;
          for (gint i = 0; i < extension; i++)
            next_working_day (self, date);
          continue;
        }

      if (rolls_forward (self) && !esa_calendar_is_working_day (self, date))
        {
          next_working_day (self, date);
          continue;
        }

      return;
    }

  g_critical ("calendar “%s”: the end of a deadline keeps moving", self->id);
}

void
esa_calendar_add_days (EsaCalendar *self,
                       const GDate *start,
                       guint        days,
                       EsaCounting  counting,
                       GDate       *out)
{
  g_return_if_fail (self != NULL || counting == ESA_COUNTING_PLAIN);
  g_return_if_fail (self == NULL || ESA_IS_CALENDAR (self));
  g_return_if_fail (start != NULL && g_date_valid (start));
  g_return_if_fail (out != NULL);

  *out = *start;

  switch (counting)
    {
    case ESA_COUNTING_PLAIN:
      g_date_add_days (out, days);
      break;

    case ESA_COUNTING_ADJUSTED:
      g_date_add_days (out, days);
      esa_calendar_adjust_end (self, out);
      break;

    case ESA_COUNTING_BUSINESS:
      for (guint i = 0; i < days; i++)
        next_working_day (self, out);
      break;

    default:
      g_return_if_reached ();
    }
}

void
esa_calendar_add_months (EsaCalendar *self,
                         const GDate *start,
                         guint        months,
                         EsaCounting  counting,
                         GDate       *out)
{
  g_return_if_fail (counting == ESA_COUNTING_PLAIN || counting == ESA_COUNTING_ADJUSTED);
  g_return_if_fail (self != NULL || counting == ESA_COUNTING_PLAIN);
  g_return_if_fail (start != NULL && g_date_valid (start));
  g_return_if_fail (out != NULL);

  *out = *start;
  g_date_add_months (out, months);
  if (counting == ESA_COUNTING_ADJUSTED)
    esa_calendar_adjust_end (self, out);
}
