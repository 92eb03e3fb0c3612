#include "esa-config.h"

#include <glib/gi18n-lib.h>

#include "esa-viewer-document-private.h"
#include "esa-viewer-forms.h"
#include "esa-viewer-page.h"

#define BINDING_KEY "esa-viewer-forms-binding"

/* What a field widget writes to, and whom it tells. */
typedef struct
{
  EsaViewerDocument     *document;
  const EsaViewerField  *field;   /* owned by the document */
  EsaViewerFormsChanged  changed;
  gpointer               user_data;
} Binding;

/* ---- helpers ------------------------------------------------------------ */

static void
binding_free (Binding *binding)
{
  g_clear_object (&binding->document);
  g_free (binding);
}

static void
bind (GtkWidget             *widget,
      EsaViewerDocument     *document,
      const EsaViewerField  *field,
      EsaViewerFormsChanged  changed,
      gpointer               user_data)
{
  Binding *binding = g_new0 (Binding, 1);

  binding->document = g_object_ref (document);
  binding->field = field;
  binding->changed = changed;
  binding->user_data = user_data;
  g_object_set_data_full (G_OBJECT (widget), BINDING_KEY, binding,
                          (GDestroyNotify) binding_free);
}

/* The binding of a widget the user can still be changing: widgets taken
 * out of the window (while the viewer goes away) write nothing. */
static Binding *
live_binding (gpointer widget)
{
  if (gtk_widget_get_root (GTK_WIDGET (widget)) == NULL)
    return NULL;

  return g_object_get_data (G_OBJECT (widget), BINDING_KEY);
}

static void
notify_changed (Binding *binding)
{
  if (binding->changed != NULL)
    binding->changed (binding->user_data);
}

/* ---- callbacks ---------------------------------------------------------- */

static void
on_entry_changed (GtkEditable *editable)
{
  Binding *binding = live_binding (editable);

  if (binding == NULL)
    return;

  _esa_viewer_document_lock (binding->document);
  poppler_form_field_text_set_text (binding->field->field, gtk_editable_get_text (editable));
  _esa_viewer_document_unlock (binding->document);
  notify_changed (binding);
}

static void
on_text_buffer_changed (GtkTextBuffer *buffer,
                        GtkWidget     *text_view)
{
  Binding *binding = live_binding (text_view);
  GtkTextIter start;
  GtkTextIter end;
  g_autofree char *text = NULL;

  if (binding == NULL)
    return;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);

  _esa_viewer_document_lock (binding->document);
  poppler_form_field_text_set_text (binding->field->field, text);
  _esa_viewer_document_unlock (binding->document);
  notify_changed (binding);
}

static void
on_check_toggled (GtkCheckButton *button)
{
  Binding *binding = live_binding (button);
  gboolean active = gtk_check_button_get_active (button);
  PopplerFormButtonType type;

  if (binding == NULL)
    return;

  _esa_viewer_document_lock (binding->document);
  type = poppler_form_field_button_get_button_type (binding->field->field);
  /* A radio button that goes off does so because another one of its group
   * came on, which already set the group's value. */
  if (active || type != POPPLER_FORM_BUTTON_RADIO)
    poppler_form_field_button_set_state (binding->field->field, active);
  _esa_viewer_document_unlock (binding->document);
  notify_changed (binding);
}

static void
on_drop_down_selected (GtkDropDown *drop_down)
{
  Binding *binding = live_binding (drop_down);
  guint selected = gtk_drop_down_get_selected (drop_down);

  if (binding == NULL)
    return;

  _esa_viewer_document_lock (binding->document);
  if (selected == GTK_INVALID_LIST_POSITION)
    poppler_form_field_choice_unselect_all (binding->field->field);
  else
    poppler_form_field_choice_select_item (binding->field->field, (int) selected);
  _esa_viewer_document_unlock (binding->document);
  notify_changed (binding);
}

/* ---- widgets (under the document's lock) -------------------------------- */

/* Connected once the lock is released: a radio button joining its group
 * can switch another one off, whose handler takes the lock. */
static void
connect_widget (GtkWidget *widget)
{
  if (GTK_IS_ENTRY (widget))
    g_signal_connect (widget, "changed", G_CALLBACK (on_entry_changed), NULL);
  else if (GTK_IS_TEXT_VIEW (widget))
    g_signal_connect_object (gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget)), "changed",
                             G_CALLBACK (on_text_buffer_changed), widget, 0);
  else if (GTK_IS_CHECK_BUTTON (widget))
    g_signal_connect (widget, "toggled", G_CALLBACK (on_check_toggled), NULL);
  else if (GTK_IS_DROP_DOWN (widget))
    g_signal_connect (widget, "notify::selected", G_CALLBACK (on_drop_down_selected), NULL);
}

static GtkWidget *
new_text_widget (PopplerFormField *field)
{
  g_autofree char *text = poppler_form_field_text_get_text (field);
  GtkWidget *widget;

  if (poppler_form_field_text_get_text_type (field) == POPPLER_FORM_TEXT_MULTILINE)
    {
      GtkTextBuffer *buffer;

      widget = gtk_text_view_new ();
      gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (widget), GTK_WRAP_WORD_CHAR);
      buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget));
      gtk_text_buffer_set_text (buffer, text != NULL ? text : "", -1);
      return widget;
    }

  widget = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (widget), text != NULL ? text : "");
  if (poppler_form_field_text_get_max_len (field) > 0)
    gtk_entry_set_max_length (GTK_ENTRY (widget), poppler_form_field_text_get_max_len (field));
  if (poppler_form_field_text_is_password (field))
    gtk_entry_set_visibility (GTK_ENTRY (widget), FALSE);
  return widget;
}

static GtkWidget *
new_button_widget (PopplerFormField *field,
                   GHashTable       *radio_groups,
                   const char       *name)
{
  PopplerFormButtonType type = poppler_form_field_button_get_button_type (field);
  GtkWidget *widget;

  /* Push buttons run scripts, which this viewer does not. */
  if (type == POPPLER_FORM_BUTTON_PUSH)
    return NULL;

  widget = gtk_check_button_new ();
  gtk_check_button_set_active (GTK_CHECK_BUTTON (widget),
                               poppler_form_field_button_get_state (field));

  if (type == POPPLER_FORM_BUTTON_RADIO && name != NULL)
    {
      GtkCheckButton *leader = g_hash_table_lookup (radio_groups, name);

      if (leader != NULL)
        gtk_check_button_set_group (GTK_CHECK_BUTTON (widget), leader);
      else
        g_hash_table_insert (radio_groups, g_strdup (name), widget);
    }

  return widget;
}

static GtkWidget *
new_choice_widget (PopplerFormField *field)
{
  g_autoptr(GtkStringList) items = gtk_string_list_new (NULL);
  guint selected = GTK_INVALID_LIST_POSITION;
  int n_items = poppler_form_field_choice_get_n_items (field);
  GtkWidget *widget;

  for (int i = 0; i < n_items; i++)
    {
      g_autofree char *item = poppler_form_field_choice_get_item (field, i);

      gtk_string_list_append (items, item != NULL ? item : "");
      if (selected == GTK_INVALID_LIST_POSITION
          && poppler_form_field_choice_is_item_selected (field, i))
        selected = (guint) i;
    }

  widget = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&items)), NULL);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (widget), selected);
  return widget;
}

static GtkWidget *
new_field_widget (const EsaViewerField *field,
                  GHashTable           *radio_groups)
{
  GtkWidget *widget = NULL;
  g_autofree char *tooltip = NULL;

  if (poppler_form_field_is_read_only (field->field))
    return NULL;

  switch (poppler_form_field_get_field_type (field->field))
    {
    case POPPLER_FORM_FIELD_TEXT:
      widget = new_text_widget (field->field);
      break;

    case POPPLER_FORM_FIELD_BUTTON:
      widget = new_button_widget (field->field, radio_groups, field->name);
      break;

    case POPPLER_FORM_FIELD_CHOICE:
      widget = new_choice_widget (field->field);
      break;

    case POPPLER_FORM_FIELD_SIGNATURE:
    case POPPLER_FORM_FIELD_UNKNOWN:
    default:
      return NULL;
    }

  if (widget == NULL)
    return NULL;

  gtk_widget_add_css_class (widget, "esa-viewer-field");

  /* The form's own description of the field (its /TU entry), else its name,
   * is what a screen reader says and the tooltip shows. */
  tooltip = poppler_form_field_get_alternate_ui_name (field->field);
  if (tooltip == NULL || tooltip[0] == '\0')
    {
      g_free (tooltip);
      tooltip = poppler_form_field_get_partial_name (field->field);
    }
  if (tooltip != NULL && tooltip[0] != '\0')
    {
      gtk_widget_set_tooltip_text (widget, tooltip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip,
                                      -1);
    }

  return widget;
}

/* ---- saving (worker thread) --------------------------------------------- */

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  EsaViewerDocument *document = task_data;
  g_autoptr(GFileIOStream) stream = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  file = g_file_new_tmp ("esattore-filled-XXXXXX.pdf", &stream, &error);
  if (file == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* poppler writes the file by its name. */
  g_io_stream_close (G_IO_STREAM (stream), NULL, NULL);

  if (!_esa_viewer_document_save (document, file, &error))
    {
      g_file_delete (file, NULL, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&file), g_object_unref);
}

/* ---- public API --------------------------------------------------------- */

GPtrArray *
esa_viewer_forms_populate (EsaViewerDocument     *document,
                           GPtrArray             *pages,
                           EsaViewerFormsChanged  changed,
                           gpointer               user_data)
{
  g_autoptr(GPtrArray) widgets = g_ptr_array_new ();
  g_autoptr(GHashTable) radio_groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                              NULL);
  GPtrArray *fields;

  g_return_val_if_fail (ESA_IS_VIEWER_DOCUMENT (document), NULL);
  g_return_val_if_fail (pages != NULL, NULL);

  fields = _esa_viewer_document_get_fields (document);

  _esa_viewer_document_lock (document);
  for (guint i = 0; i < fields->len; i++)
    {
      const EsaViewerField *field = g_ptr_array_index (fields, i);
      GtkWidget *widget;

      if (field->page >= pages->len)
        continue;

      widget = new_field_widget (field, radio_groups);
      if (widget == NULL)
        continue;

      bind (widget, document, field, changed, user_data);
      esa_viewer_page_add_overlay (g_ptr_array_index (pages, field->page), widget,
                                   &field->area);
      g_ptr_array_add (widgets, widget);
    }
  _esa_viewer_document_unlock (document);

  for (guint i = 0; i < widgets->len; i++)
    connect_widget (g_ptr_array_index (widgets, i));

  return g_steal_pointer (&widgets);
}

const char *
esa_viewer_forms_get_field_name (GtkWidget *widget)
{
  Binding *binding;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  binding = g_object_get_data (G_OBJECT (widget), BINDING_KEY);
  return binding != NULL ? binding->field->name : NULL;
}

void
esa_viewer_forms_save_async (EsaViewerDocument   *document,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ESA_IS_VIEWER_DOCUMENT (document));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, esa_viewer_forms_save_async);
  g_task_set_task_data (task, g_object_ref (document), g_object_unref);
  g_task_run_in_thread (task, save_thread);
}

GFile *
esa_viewer_forms_save_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
