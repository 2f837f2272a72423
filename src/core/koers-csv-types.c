/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "core/koers-csv-types.h"

G_DEFINE_QUARK (koers-csv-error-quark, koers_csv_error)

gboolean
koers_csv_error_is_row_error (const GError *error)
{
  g_return_val_if_fail (error != NULL, FALSE);

  if (error->domain != KOERS_CSV_ERROR)
    return FALSE;
  switch ((KoersCsvError) error->code)
    {
    case KOERS_CSV_ERROR_STRAY_QUOTE:
    case KOERS_CSV_ERROR_RAGGED_ROW:
    case KOERS_CSV_ERROR_FIELD_TOO_LONG:
    case KOERS_CSV_ERROR_TOO_MANY_COLUMNS:
    case KOERS_CSV_ERROR_INVALID_VALUE:
      return TRUE;
    case KOERS_CSV_ERROR_EMPTY:
    case KOERS_CSV_ERROR_WORKBOOK:
    case KOERS_CSV_ERROR_BINARY:
    case KOERS_CSV_ERROR_ENCODING:
    case KOERS_CSV_ERROR_UNTERMINATED_QUOTE:
    case KOERS_CSV_ERROR_DUPLICATE_HEADER:
    case KOERS_CSV_ERROR_PRIVACY:
    default:
      return FALSE;
    }
}

const char *
koers_csv_encoding_to_string (KoersCsvEncoding encoding)
{
  switch (encoding)
    {
    case KOERS_CSV_ENCODING_ASCII:
      return "ascii";
    case KOERS_CSV_ENCODING_UTF8:
      return "utf-8";
    case KOERS_CSV_ENCODING_UTF8_BOM:
      return "utf-8-bom";
    case KOERS_CSV_ENCODING_UTF16LE:
      return "utf-16le";
    case KOERS_CSV_ENCODING_WINDOWS_1252:
      return "windows-1252";
    default:
      g_return_val_if_reached ("unknown");
    }
}

KoersCsvIssue *
koers_csv_issue_new (guint       line,
                     guint       column,
                     int         column_index,
                     const char *column_name,
                     const char *reason)
{
  KoersCsvIssue *issue;

  g_return_val_if_fail (reason != NULL, NULL);

  issue = g_new0 (KoersCsvIssue, 1);
  issue->line = line;
  issue->column = column;
  issue->column_index = column_index;
  issue->column_name = g_strdup (column_name);
  issue->reason = g_strdup (reason);
  if (column_name != NULL)
    /* TRANSLATORS: a problem in an imported file: "12:5 (E-mail): reason" */
    issue->message = g_strdup_printf (_("%u:%u (%s): %s"), line, column, column_name, reason);
  else
    /* TRANSLATORS: a problem in an imported file: "12:5: reason" */
    issue->message = g_strdup_printf (_("%u:%u: %s"), line, column, reason);
  return issue;
}

KoersCsvIssue *
koers_csv_issue_copy (const KoersCsvIssue *issue)
{
  KoersCsvIssue *copy;

  g_return_val_if_fail (issue != NULL, NULL);

  copy = g_new0 (KoersCsvIssue, 1);
  copy->line = issue->line;
  copy->column = issue->column;
  copy->column_index = issue->column_index;
  copy->column_name = g_strdup (issue->column_name);
  copy->reason = g_strdup (issue->reason);
  copy->message = g_strdup (issue->message);
  return copy;
}

void
koers_csv_issue_free (KoersCsvIssue *issue)
{
  if (issue == NULL)
    return;
  g_free (issue->column_name);
  g_free (issue->reason);
  g_free (issue->message);
  g_free (issue);
}
