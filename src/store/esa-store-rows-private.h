#pragma once

#include "esa-records.h"
#include "esa-store-private.h"

G_BEGIN_DECLS

/* Reading rows into the records of esa-records.h, shared by the store's
 * files. Each row reader expects the columns of the SELECT named beside it,
 * in that order. */

typedef gpointer (*EsaStoreRowReader) (EsaStoreStmt *stmt);

/* Every row of @sql with @id bound to ?1 (when not NULL). */
GPtrArray *_esa_store_read_rows  (EsaStore          *self,
                                  const char        *sql,
                                  const char        *id,
                                  EsaStoreRowReader  reader,
                                  GDestroyNotify     free_func,
                                  GError           **error);
/* The one row of @sql with @id bound to ?1, or NULL with @error set
 * (ESA_STORE_ERROR_NOT_FOUND, @not_found_format naming @id). */
gpointer   _esa_store_read_one   (EsaStore          *self,
                                  const char        *sql,
                                  const char        *id,
                                  EsaStoreRowReader  reader,
                                  const char        *not_found_format,
                                  GError           **error);
/* The first row of @sql with @id bound to ?1; NULL without an error when
 * there is none. */
gpointer   _esa_store_read_first (EsaStore          *self,
                                  const char        *sql,
                                  const char        *id,
                                  EsaStoreRowReader  reader,
                                  GError           **error);

/* id, name, town, country */
gpointer   _esa_store_row_office   (EsaStoreStmt *stmt);
/* ESA_STORE_USER_SELECT */
#define ESA_STORE_USER_SELECT \
  "SELECT u.id, u.name, u.login, u.role, u.office_id, o.name " \
  "FROM users u LEFT JOIN offices o ON o.id = u.office_id "
gpointer   _esa_store_row_user     (EsaStoreStmt *stmt);
/* id, debtor_id, body_id, body name, currency, load_list_id, revenue_type,
 * year, reference, payment_reference, due_date, state, principal,
 * sanctions, interest, costs, paid */
gpointer   _esa_store_row_position (EsaStoreStmt *stmt);
/* id, debtor_id, body_id, office_id, procedure_id, state, officer_id,
 * officer name, opened_on, closed_on, next_deadline, next_deadline_label */
gpointer   _esa_store_row_case     (EsaStoreStmt *stmt);
/* id, case_id, debtor_id, type, number, issued_on, amount, notification
 * state, notified on */
gpointer   _esa_store_row_act      (EsaStoreStmt *stmt);
/* id, debtor_id, case_id, state, total, currency, instalments, paid
 * instalments, first_due */
gpointer   _esa_store_row_plan     (EsaStoreStmt *stmt);

G_END_DECLS
