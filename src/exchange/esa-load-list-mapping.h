#pragma once

#include <gio/gio.h>

#include "esa-exchange-error.h"

G_BEGIN_DECLS

/* The columns of a load list. A file names them in its header row, in any
 * order and any case; the default names are the ids below ("tax_id",
 * "name", …). A creditor body whose files use other names, separators,
 * decimal commas or day-first dates describes them in a column mapping, a
 * small JSON file (help/C/load-lists.page):
 *
 *   { "separator": ";", "decimal_comma": true, "date_format": "DD/MM/YYYY",
 *     "columns": { "tax_id": "Codice fiscale", "name": "Denominazione" },
 *     "defaults": { "revenue_type": "TARI", "year": "2024" },
 *     "resource": "E.1.01.01.51.001", "budget_chapter": "1051" }
 *
 * Columns left out of "columns" keep their default names; "defaults" gives
 * the value of a column the file does not have, or leaves empty. */
typedef enum
{
  ESA_LOAD_LIST_FIELD_TAX_ID,
  ESA_LOAD_LIST_FIELD_NAME,
  ESA_LOAD_LIST_FIELD_ADDRESS,
  ESA_LOAD_LIST_FIELD_POSTCODE,
  ESA_LOAD_LIST_FIELD_TOWN,
  ESA_LOAD_LIST_FIELD_COUNTRY,
  ESA_LOAD_LIST_FIELD_REVENUE_TYPE,
  ESA_LOAD_LIST_FIELD_YEAR,
  ESA_LOAD_LIST_FIELD_REFERENCE,
  ESA_LOAD_LIST_FIELD_PRINCIPAL,
  ESA_LOAD_LIST_FIELD_SANCTIONS,
  ESA_LOAD_LIST_FIELD_INTEREST,
  ESA_LOAD_LIST_FIELD_COSTS,
  ESA_LOAD_LIST_FIELD_DUE_DATE,
  ESA_LOAD_LIST_N_FIELDS
} EsaLoadListField;

/* "tax_id", "name", … (the default column names). */
const char *esa_load_list_field_to_string   (EsaLoadListField  field);
gboolean    esa_load_list_field_from_string (const char       *name,
                                             EsaLoadListField *out);
/* A translated name for messages: "tax id", "due date", … */
const char *esa_load_list_field_describe    (EsaLoadListField  field);
/* Whether every row needs a value (postcode, country, sanctions, interest
 * and costs may be empty). */
gboolean    esa_load_list_field_is_required (EsaLoadListField  field);

typedef enum
{
  ESA_LOAD_LIST_DATE_ISO,         /* "YYYY-MM-DD" */
  ESA_LOAD_LIST_DATE_DAY_SLASH,   /* "DD/MM/YYYY" */
  ESA_LOAD_LIST_DATE_DAY_DOT,     /* "DD.MM.YYYY" */
} EsaLoadListDateFormat;

#define ESA_TYPE_LOAD_LIST_MAPPING (esa_load_list_mapping_get_type ())
G_DECLARE_FINAL_TYPE (EsaLoadListMapping, esa_load_list_mapping, ESA, LOAD_LIST_MAPPING, GObject)

/* The default layout: comma-separated, default column names, decimal dots,
 * ISO dates. */
EsaLoadListMapping    *esa_load_list_mapping_new            (void);

/**
 * esa_load_list_mapping_new_from_data:
 * @error: ESA_EXCHANGE_ERROR_PARSE for text that is not JSON,
 *   ESA_EXCHANGE_ERROR_INVALID naming the member that is wrong
 *   ("columns.tax_idd: no such column")
 *
 * Returns: (transfer full) (nullable): the mapping
 */
EsaLoadListMapping    *esa_load_list_mapping_new_from_data  (const char   *json,
                                                             GError      **error);
/* As above, from a file; messages start with the file's name. */
EsaLoadListMapping    *esa_load_list_mapping_new_from_file  (const char   *path,
                                                             GError      **error);
/* Returns: (transfer full): the mapping as JSON, in the format read above. */
char                  *esa_load_list_mapping_to_data        (EsaLoadListMapping *self);

/* ',' ';' '\t' or ESA_CSV_SEPARATOR_AUTO. */
char                   esa_load_list_mapping_get_separator  (EsaLoadListMapping *self);
gboolean               esa_load_list_mapping_get_decimal_comma (EsaLoadListMapping *self);
EsaLoadListDateFormat  esa_load_list_mapping_get_date_format (EsaLoadListMapping *self);
/* The header text of @field's column. */
const char            *esa_load_list_mapping_get_column     (EsaLoadListMapping *self,
                                                             EsaLoadListField    field);
/* Returns: (nullable): the value for rows without one */
const char            *esa_load_list_mapping_get_default    (EsaLoadListMapping *self,
                                                             EsaLoadListField    field);
/* Returns: (nullable): the budget references of the body's lists */
const char            *esa_load_list_mapping_get_resource   (EsaLoadListMapping *self);
const char            *esa_load_list_mapping_get_budget_chapter (EsaLoadListMapping *self);

G_END_DECLS
