/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-export-dialog.c: the export runs on the store's worker and reports how many rows it
 * wrote through two atomics the dialog reads every PROGRESS_INTERVAL_MS (a main-loop callback
 * per report would be hundreds a second). Cancel, Escape and closing the window all cancel it;
 * koers_export_*() then removes its unfinished file before it returns.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "caseload/koers-export-dialog.h"
#include "caseload/koers-export-dialog-private.h"
#include "caseload/koers-transfer-dialog-util.h"

#include "cli/koers-export.h"
#include "core/koers-date.h"

/* How often the bar catches up with the worker: smooth enough to read, cheap at any row rate. */
#define PROGRESS_INTERVAL_MS 100

/* Written by the worker, read by the main thread; shared by reference counting (g_atomic_rc_box)
 * because a closed dialog may go before its job ends. n_total is -1 until the rows are counted. */
typedef struct
{
  int n_done;
  int n_total;
} ExportProgress;

struct _KoersExportDialog
{
  AdwWindow           parent_instance;

  KoersContext       *context;
  KoersCaseloadQuery  query;
  guint               n_current;
  GFile              *file;
  gboolean            busy;
  gboolean            closed;
  guint               progress_timer;
  GCancellable       *cancellable;
  ExportProgress     *progress;
  GtkFileChooserNative *chooser;

  GtkWidget          *progress_box;
  GtkProgressBar     *progress_bar;
  GtkLabel           *message_label;
  AdwActionRow       *current_row;
  GtkCheckButton     *current_check;
  GtkCheckButton     *participants_check;
  GtkCheckButton     *notes_check;
  GtkCheckButton     *activities_check;
  GtkCheckButton     *skills_check;
  GtkCheckButton     *consent_check;
  GtkCheckButton     *csv_check;
  GtkCheckButton     *xlsx_check;
  GtkWidget          *content_box;
};

G_DEFINE_FINAL_TYPE (KoersExportDialog, koers_export_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_FILE,
  PROP_BUSY,
  N_PROPS
};

enum {
  EXPORTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* -1: the current list; otherwise a KoersExportTable. */
static int
selected_table (KoersExportDialog *self)
{
  if (gtk_check_button_get_active (self->participants_check))
    return KOERS_EXPORT_TABLE_PARTICIPANTS;
  if (gtk_check_button_get_active (self->notes_check))
    return KOERS_EXPORT_TABLE_NOTES;
  if (gtk_check_button_get_active (self->activities_check))
    return KOERS_EXPORT_TABLE_ACTIVITIES;
  if (gtk_check_button_get_active (self->skills_check))
    return KOERS_EXPORT_TABLE_SKILLS;
  if (gtk_check_button_get_active (self->consent_check))
    return KOERS_EXPORT_TABLE_CONSENT;
  return -1;
}

static KoersExportFormat
selected_format (KoersExportDialog *self)
{
  return gtk_check_button_get_active (self->xlsx_check) ? KOERS_EXPORT_FORMAT_XLSX
                                                        : KOERS_EXPORT_FORMAT_CSV;
}

static void
update_actions (KoersExportDialog *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.export",
                                 !self->busy && self->chooser == NULL);
  gtk_widget_set_sensitive (self->content_box, !self->busy);
}

static void
update_progress (KoersExportDialog *self)
{
  int n_total = g_atomic_int_get (&self->progress->n_total);
  int n_done = g_atomic_int_get (&self->progress->n_done);
  g_autofree char *text = NULL;

  if (g_cancellable_is_cancelled (self->cancellable))
    {
      gtk_progress_bar_set_text (self->progress_bar, _("Cancelling…"));
      return;
    }
  if (n_total < 0)
    {
      gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
      gtk_progress_bar_set_text (self->progress_bar, _("Counting rows…"));
      return;
    }
  n_done = MIN (n_done, n_total);
  /* Translators: the export's progress, "12,000 of 100,000 rows" */
  text = g_strdup_printf (ngettext ("%'u of %'u row", "%'u of %'u rows", (gulong) n_total),
                          (guint) n_done, (guint) n_total);
  gtk_progress_bar_set_text (self->progress_bar, text);
  gtk_progress_bar_set_fraction (self->progress_bar,
                                 n_total > 0 ? (double) n_done / (double) n_total : 1.0);
}

static gboolean
progress_timer_cb (gpointer data)
{
  update_progress (KOERS_EXPORT_DIALOG (data));
  return G_SOURCE_CONTINUE;
}

static void
set_busy (KoersExportDialog *self,
          gboolean           busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  gtk_widget_set_visible (self->progress_box, busy);
  if (busy)
    {
      update_progress (self);
      self->progress_timer = g_timeout_add (PROGRESS_INTERVAL_MS, progress_timer_cb, self);
    }
  else
    g_clear_handle_id (&self->progress_timer, g_source_remove);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* A failure is shown as an error; a cancellation is what the user asked for, so it is not. */
static void
set_message (KoersExportDialog *self,
             const char        *message,
             gboolean           is_error)
{
  gtk_label_set_text (self->message_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "error");
}

/* --- the job ---------------------------------------------------------------------------- */

typedef struct
{
  int                table;
  KoersCaseloadQuery query;
  KoersExportFormat  format;
  char              *path;
  char              *actor;
  GCancellable      *cancellable;
  ExportProgress    *progress;
} ExportJob;

static void
export_job_free (gpointer data)
{
  ExportJob *job = data;

  koers_caseload_query_clear (&job->query);
  g_free (job->path);
  g_free (job->actor);
  g_clear_object (&job->cancellable);
  g_atomic_rc_box_release (job->progress);
  g_free (job);
}

/* Worker thread. */
static void
job_progress_cb (guint    n_done,
                 guint    n_total,
                 gpointer user_data)
{
  ExportProgress *progress = user_data;

  g_atomic_int_set (&progress->n_total, (int) MIN (n_total, G_MAXINT));
  g_atomic_int_set (&progress->n_done, (int) MIN (n_done, G_MAXINT));
}

/* Worker thread: koers_export_*() streams the rows and records the audit event. It watches the
 * job's own cancellable, not the task's: a task cancelled after the file was complete would
 * report "cancelled" for a file that is there. */
static gpointer
export_job (KoersDatabase  *db,
            gpointer        data,
            GCancellable   *cancellable,
            GError        **error)
{
  ExportJob *job = data;
  guint n_rows = 0;
  gboolean ok;

  if (job->table < 0)
    ok = koers_export_caseload_full (db, &job->query, job->format, job->path, job->actor,
                                     job->cancellable, job_progress_cb, job->progress, &n_rows,
                                     error);
  else
    ok = koers_export_table_full (db, (KoersExportTable) job->table, job->format, job->path,
                                  job->actor, job->cancellable, job_progress_cb, job->progress,
                                  &n_rows, error);
  if (!ok)
    return NULL;
  return g_memdup2 (&n_rows, sizeof n_rows);
}

static char *
describe_export (int   table,
                 guint n)
{
  switch (table)
    {
    case KOERS_EXPORT_TABLE_NOTES:
      /* Translators: toast after an export, "Exported 1,234 notes" */
      return g_strdup_printf (ngettext ("Exported %'u note", "Exported %'u notes", n), n);
    case KOERS_EXPORT_TABLE_ACTIVITIES:
      return g_strdup_printf (ngettext ("Exported %'u activity", "Exported %'u activities", n),
                              n);
    case KOERS_EXPORT_TABLE_SKILLS:
      return g_strdup_printf (ngettext ("Exported %'u skill", "Exported %'u skills", n), n);
    case KOERS_EXPORT_TABLE_CONSENT:
      return g_strdup_printf (ngettext ("Exported %'u consent record",
                                        "Exported %'u consent records", n), n);
    default:
      /* Translators: toast after an export, "Exported 1,234 participants" */
      return g_strdup_printf (ngettext ("Exported %'u participant", "Exported %'u participants",
                                        n), n);
    }
}

typedef struct
{
  KoersExportDialog *self;
  GFile             *file;
  int                table;
} ExportCall;

static void
export_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  ExportCall *call = user_data;
  g_autoptr(KoersExportDialog) self = call->self;
  g_autoptr(GFile) file = call->file;
  g_autoptr(GError) error = NULL;
  g_autofree guint *n_rows = NULL;
  g_autofree char *summary = NULL;
  int table = call->table;

  g_free (call);
  n_rows = koers_store_run_finish (KOERS_STORE (source), result, &error);
  if (self->context == NULL || self->closed)
    return;
  set_busy (self, FALSE);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      set_message (self, _("Export cancelled: no file was written."), FALSE);
      return;
    }
  if (error != NULL)
    {
      /* Translators: %s is the reason, e.g. "Permission denied" */
      g_autofree char *message = g_strdup_printf (_("The file could not be written: %s"),
                                                  error->message);

      set_message (self, message, TRUE);
      return;
    }
  summary = describe_export (table, *n_rows);
  g_signal_emit (self, signals[EXPORTED], 0, file, summary);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
start_export (KoersExportDialog *self,
              GFile             *file)
{
  ExportJob *job = g_new0 (ExportJob, 1);
  ExportCall *call = g_new0 (ExportCall, 1);

  job->table = selected_table (self);
  koers_caseload_query_init (&job->query);
  koers_caseload_query_copy (&job->query, &self->query);
  job->format = selected_format (self);
  job->path = g_file_get_path (file);
  job->actor = g_strdup (koers_context_get_actor (self->context));
  if (job->path == NULL)
    {
      set_message (self, _("Koers can only export to a file on this computer."), TRUE);
      export_job_free (job);
      g_free (call);
      return;
    }

  call->self = g_object_ref (self);
  call->file = g_object_ref (file);
  call->table = job->table;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  job->cancellable = g_object_ref (self->cancellable);
  g_atomic_int_set (&self->progress->n_done, 0);
  g_atomic_int_set (&self->progress->n_total, -1);
  job->progress = g_atomic_rc_box_acquire (self->progress);
  set_message (self, NULL, FALSE);
  set_busy (self, TRUE);
  koers_store_run_async (koers_context_get_store (self->context), export_job, job,
                         export_job_free, g_free, NULL, NULL, export_done, call);
}

/* --- the save dialog -------------------------------------------------------------------- */

static char *
default_name (KoersExportDialog *self)
{
  int table = selected_table (self);
  g_autofree char *today = koers_date_today_iso ();
  const char *what;

  switch (table)
    {
    case KOERS_EXPORT_TABLE_NOTES:
      /* Translators: part of an export's file name (lower case, no spaces):
       * koers-notes-2026-11-28.csv */
      what = C_("file name", "notes");
      break;
    case KOERS_EXPORT_TABLE_ACTIVITIES:
      what = C_("file name", "activities");
      break;
    case KOERS_EXPORT_TABLE_SKILLS:
      what = C_("file name", "skills");
      break;
    case KOERS_EXPORT_TABLE_CONSENT:
      what = C_("file name", "consent");
      break;
    default:
      /* Translators: part of an export's file name: koers-participants-2026-11-28.csv */
      what = C_("file name", "participants");
      break;
    }
  return g_strdup_printf ("koers-%s-%s.%s", what, today,
                          koers_export_format_to_id (selected_format (self)));
}

static void
chooser_response_cb (KoersExportDialog    *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  update_actions (self);
  if (file != NULL)
    start_export (self, file);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KoersExportDialog *self = KOERS_EXPORT_DIALOG (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;
  gboolean xlsx = selected_format (self) == KOERS_EXPORT_FORMAT_XLSX;

  if (self->busy || self->chooser != NULL)
    return;
  if (self->file != NULL)
    {
      start_export (self, self->file);
      return;
    }

  self->chooser = gtk_file_chooser_native_new (_("Export"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                               _("_Cancel"));
  name = default_name (self);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  gtk_file_filter_set_name (filter, xlsx ? _("Excel workbooks") : _("CSV files"));
  gtk_file_filter_add_suffix (filter, xlsx ? "xlsx" : "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  update_actions (self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* During an export, Cancel (and Escape) stops it and the dialog stays, to say so and to let
 * the user export again; otherwise it closes the dialog. */
static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KoersExportDialog *self = KOERS_EXPORT_DIALOG (widget);

  if (self->busy)
    {
      g_cancellable_cancel (self->cancellable);
      update_progress (self);
      return;
    }
  gtk_window_close (GTK_WINDOW (widget));
}

static gboolean
koers_export_dialog_close_request (GtkWindow *window)
{
  KoersExportDialog *self = KOERS_EXPORT_DIALOG (window);

  /* Closing is cancelling: the worker removes the unfinished file by itself, whether or not
   * the dialog is still there to hear about it. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  return GTK_WINDOW_CLASS (koers_export_dialog_parent_class)->close_request (window);
}

/* --- GObject ---------------------------------------------------------------------------- */

static void
koers_export_dialog_unrealize (GtkWidget *widget)
{
  KoersExportDialog *self = KOERS_EXPORT_DIALOG (widget);

  koers_transfer_dialog_stop_on_unrealize (self->cancellable, &self->closed);

  GTK_WIDGET_CLASS (koers_export_dialog_parent_class)->unrealize (widget);
}

static void
koers_export_dialog_dispose (GObject *object)
{
  KoersExportDialog *self = KOERS_EXPORT_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_handle_id (&self->progress_timer, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), KOERS_TYPE_EXPORT_DIALOG);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (koers_export_dialog_parent_class)->dispose (object);
}

static void
koers_export_dialog_finalize (GObject *object)
{
  KoersExportDialog *self = KOERS_EXPORT_DIALOG (object);

  koers_caseload_query_clear (&self->query);
  g_clear_object (&self->file);
  g_atomic_rc_box_release (self->progress);

  G_OBJECT_CLASS (koers_export_dialog_parent_class)->finalize (object);
}

static void
koers_export_dialog_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  KoersExportDialog *self = KOERS_EXPORT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_export_dialog_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  KoersExportDialog *self = KOERS_EXPORT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    case PROP_FILE:
      koers_export_dialog_set_file (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_export_dialog_class_init (KoersExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = koers_export_dialog_dispose;
  widget_class->unrealize = koers_export_dialog_unrealize;
  object_class->finalize = koers_export_dialog_finalize;
  object_class->get_property = koers_export_dialog_get_property;
  object_class->set_property = koers_export_dialog_set_property;
  window_class->close_request = koers_export_dialog_close_request;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, KOERS_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[EXPORTED] =
    g_signal_new ("exported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_FILE, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/nl/achterhoek/Koers/caseload/koers-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, KoersExportDialog, progress_box);
  gtk_widget_class_bind_template_child (widget_class, KoersExportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, KoersExportDialog, message_label);
  gtk_widget_class_bind_template_child (widget_class, KoersExportDialog, current_row);
  gtk_widget_class_bind_template_child (widget_class, KoersExportDialog, current_check);
  gtk_widget_class_bind_template_child (widget_class, KoersExportDialog, participants_check);
  gtk_widget_class_bind_template_child (widget_class, KoersExportDialog, notes_check);
  gtk_widget_class_bind_template_child (widget_class, KoersExportDialog, activities_check);
  gtk_widget_class_bind_template_child (widget_class, KoersExportDialog, skills_check);
  gtk_widget_class_bind_template_child (widget_class, KoersExportDialog, consent_check);
  gtk_widget_class_bind_template_child (widget_class, KoersExportDialog, csv_check);
  gtk_widget_class_bind_template_child (widget_class, KoersExportDialog, xlsx_check);
  gtk_widget_class_bind_template_child (widget_class, KoersExportDialog, content_box);

  gtk_widget_class_install_action (widget_class, "export.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "export.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "export.cancel", NULL);
}

static void
koers_export_dialog_init (KoersExportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  koers_caseload_query_init (&self->query);
  self->progress = g_atomic_rc_box_new0 (ExportProgress);
  self->progress->n_total = -1;
}

GtkWindow *
koers_export_dialog_new (GtkWindow                *parent,
                         KoersContext             *context,
                         const KoersCaseloadQuery *query,
                         guint                     n_current)
{
  KoersExportDialog *self;
  g_autofree char *subtitle = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (KOERS_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  self = g_object_new (KOERS_TYPE_EXPORT_DIALOG,
                       "transient-for", parent,
                       "context", context,
                       NULL);
  koers_caseload_query_copy (&self->query, query);
  self->n_current = n_current;
  /* Translators: under "Current list" in the export dialog */
  subtitle = g_strdup_printf (ngettext ("%'u participant, with the active filters and search",
                                        "%'u participants, with the active filters and search",
                                        n_current), n_current);
  adw_action_row_set_subtitle (self->current_row, subtitle);
  return GTK_WINDOW (self);
}

void
koers_export_dialog_set_file (KoersExportDialog *self,
                              GFile             *file)
{
  g_return_if_fail (KOERS_IS_EXPORT_DIALOG (self));
  g_return_if_fail (file == NULL || G_IS_FILE (file));

  if (!g_set_object (&self->file, file))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
}

GFile *
koers_export_dialog_get_file (KoersExportDialog *self)
{
  g_return_val_if_fail (KOERS_IS_EXPORT_DIALOG (self), NULL);

  return self->file;
}

gboolean
koers_export_dialog_get_busy (KoersExportDialog *self)
{
  g_return_val_if_fail (KOERS_IS_EXPORT_DIALOG (self), FALSE);

  return self->busy;
}

void
koers_export_dialog_show_progress (KoersExportDialog *self,
                                   guint              n_done,
                                   guint              n_total)
{
  g_return_if_fail (KOERS_IS_EXPORT_DIALOG (self));

  g_atomic_int_set (&self->progress->n_total, (int) MIN (n_total, G_MAXINT));
  g_atomic_int_set (&self->progress->n_done, (int) MIN (n_done, G_MAXINT));
  set_busy (self, TRUE);
  update_progress (self);
}
