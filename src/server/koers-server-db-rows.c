/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The rows a query returns (KoersSqlRows), filled by either back end and read the same way:
 * integers as integers, everything else as text.
 */
#include "config.h"

#include "server/koers-server-db.h"
#include "server/koers-server-db-private.h"

/* One cell of a result. Texts live in the rows' string chunk, so a result is a handful of
 * allocations however many cells it has. */
typedef struct {
  KoersSqlType  type;
  gint64        i;
  const char   *s;   /* KOERS_SQL_TEXT; for KOERS_SQL_INT filled on the first get_text() */
} Cell;

struct _KoersSqlRows
{
  guint           n_columns;
  GArray         *cells;   /* Cell, row after row */
  GStringChunk   *texts;
  gpointer        kept;    /* (nullable) what borrowed texts point into */
  GDestroyNotify  kept_free;
};

KoersSqlRows *
koers_sql_rows_new (guint n_columns)
{
  KoersSqlRows *rows = g_new0 (KoersSqlRows, 1);

  rows->n_columns = n_columns;
  rows->cells = g_array_new (FALSE, FALSE, sizeof (Cell));
  /* Chunks of 8 KiB: at 512 bytes a feed page (500 rows, ~200 KB of text) took a malloc and
   * a free for every row or two. */
  rows->texts = g_string_chunk_new (8192);
  return rows;
}

void
koers_sql_rows_add_null (KoersSqlRows *rows)
{
  Cell cell = { KOERS_SQL_NULL, 0, NULL };

  g_array_append_val (rows->cells, cell);
}

void
koers_sql_rows_add_int (KoersSqlRows *rows, gint64 value)
{
  Cell cell = { KOERS_SQL_INT, value, NULL };

  g_array_append_val (rows->cells, cell);
}

void
koers_sql_rows_add_text (KoersSqlRows *rows, const char *value, gsize length)
{
  Cell cell = { KOERS_SQL_TEXT, 0, NULL };

  cell.s = g_string_chunk_insert_len (rows->texts, value, (gssize) length);
  g_array_append_val (rows->cells, cell);
}

/* GArray has no reserve: grown and shrunk again, it keeps the room. */
void
koers_sql_rows_reserve (KoersSqlRows *rows, guint n_rows)
{
  g_array_set_size (rows->cells, rows->cells->len + n_rows * rows->n_columns);
  g_array_set_size (rows->cells, rows->cells->len - n_rows * rows->n_columns);
}

void
koers_sql_rows_add_borrowed_text (KoersSqlRows *rows, const char *value)
{
  Cell cell = { KOERS_SQL_TEXT, 0, value };

  g_array_append_val (rows->cells, cell);
}

void
koers_sql_rows_keep (KoersSqlRows *rows, gpointer data, GDestroyNotify free_func)
{
  g_assert (rows->kept == NULL);
  rows->kept = data;
  rows->kept_free = free_func;
}

guint
koers_sql_rows_get_n_rows (KoersSqlRows *rows)
{
  g_return_val_if_fail (rows != NULL, 0);

  return rows->n_columns == 0 ? 0 : rows->cells->len / rows->n_columns;
}

guint
koers_sql_rows_get_n_columns (KoersSqlRows *rows)
{
  g_return_val_if_fail (rows != NULL, 0);

  return rows->n_columns;
}

static Cell *
get_cell (KoersSqlRows *rows, guint row, guint column)
{
  g_return_val_if_fail (rows != NULL, NULL);
  g_return_val_if_fail (column < rows->n_columns, NULL);
  g_return_val_if_fail ((gsize) row * rows->n_columns + column < rows->cells->len, NULL);

  return &g_array_index (rows->cells, Cell, row * rows->n_columns + column);
}

gboolean
koers_sql_rows_is_null (KoersSqlRows *rows, guint row, guint column)
{
  Cell *cell = get_cell (rows, row, column);

  return cell == NULL || cell->type == KOERS_SQL_NULL;
}

const char *
koers_sql_rows_get_text (KoersSqlRows *rows, guint row, guint column)
{
  Cell *cell = get_cell (rows, row, column);

  if (cell == NULL || cell->type == KOERS_SQL_NULL)
    return NULL;
  if (cell->type == KOERS_SQL_INT && cell->s == NULL)
    {
      char buffer[32];

      g_snprintf (buffer, sizeof buffer, "%" G_GINT64_FORMAT, cell->i);
      cell->s = g_string_chunk_insert (rows->texts, buffer);
    }
  return cell->s;
}

/* Text that is not a whole integer reads as 0, as SQL NULL does. */
gint64
koers_sql_rows_get_int (KoersSqlRows *rows, guint row, guint column)
{
  Cell *cell = get_cell (rows, row, column);
  gint64 value = 0;

  if (cell == NULL || cell->type == KOERS_SQL_NULL)
    return 0;
  if (cell->type == KOERS_SQL_INT)
    return cell->i;
  if (!g_ascii_string_to_signed (cell->s, 10, G_MININT64, G_MAXINT64, &value, NULL))
    return 0;
  return value;
}

void
koers_sql_rows_free (KoersSqlRows *rows)
{
  if (rows == NULL)
    return;
  g_array_unref (rows->cells);
  g_string_chunk_free (rows->texts);
  if (rows->kept != NULL)
    rows->kept_free (rows->kept);
  g_free (rows);
}
