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
 * once; the count ("n-matches") is the whole list's from the first step, and the model stays
 * "loading" until the last.
 */
#include "config.h"

#include "app/koers-caseload-model-private.h"

/* Rows added a step: ~0.5-0.9 ms each to make, bind and size, so a step stays well inside a
 * 16 ms frame with the frame's own work. */
#define FILL_STEP 8
/* GTK 4.8's list view keeps widgets for this many items around its anchor
 * (GTK_LIST_VIEW_MAX_LIST_ITEMS); rows after them are added in one step. */
#define FILL_WINDOW 200
/* About one step a frame at 60 Hz; at idle priority, so a due frame is drawn first. */
#define FILL_INTERVAL_MS 16

/* Shows the first @n rows of the target (n <= target's length) in place of the rows after
 * @from, in one items-changed. */
static void
show_upto (KoersCaseloadModel *self,
           guint               from,
           guint               n)
{
  GArray *target = self->fill_target;
  guint removed = self->rowids->len - from;
  guint old_len = self->rowids->len;

  g_assert (from <= self->rowids->len && from <= n && n <= target->len);
  g_array_unref (self->rowids);
  if (n == target->len)
    self->rowids = g_array_ref (target);
  else
    {
      self->rowids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);
      g_array_append_vals (self->rowids, target->data, n);
    }
  if (removed > 0 || n > from)
    g_list_model_items_changed (G_LIST_MODEL (self), from, removed, n - from);
  if (old_len != n)
    koers_caseload_model_notify_n_items (self);
}

static gboolean
fill_step_cb (gpointer data)
{
  KoersCaseloadModel *self = data;
  guint shown = self->rowids->len;
  guint next = shown + FILL_STEP;

  if (next >= FILL_WINDOW || next >= self->fill_target->len)
    next = self->fill_target->len;
  show_upto (self, shown, next);
  if (next < self->fill_target->len)
    return G_SOURCE_CONTINUE;

  self->fill_source = 0;
  g_clear_pointer (&self->fill_target, g_array_unref);
  if (self->cancellable == NULL)
    koers_caseload_model_set_loading (self, FALSE);
  return G_SOURCE_REMOVE;
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
  show_upto (self, prefix, MIN (prefix + FILL_STEP, rowids->len));
  if (self->rowids->len == rowids->len)
    {
      g_clear_pointer (&self->fill_target, g_array_unref);
      return;
    }
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
