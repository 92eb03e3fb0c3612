/* Mass printing: 10,000 injunctions with their pagoPA slips rendered by a
 * print batch (per-act PDFs, the combined print file, the journal and the
 * archive in the dossiers), in pages per second; beside it, LibreOffice
 * headless converting an equivalent one-page letter to PDF, and the ratio.
 *
 * The database is $ESATTORE_BENCH_DOCUMENTS_DB, or a demo database of
 * $ESATTORE_BENCH_DOCUMENTS_DEBTORS debtors (default 16000, which holds a
 * little more than 10,000 injunctions) made once beside this program. The
 * batch runs on a copy, so that its archived documents do not pile up from
 * one run to the next. $ESATTORE_BENCH_ACTS (default 10000) and
 * $ESATTORE_BENCH_THREADS (default 2) change the size and the threads.
 * Without soffice the comparison is skipped. */

#include "esa-config.h"

#include <glib/gstdio.h>
#include <poppler.h>
#include <sys/resource.h>
#include <sqlite3.h>
#include <string.h>

#include "esa-act-batch.h"
#include "esa-act-renderer.h"
#include "esa-demo.h"

#define LETTERS 20

static guint64
env_number (const char *name,
            guint64     fallback)
{
  const char *text = g_getenv (name);
  guint64 value;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT32, &value, NULL))
    return fallback;
  return value;
}

static char *
bench_database (GError **error)
{
  const char *env = g_getenv ("ESATTORE_BENCH_DOCUMENTS_DB");
  guint64 debtors = env_number ("ESATTORE_BENCH_DOCUMENTS_DEBTORS", 16000);
  g_autofree char *path = NULL;
  g_autofree char *partial = NULL;
  g_autoptr(EsaStore) store = NULL;
  EsaDemoOptions options;
  gint64 start;

  if (env != NULL && env[0] != '\0')
    return g_strdup (env);

  path = g_strdup_printf ("bench-documents-%" G_GUINT64_FORMAT ".db", debtors);
  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return g_canonicalize_filename (path, NULL);

  g_printerr ("generating a demo database of %" G_GUINT64_FORMAT " debtors in %s...\n", debtors,
              path);
  partial = g_strconcat (path, ".partial", NULL);
  g_remove (partial);
  store = esa_store_open (partial, error);
  if (store == NULL)
    return NULL;
  start = g_get_monotonic_time ();
  esa_demo_options_init (&options);
  options.debtors = (guint) debtors;
  options.today = "2026-11-23";
  if (!esa_demo_generate (store, &options, error))
    return NULL;
  g_clear_object (&store);
  g_printerr ("generated in %.1f s\n", (g_get_monotonic_time () - start) / 1e6);

  if (g_rename (partial, path) != 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot rename %s", partial);
      return NULL;
    }
  return g_canonicalize_filename (path, NULL);
}

/* The cases of the first @limit injunctions with something still to pay. */
static GStrv
injunction_cases (const char  *db_path,
                  guint        limit,
                  GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (db,
                             "SELECT DISTINCT a.case_id FROM acts a WHERE a.type = 'injunction' "
                             "ORDER BY a.case_id LIMIT ?1", -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: %s", db_path,
                   sqlite3_errmsg (db));
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_bind_int (stmt, 1, (int) limit);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_strv_builder_end (builder);
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6
         + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

/* The first three figures of /proc/loadavg and a line break. */
static char *
load_average (void)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return g_strdup ("unknown\n");
  fields = g_strsplit (text, " ", 4);
  if (g_strv_length (fields) < 3)
    return g_strdup ("unknown\n");
  return g_strdup_printf ("%s %s %s\n", fields[0], fields[1], fields[2]);
}

static void
on_progress (guint       done,
             guint       total,
             const char *item,
             gpointer    user_data)
{
  if (done % 1000 == 0 || done == total)
    g_printerr ("  %u/%u\n", done, total);
}

static gboolean
remove_tree (const char *path)
{
  const char *argv[] = { "rm", "-rf", path, NULL };

  return g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                       NULL, NULL);
}

/* ---- LibreOffice ---------------------------------------------------------- */

/* A one-page letter like the injunction: letterhead, address, title, the
 * same paragraphs and an eight-column amounts table, as flat ODF. */
static char *
letter_fodt (guint n)
{
  static const char * const paragraphs[] = {
    "Il funzionario responsabile della riscossione coattiva del Comune di Valsera, visti gli "
    "atti d’ufficio, premesso che il contribuente è debitore di questo ente per Imposta "
    "municipale propria (IMU) relativa all’anno 2025, in forza dell’avviso di accertamento "
    "esecutivo regolarmente notificato, divenuto definitivo e rimasto non pagato;",
    "INGIUNGE di pagare a questo ente la somma complessiva indicata entro 30 giorni dalla "
    "notifica del presente atto, secondo il seguente prospetto:",
    "Decorso inutilmente il termine, senza ulteriore avviso l’ente procederà all’esecuzione "
    "forzata e potrà adottare il fermo amministrativo dei veicoli, l’iscrizione di ipoteca e il "
    "pignoramento presso terzi di stipendi, pensioni e conti correnti. Le spese di queste "
    "procedure saranno a carico del debitore.",
    "Contro il presente atto è ammesso ricorso alla Corte di giustizia tributaria di primo grado "
    "entro 60 giorni dalla notifica. Il pagamento si esegue con l’avviso pagoPA allegato.",
  };
  static const char * const headers[] = {
    "Titolo", "Scadenza", "Tributo", "Sanzioni", "Interessi", "Spese", "Pagato", "Dovuto",
  };
  GString *xml = g_string_new (NULL);

  g_string_append (xml,
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<office:document xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
    "xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" "
    "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "
    "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "
    "xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\" "
    "office:version=\"1.2\" office:mimetype=\"application/vnd.oasis.opendocument.text\">\n"
    "<office:font-face-decls><style:font-face style:name=\"Nimbus Sans\" "
    "svg:font-family=\"'Nimbus Sans'\" xmlns:svg=\"urn:oasis:names:tc:opendocument:xmlns:"
    "svg-compatible:1.0\"/></office:font-face-decls>\n"
    "<office:styles><style:default-style style:family=\"paragraph\"><style:text-properties "
    "style:font-name=\"Nimbus Sans\" fo:font-size=\"10pt\"/></style:default-style>"
    "<style:style style:name=\"Title\" style:family=\"paragraph\"><style:text-properties "
    "fo:font-size=\"14pt\" fo:font-weight=\"bold\"/></style:style>"
    "<style:style style:name=\"Body\" style:family=\"paragraph\"><style:paragraph-properties "
    "fo:text-align=\"justify\" fo:margin-top=\"0.2cm\"/></style:style></office:styles>\n"
    "<office:automatic-styles><style:page-layout style:name=\"A4\"><style:page-layout-properties "
    "fo:page-width=\"21cm\" fo:page-height=\"29.7cm\" fo:margin-left=\"2cm\" "
    "fo:margin-right=\"2cm\" fo:margin-top=\"1.5cm\" fo:margin-bottom=\"1.5cm\"/>"
    "</style:page-layout></office:automatic-styles>\n"
    "<office:master-styles><style:master-page style:name=\"Standard\" "
    "style:page-layout-name=\"A4\"/></office:master-styles>\n"
    "<office:body><office:text>\n");
  g_string_append (xml, "<text:p text:style-name=\"Title\">Comune di Valsera</text:p>\n"
                        "<text:p>Servizio Riscossione Coattiva · Piazza del Municipio 1 · "
                        "27048 Valsera (PV)</text:p>\n<text:p/>\n");
  g_string_append_printf (xml, "<text:p>Atto n. ING-2026-%06u · 23 novembre 2026</text:p>\n"
                               "<text:p>Rossi Mario %u</text:p><text:p>Via Roma %u</text:p>"
                               "<text:p>27048 Valsera</text:p>\n<text:p/>\n", n, n, n + 1);
  g_string_append (xml, "<text:p text:style-name=\"Title\">Ingiunzione di pagamento</text:p>\n");
  for (gsize i = 0; i < G_N_ELEMENTS (paragraphs); i++)
    {
      g_string_append_printf (xml, "<text:p text:style-name=\"Body\">%s</text:p>\n",
                              paragraphs[i]);
      if (i == 1)
        {
          g_string_append (xml, "<table:table table:name=\"Importi\">"
                                "<table:table-column table:number-columns-repeated=\"8\"/>"
                                "<table:table-row>");
          for (gsize h = 0; h < G_N_ELEMENTS (headers); h++)
            g_string_append_printf (xml, "<table:table-cell office:value-type=\"string\">"
                                         "<text:p>%s</text:p></table:table-cell>", headers[h]);
          g_string_append (xml, "</table:table-row><table:table-row>");
          g_string_append_printf (xml, "<table:table-cell><text:p>IMU 2025</text:p>"
                                       "</table:table-cell><table:table-cell><text:p>"
                                       "03/10/2025</text:p></table:table-cell>");
          for (gsize c = 0; c < 6; c++)
            g_string_append_printf (xml, "<table:table-cell><text:p>%u,%02u</text:p>"
                                         "</table:table-cell>", 100 + n * 7 + (guint) c,
                                    (guint) (c * 13 % 100));
          g_string_append (xml, "</table:table-row></table:table>\n");
        }
    }
  g_string_append (xml, "<text:p/><text:p>Valsera, 23 novembre 2026 — Il funzionario "
                        "responsabile</text:p>\n</office:text></office:body></office:document>\n");
  return g_string_free (xml, FALSE);
}

static guint
count_pages (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *uri = g_file_get_uri (file);
  PopplerDocument *document = poppler_document_new_from_file (uri, NULL, NULL);
  guint pages;

  if (document == NULL)
    return 0;
  pages = (guint) poppler_document_get_n_pages (document);
  g_object_unref (document);
  return pages;
}

/* Pages per second of soffice converting LETTERS letters in one run;
 * 0 when soffice is missing or fails. */
static double
libreoffice_pages_per_second (double *out_seconds,
                              guint  *out_pages)
{
  g_autofree char *soffice = g_find_program_in_path ("soffice");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *profile = NULL;
  g_autofree char *profile_uri = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  gint64 start;
  double seconds;
  guint pages = 0;
  int status = 0;

  if (soffice == NULL)
    return 0;

  dir = g_dir_make_tmp ("esattore-bench-lo-XXXXXX", &error);
  if (dir == NULL)
    return 0;
  profile = g_build_filename (dir, "profile", NULL);
  profile_uri = g_filename_to_uri (profile, NULL, NULL);
  out = g_build_filename (dir, "pdf", NULL);

  g_ptr_array_add (argv, g_strdup (soffice));
  g_ptr_array_add (argv, g_strdup_printf ("-env:UserInstallation=%s", profile_uri));
  g_ptr_array_add (argv, g_strdup ("--headless"));
  g_ptr_array_add (argv, g_strdup ("--convert-to"));
  g_ptr_array_add (argv, g_strdup ("pdf"));
  g_ptr_array_add (argv, g_strdup ("--outdir"));
  g_ptr_array_add (argv, g_strdup (out));
  for (guint i = 0; i < LETTERS; i++)
    {
      g_autofree char *xml = letter_fodt (i + 1);
      char *path = g_strdup_printf ("%s/letter-%02u.fodt", dir, i + 1);

      g_file_set_contents (path, xml, -1, NULL);
      g_ptr_array_add (argv, path);
    }
  g_ptr_array_add (argv, NULL);

  /* The first run creates LibreOffice's profile: not timed. */
  {
    const char *warm[] = { soffice, NULL, "--headless", "--terminate_after_init", NULL };
    g_autofree char *env = g_strdup_printf ("-env:UserInstallation=%s", profile_uri);

    warm[1] = env;
    g_spawn_sync (NULL, (char **) warm, NULL,
                  G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL,
                  NULL, NULL, NULL);
  }

  start = g_get_monotonic_time ();
  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL,
                     G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL,
                     NULL, &status, &error)
      || !g_spawn_check_wait_status (status, NULL))
    {
      remove_tree (dir);
      return 0;
    }
  seconds = (g_get_monotonic_time () - start) / 1e6;

  for (guint i = 0; i < LETTERS; i++)
    {
      g_autofree char *pdf = g_strdup_printf ("%s/letter-%02u.pdf", out, i + 1);

      pages += count_pages (pdf);
    }
  remove_tree (dir);

  *out_seconds = seconds;
  *out_pages = pages;
  return pages > 0 ? pages / seconds : 0;
}

/* ---- main --------------------------------------------------------------- */

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) cases = NULL;
  g_autoptr(GFile) from = NULL;
  g_autoptr(GFile) to = NULL;
  g_autoptr(EsaActBatch) batch = NULL;
  g_autoptr(EsaActBatchReport) report = NULL;
  guint acts = (guint) env_number ("ESATTORE_BENCH_ACTS", 10000);
  guint threads = (guint) env_number ("ESATTORE_BENCH_THREADS", 2);
  double pages_per_second;
  double cpu_start;
  double cpu;
  g_autofree char *load = NULL;
  double lo_seconds = 0;
  guint lo_pages = 0;
  double lo;

  db = bench_database (&error);
  if (db == NULL)
    {
      g_printerr ("bench-documents: %s\n", error->message);
      return 1;
    }
  cases = injunction_cases (db, acts, &error);
  if (cases == NULL)
    {
      g_printerr ("bench-documents: %s\n", error->message);
      return 1;
    }

  /* A copy of the database: the batch archives every act in it. */
  tmp = g_dir_make_tmp ("esattore-bench-documents-XXXXXX", &error);
  g_assert_no_error (error);
  copy = g_build_filename (tmp, "bench.db", NULL);
  from = g_file_new_for_path (db);
  to = g_file_new_for_path (copy);
  if (!g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &error))
    {
      g_printerr ("bench-documents: %s\n", error->message);
      return 1;
    }
  out = g_build_filename (tmp, "print", NULL);

  g_printerr ("printing %u injunctions on %u threads...\n", g_strv_length (cases), threads);
  batch = esa_act_batch_new (copy, out);
  esa_act_batch_set_cases (batch, (const char * const *) cases);
  esa_act_batch_set_act_type (batch, "injunction");
  esa_act_batch_set_threads (batch, threads);
  cpu_start = cpu_seconds ();
  report = esa_act_batch_run (batch, NULL, on_progress, NULL, &error);
  cpu = cpu_seconds () - cpu_start;
  if (report == NULL)
    {
      g_printerr ("bench-documents: %s\n", error->message);
      remove_tree (tmp);
      return 1;
    }
  pages_per_second = report->pages / report->seconds;

  g_print ("database: %s\n", db);
  g_print ("esattore batch: %u injunctions (%u failed), %u pages, %u threads, %.1f s: "
           "%.0f pages/s, %.0f acts/s (goal: 200 pages/s)\n",
           report->generated, report->failed, report->pages, threads, report->seconds,
           pages_per_second, report->generated / report->seconds);
  g_print ("  (per-act PDFs, combined print file of %u pages, journal, %u documents archived)\n",
           count_pages (report->print_file), report->archived);
  /* The machine's two cores are shared: the CPU time says what the batch
   * would do on cores of its own. */
  load = load_average ();
  g_print ("  CPU time %.1f s (user + system, all threads): %.0f pages per CPU second, "
           "%.1f ms of CPU per act; load average at the end %s", cpu, report->pages / cpu,
           1000.0 * cpu / MAX (report->generated, 1), load);
  remove_tree (tmp);

  lo = libreoffice_pages_per_second (&lo_seconds, &lo_pages);
  if (lo <= 0)
    g_print ("libreoffice: soffice not found or failed; comparison skipped\n");
  else
    {
      g_print ("libreoffice headless: %d one-page letters (.fodt), %u pages in one "
               "invocation, %.1f s: %.1f pages/s\n", LETTERS, lo_pages, lo_seconds, lo);
      g_print ("ratio: esattore %.0f times as many pages per second as LibreOffice headless\n",
               pages_per_second / lo);
    }

  return report->failed > 0 ? 1 : 0;
}
