#include "esa-json-private.h"
#include "esa-core-error.h"
#include "esa-date.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

void
_esa_json_check_init (EsaJsonCheck *check,
                      const char   *file_path)
{
  check->file = g_path_get_basename (file_path);
  check->path = g_string_new ("$");
  check->marks = g_array_new (FALSE, FALSE, sizeof (gsize));
  check->problems = g_ptr_array_new_with_free_func (g_free);
}

void
_esa_json_check_clear (EsaJsonCheck *check)
{
  g_clear_pointer (&check->file, g_free);
  if (check->path != NULL)
    g_string_free (g_steal_pointer (&check->path), TRUE);
  g_clear_pointer (&check->marks, g_array_unref);
  g_clear_pointer (&check->problems, g_ptr_array_unref);
}

void
_esa_json_check_push_member (EsaJsonCheck *check,
                             const char   *member)
{
  g_array_append_val (check->marks, check->path->len);
  g_string_append_printf (check->path, ".%s", member);
}

void
_esa_json_check_push_index (EsaJsonCheck *check,
                            guint         index)
{
  g_array_append_val (check->marks, check->path->len);
  g_string_append_printf (check->path, "[%u]", index);
}

void
_esa_json_check_pop (EsaJsonCheck *check)
{
  g_return_if_fail (check->marks->len > 0);

  g_string_truncate (check->path, g_array_index (check->marks, gsize, check->marks->len - 1));
  g_array_set_size (check->marks, check->marks->len - 1);
}

char *
_esa_json_check_path (EsaJsonCheck *check,
                      const char   *member)
{
  if (member == NULL)
    return g_strdup (check->path->str);
  return g_strdup_printf ("%s.%s", check->path->str, member);
}

void
_esa_json_check_problem (EsaJsonCheck *check,
                         const char   *member,
                         const char   *format,
                         ...)
{
  g_autofree char *path = _esa_json_check_path (check, member);
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_ptr_array_add (check->problems, g_strdup_printf ("%s: %s: %s", check->file, path, message));
}

gboolean
_esa_json_check_ok (EsaJsonCheck *check)
{
  return check->problems->len == 0;
}

gboolean
_esa_json_check_finish (EsaJsonCheck *check,
                        GError      **error)
{
  g_autoptr(GString) text = NULL;

  if (check->problems->len == 0)
    return TRUE;

  text = g_string_new (NULL);
  for (guint i = 0; i < check->problems->len; i++)
    {
      if (i > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, g_ptr_array_index (check->problems, i));
    }
  g_set_error_literal (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID, text->str);
  return FALSE;
}

/* ---- syntax errors ----------------------------------------------------- */

typedef struct
{
  gboolean  is_array;
  guint     index;      /* of the element being read, in an array */
  char     *key;        /* of the member being read, in an object */
  gboolean  want_key;   /* in an object, before the name of a member */
} Frame;

static void
frame_clear (gpointer data)
{
  Frame *frame = data;

  g_free (frame->key);
}

/* The JSON path of the value being read at @line and @column (both from 1)
 * of @text, found by following the brackets, names and commas up to there.
 * The parser only tells where it stopped; this tells the reader which part
 * of the document that is. */
static char *
path_at (const char *text,
         guint       line,
         guint       column)
{
  g_autoptr(GArray) stack = g_array_new (FALSE, TRUE, sizeof (Frame));
  g_autoptr(GString) path = g_string_new ("$");
  g_autoptr(GString) string = g_string_new (NULL);
  gboolean in_string = FALSE;
  gboolean escaped = FALSE;
  guint at_line = 1;
  guint at_column = 1;

  g_array_set_clear_func (stack, frame_clear);

  for (const char *p = text; *p != '\0'; p++)
    {
      Frame *top = stack->len > 0 ? &g_array_index (stack, Frame, stack->len - 1) : NULL;

      if (at_line > line || (at_line == line && at_column >= column))
        break;

      if (*p == '\n')
        {
          at_line++;
          at_column = 1;
        }
      else
        at_column++;

      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (*p == '\\')
            escaped = TRUE;
          else if (*p == '"')
            {
              in_string = FALSE;
              if (top != NULL && !top->is_array && top->want_key)
                {
                  g_free (top->key);
                  top->key = g_strdup (string->str);
                  top->want_key = FALSE;
                }
            }
          else
            g_string_append_c (string, *p);
          continue;
        }

      switch (*p)
        {
        case '"':
          in_string = TRUE;
          g_string_truncate (string, 0);
          break;

        case '{':
        case '[':
          {
            Frame frame = { *p == '[', 0, NULL, *p == '{' };

            g_array_append_val (stack, frame);
          }
          break;

        case '}':
        case ']':
          if (stack->len > 0)
            g_array_set_size (stack, stack->len - 1);
          break;

        case ',':
          if (top != NULL && top->is_array)
            top->index++;
          else if (top != NULL)
            {
              g_clear_pointer (&top->key, g_free);
              top->want_key = TRUE;
            }
          break;

        default:
          break;
        }
    }

  for (guint i = 0; i < stack->len; i++)
    {
      Frame *frame = &g_array_index (stack, Frame, i);

      if (frame->is_array)
        g_string_append_printf (path, "[%u]", frame->index);
      else if (frame->key != NULL)
        g_string_append_printf (path, ".%s", frame->key);
    }

  return g_string_free (g_steal_pointer (&path), FALSE);
}

JsonNode *
_esa_json_load (const char  *file_path,
                GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *base = g_path_get_basename (file_path);
  g_autofree char *text = NULL;
  gsize length;

  if (!g_file_get_contents (file_path, &text, &length, &local_error))
    {
      g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_PARSE,
                   _("%s: cannot be read: %s"), base, local_error->message);
      return NULL;
    }

  if (!json_parser_load_from_data (parser, text, (gssize) length, &local_error))
    {
      guint line = 0, column = 0;
      const char *message = local_error->message;
      const char *reason = strstr (message, "Parse error: ");

      /* json-glib writes "<data>:LINE:COLUMN: Parse error: WHAT"; the position
       * is read back so that the message can name the JSON path too. */
      if (sscanf (message, "<data>:%u:%u:", &line, &column) == 2)
        {
          g_autofree char *path = path_at (text, line, column);

          g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_PARSE,
                       /* Translators: "bad.json: line 4, column 12
                        * ($.actions[0].from): not valid JSON: unexpected
                        * character" */
                       _("%s: line %u, column %u (%s): not valid JSON: %s"),
                       base, line, column, path,
                       reason != NULL ? reason + strlen ("Parse error: ") : message);
        }
      else
        g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_PARSE,
                     _("%s: $: not valid JSON: %s"), base, message);
      return NULL;
    }

  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_PARSE,
                   _("%s: $: the file is empty"), base);
      return NULL;
    }

  return json_parser_steal_root (parser);
}

/* ---- members ----------------------------------------------------------- */

void
_esa_json_check_members (EsaJsonCheck       *check,
                         JsonObject         *object,
                         const char * const *allowed)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;

      if (!g_strv_contains (allowed, name))
        {
          g_autofree char *list = g_strjoinv (", ", (char **) allowed);

          _esa_json_check_problem (check, name, _("unknown member “%s” (known: %s)"),
                                   name, list);
        }
    }
}

/* The member's node when present and not null; a problem when required and
 * missing. */
static JsonNode *
member_node (EsaJsonCheck *check,
             JsonObject   *object,
             const char   *member,
             gboolean      required)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        _esa_json_check_problem (check, NULL, _("the member “%s” is missing"), member);
      return NULL;
    }
  return node;
}

const char *
_esa_json_string (EsaJsonCheck *check,
                  JsonObject   *object,
                  const char   *member,
                  gboolean      required)
{
  JsonNode *node = member_node (check, object, member, required);

  if (node == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      _esa_json_check_problem (check, member, _("must be a string"));
      return NULL;
    }

  if (required && *json_node_get_string (node) == '\0')
    {
      _esa_json_check_problem (check, member, _("must not be empty"));
      return NULL;
    }

  return json_node_get_string (node);
}

gboolean
_esa_json_int (EsaJsonCheck *check,
               JsonObject   *object,
               const char   *member,
               gboolean      required,
               gint64       *out)
{
  JsonNode *node = member_node (check, object, member, required);

  if (node == NULL)
    return FALSE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      _esa_json_check_problem (check, member, _("must be a whole number"));
      return FALSE;
    }

  *out = json_node_get_int (node);
  return TRUE;
}

gboolean
_esa_json_bool (EsaJsonCheck *check,
                JsonObject   *object,
                const char   *member,
                gboolean     *out)
{
  JsonNode *node = member_node (check, object, member, FALSE);

  if (node == NULL)
    return FALSE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      _esa_json_check_problem (check, member, _("must be true or false"));
      return FALSE;
    }

  *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
_esa_json_date (EsaJsonCheck *check,
                JsonObject   *object,
                const char   *member,
                gboolean      required,
                GDate        *out)
{
  g_autoptr(GError) error = NULL;
  const char *text = _esa_json_string (check, object, member, required);

  g_date_clear (out, 1);
  if (text == NULL)
    return FALSE;

  if (!esa_date_parse_iso (text, out, &error))
    {
      _esa_json_check_problem (check, member, "%s", error->message);
      return FALSE;
    }
  return TRUE;
}

JsonArray *
_esa_json_array (EsaJsonCheck *check,
                 JsonObject   *object,
                 const char   *member,
                 gboolean      required)
{
  JsonNode *node = member_node (check, object, member, required);

  if (node == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      _esa_json_check_problem (check, member, _("must be an array"));
      return NULL;
    }
  return json_node_get_array (node);
}

JsonObject *
_esa_json_object (EsaJsonCheck *check,
                  JsonObject   *object,
                  const char   *member,
                  gboolean      required)
{
  JsonNode *node = member_node (check, object, member, required);

  if (node == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      _esa_json_check_problem (check, member, _("must be an object"));
      return NULL;
    }
  return json_node_get_object (node);
}

char **
_esa_json_strings (EsaJsonCheck *check,
                   JsonObject   *object,
                   const char   *member,
                   gboolean      required)
{
  JsonNode *node = member_node (check, object, member, required);
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonArray *array;

  if (node == NULL)
    return NULL;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      char *one[] = { (char *) json_node_get_string (node), NULL };

      return g_strdupv (one);
    }

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      _esa_json_check_problem (check, member, _("must be a string or an array of strings"));
      return NULL;
    }

  array = json_node_get_array (node);
  builder = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element)
          || json_node_get_value_type (element) != G_TYPE_STRING)
        {
          g_autofree char *at = g_strdup_printf ("%s[%u]", member, i);

          _esa_json_check_problem (check, at, _("must be a string"));
          return NULL;
        }
      g_strv_builder_add (builder, json_node_get_string (element));
    }

  if (required && json_array_get_length (array) == 0)
    {
      _esa_json_check_problem (check, member, _("must not be empty"));
      return NULL;
    }

  return g_strv_builder_end (builder);
}

JsonObject *
_esa_json_element_object (EsaJsonCheck *check,
                          JsonArray    *array,
                          guint         index)
{
  JsonNode *node = json_array_get_element (array, index);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autofree char *at = g_strdup_printf ("%s[%u]", check->path->str, index);

      g_ptr_array_add (check->problems,
                       g_strdup_printf ("%s: %s: %s", check->file, at, _("must be an object")));
      return NULL;
    }
  return json_node_get_object (node);
}

static gint
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

GPtrArray *
_esa_json_files_in (const char  *dir,
                    GError     **error)
{
  g_autoptr(GDir) handle = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local_error = NULL;
  const char *name;

  handle = g_dir_open (dir, 0, &local_error);
  if (handle == NULL)
    {
      g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_PARSE,
                   _("the folder %s cannot be read: %s"), dir, local_error->message);
      return NULL;
    }

  while ((name = g_dir_read_name (handle)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (paths, g_build_filename (dir, name, NULL));

  g_ptr_array_sort (paths, compare_strings);
  return g_steal_pointer (&paths);
}
