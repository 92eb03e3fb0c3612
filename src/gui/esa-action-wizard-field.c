#include "esa-config.h"

#include <glib/gi18n-lib.h>

#include "esa-action-wizard-field.h"

struct _EsaActionWizardField
{
  GObject         parent_instance;

  const EsaField *field;
  char           *currency;
  GPtrArray      *user_ids;    /* for user fields: the ids in the combo's order */

  GtkWidget      *row;
  GtkWidget      *input;       /* see esa_action_wizard_field_get_input() */
  GtkCalendar    *calendar;    /* date fields */
  GtkWidget      *error_row;
  GtkLabel       *error_label;

  /* Problems show once the field was edited (or Next was pressed), not
   * while a fresh page waits to be filled in. */
  gboolean        touched;
  gboolean        syncing;
};

G_DEFINE_FINAL_TYPE (EsaActionWizardField, esa_action_wizard_field, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- values ------------------------------------------------------------- */

static char *
get_text (EsaActionWizardField *self)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->input))));
}

/* Whether the combo's first entry stands for "nothing chosen". */
static gboolean
has_none_entry (EsaActionWizardField *self)
{
  return !self->field->required;
}

/* The selected choice's or user's id; NULL for none. */
static const char *
selected_id (EsaActionWizardField *self)
{
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self->input));
  guint offset = has_none_entry (self) ? 1 : 0;

  if (selected == GTK_INVALID_LIST_POSITION || selected < offset)
    return NULL;
  selected -= offset;

  if (self->field->type == ESA_FIELD_CHOICE)
    {
      const EsaChoice *choice;

      if (self->field->choices == NULL || selected >= self->field->choices->len)
        return NULL;
      choice = g_ptr_array_index (self->field->choices, selected);
      return choice->id;
    }

  if (self->user_ids == NULL || selected >= self->user_ids->len)
    return NULL;
  return g_ptr_array_index (self->user_ids, selected);
}

/* Reads an amount as the store takes it. A comma alone is taken for the
 * decimal separator, as Italian and Swiss officers often type it. */
static gboolean
parse_amount (const char *text,
              gint64     *out_minor)
{
  g_autofree char *copy = g_strdup (text);

  if (strchr (copy, '.') == NULL)
    g_strdelimit (copy, ",", '.');

  return esa_money_parse (copy, out_minor, NULL);
}

static gboolean
check_text_value (EsaActionWizardField  *self,
                  const char            *text,
                  char                 **out_value,
                  char                 **out_problem)
{
  switch (self->field->type)
    {
    case ESA_FIELD_DATE:
      {
        GDate date;
        g_autoptr(GDateTime) now = g_date_time_new_now_local ();
        g_autofree char *example = g_date_time_format (now, "%Y-%m-%d");

        if (!esa_date_parse_iso (text, &date, NULL))
          {
            /* Translators: %s is an example date in the same form. */
            *out_problem = g_strdup_printf (_("Write the date as year-month-day, "
                                              "such as %s."), example);
            return FALSE;
          }
        *out_value = esa_date_to_iso (&date);
        return TRUE;
      }

    case ESA_FIELD_AMOUNT:
      {
        gint64 minor;

        if (!parse_amount (text, &minor))
          {
            *out_problem = g_strdup (_("Write the amount in figures with at most two decimals, "
                                       "such as 1234.50."));
            return FALSE;
          }
        if (minor < 0)
          {
            *out_problem = g_strdup (_("The amount cannot be negative."));
            return FALSE;
          }
        *out_value = esa_money_to_decimal (minor);
        return TRUE;
      }

    case ESA_FIELD_COUNT:
      {
        guint64 count;

        if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT32, &count, NULL))
          {
            *out_problem = g_strdup (_("Write a whole number, such as 12."));
            return FALSE;
          }
        *out_value = g_strdup_printf ("%" G_GUINT64_FORMAT, count);
        return TRUE;
      }

    case ESA_FIELD_TEXT:
    case ESA_FIELD_CHOICE:
    case ESA_FIELD_BOOL:
    case ESA_FIELD_ITEMS:
    case ESA_FIELD_USER:
    default:
      *out_value = g_strdup (text);
      return TRUE;
    }
}

/* ---- showing problems --------------------------------------------------- */

static void
update (EsaActionWizardField *self)
{
  g_autofree char *value = NULL;
  g_autofree char *problem = NULL;
  gboolean ok = esa_action_wizard_field_check (self, &value, &problem);
  gboolean show = !ok && self->touched;

  if (show)
    gtk_widget_add_css_class (self->row, "error");
  else
    gtk_widget_remove_css_class (self->row, "error");

  gtk_label_set_text (self->error_label, show ? problem : "");
  gtk_widget_set_visible (self->error_row, show);

  if (ok)
    gtk_accessible_reset_state (GTK_ACCESSIBLE (self->input), GTK_ACCESSIBLE_STATE_INVALID);
  else
    gtk_accessible_update_state (GTK_ACCESSIBLE (self->input),
                                 GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                 -1);

  if (self->field->type == ESA_FIELD_DATE)
    {
      GDate date;
      g_autofree char *text = get_text (self);

      if (esa_date_parse_iso (text, &date, NULL))
        {
          g_autofree char *words = esa_procedure_format_date (&date);
          g_autoptr(GDateTime) dt = g_date_time_new_local (g_date_get_year (&date),
                                                           g_date_get_month (&date),
                                                           g_date_get_day (&date), 0, 0, 0);

          adw_action_row_set_subtitle (ADW_ACTION_ROW (self->row), words);
          self->syncing = TRUE;
          gtk_calendar_select_day (self->calendar, dt);
          self->syncing = FALSE;
        }
      else
        {
          adw_action_row_set_subtitle (ADW_ACTION_ROW (self->row),
                                       _("Year-month-day, or pick it from the calendar"));
        }
    }

  if (self->field->type == ESA_FIELD_AMOUNT && ok && value != NULL && self->currency != NULL)
    {
      gint64 minor;

      if (esa_money_parse (value, &minor, NULL))
        {
          g_autofree char *shown = esa_money_format (minor, self->currency);

          gtk_widget_set_tooltip_text (self->row, shown);
        }
    }
}

static void
on_changed (EsaActionWizardField *self)
{
  if (self->syncing)
    return;

  self->touched = TRUE;
  update (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_calendar_day_selected (GtkCalendar          *calendar,
                          EsaActionWizardField *self)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *iso = NULL;
  GtkWidget *popover;

  if (self->syncing)
    return;

  dt = gtk_calendar_get_date (calendar);
  iso = g_date_time_format (dt, "%Y-%m-%d");
  gtk_editable_set_text (GTK_EDITABLE (self->input), iso);

  popover = gtk_widget_get_ancestor (GTK_WIDGET (calendar), GTK_TYPE_POPOVER);
  if (popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (popover));
}

/* ---- rows --------------------------------------------------------------- */

static void
build_date_row (EsaActionWizardField *self,
                const char           *label,
                const GDate          *today)
{
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *calendar = gtk_calendar_new ();

  self->row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->row), label);

  /* Translators: the placeholder of a date entry: year, month, day. */
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("YYYY-MM-DD"));
  gtk_editable_set_width_chars (GTK_EDITABLE (entry), 11);
  gtk_editable_set_max_width_chars (GTK_EDITABLE (entry), 11);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_DIGITS);
  gtk_widget_set_valign (entry, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (entry, "numeric");
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);

  gtk_popover_set_child (GTK_POPOVER (popover), calendar);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "x-office-calendar-symbolic");
  gtk_widget_set_tooltip_text (button, _("Pick a Date"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");

  adw_action_row_add_suffix (ADW_ACTION_ROW (self->row), entry);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->row), button);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (self->row), entry);

  self->input = entry;
  self->calendar = GTK_CALENDAR (calendar);

  if (today != NULL && g_date_valid (today))
    {
      g_autofree char *iso = esa_date_to_iso (today);

      gtk_editable_set_text (GTK_EDITABLE (entry), iso);
    }

  g_signal_connect_object (entry, "changed", G_CALLBACK (on_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (calendar, "day-selected", G_CALLBACK (on_calendar_day_selected),
                           self, 0);
}

static void
build_entry_row (EsaActionWizardField *self,
                 const char           *label)
{
  self->row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->row), label);
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (self->row), TRUE);
  self->input = self->row;

  if (self->field->type == ESA_FIELD_AMOUNT)
    {
      GtkWidget *currency = gtk_label_new (self->currency != NULL ? self->currency : "");

      gtk_widget_add_css_class (currency, "dim-label");
      adw_entry_row_add_suffix (ADW_ENTRY_ROW (self->row), currency);
      adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (self->row), GTK_INPUT_PURPOSE_NUMBER);
    }
  else if (self->field->type == ESA_FIELD_COUNT)
    {
      adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (self->row), GTK_INPUT_PURPOSE_DIGITS);
    }

  g_signal_connect_object (self->row, "changed", G_CALLBACK (on_changed), self,
                           G_CONNECT_SWAPPED);
}

static void
build_combo_row (EsaActionWizardField *self,
                 const char           *label,
                 GPtrArray            *users)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);

  if (has_none_entry (self))
    /* Translators: the entry of an optional choice that chooses nothing. */
    gtk_string_list_append (model, C_("choice", "None"));

  if (self->field->type == ESA_FIELD_CHOICE)
    {
      for (guint i = 0; self->field->choices != NULL && i < self->field->choices->len; i++)
        {
          const EsaChoice *choice = g_ptr_array_index (self->field->choices, i);

          gtk_string_list_append (model, esa_procedure_gettext (choice->label));
        }
    }
  else
    {
      self->user_ids = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; users != NULL && i < users->len; i++)
        {
          const EsaUser *user = g_ptr_array_index (users, i);
          g_autofree char *text = NULL;

          /* Translators: a user and their role, "Giulia Ferrari (Officer)". */
          text = g_strdup_printf (_("%s (%s)"), user->name, esa_role_describe (user->role));
          gtk_string_list_append (model, text);
          g_ptr_array_add (self->user_ids, g_strdup (user->id));
        }
    }

  self->row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->row), label);
  /* Choices are sentences ("Nobody was present: a courtesy notice was
   * left"): under the title they have the row's width. */
  adw_combo_row_set_use_subtitle (ADW_COMBO_ROW (self->row), TRUE);
  adw_combo_row_set_model (ADW_COMBO_ROW (self->row), G_LIST_MODEL (model));
  self->input = self->row;

  g_signal_connect_object (self->row, "notify::selected", G_CALLBACK (on_changed), self,
                           G_CONNECT_SWAPPED);
}

static void
build_switch_row (EsaActionWizardField *self,
                  const char           *label)
{
  GtkWidget *toggle = gtk_switch_new ();

  self->row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->row), label);
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (self->row), toggle);
  self->input = toggle;

  g_signal_connect_object (toggle, "notify::active", G_CALLBACK (on_changed), self,
                           G_CONNECT_SWAPPED);
}

static void
build_error_row (EsaActionWizardField *self)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_natural_wrap_mode (GTK_LABEL (label), GTK_NATURAL_WRAP_WORD);
  gtk_widget_add_css_class (label, "error");
  gtk_widget_add_css_class (label, "caption");

  self->error_row = adw_preferences_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (self->error_row), label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self->error_row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (self->error_row), FALSE);
  gtk_widget_set_focusable (self->error_row, FALSE);
  gtk_widget_add_css_class (self->error_row, "esa-field-error");
  gtk_widget_set_visible (self->error_row, FALSE);
  self->error_label = GTK_LABEL (label);
}

/* ---- GObject ------------------------------------------------------------ */

static void
esa_action_wizard_field_dispose (GObject *object)
{
  EsaActionWizardField *self = ESA_ACTION_WIZARD_FIELD (object);

  g_clear_object (&self->row);
  g_clear_object (&self->error_row);

  G_OBJECT_CLASS (esa_action_wizard_field_parent_class)->dispose (object);
}

static void
esa_action_wizard_field_finalize (GObject *object)
{
  EsaActionWizardField *self = ESA_ACTION_WIZARD_FIELD (object);

  g_free (self->currency);
  g_clear_pointer (&self->user_ids, g_ptr_array_unref);

  G_OBJECT_CLASS (esa_action_wizard_field_parent_class)->finalize (object);
}

static void
esa_action_wizard_field_class_init (EsaActionWizardFieldClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = esa_action_wizard_field_dispose;
  object_class->finalize = esa_action_wizard_field_finalize;

  /* The value changed (its problem, if any, is shown already). */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
esa_action_wizard_field_init (EsaActionWizardField *self)
{
}

/* ---- public API --------------------------------------------------------- */

EsaActionWizardField *
esa_action_wizard_field_new (const EsaField *field,
                             const char     *currency,
                             const GDate    *today,
                             GPtrArray      *users)
{
  EsaActionWizardField *self;
  const char *label;

  g_return_val_if_fail (field != NULL, NULL);
  g_return_val_if_fail (field->type != ESA_FIELD_ITEMS, NULL);

  self = g_object_new (ESA_TYPE_ACTION_WIZARD_FIELD, NULL);
  self->field = field;
  self->currency = g_strdup (currency);
  label = esa_procedure_gettext (field->label);

  switch (field->type)
    {
    case ESA_FIELD_DATE:
      build_date_row (self, label, today);
      break;
    case ESA_FIELD_CHOICE:
    case ESA_FIELD_USER:
      build_combo_row (self, label, users);
      break;
    case ESA_FIELD_BOOL:
      build_switch_row (self, label);
      break;
    case ESA_FIELD_AMOUNT:
    case ESA_FIELD_COUNT:
    case ESA_FIELD_TEXT:
    case ESA_FIELD_ITEMS:
    default:
      build_entry_row (self, label);
      break;
    }

  /* The editor keeps its rows whether or not a group holds them. */
  g_object_ref_sink (self->row);
  build_error_row (self);
  g_object_ref_sink (self->error_row);

  update (self);
  return self;
}

const EsaField *
esa_action_wizard_field_get_field (EsaActionWizardField *self)
{
  g_return_val_if_fail (ESA_IS_ACTION_WIZARD_FIELD (self), NULL);
  return self->field;
}

GtkWidget *
esa_action_wizard_field_get_row (EsaActionWizardField *self)
{
  g_return_val_if_fail (ESA_IS_ACTION_WIZARD_FIELD (self), NULL);
  return self->row;
}

GtkWidget *
esa_action_wizard_field_get_error_row (EsaActionWizardField *self)
{
  g_return_val_if_fail (ESA_IS_ACTION_WIZARD_FIELD (self), NULL);
  return self->error_row;
}

GtkWidget *
esa_action_wizard_field_get_input (EsaActionWizardField *self)
{
  g_return_val_if_fail (ESA_IS_ACTION_WIZARD_FIELD (self), NULL);
  return self->input;
}

gboolean
esa_action_wizard_field_check (EsaActionWizardField  *self,
                               char                 **out_value,
                               char                 **out_problem)
{
  g_autofree char *value = NULL;
  g_autofree char *problem = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (ESA_IS_ACTION_WIZARD_FIELD (self), FALSE);

  switch (self->field->type)
    {
    case ESA_FIELD_BOOL:
      value = g_strdup (gtk_switch_get_active (GTK_SWITCH (self->input)) ? "true" : "false");
      break;

    case ESA_FIELD_CHOICE:
    case ESA_FIELD_USER:
      value = g_strdup (selected_id (self));
      if (value == NULL && self->field->required)
        {
          problem = g_strdup (_("Choose one: it is required."));
          ok = FALSE;
        }
      break;

    case ESA_FIELD_DATE:
    case ESA_FIELD_AMOUNT:
    case ESA_FIELD_COUNT:
    case ESA_FIELD_TEXT:
    case ESA_FIELD_ITEMS:
    default:
      {
        g_autofree char *text = get_text (self);

        if (text[0] == '\0')
          {
            if (self->field->required)
              {
                problem = g_strdup (_("Fill this in: it is required."));
                ok = FALSE;
              }
          }
        else
          {
            ok = check_text_value (self, text, &value, &problem);
          }
      }
      break;
    }

  if (out_value != NULL)
    *out_value = ok ? g_steal_pointer (&value) : NULL;
  if (out_problem != NULL)
    *out_problem = g_steal_pointer (&problem);
  return ok;
}

char *
esa_action_wizard_field_describe (EsaActionWizardField *self)
{
  g_autofree char *value = NULL;

  g_return_val_if_fail (ESA_IS_ACTION_WIZARD_FIELD (self), NULL);

  if (!esa_action_wizard_field_check (self, &value, NULL) || value == NULL)
    return g_strdup ("");

  switch (self->field->type)
    {
    case ESA_FIELD_DATE:
      {
        GDate date;

        if (esa_date_parse_iso (value, &date, NULL))
          return esa_procedure_format_date (&date);
        return g_steal_pointer (&value);
      }

    case ESA_FIELD_AMOUNT:
      {
        gint64 minor;

        if (self->currency != NULL && esa_money_parse (value, &minor, NULL))
          return esa_money_format (minor, self->currency);
        return g_steal_pointer (&value);
      }

    case ESA_FIELD_BOOL:
      return g_strdup (g_str_equal (value, "true") ? _("Yes") : _("No"));

    case ESA_FIELD_CHOICE:
    case ESA_FIELD_USER:
      {
        GObject *item = adw_combo_row_get_selected_item (ADW_COMBO_ROW (self->input));

        return g_strdup (item != NULL ? gtk_string_object_get_string (GTK_STRING_OBJECT (item))
                                      : "");
      }

    case ESA_FIELD_COUNT:
    case ESA_FIELD_TEXT:
    case ESA_FIELD_ITEMS:
    default:
      return g_steal_pointer (&value);
    }
}

void
esa_action_wizard_field_reveal_problem (EsaActionWizardField *self)
{
  g_return_if_fail (ESA_IS_ACTION_WIZARD_FIELD (self));

  self->touched = TRUE;
  update (self);
}
