/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "core/koers-csv-record.h"

#include "core/koers-csv-damage.h"
#include "core/koers-csv-record-private.h"
#include "core/koers-text.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  gsize offset;
  guint line;
  guint column;
} Value;

struct _KoersCsvRecord {
  guint      line;
  guint      n_values;
  Value     *values;
  char      *data;
  int        columns[KOERS_CSV_N_FIELDS];
  GPtrArray *warnings;
};

static gboolean
is_ascii (const char *s, gsize n)
{
  for (gsize i = 0; i < n; i++)
    if ((guchar) s[i] >= 0x80)
      return FALSE;
  return TRUE;
}

/* Appends @s normalised (NFC, white space trimmed) and a NUL. Most values are ASCII: trimming
 * is all they need, which keeps a million rows fast. */
static void
append_normalized (GString *out, const char *s, gsize n)
{
  if (is_ascii (s, n))
    {
      while (n > 0 && g_ascii_isspace (*s))
        s++, n--;
      while (n > 0 && g_ascii_isspace (s[n - 1]))
        n--;
      g_string_append_len (out, s, (gssize) n);
    }
  else
    {
      g_autofree char *nfc = koers_text_normalize (s);

      g_string_append (out, nfc);
    }
  g_string_append_c (out, '\0');
}

KoersCsvRecord *
koers_csv_record_new (guint                line,
                      guint                n_values,
                      const KoersCsvCell  *cells,
                      guint                n_cells,
                      const char          *data,
                      guint                end_line,
                      guint                end_column,
                      const KoersCsvField *mapping)
{
  KoersCsvRecord *record = g_new0 (KoersCsvRecord, 1);
  GString *buffer = g_string_sized_new (64);

  record->line = line;
  record->n_values = n_values;
  record->values = g_new (Value, MAX (n_values, 1));
  for (int f = 0; f < KOERS_CSV_N_FIELDS; f++)
    record->columns[f] = -1;
  for (guint i = 0; i < n_values; i++)
    {
      record->values[i].offset = buffer->len;
      if (i < n_cells)
        {
          record->values[i].line = cells[i].line;
          record->values[i].column = cells[i].column;
          append_normalized (buffer, data + cells[i].offset, cells[i].length);
        }
      else
        {
          record->values[i].line = end_line;
          record->values[i].column = end_column;
          g_string_append_c (buffer, '\0');
        }
      if (mapping[i] != KOERS_CSV_FIELD_NONE)
        record->columns[mapping[i]] = (int) i;
    }
  record->data = g_string_free (buffer, FALSE);
  return record;
}

void
koers_csv_record_add_warning (KoersCsvRecord *record, KoersCsvIssue *issue)
{
  if (record->warnings == NULL)
    record->warnings = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_csv_issue_free);
  g_ptr_array_add (record->warnings, issue);
}

void
koers_csv_record_free (KoersCsvRecord *record)
{
  if (record == NULL)
    return;
  g_clear_pointer (&record->warnings, g_ptr_array_unref);
  g_free (record->values);
  g_free (record->data);
  g_free (record);
}

guint
koers_csv_record_get_line (const KoersCsvRecord *record)
{
  g_return_val_if_fail (record != NULL, 0);

  return record->line;
}

guint
koers_csv_record_get_n_values (const KoersCsvRecord *record)
{
  g_return_val_if_fail (record != NULL, 0);

  return record->n_values;
}

const char *
koers_csv_record_get_value (const KoersCsvRecord *record, guint index)
{
  g_return_val_if_fail (record != NULL, NULL);
  g_return_val_if_fail (index < record->n_values, NULL);

  return record->data + record->values[index].offset;
}

guint
koers_csv_record_get_value_line (const KoersCsvRecord *record, guint index)
{
  g_return_val_if_fail (record != NULL, 0);
  g_return_val_if_fail (index < record->n_values, 0);

  return record->values[index].line;
}

guint
koers_csv_record_get_value_column (const KoersCsvRecord *record, guint index)
{
  g_return_val_if_fail (record != NULL, 0);
  g_return_val_if_fail (index < record->n_values, 0);

  return record->values[index].column;
}

int
koers_csv_record_get_field_index (const KoersCsvRecord *record, KoersCsvField field)
{
  g_return_val_if_fail (record != NULL, -1);
  g_return_val_if_fail (field < KOERS_CSV_N_FIELDS, -1);

  return field == KOERS_CSV_FIELD_NONE ? -1 : record->columns[field];
}

const char *
koers_csv_record_get_field (const KoersCsvRecord *record, KoersCsvField field)
{
  int index = koers_csv_record_get_field_index (record, field);

  return index < 0 ? NULL : koers_csv_record_get_value (record, (guint) index);
}

char *
koers_csv_record_dup_name (const KoersCsvRecord *record)
{
  static const KoersCsvField parts[] = {
    KOERS_CSV_FIELD_FIRST_NAME, KOERS_CSV_FIELD_NAME_PREFIX, KOERS_CSV_FIELD_LAST_NAME,
  };
  const char *full;
  GString *name;

  g_return_val_if_fail (record != NULL, NULL);

  full = koers_csv_record_get_field (record, KOERS_CSV_FIELD_FULL_NAME);
  if (full != NULL && *full != '\0')
    return g_strdup (full);
  name = g_string_new (NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      const char *part = koers_csv_record_get_field (record, parts[i]);

      if (part == NULL || *part == '\0')
        continue;
      if (name->len > 0)
        g_string_append_c (name, ' ');
      g_string_append (name, part);
    }
  return g_string_free (name, FALSE);
}

static int
parse_year (const char *value)
{
  if (value == NULL || strlen (value) != 4)
    return 0;
  for (int i = 0; i < 4; i++)
    if (!g_ascii_isdigit (value[i]))
      return 0;
  return atoi (value);
}

int
koers_csv_record_get_birth_year (const KoersCsvRecord *record)
{
  const char *date;
  g_autofree char *iso = NULL;
  int year;

  g_return_val_if_fail (record != NULL, 0);

  year = parse_year (koers_csv_record_get_field (record, KOERS_CSV_FIELD_BIRTH_YEAR));
  if (year != 0)
    return year;
  date = koers_csv_record_get_field (record, KOERS_CSV_FIELD_BIRTH_DATE);
  if (date == NULL)
    return 0;
  year = parse_year (date);
  if (year != 0)
    return year;
  if (koers_csv_parse_date (date, &iso, NULL))
    return atoi (iso);
  return 0;
}

guint
koers_csv_record_get_n_warnings (const KoersCsvRecord *record)
{
  g_return_val_if_fail (record != NULL, 0);

  return record->warnings != NULL ? record->warnings->len : 0;
}

const KoersCsvIssue *
koers_csv_record_get_warning (const KoersCsvRecord *record, guint index)
{
  g_return_val_if_fail (record != NULL, NULL);
  g_return_val_if_fail (index < koers_csv_record_get_n_warnings (record), NULL);

  return g_ptr_array_index (record->warnings, index);
}
