/* test-load-list.c: load list files read and checked row by row, column
 * mappings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <string.h>

#include "esa-load-list-reader.h"

#define HEADER "tax_id,name,address,postcode,town,country,revenue_type,year,reference," \
               "principal,sanctions,interest,costs,due_date\n"

/* A valid row after HEADER, with its reference. */
#define ROW(reference) \
  "RSSMRA85T10A562S,Rossi Mario,Via Roma 12,20100,Milano,IT,TARI,2024," reference "," \
  "120.50,10.00,1.20,5.90,2024-09-30\n"

/* ---- helpers -------------------------------------------------------- */

/* Reads @text with @mapping (NULL: the default layout) and returns the
 * valid rows; @report receives the problems. */
static EsaLoadListRows *
read_text (const char          *text,
           EsaLoadListMapping  *mapping,
           EsaLoadListReport   *report,
           GError             **error)
{
  g_autoptr(EsaLoadListReader) reader = esa_load_list_reader_new (mapping);
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (text, -1, NULL);

  return esa_load_list_reader_read_stream (reader, stream, report, NULL, error);
}

static const EsaLoadListRow *
row_at (EsaLoadListRows *rows,
        guint            index)
{
  g_assert_cmpuint (index, <, rows->rows->len);
  return &g_array_index (rows->rows, EsaLoadListRow, index);
}

/* Asserts that @report has exactly one issue, on @line, for @reason, and
 * that its message holds @fragment. */
static void
assert_single_issue (EsaLoadListReport *report,
                     guint              line,
                     EsaLoadListReason  reason,
                     const char        *fragment)
{
  const EsaLoadListIssue *issue;

  if (report->issues->len != 1)
    {
      for (guint i = 0; i < report->issues->len; i++)
        {
          issue = g_ptr_array_index (report->issues, i);
          g_test_message ("line %u: %s", issue->line, issue->message);
        }
    }
  g_assert_cmpuint (report->issues->len, ==, 1);
  issue = g_ptr_array_index (report->issues, 0);
  g_assert_cmpuint (issue->line, ==, line);
  g_assert_cmpstr (esa_load_list_reason_to_string (issue->reason), ==,
                   esa_load_list_reason_to_string (reason));
  g_assert_nonnull (strstr (issue->message, fragment));
}

/* Reads a file of HEADER, one valid row, @bad_row, and one more valid row:
 * only @bad_row (line 3) is rejected, for @reason. */
static void
check_rejected_row (const char        *bad_row,
                    EsaLoadListReason  reason,
                    const char        *fragment)
{
  g_autoptr(EsaLoadListReport) report = esa_load_list_report_new ();
  g_autoptr(EsaLoadListRows) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strconcat (HEADER, ROW ("R-1"), bad_row, ROW ("R-4"), NULL);

  rows = read_text (text, NULL, report, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->rows, ==, 3);
  g_assert_cmpuint (rows->rows->len, ==, 2);
  g_assert_cmpuint (row_at (rows, 0)->line, ==, 2);
  g_assert_cmpuint (row_at (rows, 1)->line, ==, 4);
  assert_single_issue (report, 3, reason, fragment);
  g_assert_cmpuint (esa_load_list_report_count_rejected (report), ==, 1);
}

/* ---- the default layout ----------------------------------------------- */

static void
test_default_columns (void)
{
  g_autoptr(EsaLoadListReport) report = esa_load_list_report_new ();
  g_autoptr(EsaLoadListRows) rows = NULL;
  g_autoptr(GError) error = NULL;
  const EsaLoadListRow *row;

  rows = read_text (HEADER ROW ("TARI-2024-1")
                    "01234567897,Bianchi Srl,Via Po 3,,Torino,,IMU,2023,IMU-7,1500,,,,"
                    "2024-06-16\n",
                    NULL, report, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->issues->len, ==, 0);
  g_assert_cmpuint (report->rows, ==, 2);
  g_assert_cmpuint (rows->rows->len, ==, 2);

  row = row_at (rows, 0);
  g_assert_cmpuint (row->line, ==, 2);
  g_assert_cmpstr (row->tax_id, ==, "RSSMRA85T10A562S");
  g_assert_cmpstr (row->tax_id_kind, ==, "cf");
  g_assert_cmpstr (row->name, ==, "Rossi Mario");
  g_assert_cmpstr (row->street, ==, "Via Roma 12");
  g_assert_cmpstr (row->postcode, ==, "20100");
  g_assert_cmpstr (row->town, ==, "Milano");
  g_assert_cmpstr (row->country, ==, "IT");
  g_assert_cmpstr (row->revenue_type, ==, "TARI");
  g_assert_cmpint (row->year, ==, 2024);
  g_assert_cmpstr (row->reference, ==, "TARI-2024-1");
  g_assert_cmpint (row->principal, ==, 12050);
  g_assert_cmpint (row->sanctions, ==, 1000);
  g_assert_cmpint (row->interest, ==, 120);
  g_assert_cmpint (row->costs, ==, 590);
  g_assert_cmpstr (row->due_date, ==, "2024-09-30");

  /* Optional values left empty: no postcode, the default country, zero
   * amounts; a VAT number is a company's tax code. */
  row = row_at (rows, 1);
  g_assert_cmpuint (row->line, ==, 3);
  g_assert_cmpstr (row->tax_id_kind, ==, "piva");
  g_assert_null (row->postcode);
  g_assert_cmpstr (row->country, ==, "IT");
  g_assert_cmpint (row->principal, ==, 150000);
  g_assert_cmpint (row->sanctions, ==, 0);
  g_assert_cmpint (row->interest, ==, 0);
  g_assert_cmpint (row->costs, ==, 0);
}

/* Columns in another order, in upper or mixed case, with spaces around the
 * names, and a column nobody asked for. */
static void
test_header_any_order_and_case (void)
{
  g_autoptr(EsaLoadListReport) report = esa_load_list_report_new ();
  g_autoptr(EsaLoadListRows) rows = NULL;
  g_autoptr(GError) error = NULL;
  const EsaLoadListRow *row;

  rows = read_text ("DUE_DATE, Principal ,Note,Year,Reference,Revenue_Type,TOWN,Address,"
                    "Name,Tax_Id\n"
                    "2025-01-31,99.99,ignored,2022,FATT-9,water,Bellinzona,Viale Stazione 1,"
                    "Neri Luca,rssmra85t10a562s\n",
                    NULL, report, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->issues->len, ==, 0);
  g_assert_cmpuint (rows->rows->len, ==, 1);

  row = row_at (rows, 0);
  g_assert_cmpstr (row->tax_id, ==, "RSSMRA85T10A562S");
  g_assert_cmpstr (row->name, ==, "Neri Luca");
  g_assert_cmpstr (row->street, ==, "Viale Stazione 1");
  g_assert_cmpstr (row->town, ==, "Bellinzona");
  g_assert_cmpstr (row->revenue_type, ==, "water");
  g_assert_cmpint (row->year, ==, 2022);
  g_assert_cmpstr (row->reference, ==, "FATT-9");
  g_assert_cmpint (row->principal, ==, 9999);
  g_assert_cmpstr (row->due_date, ==, "2025-01-31");
}

static void
test_default_country (void)
{
  g_autoptr(EsaLoadListReader) reader = esa_load_list_reader_new (NULL);
  g_autoptr(EsaLoadListReport) report = esa_load_list_report_new ();
  g_autoptr(EsaLoadListRows) rows = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;

  stream = g_memory_input_stream_new_from_data (HEADER
                                                "756.9217.0769.85,Keller Anna,Via Lugano 4,"
                                                "6500,Bellinzona,,tax,2024,T-1,10.00,,,,"
                                                "2024-12-31\n",
                                                -1, NULL);
  esa_load_list_reader_set_default_country (reader, "ch");
  rows = esa_load_list_reader_read_stream (reader, stream, report, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->issues->len, ==, 0);
  g_assert_cmpstr (row_at (rows, 0)->country, ==, "CH");
  g_assert_cmpstr (row_at (rows, 0)->tax_id, ==, "7569217076985");
  g_assert_cmpstr (row_at (rows, 0)->tax_id_kind, ==, "ahv");
}

/* Quoted fields: separators, doubled quotes and line breaks inside them;
 * the lines of the rows after a line break still count right. */
static void
test_quoted_fields (void)
{
  g_autoptr(EsaLoadListReport) report = esa_load_list_report_new ();
  g_autoptr(EsaLoadListRows) rows = NULL;
  g_autoptr(GError) error = NULL;

  rows = read_text (HEADER
                    "RSSMRA85T10A562S,\"Rossi, Mario\",\"Via Roma, 12\",20100,Milano,IT,TARI,"
                    "2024,R-1,1.00,,,,2024-09-30\n"
                    "RSSMRA85T10A562S,\"Bar \"\"Da Mario\"\"\",\"Corso Italia 3\nscala B\","
                    "20100,Milano,IT,TARI,2024,R-2,2.00,,,,2024-09-30\n"
                    "RSSMRA85T10A562T,Rossi Mario,Via Roma 12,20100,Milano,IT,TARI,2024,R-3,"
                    "3.00,,,,2024-09-30\n",
                    NULL, report, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->rows->len, ==, 2);
  g_assert_cmpstr (row_at (rows, 0)->name, ==, "Rossi, Mario");
  g_assert_cmpstr (row_at (rows, 0)->street, ==, "Via Roma, 12");
  g_assert_cmpstr (row_at (rows, 1)->name, ==, "Bar \"Da Mario\"");
  g_assert_cmpstr (row_at (rows, 1)->street, ==, "Corso Italia 3\nscala B");
  g_assert_cmpuint (row_at (rows, 1)->line, ==, 3);
  /* The third row starts on line 5: the second spans lines 3 and 4. */
  assert_single_issue (report, 5, ESA_LOAD_LIST_REASON_TAX_ID, "RSSMRA85T10A562T");
}

/* ---- each reason, with its line ---------------------------------------- */

static void
test_reject_tax_id_check_character (void)
{
  check_rejected_row ("RSSMRA85T10A562T,Rossi Mario,Via Roma 12,20100,Milano,IT,TARI,2024,R-3,"
                      "1.00,,,,2024-09-30\n",
                      ESA_LOAD_LIST_REASON_TAX_ID, "check character");
}

static void
test_reject_tax_id_shape (void)
{
  check_rejected_row ("ABC123,Rossi Mario,Via Roma 12,20100,Milano,IT,TARI,2024,R-3,"
                      "1.00,,,,2024-09-30\n",
                      ESA_LOAD_LIST_REASON_TAX_ID, "“ABC123” is not a tax code");
}

static void
test_reject_vat_number (void)
{
  check_rejected_row ("01234567890,Bianchi Srl,Via Po 3,10100,Torino,IT,IMU,2024,R-3,"
                      "1.00,,,,2024-09-30\n",
                      ESA_LOAD_LIST_REASON_TAX_ID, "01234567890");
}

static void
test_reject_missing_amount (void)
{
  check_rejected_row ("RSSMRA85T10A562S,Rossi Mario,Via Roma 12,20100,Milano,IT,TARI,2024,R-3,"
                      ",5.00,,,2024-09-30\n",
                      ESA_LOAD_LIST_REASON_AMOUNT, "principal is missing");
}

static void
test_reject_malformed_amount (void)
{
  check_rejected_row ("RSSMRA85T10A562S,Rossi Mario,Via Roma 12,20100,Milano,IT,TARI,2024,R-3,"
                      "\"12,50\",,,,2024-09-30\n",
                      ESA_LOAD_LIST_REASON_AMOUNT, "“12,50” is not an amount");
}

static void
test_reject_three_decimals (void)
{
  check_rejected_row ("RSSMRA85T10A562S,Rossi Mario,Via Roma 12,20100,Milano,IT,TARI,2024,R-3,"
                      "12.505,,,,2024-09-30\n",
                      ESA_LOAD_LIST_REASON_AMOUNT, "“12.505”");
}

static void
test_reject_negative_amount (void)
{
  check_rejected_row ("RSSMRA85T10A562S,Rossi Mario,Via Roma 12,20100,Milano,IT,TARI,2024,R-3,"
                      "12.00,-1.00,,,2024-09-30\n",
                      ESA_LOAD_LIST_REASON_AMOUNT, "negative");
}

static void
test_reject_nothing_owed (void)
{
  check_rejected_row ("RSSMRA85T10A562S,Rossi Mario,Via Roma 12,20100,Milano,IT,TARI,2024,R-3,"
                      "0.00,0,,,2024-09-30\n",
                      ESA_LOAD_LIST_REASON_AMOUNT, "nothing is owed");
}

static void
test_reject_date (void)
{
  check_rejected_row ("RSSMRA85T10A562S,Rossi Mario,Via Roma 12,20100,Milano,IT,TARI,2024,R-3,"
                      "1.00,,,,2024-02-30\n",
                      ESA_LOAD_LIST_REASON_DATE, "2024-02-30");
}

static void
test_reject_year (void)
{
  check_rejected_row ("RSSMRA85T10A562S,Rossi Mario,Via Roma 12,20100,Milano,IT,TARI,24,R-3,"
                      "1.00,,,,2024-09-30\n",
                      ESA_LOAD_LIST_REASON_YEAR, "“24” is not a year");
}

static void
test_reject_missing_value (void)
{
  check_rejected_row ("RSSMRA85T10A562S,,Via Roma 12,20100,Milano,IT,TARI,2024,R-3,"
                      "1.00,,,,2024-09-30\n",
                      ESA_LOAD_LIST_REASON_MISSING_VALUE, "name is missing");
}

static void
test_reject_country (void)
{
  check_rejected_row ("RSSMRA85T10A562S,Rossi Mario,Via Roma 12,20100,Milano,Italia,TARI,2024,"
                      "R-3,1.00,,,,2024-09-30\n",
                      ESA_LOAD_LIST_REASON_VALUE, "Italia");
}

static void
test_reject_too_few_fields (void)
{
  check_rejected_row ("RSSMRA85T10A562S,Rossi Mario,Via Roma 12,20100,Milano,IT,TARI,2024\n",
                      ESA_LOAD_LIST_REASON_MISSING_COLUMN, "8 fields, the header 14");
}

static void
test_reject_too_many_fields (void)
{
  check_rejected_row ("RSSMRA85T10A562S,Rossi Mario,Via Roma, 12,20100,Milano,IT,TARI,2024,R-3,"
                      "1.00,,,,2024-09-30\n",
                      ESA_LOAD_LIST_REASON_MISSING_COLUMN, "15 fields, the header 14");
}

static void
test_reject_duplicate (void)
{
  /* The first row stays; the same debt again two lines later is rejected
   * naming it. */
  check_rejected_row (ROW ("R-1"), ESA_LOAD_LIST_REASON_DUPLICATE, "line 2");
}

/* Every problem of a row is reported, in the order of the columns. */
static void
test_several_reasons_one_row (void)
{
  g_autoptr(EsaLoadListReport) report = esa_load_list_report_new ();
  g_autoptr(EsaLoadListRows) rows = NULL;
  g_autoptr(GError) error = NULL;
  const EsaLoadListIssue *issue;

  rows = read_text (HEADER "XX,Rossi Mario,Via Roma 12,20100,Milano,IT,TARI,2024,R-1,abc,,,,"
                    "2024-13-01\n",
                    NULL, report, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->rows->len, ==, 0);
  g_assert_cmpuint (report->issues->len, ==, 3);
  g_assert_cmpuint (esa_load_list_report_count_rejected (report), ==, 1);
  issue = g_ptr_array_index (report->issues, 0);
  g_assert_cmpint (issue->reason, ==, ESA_LOAD_LIST_REASON_TAX_ID);
  g_assert_cmpstr (issue->field, ==, "tax_id");
  issue = g_ptr_array_index (report->issues, 1);
  g_assert_cmpint (issue->reason, ==, ESA_LOAD_LIST_REASON_AMOUNT);
  g_assert_cmpstr (issue->field, ==, "principal");
  issue = g_ptr_array_index (report->issues, 2);
  g_assert_cmpint (issue->reason, ==, ESA_LOAD_LIST_REASON_DATE);
  for (guint i = 0; i < report->issues->len; i++)
    g_assert_cmpuint (((EsaLoadListIssue *) g_ptr_array_index (report->issues, i))->line, ==, 2);
}

/* ---- whole-file problems ------------------------------------------------- */

static void
test_missing_required_column (void)
{
  g_autoptr(EsaLoadListReport) report = esa_load_list_report_new ();
  g_autoptr(EsaLoadListRows) rows = NULL;
  g_autoptr(GError) error = NULL;

  rows = read_text ("tax_id,name,address,town,revenue_type,reference,principal,due_date\n"
                    "RSSMRA85T10A562S,Rossi Mario,Via Roma 12,Milano,TARI,R-1,1.00,2024-09-30\n",
                    NULL, report, &error);
  g_assert_null (rows);
  g_assert_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "line 1:"));
  g_assert_nonnull (strstr (error->message, "“year”"));
  g_assert_null (strstr (error->message, "postcode"));
}

static void
test_duplicate_header_column (void)
{
  g_autoptr(EsaLoadListReport) report = esa_load_list_report_new ();
  g_autoptr(EsaLoadListRows) rows = NULL;
  g_autoptr(GError) error = NULL;

  rows = read_text ("tax_id," HEADER, NULL, report, &error);
  g_assert_null (rows);
  g_assert_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "columns 1 and 2"));
}

static void
test_empty_file (void)
{
  g_autoptr(EsaLoadListReport) report = esa_load_list_report_new ();
  g_autoptr(EsaLoadListRows) rows = NULL;
  g_autoptr(GError) error = NULL;

  rows = read_text ("", NULL, report, &error);
  g_assert_null (rows);
  g_assert_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_INVALID);
}

static void
test_unclosed_quote (void)
{
  g_autoptr(EsaLoadListReport) report = esa_load_list_report_new ();
  g_autoptr(EsaLoadListRows) rows = NULL;
  g_autoptr(GError) error = NULL;

  rows = read_text (HEADER ROW ("R-1")
                    "RSSMRA85T10A562S,\"Rossi Mario,Via Roma 12,20100,Milano,IT,TARI,2024,R-2,"
                    "1.00,,,,2024-09-30\n",
                    NULL, report, &error);
  g_assert_null (rows);
  g_assert_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "3"));
}

static void
test_read_file_checksum (void)
{
  g_autoptr(EsaLoadListReader) reader = esa_load_list_reader_new (NULL);
  g_autoptr(EsaLoadListReport) report = esa_load_list_report_new ();
  g_autoptr(EsaLoadListRows) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("esa-load-list-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "list.csv", NULL);
  const char *text = HEADER ROW ("R-1");
  g_autofree char *expected = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);

  g_assert_no_error (error);
  g_assert_null (esa_load_list_reader_get_sha256 (reader));
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);

  rows = esa_load_list_reader_read_file (reader, path, report, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->rows->len, ==, 1);
  g_assert_cmpstr (esa_load_list_reader_get_sha256 (reader), ==, expected);

  g_remove (path);
  g_rmdir (dir);

  g_clear_pointer (&rows, esa_load_list_rows_free);
  rows = esa_load_list_reader_read_file (reader, path, report, NULL, &error);
  g_assert_null (rows);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
}

/* ---- mappings ------------------------------------------------------------ */

static const char italian_mapping[] =
  "{ \"separator\": \";\", \"decimal_comma\": true, \"date_format\": \"DD/MM/YYYY\",\n"
  "  \"columns\": { \"tax_id\": \"Codice fiscale\", \"name\": \"Denominazione\",\n"
  "               \"address\": \"Indirizzo\", \"town\": \"Comune\", \"principal\": \"Imposta\",\n"
  "               \"sanctions\": \"Sanzioni\", \"reference\": \"Avviso\",\n"
  "               \"due_date\": \"Scadenza\" },\n"
  "  \"defaults\": { \"revenue_type\": \"TARI\", \"year\": 2024 },\n"
  "  \"resource\": \"E.1.01.01.51.001\", \"budget_chapter\": \"1051\" }\n";

static void
test_mapping_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("esa-load-list-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "mapping.json", NULL);
  g_autoptr(EsaLoadListMapping) mapping = NULL;
  g_autoptr(EsaLoadListReport) report = esa_load_list_report_new ();
  g_autoptr(EsaLoadListRows) rows = NULL;
  const EsaLoadListRow *row;

  g_assert_no_error (error);
  g_file_set_contents (path, italian_mapping, -1, &error);
  g_assert_no_error (error);
  mapping = esa_load_list_mapping_new_from_file (path, &error);
  g_assert_no_error (error);
  g_remove (path);
  g_rmdir (dir);

  g_assert_cmpint (esa_load_list_mapping_get_separator (mapping), ==, ';');
  g_assert_true (esa_load_list_mapping_get_decimal_comma (mapping));
  g_assert_cmpint (esa_load_list_mapping_get_date_format (mapping), ==,
                   ESA_LOAD_LIST_DATE_DAY_SLASH);
  g_assert_cmpstr (esa_load_list_mapping_get_column (mapping, ESA_LOAD_LIST_FIELD_TAX_ID), ==,
                   "Codice fiscale");
  /* Columns the mapping leaves out keep their names. */
  g_assert_cmpstr (esa_load_list_mapping_get_column (mapping, ESA_LOAD_LIST_FIELD_COSTS), ==,
                   "costs");
  g_assert_cmpstr (esa_load_list_mapping_get_default (mapping, ESA_LOAD_LIST_FIELD_YEAR), ==,
                   "2024");
  g_assert_cmpstr (esa_load_list_mapping_get_resource (mapping), ==, "E.1.01.01.51.001");
  g_assert_cmpstr (esa_load_list_mapping_get_budget_chapter (mapping), ==, "1051");

  rows = read_text ("Avviso;Codice fiscale;DENOMINAZIONE;Indirizzo;Comune;Imposta;Sanzioni;"
                    "Scadenza\n"
                    "A-1;RSSMRA85T10A562S;Rossi Mario;Via Roma, 12;Milano;1.234,50;12,5;"
                    "31/03/2025\n"
                    "A-2;RSSMRA85T10A562S;Rossi Mario;Via Roma, 12;Milano;1 000,00;;"
                    "1/4/2025\n"
                    "A-3;RSSMRA85T10A562S;Rossi Mario;Via Roma, 12;Milano;10.00;;"
                    "31/02/2025\n",
                    mapping, report, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->rows->len, ==, 2);

  row = row_at (rows, 0);
  g_assert_cmpstr (row->reference, ==, "A-1");
  g_assert_cmpstr (row->street, ==, "Via Roma, 12");
  g_assert_cmpstr (row->revenue_type, ==, "TARI");
  g_assert_cmpint (row->year, ==, 2024);
  g_assert_cmpint (row->principal, ==, 123450);
  g_assert_cmpint (row->sanctions, ==, 1250);
  g_assert_cmpstr (row->due_date, ==, "2025-03-31");
  row = row_at (rows, 1);
  g_assert_cmpint (row->principal, ==, 100000);
  g_assert_cmpstr (row->due_date, ==, "2025-04-01");

  /* "10.00" with a decimal comma is ten hundred: the amount passes, the
   * date does not exist. */
  assert_single_issue (report, 4, ESA_LOAD_LIST_REASON_DATE, "DD/MM/YYYY");
}

static void
test_mapping_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaLoadListMapping) mapping = esa_load_list_mapping_new_from_data (italian_mapping,
                                                                              &error);
  g_autoptr(EsaLoadListMapping) again = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;

  g_assert_no_error (error);
  text = esa_load_list_mapping_to_data (mapping);
  again = esa_load_list_mapping_new_from_data (text, &error);
  g_assert_no_error (error);
  text_again = esa_load_list_mapping_to_data (again);
  g_assert_cmpstr (text, ==, text_again);
  g_assert_cmpstr (esa_load_list_mapping_get_column (again, ESA_LOAD_LIST_FIELD_NAME), ==,
                   "Denominazione");
  g_assert_true (esa_load_list_mapping_get_decimal_comma (again));
}

static void
check_bad_mapping (const char *json,
                   gint        code,
                   const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaLoadListMapping) mapping = esa_load_list_mapping_new_from_data (json, &error);

  g_assert_null (mapping);
  g_assert_error (error, ESA_EXCHANGE_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, fragment));
}

static void
test_mapping_errors (void)
{
  check_bad_mapping ("{ \"columns\": { \"tax_idd\": \"CF\" } }", ESA_EXCHANGE_ERROR_INVALID,
                     "columns.tax_idd: no such column");
  check_bad_mapping ("{ \"separatr\": \";\" }", ESA_EXCHANGE_ERROR_INVALID, "separatr");
  check_bad_mapping ("{ \"separator\": \"|\" }", ESA_EXCHANGE_ERROR_INVALID, "“|”");
  check_bad_mapping ("{ \"date_format\": \"MM/DD/YYYY\" }", ESA_EXCHANGE_ERROR_INVALID,
                     "MM/DD/YYYY");
  check_bad_mapping ("{ \"decimal_comma\": \"yes\" }", ESA_EXCHANGE_ERROR_INVALID,
                     "decimal_comma");
  check_bad_mapping ("{ \"columns\": { \"name\": \"tax_id\" } }", ESA_EXCHANGE_ERROR_INVALID,
                     "both read the column");
  check_bad_mapping ("{ \"columns\": ", ESA_EXCHANGE_ERROR_PARSE, "not JSON");
  check_bad_mapping ("[1, 2]", ESA_EXCHANGE_ERROR_INVALID, "JSON object");
}

/* A mapping's default stands in for a required column the file lacks. */
static void
test_mapping_default_for_missing_column (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaLoadListMapping) mapping = NULL;
  g_autoptr(EsaLoadListReport) report = esa_load_list_report_new ();
  g_autoptr(EsaLoadListRows) rows = NULL;

  mapping = esa_load_list_mapping_new_from_data ("{ \"separator\": \"auto\", \"defaults\": "
                                                 "{ \"revenue_type\": \"fine\", "
                                                 "\"year\": \"2023\" } }",
                                                 &error);
  g_assert_no_error (error);
  rows = read_text ("tax_id;name;address;town;reference;principal;due_date\n"
                    "RSSMRA85T10A562S;Rossi Mario;Via Roma 12;Milano;V-1;41,00;2024-01-15\n",
                    mapping, report, &error);
  g_assert_no_error (error);
  /* "41,00" with a decimal point is no amount. */
  assert_single_issue (report, 2, ESA_LOAD_LIST_REASON_AMOUNT, "“41,00”");
  g_assert_cmpuint (rows->rows->len, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/load-list/default-columns", test_default_columns);
  g_test_add_func ("/load-list/header-any-order-and-case", test_header_any_order_and_case);
  g_test_add_func ("/load-list/default-country", test_default_country);
  g_test_add_func ("/load-list/quoted-fields", test_quoted_fields);
  g_test_add_func ("/load-list/reject/tax-id-check-character", test_reject_tax_id_check_character);
  g_test_add_func ("/load-list/reject/tax-id-shape", test_reject_tax_id_shape);
  g_test_add_func ("/load-list/reject/vat-number", test_reject_vat_number);
  g_test_add_func ("/load-list/reject/missing-amount", test_reject_missing_amount);
  g_test_add_func ("/load-list/reject/malformed-amount", test_reject_malformed_amount);
  g_test_add_func ("/load-list/reject/three-decimals", test_reject_three_decimals);
  g_test_add_func ("/load-list/reject/negative-amount", test_reject_negative_amount);
  g_test_add_func ("/load-list/reject/nothing-owed", test_reject_nothing_owed);
  g_test_add_func ("/load-list/reject/date", test_reject_date);
  g_test_add_func ("/load-list/reject/year", test_reject_year);
  g_test_add_func ("/load-list/reject/missing-value", test_reject_missing_value);
  g_test_add_func ("/load-list/reject/country", test_reject_country);
  g_test_add_func ("/load-list/reject/too-few-fields", test_reject_too_few_fields);
  g_test_add_func ("/load-list/reject/too-many-fields", test_reject_too_many_fields);
  g_test_add_func ("/load-list/reject/duplicate", test_reject_duplicate);
  g_test_add_func ("/load-list/reject/several-reasons", test_several_reasons_one_row);
  g_test_add_func ("/load-list/file/missing-required-column", test_missing_required_column);
  g_test_add_func ("/load-list/file/duplicate-header-column", test_duplicate_header_column);
  g_test_add_func ("/load-list/file/empty", test_empty_file);
  g_test_add_func ("/load-list/file/unclosed-quote", test_unclosed_quote);
  g_test_add_func ("/load-list/file/checksum", test_read_file_checksum);
  g_test_add_func ("/load-list/mapping/file", test_mapping_file);
  g_test_add_func ("/load-list/mapping/round-trip", test_mapping_round_trip);
  g_test_add_func ("/load-list/mapping/errors", test_mapping_errors);
  g_test_add_func ("/load-list/mapping/default-for-missing-column",
                   test_mapping_default_for_missing_column);

  return g_test_run ();
}
