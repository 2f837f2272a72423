/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-csv-decoder.h: the first stage of the CSV reader (internal to it): bytes from a
 * GInputStream in, UTF-8 text out, one bounded chunk at a time.
 *
 * The encoding is decided from the first chunk: a BOM (UTF-8, UTF-16LE), else the NUL pattern of
 * UTF-16LE without BOM, else UTF-8 when the first non-ASCII character is valid UTF-8, else
 * Windows-1252 (Excel's default "CSV" in a Dutch Windows). A file that is ASCII at the start
 * stays undecided (KOERS_CSV_ENCODING_ASCII) until its first non-ASCII byte, so a 1252 "€" on
 * row 5000 is still read right. Invalid bytes after the decision are a located error.
 *
 * A decoding problem (an undefined byte, a NUL) is reported only after all text before it has
 * been handed out, so the lexer can name its line and column.
 */
#pragma once

#include <gio/gio.h>

#include "core/koers-csv-types.h"

G_BEGIN_DECLS

/* Bytes read from the stream at a time. */
#define KOERS_CSV_RAW_CHUNK (64 * 1024)

typedef struct _KoersCsvDecoder KoersCsvDecoder;

/* Returns (transfer full): a decoder reading @stream (a reference is kept). */
KoersCsvDecoder *koers_csv_decoder_new (GInputStream *stream);
void             koers_csv_decoder_free (KoersCsvDecoder *self);

/* Reads the first chunk and decides the encoding. FALSE with a KOERS_CSV_ERROR whose message
 * already carries its location (a workbook, binary data, UTF-16 big-endian), or an I/O error. */
gboolean         koers_csv_decoder_sniff (KoersCsvDecoder *self,
                                          GCancellable    *cancellable,
                                          GError         **error);
KoersCsvEncoding koers_csv_decoder_get_encoding (KoersCsvDecoder *self);

/* Appends decoded UTF-8 text to @out. Returns the number of bytes appended (> 0), 0 at the end
 * of the file, or -1 with @error set: a KOERS_CSV_ERROR whose message is the bare reason (the
 * caller adds the location of the next character), or an I/O error. */
gssize           koers_csv_decoder_read (KoersCsvDecoder *self,
                                         GString         *out,
                                         GCancellable    *cancellable,
                                         GError         **error);

/* Bytes the decoder holds (its raw buffer). */
gsize            koers_csv_decoder_get_buffered_bytes (KoersCsvDecoder *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersCsvDecoder, koers_csv_decoder_free)

G_END_DECLS
