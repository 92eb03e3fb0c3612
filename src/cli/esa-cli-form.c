/* The "form" command: the fields of PDF forms, listed and filled. */

#include "esa-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "esa-cli.h"
#include "esa-documents-error.h"
#include "esa-pdf-form.h"

static int form_fields (EsaCliContext *cli, int argc, char **argv);
static int form_fill   (EsaCliContext *cli, int argc, char **argv);

static const EsaCliSubcommand subcommands[] = {
  { "fields", "form fields", N_("List the fields of a PDF form: name, type, value"),
    form_fields },
  { "fill", "form fill", N_("Fill the fields of a PDF form and save a copy"), form_fill },
};

static void
add_field_json (JsonBuilder   *builder,
                gconstpointer  row)
{
  const EsaPdfFormField *field = row;

  esa_cli_json_add_string (builder, "name", field->name);
  esa_cli_json_add_string (builder, "type", field->type);
  esa_cli_json_add_string (builder, "value", field->value);
  esa_cli_json_add_int (builder, "page", field->page);
  json_builder_set_member_name (builder, "read_only");
  json_builder_add_boolean_value (builder, field->read_only);
}

static int
form_fields (EsaCliContext *cli,
             int            argc,
             char         **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GFile) file = NULL;
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!esa_cli_parse_options (cli, _("FILE.pdf"),
                              _("Lists the fields of the PDF form (AcroForm) in FILE."),
                              entries, 1, 1, &argc, &argv, &status))
    return status;

  file = g_file_new_for_commandline_arg (argv[1]);
  fields = esa_pdf_form_list_fields (file, &error);
  if (fields == NULL)
    {
      esa_cli_printerr ("%s", error->message);
      return ESA_CLI_EXIT_FAILURE;
    }

  if (json)
    return esa_cli_print_json_rows (fields, add_field_json);

  {
    g_autoptr(EsaCliTable) table = esa_cli_table_new (_("Name"), _("Type"), _("Value"),
                                                      _("Page"), NULL);

    for (guint i = 0; i < fields->len; i++)
      {
        const EsaPdfFormField *field = g_ptr_array_index (fields, i);
        g_autofree char *page = g_strdup_printf ("%u", field->page);

        esa_cli_table_add_row (table, field->name, field->type, field->value, page);
      }
    esa_cli_table_align_right (table, 3);
    esa_cli_table_print (table, 0);
  }
  return ESA_CLI_EXIT_OK;
}

static int
form_fill (EsaCliContext *cli,
           int            argc,
           char         **argv)
{
  g_auto(GStrv) sets = NULL;
  g_autofree char *output = NULL;
  const GOptionEntry entries[] = {
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets,
      N_("Give field NAME the VALUE (repeat for each field)"), N_("NAME=VALUE") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the filled copy to FILE"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GFile) input = NULL;
  g_autoptr(GFile) out = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!esa_cli_parse_options (cli, _("FILE.pdf"),
                              _("Fills fields of the PDF form in FILE and saves the filled copy "
                                "to -o FILE; the original is left as it was. Checkboxes take "
                                "true or false, lists the text of an item."),
                              entries, 1, 1, &argc, &argv, &status))
    return status;
  if (output == NULL)
    {
      esa_cli_printerr (_("form fill: -o FILE is needed"));
      return ESA_CLI_EXIT_INVALID;
    }
  if (sets == NULL || sets[0] == NULL)
    {
      esa_cli_printerr (_("form fill: give at least one --set NAME=VALUE"));
      return ESA_CLI_EXIT_INVALID;
    }

  values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; sets[i] != NULL; i++)
    {
      const char *equals = strchr (sets[i], '=');

      if (equals == NULL || equals == sets[i])
        {
          esa_cli_printerr (_("form fill: “%s” is not NAME=VALUE"), sets[i]);
          return ESA_CLI_EXIT_INVALID;
        }
      g_hash_table_replace (values, g_strndup (sets[i], equals - sets[i]),
                            g_strdup (equals + 1));
    }

  input = g_file_new_for_commandline_arg (argv[1]);
  out = g_file_new_for_commandline_arg (output);
  if (g_file_equal (input, out))
    {
      esa_cli_printerr (_("form fill: the filled copy must not replace the original"));
      return ESA_CLI_EXIT_INVALID;
    }
  if (!esa_pdf_form_fill (input, values, out, &error))
    {
      esa_cli_printerr ("%s", error->message);
      return g_error_matches (error, ESA_DOCUMENTS_ERROR, ESA_DOCUMENTS_ERROR_FORM)
             ? ESA_CLI_EXIT_INVALID : ESA_CLI_EXIT_FAILURE;
    }

  g_print (g_dngettext (GETTEXT_PACKAGE, "%s: %u field filled\n", "%s: %u fields filled\n",
                        g_hash_table_size (values)),
           output, g_hash_table_size (values));
  return ESA_CLI_EXIT_OK;
}

int
esa_cli_form (EsaCliContext *cli,
              int            argc,
              char         **argv)
{
  return esa_cli_run_subcommand (cli, argc, argv, subcommands, G_N_ELEMENTS (subcommands));
}
