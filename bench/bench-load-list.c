/* Load list intake: a deterministic file of $ESATTORE_BENCH_ROWS rows
 * (default 200,000) with valid tax codes and plausible amounts is read,
 * validated and imported into a fresh database holding the demo's bodies
 * and users, in one transaction; the same file then goes through
 * `sqlite3 DB ".import --csv FILE table"` into an empty database, the floor
 * of what writing these rows can cost. The approval of the list, which opens
 * one case per debtor, is timed too. Prints seconds and rows per second.
 *
 * Files are written in the working directory (the build directory) and
 * removed at the end. */

#include "esa-config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/resource.h>

#include "esa-demo.h"
#include "esa-identifiers.h"
#include "esa-load-list-reader.h"
#include "esa-store-load-lists.h"
#include "esa-store-private.h"

#define SEED         20240601
#define DEMO_DEBTORS 100
#define TARGET_S     10.0

static const char * const surnames[] = {
  "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino",
  "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa", "Giordano", "Rizzo",
  "Lombardi", "Moretti", "Barbieri", "Fontana", "Santoro", "Mariani", "Rinaldi", "Caruso",
  "Ferrara", "Galli", "Martini", "Leone", "Longo", "Gentile", "Martinelli", "Vitale", "Lombardo",
  "Serra", "Coppola", "De Santis", "D'Angelo", "Marchetti",
};

static const struct
{
  const char *name;
  char        sex;
} given_names[] = {
  { "Mario", 'M' }, { "Luca", 'M' }, { "Giuseppe", 'M' }, { "Marco", 'M' }, { "Andrea", 'M' },
  { "Francesco", 'M' }, { "Alessandro", 'M' }, { "Giovanni", 'M' }, { "Paolo", 'M' },
  { "Stefano", 'M' }, { "Roberto", 'M' }, { "Davide", 'M' }, { "Matteo", 'M' }, { "Simone", 'M' },
  { "Anna", 'F' }, { "Maria", 'F' }, { "Giulia", 'F' }, { "Francesca", 'F' }, { "Chiara", 'F' },
  { "Sara", 'F' }, { "Laura", 'F' }, { "Elena", 'F' }, { "Paola", 'F' }, { "Silvia", 'F' },
  { "Valentina", 'F' }, { "Federica", 'F' }, { "Alessia", 'F' }, { "Martina", 'F' },
};

static const struct
{
  const char *code;
  const char *town;
  const char *postcode;
} places[] = {
  { "H501", "Roma", "00100" }, { "F205", "Milano", "20100" }, { "F839", "Napoli", "80100" },
  { "L219", "Torino", "10100" }, { "G273", "Palermo", "90100" }, { "D969", "Genova", "16100" },
  { "A944", "Bologna", "40100" }, { "D612", "Firenze", "50100" }, { "A662", "Bari", "70100" },
  { "C351", "Catania", "95100" }, { "L736", "Venezia", "30100" }, { "L781", "Verona", "37100" },
  { "F158", "Messina", "98100" }, { "G224", "Padova", "35100" }, { "L424", "Trieste", "34100" },
  { "B157", "Brescia", "25100" }, { "G337", "Parma", "43100" },
  { "H223", "Reggio Emilia", "42100" },
};

static const char * const streets[] = {
  "Via Roma", "Via Garibaldi", "Via Mazzini", "Corso Italia", "Via Dante", "Via Verdi",
  "Piazza della Repubblica", "Via Cavour", "Viale Europa", "Via San Francesco",
};

static const struct
{
  const char *type;
  const char *prefix;
} revenues[] = {
  { "IMU", "ACC-IMU" }, { "TARI", "ACC-TARI" }, { "fine", "VERB" }, { "water", "FATT-H2O" },
};

typedef struct
{
  char       *tax_id;
  char       *name;
  const char *street;
  guint       number;
  guint       place;
} BenchDebtor;

static void
bench_debtor_clear (BenchDebtor *debtor)
{
  g_free (debtor->tax_id);
  g_free (debtor->name);
}

/* Invented debtors with distinct tax codes: nine in ten persons, one in
 * ten companies. */
static GArray *
make_debtors (GRand *rand,
              guint  n)
{
  g_autoptr(GArray) debtors = g_array_sized_new (FALSE, TRUE, sizeof (BenchDebtor), n);
  g_autoptr(GHashTable) taken = g_hash_table_new (g_str_hash, g_str_equal);
  guint companies = 0;

  g_array_set_clear_func (debtors, (GDestroyNotify) bench_debtor_clear);
  while (debtors->len < n)
    {
      BenchDebtor debtor = { NULL, };

      debtor.street = streets[g_rand_int_range (rand, 0, G_N_ELEMENTS (streets))];
      debtor.number = (guint) g_rand_int_range (rand, 1, 200);
      debtor.place = (guint) g_rand_int_range (rand, 0, G_N_ELEMENTS (places));

      if (g_rand_int_range (rand, 0, 10) == 0)
        {
          char body[11];

          g_snprintf (body, sizeof body, "%07u%03u", 1000000 + companies++,
                      (guint) g_rand_int_range (rand, 1, 101));
          debtor.tax_id = esa_partita_iva_compose (body);
          debtor.name = g_strdup_printf ("%s %s S.r.l.",
                                         surnames[g_rand_int_range (rand, 0,
                                                                    G_N_ELEMENTS (surnames))],
                                         streets[g_rand_int_range (rand, 0,
                                                                   G_N_ELEMENTS (streets))] + 4);
        }
      else
        {
          const char *surname = surnames[g_rand_int_range (rand, 0, G_N_ELEMENTS (surnames))];
          guint given = (guint) g_rand_int_range (rand, 0, G_N_ELEMENTS (given_names));
          g_autoptr(GDate) birth = g_date_new_dmy (1, 1, 1940);
          g_autofree char *letters = NULL;

          g_date_add_days (birth, (guint) g_rand_int_range (rand, 0, 64 * 365));
          /* The tax code takes letters only. */
          letters = g_strdup (surname);
          g_strdelimit (letters, " '", 'X');
          debtor.tax_id = esa_codice_fiscale_compose (letters, given_names[given].name,
                                                      given_names[given].sex, birth,
                                                      places[debtor.place].code);
          debtor.name = g_strdup_printf ("%s %s", surname, given_names[given].name);
        }

      if (debtor.tax_id == NULL || !g_hash_table_add (taken, debtor.tax_id))
        {
          bench_debtor_clear (&debtor);
          continue;
        }
      g_array_append_val (debtors, debtor);
    }

  g_hash_table_steal_all (taken);
  return g_steal_pointer (&debtors);
}

/* Writes the CSV: the first rows give every debtor a debt, the rest give a
 * second debt to debtors chosen at random. Some addresses hold a comma and
 * are quoted, as spreadsheets write them. */
static gboolean
write_file (const char  *path,
            guint        n_rows,
            GError     **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (SEED);
  guint n_debtors = n_rows - n_rows / 5;
  g_autoptr(GArray) debtors = make_debtors (rand, n_debtors);
  g_autoptr(GString) text = g_string_sized_new ((gsize) n_rows * 160);

  g_string_append (text, "tax_id,name,address,postcode,town,country,revenue_type,year,"
                         "reference,principal,sanctions,interest,costs,due_date\n");
  for (guint i = 0; i < n_rows; i++)
    {
      const BenchDebtor *debtor = &g_array_index (debtors, BenchDebtor,
                                                  i < n_debtors
                                                  ? i
                                                  : (guint) g_rand_int_range (rand, 0,
                                                                              (gint32) n_debtors));
      guint revenue = (guint) g_rand_int_range (rand, 0, G_N_ELEMENTS (revenues));
      guint year = (guint) g_rand_int_range (rand, 2019, 2025);
      guint principal = (guint) g_rand_int_range (rand, 2000, 250000);
      guint sanctions = g_rand_int_range (rand, 0, 3) == 0 ? principal / 10 : 0;
      guint interest = principal / 40;
      guint costs = (guint) g_rand_int_range (rand, 0, 2) * 590;
      gboolean comma = debtor->number % 7 == 0;

      g_string_append_printf (text,
                              "%s,%s,%s%s%s %u%s,%s,%s,IT,%s,%u,%s-%u-%07u,"
                              "%u.%02u,%u.%02u,%u.%02u,%u.%02u,%u-%02u-%02u\n",
                              debtor->tax_id, debtor->name, comma ? "\"" : "", debtor->street,
                              comma ? "," : "", debtor->number, comma ? "\"" : "",
                              places[debtor->place].postcode, places[debtor->place].town,
                              revenues[revenue].type, year, revenues[revenue].prefix, year, i + 1,
                              principal / 100, principal % 100, sanctions / 100, sanctions % 100,
                              interest / 100, interest % 100, costs / 100, costs % 100,
                              year + 1, (guint) g_rand_int_range (rand, 1, 13),
                              (guint) g_rand_int_range (rand, 1, 29));
    }

  return g_file_set_contents (path, text->str, (gssize) text->len, error);
}

/* The demo's Italian body and an officer of an office serving it, and a
 * responsible officer of the same office who approves. */
static gboolean
find_actors (EsaStore  *store,
             char     **out_body,
             char     **out_officer,
             char     **out_responsible,
             GError   **error)
{
  sqlite3 *db = _esa_store_get_db (store);
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;

  if (sqlite3_prepare_v2 (db,
                          "SELECT b.id, "
                          "  (SELECT u.id FROM users u WHERE u.office_id = ob.office_id "
                          "     AND u.role = 'officer' ORDER BY u.login LIMIT 1), "
                          "  (SELECT u.id FROM users u WHERE u.office_id = ob.office_id "
                          "     AND u.role = 'responsible' ORDER BY u.login LIMIT 1) "
                          "FROM bodies b JOIN office_bodies ob ON ob.body_id = b.id "
                          "WHERE b.country = 'IT' ORDER BY b.name, ob.office_id LIMIT 1",
                          -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    {
      *out_body = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      *out_officer = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      *out_responsible = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      ok = *out_officer != NULL && *out_responsible != NULL;
    }
  sqlite3_finalize (stmt);

  if (!ok)
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                 "the demo database has no Italian body with an officer and a responsible");
  return ok;
}

static void
remove_database (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_remove (path);
  g_remove (wal);
  g_remove (shm);
}

/* Seconds of processor time this process used so far: beside the wall
 * clock, it shows how much of a slow run was waiting for a processor that
 * other programs held. */
static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6
         + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static void
print_row (const char *what,
           double      seconds,
           double      cpu,
           guint       rows)
{
  if (cpu >= 0)
    g_print ("  %-32s %8.2f %8.2f %12.0f\n", what, seconds, cpu, rows / seconds);
  else
    g_print ("  %-32s %8.2f %8s %12.0f\n", what, seconds, "-", rows / seconds);
}

int
main (int    argc,
      char **argv)
{
  const char *size = g_getenv ("ESATTORE_BENCH_ROWS");
  g_autofree char *csv = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *floor_path = NULL;
  g_autofree char *floor_command = NULL;
  g_autofree char *body = NULL;
  g_autofree char *officer = NULL;
  g_autofree char *responsible = NULL;
  g_autofree char *list_id = NULL;
  g_autofree char *floor_err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(EsaLoadListReader) reader = NULL;
  g_autoptr(EsaLoadListReport) report = NULL;
  g_autoptr(EsaLoadListRows) rows = NULL;
  EsaLoadListImportOptions options = { NULL, };
  EsaDemoOptions demo;
  guint64 n_rows = 200000;
  gint64 start;
  double read_s, import_s, floor_s, approve_s;
  double read_cpu, import_cpu, approve_cpu, cpu;
  int floor_status = 0;
  char *floor_argv[4] = { NULL, };

  if (size != NULL && !g_ascii_string_to_unsigned (size, 10, 10, 10000000, &n_rows, &error))
    goto failed;

  csv = g_strdup_printf ("bench-load-list-%" G_GUINT64_FORMAT ".csv", n_rows);
  db_path = g_strdup ("bench-load-list.db");
  floor_path = g_strdup ("bench-load-list-floor.db");

  g_printerr ("writing %" G_GUINT64_FORMAT " rows to %s\n", n_rows, csv);
  if (!write_file (csv, (guint) n_rows, &error))
    goto failed;

  /* A fresh database with the demo's bodies, offices and users. */
  remove_database (db_path);
  store = esa_store_open (db_path, &error);
  if (store == NULL)
    goto failed;
  esa_demo_options_init (&demo);
  demo.debtors = DEMO_DEBTORS;
  demo.seed = 1;
  if (!esa_demo_generate (store, &demo, &error)
      || !find_actors (store, &body, &officer, &responsible, &error))
    goto failed;

  /* Read and validate. */
  start = g_get_monotonic_time ();
  cpu = cpu_seconds ();
  reader = esa_load_list_reader_new (NULL);
  report = esa_load_list_report_new ();
  rows = esa_load_list_reader_read_file (reader, csv, report, NULL, &error);
  if (rows == NULL)
    goto failed;
  read_s = (g_get_monotonic_time () - start) / 1e6;
  read_cpu = cpu_seconds () - cpu;
  if (report->issues->len > 0)
    {
      const EsaLoadListIssue *issue = g_ptr_array_index (report->issues, 0);

      g_printerr ("line %u: %s\n", issue->line, issue->message);
      g_set_error (&error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%u rows rejected",
                   report->issues->len);
      goto failed;
    }

  /* Import, all in one transaction. */
  start = g_get_monotonic_time ();
  cpu = cpu_seconds ();
  options.file_name = csv;
  options.file_sha256 = esa_load_list_reader_get_sha256 (reader);
  options.user_id = officer;
  list_id = esa_store_import_load_list (store, body, rows, &options, report, &error);
  if (list_id == NULL)
    goto failed;
  import_s = (g_get_monotonic_time () - start) / 1e6;
  import_cpu = cpu_seconds () - cpu;

  start = g_get_monotonic_time ();
  cpu = cpu_seconds ();
  if (!esa_store_approve_load_list (store, list_id, responsible, &error))
    goto failed;
  approve_s = (g_get_monotonic_time () - start) / 1e6;
  approve_cpu = cpu_seconds () - cpu;
  g_clear_object (&store);

  /* The floor: the sqlite3 shell importing the same file into an empty
   * database. */
  remove_database (floor_path);
  floor_command = g_strdup_printf (".import --csv %s load_list", csv);
  floor_argv[0] = (char *) "sqlite3";
  floor_argv[1] = floor_path;
  floor_argv[2] = floor_command;
  start = g_get_monotonic_time ();
  if (!g_spawn_sync (NULL, floor_argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, &floor_err,
                     &floor_status, &error)
      || !g_spawn_check_wait_status (floor_status, &error))
    {
      g_printerr ("%s", floor_err != NULL ? floor_err : "");
      goto failed;
    }
  floor_s = (g_get_monotonic_time () - start) / 1e6;

  g_print ("load list of %" G_GUINT64_FORMAT " rows (%s)\n", n_rows, csv);
  g_print ("  %-32s %8s %8s %12s\n", "", "wall s", "cpu s", "rows/s");
  print_row ("read and validate", read_s, read_cpu, (guint) n_rows);
  print_row ("import (one transaction)", import_s, import_cpu, (guint) n_rows);
  print_row ("validate and import", read_s + import_s, read_cpu + import_cpu, (guint) n_rows);
  print_row ("sqlite3 .import (floor)", floor_s, -1, (guint) n_rows);
  print_row ("approval (one case per debtor)", approve_s, approve_cpu, (guint) n_rows);
  g_print ("  validate and import: %.1fx the floor; target under %.0f s: %s\n",
           (read_s + import_s) / floor_s, TARGET_S,
           read_s + import_s < TARGET_S ? "met" : "MISSED");

  /* Half a gigabyte of scratch files is not worth keeping. */
  remove_database (floor_path);
  remove_database (db_path);
  g_remove (csv);
  return read_s + import_s < TARGET_S ? 0 : 1;

failed:
  g_printerr ("bench-load-list: %s\n", error->message);
  return 1;
}
