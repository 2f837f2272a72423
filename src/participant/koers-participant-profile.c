/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "participant/koers-participant-profile.h"

#include "participant/koers-conflict-badge.h"
#include "participant/koers-participant-display.h"
#include "sync/koers-sync-review.h"

typedef enum {
  ROW_STATUS,
  ROW_OUTCOME,
  ROW_COACH,
  ROW_PROJECT_LINE,
  ROW_REGISTERED_ON,
  ROW_NEXT_ACTION,
  ROW_BIRTH_YEAR,
  ROW_MUNICIPALITY,
  ROW_CONTACT,
  ROW_LANGUAGES,
  ROW_DUTCH_LEVEL,
  ROW_NEEDS,
  ROW_TARGET_GROUP,
  ROW_CIVIC_INTEGRATION,
  ROW_INTERESTS,
  ROW_AMBITIONS,
  N_ROWS
} ProfileRow;

static const char * const row_titles[N_ROWS] = {
  N_("Status"),
  N_("Outcome"),
  N_("Coach"),
  N_("Project line"),
  N_("Registered on"),
  N_("Next action"),
  N_("Birth year"),
  N_("Municipality"),
  N_("Contact"),
  N_("Languages"),
  N_("Dutch level"),
  N_("Support needs"),
  N_("Target group"),
  N_("Civic-integration duty"),
  N_("Interests"),
  N_("Ambitions"),
};

/* Which fact shows each synced field of a participant (deelnemers). */
static const struct {
  const char *field;
  ProfileRow  row;
} field_rows[] = {
  { "status", ROW_STATUS },
  { "uitkomst", ROW_OUTCOME },
  { "uitkomstDatum", ROW_OUTCOME },
  { "coachId", ROW_COACH },
  { "projectlijn", ROW_PROJECT_LINE },
  { "aanmeldDatum", ROW_REGISTERED_ON },
  { "volgendeActie", ROW_NEXT_ACTION },
  { "volgendeActieDatum", ROW_NEXT_ACTION },
  { "geboortejaar", ROW_BIRTH_YEAR },
  { "gemeente", ROW_MUNICIPALITY },
  { "telefoon", ROW_CONTACT },
  { "email", ROW_CONTACT },
  { "talen", ROW_LANGUAGES },
  { "voorkeurstaal", ROW_LANGUAGES },
  { "niveauNederlands", ROW_DUTCH_LEVEL },
  { "digitaleVaardighedenNodig", ROW_NEEDS },
  { "basisvaardighedenNodig", ROW_NEEDS },
  { "doelgroep", ROW_TARGET_GROUP },
  { "inburgeringsplicht", ROW_CIVIC_INTEGRATION },
  { "interesses", ROW_INTERESTS },
  { "ambities", ROW_AMBITIONS },
};

struct _KoersParticipantProfile
{
  AdwBin               parent_instance;

  AdwPreferencesGroup *trajectory_group;
  AdwPreferencesGroup *profile_group;
  AdwActionRow        *rows[N_ROWS];
  GtkWidget           *badges[N_ROWS];
};

G_DEFINE_FINAL_TYPE (KoersParticipantProfile, koers_participant_profile, ADW_TYPE_BIN)

static void
set_row (KoersParticipantProfile *self,
         ProfileRow               row,
         const char              *value)
{
  /* User text is isolated so an Arabic phrase cannot reorder the row around it. */
  g_autofree char *shown = NULL;

  if (value == NULL || *value == '\0')
    shown = g_strdup (_("Not recorded"));
  else
    shown = koers_display_isolate (value);
  adw_action_row_set_subtitle (self->rows[row], shown);
}

static char *
join_nonempty (const char *separator,
               ...)
{
  GString *out = g_string_new (NULL);
  va_list args;
  const char *part;

  va_start (args, separator);
  while ((part = va_arg (args, const char *)) != NULL)
    {
      if (*part == '\0')
        continue;
      if (out->len > 0)
        g_string_append (out, separator);
      g_string_append (out, part);
    }
  va_end (args);
  return g_string_free (out, FALSE);
}

void
koers_participant_profile_set_participant (KoersParticipantProfile *self,
                                           KoersParticipant        *p,
                                           const char              *coach_name)
{
  g_autofree char *birth_year = NULL;
  g_autofree char *contact = NULL;
  g_autofree char *languages = NULL;
  g_autofree char *needs = NULL;
  g_autofree char *registered_on = NULL;
  g_autofree char *next_action = NULL;
  g_autofree char *next_action_date = NULL;
  g_autofree char *outcome = NULL;
  g_autofree char *preferred_language = NULL;
  KoersOutcome outcome_kind;

  g_return_if_fail (KOERS_IS_PARTICIPANT_PROFILE (self));
  g_return_if_fail (KOERS_IS_PARTICIPANT (p));

  adw_action_row_set_subtitle (self->rows[ROW_STATUS],
                               koers_status_label (koers_participant_get_status (p)));

  outcome_kind = koers_participant_get_outcome (p);
  if (outcome_kind == KOERS_OUTCOME_UNKNOWN)
    adw_action_row_set_subtitle (self->rows[ROW_OUTCOME], _("Not recorded"));
  else
    {
      g_autofree char *date = koers_display_date (koers_participant_get_outcome_date (p), NULL);

      outcome = date != NULL
                /* Translators: an outcome and the date it was reached, "Work since 28-11-2026" */
                ? g_strdup_printf (_("%s since %s"), koers_outcome_label (outcome_kind), date)
                : g_strdup (koers_outcome_label (outcome_kind));
      adw_action_row_set_subtitle (self->rows[ROW_OUTCOME], outcome);
    }

  set_row (self, ROW_COACH, coach_name != NULL ? coach_name : NULL);
  if (coach_name == NULL)
    adw_action_row_set_subtitle (self->rows[ROW_COACH], _("Unassigned"));
  adw_action_row_set_subtitle (self->rows[ROW_PROJECT_LINE],
                               koers_participant_get_project_line (p) > 0
                               ? koers_project_line_label (koers_participant_get_project_line (p))
                               : _("None"));

  registered_on = koers_display_date (koers_participant_get_registered_on (p), _("Not recorded"));
  adw_action_row_set_subtitle (self->rows[ROW_REGISTERED_ON], registered_on);

  next_action_date = koers_display_date (koers_participant_get_next_action_date (p), NULL);
  if (koers_participant_get_next_action (p) != NULL || next_action_date != NULL)
    {
      g_autofree char *what = koers_display_isolate (koers_participant_get_next_action (p));

      next_action = join_nonempty (" · ", next_action_date != NULL ? next_action_date : "",
                                   koers_participant_get_next_action (p) != NULL ? what : "",
                                   NULL);
    }
  adw_action_row_set_subtitle (self->rows[ROW_NEXT_ACTION],
                               next_action != NULL ? next_action : _("None planned"));

  if (koers_participant_get_birth_year (p) > 0)
    birth_year = g_strdup_printf ("%d", koers_participant_get_birth_year (p));
  adw_action_row_set_subtitle (self->rows[ROW_BIRTH_YEAR],
                               birth_year != NULL ? birth_year : _("Not recorded"));
  adw_action_row_set_subtitle (self->rows[ROW_MUNICIPALITY],
                               koers_municipality_label (koers_participant_get_municipality (p)));

  contact = join_nonempty (" · ",
                           koers_participant_get_phone (p) != NULL
                           ? koers_participant_get_phone (p) : "",
                           koers_participant_get_email (p) != NULL
                           ? koers_participant_get_email (p) : "",
                           NULL);
  set_row (self, ROW_CONTACT, contact);

  if (koers_participant_get_preferred_language (p) != NULL)
    /* Translators: the language a participant prefers to be spoken to in */
    preferred_language = g_strdup_printf (_("prefers %s"),
                                          koers_participant_get_preferred_language (p));
  languages = join_nonempty (" · ",
                             koers_participant_get_languages (p) != NULL
                             ? koers_participant_get_languages (p) : "",
                             preferred_language != NULL ? preferred_language : "",
                             NULL);
  set_row (self, ROW_LANGUAGES, languages);
  adw_action_row_set_subtitle (self->rows[ROW_DUTCH_LEVEL],
                               koers_cefr_level_label (koers_participant_get_dutch_level (p)));

  needs = join_nonempty (" · ",
                         koers_participant_get_digital_skills_need (p) ? _("Digital skills") : "",
                         koers_participant_get_basic_skills_need (p) ? _("Basic skills") : "",
                         NULL);
  adw_action_row_set_subtitle (self->rows[ROW_NEEDS], *needs != '\0' ? needs : _("None"));
  adw_action_row_set_subtitle (self->rows[ROW_TARGET_GROUP],
                               koers_target_group_label (koers_participant_get_target_group (p)));
  adw_action_row_set_subtitle (self->rows[ROW_CIVIC_INTEGRATION],
                               koers_participant_get_civic_integration_duty (p) ? _("Yes")
                                                                                : _("No"));
  set_row (self, ROW_INTERESTS, koers_participant_get_interests (p));
  set_row (self, ROW_AMBITIONS, koers_participant_get_ambitions (p));
}

void
koers_participant_profile_set_conflicts (KoersParticipantProfile *self,
                                         GPtrArray               *conflicts)
{
  const char *shown[N_ROWS] = { NULL };

  g_return_if_fail (KOERS_IS_PARTICIPANT_PROFILE (self));

  for (guint i = 0; conflicts != NULL && i < conflicts->len; i++)
    {
      KoersSyncConflict *conflict = g_ptr_array_index (conflicts, i);

      /* A conflict the user already decided here waits for the server: no badge. */
      if (conflict->waiting || g_strcmp0 (conflict->entity, "deelnemers") != 0)
        continue;
      for (guint j = 0; j < G_N_ELEMENTS (field_rows); j++)
        if (g_strcmp0 (field_rows[j].field, conflict->field) == 0
            && shown[field_rows[j].row] == NULL)
          shown[field_rows[j].row] = conflict->id;
    }
  for (guint i = 0; i < N_ROWS; i++)
    koers_conflict_badge_set_conflict (self->badges[i], shown[i]);
}

static void
koers_participant_profile_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), KOERS_TYPE_PARTICIPANT_PROFILE);

  G_OBJECT_CLASS (koers_participant_profile_parent_class)->dispose (object);
}

static void
koers_participant_profile_class_init (KoersParticipantProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = koers_participant_profile_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
      "/nl/achterhoek/Koers/participant/koers-participant-profile.ui");
  gtk_widget_class_bind_template_child (widget_class, KoersParticipantProfile, trajectory_group);
  gtk_widget_class_bind_template_child (widget_class, KoersParticipantProfile, profile_group);
}

static void
koers_participant_profile_init (KoersParticipantProfile *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < N_ROWS; i++)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(row_titles[i]));
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      self->rows[i] = ADW_ACTION_ROW (row);
      self->badges[i] = koers_conflict_badge_new ();
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), self->badges[i]);
      adw_preferences_group_add (i <= ROW_NEXT_ACTION ? self->trajectory_group
                                                      : self->profile_group, row);
    }
}

GtkWidget *
koers_participant_profile_new (void)
{
  return g_object_new (KOERS_TYPE_PARTICIPANT_PROFILE, NULL);
}
