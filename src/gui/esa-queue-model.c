/* esa-queue-model.c: the filtered, grouped and sorted queue
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <string.h>

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
  guint          block_size; /* rows the block has room for: a reload reuses it */
  GPtrArray     *rows;      /* Row, pointers into the block */
  SortKey       *keys;      /* n_block each: the sort keys and the radix sort's buffer */
  SortKey       *keys_tmp;
  GPtrArray     *sorted;    /* Row, every row in the current order */
  GPtrArray     *view;      /* Row, the sorted rows that pass the filter */
  gboolean       ranked[N_RANKS]; /* whether rows->ranks[rank] is made */
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

/* Frees what the rows hold; the block itself is kept for the next items. */
static void
rows_clear (Row   *block,
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
compare_collated_indices (gconstpointer a,
                          gconstpointer b,
                          gpointer      user_data)
{
  GPtrArray *distinct = user_data;

  return g_utf8_collate (g_ptr_array_index (distinct, *(const guint *) a),
                         g_ptr_array_index (distinct, *(const guint *) b));
}

/* Few distinct officers, offices and act types: each is collated once and
 * every row gets its value's rank, so that sorting compares integers. One
 * look-up per row: the row keeps its value's place among the distinct ones,
 * which then becomes the rank. */
static void
rank_rows (GPtrArray *rows,
           Rank       rank)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) distinct = g_ptr_array_new ();
  g_autofree guint *order = NULL;
  g_autofree guint32 *rank_of = NULL;

  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = g_ptr_array_index (rows, i);
      const char *text = row_text (row, rank);
      gpointer place;

      if (text == NULL)
        {
          row->ranks[rank] = RANK_NONE;
          continue;
        }
      if (!g_hash_table_lookup_extended (seen, text, NULL, &place))
        {
          place = GUINT_TO_POINTER (distinct->len);
          g_hash_table_insert (seen, (gpointer) text, place);
          g_ptr_array_add (distinct, (gpointer) text);
        }
      row->ranks[rank] = GPOINTER_TO_UINT (place);
    }

  order = g_new (guint, distinct->len + 1);
  rank_of = g_new (guint32, distinct->len + 1);
  for (guint i = 0; i < distinct->len; i++)
    order[i] = i;
  g_qsort_with_data (order, distinct->len, sizeof (guint), compare_collated_indices, distinct);
  for (guint i = 0; i < distinct->len; i++)
    rank_of[order[i]] = MIN (i, RANK_NONE - 1);

  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = g_ptr_array_index (rows, i);

      if (row->ranks[rank] != RANK_NONE)
        row->ranks[rank] = rank_of[row->ranks[rank]];
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

/* A debtor's name and its row, for ranking the names. */
typedef struct
{
  const guchar *name;
  Row          *row;
} NameRef;

static inline void
swap_refs (NameRef *a,
           NameRef *b)
{
  NameRef t = *a;

  *a = *b;
  *b = t;
}

/* Sorts @refs by their names' bytes from @depth on: a three-way radix
 * quicksort (Bentley and Sedgewick), which looks at each byte of a common
 * prefix once per partition rather than at every comparison. Names of a
 * queue share long prefixes ("Rossi Mario", "Rossi Maria") and are
 * 100,000, where a comparison sort costs several times as much. */
static void
sort_names (NameRef *refs,
            gsize    n,
            gsize    depth)
{
  while (n > 1)
    {
      gsize lt = 0, i = 0, gt = n;
      guchar pivot;

      if (n < 12)
        {
          for (gsize j = 1; j < n; j++)
            for (gsize k = j;
                 k > 0 && strcmp ((const char *) refs[k - 1].name + depth,
                                  (const char *) refs[k].name + depth) > 0;
                 k--)
              swap_refs (&refs[k - 1], &refs[k]);
          return;
        }

      /* The median of three bytes keeps an already ordered run from
       * making every partition lopsided. */
      {
        guchar a = refs[0].name[depth], b = refs[n / 2].name[depth], c = refs[n - 1].name[depth];

        pivot = MAX (MIN (a, b), MIN (MAX (a, b), c));
      }
      while (i < gt)
        {
          guchar byte = refs[i].name[depth];

          if (byte < pivot)
            swap_refs (&refs[lt++], &refs[i++]);
          else if (byte > pivot)
            swap_refs (&refs[i], &refs[--gt]);
          else
            i++;
        }
      sort_names (refs, lt, depth);
      sort_names (refs + gt, n - gt, depth);
      /* The names equal so far go on with their next byte, unless they
       * ended here. */
      if (pivot == '\0')
        return;
      refs += lt;
      n = gt - lt;
      depth++;
    }
}

/* Debtor names are many: collating each would take longer than the sort,
 * so the names are ranked once, by their bytes (the store keeps names as
 * registered, capitalised), with one radix quicksort of the names rather
 * than a hash table of them. */
static void
rank_debtors (EsaQueueModel *self)
{
  guint n = self->rows->len;
  g_autofree NameRef *refs = g_new (NameRef, n);
  g_autofree guchar *names = NULL;
  gsize n_refs = 0;
  gsize size = 0;
  guchar *next;
  guint32 rank = 0;

  for (guint i = 0; i < n; i++)
    {
      Row *row = g_ptr_array_index (self->rows, i);

      if (row->item->debtor_name != NULL)
        {
          refs[n_refs].name = (const guchar *) row->item->debtor_name;
          refs[n_refs].row = row;
          size += strlen (row->item->debtor_name) + 1;
          n_refs++;
        }
      else
        row->debtor_rank = RANK_NONE;
    }
  /* The sort reads the names many times over: side by side in one buffer
   * they stay in the processor's caches, where the items do not. */
  names = g_malloc (MAX (size, 1));
  next = names;
  for (gsize i = 0; i < n_refs; i++)
    {
      gsize length = strlen ((const char *) refs[i].name) + 1;

      memcpy (next, refs[i].name, length);
      refs[i].name = next;
      next += length;
    }
  sort_names (refs, n_refs, 0);
  for (gsize i = 0; i < n_refs; i++)
    {
      if (i > 0 && strcmp ((const char *) refs[i - 1].name, (const char *) refs[i].name) != 0)
        rank++;
      refs[i].row->debtor_rank = MIN (rank, RANK_NONE - 1);
    }
  self->debtors_ranked = TRUE;
}

/* The ranks an order needs, made when it is first asked for: opening a
 * queue grouped by due date needs none of them. */
static void
ensure_rank (EsaQueueModel *self,
             Rank           rank)
{
  if (self->ranked[rank])
    return;
  rank_rows (self->rows, rank);
  self->ranked[rank] = TRUE;
}

static void
ensure_group_rank (EsaQueueModel *self)
{
  switch (self->group)
    {
    case ESA_QUEUE_GROUP_OFFICER:
      ensure_rank (self, RANK_ASSIGNEE);
      break;
    case ESA_QUEUE_GROUP_OFFICE:
      ensure_rank (self, RANK_OFFICE);
      break;
    case ESA_QUEUE_GROUP_ACT_TYPE:
      ensure_rank (self, RANK_ACT_TYPE);
      break;
    case ESA_QUEUE_GROUP_WHEN:
    case ESA_QUEUE_GROUP_NONE:
    default:
      break;
    }
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

  if (self->when == ESA_QUEUE_WHEN_ALL && self->words == NULL)
    {
      /* Nothing filtered: the view is the sorted rows. */
      g_ptr_array_set_size (self->view, self->sorted->len);
      memcpy (self->view->pdata, self->sorted->pdata, self->sorted->len * sizeof (gpointer));
    }
  else
    {
      g_ptr_array_set_size (self->view, 0);
      for (guint i = 0; i < self->sorted->len; i++)
        {
          Row *row = g_ptr_array_index (self->sorted, i);

          if (row_passes (self, row))
            g_ptr_array_add (self->view, row);
        }
    }
  if (removed > 0 || self->view->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->view->len);
}

static gboolean
rows_in_due_order (GPtrArray *rows)
{
  for (guint i = 1; i < rows->len; i++)
    if (((Row *) rows->pdata[i - 1])->item->due_julian > ((Row *) rows->pdata[i])->item->due_julian)
      return FALSE;
  return TRUE;
}

static void
resort (EsaQueueModel *self)
{
  guint n = self->rows->len;
  SortKey *keys = self->keys;

  /* The store gives its items in due order, which is also the order of
   * the groups by due date: then there is nothing to sort. */
  if ((self->group == ESA_QUEUE_GROUP_NONE || self->group == ESA_QUEUE_GROUP_WHEN)
      && self->sort == ESA_QUEUE_SORT_DUE && rows_in_due_order (self->rows))
    {
      memcpy (self->sorted->pdata, self->rows->pdata, n * sizeof (gpointer));
      refilter (self);
      return;
    }

  ensure_group_rank (self);
  if (self->sort == ESA_QUEUE_SORT_ASSIGNEE)
    ensure_rank (self, RANK_ASSIGNEE);
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
  rows_clear (self->block, self->n_block);
  g_free (self->block);
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
  guint old_n;
  guint removed;
  EsaQueueItem **stolen = NULL;
  gsize n = 0;

  g_return_if_fail (ESA_IS_QUEUE_MODEL (self));

  /* The old rows live until the widgets have been told they are gone. */
  old_n = self->n_block;
  self->n_block = 0;
  g_ptr_array_set_size (self->rows, 0);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  self->debtors_ranked = FALSE;
  memset (self->ranked, 0, sizeof self->ranked);
  g_ptr_array_set_size (self->sorted, 0);
  removed = self->view->len;
  g_ptr_array_set_size (self->view, 0);
  if (removed > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
  rows_clear (self->block, old_n);

  if (owned == NULL)
    return;

  /* The rows take the items over rather than copying them, in one block,
   * the one of the items before when it is large enough: a queue is
   * reloaded after every change, and fresh memory costs more than clearing
   * the old. */
  stolen = (EsaQueueItem **) g_ptr_array_steal (owned, &n);
  if (n > self->block_size)
    {
      g_free (self->block);
      self->block = g_new (Row, n);
      self->block_size = n;
    }
  if (n > 0)
    memset (self->block, 0, n * sizeof (Row));
  self->n_block = n;
  self->keys = g_renew (SortKey, self->keys, n);
  self->keys_tmp = g_renew (SortKey, self->keys_tmp, n);
  g_ptr_array_set_size (self->rows, n);
  g_ptr_array_set_size (self->sorted, n);
  for (gsize i = 0; i < n; i++)
    {
      Row *row = &self->block[i];

      row->item = stolen[i];
      row->index = i;
      self->rows->pdata[i] = row;
    }
  g_free (stolen);

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
