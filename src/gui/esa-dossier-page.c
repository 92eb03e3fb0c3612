#include "esa-config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "esa-action-wizard.h"
#include "esa-date.h"
#include "esa-identifiers.h"
#include "esa-money.h"
#include "esa-procedure.h"
#include "esa-dossier-format.h"
#include "esa-dossier-offline.h"
#include "esa-dossier-page.h"
#include "esa-dossier-row.h"
#include "esa-dossier-table.h"
#include "esa-dossier-totals.h"
#include "esa-dossier-wrap-box.h"
#include "esa-next-steps.h"
#include "esa-viewer-attach.h"
#include "esa-viewer.h"

/* How many acts and contacts the overview lists before "All Acts". */
#define LATEST_COUNT 5

/* How long the toast that can undo a step stays. */
#define UNDO_TOAST_TIMEOUT_S 10

struct _EsaDossierPage
{
  GtkWidget         parent_instance;

  EsaStore          *store;
  char              *debtor_id;
  char              *title;
  EsaProcedureCatalog *catalog;
  GDate             *today;
  GPtrArray         *cases;   /* EsaCase, of the last load */
  AdwToast          *undo_toast;  /* weak: the toast that can undo the last step */

  /* template children */
  GtkStack          *state_stack;
  AdwStatusPage     *error_page;
  GtkImage          *kind_image;
  GtkLabel          *name_label;
  EsaDossierOffline *offline;
  EsaDossierWrapBox *badges_box;
  EsaDossierWrapBox *facts_box;
  GtkStack          *view_stack;
  EsaDossierWrapBox *totals_box;
  GtkLabel          *owed_empty_label;
  GtkWidget         *plans_section;
  GtkListBox        *plans_list;
  GtkListBox        *open_cases_list;
  GtkListBox        *latest_acts_list;
  GtkListBox        *latest_contacts_list;
  GtkWidget         *relations_section;
  GtkListBox        *relations_list;
  EsaDossierTable   *positions_table;
  EsaDossierTable   *cases_table;
  EsaDossierTable   *acts_table;
  EsaDossierTable   *payments_table;
  EsaDossierTable   *contacts_table;
  EsaDossierTable   *documents_table;
  EsaDossierTable   *history_table;
  GtkWidget         *documents_box;
  AdwFlap           *flap;
  EsaNextSteps      *next_steps_side;
  EsaNextSteps      *next_steps_inline;
};

G_DEFINE_FINAL_TYPE (EsaDossierPage, esa_dossier_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_DEBTOR_ID,
  PROP_TITLE,
  PROP_VIEW,
  PROP_CATALOG,
  PROP_TODAY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Lookups the tables need across records, built once per load. */
typedef struct
{
  GHashTable *case_labels;         /* case id -> "Coercive collection, opened 3 Jan 2026" */
  GHashTable *case_currencies;     /* case id -> currency of its creditor body */
  GHashTable *position_references; /* position id -> reference */
  GHashTable *user_names;          /* user id -> name */
} Lookups;

/* ---- columns ---------------------------------------------------------- */

enum {
  POSITION_REFERENCE,
  POSITION_BODY,
  POSITION_REVENUE_TYPE,
  POSITION_YEAR,
  POSITION_DUE_DATE,
  POSITION_PRINCIPAL,
  POSITION_SANCTIONS,
  POSITION_INTEREST,
  POSITION_COSTS,
  POSITION_PAID,
  POSITION_BALANCE,
  POSITION_STATE,
  POSITION_PAYMENT_REFERENCE,
  N_POSITION_COLUMNS
};

static const EsaDossierColumn position_columns[N_POSITION_COLUMNS] = {
  [POSITION_REFERENCE] = { N_("Reference"), ESA_DOSSIER_COLUMN_CODE },
  [POSITION_BODY] = { N_("Creditor"), ESA_DOSSIER_COLUMN_TEXT },
  [POSITION_REVENUE_TYPE] = { N_("Revenue Type"), ESA_DOSSIER_COLUMN_TEXT },
  [POSITION_YEAR] = { N_("Year"), ESA_DOSSIER_COLUMN_NUMBER },
  [POSITION_DUE_DATE] = { N_("Due Date"), ESA_DOSSIER_COLUMN_TEXT },
  [POSITION_PRINCIPAL] = { N_("Principal"), ESA_DOSSIER_COLUMN_NUMBER },
  [POSITION_SANCTIONS] = { N_("Sanctions"), ESA_DOSSIER_COLUMN_NUMBER },
  [POSITION_INTEREST] = { N_("Interest"), ESA_DOSSIER_COLUMN_NUMBER },
  [POSITION_COSTS] = { N_("Costs"), ESA_DOSSIER_COLUMN_NUMBER },
  [POSITION_PAID] = { N_("Paid"), ESA_DOSSIER_COLUMN_NUMBER },
  [POSITION_BALANCE] = { N_("Balance"), ESA_DOSSIER_COLUMN_NUMBER },
  [POSITION_STATE] = { N_("State"), ESA_DOSSIER_COLUMN_TEXT },
  [POSITION_PAYMENT_REFERENCE] = { N_("Payment Reference"), ESA_DOSSIER_COLUMN_CODE },
};

enum {
  CASE_PROCEDURE,
  CASE_STATE,
  CASE_OFFICER,
  CASE_OPENED,
  CASE_CLOSED,
  CASE_NEXT_DEADLINE,
  CASE_DEADLINE_LABEL,
  N_CASE_COLUMNS
};

static const EsaDossierColumn case_columns[N_CASE_COLUMNS] = {
  [CASE_PROCEDURE] = { N_("Procedure"), ESA_DOSSIER_COLUMN_TEXT },
  [CASE_STATE] = { N_("State"), ESA_DOSSIER_COLUMN_TEXT },
  [CASE_OFFICER] = { N_("Officer"), ESA_DOSSIER_COLUMN_TEXT },
  [CASE_OPENED] = { N_("Opened"), ESA_DOSSIER_COLUMN_TEXT },
  [CASE_CLOSED] = { N_("Closed"), ESA_DOSSIER_COLUMN_TEXT },
  [CASE_NEXT_DEADLINE] = { N_("Next Deadline"), ESA_DOSSIER_COLUMN_TEXT },
  [CASE_DEADLINE_LABEL] = { N_("Deadline For"), ESA_DOSSIER_COLUMN_WIDE },
};

enum {
  ACT_TYPE,
  ACT_NUMBER,
  ACT_ISSUED,
  ACT_AMOUNT,
  ACT_NOTIFICATION,
  ACT_NOTIFIED,
  ACT_CASE,
  N_ACT_COLUMNS
};

static const EsaDossierColumn act_columns[N_ACT_COLUMNS] = {
  [ACT_TYPE] = { N_("Type"), ESA_DOSSIER_COLUMN_TEXT },
  [ACT_NUMBER] = { N_("Number"), ESA_DOSSIER_COLUMN_CODE },
  [ACT_ISSUED] = { N_("Issued On"), ESA_DOSSIER_COLUMN_TEXT },
  [ACT_AMOUNT] = { N_("Amount"), ESA_DOSSIER_COLUMN_NUMBER },
  [ACT_NOTIFICATION] = { N_("Notification"), ESA_DOSSIER_COLUMN_TEXT },
  [ACT_NOTIFIED] = { N_("Delivered or Failed On"), ESA_DOSSIER_COLUMN_TEXT },
  [ACT_CASE] = { N_("Case"), ESA_DOSSIER_COLUMN_WIDE },
};

enum {
  PAYMENT_DATE,
  PAYMENT_AMOUNT,
  PAYMENT_REFERENCE,
  PAYMENT_CHANNEL,
  PAYMENT_POSITION,
  N_PAYMENT_COLUMNS
};

static const EsaDossierColumn payment_columns[N_PAYMENT_COLUMNS] = {
  [PAYMENT_DATE] = { N_("Paid On"), ESA_DOSSIER_COLUMN_TEXT },
  [PAYMENT_AMOUNT] = { N_("Amount"), ESA_DOSSIER_COLUMN_NUMBER },
  [PAYMENT_REFERENCE] = { N_("Reference"), ESA_DOSSIER_COLUMN_CODE },
  [PAYMENT_CHANNEL] = { N_("Channel"), ESA_DOSSIER_COLUMN_TEXT },
  [PAYMENT_POSITION] = { N_("Position"), ESA_DOSSIER_COLUMN_WIDE },
};

enum {
  CONTACT_WHEN,
  CONTACT_CHANNEL,
  CONTACT_DIRECTION,
  CONTACT_USER,
  CONTACT_SUBJECT,
  CONTACT_NOTE,
  N_CONTACT_COLUMNS
};

static const EsaDossierColumn contact_columns[N_CONTACT_COLUMNS] = {
  [CONTACT_WHEN] = { N_("When"), ESA_DOSSIER_COLUMN_TEXT },
  [CONTACT_CHANNEL] = { N_("Channel"), ESA_DOSSIER_COLUMN_TEXT },
  [CONTACT_DIRECTION] = { N_("Direction"), ESA_DOSSIER_COLUMN_TEXT },
  [CONTACT_USER] = { N_("Officer"), ESA_DOSSIER_COLUMN_TEXT },
  [CONTACT_SUBJECT] = { N_("Subject"), ESA_DOSSIER_COLUMN_TEXT },
  [CONTACT_NOTE] = { N_("Note"), ESA_DOSSIER_COLUMN_WIDE },
};

enum {
  DOCUMENT_TITLE,
  DOCUMENT_TYPE,
  DOCUMENT_SIZE,
  DOCUMENT_CREATED,
  N_DOCUMENT_COLUMNS
};

static const EsaDossierColumn document_columns[N_DOCUMENT_COLUMNS] = {
  [DOCUMENT_TITLE] = { N_("Title"), ESA_DOSSIER_COLUMN_TEXT },
  [DOCUMENT_TYPE] = { N_("Type"), ESA_DOSSIER_COLUMN_TEXT },
  [DOCUMENT_SIZE] = { N_("Size"), ESA_DOSSIER_COLUMN_NUMBER },
  [DOCUMENT_CREATED] = { N_("Created"), ESA_DOSSIER_COLUMN_TEXT },
};

enum {
  HISTORY_WHEN,
  HISTORY_WHO,
  HISTORY_SUMMARY,
  N_HISTORY_COLUMNS
};

static const EsaDossierColumn history_columns[N_HISTORY_COLUMNS] = {
  [HISTORY_WHEN] = { N_("When"), ESA_DOSSIER_COLUMN_TEXT },
  [HISTORY_WHO] = { N_("Who"), ESA_DOSSIER_COLUMN_TEXT },
  [HISTORY_SUMMARY] = { N_("What"), ESA_DOSSIER_COLUMN_WIDE },
};

/* ---- helpers ---------------------------------------------------------- */

static gboolean
is_blank (const char *text)
{
  return text == NULL || *text == '\0';
}

static void
lookups_clear (Lookups *lookups)
{
  g_clear_pointer (&lookups->case_labels, g_hash_table_unref);
  g_clear_pointer (&lookups->case_currencies, g_hash_table_unref);
  g_clear_pointer (&lookups->position_references, g_hash_table_unref);
  g_clear_pointer (&lookups->user_names, g_hash_table_unref);
}

/* The first letter in upper case, for a phrase used as a caption. */
static char *
capitalize (const char *text)
{
  gunichar first = g_utf8_get_char (text);
  char buffer[8] = { 0 };

  if (first == 0)
    return g_strdup (text);

  g_unichar_to_utf8 (g_unichar_totitle (first), buffer);
  return g_strconcat (buffer, g_utf8_next_char (text), NULL);
}

/* Payment references in their printed groups when their length tells what
 * they are: 18 digits a pagoPA notice number, 27 a Swiss QR reference. */
static char *
format_payment_reference (const char *reference)
{
  gsize length;

  if (is_blank (reference))
    return g_strdup ("");

  length = strlen (reference);
  if (length == 18)
    return esa_id_format (ESA_ID_PAGOPA_NOTICE, reference);
  if (length == 27)
    return esa_id_format (ESA_ID_QR_REFERENCE, reference);

  return g_strdup (reference);
}

static char *
format_address (const EsaAddress *address)
{
  g_autofree char *town = NULL;

  if (is_blank (address->postcode))
    town = g_strdup (address->town != NULL ? address->town : "");
  else
    /* Translators: a postcode and a town, "00100 Roma". */
    town = g_strdup_printf (C_("address", "%s %s"), address->postcode, address->town);

  if (is_blank (address->street))
    return g_steal_pointer (&town);

  /* Translators: a street with number and the town line of an address. */
  return g_strdup_printf (C_("address", "%s, %s"), address->street, town);
}

static const EsaAddress *
current_address (const EsaDebtor *debtor)
{
  if (debtor->addresses == NULL)
    return NULL;

  for (guint i = 0; i < debtor->addresses->len; i++)
    {
      const EsaAddress *address = g_ptr_array_index (debtor->addresses, i);

      if (address->valid_to == NULL)
        return address;
    }

  return NULL;
}

static void
set_title (EsaDossierPage *self,
           const char     *title)
{
  if (g_strcmp0 (self->title, title) == 0)
    return;

  g_free (self->title);
  self->title = g_strdup (title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

/* ---- header ----------------------------------------------------------- */

static void
add_badge (EsaDossierPage *self,
           const char     *text,
           const char     *style_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "esa-badge");
  if (style_class != NULL)
    gtk_widget_add_css_class (label, style_class);
  esa_dossier_wrap_box_append (self->badges_box, label);
  gtk_widget_set_visible (GTK_WIDGET (self->badges_box), TRUE);
}

static void
add_dated_badge (EsaDossierPage *self,
                 const char     *format,
                 const char     *iso_date,
                 const char     *style_class)
{
  g_autofree char *date = esa_date_format_iso (iso_date);
  g_autofree char *text = g_strdup_printf (format, date);

  add_badge (self, text, style_class);
}

static GtkWidget *
add_fact (EsaDossierPage *self,
          const char     *caption,
          const char     *value)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *caption_label = gtk_label_new (caption);
  GtkWidget *value_label = gtk_label_new (value);

  gtk_label_set_xalign (GTK_LABEL (caption_label), 0.0);
  gtk_widget_add_css_class (caption_label, "caption");
  gtk_widget_add_css_class (caption_label, "dim-label");

  gtk_label_set_xalign (GTK_LABEL (value_label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (value_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (value_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_natural_wrap_mode (GTK_LABEL (value_label), GTK_NATURAL_WRAP_NONE);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (value_label),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, caption_label, NULL,
                                  -1);

  gtk_box_append (GTK_BOX (box), caption_label);
  gtk_box_append (GTK_BOX (box), value_label);
  esa_dossier_wrap_box_append (self->facts_box, box);

  return value_label;
}

static void
fill_header (EsaDossierPage   *self,
             const EsaDossier *dossier)
{
  const EsaDebtor *debtor = dossier->debtor;
  const EsaAddress *address = current_address (debtor);
  gboolean company = debtor->kind == ESA_DEBTOR_COMPANY;
  EsaIdKind id_kind;

  gtk_label_set_text (self->name_label, debtor->name);
  esa_dossier_offline_set (self->offline, self->store, debtor->id, debtor->office_id);
  gtk_image_set_from_icon_name (self->kind_image,
                                company ? "esa-company-symbolic" : "avatar-default-symbolic");

  if (!is_blank (debtor->deceased_on))
    /* Translators: a badge; %s is a date. */
    add_dated_badge (self, _("Deceased on %s"), debtor->deceased_on, NULL);
  if (!is_blank (debtor->ceased_on))
    /* Translators: a badge of a company that ceased business; %s is a date. */
    add_dated_badge (self, _("Ceased on %s"), debtor->ceased_on, NULL);
  if (!is_blank (debtor->insolvent_since))
    /* Translators: a badge; %s is a date. */
    add_dated_badge (self, _("Insolvent since %s"), debtor->insolvent_since, "error");
  if (dossier->has_active_plan)
    add_badge (self, _("Instalment plan"), "accent");
  if (dossier->has_suspended_position)
    add_badge (self, _("Suspended position"), "warning");

  add_fact (self, _("Kind"), company ? _("Company") : _("Person"));

  if (!is_blank (debtor->tax_id))
    {
      g_autofree char *caption = NULL;
      g_autofree char *formatted = NULL;
      GtkWidget *label;

      if (esa_id_kind_from_string (debtor->tax_id_kind, &id_kind))
        {
          caption = capitalize (esa_id_kind_describe (id_kind));
          formatted = esa_id_format (id_kind, debtor->tax_id);
        }
      else
        {
          caption = g_strdup (_("Tax identifier"));
          formatted = g_strdup (debtor->tax_id);
        }

      label = add_fact (self, caption, formatted);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "monospace");
    }

  if (!is_blank (debtor->birth_date))
    {
      g_autofree char *date = esa_date_format_iso (debtor->birth_date);

      add_fact (self, _("Born"), date);
    }

  if (address != NULL)
    {
      g_autofree char *text = format_address (address);

      gtk_label_set_selectable (GTK_LABEL (add_fact (self, _("Address"), text)), TRUE);
    }
  else
    {
      GtkWidget *label = add_fact (self, _("Address"), _("No current address"));

      gtk_widget_add_css_class (label, "dim-label");
    }

  for (guint i = 0; debtor->contacts != NULL && i < debtor->contacts->len; i++)
    {
      const EsaDebtorContact *contact = g_ptr_array_index (debtor->contacts, i);
      g_autofree char *caption = esa_dossier_term (ESA_DOSSIER_TERM_DEBTOR_CONTACT, contact->kind);

      gtk_label_set_selectable (GTK_LABEL (add_fact (self, caption, contact->value)), TRUE);
    }
}

/* ---- overview ----------------------------------------------------------- */

static GtkWidget *
new_row (const char *title,
         const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  /* Names and notes come from people: never read them as markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (!is_blank (subtitle))
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);

  return row;
}

static GtkWidget *
new_suffix_label (const char *text,
                  const char *style_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 1.0);
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  if (style_class != NULL)
    gtk_widget_add_css_class (label, style_class);

  return label;
}

static void
fill_totals (EsaDossierPage   *self,
             const EsaDossier *dossier)
{
  guint n = dossier->totals != NULL ? dossier->totals->len : 0;

  for (guint i = 0; i < n; i++)
    esa_dossier_wrap_box_append (self->totals_box,
                                 esa_dossier_totals_new (g_ptr_array_index (dossier->totals, i)));

  gtk_widget_set_visible (GTK_WIDGET (self->totals_box), n > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->owed_empty_label), n == 0);
}

static void
fill_plans (EsaDossierPage   *self,
            const EsaDossier *dossier)
{
  guint n = dossier->plans != NULL ? dossier->plans->len : 0;

  for (guint i = 0; i < n; i++)
    {
      const EsaInstalmentPlan *plan = g_ptr_array_index (dossier->plans, i);
      g_autofree char *title = NULL;
      g_autofree char *first_due = esa_date_format_iso (plan->first_due);
      g_autofree char *subtitle = NULL;
      g_autofree char *state = esa_dossier_term (ESA_DOSSIER_TERM_PLAN_STATE, plan->state);
      g_autofree char *total = esa_money_format (plan->total, plan->currency);
      GtkWidget *row;

      title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%d of %d instalment paid",
                                            "%d of %d instalments paid",
                                            plan->instalments),
                               plan->paid_instalments, plan->instalments);
      /* Translators: %s is a date. */
      subtitle = g_strdup_printf (_("First instalment due %s"), first_due);

      row = new_row (title, subtitle);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), new_suffix_label (total, "numeric"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 new_suffix_label (state, esa_dossier_term_style (
                                                     ESA_DOSSIER_TERM_PLAN_STATE, plan->state)));
      gtk_list_box_append (self->plans_list, row);
    }

  gtk_widget_set_visible (self->plans_section, n > 0);
}

static char *
describe_case (const EsaCase *case_)
{
  g_autofree char *procedure = esa_dossier_term (ESA_DOSSIER_TERM_PROCEDURE, case_->procedure_id);
  g_autofree char *opened = esa_date_format_iso (case_->opened_on);

  /* Translators: a procedure and the date it was opened,
   * "Coercive collection, opened 3 Jan 2026". */
  return g_strdup_printf (_("%s, opened %s"), procedure, opened);
}

static GtkWidget *
new_deadline_suffix (const EsaCase *case_)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  g_autofree char *date = NULL;
  GtkWidget *date_label;

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);

  if (is_blank (case_->next_deadline))
    {
      gtk_box_append (GTK_BOX (box), new_suffix_label (_("No deadline"), "dim-label"));
      return box;
    }

  date = esa_date_format_iso (case_->next_deadline);
  date_label = new_suffix_label (date, "heading");
  gtk_widget_add_css_class (date_label, "numeric");
  gtk_box_append (GTK_BOX (box), date_label);

  if (!is_blank (case_->next_deadline_label))
    {
      GtkWidget *label = new_suffix_label (esa_procedure_gettext (case_->next_deadline_label),
                                           "caption");

      gtk_widget_add_css_class (label, "dim-label");
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_natural_wrap_mode (GTK_LABEL (label), GTK_NATURAL_WRAP_NONE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 32);
      gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_RIGHT);
      gtk_box_append (GTK_BOX (box), label);
    }

  return box;
}

static void
fill_open_cases (EsaDossierPage   *self,
                 const EsaDossier *dossier)
{
  for (guint i = 0; dossier->cases != NULL && i < dossier->cases->len; i++)
    {
      const EsaCase *case_ = g_ptr_array_index (dossier->cases, i);
      g_autofree char *procedure = NULL;
      g_autofree char *state = NULL;
      g_autofree char *opened = NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *row;

      if (case_->closed_on != NULL)
        continue;

      procedure = esa_dossier_term (ESA_DOSSIER_TERM_PROCEDURE, case_->procedure_id);
      state = esa_dossier_term (ESA_DOSSIER_TERM_CASE_STATE, case_->state);
      opened = esa_date_format_iso (case_->opened_on);
      if (is_blank (case_->officer_name))
        /* Translators: a case's state and the date it was opened. */
        subtitle = g_strdup_printf (_("%s · opened %s"), state, opened);
      else
        /* Translators: a case's state, its officer and the date it was opened. */
        subtitle = g_strdup_printf (_("%s · %s · opened %s"), state, case_->officer_name, opened);

      row = new_row (procedure, subtitle);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), new_deadline_suffix (case_));
      gtk_list_box_append (self->open_cases_list, row);
    }
}

static char *
describe_notification (const EsaAct *act)
{
  g_autofree char *date = NULL;

  if (g_strcmp0 (act->notification_state, "delivered") == 0 && !is_blank (act->notified_on))
    {
      date = esa_date_format_iso (act->notified_on);
      /* Translators: an act's notification; %s is a date. */
      return g_strdup_printf (_("Delivered on %s"), date);
    }

  if (g_strcmp0 (act->notification_state, "failed") == 0 && !is_blank (act->notified_on))
    {
      date = esa_date_format_iso (act->notified_on);
      /* Translators: an act's notification; %s is a date. */
      return g_strdup_printf (_("Delivery failed on %s"), date);
    }

  return esa_dossier_term (ESA_DOSSIER_TERM_NOTIFICATION, act->notification_state);
}

static void
fill_latest_acts (EsaDossierPage   *self,
                  const EsaDossier *dossier)
{
  guint n = dossier->acts != NULL ? MIN (dossier->acts->len, LATEST_COUNT) : 0;

  for (guint i = 0; i < n; i++)
    {
      const EsaAct *act = g_ptr_array_index (dossier->acts, i);
      g_autofree char *type = esa_dossier_term (ESA_DOSSIER_TERM_ACT_TYPE, act->type);
      g_autofree char *issued = esa_date_format_iso (act->issued_on);
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *notification = describe_notification (act);
      GtkWidget *row;

      /* Translators: an act's type and number, "Injunction ING-2026-000123". */
      title = is_blank (act->number)
              ? g_strdup (type)
              : g_strdup_printf (C_("act type and number", "%s %s"), type, act->number);
      /* Translators: %s is a date. */
      subtitle = g_strdup_printf (_("Issued on %s"), issued);

      row = new_row (title, subtitle);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 new_suffix_label (notification,
                                                   esa_dossier_term_style (
                                                     ESA_DOSSIER_TERM_NOTIFICATION,
                                                     act->notification_state)));
      gtk_list_box_append (self->latest_acts_list, row);
    }
}

static void
fill_latest_contacts (EsaDossierPage   *self,
                      const EsaDossier *dossier)
{
  guint n = dossier->contacts != NULL ? MIN (dossier->contacts->len, LATEST_COUNT) : 0;

  for (guint i = 0; i < n; i++)
    {
      const EsaContactEntry *entry = g_ptr_array_index (dossier->contacts, i);
      g_autofree char *when = esa_dossier_format_timestamp (entry->occurred_at);
      g_autofree char *channel = esa_dossier_term (ESA_DOSSIER_TERM_CONTACT_CHANNEL,
                                                   entry->channel);
      g_autofree char *direction = esa_dossier_term (ESA_DOSSIER_TERM_DIRECTION,
                                                     entry->direction);
      g_autofree char *subtitle = NULL;
      GtkWidget *row;

      if (is_blank (entry->user_name))
        /* Translators: a contact's channel and direction, "Phone · Incoming". */
        subtitle = g_strdup_printf (C_("list of facts", "%s · %s"), channel, direction);
      else
        /* Translators: a contact's channel, direction and officer,
         * "Phone · Incoming · Giulia Ferrari". */
        subtitle = g_strdup_printf (C_("list of facts", "%s · %s · %s"), channel, direction,
                                    entry->user_name);

      row = new_row (is_blank (entry->subject) ? channel : entry->subject, subtitle);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), new_suffix_label (when, "numeric"));
      gtk_list_box_append (self->latest_contacts_list, row);
    }
}

static void
fill_relations (EsaDossierPage  *self,
                const EsaDebtor *debtor)
{
  guint n = debtor->relations != NULL ? debtor->relations->len : 0;

  for (guint i = 0; i < n; i++)
    {
      const EsaRelation *relation = g_ptr_array_index (debtor->relations, i);
      g_autofree char *kind = esa_dossier_term (ESA_DOSSIER_TERM_RELATION, relation->kind);
      g_autofree char *subtitle = NULL;

      if (is_blank (relation->note))
        subtitle = g_strdup (kind);
      else
        /* Translators: a relation and a note about it,
         * "Heir · accepted with benefit of inventory". */
        subtitle = g_strdup_printf (C_("list of facts", "%s · %s"), kind, relation->note);

      gtk_list_box_append (self->relations_list, new_row (relation->other_name, subtitle));
    }

  gtk_widget_set_visible (self->relations_section, n > 0);
}

/* ---- tables ----------------------------------------------------------- */

static void
lookups_init (Lookups          *lookups,
              EsaStore         *store,
              const EsaDossier *dossier)
{
  g_autoptr (GHashTable) body_currencies = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) users = NULL;

  lookups->case_labels = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  lookups->case_currencies = g_hash_table_new (g_str_hash, g_str_equal);
  lookups->position_references = g_hash_table_new (g_str_hash, g_str_equal);
  lookups->user_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; dossier->totals != NULL && i < dossier->totals->len; i++)
    {
      const EsaTotals *totals = g_ptr_array_index (dossier->totals, i);

      if (totals->body_id != NULL)
        g_hash_table_insert (body_currencies, totals->body_id, totals->currency);
    }

  for (guint i = 0; dossier->cases != NULL && i < dossier->cases->len; i++)
    {
      const EsaCase *case_ = g_ptr_array_index (dossier->cases, i);
      const char *currency = case_->body_id != NULL
                             ? g_hash_table_lookup (body_currencies, case_->body_id)
                             : NULL;

      g_hash_table_insert (lookups->case_labels, case_->id, describe_case (case_));
      if (currency != NULL)
        g_hash_table_insert (lookups->case_currencies, case_->id, (gpointer) currency);
    }

  for (guint i = 0; dossier->positions != NULL && i < dossier->positions->len; i++)
    {
      const EsaPosition *position = g_ptr_array_index (dossier->positions, i);

      g_hash_table_insert (lookups->position_references, position->id, position->reference);
    }

  /* The audit journal names users by id. Without the list the history still
   * shows, with ids in place of names, so a failure here is not an error of
   * the page. */
  users = esa_store_list_users (store, NULL);
  for (guint i = 0; users != NULL && i < users->len; i++)
    {
      const EsaUser *user = g_ptr_array_index (users, i);

      g_hash_table_insert (lookups->user_names, g_strdup (user->id), g_strdup (user->name));
    }
}

static void
set_amount (EsaDossierRow *row,
            guint          cell,
            gint64         minor,
            const char    *currency)
{
  esa_dossier_row_take_amount (row, cell, esa_money_format (minor, currency), minor, currency);
}

static void
set_term (EsaDossierRow  *row,
          guint           cell,
          EsaDossierTerm  vocabulary,
          const char     *id)
{
  esa_dossier_row_take_text (row, cell, esa_dossier_term (vocabulary, id));
  esa_dossier_row_set_style (row, cell, esa_dossier_term_style (vocabulary, id));
}

static void
fill_positions (EsaDossierPage   *self,
                const EsaDossier *dossier)
{
  g_autoptr (GListStore) rows = g_list_store_new (ESA_TYPE_DOSSIER_ROW);

  for (guint i = 0; dossier->positions != NULL && i < dossier->positions->len; i++)
    {
      const EsaPosition *position = g_ptr_array_index (dossier->positions, i);
      g_autoptr (EsaDossierRow) row = esa_dossier_row_new (N_POSITION_COLUMNS);

      esa_dossier_row_set_text (row, POSITION_REFERENCE, position->reference);
      esa_dossier_row_set_text (row, POSITION_BODY, position->body_name);
      set_term (row, POSITION_REVENUE_TYPE, ESA_DOSSIER_TERM_REVENUE_TYPE, position->revenue_type);
      esa_dossier_row_take_number (row, POSITION_YEAR,
                                   position->year > 0 ? g_strdup_printf ("%d", position->year)
                                                      : NULL,
                                   position->year);
      esa_dossier_row_set_date (row, POSITION_DUE_DATE, position->due_date);
      set_amount (row, POSITION_PRINCIPAL, position->principal, position->currency);
      set_amount (row, POSITION_SANCTIONS, position->sanctions, position->currency);
      set_amount (row, POSITION_INTEREST, position->interest, position->currency);
      set_amount (row, POSITION_COSTS, position->costs, position->currency);
      set_amount (row, POSITION_PAID, position->paid, position->currency);
      set_amount (row, POSITION_BALANCE, esa_position_balance (position), position->currency);
      esa_dossier_row_set_style (row, POSITION_BALANCE, "esa-strong");
      set_term (row, POSITION_STATE, ESA_DOSSIER_TERM_POSITION_STATE, position->state);
      esa_dossier_row_take_text (row, POSITION_PAYMENT_REFERENCE,
                                 format_payment_reference (position->payment_reference));

      g_list_store_append (rows, row);
    }

  esa_dossier_table_set_rows (self->positions_table, G_LIST_MODEL (rows));
}

static void
fill_cases (EsaDossierPage   *self,
            const EsaDossier *dossier)
{
  g_autoptr (GListStore) rows = g_list_store_new (ESA_TYPE_DOSSIER_ROW);

  for (guint i = 0; dossier->cases != NULL && i < dossier->cases->len; i++)
    {
      const EsaCase *case_ = g_ptr_array_index (dossier->cases, i);
      g_autoptr (EsaDossierRow) row = esa_dossier_row_new (N_CASE_COLUMNS);

      set_term (row, CASE_PROCEDURE, ESA_DOSSIER_TERM_PROCEDURE, case_->procedure_id);
      set_term (row, CASE_STATE, ESA_DOSSIER_TERM_CASE_STATE, case_->state);
      esa_dossier_row_set_text (row, CASE_OFFICER, case_->officer_name);
      esa_dossier_row_set_date (row, CASE_OPENED, case_->opened_on);
      esa_dossier_row_set_date (row, CASE_CLOSED, case_->closed_on);
      esa_dossier_row_set_date (row, CASE_NEXT_DEADLINE, case_->next_deadline);
      esa_dossier_row_set_text (row, CASE_DEADLINE_LABEL,
                                esa_procedure_gettext (case_->next_deadline_label));

      g_list_store_append (rows, row);
    }

  esa_dossier_table_set_rows (self->cases_table, G_LIST_MODEL (rows));
}

static void
fill_acts (EsaDossierPage   *self,
           const EsaDossier *dossier,
           const Lookups    *lookups)
{
  g_autoptr (GListStore) rows = g_list_store_new (ESA_TYPE_DOSSIER_ROW);

  for (guint i = 0; dossier->acts != NULL && i < dossier->acts->len; i++)
    {
      const EsaAct *act = g_ptr_array_index (dossier->acts, i);
      g_autoptr (EsaDossierRow) row = esa_dossier_row_new (N_ACT_COLUMNS);
      const char *currency = act->case_id != NULL
                             ? g_hash_table_lookup (lookups->case_currencies, act->case_id)
                             : NULL;

      set_term (row, ACT_TYPE, ESA_DOSSIER_TERM_ACT_TYPE, act->type);
      esa_dossier_row_set_text (row, ACT_NUMBER, act->number);
      esa_dossier_row_set_text (row, ACT_CASE,
                                act->case_id != NULL
                                ? g_hash_table_lookup (lookups->case_labels, act->case_id)
                                : NULL);
      esa_dossier_row_set_date (row, ACT_ISSUED, act->issued_on);
      /* An act's amount is in the currency of its case's creditor body;
       * without a case to tell it, the plain figure is all there is. */
      if (currency != NULL)
        set_amount (row, ACT_AMOUNT, act->amount, currency);
      else
        esa_dossier_row_take_number (row, ACT_AMOUNT, esa_money_to_decimal (act->amount),
                                     act->amount);
      set_term (row, ACT_NOTIFICATION, ESA_DOSSIER_TERM_NOTIFICATION, act->notification_state);
      esa_dossier_row_set_date (row, ACT_NOTIFIED, act->notified_on);

      g_list_store_append (rows, row);
    }

  esa_dossier_table_set_rows (self->acts_table, G_LIST_MODEL (rows));
}

static void
fill_payments (EsaDossierPage   *self,
               const EsaDossier *dossier,
               const Lookups    *lookups)
{
  g_autoptr (GListStore) rows = g_list_store_new (ESA_TYPE_DOSSIER_ROW);

  for (guint i = 0; dossier->payments != NULL && i < dossier->payments->len; i++)
    {
      const EsaPayment *payment = g_ptr_array_index (dossier->payments, i);
      g_autoptr (EsaDossierRow) row = esa_dossier_row_new (N_PAYMENT_COLUMNS);
      const char *position = payment->position_id != NULL
                             ? g_hash_table_lookup (lookups->position_references,
                                                    payment->position_id)
                             : NULL;

      esa_dossier_row_set_date (row, PAYMENT_DATE, payment->paid_on);
      set_amount (row, PAYMENT_AMOUNT, payment->amount, payment->currency);
      esa_dossier_row_take_text (row, PAYMENT_REFERENCE,
                                 format_payment_reference (payment->reference));
      set_term (row, PAYMENT_CHANNEL, ESA_DOSSIER_TERM_PAYMENT_CHANNEL, payment->channel);
      if (position != NULL)
        {
          esa_dossier_row_set_text (row, PAYMENT_POSITION, position);
        }
      else
        {
          esa_dossier_row_set_text (row, PAYMENT_POSITION, _("Not matched to a position"));
          esa_dossier_row_set_style (row, PAYMENT_POSITION, "warning");
        }

      g_list_store_append (rows, row);
    }

  esa_dossier_table_set_rows (self->payments_table, G_LIST_MODEL (rows));
}

static void
fill_contacts (EsaDossierPage   *self,
               const EsaDossier *dossier)
{
  g_autoptr (GListStore) rows = g_list_store_new (ESA_TYPE_DOSSIER_ROW);

  for (guint i = 0; dossier->contacts != NULL && i < dossier->contacts->len; i++)
    {
      const EsaContactEntry *entry = g_ptr_array_index (dossier->contacts, i);
      g_autoptr (EsaDossierRow) row = esa_dossier_row_new (N_CONTACT_COLUMNS);

      esa_dossier_row_set_timestamp (row, CONTACT_WHEN, entry->occurred_at);
      set_term (row, CONTACT_CHANNEL, ESA_DOSSIER_TERM_CONTACT_CHANNEL, entry->channel);
      set_term (row, CONTACT_DIRECTION, ESA_DOSSIER_TERM_DIRECTION, entry->direction);
      esa_dossier_row_set_text (row, CONTACT_USER, entry->user_name);
      esa_dossier_row_set_text (row, CONTACT_SUBJECT, entry->subject);
      esa_dossier_row_set_text (row, CONTACT_NOTE, entry->note);

      g_list_store_append (rows, row);
    }

  esa_dossier_table_set_rows (self->contacts_table, G_LIST_MODEL (rows));
}

static void
fill_documents (EsaDossierPage   *self,
                const EsaDossier *dossier)
{
  g_autoptr (GListStore) rows = g_list_store_new (ESA_TYPE_DOSSIER_ROW);

  for (guint i = 0; dossier->documents != NULL && i < dossier->documents->len; i++)
    {
      const EsaDocument *document = g_ptr_array_index (dossier->documents, i);
      g_autoptr (EsaDossierRow) row = esa_dossier_row_new (N_DOCUMENT_COLUMNS);
      g_autofree char *content_type = NULL;

      esa_dossier_row_set_text (row, DOCUMENT_TITLE, document->title);
      if (!is_blank (document->mime_type))
        {
          content_type = g_content_type_from_mime_type (document->mime_type);
          esa_dossier_row_take_text (row, DOCUMENT_TYPE,
                                     content_type != NULL
                                     ? g_content_type_get_description (content_type)
                                     : g_strdup (document->mime_type));
        }
      esa_dossier_row_take_number (row, DOCUMENT_SIZE, g_format_size (document->size),
                                   document->size);
      esa_dossier_row_set_timestamp (row, DOCUMENT_CREATED, document->created_at);
      /* Activating the row opens the document in the viewer. */
      g_object_set_data_full (G_OBJECT (row), "esa-document", esa_viewer_copy_document (document),
                              (GDestroyNotify) esa_document_free);

      g_list_store_append (rows, row);
    }

  esa_dossier_table_set_rows (self->documents_table, G_LIST_MODEL (rows));
}

static void
fill_history (EsaDossierPage   *self,
              const EsaDossier *dossier,
              const Lookups    *lookups)
{
  g_autoptr (GListStore) rows = g_list_store_new (ESA_TYPE_DOSSIER_ROW);

  for (guint i = 0; dossier->history != NULL && i < dossier->history->len; i++)
    {
      const EsaAuditEntry *entry = g_ptr_array_index (dossier->history, i);
      g_autoptr (EsaDossierRow) row = esa_dossier_row_new (N_HISTORY_COLUMNS);
      const char *who = NULL;

      esa_dossier_row_set_timestamp (row, HISTORY_WHEN, entry->at);
      if (entry->user_id == NULL)
        /* Translators: who made a change that no user made (imports, the demo generator). */
        who = _("System");
      else
        who = g_hash_table_lookup (lookups->user_names, entry->user_id);
      esa_dossier_row_set_text (row, HISTORY_WHO, who != NULL ? who : entry->user_id);
      esa_dossier_row_set_text (row, HISTORY_SUMMARY, entry->summary);

      g_list_store_append (rows, row);
    }

  esa_dossier_table_set_rows (self->history_table, G_LIST_MODEL (rows));
}

/* ---- next steps ------------------------------------------------------- */

static void
update_next_steps (EsaDossierPage *self)
{
  if (self->cases == NULL)
    return;

  esa_next_steps_update (self->next_steps_side, self->store, self->cases, self->catalog,
                         self->today);
  esa_next_steps_update (self->next_steps_inline, self->store, self->cases, self->catalog,
                         self->today);
}

/* ---- loading ---------------------------------------------------------- */

static void
remove_rows (GtkListBox *list)
{
  GtkListBoxRow *row;

  while ((row = gtk_list_box_get_row_at_index (list, 0)) != NULL)
    gtk_list_box_remove (list, GTK_WIDGET (row));
}

/* Empties what a load fills by adding to it, so that a dossier can be loaded
 * again after a step changed it. */
static void
clear (EsaDossierPage *self)
{
  esa_dossier_wrap_box_remove_all (self->badges_box);
  esa_dossier_wrap_box_remove_all (self->facts_box);
  esa_dossier_wrap_box_remove_all (self->totals_box);
  gtk_widget_set_visible (GTK_WIDGET (self->badges_box), FALSE);

  remove_rows (self->plans_list);
  remove_rows (self->open_cases_list);
  remove_rows (self->latest_acts_list);
  remove_rows (self->latest_contacts_list);
  remove_rows (self->relations_list);
}

static void
show_error (EsaDossierPage *self,
            const GError   *error)
{
  /* The status page reads its description as markup. */
  g_autofree char *message = g_markup_escape_text (error->message, -1);

  adw_status_page_set_description (self->error_page, message);
  gtk_stack_set_visible_child_name (self->state_stack, "error");
  set_title (self, _("Dossier Unavailable"));
}

static void
load (EsaDossierPage *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (EsaDossier) dossier = NULL;
  Lookups lookups = { NULL, };

  if (self->store == NULL || is_blank (self->debtor_id))
    {
      g_set_error (&error, ESA_STORE_ERROR, ESA_STORE_ERROR_NOT_FOUND,
                   _("No debtor was named for this dossier."));
      show_error (self, error);
      return;
    }

  dossier = esa_store_load_dossier (self->store, self->debtor_id, &error);
  if (dossier == NULL)
    {
      show_error (self, error);
      return;
    }

  lookups_init (&lookups, self->store, dossier);

  clear (self);
  fill_header (self, dossier);
  fill_totals (self, dossier);
  fill_plans (self, dossier);
  fill_open_cases (self, dossier);
  fill_latest_acts (self, dossier);
  fill_latest_contacts (self, dossier);
  fill_relations (self, dossier->debtor);
  fill_positions (self, dossier);
  fill_cases (self, dossier);
  fill_acts (self, dossier, &lookups);
  fill_payments (self, dossier, &lookups);
  fill_contacts (self, dossier);
  fill_documents (self, dossier);
  fill_history (self, dossier, &lookups);

  lookups_clear (&lookups);

  g_clear_pointer (&self->cases, g_ptr_array_unref);
  self->cases = dossier->cases != NULL ? g_ptr_array_ref (dossier->cases) : NULL;
  update_next_steps (self);

  gtk_stack_set_visible_child_name (self->state_stack, "dossier");
  set_title (self, dossier->debtor->name);
}

/* ---- running a step ----------------------------------------------------- */

typedef struct
{
  GWeakRef  page;
  EsaStore *store;
  char     *event_id;
} UndoData;

static void
undo_data_free (gpointer data,
                GClosure *closure)
{
  UndoData *undo = data;

  g_weak_ref_clear (&undo->page);
  g_clear_object (&undo->store);
  g_free (undo->event_id);
  g_free (undo);
}

static void
add_toast (EsaDossierPage *self,
           AdwToast       *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (toast);
}

static void
on_undo_toast_button_clicked (AdwToast *toast,
                              UndoData *undo)
{
  g_autoptr(EsaDossierPage) self = g_weak_ref_get (&undo->page);
  g_autoptr(GError) error = NULL;
  gboolean undone = esa_store_case_undo (undo->store, undo->event_id, &error);
  AdwToast *result;

  /* The dossier may have been closed while the toast was up. */
  if (self == NULL)
    return;

  esa_dossier_page_reload (self);
  result = adw_toast_new (undone ? _("Step undone") : error->message);
  /* A refusal stays until read. */
  adw_toast_set_timeout (result, undone ? 5 : 0);
  add_toast (self, result);
}

static void
on_wizard_done (EsaActionWizard *wizard,
                const char      *event_id,
                const char      *message,
                EsaDossierPage  *self)
{
  AdwToast *toast = adw_toast_new (message);
  UndoData *undo = g_new0 (UndoData, 1);

  esa_dossier_page_reload (self);

  /* Only the latest step can be undone: an older step's toast goes. */
  if (self->undo_toast != NULL)
    adw_toast_dismiss (self->undo_toast);

  /* The step can be taken back while nothing else happened on the case and
   * nothing left the office; the store checks that when asked. */
  g_weak_ref_init (&undo->page, self);
  undo->store = g_object_ref (self->store);
  undo->event_id = g_strdup (event_id);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_timeout (toast, UNDO_TOAST_TIMEOUT_S);
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (on_undo_toast_button_clicked),
                         undo, undo_data_free, 0);
  g_set_weak_pointer (&self->undo_toast, toast);
  add_toast (self, toast);
}

static void
on_next_steps_run_action (EsaNextSteps   *next_steps,
                          const char     *case_id,
                          const char     *action_id,
                          EsaDossierPage *self)
{
  g_autoptr(GError) error = NULL;

  if (!esa_dossier_page_run_action (self, case_id, action_id, &error))
    {
      AdwToast *toast = adw_toast_new (error->message);

      adw_toast_set_timeout (toast, 0);
      add_toast (self, toast);
    }
}

static void
next_step_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  EsaDossierPage *self = ESA_DOSSIER_PAGE (widget);
  const char *case_id;
  const char *action_id;

  if (esa_next_steps_get_first (esa_dossier_page_get_next_steps (self), &case_id, &action_id))
    on_next_steps_run_action (NULL, case_id, action_id, self);
  else
    gtk_widget_error_bell (widget);
}

/* ---- views ------------------------------------------------------------ */

static void
on_view_stack_visible_child_name_changed (EsaDossierPage *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW]);
}

static void
set_view (EsaDossierPage *self,
          const char     *name)
{
  if (name == NULL || self->view_stack == NULL
      || gtk_stack_get_child_by_name (self->view_stack, name) == NULL)
    return;

  /* The stack's notification tells the toggles. */
  gtk_stack_set_visible_child_name (self->view_stack, name);
}

/* ---- documents ---------------------------------------------------------- */

static void
on_documents_table_row_activated (EsaDossierTable *table,
                                  EsaDossierRow   *row,
                                  EsaDossierPage  *self)
{
  const EsaDocument *document = g_object_get_data (G_OBJECT (row), "esa-document");
  GtkWidget *tab_view = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TAB_VIEW);
  g_autoptr(GError) error = NULL;

  if (document == NULL || tab_view == NULL)
    return;

  /* The viewer opens in a tab beside the dossier's. */
  if (esa_viewer_open_document_in_tab (ADW_TAB_VIEW (tab_view),
                                       adw_tab_view_get_page (ADW_TAB_VIEW (tab_view),
                                                              GTK_WIDGET (self)),
                                       self->store, document, &error) == NULL)
    esa_viewer_show_toast (GTK_WIDGET (self), error->message);
}

static void
on_files_attached (GObject      *source_object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(EsaDossierPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = esa_viewer_attach_files_finish (result, &error);

  /* The tab was closed meanwhile. */
  if (self->store == NULL)
    return;

  if (error != NULL)
    esa_viewer_show_toast (GTK_WIDGET (self), error->message);
  esa_dossier_page_reload (self);
}

static void
attach_files (EsaDossierPage *self,
              GList          *files)
{
  EsaDocument link = { NULL, };

  if (self->store == NULL || self->debtor_id == NULL || files == NULL)
    return;

  link.debtor_id = self->debtor_id;
  esa_viewer_attach_files_async (self->store, &link, files, NULL, NULL, on_files_attached,
                                 g_object_ref (self));
}

static void
on_files_chosen (GtkWidget *widget,
                 GList     *files,
                 gpointer   user_data)
{
  attach_files (ESA_DOSSIER_PAGE (widget), files);
}

static void
attach_files_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  esa_viewer_choose_files (widget, on_files_chosen, NULL);
}

static gboolean
on_documents_drop (GtkDropTarget  *target,
                   const GValue   *value,
                   double          x,
                   double          y,
                   EsaDossierPage *self)
{
  GSList *dropped = gdk_file_list_get_files (g_value_get_boxed (value));
  GList *files = NULL;
  gboolean accepted = dropped != NULL;

  for (GSList *l = dropped; l != NULL; l = l->next)
    files = g_list_prepend (files, l->data);
  files = g_list_reverse (files);

  attach_files (self, files);

  g_list_free (files);
  g_slist_free (dropped);
  return accepted;
}

/* ---- GObject ---------------------------------------------------------- */

static void
esa_dossier_page_constructed (GObject *object)
{
  EsaDossierPage *self = ESA_DOSSIER_PAGE (object);

  G_OBJECT_CLASS (esa_dossier_page_parent_class)->constructed (object);

  load (self);
}

static void
esa_dossier_page_dispose (GObject *object)
{
  EsaDossierPage *self = ESA_DOSSIER_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), ESA_TYPE_DOSSIER_PAGE);
  g_clear_object (&self->store);
  g_clear_object (&self->catalog);
  g_clear_pointer (&self->cases, g_ptr_array_unref);
  g_clear_weak_pointer (&self->undo_toast);

  G_OBJECT_CLASS (esa_dossier_page_parent_class)->dispose (object);
}

static void
esa_dossier_page_finalize (GObject *object)
{
  EsaDossierPage *self = ESA_DOSSIER_PAGE (object);

  g_free (self->debtor_id);
  g_free (self->title);
  g_clear_pointer (&self->today, g_date_free);

  G_OBJECT_CLASS (esa_dossier_page_parent_class)->finalize (object);
}

static void
esa_dossier_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  EsaDossierPage *self = ESA_DOSSIER_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_DEBTOR_ID:
      g_value_set_string (value, self->debtor_id);
      break;

    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_CATALOG:
      g_value_set_object (value, self->catalog);
      break;

    case PROP_TODAY:
      g_value_set_boxed (value, self->today);
      break;

    case PROP_VIEW:
      /* Asked for by the "dossier.view" action even while the page goes. */
      g_value_set_string (value, self->view_stack != NULL
                                 ? gtk_stack_get_visible_child_name (self->view_stack)
                                 : NULL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esa_dossier_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  EsaDossierPage *self = ESA_DOSSIER_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_DEBTOR_ID:
      self->debtor_id = g_value_dup_string (value);
      break;

    case PROP_VIEW:
      set_view (self, g_value_get_string (value));
      break;

    case PROP_CATALOG:
      self->catalog = g_value_dup_object (value);
      break;

    case PROP_TODAY:
      self->today = g_value_dup_boxed (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esa_dossier_page_class_init (EsaDossierPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = esa_dossier_page_constructed;
  object_class->dispose = esa_dossier_page_dispose;
  object_class->finalize = esa_dossier_page_finalize;
  object_class->get_property = esa_dossier_page_get_property;
  object_class->set_property = esa_dossier_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, ESA_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEBTOR_ID] =
    g_param_spec_string ("debtor-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* The debtor's display name once loaded, for the tab. */
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* The page of the dossier shown: "overview", "positions", "cases", "acts",
   * "payments", "contacts", "documents" or "history". */
  properties[PROP_VIEW] =
    g_param_spec_string ("view", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Why a procedure that did not load is unavailable, for Next steps. */
  properties[PROP_CATALOG] =
    g_param_spec_object ("catalog", NULL, NULL, ESA_TYPE_PROCEDURE_CATALOG,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* The day steps are evaluated on and dated (a GDate); NULL: the current date. */
  properties[PROP_TODAY] =
    g_param_spec_boxed ("today", NULL, NULL, G_TYPE_DATE,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The toggles above the pages and the "All …" buttons of the overview. */
  gtk_widget_class_install_property_action (widget_class, "dossier.view", "view");
  /* Opens the wizard of the first available next step. */
  gtk_widget_class_install_action (widget_class, "dossier.next-step", NULL, next_step_action);
  /* Files to the Documents page, with the file chooser. */
  gtk_widget_class_install_action (widget_class, "dossier.attach-files", NULL,
                                   attach_files_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "dossier.next-step", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "dossier.next-step", NULL);

  g_type_ensure (ESA_TYPE_DOSSIER_OFFLINE);
  g_type_ensure (ESA_TYPE_DOSSIER_TABLE);
  g_type_ensure (ESA_TYPE_DOSSIER_WRAP_BOX);
  g_type_ensure (ESA_TYPE_NEXT_STEPS);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/esattore/Esattore/ui/esa-dossier-page.ui");
  gtk_widget_class_bind_template_child (widget_class, EsaDossierPage, state_stack);
  gtk_widget_class_bind_template_child (widget_class, EsaDossierPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, EsaDossierPage, kind_image);
  gtk_widget_class_bind_template_child (widget_class, EsaDossierPage, name_label);
  gtk_widget_class_bind_template_child (widget_class, EsaDossierPage, offline);
  gtk_widget_class_bind_template_child (widget_class, EsaDossierPage, badges_box);
  gtk_widget_class_bind_template_child (widget_class, EsaDossierPage, facts_box);
  gtk_widget_class_bind_template_child (widget_class, EsaDossierPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, EsaDossierPage, totals_box);
  gtk_widget_class_bind_template_child (widget_class, EsaDossierPage, owed_empty_label);
  gtk_widget_class_bind_template_child (widget_class, EsaDossierPage, plans_section);
  gtk_widget_class_bind_template_child (widget_class, EsaDossierPage, plans_list);
  gtk_widget_class_bind_template_child (widget_class, EsaDossierPage, open_cases_list);
  gtk_widget_class_bind_template_child (widget_class, EsaDossierPage, latest_acts_list);
  gtk_widget_class_bind_template_child (widget_class, EsaDossierPage, latest_contacts_list);
  gtk_widget_class_bind_template_child (widget_class, EsaDossierPage, relations_section);
  gtk_widget_class_bind_template_child (widget_class, EsaDossierPage, relations_list);
  gtk_widget_class_bind_template_child (widget_class, EsaDossierPage, positions_table);
  gtk_widget_class_bind_template_child (widget_class, EsaDossierPage, cases_table);
  gtk_widget_class_bind_template_child (widget_class, EsaDossierPage, acts_table);
  gtk_widget_class_bind_template_child (widget_class, EsaDossierPage, payments_table);
  gtk_widget_class_bind_template_child (widget_class, EsaDossierPage, contacts_table);
  gtk_widget_class_bind_template_child (widget_class, EsaDossierPage, documents_table);
  gtk_widget_class_bind_template_child (widget_class, EsaDossierPage, history_table);
  gtk_widget_class_bind_template_child (widget_class, EsaDossierPage, documents_box);
  gtk_widget_class_bind_template_child (widget_class, EsaDossierPage, flap);
  gtk_widget_class_bind_template_child (widget_class, EsaDossierPage, next_steps_side);
  gtk_widget_class_bind_template_child (widget_class, EsaDossierPage, next_steps_inline);
  gtk_widget_class_bind_template_callback (widget_class,
                                           on_view_stack_visible_child_name_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_next_steps_run_action);
  gtk_widget_class_bind_template_callback (widget_class, on_documents_table_row_activated);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
esa_dossier_page_init (EsaDossierPage *self)
{
  GtkDropTarget *drop_target;

  gtk_widget_init_template (GTK_WIDGET (self));

  esa_dossier_table_set_columns (self->positions_table, position_columns, N_POSITION_COLUMNS);
  esa_dossier_table_set_columns (self->cases_table, case_columns, N_CASE_COLUMNS);
  esa_dossier_table_set_columns (self->acts_table, act_columns, N_ACT_COLUMNS);
  esa_dossier_table_set_columns (self->payments_table, payment_columns, N_PAYMENT_COLUMNS);
  esa_dossier_table_set_columns (self->contacts_table, contact_columns, N_CONTACT_COLUMNS);
  esa_dossier_table_set_columns (self->documents_table, document_columns, N_DOCUMENT_COLUMNS);
  esa_dossier_table_set_columns (self->history_table, history_columns, N_HISTORY_COLUMNS);

  /* Files dropped on the Documents page are attached to the dossier. */
  drop_target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop_target, "drop", G_CALLBACK (on_documents_drop), self);
  gtk_widget_add_controller (self->documents_box, GTK_EVENT_CONTROLLER (drop_target));
}

/* ---- public API ------------------------------------------------------- */

GtkWidget *
esa_dossier_page_new (EsaStore   *store,
                      const char *debtor_id)
{
  g_return_val_if_fail (ESA_IS_STORE (store), NULL);

  return g_object_new (ESA_TYPE_DOSSIER_PAGE,
                       "store", store,
                       "debtor-id", debtor_id,
                       NULL);
}

const char *
esa_dossier_page_get_debtor_id (EsaDossierPage *self)
{
  g_return_val_if_fail (ESA_IS_DOSSIER_PAGE (self), NULL);

  return self->debtor_id;
}

const char *
esa_dossier_page_get_title (EsaDossierPage *self)
{
  g_return_val_if_fail (ESA_IS_DOSSIER_PAGE (self), NULL);

  return self->title;
}

GtkWidget *
esa_dossier_page_new_full (EsaStore            *store,
                           const char          *debtor_id,
                           EsaProcedureCatalog *catalog,
                           const GDate         *today)
{
  g_return_val_if_fail (ESA_IS_STORE (store), NULL);
  g_return_val_if_fail (catalog == NULL || ESA_IS_PROCEDURE_CATALOG (catalog), NULL);

  return g_object_new (ESA_TYPE_DOSSIER_PAGE,
                       "store", store,
                       "debtor-id", debtor_id,
                       "catalog", catalog,
                       "today", today,
                       NULL);
}

void
esa_dossier_page_reload (EsaDossierPage *self)
{
  g_return_if_fail (ESA_IS_DOSSIER_PAGE (self));

  load (self);
}

EsaNextSteps *
esa_dossier_page_get_next_steps (EsaDossierPage *self)
{
  g_return_val_if_fail (ESA_IS_DOSSIER_PAGE (self), NULL);

  return adw_flap_get_folded (self->flap) ? self->next_steps_inline : self->next_steps_side;
}

gboolean
esa_dossier_page_run_action (EsaDossierPage  *self,
                             const char      *case_id,
                             const char      *action_id,
                             GError         **error)
{
  g_autoptr(EsaCase) case_ = NULL;
  EsaActionWizard *wizard;
  EsaProcedure *procedure;
  GtkRoot *root;

  g_return_val_if_fail (ESA_IS_DOSSIER_PAGE (self), FALSE);
  g_return_val_if_fail (case_id != NULL && action_id != NULL, FALSE);

  case_ = esa_store_get_case (self->store, case_id, error);
  if (case_ == NULL)
    return FALSE;

  procedure = esa_store_get_case_procedure (self->store, case_id, error);
  if (procedure == NULL)
    return FALSE;

  root = gtk_widget_get_root (GTK_WIDGET (self));
  wizard = esa_action_wizard_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                  self->store, procedure, case_, action_id, self->title,
                                  self->today, error);
  if (wizard == NULL)
    return FALSE;

  g_signal_connect_object (wizard, "done", G_CALLBACK (on_wizard_done), self, 0);
  gtk_window_present (GTK_WINDOW (wizard));
  return TRUE;
}
