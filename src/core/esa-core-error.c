#include "esa-core-error.h"

G_DEFINE_QUARK (esa-core-error-quark, esa_core_error)
