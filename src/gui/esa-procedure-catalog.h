#pragma once

#include <glib-object.h>

#include "esa-core.h"

G_BEGIN_DECLS

/* The procedures and parameter tables the workbench runs on, read once from
 * esa_data_dir(). Unlike esa_procedure_load_dir(), which gives up on the
 * first bad file, every procedure file is read on its own: a malformed one
 * makes that procedure unavailable, with the loader's message (naming the
 * file and the JSON path), and the others still load. */

typedef struct
{
  char *file;          /* the file's name, "ch-lef.json" */
  char *procedure_id;  /* the id the file declares, else its name without ".json" */
  char *message;       /* what is wrong, from the loader */
} EsaProcedureProblem;

#define ESA_TYPE_PROCEDURE_CATALOG (esa_procedure_catalog_get_type ())
G_DECLARE_FINAL_TYPE (EsaProcedureCatalog, esa_procedure_catalog, ESA, PROCEDURE_CATALOG,
                      GObject)

/* Returns: (transfer full): the catalog of esa_data_dir ("procedures") and
 *   esa_data_dir ("parameters"); never NULL, the problems say what failed. */
EsaProcedureCatalog       *esa_procedure_catalog_load           (void);

/* Returns: (transfer none) (element-type EsaProcedure): the procedures that loaded. */
GPtrArray                 *esa_procedure_catalog_get_procedures (EsaProcedureCatalog *self);
/* Returns: (transfer none): the parameter tables (possibly incomplete, see the problems). */
EsaParameters             *esa_procedure_catalog_get_parameters (EsaProcedureCatalog *self);
/* Returns: (transfer none) (element-type EsaProcedureProblem): what failed, in file order. */
GPtrArray                 *esa_procedure_catalog_get_problems   (EsaProcedureCatalog *self);
/* Returns: (nullable): why the procedure @procedure_id is unavailable, or
 *   NULL when it loaded (or no file ever named it). */
const EsaProcedureProblem *esa_procedure_catalog_find_problem   (EsaProcedureCatalog *self,
                                                                 const char          *procedure_id);

G_END_DECLS
