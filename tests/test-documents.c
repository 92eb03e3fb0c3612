/* Documents (issue 4): acts rendered from the templates for demo cases,
 * their QR codes decoded from the printed page, their text read back, the
 * archive, print batches and PDF forms.
 *
 * The checks on what was printed use the tools an auditor would use:
 * pdftoppm and pdftotext (poppler-utils) and zbarimg (zbar-tools). Without
 * them the test reports a skip (exit status 77): ./dev installs them. */

#include "esa-config.h"

#include <glib/gstdio.h>
#include <poppler.h>
#include <sqlite3.h>
#include <string.h>

#include "esa-act-batch.h"
#include "esa-act-renderer.h"
#include "esa-core.h"
#include "esa-demo.h"
#include "esa-documents-private.h"
#include "esa-payment-slip.h"
#include "esa-pdf-form.h"
#include "esa-store-documents.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerDocument, g_object_unref)

static char *work_dir;
static char *db_path;

/* ---- helpers ------------------------------------------------------------ */

/* The first column of every row of @sql on the demo database. */
static GPtrArray *
query (const char *sql)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (rows, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return rows;
}

static char *
query_one (const char *sql)
{
  g_autoptr(GPtrArray) rows = query (sql);

  g_assert_cmpuint (rows->len, >, 0);
  return g_strdup (g_ptr_array_index (rows, 0));
}

static EsaStore *
open_store (void)
{
  g_autoptr(GError) error = NULL;
  EsaStore *store = esa_store_open (db_path, &error);

  g_assert_no_error (error);
  return store;
}

/* The name of the first tool missing, or NULL. */
static const char *
missing_tool (void)
{
  static const char * const tools[] = { "pdftoppm", "pdftotext", "zbarimg" };

  for (gsize i = 0; i < G_N_ELEMENTS (tools); i++)
    {
      g_autofree char *path = g_find_program_in_path (tools[i]);

      if (path == NULL)
        return tools[i];
    }
  return NULL;
}

static char *
write_temp (const char *name,
            GBytes     *bytes)
{
  char *path = g_build_filename (work_dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  return path;
}

static char *
run (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

/* The text of a PDF with every run of white space made one space. */
static char *
pdf_text (const char *path)
{
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", path, "-", NULL };
  g_autofree char *text = run (argv);
  g_autoptr(GRegex) spaces = g_regex_new ("\\s+", 0, 0, NULL);

  return g_regex_replace_literal (spaces, text, -1, 0, " ", 0, NULL);
}

static void
assert_text_has (const char *text,
                 const char *what,
                 const char *needle)
{
  if (strstr (text, needle) == NULL)
    g_error ("the injunction lacks %s: “%s” not found in:\n%s", what, needle, text);
}

/* Adds every QR payload zbarimg finds in @xml (its --xml output, where
 * binary data comes base64-encoded) to @found. */
static void
collect_payloads (const char *xml,
                  GHashTable *found)
{
  const char *p = xml;

  while ((p = strstr (p, "<data")) != NULL)
    {
      const char *tag_end = strchr (p, '>');
      const char *start = strstr (p, "<![CDATA[");
      const char *end;
      g_autofree char *tag = NULL;
      g_autofree char *data = NULL;

      if (tag_end == NULL || start == NULL)
        break;
      start += strlen ("<![CDATA[");
      end = strstr (start, "]]>");
      if (end == NULL)
        break;
      tag = g_strndup (p, tag_end - p);
      data = g_strndup (start, end - start);
      if (strstr (tag, "base64") != NULL)
        {
          gsize length = 0;
          guchar *raw;

          g_strstrip (data);
          raw = g_base64_decode (data, &length);
          g_hash_table_add (found, g_strndup ((const char *) raw, length));
          g_free (raw);
        }
      else
        g_hash_table_add (found, g_steal_pointer (&data));
      p = end;
    }
}

static void
zbar_file (const char *path,
           GHashTable *found)
{
  g_autofree char *xml = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "zbarimg", "-q", "--xml", path, NULL };
  int status;

  /* zbarimg exits with 4 when an image has no code. */
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &xml, NULL, &status, &error);
  g_assert_no_error (error);
  collect_payloads (xml, found);
}

/* zbar 0.23 rarely finds a Swiss QR code: the Swiss cross hides the
 * code's central alignment pattern, which its grid fitting looks for (zbar
 * issues #121, #167, #216; phone apps read them). The modules under the
 * cross are lost whatever is drawn there, and error correction level M
 * restores them: a copy of the page with the cross painted white is what
 * zbar can read. The cross sits 90 mm from the left and 232 mm from the
 * top of every page with a QR-bill. */
static char *
without_swiss_cross (const char *png,
                     double      dpi)
{
  cairo_surface_t *image = cairo_image_surface_create_from_png (png);
  char *out = g_strconcat (png, ".nocross.png", NULL);
  double mm = dpi / 25.4;
  cairo_t *cr;

  g_assert_cmpint (cairo_surface_status (image), ==, CAIRO_STATUS_SUCCESS);
  cr = cairo_create (image);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, (90.0 - 3.6) * mm, (232.0 - 3.6) * mm, 7.2 * mm, 7.2 * mm);
  cairo_fill (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png (image, out), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (image);
  return out;
}

/* Every QR code printed in @pdf, decoded by zbarimg from pages rasterised
 * without anti-aliasing; another resolution is tried while fewer than
 * @expected codes were found. */
static GHashTable *
decode_qr_codes (const char *pdf,
                 guint       expected,
                 gboolean    swiss)
{
  static const char * const resolutions[] = { "200", "150", "250", "300" };
  GHashTable *found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (gsize r = 0; r < G_N_ELEMENTS (resolutions) && g_hash_table_size (found) < expected; r++)
    {
      g_autofree char *prefix = g_build_filename (work_dir, "qr", NULL);
      const char *raster[] = { "pdftoppm", "-png", "-aa", "no", "-aaVector", "no", "-r",
                               resolutions[r], pdf, prefix, NULL };
      g_autoptr(GDir) dir = NULL;
      g_autofree char *ignored = run (raster);
      g_autoptr(GPtrArray) pages = g_ptr_array_new_with_free_func (g_free);
      const char *name;

      dir = g_dir_open (work_dir, 0, NULL);
      while ((name = g_dir_read_name (dir)) != NULL)
        if (g_str_has_prefix (name, "qr-") && g_str_has_suffix (name, ".png"))
          g_ptr_array_add (pages, g_build_filename (work_dir, name, NULL));

      for (guint i = 0; i < pages->len; i++)
        {
          const char *path = g_ptr_array_index (pages, i);

          zbar_file (path, found);
          if (swiss)
            {
              g_autofree char *copy = without_swiss_cross (path,
                                                           g_ascii_strtod (resolutions[r], NULL));

              zbar_file (copy, found);
              g_unlink (copy);
            }
          g_unlink (path);
        }
    }
  return found;
}

static gint64
open_balance (const EsaPosition *position)
{
  return esa_position_balance (position);
}

static EsaActData *
load_act (EsaStore   *store,
          const char *act_id)
{
  g_autoptr(GError) error = NULL;
  EsaActData *data = esa_store_load_act_data (store, act_id, &error);

  g_assert_no_error (error);
  return data;
}

static GBytes *
render (EsaActRenderer   *renderer,
        const EsaActData *data,
        guint            *out_pages)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaRenderedAct) act = esa_act_renderer_render (renderer, data, &error);

  g_assert_no_error (error);
  if (out_pages != NULL)
    *out_pages = esa_rendered_act_get_n_pages (act);
  return g_bytes_ref (esa_rendered_act_get_pdf (act));
}

/* Adds an act of @type to @case_id (the demo data has no such act). */
static char *
add_act (EsaStore   *store,
         const char *case_id,
         const char *type,
         const char *number)
{
  g_autoptr(GError) error = NULL;
  EsaAct act = { NULL, };
  char *id;

  act.case_id = (char *) case_id;
  act.type = (char *) type;
  act.number = (char *) number;
  act.issued_on = (char *) "2026-11-20";
  id = esa_store_add_act (store, &act, &error);
  g_assert_no_error (error);
  return id;
}

/* ---- payloads ------------------------------------------------------------ */

static void
test_pagopa_payload (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *bad = NULL;

  payload = esa_pagopa_qr_payload ("3007 1570 0000 0000 32", "00743110157", 123456, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (payload, ==, "PAGOPA|002|300715700000000032|00743110157|123456");

  bad = esa_pagopa_qr_payload ("300715700000000033", "00743110157", 100, &error);
  g_assert_null (bad);
  g_assert_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_DATA);
  g_clear_error (&error);

  g_assert_null (esa_pagopa_qr_payload ("300715700000000032", "00743110158", 100, &error));
  g_assert_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_DATA);
  g_clear_error (&error);

  g_assert_null (esa_pagopa_qr_payload ("300715700000000032", "00743110157", 0, &error));
  g_assert_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_DATA);
}

static void
test_qr_bill_payload (void)
{
  EsaQrBill bill = { NULL, };
  g_autoptr(GError) error = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *amount = NULL;
  g_auto(GStrv) lines = NULL;

  bill.account = "CH44 3199 9123 0008 8901 2";
  bill.creditor = (EsaQrBillAddress) { "Robert Schneider AG", "Rue du Lac", "1268", "2501",
                                       "Biel", "CH" };
  bill.amount = 194975;
  bill.currency = "CHF";
  bill.debtor = (EsaQrBillAddress) { "Pia-Maria Rutschmann-Schnyder", "Grosse Marktgasse", "28",
                                     "9400", "Rorschach", "CH" };
  bill.reference = "21 00000 00003 13947 14300 09017";
  bill.message = "Order of 15 June 2020 \u2013 \u201cfinal\u201d";

  payload = esa_qr_bill_payload (&bill, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (payload, "\r\nEPD"));
  lines = g_strsplit (payload, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 31);
  g_assert_cmpstr (lines[0], ==, "SPC");
  g_assert_cmpstr (lines[1], ==, "0200");
  g_assert_cmpstr (lines[2], ==, "1");
  g_assert_cmpstr (lines[3], ==, "CH4431999123000889012");
  g_assert_cmpstr (lines[4], ==, "S");
  g_assert_cmpstr (lines[5], ==, "Robert Schneider AG");
  for (guint i = 11; i < 18; i++)
    g_assert_cmpstr (lines[i], ==, "");
  g_assert_cmpstr (lines[18], ==, "1949.75");
  g_assert_cmpstr (lines[19], ==, "CHF");
  g_assert_cmpstr (lines[20], ==, "S");
  g_assert_cmpstr (lines[25], ==, "Rorschach");
  g_assert_cmpstr (lines[27], ==, "QRR");
  g_assert_cmpstr (lines[28], ==, "210000000003139471430009017");
  /* Characters outside the Swiss Payment Standards' set are replaced. */
  g_assert_cmpstr (lines[29], ==, "Order of 15 June 2020 - \"final\"");
  g_assert_cmpstr (lines[30], ==, "EPD");

  amount = esa_qr_bill_format_amount (194975);
  g_assert_cmpstr (amount, ==, "1 949.75");

  /* A QR reference with a wrong check digit, and a QR reference on an
   * account that is no QR-IBAN, are refused. */
  g_clear_pointer (&payload, g_free);
  bill.reference = "210000000003139471430009018";
  payload = esa_qr_bill_payload (&bill, &error);
  g_assert_null (payload);
  g_assert_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_DATA);
  g_clear_error (&error);

  bill.reference = "210000000003139471430009017";
  bill.account = "CH9300762011623852957";
  payload = esa_qr_bill_payload (&bill, &error);
  g_assert_null (payload);
  g_assert_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_DATA);
}

/* ---- the injunction ------------------------------------------------------ */

static void
test_injunction (void)
{
  g_autoptr(EsaStore) store = open_store ();
  g_autoptr(EsaActRenderer) renderer = esa_act_renderer_new (NULL);
  g_autofree char *act_id = NULL;
  g_autoptr(EsaActData) data = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GHashTable) codes = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *profile_path = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *appeal;
  gint64 total = 0;
  guint slips = 0;
  guint pages;

  /* An Italian injunction with the most positions still open. */
  act_id = query_one ("SELECT a.id FROM acts a JOIN cases c ON c.id = a.case_id "
                      "JOIN bodies b ON b.id = c.body_id "
                      "WHERE a.type = 'injunction' AND b.country = 'IT' "
                      "ORDER BY (SELECT count(*) FROM case_positions cp "
                      "  JOIN positions p ON p.id = cp.position_id WHERE cp.case_id = c.id "
                      "  AND p.state = 'open' "
                      "  AND p.principal + p.sanctions + p.interest + p.costs > p.paid) DESC, "
                      "a.number LIMIT 1");
  data = load_act (store, act_id);
  pdf = render (renderer, data, &pages);
  g_assert_cmpuint (pages, >=, 1);
  path = write_temp ("injunction.pdf", pdf);
  text = pdf_text (path);

  profile_path = g_build_filename (esa_act_renderer_get_templates_dir (renderer), "bodies",
                                   data->body->id, "body.json", NULL);
  json_parser_load_from_file (parser, profile_path, &error);
  g_assert_no_error (error);
  appeal = json_object_get_object_member (json_object_get_object_member (
    json_node_get_object (json_parser_get_root (parser)), "appeal"), "tax");

  /* DOMAIN.md, Italian procedure, step 2: every element is printed. */
  assert_text_has (text, "its number", data->act->number);
  assert_text_has (text, "the order to pay", "INGIUNGE");
  assert_text_has (text, "the deadline", "entro 30 giorni dalla notifica");
  assert_text_has (text, "the measures that follow (lien)", "fermo amministrativo");
  assert_text_has (text, "the measures that follow (mortgage)", "ipoteca");
  assert_text_has (text, "the measures that follow (garnishment)", "pignoramento presso terzi");
  assert_text_has (text, "the breakdown (sanctions)", "Sanzioni");
  assert_text_has (text, "the breakdown (interest)", "Interessi");
  assert_text_has (text, "the breakdown (costs)", "Spese");
  assert_text_has (text, "the responsible officer's role", "Il funzionario responsabile");
  g_assert_nonnull (data->responsible);
  assert_text_has (text, "the responsible officer's name", data->responsible->name);

  for (guint i = 0; i < data->positions->len; i++)
    {
      const EsaPosition *position = g_ptr_array_index (data->positions, i);
      g_autofree char *due = NULL;
      g_autofree char *principal = esa_money_format_plain (position->principal, "EUR");
      GDate date;

      /* The nature of the credit, the underlying act and the due date. */
      if (g_strcmp0 (position->revenue_type, "IMU") == 0)
        assert_text_has (text, "the nature of the credit", "Imposta municipale propria");
      else if (g_strcmp0 (position->revenue_type, "TARI") == 0)
        assert_text_has (text, "the nature of the credit", "Tassa sui rifiuti");
      else if (g_strcmp0 (position->revenue_type, "fine") == 0)
        assert_text_has (text, "the nature of the credit", "Codice della strada");
      else if (g_strcmp0 (position->revenue_type, "water") == 0)
        assert_text_has (text, "the nature of the credit", "servizio idrico");
      assert_text_has (text, "the underlying act", position->reference);
      g_assert_true (esa_date_parse_iso (position->due_date, &date, NULL));
      due = g_strdup_printf ("%02u/%02u/%04u", g_date_get_day (&date), g_date_get_month (&date),
                             g_date_get_year (&date));
      assert_text_has (text, "the due date", due);
      assert_text_has (text, "the breakdown (principal)", principal);

      total += open_balance (position);
      if (open_balance (position) > 0)
        slips++;
    }
  {
    g_autofree char *sum = esa_money_format_plain (total, "EUR");

    assert_text_has (text, "the total", sum);
  }
  assert_text_has (text, "the authority for appeal",
                   json_object_get_string_member (appeal, "authority"));
  assert_text_has (text, "the appeal deadline", "60 giorni");

  /* Every slip's QR code: notice number, creditor, amount, check digits. */
  g_assert_cmpuint (slips, >, 0);
  codes = decode_qr_codes (path, slips, FALSE);
  g_assert_cmpuint (g_hash_table_size (codes), ==, slips);
  for (guint i = 0; i < data->positions->len; i++)
    {
      const EsaPosition *position = g_ptr_array_index (data->positions, i);
      g_autofree char *expected = NULL;
      g_auto(GStrv) parts = NULL;
      gint64 cents;

      if (open_balance (position) <= 0)
        continue;
      expected = g_strdup_printf ("PAGOPA|002|%s|%s|%" G_GINT64_FORMAT,
                                  position->payment_reference, data->body->tax_code,
                                  open_balance (position));
      g_assert_true (g_hash_table_contains (codes, expected));

      parts = g_strsplit (expected, "|", -1);
      g_assert_true (esa_id_validate (ESA_ID_PAGOPA_NOTICE, parts[2], NULL, &error));
      g_assert_no_error (error);
      g_assert_true (esa_id_validate (ESA_ID_PARTITA_IVA, parts[3], NULL, &error));
      g_assert_no_error (error);
      cents = g_ascii_strtoll (parts[4], NULL, 10);
      g_assert_cmpint (cents, ==, open_balance (position));
    }
  /* The notice number grouped by four, as the slip prints it. */
  {
    const EsaPosition *first = NULL;

    for (guint i = 0; i < data->positions->len && first == NULL; i++)
      if (open_balance (g_ptr_array_index (data->positions, i)) > 0)
        first = g_ptr_array_index (data->positions, i);
    {
      g_autofree char *grouped = esa_id_format (ESA_ID_PAGOPA_NOTICE, first->payment_reference);

      assert_text_has (text, "the grouped notice number", grouped);
    }
  }
}

/* ---- the Swiss payment order --------------------------------------------- */

static void
check_qr_bills (const char       *pdf,
                const EsaActData *data,
                GHashTable       *expected)
{
  g_autoptr(GHashTable) codes = decode_qr_codes (pdf, g_hash_table_size (expected), TRUE);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (g_hash_table_size (codes), ==, g_hash_table_size (expected));
  g_hash_table_iter_init (&iter, codes);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_auto(GStrv) lines = g_strsplit (key, "\r\n", -1);
      const char *amount;

      g_assert_cmpuint (g_strv_length (lines), ==, 31);
      g_assert_cmpstr (lines[0], ==, "SPC");
      g_assert_cmpstr (lines[1], ==, "0200");
      g_assert_cmpstr (lines[3], ==, data->body->iban);
      g_assert_true (esa_id_validate (ESA_ID_IBAN, lines[3], NULL, &error));
      g_assert_no_error (error);
      g_assert_true (esa_iban_is_qr_iban (lines[3]));
      g_assert_cmpstr (lines[5], ==, data->body->name);
      g_assert_cmpstr (lines[19], ==, data->body->currency);
      g_assert_cmpstr (lines[27], ==, "QRR");
      g_assert_true (esa_id_validate (ESA_ID_QR_REFERENCE, lines[28], NULL, &error));
      g_assert_no_error (error);
      amount = g_hash_table_lookup (expected, lines[28]);
      g_assert_nonnull (amount);
      g_assert_cmpstr (lines[18], ==, amount);
      g_assert_cmpstr (lines[30], ==, "EPD");
      g_hash_table_add (seen, g_strdup (lines[28]));
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, g_hash_table_size (expected));
}

static void
test_payment_order (void)
{
  g_autoptr(EsaStore) store = open_store ();
  g_autoptr(EsaActRenderer) renderer = esa_act_renderer_new (NULL);
  g_autoptr(GHashTable) expected = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autofree char *act_id = NULL;
  g_autoptr(EsaActData) data = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  guint pages;

  act_id = query_one ("SELECT a.id FROM acts a JOIN cases c ON c.id = a.case_id "
                      "WHERE a.type = 'payment_order' "
                      "ORDER BY (SELECT count(*) FROM case_positions cp "
                      "  JOIN positions p ON p.id = cp.position_id WHERE cp.case_id = c.id "
                      "  AND p.state = 'open' "
                      "  AND p.principal + p.sanctions + p.interest + p.costs > p.paid) DESC, "
                      "a.number LIMIT 1");
  data = load_act (store, act_id);
  g_assert_cmpstr (data->body->country, ==, "CH");

  /* In German: the QR-bill's headings follow the act's language. */
  esa_act_renderer_set_language (renderer, "de");
  pdf = render (renderer, data, &pages);
  path = write_temp ("payment-order.pdf", pdf);
  text = pdf_text (path);
  assert_text_has (text, "its title", "Zahlungsbefehl");
  assert_text_has (text, "the objection", "Rechtsvorschlag");
  assert_text_has (text, "the receipt", "Empfangsschein");
  assert_text_has (text, "the payment part", "Zahlteil");
  assert_text_has (text, "the account heading", "Konto / Zahlbar an");
  assert_text_has (text, "the acceptance point", "Annahmestelle");

  for (guint i = 0; i < data->positions->len; i++)
    {
      const EsaPosition *position = g_ptr_array_index (data->positions, i);

      if (open_balance (position) > 0)
        g_hash_table_insert (expected, position->payment_reference,
                             g_strdup_printf ("%" G_GINT64_FORMAT ".%02d",
                                              open_balance (position) / 100,
                                              (int) (open_balance (position) % 100)));
    }
  g_assert_cmpuint (g_hash_table_size (expected), >, 0);
  /* One QR-bill per page. */
  g_assert_cmpuint (pages, >=, g_hash_table_size (expected));
  check_qr_bills (path, data, expected);
}

/* ---- the instalment plan -------------------------------------------------- */

static void
test_instalment_plan (void)
{
  g_autoptr(EsaStore) store = open_store ();
  g_autoptr(EsaActRenderer) renderer = esa_act_renderer_new (NULL);
  g_autofree char *case_id = NULL;
  g_autofree char *act_id = NULL;
  g_autoptr(EsaActData) data = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GHashTable) codes = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  guint open = 0;

  case_id = query_one ("SELECT p.case_id FROM instalment_plans p "
                       "JOIN instalments i ON i.plan_id = p.id "
                       "WHERE i.paid < i.amount GROUP BY p.id HAVING count(*) >= 4 "
                       "ORDER BY count(*) DESC, p.id LIMIT 1");
  act_id = add_act (store, case_id, "instalment_plan", "RAT-2026-900001");
  data = load_act (store, act_id);
  pdf = render (renderer, data, NULL);
  path = write_temp ("instalment-plan.pdf", pdf);
  text = pdf_text (path);
  assert_text_has (text, "the lapse rule", "due rate, anche non consecutive");

  for (guint i = 0; i < data->instalments->len; i++)
    if (((EsaActInstalment *) g_ptr_array_index (data->instalments, i))->paid
        < ((EsaActInstalment *) g_ptr_array_index (data->instalments, i))->amount)
      open++;
  g_assert_cmpuint (open, >=, 4);

  /* One slip per instalment still to pay, each with its own notice. */
  codes = decode_qr_codes (path, open, FALSE);
  g_assert_cmpuint (g_hash_table_size (codes), ==, open);
  for (guint i = 0; i < data->instalments->len; i++)
    {
      const EsaActInstalment *instalment = g_ptr_array_index (data->instalments, i);
      g_autofree char *expected = NULL;
      g_autofree char *caption = NULL;

      if (instalment->paid >= instalment->amount)
        continue;
      expected = g_strdup_printf ("PAGOPA|002|%s|%s|%" G_GINT64_FORMAT,
                                  instalment->payment_reference, data->body->tax_code,
                                  instalment->amount - instalment->paid);
      g_assert_true (g_hash_table_contains (codes, expected));
      g_assert_true (esa_id_validate (ESA_ID_PAGOPA_NOTICE, instalment->payment_reference, NULL,
                                      NULL));
      caption = g_strdup_printf ("Rata %d di %u", instalment->seq, data->instalments->len);
      assert_text_has (text, "the instalment's caption", caption);
    }
}

/* ---- every template ------------------------------------------------------ */

static void
test_every_template (void)
{
  static const char * const it_types[] = {
    "injunction", "reminder", "vehicle_lien_notice", "vehicle_lien", "lien_revocation",
    "mortgage_notice", "garnishment_order", "instalment_plan", "relief_reply", "seizure_report",
    "courtesy_notice", "insolvency_claim",
  };
  static const char * const ch_types[] = {
    "payment_order", "register_extract", "seizure_notice", "loss_certificate",
  };
  static const char * const languages[] = { "it", "de", "fr", "en" };
  g_autoptr(EsaStore) store = open_store ();
  g_autofree char *it_case = NULL;
  g_autofree char *ch_case = NULL;
  guint serial = 0;

  it_case = query_one ("SELECT p.case_id FROM instalment_plans p JOIN cases c ON c.id = "
                       "p.case_id JOIN bodies b ON b.id = c.body_id WHERE b.country = 'IT' "
                       "ORDER BY p.id LIMIT 1");
  ch_case = query_one ("SELECT c.id FROM cases c JOIN bodies b ON b.id = c.body_id "
                       "WHERE b.country = 'CH' AND EXISTS (SELECT 1 FROM case_positions cp "
                       "JOIN positions p ON p.id = cp.position_id WHERE cp.case_id = c.id "
                       "AND p.state = 'open') ORDER BY c.id LIMIT 1");

  for (guint k = 0; k < 2; k++)
    {
      const char * const *types = k == 0 ? it_types : ch_types;
      guint n = k == 0 ? G_N_ELEMENTS (it_types) : G_N_ELEMENTS (ch_types);

      for (guint t = 0; t < n; t++)
        {
          g_autofree char *number = g_strdup_printf ("TST-2026-%06u", ++serial);
          g_autofree char *act_id = add_act (store, k == 0 ? it_case : ch_case, types[t],
                                             number);
          g_autoptr(EsaActData) data = load_act (store, act_id);

          for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
            {
              g_autoptr(EsaActRenderer) renderer = esa_act_renderer_new (NULL);
              g_autoptr(GError) error = NULL;
              g_autoptr(EsaRenderedAct) act = NULL;
              g_autoptr(PopplerDocument) document = NULL;

              esa_act_renderer_set_language (renderer, languages[l]);
              act = esa_act_renderer_render (renderer, data, &error);
              if (error != NULL)
                g_error ("%s in %s: %s", types[t], languages[l], error->message);
              document = poppler_document_new_from_bytes (esa_rendered_act_get_pdf (act), NULL,
                                                          &error);
              g_assert_no_error (error);
              g_assert_cmpint (poppler_document_get_n_pages (document), ==,
                               (int) esa_rendered_act_get_n_pages (act));
              g_assert_true (strstr (esa_rendered_act_get_title (act), number) != NULL);
            }
        }
    }
}

/* ---- determinism and the archive ---------------------------------------- */

/* A PDF holds binary streams: no string function can search it. */
static gboolean
bytes_contain (GBytes     *bytes,
               const char *needle)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);
  gsize length = strlen (needle);

  for (gsize i = 0; i + length <= size; i++)
    if (memcmp (data + i, needle, length) == 0)
      return TRUE;
  return FALSE;
}

static void
test_deterministic (void)
{
  g_autoptr(EsaStore) store = open_store ();
  g_autoptr(EsaActRenderer) first = esa_act_renderer_new (NULL);
  g_autoptr(EsaActRenderer) second = esa_act_renderer_new (NULL);
  g_autofree char *act_id = NULL;
  g_autoptr(EsaActData) data = NULL;
  g_autoptr(GBytes) a = NULL;
  g_autoptr(GBytes) b = NULL;
  g_autoptr(GBytes) c = NULL;
  g_autofree char *stamp = NULL;

  act_id = query_one ("SELECT id FROM acts WHERE type = 'payment_order' ORDER BY number LIMIT 1");
  data = load_act (store, act_id);
  a = render (first, data, NULL);
  b = render (second, data, NULL);
  /* A renderer's caches change nothing either. */
  c = render (first, data, NULL);
  g_assert_true (g_bytes_equal (a, b));
  g_assert_true (g_bytes_equal (a, c));

  /* The PDF is dated by the act, not by the clock. */
  stamp = g_strdup_printf ("/CreationDate (%.4s%.2s%.2s000000Z)", data->act->issued_on,
                           data->act->issued_on + 5, data->act->issued_on + 8);
  g_assert_true (bytes_contain (a, stamp));
}

static void
test_archive (void)
{
  g_autoptr(EsaStore) store = open_store ();
  g_autoptr(EsaActRenderer) renderer = esa_act_renderer_new (NULL);
  g_autoptr(EsaAttachments) attachments = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *act_id = NULL;
  g_autoptr(EsaActData) data = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autoptr(EsaDossier) dossier = NULL;
  gboolean added = FALSE;
  guint found = 0;

  act_id = query_one ("SELECT id FROM acts WHERE type = 'injunction' ORDER BY number DESC "
                      "LIMIT 1");
  data = load_act (store, act_id);
  pdf = render (renderer, data, NULL);
  attachments = esa_act_attachments_for_store (store, &error);
  g_assert_no_error (error);

  first = esa_act_archive (store, attachments, data, "Ingiunzione", pdf, &added, &error);
  g_assert_no_error (error);
  g_assert_true (added);
  /* Printing the same act again archives nothing new. */
  second = esa_act_archive (store, attachments, data, "Ingiunzione", pdf, &added, &error);
  g_assert_no_error (error);
  g_assert_false (added);
  g_assert_cmpstr (first, ==, second);

  dossier = esa_store_load_dossier (store, data->debtor->id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < dossier->documents->len; i++)
    {
      const EsaDocument *document = g_ptr_array_index (dossier->documents, i);

      if (g_strcmp0 (document->id, first) != 0)
        continue;
      found++;
      g_assert_cmpstr (document->act_id, ==, act_id);
      g_assert_cmpstr (document->case_id, ==, data->case_->id);
      g_assert_cmpstr (document->mime_type, ==, "application/pdf");
      g_assert_cmpint (document->size, ==, (gint64) g_bytes_get_size (pdf));
      g_assert_true (esa_attachments_verify (attachments, document->sha256, NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpuint (found, ==, 1);
}

/* ---- broken templates ---------------------------------------------------- */

/* A templates folder with the shipped Italian common texts and injunction,
 * and @act_text as a body's own injunction when given. */
static char *
make_templates (const char *name,
                const char *act_text,
                const char *body_json)
{
  g_autofree char *shipped = esa_data_dir ("templates");
  char *dir = g_build_filename (work_dir, name, NULL);
  static const char * const files[] = { "common.it.json", "injunction.it.json" };
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (dir, 0755);
  for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *from = g_build_filename (shipped, files[i], NULL);
      g_autofree char *to = g_build_filename (dir, files[i], NULL);
      g_autofree char *contents = NULL;

      g_file_get_contents (from, &contents, NULL, &error);
      g_assert_no_error (error);
      if (act_text != NULL && i == 1)
        g_file_set_contents (to, act_text, -1, &error);
      else
        g_file_set_contents (to, contents, -1, &error);
      g_assert_no_error (error);
    }
  if (body_json != NULL)
    {
      g_autoptr(GPtrArray) bodies = query ("SELECT id FROM bodies WHERE country = 'IT'");

      for (guint i = 0; i < bodies->len; i++)
        {
          g_autofree char *body_dir = g_build_filename (dir, "bodies",
                                                        g_ptr_array_index (bodies, i), NULL);
          g_autofree char *path = g_build_filename (body_dir, "body.json", NULL);

          g_mkdir_with_parents (body_dir, 0755);
          g_file_set_contents (path, body_json, -1, &error);
          g_assert_no_error (error);
        }
    }
  return dir;
}

static void
render_expecting (const char *templates,
                  GQuark      domain,
                  int         code,
                  const char *needle1,
                  const char *needle2)
{
  g_autoptr(EsaStore) store = open_store ();
  g_autoptr(EsaActRenderer) renderer = esa_act_renderer_new (templates);
  g_autoptr(GError) error = NULL;
  g_autofree char *act_id = NULL;
  g_autoptr(EsaActData) data = NULL;
  g_autoptr(EsaRenderedAct) act = NULL;

  act_id = query_one ("SELECT a.id FROM acts a JOIN cases c ON c.id = a.case_id "
                      "JOIN bodies b ON b.id = c.body_id WHERE a.type = 'injunction' "
                      "AND b.country = 'IT' ORDER BY a.number LIMIT 1");
  data = load_act (store, act_id);
  act = esa_act_renderer_render (renderer, data, &error);
  g_assert_null (act);
  g_assert_error (error, domain, code);
  if (strstr (error->message, needle1) == NULL || strstr (error->message, needle2) == NULL)
    g_error ("“%s” should name “%s” and “%s”", error->message, needle1, needle2);
}

static void
test_bad_json (void)
{
  g_autofree char *dir = make_templates ("bad-json", "{ \"title\": \"Ingiunzione\", ", NULL);
  g_autofree char *file = g_build_filename (dir, "injunction.it.json", NULL);

  render_expecting (dir, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_TEMPLATE, file, "JSON");
}

static void
test_unknown_placeholder (void)
{
  g_autofree char *dir = make_templates ("unknown-placeholder",
                                         "{ \"title\": \"Ingiunzione\", \"blocks\": ["
                                         "{ \"type\": \"text\", \"text\": \"Gentile {debtor.nme}\" }"
                                         "] }", NULL);
  g_autofree char *file = g_build_filename (dir, "injunction.it.json", NULL);

  render_expecting (dir, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_TEMPLATE, file,
                    "{debtor.nme}");
}

static void
test_bad_markup (void)
{
  g_autofree char *dir = make_templates ("bad-markup",
                                         "{ \"title\": \"Ingiunzione <b>di pagamento\" }", NULL);
  g_autofree char *file = g_build_filename (dir, "injunction.it.json", NULL);

  render_expecting (dir, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_TEMPLATE, file, "$.title");
}

static void
test_missing_logo (void)
{
  g_autofree char *dir = make_templates ("missing-logo", NULL,
                                         "{ \"language\": \"it\", \"logo\": \"stemma.svg\" }");

  render_expecting (dir, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_LOGO, "stemma.svg",
                    "body.json");
}

static void
test_broken_logo (void)
{
  g_autofree char *dir = make_templates ("broken-logo", NULL,
                                         "{ \"language\": \"it\", \"logo\": \"../../logo.svg\" }");
  g_autofree char *logo = g_build_filename (dir, "logo.svg", NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (logo, "<svg this is not", -1, &error);
  g_assert_no_error (error);
  render_expecting (dir, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_LOGO, "logo.svg", "logo");
}

static void
test_missing_language (void)
{
  g_autofree char *dir = make_templates ("missing-language", NULL, NULL);
  g_autoptr(EsaStore) store = open_store ();
  g_autoptr(EsaActRenderer) renderer = esa_act_renderer_new (dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *act_id = query_one ("SELECT id FROM acts WHERE type = 'injunction' LIMIT 1");
  g_autoptr(EsaActData) data = load_act (store, act_id);
  g_autoptr(EsaRenderedAct) act = NULL;
  g_autofree char *file = g_build_filename (dir, "injunction.fr.json", NULL);

  esa_act_renderer_set_language (renderer, "fr");
  act = esa_act_renderer_render (renderer, data, &error);
  g_assert_null (act);
  g_assert_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_TEMPLATE);
  g_assert_nonnull (strstr (error->message, file));
}

/* ---- print batches ------------------------------------------------------- */

static guint
pdf_pages (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *uri = g_file_get_uri (file);
  g_autoptr(GError) error = NULL;
  g_autoptr(PopplerDocument) document = poppler_document_new_from_file (uri, NULL, &error);

  g_assert_no_error (error);
  return (guint) poppler_document_get_n_pages (document);
}

static guint
count_lines (const char *path)
{
  g_autofree char *contents = NULL;
  guint n = 0;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return 0;
  for (const char *p = contents; *p != '\0'; p++)
    if (*p == '\n')
      n++;
  return n;
}

static void
count_progress (guint       done,
                guint       total,
                const char *item,
                gpointer    user_data)
{
  guint *calls = user_data;

  g_assert_cmpuint (done, <=, total);
  (*calls)++;
}

static void
test_batch (void)
{
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;
  g_autofree char *out = g_build_filename (work_dir, "batch", NULL);
  g_autoptr(EsaActBatch) batch = esa_act_batch_new (db_path, out);
  g_autoptr(EsaActBatchReport) report = NULL;
  g_autoptr(EsaActBatchReport) again = NULL;
  g_autoptr(EsaActBatchReport) resumed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *journal = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *print = NULL;
  guint calls = 0;
  guint pages;

  cases = query ("SELECT a.case_id FROM acts a JOIN cases c ON c.id = a.case_id "
                 "WHERE a.type IN ('injunction', 'payment_order') "
                 "AND c.id NOT IN (SELECT case_id FROM acts WHERE number LIKE 'TST-%' "
                 "  OR number LIKE 'RAT-2026-9%') "
                 "GROUP BY a.case_id ORDER BY a.case_id LIMIT 8");
  g_assert_cmpuint (cases->len, ==, 8);
  for (guint i = 0; i < cases->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (cases, i));
  g_strv_builder_add (builder, "no-such-case");
  ids = g_strv_builder_end (builder);

  esa_act_batch_set_cases (batch, (const char * const *) ids);
  esa_act_batch_set_threads (batch, 2);
  report = esa_act_batch_run (batch, NULL, count_progress, &calls, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->total, ==, 9);
  g_assert_cmpuint (report->generated, ==, 8);
  g_assert_cmpuint (report->failed, ==, 1);
  g_assert_cmpuint (report->archived, ==, 8);
  g_assert_cmpuint (calls, ==, 9);
  g_assert_cmpstr (((EsaActBatchFailure *) g_ptr_array_index (report->failures, 0))->case_id, ==,
                   "no-such-case");
  g_assert_nonnull (report->print_file);
  pages = pdf_pages (report->print_file);
  g_assert_cmpuint (pages, ==, report->pages);
  g_assert_cmpuint (count_lines (report->journal_file), ==, 8);

  /* A second run finds everything done, prints the same pages, archives
   * nothing again. */
  again = esa_act_batch_run (batch, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->generated, ==, 0);
  g_assert_cmpuint (again->skipped, ==, 8);
  g_assert_cmpuint (again->archived, ==, 0);
  g_assert_cmpuint (again->pages, ==, pages);
  g_assert_cmpuint (pdf_pages (again->print_file), ==, pages);

  /* A crash: the journal lost its last three lines (and the last one is
   * torn), the print file was never finished. */
  journal = g_strdup (report->journal_file);
  g_file_get_contents (journal, &contents, NULL, &error);
  g_assert_no_error (error);
  {
    g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);
    g_autoptr(GString) kept = g_string_new (NULL);

    for (guint i = 0; i < 5; i++)
      g_string_append_printf (kept, "%s\n", lines[i]);
    g_string_append (kept, "{\"case\": \"torn");
    g_file_set_contents (journal, kept->str, -1, &error);
    g_assert_no_error (error);
  }
  print = g_strdup (report->print_file);
  g_unlink (print);
  resumed = esa_act_batch_run (batch, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (resumed->skipped, ==, 5);
  g_assert_cmpuint (resumed->generated, ==, 3);
  g_assert_cmpuint (resumed->pages, ==, pages);
  g_assert_cmpuint (pdf_pages (resumed->print_file), ==, pages);
}

static void
test_batch_load_list (void)
{
  g_autofree char *list = query_one ("SELECT l.id FROM load_lists l "
                                     "JOIN bodies b ON b.id = l.body_id "
                                     "WHERE l.state = 'approved' AND b.country = 'IT' "
                                     "AND EXISTS (SELECT 1 FROM positions p "
                                     "  JOIN case_positions cp ON cp.position_id = p.id "
                                     "  WHERE p.load_list_id = l.id) "
                                     "ORDER BY (SELECT count(*) FROM positions p "
                                     "  WHERE p.load_list_id = l.id), l.id LIMIT 1");
  g_autofree char *out = g_build_filename (work_dir, "batch-list", NULL);
  g_autoptr(EsaActBatch) batch = esa_act_batch_new (db_path, out);
  g_autoptr(EsaActBatchReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(GPtrArray) expected = NULL;

  sql = g_strdup_printf ("SELECT DISTINCT cp.case_id FROM positions p JOIN case_positions cp "
                         "ON cp.position_id = p.id WHERE p.load_list_id = '%s'", list);
  expected = query (sql);

  esa_act_batch_set_load_list (batch, list);
  esa_act_batch_set_archive (batch, FALSE);
  report = esa_act_batch_run (batch, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->total, ==, expected->len);
  g_assert_cmpuint (report->generated + report->failed, ==, expected->len);
  g_assert_cmpuint (report->generated, >, 0);
  g_assert_cmpuint (report->archived, ==, 0);
}

static void
test_batch_cancel (void)
{
  g_autoptr(GPtrArray) cases = query ("SELECT case_id FROM acts WHERE type = 'injunction' "
                                      "ORDER BY case_id LIMIT 4");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;
  g_autofree char *out = g_build_filename (work_dir, "batch-cancel", NULL);
  g_autoptr(EsaActBatch) batch = esa_act_batch_new (db_path, out);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(EsaActBatchReport) report = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < cases->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (cases, i));
  ids = g_strv_builder_end (builder);
  esa_act_batch_set_cases (batch, (const char * const *) ids);
  g_cancellable_cancel (cancellable);
  report = esa_act_batch_run (batch, cancellable, NULL, NULL, &error);
  g_assert_null (report);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

typedef struct
{
  GMainLoop         *loop;
  EsaActBatchReport *report;
  GError            *error;
  guint              progress;
  GThread           *main_thread;
} AsyncRun;

static void
on_async_progress (guint       done,
                   guint       total,
                   const char *item,
                   gpointer    user_data)
{
  AsyncRun *run = user_data;

  /* Progress arrives in the caller's main context. */
  g_assert_true (g_thread_self () == run->main_thread);
  run->progress++;
}

static void
on_async_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  AsyncRun *run = user_data;

  run->report = esa_act_batch_run_finish (ESA_ACT_BATCH (source), result, &run->error);
  g_main_loop_quit (run->loop);
}

static void
test_batch_async (void)
{
  g_autoptr(GPtrArray) cases = query ("SELECT case_id FROM acts WHERE type = 'payment_order' "
                                      "ORDER BY case_id DESC LIMIT 3");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;
  g_autofree char *out = g_build_filename (work_dir, "batch-async", NULL);
  g_autoptr(EsaActBatch) batch = esa_act_batch_new (db_path, out);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  AsyncRun run = { loop, NULL, NULL, 0, g_thread_self () };

  for (guint i = 0; i < cases->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (cases, i));
  ids = g_strv_builder_end (builder);
  esa_act_batch_set_cases (batch, (const char * const *) ids);
  esa_act_batch_set_archive (batch, FALSE);
  esa_act_batch_run_async (batch, NULL, on_async_progress, &run, NULL, on_async_done, &run);
  g_main_loop_run (loop);

  g_assert_no_error (run.error);
  g_assert_cmpuint (run.report->generated, ==, 3);
  g_assert_cmpuint (run.progress, >=, 1);
  esa_act_batch_report_free (run.report);
}

/* ---- PDF forms ------------------------------------------------------------ */

/* A one-page AcroForm written by hand: two text fields and a checkbox. */
static char *
write_form (void)
{
  static const char * const objects[] = {
    "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R 5 0 R 6 0 R] "
    "/DA (/Helv 0 Tf 0 g) /DR << /Font << /Helv 7 0 R >> >> >> >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [4 0 R 5 0 R 6 0 R] "
    "/Resources << /Font << /Helv 7 0 R >> >> >>",
    "<< /Type /Annot /Subtype /Widget /FT /Tx /T (applicant_name) /V (Mario Rossi) "
    "/Rect [72 700 372 720] /F 4 /DA (/Helv 11 Tf 0 g) /P 3 0 R >>",
    "<< /Type /Annot /Subtype /Widget /FT /Tx /T (amount) /V () /MaxLen 12 "
    "/Rect [72 660 272 680] /F 4 /DA (/Helv 11 Tf 0 g) /P 3 0 R >>",
    "<< /Type /Annot /Subtype /Widget /FT /Btn /T (agree) /V /Off /AS /Off "
    "/Rect [72 620 86 634] /F 4 /P 3 0 R /AP << /N << /Yes 8 0 R /Off 9 0 R >> >> >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    "<< /Type /XObject /Subtype /Form /BBox [0 0 14 14] /Length 18 >>\n"
    "stream\n0 g 2 2 10 10 re f\nendstream",
    "<< /Type /XObject /Subtype /Form /BBox [0 0 14 14] /Length 0 >>\nstream\n\nendstream",
  };
  g_autoptr(GString) pdf = g_string_new ("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n");
  gsize offsets[G_N_ELEMENTS (objects)];
  gsize xref;
  char *path = g_build_filename (work_dir, "form.pdf", NULL);
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (objects); i++)
    {
      offsets[i] = pdf->len;
      g_string_append_printf (pdf, "%zu 0 obj\n%s\nendobj\n", i + 1, objects[i]);
    }
  xref = pdf->len;
  g_string_append_printf (pdf, "xref\n0 %zu\n0000000000 65535 f \n", G_N_ELEMENTS (objects) + 1);
  for (gsize i = 0; i < G_N_ELEMENTS (objects); i++)
    g_string_append_printf (pdf, "%010zu 00000 n \n", offsets[i]);
  g_string_append_printf (pdf, "trailer\n<< /Size %zu /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
                          G_N_ELEMENTS (objects) + 1, xref);

  g_file_set_contents (path, pdf->str, (gssize) pdf->len, &error);
  g_assert_no_error (error);
  return path;
}

static const EsaPdfFormField *
find_field (GPtrArray  *fields,
            const char *name)
{
  for (guint i = 0; i < fields->len; i++)
    if (g_strcmp0 (((EsaPdfFormField *) g_ptr_array_index (fields, i))->name, name) == 0)
      return g_ptr_array_index (fields, i);
  g_error ("no field %s", name);
  return NULL;
}

static void
test_form_library (void)
{
  g_autofree char *path = write_form ();
  g_autofree char *filled_path = g_build_filename (work_dir, "form-filled.pdf", NULL);
  g_autoptr(GFile) input = g_file_new_for_path (path);
  g_autoptr(GFile) output = g_file_new_for_path (filled_path);
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GPtrArray) filled = NULL;
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;

  fields = esa_pdf_form_list_fields (input, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fields->len, ==, 3);
  g_assert_cmpstr (find_field (fields, "applicant_name")->type, ==, "text");
  g_assert_cmpstr (find_field (fields, "applicant_name")->value, ==, "Mario Rossi");
  g_assert_cmpstr (find_field (fields, "amount")->value, ==, "");
  g_assert_cmpstr (find_field (fields, "agree")->type, ==, "checkbox");
  g_assert_cmpstr (find_field (fields, "agree")->value, ==, "false");

  g_hash_table_insert (values, (gpointer) "applicant_name", (gpointer) "Anna Bianchi");
  g_hash_table_insert (values, (gpointer) "amount", (gpointer) "1234.50");
  g_hash_table_insert (values, (gpointer) "agree", (gpointer) "yes");
  esa_pdf_form_fill (input, values, output, &error);
  g_assert_no_error (error);

  filled = esa_pdf_form_list_fields (output, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (find_field (filled, "applicant_name")->value, ==, "Anna Bianchi");
  g_assert_cmpstr (find_field (filled, "amount")->value, ==, "1234.50");
  g_assert_cmpstr (find_field (filled, "agree")->value, ==, "true");

  /* An unknown field, a value too long, a file that is not a PDF. */
  g_hash_table_remove_all (values);
  g_hash_table_insert (values, (gpointer) "applicant", (gpointer) "x");
  g_assert_false (esa_pdf_form_fill (input, values, output, &error));
  g_assert_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_FORM);
  g_assert_nonnull (strstr (error->message, "applicant"));
  g_clear_error (&error);

  g_hash_table_remove_all (values);
  g_hash_table_insert (values, (gpointer) "amount", (gpointer) "1234567890123");
  g_assert_false (esa_pdf_form_fill (input, values, output, &error));
  g_assert_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_FORM);
  g_clear_error (&error);

  {
    g_autofree char *junk_path = g_build_filename (work_dir, "junk.pdf", NULL);
    g_autoptr(GFile) junk = g_file_new_for_path (junk_path);
    g_autoptr(GPtrArray) none = NULL;

    g_file_set_contents (junk_path, "%PDF-1.4 truncated", -1, &error);
    g_assert_no_error (error);
    none = esa_pdf_form_list_fields (junk, &error);
    g_assert_null (none);
    g_assert_error (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_PDF);
    g_assert_nonnull (strstr (error->message, "junk.pdf"));
  }
}

static void
test_form_cli (void)
{
  g_autofree char *cli = g_test_build_filename (G_TEST_BUILT, "..", "src", "cli", "esattore-cli",
                                                NULL);
  g_autofree char *path = write_form ();
  g_autofree char *filled = g_build_filename (work_dir, "form-cli.pdf", NULL);
  g_autofree char *listing = NULL;
  g_autofree char *fill_out = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GFile) output = g_file_new_for_path (filled);
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GError) error = NULL;
  const char *list_argv[] = { cli, "form", "fields", path, "--json", NULL };
  const char *fill_argv[] = { cli, "form", "fill", path, "--set", "applicant_name=Luca Verdi",
                              "--set", "agree=true", "-o", filled, NULL };
  const char *after_argv[] = { cli, "form", "fields", filled, NULL };

  listing = run (list_argv);
  g_assert_nonnull (strstr (listing, "\"applicant_name\""));
  g_assert_nonnull (strstr (listing, "\"Mario Rossi\""));
  g_assert_nonnull (strstr (listing, "\"checkbox\""));

  fill_out = run (fill_argv);
  g_assert_nonnull (strstr (fill_out, filled));

  /* poppler reads back what the command wrote. */
  fields = esa_pdf_form_list_fields (output, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (find_field (fields, "applicant_name")->value, ==, "Luca Verdi");
  g_assert_cmpstr (find_field (fields, "agree")->value, ==, "true");
  g_assert_cmpstr (find_field (fields, "amount")->value, ==, "");

  after = run (after_argv);
  g_assert_nonnull (strstr (after, "Luca Verdi"));
}

/* ---- the act command ----------------------------------------------------- */

static void
test_act_cli (void)
{
  g_autofree char *cli = g_test_build_filename (G_TEST_BUILT, "..", "src", "cli", "esattore-cli",
                                                NULL);
  g_autofree char *act_id = query_one ("SELECT id FROM acts WHERE type = 'reminder' "
                                       "ORDER BY number LIMIT 1");
  g_autofree char *out = g_build_filename (work_dir, "cli-act.pdf", NULL);
  g_autofree char *json = NULL;
  g_autofree char *cases_file = g_build_filename (work_dir, "cases.txt", NULL);
  g_autofree char *batch_dir = g_build_filename (work_dir, "cli-batch", NULL);
  g_autofree char *batch_json = NULL;
  g_autoptr(GPtrArray) cases = query ("SELECT case_id FROM acts WHERE type = 'reminder' "
                                      "ORDER BY case_id LIMIT 3");
  g_autoptr(GString) list = g_string_new ("# reminders to print\n");
  g_autoptr(GError) error = NULL;
  const char *render_argv[] = { cli, "--db", db_path, "act", "render", act_id, "-o", out,
                                "--json", NULL };

  json = run (render_argv);
  g_assert_nonnull (strstr (json, "\"pages\""));
  g_assert_nonnull (strstr (json, "\"document\""));
  g_assert_cmpuint (pdf_pages (out), >=, 1);

  for (guint i = 0; i < cases->len; i++)
    g_string_append_printf (list, "%s\n", (char *) g_ptr_array_index (cases, i));
  g_file_set_contents (cases_file, list->str, -1, &error);
  g_assert_no_error (error);
  {
    const char *batch_argv[] = { cli, "--db", db_path, "act", "batch", "--cases", cases_file,
                                 "--type", "reminder", "-o", batch_dir, "--json", NULL };
    g_autoptr(JsonNode) root = NULL;
    JsonObject *object;

    batch_json = run (batch_argv);
    root = json_from_string (batch_json, &error);
    g_assert_no_error (error);
    object = json_node_get_object (root);
    g_assert_cmpint (json_object_get_int_member (object, "generated"), ==, 3);
    g_assert_cmpint (json_object_get_int_member (object, "failed"), ==, 0);
    g_assert_cmpint (json_object_get_int_member (object, "pages"), ==,
                     pdf_pages (json_object_get_string_member (object, "print_file")));
  }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(GError) error = NULL;
  EsaDemoOptions options;
  int status;

  g_test_init (&argc, &argv, NULL);

  if (missing_tool () != NULL)
    {
      g_print ("1..0 # SKIP %s is not installed (poppler-utils, zbar-tools)\n", missing_tool ());
      return 77;
    }

  work_dir = g_dir_make_tmp ("esattore-documents-XXXXXX", &error);
  g_assert_no_error (error);
  db_path = g_build_filename (work_dir, "demo.db", NULL);

  esa_demo_options_init (&options);
  options.debtors = 250;
  options.today = "2026-11-23";
  store = esa_store_open (db_path, &error);
  g_assert_no_error (error);
  esa_demo_generate (store, &options, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  g_test_add_func ("/documents/payload/pagopa", test_pagopa_payload);
  g_test_add_func ("/documents/payload/qr-bill", test_qr_bill_payload);
  g_test_add_func ("/documents/injunction", test_injunction);
  g_test_add_func ("/documents/payment-order", test_payment_order);
  g_test_add_func ("/documents/instalment-plan", test_instalment_plan);
  g_test_add_func ("/documents/every-template", test_every_template);
  g_test_add_func ("/documents/deterministic", test_deterministic);
  g_test_add_func ("/documents/archive", test_archive);
  g_test_add_func ("/documents/template/bad-json", test_bad_json);
  g_test_add_func ("/documents/template/unknown-placeholder", test_unknown_placeholder);
  g_test_add_func ("/documents/template/bad-markup", test_bad_markup);
  g_test_add_func ("/documents/template/missing-logo", test_missing_logo);
  g_test_add_func ("/documents/template/broken-logo", test_broken_logo);
  g_test_add_func ("/documents/template/missing-language", test_missing_language);
  g_test_add_func ("/documents/batch/cases", test_batch);
  g_test_add_func ("/documents/batch/load-list", test_batch_load_list);
  g_test_add_func ("/documents/batch/cancel", test_batch_cancel);
  g_test_add_func ("/documents/batch/async", test_batch_async);
  g_test_add_func ("/documents/form/library", test_form_library);
  g_test_add_func ("/documents/form/cli", test_form_cli);
  g_test_add_func ("/documents/act/cli", test_act_cli);

  status = g_test_run ();

  if (status == 0)
    {
      const char *argv_rm[] = { "rm", "-rf", work_dir, NULL };

      g_spawn_sync (NULL, (char **) argv_rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                    NULL, NULL);
    }
  g_free (db_path);
  g_free (work_dir);
  return status;
}
