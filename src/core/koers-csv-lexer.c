/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "core/koers-csv-lexer.h"

#include <string.h>

typedef enum {
  STATE_START,       /* before the first character of a field */
  STATE_UNQUOTED,
  STATE_QUOTED,
  STATE_QUOTE_SEEN,  /* a quote inside a quoted field: closing, or the first of `""` */
} State;

struct _KoersCsvLexer {
  KoersCsvDecoder *decoder;
  GString         *text;   /* decoded, not yet lexed from pos */
  gsize            pos;
  gboolean         eof;
  GError          *decode_error;
  char             separator;

  guint            line;    /* of the next character */
  guint            column;
  gboolean         after_cr;

  /* The current record. */
  GString         *data;
  GArray          *cells;
  guint            record_line;
  guint            end_line;
  guint            end_column;
  guint            n_fields;   /* fields seen, also those past KOERS_CSV_MAX_COLUMNS */
  gboolean         field_open;
  guint            quote_line; /* where the last quoted field opened */
  guint            quote_column;
  gboolean         discarding; /* a limit was hit: read to the end of the record, keep nothing */
  gboolean         has_problem;
  KoersCsvProblem  problem;
  gboolean         failed;
};

KoersCsvLexer *
koers_csv_lexer_new (KoersCsvDecoder *decoder)
{
  KoersCsvLexer *self = g_new0 (KoersCsvLexer, 1);

  self->decoder = decoder;
  self->text = g_string_sized_new (KOERS_CSV_RAW_CHUNK);
  self->data = g_string_sized_new (1024);
  self->cells = g_array_new (FALSE, FALSE, sizeof (KoersCsvCell));
  self->separator = ';';
  self->line = 1;
  self->column = 1;
  return self;
}

void
koers_csv_lexer_free (KoersCsvLexer *self)
{
  if (self == NULL)
    return;
  koers_csv_decoder_free (self->decoder);
  g_clear_error (&self->decode_error);
  g_string_free (self->text, TRUE);
  g_string_free (self->data, TRUE);
  g_array_unref (self->cells);
  g_free (self->problem.reason);
  g_free (self);
}

KoersCsvDecoder *
koers_csv_lexer_get_decoder (KoersCsvLexer *self)
{
  return self->decoder;
}

void
koers_csv_lexer_set_separator (KoersCsvLexer *self, char separator)
{
  self->separator = separator;
}

/* 1: more text, 0: end of file, -1: I/O error in @error, -2: decoding problem. */
static int
refill (KoersCsvLexer *self, GCancellable *cancellable, GError **error)
{
  g_autoptr(GError) local = NULL;
  gssize n;

  if (self->decode_error != NULL)
    return -2;
  if (self->eof)
    return 0;
  if (self->pos > 0)
    {
      g_string_erase (self->text, 0, (gssize) self->pos);
      self->pos = 0;
    }
  n = koers_csv_decoder_read (self->decoder, self->text, cancellable, &local);
  if (n > 0)
    return 1;
  if (n == 0)
    {
      self->eof = TRUE;
      return 0;
    }
  if (local->domain == KOERS_CSV_ERROR)
    {
      self->decode_error = g_steal_pointer (&local);
      return -2;
    }
  g_propagate_error (error, g_steal_pointer (&local));
  return -1;
}

const char *
koers_csv_lexer_peek (KoersCsvLexer *self,
                      gsize          want,
                      gsize         *out_len,
                      gboolean      *out_complete,
                      GCancellable  *cancellable,
                      GError       **error)
{
  while (self->text->len - self->pos < want)
    {
      int r = refill (self, cancellable, error);

      if (r == -1)
        return NULL;
      if (r != 1)
        break;
    }
  *out_len = self->text->len - self->pos;
  *out_complete = self->eof;
  return self->text->str + self->pos;
}

void
koers_csv_lexer_skip_line (KoersCsvLexer *self, gsize n_bytes)
{
  g_assert (self->pos + n_bytes <= self->text->len);
  g_assert (n_bytes > 0);

  self->pos += n_bytes;
  self->after_cr = self->text->str[self->pos - 1] == '\r';
  self->line++;
  self->column = 1;
}

static void
set_problem (KoersCsvLexer *self,
             KoersCsvError  code,
             guint          line,
             guint          column,
             char          *reason,
             gboolean       fatal)
{
  if (self->has_problem && !fatal)
    {
      g_free (reason);
      return;
    }
  g_free (self->problem.reason);
  self->problem.code = code;
  self->problem.line = line;
  self->problem.column = column;
  self->problem.field_index = self->n_fields > 0 ? (int) self->n_fields - 1 : -1;
  self->problem.reason = reason;
  self->has_problem = TRUE;
  if (fatal)
    self->failed = TRUE;
}

static KoersCsvCell *
current_cell (KoersCsvLexer *self)
{
  return &g_array_index (self->cells, KoersCsvCell, self->cells->len - 1);
}

static void
begin_field (KoersCsvLexer *self, gboolean quoted)
{
  KoersCsvCell cell = { self->line, self->column, quoted, self->data->len, 0 };

  self->n_fields++;
  if (self->n_fields > KOERS_CSV_MAX_COLUMNS && !self->discarding)
    {
      set_problem (self, KOERS_CSV_ERROR_TOO_MANY_COLUMNS, self->line, self->column,
                   g_strdup_printf (_("the row has more than %d fields, the limit"),
                                    KOERS_CSV_MAX_COLUMNS), FALSE);
      self->discarding = TRUE;
    }
  if (quoted)
    {
      self->quote_line = self->line;
      self->quote_column = self->column;
    }
  if (!self->discarding)
    {
      g_array_append_val (self->cells, cell);
      self->field_open = TRUE;
    }
}

static void
end_field (KoersCsvLexer *self)
{
  KoersCsvCell *cell;

  if (!self->field_open)
    return;
  cell = current_cell (self);
  cell->length = self->data->len - cell->offset;
  g_string_append_c (self->data, '\0');
  self->field_open = FALSE;
}

static void
append (KoersCsvLexer *self, const char *bytes, gsize n)
{
  KoersCsvCell *cell;

  if (self->discarding || n == 0)
    return;
  cell = current_cell (self);
  if (self->data->len - cell->offset + n > KOERS_CSV_MAX_FIELD_BYTES)
    {
      char *reason;

      if (cell->quoted)
        reason = g_strdup_printf (_("the quoted field is longer than %d MiB, the limit; if it "
                                    "should be short, its closing quote is missing"),
                                  KOERS_CSV_MAX_FIELD_BYTES / (1024 * 1024));
      else
        reason = g_strdup_printf (_("the field is longer than %d MiB, the limit"),
                                  KOERS_CSV_MAX_FIELD_BYTES / (1024 * 1024));
      set_problem (self, KOERS_CSV_ERROR_FIELD_TOO_LONG, cell->line, cell->column, reason, FALSE);
      self->discarding = TRUE;
      return;
    }
  if (self->data->len + n > KOERS_CSV_MAX_ROW_BYTES)
    {
      set_problem (self, KOERS_CSV_ERROR_FIELD_TOO_LONG, cell->line, cell->column,
                   g_strdup_printf (_("the row is longer than %d MiB, the limit"),
                                    KOERS_CSV_MAX_ROW_BYTES / (1024 * 1024)), FALSE);
      self->discarding = TRUE;
      return;
    }
  g_string_append_len (self->data, bytes, (gssize) n);
}

/* Consumes the line break at pos: CR, LF, or CR LF (the LF is skipped when it arrives). */
static void
newline (KoersCsvLexer *self, guint8 b)
{
  self->pos++;
  self->line++;
  self->column = 1;
  self->after_cr = b == '\r';
}

static void
mark_end (KoersCsvLexer *self)
{
  self->end_line = self->line;
  self->end_column = self->column;
}

static void
reset_record (KoersCsvLexer *self)
{
  g_string_truncate (self->data, 0);
  g_array_set_size (self->cells, 0);
  self->n_fields = 0;
  self->field_open = FALSE;
  self->discarding = FALSE;
  self->has_problem = FALSE;
  g_clear_pointer (&self->problem.reason, g_free);
  self->record_line = self->line;
}

static KoersCsvLexResult
at_end_of_input (KoersCsvLexer *self, State state, gboolean in_record)
{
  if (!in_record)
    return KOERS_CSV_LEX_END;
  if (state == STATE_QUOTED)
    {
      set_problem (self, KOERS_CSV_ERROR_UNTERMINATED_QUOTE, self->quote_line,
                   self->quote_column,
                   g_strdup (_("the quote that opens this field is never closed")), TRUE);
      return KOERS_CSV_LEX_ERROR;
    }
  if (state == STATE_START)
    begin_field (self, FALSE);
  end_field (self);
  mark_end (self);
  return KOERS_CSV_LEX_RECORD;
}

static KoersCsvLexResult
lex_record (KoersCsvLexer *self, GCancellable *cancellable, GError **error)
{
  State state = STATE_START;
  gboolean in_record = FALSE;
  const guint8 sep = (guint8) self->separator;

  for (;;)
    {
      const guint8 *p, *q, *end;
      guint cols = 0;
      guint8 b;

      if (self->pos >= self->text->len)
        {
          int r = refill (self, cancellable, error);

          if (r == 1)
            continue;
          if (r == -1)
            {
              self->failed = TRUE;
              return KOERS_CSV_LEX_ERROR;
            }
          if (r == -2)
            {
              set_problem (self, (KoersCsvError) self->decode_error->code, self->line,
                           self->column, g_strdup (self->decode_error->message), TRUE);
              return KOERS_CSV_LEX_ERROR;
            }
          return at_end_of_input (self, state, in_record);
        }

      p = (const guint8 *) self->text->str + self->pos;
      end = (const guint8 *) self->text->str + self->text->len;
      b = *p;
      if (self->after_cr)
        {
          self->after_cr = FALSE;
          if (b == '\n')
            {
              self->pos++;
              continue;
            }
        }

      switch (state)
        {
        case STATE_START:
          in_record = TRUE;
          if (b == '"')
            {
              begin_field (self, TRUE);
              state = STATE_QUOTED;
              self->column++;
              self->pos++;
              continue;
            }
          begin_field (self, FALSE);
          state = STATE_UNQUOTED;
          G_GNUC_FALLTHROUGH;

        case STATE_UNQUOTED:
          q = p;
          while (q < end && *q != sep && *q != '"' && *q != '\r' && *q != '\n')
            cols += (*q++ & 0xC0) != 0x80;
          append (self, (const char *) p, (gsize) (q - p));
          self->column += cols;
          self->pos += (gsize) (q - p);
          if (q == end)
            continue;
          b = *q;
          if (b == sep)
            {
              end_field (self);
              state = STATE_START;
              self->column++;
              self->pos++;
              continue;
            }
          if (b == '"')
            {
              /* Excel itself quotes any field with a quote in it; a bare one means the file
               * was edited by hand or cut off, so the row is refused rather than guessed. */
              set_problem (self, KOERS_CSV_ERROR_STRAY_QUOTE, self->line, self->column,
                           g_strdup (_("a quote inside a field that does not start with a "
                                       "quote; quote the whole field and double the quote")),
                           FALSE);
              append (self, "\"", 1);
              self->column++;
              self->pos++;
              continue;
            }
          end_field (self);
          mark_end (self);
          newline (self, b);
          return KOERS_CSV_LEX_RECORD;

        case STATE_QUOTED:
          q = p;
          while (q < end && *q != '"' && *q != '\r' && *q != '\n')
            cols += (*q++ & 0xC0) != 0x80;
          append (self, (const char *) p, (gsize) (q - p));
          self->column += cols;
          self->pos += (gsize) (q - p);
          if (q == end)
            continue;
          b = *q;
          if (b == '"')
            {
              state = STATE_QUOTE_SEEN;
              self->column++;
              self->pos++;
              continue;
            }
          append (self, "\n", 1);
          newline (self, b);
          continue;

        case STATE_QUOTE_SEEN:
          if (b == '"')
            {
              append (self, "\"", 1);
              state = STATE_QUOTED;
              self->column++;
              self->pos++;
              continue;
            }
          if (b == sep)
            {
              end_field (self);
              state = STATE_START;
              self->column++;
              self->pos++;
              continue;
            }
          if (b == '\r' || b == '\n')
            {
              end_field (self);
              mark_end (self);
              newline (self, b);
              return KOERS_CSV_LEX_RECORD;
            }
          set_problem (self, KOERS_CSV_ERROR_STRAY_QUOTE, self->line, self->column,
                       g_strdup (_("text after the closing quote of a quoted field")), FALSE);
          state = STATE_UNQUOTED;
          continue;

        default:
          g_assert_not_reached ();
        }
    }
}

static gboolean
is_blank (KoersCsvLexer *self)
{
  if (self->has_problem)
    return FALSE;
  for (guint i = 0; i < self->cells->len; i++)
    {
      const KoersCsvCell *cell = &g_array_index (self->cells, KoersCsvCell, i);

      const char *value = self->data->str + cell->offset;

      if (cell->quoted)
        return FALSE;
      /* "   " is as blank as "" (a row of spaces left in a spreadsheet). */
      for (gsize j = 0; j < cell->length; j++)
        if (value[j] != ' ' && value[j] != '\t')
          return FALSE;
    }
  return TRUE;
}

KoersCsvLexResult
koers_csv_lexer_next (KoersCsvLexer *self,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_return_val_if_fail (self != NULL, KOERS_CSV_LEX_ERROR);

  if (self->failed)
    return KOERS_CSV_LEX_ERROR;
  for (;;)
    {
      KoersCsvLexResult result;

      reset_record (self);
      result = lex_record (self, cancellable, error);
      if (result != KOERS_CSV_LEX_RECORD || !is_blank (self))
        return result;
    }
}

guint
koers_csv_lexer_get_line (KoersCsvLexer *self)
{
  return self->record_line;
}

void
koers_csv_lexer_get_end (KoersCsvLexer *self, guint *line, guint *column)
{
  *line = self->end_line;
  *column = self->end_column;
}

guint
koers_csv_lexer_get_n_cells (KoersCsvLexer *self)
{
  return self->cells->len;
}

const KoersCsvCell *
koers_csv_lexer_get_cells (KoersCsvLexer *self)
{
  return (const KoersCsvCell *) (gpointer) self->cells->data;
}

const char *
koers_csv_lexer_get_data (KoersCsvLexer *self, gsize *out_len)
{
  if (out_len != NULL)
    *out_len = self->data->len;
  return self->data->str;
}

const KoersCsvProblem *
koers_csv_lexer_get_problem (KoersCsvLexer *self)
{
  return self->has_problem ? &self->problem : NULL;
}

gsize
koers_csv_lexer_get_buffered_bytes (KoersCsvLexer *self)
{
  return koers_csv_decoder_get_buffered_bytes (self->decoder) + self->text->allocated_len
         + self->data->allocated_len + self->cells->len * sizeof (KoersCsvCell);
}
