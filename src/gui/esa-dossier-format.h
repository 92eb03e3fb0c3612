#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The vocabularies of stable ids the store keeps (states, types, channels),
 * which the dossier shows as words. */
typedef enum
{
  ESA_DOSSIER_TERM_PROCEDURE,
  ESA_DOSSIER_TERM_CASE_STATE,
  ESA_DOSSIER_TERM_ACT_TYPE,
  ESA_DOSSIER_TERM_NOTIFICATION,
  ESA_DOSSIER_TERM_POSITION_STATE,
  ESA_DOSSIER_TERM_REVENUE_TYPE,
  ESA_DOSSIER_TERM_PAYMENT_CHANNEL,
  ESA_DOSSIER_TERM_CONTACT_CHANNEL,
  ESA_DOSSIER_TERM_DIRECTION,
  ESA_DOSSIER_TERM_RELATION,
  ESA_DOSSIER_TERM_DEBTOR_CONTACT,
  ESA_DOSSIER_TERM_PLAN_STATE,
  ESA_DOSSIER_N_TERMS
} EsaDossierTerm;

/**
 * esa_dossier_term:
 * @vocabulary: which kind of id @id is
 * @id: (nullable): a stable id such as "notification_failed"
 *
 * Returns: (transfer full): the translated word for @id ("Notification
 *   failed"); an id the table does not know is shown with its underscores
 *   as spaces and a capital first letter; "" for NULL
 */
char       *esa_dossier_term             (EsaDossierTerm  vocabulary,
                                          const char     *id);

/**
 * esa_dossier_term_style:
 *
 * Returns: (nullable): the style class that marks @id at a glance
 *   ("success", "warning", "error", "dim-label"), or NULL
 */
const char *esa_dossier_term_style       (EsaDossierTerm  vocabulary,
                                          const char     *id);

/**
 * esa_dossier_format_timestamp:
 * @timestamp: (nullable): ISO 8601, e.g. "2026-11-23T08:40:00Z"
 *
 * Returns: (transfer full): the moment in local time for people, the date
 *   as esa_date_format_iso() shows it followed by the time of day; "" for
 *   NULL
 */
char       *esa_dossier_format_timestamp (const char     *timestamp);

G_END_DECLS
