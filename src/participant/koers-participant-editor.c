/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "participant/koers-participant-editor.h"

#include "core/koers-date.h"
#include "core/koers-i18n.h"
#include "core/koers-text.h"
#include "participant/koers-coach-chooser.h"
#include "participant/koers-participant-display.h"
#include "participant/koers-form.h"
#include "storage/koers-participant-repository.h"

/* The rows that edit a participant property and can show a problem (switches cannot). */
#define N_FIELD_ROWS 17

struct _KoersParticipantEditor
{
  AdwWindow         parent_instance;

  KoersContext     *context;
  KoersParticipant *original;     /* NULL when creating */
  GCancellable     *cancellable;
  KoersCoachChooser *coaches;
  GHashTable       *touched;      /* property names the user changed */
  char             *save_error;
  char             *duplicate_id;
  guint             loading : 1;
  guint             busy : 1;
  guint             valid : 1;
  guint             show_all : 1; /* after a save attempt, or when editing: every message shows */
  guint             duplicates_checked : 1;

  AdwWindowTitle   *window_title;
  GtkButton        *save_button;
  GtkLabel         *form_message;
  AdwEntryRow      *name_row;
  AdwEntryRow      *preferred_name_row;
  AdwEntryRow      *birth_year_row;
  AdwComboRow      *municipality_row;
  AdwComboRow      *target_group_row;
  GtkSwitch        *civic_integration_duty_switch;
  AdwEntryRow      *phone_row;
  AdwEntryRow      *email_row;
  AdwEntryRow      *languages_row;
  AdwEntryRow      *preferred_language_row;
  AdwComboRow      *dutch_level_row;
  GtkSwitch        *digital_skills_need_switch;
  GtkSwitch        *basic_skills_need_switch;
  AdwComboRow      *coach_row;
  AdwComboRow      *project_line_row;
  AdwEntryRow      *registered_on_row;
  AdwEntryRow      *next_action_row;
  AdwEntryRow      *next_action_date_row;
  AdwEntryRow      *interests_row;
  AdwEntryRow      *ambitions_row;

  KoersFormField    fields[N_FIELD_ROWS];
};

G_DEFINE_FINAL_TYPE (KoersParticipantEditor, koers_participant_editor, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_PARTICIPANT,
  N_PROPS
};

enum {
  SAVED,
  OPEN_EXISTING,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The form's rows and the participant property each one edits, in form order. */
static const struct {
  const char *property;
  gsize       offset;
} field_rows[] = {
  { "name", G_STRUCT_OFFSET (KoersParticipantEditor, name_row) },
  { "preferred-name", G_STRUCT_OFFSET (KoersParticipantEditor, preferred_name_row) },
  { "birth-year", G_STRUCT_OFFSET (KoersParticipantEditor, birth_year_row) },
  { "municipality", G_STRUCT_OFFSET (KoersParticipantEditor, municipality_row) },
  { "target-group", G_STRUCT_OFFSET (KoersParticipantEditor, target_group_row) },
  { "phone", G_STRUCT_OFFSET (KoersParticipantEditor, phone_row) },
  { "email", G_STRUCT_OFFSET (KoersParticipantEditor, email_row) },
  { "languages", G_STRUCT_OFFSET (KoersParticipantEditor, languages_row) },
  { "preferred-language", G_STRUCT_OFFSET (KoersParticipantEditor, preferred_language_row) },
  { "dutch-level", G_STRUCT_OFFSET (KoersParticipantEditor, dutch_level_row) },
  { "coach-id", G_STRUCT_OFFSET (KoersParticipantEditor, coach_row) },
  { "project-line", G_STRUCT_OFFSET (KoersParticipantEditor, project_line_row) },
  { "registered-on", G_STRUCT_OFFSET (KoersParticipantEditor, registered_on_row) },
  { "next-action", G_STRUCT_OFFSET (KoersParticipantEditor, next_action_row) },
  { "next-action-date", G_STRUCT_OFFSET (KoersParticipantEditor, next_action_date_row) },
  { "interests", G_STRUCT_OFFSET (KoersParticipantEditor, interests_row) },
  { "ambitions", G_STRUCT_OFFSET (KoersParticipantEditor, ambitions_row) },
};

G_STATIC_ASSERT (G_N_ELEMENTS (field_rows) == N_FIELD_ROWS);

static void
koers_participant_editor_update_actions (KoersParticipantEditor *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", self->valid && !self->busy);
}

/* Reads the form into a participant. Text the participant cannot hold as typed (a birth year
 * that is not a number, a date that does not parse) leaves its message in @messages. */
static KoersParticipant *
koers_participant_editor_collect (KoersParticipantEditor *self,
                                  GHashTable             *messages)
{
  KoersParticipant *p;
  g_autofree char *name = NULL;
  g_autofree char *preferred_name = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *email = NULL;
  g_autofree char *languages = NULL;
  g_autofree char *preferred_language = NULL;
  g_autofree char *next_action = NULL;
  g_autofree char *interests = NULL;
  g_autofree char *ambitions = NULL;
  g_autofree char *registered_on = NULL;
  g_autofree char *next_action_date = NULL;
  int birth_year = 0;

  p = self->original != NULL ? koers_participant_copy (self->original) : koers_participant_new ();

  name = koers_form_entry_text (self->name_row);
  preferred_name = koers_form_entry_text (self->preferred_name_row);
  phone = koers_form_entry_text (self->phone_row);
  email = koers_form_entry_text (self->email_row);
  languages = koers_form_entry_text (self->languages_row);
  preferred_language = koers_form_entry_text (self->preferred_language_row);
  next_action = koers_form_entry_text (self->next_action_row);
  interests = koers_form_entry_text (self->interests_row);
  ambitions = koers_form_entry_text (self->ambitions_row);

  koers_participant_set_name (p, name != NULL ? name : "");
  koers_participant_set_preferred_name (p, preferred_name);
  koers_participant_set_phone (p, phone);
  koers_participant_set_email (p, email);
  koers_participant_set_languages (p, languages);
  koers_participant_set_preferred_language (p, preferred_language);
  koers_participant_set_next_action (p, next_action);
  koers_participant_set_interests (p, interests);
  koers_participant_set_ambitions (p, ambitions);

  if (koers_form_parse_year (self->birth_year_row, &birth_year, messages, "birth-year"))
    koers_participant_set_birth_year (p, birth_year);

  koers_participant_set_municipality (p, adw_combo_row_get_selected (self->municipality_row));
  koers_participant_set_target_group (p, adw_combo_row_get_selected (self->target_group_row));
  koers_participant_set_dutch_level (p, adw_combo_row_get_selected (self->dutch_level_row));
  koers_participant_set_civic_integration_duty (p,
      gtk_switch_get_active (self->civic_integration_duty_switch));
  koers_participant_set_digital_skills_need (p,
      gtk_switch_get_active (self->digital_skills_need_switch));
  koers_participant_set_basic_skills_need (p,
      gtk_switch_get_active (self->basic_skills_need_switch));
  koers_participant_set_coach_id (p, koers_coach_chooser_get_selected_id (self->coaches));
  koers_participant_set_project_line (p, adw_combo_row_get_selected (self->project_line_row));

  if (koers_form_parse_date (self->registered_on_row, &registered_on, messages, "registered-on"))
    koers_participant_set_registered_on (p, registered_on);
  if (koers_form_parse_date (self->next_action_date_row, &next_action_date, messages,
                             "next-action-date"))
    koers_participant_set_next_action_date (p, next_action_date);

  return p;
}

static void
koers_participant_editor_validate (KoersParticipantEditor *self)
{
  g_autoptr(GHashTable) messages = NULL;
  g_autoptr(KoersParticipant) candidate = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GString) other = g_string_new (NULL);

  if (self->loading)
    return;

  messages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  candidate = koers_participant_editor_collect (self, messages);
  problems = koers_participant_validate (candidate, koers_date_today_year ());
  for (guint i = 0; i < problems->len; i++)
    {
      KoersFieldError *problem = g_ptr_array_index (problems, i);

      /* A field that did not even parse keeps its parse message: it says what to type. */
      if (!g_hash_table_contains (messages, problem->field))
        g_hash_table_insert (messages, g_strdup (problem->field), g_strdup (problem->message));
    }

  self->valid = g_hash_table_size (messages) == 0;

  for (guint i = 0; i < N_FIELD_ROWS; i++)
    {
      const char *property = field_rows[i].property;
      const char *message = g_hash_table_lookup (messages, property);
      gboolean show = self->show_all || g_hash_table_contains (self->touched, property);

      koers_form_field_set_message (&self->fields[i], show ? message : NULL);
      g_hash_table_remove (messages, property);
    }

  /* Rules about fields this form does not show (outcome date, status) still block saving. */
  if (self->show_all)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, messages);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        g_string_append_printf (other, "%s%s", other->len > 0 ? "\n" : "", (char *) value);
    }
  if (self->save_error != NULL)
    g_string_append_printf (other, "%s%s", other->len > 0 ? "\n" : "", self->save_error);

  gtk_label_set_text (self->form_message, other->str);
  gtk_widget_set_visible (GTK_WIDGET (self->form_message), other->len > 0);

  koers_participant_editor_update_actions (self);
}

static void
on_field_changed (KoersParticipantEditor *self,
                  gpointer                sender)
{
  if (self->loading)
    return;

  for (guint i = 0; i < N_FIELD_ROWS; i++)
    {
      if (self->fields[i].row == sender)
        g_hash_table_add (self->touched, (gpointer) field_rows[i].property);
    }
  g_clear_pointer (&self->save_error, g_free);
  koers_participant_editor_validate (self);
}

static void
koers_participant_editor_set_busy (KoersParticipantEditor *self,
                                   gboolean                busy)
{
  self->busy = !!busy;
  koers_participant_editor_update_actions (self);
}

static void
koers_participant_editor_fail (KoersParticipantEditor *self,
                               const GError           *error)
{
  g_free (self->save_error);
  self->save_error = g_strdup_printf (_("Could not save: %s"), error->message);
  koers_participant_editor_set_busy (self, FALSE);
  koers_participant_editor_validate (self);
}

typedef struct {
  KoersParticipant *participant;
  char             *actor;
  gboolean          insert;
} WriteJob;

static void
write_job_free (gpointer data)
{
  WriteJob *job = data;

  g_clear_object (&job->participant);
  g_free (job->actor);
  g_free (job);
}

static gpointer
write_job_run (KoersDatabase *db,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  WriteJob *job = data;
  gboolean ok;

  if (job->insert)
    ok = koers_participant_repository_insert (db, job->participant, job->actor, error);
  else
    ok = koers_participant_repository_update (db, job->participant, job->actor, error);
  if (!ok)
    return NULL;
  return g_strdup (koers_participant_get_id (job->participant));
}

static void
write_job_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(KoersParticipantEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  id = koers_store_run_finish (KOERS_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->context == NULL)
    return;
  if (id == NULL)
    {
      koers_participant_editor_fail (self, error);
      return;
    }

  g_signal_emit (self, signals[SAVED], 0, id);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
koers_participant_editor_write (KoersParticipantEditor *self)
{
  WriteJob *job = g_new0 (WriteJob, 1);

  job->participant = koers_participant_editor_collect (self, NULL);
  job->actor = g_strdup (koers_context_get_actor (self->context));
  job->insert = self->original == NULL;
  koers_participant_editor_set_busy (self, TRUE);
  koers_store_run_async (koers_context_get_store (self->context), write_job_run, job,
                         write_job_free, g_free, "participants", self->cancellable,
                         write_job_done, g_object_ref (self));
}

static gboolean
destroy_idle (gpointer data)
{
  g_autoptr(KoersParticipantEditor) self = data;

  gtk_window_destroy (GTK_WINDOW (self));
  return G_SOURCE_REMOVE;
}

static void
on_duplicate_response (AdwMessageDialog       *dialog,
                       const char             *response,
                       KoersParticipantEditor *self)
{
  if (g_strcmp0 (response, "create") == 0)
    {
      self->duplicates_checked = TRUE;
      koers_participant_editor_write (self);
    }
  else if (g_strcmp0 (response, "open") == 0)
    {
      g_autofree char *id = g_strdup (self->duplicate_id);

      g_signal_emit (self, signals[OPEN_EXISTING], 0, id);
      /* The message dialog is still finishing its response; the editor, its parent, goes
       * once that is done. */
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      g_idle_add (destroy_idle, g_object_ref (self));
    }
}

static void
koers_participant_editor_warn_duplicate (KoersParticipantEditor *self,
                                         KoersParticipant       *existing)
{
  AdwMessageDialog *dialog;
  g_autofree char *name = koers_display_participant_name (existing);
  const char *municipality =
    koers_municipality_label (koers_participant_get_municipality (existing));
  int year = koers_participant_get_birth_year (existing);

  g_free (self->duplicate_id);
  self->duplicate_id = g_strdup (koers_participant_get_id (existing));

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Possible Duplicate"), NULL));
  if (year > 0)
    adw_message_dialog_format_body (dialog,
                                    /* Translators: name, birth year, municipality of a
                                     * participant already in the caseload */
                                    _("Possible duplicate: %s, born %d, %s already exists."),
                                    name, year, municipality);
  else
    adw_message_dialog_format_body (dialog, _("Possible duplicate: %s, %s already exists."),
                                    name, municipality);
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "create", _("Create _Anyway"),
                                    "open", _("_Open Existing"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "open", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "open");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_duplicate_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static gpointer
find_duplicates_run (KoersDatabase *db,
                     gpointer       data,
                     GCancellable  *cancellable,
                     GError       **error)
{
  return koers_participant_repository_find_duplicates (db, data, error);
}

static void
find_duplicates_done (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(KoersParticipantEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) duplicates = NULL;

  duplicates = koers_store_run_finish (KOERS_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->context == NULL)
    return;
  if (duplicates == NULL)
    {
      koers_participant_editor_fail (self, error);
      return;
    }

  if (duplicates->len > 0)
    {
      koers_participant_editor_set_busy (self, FALSE);
      koers_participant_editor_warn_duplicate (self, g_ptr_array_index (duplicates, 0));
      return;
    }

  self->duplicates_checked = TRUE;
  koers_participant_editor_write (self);
}

static void
koers_participant_editor_save (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  KoersParticipantEditor *self = KOERS_PARTICIPANT_EDITOR (widget);

  self->show_all = TRUE;
  koers_participant_editor_validate (self);
  if (!self->valid || self->busy)
    return;

  if (self->original == NULL && !self->duplicates_checked)
    {
      koers_participant_editor_set_busy (self, TRUE);
      koers_store_run_async (koers_context_get_store (self->context), find_duplicates_run,
                             koers_participant_editor_collect (self, NULL), g_object_unref,
                             (GDestroyNotify) g_ptr_array_unref, NULL, self->cancellable,
                             find_duplicates_done, g_object_ref (self));
      return;
    }

  koers_participant_editor_write (self);
}

static void
koers_participant_editor_cancel (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static const char *
municipality_label (int value)
{
  return koers_municipality_label (value);
}

static const char *
target_group_label (int value)
{
  return koers_target_group_label (value);
}

static const char *
cefr_label (int value)
{
  return koers_cefr_level_label (value);
}

static const char *
project_line_label (int value)
{
  return value == 0 ? _("None") : koers_project_line_label (value);
}

static void
koers_participant_editor_fill (KoersParticipantEditor *self)
{
  KoersParticipant *p = self->original;
  g_autofree char *birth_year = NULL;
  g_autofree char *today = koers_date_today_iso ();

  self->loading = TRUE;

  adw_combo_row_set_model (self->municipality_row,
                           koers_form_labels_model (municipality_label, KOERS_N_MUNICIPALITIES));
  adw_combo_row_set_model (self->target_group_row,
                           koers_form_labels_model (target_group_label, KOERS_N_TARGET_GROUPS));
  adw_combo_row_set_model (self->dutch_level_row,
                           koers_form_labels_model (cefr_label, KOERS_N_CEFR_LEVELS));
  adw_combo_row_set_model (self->project_line_row,
                           koers_form_labels_model (project_line_label, KOERS_N_PROJECT_LINES + 1));
  g_object_unref (adw_combo_row_get_model (self->municipality_row));
  g_object_unref (adw_combo_row_get_model (self->target_group_row));
  g_object_unref (adw_combo_row_get_model (self->dutch_level_row));
  g_object_unref (adw_combo_row_get_model (self->project_line_row));

  if (p == NULL)
    {
      adw_window_title_set_title (self->window_title, _("New Participant"));
      koers_form_set_date (self->registered_on_row, today);
      self->loading = FALSE;
      return;
    }

  adw_window_title_set_title (self->window_title, _("Edit Participant"));
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), koers_participant_get_name (p));
  koers_form_set_text (self->preferred_name_row, koers_participant_get_preferred_name (p));
  if (koers_participant_get_birth_year (p) > 0)
    birth_year = g_strdup_printf ("%d", koers_participant_get_birth_year (p));
  koers_form_set_text (self->birth_year_row, birth_year);
  adw_combo_row_set_selected (self->municipality_row, koers_participant_get_municipality (p));
  adw_combo_row_set_selected (self->target_group_row, koers_participant_get_target_group (p));
  gtk_switch_set_active (self->civic_integration_duty_switch,
                         koers_participant_get_civic_integration_duty (p));
  koers_form_set_text (self->phone_row, koers_participant_get_phone (p));
  koers_form_set_text (self->email_row, koers_participant_get_email (p));
  koers_form_set_text (self->languages_row, koers_participant_get_languages (p));
  koers_form_set_text (self->preferred_language_row,
                       koers_participant_get_preferred_language (p));
  adw_combo_row_set_selected (self->dutch_level_row, koers_participant_get_dutch_level (p));
  gtk_switch_set_active (self->digital_skills_need_switch,
                         koers_participant_get_digital_skills_need (p));
  gtk_switch_set_active (self->basic_skills_need_switch,
                         koers_participant_get_basic_skills_need (p));
  adw_combo_row_set_selected (self->project_line_row, koers_participant_get_project_line (p));
  koers_form_set_date (self->registered_on_row, koers_participant_get_registered_on (p));
  koers_form_set_text (self->next_action_row, koers_participant_get_next_action (p));
  koers_form_set_date (self->next_action_date_row, koers_participant_get_next_action_date (p));
  koers_form_set_text (self->interests_row, koers_participant_get_interests (p));
  koers_form_set_text (self->ambitions_row, koers_participant_get_ambitions (p));

  /* An existing record is judged whole from the start: every problem shows. */
  self->show_all = TRUE;
  self->loading = FALSE;
}

static void
on_coaches_loaded (KoersParticipantEditor *self)
{
  /* Loading the list re-selects; that is not the user touching the field. */
  koers_participant_editor_validate (self);
}

static void
koers_participant_editor_constructed (GObject *object)
{
  KoersParticipantEditor *self = KOERS_PARTICIPANT_EDITOR (object);

  G_OBJECT_CLASS (koers_participant_editor_parent_class)->constructed (object);

  g_assert (self->context != NULL);
  self->loading = TRUE;
  if (self->original != NULL)
    self->coaches = koers_coach_chooser_new (self->coach_row, self->context,
                                             koers_participant_get_coach_id (self->original));
  else
    self->coaches = koers_coach_chooser_new_for_new_participant (self->coach_row,
                                                                 self->context);
  koers_participant_editor_fill (self);
  g_signal_connect_object (self->coaches, "loaded", G_CALLBACK (on_coaches_loaded), self,
                           G_CONNECT_SWAPPED);
  koers_participant_editor_validate (self);
}

static void
koers_participant_editor_dispose (GObject *object)
{
  KoersParticipantEditor *self = KOERS_PARTICIPANT_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  for (guint i = 0; i < N_FIELD_ROWS; i++)
    koers_form_field_clear (&self->fields[i]);
  gtk_widget_dispose_template (GTK_WIDGET (self), KOERS_TYPE_PARTICIPANT_EDITOR);
  g_clear_object (&self->coaches);
  g_clear_object (&self->context);
  g_clear_object (&self->original);

  G_OBJECT_CLASS (koers_participant_editor_parent_class)->dispose (object);
}

static void
koers_participant_editor_finalize (GObject *object)
{
  KoersParticipantEditor *self = KOERS_PARTICIPANT_EDITOR (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->touched, g_hash_table_unref);
  g_free (self->save_error);
  g_free (self->duplicate_id);

  G_OBJECT_CLASS (koers_participant_editor_parent_class)->finalize (object);
}

static void
koers_participant_editor_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  KoersParticipantEditor *self = KOERS_PARTICIPANT_EDITOR (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_PARTICIPANT:
      g_value_set_object (value, self->original);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_participant_editor_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  KoersParticipantEditor *self = KOERS_PARTICIPANT_EDITOR (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    case PROP_PARTICIPANT:
      {
        KoersParticipant *p = g_value_get_object (value);

        self->original = p != NULL ? koers_participant_copy (p) : NULL;
      }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_participant_editor_class_init (KoersParticipantEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = koers_participant_editor_constructed;
  object_class->dispose = koers_participant_editor_dispose;
  object_class->finalize = koers_participant_editor_finalize;
  object_class->get_property = koers_participant_editor_get_property;
  object_class->set_property = koers_participant_editor_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, KOERS_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PARTICIPANT] =
    g_param_spec_object ("participant", NULL, NULL, KOERS_TYPE_PARTICIPANT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[OPEN_EXISTING] = g_signal_new ("open-existing", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
      "/nl/achterhoek/Koers/participant/koers-participant-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, KoersParticipantEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, KoersParticipantEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, KoersParticipantEditor, form_message);
  gtk_widget_class_bind_template_child (widget_class, KoersParticipantEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, KoersParticipantEditor, preferred_name_row);
  gtk_widget_class_bind_template_child (widget_class, KoersParticipantEditor, birth_year_row);
  gtk_widget_class_bind_template_child (widget_class, KoersParticipantEditor, municipality_row);
  gtk_widget_class_bind_template_child (widget_class, KoersParticipantEditor, target_group_row);
  gtk_widget_class_bind_template_child (widget_class, KoersParticipantEditor,
                                        civic_integration_duty_switch);
  gtk_widget_class_bind_template_child (widget_class, KoersParticipantEditor, phone_row);
  gtk_widget_class_bind_template_child (widget_class, KoersParticipantEditor, email_row);
  gtk_widget_class_bind_template_child (widget_class, KoersParticipantEditor, languages_row);
  gtk_widget_class_bind_template_child (widget_class, KoersParticipantEditor,
                                        preferred_language_row);
  gtk_widget_class_bind_template_child (widget_class, KoersParticipantEditor, dutch_level_row);
  gtk_widget_class_bind_template_child (widget_class, KoersParticipantEditor,
                                        digital_skills_need_switch);
  gtk_widget_class_bind_template_child (widget_class, KoersParticipantEditor,
                                        basic_skills_need_switch);
  gtk_widget_class_bind_template_child (widget_class, KoersParticipantEditor, coach_row);
  gtk_widget_class_bind_template_child (widget_class, KoersParticipantEditor, project_line_row);
  gtk_widget_class_bind_template_child (widget_class, KoersParticipantEditor, registered_on_row);
  gtk_widget_class_bind_template_child (widget_class, KoersParticipantEditor, next_action_row);
  gtk_widget_class_bind_template_child (widget_class, KoersParticipantEditor,
                                        next_action_date_row);
  gtk_widget_class_bind_template_child (widget_class, KoersParticipantEditor, interests_row);
  gtk_widget_class_bind_template_child (widget_class, KoersParticipantEditor, ambitions_row);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL,
                                   koers_participant_editor_save);
  gtk_widget_class_install_action (widget_class, "editor.cancel", NULL,
                                   koers_participant_editor_cancel);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "editor.cancel", NULL);
}

static void
koers_participant_editor_init (KoersParticipantEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->touched = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < N_FIELD_ROWS; i++)
    koers_form_field_init (&self->fields[i],
                           G_STRUCT_MEMBER (GtkWidget *, self, field_rows[i].offset));
}

GtkWindow *
koers_participant_editor_new (GtkWindow        *parent,
                              KoersContext     *context,
                              KoersParticipant *participant_or_null)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (KOERS_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (participant_or_null == NULL || KOERS_IS_PARTICIPANT (participant_or_null),
                        NULL);

  return g_object_new (KOERS_TYPE_PARTICIPANT_EDITOR,
                       "transient-for", parent,
                       "context", context,
                       "participant", participant_or_null,
                       NULL);
}
