#include "esa-config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "esa-procedure-catalog.h"

struct _EsaProcedureCatalog
{
  GObject        parent_instance;

  GPtrArray     *procedures; /* EsaProcedure */
  EsaParameters *parameters;
  GPtrArray     *problems;   /* EsaProcedureProblem */
};

G_DEFINE_FINAL_TYPE (EsaProcedureCatalog, esa_procedure_catalog, G_TYPE_OBJECT)

static void
problem_free (gpointer data)
{
  EsaProcedureProblem *problem = data;

  g_free (problem->file);
  g_free (problem->procedure_id);
  g_free (problem->message);
  g_free (problem);
}

static void
add_problem (EsaProcedureCatalog *self,
             const char          *file,
             const char          *procedure_id,
             const char          *message)
{
  EsaProcedureProblem *problem = g_new0 (EsaProcedureProblem, 1);

  problem->file = g_strdup (file);
  problem->procedure_id = g_strdup (procedure_id);
  problem->message = g_strdup (message);
  g_ptr_array_add (self->problems, problem);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The procedure a file meant to define, so that the cases using it can say
 * why they cannot go on: the "id" it declares when that much of it can be
 * read, else its name, which by convention is the id. */
static char *
guess_procedure_id (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *base = g_path_get_basename (path);
  JsonNode *root;

  if (json_parser_load_from_file (parser, path, NULL))
    {
      root = json_parser_get_root (parser);
      if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
        {
          JsonObject *object = json_node_get_object (root);
          JsonNode *id = json_object_get_member (object, "id");

          if (id != NULL && JSON_NODE_HOLDS_VALUE (id) &&
              json_node_get_value_type (id) == G_TYPE_STRING &&
              json_node_get_string (id)[0] != '\0')
            return g_strdup (json_node_get_string (id));
        }
    }

  if (g_str_has_suffix (base, ".json"))
    base[strlen (base) - strlen (".json")] = '\0';
  return g_steal_pointer (&base);
}

static void
load_parameters (EsaProcedureCatalog *self)
{
  g_autofree char *dir = esa_data_dir ("parameters");
  g_autoptr(GError) error = NULL;

  /* What loaded before a bad file stays: the procedures that need nothing
   * from it still work, and those that do are reported one by one. */
  if (!esa_parameters_load_dir (self->parameters, dir, &error))
    add_problem (self, "parameters", NULL, error->message);
}

static void
load_procedures (EsaProcedureCatalog *self)
{
  g_autofree char *dir = esa_data_dir ("procedures");
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) handle = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  handle = g_dir_open (dir, 0, &error);
  if (handle == NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is a folder, the second %s the system's reason. */
      message = g_strdup_printf (_("the folder %s cannot be read: %s"), dir, error->message);
      add_problem (self, "procedures", NULL, message);
      return;
    }

  while ((name = g_dir_read_name (handle)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (paths, g_build_filename (dir, name, NULL));
  g_ptr_array_sort (paths, compare_strings);

  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      g_autofree char *base = g_path_get_basename (path);
      g_autoptr(EsaProcedure) procedure = NULL;
      g_autoptr(GError) load_error = NULL;
      EsaProcedure *twin;

      procedure = esa_procedure_load_file (path, self->parameters, &load_error);
      if (procedure == NULL)
        {
          g_autofree char *id = guess_procedure_id (path);

          add_problem (self, base, id, load_error->message);
          continue;
        }

      twin = esa_procedure_list_find (self->procedures, esa_procedure_get_id (procedure));
      if (twin != NULL)
        {
          g_autofree char *message = NULL;

          /* Translators: a second procedure file defines an id again; the
           * first %s is the file, the second the id. */
          message = g_strdup_printf (_("%s: $.id: the procedure “%s” is already defined by "
                                       "another file"),
                                     base, esa_procedure_get_id (procedure));
          add_problem (self, base, NULL, message);
          continue;
        }

      g_ptr_array_add (self->procedures, g_steal_pointer (&procedure));
    }
}

static void
esa_procedure_catalog_finalize (GObject *object)
{
  EsaProcedureCatalog *self = ESA_PROCEDURE_CATALOG (object);

  g_clear_pointer (&self->procedures, g_ptr_array_unref);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_clear_object (&self->parameters);

  G_OBJECT_CLASS (esa_procedure_catalog_parent_class)->finalize (object);
}

static void
esa_procedure_catalog_class_init (EsaProcedureCatalogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = esa_procedure_catalog_finalize;
}

static void
esa_procedure_catalog_init (EsaProcedureCatalog *self)
{
  self->procedures = g_ptr_array_new_with_free_func (g_object_unref);
  self->problems = g_ptr_array_new_with_free_func (problem_free);
  self->parameters = esa_parameters_new ();
}

EsaProcedureCatalog *
esa_procedure_catalog_load (void)
{
  EsaProcedureCatalog *self = g_object_new (ESA_TYPE_PROCEDURE_CATALOG, NULL);

  load_parameters (self);
  load_procedures (self);
  return self;
}

GPtrArray *
esa_procedure_catalog_get_procedures (EsaProcedureCatalog *self)
{
  g_return_val_if_fail (ESA_IS_PROCEDURE_CATALOG (self), NULL);
  return self->procedures;
}

EsaParameters *
esa_procedure_catalog_get_parameters (EsaProcedureCatalog *self)
{
  g_return_val_if_fail (ESA_IS_PROCEDURE_CATALOG (self), NULL);
  return self->parameters;
}

GPtrArray *
esa_procedure_catalog_get_problems (EsaProcedureCatalog *self)
{
  g_return_val_if_fail (ESA_IS_PROCEDURE_CATALOG (self), NULL);
  return self->problems;
}

const EsaProcedureProblem *
esa_procedure_catalog_find_problem (EsaProcedureCatalog *self,
                                    const char          *procedure_id)
{
  g_return_val_if_fail (ESA_IS_PROCEDURE_CATALOG (self), NULL);

  if (procedure_id == NULL)
    return NULL;

  for (guint i = 0; i < self->problems->len; i++)
    {
      const EsaProcedureProblem *problem = g_ptr_array_index (self->problems, i);

      if (g_strcmp0 (problem->procedure_id, procedure_id) == 0)
        return problem;
    }
  return NULL;
}
