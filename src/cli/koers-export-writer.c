/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-export-writer.c: CSV and XLSX files, row by row, complete or not at all. The rows go to
 * a private temporary file next to the target, renamed over it when the last row is written, so
 * a partner never gets half a list and the personal data is never readable by others.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cli/koers-export-writer-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

/* The CSV buffer is flushed at this size: memory stays flat whatever the row count. */
#define CSV_FLUSH_BYTES (64 * 1024)
/* Excel's sheet: 1,048,576 rows including the header. */
#define XLSX_MAX_DATA_ROWS (1048576 - 1)

struct _KoersExportWriter {
  KoersExportFormat  format;
  char              *path;
  char              *temp_path;
  KoersExportColumn *columns;
  guint              n_columns;
  guint              n_rows;
  gboolean           finished;
  /* CSV */
  FILE              *csv;
  GString           *line;
  /* XLSX */
  lxw_workbook      *workbook;
  lxw_worksheet     *worksheet;
  lxw_format        *date_format;
};

/* The characters a spreadsheet reads as the start of a formula or that hide a cell's start
 * (OWASP "CSV injection"). NUL cannot be inside a C string; see koers_export_csv_append_cell. */
static gboolean
is_formula_start (char c)
{
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

char *
koers_export_neutralise (const char *text)
{
  g_return_val_if_fail (text != NULL, NULL);

  if (is_formula_start (text[0]))
    return g_strconcat ("'", text, NULL);
  return g_strdup (text);
}

gboolean
koers_export_is_neutralised (const char *text)
{
  return text != NULL && text[0] == '\'' && is_formula_start (text[1]);
}

void
koers_export_csv_append_cell (GString *line, const char *text, gboolean is_text)
{
  gboolean prefix;

  g_return_if_fail (line != NULL);

  if (text == NULL || *text == '\0')
    return;
  prefix = is_text && is_formula_start (text[0]);
  if (strpbrk (text, ";\"\r\n") == NULL)
    {
      if (prefix)
        g_string_append_c (line, '\'');
      g_string_append (line, text);
      return;
    }
  g_string_append_c (line, '"');
  if (prefix)
    g_string_append_c (line, '\'');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (line, '"');
      g_string_append_c (line, *p);
    }
  g_string_append_c (line, '"');
}

static void
set_io_error (GError **error, int saved_errno, const char *path)
{
  g_autofree char *name = g_filename_display_name (path);

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               /* Translators: "could not write export.csv: No space left on device" */
               _("could not write %s: %s"), name, g_strerror (saved_errno));
}

static void
set_xlsx_error (GError **error, lxw_error code, const char *path)
{
  g_autofree char *name = g_filename_display_name (path);

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               /* Translators: the second %s is libxlsxwriter's reason, in English */
               _("could not write the workbook %s: %s"), name, lxw_strerror (code));
}

static gboolean
csv_flush (KoersExportWriter *writer, GError **error)
{
  if (writer->line->len == 0)
    return TRUE;
  if (fwrite (writer->line->str, 1, writer->line->len, writer->csv) != writer->line->len)
    {
      set_io_error (error, errno, writer->path);
      return FALSE;
    }
  g_string_truncate (writer->line, 0);
  return TRUE;
}

static gboolean
csv_row (KoersExportWriter *writer, const char * const *values, gboolean header,
         GError **error)
{
  for (guint i = 0; i < writer->n_columns; i++)
    {
      if (i > 0)
        g_string_append_c (writer->line, ';');
      koers_export_csv_append_cell (writer->line, values[i],
                                    header || writer->columns[i].type == KOERS_EXPORT_CELL_TEXT);
    }
  g_string_append (writer->line, "\r\n");
  if (writer->line->len >= CSV_FLUSH_BYTES)
    return csv_flush (writer, error);
  return TRUE;
}

static gboolean
parse_iso_date (const char *text, lxw_datetime *out)
{
  int year, month, day;
  char rest;

  if (sscanf (text, "%4d-%2d-%2d%c", &year, &month, &day, &rest) != 3
      || !g_date_valid_dmy (day, month, year))
    return FALSE;
  *out = (lxw_datetime) { year, month, day, 0, 0, 0.0 };
  return TRUE;
}

static gboolean
xlsx_row (KoersExportWriter *writer, const char * const *values, GError **error)
{
  lxw_row_t row = writer->n_rows + 1;

  if (writer->n_rows >= XLSX_MAX_DATA_ROWS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   _("a worksheet holds at most %u rows: export to CSV instead"),
                   (guint) XLSX_MAX_DATA_ROWS);
      return FALSE;
    }
  for (guint i = 0; i < writer->n_columns; i++)
    {
      const char *value = values[i];
      lxw_col_t col = (lxw_col_t) i;
      lxw_error code = LXW_NO_ERROR;
      lxw_datetime date;

      if (value == NULL || *value == '\0')
        continue;
      switch (writer->columns[i].type)
        {
        case KOERS_EXPORT_CELL_NUMBER:
          code = worksheet_write_number (writer->worksheet, row, col,
                                         g_ascii_strtod (value, NULL), NULL);
          break;
        case KOERS_EXPORT_CELL_DATE:
          if (parse_iso_date (value, &date))
            {
              code = worksheet_write_datetime (writer->worksheet, row, col, &date,
                                               writer->date_format);
              break;
            }
          G_GNUC_FALLTHROUGH;
        case KOERS_EXPORT_CELL_TEXT:
        default:
          code = worksheet_write_string (writer->worksheet, row, col, value, NULL);
          break;
        }
      if (code != LXW_NO_ERROR)
        {
          set_xlsx_error (error, code, writer->path);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
xlsx_open (KoersExportWriter *writer, GError **error)
{
  lxw_workbook_options options = { 0 };
  lxw_format *bold;
  g_autofree char *tmpdir = g_path_get_dirname (writer->temp_path);

  /* constant_memory writes each row out as soon as the next begins (strings inline): the
   * workbook's memory does not grow with the row count. Its scratch files go next to the
   * target rather than to a shared /tmp. */
  options.constant_memory = LXW_TRUE;
  options.tmpdir = tmpdir;
  options.use_zip64 = LXW_TRUE;
  writer->workbook = workbook_new_opt (writer->temp_path, &options);
  if (writer->workbook == NULL)
    {
      set_xlsx_error (error, LXW_ERROR_CREATING_XLSX_FILE, writer->path);
      return FALSE;
    }
  writer->worksheet = workbook_add_worksheet (writer->workbook, NULL);
  bold = workbook_add_format (writer->workbook);
  format_set_bold (bold);
  writer->date_format = workbook_add_format (writer->workbook);
  format_set_num_format (writer->date_format, "dd-mm-yyyy");
  if (writer->worksheet == NULL || bold == NULL || writer->date_format == NULL)
    {
      set_xlsx_error (error, LXW_ERROR_MEMORY_MALLOC_FAILED, writer->path);
      return FALSE;
    }
  worksheet_freeze_panes (writer->worksheet, 1, 0);
  for (guint i = 0; i < writer->n_columns; i++)
    {
      double width = writer->columns[i].type == KOERS_EXPORT_CELL_TEXT ? 20 : 12;
      lxw_error code;

      worksheet_set_column (writer->worksheet, (lxw_col_t) i, (lxw_col_t) i, width, NULL);
      code = worksheet_write_string (writer->worksheet, 0, (lxw_col_t) i,
                                     writer->columns[i].name, bold);
      if (code != LXW_NO_ERROR)
        {
          set_xlsx_error (error, code, writer->path);
          return FALSE;
        }
    }
  return TRUE;
}

KoersExportWriter *
koers_export_writer_new (KoersExportFormat        format,
                         const char              *path,
                         const KoersExportColumn *columns,
                         guint                    n_columns,
                         GError                 **error)
{
  g_autoptr(KoersExportWriter) writer = NULL;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (columns != NULL && n_columns > 0, NULL);

  /* The finished file is renamed over the target, which would put a file with personal data in
   * the place of a named pipe or a device (as root even /dev/null), or fail only after every row
   * was written over a folder: so only a file, or nothing yet, is ever replaced. */
  if (g_file_test (path, G_FILE_TEST_EXISTS) && !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *name = g_filename_display_name (path);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   /* Translators: %s is the --output path, e.g. /dev/null or a folder */
                   _("could not write %s: it is not a file (a folder, device or pipe), and an "
                     "export only replaces a file"), name);
      return NULL;
    }

  writer = g_new0 (KoersExportWriter, 1);
  writer->format = format;
  writer->path = g_strdup (path);
  writer->columns = g_memdup2 (columns, sizeof *columns * n_columns);
  writer->n_columns = n_columns;
  writer->temp_path = g_strdup_printf ("%s.koers-XXXXXX", path);
  /* Created 0600 before anything is in it; libxlsxwriter's fopen ("wb") keeps the mode. */
  fd = g_mkstemp_full (writer->temp_path, O_RDWR, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_clear_pointer (&writer->temp_path, g_free);
      set_io_error (error, saved_errno, path);
      return NULL;
    }

  if (format == KOERS_EXPORT_FORMAT_XLSX)
    {
      g_close (fd, NULL);
      if (!xlsx_open (writer, error))
        return NULL;
      return g_steal_pointer (&writer);
    }

  writer->csv = fdopen (fd, "wb");
  if (writer->csv == NULL)
    {
      set_io_error (error, errno, path);
      g_close (fd, NULL);
      return NULL;
    }
  writer->line = g_string_sized_new (CSV_FLUSH_BYTES + 4096);
  /* The BOM makes Excel read UTF-8 instead of Windows-1252. */
  g_string_append (writer->line, "\xEF\xBB\xBF");
  {
    g_autofree const char **names = g_new0 (const char *, n_columns);

    for (guint i = 0; i < n_columns; i++)
      names[i] = columns[i].name;
    if (!csv_row (writer, names, TRUE, error))
      return NULL;
  }
  return g_steal_pointer (&writer);
}

gboolean
koers_export_writer_row (KoersExportWriter  *writer,
                         const char * const *values,
                         GError            **error)
{
  gboolean written;

  g_return_val_if_fail (writer != NULL && !writer->finished, FALSE);
  g_return_val_if_fail (values != NULL, FALSE);

  written = writer->format == KOERS_EXPORT_FORMAT_XLSX ? xlsx_row (writer, values, error)
                                                       : csv_row (writer, values, FALSE, error);
  if (written)
    writer->n_rows++;
  return written;
}

gboolean
koers_export_writer_finish (KoersExportWriter *writer, GError **error)
{
  g_return_val_if_fail (writer != NULL && !writer->finished, FALSE);

  if (writer->format == KOERS_EXPORT_FORMAT_XLSX)
    {
      lxw_error code = workbook_close (g_steal_pointer (&writer->workbook));

      if (code != LXW_NO_ERROR)
        {
          set_xlsx_error (error, code, writer->path);
          return FALSE;
        }
    }
  else
    {
      FILE *csv;

      if (!csv_flush (writer, error))
        return FALSE;
      csv = g_steal_pointer (&writer->csv);
      if (fflush (csv) != 0 || g_fsync (fileno (csv)) != 0)
        {
          set_io_error (error, errno, writer->path);
          fclose (csv);
          return FALSE;
        }
      if (fclose (csv) != 0)
        {
          set_io_error (error, errno, writer->path);
          return FALSE;
        }
    }
  if (g_rename (writer->temp_path, writer->path) != 0)
    {
      set_io_error (error, errno, writer->path);
      return FALSE;
    }
  writer->finished = TRUE;
  return TRUE;
}

/* A cancelled or failed workbook: workbook_close() would still compress every row written so far
 * (about 2.5 s at 100,000 rows) only for the file to be removed, and a cancel must stop at once.
 * lxw_workbook_free() (public in workbook.h, what workbook_close() ends with) drops it without
 * writing; it leaves the worksheet's constant_memory scratch file open, because packaging is
 * what normally closes that, so it is closed here (an unlinked tmpfile: closing frees it). */
static void
xlsx_abandon (KoersExportWriter *writer)
{
  lxw_worksheet *sheet = writer->worksheet;

  if (sheet != NULL && sheet->optimize_tmpfile != NULL)
    {
      fclose (sheet->optimize_tmpfile);
      sheet->optimize_tmpfile = NULL;
      sheet->file = NULL;
    }
  writer->worksheet = NULL;
  lxw_workbook_free (g_steal_pointer (&writer->workbook));
}

void
koers_export_writer_free (KoersExportWriter *writer)
{
  if (writer == NULL)
    return;
  if (writer->workbook != NULL)
    xlsx_abandon (writer);
  if (writer->csv != NULL)
    fclose (writer->csv);
  if (!writer->finished && writer->temp_path != NULL)
    g_unlink (writer->temp_path);
  if (writer->line != NULL)
    g_string_free (writer->line, TRUE);
  g_free (writer->columns);
  g_free (writer->temp_path);
  g_free (writer->path);
  g_free (writer);
}
