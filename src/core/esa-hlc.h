#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A hybrid logical clock (Kulkarni et al., 2014): stamps that follow the wall
 * clock but never go back, even when the wall clock does, and that order every
 * event after everything the device has seen from other devices. The sync
 * outbox stamps every operation with one.
 *
 * The text form is "WWWWWWWWWWWWW-CCCCCC": wall milliseconds since the Unix
 * epoch on 13 digits and the counter on 6, both zero-padded, so that stamps
 * compare correctly as plain strings (strcmp, SQL ORDER BY). */

typedef struct
{
  gint64  wall_ms;
  guint32 counter;
} EsaHlc;

/* The largest wall time and counter the text form can hold. */
#define ESA_HLC_MAX_WALL_MS  G_GINT64_CONSTANT (9999999999999)
#define ESA_HLC_MAX_COUNTER  999999u

/* Sets @clock to zero: its first tick follows the wall clock. */
void     esa_hlc_init    (EsaHlc      *clock);

/**
 * esa_hlc_tick:
 * @now_ms: the wall clock in milliseconds since the epoch
 *
 * Advances @clock for a local event.
 *
 * Returns: (transfer full): the event's stamp, greater than every stamp @clock
 *   returned or received before
 */
char    *esa_hlc_tick    (EsaHlc      *clock,
                          gint64       now_ms);

/**
 * esa_hlc_receive:
 * @remote: a stamp received from another device
 * @now_ms: the wall clock in milliseconds since the epoch
 * @error: ESA_CORE_ERROR_PARSE when @remote is not a stamp
 *
 * Merges @remote into @clock, so that every later tick is greater than
 * @remote. @clock is unchanged on error.
 */
gboolean esa_hlc_receive (EsaHlc      *clock,
                          const char  *remote,
                          gint64       now_ms,
                          GError     **error);

/* Reads a stamp in the text form; @wall_ms and @counter are optional. */
gboolean esa_hlc_parse   (const char  *stamp,
                          gint64      *wall_ms,
                          guint32     *counter,
                          GError     **error);

/* Returns: (transfer full): the text form of a clock reading. */
char    *esa_hlc_format  (gint64       wall_ms,
                          guint32      counter);

G_END_DECLS
