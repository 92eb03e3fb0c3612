#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* How a column of a dossier table shows its cells. */
typedef enum
{
  ESA_DOSSIER_COLUMN_TEXT,   /* left aligned, natural width */
  ESA_DOSSIER_COLUMN_CODE,   /* references and numbers people compare digit by digit */
  ESA_DOSSIER_COLUMN_NUMBER, /* amounts, counts: right aligned, tabular figures */
  ESA_DOSSIER_COLUMN_WIDE,   /* free text: takes the spare width and wraps */
} EsaDossierColumnKind;

typedef struct
{
  const char           *title; /* marked with N_(), translated when shown */
  EsaDossierColumnKind  kind;
} EsaDossierColumn;

/* A sortable table of EsaDossierRow items that scrolls inside itself and shows
 * a status page instead of an empty table. A row double-clicked, or chosen
 * with Enter, is emitted as "row-activated". */

#define ESA_TYPE_DOSSIER_TABLE (esa_dossier_table_get_type ())
G_DECLARE_FINAL_TYPE (EsaDossierTable, esa_dossier_table, ESA, DOSSIER_TABLE, GtkWidget)

/* @columns: (array length=n_columns): static; each column sorts by its cell */
void  esa_dossier_table_set_columns (EsaDossierTable        *self,
                                     const EsaDossierColumn *columns,
                                     guint                   n_columns);
/* @rows: (element-type EsaDossierRow): shown in their order until the user
 * sorts by a column */
void  esa_dossier_table_set_rows    (EsaDossierTable        *self,
                                     GListModel             *rows);

G_END_DECLS
