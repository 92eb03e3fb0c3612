/* test-load-list-store.c: load lists imported all or nothing, checked
 * against the database, approved by a second person
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>

#include "esa-identifiers.h"
#include "esa-load-list-reader.h"
#include "esa-store-load-lists.h"
#include "esa-store-private.h"

#define HEADER "tax_id,name,address,postcode,town,country,revenue_type,year,reference," \
               "principal,sanctions,interest,costs,due_date\n"

/* Every table with rows of its own, and the search index. */
static const char * const counted_tables[] = {
  "bodies", "offices", "office_bodies", "users", "debtors", "addresses", "debtor_contacts",
  "relations", "load_lists", "positions", "cases", "case_positions", "acts", "notifications",
  "payments", "instalment_plans", "instalments", "documents", "contact_log", "audit", "outbox",
  "debtor_search", "load_list_rejections", "load_list_mappings",
};

#define N_COUNTED G_N_ELEMENTS (counted_tables)

/* Tax codes of the debtors the fixture records. */
#define CF_DECEASED   "RSSMRA85T10A562S"
#define PIVA_CEASED   "01234567897"
#define CF_KNOWN      "BSCMTT83A12L719R"

typedef struct
{
  EsaStore *store;
  char     *body_it;
  char     *body_ch;
  char     *office;           /* serves both bodies */
  char     *other_office;     /* serves neither */
  char     *officer;
  char     *responsible;
  char     *second_responsible;
  char     *foreign_responsible; /* of the other office */
  char     *auditor;
  char     *deceased;         /* died 2024-03-02 */
  char     *ceased;           /* a company that ceased trading, without partners */
  char     *ceased_with_partner;
  char     *ceased_partner_tax_id;
  char     *known;            /* alive, with position OLD-1 (TARI 2023) for the Italian body */
} Fixture;

/* ---- helpers -------------------------------------------------------- */

static gint64
sql_int (EsaStore   *store,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (_esa_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static void
sql_exec (EsaStore   *store,
          const char *sql)
{
  g_assert_cmpint (sqlite3_exec (_esa_store_get_db (store), sql, NULL, NULL, NULL), ==,
                   SQLITE_OK);
}

static void
snapshot (EsaStore *store,
          gint64    counts[N_COUNTED])
{
  for (guint i = 0; i < N_COUNTED; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", counted_tables[i]);

      counts[i] = sql_int (store, sql);
    }
}

static void
assert_unchanged (EsaStore     *store,
                  const gint64  before[N_COUNTED])
{
  gint64 after[N_COUNTED];

  snapshot (store, after);
  for (guint i = 0; i < N_COUNTED; i++)
    {
      if (before[i] != after[i])
        g_error ("table %s went from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT " rows",
                 counted_tables[i], before[i], after[i]);
    }
}

static char *
add_user (EsaStore   *store,
          const char *name,
          const char *login,
          EsaRole     role,
          const char *office)
{
  g_autoptr(GError) error = NULL;
  EsaUser user = { NULL, (char *) name, (char *) login, role, (char *) office, NULL };
  char *id = esa_store_add_user (store, &user, &error);

  g_assert_no_error (error);
  return id;
}

static char *
add_debtor (EsaStore      *store,
            EsaDebtorKind  kind,
            const char    *name,
            const char    *tax_id,
            const char    *tax_id_kind,
            const char    *deceased_on,
            const char    *ceased_on,
            const char    *partner_id,
            const char    *office)
{
  g_autoptr(GError) error = NULL;
  EsaDebtor debtor = { NULL, };
  g_autoptr(GPtrArray) relations = g_ptr_array_new ();
  EsaRelation partner = { NULL, (char *) "partner", (char *) partner_id, NULL, NULL };
  char *id;

  debtor.kind = kind;
  debtor.name = (char *) name;
  debtor.tax_id = (char *) tax_id;
  debtor.tax_id_kind = (char *) tax_id_kind;
  debtor.deceased_on = (char *) deceased_on;
  debtor.ceased_on = (char *) ceased_on;
  debtor.office_id = (char *) office;
  if (partner_id != NULL)
    g_ptr_array_add (relations, &partner);
  debtor.relations = relations;

  id = esa_store_add_debtor (store, &debtor, &error);
  g_assert_no_error (error);
  return id;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *partner = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *position_id = NULL;
  EsaBody body_it = { NULL, (char *) "Comune di Esempio", (char *) "IT", (char *) "EUR",
                      (char *) "00743110157", (char *) "IT60X0542811101000000123456",
                      (char *) "07" };
  EsaBody body_ch = { NULL, (char *) "Creditore Svizzero", (char *) "CH", (char *) "CHF",
                      (char *) "CHE-116.281.710", (char *) "CH4431999123000889012", NULL };
  EsaOffice office = { NULL, (char *) "Sede centrale", (char *) "Esempio", (char *) "IT" };
  EsaOffice other = { NULL, (char *) "Sede distaccata", (char *) "Altrove", (char *) "IT" };
  EsaPosition position = { NULL, };

  fixture->store = esa_store_open_memory (&error);
  g_assert_no_error (error);

  fixture->body_it = esa_store_add_body (fixture->store, &body_it, &error);
  g_assert_no_error (error);
  fixture->body_ch = esa_store_add_body (fixture->store, &body_ch, &error);
  g_assert_no_error (error);
  fixture->office = esa_store_add_office (fixture->store, &office, &error);
  g_assert_no_error (error);
  fixture->other_office = esa_store_add_office (fixture->store, &other, &error);
  g_assert_no_error (error);

  /* The store has no call for which bodies an office serves yet: the demo
   * generator writes them directly too. */
  sql = g_strdup_printf ("INSERT INTO office_bodies (office_id, body_id) VALUES "
                         "('%s', '%s'), ('%s', '%s')",
                         fixture->office, fixture->body_it, fixture->office, fixture->body_ch);
  sql_exec (fixture->store, sql);

  fixture->officer = add_user (fixture->store, "Verdi Giulia", "gverdi", ESA_ROLE_OFFICER,
                               fixture->office);
  fixture->responsible = add_user (fixture->store, "Gialli Anna", "agialli",
                                   ESA_ROLE_RESPONSIBLE, fixture->office);
  fixture->second_responsible = add_user (fixture->store, "Blu Marco", "mblu",
                                          ESA_ROLE_RESPONSIBLE, fixture->office);
  fixture->foreign_responsible = add_user (fixture->store, "Rosa Carla", "crosa",
                                           ESA_ROLE_RESPONSIBLE, fixture->other_office);
  fixture->auditor = add_user (fixture->store, "Neri Paolo", "pneri", ESA_ROLE_AUDITOR,
                               fixture->office);

  fixture->deceased = add_debtor (fixture->store, ESA_DEBTOR_PERSON, "Rossi Mario", CF_DECEASED,
                                  "cf", "2024-03-02", NULL, NULL, fixture->office);
  fixture->ceased = add_debtor (fixture->store, ESA_DEBTOR_COMPANY, "Chiusa Srl", PIVA_CEASED,
                                "piva", NULL, "2023-06-30", NULL, fixture->office);
  fixture->ceased_partner_tax_id = esa_partita_iva_compose ("0765432100");
  partner = add_debtor (fixture->store, ESA_DEBTOR_PERSON, "Socio Luigi", NULL, NULL, NULL, NULL,
                        NULL, fixture->office);
  fixture->ceased_with_partner = add_debtor (fixture->store, ESA_DEBTOR_COMPANY, "Cessata Snc",
                                             fixture->ceased_partner_tax_id, "piva", NULL,
                                             "2023-01-31", partner, fixture->office);
  fixture->known = add_debtor (fixture->store, ESA_DEBTOR_PERSON, "Bianchi Anna", CF_KNOWN, "cf",
                               NULL, NULL, NULL, fixture->office);

  position.debtor_id = fixture->known;
  position.body_id = fixture->body_it;
  position.revenue_type = (char *) "TARI";
  position.year = 2023;
  position.reference = (char *) "OLD-1";
  position.due_date = (char *) "2023-10-31";
  position.principal = 10000;
  position_id = esa_store_add_position (fixture->store, &position, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  g_free (fixture->body_it);
  g_free (fixture->body_ch);
  g_free (fixture->office);
  g_free (fixture->other_office);
  g_free (fixture->officer);
  g_free (fixture->responsible);
  g_free (fixture->second_responsible);
  g_free (fixture->foreign_responsible);
  g_free (fixture->auditor);
  g_free (fixture->deceased);
  g_free (fixture->ceased);
  g_free (fixture->ceased_with_partner);
  g_free (fixture->ceased_partner_tax_id);
  g_free (fixture->known);
}

/* A person's valid tax code, different for every @n. */
static char *
tax_code (guint n)
{
  static const char * const surnames[] = { "Ferrari", "Esposito", "Romano", "Colombo", "Ricci" };
  static const char * const names[] = { "Luca", "Marco", "Paolo", "Stefano" };
  g_autoptr(GDate) birth = g_date_new_dmy (1, 1, 1950);

  g_date_add_days (birth, n / 20);
  return esa_codice_fiscale_compose (surnames[n % 5], names[(n / 5) % 4], 'M', birth, "F205");
}

/* @n rows of distinct debts, by (@n * 3 / 4) debtors; the row with index
 * @bad (line @bad + 2) has a wrong check character when @bad < @n. */
static char *
make_rows (guint n,
           guint bad)
{
  GString *text = g_string_new (HEADER);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *cf = tax_code (i % (n * 3 / 4));

      if (i == bad)
        cf[15] = cf[15] == 'A' ? 'B' : 'A';
      g_string_append_printf (text,
                              "%s,Debitore %u,Via Roma %u,20100,Milano,IT,%s,%u,REF-%05u,"
                              "%u.%02u,%s,0.50,,2024-0%u-15\n",
                              cf, i % (n * 3 / 4), i + 1, i % 2 ? "TARI" : "IMU", 2021 + i % 3,
                              i, 10 + i % 90, i % 100, i % 4 == 0 ? "5.00" : "", 1 + i % 9);
    }
  return g_string_free (text, FALSE);
}

/* Reads @text and imports it for @body_id; returns the list's id or NULL
 * with @error set. The report stays with the caller. */
static char *
import_text (EsaStore                        *store,
             const char                      *body_id,
             const char                      *text,
             const EsaLoadListImportOptions  *options,
             EsaLoadListReport               *report,
             GError                         **error)
{
  g_autoptr(EsaLoadListReader) reader = esa_load_list_reader_new (NULL);
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (text, -1, NULL);
  g_autoptr(EsaLoadListRows) rows = NULL;
  g_autofree char *sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
  EsaLoadListImportOptions with_file = { NULL, };

  if (options != NULL)
    with_file = *options;
  with_file.file_name = "list.csv";
  with_file.file_sha256 = sha256;

  rows = esa_load_list_reader_read_stream (reader, stream, report, NULL, error);
  if (rows == NULL)
    return NULL;
  return esa_store_import_load_list (store, body_id, rows, &with_file, report, error);
}

static char *
import_ok (Fixture                         *fixture,
           const char                      *body_id,
           const char                      *text,
           const EsaLoadListImportOptions  *options)
{
  g_autoptr(EsaLoadListReport) report = esa_load_list_report_new ();
  g_autoptr(GError) error = NULL;
  char *id = import_text (fixture->store, body_id, text, options, report, &error);

  g_assert_no_error (error);
  g_assert_nonnull (id);
  return id;
}

static void
assert_issue (EsaLoadListReport *report,
              guint              index,
              guint              line,
              EsaLoadListReason  reason,
              const char        *fragment)
{
  const EsaLoadListIssue *issue;

  g_assert_cmpuint (index, <, report->issues->len);
  issue = g_ptr_array_index (report->issues, index);
  g_test_message ("line %u: %s", issue->line, issue->message);
  g_assert_cmpuint (issue->line, ==, line);
  g_assert_cmpstr (esa_load_list_reason_to_string (issue->reason), ==,
                   esa_load_list_reason_to_string (reason));
  g_assert_nonnull (strstr (issue->message, fragment));
}

static void
assert_audit_verifies (EsaStore *store)
{
  g_autoptr(GError) error = NULL;
  gint64 checked = 0;

  g_assert_true (esa_store_audit_verify (store, &checked, &error));
  g_assert_no_error (error);
  g_assert_cmpint (checked, >, 0);
}

/* ---- all or nothing ------------------------------------------------------ */

static void
test_one_malformed_row_imports_nothing (Fixture       *fixture,
                                        gconstpointer  data)
{
  g_autoptr(EsaLoadListReport) report = esa_load_list_report_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = make_rows (1000, 516);
  g_autofree char *id = NULL;
  gint64 before[N_COUNTED];

  snapshot (fixture->store, before);
  id = import_text (fixture->store, fixture->body_it, text, NULL, report, &error);
  g_assert_null (id);
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "1 row of 1000 was rejected"));

  g_assert_cmpuint (report->rows, ==, 1000);
  g_assert_cmpuint (report->issues->len, ==, 1);
  assert_issue (report, 0, 518, ESA_LOAD_LIST_REASON_TAX_ID, "check character");
  assert_unchanged (fixture->store, before);
}

/* The row images the sync push makes of the list's one part are the rows
 * as stored: @n_images of them, each "after" of a debtor, an address or a
 * position equal to its row. */
static void
assert_part_images (EsaStore *store,
                    guint     n_images)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *images = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *array;

  g_assert_cmpint (sqlite3_prepare_v2 (_esa_store_get_db (store),
                                       "SELECT payload FROM outbox "
                                       "WHERE entity = 'load_list_part'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  images = _esa_store_load_list_part_images ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  g_assert_nonnull (images);

  g_assert_true (json_parser_load_from_data (parser, images, -1, &error));
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, n_images);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *image = json_array_get_object_element (array, i);
      const char *table = json_object_get_string_member (image, "t");
      g_autoptr(JsonNode) row = NULL;

      /* The rejected rows are the list's report, not synced table rows. */
      if (g_str_equal (table, "load_list_rejections"))
        continue;
      row = _esa_store_row_to_json (store, table, json_object_get_string_member (image, "k"),
                                    &error);
      g_assert_no_error (error);
      if (!json_node_equal (row, json_object_get_member (image, "after")))
        {
          g_autofree char *stored = json_to_string (row, FALSE);
          g_autofree char *sent = json_to_string (json_object_get_member (image, "after"),
                                                  FALSE);

          g_error ("the image of %s %s differs from the row:\n%s\n%s", table,
                   json_object_get_string_member (image, "k"), sent, stored);
        }
    }
}

static void
test_exclude_rejected (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(EsaLoadListReport) report = esa_load_list_report_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaLoadList) list = NULL;
  g_autoptr(GPtrArray) detail = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GHashTable) references = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                            NULL);
  g_autofree char *text = make_rows (1000, 100);
  g_autofree char *id = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *first_tax_code = tax_code (0);
  EsaLoadListImportOptions options = { NULL, };
  gint64 debtors_before = sql_int (fixture->store, "SELECT count(*) FROM debtors");
  gint64 total = 0;
  guint positions = 0;

  options.exclude_rejected = TRUE;
  options.reference = "TARI e IMU 2021-2023";
  options.resource = "E.1.01.01.51.001";
  options.budget_chapter = "1051";
  options.user_id = fixture->officer;
  id = import_text (fixture->store, fixture->body_it, text, &options, report, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  /* Ids are time-ordered UUIDs (version 7), in the order of the file. */
  g_assert_true (g_regex_match_simple ("^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                                       "[0-9a-f]{12}$", id, 0, 0));
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM positions p JOIN positions q "
                         "ON q.load_list_line > p.load_list_line AND q.id < p.id "
                         "WHERE p.load_list_id = '%s' AND q.load_list_id = '%s'", id, id);
  g_assert_cmpint (sql_int (fixture->store, sql), ==, 0);

  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM positions WHERE load_list_id = '%s'", id);
  g_assert_cmpint (sql_int (fixture->store, sql), ==, 999);
  g_assert_cmpint (sql_int (fixture->store, "SELECT count(*) FROM debtors") - debtors_before, ==,
                   750);

  list = esa_store_get_load_list (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (list->state, ==, "imported");
  g_assert_cmpstr (list->reference, ==, "TARI e IMU 2021-2023");
  g_assert_cmpstr (list->file_name, ==, "list.csv");
  g_assert_cmpstr (list->resource, ==, "E.1.01.01.51.001");
  g_assert_cmpstr (list->budget_chapter, ==, "1051");
  g_assert_cmpstr (list->imported_by, ==, fixture->officer);
  g_assert_cmpstr (list->imported_by_name, ==, "Verdi Giulia");
  g_assert_cmpstr (list->procedure_id, ==, "it-coercive");
  g_assert_cmpstr (list->currency, ==, "EUR");
  g_assert_cmpuint (list->rows, ==, 1000);
  g_assert_cmpuint (list->rejected, ==, 1);
  g_assert_cmpuint (list->positions, ==, 999);
  g_assert_cmpuint (list->debtors, ==, 750);
  g_assert_cmpuint (list->new_debtors, ==, 750);
  g_assert_cmpuint (list->cases, ==, 0);

  /* Two revenue types over three years: six groups adding up to the list. */
  g_assert_cmpuint (list->groups->len, ==, 6);
  for (guint i = 0; i < list->groups->len; i++)
    {
      const EsaLoadListGroup *group = g_ptr_array_index (list->groups, i);

      positions += group->positions;
      total += group->total;
    }
  g_assert_cmpuint (positions, ==, 999);
  g_assert_cmpint (total, ==, list->total);
  g_assert_cmpint (list->total, ==, list->principal + list->sanctions + list->interest
                                    + list->costs);
  g_assert_cmpint (list->interest, ==, 999 * 50);

  /* The rejected row stays in the list's report. */
  g_assert_cmpuint (list->rejections->len, ==, 1);
  g_assert_cmpuint (((EsaLoadListIssue *) g_ptr_array_index (list->rejections, 0))->line, ==,
                    102);

  /* The detail list: file order, the rejected line missing, every payment
   * reference a valid pagoPA notice number of the body, none twice. */
  detail = esa_store_load_list_detail (fixture->store, id, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (detail->len, ==, 999);
  for (guint i = 0; i < detail->len; i++)
    {
      const EsaLoadListEntry *entry = g_ptr_array_index (detail, i);

      g_assert_cmpuint (entry->line, ==, i < 100 ? i + 2 : i + 3);
      g_assert_true (esa_id_validate (ESA_ID_PAGOPA_NOTICE, entry->payment_reference, NULL,
                                      NULL));
      g_assert_true (g_str_has_prefix (entry->payment_reference, "307"));
      g_assert_true (g_hash_table_add (references, g_strdup (entry->payment_reference)));
    }
  g_clear_pointer (&detail, g_ptr_array_unref);
  detail = esa_store_load_list_detail (fixture->store, id, 10, 990, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (detail->len, ==, 9);

  /* The new debtors are found by name and tax code. */
  hits = esa_store_search (fixture->store, first_tax_code, 10, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpstr (((EsaSearchHit *) g_ptr_array_index (hits, 0))->name, ==, "Debitore 0");
  g_clear_pointer (&hits, g_ptr_array_unref);
  /* "749" also matches debtor 748, who lives at Via Roma 749, and comes
   * first by name. */
  hits = esa_store_search (fixture->store, "Debitore 749", 10, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 2);
  g_assert_cmpstr (((EsaSearchHit *) g_ptr_array_index (hits, 1))->name, ==, "Debitore 749");
  g_clear_pointer (&hits, g_ptr_array_unref);
  /* Debtor 0's second debt, on line 752. */
  hits = esa_store_search (fixture->store, "REF-00750", 10, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpstr (((EsaSearchHit *) g_ptr_array_index (hits, 0))->name, ==, "Debitore 0");

  /* The documents of the new debtors, made from the rows in memory, are
   * those the index would make from the tables. */
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM debtors d JOIN debtor_search s ON s.rowid = d.num "
                         "WHERE d.id IN (SELECT debtor_id FROM positions "
                         "               WHERE load_list_id = '%s') "
                         "AND s.name IS d.name AND s.tax_id IS d.tax_id "
                         "AND s.address IS (SELECT group_concat(a.street || ' ' "
                         "  || coalesce(a.postcode, '') || ' ' || a.town, ' ; ') "
                         "  FROM addresses a WHERE a.debtor_id = d.id) "
                         "AND s.refs IS (SELECT group_concat(r, ' ') FROM ("
                         "  SELECT number AS r FROM acts WHERE debtor_id = d.id "
                         "  UNION ALL SELECT reference || coalesce(' ' || payment_reference, '') "
                         "  FROM positions WHERE debtor_id = d.id))",
                         id);
  g_assert_cmpint (sql_int (fixture->store, sql), ==, 750);

  /* The outbox: the list, then its rows in one part (999 positions). */
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM outbox WHERE entity = 'load_list_part' "
                         "AND entity_id = '%s' AND kind = 'event'", id);
  g_assert_cmpint (sql_int (fixture->store, sql), ==, 1);
  g_assert_cmpint (sql_int (fixture->store,
                            "SELECT json_array_length(payload, '$.positions.rows') "
                            "FROM outbox WHERE entity = 'load_list_part'"), ==, 999);
  g_assert_cmpint (sql_int (fixture->store,
                            "SELECT json_array_length(payload, '$.debtors.rows') "
                            "FROM outbox WHERE entity = 'load_list_part'"), ==, 750);
  g_assert_cmpint (sql_int (fixture->store,
                            "SELECT json_array_length(payload, '$.load_list_rejections.rows') "
                            "FROM outbox WHERE entity = 'load_list_part'"), ==, 1);
  assert_part_images (fixture->store, 750 + 750 + 999 + 1);
  g_assert_cmpint (sql_int (fixture->store,
                            "SELECT count(*) FROM outbox WHERE entity = 'load_list' "
                            "AND kind = 'event'"), ==, 1);
  g_assert_cmpint (sql_int (fixture->store,
                            "SELECT count(*) FROM audit WHERE action = 'import' "
                            "AND entity = 'load_list'"), ==, 1);
  assert_audit_verifies (fixture->store);
}

/* A list whose every row is rejected is refused even when the rejected
 * rows may be left out. */
static void
test_no_valid_row (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(EsaLoadListReport) report = esa_load_list_report_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  EsaLoadListImportOptions options = { NULL, };
  gint64 before[N_COUNTED];

  options.exclude_rejected = TRUE;
  snapshot (fixture->store, before);
  id = import_text (fixture->store, fixture->body_it,
                    HEADER "XX,Rossi Mario,Via Roma 12,20100,Milano,IT,TARI,2024,R-1,1.00,,,,"
                    "2024-09-30\n",
                    &options, report, &error);
  g_assert_null (id);
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
  assert_unchanged (fixture->store, before);
}

static void
test_same_file_twice (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(EsaLoadListReport) report = esa_load_list_report_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = make_rows (20, 20);
  g_autofree char *first = import_ok (fixture, fixture->body_it, text, NULL);
  g_autofree char *second = NULL;

  second = import_text (fixture->store, fixture->body_it, text, NULL, report, &error);
  g_assert_null (second);
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "already imported"));
}

/* ---- checks against the database ---------------------------------------- */

static void
test_already_loaded (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(EsaLoadListReport) report = esa_load_list_report_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autofree char *id = NULL;
  g_autofree char *sql = NULL;
  EsaLoadListImportOptions options = { NULL, };
  gint64 debtors_before = sql_int (fixture->store, "SELECT count(*) FROM debtors");

  options.exclude_rejected = TRUE;
  id = import_text (fixture->store, fixture->body_it,
                    HEADER
                    CF_KNOWN ",Bianchi Anna,Via Po 1,10100,Torino,IT,TARI,2024,NEW-7,8.00,,,,"
                    "2024-09-30\n"
                    CF_KNOWN ",Bianchi Anna,Via Po 1,10100,Torino,IT,TARI,2023,OLD-1,8.00,,,,"
                    "2024-09-30\n",
                    &options, report, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->issues->len, ==, 1);
  assert_issue (report, 0, 3, ESA_LOAD_LIST_REASON_ALREADY_LOADED, "OLD-1");

  /* The known debtor got the new position: no debtor was created, and the
   * search finds the debtor by the new reference. */
  g_assert_cmpint (sql_int (fixture->store, "SELECT count(*) FROM debtors"), ==, debtors_before);
  sql = g_strdup_printf ("SELECT count(*) FROM positions WHERE debtor_id = '%s' "
                         "AND load_list_id = '%s'", fixture->known, id);
  g_assert_cmpint (sql_int (fixture->store, sql), ==, 1);
  hits = esa_store_search (fixture->store, "NEW-7", 10, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpstr (((EsaSearchHit *) g_ptr_array_index (hits, 0))->debtor_id, ==,
                   fixture->known);
}

static void
test_deceased_with_sanctions (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(EsaLoadListReport) report = esa_load_list_report_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *sql = NULL;
  gint64 before[N_COUNTED];

  snapshot (fixture->store, before);
  id = import_text (fixture->store, fixture->body_it,
                    HEADER
                    CF_DECEASED ",Rossi Mario,Via Roma 12,20100,Milano,IT,TARI,2024,D-1,80.00,,"
                    ",,2024-09-30\n"
                    CF_DECEASED ",Rossi Mario,Via Roma 12,20100,Milano,IT,TARI,2024,D-2,80.00,"
                    "25.00,,,2024-09-30\n",
                    NULL, report, &error);
  g_assert_null (id);
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
  g_assert_cmpuint (report->issues->len, ==, 1);
  assert_issue (report, 0, 3, ESA_LOAD_LIST_REASON_DECEASED_SANCTIONS, "2024-03-02");
  assert_unchanged (fixture->store, before);

  /* The principal is pursued against the heirs: the row without sanctions
   * can be loaded. */
  g_clear_pointer (&report, esa_load_list_report_free);
  g_clear_error (&error);
  report = esa_load_list_report_new ();
  {
    EsaLoadListImportOptions options = { NULL, };

    options.exclude_rejected = TRUE;
    id = import_text (fixture->store, fixture->body_it,
                      HEADER
                      CF_DECEASED ",Rossi Mario,Via Roma 12,20100,Milano,IT,TARI,2024,D-1,80.00,"
                      ",,,2024-09-30\n"
                      CF_DECEASED ",Rossi Mario,Via Roma 12,20100,Milano,IT,TARI,2024,D-2,80.00,"
                      "25.00,,,2024-09-30\n",
                      &options, report, &error);
  }
  g_assert_no_error (error);
  sql = g_strdup_printf ("SELECT count(*) FROM positions WHERE debtor_id = '%s' "
                         "AND load_list_id = '%s'", fixture->deceased, id);
  g_assert_cmpint (sql_int (fixture->store, sql), ==, 1);
}

static void
test_ceased_without_partners (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(EsaLoadListReport) report = esa_load_list_report_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *text = NULL;
  EsaLoadListImportOptions options = { NULL, };

  text = g_strdup_printf (HEADER
                          "%s,Cessata Snc,Via Po 3,10100,Torino,IT,IMU,2023,C-1,300.00,,,,"
                          "2024-06-16\n"
                          PIVA_CEASED ",Chiusa Srl,Via Po 5,10100,Torino,IT,IMU,2023,C-2,300.00,"
                          ",,,2024-06-16\n",
                          fixture->ceased_partner_tax_id);
  options.exclude_rejected = TRUE;
  id = import_text (fixture->store, fixture->body_it, text, &options, report, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->issues->len, ==, 1);
  assert_issue (report, 0, 3, ESA_LOAD_LIST_REASON_CEASED_NO_PARTNERS, "2023-06-30");
}

/* ---- approval ----------------------------------------------------------- */

static void
assert_refused (Fixture    *fixture,
                const char *id,
                const char *user_id,
                const char *fragment)
{
  g_autoptr(GError) error = NULL;
  gint64 before[N_COUNTED];

  snapshot (fixture->store, before);
  g_assert_false (esa_store_approve_load_list (fixture->store, id, user_id, &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_FORBIDDEN);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, fragment));
  assert_unchanged (fixture->store, before);
}

static void
test_four_eyes (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaLoadList) list = NULL;
  g_autofree char *text = make_rows (40, 40);
  g_autofree char *id = NULL;
  g_autofree char *sql = NULL;
  EsaLoadListImportOptions options = { NULL, };

  options.user_id = fixture->responsible;
  id = import_ok (fixture, fixture->body_it, text, &options);

  assert_refused (fixture, id, fixture->responsible, "four eyes");
  assert_refused (fixture, id, fixture->officer, "Verdi Giulia (Officer)");
  assert_refused (fixture, id, fixture->auditor, "auditor");
  assert_refused (fixture, id, fixture->foreign_responsible, "does not serve");

  g_assert_true (esa_store_approve_load_list (fixture->store, id, fixture->second_responsible,
                                              &error));
  g_assert_no_error (error);

  list = esa_store_get_load_list (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (list->state, ==, "approved");
  g_assert_cmpstr (list->approved_by, ==, fixture->second_responsible);
  g_assert_nonnull (list->approved_on);
  g_assert_cmpuint (list->cases, ==, 30);

  /* One case per debtor, in the initial state of the procedure file, for
   * every position of the list. */
  sql = g_strdup_printf ("SELECT count(*) FROM cases c WHERE c.procedure_id = 'it-coercive' "
                         "AND c.state = 'loaded' AND c.body_id = '%s' AND c.id IN "
                         "(SELECT cp.case_id FROM case_positions cp JOIN positions p "
                         " ON p.id = cp.position_id WHERE p.load_list_id = '%s')",
                         fixture->body_it, id);
  g_assert_cmpint (sql_int (fixture->store, sql), ==, 30);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM case_positions cp JOIN positions p "
                         "ON p.id = cp.position_id WHERE p.load_list_id = '%s'", id);
  g_assert_cmpint (sql_int (fixture->store, sql), ==, 40);
  g_assert_cmpint (sql_int (fixture->store,
                            "SELECT count(*) FROM outbox WHERE entity = 'case' "
                            "AND kind = 'command'"), ==, 30);
  g_assert_cmpint (sql_int (fixture->store,
                            "SELECT count(*) FROM outbox WHERE entity = 'load_list' "
                            "AND kind = 'command' AND json_extract(payload, '$.action') = "
                            "'approve'"), ==, 1);
  assert_audit_verifies (fixture->store);

  /* A list is approved once. */
  g_assert_false (esa_store_approve_load_list (fixture->store, id, fixture->second_responsible,
                                               &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
}

static void
test_reject_list (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaLoadList) list = NULL;
  g_autoptr(EsaLoadListReport) report = esa_load_list_report_new ();
  g_autofree char *text = make_rows (10, 10);
  g_autofree char *id = NULL;
  g_autofree char *again = NULL;
  g_autofree char *sql = NULL;

  id = import_ok (fixture, fixture->body_it, text, NULL);
  g_assert_false (esa_store_reject_load_list (fixture->store, id, fixture->officer, "wrong year",
                                              &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_false (esa_store_reject_load_list (fixture->store, id, fixture->responsible, "  ",
                                              &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (esa_store_reject_load_list (fixture->store, id, fixture->responsible,
                                             "wrong year", &error));
  g_assert_no_error (error);
  list = esa_store_get_load_list (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (list->state, ==, "rejected");
  g_assert_cmpstr (list->note, ==, "wrong year");
  sql = g_strdup_printf ("SELECT count(*) FROM positions WHERE load_list_id = '%s' "
                         "AND state = 'cancelled'", id);
  g_assert_cmpint (sql_int (fixture->store, sql), ==, 10);

  /* A rejected list neither blocks the same file nor its debts. */
  again = import_text (fixture->store, fixture->body_it, text, NULL, report, &error);
  g_assert_no_error (error);
  g_assert_nonnull (again);
  g_assert_cmpuint (report->issues->len, ==, 0);

  /* Nor can a rejected list be approved. */
  g_assert_false (esa_store_approve_load_list (fixture->store, id, fixture->second_responsible,
                                               &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
}

/* A Swiss body's positions get QR references, and its cases follow ch-lef. */
static void
test_swiss_body (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) detail = NULL;
  g_autofree char *ahv = esa_ahv_compose ("921707698");
  g_autofree char *text = NULL;
  g_autofree char *id = NULL;
  g_autofree char *sql = NULL;
  EsaLoadListImportOptions options = { NULL, };

  text = g_strdup_printf (HEADER
                          "%s,Keller Anna,Via Lugano 4,6500,Bellinzona,,tax,2024,T-1,100.00,,,,"
                          "2024-12-31\n"
                          "%s,Keller Anna,Via Lugano 4,6500,Bellinzona,,tax,2023,T-2,50.00,,,,"
                          "2023-12-31\n",
                          ahv, ahv);
  options.user_id = fixture->officer;
  id = import_ok (fixture, fixture->body_ch, text, &options);

  detail = esa_store_load_list_detail (fixture->store, id, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (detail->len, ==, 2);
  for (guint i = 0; i < detail->len; i++)
    {
      const EsaLoadListEntry *entry = g_ptr_array_index (detail, i);

      g_assert_true (esa_id_validate (ESA_ID_QR_REFERENCE, entry->payment_reference, NULL,
                                      NULL));
      g_assert_true (g_str_has_prefix (entry->payment_reference, "116281710"));
    }

  g_assert_true (esa_store_approve_load_list (fixture->store, id, fixture->responsible, &error));
  g_assert_no_error (error);
  sql = g_strdup_printf ("SELECT count(*) FROM cases WHERE body_id = '%s' "
                         "AND procedure_id = 'ch-lef' AND state = 'requested'",
                         fixture->body_ch);
  g_assert_cmpint (sql_int (fixture->store, sql), ==, 1);
}

/* Payment references continue after the highest the body already uses. */
static void
test_references_continue (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autofree char *text_a = make_rows (4, 4);
  g_autofree char *text_b = NULL;
  g_autofree char *id_a = import_ok (fixture, fixture->body_it, text_a, NULL);
  g_autofree char *id_b = NULL;
  const char *last_a;
  const char *first_b;

  text_b = g_strconcat (HEADER,
                        CF_KNOWN ",Bianchi Anna,Via Po 1,10100,Torino,IT,IMU,2024,B-1,8.00,,,,"
                        "2024-09-30\n",
                        NULL);
  id_b = import_ok (fixture, fixture->body_it, text_b, NULL);

  first = esa_store_load_list_detail (fixture->store, id_a, 0, 0, &error);
  g_assert_no_error (error);
  second = esa_store_load_list_detail (fixture->store, id_b, 0, 0, &error);
  g_assert_no_error (error);
  last_a = ((EsaLoadListEntry *) g_ptr_array_index (first, 3))->payment_reference;
  first_b = ((EsaLoadListEntry *) g_ptr_array_index (second, 0))->payment_reference;
  /* The 13 digits of the running number: one more. */
  g_assert_cmpint (g_ascii_strtoll (first_b + 3, NULL, 10) / 100, ==,
                   g_ascii_strtoll (last_a + 3, NULL, 10) / 100 + 1);
}

/* ---- mappings ------------------------------------------------------------ */

static void
test_mapping_saved (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *none = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *sql = NULL;

  none = esa_store_get_load_list_mapping (fixture->store, fixture->body_it, &error);
  g_assert_no_error (error);
  g_assert_null (none);

  esa_store_set_acting_user (fixture->store, fixture->officer);
  g_assert_true (esa_store_set_load_list_mapping (fixture->store, fixture->body_it,
                                                  "{\"separator\":\";\"}", &error));
  g_assert_no_error (error);
  g_assert_true (esa_store_set_load_list_mapping (fixture->store, fixture->body_it,
                                                  "{\"separator\":\"tab\"}", &error));
  g_assert_no_error (error);
  saved = esa_store_get_load_list_mapping (fixture->store, fixture->body_it, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (saved, ==, "{\"separator\":\"tab\"}");

  /* Created once (an event), then changed (a field edit). */
  g_assert_cmpint (sql_int (fixture->store,
                            "SELECT count(*) FROM outbox WHERE entity = 'load_list_mapping' "
                            "AND kind = 'event'"), ==, 1);
  g_assert_cmpint (sql_int (fixture->store,
                            "SELECT count(*) FROM outbox WHERE entity = 'load_list_mapping' "
                            "AND kind = 'field' AND base_version = 1"), ==, 1);

  g_assert_false (esa_store_set_load_list_mapping (fixture->store, "no-such-body", "{}",
                                                   &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (esa_store_set_load_list_mapping (fixture->store, fixture->body_it, "[1]",
                                                   &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID);
  g_clear_error (&error);

  esa_store_set_acting_user (fixture->store, fixture->auditor);
  g_assert_false (esa_store_set_load_list_mapping (fixture->store, fixture->body_it, "{}",
                                                   &error));
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_FORBIDDEN);
}

static void
test_unknown_body (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(EsaLoadListReport) report = esa_load_list_report_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = make_rows (2, 2);
  g_autofree char *id = NULL;

  id = import_text (fixture->store, "no-such-body", text, NULL, report, &error);
  g_assert_null (id);
  g_assert_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_NOT_FOUND);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/load-list-store/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("one-malformed-row-imports-nothing", test_one_malformed_row_imports_nothing);
  ADD ("exclude-rejected", test_exclude_rejected);
  ADD ("no-valid-row", test_no_valid_row);
  ADD ("same-file-twice", test_same_file_twice);
  ADD ("already-loaded", test_already_loaded);
  ADD ("deceased-with-sanctions", test_deceased_with_sanctions);
  ADD ("ceased-without-partners", test_ceased_without_partners);
  ADD ("four-eyes", test_four_eyes);
  ADD ("reject-list", test_reject_list);
  ADD ("swiss-body", test_swiss_body);
  ADD ("references-continue", test_references_continue);
  ADD ("mapping-saved", test_mapping_saved);
  ADD ("unknown-body", test_unknown_body);

  return g_test_run ();
}
