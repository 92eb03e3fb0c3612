/* Pieces shared by the commands of esattore-cli: options, opening the
 * database, error reporting, JSON and table output. */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "esa-cli.h"

struct _EsaCliTable
{
  guint      n_columns;
  GPtrArray *headers;       /* char * */
  gboolean  *right_aligned;
  GPtrArray *rows;          /* GStrv, n_columns each */
};

const char *
esa_cli_get_db_path (EsaCliContext *cli)
{
  return cli->command_db != NULL ? cli->command_db : cli->global_db;
}

void
esa_cli_printerr (const char *format,
                  ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("%s: %s\n", g_get_prgname (), message);
}

gboolean
esa_cli_parse_options (EsaCliContext       *cli,
                       const char          *parameter_string,
                       const char          *summary,
                       const GOptionEntry  *entries,
                       int                  n_args_min,
                       int                  n_args_max,
                       int                 *argc,
                       char              ***argv,
                       int                 *out_status)
{
  const GOptionEntry db_entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &cli->command_db,
      N_("The Esattore database to work on"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *program = g_strdup (g_get_prgname ());
  g_autofree char *usage_name = NULL;
  const char *db_usage = cli->uses_db ? " [--db FILE]" : "";
  int n_args;
  int i;

  usage_name = g_strdup_printf ("%s%s %s", program, db_usage, cli->command);

  context = g_option_context_new (parameter_string);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (summary != NULL)
    g_option_context_set_summary (context, summary);
  if (cli->uses_db)
    g_option_context_add_main_entries (context, db_entries, GETTEXT_PACKAGE);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  /* GOption names the program in its usage line; the command belongs there
   * too, so that "search --help" reads "esattore-cli [--db FILE] search …". */
  g_set_prgname (usage_name);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_set_prgname (program);
      esa_cli_printerr ("%s", error->message);
      /* Translators: the first %s is the program's name, the second a command:
       * "esattore-cli search --help" */
      g_printerr (_("Run “%s %s --help” to see its options.\n"), program, cli->command);
      *out_status = ESA_CLI_EXIT_INVALID;
      return FALSE;
    }
  g_set_prgname (program);

  /* GOption leaves the "--" that ends the options in argv when an argument
   * after it starts with a dash ("dossier -- -x"); it is no argument. */
  for (i = 1; i < *argc; i++)
    if (strcmp ((*argv)[i], "--") == 0)
      {
        memmove (*argv + i, *argv + i + 1, (size_t) (*argc - i) * sizeof (char *));
        (*argc)--;
        break;
      }

  n_args = *argc - 1;
  if (n_args < n_args_min || (n_args_max >= 0 && n_args > n_args_max))
    {
      if (n_args < n_args_min)
        esa_cli_printerr (_("%s: missing argument; usage: %s %s"),
                          cli->command, usage_name, parameter_string);
      else
        esa_cli_printerr (_("%s: unexpected argument “%s”; usage: %s %s"),
                          cli->command, (*argv)[1 + n_args_max], usage_name, parameter_string);
      *out_status = ESA_CLI_EXIT_INVALID;
      return FALSE;
    }

  *out_status = ESA_CLI_EXIT_OK;
  return TRUE;
}

EsaStore *
esa_cli_open_store (EsaCliContext *cli,
                    gboolean       create,
                    int           *out_status)
{
  const char *path = esa_cli_get_db_path (cli);
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (path == NULL || path[0] == '\0')
    {
      esa_cli_printerr (_("%s needs a database: usage: %s --db FILE %s …"),
                        cli->command, g_get_prgname (), cli->command);
      *out_status = ESA_CLI_EXIT_INVALID;
      return NULL;
    }

  /* Reading commands never create a database: a mistyped name should say so
   * rather than show an empty one. */
  if (!create && !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      /* Translators: %s are the file name, the program's name, the file name */
      esa_cli_printerr (_("%s: no such database; create it with “%s --db %s init”"),
                        path, g_get_prgname (), path);
      *out_status = ESA_CLI_EXIT_FAILURE;
      return NULL;
    }

  store = esa_store_open (path, &error);
  if (store == NULL)
    {
      *out_status = esa_cli_report_error (cli, error);
      return NULL;
    }

  *out_status = ESA_CLI_EXIT_OK;
  return g_steal_pointer (&store);
}

static int
status_for_error (const GError *error)
{
  if (error->domain == ESA_CORE_ERROR)
    return ESA_CLI_EXIT_INVALID;

  if (error->domain == ESA_STORE_ERROR)
    {
      switch ((EsaStoreError) error->code)
        {
        case ESA_STORE_ERROR_NOT_FOUND:
        case ESA_STORE_ERROR_INVALID:
        case ESA_STORE_ERROR_FORBIDDEN:
        case ESA_STORE_ERROR_AUDIT_BROKEN:
          return ESA_CLI_EXIT_INVALID;

        case ESA_STORE_ERROR_NOT_A_DATABASE:
        case ESA_STORE_ERROR_FOREIGN:
        case ESA_STORE_ERROR_TOO_NEW:
        case ESA_STORE_ERROR_CORRUPT:
        case ESA_STORE_ERROR_IO:
        default:
          return ESA_CLI_EXIT_FAILURE;
        }
    }

  return ESA_CLI_EXIT_FAILURE;
}

int
esa_cli_report_error (EsaCliContext *cli,
                      const GError  *error)
{
  const char *path = esa_cli_get_db_path (cli);
  int status = status_for_error (error);

  /* A failure is about the file: name it, so that a nightly job's log says
   * which database needs attention. */
  if (status == ESA_CLI_EXIT_FAILURE && path != NULL && strstr (error->message, path) == NULL)
    esa_cli_printerr ("%s: %s", path, error->message);
  else
    esa_cli_printerr ("%s", error->message);

  return status;
}

int
esa_cli_print_json (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  gsize length = 0;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);

  /* Not g_print(): it converts to the locale's character set, and JSON is
   * UTF-8 whatever the locale. */
  if (fwrite (text, 1, length, stdout) != length || fputc ('\n', stdout) == EOF)
    {
      esa_cli_printerr (_("cannot write the output: %s"), g_strerror (errno));
      return ESA_CLI_EXIT_FAILURE;
    }

  return ESA_CLI_EXIT_OK;
}

int
esa_cli_print_json_rows (GPtrArray         *rows,
                         EsaCliJsonRowFunc  add_row)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < rows->len; i++)
    {
      json_builder_begin_object (builder);
      add_row (builder, g_ptr_array_index (rows, i));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);

  return esa_cli_print_json (root);
}

void
esa_cli_json_add_string (JsonBuilder *builder,
                         const char  *name,
                         const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
esa_cli_json_add_int (JsonBuilder *builder,
                      const char  *name,
                      gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

EsaCliTable *
esa_cli_table_new (const char *first_header,
                   ...)
{
  EsaCliTable *table = g_new0 (EsaCliTable, 1);
  const char *header;
  va_list args;

  table->headers = g_ptr_array_new_with_free_func (g_free);
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  va_start (args, first_header);
  for (header = first_header; header != NULL; header = va_arg (args, const char *))
    g_ptr_array_add (table->headers, g_strdup (header));
  va_end (args);

  table->n_columns = table->headers->len;
  table->right_aligned = g_new0 (gboolean, table->n_columns);

  return table;
}

EsaCliTable *
esa_cli_table_new_plain (guint n_columns)
{
  EsaCliTable *table = g_new0 (EsaCliTable, 1);

  table->headers = g_ptr_array_new_with_free_func (g_free);
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  table->n_columns = n_columns;
  table->right_aligned = g_new0 (gboolean, n_columns);

  return table;
}

void
esa_cli_table_align_right (EsaCliTable *table,
                           guint        column)
{
  g_return_if_fail (column < table->n_columns);

  table->right_aligned[column] = TRUE;
}

void
esa_cli_table_add_row (EsaCliTable *table,
                       const char  *first_value,
                       ...)
{
  char **row = g_new0 (char *, table->n_columns + 1);
  va_list args;
  guint i;

  va_start (args, first_value);
  for (i = 0; i < table->n_columns; i++)
    {
      const char *value = i == 0 ? first_value : va_arg (args, const char *);

      row[i] = g_strdup (value != NULL ? value : "");
    }
  va_end (args);

  g_ptr_array_add (table->rows, row);
}

static void
append_cell (GString    *line,
             const char *text,
             guint       width,
             gboolean    right_aligned,
             gboolean    last)
{
  guint length = g_utf8_strlen (text, -1);
  guint pad = width > length ? width - length : 0;

  if (right_aligned)
    {
      g_string_append_printf (line, "%*s", (int) pad, "");
      g_string_append (line, text);
    }
  else
    {
      g_string_append (line, text);
      if (!last)
        g_string_append_printf (line, "%*s", (int) pad, "");
    }
}

void
esa_cli_table_print (EsaCliTable *table,
                     guint        indent)
{
  g_autofree guint *widths = g_new0 (guint, table->n_columns);
  g_autoptr(GString) line = g_string_new (NULL);
  gboolean titled = table->headers->len > 0;
  guint i, j;

  for (j = 0; j < table->headers->len; j++)
    widths[j] = g_utf8_strlen (g_ptr_array_index (table->headers, j), -1);
  for (i = 0; i < table->rows->len; i++)
    {
      char **row = g_ptr_array_index (table->rows, i);

      for (j = 0; j < table->n_columns; j++)
        widths[j] = MAX (widths[j], (guint) g_utf8_strlen (row[j], -1));
    }

  for (i = titled ? 0 : 1; i <= table->rows->len; i++)
    {
      g_string_truncate (line, 0);
      g_string_append_printf (line, "%*s", (int) indent, "");
      for (j = 0; j < table->n_columns; j++)
        {
          const char *text = i == 0
            ? g_ptr_array_index (table->headers, j)
            : ((char **) g_ptr_array_index (table->rows, i - 1))[j];

          if (j > 0)
            g_string_append (line, "  ");
          append_cell (line, text, widths[j], table->right_aligned[j],
                       j + 1 == table->n_columns);
        }
      g_print ("%s\n", line->str);
    }
}

void
esa_cli_table_free (EsaCliTable *table)
{
  if (table == NULL)
    return;

  g_ptr_array_unref (table->headers);
  g_ptr_array_unref (table->rows);
  g_free (table->right_aligned);
  g_free (table);
}

/* ---- subcommands ----------------------------------------------------------- */

int
esa_cli_run_subcommand (EsaCliContext          *cli,
                        int                     argc,
                        char                  **argv,
                        const EsaCliSubcommand *subcommands,
                        guint                   n_subcommands)
{
  const char *command = cli->command;
  g_autoptr(GString) summary = g_string_new (_("Subcommands:"));
  g_autoptr(GString) choices = g_string_new (NULL);
  int width = 0;
  int status;

  for (guint i = 0; argc >= 2 && i < n_subcommands; i++)
    {
      if (g_str_equal (argv[1], subcommands[i].name))
        {
          cli->command = subcommands[i].command;
          status = subcommands[i].func (cli, argc - 1, argv + 1);
          cli->command = command;
          return status;
        }
    }

  for (guint i = 0; i < n_subcommands; i++)
    width = MAX (width, (int) strlen (subcommands[i].name));
  for (guint i = 0; i < n_subcommands; i++)
    {
      g_string_append_printf (summary, "\n  %-*s  %s", width, subcommands[i].name,
                              _(subcommands[i].description));
      g_string_append_printf (choices, "%s%s", i > 0 ? "|" : "", subcommands[i].name);
    }
  g_string_append (choices, " …");

  /* No subcommand: "COMMAND --help" shows them all; anything else is a
   * mistake. */
  if (!esa_cli_parse_options (cli, choices->str, summary->str, NULL, 0, 1, &argc, &argv, &status))
    return status;
  if (argc >= 2)
    /* Translators: "case: unknown subcommand “dox”; usage: esattore-cli case actions|do …" */
    esa_cli_printerr (_("%s: unknown subcommand “%s”; usage: %s %s %s"), command, argv[1],
                      g_get_prgname (), command, choices->str);
  else
    /* Translators: "case: missing subcommand; usage: esattore-cli case actions|do …" */
    esa_cli_printerr (_("%s: missing subcommand; usage: %s %s %s"), command, g_get_prgname (),
                      command, choices->str);
  return ESA_CLI_EXIT_INVALID;
}
