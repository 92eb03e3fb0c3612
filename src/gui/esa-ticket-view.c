/* esa-ticket-view.c: one contact-center ticket
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>

#include "esa-acting.h"
#include "esa-roles.h"
#include "esa-store-tickets.h"
#include "esa-ticket-view.h"

struct _EsaTicketView
{
  GtkWidget      parent_instance;

  GtkStack      *stack;
  GtkLabel      *reference_label;
  GtkLabel      *subject_label;
  GtkBox        *badges_box;
  AdwActionRow  *debtor_row;
  AdwActionRow  *owner_row;
  AdwActionRow  *opened_row;
  AdwActionRow  *sla_row;
  GtkWidget     *escalate_button;
  GtkWidget     *close_box;
  GtkEntry      *resolution_entry;
  GtkWidget     *close_button;
  GtkListBox    *events_list;

  EsaStore      *store;
  EsaTicket     *ticket;
};

G_DEFINE_FINAL_TYPE (EsaTicketView, esa_ticket_view, GTK_TYPE_WIDGET)

enum {
  CHANGED,
  OPEN_DOSSIER,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_message (EsaTicketView *self,
              const char    *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
}

static GtkWidget *
badge_new (const char *text,
           const char *style)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "esa-badge");
  if (style != NULL)
    gtk_widget_add_css_class (label, style);
  return label;
}

/* "3 h 20 min": business time, which days do not describe well. */
static char *
format_duration (gint64 seconds)
{
  int hours = (int) MIN (seconds / 3600, G_MAXINT);
  int minutes = (int) ((seconds % 3600) / 60);

  if (hours == 0)
    /* Translators: a duration in minutes */
    return g_strdup_printf (_("%d min"), minutes);
  /* Translators: a duration in hours and minutes */
  return g_strdup_printf (_("%d h %d min"), hours, minutes);
}

/* A UTC ISO 8601 moment in local time: "Mon 24 Nov 2026, 14:00". */
static char *
format_moment (const char *iso)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (iso == NULL)
    return g_strdup ("");
  utc = g_date_time_new_from_iso8601 (iso, NULL);
  if (utc == NULL)
    return g_strdup (iso);
  local = g_date_time_to_local (utc);
  /* Translators: a date and time, see g_date_time_format() */
  return g_date_time_format (local, _("%a %e %b %Y, %H:%M"));
}

static char *
sla_text (const EsaTicket *ticket)
{
  g_autofree char *used = format_duration (ticket->sla_elapsed_s);
  g_autofree char *target = NULL;
  g_autofree char *due = NULL;

  if (ticket->sla_target_s <= 0)
    /* Translators: the SLA clock without a target */
    return g_strdup_printf (_("%s of business time used; no target for this body"), used);

  target = format_duration (ticket->sla_target_s);
  if (ticket->status == ESA_TICKET_STATUS_CLOSED)
    return g_strdup_printf (ticket->sla_breached
                              /* Translators: a closed ticket's SLA: used of allowed */
                              ? _("Closed after %s of %s: late")
                              : _("Closed after %s of %s: in time"),
                            used, target);
  if (ticket->sla_breached)
    /* Translators: used of allowed business time */
    return g_strdup_printf (_("%s of %s used: late"), used, target);
  if (ticket->sla_paused)
    /* Translators: used of allowed business time */
    return g_strdup_printf (_("%s of %s used; paused while waiting for the caller"),
                            used, target);
  due = format_moment (ticket->sla_due_at);
  /* Translators: used of allowed business time, then the due moment */
  return g_strdup_printf (_("%s of %s used; due %s"), used, target, due);
}

static const char *
event_title (const EsaTicketEvent *event)
{
  if (g_strcmp0 (event->kind, "open") == 0)
    return _("Opened");
  if (g_strcmp0 (event->kind, "status") == 0)
    return _("Status changed");
  if (g_strcmp0 (event->kind, "escalate") == 0)
    return _("Escalated");
  if (g_strcmp0 (event->kind, "assign") == 0)
    return _("Assigned");
  if (g_strcmp0 (event->kind, "close") == 0)
    return _("Closed");
  return _("Note");
}

static void
fill_events (EsaTicketView *self)
{
  g_autoptr(GPtrArray) events = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->events_list))) != NULL)
    gtk_list_box_remove (self->events_list, child);

  events = esa_store_ticket_events (self->store, self->ticket->id, NULL);
  for (guint i = 0; events != NULL && i < events->len; i++)
    {
      const EsaTicketEvent *event = g_ptr_array_index (events, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *when = format_moment (event->at);
      g_autofree char *subtitle = NULL;

      GString *line = g_string_new (when);

      /* Translators: separates the parts of a line: "Mon 24 Nov 2026, 14:00 · Anna Verdi" */
      if (event->user_name != NULL)
        g_string_append_printf (line, _(" · %s"), event->user_name);
      if (event->note != NULL)
        g_string_append_printf (line, _(" · %s"), event->note);
      subtitle = g_string_free (line, FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), event_title (event));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_append (self->events_list, row);
    }
}

static void
fill (EsaTicketView *self)
{
  const EsaTicket *ticket = self->ticket;
  g_autofree char *opened = NULL;
  g_autofree char *sla = NULL;
  gboolean closed;
  GtkWidget *child;

  if (ticket == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  closed = ticket->status == ESA_TICKET_STATUS_CLOSED;

  gtk_label_set_text (self->reference_label, ticket->reference);
  gtk_label_set_text (self->subject_label, ticket->subject);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->badges_box))) != NULL)
    gtk_box_remove (self->badges_box, child);
  gtk_box_append (self->badges_box, badge_new (esa_ticket_status_describe (ticket->status),
                                               closed ? NULL : "accent"));
  gtk_box_append (self->badges_box,
                  badge_new (esa_ticket_urgency_describe (ticket->urgency),
                             ticket->urgency == ESA_TICKET_URGENCY_HIGH ? "error" : NULL));
  gtk_box_append (self->badges_box, badge_new (esa_ticket_level_describe (ticket->level), NULL));
  if (ticket->sla_breached)
    gtk_box_append (self->badges_box, badge_new (_("Late"), "error"));

  adw_action_row_set_subtitle (self->debtor_row, ticket->debtor_name);
  adw_action_row_set_subtitle (self->owner_row, ticket->owner_name != NULL
                                                  ? ticket->owner_name
                                                  /* Translators: no owner: the level's pool */
                                                  : _("Anyone at this level"));
  opened = format_moment (ticket->opened_at);
  adw_action_row_set_subtitle (self->opened_row, opened);
  sla = sla_text (ticket);
  adw_action_row_set_subtitle (self->sla_row, sla);
  if (ticket->sla_breached)
    gtk_widget_add_css_class (GTK_WIDGET (self->sla_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->sla_row), "error");

  gtk_widget_set_visible (self->close_box, !closed);
  gtk_widget_set_visible (self->escalate_button,
                          !closed && ticket->level != ESA_TICKET_LEVEL_SECOND);
  esa_acting_gate (self->escalate_button, self->store, ESA_ACTION_TICKET_ESCALATE,
                   _("Hand the ticket on to the next level"));
  esa_acting_gate (self->close_button, self->store, ESA_ACTION_TICKET_CLOSE,
                   _("Close the ticket with the resolution written beside"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->resolution_entry),
                            gtk_widget_get_sensitive (self->close_button));

  fill_events (self);
  gtk_stack_set_visible_child_name (self->stack, "ticket");
}

static void
reload (EsaTicketView *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  if (self->ticket == NULL || self->store == NULL)
    return;
  id = g_strdup (self->ticket->id);
  g_clear_pointer (&self->ticket, esa_ticket_free);
  self->ticket = esa_store_get_ticket (self->store, id, NULL, &error);
  if (self->ticket == NULL)
    show_message (self, error->message);
  fill (self);
}

static void
escalate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  EsaTicketView *self = ESA_TICKET_VIEW (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  EsaTicketLevel level;

  if (self->ticket == NULL)
    return;
  if (!esa_store_ticket_escalate (self->store, self->ticket->id, NULL, &level, &error))
    {
      show_message (self, error->message);
      return;
    }
  /* Translators: %s is a ticket level ("Back office") */
  message = g_strdup_printf (_("Handed on to: %s"), esa_ticket_level_describe (level));
  show_message (self, message);
  reload (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  EsaTicketView *self = ESA_TICKET_VIEW (widget);
  g_autofree char *resolution = NULL;
  g_autoptr(GError) error = NULL;

  if (self->ticket == NULL)
    return;
  resolution = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->resolution_entry)));
  g_strstrip (resolution);
  if (resolution[0] == '\0')
    {
      show_message (self, _("Write the resolution first: what was answered or done"));
      gtk_widget_grab_focus (GTK_WIDGET (self->resolution_entry));
      return;
    }
  if (!esa_store_ticket_close (self->store, self->ticket->id, resolution, &error))
    {
      show_message (self, error->message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->resolution_entry), "");
  show_message (self, _("Ticket closed"));
  reload (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
open_dossier_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  EsaTicketView *self = ESA_TICKET_VIEW (widget);

  if (self->ticket != NULL && self->ticket->debtor_id != NULL)
    g_signal_emit (self, signals[OPEN_DOSSIER], 0, self->ticket->debtor_id);
}

static void
on_resolution_activate (EsaTicketView *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "ticket.close", NULL);
}

static void
esa_ticket_view_dispose (GObject *object)
{
  EsaTicketView *self = ESA_TICKET_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), ESA_TYPE_TICKET_VIEW);
  /* The template's root is not bound to a field; unparent what is left. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->ticket, esa_ticket_free);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (esa_ticket_view_parent_class)->dispose (object);
}

static void
esa_ticket_view_class_init (EsaTicketViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = esa_ticket_view_dispose;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[OPEN_DOSSIER] = g_signal_new ("open-dossier", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/esattore/Esattore/ui/esa-ticket-view.ui");
  gtk_widget_class_bind_template_child (widget_class, EsaTicketView, stack);
  gtk_widget_class_bind_template_child (widget_class, EsaTicketView, reference_label);
  gtk_widget_class_bind_template_child (widget_class, EsaTicketView, subject_label);
  gtk_widget_class_bind_template_child (widget_class, EsaTicketView, badges_box);
  gtk_widget_class_bind_template_child (widget_class, EsaTicketView, debtor_row);
  gtk_widget_class_bind_template_child (widget_class, EsaTicketView, owner_row);
  gtk_widget_class_bind_template_child (widget_class, EsaTicketView, opened_row);
  gtk_widget_class_bind_template_child (widget_class, EsaTicketView, sla_row);
  gtk_widget_class_bind_template_child (widget_class, EsaTicketView, escalate_button);
  gtk_widget_class_bind_template_child (widget_class, EsaTicketView, close_box);
  gtk_widget_class_bind_template_child (widget_class, EsaTicketView, resolution_entry);
  gtk_widget_class_bind_template_child (widget_class, EsaTicketView, close_button);
  gtk_widget_class_bind_template_child (widget_class, EsaTicketView, events_list);
  gtk_widget_class_bind_template_callback (widget_class, on_resolution_activate);

  gtk_widget_class_install_action (widget_class, "ticket.escalate", NULL, escalate_action);
  gtk_widget_class_install_action (widget_class, "ticket.close", NULL, close_action);
  gtk_widget_class_install_action (widget_class, "ticket.open-dossier", NULL,
                                   open_dossier_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "ticket.escalate", NULL);
}

static void
esa_ticket_view_init (EsaTicketView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
esa_ticket_view_new (void)
{
  return g_object_new (ESA_TYPE_TICKET_VIEW, NULL);
}

void
esa_ticket_view_set_ticket (EsaTicketView *self,
                            EsaStore      *store,
                            const char    *ticket_id)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (ESA_IS_TICKET_VIEW (self));

  g_set_object (&self->store, store);
  g_clear_pointer (&self->ticket, esa_ticket_free);
  if (store != NULL && ticket_id != NULL)
    {
      self->ticket = esa_store_get_ticket (store, ticket_id, NULL, &error);
      if (self->ticket == NULL)
        show_message (self, error->message);
    }
  fill (self);
}

const char *
esa_ticket_view_get_ticket (EsaTicketView *self)
{
  g_return_val_if_fail (ESA_IS_TICKET_VIEW (self), NULL);
  return self->ticket != NULL ? self->ticket->id : NULL;
}
