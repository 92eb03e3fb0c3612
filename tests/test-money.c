#include "esa-core.h"

#include <string.h>

static gint64
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  gint64 minor = 12345;

  g_assert_true (esa_money_parse (text, &minor, &error));
  g_assert_no_error (error);
  return minor;
}

static void
assert_parse_fails (const char *text,
                    gint        code)
{
  g_autoptr(GError) error = NULL;
  gint64 minor = 777;

  g_assert_false (esa_money_parse (text, &minor, &error));
  g_assert_error (error, ESA_CORE_ERROR, code);
  /* The amount is left alone, and the message quotes the text. */
  g_assert_cmpint (minor, ==, 777);
  if (text != NULL && *text != '\0' && strstr (error->message, text) == NULL)
    g_error ("“%s” does not quote “%s”", error->message, text);
}

static void
test_parse (void)
{
  g_assert_cmpint (parse_ok ("1234.50"), ==, 123450);
  g_assert_cmpint (parse_ok ("1234.5"), ==, 123450);
  g_assert_cmpint (parse_ok ("1234"), ==, 123400);
  g_assert_cmpint (parse_ok ("-3.20"), ==, -320);
  g_assert_cmpint (parse_ok ("-0.05"), ==, -5);
  g_assert_cmpint (parse_ok ("0"), ==, 0);
  g_assert_cmpint (parse_ok ("-0"), ==, 0);
  g_assert_cmpint (parse_ok ("0.01"), ==, 1);
  g_assert_cmpint (parse_ok ("007.10"), ==, 710);
}

static void
test_parse_errors (void)
{
  /* Three decimals would be a fraction of a cent. */
  assert_parse_fails ("12.345", ESA_CORE_ERROR_PARSE);
  /* The comma is not a decimal separator in the machine form. */
  assert_parse_fails ("1,50", ESA_CORE_ERROR_PARSE);
  assert_parse_fails ("1.234,50", ESA_CORE_ERROR_PARSE);
  assert_parse_fails ("", ESA_CORE_ERROR_PARSE);
  assert_parse_fails (NULL, ESA_CORE_ERROR_PARSE);
  assert_parse_fails ("-", ESA_CORE_ERROR_PARSE);
  assert_parse_fails (".50", ESA_CORE_ERROR_PARSE);
  assert_parse_fails ("12.", ESA_CORE_ERROR_PARSE);
  assert_parse_fails ("+12", ESA_CORE_ERROR_PARSE);
  assert_parse_fails (" 12", ESA_CORE_ERROR_PARSE);
  assert_parse_fails ("12 ", ESA_CORE_ERROR_PARSE);
  assert_parse_fails ("1e3", ESA_CORE_ERROR_PARSE);
  assert_parse_fails ("--1", ESA_CORE_ERROR_PARSE);
  assert_parse_fails ("12.3.4", ESA_CORE_ERROR_PARSE);
  assert_parse_fails ("€ 12", ESA_CORE_ERROR_PARSE);

  {
    g_autoptr(GError) error = NULL;
    gint64 minor;

    esa_money_parse ("12.345", &minor, &error);
    g_assert_nonnull (strstr (error->message, "two decimals"));
  }
}

static void
test_parse_limits (void)
{
  g_autofree char *max = esa_money_to_decimal (G_MAXINT64);
  g_autofree char *min = esa_money_to_decimal (G_MININT64);

  g_assert_cmpstr (max, ==, "92233720368547758.07");
  g_assert_cmpstr (min, ==, "-92233720368547758.08");
  g_assert_cmpint (parse_ok (max), ==, G_MAXINT64);
  g_assert_cmpint (parse_ok (min), ==, G_MININT64);
  g_assert_cmpint (parse_ok ("92233720368547758"), ==, G_MAXINT64 - 7);

  /* One cent beyond either end does not fit. */
  assert_parse_fails ("92233720368547758.08", ESA_CORE_ERROR_RANGE);
  assert_parse_fails ("-92233720368547758.09", ESA_CORE_ERROR_RANGE);
  assert_parse_fails ("92233720368547759", ESA_CORE_ERROR_RANGE);
  /* Far beyond, where a careless accumulator would wrap around to a small
   * number: 2^64 cents = 184467440737095516.16. */
  assert_parse_fails ("184467440737095516.16", ESA_CORE_ERROR_RANGE);
  assert_parse_fails ("184467440737095516.17", ESA_CORE_ERROR_RANGE);
  assert_parse_fails ("99999999999999999999999999999999", ESA_CORE_ERROR_RANGE);
  assert_parse_fails ("-99999999999999999999999999999999.9", ESA_CORE_ERROR_RANGE);
}

static void
test_to_decimal (void)
{
  struct { gint64 minor; const char *text; } cases[] = {
    { 0, "0.00" }, { 5, "0.05" }, { -5, "-0.05" }, { 123450, "1234.50" },
    { -100, "-1.00" }, { 99, "0.99" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = esa_money_to_decimal (cases[i].minor);

      g_assert_cmpstr (text, ==, cases[i].text);
      g_assert_cmpint (parse_ok (text), ==, cases[i].minor);
    }

  /* Every amount survives the round trip, including the random ones. */
  for (guint i = 0; i < 10000; i++)
    {
      gint64 minor = ((gint64) g_test_rand_int () << 32) | (guint32) g_test_rand_int ();
      g_autofree char *text = esa_money_to_decimal (minor);

      g_assert_cmpint (parse_ok (text), ==, minor);
    }
}

static void
test_format (void)
{
  struct { gint64 minor; const char *currency; const char *text; const char *plain; } cases[] = {
    { 145593, "EUR", "€ 1.455,93", "1.455,93" },
    { 145593, "CHF", "CHF 1\u2019455.93", "1\u2019455.93" },
    { 145593, "USD", "USD 1,455.93", "1,455.93" },
    { -145593, "EUR", "-€ 1.455,93", "-1.455,93" },
    { -145593, "CHF", "-CHF 1\u2019455.93", "-1\u2019455.93" },
    { 0, "EUR", "€ 0,00", "0,00" },
    { 5, "CHF", "CHF 0.05", "0.05" },
    { -5, "EUR", "-€ 0,05", "-0,05" },
    { 99999, "EUR", "€ 999,99", "999,99" },
    { 100000, "EUR", "€ 1.000,00", "1.000,00" },
    { 123456789012, "EUR", "€ 1.234.567.890,12", "1.234.567.890,12" },
    { G_MAXINT64, "CHF", "CHF 92\u2019233\u2019720\u2019368\u2019547\u2019758.07",
      "92\u2019233\u2019720\u2019368\u2019547\u2019758.07" },
    { G_MININT64, "EUR", "-€ 92.233.720.368.547.758,08", "-92.233.720.368.547.758,08" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = esa_money_format (cases[i].minor, cases[i].currency);
      g_autofree char *plain = esa_money_format_plain (cases[i].minor, cases[i].currency);

      g_assert_cmpstr (text, ==, cases[i].text);
      g_assert_cmpstr (plain, ==, cases[i].plain);
      g_assert_true (g_utf8_validate (text, -1, NULL));
    }
}

static void
test_arithmetic (void)
{
  gint64 out = 42;

  g_assert_true (esa_money_add (100, 250, &out));
  g_assert_cmpint (out, ==, 350);
  g_assert_true (esa_money_add (G_MAXINT64, 0, &out));
  g_assert_cmpint (out, ==, G_MAXINT64);
  g_assert_true (esa_money_add (G_MAXINT64, G_MININT64, &out));
  g_assert_cmpint (out, ==, -1);
  g_assert_true (esa_money_add (G_MAXINT64 - 1, 1, &out));
  g_assert_cmpint (out, ==, G_MAXINT64);
  g_assert_true (esa_money_add (G_MININT64 + 1, -1, &out));
  g_assert_cmpint (out, ==, G_MININT64);

  out = 42;
  g_assert_false (esa_money_add (G_MAXINT64, 1, &out));
  g_assert_false (esa_money_add (1, G_MAXINT64, &out));
  g_assert_false (esa_money_add (G_MININT64, -1, &out));
  g_assert_false (esa_money_add (G_MININT64, G_MININT64, &out));
  g_assert_cmpint (out, ==, 42);

  g_assert_true (esa_money_sub (100, 250, &out));
  g_assert_cmpint (out, ==, -150);
  g_assert_true (esa_money_sub (-1, G_MAXINT64, &out));
  g_assert_cmpint (out, ==, G_MININT64);
  g_assert_true (esa_money_sub (G_MAXINT64, G_MAXINT64, &out));
  g_assert_cmpint (out, ==, 0);

  out = 42;
  g_assert_false (esa_money_sub (G_MININT64, 1, &out));
  g_assert_false (esa_money_sub (0, G_MININT64, &out));
  g_assert_false (esa_money_sub (G_MAXINT64, -1, &out));
  g_assert_false (esa_money_sub (-2, G_MAXINT64, &out));
  g_assert_cmpint (out, ==, 42);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/money/parse", test_parse);
  g_test_add_func ("/money/parse-errors", test_parse_errors);
  g_test_add_func ("/money/parse-limits", test_parse_limits);
  g_test_add_func ("/money/to-decimal", test_to_decimal);
  g_test_add_func ("/money/format", test_format);
  g_test_add_func ("/money/arithmetic", test_arithmetic);

  return g_test_run ();
}
