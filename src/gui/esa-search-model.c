#include "esa-config.h"

#include <glib/gi18n-lib.h>

#include "esa-search-model.h"
#include "esa-search-result.h"

/* How close to the end of the loaded items a request for an item must come
 * before the next page is fetched, so that scrolling rarely meets the end. */
#define PREFETCH_DISTANCE 15

/* The worker's own connection, shared by the tasks that may outlive the
 * model, so it is reference counted; the mutex keeps one search at a time
 * on it. */
typedef struct
{
  GMutex    mutex;
  char     *path;
  EsaStore *store;
} SearchWorker;

typedef struct
{
  SearchWorker *worker;
  char         *query;
  guint         limit;
  guint         offset;
  guint         generation;
} FetchRequest;

typedef struct
{
  GPtrArray *hits;
  gboolean   more;
} FetchResult;

struct _EsaSearchModel
{
  GObject       parent_instance;

  EsaStore     *store;
  SearchWorker *worker;       /* NULL: search on the main thread */
  char         *query;
  GPtrArray    *items;        /* EsaSearchResult */
  GCancellable *cancellable;
  GError       *error;
  guint         page_size;
  guint         generation;
  guint         fetch_source;
  gboolean      loading;
  gboolean      has_more;
};

static void esa_search_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (EsaSearchModel, esa_search_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      esa_search_model_list_model_init))

enum {
  PROP_0,
  PROP_QUERY,
  PROP_LOADING,
  PROP_HAS_MORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void fetch_next_page (EsaSearchModel *self);

static SearchWorker *
search_worker_new (const char *path)
{
  SearchWorker *worker = g_atomic_rc_box_new0 (SearchWorker);

  g_mutex_init (&worker->mutex);
  worker->path = g_strdup (path);
  return worker;
}

static void
search_worker_clear (SearchWorker *worker)
{
  g_clear_object (&worker->store);
  g_clear_pointer (&worker->path, g_free);
  g_mutex_clear (&worker->mutex);
}

static void
search_worker_unref (SearchWorker *worker)
{
  g_atomic_rc_box_release_full (worker, (GDestroyNotify) search_worker_clear);
}

static void
fetch_request_free (FetchRequest *request)
{
  g_clear_pointer (&request->worker, search_worker_unref);
  g_free (request->query);
  g_free (request);
}

static void
fetch_result_free (FetchResult *result)
{
  g_clear_pointer (&result->hits, g_ptr_array_unref);
  g_free (result);
}

static void
set_loading (EsaSearchModel *self,
             gboolean        loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
set_has_more (EsaSearchModel *self,
              gboolean        has_more)
{
  if (self->has_more == has_more)
    return;
  self->has_more = has_more;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_MORE]);
}

/* Applies a fetched page: the first page of a query replaces what the model
 * held (so the list never flashes empty between two queries), later pages
 * are appended. */
static void
apply_page (EsaSearchModel *self,
            guint           offset,
            GPtrArray      *hits,
            gboolean        more)
{
  guint removed = 0;
  guint position;

  g_clear_error (&self->error);

  if (offset == 0)
    {
      removed = self->items->len;
      g_ptr_array_set_size (self->items, 0);
    }
  position = self->items->len;

  for (guint i = 0; i < hits->len; i++)
    g_ptr_array_add (self->items, esa_search_result_new (g_ptr_array_index (hits, i)));

  g_object_freeze_notify (G_OBJECT (self));
  set_has_more (self, more && hits->len > 0);
  set_loading (self, FALSE);
  g_list_model_items_changed (G_LIST_MODEL (self), offset == 0 ? 0 : position,
                              removed, hits->len);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
apply_error (EsaSearchModel *self,
             guint           offset,
             GError         *error)
{
  guint removed = offset == 0 ? self->items->len : 0;

  g_clear_error (&self->error);
  self->error = error;

  if (removed > 0)
    g_ptr_array_set_size (self->items, 0);

  g_object_freeze_notify (G_OBJECT (self));
  set_has_more (self, FALSE);
  set_loading (self, FALSE);
  if (removed > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
fetch_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  FetchRequest *request = task_data;
  SearchWorker *worker = request->worker;
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GError) error = NULL;
  FetchResult *result;
  gboolean more = FALSE;
  GPtrArray *hits;

  /* A query already replaced by a newer one is not worth the database's
   * time; this check is the reason each search is a separate task. */
  if (g_task_return_error_if_cancelled (task))
    return;

  locker = g_mutex_locker_new (&worker->mutex);

  if (worker->store == NULL)
    {
      worker->store = esa_store_open (worker->path, &error);
      if (worker->store == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  hits = esa_store_search (worker->store, request->query, request->limit, request->offset,
                           &more, &error);
  if (hits == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  result = g_new0 (FetchResult, 1);
  result->hits = hits;
  result->more = more;
  g_task_return_pointer (task, result, (GDestroyNotify) fetch_result_free);
}

static void
fetch_done (GObject      *source_object,
            GAsyncResult *res,
            gpointer      user_data)
{
  EsaSearchModel *self = ESA_SEARCH_MODEL (source_object);
  GTask *task = G_TASK (res);
  FetchRequest *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  FetchResult *result;

  result = g_task_propagate_pointer (task, &error);

  /* Pages of an older query are dropped whatever they hold. */
  if (request->generation != self->generation)
    {
      g_clear_pointer (&result, fetch_result_free);
      return;
    }

  if (result == NULL)
    {
      apply_error (self, request->offset, g_steal_pointer (&error));
      return;
    }

  apply_page (self, request->offset, result->hits, result->more);
  fetch_result_free (result);
}

static void
fetch_page (EsaSearchModel *self,
            guint           offset)
{
  set_loading (self, TRUE);

  if (self->worker != NULL)
    {
      g_autoptr(GTask) task = NULL;
      FetchRequest *request = g_new0 (FetchRequest, 1);

      request->worker = g_atomic_rc_box_acquire (self->worker);
      request->query = g_strdup (self->query);
      request->limit = self->page_size;
      request->offset = offset;
      request->generation = self->generation;

      task = g_task_new (self, self->cancellable, fetch_done, NULL);
      g_task_set_source_tag (task, fetch_page);
      g_task_set_task_data (task, request, (GDestroyNotify) fetch_request_free);
      g_task_run_in_thread (task, fetch_thread);
    }
  else
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) hits = NULL;
      gboolean more = FALSE;

      hits = esa_store_search (self->store, self->query, self->page_size, offset, &more, &error);
      if (hits == NULL)
        apply_error (self, offset, g_steal_pointer (&error));
      else
        apply_page (self, offset, hits, more);
    }
}

static gboolean
fetch_next_page_cb (gpointer user_data)
{
  EsaSearchModel *self = user_data;

  self->fetch_source = 0;
  fetch_next_page (self);
  return G_SOURCE_REMOVE;
}

static void
fetch_next_page (EsaSearchModel *self)
{
  if (self->loading || !self->has_more || self->query == NULL)
    return;
  fetch_page (self, self->items->len);
}

static GType
esa_search_model_get_item_type (GListModel *model)
{
  return ESA_TYPE_SEARCH_RESULT;
}

static guint
esa_search_model_get_n_items (GListModel *model)
{
  return ESA_SEARCH_MODEL (model)->items->len;
}

static gpointer
esa_search_model_get_item (GListModel *model,
                           guint       position)
{
  EsaSearchModel *self = ESA_SEARCH_MODEL (model);

  if (position >= self->items->len)
    return NULL;

  /* The list asks for items as they come into view; near the end, fetch the
   * next page from an idle callback, because emitting items-changed from
   * inside get_item() would re-enter the list while it lays out. */
  if (position + PREFETCH_DISTANCE >= self->items->len && self->has_more && !self->loading &&
      self->fetch_source == 0)
    self->fetch_source = g_idle_add (fetch_next_page_cb, self);

  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
esa_search_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = esa_search_model_get_item_type;
  iface->get_n_items = esa_search_model_get_n_items;
  iface->get_item = esa_search_model_get_item;
}

static void
esa_search_model_dispose (GObject *object)
{
  EsaSearchModel *self = ESA_SEARCH_MODEL (object);

  /* Pages still on their way are dropped when they arrive. */
  self->generation++;
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->fetch_source, g_source_remove);
  g_clear_pointer (&self->worker, search_worker_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (esa_search_model_parent_class)->dispose (object);
}

static void
esa_search_model_finalize (GObject *object)
{
  EsaSearchModel *self = ESA_SEARCH_MODEL (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->query, g_free);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (esa_search_model_parent_class)->finalize (object);
}

static void
esa_search_model_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  EsaSearchModel *self = ESA_SEARCH_MODEL (object);

  switch (prop_id)
    {
    case PROP_QUERY:
      g_value_set_string (value, self->query);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_HAS_MORE:
      g_value_set_boolean (value, self->has_more);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esa_search_model_class_init (EsaSearchModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = esa_search_model_dispose;
  object_class->finalize = esa_search_model_finalize;
  object_class->get_property = esa_search_model_get_property;

  properties[PROP_QUERY] =
    g_param_spec_string ("query", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_HAS_MORE] =
    g_param_spec_boolean ("has-more", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
esa_search_model_init (EsaSearchModel *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->page_size = 50;
}

/**
 * esa_search_model_new:
 * @store: the store to search
 *
 * Returns: (transfer full): an empty model
 */
EsaSearchModel *
esa_search_model_new (EsaStore *store)
{
  EsaSearchModel *self;
  const char *path;

  g_return_val_if_fail (ESA_IS_STORE (store), NULL);

  self = g_object_new (ESA_TYPE_SEARCH_MODEL, NULL);
  self->store = g_object_ref (store);

  /* An in-memory database cannot be opened a second time; it is small
   * anyway (tests), so it is searched on the main thread. */
  path = esa_store_get_path (store);
  if (path != NULL && path[0] != '\0' && g_strcmp0 (path, ":memory:") != 0)
    self->worker = search_worker_new (path);

  return self;
}

void
esa_search_model_set_query (EsaSearchModel *self,
                            const char     *query)
{
  g_autofree char *stripped = NULL;

  g_return_if_fail (ESA_IS_SEARCH_MODEL (self));

  stripped = g_strstrip (g_strdup (query != NULL ? query : ""));
  if (g_strcmp0 (stripped, self->query != NULL ? self->query : "") == 0 && self->query != NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->fetch_source, g_source_remove);
  self->generation++;

  g_free (self->query);
  self->query = g_steal_pointer (&stripped);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUERY]);

  if (self->query[0] == '\0')
    {
      guint removed = self->items->len;

      g_clear_error (&self->error);
      g_ptr_array_set_size (self->items, 0);
      g_object_freeze_notify (G_OBJECT (self));
      set_has_more (self, FALSE);
      set_loading (self, FALSE);
      if (removed > 0)
        g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
      g_object_thaw_notify (G_OBJECT (self));
      return;
    }

  self->cancellable = g_cancellable_new ();
  fetch_page (self, 0);
}

const char *
esa_search_model_get_query (EsaSearchModel *self)
{
  g_return_val_if_fail (ESA_IS_SEARCH_MODEL (self), NULL);
  return self->query != NULL ? self->query : "";
}

gboolean
esa_search_model_get_loading (EsaSearchModel *self)
{
  g_return_val_if_fail (ESA_IS_SEARCH_MODEL (self), FALSE);
  return self->loading;
}

gboolean
esa_search_model_get_has_more (EsaSearchModel *self)
{
  g_return_val_if_fail (ESA_IS_SEARCH_MODEL (self), FALSE);
  return self->has_more;
}

const GError *
esa_search_model_get_error (EsaSearchModel *self)
{
  g_return_val_if_fail (ESA_IS_SEARCH_MODEL (self), NULL);
  return self->error;
}

void
esa_search_model_set_page_size (EsaSearchModel *self,
                                guint           page_size)
{
  g_return_if_fail (ESA_IS_SEARCH_MODEL (self));
  g_return_if_fail (page_size > 0);
  self->page_size = page_size;
}
