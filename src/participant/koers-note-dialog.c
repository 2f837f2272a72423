/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "participant/koers-note-dialog.h"

#include "core/koers-date.h"
#include "core/koers-participant.h"
#include "core/koers-text.h"

struct _KoersNoteDialog
{
  KoersFormDialog parent_instance;

  char           *participant_id;
  char           *note_id;       /* NULL for a new note */
  AdwComboRow    *kind_row;
  AdwEntryRow    *date_row;
  GtkTextView    *body_view;
  GtkLabel       *body_message;
  KoersFormField  date_field;
};

G_DEFINE_FINAL_TYPE (KoersNoteDialog, koers_note_dialog, KOERS_TYPE_FORM_DIALOG)

static const char *
note_kind_label (int value)
{
  return koers_note_kind_label (value);
}

static char *
body_text (KoersNoteDialog *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->body_view);
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  return koers_text_normalize (text);
}

static gboolean
koers_note_dialog_validate (KoersFormDialog *dialog)
{
  KoersNoteDialog *self = KOERS_NOTE_DIALOG (dialog);
  g_autofree char *iso = NULL;
  g_autofree char *body = body_text (self);
  g_autofree char *reason = NULL;
  g_autoptr(GHashTable) messages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          g_free);
  const char *body_problem = NULL;

  if (koers_form_parse_date (self->date_row, &iso, messages, "occurred-on") && iso == NULL)
    g_hash_table_insert (messages, g_strdup ("occurred-on"),
                         g_strdup (_("Date is required: when was the contact?")));
  koers_form_field_set_message (&self->date_field, g_hash_table_lookup (messages, "occurred-on"));

  if (body == NULL || *body == '\0')
    body_problem = _("Note text is required");
  else if (g_utf8_strlen (body, -1) > KOERS_LONG_TEXT_MAX_CHARS)
    body_problem = _("Note text is too long: at most 10,000 characters");
  else if (!koers_text_check_participant_text (body, TRUE, &reason))
    body_problem = reason;

  /* An empty new note is not an error yet; it only keeps Save off. */
  gtk_label_set_text (self->body_message, body_problem != NULL ? body_problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->body_message),
                          body_problem != NULL && body != NULL && *body != '\0');

  return g_hash_table_size (messages) == 0 && body_problem == NULL;
}

typedef struct {
  KoersNote *note;
  char      *actor;
  gboolean   revise;
} NoteJob;

static void
note_job_free (gpointer data)
{
  NoteJob *job = data;

  koers_note_free (job->note);
  g_free (job->actor);
  g_free (job);
}

static gpointer
note_job_run (KoersDatabase *db,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  NoteJob *job = data;
  gboolean ok;

  if (job->revise)
    ok = koers_note_repository_revise (db, job->note, job->actor, error);
  else
    ok = koers_note_repository_add (db, job->note, job->actor, error);
  return ok ? g_strdup (job->note->meta.id) : NULL;
}

static void
koers_note_dialog_save (KoersFormDialog *dialog)
{
  KoersNoteDialog *self = KOERS_NOTE_DIALOG (dialog);
  KoersContext *context = koers_form_dialog_get_context (dialog);
  NoteJob *job = g_new0 (NoteJob, 1);

  job->note = koers_note_new ();
  job->note->participant_id = g_strdup (self->participant_id);
  job->note->kind = adw_combo_row_get_selected (self->kind_row);
  koers_form_parse_date (self->date_row, &job->note->occurred_on, NULL, NULL);
  job->note->body = body_text (self);
  job->revise = self->note_id != NULL;
  if (job->revise)
    job->note->meta.id = g_strdup (self->note_id);
  job->actor = g_strdup (koers_context_get_actor (context));
  koers_form_dialog_run (dialog, note_job_run, job, note_job_free, "notes");
}

static void
koers_note_dialog_finalize (GObject *object)
{
  KoersNoteDialog *self = KOERS_NOTE_DIALOG (object);

  g_free (self->participant_id);
  g_free (self->note_id);

  G_OBJECT_CLASS (koers_note_dialog_parent_class)->finalize (object);
}

static void
koers_note_dialog_class_init (KoersNoteDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  KoersFormDialogClass *dialog_class = KOERS_FORM_DIALOG_CLASS (klass);

  object_class->finalize = koers_note_dialog_finalize;
  dialog_class->validate = koers_note_dialog_validate;
  dialog_class->save = koers_note_dialog_save;
}

static void
koers_note_dialog_init (KoersNoteDialog *self)
{
  KoersFormDialog *dialog = KOERS_FORM_DIALOG (self);
  GtkWidget *frame;
  GtkWidget *scroller;
  GtkWidget *box;
  GtkWidget *heading;
  GtkWidget *view;
  g_autofree char *today = koers_date_today_iso ();

  self->kind_row = ADW_COMBO_ROW (koers_form_dialog_add_row (dialog, adw_combo_row_new ()));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->kind_row), _("Kind of contact"));
  koers_form_dialog_set_choices (self->kind_row, note_kind_label, KOERS_N_NOTE_KINDS);

  self->date_row = ADW_ENTRY_ROW (koers_form_dialog_add_row (dialog, adw_entry_row_new ()));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->date_row), _("Date of contact"));
  koers_form_set_date (self->date_row, today);
  koers_form_field_init (&self->date_field, GTK_WIDGET (self->date_row));

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  heading = gtk_label_new_with_mnemonic (_("_Note"));
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "heading");
  view = gtk_text_view_new ();
  self->body_view = GTK_TEXT_VIEW (view);
  gtk_text_view_set_wrap_mode (self->body_view, GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (self->body_view, FALSE);
  gtk_text_view_set_top_margin (self->body_view, 12);
  gtk_text_view_set_bottom_margin (self->body_view, 12);
  gtk_text_view_set_left_margin (self->body_view, 12);
  gtk_text_view_set_right_margin (self->body_view, 12);
  gtk_label_set_mnemonic_widget (GTK_LABEL (heading), view);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Note text"), -1);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), 180);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);
  frame = gtk_frame_new (NULL);
  gtk_frame_set_child (GTK_FRAME (frame), scroller);
  self->body_message = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->body_message, 0);
  gtk_label_set_wrap (self->body_message, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->body_message), "error");
  gtk_widget_add_css_class (GTK_WIDGET (self->body_message), "caption");
  gtk_widget_set_visible (GTK_WIDGET (self->body_message), FALSE);
  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), frame);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->body_message));
  koers_form_dialog_add_extra (dialog, box);

  g_signal_connect_object (self->kind_row, "notify::selected",
                           G_CALLBACK (koers_form_dialog_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->date_row, "changed",
                           G_CALLBACK (koers_form_dialog_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_text_view_get_buffer (self->body_view), "changed",
                           G_CALLBACK (koers_form_dialog_changed), self, G_CONNECT_SWAPPED);
}

GtkWindow *
koers_note_dialog_new (GtkWindow       *parent,
                       KoersContext    *context,
                       const char      *participant_id,
                       const KoersNote *note)
{
  KoersNoteDialog *self;

  g_return_val_if_fail (KOERS_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (participant_id != NULL, NULL);

  self = g_object_new (KOERS_TYPE_NOTE_DIALOG,
                       "transient-for", parent,
                       "context", context,
                       "title", note != NULL ? _("Edit Note") : _("Add Note"),
                       NULL);
  self->participant_id = g_strdup (participant_id);
  adw_preferences_group_set_title (koers_form_dialog_get_group (KOERS_FORM_DIALOG (self)),
                                   note != NULL ? _("Edit Note") : _("New Note"));
  if (note != NULL)
    {
      self->note_id = g_strdup (note->meta.id);
      adw_combo_row_set_selected (self->kind_row, note->kind);
      koers_form_set_date (self->date_row, note->occurred_on);
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->body_view), note->body, -1);
      adw_preferences_group_set_description (
          koers_form_dialog_get_group (KOERS_FORM_DIALOG (self)),
          _("Saving adds a new version; the earlier text stays in the note's history."));
    }
  koers_form_dialog_ready (KOERS_FORM_DIALOG (self));
  return GTK_WINDOW (self);
}
