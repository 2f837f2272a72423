/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "conflicts/koers-value-editor.h"

#include "core/koers-sync-entities.h"
#include "sync/koers-sync-review.h"

struct _KoersValueEditor
{
  AdwBin             parent_instance;

  char              *field;
  KoersSyncEditKind  kind;
  GtkEntry          *entry;      /* TEXT */
  GtkTextView       *text_view;  /* LONG_TEXT */
  GtkDropDown       *dropdown;   /* CHOICE */
  GPtrArray         *ids;        /* CHOICE: the id of each drop-down item ("" = no value) */
};

G_DEFINE_FINAL_TYPE (KoersValueEditor, koers_value_editor, ADW_TYPE_BIN)

enum {
  ACTIVATE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
entry_activate_cb (KoersValueEditor *self)
{
  g_signal_emit (self, signals[ACTIVATE], 0);
}

static void
build_choice (KoersValueEditor *self, const char *entity, const char *label)
{
  const char * const *ids = koers_sync_review_choices (entity, self->field);
  const KoersSyncEntity *declared = koers_sync_entity_lookup (entity);
  const KoersSyncField *field = declared != NULL ? koers_sync_entity_field (declared,
                                                                             self->field)
                                                 : NULL;
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

  self->ids = g_ptr_array_new_with_free_func (g_free);
  if (field != NULL && !field->required)
    {
      gtk_string_list_append (labels, _("Not recorded"));
      g_ptr_array_add (self->ids, g_strdup (""));
    }
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
      g_autofree char *shown = NULL;

      json_node_set_string (node, ids[i]);
      shown = koers_sync_review_value_label (entity, self->field, node, NULL);
      gtk_string_list_append (labels, shown);
      g_ptr_array_add (self->ids, g_strdup (ids[i]));
    }
  self->dropdown = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&labels)),
                                                     NULL));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_widget_set_halign (GTK_WIDGET (self->dropdown), GTK_ALIGN_START);
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->dropdown));
}

GtkWidget *
koers_value_editor_new (const char *entity, const char *field, JsonNode *initial,
                        const char *label)
{
  KoersValueEditor *self;
  g_autofree char *text = NULL;

  g_return_val_if_fail (entity != NULL, NULL);
  g_return_val_if_fail (field != NULL, NULL);
  g_return_val_if_fail (label != NULL, NULL);

  self = g_object_new (KOERS_TYPE_VALUE_EDITOR, NULL);
  self->field = g_strdup (field);
  self->kind = koers_sync_review_edit_kind (entity, field);
  switch (self->kind)
    {
    case KOERS_SYNC_EDIT_CHOICE:
      build_choice (self, entity, label);
      break;
    case KOERS_SYNC_EDIT_LONG_TEXT:
      {
        GtkWidget *scrolled = gtk_scrolled_window_new ();

        self->text_view = GTK_TEXT_VIEW (gtk_text_view_new ());
        gtk_text_view_set_wrap_mode (self->text_view, GTK_WRAP_WORD_CHAR);
        gtk_text_view_set_top_margin (self->text_view, 6);
        gtk_text_view_set_bottom_margin (self->text_view, 6);
        gtk_text_view_set_left_margin (self->text_view, 6);
        gtk_text_view_set_right_margin (self->text_view, 6);
        gtk_accessible_update_property (GTK_ACCESSIBLE (self->text_view),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
        gtk_scrolled_window_set_has_frame (GTK_SCROLLED_WINDOW (scrolled), TRUE);
        gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 90);
        gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                        GTK_POLICY_AUTOMATIC);
        gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled),
                                       GTK_WIDGET (self->text_view));
        adw_bin_set_child (ADW_BIN (self), scrolled);
      }
      break;
    case KOERS_SYNC_EDIT_TEXT:
    case KOERS_SYNC_EDIT_NONE:
    default:
      self->entry = GTK_ENTRY (gtk_entry_new ());
      gtk_widget_set_hexpand (GTK_WIDGET (self->entry), TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      g_signal_connect_object (self->entry, "activate", G_CALLBACK (entry_activate_cb), self,
                               G_CONNECT_SWAPPED);
      adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->entry));
      break;
    }
  text = koers_sync_review_value_to_text (entity, field, initial);
  koers_value_editor_set_text (self, text);
  return GTK_WIDGET (self);
}

const char *
koers_value_editor_get_field (KoersValueEditor *self)
{
  g_return_val_if_fail (KOERS_IS_VALUE_EDITOR (self), NULL);

  return self->field;
}

char *
koers_value_editor_get_text (KoersValueEditor *self)
{
  g_return_val_if_fail (KOERS_IS_VALUE_EDITOR (self), NULL);

  if (self->dropdown != NULL)
    {
      guint selected = gtk_drop_down_get_selected (self->dropdown);

      return g_strdup (selected < self->ids->len ? g_ptr_array_index (self->ids, selected) : "");
    }
  if (self->text_view != NULL)
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
      GtkTextIter start, end;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    }
  return g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry)));
}

void
koers_value_editor_set_text (KoersValueEditor *self, const char *text)
{
  g_return_if_fail (KOERS_IS_VALUE_EDITOR (self));

  if (text == NULL)
    text = "";
  if (self->dropdown != NULL)
    {
      for (guint i = 0; i < self->ids->len; i++)
        if (g_str_equal (g_ptr_array_index (self->ids, i), text))
          {
            gtk_drop_down_set_selected (self->dropdown, i);
            return;
          }
      return;
    }
  if (self->text_view != NULL)
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text, -1);
  else
    gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
}

void
koers_value_editor_focus (KoersValueEditor *self)
{
  g_return_if_fail (KOERS_IS_VALUE_EDITOR (self));

  if (self->text_view != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
  else
    gtk_widget_grab_focus (adw_bin_get_child (ADW_BIN (self)));
  if (self->entry != NULL)
    gtk_editable_select_region (GTK_EDITABLE (self->entry), 0, -1);
}

static void
koers_value_editor_finalize (GObject *object)
{
  KoersValueEditor *self = KOERS_VALUE_EDITOR (object);

  g_free (self->field);
  g_clear_pointer (&self->ids, g_ptr_array_unref);

  G_OBJECT_CLASS (koers_value_editor_parent_class)->finalize (object);
}

static void
koers_value_editor_class_init (KoersValueEditorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = koers_value_editor_finalize;

  signals[ACTIVATE] = g_signal_new ("activate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
koers_value_editor_init (KoersValueEditor *self)
{
}
