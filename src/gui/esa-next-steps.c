#include "esa-config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "esa-date.h"
#include "esa-dossier-format.h"
#include "esa-dossier-wrap-box.h"
#include "esa-next-steps-private.h"

struct _EsaNextSteps
{
  GtkWidget   parent_instance;

  /* template children */
  GtkLabel   *read_only_label;
  GtkBox     *cases_box;
  GtkLabel   *empty_label;

  /* What the tests look up: "CASE\x1fACTION" -> button (weak: owned by
   * cases_box) or reason (owned); case id -> problem (owned). */
  GHashTable *buttons;
  GHashTable *reasons;
  GHashTable *problems;

  char       *first_case_id;
  char       *first_action_id;
  gboolean    can_act;
  gboolean    wrap_buttons;
};

G_DEFINE_FINAL_TYPE (EsaNextSteps, esa_next_steps, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_WRAP_BUTTONS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  RUN_ACTION,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- helpers ------------------------------------------------------------ */

static char *
make_key (const char *case_id,
          const char *action_id)
{
  return g_strconcat (case_id, "\x1f", action_id, NULL);
}

static GtkWidget *
new_label (const char *text,
           const char *style_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  /* Wrapped labels ask for the width of their longest word, not of their
   * whole text: the panel keeps its width. */
  gtk_label_set_natural_wrap_mode (GTK_LABEL (label), GTK_NATURAL_WRAP_WORD);
  if (style_class != NULL)
    gtk_widget_add_css_class (label, style_class);
  return label;
}

static void
clear (EsaNextSteps *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->cases_box))) != NULL)
    gtk_box_remove (self->cases_box, child);

  g_hash_table_remove_all (self->buttons);
  g_hash_table_remove_all (self->reasons);
  g_hash_table_remove_all (self->problems);
  g_clear_pointer (&self->first_case_id, g_free);
  g_clear_pointer (&self->first_action_id, g_free);
}

static GtkWidget *
new_problem (EsaNextSteps *self,
             const char   *case_id,
             const char   *title,
             const char   *text)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

  gtk_widget_add_css_class (box, "esa-next-steps-problem");
  gtk_widget_add_css_class (box, "card");
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_widget_add_css_class (icon, "warning");

  gtk_box_append (GTK_BOX (texts), new_label (title, "heading"));
  gtk_box_append (GTK_BOX (texts), new_label (text, NULL));
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), texts);

  g_hash_table_replace (self->problems, g_strdup (case_id), g_strdup (text));
  return box;
}

static GtkWidget *
new_action_button (EsaNextSteps          *self,
                   const EsaCase         *case_,
                   const EsaActionStatus *status)
{
  const EsaAction *action = status->action;
  GtkWidget *button = gtk_button_new ();
  GtkWidget *label = new_label (esa_procedure_gettext (action->label), NULL);

  /* A button asks for the width of its whole label, which wraps only when
   * the column is narrower. */
  gtk_label_set_natural_wrap_mode (GTK_LABEL (label), GTK_NATURAL_WRAP_NONE);
  gtk_button_set_child (GTK_BUTTON (button), label);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "next-steps.run");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "(ss)", case_->id, action->id);
  if (action->description != NULL)
    gtk_widget_set_tooltip_text (button, esa_procedure_gettext (action->description));

  /* One suggested action in the whole panel: the first thing to do. */
  if (self->first_action_id == NULL && self->can_act)
    {
      gtk_widget_add_css_class (button, "suggested-action");
      self->first_case_id = g_strdup (case_->id);
      self->first_action_id = g_strdup (action->id);
    }

  g_hash_table_replace (self->buttons, make_key (case_->id, action->id), button);
  return button;
}

static GtkWidget *
new_blocked (EsaNextSteps          *self,
             const EsaCase         *case_,
             const EsaActionStatus *status,
             const char            *reason)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = new_label (esa_procedure_gettext (status->action->label), NULL);
  g_autofree char *sentence = NULL;
  GtkWidget *reason_label;

  /* The guards' sentences start in lower case to fit inside other
   * sentences; on their own they read as one. */
  sentence = g_strdup (reason);
  if (sentence[0] != '\0')
    {
      gunichar first = g_utf8_get_char (sentence);
      char buffer[8] = { 0 };

      g_unichar_to_utf8 (g_unichar_toupper (first), buffer);
      g_free (sentence);
      sentence = g_strconcat (buffer, g_utf8_next_char (reason), NULL);
    }

  reason_label = new_label (sentence, "caption");
  gtk_widget_add_css_class (box, "esa-next-steps-blocked");
  gtk_widget_add_css_class (reason_label, "dim-label");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), reason_label);

  gtk_accessible_update_property (GTK_ACCESSIBLE (box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  esa_procedure_gettext (status->action->label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, sentence,
                                  -1);

  g_hash_table_replace (self->reasons, make_key (case_->id, status->action->id),
                        g_strdup (reason));
  return box;
}

/* When the acting user cannot act, the store blocks every step with the same
 * first sentence (the role's); that sentence, or NULL. */
static const char *
common_refusal (EsaNextSteps *self,
                GPtrArray    *statuses)
{
  const char *first = NULL;

  if (self->can_act || statuses->len == 0)
    return NULL;

  for (guint i = 0; i < statuses->len; i++)
    {
      const EsaActionStatus *status = g_ptr_array_index (statuses, i);

      if (status->available || status->reasons == NULL || status->reasons[0] == NULL)
        return NULL;
      if (first == NULL)
        first = status->reasons[0];
      else if (g_strcmp0 (first, status->reasons[0]) != 0)
        return NULL;
    }
  return first;
}

static char *
describe_case_state (const EsaCase *case_)
{
  g_autofree char *state = esa_dossier_term (ESA_DOSSIER_TERM_CASE_STATE, case_->state);
  g_autofree char *date = NULL;

  if (case_->next_deadline == NULL || case_->next_deadline[0] == '\0')
    return g_steal_pointer (&state);

  date = esa_date_format_iso (case_->next_deadline);
  if (case_->next_deadline_label == NULL || case_->next_deadline_label[0] == '\0')
    /* Translators: a case's state and its next deadline, "Payment order
     * served · deadline 14 Mar 2027". */
    return g_strdup_printf (_("%s · deadline %s"), state, date);

  /* Translators: a case's state, its next deadline and what the deadline is
   * for: "Payment order served · 14 Mar 2027: Time to oppose". */
  return g_strdup_printf (_("%s · %s: %s"), state, date,
                          esa_procedure_gettext (case_->next_deadline_label));
}

static GtkWidget *
new_case_section (EsaNextSteps        *self,
                  EsaStore            *store,
                  const EsaCase       *case_,
                  EsaProcedureCatalog *catalog,
                  const GDate         *today)
{
  GtkWidget *section = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  g_autofree char *procedure = esa_dossier_term (ESA_DOSSIER_TERM_PROCEDURE,
                                                 case_->procedure_id);
  g_autofree char *state = describe_case_state (case_);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) statuses = NULL;
  const EsaProcedureProblem *problem;
  const char *refusal;
  GtkWidget *available_box;
  GtkWidget *blocked_box;
  guint n_available = 0;
  guint n_blocked = 0;

  gtk_box_append (GTK_BOX (section), new_label (procedure, "heading"));
  gtk_box_append (GTK_BOX (section), new_label (state, "caption"));
  gtk_widget_add_css_class (gtk_widget_get_last_child (section), "dim-label");

  problem = catalog != NULL
            ? esa_procedure_catalog_find_problem (catalog, case_->procedure_id)
            : NULL;
  if (problem != NULL)
    {
      g_autofree char *text = NULL;

      /* Translators: %s is the loader's message naming the file and the
       * place in it that is wrong. */
      text = g_strdup_printf (_("The procedure file could not be loaded, so nothing can be "
                                "run on this case.\n%s"), problem->message);
      gtk_box_append (GTK_BOX (section),
                      new_problem (self, case_->id, _("Procedure Unavailable"), text));
      return section;
    }

  statuses = esa_store_case_actions (store, case_->id, today, &error);
  if (statuses == NULL)
    {
      gtk_box_append (GTK_BOX (section),
                      new_problem (self, case_->id, _("Next Steps Unavailable"),
                                   error->message));
      return section;
    }

  if (self->wrap_buttons)
    {
      available_box = g_object_new (ESA_TYPE_DOSSIER_WRAP_BOX,
                                    "column-spacing", 6, "row-spacing", 6, NULL);
    }
  else
    {
      available_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
    }
  blocked_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 10);
  gtk_widget_set_margin_top (available_box, 6);

  refusal = common_refusal (self, statuses);

  for (guint i = 0; i < statuses->len; i++)
    {
      const EsaActionStatus *status = g_ptr_array_index (statuses, i);
      const char *reason = status->reason;

      /* What the role cannot do is said once, above; the step itself is
       * shown as the procedure sees it. */
      if (refusal != NULL)
        reason = status->reasons != NULL && status->reasons[0] != NULL ? status->reasons[1]
                                                                       : NULL;

      if (status->available || (refusal != NULL && reason == NULL))
        {
          GtkWidget *button = new_action_button (self, case_, status);

          if (self->wrap_buttons)
            esa_dossier_wrap_box_append (ESA_DOSSIER_WRAP_BOX (available_box), button);
          else
            gtk_box_append (GTK_BOX (available_box), button);
          n_available++;
        }
      else
        {
          gtk_box_append (GTK_BOX (blocked_box),
                          new_blocked (self, case_, status,
                                       reason != NULL ? reason : _("not possible now")));
          n_blocked++;
        }
    }

  gtk_box_append (GTK_BOX (section), available_box);
  gtk_widget_set_visible (available_box, n_available > 0);

  if (n_available == 0 && n_blocked == 0)
    gtk_box_append (GTK_BOX (section),
                    new_label (_("The procedure allows no action in this state."),
                               "dim-label"));

  if (n_blocked > 0 && self->wrap_buttons)
    {
      /* Across the overview, the blocked steps would push everything else
       * down: they are one click away. */
      g_autofree char *title = g_strdup_printf (_("Not Possible Yet (%u)"), n_blocked);
      GtkWidget *expander = gtk_expander_new (title);

      gtk_widget_set_margin_top (expander, 12);
      gtk_widget_add_css_class (expander, "esa-next-steps-blocked-expander");
      gtk_widget_set_margin_top (blocked_box, 8);
      gtk_expander_set_child (GTK_EXPANDER (expander), blocked_box);
      gtk_box_append (GTK_BOX (section), expander);
    }
  else if (n_blocked > 0)
    {
      GtkWidget *heading = new_label (_("Not Possible Yet"), "caption-heading");

      gtk_widget_set_margin_top (heading, 12);
      gtk_widget_add_css_class (heading, "dim-label");
      gtk_box_append (GTK_BOX (section), heading);
      gtk_box_append (GTK_BOX (section), blocked_box);
    }
  else
    {
      gtk_box_append (GTK_BOX (section), blocked_box);
      gtk_widget_set_visible (blocked_box, FALSE);
    }

  return section;
}

static void
update_read_only (EsaNextSteps *self,
                  EsaStore     *store)
{
  const char *user_id = esa_store_get_acting_user (store);
  g_autoptr(EsaUser) user = NULL;
  g_autofree char *text = NULL;

  if (user_id != NULL)
    user = esa_store_get_user (store, user_id, NULL);

  if (user == NULL)
    {
      self->can_act = FALSE;
      text = g_strdup (_("Choose who is acting, at the foot of the sidebar, to run a step."));
    }
  else if (!esa_next_steps_role_can_act (user->role))
    {
      self->can_act = FALSE;
      /* Translators: the first %s is a person, the second their role. */
      text = g_strdup_printf (_("Acting as %s (%s): this role can see the next steps but not "
                                "run them."),
                              user->name, esa_role_describe (user->role));
    }
  else
    {
      self->can_act = TRUE;
    }

  gtk_label_set_text (self->read_only_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->read_only_label), !self->can_act);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "next-steps.run", self->can_act);
}

/* ---- actions ------------------------------------------------------------ */

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  const char *case_id;
  const char *action_id;

  g_variant_get (parameter, "(&s&s)", &case_id, &action_id);
  g_signal_emit (widget, signals[RUN_ACTION], 0, case_id, action_id);
}

/* ---- GObject ------------------------------------------------------------ */

static void
esa_next_steps_dispose (GObject *object)
{
  EsaNextSteps *self = ESA_NEXT_STEPS (object);
  GtkWidget *child;

  g_hash_table_remove_all (self->buttons);
  gtk_widget_dispose_template (GTK_WIDGET (self), ESA_TYPE_NEXT_STEPS);
  /* The template's outer box has no id, so disposing the template leaves it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (esa_next_steps_parent_class)->dispose (object);
}

static void
esa_next_steps_finalize (GObject *object)
{
  EsaNextSteps *self = ESA_NEXT_STEPS (object);

  g_hash_table_unref (self->buttons);
  g_hash_table_unref (self->reasons);
  g_hash_table_unref (self->problems);
  g_free (self->first_case_id);
  g_free (self->first_action_id);

  G_OBJECT_CLASS (esa_next_steps_parent_class)->finalize (object);
}

static void
esa_next_steps_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  EsaNextSteps *self = ESA_NEXT_STEPS (object);

  switch (prop_id)
    {
    case PROP_WRAP_BUTTONS:
      g_value_set_boolean (value, self->wrap_buttons);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esa_next_steps_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  EsaNextSteps *self = ESA_NEXT_STEPS (object);

  switch (prop_id)
    {
    case PROP_WRAP_BUTTONS:
      if (self->wrap_buttons != g_value_get_boolean (value))
        {
          /* Takes effect at the next update. */
          self->wrap_buttons = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esa_next_steps_class_init (EsaNextStepsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = esa_next_steps_dispose;
  object_class->finalize = esa_next_steps_finalize;
  object_class->get_property = esa_next_steps_get_property;
  object_class->set_property = esa_next_steps_set_property;

  /* Whether the buttons sit side by side, wrapping like words (a wide
   * panel), rather than in a column (a side panel). */
  properties[PROP_WRAP_BUTTONS] =
    g_param_spec_boolean ("wrap-buttons", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * EsaNextSteps::run-action:
   * @case_id: the case
   * @action_id: the action of its procedure to run
   *
   * A button was activated: the host opens the action's wizard.
   */
  signals[RUN_ACTION] = g_signal_new ("run-action", G_TYPE_FROM_CLASS (klass),
                                      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                      G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "next-steps.run", "(ss)", run_action);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/esattore/Esattore/ui/esa-next-steps.ui");
  gtk_widget_class_bind_template_child (widget_class, EsaNextSteps, read_only_label);
  gtk_widget_class_bind_template_child (widget_class, EsaNextSteps, cases_box);
  gtk_widget_class_bind_template_child (widget_class, EsaNextSteps, empty_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "esa-next-steps");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
esa_next_steps_init (EsaNextSteps *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->buttons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->reasons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->problems = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Next Steps"),
                                  -1);
}

/* ---- public API --------------------------------------------------------- */

GtkWidget *
esa_next_steps_new (void)
{
  return g_object_new (ESA_TYPE_NEXT_STEPS, NULL);
}

void
esa_next_steps_update (EsaNextSteps        *self,
                       EsaStore            *store,
                       GPtrArray           *cases,
                       EsaProcedureCatalog *catalog,
                       const GDate         *today)
{
  guint n_open = 0;

  g_return_if_fail (ESA_IS_NEXT_STEPS (self));
  g_return_if_fail (ESA_IS_STORE (store));

  clear (self);
  update_read_only (self, store);

  for (guint i = 0; cases != NULL && i < cases->len; i++)
    {
      const EsaCase *case_ = g_ptr_array_index (cases, i);

      if (case_->closed_on != NULL)
        continue;

      gtk_box_append (self->cases_box, new_case_section (self, store, case_, catalog, today));
      n_open++;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->cases_box), n_open > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), n_open == 0);
}

gboolean
esa_next_steps_get_first (EsaNextSteps  *self,
                          const char   **out_case_id,
                          const char   **out_action_id)
{
  g_return_val_if_fail (ESA_IS_NEXT_STEPS (self), FALSE);

  if (self->first_action_id == NULL || !self->can_act)
    return FALSE;

  *out_case_id = self->first_case_id;
  *out_action_id = self->first_action_id;
  return TRUE;
}

gboolean
esa_next_steps_get_can_act (EsaNextSteps *self)
{
  g_return_val_if_fail (ESA_IS_NEXT_STEPS (self), FALSE);
  return self->can_act;
}

gboolean
esa_next_steps_role_can_act (EsaRole role)
{
  /* Contact-centre operators answer questions, auditors look, and
   * administrators keep the system: casework is for the officers. */
  switch (role)
    {
    case ESA_ROLE_OFFICER:
    case ESA_ROLE_FIELD_OFFICER:
    case ESA_ROLE_TEAM_LEAD:
    case ESA_ROLE_RESPONSIBLE:
      return TRUE;
    case ESA_ROLE_CONTACT_OPERATOR:
    case ESA_ROLE_ADMINISTRATOR:
    case ESA_ROLE_AUDITOR:
    case ESA_N_ROLES:
    default:
      return FALSE;
    }
}

/* ---- private API (tests) ------------------------------------------------ */

GtkButton *
_esa_next_steps_get_button (EsaNextSteps *self,
                            const char   *case_id,
                            const char   *action_id)
{
  g_autofree char *key = make_key (case_id, action_id);

  return g_hash_table_lookup (self->buttons, key);
}

const char *
_esa_next_steps_get_reason (EsaNextSteps *self,
                            const char   *case_id,
                            const char   *action_id)
{
  g_autofree char *key = make_key (case_id, action_id);

  return g_hash_table_lookup (self->reasons, key);
}

const char *
_esa_next_steps_get_problem (EsaNextSteps *self,
                             const char   *case_id)
{
  return g_hash_table_lookup (self->problems, case_id);
}
