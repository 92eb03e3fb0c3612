#pragma once

#include <gio/gio.h>

#include "esa-store.h"

G_BEGIN_DECLS

#define ESA_TYPE_SEARCH_MODEL (esa_search_model_get_type ())
G_DECLARE_FINAL_TYPE (EsaSearchModel, esa_search_model, ESA, SEARCH_MODEL, GObject)

/* A GListModel of EsaSearchResult for one query that grows a page at a time:
 * the first page is fetched when the query is set, the next one when a list
 * asks for an item near the end of what is loaded. Searches of a file
 * database run in a worker thread on a connection of their own, so the main
 * thread never waits for SQLite. */

EsaSearchModel *esa_search_model_new        (EsaStore       *store);
/* Starts a new search; blank text empties the model at once. */
void            esa_search_model_set_query  (EsaSearchModel *self,
                                             const char     *query);
const char     *esa_search_model_get_query  (EsaSearchModel *self);
/* TRUE while a page of the current query is being fetched. */
gboolean        esa_search_model_get_loading (EsaSearchModel *self);
/* TRUE when the store has matches past the ones loaded so far. */
gboolean        esa_search_model_get_has_more (EsaSearchModel *self);
/* The failure of the last fetch, or NULL. */
const GError   *esa_search_model_get_error  (EsaSearchModel *self);
/* Hits per page (default 50). */
void            esa_search_model_set_page_size (EsaSearchModel *self,
                                                guint           page_size);

G_END_DECLS
