/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "participant/koers-skills-list.h"

#include "core/koers-i18n.h"
#include "core/koers-sync-entities.h"
#include "participant/koers-participant-display.h"
#include "participant/koers-section-util.h"
#include "storage/koers-skill-repository.h"

struct _KoersSkillsList
{
  AdwBin               parent_instance;

  AdwPreferencesGroup *group;
  GtkListBox          *list;
  guint                n_items;
};

G_DEFINE_FINAL_TYPE (KoersSkillsList, koers_skills_list, ADW_TYPE_BIN)

#define LRM "\xe2\x80\x8e"
#define RLM "\xe2\x80\x8f"

/* Each part is isolated, so the " · " between them takes the line's direction: in Arabic the
 * first part stands on the right even when it is all Latin letters and digits. */
static void
append_part (GString    *out,
             const char *part)
{
  g_string_append_printf (out, "%s" KOERS_FSI "%s" KOERS_PDI, out->len > 0 ? " · " : "", part);
}

/* A code reads as one left-to-right unit with its framework's name ("ISCO 8344"), also inside
 * an Arabic sentence ("رمز ISCO 8344"), where the bidi algorithm would otherwise put the number
 * before the name. @template is the translated "ISCO %s"; the Latin name followed by the code
 * is isolated left to right, the words a translation adds around it keep the line's direction.
 * A translation that moved the name away from the %s still gets the code itself isolated. */
static char *
code_part (const char *template,
           const char *name,
           const char *code)
{
  g_autofree char *pattern = g_strconcat (name, " %s", NULL);
  g_autofree char *latin = g_strconcat (KOERS_LRI, name, " ", code, KOERS_PDI, NULL);
  g_autofree char *bare = g_strconcat (KOERS_LRI, code, KOERS_PDI, NULL);
  g_autoptr(GString) out = g_string_new (template);

  if (g_string_replace (out, pattern, latin, 1) == 0)
    g_string_replace (out, "%s", bare, 1);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The codes that make a skill comparable across the region, then who vouched for it. The line
 * starts with a mark of @direction because a label takes its direction from its first letter,
 * which would make an Arabic line that starts with "ISCO" run left to right. */
static char *
skill_subtitle (const KoersSkill *skill,
                GtkTextDirection  direction)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (skill->competentnl_code != NULL)
    {
      /* Translators: a skill's code in CompetentNL, the Dutch register of skills; keep the
       * name CompetentNL as it is and directly before the %s */
      g_autofree char *part = code_part (_("CompetentNL %s"), "CompetentNL",
                                         skill->competentnl_code);

      append_part (out, part);
    }
  if (skill->isco_code != NULL)
    {
      /* Translators: a skill's occupation code in ISCO, the international classification of
       * occupations; keep "ISCO" as it is and directly before the %s */
      g_autofree char *part = code_part (_("ISCO %s"), "ISCO", skill->isco_code);

      append_part (out, part);
    }
  if (skill->nlqf_level > 0)
    {
      g_autofree char *level = g_strdup_printf ("%d", skill->nlqf_level);
      /* Translators: a skill's level (1 to 8) in NLQF, the Dutch qualifications framework;
       * keep "NLQF" as it is and directly before the %s */
      g_autofree char *part = code_part (_("NLQF %s"), "NLQF", level);

      append_part (out, part);
    }
  if (skill->validated_by != NULL)
    {
      g_autofree char *who = koers_display_isolate (skill->validated_by);
      /* Translators: who confirmed that a participant has a skill */
      g_autofree char *part = g_strdup_printf (_("Validated by %s"), who);

      append_part (out, part);
    }
  if (out->len > 0)
    g_string_prepend (out, direction == GTK_TEXT_DIR_RTL ? RLM : LRM);
  /* The evidence is the coach's own text: its line keeps the direction of its own script. */
  if (skill->evidence != NULL)
    g_string_append_printf (out, "%s%s", out->len > 0 ? "\n" : "", skill->evidence);
  if (out->len == 0)
    g_string_append (out, _("No evidence recorded"));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

void
koers_skills_list_set_items (KoersSkillsList *self,
                             GPtrArray       *items,
                             GPtrArray       *conflicts)
{
  g_return_if_fail (KOERS_IS_SKILLS_LIST (self));
  g_return_if_fail (items != NULL);

  koers_section_clear (self->list);
  self->n_items = items->len;
  if (items->len == 0)
    {
      koers_section_add_empty (self->list, _("No skills recorded yet"));
      return;
    }
  for (guint i = 0; i < items->len; i++)
    {
      const KoersSkill *skill = g_ptr_array_index (items, i);
      g_autofree char *title = koers_display_isolate (skill->label);
      g_autofree char *subtitle = skill_subtitle (skill,
                                                  gtk_widget_get_direction (GTK_WIDGET (self)));
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      koers_section_add_conflict_badge (ADW_ACTION_ROW (row), conflicts, KOERS_SYNC_SKILLS,
                                        skill->meta.id);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 koers_section_button ("document-edit-symbolic", _("Edit Skill"),
                                                       "participant.edit-skill",
                                                       skill->meta.id));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 koers_section_button ("user-trash-symbolic", _("Remove Skill"),
                                                       "participant.remove-skill",
                                                       skill->meta.id));
      gtk_list_box_append (self->list, row);
    }
}

guint
koers_skills_list_get_n_items (KoersSkillsList *self)
{
  g_return_val_if_fail (KOERS_IS_SKILLS_LIST (self), 0);

  return self->n_items;
}

static void
koers_skills_list_dispose (GObject *object)
{
  /* The bin\'s child is a template child too: let the bin drop it first, once. */
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), KOERS_TYPE_SKILLS_LIST);

  G_OBJECT_CLASS (koers_skills_list_parent_class)->dispose (object);
}

static void
koers_skills_list_class_init (KoersSkillsListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = koers_skills_list_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
      "/nl/achterhoek/Koers/participant/koers-skills-list.ui");
  gtk_widget_class_bind_template_child (widget_class, KoersSkillsList, group);
  gtk_widget_class_bind_template_child (widget_class, KoersSkillsList, list);
}

static void
koers_skills_list_init (KoersSkillsList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  koers_section_add_empty (self->list, _("No skills recorded yet"));
}

GtkWidget *
koers_skills_list_new (void)
{
  return g_object_new (KOERS_TYPE_SKILLS_LIST, NULL);
}
