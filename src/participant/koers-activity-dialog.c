/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "participant/koers-activity-dialog.h"

#include "core/koers-participant.h"
#include "core/koers-text.h"

enum {
  FIELD_TITLE,
  FIELD_PROVIDER,
  FIELD_EMPLOYER,
  FIELD_STARTED_ON,
  FIELD_ENDED_ON,
  N_FIELDS
};

struct _KoersActivityDialog
{
  KoersFormDialog parent_instance;

  char           *participant_id;
  KoersActivity  *original;       /* NULL when adding */
  AdwComboRow    *kind_row;
  AdwEntryRow    *title_row;
  AdwComboRow    *sector_row;
  AdwEntryRow    *provider_row;
  AdwEntryRow    *employer_row;
  AdwComboRow    *nlqf_row;
  AdwEntryRow    *started_on_row;
  AdwEntryRow    *ended_on_row;
  KoersFormField  fields[N_FIELDS];
};

G_DEFINE_FINAL_TYPE (KoersActivityDialog, koers_activity_dialog, KOERS_TYPE_FORM_DIALOG)

static const char *
kind_label (int value)
{
  return koers_activity_kind_label (value);
}

static const char *
sector_label (int value)
{
  return koers_sector_label (value);
}

static const char *
nlqf_label (int value)
{
  static char levels[9][4];

  if (value == 0)
    return _("Not known");
  g_snprintf (levels[value], sizeof levels[value], "%d", value);
  return levels[value];
}

static void
update_visibility (KoersActivityDialog *self)
{
  KoersActivityKind kind = adw_combo_row_get_selected (self->kind_row);

  gtk_widget_set_visible (GTK_WIDGET (self->sector_row), kind == KOERS_ACTIVITY_PROEVERIJ);
  gtk_widget_set_visible (GTK_WIDGET (self->employer_row),
                          kind == KOERS_ACTIVITY_PROEVERIJ
                          || kind == KOERS_ACTIVITY_WORK_LEARNING_PLACE);
  gtk_widget_set_visible (GTK_WIDGET (self->provider_row),
                          kind != KOERS_ACTIVITY_WORK_LEARNING_PLACE);
  gtk_widget_set_visible (GTK_WIDGET (self->nlqf_row), koers_activity_kind_is_credential (kind));
}

static void
check_text (AdwEntryRow *row,
            const char  *label,
            gboolean     required,
            GHashTable  *messages,
            const char  *key)
{
  g_autofree char *text = koers_form_entry_text (row);
  g_autofree char *reason = NULL;

  if (text == NULL)
    {
      if (required)
        g_hash_table_insert (messages, g_strdup (key),
                             /* Translators: %s is a field name, "Title" */
                             g_strdup_printf (_("%s is required"), label));
      return;
    }
  if (g_utf8_strlen (text, -1) > KOERS_SHORT_TEXT_MAX_CHARS)
    g_hash_table_insert (messages, g_strdup (key),
                         g_strdup_printf (_("%s is too long: at most %d characters"), label,
                                          KOERS_SHORT_TEXT_MAX_CHARS));
  else if (!koers_text_check_participant_text (text, FALSE, &reason))
    g_hash_table_insert (messages, g_strdup (key), g_steal_pointer (&reason));
}

static gboolean
koers_activity_dialog_validate (KoersFormDialog *dialog)
{
  KoersActivityDialog *self = KOERS_ACTIVITY_DIALOG (dialog);
  g_autoptr(GHashTable) messages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          g_free);
  g_autofree char *started = NULL;
  g_autofree char *ended = NULL;
  gboolean title_typed = gtk_editable_get_text (GTK_EDITABLE (self->title_row))[0] != '\0';

  update_visibility (self);
  check_text (self->title_row, _("Title"), TRUE, messages, "title");
  check_text (self->provider_row, _("Provider"), FALSE, messages, "provider");
  check_text (self->employer_row, _("Employer"), FALSE, messages, "employer");
  koers_form_parse_date (self->started_on_row, &started, messages, "started-on");
  koers_form_parse_date (self->ended_on_row, &ended, messages, "ended-on");
  if (started != NULL && ended != NULL && g_strcmp0 (ended, started) < 0)
    g_hash_table_insert (messages, g_strdup ("ended-on"),
                         g_strdup (_("End date cannot be before the start date")));

  /* A title nobody typed yet only keeps Save off; it is not shouted at. */
  koers_form_field_set_message (&self->fields[FIELD_TITLE],
                                title_typed || self->original != NULL
                                ? g_hash_table_lookup (messages, "title") : NULL);
  koers_form_field_set_message (&self->fields[FIELD_PROVIDER],
                                g_hash_table_lookup (messages, "provider"));
  koers_form_field_set_message (&self->fields[FIELD_EMPLOYER],
                                g_hash_table_lookup (messages, "employer"));
  koers_form_field_set_message (&self->fields[FIELD_STARTED_ON],
                                g_hash_table_lookup (messages, "started-on"));
  koers_form_field_set_message (&self->fields[FIELD_ENDED_ON],
                                g_hash_table_lookup (messages, "ended-on"));
  return g_hash_table_size (messages) == 0;
}

typedef struct {
  KoersActivity *activity;
  char          *actor;
  gboolean       update;
} ActivityJob;

static void
activity_job_free (gpointer data)
{
  ActivityJob *job = data;

  koers_activity_free (job->activity);
  g_free (job->actor);
  g_free (job);
}

static gpointer
activity_job_run (KoersDatabase *db,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  ActivityJob *job = data;
  gboolean ok;

  if (job->update)
    ok = koers_activity_repository_update (db, job->activity, job->actor, error);
  else
    ok = koers_activity_repository_insert (db, job->activity, job->actor, error);
  return ok ? g_strdup (job->activity->meta.id) : NULL;
}

static void
koers_activity_dialog_save (KoersFormDialog *dialog)
{
  KoersActivityDialog *self = KOERS_ACTIVITY_DIALOG (dialog);
  ActivityJob *job = g_new0 (ActivityJob, 1);
  KoersActivity *a = koers_activity_new ();
  KoersActivityKind kind = adw_combo_row_get_selected (self->kind_row);

  if (self->original != NULL)
    koers_record_meta_copy (&a->meta, &self->original->meta);
  a->participant_id = g_strdup (self->participant_id);
  a->kind = kind;
  a->title = koers_form_entry_text (self->title_row);
  a->sector = kind == KOERS_ACTIVITY_PROEVERIJ ? (int) adw_combo_row_get_selected (self->sector_row)
                                               : -1;
  if (gtk_widget_get_visible (GTK_WIDGET (self->provider_row)))
    a->provider = koers_form_entry_text (self->provider_row);
  if (gtk_widget_get_visible (GTK_WIDGET (self->employer_row)))
    a->employer = koers_form_entry_text (self->employer_row);
  a->nlqf_level = koers_activity_kind_is_credential (kind)
                  ? (int) adw_combo_row_get_selected (self->nlqf_row) : 0;
  koers_form_parse_date (self->started_on_row, &a->started_on, NULL, NULL);
  koers_form_parse_date (self->ended_on_row, &a->ended_on, NULL, NULL);

  job->activity = a;
  job->update = self->original != NULL;
  job->actor = g_strdup (koers_context_get_actor (koers_form_dialog_get_context (dialog)));
  koers_form_dialog_run (dialog, activity_job_run, job, activity_job_free, "activities");
}

static void
koers_activity_dialog_finalize (GObject *object)
{
  KoersActivityDialog *self = KOERS_ACTIVITY_DIALOG (object);

  g_free (self->participant_id);
  g_clear_pointer (&self->original, koers_activity_free);

  G_OBJECT_CLASS (koers_activity_dialog_parent_class)->finalize (object);
}

static void
koers_activity_dialog_class_init (KoersActivityDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  KoersFormDialogClass *dialog_class = KOERS_FORM_DIALOG_CLASS (klass);

  object_class->finalize = koers_activity_dialog_finalize;
  dialog_class->validate = koers_activity_dialog_validate;
  dialog_class->save = koers_activity_dialog_save;
}

static GtkWidget *
add_row (KoersActivityDialog *self,
         GtkWidget           *row,
         const char          *title,
         KoersFormField      *field)
{
  KoersFormDialog *dialog = KOERS_FORM_DIALOG (self);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  koers_form_dialog_add_row (dialog, row);
  if (field != NULL)
    koers_form_field_init (field, row);
  else
    gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                    -1);
  if (ADW_IS_ENTRY_ROW (row))
    g_signal_connect_object (row, "changed", G_CALLBACK (koers_form_dialog_changed), self,
                             G_CONNECT_SWAPPED);
  else
    g_signal_connect_object (row, "notify::selected", G_CALLBACK (koers_form_dialog_changed),
                             self, G_CONNECT_SWAPPED);
  return row;
}

static void
koers_activity_dialog_init (KoersActivityDialog *self)
{
  self->kind_row = ADW_COMBO_ROW (add_row (self, adw_combo_row_new (), _("Kind"), NULL));
  koers_form_dialog_set_choices (self->kind_row, kind_label, KOERS_N_ACTIVITY_KINDS);
  self->title_row = ADW_ENTRY_ROW (add_row (self, adw_entry_row_new (), _("Title"),
                                            &self->fields[FIELD_TITLE]));
  self->sector_row = ADW_COMBO_ROW (add_row (self, adw_combo_row_new (), _("Sector"), NULL));
  koers_form_dialog_set_choices (self->sector_row, sector_label, KOERS_N_SECTORS);
  self->provider_row = ADW_ENTRY_ROW (add_row (self, adw_entry_row_new (), _("Provider"),
                                               &self->fields[FIELD_PROVIDER]));
  self->employer_row = ADW_ENTRY_ROW (add_row (self, adw_entry_row_new (), _("Employer"),
                                               &self->fields[FIELD_EMPLOYER]));
  self->nlqf_row = ADW_COMBO_ROW (add_row (self, adw_combo_row_new (), _("NLQF level"), NULL));
  koers_form_dialog_set_choices (self->nlqf_row, nlqf_label, 9);
  self->started_on_row = ADW_ENTRY_ROW (add_row (self, adw_entry_row_new (), _("Start date"),
                                                 &self->fields[FIELD_STARTED_ON]));
  self->ended_on_row = ADW_ENTRY_ROW (add_row (self, adw_entry_row_new (), _("End date"),
                                               &self->fields[FIELD_ENDED_ON]));
  update_visibility (self);
}

GtkWindow *
koers_activity_dialog_new (GtkWindow           *parent,
                           KoersContext        *context,
                           const char          *participant_id,
                           const KoersActivity *activity)
{
  KoersActivityDialog *self;

  g_return_val_if_fail (KOERS_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (participant_id != NULL, NULL);

  self = g_object_new (KOERS_TYPE_ACTIVITY_DIALOG,
                       "transient-for", parent,
                       "context", context,
                       "title", activity != NULL ? _("Edit Activity") : _("Add Activity"),
                       NULL);
  self->participant_id = g_strdup (participant_id);
  if (activity != NULL)
    {
      self->original = koers_activity_new ();
      koers_record_meta_copy (&self->original->meta, &activity->meta);
      adw_combo_row_set_selected (self->kind_row, activity->kind);
      koers_form_set_text (self->title_row, activity->title);
      if (activity->sector >= 0)
        adw_combo_row_set_selected (self->sector_row, activity->sector);
      koers_form_set_text (self->provider_row, activity->provider);
      koers_form_set_text (self->employer_row, activity->employer);
      adw_combo_row_set_selected (self->nlqf_row, CLAMP (activity->nlqf_level, 0, 8));
      koers_form_set_date (self->started_on_row, activity->started_on);
      koers_form_set_date (self->ended_on_row, activity->ended_on);
    }
  koers_form_dialog_ready (KOERS_FORM_DIALOG (self));
  return GTK_WINDOW (self);
}
