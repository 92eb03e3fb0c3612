/* check-id: the identifier rules of core, for scripts and for a person
 * checking a value read over the phone. */

#include <stdio.h>

#include <glib/gi18n-lib.h>

#include "esa-cli.h"

static char *
list_kinds (void)
{
  g_autoptr(GString) kinds = g_string_new (NULL);
  guint i;

  for (i = 0; i < ESA_N_ID_KINDS; i++)
    {
      if (i > 0)
        g_string_append (kinds, ", ");
      g_string_append (kinds, esa_id_kind_to_string ((EsaIdKind) i));
    }

  return g_string_free (g_steal_pointer (&kinds), FALSE);
}

int
esa_cli_check_id (EsaCliContext *cli,
                  int            argc,
                  char         **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autofree char *kinds = list_kinds ();
  g_autofree char *summary = NULL;
  g_autofree char *normalized = NULL;
  g_autofree char *printed = NULL;
  g_autoptr(GError) error = NULL;
  EsaIdKind kind;
  int status;

  /* Translators: %s is a list of identifier kinds: "cf, piva, ahv, …" */
  summary = g_strdup_printf (_("KIND is one of: %s."), kinds);
  if (!esa_cli_parse_options (cli, _("KIND VALUE"), summary, entries, 2, 2, &argc, &argv,
                              &status))
    return status;

  if (!esa_id_kind_from_string (argv[1], &kind))
    {
      /* Translators: the first %s is what was typed, the second a list of kinds */
      esa_cli_printerr (_("unknown identifier kind “%s”; the kinds are: %s"), argv[1], kinds);
      return ESA_CLI_EXIT_INVALID;
    }

  if (!esa_id_validate (kind, argv[2], &normalized, &error))
    return esa_cli_report_error (cli, error);

  printed = esa_id_format (kind, normalized);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      esa_cli_json_add_string (builder, "kind", esa_id_kind_to_string (kind));
      esa_cli_json_add_string (builder, "normalized", normalized);
      esa_cli_json_add_string (builder, "printed", printed);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);

      return esa_cli_print_json (root);
    }

  /* Machine-readable lines, not translated: scripts read them. */
  fprintf (stdout, "normalized: %s\nprinted: %s\n", normalized, printed);

  return ESA_CLI_EXIT_OK;
}
