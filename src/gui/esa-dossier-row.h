#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* One row of a dossier table: a record of the dossier (a position, a payment,
 * an audit entry, …) turned once, when the dossier loads, into the texts its
 * cells show and the keys they sort by. The tables then never look at the
 * records again, so that one list item type and one cell renderer serve every
 * table of the page. */

#define ESA_TYPE_DOSSIER_ROW (esa_dossier_row_get_type ())
G_DECLARE_FINAL_TYPE (EsaDossierRow, esa_dossier_row, ESA, DOSSIER_ROW, GObject)

EsaDossierRow *esa_dossier_row_new           (guint          n_cells);

/* Text, sorted in the collation order of the current locale. */
void           esa_dossier_row_set_text      (EsaDossierRow *self,
                                              guint          cell,
                                              const char    *text);
void           esa_dossier_row_take_text     (EsaDossierRow *self,
                                              guint          cell,
                                              char          *text);
/* @text shown, sorted by @value (years, sizes). */
void           esa_dossier_row_take_number   (EsaDossierRow *self,
                                              guint          cell,
                                              char          *text,
                                              gint64         value);
/* An amount in minor units of @currency; sorted by currency, then value. */
void           esa_dossier_row_take_amount   (EsaDossierRow *self,
                                              guint          cell,
                                              char          *text,
                                              gint64         minor,
                                              const char    *currency);
/* An ISO date shown with esa_date_format_iso() and sorted by date (ISO
 * dates and timestamps sort correctly as text). */
void           esa_dossier_row_set_date      (EsaDossierRow *self,
                                              guint          cell,
                                              const char    *iso_date);
/* An ISO 8601 timestamp shown with esa_dossier_format_timestamp(). */
void           esa_dossier_row_set_timestamp (EsaDossierRow *self,
                                              guint          cell,
                                              const char    *timestamp);
/* @style_class: (nullable): a static style class for the cell ("success"…) */
void           esa_dossier_row_set_style     (EsaDossierRow *self,
                                              guint          cell,
                                              const char    *style_class);

const char    *esa_dossier_row_get_text      (EsaDossierRow *self,
                                              guint          cell);
const char    *esa_dossier_row_get_style     (EsaDossierRow *self,
                                              guint          cell);
/* Orders two rows by one cell: negative, 0 or positive like strcmp(). */
int            esa_dossier_row_compare       (EsaDossierRow *a,
                                              EsaDossierRow *b,
                                              guint          cell);

G_END_DECLS
