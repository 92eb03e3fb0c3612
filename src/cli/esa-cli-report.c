/* report: the accounting reports (collections, acts, ageing) as CSV, XLSX,
 * ODS, PDF or XML. */

#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "esa-cli.h"
#include "esa-report-export.h"
#include "esa-store-reports.h"

static gboolean
parse_groups (const char       *text,
              EsaReportGroups  *out)
{
  static const struct
  {
    const char      *name;
    EsaReportGroups  group;
  } names[] = {
    { "period", ESA_REPORT_BY_PERIOD },
    { "month", ESA_REPORT_BY_PERIOD },
    { "body", ESA_REPORT_BY_BODY },
    { "chapter", ESA_REPORT_BY_CHAPTER },
    { "revenue", ESA_REPORT_BY_REVENUE },
  };
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  EsaReportGroups groups = 0;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *part = g_strstrip (parts[i]);
      gboolean known = FALSE;

      for (guint n = 0; n < G_N_ELEMENTS (names); n++)
        {
          if (g_str_equal (part, names[n].name))
            {
              groups |= names[n].group;
              known = TRUE;
            }
        }
      if (!known)
        {
          esa_cli_printerr (_("--by: “%s” is not one of period, body, chapter, revenue"), part);
          return FALSE;
        }
    }
  *out = groups;
  return TRUE;
}

static gboolean
check_date (const char *option,
            const char *text)
{
  g_autoptr(GError) error = NULL;
  GDate date;

  if (esa_date_parse_iso (text, &date, &error))
    return TRUE;
  esa_cli_printerr ("%s: %s", option, error->message);
  return FALSE;
}

int
esa_cli_report (EsaCliContext *cli,
                int            argc,
                char         **argv)
{
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *format_name = NULL;
  g_autofree char *output = NULL;
  g_autofree char *by = NULL;
  const GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from,
      N_("First day of the period (default: 1 January of the end’s year)"), N_("YYYY-MM-DD") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to,
      N_("Last day of the period; for ageing the day ages are counted to (default: today)"),
      N_("YYYY-MM-DD") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_name,
      N_("csv, xlsx, ods, pdf or xml (default: csv)"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("The file to write; without it CSV and XML go to the standard output"), N_("FILE") },
    { "by", 0, 0, G_OPTION_ARG_STRING, &by,
      N_("Collections: break down by period, body, chapter, revenue (default: all)"),
      N_("LIST") },
    { NULL }
  };
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(EsaReport) report = NULL;
  g_autoptr(GError) error = NULL;
  EsaReportGroups groups = ESA_REPORT_BY_ALL;
  EsaReportFormat format = ESA_REPORT_FORMAT_CSV;
  EsaReportKind kind;
  GDate today;
  int status;

  if (!esa_cli_parse_options (cli, _("collections|acts|ageing"),
                              _("Writes an accounting report: the payments collected, the acts "
                                "issued and their outcome, or the ageing of open balances. "
                                "Amounts have two decimals; every row has one currency and "
                                "totals are per currency."),
                              entries, 1, 1, &argc, &argv, &status))
    return status;

  if (!esa_report_kind_from_string (argv[1], &kind))
    {
      esa_cli_printerr (_("unknown report “%s”: collections, acts or ageing"), argv[1]);
      return ESA_CLI_EXIT_INVALID;
    }
  if (format_name != NULL && !esa_report_format_from_string (format_name, &format))
    {
      esa_cli_printerr (_("--format: “%s” is not one of csv, xlsx, ods, pdf, xml"), format_name);
      return ESA_CLI_EXIT_INVALID;
    }
  if (output == NULL && format != ESA_REPORT_FORMAT_CSV && format != ESA_REPORT_FORMAT_XML)
    {
      esa_cli_printerr (_("--format %s writes a file: name it with -o FILE"),
                        esa_report_format_to_string (format));
      return ESA_CLI_EXIT_INVALID;
    }
  if (by != NULL && (kind != ESA_REPORT_COLLECTIONS || !parse_groups (by, &groups)))
    {
      if (kind != ESA_REPORT_COLLECTIONS)
        esa_cli_printerr (_("--by applies to the collections report only"));
      return ESA_CLI_EXIT_INVALID;
    }
  if (groups == 0)
    {
      esa_cli_printerr (_("--by needs at least one of period, body, chapter, revenue"));
      return ESA_CLI_EXIT_INVALID;
    }

  if (to == NULL)
    {
      esa_date_set_today (&today);
      to = esa_date_to_iso (&today);
    }
  if (!check_date ("--to", to))
    return ESA_CLI_EXIT_INVALID;
  if (from == NULL)
    from = g_strdup_printf ("%.4s-01-01", to);
  if (!check_date ("--from", from))
    return ESA_CLI_EXIT_INVALID;

  store = esa_cli_open_store (cli, FALSE, &status);
  if (store == NULL)
    return status;

  switch (kind)
    {
    case ESA_REPORT_COLLECTIONS:
      report = esa_store_report_collections (store, from, to, groups, &error);
      break;
    case ESA_REPORT_ACTS:
      report = esa_store_report_acts (store, from, to, &error);
      break;
    case ESA_REPORT_AGEING:
    default:
      report = esa_store_report_ageing (store, to, &error);
      break;
    }
  if (report == NULL)
    return esa_cli_report_error (cli, error);

  if (output == NULL)
    {
      g_autofree char *text = format == ESA_REPORT_FORMAT_CSV ? esa_report_to_csv (report)
                                                              : esa_report_to_xml (report);

      fputs (text, stdout);
      return ESA_CLI_EXIT_OK;
    }

  if (!esa_report_export (report, format, output, &error))
    {
      esa_cli_printerr ("%s", error->message);
      return ESA_CLI_EXIT_FAILURE;
    }
  return ESA_CLI_EXIT_OK;
}
