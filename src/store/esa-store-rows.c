/* esa-store-rows.c: reading rows into records, shared by the store's files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>

#include "esa-store-rows-private.h"

#define text(i) _esa_stmt_dup_text (stmt, (i))

/* Runs @sql with @id bound to ?1 (when not NULL) and reads every row. */
GPtrArray *
_esa_store_read_rows (EsaStore        *self,
           const char      *sql,
           const char      *id,
           EsaStoreRowReader        reader,
           GDestroyNotify   free_func,
           GError         **error)
{
  g_autoptr(EsaStoreStmt) stmt = _esa_store_prepare (self, sql, error);
  g_autoptr(GPtrArray) rows = NULL;
  gboolean row;

  if (stmt == NULL)
    return NULL;

  rows = g_ptr_array_new_with_free_func (free_func);
  if (id != NULL)
    _esa_stmt_bind_text (stmt, 1, id);

  while (_esa_store_step (self, stmt, &row, error))
    {
      if (!row)
        return g_steal_pointer (&rows);
      g_ptr_array_add (rows, reader (stmt));
    }
  return NULL;
}

/* The one row of @sql with @id bound to ?1, or NULL with @error set
 * (ESA_STORE_ERROR_NOT_FOUND naming @what and @id). */
gpointer
_esa_store_read_one (EsaStore    *self,
          const char  *sql,
          const char  *id,
          EsaStoreRowReader    reader,
          const char  *not_found_format,
          GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = _esa_store_prepare (self, sql, error);
  gboolean row;

  if (stmt == NULL)
    return NULL;

  _esa_stmt_bind_text (stmt, 1, id);
  if (!_esa_store_step (self, stmt, &row, error))
    return NULL;
  if (!row)
    {
      g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_NOT_FOUND, not_found_format, id);
      return NULL;
    }
  return reader (stmt);
}

gpointer
_esa_store_row_office (EsaStoreStmt *stmt)
{
  EsaOffice *office = g_new0 (EsaOffice, 1);

  office->id = text (0);
  office->name = text (1);
  office->town = text (2);
  office->country = text (3);
  return office;
}

gpointer
_esa_store_row_user (EsaStoreStmt *stmt)
{
  EsaUser *user = g_new0 (EsaUser, 1);

  user->id = text (0);
  user->name = text (1);
  user->login = text (2);
  /* The schema only admits the known role names. */
  if (!esa_role_from_string ((const char *) sqlite3_column_text (stmt, 3), &user->role))
    user->role = ESA_ROLE_OFFICER;
  user->office_id = text (4);
  user->office_name = text (5);
  return user;
}

gpointer
_esa_store_row_position (EsaStoreStmt *stmt)
{
  EsaPosition *position = g_new0 (EsaPosition, 1);

  position->id = text (0);
  position->debtor_id = text (1);
  position->body_id = text (2);
  position->body_name = text (3);
  position->currency = text (4);
  position->load_list_id = text (5);
  position->revenue_type = text (6);
  position->year = sqlite3_column_int (stmt, 7);
  position->reference = text (8);
  position->payment_reference = text (9);
  position->due_date = text (10);
  position->state = text (11);
  position->principal = sqlite3_column_int64 (stmt, 12);
  position->sanctions = sqlite3_column_int64 (stmt, 13);
  position->interest = sqlite3_column_int64 (stmt, 14);
  position->costs = sqlite3_column_int64 (stmt, 15);
  position->paid = sqlite3_column_int64 (stmt, 16);
  return position;
}

gpointer
_esa_store_row_case (EsaStoreStmt *stmt)
{
  EsaCase *case_ = g_new0 (EsaCase, 1);

  case_->id = text (0);
  case_->debtor_id = text (1);
  case_->body_id = text (2);
  case_->office_id = text (3);
  case_->procedure_id = text (4);
  case_->state = text (5);
  case_->officer_id = text (6);
  case_->officer_name = text (7);
  case_->opened_on = text (8);
  case_->closed_on = text (9);
  case_->next_deadline = text (10);
  case_->next_deadline_label = text (11);
  return case_;
}

gpointer
_esa_store_row_act (EsaStoreStmt *stmt)
{
  EsaAct *act = g_new0 (EsaAct, 1);

  act->id = text (0);
  act->case_id = text (1);
  act->debtor_id = text (2);
  act->type = text (3);
  act->number = text (4);
  act->issued_on = text (5);
  act->amount = sqlite3_column_int64 (stmt, 6);
  act->notification_state = text (7);
  act->notified_on = text (8);
  return act;
}

gpointer
_esa_store_row_plan (EsaStoreStmt *stmt)
{
  EsaInstalmentPlan *plan = g_new0 (EsaInstalmentPlan, 1);

  plan->id = text (0);
  plan->debtor_id = text (1);
  plan->case_id = text (2);
  plan->state = text (3);
  plan->total = sqlite3_column_int64 (stmt, 4);
  plan->currency = text (5);
  plan->instalments = sqlite3_column_int (stmt, 6);
  plan->paid_instalments = sqlite3_column_int (stmt, 7);
  plan->first_due = text (8);
  return plan;
}

/* The first row of @sql with @id bound to ?1; NULL without an error when
 * there is none. */
gpointer
_esa_store_read_first (EsaStore    *self,
            const char  *sql,
            const char  *id,
            EsaStoreRowReader    reader,
            GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = _esa_store_prepare (self, sql, error);
  gboolean row;

  if (stmt == NULL)
    return NULL;

  _esa_stmt_bind_text (stmt, 1, id);
  if (!_esa_store_step (self, stmt, &row, error) || !row)
    return NULL;
  return reader (stmt);
}
