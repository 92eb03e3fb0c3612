#pragma once

#include <glib-object.h>

#include "esa-parameters.h"
#include "esa-store.h"

G_BEGIN_DECLS

/* The contact center (DOMAIN.md "Contact center", issue 7).
 *
 * Every contact (phone, e-mail, counter, letter, visit) is logged on the
 * debtor's dossier with its outcome: answered at the first level, handed on
 * as a ticket, or lost (a call that hung up while waiting). A question not
 * answered at first contact becomes a ticket with a reference number for the
 * caller ("T-2026-000123", numbered per year), an urgency, a level (first
 * level, back office, second level) and an owner. The ticket's SLA clock
 * (esa-sla.h) runs in the business hours of its creditor body and pauses
 * while the ticket waits for the caller; the target depends on the urgency.
 * SLA figures need the parameters given with esa_store_set_procedures();
 * without them a ticket has no target (sla_target_s 0, no due moment).
 *
 * Operators answer from knowledge cards (approved information sheets, FAQ)
 * found by keyword, and book appointments at the counter.
 *
 * Every write is one transaction with an audit entry and an outbox
 * operation, and is checked against the acting user's role (esa-roles.h):
 * "contact.log", "ticket.open", "ticket.update", "ticket.escalate",
 * "ticket.close", "knowledge.edit", "knowledge.approve", "appointment.book";
 * reading statistics needs "stats.view". A refusal is
 * ESA_STORE_ERROR_FORBIDDEN with a translated reason. Times are ISO 8601
 * UTC ("2026-11-23T08:40:00Z"). */

typedef enum
{
  ESA_TICKET_URGENCY_LOW,          /* "low" */
  ESA_TICKET_URGENCY_NORMAL,       /* "normal" */
  ESA_TICKET_URGENCY_HIGH,         /* "high" */
} EsaTicketUrgency;

typedef enum
{
  ESA_TICKET_LEVEL_FIRST,          /* "first": the contact center */
  ESA_TICKET_LEVEL_BACK_OFFICE,    /* "back_office" */
  ESA_TICKET_LEVEL_SECOND,         /* "second": the specialist */
} EsaTicketLevel;

typedef enum
{
  ESA_TICKET_STATUS_OPEN,            /* "open" */
  ESA_TICKET_STATUS_WAITING_CALLER,  /* "waiting_caller": the SLA clock pauses */
  ESA_TICKET_STATUS_IN_PROGRESS,     /* "in_progress" */
  ESA_TICKET_STATUS_CLOSED,          /* "closed" */
} EsaTicketStatus;

/* Stable names as in the comments above; *_describe() are translated. */
const char *esa_ticket_urgency_to_string   (EsaTicketUrgency  urgency);
gboolean    esa_ticket_urgency_from_string (const char       *name,
                                            EsaTicketUrgency *out);
const char *esa_ticket_urgency_describe    (EsaTicketUrgency  urgency);
const char *esa_ticket_level_to_string     (EsaTicketLevel    level);
gboolean    esa_ticket_level_from_string   (const char       *name,
                                            EsaTicketLevel   *out);
const char *esa_ticket_level_describe      (EsaTicketLevel    level);
const char *esa_ticket_status_to_string    (EsaTicketStatus   status);
gboolean    esa_ticket_status_from_string  (const char       *name,
                                            EsaTicketStatus  *out);
const char *esa_ticket_status_describe     (EsaTicketStatus   status);

typedef struct
{
  char             *id;
  char             *reference;     /* "T-2026-000123" */
  char             *debtor_id;
  char             *debtor_name;
  char             *body_id;       /* the creditor body whose calendar the SLA follows */
  char             *office_id;
  char             *subject;
  char             *description;   /* nullable */
  EsaTicketUrgency  urgency;
  EsaTicketLevel    level;
  EsaTicketStatus   status;
  char             *owner_id;      /* nullable: with the level's pool */
  char             *owner_name;
  char             *opened_by;     /* user id */
  char             *opened_at;
  char             *closed_at;     /* nullable */
  char             *resolution;    /* nullable: set when closed */
  char             *contact_id;    /* nullable: the contact it came from */
  /* The SLA as of the moment the ticket was read (or closed). */
  gint64            sla_target_s;  /* business seconds allowed; 0 without parameters */
  gint64            sla_elapsed_s; /* business seconds used while not paused */
  char             *sla_due_at;    /* nullable: when the budget runs out (esa_sla_due()) */
  gboolean          sla_paused;    /* waiting for the caller, or closed */
  gboolean          sla_breached;  /* elapsed over target */
} EsaTicket;

void       esa_ticket_free (EsaTicket *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaTicket, esa_ticket_free)

/* One entry of a ticket's history. */
typedef struct
{
  char *id;
  char *ticket_id;
  char *at;
  char *user_id;
  char *user_name;
  char *kind;          /* "open", "status", "escalate", "assign", "close", "note" */
  char *from_value;    /* nullable: the status, level or owner before */
  char *to_value;      /* nullable: after */
  char *note;          /* nullable */
} EsaTicketEvent;

void       esa_ticket_event_free (EsaTicketEvent *self);

/* What a new ticket needs. */
typedef struct
{
  const char       *debtor_id;
  const char       *subject;
  const char       *description;   /* nullable */
  EsaTicketUrgency  urgency;
  const char       *body_id;       /* nullable: the body of the debtor's latest case or
                                    * position */
  const char       *owner_id;      /* nullable: the acting user */
  const char       *contact_id;    /* nullable */
  const char       *opened_at;     /* nullable: now */
} EsaTicketSpec;

/**
 * esa_store_open_ticket:
 * @out_reference: (out) (optional) (transfer full): the reference for the
 *   caller
 *
 * Opens a ticket at the first level with status "open".
 *
 * Returns: (transfer full): the ticket's id, or NULL with @error set
 *   (ESA_STORE_ERROR_NOT_FOUND for an unknown debtor, ESA_STORE_ERROR_INVALID
 *   for an empty subject)
 */
char      *esa_store_open_ticket      (EsaStore             *self,
                                       const EsaTicketSpec  *spec,
                                       char                **out_reference,
                                       GError              **error);

/**
 * esa_store_get_ticket:
 * @id_or_reference: a ticket's id or its reference ("T-2026-000123")
 * @now: (nullable): the moment its SLA is computed for; NULL for now
 *
 * Returns: (transfer full): the ticket, or NULL with
 *   ESA_STORE_ERROR_NOT_FOUND
 */
EsaTicket *esa_store_get_ticket       (EsaStore    *self,
                                       const char  *id_or_reference,
                                       GDateTime   *now,
                                       GError     **error);

typedef struct
{
  const char *debtor_id;   /* nullable */
  const char *owner_id;    /* nullable */
  const char *body_id;     /* nullable */
  gboolean    open_only;   /* leave out closed tickets */
  GDateTime  *now;         /* nullable: the SLA moment; NULL for now */
} EsaTicketFilter;

/* Returns: (transfer container) (element-type EsaTicket): newest first */
GPtrArray *esa_store_list_tickets     (EsaStore              *self,
                                       const EsaTicketFilter *filter,
                                       GError               **error);

/* Returns: (transfer container) (element-type EsaTicketEvent): oldest first */
GPtrArray *esa_store_ticket_events    (EsaStore    *self,
                                       const char  *id_or_reference,
                                       GError     **error);

/**
 * esa_store_ticket_set_status:
 * @status: ESA_TICKET_STATUS_OPEN, _WAITING_CALLER or _IN_PROGRESS (closing
 *   is esa_store_ticket_close())
 * @note: (nullable)
 *
 * ESA_STORE_ERROR_INVALID for a closed ticket.
 */
gboolean   esa_store_ticket_set_status (EsaStore        *self,
                                        const char      *id_or_reference,
                                        EsaTicketStatus  status,
                                        const char      *note,
                                        GError         **error);

/**
 * esa_store_ticket_escalate:
 * @note: (nullable): why
 * @out_level: (out) (optional): the new level
 *
 * Hands the ticket on to the next level (first → back office → second);
 * its owner is cleared (the next level's pool takes it). ESA_STORE_ERROR_INVALID
 * at the second level or for a closed ticket.
 */
gboolean   esa_store_ticket_escalate  (EsaStore        *self,
                                       const char      *id_or_reference,
                                       const char      *note,
                                       EsaTicketLevel  *out_level,
                                       GError         **error);

/* Gives the ticket to @owner_id (an existing user; NULL for the pool). */
gboolean   esa_store_ticket_assign    (EsaStore    *self,
                                       const char  *id_or_reference,
                                       const char  *owner_id,
                                       GError     **error);

/**
 * esa_store_ticket_close:
 * @resolution: what was answered or done; not empty
 *
 * Closes the ticket: its SLA clock stops. ESA_STORE_ERROR_INVALID when
 * already closed.
 */
gboolean   esa_store_ticket_close     (EsaStore    *self,
                                       const char  *id_or_reference,
                                       const char  *resolution,
                                       GError     **error);

/* ---- contacts ------------------------------------------------------------ */

typedef enum
{
  ESA_CONTACT_OUTCOME_RESOLVED,    /* "resolved": answered at first contact */
  ESA_CONTACT_OUTCOME_TICKET,      /* "ticket": handed on with a ticket */
  ESA_CONTACT_OUTCOME_INFO,        /* "info": outgoing or for the record, nothing to answer */
  ESA_CONTACT_OUTCOME_LOST,        /* "lost": the caller hung up before being answered */
} EsaContactOutcome;

const char *esa_contact_outcome_to_string   (EsaContactOutcome  outcome);
gboolean    esa_contact_outcome_from_string (const char        *name,
                                             EsaContactOutcome *out);

typedef struct
{
  const char        *debtor_id;
  const char        *channel;       /* "phone", "email", "counter", "letter", "visit" */
  const char        *direction;     /* "in" or "out" */
  const char        *subject;
  const char        *note;          /* nullable */
  const char        *occurred_at;   /* nullable: now */
  gint               duration_s;    /* 0 when not timed */
  gint               wait_s;        /* seconds the caller waited before an answer */
  EsaContactOutcome  outcome;
  const char        *body_id;       /* nullable: as for tickets */
  const char        *ticket_id;     /* nullable: the ticket the contact is about */
} EsaContactSpec;

/**
 * esa_store_log_contact:
 *
 * Logs a contact on the debtor's dossier (it appears in
 * EsaDossier.contacts) by the acting user.
 *
 * Returns: (transfer full): the contact's id, or NULL with @error set
 */
char      *esa_store_log_contact      (EsaStore              *self,
                                       const EsaContactSpec  *spec,
                                       GError               **error);

/* ---- knowledge cards -------------------------------------------------- */

typedef struct
{
  char     *id;
  char     *title;
  char     *body;           /* plain text, paragraphs separated by blank lines */
  char     *keywords;       /* space- or comma-separated */
  char     *language;       /* "it", "en", "de", "fr" */
  char     *body_id;        /* nullable: for every body */
  gboolean  approved;
  char     *approved_by;    /* nullable */
  char     *updated_at;
} EsaKnowledgeCard;

void       esa_knowledge_card_free (EsaKnowledgeCard *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaKnowledgeCard, esa_knowledge_card_free)

/**
 * esa_store_save_knowledge_card:
 * @card: with id NULL for a new card; an existing card is replaced and
 *   loses its approval
 *
 * Needs "knowledge.edit". Returns: (transfer full): the card's id
 */
char      *esa_store_save_knowledge_card    (EsaStore               *self,
                                             const EsaKnowledgeCard *card,
                                             GError                **error);
/* Needs "knowledge.approve". */
gboolean   esa_store_approve_knowledge_card (EsaStore    *self,
                                             const char  *card_id,
                                             GError     **error);
EsaKnowledgeCard *esa_store_get_knowledge_card (EsaStore    *self,
                                                const char  *card_id,
                                                GError     **error);

/**
 * esa_store_search_knowledge:
 * @text: keywords; each word matches as a prefix in the title, keywords or
 *   body; blank lists every card
 * @language: (nullable): only cards in this language
 * @approved_only: leave out cards not yet approved (what operators see)
 * @limit: at most this many; 0 for no limit
 *
 * Returns: (transfer container) (element-type EsaKnowledgeCard): best match
 *   first (title and keywords weigh more than the body)
 */
GPtrArray *esa_store_search_knowledge (EsaStore    *self,
                                       const char  *text,
                                       const char  *language,
                                       gboolean     approved_only,
                                       guint        limit,
                                       GError     **error);

/* ---- appointments ------------------------------------------------------- */

typedef struct
{
  char *id;
  char *debtor_id;
  char *debtor_name;
  char *office_id;
  char *office_name;
  char *user_id;           /* the officer met; nullable */
  char *user_name;
  char *starts_at;         /* ISO 8601 UTC */
  gint  minutes;
  char *channel;           /* "counter", "phone", "video" */
  char *subject;
  char *status;            /* "booked", "done", "cancelled" */
  char *ticket_id;         /* nullable */
} EsaAppointment;

void       esa_appointment_free (EsaAppointment *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaAppointment, esa_appointment_free)

/**
 * esa_store_book_appointment:
 * @appointment: id and status are ignored (a new one is "booked")
 *
 * ESA_STORE_ERROR_INVALID when the officer already has an appointment that
 * overlaps. Needs "appointment.book".
 *
 * Returns: (transfer full): the id
 */
char      *esa_store_book_appointment (EsaStore             *self,
                                       const EsaAppointment *appointment,
                                       GError              **error);
/* @status: "done" or "cancelled". Needs "appointment.book". */
gboolean   esa_store_set_appointment_status (EsaStore    *self,
                                             const char  *appointment_id,
                                             const char  *status,
                                             GError     **error);
/**
 * esa_store_list_appointments:
 * @office_id: (nullable)
 * @user_id: (nullable)
 * @from: (nullable): YYYY-MM-DD, inclusive
 * @to: (nullable): YYYY-MM-DD, inclusive
 *
 * Returns: (transfer container) (element-type EsaAppointment): by start
 */
GPtrArray *esa_store_list_appointments (EsaStore    *self,
                                        const char  *office_id,
                                        const char  *user_id,
                                        const char  *from,
                                        const char  *to,
                                        GError     **error);

/* ---- statistics ------------------------------------------------------- */

/* One creditor body's contact-center month. Rates are in millionths. */
typedef struct
{
  char   *body_id;              /* NULL: contacts not tied to a body */
  char   *body_name;
  char   *month;                /* YYYY-MM */
  gint64  contacts_in;          /* incoming contacts, every channel */
  gint64  contacts_handled;     /* of them, answered (not lost) */
  gint64  contacts_lost;
  gint32  lost_rate_ppm;        /* lost / in */
  gint64  waits_over_40s;       /* answered calls that waited more than 40 s */
  gint32  waits_over_40s_ppm;   /* of the answered calls */
  gint64  duration_count;       /* handled contacts with a duration */
  gint64  duration_mean_s;      /* rounded */
  gint64  duration_min_s;
  gint64  duration_max_s;
  gint64  first_level_resolved; /* handled contacts answered at first contact */
  gint32  first_level_rate_ppm; /* of the handled ones */
  gint64  tickets_opened;
  gint64  tickets_closed;       /* closed in the month */
  gint64  tickets_within_sla;   /* of those closed, not breached */
  gint32  tickets_within_sla_ppm;
} EsaContactStats;

void       esa_contact_stats_free (EsaContactStats *self);

/**
 * esa_store_contact_stats:
 * @body_id: (nullable): one body, or NULL for each body with contacts
 * @month: "YYYY-MM"
 *
 * Monthly statistics per body. Needs "stats.view".
 *
 * Returns: (transfer container) (element-type EsaContactStats): by body
 *   name; NULL with ESA_STORE_ERROR_INVALID for a bad month
 */
GPtrArray *esa_store_contact_stats    (EsaStore    *self,
                                       const char  *body_id,
                                       const char  *month,
                                       GError     **error);

G_END_DECLS
