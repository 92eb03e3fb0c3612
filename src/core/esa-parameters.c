#include "esa-config.h"

#include "esa-parameters.h"
#include "esa-calendar-private.h"
#include "esa-core-error.h"
#include "esa-date.h"
#include "esa-json-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

typedef struct
{
  char     *body_id;    /* NULL: every body */
  GDate     from;
  GDate     to;         /* invalid: open-ended */
  JsonNode *value;
  char     *where;      /* "file.json: $.tables[0].entries[3]", for messages */
} Entry;

typedef struct
{
  char      *name;
  char      *unit;
  char      *currency;
  char      *where;
  GPtrArray *entries;   /* of Entry */
} Table;

typedef struct
{
  EsaCalendar *calendar;
  char        *where;
} CalendarSlot;

struct _EsaParameters
{
  GObject     parent_instance;

  GHashTable *tables;     /* name -> Table */
  GPtrArray  *calendars;  /* of CalendarSlot */
};

G_DEFINE_FINAL_TYPE (EsaParameters, esa_parameters, G_TYPE_OBJECT)

static const char * const integer_units[] = {
  "ppm", "minor", "days", "months", "years", "count", NULL,
};

static const char * const all_units[] = {
  "ppm", "minor", "days", "months", "years", "count", "text", "bands", "object", NULL,
};

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_free (entry->body_id);
  g_clear_pointer (&entry->value, json_node_unref);
  g_free (entry->where);
  g_free (entry);
}

static void
table_free (gpointer data)
{
  Table *table = data;

  g_free (table->name);
  g_free (table->unit);
  g_free (table->currency);
  g_free (table->where);
  g_clear_pointer (&table->entries, g_ptr_array_unref);
  g_free (table);
}

static void
calendar_slot_free (gpointer data)
{
  CalendarSlot *slot = data;

  g_clear_object (&slot->calendar);
  g_free (slot->where);
  g_free (slot);
}

static void
esa_parameters_finalize (GObject *object)
{
  EsaParameters *self = ESA_PARAMETERS (object);

  g_clear_pointer (&self->tables, g_hash_table_unref);
  g_clear_pointer (&self->calendars, g_ptr_array_unref);

  G_OBJECT_CLASS (esa_parameters_parent_class)->finalize (object);
}

static void
esa_parameters_class_init (EsaParametersClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = esa_parameters_finalize;
}

static void
esa_parameters_init (EsaParameters *self)
{
  self->tables = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, table_free);
  self->calendars = g_ptr_array_new_with_free_func (calendar_slot_free);
}

char *
esa_data_dir (const char *subdir)
{
  const char *env = g_getenv ("ESATTORE_DATADIR");
  g_autofree char *installed = NULL;

  if (env != NULL && *env != '\0')
    return g_build_filename (env, subdir, NULL);

  installed = g_build_filename (PKGDATADIR, subdir, NULL);
#if DEVELOPMENT_BUILD
  /* A development build runs from its build folder before it is installed. */
  if (!g_file_test (installed, G_FILE_TEST_IS_DIR))
    return g_build_filename (SOURCE_DATADIR, subdir, NULL);
#endif
  return g_steal_pointer (&installed);
}

EsaParameters *
esa_parameters_new (void)
{
  return g_object_new (ESA_TYPE_PARAMETERS, NULL);
}

/* ---- reading ----------------------------------------------------------- */

/* What one load adds, kept apart until every file has been checked. */
typedef struct
{
  GPtrArray *tables;     /* of Table */
  GPtrArray *calendars;  /* of CalendarSlot */
} Staging;

static char *
where (EsaJsonCheck *check)
{
  return g_strdup_printf ("%s: %s", check->file, check->path->str);
}

static gboolean
node_is_int (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64;
}

/* Bands: [{ "up_to": 10000, "fee": 700 }, …, { "up_to": null, "fee": 40000 }],
 * ascending, every band with the same whole-number members, the last one
 * open so that every amount falls in a band. */
static void
check_bands (EsaJsonCheck *check,
             JsonNode     *value)
{
  JsonArray *bands;
  g_autoptr(GList) first_members = NULL;
  gint64 previous = G_MININT64;
  guint n;

  if (!JSON_NODE_HOLDS_ARRAY (value) || json_array_get_length (json_node_get_array (value)) == 0)
    {
      _esa_json_check_problem (check, "value", _("bands must be a non-empty array"));
      return;
    }

  bands = json_node_get_array (value);
  n = json_array_get_length (bands);
  _esa_json_check_push_member (check, "value");
  for (guint i = 0; i < n; i++)
    {
      JsonObject *band = _esa_json_element_object (check, bands, i);
      JsonNode *up_to;
      g_autoptr(GList) members = NULL;

      if (band == NULL)
        continue;

      _esa_json_check_push_index (check, i);
      up_to = json_object_get_member (band, "up_to");
      members = json_object_get_members (band);

      if (up_to == NULL)
        _esa_json_check_problem (check, NULL, _("the member “%s” is missing"), "up_to");
      else if (JSON_NODE_HOLDS_NULL (up_to))
        {
          if (i != n - 1)
            _esa_json_check_problem (check, "up_to", _("only the last band can be open (null)"));
        }
      else if (!node_is_int (up_to))
        _esa_json_check_problem (check, "up_to", _("must be a whole number or null"));
      else
        {
          if (json_node_get_int (up_to) <= previous)
            _esa_json_check_problem (check, "up_to", _("bands must be in ascending order"));
          previous = json_node_get_int (up_to);
          if (i == n - 1)
            _esa_json_check_problem (check, "up_to",
                                     _("the last band must be open (null) so that every "
                                       "amount has a band"));
        }

      for (GList *l = members; l != NULL; l = l->next)
        if (strcmp (l->data, "up_to") != 0 && !node_is_int (json_object_get_member (band, l->data)))
          _esa_json_check_problem (check, l->data, _("must be a whole number"));

      if (i == 0)
        first_members = g_steal_pointer (&members);
      else if (g_list_length (members) != g_list_length (first_members))
        _esa_json_check_problem (check, NULL, _("every band must have the same members"));
      else
        for (GList *l = first_members; l != NULL; l = l->next)
          if (!json_object_has_member (band, l->data))
            _esa_json_check_problem (check, NULL, _("every band must have the same members"));

      _esa_json_check_pop (check);
    }
  _esa_json_check_pop (check);
}

static void
check_value (EsaJsonCheck *check,
             const char   *unit,
             JsonNode     *value)
{
  if (g_strv_contains (integer_units, unit))
    {
      if (!node_is_int (value))
        _esa_json_check_problem (check, "value", _("a value in %s must be a whole number"), unit);
      else if (json_node_get_int (value) < 0)
        _esa_json_check_problem (check, "value", _("must not be negative"));
    }
  else if (strcmp (unit, "text") == 0)
    {
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
        _esa_json_check_problem (check, "value", _("must be a string"));
    }
  else if (strcmp (unit, "bands") == 0)
    check_bands (check, value);
  else if (strcmp (unit, "object") == 0)
    {
      g_autoptr(GList) members = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (value))
        {
          _esa_json_check_problem (check, "value", _("must be an object"));
          return;
        }
      members = json_object_get_members (json_node_get_object (value));
      _esa_json_check_push_member (check, "value");
      for (GList *l = members; l != NULL; l = l->next)
        if (!node_is_int (json_object_get_member (json_node_get_object (value), l->data)))
          _esa_json_check_problem (check, l->data, _("must be a whole number"));
      _esa_json_check_pop (check);
    }
}

static Table *
read_table (EsaJsonCheck *check,
            JsonObject   *object)
{
  static const char * const members[] = {
    "name", "unit", "currency", "description", "source", "entries", NULL,
  };
  static const char * const entry_members[] = {
    "valid_from", "valid_to", "body", "value", "source", NULL,
  };
  Table *table;
  const char *name, *unit;
  JsonArray *entries;

  _esa_json_check_members (check, object, members);
  name = _esa_json_string (check, object, "name", TRUE);
  unit = _esa_json_string (check, object, "unit", TRUE);
  entries = _esa_json_array (check, object, "entries", TRUE);

  if (unit != NULL && !g_strv_contains (all_units, unit))
    {
      g_autofree char *list = g_strjoinv (", ", (char **) all_units);

      _esa_json_check_problem (check, "unit", _("unknown unit “%s” (known: %s)"), unit, list);
      unit = NULL;
    }

  if (name == NULL || unit == NULL || entries == NULL)
    return NULL;

  table = g_new0 (Table, 1);
  table->name = g_strdup (name);
  table->unit = g_strdup (unit);
  table->currency = g_strdup (_esa_json_string (check, object, "currency", FALSE));
  table->where = where (check);
  table->entries = g_ptr_array_new_with_free_func (entry_free);

  if (strcmp (unit, "minor") == 0 && table->currency == NULL)
    _esa_json_check_problem (check, NULL, _("a table of amounts needs a “currency”"));

  _esa_json_check_push_member (check, "entries");
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *object_i = _esa_json_element_object (check, entries, i);
      Entry *entry;
      JsonNode *value;

      if (object_i == NULL)
        continue;

      _esa_json_check_push_index (check, i);
      _esa_json_check_members (check, object_i, entry_members);

      entry = g_new0 (Entry, 1);
      entry->where = where (check);
      entry->body_id = g_strdup (_esa_json_string (check, object_i, "body", FALSE));
      _esa_json_date (check, object_i, "valid_from", TRUE, &entry->from);
      _esa_json_date (check, object_i, "valid_to", FALSE, &entry->to);
      if (g_date_valid (&entry->from) && g_date_valid (&entry->to)
          && g_date_compare (&entry->to, &entry->from) < 0)
        _esa_json_check_problem (check, "valid_to", _("ends before “valid_from”"));

      value = json_object_get_member (object_i, "value");
      if (value == NULL)
        _esa_json_check_problem (check, NULL, _("the member “%s” is missing"), "value");
      else
        {
          check_value (check, unit, value);
          entry->value = json_node_copy (value);
        }

      if (g_date_valid (&entry->from) && entry->value != NULL)
        g_ptr_array_add (table->entries, entry);
      else
        entry_free (entry);
      _esa_json_check_pop (check);
    }
  _esa_json_check_pop (check);

  return table;
}

static void
read_file (EsaJsonCheck *check,
           JsonNode     *root,
           Staging      *staging)
{
  static const char * const members[] = { "tables", "calendars", "description", NULL };
  JsonObject *object;
  JsonArray *array;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      _esa_json_check_problem (check, NULL, _("must be an object"));
      return;
    }

  object = json_node_get_object (root);
  _esa_json_check_members (check, object, members);

  if ((array = _esa_json_array (check, object, "tables", FALSE)) != NULL)
    {
      _esa_json_check_push_member (check, "tables");
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonObject *table_object = _esa_json_element_object (check, array, i);
          Table *table;

          if (table_object == NULL)
            continue;
          _esa_json_check_push_index (check, i);
          if ((table = read_table (check, table_object)) != NULL)
            g_ptr_array_add (staging->tables, table);
          _esa_json_check_pop (check);
        }
      _esa_json_check_pop (check);
    }

  if ((array = _esa_json_array (check, object, "calendars", FALSE)) != NULL)
    {
      _esa_json_check_push_member (check, "calendars");
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonObject *calendar_object = _esa_json_element_object (check, array, i);
          EsaCalendar *calendar;

          if (calendar_object == NULL)
            continue;
          _esa_json_check_push_index (check, i);
          if ((calendar = _esa_calendar_new_from_json (check, calendar_object)) != NULL)
            {
              CalendarSlot *slot = g_new0 (CalendarSlot, 1);

              slot->calendar = calendar;
              slot->where = where (check);
              g_ptr_array_add (staging->calendars, slot);
            }
          _esa_json_check_pop (check);
        }
      _esa_json_check_pop (check);
    }
}

/* ---- checks across files ------------------------------------------------ */

static gint
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const Entry *x = *(Entry * const *) a;
  const Entry *y = *(Entry * const *) b;

  return g_date_compare (&x->from, &y->from);
}

/* Entries of one body (or of every body) must not overlap. */
static void
check_overlaps (GPtrArray  *problems,
                const char *name,
                GPtrArray  *entries)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_copy (entries, NULL, NULL);

  g_ptr_array_sort (sorted, compare_entries);
  for (guint i = 0; i < sorted->len; i++)
    for (guint j = i + 1; j < sorted->len; j++)
      {
        const Entry *a = g_ptr_array_index (sorted, i);
        const Entry *b = g_ptr_array_index (sorted, j);

        if (g_strcmp0 (a->body_id, b->body_id) != 0)
          continue;
        if (!g_date_valid (&a->to) || g_date_compare (&b->from, &a->to) <= 0)
          g_ptr_array_add (problems,
                           g_strdup_printf (_("%s: overlaps %s in the table “%s”"),
                                            b->where, a->where, name));
      }
}

static CalendarSlot *
find_calendar_slot (GPtrArray  *slots,
                    const char *id,
                    const char *body_id)
{
  for (guint i = 0; i < slots->len; i++)
    {
      CalendarSlot *slot = g_ptr_array_index (slots, i);

      if (g_strcmp0 (esa_calendar_get_id (slot->calendar), id) == 0
          && g_strcmp0 (esa_calendar_get_body_id (slot->calendar), body_id) == 0)
        return slot;
    }
  return NULL;
}

static void
check_across (EsaParameters *self,
              Staging       *staging,
              GPtrArray     *problems)
{
  g_autoptr(GHashTable) merged = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                        (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) all_calendars = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key, value;

  /* Tables: the same unit and currency wherever a table is named, and no
   * overlapping entries once all are gathered. */
  for (guint i = 0; i < staging->tables->len; i++)
    {
      Table *table = g_ptr_array_index (staging->tables, i);
      Table *known = g_hash_table_lookup (self->tables, table->name);
      GPtrArray *entries = g_hash_table_lookup (merged, table->name);

      for (guint j = 0; known == NULL && j < i; j++)
        {
          Table *other = g_ptr_array_index (staging->tables, j);

          if (strcmp (other->name, table->name) == 0)
            known = other;
        }

      if (known != NULL && (g_strcmp0 (known->unit, table->unit) != 0
                            || g_strcmp0 (known->currency, table->currency) != 0))
        g_ptr_array_add (problems,
                         g_strdup_printf (_("%s: the table “%s” has another unit or currency "
                                            "in %s"), table->where, table->name, known->where));

      if (entries == NULL)
        {
          Table *existing = g_hash_table_lookup (self->tables, table->name);

          entries = g_ptr_array_new ();
          if (existing != NULL)
            g_ptr_array_extend (entries, existing->entries, NULL, NULL);
          g_hash_table_insert (merged, table->name, entries);
        }
      g_ptr_array_extend (entries, table->entries, NULL, NULL);
    }

  g_hash_table_iter_init (&iter, merged);
  while (g_hash_table_iter_next (&iter, &key, &value))
    check_overlaps (problems, key, value);

  /* Calendars: one per id and body; "extends" names a calendar for every
   * body; no calendar extends itself, even through others. */
  for (guint i = 0; i < self->calendars->len; i++)
    g_ptr_array_add (all_calendars, g_ptr_array_index (self->calendars, i));
  for (guint i = 0; i < staging->calendars->len; i++)
    {
      CalendarSlot *slot = g_ptr_array_index (staging->calendars, i);
      CalendarSlot *twin = find_calendar_slot (all_calendars,
                                               esa_calendar_get_id (slot->calendar),
                                               esa_calendar_get_body_id (slot->calendar));

      if (twin != NULL)
        g_ptr_array_add (problems,
                         g_strdup_printf (_("%s: the calendar “%s” is already defined in %s"),
                                          slot->where, esa_calendar_get_id (slot->calendar),
                                          twin->where));
      else
        g_ptr_array_add (all_calendars, slot);
    }

  for (guint i = 0; i < staging->calendars->len; i++)
    {
      CalendarSlot *slot = g_ptr_array_index (staging->calendars, i);
      const char *extends = _esa_calendar_get_extends (slot->calendar);
      CalendarSlot *base;

      if (extends == NULL)
        continue;

      base = find_calendar_slot (all_calendars, extends, NULL);
      if (base == NULL || base == slot)
        g_ptr_array_add (problems,
                         g_strdup_printf (_("%s.extends: unknown calendar “%s”"),
                                          slot->where, extends));
    }

  for (guint i = 0; i < staging->calendars->len; i++)
    {
      CalendarSlot *slot = g_ptr_array_index (staging->calendars, i);
      guint steps = 0;

      for (const char *id = _esa_calendar_get_extends (slot->calendar); id != NULL; steps++)
        {
          CalendarSlot *base = find_calendar_slot (all_calendars, id, NULL);

          if (base == NULL)
            break;
          if (base == slot || steps > all_calendars->len)
            {
              g_ptr_array_add (problems,
                               g_strdup_printf (_("%s.extends: the calendar extends itself"),
                                                slot->where));
              break;
            }
          id = _esa_calendar_get_extends (base->calendar);
        }
    }
}

static void
commit (EsaParameters *self,
        Staging       *staging)
{
  for (guint i = 0; i < staging->tables->len; i++)
    {
      Table *table = g_ptr_array_index (staging->tables, i);
      Table *known = g_hash_table_lookup (self->tables, table->name);

      if (known != NULL)
        {
          g_ptr_array_extend_and_steal (known->entries, g_steal_pointer (&table->entries));
          table->entries = g_ptr_array_new ();
          continue;
        }
      g_ptr_array_index (staging->tables, i) = NULL;
      g_hash_table_insert (self->tables, table->name, table);
    }

  for (guint i = 0; i < staging->calendars->len; i++)
    {
      g_ptr_array_add (self->calendars, g_ptr_array_index (staging->calendars, i));
      g_ptr_array_index (staging->calendars, i) = NULL;
    }

  /* Linked only now that the checks rule out cycles, which references
   * would keep alive for ever. */
  for (guint i = 0; i < self->calendars->len; i++)
    {
      CalendarSlot *slot = g_ptr_array_index (self->calendars, i);
      const char *extends = _esa_calendar_get_extends (slot->calendar);

      if (extends != NULL)
        _esa_calendar_set_base (slot->calendar,
                                find_calendar_slot (self->calendars, extends, NULL)->calendar);
    }
}

static void
table_free_nullable (gpointer data)
{
  if (data != NULL)
    table_free (data);
}

static void
calendar_slot_free_nullable (gpointer data)
{
  if (data != NULL)
    calendar_slot_free (data);
}

static gboolean
load_paths (EsaParameters  *self,
            GPtrArray      *paths,
            GError        **error)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) text = NULL;
  Staging staging;

  staging.tables = g_ptr_array_new_with_free_func (table_free_nullable);
  staging.calendars = g_ptr_array_new_with_free_func (calendar_slot_free_nullable);

  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      g_autoptr(JsonNode) root = _esa_json_load (path, error);
      EsaJsonCheck check;

      if (root == NULL)
        {
          g_ptr_array_unref (staging.tables);
          g_ptr_array_unref (staging.calendars);
          return FALSE;
        }

      _esa_json_check_init (&check, path);
      read_file (&check, root, &staging);
      g_ptr_array_extend_and_steal (problems, g_steal_pointer (&check.problems));
      _esa_json_check_clear (&check);
    }

  if (problems->len == 0)
    check_across (self, &staging, problems);

  if (problems->len == 0)
    commit (self, &staging);

  g_ptr_array_unref (staging.tables);
  g_ptr_array_unref (staging.calendars);

  if (problems->len == 0)
    return TRUE;

  text = g_string_new (NULL);
  for (guint i = 0; i < problems->len; i++)
    g_string_append_printf (text, "%s%s", i > 0 ? "\n" : "",
                            (char *) g_ptr_array_index (problems, i));
  g_set_error_literal (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID, text->str);
  return FALSE;
}

gboolean
esa_parameters_load_file (EsaParameters  *self,
                          const char     *path,
                          GError        **error)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new ();

  g_return_val_if_fail (ESA_IS_PARAMETERS (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_ptr_array_add (paths, (gpointer) path);
  return load_paths (self, paths, error);
}

gboolean
esa_parameters_load_dir (EsaParameters  *self,
                         const char     *dir,
                         GError        **error)
{
  g_autoptr(GPtrArray) paths = NULL;

  g_return_val_if_fail (ESA_IS_PARAMETERS (self), FALSE);
  g_return_val_if_fail (dir != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  paths = _esa_json_files_in (dir, error);
  if (paths == NULL)
    return FALSE;
  return load_paths (self, paths, error);
}

EsaParameters *
esa_parameters_load_default (GError **error)
{
  g_autoptr(EsaParameters) self = esa_parameters_new ();
  g_autofree char *dir = esa_data_dir ("parameters");

  if (!esa_parameters_load_dir (self, dir, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* ---- lookups ----------------------------------------------------------- */

gboolean
esa_parameters_has_table (EsaParameters *self,
                          const char    *name)
{
  g_return_val_if_fail (ESA_IS_PARAMETERS (self), FALSE);

  return g_hash_table_contains (self->tables, name);
}

const char *
esa_parameters_get_unit (EsaParameters *self,
                         const char    *name)
{
  Table *table;

  g_return_val_if_fail (ESA_IS_PARAMETERS (self), NULL);

  table = g_hash_table_lookup (self->tables, name);
  return table != NULL ? table->unit : NULL;
}

const char *
esa_parameters_get_currency (EsaParameters *self,
                             const char    *name)
{
  Table *table;

  g_return_val_if_fail (ESA_IS_PARAMETERS (self), NULL);

  table = g_hash_table_lookup (self->tables, name);
  return table != NULL ? table->currency : NULL;
}

static gboolean
covers (const Entry *entry,
        const GDate *date)
{
  return g_date_compare (date, &entry->from) >= 0
         && (!g_date_valid (&entry->to) || g_date_compare (date, &entry->to) <= 0);
}

JsonNode *
esa_parameters_lookup (EsaParameters  *self,
                       const char     *name,
                       const GDate    *date,
                       const char     *body_id,
                       GDate          *out_valid_to,
                       GError        **error)
{
  const Entry *found = NULL;
  GDate valid_to;
  Table *table;

  g_return_val_if_fail (ESA_IS_PARAMETERS (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  table = g_hash_table_lookup (self->tables, name);
  if (table == NULL)
    {
      g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID,
                   _("there is no parameter table “%s”"), name);
      return NULL;
    }

  if (body_id != NULL)
    for (guint i = 0; i < table->entries->len && found == NULL; i++)
      {
        const Entry *entry = g_ptr_array_index (table->entries, i);

        if (g_strcmp0 (entry->body_id, body_id) == 0 && covers (entry, date))
          found = entry;
      }

  if (found != NULL)
    valid_to = found->to;
  else
    {
      for (guint i = 0; i < table->entries->len && found == NULL; i++)
        {
          const Entry *entry = g_ptr_array_index (table->entries, i);

          if (entry->body_id == NULL && covers (entry, date))
            found = entry;
        }

      if (found == NULL)
        {
          g_autofree char *iso = esa_date_to_iso (date);

          g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_RANGE,
                       _("the parameter table “%s” has no value for %s"), name, iso);
          return NULL;
        }

      /* The common value holds only until the body's own entry starts. */
      valid_to = found->to;
      for (guint i = 0; body_id != NULL && i < table->entries->len; i++)
        {
          const Entry *entry = g_ptr_array_index (table->entries, i);

          if (g_strcmp0 (entry->body_id, body_id) == 0
              && g_date_compare (&entry->from, date) > 0
              && (!g_date_valid (&valid_to) || g_date_compare (&entry->from, &valid_to) <= 0))
            {
              valid_to = entry->from;
              g_date_subtract_days (&valid_to, 1);
            }
        }
    }

  if (out_valid_to != NULL)
    *out_valid_to = valid_to;
  return found->value;
}

gboolean
esa_parameters_get_int (EsaParameters  *self,
                        const char     *name,
                        const GDate    *date,
                        const char     *body_id,
                        gint64         *out,
                        GError        **error)
{
  JsonNode *node = esa_parameters_lookup (self, name, date, body_id, NULL, error);

  if (node == NULL)
    return FALSE;

  if (!node_is_int (node))
    {
      g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID,
                   _("the parameter table “%s” does not hold whole numbers"), name);
      return FALSE;
    }

  *out = json_node_get_int (node);
  return TRUE;
}

const char *
esa_parameters_get_text (EsaParameters  *self,
                         const char     *name,
                         const GDate    *date,
                         const char     *body_id,
                         GError        **error)
{
  JsonNode *node = esa_parameters_lookup (self, name, date, body_id, NULL, error);

  if (node == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID,
                   _("the parameter table “%s” does not hold text"), name);
      return NULL;
    }

  return json_node_get_string (node);
}

EsaCalendar *
esa_parameters_get_calendar (EsaParameters *self,
                             const char    *id,
                             const char    *body_id)
{
  CalendarSlot *slot = NULL;

  g_return_val_if_fail (ESA_IS_PARAMETERS (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (body_id != NULL)
    slot = find_calendar_slot (self->calendars, id, body_id);
  if (slot == NULL)
    slot = find_calendar_slot (self->calendars, id, NULL);
  return slot != NULL ? slot->calendar : NULL;
}
