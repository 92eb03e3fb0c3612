#pragma once

#include <adwaita.h>

#include "esa-attachments.h"
#include "esa-core.h"
#include "esa-store.h"

G_BEGIN_DECLS

/* The goods of an on-site seizure report: an items field of a procedure
 * action (it-coercive "seize_on_site", ch-lef "seize") as a list of items,
 * each with the sub-fields the procedure file gives them (description,
 * category, estimated value) and photos chosen from files. A sub-field with
 * the id "photos" holds the photos: they are copied into the attachments
 * folder when chosen, and become documents of the case when the step is
 * run; the item then names them by document id, separated by commas.
 *
 * The value is a JSON array of objects, one per item, each sub-field's value
 * as text (amounts "1234.50"). */

#define ESA_TYPE_SEIZURE_ITEMS (esa_seizure_items_get_type ())
G_DECLARE_FINAL_TYPE (EsaSeizureItems, esa_seizure_items, ESA, SEIZURE_ITEMS, GtkWidget)

/* The id of the sub-field that holds an item's photos. */
#define ESA_SEIZURE_PHOTOS_FIELD "photos"

/**
 * esa_seizure_items_new:
 * @field: an items field, owned by its procedure, which must outlive the widget
 * @currency: (nullable): the currency of the amounts
 * @attachments: (nullable): where photos are kept; NULL: photos cannot be added
 */
GtkWidget *esa_seizure_items_new           (const EsaField   *field,
                                            const char       *currency,
                                            EsaAttachments   *attachments);

const EsaField *esa_seizure_items_get_field (EsaSeizureItems *self);
guint      esa_seizure_items_get_n_items   (EsaSeizureItems  *self);
/* Adds an empty item, expanded, and returns its index. */
guint      esa_seizure_items_add_item      (EsaSeizureItems  *self);

/* Copies @file into the attachments folder as a photo of item @index. */
gboolean   esa_seizure_items_add_photo     (EsaSeizureItems  *self,
                                            guint             index,
                                            GFile            *file,
                                            GError          **error);

/**
 * esa_seizure_items_check:
 * @out_problem: (out) (optional) (transfer full): the first thing wrong
 *   ("Item 2: …"), when FALSE
 */
gboolean   esa_seizure_items_check         (EsaSeizureItems  *self,
                                            char            **out_problem);
/* Shows the problems (if any) even where nothing was edited yet. */
void       esa_seizure_items_reveal_problems (EsaSeizureItems *self);

/* Returns: (transfer full): one line per item for people, for the summary
 *   ("Sofa · Furniture · € 1.200,00 · 2 photos"). */
GStrv      esa_seizure_items_describe      (EsaSeizureItems  *self);

/**
 * esa_seizure_items_to_json:
 * @store: where the photos become documents
 *
 * Records every photo as a document of the debtor's case (title, type,
 * SHA-256 and size of the stored file) and returns the items.
 *
 * Returns: (transfer full): the JSON array, or NULL with @error set
 */
char      *esa_seizure_items_to_json       (EsaSeizureItems  *self,
                                            EsaStore         *store,
                                            const char       *debtor_id,
                                            const char       *case_id,
                                            GError          **error);

/* For the tests: the editor of item @index's sub-field @field_id (the row
 * of a text or amount, the AdwComboRow of a choice), or NULL. */
GtkWidget *_esa_seizure_items_get_input    (EsaSeizureItems  *self,
                                            guint             index,
                                            const char       *field_id);

G_END_DECLS
