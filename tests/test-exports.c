/* test-exports.c: report exports. The XLSX and ODS files, converted to CSV
 * by LibreOffice (headless, a profile of its own, under a time limit), give
 * the same table and totals as the CSV export; the XML export validates
 * against data/schemas/report-1.xsd with xmllint; the PDF is a PDF.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <glib/gstdio.h>

#include "esa-csv-reader.h"
#include "esa-demo.h"
#include "esa-money.h"
#include "esa-parameters.h"
#include "esa-report-export.h"
#include "esa-store-reports.h"

#define FROM "2025-01-01"
#define TO   "2026-06-30"
/* LibreOffice's first start makes its profile: give it time, but not
 * forever. */
#define SOFFICE_TIMEOUT_S "240"

static EsaReport *shared_report;
static char *work_dir;

static const EsaReport *
demo_report (void)
{
  if (shared_report == NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(EsaStore) store = esa_store_open_memory (&error);
      EsaDemoOptions options;

      g_assert_no_error (error);
      esa_demo_options_init (&options);
      options.debtors = 400;
      options.seed = 3;
      options.today = "2026-11-20";
      g_assert_true (esa_demo_generate (store, &options, &error));
      g_assert_no_error (error);
      shared_report = esa_store_report_collections (store, FROM, TO, ESA_REPORT_BY_ALL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (shared_report);
    }
  return shared_report;
}

static char *
export (EsaReportFormat  format,
        const char      *name)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (work_dir, name, NULL);

  g_assert_true (esa_report_export (demo_report (), format, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  return path;
}

/* An amount as a spreadsheet writes it ("1234.5", "1234.50", "-3", "1,234.50"
 * when grouped) in minor units. */
static gint64
parse_amount (const char *text)
{
  g_autoptr(GString) plain = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  gint64 minor = 0;

  for (const char *p = text; *p != '\0'; p++)
    if (*p != ',')
      g_string_append_c (plain, *p);
  if (!esa_money_parse (plain->str, &minor, &error))
    g_error ("“%s” is not an amount: %s", text, error->message);
  return minor;
}

/* A CSV file as rows of fields. */
static GPtrArray *
read_csv (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaCsvReader) reader = esa_csv_reader_new_for_path (path, &error);
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  g_assert_no_error (error);
  while (esa_csv_reader_next (reader, NULL, &error))
    {
      guint n = esa_csv_reader_get_n_fields (reader);
      char **fields = g_new0 (char *, n + 1);

      for (guint i = 0; i < n; i++)
        fields[i] = g_strdup (esa_csv_reader_get_field (reader, i));
      g_ptr_array_add (rows, fields);
    }
  g_assert_no_error (error);
  return rows;
}

typedef struct
{
  GHashTable *data_sums;   /* currency → gint64[] (per column), over the data rows */
  GHashTable *total_rows;  /* currency → gint64[], the "Total" rows */
} Totals;

static void
totals_clear (Totals *totals)
{
  g_clear_pointer (&totals->data_sums, g_hash_table_unref);
  g_clear_pointer (&totals->total_rows, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Totals, totals_clear)

/* Sums every count and amount column of a CSV export per currency, and
 * reads its totals rows. */
static void
csv_totals (const EsaReport *report,
            GPtrArray       *rows,
            Totals          *out)
{
  guint n = report->columns->len;
  g_autofree char *total_label = NULL;

  out->data_sums = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  out->total_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  total_label = g_strdup (((EsaReportRow *) g_ptr_array_index (report->totals, 0))->texts[0]);

  for (guint r = 1; r < rows->len; r++)
    {
      char **fields = g_ptr_array_index (rows, r);
      const char *currency = fields[report->currency_column];
      gboolean is_total = g_str_equal (fields[0], total_label);
      GHashTable *table = is_total ? out->total_rows : out->data_sums;
      gint64 *sums = g_hash_table_lookup (table, currency);

      g_assert_cmpuint (g_strv_length (fields), ==, n);
      if (sums == NULL)
        {
          sums = g_new0 (gint64, n);
          g_hash_table_insert (table, g_strdup (currency), sums);
        }
      else
        g_assert_false (is_total);
      for (guint c = 0; c < n; c++)
        {
          const EsaReportColumn *column = g_ptr_array_index (report->columns, c);

          if (column->type != ESA_REPORT_COLUMN_TEXT)
            sums[c] += parse_amount (fields[c]) / (column->type == ESA_REPORT_COLUMN_COUNT ? 100
                                                                                           : 1);
        }
    }
}

static void
assert_same_totals (const EsaReport *report,
                    GHashTable      *a,
                    GHashTable      *b)
{
  GHashTableIter iter;
  gpointer key, value;

  g_assert_cmpuint (g_hash_table_size (a), ==, report->totals->len);
  g_assert_cmpuint (g_hash_table_size (b), ==, g_hash_table_size (a));
  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const gint64 *want = value;
      const gint64 *got = g_hash_table_lookup (b, key);

      g_assert_nonnull (got);
      for (guint c = 0; c < report->columns->len; c++)
        g_assert_cmpint (got[c], ==, want[c]);
    }
}

/* ---- CSV ---------------------------------------------------------------- */

static void
test_csv (void)
{
  const EsaReport *report = demo_report ();
  g_autofree char *path = export (ESA_REPORT_FORMAT_CSV, "report.csv");
  g_autoptr(GPtrArray) rows = read_csv (path);
  g_auto(Totals) totals = { NULL, };
  gint amount = esa_report_find_column (report, "amount");
  GHashTableIter iter;
  gpointer key, value;

  g_assert_cmpuint (rows->len, ==, 1 + report->rows->len + report->totals->len);
  g_assert_cmpstr (((char **) g_ptr_array_index (rows, 0))[0], ==,
                   ((EsaReportColumn *) g_ptr_array_index (report->columns, 0))->title);

  /* The totals rows are the sums of the rows, per currency, and those of
   * the report. */
  csv_totals (report, rows, &totals);
  assert_same_totals (report, totals.data_sums, totals.total_rows);
  g_hash_table_iter_init (&iter, totals.total_rows);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const EsaReportRow *total = esa_report_get_total (report, key);

      g_assert_nonnull (total);
      g_assert_cmpint (((gint64 *) value)[amount], ==, total->values[amount]);
      g_assert_cmpint (((gint64 *) value)[amount], >, 0);
    }

  /* Amounts have exactly two decimals. */
  for (guint r = 1; r < rows->len; r++)
    {
      const char *text = ((char **) g_ptr_array_index (rows, r))[amount];
      const char *dot = strchr (text, '.');

      g_assert_nonnull (dot);
      g_assert_cmpuint (strlen (dot), ==, 3);
    }
}

/* ---- XLSX and ODS through LibreOffice ----------------------------------- */

static void
test_spreadsheets_via_libreoffice (void)
{
  const EsaReport *report = demo_report ();
  g_autofree char *soffice = g_find_program_in_path ("soffice");
  g_autofree char *csv_path = NULL;
  g_autofree char *xlsx_path = NULL;
  g_autofree char *ods_path = NULL;
  g_autofree char *profile = NULL;
  g_autofree char *profile_uri = NULL;
  g_autofree char *env_option = NULL;
  g_autofree char *out_dir = NULL;
  g_autofree char *out_log = NULL;
  g_autofree char *err_log = NULL;
  g_autoptr(GPtrArray) ours = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Totals) our_totals = { NULL, };
  const char *kinds[] = { "report-xlsx", "report-ods" };
  int wait_status = 0;

  if (soffice == NULL)
    {
      g_test_skip ("soffice (LibreOffice) is not installed");
      return;
    }

  csv_path = export (ESA_REPORT_FORMAT_CSV, "report.csv");
  xlsx_path = export (ESA_REPORT_FORMAT_XLSX, "report-xlsx.xlsx");
  ods_path = export (ESA_REPORT_FORMAT_ODS, "report-ods.ods");
  ours = read_csv (csv_path);
  csv_totals (report, ours, &our_totals);

  /* A profile of its own, so that a running LibreOffice (or another test
   * run) is neither used nor disturbed; raw cell values ("save cell
   * contents as shown" off), UTF-8, comma separated. */
  profile = g_build_filename (work_dir, "lo-profile", NULL);
  profile_uri = g_filename_to_uri (profile, NULL, &error);
  g_assert_no_error (error);
  env_option = g_strconcat ("-env:UserInstallation=", profile_uri, NULL);
  out_dir = g_build_filename (work_dir, "converted", NULL);
  {
    const char *argv[] = {
      "timeout", "-k", "10", SOFFICE_TIMEOUT_S, soffice, env_option,
      "--headless", "--norestore", "--nolockcheck",
      "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,false,false",
      "--outdir", out_dir, xlsx_path, ods_path, NULL
    };

    g_assert_true (g_spawn_sync (work_dir, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                 &out_log, &err_log, &wait_status, &error));
    g_assert_no_error (error);
  }
  if (!g_spawn_check_wait_status (wait_status, &error))
    g_error ("soffice failed (%s):\n%s\n%s", error->message, out_log, err_log);

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autofree char *name = g_strconcat (kinds[k], ".csv", NULL);
      g_autofree char *path = g_build_filename (out_dir, name, NULL);
      g_autoptr(GPtrArray) theirs = NULL;
      g_auto(Totals) their_totals = { NULL, };

      g_test_message ("comparing %s with the CSV export", path);
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_error ("LibreOffice wrote no %s:\n%s\n%s", path, out_log, err_log);
      theirs = read_csv (path);

      /* The same table: header, rows, totals rows; text as it is, numbers
       * as values. */
      g_assert_cmpuint (theirs->len, ==, ours->len);
      for (guint r = 0; r < ours->len; r++)
        {
          char **want = g_ptr_array_index (ours, r);
          char **got = g_ptr_array_index (theirs, r);

          g_assert_cmpuint (g_strv_length (got), ==, g_strv_length (want));
          for (guint c = 0; want[c] != NULL; c++)
            {
              const EsaReportColumn *column = g_ptr_array_index (report->columns, c);

              if (r == 0 || column->type == ESA_REPORT_COLUMN_TEXT)
                g_assert_cmpstr (got[c], ==, want[c]);
              else
                g_assert_cmpint (parse_amount (got[c]), ==, parse_amount (want[c]));
            }
        }

      /* The same totals, per currency, summed from the rows and as written. */
      csv_totals (report, theirs, &their_totals);
      assert_same_totals (report, our_totals.total_rows, their_totals.total_rows);
      assert_same_totals (report, our_totals.total_rows, their_totals.data_sums);
    }
}

static void
test_ods_layout (void)
{
  g_autofree char *path = export (ESA_REPORT_FORMAT_ODS, "layout.ods");
  g_autofree char *data = NULL;
  gsize length = 0;
  static const char mime[] = "application/vnd.oasis.opendocument.spreadsheet";

  /* "mimetype" first, stored, its content at offset 38 (OpenDocument 1.2,
   * part 3, 3.3). */
  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  g_assert_cmpuint (length, >, 38 + sizeof mime);
  g_assert_cmpmem (data, 4, "PK\003\004", 4);
  g_assert_cmpint (data[8], ==, 0);
  g_assert_cmpint (data[9], ==, 0);
  g_assert_cmpmem (data + 30, 8, "mimetype", 8);
  g_assert_cmpmem (data + 38, sizeof mime - 1, mime, sizeof mime - 1);
}

/* ---- XML ---------------------------------------------------------------- */

static void
test_xml_schema (void)
{
  g_autofree char *xmllint = g_find_program_in_path ("xmllint");
  g_autofree char *path = export (ESA_REPORT_FORMAT_XML, "report.xml");
  g_autofree char *data_dir = esa_data_dir ("schemas");
  g_autofree char *xsd = g_build_filename (data_dir, "report-1.xsd", NULL);
  g_autofree char *err_log = NULL;
  g_autofree char *broken = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  if (xmllint == NULL)
    {
      g_test_skip ("xmllint is not installed");
      return;
    }
  g_assert_true (g_file_test (xsd, G_FILE_TEST_IS_REGULAR));
  {
    const char *argv[] = { xmllint, "--noout", "--schema", xsd, path, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
                                 NULL, NULL, &err_log, &wait_status, &error));
  }
  if (!g_spawn_check_wait_status (wait_status, NULL))
    g_error ("the XML export does not validate:\n%s", err_log);

  /* The schema is not a formality: an amount with one decimal fails it. */
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  broken = g_build_filename (work_dir, "broken.xml", NULL);
  {
    const char *amount = strstr (text, "<amount ");
    const char *close = strstr (amount, "</amount>");
    g_autoptr(GString) edited = g_string_new_len (text, close - text - 1);

    g_string_append (edited, close);
    g_assert_true (g_file_set_contents (broken, edited->str, -1, NULL));
  }
  {
    const char *argv[] = { xmllint, "--noout", "--schema", xsd, broken, NULL };

    g_clear_pointer (&err_log, g_free);
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
                                 NULL, NULL, &err_log, &wait_status, &error));
  }
  g_assert_false (g_spawn_check_wait_status (wait_status, NULL));
}

/* ---- PDF ---------------------------------------------------------------- */

static void
test_pdf (void)
{
  g_autofree char *path = export (ESA_REPORT_FORMAT_PDF, "report.pdf");
  g_autofree char *data = NULL;
  g_autofree char *part = g_strconcat (path, ".part", NULL);
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  g_assert_cmpuint (length, >, 1000);
  g_assert_cmpmem (data, 5, "%PDF-", 5);
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
}

static void
test_write_error (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (work_dir, "no-such-dir", "r.xlsx", NULL);

  for (guint f = 0; f < ESA_N_REPORT_FORMATS; f++)
    {
      g_autofree char *named = g_strconcat (path, ".", esa_report_format_to_string (f), NULL);

      g_assert_false (esa_report_export (demo_report (), f, named, &error));
      g_assert_nonnull (error);
      g_clear_error (&error);
      g_assert_false (g_file_test (named, G_FILE_TEST_EXISTS));
    }
}

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_unlink (child);
        }
      g_dir_close (dir);
    }
  g_rmdir (path);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  work_dir = g_dir_make_tmp ("esattore-exports-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/exports/csv", test_csv);
  g_test_add_func ("/exports/ods-layout", test_ods_layout);
  g_test_add_func ("/exports/xml-schema", test_xml_schema);
  g_test_add_func ("/exports/pdf", test_pdf);
  g_test_add_func ("/exports/write-error", test_write_error);
  g_test_add_func ("/exports/xlsx-ods-via-libreoffice", test_spreadsheets_via_libreoffice);

  status = g_test_run ();

  g_clear_pointer (&shared_report, esa_report_free);
  remove_tree (work_dir);
  g_free (work_dir);
  return status;
}
