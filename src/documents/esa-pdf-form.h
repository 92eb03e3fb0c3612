#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The fields of PDF forms (AcroForm), read and filled with poppler-glib:
 * what "esattore-cli form fields/fill" does, for forms an office receives
 * (a request form, a declaration) and files in a dossier. */

typedef struct
{
  char     *name;       /* fully qualified: "applicant.name" */
  char     *type;       /* "text", "checkbox", "radio", "button", "choice", "signature",
                         * "unknown" */
  char     *value;      /* text; "true"/"false" for a checkbox or radio button; the
                         * selected items of a choice, joined by ", " */
  guint     page;       /* 1-based page of its first widget */
  gboolean  read_only;
} EsaPdfFormField;

void esa_pdf_form_field_free (EsaPdfFormField *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaPdfFormField, esa_pdf_form_field_free)

/**
 * esa_pdf_form_list_fields:
 * @file: a PDF
 *
 * Every form field once, in page order.
 *
 * Returns: (transfer full) (element-type EsaPdfFormField): the fields (empty
 *   for a PDF without a form), or NULL with ESA_DOCUMENTS_ERROR_PDF naming
 *   the file when it is not a PDF that can be read
 */
GPtrArray *esa_pdf_form_list_fields (GFile        *file,
                                     GError      **error);

/**
 * esa_pdf_form_fill:
 * @values: (element-type utf8 utf8): field name → value: text for a text
 *   field, "true"/"false" (also yes/no, on/off, 1/0) for a checkbox or radio
 *   button, an item's text for a choice
 * @output: where the filled copy goes; @input is left as it was
 *
 * Fills the fields and saves the copy. Nothing is written when a name is
 * not a field of the form, a field is read-only, or a value does not suit
 * its field (ESA_DOCUMENTS_ERROR_FORM naming the field).
 */
gboolean   esa_pdf_form_fill        (GFile        *input,
                                     GHashTable   *values,
                                     GFile        *output,
                                     GError      **error);

G_END_DECLS
