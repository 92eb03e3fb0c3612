#include "esa-config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "esa-viewer-document-private.h"

/* Renders larger than this many pixels are made at a lower resolution and
 * scaled up when shown: a page at 400 % on a high-density screen would
 * otherwise cost hundreds of megabytes. */
#define MAX_RENDER_PIXELS (4096.0 * 4096.0)

/* PDF readers look for the "%PDF-" header in the first kilobyte of a file,
 * and for the "%%EOF" marker in its last kilobyte. */
#define MARKER_RANGE 1024

/* Images have no size in points; shown at 96 dots per inch, 100 % shows
 * them pixel for pixel. */
#define IMAGE_POINTS_PER_PIXEL (72.0 / 96.0)

struct _EsaViewerDocument
{
  GObject          parent_instance;

  char            *title;
  GBytes          *bytes;       /* what poppler reads; must outlive it */
  PopplerDocument *poppler;     /* NULL for an image */
  GdkTexture      *image;       /* NULL for a PDF */
  GArray          *page_sizes;  /* graphene_size_t, points */
  GPtrArray       *page_labels; /* char * */
  GPtrArray       *fields;      /* EsaViewerField */

  GMutex           lock;
  GThreadPool     *pool;
  guint64          next_sequence;
  guint            pending;     /* renders not yet delivered (main thread) */
};

G_DEFINE_FINAL_TYPE (EsaViewerDocument, esa_viewer_document, G_TYPE_OBJECT)
G_DEFINE_QUARK (esa-viewer-error-quark, esa_viewer_error)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef enum
{
  JOB_RENDER,
  JOB_FIND,
} JobKind;

/* A piece of work for the document's worker thread. */
typedef struct
{
  JobKind  kind;
  int      priority;
  guint64  sequence;
  GTask   *task;
  guint    page;
  double   scale;
  char    *text;
} Job;

typedef struct
{
  GFile  *file;
  GBytes *bytes;
  char   *title;
} LoadData;

/* ---- helpers ------------------------------------------------------------ */

static void
field_free (EsaViewerField *field)
{
  g_clear_object (&field->field);
  g_free (field->name);
  g_free (field);
}

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->file);
  g_clear_pointer (&data->bytes, g_bytes_unref);
  g_free (data->title);
  g_free (data);
}

/* Whether @needle occurs in @haystack; the data may hold zero bytes, which
 * rules out the string functions. */
static gboolean
contains (const guint8 *haystack,
          gsize         length,
          const char   *needle)
{
  gsize needle_length = strlen (needle);

  for (gsize i = 0; i + needle_length <= length; i++)
    if (memcmp (haystack + i, needle, needle_length) == 0)
      return TRUE;

  return FALSE;
}

static gboolean
has_pdf_header (GBytes *bytes)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  return contains (data, MIN (size, MARKER_RANGE), "%PDF-");
}

static gboolean
has_pdf_end (GBytes *bytes)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  gsize tail = MIN (size, MARKER_RANGE);

  return contains (data + size - tail, tail, "%%EOF");
}

static int
compare_fields (gconstpointer a,
                gconstpointer b)
{
  const EsaViewerField *x = *(EsaViewerField * const *) a;
  const EsaViewerField *y = *(EsaViewerField * const *) b;

  /* Reading order, which is also the order Tab walks through them. */
  if (x->page != y->page)
    return x->page < y->page ? -1 : 1;
  if (fabsf (x->area.origin.y - y->area.origin.y) >= 1.0f)
    return x->area.origin.y < y->area.origin.y ? -1 : 1;
  if (x->area.origin.x != y->area.origin.x)
    return x->area.origin.x < y->area.origin.x ? -1 : 1;
  return 0;
}

/* ---- opening (worker thread) -------------------------------------------- */

static void
read_fields (EsaViewerDocument *self,
             PopplerPage       *page,
             guint              index,
             double             page_height)
{
  GList *mappings = poppler_page_get_form_field_mapping (page);

  for (GList *l = mappings; l != NULL; l = l->next)
    {
      PopplerFormFieldMapping *mapping = l->data;
      EsaViewerField *field = g_new0 (EsaViewerField, 1);

      field->field = g_object_ref (mapping->field);
      field->name = poppler_form_field_get_name (mapping->field);
      field->page = index;
      /* poppler measures from the bottom left corner, as PDF does. */
      graphene_rect_init (&field->area,
                          mapping->area.x1,
                          page_height - mapping->area.y2,
                          mapping->area.x2 - mapping->area.x1,
                          mapping->area.y2 - mapping->area.y1);
      g_ptr_array_add (self->fields, field);
    }

  poppler_page_free_form_field_mapping (mappings);
}

static gboolean
open_pdf (EsaViewerDocument  *self,
          GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  int n_pages;

  self->poppler = poppler_document_new_from_bytes (self->bytes, NULL, &local_error);
  if (self->poppler == NULL)
    {
      if (g_error_matches (local_error, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
        g_set_error (error, ESA_VIEWER_ERROR, ESA_VIEWER_ERROR_ENCRYPTED,
                     _("“%s” is protected by a password, and Esattore cannot open protected "
                       "documents."),
                     self->title);
      else if (!has_pdf_end (self->bytes))
        g_set_error (error, ESA_VIEWER_ERROR, ESA_VIEWER_ERROR_TRUNCATED,
                     _("“%s” is cut short: the end of the PDF is missing, as happens when a "
                       "copy or a download stops halfway."),
                     self->title);
      else
        /* Translators: the second %s is poppler's own explanation. */
        g_set_error (error, ESA_VIEWER_ERROR, ESA_VIEWER_ERROR_DAMAGED,
                     _("“%s” is damaged and cannot be read (%s)."),
                     self->title, local_error->message);
      return FALSE;
    }

  n_pages = poppler_document_get_n_pages (self->poppler);
  if (n_pages <= 0)
    {
      g_set_error (error, ESA_VIEWER_ERROR, ESA_VIEWER_ERROR_EMPTY,
                   _("“%s” has no pages."), self->title);
      return FALSE;
    }

  for (int i = 0; i < n_pages; i++)
    {
      g_autoptr(PopplerPage) page = poppler_document_get_page (self->poppler, i);
      graphene_size_t size = { 0, 0 };
      double width = 0.0;
      double height = 0.0;
      char *label = NULL;

      if (page != NULL)
        {
          poppler_page_get_size (page, &width, &height);
          label = poppler_page_get_label (page);
          read_fields (self, page, (guint) i, height);
        }

      /* A page without a usable size still gets a place in the view. */
      if (!(width > 0.0 && height > 0.0))
        {
          width = 595.0;
          height = 842.0;
        }
      graphene_size_init (&size, (float) width, (float) height);
      g_array_append_val (self->page_sizes, size);

      if (label == NULL || label[0] == '\0')
        {
          g_free (label);
          label = g_strdup_printf ("%d", i + 1);
        }
      g_ptr_array_add (self->page_labels, label);
    }

  g_ptr_array_sort (self->fields, compare_fields);
  return TRUE;
}

static gboolean
open_image (EsaViewerDocument  *self,
            GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  graphene_size_t size;

  self->image = gdk_texture_new_from_bytes (self->bytes, &local_error);
  if (self->image == NULL)
    {
      /* Translators: the second %s is the image loader's explanation. */
      g_set_error (error, ESA_VIEWER_ERROR, ESA_VIEWER_ERROR_DAMAGED,
                   _("“%s” is damaged or is not an image Esattore can read (%s)."),
                   self->title, local_error->message);
      return FALSE;
    }

  /* The texture holds the pixels; the file is not needed any more. */
  g_clear_pointer (&self->bytes, g_bytes_unref);

  graphene_size_init (&size,
                      (float) (gdk_texture_get_width (self->image) * IMAGE_POINTS_PER_PIXEL),
                      (float) (gdk_texture_get_height (self->image) * IMAGE_POINTS_PER_PIXEL));
  g_array_append_val (self->page_sizes, size);
  g_ptr_array_add (self->page_labels, g_strdup ("1"));
  return TRUE;
}

static gboolean
open_content (EsaViewerDocument  *self,
              GError            **error)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (self->bytes, &size);
  g_autofree char *content_type = NULL;
  g_autofree char *mime_type = NULL;
  g_autofree char *description = NULL;

  if (size == 0)
    {
      g_set_error (error, ESA_VIEWER_ERROR, ESA_VIEWER_ERROR_EMPTY,
                   _("“%s” is empty: the file holds no data."), self->title);
      return FALSE;
    }

  if (has_pdf_header (self->bytes))
    return open_pdf (self, error);

  content_type = g_content_type_guess (self->title, data, MIN (size, 4096), NULL);
  mime_type = g_content_type_get_mime_type (content_type);

  if (mime_type != NULL && g_str_has_prefix (mime_type, "image/"))
    return open_image (self, error);

  if (g_strcmp0 (mime_type, "application/pdf") == 0)
    {
      g_set_error (error, ESA_VIEWER_ERROR, ESA_VIEWER_ERROR_NOT_PDF,
                   _("“%s” is not a PDF document, although its name says so: it does not "
                     "begin the way every PDF does."),
                   self->title);
      return FALSE;
    }

  description = g_content_type_get_description (content_type);
  /* Translators: the second %s describes the kind of file ("plain text document"). */
  g_set_error (error, ESA_VIEWER_ERROR, ESA_VIEWER_ERROR_UNSUPPORTED,
               _("“%s” is a file of the kind “%s”, which Esattore cannot show. Open it "
                 "with another application."),
               self->title, description);
  return FALSE;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr(EsaViewerDocument) self = g_object_new (ESA_TYPE_VIEWER_DOCUMENT, NULL);
  g_autoptr(GError) error = NULL;

  self->title = g_strdup (data->title);

  if (data->bytes != NULL)
    {
      self->bytes = g_bytes_ref (data->bytes);
    }
  else
    {
      char *contents = NULL;
      gsize length = 0;

      if (!g_file_load_contents (data->file, cancellable, &contents, &length, NULL, &error))
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_task_return_error (task, g_steal_pointer (&error));
          else
            /* Translators: the second %s is the reason, from the file system. */
            g_task_return_new_error (task, ESA_VIEWER_ERROR, ESA_VIEWER_ERROR_UNREADABLE,
                                     _("“%s” cannot be read: %s"), self->title, error->message);
          return;
        }
      self->bytes = g_bytes_new_take (contents, length);
    }

  if (!open_content (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&self), g_object_unref);
}

/* ---- work (worker thread) ----------------------------------------------- */

static GdkTexture *
render_page (EsaViewerDocument  *self,
             guint               index,
             double              scale,
             GError            **error)
{
  const graphene_size_t *size = &g_array_index (self->page_sizes, graphene_size_t, index);
  double pixels = size->width * scale * size->height * scale;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  PopplerPage *page;
  GBytes *bytes;
  GdkTexture *texture;
  int width;
  int height;
  int stride;

  if (pixels > MAX_RENDER_PIXELS)
    scale *= sqrt (MAX_RENDER_PIXELS / pixels);

  width = MAX (1, (int) ceil (size->width * scale));
  height = MAX (1, (int) ceil (size->height * scale));

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  status = cairo_surface_status (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      g_set_error (error, ESA_VIEWER_ERROR, ESA_VIEWER_ERROR_DAMAGED,
                   _("Page %u of “%s” cannot be drawn: %s"),
                   index + 1, self->title, cairo_status_to_string (status));
      return NULL;
    }

  cr = cairo_create (surface);
  /* Paper is white whatever the style; PDFs leave the background to the
   * viewer. */
  cairo_set_source_rgb (cr, 1.0, 1.0, 1.0);
  cairo_paint (cr);
  cairo_scale (cr, width / size->width, height / size->height);

  g_mutex_lock (&self->lock);
  page = poppler_document_get_page (self->poppler, (int) index);
  if (page != NULL)
    {
      poppler_page_render (page, cr);
      g_object_unref (page);
    }
  g_mutex_unlock (&self->lock);

  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      g_set_error (error, ESA_VIEWER_ERROR, ESA_VIEWER_ERROR_DAMAGED,
                   _("Page %u of “%s” cannot be drawn: %s"),
                   index + 1, self->title, cairo_status_to_string (status));
      return NULL;
    }

  /* Cairo's ARGB32 is GDK's default memory format, so the texture takes the
   * pixels as they are; the bytes keep the surface alive. */
  stride = cairo_image_surface_get_stride (surface);
  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                      (gsize) stride * (gsize) height,
                                      (GDestroyNotify) cairo_surface_destroy, surface);
  texture = gdk_memory_texture_new (width, height, GDK_MEMORY_DEFAULT, bytes, (gsize) stride);
  g_bytes_unref (bytes);

  return texture;
}

static GPtrArray *
find_text (EsaViewerDocument  *self,
           const char         *text,
           GCancellable       *cancellable,
           GError            **error)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);

  for (guint i = 0; i < self->page_sizes->len; i++)
    {
      const graphene_size_t *size = &g_array_index (self->page_sizes, graphene_size_t, i);
      GArray *rects = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));
      PopplerPage *page;
      GList *matches = NULL;

      g_ptr_array_add (results, rects);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      g_mutex_lock (&self->lock);
      page = poppler_document_get_page (self->poppler, (int) i);
      if (page != NULL)
        {
          matches = poppler_page_find_text (page, text);
          g_object_unref (page);
        }
      g_mutex_unlock (&self->lock);

      for (GList *l = matches; l != NULL; l = l->next)
        {
          PopplerRectangle *match = l->data;
          graphene_rect_t rect;

          /* From PDF's bottom left origin to the top left one of the view. */
          graphene_rect_init (&rect,
                              (float) match->x1,
                              (float) (size->height - match->y2),
                              (float) (match->x2 - match->x1),
                              (float) (match->y2 - match->y1));
          g_array_append_val (rects, rect);
        }
      g_list_free_full (matches, (GDestroyNotify) poppler_rectangle_free);
    }

  return g_steal_pointer (&results);
}

static gboolean
drop_task (gpointer data)
{
  g_object_unref (data);
  return G_SOURCE_REMOVE;
}

static void
job_free (Job *job)
{
  g_free (job->text);
  g_free (job);
}

static void
run_job (gpointer data,
         gpointer user_data)
{
  Job *job = data;
  EsaViewerDocument *self = user_data;
  GCancellable *cancellable = g_task_get_cancellable (job->task);
  g_autoptr(GError) error = NULL;

  /* Pages scrolled past before their turn came are not rendered at all. */
  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      g_task_return_error (job->task, g_steal_pointer (&error));
    }
  else if (job->kind == JOB_RENDER)
    {
      GdkTexture *texture = render_page (self, job->page, job->scale, &error);

      if (texture != NULL)
        g_task_return_pointer (job->task, texture, g_object_unref);
      else
        g_task_return_error (job->task, g_steal_pointer (&error));
    }
  else
    {
      GPtrArray *results = find_text (self, job->text, cancellable, &error);

      if (results != NULL)
        g_task_return_pointer (job->task, results, (GDestroyNotify) g_ptr_array_unref);
      else
        g_task_return_error (job->task, g_steal_pointer (&error));
    }

  /* The task holds the document; its last reference must go on the main
   * thread, so that the document (and this pool) never finalizes here. */
  g_main_context_invoke_full (g_task_get_context (job->task), G_PRIORITY_DEFAULT_IDLE,
                              drop_task, job->task, NULL);
  job_free (job);
}

static int
compare_jobs (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  const Job *x = a;
  const Job *y = b;

  if (x->priority != y->priority)
    return x->priority < y->priority ? -1 : 1;
  return x->sequence < y->sequence ? -1 : (x->sequence > y->sequence ? 1 : 0);
}

static void
queue_job (EsaViewerDocument *self,
           Job               *job)
{
  job->sequence = self->next_sequence++;
  g_thread_pool_push (self->pool, job, NULL);
}

/* ---- GObject ------------------------------------------------------------ */

static void
esa_viewer_document_finalize (GObject *object)
{
  EsaViewerDocument *self = ESA_VIEWER_DOCUMENT (object);

  /* Every job holds the document, so none is left by now. */
  g_thread_pool_free (self->pool, TRUE, FALSE);

  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_clear_object (&self->poppler);
  g_clear_object (&self->image);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->page_sizes, g_array_unref);
  g_clear_pointer (&self->page_labels, g_ptr_array_unref);
  g_free (self->title);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (esa_viewer_document_parent_class)->finalize (object);
}

static void
esa_viewer_document_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  EsaViewerDocument *self = ESA_VIEWER_DOCUMENT (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, esa_viewer_document_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esa_viewer_document_class_init (EsaViewerDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = esa_viewer_document_finalize;
  object_class->get_property = esa_viewer_document_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
esa_viewer_document_init (EsaViewerDocument *self)
{
  g_mutex_init (&self->lock);
  self->page_sizes = g_array_new (FALSE, FALSE, sizeof (graphene_size_t));
  self->page_labels = g_ptr_array_new_with_free_func (g_free);
  self->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) field_free);

  /* One thread: poppler is then used by one thread at a time for rendering
   * and finding, and the lock only has to cover the main thread's uses. */
  self->pool = g_thread_pool_new (run_job, self, 1, FALSE, NULL);
  g_thread_pool_set_sort_function (self->pool, compare_jobs, NULL);
}

/* ---- public API --------------------------------------------------------- */

void
esa_viewer_document_load_async (GFile               *file,
                                GBytes              *bytes,
                                const char          *title,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;

  g_return_if_fail (file == NULL || G_IS_FILE (file));
  g_return_if_fail (file != NULL || bytes != NULL);
  g_return_if_fail (title != NULL);

  data = g_new0 (LoadData, 1);
  data->file = file != NULL ? g_object_ref (file) : NULL;
  data->bytes = bytes != NULL ? g_bytes_ref (bytes) : NULL;
  data->title = g_strdup (title);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, esa_viewer_document_load_async);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_thread);
}

EsaViewerDocument *
esa_viewer_document_load_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
esa_viewer_document_get_title (EsaViewerDocument *self)
{
  g_return_val_if_fail (ESA_IS_VIEWER_DOCUMENT (self), NULL);

  return self->title;
}

gboolean
esa_viewer_document_is_pdf (EsaViewerDocument *self)
{
  g_return_val_if_fail (ESA_IS_VIEWER_DOCUMENT (self), FALSE);

  return self->poppler != NULL;
}

guint
esa_viewer_document_get_n_pages (EsaViewerDocument *self)
{
  g_return_val_if_fail (ESA_IS_VIEWER_DOCUMENT (self), 0);

  return self->page_sizes->len;
}

void
esa_viewer_document_get_page_size (EsaViewerDocument *self,
                                   guint              index,
                                   double            *width,
                                   double            *height)
{
  const graphene_size_t *size;

  g_return_if_fail (ESA_IS_VIEWER_DOCUMENT (self));
  g_return_if_fail (index < self->page_sizes->len);

  size = &g_array_index (self->page_sizes, graphene_size_t, index);
  if (width != NULL)
    *width = size->width;
  if (height != NULL)
    *height = size->height;
}

const char *
esa_viewer_document_get_page_label (EsaViewerDocument *self,
                                    guint              index)
{
  g_return_val_if_fail (ESA_IS_VIEWER_DOCUMENT (self), NULL);
  g_return_val_if_fail (index < self->page_labels->len, NULL);

  return g_ptr_array_index (self->page_labels, index);
}

gboolean
esa_viewer_document_get_busy (EsaViewerDocument *self)
{
  g_return_val_if_fail (ESA_IS_VIEWER_DOCUMENT (self), FALSE);

  return self->pending > 0;
}

static void
on_render_completed (GTask             *task,
                     GParamSpec        *pspec,
                     EsaViewerDocument *self)
{
  g_return_if_fail (self->pending > 0);

  self->pending--;
  if (self->pending == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

void
esa_viewer_document_render_async (EsaViewerDocument   *self,
                                  guint                index,
                                  double               scale,
                                  int                  priority,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;
  Job *job;

  g_return_if_fail (ESA_IS_VIEWER_DOCUMENT (self));
  g_return_if_fail (index < self->page_sizes->len);
  g_return_if_fail (scale > 0.0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, esa_viewer_document_render_async);

  self->pending++;
  if (self->pending == 1)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  /* "completed" is notified on the main thread once the callback ran. */
  g_signal_connect_object (task, "notify::completed", G_CALLBACK (on_render_completed), self,
                           0);

  if (self->image != NULL)
    {
      g_task_return_pointer (task, g_object_ref (self->image), g_object_unref);
      g_object_unref (task);
      return;
    }

  job = g_new0 (Job, 1);
  job->kind = JOB_RENDER;
  job->priority = priority;
  job->task = task;
  job->page = index;
  job->scale = scale;
  queue_job (self, job);
}

GdkTexture *
esa_viewer_document_render_finish (EsaViewerDocument  *self,
                                   GAsyncResult       *result,
                                   GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
esa_viewer_document_find_async (EsaViewerDocument   *self,
                                const char          *text,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  Job *job;

  g_return_if_fail (ESA_IS_VIEWER_DOCUMENT (self));
  g_return_if_fail (text != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, esa_viewer_document_find_async);

  if (self->poppler == NULL)
    {
      /* An image has no text to find. */
      GPtrArray *results = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);

      for (guint i = 0; i < self->page_sizes->len; i++)
        g_ptr_array_add (results, g_array_new (FALSE, FALSE, sizeof (graphene_rect_t)));
      g_task_return_pointer (task, results, (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
      return;
    }

  job = g_new0 (Job, 1);
  job->kind = JOB_FIND;
  /* Finding matters more than rendering pages ahead of the scrolling. */
  job->priority = G_MININT;
  job->task = task;
  job->text = g_strdup (text);
  queue_job (self, job);
}

GPtrArray *
esa_viewer_document_find_finish (EsaViewerDocument  *self,
                                 GAsyncResult       *result,
                                 GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
esa_viewer_document_draw_for_printing (EsaViewerDocument *self,
                                       guint              index,
                                       cairo_t           *cr,
                                       double             width,
                                       double             height)
{
  const graphene_size_t *size;
  double scale;

  g_return_if_fail (ESA_IS_VIEWER_DOCUMENT (self));
  g_return_if_fail (index < self->page_sizes->len);

  size = &g_array_index (self->page_sizes, graphene_size_t, index);
  scale = MIN (width / size->width, height / size->height);

  cairo_save (cr);
  cairo_translate (cr, (width - size->width * scale) / 2.0, (height - size->height * scale) / 2.0);
  cairo_scale (cr, scale, scale);

  if (self->poppler != NULL)
    {
      PopplerPage *page;

      g_mutex_lock (&self->lock);
      page = poppler_document_get_page (self->poppler, (int) index);
      if (page != NULL)
        {
          poppler_page_render_for_printing (page, cr);
          g_object_unref (page);
        }
      g_mutex_unlock (&self->lock);
    }
  else
    {
      int image_width = gdk_texture_get_width (self->image);
      int image_height = gdk_texture_get_height (self->image);
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                                             image_width, image_height);

      if (cairo_surface_status (surface) == CAIRO_STATUS_SUCCESS)
        {
          gdk_texture_download (self->image, cairo_image_surface_get_data (surface),
                                (gsize) cairo_image_surface_get_stride (surface));
          cairo_surface_mark_dirty (surface);
          cairo_scale (cr, size->width / image_width, size->height / image_height);
          cairo_set_source_surface (cr, surface, 0, 0);
          cairo_paint (cr);
        }
      cairo_surface_destroy (surface);
    }

  cairo_restore (cr);
}

/* ---- private API -------------------------------------------------------- */

GPtrArray *
_esa_viewer_document_get_fields (EsaViewerDocument *self)
{
  return self->fields;
}

void
_esa_viewer_document_lock (EsaViewerDocument *self)
{
  g_mutex_lock (&self->lock);
}

void
_esa_viewer_document_unlock (EsaViewerDocument *self)
{
  g_mutex_unlock (&self->lock);
}

gboolean
_esa_viewer_document_save (EsaViewerDocument  *self,
                           GFile              *file,
                           GError            **error)
{
  g_autofree char *uri = g_file_get_uri (file);
  gboolean saved;

  if (self->poppler == NULL)
    {
      g_set_error (error, ESA_VIEWER_ERROR, ESA_VIEWER_ERROR_UNSUPPORTED,
                   _("“%s” is an image, not a PDF form."), self->title);
      return FALSE;
    }

  g_mutex_lock (&self->lock);
  saved = poppler_document_save (self->poppler, uri, error);
  g_mutex_unlock (&self->lock);

  return saved;
}
