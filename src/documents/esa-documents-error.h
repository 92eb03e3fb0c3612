#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Errors of the documents layer: templates, rendering, payment slips, PDF
 * forms and print batches. Messages name the file concerned. */

#define ESA_DOCUMENTS_ERROR (esa_documents_error_quark ())

typedef enum
{
  ESA_DOCUMENTS_ERROR_TEMPLATE,     /* a template file is missing, not JSON, or breaks a rule */
  ESA_DOCUMENTS_ERROR_LOGO,         /* a body's logo file is missing or cannot be read */
  ESA_DOCUMENTS_ERROR_DATA,         /* the act lacks what its text or slip needs */
  ESA_DOCUMENTS_ERROR_RENDER,       /* cairo or Pango failed */
  ESA_DOCUMENTS_ERROR_PDF,          /* a PDF could not be read or written */
  ESA_DOCUMENTS_ERROR_FORM,         /* a form field is unknown or refuses the value */
  ESA_DOCUMENTS_ERROR_IO,           /* the file system refused; the message says why */
} EsaDocumentsError;

GQuark esa_documents_error_quark (void);

G_END_DECLS
