#pragma once

#include <glib-object.h>

#include "esa-records.h"

G_BEGIN_DECLS

#define ESA_STORE_ERROR (esa_store_error_quark ())

typedef enum
{
  ESA_STORE_ERROR_NOT_A_DATABASE, /* the file is not SQLite at all (or is damaged beyond reading) */
  ESA_STORE_ERROR_FOREIGN,        /* an SQLite file of some other program */
  ESA_STORE_ERROR_TOO_NEW,        /* written by a newer Esattore: schema version above ours */
  ESA_STORE_ERROR_CORRUPT,        /* integrity problems found while reading */
  ESA_STORE_ERROR_NOT_FOUND,      /* no row with that id */
  ESA_STORE_ERROR_INVALID,        /* a write that breaks a rule (the message says which) */
  ESA_STORE_ERROR_FORBIDDEN,      /* the acting user's role may not do this */
  ESA_STORE_ERROR_IO,             /* SQLite or file system failure; the message has SQLite's text */
  ESA_STORE_ERROR_AUDIT_BROKEN,   /* the audit chain does not verify */
} EsaStoreError;

GQuark esa_store_error_quark (void);

#define ESA_TYPE_STORE (esa_store_get_type ())
G_DECLARE_FINAL_TYPE (EsaStore, esa_store, ESA, STORE, GObject)

/**
 * esa_store_open:
 * @path: the database file; created (and migrated to the current schema) when
 *   missing
 *
 * Opens an Esattore database in WAL mode with foreign keys on, and migrates it
 * to the current schema in one transaction per step. A file that is not an
 * Esattore database is refused with a message naming @path; it is never
 * changed.
 *
 * Returns: (transfer full): the store, or NULL with @error set
 */
EsaStore   *esa_store_open            (const char  *path,
                                       GError     **error);
/* An in-memory database with the current schema (tests). */
EsaStore   *esa_store_open_memory     (GError     **error);

/* The database file; NULL for an in-memory store. */
const char *esa_store_get_path        (EsaStore    *self);
/* The schema version the file is at (PRAGMA user_version). */
gint        esa_store_get_schema_version (EsaStore *self);
/* The schema version this build writes. */
gint        esa_store_current_schema_version (void);

/* The user in whose name writes are recorded (audit journal, outbox); NULL
 * means the system itself (imports, demo generation). */
void        esa_store_set_acting_user (EsaStore    *self,
                                       const char  *user_id);
const char *esa_store_get_acting_user (EsaStore    *self);

/* ---- reading ---------------------------------------------------------- */

GPtrArray  *esa_store_list_bodies     (EsaStore *self, GError **error); /* EsaBody */
GPtrArray  *esa_store_list_offices    (EsaStore *self, GError **error); /* EsaOffice */
GPtrArray  *esa_store_list_users      (EsaStore *self, GError **error); /* EsaUser */
GPtrArray  *esa_store_office_stats    (EsaStore *self, GError **error); /* EsaOfficeStats */
EsaBody    *esa_store_get_body        (EsaStore *self, const char *id, GError **error);
EsaUser    *esa_store_get_user        (EsaStore *self, const char *id, GError **error);

/* Total counts over the whole database, for the status line and benchmarks. */
gint64      esa_store_count_debtors   (EsaStore *self, GError **error);
gint64      esa_store_count_positions (EsaStore *self, GError **error);

EsaDebtor  *esa_store_get_debtor      (EsaStore    *self,
                                       const char  *id,
                                       GError     **error);

/**
 * esa_store_load_dossier:
 * Returns: (transfer full): everything about one debtor, or NULL with
 *   ESA_STORE_ERROR_NOT_FOUND ("no debtor with id …")
 */
EsaDossier *esa_store_load_dossier    (EsaStore    *self,
                                       const char  *debtor_id,
                                       GError     **error);

/**
 * esa_store_search:
 * @text: what the officer typed: words of a name, a tax id, an act number, a
 *   payment reference, an address; each word matches as a prefix
 * @limit: at most this many hits
 * @offset: skip this many (paging)
 * @out_more: (out) (optional): TRUE when there are hits past @offset + @limit
 *
 * Every word must match. Small match sets come ranked (exact identifier
 * first, then name order); large ones come in name order as far as cheaply
 * known, so that the first page is immediate whatever the prefix.
 *
 * Numbers of four digits or more match whole tokens ("20121", "000123");
 * a text of digits alone (spaces, dots and dashes allowed, as printed:
 * "3007 1570 0000", "756.9217") also finds every tax id and payment
 * reference that starts with those digits.
 *
 * Returns: (transfer container) (element-type EsaSearchHit): hits, empty for
 *   blank @text
 */
GPtrArray  *esa_store_search          (EsaStore    *self,
                                       const char  *text,
                                       guint        limit,
                                       guint        offset,
                                       gboolean    *out_more,
                                       GError     **error);

/* ---- audit journal ---------------------------------------------------- */

/**
 * esa_store_audit_verify:
 * @out_checked: (out) (optional): entries walked
 *
 * Walks the hash chain from the first entry. Returns FALSE with
 * ESA_STORE_ERROR_AUDIT_BROKEN naming the first entry whose hash or link does
 * not verify ("audit entry 1234 (2026-11-02 …) was altered: …").
 */
gboolean    esa_store_audit_verify    (EsaStore    *self,
                                       gint64      *out_checked,
                                       GError     **error);

/* ---- writing: every call is one transaction that also appends the audit
 * journal and the outbox; on error nothing is changed. The created id is
 * returned (transfer full). ------------------------------------------------ */

char       *esa_store_add_body        (EsaStore *self, const EsaBody *body, GError **error);
char       *esa_store_add_office      (EsaStore *self, const EsaOffice *office, GError **error);
char       *esa_store_add_user        (EsaStore *self, const EsaUser *user, GError **error);
/* Adds the debtor with its addresses, contacts and relations. */
char       *esa_store_add_debtor      (EsaStore *self, const EsaDebtor *debtor, GError **error);
char       *esa_store_add_position    (EsaStore *self, const EsaPosition *position, GError **error);
/* @position_ids: NULL-terminated positions the case pursues */
char       *esa_store_add_case        (EsaStore *self, const EsaCase *case_,
                                       const char * const *position_ids, GError **error);
char       *esa_store_add_act         (EsaStore *self, const EsaAct *act, GError **error);
/* Records a payment; when it names a position, that position's paid amount
 * grows by the payment and it becomes "paid" at a zero balance. */
char       *esa_store_add_payment     (EsaStore *self, const EsaPayment *payment, GError **error);
char       *esa_store_add_contact_entry (EsaStore *self, const EsaContactEntry *entry, GError **error);
/* A field edit: sets one column of a debtor ("name", "deceased_on",
 * "ceased_on", "insolvent_since") and records it with the base version. */
gboolean    esa_store_update_debtor_field (EsaStore    *self,
                                           const char  *debtor_id,
                                           const char  *field,
                                           const char  *value,
                                           GError     **error);
/* Ends the current address and adds @address as the current one. */
gboolean    esa_store_move_debtor     (EsaStore          *self,
                                       const char        *debtor_id,
                                       const EsaAddress  *address,
                                       GError           **error);

/**
 * esa_store_add_notification:
 * @method: "post", "pec", "messenger" or "counter"
 * @state: "pending", "sent", "delivered" or "failed"
 * @on_date: (nullable): the date of sending, delivery or failure (by @state);
 *   required unless pending
 * @failure_reason: (nullable): required when failed
 *
 * Records one more delivery attempt of an act (attempt = previous + 1); the
 * act's notification state is that of its latest attempt.
 *
 * Returns: (transfer full): the new notification's id, or NULL with @error set
 */
char       *esa_store_add_notification (EsaStore    *self,
                                        const char  *act_id,
                                        const char  *method,
                                        const char  *state,
                                        const char  *on_date,
                                        const char  *failure_reason,
                                        GError     **error);
/* Records a document whose file is stored by its SHA-256 (lower-case hex)
 * beside the database; created_at defaults to now. */
char       *esa_store_add_document    (EsaStore *self, const EsaDocument *document, GError **error);

/* Pending outbox operations (not yet acknowledged by a server). */
gint64      esa_store_count_pending_ops (EsaStore *self, GError **error);

G_END_DECLS

/* Case actions: running the steps of a case's procedure. */
#include "esa-store-cases.h"
