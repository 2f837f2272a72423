/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The Conflicts page's actions (group "conflicts"). Every write is one store job on the
 * writer's thread through koers-sync-review; a refused value comes back as the job's error
 * and is shown under its row, which stays as it was.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "conflicts/koers-conflicts-page-private.h"

#include "conflicts/koers-conflict-row.h"
#include "conflicts/koers-quarantine-row.h"

/* How long "Undo" is offered after a discard, in seconds. */
#define DISCARD_UNDO_SECONDS 5

typedef struct {
  KoersConflictsPage *page;   /* (owned) */
  char               *id;     /* conflict id, or NULL */
  gint64              seq;    /* quarantine seq, or 0 */
  char               *choice;
  char               *entity;
  char               *text;
  GHashTable         *texts;  /* field -> text (resend) */
  char               *busy_key;
} Job;

static void
job_free (gpointer data)
{
  Job *job = data;

  g_clear_object (&job->page);
  g_free (job->id);
  g_free (job->choice);
  g_free (job->entity);
  g_free (job->text);
  g_clear_pointer (&job->texts, g_hash_table_unref);
  g_free (job->busy_key);
  g_free (job);
}

static Job *
job_new (KoersConflictsPage *self, const char *id, gint64 seq)
{
  Job *job = g_new0 (Job, 1);

  job->page = g_object_ref (self);
  job->id = g_strdup (id);
  job->seq = seq;
  job->busy_key = id != NULL ? g_strconcat ("c:", id, NULL)
                             : g_strdup_printf ("q:%" G_GINT64_FORMAT, seq);
  return job;
}

/* --- jobs on the store's worker (the data of a job outlives the page's wishes: it only
 *     carries what the write needs) --------------------------------------------------------- */

static gpointer
resolve_job (KoersDatabase *db, gpointer data, GCancellable *cancellable, GError **error)
{
  Job *job = data;

  if (!koers_sync_review_resolve (db, job->id, job->choice, job->text, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static gpointer
resend_job (KoersDatabase *db, gpointer data, GCancellable *cancellable, GError **error)
{
  Job *job = data;
  g_autoptr(JsonObject) values = json_object_new ();
  GHashTableIter iter;
  gpointer field, text;

  g_hash_table_iter_init (&iter, job->texts);
  while (g_hash_table_iter_next (&iter, &field, &text))
    {
      JsonNode *value = koers_sync_review_parse_value (job->entity, field, text, error);

      if (value == NULL)
        return NULL;
      json_object_set_member (values, field, value);
    }
  if (!koers_sync_quarantine_resend (db, job->seq, values, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static gpointer
discard_job (KoersDatabase *db, gpointer data, GCancellable *cancellable, GError **error)
{
  Job *job = data;

  if (!koers_sync_quarantine_discard (db, job->seq, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

/* --- results on the main thread ------------------------------------------------------------ */

static void
show_error (KoersConflictsPage *self, Job *job, const char *message)
{
  GtkWidget *row = job->id != NULL ? g_hash_table_lookup (self->conflict_rows, job->id)
                                   : g_hash_table_lookup (self->quarantine_rows, &job->seq);

  if (row != NULL && job->id != NULL)
    koers_conflict_row_set_error (KOERS_CONFLICT_ROW (row), message);
  else if (row != NULL)
    koers_quarantine_row_set_error (KOERS_QUARANTINE_ROW (row), message);
  else
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static void
write_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Job *job = user_data;
  KoersConflictsPage *self = job->page;
  g_autoptr(GError) error = NULL;
  gboolean ok = koers_store_run_finish (KOERS_STORE (source), result, &error) != NULL;
  GtkWidget *row;

  if (self->context == NULL)
    {
      job_free (job);
      return;
    }
  koers_conflicts_page_set_busy (self, job->busy_key, FALSE);
  if (!ok)
    show_error (self, job, error->message);
  else if (job->id != NULL && (row = g_hash_table_lookup (self->conflict_rows, job->id)) != NULL)
    koers_conflict_row_set_editing (KOERS_CONFLICT_ROW (row), FALSE, NULL);
  else if (job->seq != 0
           && (row = g_hash_table_lookup (self->quarantine_rows, &job->seq)) != NULL)
    koers_quarantine_row_set_fixing (KOERS_QUARANTINE_ROW (row), FALSE, NULL);
  if (ok && job->seq != 0)
    g_hash_table_remove (self->discarding, &job->seq);
  job_free (job);
}

/* The job data is a second Job sharing nothing with the callback's (each frees its own). */
static Job *
job_copy (Job *job)
{
  Job *copy = job_new (job->page, job->id, job->seq);

  copy->choice = g_strdup (job->choice);
  copy->entity = g_strdup (job->entity);
  copy->text = g_strdup (job->text);
  if (job->texts != NULL)
    copy->texts = g_hash_table_ref (job->texts);
  return copy;
}

static void
run_write (KoersConflictsPage *self, Job *job, KoersStoreJobFunc func, const char *changes)
{
  Job *data = job_copy (job);

  /* The worker must not keep the page alive past the window: its copy drops the page. */
  g_clear_object (&data->page);
  koers_conflicts_page_set_busy (self, job->busy_key, TRUE);
  koers_store_run_async (koers_context_get_store (self->context), func, data, job_free, NULL,
                         changes, NULL, write_done, job);
}

/* --- conflicts ------------------------------------------------------------------------------ */

static void
resolve (KoersConflictsPage *self, const char *id, const char *choice, const char *text)
{
  Job *job = job_new (self, id, 0);

  job->choice = g_strdup (choice);
  job->text = g_strdup (text);
  run_write (self, job, resolve_job, "sync");
}

static void
keep_mine_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  resolve (KOERS_CONFLICTS_PAGE (widget), g_variant_get_string (param, NULL), "mijn", NULL);
}

static void
keep_theirs_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  resolve (KOERS_CONFLICTS_PAGE (widget), g_variant_get_string (param, NULL), "hun", NULL);
}

static KoersConflictRow *
conflict_row (KoersConflictsPage *self, GVariant *param)
{
  return g_hash_table_lookup (self->conflict_rows, g_variant_get_string (param, NULL));
}

static void
edit_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  KoersConflictRow *row = conflict_row (KOERS_CONFLICTS_PAGE (widget), param);

  if (row != NULL)
    koers_conflict_row_set_editing (row, TRUE, NULL);
}

static void
cancel_edit_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  KoersConflictRow *row = conflict_row (KOERS_CONFLICTS_PAGE (widget), param);

  if (row != NULL)
    {
      koers_conflict_row_set_editing (row, FALSE, NULL);
      koers_conflict_row_focus (row);
    }
}

static void
save_edit_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  KoersConflictsPage *self = KOERS_CONFLICTS_PAGE (widget);
  KoersConflictRow *row = conflict_row (self, param);
  g_autofree char *text = NULL;
  g_autofree char *key = NULL;

  if (row == NULL || !koers_conflict_row_get_editing (row))
    return;
  key = g_strconcat ("c:", koers_conflict_row_get_id (row), NULL);
  if (g_hash_table_contains (self->busy, key))
    return;
  text = koers_conflict_row_dup_edit_text (row);
  koers_conflict_row_set_error (row, NULL);
  resolve (self, koers_conflict_row_get_id (row), "bewerkt", text);
}

void
koers_conflicts_page_show_now (KoersConflictsPage *self, const char *conflict_id)
{
  KoersConflictRow *row = g_hash_table_lookup (self->conflict_rows, conflict_id);

  if (row == NULL)
    {
      /* Resolved meanwhile (here or elsewhere): say so rather than showing nothing. */
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   adw_toast_new (_("This conflict has been resolved")));
      return;
    }
  koers_conflict_row_focus (row);
}

static void
show_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  koers_conflicts_page_show_conflict (KOERS_CONFLICTS_PAGE (widget),
                                      g_variant_get_string (param, NULL));
}

/* --- refused changes ------------------------------------------------------------------------ */

static KoersQuarantineRow *
quarantine_row (KoersConflictsPage *self, GVariant *param)
{
  gint64 seq = g_variant_get_int64 (param);

  return g_hash_table_lookup (self->quarantine_rows, &seq);
}

static void
fix_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  KoersQuarantineRow *row = quarantine_row (KOERS_CONFLICTS_PAGE (widget), param);

  if (row != NULL)
    koers_quarantine_row_set_fixing (row, TRUE, NULL);
}

static void
cancel_fix_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  KoersQuarantineRow *row = quarantine_row (KOERS_CONFLICTS_PAGE (widget), param);

  if (row != NULL)
    {
      koers_quarantine_row_set_fixing (row, FALSE, NULL);
      koers_quarantine_row_focus (row);
    }
}

static void
resend_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  KoersConflictsPage *self = KOERS_CONFLICTS_PAGE (widget);
  KoersQuarantineRow *row = quarantine_row (self, param);
  Job *job;

  if (row == NULL || !koers_quarantine_row_get_fixing (row))
    return;
  job = job_new (self, NULL, koers_quarantine_row_get_seq (row));
  if (g_hash_table_contains (self->busy, job->busy_key))
    {
      job_free (job);
      return;
    }
  job->entity = g_strdup (koers_quarantine_row_get_entity (row));
  job->texts = koers_quarantine_row_dup_texts (row);
  koers_quarantine_row_set_error (row, NULL);
  /* The working row is rebuilt with the fixed value: participants change. */
  run_write (self, job, resend_job, "participants");
}

static void
toast_dismissed_cb (AdwToast *toast, KoersConflictsPage *self)
{
  gint64 seq = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (toast), "seq"));

  if (self->context == NULL)
    return;
  g_hash_table_remove (self->toasts, &seq);
  /* Undone: the row is back already. Otherwise the undo time is over: discard for good. */
  if (g_hash_table_contains (self->discarding, &seq))
    run_write (self, job_new (self, NULL, seq), discard_job, "sync");
}

static void
discard_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  KoersConflictsPage *self = KOERS_CONFLICTS_PAGE (widget);
  gint64 seq = g_variant_get_int64 (param);
  AdwToast *toast;

  if (g_hash_table_contains (self->discarding, &seq)
      || !g_hash_table_contains (self->quarantine_rows, &seq))
    return;
  /* Hidden now, removed when the toast goes: "Undo" only has to show the row again. */
  g_hash_table_add (self->discarding, g_memdup2 (&seq, sizeof seq));
  koers_conflicts_page_rebuild (self);

  toast = adw_toast_new (_("Change discarded"));
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "conflicts.undo-discard");
  adw_toast_set_action_target_value (toast, g_variant_new_int64 (seq));
  adw_toast_set_timeout (toast, DISCARD_UNDO_SECONDS);
  g_object_set_data (G_OBJECT (toast), "seq", GSIZE_TO_POINTER ((gsize) seq));
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (toast_dismissed_cb), self, 0);
  g_hash_table_insert (self->toasts, g_memdup2 (&seq, sizeof seq), g_object_ref (toast));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
undo_discard_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  KoersConflictsPage *self = KOERS_CONFLICTS_PAGE (widget);
  gint64 seq = g_variant_get_int64 (param);
  AdwToast *toast;
  GtkWidget *row;

  if (!g_hash_table_remove (self->discarding, &seq))
    return;
  toast = g_hash_table_lookup (self->toasts, &seq);
  if (toast != NULL)
    adw_toast_dismiss (toast);
  koers_conflicts_page_rebuild (self);
  if ((row = g_hash_table_lookup (self->quarantine_rows, &seq)) != NULL)
    koers_quarantine_row_focus (KOERS_QUARANTINE_ROW (row));
}

void
koers_conflicts_page_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "conflicts.keep-mine", "s", keep_mine_cb);
  gtk_widget_class_install_action (widget_class, "conflicts.keep-theirs", "s", keep_theirs_cb);
  gtk_widget_class_install_action (widget_class, "conflicts.edit", "s", edit_cb);
  gtk_widget_class_install_action (widget_class, "conflicts.cancel-edit", "s", cancel_edit_cb);
  gtk_widget_class_install_action (widget_class, "conflicts.save-edit", "s", save_edit_cb);
  gtk_widget_class_install_action (widget_class, "conflicts.show", "s", show_cb);
  gtk_widget_class_install_action (widget_class, "conflicts.fix", "x", fix_cb);
  gtk_widget_class_install_action (widget_class, "conflicts.cancel-fix", "x", cancel_fix_cb);
  gtk_widget_class_install_action (widget_class, "conflicts.resend", "x", resend_cb);
  gtk_widget_class_install_action (widget_class, "conflicts.discard", "x", discard_cb);
  gtk_widget_class_install_action (widget_class, "conflicts.undo-discard", "x",
                                   undo_discard_cb);
}
