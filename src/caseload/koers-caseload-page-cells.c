/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "caseload/koers-caseload-page-private.h"
#include "core/koers-date.h"
#include "core/koers-i18n.h"
#include "core/koers-status.h"

#include <string.h>

#define FSI "\xe2\x81\xa8"
#define PDI "\xe2\x81\xa9"
#define LRM "\xe2\x80\x8e"
#define RLM "\xe2\x80\x8f"

static void
setup_label_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                KoersCaseloadPage        *self)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  gtk_list_item_set_child (item, label);
}

/* A cut-off label answers with its whole text. Asked only when the pointer rests on it, so a
 * bind costs nothing: setting a tooltip text per bind would cost a display round trip each. */
static gboolean
query_cut_off_cb (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard_mode,
                  GtkTooltip *tooltip,
                  gpointer    data)
{
  GtkLabel *label = GTK_LABEL (widget);

  if (!pango_layout_is_ellipsized (gtk_label_get_layout (label)))
    return FALSE;
  gtk_tooltip_set_text (tooltip, gtk_label_get_text (label));
  return TRUE;
}

/* For the columns whose text can be longer than the column: names and target groups. */
static void
setup_long_label_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     KoersCaseloadPage        *self)
{
  GtkWidget *label;

  setup_label_cb (factory, item, self);
  label = gtk_list_item_get_child (item);
  gtk_widget_set_has_tooltip (label, TRUE);
  g_signal_connect (label, "query-tooltip", G_CALLBACK (query_cut_off_cb), NULL);
}

static GtkLabel *
item_label (GtkListItem *item)
{
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));

  gtk_widget_remove_css_class (GTK_WIDGET (label), "dim-label");
  gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
  /* Only when there is one to clear: in GTK 4.8 every set_tooltip_text() asks the display
   * server where the pointer is, a round trip per cell that made the first frame of a full
   * caseload twice as slow. (A cut-off cell has a tooltip but no text: it must keep it.) */
  if (gtk_widget_get_tooltip_text (GTK_WIDGET (label)) != NULL)
    gtk_widget_set_tooltip_text (GTK_WIDGET (label), NULL);
  return label;
}

static KoersCaseloadRow *
item_row (GtkListItem *item)
{
  return KOERS_CASELOAD_ROW (gtk_list_item_get_item (item));
}

/* A name is the user's text: isolated (FSI ... PDI) so an Arabic name cannot reorder the
 * line, and led by a mark of the window's direction so the cell aligns like its neighbours
 * whatever script the name is in. */
static void
bind_name_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              KoersCaseloadPage        *self)
{
  GtkLabel *label = item_label (item);
  const char *mark = gtk_widget_get_direction (GTK_WIDGET (label)) == GTK_TEXT_DIR_RTL ? RLM
                                                                                       : LRM;
  g_autofree char *text = g_strconcat (mark, FSI, koers_caseload_row_get_name (item_row (item)),
                                       PDI, NULL);

  gtk_label_set_text (label, text);
}

static void
bind_municipality_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      KoersCaseloadPage        *self)
{
  gtk_label_set_text (item_label (item),
                      koers_municipality_label (koers_caseload_row_get_municipality (
                                                  item_row (item))));
}

static void
bind_target_group_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      KoersCaseloadPage        *self)
{
  gtk_label_set_text (item_label (item),
                      koers_target_group_label (koers_caseload_row_get_target_group (
                                                  item_row (item))));
}

static void
bind_status_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                KoersCaseloadPage        *self)
{
  KoersStatus status = koers_caseload_row_get_status (item_row (item));
  GtkLabel *label = item_label (item);

  gtk_label_set_text (label, koers_status_label (status));
  if (koers_status_is_final (status))
    gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
}

static void
bind_coach_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               KoersCaseloadPage        *self)
{
  const char *coach = koers_caseload_row_get_coach_name (item_row (item));
  GtkLabel *label = item_label (item);

  if (coach == NULL || coach[0] == '\0')
    {
      gtk_label_set_text (label, _("Unassigned"));
      gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
    }
  else
    {
      g_autofree char *text = g_strconcat (FSI, coach, PDI, NULL);

      gtk_label_set_text (label, text);
    }
}

static void
bind_next_action_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     KoersCaseloadPage        *self)
{
  KoersCaseloadRow *row = item_row (item);
  const char *date = koers_caseload_row_get_next_action_date (row);
  GtkLabel *label = item_label (item);
  g_autofree char *text = NULL;

  if (date == NULL || date[0] == '\0')
    {
      gtk_label_set_text (label, "—");
      gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
      return;
    }

  text = koers_date_format (date, koers_locale_style_current ());
  gtk_label_set_text (label, text);
  /* An open trajectory whose next step lies in the past needs the coach's attention. */
  if (strcmp (date, self->today) < 0 &&
      !koers_status_is_final (koers_caseload_row_get_status (row)))
    {
      gtk_widget_add_css_class (GTK_WIDGET (label), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (label), _("Overdue"));
    }
}

void
koers_caseload_page_class_init_cells (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, setup_label_cb);
  gtk_widget_class_bind_template_callback (widget_class, setup_long_label_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_name_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_municipality_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_target_group_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_status_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_coach_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_next_action_cb);
}
