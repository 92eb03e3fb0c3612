#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

/* QR codes (ISO/IEC 18004) made by libqrencode and drawn as vector
 * rectangles, for the payment slips: error correction level M, byte mode
 * (the payload's UTF-8 bytes), the smallest version that holds it. */

typedef struct _EsaQrCode EsaQrCode;

/**
 * esa_qr_code_new:
 * @payload: the text to encode, UTF-8
 * @error: ESA_DOCUMENTS_ERROR_RENDER when it does not fit a QR code
 *
 * Returns: (transfer full) (nullable): the code
 */
EsaQrCode *esa_qr_code_new       (const char  *payload,
                                  GError     **error);
void       esa_qr_code_free      (EsaQrCode   *self);

/* Modules per side (21 for version 1, 4 more per version). */
guint      esa_qr_code_get_width (EsaQrCode   *self);
/* The version, 1 to 40. */
guint      esa_qr_code_get_version (EsaQrCode *self);
gboolean   esa_qr_code_get_module (EsaQrCode  *self,
                                   guint       x,
                                   guint       y);

/* Fills the dark modules in the current source colour as one path, the
 * code's top left corner at (@x, @y) and each side @size long (user units),
 * without a quiet zone: the caller leaves the white around it. */
void       esa_qr_code_draw      (EsaQrCode   *self,
                                  cairo_t     *cr,
                                  double       x,
                                  double       y,
                                  double       size);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaQrCode, esa_qr_code_free)

G_END_DECLS
