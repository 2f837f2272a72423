/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "cli/koers-import-preview.h"

#include "core/koers-csv-reader.h"
#include "core/koers-csv-record.h"

void
koers_import_preview_free (KoersImportPreview *preview)
{
  if (preview == NULL)
    return;
  g_strfreev (preview->headers);
  g_clear_pointer (&preview->rows, g_ptr_array_unref);
  g_clear_pointer (&preview->lines, g_array_unref);
  g_free (preview);
}

KoersImportPreview *
koers_import_preview_read (GFile         *file,
                           guint          max_rows,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GInputStream) buffered = NULL;
  g_autoptr(KoersCsvReader) reader = NULL;
  g_autoptr(KoersImportPreview) preview = NULL;
  g_autoptr(GStrvBuilder) headers = NULL;
  guint n_columns;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (max_rows == 0)
    max_rows = KOERS_IMPORT_PREVIEW_MAX_ROWS;
  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return NULL;
  buffered = g_buffered_input_stream_new_sized (G_INPUT_STREAM (stream), 64 * 1024);
  reader = koers_csv_reader_new (buffered, cancellable, error);
  if (reader == NULL)
    return NULL;

  preview = g_new0 (KoersImportPreview, 1);
  preview->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  preview->lines = g_array_new (FALSE, FALSE, sizeof (guint));
  n_columns = koers_csv_reader_get_n_columns (reader);
  headers = g_strv_builder_new ();
  for (guint i = 0; i < n_columns; i++)
    g_strv_builder_add (headers, koers_csv_reader_get_header (reader, i));
  preview->headers = g_strv_builder_end (headers);

  while (preview->rows->len < max_rows)
    {
      g_autoptr(KoersCsvRecord) record = NULL;
      g_autoptr(GError) local = NULL;
      g_autoptr(GStrvBuilder) values = NULL;
      guint line;

      if (!koers_csv_reader_next (reader, &record, cancellable, &local))
        {
          if (local != NULL && koers_csv_error_is_row_error (local))
            continue;
          if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return NULL;
            }
          break;
        }
      values = g_strv_builder_new ();
      for (guint i = 0; i < n_columns; i++)
        g_strv_builder_add (values, i < koers_csv_record_get_n_values (record)
                                      ? koers_csv_record_get_value (record, i) : "");
      g_ptr_array_add (preview->rows, g_strv_builder_end (values));
      line = koers_csv_record_get_line (record);
      g_array_append_val (preview->lines, line);
    }
  return g_steal_pointer (&preview);
}
