/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-csv-lexer.h: the second stage of the CSV reader (internal to it): decoded text in, one
 * record at a time out, in the RFC 4180 dialect Excel writes: fields separated by one
 * character, a field in double quotes may hold the separator, CR, LF and `""` (one quote).
 *
 * Every record and field carries its PHYSICAL line (a line break inside quotes advances it) and
 * the 1-based character column where it starts. Line breaks inside a quoted field become "\n".
 * Records whose fields are all blank and unquoted (blank lines, ";;;", spaces) are skipped.
 *
 * A problem confined to one record (a stray quote, a field over the limit, too many fields) is
 * reported with the record, and the lexer reads on at the next physical line; an unterminated
 * quote or a decoding error ends the file.
 */
#pragma once

#include <gio/gio.h>

#include "core/koers-csv-decoder.h"

G_BEGIN_DECLS

typedef struct {
  guint    line;
  guint    column;
  gboolean quoted;
  gsize    offset;  /* into the record's data; the value is NUL-terminated there */
  gsize    length;
} KoersCsvCell;

typedef struct {
  KoersCsvError code;
  guint         line;
  guint         column;
  int           field_index;  /* -1 when not in a field */
  char         *reason;
} KoersCsvProblem;

typedef enum {
  KOERS_CSV_LEX_RECORD,
  KOERS_CSV_LEX_END,
  KOERS_CSV_LEX_ERROR,  /* ends the file: a fatal problem (koers_csv_lexer_get_problem) or an
                         * I/O error / cancellation in @error */
} KoersCsvLexResult;

typedef struct _KoersCsvLexer KoersCsvLexer;

/* Returns (transfer full): a lexer that owns @decoder. */
KoersCsvLexer    *koers_csv_lexer_new (KoersCsvDecoder *decoder);
void              koers_csv_lexer_free (KoersCsvLexer *self);

KoersCsvDecoder  *koers_csv_lexer_get_decoder (KoersCsvLexer *self);
void              koers_csv_lexer_set_separator (KoersCsvLexer *self, char separator);

/* Decodes ahead until @want bytes are buffered (or the end, or a decoding problem) and returns
 * (transfer none) the buffered text for sniffing; *out_len its length, *out_complete TRUE when it
 * runs to the end of the file. */
const char       *koers_csv_lexer_peek (KoersCsvLexer *self,
                                        gsize          want,
                                        gsize         *out_len,
                                        gboolean      *out_complete,
                                        GCancellable  *cancellable,
                                        GError       **error);
/* Skips the first @n_bytes of buffered text, which end a physical line (a `sep=` line). */
void              koers_csv_lexer_skip_line (KoersCsvLexer *self, gsize n_bytes);

KoersCsvLexResult koers_csv_lexer_next (KoersCsvLexer *self,
                                        GCancellable  *cancellable,
                                        GError       **error);

/* The current record (valid until the next call to koers_csv_lexer_next). */
guint               koers_csv_lexer_get_line (KoersCsvLexer *self);
/* Where the record ends (its line break or the end of the file). */
void                koers_csv_lexer_get_end (KoersCsvLexer *self, guint *line, guint *column);
guint               koers_csv_lexer_get_n_cells (KoersCsvLexer *self);
const KoersCsvCell *koers_csv_lexer_get_cells (KoersCsvLexer *self);
const char         *koers_csv_lexer_get_data (KoersCsvLexer *self, gsize *out_len);
/* Returns (transfer none) (nullable): the first problem of the current record, or the fatal
 * problem after KOERS_CSV_LEX_ERROR. */
const KoersCsvProblem *koers_csv_lexer_get_problem (KoersCsvLexer *self);

/* Bytes the lexer and its decoder hold now (allocated buffers). */
gsize             koers_csv_lexer_get_buffered_bytes (KoersCsvLexer *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersCsvLexer, koers_csv_lexer_free)

G_END_DECLS
