/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "conflicts/koers-quarantine-row.h"

#include "conflicts/koers-value-editor.h"
#include "participant/koers-participant-display.h"

struct _KoersQuarantineRow
{
  AdwPreferencesRow  parent_instance;

  gint64             seq;
  char              *entity;
  JsonObject        *diff;      /* (nullable) */
  gboolean           can_fix;
  gboolean           busy;

  GtkLabel          *title_label;
  GtkLabel          *subtitle_label;
  GtkLabel          *fields_label;
  GtkLabel          *reason_label;
  GtkWidget         *fix_box;
  GtkWidget         *fix_actions;
  GtkBox            *editors_box;
  GtkLabel          *error_label;
  GtkWidget         *choice_box;
  GtkWidget         *fix_button;
  GtkWidget         *discard_button;
  GtkWidget         *cancel_button;
  GtkWidget         *resend_button;
};

G_DEFINE_FINAL_TYPE (KoersQuarantineRow, koers_quarantine_row, ADW_TYPE_PREFERENCES_ROW)

/* One line per field: "Next action: Bel terug". */
static char *
describe_fields (const char *entity, JsonObject *diff, GHashTable *people)
{
  g_autoptr(GList) names = NULL;
  GString *text = g_string_new (NULL);

  if (diff == NULL)
    return g_strdup (_("The values were removed together with the record."));
  names = json_object_get_members (diff);
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *refused = koers_sync_review_refused_value (diff, l->data);
      g_autofree char *value = koers_sync_review_value_label (entity, l->data, refused, people);
      g_autofree char *isolated = koers_display_isolate (value);

      if (text->len > 0)
        g_string_append_c (text, '\n');
      /* Translators: a field and the value the change gave it, "Next action: Bel terug" */
      g_string_append_printf (text, _("%s: %s"), koers_sync_review_field_label (entity, l->data),
                              isolated);
    }
  if (text->len == 0)
    g_string_append (text, _("No values changed."));
  return g_string_free (text, FALSE);
}

static void
update_sensitivity (KoersQuarantineRow *self)
{
  gboolean fixing = gtk_widget_get_visible (self->fix_box);

  gtk_widget_set_visible (self->choice_box, !fixing);
  gtk_widget_set_visible (self->fix_actions, fixing);
  gtk_widget_set_visible (self->fix_button, self->can_fix);
  gtk_widget_set_sensitive (self->choice_box, !self->busy);
  gtk_widget_set_sensitive (self->resend_button, !self->busy);
}

GtkWidget *
koers_quarantine_row_new (KoersSyncQuarantined *item, GHashTable *people)
{
  KoersQuarantineRow *self;
  g_autofree char *who = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *fields = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *isolated_reason = NULL;
  g_autofree char *known_reason = NULL;
  GVariant *target;
  GtkWidget *buttons[4];

  g_return_val_if_fail (item != NULL, NULL);

  self = g_object_new (KOERS_TYPE_QUARANTINE_ROW, NULL);
  self->seq = item->seq;
  self->entity = g_strdup (item->entity);
  self->diff = item->diff != NULL ? json_object_ref (item->diff) : NULL;
  self->can_fix = koers_sync_quarantined_can_resend (item);
  if (self->can_fix)
    {
      g_autoptr(GList) names = json_object_get_members (item->diff);
      gboolean editable = FALSE;

      for (GList *l = names; l != NULL && !editable; l = l->next)
        editable = koers_sync_review_edit_kind (item->entity, l->data) != KOERS_SYNC_EDIT_NONE;
      self->can_fix = editable;
    }

  who = koers_display_isolate (item->participant_name != NULL ? item->participant_name
                                                              : _("Unknown participant"));
  gtk_label_set_text (self->title_label, who);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), who);
  /* Translators: what kind of record · what was done, "Participant · Changed" */
  subtitle = g_strdup_printf (_("%s · %s"), koers_sync_review_entity_label (item->entity),
                              koers_sync_review_action_label (item->action));
  gtk_label_set_text (self->subtitle_label, subtitle);
  fields = describe_fields (item->entity, item->diff, people);
  gtk_label_set_text (self->fields_label, fields);
  /* A reason this build knows is said in the user's language; any other is the server's own
   * (Dutch) sentence, quoted as is, isolated. */
  known_reason = koers_sync_quarantined_reason_text (item);
  if (known_reason != NULL)
    /* Translators: why the server refused a change follows, in the user's language */
    reason = g_strdup_printf (_("Refused: %s"), known_reason);
  else if (item->reason == NULL || *item->reason == '\0')
    reason = g_strdup (_("Refused by the server"));
  else
    {
      isolated_reason = koers_display_isolate (item->reason);
      /* Translators: the server's own sentence (in Dutch) follows, as it wrote it */
      reason = g_strdup_printf (_("Refused by the server: “%s”"), isolated_reason);
    }
  gtk_label_set_text (self->reason_label, reason);

  target = g_variant_ref_sink (g_variant_new_int64 (item->seq));
  buttons[0] = self->fix_button;
  buttons[1] = self->discard_button;
  buttons[2] = self->cancel_button;
  buttons[3] = self->resend_button;
  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    {
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (buttons[i]), target);
      gtk_accessible_update_property (GTK_ACCESSIBLE (buttons[i]),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle, -1);
    }
  g_variant_unref (target);
  update_sensitivity (self);
  return GTK_WIDGET (self);
}

gint64
koers_quarantine_row_get_seq (KoersQuarantineRow *self)
{
  g_return_val_if_fail (KOERS_IS_QUARANTINE_ROW (self), 0);

  return self->seq;
}

const char *
koers_quarantine_row_get_entity (KoersQuarantineRow *self)
{
  g_return_val_if_fail (KOERS_IS_QUARANTINE_ROW (self), NULL);

  return self->entity;
}

static void
clear_editors (KoersQuarantineRow *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->editors_box))) != NULL)
    gtk_box_remove (self->editors_box, child);
}

static void
editor_activate_cb (KoersQuarantineRow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "conflicts.resend", "x", self->seq);
}

void
koers_quarantine_row_set_fixing (KoersQuarantineRow *self, gboolean fixing, GHashTable *texts)
{
  GtkWidget *first = NULL;

  g_return_if_fail (KOERS_IS_QUARANTINE_ROW (self));

  clear_editors (self);
  koers_quarantine_row_set_error (self, NULL);
  if (fixing && self->can_fix)
    {
      g_autoptr(GList) names = json_object_get_members (self->diff);

      for (GList *l = names; l != NULL; l = l->next)
        {
          const char *label = koers_sync_review_field_label (self->entity, l->data);
          GtkWidget *caption, *editor;
          const char *text;

          if (koers_sync_review_edit_kind (self->entity, l->data) == KOERS_SYNC_EDIT_NONE)
            continue;
          caption = gtk_label_new (label);
          gtk_label_set_xalign (GTK_LABEL (caption), 0);
          gtk_widget_add_css_class (caption, "caption-heading");
          editor = koers_value_editor_new (self->entity, l->data,
                                           koers_sync_review_refused_value (self->diff, l->data),
                                           label);
          text = texts != NULL ? g_hash_table_lookup (texts, l->data) : NULL;
          if (text != NULL)
            koers_value_editor_set_text (KOERS_VALUE_EDITOR (editor), text);
          g_signal_connect_object (editor, "activate", G_CALLBACK (editor_activate_cb), self,
                                   G_CONNECT_SWAPPED);
          gtk_box_append (self->editors_box, caption);
          gtk_box_append (self->editors_box, editor);
          if (first == NULL)
            first = editor;
        }
    }
  gtk_widget_set_visible (self->fix_box, first != NULL);
  update_sensitivity (self);
  if (first != NULL)
    koers_value_editor_focus (KOERS_VALUE_EDITOR (first));
}

gboolean
koers_quarantine_row_get_fixing (KoersQuarantineRow *self)
{
  g_return_val_if_fail (KOERS_IS_QUARANTINE_ROW (self), FALSE);

  return gtk_widget_get_visible (self->fix_box);
}

GHashTable *
koers_quarantine_row_dup_texts (KoersQuarantineRow *self)
{
  GHashTable *texts;

  g_return_val_if_fail (KOERS_IS_QUARANTINE_ROW (self), NULL);

  if (!gtk_widget_get_visible (self->fix_box))
    return NULL;
  texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->editors_box));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (KOERS_IS_VALUE_EDITOR (child))
      g_hash_table_insert (texts,
                           g_strdup (koers_value_editor_get_field (KOERS_VALUE_EDITOR (child))),
                           koers_value_editor_get_text (KOERS_VALUE_EDITOR (child)));
  return texts;
}

void
koers_quarantine_row_set_error (KoersQuarantineRow *self, const char *message)
{
  g_return_if_fail (KOERS_IS_QUARANTINE_ROW (self));

  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

void
koers_quarantine_row_set_busy (KoersQuarantineRow *self, gboolean busy)
{
  g_return_if_fail (KOERS_IS_QUARANTINE_ROW (self));

  self->busy = busy;
  update_sensitivity (self);
}

void
koers_quarantine_row_focus (KoersQuarantineRow *self)
{
  g_return_if_fail (KOERS_IS_QUARANTINE_ROW (self));

  gtk_widget_grab_focus (self->can_fix ? self->fix_button : self->discard_button);
}

static void
koers_quarantine_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), KOERS_TYPE_QUARANTINE_ROW);

  G_OBJECT_CLASS (koers_quarantine_row_parent_class)->dispose (object);
}

static void
koers_quarantine_row_finalize (GObject *object)
{
  KoersQuarantineRow *self = KOERS_QUARANTINE_ROW (object);

  g_free (self->entity);
  g_clear_pointer (&self->diff, json_object_unref);

  G_OBJECT_CLASS (koers_quarantine_row_parent_class)->finalize (object);
}

static void
koers_quarantine_row_class_init (KoersQuarantineRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = koers_quarantine_row_dispose;
  object_class->finalize = koers_quarantine_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
      "/nl/achterhoek/Koers/conflicts/koers-quarantine-row.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, KoersQuarantineRow, name)
  BIND (title_label);
  BIND (subtitle_label);
  BIND (fields_label);
  BIND (reason_label);
  BIND (fix_box);
  BIND (fix_actions);
  BIND (editors_box);
  BIND (error_label);
  BIND (choice_box);
  BIND (fix_button);
  BIND (discard_button);
  BIND (cancel_button);
  BIND (resend_button);
#undef BIND
}

static void
koers_quarantine_row_init (KoersQuarantineRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
