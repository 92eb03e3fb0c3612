#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Reading the data files of core (procedures, parameter tables, calendars)
 * so that every problem names the file and the JSON path where it is:
 *
 *   ch-lef.json: $.actions[3].guards[0].after: unknown field “served_onn”
 *
 * A reader pushes a member or an index when it goes down into a value and
 * pops it when it comes back; problems are collected, not returned at the
 * first one, so that one run shows everything wrong with a file. */
typedef struct
{
  char      *file;      /* the base name shown in messages */
  GString   *path;      /* "$.actions[3]" while that action is read */
  GArray    *marks;     /* length of @path before each push */
  GPtrArray *problems;  /* formatted messages */
} EsaJsonCheck;

void        _esa_json_check_init        (EsaJsonCheck *check,
                                         const char   *file_path);
void        _esa_json_check_clear       (EsaJsonCheck *check);
void        _esa_json_check_push_member (EsaJsonCheck *check,
                                         const char   *member);
void        _esa_json_check_push_index  (EsaJsonCheck *check,
                                         guint         index);
void        _esa_json_check_pop         (EsaJsonCheck *check);

/* Records a problem at the current path, or at its @member when not NULL. */
void        _esa_json_check_problem     (EsaJsonCheck *check,
                                         const char   *member,
                                         const char   *format,
                                         ...) G_GNUC_PRINTF (3, 4);

/* Returns: (transfer full): the current path, with @member appended when not NULL. */
char       *_esa_json_check_path        (EsaJsonCheck *check,
                                         const char   *member);

gboolean    _esa_json_check_ok          (EsaJsonCheck *check);

/* FALSE with ESA_CORE_ERROR_INVALID listing every problem, one a line, when
 * there was any. */
gboolean    _esa_json_check_finish      (EsaJsonCheck *check,
                                         GError      **error);

/* Reads and parses a file. A syntax error is ESA_CORE_ERROR_PARSE naming the
 * file, the line, the column and the JSON path of the value being read:
 * "bad.json: line 4, column 12 ($.actions[0].from): not valid JSON: …". */
JsonNode   *_esa_json_load              (const char   *file_path,
                                         GError      **error);

/* Every member of @object must be one of @allowed (NULL-terminated). */
void        _esa_json_check_members     (EsaJsonCheck       *check,
                                         JsonObject         *object,
                                         const char * const *allowed);

/* Typed members. A missing optional member returns NULL/FALSE without a
 * problem; a missing required one or one of the wrong type records one. */
const char *_esa_json_string            (EsaJsonCheck *check,
                                         JsonObject   *object,
                                         const char   *member,
                                         gboolean      required);
gboolean    _esa_json_int               (EsaJsonCheck *check,
                                         JsonObject   *object,
                                         const char   *member,
                                         gboolean      required,
                                         gint64       *out);
gboolean    _esa_json_bool              (EsaJsonCheck *check,
                                         JsonObject   *object,
                                         const char   *member,
                                         gboolean     *out);
gboolean    _esa_json_date              (EsaJsonCheck *check,
                                         JsonObject   *object,
                                         const char   *member,
                                         gboolean      required,
                                         GDate        *out);
JsonArray  *_esa_json_array             (EsaJsonCheck *check,
                                         JsonObject   *object,
                                         const char   *member,
                                         gboolean      required);
JsonObject *_esa_json_object            (EsaJsonCheck *check,
                                         JsonObject   *object,
                                         const char   *member,
                                         gboolean      required);

/* A member holding one string or an array of strings. Returns: (transfer
 * full) (nullable): the strings; NULL when missing or wrong. */
char      **_esa_json_strings           (EsaJsonCheck *check,
                                         JsonObject   *object,
                                         const char   *member,
                                         gboolean      required);

/* Element @index of @array when it is an object; a problem otherwise. The
 * path is not changed. */
JsonObject *_esa_json_element_object    (EsaJsonCheck *check,
                                         JsonArray    *array,
                                         guint         index);

/* Returns: (transfer full) (nullable): the *.json files of @dir as full
 * paths, in name order; NULL with ESA_CORE_ERROR_PARSE when @dir cannot be
 * read. */
GPtrArray  *_esa_json_files_in          (const char   *dir,
                                         GError      **error);

G_END_DECLS
