/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The caseload model's gentle side: a list shown a step at a time, and the hold a first sync
 * puts on the rows in the window.
 *
 * GTK 4.8's list and column views make, bind and size a row of widgets for each of the first
 * ~200 items as soon as they are added, all in one go: 80-100 ms on the main thread at six
 * columns (bench-sync-window, docs/performance.md), a frame the coach sees stutter. Items past
 * those ~200 get no widgets until scrolled to, so they cost nothing to add. A list shown in
 * steps therefore adds FILL_STEP rows a frame until FILL_WINDOW are shown, then the rest at
 * once, and the rows it replaces (a held screenful) go as many a frame, from the top: a wipe
 * of a few frames rather than one frozen one. The count ("n-matches") is the whole list's from
 * the first step, and the model stays "loading" until the last.
 */
#include "config.h"

#include "app/koers-caseload-model-private.h"

/* Rows added (and as many old ones taken away) a step: 0.5-1.5 ms each to make, bind and size
 * or to unmake on a loaded two-core machine, so a step stays well inside a 16 ms frame with the
 * frame's own work. */
#define FILL_STEP 4
/* GTK 4.8's list view keeps widgets for this many items around its anchor
 * (GTK_LIST_VIEW_MAX_LIST_ITEMS); rows after them are added in one step. */
#define FILL_WINDOW 200
/* About one step a frame at 60 Hz; at idle priority, so a due frame is drawn first. */
#define FILL_INTERVAL_MS 16

/* One step: @add more rows of the target after the @shown ones already there, in place of
 * @removed of the old rows still shown after them, in one items-changed. */
static void
step (KoersCaseloadModel *self,
      guint               removed,
      guint               add)
{
  GArray *target = self->fill_target;
  guint shown = self->fill_shown;
  guint old_len = self->rowids->len;
  guint rest = old_len - shown - removed;
  GArray *rowids;

  g_assert (shown + removed <= old_len && shown + add <= target->len);
  if (shown + add == target->len && rest == 0)
    rowids = g_array_ref (target);
  else
    {
      rowids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), shown + add + rest);
      g_array_append_vals (rowids, target->data, shown + add);
      g_array_append_vals (rowids, &g_array_index (self->rowids, gint64, shown + removed), rest);
    }
  g_array_unref (self->rowids);
  self->rowids = rowids;
  self->fill_shown = shown + add;
  if (removed > 0 || add > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), shown, removed, add);
  if (old_len != rowids->len)
    koers_caseload_model_notify_n_items (self);
}

/* How many old rows the next step takes away along with the new rows it adds: as many (the
 * rows on screen are replaced in place, a few a frame, as GTK 4.8 takes 0.5-1.5 ms to unmake
 * each), or all of them once the new rows are all there or fill the widget window, or all at
 * the start when some old row would show twice meanwhile. */
static guint
old_rows_to_remove (KoersCaseloadModel *self,
                    guint               add)
{
  guint old_left = self->rowids->len - self->fill_shown;

  if (add == 0 || self->fill_shown + add >= FILL_WINDOW || self->fill_all_old)
    return old_left;
  return MIN (add, old_left);
}

static gboolean
fill_done (KoersCaseloadModel *self)
{
  return self->fill_shown == self->fill_target->len && self->rowids->len == self->fill_shown;
}

static gboolean
fill_step_cb (gpointer data)
{
  KoersCaseloadModel *self = data;
  guint left = self->fill_target->len - self->fill_shown;
  guint add = self->fill_shown + FILL_STEP >= FILL_WINDOW ? left : MIN (FILL_STEP, left);

  step (self, old_rows_to_remove (self, add), add);
  if (!fill_done (self))
    return G_SOURCE_CONTINUE;

  self->fill_source = 0;
  g_clear_pointer (&self->fill_target, g_array_unref);
  if (self->cancellable == NULL)
    koers_caseload_model_set_loading (self, FALSE);
  return G_SOURCE_REMOVE;
}

/* Whether an old row after @prefix is also among the new rows that would show before it goes
 * (the same row twice in the list for a frame or two). */
static gboolean
old_row_comes_back (KoersCaseloadModel *self,
                    GArray             *rowids,
                    guint               prefix)
{
  guint old_left = self->rowids->len - prefix;
  g_autoptr(GHashTable) old = g_hash_table_new (g_int64_hash, g_int64_equal);
  guint end = MIN (rowids->len, prefix + old_left + FILL_STEP);

  for (guint i = prefix; i < self->rowids->len; i++)
    g_hash_table_add (old, &g_array_index (self->rowids, gint64, i));
  for (guint i = prefix; i < end; i++)
    if (g_hash_table_contains (old, &g_array_index (rowids, gint64, i)))
      return TRUE;
  return FALSE;
}

gboolean
koers_caseload_model_fill_wanted (KoersCaseloadModel *self,
                                  guint               prefix,
                                  guint               new_len)
{
  return self->fill_in_steps && prefix < FILL_WINDOW && new_len - prefix > FILL_STEP;
}

void
koers_caseload_model_fill_start (KoersCaseloadModel *self,
                                 GArray             *rowids,
                                 guint               prefix)
{
  koers_caseload_model_fill_stop (self);
  self->fill_target = g_array_ref (rowids);
  self->fill_shown = prefix;
  /* A long old list (past the rows with widgets) or one whose rows come back goes at once. */
  self->fill_all_old = self->rowids->len - prefix > FILL_WINDOW
                       || old_row_comes_back (self, rowids, prefix);
  /* Even the first step waits for a frame: the count changes now, and an empty caseload's
   * list (header, columns) is shown and styled for the first time in a frame of its own. */
  self->fill_source = g_timeout_add_full (G_PRIORITY_DEFAULT_IDLE, FILL_INTERVAL_MS,
                                          fill_step_cb, self, NULL);
}

void
koers_caseload_model_fill_stop (KoersCaseloadModel *self)
{
  g_clear_handle_id (&self->fill_source, g_source_remove);
  g_clear_pointer (&self->fill_target, g_array_unref);
}

/* A held model's count arrived: the count is the truth now; the rows stay as they are, but a
 * list shorter than a screenful shows the first rows (the first page a first sync brought):
 * at most a screenful of widgets, made a step a frame. */
void
koers_caseload_model_apply_count (KoersCaseloadModel *self,
                                  GArray             *first,
                                  guint               n_matches)
{
  guint shown = self->fill_target != NULL ? self->fill_target->len : self->rowids->len;

  if (shown < first->len)
    {
      guint prefix = 0;

      while (prefix < self->rowids->len
             && g_array_index (self->rowids, gint64, prefix) == g_array_index (first, gint64,
                                                                                prefix))
        prefix++;
      koers_caseload_model_fill_start (self, first, prefix);
    }
  if (n_matches > self->rowids->len)
    self->partial = TRUE;
  koers_caseload_model_set_n_matches (self, n_matches);
}

/**
 * koers_caseload_model_set_held:
 *
 * While a first sync brings the caseload, every few seconds of it would replace the rows on
 * screen (new participants land all through the order): at 100,000 rows GTK 4.8 then makes
 * ~200 row widgets again, 100-150 ms of a frozen window each time. A held model leaves its
 * rows alone and only counts the matches again on each change; an empty one shows its first
 * screenful. Released, it reads the whole list and shows it in steps.
 */
void
koers_caseload_model_set_held (KoersCaseloadModel *self,
                               gboolean            held)
{
  g_return_if_fail (KOERS_IS_CASELOAD_MODEL (self));

  if (self->held == !!held)
    return;
  self->held = !!held;
  if (held)
    return;

  /* Whatever arrived while held (and any write meanwhile) shows now, whole, in steps. */
  self->fill_in_steps = TRUE;
  koers_caseload_model_requery (self);
}

gboolean
koers_caseload_model_get_held (KoersCaseloadModel *self)
{
  g_return_val_if_fail (KOERS_IS_CASELOAD_MODEL (self), FALSE);

  return self->held;
}
