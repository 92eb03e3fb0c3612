#include "esa-config.h"

#include <errno.h>
#include <math.h>
#include <glib/gi18n-lib.h>

#include "esa-dossier-page.h"
#include "esa-viewer-attach.h"
#include "esa-viewer-document.h"
#include "esa-viewer-forms.h"
#include "esa-viewer-page.h"
#include "esa-viewer-private.h"
#include "esa-viewer.h"

/* At 100 % a point is a CSS pixel at 96 dots per inch. */
#define PIXELS_PER_POINT (96.0 / 72.0)
#define MIN_ZOOM         0.1
#define MAX_ZOOM         8.0

/* The space around and between the pages, as in the template. */
#define PAGE_MARGIN      24
#define PAGE_SPACING     16

/* Thumbnails are this wide (a portrait page) or this tall (landscape). */
#define THUMBNAIL_SIZE   112.0

/* Render priorities: the pages in view first, then the thumbnails. */
#define PRIORITY_PAGE      0
#define PRIORITY_THUMBNAIL 1

#define CSS_RESOURCE "/org/esattore/Esattore/ui/esa-viewer.css"

typedef enum
{
  FIT_NONE,
  FIT_WIDTH,
  FIT_PAGE,
} FitMode;

struct _EsaViewer
{
  GtkWidget          parent_instance;

  /* template children */
  GtkWidget         *toolbar;
  GtkWidget         *toolbar_separator;
  GtkLabel          *page_label;
  GtkMenuButton     *zoom_button;
  GtkWidget         *find_button;
  GMenu             *zoom_levels_section;
  GtkSearchBar      *search_bar;
  GtkSearchEntry    *find_entry;
  GtkLabel          *match_label;
  GtkRevealer       *forms_revealer;
  GtkLabel          *forms_label;
  GtkStack          *stack;
  GtkSpinner        *spinner;
  AdwStatusPage     *error_page;
  GtkWidget         *error_open_button;
  AdwFlap           *flap;
  GtkListView       *thumbnails_view;
  GtkScrolledWindow *scroller;
  GtkWidget         *viewport;
  GtkBox            *pages_box;

  /* what is shown */
  GFile             *file;
  char              *title;
  EsaViewerDocument *document;
  GCancellable      *cancellable;
  GPtrArray         *pages;          /* EsaViewerPage, children of pages_box */
  GtkSingleSelection *thumbnail_selection;
  gboolean           loading;

  /* where it is filed */
  EsaStore          *store;
  char              *debtor_id;
  EsaDocument       *source;

  /* zoom and position */
  double             zoom;
  FitMode            fit;
  guint              fit_source;
  gboolean           awaiting_layout;  /* until a frame is painted after a change */
  GdkFrameClock     *frame_clock;
  gulong             after_paint_handler;
  guint              current_page;
  gboolean           show_thumbnails;

  /* find */
  GCancellable      *find_cancellable;
  GPtrArray         *matches;        /* GArray of graphene_rect_t per page */
  guint              n_matches;
  int                current_match;  /* over the whole document, or -1 */

  /* forms */
  GPtrArray         *field_widgets;
  gboolean           saving;

  gboolean           busy;
};

G_DEFINE_FINAL_TYPE (EsaViewer, esa_viewer, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_BUSY,
  PROP_ZOOM,
  PROP_SHOW_THUMBNAILS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  DOCUMENT_ADDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The steps of zooming in and out, and the levels of the zoom menu. */
static const double zoom_levels[] = { 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0 };
static const double menu_zoom_levels[] = { 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0 };

static void update_busy         (EsaViewer *self);
static void update_actions      (EsaViewer *self);
static void update_visible      (EsaViewer *self);
static void await_frame         (EsaViewer *self);
static void apply_zoom          (EsaViewer *self,
                                 double     zoom);

/* ---- helpers ------------------------------------------------------------ */

static gboolean
is_blank (const char *text)
{
  return text == NULL || text[0] == '\0';
}

static double
page_scale (EsaViewer *self)
{
  return self->zoom * PIXELS_PER_POINT;
}

static char *
format_zoom (double zoom)
{
  /* Translators: a zoom level in percent, "125 %"; write it the way your
   * language writes percentages. */
  return g_strdup_printf (_("%d %%"), (int) round (zoom * 100.0));
}

static void
set_title (EsaViewer  *self,
           const char *title)
{
  if (g_strcmp0 (self->title, title) == 0)
    return;

  g_free (self->title);
  self->title = g_strdup (title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

/* The top of each page, in pixels from the top of the pages, at the
 * present scale. The layout is computed rather than read from the widgets,
 * whose allocations lag behind a change of zoom by a frame. */
static double
page_top (EsaViewer *self,
          guint      index)
{
  double top = PAGE_MARGIN;

  for (guint i = 0; i < index; i++)
    {
      double height;

      esa_viewer_document_get_page_size (self->document, i, NULL, &height);
      top += round (height * page_scale (self)) + PAGE_SPACING;
    }

  return top;
}

static double
page_height (EsaViewer *self,
             guint      index)
{
  double height;

  esa_viewer_document_get_page_size (self->document, index, NULL, &height);
  return round (height * page_scale (self));
}

static double
pages_height (EsaViewer *self)
{
  guint n = self->pages->len;

  if (n == 0)
    return 0.0;

  return page_top (self, n - 1) + page_height (self, n - 1) + PAGE_MARGIN;
}

static GtkAdjustment *
vadjustment (EsaViewer *self)
{
  return gtk_scrolled_window_get_vadjustment (self->scroller);
}

static GtkAdjustment *
hadjustment (EsaViewer *self)
{
  return gtk_scrolled_window_get_hadjustment (self->scroller);
}

static void
update_page_label (EsaViewer *self)
{
  g_autofree char *text = NULL;
  guint n = self->pages->len;

  if (n == 0)
    {
      gtk_label_set_text (self->page_label, "");
      return;
    }

  /* Translators: where the view is in a document, "Page 2 of 5". */
  text = g_strdup_printf (_("Page %u of %u"), self->current_page + 1, n);
  gtk_label_set_text (self->page_label, text);
}

static void
update_zoom_label (EsaViewer *self)
{
  g_autofree char *text = format_zoom (self->zoom);

  gtk_menu_button_set_label (self->zoom_button, text);
}

/* ---- loading ------------------------------------------------------------ */

static void
clear_find (EsaViewer *self)
{
  g_cancellable_cancel (self->find_cancellable);
  g_clear_object (&self->find_cancellable);
  g_clear_pointer (&self->matches, g_ptr_array_unref);
  self->n_matches = 0;
  self->current_match = -1;

  for (guint i = 0; i < self->pages->len; i++)
    esa_viewer_page_set_matches (g_ptr_array_index (self->pages, i), NULL, -1);
}

static void
clear_document (EsaViewer *self)
{
  GtkWidget *child;

  clear_find (self);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->pages_box))) != NULL)
    gtk_box_remove (self->pages_box, child);
  g_ptr_array_set_size (self->pages, 0);
  g_clear_pointer (&self->field_widgets, g_ptr_array_unref);

  gtk_single_selection_set_model (self->thumbnail_selection, NULL);

  if (self->document != NULL)
    g_signal_handlers_disconnect_by_func (self->document, update_busy, self);
  g_clear_object (&self->document);

  gtk_revealer_set_reveal_child (self->forms_revealer, FALSE);
  self->current_page = 0;
}

static void
show_error (EsaViewer    *self,
            const GError *error)
{
  /* The status page reads its description as markup. */
  g_autofree char *message = g_markup_escape_text (error->message, -1);

  adw_status_page_set_description (self->error_page, message);
  gtk_widget_set_visible (self->error_open_button, self->file != NULL);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

static void
on_fields_changed (gpointer user_data)
{
  EsaViewer *self = user_data;

  /* The page under a field shows the field's old appearance; the widget
   * on top shows the new value, so nothing needs drawing again. */
  update_actions (self);
}

static void
update_forms_bar (EsaViewer *self)
{
  gboolean has_fields = self->field_widgets != NULL && self->field_widgets->len > 0;

  if (self->store != NULL && self->debtor_id != NULL)
    gtk_label_set_text (self->forms_label,
                        _("This is a form: fill in its fields on the page, then save a "
                          "filled copy to the dossier."));
  else
    gtk_label_set_text (self->forms_label,
                        _("This is a form: fill in its fields on the page, then print it. "
                          "To save a filled copy, open the form from a dossier."));

  gtk_revealer_set_reveal_child (self->forms_revealer, has_fields);
}

static void
on_thumbnail_setup (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *page = esa_viewer_page_new (PRIORITY_THUMBNAIL);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_set_halign (page, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "numeric");
  gtk_box_append (GTK_BOX (box), page);
  gtk_box_append (GTK_BOX (box), label);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 3);
  gtk_list_item_set_child (item, box);
}

static void
on_thumbnail_bind (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   EsaViewer                *self)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *page = gtk_widget_get_first_child (box);
  GtkWidget *label = gtk_widget_get_last_child (box);
  guint index = gtk_list_item_get_position (item);
  double width;
  double height;

  if (self->document == NULL || index >= esa_viewer_document_get_n_pages (self->document))
    return;

  esa_viewer_document_get_page_size (self->document, index, &width, &height);
  esa_viewer_page_set_page (ESA_VIEWER_PAGE (page), self->document, index);
  esa_viewer_page_set_scale (ESA_VIEWER_PAGE (page), THUMBNAIL_SIZE / MAX (width, height * 0.75));
  esa_viewer_page_set_wanted (ESA_VIEWER_PAGE (page), TRUE);
  gtk_label_set_text (GTK_LABEL (label),
                      gtk_string_object_get_string (gtk_list_item_get_item (item)));
}

static void
on_thumbnail_unbind (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     gpointer                  user_data)
{
  GtkWidget *box = gtk_list_item_get_child (item);

  /* Thumbnails scrolled away give their pixels back. */
  esa_viewer_page_set_wanted (ESA_VIEWER_PAGE (gtk_widget_get_first_child (box)), FALSE);
}

static void
on_thumbnail_activate (EsaViewer *self,
                       guint      position)
{
  esa_viewer_scroll_to_page (self, position);
}

static void
show_document (EsaViewer         *self,
               EsaViewerDocument *document)
{
  guint n = esa_viewer_document_get_n_pages (document);
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

  self->document = g_object_ref (document);
  g_signal_connect_swapped (document, "notify::busy", G_CALLBACK (update_busy), self);

  for (guint i = 0; i < n; i++)
    {
      GtkWidget *page = esa_viewer_page_new (PRIORITY_PAGE);

      esa_viewer_page_set_page (ESA_VIEWER_PAGE (page), document, i);
      esa_viewer_page_set_scale (ESA_VIEWER_PAGE (page), page_scale (self));
      gtk_widget_set_halign (page, GTK_ALIGN_CENTER);
      gtk_box_append (self->pages_box, page);
      g_ptr_array_add (self->pages, page);

      gtk_string_list_append (labels, esa_viewer_document_get_page_label (document, i));
    }

  gtk_single_selection_set_model (self->thumbnail_selection, G_LIST_MODEL (labels));
  gtk_single_selection_set_selected (self->thumbnail_selection, 0);

  self->field_widgets = esa_viewer_forms_populate (document, self->pages, on_fields_changed,
                                                   self);
  update_forms_bar (self);

  /* A single page needs no overview. */
  esa_viewer_set_show_thumbnails (self, n > 1);

  await_frame (self);
  gtk_adjustment_set_value (vadjustment (self), 0.0);
  gtk_stack_set_visible_child_name (self->stack, "document");
  update_page_label (self);

  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_grab_focus (self->viewport);
}

static void
on_document_loaded (GObject      *source_object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(EsaViewer) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaViewerDocument) document = esa_viewer_document_load_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->loading = FALSE;
  gtk_spinner_stop (self->spinner);

  if (document == NULL)
    show_error (self, error);
  else
    show_document (self, document);

  update_actions (self);
  update_busy (self);
}

static void
start_loading (EsaViewer  *self,
               GFile      *file,
               GBytes     *bytes,
               const char *title)
{
  g_autofree char *name = NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  clear_document (self);

  g_set_object (&self->file, file);
  if (is_blank (title) && file != NULL)
    {
      g_autofree char *basename = g_file_get_basename (file);

      name = g_filename_display_name (basename);
      title = name;
    }
  if (is_blank (title))
    title = _("Document");
  set_title (self, title);

  self->loading = TRUE;
  self->cancellable = g_cancellable_new ();
  gtk_spinner_start (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  update_actions (self);
  update_busy (self);

  esa_viewer_document_load_async (file, bytes, self->title, self->cancellable,
                                  on_document_loaded, g_object_ref (self));
}

/* ---- layout and scrolling ----------------------------------------------- */

static void
set_current_page (EsaViewer *self,
                  guint      index)
{
  if (self->current_page == index)
    return;

  self->current_page = index;
  update_page_label (self);

  if (gtk_single_selection_get_selected (self->thumbnail_selection) != index)
    {
      gtk_single_selection_set_selected (self->thumbnail_selection, index);
      if (gtk_widget_get_mapped (GTK_WIDGET (self->thumbnails_view)))
        gtk_widget_activate_action (GTK_WIDGET (self->thumbnails_view), "list.scroll-to-item",
                                    "u", index);
    }
}

/* Marks the pages near the view as wanted (rendered) and the others not,
 * and finds the page in the middle of the view. */
static void
update_visible (EsaViewer *self)
{
  GtkAdjustment *adjustment = vadjustment (self);
  double value = gtk_adjustment_get_value (adjustment);
  double view = gtk_adjustment_get_page_size (adjustment);
  double middle = value + view / 2.0;
  /* A screen above and below is rendered ahead of the scrolling. */
  double from = value - view;
  double to = value + 2.0 * view;
  double top = PAGE_MARGIN;
  guint current = self->current_page;

  if (self->document == NULL || view <= 0.0)
    return;

  for (guint i = 0; i < self->pages->len; i++)
    {
      double height = page_height (self, i);
      double bottom = top + height;

      esa_viewer_page_set_wanted (g_ptr_array_index (self->pages, i),
                                  bottom >= from && top <= to);
      if (top <= middle + PAGE_SPACING / 2.0 && middle < bottom + PAGE_SPACING / 2.0)
        current = i;
      else if (i == 0 && middle < top)
        current = 0;
      else if (i == self->pages->len - 1 && middle >= bottom)
        current = i;

      top = bottom + PAGE_SPACING;
    }

  set_current_page (self, current);
}

static void
stop_awaiting_frame (EsaViewer *self)
{
  if (self->frame_clock != NULL)
    g_clear_signal_handler (&self->after_paint_handler, self->frame_clock);
  g_clear_object (&self->frame_clock);
}

static void
on_after_paint (GdkFrameClock *frame_clock,
                EsaViewer     *self)
{
  stop_awaiting_frame (self);
  self->awaiting_layout = FALSE;
  update_visible (self);
  update_busy (self);
}

/* The pages changed size: the viewer is busy until they have been laid out
 * and painted at it (and the renders that asks for have come). */
static void
await_frame (EsaViewer *self)
{
  GdkFrameClock *frame_clock;

  self->awaiting_layout = TRUE;

  frame_clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  if (frame_clock != NULL && self->frame_clock == NULL)
    {
      self->frame_clock = g_object_ref (frame_clock);
      self->after_paint_handler = g_signal_connect (frame_clock, "after-paint",
                                                    G_CALLBACK (on_after_paint), self);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
  update_busy (self);
}

static double
fit_zoom (EsaViewer *self,
          FitMode    fit)
{
  double view_width = gtk_adjustment_get_page_size (hadjustment (self));
  double view_height = gtk_adjustment_get_page_size (vadjustment (self));
  double widest = 0.0;
  double width;
  double height;
  double zoom;

  for (guint i = 0; i < self->pages->len; i++)
    {
      esa_viewer_document_get_page_size (self->document, i, &width, &height);
      widest = MAX (widest, width);
    }

  zoom = (view_width - 2.0 * PAGE_MARGIN) / (widest * PIXELS_PER_POINT);

  if (fit == FIT_PAGE)
    {
      esa_viewer_document_get_page_size (self->document, self->current_page, NULL, &height);
      zoom = MIN (zoom, (view_height - 2.0 * PAGE_MARGIN) / (height * PIXELS_PER_POINT));
    }

  return CLAMP (zoom, MIN_ZOOM, MAX_ZOOM);
}

static gboolean
apply_fit (gpointer user_data)
{
  EsaViewer *self = user_data;

  self->fit_source = 0;

  if (self->document != NULL && self->fit != FIT_NONE
      && gtk_adjustment_get_page_size (hadjustment (self)) > 2.0 * PAGE_MARGIN)
    apply_zoom (self, fit_zoom (self, self->fit));

  update_busy (self);
  return G_SOURCE_REMOVE;
}

/* The view changed size: a fitting zoom follows, once the layout is done
 * (changing the pages' size while they are being laid out would not
 * take). */
static void
queue_fit (EsaViewer *self)
{
  if (self->fit == FIT_NONE || self->fit_source != 0)
    return;

  self->fit_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, apply_fit, self, NULL);
  update_busy (self);
}

static void
on_view_size_changed (EsaViewer *self)
{
  queue_fit (self);
  update_visible (self);
}

static void
apply_zoom (EsaViewer *self,
            double     zoom)
{
  GtkAdjustment *adjustment = vadjustment (self);
  double value = gtk_adjustment_get_value (adjustment);
  double view = gtk_adjustment_get_page_size (adjustment);
  guint anchor = self->current_page;
  double fraction = 0.0;
  double new_value;
  double upper;

  zoom = CLAMP (zoom, MIN_ZOOM, MAX_ZOOM);
  if (fabs (zoom - self->zoom) < 1e-4)
    return;

  /* The view stays on the same spot of the same page: where its top edge
   * is now, as a fraction of the page under it. */
  if (self->document != NULL && self->pages->len > 0)
    {
      for (anchor = 0; anchor + 1 < self->pages->len; anchor++)
        if (page_top (self, anchor + 1) > value)
          break;
      fraction = (value - page_top (self, anchor)) / MAX (1.0, page_height (self, anchor));
    }

  self->zoom = zoom;

  for (guint i = 0; i < self->pages->len; i++)
    esa_viewer_page_set_scale (g_ptr_array_index (self->pages, i), page_scale (self));

  if (self->document != NULL && self->pages->len > 0)
    {
      /* The viewport sets the same bounds when it lays the pages out; set
       * now, the new position holds from the first frame at the new zoom. */
      upper = MAX (pages_height (self), view);
      new_value = page_top (self, anchor) + fraction * page_height (self, anchor);
      new_value = CLAMP (new_value, 0.0, upper - view);
      gtk_adjustment_configure (adjustment, new_value, 0.0, upper,
                                gtk_adjustment_get_step_increment (adjustment),
                                gtk_adjustment_get_page_increment (adjustment), view);
    }

  update_zoom_label (self);
  update_visible (self);
  update_actions (self);
  await_frame (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

static void
set_fit (EsaViewer *self,
         FitMode    fit)
{
  self->fit = fit;

  if (fit != FIT_NONE && self->document != NULL
      && gtk_adjustment_get_page_size (hadjustment (self)) > 2.0 * PAGE_MARGIN)
    apply_zoom (self, fit_zoom (self, fit));
}

/* ---- find --------------------------------------------------------------- */

/* The page and the index on it of match @n of the document. */
static gboolean
locate_match (EsaViewer *self,
              int        n,
              guint     *page,
              guint     *index)
{
  for (guint i = 0; self->matches != NULL && i < self->matches->len && n >= 0; i++)
    {
      GArray *rects = g_ptr_array_index (self->matches, i);

      if ((guint) n < rects->len)
        {
          *page = i;
          *index = (guint) n;
          return TRUE;
        }
      n -= (int) rects->len;
    }

  return FALSE;
}

static void
update_match_label (EsaViewer *self)
{
  g_autofree char *text = NULL;
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->find_entry));

  if (is_blank (query) || self->matches == NULL)
    gtk_label_set_text (self->match_label, "");
  else if (self->n_matches == 0)
    gtk_label_set_text (self->match_label, _("No matches"));
  else
    {
      /* Translators: which match of a search is shown, "3 of 12". */
      text = g_strdup_printf (_("%d of %u"), self->current_match + 1, self->n_matches);
      gtk_label_set_text (self->match_label, text);
    }
}

static void
show_match (EsaViewer *self,
            int        n)
{
  guint page;
  guint index;
  GArray *rects;
  const graphene_rect_t *rect;
  double y;
  double x;
  GtkAdjustment *vertical = vadjustment (self);
  GtkAdjustment *horizontal = hadjustment (self);

  if (self->n_matches == 0)
    return;

  /* Round the document both ways. */
  n = ((n % (int) self->n_matches) + (int) self->n_matches) % (int) self->n_matches;

  if (self->current_match >= 0 && locate_match (self, self->current_match, &page, &index))
    esa_viewer_page_set_matches (g_ptr_array_index (self->pages, page),
                                 g_ptr_array_index (self->matches, page), -1);

  self->current_match = n;
  if (!locate_match (self, n, &page, &index))
    return;

  rects = g_ptr_array_index (self->matches, page);
  esa_viewer_page_set_matches (g_ptr_array_index (self->pages, page), rects, (int) index);
  update_match_label (self);

  /* Bring the match into view, a third of the way down, unless it is
   * already well inside. */
  rect = &g_array_index (rects, graphene_rect_t, index);
  y = page_top (self, page) + rect->origin.y * page_scale (self);
  if (y < gtk_adjustment_get_value (vertical) + 24.0
      || y + rect->size.height * page_scale (self) >
         gtk_adjustment_get_value (vertical) + gtk_adjustment_get_page_size (vertical) - 24.0)
    gtk_adjustment_set_value (vertical, y - gtk_adjustment_get_page_size (vertical) / 3.0);

  x = rect->origin.x * page_scale (self);
  if (gtk_adjustment_get_upper (horizontal) > gtk_adjustment_get_page_size (horizontal))
    gtk_adjustment_set_value (horizontal, x - gtk_adjustment_get_page_size (horizontal) / 3.0);
}

static void
on_found (GObject      *source_object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(EsaViewer) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) matches = NULL;
  int first = -1;
  guint count = 0;

  matches = esa_viewer_document_find_finish (ESA_VIEWER_DOCUMENT (source_object), result,
                                             &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->find_cancellable);
  update_busy (self);

  if (matches == NULL)
    {
      gtk_label_set_text (self->match_label, error->message);
      return;
    }

  self->matches = g_steal_pointer (&matches);
  self->n_matches = 0;
  self->current_match = -1;

  for (guint i = 0; i < self->matches->len && i < self->pages->len; i++)
    {
      GArray *rects = g_ptr_array_index (self->matches, i);

      /* The first match from the page in view on. */
      if (first < 0 && i >= self->current_page && rects->len > 0)
        first = (int) count;
      count += rects->len;
      esa_viewer_page_set_matches (g_ptr_array_index (self->pages, i), rects, -1);
    }
  self->n_matches = count;

  update_match_label (self);
  show_match (self, first >= 0 ? first : 0);
}

static void
start_find (EsaViewer  *self,
            const char *text)
{
  clear_find (self);

  if (self->document == NULL || is_blank (text))
    {
      update_match_label (self);
      update_busy (self);
      return;
    }

  self->find_cancellable = g_cancellable_new ();
  esa_viewer_document_find_async (self->document, text, self->find_cancellable, on_found,
                                  g_object_ref (self));
  update_busy (self);
}

static void
on_find_entry_search_changed (EsaViewer *self)
{
  start_find (self, gtk_editable_get_text (GTK_EDITABLE (self->find_entry)));
}

static void
on_find_entry_next_match (EsaViewer *self)
{
  show_match (self, self->current_match + 1);
}

static void
on_find_entry_previous_match (EsaViewer *self)
{
  show_match (self, self->current_match - 1);
}

static void
on_find_entry_stop_search (EsaViewer *self)
{
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

static gboolean
on_find_entry_key_pressed (GtkEventControllerKey *controller,
                           guint                  keyval,
                           guint                  keycode,
                           GdkModifierType        state,
                           EsaViewer             *self)
{
  if (keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_ISO_Enter)
    return GDK_EVENT_PROPAGATE;

  /* Enter goes to the next match, Shift+Enter to the previous one. */
  if (state & GDK_SHIFT_MASK)
    on_find_entry_previous_match (self);
  else
    on_find_entry_next_match (self);
  return GDK_EVENT_STOP;
}

static void
on_search_mode_changed (EsaViewer *self)
{
  if (gtk_search_bar_get_search_mode (self->search_bar))
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->find_entry));
      gtk_editable_select_region (GTK_EDITABLE (self->find_entry), 0, -1);
      if (self->matches == NULL)
        on_find_entry_search_changed (self);
      return;
    }

  clear_find (self);
  update_match_label (self);
  update_busy (self);
  if (gtk_widget_get_mapped (self->viewport))
    gtk_widget_grab_focus (self->viewport);
}

/* ---- zooming with the pointer and the keyboard -------------------------- */

static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           EsaViewer                *self)
{
  GdkModifierType state;

  state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  if (!(state & GDK_CONTROL_MASK) || self->document == NULL || dy == 0.0)
    return FALSE;

  /* Ctrl and the wheel zoom, as in every document viewer. */
  self->fit = FIT_NONE;
  apply_zoom (self, self->zoom * pow (1.1, -dy));
  return TRUE;
}

static gboolean
on_viewport_key_pressed (GtkEventControllerKey *controller,
                         guint                  keyval,
                         guint                  keycode,
                         GdkModifierType        state,
                         EsaViewer             *self)
{
  GtkAdjustment *adjustment = vadjustment (self);
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (self)));
  double step = 48.0;
  double page = gtk_adjustment_get_page_size (adjustment) * 0.9;
  double value = gtk_adjustment_get_value (adjustment);

  /* Keys typed into the fields of a form are theirs. */
  if (focus != self->viewport || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0)
    return GDK_EVENT_PROPAGATE;

  switch (keyval)
    {
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      gtk_adjustment_set_value (adjustment, value - step);
      return GDK_EVENT_STOP;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      gtk_adjustment_set_value (adjustment, value + step);
      return GDK_EVENT_STOP;
    case GDK_KEY_space:
      gtk_adjustment_set_value (adjustment, value + ((state & GDK_SHIFT_MASK) ? -page : page));
      return GDK_EVENT_STOP;
    case GDK_KEY_Home:
      esa_viewer_scroll_to_page (self, 0);
      return GDK_EVENT_STOP;
    case GDK_KEY_End:
      if (self->pages->len > 0)
        esa_viewer_scroll_to_page (self, self->pages->len - 1);
      return GDK_EVENT_STOP;
    default:
      return GDK_EVENT_PROPAGATE;
    }
}

/* ---- actions ------------------------------------------------------------ */

static void
zoom_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  EsaViewer *self = ESA_VIEWER (widget);

  for (guint i = 0; i < G_N_ELEMENTS (zoom_levels); i++)
    if (zoom_levels[i] > self->zoom * 1.01)
      {
        self->fit = FIT_NONE;
        apply_zoom (self, zoom_levels[i]);
        return;
      }
}

static void
zoom_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  EsaViewer *self = ESA_VIEWER (widget);

  for (guint i = G_N_ELEMENTS (zoom_levels); i > 0; i--)
    if (zoom_levels[i - 1] < self->zoom * 0.99)
      {
        self->fit = FIT_NONE;
        apply_zoom (self, zoom_levels[i - 1]);
        return;
      }
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  esa_viewer_set_zoom (ESA_VIEWER (widget), g_variant_get_double (parameter));
}

static void
fit_width_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  set_fit (ESA_VIEWER (widget), FIT_WIDTH);
}

static void
fit_page_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  set_fit (ESA_VIEWER (widget), FIT_PAGE);
}

static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  EsaViewer *self = ESA_VIEWER (widget);

  if (gtk_search_bar_get_search_mode (self->search_bar))
    on_search_mode_changed (self);
  else
    gtk_search_bar_set_search_mode (self->search_bar, TRUE);
}

static void
find_next_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  on_find_entry_next_match (ESA_VIEWER (widget));
}

static void
find_previous_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  on_find_entry_previous_match (ESA_VIEWER (widget));
}

static void
on_begin_print (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                EsaViewerDocument *document)
{
  gtk_print_operation_set_n_pages (operation, (int) esa_viewer_document_get_n_pages (document));
}

static void
on_draw_page (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page_nr,
              EsaViewerDocument *document)
{
  esa_viewer_document_draw_for_printing (document, (guint) page_nr,
                                         gtk_print_context_get_cairo_context (context),
                                         gtk_print_context_get_width (context),
                                         gtk_print_context_get_height (context));
}

static void
unref_closure_data (gpointer  data,
                    GClosure *closure)
{
  g_object_unref (data);
}

static GtkPrintOperation *
new_print_operation (EsaViewer *self)
{
  GtkPrintOperation *operation = gtk_print_operation_new ();
  g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();
  double width;
  double height;

  gtk_print_operation_set_job_name (operation, self->title);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);

  /* Landscape documents print landscape unless the dialog says otherwise. */
  esa_viewer_document_get_page_size (self->document, 0, &width, &height);
  gtk_page_setup_set_orientation (setup, width > height ? GTK_PAGE_ORIENTATION_LANDSCAPE
                                                        : GTK_PAGE_ORIENTATION_PORTRAIT);
  gtk_print_operation_set_default_page_setup (operation, setup);

  /* The operation may outlive the viewer (printing goes on after the tab
   * closed), so it holds the document. */
  g_signal_connect_data (operation, "begin-print", G_CALLBACK (on_begin_print),
                         g_object_ref (self->document), unref_closure_data, 0);
  g_signal_connect_data (operation, "draw-page", G_CALLBACK (on_draw_page),
                         g_object_ref (self->document), unref_closure_data, 0);
  return operation;
}

static void
on_print_done (GtkPrintOperation       *operation,
               GtkPrintOperationResult  result,
               EsaViewer               *self)
{
  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *message = NULL;

      gtk_print_operation_get_error (operation, &error);
      /* Translators: the first %s is a document, the second why printing failed. */
      message = g_strdup_printf (_("“%s” could not be printed: %s"), self->title,
                                 error != NULL ? error->message : _("unknown error"));
      esa_viewer_show_toast (GTK_WIDGET (self), message);
    }

  g_object_unref (operation);
  g_object_unref (self);
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  EsaViewer *self = ESA_VIEWER (widget);
  GtkPrintOperation *operation;
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GError) error = NULL;
  GtkPrintOperationResult result;

  if (self->document == NULL)
    return;

  operation = new_print_operation (self);
  gtk_print_operation_set_allow_async (operation, TRUE);
  g_signal_connect (operation, "done", G_CALLBACK (on_print_done), g_object_ref (self));

  result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                                    GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, &error);
  if (result == GTK_PRINT_OPERATION_RESULT_ERROR && error != NULL)
    esa_viewer_show_toast (widget, error->message);
}

/* The extension a copy of a file of @mime_type is named with, so that the
 * other application recognises it. */
static const char *
extension_for (const char *mime_type)
{
  static const struct
  {
    const char *mime_type;
    const char *extension;
  } extensions[] = {
    { "application/pdf", ".pdf" },
    { "image/png", ".png" },
    { "image/jpeg", ".jpg" },
    { "image/tiff", ".tif" },
    { "image/gif", ".gif" },
    { "image/webp", ".webp" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (extensions); i++)
    if (g_strcmp0 (mime_type, extensions[i].mime_type) == 0)
      return extensions[i].extension;

  return "";
}

static void
on_uri_shown (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(EsaViewer) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gtk_show_uri_full_finish (GTK_WINDOW (source_object), result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *message = NULL;

      /* Translators: the first %s is a document, the second the reason. */
      message = g_strdup_printf (_("No other application could open “%s”: %s"), self->title,
                                 error->message);
      esa_viewer_show_toast (GTK_WIDGET (self), message);
    }
}

static void
show_file (EsaViewer *self,
           GFile     *file)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *uri = g_file_get_uri (file);

  if (!GTK_IS_WINDOW (root))
    return;

  gtk_show_uri_full (GTK_WINDOW (root), uri, GDK_CURRENT_TIME, NULL, on_uri_shown,
                     g_object_ref (self));
}

typedef struct
{
  EsaViewer *viewer;
  GFile     *copy;
} OpenJob;

static void
open_job_free (OpenJob *job)
{
  g_clear_object (&job->viewer);
  g_clear_object (&job->copy);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OpenJob, open_job_free)

static void
on_copy_for_opening_done (GObject      *source_object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(OpenJob) job = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_copy_finish (G_FILE (source_object), result, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("No other application could open “%s”: %s"),
                                 job->viewer->title, error->message);
      esa_viewer_show_toast (GTK_WIDGET (job->viewer), message);
      return;
    }

  show_file (job->viewer, job->copy);
}

/* Another application gets a copy of a filed document, named by its title:
 * the attachment itself is named by its hash, and must never be changed. */
static void
open_with_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  EsaViewer *self = ESA_VIEWER (widget);
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) copy = NULL;
  const char *extension;
  OpenJob *job;

  if (self->file == NULL)
    return;

  if (self->source == NULL || is_blank (self->source->sha256))
    {
      show_file (self, self->file);
      return;
    }

  extension = extension_for (self->source->mime_type);
  name = g_strdelimit (g_strdup (self->title), G_DIR_SEPARATOR_S, '-');
  if (!g_str_has_suffix (name, extension))
    {
      char *named = g_strconcat (name, extension, NULL);

      g_free (name);
      name = named;
    }

  dir = g_build_filename (g_get_user_cache_dir (), "esattore", "open", self->source->sha256,
                          NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("No other application could open “%s”: %s"), self->title,
                                 g_strerror (saved_errno));
      esa_viewer_show_toast (widget, message);
      return;
    }
  path = g_build_filename (dir, name, NULL);
  copy = g_file_new_for_path (path);

  /* The copy made for an earlier opening is as good. */
  if (g_file_query_exists (copy, NULL))
    {
      show_file (self, copy);
      return;
    }

  job = g_new0 (OpenJob, 1);
  job->viewer = g_object_ref (self);
  job->copy = g_object_ref (copy);
  g_file_copy_async (self->file, copy, G_FILE_COPY_NONE, G_PRIORITY_DEFAULT, self->cancellable,
                     NULL, NULL, on_copy_for_opening_done, job);
}

static char *
filled_copy_title (EsaViewer *self)
{
  g_autofree char *base = g_strdup (self->title);
  gsize length = strlen (base);

  if (length > 4 && g_ascii_strcasecmp (base + length - 4, ".pdf") == 0)
    base[length - 4] = '\0';

  /* Translators: the title of a filled copy of a form; %s is the form's. */
  return g_strdup_printf (_("%s (filled in)"), base);
}

typedef struct
{
  EsaViewer *viewer;
  GFile     *file;
  char      *title;
} SaveJob;

static void
save_job_free (SaveJob *job)
{
  if (job->file != NULL)
    g_file_delete (job->file, NULL, NULL);
  g_clear_object (&job->file);
  g_clear_object (&job->viewer);
  g_free (job->title);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaveJob, save_job_free)

static void
finish_saving (EsaViewer  *self,
               const char *message)
{
  self->saving = FALSE;
  if (message != NULL)
    esa_viewer_show_toast (GTK_WIDGET (self), message);
  update_actions (self);
  update_busy (self);
}

static void
on_filled_copy_attached (GObject      *source_object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(SaveJob) job = user_data;
  EsaViewer *self = job->viewer;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = esa_viewer_attach_files_finish (result, &error);
  g_autofree char *message = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (ids == NULL || ids->len == 0)
    {
      finish_saving (self, error != NULL ? error->message : NULL);
      return;
    }

  /* Translators: %s is the title of the new document. */
  message = g_strdup_printf (_("Saved “%s” to the dossier"), job->title);
  finish_saving (self, message);
  g_signal_emit (self, signals[DOCUMENT_ADDED], 0, g_ptr_array_index (ids, 0));
}

static void
on_filled_copy_written (GObject      *source_object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(SaveJob) job = user_data;
  EsaViewer *self = job->viewer;
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaDocument) link = NULL;
  GList files = { NULL, NULL, NULL };
  g_autofree char *message = NULL;
  const char *title;

  job->file = esa_viewer_forms_save_finish (result, &error);
  if (job->file == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: the first %s is a form, the second the reason. */
      message = g_strdup_printf (_("A filled copy of “%s” could not be written: %s"),
                                 self->title, error->message);
      finish_saving (self, message);
      return;
    }

  if (self->store == NULL || self->debtor_id == NULL)
    {
      finish_saving (self, NULL);
      return;
    }

  /* The copy is filed with the form's case and act, if it has them. */
  if (self->source != NULL)
    link = esa_viewer_copy_document (self->source);
  else
    link = g_new0 (EsaDocument, 1);
  g_free (link->debtor_id);
  link->debtor_id = g_strdup (self->debtor_id);

  files.data = job->file;
  title = job->title;
  esa_viewer_attach_files_async (self->store, link, &files, title, self->cancellable,
                                 on_filled_copy_attached, g_steal_pointer (&job));
}

static void
save_filled_copy_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  EsaViewer *self = ESA_VIEWER (widget);
  SaveJob *job;

  if (self->document == NULL || self->store == NULL || self->debtor_id == NULL || self->saving)
    return;

  job = g_new0 (SaveJob, 1);
  job->viewer = g_object_ref (self);
  job->title = filled_copy_title (self);

  self->saving = TRUE;
  update_actions (self);
  update_busy (self);
  esa_viewer_forms_save_async (self->document, self->cancellable, on_filled_copy_written, job);
}

static void
update_actions (EsaViewer *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean shown = self->document != NULL;
  gboolean pdf = shown && esa_viewer_document_is_pdf (self->document);
  gboolean fields = self->field_widgets != NULL && self->field_widgets->len > 0;

  gtk_widget_action_set_enabled (widget, "viewer.zoom-in", shown && self->zoom < MAX_ZOOM);
  gtk_widget_action_set_enabled (widget, "viewer.zoom-out", shown && self->zoom > MIN_ZOOM);
  gtk_widget_action_set_enabled (widget, "viewer.zoom", shown);
  gtk_widget_action_set_enabled (widget, "viewer.fit-width", shown);
  gtk_widget_action_set_enabled (widget, "viewer.fit-page", shown);
  gtk_widget_action_set_enabled (widget, "viewer.find", pdf);
  gtk_widget_action_set_enabled (widget, "viewer.find-next", pdf);
  gtk_widget_action_set_enabled (widget, "viewer.find-previous", pdf);
  gtk_widget_action_set_enabled (widget, "viewer.print", shown);
  gtk_widget_action_set_enabled (widget, "viewer.open-with", self->file != NULL);
  gtk_widget_action_set_enabled (widget, "viewer.save-filled-copy",
                                 fields && self->store != NULL && self->debtor_id != NULL
                                 && !self->saving);
  gtk_widget_set_sensitive (GTK_WIDGET (self->zoom_button), shown);
  /* A scan has no text to find. */
  gtk_widget_set_visible (self->find_button, pdf);
  /* Without a document (loading, or the error page with its own button)
   * there is nothing for the tools to work on. */
  gtk_widget_set_visible (self->toolbar, shown);
  gtk_widget_set_visible (self->toolbar_separator, shown);
}

static void
update_busy (EsaViewer *self)
{
  gboolean busy = self->loading || self->saving || self->find_cancellable != NULL;

  /* Rendering counts only where it shows: a viewer in a tab behind
   * another one lays nothing out. */
  if (!busy && self->document != NULL && gtk_widget_get_mapped (GTK_WIDGET (self)))
    busy = self->awaiting_layout || self->fit_source != 0
           || esa_viewer_document_get_busy (self->document);

  if (busy == self->busy)
    return;

  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* ---- GtkWidget ---------------------------------------------------------- */

static void
esa_viewer_map (GtkWidget *widget)
{
  EsaViewer *self = ESA_VIEWER (widget);

  GTK_WIDGET_CLASS (esa_viewer_parent_class)->map (widget);

  /* A change made while unmapped waits for the first frame shown. */
  if (self->awaiting_layout)
    await_frame (self);
  update_busy (self);
}

static void
esa_viewer_unmap (GtkWidget *widget)
{
  stop_awaiting_frame (ESA_VIEWER (widget));

  GTK_WIDGET_CLASS (esa_viewer_parent_class)->unmap (widget);

  update_busy (ESA_VIEWER (widget));
}

static gboolean
esa_viewer_grab_focus (GtkWidget *widget)
{
  EsaViewer *self = ESA_VIEWER (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "document") == 0)
    return gtk_widget_grab_focus (self->viewport);

  return GTK_WIDGET_CLASS (esa_viewer_parent_class)->grab_focus (widget);
}

/* ---- GObject ------------------------------------------------------------ */

static void
esa_viewer_dispose (GObject *object)
{
  EsaViewer *self = ESA_VIEWER (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->fit_source, g_source_remove);
  stop_awaiting_frame (self);

  if (self->pages_box != NULL)
    clear_document (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), ESA_TYPE_VIEWER);
  /* The template's outer box has no id, so it is not among what
   * gtk_widget_dispose_template() unparents. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->thumbnail_selection);
  g_clear_object (&self->file);
  g_clear_object (&self->store);
  g_clear_pointer (&self->source, esa_document_free);

  G_OBJECT_CLASS (esa_viewer_parent_class)->dispose (object);
}

static void
esa_viewer_finalize (GObject *object)
{
  EsaViewer *self = ESA_VIEWER (object);

  g_ptr_array_unref (self->pages);
  g_free (self->title);
  g_free (self->debtor_id);

  G_OBJECT_CLASS (esa_viewer_parent_class)->finalize (object);
}

static void
esa_viewer_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  EsaViewer *self = ESA_VIEWER (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;

    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;

    case PROP_SHOW_THUMBNAILS:
      g_value_set_boolean (value, self->show_thumbnails);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esa_viewer_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  EsaViewer *self = ESA_VIEWER (object);

  switch (prop_id)
    {
    case PROP_ZOOM:
      esa_viewer_set_zoom (self, g_value_get_double (value));
      break;

    case PROP_SHOW_THUMBNAILS:
      esa_viewer_set_show_thumbnails (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esa_viewer_class_init (EsaViewerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = esa_viewer_dispose;
  object_class->finalize = esa_viewer_finalize;
  object_class->get_property = esa_viewer_get_property;
  object_class->set_property = esa_viewer_set_property;

  widget_class->map = esa_viewer_map;
  widget_class->unmap = esa_viewer_unmap;
  widget_class->grab_focus = esa_viewer_grab_focus;

  /* The document's name, for the tab. */
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, MIN_ZOOM, MAX_ZOOM, 1.0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SHOW_THUMBNAILS] =
    g_param_spec_boolean ("show-thumbnails", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * EsaViewer::document-added:
   * @id: the new document's id
   *
   * A filled copy of the form was saved to the dossier.
   */
  signals[DOCUMENT_ADDED] =
    g_signal_new ("document-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/esattore/Esattore/ui/esa-viewer.ui");
  gtk_widget_class_bind_template_child (widget_class, EsaViewer, toolbar);
  gtk_widget_class_bind_template_child (widget_class, EsaViewer, toolbar_separator);
  gtk_widget_class_bind_template_child (widget_class, EsaViewer, page_label);
  gtk_widget_class_bind_template_child (widget_class, EsaViewer, zoom_button);
  gtk_widget_class_bind_template_child (widget_class, EsaViewer, find_button);
  gtk_widget_class_bind_template_child (widget_class, EsaViewer, zoom_levels_section);
  gtk_widget_class_bind_template_child (widget_class, EsaViewer, search_bar);
  gtk_widget_class_bind_template_child (widget_class, EsaViewer, find_entry);
  gtk_widget_class_bind_template_child (widget_class, EsaViewer, match_label);
  gtk_widget_class_bind_template_child (widget_class, EsaViewer, forms_revealer);
  gtk_widget_class_bind_template_child (widget_class, EsaViewer, forms_label);
  gtk_widget_class_bind_template_child (widget_class, EsaViewer, stack);
  gtk_widget_class_bind_template_child (widget_class, EsaViewer, spinner);
  gtk_widget_class_bind_template_child (widget_class, EsaViewer, error_page);
  gtk_widget_class_bind_template_child (widget_class, EsaViewer, error_open_button);
  gtk_widget_class_bind_template_child (widget_class, EsaViewer, flap);
  gtk_widget_class_bind_template_child (widget_class, EsaViewer, thumbnails_view);
  gtk_widget_class_bind_template_child (widget_class, EsaViewer, scroller);
  gtk_widget_class_bind_template_child (widget_class, EsaViewer, viewport);
  gtk_widget_class_bind_template_child (widget_class, EsaViewer, pages_box);

  gtk_widget_class_bind_template_callback (widget_class, on_search_mode_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_find_entry_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_find_entry_next_match);
  gtk_widget_class_bind_template_callback (widget_class, on_find_entry_previous_match);
  gtk_widget_class_bind_template_callback (widget_class, on_find_entry_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_thumbnail_setup);
  gtk_widget_class_bind_template_callback (widget_class, on_thumbnail_bind);
  gtk_widget_class_bind_template_callback (widget_class, on_thumbnail_unbind);
  gtk_widget_class_bind_template_callback (widget_class, on_thumbnail_activate);

  gtk_widget_class_install_action (widget_class, "viewer.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "viewer.zoom-out", NULL, zoom_out_action);
  gtk_widget_class_install_action (widget_class, "viewer.zoom", "d", zoom_action);
  gtk_widget_class_install_action (widget_class, "viewer.fit-width", NULL, fit_width_action);
  gtk_widget_class_install_action (widget_class, "viewer.fit-page", NULL, fit_page_action);
  gtk_widget_class_install_property_action (widget_class, "viewer.show-thumbnails",
                                            "show-thumbnails");
  gtk_widget_class_install_action (widget_class, "viewer.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "viewer.find-next", NULL, find_next_action);
  gtk_widget_class_install_action (widget_class, "viewer.find-previous", NULL,
                                   find_previous_action);
  gtk_widget_class_install_action (widget_class, "viewer.print", NULL, print_action);
  gtk_widget_class_install_action (widget_class, "viewer.open-with", NULL, open_with_action);
  gtk_widget_class_install_action (widget_class, "viewer.save-filled-copy", NULL,
                                   save_filled_copy_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK,
                                       "viewer.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK,
                                       "viewer.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK,
                                       "viewer.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK,
                                       "viewer.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK,
                                       "viewer.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK,
                                       "viewer.fit-width", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, GDK_CONTROL_MASK,
                                       "viewer.fit-width", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0,
                                       "viewer.show-thumbnails", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "viewer.find", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK,
                                       "viewer.find-next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "viewer.find-previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK,
                                       "viewer.print", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
load_css (GdkDisplay *display)
{
  static GQuark loaded_quark;
  g_autoptr(GtkCssProvider) provider = NULL;

  if (loaded_quark == 0)
    loaded_quark = g_quark_from_static_string ("esa-viewer-css");
  if (g_object_get_qdata (G_OBJECT (display), loaded_quark) != NULL)
    return;

  /* The viewer's style lives beside its template rather than in the
   * application's style.css, so that the tests, which have no
   * application, get it too. */
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, CSS_RESOURCE);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set_qdata_full (G_OBJECT (display), loaded_quark, g_steal_pointer (&provider),
                           g_object_unref);
}

static void
esa_viewer_init (EsaViewer *self)
{
  GtkEventController *controller;

  gtk_widget_init_template (GTK_WIDGET (self));
  load_css (gtk_widget_get_display (GTK_WIDGET (self)));

  self->pages = g_ptr_array_new ();
  self->zoom = 1.0;
  self->fit = FIT_WIDTH;
  self->current_match = -1;

  for (guint i = 0; i < G_N_ELEMENTS (menu_zoom_levels); i++)
    {
      g_autofree char *label = format_zoom (menu_zoom_levels[i]);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target_value (item, "viewer.zoom",
                                               g_variant_new_double (menu_zoom_levels[i]));
      g_menu_append_item (self->zoom_levels_section, item);
    }
  update_zoom_label (self);

  self->thumbnail_selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->thumbnail_selection, FALSE);
  gtk_list_view_set_model (self->thumbnails_view,
                           GTK_SELECTION_MODEL (self->thumbnail_selection));

  g_signal_connect_swapped (hadjustment (self), "notify::page-size",
                            G_CALLBACK (on_view_size_changed), self);
  g_signal_connect_swapped (vadjustment (self), "notify::page-size",
                            G_CALLBACK (on_view_size_changed), self);
  g_signal_connect_swapped (vadjustment (self), "value-changed",
                            G_CALLBACK (update_visible), self);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self->scroller), controller);

  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_viewport_key_pressed), self);
  gtk_widget_add_controller (self->viewport, controller);

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_find_entry_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->find_entry), controller);

  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->find_entry));

  update_actions (self);
}

/* ---- public API --------------------------------------------------------- */

GtkWidget *
esa_viewer_new (void)
{
  return g_object_new (ESA_TYPE_VIEWER, NULL);
}

void
esa_viewer_load_file (EsaViewer  *self,
                      GFile      *file,
                      const char *title)
{
  g_return_if_fail (ESA_IS_VIEWER (self));
  g_return_if_fail (G_IS_FILE (file));

  start_loading (self, file, NULL, title);
}

void
esa_viewer_load_bytes (EsaViewer  *self,
                       GBytes     *bytes,
                       const char *title)
{
  g_return_if_fail (ESA_IS_VIEWER (self));
  g_return_if_fail (bytes != NULL);

  start_loading (self, NULL, bytes, title);
}

void
esa_viewer_set_dossier (EsaViewer         *self,
                        EsaStore          *store,
                        const char        *debtor_id,
                        const EsaDocument *document)
{
  g_return_if_fail (ESA_IS_VIEWER (self));
  g_return_if_fail (store == NULL || ESA_IS_STORE (store));

  g_set_object (&self->store, store);
  g_free (self->debtor_id);
  self->debtor_id = g_strdup (debtor_id != NULL ? debtor_id
                                                : document != NULL ? document->debtor_id : NULL);
  g_clear_pointer (&self->source, esa_document_free);
  if (document != NULL)
    self->source = esa_viewer_copy_document (document);

  update_forms_bar (self);
  update_actions (self);
}

GFile *
esa_viewer_get_file (EsaViewer *self)
{
  g_return_val_if_fail (ESA_IS_VIEWER (self), NULL);

  return self->file;
}

const char *
esa_viewer_get_title (EsaViewer *self)
{
  g_return_val_if_fail (ESA_IS_VIEWER (self), NULL);

  return self->title;
}

gboolean
esa_viewer_get_busy (EsaViewer *self)
{
  g_return_val_if_fail (ESA_IS_VIEWER (self), FALSE);

  return self->busy;
}

guint
esa_viewer_get_n_pages (EsaViewer *self)
{
  g_return_val_if_fail (ESA_IS_VIEWER (self), 0);

  return self->pages->len;
}

guint
esa_viewer_get_current_page (EsaViewer *self)
{
  g_return_val_if_fail (ESA_IS_VIEWER (self), 0);

  return self->current_page;
}

void
esa_viewer_scroll_to_page (EsaViewer *self,
                           guint      index)
{
  g_return_if_fail (ESA_IS_VIEWER (self));

  if (index >= self->pages->len)
    return;

  /* The page's top edge lands at the top of the view, with its margin. */
  gtk_adjustment_set_value (vadjustment (self), page_top (self, index) - PAGE_MARGIN / 2.0);
  update_visible (self);
  set_current_page (self, index);
}

double
esa_viewer_get_zoom (EsaViewer *self)
{
  g_return_val_if_fail (ESA_IS_VIEWER (self), 1.0);

  return self->zoom;
}

void
esa_viewer_set_zoom (EsaViewer *self,
                     double     zoom)
{
  g_return_if_fail (ESA_IS_VIEWER (self));

  self->fit = FIT_NONE;
  apply_zoom (self, zoom);
}

gboolean
esa_viewer_get_show_thumbnails (EsaViewer *self)
{
  g_return_val_if_fail (ESA_IS_VIEWER (self), FALSE);

  return self->show_thumbnails;
}

void
esa_viewer_set_show_thumbnails (EsaViewer *self,
                                gboolean   show)
{
  g_return_if_fail (ESA_IS_VIEWER (self));

  show = !!show;
  if (self->show_thumbnails == show)
    return;

  self->show_thumbnails = show;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_THUMBNAILS]);
}

void
esa_viewer_find (EsaViewer  *self,
                 const char *text)
{
  g_return_if_fail (ESA_IS_VIEWER (self));

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->find_entry), text != NULL ? text : "");
  /* At once, rather than after the entry's typing delay. */
  start_find (self, text);
}

/* ---- tabs --------------------------------------------------------------- */

static void
on_viewer_title_changed (EsaViewer  *self,
                         GParamSpec *pspec,
                         AdwTabPage *page)
{
  adw_tab_page_set_title (page, self->title);
}

static void
on_viewer_busy_changed (EsaViewer  *self,
                        GParamSpec *pspec,
                        AdwTabPage *page)
{
  /* The tab shows a spinner while the document opens and its first pages
   * render, not at every render of scrolling later. */
  if (!self->busy && !self->loading)
    g_object_set_data (G_OBJECT (page), "esa-viewer-shown", GINT_TO_POINTER (TRUE));
  adw_tab_page_set_loading (page, self->busy
                                  && g_object_get_data (G_OBJECT (page),
                                                        "esa-viewer-shown") == NULL);
}

static void
on_viewer_document_added (EsaViewer  *self,
                          const char *document_id,
                          AdwTabPage *parent)
{
  GtkWidget *child = adw_tab_page_get_child (parent);

  /* The dossier the copy went to lists it at once. */
  if (ESA_IS_DOSSIER_PAGE (child)
      && g_strcmp0 (esa_dossier_page_get_debtor_id (ESA_DOSSIER_PAGE (child)),
                    self->debtor_id) == 0)
    esa_dossier_page_reload (ESA_DOSSIER_PAGE (child));
}

static AdwTabPage *
find_tab (AdwTabView *tab_view,
          GFile      *file)
{
  int n = adw_tab_view_get_n_pages (tab_view);

  for (int i = 0; i < n; i++)
    {
      AdwTabPage *page = adw_tab_view_get_nth_page (tab_view, i);
      GtkWidget *child = adw_tab_page_get_child (page);

      if (ESA_IS_VIEWER (child) && ESA_VIEWER (child)->file != NULL
          && g_file_equal (ESA_VIEWER (child)->file, file))
        return page;
    }

  return NULL;
}

static EsaViewer *
open_in_tab (AdwTabView        *tab_view,
             AdwTabPage        *parent,
             GFile             *file,
             const char        *title,
             EsaStore          *store,
             const char        *debtor_id,
             const EsaDocument *document)
{
  AdwTabPage *page = find_tab (tab_view, file);
  EsaViewer *viewer;
  const char *tooltip = NULL;
  g_autofree char *parse_name = NULL;
  g_autoptr(GIcon) icon = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *mime_type = NULL;

  if (page != NULL)
    {
      adw_tab_view_set_selected_page (tab_view, page);
      return ESA_VIEWER (adw_tab_page_get_child (page));
    }

  viewer = ESA_VIEWER (esa_viewer_new ());
  esa_viewer_set_dossier (viewer, store, debtor_id, document);
  esa_viewer_load_file (viewer, file, title);

  page = adw_tab_view_add_page (tab_view, GTK_WIDGET (viewer), parent);
  adw_tab_page_set_title (page, viewer->title);
  if (document != NULL)
    content_type = g_content_type_from_mime_type (document->mime_type);
  else
    content_type = g_content_type_guess (viewer->title, NULL, 0, NULL);
  mime_type = content_type != NULL ? g_content_type_get_mime_type (content_type) : NULL;
  icon = g_themed_icon_new (mime_type != NULL && g_str_has_prefix (mime_type, "image/")
                            ? "image-x-generic-symbolic"
                            : "x-office-document-symbolic");
  adw_tab_page_set_icon (page, icon);
  adw_tab_page_set_loading (page, viewer->busy);

  /* The window shows the tooltip of the selected tab under its title: the
   * dossier the document belongs to, or where the file is. */
  if (parent != NULL)
    tooltip = adw_tab_page_get_title (parent);
  if (tooltip == NULL)
    tooltip = parse_name = g_file_get_parse_name (file);
  adw_tab_page_set_tooltip (page, tooltip);

  g_signal_connect_object (viewer, "notify::title", G_CALLBACK (on_viewer_title_changed), page,
                           0);
  g_signal_connect_object (viewer, "notify::busy", G_CALLBACK (on_viewer_busy_changed), page, 0);
  if (parent != NULL)
    g_signal_connect_object (viewer, "document-added", G_CALLBACK (on_viewer_document_added),
                             parent, 0);

  adw_tab_view_set_selected_page (tab_view, page);
  return viewer;
}

EsaViewer *
esa_viewer_open_file_in_tab (AdwTabView *tab_view,
                             AdwTabPage *parent,
                             GFile      *file,
                             const char *title)
{
  g_return_val_if_fail (ADW_IS_TAB_VIEW (tab_view), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  return open_in_tab (tab_view, parent, file, title, NULL, NULL, NULL);
}

EsaViewer *
esa_viewer_open_document_in_tab (AdwTabView         *tab_view,
                                 AdwTabPage         *parent,
                                 EsaStore           *store,
                                 const EsaDocument  *document,
                                 GError            **error)
{
  g_autoptr(GFile) file = NULL;

  g_return_val_if_fail (ADW_IS_TAB_VIEW (tab_view), NULL);
  g_return_val_if_fail (ESA_IS_STORE (store), NULL);
  g_return_val_if_fail (document != NULL, NULL);

  file = esa_viewer_get_document_file (store, document, error);
  if (file == NULL)
    return NULL;

  return open_in_tab (tab_view, parent, file, document->title, store, document->debtor_id,
                      document);
}

EsaViewer *
esa_viewer_open_path_or_id (AdwTabView  *tab_view,
                            EsaStore    *store,
                            const char  *path_or_id,
                            GError     **error)
{
  AdwTabPage *selected;
  GtkWidget *child;
  int n;

  g_return_val_if_fail (ADW_IS_TAB_VIEW (tab_view), NULL);
  g_return_val_if_fail (ESA_IS_STORE (store), NULL);
  g_return_val_if_fail (path_or_id != NULL, NULL);

  selected = adw_tab_view_get_selected_page (tab_view);
  child = selected != NULL ? adw_tab_page_get_child (selected) : NULL;

  /* A file opens beside the dossier in view, and is filed there when it is
   * a form saved filled in. */
  if (g_file_test (path_or_id, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GFile) file = g_file_new_for_path (path_or_id);

      if (ESA_IS_DOSSIER_PAGE (child))
        return open_in_tab (tab_view, selected, file, NULL, store,
                            esa_dossier_page_get_debtor_id (ESA_DOSSIER_PAGE (child)), NULL);
      return open_in_tab (tab_view, NULL, file, NULL, NULL, NULL, NULL);
    }

  n = adw_tab_view_get_n_pages (tab_view);
  for (int i = 0; i < n; i++)
    {
      AdwTabPage *page = adw_tab_view_get_nth_page (tab_view, i);
      g_autoptr(EsaDossier) dossier = NULL;

      child = adw_tab_page_get_child (page);
      if (!ESA_IS_DOSSIER_PAGE (child))
        continue;

      dossier = esa_store_load_dossier (store,
                                        esa_dossier_page_get_debtor_id (ESA_DOSSIER_PAGE (child)),
                                        NULL);
      for (guint j = 0; dossier != NULL && dossier->documents != NULL
                        && j < dossier->documents->len; j++)
        {
          const EsaDocument *document = g_ptr_array_index (dossier->documents, j);

          if (g_strcmp0 (document->id, path_or_id) == 0)
            return esa_viewer_open_document_in_tab (tab_view, page, store, document, error);
        }
    }

  g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_NOT_FOUND,
               _("There is no file %s, nor a document with that id in an open dossier."),
               path_or_id);
  return NULL;
}

/* ---- private API (tests) ------------------------------------------------ */

const char *
_esa_viewer_get_state (EsaViewer *self)
{
  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
_esa_viewer_get_error_text (EsaViewer *self)
{
  return adw_status_page_get_description (self->error_page);
}

const char *
_esa_viewer_get_error_title (EsaViewer *self)
{
  return adw_status_page_get_title (self->error_page);
}

GtkWidget *
_esa_viewer_get_page (EsaViewer *self,
                      guint      index)
{
  return index < self->pages->len ? g_ptr_array_index (self->pages, index) : NULL;
}

GtkWidget *
_esa_viewer_get_field_widget (EsaViewer  *self,
                              const char *name)
{
  for (guint i = 0; self->field_widgets != NULL && i < self->field_widgets->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (self->field_widgets, i);

      if (g_strcmp0 (esa_viewer_forms_get_field_name (widget), name) == 0)
        return widget;
    }

  return NULL;
}

guint
_esa_viewer_get_n_matches (EsaViewer *self)
{
  return self->n_matches;
}

int
_esa_viewer_get_current_match (EsaViewer *self,
                               guint     *page)
{
  guint index;

  if (self->current_match < 0 || !locate_match (self, self->current_match, page, &index))
    return -1;
  return self->current_match;
}

GtkWidget *
_esa_viewer_get_find_entry (EsaViewer *self)
{
  return GTK_WIDGET (self->find_entry);
}

GtkWidget *
_esa_viewer_get_thumbnails (EsaViewer *self)
{
  return GTK_WIDGET (self->thumbnails_view);
}

gboolean
_esa_viewer_get_thumbnails_shown (EsaViewer *self)
{
  return adw_flap_get_reveal_flap (self->flap)
         && gtk_widget_get_mapped (GTK_WIDGET (self->thumbnails_view));
}

gboolean
_esa_viewer_get_forms_bar_shown (EsaViewer *self)
{
  return gtk_revealer_get_reveal_child (self->forms_revealer);
}

gboolean
_esa_viewer_export_pdf (EsaViewer   *self,
                        const char  *path,
                        GError     **error)
{
  g_autoptr(GtkPrintOperation) operation = NULL;
  GtkPrintOperationResult result;

  if (self->document == NULL)
    {
      g_set_error (error, ESA_VIEWER_ERROR, ESA_VIEWER_ERROR_EMPTY, "no document is shown");
      return FALSE;
    }

  operation = new_print_operation (self);
  gtk_print_operation_set_export_filename (operation, path);
  result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL, error);
  return result != GTK_PRINT_OPERATION_RESULT_ERROR;
}
