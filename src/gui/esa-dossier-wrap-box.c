#include "esa-config.h"

#include "esa-dossier-wrap-box.h"

struct _EsaDossierWrapBox
{
  GtkWidget parent_instance;

  int       column_spacing;
  int       row_spacing;
};

G_DEFINE_FINAL_TYPE (EsaDossierWrapBox, esa_dossier_wrap_box, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_COLUMN_SPACING,
  PROP_ROW_SPACING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Where one child goes. */
typedef struct
{
  GtkWidget *child;
  int        x;
  int        width;
  guint      line;
} Placement;

/* Fills @placements for a width of @width, @line_heights with one entry per
 * line, and returns the height of all lines together. */
static int
place_children (EsaDossierWrapBox *self,
                int                width,
                GArray            *placements,
                GArray            *line_heights)
{
  int x = 0;
  int line_height = 0;
  int total = 0;
  guint line = 0;
  gboolean line_empty = TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      Placement placement = { child, 0, 0, 0 };
      int min_width, nat_width, child_height;

      if (!gtk_widget_should_layout (child))
        continue;

      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1,
                          &min_width, &nat_width, NULL, NULL);
      placement.width = MAX (min_width, MIN (nat_width, width));

      if (!line_empty && x + self->column_spacing + placement.width > width)
        {
          g_array_append_val (line_heights, line_height);
          total += line_height + self->row_spacing;
          line++;
          x = 0;
          line_height = 0;
          line_empty = TRUE;
        }

      if (!line_empty)
        x += self->column_spacing;

      gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, placement.width,
                          NULL, &child_height, NULL, NULL);
      placement.x = x;
      placement.line = line;
      g_array_append_val (placements, placement);

      x += placement.width;
      line_height = MAX (line_height, child_height);
      line_empty = FALSE;
    }

  if (!line_empty)
    {
      g_array_append_val (line_heights, line_height);
      total += line_height;
    }

  return total;
}

static GtkSizeRequestMode
esa_dossier_wrap_box_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
esa_dossier_wrap_box_measure (GtkWidget      *widget,
                              GtkOrientation  orientation,
                              int             for_size,
                              int            *minimum,
                              int            *natural,
                              int            *minimum_baseline,
                              int            *natural_baseline)
{
  EsaDossierWrapBox *self = ESA_DOSSIER_WRAP_BOX (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      gboolean first = TRUE;

      /* At least as wide as the widest child; naturally, all in one line. */
      *minimum = 0;
      *natural = 0;
      for (GtkWidget *child = gtk_widget_get_first_child (widget);
           child != NULL;
           child = gtk_widget_get_next_sibling (child))
        {
          int child_min, child_nat;

          if (!gtk_widget_should_layout (child))
            continue;

          gtk_widget_measure (child, orientation, -1, &child_min, &child_nat, NULL, NULL);
          *minimum = MAX (*minimum, child_min);
          *natural += child_nat + (first ? 0 : self->column_spacing);
          first = FALSE;
        }
    }
  else
    {
      g_autoptr (GArray) placements = g_array_new (FALSE, FALSE, sizeof (Placement));
      g_autoptr (GArray) line_heights = g_array_new (FALSE, FALSE, sizeof (int));
      int width = for_size;

      /* Without a width, the height of the layout with room for everything
       * in one line. The height of the narrowest layout would be the honest
       * minimum, but a window sizes itself by these heights, and one child
       * a line would make it needlessly tall; the real width comes with
       * size allocation. */
      if (width < 0)
        gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &width, NULL, NULL);

      *minimum = *natural = place_children (self, width, placements, line_heights);
    }
}

static void
esa_dossier_wrap_box_size_allocate (GtkWidget *widget,
                                    int        width,
                                    int        height,
                                    int        baseline)
{
  EsaDossierWrapBox *self = ESA_DOSSIER_WRAP_BOX (widget);
  g_autoptr (GArray) placements = g_array_new (FALSE, FALSE, sizeof (Placement));
  g_autoptr (GArray) line_heights = g_array_new (FALSE, FALSE, sizeof (int));
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  guint line = 0;
  int y = 0;

  place_children (self, width, placements, line_heights);

  for (guint i = 0; i < placements->len; i++)
    {
      const Placement *placement = &g_array_index (placements, Placement, i);
      int x;

      while (line < placement->line)
        y += g_array_index (line_heights, int, line++) + self->row_spacing;

      x = rtl ? width - placement->x - placement->width : placement->x;
      /* The child gets the whole line height; its valign places it there. */
      gtk_widget_size_allocate (placement->child,
                                &(GtkAllocation) { x, y, placement->width,
                                                   g_array_index (line_heights, int, line) },
                                -1);
    }
}

static void
esa_dossier_wrap_box_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (esa_dossier_wrap_box_parent_class)->dispose (object);
}

static void
esa_dossier_wrap_box_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  EsaDossierWrapBox *self = ESA_DOSSIER_WRAP_BOX (object);

  switch (prop_id)
    {
    case PROP_COLUMN_SPACING:
      g_value_set_int (value, self->column_spacing);
      break;

    case PROP_ROW_SPACING:
      g_value_set_int (value, self->row_spacing);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esa_dossier_wrap_box_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  EsaDossierWrapBox *self = ESA_DOSSIER_WRAP_BOX (object);
  int spacing = g_value_get_int (value);
  int *field;

  switch (prop_id)
    {
    case PROP_COLUMN_SPACING:
      field = &self->column_spacing;
      break;

    case PROP_ROW_SPACING:
      field = &self->row_spacing;
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }

  if (*field == spacing)
    return;

  *field = spacing;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (object, pspec);
}

static void
esa_dossier_wrap_box_class_init (EsaDossierWrapBoxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = esa_dossier_wrap_box_dispose;
  object_class->get_property = esa_dossier_wrap_box_get_property;
  object_class->set_property = esa_dossier_wrap_box_set_property;

  widget_class->get_request_mode = esa_dossier_wrap_box_get_request_mode;
  widget_class->measure = esa_dossier_wrap_box_measure;
  widget_class->size_allocate = esa_dossier_wrap_box_size_allocate;

  properties[PROP_COLUMN_SPACING] =
    g_param_spec_int ("column-spacing", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ROW_SPACING] =
    g_param_spec_int ("row-spacing", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
esa_dossier_wrap_box_init (EsaDossierWrapBox *self)
{
}

void
esa_dossier_wrap_box_append (EsaDossierWrapBox *self,
                             GtkWidget         *child)
{
  g_return_if_fail (ESA_IS_DOSSIER_WRAP_BOX (self));
  g_return_if_fail (GTK_IS_WIDGET (child));

  gtk_widget_set_parent (child, GTK_WIDGET (self));
}

void
esa_dossier_wrap_box_remove_all (EsaDossierWrapBox *self)
{
  GtkWidget *child;

  g_return_if_fail (ESA_IS_DOSSIER_WRAP_BOX (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
}
