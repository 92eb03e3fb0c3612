/* calc: the legal rules of the parameter tables, without a database:
 * interest, the Swiss payment order fee, the Italian instalment band and
 * wage garnishment quota. */

#include <string.h>

#include <glib/gi18n-lib.h>

#include "esa-cli.h"

typedef struct
{
  EsaParameters *params;
  GDate          date;      /* --date: the day whose tables apply */
  const char    *body;      /* --body, or NULL for the common tables */
  char         **args;      /* the positional arguments after the rule's name */
  int            n_args;
  const char    *regime;
  const char    *amount;
  const char    *from;
  const char    *to;
} Calc;

typedef int (*CalcFunc) (Calc *calc);

static gboolean
parse_amount (const char *what,
              const char *text,
              gint64     *out_minor)
{
  g_autoptr(GError) error = NULL;

  if (!esa_money_parse (text, out_minor, &error))
    {
      esa_cli_printerr ("%s: %s", what, error->message);
      return FALSE;
    }
  if (*out_minor < 0)
    {
      /* Translators: "--amount: an amount must not be negative (-5.00)" */
      esa_cli_printerr (_("%s: an amount must not be negative (%s)"), what, text);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_date (const char *what,
            const char *text,
            GDate      *out)
{
  g_autoptr(GError) error = NULL;

  if (esa_date_parse_iso (text, out, &error))
    return TRUE;
  esa_cli_printerr ("%s: %s", what, error->message);
  return FALSE;
}

/* A rule that failed: a table missing or without a value for the date is a
 * question asked outside what the tables cover. */
static int
report_rule_error (const GError *error)
{
  esa_cli_printerr ("%s", error->message);
  return ESA_CLI_EXIT_INVALID;
}

static int
print_amount (gint64 minor)
{
  g_autofree char *decimal = esa_money_to_decimal (minor);

  g_print ("%s\n", decimal);
  return ESA_CLI_EXIT_OK;
}

/* The one positional argument of a rule, after a jurisdiction or a fee's
 * name: "calc garnish it 1800.00". */
static gboolean
expect_args (Calc       *calc,
             int         n,
             const char *usage)
{
  if (calc->n_args == n)
    return TRUE;

  /* Translators: the second %s is the program's name, the third the usage
   * of a rule ("calc garnish it NET_MONTHLY") */
  esa_cli_printerr (_("%s; usage: %s %s"),
                    calc->n_args < n ? _("missing argument") : _("too many arguments"),
                    g_get_prgname (), usage);
  return FALSE;
}

static gboolean
expect_word (const char *given,
             const char *expected,
             const char *usage)
{
  if (g_str_equal (given, expected))
    return TRUE;

  /* Translators: "calc: “fr” is not known here; usage: esattore-cli calc garnish it …" */
  esa_cli_printerr (_("calc: “%s” is not known here; usage: %s %s"), given, g_get_prgname (),
                    usage);
  return FALSE;
}

static int
calc_interest (Calc *calc)
{
  const char *usage = "calc interest --regime it|ch --amount AMOUNT --from DATE --to DATE";
  g_autoptr(GError) error = NULL;
  gint64 principal, interest;
  GDate from, to;

  if (!expect_args (calc, 0, usage))
    return ESA_CLI_EXIT_INVALID;
  if (calc->regime == NULL || calc->amount == NULL || calc->from == NULL || calc->to == NULL)
    {
      esa_cli_printerr (_("calc interest needs --regime, --amount, --from and --to; usage: %s %s"),
                        g_get_prgname (), usage);
      return ESA_CLI_EXIT_INVALID;
    }
  if (!g_str_equal (calc->regime, "it") && !g_str_equal (calc->regime, "ch"))
    {
      esa_cli_printerr (_("--regime: “%s” is neither it nor ch"), calc->regime);
      return ESA_CLI_EXIT_INVALID;
    }
  if (!parse_amount ("--amount", calc->amount, &principal)
      || !parse_date ("--from", calc->from, &from)
      || !parse_date ("--to", calc->to, &to))
    return ESA_CLI_EXIT_INVALID;

  if (!esa_rules_interest (calc->params, calc->regime, principal, &from, &to, calc->body,
                           &interest, &error))
    return report_rule_error (error);
  return print_amount (interest);
}

static int
calc_fee (Calc *calc)
{
  const char *usage = "calc fee ch-payment-order AMOUNT";
  g_autoptr(GError) error = NULL;
  gint64 claim, fee;

  if (!expect_args (calc, 2, usage) || !expect_word (calc->args[0], "ch-payment-order", usage)
      || !parse_amount (_("the claim"), calc->args[1], &claim))
    return ESA_CLI_EXIT_INVALID;

  if (!esa_rules_ch_payment_order_fee (calc->params, claim, &calc->date, calc->body, &fee,
                                       &error))
    return report_rule_error (error);
  return print_amount (fee);
}

static int
calc_instalments (Calc *calc)
{
  const char *usage = "calc instalments it AMOUNT";
  g_autoptr(GError) error = NULL;
  gint64 amount;
  guint min, max;

  if (!expect_args (calc, 2, usage) || !expect_word (calc->args[0], "it", usage)
      || !parse_amount (_("the debt"), calc->args[1], &amount))
    return ESA_CLI_EXIT_INVALID;

  if (!esa_rules_it_instalments (calc->params, amount, &calc->date, calc->body, &min, &max,
                                 &error))
    return report_rule_error (error);
  g_print ("%u %u\n", min, max);
  return ESA_CLI_EXIT_OK;
}

static int
calc_garnish (Calc *calc)
{
  const char *usage = "calc garnish it NET_MONTHLY";
  g_autoptr(GError) error = NULL;
  gint64 wage, quota;

  if (!expect_args (calc, 2, usage) || !expect_word (calc->args[0], "it", usage)
      || !parse_amount (_("the net monthly wage"), calc->args[1], &wage))
    return ESA_CLI_EXIT_INVALID;

  if (!esa_rules_it_garnish_quota (calc->params, wage, &calc->date, calc->body, &quota, &error))
    return report_rule_error (error);
  return print_amount (quota);
}

static const struct
{
  const char *name;
  CalcFunc    func;
} rules[] = {
  { "interest", calc_interest },
  { "fee", calc_fee },
  { "instalments", calc_instalments },
  { "garnish", calc_garnish },
};

int
esa_cli_calc (EsaCliContext *cli,
              int            argc,
              char         **argv)
{
  g_autofree char *regime = NULL;
  g_autofree char *amount = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *date_text = NULL;
  g_autofree char *body = NULL;
  const GOptionEntry entries[] = {
    { "regime", 0, 0, G_OPTION_ARG_STRING, &regime,
      N_("interest: it (legal interest) or ch (default interest)"), N_("it|ch") },
    { "amount", 0, 0, G_OPTION_ARG_STRING, &amount,
      N_("interest: the principal, e.g. 1234.50"), N_("AMOUNT") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from,
      N_("interest: the day interest runs from (it earns nothing itself)"), N_("DATE") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to,
      N_("interest: the last day that earns interest"), N_("DATE") },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date_text,
      N_("The day whose tables apply (YYYY-MM-DD; default today)"), N_("DATE") },
    { "body", 0, 0, G_OPTION_ARG_STRING, &body,
      N_("A creditor body with tables of its own"), N_("ID") },
    { NULL }
  };
  g_autoptr(EsaParameters) params = NULL;
  g_autoptr(GError) error = NULL;
  Calc calc = { 0 };
  int status;

  if (!esa_cli_parse_options (cli, _("RULE [ARGUMENTS…]"),
                              _("Computes from the legal tables, without a database:\n"
                                "  interest --regime it|ch --amount A --from D --to D\n"
                                "  fee ch-payment-order AMOUNT\n"
                                "  instalments it AMOUNT      (prints MIN MAX; 0 0 for none)\n"
                                "  garnish it NET_MONTHLY\n"
                                "Amounts are decimals with two places, e.g. 1234.50."),
                              entries, 1, 3, &argc, &argv, &status))
    return status;

  if (date_text != NULL)
    {
      if (!parse_date ("--date", date_text, &calc.date))
        return ESA_CLI_EXIT_INVALID;
    }
  else
    {
      esa_date_set_today (&calc.date);
    }

  params = esa_parameters_load_default (&error);
  if (params == NULL)
    {
      esa_cli_printerr (_("cannot load the parameter tables: %s"), error->message);
      return ESA_CLI_EXIT_FAILURE;
    }

  calc.params = params;
  calc.body = body;
  calc.args = argv + 2;
  calc.n_args = argc - 2;
  calc.regime = regime;
  calc.amount = amount;
  calc.from = from;
  calc.to = to;

  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      if (g_str_equal (argv[1], rules[i].name))
        {
          if (rules[i].func != calc_interest
              && (regime != NULL || amount != NULL || from != NULL || to != NULL))
            {
              esa_cli_printerr (_("--regime, --amount, --from and --to are options of "
                                  "calc interest only"));
              return ESA_CLI_EXIT_INVALID;
            }
          return rules[i].func (&calc);
        }
    }

  esa_cli_printerr (_("calc: unknown rule “%s” (interest, fee, instalments, garnish)"), argv[1]);
  return ESA_CLI_EXIT_INVALID;
}
