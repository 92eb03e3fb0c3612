/* esa-act-layout.c: an act's pages, laid out from its template
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The page (A4, lengths in millimetres):
 *
 *   - letterhead at the top left: the body's logo and its name and lines;
 *   - the address window of a DL or C5 envelope with a window on the right
 *     (the position is data, "window" in common.<lang>.json; by default
 *     100 mm from the left edge, 45 mm from the top, 90 × 45 mm), with the
 *     sender's return line at its top, and the act's references at its
 *     left;
 *   - from 100 mm the title and the flow of blocks (text, headings, tables,
 *     signature) between 20 and 190 mm, continued on pages with a short
 *     header;
 *   - a footer at 281 mm with the page number;
 *   - payment slips after the flow: pagoPA sections at the bottom of the
 *     last page when they fit, else three to a page; a Swiss QR-bill in the
 *     bottom 105 mm of a page, the footer then above it.
 *
 * The flow is cut into slices (a line of text, a table row, a whole
 * signature) that keep together with the next one where a page break would
 * look wrong: a heading with the two first lines after it, the first two
 * and the last two lines of a paragraph, a table's header with its first
 * row and its last row with the totals.
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "esa-core.h"
#include "esa-documents-private.h"

#define LEFT          ESA_MM (20.0)
#define TEXT_WIDTH    ESA_MM (170.0)
#define FLOW_TOP_1    ESA_MM (100.0)
#define FLOW_TOP      ESA_MM (28.0)
#define FLOW_BOTTOM   ESA_MM (277.0)
#define FOOTER_Y      ESA_MM (281.0)
#define QR_PAGE_BOTTOM (ESA_A4_HEIGHT - ESA_QR_BILL_HEIGHT - ESA_MM (14.0))

#define BODY_SIZE     10.0
#define SMALL_SIZE    8.5
#define TABLE_SIZE    8.5
#define CELL_PAD_X    ESA_MM (1.3)
#define CELL_PAD_Y    ESA_MM (1.1)

/* ---- tables ------------------------------------------------------------- */

typedef struct
{
  guint           n_columns;
  double         *widths;
  GPtrArray      *rows;       /* GPtrArray of PangoLayout per row; row 0 is the header */
  GArray         *heights;    /* double per row */
  gint            total_row;  /* a bold row with a rule above it; -1 for none */
} Table;

static void
table_free (Table *table)
{
  g_free (table->widths);
  g_ptr_array_unref (table->rows);
  g_array_unref (table->heights);
  g_free (table);
}

/* @fractions: the share of the text width of each column (summing to 1). */
static Table *
table_new (const double *fractions,
           guint         n_columns)
{
  Table *table = g_new0 (Table, 1);

  table->n_columns = n_columns;
  table->widths = g_new (double, n_columns);
  for (guint i = 0; i < n_columns; i++)
    table->widths[i] = fractions[i] * TEXT_WIDTH;
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  table->heights = g_array_new (FALSE, FALSE, sizeof (double));
  table->total_row = -1;
  return table;
}

/* Adds a row of markup cells; @right says which columns align right. */
static void
table_add_row (Table        *table,
               EsaDraw      *draw,
               char * const *cells,
               guint32       right,
               gboolean      bold)
{
  GPtrArray *row = g_ptr_array_new_with_free_func (g_object_unref);
  double height = 0;

  for (guint i = 0; i < table->n_columns; i++)
    {
      PangoLayout *layout;
      int h;

      layout = _esa_draw_layout (draw, cells[i] != NULL ? cells[i] : "",
                                 table->rows->len == 0 ? TABLE_SIZE - 0.5 : TABLE_SIZE, bold,
                                 table->widths[i] - 2 * CELL_PAD_X,
                                 (right & (1u << i)) ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
      pango_layout_get_size (layout, NULL, &h);
      height = MAX (height, (double) h / PANGO_SCALE);
      g_ptr_array_add (row, layout);
    }
  height += 2 * CELL_PAD_Y;
  g_ptr_array_add (table->rows, row);
  g_array_append_val (table->heights, height);
}

static void
table_draw_row (Table   *table,
                cairo_t *cr,
                guint    index,
                double   y)
{
  GPtrArray *row = g_ptr_array_index (table->rows, index);
  double height = g_array_index (table->heights, double, index);
  double x = LEFT;

  if (index == 0)
    {
      cairo_set_source_rgb (cr, 0.92, 0.93, 0.95);
      cairo_rectangle (cr, LEFT, y, TEXT_WIDTH, height);
      cairo_fill (cr);
    }

  cairo_set_source_rgb (cr, 0.0, 0.0, 0.0);
  for (guint i = 0; i < table->n_columns; i++)
    {
      cairo_move_to (cr, x + CELL_PAD_X, y + CELL_PAD_Y);
      pango_cairo_show_layout (cr, g_ptr_array_index (row, i));
      x += table->widths[i];
    }

  /* Rules: under the header, under each row, heavier above the totals. */
  cairo_set_source_rgb (cr, 0.55, 0.57, 0.6);
  cairo_set_line_width (cr, (gint) index == table->total_row ? 0.9 : 0.35);
  if ((gint) index == table->total_row)
    {
      cairo_move_to (cr, LEFT, y);
      cairo_line_to (cr, LEFT + TEXT_WIDTH, y);
      cairo_stroke (cr);
    }
  cairo_set_line_width (cr, 0.35);
  cairo_move_to (cr, LEFT, y + height);
  cairo_line_to (cr, LEFT + TEXT_WIDTH, y + height);
  cairo_stroke (cr);
  cairo_set_source_rgb (cr, 0.0, 0.0, 0.0);
}

/* ---- the flow ----------------------------------------------------------- */

typedef enum
{
  SLICE_LINE,       /* one line of a text layout */
  SLICE_ROW,        /* one row of a table (the header comes with the first
                     * row placed on each page) */
  SLICE_BLOCK,      /* a whole layout drawn at once */
  SLICE_SIGNATURE,  /* the signature block */
  SLICE_SPACE,      /* nothing, only height */
} SliceKind;

typedef struct
{
  SliceKind    kind;
  double       height;
  double       space_before;
  gboolean     keep_with_next;
  PangoLayout *layout;       /* LINE, BLOCK: not owned */
  PangoLayout *value_layout; /* BLOCK: a second layout beside the first (facts) */
  double       value_indent; /* BLOCK: where the second layout starts */
  guint        index;        /* LINE: line number; ROW: row number */
  double       line_top;     /* LINE: the line's top inside the layout */
  double       baseline;     /* LINE: its baseline inside the layout */
  double       line_x;       /* LINE: its left edge inside the layout (alignment) */
  double       indent;       /* LINE, BLOCK: left indent */
  Table       *table;        /* ROW: not owned */
  GPtrArray   *signature;    /* SIGNATURE: layouts place, role, name, note */
} Slice;

typedef struct
{
  const Slice *slice;
  double       y;
  gboolean     with_header;  /* ROW: draw the table's header above it */
} Placed;

typedef struct
{
  const EsaSlip *slip;
  double         y;          /* pagoPA: the cutting line */
  gboolean       qr_bill;
} PlacedSlip;

typedef struct
{
  GArray   *placed;          /* Placed */
  GArray   *slips;           /* PlacedSlip */
  gboolean  first;
  char     *caption;         /* a slip page's caption (QR-bill pages after the first) */
} Page;

static void
page_free (Page *page)
{
  g_array_unref (page->placed);
  g_array_unref (page->slips);
  g_free (page->caption);
  g_free (page);
}

static Page *
page_new (gboolean first)
{
  Page *page = g_new0 (Page, 1);

  page->placed = g_array_new (FALSE, FALSE, sizeof (Placed));
  page->slips = g_array_new (FALSE, FALSE, sizeof (PlacedSlip));
  page->first = first;
  return page;
}

typedef struct
{
  EsaDraw          *draw;
  EsaActTemplate   *tmpl;
  const EsaActData *data;
  GHashTable       *values;
  GPtrArray        *layouts;   /* every PangoLayout made, owned */
  GPtrArray        *tables;    /* Table, owned */
  GPtrArray        *signatures; /* GPtrArray of layouts, owned */
  GArray           *slices;    /* Slice */
  GPtrArray        *slips;     /* EsaSlip */
  GPtrArray        *pages;     /* Page */
  cairo_surface_t  *logo;
  double            logo_width;
  double            logo_height;
} Layout;

static void
slip_free (EsaSlip *slip)
{
  g_free (slip->caption);
  g_free (slip->subject);
  g_free (slip);
}

static void
layout_clear (Layout *self)
{
  g_clear_pointer (&self->layouts, g_ptr_array_unref);
  g_clear_pointer (&self->tables, g_ptr_array_unref);
  g_clear_pointer (&self->signatures, g_ptr_array_unref);
  g_clear_pointer (&self->slices, g_array_unref);
  g_clear_pointer (&self->slips, g_ptr_array_unref);
  g_clear_pointer (&self->pages, g_ptr_array_unref);
  g_clear_pointer (&self->values, g_hash_table_unref);
}

/* A text of the template with its placeholders filled, as markup; "" when
 * the template has none. (transfer full) */
static char *
text_of (Layout     *self,
         const char *path)
{
  const char *text = _esa_act_template_text (self->tmpl, path);

  return _esa_expand (text != NULL ? text : "", self->values, TRUE);
}

static char *
expand_markup (Layout     *self,
               const char *text)
{
  return _esa_expand (text != NULL ? text : "", self->values, TRUE);
}

static PangoLayout *
keep_layout (Layout      *self,
             PangoLayout *layout)
{
  g_ptr_array_add (self->layouts, layout);
  return layout;
}

static void
add_slice (Layout      *self,
           const Slice *slice)
{
  g_array_append_vals (self->slices, slice, 1);
}

/* Cuts a paragraph into line slices. */
static void
add_text (Layout      *self,
          const char  *markup,
          double       size,
          gboolean     bold,
          gboolean     justify,
          PangoAlignment align,
          double       space_before,
          double       indent,
          gboolean     heading)
{
  PangoLayout *layout;
  PangoLayoutIter *iter;
  guint n_lines;
  guint i = 0;

  if (markup == NULL || *markup == '\0')
    return;

  layout = keep_layout (self, _esa_draw_layout (self->draw, markup, size, bold,
                                                TEXT_WIDTH - indent, align));
  pango_layout_set_justify (layout, justify);
  pango_layout_set_spacing (layout, (int) (size * 0.22 * PANGO_SCALE));
  n_lines = (guint) pango_layout_get_line_count (layout);

  iter = pango_layout_get_iter (layout);
  do
    {
      PangoRectangle logical;
      int y0, y1;
      Slice slice = { SLICE_LINE, };

      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      pango_layout_iter_get_line_yrange (iter, &y0, &y1);
      slice.layout = layout;
      slice.index = i;
      slice.line_top = (double) y0 / PANGO_SCALE;
      slice.baseline = (double) pango_layout_iter_get_baseline (iter) / PANGO_SCALE;
      slice.line_x = (double) logical.x / PANGO_SCALE;
      slice.height = (double) (y1 - y0) / PANGO_SCALE;
      slice.indent = indent;
      slice.space_before = i == 0 ? space_before : 0;
      /* Headings stay with what follows; no paragraph leaves a single
       * line at the foot or the head of a page. */
      slice.keep_with_next = heading || (n_lines > 1 && i == 0)
                             || (n_lines > 2 && i + 2 == n_lines);
      add_slice (self, &slice);
      i++;
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
}

static void
add_table (Layout *self,
           Table  *table,
           double  space_before)
{
  g_ptr_array_add (self->tables, table);

  for (guint i = 1; i < table->rows->len; i++)
    {
      Slice slice = { SLICE_ROW, };

      slice.table = table;
      slice.index = i;
      slice.height = g_array_index (table->heights, double, i);
      slice.space_before = i == 1 ? space_before : 0;
      /* The first row stays with the header; the totals with the row
       * above them. */
      slice.keep_with_next = i + 1 < table->rows->len
                             && (i == 1 || (gint) i + 1 == table->total_row);
      add_slice (self, &slice);
    }
}

/* Labels of a table from the common texts ("tables.amounts.principal"). */
static char *
table_label (Layout     *self,
             const char *table,
             const char *column)
{
  g_autofree char *path = g_strdup_printf ("tables.%s.%s", table, column);

  return text_of (self, path);
}

static const char *
common_member (Layout     *self,
               const char *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (self->tmpl->common, object);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return _esa_json_get_string (json_node_get_object (node), member);
}

static char *
money_cell (gint64      amount,
            const char *currency)
{
  g_autofree char *plain = esa_money_format_plain (amount, currency);

  return g_markup_escape_text (plain, -1);
}

static void
add_amounts (Layout *self,
             double  space_before)
{
  static const double fractions[] = { 0.22, 0.11, 0.12, 0.11, 0.11, 0.11, 0.11, 0.11 };
  static const char * const columns[] = {
    "title", "due", "principal", "sanctions", "interest", "costs", "paid", "total",
  };
  const char *currency = self->data->body->currency;
  Table *table = table_new (fractions, G_N_ELEMENTS (fractions));
  gint64 sums[6] = { 0, };
  char *cells[G_N_ELEMENTS (columns)];
  g_autofree char *caption = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    cells[i] = table_label (self, "amounts", columns[i]);
  table_add_row (table, self->draw, cells, 0xfc, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    g_free (cells[i]);

  for (guint p = 0; p < self->data->positions->len; p++)
    {
      const EsaPosition *position = g_ptr_array_index (self->data->positions, p);
      const char *short_name = common_member (self, "revenue_short", position->revenue_type);
      g_autofree char *name = g_markup_escape_text (short_name != NULL ? short_name
                                                    : position->revenue_type, -1);
      g_autofree char *reference = g_markup_escape_text (position->reference, -1);
      g_autofree char *due = _esa_format_short_date (self->tmpl, position->due_date);
      gint64 row[6] = {
        position->principal, position->sanctions, position->interest, position->costs,
        position->paid, esa_position_balance (position),
      };

      cells[0] = g_strdup_printf ("%s %d\n<span size=\"small\">%s</span>", name, position->year,
                                  reference);
      cells[1] = g_markup_escape_text (due, -1);
      for (guint i = 0; i < 6; i++)
        {
          cells[2 + i] = money_cell (row[i], currency);
          sums[i] += row[i];
        }
      table_add_row (table, self->draw, cells, 0xfc, FALSE);
      for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
        g_free (cells[i]);
    }

  cells[0] = table_label (self, "amounts", "sum");
  cells[1] = g_strdup ("");
  for (guint i = 0; i < 6; i++)
    cells[2 + i] = money_cell (sums[i], currency);
  table->total_row = (gint) table->rows->len;
  table_add_row (table, self->draw, cells, 0xfc, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    g_free (cells[i]);

  caption = table_label (self, "amounts", "caption");
  add_text (self, caption, 7.5, FALSE, FALSE, PANGO_ALIGN_RIGHT, space_before, 0, TRUE);
  add_table (self, table, ESA_MM (0.8));
}

static void
add_instalments (Layout *self,
                 double  space_before)
{
  static const double fractions[] = { 0.08, 0.2, 0.2, 0.37, 0.15 };
  static const char * const columns[] = { "seq", "due", "amount", "reference", "state" };
  const char *currency = self->data->body->currency;
  gboolean swiss = g_strcmp0 (self->data->body->country, "CH") == 0;
  Table *table = table_new (fractions, G_N_ELEMENTS (fractions));
  char *cells[G_N_ELEMENTS (columns)];
  gint64 total = 0;

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    cells[i] = table_label (self, "instalments", columns[i]);
  table_add_row (table, self->draw, cells, 0x5, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    g_free (cells[i]);

  for (guint k = 0; k < self->data->instalments->len; k++)
    {
      const EsaActInstalment *instalment = g_ptr_array_index (self->data->instalments, k);
      g_autofree char *due = _esa_format_date (self->tmpl, instalment->due_on);
      g_autofree char *reference = instalment->payment_reference != NULL
        ? esa_id_format (swiss ? ESA_ID_QR_REFERENCE : ESA_ID_PAGOPA_NOTICE,
                         instalment->payment_reference)
        : g_strdup ("");

      cells[0] = g_strdup_printf ("%d", instalment->seq);
      cells[1] = g_markup_escape_text (due, -1);
      cells[2] = money_cell (instalment->amount, currency);
      cells[3] = g_markup_escape_text (reference, -1);
      cells[4] = table_label (self, "instalments",
                              instalment->paid >= instalment->amount ? "paid" : "open");
      total += instalment->amount;
      table_add_row (table, self->draw, cells, 0x5, FALSE);
      for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
        g_free (cells[i]);
    }

  cells[0] = g_strdup ("");
  cells[1] = table_label (self, "instalments", "sum");
  cells[2] = money_cell (total, currency);
  cells[3] = g_strdup ("");
  cells[4] = g_strdup ("");
  table->total_row = (gint) table->rows->len;
  table_add_row (table, self->draw, cells, 0x5, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    g_free (cells[i]);

  add_table (self, table, space_before);
}

/* Seized goods: the "items" field of the step that produced the act. */
static void
add_items (Layout     *self,
           JsonObject *block,
           double      space_before)
{
  static const double fractions[] = { 0.08, 0.67, 0.25 };
  static const char * const columns[] = { "seq", "description", "value" };
  const char *field = _esa_json_get_string (block, "field");
  JsonNode *items = NULL;
  Table *table;
  char *cells[G_N_ELEMENTS (columns)];
  gint64 total = 0;
  guint n = 0;

  if (self->data->fields != NULL && field != NULL)
    items = json_object_get_member (json_node_get_object (self->data->fields), field);

  if (items == NULL || !JSON_NODE_HOLDS_ARRAY (items)
      || json_array_get_length (json_node_get_array (items)) == 0)
    {
      g_autofree char *none = table_label (self, "items", "none");

      add_text (self, none, BODY_SIZE, FALSE, FALSE, PANGO_ALIGN_LEFT, space_before, 0, FALSE);
      return;
    }

  table = table_new (fractions, G_N_ELEMENTS (fractions));
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    cells[i] = table_label (self, "items", columns[i]);
  table_add_row (table, self->draw, cells, 0x4, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    g_free (cells[i]);

  for (guint k = 0; k < json_array_get_length (json_node_get_array (items)); k++)
    {
      JsonNode *item = json_array_get_element (json_node_get_array (items), k);
      JsonObject *object;
      JsonNode *value;
      gint64 amount = 0;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        continue;
      object = json_node_get_object (item);
      value = json_object_get_member (object, "estimated_value");
      if (value != NULL && JSON_NODE_HOLDS_VALUE (value)
          && json_node_get_value_type (value) == G_TYPE_INT64)
        amount = json_node_get_int (value);
      else if (value != NULL && JSON_NODE_HOLDS_VALUE (value)
               && json_node_get_value_type (value) == G_TYPE_STRING)
        esa_money_parse (json_node_get_string (value), &amount, NULL);

      cells[0] = g_strdup_printf ("%u", ++n);
      cells[1] = g_markup_escape_text (_esa_json_get_string (object, "description") != NULL
                                       ? _esa_json_get_string (object, "description") : "", -1);
      cells[2] = money_cell (amount, self->data->body->currency);
      total += amount;
      table_add_row (table, self->draw, cells, 0x4, FALSE);
      for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
        g_free (cells[i]);
    }

  cells[0] = g_strdup ("");
  cells[1] = table_label (self, "items", "sum");
  cells[2] = money_cell (total, self->data->body->currency);
  table->total_row = (gint) table->rows->len;
  table_add_row (table, self->draw, cells, 0x4, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    g_free (cells[i]);

  add_table (self, table, space_before);
}

/* The debtor's proceedings, for an extract from the register. */
static void
add_register (Layout *self,
              double  space_before)
{
  static const double fractions[] = { 0.13, 0.33, 0.14, 0.16, 0.12, 0.12 };
  static const char * const columns[] = {
    "case", "creditor", "opened", "state", "claim", "balance",
  };
  Table *table;
  char *cells[G_N_ELEMENTS (columns)];

  if (self->data->register_entries->len == 0)
    {
      g_autofree char *none = table_label (self, "register", "none");

      add_text (self, none, BODY_SIZE, FALSE, FALSE, PANGO_ALIGN_LEFT, space_before, 0, FALSE);
      return;
    }

  table = table_new (fractions, G_N_ELEMENTS (fractions));
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    cells[i] = table_label (self, "register", columns[i]);
  table_add_row (table, self->draw, cells, 0x30, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    g_free (cells[i]);

  for (guint k = 0; k < self->data->register_entries->len; k++)
    {
      const EsaActRegisterEntry *entry = g_ptr_array_index (self->data->register_entries, k);
      const char *state = common_member (self, "states", entry->state);
      g_autofree char *opened = _esa_format_short_date (self->tmpl, entry->opened_on);

      cells[0] = g_strndup (entry->case_id, 8);
      cells[1] = g_markup_escape_text (entry->body_name, -1);
      cells[2] = g_markup_escape_text (opened, -1);
      cells[3] = g_markup_escape_text (state != NULL ? state : entry->state, -1);
      cells[4] = money_cell (entry->claim, entry->currency);
      cells[5] = money_cell (entry->balance, entry->currency);
      table_add_row (table, self->draw, cells, 0x30, FALSE);
      for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
        g_free (cells[i]);
    }

  add_table (self, table, space_before);
}

/* Label and value rows; a row whose value is empty is left out. */
static void
add_facts (Layout     *self,
           JsonObject *block,
           double      space_before)
{
  JsonNode *rows = json_object_get_member (block, "rows");
  const double label_width = TEXT_WIDTH * 0.34;
  gboolean first = TRUE;

  if (rows == NULL || !JSON_NODE_HOLDS_ARRAY (rows))
    return;

  for (guint k = 0; k < json_array_get_length (json_node_get_array (rows)); k++)
    {
      JsonNode *row = json_array_get_element (json_node_get_array (rows), k);
      g_autofree char *label = NULL;
      g_autofree char *value = NULL;
      Slice slice = { SLICE_BLOCK, };
      int h1, h2;

      if (!JSON_NODE_HOLDS_OBJECT (row))
        continue;
      label = expand_markup (self, _esa_json_get_string (json_node_get_object (row), "label"));
      value = expand_markup (self, _esa_json_get_string (json_node_get_object (row), "value"));
      if (*g_strstrip (value) == '\0')
        continue;

      slice.layout = keep_layout (self, _esa_draw_layout (self->draw, label, 9.0, FALSE,
                                                          label_width - CELL_PAD_X,
                                                          PANGO_ALIGN_LEFT));
      slice.value_layout = keep_layout (self, _esa_draw_layout (self->draw, value, BODY_SIZE,
                                                                FALSE, TEXT_WIDTH - label_width,
                                                                PANGO_ALIGN_LEFT));
      slice.value_indent = label_width;
      pango_layout_get_size (slice.layout, NULL, &h1);
      pango_layout_get_size (slice.value_layout, NULL, &h2);
      slice.height = MAX (h1, h2) / (double) PANGO_SCALE + ESA_MM (1.2);
      slice.space_before = first ? space_before : 0;
      add_slice (self, &slice);
      first = FALSE;
    }
}

static void
add_signature (Layout *self,
               double  space_before)
{
  GPtrArray *parts = g_ptr_array_new ();
  static const char * const members[] = { "place", "role", "name", "note" };
  Slice slice = { SLICE_SIGNATURE, };
  double right = 0, left = 0;

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      g_autofree char *path = g_strdup_printf ("signature.%s", members[i]);
      g_autofree char *markup = text_of (self, path);
      PangoLayout *layout;
      int h;

      layout = keep_layout (self,
                            _esa_draw_layout (self->draw, markup,
                                              i == 3 ? 7.5 : BODY_SIZE, i == 2,
                                              i == 0 ? ESA_MM (80.0) : ESA_MM (80.0),
                                              i == 0 ? PANGO_ALIGN_LEFT : PANGO_ALIGN_CENTER));
      pango_layout_get_size (layout, NULL, &h);
      if (i == 0)
        left = (double) h / PANGO_SCALE;
      else
        right += (double) h / PANGO_SCALE + ESA_MM (1.0);
      g_ptr_array_add (parts, layout);
    }
  g_ptr_array_add (self->signatures, parts);

  slice.signature = parts;
  /* Room for a handwritten signature between the name and the note. */
  slice.height = MAX (left, right + ESA_MM (6.0));
  slice.space_before = space_before;
  add_slice (self, &slice);
}

static gboolean
build_flow (Layout  *self,
            GError **error)
{
  JsonNode *blocks = json_object_get_member (self->tmpl->act, "blocks");
  g_autofree char *title = text_of (self, "title");
  g_autofree char *subtitle = text_of (self, "subtitle");

  add_text (self, title, 14.0, TRUE, FALSE, PANGO_ALIGN_LEFT, 0, 0, TRUE);
  add_text (self, subtitle, 9.0, FALSE, FALSE, PANGO_ALIGN_LEFT, ESA_MM (1.0), 0, TRUE);

  if (blocks == NULL)
    return TRUE;

  for (guint i = 0; i < json_array_get_length (json_node_get_array (blocks)); i++)
    {
      JsonObject *block = json_array_get_object_element (json_node_get_array (blocks), i);
      const char *type = _esa_json_get_string (block, "type");
      g_autofree char *markup = expand_markup (self, _esa_json_get_string (block, "text"));
      const char *align = _esa_json_get_string (block, "align");
      PangoAlignment alignment = g_strcmp0 (align, "center") == 0 ? PANGO_ALIGN_CENTER
                                 : g_strcmp0 (align, "right") == 0 ? PANGO_ALIGN_RIGHT
                                 : PANGO_ALIGN_LEFT;
      gboolean justify = align == NULL || g_strcmp0 (align, "justify") == 0;

      if (g_strcmp0 (type, "text") == 0)
        add_text (self, markup, BODY_SIZE, FALSE, justify, alignment, ESA_MM (3.0), 0, FALSE);
      else if (g_strcmp0 (type, "small") == 0)
        add_text (self, markup, SMALL_SIZE, FALSE, justify, alignment, ESA_MM (2.0), 0, FALSE);
      else if (g_strcmp0 (type, "heading") == 0)
        add_text (self, markup, BODY_SIZE + 0.5, TRUE, FALSE, alignment, ESA_MM (5.0), 0, TRUE);
      else if (g_strcmp0 (type, "amounts") == 0)
        add_amounts (self, ESA_MM (3.0));
      else if (g_strcmp0 (type, "instalments") == 0)
        add_instalments (self, ESA_MM (3.0));
      else if (g_strcmp0 (type, "items") == 0)
        add_items (self, block, ESA_MM (3.0));
      else if (g_strcmp0 (type, "register") == 0)
        add_register (self, ESA_MM (3.0));
      else if (g_strcmp0 (type, "facts") == 0)
        add_facts (self, block, ESA_MM (3.0));
      else if (g_strcmp0 (type, "signature") == 0)
        add_signature (self, ESA_MM (8.0));
      else if (g_strcmp0 (type, "space") == 0)
        {
          Slice slice = { SLICE_SPACE, };
          JsonNode *mm = json_object_get_member (block, "mm");

          slice.height = ESA_MM (mm != NULL && JSON_NODE_HOLDS_VALUE (mm)
                                 ? json_node_get_double (mm) : 4.0);
          add_slice (self, &slice);
        }
      else
        {
          g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_TEMPLATE,
                       _("%s: $.blocks[%u].type: unknown block type “%s”"),
                       self->tmpl->act_file, i, type != NULL ? type : "");
          return FALSE;
        }
    }
  return TRUE;
}

/* ---- slips -------------------------------------------------------------- */

static void
set_value (Layout     *self,
           const char *name,
           char       *value)
{
  g_hash_table_insert (self->values, g_strdup (name), value);
}

static gboolean
collect_slips (Layout  *self,
               GError **error)
{
  const char *kind = _esa_json_get_string (self->tmpl->act, "slips");
  const char *currency = self->data->body->currency;

  if (kind == NULL || g_strcmp0 (kind, "none") == 0)
    return TRUE;

  if (g_strcmp0 (kind, "positions") == 0)
    {
      guint n = 0;

      for (guint i = 0; i < self->data->positions->len; i++)
        {
          const EsaPosition *position = g_ptr_array_index (self->data->positions, i);

          if (esa_position_balance (position) > 0)
            n++;
        }
      for (guint i = 0, k = 0; i < self->data->positions->len; i++)
        {
          const EsaPosition *position = g_ptr_array_index (self->data->positions, i);
          const char *short_name = common_member (self, "revenue_short", position->revenue_type);
          EsaSlip *slip;

          if (esa_position_balance (position) <= 0)
            continue;
          if (position->payment_reference == NULL || *position->payment_reference == '\0')
            {
              g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_DATA,
                           _("Position %s has no payment reference: its slip cannot be "
                             "printed"), position->reference);
              return FALSE;
            }

          k++;
          slip = g_new0 (EsaSlip, 1);
          slip->reference = position->payment_reference;
          slip->amount = esa_position_balance (position);
          /* Due within the act's deadline from its service, which the
           * slip says in words: the date of service is not known yet. */
          slip->due_on = NULL;
          set_value (self, "instalment.seq", g_strdup_printf ("%u", k));
          set_value (self, "instalment.count", g_strdup_printf ("%u", n));
          set_value (self, "slip.title", g_strdup_printf ("%s %d",
                                                          short_name != NULL ? short_name
                                                          : position->revenue_type,
                                                          position->year));
          slip->caption = text_of (self, n > 1 ? "slip.several" : "slip.single");
          slip->subject = text_of (self, "slip.subject");
          g_ptr_array_add (self->slips, slip);
        }
    }
  else if (g_strcmp0 (kind, "instalments") == 0)
    {
      guint n = self->data->instalments->len;

      if (n == 0)
        {
          g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_DATA,
                       _("Act %s is an instalment plan, but its case has no plan with "
                         "instalments"), self->data->act->number);
          return FALSE;
        }
      for (guint i = 0; i < n; i++)
        {
          const EsaActInstalment *instalment = g_ptr_array_index (self->data->instalments, i);
          EsaSlip *slip;

          if (instalment->paid >= instalment->amount)
            continue;
          if (instalment->payment_reference == NULL || *instalment->payment_reference == '\0')
            {
              g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_DATA,
                           _("Instalment %d of act %s has no payment reference: its slip "
                             "cannot be printed"), instalment->seq, self->data->act->number);
              return FALSE;
            }

          slip = g_new0 (EsaSlip, 1);
          slip->reference = instalment->payment_reference;
          slip->amount = instalment->amount - instalment->paid;
          slip->due_on = instalment->due_on;
          set_value (self, "instalment.seq", g_strdup_printf ("%d", instalment->seq));
          set_value (self, "instalment.count", g_strdup_printf ("%u", n));
          set_value (self, "instalment.due", _esa_format_date (self->tmpl, instalment->due_on));
          set_value (self, "instalment.amount", esa_money_format (slip->amount, currency));
          set_value (self, "slip.title", text_of (self, "slip.instalment"));
          slip->caption = text_of (self, "slip.instalment");
          slip->subject = text_of (self, "slip.subject");
          g_ptr_array_add (self->slips, slip);
        }
    }

  /* Captions and subjects are markup; slips draw plain text. */
  for (guint i = 0; i < self->slips->len; i++)
    {
      EsaSlip *slip = g_ptr_array_index (self->slips, i);
      char *plain = NULL;

      if (pango_parse_markup (slip->caption, -1, 0, NULL, &plain, NULL, NULL))
        {
          g_free (slip->caption);
          slip->caption = plain;
        }
      if (pango_parse_markup (slip->subject, -1, 0, NULL, &plain, NULL, NULL))
        {
          g_free (slip->subject);
          slip->subject = plain;
        }
    }
  return TRUE;
}

/* ---- pagination ---------------------------------------------------------- */

static double
flow_top (const Page *page)
{
  return page->first ? FLOW_TOP_1 : FLOW_TOP;
}

/* The height of the slices @from..@to (inclusive) placed one after the
 * other, without the first one's space. */
static double
chain_height (Layout *self,
              guint   from,
              guint   to)
{
  double height = 0;

  for (guint i = from; i <= to; i++)
    {
      const Slice *slice = &g_array_index (self->slices, Slice, i);

      height += slice->height + (i > from ? slice->space_before : 0);
      if (slice->kind == SLICE_ROW && slice->index == 1)
        height += g_array_index (slice->table->heights, double, 0);
    }
  return height;
}

static void
paginate (Layout *self)
{
  Page *page = page_new (TRUE);
  double y = flow_top (page);
  const Table *header_on_page = NULL;
  gboolean at_top = TRUE;
  guint i = 0;

  g_ptr_array_add (self->pages, page);

  while (i < self->slices->len)
    {
      guint end = i;
      double needed;

      while (end + 1 < self->slices->len
             && g_array_index (self->slices, Slice, end).keep_with_next
             && end - i < 6)
        end++;

      needed = chain_height (self, i, end);
      {
        const Slice *first = &g_array_index (self->slices, Slice, i);

        if (!at_top)
          needed += first->space_before;
        if (first->kind == SLICE_ROW && first->index > 1 && header_on_page != first->table)
          needed += g_array_index (first->table->heights, double, 0);
      }

      if (y + needed > FLOW_BOTTOM && !at_top)
        {
          page = page_new (FALSE);
          g_ptr_array_add (self->pages, page);
          y = flow_top (page);
          at_top = TRUE;
          header_on_page = NULL;
        }

      for (guint k = i; k <= end; k++)
        {
          const Slice *slice = &g_array_index (self->slices, Slice, k);
          Placed placed = { slice, 0, FALSE };

          if (!at_top)
            y += slice->space_before;
          /* A chain taller than a page breaks where it must. */
          if (y + slice->height > FLOW_BOTTOM && !at_top)
            {
              page = page_new (FALSE);
              g_ptr_array_add (self->pages, page);
              y = flow_top (page);
              header_on_page = NULL;
            }
          if (slice->kind == SLICE_ROW && header_on_page != slice->table)
            {
              placed.with_header = TRUE;
              y += g_array_index (slice->table->heights, double, 0);
              header_on_page = slice->table;
            }
          placed.y = y;
          g_array_append_val (page->placed, placed);
          y += slice->height;
          at_top = FALSE;
        }
      i = end + 1;
    }

  /* The slips. */
  if (self->slips->len == 0)
    return;

  if (g_strcmp0 (self->data->body->country, "CH") == 0)
    {
      for (guint k = 0; k < self->slips->len; k++)
        {
          PlacedSlip placed = { g_ptr_array_index (self->slips, k), 0, TRUE };

          if (k > 0 || y > QR_PAGE_BOTTOM)
            {
              const EsaSlip *slip = placed.slip;

              page = page_new (FALSE);
              page->caption = g_strdup (slip->caption);
              g_ptr_array_add (self->pages, page);
            }
          g_array_append_val (page->slips, placed);
        }
    }
  else
    {
      double bottom = FLOW_BOTTOM;
      guint k = 0;
      guint fit = (guint) MAX (0.0, (bottom - y - ESA_MM (4.0)) / ESA_PAGOPA_SLIP_HEIGHT);

      /* As many as fit at the foot of the last page, then three a page. */
      while (k < self->slips->len)
        {
          guint n;

          if (fit == 0)
            {
              page = page_new (FALSE);
              g_ptr_array_add (self->pages, page);
              fit = (guint) ((FLOW_BOTTOM - FLOW_TOP) / ESA_PAGOPA_SLIP_HEIGHT);
              bottom = FLOW_TOP + fit * ESA_PAGOPA_SLIP_HEIGHT;
            }
          n = MIN (fit, self->slips->len - k);
          for (guint j = 0; j < n; j++)
            {
              PlacedSlip placed = { g_ptr_array_index (self->slips, k + j), 0, FALSE };

              placed.y = bottom - (n - j) * ESA_PAGOPA_SLIP_HEIGHT;
              g_array_append_val (page->slips, placed);
            }
          k += n;
          fit = 0;
        }
    }
}

/* ---- drawing ------------------------------------------------------------ */

static void
draw_letterhead (Layout  *self,
                 cairo_t *cr)
{
  JsonNode *letterhead = json_object_get_member (self->tmpl->profile, "letterhead");
  JsonObject *object = letterhead != NULL && JSON_NODE_HOLDS_OBJECT (letterhead)
                       ? json_node_get_object (letterhead) : NULL;
  g_autofree char *title = expand_markup (self, object != NULL
                                          ? _esa_json_get_string (object, "title")
                                          : "{body.name}");
  JsonNode *lines = object != NULL ? json_object_get_member (object, "lines") : NULL;
  double x = LEFT;
  double y = ESA_MM (13.0);

  if (self->logo != NULL && self->logo_width > 0 && self->logo_height > 0)
    {
      double scale = MIN (ESA_MM (45.0) / self->logo_width, ESA_MM (22.0) / self->logo_height);

      cairo_save (cr);
      cairo_translate (cr, LEFT, ESA_MM (12.0));
      cairo_scale (cr, scale, scale);
      cairo_set_source_surface (cr, self->logo, 0, 0);
      cairo_paint (cr);
      cairo_restore (cr);
      x = LEFT + self->logo_width * scale + ESA_MM (5.0);
    }

  cairo_set_source_rgb (cr, 0.0, 0.0, 0.0);
  y += _esa_draw_markup (self->draw, cr, title, 12.5, TRUE, x, y, LEFT + TEXT_WIDTH - x,
                         PANGO_ALIGN_LEFT);
  y += ESA_MM (0.8);
  cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
  if (lines == NULL)
    {
      g_autofree char *office = expand_markup (self, "{office.name}");

      _esa_draw_markup (self->draw, cr, office, 8.5, FALSE, x, y, LEFT + TEXT_WIDTH - x,
                        PANGO_ALIGN_LEFT);
    }
  else if (JSON_NODE_HOLDS_ARRAY (lines))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (lines)); i++)
      {
        g_autofree char *line = expand_markup (self, _esa_json_array_string (
                                                 json_node_get_array (lines), i));

        y += _esa_draw_markup (self->draw, cr, line, 8.5, FALSE, x, y, LEFT + TEXT_WIDTH - x,
                               PANGO_ALIGN_LEFT);
      }
  cairo_set_source_rgb (cr, 0.0, 0.0, 0.0);
}

static double
window_value (Layout     *self,
              const char *name,
              double      fallback)
{
  JsonNode *window = json_object_get_member (self->tmpl->common, "window");
  JsonNode *node;

  if (window == NULL || !JSON_NODE_HOLDS_OBJECT (window))
    return fallback;
  node = json_object_get_member (json_node_get_object (window), name);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || (json_node_get_value_type (node) != G_TYPE_INT64
          && json_node_get_value_type (node) != G_TYPE_DOUBLE))
    return fallback;
  return json_node_get_double (node);
}

static void
draw_address_window (Layout  *self,
                     cairo_t *cr)
{
  const double x = ESA_MM (window_value (self, "x", 100.0));
  const double y = ESA_MM (window_value (self, "y", 45.0));
  const double width = ESA_MM (window_value (self, "width", 90.0));
  const double inset = ESA_MM (5.0);
  g_autofree char *return_line = text_of (self, "window.return");
  GString *address = g_string_new (NULL);
  g_autofree char *markup = NULL;
  double top;

  cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
  top = y + ESA_MM (3.0);
  top += _esa_draw_markup (self->draw, cr, return_line, 6.5, FALSE, x + inset, top,
                           width - 2 * inset, PANGO_ALIGN_LEFT);
  cairo_set_line_width (cr, 0.3);
  cairo_move_to (cr, x + inset, top + ESA_MM (0.5));
  cairo_line_to (cr, x + width - inset, top + ESA_MM (0.5));
  cairo_stroke (cr);
  cairo_set_source_rgb (cr, 0.0, 0.0, 0.0);

  {
    g_autofree char *name = g_markup_escape_text (self->data->debtor->name, -1);

    g_string_append (address, name);
  }
  if (self->data->debtor->addresses != NULL && self->data->debtor->addresses->len > 0)
    {
      const EsaAddress *current = g_ptr_array_index (self->data->debtor->addresses, 0);
      g_autofree char *street = g_markup_escape_text (current->street, -1);
      g_autofree char *town = g_markup_escape_text (current->town, -1);
      g_autofree char *postcode = g_markup_escape_text (current->postcode != NULL
                                                        ? current->postcode : "", -1);

      g_string_append_printf (address, "\n%s\n%s%s%s", street, postcode,
                              *postcode != '\0' ? " " : "", town);
      if (g_strcmp0 (current->country, self->data->body->country) != 0)
        {
          const char *country = common_member (self, "countries", current->country);
          g_autofree char *escaped = g_markup_escape_text (country != NULL ? country
                                                           : current->country, -1);

          g_string_append_printf (address, "\n%s", escaped);
        }
    }
  markup = g_string_free (address, FALSE);
  _esa_draw_markup (self->draw, cr, markup, 10.5, FALSE, x + inset, top + ESA_MM (3.0),
                    width - 2 * inset, PANGO_ALIGN_LEFT);
}

/* The act's references at the left of the window. */
static void
draw_references (Layout  *self,
                 cairo_t *cr)
{
  JsonNode *rows = json_object_get_member (self->tmpl->common, "reference_rows");
  double y = ESA_MM (window_value (self, "y", 45.0) + 3.0);
  const double label_width = ESA_MM (27.0);
  const double value_width = ESA_MM (window_value (self, "x", 100.0) - 22.0) - label_width;

  if (rows == NULL || !JSON_NODE_HOLDS_ARRAY (rows))
    return;

  for (guint i = 0; i < json_array_get_length (json_node_get_array (rows)); i++)
    {
      JsonObject *row = _esa_json_array_object (json_node_get_array (rows), i);
      g_autofree char *label = expand_markup (self, _esa_json_get_string (row, "label"));
      g_autofree char *value = expand_markup (self, _esa_json_get_string (row, "value"));
      double h1, h2;

      if (*g_strstrip (value) == '\0')
        continue;
      cairo_set_source_rgb (cr, 0.35, 0.35, 0.35);
      h1 = _esa_draw_markup (self->draw, cr, label, 7.0, FALSE, LEFT, y + 0.5,
                             label_width - ESA_MM (1.5),
                             PANGO_ALIGN_LEFT);
      cairo_set_source_rgb (cr, 0.0, 0.0, 0.0);
      h2 = _esa_draw_markup (self->draw, cr, value, 8.0, FALSE, LEFT + label_width, y,
                             value_width, PANGO_ALIGN_LEFT);
      y += MAX (h1, h2) + ESA_MM (0.8);
    }
}

static void
draw_continuation_header (Layout     *self,
                          cairo_t    *cr,
                          const Page *page)
{
  g_autofree char *right = NULL;
  g_autofree char *title = text_of (self, "title");
  g_autofree char *number = g_markup_escape_text (self->data->act->number, -1);
  JsonNode *letterhead = json_object_get_member (self->tmpl->profile, "letterhead");
  const char *heading = letterhead != NULL && JSON_NODE_HOLDS_OBJECT (letterhead)
                        ? _esa_json_get_string (json_node_get_object (letterhead), "title")
                        : NULL;
  g_autofree char *name = expand_markup (self, heading != NULL ? heading : "{body.name}");

  right = g_strdup_printf ("%s · %s", title, number);
  cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
  _esa_draw_markup (self->draw, cr, name, 8.5, TRUE, LEFT, ESA_MM (12.0), TEXT_WIDTH / 2,
                    PANGO_ALIGN_LEFT);
  _esa_draw_markup (self->draw, cr, right, 8.5, FALSE, LEFT + TEXT_WIDTH / 2, ESA_MM (12.0),
                    TEXT_WIDTH / 2, PANGO_ALIGN_RIGHT);
  cairo_set_source_rgb (cr, 0.55, 0.57, 0.6);
  cairo_set_line_width (cr, 0.5);
  cairo_move_to (cr, LEFT, ESA_MM (18.0));
  cairo_line_to (cr, LEFT + TEXT_WIDTH, ESA_MM (18.0));
  cairo_stroke (cr);
  cairo_set_source_rgb (cr, 0.0, 0.0, 0.0);

  if (page->caption != NULL)
    {
      g_autofree char *caption = g_markup_escape_text (page->caption, -1);

      _esa_draw_markup (self->draw, cr, caption, 11.0, TRUE, LEFT, FLOW_TOP, TEXT_WIDTH,
                        PANGO_ALIGN_LEFT);
    }
}

static void
draw_footer (Layout  *self,
             cairo_t *cr,
             guint    number,
             guint    count,
             double   y)
{
  g_autofree char *footer = text_of (self, "footer");
  g_autofree char *page = NULL;

  set_value (self, "page", g_strdup_printf ("%u", number));
  set_value (self, "pages", g_strdup_printf ("%u", count));
  page = text_of (self, "labels.page");

  cairo_set_source_rgb (cr, 0.55, 0.57, 0.6);
  cairo_set_line_width (cr, 0.4);
  cairo_move_to (cr, LEFT, y);
  cairo_line_to (cr, LEFT + TEXT_WIDTH, y);
  cairo_stroke (cr);
  cairo_set_source_rgb (cr, 0.35, 0.35, 0.35);
  _esa_draw_markup (self->draw, cr, footer, 7.0, FALSE, LEFT, y + ESA_MM (1.5),
                    TEXT_WIDTH - ESA_MM (30.0), PANGO_ALIGN_LEFT);
  _esa_draw_markup (self->draw, cr, page, 7.0, FALSE, LEFT + TEXT_WIDTH - ESA_MM (30.0),
                    y + ESA_MM (1.5), ESA_MM (30.0), PANGO_ALIGN_RIGHT);
  cairo_set_source_rgb (cr, 0.0, 0.0, 0.0);
}

static void
draw_slice (Layout       *self,
            cairo_t      *cr,
            const Placed *placed)
{
  const Slice *slice = placed->slice;

  switch (slice->kind)
    {
    case SLICE_LINE:
      cairo_move_to (cr, LEFT + slice->indent + slice->line_x,
                     placed->y + slice->baseline - slice->line_top);
      pango_cairo_show_layout_line (cr, pango_layout_get_line_readonly (slice->layout,
                                                                        (int) slice->index));
      break;

    case SLICE_ROW:
      if (placed->with_header)
        table_draw_row (slice->table, cr, 0,
                        placed->y - g_array_index (slice->table->heights, double, 0));
      table_draw_row (slice->table, cr, slice->index, placed->y);
      break;

    case SLICE_BLOCK:
      cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
      cairo_move_to (cr, LEFT + slice->indent, placed->y + 0.8);
      pango_cairo_show_layout (cr, slice->layout);
      cairo_set_source_rgb (cr, 0.0, 0.0, 0.0);
      if (slice->value_layout != NULL)
        {
          cairo_move_to (cr, LEFT + slice->value_indent, placed->y);
          pango_cairo_show_layout (cr, slice->value_layout);
        }
      break;

    case SLICE_SIGNATURE:
      {
        double right_x = LEFT + TEXT_WIDTH - ESA_MM (80.0);
        double y = placed->y;
        int h;

        cairo_move_to (cr, LEFT, placed->y);
        pango_cairo_show_layout (cr, g_ptr_array_index (slice->signature, 0));
        for (guint k = 1; k < slice->signature->len; k++)
          {
            PangoLayout *layout = g_ptr_array_index (slice->signature, k);

            if (k == 3)
              {
                /* The signature line, then the note under it. */
                y += ESA_MM (6.0);
                cairo_set_source_rgb (cr, 0.4, 0.4, 0.4);
                cairo_set_line_width (cr, 0.4);
                cairo_move_to (cr, right_x + ESA_MM (10.0), y - ESA_MM (1.0));
                cairo_line_to (cr, right_x + ESA_MM (70.0), y - ESA_MM (1.0));
                cairo_stroke (cr);
              }
            cairo_move_to (cr, right_x, y);
            pango_cairo_show_layout (cr, layout);
            cairo_set_source_rgb (cr, 0.0, 0.0, 0.0);
            pango_layout_get_size (layout, NULL, &h);
            y += (double) h / PANGO_SCALE + ESA_MM (1.0);
          }
      }
      break;

    case SLICE_SPACE:
    default:
      break;
    }
}

static gboolean
draw_page_on (Layout   *self,
              cairo_t  *cr,
              guint     number,
              GError  **error)
{
  Page *page = g_ptr_array_index (self->pages, number);
  gboolean qr_page = FALSE;
  cairo_status_t status;

  if (page->first)
    {
      draw_letterhead (self, cr);
      draw_references (self, cr);
      draw_address_window (self, cr);
    }
  else
    draw_continuation_header (self, cr, page);

  for (guint i = 0; i < page->placed->len; i++)
    draw_slice (self, cr, &g_array_index (page->placed, Placed, i));

  for (guint i = 0; i < page->slips->len; i++)
    {
      const PlacedSlip *placed = &g_array_index (page->slips, PlacedSlip, i);
      gboolean ok;

      if (placed->qr_bill)
        {
          ok = _esa_qr_bill_draw (self->draw, cr, self->tmpl, self->values, self->data,
                                  placed->slip, error);
          qr_page = TRUE;
        }
      else
        ok = _esa_pagopa_slip_draw (self->draw, cr, self->tmpl, self->values, self->data,
                                    placed->slip, placed->y, error);
      if (!ok)
        return FALSE;
    }

  draw_footer (self, cr, number + 1, self->pages->len,
               qr_page ? ESA_A4_HEIGHT - ESA_QR_BILL_HEIGHT - ESA_MM (10.0) : FOOTER_Y);

  status = cairo_status (cr);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_RENDER,
                   _("Drawing page %u of act %s failed: %s"), number + 1,
                   self->data->act->number, cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

/* The page as a vector recording, for drawing it again elsewhere. */
static cairo_surface_t *
record_page (Layout  *self,
             guint    number,
             GError **error)
{
  const cairo_rectangle_t extents = { 0, 0, ESA_A4_WIDTH, ESA_A4_HEIGHT };
  cairo_surface_t *surface = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, &extents);
  cairo_t *cr = cairo_create (surface);
  gboolean ok = draw_page_on (self, cr, number, error);

  cairo_destroy (cr);
  if (!ok)
    {
      cairo_surface_destroy (surface);
      return NULL;
    }
  return surface;
}

GPtrArray *
_esa_act_layout_pages (EsaDraw           *draw,
                       EsaActTemplate    *tmpl,
                       const EsaActData  *data,
                       cairo_surface_t   *logo,
                       double             logo_width,
                       double             logo_height,
                       cairo_t           *direct,
                       gboolean           record,
                       GError           **error)
{
  Layout self = { NULL, };
  g_autoptr(GPtrArray) pages = NULL;

  self.draw = draw;
  self.tmpl = tmpl;
  self.data = data;
  self.logo = logo;
  self.logo_width = logo_width;
  self.logo_height = logo_height;
  self.values = _esa_act_values_new (tmpl, data);
  self.layouts = g_ptr_array_new_with_free_func (g_object_unref);
  self.tables = g_ptr_array_new_with_free_func ((GDestroyNotify) table_free);
  self.signatures = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  self.slices = g_array_new (FALSE, TRUE, sizeof (Slice));
  self.slips = g_ptr_array_new_with_free_func ((GDestroyNotify) slip_free);
  self.pages = g_ptr_array_new_with_free_func ((GDestroyNotify) page_free);

  if (!collect_slips (&self, error) || !build_flow (&self, error))
    {
      layout_clear (&self);
      return NULL;
    }
  paginate (&self);

  pages = g_ptr_array_new_with_free_func ((GDestroyNotify) cairo_surface_destroy);
  for (guint i = 0; i < self.pages->len; i++)
    {
      cairo_surface_t *surface = NULL;

      /* Drawn straight onto a PDF when given one, and recorded when asked
       * for. */
      if (direct != NULL)
        {
          if (!draw_page_on (&self, direct, i, error))
            {
              layout_clear (&self);
              return NULL;
            }
          cairo_show_page (direct);
        }
      if (record)
        {
          surface = record_page (&self, i, error);
          if (surface == NULL)
            {
              layout_clear (&self);
              return NULL;
            }
        }
      g_ptr_array_add (pages, surface);
    }

  layout_clear (&self);
  return g_steal_pointer (&pages);
}
