/* The "act" command: acts as PDF, one at a time or as a print batch. */

#include "esa-config.h"

#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "esa-act-batch.h"
#include "esa-act-renderer.h"
#include "esa-cli.h"
#include "esa-documents-error.h"

static int act_render (EsaCliContext *cli, int argc, char **argv);
static int act_batch  (EsaCliContext *cli, int argc, char **argv);

static const EsaCliSubcommand subcommands[] = {
  { "render", "act render", N_("Write one act as a PDF and archive it in its dossier"),
    act_render },
  { "batch", "act batch", N_("Print the acts of a load list or of a list of cases"), act_batch },
};

/* A documents error is the machine's or the files' (a broken template, a
 * missing logo, a full disk); a store error is reported as the store says. */
static int
report_error (EsaCliContext *cli,
              const GError  *error)
{
  if (error->domain == ESA_DOCUMENTS_ERROR)
    {
      esa_cli_printerr ("%s", error->message);
      return error->code == ESA_DOCUMENTS_ERROR_DATA ? ESA_CLI_EXIT_INVALID
                                                     : ESA_CLI_EXIT_FAILURE;
    }
  return esa_cli_report_error (cli, error);
}

/* ---- act render ---------------------------------------------------------- */

static int
act_render (EsaCliContext *cli,
            int            argc,
            char         **argv)
{
  g_autofree char *output = NULL;
  g_autofree char *language = NULL;
  g_autofree char *templates = NULL;
  gboolean no_archive = FALSE;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write the PDF to FILE"),
      N_("FILE") },
    { "lang", 0, 0, G_OPTION_ARG_STRING, &language,
      N_("The language of the act: it, de, fr or en (default: the body’s)"), N_("LANG") },
    { "templates", 0, 0, G_OPTION_ARG_FILENAME, &templates,
      N_("Read the templates from DIR instead of the shipped ones"), N_("DIR") },
    { "no-archive", 0, 0, G_OPTION_ARG_NONE, &no_archive,
      N_("Do not archive the PDF in the dossier"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(EsaActData) data = NULL;
  g_autoptr(EsaActRenderer) renderer = NULL;
  g_autoptr(EsaRenderedAct) act = NULL;
  g_autoptr(EsaAttachments) attachments = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *document_id = NULL;
  GBytes *pdf;
  gboolean added = FALSE;
  int status;

  if (!esa_cli_parse_options (cli, _("ACT_ID"),
                              _("Lays out the act from its template, with its payment slips, "
                                "writes it as a PDF and archives it in the dossier."),
                              entries, 1, 1, &argc, &argv, &status))
    return status;
  if (output == NULL)
    {
      esa_cli_printerr (_("act render: -o FILE is needed"));
      return ESA_CLI_EXIT_INVALID;
    }

  store = esa_cli_open_store (cli, FALSE, &status);
  if (store == NULL)
    return status;

  data = esa_store_load_act_data (store, argv[1], &error);
  if (data == NULL)
    return report_error (cli, error);

  renderer = esa_act_renderer_new (templates);
  esa_act_renderer_set_language (renderer, language);
  act = esa_act_renderer_render (renderer, data, &error);
  if (act == NULL)
    return report_error (cli, error);

  pdf = esa_rendered_act_get_pdf (act);
  if (!g_file_set_contents (output, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf),
                            &error))
    {
      esa_cli_printerr ("%s", error->message);
      return ESA_CLI_EXIT_FAILURE;
    }

  if (!no_archive)
    {
      attachments = esa_act_attachments_for_store (store, &error);
      if (attachments != NULL)
        document_id = esa_act_archive (store, attachments, data, esa_rendered_act_get_title (act),
                                       pdf, &added, &error);
      if (document_id == NULL)
        return report_error (cli, error);
    }

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      esa_cli_json_add_string (builder, "file", output);
      esa_cli_json_add_string (builder, "act", data->act->id);
      esa_cli_json_add_string (builder, "number", data->act->number);
      esa_cli_json_add_string (builder, "type", data->act->type);
      esa_cli_json_add_int (builder, "pages", esa_rendered_act_get_n_pages (act));
      esa_cli_json_add_int (builder, "bytes", (gint64) g_bytes_get_size (pdf));
      esa_cli_json_add_string (builder, "document", document_id);
      json_builder_set_member_name (builder, "archived");
      json_builder_add_boolean_value (builder, added);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      return esa_cli_print_json (root);
    }

  g_print (g_dngettext (GETTEXT_PACKAGE, "%s: act %s, %u page\n", "%s: act %s, %u pages\n",
                        esa_rendered_act_get_n_pages (act)),
           output, data->act->number, esa_rendered_act_get_n_pages (act));
  if (document_id != NULL)
    g_print (added ? _("Archived in the dossier as document %s\n")
                   : _("Already archived in the dossier as document %s\n"),
             document_id);
  return ESA_CLI_EXIT_OK;
}

/* ---- act batch ----------------------------------------------------------- */

typedef struct
{
  GMainLoop         *loop;
  GCancellable      *cancellable;
  EsaActBatchReport *report;
  GError            *error;
  gboolean           tty;
  gint64             last;
} BatchRun;

static void
on_progress (guint       done,
             guint       total,
             const char *item,
             gpointer    user_data)
{
  BatchRun *run = user_data;
  gint64 now = g_get_monotonic_time ();

  /* A terminal gets one line rewritten; a log one line a second. */
  if (!run->tty && done < total && now - run->last < G_USEC_PER_SEC)
    return;
  run->last = now;
  /* Translators: progress of a print batch: "120/1000 ING-2026-000123" */
  g_printerr (_("%s%u/%u %s"), run->tty ? "\r\033[K" : "", done, total,
              item != NULL ? item : "");
  if (!run->tty || done == total)
    g_printerr ("\n");
}

static void
on_batch_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  BatchRun *run = user_data;

  run->report = esa_act_batch_run_finish (ESA_ACT_BATCH (source), result, &run->error);
  g_main_loop_quit (run->loop);
}

static gboolean
on_interrupt (gpointer user_data)
{
  BatchRun *run = user_data;

  g_cancellable_cancel (run->cancellable);
  return G_SOURCE_CONTINUE;
}

/* The case ids of @path, one a line ("-" for standard input); blank lines
 * and lines starting with # are skipped. */
static GStrv
read_case_ids (const char  *path,
               GError     **error)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();

  if (g_strcmp0 (path, "-") == 0)
    {
      GString *text = g_string_new (NULL);
      char buffer[4096];
      size_t n;

      while ((n = fread (buffer, 1, sizeof buffer, stdin)) > 0)
        g_string_append_len (text, buffer, (gssize) n);
      contents = g_string_free (text, FALSE);
    }
  else if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);

      if (*line != '\0' && *line != '#')
        g_strv_builder_add (ids, line);
    }
  return g_strv_builder_end (ids);
}

static int
act_batch (EsaCliContext *cli,
           int            argc,
           char         **argv)
{
  g_autofree char *output = NULL;
  g_autofree char *load_list = NULL;
  g_autofree char *cases_file = NULL;
  g_autofree char *type = NULL;
  g_autofree char *language = NULL;
  g_autofree char *templates = NULL;
  gint threads = 0;
  gboolean no_archive = FALSE;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "load-list", 0, 0, G_OPTION_ARG_STRING, &load_list,
      N_("Print the injunctions of the cases of this approved load list"), N_("ID") },
    { "cases", 0, 0, G_OPTION_ARG_FILENAME, &cases_file,
      N_("Print the latest act of each case listed in FILE, one id a line (- for standard "
         "input)"), N_("FILE") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the PDFs, the print file and the journal to DIR"), N_("DIR") },
    { "type", 0, 0, G_OPTION_ARG_STRING, &type,
      N_("The act type to print of each case (injunction, payment_order, …)"), N_("TYPE") },
    { "lang", 0, 0, G_OPTION_ARG_STRING, &language,
      N_("The language of the acts: it, de, fr or en (default: each body’s)"), N_("LANG") },
    { "templates", 0, 0, G_OPTION_ARG_FILENAME, &templates,
      N_("Read the templates from DIR instead of the shipped ones"), N_("DIR") },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads,
      N_("Rendering threads (default: one per processor)"), N_("N") },
    { "no-archive", 0, 0, G_OPTION_ARG_NONE, &no_archive,
      N_("Do not archive the PDFs in the dossiers"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(EsaActBatch) batch = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(EsaActBatchReport) report = NULL;
  const char *db_path;
  BatchRun run = { NULL, };
  guint signal_id;
  int status;

  if (!esa_cli_parse_options (cli, "",
                              _("Renders the acts on several threads into one PDF per act and "
                                "one print file, archives them, and keeps a journal: run it "
                                "again in the same folder after a crash or an interruption and "
                                "it goes on where it stopped. Progress goes to standard error."),
                              entries, 0, 0, &argc, &argv, &status))
    return status;
  if ((load_list == NULL) == (cases_file == NULL))
    {
      esa_cli_printerr (_("act batch: give either --load-list ID or --cases FILE"));
      return ESA_CLI_EXIT_INVALID;
    }
  if (output == NULL)
    {
      esa_cli_printerr (_("act batch: -o DIR is needed"));
      return ESA_CLI_EXIT_INVALID;
    }
  if (threads < 0)
    {
      esa_cli_printerr (_("act batch: --threads must be 0 or more"));
      return ESA_CLI_EXIT_INVALID;
    }

  db_path = esa_cli_get_db_path (cli);
  {
    /* Opened here first, so that a missing or foreign database is
     * reported the way every command reports it. */
    g_autoptr(EsaStore) store = esa_cli_open_store (cli, FALSE, &status);

    if (store == NULL)
      return status;
  }

  batch = esa_act_batch_new (db_path, output);
  if (load_list != NULL)
    esa_act_batch_set_load_list (batch, load_list);
  else
    {
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) ids = read_case_ids (cases_file, &error);

      if (ids == NULL)
        {
          esa_cli_printerr ("%s", error->message);
          return ESA_CLI_EXIT_INVALID;
        }
      esa_act_batch_set_cases (batch, (const char * const *) ids);
    }
  esa_act_batch_set_act_type (batch, type);
  esa_act_batch_set_language (batch, language);
  esa_act_batch_set_templates_dir (batch, templates);
  esa_act_batch_set_archive (batch, !no_archive);
  esa_act_batch_set_threads (batch, (guint) threads);

  /* In the background with a main loop here, so that Ctrl+C cancels the
   * batch cleanly: what was finished stays in the journal. */
  loop = g_main_loop_new (NULL, FALSE);
  cancellable = g_cancellable_new ();
  run.loop = loop;
  run.cancellable = cancellable;
  run.tty = isatty (fileno (stderr));
  signal_id = g_unix_signal_add (SIGINT, on_interrupt, &run);
  esa_act_batch_run_async (batch, cancellable, on_progress, &run, NULL, on_batch_done, &run);
  g_main_loop_run (loop);
  g_source_remove (signal_id);

  if (run.report == NULL)
    {
      g_autoptr(GError) error = run.error;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          esa_cli_printerr ("%s", error->message);
          return ESA_CLI_EXIT_FAILURE;
        }
      return report_error (cli, error);
    }
  report = run.report;

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      esa_cli_json_add_int (builder, "total", report->total);
      esa_cli_json_add_int (builder, "generated", report->generated);
      esa_cli_json_add_int (builder, "skipped", report->skipped);
      esa_cli_json_add_int (builder, "failed", report->failed);
      esa_cli_json_add_int (builder, "pages", report->pages);
      esa_cli_json_add_int (builder, "archived", report->archived);
      json_builder_set_member_name (builder, "seconds");
      json_builder_add_double_value (builder, report->seconds);
      esa_cli_json_add_string (builder, "print_file", report->print_file);
      esa_cli_json_add_string (builder, "journal", report->journal_file);
      json_builder_set_member_name (builder, "failures");
      json_builder_begin_array (builder);
      for (guint i = 0; i < report->failures->len; i++)
        {
          const EsaActBatchFailure *failure = g_ptr_array_index (report->failures, i);

          json_builder_begin_object (builder);
          esa_cli_json_add_string (builder, "case", failure->case_id);
          esa_cli_json_add_string (builder, "act", failure->act_id);
          esa_cli_json_add_string (builder, "number", failure->act_number);
          esa_cli_json_add_string (builder, "message", failure->message);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      status = esa_cli_print_json (root);
      if (status != ESA_CLI_EXIT_OK)
        return status;
    }
  else
    {
      g_autoptr(EsaCliTable) table = esa_cli_table_new_plain (2);
      g_autofree char *generated = g_strdup_printf ("%u", report->generated);
      g_autofree char *skipped = g_strdup_printf ("%u", report->skipped);
      g_autofree char *failed = g_strdup_printf ("%u", report->failed);
      g_autofree char *pages = g_strdup_printf ("%u", report->pages);
      g_autofree char *archived = g_strdup_printf ("%u", report->archived);

      esa_cli_table_align_right (table, 1);
      esa_cli_table_add_row (table, _("Generated"), generated);
      esa_cli_table_add_row (table, _("Done before"), skipped);
      esa_cli_table_add_row (table, _("Failed"), failed);
      esa_cli_table_add_row (table, _("Pages"), pages);
      esa_cli_table_add_row (table, _("Archived"), archived);
      esa_cli_table_print (table, 0);
      if (report->print_file != NULL)
        g_print (_("Print file: %s\n"), report->print_file);
      for (guint i = 0; i < report->failures->len; i++)
        {
          const EsaActBatchFailure *failure = g_ptr_array_index (report->failures, i);

          /* Translators: a failed act of a batch: "case ID (act NUMBER): why" */
          g_print (_("Failed: case %s (%s): %s\n"), failure->case_id,
                   failure->act_number != NULL ? failure->act_number : "-", failure->message);
        }
    }

  /* A batch with failures is not a success for a script. */
  return report->failed > 0 ? ESA_CLI_EXIT_FAILURE : ESA_CLI_EXIT_OK;
}

/* ---- the command -------------------------------------------------------- */

int
esa_cli_act (EsaCliContext *cli,
             int            argc,
             char         **argv)
{
  return esa_cli_run_subcommand (cli, argc, argv, subcommands, G_N_ELEMENTS (subcommands));
}
