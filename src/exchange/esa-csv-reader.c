#include "esa-csv-reader.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define BUFFER_SIZE (64 * 1024)

/* next_byte() returns a byte (0–255) or one of these. */
#define BYTE_EOF   (-1)
#define BYTE_ERROR (-2)

struct _EsaCsvReader
{
  GObject       parent_instance;

  GInputStream *stream;
  char          separator;

  guint8       *buffer;
  gsize         pos;
  gsize         len;
  gboolean      started;
  gboolean      eof;

  /* The line of the next byte to read, and whether the last byte was a CR
   * (so that the LF of a CRLF does not count as a second line). */
  guint         line;
  gboolean      after_cr;

  /* The current record: its fields one after the other, each ending with
   * a NUL, and where each starts. */
  GString      *fields;
  GArray       *offsets;
  guint         record_line;
};

G_DEFINE_FINAL_TYPE (EsaCsvReader, esa_csv_reader, G_TYPE_OBJECT)

typedef enum
{
  STATE_FIELD_START,
  STATE_UNQUOTED,
  STATE_QUOTED,
  STATE_QUOTE_IN_QUOTED,   /* a quote inside a quoted field: its end, or the first of "" */
} State;

static gboolean
fill_buffer (EsaCsvReader  *self,
             GCancellable  *cancellable,
             GError       **error)
{
  gssize n;

  /* Not every stream checks (memory streams do not), and a long import
   * should stop within one buffer of being cancelled. */
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  if (self->pos == self->len)
    self->pos = self->len = 0;

  n = g_input_stream_read (self->stream, self->buffer + self->len, BUFFER_SIZE - self->len,
                           cancellable, error);
  if (n < 0)
    return FALSE;
  if (n == 0)
    self->eof = TRUE;
  self->len += (gsize) n;
  return TRUE;
}

static inline int
next_byte (EsaCsvReader  *self,
           GCancellable  *cancellable,
           GError       **error)
{
  int c;

  if (self->pos == self->len)
    {
      if (self->eof)
        return BYTE_EOF;
      if (!fill_buffer (self, cancellable, error))
        return BYTE_ERROR;
      if (self->pos == self->len)
        return BYTE_EOF;
    }

  c = self->buffer[self->pos++];
  if (c == '\n')
    {
      if (!self->after_cr)
        self->line++;
      self->after_cr = FALSE;
    }
  else if (c == '\r')
    {
      self->line++;
      self->after_cr = TRUE;
    }
  else
    {
      self->after_cr = FALSE;
    }
  return c;
}

/* Counts ',' and ';' outside quotes up to the first line break outside
 * quotes, within what the buffer holds. */
static char
detect_separator (const guint8 *data,
                  gsize         len)
{
  gboolean quoted = FALSE;
  gsize commas = 0;
  gsize semicolons = 0;

  for (gsize i = 0; i < len; i++)
    {
      if (data[i] == '"')
        quoted = !quoted;
      else if (quoted)
        continue;
      else if (data[i] == '\n' || data[i] == '\r')
        break;
      else if (data[i] == ',')
        commas++;
      else if (data[i] == ';')
        semicolons++;
    }
  return semicolons > commas ? ';' : ',';
}

/* Reads the start of the input: enough for the byte order mark, and the
 * first line when the separator is to be detected. */
static gboolean
start (EsaCsvReader  *self,
       GCancellable  *cancellable,
       GError       **error)
{
  self->started = TRUE;

  while (!self->eof && self->len < BUFFER_SIZE
         && (self->len < 3
             || (self->separator == ESA_CSV_SEPARATOR_AUTO
                 && memchr (self->buffer, '\n', self->len) == NULL)))
    {
      if (!fill_buffer (self, cancellable, error))
        return FALSE;
    }

  if (self->len >= 3 && memcmp (self->buffer, "\xEF\xBB\xBF", 3) == 0)
    self->pos = 3;

  if (self->separator == ESA_CSV_SEPARATOR_AUTO)
    self->separator = detect_separator (self->buffer + self->pos, self->len - self->pos);

  return TRUE;
}

static void
begin_field (EsaCsvReader *self)
{
  guint offset = (guint) self->fields->len;

  g_array_append_val (self->offsets, offset);
}

/* Ends the field being read; the record's fields are checked for UTF-8 one
 * by one because each ends with a NUL. */
static gboolean
end_field (EsaCsvReader  *self,
           GError       **error)
{
  guint index = self->offsets->len - 1;
  const char *field = self->fields->str + g_array_index (self->offsets, guint, index);
  gsize field_len = self->fields->len - g_array_index (self->offsets, guint, index);

  if (!g_utf8_validate_len (field, field_len, NULL))
    {
      g_set_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_ENCODING,
                   /* Translators: the file is probably in another encoding */
                   _("line %u: field %u is not valid UTF-8 text"),
                   self->record_line, index + 1);
      return FALSE;
    }

  g_string_append_c (self->fields, '\0');
  return TRUE;
}

static gboolean
end_field_and_begin (EsaCsvReader  *self,
                     GError       **error)
{
  if (!end_field (self, error))
    return FALSE;
  begin_field (self);
  return TRUE;
}

static void
esa_csv_reader_dispose (GObject *object)
{
  EsaCsvReader *self = ESA_CSV_READER (object);

  g_clear_object (&self->stream);

  G_OBJECT_CLASS (esa_csv_reader_parent_class)->dispose (object);
}

static void
esa_csv_reader_finalize (GObject *object)
{
  EsaCsvReader *self = ESA_CSV_READER (object);

  g_free (self->buffer);
  g_string_free (self->fields, TRUE);
  g_array_unref (self->offsets);

  G_OBJECT_CLASS (esa_csv_reader_parent_class)->finalize (object);
}

static void
esa_csv_reader_class_init (EsaCsvReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = esa_csv_reader_dispose;
  object_class->finalize = esa_csv_reader_finalize;
}

static void
esa_csv_reader_init (EsaCsvReader *self)
{
  self->separator = ',';
  self->buffer = g_malloc (BUFFER_SIZE);
  self->line = 1;
  self->fields = g_string_sized_new (256);
  self->offsets = g_array_sized_new (FALSE, FALSE, sizeof (guint), 32);
}

EsaCsvReader *
esa_csv_reader_new (GInputStream *stream)
{
  EsaCsvReader *self;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  self = g_object_new (ESA_TYPE_CSV_READER, NULL);
  self->stream = g_object_ref (stream);
  return self;
}

EsaCsvReader *
esa_csv_reader_new_for_path (const char  *path,
                             GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) stream = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  file = g_file_new_for_path (path);
  stream = g_file_read (file, NULL, error);
  if (stream == NULL)
    return NULL;

  return esa_csv_reader_new (G_INPUT_STREAM (stream));
}

void
esa_csv_reader_set_separator (EsaCsvReader *self,
                              char          separator)
{
  g_return_if_fail (ESA_IS_CSV_READER (self));
  g_return_if_fail (separator == ',' || separator == ';' || separator == '\t'
                    || separator == ESA_CSV_SEPARATOR_AUTO);
  g_return_if_fail (!self->started);

  self->separator = separator;
}

char
esa_csv_reader_get_separator (EsaCsvReader *self)
{
  g_return_val_if_fail (ESA_IS_CSV_READER (self), ',');

  return self->separator;
}

gboolean
esa_csv_reader_next (EsaCsvReader  *self,
                     GCancellable  *cancellable,
                     GError       **error)
{
  State state = STATE_FIELD_START;
  guint quote_line = 0;
  int c;

  g_return_val_if_fail (ESA_IS_CSV_READER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_string_truncate (self->fields, 0);
  g_array_set_size (self->offsets, 0);

  if (!self->started && !start (self, cancellable, error))
    return FALSE;

  /* Blank lines, and the LF of a CRLF that ended the previous record. */
  do
    c = next_byte (self, cancellable, error);
  while (c == '\r' || c == '\n');
  if (c == BYTE_ERROR || c == BYTE_EOF)
    return FALSE;

  self->record_line = self->line;
  begin_field (self);

  for (;; c = next_byte (self, cancellable, error))
    {
      if (c == BYTE_ERROR)
        return FALSE;

      if (c == '\0')
        {
          g_set_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_ENCODING,
                       _("line %u: field %u contains a NUL byte, which text never holds"),
                       self->record_line, self->offsets->len);
          return FALSE;
        }

      switch (state)
        {
        case STATE_FIELD_START:
          if (c == '"')
            {
              quote_line = self->line;
              state = STATE_QUOTED;
              break;
            }
          state = STATE_UNQUOTED;
          G_GNUC_FALLTHROUGH;

        case STATE_UNQUOTED:
          if (c == BYTE_EOF || c == '\r' || c == '\n')
            return end_field (self, error);
          if (c == self->separator)
            {
              if (!end_field_and_begin (self, error))
                return FALSE;
              state = STATE_FIELD_START;
              break;
            }
          g_string_append_c (self->fields, (char) c);
          break;

        case STATE_QUOTED:
          if (c == BYTE_EOF)
            {
              g_set_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_PARSE,
                           _("line %u: the quoted field that starts here is not closed "
                             "before the end of the file"),
                           quote_line);
              return FALSE;
            }
          if (c == '"')
            state = STATE_QUOTE_IN_QUOTED;
          else
            g_string_append_c (self->fields, (char) c);
          break;

        case STATE_QUOTE_IN_QUOTED:
          if (c == '"')
            {
              g_string_append_c (self->fields, '"');
              state = STATE_QUOTED;
              break;
            }
          if (c == BYTE_EOF || c == '\r' || c == '\n')
            return end_field (self, error);
          if (c == self->separator)
            {
              if (!end_field_and_begin (self, error))
                return FALSE;
              state = STATE_FIELD_START;
              break;
            }
          g_set_error (error, ESA_EXCHANGE_ERROR, ESA_EXCHANGE_ERROR_PARSE,
                       _("line %u: field %u has text after its closing quote"),
                       self->line, self->offsets->len);
          return FALSE;

        default:
          g_assert_not_reached ();
        }
    }
}

guint
esa_csv_reader_get_n_fields (EsaCsvReader *self)
{
  g_return_val_if_fail (ESA_IS_CSV_READER (self), 0);

  return self->offsets->len;
}

const char *
esa_csv_reader_get_field (EsaCsvReader *self,
                          guint         index)
{
  g_return_val_if_fail (ESA_IS_CSV_READER (self), NULL);
  g_return_val_if_fail (index < self->offsets->len, NULL);

  return self->fields->str + g_array_index (self->offsets, guint, index);
}

char **
esa_csv_reader_dup_fields (EsaCsvReader *self)
{
  char **fields;

  g_return_val_if_fail (ESA_IS_CSV_READER (self), NULL);

  fields = g_new (char *, self->offsets->len + 1);
  for (guint i = 0; i < self->offsets->len; i++)
    fields[i] = g_strdup (esa_csv_reader_get_field (self, i));
  fields[self->offsets->len] = NULL;
  return fields;
}

guint
esa_csv_reader_get_line (EsaCsvReader *self)
{
  g_return_val_if_fail (ESA_IS_CSV_READER (self), 0);

  return self->record_line;
}
