#include "esa-hlc.h"
#include "esa-core-error.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define WALL_DIGITS    13
#define COUNTER_DIGITS 6
#define STAMP_LENGTH   (WALL_DIGITS + 1 + COUNTER_DIGITS)

/* The reading after (@wall_ms, @counter): a counter that no longer fits its
 * six digits carries into the next millisecond, which keeps the clock
 * monotonic and the text form ordered. FALSE when the result would not fit
 * the text form either. */
static gboolean
normalize_reading (gint64  *wall_ms,
                   guint64 *counter)
{
  if (*counter > ESA_HLC_MAX_COUNTER)
    {
      *wall_ms += 1;
      *counter = 0;
    }
  return *wall_ms <= ESA_HLC_MAX_WALL_MS;
}

void
esa_hlc_init (EsaHlc *clock)
{
  g_return_if_fail (clock != NULL);

  clock->wall_ms = 0;
  clock->counter = 0;
}

char *
esa_hlc_format (gint64  wall_ms,
                guint32 counter)
{
  g_return_val_if_fail (wall_ms >= 0 && wall_ms <= ESA_HLC_MAX_WALL_MS, NULL);
  g_return_val_if_fail (counter <= ESA_HLC_MAX_COUNTER, NULL);

  return g_strdup_printf ("%013" G_GINT64_FORMAT "-%06u", wall_ms, counter);
}

char *
esa_hlc_tick (EsaHlc *clock,
              gint64  now_ms)
{
  gint64 wall_ms;
  guint64 counter;

  g_return_val_if_fail (clock != NULL, NULL);
  g_return_val_if_fail (now_ms >= 0 && now_ms <= ESA_HLC_MAX_WALL_MS, NULL);

  if (now_ms > clock->wall_ms)
    {
      wall_ms = now_ms;
      counter = 0;
    }
  else
    {
      wall_ms = clock->wall_ms;
      counter = (guint64) clock->counter + 1;
    }

  if (!normalize_reading (&wall_ms, &counter))
    {
      g_critical ("%s: the clock ran past the year 2286", G_STRFUNC);
      return NULL;
    }

  clock->wall_ms = wall_ms;
  clock->counter = (guint32) counter;
  return esa_hlc_format (wall_ms, (guint32) counter);
}

gboolean
esa_hlc_receive (EsaHlc      *clock,
                 const char  *remote,
                 gint64       now_ms,
                 GError     **error)
{
  gint64 remote_ms;
  guint32 remote_counter;
  gint64 wall_ms;
  guint64 counter;

  g_return_val_if_fail (clock != NULL, FALSE);
  g_return_val_if_fail (now_ms >= 0 && now_ms <= ESA_HLC_MAX_WALL_MS, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!esa_hlc_parse (remote, &remote_ms, &remote_counter, error))
    return FALSE;

  wall_ms = MAX (MAX (clock->wall_ms, remote_ms), now_ms);
  if (wall_ms == clock->wall_ms && wall_ms == remote_ms)
    counter = (guint64) MAX (clock->counter, remote_counter) + 1;
  else if (wall_ms == clock->wall_ms)
    counter = (guint64) clock->counter + 1;
  else if (wall_ms == remote_ms)
    counter = (guint64) remote_counter + 1;
  else
    counter = 0;

  if (!normalize_reading (&wall_ms, &counter))
    {
      g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_RANGE,
                   _("Clock stamp %s is too far in the future"), remote);
      return FALSE;
    }

  clock->wall_ms = wall_ms;
  clock->counter = (guint32) counter;
  return TRUE;
}

gboolean
esa_hlc_parse (const char  *stamp,
               gint64      *wall_ms,
               guint32     *counter,
               GError     **error)
{
  gint64 ms = 0;
  guint32 count = 0;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (stamp == NULL || strlen (stamp) != STAMP_LENGTH || stamp[WALL_DIGITS] != '-')
    goto invalid;

  for (guint i = 0; i < WALL_DIGITS; i++)
    {
      if (!g_ascii_isdigit (stamp[i]))
        goto invalid;
      ms = ms * 10 + (stamp[i] - '0');
    }
  for (guint i = WALL_DIGITS + 1; i < STAMP_LENGTH; i++)
    {
      if (!g_ascii_isdigit (stamp[i]))
        goto invalid;
      count = count * 10 + (guint32) (stamp[i] - '0');
    }

  if (wall_ms != NULL)
    *wall_ms = ms;
  if (counter != NULL)
    *counter = count;
  return TRUE;

invalid:
  g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_PARSE,
               /* Translators: %s is text received from another device */
               _("“%s” is not a clock stamp of the form 0000000000000-000000"),
               stamp != NULL ? stamp : "");
  return FALSE;
}
