/* esa-store-columnar.c: many rows of an outbox operation in columnar form,
 * and their row images for the sync push
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <json-glib/json-glib.h>

#include "esa-store-columnar-private.h"
#include "esa-store-private.h"

typedef struct
{
  char     *table;
  GStrv     columns;
  gboolean  with_before;
  GString  *rows;     /* "[…],[…]" without the outer brackets */
  GString  *before;
  guint     n_rows;
} Part;

struct _EsaColumnar
{
  GPtrArray *parts;
  GString   *row;       /* where the open row is written, NULL when none */
  guint      n_values;  /* values of the open row so far */
};

static void
part_free (Part *part)
{
  g_free (part->table);
  g_strfreev (part->columns);
  g_string_free (part->rows, TRUE);
  g_string_free (part->before, TRUE);
  g_free (part);
}

void
_esa_json_append_string (GString    *out,
                         const char *text)
{
  const char *run = text;
  const char *p;

  if (text == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  /* Runs of plain characters are copied at once: load lists and payment
   * batches write millions of strings. */
  g_string_append_c (out, '"');
  for (p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;

      g_string_append_len (out, run, p - run);
      run = p + 1;
      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          g_string_append_printf (out, "\\u%04x", c);
          break;
        }
    }
  g_string_append_len (out, run, p - run);
  g_string_append_c (out, '"');
}

EsaColumnar *
_esa_columnar_new (void)
{
  EsaColumnar *self = g_new0 (EsaColumnar, 1);

  self->parts = g_ptr_array_new_with_free_func ((GDestroyNotify) part_free);
  return self;
}

void
_esa_columnar_free (EsaColumnar *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->parts);
  g_free (self);
}

guint
_esa_columnar_add_part (EsaColumnar        *self,
                        const char         *table,
                        const char * const *columns,
                        gboolean            with_before)
{
  Part *part = g_new0 (Part, 1);

  g_return_val_if_fail (columns != NULL && columns[0] != NULL, 0);

  part->table = g_strdup (table);
  part->columns = g_strdupv ((char **) columns);
  part->with_before = with_before;
  part->rows = g_string_new (NULL);
  part->before = g_string_new (NULL);
  g_ptr_array_add (self->parts, part);
  return self->parts->len - 1;
}

static void
close_row (EsaColumnar *self)
{
  if (self->row != NULL)
    g_string_append_c (self->row, ']');
  self->row = NULL;
}

void
_esa_columnar_row (EsaColumnar *self,
                   guint        part_index,
                   gboolean     before)
{
  Part *part;

  g_return_if_fail (part_index < self->parts->len);

  part = g_ptr_array_index (self->parts, part_index);
  g_return_if_fail (!before || part->with_before);

  close_row (self);
  self->row = before ? part->before : part->rows;
  if (self->row->len > 0)
    g_string_append_c (self->row, ',');
  g_string_append_c (self->row, '[');
  self->n_values = 0;
  if (!before)
    part->n_rows++;
}

static void
next_value (EsaColumnar *self)
{
  g_return_if_fail (self->row != NULL);

  if (self->n_values++ > 0)
    g_string_append_c (self->row, ',');
}

void
_esa_columnar_text (EsaColumnar *self,
                    const char  *value)
{
  next_value (self);
  _esa_json_append_string (self->row, value);
}

void
_esa_columnar_int (EsaColumnar *self,
                   gint64       value)
{
  next_value (self);
  g_string_append_printf (self->row, "%" G_GINT64_FORMAT, value);
}

void
_esa_columnar_null (EsaColumnar *self)
{
  next_value (self);
  g_string_append (self->row, "null");
}

guint
_esa_columnar_n_rows (EsaColumnar *self,
                      guint        part_index)
{
  g_return_val_if_fail (part_index < self->parts->len, 0);

  return ((Part *) g_ptr_array_index (self->parts, part_index))->n_rows;
}

char *
_esa_columnar_take (EsaColumnar *self)
{
  GString *out = g_string_new ("{\"parts\":[");
  gboolean first = TRUE;

  close_row (self);
  for (guint i = 0; i < self->parts->len; i++)
    {
      Part *part = g_ptr_array_index (self->parts, i);

      if (part->n_rows == 0)
        continue;
      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      g_string_append (out, "{\"t\":");
      _esa_json_append_string (out, part->table);
      g_string_append (out, ",\"columns\":[");
      for (guint c = 0; part->columns[c] != NULL; c++)
        {
          if (c > 0)
            g_string_append_c (out, ',');
          _esa_json_append_string (out, part->columns[c]);
        }
      g_string_append (out, "],\"rows\":[");
      g_string_append_len (out, part->rows->str, (gssize) part->rows->len);
      g_string_append_c (out, ']');
      if (part->with_before)
        {
          g_string_append (out, ",\"before\":[");
          g_string_append_len (out, part->before->str, (gssize) part->before->len);
          g_string_append_c (out, ']');
        }
      g_string_append_c (out, '}');

      g_string_truncate (part->rows, 0);
      g_string_truncate (part->before, 0);
      part->n_rows = 0;
    }
  g_string_append (out, "]}");
  return g_string_free (out, FALSE);
}

/* ---- row images ------------------------------------------------------------- */

static void
append_value (GString  *out,
              JsonNode *node)
{
  g_autofree char *text = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      g_string_append (out, "null");
      return;
    }
  if (JSON_NODE_HOLDS_VALUE (node))
    {
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          _esa_json_append_string (out, json_node_get_string (node));
          return;
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          return;
        default:
          break;
        }
    }
  text = json_to_string (node, FALSE);
  g_string_append (out, text);
}

static JsonArray *
member_array (JsonObject *object,
              const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* One row as a JSON object of the part's columns. FALSE when the row does
 * not have one value per column. */
static gboolean
append_object (GString   *out,
               JsonArray *columns,
               JsonNode  *node)
{
  JsonArray *row = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  guint n = json_array_get_length (columns);

  if (row == NULL || json_array_get_length (row) != n)
    return FALSE;
  g_string_append_c (out, '{');
  for (guint c = 0; c < n; c++)
    {
      if (c > 0)
        g_string_append_c (out, ',');
      _esa_json_append_string (out, json_array_get_string_element (columns, c));
      g_string_append_c (out, ':');
      append_value (out, json_array_get_element (row, c));
    }
  g_string_append_c (out, '}');
  return TRUE;
}

static gboolean
append_part (GString    *out,
             JsonObject *part)
{
  JsonArray *columns = member_array (part, "columns");
  JsonArray *rows = member_array (part, "rows");
  JsonArray *before = member_array (part, "before");
  const char *table = json_object_get_string_member_with_default (part, "t", NULL);
  guint n_rows;

  if (table == NULL || columns == NULL || rows == NULL || json_array_get_length (columns) == 0)
    return FALSE;
  for (guint c = 0; c < json_array_get_length (columns); c++)
    {
      JsonNode *name = json_array_get_element (columns, c);

      if (!JSON_NODE_HOLDS_VALUE (name) || json_node_get_value_type (name) != G_TYPE_STRING)
        return FALSE;
    }
  n_rows = json_array_get_length (rows);
  if (before != NULL && json_array_get_length (before) != n_rows)
    return FALSE;

  for (guint i = 0; i < n_rows; i++)
    {
      JsonNode *row = json_array_get_element (rows, i);
      JsonNode *key;

      if (!JSON_NODE_HOLDS_ARRAY (row) || json_array_get_length (json_node_get_array (row)) == 0)
        return FALSE;
      key = json_array_get_element (json_node_get_array (row), 0);
      if (!JSON_NODE_HOLDS_VALUE (key) || json_node_get_value_type (key) != G_TYPE_STRING)
        return FALSE;

      if (out->len > 1)
        g_string_append_c (out, ',');
      g_string_append (out, "{\"t\":");
      _esa_json_append_string (out, table);
      g_string_append (out, ",\"k\":");
      _esa_json_append_string (out, json_node_get_string (key));
      g_string_append (out, ",\"before\":");
      if (before == NULL)
        g_string_append (out, "null");
      else if (!append_object (out, columns, json_array_get_element (before, i)))
        return FALSE;
      g_string_append (out, ",\"after\":");
      if (!append_object (out, columns, row))
        return FALSE;
      g_string_append_c (out, '}');
    }
  return TRUE;
}

char *
_esa_columnar_images (const char *payload)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GString) out = g_string_new ("[");
  JsonNode *root;
  JsonArray *parts;

  if (payload == NULL || !json_parser_load_from_data (parser, payload, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  parts = member_array (json_node_get_object (root), "parts");
  if (parts == NULL)
    return NULL;

  for (guint i = 0; i < json_array_get_length (parts); i++)
    {
      JsonNode *part = json_array_get_element (parts, i);

      if (!JSON_NODE_HOLDS_OBJECT (part) || !append_part (out, json_node_get_object (part)))
        return NULL;
    }
  g_string_append_c (out, ']');
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
_esa_store_outbox_bulk_images (const char *entity,
                               const char *payload)
{
  if (g_strcmp0 (entity, "load_list_part") == 0)
    return _esa_store_load_list_part_images (payload);
  if (g_strcmp0 (entity, "payment_batch") == 0)
    return _esa_columnar_images (payload);
  return NULL;
}
