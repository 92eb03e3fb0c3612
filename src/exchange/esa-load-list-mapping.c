/* esa-load-list-mapping.c: how a creditor body's load list files are laid out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "esa-csv-reader.h"
#include "esa-load-list-mapping.h"

struct _EsaLoadListMapping
{
  GObject                parent_instance;

  char                   separator;
  gboolean               decimal_comma;
  EsaLoadListDateFormat  date_format;
  char                  *columns[ESA_LOAD_LIST_N_FIELDS];   /* NULL: the default name */
  char                  *defaults[ESA_LOAD_LIST_N_FIELDS];
  char                  *resource;
  char                  *budget_chapter;
};

G_DEFINE_FINAL_TYPE (EsaLoadListMapping, esa_load_list_mapping, G_TYPE_OBJECT)

static const struct
{
  const char *name;
  const char *description;
  gboolean    required;
} fields[ESA_LOAD_LIST_N_FIELDS] = {
  /* Translators: names of the columns of a load list, used in messages such
   * as "the tax id is missing" */
  [ESA_LOAD_LIST_FIELD_TAX_ID] = { "tax_id", N_("tax id"), TRUE },
  [ESA_LOAD_LIST_FIELD_NAME] = { "name", N_("name"), TRUE },
  [ESA_LOAD_LIST_FIELD_ADDRESS] = { "address", N_("address"), TRUE },
  [ESA_LOAD_LIST_FIELD_POSTCODE] = { "postcode", N_("postcode"), FALSE },
  [ESA_LOAD_LIST_FIELD_TOWN] = { "town", N_("town"), TRUE },
  [ESA_LOAD_LIST_FIELD_COUNTRY] = { "country", N_("country"), FALSE },
  [ESA_LOAD_LIST_FIELD_REVENUE_TYPE] = { "revenue_type", N_("revenue type"), TRUE },
  [ESA_LOAD_LIST_FIELD_YEAR] = { "year", N_("year"), TRUE },
  [ESA_LOAD_LIST_FIELD_REFERENCE] = { "reference", N_("reference"), TRUE },
  [ESA_LOAD_LIST_FIELD_PRINCIPAL] = { "principal", N_("principal"), TRUE },
  [ESA_LOAD_LIST_FIELD_SANCTIONS] = { "sanctions", N_("sanctions"), FALSE },
  [ESA_LOAD_LIST_FIELD_INTEREST] = { "interest", N_("interest"), FALSE },
  [ESA_LOAD_LIST_FIELD_COSTS] = { "costs", N_("costs"), FALSE },
  [ESA_LOAD_LIST_FIELD_DUE_DATE] = { "due_date", N_("due date"), TRUE },
};

static const struct
{
  const char            *name;
  EsaLoadListDateFormat  format;
} date_formats[] = {
  { "YYYY-MM-DD", ESA_LOAD_LIST_DATE_ISO },
  { "DD/MM/YYYY", ESA_LOAD_LIST_DATE_DAY_SLASH },
  { "DD.MM.YYYY", ESA_LOAD_LIST_DATE_DAY_DOT },
};

static const struct
{
  const char *name;
  char        separator;
} separators[] = {
  { ",", ',' },
  { ";", ';' },
  { "tab", '\t' },
  { "\t", '\t' },
  { "auto", ESA_CSV_SEPARATOR_AUTO },
};

const char *
esa_load_list_field_to_string (EsaLoadListField field)
{
  g_return_val_if_fail (field < ESA_LOAD_LIST_N_FIELDS, NULL);

  return fields[field].name;
}

gboolean
esa_load_list_field_from_string (const char       *name,
                                 EsaLoadListField *out)
{
  if (name == NULL)
    return FALSE;

  for (guint i = 0; i < ESA_LOAD_LIST_N_FIELDS; i++)
    {
      if (g_str_equal (name, fields[i].name))
        {
          if (out != NULL)
            *out = (EsaLoadListField) i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
esa_load_list_field_describe (EsaLoadListField field)
{
  g_return_val_if_fail (field < ESA_LOAD_LIST_N_FIELDS, NULL);

  return g_dgettext (GETTEXT_PACKAGE, fields[field].description);
}

gboolean
esa_load_list_field_is_required (EsaLoadListField field)
{
  g_return_val_if_fail (field < ESA_LOAD_LIST_N_FIELDS, FALSE);

  return fields[field].required;
}

static void
esa_load_list_mapping_finalize (GObject *object)
{
  EsaLoadListMapping *self = ESA_LOAD_LIST_MAPPING (object);

  for (guint i = 0; i < ESA_LOAD_LIST_N_FIELDS; i++)
    {
      g_free (self->columns[i]);
      g_free (self->defaults[i]);
    }
  g_free (self->resource);
  g_free (self->budget_chapter);

  G_OBJECT_CLASS (esa_load_list_mapping_parent_class)->finalize (object);
}

static void
esa_load_list_mapping_class_init (EsaLoadListMappingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = esa_load_list_mapping_finalize;
}

static void
esa_load_list_mapping_init (EsaLoadListMapping *self)
{
  self->separator = ',';
  self->date_format = ESA_LOAD_LIST_DATE_ISO;
}

EsaLoadListMapping *
esa_load_list_mapping_new (void)
{
  return g_object_new (ESA_TYPE_LOAD_LIST_MAPPING, NULL);
}

/* ---- reading ------------------------------------------------------------- */

static gboolean G_GNUC_PRINTF (2, 3)
invalid (GError    **error,
         const char *format,
         ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error_literal (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_INVALID, message);
  return FALSE;
}

/* The text of a string member; numbers are accepted where a text is (a year
 * in "defaults"). */
static gboolean
read_text (JsonNode    *node,
           const char  *path,
           char       **out,
           GError     **error)
{
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      g_autofree char *text = g_strstrip (g_strdup (json_node_get_string (node)));

      if (text[0] == '\0')
        /* Translators: %s is where in the mapping file: "columns.tax_id" */
        return invalid (error, _("%s: the text is empty"), path);
      g_free (*out);
      *out = g_steal_pointer (&text);
      return TRUE;
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    {
      g_free (*out);
      *out = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      return TRUE;
    }

  return invalid (error, _("%s: a text is expected"), path);
}

static gboolean
read_field_table (JsonNode     *node,
                  const char   *member,
                  char        **table,
                  GError      **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, _("%s: an object is expected (column → text)"), member);

  json_object_iter_init (&iter, json_node_get_object (node));
  while (json_object_iter_next (&iter, &name, &value))
    {
      g_autofree char *path = g_strdup_printf ("%s.%s", member, name);
      EsaLoadListField field;

      if (!esa_load_list_field_from_string (name, &field))
        {
          g_autoptr(GString) known = g_string_new (NULL);

          for (guint i = 0; i < ESA_LOAD_LIST_N_FIELDS; i++)
            g_string_append_printf (known, "%s%s", i > 0 ? ", " : "", fields[i].name);
          /* Translators: "columns.tax_idd: no such column (tax_id, name, …)" */
          return invalid (error, _("%s: no such column (%s)"), path, known->str);
        }
      if (!read_text (value, path, &table[field], error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
read_mapping (EsaLoadListMapping  *self,
              JsonNode            *root,
              GError             **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    return invalid (error, _("a column mapping is a JSON object"));

  json_object_iter_init (&iter, json_node_get_object (root));
  while (json_object_iter_next (&iter, &name, &value))
    {
      if (g_str_equal (name, "separator"))
        {
          g_autofree char *text = NULL;
          gboolean known = FALSE;

          /* A tab is kept as it is: read_text() would strip it. */
          if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING
              && g_str_equal (json_node_get_string (value), "\t"))
            text = g_strdup ("\t");
          else if (!read_text (value, name, &text, error))
            return FALSE;
          for (guint i = 0; i < G_N_ELEMENTS (separators) && !known; i++)
            {
              if (g_str_equal (text, separators[i].name))
                {
                  self->separator = separators[i].separator;
                  known = TRUE;
                }
            }
          if (!known)
            return invalid (error, _("separator: “%s” is not one of “,” “;” “tab” “auto”"),
                            text);
        }
      else if (g_str_equal (name, "decimal_comma"))
        {
          if (!JSON_NODE_HOLDS_VALUE (value)
              || json_node_get_value_type (value) != G_TYPE_BOOLEAN)
            return invalid (error, _("decimal_comma: true or false is expected"));
          self->decimal_comma = json_node_get_boolean (value);
        }
      else if (g_str_equal (name, "date_format"))
        {
          g_autofree char *text = NULL;
          gboolean known = FALSE;

          if (!read_text (value, name, &text, error))
            return FALSE;
          for (guint i = 0; i < G_N_ELEMENTS (date_formats) && !known; i++)
            {
              if (g_ascii_strcasecmp (text, date_formats[i].name) == 0)
                {
                  self->date_format = date_formats[i].format;
                  known = TRUE;
                }
            }
          if (!known)
            return invalid (error,
                            _("date_format: “%s” is not one of YYYY-MM-DD, DD/MM/YYYY, "
                              "DD.MM.YYYY"),
                            text);
        }
      else if (g_str_equal (name, "columns"))
        {
          if (!read_field_table (value, name, self->columns, error))
            return FALSE;
        }
      else if (g_str_equal (name, "defaults"))
        {
          if (!read_field_table (value, name, self->defaults, error))
            return FALSE;
        }
      else if (g_str_equal (name, "resource"))
        {
          if (!read_text (value, name, &self->resource, error))
            return FALSE;
        }
      else if (g_str_equal (name, "budget_chapter"))
        {
          if (!read_text (value, name, &self->budget_chapter, error))
            return FALSE;
        }
      else
        {
          return invalid (error,
                          _("%s: unknown member (separator, decimal_comma, date_format, "
                            "columns, defaults, resource, budget_chapter)"),
                          name);
        }
    }

  /* Two fields read from one column would hide a mistake. */
  for (guint i = 0; i < ESA_LOAD_LIST_N_FIELDS; i++)
    for (guint j = i + 1; j < ESA_LOAD_LIST_N_FIELDS; j++)
      {
        if (g_ascii_strcasecmp (esa_load_list_mapping_get_column (self, i),
                                esa_load_list_mapping_get_column (self, j)) == 0)
          return invalid (error, _("columns: %s and %s both read the column “%s”"),
                          fields[i].name, fields[j].name,
                          esa_load_list_mapping_get_column (self, i));
      }

  return TRUE;
}

EsaLoadListMapping *
esa_load_list_mapping_new_from_data (const char  *json,
                                     GError     **error)
{
  g_autoptr(EsaLoadListMapping) self = esa_load_list_mapping_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (json != NULL, NULL);

  if (!json_parser_load_from_data (parser, json, -1, &local_error))
    {
      g_set_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_PARSE,
                   _("the column mapping is not JSON: %s"), local_error->message);
      return NULL;
    }
  if (!read_mapping (self, json_parser_get_root (parser), error))
    return NULL;

  return g_steal_pointer (&self);
}

EsaLoadListMapping *
esa_load_list_mapping_new_from_file (const char  *path,
                                     GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  EsaLoadListMapping *self;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;

  self = esa_load_list_mapping_new_from_data (contents, &local_error);
  if (self == NULL)
    {
      g_autofree char *name = g_filename_display_basename (path);

      g_set_error (error, local_error->domain, local_error->code, "%s: %s", name,
                   local_error->message);
    }
  return self;
}

/* ---- writing and getters ----------------------------------------------------- */

char *
esa_load_list_mapping_to_data (EsaLoadListMapping *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  const char *separator = ",";
  gboolean any;

  g_return_val_if_fail (ESA_IS_LOAD_LIST_MAPPING (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (separators); i++)
    {
      if (separators[i].separator == self->separator)
        {
          separator = separators[i].name;
          break;
        }
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "separator");
  json_builder_add_string_value (builder, separator);
  json_builder_set_member_name (builder, "decimal_comma");
  json_builder_add_boolean_value (builder, self->decimal_comma);
  json_builder_set_member_name (builder, "date_format");
  for (guint i = 0; i < G_N_ELEMENTS (date_formats); i++)
    if (date_formats[i].format == self->date_format)
      json_builder_add_string_value (builder, date_formats[i].name);

  json_builder_set_member_name (builder, "columns");
  json_builder_begin_object (builder);
  for (guint i = 0; i < ESA_LOAD_LIST_N_FIELDS; i++)
    {
      json_builder_set_member_name (builder, fields[i].name);
      json_builder_add_string_value (builder, esa_load_list_mapping_get_column (self, i));
    }
  json_builder_end_object (builder);

  any = FALSE;
  for (guint i = 0; i < ESA_LOAD_LIST_N_FIELDS; i++)
    {
      if (self->defaults[i] == NULL)
        continue;
      if (!any)
        {
          json_builder_set_member_name (builder, "defaults");
          json_builder_begin_object (builder);
          any = TRUE;
        }
      json_builder_set_member_name (builder, fields[i].name);
      json_builder_add_string_value (builder, self->defaults[i]);
    }
  if (any)
    json_builder_end_object (builder);

  if (self->resource != NULL)
    {
      json_builder_set_member_name (builder, "resource");
      json_builder_add_string_value (builder, self->resource);
    }
  if (self->budget_chapter != NULL)
    {
      json_builder_set_member_name (builder, "budget_chapter");
      json_builder_add_string_value (builder, self->budget_chapter);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, TRUE);
}

char
esa_load_list_mapping_get_separator (EsaLoadListMapping *self)
{
  g_return_val_if_fail (ESA_IS_LOAD_LIST_MAPPING (self), ',');

  return self->separator;
}

gboolean
esa_load_list_mapping_get_decimal_comma (EsaLoadListMapping *self)
{
  g_return_val_if_fail (ESA_IS_LOAD_LIST_MAPPING (self), FALSE);

  return self->decimal_comma;
}

EsaLoadListDateFormat
esa_load_list_mapping_get_date_format (EsaLoadListMapping *self)
{
  g_return_val_if_fail (ESA_IS_LOAD_LIST_MAPPING (self), ESA_LOAD_LIST_DATE_ISO);

  return self->date_format;
}

const char *
esa_load_list_mapping_get_column (EsaLoadListMapping *self,
                                  EsaLoadListField    field)
{
  g_return_val_if_fail (ESA_IS_LOAD_LIST_MAPPING (self), NULL);
  g_return_val_if_fail (field < ESA_LOAD_LIST_N_FIELDS, NULL);

  return self->columns[field] != NULL ? self->columns[field] : fields[field].name;
}

const char *
esa_load_list_mapping_get_default (EsaLoadListMapping *self,
                                   EsaLoadListField    field)
{
  g_return_val_if_fail (ESA_IS_LOAD_LIST_MAPPING (self), NULL);
  g_return_val_if_fail (field < ESA_LOAD_LIST_N_FIELDS, NULL);

  return self->defaults[field];
}

const char *
esa_load_list_mapping_get_resource (EsaLoadListMapping *self)
{
  g_return_val_if_fail (ESA_IS_LOAD_LIST_MAPPING (self), NULL);

  return self->resource;
}

const char *
esa_load_list_mapping_get_budget_chapter (EsaLoadListMapping *self)
{
  g_return_val_if_fail (ESA_IS_LOAD_LIST_MAPPING (self), NULL);

  return self->budget_chapter;
}
