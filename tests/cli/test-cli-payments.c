/* Tests of esattore-cli payments: the built binary is run as a script would
 * run it on a demo database, with flows written here from the public
 * schemas (validated with xmllint against the official XSDs of the shared
 * standards folder, <source root>/../shared/standards), and what it did is
 * checked with dossier --json and with SQLite. */

#include <string.h>

#include <glib.h>

#include "esa-cli-test.h"

#define DEMO_DEBTORS 200

static char *tmpdir;
static char *standards_dir;

static char *
write_file (const char *name,
            const char *text)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (tmpdir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
  return path;
}

static void
assert_schema_valid (const char *xsd,
                     const char *path)
{
  g_autofree char *schema = g_build_filename (standards_dir, xsd, NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "xmllint", "--noout", "--schema", schema, path, NULL };
  int status = 0;

  g_assert_true (g_file_test (schema, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                               &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s does not validate against %s:\n%s", path, xsd, err);
}

/* The 17-digit IUV of an aux-digit-3 notice number. */
static char *
iuv_of (const char *notice)
{
  g_assert_cmpuint (strlen (notice), ==, 18);
  g_assert_cmpint (notice[0], ==, '3');
  return g_strdup (notice + 1);
}

/* A pagoPA flow in the element order of FlussoRiversamento_1_0_4.xsd. Each
 * payment is "IUV;IUR;amount;outcome". */
static char *
pagopa_flow (const char         *id,
             const char         *body_tax_code,
             const char         *total,
             const char * const *payments)
{
  GString *xml = g_string_new (NULL);
  guint n = g_strv_length ((char **) payments);

  g_string_append_printf (xml,
                          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                          "<FlussoRiversamento "
                          "xmlns=\"http://www.digitpa.gov.it/schemas/2011/Pagamenti/\">\n"
                          "<versioneOggetto>1.0</versioneOggetto>\n"
                          "<identificativoFlusso>%s</identificativoFlusso>\n"
                          "<dataOraFlusso>2026-11-20T07:00:00</dataOraFlusso>\n"
                          "<identificativoUnivocoRegolamento>SCT-%s"
                          "</identificativoUnivocoRegolamento>\n"
                          "<dataRegolamento>2026-11-20</dataRegolamento>\n"
                          "<istitutoMittente><identificativoUnivocoMittente>"
                          "<tipoIdentificativoUnivoco>B</tipoIdentificativoUnivoco>"
                          "<codiceIdentificativoUnivoco>BCITITMM</codiceIdentificativoUnivoco>"
                          "</identificativoUnivocoMittente></istitutoMittente>\n"
                          "<istitutoRicevente><identificativoUnivocoRicevente>"
                          "<tipoIdentificativoUnivoco>G</tipoIdentificativoUnivoco>"
                          "<codiceIdentificativoUnivoco>%s</codiceIdentificativoUnivoco>"
                          "</identificativoUnivocoRicevente></istitutoRicevente>\n"
                          "<numeroTotalePagamenti>%u</numeroTotalePagamenti>\n"
                          "<importoTotalePagamenti>%s</importoTotalePagamenti>\n",
                          id, id, body_tax_code, n, total);
  for (guint i = 0; i < n; i++)
    {
      g_auto(GStrv) parts = g_strsplit (payments[i], ";", 4);

      g_string_append_printf (xml,
                              "<datiSingoliPagamenti>"
                              "<identificativoUnivocoVersamento>%s"
                              "</identificativoUnivocoVersamento>"
                              "<identificativoUnivocoRiscossione>%s"
                              "</identificativoUnivocoRiscossione>"
                              "<singoloImportoPagato>%s</singoloImportoPagato>"
                              "<codiceEsitoSingoloPagamento>%s</codiceEsitoSingoloPagamento>"
                              "<dataEsitoSingoloPagamento>2026-11-19</dataEsitoSingoloPagamento>"
                              "</datiSingoliPagamenti>\n",
                              parts[0], parts[1], parts[2], parts[3]);
    }
  g_string_append (xml, "</FlussoRiversamento>\n");
  return g_string_free (xml, FALSE);
}

static char *
decimal (gint64 minor)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT ".%02d", minor / 100, (int) (minor % 100));
}

/* An open Italian position that is the only one of an open case, and
 * another open one: notice, balance, position, case, debtor, body tax code. */
#define ONE_POSITION_CASE \
  "SELECT p.payment_reference, p.principal + p.sanctions + p.interest + p.costs - p.paid, " \
  "  p.id, c.id, p.debtor_id, b.tax_code, b.id " \
  "FROM positions p JOIN bodies b ON b.id = p.body_id " \
  "  JOIN case_positions cp ON cp.position_id = p.id JOIN cases c ON c.id = cp.case_id " \
  "WHERE b.country = 'IT' AND p.state = 'open' AND p.paid = 0 AND c.closed_on IS NULL " \
  "  AND (SELECT count(*) FROM case_positions x WHERE x.case_id = c.id) = 1 " \
  "ORDER BY p.id "

static JsonObject *
find_member_with_id (JsonArray  *array,
                     const char *id)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member (object, "id"), id) == 0)
        return object;
    }
  g_error ("no member with id %s", id);
  return NULL;
}

/* ---- tests ---------------------------------------------------------------- */

/* The Must-show: a flow paying a position's reference in full leaves its
 * balance at zero in dossier --json and the case closed as paid, as the
 * procedure's close_paid action does. The same file again changes nothing. */
static void
test_import_closes_case (void)
{
  g_autofree char *db = esa_cli_test_demo_database (tmpdir, "closes.db", DEMO_DEBTORS);
  g_auto(GStrv) paid = esa_cli_test_sql_row (db, ONE_POSITION_CASE "LIMIT 1");
  g_auto(GStrv) other = esa_cli_test_sql_row (db, ONE_POSITION_CASE "LIMIT 1 OFFSET 1");
  g_autofree char *iuv = iuv_of (paid[0]);
  g_autofree char *other_iuv = iuv_of (other[0]);
  gint64 balance = g_ascii_strtoll (paid[1], NULL, 10);
  g_autofree char *amount = decimal (balance);
  g_autofree char *total = decimal (balance + 1000);
  g_autofree char *payment = g_strdup_printf ("%s;IUR-1;%s;0", iuv, amount);
  g_autofree char *revoked = g_strdup_printf ("%s;IUR-2;10.00;3", other_iuv);
  const char *payments[] = { payment, revoked, NULL };
  g_autofree char *xml = pagopa_flow ("2026-11-20BCITITMM-0001", paid[5], total, payments);
  g_autofree char *flow = write_file ("closes.xml", xml);
  g_autoptr(EsaCliResult) result = NULL;
  g_autoptr(EsaCliResult) again = NULL;
  g_autoptr(EsaCliResult) dossier = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) dossier_root = NULL;
  g_autoptr(JsonNode) again_root = NULL;
  JsonObject *object;
  JsonObject *position;
  JsonObject *case_;
  JsonArray *lines;
  gint64 outbox;

  assert_schema_valid ("pagopa/FlussoRiversamento_1_0_4.xsd", flow);

  result = esa_cli_test_run ("--db", db, "payments", "import", flow, "--json", NULL);
  g_assert_cmpint (result->status, ==, 0);
  root = esa_cli_test_parse_json (result->out);
  object = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "imported");
  g_assert_cmpstr (json_object_get_string_member (object, "format"), ==, "pagopa");
  g_assert_cmpstr (json_object_get_string_member (object, "body"), ==, paid[6]);
  g_assert_cmpint (json_object_get_int_member (object, "matched"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (object, "revoked"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (object, "unmatched"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (object, "cases_closed"), ==, 1);
  lines = json_object_get_array_member (object, "payments");
  g_assert_cmpuint (json_array_get_length (lines), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (lines, 0),
                                                  "outcome"), ==, "paid");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (lines, 0),
                                                  "position_id"), ==, paid[2]);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (lines, 1),
                                                  "outcome"), ==, "revoked");

  /* What an officer sees. */
  dossier = esa_cli_test_run ("--db", db, "dossier", paid[4], "--json", NULL);
  g_assert_cmpint (dossier->status, ==, 0);
  dossier_root = esa_cli_test_parse_json (dossier->out);
  position = find_member_with_id (json_object_get_array_member (json_node_get_object (dossier_root),
                                                                "positions"), paid[2]);
  g_assert_cmpint (json_object_get_int_member (position, "balance"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (position, "paid"), ==, balance);
  g_assert_cmpstr (json_object_get_string_member (position, "state"), ==, "paid");
  case_ = find_member_with_id (json_object_get_array_member (json_node_get_object (dossier_root),
                                                             "cases"), paid[3]);
  g_assert_cmpstr (json_object_get_string_member (case_, "state"), ==, "paid");
  g_assert_cmpint (esa_cli_test_sql_int (db, "SELECT count(*) FROM cases WHERE id = ? "
                                         "AND closed_on IS NOT NULL", paid[3]), ==, 1);
  g_assert_cmpint (esa_cli_test_sql_int (db, "SELECT count(*) FROM case_events WHERE case_id = ? "
                                         "AND action = 'close_paid'", paid[3]), ==, 1);
  /* The revoked payment changed nothing of its position. */
  g_assert_cmpint (esa_cli_test_sql_int (db, "SELECT paid FROM positions WHERE id = ?", other[2]),
                   ==, 0);

  /* The same file again: nothing changes. */
  outbox = esa_cli_test_sql_int (db, "SELECT count(*) FROM outbox", NULL);
  again = esa_cli_test_run ("--db", db, "payments", "import", flow, "--json", NULL);
  g_assert_cmpint (again->status, ==, 0);
  again_root = esa_cli_test_parse_json (again->out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (again_root), "status"),
                   ==, "duplicate");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (again_root), "duplicates"),
                   ==, 2);
  g_assert_cmpint (esa_cli_test_sql_int (db, "SELECT count(*) FROM outbox", NULL), ==, outbox);
  g_assert_cmpint (esa_cli_test_sql_int (db,
                                         "SELECT count(*) FROM payments WHERE flow_id IS NOT NULL",
                                         NULL), ==, 2);

  {
    g_autoptr(EsaCliResult) verify = esa_cli_test_run ("--db", db, "audit", "verify", NULL);

    g_assert_cmpint (verify->status, ==, 0);
  }
}

/* A flow whose total does not add up is rejected with the reason, and
 * nothing of it is imported. */
static void
test_totals_mismatch_rejected (void)
{
  g_autofree char *db = esa_cli_test_demo_database (tmpdir, "mismatch.db", DEMO_DEBTORS);
  g_auto(GStrv) row = esa_cli_test_sql_row (db, ONE_POSITION_CASE "LIMIT 1");
  g_autofree char *iuv = iuv_of (row[0]);
  g_autofree char *payment = g_strdup_printf ("%s;IUR-1;10.00;0", iuv);
  const char *payments[] = { payment, NULL };
  g_autofree char *xml = pagopa_flow ("2026-11-20BCITITMM-0002", row[5], "10.01", payments);
  g_autofree char *flow = write_file ("mismatch.xml", xml);
  g_autoptr(EsaCliResult) result = NULL;
  g_autoptr(EsaCliResult) json = NULL;
  g_autoptr(JsonNode) root = NULL;
  gint64 payments_before = esa_cli_test_sql_int (db, "SELECT count(*) FROM payments", NULL);
  gint64 audit_before = esa_cli_test_sql_int (db, "SELECT count(*) FROM audit", NULL);

  assert_schema_valid ("pagopa/FlussoRiversamento_1_0_4.xsd", flow);

  result = esa_cli_test_run ("--db", db, "payments", "import", flow, NULL);
  g_assert_cmpint (result->status, ==, 1);
  g_assert_nonnull (strstr (result->err, "rejected"));
  g_assert_nonnull (strstr (result->err, "importoTotalePagamenti"));
  g_assert_nonnull (strstr (result->err, "line 11"));

  json = esa_cli_test_run ("--db", db, "payments", "import", flow, "--format", "pagopa", "--json",
                           NULL);
  g_assert_cmpint (json->status, ==, 1);
  root = esa_cli_test_parse_json (json->out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "status"), ==,
                   "rejected");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "rejected"), ==, 1);

  g_assert_cmpint (esa_cli_test_sql_int (db, "SELECT count(*) FROM payments", NULL), ==,
                   payments_before);
  g_assert_cmpint (esa_cli_test_sql_int (db, "SELECT count(*) FROM audit", NULL), ==, audit_before);
  g_assert_cmpint (esa_cli_test_sql_int (db, "SELECT count(*) FROM payment_flows", NULL), ==, 0);
}

/* The real camt.054 sample: its two QR payments match no demo position and
 * wait in the queue; one is parked, the other assigned by an officer. */
static void
test_unmatched_park_assign (void)
{
  g_autofree char *db = esa_cli_test_demo_database (tmpdir, "queue.db", DEMO_DEBTORS);
  g_autofree char *sample = g_build_filename (standards_dir, "iso20022", "samples",
                                              "200519_camt.054_P_CH2909000000250094239_"
                                              "1111091335_0_2020061900081727_v2019.xml", NULL);
  g_auto(GStrv) swiss = esa_cli_test_sql_row (db, "SELECT p.id, p.principal + p.sanctions "
                                                  "  + p.interest + p.costs - p.paid "
                                                  "FROM positions p "
                                                  "  JOIN bodies b ON b.id = p.body_id "
                                                  "WHERE b.country = 'CH' AND p.state = 'open' "
                                                  "  AND p.principal + p.sanctions + p.interest "
                                                  "    + p.costs - p.paid > 100000 "
                                                  "ORDER BY p.id LIMIT 1");
  g_autoptr(EsaCliResult) import = NULL;
  g_autoptr(EsaCliResult) queue = NULL;
  g_autoptr(EsaCliResult) italian = NULL;
  g_autoptr(EsaCliResult) park = NULL;
  g_autoptr(EsaCliResult) park_again = NULL;
  g_autoptr(EsaCliResult) assign = NULL;
  g_autoptr(EsaCliResult) after = NULL;
  g_autoptr(EsaCliResult) parked = NULL;
  g_autoptr(JsonNode) import_root = NULL;
  g_autoptr(JsonNode) queue_root = NULL;
  g_autoptr(JsonNode) italian_root = NULL;
  g_autofree char *note_sql = NULL;
  g_auto(GStrv) stored_note = NULL;
  g_autoptr(JsonNode) assign_root = NULL;
  g_autoptr(JsonNode) after_root = NULL;
  g_autoptr(JsonNode) parked_root = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  JsonArray *payments;
  JsonObject *line;

  g_assert_true (g_file_test (sample, G_FILE_TEST_IS_REGULAR));
  import = esa_cli_test_run ("--db", db, "payments", "import", sample, "--json", NULL);
  g_assert_cmpint (import->status, ==, 0);
  import_root = esa_cli_test_parse_json (import->out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (import_root), "format"),
                   ==, "camt054");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (import_root), "unmatched"),
                   ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (import_root), "total"),
                   ==, "1692.22");

  queue = esa_cli_test_run ("--db", db, "payments", "unmatched", "--json", NULL);
  g_assert_cmpint (queue->status, ==, 0);
  queue_root = esa_cli_test_parse_json (queue->out);
  payments = json_node_get_array (queue_root);
  g_assert_cmpuint (json_array_get_length (payments), ==, 2);
  line = json_array_get_object_element (payments, 0);
  g_assert_cmpstr (json_object_get_string_member (line, "amount"), ==, "778.29");
  g_assert_cmpstr (json_object_get_string_member (line, "reference_kind"), ==, "qrr");
  g_assert_cmpstr (json_object_get_string_member (line, "reference"), ==,
                   "539115429773825311971477453");
  g_assert_cmpstr (json_object_get_string_member (line, "debtor_name"), ==, "Bernasconi Maria");
  g_assert_true (json_object_has_member (line, "candidates"));
  g_assert_cmpstr (json_object_get_string_member (line, "note"), ==,
                   "no position has the QR reference 539115429773825311971477453");
  first = g_strdup (json_object_get_string_member (line, "id"));

  /* The reason is stored as a code with its values, so that an officer
   * reading it in another language, here or on another replica, reads it
   * in that language. */
  note_sql = g_strdup_printf ("SELECT note FROM payments WHERE id = '%s'", first);
  stored_note = esa_cli_test_sql_row (db, note_sql);
  g_assert_true (g_str_has_prefix (stored_note[0], "{\"reason\":\"no-position\""));
  italian = esa_cli_test_run_in ("it", "--db", db, "payments", "unmatched", "--json", NULL);
  g_assert_cmpint (italian->status, ==, 0);
  italian_root = esa_cli_test_parse_json (italian->out);
  g_assert_cmpstr (json_object_get_string_member
                     (json_array_get_object_element (json_node_get_array (italian_root), 0),
                      "note"), ==,
                   "nessuna partita ha il riferimento QR 539115429773825311971477453");
  second = g_strdup (json_object_get_string_member (json_array_get_object_element (payments, 1),
                                                    "id"));

  park = esa_cli_test_run ("--db", db, "payments", "park", first, NULL);
  g_assert_cmpint (park->status, ==, 1);
  park_again = esa_cli_test_run ("--db", db, "payments", "park", first, "--note",
                                 "asked PostFinance", NULL);
  g_assert_cmpint (park_again->status, ==, 0);

  assign = esa_cli_test_run ("--db", db, "payments", "assign", second, swiss[0], "--json", NULL);
  g_assert_cmpint (assign->status, ==, 0);
  assign_root = esa_cli_test_parse_json (assign->out);
  line = json_array_get_object_element (json_object_get_array_member
                                          (json_node_get_object (assign_root), "payments"), 0);
  g_assert_cmpstr (json_object_get_string_member (line, "outcome"), ==, "partial");
  g_assert_cmpstr (json_object_get_string_member (line, "position_id"), ==, swiss[0]);
  g_assert_cmpint (esa_cli_test_sql_int (db, "SELECT paid FROM positions WHERE id = ?", swiss[0]),
                   ==, 91393);

  after = esa_cli_test_run ("--db", db, "payments", "unmatched", "--json", NULL);
  after_root = esa_cli_test_parse_json (after->out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (after_root)), ==, 0);
  parked = esa_cli_test_run ("--db", db, "payments", "unmatched", "--parked", "--json", NULL);
  parked_root = esa_cli_test_parse_json (parked->out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (parked_root)), ==, 1);
  g_assert_cmpstr (json_object_get_string_member
                     (json_array_get_object_element (json_node_get_array (parked_root), 0),
                      "note"), ==, "asked PostFinance");
}

/* A bank's CSV export read with a saved column mapping; a position paid
 * twice makes a double payment on the refund list. */
static void
test_csv_and_refunds (void)
{
  g_autofree char *db = esa_cli_test_demo_database (tmpdir, "csv.db", DEMO_DEBTORS);
  g_auto(GStrv) row = esa_cli_test_sql_row (db, ONE_POSITION_CASE "LIMIT 1");
  gint64 balance = g_ascii_strtoll (row[1], NULL, 10);
  g_autofree char *amount = g_strdup_printf ("%" G_GINT64_FORMAT ",%02d", balance / 100,
                                             (int) (balance % 100));
  g_autofree char *csv1_text = g_strdup_printf ("Data;Importo;Avviso;Versante\n"
                                                "19/11/2026;%s;%s;Pagatore Uno\n",
                                                amount, row[0]);
  g_autofree char *csv2_text = g_strdup_printf ("Data;Importo;Avviso;Versante\n"
                                                "20/11/2026;%s;%s;Pagatore Uno\n",
                                                amount, row[0]);
  g_autofree char *mapping = write_file ("mapping.json",
                                         "{ \"separator\": \";\", \"decimal_comma\": true, "
                                         "\"date_format\": \"DD/MM/YYYY\", \"currency\": "
                                         "\"EUR\", \"columns\": { \"paid_on\": \"Data\", "
                                         "\"amount\": \"Importo\", \"reference\": \"Avviso\", "
                                         "\"debtor_name\": \"Versante\" } }");
  g_autofree char *csv1 = write_file ("bank-1.csv", csv1_text);
  g_autofree char *csv2 = write_file ("bank-2.csv", csv2_text);
  g_autofree char *refunds_path = g_build_filename (tmpdir, "refunds.csv", NULL);
  g_autofree char *refunds_text = NULL;
  g_autoptr(EsaCliResult) no_mapping = NULL;
  g_autoptr(EsaCliResult) first = NULL;
  g_autoptr(EsaCliResult) second = NULL;
  g_autoptr(EsaCliResult) refunds = NULL;
  g_autoptr(EsaCliResult) refunds_json = NULL;
  g_autoptr(JsonNode) second_root = NULL;
  g_autoptr(JsonNode) refunds_root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *refund;

  no_mapping = esa_cli_test_run ("--db", db, "payments", "import", csv1, NULL);
  g_assert_cmpint (no_mapping->status, ==, 1);
  g_assert_nonnull (strstr (no_mapping->err, "mapping"));

  /* --mapping with --body saves the mapping for the body. */
  first = esa_cli_test_run ("--db", db, "payments", "import", csv1, "--mapping", mapping, "--body",
                            row[6], NULL);
  g_assert_cmpint (first->status, ==, 0);
  g_assert_nonnull (strstr (first->out, "matched: 1"));
  g_assert_cmpint (esa_cli_test_sql_int (db, "SELECT count(*) FROM payment_csv_mappings "
                                             "WHERE body_id = ?", row[6]), ==, 1);

  second = esa_cli_test_run ("--db", db, "payments", "import", csv2, "--format", "csv", "--body",
                             row[6], "--json", NULL);
  g_assert_cmpint (second->status, ==, 0);
  second_root = esa_cli_test_parse_json (second->out);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (second_root), "refunds"),
                   ==, 1);
  g_assert_cmpstr (json_object_get_string_member
                     (json_array_get_object_element
                        (json_object_get_array_member (json_node_get_object (second_root),
                                                       "payments"), 0), "outcome"), ==,
                   "double");

  refunds = esa_cli_test_run ("--db", db, "payments", "refunds", "--csv", refunds_path, NULL);
  g_assert_cmpint (refunds->status, ==, 0);
  g_assert_true (g_file_get_contents (refunds_path, &refunds_text, NULL, &error));
  g_assert_true (g_str_has_prefix (refunds_text, "payment,reason,paid_on,amount,refund,"));
  g_assert_nonnull (strstr (refunds_text, ",double,2026-11-20,"));

  refunds_json = esa_cli_test_run ("--db", db, "payments", "refunds", "--json", NULL);
  g_assert_cmpint (refunds_json->status, ==, 0);
  refunds_root = esa_cli_test_parse_json (refunds_json->out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (refunds_root)), ==, 1);
  refund = json_array_get_object_element (json_node_get_array (refunds_root), 0);
  g_assert_cmpstr (json_object_get_string_member (refund, "reason"), ==, "double");
  g_assert_cmpstr (json_object_get_string_member (refund, "position_id"), ==, row[2]);
}

static void
test_usage (void)
{
  g_autoptr(EsaCliResult) help = esa_cli_test_run ("payments", "--help", NULL);
  g_autoptr(EsaCliResult) unknown = esa_cli_test_run ("--db", "x.db", "payments", "pay", NULL);
  g_autoptr(EsaCliResult) both = esa_cli_test_run ("--db", "x.db", "payments", "assign", "p", "q",
                                                   "--debtor", "d", NULL);

  g_assert_cmpint (help->status, ==, 0);
  g_assert_nonnull (strstr (help->out, "unmatched"));
  g_assert_nonnull (strstr (help->out, "refunds"));
  g_assert_cmpint (unknown->status, ==, 1);
  g_assert_nonnull (strstr (unknown->err, "unknown subcommand"));
  g_assert_cmpint (both->status, ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *shared = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  /* G_TEST_SRCDIR is tests/cli of the source tree: the shared folder sits
   * beside the source root. */
  shared = g_build_filename (g_test_get_dir (G_TEST_DIST), "..", "..", "..", "shared",
                             "standards", NULL);
  standards_dir = g_canonicalize_filename (shared, NULL);
  if (!g_file_test (standards_dir, G_FILE_TEST_IS_DIR))
    {
      g_printerr ("The official schemas and samples are missing: %s is not a folder. The shared "
                  "folder must sit beside the source tree (<source root>/../shared).\n",
                  standards_dir);
      g_print ("Bail out! %s is missing\n", standards_dir);
      return 1;
    }

  tmpdir = esa_cli_test_make_dir ("esattore-cli-payments-XXXXXX");

  g_test_add_func ("/cli/payments/import-closes-case", test_import_closes_case);
  g_test_add_func ("/cli/payments/totals-mismatch-rejected", test_totals_mismatch_rejected);
  g_test_add_func ("/cli/payments/unmatched-park-assign", test_unmatched_park_assign);
  g_test_add_func ("/cli/payments/csv-and-refunds", test_csv_and_refunds);
  g_test_add_func ("/cli/payments/usage", test_usage);

  status = g_test_run ();

  esa_cli_test_remove_dir (tmpdir);
  g_free (tmpdir);
  g_free (standards_dir);
  return status;
}
