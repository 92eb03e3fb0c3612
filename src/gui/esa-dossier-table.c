#include "esa-config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "esa-dossier-row.h"
#include "esa-dossier-table.h"

/* What the factory and the sorter of one column need to know. */
typedef struct
{
  guint                index;
  EsaDossierColumnKind kind;
} ColumnInfo;

struct _EsaDossierTable
{
  GtkWidget      parent_instance;

  GtkStack      *stack;
  AdwStatusPage *empty_page;
  GtkColumnView *column_view;

  ColumnInfo    *columns;
};

G_DEFINE_FINAL_TYPE (EsaDossierTable, esa_dossier_table, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_EMPTY_ICON_NAME,
  PROP_EMPTY_TITLE,
  PROP_EMPTY_DESCRIPTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ROW_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_cell_setup (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               ColumnInfo               *info)
{
  GtkWidget *label = gtk_label_new (NULL);

  switch (info->kind)
    {
    case ESA_DOSSIER_COLUMN_NUMBER:
      gtk_label_set_xalign (GTK_LABEL (label), 1.0);
      break;

    case ESA_DOSSIER_COLUMN_WIDE:
      gtk_label_set_xalign (GTK_LABEL (label), 0.0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_width_chars (GTK_LABEL (label), 24);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 72);
      break;

    case ESA_DOSSIER_COLUMN_TEXT:
    case ESA_DOSSIER_COLUMN_CODE:
    default:
      gtk_label_set_xalign (GTK_LABEL (label), 0.0);
      break;
    }

  gtk_list_item_set_child (list_item, label);
}

static void
on_cell_bind (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              ColumnInfo               *info)
{
  GtkWidget *label = gtk_list_item_get_child (list_item);
  EsaDossierRow *row = gtk_list_item_get_item (list_item);
  const char *text = esa_dossier_row_get_text (row, info->index);
  const char *classes[3] = { NULL, NULL, NULL };
  guint n = 0;

  if (info->kind == ESA_DOSSIER_COLUMN_NUMBER || info->kind == ESA_DOSSIER_COLUMN_CODE)
    classes[n++] = "numeric";

  /* An empty cell shows a dash, so that a missing value does not read as
   * a layout fault. */
  if (*text == '\0')
    {
      text = "—";
      classes[n++] = "dim-label";
    }
  else if (esa_dossier_row_get_style (row, info->index) != NULL)
    {
      classes[n++] = esa_dossier_row_get_style (row, info->index);
    }

  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_widget_set_css_classes (label, classes);
}

static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  ColumnInfo *info = user_data;

  return esa_dossier_row_compare (ESA_DOSSIER_ROW ((gpointer) a),
                                  ESA_DOSSIER_ROW ((gpointer) b),
                                  info->index);
}

static void
on_column_view_activate (GtkColumnView   *column_view,
                         guint            position,
                         EsaDossierTable *self)
{
  GtkSelectionModel *model = gtk_column_view_get_model (column_view);
  g_autoptr (EsaDossierRow) row = NULL;

  if (model != NULL)
    row = g_list_model_get_item (G_LIST_MODEL (model), position);
  if (row != NULL)
    g_signal_emit (self, signals[ROW_ACTIVATED], 0, row);
}

static void
esa_dossier_table_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), ESA_TYPE_DOSSIER_TABLE);

  G_OBJECT_CLASS (esa_dossier_table_parent_class)->dispose (object);
}

static void
esa_dossier_table_finalize (GObject *object)
{
  EsaDossierTable *self = ESA_DOSSIER_TABLE (object);

  /* The factories and sorters point into this array; they went with the
   * column view in dispose. */
  g_free (self->columns);

  G_OBJECT_CLASS (esa_dossier_table_parent_class)->finalize (object);
}

static void
esa_dossier_table_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  EsaDossierTable *self = ESA_DOSSIER_TABLE (object);

  switch (prop_id)
    {
    case PROP_EMPTY_ICON_NAME:
      g_value_set_string (value, adw_status_page_get_icon_name (self->empty_page));
      break;

    case PROP_EMPTY_TITLE:
      g_value_set_string (value, adw_status_page_get_title (self->empty_page));
      break;

    case PROP_EMPTY_DESCRIPTION:
      g_value_set_string (value, adw_status_page_get_description (self->empty_page));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esa_dossier_table_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  EsaDossierTable *self = ESA_DOSSIER_TABLE (object);
  const char *text = g_value_get_string (value);

  switch (prop_id)
    {
    case PROP_EMPTY_ICON_NAME:
      if (g_strcmp0 (text, adw_status_page_get_icon_name (self->empty_page)) == 0)
        return;
      adw_status_page_set_icon_name (self->empty_page, text);
      break;

    case PROP_EMPTY_TITLE:
      if (g_strcmp0 (text, adw_status_page_get_title (self->empty_page)) == 0)
        return;
      adw_status_page_set_title (self->empty_page, text);
      break;

    case PROP_EMPTY_DESCRIPTION:
      if (g_strcmp0 (text, adw_status_page_get_description (self->empty_page)) == 0)
        return;
      adw_status_page_set_description (self->empty_page, text);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }

  g_object_notify_by_pspec (object, pspec);
}

static void
esa_dossier_table_class_init (EsaDossierTableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = esa_dossier_table_dispose;
  object_class->finalize = esa_dossier_table_finalize;
  object_class->get_property = esa_dossier_table_get_property;
  object_class->set_property = esa_dossier_table_set_property;

  properties[PROP_EMPTY_ICON_NAME] =
    g_param_spec_string ("empty-icon-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_EMPTY_TITLE] =
    g_param_spec_string ("empty-title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_EMPTY_DESCRIPTION] =
    g_param_spec_string ("empty-description", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * EsaDossierTable::row-activated:
   * @row: the EsaDossierRow double-clicked, or chosen with Enter
   */
  signals[ROW_ACTIVATED] =
    g_signal_new ("row-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, ESA_TYPE_DOSSIER_ROW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/esattore/Esattore/ui/esa-dossier-table.ui");
  gtk_widget_class_bind_template_child (widget_class, EsaDossierTable, stack);
  gtk_widget_class_bind_template_child (widget_class, EsaDossierTable, empty_page);
  gtk_widget_class_bind_template_child (widget_class, EsaDossierTable, column_view);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
esa_dossier_table_init (EsaDossierTable *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (self->column_view, "activate", G_CALLBACK (on_column_view_activate), self);
}

/**
 * esa_dossier_table_set_columns:
 * @columns: (array length=n_columns): the columns, in order; the table keeps
 *   a copy
 *
 * Sets up the columns, once: every column shows the cell of its position in
 * each EsaDossierRow and sorts by it when its header is clicked.
 */
void
esa_dossier_table_set_columns (EsaDossierTable        *self,
                               const EsaDossierColumn *columns,
                               guint                   n_columns)
{
  g_return_if_fail (ESA_IS_DOSSIER_TABLE (self));
  g_return_if_fail (self->columns == NULL);

  self->columns = g_new0 (ColumnInfo, n_columns);

  for (guint i = 0; i < n_columns; i++)
    {
      ColumnInfo *info = &self->columns[i];
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr (GtkColumnViewColumn) column = NULL;
      g_autoptr (GtkSorter) sorter = NULL;

      info->index = i;
      info->kind = columns[i].kind;

      g_signal_connect (factory, "setup", G_CALLBACK (on_cell_setup), info);
      g_signal_connect (factory, "bind", G_CALLBACK (on_cell_bind), info);

      column = gtk_column_view_column_new (_(columns[i].title), factory);
      sorter = GTK_SORTER (gtk_custom_sorter_new (compare_rows, info, NULL));
      gtk_column_view_column_set_sorter (column, sorter);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_expand (column, info->kind == ESA_DOSSIER_COLUMN_WIDE);

      gtk_column_view_append_column (self->column_view, column);
    }
}

/**
 * esa_dossier_table_set_rows:
 * @rows: (element-type EsaDossierRow): the rows, each with one cell per column
 *
 * Shows @rows, or the status page when there are none.
 */
void
esa_dossier_table_set_rows (EsaDossierTable *self,
                            GListModel      *rows)
{
  GtkSortListModel *sorted;
  GtkSingleSelection *selection;

  g_return_if_fail (ESA_IS_DOSSIER_TABLE (self));
  g_return_if_fail (G_IS_LIST_MODEL (rows));

  sorted = gtk_sort_list_model_new (g_object_ref (rows),
                                    g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  /* Keyboard moves select the focused row, which shows where one is; nothing
   * is selected before that. */
  selection = gtk_single_selection_new (G_LIST_MODEL (sorted));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, TRUE);
  gtk_single_selection_set_selected (selection, GTK_INVALID_LIST_POSITION);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);

  gtk_stack_set_visible_child_name (self->stack,
                                    g_list_model_get_n_items (rows) > 0 ? "table" : "empty");
}
