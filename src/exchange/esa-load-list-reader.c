/* esa-load-list-reader.c: load list files read and checked row by row
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "esa-csv-reader.h"
#include "esa-date.h"
#include "esa-identifiers.h"
#include "esa-load-list-reader.h"
#include "esa-money.h"

struct _EsaLoadListReader
{
  GObject             parent_instance;

  EsaLoadListMapping *mapping;
  char               *default_country;
  char               *sha256;

  /* The current row: each field's value, trimmed, or NULL when empty (and
   * without a default). The strings are reused from row to row. */
  GString            *buffers[ESA_LOAD_LIST_N_FIELDS];
  const char         *values[ESA_LOAD_LIST_N_FIELDS];
};

G_DEFINE_FINAL_TYPE (EsaLoadListReader, esa_load_list_reader, G_TYPE_OBJECT)

static void
esa_load_list_reader_finalize (GObject *object)
{
  EsaLoadListReader *self = ESA_LOAD_LIST_READER (object);

  g_clear_object (&self->mapping);
  g_free (self->default_country);
  g_free (self->sha256);
  for (guint i = 0; i < ESA_LOAD_LIST_N_FIELDS; i++)
    g_string_free (self->buffers[i], TRUE);

  G_OBJECT_CLASS (esa_load_list_reader_parent_class)->finalize (object);
}

static void
esa_load_list_reader_class_init (EsaLoadListReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = esa_load_list_reader_finalize;
}

static void
esa_load_list_reader_init (EsaLoadListReader *self)
{
  self->default_country = g_strdup ("IT");
  for (guint i = 0; i < ESA_LOAD_LIST_N_FIELDS; i++)
    self->buffers[i] = g_string_sized_new (64);
}

EsaLoadListReader *
esa_load_list_reader_new (EsaLoadListMapping *mapping)
{
  EsaLoadListReader *self;

  g_return_val_if_fail (mapping == NULL || ESA_IS_LOAD_LIST_MAPPING (mapping), NULL);

  self = g_object_new (ESA_TYPE_LOAD_LIST_READER, NULL);
  self->mapping = mapping != NULL ? g_object_ref (mapping) : esa_load_list_mapping_new ();
  return self;
}

void
esa_load_list_reader_set_default_country (EsaLoadListReader *self,
                                          const char        *country)
{
  g_return_if_fail (ESA_IS_LOAD_LIST_READER (self));
  g_return_if_fail (country != NULL);

  g_free (self->default_country);
  self->default_country = g_ascii_strup (country, -1);
}

const char *
esa_load_list_reader_get_sha256 (EsaLoadListReader *self)
{
  g_return_val_if_fail (ESA_IS_LOAD_LIST_READER (self), NULL);

  return self->sha256;
}

/* ---- the header ------------------------------------------------------------ */

/* Finds the column of every field. A required field needs a column or a
 * default in the mapping. */
static gboolean
read_header (EsaLoadListReader  *self,
             EsaCsvReader       *csv,
             gint               *columns,
             GError            **error)
{
  guint n = esa_csv_reader_get_n_fields (csv);
  guint line = esa_csv_reader_get_line (csv);
  g_autoptr(GString) missing = g_string_new (NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  /* Names match whatever their case and surrounding spaces. */
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strstrip (g_strdup (esa_csv_reader_get_field (csv, i)));

      g_ptr_array_add (names, g_utf8_casefold (name, -1));
    }

  for (guint f = 0; f < ESA_LOAD_LIST_N_FIELDS; f++)
    {
      const char *wanted = esa_load_list_mapping_get_column (self->mapping, f);
      g_autofree char *folded = g_utf8_casefold (wanted, -1);

      columns[f] = -1;
      for (guint i = 0; i < n; i++)
        {
          if (!g_str_equal (g_ptr_array_index (names, i), folded))
            continue;

          if (columns[f] >= 0)
            {
              g_set_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_INVALID,
                           /* Translators: "line 1: columns 3 and 7 are both “tax_id”" */
                           _("line %u: columns %d and %u are both “%s”"),
                           line, columns[f] + 1, i + 1, wanted);
              return FALSE;
            }
          columns[f] = (gint) i;
        }

      if (columns[f] < 0 && esa_load_list_field_is_required (f)
          && esa_load_list_mapping_get_default (self->mapping, f) == NULL)
        g_string_append_printf (missing, "%s“%s” (%s)", missing->len > 0 ? ", " : "", wanted,
                                esa_load_list_field_describe (f));
    }

  if (missing->len > 0 && n == 1 && strpbrk (esa_csv_reader_get_field (csv, 0), ";\t") != NULL)
    {
      /* One column holding the others: another separator than the mapping's. */
      g_set_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_INVALID,
                   _("line %u: the header is a single column: the file seems to use another "
                     "separator; give it in a column mapping (help: load-lists)"),
                   line);
      return FALSE;
    }
  if (missing->len > 0)
    {
      g_set_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_INVALID,
                   /* Translators: "line 1: the header has no column “tax_id” (tax id), “year”
                    * (year)" */
                   _("line %u: the header has no column %s"), line, missing->str);
      return FALSE;
    }
  return TRUE;
}

/* ---- values ------------------------------------------------------------------ */

/* Fills self->values from the current record. */
static void
take_values (EsaLoadListReader *self,
             EsaCsvReader      *csv,
             const gint        *columns)
{
  for (guint f = 0; f < ESA_LOAD_LIST_N_FIELDS; f++)
    {
      const char *text = columns[f] >= 0 ? esa_csv_reader_get_field (csv, (guint) columns[f])
                                          : "";
      const char *end;

      while (g_ascii_isspace (*text))
        text++;
      end = text + strlen (text);
      while (end > text && g_ascii_isspace (end[-1]))
        end--;

      if (end == text)
        {
          self->values[f] = esa_load_list_mapping_get_default (self->mapping, f);
          continue;
        }

      g_string_truncate (self->buffers[f], 0);
      g_string_append_len (self->buffers[f], text, end - text);
      self->values[f] = self->buffers[f]->str;
    }
}

/* The kind of tax id @text looks like: 16 characters for a person's tax
 * code, 11 digits for a VAT number (a company's tax code), 756 and ten more
 * digits for an AHV number, CHE for a UID. */
static gboolean
guess_tax_id_kind (const char *text,
                   EsaIdKind  *out)
{
  char compact[32];
  gsize n = 0;
  gboolean digits = TRUE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == ' ' || *p == '.' || *p == '-')
        continue;
      if (n + 1 >= sizeof compact)
        return FALSE;
      compact[n++] = g_ascii_toupper (*p);
      digits = digits && g_ascii_isdigit (*p);
    }
  compact[n] = '\0';

  if (g_str_has_prefix (compact, "CHE"))
    *out = ESA_ID_UID;
  else if (digits && n == 13 && g_str_has_prefix (compact, "756"))
    *out = ESA_ID_AHV;
  else if (digits && n == 11)
    *out = ESA_ID_PARTITA_IVA;
  else if (n == 16)
    *out = ESA_ID_CODICE_FISCALE;
  else
    return FALSE;
  return TRUE;
}

static const char *
check_tax_id (EsaLoadListRows   *rows,
              const char        *text,
              guint              line,
              EsaLoadListReport *report,
              const char       **out_kind)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *normalized = NULL;
  EsaIdKind kind;

  if (!guess_tax_id_kind (text, &kind))
    {
      esa_load_list_report_add (report, line, ESA_LOAD_LIST_REASON_TAX_ID, "tax_id",
                                _("“%s” is not a tax code (16 characters), a VAT number "
                                  "(11 digits), an AHV number or a UID"),
                                text);
      return NULL;
    }
  if (!esa_id_validate (kind, text, &normalized, &local_error))
    {
      esa_load_list_report_add (report, line, ESA_LOAD_LIST_REASON_TAX_ID, "tax_id", "%s",
                                local_error->message);
      return NULL;
    }

  *out_kind = esa_id_kind_to_string (kind);
  return esa_load_list_rows_keep (rows, normalized);
}

/* An amount; @text NULL (an empty optional amount) is zero. */
static gboolean
check_amount (EsaLoadListReader *self,
              EsaLoadListField   field,
              guint              line,
              EsaLoadListReport *report,
              gint64            *out)
{
  const char *text = self->values[field];
  gboolean comma = esa_load_list_mapping_get_decimal_comma (self->mapping);
  char plain[64];
  gsize n = 0;

  *out = 0;
  if (text == NULL)
    return TRUE;

  /* With a decimal comma, dots, spaces and apostrophes (also U+2019) group
   * thousands: "1.234,50", "1 234,50", "1'234,50". */
  for (const char *p = text; *p != '\0' && n + 1 < sizeof plain; p++)
    {
      if (comma && (*p == '.' || *p == ' ' || *p == '\''))
        continue;
      if (comma && g_str_has_prefix (p, "\xe2\x80\x99"))
        {
          p += 2;
          continue;
        }
      plain[n++] = comma && *p == ',' ? '.' : *p;
    }
  plain[n] = '\0';

  if (!esa_money_parse (plain, out, NULL))
    {
      if (comma)
        /* Translators: "principal: “12.5.0” is not an amount with a decimal comma and at most
         * two decimals (1234,50)" */
        esa_load_list_report_add (report, line, ESA_LOAD_LIST_REASON_AMOUNT,
                                  esa_load_list_field_to_string (field),
                                  _("%s: “%s” is not an amount with a decimal comma and at most "
                                    "two decimals (1234,50)"),
                                  esa_load_list_field_describe (field), text);
      else
        esa_load_list_report_add (report, line, ESA_LOAD_LIST_REASON_AMOUNT,
                                  esa_load_list_field_to_string (field),
                                  _("%s: “%s” is not an amount with a decimal point and at most "
                                    "two decimals (1234.50)"),
                                  esa_load_list_field_describe (field), text);
      return FALSE;
    }
  if (*out < 0)
    {
      /* Translators: "sanctions: “-12.00” is negative" */
      esa_load_list_report_add (report, line, ESA_LOAD_LIST_REASON_AMOUNT,
                                esa_load_list_field_to_string (field), _("%s: “%s” is negative"),
                                esa_load_list_field_describe (field), text);
      return FALSE;
    }
  return TRUE;
}

/* Reads "DD/MM/YYYY" or "DD.MM.YYYY" into @out. */
static gboolean
parse_day_first (const char *text,
                 char        separator,
                 GDate      *out)
{
  guint parts[3] = { 0, };
  guint lengths[3] = { 0, };
  guint part = 0;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == separator)
        {
          if (++part > 2)
            return FALSE;
          continue;
        }
      if (!g_ascii_isdigit (*p) || lengths[part] >= 4)
        return FALSE;
      parts[part] = parts[part] * 10 + (guint) (*p - '0');
      lengths[part]++;
    }

  if (part != 2 || lengths[0] == 0 || lengths[0] > 2 || lengths[1] == 0 || lengths[1] > 2
      || lengths[2] != 4 || !g_date_valid_dmy (parts[0], parts[1], parts[2]))
    return FALSE;

  g_date_clear (out, 1);
  g_date_set_dmy (out, parts[0], parts[1], parts[2]);
  return TRUE;
}

static const char *
check_date (EsaLoadListReader *self,
            EsaLoadListRows   *rows,
            guint              line,
            EsaLoadListReport *report)
{
  const char *text = self->values[ESA_LOAD_LIST_FIELD_DUE_DATE];
  const char *field = esa_load_list_field_describe (ESA_LOAD_LIST_FIELD_DUE_DATE);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *iso = NULL;
  GDate date;

  switch (esa_load_list_mapping_get_date_format (self->mapping))
    {
    case ESA_LOAD_LIST_DATE_ISO:
      if (!esa_date_parse_iso (text, &date, &local_error))
        {
          /* Translators: "due date: 2023-02-30 is not a date" */
          esa_load_list_report_add (report, line, ESA_LOAD_LIST_REASON_DATE, "due_date",
                                    _("%s: %s"), field, local_error->message);
          return NULL;
        }
      return esa_load_list_rows_keep (rows, text);

    case ESA_LOAD_LIST_DATE_DAY_SLASH:
    case ESA_LOAD_LIST_DATE_DAY_DOT:
    default:
      {
        gboolean slash = esa_load_list_mapping_get_date_format (self->mapping)
                         == ESA_LOAD_LIST_DATE_DAY_SLASH;

        if (!parse_day_first (text, slash ? '/' : '.', &date))
          {
            /* Translators: "due date: “31/02/2024” is not a date (DD/MM/YYYY)" */
            esa_load_list_report_add (report, line, ESA_LOAD_LIST_REASON_DATE, "due_date",
                                      _("%s: “%s” is not a date (%s)"), field, text,
                                      slash ? "DD/MM/YYYY" : "DD.MM.YYYY");
            return NULL;
          }
        iso = esa_date_to_iso (&date);
        return esa_load_list_rows_keep (rows, iso);
      }
    }
}

static gboolean
check_year (const char        *text,
            guint              line,
            EsaLoadListReport *report,
            gint              *out)
{
  gint year = 0;
  gsize n = 0;

  for (const char *p = text; *p != '\0'; p++, n++)
    {
      if (!g_ascii_isdigit (*p) || n >= 4)
        {
          n = 0;
          break;
        }
      year = year * 10 + (*p - '0');
    }

  if (n != 4 || year < 1900)
    {
      esa_load_list_report_add (report, line, ESA_LOAD_LIST_REASON_YEAR, "year",
                                _("“%s” is not a year"), text);
      return FALSE;
    }
  *out = year;
  return TRUE;
}

static const char *
check_country (EsaLoadListReader *self,
               EsaLoadListRows   *rows,
               guint              line,
               EsaLoadListReport *report)
{
  const char *text = self->values[ESA_LOAD_LIST_FIELD_COUNTRY];
  char code[3];

  if (text == NULL)
    return esa_load_list_rows_keep (rows, self->default_country);

  if (strlen (text) != 2 || !g_ascii_isalpha (text[0]) || !g_ascii_isalpha (text[1]))
    {
      esa_load_list_report_add (report, line, ESA_LOAD_LIST_REASON_VALUE, "country",
                                _("country: “%s” is not a two-letter country code (IT, CH)"),
                                text);
      return NULL;
    }
  code[0] = g_ascii_toupper (text[0]);
  code[1] = g_ascii_toupper (text[1]);
  code[2] = '\0';
  return esa_load_list_rows_keep (rows, code);
}

/* ---- rows ---------------------------------------------------------------- */

static void
read_row (EsaLoadListReader *self,
          EsaCsvReader      *csv,
          const gint        *columns,
          guint              n_header,
          EsaLoadListRows   *rows,
          EsaLoadListReport *report,
          GHashTable        *seen)
{
  guint line = esa_csv_reader_get_line (csv);
  guint n_fields = esa_csv_reader_get_n_fields (csv);
  guint issues = report->issues->len;
  EsaLoadListRow row = { 0, };
  gint64 total = 0;
  gboolean amounts_ok = TRUE;
  const char * const *v = self->values;
  char *key;
  gpointer first_line;

  row.line = line;

  if (n_fields != n_header)
    {
      if (n_fields < n_header)
        esa_load_list_report_add (report, line, ESA_LOAD_LIST_REASON_MISSING_COLUMN, NULL,
                                  _("the row has %u fields, the header %u"), n_fields, n_header);
      else
        esa_load_list_report_add (report, line, ESA_LOAD_LIST_REASON_MISSING_COLUMN, NULL,
                                  _("the row has %u fields, the header %u: is a separator "
                                    "inside a value without quotes?"),
                                  n_fields, n_header);
      return;
    }

  take_values (self, csv, columns);

  for (guint f = 0; f < ESA_LOAD_LIST_N_FIELDS; f++)
    {
      if (v[f] == NULL && esa_load_list_field_is_required (f))
        {
          if (f == ESA_LOAD_LIST_FIELD_PRINCIPAL)
            /* Translators: %s is a column: "principal" */
            esa_load_list_report_add (report, line, ESA_LOAD_LIST_REASON_AMOUNT,
                                      esa_load_list_field_to_string (f), _("the %s is missing"),
                                      esa_load_list_field_describe (f));
          else
            esa_load_list_report_add (report, line, ESA_LOAD_LIST_REASON_MISSING_VALUE,
                                      esa_load_list_field_to_string (f), _("the %s is missing"),
                                      esa_load_list_field_describe (f));
        }
    }

  if (v[ESA_LOAD_LIST_FIELD_TAX_ID] != NULL)
    row.tax_id = check_tax_id (rows, v[ESA_LOAD_LIST_FIELD_TAX_ID], line, report,
                               &row.tax_id_kind);
  if (v[ESA_LOAD_LIST_FIELD_YEAR] != NULL)
    check_year (v[ESA_LOAD_LIST_FIELD_YEAR], line, report, &row.year);
  row.country = check_country (self, rows, line, report);

  amounts_ok = check_amount (self, ESA_LOAD_LIST_FIELD_PRINCIPAL, line, report, &row.principal);
  amounts_ok = check_amount (self, ESA_LOAD_LIST_FIELD_SANCTIONS, line, report, &row.sanctions)
               && amounts_ok;
  amounts_ok = check_amount (self, ESA_LOAD_LIST_FIELD_INTEREST, line, report, &row.interest)
               && amounts_ok;
  amounts_ok = check_amount (self, ESA_LOAD_LIST_FIELD_COSTS, line, report, &row.costs)
               && amounts_ok;
  if (amounts_ok && v[ESA_LOAD_LIST_FIELD_PRINCIPAL] != NULL)
    {
      if (!esa_money_add (total, row.principal, &total)
          || !esa_money_add (total, row.sanctions, &total)
          || !esa_money_add (total, row.interest, &total)
          || !esa_money_add (total, row.costs, &total))
        esa_load_list_report_add (report, line, ESA_LOAD_LIST_REASON_AMOUNT, NULL,
                                  _("the amounts are too large"));
      else if (total == 0)
        esa_load_list_report_add (report, line, ESA_LOAD_LIST_REASON_AMOUNT, NULL,
                                  _("nothing is owed: every amount is zero"));
    }

  if (v[ESA_LOAD_LIST_FIELD_DUE_DATE] != NULL)
    row.due_date = check_date (self, rows, line, report);

  if (report->issues->len > issues)
    return;

  /* The same debt twice in one file: the first stays, the others are
   * rejected naming it. */
  key = g_strjoin ("\x1f", row.tax_id, v[ESA_LOAD_LIST_FIELD_REFERENCE],
                   v[ESA_LOAD_LIST_FIELD_REVENUE_TYPE], v[ESA_LOAD_LIST_FIELD_YEAR], NULL);
  if (g_hash_table_lookup_extended (seen, key, NULL, &first_line))
    {
      esa_load_list_report_add (report, line, ESA_LOAD_LIST_REASON_DUPLICATE, NULL,
                                _("the same debt as line %u (tax id, reference, revenue type "
                                  "and year)"),
                                GPOINTER_TO_UINT (first_line));
      g_free (key);
      return;
    }
  g_hash_table_insert (seen, key, GUINT_TO_POINTER (line));

  row.name = esa_load_list_rows_keep (rows, v[ESA_LOAD_LIST_FIELD_NAME]);
  row.street = esa_load_list_rows_keep (rows, v[ESA_LOAD_LIST_FIELD_ADDRESS]);
  row.postcode = esa_load_list_rows_keep (rows, v[ESA_LOAD_LIST_FIELD_POSTCODE]);
  row.town = esa_load_list_rows_keep (rows, v[ESA_LOAD_LIST_FIELD_TOWN]);
  row.revenue_type = esa_load_list_rows_keep (rows, v[ESA_LOAD_LIST_FIELD_REVENUE_TYPE]);
  row.reference = esa_load_list_rows_keep (rows, v[ESA_LOAD_LIST_FIELD_REFERENCE]);
  *esa_load_list_rows_append (rows) = row;
}

EsaLoadListRows *
esa_load_list_reader_read_stream (EsaLoadListReader  *self,
                                  GInputStream       *stream,
                                  EsaLoadListReport  *report,
                                  GCancellable       *cancellable,
                                  GError            **error)
{
  g_autoptr(EsaCsvReader) csv = NULL;
  g_autoptr(EsaLoadListRows) rows = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GError) local_error = NULL;
  gint columns[ESA_LOAD_LIST_N_FIELDS];
  guint n_header;

  g_return_val_if_fail (ESA_IS_LOAD_LIST_READER (self), NULL);
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);
  g_return_val_if_fail (report != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  csv = esa_csv_reader_new (stream);
  esa_csv_reader_set_separator (csv, esa_load_list_mapping_get_separator (self->mapping));

  if (!esa_csv_reader_next (csv, cancellable, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error_literal (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_INVALID,
                             _("the file is empty: a load list starts with a header row"));
      return NULL;
    }
  if (!read_header (self, csv, columns, error))
    return NULL;
  n_header = esa_csv_reader_get_n_fields (csv);

  rows = esa_load_list_rows_new ();
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  while (esa_csv_reader_next (csv, cancellable, &local_error))
    {
      report->rows++;
      read_row (self, csv, columns, n_header, rows, report, seen);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return g_steal_pointer (&rows);
}

EsaLoadListRows *
esa_load_list_reader_read_file (EsaLoadListReader  *self,
                                const char         *path,
                                EsaLoadListReport  *report,
                                GCancellable       *cancellable,
                                GError            **error)
{
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GInputStream) stream = NULL;

  g_return_val_if_fail (ESA_IS_LOAD_LIST_READER (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  g_clear_pointer (&self->sha256, g_free);

  /* The file is read once from memory: for its checksum (the store refuses
   * a file imported before) and for its rows. */
  file = g_mapped_file_new (path, FALSE, error);
  if (file == NULL)
    return NULL;
  bytes = g_mapped_file_get_bytes (file);
  self->sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  stream = g_memory_input_stream_new_from_bytes (bytes);

  return esa_load_list_reader_read_stream (self, stream, report, cancellable, error);
}
