/* esa-contact-center-page.c: tickets, knowledge cards, appointments and
 * statistics
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>

#include "esa-acting.h"
#include "esa-contact-center-page.h"
#include "esa-date.h"
#include "esa-roles.h"
#include "esa-store-tickets.h"
#include "esa-ticket-view.h"

/* Knowledge cards listed at most. */
#define N_CARDS 50

struct _EsaContactCenterPage
{
  GtkWidget       parent_instance;

  AdwViewStack   *view_stack;
  GtkDropDown    *status_dropdown;
  GtkListBox     *tickets_list;
  EsaTicketView  *ticket_view;
  GtkSearchEntry *knowledge_entry;
  GtkListBox     *knowledge_list;
  GtkListBox     *appointments_list;
  GtkListBox     *stats_list;

  EsaStore       *store;
  /* Read again when next shown: hidden sections do not read the store. */
  gboolean       stale;
};

G_DEFINE_FINAL_TYPE (EsaContactCenterPage, esa_contact_center_page, GTK_TYPE_WIDGET)

enum {
  OPEN_DOSSIER,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
add_placeholder (GtkListBox *list,
                 const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "esa-placeholder");
  gtk_list_box_set_placeholder (list, label);
}

static GtkWidget *
badge_new (const char *text,
           const char *style)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "esa-badge");
  if (style != NULL)
    gtk_widget_add_css_class (label, style);
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  return label;
}

/* ---- tickets ------------------------------------------------------------ */

static GtkWidget *
ticket_row_new (const EsaTicket *ticket)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *reference = gtk_label_new (ticket->reference);
  GtkWidget *subject = gtk_label_new (ticket->subject);
  GtkWidget *debtor = gtk_label_new (ticket->debtor_name);

  gtk_widget_add_css_class (reference, "numeric");
  gtk_widget_add_css_class (reference, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (reference), 0);
  gtk_widget_set_hexpand (reference, TRUE);
  gtk_box_append (GTK_BOX (line), reference);
  if (ticket->sla_breached)
    gtk_box_append (GTK_BOX (line), badge_new (_("Late"), "error"));
  if (ticket->urgency == ESA_TICKET_URGENCY_HIGH)
    gtk_box_append (GTK_BOX (line),
                    badge_new (esa_ticket_urgency_describe (ticket->urgency), "warning"));
  if (ticket->status == ESA_TICKET_STATUS_CLOSED)
    gtk_box_append (GTK_BOX (line), badge_new (esa_ticket_status_describe (ticket->status),
                                               NULL));
  gtk_box_append (GTK_BOX (box), line);

  gtk_label_set_xalign (GTK_LABEL (subject), 0);
  gtk_label_set_ellipsize (GTK_LABEL (subject), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (subject, "heading");
  gtk_box_append (GTK_BOX (box), subject);
  gtk_label_set_xalign (GTK_LABEL (debtor), 0);
  gtk_label_set_ellipsize (GTK_LABEL (debtor), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (debtor, "dim-label");
  gtk_box_append (GTK_BOX (box), debtor);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_set_name (row, ticket->id);
  g_object_set_data_full (G_OBJECT (row), "reference", g_strdup (ticket->reference), g_free);
  return row;
}

static void
fill_tickets (EsaContactCenterPage *self,
              const char           *keep_id)
{
  g_autoptr(GPtrArray) tickets = NULL;
  g_autoptr(GError) error = NULL;
  EsaTicketFilter filter = { 0 };
  GtkListBoxRow *chosen = NULL;

  clear_list (self->tickets_list);
  if (self->store == NULL)
    {
      esa_ticket_view_set_ticket (self->ticket_view, NULL, NULL);
      return;
    }

  filter.open_only = gtk_drop_down_get_selected (self->status_dropdown) == 0;
  tickets = esa_store_list_tickets (self->store, &filter, &error);
  if (tickets == NULL)
    {
      add_placeholder (self->tickets_list, error->message);
      esa_ticket_view_set_ticket (self->ticket_view, NULL, NULL);
      return;
    }
  for (guint i = 0; i < tickets->len; i++)
    {
      const EsaTicket *ticket = g_ptr_array_index (tickets, i);
      GtkWidget *row = ticket_row_new (ticket);

      gtk_list_box_append (self->tickets_list, row);
      if (chosen == NULL || g_strcmp0 (ticket->id, keep_id) == 0)
        chosen = GTK_LIST_BOX_ROW (row);
    }

  /* The first ticket (or the one shown before) is open, so that the page
   * is never an empty half. */
  if (chosen != NULL)
    gtk_list_box_select_row (self->tickets_list, chosen);
  else
    esa_ticket_view_set_ticket (self->ticket_view, self->store, NULL);
}

static void
on_ticket_selected (EsaContactCenterPage *self,
                    GtkListBoxRow        *row)
{
  if (row == NULL)
    return;
  if (g_strcmp0 (esa_ticket_view_get_ticket (self->ticket_view),
                 gtk_widget_get_name (GTK_WIDGET (row))) == 0)
    return;
  esa_ticket_view_set_ticket (self->ticket_view, self->store,
                              gtk_widget_get_name (GTK_WIDGET (row)));
}

static void
on_status_changed (EsaContactCenterPage *self)
{
  fill_tickets (self, esa_ticket_view_get_ticket (self->ticket_view));
}

static void
on_ticket_changed (EsaContactCenterPage *self)
{
  g_autofree char *id = g_strdup (esa_ticket_view_get_ticket (self->ticket_view));

  fill_tickets (self, id);
}

static void
on_ticket_open_dossier (EsaContactCenterPage *self,
                        const char           *debtor_id)
{
  g_signal_emit (self, signals[OPEN_DOSSIER], 0, debtor_id);
}

/* ---- knowledge cards ---------------------------------------------------- */

static void
fill_knowledge (EsaContactCenterPage *self)
{
  g_autoptr(GPtrArray) cards = NULL;
  g_autoptr(GError) error = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->knowledge_entry));

  clear_list (self->knowledge_list);
  if (self->store == NULL)
    return;

  cards = esa_store_search_knowledge (self->store, text, NULL, TRUE, N_CARDS, &error);
  if (cards == NULL)
    {
      add_placeholder (self->knowledge_list, error->message);
      return;
    }
  add_placeholder (self->knowledge_list, _("No approved card matches these words"));
  for (guint i = 0; i < cards->len; i++)
    {
      const EsaKnowledgeCard *card = g_ptr_array_index (cards, i);
      GtkWidget *row = adw_expander_row_new ();
      GtkWidget *body = gtk_label_new (card->body);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), card->title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), card->keywords);
      gtk_label_set_wrap (GTK_LABEL (body), TRUE);
      gtk_label_set_xalign (GTK_LABEL (body), 0);
      gtk_label_set_selectable (GTK_LABEL (body), TRUE);
      gtk_widget_set_margin_start (body, 12);
      gtk_widget_set_margin_end (body, 12);
      gtk_widget_set_margin_top (body, 12);
      gtk_widget_set_margin_bottom (body, 12);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), body);
      /* The best match is open: most questions need one card. */
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), i == 0 && text[0] != '\0');
      gtk_list_box_append (self->knowledge_list, row);
    }
}

static void
on_knowledge_changed (EsaContactCenterPage *self)
{
  fill_knowledge (self);
}

/* ---- appointments ------------------------------------------------------- */

static char *
format_start (const char *iso)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_iso8601 (iso, NULL);
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup (iso);
  local = g_date_time_to_local (utc);
  /* Translators: an appointment's start, see g_date_time_format() */
  return g_date_time_format (local, _("%a %e %b, %H:%M"));
}

static void
fill_appointments (EsaContactCenterPage *self)
{
  g_autoptr(GPtrArray) appointments = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *from = NULL;
  GDate today;

  clear_list (self->appointments_list);
  if (self->store == NULL)
    return;

  esa_date_set_today (&today);
  from = esa_date_to_iso (&today);
  appointments = esa_store_list_appointments (self->store, NULL, NULL, from, NULL, &error);
  if (appointments == NULL)
    {
      add_placeholder (self->appointments_list, error->message);
      return;
    }
  add_placeholder (self->appointments_list, _("No appointment from today on"));
  for (guint i = 0; i < appointments->len; i++)
    {
      const EsaAppointment *appointment = g_ptr_array_index (appointments, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *start = format_start (appointment->starts_at);
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;

      /* Translators: "Mon 24 Nov, 09:30 · Rossi Mario" */
      title = g_strdup_printf (_("%s · %s"), start,
                               appointment->debtor_name != NULL ? appointment->debtor_name : "");
      /* Translators: "Instalment plan · 30 min · counter · Milano, with Anna Verdi" */
      subtitle = g_strdup_printf (_("%s · %d min · %s · %s, with %s"), appointment->subject,
                                  appointment->minutes, appointment->channel,
                                  appointment->office_name != NULL ? appointment->office_name : "",
                                  appointment->user_name != NULL ? appointment->user_name
                                                                 : _("anyone"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      if (g_strcmp0 (appointment->status, "booked") != 0)
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), badge_new (appointment->status, NULL));
      if (appointment->debtor_id != NULL)
        {
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
          g_object_set_data_full (G_OBJECT (row), "debtor-id",
                                  g_strdup (appointment->debtor_id), g_free);
        }
      gtk_list_box_append (self->appointments_list, row);
    }
}

static void
on_appointment_activated (GtkListBox           *list,
                          GtkListBoxRow        *row,
                          EsaContactCenterPage *self)
{
  const char *debtor_id = g_object_get_data (G_OBJECT (row), "debtor-id");

  if (debtor_id != NULL)
    g_signal_emit (self, signals[OPEN_DOSSIER], 0, debtor_id);
}

/* ---- statistics --------------------------------------------------------- */

static char *
format_ppm (gint32 ppm)
{
  /* Translators: a percentage with one decimal */
  return g_strdup_printf (_("%.1f %%"), ppm / 10000.0);
}

static void
fill_stats (EsaContactCenterPage *self)
{
  g_autoptr(GPtrArray) stats = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *month = g_date_time_format (now, "%Y-%m");
  g_autofree char *reason = NULL;

  clear_list (self->stats_list);
  if (self->store == NULL)
    return;
  if (!esa_acting_allows (self->store, ESA_ACTION_STATS_VIEW, &reason))
    {
      add_placeholder (self->stats_list, reason);
      return;
    }

  stats = esa_store_contact_stats (self->store, NULL, month, &error);
  if (stats == NULL)
    {
      add_placeholder (self->stats_list, error->message);
      return;
    }
  add_placeholder (self->stats_list, _("No contact this month yet"));
  for (guint i = 0; i < stats->len; i++)
    {
      const EsaContactStats *s = g_ptr_array_index (stats, i);
      GtkWidget *row = adw_expander_row_new ();
      g_autofree char *first = format_ppm (s->first_level_rate_ppm);
      g_autofree char *sla = format_ppm (s->tickets_within_sla_ppm);
      g_autofree char *lost = format_ppm (s->lost_rate_ppm);
      g_autofree char *subtitle = NULL;
      struct { const char *title; char *value; } lines[6];

      g_autofree char *in = g_strdup_printf ("%" G_GINT64_FORMAT, s->contacts_in);
      g_autofree char *handled = g_strdup_printf ("%" G_GINT64_FORMAT, s->contacts_handled);

      /* Translators: contacts in and handled this month, and the share
       * answered at the first contact */
      subtitle = g_strdup_printf (_("%s in, %s handled · %s answered at first contact"),
                                  in, handled, first);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     s->body_name != NULL ? s->body_name : _("No body"));
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);

      lines[0].title = _("Lost calls");
      lines[0].value = g_strdup_printf ("%" G_GINT64_FORMAT " (%s)", s->contacts_lost, lost);
      lines[1].title = _("Calls that waited over 40 s");
      lines[1].value = g_strdup_printf ("%" G_GINT64_FORMAT, s->waits_over_40s);
      lines[2].title = _("Duration (mean, min, max)");
      /* Translators: mean, shortest and longest contact in seconds */
      lines[2].value = g_strdup_printf (_("%d s, %d s, %d s"), (int) s->duration_mean_s,
                                        (int) s->duration_min_s, (int) s->duration_max_s);
      lines[3].title = _("Tickets opened");
      lines[3].value = g_strdup_printf ("%" G_GINT64_FORMAT, s->tickets_opened);
      lines[4].title = _("Tickets closed");
      lines[4].value = g_strdup_printf ("%" G_GINT64_FORMAT, s->tickets_closed);
      lines[5].title = _("Closed within the service level");
      lines[5].value = g_strdup_printf ("%" G_GINT64_FORMAT " (%s)", s->tickets_within_sla, sla);

      for (guint j = 0; j < G_N_ELEMENTS (lines); j++)
        {
          GtkWidget *line = adw_action_row_new ();
          GtkWidget *value = gtk_label_new (lines[j].value);

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (line), lines[j].title);
          gtk_widget_add_css_class (value, "numeric");
          adw_action_row_add_suffix (ADW_ACTION_ROW (line), value);
          adw_expander_row_add_row (ADW_EXPANDER_ROW (row), line);
          g_free (lines[j].value);
        }
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), i == 0);
      gtk_list_box_append (self->stats_list, row);
    }
}

/* ---- GObject ------------------------------------------------------------ */

static void
focus_knowledge_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  EsaContactCenterPage *self = ESA_CONTACT_CENTER_PAGE (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, "knowledge");
  gtk_widget_grab_focus (GTK_WIDGET (self->knowledge_entry));
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  esa_contact_center_page_reload (ESA_CONTACT_CENTER_PAGE (widget));
}

static void
esa_contact_center_page_dispose (GObject *object)
{
  EsaContactCenterPage *self = ESA_CONTACT_CENTER_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), ESA_TYPE_CONTACT_CENTER_PAGE);
  /* The template's root is not bound to a field; unparent what is left. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (esa_contact_center_page_parent_class)->dispose (object);
}

static void
esa_contact_center_page_map (GtkWidget *widget)
{
  EsaContactCenterPage *self = ESA_CONTACT_CENTER_PAGE (widget);

  GTK_WIDGET_CLASS (esa_contact_center_page_parent_class)->map (widget);
  if (self->stale)
    esa_contact_center_page_reload (self);
}

static void
esa_contact_center_page_class_init (EsaContactCenterPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->map = esa_contact_center_page_map;
  object_class->dispose = esa_contact_center_page_dispose;

  signals[OPEN_DOSSIER] = g_signal_new ("open-dossier", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (ESA_TYPE_TICKET_VIEW);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/esattore/Esattore/ui/esa-contact-center-page.ui");
  gtk_widget_class_bind_template_child (widget_class, EsaContactCenterPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, EsaContactCenterPage, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, EsaContactCenterPage, tickets_list);
  gtk_widget_class_bind_template_child (widget_class, EsaContactCenterPage, ticket_view);
  gtk_widget_class_bind_template_child (widget_class, EsaContactCenterPage, knowledge_entry);
  gtk_widget_class_bind_template_child (widget_class, EsaContactCenterPage, knowledge_list);
  gtk_widget_class_bind_template_child (widget_class, EsaContactCenterPage, appointments_list);
  gtk_widget_class_bind_template_child (widget_class, EsaContactCenterPage, stats_list);
  gtk_widget_class_bind_template_callback (widget_class, on_status_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_ticket_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_knowledge_changed);

  gtk_widget_class_install_action (widget_class, "contact-center.find-card", NULL,
                                   focus_knowledge_action);
  gtk_widget_class_install_action (widget_class, "contact-center.refresh", NULL,
                                   refresh_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, GDK_CONTROL_MASK,
                                       "contact-center.find-card", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0,
                                       "contact-center.refresh", NULL);
}

static void
esa_contact_center_page_init (EsaContactCenterPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->ticket_view, "changed", G_CALLBACK (on_ticket_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->ticket_view, "open-dossier",
                           G_CALLBACK (on_ticket_open_dossier), self, G_CONNECT_SWAPPED);
  g_signal_connect (self->appointments_list, "row-activated",
                    G_CALLBACK (on_appointment_activated), self);
}

GtkWidget *
esa_contact_center_page_new (void)
{
  return g_object_new (ESA_TYPE_CONTACT_CENTER_PAGE, NULL);
}

void
esa_contact_center_page_reload (EsaContactCenterPage *self)
{
  g_return_if_fail (ESA_IS_CONTACT_CENTER_PAGE (self));

  if (self->store != NULL && !gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->stale = TRUE;
      return;
    }
  self->stale = FALSE;

  fill_tickets (self, esa_ticket_view_get_ticket (self->ticket_view));
  fill_knowledge (self);
  fill_appointments (self);
  fill_stats (self);
}

void
esa_contact_center_page_set_store (EsaContactCenterPage *self,
                                   EsaStore             *store)
{
  g_return_if_fail (ESA_IS_CONTACT_CENTER_PAGE (self));

  g_set_object (&self->store, store);
  esa_ticket_view_set_ticket (self->ticket_view, store, NULL);
  esa_contact_center_page_reload (self);
}

gboolean
esa_contact_center_page_show_ticket (EsaContactCenterPage *self,
                                     const char           *id_or_reference)
{
  g_return_val_if_fail (ESA_IS_CONTACT_CENTER_PAGE (self), FALSE);

  adw_view_stack_set_visible_child_name (self->view_stack, "tickets");
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->tickets_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      if (!GTK_IS_LIST_BOX_ROW (row))
        continue;
      if (g_strcmp0 (gtk_widget_get_name (row), id_or_reference) == 0 ||
          g_strcmp0 (g_object_get_data (G_OBJECT (row), "reference"), id_or_reference) == 0)
        {
          gtk_list_box_select_row (self->tickets_list, GTK_LIST_BOX_ROW (row));
          return TRUE;
        }
    }
  return FALSE;
}
