#include "esa-config.h"

#include <glib/gi18n-lib.h>

#include "esa-action-wizard-field.h"
#include "esa-action-wizard-private.h"
#include "esa-dossier-format.h"

/* One page of fields: either plain fields or one items field. */
typedef struct
{
  char            *name;
  GtkWidget       *widget;  /* the page in the stack */
  GPtrArray       *fields;  /* EsaActionWizardField */
  EsaSeizureItems *items;   /* or NULL */
} Page;

struct _EsaActionWizard
{
  AdwWindow        parent_instance;

  /* template children */
  AdwWindowTitle  *window_title;
  GtkWidget       *back_button;
  GtkWidget       *next_button;
  GtkStack        *pages_stack;

  EsaStore        *store;
  EsaProcedure    *procedure;
  const EsaAction *action;
  char            *case_id;
  char            *debtor_id;
  char            *state;
  char            *currency;
  char            *subject;
  GDate            today;      /* what date fields start at */
  gboolean         has_today;  /* given by the caller: the step is dated so */
  char            *done_message;
  GPtrArray       *users;        /* EsaUser, for user fields */
  EsaAttachments  *attachments;  /* NULL for a database in memory */

  GPtrArray       *pages;        /* Page */
  guint            current;      /* pages->len: the summary */
  GtkWidget       *summary_box;
  GtkWidget       *error_box;
  GtkLabel        *error_label;
};

G_DEFINE_FINAL_TYPE (EsaActionWizard, esa_action_wizard, ADW_TYPE_WINDOW)

enum {
  DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define SUMMARY_PAGE "summary"

/* ---- pages -------------------------------------------------------------- */

static void
page_free (gpointer data)
{
  Page *page = data;

  g_free (page->name);
  g_clear_pointer (&page->fields, g_ptr_array_unref);
  g_free (page);
}

/* A page's frame: scrolling, a readable width, the usual margins. */
static GtkWidget *
new_page_frame (GtkWidget **out_box)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 560);
  adw_clamp_set_tightening_threshold (ADW_CLAMP (clamp), 400);
  gtk_widget_add_css_class (box, "esa-wizard-page");

  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);

  *out_box = box;
  return scrolled;
}

static Page *
current_page (EsaActionWizard *self)
{
  return self->current < self->pages->len ? g_ptr_array_index (self->pages, self->current)
                                          : NULL;
}

/* Whether @page can be left by Next; the first problem when not. */
static gboolean
check_page (Page  *page,
            char **out_problem)
{
  for (guint i = 0; i < page->fields->len; i++)
    {
      EsaActionWizardField *field = g_ptr_array_index (page->fields, i);
      g_autofree char *problem = NULL;

      if (!esa_action_wizard_field_check (field, NULL, &problem))
        {
          /* Translators: a field's name and what is wrong with its value. */
          *out_problem = g_strdup_printf (_("%s: %s"),
                                          esa_procedure_gettext (
                                            esa_action_wizard_field_get_field (field)->label),
                                          problem);
          return FALSE;
        }
    }

  if (page->items != NULL && !esa_seizure_items_check (page->items, out_problem))
    return FALSE;

  *out_problem = NULL;
  return TRUE;
}

static void
update_next (EsaActionWizard *self)
{
  Page *page = current_page (self);
  g_autofree char *problem = NULL;
  gboolean ok = page == NULL || check_page (page, &problem);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.next", ok);
  gtk_widget_set_tooltip_text (self->next_button, problem);
}

static void
on_page_changed (EsaActionWizard *self)
{
  update_next (self);
}

static void
add_field_page (EsaActionWizard *self,
                GPtrArray       *fields)
{
  Page *page = g_new0 (Page, 1);
  GtkWidget *box;
  GtkWidget *group = adw_preferences_group_new ();

  page->name = g_strdup_printf ("fields-%u", self->pages->len);
  page->fields = g_ptr_array_ref (fields);
  page->widget = new_page_frame (&box);

  if (self->pages->len == 0 && self->action->description != NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                           esa_procedure_gettext (self->action->description));
  else if (self->pages->len > 0)
    adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Further Details"));

  for (guint i = 0; i < fields->len; i++)
    {
      EsaActionWizardField *field = g_ptr_array_index (fields, i);

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                 esa_action_wizard_field_get_row (field));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                 esa_action_wizard_field_get_error_row (field));
      g_signal_connect_object (field, "changed", G_CALLBACK (on_page_changed), self,
                               G_CONNECT_SWAPPED);
    }

  gtk_box_append (GTK_BOX (box), group);
  gtk_stack_add_named (self->pages_stack, page->widget, page->name);
  g_ptr_array_add (self->pages, page);
}

static void
add_items_page (EsaActionWizard *self,
                const EsaField  *field)
{
  Page *page = g_new0 (Page, 1);
  GtkWidget *box;

  page->name = g_strdup_printf ("fields-%u", self->pages->len);
  page->fields = g_ptr_array_new_with_free_func (g_object_unref);
  page->widget = new_page_frame (&box);
  page->items = ESA_SEIZURE_ITEMS (esa_seizure_items_new (field, self->currency,
                                                          self->attachments));
  g_signal_connect_object (page->items, "changed", G_CALLBACK (on_page_changed), self,
                           G_CONNECT_SWAPPED);

  gtk_box_append (GTK_BOX (box), GTK_WIDGET (page->items));
  gtk_stack_add_named (self->pages_stack, page->widget, page->name);
  g_ptr_array_add (self->pages, page);
}

/* The action's fields in order; a page of plain fields ends where an items
 * field (which gets a page of its own) comes. */
static void
build_field_pages (EsaActionWizard *self)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; self->action->fields != NULL && i < self->action->fields->len; i++)
    {
      const EsaField *field = g_ptr_array_index (self->action->fields, i);

      if (field->type == ESA_FIELD_ITEMS)
        {
          if (fields->len > 0)
            {
              add_field_page (self, fields);
              g_clear_pointer (&fields, g_ptr_array_unref);
              fields = g_ptr_array_new_with_free_func (g_object_unref);
            }
          add_items_page (self, field);
          continue;
        }

      /* Date fields start at the day the step is dated. */
      g_ptr_array_add (fields,
                       esa_action_wizard_field_new (field, self->currency, &self->today,
                                                    self->users));
    }

  if (fields->len > 0)
    add_field_page (self, fields);
}

/* ---- summary ------------------------------------------------------------ */

static GtkWidget *
new_summary_row (const char *label,
                 const char *value)
{
  GtkWidget *row = adw_action_row_new ();

  /* What people typed is never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), label);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               value != NULL && value[0] != '\0' ? value : _("Not given"));
  gtk_widget_add_css_class (row, "esa-summary-row");
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  return row;
}

static char *
describe_state (EsaActionWizard *self,
                const char      *state_id)
{
  const EsaState *state = esa_procedure_find_state (self->procedure, state_id);

  return g_strdup (state != NULL ? esa_procedure_gettext (state->label) : state_id);
}

static GtkWidget *
new_outcome_group (EsaActionWizard *self)
{
  GtkWidget *group = adw_preferences_group_new ();
  const EsaAction *action = self->action;
  g_autofree char *to = NULL;

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("What Happens"));

  if (action->to == NULL)
    {
      g_autofree char *state = describe_state (self, self->state);

      /* Translators: the case stays in its state, %s. */
      to = g_strdup_printf (_("Stays as it is: %s"), state);
    }
  else if (g_strcmp0 (action->to, ESA_STATE_PREVIOUS) == 0)
    {
      to = g_strdup (_("Back to the state before the current one"));
    }
  else
    {
      to = describe_state (self, action->to);
    }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             new_summary_row (_("The case becomes"), to));

  if (action->produces != NULL && action->produces[0] != NULL)
    {
      g_autoptr(GPtrArray) labels = g_ptr_array_new ();
      g_autofree char *text = NULL;

      for (guint i = 0; action->produces[i] != NULL; i++)
        {
          const EsaActType *type = esa_procedure_find_act_type (self->procedure,
                                                                action->produces[i]);

          g_ptr_array_add (labels, (gpointer) (type != NULL ? esa_procedure_gettext (type->label)
                                                            : action->produces[i]));
        }
      g_ptr_array_add (labels, NULL);
      text = g_strjoinv (C_("list of facts", " · "), (char **) labels->pdata);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                 new_summary_row (_("Acts issued"), text));
    }

  if (action->starts != NULL && action->starts->len > 0)
    {
      g_autoptr(GPtrArray) labels = g_ptr_array_new ();
      g_autofree char *text = NULL;

      for (guint i = 0; i < action->starts->len; i++)
        {
          const EsaDeadline *deadline = g_ptr_array_index (action->starts, i);

          g_ptr_array_add (labels, (gpointer) esa_procedure_gettext (deadline->label));
        }
      g_ptr_array_add (labels, NULL);
      text = g_strjoinv (C_("list of facts", " · "), (char **) labels->pdata);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                 new_summary_row (_("Deadlines started"), text));
    }

  return group;
}

static void
fill_summary (EsaActionWizard *self)
{
  GtkWidget *values = adw_preferences_group_new ();
  GtkWidget *child;
  GtkWidget *note;
  guint n_values = 0;

  /* Everything but the refusal is made anew from the values. */
  while ((child = gtk_widget_get_last_child (self->summary_box)) != self->error_box)
    gtk_box_remove (GTK_BOX (self->summary_box), child);

  /* In the window before its rows come, so that each row is styled by its
   * final place in the list. */
  gtk_box_append (GTK_BOX (self->summary_box), values);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (values), _("Summary"));

  for (guint i = 0; i < self->pages->len; i++)
    {
      Page *page = g_ptr_array_index (self->pages, i);

      for (guint j = 0; j < page->fields->len; j++)
        {
          EsaActionWizardField *field = g_ptr_array_index (page->fields, j);
          g_autofree char *value = esa_action_wizard_field_describe (field);

          adw_preferences_group_add (ADW_PREFERENCES_GROUP (values),
                                     new_summary_row (esa_procedure_gettext (
                                                        esa_action_wizard_field_get_field (
                                                          field)->label),
                                                      value));
          n_values++;
        }

      if (page->items != NULL)
        {
          g_auto(GStrv) lines = esa_seizure_items_describe (page->items);
          const char *label = esa_procedure_gettext (esa_seizure_items_get_field (page->items)
                                                     ->label);

          for (guint k = 0; lines[k] != NULL; k++)
            {
              g_autofree char *title = NULL;

              /* Translators: an items field and the number of an item,
               * "Goods seized, item 2". */
              title = g_strdup_printf (_("%s, item %u"), label, k + 1);
              adw_preferences_group_add (ADW_PREFERENCES_GROUP (values),
                                         new_summary_row (title, lines[k]));
              n_values++;
            }
          if (lines[0] == NULL)
            {
              adw_preferences_group_add (ADW_PREFERENCES_GROUP (values),
                                         new_summary_row (label, NULL));
              n_values++;
            }
        }
    }

  /* A step without fields says what it is instead. */
  if (n_values == 0)
    gtk_widget_set_visible (values, FALSE);

  /* Descriptions are labels of their own: one set on the group after its
   * rows leaves the first row drawn without its separator (libadwaita 1.2). */
  note = gtk_label_new (n_values == 0 && self->action->description != NULL
                        ? esa_procedure_gettext (self->action->description)
                        : NULL);
  gtk_label_set_xalign (GTK_LABEL (note), 0.0);
  gtk_label_set_wrap (GTK_LABEL (note), TRUE);
  gtk_widget_set_visible (note, n_values == 0 && self->action->description != NULL);
  gtk_box_append (GTK_BOX (self->summary_box), note);

  gtk_box_append (GTK_BOX (self->summary_box), new_outcome_group (self));

  /* Said last, beside Run. */
  note = gtk_label_new (_("Nothing is recorded until you press Run."));
  gtk_label_set_xalign (GTK_LABEL (note), 0.0);
  gtk_label_set_wrap (GTK_LABEL (note), TRUE);
  gtk_widget_add_css_class (note, "dim-label");
  gtk_box_append (GTK_BOX (self->summary_box), note);
}

static void
build_summary_page (EsaActionWizard *self)
{
  GtkWidget *page = new_page_frame (&self->summary_box);
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-error-symbolic");
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *title = gtk_label_new (_("The Step Was Refused"));
  GtkWidget *message = gtk_label_new (NULL);

  self->error_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_add_css_class (self->error_box, "card");
  gtk_widget_add_css_class (self->error_box, "esa-wizard-error");
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_label_set_xalign (GTK_LABEL (title), 0.0);
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (message), 0.0);
  gtk_label_set_wrap (GTK_LABEL (message), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (message), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (message), TRUE);
  gtk_box_append (GTK_BOX (texts), title);
  gtk_box_append (GTK_BOX (texts), message);
  gtk_box_append (GTK_BOX (self->error_box), icon);
  gtk_box_append (GTK_BOX (self->error_box), texts);
  gtk_widget_set_visible (self->error_box, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->error_box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("The Step Was Refused"),
                                  -1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->error_box),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, message, NULL,
                                  -1);
  self->error_label = GTK_LABEL (message);

  gtk_box_append (GTK_BOX (self->summary_box), self->error_box);
  gtk_stack_add_named (self->pages_stack, page, SUMMARY_PAGE);
}

/* ---- navigation --------------------------------------------------------- */

static void
focus_first_input (EsaActionWizard *self)
{
  Page *page = current_page (self);

  if (page != NULL && page->fields->len > 0)
    gtk_widget_grab_focus (esa_action_wizard_field_get_input (g_ptr_array_index (page->fields,
                                                                                 0)));
  else
    gtk_widget_grab_focus (self->next_button);
}

static void
go_to (EsaActionWizard *self,
       guint            index)
{
  guint n_steps = self->pages->len + 1;
  g_autofree char *step = NULL;
  g_autofree char *subtitle = NULL;
  gboolean summary = index >= self->pages->len;

  self->current = MIN (index, self->pages->len);

  if (summary)
    {
      /* Shown before it is filled: rows added to a hidden page can keep
       * the style of their first place in the list (a missing separator). */
      gtk_stack_set_visible_child_name (self->pages_stack, SUMMARY_PAGE);
      fill_summary (self);
    }
  else
    {
      gtk_stack_set_visible_child (self->pages_stack, current_page (self)->widget);
    }

  /* Translators: where the wizard is, "Step 2 of 3". */
  step = g_strdup_printf (_("Step %u of %u"), self->current + 1, n_steps);
  if (self->subject != NULL)
    /* Translators: who the case is against and the step, "Rossi Mario · Step 2 of 3". */
    subtitle = g_strdup_printf (C_("list of facts", "%s · %s"), self->subject, step);
  adw_window_title_set_subtitle (self->window_title, subtitle != NULL ? subtitle : step);

  gtk_widget_set_visible (self->back_button, self->current > 0);
  gtk_button_set_label (GTK_BUTTON (self->next_button), summary ? _("_Run") : _("_Next"));

  update_next (self);
  focus_first_input (self);
}

static void
show_refusal (EsaActionWizard *self,
              const char      *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (self->error_box, message != NULL);
  if (message != NULL)
    gtk_widget_error_bell (GTK_WIDGET (self));
}

static gboolean
collect_fields (EsaActionWizard  *self,
                GHashTable       *fields,
                GError          **error)
{
  for (guint i = 0; i < self->pages->len; i++)
    {
      Page *page = g_ptr_array_index (self->pages, i);

      for (guint j = 0; j < page->fields->len; j++)
        {
          EsaActionWizardField *field = g_ptr_array_index (page->fields, j);
          const EsaField *spec = esa_action_wizard_field_get_field (field);
          char *value = NULL;

          if (!esa_action_wizard_field_check (field, &value, NULL))
            {
              g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID,
                           _("%s: the value is not valid"), esa_procedure_gettext (spec->label));
              return FALSE;
            }
          if (value != NULL)
            g_hash_table_insert (fields, g_strdup (spec->id), value);
        }

      if (page->items != NULL)
        {
          char *json = esa_seizure_items_to_json (page->items, self->store, self->debtor_id,
                                                  self->case_id, error);

          if (json == NULL)
            return FALSE;
          g_hash_table_insert (fields, g_strdup (esa_seizure_items_get_field (page->items)->id),
                               json);
        }
    }

  return TRUE;
}

static void
run (EsaActionWizard *self)
{
  g_autoptr(GHashTable) fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *event_id = NULL;

  if (collect_fields (self, fields, &error))
    event_id = esa_store_case_do (self->store, self->case_id, self->action->id,
                                  self->has_today ? &self->today : NULL, fields, &error);

  if (event_id == NULL)
    {
      show_refusal (self, error->message);
      return;
    }

  /* The window goes once whoever listens has taken the result. */
  g_object_ref (self);
  g_signal_emit (self, signals[DONE], 0, event_id, self->done_message);
  gtk_window_destroy (GTK_WINDOW (self));
  g_object_unref (self);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  EsaActionWizard *self = ESA_ACTION_WIZARD (widget);
  Page *page = current_page (self);
  g_autofree char *problem = NULL;

  if (page == NULL)
    {
      run (self);
      return;
    }

  if (!check_page (page, &problem))
    {
      for (guint i = 0; i < page->fields->len; i++)
        esa_action_wizard_field_reveal_problem (g_ptr_array_index (page->fields, i));
      if (page->items != NULL)
        esa_seizure_items_reveal_problems (page->items);
      gtk_widget_error_bell (widget);
      return;
    }

  show_refusal (self, NULL);
  go_to (self, self->current + 1);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  EsaActionWizard *self = ESA_ACTION_WIZARD (widget);

  if (self->current > 0)
    go_to (self, self->current - 1);
}

/* ---- GObject ------------------------------------------------------------ */

static void
esa_action_wizard_dispose (GObject *object)
{
  EsaActionWizard *self = ESA_ACTION_WIZARD (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), ESA_TYPE_ACTION_WIZARD);
  g_clear_pointer (&self->pages, g_ptr_array_unref);
  g_clear_pointer (&self->users, g_ptr_array_unref);
  g_clear_object (&self->attachments);
  g_clear_object (&self->procedure);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (esa_action_wizard_parent_class)->dispose (object);
}

static void
esa_action_wizard_finalize (GObject *object)
{
  EsaActionWizard *self = ESA_ACTION_WIZARD (object);

  g_free (self->case_id);
  g_free (self->debtor_id);
  g_free (self->state);
  g_free (self->currency);
  g_free (self->subject);
  g_free (self->done_message);

  G_OBJECT_CLASS (esa_action_wizard_parent_class)->finalize (object);
}

static void
esa_action_wizard_class_init (EsaActionWizardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = esa_action_wizard_dispose;
  object_class->finalize = esa_action_wizard_finalize;

  /**
   * EsaActionWizard::done:
   * @event_id: the step recorded (esa_store_case_undo() takes it)
   * @message: what happened, for a toast ("Payment order issued")
   *
   * The step was run; the wizard closes next.
   */
  signals[DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL,
                                G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "wizard.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "wizard.back", NULL, back_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "wizard.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK,
                                       "wizard.next", NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/esattore/Esattore/ui/esa-action-wizard.ui");
  gtk_widget_class_bind_template_child (widget_class, EsaActionWizard, window_title);
  gtk_widget_class_bind_template_child (widget_class, EsaActionWizard, back_button);
  gtk_widget_class_bind_template_child (widget_class, EsaActionWizard, next_button);
  gtk_widget_class_bind_template_child (widget_class, EsaActionWizard, pages_stack);
}

static void
esa_action_wizard_init (EsaActionWizard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->pages = g_ptr_array_new_with_free_func (page_free);
}

/* ---- public API --------------------------------------------------------- */

static char *
make_done_message (EsaActionWizard *self)
{
  const char *to = self->action->to;
  const EsaState *state;

  /* A state's name says what was done: "Payment order issued". */
  state = to != NULL && g_strcmp0 (to, ESA_STATE_PREVIOUS) != 0
          ? esa_procedure_find_state (self->procedure, to)
          : NULL;
  if (state != NULL && g_strcmp0 (to, self->state) != 0)
    return g_strdup (esa_procedure_gettext (state->label));

  /* Translators: a toast after a step that does not change the case's
   * state; %s is the step, "Leave a courtesy notice". */
  return g_strdup_printf (_("Done: %s"), esa_procedure_gettext (self->action->label));
}

static EsaAttachments *
attachments_for (EsaStore *store)
{
  const char *path = esa_store_get_path (store);
  g_autofree char *dir = NULL;
  g_autofree char *folder = NULL;

  if (path == NULL || path[0] == '\0' || g_str_equal (path, ":memory:"))
    return NULL;

  /* The content-addressed files live beside the database (DESIGN.md "Data"). */
  dir = g_path_get_dirname (path);
  folder = g_build_filename (dir, "attachments", NULL);
  return esa_attachments_new (folder);
}

EsaActionWizard *
esa_action_wizard_new (GtkWindow     *parent,
                       EsaStore      *store,
                       EsaProcedure  *procedure,
                       const EsaCase *case_,
                       const char    *action_id,
                       const char    *subject,
                       const GDate   *today,
                       GError       **error)
{
  EsaActionWizard *self;
  const EsaAction *action;
  g_autoptr(EsaBody) body = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (ESA_IS_STORE (store), NULL);
  g_return_val_if_fail (ESA_IS_PROCEDURE (procedure), NULL);
  g_return_val_if_fail (case_ != NULL, NULL);
  g_return_val_if_fail (action_id != NULL, NULL);

  action = esa_procedure_find_action (procedure, action_id);
  if (action == NULL)
    {
      g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_NOT_FOUND,
                   _("The procedure “%s” has no action “%s”."),
                   esa_procedure_get_id (procedure), action_id);
      return NULL;
    }

  self = g_object_new (ESA_TYPE_ACTION_WIZARD,
                       "transient-for", parent,
                       "title", esa_procedure_gettext (action->label),
                       NULL);
  self->store = g_object_ref (store);
  self->procedure = g_object_ref (procedure);
  self->action = action;
  self->case_id = g_strdup (case_->id);
  self->debtor_id = g_strdup (case_->debtor_id);
  self->state = g_strdup (case_->state);
  self->subject = g_strdup (subject);
  if (today != NULL && g_date_valid (today))
    self->today = *today;
  else
    esa_date_set_today (&self->today);
  self->has_today = today != NULL && g_date_valid (today);
  self->attachments = attachments_for (store);
  self->users = esa_store_list_users (store, NULL);

  body = case_->body_id != NULL ? esa_store_get_body (store, case_->body_id, NULL) : NULL;
  self->currency = g_strdup (body != NULL ? body->currency : NULL);
  self->done_message = make_done_message (self);

  adw_window_title_set_title (self->window_title, esa_procedure_gettext (action->label));

  build_field_pages (self);
  build_summary_page (self);

  gtk_window_set_default_widget (GTK_WINDOW (self), self->next_button);
  go_to (self, 0);
  return self;
}

const char *
esa_action_wizard_get_case_id (EsaActionWizard *self)
{
  g_return_val_if_fail (ESA_IS_ACTION_WIZARD (self), NULL);
  return self->case_id;
}

const char *
esa_action_wizard_get_action_id (EsaActionWizard *self)
{
  g_return_val_if_fail (ESA_IS_ACTION_WIZARD (self), NULL);
  return self->action->id;
}

/* ---- private API (tests) ------------------------------------------------ */

GtkWidget *
_esa_action_wizard_get_input (EsaActionWizard *self,
                              const char      *field_id)
{
  for (guint i = 0; i < self->pages->len; i++)
    {
      Page *page = g_ptr_array_index (self->pages, i);

      for (guint j = 0; j < page->fields->len; j++)
        {
          EsaActionWizardField *field = g_ptr_array_index (page->fields, j);

          if (g_strcmp0 (esa_action_wizard_field_get_field (field)->id, field_id) == 0)
            return esa_action_wizard_field_get_input (field);
        }
    }
  return NULL;
}

EsaSeizureItems *
_esa_action_wizard_get_items (EsaActionWizard *self,
                              const char      *field_id)
{
  for (guint i = 0; i < self->pages->len; i++)
    {
      Page *page = g_ptr_array_index (self->pages, i);

      if (page->items != NULL &&
          g_strcmp0 (esa_seizure_items_get_field (page->items)->id, field_id) == 0)
        return page->items;
    }
  return NULL;
}

GtkWidget *
_esa_action_wizard_get_next_button (EsaActionWizard *self)
{
  return self->next_button;
}

GtkWidget *
_esa_action_wizard_get_back_button (EsaActionWizard *self)
{
  return self->back_button;
}

const char *
_esa_action_wizard_get_page (EsaActionWizard *self)
{
  Page *page = current_page (self);

  return page != NULL ? page->name : SUMMARY_PAGE;
}

guint
_esa_action_wizard_get_n_pages (EsaActionWizard *self)
{
  return self->pages->len + 1;
}

const char *
_esa_action_wizard_get_error (EsaActionWizard *self)
{
  if (!gtk_widget_get_visible (self->error_box))
    return NULL;
  return gtk_label_get_text (self->error_label);
}
