#include "esa-exchange-error.h"

G_DEFINE_QUARK (esa-exchange-error-quark, esa_exchange_error)
