#pragma once

#include <glib-object.h>

#include "esa-parameters.h"
#include "esa-store.h"

G_BEGIN_DECLS

/* Work queues and the team lead's dashboard (issue 7).
 *
 * Every open deadline is a queue item with a due date, an office and an
 * assignee:
 *
 * - procedure deadlines: each open case with a next deadline
 *   (cases.next_deadline, its label and its officer);
 * - service-level deadlines of the bodies (DOMAIN.md "Service levels from
 *   the tender"), from parameter tables of the body's country, per body and
 *   with validity dates (data/parameters/contact-center.json): load lists
 *   to verify within "it.queue.load_list_verify.days" of receipt ("sl:
 *   load_list_verify:<load list id>"), failed deliveries to notify again
 *   within "it.queue.renotify.days" ("sl:renotify:<act id>"), unmatched
 *   payments to reconcile within "it.queue.reconcile.days" of their import
 *   ("sl:reconcile:<payment id>"), the injunctions of an approved load list
 *   to have ready for print (every open case of it with its act) within
 *   "it.queue.print.days" of the approval ("sl:print:<load list id>"), the
 *   insolvency claim of each open case of an insolvent debtor within
 *   "it.queue.insolvency_claim.days" of the day the insolvency was recorded
 *   ("sl:insolvency_claim:<case id>"), and each open case concluded within
 *   "it.queue.conclude.months" of the first delivery of its injunction
 *   ("sl:conclude:<case id>"). A table counts days, or calendar months when
 *   its unit is "months". A country without the table has no such
 *   items. Their assignee is the one given by a reassignment, else the
 *   case's officer (load lists: who imported it);
 * - tickets of the contact center that are not closed, due when their SLA
 *   runs out (esa-store-tickets.h), assigned to their owner.
 *
 * Items have stable ids: "case:<case id>", "sl:<rule id>:<entity id>",
 * "ticket:<ticket id>". Service-level items need the parameters given with
 * esa_store_set_procedures(); without them there are none.
 *
 * Reading needs the role action "queue.view_own" for one's own items and
 * "queue.view_team" for anyone else's; reassigning "queue.reassign"; bulk
 * steps "queue.bulk_step" (esa-roles.h). The acting user
 * (esa_store_set_acting_user()) is checked; the system (NULL) may do all.
 * A refusal is ESA_STORE_ERROR_FORBIDDEN with a translated reason. */

typedef enum
{
  ESA_QUEUE_KIND_DEADLINE,       /* "deadline": a procedure deadline of a case */
  ESA_QUEUE_KIND_SERVICE_LEVEL,  /* "service_level": a service level of the body */
  ESA_QUEUE_KIND_TICKET,         /* "ticket": a contact-center ticket */
} EsaQueueKind;

const char *esa_queue_kind_to_string (EsaQueueKind kind);
/* Translated, for display ("Procedure deadline"). */
const char *esa_queue_kind_describe  (EsaQueueKind kind);

/* Where an item's due date lies relative to the day the queue was read for. */
typedef enum
{
  ESA_QUEUE_WHEN_ALL,            /* as a filter: no restriction */
  ESA_QUEUE_WHEN_OVERDUE,        /* "overdue": due before today */
  ESA_QUEUE_WHEN_TODAY,          /* "today": due today */
  ESA_QUEUE_WHEN_WEEK,           /* "week": due in the next 7 days after today */
  ESA_QUEUE_WHEN_LATER,          /* "later": due after that */
} EsaQueueWhen;

const char *esa_queue_when_to_string (EsaQueueWhen when);
gboolean    esa_queue_when_from_string (const char   *name,
                                        EsaQueueWhen *out);
/* Translated ("Overdue", "Today", "This week", "Later"). */
const char *esa_queue_when_describe  (EsaQueueWhen when);

typedef enum
{
  ESA_QUEUE_GROUP_NONE,
  ESA_QUEUE_GROUP_OFFICER,       /* by assignee name, unassigned last */
  ESA_QUEUE_GROUP_OFFICE,        /* by office name */
  ESA_QUEUE_GROUP_ACT_TYPE,      /* by act type (or rule, or "ticket") */
  ESA_QUEUE_GROUP_WHEN,          /* overdue, today, this week, later */
} EsaQueueGroup;

/* One queue item. Absent values are NULL. The item and its text are one
 * allocation (a queue holds 100,000 of them): treat the fields as read-only
 * and use esa_queue_item_copy() and esa_queue_item_free(). */
typedef struct
{
  char         *id;              /* "case:…", "sl:<rule>:…", "ticket:…" */
  EsaQueueKind  kind;
  char         *due_on;          /* YYYY-MM-DD */
  guint32       due_julian;      /* g_date_get_julian() of due_on, for fast sorting */
  EsaQueueWhen  when;            /* relative to the filter's today */
  char         *office_id;
  char         *office_name;
  char         *body_id;
  char         *assignee_id;     /* NULL: unassigned */
  char         *assignee_name;
  char         *case_id;         /* nullable for tickets and some service levels */
  char         *debtor_id;       /* nullable for load lists and unmatched payments */
  char         *debtor_name;
  char         *act_type;        /* deadline: the label's act type or the case's state;
                                  * service level: the rule id; ticket: "ticket" */
  char         *title;           /* a readable line: the deadline label, the rule's
                                  * translated title, the ticket's reference and subject */
  char         *state;           /* the case's state or the ticket's status */
  char         *reference;       /* ticket reference, load list or payment reference */
  /* g_utf8_collate_key() of assignee_name and office_name ("" when absent):
   * the name orders compare these with strcmp(), so that re-sorting 100,000
   * items does not collate names again at every comparison. */
  char         *assignee_key;
  char         *office_key;
} EsaQueueItem;

void          esa_queue_item_free           (EsaQueueItem *self);
EsaQueueItem *esa_queue_item_copy           (const EsaQueueItem *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaQueueItem, esa_queue_item_free)

/* GCompareFunc-style orders over EsaQueueItem pointers (as for
 * g_ptr_array_sort(): the arguments are EsaQueueItem **). Ties are broken by
 * due date, then id, so that every order is total and stable. */
gint          esa_queue_item_compare_due      (gconstpointer a,
                                               gconstpointer b);
gint          esa_queue_item_compare_assignee (gconstpointer a,
                                               gconstpointer b);
gint          esa_queue_item_compare_office   (gconstpointer a,
                                               gconstpointer b);
gint          esa_queue_item_compare_act_type (gconstpointer a,
                                               gconstpointer b);

/**
 * esa_queue_item_group_label:
 *
 * The heading of the group @self belongs to under @group: the assignee's
 * name ("Unassigned" when none), the office's name, the act type, or the
 * translated when ("Overdue"); "" for ESA_QUEUE_GROUP_NONE.
 *
 * Returns: (transfer full): the label
 */
char         *esa_queue_item_group_label    (const EsaQueueItem *self,
                                             EsaQueueGroup       group);

typedef struct
{
  const char    *user_id;     /* nullable: only items assigned to this user */
  const char    *office_id;   /* nullable: only this office */
  const char    *body_id;     /* nullable: only this creditor body */
  gboolean       unassigned;  /* only items without an assignee (user_id ignored) */
  EsaQueueWhen   when;        /* ESA_QUEUE_WHEN_ALL for every due date */
  EsaQueueGroup  group;       /* sort by group first, then by due date */
  guint          kinds;       /* bit mask of 1 << EsaQueueKind; 0 for all kinds */
  const char    *today;       /* nullable: YYYY-MM-DD the "when" is relative to;
                               * NULL for today */
} EsaQueueFilter;

/**
 * esa_store_queue_items:
 * @filter: (nullable): what to list; NULL lists everything
 *
 * The open queue items, sorted by @filter's group and then by due date
 * (then id). Reading for another user than the acting one, or for everyone,
 * needs "queue.view_team".
 *
 * Returns: (transfer container) (element-type EsaQueueItem): the items,
 *   or NULL with @error set
 */
GPtrArray    *esa_store_queue_items         (EsaStore             *self,
                                             const EsaQueueFilter *filter,
                                             GError              **error);

/* Returns: (transfer full) (nullable): one item by id, or NULL with
 *   ESA_STORE_ERROR_NOT_FOUND */
EsaQueueItem *esa_store_queue_get_item      (EsaStore             *self,
                                             const char           *item_id,
                                             GError              **error);

/* What became of one item of a bulk action. */
typedef enum
{
  ESA_QUEUE_RESULT_DONE,         /* "done" */
  ESA_QUEUE_RESULT_UNCHANGED,    /* "unchanged": already as asked (same assignee) */
  ESA_QUEUE_RESULT_NOT_FOUND,    /* "not_found": no such open item (closed meanwhile) */
  ESA_QUEUE_RESULT_REFUSED,      /* "refused": the step was refused (message says why) */
  ESA_QUEUE_RESULT_CHANGED,      /* "changed": undo skipped, the item was changed since */
} EsaQueueResultCode;

const char *esa_queue_result_to_string (EsaQueueResultCode code);

typedef struct
{
  char               *item_id;
  EsaQueueResultCode  code;
  char               *message;   /* a translated sentence */
} EsaQueueItemResult;

void esa_queue_item_result_free (EsaQueueItemResult *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaQueueItemResult, esa_queue_item_result_free)

/**
 * esa_store_queue_reassign:
 * @item_ids: (array length=n_ids): the items to give to @new_user_id
 * @new_user_id: an existing user
 * @out_batch_id: (out) (optional) (transfer full): the batch to undo with
 *   esa_store_queue_undo_batch(); NULL when nothing changed
 * @out_results: (out) (optional) (transfer container)
 *   (element-type EsaQueueItemResult): one result per id, in order
 *
 * Gives the items to @new_user_id in one transaction: a case deadline by
 * changing the case's officer, a ticket by changing its owner, a service
 * level by recording the assignment. Each change is audited and sent to the
 * outbox; the batch records who had each item before. An item that is not
 * found or already has that assignee is reported, not an error.
 *
 * Returns: FALSE with @error set when nothing could be done (forbidden,
 *   unknown user, database failure); then nothing changed
 */
gboolean      esa_store_queue_reassign      (EsaStore            *self,
                                             const char * const  *item_ids,
                                             guint                n_ids,
                                             const char          *new_user_id,
                                             char               **out_batch_id,
                                             GPtrArray          **out_results,
                                             GError             **error);

/**
 * esa_store_queue_reassign_preview:
 *
 * What esa_store_queue_reassign() would report for each item, without
 * changing anything (the preview of a bulk action).
 *
 * Returns: (transfer container) (element-type EsaQueueItemResult): the
 *   results, or NULL with @error set
 */
GPtrArray    *esa_store_queue_reassign_preview (EsaStore           *self,
                                                const char * const *item_ids,
                                                guint               n_ids,
                                                const char         *new_user_id,
                                                GError            **error);

/**
 * esa_store_queue_run_step:
 * @case_ids: (array length=n_ids): the cases
 * @action_id: the procedure action to run on each (esa_store_case_do())
 * @on: (nullable): the date of the step; NULL for today
 * @fields: (nullable) (element-type utf8 utf8): field values for every case
 * @out_batch_id: (out) (optional) (transfer full): the batch; NULL when no
 *   case was changed
 * @out_results: (out) (optional) (transfer container)
 *   (element-type EsaQueueItemResult): one result per case, item id
 *   "case:<id>"; a case whose procedure refuses the action is REFUSED with
 *   the reason, and the others go on
 *
 * Runs the next step (and so generates its acts) for many cases in one
 * transaction. Needs "queue.bulk_step".
 */
gboolean      esa_store_queue_run_step      (EsaStore            *self,
                                             const char * const  *case_ids,
                                             guint                n_ids,
                                             const char          *action_id,
                                             const GDate         *on,
                                             GHashTable          *fields,
                                             char               **out_batch_id,
                                             GPtrArray          **out_results,
                                             GError             **error);

/**
 * esa_store_queue_undo_batch:
 * @out_results: (out) (optional) (transfer container)
 *   (element-type EsaQueueItemResult): one result per item of the batch
 *
 * Undoes a batch of esa_store_queue_reassign() (every item back to whom it
 * had before) or esa_store_queue_run_step() (each step undone with
 * esa_store_case_undo()) in one transaction; an item changed since by
 * someone else is left as it is and reported CHANGED. A batch is undone
 * once: undoing it again is ESA_STORE_ERROR_INVALID. Needs the same role
 * action as the batch.
 */
gboolean      esa_store_queue_undo_batch    (EsaStore            *self,
                                             const char          *batch_id,
                                             GPtrArray          **out_results,
                                             GError             **error);

/* ---- dashboard -------------------------------------------------------- */

/* One officer's open items by week of due date. */
typedef struct
{
  char   *user_id;          /* NULL: unassigned */
  char   *user_name;
  char   *week;             /* ISO week "2026-W48" */
  char   *week_start;       /* its Monday, YYYY-MM-DD */
  gint64  items;
  gint64  overdue;          /* of them, due before the dashboard's today */
} EsaWorkloadRow;

/* Cases opened and closed, and contact-center tickets opened and closed, per
 * ISO week. */
typedef struct
{
  char   *week;
  char   *week_start;
  gint64  cases_opened;
  gint64  cases_closed;
  gint64  tickets_opened;
  gint64  tickets_closed;
} EsaFlowRow;

typedef struct
{
  char      *office_id;     /* NULL: every office */
  char      *from;          /* YYYY-MM-DD, inclusive */
  char      *to;            /* YYYY-MM-DD, inclusive */
  char      *today;         /* what "overdue" is relative to */
  GPtrArray *workload;      /* EsaWorkloadRow: weeks of due dates from @from to @to, overdue
                             * items of earlier weeks in the row of @from's week; by user
                             * name, then week */
  GPtrArray *flow;          /* EsaFlowRow for every week from @from to @to, in order */
  gint64     open_items;    /* every open queue item of the office */
  gint64     overdue_items;
  gint64     due_today;
  GPtrArray *overdue_by_officer; /* EsaWorkloadRow with week NULL: overdue per assignee,
                                  * most first */
  char      *currency;      /* of the amounts below: the office's bodies' currency;
                             * "" when they mix currencies (then the rate is by count) */
  gint64     charged;       /* minor units: what was to be collected from @from to @to:
                             * the balance (principal, sanctions, interest, costs) of the
                             * office's positions that was open at @from or fell due by
                             * @to, that is @collected plus what was still open at @to */
  gint64     collected;     /* minor units: what was paid on them from @from to @to */
  gint64     positions;     /* how many positions that is */
  gint64     positions_paid; /* of them, paid on in the period */
  gint32     collection_rate_ppm; /* collected / charged in millionths, or, when the
                                   * currencies mix, positions_paid / positions */
} EsaDashboard;

void          esa_dashboard_free            (EsaDashboard *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaDashboard, esa_dashboard_free)

/**
 * esa_store_dashboard:
 * @office_id: (nullable): one office, or NULL for all
 * @from: YYYY-MM-DD, inclusive
 * @to: YYYY-MM-DD, inclusive, not before @from
 * @today: (nullable): YYYY-MM-DD; NULL for today
 *
 * The team lead's figures. Needs "dashboard.view".
 *
 * Returns: (transfer full): the dashboard, or NULL with @error set
 *   (ESA_STORE_ERROR_INVALID for bad dates)
 */
EsaDashboard *esa_store_dashboard           (EsaStore    *self,
                                             const char  *office_id,
                                             const char  *from,
                                             const char  *to,
                                             const char  *today,
                                             GError     **error);

/**
 * esa_dashboard_to_csv:
 *
 * The dashboard as CSV (RFC 4180, UTF-8, header rows, sections separated
 * by a blank line) for export. Amounts in minor units.
 *
 * Returns: (transfer full): the text
 */
char         *esa_dashboard_to_csv          (const EsaDashboard *self);

G_END_DECLS
