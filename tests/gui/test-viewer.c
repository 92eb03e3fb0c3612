/* The document viewer driven in-process with real widgets: a PDF made here
 * with cairo (pages, zoom, thumbnails, find, print), an image, damaged files
 * (a truncated PDF, random bytes, a broken image) that must give the error
 * page, a PDF form written by hand that is filled through its widgets and
 * saved to a dossier, and files dropped on a dossier's Documents page. */

#include "esa-config.h"

#include <glib/gstdio.h>
#include <cairo-pdf.h>
#include <poppler.h>
#include <adwaita.h>

#include "esa-demo.h"
#include "esa-dossier-page.h"
#include "esa-store.h"
#include "esa-viewer-attach.h"
#include "esa-viewer-document-private.h"
#include "esa-viewer-page.h"
#include "esa-viewer-private.h"
#include "esa-window-private.h"

#define WAIT_TIMEOUT_MS 30000

/* A4 in points. */
#define PAGE_WIDTH  595.0
#define PAGE_HEIGHT 842.0

static char *tmp_dir;
static char *db_path;
static EsaStore *store;
static char *debtor_id;

static char *valid_pdf;
static char *truncated_pdf;
static char *random_pdf;
static char *scan_png;
static char *broken_png;
static char *form_pdf;

typedef gboolean (*Condition) (gpointer data);

/* ---- helpers ------------------------------------------------------------ */

static gboolean
keep_waking (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until @condition holds; FALSE on timeout. */
static gboolean
wait_for (Condition condition,
          gpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) WAIT_TIMEOUT_MS * 1000;
  guint waker = g_timeout_add (10, keep_waking, NULL);
  gboolean ok = TRUE;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        {
          ok = FALSE;
          break;
        }
      g_main_context_iteration (NULL, TRUE);
    }

  g_source_remove (waker);
  return ok;
}

static gboolean
viewer_settled (gpointer data)
{
  EsaViewer *viewer = data;

  return !esa_viewer_get_busy (viewer)
         && g_strcmp0 (_esa_viewer_get_state (viewer), "loading") != 0
         && gtk_widget_get_mapped (GTK_WIDGET (viewer));
}

static gboolean
window_settled (gpointer data)
{
  return !esa_window_get_busy (ESA_WINDOW (data));
}

/* A window holding a viewer, in a toast overlay as in the workbench. */
static EsaViewer *
new_viewer_window (GtkWindow **window_out)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *overlay = adw_toast_overlay_new ();
  GtkWidget *viewer = esa_viewer_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 760);
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), viewer);
  gtk_window_set_child (GTK_WINDOW (window), overlay);
  gtk_window_present (GTK_WINDOW (window));

  *window_out = GTK_WINDOW (window);
  return ESA_VIEWER (viewer);
}

static void
load_and_wait (EsaViewer  *viewer,
               const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  esa_viewer_load_file (viewer, file, NULL);
  g_assert_true (wait_for (viewer_settled, viewer));
}

/* The shortcut of @widget for @trigger, activated the way the key press
 * would activate it. */
static gboolean
activate_shortcut (GtkWidget  *widget,
                   const char *trigger)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  guint n = g_list_model_get_n_items (controllers);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);
      guint n_shortcuts;

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      n_shortcuts = g_list_model_get_n_items (G_LIST_MODEL (controller));
      for (guint j = 0; j < n_shortcuts; j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *shortcut_trigger = gtk_shortcut_get_trigger (shortcut);
          g_autofree char *text = gtk_shortcut_trigger_to_string (shortcut_trigger);
          g_auto(GStrv) alternatives = g_strsplit (text, "|", -1);

          if (g_strv_contains ((const char * const *) alternatives, trigger))
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }

  return FALSE;
}

/* How many pixels of what @widget shows now are dark. */
static guint
count_ink (GtkWidget *widget)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guchar *pixels = NULL;
  graphene_rect_t bounds;
  int width;
  int height;
  guint ink = 0;

  /* Drawn the way its parent draws it into the window. */
  g_assert_true (gtk_widget_compute_bounds (widget, parent, &bounds));
  gtk_widget_snapshot_child (parent, widget, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &bounds);

  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  pixels = g_malloc ((gsize) width * height * 4);
  gdk_texture_download (texture, pixels, (gsize) width * 4);

  for (int i = 0; i < width * height; i++)
    {
      const guchar *p = pixels + (gsize) i * 4;

      if (p[3] > 128 && p[0] < 128 && p[1] < 128 && p[2] < 128)
        ink++;
    }

  return ink;
}

static PopplerDocument *
open_pdf (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  PopplerDocument *document = poppler_document_new_from_file (uri, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (document);
  return document;
}

/* ---- test files --------------------------------------------------------- */

/* Three pages; "needle" once on the first page and twice on the third. */
static void
make_valid_pdf (void)
{
  cairo_surface_t *surface = cairo_pdf_surface_create (valid_pdf, PAGE_WIDTH, PAGE_HEIGHT);
  cairo_t *cr = cairo_create (surface);
  const char *lines[3][2] = {
    { "Esattore page one", "a needle in the first page" },
    { "Esattore page two", "nothing to find here" },
    { "Esattore page three", "needle and needle again" },
  };

  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, 24.0);
  for (guint i = 0; i < 3; i++)
    {
      cairo_move_to (cr, 72.0, 100.0);
      cairo_show_text (cr, lines[i][0]);
      cairo_move_to (cr, 72.0, 400.0);
      cairo_show_text (cr, lines[i][1]);
      cairo_rectangle (cr, 72.0, 500.0, 300.0, 200.0);
      cairo_fill (cr);
      cairo_show_page (cr);
    }

  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
}

static void
make_damaged_files (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (4);
  guint8 noise[4096];
  guint8 png[1024];
  static const guint8 png_signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  gsize length;

  /* A copy that stopped at 60 %: the page tree, catalog and cross
   * reference table at the end are missing. */
  g_file_get_contents (valid_pdf, &contents, &length, &error);
  g_assert_no_error (error);
  g_file_set_contents (truncated_pdf, contents, (gssize) (length * 6 / 10), &error);
  g_assert_no_error (error);

  for (guint i = 0; i < sizeof noise; i++)
    noise[i] = (guint8) g_rand_int_range (rand, 0, 256);
  g_file_set_contents (random_pdf, (const char *) noise, sizeof noise, &error);
  g_assert_no_error (error);

  memcpy (png, png_signature, sizeof png_signature);
  memcpy (png + sizeof png_signature, noise, sizeof png - sizeof png_signature);
  g_file_set_contents (broken_png, (const char *) png, sizeof png, &error);
  g_assert_no_error (error);
}

static void
make_scan (void)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 600, 800);
  cairo_t *cr = cairo_create (surface);

  cairo_set_source_rgb (cr, 0.97, 0.96, 0.92);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  cairo_rectangle (cr, 60, 80, 480, 40);
  cairo_fill (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png (surface, scan_png), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
}

/* A one-page AcroForm: a text field "name" (value "Mario"), a check box
 * "agree" (off) and a combo box "city" (Roma, Milano, Bern; Roma chosen),
 * written object by object with a correct cross reference table. */
static void
make_form_pdf (void)
{
  static const char *objects[] = {
    "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R 5 0 R 6 0 R] "
    "/DA (/Helv 0 Tf 0 g) /DR << /Font << /Helv 8 0 R >> >> /NeedAppearances true >> >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 7 0 R "
    "/Resources << /Font << /Helv 8 0 R >> >> /Annots [4 0 R 5 0 R 6 0 R] >>",
    "<< /Type /Annot /Subtype /Widget /FT /Tx /T (name) /TU (Full name) /V (Mario) "
    "/Rect [100 700 400 724] /F 4 /P 3 0 R /DA (/Helv 12 Tf 0 g) >>",
    "<< /Type /Annot /Subtype /Widget /FT /Btn /T (agree) /V /Off /AS /Off "
    "/Rect [100 650 118 668] /F 4 /P 3 0 R /AP << /N << /Yes 9 0 R /Off 10 0 R >> >> >>",
    "<< /Type /Annot /Subtype /Widget /FT /Ch /Ff 131072 /T (city) "
    "/Opt [(Roma) (Milano) (Bern)] /V (Roma) /Rect [100 600 300 624] /F 4 /P 3 0 R "
    "/DA (/Helv 12 Tf 0 g) >>",
    NULL, /* the page's content stream */
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    NULL, /* the check box's appearance when on */
    NULL, /* and when off */
  };
  static const char *content = "BT /Helv 14 Tf 100 740 Td (Request form) Tj ET";
  static const char *on = "0 g 3 3 12 12 re f";
  g_autoptr(GString) pdf = g_string_new ("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n");
  g_autoptr(GError) error = NULL;
  gsize offsets[G_N_ELEMENTS (objects)];
  gsize xref;

  for (guint i = 0; i < G_N_ELEMENTS (objects); i++)
    {
      offsets[i] = pdf->len;
      g_string_append_printf (pdf, "%u 0 obj\n", i + 1);
      if (i == 6)
        g_string_append_printf (pdf, "<< /Length %zu >>\nstream\n%s\nendstream",
                                strlen (content), content);
      else if (i == 8 || i == 9)
        g_string_append_printf (pdf, "<< /Type /XObject /Subtype /Form /BBox [0 0 18 18] "
                                "/Length %zu >>\nstream\n%s\nendstream",
                                i == 8 ? strlen (on) : 0, i == 8 ? on : "");
      else
        g_string_append (pdf, objects[i]);
      g_string_append (pdf, "\nendobj\n");
    }

  xref = pdf->len;
  g_string_append_printf (pdf, "xref\n0 %zu\n0000000000 65535 f \n",
                          G_N_ELEMENTS (objects) + 1);
  for (guint i = 0; i < G_N_ELEMENTS (objects); i++)
    g_string_append_printf (pdf, "%010zu 00000 n \n", offsets[i]);
  g_string_append_printf (pdf, "trailer\n<< /Size %zu /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
                          G_N_ELEMENTS (objects) + 1, xref);

  g_file_set_contents (form_pdf, pdf->str, (gssize) pdf->len, &error);
  g_assert_no_error (error);
}

/* ---- tests -------------------------------------------------------------- */

static void
test_pdf_pages_and_zoom (void)
{
  GtkWindow *window;
  EsaViewer *viewer = new_viewer_window (&window);
  GtkWidget *page;
  double fit;
  double view_width;
  GtkWidget *scroller;

  load_and_wait (viewer, valid_pdf);

  g_assert_cmpstr (_esa_viewer_get_state (viewer), ==, "document");
  g_assert_cmpstr (esa_viewer_get_title (viewer), ==, "valid.pdf");
  g_assert_cmpuint (esa_viewer_get_n_pages (viewer), ==, 3);
  g_assert_cmpuint (esa_viewer_get_current_page (viewer), ==, 0);

  /* The first page is rendered, with ink where the text and the box are. */
  page = _esa_viewer_get_page (viewer, 0);
  g_assert_true (esa_viewer_page_get_rendered (ESA_VIEWER_PAGE (page)));
  g_assert_cmpuint (count_ink (page), >, 1000);

  /* Fitting the width: the page fills the view but for its margins. */
  scroller = gtk_widget_get_ancestor (page, GTK_TYPE_SCROLLED_WINDOW);
  view_width = gtk_adjustment_get_page_size (
    gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (scroller)));
  fit = esa_viewer_get_zoom (viewer);
  g_assert_cmpint (ABS (gtk_widget_get_width (page) - (int) (view_width - 48.0)), <=, 1);

  /* Zooming in and out goes by steps, and Ctrl+0 fits the width again. */
  gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.zoom-in", NULL);
  g_assert_cmpfloat (esa_viewer_get_zoom (viewer), >, fit);
  g_assert_true (activate_shortcut (GTK_WIDGET (viewer), "<Control>minus"));
  g_assert_true (activate_shortcut (GTK_WIDGET (viewer), "<Control>minus"));
  g_assert_cmpfloat (esa_viewer_get_zoom (viewer), <, fit);
  g_assert_true (wait_for (viewer_settled, viewer));
  g_assert_cmpint (gtk_widget_get_width (page), <, (int) (view_width - 48.0));
  g_assert_true (esa_viewer_page_get_rendered (ESA_VIEWER_PAGE (page)));

  g_assert_true (activate_shortcut (GTK_WIDGET (viewer), "<Control>0"));
  g_assert_cmpfloat_with_epsilon (esa_viewer_get_zoom (viewer), fit, 1e-6);

  gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.zoom", "d", 2.0);
  g_assert_cmpfloat_with_epsilon (esa_viewer_get_zoom (viewer), 2.0, 1e-6);
  g_assert_true (wait_for (viewer_settled, viewer));
  g_assert_cmpint (gtk_widget_get_width (page), ==, (int) (PAGE_WIDTH * 2.0 * 96.0 / 72.0 + 0.5));

  /* Scrolling to the last page makes it current and renders it. */
  esa_viewer_scroll_to_page (viewer, 2);
  g_assert_true (wait_for (viewer_settled, viewer));
  g_assert_cmpuint (esa_viewer_get_current_page (viewer), ==, 2);
  g_assert_true (esa_viewer_page_get_rendered (ESA_VIEWER_PAGE (_esa_viewer_get_page (viewer,
                                                                                       2))));

  gtk_window_destroy (window);
}

static void
test_thumbnails (void)
{
  GtkWindow *window;
  EsaViewer *viewer = new_viewer_window (&window);
  GtkListView *thumbnails;
  GtkSelectionModel *model;

  load_and_wait (viewer, valid_pdf);

  /* A document of several pages opens with its thumbnails. */
  g_assert_true (esa_viewer_get_show_thumbnails (viewer));
  g_assert_true (_esa_viewer_get_thumbnails_shown (viewer));
  thumbnails = GTK_LIST_VIEW (_esa_viewer_get_thumbnails (viewer));
  model = gtk_list_view_get_model (thumbnails);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 3);
  g_assert_true (gtk_selection_model_is_selected (model, 0));

  /* Choosing a thumbnail goes to its page. */
  g_signal_emit_by_name (thumbnails, "activate", 2);
  g_assert_true (wait_for (viewer_settled, viewer));
  g_assert_cmpuint (esa_viewer_get_current_page (viewer), ==, 2);
  g_assert_true (gtk_selection_model_is_selected (model, 2));

  /* F9 hides them and shows them again. */
  g_assert_true (activate_shortcut (GTK_WIDGET (viewer), "F9"));
  g_assert_false (esa_viewer_get_show_thumbnails (viewer));
  g_assert_true (activate_shortcut (GTK_WIDGET (viewer), "F9"));
  g_assert_true (esa_viewer_get_show_thumbnails (viewer));

  gtk_window_destroy (window);
}

static gboolean
has_matches (gpointer data)
{
  EsaViewer *viewer = data;

  return viewer_settled (viewer) && _esa_viewer_get_n_matches (viewer) > 0;
}

static void
test_find (void)
{
  GtkWindow *window;
  EsaViewer *viewer = new_viewer_window (&window);
  guint page = G_MAXUINT;

  load_and_wait (viewer, valid_pdf);

  /* Ctrl+F opens the find bar with the focus in its entry. */
  g_assert_true (activate_shortcut (GTK_WIDGET (viewer), "<Control>f"));
  g_assert_true (gtk_widget_has_focus (_esa_viewer_get_find_entry (viewer))
                 || gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)),
                                            _esa_viewer_get_find_entry (viewer)));

  esa_viewer_find (viewer, "Needle");
  g_assert_true (wait_for (has_matches, viewer));
  g_assert_cmpuint (_esa_viewer_get_n_matches (viewer), ==, 3);
  g_assert_cmpint (_esa_viewer_get_current_match (viewer, &page), ==, 0);
  g_assert_cmpuint (page, ==, 0);

  /* Next goes on to the third page, and round to the first again. */
  gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.find-next", NULL);
  g_assert_cmpint (_esa_viewer_get_current_match (viewer, &page), ==, 1);
  g_assert_cmpuint (page, ==, 2);
  g_assert_true (wait_for (viewer_settled, viewer));
  g_assert_cmpuint (esa_viewer_get_current_page (viewer), ==, 2);
  gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.find-next", NULL);
  gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.find-next", NULL);
  g_assert_cmpint (_esa_viewer_get_current_match (viewer, &page), ==, 0);
  g_assert_cmpuint (page, ==, 0);
  gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.find-previous", NULL);
  g_assert_cmpint (_esa_viewer_get_current_match (viewer, &page), ==, 2);
  g_assert_cmpuint (page, ==, 2);

  /* Text that is not there finds nothing. */
  esa_viewer_find (viewer, "haystack");
  g_assert_true (wait_for (viewer_settled, viewer));
  g_assert_cmpuint (_esa_viewer_get_n_matches (viewer), ==, 0);
  g_assert_cmpint (_esa_viewer_get_current_match (viewer, &page), ==, -1);

  gtk_window_destroy (window);
}

static void
assert_error_page (const char *path,
                   const char *reason)
{
  GtkWindow *window;
  EsaViewer *viewer = new_viewer_window (&window);
  g_autofree char *name = g_path_get_basename (path);
  const char *text;

  load_and_wait (viewer, path);

  g_assert_cmpstr (_esa_viewer_get_state (viewer), ==, "error");
  g_assert_cmpstr (_esa_viewer_get_error_title (viewer), ==, "Cannot Show This Document");
  text = _esa_viewer_get_error_text (viewer);
  g_assert_nonnull (strstr (text, name));
  g_assert_nonnull (strstr (text, reason));
  g_assert_cmpuint (esa_viewer_get_n_pages (viewer), ==, 0);

  gtk_window_destroy (window);
}

static void
test_truncated_pdf (void)
{
  assert_error_page (truncated_pdf, "cut short");
}

static void
test_random_bytes (void)
{
  assert_error_page (random_pdf, "not a PDF document");
}

static void
test_broken_image (void)
{
  assert_error_page (broken_png, "damaged or is not an image");
}

static void
test_missing_file (void)
{
  g_autofree char *missing = g_build_filename (tmp_dir, "missing.pdf", NULL);

  assert_error_page (missing, "cannot be read");
}

static void
test_image (void)
{
  GtkWindow *window;
  EsaViewer *viewer = new_viewer_window (&window);
  GtkWidget *page;

  load_and_wait (viewer, scan_png);

  g_assert_cmpstr (_esa_viewer_get_state (viewer), ==, "document");
  g_assert_cmpuint (esa_viewer_get_n_pages (viewer), ==, 1);
  /* One page needs no thumbnails. */
  g_assert_false (esa_viewer_get_show_thumbnails (viewer));

  page = _esa_viewer_get_page (viewer, 0);
  g_assert_true (esa_viewer_page_get_rendered (ESA_VIEWER_PAGE (page)));
  /* Fitted to the width, the scan keeps its proportions (600 x 800). */
  g_assert_cmpint (ABS (gtk_widget_get_height (page) * 3 - gtk_widget_get_width (page) * 4), <=,
                   4);
  g_assert_cmpuint (count_ink (page), >, 100);

  gtk_window_destroy (window);
}

static void
test_print (void)
{
  GtkWindow *window;
  EsaViewer *viewer = new_viewer_window (&window);
  g_autofree char *printed = g_build_filename (tmp_dir, "printed.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PopplerDocument) document = NULL;
  g_autoptr(PopplerPage) page = NULL;
  g_autofree char *text = NULL;

  load_and_wait (viewer, valid_pdf);

  /* The print operation, run into a file instead of to a printer. */
  g_assert_true (_esa_viewer_export_pdf (viewer, printed, &error));
  g_assert_no_error (error);

  document = open_pdf (printed);
  g_assert_cmpint (poppler_document_get_n_pages (document), ==, 3);
  page = poppler_document_get_page (document, 2);
  text = poppler_page_get_text (page);
  g_assert_nonnull (strstr (text, "needle and needle again"));

  gtk_window_destroy (window);
}

static void
on_document_added (EsaViewer  *viewer,
                   const char *id,
                   char      **added)
{
  g_free (*added);
  *added = g_strdup (id);
}

static gboolean
is_set (gpointer data)
{
  return *(char **) data != NULL;
}

static const EsaDocument *
find_document (EsaDossier *dossier,
               const char *id)
{
  for (guint i = 0; dossier->documents != NULL && i < dossier->documents->len; i++)
    {
      const EsaDocument *document = g_ptr_array_index (dossier->documents, i);

      if (g_strcmp0 (document->id, id) == 0)
        return document;
    }

  return NULL;
}

static void
test_form (void)
{
  GtkWindow *window;
  EsaViewer *viewer = new_viewer_window (&window);
  g_autoptr(GFile) file = g_file_new_for_path (form_pdf);
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaDossier) dossier = NULL;
  g_autoptr(GFile) saved = NULL;
  g_autoptr(PopplerDocument) document = NULL;
  g_autofree char *added = NULL;
  g_autofree char *saved_path = NULL;
  const EsaDocument *row;
  GtkWidget *name;
  GtkWidget *agree;
  GtkWidget *city;
  int checked = 0;

  esa_viewer_set_dossier (viewer, store, debtor_id, NULL);
  esa_viewer_load_file (viewer, file, NULL);
  g_assert_true (wait_for (viewer_settled, viewer));
  g_assert_cmpstr (_esa_viewer_get_state (viewer), ==, "document");
  g_assert_true (_esa_viewer_get_forms_bar_shown (viewer));

  /* Each field has its widget, showing the value in the PDF. */
  name = _esa_viewer_get_field_widget (viewer, "name");
  agree = _esa_viewer_get_field_widget (viewer, "agree");
  city = _esa_viewer_get_field_widget (viewer, "city");
  g_assert_true (GTK_IS_ENTRY (name));
  g_assert_true (GTK_IS_CHECK_BUTTON (agree));
  g_assert_true (GTK_IS_DROP_DOWN (city));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name)), ==, "Mario");
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (agree)));
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (city)), ==, 0);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (name), ==, "Full name");

  /* The entry lies over the field's rectangle (100..400 x 118..142 points
   * from the top), scaled with the page. */
  {
    GtkWidget *page = _esa_viewer_get_page (viewer, 0);
    double scale = esa_viewer_page_get_scale (ESA_VIEWER_PAGE (page));
    graphene_rect_t bounds;

    g_assert_true (gtk_widget_compute_bounds (name, page, &bounds));
    g_assert_cmpfloat (ABS (bounds.origin.x - 100.0 * scale), <=, 1.0);
    g_assert_cmpfloat (ABS (bounds.size.width - 300.0 * scale), <=, 1.0);
    g_assert_cmpfloat (ABS (bounds.origin.y + bounds.size.height / 2.0 - 130.0 * scale), <=,
                       1.0);
  }

  /* Filled in as a person would. */
  gtk_editable_set_text (GTK_EDITABLE (name), "Luigi Bianchi");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (agree), TRUE);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (city), 2);

  g_signal_connect (viewer, "document-added", G_CALLBACK (on_document_added), &added);
  gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.save-filled-copy", NULL);
  g_assert_true (wait_for (is_set, &added));

  /* The copy is a document of the dossier, its file in the attachments. */
  dossier = esa_store_load_dossier (store, debtor_id, &error);
  g_assert_no_error (error);
  row = find_document (dossier, added);
  g_assert_nonnull (row);
  g_assert_cmpstr (row->title, ==, "form (filled in)");
  g_assert_cmpstr (row->mime_type, ==, "application/pdf");
  g_assert_cmpint (row->size, >, 0);

  saved = esa_viewer_get_document_file (store, row, &error);
  g_assert_no_error (error);
  saved_path = g_file_get_path (saved);
  g_assert_true (g_str_has_prefix (saved_path, tmp_dir));

  /* poppler reads back what was typed, ticked and chosen. */
  document = open_pdf (saved_path);
  for (int i = 0; i < poppler_document_get_n_pages (document); i++)
    {
      g_autoptr(PopplerPage) page = poppler_document_get_page (document, i);
      GList *mappings = poppler_page_get_form_field_mapping (page);

      for (GList *l = mappings; l != NULL; l = l->next)
        {
          PopplerFormField *field = ((PopplerFormFieldMapping *) l->data)->field;
          g_autofree char *field_name = poppler_form_field_get_name (field);
          g_autofree char *text = NULL;

          if (g_str_equal (field_name, "name"))
            {
              text = poppler_form_field_text_get_text (field);
              g_assert_cmpstr (text, ==, "Luigi Bianchi");
              checked++;
            }
          else if (g_str_equal (field_name, "agree"))
            {
              g_assert_true (poppler_form_field_button_get_state (field));
              checked++;
            }
          else if (g_str_equal (field_name, "city"))
            {
              g_assert_true (poppler_form_field_choice_is_item_selected (field, 2));
              g_assert_false (poppler_form_field_choice_is_item_selected (field, 0));
              checked++;
            }
        }
      poppler_page_free_form_field_mapping (mappings);
    }
  g_assert_cmpint (checked, ==, 3);

  gtk_window_destroy (window);
}

/* The first descendant of @widget that accepts dropped files. */
static GtkDropTarget *
find_file_drop_target (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        {
          gsize n_types;
          const GType *types = gtk_drop_target_get_gtypes (GTK_DROP_TARGET (controller),
                                                           &n_types);

          for (gsize j = 0; j < n_types; j++)
            if (types[j] == GDK_TYPE_FILE_LIST)
              return GTK_DROP_TARGET (controller);
        }
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkDropTarget *target = find_file_drop_target (child);

      if (target != NULL)
        return target;
    }

  return NULL;
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

typedef struct
{
  GtkWidget *documents;   /* the Documents page's column view */
  guint      expected;
} RowsWait;

static gboolean
shows_rows (gpointer data)
{
  RowsWait *wait = data;
  GtkSelectionModel *model = gtk_column_view_get_model (GTK_COLUMN_VIEW (wait->documents));

  return model != NULL && g_list_model_get_n_items (G_LIST_MODEL (model)) == wait->expected;
}

static gboolean
has_two_tabs (gpointer data)
{
  return adw_tab_view_get_n_pages (_esa_window_get_tab_view (ESA_WINDOW (data))) == 2;
}

static void
test_dossier_documents (void)
{
  EsaWindow *window = esa_window_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaDossier) before = NULL;
  g_autoptr(GFile) pdf = g_file_new_for_path (valid_pdf);
  g_autoptr(GFile) scan = g_file_new_for_path (scan_png);
  GFile *files[2] = { pdf, scan };
  GValue value = G_VALUE_INIT;
  AdwTabView *tab_view;
  GtkWidget *page;
  GtkDropTarget *target;
  GtkSelectionModel *model;
  RowsWait rows;
  gboolean dropped = FALSE;
  guint pdf_row = G_MAXUINT;
  EsaViewer *viewer;
  AdwTabPage *viewer_tab;

  before = esa_store_load_dossier (store, debtor_id, &error);
  g_assert_no_error (error);

  esa_window_set_fixed_size (window, 1280, 800);
  esa_window_open_database (window, db_path, FALSE);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (esa_window_open_dossier (window, debtor_id, &error));
  g_assert_no_error (error);
  g_assert_true (wait_for (window_settled, window));

  tab_view = _esa_window_get_tab_view (window);
  page = adw_tab_page_get_child (adw_tab_view_get_selected_page (tab_view));
  g_assert_true (ESA_IS_DOSSIER_PAGE (page));
  g_object_set (page, "view", "documents", NULL);

  /* Two files dropped on the Documents page become two documents. */
  target = find_file_drop_target (page);
  g_assert_nonnull (target);
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_array (files, 2));
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &dropped);
  g_value_unset (&value);
  g_assert_true (dropped);

  /* The Documents table is the one under the drop target's widget. */
  rows.documents = find_descendant (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (target)),
                                    GTK_TYPE_COLUMN_VIEW);
  rows.expected = before->documents->len + 2;
  g_assert_true (wait_for (shows_rows, &rows));

  /* Opening the PDF's row shows it in a viewer tab beside the dossier. */
  model = gtk_column_view_get_model (GTK_COLUMN_VIEW (rows.documents));
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (model), i);
      const EsaDocument *document = g_object_get_data (item, "esa-document");

      if (document != NULL && g_strcmp0 (document->title, "valid.pdf") == 0)
        pdf_row = i;
    }
  g_assert_cmpuint (pdf_row, !=, G_MAXUINT);

  g_signal_emit_by_name (rows.documents, "activate", pdf_row);
  g_assert_true (wait_for (has_two_tabs, window));
  viewer_tab = adw_tab_view_get_selected_page (tab_view);
  g_assert_true (ESA_IS_VIEWER (adw_tab_page_get_child (viewer_tab)));
  viewer = ESA_VIEWER (adw_tab_page_get_child (viewer_tab));
  g_assert_true (wait_for (window_settled, window));
  g_assert_true (wait_for (viewer_settled, viewer));
  g_assert_cmpstr (adw_tab_page_get_title (viewer_tab), ==, "valid.pdf");
  g_assert_cmpstr (_esa_viewer_get_state (viewer), ==, "document");
  g_assert_cmpuint (esa_viewer_get_n_pages (viewer), ==, 3);

  /* The same document again selects its tab rather than opening another. */
  adw_tab_view_set_selected_page (tab_view, adw_tab_view_get_nth_page (tab_view, 0));
  g_signal_emit_by_name (rows.documents, "activate", pdf_row);
  g_assert_cmpint (adw_tab_view_get_n_pages (tab_view), ==, 2);
  g_assert_true (adw_tab_view_get_selected_page (tab_view) == viewer_tab);

  /* A file named on the command line opens as well. */
  g_assert_true (esa_window_open_document (window, form_pdf, &error));
  g_assert_no_error (error);
  g_assert_cmpint (adw_tab_view_get_n_pages (tab_view), ==, 3);
  g_assert_false (esa_window_open_document (window, "no-such-document", &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_NOT_FOUND);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* ---- main --------------------------------------------------------------- */

static void
pick_debtor (void)
{
  const char *probes[] = { "a", "e", "i", "o", "r", NULL };

  for (guint p = 0; probes[p] != NULL && debtor_id == NULL; p++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) hits = esa_store_search (store, probes[p], 10, 0, NULL, &error);

      g_assert_no_error (error);
      if (hits->len > 0)
        debtor_id = g_strdup (((EsaSearchHit *) g_ptr_array_index (hits, 0))->debtor_id);
    }

  g_assert_nonnull (debtor_id);
}

static void
make_database (void)
{
  g_autoptr(GError) error = NULL;
  EsaDemoOptions options;

  db_path = g_build_filename (tmp_dir, "viewer.db", NULL);
  store = esa_store_open (db_path, &error);
  g_assert_no_error (error);

  esa_demo_options_init (&options);
  options.debtors = 20;
  options.seed = 3;
  options.today = "2026-11-23";
  esa_demo_generate (store, &options, &error);
  g_assert_no_error (error);

  pick_debtor ();
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cache_home = NULL;
  g_autofree char *data_home = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("esattore-viewer-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  cache_home = g_build_filename (tmp_dir, "cache", NULL);
  data_home = g_build_filename (tmp_dir, "data", NULL);
  g_setenv ("XDG_CACHE_HOME", cache_home, TRUE);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  gtk_init ();
  adw_init ();

  valid_pdf = g_build_filename (tmp_dir, "valid.pdf", NULL);
  truncated_pdf = g_build_filename (tmp_dir, "truncated.pdf", NULL);
  random_pdf = g_build_filename (tmp_dir, "random.pdf", NULL);
  scan_png = g_build_filename (tmp_dir, "scan.png", NULL);
  broken_png = g_build_filename (tmp_dir, "broken.png", NULL);
  form_pdf = g_build_filename (tmp_dir, "form.pdf", NULL);

  make_valid_pdf ();
  make_damaged_files ();
  make_scan ();
  make_form_pdf ();
  make_database ();

  g_test_add_func ("/viewer/pdf-pages-and-zoom", test_pdf_pages_and_zoom);
  g_test_add_func ("/viewer/thumbnails", test_thumbnails);
  g_test_add_func ("/viewer/find", test_find);
  g_test_add_func ("/viewer/truncated-pdf", test_truncated_pdf);
  g_test_add_func ("/viewer/random-bytes", test_random_bytes);
  g_test_add_func ("/viewer/broken-image", test_broken_image);
  g_test_add_func ("/viewer/missing-file", test_missing_file);
  g_test_add_func ("/viewer/image", test_image);
  g_test_add_func ("/viewer/print", test_print);
  g_test_add_func ("/viewer/form", test_form);
  g_test_add_func ("/viewer/dossier-documents", test_dossier_documents);

  status = g_test_run ();

  g_clear_object (&store);
  remove_tree (tmp_dir);
  g_free (tmp_dir);
  g_free (db_path);
  g_free (debtor_id);
  g_free (valid_pdf);
  g_free (truncated_pdf);
  g_free (random_pdf);
  g_free (scan_png);
  g_free (broken_png);
  g_free (form_pdf);
  return status;
}
