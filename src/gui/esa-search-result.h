#pragma once

#include <glib-object.h>

#include "esa-records.h"

G_BEGIN_DECLS

#define ESA_TYPE_SEARCH_RESULT (esa_search_result_get_type ())
G_DECLARE_FINAL_TYPE (EsaSearchResult, esa_search_result, ESA, SEARCH_RESULT, GObject)

/* One row of the search results, as an object the list widgets can bind to.
 * Read-only: a new search makes new results. */
EsaSearchResult *esa_search_result_new            (const EsaSearchHit *hit);
const char      *esa_search_result_get_debtor_id  (EsaSearchResult    *self);
const char      *esa_search_result_get_name       (EsaSearchResult    *self);
/* The tax id in its printed form ("756.9217.0769.85"). */
const char      *esa_search_result_get_tax_id     (EsaSearchResult    *self);
const char      *esa_search_result_get_town       (EsaSearchResult    *self);
/* "tax id · town", whatever of the two is known. */
const char      *esa_search_result_get_details    (EsaSearchResult    *self);
gboolean         esa_search_result_get_company    (EsaSearchResult    *self);
gboolean         esa_search_result_get_deceased   (EsaSearchResult    *self);
gboolean         esa_search_result_get_insolvent  (EsaSearchResult    *self);

/* The printed form of a stored tax id whose kind is told by its shape: 16
 * characters a codice fiscale, 11 digits a partita IVA, 13 digits from 756
 * an AHV number, CHE and 9 digits a UID. Returns: (transfer full) */
char            *esa_format_tax_id                (const char         *normalized);

G_END_DECLS
