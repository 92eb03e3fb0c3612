/* esa-queue-entry.c: one queue item for the list widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include "esa-queue-entry.h"

struct _EsaQueueEntry
{
  GObject       parent_instance;

  EsaQueueItem *item;
  char         *result;
  gboolean      failed;
};

G_DEFINE_FINAL_TYPE (EsaQueueEntry, esa_queue_entry, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RESULT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
esa_queue_entry_finalize (GObject *object)
{
  EsaQueueEntry *self = ESA_QUEUE_ENTRY (object);

  g_clear_pointer (&self->item, esa_queue_item_free);
  g_free (self->result);

  G_OBJECT_CLASS (esa_queue_entry_parent_class)->finalize (object);
}

static void
esa_queue_entry_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  EsaQueueEntry *self = ESA_QUEUE_ENTRY (object);

  switch (prop_id)
    {
    case PROP_RESULT:
      g_value_set_string (value, self->result);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esa_queue_entry_class_init (EsaQueueEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = esa_queue_entry_finalize;
  object_class->get_property = esa_queue_entry_get_property;

  properties[PROP_RESULT] =
    g_param_spec_string ("result", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
esa_queue_entry_init (EsaQueueEntry *self)
{
}

EsaQueueEntry *
esa_queue_entry_new (EsaQueueItem *item)
{
  EsaQueueEntry *self;

  g_return_val_if_fail (item != NULL, NULL);

  self = g_object_new (ESA_TYPE_QUEUE_ENTRY, NULL);
  self->item = item;

  return self;
}

const EsaQueueItem *
esa_queue_entry_get_item (EsaQueueEntry *self)
{
  g_return_val_if_fail (ESA_IS_QUEUE_ENTRY (self), NULL);
  return self->item;
}

const char *
esa_queue_entry_get_id (EsaQueueEntry *self)
{
  g_return_val_if_fail (ESA_IS_QUEUE_ENTRY (self), NULL);
  return self->item->id;
}

const char *
esa_queue_entry_get_result (EsaQueueEntry *self)
{
  g_return_val_if_fail (ESA_IS_QUEUE_ENTRY (self), NULL);
  return self->result;
}

gboolean
esa_queue_entry_get_failed (EsaQueueEntry *self)
{
  g_return_val_if_fail (ESA_IS_QUEUE_ENTRY (self), FALSE);
  return self->failed;
}

void
esa_queue_entry_set_result (EsaQueueEntry *self,
                            const char    *result,
                            gboolean       failed)
{
  g_return_if_fail (ESA_IS_QUEUE_ENTRY (self));

  if (g_strcmp0 (self->result, result) == 0 && self->failed == failed)
    return;
  g_free (self->result);
  self->result = g_strdup (result);
  self->failed = failed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESULT]);
}
