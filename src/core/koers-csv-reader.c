/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "core/koers-csv-reader.h"

#include "core/koers-bsn.h"
#include "core/koers-csv-damage.h"
#include "core/koers-csv-decoder.h"
#include "core/koers-csv-lexer.h"
#include "core/koers-csv-privacy.h"
#include "core/koers-csv-record-private.h"
#include "core/koers-csv-sniff.h"
#include "core/koers-text.h"

#include <string.h>

/* Decoded text looked at to find the separator. */
#define SNIFF_BYTES (64 * 1024)

/* The privacy guard's tally for one column, and where its last elfproef-valid value was. */
typedef struct {
  KoersCsvBsnCount count;
  guint            line;
  guint            column;
} BsnColumn;

/* A data row lexed but not yet handed out (read ahead at creation, or just read). */
typedef struct {
  guint          line;
  guint          end_line;
  guint          end_column;
  guint          n_cells;
  KoersCsvCell  *cells;
  char          *data;
  gsize          size;
  KoersCsvError  code;   /* with issue */
  KoersCsvIssue *issue;  /* the row's error, found while lexing */
} Row;

struct _KoersCsvReader {
  GObject           parent_instance;

  KoersCsvLexer    *lexer;
  char              separator;
  gboolean          has_sep_line;
  guint             header_line;
  GPtrArray        *headers;      /* (element-type utf8) n_columns */
  guint             n_columns;    /* without ignored trailing empty headers */
  guint             n_trailing;   /* empty headers at the end (a trailing separator) */
  KoersCsvField    *mapping;
  BsnColumn        *bsn;
  gboolean          reading_ahead;

  GQueue            ahead;        /* (element-type Row) */
  gsize             ahead_bytes;
  GPtrArray        *warnings;
  guint             n_warnings;
  KoersCsvIssue    *error_issue;  /* of the error last returned */
  KoersCsvIssue    *fatal_issue;
  GError           *fatal;        /* the error that ended the file */
  guint             n_rows;
  gsize             peak;
};

G_DEFINE_FINAL_TYPE (KoersCsvReader, koers_csv_reader, G_TYPE_OBJECT)

static void
row_free (Row *row)
{
  if (row == NULL)
    return;
  g_free (row->cells);
  g_free (row->data);
  koers_csv_issue_free (row->issue);
  g_free (row);
}

static void
koers_csv_reader_finalize (GObject *object)
{
  KoersCsvReader *self = KOERS_CSV_READER (object);

  g_clear_pointer (&self->lexer, koers_csv_lexer_free);
  g_clear_pointer (&self->headers, g_ptr_array_unref);
  g_clear_pointer (&self->mapping, g_free);
  g_clear_pointer (&self->bsn, g_free);
  g_queue_clear_full (&self->ahead, (GDestroyNotify) row_free);
  g_clear_pointer (&self->warnings, g_ptr_array_unref);
  g_clear_pointer (&self->error_issue, koers_csv_issue_free);
  g_clear_pointer (&self->fatal_issue, koers_csv_issue_free);
  g_clear_error (&self->fatal);

  G_OBJECT_CLASS (koers_csv_reader_parent_class)->finalize (object);
}

static void
koers_csv_reader_class_init (KoersCsvReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = koers_csv_reader_finalize;
}

static void
koers_csv_reader_init (KoersCsvReader *self)
{
  g_queue_init (&self->ahead);
  self->warnings = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_csv_issue_free);
}

static const char *
column_name (KoersCsvReader *self, int index, char **tmp)
{
  if (index < 0)
    return NULL;
  if (self->headers != NULL && (guint) index < self->n_columns)
    return g_ptr_array_index (self->headers, index);
  /* TRANSLATORS: a column without a header, numbered from 1 */
  *tmp = g_strdup_printf (_("column %u"), (guint) index + 1);
  return *tmp;
}

static KoersCsvIssue *
make_issue (KoersCsvReader *self, guint line, guint column, int index, const char *reason)
{
  g_autofree char *tmp = NULL;

  return koers_csv_issue_new (line, column, index, column_name (self, index, &tmp), reason);
}

static void
add_warning (KoersCsvReader *self, const KoersCsvIssue *issue)
{
  self->n_warnings++;
  if (self->warnings->len < KOERS_CSV_MAX_KEPT_WARNINGS)
    g_ptr_array_add (self->warnings, koers_csv_issue_copy (issue));
}

static void
update_peak (KoersCsvReader *self)
{
  gsize now = koers_csv_lexer_get_buffered_bytes (self->lexer) + self->ahead_bytes;

  self->peak = MAX (self->peak, now);
}

/* Ends the file with @issue: every later call reports it again. */
static gboolean
fail (KoersCsvReader *self, KoersCsvError code, KoersCsvIssue *issue, GError **error)
{
  g_clear_pointer (&self->error_issue, koers_csv_issue_free);
  g_clear_pointer (&self->fatal_issue, koers_csv_issue_free);
  self->fatal_issue = issue;
  self->error_issue = koers_csv_issue_copy (issue);
  g_clear_error (&self->fatal);
  self->fatal = g_error_new_literal (KOERS_CSV_ERROR, code, issue->message);
  g_propagate_error (error, g_error_copy (self->fatal));
  return FALSE;
}

static gboolean
fail_from_lexer (KoersCsvReader *self, GError **error)
{
  const KoersCsvProblem *problem = koers_csv_lexer_get_problem (self->lexer);

  if (problem == NULL)
    {
      /* An I/O error or cancellation, already in @error. */
      return FALSE;
    }
  return fail (self, problem->code,
               make_issue (self, problem->line, problem->column, problem->field_index,
                           problem->reason),
               error);
}

static KoersCsvIssue *
check_shape (KoersCsvReader *self, const KoersCsvCell *cells, guint n, guint end_line,
             guint end_column)
{
  g_autofree char *reason = NULL;

  if (n < self->n_columns)
    {
      g_autoptr(GString) missing = g_string_new (NULL);

      for (guint i = n; i < self->n_columns; i++)
        g_string_append_printf (missing, "%s\"%s\"", i > n ? ", " : "",
                                (const char *) g_ptr_array_index (self->headers, i));
      reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "the row has %u field, the header has %u: %s missing",
                                             "the row has %u fields, the header has %u: %s missing",
                                             n),
                                n, self->n_columns, missing->str);
      return make_issue (self, end_line, end_column, (int) n, reason);
    }
  for (guint i = self->n_columns; i < n; i++)
    {
      if (cells[i].length == 0)
        continue;
      if (i < self->n_columns + self->n_trailing)
        reason = g_strdup (_("a value in a column without a header"));
      else
        reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "the row has %u field, the header has %u: a value "
                                               "after the last column",
                                               "the row has %u fields, the header has %u: a value "
                                               "after the last column", n),
                                  n, self->n_columns);
      return make_issue (self, cells[i].line, cells[i].column, (int) i, reason);
    }
  return NULL;
}

/* The privacy guard on the values (koers-csv-privacy.h): every column, mapped or not, because
 * the file itself must not be imported with a BSN in it. */
static KoersCsvIssue *
bsn_verdict (KoersCsvReader *self)
{
  for (guint i = 0; i < self->n_columns; i++)
    {
      g_autofree char *reason = NULL;

      if (!koers_csv_bsn_count_is_bsn_column (&self->bsn[i].count))
        continue;
      reason = g_strdup_printf (_("the column \"%s\" holds citizen service numbers (BSN): %u "
                                  "values pass the elfproef, the BSN 11-test. Koers may not "
                                  "store BSNs: remove the column and import the file again"),
                                (const char *) g_ptr_array_index (self->headers, i),
                                self->bsn[i].count.n_valid);
      return make_issue (self, self->bsn[i].line, self->bsn[i].column, (int) i, reason);
    }
  return NULL;
}

/* While reading ahead only counts: the verdict comes over all rows read ahead, so a phone
 * column whose first three numbers happen to pass the elfproef is not taken for a BSN column. */
static KoersCsvIssue *
check_bsn_values (KoersCsvReader *self, const KoersCsvCell *cells, const char *data)
{
  for (guint i = 0; i < self->n_columns; i++)
    {
      guint before = self->bsn[i].count.n_valid;

      koers_csv_bsn_count_add (&self->bsn[i].count, data + cells[i].offset);
      if (self->bsn[i].count.n_valid > before)
        {
          self->bsn[i].line = cells[i].line;
          self->bsn[i].column = cells[i].column;
        }
    }
  return self->reading_ahead ? NULL : bsn_verdict (self);
}

typedef enum {
  READ_ROW,
  READ_END,
  READ_FATAL,
} ReadResult;

/* Lexes the next data row and runs the checks that do not depend on the mapping. */
static ReadResult
read_row (KoersCsvReader *self, Row **out_row, GCancellable *cancellable, GError **error)
{
  const KoersCsvProblem *problem;
  const KoersCsvCell *cells;
  const char *data;
  gsize size;
  guint n;
  Row *row;

  switch (koers_csv_lexer_next (self->lexer, cancellable, error))
    {
    case KOERS_CSV_LEX_RECORD:
      break;
    case KOERS_CSV_LEX_END:
      update_peak (self);
      return READ_END;
    case KOERS_CSV_LEX_ERROR:
    default:
      update_peak (self);
      fail_from_lexer (self, error);
      return READ_FATAL;
    }
  update_peak (self);

  n = koers_csv_lexer_get_n_cells (self->lexer);
  cells = koers_csv_lexer_get_cells (self->lexer);
  data = koers_csv_lexer_get_data (self->lexer, &size);
  row = g_new0 (Row, 1);
  row->line = koers_csv_lexer_get_line (self->lexer);
  koers_csv_lexer_get_end (self->lexer, &row->end_line, &row->end_column);

  problem = koers_csv_lexer_get_problem (self->lexer);
  if (problem != NULL)
    {
      row->code = problem->code;
      row->issue = make_issue (self, problem->line, problem->column, problem->field_index,
                               problem->reason);
    }
  else if ((row->issue = check_shape (self, cells, n, row->end_line, row->end_column)) != NULL)
    row->code = KOERS_CSV_ERROR_RAGGED_ROW;
  else
    {
      KoersCsvIssue *privacy = check_bsn_values (self, cells, data);

      if (privacy != NULL)
        {
          row_free (row);
          fail (self, KOERS_CSV_ERROR_PRIVACY, privacy, error);
          return READ_FATAL;
        }
    }
  if (row->issue == NULL)
    {
      row->n_cells = MIN (n, self->n_columns);
      row->cells = g_memdup2 (cells, sizeof (KoersCsvCell) * MAX (row->n_cells, 1));
      row->data = g_memdup2 (data, size + 1);
      row->size = size + sizeof (KoersCsvCell) * row->n_cells + sizeof (Row);
    }
  *out_row = row;
  return READ_ROW;
}

static gboolean
read_header (KoersCsvReader *self, GCancellable *cancellable, GError **error)
{
  const KoersCsvProblem *problem;
  const KoersCsvCell *cells;
  const char *data;
  guint n;

  switch (koers_csv_lexer_next (self->lexer, cancellable, error))
    {
    case KOERS_CSV_LEX_RECORD:
      break;
    case KOERS_CSV_LEX_END:
      return fail (self, KOERS_CSV_ERROR_EMPTY,
                   koers_csv_issue_new (1, 1, -1, NULL,
                                        _("the file is empty: there is no header row")),
                   error);
    case KOERS_CSV_LEX_ERROR:
    default:
      return fail_from_lexer (self, error);
    }
  problem = koers_csv_lexer_get_problem (self->lexer);
  if (problem != NULL)
    return fail_from_lexer (self, error);

  n = koers_csv_lexer_get_n_cells (self->lexer);
  cells = koers_csv_lexer_get_cells (self->lexer);
  data = koers_csv_lexer_get_data (self->lexer, NULL);
  self->header_line = koers_csv_lexer_get_line (self->lexer);
  self->headers = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n; i++)
    {
      char *name = koers_text_normalize (data + cells[i].offset);

      /* A BOM glued to the first header, as a second BOM or inside a UTF-16 file. */
      while (g_str_has_prefix (name, "\xEF\xBB\xBF"))
        memmove (name, name + 3, strlen (name + 3) + 1);
      g_ptr_array_add (self->headers, name);
    }
  /* A trailing separator on the header gives empty last headers: ignored, as long as their
   * values are empty too (check_shape). */
  self->n_columns = n;
  while (self->n_columns > 0
         && *(const char *) g_ptr_array_index (self->headers, self->n_columns - 1) == '\0')
    self->n_columns--;
  self->n_trailing = n - self->n_columns;
  g_ptr_array_set_size (self->headers, (int) self->n_columns);
  if (self->n_columns == 0)
    return fail (self, KOERS_CSV_ERROR_EMPTY,
                 koers_csv_issue_new (self->header_line, 1, -1, NULL,
                                      _("the header row has no column names")),
                 error);
  for (guint i = 0; i < self->n_columns; i++)
    if (*(const char *) g_ptr_array_index (self->headers, i) == '\0')
      {
        g_free (self->headers->pdata[i]);
        /* TRANSLATORS: a column without a header, numbered from 1 */
        self->headers->pdata[i] = g_strdup_printf (_("column %u"), i + 1);
      }
  return TRUE;
}

static gboolean
check_headers (KoersCsvReader *self, GError **error)
{
  const KoersCsvCell *cells = koers_csv_lexer_get_cells (self->lexer);
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < self->n_columns; i++)
    {
      const char *name = g_ptr_array_index (self->headers, i);
      char *key = koers_csv_header_key (name);

      if (*key == '\0')
        {
          g_free (key);
          key = g_strdup (name);
        }
      g_ptr_array_add (keys, key);
      if (koers_csv_header_is_bsn (name))
        {
          g_autofree char *reason = NULL;

          reason = g_strdup_printf (_("the column \"%s\" is a citizen service number (BSN) "
                                      "column. Koers may not store BSNs: remove the column and "
                                      "import the file again"), name);
          return fail (self, KOERS_CSV_ERROR_PRIVACY,
                       make_issue (self, cells[i].line, cells[i].column, (int) i, reason), error);
        }
      for (guint j = 0; j < i; j++)
        {
          g_autofree char *reason = NULL;

          if (strcmp (g_ptr_array_index (keys, j), key) != 0)
            continue;
          reason = g_strdup_printf (_("duplicate header: columns %u (\"%s\") and %u (\"%s\") "
                                      "have the same name"),
                                    j + 1, (const char *) g_ptr_array_index (self->headers, j),
                                    i + 1, name);
          return fail (self, KOERS_CSV_ERROR_DUPLICATE_HEADER,
                       make_issue (self, cells[i].line, cells[i].column, (int) i, reason), error);
        }
    }
  return TRUE;
}

static void
map_headers (KoersCsvReader *self)
{
  const KoersCsvCell *cells = koers_csv_lexer_get_cells (self->lexer);

  self->mapping = g_new0 (KoersCsvField, MAX (self->n_columns, 1));
  self->bsn = g_new0 (BsnColumn, MAX (self->n_columns, 1));
  for (guint i = 0; i < self->n_columns; i++)
    {
      KoersCsvField field = koers_csv_field_from_header (g_ptr_array_index (self->headers, i));
      int taken = koers_csv_reader_get_column_for_field (self, field);
      g_autoptr(KoersCsvIssue) issue = NULL;

      if (field != KOERS_CSV_FIELD_NONE && taken >= 0)
        {
          g_autofree char *reason = NULL;

          reason = g_strdup_printf (_("also looks like \"%s\", which column %d already "
                                      "provides; left unmapped"),
                                    koers_csv_field_get_label (field), taken + 1);
          issue = make_issue (self, cells[i].line, cells[i].column, (int) i, reason);
          add_warning (self, issue);
          continue;
        }
      self->mapping[i] = field;
      if (field == KOERS_CSV_FIELD_BIRTH_DATE)
        {
          issue = make_issue (self, cells[i].line, cells[i].column, (int) i,
                              koers_csv_field_get_note (field));
          add_warning (self, issue);
        }
    }
}

static gboolean
sniff (KoersCsvReader *self, GCancellable *cancellable, GError **error)
{
  const char *text;
  gsize len, sep_line;
  gboolean complete;
  char sep = ';';

  text = koers_csv_lexer_peek (self->lexer, SNIFF_BYTES, &len, &complete, cancellable, error);
  if (text == NULL)
    return FALSE;
  sep_line = koers_csv_sniff_sep_line (text, len, &sep);
  if (sep_line > 0)
    {
      self->has_sep_line = TRUE;
      koers_csv_lexer_skip_line (self->lexer, sep_line);
      text += sep_line;
      len -= sep_line;
    }
  else
    sep = koers_csv_sniff_separator (text, len, complete);
  self->separator = sep;
  koers_csv_lexer_set_separator (self->lexer, sep);
  return TRUE;
}

KoersCsvReader *
koers_csv_reader_new (GInputStream  *stream,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(KoersCsvReader) self = NULL;
  KoersCsvDecoder *decoder;
  KoersCsvIssue *privacy;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (KOERS_TYPE_CSV_READER, NULL);
  decoder = koers_csv_decoder_new (stream);
  self->lexer = koers_csv_lexer_new (decoder);
  if (!koers_csv_decoder_sniff (decoder, cancellable, error) || !sniff (self, cancellable, error)
      || !read_header (self, cancellable, error) || !check_headers (self, error))
    return NULL;
  map_headers (self);

  /* Read ahead so the privacy guard sees the first rows before any is returned. A fatal
   * problem further on is kept for its turn: the rows before it are good. */
  self->reading_ahead = TRUE;
  while (g_queue_get_length (&self->ahead) < KOERS_CSV_LOOKAHEAD_ROWS
         && self->ahead_bytes < KOERS_CSV_LOOKAHEAD_BYTES)
    {
      g_autoptr(GError) local = NULL;
      Row *row = NULL;
      ReadResult result = read_row (self, &row, cancellable, &local);

      if (result == READ_END)
        break;
      if (result == READ_FATAL)
        {
          if (self->fatal == NULL || g_error_matches (self->fatal, KOERS_CSV_ERROR,
                                                      KOERS_CSV_ERROR_PRIVACY))
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return NULL;
            }
          break;
        }
      g_queue_push_tail (&self->ahead, row);
      self->ahead_bytes += row->size;
      update_peak (self);
    }
  self->reading_ahead = FALSE;
  privacy = bsn_verdict (self);
  if (privacy != NULL)
    {
      fail (self, KOERS_CSV_ERROR_PRIVACY, privacy, error);
      return NULL;
    }
  return g_steal_pointer (&self);
}

/* Printable ASCII has nothing koers_text_check_*() refuses: the fast path for most values. */
static gboolean
is_printable_ascii (const char *value)
{
  for (const guchar *p = (const guchar *) value; *p != '\0'; p++)
    if (*p < 0x20 || *p > 0x7E)
      return FALSE;
  return TRUE;
}

/* The checks that depend on the mapping; FALSE with the row's error. */
static gboolean
check_values (KoersCsvReader *self, KoersCsvRecord *record, KoersCsvIssue **out_issue)
{
  for (guint i = 0; i < self->n_columns; i++)
    {
      KoersCsvField field = self->mapping[i];
      const char *value = koers_csv_record_get_value (record, i);
      guint line = koers_csv_record_get_value_line (record, i);
      guint column = koers_csv_record_get_value_column (record, i);
      g_autofree char *reason = NULL;
      gboolean ok;

      if (field == KOERS_CSV_FIELD_NONE || *value == '\0')
        continue;
      if (field == KOERS_CSV_FIELD_NOTES)
        {
          ok = is_printable_ascii (value) || koers_text_check_multi_line (value, &reason);
          if (ok && koers_text_find_bsn_like (value) != NULL)
            {
              ok = FALSE;
              reason = g_strdup (_("contains a number that passes the elfproef, like a citizen "
                                   "service number (BSN); Koers may not store BSNs: remove it"));
            }
        }
      else
        ok = is_printable_ascii (value) || koers_text_check_single_line (value, &reason);
      if (!ok)
        {
          *out_issue = make_issue (self, line, column, (int) i, reason);
          return FALSE;
        }
      g_clear_pointer (&reason, g_free);
      reason = koers_csv_check_damage (field, value);
      if (reason != NULL)
        {
          KoersCsvIssue *issue = make_issue (self, line, column, (int) i, reason);

          add_warning (self, issue);
          koers_csv_record_add_warning (record, issue);
        }
    }
  return TRUE;
}

gboolean
koers_csv_reader_next (KoersCsvReader  *self,
                       KoersCsvRecord **out_record,
                       GCancellable    *cancellable,
                       GError         **error)
{
  g_autoptr(KoersCsvRecord) record = NULL;
  KoersCsvIssue *issue = NULL;
  Row *row;

  g_return_val_if_fail (KOERS_IS_CSV_READER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (out_record != NULL)
    *out_record = NULL;
  g_clear_pointer (&self->error_issue, koers_csv_issue_free);

  row = g_queue_pop_head (&self->ahead);
  if (row != NULL)
    self->ahead_bytes -= row->size;
  else if (self->fatal != NULL)
    {
      self->error_issue = koers_csv_issue_copy (self->fatal_issue);
      g_propagate_error (error, g_error_copy (self->fatal));
      return FALSE;
    }
  else
    {
      switch (read_row (self, &row, cancellable, error))
        {
        case READ_ROW:
          break;
        case READ_END:
          return FALSE;
        case READ_FATAL:
        default:
          return FALSE;
        }
    }
  self->n_rows++;

  if (row->issue != NULL)
    {
      self->error_issue = g_steal_pointer (&row->issue);
      g_set_error_literal (error, KOERS_CSV_ERROR, row->code, self->error_issue->message);
      row_free (row);
      return FALSE;
    }
  record = koers_csv_record_new (row->line, self->n_columns, row->cells, row->n_cells, row->data,
                                 row->end_line, row->end_column, self->mapping);
  row_free (row);
  if (!check_values (self, record, &issue))
    {
      self->error_issue = issue;
      g_set_error_literal (error, KOERS_CSV_ERROR, KOERS_CSV_ERROR_INVALID_VALUE, issue->message);
      return FALSE;
    }
  if (out_record != NULL)
    *out_record = g_steal_pointer (&record);
  return TRUE;
}

KoersCsvEncoding
koers_csv_reader_get_encoding (KoersCsvReader *self)
{
  g_return_val_if_fail (KOERS_IS_CSV_READER (self), KOERS_CSV_ENCODING_ASCII);

  return koers_csv_decoder_get_encoding (koers_csv_lexer_get_decoder (self->lexer));
}

char
koers_csv_reader_get_separator (KoersCsvReader *self)
{
  g_return_val_if_fail (KOERS_IS_CSV_READER (self), ';');

  return self->separator;
}

gboolean
koers_csv_reader_get_has_sep_line (KoersCsvReader *self)
{
  g_return_val_if_fail (KOERS_IS_CSV_READER (self), FALSE);

  return self->has_sep_line;
}

guint
koers_csv_reader_get_header_line (KoersCsvReader *self)
{
  g_return_val_if_fail (KOERS_IS_CSV_READER (self), 0);

  return self->header_line;
}

guint
koers_csv_reader_get_n_columns (KoersCsvReader *self)
{
  g_return_val_if_fail (KOERS_IS_CSV_READER (self), 0);

  return self->n_columns;
}

const char *
koers_csv_reader_get_header (KoersCsvReader *self, guint index)
{
  g_return_val_if_fail (KOERS_IS_CSV_READER (self), NULL);
  g_return_val_if_fail (index < self->n_columns, NULL);

  return g_ptr_array_index (self->headers, index);
}

KoersCsvField
koers_csv_reader_get_mapping (KoersCsvReader *self, guint index)
{
  g_return_val_if_fail (KOERS_IS_CSV_READER (self), KOERS_CSV_FIELD_NONE);
  g_return_val_if_fail (index < self->n_columns, KOERS_CSV_FIELD_NONE);

  return self->mapping[index];
}

void
koers_csv_reader_set_mapping (KoersCsvReader *self, guint index, KoersCsvField field)
{
  int taken;

  g_return_if_fail (KOERS_IS_CSV_READER (self));
  g_return_if_fail (index < self->n_columns);
  g_return_if_fail (field < KOERS_CSV_N_FIELDS);

  if (self->mapping[index] == field)
    return;
  taken = koers_csv_reader_get_column_for_field (self, field);
  if (taken >= 0)
    self->mapping[taken] = KOERS_CSV_FIELD_NONE;
  self->mapping[index] = field;
}

int
koers_csv_reader_get_column_for_field (KoersCsvReader *self, KoersCsvField field)
{
  g_return_val_if_fail (KOERS_IS_CSV_READER (self), -1);

  if (field == KOERS_CSV_FIELD_NONE || self->mapping == NULL)
    return -1;
  for (guint i = 0; i < self->n_columns; i++)
    if (self->mapping[i] == field)
      return (int) i;
  return -1;
}

const KoersCsvIssue *
koers_csv_reader_get_error_issue (KoersCsvReader *self)
{
  g_return_val_if_fail (KOERS_IS_CSV_READER (self), NULL);

  return self->error_issue;
}

GPtrArray *
koers_csv_reader_get_warnings (KoersCsvReader *self)
{
  g_return_val_if_fail (KOERS_IS_CSV_READER (self), NULL);

  return self->warnings;
}

guint
koers_csv_reader_get_n_warnings (KoersCsvReader *self)
{
  g_return_val_if_fail (KOERS_IS_CSV_READER (self), 0);

  return self->n_warnings;
}

guint
koers_csv_reader_get_n_rows (KoersCsvReader *self)
{
  g_return_val_if_fail (KOERS_IS_CSV_READER (self), 0);

  return self->n_rows;
}

gsize
koers_csv_reader_get_peak_buffered_bytes (KoersCsvReader *self)
{
  g_return_val_if_fail (KOERS_IS_CSV_READER (self), 0);

  return self->peak;
}
