#include "esa-sla.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "esa-core-error.h"
#include "esa-date.h"

/* How far esa_sla_add_business_seconds() looks ahead: ten years of days. */
#define MAX_DAYS_AHEAD 3660

#define MAX_INTERVALS 8

/* The opening hours of one weekday, as minutes from midnight. */
typedef struct
{
  guint n;
  guint16 from[MAX_INTERVALS];
  guint16 to[MAX_INTERVALS];
} DayHours;

/* A week parsed from a "business_hours" text; index by GDateWeekday. */
typedef struct
{
  DayHours days[8];
} Week;

/* One local day resolved: its open intervals as Unix seconds. */
typedef struct
{
  guint  n;
  gint64 from[MAX_INTERVALS];
  gint64 to[MAX_INTERVALS];
} DayInfo;

struct _EsaSla
{
  GObject        parent_instance;

  EsaParameters *parameters;
  char          *prefix;       /* "it." */
  char          *body_id;

  GHashTable    *weeks;        /* hours text -> Week (NULL value: malformed) */
  GHashTable    *zones;        /* identifier -> GTimeZone */
  GHashTable    *days;         /* julian day -> DayInfo */
  GTimeZone     *fallback_zone;
};

G_DEFINE_FINAL_TYPE (EsaSla, esa_sla, G_TYPE_OBJECT)

static const char * const day_abbrev[] = {
  NULL, "mon", "tue", "wed", "thu", "fri", "sat", "sun",
};

static void
esa_sla_finalize (GObject *object)
{
  EsaSla *self = ESA_SLA (object);

  g_clear_object (&self->parameters);
  g_clear_pointer (&self->prefix, g_free);
  g_clear_pointer (&self->body_id, g_free);
  g_clear_pointer (&self->weeks, g_hash_table_unref);
  g_clear_pointer (&self->zones, g_hash_table_unref);
  g_clear_pointer (&self->days, g_hash_table_unref);
  g_clear_pointer (&self->fallback_zone, g_time_zone_unref);
  G_OBJECT_CLASS (esa_sla_parent_class)->finalize (object);
}

static void
esa_sla_class_init (EsaSlaClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = esa_sla_finalize;
}

static void
esa_sla_init (EsaSla *self)
{
  self->weeks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) g_time_zone_unref);
  self->days = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  self->fallback_zone = g_time_zone_new_utc ();
}

static char *
table_name (EsaSla     *self,
            const char *name)
{
  return g_strconcat (self->prefix, name, NULL);
}

static gboolean
parse_weekday (const char    *text,
               GDateWeekday  *out)
{
  for (guint i = G_DATE_MONDAY; i <= G_DATE_SUNDAY; i++)
    if (g_ascii_strcasecmp (text, day_abbrev[i]) == 0)
      {
        *out = (GDateWeekday) i;
        return TRUE;
      }
  return FALSE;
}

static gboolean
parse_clock (const char *text,
             guint16    *out)
{
  guint hours, minutes;

  if (strlen (text) != 5 || text[2] != ':'
      || !g_ascii_isdigit (text[0]) || !g_ascii_isdigit (text[1])
      || !g_ascii_isdigit (text[3]) || !g_ascii_isdigit (text[4]))
    return FALSE;
  hours = (guint) (text[0] - '0') * 10 + (guint) (text[1] - '0');
  minutes = (guint) (text[3] - '0') * 10 + (guint) (text[4] - '0');
  if (hours > 24 || minutes > 59 || (hours == 24 && minutes != 0))
    return FALSE;
  *out = (guint16) (hours * 60 + minutes);
  return TRUE;
}

/* "mon-thu 08:30-12:30 14:00-16:30; fri 08:30-12:30" */
static gboolean
parse_week (const char  *text,
            Week        *week,
            GError     **error)
{
  g_auto(GStrv) groups = g_strsplit (text, ";", -1);

  memset (week, 0, sizeof *week);
  for (guint g = 0; groups[g] != NULL; g++)
    {
      g_auto(GStrv) tokens = NULL;
      g_auto(GStrv) span = NULL;
      GDateWeekday first, last;
      DayHours hours = { 0 };

      g_strstrip (groups[g]);
      if (groups[g][0] == '\0')
        continue;
      tokens = g_strsplit_set (groups[g], " \t", -1);
      span = g_strsplit (tokens[0], "-", 2);
      if (!parse_weekday (span[0], &first)
          || !parse_weekday (span[1] != NULL ? span[1] : span[0], &last) || last < first)
        {
          g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID,
                       _("“%s” is not a weekday or a span of weekdays such as “mon-fri”"),
                       tokens[0]);
          return FALSE;
        }
      for (guint t = 1; tokens[t] != NULL; t++)
        {
          g_auto(GStrv) times = NULL;

          if (tokens[t][0] == '\0' || g_ascii_strcasecmp (tokens[t], "closed") == 0)
            continue;
          times = g_strsplit (tokens[t], "-", 2);
          if (hours.n == MAX_INTERVALS || times[1] == NULL
              || !parse_clock (times[0], &hours.from[hours.n])
              || !parse_clock (times[1], &hours.to[hours.n])
              || hours.to[hours.n] <= hours.from[hours.n]
              || (hours.n > 0 && hours.from[hours.n] < hours.to[hours.n - 1]))
            {
              g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID,
                           _("“%s” is not an opening time such as “08:30-12:30” after the "
                             "previous one"),
                           tokens[t]);
              return FALSE;
            }
          hours.n++;
        }
      for (guint d = first; d <= last; d++)
        week->days[d] = hours;
    }
  return TRUE;
}

static const Week *
lookup_week (EsaSla      *self,
             const GDate *date,
             GError     **error)
{
  g_autofree char *name = table_name (self, "contact.business_hours");
  const char *text;
  Week *week;
  gpointer cached;

  text = esa_parameters_get_text (self->parameters, name, date, self->body_id, error);
  if (text == NULL)
    return NULL;
  if (g_hash_table_lookup_extended (self->weeks, text, NULL, &cached))
    {
      if (cached == NULL)
        g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID,
                     _("Parameter table %s: “%s” is not a list of opening hours"), name, text);
      return cached;
    }

  week = g_new0 (Week, 1);
  if (!parse_week (text, week, error))
    {
      g_prefix_error (error, _("Parameter table %s: "), name);
      g_free (week);
      g_hash_table_insert (self->weeks, g_strdup (text), NULL);
      return NULL;
    }
  g_hash_table_insert (self->weeks, g_strdup (text), week);
  return week;
}

static GTimeZone *
lookup_zone (EsaSla      *self,
             const GDate *date)
{
  g_autofree char *name = table_name (self, "contact.timezone");
  const char *text;
  GTimeZone *zone;

  text = esa_parameters_get_text (self->parameters, name, date, self->body_id, NULL);
  if (text == NULL)
    return self->fallback_zone;
  zone = g_hash_table_lookup (self->zones, text);
  if (zone == NULL)
    {
      zone = g_time_zone_new_identifier (text);
      if (zone == NULL)
        {
          g_warning ("Parameter table %s: unknown time zone “%s”, using UTC", name, text);
          zone = g_time_zone_new_utc ();
        }
      g_hash_table_insert (self->zones, g_strdup (text), zone);
    }
  return zone;
}

/* The office's open intervals on the local day with Julian number @julian. */
static const DayInfo *
day_info (EsaSla  *self,
          guint32  julian)
{
  DayInfo *info = g_hash_table_lookup (self->days, GUINT_TO_POINTER (julian));
  g_autoptr(GError) error = NULL;
  g_autofree char *calendar_table = NULL;
  const char *calendar_id;
  const Week *week;
  const DayHours *hours;
  GTimeZone *zone;
  GDate date;

  if (info != NULL)
    return info;

  info = g_new0 (DayInfo, 1);
  g_hash_table_insert (self->days, GUINT_TO_POINTER (julian), info);

  g_date_clear (&date, 1);
  g_date_set_julian (&date, julian);
  week = lookup_week (self, &date, &error);
  if (week == NULL)
    {
      /* No hours on that day (no entry valid, or a malformed one): closed. */
      if (!g_error_matches (error, ESA_CORE_ERROR, ESA_CORE_ERROR_RANGE))
        g_warning ("%s", error->message);
      return info;
    }

  calendar_table = table_name (self, "contact.calendar");
  calendar_id = esa_parameters_get_text (self->parameters, calendar_table, &date,
                                         self->body_id, NULL);
  if (calendar_id != NULL)
    {
      EsaCalendar *calendar = esa_parameters_get_calendar (self->parameters, calendar_id,
                                                           self->body_id);

      if (calendar != NULL && esa_calendar_is_holiday (calendar, &date, NULL))
        return info;
    }

  hours = &week->days[g_date_get_weekday (&date)];
  zone = lookup_zone (self, &date);
  for (guint i = 0; i < hours->n; i++)
    {
      g_autoptr(GDateTime) from = NULL;
      g_autoptr(GDateTime) to = NULL;

      from = g_date_time_new (zone, g_date_get_year (&date), g_date_get_month (&date),
                              g_date_get_day (&date), hours->from[i] / 60,
                              hours->from[i] % 60, 0);
      if (hours->to[i] == 24 * 60)
        {
          g_autoptr(GDateTime) midnight = g_date_time_new (zone, g_date_get_year (&date),
                                                           g_date_get_month (&date),
                                                           g_date_get_day (&date), 0, 0, 0);
          to = g_date_time_add_days (midnight, 1);
        }
      else
        to = g_date_time_new (zone, g_date_get_year (&date), g_date_get_month (&date),
                              g_date_get_day (&date), hours->to[i] / 60, hours->to[i] % 60, 0);
      if (from == NULL || to == NULL)
        continue;
      info->from[info->n] = g_date_time_to_unix (from);
      info->to[info->n] = g_date_time_to_unix (to);
      info->n++;
    }
  return info;
}

/* The Julian day number of @unix_s in the body's time zone. */
static guint32
local_julian (EsaSla *self,
              gint64  unix_s)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_s);
  g_autoptr(GDateTime) local = NULL;
  GDate date;
  gint year, month, day;

  g_date_clear (&date, 1);
  g_date_time_get_ymd (utc, &year, &month, &day);
  g_date_set_dmy (&date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  local = g_date_time_to_timezone (utc, lookup_zone (self, &date));
  g_date_time_get_ymd (local, &year, &month, &day);
  g_date_set_dmy (&date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  return g_date_get_julian (&date);
}

EsaSla *
esa_sla_new (EsaParameters  *parameters,
             const char     *country,
             const char     *body_id,
             GError        **error)
{
  g_autoptr(EsaSla) self = NULL;
  g_autofree char *lower = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (ESA_IS_PARAMETERS (parameters), NULL);
  g_return_val_if_fail (country != NULL, NULL);

  self = g_object_new (ESA_TYPE_SLA, NULL);
  self->parameters = g_object_ref (parameters);
  lower = g_ascii_strdown (country, -1);
  self->prefix = g_strconcat (lower, ".", NULL);
  self->body_id = g_strdup (body_id);

  name = table_name (self, "contact.business_hours");
  if (!esa_parameters_has_table (parameters, name))
    {
      g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID,
                   _("There are no business hours for country %s (parameter table %s)"),
                   country, name);
      return NULL;
    }
  return g_steal_pointer (&self);
}

const char *
esa_sla_get_body_id (EsaSla *self)
{
  g_return_val_if_fail (ESA_IS_SLA (self), NULL);
  return self->body_id;
}

gboolean
esa_sla_is_open (EsaSla    *self,
                 GDateTime *at)
{
  gint64 t;
  const DayInfo *info;

  g_return_val_if_fail (ESA_IS_SLA (self), FALSE);

  t = g_date_time_to_unix (at);
  info = day_info (self, local_julian (self, t));
  for (guint i = 0; i < info->n; i++)
    if (t >= info->from[i] && t < info->to[i])
      return TRUE;
  return FALSE;
}

static gint64
business_seconds (EsaSla *self,
                  gint64  from,
                  gint64  to)
{
  guint32 first, last;
  gint64 total = 0;

  if (to <= from)
    return 0;
  first = local_julian (self, from);
  last = local_julian (self, to);
  for (guint32 j = first; j <= last; j++)
    {
      const DayInfo *info = day_info (self, j);

      for (guint i = 0; i < info->n; i++)
        {
          gint64 a = MAX (info->from[i], from);
          gint64 b = MIN (info->to[i], to);

          if (b > a)
            total += b - a;
        }
    }
  return total;
}

gint64
esa_sla_business_seconds (EsaSla    *self,
                          GDateTime *from,
                          GDateTime *to)
{
  g_return_val_if_fail (ESA_IS_SLA (self), 0);
  return business_seconds (self, g_date_time_to_unix (from), g_date_time_to_unix (to));
}

/* The Unix time @seconds of business hours after @from, or -1. */
static gint64
add_business_seconds (EsaSla *self,
                      gint64  from,
                      gint64  seconds)
{
  guint32 julian = local_julian (self, from);

  for (guint32 j = julian; j < julian + MAX_DAYS_AHEAD; j++)
    {
      const DayInfo *info = day_info (self, j);

      for (guint i = 0; i < info->n; i++)
        {
          gint64 start = MAX (info->from[i], from);

          if (start >= info->to[i])
            continue;
          if (seconds <= info->to[i] - start)
            return start + seconds;
          seconds -= info->to[i] - start;
        }
    }
  return -1;
}

static GDateTime *
unix_in_zone_of (gint64     unix_s,
                 GDateTime *like)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_s);

  return g_date_time_to_timezone (utc, g_date_time_get_timezone (like));
}

GDateTime *
esa_sla_add_business_seconds (EsaSla    *self,
                              GDateTime *from,
                              gint64     seconds)
{
  gint64 t;

  g_return_val_if_fail (ESA_IS_SLA (self), NULL);
  g_return_val_if_fail (seconds >= 0, NULL);

  t = add_business_seconds (self, g_date_time_to_unix (from), seconds);
  return t < 0 ? NULL : unix_in_zone_of (t, from);
}

static gboolean
status_pauses_on (EsaSla      *self,
                  const char  *status,
                  gint64       at)
{
  g_autofree char *name = NULL;
  g_auto(GStrv) statuses = NULL;
  const char *text;
  GDate date;

  if (status == NULL || strcmp (status, "closed") == 0)
    return TRUE;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, local_julian (self, at));
  name = table_name (self, "contact.sla.paused_statuses");
  text = esa_parameters_get_text (self->parameters, name, &date, self->body_id, NULL);
  if (text == NULL)
    return FALSE;
  statuses = g_strsplit_set (text, " \t,", -1);
  return g_strv_contains ((const char * const *) statuses, status);
}

gboolean
esa_sla_status_pauses (EsaSla     *self,
                       const char *status)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_return_val_if_fail (ESA_IS_SLA (self), FALSE);
  return status_pauses_on (self, status, g_date_time_to_unix (now));
}

gboolean
esa_sla_target_seconds (EsaSla       *self,
                        const char   *urgency,
                        const GDate  *on,
                        gint64       *out_seconds,
                        GError      **error)
{
  g_autofree char *name = NULL;
  JsonNode *node;
  JsonObject *object;
  JsonNode *member;

  g_return_val_if_fail (ESA_IS_SLA (self), FALSE);
  g_return_val_if_fail (urgency != NULL && out_seconds != NULL, FALSE);

  name = table_name (self, "contact.sla.target_minutes");
  node = esa_parameters_lookup (self->parameters, name, on, self->body_id, NULL, error);
  if (node == NULL)
    return FALSE;
  object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  member = object != NULL ? json_object_get_member (object, urgency) : NULL;
  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member))
    {
      g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID,
                   _("Parameter table %s has no target for urgency “%s”"), name, urgency);
      return FALSE;
    }
  *out_seconds = json_node_get_int (member) * 60;
  return TRUE;
}

/* Walks the running stretches of @events up to @now. Returns the business
 * seconds used; when @budget >= 0 and the budget runs out on the way, stops
 * there with *out_ran_out set to the Unix time it did. */
static gint64
walk (EsaSla            *self,
      const EsaSlaEvent *events,
      guint              n_events,
      gint64             now,
      gint64             budget,
      gint64            *out_ran_out,
      gboolean          *out_paused)
{
  gint64 used = 0;
  gboolean paused = TRUE;

  for (guint i = 0; i < n_events; i++)
    {
      gint64 start = g_date_time_to_unix (events[i].at);
      gint64 end = i + 1 < n_events ? g_date_time_to_unix (events[i + 1].at) : now;
      gint64 span;

      if (start > now)
        break;
      end = MIN (end, now);
      paused = status_pauses_on (self, events[i].status, start);
      if (g_strcmp0 (events[i].status, "closed") == 0)
        break;
      if (paused || end <= start)
        continue;

      span = business_seconds (self, start, end);
      if (budget >= 0 && used + span >= budget && out_ran_out != NULL)
        {
          *out_ran_out = add_business_seconds (self, start, budget - used);
          if (out_paused != NULL)
            *out_paused = paused;
          return budget;
        }
      used += span;
    }
  if (out_paused != NULL)
    *out_paused = paused;
  return used;
}

gint64
esa_sla_elapsed (EsaSla            *self,
                 const EsaSlaEvent *events,
                 guint              n_events,
                 GDateTime         *now)
{
  g_return_val_if_fail (ESA_IS_SLA (self), 0);
  g_return_val_if_fail (n_events == 0 || events != NULL, 0);

  return walk (self, events, n_events, g_date_time_to_unix (now), -1, NULL, NULL);
}

GDateTime *
esa_sla_due (EsaSla            *self,
             const EsaSlaEvent *events,
             guint              n_events,
             gint64             target_seconds,
             GDateTime         *now,
             gboolean          *out_paused)
{
  gint64 now_s, used, ran_out = -1, due;
  gboolean paused = FALSE;

  g_return_val_if_fail (ESA_IS_SLA (self), NULL);

  if (n_events == 0)
    return NULL;

  now_s = g_date_time_to_unix (now);
  used = walk (self, events, n_events, now_s, MAX (target_seconds, 0), &ran_out, &paused);
  if (ran_out >= 0)
    {
      /* Whether the clock is paused at @now, beyond the moment it ran out. */
      walk (self, events, n_events, now_s, -1, NULL, &paused);
      due = ran_out;
    }
  else
    due = add_business_seconds (self, now_s, MAX (target_seconds - used, 0));
  if (out_paused != NULL)
    *out_paused = paused;
  return due < 0 ? NULL : unix_in_zone_of (due, now);
}
