/* esa-pdf-form.c: AcroForm fields with poppler-glib
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>
#include <poppler.h>
#include <string.h>

#include "esa-documents-error.h"
#include "esa-pdf-form.h"

/* poppler-glib 22.12 declares no cleanup functions of its own. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerDocument, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerPage, g_object_unref)

void
esa_pdf_form_field_free (EsaPdfFormField *self)
{
  if (self == NULL)
    return;
  g_free (self->name);
  g_free (self->type);
  g_free (self->value);
  g_free (self);
}

static PopplerDocument *
open_document (GFile   *file,
               GError **error)
{
  g_autofree char *uri = g_file_get_uri (file);
  g_autofree char *name = g_file_get_parse_name (file);
  GError *local_error = NULL;
  PopplerDocument *document;

  document = poppler_document_new_from_file (uri, NULL, &local_error);
  if (document == NULL)
    {
      g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_PDF,
                   /* Translators: "FILE: cannot be read as a PDF: <poppler's reason>" */
                   _("%s: cannot be read as a PDF: %s"), name, local_error->message);
      g_error_free (local_error);
    }
  return document;
}

static const char *
field_type (PopplerFormField *field)
{
  switch (poppler_form_field_get_field_type (field))
    {
    case POPPLER_FORM_FIELD_TEXT:
      return "text";
    case POPPLER_FORM_FIELD_CHOICE:
      return "choice";
    case POPPLER_FORM_FIELD_SIGNATURE:
      return "signature";
    case POPPLER_FORM_FIELD_BUTTON:
      switch (poppler_form_field_button_get_button_type (field))
        {
        case POPPLER_FORM_BUTTON_CHECK:
          return "checkbox";
        case POPPLER_FORM_BUTTON_RADIO:
          return "radio";
        case POPPLER_FORM_BUTTON_PUSH:
        default:
          return "button";
        }
    case POPPLER_FORM_FIELD_UNKNOWN:
    default:
      return "unknown";
    }
}

static char *
field_value (PopplerFormField *field)
{
  switch (poppler_form_field_get_field_type (field))
    {
    case POPPLER_FORM_FIELD_TEXT:
      {
        char *text = poppler_form_field_text_get_text (field);

        return text != NULL ? text : g_strdup ("");
      }
    case POPPLER_FORM_FIELD_BUTTON:
      if (poppler_form_field_button_get_button_type (field) == POPPLER_FORM_BUTTON_PUSH)
        return g_strdup ("");
      return g_strdup (poppler_form_field_button_get_state (field) ? "true" : "false");
    case POPPLER_FORM_FIELD_CHOICE:
      {
        GString *out = g_string_new (NULL);
        gint n = poppler_form_field_choice_get_n_items (field);

        for (gint i = 0; i < n; i++)
          {
            if (poppler_form_field_choice_is_item_selected (field, i))
              {
                g_autofree char *item = poppler_form_field_choice_get_item (field, i);

                if (out->len > 0)
                  g_string_append (out, ", ");
                g_string_append (out, item != NULL ? item : "");
              }
          }
        if (out->len == 0 && poppler_form_field_choice_is_editable (field))
          {
            g_autofree char *text = poppler_form_field_choice_get_text (field);

            g_string_append (out, text != NULL ? text : "");
          }
        return g_string_free (out, FALSE);
      }
    case POPPLER_FORM_FIELD_SIGNATURE:
    case POPPLER_FORM_FIELD_UNKNOWN:
    default:
      return g_strdup ("");
    }
}

/* Calls @func on the first widget of every field, in page order. */
typedef gboolean (*FieldFunc) (PopplerFormField  *field,
                               const char        *name,
                               guint              page,
                               gpointer           user_data,
                               GError           **error);

static gboolean
foreach_field (PopplerDocument  *document,
               FieldFunc         func,
               gpointer          user_data,
               GError          **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  int n_pages = poppler_document_get_n_pages (document);

  for (int p = 0; p < n_pages; p++)
    {
      g_autoptr(PopplerPage) page = poppler_document_get_page (document, p);
      GList *mappings;
      gboolean ok = TRUE;

      if (page == NULL)
        continue;
      mappings = poppler_page_get_form_field_mapping (page);
      /* Widgets come in the order of the page's annotations. */
      for (GList *l = mappings; l != NULL && ok; l = l->next)
        {
          PopplerFormFieldMapping *mapping = l->data;
          char *name = poppler_form_field_get_name (mapping->field);

          if (name == NULL)
            name = g_strdup_printf ("field%d", poppler_form_field_get_id (mapping->field));
          if (g_hash_table_contains (seen, name))
            {
              g_free (name);
              continue;
            }
          g_hash_table_add (seen, name);
          ok = func (mapping->field, name, (guint) p + 1, user_data, error);
        }
      poppler_page_free_form_field_mapping (mappings);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

static gboolean
add_field (PopplerFormField  *field,
           const char        *name,
           guint              page,
           gpointer           user_data,
           GError           **error)
{
  GPtrArray *fields = user_data;
  EsaPdfFormField *out = g_new0 (EsaPdfFormField, 1);

  out->name = g_strdup (name);
  out->type = g_strdup (field_type (field));
  out->value = field_value (field);
  out->page = page;
  out->read_only = poppler_form_field_is_read_only (field);
  g_ptr_array_add (fields, out);
  return TRUE;
}

GPtrArray *
esa_pdf_form_list_fields (GFile   *file,
                          GError **error)
{
  g_autoptr(PopplerDocument) document = NULL;
  g_autoptr(GPtrArray) fields = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  document = open_document (file, error);
  if (document == NULL)
    return NULL;

  fields = g_ptr_array_new_with_free_func ((GDestroyNotify) esa_pdf_form_field_free);
  if (!foreach_field (document, add_field, fields, error))
    return NULL;
  return g_steal_pointer (&fields);
}

typedef struct
{
  GHashTable *values;
  GHashTable *done;     /* names filled */
  const char *file;
} Fill;

static gboolean
parse_bool (const char *text,
            gboolean   *out)
{
  static const char * const yes[] = { "true", "yes", "on", "1" };
  static const char * const no[] = { "false", "no", "off", "0" };

  for (gsize i = 0; i < G_N_ELEMENTS (yes); i++)
    {
      if (g_ascii_strcasecmp (text, yes[i]) == 0)
        {
          *out = TRUE;
          return TRUE;
        }
      if (g_ascii_strcasecmp (text, no[i]) == 0)
        {
          *out = FALSE;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
fill_field (PopplerFormField  *field,
            const char        *name,
            guint              page,
            gpointer           user_data,
            GError           **error)
{
  Fill *fill = user_data;
  const char *value = g_hash_table_lookup (fill->values, name);

  if (value == NULL)
    return TRUE;

  if (poppler_form_field_is_read_only (field))
    {
      g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_FORM,
                   _("%s: field “%s” is read-only"), fill->file, name);
      return FALSE;
    }

  switch (poppler_form_field_get_field_type (field))
    {
    case POPPLER_FORM_FIELD_TEXT:
      {
        gint max = poppler_form_field_text_get_max_len (field);

        if (max > 0 && g_utf8_strlen (value, -1) > max)
          {
            g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_FORM,
                         _("%s: field “%s” takes at most %d characters"), fill->file, name,
                         max);
            return FALSE;
          }
        poppler_form_field_text_set_text (field, value);
      }
      break;

    case POPPLER_FORM_FIELD_BUTTON:
      {
        gboolean state;

        if (poppler_form_field_button_get_button_type (field) == POPPLER_FORM_BUTTON_PUSH
            || !parse_bool (value, &state))
          {
            g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_FORM,
                         _("%s: field “%s” is a button: give true or false, not “%s”"),
                         fill->file, name, value);
            return FALSE;
          }
        poppler_form_field_button_set_state (field, state);
      }
      break;

    case POPPLER_FORM_FIELD_CHOICE:
      {
        gint n = poppler_form_field_choice_get_n_items (field);
        gint found = -1;

        for (gint i = 0; i < n && found < 0; i++)
          {
            g_autofree char *item = poppler_form_field_choice_get_item (field, i);

            if (g_strcmp0 (item, value) == 0)
              found = i;
          }
        if (found >= 0)
          {
            poppler_form_field_choice_unselect_all (field);
            poppler_form_field_choice_select_item (field, found);
          }
        else if (poppler_form_field_choice_is_editable (field))
          poppler_form_field_choice_set_text (field, value);
        else
          {
            g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_FORM,
                         _("%s: field “%s” has no item “%s”"), fill->file, name, value);
            return FALSE;
          }
      }
      break;

    case POPPLER_FORM_FIELD_SIGNATURE:
    case POPPLER_FORM_FIELD_UNKNOWN:
    default:
      g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_FORM,
                   _("%s: field “%s” cannot be filled in"), fill->file, name);
      return FALSE;
    }

  g_hash_table_add (fill->done, g_strdup (name));
  return TRUE;
}

gboolean
esa_pdf_form_fill (GFile       *input,
                   GHashTable  *values,
                   GFile       *output,
                   GError     **error)
{
  g_autoptr(PopplerDocument) document = NULL;
  g_autoptr(GHashTable) done = NULL;
  g_autofree char *name = NULL;
  g_autofree char *output_uri = NULL;
  GHashTableIter iter;
  gpointer key;
  GError *local_error = NULL;
  Fill fill;

  g_return_val_if_fail (G_IS_FILE (input), FALSE);
  g_return_val_if_fail (values != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (output), FALSE);

  document = open_document (input, error);
  if (document == NULL)
    return FALSE;

  name = g_file_get_parse_name (input);
  done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  fill.values = values;
  fill.done = done;
  fill.file = name;
  if (!foreach_field (document, fill_field, &fill, error))
    return FALSE;

  /* Every name asked for must be a field: a typo must not pass for a
   * filled form. */
  g_hash_table_iter_init (&iter, values);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      if (!g_hash_table_contains (done, key))
        {
          g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_FORM,
                       _("%s: the form has no field “%s”"), name, (const char *) key);
          return FALSE;
        }
    }

  output_uri = g_file_get_uri (output);
  if (!poppler_document_save (document, output_uri, &local_error))
    {
      g_autofree char *output_name = g_file_get_parse_name (output);

      g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_PDF,
                   _("%s: the filled form could not be saved: %s"), output_name,
                   local_error->message);
      g_error_free (local_error);
      return FALSE;
    }
  return TRUE;
}
