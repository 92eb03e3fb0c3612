/* esa-reports-page.c: the Reports section
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>

#include "esa-chart.h"
#include "esa-date.h"
#include "esa-money.h"
#include "esa-report-export.h"
#include "esa-reports-page-private.h"
#include "esa-store-reports.h"

/* The entries of the report drop-down, in its order. */
typedef enum
{
  VIEW_BY_BODY,
  VIEW_BY_CHAPTER,
  VIEW_BY_REVENUE,
  VIEW_BY_MONTH,
  VIEW_ACTS,
  VIEW_AGEING,
} View;

/* The entries of the period drop-down, in its order. */
typedef enum
{
  PERIOD_THIS_YEAR,
  PERIOD_LAST_YEAR,
  PERIOD_LAST_12_MONTHS,
  PERIOD_THIS_MONTH,
  PERIOD_CUSTOM,
} Period;

/* ---- a row of the table ------------------------------------------------- */

#define ESA_TYPE_REPORT_ITEM (esa_report_item_get_type ())
G_DECLARE_FINAL_TYPE (EsaReportItem, esa_report_item, ESA, REPORT_ITEM, GObject)

/* The table's model holds these: a row (or totals row) of the page's
 * report, by its index. */
struct _EsaReportItem
{
  GObject  parent_instance;
  guint    index;
  gboolean total;
};

G_DEFINE_FINAL_TYPE (EsaReportItem, esa_report_item, G_TYPE_OBJECT)

static void
esa_report_item_class_init (EsaReportItemClass *klass)
{
}

static void
esa_report_item_init (EsaReportItem *self)
{
}

static EsaReportItem *
esa_report_item_new (guint    index,
                     gboolean total)
{
  EsaReportItem *item = g_object_new (ESA_TYPE_REPORT_ITEM, NULL);

  item->index = index;
  item->total = total;
  return item;
}

/* ---- the page ----------------------------------------------------------- */

struct _EsaReportsPage
{
  GtkWidget       parent_instance;

  GtkDropDown    *report_dropdown;
  GtkDropDown    *period_dropdown;
  GtkLabel       *from_label;
  GtkEntry       *from_entry;
  GtkEntry       *to_entry;
  GtkMenuButton  *export_button;
  GtkStack       *content_stack;
  GtkDrawingArea *chart;
  GtkFlowBox     *totals_box;
  GtkColumnView  *table;
  AdwStatusPage  *empty_page;
  AdwStatusPage  *error_page;

  EsaStore       *store;
  EsaReport      *report;
  GListStore     *items;
  /* Set while the page fills the date entries itself. */
  gboolean        filling;
};

G_DEFINE_FINAL_TYPE (EsaReportsPage, esa_reports_page, GTK_TYPE_WIDGET)

typedef struct
{
  EsaReportsPage *page;
  guint           column;
} ColumnData;

static void refresh (EsaReportsPage *self);

/* ---- cells -------------------------------------------------------------- */

static char *
cell_text (const EsaReport    *report,
           const EsaReportRow *row,
           guint               column)
{
  const EsaReportColumn *c = g_ptr_array_index (report->columns, column);
  const char *text;

  switch (c->type)
    {
    case ESA_REPORT_COLUMN_COUNT:
      return g_strdup_printf ("%'" G_GINT64_FORMAT, row->values[column]);
    case ESA_REPORT_COLUMN_AMOUNT:
      return esa_money_format_plain (row->values[column], row->texts[report->currency_column]);
    case ESA_REPORT_COLUMN_TEXT:
    default:
      text = row->texts[column];
      if (text != NULL && text[0] != '\0')
        return g_strdup (text);
      /* Payments not yet assigned to a position have no revenue type. */
      if (g_str_equal (c->id, "revenue_type") && report->kind == ESA_REPORT_COLLECTIONS)
        return g_strdup (_("Unassigned"));
      return g_strdup ("—");
    }
}

static void
on_cell_setup (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               ColumnData               *data)
{
  GtkWidget *label = gtk_label_new (NULL);
  const EsaReportColumn *column = g_ptr_array_index (data->page->report->columns, data->column);

  if (column->type != ESA_REPORT_COLUMN_TEXT)
    {
      gtk_label_set_xalign (GTK_LABEL (label), 1.0);
      gtk_widget_add_css_class (label, "numeric");
    }
  else
    {
      gtk_label_set_xalign (GTK_LABEL (label), 0.0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
    }
  gtk_list_item_set_child (list_item, label);
}

static void
on_cell_bind (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              ColumnData               *data)
{
  EsaReportItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *label = gtk_list_item_get_child (list_item);
  const EsaReport *report = data->page->report;
  const EsaReportRow *row;
  g_autofree char *text = NULL;

  if (report == NULL)
    return;
  row = g_ptr_array_index (item->total ? report->totals : report->rows, item->index);
  text = cell_text (report, row, data->column);
  gtk_label_set_text (GTK_LABEL (label), text);
  if (item->total)
    gtk_widget_add_css_class (label, "heading");
  else
    gtk_widget_remove_css_class (label, "heading");
}

static void
remove_columns (EsaReportsPage *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->table);

  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, 0);

      gtk_column_view_remove_column (self->table, column);
    }
}

static void
build_table (EsaReportsPage *self)
{
  const EsaReport *report = self->report;

  g_list_store_remove_all (self->items);
  remove_columns (self);

  for (guint c = 0; c < report->columns->len; c++)
    {
      const EsaReportColumn *column = g_ptr_array_index (report->columns, c);
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) view_column = NULL;
      ColumnData *data = g_new0 (ColumnData, 1);

      data->page = self;
      data->column = c;
      g_signal_connect (factory, "setup", G_CALLBACK (on_cell_setup), data);
      g_signal_connect_data (factory, "bind", G_CALLBACK (on_cell_bind), data,
                             (GClosureNotify) (void (*) (void)) g_free, 0);
      view_column = gtk_column_view_column_new (column->title, factory);
      gtk_column_view_column_set_resizable (view_column, TRUE);
      gtk_column_view_column_set_expand (view_column, column->type == ESA_REPORT_COLUMN_TEXT);
      gtk_column_view_append_column (self->table, view_column);
    }

  for (guint r = 0; r < report->rows->len; r++)
    {
      g_autoptr(EsaReportItem) item = esa_report_item_new (r, FALSE);

      g_list_store_append (self->items, item);
    }
  for (guint r = 0; r < report->totals->len; r++)
    {
      g_autoptr(EsaReportItem) item = esa_report_item_new (r, TRUE);

      g_list_store_append (self->items, item);
    }
}

/* ---- totals ------------------------------------------------------------- */

/* The column the totals show first: the last amount (the balance for the
 * ageing), and the first count. */
static void
headline_columns (const EsaReport *report,
                  gint            *out_amount,
                  gint            *out_count)
{
  *out_amount = -1;
  *out_count = -1;
  for (guint c = 0; c < report->columns->len; c++)
    {
      const EsaReportColumn *column = g_ptr_array_index (report->columns, c);

      if (column->type == ESA_REPORT_COLUMN_AMOUNT)
        *out_amount = (gint) c;
      else if (column->type == ESA_REPORT_COLUMN_COUNT && *out_count < 0)
        *out_count = (gint) c;
    }
}

static void
build_totals (EsaReportsPage *self)
{
  const EsaReport *report = self->report;
  GtkWidget *child;
  gint amount_col, count_col;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->totals_box))) != NULL)
    gtk_flow_box_remove (self->totals_box, child);

  headline_columns (report, &amount_col, &count_col);
  for (guint r = 0; r < report->totals->len; r++)
    {
      const EsaReportRow *row = g_ptr_array_index (report->totals, r);
      const char *currency = row->texts[report->currency_column];
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *amount_label;
      GtkWidget *caption_label;
      g_autofree char *amount = NULL;
      g_autofree char *caption = NULL;

      if (amount_col >= 0)
        {
          const EsaReportColumn *column = g_ptr_array_index (report->columns, amount_col);

          amount = esa_money_format (row->values[amount_col], currency);
          if (count_col >= 0)
            {
              const EsaReportColumn *count = g_ptr_array_index (report->columns, count_col);
              g_autofree char *n = g_strdup_printf ("%'" G_GINT64_FORMAT, row->values[count_col]);

              /* Translators: "Amount in EUR · Payments: 1,204" */
              caption = g_strdup_printf (_("%s in %s · %s: %s"), column->title, currency,
                                         count->title, n);
            }
          else
            caption = g_strdup_printf (_("%s in %s"), column->title, currency);
        }
      amount_label = gtk_label_new (amount);
      gtk_label_set_xalign (GTK_LABEL (amount_label), 0.0);
      gtk_label_set_selectable (GTK_LABEL (amount_label), TRUE);
      gtk_widget_add_css_class (amount_label, "title-2");
      gtk_widget_add_css_class (amount_label, "numeric");
      caption_label = gtk_label_new (caption);
      gtk_label_set_xalign (GTK_LABEL (caption_label), 0.0);
      gtk_label_set_wrap (GTK_LABEL (caption_label), TRUE);
      gtk_widget_add_css_class (caption_label, "dim-label");
      gtk_widget_add_css_class (caption_label, "caption");
      gtk_box_append (GTK_BOX (box), amount_label);
      gtk_box_append (GTK_BOX (box), caption_label);
      gtk_widget_set_margin_end (box, 24);
      gtk_flow_box_append (self->totals_box, box);
    }
}

/* ---- chart -------------------------------------------------------------- */

static void
draw_chart (GtkDrawingArea *area,
            cairo_t        *cr,
            int             width,
            int             height,
            gpointer        user_data)
{
  EsaReportsPage *self = ESA_REPORTS_PAGE (user_data);
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (area));
  g_autofree char *font = pango_font_description_to_string (
    pango_context_get_font_description (context));
  EsaChartStyle style;

  if (self->report == NULL)
    return;

  esa_chart_style_init (&style, adw_style_manager_get_dark (adw_style_manager_get_default ()));
  style.font = font;
  esa_chart_draw_report (cr, 0, 0, width, height, self->report, &style);
}

/* ---- the report --------------------------------------------------------- */

static void
show_error (EsaReportsPage *self,
            const char     *message)
{
  adw_status_page_set_description (self->error_page, message);
  gtk_stack_set_visible_child_name (self->content_stack, "error");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reports.export", FALSE);
}

static void
set_entry_text (EsaReportsPage *self,
                GtkEntry       *entry,
                const GDate    *date)
{
  g_autofree char *text = esa_date_to_iso (date);

  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  self->filling = FALSE;
}

/* Fills the date entries from the period drop-down. */
static void
fill_period (EsaReportsPage *self)
{
  Period period = gtk_drop_down_get_selected (self->period_dropdown);
  GDate today, from, to;

  esa_date_set_today (&today);
  from = to = today;
  switch (period)
    {
    case PERIOD_THIS_YEAR:
      g_date_set_dmy (&from, 1, G_DATE_JANUARY, g_date_get_year (&today));
      break;
    case PERIOD_LAST_YEAR:
      g_date_set_dmy (&from, 1, G_DATE_JANUARY, g_date_get_year (&today) - 1);
      g_date_set_dmy (&to, 31, G_DATE_DECEMBER, g_date_get_year (&today) - 1);
      break;
    case PERIOD_LAST_12_MONTHS:
      g_date_set_day (&from, 1);
      g_date_subtract_months (&from, 11);
      break;
    case PERIOD_THIS_MONTH:
      g_date_set_day (&from, 1);
      break;
    case PERIOD_CUSTOM:
    default:
      return;
    }
  set_entry_text (self, self->from_entry, &from);
  set_entry_text (self, self->to_entry, &to);
}

static EsaReport *
make_report (EsaReportsPage  *self,
             const char      *from,
             const char      *to,
             GError         **error)
{
  switch ((View) gtk_drop_down_get_selected (self->report_dropdown))
    {
    case VIEW_BY_BODY:
      return esa_store_report_collections (self->store, from, to, ESA_REPORT_BY_BODY, error);
    case VIEW_BY_CHAPTER:
      return esa_store_report_collections (self->store, from, to,
                                           ESA_REPORT_BY_BODY | ESA_REPORT_BY_CHAPTER, error);
    case VIEW_BY_REVENUE:
      return esa_store_report_collections (self->store, from, to,
                                           ESA_REPORT_BY_BODY | ESA_REPORT_BY_REVENUE, error);
    case VIEW_BY_MONTH:
      return esa_store_report_collections (self->store, from, to, ESA_REPORT_BY_PERIOD, error);
    case VIEW_ACTS:
      return esa_store_report_acts (self->store, from, to, error);
    case VIEW_AGEING:
    default:
      return esa_store_report_ageing (self->store, to, error);
    }
}

static void
refresh (EsaReportsPage *self)
{
  g_autoptr(GError) error = NULL;
  const char *from = gtk_editable_get_text (GTK_EDITABLE (self->from_entry));
  const char *to = gtk_editable_get_text (GTK_EDITABLE (self->to_entry));
  EsaReport *report;
  gboolean ageing = gtk_drop_down_get_selected (self->report_dropdown) == VIEW_AGEING;

  /* The ageing counts to one day: the end of the period. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->from_entry), !ageing);
  gtk_widget_set_sensitive (GTK_WIDGET (self->from_label), !ageing);

  if (self->store == NULL)
    return;

  report = make_report (self, from, to, &error);
  if (report == NULL)
    {
      show_error (self, error->message);
      return;
    }

  g_list_store_remove_all (self->items);
  g_clear_pointer (&self->report, esa_report_free);
  self->report = report;
  build_table (self);
  build_totals (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->chart));

  if (report->rows->len == 0)
    {
      g_autofree char *text = NULL;

      if (report->kind == ESA_REPORT_AGEING)
        text = g_strdup_printf (_("No open balance on %s."), report->to);
      else if (report->kind == ESA_REPORT_ACTS)
        text = g_strdup_printf (_("No act was issued from %s to %s. Choose another period "
                                  "above."),
                                report->from, report->to);
      else
        text = g_strdup_printf (_("No payment was received from %s to %s. Choose another "
                                  "period above."),
                                report->from, report->to);
      adw_status_page_set_description (self->empty_page, text);
      gtk_stack_set_visible_child_name (self->content_stack, "empty");
    }
  else
    gtk_stack_set_visible_child_name (self->content_stack, "report");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reports.export", report->rows->len > 0);
}

/* ---- callbacks ---------------------------------------------------------- */

static void
on_report_changed (EsaReportsPage *self)
{
  refresh (self);
}

static void
on_period_changed (EsaReportsPage *self)
{
  if (self->filling)
    return;
  if (gtk_drop_down_get_selected (self->period_dropdown) == PERIOD_CUSTOM)
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->from_entry));
      return;
    }
  fill_period (self);
  refresh (self);
}

static void
on_date_activate (EsaReportsPage *self)
{
  if (gtk_drop_down_get_selected (self->period_dropdown) != PERIOD_CUSTOM)
    {
      /* Typing a date makes the period a custom one; keep what was typed. */
      self->filling = TRUE;
      gtk_drop_down_set_selected (self->period_dropdown, PERIOD_CUSTOM);
      self->filling = FALSE;
    }
  refresh (self);
}

static void
on_date_changed (EsaReportsPage *self)
{
  if (!self->filling && gtk_drop_down_get_selected (self->period_dropdown) != PERIOD_CUSTOM)
    {
      self->filling = TRUE;
      gtk_drop_down_set_selected (self->period_dropdown, PERIOD_CUSTOM);
      self->filling = FALSE;
    }
}

static void
on_map (EsaReportsPage *self)
{
  /* Payments may have come in since the page was last shown. */
  refresh (self);
}

static void
show_toast (EsaReportsPage *self,
            const char     *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
}

static void
on_export_response (GtkNativeDialog *chooser,
                    int              response,
                    EsaReportsPage  *self)
{
  EsaReportFormat format = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (chooser), "format"));

  if (response == GTK_RESPONSE_ACCEPT && self->report != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
      g_autoptr(GError) error = NULL;

      if (path == NULL)
        show_toast (self, _("Reports can be exported to local files only"));
      else if (!esa_report_export (self->report, format, path, &error))
        show_toast (self, error->message);
      else
        {
          g_autofree char *name = g_file_get_basename (file);
          /* Translators: %s is a file name */
          g_autofree char *message = g_strdup_printf (_("Exported to %s"), name);

          show_toast (self, message);
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
  EsaReportsPage *self = ESA_REPORTS_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  const char *name = g_variant_get_string (parameter, NULL);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *pattern = NULL;
  g_autofree char *suggested = NULL;
  GtkFileChooserNative *chooser;
  EsaReportFormat format;

  if (self->report == NULL || !esa_report_format_from_string (name, &format))
    return;

  chooser = gtk_file_chooser_native_new (_("Export Report"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  pattern = g_strconcat ("*.", name, NULL);
  gtk_file_filter_set_name (filter, esa_report_format_describe (format));
  gtk_file_filter_add_pattern (filter, pattern);
  gtk_file_filter_add_mime_type (filter, esa_report_format_mime_type (format));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  suggested = g_strdup_printf ("%s-%s-%s.%s", esa_report_kind_to_string (self->report->kind),
                               self->report->from, self->report->to, name);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), suggested);
  g_object_set_data (G_OBJECT (chooser), "format", GUINT_TO_POINTER (format));
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  on_date_activate (ESA_REPORTS_PAGE (widget));
}

static void
on_dark_changed (EsaReportsPage *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self->chart));
}

/* ---- GObject ------------------------------------------------------------ */

static void
esa_reports_page_dispose (GObject *object)
{
  EsaReportsPage *self = ESA_REPORTS_PAGE (object);
  GtkWidget *child;

  g_signal_handlers_disconnect_by_data (adw_style_manager_get_default (), self);
  if (self->table != NULL)
    gtk_column_view_set_model (self->table, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), ESA_TYPE_REPORTS_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->items);
  g_clear_pointer (&self->report, esa_report_free);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (esa_reports_page_parent_class)->dispose (object);
}

static void
esa_reports_page_class_init (EsaReportsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = esa_reports_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/esattore/Esattore/ui/esa-reports-page.ui");
  gtk_widget_class_bind_template_child (widget_class, EsaReportsPage, report_dropdown);
  gtk_widget_class_bind_template_child (widget_class, EsaReportsPage, period_dropdown);
  gtk_widget_class_bind_template_child (widget_class, EsaReportsPage, from_label);
  gtk_widget_class_bind_template_child (widget_class, EsaReportsPage, from_entry);
  gtk_widget_class_bind_template_child (widget_class, EsaReportsPage, to_entry);
  gtk_widget_class_bind_template_child (widget_class, EsaReportsPage, export_button);
  gtk_widget_class_bind_template_child (widget_class, EsaReportsPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, EsaReportsPage, chart);
  gtk_widget_class_bind_template_child (widget_class, EsaReportsPage, totals_box);
  gtk_widget_class_bind_template_child (widget_class, EsaReportsPage, table);
  gtk_widget_class_bind_template_child (widget_class, EsaReportsPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, EsaReportsPage, error_page);
  gtk_widget_class_bind_template_callback (widget_class, on_report_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_period_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_date_activate);

  gtk_widget_class_install_action (widget_class, "reports.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "reports.refresh", NULL, refresh_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "reports.export", "s", "csv");

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
esa_reports_page_init (EsaReportsPage *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->items = g_list_store_new (ESA_TYPE_REPORT_ITEM);
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->items)));
  gtk_column_view_set_model (self->table, GTK_SELECTION_MODEL (selection));
  gtk_drawing_area_set_draw_func (self->chart, draw_chart, self, NULL);

  g_signal_connect_swapped (self->from_entry, "changed", G_CALLBACK (on_date_changed), self);
  g_signal_connect_swapped (self->to_entry, "changed", G_CALLBACK (on_date_changed), self);
  g_signal_connect_swapped (self, "map", G_CALLBACK (on_map), self);
  g_signal_connect_swapped (adw_style_manager_get_default (), "notify::dark",
                            G_CALLBACK (on_dark_changed), self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reports.export", FALSE);
  fill_period (self);
}

/* ---- public API --------------------------------------------------------- */

GtkWidget *
esa_reports_page_new (void)
{
  return g_object_new (ESA_TYPE_REPORTS_PAGE, NULL);
}

void
esa_reports_page_set_store (EsaReportsPage *self,
                            EsaStore       *store)
{
  g_return_if_fail (ESA_IS_REPORTS_PAGE (self));
  g_return_if_fail (store == NULL || ESA_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)) || store == NULL)
    refresh (self);
}

void
esa_reports_page_set_period (EsaReportsPage *self,
                             const char     *from,
                             const char     *to)
{
  g_return_if_fail (ESA_IS_REPORTS_PAGE (self));

  self->filling = TRUE;
  gtk_drop_down_set_selected (self->period_dropdown, PERIOD_CUSTOM);
  gtk_editable_set_text (GTK_EDITABLE (self->from_entry), from);
  gtk_editable_set_text (GTK_EDITABLE (self->to_entry), to);
  self->filling = FALSE;
  refresh (self);
}

/* ---- for the tests ------------------------------------------------------ */

const EsaReport *
_esa_reports_page_get_report (EsaReportsPage *self)
{
  return self->report;
}

char *
_esa_reports_page_get_totals_text (EsaReportsPage *self)
{
  GString *text = g_string_new (NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->totals_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *box = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child));

      for (GtkWidget *label = gtk_widget_get_first_child (box);
           label != NULL;
           label = gtk_widget_get_next_sibling (label))
        g_string_append_printf (text, "%s\n", gtk_label_get_text (GTK_LABEL (label)));
    }
  return g_string_free (text, FALSE);
}

void
_esa_reports_page_select_view (EsaReportsPage *self,
                               guint           view)
{
  gtk_drop_down_set_selected (self->report_dropdown, view);
}

guint
_esa_reports_page_get_n_table_rows (EsaReportsPage *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->items));
}

const char *
_esa_reports_page_get_state (EsaReportsPage *self)
{
  return gtk_stack_get_visible_child_name (self->content_stack);
}
