#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A new random UUID v4 in lower case text. Returns: (transfer full) */
char *esa_uuid_new (void);

/* A UUID derived from a seed and a counter, for deterministic demo data: the
 * same (namespace, seed, n) always gives the same id. Returns: (transfer full) */
char *esa_uuid_from_seed (const char *namespace_,
                          guint64     seed,
                          guint64     n);

G_END_DECLS
