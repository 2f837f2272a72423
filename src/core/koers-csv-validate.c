/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "core/koers-csv-validate.h"

void
koers_csv_report_free (KoersCsvReport *report)
{
  if (report == NULL)
    return;
  g_strfreev (report->headers);
  g_clear_pointer (&report->errors, g_ptr_array_unref);
  g_clear_pointer (&report->warnings, g_ptr_array_unref);
  g_free (report);
}

KoersCsvReport *
koers_csv_validate (GInputStream  *stream,
                    guint          max_issues,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(KoersCsvReader) reader = NULL;
  g_autoptr(KoersCsvReport) report = NULL;
  GPtrArray *warnings;
  GStrvBuilder *headers;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  reader = koers_csv_reader_new (stream, cancellable, error);
  if (reader == NULL)
    return NULL;
  report = g_new0 (KoersCsvReport, 1);
  report->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_csv_issue_free);
  report->warnings = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_csv_issue_free);

  for (;;)
    {
      g_autoptr(GError) local = NULL;
      const KoersCsvIssue *issue;

      if (koers_csv_reader_next (reader, NULL, cancellable, &local))
        continue;
      if (local == NULL)
        break;
      issue = koers_csv_reader_get_error_issue (reader);
      if (issue == NULL)
        {
          /* I/O error or cancellation: no verdict on the file. */
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
      report->n_errors++;
      if (report->errors->len < max_issues)
        g_ptr_array_add (report->errors, koers_csv_issue_copy (issue));
      if (!koers_csv_error_is_row_error (local))
        break;
    }

  report->encoding = koers_csv_reader_get_encoding (reader);
  report->separator = koers_csv_reader_get_separator (reader);
  headers = g_strv_builder_new ();
  for (guint i = 0; i < koers_csv_reader_get_n_columns (reader); i++)
    g_strv_builder_add (headers, koers_csv_reader_get_header (reader, i));
  report->headers = g_strv_builder_end (headers);
  g_strv_builder_unref (headers);
  report->n_rows = koers_csv_reader_get_n_rows (reader);
  report->n_warnings = koers_csv_reader_get_n_warnings (reader);
  warnings = koers_csv_reader_get_warnings (reader);
  for (guint i = 0; i < warnings->len && i < max_issues; i++)
    g_ptr_array_add (report->warnings, koers_csv_issue_copy (g_ptr_array_index (warnings, i)));
  report->peak_buffered_bytes = koers_csv_reader_get_peak_buffered_bytes (reader);
  return g_steal_pointer (&report);
}
