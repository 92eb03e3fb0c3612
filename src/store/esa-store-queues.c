/* esa-store-queues.c: work queues built from the open deadlines of cases,
 * the service levels of the bodies and the open tickets; reassignment and
 * bulk steps with their undo; the team lead's dashboard; the role checks
 * shared with the contact center
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "esa-date.h"
#include "esa-procedure.h"
#include "esa-roles.h"
#include "esa-store-cases.h"
#include "esa-store-queues-private.h"
#include "esa-uuid.h"

#define KIND_MASK_ALL ((1u << ESA_QUEUE_KIND_DEADLINE) | (1u << ESA_QUEUE_KIND_SERVICE_LEVEL) \
                       | (1u << ESA_QUEUE_KIND_TICKET))

/* ---- names ------------------------------------------------------------ */

const char *
esa_queue_kind_to_string (EsaQueueKind kind)
{
  switch (kind)
    {
    case ESA_QUEUE_KIND_DEADLINE:
      return "deadline";
    case ESA_QUEUE_KIND_SERVICE_LEVEL:
      return "service_level";
    case ESA_QUEUE_KIND_TICKET:
      return "ticket";
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
esa_queue_kind_describe (EsaQueueKind kind)
{
  switch (kind)
    {
    case ESA_QUEUE_KIND_DEADLINE:
      return _("Procedure deadline");
    case ESA_QUEUE_KIND_SERVICE_LEVEL:
      return _("Service level");
    case ESA_QUEUE_KIND_TICKET:
      return _("Ticket");
    default:
      g_return_val_if_reached (NULL);
    }
}

static const char * const when_names[] = { "all", "overdue", "today", "week", "later" };

const char *
esa_queue_when_to_string (EsaQueueWhen when)
{
  g_return_val_if_fail ((guint) when < G_N_ELEMENTS (when_names), NULL);
  return when_names[when];
}

gboolean
esa_queue_when_from_string (const char   *name,
                            EsaQueueWhen *out)
{
  guint i;

  if (!_esa_store_name_index (when_names, G_N_ELEMENTS (when_names), name, &i))
    return FALSE;
  *out = (EsaQueueWhen) i;
  return TRUE;
}

const char *
esa_queue_when_describe (EsaQueueWhen when)
{
  switch (when)
    {
    case ESA_QUEUE_WHEN_ALL:
      return _("All");
    case ESA_QUEUE_WHEN_OVERDUE:
      return _("Overdue");
    case ESA_QUEUE_WHEN_TODAY:
      return _("Today");
    case ESA_QUEUE_WHEN_WEEK:
      return _("This week");
    case ESA_QUEUE_WHEN_LATER:
      return _("Later");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
esa_queue_result_to_string (EsaQueueResultCode code)
{
  switch (code)
    {
    case ESA_QUEUE_RESULT_DONE:
      return "done";
    case ESA_QUEUE_RESULT_UNCHANGED:
      return "unchanged";
    case ESA_QUEUE_RESULT_NOT_FOUND:
      return "not_found";
    case ESA_QUEUE_RESULT_REFUSED:
      return "refused";
    case ESA_QUEUE_RESULT_CHANGED:
      return "changed";
    default:
      g_return_val_if_reached (NULL);
    }
}

/* ---- items ------------------------------------------------------------ */

enum
{
  F_ID,
  F_DUE,
  F_OFFICE_ID,
  F_OFFICE_NAME,
  F_BODY_ID,
  F_ASSIGNEE_ID,
  F_ASSIGNEE_NAME,
  F_CASE_ID,
  F_DEBTOR_ID,
  F_DEBTOR_NAME,
  F_ACT_TYPE,
  F_TITLE,
  F_STATE,
  F_REFERENCE,
  F_ASSIGNEE_KEY,
  F_OFFICE_KEY,
  N_FIELDS
};

/* The collation key of @name ("" for none), from a cache of the names seen
 * so far: a queue has many items and few names. */
static const char *
collate_key (GHashTable *cache,
             const char *name)
{
  char *key;

  if (name == NULL)
    return "";
  key = g_hash_table_lookup (cache, name);
  if (key == NULL)
    {
      key = g_utf8_collate_key (name, -1);
      g_hash_table_insert (cache, g_strdup (name), key);
    }
  return key;
}

static GHashTable *
key_cache_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/* The item and its text in one block. */
static EsaQueueItem *
item_new (EsaQueueKind         kind,
          const char * const  *fields,
          guint32              due_julian,
          EsaQueueWhen         when)
{
  gsize lengths[N_FIELDS];
  gsize total = sizeof (EsaQueueItem);
  EsaQueueItem *item;
  char **slots[N_FIELDS];
  char *p;

  for (guint i = 0; i < N_FIELDS; i++)
    {
      lengths[i] = fields[i] != NULL ? strlen (fields[i]) + 1 : 0;
      total += lengths[i];
    }

  item = g_malloc (total);
  item->kind = kind;
  item->due_julian = due_julian;
  item->when = when;
  slots[F_ID] = &item->id;
  slots[F_DUE] = &item->due_on;
  slots[F_OFFICE_ID] = &item->office_id;
  slots[F_OFFICE_NAME] = &item->office_name;
  slots[F_BODY_ID] = &item->body_id;
  slots[F_ASSIGNEE_ID] = &item->assignee_id;
  slots[F_ASSIGNEE_NAME] = &item->assignee_name;
  slots[F_CASE_ID] = &item->case_id;
  slots[F_DEBTOR_ID] = &item->debtor_id;
  slots[F_DEBTOR_NAME] = &item->debtor_name;
  slots[F_ACT_TYPE] = &item->act_type;
  slots[F_TITLE] = &item->title;
  slots[F_STATE] = &item->state;
  slots[F_REFERENCE] = &item->reference;
  slots[F_ASSIGNEE_KEY] = &item->assignee_key;
  slots[F_OFFICE_KEY] = &item->office_key;

  p = (char *) (item + 1);
  for (guint i = 0; i < N_FIELDS; i++)
    {
      if (fields[i] == NULL)
        {
          *slots[i] = NULL;
          continue;
        }
      memcpy (p, fields[i], lengths[i]);
      *slots[i] = p;
      p += lengths[i];
    }
  return item;
}

void
esa_queue_item_free (EsaQueueItem *self)
{
  g_free (self);
}

EsaQueueItem *
esa_queue_item_copy (const EsaQueueItem *self)
{
  const char *fields[N_FIELDS];

  g_return_val_if_fail (self != NULL, NULL);

  fields[F_ID] = self->id;
  fields[F_DUE] = self->due_on;
  fields[F_OFFICE_ID] = self->office_id;
  fields[F_OFFICE_NAME] = self->office_name;
  fields[F_BODY_ID] = self->body_id;
  fields[F_ASSIGNEE_ID] = self->assignee_id;
  fields[F_ASSIGNEE_NAME] = self->assignee_name;
  fields[F_CASE_ID] = self->case_id;
  fields[F_DEBTOR_ID] = self->debtor_id;
  fields[F_DEBTOR_NAME] = self->debtor_name;
  fields[F_ACT_TYPE] = self->act_type;
  fields[F_TITLE] = self->title;
  fields[F_STATE] = self->state;
  fields[F_REFERENCE] = self->reference;
  fields[F_ASSIGNEE_KEY] = self->assignee_key;
  fields[F_OFFICE_KEY] = self->office_key;
  return item_new (self->kind, fields, self->due_julian, self->when);
}

void
esa_queue_item_result_free (EsaQueueItemResult *self)
{
  if (self == NULL)
    return;
  g_free (self->item_id);
  g_free (self->message);
  g_free (self);
}

static EsaQueueItemResult *
result_new (const char         *item_id,
            EsaQueueResultCode  code,
            char               *message)
{
  EsaQueueItemResult *result = g_new0 (EsaQueueItemResult, 1);

  result->item_id = g_strdup (item_id);
  result->code = code;
  result->message = message;
  return result;
}

static gint
compare_text (const char *a,
              const char *b)
{
  /* Absent values (unassigned) sort last. */
  if (a == NULL || b == NULL)
    return (a == NULL) - (b == NULL);
  return g_utf8_collate (a, b);
}

static gint
compare_due_id (const EsaQueueItem *a,
                const EsaQueueItem *b)
{
  if (a->due_julian != b->due_julian)
    return a->due_julian < b->due_julian ? -1 : 1;
  return strcmp (a->id, b->id);
}

gint
esa_queue_item_compare_due (gconstpointer a,
                            gconstpointer b)
{
  return compare_due_id (*(EsaQueueItem * const *) a, *(EsaQueueItem * const *) b);
}

gint
esa_queue_item_compare_assignee (gconstpointer a,
                                 gconstpointer b)
{
  const EsaQueueItem *x = *(EsaQueueItem * const *) a;
  const EsaQueueItem *y = *(EsaQueueItem * const *) b;
  gint order;

  /* Unassigned items last. */
  if ((x->assignee_id == NULL) != (y->assignee_id == NULL))
    return x->assignee_id == NULL ? 1 : -1;
  order = strcmp (x->assignee_key, y->assignee_key);
  if (order == 0)
    order = g_strcmp0 (x->assignee_id, y->assignee_id);
  return order != 0 ? order : compare_due_id (x, y);
}

gint
esa_queue_item_compare_office (gconstpointer a,
                               gconstpointer b)
{
  const EsaQueueItem *x = *(EsaQueueItem * const *) a;
  const EsaQueueItem *y = *(EsaQueueItem * const *) b;
  gint order = strcmp (x->office_key, y->office_key);

  if (order == 0)
    order = g_strcmp0 (x->office_id, y->office_id);
  return order != 0 ? order : compare_due_id (x, y);
}

gint
esa_queue_item_compare_act_type (gconstpointer a,
                                 gconstpointer b)
{
  const EsaQueueItem *x = *(EsaQueueItem * const *) a;
  const EsaQueueItem *y = *(EsaQueueItem * const *) b;
  gint order = g_strcmp0 (x->act_type, y->act_type);

  return order != 0 ? order : compare_due_id (x, y);
}

static gint
compare_when (gconstpointer a,
              gconstpointer b)
{
  const EsaQueueItem *x = *(EsaQueueItem * const *) a;
  const EsaQueueItem *y = *(EsaQueueItem * const *) b;

  /* The when follows the due date, so the due order is the when order. */
  return compare_due_id (x, y);
}

char *
esa_queue_item_group_label (const EsaQueueItem *self,
                            EsaQueueGroup       group)
{
  g_return_val_if_fail (self != NULL, NULL);

  switch (group)
    {
    case ESA_QUEUE_GROUP_NONE:
      return g_strdup ("");
    case ESA_QUEUE_GROUP_OFFICER:
      return g_strdup (self->assignee_name != NULL ? self->assignee_name
                       : self->assignee_id != NULL ? self->assignee_id : _("Unassigned"));
    case ESA_QUEUE_GROUP_OFFICE:
      return g_strdup (self->office_name != NULL ? self->office_name : _("No office"));
    case ESA_QUEUE_GROUP_ACT_TYPE:
      return g_strdup (self->act_type != NULL ? self->act_type : "");
    case ESA_QUEUE_GROUP_WHEN:
      return g_strdup (esa_queue_when_describe (self->when));
    default:
      g_return_val_if_reached (NULL);
    }
}

/* ---- roles ------------------------------------------------------------ */

static GQuark
roles_quark (void)
{
  return g_quark_from_static_string ("esa-store-queues-roles");
}

static EsaRoles *
store_roles (EsaStore *self)
{
  EsaParameters *parameters = _esa_store_get_parameters (self);
  EsaRoles *roles;

  /* Parameters without a roles table (a test's or a tool's own selection)
   * leave the roles to the shipped table. */
  if (parameters == NULL || !esa_parameters_has_table (parameters, "roles." ESA_ACTION_CASE_STEP))
    return esa_roles_get_default ();

  /* Built once per parameters object: a later esa_store_set_procedures()
   * with other parameters builds it again. */
  roles = g_object_get_qdata (G_OBJECT (parameters), roles_quark ());
  if (roles == NULL)
    {
      g_autoptr(GError) error = NULL;

      roles = esa_roles_new (parameters, NULL, &error);
      if (roles == NULL)
        {
          g_warning ("%s", error->message);
          return esa_roles_get_default ();
        }
      g_object_set_qdata_full (G_OBJECT (parameters), roles_quark (), roles, g_object_unref);
    }
  return roles;
}

static char *
acting_role (EsaStore  *self,
             gboolean  *out_known,
             GError   **error)
{
  const char *user_id = esa_store_get_acting_user (self);
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row = FALSE;

  *out_known = FALSE;
  stmt = _esa_store_prepare (self, "SELECT role FROM users WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  _esa_stmt_bind_text (stmt, 1, user_id);
  if (!_esa_store_step (self, stmt, &row, error))
    return NULL;
  *out_known = row;
  return row ? _esa_stmt_dup_text (stmt, 0) : g_strdup ("");
}

gboolean
_esa_store_check_action (EsaStore    *self,
                         const char  *action_id,
                         GError     **error)
{
  const char *user_id = esa_store_get_acting_user (self);
  g_autofree char *role = NULL;
  gboolean known;

  if (user_id == NULL)
    return TRUE;

  role = acting_role (self, &known, error);
  if (role == NULL)
    return FALSE;
  if (!known)
    return _esa_store_fail (error, ESA_STORE_ERROR_FORBIDDEN,
                            _("User %s is not known in this database"),
                            user_id);
  return _esa_store_check_role (self, role, action_id, error);
}

gboolean
_esa_store_check_role (EsaStore    *self,
                       const char  *role,
                       const char  *action_id,
                       GError     **error)
{
  g_autofree char *reason = NULL;

  if (esa_roles_check (store_roles (self), role, action_id, &reason))
    return TRUE;
  return _esa_store_fail (error, ESA_STORE_ERROR_FORBIDDEN, "%s", reason);
}

char *
_esa_store_acting_office (EsaStore *self)
{
  const char *user_id = esa_store_get_acting_user (self);
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row = FALSE;

  if (user_id == NULL)
    return NULL;
  stmt = _esa_store_prepare (self, "SELECT office_id FROM users WHERE id = ?1", NULL);
  if (stmt == NULL)
    return NULL;
  _esa_stmt_bind_text (stmt, 1, user_id);
  if (!_esa_store_step (self, stmt, &row, NULL) || !row)
    return NULL;
  return _esa_stmt_dup_text (stmt, 0);
}

static GQuark
slas_quark (void)
{
  return g_quark_from_static_string ("esa-store-queues-slas");
}

EsaSla *
_esa_store_sla_for (EsaStore   *self,
                    const char *country,
                    const char *body_id)
{
  EsaParameters *parameters = _esa_store_get_parameters (self);
  g_autofree char *key = NULL;
  GHashTable *slas;
  EsaSla *sla;
  gpointer cached;

  if (parameters == NULL || country == NULL)
    return NULL;

  /* Cached on the parameters object, so that new parameters start afresh. */
  slas = g_object_get_qdata (G_OBJECT (parameters), slas_quark ());
  if (slas == NULL)
    {
      slas = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
      g_object_set_qdata_full (G_OBJECT (parameters), slas_quark (), slas,
                               (GDestroyNotify) g_hash_table_unref);
    }
  key = g_strdup_printf ("%s/%s", country, body_id != NULL ? body_id : "");
  if (g_hash_table_lookup_extended (slas, key, NULL, &cached))
    return cached;

  sla = esa_sla_new (parameters, country, body_id, NULL);
  if (sla == NULL)
    return NULL;
  g_hash_table_insert (slas, g_steal_pointer (&key), sla);
  return sla;
}

JsonNode *
_esa_store_queues_row_to_json (EsaStore    *self,
                               const char  *table,
                               const char  *id,
                               GError     **error)
{
  static const char * const tables[] = {
    "tickets", "knowledge_cards", "appointments", "queue_batches", NULL,
  };
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autofree char *sql = NULL;
  gboolean row = FALSE;

  if (!g_strv_contains (tables, table))
    return _esa_store_row_to_json (self, table, id, error);

  /* The table name comes from the list above, never from the caller's data. */
  sql = g_strdup_printf ("SELECT * FROM %s WHERE id = ?1", table);
  stmt = _esa_store_prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;
  _esa_stmt_bind_text (stmt, 1, id);
  if (!_esa_store_step (self, stmt, &row, error))
    return NULL;
  if (!row)
    {
      _esa_store_fail (error, ESA_STORE_ERROR_NOT_FOUND, _("No row %s in %s"), id, table);
      return NULL;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  for (int i = 0; i < sqlite3_column_count (stmt); i++)
    {
      json_builder_set_member_name (builder, sqlite3_column_name (stmt, i));
      switch (sqlite3_column_type (stmt, i))
        {
        case SQLITE_INTEGER:
          json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, i));
          break;
        case SQLITE_FLOAT:
          json_builder_add_double_value (builder, sqlite3_column_double (stmt, i));
          break;
        case SQLITE_NULL:
          json_builder_add_null_value (builder);
          break;
        default:
          json_builder_add_string_value (builder,
                                         (const char *) sqlite3_column_text (stmt, i));
          break;
        }
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* ---- reading the queue ------------------------------------------------- */

typedef struct
{
  const char   *user_id;
  const char   *office_id;
  const char   *body_id;
  gboolean      unassigned;
  EsaQueueWhen  when;
  guint         kinds;
  guint32       today;       /* Julian day */
  char         *lo;          /* due dates from (inclusive), or NULL */
  char         *hi;          /* to (inclusive), or NULL */
  const char   *only_id;     /* one entity (esa_store_queue_get_item()) */
  GDateTime    *now;         /* the SLA moment of tickets */
  GHashTable   *keys;        /* name -> collation key (collate_key()) */
} Query;

static void
query_clear (Query *query)
{
  g_clear_pointer (&query->lo, g_free);
  g_clear_pointer (&query->hi, g_free);
  g_clear_pointer (&query->now, g_date_time_unref);
  g_clear_pointer (&query->keys, g_hash_table_unref);
}

static char *
julian_to_iso (guint32 julian)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, julian);
  return esa_date_to_iso (&date);
}

static guint
two_digits (const char *text)
{
  return (guint) (text[0] - '0') * 10 + (guint) (text[1] - '0');
}

static guint32
iso_to_julian (const char *iso)
{
  guint year, month, day;
  gint64 y, era, year_of_era, day_of_year, day_of_era;

  /* Stored dates are ISO by construction: read the digits directly and
   * count the days with the proleptic Gregorian calendar (Howard Hinnant's
   * days_from_civil), as this runs once per item of a queue of 100,000. */
  if (iso == NULL || strlen (iso) < 10 || !g_ascii_isdigit (iso[0]) || !g_ascii_isdigit (iso[1])
      || !g_ascii_isdigit (iso[2]) || !g_ascii_isdigit (iso[3]) || !g_ascii_isdigit (iso[5])
      || !g_ascii_isdigit (iso[6]) || !g_ascii_isdigit (iso[8]) || !g_ascii_isdigit (iso[9]))
    return 0;
  year = two_digits (iso) * 100 + two_digits (iso + 2);
  month = two_digits (iso + 5);
  day = two_digits (iso + 8);
  if (!g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return 0;

  y = (gint64) year - (month <= 2);
  era = y / 400;
  year_of_era = y - era * 400;
  day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  /* Days from 1970-01-01, made GDate's Julian day (1 is 0001-01-01). */
  return (guint32) (era * 146097 + day_of_era - 719468 + 719163);
}

static EsaQueueWhen
when_of (guint32 due,
         guint32 today)
{
  if (due < today)
    return ESA_QUEUE_WHEN_OVERDUE;
  if (due == today)
    return ESA_QUEUE_WHEN_TODAY;
  if (due <= today + 7)
    return ESA_QUEUE_WHEN_WEEK;
  return ESA_QUEUE_WHEN_LATER;
}

static gboolean
query_init (Query                *query,
            const EsaQueueFilter *filter,
            GError              **error)
{
  GDate today;

  memset (query, 0, sizeof *query);
  query->keys = key_cache_new ();
  g_date_clear (&today, 1);
  if (filter != NULL && filter->today != NULL)
    {
      if (!esa_date_parse_iso (filter->today, &today, NULL))
        return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                                _("“%s” is not a date (YYYY-MM-DD)"),
                                filter->today);
      /* Tickets are measured at noon of the day asked for, so that a queue
       * read for a given day is the same whenever it is read. */
      query->now = g_date_time_new_utc (g_date_get_year (&today), g_date_get_month (&today),
                                        g_date_get_day (&today), 12, 0, 0);
    }
  else
    {
      esa_date_set_today (&today);
      query->now = g_date_time_new_now_local ();
    }
  query->today = g_date_get_julian (&today);

  if (filter != NULL)
    {
      query->user_id = filter->unassigned ? NULL : filter->user_id;
      query->office_id = filter->office_id;
      query->body_id = filter->body_id;
      query->unassigned = filter->unassigned;
      query->when = filter->when;
      query->kinds = filter->kinds;
    }
  if (query->kinds == 0)
    query->kinds = KIND_MASK_ALL;

  switch (query->when)
    {
    case ESA_QUEUE_WHEN_ALL:
      break;
    case ESA_QUEUE_WHEN_OVERDUE:
      query->hi = julian_to_iso (query->today - 1);
      break;
    case ESA_QUEUE_WHEN_TODAY:
      query->lo = julian_to_iso (query->today);
      query->hi = julian_to_iso (query->today);
      break;
    case ESA_QUEUE_WHEN_WEEK:
      query->lo = julian_to_iso (query->today + 1);
      query->hi = julian_to_iso (query->today + 7);
      break;
    case ESA_QUEUE_WHEN_LATER:
      query->lo = julian_to_iso (query->today + 8);
      break;
    default:
      return _esa_store_fail (error, ESA_STORE_ERROR_INVALID, _("Unknown due-date filter %d"),
                              (gint) query->when);
    }
  return TRUE;
}

/* Whether an item computed outside SQL passes the filter. */
static gboolean
query_accepts (const Query *query,
               const char  *assignee_id,
               const char  *office_id,
               const char  *body_id,
               guint32      due)
{
  if (query->unassigned && assignee_id != NULL)
    return FALSE;
  if (query->user_id != NULL && g_strcmp0 (query->user_id, assignee_id) != 0)
    return FALSE;
  if (query->office_id != NULL && g_strcmp0 (query->office_id, office_id) != 0)
    return FALSE;
  if (query->body_id != NULL && g_strcmp0 (query->body_id, body_id) != 0)
    return FALSE;
  return query->when == ESA_QUEUE_WHEN_ALL || when_of (due, query->today) == query->when;
}

static const char *
col (EsaStoreStmt *stmt,
     int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

/* The open deadlines of cases, from the table migration 009 keeps ready:
 * one row per open case with a deadline, its names included, clustered by
 * due date and case id. Reading them all is one ordered scan with no join,
 * and the rows come in the order of esa_queue_item_compare_due(); for one
 * user's items the officer index is the way in (in the same order), for one
 * item its key. */
#define DEADLINES_SQL(hint, id_condition) \
  "SELECT case_id, due_on, office_id, office_name, body_id, " \
  "  officer_id, officer_name, debtor_id, debtor_name, state, label " \
  "FROM queue_deadlines " hint \
  "WHERE (?1 IS NULL OR officer_id = ?1) " \
  "  AND (?2 IS NULL OR office_id = ?2) " \
  "  AND (?3 IS NULL OR body_id = ?3) " \
  "  AND (?4 = 0 OR officer_id IS NULL) " \
  "  AND (?5 IS NULL OR due_on >= ?5) " \
  "  AND (?6 IS NULL OR due_on <= ?6) " \
  "  AND " id_condition " " \
  "ORDER BY due_on, case_id"

static gboolean
read_deadlines (EsaStore    *self,
                const Query *query,
                GPtrArray   *items,
                GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autofree char *label = NULL;
  const char *title = NULL;
  gboolean row;

  stmt = _esa_store_prepare (self,
                             query->only_id != NULL
                             ? DEADLINES_SQL ("INDEXED BY queue_deadlines_case ", "case_id = ?7")
                             : query->user_id != NULL
                             ? DEADLINES_SQL ("INDEXED BY queue_deadlines_officer ", "?7 IS NULL")
                             : DEADLINES_SQL ("", "?7 IS NULL"),
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, query->user_id);
  _esa_stmt_bind_text (stmt, 2, query->office_id);
  _esa_stmt_bind_text (stmt, 3, query->body_id);
  sqlite3_bind_int (stmt, 4, query->unassigned);
  _esa_stmt_bind_text (stmt, 5, query->lo);
  _esa_stmt_bind_text (stmt, 6, query->hi);
  _esa_stmt_bind_text (stmt, 7, query->only_id);

  while (_esa_store_step (self, stmt, &row, error))
    {
      const char *fields[N_FIELDS];
      char id[160];
      gsize id_length;
      guint32 due;

      if (!row)
        return TRUE;
      /* "case:" and the id, without printf: this runs 100,000 times. */
      id_length = MIN (strlen (col (stmt, 0)), sizeof id - sizeof "case:");
      memcpy (id, "case:", strlen ("case:"));
      memcpy (id + strlen ("case:"), col (stmt, 0), id_length);
      id[strlen ("case:") + id_length] = '\0';
      due = iso_to_julian (col (stmt, 1));
      fields[F_ID] = id;
      fields[F_DUE] = col (stmt, 1);
      fields[F_OFFICE_ID] = col (stmt, 2);
      fields[F_OFFICE_NAME] = col (stmt, 3);
      fields[F_BODY_ID] = col (stmt, 4);
      fields[F_ASSIGNEE_ID] = col (stmt, 5);
      fields[F_ASSIGNEE_NAME] = col (stmt, 6);
      fields[F_CASE_ID] = col (stmt, 0);
      fields[F_DEBTOR_ID] = col (stmt, 7);
      fields[F_DEBTOR_NAME] = col (stmt, 8);
      fields[F_ACT_TYPE] = col (stmt, 9);
      fields[F_STATE] = col (stmt, 9);
      /* Deadline labels are stored as the procedure's source text; a row
       * often has the label of the row before, whose translation is kept. */
      if (col (stmt, 10) == NULL)
        fields[F_TITLE] = col (stmt, 9);
      else
        {
          if (label == NULL || strcmp (label, col (stmt, 10)) != 0)
            {
              g_free (label);
              label = g_strdup (col (stmt, 10));
              title = esa_procedure_gettext (label);
            }
          fields[F_TITLE] = title;
        }
      fields[F_REFERENCE] = NULL;
      fields[F_ASSIGNEE_KEY] = collate_key (query->keys, fields[F_ASSIGNEE_NAME]);
      fields[F_OFFICE_KEY] = collate_key (query->keys, fields[F_OFFICE_NAME]);
      g_ptr_array_add (items, item_new (ESA_QUEUE_KIND_DEADLINE, fields, due,
                                        when_of (due, query->today)));
    }
  return FALSE;
}

/* The service levels: each rule's query gives, per entity, the start date
 * of its deadline and what the item shows. Columns: entity id, start date,
 * body, country, reference, assignee (the reassignment, else the default),
 * office, case, debtor, debtor name, state. ?1 restricts to one entity. */
typedef struct
{
  const char *id;
  const char *table;          /* after the country prefix; in days or months */
  const char *title;          /* with the reference */
  const char *sql;
} ServiceLevel;

static const ServiceLevel service_levels[] = {
  {
    "load_list_verify", "queue.load_list_verify.days",
    /* Translators: a work queue item; %s is a load list's reference */
    N_("Verify load list %s"),
    "SELECT l.id, l.received_on, l.body_id, b.country, l.reference, "
    "  CASE WHEN qa.item_id IS NULL THEN l.imported_by ELSE qa.user_id END, "
    "  (SELECT ob.office_id FROM office_bodies ob WHERE ob.body_id = l.body_id "
    "   ORDER BY ob.office_id LIMIT 1), "
    "  NULL, NULL, NULL, l.state "
    "FROM load_lists l JOIN bodies b ON b.id = l.body_id "
    "LEFT JOIN queue_assignments qa ON qa.item_id = 'sl:load_list_verify:' || l.id "
    "WHERE l.state = 'imported' AND (?1 IS NULL OR l.id = ?1)",
  },
  {
    "renotify", "queue.renotify.days",
    /* Translators: a work queue item; %s is an act number */
    N_("Notify act %s again"),
    "SELECT a.id, n.failed_on, c.body_id, b.country, a.number, "
    "  CASE WHEN qa.item_id IS NULL THEN c.officer_id ELSE qa.user_id END, "
    "  c.office_id, c.id, a.debtor_id, d.name, n.state "
    "FROM notifications n JOIN acts a ON a.id = n.act_id JOIN cases c ON c.id = a.case_id "
    "JOIN bodies b ON b.id = c.body_id JOIN debtors d ON d.id = a.debtor_id "
    "LEFT JOIN queue_assignments qa ON qa.item_id = 'sl:renotify:' || a.id "
    "WHERE n.state = 'failed' AND n.failed_on IS NOT NULL AND c.closed_on IS NULL "
    "  AND n.attempt = (SELECT max(n2.attempt) FROM notifications n2 WHERE n2.act_id = a.id) "
    "  AND (?1 IS NULL OR a.id = ?1)",
  },
  {
    "reconcile", "queue.reconcile.days",
    /* Translators: a work queue item; %s is a payment reference */
    N_("Reconcile payment %s"),
    "SELECT p.id, COALESCE(substr(f.imported_at, 1, 10), p.paid_on), p.body_id, b.country, "
    "  COALESCE(p.reference, p.id), "
    "  CASE WHEN qa.item_id IS NULL THEN p.handled_by ELSE qa.user_id END, "
    "  (SELECT ob.office_id FROM office_bodies ob WHERE ob.body_id = p.body_id "
    "   ORDER BY ob.office_id LIMIT 1), "
    "  NULL, p.debtor_id, d.name, p.state "
    "FROM payments p JOIN bodies b ON b.id = p.body_id "
    "LEFT JOIN payment_flows f ON f.id = p.flow_id "
    "LEFT JOIN debtors d ON d.id = p.debtor_id "
    "LEFT JOIN queue_assignments qa ON qa.item_id = 'sl:reconcile:' || p.id "
    "WHERE p.state = 'unmatched' AND (?1 IS NULL OR p.id = ?1)",
  },
  {
    "print", "queue.print.days",
    /* Translators: a work queue item; %s is a load list's reference */
    N_("Print the injunctions of load list %s"),
    /* Approved, with an open case whose first act (the injunction, which
     * the print batch renders) is not issued yet. */
    "SELECT l.id, l.approved_on, l.body_id, b.country, l.reference, "
    "  CASE WHEN qa.item_id IS NULL THEN l.imported_by ELSE qa.user_id END, "
    "  (SELECT ob.office_id FROM office_bodies ob WHERE ob.body_id = l.body_id "
    "   ORDER BY ob.office_id LIMIT 1), "
    "  NULL, NULL, NULL, l.state "
    "FROM load_lists l JOIN bodies b ON b.id = l.body_id "
    "LEFT JOIN queue_assignments qa ON qa.item_id = 'sl:print:' || l.id "
    "WHERE l.state = 'approved' AND l.approved_on IS NOT NULL "
    "  AND EXISTS (SELECT 1 FROM positions p "
    "    JOIN case_positions cp ON cp.position_id = p.id JOIN cases c ON c.id = cp.case_id "
    "    WHERE p.load_list_id = l.id AND c.closed_on IS NULL "
    "      AND NOT EXISTS (SELECT 1 FROM acts a WHERE a.case_id = c.id)) "
    "  AND (?1 IS NULL OR l.id = ?1)",
  },
  {
    "insolvency_claim", "queue.insolvency_claim.days",
    /* Translators: a work queue item; %s is a debtor's name */
    N_("File the insolvency claim against %s"),
    /* An open case of an insolvent debtor without a claim filed since. */
    "SELECT c.id, d.insolvent_since, c.body_id, b.country, d.name, "
    "  CASE WHEN qa.item_id IS NULL THEN c.officer_id ELSE qa.user_id END, "
    "  c.office_id, c.id, c.debtor_id, d.name, c.state "
    "FROM debtors d JOIN cases c ON c.debtor_id = d.id JOIN bodies b ON b.id = c.body_id "
    "LEFT JOIN queue_assignments qa ON qa.item_id = 'sl:insolvency_claim:' || c.id "
    "WHERE d.insolvent_since IS NOT NULL AND c.closed_on IS NULL "
    "  AND NOT EXISTS (SELECT 1 FROM acts a WHERE a.case_id = c.id "
    "                  AND a.type = 'insolvency_claim' AND a.issued_on >= d.insolvent_since) "
    "  AND (?1 IS NULL OR c.id = ?1)",
  },
  {
    "conclude", "queue.conclude.months",
    /* Translators: a work queue item; %s is an act number */
    N_("Conclude the case of injunction %s"),
    /* An open case from the first delivery of its injunction. */
    "SELECT c.id, min(n.delivered_on), c.body_id, b.country, a.number, "
    "  CASE WHEN qa.item_id IS NULL THEN c.officer_id ELSE qa.user_id END, "
    "  c.office_id, c.id, c.debtor_id, d.name, c.state "
    "FROM acts a JOIN cases c ON c.id = a.case_id "
    "JOIN notifications n ON n.act_id = a.id "
    "JOIN bodies b ON b.id = c.body_id JOIN debtors d ON d.id = c.debtor_id "
    "LEFT JOIN queue_assignments qa ON qa.item_id = 'sl:conclude:' || c.id "
    "WHERE a.type = 'injunction' AND n.state = 'delivered' AND n.delivered_on IS NOT NULL "
    "  AND c.closed_on IS NULL AND (?1 IS NULL OR c.id = ?1) "
    "GROUP BY c.id",
  },
};

static gboolean
lookup_name (EsaStore    *self,
             const char  *sql,
             const char  *id,
             char       **out_name)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row = FALSE;

  *out_name = NULL;
  if (id == NULL)
    return TRUE;
  stmt = _esa_store_prepare (self, sql, NULL);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, id);
  if (!_esa_store_step (self, stmt, &row, NULL))
    return FALSE;
  if (row)
    *out_name = _esa_stmt_dup_text (stmt, 0);
  return TRUE;
}

static gboolean
read_service_level (EsaStore           *self,
                    const ServiceLevel *level,
                    const Query        *query,
                    GPtrArray          *items,
                    GError            **error)
{
  EsaParameters *parameters = _esa_store_get_parameters (self);
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row;

  if (parameters == NULL)
    return TRUE;

  stmt = _esa_store_prepare (self, level->sql, error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, query->only_id);

  while (_esa_store_step (self, stmt, &row, error))
    {
      g_autofree char *table = NULL;
      g_autofree char *lower = NULL;
      g_autofree char *id = NULL;
      g_autofree char *due_on = NULL;
      g_autofree char *title = NULL;
      g_autofree char *assignee_name = NULL;
      g_autofree char *office_name = NULL;
      const char *fields[N_FIELDS];
      gint64 length;
      guint32 start, due;
      GDate date;

      if (!row)
        return TRUE;
      start = iso_to_julian (col (stmt, 1));
      if (start == 0 || col (stmt, 3) == NULL)
        continue;
      lower = g_ascii_strdown (col (stmt, 3), -1);
      table = g_strconcat (lower, ".", level->table, NULL);
      if (!esa_parameters_has_table (parameters, table))
        continue;
      g_date_clear (&date, 1);
      g_date_set_julian (&date, start);
      /* A rule not in force on the start day does not apply. */
      if (!esa_parameters_get_int (parameters, table, &date, col (stmt, 2), &length, NULL)
          || length < 0)
        continue;
      /* A table counts days or calendar months ("24 months after"). */
      if (g_strcmp0 (esa_parameters_get_unit (parameters, table), "months") == 0)
        g_date_add_months (&date, (guint) length);
      else
        g_date_add_days (&date, (guint) length);
      due = g_date_get_julian (&date);
      if (!query_accepts (query, col (stmt, 5), col (stmt, 6), col (stmt, 2), due))
        continue;

      if (!lookup_name (self, "SELECT name FROM users WHERE id = ?1", col (stmt, 5),
                        &assignee_name)
          || !lookup_name (self, "SELECT name FROM offices WHERE id = ?1", col (stmt, 6),
                           &office_name))
        return _esa_store_fail (error, ESA_STORE_ERROR_IO,
                                _("Could not read the names of a queue item"));

      id = g_strdup_printf ("sl:%s:%s", level->id, col (stmt, 0));
      due_on = julian_to_iso (due);
      title = g_strdup_printf (_(level->title), col (stmt, 4));
      fields[F_ID] = id;
      fields[F_DUE] = due_on;
      fields[F_OFFICE_ID] = col (stmt, 6);
      fields[F_OFFICE_NAME] = office_name;
      fields[F_BODY_ID] = col (stmt, 2);
      fields[F_ASSIGNEE_ID] = col (stmt, 5);
      fields[F_ASSIGNEE_NAME] = assignee_name;
      fields[F_CASE_ID] = col (stmt, 7);
      fields[F_DEBTOR_ID] = col (stmt, 8);
      fields[F_DEBTOR_NAME] = col (stmt, 9);
      fields[F_ACT_TYPE] = level->id;
      fields[F_TITLE] = title;
      fields[F_STATE] = col (stmt, 10);
      fields[F_REFERENCE] = col (stmt, 4);
      fields[F_ASSIGNEE_KEY] = collate_key (query->keys, fields[F_ASSIGNEE_NAME]);
      fields[F_OFFICE_KEY] = collate_key (query->keys, fields[F_OFFICE_NAME]);
      g_ptr_array_add (items, item_new (ESA_QUEUE_KIND_SERVICE_LEVEL, fields, due,
                                        when_of (due, query->today)));
    }
  return FALSE;
}

/* The local date of @moment as a Julian day. */
static guint32
moment_julian (GDateTime *moment)
{
  GDate date;
  gint year, month, day;

  g_date_time_get_ymd (moment, &year, &month, &day);
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  return g_date_get_julian (&date);
}

/* A ticket is due on the day its SLA runs out; without an SLA, on the day
 * it was opened. */
static gboolean
read_tickets (EsaStore    *self,
              const Query *query,
              GPtrArray   *items,
              GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  gboolean row = FALSE;
  gboolean ok;

  stmt = _esa_store_prepare (self,
                             "SELECT t.id, t.reference, t.subject, t.status, t.owner_id, u.name, "
                             "  t.office_id, o.name, t.body_id, t.debtor_id, d.name, "
                             "  t.opened_at, t.sla_target_s, t.level "
                             "FROM tickets t JOIN debtors d ON d.id = t.debtor_id "
                             "LEFT JOIN users u ON u.id = t.owner_id "
                             "LEFT JOIN offices o ON o.id = t.office_id "
                             "WHERE t.status <> 'closed' AND (?1 IS NULL OR t.id = ?1)",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, query->only_id);

  /* Read first: computing the SLA reads the events with other statements. */
  while ((ok = _esa_store_step (self, stmt, &row, error)) && row)
    {
      char **values = g_new0 (char *, 15);

      for (int i = 0; i < 14; i++)
        values[i] = _esa_stmt_dup_text (stmt, i);
      g_ptr_array_add (rows, values);
    }
  if (!ok)
    return FALSE;
  g_clear_pointer (&stmt, _esa_store_stmt_release);

  for (guint r = 0; r < rows->len; r++)
    {
      char **v = g_ptr_array_index (rows, r);
      g_autoptr(GDateTime) due_at = NULL;
      g_autofree char *id = NULL;
      g_autofree char *due_on = NULL;
      g_autofree char *title = NULL;
      const char *fields[N_FIELDS];
      gint64 elapsed = 0;
      gboolean paused = FALSE;
      guint32 due;

      if (!_esa_store_ticket_sla (self, v[0], v[8], g_ascii_strtoll (v[12], NULL, 10),
                                  query->now, &elapsed, &due_at, &paused, error))
        return FALSE;
      due = due_at != NULL ? moment_julian (due_at) : iso_to_julian (v[11]);
      if (!query_accepts (query, v[4], v[6], v[8], due))
        continue;

      id = g_strdup_printf ("ticket:%s", v[0]);
      due_on = julian_to_iso (due);
      /* Translators: a work queue item: a ticket's reference and subject */
      title = g_strdup_printf (_("%s: %s"), v[1], v[2]);
      fields[F_ID] = id;
      fields[F_DUE] = due_on;
      fields[F_OFFICE_ID] = v[6];
      fields[F_OFFICE_NAME] = v[7];
      fields[F_BODY_ID] = v[8];
      fields[F_ASSIGNEE_ID] = v[4];
      fields[F_ASSIGNEE_NAME] = v[5];
      fields[F_CASE_ID] = NULL;
      fields[F_DEBTOR_ID] = v[9];
      fields[F_DEBTOR_NAME] = v[10];
      fields[F_ACT_TYPE] = "ticket";
      fields[F_TITLE] = title;
      fields[F_STATE] = v[3];
      fields[F_REFERENCE] = v[1];
      fields[F_ASSIGNEE_KEY] = collate_key (query->keys, fields[F_ASSIGNEE_NAME]);
      fields[F_OFFICE_KEY] = collate_key (query->keys, fields[F_OFFICE_NAME]);
      g_ptr_array_add (items, item_new (ESA_QUEUE_KIND_TICKET, fields, due,
                                        when_of (due, query->today)));
    }
  return TRUE;
}

/* Reads the items of @query into @items; the first *out_n_due of them
 * (the case deadlines) are in the order of esa_queue_item_compare_due(). */
static gboolean
read_items (EsaStore    *self,
            const Query *query,
            GPtrArray   *items,
            guint       *out_n_due,
            GError     **error)
{
  gboolean ok = TRUE;

  *out_n_due = 0;
  if (!_esa_store_read_begin (self, error))
    return FALSE;
  if (ok && (query->kinds & (1u << ESA_QUEUE_KIND_DEADLINE)) != 0)
    ok = read_deadlines (self, query, items, error);
  *out_n_due = items->len;
  for (guint i = 0; ok && i < G_N_ELEMENTS (service_levels); i++)
    if ((query->kinds & (1u << ESA_QUEUE_KIND_SERVICE_LEVEL)) != 0)
      ok = read_service_level (self, &service_levels[i], query, items, error);
  if (ok && (query->kinds & (1u << ESA_QUEUE_KIND_TICKET)) != 0)
    ok = read_tickets (self, query, items, error);
  _esa_store_read_end (self);
  return ok;
}

static GCompareFunc
group_order (EsaQueueGroup group)
{
  switch (group)
    {
    case ESA_QUEUE_GROUP_OFFICER:
      return esa_queue_item_compare_assignee;
    case ESA_QUEUE_GROUP_OFFICE:
      return esa_queue_item_compare_office;
    case ESA_QUEUE_GROUP_ACT_TYPE:
      return esa_queue_item_compare_act_type;
    case ESA_QUEUE_GROUP_WHEN:
      return compare_when;
    case ESA_QUEUE_GROUP_NONE:
    default:
      return esa_queue_item_compare_due;
    }
}

/* Sorts @items by @group. The first @n_due items are already in due order,
 * and so in the order of the groups that follow the due date (none, when):
 * then only the others are sorted and the two runs merged, which for a
 * queue of 100,000 deadlines and a few hundred other items is a pass
 * rather than a sort. */
static void
sort_items (GPtrArray     *items,
            guint          n_due,
            EsaQueueGroup  group)
{
  GCompareFunc order = group_order (group);
  gpointer *merged;
  guint i, j, k;

  if (group != ESA_QUEUE_GROUP_NONE && group != ESA_QUEUE_GROUP_WHEN)
    {
      g_ptr_array_sort (items, order);
      return;
    }
  if (n_due == items->len)
    return;

  qsort (items->pdata + n_due, items->len - n_due, sizeof (gpointer), order);
  merged = g_new (gpointer, items->len);
  for (i = 0, j = n_due, k = 0; i < n_due || j < items->len; k++)
    {
      if (j == items->len || (i < n_due && order (&items->pdata[i], &items->pdata[j]) <= 0))
        merged[k] = items->pdata[i++];
      else
        merged[k] = items->pdata[j++];
    }
  memcpy (items->pdata, merged, items->len * sizeof (gpointer));
  g_free (merged);
}

GPtrArray *
esa_store_queue_items (EsaStore             *self,
                       const EsaQueueFilter *filter,
                       GError              **error)
{
  g_autoptr(GPtrArray) items = NULL;
  const char *acting = NULL;
  Query query;
  guint n_due;
  gboolean own;
  gboolean ok;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);

  acting = esa_store_get_acting_user (self);
  own = filter != NULL && !filter->unassigned && filter->user_id != NULL
        && g_strcmp0 (filter->user_id, acting) == 0;
  if (!_esa_store_check_action (self, own ? ESA_ACTION_QUEUE_VIEW_OWN : ESA_ACTION_QUEUE_VIEW_TEAM,
                                error))
    return NULL;

  if (!query_init (&query, filter, error))
    {
      query_clear (&query);
      return NULL;
    }
  items = g_ptr_array_new_with_free_func ((GDestroyNotify) esa_queue_item_free);
  ok = read_items (self, &query, items, &n_due, error);
  query_clear (&query);
  if (!ok)
    return NULL;

  sort_items (items, n_due, filter != NULL ? filter->group : ESA_QUEUE_GROUP_NONE);
  return g_steal_pointer (&items);
}

/* The item @item_id as the queue shows it, without a role check; NULL
 * with *out_found FALSE when there is no such open item. */
static EsaQueueItem *
find_item (EsaStore    *self,
           const char  *item_id,
           gboolean    *out_found,
           GError     **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (
    (GDestroyNotify) esa_queue_item_free);
  g_auto(GStrv) parts = NULL;
  Query query;
  gboolean ok = TRUE;

  *out_found = FALSE;
  if (!query_init (&query, NULL, error))
    {
      query_clear (&query);
      return NULL;
    }

  if (g_str_has_prefix (item_id, "case:"))
    {
      query.only_id = item_id + strlen ("case:");
      ok = read_deadlines (self, &query, items, error);
    }
  else if (g_str_has_prefix (item_id, "ticket:"))
    {
      query.only_id = item_id + strlen ("ticket:");
      ok = read_tickets (self, &query, items, error);
    }
  else if (g_str_has_prefix (item_id, "sl:"))
    {
      parts = g_strsplit (item_id + strlen ("sl:"), ":", 2);
      for (guint i = 0; parts[0] != NULL && parts[1] != NULL
                        && i < G_N_ELEMENTS (service_levels); i++)
        if (strcmp (parts[0], service_levels[i].id) == 0)
          {
            query.only_id = parts[1];
            ok = read_service_level (self, &service_levels[i], &query, items, error);
          }
    }
  query_clear (&query);

  if (!ok)
    return NULL;
  if (items->len == 0)
    return NULL;
  *out_found = TRUE;
  return esa_queue_item_copy (g_ptr_array_index (items, 0));
}

EsaQueueItem *
esa_store_queue_get_item (EsaStore    *self,
                          const char  *item_id,
                          GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  EsaQueueItem *item;
  gboolean found;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (item_id != NULL, NULL);

  if (!_esa_store_check_action (self, ESA_ACTION_QUEUE_VIEW_OWN, error))
    return NULL;
  item = find_item (self, item_id, &found, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (!found)
    {
      _esa_store_fail (error, ESA_STORE_ERROR_NOT_FOUND, _("No open work item %s"), item_id);
      return NULL;
    }
  if (g_strcmp0 (item->assignee_id, esa_store_get_acting_user (self)) != 0
      && !_esa_store_check_action (self, ESA_ACTION_QUEUE_VIEW_TEAM, error))
    {
      esa_queue_item_free (item);
      return NULL;
    }
  return item;
}

/* ---- reassigning ------------------------------------------------------ */

/* What an item's assignee is stored in, and its value now. */
typedef struct
{
  EsaQueueKind  kind;
  const char   *entity_id;  /* into the item id */
  gboolean      found;
  char         *assignee;   /* effective */
  char         *stored;     /* the column's value, or the assignment row's (NULL: no row) */
  gboolean      has_row;    /* service levels: an assignment row exists */
  char         *debtor_id;
  gint64        version;
} Target;

static void
target_clear (Target *target)
{
  g_clear_pointer (&target->assignee, g_free);
  g_clear_pointer (&target->stored, g_free);
  g_clear_pointer (&target->debtor_id, g_free);
}

static gboolean
read_target (EsaStore    *self,
             const char  *item_id,
             Target      *target,
             GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row = FALSE;

  memset (target, 0, sizeof *target);
  if (g_str_has_prefix (item_id, "case:") || g_str_has_prefix (item_id, "ticket:"))
    {
      gboolean is_case = g_str_has_prefix (item_id, "case:");

      target->kind = is_case ? ESA_QUEUE_KIND_DEADLINE : ESA_QUEUE_KIND_TICKET;
      target->entity_id = strchr (item_id, ':') + 1;
      stmt = _esa_store_prepare (self,
                                 is_case
                                 ? "SELECT officer_id, debtor_id, version FROM cases "
                                   "WHERE id = ?1 AND closed_on IS NULL "
                                   "AND next_deadline IS NOT NULL"
                                 : "SELECT owner_id, debtor_id, version FROM tickets "
                                   "WHERE id = ?1 AND status <> 'closed'",
                                 error);
      if (stmt == NULL)
        return FALSE;
      _esa_stmt_bind_text (stmt, 1, target->entity_id);
      if (!_esa_store_step (self, stmt, &row, error))
        return FALSE;
      if (!row)
        return TRUE;
      target->found = TRUE;
      target->stored = _esa_stmt_dup_text (stmt, 0);
      target->assignee = g_strdup (target->stored);
      target->debtor_id = _esa_stmt_dup_text (stmt, 1);
      target->version = sqlite3_column_int64 (stmt, 2);
      return TRUE;
    }

  if (g_str_has_prefix (item_id, "sl:"))
    {
      g_autoptr(EsaQueueItem) item = NULL;
      g_autoptr(GError) local_error = NULL;

      target->kind = ESA_QUEUE_KIND_SERVICE_LEVEL;
      target->entity_id = item_id;
      item = find_item (self, item_id, &target->found, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (!target->found)
        return TRUE;
      target->assignee = g_strdup (item->assignee_id);
      target->debtor_id = g_strdup (item->debtor_id);

      stmt = _esa_store_prepare (self,
                                 "SELECT user_id, version FROM queue_assignments "
                                 "WHERE item_id = ?1",
                                 error);
      if (stmt == NULL)
        return FALSE;
      _esa_stmt_bind_text (stmt, 1, item_id);
      if (!_esa_store_step (self, stmt, &row, error))
        return FALSE;
      target->has_row = row;
      if (row)
        {
          target->stored = _esa_stmt_dup_text (stmt, 0);
          target->version = sqlite3_column_int64 (stmt, 1);
        }
      return TRUE;
    }

  return TRUE;
}

static gboolean
exec_bound (EsaStore    *self,
            const char  *sql,
            const char  *a,
            const char  *b,
            const char  *c,
            const char  *d,
            GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = _esa_store_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, a);
  _esa_stmt_bind_text (stmt, 2, b);
  _esa_stmt_bind_text (stmt, 3, c);
  _esa_stmt_bind_text (stmt, 4, d);
  return _esa_store_step_done (self, stmt, error);
}

/* Sets the assignee of @target to @value: for a service level, @value NULL
 * with @remove removes the assignment row (the item follows its default
 * again). Audited and sent to the outbox. */
static gboolean
set_assignee (EsaStore     *self,
              const Target *target,
              const char   *item_id,
              const char   *value,
              gboolean      remove,
              const char   *summary,
              GError      **error)
{
  const char *user = esa_store_get_acting_user (self);
  g_autofree char *now = _esa_store_now_iso ();
  g_autofree char *payload = NULL;
  const char *entity;
  const char *entity_id;

  switch (target->kind)
    {
    case ESA_QUEUE_KIND_DEADLINE:
      entity = "case";
      entity_id = target->entity_id;
      payload = _esa_store_field_payload_text ("officer_id", value, target->stored);
      if (!exec_bound (self, "UPDATE cases SET officer_id = ?2, version = version + 1 "
                             "WHERE id = ?1",
                       entity_id, value, NULL, NULL, error))
        return FALSE;
      break;

    case ESA_QUEUE_KIND_TICKET:
      {
        g_autofree char *event_id = esa_uuid_new ();

        entity = "ticket";
        entity_id = target->entity_id;
        payload = _esa_store_field_payload_text ("owner_id", value, target->stored);
        if (!exec_bound (self, "UPDATE tickets SET owner_id = ?2, version = version + 1 "
                               "WHERE id = ?1",
                         entity_id, value, NULL, NULL, error))
          return FALSE;
        {
          g_autoptr(EsaStoreStmt) stmt = NULL;

          stmt = _esa_store_prepare (self,
                                     "INSERT INTO ticket_events (id, ticket_id, at, user_id, "
                                     "kind, from_value, to_value) "
                                     "VALUES (?1, ?2, ?3, ?4, 'assign', ?5, ?6)",
                                     error);
          if (stmt == NULL)
            return FALSE;
          _esa_stmt_bind_text (stmt, 1, event_id);
          _esa_stmt_bind_text (stmt, 2, entity_id);
          _esa_stmt_bind_text (stmt, 3, now);
          _esa_stmt_bind_text (stmt, 4, user);
          _esa_stmt_bind_text (stmt, 5, target->stored);
          _esa_stmt_bind_text (stmt, 6, value);
          if (!_esa_store_step_done (self, stmt, error))
            return FALSE;
        }
      }
      break;

    case ESA_QUEUE_KIND_SERVICE_LEVEL:
    default:
      entity = "queue_assignment";
      entity_id = item_id;
      payload = _esa_store_field_payload_text ("user_id", value, target->stored);
      if (remove)
        {
          if (!exec_bound (self, "DELETE FROM queue_assignments WHERE item_id = ?1",
                           item_id, NULL, NULL, NULL, error))
            return FALSE;
        }
      else if (!exec_bound (self,
                            "INSERT INTO queue_assignments (item_id, user_id, assigned_at, "
                            "  assigned_by) VALUES (?1, ?2, ?3, ?4) "
                            "ON CONFLICT (item_id) DO UPDATE SET user_id = excluded.user_id, "
                            "  assigned_at = excluded.assigned_at, "
                            "  assigned_by = excluded.assigned_by, version = version + 1",
                            item_id, value, now, user, error))
        return FALSE;
      break;
    }

  return _esa_store_outbox_append_text (self, "field", entity, entity_id, payload,
                                        target->version, NULL, error)
         && _esa_store_audit_append (self, NULL, user, "update", entity, entity_id,
                                     target->debtor_id, summary, error);
}

static gboolean
insert_batch (EsaStore    *self,
              const char  *batch_id,
              const char  *kind,
              const char  *new_user_id,
              const char  *action_id,
              GError     **error)
{
  g_autofree char *now = _esa_store_now_iso ();
  g_autoptr(EsaStoreStmt) stmt = NULL;

  stmt = _esa_store_prepare (self,
                             "INSERT INTO queue_batches (id, kind, created_at, user_id, "
                             "new_user_id, action_id, item_count) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0)",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, batch_id);
  _esa_stmt_bind_text (stmt, 2, kind);
  _esa_stmt_bind_text (stmt, 3, now);
  _esa_stmt_bind_text (stmt, 4, esa_store_get_acting_user (self));
  _esa_stmt_bind_text (stmt, 5, new_user_id);
  _esa_stmt_bind_text (stmt, 6, action_id);
  return _esa_store_step_done (self, stmt, error);
}

static gboolean
insert_batch_item (EsaStore    *self,
                   const char  *batch_id,
                   gint64       seq,
                   const char  *item_id,
                   const char  *old_value,
                   const char  *new_value,
                   const char  *event_id,
                   GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;

  stmt = _esa_store_prepare (self,
                             "INSERT INTO queue_batch_items (batch_id, seq, item_id, old_value, "
                             "new_value, event_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, batch_id);
  sqlite3_bind_int64 (stmt, 2, seq);
  _esa_stmt_bind_text (stmt, 3, item_id);
  _esa_stmt_bind_text (stmt, 4, old_value);
  _esa_stmt_bind_text (stmt, 5, new_value);
  _esa_stmt_bind_text (stmt, 6, event_id);
  return _esa_store_step_done (self, stmt, error);
}

/* Records the batch's count and its audit entry, or removes it when
 * nothing changed. */
static gboolean
finish_batch (EsaStore    *self,
              const char  *batch_id,
              gint64       count,
              const char  *summary,
              GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autoptr(JsonNode) payload = NULL;

  if (count == 0)
    return exec_bound (self, "DELETE FROM queue_batches WHERE id = ?1", batch_id, NULL, NULL,
                       NULL, error);

  stmt = _esa_store_prepare (self, "UPDATE queue_batches SET item_count = ?2 WHERE id = ?1",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, batch_id);
  sqlite3_bind_int64 (stmt, 2, count);
  if (!_esa_store_step_done (self, stmt, error))
    return FALSE;

  payload = _esa_store_queues_row_to_json (self, "queue_batches", batch_id, error);
  return payload != NULL
         && _esa_store_outbox_append (self, "event", "queue_batch", batch_id, payload, 0, error)
         && _esa_store_audit_append (self, NULL, esa_store_get_acting_user (self), "create",
                                     "queue_batch", batch_id, NULL, summary, error);
}

static gboolean
user_name (EsaStore    *self,
           const char  *user_id,
           char       **out_name,
           GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row = FALSE;

  stmt = _esa_store_prepare (self, "SELECT name FROM users WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, user_id);
  if (!_esa_store_step (self, stmt, &row, error))
    return FALSE;
  if (!row)
    return _esa_store_fail (error, ESA_STORE_ERROR_NOT_FOUND, _("No user with id %s"), user_id);
  *out_name = _esa_stmt_dup_text (stmt, 0);
  return TRUE;
}

/* Reassigns (or, with @preview, only classifies) the items. */
static gboolean
reassign (EsaStore            *self,
          const char * const  *item_ids,
          guint                n_ids,
          const char          *new_user_id,
          gboolean             preview,
          char               **out_batch_id,
          GPtrArray          **out_results,
          GError             **error)
{
  g_autoptr(GPtrArray) results = NULL;
  g_autofree char *batch_id = NULL;
  g_autofree char *name = NULL;
  g_autofree char *summary = NULL;
  gint64 count = 0;
  gboolean ok = TRUE;

  if (!_esa_store_check_action (self, ESA_ACTION_QUEUE_REASSIGN, error))
    return FALSE;
  if (new_user_id == NULL)
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("Work items can only be given to a user"));

  if (!_esa_store_write_begin (self, error))
    return FALSE;
  ok = user_name (self, new_user_id, &name, error);

  results = g_ptr_array_new_with_free_func ((GDestroyNotify) esa_queue_item_result_free);
  batch_id = esa_uuid_new ();
  if (ok && !preview)
    ok = insert_batch (self, batch_id, "reassign", new_user_id, NULL, error);

  /* Translators: the audit summary of one reassigned work item; %s is a person */
  summary = g_strdup_printf (_("Work item reassigned to %s"), name != NULL ? name : "");
  for (guint i = 0; ok && i < n_ids; i++)
    {
      Target target;

      if (!read_target (self, item_ids[i], &target, error))
        {
          ok = FALSE;
          target_clear (&target);
          break;
        }
      if (!target.found)
        g_ptr_array_add (results,
                         result_new (item_ids[i], ESA_QUEUE_RESULT_NOT_FOUND,
                                     g_strdup_printf (_("%s is not an open work item"),
                                                      item_ids[i])));
      else if (g_strcmp0 (target.assignee, new_user_id) == 0)
        g_ptr_array_add (results,
                         result_new (item_ids[i], ESA_QUEUE_RESULT_UNCHANGED,
                                     g_strdup_printf (_("Already assigned to %s"), name)));
      else
        {
          if (!preview)
            {
              ok = set_assignee (self, &target, item_ids[i], new_user_id, FALSE, summary, error)
                   && insert_batch_item (self, batch_id, ++count, item_ids[i],
                                         target.kind == ESA_QUEUE_KIND_SERVICE_LEVEL
                                         ? target.stored : target.assignee,
                                         new_user_id, NULL, error);
            }
          g_ptr_array_add (results,
                           result_new (item_ids[i], ESA_QUEUE_RESULT_DONE,
                                       g_strdup_printf (_("Assigned to %s"), name)));
        }
      target_clear (&target);
    }

  if (ok && !preview)
    {
      g_autofree char *batch_summary =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d work item reassigned to %s",
                                      "%d work items reassigned to %s", (gulong) count),
                         (int) count, name);

      ok = finish_batch (self, batch_id, count, batch_summary, error);
    }

  /* A preview changes nothing: its scope is rolled back. */
  if (preview)
    _esa_store_write_end (self, FALSE, NULL);
  else if (!_esa_store_write_end (self, ok, error))
    ok = FALSE;
  if (!ok)
    return FALSE;

  if (out_batch_id != NULL)
    *out_batch_id = count > 0 ? g_steal_pointer (&batch_id) : NULL;
  if (out_results != NULL)
    *out_results = g_steal_pointer (&results);
  return TRUE;
}

gboolean
esa_store_queue_reassign (EsaStore            *self,
                          const char * const  *item_ids,
                          guint                n_ids,
                          const char          *new_user_id,
                          char               **out_batch_id,
                          GPtrArray          **out_results,
                          GError             **error)
{
  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);
  g_return_val_if_fail (n_ids == 0 || item_ids != NULL, FALSE);

  if (out_batch_id != NULL)
    *out_batch_id = NULL;
  return reassign (self, item_ids, n_ids, new_user_id, FALSE, out_batch_id, out_results, error);
}

GPtrArray *
esa_store_queue_reassign_preview (EsaStore           *self,
                                  const char * const *item_ids,
                                  guint               n_ids,
                                  const char         *new_user_id,
                                  GError            **error)
{
  GPtrArray *results = NULL;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (n_ids == 0 || item_ids != NULL, NULL);

  if (!reassign (self, item_ids, n_ids, new_user_id, TRUE, NULL, &results, error))
    return NULL;
  return results;
}

gboolean
esa_store_queue_run_step (EsaStore            *self,
                          const char * const  *case_ids,
                          guint                n_ids,
                          const char          *action_id,
                          const GDate         *on,
                          GHashTable          *fields,
                          char               **out_batch_id,
                          GPtrArray          **out_results,
                          GError             **error)
{
  g_autoptr(GPtrArray) results = NULL;
  g_autofree char *batch_id = NULL;
  gint64 count = 0;
  gboolean ok;

  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);
  g_return_val_if_fail (n_ids == 0 || case_ids != NULL, FALSE);
  g_return_val_if_fail (action_id != NULL, FALSE);

  if (out_batch_id != NULL)
    *out_batch_id = NULL;
  if (!_esa_store_check_action (self, ESA_ACTION_QUEUE_BULK_STEP, error))
    return FALSE;
  if (!_esa_store_write_begin (self, error))
    return FALSE;

  results = g_ptr_array_new_with_free_func ((GDestroyNotify) esa_queue_item_result_free);
  batch_id = esa_uuid_new ();
  ok = insert_batch (self, batch_id, "step", NULL, action_id, error);
  for (guint i = 0; ok && i < n_ids; i++)
    {
      g_autofree char *item_id = g_strconcat ("case:", case_ids[i], NULL);
      g_autoptr(GError) step_error = NULL;
      g_autofree char *event_id = NULL;

      /* Each step is a savepoint of its own inside this transaction: a case
       * its procedure refuses is reported and the others go on. */
      event_id = esa_store_case_do (self, case_ids[i], action_id, on, fields, &step_error);
      if (event_id == NULL)
        {
          EsaQueueResultCode code = g_error_matches (step_error, ESA_STORE_ERROR,
                                                     ESA_STORE_ERROR_NOT_FOUND)
                                    ? ESA_QUEUE_RESULT_NOT_FOUND : ESA_QUEUE_RESULT_REFUSED;

          if (g_error_matches (step_error, ESA_STORE_ERROR, ESA_STORE_ERROR_IO))
            {
              g_propagate_error (error, g_steal_pointer (&step_error));
              ok = FALSE;
              break;
            }
          g_ptr_array_add (results, result_new (item_id, code, g_strdup (step_error->message)));
          continue;
        }
      ok = insert_batch_item (self, batch_id, ++count, item_id, NULL, NULL, event_id, error);
      g_ptr_array_add (results, result_new (item_id, ESA_QUEUE_RESULT_DONE,
                                            g_strdup (_("Step recorded"))));
    }
  if (ok)
    {
      g_autofree char *summary =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Step “%s” run for %d case",
                                      "Step “%s” run for %d cases", (gulong) count),
                         action_id, (int) count);

      ok = finish_batch (self, batch_id, count, summary, error);
    }
  if (!_esa_store_write_end (self, ok, error))
    return FALSE;

  if (out_batch_id != NULL)
    *out_batch_id = count > 0 ? g_steal_pointer (&batch_id) : NULL;
  if (out_results != NULL)
    *out_results = g_steal_pointer (&results);
  return TRUE;
}

typedef struct
{
  char *item_id;
  char *old_value;
  char *new_value;
  char *event_id;
} BatchItem;

static void
batch_item_free (BatchItem *item)
{
  g_free (item->item_id);
  g_free (item->old_value);
  g_free (item->new_value);
  g_free (item->event_id);
  g_free (item);
}

static gboolean
read_batch (EsaStore    *self,
            const char  *batch_id,
            char       **out_kind,
            GPtrArray   *items,
            GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row = FALSE;

  stmt = _esa_store_prepare (self, "SELECT kind, undone_at FROM queue_batches WHERE id = ?1",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, batch_id);
  if (!_esa_store_step (self, stmt, &row, error))
    return FALSE;
  if (!row)
    return _esa_store_fail (error, ESA_STORE_ERROR_NOT_FOUND, _("No batch with id %s"), batch_id);
  if (sqlite3_column_type (stmt, 1) != SQLITE_NULL)
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID, _("Batch %s was already undone on %s"),
                            batch_id, col (stmt, 1));
  *out_kind = _esa_stmt_dup_text (stmt, 0);
  g_clear_pointer (&stmt, _esa_store_stmt_release);

  /* Newest first: the last change is undone first. */
  stmt = _esa_store_prepare (self,
                             "SELECT item_id, old_value, new_value, event_id "
                             "FROM queue_batch_items WHERE batch_id = ?1 ORDER BY seq DESC",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, batch_id);
  while (_esa_store_step (self, stmt, &row, error))
    {
      BatchItem *item;

      if (!row)
        return TRUE;
      item = g_new0 (BatchItem, 1);
      item->item_id = _esa_stmt_dup_text (stmt, 0);
      item->old_value = _esa_stmt_dup_text (stmt, 1);
      item->new_value = _esa_stmt_dup_text (stmt, 2);
      item->event_id = _esa_stmt_dup_text (stmt, 3);
      g_ptr_array_add (items, item);
    }
  return FALSE;
}

gboolean
esa_store_queue_undo_batch (EsaStore    *self,
                            const char  *batch_id,
                            GPtrArray  **out_results,
                            GError     **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) batch_item_free);
  g_autoptr(GPtrArray) results = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *now = _esa_store_now_iso ();
  gint64 undone = 0;
  gboolean ok;

  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);
  g_return_val_if_fail (batch_id != NULL, FALSE);

  if (!_esa_store_write_begin (self, error))
    return FALSE;
  ok = read_batch (self, batch_id, &kind, items, error)
       && _esa_store_check_action (self, g_strcmp0 (kind, "step") == 0
                                         ? ESA_ACTION_QUEUE_BULK_STEP
                                         : ESA_ACTION_QUEUE_REASSIGN,
                                   error);

  results = g_ptr_array_new_with_free_func ((GDestroyNotify) esa_queue_item_result_free);
  for (guint i = 0; ok && i < items->len; i++)
    {
      BatchItem *item = g_ptr_array_index (items, i);

      if (g_strcmp0 (kind, "step") == 0)
        {
          g_autoptr(GError) undo_error = NULL;

          if (esa_store_case_undo (self, item->event_id, &undo_error))
            {
              undone++;
              g_ptr_array_add (results, result_new (item->item_id, ESA_QUEUE_RESULT_DONE,
                                                    g_strdup (_("Step undone"))));
            }
          else if (g_error_matches (undo_error, ESA_STORE_ERROR, ESA_STORE_ERROR_IO))
            {
              g_propagate_error (error, g_steal_pointer (&undo_error));
              ok = FALSE;
            }
          else
            g_ptr_array_add (results, result_new (item->item_id, ESA_QUEUE_RESULT_CHANGED,
                                                  g_strdup (undo_error->message)));
        }
      else
        {
          Target target;

          if (!read_target (self, item->item_id, &target, error))
            ok = FALSE;
          else if (!target.found)
            g_ptr_array_add (results,
                             result_new (item->item_id, ESA_QUEUE_RESULT_NOT_FOUND,
                                         g_strdup_printf (_("%s is no longer an open work item"),
                                                          item->item_id)));
          else if (g_strcmp0 (target.assignee, item->new_value) != 0)
            g_ptr_array_add (results,
                             result_new (item->item_id, ESA_QUEUE_RESULT_CHANGED,
                                         g_strdup (_("Reassigned again since: left as it is"))));
          else
            {
              ok = set_assignee (self, &target, item->item_id, item->old_value,
                                 target.kind == ESA_QUEUE_KIND_SERVICE_LEVEL
                                 && item->old_value == NULL,
                                 _("Reassignment undone"), error);
              undone++;
              g_ptr_array_add (results, result_new (item->item_id, ESA_QUEUE_RESULT_DONE,
                                                    g_strdup (_("Reassignment undone"))));
            }
          target_clear (&target);
        }
    }

  if (ok)
    {
      g_autoptr(EsaStoreStmt) stmt = NULL;
      g_autofree char *summary = NULL;

      stmt = _esa_store_prepare (self,
                                 "UPDATE queue_batches SET undone_at = ?2, undone_by = ?3 "
                                 "WHERE id = ?1",
                                 error);
      ok = stmt != NULL;
      if (ok)
        {
          _esa_stmt_bind_text (stmt, 1, batch_id);
          _esa_stmt_bind_text (stmt, 2, now);
          _esa_stmt_bind_text (stmt, 3, esa_store_get_acting_user (self));
          ok = _esa_store_step_done (self, stmt, error);
        }
      summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "Batch undone: %d item",
                                              "Batch undone: %d items",
                                              (gulong) undone),
                                 (int) undone);
      ok = ok && _esa_store_outbox_append_text (self, "command", "queue_batch", batch_id,
                                                "{\"command\":\"undo\"}", 1, NULL, error)
           && _esa_store_audit_append (self, NULL, esa_store_get_acting_user (self), "undo",
                                       "queue_batch", batch_id, NULL, summary, error);
    }

  if (!_esa_store_write_end (self, ok, error))
    return FALSE;
  if (out_results != NULL)
    *out_results = g_steal_pointer (&results);
  return TRUE;
}

/* ---- dashboard -------------------------------------------------------- */

static void
workload_row_free (EsaWorkloadRow *row)
{
  g_free (row->user_id);
  g_free (row->user_name);
  g_free (row->week);
  g_free (row->week_start);
  g_free (row);
}

static void
flow_row_free (EsaFlowRow *row)
{
  g_free (row->week);
  g_free (row->week_start);
  g_free (row);
}

void
esa_dashboard_free (EsaDashboard *self)
{
  if (self == NULL)
    return;
  g_free (self->office_id);
  g_free (self->from);
  g_free (self->to);
  g_free (self->today);
  g_clear_pointer (&self->workload, g_ptr_array_unref);
  g_clear_pointer (&self->flow, g_ptr_array_unref);
  g_clear_pointer (&self->overdue_by_officer, g_ptr_array_unref);
  g_free (self->currency);
  g_free (self);
}

/* The Monday of the ISO week of @julian. */
static guint32
week_monday (guint32 julian)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, julian);
  return julian - (g_date_get_weekday (&date) - G_DATE_MONDAY);
}

static char *
iso_week_name (guint32 monday)
{
  GDate thursday;

  /* The ISO year is the year of the week's Thursday. */
  g_date_clear (&thursday, 1);
  g_date_set_julian (&thursday, monday + 3);
  return g_strdup_printf ("%04u-W%02u", g_date_get_year (&thursday),
                          g_date_get_iso8601_week_of_year (&thursday));
}

static gint
compare_workload (gconstpointer a,
                  gconstpointer b)
{
  const EsaWorkloadRow *x = *(EsaWorkloadRow * const *) a;
  const EsaWorkloadRow *y = *(EsaWorkloadRow * const *) b;
  gint order = compare_text (x->user_name, y->user_name);

  if (order == 0)
    order = g_strcmp0 (x->user_id, y->user_id);
  return order != 0 ? order : g_strcmp0 (x->week_start, y->week_start);
}

static gint
compare_overdue (gconstpointer a,
                 gconstpointer b)
{
  const EsaWorkloadRow *x = *(EsaWorkloadRow * const *) a;
  const EsaWorkloadRow *y = *(EsaWorkloadRow * const *) b;

  if (x->overdue != y->overdue)
    return x->overdue > y->overdue ? -1 : 1;
  return compare_text (x->user_name, y->user_name);
}

/* Counts the dates of @sql (one date column, ?1 office, ?2 from, ?3 to)
 * into the weekly @flow rows at @offset of EsaFlowRow. */
static gboolean
count_weekly (EsaStore     *self,
              const char   *sql,
              const char   *office_id,
              const char   *from,
              const char   *to,
              guint32       first_monday,
              GPtrArray    *flow,
              gsize         offset,
              GError      **error)
{
  g_autoptr(EsaStoreStmt) stmt = _esa_store_prepare (self, sql, error);
  gboolean row;

  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, office_id);
  _esa_stmt_bind_text (stmt, 2, from);
  _esa_stmt_bind_text (stmt, 3, to);
  while (_esa_store_step (self, stmt, &row, error))
    {
      guint32 day;
      guint index;

      if (!row)
        return TRUE;
      day = iso_to_julian (col (stmt, 0));
      if (day == 0 || day < first_monday)
        continue;
      index = (week_monday (day) - first_monday) / 7;
      if (index < flow->len)
        *(gint64 *) G_STRUCT_MEMBER_P (g_ptr_array_index (flow, index), offset) +=
          sqlite3_column_int64 (stmt, 1);
    }
  return FALSE;
}

EsaDashboard *
esa_store_dashboard (EsaStore    *self,
                     const char  *office_id,
                     const char  *from,
                     const char  *to,
                     const char  *today,
                     GError     **error)
{
  g_autoptr(EsaDashboard) dashboard = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (
    (GDestroyNotify) esa_queue_item_free);
  g_autoptr(GHashTable) workload = NULL;
  g_autoptr(GHashTable) overdue = NULL;
  g_autoptr(EsaStoreStmt) stmt = NULL;
  EsaQueueFilter filter = { 0 };
  GDate from_date, to_date;
  guint32 first_monday, last_monday, today_julian;
  guint n_due;
  Query query;
  gboolean ok, row;
  gboolean mixed = FALSE;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);

  if (!_esa_store_check_action (self, ESA_ACTION_DASHBOARD_VIEW, error))
    return NULL;
  g_date_clear (&from_date, 1);
  g_date_clear (&to_date, 1);
  if (from == NULL || !esa_date_parse_iso (from, &from_date, NULL))
    {
      _esa_store_fail (error, ESA_STORE_ERROR_INVALID, _("“%s” is not a date (YYYY-MM-DD)"),
                       from != NULL ? from : "");
      return NULL;
    }
  if (to == NULL || !esa_date_parse_iso (to, &to_date, NULL))
    {
      _esa_store_fail (error, ESA_STORE_ERROR_INVALID, _("“%s” is not a date (YYYY-MM-DD)"),
                       to != NULL ? to : "");
      return NULL;
    }
  if (g_date_compare (&to_date, &from_date) < 0)
    {
      _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                       _("The period %s to %s ends before it starts"),
                       from, to);
      return NULL;
    }

  filter.office_id = office_id;
  filter.today = today;
  if (!query_init (&query, &filter, error))
    {
      query_clear (&query);
      return NULL;
    }
  today_julian = query.today;

  dashboard = g_new0 (EsaDashboard, 1);
  dashboard->office_id = g_strdup (office_id);
  dashboard->from = g_strdup (from);
  dashboard->to = g_strdup (to);
  dashboard->today = julian_to_iso (today_julian);
  dashboard->workload = g_ptr_array_new_with_free_func ((GDestroyNotify) workload_row_free);
  dashboard->flow = g_ptr_array_new_with_free_func ((GDestroyNotify) flow_row_free);
  dashboard->overdue_by_officer =
    g_ptr_array_new_with_free_func ((GDestroyNotify) workload_row_free);

  ok = read_items (self, &query, items, &n_due, error);
  query_clear (&query);
  if (!ok)
    return NULL;

  first_monday = week_monday (g_date_get_julian (&from_date));
  last_monday = week_monday (g_date_get_julian (&to_date));

  /* Workload per officer and week; overdue counts. */
  workload = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  overdue = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < items->len; i++)
    {
      EsaQueueItem *item = g_ptr_array_index (items, i);
      const char *user_key = item->assignee_id != NULL ? item->assignee_id : "";
      gboolean late = item->due_julian < today_julian;
      guint32 monday = week_monday (item->due_julian);
      g_autofree char *key = NULL;
      EsaWorkloadRow *line;

      dashboard->open_items++;
      if (late)
        dashboard->overdue_items++;
      if (item->due_julian == today_julian)
        dashboard->due_today++;

      if (late)
        {
          line = g_hash_table_lookup (overdue, user_key);
          if (line == NULL)
            {
              line = g_new0 (EsaWorkloadRow, 1);
              line->user_id = g_strdup (item->assignee_id);
              line->user_name = g_strdup (item->assignee_name);
              g_hash_table_insert (overdue, g_strdup (user_key), line);
              g_ptr_array_add (dashboard->overdue_by_officer, line);
            }
          line->items++;
          line->overdue++;
        }

      if (monday > last_monday)
        continue;
      monday = MAX (monday, first_monday);
      key = g_strdup_printf ("%s\n%u", user_key, monday);
      line = g_hash_table_lookup (workload, key);
      if (line == NULL)
        {
          line = g_new0 (EsaWorkloadRow, 1);
          line->user_id = g_strdup (item->assignee_id);
          line->user_name = g_strdup (item->assignee_name);
          line->week = iso_week_name (monday);
          line->week_start = julian_to_iso (monday);
          g_hash_table_insert (workload, g_steal_pointer (&key), line);
          g_ptr_array_add (dashboard->workload, line);
        }
      line->items++;
      if (late)
        line->overdue++;
    }
  g_ptr_array_sort (dashboard->workload, compare_workload);
  g_ptr_array_sort (dashboard->overdue_by_officer, compare_overdue);

  /* Incoming and closed per week. */
  for (guint32 monday = first_monday; monday <= last_monday; monday += 7)
    {
      EsaFlowRow *line = g_new0 (EsaFlowRow, 1);

      line->week = iso_week_name (monday);
      line->week_start = julian_to_iso (monday);
      g_ptr_array_add (dashboard->flow, line);
    }
  if (!_esa_store_read_begin (self, error))
    return NULL;
  ok = count_weekly (self,
                     "SELECT opened_on, count(*) FROM cases "
                     "WHERE (?1 IS NULL OR office_id = ?1) AND opened_on BETWEEN ?2 AND ?3 "
                     "GROUP BY opened_on",
                     office_id, from, to, first_monday, dashboard->flow,
                     G_STRUCT_OFFSET (EsaFlowRow, cases_opened), error)
       && count_weekly (self,
                        "SELECT closed_on, count(*) FROM cases "
                        "WHERE (?1 IS NULL OR office_id = ?1) AND closed_on BETWEEN ?2 AND ?3 "
                        "GROUP BY closed_on",
                        office_id, from, to, first_monday, dashboard->flow,
                        G_STRUCT_OFFSET (EsaFlowRow, cases_closed), error)
       && count_weekly (self,
                        "SELECT substr(opened_at, 1, 10) AS day, count(*) FROM tickets "
                        "WHERE (?1 IS NULL OR office_id = ?1) "
                        "  AND substr(opened_at, 1, 10) BETWEEN ?2 AND ?3 GROUP BY day",
                        office_id, from, to, first_monday, dashboard->flow,
                        G_STRUCT_OFFSET (EsaFlowRow, tickets_opened), error)
       && count_weekly (self,
                        "SELECT substr(closed_at, 1, 10) AS day, count(*) FROM tickets "
                        "WHERE (?1 IS NULL OR office_id = ?1) "
                        "  AND substr(closed_at, 1, 10) BETWEEN ?2 AND ?3 GROUP BY day",
                        office_id, from, to, first_monday, dashboard->flow,
                        G_STRUCT_OFFSET (EsaFlowRow, tickets_closed), error);

  /* Collection rate: of what was to be collected in the period (the
   * balance of the office's positions that was open at its start or fell
   * due in it), the share paid in it. What was to be collected is what was
   * paid in the period plus what was still open at its end (open now, plus
   * what was paid after it). A payment counts by its allocations to
   * positions when it has them, else whole on its position. */
  if (ok)
    {
      stmt = _esa_store_prepare (self,
                                 "WITH collected (position_id, day, amount) AS ("
                                 "  SELECT position_id, allocated_on, amount "
                                 "  FROM payment_allocations WHERE allocated_on >= ?2 "
                                 "  UNION ALL "
                                 "  SELECT y.position_id, y.paid_on, y.amount - y.unapplied "
                                 "  FROM payments y "
                                 "  WHERE y.state = 'applied' AND y.position_id IS NOT NULL "
                                 "    AND y.paid_on >= ?2 AND NOT EXISTS "
                                 "    (SELECT 1 FROM payment_allocations a "
                                 "     WHERE a.payment_id = y.id)), "
                                 "by_position (position_id, in_period, after) AS ("
                                 "  SELECT position_id, "
                                 "    sum(CASE WHEN day <= ?3 THEN amount ELSE 0 END), "
                                 "    sum(CASE WHEN day > ?3 THEN amount ELSE 0 END) "
                                 "  FROM collected GROUP BY position_id), "
                                 "lines (currency, in_period, open_at_end) AS ("
                                 "  SELECT p.currency, coalesce(c.in_period, 0), "
                                 "    CASE WHEN p.due_date <= ?3 "
                                 "      THEN max(p.principal + p.sanctions + p.interest + p.costs "
                                 "               - p.paid, 0) + coalesce(c.after, 0) "
                                 "      ELSE 0 END "
                                 "  FROM positions p JOIN debtors d ON d.id = p.debtor_id "
                                 "  LEFT JOIN by_position c ON c.position_id = p.id "
                                 "  WHERE (?1 IS NULL OR d.office_id = ?1) "
                                 "    AND p.state NOT IN ('cancelled', 'written_off')) "
                                 "SELECT currency, sum(in_period + open_at_end), sum(in_period), "
                                 "  sum(in_period > 0 OR open_at_end > 0), sum(in_period > 0) "
                                 "FROM lines WHERE in_period > 0 OR open_at_end > 0 "
                                 "GROUP BY currency",
                                 error);
      ok = stmt != NULL;
    }
  if (ok)
    {
      _esa_stmt_bind_text (stmt, 1, office_id);
      _esa_stmt_bind_text (stmt, 2, from);
      _esa_stmt_bind_text (stmt, 3, to);
      while ((ok = _esa_store_step (self, stmt, &row, error)) && row)
        {
          if (dashboard->currency == NULL)
            dashboard->currency = _esa_stmt_dup_text (stmt, 0);
          else
            mixed = TRUE;
          dashboard->charged += sqlite3_column_int64 (stmt, 1);
          dashboard->collected += sqlite3_column_int64 (stmt, 2);
          dashboard->positions += sqlite3_column_int64 (stmt, 3);
          dashboard->positions_paid += sqlite3_column_int64 (stmt, 4);
        }
    }
  g_clear_pointer (&stmt, _esa_store_stmt_release);
  _esa_store_read_end (self);
  if (!ok)
    return NULL;

  if (mixed)
    {
      g_free (dashboard->currency);
      dashboard->currency = g_strdup ("");
      if (dashboard->positions > 0)
        dashboard->collection_rate_ppm =
          (gint32) (dashboard->positions_paid * 1000000 / dashboard->positions);
    }
  else
    {
      if (dashboard->currency == NULL)
        dashboard->currency = g_strdup ("");
      if (dashboard->charged > 0)
        dashboard->collection_rate_ppm =
          (gint32) (dashboard->collected * 1000000 / dashboard->charged);
    }
  return g_steal_pointer (&dashboard);
}

static void
csv_field (GString    *out,
           const char *text)
{
  if (text == NULL)
    return;
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

char *
esa_dashboard_to_csv (const EsaDashboard *self)
{
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);

  out = g_string_new (NULL);
  /* Translators: headings of the dashboard export (CSV); keep the commas */
  g_string_append_printf (out, "%s\r\n", _("from,to,today,open items,overdue,due today,"
                                           "currency,charged,collected,collection rate (ppm)"));
  g_string_append_printf (out, "%s,%s,%s,%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%"
                          G_GINT64_FORMAT ",%s,%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%d\r\n",
                          self->from, self->to, self->today, self->open_items,
                          self->overdue_items, self->due_today, self->currency, self->charged,
                          self->collected, self->collection_rate_ppm);

  g_string_append (out, "\r\n");
  g_string_append_printf (out, "%s\r\n", _("officer,week,week start,items,overdue"));
  for (guint i = 0; i < self->workload->len; i++)
    {
      EsaWorkloadRow *row = g_ptr_array_index (self->workload, i);

      csv_field (out, row->user_name != NULL ? row->user_name : _("Unassigned"));
      g_string_append_printf (out, ",%s,%s,%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT "\r\n",
                              row->week, row->week_start, row->items, row->overdue);
    }

  g_string_append (out, "\r\n");
  g_string_append_printf (out, "%s\r\n", _("week,week start,cases opened,cases closed,"
                                           "tickets opened,tickets closed"));
  for (guint i = 0; i < self->flow->len; i++)
    {
      EsaFlowRow *row = g_ptr_array_index (self->flow, i);

      g_string_append_printf (out, "%s,%s,%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%"
                              G_GINT64_FORMAT ",%" G_GINT64_FORMAT "\r\n",
                              row->week, row->week_start, row->cases_opened, row->cases_closed,
                              row->tickets_opened, row->tickets_closed);
    }

  g_string_append (out, "\r\n");
  g_string_append_printf (out, "%s\r\n", _("officer,overdue"));
  for (guint i = 0; i < self->overdue_by_officer->len; i++)
    {
      EsaWorkloadRow *row = g_ptr_array_index (self->overdue_by_officer, i);

      csv_field (out, row->user_name != NULL ? row->user_name : _("Unassigned"));
      g_string_append_printf (out, ",%" G_GINT64_FORMAT "\r\n", row->overdue);
    }
  return g_string_free (out, FALSE);
}
