/* esa-dashboard-page.c: the team lead's dashboard
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "esa-acting.h"
#include "esa-chart.h"
#include "esa-dashboard-page.h"
#include "esa-date.h"
#include "esa-money.h"
#include "esa-roles.h"
#include "esa-store-queues.h"

#define CHART_HEIGHT 200

/* What one chart draws: categories along the x axis and up to a palette's
 * worth of series over them (counts). */
typedef struct
{
  EsaChartKind  kind;
  GPtrArray    *categories;                           /* char * */
  guint         n_series;
  char         *titles[ESA_CHART_PALETTE_SIZE];
  GArray       *values[ESA_CHART_PALETTE_SIZE];       /* gint64 */
} Chart;

typedef enum
{
  CHART_OFFICERS,
  CHART_WEEKS,
  CHART_FLOW,
  N_CHARTS
} ChartId;

struct _EsaDashboardPage
{
  GtkWidget       parent_instance;

  GtkStack       *role_stack;
  GtkDropDown    *office_dropdown;
  GtkDropDown    *weeks_dropdown;
  GtkLabel       *period_label;
  GtkWidget      *export_button;
  GtkFlowBox     *figures_box;
  GtkFlowBox     *charts_box;
  AdwStatusPage  *forbidden_page;

  EsaStore       *store;
  GPtrArray      *offices;      /* EsaOffice, in the drop-down after "All offices" */
  char           *today;
  EsaDashboard   *past;         /* the weeks behind: flow, collection */
  EsaDashboard   *ahead;        /* the weeks ahead: workload by due date */
  Chart           charts[N_CHARTS];
  GtkWidget      *areas[N_CHARTS];
  gboolean        filling;
  /* Read again when next shown: hidden sections do not read the store. */
  gboolean       stale;
};

G_DEFINE_FINAL_TYPE (EsaDashboardPage, esa_dashboard_page, GTK_TYPE_WIDGET)

static const guint weeks_choices[] = { 8, 13, 26 };

/* ---- helpers ------------------------------------------------------------ */

static void
show_message (EsaDashboardPage *self,
              const char       *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
}

static void
chart_clear (Chart *chart)
{
  g_clear_pointer (&chart->categories, g_ptr_array_unref);
  for (guint i = 0; i < ESA_CHART_PALETTE_SIZE; i++)
    {
      g_clear_pointer (&chart->titles[i], g_free);
      g_clear_pointer (&chart->values[i], g_array_unref);
    }
  chart->n_series = 0;
}

static void
chart_init (Chart        *chart,
            EsaChartKind  kind,
            guint         n_series,
            ...)
{
  va_list args;

  chart_clear (chart);
  chart->kind = kind;
  chart->categories = g_ptr_array_new_with_free_func (g_free);
  chart->n_series = n_series;
  va_start (args, n_series);
  for (guint i = 0; i < n_series; i++)
    {
      chart->titles[i] = g_strdup (va_arg (args, const char *));
      chart->values[i] = g_array_new (FALSE, TRUE, sizeof (gint64));
    }
  va_end (args);
}

/* Returns the index of @category, adding it (with zeros) when new. */
static guint
chart_category (Chart      *chart,
                const char *category)
{
  gint64 zero = 0;
  guint i;

  for (i = 0; i < chart->categories->len; i++)
    if (g_str_equal (g_ptr_array_index (chart->categories, i), category))
      return i;
  g_ptr_array_add (chart->categories, g_strdup (category));
  for (guint s = 0; s < chart->n_series; s++)
    g_array_append_val (chart->values[s], zero);
  return i;
}

static void
chart_add (Chart  *chart,
           guint   category,
           guint   series,
           gint64  value)
{
  g_array_index (chart->values[series], gint64, category) += value;
}

/* "W48" from "2026-W48": the year is in the period line. */
static const char *
short_week (const char *week)
{
  const char *w = week != NULL ? strchr (week, 'W') : NULL;

  return w != NULL ? w : (week != NULL ? week : "");
}

static void
draw_chart (GtkDrawingArea *area,
            cairo_t        *cr,
            int             width,
            int             height,
            gpointer        user_data)
{
  Chart *chart = user_data;
  EsaChartSeries series[ESA_CHART_PALETTE_SIZE];
  EsaChartStyle style;

  if (chart->categories == NULL)
    return;
  for (guint i = 0; i < chart->n_series; i++)
    {
      series[i].title = chart->titles[i];
      series[i].unit = NULL;
      series[i].values = (const gint64 *) chart->values[i]->data;
    }
  esa_chart_style_init (&style, adw_style_manager_get_dark (adw_style_manager_get_default ()));
  esa_chart_draw (cr, 0, 0, width, height, chart->kind,
                  (const char * const *) chart->categories->pdata, chart->categories->len,
                  series, chart->n_series, _("Nothing in this period"), &style);
}

static GtkWidget *
card_new (const char *title,
          GtkWidget  *content)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *label = gtk_label_new (title);

  gtk_widget_add_css_class (box, "card");
  gtk_widget_add_css_class (box, "esa-dashboard-card");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), content);
  return box;
}

static void
add_figure (EsaDashboardPage *self,
            const char       *title,
            const char       *value,
            const char       *detail,
            const char       *style)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *number = gtk_label_new (value);
  GtkWidget *note = gtk_label_new (detail);

  gtk_label_set_xalign (GTK_LABEL (number), 0);
  gtk_widget_add_css_class (number, "title-1");
  gtk_widget_add_css_class (number, "numeric");
  if (style != NULL)
    gtk_widget_add_css_class (number, style);
  gtk_box_append (GTK_BOX (box), number);
  gtk_label_set_xalign (GTK_LABEL (note), 0);
  gtk_label_set_wrap (GTK_LABEL (note), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (note), 22);
  gtk_widget_add_css_class (note, "dim-label");
  gtk_box_append (GTK_BOX (box), note);
  gtk_flow_box_append (self->figures_box, card_new (title, box));
}

static char *
format_count (gint64 n)
{
  /* The ' flag groups thousands the way the current locale does. */
  return g_strdup_printf ("%'" G_GINT64_FORMAT, n);
}

/* ---- filling ------------------------------------------------------------ */

static void
fill_charts (EsaDashboardPage *self)
{
  Chart *officers = &self->charts[CHART_OFFICERS];
  Chart *weeks = &self->charts[CHART_WEEKS];
  Chart *flow = &self->charts[CHART_FLOW];

  chart_init (officers, ESA_CHART_BARS, 2, _("Open"), _("Overdue"));
  chart_init (weeks, ESA_CHART_BARS, 2, _("Due"), _("Overdue"));
  chart_init (flow, ESA_CHART_LINES, 4, _("Cases opened"), _("Cases closed"),
              _("Tickets opened"), _("Tickets closed"));

  for (guint i = 0; i < self->ahead->workload->len; i++)
    {
      const EsaWorkloadRow *row = g_ptr_array_index (self->ahead->workload, i);
      const char *name = row->user_name != NULL ? row->user_name : _("Unassigned");
      guint o = chart_category (officers, name);
      guint w = chart_category (weeks, short_week (row->week));

      chart_add (officers, o, 0, row->items);
      chart_add (officers, o, 1, row->overdue);
      chart_add (weeks, w, 0, row->items);
      chart_add (weeks, w, 1, row->overdue);
    }

  for (guint i = 0; i < self->past->flow->len; i++)
    {
      const EsaFlowRow *row = g_ptr_array_index (self->past->flow, i);
      guint w = chart_category (flow, short_week (row->week));

      chart_add (flow, w, 0, row->cases_opened);
      chart_add (flow, w, 1, row->cases_closed);
      chart_add (flow, w, 2, row->tickets_opened);
      chart_add (flow, w, 3, row->tickets_closed);
    }

  for (guint i = 0; i < N_CHARTS; i++)
    gtk_widget_queue_draw (self->areas[i]);
}

static void
fill_figures (EsaDashboardPage *self)
{
  const EsaDashboard *d = self->ahead;
  const EsaDashboard *p = self->past;
  g_autofree char *open = format_count (d->open_items);
  g_autofree char *overdue = format_count (d->overdue_items);
  g_autofree char *today = format_count (d->due_today);
  g_autofree char *rate = NULL;
  g_autofree char *rate_detail = NULL;
  g_autofree char *overdue_detail = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->figures_box))) != NULL)
    gtk_flow_box_remove (self->figures_box, child);

  if (d->overdue_by_officer != NULL && d->overdue_by_officer->len > 0)
    {
      const EsaWorkloadRow *most = g_ptr_array_index (d->overdue_by_officer, 0);
      g_autofree char *count = format_count (most->overdue);

      /* Translators: who has the most overdue items, and how many */
      overdue_detail = g_strdup_printf (_("most with %s (%s)"),
                                        most->user_name != NULL ? most->user_name
                                                                : _("Unassigned"),
                                        count);
    }
  else
    overdue_detail = g_strdup (_("nobody is late"));

  /* Translators: a percentage with one decimal */
  rate = g_strdup_printf (_("%.1f %%"), p->collection_rate_ppm / 10000.0);
  if (p->currency != NULL && p->currency[0] != '\0')
    {
      g_autofree char *collected = esa_money_format (p->collected, p->currency);
      g_autofree char *charged = esa_money_format (p->charged, p->currency);

      /* Translators: "€ 1.200,00 paid of € 10.000,00 due in the period" */
      rate_detail = g_strdup_printf (_("%s paid of %s due in the period"), collected, charged);
    }
  else
    rate_detail = g_strdup (_("by count of positions: the offices mix currencies"));

  add_figure (self, _("Open items"), open, _("in every queue of the office"), NULL);
  add_figure (self, _("Overdue"), overdue, overdue_detail, d->overdue_items > 0 ? "error" : NULL);
  add_figure (self, _("Due today"), today, _("to be done before the evening"), NULL);
  add_figure (self, _("Collection rate"), rate, rate_detail, NULL);
}

static void
clear_figures (EsaDashboardPage *self)
{
  g_clear_pointer (&self->past, esa_dashboard_free);
  g_clear_pointer (&self->ahead, esa_dashboard_free);
  for (guint i = 0; i < N_CHARTS; i++)
    {
      chart_clear (&self->charts[i]);
      if (self->areas[i] != NULL)
        gtk_widget_queue_draw (self->areas[i]);
    }
}

static void
fill_offices (EsaDashboardPage *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  g_clear_pointer (&self->offices, g_ptr_array_unref);
  if (self->store != NULL)
    self->offices = esa_store_list_offices (self->store, NULL);
  gtk_string_list_append (names, _("All offices"));
  for (guint i = 0; self->offices != NULL && i < self->offices->len; i++)
    gtk_string_list_append (names, ((EsaOffice *) g_ptr_array_index (self->offices, i))->name);

  self->filling = TRUE;
  gtk_drop_down_set_model (self->office_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->office_dropdown, 0);
  self->filling = FALSE;
}

void
esa_dashboard_page_reload (EsaDashboardPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *today = NULL;
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  g_autofree char *period = NULL;
  const char *office_id = NULL;
  GDate date;
  guint selected;
  guint weeks;

  g_return_if_fail (ESA_IS_DASHBOARD_PAGE (self));

  if (self->store != NULL && !gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->stale = TRUE;
      return;
    }
  self->stale = FALSE;

  clear_figures (self);
  if (self->store == NULL)
    return;

  if (!esa_acting_allows (self->store, ESA_ACTION_DASHBOARD_VIEW, &reason))
    {
      adw_status_page_set_description (self->forbidden_page, reason);
      gtk_stack_set_visible_child_name (self->role_stack, "forbidden");
      return;
    }
  gtk_stack_set_visible_child_name (self->role_stack, "dashboard");
  esa_acting_gate (self->export_button, self->store, ESA_ACTION_DASHBOARD_EXPORT,
                   _("Save the figures as a CSV file"));

  selected = gtk_drop_down_get_selected (self->office_dropdown);
  if (self->offices != NULL && selected >= 1 && selected <= self->offices->len)
    office_id = ((EsaOffice *) g_ptr_array_index (self->offices, selected - 1))->id;
  selected = gtk_drop_down_get_selected (self->weeks_dropdown);
  weeks = weeks_choices[MIN (selected, G_N_ELEMENTS (weeks_choices) - 1)];

  if (self->today == NULL || !esa_date_parse_iso (self->today, &date, NULL))
    esa_date_set_today (&date);
  today = esa_date_to_iso (&date);

  /* The weeks behind for what came in and went out, the weeks ahead for the
   * workload by due date (the first of which also holds what is late). */
  g_date_subtract_days (&date, weeks * 7 - 1);
  from = esa_date_to_iso (&date);
  self->past = esa_store_dashboard (self->store, office_id, from, today, today, &error);
  if (self->past != NULL)
    {
      esa_date_parse_iso (today, &date, NULL);
      g_date_add_days (&date, weeks * 7 - 1);
      to = esa_date_to_iso (&date);
      self->ahead = esa_store_dashboard (self->store, office_id, today, to, today, &error);
    }
  if (self->past == NULL || self->ahead == NULL)
    {
      clear_figures (self);
      adw_status_page_set_description (self->forbidden_page, error->message);
      gtk_stack_set_visible_child_name (self->role_stack, "forbidden");
      return;
    }

  from_text = esa_date_format_iso (from);
  to_text = esa_date_format_iso (to);
  /* Translators: the period of the dashboard, two dates */
  period = g_strdup_printf (_("%s to %s"), from_text, to_text);
  gtk_label_set_text (self->period_label, period);

  fill_figures (self);
  fill_charts (self);
}

/* ---- export ------------------------------------------------------------- */

static void
on_export_response (GtkNativeDialog  *chooser,
                    int               response,
                    EsaDashboardPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT && self->past != NULL && self->ahead != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
      g_autofree char *past = esa_dashboard_to_csv (self->past);
      g_autofree char *ahead = esa_dashboard_to_csv (self->ahead);
      g_autofree char *text = g_strconcat (past, "\r\n", ahead, NULL);
      g_autoptr(GError) error = NULL;

      if (path == NULL)
        show_message (self, _("The dashboard can be exported to local files only"));
      else if (!g_file_set_contents (path, text, -1, &error))
        show_message (self, error->message);
      else
        {
          g_autofree char *name = g_file_get_basename (file);
          /* Translators: %s is a file name */
          g_autofree char *message = g_strdup_printf (_("Exported to %s"), name);

          show_message (self, message);
        }
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  EsaDashboardPage *self = ESA_DASHBOARD_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *suggested = NULL;
  g_autofree char *reason = NULL;
  GtkFileChooserNative *chooser;

  if (self->past == NULL || self->ahead == NULL)
    return;
  if (!esa_acting_allows (self->store, ESA_ACTION_DASHBOARD_EXPORT, &reason))
    {
      show_message (self, reason);
      return;
    }

  chooser = gtk_file_chooser_native_new (_("Export Dashboard"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("CSV (comma-separated values)"));
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  suggested = g_strdup_printf ("dashboard-%s.csv", self->past->to);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), suggested);
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  esa_dashboard_page_reload (ESA_DASHBOARD_PAGE (widget));
}

static void
on_office_changed (EsaDashboardPage *self)
{
  if (!self->filling)
    esa_dashboard_page_reload (self);
}

static void
on_dark_changed (EsaDashboardPage *self)
{
  for (guint i = 0; i < N_CHARTS; i++)
    if (self->areas[i] != NULL)
      gtk_widget_queue_draw (self->areas[i]);
}

/* ---- GObject ------------------------------------------------------------ */

static void
esa_dashboard_page_dispose (GObject *object)
{
  EsaDashboardPage *self = ESA_DASHBOARD_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), ESA_TYPE_DASHBOARD_PAGE);
  /* The template's root is not bound to a field; unparent what is left. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->past, esa_dashboard_free);
  g_clear_pointer (&self->ahead, esa_dashboard_free);
  for (guint i = 0; i < N_CHARTS; i++)
    {
      chart_clear (&self->charts[i]);
      self->areas[i] = NULL;
    }
  g_clear_pointer (&self->offices, g_ptr_array_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (esa_dashboard_page_parent_class)->dispose (object);
}

static void
esa_dashboard_page_finalize (GObject *object)
{
  EsaDashboardPage *self = ESA_DASHBOARD_PAGE (object);

  g_free (self->today);

  G_OBJECT_CLASS (esa_dashboard_page_parent_class)->finalize (object);
}

static void
esa_dashboard_page_map (GtkWidget *widget)
{
  EsaDashboardPage *self = ESA_DASHBOARD_PAGE (widget);

  GTK_WIDGET_CLASS (esa_dashboard_page_parent_class)->map (widget);
  if (self->stale)
    esa_dashboard_page_reload (self);
}

static void
esa_dashboard_page_class_init (EsaDashboardPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->map = esa_dashboard_page_map;
  object_class->dispose = esa_dashboard_page_dispose;
  object_class->finalize = esa_dashboard_page_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/esattore/Esattore/ui/esa-dashboard-page.ui");
  gtk_widget_class_bind_template_child (widget_class, EsaDashboardPage, role_stack);
  gtk_widget_class_bind_template_child (widget_class, EsaDashboardPage, office_dropdown);
  gtk_widget_class_bind_template_child (widget_class, EsaDashboardPage, weeks_dropdown);
  gtk_widget_class_bind_template_child (widget_class, EsaDashboardPage, period_label);
  gtk_widget_class_bind_template_child (widget_class, EsaDashboardPage, export_button);
  gtk_widget_class_bind_template_child (widget_class, EsaDashboardPage, figures_box);
  gtk_widget_class_bind_template_child (widget_class, EsaDashboardPage, charts_box);
  gtk_widget_class_bind_template_child (widget_class, EsaDashboardPage, forbidden_page);
  gtk_widget_class_bind_template_callback (widget_class, on_office_changed);

  gtk_widget_class_install_action (widget_class, "dashboard.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "dashboard.refresh", NULL, refresh_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "dashboard.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "dashboard.export", NULL);
}

static void
esa_dashboard_page_init (EsaDashboardPage *self)
{
  static const char * const titles[N_CHARTS] = {
    N_("Workload per officer (due in the period ahead)"),
    N_("Workload per week of due date"),
    N_("Incoming and closed per week"),
  };

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < N_CHARTS; i++)
    {
      GtkWidget *area = gtk_drawing_area_new ();

      gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (area), CHART_HEIGHT);
      gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (area), 300);
      gtk_widget_set_hexpand (area, TRUE);
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), draw_chart, &self->charts[i],
                                      NULL);
      gtk_accessible_update_property (GTK_ACCESSIBLE (area), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _(titles[i]), -1);
      self->areas[i] = area;
      gtk_flow_box_append (self->charts_box, card_new (_(titles[i]), area));
    }

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (on_dark_changed), self, G_CONNECT_SWAPPED);
}

GtkWidget *
esa_dashboard_page_new (void)
{
  return g_object_new (ESA_TYPE_DASHBOARD_PAGE, NULL);
}

void
esa_dashboard_page_set_store (EsaDashboardPage *self,
                              EsaStore         *store)
{
  g_return_if_fail (ESA_IS_DASHBOARD_PAGE (self));

  g_set_object (&self->store, store);
  fill_offices (self);
  esa_dashboard_page_reload (self);
}

void
_esa_dashboard_page_set_today (EsaDashboardPage *self,
                               const char       *today)
{
  g_return_if_fail (ESA_IS_DASHBOARD_PAGE (self));

  g_free (self->today);
  self->today = g_strdup (today);
  esa_dashboard_page_reload (self);
}
