/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The CSV reader under load and under attack: a 1,000,000-row file and a 10 MB field streamed
 * with bounded memory (generated at run time into a temporary directory, never committed), and a
 * bounded mutation run over the fixtures in which nothing crashes and every failure is located.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "core/koers-csv-reader.h"
#include "core/koers-csv-validate.h"

#include "koers-test-helpers.h"

#include <gio/gio.h>
#include <stdio.h>
#include <string.h>

#define MILLION 1000000
/* Every this-many rows a quoted two-line note, so physical line numbers are checked at scale. */
#define NOTE_EVERY 1000

static GInputStream *
open_path (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  GFileInputStream *stream = g_file_read (file, NULL, &error);

  g_assert_no_error (error);
  return G_INPUT_STREAM (stream);
}

static void
test_million_rows (void)
{
  g_autofree char *dir = koers_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "million.csv", NULL);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(KoersCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimer) timer = NULL;
  guint n = 0, expected_last_line;
  FILE *out;

  out = fopen (path, "w");
  g_assert_nonnull (out);
  fputs ("\xEF\xBB\xBFVoornaam;Achternaam;Geboortejaar;Gemeente;Telefoon;E-mail;Notitie\r\n", out);
  for (guint i = 0; i < MILLION; i++)
    {
      if (i % NOTE_EVERY == 0)
        fprintf (out, "Zoë%u;Jansen;1980;Doetinchem;06%08u;p%u@example.nl;"
                 "\"regel 1\r\nregel 2\"\r\n", i, i, i);
      else
        fprintf (out, "Jan%u;Jansen;1980;Doetinchem;06%08u;p%u@example.nl;\r\n", i, i, i);
    }
  fputs ("kapot\r\n", out);
  g_assert_cmpint (fclose (out), ==, 0);
  /* Header, the rows, one extra line per note; then the ragged last row. */
  expected_last_line = 1 + MILLION + MILLION / NOTE_EVERY + 1;

  timer = g_timer_new ();
  stream = open_path (path);
  reader = koers_csv_reader_new (stream, NULL, &error);
  g_assert_no_error (error);
  for (;;)
    {
      KoersCsvRecord *record = NULL;

      if (!koers_csv_reader_next (reader, &record, NULL, &error))
        break;
      n++;
      if (n == MILLION)
        {
          g_assert_cmpstr (koers_csv_record_get_field (record, KOERS_CSV_FIELD_EMAIL), ==,
                           "p999999@example.nl");
          g_assert_cmpuint (koers_csv_record_get_line (record), ==, expected_last_line - 1);
        }
      koers_csv_record_free (record);
    }
  g_timer_stop (timer);
  g_assert_cmpuint (n, ==, MILLION);
  g_assert_error (error, KOERS_CSV_ERROR, KOERS_CSV_ERROR_RAGGED_ROW);
  {
    g_autofree char *where = g_strdup_printf ("%u:6 ", expected_last_line);

    g_assert_true (g_str_has_prefix (error->message, where));
  }
  g_test_message ("1,000,000 rows: %.2f s, peak buffered %" G_GSIZE_FORMAT " bytes",
                  g_timer_elapsed (timer, NULL),
                  koers_csv_reader_get_peak_buffered_bytes (reader));
  g_assert_cmpuint (koers_csv_reader_get_peak_buffered_bytes (reader), <,
                    KOERS_CSV_MAX_BUFFERED_BYTES);
  /* What the reader really needs for ordinary rows: a chunk, its text, the read-ahead. */
  g_assert_cmpuint (koers_csv_reader_get_peak_buffered_bytes (reader), <, 1024 * 1024);
}

static void
write_big_field (FILE *out, gsize size)
{
  char block[4096];

  memset (block, 'x', sizeof block);
  for (gsize done = 0; done < size; done += sizeof block)
    fwrite (block, 1, MIN (sizeof block, size - done), out);
}

static void
test_ten_megabyte_field (void)
{
  g_autofree char *dir = koers_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "big-field.csv", NULL);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(KoersCsvReader) reader = NULL;
  g_autoptr(KoersCsvRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *just_fits = g_malloc (KOERS_CSV_MAX_FIELD_BYTES + 1);
  FILE *out;

  memset (just_fits, 'y', KOERS_CSV_MAX_FIELD_BYTES);
  just_fits[KOERS_CSV_MAX_FIELD_BYTES] = '\0';
  out = fopen (path, "w");
  g_assert_nonnull (out);
  fputs ("Naam;Notitie\nJan;", out);
  write_big_field (out, 10 * 1000 * 1000);               /* unquoted, 10 MB */
  fputs ("\nPiet;\"", out);
  write_big_field (out, 10 * 1000 * 1000);               /* quoted, 10 MB, closed */
  fputs ("\"\nKees;", out);
  fputs (just_fits, out);                                /* exactly the limit */
  fputs ("\nBart;y", out);
  fputs (just_fits, out);                                /* one byte over */
  fputs ("\nAnna;kort\n", out);
  g_assert_cmpint (fclose (out), ==, 0);

  stream = open_path (path);
  reader = koers_csv_reader_new (stream, NULL, &error);
  g_assert_no_error (error);

  g_assert_false (koers_csv_reader_next (reader, &record, NULL, &error));
  g_assert_error (error, KOERS_CSV_ERROR, KOERS_CSV_ERROR_FIELD_TOO_LONG);
  g_assert_true (g_str_has_prefix (error->message, "2:5 (Notitie): "));
  g_clear_error (&error);
  g_assert_false (koers_csv_reader_next (reader, &record, NULL, &error));
  g_assert_error (error, KOERS_CSV_ERROR, KOERS_CSV_ERROR_FIELD_TOO_LONG);
  g_assert_true (g_str_has_prefix (error->message, "3:6 (Notitie): "));
  g_clear_error (&error);
  g_assert_true (koers_csv_reader_next (reader, &record, NULL, &error));
  g_assert_cmpstr (koers_csv_record_get_value (record, 0), ==, "Kees");
  g_assert_cmpuint (strlen (koers_csv_record_get_value (record, 1)), ==,
                    KOERS_CSV_MAX_FIELD_BYTES);
  g_clear_pointer (&record, koers_csv_record_free);
  g_assert_false (koers_csv_reader_next (reader, &record, NULL, &error));
  g_assert_error (error, KOERS_CSV_ERROR, KOERS_CSV_ERROR_FIELD_TOO_LONG);
  g_assert_true (g_str_has_prefix (error->message, "5:6 (Notitie): "));
  g_clear_error (&error);
  g_assert_true (koers_csv_reader_next (reader, &record, NULL, &error));
  g_assert_cmpstr (koers_csv_record_get_value (record, 1), ==, "kort");
  g_assert_cmpuint (koers_csv_record_get_line (record), ==, 6);
  g_clear_pointer (&record, koers_csv_record_free);
  g_assert_false (koers_csv_reader_next (reader, &record, NULL, &error));
  g_assert_no_error (error);

  g_test_message ("10 MB fields: peak buffered %" G_GSIZE_FORMAT " bytes",
                  koers_csv_reader_get_peak_buffered_bytes (reader));
  g_assert_cmpuint (koers_csv_reader_get_peak_buffered_bytes (reader), <,
                    KOERS_CSV_MAX_BUFFERED_BYTES);
}

/* A row may hold KOERS_CSV_MAX_ROW_BYTES, counting one byte after each field: two fields of
 * 1 MiB and 1 MiB - 1 byte fit exactly; two of 1 MiB each are one byte over, refused where the
 * second field starts, and the reader goes on with the next row. */
static void
test_row_limit (void)
{
  g_autofree char *dir = koers_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "long-row.csv", NULL);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(KoersCsvReader) reader = NULL;
  g_autoptr(KoersCsvRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  FILE *out;

  out = fopen (path, "w");
  g_assert_nonnull (out);
  fputs ("A;B;C\n", out);
  write_big_field (out, KOERS_CSV_MAX_FIELD_BYTES);
  fputs (";", out);
  write_big_field (out, KOERS_CSV_MAX_ROW_BYTES - KOERS_CSV_MAX_FIELD_BYTES - 2);
  fputs (";\n", out);                                  /* exactly the limit */
  write_big_field (out, KOERS_CSV_MAX_FIELD_BYTES);
  fputs (";", out);
  write_big_field (out, KOERS_CSV_MAX_FIELD_BYTES);
  fputs (";z\nkort;b;c\n", out);                       /* one byte over */
  g_assert_cmpint (fclose (out), ==, 0);

  stream = open_path (path);
  reader = koers_csv_reader_new (stream, NULL, &error);
  g_assert_no_error (error);

  g_assert_true (koers_csv_reader_next (reader, &record, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (koers_csv_record_get_value (record, 0)), ==,
                    KOERS_CSV_MAX_FIELD_BYTES);
  g_assert_cmpuint (strlen (koers_csv_record_get_value (record, 1)), ==,
                    KOERS_CSV_MAX_ROW_BYTES - KOERS_CSV_MAX_FIELD_BYTES - 2);
  g_assert_cmpstr (koers_csv_record_get_value (record, 2), ==, "");
  g_clear_pointer (&record, koers_csv_record_free);

  g_assert_false (koers_csv_reader_next (reader, &record, NULL, &error));
  g_assert_error (error, KOERS_CSV_ERROR, KOERS_CSV_ERROR_FIELD_TOO_LONG);
  expected = g_strdup_printf ("3:%d (B): the row is longer than 2 MiB, the limit",
                              KOERS_CSV_MAX_FIELD_BYTES + 2);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  g_assert_true (koers_csv_reader_next (reader, &record, NULL, &error));
  g_assert_cmpstr (koers_csv_record_get_value (record, 0), ==, "kort");
  g_assert_cmpuint (koers_csv_record_get_line (record), ==, 4);
  g_clear_pointer (&record, koers_csv_record_free);
  g_assert_false (koers_csv_reader_next (reader, &record, NULL, &error));
  g_assert_no_error (error);
}

/* "L:C" at the start: the location every error carries. */
static gboolean
is_located (const char *message)
{
  const char *p = message;

  if (!g_ascii_isdigit (*p))
    return FALSE;
  while (g_ascii_isdigit (*p))
    p++;
  if (*p++ != ':' || !g_ascii_isdigit (*p))
    return FALSE;
  while (g_ascii_isdigit (*p))
    p++;
  return *p == ' ' || *p == ':';
}

static void
mutate (GRand *rand, GByteArray *bytes)
{
  /* The bytes that matter to a CSV parser and its decoders, favoured over random ones. */
  static const guint8 special[] = {
    '"', ';', ',', '\t', '\r', '\n', 0x00, 0x80, 0x81, 0xC3, 0xE2, 0xEF, 0xFE, 0xFF, ' ', '=',
  };
  guint n_ops = (guint) g_rand_int_range (rand, 1, 5);

  for (guint op = 0; op < n_ops; op++)
    {
      guint8 b = g_rand_boolean (rand)
                   ? special[g_rand_int_range (rand, 0, G_N_ELEMENTS (special))]
                   : (guint8) g_rand_int_range (rand, 0, 256);
      guint pos = bytes->len > 0 ? (guint) g_rand_int_range (rand, 0, (gint32) bytes->len) : 0;

      switch (g_rand_int_range (rand, 0, 4))
        {
        case 0:
          if (bytes->len > 0)
            bytes->data[pos] ^= (guint8) (1u << g_rand_int_range (rand, 0, 8));
          break;
        case 1:
          if (bytes->len > 0)
            bytes->data[pos] = b;
          break;
        case 2:
          g_byte_array_append (bytes, &b, 1);
          memmove (bytes->data + pos + 1, bytes->data + pos, bytes->len - pos - 1);
          bytes->data[pos] = b;
          break;
        case 3:
        default:
          if (bytes->len > 0)
            g_byte_array_remove_index (bytes, pos);
          break;
        }
    }
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static GPtrArray *
load_fixtures (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("KOERS_TEST_FIXTURES"), "csv", NULL);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *fixtures = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  const char *name;

  dir = g_dir_open (path, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".csv"))
      g_ptr_array_add (names, g_strdup (name));
  /* Directory order is not stable; the corpus must be, for the seed to mean anything. */
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *file = g_build_filename (path, g_ptr_array_index (names, i), NULL);
      char *contents = NULL;
      gsize length = 0;

      g_file_get_contents (file, &contents, &length, &error);
      g_assert_no_error (error);
      g_ptr_array_add (fixtures, g_bytes_new_take (contents, length));
    }
  return fixtures;
}

static void
check_case (GBytes *input)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (input);
  g_autoptr(GInputStream) again = g_memory_input_stream_new_from_bytes (input);
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersCsvReport) report = NULL;
  g_autoptr(KoersCsvReader) reader = NULL;
  guint good = 0, bad = 0;

  report = koers_csv_validate (stream, 20, NULL, &error);
  if (report == NULL)
    {
      g_assert_error (error, KOERS_CSV_ERROR, error->code);
      if (!is_located (error->message))
        g_error ("refusal without a location: %s", error->message);
      return;
    }
  for (guint i = 0; i < report->errors->len; i++)
    {
      const KoersCsvIssue *issue = g_ptr_array_index (report->errors, i);

      g_assert_cmpuint (issue->line, >=, 1);
      g_assert_cmpuint (issue->column, >=, 1);
      if (!is_located (issue->message))
        g_error ("error without a location: %s", issue->message);
    }

  /* Reading it gives the same verdict, and every value is valid UTF-8 text. */
  reader = koers_csv_reader_new (again, NULL, &error);
  g_assert_no_error (error);
  for (guint guard = 0; guard < 100000; guard++)
    {
      g_autoptr(KoersCsvRecord) record = NULL;
      g_autoptr(GError) row_error = NULL;

      if (koers_csv_reader_next (reader, &record, NULL, &row_error))
        {
          good++;
          for (guint c = 0; c < koers_csv_record_get_n_values (record); c++)
            g_assert_true (g_utf8_validate (koers_csv_record_get_value (record, c), -1, NULL));
          continue;
        }
      if (row_error == NULL)
        break;
      g_assert_nonnull (koers_csv_reader_get_error_issue (reader));
      bad++;
      if (!koers_csv_error_is_row_error (row_error))
        break;
    }
  g_assert_cmpuint (bad, ==, report->n_errors);
  g_assert_cmpuint (good + bad, >=, report->n_rows);
}

static void
test_mutations (void)
{
  g_autoptr(GPtrArray) fixtures = load_fixtures ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260101);
  g_autoptr(GTimer) timer = g_timer_new ();
  guint n_cases = 0, n_refused = 0, n_with_errors = 0;

  g_assert_cmpuint (fixtures->len, >=, 40);
  for (guint i = 0; i < 12000; i++)
    {
      GBytes *base = g_ptr_array_index (fixtures, i % fixtures->len);
      g_autoptr(GByteArray) bytes = g_byte_array_new ();
      g_autoptr(GBytes) input = NULL;
      gsize size;
      const guint8 *data = g_bytes_get_data (base, &size);
      g_autoptr(GInputStream) probe = NULL;
      g_autoptr(KoersCsvReport) report = NULL;

      g_byte_array_append (bytes, data, (guint) size);
      mutate (rand, bytes);
      input = g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
      check_case (input);
      probe = g_memory_input_stream_new_from_bytes (input);
      report = koers_csv_validate (probe, 1, NULL, NULL);
      if (report == NULL)
        n_refused++;
      else if (report->n_errors > 0)
        n_with_errors++;
      n_cases++;
    }
  g_test_message ("%u mutated inputs in %.2f s: %u refused, %u with row errors", n_cases,
                  g_timer_elapsed (timer, NULL), n_refused, n_with_errors);
  g_assert_cmpuint (n_cases, >=, 10000);
  /* The mutator does reach the error paths. */
  g_assert_cmpuint (n_refused, >, 100);
  g_assert_cmpuint (n_with_errors, >, 100);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/csv/stress/million-rows", test_million_rows);
  g_test_add_func ("/csv/stress/ten-megabyte-field", test_ten_megabyte_field);
  g_test_add_func ("/csv/stress/row-limit", test_row_limit);
  g_test_add_func ("/csv/stress/mutations", test_mutations);

  return g_test_run ();
}
