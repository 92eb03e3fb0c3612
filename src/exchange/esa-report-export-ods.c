/* esa-report-export-ods.c: reports as OpenDocument spreadsheets
 *
 * An .ods file is a zip archive (OpenDocument 1.2, part 3): the entry
 * "mimetype" first and stored uncompressed, so that its type can be read at
 * a fixed offset, then content.xml, styles.xml, meta.xml and
 * META-INF/manifest.xml. The documents are small, so every entry is stored
 * (method 0) with its CRC-32 from zlib; nothing needs compressing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <zlib.h>

#include "esa-report-export-private.h"

#define ODS_MIME_TYPE "application/vnd.oasis.opendocument.spreadsheet"

#define OFFICE_NAMESPACES \
  "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" " \
  "xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" " \
  "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" " \
  "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" " \
  "xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\" " \
  "xmlns:number=\"urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0\" " \
  "xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\" " \
  "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" " \
  "office:version=\"1.2\""

/* ---- a stored zip archive ----------------------------------------------- */

typedef struct
{
  GByteArray *data;       /* local headers and contents */
  GByteArray *directory;  /* central directory */
  guint16     n_entries;
  guint16     dos_time;
  guint16     dos_date;
} Zip;

static void
put16 (GByteArray *out,
       guint16     value)
{
  guint8 bytes[2] = { value & 0xff, value >> 8 };

  g_byte_array_append (out, bytes, 2);
}

static void
put32 (GByteArray *out,
       guint32     value)
{
  guint8 bytes[4] = { value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, value >> 24 };

  g_byte_array_append (out, bytes, 4);
}

static void
zip_init (Zip *zip)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  zip->data = g_byte_array_new ();
  zip->directory = g_byte_array_new ();
  zip->n_entries = 0;
  zip->dos_time = (guint16) ((g_date_time_get_hour (now) << 11)
                             | (g_date_time_get_minute (now) << 5)
                             | (g_date_time_get_second (now) / 2));
  zip->dos_date = (guint16) (((g_date_time_get_year (now) - 1980) << 9)
                             | (g_date_time_get_month (now) << 5)
                             | g_date_time_get_day_of_month (now));
}

static void
zip_add (Zip        *zip,
         const char *name,
         const char *content)
{
  gsize name_len = strlen (name);
  gsize size = strlen (content);
  guint32 offset = zip->data->len;
  guint32 crc = (guint32) crc32 (crc32 (0L, Z_NULL, 0), (const Bytef *) content, (uInt) size);

  /* Local file header. */
  put32 (zip->data, 0x04034b50);
  put16 (zip->data, 10);          /* version needed: 1.0 */
  put16 (zip->data, 1 << 11);     /* names are UTF-8 */
  put16 (zip->data, 0);           /* stored */
  put16 (zip->data, zip->dos_time);
  put16 (zip->data, zip->dos_date);
  put32 (zip->data, crc);
  put32 (zip->data, (guint32) size);
  put32 (zip->data, (guint32) size);
  put16 (zip->data, (guint16) name_len);
  put16 (zip->data, 0);
  g_byte_array_append (zip->data, (const guint8 *) name, (guint) name_len);
  g_byte_array_append (zip->data, (const guint8 *) content, (guint) size);

  /* Its central directory entry. */
  put32 (zip->directory, 0x02014b50);
  put16 (zip->directory, 20);     /* made by: MS-DOS, 2.0 */
  put16 (zip->directory, 10);
  put16 (zip->directory, 1 << 11);
  put16 (zip->directory, 0);
  put16 (zip->directory, zip->dos_time);
  put16 (zip->directory, zip->dos_date);
  put32 (zip->directory, crc);
  put32 (zip->directory, (guint32) size);
  put32 (zip->directory, (guint32) size);
  put16 (zip->directory, (guint16) name_len);
  put16 (zip->directory, 0);      /* extra */
  put16 (zip->directory, 0);      /* comment */
  put16 (zip->directory, 0);      /* disk */
  put16 (zip->directory, 0);      /* internal attributes */
  put32 (zip->directory, 0);      /* external attributes */
  put32 (zip->directory, offset);
  g_byte_array_append (zip->directory, (const guint8 *) name, (guint) name_len);

  zip->n_entries++;
}

/* Appends the central directory and its end record; returns the archive. */
static GBytes *
zip_finish (Zip *zip)
{
  guint32 directory_offset = zip->data->len;
  guint32 directory_size = zip->directory->len;

  g_byte_array_append (zip->data, zip->directory->data, zip->directory->len);
  put32 (zip->data, 0x06054b50);
  put16 (zip->data, 0);
  put16 (zip->data, 0);
  put16 (zip->data, zip->n_entries);
  put16 (zip->data, zip->n_entries);
  put32 (zip->data, directory_size);
  put32 (zip->data, directory_offset);
  put16 (zip->data, 0);

  g_byte_array_unref (zip->directory);
  return g_byte_array_free_to_bytes (zip->data);
}

/* ---- the documents ------------------------------------------------------ */

static void
append_cell (GString            *out,
             const EsaReport    *report,
             const EsaReportRow *row,
             guint               column,
             gboolean            total)
{
  const EsaReportColumn *c = g_ptr_array_index (report->columns, column);
  g_autofree char *text = _esa_report_cell_text (report, row, column);
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  if (c->type == ESA_REPORT_COLUMN_TEXT)
    g_string_append_printf (out,
                            "<table:table-cell%s office:value-type=\"string\">"
                            "<text:p>%s</text:p></table:table-cell>",
                            total ? " table:style-name=\"total\"" : "", escaped);
  else
    g_string_append_printf (out,
                            "<table:table-cell table:style-name=\"%s\" "
                            "office:value-type=\"float\" office:value=\"%s\">"
                            "<text:p>%s</text:p></table:table-cell>",
                            c->type == ESA_REPORT_COLUMN_AMOUNT
                            ? (total ? "total-amount" : "amount")
                            : (total ? "total-count" : "count"),
                            text, text);
}

static void
append_row (GString            *out,
            const EsaReport    *report,
            const EsaReportRow *row,
            gboolean            total)
{
  g_string_append (out, "<table:table-row>");
  for (guint c = 0; c < report->columns->len; c++)
    append_cell (out, report, row, c, total);
  g_string_append (out, "</table:table-row>\n");
}

static char *
content_xml (const EsaReport *report)
{
  GString *out = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  g_autofree char *name = g_markup_escape_text (report->title, -1);

  g_string_append (out,
                   "<office:document-content " OFFICE_NAMESPACES ">\n"
                   "<office:automatic-styles>\n"
                   "<number:number-style style:name=\"N2\">"
                   "<number:number number:decimal-places=\"2\" number:min-integer-digits=\"1\" "
                   "number:grouping=\"true\"/></number:number-style>\n"
                   "<number:number-style style:name=\"N0\">"
                   "<number:number number:decimal-places=\"0\" number:min-integer-digits=\"1\"/>"
                   "</number:number-style>\n"
                   "<style:style style:name=\"co-text\" style:family=\"table-column\">"
                   "<style:table-column-properties style:column-width=\"4.5cm\"/></style:style>\n"
                   "<style:style style:name=\"co-number\" style:family=\"table-column\">"
                   "<style:table-column-properties style:column-width=\"3cm\"/></style:style>\n"
                   "<style:style style:name=\"header\" style:family=\"table-cell\">"
                   "<style:text-properties fo:font-weight=\"bold\"/></style:style>\n"
                   "<style:style style:name=\"amount\" style:family=\"table-cell\" "
                   "style:data-style-name=\"N2\"/>\n"
                   "<style:style style:name=\"count\" style:family=\"table-cell\" "
                   "style:data-style-name=\"N0\"/>\n"
                   "<style:style style:name=\"total\" style:family=\"table-cell\">"
                   "<style:text-properties fo:font-weight=\"bold\"/></style:style>\n"
                   "<style:style style:name=\"total-amount\" style:family=\"table-cell\" "
                   "style:data-style-name=\"N2\">"
                   "<style:text-properties fo:font-weight=\"bold\"/></style:style>\n"
                   "<style:style style:name=\"total-count\" style:family=\"table-cell\" "
                   "style:data-style-name=\"N0\">"
                   "<style:text-properties fo:font-weight=\"bold\"/></style:style>\n"
                   "</office:automatic-styles>\n"
                   "<office:body><office:spreadsheet>\n");
  g_string_append_printf (out, "<table:table table:name=\"%s\">\n", name);
  for (guint c = 0; c < report->columns->len; c++)
    {
      const EsaReportColumn *column = g_ptr_array_index (report->columns, c);

      g_string_append_printf (out, "<table:table-column table:style-name=\"%s\"/>\n",
                              column->type == ESA_REPORT_COLUMN_TEXT ? "co-text" : "co-number");
    }

  g_string_append (out, "<table:table-header-rows><table:table-row>");
  for (guint c = 0; c < report->columns->len; c++)
    {
      const EsaReportColumn *column = g_ptr_array_index (report->columns, c);
      g_autofree char *title = g_markup_escape_text (column->title, -1);

      g_string_append_printf (out,
                              "<table:table-cell table:style-name=\"header\" "
                              "office:value-type=\"string\"><text:p>%s</text:p>"
                              "</table:table-cell>",
                              title);
    }
  g_string_append (out, "</table:table-row></table:table-header-rows>\n");

  for (guint r = 0; r < report->rows->len; r++)
    append_row (out, report, g_ptr_array_index (report->rows, r), FALSE);
  for (guint r = 0; r < report->totals->len; r++)
    append_row (out, report, g_ptr_array_index (report->totals, r), TRUE);

  g_string_append (out, "</table:table>\n</office:spreadsheet></office:body>\n"
                        "</office:document-content>\n");
  return g_string_free (out, FALSE);
}

static char *
meta_xml (const EsaReport *report)
{
  g_autofree char *title = _esa_report_full_title (report);
  g_autofree char *escaped = g_markup_escape_text (title, -1);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                          "<office:document-meta " OFFICE_NAMESPACES ">\n"
                          "<office:meta><meta:generator>Esattore/" PACKAGE_VERSION
                          "</meta:generator><dc:title>%s</dc:title>"
                          "<meta:creation-date>%s</meta:creation-date></office:meta>\n"
                          "</office:document-meta>\n",
                          escaped, created);
}

static const char styles_xml[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<office:document-styles " OFFICE_NAMESPACES ">\n"
  "<office:styles/>\n"
  "</office:document-styles>\n";

static const char manifest_xml[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" "
  "manifest:version=\"1.2\">\n"
  " <manifest:file-entry manifest:full-path=\"/\" manifest:version=\"1.2\" "
  "manifest:media-type=\"" ODS_MIME_TYPE "\"/>\n"
  " <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\n"
  " <manifest:file-entry manifest:full-path=\"styles.xml\" manifest:media-type=\"text/xml\"/>\n"
  " <manifest:file-entry manifest:full-path=\"meta.xml\" manifest:media-type=\"text/xml\"/>\n"
  "</manifest:manifest>\n";

gboolean
_esa_report_write_ods (const EsaReport  *report,
                       const char       *path,
                       GError          **error)
{
  g_autofree char *content = content_xml (report);
  g_autofree char *meta = meta_xml (report);
  g_autoptr(GBytes) bytes = NULL;
  Zip zip;

  zip_init (&zip);
  zip_add (&zip, "mimetype", ODS_MIME_TYPE);
  zip_add (&zip, "content.xml", content);
  zip_add (&zip, "styles.xml", styles_xml);
  zip_add (&zip, "meta.xml", meta);
  zip_add (&zip, "META-INF/manifest.xml", manifest_xml);
  bytes = zip_finish (&zip);

  return g_file_set_contents_full (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
}
