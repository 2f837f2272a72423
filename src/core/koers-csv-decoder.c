/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "core/koers-csv-decoder.h"

#include <string.h>

struct _KoersCsvDecoder {
  GInputStream    *stream;
  guint8          *raw;
  gsize            len;   /* valid bytes in raw */
  gsize            pos;   /* decoded bytes in raw */
  gboolean         eof;
  KoersCsvEncoding encoding;
  GError          *pending;
};

/* Windows-1252 0x80-0x9F; 0 marks the five bytes the code page leaves undefined. Latin-1 would
 * turn these into invisible C1 controls: Excel's € and curly quotes must stay themselves. */
static const gunichar cp1252_high[32] = {
  0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
  0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

KoersCsvDecoder *
koers_csv_decoder_new (GInputStream *stream)
{
  KoersCsvDecoder *self;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  self = g_new0 (KoersCsvDecoder, 1);
  self->stream = g_object_ref (stream);
  self->raw = g_malloc (KOERS_CSV_RAW_CHUNK);
  self->encoding = KOERS_CSV_ENCODING_ASCII;
  return self;
}

void
koers_csv_decoder_free (KoersCsvDecoder *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->stream);
  g_clear_error (&self->pending);
  g_free (self->raw);
  g_free (self);
}

KoersCsvEncoding
koers_csv_decoder_get_encoding (KoersCsvDecoder *self)
{
  return self->encoding;
}

gsize
koers_csv_decoder_get_buffered_bytes (KoersCsvDecoder *self)
{
  return KOERS_CSV_RAW_CHUNK;
}

/* Moves the undecoded tail to the front and reads until the buffer is full or the stream ends. */
static gboolean
fill (KoersCsvDecoder *self,
      GCancellable    *cancellable,
      GError         **error)
{
  gsize got = 0;

  if (self->pos > 0)
    {
      memmove (self->raw, self->raw + self->pos, self->len - self->pos);
      self->len -= self->pos;
      self->pos = 0;
    }
  if (self->eof || self->len == KOERS_CSV_RAW_CHUNK)
    return TRUE;
  /* Checked here too: not every stream honours @cancellable (a GMemoryInputStream does not). */
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (!g_input_stream_read_all (self->stream, self->raw + self->len,
                                KOERS_CSV_RAW_CHUNK - self->len, &got, cancellable, error))
    return FALSE;
  if (got < KOERS_CSV_RAW_CHUNK - self->len)
    self->eof = TRUE;
  self->len += got;
  return TRUE;
}

/* TRUE when @p..@p+@n is the start of a UTF-8 sequence cut off by the end of the buffer. */
static gboolean
is_incomplete_utf8 (const guint8 *p, gsize n)
{
  gsize need;

  if (n == 0 || n > 3)
    return FALSE;
  if ((p[0] & 0xE0) == 0xC0)
    need = 2;
  else if ((p[0] & 0xF0) == 0xE0)
    need = 3;
  else if ((p[0] & 0xF8) == 0xF0)
    need = 4;
  else
    return FALSE;
  if (n >= need)
    return FALSE;
  for (gsize i = 1; i < n; i++)
    if ((p[i] & 0xC0) != 0x80)
      return FALSE;
  return TRUE;
}

static void
set_pending (KoersCsvDecoder *self, KoersCsvError code, const char *reason)
{
  if (self->pending == NULL)
    self->pending = g_error_new_literal (KOERS_CSV_ERROR, code, reason);
}

static void
pending_nul (KoersCsvDecoder *self)
{
  set_pending (self, KOERS_CSV_ERROR_BINARY,
               _("the file contains binary data (a NUL byte), not CSV text"));
}

static void
decode_utf8 (KoersCsvDecoder *self, GString *out)
{
  const char *start = (const char *) self->raw + self->pos;
  gsize n = self->len - self->pos;
  const char *end = NULL;
  gsize rest;

  if (g_utf8_validate_len (start, n, &end))
    {
      g_string_append_len (out, start, (gssize) n);
      self->pos = self->len;
      return;
    }
  g_string_append_len (out, start, end - start);
  self->pos += (gsize) (end - start);
  rest = self->len - self->pos;
  if (*end == '\0')
    pending_nul (self);
  else if (!self->eof && is_incomplete_utf8 ((const guint8 *) end, rest))
    return;
  else
    {
      g_autofree char *reason = NULL;

      reason = g_strdup_printf (_("byte 0x%02X is not valid UTF-8: the file mixes encodings; "
                                  "save it again as CSV (UTF-8)"), (guint) (guint8) *end);
      set_pending (self, KOERS_CSV_ERROR_ENCODING, reason);
    }
}

static void
decode_cp1252 (KoersCsvDecoder *self, GString *out)
{
  while (self->pos < self->len)
    {
      gsize run = self->pos;
      guint8 b;

      while (run < self->len && self->raw[run] < 0x80 && self->raw[run] != 0)
        run++;
      g_string_append_len (out, (const char *) self->raw + self->pos, (gssize) (run - self->pos));
      self->pos = run;
      if (run == self->len)
        return;
      b = self->raw[run];
      if (b == 0)
        {
          pending_nul (self);
          return;
        }
      if (b < 0xA0 && cp1252_high[b - 0x80] == 0)
        {
          g_autofree char *reason = NULL;

          reason = g_strdup_printf (_("byte 0x%02X is not a character in Windows-1252: save the "
                                      "file again as CSV (UTF-8)"), (guint) b);
          set_pending (self, KOERS_CSV_ERROR_ENCODING, reason);
          return;
        }
      g_string_append_unichar (out, b < 0xA0 ? cp1252_high[b - 0x80] : (gunichar) b);
      self->pos++;
    }
}

static void
decode_utf16le (KoersCsvDecoder *self, GString *out)
{
  while (self->len - self->pos >= 2)
    {
      const guint8 *p = self->raw + self->pos;
      gunichar u = (gunichar) p[0] | ((gunichar) p[1] << 8);
      gsize used = 2;

      if (u == 0)
        {
          pending_nul (self);
          return;
        }
      if (u >= 0xD800 && u <= 0xDBFF)
        {
          gunichar low;

          if (self->len - self->pos < 4)
            {
              if (!self->eof)
                return;
              set_pending (self, KOERS_CSV_ERROR_ENCODING,
                           _("the UTF-16 text ends in the middle of a character"));
              return;
            }
          low = (gunichar) p[2] | ((gunichar) p[3] << 8);
          if (low < 0xDC00 || low > 0xDFFF)
            {
              set_pending (self, KOERS_CSV_ERROR_ENCODING,
                           _("invalid UTF-16 text (a lone surrogate)"));
              return;
            }
          u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
          used = 4;
        }
      else if (u >= 0xDC00 && u <= 0xDFFF)
        {
          set_pending (self, KOERS_CSV_ERROR_ENCODING, _("invalid UTF-16 text (a lone surrogate)"));
          return;
        }
      g_string_append_unichar (out, u);
      self->pos += used;
    }
  if (self->eof && self->pos < self->len)
    set_pending (self, KOERS_CSV_ERROR_ENCODING,
                 _("the UTF-16 text ends in the middle of a character"));
}

/* Until the first non-ASCII byte every candidate decodes alike; decide there. */
static void
decode_ascii (KoersCsvDecoder *self, GString *out)
{
  gsize run = self->pos;
  gsize rest;

  while (run < self->len && self->raw[run] < 0x80 && self->raw[run] != 0)
    run++;
  g_string_append_len (out, (const char *) self->raw + self->pos, (gssize) (run - self->pos));
  self->pos = run;
  if (run == self->len)
    return;
  if (self->raw[run] == 0)
    {
      pending_nul (self);
      return;
    }
  rest = self->len - run;
  if (rest < 4 && !self->eof)
    return; /* decide when the whole character is here */
  /* The first non-ASCII character decides: Windows-1252 text almost never happens to form a
   * UTF-8 sequence there, and deciding on one character rather than the whole chunk means a
   * UTF-8 file with one stray 1252 byte gets a located "mixes encodings" error instead of being
   * read as 1252 mojibake. */
  self->encoding = g_utf8_get_char_validated ((const char *) self->raw + run, (gssize) rest)
                   < (gunichar) -2 ? KOERS_CSV_ENCODING_UTF8 : KOERS_CSV_ENCODING_WINDOWS_1252;
}

static void
decode (KoersCsvDecoder *self, GString *out)
{
  if (self->encoding == KOERS_CSV_ENCODING_ASCII)
    decode_ascii (self, out);
  switch (self->encoding)
    {
    case KOERS_CSV_ENCODING_ASCII:
      break;
    case KOERS_CSV_ENCODING_UTF8:
    case KOERS_CSV_ENCODING_UTF8_BOM:
      decode_utf8 (self, out);
      break;
    case KOERS_CSV_ENCODING_UTF16LE:
      decode_utf16le (self, out);
      break;
    case KOERS_CSV_ENCODING_WINDOWS_1252:
      decode_cp1252 (self, out);
      break;
    default:
      g_assert_not_reached ();
    }
}

gssize
koers_csv_decoder_read (KoersCsvDecoder *self,
                        GString         *out,
                        GCancellable    *cancellable,
                        GError         **error)
{
  gsize before = out->len;

  for (;;)
    {
      if (self->pending != NULL)
        {
          if (out->len > before)
            return (gssize) (out->len - before);
          g_propagate_error (error, g_error_copy (self->pending));
          return -1;
        }
      if (!fill (self, cancellable, error))
        return -1;
      decode (self, out);
      if (out->len > before)
        return (gssize) (out->len - before);
      if (self->pending != NULL)
        continue;
      if (self->eof && self->pos == self->len)
        return 0;
      if (self->eof)
        {
          /* Only a cut-off character can be left at the very end. */
          set_pending (self, KOERS_CSV_ERROR_ENCODING,
                       _("the file ends in the middle of a character"));
          continue;
        }
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return -1;
    }
}

/* Line and column of @offset when the first chunk is read as UTF-8/ASCII, for errors found
 * before any decoding (a NUL in a file that is not UTF-16). */
static void
locate_raw (const guint8 *raw, gsize offset, guint *line, guint *column)
{
  *line = 1;
  *column = 1;
  for (gsize i = 0; i < offset; i++)
    {
      gboolean crlf_tail = raw[i] == '\n' && i > 0 && raw[i - 1] == '\r';

      if ((raw[i] == '\n' && !crlf_tail) || raw[i] == '\r')
        {
          (*line)++;
          *column = 1;
        }
      else if (!crlf_tail && (raw[i] & 0xC0) != 0x80)
        (*column)++;
    }
}

static gboolean
refuse (GError **error, KoersCsvError code, guint line, guint column, const char *reason)
{
  g_autoptr(KoersCsvIssue) issue = koers_csv_issue_new (line, column, -1, NULL, reason);

  g_set_error_literal (error, KOERS_CSV_ERROR, code, issue->message);
  return FALSE;
}

gboolean
koers_csv_decoder_sniff (KoersCsvDecoder *self,
                         GCancellable    *cancellable,
                         GError         **error)
{
  static const guint8 zip[] = { 'P', 'K', 0x03, 0x04 };
  static const guint8 ole[] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 };
  const guint8 *p;
  gsize n, pairs, le = 0, be = 0;
  const guint8 *nul;

  g_return_val_if_fail (self != NULL, FALSE);

  if (!fill (self, cancellable, error))
    return FALSE;
  p = self->raw;
  n = self->len;

  if (n >= sizeof zip && memcmp (p, zip, sizeof zip) == 0)
    return refuse (error, KOERS_CSV_ERROR_WORKBOOK, 1, 1,
                   _("this is an Excel workbook: save it as CSV (UTF-8)"));
  if (n >= sizeof ole && memcmp (p, ole, sizeof ole) == 0)
    return refuse (error, KOERS_CSV_ERROR_WORKBOOK, 1, 1,
                   _("this is an Excel 97-2003 workbook: save it as CSV (UTF-8)"));
  if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
    {
      self->encoding = KOERS_CSV_ENCODING_UTF8_BOM;
      self->pos = 3;
      return TRUE;
    }
  if (n >= 2 && p[0] == 0xFF && p[1] == 0xFE)
    {
      self->encoding = KOERS_CSV_ENCODING_UTF16LE;
      self->pos = 2;
      return TRUE;
    }
  if (n >= 2 && p[0] == 0xFE && p[1] == 0xFF)
    return refuse (error, KOERS_CSV_ERROR_ENCODING, 1, 1,
                   _("UTF-16 big-endian text is not supported: save the file as CSV (UTF-8)"));

  /* Without a BOM, UTF-16 shows as a zero in every other byte of Latin-script text. */
  pairs = MIN (n, 4096) / 2;
  for (gsize i = 0; i < pairs; i++)
    {
      if (p[2 * i] != 0 && p[2 * i + 1] == 0)
        le++;
      else if (p[2 * i] == 0 && p[2 * i + 1] != 0)
        be++;
    }
  if (pairs >= 2 && le * 10 >= pairs * 7)
    {
      self->encoding = KOERS_CSV_ENCODING_UTF16LE;
      return TRUE;
    }
  if (pairs >= 2 && be * 10 >= pairs * 7)
    return refuse (error, KOERS_CSV_ERROR_ENCODING, 1, 1,
                   _("UTF-16 big-endian text is not supported: save the file as CSV (UTF-8)"));

  nul = memchr (p, 0, n);
  if (nul != NULL)
    {
      guint line, column;

      locate_raw (p, (gsize) (nul - p), &line, &column);
      return refuse (error, KOERS_CSV_ERROR_BINARY, line, column,
                     _("the file contains binary data (a NUL byte), not CSV text"));
    }
  /* Otherwise ASCII until proven otherwise: decode_ascii() decides at the first high byte,
   * in the first chunk for nearly every file. */
  return TRUE;
}
