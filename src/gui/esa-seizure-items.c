#include "esa-config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "esa-action-wizard-field.h"
#include "esa-seizure-items.h"

typedef struct
{
  char   *hash;
  char   *name;
  char   *mime_type;
  gint64  size;
  char   *document_id;  /* once filed */
} Photo;

typedef struct _Item Item;
struct _Item
{
  EsaSeizureItems *owner;
  AdwExpanderRow  *row;
  GPtrArray       *fields;      /* EsaActionWizardField, the sub-fields but the photos */
  GPtrArray       *photos;      /* Photo */
  GPtrArray       *photo_rows;  /* the rows listing them, in the expander */
  AdwActionRow    *photos_row;  /* NULL when the items have no photos */
};

struct _EsaSeizureItems
{
  GtkWidget            parent_instance;

  const EsaField      *field;
  const EsaField      *photos_field;
  char                *currency;
  EsaAttachments      *attachments;
  GPtrArray           *items;   /* Item */
  gboolean             touched;

  /* template children */
  AdwPreferencesGroup *group;
  GtkLabel            *problem_label;
};

G_DEFINE_FINAL_TYPE (EsaSeizureItems, esa_seizure_items, GTK_TYPE_WIDGET)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void update (EsaSeizureItems *self);

/* ---- items -------------------------------------------------------------- */

static void
photo_free (gpointer data)
{
  Photo *photo = data;

  g_free (photo->hash);
  g_free (photo->name);
  g_free (photo->mime_type);
  g_free (photo->document_id);
  g_free (photo);
}

static void
item_free (gpointer data)
{
  Item *item = data;

  g_clear_pointer (&item->fields, g_ptr_array_unref);
  g_clear_pointer (&item->photos, g_ptr_array_unref);
  g_clear_pointer (&item->photo_rows, g_ptr_array_unref);
  g_free (item);
}

static guint
item_index (EsaSeizureItems *self,
            Item            *item)
{
  guint index = 0;

  g_ptr_array_find (self->items, item, &index);
  return index;
}

static EsaActionWizardField *
find_sub_field (Item       *item,
                const char *field_id)
{
  for (guint i = 0; i < item->fields->len; i++)
    {
      EsaActionWizardField *editor = g_ptr_array_index (item->fields, i);

      if (g_strcmp0 (esa_action_wizard_field_get_field (editor)->id, field_id) == 0)
        return editor;
    }
  return NULL;
}

static char *
describe_item (EsaSeizureItems *self,
               Item            *item,
               gboolean         with_description)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < item->fields->len; i++)
    {
      EsaActionWizardField *editor = g_ptr_array_index (item->fields, i);
      const EsaField *field = esa_action_wizard_field_get_field (editor);
      char *text;

      if (!with_description && g_strcmp0 (field->id, "description") == 0)
        continue;

      text = esa_action_wizard_field_describe (editor);
      if (text[0] != '\0')
        g_ptr_array_add (parts, text);
      else
        g_free (text);
    }

  if (item->photos->len > 0)
    g_ptr_array_add (parts,
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u photo", "%u photos",
                                                   item->photos->len),
                                      item->photos->len));

  g_ptr_array_add (parts, NULL);
  /* Translators: the separator between the facts of a seized item,
   * "Sofa · Furniture · € 1.200,00". */
  return g_strjoinv (C_("list of facts", " · "), (char **) parts->pdata);
}

static void
update_item (EsaSeizureItems *self,
             Item            *item)
{
  EsaActionWizardField *description = find_sub_field (item, "description");
  g_autofree char *title = NULL;
  g_autofree char *subtitle = describe_item (self, item, FALSE);

  if (description != NULL)
    title = esa_action_wizard_field_describe (description);
  if (title == NULL || title[0] == '\0')
    {
      g_free (title);
      /* Translators: an item of a seizure report not yet described. */
      title = g_strdup_printf (_("Item %u"), item_index (self, item) + 1);
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (item->row), title);
  adw_expander_row_set_subtitle (item->row, subtitle);

  if (item->photos_row != NULL)
    {
      g_autofree char *count = NULL;

      if (self->attachments == NULL)
        count = g_strdup (_("Photos can be added to a database kept in a file"));
      else if (item->photos->len == 0)
        count = g_strdup (_("No photos yet"));
      else
        count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u photo", "%u photos",
                                              item->photos->len),
                                 item->photos->len);
      adw_action_row_set_subtitle (item->photos_row, count);
    }
}

static void
on_sub_field_changed (Item *item)
{
  item->owner->touched = TRUE;
  update_item (item->owner, item);
  update (item->owner);
}

static void
on_remove_photo_clicked (GtkButton *button,
                         Item      *item)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), ADW_TYPE_ACTION_ROW);
  guint index;

  if (row == NULL || !g_ptr_array_find (item->photo_rows, row, &index))
    return;

  adw_expander_row_remove (item->row, row);
  g_ptr_array_remove_index (item->photo_rows, index);
  g_ptr_array_remove_index (item->photos, index);
  on_sub_field_changed (item);
}

static void
add_photo_row (Item        *item,
               const Photo *photo)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name ("image-x-generic-symbolic");
  GtkWidget *remove = gtk_button_new_from_icon_name ("edit-delete-symbolic");
  g_autofree char *size = g_format_size (photo->size);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), photo->name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), size);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _("Remove This Photo"));
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_photo_clicked), item);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);

  adw_expander_row_add_row (item->row, row);
  g_ptr_array_add (item->photo_rows, row);
}

typedef struct
{
  EsaSeizureItems *self;
  Item            *item;
} ChooserData;

static void
on_photo_chooser_response (GtkNativeDialog *dialog,
                           int              response,
                           ChooserData     *data)
{
  EsaSeizureItems *self = data->self;

  if (response == GTK_RESPONSE_ACCEPT && g_ptr_array_find (self->items, data->item, NULL))
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));
      guint index = item_index (self, data->item);

      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        {
          g_autoptr(GFile) file = g_list_model_get_item (files, i);
          g_autoptr(GError) error = NULL;

          if (!esa_seizure_items_add_photo (self, index, file, &error))
            {
              gtk_label_set_text (self->problem_label, error->message);
              gtk_widget_set_visible (GTK_WIDGET (self->problem_label), TRUE);
              break;
            }
        }
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
  g_free (data);
}

static void
on_add_photos_clicked (GtkButton *button,
                       Item      *item)
{
  EsaSeizureItems *self = item->owner;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(GtkFileFilter) images = gtk_file_filter_new ();
  GtkFileChooserNative *dialog;
  ChooserData *data;

  dialog = gtk_file_chooser_native_new (_("Add Photos"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Add"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (dialog), TRUE);
  gtk_file_filter_set_name (images, _("Photos"));
  gtk_file_filter_add_mime_type (images, "image/*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), images);

  data = g_new0 (ChooserData, 1);
  data->self = g_object_ref (self);
  data->item = item;
  g_signal_connect (dialog, "response", G_CALLBACK (on_photo_chooser_response), data);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
on_remove_item_clicked (GtkButton *button,
                        Item      *item)
{
  EsaSeizureItems *self = item->owner;

  adw_preferences_group_remove (self->group, GTK_WIDGET (item->row));
  g_ptr_array_remove (self->items, item);

  for (guint i = 0; i < self->items->len; i++)
    update_item (self, g_ptr_array_index (self->items, i));

  self->touched = TRUE;
  update (self);
}

static Item *
new_item (EsaSeizureItems *self)
{
  Item *item = g_new0 (Item, 1);
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

  item->owner = self;
  item->row = ADW_EXPANDER_ROW (adw_expander_row_new ());
  item->fields = g_ptr_array_new_with_free_func (g_object_unref);
  item->photos = g_ptr_array_new_with_free_func (photo_free);
  item->photo_rows = g_ptr_array_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (item->row), FALSE);

  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _("Remove This Item"));
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_item_clicked), item);
  adw_expander_row_add_action (item->row, remove);

  for (guint i = 0; i < self->field->items->len; i++)
    {
      const EsaField *sub = g_ptr_array_index (self->field->items, i);
      EsaActionWizardField *editor;

      if (sub == self->photos_field)
        continue;

      editor = esa_action_wizard_field_new (sub, self->currency, NULL, NULL);
      adw_expander_row_add_row (item->row, esa_action_wizard_field_get_row (editor));
      adw_expander_row_add_row (item->row, esa_action_wizard_field_get_error_row (editor));
      g_signal_connect_swapped (editor, "changed", G_CALLBACK (on_sub_field_changed), item);
      g_ptr_array_add (item->fields, editor);
    }

  if (self->photos_field != NULL)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_("Add _Photos…"));

      item->photos_row = ADW_ACTION_ROW (adw_action_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (item->photos_row),
                                     esa_procedure_gettext (self->photos_field->label));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_sensitive (button, self->attachments != NULL);
      g_signal_connect (button, "clicked", G_CALLBACK (on_add_photos_clicked), item);
      adw_action_row_add_suffix (item->photos_row, button);
      adw_expander_row_add_row (item->row, GTK_WIDGET (item->photos_row));
    }

  return item;
}

/* ---- problems ----------------------------------------------------------- */

static void
update (EsaSeizureItems *self)
{
  g_autofree char *problem = NULL;
  gboolean ok = esa_seizure_items_check (self, &problem);

  gtk_label_set_text (self->problem_label, ok ? "" : problem);
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), !ok && self->touched);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* ---- actions ------------------------------------------------------------ */

static void
add_item_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  EsaSeizureItems *self = ESA_SEIZURE_ITEMS (widget);
  guint index = esa_seizure_items_add_item (self);
  Item *item = g_ptr_array_index (self->items, index);

  /* The new item's first field takes the typing. */
  if (item->fields->len > 0)
    gtk_widget_grab_focus (esa_action_wizard_field_get_input (g_ptr_array_index (item->fields,
                                                                                 0)));
}

/* ---- GObject ------------------------------------------------------------ */

static void
esa_seizure_items_dispose (GObject *object)
{
  EsaSeizureItems *self = ESA_SEIZURE_ITEMS (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), ESA_TYPE_SEIZURE_ITEMS);
  /* The template's outer box has no id, so disposing the template leaves it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_object (&self->attachments);

  G_OBJECT_CLASS (esa_seizure_items_parent_class)->dispose (object);
}

static void
esa_seizure_items_finalize (GObject *object)
{
  EsaSeizureItems *self = ESA_SEIZURE_ITEMS (object);

  g_free (self->currency);

  G_OBJECT_CLASS (esa_seizure_items_parent_class)->finalize (object);
}

static void
esa_seizure_items_class_init (EsaSeizureItemsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = esa_seizure_items_dispose;
  object_class->finalize = esa_seizure_items_finalize;

  /* An item was added, removed or edited. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "items.add", NULL, add_item_action);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/esattore/Esattore/ui/esa-seizure-items.ui");
  gtk_widget_class_bind_template_child (widget_class, EsaSeizureItems, group);
  gtk_widget_class_bind_template_child (widget_class, EsaSeizureItems, problem_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
esa_seizure_items_init (EsaSeizureItems *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->items = g_ptr_array_new_with_free_func (item_free);
}

/* ---- public API --------------------------------------------------------- */

GtkWidget *
esa_seizure_items_new (const EsaField *field,
                       const char     *currency,
                       EsaAttachments *attachments)
{
  EsaSeizureItems *self;

  g_return_val_if_fail (field != NULL && field->type == ESA_FIELD_ITEMS, NULL);

  self = g_object_new (ESA_TYPE_SEIZURE_ITEMS, NULL);
  self->field = field;
  self->currency = g_strdup (currency);
  self->attachments = attachments != NULL ? g_object_ref (attachments) : NULL;

  for (guint i = 0; field->items != NULL && i < field->items->len; i++)
    {
      const EsaField *sub = g_ptr_array_index (field->items, i);

      if (g_strcmp0 (sub->id, ESA_SEIZURE_PHOTOS_FIELD) == 0)
        self->photos_field = sub;
    }

  adw_preferences_group_set_title (self->group, esa_procedure_gettext (field->label));
  adw_preferences_group_set_description (self->group,
                                         _("List each item with its estimated value; add "
                                           "photos taken on site."));

  /* A seizure lists at least one item: the first is there to fill in. */
  esa_seizure_items_add_item (self);
  self->touched = FALSE;
  update (self);

  return GTK_WIDGET (self);
}

const EsaField *
esa_seizure_items_get_field (EsaSeizureItems *self)
{
  g_return_val_if_fail (ESA_IS_SEIZURE_ITEMS (self), NULL);
  return self->field;
}

guint
esa_seizure_items_get_n_items (EsaSeizureItems *self)
{
  g_return_val_if_fail (ESA_IS_SEIZURE_ITEMS (self), 0);
  return self->items->len;
}

guint
esa_seizure_items_add_item (EsaSeizureItems *self)
{
  Item *item;

  g_return_val_if_fail (ESA_IS_SEIZURE_ITEMS (self), 0);

  /* Only the item being filled in stays open. */
  for (guint i = 0; i < self->items->len; i++)
    adw_expander_row_set_expanded (((Item *) g_ptr_array_index (self->items, i))->row, FALSE);

  item = new_item (self);
  g_ptr_array_add (self->items, item);
  adw_preferences_group_add (self->group, GTK_WIDGET (item->row));
  adw_expander_row_set_expanded (item->row, TRUE);
  update_item (self, item);

  self->touched = TRUE;
  update (self);
  return self->items->len - 1;
}

gboolean
esa_seizure_items_add_photo (EsaSeizureItems  *self,
                             guint             index,
                             GFile            *file,
                             GError          **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *hash = NULL;
  Item *item;
  Photo *photo;
  const char *content_type;

  g_return_val_if_fail (ESA_IS_SEIZURE_ITEMS (self), FALSE);
  g_return_val_if_fail (index < self->items->len, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (self->attachments == NULL || self->photos_field == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("Photos cannot be kept for this database."));
      return FALSE;
    }

  info = g_file_query_info (file,
                            G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME ","
                            G_FILE_ATTRIBUTE_STANDARD_CONTENT_TYPE ","
                            G_FILE_ATTRIBUTE_STANDARD_SIZE,
                            G_FILE_QUERY_INFO_NONE, NULL, error);
  if (info == NULL)
    return FALSE;

  hash = esa_attachments_store_file (self->attachments, file, NULL, error);
  if (hash == NULL)
    return FALSE;

  content_type = g_file_info_get_content_type (info);
  photo = g_new0 (Photo, 1);
  photo->hash = g_steal_pointer (&hash);
  photo->name = g_strdup (g_file_info_get_display_name (info));
  photo->mime_type = content_type != NULL ? g_content_type_get_mime_type (content_type) : NULL;
  if (photo->mime_type == NULL)
    photo->mime_type = g_strdup ("application/octet-stream");
  photo->size = g_file_info_get_size (info);

  item = g_ptr_array_index (self->items, index);
  g_ptr_array_add (item->photos, photo);
  add_photo_row (item, photo);
  on_sub_field_changed (item);
  return TRUE;
}

gboolean
esa_seizure_items_check (EsaSeizureItems  *self,
                         char            **out_problem)
{
  g_return_val_if_fail (ESA_IS_SEIZURE_ITEMS (self), FALSE);

  if (self->items->len == 0 && self->field->required)
    {
      if (out_problem != NULL)
        *out_problem = g_strdup (_("List at least one item."));
      return FALSE;
    }

  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);

      for (guint j = 0; j < item->fields->len; j++)
        {
          EsaActionWizardField *editor = g_ptr_array_index (item->fields, j);
          const EsaField *sub = esa_action_wizard_field_get_field (editor);
          g_autofree char *problem = NULL;

          if (!esa_action_wizard_field_check (editor, NULL, &problem))
            {
              if (out_problem != NULL)
                /* Translators: the first %u is the number of an item of a
                 * seizure, then a field's name and what is wrong with it:
                 * "Item 2, Estimated value: Fill this in: it is required." */
                *out_problem = g_strdup_printf (_("Item %u, %s: %s"), i + 1,
                                                esa_procedure_gettext (sub->label), problem);
              return FALSE;
            }
        }
    }

  if (out_problem != NULL)
    *out_problem = NULL;
  return TRUE;
}

void
esa_seizure_items_reveal_problems (EsaSeizureItems *self)
{
  g_return_if_fail (ESA_IS_SEIZURE_ITEMS (self));

  self->touched = TRUE;
  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);

      for (guint j = 0; j < item->fields->len; j++)
        esa_action_wizard_field_reveal_problem (g_ptr_array_index (item->fields, j));
    }
  update (self);
}

GStrv
esa_seizure_items_describe (EsaSeizureItems *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (ESA_IS_SEIZURE_ITEMS (self), NULL);

  for (guint i = 0; i < self->items->len; i++)
    {
      g_autofree char *line = describe_item (self, g_ptr_array_index (self->items, i), TRUE);

      g_strv_builder_add (builder, line);
    }
  return g_strv_builder_end (builder);
}

char *
esa_seizure_items_to_json (EsaSeizureItems  *self,
                           EsaStore         *store,
                           const char       *debtor_id,
                           const char       *case_id,
                           GError          **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (ESA_IS_SEIZURE_ITEMS (self), NULL);
  g_return_val_if_fail (ESA_IS_STORE (store), NULL);

  json_builder_begin_array (builder);
  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);
      g_autoptr(GPtrArray) document_ids = g_ptr_array_new_with_free_func (g_free);

      json_builder_begin_object (builder);
      for (guint j = 0; j < item->fields->len; j++)
        {
          EsaActionWizardField *editor = g_ptr_array_index (item->fields, j);
          const EsaField *sub = esa_action_wizard_field_get_field (editor);
          g_autofree char *value = NULL;
          g_autofree char *problem = NULL;

          if (!esa_action_wizard_field_check (editor, &value, &problem))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("Item %u, %s: %s"),
                           i + 1, esa_procedure_gettext (sub->label), problem);
              return NULL;
            }
          if (value == NULL)
            continue;

          json_builder_set_member_name (builder, sub->id);
          json_builder_add_string_value (builder, value);
        }

      /* Photos taken on site are evidence: they are filed as documents of
       * the case before the step is run, and stay filed whatever becomes
       * of it. */
      for (guint j = 0; j < item->photos->len; j++)
        {
          Photo *photo = g_ptr_array_index (item->photos, j);
          EsaDocument document = { NULL, };
          g_autofree char *title = NULL;

          /* A second Run after a refusal files nothing twice. */
          if (photo->document_id == NULL)
            {
              /* Translators: the title of a document: a photo of a seized
               * item, its number and the photo's file name. */
              title = g_strdup_printf (_("Seizure, item %u: %s"), i + 1, photo->name);
              document.debtor_id = (char *) debtor_id;
              document.case_id = (char *) case_id;
              document.title = title;
              document.mime_type = photo->mime_type;
              document.sha256 = photo->hash;
              document.size = photo->size;

              photo->document_id = esa_store_add_document (store, &document, error);
              if (photo->document_id == NULL)
                return NULL;
            }
          g_ptr_array_add (document_ids, g_strdup (photo->document_id));
        }

      if (document_ids->len > 0)
        {
          g_autofree char *joined = NULL;

          g_ptr_array_add (document_ids, NULL);
          joined = g_strjoinv (",", (char **) document_ids->pdata);
          json_builder_set_member_name (builder, ESA_SEIZURE_PHOTOS_FIELD);
          json_builder_add_string_value (builder, joined);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

GtkWidget *
_esa_seizure_items_get_input (EsaSeizureItems *self,
                              guint            index,
                              const char      *field_id)
{
  EsaActionWizardField *editor;

  g_return_val_if_fail (ESA_IS_SEIZURE_ITEMS (self), NULL);

  if (index >= self->items->len)
    return NULL;

  editor = find_sub_field (g_ptr_array_index (self->items, index), field_id);
  return editor != NULL ? esa_action_wizard_field_get_input (editor) : NULL;
}
