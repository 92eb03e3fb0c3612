#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Errors of the exchange layer (importers and exporters). Messages name the
 * line, the record or the field they are about. */
#define ESA_EXCHANGE_ERROR (esa_exchange_error_quark ())

typedef enum
{
  ESA_EXCHANGE_ERROR_PARSE,      /* the file breaks its format (an unclosed quote, …) */
  ESA_EXCHANGE_ERROR_ENCODING,   /* text that is not valid UTF-8 */
  ESA_EXCHANGE_ERROR_INVALID,    /* a well-formed value that breaks a rule */
} EsaExchangeError;

GQuark esa_exchange_error_quark (void);

G_END_DECLS
