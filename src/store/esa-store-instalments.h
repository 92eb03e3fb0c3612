#pragma once

#include <glib.h>

#include "esa-parameters.h"
#include "esa-store.h"

G_BEGIN_DECLS

/* Instalment monitoring (issue 6): the store watches the active instalment
 * plans so that nobody has to remember them, and proposes what to do; a team
 * lead confirms each proposal.
 *
 * - An instalment whose due date has passed and that is not fully paid
 *   (by its own paid amount or by the payments carrying its payment
 *   reference) and has had no reminder yet: a reminder proposal.
 * - When the instalments still unpaid after their reminder (reminded on an
 *   earlier day) meet the lapse rule of the parameter table
 *   "it.instalment.lapse" (esa_rules_it_plan_lapsed()): a lapse proposal,
 *   which replaces the plan's reminder proposals.
 * - When the case of a plan is paid in full (its positions' balance is
 *   zero), or a plan without a case has every instalment paid: a proposal to
 *   close it.
 *
 * Confirming runs in one transaction with the audit entry and the outbox
 * operation: a reminder records the day of the reminder on the instalment; a
 * lapse marks the plan lapsed and, when its case is in the procedure's
 * "instalment_plan" state, runs the procedure's "lapse_plan" action with the
 * residual (the procedure resumes where it was); closing marks the plan
 * completed and runs "close_paid" on the case. The actions need the
 * procedures given to the store (esa_store_set_procedures()). */

typedef enum
{
  ESA_INSTALMENT_PROPOSAL_REMINDER,
  ESA_INSTALMENT_PROPOSAL_LAPSE,
  ESA_INSTALMENT_PROPOSAL_CLOSE,
} EsaInstalmentProposalKind;

/* "reminder", "lapse", "close" */
const char *esa_instalment_proposal_kind_to_string (EsaInstalmentProposalKind kind);

typedef struct
{
  char                      *id;            /* "reminder:<instalment id>", "lapse:<plan id>",
                                             * "close:<plan id>": stable while it stands */
  EsaInstalmentProposalKind  kind;
  char                      *plan_id;
  char                      *case_id;       /* NULL for a plan without a case */
  char                      *case_state;
  char                      *debtor_id;
  char                      *debtor_name;
  char                      *body_id;
  char                      *currency;
  char                      *instalment_id; /* reminder: the missed instalment */
  gint                       seq;           /* reminder: its number in the plan */
  char                      *due_on;        /* reminder: its due date; lapse: the latest missed */
  gint64                     amount;        /* reminder: still unpaid on it; lapse: the
                                             * residual; close: 0 */
  guint                      n_missed;      /* instalments unpaid after their due date */
  char                      *reason;        /* a sentence for people, translated */
} EsaInstalmentProposal;

void esa_instalment_proposal_free (EsaInstalmentProposal *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaInstalmentProposal, esa_instalment_proposal_free)

/**
 * esa_store_instalment_proposals:
 * @parameters: the parameter tables (the lapse rule); a body without the
 *   table gets reminder and close proposals only
 * @today: (nullable): the day to look on; NULL for the current date
 *
 * Returns: (transfer container) (element-type EsaInstalmentProposal): the
 *   proposals, lapses first, then closings, then reminders by due date; or
 *   NULL with @error set
 */
GPtrArray *esa_store_instalment_proposals (EsaStore       *self,
                                           EsaParameters  *parameters,
                                           const GDate    *today,
                                           GError        **error);

/**
 * esa_store_instalment_confirm:
 * @proposal_id: an id from esa_store_instalment_proposals()
 *
 * Carries out the proposal for the acting user, who must be a team lead
 * (ESA_STORE_ERROR_FORBIDDEN otherwise). A proposal that no longer stands on
 * @today (the instalment was paid meanwhile, the plan already lapsed) is
 * ESA_STORE_ERROR_NOT_FOUND; a procedure action that its guards refuse is
 * ESA_STORE_ERROR_INVALID with their sentence, and nothing is changed.
 *
 * Returns: TRUE when done
 */
gboolean   esa_store_instalment_confirm   (EsaStore       *self,
                                           EsaParameters  *parameters,
                                           const char     *proposal_id,
                                           const GDate    *today,
                                           GError        **error);

G_END_DECLS
