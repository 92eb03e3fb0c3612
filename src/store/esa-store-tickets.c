/* esa-store-tickets.c: the contact center: contacts logged on dossiers,
 * tickets with their reference, levels and SLA clock, knowledge cards with
 * full-text search, appointments, monthly statistics
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "esa-date.h"
#include "esa-roles.h"
#include "esa-store-queues-private.h"
#include "esa-uuid.h"

/* ---- names ------------------------------------------------------------ */

static const char * const urgency_names[] = { "low", "normal", "high" };
static const char * const level_names[] = { "first", "back_office", "second" };
static const char * const status_names[] = { "open", "waiting_caller", "in_progress", "closed" };
static const char * const outcome_names[] = { "resolved", "ticket", "info", "lost" };

const char *
esa_ticket_urgency_to_string (EsaTicketUrgency urgency)
{
  g_return_val_if_fail ((guint) urgency < G_N_ELEMENTS (urgency_names), NULL);
  return urgency_names[urgency];
}

gboolean
esa_ticket_urgency_from_string (const char       *name,
                                EsaTicketUrgency *out)
{
  guint i;

  if (!_esa_store_name_index (urgency_names, G_N_ELEMENTS (urgency_names), name, &i))
    return FALSE;
  *out = (EsaTicketUrgency) i;
  return TRUE;
}

const char *
esa_ticket_urgency_describe (EsaTicketUrgency urgency)
{
  switch (urgency)
    {
    case ESA_TICKET_URGENCY_LOW:
      return C_("urgency", "Low");
    case ESA_TICKET_URGENCY_NORMAL:
      return C_("urgency", "Normal");
    case ESA_TICKET_URGENCY_HIGH:
      return C_("urgency", "High");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
esa_ticket_level_to_string (EsaTicketLevel level)
{
  g_return_val_if_fail ((guint) level < G_N_ELEMENTS (level_names), NULL);
  return level_names[level];
}

gboolean
esa_ticket_level_from_string (const char     *name,
                              EsaTicketLevel *out)
{
  guint i;

  if (!_esa_store_name_index (level_names, G_N_ELEMENTS (level_names), name, &i))
    return FALSE;
  *out = (EsaTicketLevel) i;
  return TRUE;
}

const char *
esa_ticket_level_describe (EsaTicketLevel level)
{
  switch (level)
    {
    case ESA_TICKET_LEVEL_FIRST:
      return _("First level");
    case ESA_TICKET_LEVEL_BACK_OFFICE:
      return _("Back office");
    case ESA_TICKET_LEVEL_SECOND:
      return _("Second level");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
esa_ticket_status_to_string (EsaTicketStatus status)
{
  g_return_val_if_fail ((guint) status < G_N_ELEMENTS (status_names), NULL);
  return status_names[status];
}

gboolean
esa_ticket_status_from_string (const char      *name,
                               EsaTicketStatus *out)
{
  guint i;

  if (!_esa_store_name_index (status_names, G_N_ELEMENTS (status_names), name, &i))
    return FALSE;
  *out = (EsaTicketStatus) i;
  return TRUE;
}

const char *
esa_ticket_status_describe (EsaTicketStatus status)
{
  switch (status)
    {
    case ESA_TICKET_STATUS_OPEN:
      return C_("ticket status", "Open");
    case ESA_TICKET_STATUS_WAITING_CALLER:
      return C_("ticket status", "Waiting for the caller");
    case ESA_TICKET_STATUS_IN_PROGRESS:
      return C_("ticket status", "In progress");
    case ESA_TICKET_STATUS_CLOSED:
      return C_("ticket status", "Closed");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
esa_contact_outcome_to_string (EsaContactOutcome outcome)
{
  g_return_val_if_fail ((guint) outcome < G_N_ELEMENTS (outcome_names), NULL);
  return outcome_names[outcome];
}

gboolean
esa_contact_outcome_from_string (const char        *name,
                                 EsaContactOutcome *out)
{
  guint i;

  if (!_esa_store_name_index (outcome_names, G_N_ELEMENTS (outcome_names), name, &i))
    return FALSE;
  *out = (EsaContactOutcome) i;
  return TRUE;
}

/* ---- records ---------------------------------------------------------- */

void
esa_ticket_free (EsaTicket *self)
{
  if (self == NULL)
    return;
  g_free (self->id);
  g_free (self->reference);
  g_free (self->debtor_id);
  g_free (self->debtor_name);
  g_free (self->body_id);
  g_free (self->office_id);
  g_free (self->subject);
  g_free (self->description);
  g_free (self->owner_id);
  g_free (self->owner_name);
  g_free (self->opened_by);
  g_free (self->opened_at);
  g_free (self->closed_at);
  g_free (self->resolution);
  g_free (self->contact_id);
  g_free (self->sla_due_at);
  g_free (self);
}

void
esa_ticket_event_free (EsaTicketEvent *self)
{
  if (self == NULL)
    return;
  g_free (self->id);
  g_free (self->ticket_id);
  g_free (self->at);
  g_free (self->user_id);
  g_free (self->user_name);
  g_free (self->kind);
  g_free (self->from_value);
  g_free (self->to_value);
  g_free (self->note);
  g_free (self);
}

void
esa_knowledge_card_free (EsaKnowledgeCard *self)
{
  if (self == NULL)
    return;
  g_free (self->id);
  g_free (self->title);
  g_free (self->body);
  g_free (self->keywords);
  g_free (self->language);
  g_free (self->body_id);
  g_free (self->approved_by);
  g_free (self->updated_at);
  g_free (self);
}

void
esa_appointment_free (EsaAppointment *self)
{
  if (self == NULL)
    return;
  g_free (self->id);
  g_free (self->debtor_id);
  g_free (self->debtor_name);
  g_free (self->office_id);
  g_free (self->office_name);
  g_free (self->user_id);
  g_free (self->user_name);
  g_free (self->starts_at);
  g_free (self->channel);
  g_free (self->subject);
  g_free (self->status);
  g_free (self->ticket_id);
  g_free (self);
}

void
esa_contact_stats_free (EsaContactStats *self)
{
  if (self == NULL)
    return;
  g_free (self->body_id);
  g_free (self->body_name);
  g_free (self->month);
  g_free (self);
}

/* ---- helpers ---------------------------------------------------------- */

static const char *
col (EsaStoreStmt *stmt,
     int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

/* One text value by one text parameter: *out_value NULL when no row. */
static gboolean
query_text (EsaStore    *self,
            const char  *sql,
            const char  *param,
            gboolean    *out_found,
            char       **out_value,
            GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = _esa_store_prepare (self, sql, error);
  gboolean row = FALSE;

  *out_value = NULL;
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, param);
  if (!_esa_store_step (self, stmt, &row, error))
    return FALSE;
  if (out_found != NULL)
    *out_found = row;
  if (row)
    *out_value = _esa_stmt_dup_text (stmt, 0);
  return TRUE;
}

static gboolean
require_row (EsaStore    *self,
             const char  *sql,
             const char  *id,
             const char  *message_format,
             GError     **error)
{
  g_autofree char *value = NULL;
  gboolean found = FALSE;

  if (!query_text (self, sql, id, &found, &value, error))
    return FALSE;
  if (!found)
    {
      g_autofree char *message = g_strdup_printf (message_format, id);

      g_set_error_literal (error, ESA_STORE_ERROR, ESA_STORE_ERROR_NOT_FOUND, message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
exec_params (EsaStore           *self,
             const char         *sql,
             const char * const *params,
             guint               n_params,
             GError            **error)
{
  g_autoptr(EsaStoreStmt) stmt = _esa_store_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < n_params; i++)
    _esa_stmt_bind_text (stmt, (int) i + 1, params[i]);
  return _esa_store_step_done (self, stmt, error);
}

/* The outbox operation and audit entry of a new row of @table. */
static gboolean
record_creation (EsaStore    *self,
                 const char  *table,
                 const char  *entity,
                 const char  *id,
                 const char  *debtor_id,
                 const char  *summary,
                 GError     **error)
{
  g_autoptr(JsonNode) payload = _esa_store_queues_row_to_json (self, table, id, error);

  return payload != NULL
         && _esa_store_outbox_append (self, "event", entity, id, payload, 0, error)
         && _esa_store_audit_append (self, NULL, esa_store_get_acting_user (self), "create",
                                     entity, id, debtor_id, summary, error);
}

/* The creditor body of a debtor's latest case, else of a position. */
static gboolean
default_body (EsaStore    *self,
              const char  *debtor_id,
              char       **out_body,
              GError     **error)
{
  if (!query_text (self,
                   "SELECT body_id FROM cases WHERE debtor_id = ?1 "
                   "ORDER BY opened_on DESC, id LIMIT 1",
                   debtor_id, NULL, out_body, error))
    return FALSE;
  if (*out_body != NULL)
    return TRUE;
  return query_text (self,
                     "SELECT body_id FROM positions WHERE debtor_id = ?1 "
                     "ORDER BY due_date DESC, id LIMIT 1",
                     debtor_id, NULL, out_body, error);
}

static gboolean
body_country (EsaStore    *self,
              const char  *body_id,
              char       **out_country,
              GError     **error)
{
  *out_country = NULL;
  if (body_id == NULL)
    return TRUE;
  return query_text (self, "SELECT country FROM bodies WHERE id = ?1", body_id, NULL,
                     out_country, error);
}

static GDateTime *
parse_moment (const char *iso)
{
  return iso != NULL ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;
}

static char *
moment_to_iso (GDateTime *moment)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (moment);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

/* ---- tickets ---------------------------------------------------------- */

typedef struct
{
  GPtrArray *moments;   /* GDateTime */
  GPtrArray *statuses;  /* char * */
} History;

static void
history_clear (History *history)
{
  g_clear_pointer (&history->moments, g_ptr_array_unref);
  g_clear_pointer (&history->statuses, g_ptr_array_unref);
}

static gboolean
read_history (EsaStore    *self,
              const char  *ticket_id,
              History     *history,
              GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row;

  history->moments = g_ptr_array_new_with_free_func ((GDestroyNotify) g_date_time_unref);
  history->statuses = g_ptr_array_new_with_free_func (g_free);
  stmt = _esa_store_prepare (self,
                             "SELECT at, kind, to_value FROM ticket_events "
                             "WHERE ticket_id = ?1 AND kind IN ('open', 'status', 'close') "
                             "ORDER BY at, rowid",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, ticket_id);
  while (_esa_store_step (self, stmt, &row, error))
    {
      GDateTime *at;

      if (!row)
        return TRUE;
      at = parse_moment (col (stmt, 0));
      if (at == NULL)
        continue;
      g_ptr_array_add (history->moments, at);
      g_ptr_array_add (history->statuses,
                       g_strdup (strcmp (col (stmt, 1), "close") == 0 ? "closed"
                                 : col (stmt, 2)));
    }
  return FALSE;
}

gboolean
_esa_store_ticket_sla (EsaStore    *self,
                       const char  *ticket_id,
                       const char  *body_id,
                       gint64       target_s,
                       GDateTime   *now,
                       gint64      *out_elapsed,
                       GDateTime  **out_due,
                       gboolean    *out_paused,
                       GError     **error)
{
  g_autofree char *country = NULL;
  g_autofree EsaSlaEvent *events = NULL;
  History history = { NULL, NULL };
  EsaSla *sla;

  *out_elapsed = 0;
  *out_due = NULL;
  *out_paused = FALSE;

  if (!body_country (self, body_id, &country, error))
    return FALSE;
  sla = _esa_store_sla_for (self, country, body_id);
  if (sla == NULL)
    return TRUE;

  if (!read_history (self, ticket_id, &history, error))
    {
      history_clear (&history);
      return FALSE;
    }
  events = g_new0 (EsaSlaEvent, history.moments->len + 1);
  for (guint i = 0; i < history.moments->len; i++)
    {
      events[i].at = g_ptr_array_index (history.moments, i);
      events[i].status = g_ptr_array_index (history.statuses, i);
    }
  *out_elapsed = esa_sla_elapsed (sla, events, history.moments->len, now);
  if (target_s > 0)
    *out_due = esa_sla_due (sla, events, history.moments->len, target_s, now, out_paused);
  else if (history.moments->len > 0)
    *out_paused = esa_sla_status_pauses (sla, events[history.moments->len - 1].status);
  history_clear (&history);
  return TRUE;
}

/* Columns of a ticket read, in the order read_ticket_row() expects. */
#define TICKET_COLUMNS \
  "t.id, t.reference, t.debtor_id, d.name, t.body_id, t.office_id, t.subject, " \
  "t.description, t.urgency, t.level, t.status, t.owner_id, u.name, t.opened_by, " \
  "t.opened_at, t.closed_at, t.resolution, t.contact_id, t.sla_target_s, t.sla_elapsed_s, " \
  "t.sla_breached "
#define TICKET_FROM \
  "FROM tickets t JOIN debtors d ON d.id = t.debtor_id " \
  "LEFT JOIN users u ON u.id = t.owner_id "

static EsaTicket *
read_ticket_row (EsaStoreStmt *stmt)
{
  EsaTicket *ticket = g_new0 (EsaTicket, 1);
  guint index;

  ticket->id = _esa_stmt_dup_text (stmt, 0);
  ticket->reference = _esa_stmt_dup_text (stmt, 1);
  ticket->debtor_id = _esa_stmt_dup_text (stmt, 2);
  ticket->debtor_name = _esa_stmt_dup_text (stmt, 3);
  ticket->body_id = _esa_stmt_dup_text (stmt, 4);
  ticket->office_id = _esa_stmt_dup_text (stmt, 5);
  ticket->subject = _esa_stmt_dup_text (stmt, 6);
  ticket->description = _esa_stmt_dup_text (stmt, 7);
  if (_esa_store_name_index (urgency_names, G_N_ELEMENTS (urgency_names), col (stmt, 8), &index))
    ticket->urgency = (EsaTicketUrgency) index;
  if (_esa_store_name_index (level_names, G_N_ELEMENTS (level_names), col (stmt, 9), &index))
    ticket->level = (EsaTicketLevel) index;
  if (_esa_store_name_index (status_names, G_N_ELEMENTS (status_names), col (stmt, 10), &index))
    ticket->status = (EsaTicketStatus) index;
  ticket->owner_id = _esa_stmt_dup_text (stmt, 11);
  ticket->owner_name = _esa_stmt_dup_text (stmt, 12);
  ticket->opened_by = _esa_stmt_dup_text (stmt, 13);
  ticket->opened_at = _esa_stmt_dup_text (stmt, 14);
  ticket->closed_at = _esa_stmt_dup_text (stmt, 15);
  ticket->resolution = _esa_stmt_dup_text (stmt, 16);
  ticket->contact_id = _esa_stmt_dup_text (stmt, 17);
  ticket->sla_target_s = sqlite3_column_int64 (stmt, 18);
  ticket->sla_elapsed_s = sqlite3_column_int64 (stmt, 19);
  ticket->sla_breached = sqlite3_column_int (stmt, 20) != 0;
  return ticket;
}

/* Fills the SLA fields of @ticket as of @now (closed tickets as of their
 * closing). */
static gboolean
fill_sla (EsaStore    *self,
          EsaTicket   *ticket,
          GDateTime   *now,
          GError     **error)
{
  g_autoptr(GDateTime) closed_at = NULL;
  g_autoptr(GDateTime) due = NULL;
  gint64 elapsed = 0;
  gboolean paused = FALSE;

  if (ticket->status == ESA_TICKET_STATUS_CLOSED)
    closed_at = parse_moment (ticket->closed_at);
  if (!_esa_store_ticket_sla (self, ticket->id, ticket->body_id, ticket->sla_target_s,
                              closed_at != NULL ? closed_at : now, &elapsed, &due, &paused,
                              error))
    return FALSE;

  if (ticket->status != ESA_TICKET_STATUS_CLOSED)
    {
      ticket->sla_elapsed_s = elapsed;
      ticket->sla_breached = ticket->sla_target_s > 0 && elapsed >= ticket->sla_target_s;
    }
  ticket->sla_paused = paused || ticket->status == ESA_TICKET_STATUS_CLOSED;
  ticket->sla_due_at = due != NULL ? moment_to_iso (due) : NULL;
  return TRUE;
}

/* The ticket's id for its id or reference; NOT_FOUND otherwise. */
static char *
resolve_ticket (EsaStore    *self,
                const char  *id_or_reference,
                GError     **error)
{
  char *id = NULL;

  if (id_or_reference == NULL)
    {
      _esa_store_fail (error, ESA_STORE_ERROR_NOT_FOUND, _("No ticket given"));
      return NULL;
    }
  if (!query_text (self, "SELECT id FROM tickets WHERE id = ?1 OR reference = ?1",
                   id_or_reference, NULL, &id, error))
    return NULL;
  if (id == NULL)
    _esa_store_fail (error, ESA_STORE_ERROR_NOT_FOUND, _("No ticket %s"), id_or_reference);
  return id;
}

static EsaTicket *
load_ticket (EsaStore    *self,
             const char  *id,
             GDateTime   *now,
             GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autoptr(EsaTicket) ticket = NULL;
  gboolean row = FALSE;

  stmt = _esa_store_prepare (self, "SELECT " TICKET_COLUMNS TICKET_FROM "WHERE t.id = ?1",
                             error);
  if (stmt == NULL)
    return NULL;
  _esa_stmt_bind_text (stmt, 1, id);
  if (!_esa_store_step (self, stmt, &row, error))
    return NULL;
  if (!row)
    {
      _esa_store_fail (error, ESA_STORE_ERROR_NOT_FOUND, _("No ticket %s"), id);
      return NULL;
    }
  ticket = read_ticket_row (stmt);
  g_clear_pointer (&stmt, _esa_store_stmt_release);
  if (!fill_sla (self, ticket, now, error))
    return NULL;
  return g_steal_pointer (&ticket);
}

static gboolean
add_event (EsaStore    *self,
           const char  *ticket_id,
           const char  *at,
           const char  *kind,
           const char  *from_value,
           const char  *to_value,
           const char  *note,
           GError     **error)
{
  g_autofree char *id = esa_uuid_new ();
  const char *params[] = {
    id, ticket_id, at, esa_store_get_acting_user (self), kind, from_value, to_value, note,
  };

  return exec_params (self,
                      "INSERT INTO ticket_events (id, ticket_id, at, user_id, kind, from_value, "
                      "to_value, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                      params, G_N_ELEMENTS (params), error);
}

static gboolean
next_reference (EsaStore    *self,
                gint         year,
                char       **out_reference,
                GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row = FALSE;

  stmt = _esa_store_prepare (self,
                             "INSERT INTO ticket_counters (year, last) VALUES (?1, 1) "
                             "ON CONFLICT (year) DO UPDATE SET last = last + 1 RETURNING last",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, year);
  if (!_esa_store_step (self, stmt, &row, error))
    return FALSE;
  if (!row)
    return _esa_store_fail (error, ESA_STORE_ERROR_IO, _("Could not number the ticket"));
  *out_reference = g_strdup_printf ("T-%04d-%06" G_GINT64_FORMAT, year,
                                    (gint64) sqlite3_column_int64 (stmt, 0));
  /* Step to the end so that the statement completes before the next one. */
  return _esa_store_step (self, stmt, &row, error);
}

static gboolean
open_ticket (EsaStore             *self,
             const EsaTicketSpec  *spec,
             char                **out_id,
             char                **out_reference,
             GError              **error)
{
  g_autofree char *id = esa_uuid_new ();
  g_autofree char *reference = NULL;
  g_autofree char *now = NULL;
  g_autofree char *body_id = NULL;
  g_autofree char *office_id = NULL;
  g_autofree char *country = NULL;
  g_autofree char *summary = NULL;
  g_autoptr(GDateTime) opened = NULL;
  g_autoptr(EsaStoreStmt) stmt = NULL;
  const char *opened_at = spec->opened_at;
  const char *owner_id = spec->owner_id != NULL ? spec->owner_id
                                                : esa_store_get_acting_user (self);
  gint64 target_s = 0;
  EsaSla *sla;

  if (!_esa_store_check_action (self, ESA_ACTION_TICKET_OPEN, error))
    return FALSE;
  if (_esa_store_is_blank (spec->subject))
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID, _("A ticket needs a subject"));
  if ((guint) spec->urgency >= G_N_ELEMENTS (urgency_names))
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("Unknown urgency %d"), (gint) spec->urgency);
  if (!require_row (self, "SELECT id FROM debtors WHERE id = ?1", spec->debtor_id,
                    _("No debtor with id %s"), error))
    return FALSE;
  if (owner_id != NULL
      && !require_row (self, "SELECT id FROM users WHERE id = ?1", owner_id,
                       _("No user with id %s"), error))
    return FALSE;
  if (spec->body_id != NULL)
    {
      if (!require_row (self, "SELECT id FROM bodies WHERE id = ?1", spec->body_id,
                        _("No creditor body with id %s"), error))
        return FALSE;
      body_id = g_strdup (spec->body_id);
    }
  else if (!default_body (self, spec->debtor_id, &body_id, error))
    return FALSE;
  if (spec->contact_id != NULL
      && !require_row (self, "SELECT id FROM contact_log WHERE id = ?1", spec->contact_id,
                       _("No contact with id %s"), error))
    return FALSE;
  if (!query_text (self, "SELECT office_id FROM debtors WHERE id = ?1", spec->debtor_id, NULL,
                   &office_id, error))
    return FALSE;

  if (opened_at == NULL)
    opened_at = now = _esa_store_now_iso ();
  opened = parse_moment (opened_at);
  if (opened == NULL)
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("“%s” is not a time (ISO 8601, e.g. 2026-11-23T08:40:00Z)"),
                            opened_at);

  if (!body_country (self, body_id, &country, error))
    return FALSE;
  sla = _esa_store_sla_for (self, country, body_id);
  if (sla != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (opened);
      GDate on;
      gint year, month, day;

      g_date_time_get_ymd (local, &year, &month, &day);
      g_date_clear (&on, 1);
      g_date_set_dmy (&on, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
      if (!esa_sla_target_seconds (sla, urgency_names[spec->urgency], &on, &target_s, NULL))
        target_s = 0;
    }

  if (!next_reference (self, g_date_time_get_year (opened), &reference, error))
    return FALSE;

  stmt = _esa_store_prepare (self,
                             "INSERT INTO tickets (id, reference, debtor_id, body_id, office_id, "
                             "subject, description, urgency, level, status, owner_id, opened_by, "
                             "opened_at, contact_id, sla_target_s) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'first', 'open', ?9, ?10, "
                             "?11, ?12, ?13)",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, id);
  _esa_stmt_bind_text (stmt, 2, reference);
  _esa_stmt_bind_text (stmt, 3, spec->debtor_id);
  _esa_stmt_bind_text (stmt, 4, body_id);
  _esa_stmt_bind_text (stmt, 5, office_id);
  _esa_stmt_bind_text (stmt, 6, spec->subject);
  _esa_stmt_bind_text (stmt, 7, spec->description);
  _esa_stmt_bind_text (stmt, 8, urgency_names[spec->urgency]);
  _esa_stmt_bind_text (stmt, 9, owner_id);
  _esa_stmt_bind_text (stmt, 10, esa_store_get_acting_user (self));
  _esa_stmt_bind_text (stmt, 11, opened_at);
  _esa_stmt_bind_text (stmt, 12, spec->contact_id);
  sqlite3_bind_int64 (stmt, 13, target_s);
  if (!_esa_store_step_done (self, stmt, error))
    return FALSE;

  /* Translators: audit summary; the first %s is a ticket reference, the second its subject */
  summary = g_strdup_printf (_("Ticket %s opened: %s"), reference, spec->subject);
  if (!add_event (self, id, opened_at, "open", NULL, "open", NULL, error)
      || !record_creation (self, "tickets", "ticket", id, spec->debtor_id, summary, error))
    return FALSE;

  *out_id = g_steal_pointer (&id);
  if (out_reference != NULL)
    *out_reference = g_steal_pointer (&reference);
  return TRUE;
}

char *
esa_store_open_ticket (EsaStore             *self,
                       const EsaTicketSpec  *spec,
                       char                **out_reference,
                       GError              **error)
{
  g_autofree char *id = NULL;
  gboolean ok;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (spec != NULL, NULL);

  if (!_esa_store_write_begin (self, error))
    return NULL;
  ok = open_ticket (self, spec, &id, out_reference, error);
  if (!_esa_store_write_end (self, ok, error))
    return NULL;
  return g_steal_pointer (&id);
}

static GDateTime *
now_or (GDateTime *now)
{
  return now != NULL ? g_date_time_ref (now) : g_date_time_new_now_utc ();
}

EsaTicket *
esa_store_get_ticket (EsaStore    *self,
                      const char  *id_or_reference,
                      GDateTime   *now,
                      GError     **error)
{
  g_autoptr(GDateTime) moment = now_or (now);
  g_autofree char *id = NULL;
  EsaTicket *ticket = NULL;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);

  if (!_esa_store_read_begin (self, error))
    return NULL;
  id = resolve_ticket (self, id_or_reference, error);
  if (id != NULL)
    ticket = load_ticket (self, id, moment, error);
  _esa_store_read_end (self);
  return ticket;
}

GPtrArray *
esa_store_list_tickets (EsaStore              *self,
                        const EsaTicketFilter *filter,
                        GError               **error)
{
  g_autoptr(GPtrArray) tickets = g_ptr_array_new_with_free_func ((GDestroyNotify) esa_ticket_free);
  g_autoptr(GDateTime) moment = now_or (filter != NULL ? filter->now : NULL);
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean ok = TRUE, row = FALSE;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);

  if (!_esa_store_read_begin (self, error))
    return NULL;
  stmt = _esa_store_prepare (self,
                             "SELECT " TICKET_COLUMNS TICKET_FROM
                             "WHERE (?1 IS NULL OR t.debtor_id = ?1) "
                             "  AND (?2 IS NULL OR t.owner_id = ?2) "
                             "  AND (?3 IS NULL OR t.body_id = ?3) "
                             "  AND (?4 = 0 OR t.status <> 'closed') "
                             "ORDER BY t.opened_at DESC, t.reference DESC",
                             error);
  ok = stmt != NULL;
  if (ok)
    {
      _esa_stmt_bind_text (stmt, 1, filter != NULL ? filter->debtor_id : NULL);
      _esa_stmt_bind_text (stmt, 2, filter != NULL ? filter->owner_id : NULL);
      _esa_stmt_bind_text (stmt, 3, filter != NULL ? filter->body_id : NULL);
      sqlite3_bind_int (stmt, 4, filter != NULL && filter->open_only);
      while ((ok = _esa_store_step (self, stmt, &row, error)) && row)
        g_ptr_array_add (tickets, read_ticket_row (stmt));
    }
  g_clear_pointer (&stmt, _esa_store_stmt_release);
  for (guint i = 0; ok && i < tickets->len; i++)
    ok = fill_sla (self, g_ptr_array_index (tickets, i), moment, error);
  _esa_store_read_end (self);
  return ok ? g_steal_pointer (&tickets) : NULL;
}

GPtrArray *
esa_store_ticket_events (EsaStore    *self,
                         const char  *id_or_reference,
                         GError     **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (
    (GDestroyNotify) esa_ticket_event_free);
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autofree char *id = NULL;
  gboolean ok = FALSE, row = FALSE;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);

  if (!_esa_store_read_begin (self, error))
    return NULL;
  id = resolve_ticket (self, id_or_reference, error);
  if (id != NULL)
    stmt = _esa_store_prepare (self,
                               "SELECT e.id, e.ticket_id, e.at, e.user_id, u.name, e.kind, "
                               "  e.from_value, e.to_value, e.note "
                               "FROM ticket_events e LEFT JOIN users u ON u.id = e.user_id "
                               "WHERE e.ticket_id = ?1 ORDER BY e.at, e.rowid",
                               error);
  if (stmt != NULL)
    {
      _esa_stmt_bind_text (stmt, 1, id);
      while ((ok = _esa_store_step (self, stmt, &row, error)) && row)
        {
          EsaTicketEvent *event = g_new0 (EsaTicketEvent, 1);

          event->id = _esa_stmt_dup_text (stmt, 0);
          event->ticket_id = _esa_stmt_dup_text (stmt, 1);
          event->at = _esa_stmt_dup_text (stmt, 2);
          event->user_id = _esa_stmt_dup_text (stmt, 3);
          event->user_name = _esa_stmt_dup_text (stmt, 4);
          event->kind = _esa_stmt_dup_text (stmt, 5);
          event->from_value = _esa_stmt_dup_text (stmt, 6);
          event->to_value = _esa_stmt_dup_text (stmt, 7);
          event->note = _esa_stmt_dup_text (stmt, 8);
          g_ptr_array_add (events, event);
        }
    }
  g_clear_pointer (&stmt, _esa_store_stmt_release);
  _esa_store_read_end (self);
  return ok ? g_steal_pointer (&events) : NULL;
}

/* A change to one open ticket: reads it, runs @change, records the
 * outbox operation and the audit entry, all in one transaction. */
typedef gboolean (*TicketChange) (EsaStore    *self,
                                  EsaTicket   *ticket,
                                  const char  *now,
                                  gpointer     data,
                                  const char **out_field,
                                  char       **out_old,
                                  char       **out_new,
                                  char       **out_summary,
                                  GError     **error);

static gboolean
change_ticket (EsaStore      *self,
               const char    *id_or_reference,
               const char    *action_id,
               TicketChange   change,
               gpointer       data,
               GError       **error)
{
  g_autoptr(EsaTicket) ticket = NULL;
  g_autoptr(GDateTime) moment = g_date_time_new_now_utc ();
  g_autofree char *id = NULL;
  g_autofree char *now = moment_to_iso (moment);
  g_autofree char *old = NULL;
  g_autofree char *value = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *payload = NULL;
  const char *field = NULL;
  gboolean ok;

  if (!_esa_store_check_action (self, action_id, error))
    return FALSE;
  if (!_esa_store_write_begin (self, error))
    return FALSE;

  ok = (id = resolve_ticket (self, id_or_reference, error)) != NULL
       && (ticket = load_ticket (self, id, moment, error)) != NULL;
  if (ok && ticket->status == ESA_TICKET_STATUS_CLOSED)
    ok = _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                          _("Ticket %s is closed"), ticket->reference);
  if (ok)
    ok = change (self, ticket, now, data, &field, &old, &value, &summary, error);
  if (ok && field != NULL)
    {
      gint64 version = 0;
      g_autofree char *version_text = NULL;

      ok = query_text (self, "SELECT version FROM tickets WHERE id = ?1", id, NULL,
                       &version_text, error);
      if (ok)
        {
          const char *params[] = { id };

          version = g_ascii_strtoll (version_text, NULL, 10);
          payload = _esa_store_field_payload_text (field, value, old);
          ok = exec_params (self, "UPDATE tickets SET version = version + 1 WHERE id = ?1",
                            params, 1, error)
               && _esa_store_outbox_append_text (self, "field", "ticket", id, payload, version,
                                                 NULL, error)
               && _esa_store_audit_append (self, NULL, esa_store_get_acting_user (self),
                                           "update", "ticket", id, ticket->debtor_id, summary,
                                           error);
        }
    }
  return _esa_store_write_end (self, ok, error);
}

typedef struct
{
  EsaTicketStatus  status;
  const char      *note;
} StatusChange;

static gboolean
apply_status (EsaStore    *self,
              EsaTicket   *ticket,
              const char  *now,
              gpointer     data,
              const char **out_field,
              char       **out_old,
              char       **out_new,
              char       **out_summary,
              GError     **error)
{
  const StatusChange *change = data;
  const char *status = status_names[change->status];
  const char *params[] = { ticket->id, status };

  if (change->status == ticket->status)
    return TRUE;
  if (!exec_params (self, "UPDATE tickets SET status = ?2 WHERE id = ?1", params, 2, error)
      || !add_event (self, ticket->id, now, "status", status_names[ticket->status], status,
                     change->note, error))
    return FALSE;
  *out_field = "status";
  *out_old = g_strdup (status_names[ticket->status]);
  *out_new = g_strdup (status);
  /* Translators: audit summary: a ticket reference and its new status */
  *out_summary = g_strdup_printf (_("Ticket %s: %s"), ticket->reference,
                                  esa_ticket_status_describe (change->status));
  return TRUE;
}

gboolean
esa_store_ticket_set_status (EsaStore        *self,
                             const char      *id_or_reference,
                             EsaTicketStatus  status,
                             const char      *note,
                             GError         **error)
{
  StatusChange change = { status, note };

  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);

  if ((guint) status >= ESA_TICKET_STATUS_CLOSED)
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("A ticket is closed with its resolution, not by a change of status"));
  return change_ticket (self, id_or_reference, ESA_ACTION_TICKET_UPDATE, apply_status, &change,
                        error);
}

typedef struct
{
  const char     *note;
  EsaTicketLevel  level;
} EscalateChange;

static gboolean
apply_escalate (EsaStore    *self,
                EsaTicket   *ticket,
                const char  *now,
                gpointer     data,
                const char **out_field,
                char       **out_old,
                char       **out_new,
                char       **out_summary,
                GError     **error)
{
  EscalateChange *change = data;
  const char *params[2];

  if (ticket->level == ESA_TICKET_LEVEL_SECOND)
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("Ticket %s is already at the second level: it cannot be escalated "
                              "further"),
                            ticket->reference);
  change->level = ticket->level + 1;
  params[0] = ticket->id;
  params[1] = level_names[change->level];
  /* The next level's pool takes the ticket: nobody owns it until then. */
  if (!exec_params (self, "UPDATE tickets SET level = ?2, owner_id = NULL WHERE id = ?1",
                    params, 2, error)
      || !add_event (self, ticket->id, now, "escalate", level_names[ticket->level],
                     level_names[change->level], change->note, error))
    return FALSE;
  *out_field = "level";
  *out_old = g_strdup (level_names[ticket->level]);
  *out_new = g_strdup (level_names[change->level]);
  /* Translators: audit summary: a ticket reference and its new level */
  *out_summary = g_strdup_printf (_("Ticket %s escalated to %s"), ticket->reference,
                                  esa_ticket_level_describe (change->level));
  return TRUE;
}

gboolean
esa_store_ticket_escalate (EsaStore        *self,
                           const char      *id_or_reference,
                           const char      *note,
                           EsaTicketLevel  *out_level,
                           GError         **error)
{
  EscalateChange change = { note, ESA_TICKET_LEVEL_FIRST };

  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);

  if (!change_ticket (self, id_or_reference, ESA_ACTION_TICKET_ESCALATE, apply_escalate,
                      &change, error))
    return FALSE;
  if (out_level != NULL)
    *out_level = change.level;
  return TRUE;
}

static gboolean
apply_assign (EsaStore    *self,
              EsaTicket   *ticket,
              const char  *now,
              gpointer     data,
              const char **out_field,
              char       **out_old,
              char       **out_new,
              char       **out_summary,
              GError     **error)
{
  const char *owner_id = data;
  const char *params[] = { ticket->id, owner_id };

  if (owner_id != NULL
      && !require_row (self, "SELECT id FROM users WHERE id = ?1", owner_id,
                       _("No user with id %s"), error))
    return FALSE;
  if (g_strcmp0 (owner_id, ticket->owner_id) == 0)
    return TRUE;
  if (!exec_params (self, "UPDATE tickets SET owner_id = ?2 WHERE id = ?1", params, 2, error)
      || !add_event (self, ticket->id, now, "assign", ticket->owner_id, owner_id, NULL, error))
    return FALSE;
  *out_field = "owner_id";
  *out_old = g_strdup (ticket->owner_id);
  *out_new = g_strdup (owner_id);
  /* Translators: audit summary; %s is a ticket reference */
  *out_summary = g_strdup_printf (_("Ticket %s given to another owner"), ticket->reference);
  return TRUE;
}

gboolean
esa_store_ticket_assign (EsaStore    *self,
                         const char  *id_or_reference,
                         const char  *owner_id,
                         GError     **error)
{
  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);

  return change_ticket (self, id_or_reference, ESA_ACTION_TICKET_UPDATE, apply_assign,
                        (gpointer) owner_id, error);
}

static gboolean
apply_close (EsaStore    *self,
             EsaTicket   *ticket,
             const char  *now,
             gpointer     data,
             const char **out_field,
             char       **out_old,
             char       **out_new,
             char       **out_summary,
             GError     **error)
{
  const char *resolution = data;
  g_autoptr(GDateTime) moment = parse_moment (now);
  g_autoptr(GDateTime) due = NULL;
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gint64 elapsed = 0;
  gboolean paused;

  /* The clock as it stands at closing is kept with the ticket. */
  if (!_esa_store_ticket_sla (self, ticket->id, ticket->body_id, ticket->sla_target_s, moment,
                              &elapsed, &due, &paused, error))
    return FALSE;
  stmt = _esa_store_prepare (self,
                             "UPDATE tickets SET status = 'closed', closed_at = ?2, "
                             "resolution = ?3, sla_elapsed_s = ?4, sla_breached = ?5 "
                             "WHERE id = ?1",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, ticket->id);
  _esa_stmt_bind_text (stmt, 2, now);
  _esa_stmt_bind_text (stmt, 3, resolution);
  sqlite3_bind_int64 (stmt, 4, elapsed);
  sqlite3_bind_int (stmt, 5, ticket->sla_target_s > 0 && elapsed > ticket->sla_target_s);
  if (!_esa_store_step_done (self, stmt, error)
      || !add_event (self, ticket->id, now, "close", status_names[ticket->status], "closed",
                     resolution, error))
    return FALSE;
  *out_field = "status";
  *out_old = g_strdup (status_names[ticket->status]);
  *out_new = g_strdup ("closed");
  /* Translators: audit summary; the first %s is a ticket reference, the second the resolution */
  *out_summary = g_strdup_printf (_("Ticket %s closed: %s"), ticket->reference, resolution);
  return TRUE;
}

gboolean
esa_store_ticket_close (EsaStore    *self,
                        const char  *id_or_reference,
                        const char  *resolution,
                        GError     **error)
{
  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);

  if (_esa_store_is_blank (resolution))
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("A ticket is closed with its resolution"));
  return change_ticket (self, id_or_reference, ESA_ACTION_TICKET_CLOSE, apply_close,
                        (gpointer) resolution, error);
}

/* ---- contacts --------------------------------------------------------- */

static gboolean
log_contact (EsaStore              *self,
             const EsaContactSpec  *spec,
             char                 **out_id,
             GError               **error)
{
  static const char * const channels[] = { "phone", "email", "counter", "letter", "visit", NULL };
  static const char * const directions[] = { "in", "out", NULL };
  g_autofree char *id = esa_uuid_new ();
  g_autofree char *now = NULL;
  g_autofree char *body_id = NULL;
  g_autofree char *summary = NULL;
  g_autoptr(EsaStoreStmt) stmt = NULL;
  const char *occurred_at = spec->occurred_at;

  if (!_esa_store_check_action (self, ESA_ACTION_CONTACT_LOG, error))
    return FALSE;
  if (!require_row (self, "SELECT id FROM debtors WHERE id = ?1", spec->debtor_id,
                    _("No debtor with id %s"), error))
    return FALSE;
  if (spec->channel == NULL || !g_strv_contains (channels, spec->channel))
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("“%s” is not a contact channel (phone, email, counter, letter, "
                              "visit)"),
                            spec->channel != NULL ? spec->channel : "");
  if (spec->direction == NULL || !g_strv_contains (directions, spec->direction))
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("“%s” is not a contact direction (in, out)"),
                            spec->direction != NULL ? spec->direction : "");
  if (_esa_store_is_blank (spec->subject))
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID, _("A contact needs a subject"));
  if (spec->duration_s < 0 || spec->wait_s < 0)
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("The duration and the wait of a contact must not be negative"));
  if ((guint) spec->outcome >= G_N_ELEMENTS (outcome_names))
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID, _("Unknown contact outcome %d"),
                            (gint) spec->outcome);
  if (spec->ticket_id != NULL
      && !require_row (self, "SELECT id FROM tickets WHERE id = ?1", spec->ticket_id,
                       _("No ticket %s"), error))
    return FALSE;
  if (spec->body_id != NULL)
    {
      if (!require_row (self, "SELECT id FROM bodies WHERE id = ?1", spec->body_id,
                        _("No creditor body with id %s"), error))
        return FALSE;
      body_id = g_strdup (spec->body_id);
    }
  else if (!default_body (self, spec->debtor_id, &body_id, error))
    return FALSE;
  if (occurred_at == NULL)
    occurred_at = now = _esa_store_now_iso ();

  stmt = _esa_store_prepare (self,
                             "INSERT INTO contact_log (id, debtor_id, channel, direction, "
                             "occurred_at, user_id, subject, note, duration_s, body_id, outcome, "
                             "wait_s, ticket_id) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, id);
  _esa_stmt_bind_text (stmt, 2, spec->debtor_id);
  _esa_stmt_bind_text (stmt, 3, spec->channel);
  _esa_stmt_bind_text (stmt, 4, spec->direction);
  _esa_stmt_bind_text (stmt, 5, occurred_at);
  _esa_stmt_bind_text (stmt, 6, esa_store_get_acting_user (self));
  _esa_stmt_bind_text (stmt, 7, spec->subject);
  _esa_stmt_bind_text (stmt, 8, spec->note);
  if (spec->duration_s > 0)
    sqlite3_bind_int (stmt, 9, spec->duration_s);
  _esa_stmt_bind_text (stmt, 10, body_id);
  _esa_stmt_bind_text (stmt, 11, outcome_names[spec->outcome]);
  if (spec->wait_s > 0)
    sqlite3_bind_int (stmt, 12, spec->wait_s);
  _esa_stmt_bind_text (stmt, 13, spec->ticket_id);
  if (!_esa_store_step_done (self, stmt, error))
    return FALSE;

  /* Translators: "Contact logged (phone, in): Asked about the instalment plan" */
  summary = g_strdup_printf (_("Contact logged (%s, %s): %s"), spec->channel, spec->direction,
                             spec->subject);
  if (!record_creation (self, "contact_log", "contact", id, spec->debtor_id, summary, error))
    return FALSE;
  *out_id = g_steal_pointer (&id);
  return TRUE;
}

char *
esa_store_log_contact (EsaStore              *self,
                       const EsaContactSpec  *spec,
                       GError               **error)
{
  g_autofree char *id = NULL;
  gboolean ok;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (spec != NULL, NULL);

  if (!_esa_store_write_begin (self, error))
    return NULL;
  ok = log_contact (self, spec, &id, error);
  if (!_esa_store_write_end (self, ok, error))
    return NULL;
  return g_steal_pointer (&id);
}

/* ---- knowledge cards -------------------------------------------------- */

#define CARD_COLUMNS \
  "k.id, k.title, k.body, k.keywords, k.language, k.body_id, k.approved, k.approved_by, " \
  "k.updated_at "

static EsaKnowledgeCard *
read_card_row (EsaStoreStmt *stmt)
{
  EsaKnowledgeCard *card = g_new0 (EsaKnowledgeCard, 1);

  card->id = _esa_stmt_dup_text (stmt, 0);
  card->title = _esa_stmt_dup_text (stmt, 1);
  card->body = _esa_stmt_dup_text (stmt, 2);
  card->keywords = _esa_stmt_dup_text (stmt, 3);
  card->language = _esa_stmt_dup_text (stmt, 4);
  card->body_id = _esa_stmt_dup_text (stmt, 5);
  card->approved = sqlite3_column_int (stmt, 6) != 0;
  card->approved_by = _esa_stmt_dup_text (stmt, 7);
  card->updated_at = _esa_stmt_dup_text (stmt, 8);
  return card;
}

static gboolean
save_card (EsaStore                *self,
           const EsaKnowledgeCard  *card,
           char                   **out_id,
           GError                 **error)
{
  g_autofree char *now = _esa_store_now_iso ();
  g_autofree char *existing = NULL;
  g_autofree char *id = NULL;
  g_autofree char *summary = NULL;
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean found = FALSE;

  if (!_esa_store_check_action (self, ESA_ACTION_KNOWLEDGE_EDIT, error))
    return FALSE;
  if (_esa_store_is_blank (card->title) || _esa_store_is_blank (card->body))
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("A knowledge card needs a title and a text"));
  if (card->language == NULL || strlen (card->language) != 2)
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("A knowledge card needs a two-letter language code (it, en, de, "
                              "fr)"));
  if (card->body_id != NULL
      && !require_row (self, "SELECT id FROM bodies WHERE id = ?1", card->body_id,
                       _("No creditor body with id %s"), error))
    return FALSE;
  if (card->id != NULL
      && !query_text (self, "SELECT version FROM knowledge_cards WHERE id = ?1", card->id,
                      &found, &existing, error))
    return FALSE;

  id = card->id != NULL ? g_strdup (card->id) : esa_uuid_new ();
  stmt = _esa_store_prepare (self,
                             found
                             ? "UPDATE knowledge_cards SET title = ?2, body = ?3, keywords = ?4, "
                               "language = ?5, body_id = ?6, approved = 0, approved_by = NULL, "
                               "approved_at = NULL, updated_at = ?7, version = version + 1 "
                               "WHERE id = ?1"
                             : "INSERT INTO knowledge_cards (id, title, body, keywords, "
                               "language, body_id, updated_at) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, id);
  _esa_stmt_bind_text (stmt, 2, card->title);
  _esa_stmt_bind_text (stmt, 3, card->body);
  _esa_stmt_bind_text (stmt, 4, card->keywords != NULL ? card->keywords : "");
  _esa_stmt_bind_text (stmt, 5, card->language);
  _esa_stmt_bind_text (stmt, 6, card->body_id);
  _esa_stmt_bind_text (stmt, 7, now);
  if (!_esa_store_step_done (self, stmt, error))
    return FALSE;

  if (found)
    {
      g_autoptr(JsonNode) payload = _esa_store_queues_row_to_json (self, "knowledge_cards", id,
                                                                   error);

      /* Translators: audit summary; %s is a knowledge card's title */
      summary = g_strdup_printf (_("Knowledge card changed: %s"), card->title);
      if (payload == NULL
          || !_esa_store_outbox_append (self, "command", "knowledge_card", id, payload,
                                        g_ascii_strtoll (existing, NULL, 10), error)
          || !_esa_store_audit_append (self, NULL, esa_store_get_acting_user (self), "update",
                                       "knowledge_card", id, NULL, summary, error))
        return FALSE;
    }
  else
    {
      /* Translators: audit summary; %s is a knowledge card's title */
      summary = g_strdup_printf (_("Knowledge card written: %s"), card->title);
      if (!record_creation (self, "knowledge_cards", "knowledge_card", id, NULL, summary, error))
        return FALSE;
    }
  *out_id = g_steal_pointer (&id);
  return TRUE;
}

char *
esa_store_save_knowledge_card (EsaStore                *self,
                               const EsaKnowledgeCard  *card,
                               GError                 **error)
{
  g_autofree char *id = NULL;
  gboolean ok;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (card != NULL, NULL);

  if (!_esa_store_write_begin (self, error))
    return NULL;
  ok = save_card (self, card, &id, error);
  if (!_esa_store_write_end (self, ok, error))
    return NULL;
  return g_steal_pointer (&id);
}

static gboolean
approve_card (EsaStore    *self,
              const char  *card_id,
              GError     **error)
{
  g_autofree char *now = _esa_store_now_iso ();
  g_autofree char *version = NULL;
  g_autofree char *title = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *payload = NULL;
  gboolean found = FALSE;
  const char *params[] = { card_id, esa_store_get_acting_user (self), now };

  if (!_esa_store_check_action (self, ESA_ACTION_KNOWLEDGE_APPROVE, error))
    return FALSE;
  if (!query_text (self, "SELECT version FROM knowledge_cards WHERE id = ?1", card_id, &found,
                   &version, error))
    return FALSE;
  if (!found)
    return _esa_store_fail (error, ESA_STORE_ERROR_NOT_FOUND,
                            _("No knowledge card with id %s"), card_id);
  if (!query_text (self, "SELECT title FROM knowledge_cards WHERE id = ?1", card_id, NULL,
                   &title, error)
      || !exec_params (self,
                       "UPDATE knowledge_cards SET approved = 1, approved_by = ?2, "
                       "approved_at = ?3, version = version + 1 WHERE id = ?1",
                       params, G_N_ELEMENTS (params), error))
    return FALSE;
  payload = _esa_store_field_payload_text ("approved", "1", "0");
  /* Translators: audit summary; %s is a knowledge card's title */
  summary = g_strdup_printf (_("Knowledge card approved: %s"), title);
  return _esa_store_outbox_append_text (self, "field", "knowledge_card", card_id, payload,
                                        g_ascii_strtoll (version, NULL, 10), NULL, error)
         && _esa_store_audit_append (self, NULL, esa_store_get_acting_user (self), "approve",
                                     "knowledge_card", card_id, NULL, summary, error);
}

gboolean
esa_store_approve_knowledge_card (EsaStore    *self,
                                  const char  *card_id,
                                  GError     **error)
{
  gboolean ok;

  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);
  g_return_val_if_fail (card_id != NULL, FALSE);

  if (!_esa_store_write_begin (self, error))
    return FALSE;
  ok = approve_card (self, card_id, error);
  return _esa_store_write_end (self, ok, error);
}

EsaKnowledgeCard *
esa_store_get_knowledge_card (EsaStore    *self,
                              const char  *card_id,
                              GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row = FALSE;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);

  if (!_esa_store_check_action (self, ESA_ACTION_KNOWLEDGE_VIEW, error))
    return NULL;
  stmt = _esa_store_prepare (self, "SELECT " CARD_COLUMNS "FROM knowledge_cards k WHERE k.id = ?1",
                             error);
  if (stmt == NULL)
    return NULL;
  _esa_stmt_bind_text (stmt, 1, card_id);
  if (!_esa_store_step (self, stmt, &row, error))
    return NULL;
  if (!row)
    {
      _esa_store_fail (error, ESA_STORE_ERROR_NOT_FOUND,
                       _("No knowledge card with id %s"), card_id);
      return NULL;
    }
  return read_card_row (stmt);
}

/* Each word of @text as a quoted FTS5 prefix query, all of them required:
 * quoting keeps the words from being read as FTS5 syntax. */
static char *
fts_query (const char *text)
{
  g_autofree char *folded = g_utf8_normalize (text, -1, G_NORMALIZE_ALL);
  g_autoptr(GString) query = g_string_new (NULL);
  const char *p = folded;

  while (p != NULL && *p != '\0')
    {
      const char *start;

      while (*p != '\0' && !g_unichar_isalnum (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      start = p;
      while (*p != '\0' && g_unichar_isalnum (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (p > start)
        {
          if (query->len > 0)
            g_string_append_c (query, ' ');
          g_string_append_c (query, '"');
          g_string_append_len (query, start, p - start);
          g_string_append (query, "\"*");
        }
    }
  return query->len > 0 ? g_string_free (g_steal_pointer (&query), FALSE) : NULL;
}

GPtrArray *
esa_store_search_knowledge (EsaStore    *self,
                            const char  *text,
                            const char  *language,
                            gboolean     approved_only,
                            guint        limit,
                            GError     **error)
{
  g_autoptr(GPtrArray) cards = g_ptr_array_new_with_free_func (
    (GDestroyNotify) esa_knowledge_card_free);
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autofree char *match = NULL;
  gboolean ok, row = FALSE;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);

  if (!_esa_store_check_action (self, ESA_ACTION_KNOWLEDGE_VIEW, error))
    return NULL;
  match = text != NULL ? fts_query (text) : NULL;
  if (match != NULL)
    stmt = _esa_store_prepare (self,
                               "SELECT " CARD_COLUMNS
                               "FROM knowledge_search s "
                               "JOIN knowledge_cards k ON k.num = s.rowid "
                               "WHERE knowledge_search MATCH ?1 "
                               "  AND (?2 IS NULL OR k.language = ?2) "
                               "  AND (?3 = 0 OR k.approved = 1) "
                               "ORDER BY bm25(knowledge_search, 10.0, 5.0, 1.0), k.title "
                               "LIMIT ?4",
                               error);
  else
    stmt = _esa_store_prepare (self,
                               "SELECT " CARD_COLUMNS "FROM knowledge_cards k "
                               "WHERE ?1 IS NULL AND (?2 IS NULL OR k.language = ?2) "
                               "  AND (?3 = 0 OR k.approved = 1) "
                               "ORDER BY k.title LIMIT ?4",
                               error);
  if (stmt == NULL)
    return NULL;
  _esa_stmt_bind_text (stmt, 1, match);
  _esa_stmt_bind_text (stmt, 2, language);
  sqlite3_bind_int (stmt, 3, approved_only);
  sqlite3_bind_int64 (stmt, 4, limit > 0 ? (gint64) limit : -1);
  while ((ok = _esa_store_step (self, stmt, &row, error)) && row)
    g_ptr_array_add (cards, read_card_row (stmt));
  return ok ? g_steal_pointer (&cards) : NULL;
}

/* ---- appointments ----------------------------------------------------- */

static gboolean
book_appointment (EsaStore              *self,
                  const EsaAppointment  *appointment,
                  char                 **out_id,
                  GError               **error)
{
  static const char * const channels[] = { "counter", "phone", "video", NULL };
  g_autofree char *id = esa_uuid_new ();
  g_autofree char *summary = NULL;
  g_autoptr(GDateTime) starts = NULL;
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row = FALSE;

  if (!_esa_store_check_action (self, ESA_ACTION_APPOINTMENT_BOOK, error))
    return FALSE;
  if (!require_row (self, "SELECT id FROM debtors WHERE id = ?1", appointment->debtor_id,
                    _("No debtor with id %s"), error)
      || !require_row (self, "SELECT id FROM offices WHERE id = ?1", appointment->office_id,
                       _("No office with id %s"), error))
    return FALSE;
  if (appointment->user_id != NULL
      && !require_row (self, "SELECT id FROM users WHERE id = ?1", appointment->user_id,
                       _("No user with id %s"), error))
    return FALSE;
  starts = parse_moment (appointment->starts_at);
  if (starts == NULL)
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("“%s” is not a time (ISO 8601, e.g. 2026-11-23T08:40:00Z)"),
                            appointment->starts_at != NULL ? appointment->starts_at : "");
  if (appointment->minutes <= 0)
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("An appointment lasts at least one minute"));
  if (appointment->channel == NULL || !g_strv_contains (channels, appointment->channel))
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("“%s” is not a kind of appointment (counter, phone, video)"),
                            appointment->channel != NULL ? appointment->channel : "");
  if (_esa_store_is_blank (appointment->subject))
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID, _("An appointment needs a subject"));

  if (appointment->user_id != NULL)
    {
      g_autofree char *starts_iso = moment_to_iso (starts);

      stmt = _esa_store_prepare (self,
                                 "SELECT starts_at FROM appointments "
                                 "WHERE user_id = ?1 AND status = 'booked' "
                                 "  AND julianday(starts_at) < julianday(?2, '+' || ?3 "
                                 "      || ' minutes') "
                                 "  AND julianday(starts_at, '+' || minutes || ' minutes') "
                                 "      > julianday(?2) LIMIT 1",
                                 error);
      if (stmt == NULL)
        return FALSE;
      _esa_stmt_bind_text (stmt, 1, appointment->user_id);
      _esa_stmt_bind_text (stmt, 2, starts_iso);
      sqlite3_bind_int (stmt, 3, appointment->minutes);
      if (!_esa_store_step (self, stmt, &row, error))
        return FALSE;
      if (row)
        return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                                _("The officer already has an appointment at %s"), col (stmt, 0));
      g_clear_pointer (&stmt, _esa_store_stmt_release);
    }

  stmt = _esa_store_prepare (self,
                             "INSERT INTO appointments (id, debtor_id, office_id, user_id, "
                             "starts_at, minutes, channel, subject, ticket_id) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, id);
  _esa_stmt_bind_text (stmt, 2, appointment->debtor_id);
  _esa_stmt_bind_text (stmt, 3, appointment->office_id);
  _esa_stmt_bind_text (stmt, 4, appointment->user_id);
  _esa_stmt_bind_text (stmt, 5, appointment->starts_at);
  sqlite3_bind_int (stmt, 6, appointment->minutes);
  _esa_stmt_bind_text (stmt, 7, appointment->channel);
  _esa_stmt_bind_text (stmt, 8, appointment->subject);
  _esa_stmt_bind_text (stmt, 9, appointment->ticket_id);
  if (!_esa_store_step_done (self, stmt, error))
    return FALSE;

  /* Translators: audit summary; the first %s is a time, the second the subject */
  summary = g_strdup_printf (_("Appointment booked for %s: %s"), appointment->starts_at,
                             appointment->subject);
  if (!record_creation (self, "appointments", "appointment", id, appointment->debtor_id,
                        summary, error))
    return FALSE;
  *out_id = g_steal_pointer (&id);
  return TRUE;
}

char *
esa_store_book_appointment (EsaStore              *self,
                            const EsaAppointment  *appointment,
                            GError               **error)
{
  g_autofree char *id = NULL;
  gboolean ok;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (appointment != NULL, NULL);

  if (!_esa_store_write_begin (self, error))
    return NULL;
  ok = book_appointment (self, appointment, &id, error);
  if (!_esa_store_write_end (self, ok, error))
    return NULL;
  return g_steal_pointer (&id);
}

static gboolean
set_appointment_status (EsaStore    *self,
                        const char  *appointment_id,
                        const char  *status,
                        GError     **error)
{
  g_autofree char *old = NULL;
  g_autofree char *debtor_id = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *version = NULL;
  gboolean found = FALSE;
  const char *params[] = { appointment_id, status };

  if (!_esa_store_check_action (self, ESA_ACTION_APPOINTMENT_BOOK, error))
    return FALSE;
  if (g_strcmp0 (status, "done") != 0 && g_strcmp0 (status, "cancelled") != 0)
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("An appointment can only be marked done or cancelled"));
  if (!query_text (self, "SELECT status FROM appointments WHERE id = ?1", appointment_id,
                   &found, &old, error))
    return FALSE;
  if (!found)
    return _esa_store_fail (error, ESA_STORE_ERROR_NOT_FOUND, _("No appointment with id %s"),
                            appointment_id);
  if (strcmp (old, "booked") != 0)
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("The appointment is already %s"), old);
  if (!query_text (self, "SELECT debtor_id FROM appointments WHERE id = ?1", appointment_id,
                   NULL, &debtor_id, error)
      || !query_text (self, "SELECT version FROM appointments WHERE id = ?1", appointment_id,
                      NULL, &version, error)
      || !exec_params (self,
                       "UPDATE appointments SET status = ?2, version = version + 1 "
                       "WHERE id = ?1",
                       params, 2, error))
    return FALSE;
  payload = _esa_store_field_payload_text ("status", status, old);
  /* Translators: audit summary; %s is "done" or "cancelled" */
  summary = g_strdup_printf (_("Appointment marked %s"), status);
  return _esa_store_outbox_append_text (self, "field", "appointment", appointment_id, payload,
                                        g_ascii_strtoll (version, NULL, 10), NULL, error)
         && _esa_store_audit_append (self, NULL, esa_store_get_acting_user (self), "update",
                                     "appointment", appointment_id, debtor_id, summary, error);
}

gboolean
esa_store_set_appointment_status (EsaStore    *self,
                                  const char  *appointment_id,
                                  const char  *status,
                                  GError     **error)
{
  gboolean ok;

  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);

  if (!_esa_store_write_begin (self, error))
    return FALSE;
  ok = set_appointment_status (self, appointment_id, status, error);
  return _esa_store_write_end (self, ok, error);
}

GPtrArray *
esa_store_list_appointments (EsaStore    *self,
                             const char  *office_id,
                             const char  *user_id,
                             const char  *from,
                             const char  *to,
                             GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (
    (GDestroyNotify) esa_appointment_free);
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean ok, row = FALSE;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);

  stmt = _esa_store_prepare (self,
                             "SELECT a.id, a.debtor_id, d.name, a.office_id, o.name, a.user_id, "
                             "  u.name, a.starts_at, a.minutes, a.channel, a.subject, a.status, "
                             "  a.ticket_id "
                             "FROM appointments a JOIN debtors d ON d.id = a.debtor_id "
                             "JOIN offices o ON o.id = a.office_id "
                             "LEFT JOIN users u ON u.id = a.user_id "
                             "WHERE (?1 IS NULL OR a.office_id = ?1) "
                             "  AND (?2 IS NULL OR a.user_id = ?2) "
                             "  AND (?3 IS NULL OR substr(a.starts_at, 1, 10) >= ?3) "
                             "  AND (?4 IS NULL OR substr(a.starts_at, 1, 10) <= ?4) "
                             "ORDER BY a.starts_at, a.id",
                             error);
  if (stmt == NULL)
    return NULL;
  _esa_stmt_bind_text (stmt, 1, office_id);
  _esa_stmt_bind_text (stmt, 2, user_id);
  _esa_stmt_bind_text (stmt, 3, from);
  _esa_stmt_bind_text (stmt, 4, to);
  while ((ok = _esa_store_step (self, stmt, &row, error)) && row)
    {
      EsaAppointment *a = g_new0 (EsaAppointment, 1);

      a->id = _esa_stmt_dup_text (stmt, 0);
      a->debtor_id = _esa_stmt_dup_text (stmt, 1);
      a->debtor_name = _esa_stmt_dup_text (stmt, 2);
      a->office_id = _esa_stmt_dup_text (stmt, 3);
      a->office_name = _esa_stmt_dup_text (stmt, 4);
      a->user_id = _esa_stmt_dup_text (stmt, 5);
      a->user_name = _esa_stmt_dup_text (stmt, 6);
      a->starts_at = _esa_stmt_dup_text (stmt, 7);
      a->minutes = sqlite3_column_int (stmt, 8);
      a->channel = _esa_stmt_dup_text (stmt, 9);
      a->subject = _esa_stmt_dup_text (stmt, 10);
      a->status = _esa_stmt_dup_text (stmt, 11);
      a->ticket_id = _esa_stmt_dup_text (stmt, 12);
      g_ptr_array_add (list, a);
    }
  return ok ? g_steal_pointer (&list) : NULL;
}

/* ---- statistics ------------------------------------------------------- */

static gint32
ppm (gint64 part,
     gint64 whole)
{
  return whole > 0 ? (gint32) (part * 1000000 / whole) : 0;
}

static EsaContactStats *
stats_for (GHashTable *by_body,
           GPtrArray  *list,
           const char *body_id,
           const char *body_name,
           const char *month)
{
  const char *key = body_id != NULL ? body_id : "";
  EsaContactStats *stats = g_hash_table_lookup (by_body, key);

  if (stats == NULL)
    {
      stats = g_new0 (EsaContactStats, 1);
      stats->body_id = g_strdup (body_id);
      stats->body_name = g_strdup (body_name);
      stats->month = g_strdup (month);
      g_hash_table_insert (by_body, g_strdup (key), stats);
      g_ptr_array_add (list, stats);
    }
  return stats;
}

static gint
compare_stats (gconstpointer a,
               gconstpointer b)
{
  const EsaContactStats *x = *(EsaContactStats * const *) a;
  const EsaContactStats *y = *(EsaContactStats * const *) b;

  if (x->body_name == NULL || y->body_name == NULL)
    return (x->body_name == NULL) - (y->body_name == NULL);
  return g_utf8_collate (x->body_name, y->body_name);
}

GPtrArray *
esa_store_contact_stats (EsaStore    *self,
                         const char  *body_id,
                         const char  *month,
                         GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (
    (GDestroyNotify) esa_contact_stats_free);
  g_autoptr(GHashTable) by_body = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autofree char *first_day = NULL;
  gboolean ok, row = FALSE;
  GDate date;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);

  if (!_esa_store_check_action (self, ESA_ACTION_STATS_VIEW, error))
    return NULL;
  first_day = g_strconcat (month != NULL ? month : "", "-01", NULL);
  g_date_clear (&date, 1);
  if (month == NULL || strlen (month) != 7 || !esa_date_parse_iso (first_day, &date, NULL))
    {
      _esa_store_fail (error, ESA_STORE_ERROR_INVALID, _("“%s” is not a month (YYYY-MM)"),
                       month != NULL ? month : "");
      return NULL;
    }

  if (!_esa_store_read_begin (self, error))
    return NULL;
  stmt = _esa_store_prepare (self,
                             "SELECT c.body_id, b.name, count(*), "
                             "  sum(c.outcome <> 'lost'), sum(c.outcome = 'lost'), "
                             "  sum(c.outcome <> 'lost' AND c.wait_s > 40), "
                             "  sum(c.outcome <> 'lost' AND c.channel = 'phone'), "
                             "  count(CASE WHEN c.outcome <> 'lost' THEN c.duration_s END), "
                             "  avg(CASE WHEN c.outcome <> 'lost' THEN c.duration_s END), "
                             "  min(CASE WHEN c.outcome <> 'lost' THEN c.duration_s END), "
                             "  max(CASE WHEN c.outcome <> 'lost' THEN c.duration_s END), "
                             "  sum(c.outcome = 'resolved') "
                             "FROM contact_log c LEFT JOIN bodies b ON b.id = c.body_id "
                             "WHERE c.direction = 'in' AND substr(c.occurred_at, 1, 7) = ?1 "
                             "  AND (?2 IS NULL OR c.body_id = ?2) "
                             "GROUP BY c.body_id",
                             error);
  ok = stmt != NULL;
  if (ok)
    {
      _esa_stmt_bind_text (stmt, 1, month);
      _esa_stmt_bind_text (stmt, 2, body_id);
      while ((ok = _esa_store_step (self, stmt, &row, error)) && row)
        {
          EsaContactStats *s = stats_for (by_body, list, col (stmt, 0), col (stmt, 1), month);
          gint64 answered_calls = sqlite3_column_int64 (stmt, 6);

          s->contacts_in = sqlite3_column_int64 (stmt, 2);
          s->contacts_handled = sqlite3_column_int64 (stmt, 3);
          s->contacts_lost = sqlite3_column_int64 (stmt, 4);
          s->lost_rate_ppm = ppm (s->contacts_lost, s->contacts_in);
          s->waits_over_40s = sqlite3_column_int64 (stmt, 5);
          s->waits_over_40s_ppm = ppm (s->waits_over_40s, answered_calls);
          s->duration_count = sqlite3_column_int64 (stmt, 7);
          s->duration_mean_s = (gint64) (sqlite3_column_double (stmt, 8) + 0.5);
          s->duration_min_s = sqlite3_column_int64 (stmt, 9);
          s->duration_max_s = sqlite3_column_int64 (stmt, 10);
          s->first_level_resolved = sqlite3_column_int64 (stmt, 11);
          s->first_level_rate_ppm = ppm (s->first_level_resolved, s->contacts_handled);
        }
    }
  g_clear_pointer (&stmt, _esa_store_stmt_release);

  if (ok)
    {
      stmt = _esa_store_prepare (self,
                                 "SELECT t.body_id, b.name, "
                                 "  sum(substr(t.opened_at, 1, 7) = ?1), "
                                 "  sum(substr(t.closed_at, 1, 7) = ?1), "
                                 "  sum(substr(t.closed_at, 1, 7) = ?1 AND t.sla_breached = 0) "
                                 "FROM tickets t LEFT JOIN bodies b ON b.id = t.body_id "
                                 "WHERE (substr(t.opened_at, 1, 7) = ?1 "
                                 "       OR substr(t.closed_at, 1, 7) = ?1) "
                                 "  AND (?2 IS NULL OR t.body_id = ?2) "
                                 "GROUP BY t.body_id",
                                 error);
      ok = stmt != NULL;
    }
  if (ok)
    {
      _esa_stmt_bind_text (stmt, 1, month);
      _esa_stmt_bind_text (stmt, 2, body_id);
      while ((ok = _esa_store_step (self, stmt, &row, error)) && row)
        {
          EsaContactStats *s = stats_for (by_body, list, col (stmt, 0), col (stmt, 1), month);

          s->tickets_opened = sqlite3_column_int64 (stmt, 2);
          s->tickets_closed = sqlite3_column_int64 (stmt, 3);
          s->tickets_within_sla = sqlite3_column_int64 (stmt, 4);
          s->tickets_within_sla_ppm = ppm (s->tickets_within_sla, s->tickets_closed);
        }
    }
  g_clear_pointer (&stmt, _esa_store_stmt_release);
  _esa_store_read_end (self);
  if (!ok)
    return NULL;

  g_ptr_array_sort (list, compare_stats);
  return g_steal_pointer (&list);
}
