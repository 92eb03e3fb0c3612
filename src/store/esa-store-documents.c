/* esa-store-documents.c: what printing an act reads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>

#include "esa-store-documents.h"
#include "esa-store-private.h"
#include "esa-store-rows-private.h"

#define text(i) _esa_stmt_dup_text (stmt, (i))

void
esa_act_instalment_free (EsaActInstalment *self)
{
  if (self == NULL)
    return;
  g_free (self->due_on);
  g_free (self->payment_reference);
  g_free (self);
}

void
esa_act_register_entry_free (EsaActRegisterEntry *self)
{
  if (self == NULL)
    return;
  g_free (self->case_id);
  g_free (self->body_name);
  g_free (self->state);
  g_free (self->opened_on);
  g_free (self->closed_on);
  g_free (self->currency);
  g_free (self);
}

void
esa_act_data_free (EsaActData *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->act, esa_act_free);
  g_clear_pointer (&self->case_, esa_case_free);
  g_clear_pointer (&self->debtor, esa_debtor_free);
  g_clear_pointer (&self->body, esa_body_free);
  g_clear_pointer (&self->office, esa_office_free);
  g_clear_pointer (&self->issuer, esa_user_free);
  g_clear_pointer (&self->responsible, esa_user_free);
  g_clear_pointer (&self->positions, g_ptr_array_unref);
  g_clear_pointer (&self->plan, esa_instalment_plan_free);
  g_clear_pointer (&self->instalments, g_ptr_array_unref);
  g_clear_pointer (&self->register_entries, g_ptr_array_unref);
  g_clear_pointer (&self->fields, json_node_unref);
  g_free (self);
}

/* ---- readers ------------------------------------------------------------ */

static gpointer
read_instalment (EsaStoreStmt *stmt)
{
  EsaActInstalment *instalment = g_new0 (EsaActInstalment, 1);

  instalment->seq = sqlite3_column_int (stmt, 0);
  instalment->due_on = text (1);
  instalment->amount = sqlite3_column_int64 (stmt, 2);
  instalment->paid = sqlite3_column_int64 (stmt, 3);
  instalment->payment_reference = text (4);
  return instalment;
}

static gpointer
read_register_entry (EsaStoreStmt *stmt)
{
  EsaActRegisterEntry *entry = g_new0 (EsaActRegisterEntry, 1);

  entry->case_id = text (0);
  entry->body_name = text (1);
  entry->state = text (2);
  entry->opened_on = text (3);
  entry->closed_on = text (4);
  entry->currency = text (5);
  entry->claim = sqlite3_column_int64 (stmt, 6);
  entry->balance = sqlite3_column_int64 (stmt, 7);
  return entry;
}

static gpointer
read_string (EsaStoreStmt *stmt)
{
  return text (0);
}

/* ---- the act and what is printed with it --------------------------------- */

static gboolean
fill_act_data (EsaStore    *self,
               const char  *act_id,
               EsaActData  *data,
               GError     **error)
{
  g_autofree char *issuer_id = NULL;
  g_autofree char *fields = NULL;
  GError *local_error = NULL;

  data->act = _esa_store_read_first (self,
                                     "SELECT a.id, a.case_id, a.debtor_id, a.type, a.number, "
                                     "a.issued_on, a.amount, coalesce(n.state, 'pending'), CASE "
                                     "n.state WHEN 'delivered' THEN n.delivered_on WHEN 'failed' "
                                     "THEN n.failed_on END FROM acts a LEFT JOIN notifications n "
                                     "ON n.id = (SELECT id FROM notifications WHERE act_id = a.id "
                                     "ORDER BY attempt DESC LIMIT 1) WHERE a.id = ?1", act_id,
                                     _esa_store_row_act, &local_error);
  if (data->act == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, local_error);
      else
        g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_NOT_FOUND,
                     _("No act with id %s"), act_id);
      return FALSE;
    }

  data->case_ = _esa_store_read_first (self,
                                       "SELECT c.id, c.debtor_id, c.body_id, c.office_id, "
                                       "c.procedure_id, c.state, c.officer_id, u.name, "
                                       "c.opened_on, c.closed_on, c.next_deadline, "
                                       "c.next_deadline_label FROM cases c LEFT JOIN users u ON "
                                       "u.id = c.officer_id WHERE c.id = ?1", data->act->case_id,
                                       _esa_store_row_case, error);
  if (data->case_ == NULL)
    return FALSE;

  data->debtor = esa_store_get_debtor (self, data->act->debtor_id, error);
  if (data->debtor == NULL)
    return FALSE;
  data->body = esa_store_get_body (self, data->case_->body_id, error);
  if (data->body == NULL)
    return FALSE;
  data->office = _esa_store_read_first (self,
                                        "SELECT id, name, town, country FROM offices WHERE id = ?1",
                                        data->case_->office_id, _esa_store_row_office, error);
  if (data->office == NULL)
    return FALSE;

  issuer_id = _esa_store_read_first (self, "SELECT issued_by FROM acts WHERE id = ?1", act_id,
                                     read_string, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (issuer_id != NULL)
    {
      data->issuer = _esa_store_read_first (self, ESA_STORE_USER_SELECT "WHERE u.id = ?1",
                                            issuer_id, _esa_store_row_user, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
    }
  if (data->issuer != NULL && data->issuer->role == ESA_ROLE_RESPONSIBLE)
    {
      data->responsible = g_new0 (EsaUser, 1);
      data->responsible->id = g_strdup (data->issuer->id);
      data->responsible->name = g_strdup (data->issuer->name);
      data->responsible->login = g_strdup (data->issuer->login);
      data->responsible->role = data->issuer->role;
      data->responsible->office_id = g_strdup (data->issuer->office_id);
      data->responsible->office_name = g_strdup (data->issuer->office_name);
    }
  else
    {
      data->responsible = _esa_store_read_first (self,
                                                 ESA_STORE_USER_SELECT
                                                 "WHERE u.office_id = ?1 "
                                                 "AND u.role = 'responsible' "
                                                 "ORDER BY u.name, u.id LIMIT 1",
                                                 data->case_->office_id, _esa_store_row_user,
                                                 &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
    }

  data->positions = _esa_store_read_rows (self,
                                          "SELECT p.id, p.debtor_id, p.body_id, b.name, "
                                          "p.currency, p.load_list_id, p.revenue_type, p.year, "
                                          "p.reference, p.payment_reference, p.due_date, p.state, "
                                          "p.principal, p.sanctions, p.interest, p.costs, p.paid "
                                          "FROM case_positions cp JOIN positions p ON p.id = "
                                          "cp.position_id JOIN bodies b ON b.id = p.body_id WHERE "
                                          "cp.case_id = ?1 AND p.state NOT IN ('cancelled', "
                                          "'written_off') ORDER BY p.due_date, p.reference",
                                          data->case_->id, _esa_store_row_position,
                                          (GDestroyNotify) esa_position_free, error);
  if (data->positions == NULL)
    return FALSE;

  data->plan = _esa_store_read_first (self,
                                      "SELECT p.id, p.debtor_id, p.case_id, p.state, p.total, "
                                      "p.currency, (SELECT count(*) FROM instalments i WHERE "
                                      "i.plan_id = p.id), (SELECT count(*) FROM instalments i "
                                      "WHERE i.plan_id = p.id AND i.paid >= i.amount), "
                                      "p.first_due FROM instalment_plans p WHERE p.case_id = ?1 "
                                      "ORDER BY p.state <> 'active', p.first_due DESC LIMIT 1",
                                      data->case_->id, _esa_store_row_plan, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (data->plan != NULL)
    data->instalments = _esa_store_read_rows (self,
                                              "SELECT seq, due_on, amount, paid, "
                                              "payment_reference FROM instalments WHERE plan_id = "
                                              "?1 ORDER BY seq", data->plan->id, read_instalment,
                                              (GDestroyNotify) esa_act_instalment_free, error);
  else
    data->instalments = g_ptr_array_new_with_free_func ((GDestroyNotify) esa_act_instalment_free);
  if (data->instalments == NULL)
    return FALSE;

  if (g_strcmp0 (data->act->type, "register_extract") == 0)
    data->register_entries = _esa_store_read_rows (self,
                                                   "SELECT c.id, b.name, c.state, c.opened_on, "
                                                   "c.closed_on, b.currency, "
                                                   "coalesce(sum(p.principal + p.sanctions + "
                                                   "p.interest + p.costs), 0), coalesce(sum(CASE "
                                                   "WHEN p.state IN ('cancelled', 'written_off') "
                                                   "THEN 0 ELSE p.principal + p.sanctions + "
                                                   "p.interest + p.costs - p.paid END), 0) FROM "
                                                   "cases c JOIN bodies b ON b.id = c.body_id "
                                                   "LEFT JOIN case_positions cp ON cp.case_id = "
                                                   "c.id LEFT JOIN positions p ON p.id = "
                                                   "cp.position_id WHERE c.debtor_id = ?1 AND "
                                                   "b.country = 'CH' GROUP BY c.id ORDER BY "
                                                   "c.opened_on, c.id", data->debtor->id,
                                                   read_register_entry,
                                                   (GDestroyNotify) esa_act_register_entry_free,
                                                   error);
  else
    data->register_entries =
      g_ptr_array_new_with_free_func ((GDestroyNotify) esa_act_register_entry_free);
  if (data->register_entries == NULL)
    return FALSE;

  /* The step that produced the act, unless it was undone. */
  fields = _esa_store_read_first (self,
                                  "SELECT e.fields FROM case_event_acts ea "
                                  "  JOIN case_events e ON e.id = ea.event_id "
                                  "WHERE ea.act_id = ?1 AND e.undone_by IS NULL "
                                  "ORDER BY e.seq DESC LIMIT 1", act_id, read_string, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (fields != NULL)
    {
      data->fields = json_from_string (fields, &local_error);
      if (data->fields == NULL || !JSON_NODE_HOLDS_OBJECT (data->fields))
        {
          g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_CORRUPT,
                       _("The fields of the step that produced act %s are not a JSON object"),
                       act_id);
          g_clear_error (&local_error);
          return FALSE;
        }
    }

  return TRUE;
}

EsaActData *
esa_store_load_act_data (EsaStore    *self,
                         const char  *act_id,
                         GError     **error)
{
  g_autoptr(EsaActData) data = NULL;
  gboolean ok;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (act_id != NULL, NULL);

  if (!_esa_store_read_begin (self, error))
    return NULL;
  data = g_new0 (EsaActData, 1);
  ok = fill_act_data (self, act_id, data, error);
  _esa_store_read_end (self);

  return ok ? g_steal_pointer (&data) : NULL;
}

/* ---- lookups of a print batch -------------------------------------------- */

char *
esa_store_find_case_act (EsaStore    *self,
                         const char  *case_id,
                         const char  *type,
                         GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (case_id != NULL, NULL);

  stmt = _esa_store_prepare (self,
                             "SELECT (SELECT a.id FROM acts a WHERE a.case_id = c.id "
                             "          AND (?2 IS NULL OR a.type = ?2) "
                             "        ORDER BY a.issued_on DESC, a.number DESC LIMIT 1) "
                             "FROM cases c WHERE c.id = ?1",
                             error);
  if (stmt == NULL)
    return NULL;
  _esa_stmt_bind_text (stmt, 1, case_id);
  _esa_stmt_bind_text (stmt, 2, type);
  if (!_esa_store_step (self, stmt, &row, error))
    return NULL;
  if (!row)
    {
      g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_NOT_FOUND,
                   _("No case with id %s"), case_id);
      return NULL;
    }
  return text (0);
}

GPtrArray *
esa_store_list_load_list_cases (EsaStore    *self,
                                const char  *load_list_id,
                                GError     **error)
{
  g_autofree char *state = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (load_list_id != NULL, NULL);

  state = _esa_store_read_first (self, "SELECT state FROM load_lists WHERE id = ?1", load_list_id,
                                 read_string, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (state == NULL)
    {
      g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_NOT_FOUND,
                   _("No load list with id %s"), load_list_id);
      return NULL;
    }
  if (g_strcmp0 (state, "approved") != 0)
    {
      /* Translators: the second %s is a state id: "imported" or "rejected" */
      g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID,
                   _("Load list %s is not approved (its state is “%s”): nothing is printed "
                     "before the responsible officer’s approval"),
                   load_list_id, state);
      return NULL;
    }

  return _esa_store_read_rows (self,
                               "SELECT c.id FROM cases c JOIN debtors d ON d.id = c.debtor_id "
                               "WHERE c.id IN (SELECT cp.case_id FROM positions p "
                               "  JOIN case_positions cp ON cp.position_id = p.id "
                               "  WHERE p.load_list_id = ?1) "
                               "ORDER BY d.name, c.id", load_list_id, read_string, g_free, error);
}

char *
esa_store_find_act_document (EsaStore    *self,
                             const char  *debtor_id,
                             const char  *act_id,
                             const char  *sha256,
                             GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (debtor_id != NULL, NULL);
  g_return_val_if_fail (act_id != NULL, NULL);
  g_return_val_if_fail (sha256 != NULL, NULL);

  /* By the debtor, which is indexed: a batch asks once per act. */
  stmt = _esa_store_prepare (self,
                             "SELECT id FROM documents WHERE debtor_id = ?1 AND act_id = ?2 "
                             "  AND sha256 = ?3 ORDER BY created_at LIMIT 1",
                             error);
  if (stmt == NULL)
    return NULL;
  _esa_stmt_bind_text (stmt, 1, debtor_id);
  _esa_stmt_bind_text (stmt, 2, act_id);
  _esa_stmt_bind_text (stmt, 3, sha256);
  if (!_esa_store_step (self, stmt, &row, error) || !row)
    return NULL;
  return text (0);
}

GPtrArray *
esa_store_add_documents (EsaStore   *self,
                         GPtrArray  *documents,
                         GError    **error)
{
  g_autoptr(GPtrArray) ids = NULL;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (documents != NULL, NULL);

  /* One commit (one wait for the disk) for the whole group; each write
   * joins the transaction as a savepoint. */
  if (!_esa_store_begin (self, error))
    return NULL;

  ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < documents->len; i++)
    {
      char *id = esa_store_add_document (self, g_ptr_array_index (documents, i), error);

      if (id == NULL)
        {
          _esa_store_rollback (self);
          return NULL;
        }
      g_ptr_array_add (ids, id);
    }

  /* A failed commit rolls back by itself. */
  if (!_esa_store_commit (self, error))
    return NULL;
  return g_steal_pointer (&ids);
}
