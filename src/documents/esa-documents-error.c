#include "esa-documents-error.h"

G_DEFINE_QUARK (esa-documents-error-quark, esa_documents_error)
