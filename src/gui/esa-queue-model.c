/* esa-queue-model.c: the filtered, grouped and sorted queue
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include "esa-queue-model.h"

/* The texts items are grouped or sorted by whose order is ranked once. */
typedef enum
{
  RANK_ASSIGNEE,
  RANK_OFFICE,
  RANK_ACT_TYPE,
  N_RANKS
} Rank;

/* An item with what sorting and filtering it needs. The entry object is
 * made when a widget first asks for the row; until then the row owns the
 * item, afterwards the entry does. */
typedef struct
{
  EsaQueueItem  *item;
  EsaQueueEntry *entry;
  guint32        ranks[N_RANKS];   /* RANK_NONE: no value, last */
  guint32        debtor_rank;      /* made on the first sort by debtor */
  guint32        index;            /* in the store's order: the last tie-break */
  char          *haystack;         /* folded texts, made on the first filter by text */
} Row;

/* Ranks fit in 20 bits of a sort key; no value sorts last. */
#define RANK_NONE ((1u << 20) - 1)

/* What a row sorts by, packed: group (20 bits), then the chosen order (20
 * bits), then the due day (24 bits); the store's order breaks ties. Sorting
 * these compares two integers per step in contiguous memory. */
typedef struct
{
  guint64 key;
  guint32 index;
} SortKey;

struct _EsaQueueModel
{
  GObject        parent_instance;

  Row           *block;     /* every row, in the store's order */
  guint          n_block;
  GPtrArray     *rows;      /* Row, pointers into the block */
  SortKey       *keys;      /* n_block each: the sort keys and the radix sort's buffer */
  SortKey       *keys_tmp;
  GPtrArray     *sorted;    /* Row, every row in the current order */
  GPtrArray     *view;      /* Row, the sorted rows that pass the filter */
  gboolean       debtors_ranked;
  GHashTable    *by_id;     /* item id → Row, made on the first lookup */

  EsaQueueGroup  group;
  EsaQueueSort   sort;
  EsaQueueWhen   when;
  char         **words;     /* folded, NULL when no text */
};

static void esa_queue_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (EsaQueueModel, esa_queue_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      esa_queue_model_list_model_init))

/* ---- rows --------------------------------------------------------------- */

static void
rows_free (Row   *block,
           guint  n)
{
  for (guint i = 0; i < n; i++)
    {
      Row *row = &block[i];

      if (row->entry != NULL)
        g_object_unref (row->entry);
      else
        esa_queue_item_free (row->item);
      g_free (row->haystack);
    }
  g_free (block);
}

static EsaQueueEntry *
row_entry (Row *row)
{
  if (row->entry == NULL)
    row->entry = esa_queue_entry_new (row->item);
  return row->entry;
}

static void
append_folded (GString    *haystack,
               const char *text)
{
  g_autofree char *folded = NULL;

  if (text == NULL)
    return;
  folded = g_utf8_casefold (text, -1);
  g_string_append_c (haystack, '\n');
  g_string_append (haystack, folded);
}

static const char *
row_haystack (Row *row)
{
  if (row->haystack == NULL)
    {
      GString *haystack = g_string_new (NULL);
      const EsaQueueItem *item = row->item;

      append_folded (haystack, item->debtor_name);
      append_folded (haystack, item->title);
      append_folded (haystack, item->assignee_name);
      append_folded (haystack, item->office_name);
      append_folded (haystack, item->reference);
      append_folded (haystack, item->act_type);
      row->haystack = g_string_free (haystack, FALSE);
    }
  return row->haystack;
}

static const char *
row_text (const Row *row,
          Rank       rank)
{
  switch (rank)
    {
    case RANK_ASSIGNEE:
      return row->item->assignee_name;
    case RANK_OFFICE:
      return row->item->office_name;
    case RANK_ACT_TYPE:
    default:
      return row->item->act_type;
    }
}

static int
compare_collated (gconstpointer a,
                  gconstpointer b)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

/* Few distinct officers, offices and act types: each is collated once and
 * every row gets its value's rank, so that sorting compares integers. */
static void
rank_rows (GPtrArray *rows,
           Rank       rank)
{
  g_autoptr(GHashTable) ranks = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) distinct = g_ptr_array_new ();

  for (guint i = 0; i < rows->len; i++)
    {
      const char *text = row_text (g_ptr_array_index (rows, i), rank);

      if (text != NULL && g_hash_table_add (ranks, (gpointer) text))
        g_ptr_array_add (distinct, (gpointer) text);
    }
  g_ptr_array_sort (distinct, compare_collated);
  for (guint i = 0; i < distinct->len; i++)
    g_hash_table_insert (ranks, g_ptr_array_index (distinct, i), GUINT_TO_POINTER (i));

  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = g_ptr_array_index (rows, i);
      const char *text = row_text (row, rank);

      row->ranks[rank] = text != NULL ? MIN (GPOINTER_TO_UINT (g_hash_table_lookup (ranks, text)),
                                             RANK_NONE - 1)
                                      : RANK_NONE;
    }
}

/* ---- order and filter --------------------------------------------------- */

static guint32
group_value (const Row     *row,
             EsaQueueGroup  group)
{
  switch (group)
    {
    case ESA_QUEUE_GROUP_OFFICER:
      return row->ranks[RANK_ASSIGNEE];
    case ESA_QUEUE_GROUP_OFFICE:
      return row->ranks[RANK_OFFICE];
    case ESA_QUEUE_GROUP_ACT_TYPE:
      return row->ranks[RANK_ACT_TYPE];
    case ESA_QUEUE_GROUP_WHEN:
      return row->item->when;
    case ESA_QUEUE_GROUP_NONE:
    default:
      return 0;
    }
}

static int
compare_group (const Row     *a,
               const Row     *b,
               EsaQueueGroup  group)
{
  guint32 x = group_value (a, group);
  guint32 y = group_value (b, group);

  return (x > y) - (x < y);
}

/* A stable least-significant-byte radix sort of the keys: eight passes at
 * most, a pass skipped when every key has the same byte there. Starting
 * from the store's order, equal keys keep it. Returns the buffer that
 * holds the result. */
static SortKey *
radix_sort (SortKey *keys,
            SortKey *tmp,
            guint    n)
{
  for (guint shift = 0; shift < 64; shift += 8)
    {
      guint counts[256] = { 0 };
      guint sum = 0;
      SortKey *swap;

      for (guint i = 0; i < n; i++)
        counts[(keys[i].key >> shift) & 0xff]++;
      if (n == 0 || counts[(keys[0].key >> shift) & 0xff] == n)
        continue;
      for (guint b = 0; b < 256; b++)
        {
          guint count = counts[b];

          counts[b] = sum;
          sum += count;
        }
      for (guint i = 0; i < n; i++)
        tmp[counts[(keys[i].key >> shift) & 0xff]++] = keys[i];
      swap = keys;
      keys = tmp;
      tmp = swap;
    }
  return keys;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Debtor names are many: collating each would take longer than the sort,
 * so the distinct names are ranked once, by their bytes (the store keeps
 * names as registered, capitalised). */
static void
rank_debtors (EsaQueueModel *self)
{
  guint n = self->rows->len;
  g_autoptr(GHashTable) ranks = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) distinct = g_ptr_array_new ();

  for (guint i = 0; i < n; i++)
    {
      const Row *row = g_ptr_array_index (self->rows, i);

      if (row->item->debtor_name != NULL && g_hash_table_add (ranks, row->item->debtor_name))
        g_ptr_array_add (distinct, row->item->debtor_name);
    }
  g_ptr_array_sort (distinct, compare_names);
  for (guint i = 0; i < distinct->len; i++)
    g_hash_table_insert (ranks, g_ptr_array_index (distinct, i), GUINT_TO_POINTER (i));

  for (guint i = 0; i < n; i++)
    {
      Row *row = g_ptr_array_index (self->rows, i);
      const char *name = row->item->debtor_name;

      row->debtor_rank = name != NULL
                         ? MIN (GPOINTER_TO_UINT (g_hash_table_lookup (ranks, name)), RANK_NONE - 1)
                         : RANK_NONE;
    }
  self->debtors_ranked = TRUE;
}

static gboolean
row_passes (EsaQueueModel *self,
            Row           *row)
{
  if (self->when != ESA_QUEUE_WHEN_ALL && row->item->when != self->when)
    return FALSE;
  for (guint i = 0; self->words != NULL && self->words[i] != NULL; i++)
    if (strstr (row_haystack (row), self->words[i]) == NULL)
      return FALSE;
  return TRUE;
}

/* Builds the view from the sorted rows and tells the widgets: the view
 * changes as a whole, one signal. */
static void
refilter (EsaQueueModel *self)
{
  guint removed = self->view->len;

  g_ptr_array_set_size (self->view, 0);
  for (guint i = 0; i < self->sorted->len; i++)
    {
      Row *row = g_ptr_array_index (self->sorted, i);

      if (row_passes (self, row))
        g_ptr_array_add (self->view, row);
    }
  if (removed > 0 || self->view->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->view->len);
}

static void
resort (EsaQueueModel *self)
{
  guint n = self->rows->len;
  SortKey *keys = self->keys;

  if (self->sort == ESA_QUEUE_SORT_DEBTOR && !self->debtors_ranked)
    rank_debtors (self);

  for (guint i = 0; i < n; i++)
    {
      const Row *row = g_ptr_array_index (self->rows, i);
      guint64 second;

      switch (self->sort)
        {
        case ESA_QUEUE_SORT_DEBTOR:
          second = row->debtor_rank;
          break;
        case ESA_QUEUE_SORT_ASSIGNEE:
          second = row->ranks[RANK_ASSIGNEE];
          break;
        case ESA_QUEUE_SORT_DUE:
        default:
          second = 0;
          break;
        }
      keys[i].key = ((guint64) MIN (group_value (row, self->group), RANK_NONE) << 44) |
                    (second << 24) |
                    (row->item->due_julian & 0xffffff);
      keys[i].index = i;
    }
  keys = radix_sort (keys, self->keys_tmp, n);

  for (guint i = 0; i < n; i++)
    self->sorted->pdata[i] = g_ptr_array_index (self->rows, keys[i].index);
  refilter (self);
}

/* ---- GListModel --------------------------------------------------------- */

static GType
esa_queue_model_get_item_type (GListModel *list)
{
  return ESA_TYPE_QUEUE_ENTRY;
}

static guint
esa_queue_model_get_n_items (GListModel *list)
{
  return ESA_QUEUE_MODEL (list)->view->len;
}

static gpointer
esa_queue_model_get_item (GListModel *list,
                          guint       position)
{
  EsaQueueModel *self = ESA_QUEUE_MODEL (list);

  if (position >= self->view->len)
    return NULL;
  return g_object_ref (row_entry (g_ptr_array_index (self->view, position)));
}

static void
esa_queue_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = esa_queue_model_get_item_type;
  iface->get_n_items = esa_queue_model_get_n_items;
  iface->get_item = esa_queue_model_get_item;
}

/* ---- GObject ------------------------------------------------------------ */

static void
esa_queue_model_finalize (GObject *object)
{
  EsaQueueModel *self = ESA_QUEUE_MODEL (object);

  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_ptr_array_unref (self->view);
  g_ptr_array_unref (self->sorted);
  g_ptr_array_unref (self->rows);
  rows_free (self->block, self->n_block);
  g_free (self->keys);
  g_free (self->keys_tmp);
  g_strfreev (self->words);

  G_OBJECT_CLASS (esa_queue_model_parent_class)->finalize (object);
}

static void
esa_queue_model_class_init (EsaQueueModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = esa_queue_model_finalize;
}

static void
esa_queue_model_init (EsaQueueModel *self)
{
  self->group = ESA_QUEUE_GROUP_WHEN;
  self->sort = ESA_QUEUE_SORT_DUE;
  self->when = ESA_QUEUE_WHEN_ALL;
  self->rows = g_ptr_array_new ();
  self->sorted = g_ptr_array_new ();
  self->view = g_ptr_array_new ();
}

/* ---- public API --------------------------------------------------------- */

EsaQueueModel *
esa_queue_model_new (void)
{
  return g_object_new (ESA_TYPE_QUEUE_MODEL, NULL);
}

void
esa_queue_model_set_items (EsaQueueModel *self,
                           GPtrArray     *items)
{
  g_autoptr(GPtrArray) owned = items;
  Row *old_block;
  guint old_n;
  guint removed;
  EsaQueueItem **stolen = NULL;
  gsize n = 0;

  g_return_if_fail (ESA_IS_QUEUE_MODEL (self));

  /* The old rows live until the widgets have been told they are gone. */
  old_block = g_steal_pointer (&self->block);
  old_n = self->n_block;
  self->n_block = 0;
  g_ptr_array_set_size (self->rows, 0);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  self->debtors_ranked = FALSE;
  g_ptr_array_set_size (self->sorted, 0);
  removed = self->view->len;
  g_ptr_array_set_size (self->view, 0);
  if (removed > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
  rows_free (old_block, old_n);

  if (owned == NULL)
    return;

  /* The rows take the items over rather than copying them, in one block. */
  stolen = (EsaQueueItem **) g_ptr_array_steal (owned, &n);
  self->block = g_new0 (Row, n);
  self->n_block = n;
  self->keys = g_renew (SortKey, self->keys, n);
  self->keys_tmp = g_renew (SortKey, self->keys_tmp, n);
  for (gsize i = 0; i < n; i++)
    {
      Row *row = &self->block[i];

      row->item = stolen[i];
      row->index = i;
      g_ptr_array_add (self->rows, row);
      g_ptr_array_add (self->sorted, row);
    }
  g_free (stolen);

  for (Rank rank = 0; rank < N_RANKS; rank++)
    rank_rows (self->rows, rank);
  resort (self);
}

guint
esa_queue_model_get_n_all (EsaQueueModel *self)
{
  g_return_val_if_fail (ESA_IS_QUEUE_MODEL (self), 0);
  return self->rows->len;
}

const EsaQueueItem *
esa_queue_model_get_all (EsaQueueModel *self,
                         guint          index)
{
  g_return_val_if_fail (ESA_IS_QUEUE_MODEL (self), NULL);
  g_return_val_if_fail (index < self->rows->len, NULL);
  return ((Row *) g_ptr_array_index (self->rows, index))->item;
}

GListModel *
esa_queue_model_get_model (EsaQueueModel *self)
{
  g_return_val_if_fail (ESA_IS_QUEUE_MODEL (self), NULL);
  return G_LIST_MODEL (self);
}

EsaQueueEntry *
esa_queue_model_lookup (EsaQueueModel *self,
                        const char    *item_id)
{
  Row *row;

  g_return_val_if_fail (ESA_IS_QUEUE_MODEL (self), NULL);

  if (self->by_id == NULL)
    {
      self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; i < self->n_block; i++)
        g_hash_table_insert (self->by_id, self->block[i].item->id, &self->block[i]);
    }
  row = g_hash_table_lookup (self->by_id, item_id);
  return row != NULL ? row_entry (row) : NULL;
}

void
esa_queue_model_set_group (EsaQueueModel *self,
                           EsaQueueGroup  group)
{
  g_return_if_fail (ESA_IS_QUEUE_MODEL (self));

  if (self->group == group)
    return;
  self->group = group;
  resort (self);
}

EsaQueueGroup
esa_queue_model_get_group (EsaQueueModel *self)
{
  g_return_val_if_fail (ESA_IS_QUEUE_MODEL (self), ESA_QUEUE_GROUP_NONE);
  return self->group;
}

void
esa_queue_model_set_sort (EsaQueueModel *self,
                          EsaQueueSort   sort)
{
  g_return_if_fail (ESA_IS_QUEUE_MODEL (self));

  if (self->sort == sort)
    return;
  self->sort = sort;
  resort (self);
}

void
esa_queue_model_set_when (EsaQueueModel *self,
                          EsaQueueWhen   when)
{
  g_return_if_fail (ESA_IS_QUEUE_MODEL (self));

  if (self->when == when)
    return;
  self->when = when;
  refilter (self);
}

void
esa_queue_model_set_text (EsaQueueModel *self,
                          const char    *text)
{
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) words = NULL;

  g_return_if_fail (ESA_IS_QUEUE_MODEL (self));

  if (text != NULL)
    {
      g_autofree char *folded = g_utf8_casefold (text, -1);
      g_auto(GStrv) split = g_strsplit_set (folded, " \t", -1);

      /* Several spaces make empty words, which would match everything. */
      for (guint i = 0; split[i] != NULL; i++)
        if (split[i][0] != '\0')
          g_ptr_array_add (kept, g_strdup (split[i]));
    }
  if (kept->len > 0)
    {
      g_ptr_array_add (kept, NULL);
      words = (GStrv) g_ptr_array_steal (kept, NULL);
    }

  if (words == NULL && self->words == NULL)
    return;
  if (words != NULL && self->words != NULL &&
      g_strv_equal ((const char * const *) words, (const char * const *) self->words))
    return;

  g_strfreev (self->words);
  self->words = g_steal_pointer (&words);
  refilter (self);
}

char *
esa_queue_model_group_label (EsaQueueModel *self,
                             EsaQueueEntry *entry)
{
  g_return_val_if_fail (ESA_IS_QUEUE_MODEL (self), NULL);
  g_return_val_if_fail (ESA_IS_QUEUE_ENTRY (entry), NULL);

  return esa_queue_item_group_label (esa_queue_entry_get_item (entry), self->group);
}

gboolean
esa_queue_model_starts_group (EsaQueueModel *self,
                              guint          position)
{
  g_return_val_if_fail (ESA_IS_QUEUE_MODEL (self), FALSE);

  if (self->group == ESA_QUEUE_GROUP_NONE || position >= self->view->len)
    return FALSE;
  if (position == 0)
    return TRUE;
  return compare_group (g_ptr_array_index (self->view, position - 1),
                        g_ptr_array_index (self->view, position), self->group) != 0;
}
