/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "participant/koers-skill-dialog.h"

#include "core/koers-participant.h"
#include "core/koers-text.h"

#include <string.h>

enum {
  FIELD_LABEL,
  FIELD_COMPETENTNL,
  FIELD_ISCO,
  FIELD_EVIDENCE,
  FIELD_VALIDATED_BY,
  N_FIELDS
};

struct _KoersSkillDialog
{
  KoersFormDialog parent_instance;

  char           *participant_id;
  KoersRecordMeta meta;           /* id empty when adding */
  AdwEntryRow    *rows[N_FIELDS];
  AdwComboRow    *nlqf_row;
  KoersFormField  fields[N_FIELDS];
};

G_DEFINE_FINAL_TYPE (KoersSkillDialog, koers_skill_dialog, KOERS_TYPE_FORM_DIALOG)

static const struct {
  const char *title;
  gboolean    required;
  guint       max_chars;
  gboolean    multi_line;
} field_specs[N_FIELDS] = {
  { N_("Skill"), TRUE, KOERS_SHORT_TEXT_MAX_CHARS, FALSE },
  { N_("CompetentNL code"), FALSE, KOERS_SHORT_TEXT_MAX_CHARS, FALSE },
  { N_("ISCO-08 code"), FALSE, 4, FALSE },
  { N_("Evidence"), FALSE, KOERS_LONG_TEXT_MAX_CHARS, TRUE },
  { N_("Validated by"), FALSE, KOERS_SHORT_TEXT_MAX_CHARS, FALSE },
};

static const char *
nlqf_label (int value)
{
  static char levels[9][4];

  if (value == 0)
    return _("Not known");
  g_snprintf (levels[value], sizeof levels[value], "%d", value);
  return levels[value];
}

static char *
field_problem (KoersSkillDialog *self,
               guint             i)
{
  g_autofree char *text = koers_form_entry_text (self->rows[i]);
  g_autofree char *reason = NULL;
  const char *title = _(field_specs[i].title);
  gboolean ok;

  if (text == NULL)
    return field_specs[i].required ? g_strdup_printf (_("%s is required"), title) : NULL;
  if (g_utf8_strlen (text, -1) > field_specs[i].max_chars && i != FIELD_ISCO)
    return g_strdup_printf (_("%s is too long: at most %u characters"), title,
                            field_specs[i].max_chars);
  if (i == FIELD_ISCO)
    {
      gboolean digits = strlen (text) == 4;

      for (guint j = 0; digits && j < 4; j++)
        digits = g_ascii_isdigit (text[j]);
      if (!digits)
        return g_strdup (_("ISCO-08 code must be four digits, such as 7212"));
    }
  ok = koers_text_check_participant_text (text, field_specs[i].multi_line, &reason);
  return ok ? NULL : g_steal_pointer (&reason);
}

static gboolean
koers_skill_dialog_validate (KoersFormDialog *dialog)
{
  KoersSkillDialog *self = KOERS_SKILL_DIALOG (dialog);
  gboolean valid = TRUE;

  for (guint i = 0; i < N_FIELDS; i++)
    {
      g_autofree char *problem = field_problem (self, i);
      gboolean typed = gtk_editable_get_text (GTK_EDITABLE (self->rows[i]))[0] != '\0';

      valid = valid && problem == NULL;
      /* An empty required field keeps Save off without a message until it is edited. */
      koers_form_field_set_message (&self->fields[i],
                                    typed || self->meta.id != NULL ? problem : NULL);
    }
  return valid;
}

typedef struct {
  KoersSkill *skill;
  char       *actor;
  gboolean    update;
} SkillJob;

static void
skill_job_free (gpointer data)
{
  SkillJob *job = data;

  koers_skill_free (job->skill);
  g_free (job->actor);
  g_free (job);
}

static gpointer
skill_job_run (KoersDatabase *db,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  SkillJob *job = data;
  gboolean ok;

  if (job->update)
    ok = koers_skill_repository_update (db, job->skill, job->actor, error);
  else
    ok = koers_skill_repository_insert (db, job->skill, job->actor, error);
  return ok ? g_strdup (job->skill->meta.id) : NULL;
}

static void
koers_skill_dialog_save (KoersFormDialog *dialog)
{
  KoersSkillDialog *self = KOERS_SKILL_DIALOG (dialog);
  SkillJob *job = g_new0 (SkillJob, 1);
  KoersSkill *s = koers_skill_new ();

  if (self->meta.id != NULL)
    koers_record_meta_copy (&s->meta, &self->meta);
  s->participant_id = g_strdup (self->participant_id);
  s->label = koers_form_entry_text (self->rows[FIELD_LABEL]);
  s->competentnl_code = koers_form_entry_text (self->rows[FIELD_COMPETENTNL]);
  s->isco_code = koers_form_entry_text (self->rows[FIELD_ISCO]);
  s->evidence = koers_form_entry_text (self->rows[FIELD_EVIDENCE]);
  s->validated_by = koers_form_entry_text (self->rows[FIELD_VALIDATED_BY]);
  s->nlqf_level = adw_combo_row_get_selected (self->nlqf_row);

  job->skill = s;
  job->update = self->meta.id != NULL;
  job->actor = g_strdup (koers_context_get_actor (koers_form_dialog_get_context (dialog)));
  koers_form_dialog_run (dialog, skill_job_run, job, skill_job_free, "skills");
}

static void
koers_skill_dialog_finalize (GObject *object)
{
  KoersSkillDialog *self = KOERS_SKILL_DIALOG (object);

  g_free (self->participant_id);
  koers_record_meta_clear (&self->meta);

  G_OBJECT_CLASS (koers_skill_dialog_parent_class)->finalize (object);
}

static void
koers_skill_dialog_class_init (KoersSkillDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  KoersFormDialogClass *dialog_class = KOERS_FORM_DIALOG_CLASS (klass);

  object_class->finalize = koers_skill_dialog_finalize;
  dialog_class->validate = koers_skill_dialog_validate;
  dialog_class->save = koers_skill_dialog_save;
}

static void
koers_skill_dialog_init (KoersSkillDialog *self)
{
  KoersFormDialog *dialog = KOERS_FORM_DIALOG (self);

  for (guint i = 0; i < N_FIELDS; i++)
    {
      GtkWidget *row = adw_entry_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(field_specs[i].title));
      koers_form_dialog_add_row (dialog, row);
      koers_form_field_init (&self->fields[i], row);
      self->rows[i] = ADW_ENTRY_ROW (row);
      g_signal_connect_object (row, "changed", G_CALLBACK (koers_form_dialog_changed), self,
                               G_CONNECT_SWAPPED);
      if (i == FIELD_ISCO)
        {
          self->nlqf_row = ADW_COMBO_ROW (adw_combo_row_new ());
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->nlqf_row), _("NLQF level"));
          gtk_accessible_update_property (GTK_ACCESSIBLE (self->nlqf_row),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, _("NLQF level"), -1);
          koers_form_dialog_set_choices (self->nlqf_row, nlqf_label, 9);
          koers_form_dialog_add_row (dialog, GTK_WIDGET (self->nlqf_row));
        }
    }
}

GtkWindow *
koers_skill_dialog_new (GtkWindow        *parent,
                        KoersContext     *context,
                        const char       *participant_id,
                        const KoersSkill *skill)
{
  KoersSkillDialog *self;

  g_return_val_if_fail (KOERS_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (participant_id != NULL, NULL);

  self = g_object_new (KOERS_TYPE_SKILL_DIALOG,
                       "transient-for", parent,
                       "context", context,
                       "title", skill != NULL ? _("Edit Skill") : _("Add Skill"),
                       NULL);
  self->participant_id = g_strdup (participant_id);
  if (skill != NULL)
    {
      koers_record_meta_copy (&self->meta, &skill->meta);
      koers_form_set_text (self->rows[FIELD_LABEL], skill->label);
      koers_form_set_text (self->rows[FIELD_COMPETENTNL], skill->competentnl_code);
      koers_form_set_text (self->rows[FIELD_ISCO], skill->isco_code);
      koers_form_set_text (self->rows[FIELD_EVIDENCE], skill->evidence);
      koers_form_set_text (self->rows[FIELD_VALIDATED_BY], skill->validated_by);
      adw_combo_row_set_selected (self->nlqf_row, CLAMP (skill->nlqf_level, 0, 8));
    }
  koers_form_dialog_ready (KOERS_FORM_DIALOG (self));
  return GTK_WINDOW (self);
}
