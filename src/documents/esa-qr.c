#include "esa-qr.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <qrencode.h>
#include <string.h>

#include "esa-documents-error.h"

struct _EsaQrCode
{
  QRcode *code;
};

EsaQrCode *
esa_qr_code_new (const char  *payload,
                 GError     **error)
{
  EsaQrCode *self;
  QRcode *code;

  g_return_val_if_fail (payload != NULL, NULL);

  /* Byte mode: libqrencode's string mode would pick numeric or kanji
   * segments by itself, and decoders would then not see the bytes as they
   * were written. */
  errno = 0;
  code = QRcode_encodeData ((int) strlen (payload), (const unsigned char *) payload, 0,
                            QR_ECLEVEL_M);
  if (code == NULL)
    {
      g_set_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_RENDER,
                   /* Translators: %zu is a number of bytes, %s the reason */
                   _("Cannot make a QR code of %zu bytes: %s"), strlen (payload),
                   errno == ERANGE ? _("too long") : g_strerror (errno));
      return NULL;
    }

  self = g_new0 (EsaQrCode, 1);
  self->code = code;
  return self;
}

void
esa_qr_code_free (EsaQrCode *self)
{
  if (self == NULL)
    return;
  QRcode_free (self->code);
  g_free (self);
}

guint
esa_qr_code_get_width (EsaQrCode *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return (guint) self->code->width;
}

guint
esa_qr_code_get_version (EsaQrCode *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return (guint) self->code->version;
}

gboolean
esa_qr_code_get_module (EsaQrCode *self,
                        guint      x,
                        guint      y)
{
  guint width;

  g_return_val_if_fail (self != NULL, FALSE);

  width = (guint) self->code->width;
  g_return_val_if_fail (x < width && y < width, FALSE);

  /* libqrencode: bit 0 of each byte is the module's colour (1 = dark). */
  return (self->code->data[y * width + x] & 1) != 0;
}

void
esa_qr_code_draw (EsaQrCode *self,
                  cairo_t   *cr,
                  double     x,
                  double     y,
                  double     size)
{
  g_autofree guint8 *done = NULL;
  guint width;
  double module;

  g_return_if_fail (self != NULL);
  g_return_if_fail (cr != NULL);

  width = (guint) self->code->width;
  module = size / width;
  done = g_new0 (guint8, width * width);

  /* The dark modules as few rectangles as a greedy sweep finds (a run
   * along the row, grown downwards while the rows below repeat it), all
   * in one path filled once: adjacent rectangles then leave no hairline
   * seams when the page is rasterised, and the PDF stays small. */
  cairo_new_path (cr);
  for (guint row = 0; row < width; row++)
    {
      for (guint col = 0; col < width; col++)
        {
          guint w = 0, h = 1;
          gboolean grows = TRUE;

          if (done[row * width + col] || !esa_qr_code_get_module (self, col, row))
            continue;
          while (col + w < width && !done[row * width + col + w]
                 && esa_qr_code_get_module (self, col + w, row))
            w++;
          while (grows && row + h < width)
            {
              for (guint k = 0; k < w && grows; k++)
                grows = !done[(row + h) * width + col + k]
                        && esa_qr_code_get_module (self, col + k, row + h);
              if (grows)
                h++;
            }
          for (guint r = 0; r < h; r++)
            memset (done + (row + r) * width + col, 1, w);
          cairo_rectangle (cr, x + col * module, y + row * module, w * module, h * module);
        }
    }
  cairo_fill (cr);
}
