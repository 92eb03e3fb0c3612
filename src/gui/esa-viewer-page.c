#include "esa-config.h"

#include <math.h>
#include <glib/gi18n-lib.h>

#include "esa-viewer-page.h"

/* What a scale of 1.0 (100 %) is in pixels per point: 96 dots per inch. */
#define BASE_SCALE (96.0 / 72.0)

/* A widget over the page and where it goes. */
typedef struct
{
  GtkWidget       *widget;
  graphene_rect_t  area;
} Overlay;

struct _EsaViewerPage
{
  GtkWidget          parent_instance;

  EsaViewerDocument *document;
  guint              index;
  int                priority;
  double             scale;          /* logical pixels per point */
  gboolean           wanted;

  GdkTexture        *texture;
  double             texture_scale;  /* device pixels per point it was made at */
  GCancellable      *cancellable;    /* of the render on its way */
  double             pending_scale;

  GArray            *matches;        /* graphene_rect_t, points */
  int                current_match;
  GArray            *overlays;       /* Overlay */
};

G_DEFINE_FINAL_TYPE (EsaViewerPage, esa_viewer_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_RENDERED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Matches are marked on the paper, which is white in the dark style too,
 * so the colours are fixed rather than taken from the style. */
static const GdkRGBA match_color = { 0.98f, 0.80f, 0.10f, 0.45f };
static const GdkRGBA current_match_color = { 0.96f, 0.47f, 0.0f, 0.55f };

/* ---- helpers ------------------------------------------------------------ */

static double
device_scale (EsaViewerPage *self)
{
  return self->scale * gtk_widget_get_scale_factor (GTK_WIDGET (self));
}

static gboolean
same_scale (double a,
            double b)
{
  return fabs (a - b) < 1e-4;
}

static void
cancel_render (EsaViewerPage *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

static void
update_accessible_label (EsaViewerPage *self)
{
  g_autofree char *label = NULL;

  if (self->document == NULL)
    return;

  /* Translators: how a screen reader names a page of a document; %s is its
   * label, usually its number. */
  label = g_strdup_printf (_("Page %s"),
                           esa_viewer_document_get_page_label (self->document, self->index));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static void
on_rendered (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(EsaViewerPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  texture = esa_viewer_document_render_finish (ESA_VIEWER_DOCUMENT (source_object), result,
                                               &error);

  /* A newer render took this one's place (and cancelled it). */
  if (g_task_get_cancellable (G_TASK (result)) != self->cancellable)
    return;

  g_clear_object (&self->cancellable);

  if (texture == NULL)
    {
      /* The page stays blank paper; the document opened, so this is one
       * broken page among good ones. */
      g_debug ("%s", error->message);
      return;
    }

  g_set_object (&self->texture, texture);
  self->texture_scale = self->pending_scale;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RENDERED]);
}

static void
update_render (EsaViewerPage *self)
{
  double scale;

  if (self->document == NULL || !self->wanted || self->scale <= 0.0)
    {
      cancel_render (self);
      /* Pages far from the view give their pixels back. */
      if (self->texture != NULL)
        {
          g_clear_object (&self->texture);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RENDERED]);
        }
      return;
    }

  scale = device_scale (self);

  if (self->texture != NULL && same_scale (self->texture_scale, scale))
    {
      cancel_render (self);
      return;
    }
  if (self->cancellable != NULL && same_scale (self->pending_scale, scale))
    return;

  cancel_render (self);
  self->cancellable = g_cancellable_new ();
  self->pending_scale = scale;
  esa_viewer_document_render_async (self->document, self->index, scale, self->priority,
                                    self->cancellable, on_rendered, g_object_ref (self));
}

/* ---- GtkWidget ---------------------------------------------------------- */

static void
esa_viewer_page_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  EsaViewerPage *self = ESA_VIEWER_PAGE (widget);
  double width = 0.0;
  double height = 0.0;
  int size;

  if (self->document != NULL)
    esa_viewer_document_get_page_size (self->document, self->index, &width, &height);

  size = (int) round ((orientation == GTK_ORIENTATION_HORIZONTAL ? width : height)
                      * self->scale);
  *minimum = *natural = MAX (size, 1);
}

static void
esa_viewer_page_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  EsaViewerPage *self = ESA_VIEWER_PAGE (widget);

  /* Overlays are laid out at 100 % and scaled with the page, so that
   * their text grows and shrinks with the page's. */
  double zoom = self->scale / BASE_SCALE;

  for (guint i = 0; i < self->overlays->len; i++)
    {
      Overlay *overlay = &g_array_index (self->overlays, Overlay, i);
      double w = overlay->area.size.width * BASE_SCALE;
      double h = overlay->area.size.height * BASE_SCALE;
      int min_width;
      int min_height;
      int child_width;
      int child_height;
      GskTransform *transform;

      if (!gtk_widget_should_layout (overlay->widget) || zoom <= 0.0)
        continue;

      /* A widget cannot be smaller than its minimum; a field smaller than
       * that gets a widget that overflows it around its centre. */
      gtk_widget_measure (overlay->widget, GTK_ORIENTATION_HORIZONTAL, -1,
                          &min_width, NULL, NULL, NULL);
      child_width = MAX (min_width, (int) round (w));
      gtk_widget_measure (overlay->widget, GTK_ORIENTATION_VERTICAL, child_width,
                          &min_height, NULL, NULL, NULL);
      child_height = MAX (min_height, (int) round (h));

      transform = gsk_transform_translate (NULL,
                                           &GRAPHENE_POINT_INIT (
                                             (float) ((overlay->area.origin.x * BASE_SCALE
                                                       + (w - child_width) / 2.0) * zoom),
                                             (float) ((overlay->area.origin.y * BASE_SCALE
                                                       + (h - child_height) / 2.0) * zoom)));
      transform = gsk_transform_scale (transform, (float) zoom, (float) zoom);
      gtk_widget_allocate (overlay->widget, child_width, child_height, -1, transform);
    }
}

static void
esa_viewer_page_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  EsaViewerPage *self = ESA_VIEWER_PAGE (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  /* The paper itself is the widget's CSS background. */
  if (self->texture != NULL)
    gtk_snapshot_append_texture (snapshot, self->texture,
                                 &GRAPHENE_RECT_INIT (0, 0, width, height));

  for (guint i = 0; self->matches != NULL && i < self->matches->len; i++)
    {
      const graphene_rect_t *match = &g_array_index (self->matches, graphene_rect_t, i);
      graphene_rect_t rect;

      graphene_rect_init (&rect,
                          (float) (match->origin.x * self->scale),
                          (float) (match->origin.y * self->scale),
                          (float) (match->size.width * self->scale),
                          (float) (match->size.height * self->scale));
      gtk_snapshot_append_color (snapshot,
                                 (int) i == self->current_match ? &current_match_color
                                                                : &match_color,
                                 &rect);
    }

  for (guint i = 0; i < self->overlays->len; i++)
    gtk_widget_snapshot_child (widget, g_array_index (self->overlays, Overlay, i).widget,
                               snapshot);
}

static void
on_scale_factor_changed (EsaViewerPage *self)
{
  update_render (self);
}

/* ---- GObject ------------------------------------------------------------ */

static void
esa_viewer_page_dispose (GObject *object)
{
  EsaViewerPage *self = ESA_VIEWER_PAGE (object);

  cancel_render (self);

  if (self->overlays != NULL)
    {
      for (guint i = 0; i < self->overlays->len; i++)
        gtk_widget_unparent (g_array_index (self->overlays, Overlay, i).widget);
      g_array_set_size (self->overlays, 0);
    }

  g_clear_object (&self->texture);
  g_clear_object (&self->document);
  g_clear_pointer (&self->matches, g_array_unref);

  G_OBJECT_CLASS (esa_viewer_page_parent_class)->dispose (object);
}

static void
esa_viewer_page_finalize (GObject *object)
{
  EsaViewerPage *self = ESA_VIEWER_PAGE (object);

  g_array_unref (self->overlays);

  G_OBJECT_CLASS (esa_viewer_page_parent_class)->finalize (object);
}

static void
esa_viewer_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  EsaViewerPage *self = ESA_VIEWER_PAGE (object);

  switch (prop_id)
    {
    case PROP_RENDERED:
      g_value_set_boolean (value, esa_viewer_page_get_rendered (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esa_viewer_page_class_init (EsaViewerPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = esa_viewer_page_dispose;
  object_class->finalize = esa_viewer_page_finalize;
  object_class->get_property = esa_viewer_page_get_property;

  widget_class->measure = esa_viewer_page_measure;
  widget_class->size_allocate = esa_viewer_page_size_allocate;
  widget_class->snapshot = esa_viewer_page_snapshot;

  properties[PROP_RENDERED] =
    g_param_spec_boolean ("rendered", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "esa-viewer-page");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
esa_viewer_page_init (EsaViewerPage *self)
{
  self->overlays = g_array_new (FALSE, FALSE, sizeof (Overlay));
  self->current_match = -1;

  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (on_scale_factor_changed), NULL);
}

/* ---- public API --------------------------------------------------------- */

GtkWidget *
esa_viewer_page_new (int priority)
{
  EsaViewerPage *self = g_object_new (ESA_TYPE_VIEWER_PAGE, NULL);

  self->priority = priority;
  return GTK_WIDGET (self);
}

void
esa_viewer_page_set_page (EsaViewerPage     *self,
                          EsaViewerDocument *document,
                          guint              index)
{
  g_return_if_fail (ESA_IS_VIEWER_PAGE (self));
  g_return_if_fail (document == NULL || ESA_IS_VIEWER_DOCUMENT (document));
  g_return_if_fail (document == NULL || index < esa_viewer_document_get_n_pages (document));

  if (self->document == document && self->index == index)
    return;

  cancel_render (self);
  g_clear_object (&self->texture);
  g_clear_pointer (&self->matches, g_array_unref);
  g_set_object (&self->document, document);
  self->index = index;

  update_accessible_label (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  update_render (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RENDERED]);
}

guint
esa_viewer_page_get_index (EsaViewerPage *self)
{
  g_return_val_if_fail (ESA_IS_VIEWER_PAGE (self), 0);

  return self->index;
}

void
esa_viewer_page_set_scale (EsaViewerPage *self,
                           double         scale)
{
  g_return_if_fail (ESA_IS_VIEWER_PAGE (self));

  if (same_scale (self->scale, scale))
    return;

  self->scale = scale;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  update_render (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RENDERED]);
}

double
esa_viewer_page_get_scale (EsaViewerPage *self)
{
  g_return_val_if_fail (ESA_IS_VIEWER_PAGE (self), 0.0);

  return self->scale;
}

void
esa_viewer_page_set_wanted (EsaViewerPage *self,
                            gboolean       wanted)
{
  g_return_if_fail (ESA_IS_VIEWER_PAGE (self));

  wanted = !!wanted;
  if (self->wanted == wanted)
    return;

  self->wanted = wanted;
  update_render (self);
}

gboolean
esa_viewer_page_get_rendered (EsaViewerPage *self)
{
  g_return_val_if_fail (ESA_IS_VIEWER_PAGE (self), FALSE);

  return self->texture != NULL && same_scale (self->texture_scale, device_scale (self));
}

void
esa_viewer_page_set_matches (EsaViewerPage *self,
                             GArray        *matches,
                             int            current)
{
  g_return_if_fail (ESA_IS_VIEWER_PAGE (self));

  if (matches != self->matches)
    {
      g_clear_pointer (&self->matches, g_array_unref);
      if (matches != NULL)
        self->matches = g_array_ref (matches);
    }
  self->current_match = current;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
esa_viewer_page_add_overlay (EsaViewerPage         *self,
                             GtkWidget             *widget,
                             const graphene_rect_t *area)
{
  Overlay overlay;

  g_return_if_fail (ESA_IS_VIEWER_PAGE (self));
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (gtk_widget_get_parent (widget) == NULL);

  overlay.widget = widget;
  overlay.area = *area;
  g_array_append_val (self->overlays, overlay);
  gtk_widget_set_parent (widget, GTK_WIDGET (self));
}
