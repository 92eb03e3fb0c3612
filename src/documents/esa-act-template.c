/* esa-act-template.c: act templates as data, checked when loaded
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "esa-documents-private.h"

/* Members whose strings are identifiers or settings, not texts. */
static const char * const non_text_members[] = {
  "type", "field", "key", "slips", "font", "language", "logo", "align", "format",
  "date_format", "short_date", "months",
};

/* The block types of an act template's "blocks". */
static const char * const block_types[] = {
  "text", "heading", "small", "amounts", "instalments", "items", "register", "facts",
  "signature", "space",
};

/* Which slips an act carries. */
static const char * const slip_kinds[] = {
  "none", "positions", "instalments",
};

static gboolean
in_list (const char         *name,
         const char * const *list,
         gsize               n)
{
  for (gsize i = 0; i < n; i++)
    if (g_strcmp0 (name, list[i]) == 0)
      return TRUE;
  return FALSE;
}

const char *
_esa_json_get_string (JsonObject *object,
                      const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

const char *
_esa_json_array_string (JsonArray *array,
                        guint      index)
{
  JsonNode *node = index < json_array_get_length (array) ? json_array_get_element (array, index)
                                                         : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

JsonObject *
_esa_json_array_object (JsonArray *array,
                        guint      index)
{
  JsonNode *node = index < json_array_get_length (array) ? json_array_get_element (array, index)
                                                         : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* ---- placeholders ------------------------------------------------------- */

/* Calls @func for every placeholder of @text; FALSE with @error for a brace
 * that opens nothing or is never closed. */
typedef gboolean (*PlaceholderFunc) (const char  *name,
                                     gpointer     user_data,
                                     GError     **error);

static gboolean
scan_placeholders (const char       *text,
                   PlaceholderFunc   func,
                   gpointer          user_data,
                   GError          **error)
{
  const char *p = text;

  while (*p != '\0')
    {
      if (p[0] == '{' && p[1] == '{')
        p += 2;
      else if (p[0] == '}' && p[1] == '}')
        p += 2;
      else if (p[0] == '{')
        {
          const char *end = strchr (p + 1, '}');
          g_autofree char *name = NULL;

          if (end == NULL)
            {
              g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_TEMPLATE,
                           _("a “{” is never closed (write “{{” for a brace)"));
              return FALSE;
            }
          name = g_strndup (p + 1, end - p - 1);
          if (!func (name, user_data, error))
            return FALSE;
          p = end + 1;
        }
      else if (p[0] == '}')
        {
          g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_TEMPLATE,
                       _("a “}” closes nothing (write “}}” for a brace)"));
          return FALSE;
        }
      else
        p++;
    }
  return TRUE;
}

char *
_esa_expand (const char *text,
             GHashTable *values,
             gboolean    markup)
{
  GString *out = g_string_sized_new (strlen (text) + 64);
  const char *p = text;

  while (*p != '\0')
    {
      if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}'))
        {
          g_string_append_c (out, p[0]);
          p += 2;
        }
      else if (p[0] == '{' && strchr (p + 1, '}') != NULL)
        {
          const char *end = strchr (p + 1, '}');
          g_autofree char *name = g_strndup (p + 1, end - p - 1);
          const char *value = g_hash_table_lookup (values, name);

          if (value != NULL && markup)
            {
              g_autofree char *escaped = g_markup_escape_text (value, -1);

              g_string_append (out, escaped);
            }
          else if (value != NULL)
            g_string_append (out, value);
          p = end + 1;
        }
      else
        {
          g_string_append_c (out, p[0]);
          p++;
        }
    }
  return g_string_free (out, FALSE);
}

static gboolean
check_known (const char  *name,
             gpointer     user_data,
             GError     **error)
{
  if (_esa_placeholder_is_known (name))
    return TRUE;

  g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_TEMPLATE,
               _("unknown placeholder {%s}"), name);
  return FALSE;
}

/* Every text is Pango markup once its placeholders are filled: checked
 * with each placeholder standing for a plain word. */
static gboolean
check_text (const char  *text,
            GError     **error)
{
  g_autoptr(GHashTable) none = NULL;
  g_autofree char *sample = NULL;
  GError *local_error = NULL;

  if (!scan_placeholders (text, check_known, NULL, error))
    return FALSE;

  none = g_hash_table_new (g_str_hash, g_str_equal);
  sample = _esa_expand (text, none, TRUE);
  if (!pango_parse_markup (sample, -1, 0, NULL, NULL, NULL, &local_error))
    {
      g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_TEMPLATE,
                   _("not valid markup: %s"), local_error->message);
      g_error_free (local_error);
      return FALSE;
    }
  return TRUE;
}

/* Walks every string of @node; the first problem is reported with the file
 * and the JSON path. */
static gboolean
check_node (JsonNode    *node,
            const char  *path,
            const char  *file,
            GError     **error)
{
  GError *local_error = NULL;

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);

        for (GList *l = members; l != NULL; l = l->next)
          {
            const char *name = l->data;
            g_autofree char *child = g_strdup_printf ("%s.%s", path, name);

            if (in_list (name, non_text_members, G_N_ELEMENTS (non_text_members)))
              continue;
            if (!check_node (json_object_get_member (object, name), child, file, error))
              return FALSE;
          }
        return TRUE;
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            g_autofree char *child = g_strdup_printf ("%s[%u]", path, i);

            if (!check_node (json_array_get_element (array, i), child, file, error))
              return FALSE;
          }
        return TRUE;
      }

    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) != G_TYPE_STRING)
        return TRUE;
      if (check_text (json_node_get_string (node), &local_error))
        return TRUE;
      g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_TEMPLATE,
                   /* Translators: "FILE: $.blocks[3].text: unknown placeholder {x}" */
                   _("%s: %s: %s"), file, path, local_error->message);
      g_error_free (local_error);
      return FALSE;

    case JSON_NODE_NULL:
    default:
      return TRUE;
    }
}

/* The structure an act template must have. */
static gboolean
check_act_structure (JsonObject  *act,
                     const char  *file,
                     GError     **error)
{
  JsonNode *blocks = json_object_get_member (act, "blocks");
  const char *slips = _esa_json_get_string (act, "slips");

  if (json_object_has_member (act, "slips")
      && !in_list (slips, slip_kinds, G_N_ELEMENTS (slip_kinds)))
    {
      g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_TEMPLATE,
                   _("%s: $.slips: must be “none”, “positions” or “instalments”"), file);
      return FALSE;
    }
  if (json_object_has_member (act, "deadline_days")
      && (!JSON_NODE_HOLDS_VALUE (json_object_get_member (act, "deadline_days"))
          || json_node_get_value_type (json_object_get_member (act, "deadline_days"))
             != G_TYPE_INT64))
    {
      g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_TEMPLATE,
                   _("%s: $.deadline_days: must be a whole number of days"), file);
      return FALSE;
    }

  if (blocks == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (blocks))
    {
      g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_TEMPLATE,
                   _("%s: $.blocks: must be an array"), file);
      return FALSE;
    }

  for (guint i = 0; i < json_array_get_length (json_node_get_array (blocks)); i++)
    {
      JsonNode *block = json_array_get_element (json_node_get_array (blocks), i);
      const char *type;

      if (!JSON_NODE_HOLDS_OBJECT (block))
        {
          g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_TEMPLATE,
                       _("%s: $.blocks[%u]: must be an object"), file, i);
          return FALSE;
        }
      type = _esa_json_get_string (json_node_get_object (block), "type");
      if (!in_list (type, block_types, G_N_ELEMENTS (block_types)))
        {
          g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_TEMPLATE,
                       _("%s: $.blocks[%u].type: unknown block type “%s”"), file, i,
                       type != NULL ? type : "");
          return FALSE;
        }
    }
  return TRUE;
}

/* ---- files -------------------------------------------------------------- */

/* Reads one JSON object file. With @optional, a missing file is no error
 * and gives NULL with @error unset. */
static JsonObject *
read_object (const char  *path,
             gboolean     optional,
             GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  GError *local_error = NULL;
  JsonNode *root;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (!optional)
        g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_TEMPLATE,
                     _("Template file %s does not exist"), path);
      return NULL;
    }

  if (!json_parser_load_from_mapped_file (parser, path, &local_error))
    {
      g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_TEMPLATE,
                   /* Translators: "FILE: is not valid JSON: <parser's message>" */
                   _("%s: is not valid JSON: %s"), path, local_error->message);
      g_error_free (local_error);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_TEMPLATE,
                   _("%s: must hold a JSON object"), path);
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

/* Merges @over into @base: objects member by member, anything else
 * replaced. */
static void
merge_into (JsonObject *base,
            JsonObject *over)
{
  g_autoptr(GList) members = json_object_get_members (over);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *value = json_object_get_member (over, name);
      JsonNode *existing = json_object_get_member (base, name);

      if (existing != NULL && JSON_NODE_HOLDS_OBJECT (existing) && JSON_NODE_HOLDS_OBJECT (value))
        merge_into (json_node_get_object (existing), json_node_get_object (value));
      else
        json_object_set_member (base, name, json_node_copy (value));
    }
}

/* A deep copy, so that merging never changes a parsed file. */
static JsonObject *
copy_object (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonNode) copy = NULL;

  json_node_set_object (node, object);
  copy = json_node_copy (node);
  return json_object_ref (json_node_get_object (copy));
}

/* Reads a file, checks its texts, and merges it over @base (or returns it
 * as the base). */
static JsonObject *
load_layer (JsonObject   *base,
            const char   *path,
            gboolean      optional,
            gboolean      act,
            GError      **error)
{
  g_autoptr(JsonObject) layer = NULL;
  g_autoptr(JsonNode) node = NULL;
  GError *local_error = NULL;

  layer = read_object (path, optional, &local_error);
  if (layer == NULL)
    {
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return NULL;
        }
      return base != NULL ? json_object_ref (base) : NULL;
    }

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, layer);
  if (!check_node (node, "$", path, error))
    return NULL;
  if (act && !check_act_structure (layer, path, error))
    return NULL;

  if (base == NULL)
    return g_steal_pointer (&layer);

  {
    g_autoptr(JsonObject) merged = copy_object (base);

    merge_into (merged, layer);
    return g_steal_pointer (&merged);
  }
}

static gboolean
valid_name (const char *name)
{
  if (name == NULL || *name == '\0' || strcmp (name, ".") == 0 || strcmp (name, "..") == 0)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '.')
      return FALSE;
  return TRUE;
}

EsaActTemplate *
_esa_act_template_load (const char  *dir,
                        const char  *body_id,
                        const char  *act_type,
                        const char  *language,
                        GError     **error)
{
  g_autoptr(EsaActTemplate) self = NULL;
  g_autofree char *body_dir = NULL;
  g_autofree char *act_name = NULL;
  g_autofree char *common_name = NULL;
  g_autoptr(JsonObject) common = NULL;
  g_autoptr(JsonObject) act = NULL;
  const char *logo;

  g_return_val_if_fail (dir != NULL, NULL);
  g_return_val_if_fail (act_type != NULL, NULL);

  /* Names become file names: nothing that could leave the folder. */
  if (!valid_name (act_type) || (body_id != NULL && !valid_name (body_id))
      || (language != NULL && !valid_name (language)))
    {
      g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_TEMPLATE,
                   _("“%s” cannot name a template"),
                   !valid_name (act_type) ? act_type
                   : body_id != NULL && !valid_name (body_id) ? body_id : language);
      return NULL;
    }

  self = g_new0 (EsaActTemplate, 1);
  self->ref_count = 1;
  self->act_type = g_strdup (act_type);

  if (body_id != NULL)
    {
      g_autofree char *profile_file = NULL;
      GError *local_error = NULL;

      body_dir = g_build_filename (dir, "bodies", body_id, NULL);
      profile_file = g_build_filename (body_dir, "body.json", NULL);
      self->profile = read_object (profile_file, TRUE, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return NULL;
        }
      /* The body's address, contacts and courts are plain values, which
       * the placeholders carry; only its letterhead lines are texts. */
      if (self->profile != NULL && json_object_has_member (self->profile, "letterhead")
          && !check_node (json_object_get_member (self->profile, "letterhead"), "$.letterhead",
                          profile_file, error))
        return NULL;
      if (self->profile != NULL)
        self->profile_file = g_steal_pointer (&profile_file);
    }
  if (self->profile == NULL)
    self->profile = json_object_new ();

  if (language == NULL)
    language = _esa_json_get_string (self->profile, "language");
  if (language == NULL)
    language = "it";
  self->language = g_strdup (language);

  common_name = g_strdup_printf ("common.%s.json", language);
  act_name = g_strdup_printf ("%s.%s.json", act_type, language);
  self->common_file = g_build_filename (dir, common_name, NULL);
  self->act_file = g_build_filename (dir, act_name, NULL);

  if (!g_file_test (self->act_file, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_TEMPLATE,
                   /* Translators: "No template for act type X in language Y: FILE does not exist" */
                   _("No template for act type “%s” in language “%s”: %s does not exist"),
                   act_type, language, self->act_file);
      return NULL;
    }

  common = load_layer (NULL, self->common_file, FALSE, FALSE, error);
  if (common == NULL)
    return NULL;
  act = load_layer (NULL, self->act_file, FALSE, TRUE, error);
  if (act == NULL)
    return NULL;

  if (body_dir != NULL)
    {
      g_autofree char *body_common = g_build_filename (body_dir, common_name, NULL);
      g_autofree char *body_act = g_build_filename (body_dir, act_name, NULL);
      JsonObject *merged;

      merged = load_layer (common, body_common, TRUE, FALSE, error);
      if (merged == NULL)
        return NULL;
      json_object_unref (common);
      common = merged;

      merged = load_layer (act, body_act, TRUE, TRUE, error);
      if (merged == NULL)
        return NULL;
      json_object_unref (act);
      act = merged;
    }

  self->common = g_steal_pointer (&common);
  self->act = g_steal_pointer (&act);

  logo = _esa_json_get_string (self->profile, "logo");
  if (logo != NULL)
    {
      self->logo_file = g_path_is_absolute (logo) ? g_strdup (logo)
                                                  : g_build_filename (body_dir, logo, NULL);
      if (!g_file_test (self->logo_file, G_FILE_TEST_IS_REGULAR))
        {
          g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_LOGO,
                       /* Translators: "Logo file FILE (named in FILE) does not exist" */
                       _("Logo file %s (named in %s) does not exist"),
                       self->logo_file, self->profile_file);
          return NULL;
        }
    }

  return g_steal_pointer (&self);
}

EsaActTemplate *
_esa_act_template_ref (EsaActTemplate *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
_esa_act_template_unref (EsaActTemplate *self)
{
  if (self == NULL || !g_atomic_int_dec_and_test (&self->ref_count))
    return;

  g_free (self->act_type);
  g_free (self->language);
  g_free (self->act_file);
  g_free (self->common_file);
  g_clear_pointer (&self->act, json_object_unref);
  g_clear_pointer (&self->common, json_object_unref);
  g_clear_pointer (&self->profile, json_object_unref);
  g_free (self->profile_file);
  g_free (self->logo_file);
  g_free (self);
}

/* Follows a dotted path through nested objects. */
static const char *
lookup_path (JsonObject *object,
             const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  guint n = g_strv_length (parts);

  for (guint i = 0; object != NULL && i + 1 < n; i++)
    {
      JsonNode *node = json_object_get_member (object, parts[i]);

      object = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
    }
  return object != NULL ? _esa_json_get_string (object, parts[n - 1]) : NULL;
}

const char *
_esa_act_template_text (EsaActTemplate *self,
                        const char     *path)
{
  const char *text = lookup_path (self->act, path);

  return text != NULL ? text : lookup_path (self->common, path);
}
