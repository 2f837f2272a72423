/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The rows of the Conflicts page: one group per participant for the conflicts, the refused
 * changes in their own group, rebuilt from each new snapshot without losing what the user
 * had going (an open editor, keyboard focus, a write in progress).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "conflicts/koers-conflicts-page-private.h"

#include "conflicts/koers-conflict-row.h"
#include "conflicts/koers-quarantine-row.h"
#include "participant/koers-participant-display.h"

static char *
busy_key_for_seq (gint64 seq)
{
  return g_strdup_printf ("q:%" G_GINT64_FORMAT, seq);
}

/* What the user had going in the rows, so a rebuild does not throw it away. */
typedef struct {
  GHashTable *edit_texts;   /* conflict id -> text */
  GHashTable *fix_texts;    /* gint64 seq -> GHashTable (field -> text) */
  char       *focus_id;     /* conflict id, or NULL */
  gint64      focus_seq;    /* quarantine seq, or 0 */
} RowState;

static void
save_state (KoersConflictsPage *self, RowState *state)
{
  GHashTableIter iter;
  gpointer key, value;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  GtkWidget *row;

  state->edit_texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  state->fix_texts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                            (GDestroyNotify) g_hash_table_unref);
  g_hash_table_iter_init (&iter, self->conflict_rows);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (koers_conflict_row_get_editing (value))
      g_hash_table_insert (state->edit_texts, g_strdup (key),
                           koers_conflict_row_dup_edit_text (value));
  g_hash_table_iter_init (&iter, self->quarantine_rows);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (koers_quarantine_row_get_fixing (value))
      g_hash_table_insert (state->fix_texts, g_memdup2 (key, sizeof (gint64)),
                           koers_quarantine_row_dup_texts (value));

  state->focus_id = NULL;
  state->focus_seq = 0;
  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self)))
    {
      if ((row = gtk_widget_get_ancestor (focus, KOERS_TYPE_CONFLICT_ROW)) != NULL)
        state->focus_id = g_strdup (koers_conflict_row_get_id (KOERS_CONFLICT_ROW (row)));
      else if ((row = gtk_widget_get_ancestor (focus, KOERS_TYPE_QUARANTINE_ROW)) != NULL)
        state->focus_seq = koers_quarantine_row_get_seq (KOERS_QUARANTINE_ROW (row));
    }
}

static void
clear_rows (KoersConflictsPage *self)
{
  GHashTableIter iter;
  gpointer value;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->conflicts_box))) != NULL)
    gtk_box_remove (self->conflicts_box, child);
  g_hash_table_iter_init (&iter, self->quarantine_rows);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    adw_preferences_group_remove (self->quarantine_group, value);
  g_hash_table_remove_all (self->conflict_rows);
  g_hash_table_remove_all (self->quarantine_rows);
}

static guint
add_conflict_rows (KoersConflictsPage *self, RowState *state)
{
  AdwPreferencesGroup *group = NULL;
  const char *group_participant = NULL;
  guint open = 0;

  for (guint i = 0; i < self->review->conflicts->len; i++)
    {
      KoersSyncConflict *conflict = g_ptr_array_index (self->review->conflicts, i);
      GtkWidget *row = koers_conflict_row_new (conflict, self->review->people);
      g_autofree char *busy_key = g_strconcat ("c:", conflict->id, NULL);
      const char *text;

      /* One group per participant, titled with the name (isolated: Arabic and Dutch names
       * sit in the same list). */
      if (group == NULL || g_strcmp0 (group_participant, conflict->participant_id) != 0)
        {
          g_autofree char *title = koers_display_isolate (conflict->participant_name != NULL
                                                          ? conflict->participant_name
                                                          : _("Unknown participant"));

          group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
          adw_preferences_group_set_title (group, title);
          gtk_box_append (self->conflicts_box, GTK_WIDGET (group));
          group_participant = conflict->participant_id;
        }
      adw_preferences_group_add (group, row);
      g_hash_table_insert (self->conflict_rows, g_strdup (conflict->id), row);
      if (!conflict->waiting)
        open++;
      if (g_hash_table_contains (self->busy, busy_key))
        koers_conflict_row_set_busy (KOERS_CONFLICT_ROW (row), TRUE);
      if (!conflict->waiting
          && g_hash_table_lookup_extended (state->edit_texts, conflict->id, NULL,
                                           (gpointer *) &text))
        koers_conflict_row_set_editing (KOERS_CONFLICT_ROW (row), TRUE, text);
    }
  return open;
}

static guint
add_quarantine_rows (KoersConflictsPage *self, RowState *state)
{
  guint shown = 0;

  for (guint i = 0; i < self->review->quarantined->len; i++)
    {
      KoersSyncQuarantined *item = g_ptr_array_index (self->review->quarantined, i);
      g_autofree char *busy_key = busy_key_for_seq (item->seq);
      GHashTable *texts;
      GtkWidget *row;

      if (g_hash_table_contains (self->discarding, &item->seq))
        continue;
      row = koers_quarantine_row_new (item, self->review->people);
      adw_preferences_group_add (self->quarantine_group, row);
      g_hash_table_insert (self->quarantine_rows, g_memdup2 (&item->seq, sizeof (gint64)), row);
      shown++;
      if (g_hash_table_contains (self->busy, busy_key))
        koers_quarantine_row_set_busy (KOERS_QUARANTINE_ROW (row), TRUE);
      if (g_hash_table_lookup_extended (state->fix_texts, &item->seq, NULL, (gpointer *) &texts))
        koers_quarantine_row_set_fixing (KOERS_QUARANTINE_ROW (row), TRUE, texts);
    }
  return shown;
}

/* The empty page says "Everything was sent" only when it is true. */
static void
show_pending_changes (KoersConflictsPage *self)
{
  gint64 pending = self->review != NULL ? self->review->pending : 0;
  g_autofree char *text = NULL;

  if (pending == 0)
    text = g_strdup (_("Everything was sent."));
  else
    text = g_strdup_printf (ngettext ("Nothing needs your decision. %d change waits for the "
                                      "next sync.",
                                      "Nothing needs your decision. %d changes wait for the "
                                      "next sync.", (gulong) pending),
                            (int) pending);
  adw_status_page_set_description (self->empty_status, text);
}

void
koers_conflicts_page_rebuild (KoersConflictsPage *self)
{
  RowState state;
  guint open, shown;
  GtkWidget *row;

  save_state (self, &state);
  clear_rows (self);
  if (self->review == NULL)
    {
      open = shown = 0;
    }
  else
    {
      open = add_conflict_rows (self, &state);
      shown = add_quarantine_rows (self, &state);
    }
  gtk_widget_set_visible (self->conflicts_section, g_hash_table_size (self->conflict_rows) > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->quarantine_group), shown > 0);
  gtk_stack_set_visible_child_name (self->stack,
                                    g_hash_table_size (self->conflict_rows) + shown > 0
                                    ? "list" : "empty");
  show_pending_changes (self);

  /* Keyboard users stay where they were: the same row, or the list when it went away. */
  if (state.focus_id != NULL
      && (row = g_hash_table_lookup (self->conflict_rows, state.focus_id)) != NULL)
    koers_conflict_row_focus (KOERS_CONFLICT_ROW (row));
  else if (state.focus_seq != 0
           && (row = g_hash_table_lookup (self->quarantine_rows, &state.focus_seq)) != NULL)
    koers_quarantine_row_focus (KOERS_QUARANTINE_ROW (row));
  else if (state.focus_id != NULL || state.focus_seq != 0)
    gtk_widget_child_focus (GTK_WIDGET (self->stack), GTK_DIR_TAB_FORWARD);

  g_hash_table_unref (state.edit_texts);
  g_hash_table_unref (state.fix_texts);
  g_free (state.focus_id);
  koers_conflicts_page_set_counts (self, open, shown);
}

void
koers_conflicts_page_set_busy (KoersConflictsPage *self, const char *key, gboolean busy)
{
  GtkWidget *row = NULL;

  if (busy)
    g_hash_table_add (self->busy, g_strdup (key));
  else
    g_hash_table_remove (self->busy, key);
  if (g_str_has_prefix (key, "c:"))
    {
      row = g_hash_table_lookup (self->conflict_rows, key + 2);
      if (row != NULL)
        koers_conflict_row_set_busy (KOERS_CONFLICT_ROW (row), busy);
    }
  else
    {
      gint64 seq = g_ascii_strtoll (key + 2, NULL, 10);

      row = g_hash_table_lookup (self->quarantine_rows, &seq);
      if (row != NULL)
        koers_quarantine_row_set_busy (KOERS_QUARANTINE_ROW (row), busy);
    }
}
