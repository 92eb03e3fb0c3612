#pragma once

#include <adwaita.h>

#include "esa-store.h"

G_BEGIN_DECLS

/* Logs a contact (phone, e-mail, counter, letter, visit) on a dossier in
 * one go: channel, subject, duration and outcome; "Open a ticket" also opens
 * a ticket and shows its reference for the caller. Ctrl+L on a search
 * result or an open dossier opens it. */

#define ESA_TYPE_CONTACT_DIALOG (esa_contact_dialog_get_type ())
G_DECLARE_FINAL_TYPE (EsaContactDialog, esa_contact_dialog, ESA, CONTACT_DIALOG,
                      AdwMessageDialog)

/* Returns: (transfer none): the dialog, not yet shown */
GtkWidget *esa_contact_dialog_new (GtkWindow  *parent,
                                   EsaStore   *store,
                                   const char *debtor_id,
                                   const char *debtor_name);

/* For the tests: fills the form and logs as if "Log" was pressed. @channel
 * by its stable name; @ticket_urgency (nullable): open a ticket with this
 * urgency ("low", "normal", "high"). Returns: (transfer full) (nullable):
 * the ticket reference, or "" when no ticket; NULL with @error on failure */
char      *_esa_contact_dialog_log (EsaContactDialog *self,
                                    const char       *channel,
                                    const char       *subject,
                                    const char       *ticket_urgency,
                                    GError          **error);

G_END_DECLS
