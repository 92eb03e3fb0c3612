/* esa-records.c: role names and the _free functions of the store's records
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>

#include "esa-records.h"
#include "esa-store-private.h"

static const struct
{
  const char *name;
  const char *description;
} roles[ESA_N_ROLES] = {
  [ESA_ROLE_OFFICER] = { "officer", N_("Officer") },
  [ESA_ROLE_FIELD_OFFICER] = { "field_officer", N_("Field collection officer") },
  [ESA_ROLE_TEAM_LEAD] = { "team_lead", N_("Team lead") },
  [ESA_ROLE_RESPONSIBLE] = { "responsible", N_("Responsible officer") },
  [ESA_ROLE_CONTACT_OPERATOR] = { "contact_operator", N_("Contact-center operator") },
  [ESA_ROLE_ADMINISTRATOR] = { "administrator", N_("Administrator") },
  [ESA_ROLE_AUDITOR] = { "auditor", N_("Auditor") },
};

const char *
esa_role_to_string (EsaRole role)
{
  g_return_val_if_fail (role < ESA_N_ROLES, NULL);

  return roles[role].name;
}

gboolean
_esa_store_name_index (const char * const *names,
                       guint               n_names,
                       const char         *name,
                       guint              *out_index)
{
  for (guint i = 0; name != NULL && i < n_names; i++)
    if (g_strcmp0 (names[i], name) == 0)
      {
        *out_index = i;
        return TRUE;
      }
  return FALSE;
}

gboolean
esa_role_from_string (const char *name,
                      EsaRole    *out)
{
  if (name == NULL)
    return FALSE;

  for (guint i = 0; i < ESA_N_ROLES; i++)
    {
      if (g_str_equal (name, roles[i].name))
        {
          if (out != NULL)
            *out = (EsaRole) i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
esa_role_describe (EsaRole role)
{
  g_return_val_if_fail (role < ESA_N_ROLES, NULL);

  return g_dgettext (GETTEXT_PACKAGE, roles[role].description);
}

gint64
esa_position_balance (const EsaPosition *position)
{
  g_return_val_if_fail (position != NULL, 0);

  return position->principal + position->sanctions + position->interest + position->costs
         - position->paid;
}

void
esa_body_free (EsaBody *self)
{
  if (self == NULL)
    return;

  g_free (self->id);
  g_free (self->name);
  g_free (self->country);
  g_free (self->currency);
  g_free (self->tax_code);
  g_free (self->iban);
  g_free (self->segregation_code);
  g_free (self);
}

void
esa_office_free (EsaOffice *self)
{
  if (self == NULL)
    return;

  g_free (self->id);
  g_free (self->name);
  g_free (self->town);
  g_free (self->country);
  g_free (self);
}

void
esa_user_free (EsaUser *self)
{
  if (self == NULL)
    return;

  g_free (self->id);
  g_free (self->name);
  g_free (self->login);
  g_free (self->office_id);
  g_free (self->office_name);
  g_free (self);
}

void
esa_address_free (EsaAddress *self)
{
  if (self == NULL)
    return;

  g_free (self->id);
  g_free (self->street);
  g_free (self->postcode);
  g_free (self->town);
  g_free (self->country);
  g_free (self->valid_from);
  g_free (self->valid_to);
  g_free (self);
}

void
esa_debtor_contact_free (EsaDebtorContact *self)
{
  if (self == NULL)
    return;

  g_free (self->id);
  g_free (self->kind);
  g_free (self->value);
  g_free (self);
}

void
esa_relation_free (EsaRelation *self)
{
  if (self == NULL)
    return;

  g_free (self->id);
  g_free (self->kind);
  g_free (self->other_id);
  g_free (self->other_name);
  g_free (self->note);
  g_free (self);
}

void
esa_debtor_free (EsaDebtor *self)
{
  if (self == NULL)
    return;

  g_free (self->id);
  g_free (self->name);
  g_free (self->tax_id);
  g_free (self->tax_id_kind);
  g_free (self->birth_date);
  g_free (self->deceased_on);
  g_free (self->ceased_on);
  g_free (self->insolvent_since);
  g_free (self->office_id);
  g_clear_pointer (&self->addresses, g_ptr_array_unref);
  g_clear_pointer (&self->contacts, g_ptr_array_unref);
  g_clear_pointer (&self->relations, g_ptr_array_unref);
  g_free (self);
}

void
esa_position_free (EsaPosition *self)
{
  if (self == NULL)
    return;

  g_free (self->id);
  g_free (self->debtor_id);
  g_free (self->body_id);
  g_free (self->body_name);
  g_free (self->currency);
  g_free (self->load_list_id);
  g_free (self->revenue_type);
  g_free (self->reference);
  g_free (self->payment_reference);
  g_free (self->due_date);
  g_free (self->state);
  g_free (self);
}

void
esa_case_free (EsaCase *self)
{
  if (self == NULL)
    return;

  g_free (self->id);
  g_free (self->debtor_id);
  g_free (self->body_id);
  g_free (self->office_id);
  g_free (self->procedure_id);
  g_free (self->state);
  g_free (self->officer_id);
  g_free (self->officer_name);
  g_free (self->opened_on);
  g_free (self->closed_on);
  g_free (self->next_deadline);
  g_free (self->next_deadline_label);
  g_free (self);
}

void
esa_act_free (EsaAct *self)
{
  if (self == NULL)
    return;

  g_free (self->id);
  g_free (self->case_id);
  g_free (self->debtor_id);
  g_free (self->type);
  g_free (self->number);
  g_free (self->issued_on);
  g_free (self->notification_state);
  g_free (self->notified_on);
  g_free (self);
}

void
esa_payment_free (EsaPayment *self)
{
  if (self == NULL)
    return;

  g_free (self->id);
  g_free (self->debtor_id);
  g_free (self->position_id);
  g_free (self->body_id);
  g_free (self->currency);
  g_free (self->paid_on);
  g_free (self->reference);
  g_free (self->channel);
  g_free (self);
}

void
esa_instalment_plan_free (EsaInstalmentPlan *self)
{
  if (self == NULL)
    return;

  g_free (self->id);
  g_free (self->debtor_id);
  g_free (self->case_id);
  g_free (self->state);
  g_free (self->currency);
  g_free (self->first_due);
  g_free (self);
}

void
esa_document_free (EsaDocument *self)
{
  if (self == NULL)
    return;

  g_free (self->id);
  g_free (self->debtor_id);
  g_free (self->case_id);
  g_free (self->act_id);
  g_free (self->title);
  g_free (self->mime_type);
  g_free (self->sha256);
  g_free (self->created_at);
  g_free (self);
}

void
esa_contact_entry_free (EsaContactEntry *self)
{
  if (self == NULL)
    return;

  g_free (self->id);
  g_free (self->debtor_id);
  g_free (self->channel);
  g_free (self->direction);
  g_free (self->occurred_at);
  g_free (self->user_id);
  g_free (self->user_name);
  g_free (self->subject);
  g_free (self->note);
  g_free (self);
}

void
esa_audit_entry_free (EsaAuditEntry *self)
{
  if (self == NULL)
    return;

  g_free (self->at);
  g_free (self->user_id);
  g_free (self->action);
  g_free (self->entity);
  g_free (self->entity_id);
  g_free (self->debtor_id);
  g_free (self->summary);
  g_free (self->prev_hash);
  g_free (self->hash);
  g_free (self);
}

void
esa_totals_free (EsaTotals *self)
{
  if (self == NULL)
    return;

  g_free (self->body_id);
  g_free (self->body_name);
  g_free (self->currency);
  g_free (self);
}

void
esa_dossier_free (EsaDossier *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->debtor, esa_debtor_free);
  g_clear_pointer (&self->totals, g_ptr_array_unref);
  g_clear_pointer (&self->positions, g_ptr_array_unref);
  g_clear_pointer (&self->cases, g_ptr_array_unref);
  g_clear_pointer (&self->acts, g_ptr_array_unref);
  g_clear_pointer (&self->payments, g_ptr_array_unref);
  g_clear_pointer (&self->plans, g_ptr_array_unref);
  g_clear_pointer (&self->documents, g_ptr_array_unref);
  g_clear_pointer (&self->contacts, g_ptr_array_unref);
  g_clear_pointer (&self->history, g_ptr_array_unref);
  g_free (self);
}

void
esa_search_hit_free (EsaSearchHit *self)
{
  if (self == NULL)
    return;

  g_free (self->debtor_id);
  g_free (self->name);
  g_free (self->tax_id);
  g_free (self->town);
  g_free (self);
}

void
esa_office_stats_free (EsaOfficeStats *self)
{
  if (self == NULL)
    return;

  g_free (self->office_id);
  g_free (self->office_name);
  g_free (self);
}
