/* esa-payment-csv.c: payments exported as CSV, read with a column mapping;
 * the refund list written as CSV
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "esa-csv-reader.h"
#include "esa-date.h"
#include "esa-money.h"
#include "esa-payment-csv.h"
#include "esa-payment-flow.h"

/* A file with more problems than this is shown with its first ones. */
#define MAX_PROBLEMS 20

typedef enum
{
  DATE_ISO,        /* "YYYY-MM-DD" */
  DATE_DAY_DOT,    /* "DD.MM.YYYY" */
  DATE_DAY_SLASH,  /* "DD/MM/YYYY" */
} DateFormat;

static const char * const date_formats[] = { "YYYY-MM-DD", "DD.MM.YYYY", "DD/MM/YYYY" };

static const char * const field_names[ESA_PAYMENT_CSV_N_FIELDS] = {
  "amount", "paid_on", "reference", "currency", "debtor_name", "debtor_tax_id", "remittance",
  "id",
};

/* A column: by header (text) or by number (from 1, 0 when by header). */
typedef struct
{
  char  *header;
  guint  number;
} Column;

struct _EsaPaymentCsvMapping
{
  char       separator;        /* ESA_CSV_SEPARATOR_AUTO or the character */
  gboolean   decimal_comma;
  char      *thousands;        /* nullable */
  DateFormat date_format;
  char      *currency;         /* nullable */
  guint      skip_lines;
  Column     columns[ESA_PAYMENT_CSV_N_FIELDS];
};

/* ---- the mapping ---------------------------------------------------------- */

EsaPaymentCsvMapping *
esa_payment_csv_mapping_new (void)
{
  EsaPaymentCsvMapping *self = g_new0 (EsaPaymentCsvMapping, 1);

  self->separator = ESA_CSV_SEPARATOR_AUTO;
  self->date_format = DATE_ISO;
  for (guint i = 0; i < ESA_PAYMENT_CSV_N_FIELDS; i++)
    self->columns[i].header = g_strdup (field_names[i]);
  return self;
}

void
esa_payment_csv_mapping_free (EsaPaymentCsvMapping *self)
{
  if (self == NULL)
    return;

  g_free (self->thousands);
  g_free (self->currency);
  for (guint i = 0; i < ESA_PAYMENT_CSV_N_FIELDS; i++)
    g_free (self->columns[i].header);
  g_free (self);
}

static gboolean G_GNUC_PRINTF (3, 4)
mapping_error (GError     **error,
               const char  *member,
               const char  *format,
               ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* Translators: "payment mapping: columns.amount: must be a column name or number" */
  g_set_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_INVALID,
               _("payment mapping: %s: %s"), member, message);
  return FALSE;
}

static const char *
string_member (JsonObject  *object,
               const char  *name,
               gboolean    *out_ok,
               GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *out_ok = TRUE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      *out_ok = mapping_error (error, name, _("must be a string"));
      return NULL;
    }
  return json_node_get_string (node);
}

static gboolean
read_columns (EsaPaymentCsvMapping  *self,
              JsonObject            *columns,
              GError               **error)
{
  g_autoptr(GList) members = json_object_get_members (columns);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *node = json_object_get_member (columns, name);
      g_autofree char *path = g_strconcat ("columns.", name, NULL);
      gint field = -1;

      for (guint i = 0; i < ESA_PAYMENT_CSV_N_FIELDS; i++)
        {
          if (g_str_equal (name, field_names[i]))
            field = (gint) i;
        }
      if (field < 0)
        return mapping_error (error, path,
                              _("no such field (amount, paid_on, reference, currency, "
                                "debtor_name, debtor_tax_id, remittance, id)"));

      g_clear_pointer (&self->columns[field].header, g_free);
      self->columns[field].number = 0;
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
          && json_node_get_string (node)[0] != '\0')
        self->columns[field].header = g_strdup (json_node_get_string (node));
      else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64
               && json_node_get_int (node) >= 1 && json_node_get_int (node) <= 1000)
        self->columns[field].number = (guint) json_node_get_int (node);
      else
        return mapping_error (error, path,
                              _("must be a column’s header or its number, from 1"));
    }
  return TRUE;
}

static gboolean
read_mapping (EsaPaymentCsvMapping  *self,
              JsonNode              *root,
              GError               **error)
{
  static const char * const members[] = {
    "separator", "decimal_comma", "thousands_separator", "date_format", "currency",
    "skip_lines", "columns", NULL,
  };
  g_autoptr(GList) names = NULL;
  JsonObject *object;
  JsonNode *node;
  const char *text;
  gboolean ok;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    return mapping_error (error, "$", _("must be a JSON object"));
  object = json_node_get_object (root);

  names = json_object_get_members (object);
  for (GList *l = names; l != NULL; l = l->next)
    {
      if (!g_strv_contains (members, l->data))
        return mapping_error (error, l->data, _("unknown member"));
    }

  text = string_member (object, "separator", &ok, error);
  if (!ok)
    return FALSE;
  if (text == NULL || g_str_equal (text, "auto"))
    self->separator = ESA_CSV_SEPARATOR_AUTO;
  else if (g_str_equal (text, ",") || g_str_equal (text, ";") || g_str_equal (text, "\t"))
    self->separator = text[0];
  else
    return mapping_error (error, "separator", _("must be \",\", \";\", \"\\t\" or \"auto\""));

  node = json_object_get_member (object, "decimal_comma");
  if (node != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        return mapping_error (error, "decimal_comma", _("must be true or false"));
      self->decimal_comma = json_node_get_boolean (node);
    }

  text = string_member (object, "thousands_separator", &ok, error);
  if (!ok)
    return FALSE;
  if (text != NULL && text[0] != '\0')
    {
      if (g_utf8_strlen (text, -1) != 1 || g_ascii_isdigit (text[0])
          || (self->decimal_comma ? text[0] == ',' : text[0] == '.'))
        return mapping_error (error, "thousands_separator",
                              _("must be one character other than a digit and the decimal "
                                "separator"));
      self->thousands = g_strdup (text);
    }

  text = string_member (object, "date_format", &ok, error);
  if (!ok)
    return FALSE;
  if (text != NULL)
    {
      gint found = -1;

      for (guint i = 0; i < G_N_ELEMENTS (date_formats); i++)
        {
          if (g_str_equal (text, date_formats[i]))
            found = (gint) i;
        }
      if (found < 0)
        return mapping_error (error, "date_format",
                              _("must be \"YYYY-MM-DD\", \"DD.MM.YYYY\" or \"DD/MM/YYYY\""));
      self->date_format = (DateFormat) found;
    }

  text = string_member (object, "currency", &ok, error);
  if (!ok)
    return FALSE;
  if (text != NULL)
    {
      if (strlen (text) != 3 || !g_ascii_isupper (text[0]) || !g_ascii_isupper (text[1])
          || !g_ascii_isupper (text[2]))
        return mapping_error (error, "currency",
                              _("must be a currency code of three capital letters"));
      self->currency = g_strdup (text);
    }

  node = json_object_get_member (object, "skip_lines");
  if (node != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64
          || json_node_get_int (node) < 0 || json_node_get_int (node) > 1000)
        return mapping_error (error, "skip_lines", _("must be a number from 0 to 1000"));
      self->skip_lines = (guint) json_node_get_int (node);
    }

  node = json_object_get_member (object, "columns");
  if (node != NULL)
    {
      if (!JSON_NODE_HOLDS_OBJECT (node))
        return mapping_error (error, "columns", _("must be an object"));
      if (!read_columns (self, json_node_get_object (node), error))
        return FALSE;
    }
  return TRUE;
}

EsaPaymentCsvMapping *
esa_payment_csv_mapping_new_from_data (const char  *json,
                                       GError     **error)
{
  g_autoptr(EsaPaymentCsvMapping) self = esa_payment_csv_mapping_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (json != NULL, NULL);

  if (!json_parser_load_from_data (parser, json, -1, &local_error))
    {
      g_set_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_PARSE,
                   _("payment mapping: not valid JSON: %s"), local_error->message);
      return NULL;
    }
  if (!read_mapping (self, json_parser_get_root (parser), error))
    return NULL;
  return g_steal_pointer (&self);
}

EsaPaymentCsvMapping *
esa_payment_csv_mapping_new_from_file (const char  *path,
                                       GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  EsaPaymentCsvMapping *self;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;
  self = esa_payment_csv_mapping_new_from_data (contents, &local_error);
  if (self == NULL)
    {
      g_autofree char *name = g_path_get_basename (path);

      g_set_error (error, local_error->domain, local_error->code, "%s: %s", name,
                   local_error->message);
    }
  return self;
}

char *
esa_payment_csv_mapping_to_data (const EsaPaymentCsvMapping *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  char separator[2] = { self->separator, '\0' };

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "separator");
  json_builder_add_string_value (builder, self->separator == ESA_CSV_SEPARATOR_AUTO ? "auto"
                                                                                  : separator);
  json_builder_set_member_name (builder, "decimal_comma");
  json_builder_add_boolean_value (builder, self->decimal_comma);
  if (self->thousands != NULL)
    {
      json_builder_set_member_name (builder, "thousands_separator");
      json_builder_add_string_value (builder, self->thousands);
    }
  json_builder_set_member_name (builder, "date_format");
  json_builder_add_string_value (builder, date_formats[self->date_format]);
  if (self->currency != NULL)
    {
      json_builder_set_member_name (builder, "currency");
      json_builder_add_string_value (builder, self->currency);
    }
  if (self->skip_lines > 0)
    {
      json_builder_set_member_name (builder, "skip_lines");
      json_builder_add_int_value (builder, self->skip_lines);
    }
  json_builder_set_member_name (builder, "columns");
  json_builder_begin_object (builder);
  for (guint i = 0; i < ESA_PAYMENT_CSV_N_FIELDS; i++)
    {
      json_builder_set_member_name (builder, field_names[i]);
      if (self->columns[i].number > 0)
        json_builder_add_int_value (builder, self->columns[i].number);
      else
        json_builder_add_string_value (builder, self->columns[i].header);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

/* ---- reading ------------------------------------------------------------------- */

typedef struct
{
  const EsaPaymentCsvMapping *mapping;
  EsaPaymentFlow             *flow;
  gint                        index[ESA_PAYMENT_CSV_N_FIELDS];  /* -1: no such column */
  GPtrArray                  *problems;
} CsvRead;

static void G_GNUC_PRINTF (3, 4)
problem (CsvRead    *read,
         guint       line,
         const char *format,
         ...)
{
  g_autofree char *message = NULL;
  va_list args;

  if (read->problems->len >= MAX_PROBLEMS)
    return;
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  /* Translators: "line 4: amount “12,3x” is not an amount" */
  g_ptr_array_add (read->problems, g_strdup_printf (_("line %u: %s"), line, message));
}

/* Finds each field's column in the header; required ones must be there. */
static gboolean
find_columns (CsvRead       *read,
              EsaCsvReader  *reader,
              GError       **error)
{
  guint n = esa_csv_reader_get_n_fields (reader);

  for (guint f = 0; f < ESA_PAYMENT_CSV_N_FIELDS; f++)
    {
      const Column *column = &read->mapping->columns[f];
      gboolean required = f == ESA_PAYMENT_CSV_AMOUNT || f == ESA_PAYMENT_CSV_PAID_ON;

      read->index[f] = -1;
      if (column->number > 0)
        {
          if (column->number <= n)
            read->index[f] = (gint) column->number - 1;
          else if (required)
            {
              /* Translators: "the header has 5 columns; the mapping puts amount in column 7" */
              g_set_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_INVALID,
                           _("line %u: the header has %u columns; the mapping puts %s in "
                             "column %u"),
                           esa_csv_reader_get_line (reader), n, field_names[f], column->number);
              return FALSE;
            }
          continue;
        }

      for (guint i = 0; i < n; i++)
        {
          g_autofree char *header = g_strstrip (g_strdup (esa_csv_reader_get_field (reader, i)));

          if (g_ascii_strcasecmp (header, column->header) == 0)
            {
              read->index[f] = (gint) i;
              break;
            }
        }
      if (read->index[f] < 0 && required)
        {
          g_set_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_INVALID,
                       _("line %u: the file has no column “%s” (the %s of each payment)"),
                       esa_csv_reader_get_line (reader), column->header, field_names[f]);
          return FALSE;
        }
    }
  return TRUE;
}

/* The field's value in the current record, stripped; NULL when empty or
 * absent. (transfer full) */
static char *
field_value (CsvRead            *read,
             EsaCsvReader       *reader,
             EsaPaymentCsvField  field)
{
  gint index = read->index[field];
  char *value;

  if (index < 0 || (guint) index >= esa_csv_reader_get_n_fields (reader))
    return NULL;
  value = g_strstrip (g_strdup (esa_csv_reader_get_field (reader, (guint) index)));
  if (value[0] == '\0')
    g_clear_pointer (&value, g_free);
  return value;
}

static char *
parse_date (DateFormat  format,
            const char *text)
{
  GDate date;
  guint day, month, year;
  char separator = format == DATE_DAY_DOT ? '.' : '/';
  char extra;

  if (format == DATE_ISO)
    return esa_date_parse_iso (text, &date, NULL) ? g_strdup (text) : NULL;

  if (strchr (text, separator) == NULL
      || sscanf (text, format == DATE_DAY_DOT ? "%u.%u.%u%c" : "%u/%u/%u%c", &day, &month, &year,
                 &extra) != 3
      || year < 1900 || year > 9999 || !g_date_valid_dmy (day, month, year))
    return NULL;
  return g_strdup_printf ("%04u-%02u-%02u", year, month, day);
}

static void
read_record (CsvRead      *read,
             EsaCsvReader *reader)
{
  const EsaPaymentCsvMapping *mapping = read->mapping;
  guint line = esa_csv_reader_get_line (reader);
  g_autofree char *amount_text = field_value (read, reader, ESA_PAYMENT_CSV_AMOUNT);
  g_autofree char *date_text = field_value (read, reader, ESA_PAYMENT_CSV_PAID_ON);
  g_autofree char *currency = field_value (read, reader, ESA_PAYMENT_CSV_CURRENCY);
  g_autofree char *reference = field_value (read, reader, ESA_PAYMENT_CSV_REFERENCE);
  g_autofree char *paid_on = NULL;
  g_autoptr(GError) local_error = NULL;
  EsaFlowItem *item;
  gint64 amount = 0;

  if (amount_text == NULL)
    {
      problem (read, line, _("the amount is missing"));
      return;
    }
  if (!esa_payment_parse_amount (amount_text, mapping->decimal_comma ? ',' : '.',
                                 mapping->thousands, &amount, &local_error))
    {
      problem (read, line, _("amount: %s"), local_error->message);
      return;
    }
  if (date_text == NULL)
    {
      problem (read, line, _("the date of payment is missing"));
      return;
    }
  paid_on = parse_date (mapping->date_format, date_text);
  if (paid_on == NULL)
    {
      /* Translators: "date “31.02.2024” is not a date as DD.MM.YYYY" */
      problem (read, line, _("date “%s” is not a date as %s"), date_text,
               date_formats[mapping->date_format]);
      return;
    }
  if (currency == NULL)
    currency = g_strdup (mapping->currency);
  if (currency == NULL || strlen (currency) != 3)
    {
      problem (read, line, _("no currency: give the file a currency column or the mapping a "
                             "\"currency\""));
      return;
    }

  if (amount <= 0)
    {
      g_autofree char *money = esa_money_format (amount, currency);

      /* Translators: "line 12: € -20,00 is left out: only credits are payments" */
      esa_payment_flow_add_note (read->flow, _("line %u: %s is left out: only credits are "
                                               "payments"),
                                 line, money);
      return;
    }

  item = esa_payment_flow_add_item (read->flow);
  item->line = line;
  item->amount = amount;
  item->currency = g_ascii_strup (currency, -1);
  item->paid_on = g_steal_pointer (&paid_on);
  item->reference_kind = esa_payment_classify_reference (reference, &item->reference);
  item->collection_ref = field_value (read, reader, ESA_PAYMENT_CSV_ID);
  item->debtor_name = field_value (read, reader, ESA_PAYMENT_CSV_DEBTOR_NAME);
  item->debtor_tax_id = field_value (read, reader, ESA_PAYMENT_CSV_DEBTOR_TAX_ID);
  item->remittance = field_value (read, reader, ESA_PAYMENT_CSV_REMITTANCE);
}

EsaPaymentFlow *
esa_payment_csv_read (const char                  *data,
                      gsize                        length,
                      const EsaPaymentCsvMapping  *mapping,
                      GError                     **error)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(EsaCsvReader) reader = NULL;
  g_autoptr(EsaPaymentFlow) flow = esa_payment_flow_new (ESA_PAYMENT_FLOW_CSV);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local_error = NULL;
  CsvRead read = { mapping, flow, { 0, }, problems };
  gboolean header = FALSE;
  guint skipped = 0;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (mapping != NULL, NULL);

  stream = g_memory_input_stream_new_from_data (data, (gssize) length, NULL);
  reader = esa_csv_reader_new (stream);
  esa_csv_reader_set_separator (reader, mapping->separator);

  while (esa_csv_reader_next (reader, NULL, &local_error))
    {
      if (skipped < mapping->skip_lines)
        {
          skipped++;
          continue;
        }
      if (!header)
        {
          if (!find_columns (&read, reader, error))
            return NULL;
          header = TRUE;
          continue;
        }
      read_record (&read, reader);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (!header)
    {
      g_set_error_literal (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_INVALID,
                           _("The CSV file has no header line"));
      return NULL;
    }

  if (problems->len > 0)
    {
      g_autofree char *list = NULL;

      g_ptr_array_add (problems, NULL);
      list = g_strjoinv ("\n", (char **) problems->pdata);
      /* Translators: the %s is a list of problems, one a line */
      g_set_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_INVALID,
                   _("The CSV file is refused, nothing was imported:\n%s"), list);
      return NULL;
    }

  return g_steal_pointer (&flow);
}

/* ---- the refund list ------------------------------------------------------------- */

static void
csv_field (GString    *out,
           const char *value,
           gboolean    last)
{
  if (value != NULL && strpbrk (value, ",\"\r\n") != NULL)
    {
      g_string_append_c (out, '"');
      for (const char *p = value; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  else if (value != NULL)
    g_string_append (out, value);
  g_string_append (out, last ? "\r\n" : ",");
}

char *
esa_payment_refunds_to_csv (GPtrArray *refunds)
{
  GString *out = g_string_new ("payment,reason,paid_on,amount,refund,currency,body,debtor,"
                               "tax_id,position,payment_reference,collection_ref,flow\r\n");

  g_return_val_if_fail (refunds != NULL, NULL);

  for (guint i = 0; i < refunds->len; i++)
    {
      const EsaRefundCandidate *refund = g_ptr_array_index (refunds, i);
      g_autofree char *amount = esa_money_to_decimal (refund->amount);
      g_autofree char *back = esa_money_to_decimal (refund->refund);

      csv_field (out, refund->payment_id, FALSE);
      csv_field (out, refund->reason, FALSE);
      csv_field (out, refund->paid_on, FALSE);
      csv_field (out, amount, FALSE);
      csv_field (out, back, FALSE);
      csv_field (out, refund->currency, FALSE);
      csv_field (out, refund->body_name, FALSE);
      csv_field (out, refund->debtor_name, FALSE);
      csv_field (out, refund->tax_id, FALSE);
      csv_field (out, refund->position_reference, FALSE);
      csv_field (out, refund->reference, FALSE);
      csv_field (out, refund->collection_ref, FALSE);
      csv_field (out, refund->flow_key, TRUE);
    }
  return g_string_free (out, FALSE);
}
