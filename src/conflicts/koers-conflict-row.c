/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "conflicts/koers-conflict-row.h"

#include "conflicts/koers-value-editor.h"
#include "participant/koers-participant-display.h"

struct _KoersConflictRow
{
  AdwPreferencesRow  parent_instance;

  char              *id;
  char              *entity;
  char              *field;
  JsonNode          *mine;
  gboolean           waiting;
  gboolean           busy;

  GtkLabel          *title_label;
  GtkLabel          *waiting_label;
  GtkLabel          *base_value;
  GtkLabel          *theirs_value;
  GtkLabel          *theirs_meta;
  GtkLabel          *mine_value;
  GtkLabel          *mine_meta;
  GtkWidget         *edit_box;
  AdwBin            *editor_bin;
  GtkLabel          *error_label;
  GtkWidget         *choice_box;
  GtkWidget         *mine_button;
  GtkWidget         *theirs_button;
  GtkWidget         *edit_button;
  GtkWidget         *cancel_button;
  GtkWidget         *save_button;
};

G_DEFINE_FINAL_TYPE (KoersConflictRow, koers_conflict_row, ADW_TYPE_PREFERENCES_ROW)

/* "Anouk Heijink · 28-11-2026 10:15": who changed the value and when, as far as known. */
static char *
describe_change (const char *user_id, const char *timestamp, GHashTable *people)
{
  g_autofree char *who = NULL;
  g_autofree char *when = NULL;
  g_autoptr(GDateTime) utc = NULL;

  if (user_id != NULL)
    {
      const char *name = people != NULL ? g_hash_table_lookup (people, user_id) : NULL;

      who = koers_display_isolate (name != NULL ? name : _("another user"));
    }
  if (timestamp != NULL && (utc = g_date_time_new_from_iso8601 (timestamp, NULL)) != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (utc);
      g_autofree char *iso = g_date_time_format (local, "%Y-%m-%d");
      g_autofree char *date = koers_display_date (iso, NULL);
      g_autofree char *time = g_date_time_format (local, "%H:%M");

      when = g_strdup_printf ("%s %s", date, time);
    }
  if (who != NULL && when != NULL)
    /* Translators: who changed a value · when, "Anouk Heijink · 28-11-2026 10:15" */
    return g_strdup_printf (_("%s · %s"), who, when);
  return g_strdup (who != NULL ? who : when);
}

static void
set_value (GtkLabel *label, const char *entity, const char *field, JsonNode *value,
           GHashTable *people)
{
  g_autofree char *text = koers_sync_review_value_label (entity, field, value, people);
  g_autofree char *shown = koers_display_isolate (text);

  gtk_label_set_text (label, shown);
  /* "Not recorded" is a statement about the value, not the value: shown dimmed. */
  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (label), "dim-label");
}

static void
set_meta (GtkLabel *label, const char *user_id, const char *timestamp, GHashTable *people)
{
  g_autofree char *text = describe_change (user_id, timestamp, people);

  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL);
}

static void
update_sensitivity (KoersConflictRow *self)
{
  gboolean editing = gtk_widget_get_visible (self->edit_box);

  gtk_widget_set_visible (self->choice_box, !self->waiting && !editing);
  gtk_widget_set_sensitive (self->choice_box, !self->busy);
  gtk_widget_set_sensitive (self->save_button, !self->busy);
  gtk_widget_set_visible (self->edit_button,
                          koers_sync_review_edit_kind (self->entity, self->field)
                          != KOERS_SYNC_EDIT_NONE);
  gtk_widget_set_visible (GTK_WIDGET (self->waiting_label), self->waiting);
}

static void
editor_activate_cb (KoersConflictRow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "conflicts.save-edit", "s", self->id);
}

GtkWidget *
koers_conflict_row_new (KoersSyncConflict *conflict, GHashTable *people)
{
  KoersConflictRow *self;
  g_autofree char *title = NULL;
  GVariant *target;
  GtkWidget *buttons[5];

  g_return_val_if_fail (conflict != NULL, NULL);

  self = g_object_new (KOERS_TYPE_CONFLICT_ROW, NULL);
  self->id = g_strdup (conflict->id);
  self->entity = g_strdup (conflict->entity);
  self->field = g_strdup (conflict->field);
  self->mine = json_node_copy (conflict->mine);
  self->waiting = conflict->waiting;

  /* A participant's own field is named alone; a field of an activity, skill or consent says
   * whose field it is. */
  if (g_strcmp0 (conflict->entity, "deelnemers") == 0)
    title = g_strdup (koers_sync_review_field_label (conflict->entity, conflict->field));
  else
    /* Translators: what kind of record · which field, "Activity · Title" */
    title = g_strdup_printf (_("%s · %s"), koers_sync_review_entity_label (conflict->entity),
                             koers_sync_review_field_label (conflict->entity, conflict->field));
  gtk_label_set_text (self->title_label, title);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);

  set_value (self->base_value, conflict->entity, conflict->field, conflict->base, people);
  set_value (self->theirs_value, conflict->entity, conflict->field, conflict->theirs, people);
  set_value (self->mine_value, conflict->entity, conflict->field, conflict->mine, people);
  set_meta (self->theirs_meta, conflict->theirs_by, conflict->theirs_at, people);
  set_meta (self->mine_meta, conflict->mine_by, conflict->mine_at, people);

  /* One target for every button of the row; screen readers hear which field each concerns. */
  target = g_variant_ref_sink (g_variant_new_string (conflict->id));
  buttons[0] = self->mine_button;
  buttons[1] = self->theirs_button;
  buttons[2] = self->edit_button;
  buttons[3] = self->cancel_button;
  buttons[4] = self->save_button;
  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    {
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (buttons[i]), target);
      gtk_accessible_update_property (GTK_ACCESSIBLE (buttons[i]),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, title, -1);
    }
  g_variant_unref (target);
  update_sensitivity (self);
  return GTK_WIDGET (self);
}

const char *
koers_conflict_row_get_id (KoersConflictRow *self)
{
  g_return_val_if_fail (KOERS_IS_CONFLICT_ROW (self), NULL);

  return self->id;
}

void
koers_conflict_row_set_editing (KoersConflictRow *self, gboolean editing, const char *text)
{
  g_return_if_fail (KOERS_IS_CONFLICT_ROW (self));

  if (editing && adw_bin_get_child (self->editor_bin) == NULL)
    {
      GtkWidget *editor = koers_value_editor_new (self->entity, self->field, self->mine,
                                                  gtk_label_get_text (self->title_label));

      g_signal_connect_object (editor, "activate", G_CALLBACK (editor_activate_cb), self,
                               G_CONNECT_SWAPPED);
      adw_bin_set_child (self->editor_bin, editor);
    }
  if (editing && text != NULL)
    koers_value_editor_set_text (KOERS_VALUE_EDITOR (adw_bin_get_child (self->editor_bin)),
                                 text);
  if (!editing)
    {
      adw_bin_set_child (self->editor_bin, NULL);
      koers_conflict_row_set_error (self, NULL);
    }
  gtk_widget_set_visible (self->edit_box, editing);
  update_sensitivity (self);
  if (editing)
    koers_value_editor_focus (KOERS_VALUE_EDITOR (adw_bin_get_child (self->editor_bin)));
}

gboolean
koers_conflict_row_get_editing (KoersConflictRow *self)
{
  g_return_val_if_fail (KOERS_IS_CONFLICT_ROW (self), FALSE);

  return gtk_widget_get_visible (self->edit_box);
}

char *
koers_conflict_row_dup_edit_text (KoersConflictRow *self)
{
  GtkWidget *editor;

  g_return_val_if_fail (KOERS_IS_CONFLICT_ROW (self), NULL);

  editor = adw_bin_get_child (self->editor_bin);
  return editor != NULL ? koers_value_editor_get_text (KOERS_VALUE_EDITOR (editor)) : NULL;
}

void
koers_conflict_row_set_error (KoersConflictRow *self, const char *message)
{
  g_return_if_fail (KOERS_IS_CONFLICT_ROW (self));

  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

void
koers_conflict_row_set_busy (KoersConflictRow *self, gboolean busy)
{
  g_return_if_fail (KOERS_IS_CONFLICT_ROW (self));

  self->busy = busy;
  update_sensitivity (self);
}

void
koers_conflict_row_focus (KoersConflictRow *self)
{
  g_return_if_fail (KOERS_IS_CONFLICT_ROW (self));

  if (gtk_widget_get_visible (self->choice_box))
    gtk_widget_grab_focus (self->mine_button);
  else
    gtk_widget_grab_focus (GTK_WIDGET (self));
}

static void
koers_conflict_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), KOERS_TYPE_CONFLICT_ROW);

  G_OBJECT_CLASS (koers_conflict_row_parent_class)->dispose (object);
}

static void
koers_conflict_row_finalize (GObject *object)
{
  KoersConflictRow *self = KOERS_CONFLICT_ROW (object);

  g_free (self->id);
  g_free (self->entity);
  g_free (self->field);
  g_clear_pointer (&self->mine, json_node_unref);

  G_OBJECT_CLASS (koers_conflict_row_parent_class)->finalize (object);
}

static void
koers_conflict_row_class_init (KoersConflictRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = koers_conflict_row_dispose;
  object_class->finalize = koers_conflict_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
      "/nl/achterhoek/Koers/conflicts/koers-conflict-row.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, KoersConflictRow, name)
  BIND (title_label);
  BIND (waiting_label);
  BIND (base_value);
  BIND (theirs_value);
  BIND (theirs_meta);
  BIND (mine_value);
  BIND (mine_meta);
  BIND (edit_box);
  BIND (editor_bin);
  BIND (error_label);
  BIND (choice_box);
  BIND (mine_button);
  BIND (theirs_button);
  BIND (edit_button);
  BIND (cancel_button);
  BIND (save_button);
#undef BIND
}

static void
koers_conflict_row_init (KoersConflictRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
