#include "esa-identifiers.h"
#include "esa-core-error.h"

#include <glib/gi18n-lib.h>
#include <stdarg.h>
#include <string.h>

static const char * const kind_names[ESA_N_ID_KINDS] = {
  "cf", "piva", "ahv", "uid", "iban", "avviso", "qrr",
};

static const char * const kind_descriptions[ESA_N_ID_KINDS] = {
  N_("tax code"),
  N_("VAT number"),
  N_("AHV number"),
  N_("UID"),
  N_("IBAN"),
  N_("pagoPA notice number"),
  N_("QR reference"),
};

/* The codice fiscale check gives each character at an odd position (1st,
 * 3rd, …) one of these values, by letter; a digit d counts as the letter
 * 'A' + d. At even positions a letter counts its index, a digit its value.
 * The Italian IBAN's CIN uses the same tables. */
static const guint8 odd_values[26] = {
  1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
};

/* Month letters of the codice fiscale, January to December. */
static const char cf_months[] = "ABCDEHLMPRST";

/* Omocodia: when two people would get the same code, digits are replaced,
 * from the right, by these letters (the letter at index d stands for d). */
static const char cf_omocodia[] = "LMNPQRSTUV";

/* The positions (0-based) of the codice fiscale that hold digits. */
static const gboolean cf_digit_positions[16] = {
  FALSE, FALSE, FALSE, FALSE, FALSE, FALSE, TRUE, TRUE,
  FALSE, TRUE, TRUE, FALSE, TRUE, TRUE, TRUE, FALSE,
};

/* The recursive mod-10 table of the Swiss QR reference (and of the older
 * ESR/ISR reference it comes from). */
static const guint8 mod10_table[10] = { 0, 9, 4, 6, 8, 2, 7, 1, 3, 5 };

typedef struct
{
  char        code[3];
  guint8      length;
  /* The national part as runs of digits (n), upper case letters (a) or
   * either (c), as in the SWIFT IBAN registry; NULL where only the length is
   * checked here. */
  const char *bban;
  const char *name;
} IbanCountry;

/* Countries of the SWIFT IBAN registry, with their IBAN lengths. */
static const IbanCountry iban_countries[] = {
  { "AD", 24, NULL, N_("Andorra") },
  { "AE", 23, NULL, N_("the United Arab Emirates") },
  { "AL", 28, NULL, N_("Albania") },
  { "AT", 20, "16n", N_("Austria") },
  { "AZ", 28, NULL, N_("Azerbaijan") },
  { "BA", 20, NULL, N_("Bosnia and Herzegovina") },
  { "BE", 16, "12n", N_("Belgium") },
  { "BG", 22, NULL, N_("Bulgaria") },
  { "BH", 22, NULL, N_("Bahrain") },
  { "BR", 29, NULL, N_("Brazil") },
  { "BY", 28, NULL, N_("Belarus") },
  { "CH", 21, "5n12c", N_("Switzerland") },
  { "CR", 22, NULL, N_("Costa Rica") },
  { "CY", 28, NULL, N_("Cyprus") },
  { "CZ", 24, NULL, N_("the Czech Republic") },
  { "DE", 22, "18n", N_("Germany") },
  { "DK", 18, NULL, N_("Denmark") },
  { "DO", 28, NULL, N_("the Dominican Republic") },
  { "EE", 20, NULL, N_("Estonia") },
  { "EG", 29, NULL, N_("Egypt") },
  { "ES", 24, "20n", N_("Spain") },
  { "FI", 18, NULL, N_("Finland") },
  { "FO", 18, NULL, N_("the Faroe Islands") },
  { "FR", 27, "5n5n11c2n", N_("France") },
  { "GB", 22, "4a14n", N_("the United Kingdom") },
  { "GE", 22, NULL, N_("Georgia") },
  { "GI", 23, NULL, N_("Gibraltar") },
  { "GL", 18, NULL, N_("Greenland") },
  { "GR", 27, NULL, N_("Greece") },
  { "GT", 28, NULL, N_("Guatemala") },
  { "HR", 21, NULL, N_("Croatia") },
  { "HU", 28, NULL, N_("Hungary") },
  { "IE", 22, "4a14n", N_("Ireland") },
  { "IL", 23, NULL, N_("Israel") },
  { "IQ", 23, NULL, N_("Iraq") },
  { "IS", 26, NULL, N_("Iceland") },
  { "IT", 27, "1a10n12c", N_("Italy") },
  { "JO", 30, NULL, N_("Jordan") },
  { "KW", 30, NULL, N_("Kuwait") },
  { "KZ", 20, NULL, N_("Kazakhstan") },
  { "LB", 28, NULL, N_("Lebanon") },
  { "LC", 32, NULL, N_("Saint Lucia") },
  { "LI", 21, "5n12c", N_("Liechtenstein") },
  { "LT", 20, NULL, N_("Lithuania") },
  { "LU", 20, "3n13c", N_("Luxembourg") },
  { "LV", 21, NULL, N_("Latvia") },
  { "MC", 27, "5n5n11c2n", N_("Monaco") },
  { "MD", 24, NULL, N_("Moldova") },
  { "ME", 22, NULL, N_("Montenegro") },
  { "MK", 19, NULL, N_("North Macedonia") },
  { "MR", 27, NULL, N_("Mauritania") },
  { "MT", 31, NULL, N_("Malta") },
  { "MU", 30, NULL, N_("Mauritius") },
  { "NL", 18, "4a10n", N_("the Netherlands") },
  { "NO", 15, NULL, N_("Norway") },
  { "PK", 24, NULL, N_("Pakistan") },
  { "PL", 28, NULL, N_("Poland") },
  { "PS", 29, NULL, N_("Palestine") },
  { "PT", 25, "21n", N_("Portugal") },
  { "QA", 29, NULL, N_("Qatar") },
  { "RO", 24, NULL, N_("Romania") },
  { "RS", 22, NULL, N_("Serbia") },
  { "SA", 24, NULL, N_("Saudi Arabia") },
  { "SC", 31, NULL, N_("Seychelles") },
  { "SE", 24, NULL, N_("Sweden") },
  { "SI", 19, NULL, N_("Slovenia") },
  { "SK", 24, NULL, N_("Slovakia") },
  { "SM", 27, "1a10n12c", N_("San Marino") },
  { "ST", 25, NULL, N_("São Tomé and Príncipe") },
  { "SV", 28, NULL, N_("El Salvador") },
  { "TL", 23, NULL, N_("Timor-Leste") },
  { "TN", 24, NULL, N_("Tunisia") },
  { "TR", 26, NULL, N_("Turkey") },
  { "UA", 29, NULL, N_("Ukraine") },
  { "VA", 22, "18n", N_("Vatican City") },
  { "VG", 24, NULL, N_("the British Virgin Islands") },
  { "XK", 20, NULL, N_("Kosovo") },
};

static gboolean set_invalid (GError     **error,
                             const char  *format,
                             ...) G_GNUC_PRINTF (2, 3);

static gboolean
set_invalid (GError     **error,
             const char  *format,
             ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID,
                                                format, args));
  va_end (args);
  return FALSE;
}

static const char *
describe (EsaIdKind kind)
{
  return _(kind_descriptions[kind]);
}

static gboolean
all_digits (const char *text,
            gsize       n)
{
  for (gsize i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
    }
  return TRUE;
}

static guint
digit_at (const char *text,
          gsize       i)
{
  return (guint) (text[i] - '0');
}

/* The check character shared by the codice fiscale (over its first 15
 * characters) and the Italian CIN (over ABI, CAB and account). */
static char
odd_even_check (const char *text,
                gsize       n)
{
  guint sum = 0;

  for (gsize i = 0; i < n; i++)
    {
      guint index = g_ascii_isdigit (text[i]) ? digit_at (text, i) : (guint) (text[i] - 'A');

      sum += i % 2 == 0 ? odd_values[index] : index;
    }
  return (char) ('A' + sum % 26);
}

static guint
luhn_check (const char *digits,
            gsize       n)
{
  guint sum = 0;

  for (gsize i = 0; i < n; i++)
    {
      guint d = digit_at (digits, i);

      if (i % 2 == 1)
        d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      sum += d;
    }
  return (10 - sum % 10) % 10;
}

static guint
ean_check (const char *digits,
           gsize       n)
{
  guint sum = 0;

  /* The weights run 1, 3, 1, … from the left of the 12 digits before the
   * check digit (from the right, the digit next to the check weighs 3). */
  for (gsize i = 0; i < n; i++)
    sum += digit_at (digits, i) * (i % 2 == 0 ? 1 : 3);
  return (10 - sum % 10) % 10;
}

/* The UID check digit, or 10 when the 8 digits have none. */
static guint
uid_check (const char *digits8)
{
  static const guint weights[8] = { 5, 4, 3, 2, 7, 6, 5, 4 };
  guint sum = 0;
  guint check;

  for (gsize i = 0; i < 8; i++)
    sum += digit_at (digits8, i) * weights[i];
  check = 11 - sum % 11;
  return check == 11 ? 0 : check;
}

static guint
qr_reference_check (const char *digits,
                    gsize       n)
{
  guint carry = 0;

  for (gsize i = 0; i < n; i++)
    carry = mod10_table[(carry + digit_at (digits, i)) % 10];
  return (10 - carry) % 10;
}

static guint
pagopa_check (const char *digits16)
{
  guint64 value = 0;

  for (gsize i = 0; i < 16; i++)
    value = value * 10 + digit_at (digits16, i);
  return (guint) (value % 93);
}

/* The remainder mod 97 of @text read as ISO 13616 does: digits as they are,
 * letters as two digits, A = 10 … Z = 35. */
static guint
mod97_feed (guint       remainder,
            const char *text,
            gsize       n)
{
  for (gsize i = 0; i < n; i++)
    {
      if (g_ascii_isdigit (text[i]))
        remainder = (remainder * 10 + digit_at (text, i)) % 97;
      else
        remainder = (remainder * 100 + (guint) (text[i] - 'A') + 10) % 97;
    }
  return remainder;
}

/* The IBAN is checked with its first four characters moved to the end. */
static guint
iban_mod97 (const char *iban)
{
  gsize len = strlen (iban);

  return mod97_feed (mod97_feed (0, iban + 4, len - 4), iban, 4);
}

static const IbanCountry *
find_iban_country (const char *code)
{
  for (gsize i = 0; i < G_N_ELEMENTS (iban_countries); i++)
    {
      if (strncmp (iban_countries[i].code, code, 2) == 0)
        return &iban_countries[i];
    }
  return NULL;
}

static gboolean
expect_length (EsaIdKind    kind,
               const char  *shown,
               const char  *id,
               gsize        expected,
               GError     **error)
{
  gsize len = strlen (id);

  if (len == expected)
    return TRUE;

  return set_invalid (error,
                      /* Translators: "tax code RSSMRA85T10 has 11 characters; it
                       * should have 16"; the first %s is the kind of identifier,
                       * the second the value */
                      g_dngettext (GETTEXT_PACKAGE,
                                   "%s %s has %u character; it should have %u",
                                   "%s %s has %u characters; it should have %u",
                                   len),
                      describe (kind), shown, (guint) len, (guint) expected);
}

static gboolean
expect_digit (EsaIdKind    kind,
              const char  *shown,
              const char  *id,
              gsize        i,
              GError     **error)
{
  if (g_ascii_isdigit (id[i]))
    return TRUE;

  return set_invalid (error,
                      /* Translators: "VAT number 0074311015A: character 11 (“A”)
                       * should be a digit" */
                      _("%s %s: character %u (“%c”) should be a digit"),
                      describe (kind), shown, (guint) i + 1, id[i]);
}

static gboolean
expect_letter (EsaIdKind    kind,
               const char  *shown,
               const char  *id,
               gsize        i,
               GError     **error)
{
  if (g_ascii_isupper (id[i]))
    return TRUE;

  return set_invalid (error,
                      _("%s %s: character %u (“%c”) should be a letter"),
                      describe (kind), shown, (guint) i + 1, id[i]);
}

static gboolean
expect_digits (EsaIdKind    kind,
               const char  *shown,
               const char  *id,
               gsize        expected_length,
               GError     **error)
{
  if (!expect_length (kind, shown, id, expected_length, error))
    return FALSE;

  for (gsize i = 0; i < expected_length; i++)
    {
      if (!expect_digit (kind, shown, id, i, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
wrong_check_digit (EsaIdKind    kind,
                   const char  *shown,
                   GError     **error)
{
  return set_invalid (error,
                      /* Translators: "VAT number 00743110158: wrong check digit" */
                      _("%s %s: wrong check digit"),
                      describe (kind), shown);
}

/* Upper case, without the separators people type; NULL with an error for
 * any other character. */
static char *
normalize (EsaIdKind    kind,
           const char  *shown,
           GError     **error)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (const char *p = shown; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (*p == ' ' || *p == '\t' || *p == '.' || *p == '-')
        continue;

      if (!g_ascii_isalnum (*p))
        {
          char character[8] = { 0 };

          g_unichar_to_utf8 (g_utf8_get_char (p), character);
          set_invalid (error,
                       /* Translators: "tax code RSS#MRA…: “#” is neither a letter
                        * nor a digit" */
                       _("%s %s: “%s” is neither a letter nor a digit"),
                       describe (kind), shown, character);
          return NULL;
        }

      g_string_append_c (out, g_ascii_toupper (*p));
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static guint
cf_decode_digit (char c)
{
  const char *omocode = strchr (cf_omocodia, c);

  return omocode != NULL ? (guint) (omocode - cf_omocodia) : (guint) (c - '0');
}

static gboolean
validate_codice_fiscale (const char  *shown,
                         const char  *id,
                         GError     **error)
{
  const EsaIdKind kind = ESA_ID_CODICE_FISCALE;
  guint month, day, day_of_month;
  char check;

  if (!expect_length (kind, shown, id, 16, error))
    return FALSE;

  for (gsize i = 0; i < 16; i++)
    {
      if (cf_digit_positions[i])
        {
          if (strchr (cf_omocodia, id[i]) == NULL && !expect_digit (kind, shown, id, i, error))
            return FALSE;
        }
      else if (!expect_letter (kind, shown, id, i, error))
        {
          return FALSE;
        }
    }

  if (strchr (cf_months, id[8]) == NULL)
    return set_invalid (error,
                        /* Translators: "tax code RSSMRA85F10A562S: “F” is not a
                         * month letter (ABCDEHLMPRST)" */
                        _("%s %s: “%c” is not a month letter (%s)"),
                        describe (kind), shown, id[8], cf_months);
  month = (guint) (strchr (cf_months, id[8]) - cf_months) + 1;

  /* Women have 40 added to the day of birth. February counts 29 days
   * because the two-digit year does not tell the century. */
  day = cf_decode_digit (id[9]) * 10 + cf_decode_digit (id[10]);
  day_of_month = day > 40 ? day - 40 : day;
  if (day_of_month < 1 || day > 71 || (day > 31 && day < 41)
      || day_of_month > g_date_get_days_in_month ((GDateMonth) month, 2000))
    return set_invalid (error,
                        /* Translators: "tax code RSSMRA85T35A562S: 35 is not a
                         * day of birth" */
                        _("%s %s: %02u is not a day of birth (01–31, or 41–71 for women, "
                          "within the month)"),
                        describe (kind), shown, day);

  check = odd_even_check (id, 15);
  if (id[15] != check)
    return set_invalid (error,
                        /* Translators: "tax code RSSMRA85T10A562T has a wrong check
                         * character: expected S" */
                        _("%s %s has a wrong check character: expected %c"),
                        describe (kind), shown, check);

  return TRUE;
}

static gboolean
validate_partita_iva (const char  *shown,
                      const char  *id,
                      GError     **error)
{
  if (!expect_digits (ESA_ID_PARTITA_IVA, shown, id, 11, error))
    return FALSE;

  if (digit_at (id, 10) != luhn_check (id, 10))
    return wrong_check_digit (ESA_ID_PARTITA_IVA, shown, error);

  return TRUE;
}

static gboolean
validate_ahv (const char  *shown,
              const char  *id,
              GError     **error)
{
  if (!expect_digits (ESA_ID_AHV, shown, id, 13, error))
    return FALSE;

  if (strncmp (id, "756", 3) != 0)
    return set_invalid (error,
                        /* Translators: 756 is the country prefix, keep it */
                        _("%s %s should start with 756"),
                        describe (ESA_ID_AHV), shown);

  if (digit_at (id, 12) != ean_check (id, 12))
    return wrong_check_digit (ESA_ID_AHV, shown, error);

  return TRUE;
}

static gboolean
validate_uid (const char  *shown,
              const char  *id,
              GError     **error)
{
  if (strncmp (id, "CHE", 3) != 0)
    return set_invalid (error,
                        /* Translators: CHE is the prefix of every UID, keep it */
                        _("%s %s should start with CHE"),
                        describe (ESA_ID_UID), shown);

  if (!expect_length (ESA_ID_UID, shown, id, 12, error))
    return FALSE;

  for (gsize i = 3; i < 12; i++)
    {
      if (!expect_digit (ESA_ID_UID, shown, id, i, error))
        return FALSE;
    }

  /* A body whose check would be 10 has no valid UID at all. */
  if (digit_at (id, 11) != uid_check (id + 3))
    return wrong_check_digit (ESA_ID_UID, shown, error);

  return TRUE;
}

/* Checks the national part against the registry's runs of n, a and c. */
static gboolean
validate_bban_format (const char  *shown,
                      const char  *id,
                      const char  *format,
                      GError     **error)
{
  gsize position = 4;

  for (const char *f = format; *f != '\0';)
    {
      guint count = 0;
      char type;

      while (g_ascii_isdigit (*f))
        count = count * 10 + (guint) (*f++ - '0');
      type = *f++;

      for (guint i = 0; i < count; i++, position++)
        {
          if (type == 'n' && !expect_digit (ESA_ID_IBAN, shown, id, position, error))
            return FALSE;
          if (type == 'a' && !expect_letter (ESA_ID_IBAN, shown, id, position, error))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
validate_iban (const char  *shown,
               const char  *id,
               GError     **error)
{
  const IbanCountry *country;
  gsize len = strlen (id);

  if (len < 2 || !g_ascii_isupper (id[0]) || !g_ascii_isupper (id[1]))
    return set_invalid (error,
                        _("%s %s should start with a country code such as IT or CH"),
                        describe (ESA_ID_IBAN), shown);

  country = find_iban_country (id);
  if (country == NULL)
    return set_invalid (error,
                        /* Translators: "IBAN XX12…: XX is not a country that uses
                         * IBANs" */
                        _("%s %s: %.2s is not a country that uses IBANs"),
                        describe (ESA_ID_IBAN), shown, id);

  if (len != country->length)
    return set_invalid (error,
                        /* Translators: "IBAN IT60X05… has 26 characters; IBANs
                         * from Italy have 27" */
                        g_dngettext (GETTEXT_PACKAGE,
                                     "IBAN %s has %u character; IBANs from %s have %u",
                                     "IBAN %s has %u characters; IBANs from %s have %u",
                                     len),
                        shown, (guint) len, _(country->name), (guint) country->length);

  if (!expect_digit (ESA_ID_IBAN, shown, id, 2, error)
      || !expect_digit (ESA_ID_IBAN, shown, id, 3, error))
    return FALSE;

  if (country->bban != NULL && !validate_bban_format (shown, id, country->bban, error))
    return FALSE;

  if (iban_mod97 (id) != 1)
    return set_invalid (error,
                        _("%s %s: wrong check digits"),
                        describe (ESA_ID_IBAN), shown);

  /* Italian banks add their own check letter, the CIN, in front of ABI,
   * CAB and account; it catches what mod 97 lets through when a letter
   * stands where a digit belongs in the account. */
  if (strncmp (id, "IT", 2) == 0)
    {
      char cin = odd_even_check (id + 5, 22);

      if (id[4] != cin)
        return set_invalid (error,
                            /* Translators: CIN is the Italian bank check letter */
                            _("%s %s has a wrong CIN: expected %c"),
                            describe (ESA_ID_IBAN), shown, cin);
    }

  return TRUE;
}

static gboolean
validate_pagopa_notice (const char  *shown,
                        const char  *id,
                        GError     **error)
{
  if (!expect_digits (ESA_ID_PAGOPA_NOTICE, shown, id, 18, error))
    return FALSE;

  /* Aux digit 1 once meant "17 free IUV digits, no check digits". Current
   * notices (SACI 3.x) use aux digit 3, older ones 0 or 2, all with check
   * digits; a 1 cannot be verified and is far likelier a mistyped 3. */
  if (id[0] > '3' || id[0] == '1')
    return set_invalid (error,
                        /* Translators: the aux digit is the first digit of the
                         * notice number */
                        _("%s %s: the first digit (aux digit) should be 3 (or 0 or 2 on older notices)"),
                        describe (ESA_ID_PAGOPA_NOTICE), shown);

  if (digit_at (id, 16) * 10 + digit_at (id, 17) != pagopa_check (id))
    return set_invalid (error,
                        _("%s %s: wrong check digits"),
                        describe (ESA_ID_PAGOPA_NOTICE), shown);

  return TRUE;
}

static gboolean
validate_qr_reference (const char  *shown,
                       const char  *id,
                       GError     **error)
{
  if (!expect_digits (ESA_ID_QR_REFERENCE, shown, id, 27, error))
    return FALSE;

  if (digit_at (id, 26) != qr_reference_check (id, 26))
    return wrong_check_digit (ESA_ID_QR_REFERENCE, shown, error);

  return TRUE;
}

gboolean
esa_id_kind_from_string (const char *name,
                         EsaIdKind  *out)
{
  g_return_val_if_fail (out != NULL, FALSE);

  for (guint i = 0; i < ESA_N_ID_KINDS; i++)
    {
      if (g_strcmp0 (name, kind_names[i]) == 0)
        {
          *out = (EsaIdKind) i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
esa_id_kind_to_string (EsaIdKind kind)
{
  g_return_val_if_fail (kind < ESA_N_ID_KINDS, NULL);

  return kind_names[kind];
}

const char *
esa_id_kind_describe (EsaIdKind kind)
{
  g_return_val_if_fail (kind < ESA_N_ID_KINDS, NULL);

  return describe (kind);
}

gboolean
esa_id_validate (EsaIdKind    kind,
                 const char  *value,
                 char       **normalized,
                 GError     **error)
{
  g_autofree char *shown = NULL;
  g_autofree char *id = NULL;
  gboolean valid = FALSE;

  if (normalized != NULL)
    *normalized = NULL;

  g_return_val_if_fail (kind < ESA_N_ID_KINDS, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Messages quote the value as the person typed it, without the spaces
   * around it, and always as valid UTF-8. */
  shown = g_strstrip (g_utf8_make_valid (value != NULL ? value : "", -1));
  if (*shown == '\0')
    return set_invalid (error,
                        /* Translators: "tax code: nothing was entered" */
                        _("%s: nothing was entered"),
                        describe (kind));

  id = normalize (kind, shown, error);
  if (id == NULL)
    return FALSE;

  switch (kind)
    {
    case ESA_ID_CODICE_FISCALE:
      valid = validate_codice_fiscale (shown, id, error);
      break;
    case ESA_ID_PARTITA_IVA:
      valid = validate_partita_iva (shown, id, error);
      break;
    case ESA_ID_AHV:
      valid = validate_ahv (shown, id, error);
      break;
    case ESA_ID_UID:
      valid = validate_uid (shown, id, error);
      break;
    case ESA_ID_IBAN:
      valid = validate_iban (shown, id, error);
      break;
    case ESA_ID_PAGOPA_NOTICE:
      valid = validate_pagopa_notice (shown, id, error);
      break;
    case ESA_ID_QR_REFERENCE:
      valid = validate_qr_reference (shown, id, error);
      break;
    case ESA_N_ID_KINDS:
    default:
      g_assert_not_reached ();
    }

  if (valid && normalized != NULL)
    *normalized = g_steal_pointer (&id);

  return valid;
}

/* Copies @text inserting @separator before each position listed in
 * @breaks (ascending, ending with 0). */
static char *
insert_separators (const char  *text,
                   const char  *separator,
                   const guint *breaks)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; text[i] != '\0'; i++)
    {
      if (*breaks != 0 && i == *breaks)
        {
          g_string_append (out, separator);
          breaks++;
        }
      g_string_append_c (out, text[i]);
    }
  return g_string_free (out, FALSE);
}

static char *
group_by_four (const char *text)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; text[i] != '\0'; i++)
    {
      if (i > 0 && i % 4 == 0)
        g_string_append_c (out, ' ');
      g_string_append_c (out, text[i]);
    }
  return g_string_free (out, FALSE);
}

char *
esa_id_format (EsaIdKind   kind,
               const char *normalized)
{
  static const guint ahv_breaks[] = { 3, 7, 11, 0 };
  static const guint qrr_breaks[] = { 2, 7, 12, 17, 22, 0 };
  gsize len;

  g_return_val_if_fail (kind < ESA_N_ID_KINDS, NULL);

  if (normalized == NULL)
    return g_strdup ("");

  /* Anything not in the normalized form is shown as it is. */
  len = strlen (normalized);
  switch (kind)
    {
    case ESA_ID_AHV:
      if (len == 13)
        return insert_separators (normalized, ".", ahv_breaks);
      break;
    case ESA_ID_UID:
      if (len == 12)
        return g_strdup_printf ("%.3s-%.3s.%.3s.%.3s",
                                normalized, normalized + 3, normalized + 6, normalized + 9);
      break;
    case ESA_ID_IBAN:
    case ESA_ID_PAGOPA_NOTICE:
      return group_by_four (normalized);
    case ESA_ID_QR_REFERENCE:
      if (len == 27)
        return insert_separators (normalized, " ", qrr_breaks);
      break;
    case ESA_ID_CODICE_FISCALE:
    case ESA_ID_PARTITA_IVA:
    case ESA_N_ID_KINDS:
    default:
      break;
    }
  return g_strdup (normalized);
}

/* Returns @id when it validates; a builder given arguments outside its
 * contract gets a critical warning and NULL rather than a bad identifier. */
static char *
checked (EsaIdKind  kind,
         char      *id)
{
  g_autoptr(GError) error = NULL;

  if (!esa_id_validate (kind, id, NULL, &error))
    {
      g_critical ("composed %s is invalid: %s", kind_names[kind], error->message);
      g_free (id);
      return NULL;
    }
  return id;
}

/* The three letters of a surname (@given FALSE) or a given name: consonants
 * first, then vowels, then X; a given name with four or more consonants
 * takes the first, third and fourth. */
static void
cf_name_code (const char *name,
              gboolean    given,
              GString    *out)
{
  g_autoptr(GString) consonants = g_string_new (NULL);
  g_autoptr(GString) letters = g_string_new (NULL);

  for (const char *p = name; *p != '\0'; p++)
    {
      char c = g_ascii_toupper (*p);

      if (!g_ascii_isupper (c))
        continue;
      if (strchr ("AEIOU", c) == NULL)
        g_string_append_c (consonants, c);
    }

  if (given && consonants->len >= 4)
    {
      g_string_append_c (out, consonants->str[0]);
      g_string_append_c (out, consonants->str[2]);
      g_string_append_c (out, consonants->str[3]);
      return;
    }

  g_string_append (letters, consonants->str);
  for (const char *p = name; *p != '\0'; p++)
    {
      char c = g_ascii_toupper (*p);

      if (strchr ("AEIOU", c) != NULL)
        g_string_append_c (letters, c);
    }
  g_string_append (letters, "XXX");
  g_string_append_len (out, letters->str, 3);
}

char *
esa_codice_fiscale_compose (const char  *surname,
                            const char  *given,
                            char         sex,
                            const GDate *birth,
                            const char  *place)
{
  GString *out;
  guint day;

  g_return_val_if_fail (surname != NULL && given != NULL, NULL);
  g_return_val_if_fail (sex == 'M' || sex == 'F' || sex == 'm' || sex == 'f', NULL);
  g_return_val_if_fail (birth != NULL && g_date_valid (birth), NULL);
  g_return_val_if_fail (place != NULL && strlen (place) == 4, NULL);

  out = g_string_new (NULL);
  cf_name_code (surname, FALSE, out);
  cf_name_code (given, TRUE, out);

  day = g_date_get_day (birth) + (g_ascii_toupper (sex) == 'F' ? 40 : 0);
  g_string_append_printf (out, "%02u%c%02u",
                          (guint) (g_date_get_year (birth) % 100),
                          cf_months[g_date_get_month (birth) - 1],
                          day);
  for (guint i = 0; i < 4; i++)
    g_string_append_c (out, g_ascii_toupper (place[i]));
  g_string_append_c (out, odd_even_check (out->str, 15));

  return checked (ESA_ID_CODICE_FISCALE, g_string_free (out, FALSE));
}

char *
esa_partita_iva_compose (const char *body10)
{
  g_return_val_if_fail (body10 != NULL && strlen (body10) == 10 && all_digits (body10, 10), NULL);

  return checked (ESA_ID_PARTITA_IVA,
                  g_strdup_printf ("%s%u", body10, luhn_check (body10, 10)));
}

char *
esa_ahv_compose (const char *body9)
{
  g_autofree char *body = NULL;

  g_return_val_if_fail (body9 != NULL && strlen (body9) == 9 && all_digits (body9, 9), NULL);

  body = g_strconcat ("756", body9, NULL);
  return checked (ESA_ID_AHV, g_strdup_printf ("%s%u", body, ean_check (body, 12)));
}

char *
esa_uid_compose (const char *body8)
{
  guint check;

  g_return_val_if_fail (body8 != NULL && strlen (body8) == 8 && all_digits (body8, 8), NULL);

  check = uid_check (body8);
  if (check == 10)
    return NULL;

  return checked (ESA_ID_UID, g_strdup_printf ("CHE%s%u", body8, check));
}

char *
esa_iban_compose (const char *country,
                  const char *bban)
{
  const IbanCountry *info;
  g_autofree char *code = NULL;
  g_autofree char *national = NULL;
  guint remainder;

  g_return_val_if_fail (country != NULL && strlen (country) == 2, NULL);
  g_return_val_if_fail (bban != NULL, NULL);

  code = g_ascii_strup (country, -1);
  info = find_iban_country (code);
  g_return_val_if_fail (info != NULL, NULL);

  national = g_ascii_strup (bban, -1);
  if (strcmp (code, "IT") == 0)
    {
      g_autofree char *without_cin = g_steal_pointer (&national);

      g_return_val_if_fail (strlen (without_cin) == 22, NULL);
      national = g_strdup_printf ("%c%s", odd_even_check (without_cin, 22), without_cin);
    }
  g_return_val_if_fail (strlen (national) + 4 == info->length, NULL);

  /* ISO 13616: the check digits make the rearranged number 1 mod 97. */
  remainder = mod97_feed (mod97_feed (0, national, strlen (national)), code, 2);
  remainder = mod97_feed (remainder, "00", 2);

  return checked (ESA_ID_IBAN, g_strdup_printf ("%s%02u%s", code, 98 - remainder, national));
}

char *
esa_pagopa_notice_compose (guint       aux,
                           const char *code,
                           const char *base)
{
  g_autofree char *body = NULL;

  g_return_val_if_fail (aux <= 3 && aux != 1, NULL);
  g_return_val_if_fail (code != NULL && strlen (code) == 2 && all_digits (code, 2), NULL);
  g_return_val_if_fail (base != NULL && strlen (base) == 13 && all_digits (base, 13), NULL);

  /* With aux digit 2 the code is simply the start of a 15-digit IUV base. */
  body = g_strdup_printf ("%u%s%s", aux, code, base);
  return checked (ESA_ID_PAGOPA_NOTICE, g_strdup_printf ("%s%02u", body, pagopa_check (body)));
}

char *
esa_qr_reference_compose (const char *digits26)
{
  g_return_val_if_fail (digits26 != NULL && strlen (digits26) == 26 && all_digits (digits26, 26),
                        NULL);

  return checked (ESA_ID_QR_REFERENCE,
                  g_strdup_printf ("%s%u", digits26, qr_reference_check (digits26, 26)));
}

char *
esa_pagopa_notice_iuv (const char *notice18)
{
  g_return_val_if_fail (notice18 != NULL && strlen (notice18) == 18 && all_digits (notice18, 18),
                        NULL);

  /* Only with aux digit 0 does the application code stand outside the IUV;
   * with aux digit 3 the segregation code is the IUV's own first two digits. */
  return g_strdup (notice18 + (notice18[0] == '0' ? 3 : 1));
}

gboolean
esa_iban_is_qr_iban (const char *normalized)
{
  guint iid;

  if (normalized == NULL || strlen (normalized) != 21
      || (strncmp (normalized, "CH", 2) != 0 && strncmp (normalized, "LI", 2) != 0)
      || !all_digits (normalized + 4, 5))
    return FALSE;

  iid = 0;
  for (gsize i = 4; i < 9; i++)
    iid = iid * 10 + digit_at (normalized, i);
  return iid >= 30000 && iid <= 31999;
}
