#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ESA_CORE_ERROR (esa_core_error_quark ())

typedef enum
{
  ESA_CORE_ERROR_INVALID,   /* a value that breaks a rule; the message says which */
  ESA_CORE_ERROR_PARSE,     /* text that could not be read as the expected type */
  ESA_CORE_ERROR_RANGE,     /* a value outside what the rule or the type allows */
} EsaCoreError;

GQuark esa_core_error_quark (void);

G_END_DECLS
