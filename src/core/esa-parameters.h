#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "esa-calendar.h"

G_BEGIN_DECLS

/* Parameter tables: every legal or local figure (rates, fees, bands,
 * thresholds, deadlines) and every calendar, read from the JSON files under
 * data/parameters/ (format: help/C/procedure-format.page). A table has a
 * name ("it.interest.rate"), a unit and entries, each valid from one day to
 * another (or open-ended) and either for every creditor body or for one.
 * A lookup by name, date and body takes the body's own entry when one covers
 * the date and falls back to the entry for every body. */

#define ESA_TYPE_PARAMETERS (esa_parameters_get_type ())
G_DECLARE_FINAL_TYPE (EsaParameters, esa_parameters, ESA, PARAMETERS, GObject)

/**
 * esa_data_dir:
 * @subdir: "parameters", "procedures", …
 *
 * Where shipped data lives: $ESATTORE_DATADIR/@subdir when that variable is
 * set (the tests set it to the source tree), else the installed data folder,
 * else, in a development build, the source tree's data/.
 *
 * Returns: (transfer full): the folder
 */
char          *esa_data_dir                 (const char    *subdir);

EsaParameters *esa_parameters_new           (void);

/**
 * esa_parameters_load_file:
 * @error: ESA_CORE_ERROR_PARSE for a file that is not JSON,
 *   ESA_CORE_ERROR_INVALID listing every problem by file and JSON path
 *   ("it-interest.json: $.tables[0].entries[3]: overlaps $.tables[0].entries[2]")
 *
 * Adds the tables and calendars of one file. A table named in several files
 * gathers the entries of all (a body's own entries can live in a file of its
 * own); the units must agree. Nothing is added when the file has a problem.
 */
gboolean       esa_parameters_load_file     (EsaParameters *self,
                                             const char    *path,
                                             GError       **error);

/* Every *.json in @dir, in name order; calendars may extend calendars of any
 * of the files. */
gboolean       esa_parameters_load_dir      (EsaParameters *self,
                                             const char    *dir,
                                             GError       **error);

/* Returns: (transfer full): the parameters of esa_data_dir ("parameters"). */
EsaParameters *esa_parameters_load_default  (GError       **error);

gboolean       esa_parameters_has_table     (EsaParameters *self,
                                             const char    *name);

/* Returns: (nullable): "ppm", "minor", "days", "months", "years", "count",
 *   "text", "bands" or "object"; NULL for an unknown table. */
const char    *esa_parameters_get_unit      (EsaParameters *self,
                                             const char    *name);

/* Returns: (nullable): the currency of a table of amounts ("EUR", "CHF"). */
const char    *esa_parameters_get_currency  (EsaParameters *self,
                                             const char    *name);

/**
 * esa_parameters_lookup:
 * @body_id: (nullable): the creditor body, or NULL for the common entries
 * @out_valid_to: (out) (optional): the last day the returned value holds
 *   for this body (cleared when open-ended): the end of its entry, or the
 *   day before an entry of the body's own starts
 * @error: ESA_CORE_ERROR_INVALID for an unknown table, ESA_CORE_ERROR_RANGE
 *   when no entry covers @date
 *
 * Returns: (transfer none) (nullable): the value valid on @date
 */
JsonNode      *esa_parameters_lookup        (EsaParameters *self,
                                             const char    *name,
                                             const GDate   *date,
                                             const char    *body_id,
                                             GDate         *out_valid_to,
                                             GError       **error);

/* The value of a table whose unit is a whole number. */
gboolean       esa_parameters_get_int       (EsaParameters *self,
                                             const char    *name,
                                             const GDate   *date,
                                             const char    *body_id,
                                             gint64        *out,
                                             GError       **error);

/* Returns: (transfer none) (nullable): the value of a "text" table. */
const char    *esa_parameters_get_text      (EsaParameters *self,
                                             const char    *name,
                                             const GDate   *date,
                                             const char    *body_id,
                                             GError       **error);

/**
 * esa_parameters_get_calendar:
 * @body_id: (nullable): the creditor body
 *
 * Returns: (transfer none) (nullable): the calendar @id made for @body_id
 *   when there is one, else the calendar @id for every body
 */
EsaCalendar   *esa_parameters_get_calendar  (EsaParameters *self,
                                             const char    *id,
                                             const char    *body_id);

G_END_DECLS
