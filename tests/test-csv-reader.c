#include "esa-csv-reader.h"

#include <glib/gstdio.h>
#include <string.h>

/* Reads all of @text; returns the records as "line:field|field|…" lines, so
 * that a test states what it expects in one string. */
static char *
read_all (const char  *text,
          gssize       len,
          char         separator,
          GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, len < 0 ? strlen (text) : (gsize) len);
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);
  g_autoptr(EsaCsvReader) reader = esa_csv_reader_new (stream);
  g_autoptr(GString) out = g_string_new (NULL);

  esa_csv_reader_set_separator (reader, separator);
  while (esa_csv_reader_next (reader, NULL, error))
    {
      g_string_append_printf (out, "%u:", esa_csv_reader_get_line (reader));
      for (guint i = 0; i < esa_csv_reader_get_n_fields (reader); i++)
        g_string_append_printf (out, "%s%s", i > 0 ? "|" : "",
                                esa_csv_reader_get_field (reader, i));
      g_string_append_c (out, '\n');
    }
  if (error != NULL && *error != NULL)
    return NULL;

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
assert_reads (const char *text,
              char        separator,
              const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *records = read_all (text, -1, separator, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (records, ==, expected);
}

static void
assert_fails (const char *text,
              gssize      len,
              gint        code,
              const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *records = read_all (text, len, ',', &error);

  g_assert_null (records);
  g_assert_error (error, ESA_EXCHANGE_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_simple (void)
{
  assert_reads ("a,b,c\n1,2,3\n", ',', "1:a|b|c\n2:1|2|3\n");
  /* No line break after the last record; empty fields kept. */
  assert_reads ("a,,c\n,,", ',', "1:a||c\n2:||\n");
  assert_reads ("", ',', "");
  assert_reads ("x", ',', "1:x\n");
}

static void
test_quoted (void)
{
  /* A separator, a doubled quote and a line break inside quotes. */
  assert_reads ("name,note\n\"Rossi, Mario\",\"said \"\"no\"\"\"\n", ',',
                "1:name|note\n2:Rossi, Mario|said \"no\"\n");
  assert_reads ("id,address\n1,\"Via Roma 1\n20100 Milano\"\n2,\"Bahnhofstrasse 3\"\n", ',',
                "1:id|address\n2:1|Via Roma 1\n20100 Milano\n4:2|Bahnhofstrasse 3\n");
  /* An empty quoted field, and a quote inside an unquoted one. */
  assert_reads ("\"\",5\"\n", ',', "1:|5\"\n");
}

static void
test_line_endings (void)
{
  assert_reads ("a,b\r\nc,d\r\n", ',', "1:a|b\n2:c|d\n");
  assert_reads ("a,b\rc,d\r", ',', "1:a|b\n2:c|d\n");
  /* A CRLF inside quotes stays in the field and counts as one line. */
  assert_reads ("\"x\r\ny\",z\r\nnext\r\n", ',', "1:x\r\ny|z\n3:next\n");
  /* Blank lines are skipped but counted. */
  assert_reads ("a\n\n\r\nb\n", ',', "1:a\n4:b\n");
}

static void
test_bom (void)
{
  assert_reads ("\xEF\xBB\xBF" "codice,importo\nRSSMRA85T10A562S,12.50\n", ',',
                "1:codice|importo\n2:RSSMRA85T10A562S|12.50\n");
  /* Only at the start is it a byte order mark. */
  assert_reads ("a\n\xEF\xBB\xBF" "b\n", ',', "1:a\n2:\xEF\xBB\xBF" "b\n");
}

static void
test_separators (void)
{
  assert_reads ("a;b,c\n1;2,3\n", ';', "1:a|b,c\n2:1|2,3\n");
  assert_reads ("a\tb\n", '\t', "1:a|b\n");

  /* Detection counts separators outside quotes in the first record. */
  {
    g_autoptr(GBytes) bytes = g_bytes_new_static ("\"a,b,c\";d;e\n1,5;2;3\n", 20);
    g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);
    g_autoptr(EsaCsvReader) reader = esa_csv_reader_new (stream);

    esa_csv_reader_set_separator (reader, ESA_CSV_SEPARATOR_AUTO);
    g_assert_true (esa_csv_reader_next (reader, NULL, NULL));
    g_assert_cmpint (esa_csv_reader_get_separator (reader), ==, ';');
    g_assert_cmpuint (esa_csv_reader_get_n_fields (reader), ==, 3);
    g_assert_cmpstr (esa_csv_reader_get_field (reader, 0), ==, "a,b,c");
  }
  {
    g_autoptr(GBytes) bytes = g_bytes_new_static ("a,b;c\n", 6);
    g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);
    g_autoptr(EsaCsvReader) reader = esa_csv_reader_new (stream);

    esa_csv_reader_set_separator (reader, ESA_CSV_SEPARATOR_AUTO);
    g_assert_true (esa_csv_reader_next (reader, NULL, NULL));
    g_assert_cmpint (esa_csv_reader_get_separator (reader), ==, ',');
  }
}

static void
test_errors (void)
{
  assert_fails ("a,b\n1,\"open\nstill open\n", -1, ESA_EXCHANGE_ERROR_PARSE,
                "line 2: the quoted field that starts here is not closed before the end "
                "of the file");
  assert_fails ("a,b\r\nc,d\r\n\"x\"y,z\r\n", -1, ESA_EXCHANGE_ERROR_PARSE,
                "line 3: field 1 has text after its closing quote");
  /* Latin-1 "è" is not UTF-8. */
  assert_fails ("a,b\n1,perch\xe8\n", -1, ESA_EXCHANGE_ERROR_ENCODING,
                "line 2: field 2 is not valid UTF-8 text");
  assert_fails ("a\n\"multi\nline\",caf\xc3\n", -1, ESA_EXCHANGE_ERROR_ENCODING,
                "line 2: field 2 is not valid UTF-8 text");
  assert_fails ("a,b\nc,d\0e\n", 10, ESA_EXCHANGE_ERROR_ENCODING,
                "line 2: field 2 contains a NUL byte, which text never holds");
}

static void
test_dup_fields (void)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static ("x,\"y\",z\n", 8);
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);
  g_autoptr(EsaCsvReader) reader = esa_csv_reader_new (stream);
  g_auto(GStrv) fields = NULL;
  const char *expected[] = { "x", "y", "z", NULL };

  g_assert_true (esa_csv_reader_next (reader, NULL, NULL));
  fields = esa_csv_reader_dup_fields (reader);
  g_assert_cmpstrv (fields, expected);
  g_assert_false (esa_csv_reader_next (reader, NULL, NULL));
  g_assert_false (esa_csv_reader_next (reader, NULL, NULL));
}

/* A stream that hands out one byte per read, so that every quote, CR and
 * LF falls on a buffer boundary. */
static void
test_one_byte_reads (void)
{
  const char *text = "\xEF\xBB\xBF" "a,\"b\r\n\"\"c\"\"\"\r\n\"d\",e\r\n";
  g_autoptr(GInputStream) stream = g_memory_input_stream_new ();
  g_autoptr(EsaCsvReader) reader = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    g_memory_input_stream_add_data (G_MEMORY_INPUT_STREAM (stream), g_memdup2 (p, 1), 1, g_free);

  reader = esa_csv_reader_new (stream);
  while (esa_csv_reader_next (reader, NULL, NULL))
    {
      g_string_append_printf (out, "%u:", esa_csv_reader_get_line (reader));
      for (guint i = 0; i < esa_csv_reader_get_n_fields (reader); i++)
        g_string_append_printf (out, "[%s]", esa_csv_reader_get_field (reader, i));
    }
  g_assert_cmpstr (out->str, ==, "1:[a][b\r\n\"c\"]3:[d][e]");
}

static void
test_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("esa-csv-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *missing = NULL;
  g_autoptr(GString) content = g_string_new ("\xEF\xBB\xBF" "codice;nome;importo\r\n");
  g_autoptr(EsaCsvReader) reader = NULL;
  g_autoptr(EsaCsvReader) no_reader = NULL;
  guint n_records = 0;
  guint n_rows = 200000;

  g_assert_no_error (error);
  path = g_build_filename (dir, "lista.csv", NULL);

  /* A load list the size of a large office's: every tenth row has a quoted
   * name with the separator and a line break in it. */
  for (guint i = 0; i < n_rows; i++)
    {
      if (i % 10 == 0)
        g_string_append_printf (content, "ID%06u;\"Rossi; Mario\nc/o Bianchi\";%u.%02u\r\n",
                                i, i, i % 100);
      else
        g_string_append_printf (content, "ID%06u;Verdi Anna;%u.%02u\r\n", i, i, i % 100);
    }
  g_assert_true (g_file_set_contents (path, content->str, (gssize) content->len, &error));
  g_assert_no_error (error);

  reader = esa_csv_reader_new_for_path (path, &error);
  g_assert_no_error (error);
  esa_csv_reader_set_separator (reader, ';');

  g_assert_true (esa_csv_reader_next (reader, NULL, &error));
  g_assert_cmpstr (esa_csv_reader_get_field (reader, 0), ==, "codice");

  while (esa_csv_reader_next (reader, NULL, &error))
    {
      guint expected_line = 2 + n_records + (n_records + 9) / 10;
      g_autofree char *id = g_strdup_printf ("ID%06u", n_records);

      g_assert_cmpuint (esa_csv_reader_get_n_fields (reader), ==, 3);
      g_assert_cmpstr (esa_csv_reader_get_field (reader, 0), ==, id);
      if (esa_csv_reader_get_line (reader) != expected_line)
        g_error ("record %u: line %u, expected %u", n_records,
                 esa_csv_reader_get_line (reader), expected_line);
      n_records++;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n_records, ==, n_rows);
  g_test_message ("read %u records from %" G_GSIZE_FORMAT " bytes", n_records, content->len);

  missing = g_build_filename (dir, "missing.csv", NULL);
  no_reader = esa_csv_reader_new_for_path (missing, &error);
  g_assert_null (no_reader);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);

  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_cancelled (void)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static ("a,b\n", 4);
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);
  g_autoptr(EsaCsvReader) reader = esa_csv_reader_new (stream);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (esa_csv_reader_next (reader, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/csv-reader/simple", test_simple);
  g_test_add_func ("/csv-reader/quoted", test_quoted);
  g_test_add_func ("/csv-reader/line-endings", test_line_endings);
  g_test_add_func ("/csv-reader/bom", test_bom);
  g_test_add_func ("/csv-reader/separators", test_separators);
  g_test_add_func ("/csv-reader/errors", test_errors);
  g_test_add_func ("/csv-reader/dup-fields", test_dup_fields);
  g_test_add_func ("/csv-reader/one-byte-reads", test_one_byte_reads);
  g_test_add_func ("/csv-reader/file", test_file);
  g_test_add_func ("/csv-reader/cancelled", test_cancelled);

  return g_test_run ();
}
