#pragma once

#include <poppler.h>

#include "esa-viewer-document.h"

G_BEGIN_DECLS

/* poppler-glib 22.12 defines no g_autoptr() cleanups; the build checks
 * whether the poppler it compiles against does, so that these never clash
 * with a later release's own. */
#ifndef ESA_POPPLER_HAS_AUTOPTR
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerDocument, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerPage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerFormField, g_object_unref)
#endif

/* One widget annotation of a form field of a PDF. */
typedef struct
{
  PopplerFormField *field;
  char             *name;  /* fully qualified; radio buttons of one group share it */
  guint             page;
  graphene_rect_t   area;  /* points, from the page's top left corner */
} EsaViewerField;

/* (element-type EsaViewerField): every field of every page, in page order;
 * empty for an image. */
GPtrArray *_esa_viewer_document_get_fields  (EsaViewerDocument  *self);

/* A PopplerDocument is not safe to use from two threads at once; whoever
 * calls poppler on this document (the worker, the forms on the main thread,
 * printing) holds this lock meanwhile. */
void       _esa_viewer_document_lock        (EsaViewerDocument  *self);
void       _esa_viewer_document_unlock      (EsaViewerDocument  *self);

/* Writes the PDF with its fields as filled now; any thread, takes the lock. */
gboolean   _esa_viewer_document_save        (EsaViewerDocument  *self,
                                             GFile              *file,
                                             GError            **error);

G_END_DECLS
