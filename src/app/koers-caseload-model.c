/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "app/koers-caseload-model.h"
#include "app/koers-caseload-model-audit.h"
#include "app/koers-caseload-model-private.h"
#include "app/koers-caseload-query-job.h"
#include "storage/koers-participant-repository.h"

/* Replaces of at least this many rows on both sides are sent as a removal and an insertion
 * (apply_rowids). */
#define SPLIT_REPLACE_MIN 256

static void koers_caseload_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KoersCaseloadModel, koers_caseload_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      koers_caseload_model_list_model_init))

enum {
  PROP_0,
  PROP_STORE,
  PROP_FIRST_ROWS,
  PROP_SORT,
  PROP_DESCENDING,
  PROP_N_ITEMS,
  PROP_N_MATCHES,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void start_query (KoersCaseloadModel *self);

/* --- query ------------------------------------------------------------------------------ */

/* Keeps @rowids as the list of @query (which has no search), so the keystrokes of a search
 * under the same filters and sort start from it (koers-caseload-query-job.h). */
static void
set_base (KoersCaseloadModel       *self,
          GArray                   *rowids,
          const KoersCaseloadQuery *query)
{
  g_clear_pointer (&self->base, g_array_unref);
  self->base = rowids != NULL ? g_array_ref (rowids) : NULL;
  koers_caseload_query_copy (&self->base_query, query);
}

void
koers_caseload_model_set_loading (KoersCaseloadModel *self,
                                  gboolean            loading)
{
  if (self->loading == !!loading)
    return;

  self->loading = !!loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

void
koers_caseload_model_set_n_matches (KoersCaseloadModel *self,
                                    guint               n_matches)
{
  if (self->n_matches == n_matches)
    return;

  self->n_matches = n_matches;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_MATCHES]);
}

void
koers_caseload_model_notify_n_items (KoersCaseloadModel *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
apply_rowids (KoersCaseloadModel *self,
              GArray             *rowids,
              GArray             *refreshed_ids,
              GPtrArray          *refreshed_rows)
{
  g_autoptr(GHashTable) changed = NULL;
  g_autoptr(GArray) old = NULL;
  guint old_len = self->rowids->len;
  guint new_len = rowids->len;
  guint common = MIN (old_len, new_len);
  guint prefix = 0;
  guint suffix = 0;
  guint removed;
  guint added;

  /* A list still being shown in steps is superseded: this one is compared with what shows,
   * and goes on in steps (a sync's last refresh often lands right after the release's). */
  if (self->fill_target != NULL)
    self->fill_in_steps = TRUE;
  koers_caseload_model_fill_stop (self);

  if (self->refresh_rows)
    {
      changed = koers_caseload_model_cache_refresh (self, refreshed_ids, refreshed_rows);
      self->refresh_rows = FALSE;
    }
  else if (g_hash_table_size (self->rows) > KOERS_CASELOAD_CACHE_SOFT_LIMIT)
    {
      koers_caseload_model_cache_evict_unused (self);
    }

  while (prefix < common &&
         g_array_index (self->rowids, gint64, prefix) == g_array_index (rowids, gint64, prefix))
    prefix++;
  while (suffix < common - prefix &&
         g_array_index (self->rowids, gint64, old_len - 1 - suffix) ==
         g_array_index (rowids, gint64, new_len - 1 - suffix))
    suffix++;

  removed = old_len - prefix - suffix;
  added = new_len - prefix - suffix;

  if (koers_caseload_model_fill_wanted (self, prefix, new_len))
    {
      /* After a hold: the rows GTK would make widgets for all at once come a step a frame
       * (koers-caseload-model-fill.c); everything after the kept rows is replaced. */
      self->fill_in_steps = FALSE;
      self->partial = FALSE;
      koers_caseload_model_fill_start (self, rowids, prefix);
      koers_caseload_model_set_n_matches (self, new_len);
      if (changed != NULL)
        for (guint i = 0; i < prefix; i++)
          if (g_hash_table_contains (changed, &g_array_index (rowids, gint64, i)))
            g_list_model_items_changed (G_LIST_MODEL (self), i, 1, 1);
      return;
    }
  self->fill_in_steps = FALSE;

  old = g_steal_pointer (&self->rowids);
  if (removed >= SPLIT_REPLACE_MIN && added >= SPLIT_REPLACE_MIN)
    {
      /* A large replace (a sync brought rows all through the order) goes out as a removal,
       * then an insertion. As one replace, GTK 4.8's list view looks through every added
       * item for the removed rows' widgets, and each look reads a row page from SQLite on
       * this thread: 100-300 ms at 20,000 rows. The model holds the list in between. */
      GArray *between = g_array_sized_new (FALSE, FALSE, sizeof (gint64), prefix + suffix);

      g_array_append_vals (between, rowids->data, prefix);
      g_array_append_vals (between, &g_array_index (rowids, gint64, new_len - suffix), suffix);
      self->rowids = between;
      g_list_model_items_changed (G_LIST_MODEL (self), prefix, removed, 0);
      g_array_unref (g_steal_pointer (&self->rowids));
      self->rowids = g_array_ref (rowids);
      g_list_model_items_changed (G_LIST_MODEL (self), prefix, 0, added);
    }
  else
    {
      self->rowids = g_array_ref (rowids);
      if (removed > 0 || added > 0)
        g_list_model_items_changed (G_LIST_MODEL (self), prefix, removed, added);
    }

  /* Lines outside the moved range keep their place but may show new content. */
  if (changed != NULL && g_hash_table_size (changed) > 0)
    {
      for (guint i = 0; i < new_len; i++)
        {
          if (i == prefix)
            i = new_len - suffix;
          if (i >= new_len)
            break;
          if (g_hash_table_contains (changed, &g_array_index (rowids, gint64, i)))
            g_list_model_items_changed (G_LIST_MODEL (self), i, 1, 1);
        }
    }

  self->partial = FALSE;
  if (old_len != new_len)
    koers_caseload_model_notify_n_items (self);
  koers_caseload_model_set_n_matches (self, new_len);
}

static void
query_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(KoersCaseloadModel) self = user_data;
  KoersCaseloadQueryResult *done = NULL;
  g_autoptr(GError) error = NULL;

  done = koers_store_run_finish (KOERS_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* a newer query is on its way */

  g_clear_object (&self->cancellable);
  self->counting = FALSE;

  if (error != NULL)
    g_warning ("Could not query the caseload: %s", error->message);
  else if (done->first_only)
    {
      koers_caseload_model_apply_count (self, done->rowids, done->n_matches);
      koers_caseload_query_result_free (done);
    }
  else
    {
      set_base (self, done->base, &done->base_query);
      apply_rowids (self, done->rowids, done->refreshed_ids, done->refreshed_rows);
      koers_caseload_query_result_free (done);
    }

  /* A list shown in steps is loading until its last step. */
  if (self->fill_target == NULL)
    koers_caseload_model_set_loading (self, FALSE);
  koers_caseload_search_audit_schedule (self->audit, self->query.search);
}

/* A new query supersedes the one in flight: the worker skips a cancelled job, so a burst of
 * keystrokes costs one query, not one per key. */
static void
run_query (KoersCaseloadModel *self,
           gboolean            count_only)
{
  KoersCaseloadQueryJob *job;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->counting = !!count_only;
  koers_caseload_search_audit_cancel (self->audit);

  job = koers_caseload_query_job_new (&self->query, self->base, &self->base_query);
  /* A held model counts; an empty one also shows a screenful (the page's first rows, or as
   * many as a tall window shows). */
  if (count_only)
    job->first_only = self->first_rows > 0 ? self->first_rows : 40;
  /* Read again on the worker with the list: 12-45 ms of SQLite a step of a large sync. */
  else if (self->refresh_rows)
    job->refresh = koers_caseload_model_cache_keys (self);
  koers_caseload_model_set_loading (self, TRUE);
  koers_store_run_async (self->store, koers_caseload_query_job_run, job,
                         koers_caseload_query_job_free, koers_caseload_query_result_free, NULL,
                         self->cancellable, query_done, g_object_ref (self));
}

static void
start_query (KoersCaseloadModel *self)
{
  run_query (self, FALSE);
}

/* The first list is read on this thread through the reader, before the window's first frame:
 * one indexed read of rowids (about 2 ms at 10,000 participants), after which the caseload is
 * painted once, populated, instead of empty and then again a worker round trip later. */
static void
load_first_list (KoersCaseloadModel *self)
{
  g_autoptr(GError) error = NULL;
  GArray *rowids;

  rowids = koers_participant_repository_query_rowids (koers_store_get_reader (self->store),
                                                      &self->query, &error);
  if (rowids == NULL)
    {
      g_warning ("Could not read the caseload, asking the worker: %s", error->message);
      start_query (self);
      return;
    }
  g_array_unref (self->rowids);
  self->rowids = rowids;
  self->n_matches = rowids->len;
  set_base (self, rowids, &self->query);
}

/* The first screenful only, with the number of matches: at 100,000 participants reading every
 * rowid takes tens of milliseconds, and GTK 4.8's list view makes, binds and sizes a row of
 * widgets for each of the first ~200 items before its first frame, whatever fits on screen
 * (about 0.9 ms a row here). koers_caseload_model_load_rest() reads the rest on the worker once
 * the first frame is out; until then the model is "loading" with its true count in
 * "n-matches". */
static void
load_first_rows (KoersCaseloadModel *self)
{
  g_autoptr(GError) error = NULL;
  GArray *rowids;
  guint total = 0;

  rowids = koers_participant_repository_query_first_rowids (koers_store_get_reader (self->store),
                                                            &self->query, self->first_rows,
                                                            &total, &error);
  if (rowids == NULL)
    {
      g_warning ("Could not read the caseload, asking the worker: %s", error->message);
      start_query (self);
      return;
    }
  g_array_unref (self->rowids);
  self->rowids = rowids;
  self->n_matches = total;
  if (total > rowids->len)
    {
      self->partial = TRUE;
      self->loading = TRUE;
    }
}

static void
store_changed_cb (KoersCaseloadModel *self,
                  const char         *what,
                  KoersStore         *store)
{
  self->refresh_rows = TRUE;
  g_clear_pointer (&self->base, g_array_unref);
  /* Held: a count, unless a list the coach asked for (a search, a filter) is on its way; the
   * release reads everything again anyway. */
  if (self->held)
    {
      if (self->cancellable == NULL || self->counting)
        run_query (self, TRUE);
      return;
    }
  start_query (self);
}

/* --- GListModel ------------------------------------------------------------------------- */

static GType
koers_caseload_model_get_item_type (GListModel *model)
{
  return KOERS_TYPE_CASELOAD_ROW;
}

static guint
koers_caseload_model_get_n_items (GListModel *model)
{
  return KOERS_CASELOAD_MODEL (model)->rowids->len;
}

static gpointer
koers_caseload_model_get_item (GListModel *model,
                               guint       position)
{
  KoersCaseloadModel *self = KOERS_CASELOAD_MODEL (model);
  KoersCaseloadRow *row;
  gint64 rowid;

  if (position >= self->rowids->len)
    return NULL;

  rowid = g_array_index (self->rowids, gint64, position);
  row = g_hash_table_lookup (self->rows, &rowid);
  if (row == NULL)
    {
      koers_caseload_model_load_page (self, position);
      row = g_hash_table_lookup (self->rows, &rowid);
    }
  g_assert (row != NULL);
  return g_object_ref (row);
}

static void
koers_caseload_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = koers_caseload_model_get_item_type;
  iface->get_n_items = koers_caseload_model_get_n_items;
  iface->get_item = koers_caseload_model_get_item;
}

/* --- GObject ---------------------------------------------------------------------------- */

static void
koers_caseload_model_constructed (GObject *object)
{
  KoersCaseloadModel *self = KOERS_CASELOAD_MODEL (object);

  G_OBJECT_CLASS (koers_caseload_model_parent_class)->constructed (object);

  g_assert (self->store != NULL);
  self->audit = koers_caseload_search_audit_new (self->store);
  g_signal_connect_object (self->store, "changed::participants",
                           G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "changed::notes",
                           G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "changed::activities",
                           G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "changed::coaches",
                           G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
  if (self->first_rows > 0)
    load_first_rows (self);
  else
    load_first_list (self);
}

static void
koers_caseload_model_dispose (GObject *object)
{
  KoersCaseloadModel *self = KOERS_CASELOAD_MODEL (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  koers_caseload_model_fill_stop (self);
  g_clear_pointer (&self->audit, koers_caseload_search_audit_free);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (koers_caseload_model_parent_class)->dispose (object);
}

static void
koers_caseload_model_finalize (GObject *object)
{
  KoersCaseloadModel *self = KOERS_CASELOAD_MODEL (object);

  koers_caseload_query_clear (&self->query);
  koers_caseload_query_clear (&self->base_query);
  g_clear_pointer (&self->base, g_array_unref);
  g_clear_pointer (&self->rowids, g_array_unref);
  g_clear_pointer (&self->rows, g_hash_table_unref);

  G_OBJECT_CLASS (koers_caseload_model_parent_class)->finalize (object);
}

static void
koers_caseload_model_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  KoersCaseloadModel *self = KOERS_CASELOAD_MODEL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_FIRST_ROWS:
      g_value_set_uint (value, self->first_rows);
      break;
    case PROP_SORT:
      g_value_set_uint (value, self->query.sort);
      break;
    case PROP_DESCENDING:
      g_value_set_boolean (value, self->query.descending);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->rowids->len);
      break;
    case PROP_N_MATCHES:
      g_value_set_uint (value, self->n_matches);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_caseload_model_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  KoersCaseloadModel *self = KOERS_CASELOAD_MODEL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_FIRST_ROWS:
      self->first_rows = g_value_get_uint (value);
      break;
    case PROP_SORT:
      self->query.sort = (KoersCaseloadSort) g_value_get_uint (value);
      break;
    case PROP_DESCENDING:
      self->query.descending = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_caseload_model_class_init (KoersCaseloadModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = koers_caseload_model_constructed;
  object_class->dispose = koers_caseload_model_dispose;
  object_class->finalize = koers_caseload_model_finalize;
  object_class->get_property = koers_caseload_model_get_property;
  object_class->set_property = koers_caseload_model_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, KOERS_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FIRST_ROWS] =
    g_param_spec_uint ("first-rows", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* The first list's order (a KoersCaseloadSort); koers_caseload_model_set_sort() changes it
   * later. */
  properties[PROP_SORT] =
    g_param_spec_uint ("sort", NULL, NULL, KOERS_CASELOAD_SORT_NAME,
                       KOERS_CASELOAD_SORT_NEXT_ACTION, KOERS_CASELOAD_SORT_NAME,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DESCENDING] =
    g_param_spec_boolean ("descending", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_MATCHES] =
    g_param_spec_uint ("n-matches", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
koers_caseload_model_init (KoersCaseloadModel *self)
{
  koers_caseload_query_init (&self->query);
  koers_caseload_query_init (&self->base_query);
  self->rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->rows = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
}

KoersCaseloadModel *
koers_caseload_model_new (KoersStore *store)
{
  g_return_val_if_fail (KOERS_IS_STORE (store), NULL);

  return g_object_new (KOERS_TYPE_CASELOAD_MODEL, "store", store, NULL);
}

KoersCaseloadModel *
koers_caseload_model_new_first_rows (KoersStore        *store,
                                     guint              first_rows,
                                     KoersCaseloadSort  sort,
                                     gboolean           descending)
{
  g_return_val_if_fail (KOERS_IS_STORE (store), NULL);
  g_return_val_if_fail (first_rows > 0, NULL);
  g_return_val_if_fail (sort <= KOERS_CASELOAD_SORT_NEXT_ACTION, NULL);

  return g_object_new (KOERS_TYPE_CASELOAD_MODEL, "store", store, "first-rows", first_rows,
                       "sort", (guint) sort, "descending", !!descending, NULL);
}

void
koers_caseload_model_load_rest (KoersCaseloadModel *self)
{
  g_return_if_fail (KOERS_IS_CASELOAD_MODEL (self));

  /* A query in flight (a search typed meanwhile, a write) reads the whole list anyway. */
  if (!self->partial || self->cancellable != NULL)
    return;
  start_query (self);
}

guint
koers_caseload_model_get_n_matches (KoersCaseloadModel *self)
{
  g_return_val_if_fail (KOERS_IS_CASELOAD_MODEL (self), 0);

  return self->n_matches;
}

KoersStore *
koers_caseload_model_get_store (KoersCaseloadModel *self)
{
  g_return_val_if_fail (KOERS_IS_CASELOAD_MODEL (self), NULL);

  return self->store;
}

const KoersCaseloadQuery *
koers_caseload_model_get_query (KoersCaseloadModel *self)
{
  g_return_val_if_fail (KOERS_IS_CASELOAD_MODEL (self), NULL);

  return &self->query;
}

void
koers_caseload_model_set_query (KoersCaseloadModel       *self,
                                const KoersCaseloadQuery *query)
{
  g_return_if_fail (KOERS_IS_CASELOAD_MODEL (self));
  g_return_if_fail (query != NULL);

  if (koers_caseload_query_equal (&self->query, query))
    return;

  koers_caseload_query_copy (&self->query, query);
  start_query (self);
}

void
koers_caseload_model_set_search (KoersCaseloadModel *self,
                                 const char         *search)
{
  KoersCaseloadQuery query;

  g_return_if_fail (KOERS_IS_CASELOAD_MODEL (self));

  koers_caseload_query_init (&query);
  koers_caseload_query_copy (&query, &self->query);
  g_free (query.search);
  query.search = g_strdup (search);
  koers_caseload_model_set_query (self, &query);
  koers_caseload_query_clear (&query);
}

void
koers_caseload_model_set_sort (KoersCaseloadModel *self,
                               KoersCaseloadSort   sort,
                               gboolean            descending)
{
  KoersCaseloadQuery query;

  g_return_if_fail (KOERS_IS_CASELOAD_MODEL (self));

  koers_caseload_query_init (&query);
  koers_caseload_query_copy (&query, &self->query);
  query.sort = sort;
  query.descending = !!descending;
  koers_caseload_model_set_query (self, &query);
  koers_caseload_query_clear (&query);
}

void
koers_caseload_model_requery (KoersCaseloadModel *self)
{
  g_return_if_fail (KOERS_IS_CASELOAD_MODEL (self));

  self->refresh_rows = TRUE;
  g_clear_pointer (&self->base, g_array_unref);
  start_query (self);
}

gboolean
koers_caseload_model_get_loading (KoersCaseloadModel *self)
{
  g_return_val_if_fail (KOERS_IS_CASELOAD_MODEL (self), FALSE);

  return self->loading;
}
