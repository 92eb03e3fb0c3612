#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Lays its children out in a row at their natural widths and starts a new
 * row where the width runs out, like words in a paragraph: the header's
 * badges and facts. (GtkFlowBox aligns its children in columns and stretches
 * them; libadwaita's AdwWrapBox came only in 1.7.) */

#define ESA_TYPE_DOSSIER_WRAP_BOX (esa_dossier_wrap_box_get_type ())
G_DECLARE_FINAL_TYPE (EsaDossierWrapBox, esa_dossier_wrap_box, ESA, DOSSIER_WRAP_BOX, GtkWidget)

void esa_dossier_wrap_box_append (EsaDossierWrapBox *self,
                                  GtkWidget         *child);
/* Removes every child (a dossier loaded again). */
void esa_dossier_wrap_box_remove_all (EsaDossierWrapBox *self);

G_END_DECLS
