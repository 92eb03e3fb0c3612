#include "esa-config.h"

#include "esa-date.h"
#include "esa-dossier-format.h"
#include "esa-dossier-row.h"

typedef struct
{
  char       *text;
  char       *key;     /* compared first, with strcmp(); NULL counts as "" */
  gint64      number;  /* compared when the keys are equal */
  const char *style;
} Cell;

struct _EsaDossierRow
{
  GObject parent_instance;

  guint   n_cells;
  Cell   *cells;
};

G_DEFINE_FINAL_TYPE (EsaDossierRow, esa_dossier_row, G_TYPE_OBJECT)

static Cell *
get_cell (EsaDossierRow *self,
          guint          cell)
{
  g_return_val_if_fail (ESA_IS_DOSSIER_ROW (self), NULL);
  g_return_val_if_fail (cell < self->n_cells, NULL);

  return &self->cells[cell];
}

static void
cell_clear (Cell *cell)
{
  g_clear_pointer (&cell->text, g_free);
  g_clear_pointer (&cell->key, g_free);
  cell->number = 0;
}

/* @text shown, sorted by @key compared byte by byte. */
static void
take_keyed (EsaDossierRow *self,
            guint          cell,
            char          *text,
            const char    *key)
{
  Cell *c = get_cell (self, cell);

  if (c == NULL)
    {
      g_free (text);
      return;
    }

  cell_clear (c);
  c->text = text != NULL ? text : g_strdup ("");
  c->key = g_strdup (key != NULL ? key : "");
}

static void
esa_dossier_row_finalize (GObject *object)
{
  EsaDossierRow *self = ESA_DOSSIER_ROW (object);

  for (guint i = 0; i < self->n_cells; i++)
    cell_clear (&self->cells[i]);
  g_free (self->cells);

  G_OBJECT_CLASS (esa_dossier_row_parent_class)->finalize (object);
}

static void
esa_dossier_row_class_init (EsaDossierRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = esa_dossier_row_finalize;
}

static void
esa_dossier_row_init (EsaDossierRow *self)
{
}

/**
 * esa_dossier_row_new:
 * @n_cells: how many cells the row has; each starts empty
 *
 * Returns: (transfer full): a new row
 */
EsaDossierRow *
esa_dossier_row_new (guint n_cells)
{
  EsaDossierRow *self = g_object_new (ESA_TYPE_DOSSIER_ROW, NULL);

  self->n_cells = n_cells;
  self->cells = g_new0 (Cell, n_cells);

  return self;
}

void
esa_dossier_row_take_text (EsaDossierRow *self,
                           guint          cell,
                           char          *text)
{
  Cell *c = get_cell (self, cell);

  if (c == NULL)
    {
      g_free (text);
      return;
    }

  cell_clear (c);
  c->text = text != NULL ? text : g_strdup ("");
  c->key = g_utf8_collate_key (c->text, -1);
}

void
esa_dossier_row_set_text (EsaDossierRow *self,
                          guint          cell,
                          const char    *text)
{
  esa_dossier_row_take_text (self, cell, g_strdup (text));
}

void
esa_dossier_row_take_number (EsaDossierRow *self,
                             guint          cell,
                             char          *text,
                             gint64         value)
{
  Cell *c = get_cell (self, cell);

  if (c == NULL)
    {
      g_free (text);
      return;
    }

  cell_clear (c);
  c->text = text != NULL ? text : g_strdup ("");
  c->number = value;
}

void
esa_dossier_row_take_amount (EsaDossierRow *self,
                             guint          cell,
                             char          *text,
                             gint64         minor,
                             const char    *currency)
{
  Cell *c;

  esa_dossier_row_take_number (self, cell, text, minor);
  /* Amounts in different currencies do not compare: group them first. */
  c = get_cell (self, cell);
  if (c != NULL)
    c->key = g_strdup (currency);
}

void
esa_dossier_row_set_date (EsaDossierRow *self,
                          guint          cell,
                          const char    *iso_date)
{
  char *text = iso_date != NULL ? esa_date_format_iso (iso_date) : NULL;

  take_keyed (self, cell, text, iso_date);
}

void
esa_dossier_row_set_timestamp (EsaDossierRow *self,
                               guint          cell,
                               const char    *timestamp)
{
  take_keyed (self, cell, esa_dossier_format_timestamp (timestamp), timestamp);
}

void
esa_dossier_row_set_style (EsaDossierRow *self,
                           guint          cell,
                           const char    *style_class)
{
  Cell *c = get_cell (self, cell);

  if (c != NULL)
    c->style = style_class;
}

const char *
esa_dossier_row_get_text (EsaDossierRow *self,
                          guint          cell)
{
  Cell *c = get_cell (self, cell);

  return c != NULL && c->text != NULL ? c->text : "";
}

const char *
esa_dossier_row_get_style (EsaDossierRow *self,
                           guint          cell)
{
  Cell *c = get_cell (self, cell);

  return c != NULL ? c->style : NULL;
}

int
esa_dossier_row_compare (EsaDossierRow *a,
                         EsaDossierRow *b,
                         guint          cell)
{
  Cell *ca = get_cell (a, cell);
  Cell *cb = get_cell (b, cell);
  int order;

  g_return_val_if_fail (ca != NULL && cb != NULL, 0);

  order = strcmp (ca->key != NULL ? ca->key : "", cb->key != NULL ? cb->key : "");
  if (order != 0)
    return order;

  if (ca->number != cb->number)
    return ca->number < cb->number ? -1 : 1;

  return 0;
}
