/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-csv-types.h: the vocabulary of the CSV reader (koers-csv-reader.h): its error domain,
 * the encodings it reads, the participant fields a column can map to, its documented limits and
 * the located problem ("issue") every error and warning is reported as.
 *
 * Every error and warning reads `line:column (column name): reason`, where line is the PHYSICAL
 * line in the file (a line break inside a quoted field counts) and column is 1-based, counted in
 * characters on that line (RELIABILITY.md, "Bad input").
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Limits (RELIABILITY.md: every input channel has a documented limit and a test just above it).
 *
 * A field longer than KOERS_CSV_MAX_FIELD_BYTES (UTF-8 bytes after decoding) or a row longer than
 * KOERS_CSV_MAX_ROW_BYTES is refused with a located error; the reader stops buffering at the
 * limit, so a 10 MB field costs no more memory than a 1 MiB one. Koers's own longest text (a
 * note, KOERS_LONG_TEXT_MAX_CHARS) is far below both. A row may have at most
 * KOERS_CSV_MAX_COLUMNS fields. The number of rows is not limited: the file is streamed.
 *
 * KOERS_CSV_MAX_BUFFERED_BYTES bounds what one reader holds at any time (the raw chunk, the
 * decoded text, the row being read and the preview rows read ahead); see
 * koers_csv_reader_get_peak_buffered_bytes(). */
#define KOERS_CSV_MAX_FIELD_BYTES (1024 * 1024)
#define KOERS_CSV_MAX_ROW_BYTES (2 * 1024 * 1024)
#define KOERS_CSV_MAX_COLUMNS 256
#define KOERS_CSV_MAX_BUFFERED_BYTES (8 * 1024 * 1024)
/* Rows the reader reads ahead when it is created (for the privacy guard and a preview), and the
 * byte budget for them. */
#define KOERS_CSV_LOOKAHEAD_ROWS 100
#define KOERS_CSV_LOOKAHEAD_BYTES (512 * 1024)
/* The reader keeps the first this many warnings (and counts the rest). */
#define KOERS_CSV_MAX_KEPT_WARNINGS 1000

#define KOERS_CSV_ERROR (koers_csv_error_quark ())

typedef enum {
  KOERS_CSV_ERROR_EMPTY,              /* no header row */
  KOERS_CSV_ERROR_WORKBOOK,           /* an .xlsx/.xls saved under a .csv name */
  KOERS_CSV_ERROR_BINARY,             /* NUL bytes: not a text file */
  KOERS_CSV_ERROR_ENCODING,           /* undefined or invalid bytes for the detected encoding */
  KOERS_CSV_ERROR_UNTERMINATED_QUOTE, /* a quoted field never closed */
  KOERS_CSV_ERROR_STRAY_QUOTE,        /* a quote inside an unquoted field, text after a quote */
  KOERS_CSV_ERROR_RAGGED_ROW,         /* more or fewer fields than the header */
  KOERS_CSV_ERROR_DUPLICATE_HEADER,
  KOERS_CSV_ERROR_FIELD_TOO_LONG,     /* a field or a row over the limits above */
  KOERS_CSV_ERROR_TOO_MANY_COLUMNS,
  KOERS_CSV_ERROR_PRIVACY,            /* a BSN column: the whole file is refused */
  KOERS_CSV_ERROR_INVALID_VALUE,      /* e.g. a bidi override in a name */
} KoersCsvError;

typedef enum {
  KOERS_CSV_ENCODING_ASCII,        /* only ASCII so far: decided at the first non-ASCII byte */
  KOERS_CSV_ENCODING_UTF8,
  KOERS_CSV_ENCODING_UTF8_BOM,
  KOERS_CSV_ENCODING_UTF16LE,      /* Excel's "Unicode text", with or without BOM */
  KOERS_CSV_ENCODING_WINDOWS_1252, /* Excel's "CSV (gescheiden door lijstscheidingsteken)" */
} KoersCsvEncoding;

/* The participant fields a column can be mapped to. Stable identifiers (koers_csv_field_to_string)
 * are what a saved mapping stores. */
typedef enum {
  KOERS_CSV_FIELD_NONE,          /* unmapped: not imported */
  KOERS_CSV_FIELD_EXTERNAL_ID,   /* the partner's own number for the person */
  KOERS_CSV_FIELD_FIRST_NAME,
  KOERS_CSV_FIELD_NAME_PREFIX,   /* tussenvoegsel: "de", "van der" */
  KOERS_CSV_FIELD_LAST_NAME,
  KOERS_CSV_FIELD_FULL_NAME,
  KOERS_CSV_FIELD_PREFERRED_NAME,
  KOERS_CSV_FIELD_BIRTH_YEAR,
  KOERS_CSV_FIELD_BIRTH_DATE,    /* only the year is kept: Koers stores the birth year */
  KOERS_CSV_FIELD_MUNICIPALITY,
  KOERS_CSV_FIELD_TARGET_GROUP,
  KOERS_CSV_FIELD_PHONE,
  KOERS_CSV_FIELD_EMAIL,
  KOERS_CSV_FIELD_LANGUAGES,
  KOERS_CSV_FIELD_PREFERRED_LANGUAGE,
  KOERS_CSV_FIELD_DUTCH_LEVEL,
  KOERS_CSV_FIELD_COACH,
  KOERS_CSV_FIELD_PROJECT_LINE,
  KOERS_CSV_FIELD_STATUS,
  KOERS_CSV_FIELD_REGISTERED_ON,
  KOERS_CSV_FIELD_NOTES,
  /* Koers's own export writes these too, so an exported caseload imports back whole. Added
   * after the others: a saved mapping stores identifiers, and the numbers stay put. */
  KOERS_CSV_FIELD_NEXT_ACTION,
  KOERS_CSV_FIELD_NEXT_ACTION_DATE,
  KOERS_CSV_FIELD_OUTCOME,       /* uitkomst / uitstroom: work, education, ... */
  KOERS_CSV_FIELD_OUTCOME_DATE,
  KOERS_CSV_N_FIELDS
} KoersCsvField;

/* One located problem. @column_index is 0-based (-1 when the problem is not in a column);
 * @column_name is the header text (or "column N"), NULL with @column_index -1. */
typedef struct {
  guint  line;
  guint  column;
  int    column_index;
  char  *column_name;
  char  *reason;   /* translated */
  char  *message;  /* translated: "line:column (column name): reason" */
} KoersCsvIssue;

GQuark         koers_csv_error_quark (void);
/* TRUE when @error is a problem with one row (a ragged row, a stray quote, a field too long, a
 * refused value): koers_csv_reader_next() can be called again to read on. Any other error ends
 * the file. */
gboolean       koers_csv_error_is_row_error (const GError *error);

/* Returns (transfer none): a stable identifier ("utf-8", "windows-1252", ...). */
const char    *koers_csv_encoding_to_string (KoersCsvEncoding encoding);

/* Returns (transfer full): a new issue; @column_name and @reason are copied. */
KoersCsvIssue *koers_csv_issue_new (guint line, guint column, int column_index,
                                    const char *column_name, const char *reason);
KoersCsvIssue *koers_csv_issue_copy (const KoersCsvIssue *issue);
void           koers_csv_issue_free (KoersCsvIssue *issue);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersCsvIssue, koers_csv_issue_free)

G_END_DECLS
