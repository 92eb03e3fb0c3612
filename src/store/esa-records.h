#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Plain records read from and written to the store. Amounts are minor units
 * in the currency of the record (or of its creditor body). Dates are ISO
 * "YYYY-MM-DD" strings, timestamps ISO 8601 UTC ("2026-11-23T08:40:00Z"). Each
 * record type has a _free function and a g_autoptr cleanup. */

typedef enum
{
  ESA_ROLE_OFFICER,
  ESA_ROLE_FIELD_OFFICER,
  ESA_ROLE_TEAM_LEAD,
  ESA_ROLE_RESPONSIBLE,
  ESA_ROLE_CONTACT_OPERATOR,
  ESA_ROLE_ADMINISTRATOR,
  ESA_ROLE_AUDITOR,
  ESA_N_ROLES
} EsaRole;

/* Stable names stored in the database and printed by the CLI:
 * officer, field_officer, team_lead, responsible, contact_operator,
 * administrator, auditor. */
const char *esa_role_to_string   (EsaRole     role);
gboolean    esa_role_from_string (const char *name,
                                  EsaRole    *out);
const char *esa_role_describe    (EsaRole     role); /* translated */

typedef struct
{
  char *id;
  char *name;
  char *country;        /* "IT" or "CH" */
  char *currency;       /* "EUR" or "CHF" */
  char *tax_code;       /* IT: 11-digit creditor tax code; CH: UID */
  char *iban;           /* account for payments (QR-IBAN for Swiss bodies) */
  char *segregation_code; /* pagoPA 2-digit code, NULL for Swiss bodies */
} EsaBody;

typedef struct
{
  char *id;
  char *name;
  char *town;
  char *country;
} EsaOffice;

typedef struct
{
  char   *id;
  char   *name;
  char   *login;
  EsaRole role;
  char   *office_id;
  char   *office_name;
} EsaUser;

typedef enum
{
  ESA_DEBTOR_PERSON,
  ESA_DEBTOR_COMPANY,
} EsaDebtorKind;

typedef struct
{
  char *id;
  char *street;         /* street and number */
  char *postcode;
  char *town;
  char *country;
  char *valid_from;     /* may be NULL */
  char *valid_to;       /* NULL while current */
} EsaAddress;

typedef struct
{
  char *id;
  char *kind;           /* "phone", "email", "pec" */
  char *value;
} EsaDebtorContact;

typedef struct
{
  char *id;
  char *kind;           /* "heir", "partner", "representative", "delegate" */
  char *other_id;       /* the related debtor */
  char *other_name;
  char *note;
} EsaRelation;

typedef struct
{
  char          *id;
  EsaDebtorKind  kind;
  char          *name;            /* display name: "Rossi Mario", "Bianchi SA" */
  char          *tax_id;          /* normalized */
  char          *tax_id_kind;     /* "cf", "piva", "ahv", "uid" */
  char          *birth_date;      /* persons; NULL for companies */
  char          *deceased_on;     /* NULL unless deceased */
  char          *ceased_on;       /* companies: NULL unless ceased */
  char          *insolvent_since; /* NULL unless in insolvency proceedings */
  char          *office_id;
  gint64         version;
  GPtrArray     *addresses;       /* EsaAddress, current first */
  GPtrArray     *contacts;        /* EsaDebtorContact */
  GPtrArray     *relations;       /* EsaRelation */
} EsaDebtor;

typedef struct
{
  char  *id;
  char  *debtor_id;
  char  *body_id;
  char  *body_name;
  char  *currency;
  char  *load_list_id;      /* NULL for positions not from a load list */
  char  *revenue_type;      /* "IMU", "TARI", "fine", "water", "tax", "claim" … */
  gint   year;
  char  *reference;         /* the title: assessment number, claim reference */
  char  *payment_reference; /* pagoPA notice number or Swiss QR reference */
  char  *due_date;
  char  *state;             /* "open", "paid", "suspended", "cancelled", "written_off" */
  gint64 principal;
  gint64 sanctions;
  gint64 interest;
  gint64 costs;
  gint64 paid;
} EsaPosition;

/* principal + sanctions + interest + costs - paid */
gint64 esa_position_balance (const EsaPosition *position);

typedef struct
{
  char *id;
  char *debtor_id;
  char *body_id;
  char *office_id;
  char *procedure_id;       /* "it-coercive", "ch-lef" */
  char *state;              /* a state of the procedure */
  char *officer_id;
  char *officer_name;
  char *opened_on;
  char *closed_on;          /* NULL while open */
  char *next_deadline;      /* NULL when none */
  char *next_deadline_label;
} EsaCase;

typedef struct
{
  char  *id;
  char  *case_id;
  char  *debtor_id;
  char  *type;              /* stable ids: "injunction", "reminder", "payment_order", … */
  char  *number;            /* "ING-2026-000123" */
  char  *issued_on;
  gint64 amount;
  char  *notification_state; /* "pending", "sent", "delivered", "failed" */
  char  *notified_on;        /* date of delivery or of the failure; NULL when pending */
} EsaAct;

typedef struct
{
  char  *id;
  char  *debtor_id;         /* NULL while unmatched */
  char  *position_id;       /* NULL while unmatched */
  char  *body_id;
  gint64 amount;
  char  *currency;
  char  *paid_on;
  char  *reference;
  char  *channel;           /* "pagopa", "qr-bill", "bank", "cash", "manual" */
} EsaPayment;

typedef struct
{
  char  *id;
  char  *debtor_id;
  char  *case_id;
  char  *state;             /* "active", "lapsed", "completed" */
  gint64 total;
  char  *currency;
  gint   instalments;
  gint   paid_instalments;
  char  *first_due;
} EsaInstalmentPlan;

typedef struct
{
  char  *id;
  char  *debtor_id;
  char  *case_id;
  char  *act_id;
  char  *title;
  char  *mime_type;
  char  *sha256;
  gint64 size;
  char  *created_at;
} EsaDocument;

typedef struct
{
  char *id;
  char *debtor_id;
  char *channel;            /* "phone", "email", "counter", "letter", "visit" */
  char *direction;          /* "in", "out" */
  char *occurred_at;
  char *user_id;
  char *user_name;
  char *subject;
  char *note;
  gint  duration_s;
} EsaContactEntry;

typedef struct
{
  gint64 seq;
  char  *at;
  char  *user_id;
  char  *action;            /* "create", "update", "import", "approve", … */
  char  *entity;            /* table name: "debtor", "position", … */
  char  *entity_id;
  char  *debtor_id;
  char  *summary;           /* one readable line */
  char  *prev_hash;         /* hex SHA-256 */
  char  *hash;
} EsaAuditEntry;

/* What is owed to one creditor body in one currency. */
typedef struct
{
  char  *body_id;
  char  *body_name;
  char  *currency;
  gint64 principal;
  gint64 sanctions;
  gint64 interest;
  gint64 costs;
  gint64 paid;
  gint64 balance;
} EsaTotals;

/* Everything the dossier shows, loaded at once. */
typedef struct
{
  EsaDebtor *debtor;
  GPtrArray *totals;        /* EsaTotals, one per body and currency */
  GPtrArray *positions;     /* EsaPosition, by due date */
  GPtrArray *cases;         /* EsaCase, open first */
  GPtrArray *acts;          /* EsaAct, newest first */
  GPtrArray *payments;      /* EsaPayment, newest first */
  GPtrArray *plans;         /* EsaInstalmentPlan */
  GPtrArray *documents;     /* EsaDocument */
  GPtrArray *contacts;      /* EsaContactEntry, newest first */
  GPtrArray *history;       /* EsaAuditEntry for this debtor, newest first, at most 500 */
  gboolean   has_active_plan;
  gboolean   has_suspended_position;
} EsaDossier;

/* One search result row. */
typedef struct
{
  char          *debtor_id;
  EsaDebtorKind  kind;
  char          *name;
  char          *tax_id;
  char          *town;
  gboolean       deceased;
  gboolean       insolvent;
} EsaSearchHit;

typedef struct
{
  char  *office_id;
  char  *office_name;
  gint64 debtors;
  gint64 positions;
  gint64 cases;
} EsaOfficeStats;

void esa_body_free            (EsaBody *self);
void esa_office_free          (EsaOffice *self);
void esa_user_free            (EsaUser *self);
void esa_address_free         (EsaAddress *self);
void esa_debtor_contact_free  (EsaDebtorContact *self);
void esa_relation_free        (EsaRelation *self);
void esa_debtor_free          (EsaDebtor *self);
void esa_position_free        (EsaPosition *self);
void esa_case_free            (EsaCase *self);
void esa_act_free             (EsaAct *self);
void esa_payment_free         (EsaPayment *self);
void esa_instalment_plan_free (EsaInstalmentPlan *self);
void esa_document_free        (EsaDocument *self);
void esa_contact_entry_free   (EsaContactEntry *self);
void esa_audit_entry_free     (EsaAuditEntry *self);
void esa_totals_free          (EsaTotals *self);
void esa_dossier_free         (EsaDossier *self);
void esa_search_hit_free      (EsaSearchHit *self);
void esa_office_stats_free    (EsaOfficeStats *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaBody, esa_body_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaOffice, esa_office_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaUser, esa_user_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaAddress, esa_address_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaDebtorContact, esa_debtor_contact_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaRelation, esa_relation_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaDebtor, esa_debtor_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaPosition, esa_position_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaCase, esa_case_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaAct, esa_act_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaPayment, esa_payment_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaInstalmentPlan, esa_instalment_plan_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaDocument, esa_document_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaContactEntry, esa_contact_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaAuditEntry, esa_audit_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaTotals, esa_totals_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaDossier, esa_dossier_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaSearchHit, esa_search_hit_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaOfficeStats, esa_office_stats_free)

G_END_DECLS
