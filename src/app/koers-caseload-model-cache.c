/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The caseload model's rows: read from disk a page at a time when the view asks for one, kept
 * while the view may still show them, and read again after a write (only those that changed
 * are announced). See koers-caseload-model-private.h.
 */
#include "config.h"

#include "app/koers-caseload-model-private.h"

#include "storage/koers-participant-repository.h"

static void
cache_insert (KoersCaseloadModel *self,
              gint64              rowid,
              KoersCaseloadRow   *row)
{
  gint64 *key = g_new (gint64, 1);

  *key = rowid;
  g_hash_table_replace (self->rows, key, g_object_ref (row));
}

static KoersCaseloadRow *
placeholder_row (gint64 rowid)
{
  return koers_caseload_row_new (rowid, "", "", 0, 0, 0, NULL, NULL);
}

void
koers_caseload_model_load_page (KoersCaseloadModel *self,
                                guint               position)
{
  guint start = position - position % KOERS_CASELOAD_PAGE_SIZE;
  guint end = MIN (start + KOERS_CASELOAD_PAGE_SIZE, self->rowids->len);
  g_autoptr(GArray) missing = g_array_sized_new (FALSE, FALSE, sizeof (gint64), KOERS_CASELOAD_PAGE_SIZE);
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = start; i < end; i++)
    {
      gint64 rowid = g_array_index (self->rowids, gint64, i);

      if (!g_hash_table_contains (self->rows, &rowid))
        g_array_append_val (missing, rowid);
    }

  loaded = koers_participant_repository_load_rows (koers_store_get_reader (self->store),
                                                   (const gint64 *) missing->data, missing->len,
                                                   &error);
  for (guint i = 0; i < missing->len; i++)
    {
      gint64 rowid = g_array_index (missing, gint64, i);

      if (loaded != NULL && i < loaded->len)
        {
          cache_insert (self, rowid, g_ptr_array_index (loaded, i));
        }
      else
        {
          g_autoptr(KoersCaseloadRow) row = placeholder_row (rowid);

          cache_insert (self, rowid, row);
        }
    }

  if (error != NULL)
    g_warning ("Could not read caseload rows: %s", error->message);
}

void
koers_caseload_model_cache_evict_unused (KoersCaseloadModel *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      if (G_OBJECT (value)->ref_count == 1)
        g_hash_table_iter_remove (&iter);
    }
}

static gboolean
rows_equal (KoersCaseloadRow *a,
            KoersCaseloadRow *b)
{
  return g_strcmp0 (koers_caseload_row_get_id (a), koers_caseload_row_get_id (b)) == 0 &&
         g_strcmp0 (koers_caseload_row_get_name (a), koers_caseload_row_get_name (b)) == 0 &&
         koers_caseload_row_get_municipality (a) == koers_caseload_row_get_municipality (b) &&
         koers_caseload_row_get_target_group (a) == koers_caseload_row_get_target_group (b) &&
         koers_caseload_row_get_status (a) == koers_caseload_row_get_status (b) &&
         g_strcmp0 (koers_caseload_row_get_coach_name (a),
                    koers_caseload_row_get_coach_name (b)) == 0 &&
         g_strcmp0 (koers_caseload_row_get_next_action_date (a),
                    koers_caseload_row_get_next_action_date (b)) == 0;
}

GArray *
koers_caseload_model_cache_keys (KoersCaseloadModel *self)
{
  GArray *keys;
  GHashTableIter iter;
  gpointer key;

  koers_caseload_model_cache_evict_unused (self);
  keys = g_array_sized_new (FALSE, FALSE, sizeof (gint64), g_hash_table_size (self->rows));
  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_array_append_val (keys, *(gint64 *) key);
  return keys;
}

/* Takes rows read again into the cache; adds the rowids whose content changed to @changed. */
static void
cache_take (KoersCaseloadModel *self,
            const gint64       *ids,
            GPtrArray          *rows,
            guint               n,
            GHashTable         *changed)
{
  for (guint i = 0; i < n && i < rows->len; i++)
    {
      KoersCaseloadRow *old = g_hash_table_lookup (self->rows, &ids[i]);
      KoersCaseloadRow *row = g_ptr_array_index (rows, i);

      if (old != NULL && rows_equal (old, row))
        continue;

      cache_insert (self, ids[i], row);
      g_hash_table_add (changed, g_memdup2 (&ids[i], sizeof (gint64)));
    }
}

GHashTable *
koers_caseload_model_cache_refresh (KoersCaseloadModel *self,
                                    GArray             *ids,
                                    GPtrArray          *rows)
{
  g_autoptr(GHashTable) changed = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                                          g_free, NULL);
  g_autoptr(GArray) keys = NULL;

  if (ids != NULL && rows != NULL)
    {
      cache_take (self, (const gint64 *) ids->data, rows, ids->len, changed);
      return g_steal_pointer (&changed);
    }

  keys = koers_caseload_model_cache_keys (self);
  for (guint start = 0; start < keys->len; start += KOERS_CASELOAD_PAGE_SIZE)
    {
      guint n = MIN (KOERS_CASELOAD_PAGE_SIZE, keys->len - start);
      const gint64 *page = &g_array_index (keys, gint64, start);
      g_autoptr(GPtrArray) loaded = NULL;
      g_autoptr(GError) error = NULL;

      loaded = koers_participant_repository_load_rows (koers_store_get_reader (self->store),
                                                       page, n, &error);
      if (loaded == NULL)
        {
          g_warning ("Could not re-read caseload rows: %s", error->message);
          break;
        }
      cache_take (self, page, loaded, n, changed);
    }

  return g_steal_pointer (&changed);
}
