/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The CSV edge cases of RELIABILITY.md ("Bad input"), one fixture file each in
 * tests/fixtures/csv/, checked against tests/fixtures/csv/MANIFEST (format in generate.py there):
 * the rows a file yields or the line:column of its first error.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "core/koers-csv-reader.h"
#include "core/koers-csv-validate.h"

#include <gio/gio.h>
#include <stdlib.h>
#include <string.h>

/* (element-type GStrv): file, kind, a, b */
static GPtrArray *manifest;

static char *
fixture_dir (void)
{
  const char *root = g_getenv ("KOERS_TEST_FIXTURES");

  g_assert_nonnull (root);
  return g_build_filename (root, "csv", NULL);
}

static void
load_manifest (void)
{
  g_autofree char *dir = fixture_dir ();
  g_autofree char *path = g_build_filename (dir, "MANIFEST", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  manifest = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char **fields;

      if (lines[i][0] == '\0' || lines[i][0] == '#')
        continue;
      fields = g_strsplit (lines[i], " | ", 4);
      g_assert_cmpuint (g_strv_length (fields), >=, 3);
      g_ptr_array_add (manifest, fields);
    }
}

static GInputStream *
open_fixture (const char *name)
{
  g_autofree char *dir = fixture_dir ();
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_memory_input_stream_new_from_data (contents, (gssize) length, g_free);
}

/* "L:C" then " (" or ":" : the location every message starts with. */
static void
assert_located (const char *message, const char *where)
{
  gsize n = strlen (where);

  if (strncmp (message, where, n) != 0 || (message[n] != ' ' && message[n] != ':'))
    g_error ("expected a message at %s, got \"%s\"", where, message);
}

static void
assert_mentions (const char *message, const char *text)
{
  if (strstr (message, text) == NULL)
    g_error ("expected \"%s\" in \"%s\"", text, message);
}

static char *
unescape (const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (p[0] == '\\' && p[1] == 'n')
        {
          g_string_append_c (out, '\n');
          p++;
        }
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
record_value (const KoersCsvRecord *record, const char *field)
{
  KoersCsvField f;
  const char *value;

  if (field[0] == '#')
    return g_strdup (koers_csv_record_get_value (record, (guint) atoi (field + 1)));
  if (strcmp (field, "name") == 0)
    return koers_csv_record_dup_name (record);
  if (strcmp (field, "birth-year") == 0)
    return g_strdup_printf ("%d", koers_csv_record_get_birth_year (record));
  f = koers_csv_field_from_string (field);
  g_assert_cmpint (f, !=, KOERS_CSV_FIELD_NONE);
  value = koers_csv_record_get_field (record, f);
  g_assert_nonnull (value);
  return g_strdup (value);
}

static const char *
separator_name (char separator)
{
  switch (separator)
    {
    case '\t':
      return "tab";
    case ';':
      return ";";
    case ',':
      return ",";
    default:
      return "?";
    }
}

static void
test_fixture (gconstpointer data)
{
  const char *name = data;
  g_autoptr(GInputStream) validate_stream = open_fixture (name);
  g_autoptr(GInputStream) read_stream = open_fixture (name);
  g_autoptr(GError) validate_error = NULL;
  g_autoptr(GError) reader_error = NULL;
  g_autoptr(KoersCsvReport) report = NULL;
  g_autoptr(KoersCsvReader) reader = NULL;
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                 koers_csv_record_free);
  const char *first_error = NULL;
  guint checked = 0;

  report = koers_csv_validate (validate_stream, 100, NULL, &validate_error);
  reader = koers_csv_reader_new (read_stream, NULL, &reader_error);
  g_assert_true ((report == NULL) == (reader == NULL));
  if (reader != NULL)
    {
      for (guint guard = 0; guard < 100000; guard++)
        {
          g_autoptr(GError) error = NULL;
          KoersCsvRecord *record = NULL;

          if (koers_csv_reader_next (reader, &record, NULL, &error))
            {
              g_ptr_array_add (records, record);
              continue;
            }
          if (error == NULL || !koers_csv_error_is_row_error (error))
            break;
        }
    }
  if (validate_error != NULL)
    {
      g_assert_error (validate_error, KOERS_CSV_ERROR, reader_error->code);
      first_error = validate_error->message;
    }
  else if (report->errors->len > 0)
    first_error = ((KoersCsvIssue *) g_ptr_array_index (report->errors, 0))->message;

  for (guint i = 0; i < manifest->len; i++)
    {
      char **e = g_ptr_array_index (manifest, i);
      const char *kind = e[1];

      if (strcmp (e[0], name) != 0)
        continue;
      checked++;
      if (strcmp (kind, "ok") == 0)
        {
          g_assert_no_error (validate_error);
          if (report->n_errors > 0)
            g_error ("%s: unexpected error %s", name, first_error);
          g_assert_cmpuint (report->n_rows, ==, (guint) atoi (e[2]));
          g_assert_cmpuint (records->len, ==, (guint) atoi (e[2]));
        }
      else if (strcmp (kind, "rows") == 0)
        g_assert_cmpuint (report->n_rows, ==, (guint) atoi (e[2]));
      else if (strcmp (kind, "errors") == 0)
        g_assert_cmpuint (report->n_errors, ==, (guint) atoi (e[2]));
      else if (strcmp (kind, "warnings") == 0)
        g_assert_cmpuint (report->n_warnings, ==, (guint) atoi (e[2]));
      else if (strcmp (kind, "columns") == 0)
        g_assert_cmpuint (koers_csv_reader_get_n_columns (reader), ==, (guint) atoi (e[2]));
      else if (strcmp (kind, "value") == 0)
        {
          g_autofree char *spec = g_strdup (e[2]);
          char *colon = strchr (spec, ':');
          char *equals = strchr (spec, '=');
          g_autofree char *expected = NULL;
          g_autofree char *actual = NULL;
          guint row;

          g_assert_true (colon != NULL && equals != NULL);
          *colon = *equals = '\0';
          row = (guint) atoi (spec);
          g_assert_cmpuint (row, >=, 1);
          g_assert_cmpuint (row, <=, records->len);
          expected = unescape (equals + 1);
          actual = record_value (g_ptr_array_index (records, row - 1), colon + 1);
          g_assert_cmpstr (actual, ==, expected);
        }
      else if (strcmp (kind, "meta") == 0)
        {
          g_assert_nonnull (e[3]);
          g_assert_cmpstr (koers_csv_encoding_to_string (report->encoding), ==, e[2]);
          g_assert_cmpstr (separator_name (report->separator), ==, e[3]);
          g_assert_cmpint (koers_csv_reader_get_separator (reader), ==, report->separator);
        }
      else if (strcmp (kind, "map") == 0)
        {
          guint column = (guint) atoi (e[2]);

          g_assert_nonnull (e[3]);
          g_assert_cmpstr (koers_csv_field_to_string (koers_csv_reader_get_mapping (reader,
                                                                                    column)),
                           ==, e[3]);
        }
      else if (strcmp (kind, "error") == 0 || strcmp (kind, "refused") == 0)
        {
          g_assert_nonnull (e[3]);
          if (first_error == NULL)
            g_error ("%s: expected an error at %s", name, e[2]);
          assert_located (first_error, e[2]);
          assert_mentions (first_error, e[3]);
          if (strcmp (kind, "refused") == 0)
            {
              g_assert_null (reader);
              g_assert_error (reader_error, KOERS_CSV_ERROR, reader_error->code);
              g_assert_cmpstr (reader_error->message, ==, first_error);
            }
          else
            g_assert_nonnull (reader);
        }
      else if (strcmp (kind, "warning") == 0)
        {
          gboolean found = FALSE;

          g_assert_nonnull (e[3]);
          for (guint w = 0; w < report->warnings->len && !found; w++)
            {
              const KoersCsvIssue *issue = g_ptr_array_index (report->warnings, w);
              g_autofree char *where = g_strdup_printf ("%u:%u", issue->line, issue->column);

              found = strcmp (where, e[2]) == 0 && strstr (issue->message, e[3]) != NULL;
            }
          if (!found)
            g_error ("%s: no warning at %s mentioning \"%s\"", name, e[2], e[3]);
        }
      else
        g_error ("unknown manifest kind %s", kind);
    }
  g_assert_cmpuint (checked, >, 0);
}

/* Every fixture file has expectations, and there are at least the 40 the issue asks for. */
static void
test_manifest_complete (void)
{
  g_autofree char *path = fixture_dir ();
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  guint n = 0;

  dir = g_dir_open (path, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      gboolean listed = FALSE;

      if (!g_str_has_suffix (name, ".csv"))
        continue;
      n++;
      for (guint i = 0; i < manifest->len && !listed; i++)
        listed = strcmp (((char **) g_ptr_array_index (manifest, i))[0], name) == 0;
      if (!listed)
        g_error ("%s has no expectations in MANIFEST", name);
    }
  g_assert_cmpuint (n, >=, 40);
}

int
main (int argc, char **argv)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  int result;

  g_test_init (&argc, &argv, NULL);
  load_manifest ();

  g_test_add_func ("/csv/fixtures/manifest-complete", test_manifest_complete);
  for (guint i = 0; i < manifest->len; i++)
    {
      const char *name = ((char **) g_ptr_array_index (manifest, i))[0];
      g_autofree char *test_path = NULL;

      if (!g_hash_table_add (seen, (gpointer) name))
        continue;
      test_path = g_strdup_printf ("/csv/fixtures/%s", name);
      g_test_add_data_func (test_path, name, test_fixture);
    }
  result = g_test_run ();
  g_ptr_array_unref (manifest);
  return result;
}
