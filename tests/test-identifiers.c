#include "esa-core.h"

#include <string.h>

/* Every character a position of an identifier could plausibly hold. */
static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

typedef struct
{
  EsaIdKind   kind;
  const char *printed;
  const char *plain;
} Example;

/* The public worked examples of DOMAIN.md, as printed and as stored. */
static const Example valid_examples[] = {
  { ESA_ID_CODICE_FISCALE, "RSSMRA85T10A562S", "RSSMRA85T10A562S" },
  { ESA_ID_CODICE_FISCALE, "BSCMTT83A12L719R", "BSCMTT83A12L719R" },
  { ESA_ID_PARTITA_IVA, "00743110157", "00743110157" },
  { ESA_ID_PARTITA_IVA, "00488410010", "00488410010" },
  { ESA_ID_AHV, "756.9217.0769.85", "7569217076985" },
  { ESA_ID_UID, "CHE-116.281.710", "CHE116281710" },
  { ESA_ID_UID, "CHE-100.155.212", "CHE100155212" },
  { ESA_ID_IBAN, "IT60 X054 2811 1010 0000 0123 456", "IT60X0542811101000000123456" },
  { ESA_ID_IBAN, "CH93 0076 2011 6238 5295 7", "CH9300762011623852957" },
  { ESA_ID_IBAN, "CH44 3199 9123 0008 8901 2", "CH4431999123000889012" },
  { ESA_ID_PAGOPA_NOTICE, "3007 1570 0000 0000 32", "300715700000000032" },
  { ESA_ID_QR_REFERENCE, "21 00000 00003 13947 14300 09017", "210000000003139471430009017" },
};

/* Helpers that restate the rules independently of the library, so that the
 * tests check the library against the rule rather than against itself. */

/* ISO 13616: move the first four characters to the end, write every letter
 * as two digits (A = 10 … Z = 35), and take the number mod 97. */
static guint
reference_iban_mod97 (const char *iban)
{
  g_autofree char *rearranged = g_strdup_printf ("%s%.4s", iban + 4, iban);
  g_autoptr(GString) digits = g_string_new (NULL);
  guint remainder = 0;

  for (const char *p = rearranged; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
      else
        g_string_append_printf (digits, "%d", *p - 'A' + 10);
    }
  for (gsize i = 0; i < digits->len; i++)
    remainder = (remainder * 10 + (guint) (digits->str[i] - '0')) % 97;
  return remainder;
}

/* The codice fiscale check character over the first 15 characters. */
static char
reference_cf_check (const char *cf)
{
  /* Odd positions: 0-9 and A-J → 1,0,5,7,9,13,15,17,19,21; K-Z as listed in
   * DOMAIN.md. Even positions: digits their value, letters A-Z → 0-25. */
  static const int odd[26] = { 1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8,
                               12, 14, 16, 10, 22, 25, 24, 23 };
  int sum = 0;

  for (int i = 0; i < 15; i++)
    {
      int index = g_ascii_isdigit (cf[i]) ? cf[i] - '0' : cf[i] - 'A';

      sum += (i % 2 == 0) ? odd[index] : index;
    }
  return (char) ('A' + sum % 26);
}

static guint
reference_uid_check (const char *digits8)
{
  static const guint weights[8] = { 5, 4, 3, 2, 7, 6, 5, 4 };
  guint sum = 0;

  for (int i = 0; i < 8; i++)
    sum += (guint) (digits8[i] - '0') * weights[i];
  return sum % 11 == 0 ? 0 : 11 - sum % 11;
}

static gboolean
is_valid (EsaIdKind   kind,
          const char *value)
{
  return esa_id_validate (kind, value, NULL, NULL);
}

static void
assert_invalid_naming (EsaIdKind   kind,
                       const char *value,
                       const char *named,
                       const char *reason)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = NULL;

  g_assert_false (esa_id_validate (kind, value, &normalized, &error));
  g_assert_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID);
  g_assert_null (normalized);
  if (named != NULL && strstr (error->message, named) == NULL)
    g_error ("“%s” does not name “%s”", error->message, named);
  if (reason != NULL && strstr (error->message, reason) == NULL)
    g_error ("“%s” does not say “%s”", error->message, reason);
}

static void
test_valid_examples (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (valid_examples); i++)
    {
      const Example *example = &valid_examples[i];
      const char *forms[2] = { example->printed, example->plain };

      for (gsize f = 0; f < G_N_ELEMENTS (forms); f++)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *normalized = NULL;
          g_autofree char *lower = g_ascii_strdown (forms[f], -1);
          g_autofree char *padded = g_strdup_printf ("  %s\t", forms[f]);
          g_autofree char *lower_normalized = NULL;
          g_autofree char *padded_normalized = NULL;

          esa_id_validate (example->kind, forms[f], &normalized, &error);
          g_assert_no_error (error);
          g_assert_cmpstr (normalized, ==, example->plain);

          /* Lower case is accepted and stored in upper case. */
          g_assert_true (esa_id_validate (example->kind, lower, &lower_normalized, NULL));
          g_assert_cmpstr (lower_normalized, ==, example->plain);

          g_assert_true (esa_id_validate (example->kind, padded, &padded_normalized, NULL));
          g_assert_cmpstr (padded_normalized, ==, example->plain);
        }
    }
}

static void
test_format (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (valid_examples); i++)
    {
      g_autofree char *printed = esa_id_format (valid_examples[i].kind, valid_examples[i].plain);

      g_assert_cmpstr (printed, ==, valid_examples[i].printed);
    }

  /* What is not in the normalized form is shown unchanged. */
  {
    g_autofree char *odd = esa_id_format (ESA_ID_AHV, "12345");
    g_autofree char *empty = esa_id_format (ESA_ID_UID, NULL);

    g_assert_cmpstr (odd, ==, "12345");
    g_assert_cmpstr (empty, ==, "");
  }
}

static void
test_invalid_examples (void)
{
  g_autoptr(GError) error = NULL;

  esa_id_validate (ESA_ID_CODICE_FISCALE, "RSSMRA85T10A562T", NULL, &error);
  g_assert_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "tax code RSSMRA85T10A562T has a wrong check character: expected S");

  assert_invalid_naming (ESA_ID_PARTITA_IVA, "00743110158", "00743110158", "check digit");
  assert_invalid_naming (ESA_ID_IBAN, "IT60X054281110100000012345",
                         "IT60X054281110100000012345", "has 26 characters");
  assert_invalid_naming (ESA_ID_IBAN, "IT60X054281110100000012345", NULL, "have 27");
  assert_invalid_naming (ESA_ID_AHV, "756.9217.0769.86", "756.9217.0769.86", "check digit");
  assert_invalid_naming (ESA_ID_AHV, "757.9217.0769.85", "757.9217.0769.85", "756");
  assert_invalid_naming (ESA_ID_UID, "CHE-116.281.711", "CHE-116.281.711", "check digit");
  assert_invalid_naming (ESA_ID_UID, "CHF-116.281.710", "CHF-116.281.710", "CHE");
  assert_invalid_naming (ESA_ID_IBAN, "XX93 0076 2011 6238 5295 7", "XX93", "XX");
  assert_invalid_naming (ESA_ID_IBAN, "CH94 0076 2011 6238 5295 7", "CH94", "check digits");
  assert_invalid_naming (ESA_ID_IBAN, "1H93 0076 2011 6238 5295 7", "1H93", "country");
  assert_invalid_naming (ESA_ID_PAGOPA_NOTICE, "300715700000000033", "300715700000000033",
                         "check digits");
  assert_invalid_naming (ESA_ID_PAGOPA_NOTICE, "400715700000000032", "400715700000000032",
                         "aux digit");
  assert_invalid_naming (ESA_ID_QR_REFERENCE, "210000000003139471430009018",
                         "210000000003139471430009018", "check digit");

  /* The Italian CIN: X is right for ABI 05428, CAB 11101, account
   * 000000123456; Y with check digits that satisfy mod 97 is caught by the
   * CIN alone. */
  {
    g_autofree char *with_y = esa_iban_compose ("IT", "0542811101000000123456");
    guint remainder;

    g_assert_nonnull (with_y);
    with_y[4] = 'Y';
    with_y[2] = with_y[3] = '0';
    remainder = reference_iban_mod97 (with_y);
    with_y[2] = (char) ('0' + (98 - remainder) / 10);
    with_y[3] = (char) ('0' + (98 - remainder) % 10);
    g_assert_cmpuint (reference_iban_mod97 (with_y), ==, 1);
    assert_invalid_naming (ESA_ID_IBAN, with_y, with_y, "CIN: expected X");
  }
}

static void
test_structure (void)
{
  /* Letters and digits where the tax code has none. */
  assert_invalid_naming (ESA_ID_CODICE_FISCALE, "R5SMRA85T10A562S", "R5SMRA85T10A562S",
                         "character 2 (“5”) should be a letter");
  assert_invalid_naming (ESA_ID_CODICE_FISCALE, "RSSMRA8AT10A562S", "RSSMRA8AT10A562S",
                         "character 8 (“A”) should be a digit");
  /* F is not a month letter (ABCDEHLMPRST). */
  assert_invalid_naming (ESA_ID_CODICE_FISCALE, "RSSMRA85F10A562S", "RSSMRA85F10A562S",
                         "month");
  /* Days 32–40 and above 71 exist for nobody; 30 February neither. */
  assert_invalid_naming (ESA_ID_CODICE_FISCALE, "RSSMRA85T35A562S", "RSSMRA85T35A562S",
                         "35 is not a day of birth");
  assert_invalid_naming (ESA_ID_CODICE_FISCALE, "RSSMRA85T72A562S", "RSSMRA85T72A562S",
                         "72 is not a day of birth");
  assert_invalid_naming (ESA_ID_CODICE_FISCALE, "RSSMRA85T00A562S", "RSSMRA85T00A562S",
                         "00 is not a day of birth");
  assert_invalid_naming (ESA_ID_CODICE_FISCALE, "RSSMRA85B30A562S", "RSSMRA85B30A562S",
                         "30 is not a day of birth");
  assert_invalid_naming (ESA_ID_CODICE_FISCALE, "RSSMRA85B70A562S", "RSSMRA85B70A562S",
                         "70 is not a day of birth");
  /* An omocodia letter counts as its digit in the day: M L is 10. */
  {
    char omocodic_day[17] = "RSSMRA85TMLA562?";

    omocodic_day[15] = reference_cf_check (omocodic_day);
    g_assert_true (is_valid (ESA_ID_CODICE_FISCALE, omocodic_day));
  }

  /* A woman born on the 10th has day 50; the check character follows. */
  {
    char woman[17] = "RSSMRA85T50A562?";

    woman[15] = reference_cf_check (woman);
    g_assert_true (is_valid (ESA_ID_CODICE_FISCALE, woman));
  }

  assert_invalid_naming (ESA_ID_PARTITA_IVA, "0074311015X", "0074311015X",
                         "character 11 (“X”) should be a digit");
  /* Swiss bank codes are digits; Italian IBANs start their national part
   * with the CIN letter. */
  assert_invalid_naming (ESA_ID_IBAN, "CH93 00A6 2011 6238 5295 7", "CH93 00A6",
                         "character 7 (“A”) should be a digit");
  assert_invalid_naming (ESA_ID_IBAN, "IT60 1054 2811 1010 0000 0123 456", "IT60 1054",
                         "character 5 (“1”) should be a letter");
}

static void
test_lengths_and_characters (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (valid_examples); i++)
    {
      const Example *example = &valid_examples[i];
      g_autofree char *too_short = g_strndup (example->plain, strlen (example->plain) - 1);
      g_autofree char *too_long = g_strconcat (example->plain, "0", NULL);
      g_autofree char *with_symbol = g_strconcat (example->plain, "#", NULL);
      g_autofree char *with_accent = g_strconcat (example->plain, "é", NULL);
      const char *blanks[] = { "", "   ", NULL };

      assert_invalid_naming (example->kind, too_short, too_short, "characters");
      assert_invalid_naming (example->kind, too_long, too_long, "characters");
      assert_invalid_naming (example->kind, with_symbol, with_symbol, "“#”");
      assert_invalid_naming (example->kind, with_accent, with_accent, "“é”");

      for (gsize b = 0; b < G_N_ELEMENTS (blanks); b++)
        assert_invalid_naming (example->kind, blanks[b],
                               esa_id_kind_describe (example->kind), "nothing");

      /* A single character is far too short, and still told in a sentence. */
      assert_invalid_naming (example->kind, "7", "7", NULL);
    }

  /* Text that is not UTF-8 still gives a message that is. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (esa_id_validate (ESA_ID_PARTITA_IVA, "0074311\xff" "0157", NULL, &error));
    g_assert_true (g_utf8_validate (error->message, -1, NULL));
  }
}

/* What a single-character corruption can and cannot do to each check:
 *
 * - Tax code: letters and digits each have their own positions, so a letter
 *   for a digit (other than an omocodia letter) or a digit for a letter
 *   fails the structure. Within letters, both tables are one-to-one (the odd
 *   table is a permutation of 0–25); within digits too. An omocodia letter
 *   for a digit never keeps the sum: at odd positions digits are worth
 *   {1,0,5,7,9,13,15,17,19,21} and L M N P Q R S T U V {4,18,20,3,6,8,12,14,
 *   16,10}, at even positions digits 0–9 and those letters 11–21: disjoint.
 *   So every corruption is caught.
 * - VAT number (Luhn) and AHV (EAN-13): each position's weight (1 or
 *   "double, minus 9"; 1 or 3) maps 0–9 one-to-one mod 10, so a changed
 *   digit changes the sum mod 10. All caught.
 * - UID: weights 5,4,3,2,7,6,5,4 are non-zero mod 11, a prime, and a digit
 *   changes by at most 9, so the sum mod 11 changes and so does the check
 *   (or the check becomes 10, which no UID has). All caught.
 * - QR reference: each step carry = T[(carry + d) mod 10] is one-to-one in d
 *   and in carry, so a changed digit changes every later carry. All caught.
 * - pagoPA notice: 93 = 3 × 31 and a digit changes the number by at most
 *   9 × 10^k, never a multiple of 31, so the check catches every change of
 *   the first 16 digits; a changed check digit no longer equals the check;
 *   and the aux digit must be 3, 0 or 2 (aux 1, "no check digits", is
 *   refused). All caught.
 * - IBAN: mod 97 (a prime) catches a digit for a digit (change d × 10^k) and
 *   a letter for a letter (two digits for two digits, change below 26 ×
 *   10^k). A letter for a digit, though, replaces one digit by two and shifts
 *   everything before it by one place; that difference is a multiple of 97
 *   about once in 97. The registry format allows letters only in the
 *   alphanumeric account part (CH/LI: 5n12c, IT: 1a10n12c), so only digit →
 *   letter corruptions there can pass, when the result is still 1 mod 97.
 *   For Italy the CIN also has to agree: its tables give digit d and letter
 *   'A' + d the same value (and every other letter a different one), so only
 *   d → 'A' + d can pass both. corruption_is_undetectable() computes those
 *   cases with the rule's own arithmetic. */
static gboolean
corruption_is_undetectable (EsaIdKind   kind,
                            const char *valid,
                            gsize       position,
                            char        replacement,
                            const char *corrupted)
{
  if (kind == ESA_ID_IBAN)
    {
      gboolean italian = strncmp (valid, "IT", 2) == 0;
      gsize account_start = italian ? 15 : 9;

      if (position < account_start || !g_ascii_isdigit (valid[position])
          || !g_ascii_isupper (replacement))
        return FALSE;
      if (italian && replacement != 'A' + (valid[position] - '0'))
        return FALSE;
      return reference_iban_mod97 (corrupted) == 1;
    }

  return FALSE;
}

static void
test_every_corruption (void)
{
  guint n_checked = 0;
  guint n_undetectable = 0;
  guint n_undetectable_swiss_iban = 0;
  guint n_expected = 0;

  for (gsize e = 0; e < G_N_ELEMENTS (valid_examples); e++)
    {
      const Example *example = &valid_examples[e];
      gsize len = strlen (example->plain);
      g_autofree char *corrupted = g_strdup (example->plain);

      n_expected += (guint) len * (sizeof alphabet - 2);

      for (gsize i = 0; i < len; i++)
        {
          for (const char *c = alphabet; *c != '\0'; c++)
            {
              gboolean undetectable;
              gboolean accepted;

              if (*c == example->plain[i])
                continue;

              corrupted[i] = *c;
              undetectable = corruption_is_undetectable (example->kind, example->plain, i, *c,
                                                         corrupted);
              accepted = is_valid (example->kind, corrupted);
              if (accepted != undetectable)
                g_error ("%s %s (from %s): %s, expected %s",
                         esa_id_kind_to_string (example->kind), corrupted, example->plain,
                         accepted ? "accepted" : "rejected",
                         undetectable ? "accepted" : "rejected");
              if (undetectable)
                {
                  n_undetectable++;
                  if (g_str_has_prefix (example->plain, "CH") && example->kind == ESA_ID_IBAN)
                    n_undetectable_swiss_iban++;
                  g_test_message ("undetectable by any check: %s (from %s)",
                                  corrupted, example->plain);
                }
              n_checked++;
            }
          corrupted[i] = example->plain[i];
        }

      /* A separator of the printed form replaced by a letter or a digit is
       * one character too many. */
      for (gsize i = 0; example->printed[i] != '\0'; i++)
        {
          g_autofree char *printed = g_strdup (example->printed);

          if (g_ascii_isalnum (printed[i]))
            continue;
          for (const char *c = alphabet; *c != '\0'; c++)
            {
              printed[i] = *c;
              g_assert_false (is_valid (example->kind, printed));
              n_checked++;
              n_expected++;
            }
        }
    }

  g_test_message ("%u single-character corruptions checked, %u rejected, "
                  "%u undetectable by construction",
                  n_checked, n_checked - n_undetectable, n_undetectable);
  g_assert_cmpuint (n_checked, ==, n_expected);
  /* Only the Swiss IBANs, which are not DOMAIN.md examples, can have
   * corruptions that no check detects; every DOMAIN.md example rejects all. */
  g_assert_cmpuint (n_undetectable, ==, n_undetectable_swiss_iban);
}

/* Omocodia replaces digits from the right: positions 15, 14, 13, 11, 10, 8
 * and 7 (1-based) by L M N P Q R S T U V for 0–9. */
static void
test_omocodia (void)
{
  static const int positions_from_right[] = { 14, 13, 12, 10, 9, 7, 6 };
  static const char letters[] = "LMNPQRSTUV";
  char code[17] = "RSSMRA85T10A562S";

  /* The first variant by hand: RSSMRA85T10A562S has check S, so its sum is
   * 18 mod 26. Position 15 is odd: "2" was worth 5 and its letter N is worth
   * 20, so the sum becomes 18 - 5 + 20 = 33 = 7 mod 26, check H. */
  g_assert_true (is_valid (ESA_ID_CODICE_FISCALE, "RSSMRA85T10A56NH"));
  g_assert_false (is_valid (ESA_ID_CODICE_FISCALE, "RSSMRA85T10A56NS"));

  for (gsize level = 0; level < G_N_ELEMENTS (positions_from_right); level++)
    {
      g_autofree char *normalized = NULL;
      int p = positions_from_right[level];
      char wrong[17];

      code[p] = letters[code[p] - '0'];
      code[15] = reference_cf_check (code);
      g_assert_true (esa_id_validate (ESA_ID_CODICE_FISCALE, code, &normalized, NULL));
      g_assert_cmpstr (normalized, ==, code);

      /* And the same variant with any other check character is refused. */
      memcpy (wrong, code, sizeof wrong);
      wrong[15] = code[15] == 'Z' ? 'A' : code[15] + 1;
      g_assert_false (is_valid (ESA_ID_CODICE_FISCALE, wrong));
    }
  /* All seven digits replaced: 85 → UR, 10 → ML, 562 → RSN. */
  g_assert_true (g_str_has_prefix (code, "RSSMRAURTMLARSN"));
}

static void
test_compose_examples (void)
{
  GDate date;
  g_autofree char *rossi = NULL;
  g_autofree char *boscolo = NULL;
  g_autofree char *woman = NULL;
  g_autofree char *piva = esa_partita_iva_compose ("0074311015");
  g_autofree char *ahv = esa_ahv_compose ("921707698");
  g_autofree char *uid = esa_uid_compose ("11628171");
  g_autofree char *iban_it = esa_iban_compose ("IT", "0542811101000000123456");
  g_autofree char *iban_ch = esa_iban_compose ("ch", "00762011623852957");
  g_autofree char *notice = esa_pagopa_notice_compose (3, "00", "7157000000000");
  g_autofree char *qrr = esa_qr_reference_compose ("21000000000313947143000901");
  g_autofree char *iuv3 = esa_pagopa_notice_iuv ("300715700000000032");
  g_autofree char *iuv0 = NULL;
  g_autofree char *notice0 = esa_pagopa_notice_compose (0, "12", "0000000000042");

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 10, G_DATE_DECEMBER, 1985);
  rossi = esa_codice_fiscale_compose ("Rossi", "Mario", 'M', &date, "A562");
  g_assert_cmpstr (rossi, ==, "RSSMRA85T10A562S");

  g_date_set_dmy (&date, 12, G_DATE_JANUARY, 1983);
  boscolo = esa_codice_fiscale_compose ("Boscolo", "Matteo", 'M', &date, "l719");
  g_assert_cmpstr (boscolo, ==, "BSCMTT83A12L719R");

  /* Short surname padded with X; a given name with four or more consonants
   * takes the first, third and fourth; women count 40 more days. */
  g_date_set_dmy (&date, 3, G_DATE_MARCH, 2001);
  woman = esa_codice_fiscale_compose ("Fo", "Gianfranca", 'F', &date, "H501");
  g_assert_true (g_str_has_prefix (woman, "FOXGFR01C43H501"));
  g_assert_true (is_valid (ESA_ID_CODICE_FISCALE, woman));

  g_assert_cmpstr (piva, ==, "00743110157");
  g_assert_cmpstr (ahv, ==, "7569217076985");
  g_assert_cmpstr (uid, ==, "CHE116281710");
  g_assert_cmpstr (iban_it, ==, "IT60X0542811101000000123456");
  g_assert_cmpstr (iban_ch, ==, "CH9300762011623852957");
  g_assert_cmpstr (notice, ==, "300715700000000032");
  g_assert_cmpstr (qrr, ==, "210000000003139471430009017");

  /* With aux digit 3 the segregation code belongs to the IUV; with 0 the
   * application code does not. */
  g_assert_cmpstr (iuv3, ==, "00715700000000032");
  iuv0 = esa_pagopa_notice_iuv (notice0);
  g_assert_cmpuint (strlen (iuv0), ==, 15);
  g_assert_true (g_str_has_prefix (iuv0, "0000000000042"));

  g_assert_true (esa_iban_is_qr_iban ("CH4431999123000889012"));
  g_assert_false (esa_iban_is_qr_iban ("CH9300762011623852957"));
  g_assert_false (esa_iban_is_qr_iban ("IT60X0542811101000000123456"));
  g_assert_false (esa_iban_is_qr_iban (NULL));
}

static char *
random_digits (guint n)
{
  char *digits = g_malloc (n + 1);

  for (guint i = 0; i < n; i++)
    digits[i] = (char) ('0' + g_test_rand_int_range (0, 10));
  digits[n] = '\0';
  return digits;
}

static char *
random_letters (guint n)
{
  char *letters = g_malloc (n + 1);

  for (guint i = 0; i < n; i++)
    letters[i] = (char) ('A' + g_test_rand_int_range (0, 26));
  letters[n] = '\0';
  return letters;
}

static void
assert_valid_composed (EsaIdKind   kind,
                       const char *composed)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = NULL;
  g_autofree char *printed = NULL;
  g_autofree char *reparsed = NULL;

  g_assert_nonnull (composed);
  esa_id_validate (kind, composed, &normalized, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (normalized, ==, composed);

  /* The printed form reads back to the same value. */
  printed = esa_id_format (kind, composed);
  g_assert_true (esa_id_validate (kind, printed, &reparsed, NULL));
  g_assert_cmpstr (reparsed, ==, composed);
}

static void
test_compose_round_trip (void)
{
  guint n_uid_without_check = 0;

  for (guint round = 0; round < 2000; round++)
    {
      g_autofree char *surname = random_letters ((guint) g_test_rand_int_range (1, 12));
      g_autofree char *given = random_letters ((guint) g_test_rand_int_range (1, 12));
      g_autofree char *place_digits = random_digits (3);
      g_autofree char *place = g_strdup_printf ("%c%s", 'A' + g_test_rand_int_range (0, 26),
                                                place_digits);
      g_autofree char *d10 = random_digits (10);
      g_autofree char *d9 = random_digits (9);
      g_autofree char *d8 = random_digits (8);
      g_autofree char *d22 = random_digits (22);
      g_autofree char *d17 = random_digits (17);
      g_autofree char *d2 = random_digits (2);
      g_autofree char *d13 = random_digits (13);
      g_autofree char *d26 = random_digits (26);
      g_autofree char *cf = NULL;
      g_autofree char *piva = NULL;
      g_autofree char *ahv = NULL;
      g_autofree char *uid = NULL;
      g_autofree char *iban_it = NULL;
      g_autofree char *iban_ch = NULL;
      g_autofree char *notice = NULL;
      g_autofree char *qrr = NULL;
      GDate birth;

      g_date_clear (&birth, 1);
      g_date_set_julian (&birth, (guint32) g_test_rand_int_range (693596, 740000));
      cf = esa_codice_fiscale_compose (surname, given, round % 2 ? 'M' : 'f', &birth, place);
      assert_valid_composed (ESA_ID_CODICE_FISCALE, cf);

      piva = esa_partita_iva_compose (d10);
      assert_valid_composed (ESA_ID_PARTITA_IVA, piva);
      g_assert_true (g_str_has_prefix (piva, d10));

      ahv = esa_ahv_compose (d9);
      assert_valid_composed (ESA_ID_AHV, ahv);

      uid = esa_uid_compose (d8);
      if (uid != NULL)
        assert_valid_composed (ESA_ID_UID, uid);
      else
        {
          g_assert_cmpuint (reference_uid_check (d8), ==, 10);
          n_uid_without_check++;
        }

      iban_it = esa_iban_compose ("IT", d22);
      assert_valid_composed (ESA_ID_IBAN, iban_it);
      g_assert_cmpuint (reference_iban_mod97 (iban_it), ==, 1);

      iban_ch = esa_iban_compose ("CH", d17);
      assert_valid_composed (ESA_ID_IBAN, iban_ch);

      /* Aux digits 3, 0 and 2 in turn. */
      notice = esa_pagopa_notice_compose ((guint[]) { 3, 0, 2 }[round % 3], d2, d13);
      assert_valid_composed (ESA_ID_PAGOPA_NOTICE, notice);

      qrr = esa_qr_reference_compose (d26);
      assert_valid_composed (ESA_ID_QR_REFERENCE, qrr);
    }

  /* About one body in eleven has no UID; the rounds met some. */
  g_test_message ("%u of 2000 random UID bodies have no check digit", n_uid_without_check);
  g_assert_cmpuint (n_uid_without_check, >, 0);
}

static void
test_kinds (void)
{
  for (guint i = 0; i < ESA_N_ID_KINDS; i++)
    {
      EsaIdKind kind;
      const char *name = esa_id_kind_to_string ((EsaIdKind) i);

      g_assert_true (esa_id_kind_from_string (name, &kind));
      g_assert_cmpint (kind, ==, i);
      g_assert_cmpstr (esa_id_kind_describe (kind), !=, "");
    }

  {
    EsaIdKind kind = ESA_ID_IBAN;

    g_assert_false (esa_id_kind_from_string ("passport", &kind));
    g_assert_false (esa_id_kind_from_string (NULL, &kind));
    g_assert_cmpint (kind, ==, ESA_ID_IBAN);
  }
}

static void
assert_v4_shape (const char *uuid)
{
  g_assert_true (g_uuid_string_is_valid (uuid));
  g_assert_cmpuint (strlen (uuid), ==, 36);
  /* Lower case, version 4, RFC 4122 variant (8, 9, a or b). */
  for (const char *p = uuid; *p != '\0'; p++)
    g_assert_false (g_ascii_isupper (*p));
  g_assert_cmpint (uuid[14], ==, '4');
  g_assert_nonnull (strchr ("89ab", uuid[19]));
}

static void
test_uuid (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *seeded = esa_uuid_from_seed ("debtor", 42, 7);
  g_autofree char *same = esa_uuid_from_seed ("debtor", 42, 7);
  g_autofree char *other_n = esa_uuid_from_seed ("debtor", 42, 8);
  g_autofree char *other_seed = esa_uuid_from_seed ("debtor", 43, 7);
  g_autofree char *other_ns = esa_uuid_from_seed ("case", 42, 7);
  g_autofree char *shifted_a = esa_uuid_from_seed ("ab", 0, 0);
  g_autofree char *shifted_b = esa_uuid_from_seed ("a", 0, 0);

  for (guint i = 0; i < 1000; i++)
    {
      char *random = esa_uuid_new ();

      assert_v4_shape (random);
      g_assert_false (g_hash_table_contains (seen, random));
      g_hash_table_add (seen, random);
    }

  assert_v4_shape (seeded);
  g_assert_cmpstr (seeded, ==, same);
  g_assert_cmpstr (seeded, !=, other_n);
  g_assert_cmpstr (seeded, !=, other_seed);
  g_assert_cmpstr (seeded, !=, other_ns);
  g_assert_cmpstr (shifted_a, !=, shifted_b);

  /* Many seeded ids, all distinct and well formed. */
  for (guint64 n = 0; n < 1000; n++)
    {
      char *id = esa_uuid_from_seed ("debtor", 1, n);

      assert_v4_shape (id);
      g_assert_false (g_hash_table_contains (seen, id));
      g_hash_table_add (seen, id);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/identifiers/valid-examples", test_valid_examples);
  g_test_add_func ("/identifiers/format", test_format);
  g_test_add_func ("/identifiers/invalid-examples", test_invalid_examples);
  g_test_add_func ("/identifiers/structure", test_structure);
  g_test_add_func ("/identifiers/lengths-and-characters", test_lengths_and_characters);
  g_test_add_func ("/identifiers/every-corruption", test_every_corruption);
  g_test_add_func ("/identifiers/omocodia", test_omocodia);
  g_test_add_func ("/identifiers/compose-examples", test_compose_examples);
  g_test_add_func ("/identifiers/compose-round-trip", test_compose_round_trip);
  g_test_add_func ("/identifiers/kinds", test_kinds);
  g_test_add_func ("/identifiers/uuid", test_uuid);

  return g_test_run ();
}
