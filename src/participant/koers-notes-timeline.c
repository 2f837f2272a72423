/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "participant/koers-notes-timeline.h"

#include "participant/koers-participant-display.h"
#include "participant/koers-section-util.h"
#include "storage/koers-note-repository.h"

struct _KoersNotesTimeline
{
  AdwBin               parent_instance;

  AdwPreferencesGroup *group;
  GtkListBox          *list;
  guint                n_notes;
};

G_DEFINE_FINAL_TYPE (KoersNotesTimeline, koers_notes_timeline, ADW_TYPE_BIN)

/* "Conversation · 28-11-2026 · j.devries": what kind of contact, when, who wrote it. */
static char *
note_heading (const KoersNote *note)
{
  g_autofree char *date = koers_display_date (note->occurred_on, "");
  g_autofree char *author = koers_display_isolate (note->meta.created_by);

  return g_strdup_printf ("%s · %s · %s", koers_note_kind_label (note->kind), date, author);
}

static GtkWidget *
body_label (const char *body)
{
  GtkWidget *label = gtk_label_new (body);

  /* Each line of a note takes its direction from its own first strong character, so an
   * Arabic sentence in a Dutch note reads right to left. */
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  return label;
}

static GtkWidget *
history_widget (GPtrArray *thread)
{
  GtkWidget *expander;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  g_autofree char *title = NULL;
  guint n_earlier = thread->len - 1;

  for (guint i = n_earlier; i > 0; i--)
    {
      const KoersNote *old = g_ptr_array_index (thread, i - 1);
      g_autofree char *heading = note_heading (old);
      g_autofree char *stamp = koers_display_timestamp_date (old->meta.created_at);
      /* Translators: an earlier version of a note: its heading, then when it was written */
      g_autofree char *line = g_strdup_printf (_("%s (written %s)"), heading, stamp);
      GtkWidget *heading_label = gtk_label_new (line);
      GtkWidget *old_body = body_label (old->body);

      gtk_label_set_xalign (GTK_LABEL (heading_label), 0);
      gtk_widget_add_css_class (heading_label, "caption");
      gtk_widget_add_css_class (heading_label, "dim-label");
      gtk_widget_add_css_class (old_body, "dim-label");
      gtk_box_append (GTK_BOX (box), heading_label);
      gtk_box_append (GTK_BOX (box), old_body);
    }

  title = g_strdup_printf (ngettext ("Edited: %u earlier version", "Edited: %u earlier versions",
                                     n_earlier), n_earlier);
  expander = gtk_expander_new (title);
  gtk_widget_set_margin_top (box, 6);
  gtk_expander_set_child (GTK_EXPANDER (expander), box);
  gtk_widget_add_css_class (expander, "caption");
  gtk_widget_set_name (expander, "note-history");
  return expander;
}

static GtkWidget *
note_row (GPtrArray *thread)
{
  const KoersNote *note = g_ptr_array_index (thread, thread->len - 1);
  g_autofree char *heading = note_heading (note);
  const char *first_id = note->revision_of != NULL ? note->revision_of : note->meta.id;
  GtkWidget *row = adw_preferences_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *heading_label = gtk_label_new (heading);

  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 6);

  gtk_label_set_xalign (GTK_LABEL (heading_label), 0);
  gtk_label_set_wrap (GTK_LABEL (heading_label), TRUE);
  gtk_widget_set_hexpand (heading_label, TRUE);
  gtk_widget_add_css_class (heading_label, "heading");
  gtk_box_append (GTK_BOX (top), heading_label);
  gtk_box_append (GTK_BOX (top), koers_section_button ("document-edit-symbolic", _("Edit Note"),
                                                        "participant.edit-note", first_id));
  gtk_box_append (GTK_BOX (box), top);
  gtk_box_append (GTK_BOX (box), body_label (note->body));
  if (thread->len > 1)
    gtk_box_append (GTK_BOX (box), history_widget (thread));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), heading);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

void
koers_notes_timeline_set_notes (KoersNotesTimeline *self,
                                GPtrArray          *threads)
{
  g_return_if_fail (KOERS_IS_NOTES_TIMELINE (self));
  g_return_if_fail (threads != NULL);

  koers_section_clear (self->list);
  self->n_notes = threads->len;
  if (threads->len == 0)
    {
      koers_section_add_empty (self->list, _("No notes yet"));
      return;
    }
  for (guint i = 0; i < threads->len; i++)
    {
      GPtrArray *thread = g_ptr_array_index (threads, i);

      if (thread->len > 0)
        gtk_list_box_append (self->list, note_row (thread));
    }
}

guint
koers_notes_timeline_get_n_notes (KoersNotesTimeline *self)
{
  g_return_val_if_fail (KOERS_IS_NOTES_TIMELINE (self), 0);

  return self->n_notes;
}

static void
koers_notes_timeline_dispose (GObject *object)
{
  /* The bin\'s child is a template child too: let the bin drop it first, once. */
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), KOERS_TYPE_NOTES_TIMELINE);

  G_OBJECT_CLASS (koers_notes_timeline_parent_class)->dispose (object);
}

static void
koers_notes_timeline_class_init (KoersNotesTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = koers_notes_timeline_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
      "/nl/achterhoek/Koers/participant/koers-notes-timeline.ui");
  gtk_widget_class_bind_template_child (widget_class, KoersNotesTimeline, group);
  gtk_widget_class_bind_template_child (widget_class, KoersNotesTimeline, list);
}

static void
koers_notes_timeline_init (KoersNotesTimeline *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  koers_section_add_empty (self->list, _("No notes yet"));
}

GtkWidget *
koers_notes_timeline_new (void)
{
  return g_object_new (KOERS_TYPE_NOTES_TIMELINE, NULL);
}
