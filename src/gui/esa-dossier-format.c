#include "esa-config.h"

#include <glib/gi18n-lib.h>

#include "esa-date.h"
#include "esa-dossier-format.h"

typedef struct
{
  EsaDossierTerm  vocabulary;
  const char     *id;
  const char     *label;   /* untranslated; translated with the vocabulary's context */
  const char     *style;   /* style class, or NULL */
} Term;

/* The translation context of each vocabulary, so that a word such as
 * "Suspended" can agree with what it describes in languages with gender
 * (Italian: a position, la partita, is "sospesa"; a case in the table of
 * states is translated on its own). Keep in step with the NC_() contexts
 * below. */
static const char * const contexts[ESA_DOSSIER_N_TERMS] = {
  [ESA_DOSSIER_TERM_PROCEDURE] = "procedure",
  [ESA_DOSSIER_TERM_CASE_STATE] = "case state",
  [ESA_DOSSIER_TERM_ACT_TYPE] = "act type",
  [ESA_DOSSIER_TERM_NOTIFICATION] = "notification state",
  [ESA_DOSSIER_TERM_POSITION_STATE] = "position state",
  [ESA_DOSSIER_TERM_REVENUE_TYPE] = "revenue type",
  [ESA_DOSSIER_TERM_PAYMENT_CHANNEL] = "payment channel",
  [ESA_DOSSIER_TERM_CONTACT_CHANNEL] = "contact channel",
  [ESA_DOSSIER_TERM_DIRECTION] = "contact direction",
  [ESA_DOSSIER_TERM_RELATION] = "relation",
  [ESA_DOSSIER_TERM_DEBTOR_CONTACT] = "debtor contact",
  [ESA_DOSSIER_TERM_PLAN_STATE] = "instalment plan state",
};

static const Term terms[] = {
  { ESA_DOSSIER_TERM_PROCEDURE, "it-coercive", NC_ ("procedure", "Coercive collection"), NULL },
  { ESA_DOSSIER_TERM_PROCEDURE, "ch-lef", NC_ ("procedure", "Debt enforcement (LEF)"), NULL },

  /* Italian coercive collection */
  { ESA_DOSSIER_TERM_CASE_STATE, "injunction_issued", NC_ ("case state", "Injunction issued"),
    NULL },
  { ESA_DOSSIER_TERM_CASE_STATE, "notified", NC_ ("case state", "Notified"), NULL },
  { ESA_DOSSIER_TERM_CASE_STATE, "notification_failed", NC_ ("case state", "Notification failed"),
    "error" },
  { ESA_DOSSIER_TERM_CASE_STATE, "reminded", NC_ ("case state", "Reminded"), NULL },
  { ESA_DOSSIER_TERM_CASE_STATE, "instalment_plan", NC_ ("case state", "Instalment plan"),
    "accent" },
  { ESA_DOSSIER_TERM_CASE_STATE, "lien_notice", NC_ ("case state", "Vehicle lien notice"), NULL },
  { ESA_DOSSIER_TERM_CASE_STATE, "lien_registered", NC_ ("case state", "Vehicle lien registered"),
    NULL },
  { ESA_DOSSIER_TERM_CASE_STATE, "mortgage_notice", NC_ ("case state", "Mortgage notice"), NULL },
  { ESA_DOSSIER_TERM_CASE_STATE, "garnishment", NC_ ("case state", "Garnishment"), NULL },
  { ESA_DOSSIER_TERM_CASE_STATE, "seizure", NC_ ("case state", "Seizure"), NULL },
  { ESA_DOSSIER_TERM_CASE_STATE, "insolvency_claim", NC_ ("case state", "Insolvency claim"),
    "warning" },
  { ESA_DOSSIER_TERM_CASE_STATE, "suspended", NC_ ("case state", "Suspended"), "warning" },
  { ESA_DOSSIER_TERM_CASE_STATE, "uncollectable", NC_ ("case state", "Uncollectable"),
    "dim-label" },
  /* Swiss debt enforcement */
  { ESA_DOSSIER_TERM_CASE_STATE, "requested", NC_ ("case state", "Requested"), NULL },
  { ESA_DOSSIER_TERM_CASE_STATE, "order_issued", NC_ ("case state", "Payment order issued"), NULL },
  { ESA_DOSSIER_TERM_CASE_STATE, "served", NC_ ("case state", "Served"), NULL },
  { ESA_DOSSIER_TERM_CASE_STATE, "opposed", NC_ ("case state", "Opposed"), "warning" },
  { ESA_DOSSIER_TERM_CASE_STATE, "continuable", NC_ ("case state", "Continuable"), NULL },
  { ESA_DOSSIER_TERM_CASE_STATE, "seized", NC_ ("case state", "Seized"), NULL },
  { ESA_DOSSIER_TERM_CASE_STATE, "loss_certificate", NC_ ("case state", "Certificate of loss"),
    "error" },
  { ESA_DOSSIER_TERM_CASE_STATE, "withdrawn", NC_ ("case state", "Withdrawn"), "dim-label" },
  /* both */
  { ESA_DOSSIER_TERM_CASE_STATE, "paid", NC_ ("case state", "Paid"), "success" },

  { ESA_DOSSIER_TERM_ACT_TYPE, "injunction", NC_ ("act type", "Injunction"), NULL },
  { ESA_DOSSIER_TERM_ACT_TYPE, "reminder", NC_ ("act type", "Reminder"), NULL },
  { ESA_DOSSIER_TERM_ACT_TYPE, "vehicle_lien_notice", NC_ ("act type", "Vehicle lien notice"),
    NULL },
  { ESA_DOSSIER_TERM_ACT_TYPE, "vehicle_lien", NC_ ("act type", "Vehicle lien"), NULL },
  { ESA_DOSSIER_TERM_ACT_TYPE, "mortgage_notice", NC_ ("act type", "Mortgage notice"), NULL },
  { ESA_DOSSIER_TERM_ACT_TYPE, "garnishment_order", NC_ ("act type", "Garnishment order"), NULL },
  { ESA_DOSSIER_TERM_ACT_TYPE, "seizure_report", NC_ ("act type", "Seizure report"), NULL },
  { ESA_DOSSIER_TERM_ACT_TYPE, "insolvency_claim", NC_ ("act type", "Insolvency claim"), NULL },
  { ESA_DOSSIER_TERM_ACT_TYPE, "payment_order", NC_ ("act type", "Payment order"), NULL },
  { ESA_DOSSIER_TERM_ACT_TYPE, "seizure_notice", NC_ ("act type", "Seizure notice"), NULL },
  { ESA_DOSSIER_TERM_ACT_TYPE, "loss_certificate", NC_ ("act type", "Certificate of loss"), NULL },

  { ESA_DOSSIER_TERM_NOTIFICATION, "pending", NC_ ("notification state", "Pending"), "dim-label" },
  { ESA_DOSSIER_TERM_NOTIFICATION, "sent", NC_ ("notification state", "Sent"), NULL },
  { ESA_DOSSIER_TERM_NOTIFICATION, "delivered", NC_ ("notification state", "Delivered"),
    "success" },
  { ESA_DOSSIER_TERM_NOTIFICATION, "failed", NC_ ("notification state", "Failed"), "error" },

  { ESA_DOSSIER_TERM_POSITION_STATE, "open", NC_ ("position state", "Open"), NULL },
  { ESA_DOSSIER_TERM_POSITION_STATE, "paid", NC_ ("position state", "Paid"), "success" },
  { ESA_DOSSIER_TERM_POSITION_STATE, "suspended", NC_ ("position state", "Suspended"), "warning" },
  { ESA_DOSSIER_TERM_POSITION_STATE, "cancelled", NC_ ("position state", "Cancelled"),
    "dim-label" },
  { ESA_DOSSIER_TERM_POSITION_STATE, "written_off", NC_ ("position state", "Written off"),
    "dim-label" },

  /* Translators: IMU and TARI are the names of Italian municipal taxes. */
  { ESA_DOSSIER_TERM_REVENUE_TYPE, "IMU", NC_ ("revenue type", "IMU"), NULL },
  { ESA_DOSSIER_TERM_REVENUE_TYPE, "TARI", NC_ ("revenue type", "TARI"), NULL },
  { ESA_DOSSIER_TERM_REVENUE_TYPE, "fine", NC_ ("revenue type", "Traffic fine"), NULL },
  { ESA_DOSSIER_TERM_REVENUE_TYPE, "water", NC_ ("revenue type", "Water"), NULL },
  { ESA_DOSSIER_TERM_REVENUE_TYPE, "tax", NC_ ("revenue type", "Tax"), NULL },
  { ESA_DOSSIER_TERM_REVENUE_TYPE, "premium", NC_ ("revenue type", "Health insurance premium"),
    NULL },
  { ESA_DOSSIER_TERM_REVENUE_TYPE, "claim", NC_ ("revenue type", "Claim"), NULL },

  { ESA_DOSSIER_TERM_PAYMENT_CHANNEL, "pagopa", NC_ ("payment channel", "pagoPA"), NULL },
  { ESA_DOSSIER_TERM_PAYMENT_CHANNEL, "qr-bill", NC_ ("payment channel", "QR-bill"), NULL },
  { ESA_DOSSIER_TERM_PAYMENT_CHANNEL, "bank", NC_ ("payment channel", "Bank transfer"), NULL },
  { ESA_DOSSIER_TERM_PAYMENT_CHANNEL, "cash", NC_ ("payment channel", "Cash"), NULL },
  { ESA_DOSSIER_TERM_PAYMENT_CHANNEL, "manual", NC_ ("payment channel", "Manual entry"), NULL },

  { ESA_DOSSIER_TERM_CONTACT_CHANNEL, "phone", NC_ ("contact channel", "Phone"), NULL },
  { ESA_DOSSIER_TERM_CONTACT_CHANNEL, "email", NC_ ("contact channel", "Email"), NULL },
  { ESA_DOSSIER_TERM_CONTACT_CHANNEL, "counter", NC_ ("contact channel", "Counter"), NULL },
  { ESA_DOSSIER_TERM_CONTACT_CHANNEL, "letter", NC_ ("contact channel", "Letter"), NULL },
  { ESA_DOSSIER_TERM_CONTACT_CHANNEL, "visit", NC_ ("contact channel", "Visit"), NULL },

  { ESA_DOSSIER_TERM_DIRECTION, "in", NC_ ("contact direction", "Incoming"), NULL },
  { ESA_DOSSIER_TERM_DIRECTION, "out", NC_ ("contact direction", "Outgoing"), NULL },

  { ESA_DOSSIER_TERM_RELATION, "heir", NC_ ("relation", "Heir"), NULL },
  { ESA_DOSSIER_TERM_RELATION, "partner", NC_ ("relation", "Partner"), NULL },
  { ESA_DOSSIER_TERM_RELATION, "representative", NC_ ("relation", "Legal representative"), NULL },
  { ESA_DOSSIER_TERM_RELATION, "delegate", NC_ ("relation", "Delegate"), NULL },

  { ESA_DOSSIER_TERM_DEBTOR_CONTACT, "phone", NC_ ("debtor contact", "Phone"), NULL },
  { ESA_DOSSIER_TERM_DEBTOR_CONTACT, "email", NC_ ("debtor contact", "Email"), NULL },
  /* Translators: certified email (posta elettronica certificata). */
  { ESA_DOSSIER_TERM_DEBTOR_CONTACT, "pec", NC_ ("debtor contact", "PEC"), NULL },

  { ESA_DOSSIER_TERM_PLAN_STATE, "active", NC_ ("instalment plan state", "Active"), "accent" },
  { ESA_DOSSIER_TERM_PLAN_STATE, "lapsed", NC_ ("instalment plan state", "Lapsed"), "error" },
  { ESA_DOSSIER_TERM_PLAN_STATE, "completed", NC_ ("instalment plan state", "Completed"),
    "success" },
};

static const Term *
find_term (EsaDossierTerm  vocabulary,
           const char     *id)
{
  if (id == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (terms); i++)
    {
      if (terms[i].vocabulary == vocabulary && g_str_equal (terms[i].id, id))
        return &terms[i];
    }

  return NULL;
}

/* A new procedure or state added as data still reads tolerably before
 * anyone adds it to the table: "seizure_requested" becomes "Seizure
 * requested". */
static char *
humanize (const char *id)
{
  g_autofree char *spaced = g_strdelimit (g_strdup (id), "_-", ' ');
  gunichar first = g_utf8_get_char (spaced);
  char buffer[8] = { 0 };

  if (first == 0)
    return g_steal_pointer (&spaced);

  g_unichar_to_utf8 (g_unichar_totitle (first), buffer);
  return g_strconcat (buffer, g_utf8_next_char (spaced), NULL);
}

char *
esa_dossier_term (EsaDossierTerm  vocabulary,
                  const char     *id)
{
  const Term *term;

  g_return_val_if_fail (vocabulary < ESA_DOSSIER_N_TERMS, NULL);

  if (id == NULL || *id == '\0')
    return g_strdup ("");

  term = find_term (vocabulary, id);
  if (term == NULL)
    return humanize (id);

  return g_strdup (g_dpgettext2 (GETTEXT_PACKAGE, contexts[vocabulary], term->label));
}

const char *
esa_dossier_term_style (EsaDossierTerm  vocabulary,
                        const char     *id)
{
  const Term *term;

  g_return_val_if_fail (vocabulary < ESA_DOSSIER_N_TERMS, NULL);

  term = find_term (vocabulary, id);
  return term != NULL ? term->style : NULL;
}

char *
esa_dossier_format_timestamp (const char *timestamp)
{
  g_autoptr (GTimeZone) utc = NULL;
  g_autoptr (GDateTime) moment = NULL;
  g_autoptr (GDateTime) local = NULL;
  g_autofree char *iso_date = NULL;
  g_autofree char *date = NULL;
  g_autofree char *time = NULL;

  if (timestamp == NULL || *timestamp == '\0')
    return g_strdup ("");

  utc = g_time_zone_new_utc ();
  moment = g_date_time_new_from_iso8601 (timestamp, utc);
  if (moment == NULL)
    {
      /* A bare date, or something the store should not hold: show the date
       * part if there is one, the text as it is otherwise. */
      if (strlen (timestamp) >= 10)
        {
          g_autofree char *head = g_strndup (timestamp, 10);
          return esa_date_format_iso (head);
        }
      return g_strdup (timestamp);
    }

  local = g_date_time_to_local (moment);
  iso_date = g_date_time_format (local, "%Y-%m-%d");
  date = esa_date_format_iso (iso_date);
  time = g_date_time_format (local, "%H:%M");

  /* Translators: a date and a time of day, e.g. "14 Mar 2027 09:40". */
  return g_strdup_printf (C_("date and time", "%s %s"), date, time);
}
