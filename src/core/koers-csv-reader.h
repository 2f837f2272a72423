/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-csv-reader.h: reading a participant list as Dutch offices produce it (issue 3, "Import";
 * RELIABILITY.md, "Bad input"). A streaming reader: a GInputStream in, records out, memory
 * bounded by KOERS_CSV_MAX_BUFFERED_BYTES whatever the size of the file (koers-csv-types.h).
 *
 * Creating the reader sniffs the file: the encoding (koers-csv-decoder.h), the separator (a
 * `sep=;` first line, Excel's hint, which is consumed; otherwise whichever of `;` `,` TAB splits
 * the first rows most consistently, quotes respected), and the header (the first non-blank row).
 * Headers are mapped to participant fields (koers-csv-header.h); the mapping can be changed by
 * hand before reading on. It also reads up to KOERS_CSV_LOOKAHEAD_ROWS rows ahead, so a file
 * whose header or first rows show a BSN column is refused before a single record is returned.
 *
 * Errors are GErrors in KOERS_CSV_ERROR reading `line:column (column name): reason`, with
 * PHYSICAL line numbers. A row error (koers_csv_error_is_row_error) leaves the reader usable:
 * call koers_csv_reader_next() again to read on, as koers_csv_validate() (koers-csv-validate.h)
 * does to list every problem. The import itself must be all or nothing: validate the whole
 * file first, then write it in one transaction.
 */
#pragma once

#include <gio/gio.h>

#include "core/koers-csv-header.h"
#include "core/koers-csv-record.h"
#include "core/koers-csv-types.h"

G_BEGIN_DECLS

#define KOERS_TYPE_CSV_READER (koers_csv_reader_get_type ())
G_DECLARE_FINAL_TYPE (KoersCsvReader, koers_csv_reader, KOERS, CSV_READER, GObject)

/**
 * koers_csv_reader_new:
 * @stream: the file's contents; read from its current position, never closed by the reader
 * @cancellable: (nullable): to stop reading
 * @error: a KOERS_CSV_ERROR (an Excel workbook, binary data, no header, a duplicate header, a
 *   BSN column, ...) or an I/O error
 *
 * Returns: (transfer full) (nullable): a reader positioned at the first data row.
 */
KoersCsvReader   *koers_csv_reader_new (GInputStream  *stream,
                                        GCancellable  *cancellable,
                                        GError       **error);

/* The encoding: decided by the first non-ASCII byte; KOERS_CSV_ENCODING_ASCII while the file
 * read so far is plain ASCII (which every supported encoding reads alike). */
KoersCsvEncoding  koers_csv_reader_get_encoding (KoersCsvReader *self);
/* ';', ',' or '\t' (or what a `sep=` line named). */
char              koers_csv_reader_get_separator (KoersCsvReader *self);
/* TRUE when the file started with a `sep=` line. */
gboolean          koers_csv_reader_get_has_sep_line (KoersCsvReader *self);
/* The physical line of the header row. */
guint             koers_csv_reader_get_header_line (KoersCsvReader *self);

guint             koers_csv_reader_get_n_columns (KoersCsvReader *self);
/* Returns (transfer none): the header of column @index as written (NFC, trimmed); "column N"
 * (translated) for an empty header. */
const char       *koers_csv_reader_get_header (KoersCsvReader *self, guint index);
KoersCsvField     koers_csv_reader_get_mapping (KoersCsvReader *self, guint index);
/* Maps column @index to @field for the records read from now on. A field is mapped to at most
 * one column: another column mapped to @field becomes unmapped. */
void              koers_csv_reader_set_mapping (KoersCsvReader *self,
                                                guint           index,
                                                KoersCsvField   field);
/* The column mapped to @field, or -1. */
int               koers_csv_reader_get_column_for_field (KoersCsvReader *self,
                                                         KoersCsvField   field);

/**
 * koers_csv_reader_next:
 * @self: the reader
 * @out_record: (out) (transfer full) (optional): the next data row
 * @cancellable: (nullable): to stop reading
 * @error: the row's error, or the error that ends the file
 *
 * Reads the next data row (blank rows are skipped). Mapping-dependent checks (names, damage
 * warnings) use the mapping in force now.
 *
 * Returns: TRUE with a record; FALSE at the end (@error unset) or on an error. After a row error
 * (koers_csv_error_is_row_error()) the next call reads on; after any other error every call
 * returns FALSE with that error again.
 */
gboolean          koers_csv_reader_next (KoersCsvReader  *self,
                                         KoersCsvRecord **out_record,
                                         GCancellable    *cancellable,
                                         GError         **error);

/* Returns (transfer none) (nullable): the location of the error koers_csv_reader_next() last
 * returned, for a preview to point at the cell. */
const KoersCsvIssue *koers_csv_reader_get_error_issue (KoersCsvReader *self);
/* Returns (transfer none) (element-type KoersCsvIssue): the first KOERS_CSV_MAX_KEPT_WARNINGS
 * warnings so far: the file's (e.g. that only the birth year of a date of birth is kept) and the
 * rows'. */
GPtrArray        *koers_csv_reader_get_warnings (KoersCsvReader *self);
/* All warnings so far, also those not kept. */
guint             koers_csv_reader_get_n_warnings (KoersCsvReader *self);
/* Data rows returned or refused so far. */
guint             koers_csv_reader_get_n_rows (KoersCsvReader *self);
/* The most bytes the reader has held at once (decoder, lexer, read-ahead rows); never above
 * KOERS_CSV_MAX_BUFFERED_BYTES. Records handed out are the caller's and not counted. */
gsize             koers_csv_reader_get_peak_buffered_bytes (KoersCsvReader *self);

G_END_DECLS
