/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The CSV reader's API and the cases a fixture file cannot hold well: input past the first
 * chunk the encoding is sniffed from, the column limit, the manual mapping step, cancellation,
 * and the header, damage and privacy rules on their own.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "core/koers-csv-damage.h"
#include "core/koers-csv-privacy.h"
#include "core/koers-csv-reader.h"
#include "core/koers-csv-sniff.h"
#include "core/koers-csv-validate.h"

#include <gio/gio.h>
#include <string.h>

static GInputStream *
stream_for (const char *data, gssize length)
{
  if (length < 0)
    length = (gssize) strlen (data);
  return g_memory_input_stream_new_from_data (g_memdup2 (data, (gsize) length), length, g_free);
}

static KoersCsvReader *
reader_for (const char *data, gssize length)
{
  g_autoptr(GInputStream) stream = stream_for (data, length);
  g_autoptr(GError) error = NULL;
  KoersCsvReader *reader = koers_csv_reader_new (stream, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (reader);
  return reader;
}

/* More than one 64 KiB chunk of ASCII rows. */
static GString *
ascii_rows (guint n)
{
  GString *text = g_string_new ("Naam;Gemeente\n");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "Deelnemer %u;Doetinchem\n", i);
  return text;
}

static void
test_cp1252_after_first_chunk (void)
{
  g_autoptr(GString) text = ascii_rows (5000);
  g_autoptr(KoersCsvReader) reader = NULL;
  g_autoptr(KoersCsvRecord) last = NULL;
  guint n = 0;

  g_assert_cmpuint (text->len, >, 64 * 1024);
  g_string_append (text, "Ren\xe9 \x80;Aalten\n");
  reader = reader_for (text->str, (gssize) text->len);
  g_assert_cmpint (koers_csv_reader_get_encoding (reader), ==, KOERS_CSV_ENCODING_ASCII);
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      KoersCsvRecord *record = NULL;

      if (!koers_csv_reader_next (reader, &record, NULL, &error))
        {
          g_assert_no_error (error);
          break;
        }
      n++;
      g_clear_pointer (&last, koers_csv_record_free);
      last = record;
    }
  g_assert_cmpuint (n, ==, 5001);
  g_assert_cmpstr (koers_csv_record_get_value (last, 0), ==, "René €");
  g_assert_cmpint (koers_csv_reader_get_encoding (reader), ==, KOERS_CSV_ENCODING_WINDOWS_1252);
}

static void
test_invalid_utf8_after_first_chunk (void)
{
  g_autoptr(GString) text = g_string_new ("Naam;Gemeente\nJosé;Aalten\n");
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersCsvReport) report = NULL;
  const KoersCsvIssue *issue;

  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (text, "Deelnemer %u;Doetinchem\n", i);
  g_string_append (text, "Piet;Doetinch\x80" "em\n");
  stream = stream_for (text->str, (gssize) text->len);
  report = koers_csv_validate (stream, 10, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_errors, ==, 1);
  issue = g_ptr_array_index (report->errors, 0);
  g_assert_cmpuint (issue->line, ==, 5003);
  g_assert_cmpuint (issue->column, ==, 14);
  g_assert_cmpstr (issue->column_name, ==, "Gemeente");
  g_assert_nonnull (strstr (issue->message, "5003:14 (Gemeente): "));
  g_assert_cmpint (report->encoding, ==, KOERS_CSV_ENCODING_UTF8);
}

static void
test_column_limit (void)
{
  g_autoptr(GString) header = g_string_new (NULL);
  g_autoptr(GString) text = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersCsvReader) reader = NULL;
  g_autoptr(KoersCsvRecord) record = NULL;

  /* Exactly the limit is fine ... */
  for (guint i = 0; i < KOERS_CSV_MAX_COLUMNS; i++)
    g_string_append_printf (header, "%sc%u", i > 0 ? ";" : "", i);
  text = g_string_new (header->str);
  g_string_append (text, "\n");
  for (guint i = 0; i < KOERS_CSV_MAX_COLUMNS + 10; i++)
    g_string_append (text, i > 0 ? ";x" : "x");
  g_string_append (text, "\nlaatste\n");
  reader = reader_for (text->str, (gssize) text->len);
  g_assert_cmpuint (koers_csv_reader_get_n_columns (reader), ==, KOERS_CSV_MAX_COLUMNS);
  /* ... a row just past it is refused at its 257th field, and reading goes on. */
  g_assert_false (koers_csv_reader_next (reader, &record, NULL, &error));
  g_assert_error (error, KOERS_CSV_ERROR, KOERS_CSV_ERROR_TOO_MANY_COLUMNS);
  g_assert_true (g_str_has_prefix (error->message, "2:513 "));
  g_assert_true (koers_csv_error_is_row_error (error));
  g_clear_error (&error);
  g_assert_false (koers_csv_reader_next (reader, &record, NULL, &error));
  g_assert_error (error, KOERS_CSV_ERROR, KOERS_CSV_ERROR_RAGGED_ROW);
  g_assert_true (g_str_has_prefix (error->message, "3:8 "));
  g_clear_error (&error);

  /* A header just past the limit is refused outright. */
  g_string_append (header, ";one-too-many\n");
  stream = stream_for (header->str, (gssize) header->len);
  g_clear_object (&reader);
  reader = koers_csv_reader_new (stream, NULL, &error);
  g_assert_null (reader);
  g_assert_error (error, KOERS_CSV_ERROR, KOERS_CSV_ERROR_TOO_MANY_COLUMNS);
}

static void
test_manual_mapping (void)
{
  g_autoptr(KoersCsvReader) reader = NULL;
  g_autoptr(KoersCsvRecord) first = NULL;
  g_autoptr(KoersCsvRecord) second = NULL;
  g_autoptr(GError) error = NULL;

  reader = reader_for ("Klant;Woont in;Telefoon\nJan;Aalten;0612345678\nPiet;Lochem;06\n", -1);
  g_assert_cmpint (koers_csv_reader_get_mapping (reader, 0), ==, KOERS_CSV_FIELD_NONE);
  g_assert_cmpint (koers_csv_reader_get_mapping (reader, 1), ==, KOERS_CSV_FIELD_NONE);
  g_assert_cmpint (koers_csv_reader_get_column_for_field (reader, KOERS_CSV_FIELD_PHONE), ==, 2);

  g_assert_true (koers_csv_reader_next (reader, &first, NULL, &error));
  g_assert_null (koers_csv_record_get_field (first, KOERS_CSV_FIELD_FULL_NAME));
  g_assert_cmpstr (koers_csv_record_get_field (first, KOERS_CSV_FIELD_PHONE), ==, "0612345678");

  koers_csv_reader_set_mapping (reader, 0, KOERS_CSV_FIELD_FULL_NAME);
  koers_csv_reader_set_mapping (reader, 1, KOERS_CSV_FIELD_MUNICIPALITY);
  /* One column per field: mapping the phone to column 1 unmaps column 2. */
  koers_csv_reader_set_mapping (reader, 1, KOERS_CSV_FIELD_PHONE);
  g_assert_cmpint (koers_csv_reader_get_mapping (reader, 2), ==, KOERS_CSV_FIELD_NONE);
  koers_csv_reader_set_mapping (reader, 1, KOERS_CSV_FIELD_MUNICIPALITY);

  g_assert_true (koers_csv_reader_next (reader, &second, NULL, &error));
  g_assert_cmpstr (koers_csv_record_get_field (second, KOERS_CSV_FIELD_FULL_NAME), ==, "Piet");
  g_assert_cmpstr (koers_csv_record_get_field (second, KOERS_CSV_FIELD_MUNICIPALITY), ==,
                   "Lochem");
  g_assert_null (koers_csv_record_get_field (second, KOERS_CSV_FIELD_PHONE));
  g_assert_cmpuint (koers_csv_record_get_value_line (second, 1), ==, 3);
  g_assert_cmpuint (koers_csv_record_get_value_column (second, 1), ==, 6);
  /* The first record keeps the mapping it was read with. */
  g_assert_null (koers_csv_record_get_field (first, KOERS_CSV_FIELD_FULL_NAME));
  g_assert_false (koers_csv_reader_next (reader, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_cancel (void)
{
  g_autoptr(GString) text = ascii_rows (20000);
  g_autoptr(GInputStream) stream = stream_for (text->str, (gssize) text->len);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersCsvReader) reader = NULL;
  guint n = 0;

  reader = koers_csv_reader_new (stream, cancellable, &error);
  g_assert_no_error (error);
  g_cancellable_cancel (cancellable);
  while (koers_csv_reader_next (reader, NULL, cancellable, &error))
    n++;
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Only what was already decoded came through. */
  g_assert_cmpuint (n, <, 20000);
}

static void
test_sniff (void)
{
  char sep = 0;

  g_assert_cmpuint (koers_csv_sniff_sep_line ("sep=;\r\nNaam", 11, &sep), ==, 7);
  g_assert_cmpint (sep, ==, ';');
  g_assert_cmpuint (koers_csv_sniff_sep_line ("SEP=\t\nNaam", 10, &sep), ==, 6);
  g_assert_cmpint (sep, ==, '\t');
  g_assert_cmpuint (koers_csv_sniff_sep_line ("sep=;;;;\nNaam", 13, &sep), ==, 9);
  g_assert_cmpuint (koers_csv_sniff_sep_line ("sep=;x\nNaam", 11, &sep), ==, 0);
  g_assert_cmpuint (koers_csv_sniff_sep_line ("Naam;sep=;\n", 11, &sep), ==, 0);

#define SNIFF(text, complete) koers_csv_sniff_separator (text, strlen (text), complete)
  g_assert_cmpint (SNIFF ("a;b;c\n1;2;3\n", TRUE), ==, ';');
  g_assert_cmpint (SNIFF ("a,b,c\n1,2,3\n", TRUE), ==, ',');
  g_assert_cmpint (SNIFF ("a\tb\n1\t2\n", TRUE), ==, '\t');
  /* Commas inside quotes do not count; commas in unquoted Dutch text do not win. */
  g_assert_cmpint (SNIFF ("Naam;Notitie\n\"de Vries, Jan\";a, b, c\nPiet;x, y\n", TRUE), ==,
                   ';');
  g_assert_cmpint (SNIFF ("Naam,Notitie\n\"Vries; de\",x\n\"a;b;c\",y\n", TRUE), ==, ',');
  /* One column: the default. */
  g_assert_cmpint (SNIFF ("Naam\nJan\n", TRUE), ==, ';');
  g_assert_cmpint (SNIFF ("", TRUE), ==, ';');
#undef SNIFF
}

static void
test_header_mapping (void)
{
  static const struct {
    const char   *header;
    KoersCsvField field;
  } cases[] = {
    { "Voornaam", KOERS_CSV_FIELD_FIRST_NAME },
    { "  FIRST NAME ", KOERS_CSV_FIELD_FIRST_NAME },
    { "Achter-naam", KOERS_CSV_FIELD_LAST_NAME },
    { "Surname", KOERS_CSV_FIELD_LAST_NAME },
    { "Tussenvoegsel", KOERS_CSV_FIELD_NAME_PREFIX },
    { "Naam", KOERS_CSV_FIELD_FULL_NAME },
    { "Volledige naam", KOERS_CSV_FIELD_FULL_NAME },
    { "Roepnaam", KOERS_CSV_FIELD_PREFERRED_NAME },
    { "Preferred name", KOERS_CSV_FIELD_PREFERRED_NAME },
    { "Geboortejaar", KOERS_CSV_FIELD_BIRTH_YEAR },
    { "Geb. datum", KOERS_CSV_FIELD_BIRTH_DATE },
    { "Date of birth", KOERS_CSV_FIELD_BIRTH_DATE },
    { "Woonplaats", KOERS_CSV_FIELD_MUNICIPALITY },
    { "Doelgroep", KOERS_CSV_FIELD_TARGET_GROUP },
    { "Mobiel", KOERS_CSV_FIELD_PHONE },
    { "Tel.nr.", KOERS_CSV_FIELD_PHONE },
    { "E-mailadres", KOERS_CSV_FIELD_EMAIL },
    { "e-mail adres", KOERS_CSV_FIELD_EMAIL },
    { "Talen", KOERS_CSV_FIELD_LANGUAGES },
    { "Coach", KOERS_CSV_FIELD_COACH },
    { "Project line", KOERS_CSV_FIELD_PROJECT_LINE },
    { "Status", KOERS_CSV_FIELD_STATUS },
    { "Notities", KOERS_CSV_FIELD_NOTES },
    { "Opmérking", KOERS_CSV_FIELD_NOTES },
    { "Schoenmaat", KOERS_CSV_FIELD_NONE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      KoersCsvField field = koers_csv_field_from_header (cases[i].header);

      if (field != cases[i].field)
        g_error ("\"%s\" mapped to %s", cases[i].header, koers_csv_field_to_string (field));
    }
  for (int f = 0; f < KOERS_CSV_N_FIELDS; f++)
    g_assert_cmpint (koers_csv_field_from_string (koers_csv_field_to_string (f)), ==, f);
  g_assert_nonnull (koers_csv_field_get_note (KOERS_CSV_FIELD_BIRTH_DATE));
}

static void
test_privacy_rules (void)
{
  KoersCsvBsnCount count = { 0 };

  g_assert_true (koers_csv_header_is_bsn ("BSN"));
  g_assert_true (koers_csv_header_is_bsn ("bsn-nummer"));
  g_assert_true (koers_csv_header_is_bsn ("Burgerservicenummer"));
  g_assert_true (koers_csv_header_is_bsn ("Sofinummer"));
  g_assert_true (koers_csv_header_is_bsn ("sofi nr."));
  g_assert_true (koers_csv_header_is_bsn ("BSN (deelnemer)"));
  g_assert_false (koers_csv_header_is_bsn ("Jobsnelheid"));
  g_assert_false (koers_csv_header_is_bsn ("Naam"));

  g_assert_true (koers_csv_value_is_bsn ("123456782"));
  g_assert_true (koers_csv_value_is_bsn ("1234.56.782"));
  g_assert_true (koers_csv_value_is_bsn ("12345672"));   /* 012345672 without its zero */
  g_assert_false (koers_csv_value_is_bsn ("123456789"));
  g_assert_false (koers_csv_value_is_bsn ("0612345678"));
  g_assert_false (koers_csv_value_is_bsn ("tel 123456782"));

  /* A couple of chance hits among many numbers is not a BSN column ... */
  koers_csv_bsn_count_add (&count, "123456782");
  koers_csv_bsn_count_add (&count, "111222333");
  g_assert_false (koers_csv_bsn_count_is_bsn_column (&count));
  koers_csv_bsn_count_add (&count, "123456789");
  koers_csv_bsn_count_add (&count, "123456788");
  koers_csv_bsn_count_add (&count, "123456787");
  koers_csv_bsn_count_add (&count, "123456786");
  koers_csv_bsn_count_add (&count, "123456785");
  koers_csv_bsn_count_add (&count, "012345672");
  g_assert_cmpuint (count.n_valid, ==, 3);
  g_assert_false (koers_csv_bsn_count_is_bsn_column (&count));
  /* ... but mostly-valid numbers are. */
  koers_csv_bsn_count_add (&count, "799642630");
  koers_csv_bsn_count_add (&count, "578230859");
  koers_csv_bsn_count_add (&count, "132845751");
  g_assert_true (koers_csv_bsn_count_is_bsn_column (&count));
}

static void
test_damage_rules (void)
{
  g_autofree char *iso = NULL;
  gboolean reinterpreted = FALSE;
  char *warning;

  g_assert_true (koers_csv_parse_date ("2024-02-01", &iso, &reinterpreted));
  g_assert_cmpstr (iso, ==, "2024-02-01");
  g_assert_false (reinterpreted);
  g_clear_pointer (&iso, g_free);
  g_assert_true (koers_csv_parse_date ("45323", &iso, &reinterpreted));
  g_assert_cmpstr (iso, ==, "2024-02-01");
  g_assert_true (reinterpreted);
  g_clear_pointer (&iso, g_free);
  g_assert_true (koers_csv_parse_date ("29-2-2024", &iso, NULL));
  g_clear_pointer (&iso, g_free);
  g_assert_false (koers_csv_parse_date ("29-2-2023", &iso, NULL));
  g_assert_false (koers_csv_parse_date ("2024-02-30", &iso, NULL));
  g_assert_null (iso);

  g_assert_null (koers_csv_check_damage (KOERS_CSV_FIELD_PHONE, "+31 6 12345678"));
  g_assert_null (koers_csv_check_damage (KOERS_CSV_FIELD_PHONE, "0612345678"));
  g_assert_null (koers_csv_check_damage (KOERS_CSV_FIELD_BIRTH_YEAR, "1990"));
  g_assert_null (koers_csv_check_damage (KOERS_CSV_FIELD_NONE, "=1+1"));
  g_assert_null (koers_csv_check_damage (KOERS_CSV_FIELD_FULL_NAME, "Eve"));
  warning = koers_csv_check_damage (KOERS_CSV_FIELD_PHONE, "314123456");
  g_assert_nonnull (strstr (warning, "0314123456"));
  g_free (warning);
  warning = koers_csv_check_damage (KOERS_CSV_FIELD_EMAIL, "1.5E+3");
  g_assert_nonnull (strstr (warning, "scientific notation"));
  g_free (warning);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/csv/reader/cp1252-after-first-chunk", test_cp1252_after_first_chunk);
  g_test_add_func ("/csv/reader/invalid-utf8-after-first-chunk",
                   test_invalid_utf8_after_first_chunk);
  g_test_add_func ("/csv/reader/column-limit", test_column_limit);
  g_test_add_func ("/csv/reader/manual-mapping", test_manual_mapping);
  g_test_add_func ("/csv/reader/cancel", test_cancel);
  g_test_add_func ("/csv/reader/sniff", test_sniff);
  g_test_add_func ("/csv/reader/header-mapping", test_header_mapping);
  g_test_add_func ("/csv/reader/privacy-rules", test_privacy_rules);
  g_test_add_func ("/csv/reader/damage-rules", test_damage_rules);

  return g_test_run ();
}
