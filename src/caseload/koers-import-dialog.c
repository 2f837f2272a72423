/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "caseload/koers-import-dialog.h"
#include "caseload/koers-import-dialog-private.h"
#include "caseload/koers-transfer-dialog-util.h"
#include "window/koers-rtl-scroll.h"

G_DEFINE_FINAL_TYPE (KoersImportDialog, koers_import_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_FILE,
  PROP_BUSY,
  N_PROPS
};

enum {
  IMPORTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

void
koers_import_dialog_update_actions (KoersImportDialog *self)
{
  gboolean finished = self->state == KOERS_IMPORT_STATE_REFUSED ||
                      self->state == KOERS_IMPORT_STATE_DONE;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.import",
                                 self->state == KOERS_IMPORT_STATE_PREVIEW && !self->busy &&
                                 koers_import_dialog_can_import (self));
  gtk_widget_set_visible (GTK_WIDGET (self->import_button), !finished);
  /* Once nothing can happen any more, leaving is not cancelling anything. */
  gtk_button_set_label (self->cancel_button, finished ? _("_Close") : _("_Cancel"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->cancel_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  finished ? _("Close") : _("Cancel"), -1);
  if (finished)
    gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->cancel_button));
}

static void
update_progress (KoersImportDialog *self)
{
  int phase = g_atomic_int_get (&self->progress->phase);
  int n_done = g_atomic_int_get (&self->progress->n_done);
  int n_total = g_atomic_int_get (&self->progress->n_total);
  g_autofree char *text = NULL;

  if (self->rechecking)
    {
      gtk_progress_bar_pulse (self->recheck_bar);
      return;
    }
  if (phase == KOERS_IMPORT_PHASE_FINISHING)
    {
      /* The indexes and the commit: no count to show, and still cancellable. */
      gtk_progress_bar_pulse (self->progress_bar);
      text = g_strdup (_("Almost done: updating the search index…"));
    }
  else if (phase == KOERS_IMPORT_PHASE_WRITING && n_total > 0)
    {
      gtk_progress_bar_set_fraction (self->progress_bar, MIN (1.0, (double) n_done / n_total));
      /* Translators: import progress, "1,200 of 3,000 rows written" */
      text = g_strdup_printf (_("%'d of %'d rows written"), n_done, n_total);
    }
  else
    {
      /* Checking: the length of a streamed file is not known in advance. */
      gtk_progress_bar_pulse (self->progress_bar);
      if (n_done > 0)
        /* Translators: import progress while the file is checked, "1,200 rows checked" */
        text = g_strdup_printf (ngettext ("%'d row checked", "%'d rows checked", n_done), n_done);
    }
  gtk_label_set_text (self->progress_label, text != NULL ? text : "");
}

static gboolean
progress_tick_cb (gpointer data)
{
  update_progress (KOERS_IMPORT_DIALOG (data));
  return G_SOURCE_CONTINUE;
}

void
koers_import_dialog_set_busy (KoersImportDialog *self,
                              gboolean           busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  if (busy && self->progress_timer == 0)
    self->progress_timer = g_timeout_add (100, progress_tick_cb, self);
  else if (!busy)
    g_clear_handle_id (&self->progress_timer, g_source_remove);
  gtk_widget_set_visible (GTK_WIDGET (self->recheck_bar), busy && self->rechecking);
  gtk_widget_set_sensitive (GTK_WIDGET (self->mapping_list), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->accept_check), !busy);
  koers_import_dialog_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

void
koers_import_dialog_set_state (KoersImportDialog *self,
                               KoersImportState   state)
{
  self->state = state;
  switch (state)
    {
    case KOERS_IMPORT_STATE_CHECKING:
      gtk_label_set_text (self->progress_title, _("Checking the File…"));
      gtk_label_set_text (self->progress_note,
                          _("Every row is checked before anything is written."));
      gtk_label_set_text (self->progress_label, "");
      gtk_stack_set_visible_child_name (self->state_stack, "progress");
      break;
    case KOERS_IMPORT_STATE_IMPORTING:
      gtk_label_set_text (self->progress_title, _("Importing…"));
      gtk_label_set_text (self->progress_note,
                          _("The import is one transaction: if you cancel it, nothing is "
                            "changed."));
      gtk_label_set_text (self->progress_label, "");
      gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
      gtk_stack_set_visible_child_name (self->state_stack, "progress");
      break;
    case KOERS_IMPORT_STATE_REFUSED:
      gtk_stack_set_visible_child_name (self->state_stack, "refused");
      break;
    case KOERS_IMPORT_STATE_PREVIEW:
      gtk_stack_set_visible_child_name (self->state_stack, "preview");
      break;
    case KOERS_IMPORT_STATE_DONE:
      gtk_stack_set_visible_child_name (self->state_stack, "done");
      break;
    default:
      g_assert_not_reached ();
    }
  koers_import_dialog_update_actions (self);
}

/* --- actions ---------------------------------------------------------------------------- */

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KoersImportDialog *self = KOERS_IMPORT_DIALOG (widget);

  if (self->busy || self->state != KOERS_IMPORT_STATE_PREVIEW ||
      !koers_import_dialog_can_import (self))
    return;
  koers_import_dialog_start_import (self);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KoersImportDialog *self = KOERS_IMPORT_DIALOG (widget);

  /* Cancelling the import itself returns to the preview, so the coach sees that nothing
   * changed and can fix the mapping; anywhere else Cancel closes the dialog. */
  if (self->state == KOERS_IMPORT_STATE_IMPORTING)
    {
      koers_import_dialog_stop (self);
      return;
    }
  gtk_window_close (GTK_WINDOW (self));
}

/* --- GObject ---------------------------------------------------------------------------- */

static void
koers_import_dialog_constructed (GObject *object)
{
  KoersImportDialog *self = KOERS_IMPORT_DIALOG (object);
  g_autofree char *name = NULL;

  G_OBJECT_CLASS (koers_import_dialog_parent_class)->constructed (object);

  g_assert (self->context != NULL);
  g_assert (self->file != NULL);

  name = g_file_get_basename (self->file);
  adw_window_title_set_subtitle (self->window_title, name);
  koers_import_dialog_set_state (self, KOERS_IMPORT_STATE_CHECKING);
  koers_import_dialog_start_check (self);
}

static void
koers_import_dialog_unrealize (GtkWidget *widget)
{
  KoersImportDialog *self = KOERS_IMPORT_DIALOG (widget);

  koers_transfer_dialog_stop_on_unrealize (self->cancellable, &self->closed);

  GTK_WIDGET_CLASS (koers_import_dialog_parent_class)->unrealize (widget);
}

static void
koers_import_dialog_dispose (GObject *object)
{
  KoersImportDialog *self = KOERS_IMPORT_DIALOG (object);

  /* A job still running stops; until it returns it writes nothing the dialog would see. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->progress_timer, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), KOERS_TYPE_IMPORT_DIALOG);
  g_clear_object (&self->issues);
  g_clear_object (&self->row_lines);
  g_clear_pointer (&self->dropdowns, g_ptr_array_unref);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (koers_import_dialog_parent_class)->dispose (object);
}

static void
koers_import_dialog_finalize (GObject *object)
{
  KoersImportDialog *self = KOERS_IMPORT_DIALOG (object);

  g_clear_object (&self->file);
  g_clear_pointer (&self->progress, g_atomic_rc_box_release);
  g_clear_pointer (&self->overrides, g_ptr_array_unref);
  g_clear_pointer (&self->report, koers_import_report_free);
  g_clear_pointer (&self->preview, koers_import_preview_free);

  G_OBJECT_CLASS (koers_import_dialog_parent_class)->finalize (object);
}

static void
koers_import_dialog_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  KoersImportDialog *self = KOERS_IMPORT_DIALOG (object);

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
koers_import_dialog_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  KoersImportDialog *self = KOERS_IMPORT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    case PROP_FILE:
      self->file = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_import_dialog_class_init (KoersImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = koers_import_dialog_constructed;
  object_class->dispose = koers_import_dialog_dispose;
  widget_class->unrealize = koers_import_dialog_unrealize;
  object_class->finalize = koers_import_dialog_finalize;
  object_class->get_property = koers_import_dialog_get_property;
  object_class->set_property = koers_import_dialog_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, KOERS_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[IMPORTED] =
    g_signal_new ("imported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/nl/achterhoek/Koers/caseload/koers-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, KoersImportDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, KoersImportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, KoersImportDialog, import_button);
  gtk_widget_class_bind_template_child (widget_class, KoersImportDialog, state_stack);
  gtk_widget_class_bind_template_child (widget_class, KoersImportDialog, progress_title);
  gtk_widget_class_bind_template_child (widget_class, KoersImportDialog, progress_label);
  gtk_widget_class_bind_template_child (widget_class, KoersImportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, KoersImportDialog, progress_note);
  gtk_widget_class_bind_template_child (widget_class, KoersImportDialog, refused_status);
  gtk_widget_class_bind_template_child (widget_class, KoersImportDialog, done_status);
  gtk_widget_class_bind_template_child (widget_class, KoersImportDialog, recheck_bar);
  gtk_widget_class_bind_template_child (widget_class, KoersImportDialog, message_label);
  gtk_widget_class_bind_template_child (widget_class, KoersImportDialog, detected_row);
  gtk_widget_class_bind_template_child (widget_class, KoersImportDialog, rows_row);
  gtk_widget_class_bind_template_child (widget_class, KoersImportDialog, rows_stack);
  gtk_widget_class_bind_template_child (widget_class, KoersImportDialog, rows_view);
  gtk_widget_class_bind_template_child (widget_class, KoersImportDialog, mapping_list);
  gtk_widget_class_bind_template_child (widget_class, KoersImportDialog, problems_group);
  gtk_widget_class_bind_template_child (widget_class, KoersImportDialog, problems_stack);
  gtk_widget_class_bind_template_child (widget_class, KoersImportDialog, issue_view);
  gtk_widget_class_bind_template_child (widget_class, KoersImportDialog, problems_more);
  gtk_widget_class_bind_template_child (widget_class, KoersImportDialog, accept_check);
  gtk_widget_class_bind_template_child (widget_class, KoersImportDialog, summary_label);
  koers_import_dialog_class_init_preview (widget_class);

  gtk_widget_class_install_action (widget_class, "import.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "import.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "import.cancel", NULL);
}

static void
koers_import_dialog_init (KoersImportDialog *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->progress = g_atomic_rc_box_new0 (KoersImportProgressState);
  self->overrides = g_ptr_array_new_with_free_func (g_free);
  self->issues = g_list_store_new (KOERS_TYPE_IMPORT_ISSUE_ITEM);
  self->row_lines = gtk_string_list_new (NULL);
  self->dropdowns = g_ptr_array_new ();
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->issues)));
  gtk_list_view_set_model (self->issue_view, GTK_SELECTION_MODEL (selection));
  /* The file's first rows open on its first column in Arabic too. */
  koers_rtl_scroll_keep_start (GTK_SCROLLABLE (self->rows_view));
}

GtkWindow *
koers_import_dialog_new (GtkWindow    *parent,
                         KoersContext *context,
                         GFile        *file)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (KOERS_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  return g_object_new (KOERS_TYPE_IMPORT_DIALOG,
                       "transient-for", parent,
                       "context", context,
                       "file", file,
                       NULL);
}

GFile *
koers_import_dialog_get_file (KoersImportDialog *self)
{
  g_return_val_if_fail (KOERS_IS_IMPORT_DIALOG (self), NULL);

  return self->file;
}

gboolean
koers_import_dialog_get_busy (KoersImportDialog *self)
{
  g_return_val_if_fail (KOERS_IS_IMPORT_DIALOG (self), FALSE);

  return self->busy;
}
