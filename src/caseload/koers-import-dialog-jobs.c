/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-import-dialog-jobs.c: the check and the import run koers_import_csv() on the store's
 * worker (the connection that writes), never on the main thread; they report progress through
 * atomics the dialog's timer reads.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "caseload/koers-import-dialog-private.h"

#include "core/koers-csv-header.h"
#include "storage/koers-database.h"

typedef struct
{
  GFile                    *file;
  char                     *actor;
  GStrv                     mapping;
  gboolean                  dry_run;
  gboolean                  accept_warnings;
  gboolean                  want_preview;
  KoersImportReport        *checked;   /* (nullable) the preview's check, for the import */
  KoersImportProgressState *progress;
} ImportJob;

static void
import_job_free (gpointer data)
{
  ImportJob *job = data;

  g_clear_object (&job->file);
  g_free (job->actor);
  g_strfreev (job->mapping);
  g_clear_pointer (&job->checked, koers_import_report_free);
  g_clear_pointer (&job->progress, g_atomic_rc_box_release);
  g_free (job);
}

void
koers_import_job_result_free (KoersImportJobResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->report, koers_import_report_free);
  g_clear_pointer (&result->preview, koers_import_preview_free);
  g_clear_error (&result->refusal);
  g_free (result);
}

/* Worker thread. */
static void
job_progress_cb (KoersImportPhase phase,
                 guint            n_done,
                 guint            n_total,
                 gpointer         user_data)
{
  KoersImportProgressState *progress = user_data;

  if (phase == KOERS_IMPORT_PHASE_CHECKING)
    g_atomic_int_inc (&progress->n_checking_reports);
  g_atomic_int_set (&progress->phase, (int) phase);
  g_atomic_int_set (&progress->n_total, (int) MIN (n_total, G_MAXINT));
  g_atomic_int_set (&progress->n_done, (int) MIN (n_done, G_MAXINT));
}

/* Worker thread. A check's verdict on the file (errors, unconfirmed warnings, a file that is no
 * participant list) is a result to show; only a cancellation or a database failure is the
 * job's error. An import's every failure is its error: the transaction rolled back. */
static gpointer
import_job (KoersDatabase  *db,
            gpointer        data,
            GCancellable   *cancellable,
            GError        **error)
{
  ImportJob *job = data;
  g_autoptr(GError) local = NULL;
  KoersImportJobResult *result;
  KoersImportOptions options;

  koers_import_options_init (&options);
  options.actor = job->actor;
  options.dry_run = job->dry_run;
  options.accept_warnings = job->accept_warnings;
  options.mapping = (const char * const *) job->mapping;
  options.checked = job->checked;

  result = g_new0 (KoersImportJobResult, 1);
  result->report = koers_import_report_new ();
  if (!koers_import_csv (db, job->file, &options, result->report, cancellable, job_progress_cb,
                         job->progress, &local))
    {
      if (!job->dry_run || g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          local->domain == KOERS_DATABASE_ERROR)
        {
          koers_import_job_result_free (result);
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
      if (!g_error_matches (local, KOERS_IMPORT_ERROR, KOERS_IMPORT_ERROR_REFUSED))
        result->refusal = g_steal_pointer (&local);
    }

  if (job->want_preview && result->refusal == NULL)
    {
      g_autoptr(GError) preview_error = NULL;

      result->preview = koers_import_preview_read (job->file, 0, cancellable, &preview_error);
      if (g_error_matches (preview_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          koers_import_job_result_free (result);
          g_propagate_error (error, g_steal_pointer (&preview_error));
          return NULL;
        }
    }
  return result;
}

static GStrv
dup_overrides (KoersImportDialog *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < self->overrides->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->overrides, i));
  return g_strv_builder_end (builder);
}

static ImportJob *
import_job_new (KoersImportDialog *self,
                gboolean           dry_run)
{
  ImportJob *job = g_new0 (ImportJob, 1);

  job->file = g_object_ref (self->file);
  job->actor = g_strdup (koers_context_get_actor (self->context));
  job->mapping = dup_overrides (self);
  job->dry_run = dry_run;
  job->accept_warnings = gtk_check_button_get_active (self->accept_check);
  job->want_preview = dry_run && self->preview == NULL;
  /* The file the user saw checked need not be read a third time while it is unchanged
   * (koers_import_csv() makes sure it is). A copy: the worker reads it on its thread. */
  if (!dry_run && self->report != NULL)
    job->checked = koers_import_report_copy (self->report);
  job->progress = g_atomic_rc_box_acquire (self->progress);
  return job;
}

static void
begin_job (KoersImportDialog *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_atomic_int_set (&self->progress->phase, KOERS_IMPORT_PHASE_CHECKING);
  g_atomic_int_set (&self->progress->n_done, 0);
  g_atomic_int_set (&self->progress->n_total, 0);
}

static void
set_message (KoersImportDialog *self,
             const char        *message)
{
  gtk_label_set_text (self->message_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
}

/* --- the check -------------------------------------------------------------------------- */

static void
check_done (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  g_autoptr(KoersImportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  KoersImportJobResult *result;

  result = koers_store_run_finish (KOERS_STORE (source), res, &error);
  /* Cancelled: the dialog is closing, or a newer check replaced this one. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->closed)
    {
      koers_import_job_result_free (result);
      return;
    }

  self->rechecking = FALSE;
  koers_import_dialog_set_busy (self, FALSE);
  if (error != NULL)
    {
      adw_status_page_set_description (self->refused_status, error->message);
      koers_import_dialog_set_state (self, KOERS_IMPORT_STATE_REFUSED);
      return;
    }
  if (result->refusal != NULL)
    {
      /* The reader's own words: a workbook, a BSN column, an encoding it cannot read. */
      g_autofree char *text = koers_import_dialog_bidi_message (GTK_WIDGET (self),
                                                                result->refusal->message);

      adw_status_page_set_description (self->refused_status, text);
      koers_import_dialog_set_state (self, KOERS_IMPORT_STATE_REFUSED);
      koers_import_job_result_free (result);
      return;
    }

  g_clear_pointer (&self->report, koers_import_report_free);
  self->report = g_steal_pointer (&result->report);
  if (result->preview != NULL)
    {
      g_clear_pointer (&self->preview, koers_import_preview_free);
      self->preview = g_steal_pointer (&result->preview);
    }
  koers_import_job_result_free (result);
  koers_import_dialog_show_report (self);
  koers_import_dialog_set_state (self, KOERS_IMPORT_STATE_PREVIEW);
}

void
koers_import_dialog_start_check (KoersImportDialog *self)
{
  ImportJob *job;

  begin_job (self);
  job = import_job_new (self, TRUE);
  self->rechecking = self->state == KOERS_IMPORT_STATE_PREVIEW;
  set_message (self, NULL);
  koers_import_dialog_set_busy (self, TRUE);
  koers_store_run_async (koers_context_get_store (self->context), import_job, job,
                         import_job_free, (GDestroyNotify) koers_import_job_result_free, NULL,
                         self->cancellable, check_done, g_object_ref (self));
}

/* --- the import ------------------------------------------------------------------------- */

static char *
format_result (const KoersImportReport *report)
{
  g_autofree char *imported = NULL;
  g_autofree char *already = NULL;

  /* Translators: the result of an import, "312 participants imported" */
  imported = g_strdup_printf (ngettext ("%'u participant imported", "%'u participants imported",
                                        report->n_imported), report->n_imported);
  if (report->n_already == 0)
    return g_steal_pointer (&imported);
  /* Translators: rows of the file already in Koers from an earlier import */
  already = g_strdup_printf (ngettext ("%'u already imported earlier",
                                       "%'u already imported earlier", report->n_already),
                             report->n_already);
  /* Translators: "312 participants imported, 4 already imported earlier" */
  return g_strdup_printf (_("%s, %s"), imported, already);
}

static void
import_done (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  g_autoptr(KoersImportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  KoersImportJobResult *result;
  g_autofree char *text = NULL;

  result = koers_store_run_finish (KOERS_STORE (source), res, &error);
  if (self->closed)
    {
      koers_import_job_result_free (result);
      return;
    }

  koers_import_dialog_set_busy (self, FALSE);
  if (error != NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        message = g_strdup (_("Import cancelled: nothing was changed."));
      else
        /* Translators: %s is the reason; the import is one transaction */
        message = g_strdup_printf (_("The import failed and nothing was changed: %s"),
                                   error->message);
      set_message (self, message);
      koers_import_dialog_set_state (self, KOERS_IMPORT_STATE_PREVIEW);
      return;
    }

  text = format_result (result->report);
  adw_status_page_set_description (self->done_status, text);
  koers_import_dialog_set_state (self, KOERS_IMPORT_STATE_DONE);
  g_signal_emit_by_name (self, "imported", result->report->n_imported);
  koers_import_job_result_free (result);
}

void
koers_import_dialog_start_import (KoersImportDialog *self)
{
  ImportJob *job;

  begin_job (self);
  job = import_job_new (self, FALSE);
  set_message (self, NULL);
  self->rechecking = FALSE;
  koers_import_dialog_set_state (self, KOERS_IMPORT_STATE_IMPORTING);
  koers_import_dialog_set_busy (self, TRUE);
  /* "participants": the caseload requeries once the transaction is in. */
  koers_store_run_async (koers_context_get_store (self->context), import_job, job,
                         import_job_free, (GDestroyNotify) koers_import_job_result_free,
                         "participants", self->cancellable, import_done,
                         g_object_ref (self));
}

void
koers_import_dialog_stop (KoersImportDialog *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

void
koers_import_dialog_override (KoersImportDialog *self,
                              guint              index,
                              KoersCsvField      field)
{
  g_autofree char *prefix = g_strdup_printf ("%u=", index + 1);

  for (guint i = 0; i < self->overrides->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (self->overrides, i), prefix))
      g_ptr_array_remove_index (self->overrides, i--);
  g_ptr_array_add (self->overrides,
                   g_strconcat (prefix, koers_csv_field_to_string (field), NULL));
}
