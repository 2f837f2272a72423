/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "conflicts/koers-conflicts-page.h"
#include "conflicts/koers-conflicts-page-private.h"
#include "window/koers-loading-spinner.h"


G_DEFINE_FINAL_TYPE (KoersConflictsPage, koers_conflicts_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_LOADED,
  PROP_CONFLICT_COUNT,
  PROP_QUARANTINE_COUNT,
  PROP_ATTENTION_COUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* --- reading ------------------------------------------------------------------------------ */

static gpointer
load_job (KoersDatabase *db, gpointer data, GCancellable *cancellable, GError **error)
{
  return koers_sync_review_load (db, NULL, error);
}

static char *
fingerprint (KoersSyncReview *review)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < review->conflicts->len; i++)
    {
      KoersSyncConflict *conflict = g_ptr_array_index (review->conflicts, i);

      g_string_append_printf (text, "c%s/%" G_GINT64_FORMAT "/%d/%s;", conflict->id,
                              conflict->version, conflict->waiting,
                              conflict->participant_name != NULL ? conflict->participant_name
                                                                 : "");
    }
  for (guint i = 0; i < review->quarantined->len; i++)
    {
      KoersSyncQuarantined *item = g_ptr_array_index (review->quarantined, i);

      g_string_append_printf (text, "q%" G_GINT64_FORMAT "/%s;", item->seq,
                              item->participant_name != NULL ? item->participant_name : "");
    }
  g_string_append_printf (text, "p%" G_GINT64_FORMAT, review->pending);
  return g_string_free (text, FALSE);
}

static void
load_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(KoersConflictsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  KoersSyncReview *review = koers_store_read_finish (KOERS_STORE (source), result, &error);
  g_autofree char *print = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->context == NULL)
    {
      koers_sync_review_free (review);
      return;
    }
  self->reading = FALSE;
  if (review == NULL)
    {
      /* The list stays as it was; the next change tries again. */
      g_message ("Conflicts could not be read: %s", error->message);
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   adw_toast_new (_("Conflicts could not be read")));
    }
  else
    {
      print = fingerprint (review);
      koers_sync_review_free (self->review);
      self->review = review;
      if (!self->loaded || g_strcmp0 (print, self->fingerprint) != 0)
        {
          g_free (self->fingerprint);
          self->fingerprint = g_steal_pointer (&print);
          koers_conflicts_page_rebuild (self);
        }
    }
  if (!self->loaded)
    {
      self->loaded = TRUE;
      if (self->review == NULL)
        gtk_stack_set_visible_child_name (self->stack, "empty");
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }
  if (self->show_pending != NULL)
    {
      g_autofree char *id = g_steal_pointer (&self->show_pending);

      koers_conflicts_page_show_now (self, id);
    }
  if (self->reload_pending)
    koers_conflicts_page_reload (self);
}

void
koers_conflicts_page_reload (KoersConflictsPage *self)
{
  if (self->reading)
    {
      self->reload_pending = TRUE;
      return;
    }
  self->reload_pending = FALSE;
  self->reading = TRUE;
  koers_store_read_async (koers_context_get_store (self->context), load_job, NULL, NULL,
                          (GDestroyNotify) koers_sync_review_free, self->cancellable,
                          load_done, g_object_ref (self));
}

static void
on_store_changed (KoersConflictsPage *self, const char *what, KoersStore *store)
{
  koers_conflicts_page_reload (self);
}

/* --- showing ------------------------------------------------------------------------------ */

void
koers_conflicts_page_set_counts (KoersConflictsPage *self, guint conflicts, guint quarantined)
{
  guint old_total = self->conflict_count + self->quarantine_count;

  g_object_freeze_notify (G_OBJECT (self));
  if (self->conflict_count != conflicts)
    {
      self->conflict_count = conflicts;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFLICT_COUNT]);
    }
  if (self->quarantine_count != quarantined)
    {
      self->quarantine_count = quarantined;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUARANTINE_COUNT]);
    }
  if (old_total != conflicts + quarantined)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTENTION_COUNT]);
  g_object_thaw_notify (G_OBJECT (self));
}

/* --- GObject ------------------------------------------------------------------------------ */

static void
koers_conflicts_page_constructed (GObject *object)
{
  KoersConflictsPage *self = KOERS_CONFLICTS_PAGE (object);

  G_OBJECT_CLASS (koers_conflicts_page_parent_class)->constructed (object);

  g_assert (self->context != NULL);
  g_signal_connect_object (koers_context_get_store (self->context), "changed",
                           G_CALLBACK (on_store_changed), self, G_CONNECT_SWAPPED);
  koers_conflicts_page_reload (self);
}

static void
koers_conflicts_page_unroot (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  /* When the window shows another page while an editor here has the keyboard, GTK 4.8 later
   * checks the old focus after the entry is gone (a critical, seen in the screenshot test):
   * hand the focus back to the window first. */
  if (focus != NULL && gtk_widget_is_ancestor (focus, widget))
    gtk_root_set_focus (root, NULL);
  GTK_WIDGET_CLASS (koers_conflicts_page_parent_class)->unroot (widget);
}

static void
koers_conflicts_page_dispose (GObject *object)
{
  KoersConflictsPage *self = KOERS_CONFLICTS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  /* Toasts still showing die with the overlay; their discards are not done (the rows come
   * back next time: nothing is lost by leaving early). */
  g_hash_table_remove_all (self->discarding);
  g_hash_table_remove_all (self->toasts);
  g_hash_table_remove_all (self->conflict_rows);
  g_hash_table_remove_all (self->quarantine_rows);
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), KOERS_TYPE_CONFLICTS_PAGE);
  g_clear_object (&self->context);
  g_clear_pointer (&self->review, koers_sync_review_free);

  G_OBJECT_CLASS (koers_conflicts_page_parent_class)->dispose (object);
}

static void
koers_conflicts_page_finalize (GObject *object)
{
  KoersConflictsPage *self = KOERS_CONFLICTS_PAGE (object);

  g_clear_object (&self->cancellable);
  g_free (self->fingerprint);
  g_free (self->show_pending);
  g_hash_table_unref (self->conflict_rows);
  g_hash_table_unref (self->quarantine_rows);
  g_hash_table_unref (self->discarding);
  g_hash_table_unref (self->toasts);
  g_hash_table_unref (self->busy);

  G_OBJECT_CLASS (koers_conflicts_page_parent_class)->finalize (object);
}

static void
koers_conflicts_page_get_property (GObject *object, guint prop_id, GValue *value,
                                   GParamSpec *pspec)
{
  KoersConflictsPage *self = KOERS_CONFLICTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    case PROP_CONFLICT_COUNT:
      g_value_set_uint (value, self->conflict_count);
      break;
    case PROP_QUARANTINE_COUNT:
      g_value_set_uint (value, self->quarantine_count);
      break;
    case PROP_ATTENTION_COUNT:
      g_value_set_uint (value, self->conflict_count + self->quarantine_count);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_conflicts_page_set_property (GObject *object, guint prop_id, const GValue *value,
                                   GParamSpec *pspec)
{
  KoersConflictsPage *self = KOERS_CONFLICTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_conflicts_page_class_init (KoersConflictsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const GParamFlags read_only = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY
                                | G_PARAM_STATIC_STRINGS;

  object_class->constructed = koers_conflicts_page_constructed;
  object_class->dispose = koers_conflicts_page_dispose;
  object_class->finalize = koers_conflicts_page_finalize;
  object_class->get_property = koers_conflicts_page_get_property;
  object_class->set_property = koers_conflicts_page_set_property;
  widget_class->unroot = koers_conflicts_page_unroot;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, KOERS_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADED] = g_param_spec_boolean ("loaded", NULL, NULL, FALSE, read_only);
  properties[PROP_CONFLICT_COUNT] =
    g_param_spec_uint ("conflict-count", NULL, NULL, 0, G_MAXUINT, 0, read_only);
  properties[PROP_QUARANTINE_COUNT] =
    g_param_spec_uint ("quarantine-count", NULL, NULL, 0, G_MAXUINT, 0, read_only);
  properties[PROP_ATTENTION_COUNT] =
    g_param_spec_uint ("attention-count", NULL, NULL, 0, G_MAXUINT, 0, read_only);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
      "/nl/achterhoek/Koers/conflicts/koers-conflicts-page.ui");
  koers_loading_spinner_bind_callbacks (widget_class);
  gtk_widget_class_bind_template_child (widget_class, KoersConflictsPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, KoersConflictsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, KoersConflictsPage, empty_status);
  gtk_widget_class_bind_template_child (widget_class, KoersConflictsPage, conflicts_section);
  gtk_widget_class_bind_template_child (widget_class, KoersConflictsPage, conflicts_box);
  gtk_widget_class_bind_template_child (widget_class, KoersConflictsPage, quarantine_group);

  koers_conflicts_page_class_init_actions (widget_class);
}

static void
koers_conflicts_page_init (KoersConflictsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->conflict_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->quarantine_rows = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->discarding = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->toasts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  self->busy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

GtkWidget *
koers_conflicts_page_new (KoersContext *context)
{
  g_return_val_if_fail (KOERS_IS_CONTEXT (context), NULL);

  return g_object_new (KOERS_TYPE_CONFLICTS_PAGE, "context", context, NULL);
}

gboolean
koers_conflicts_page_get_loaded (KoersConflictsPage *self)
{
  g_return_val_if_fail (KOERS_IS_CONFLICTS_PAGE (self), FALSE);

  return self->loaded;
}

guint
koers_conflicts_page_get_conflict_count (KoersConflictsPage *self)
{
  g_return_val_if_fail (KOERS_IS_CONFLICTS_PAGE (self), 0);

  return self->conflict_count;
}

guint
koers_conflicts_page_get_quarantine_count (KoersConflictsPage *self)
{
  g_return_val_if_fail (KOERS_IS_CONFLICTS_PAGE (self), 0);

  return self->quarantine_count;
}

guint
koers_conflicts_page_get_attention_count (KoersConflictsPage *self)
{
  g_return_val_if_fail (KOERS_IS_CONFLICTS_PAGE (self), 0);

  return self->conflict_count + self->quarantine_count;
}

void
koers_conflicts_page_show_conflict (KoersConflictsPage *self, const char *conflict_id)
{
  g_return_if_fail (KOERS_IS_CONFLICTS_PAGE (self));
  g_return_if_fail (conflict_id != NULL);

  if (!self->loaded || self->reading)
    {
      g_free (self->show_pending);
      self->show_pending = g_strdup (conflict_id);
      return;
    }
  koers_conflicts_page_show_now (self, conflict_id);
}
