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

/* Cells are GtkInscriptions, GTK's text widget made for long lists: their size comes from a
 * character count, not from laying out their text. GTK 4.8 keeps about 200 rows of cells
 * alive, so the first frame of the caseload binds and sizes some 1,200 of them; as GtkLabels
 * that measuring was the biggest part of start-up. */
static void
setup_cell (GtkListItem *item,
            int          nat_chars)
{
  GtkWidget *cell = gtk_inscription_new (NULL);

  gtk_inscription_set_xalign (GTK_INSCRIPTION (cell), 0.0);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (cell),
                                     GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (cell), 3);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (cell), nat_chars);
  gtk_list_item_set_child (item, cell);
}

/* A cell answers the pointer with its whole text when the column cut it off, and an overdue
 * date says so. Worked out only when the pointer rests on a cell: setting a tooltip text per
 * bind would cost a display round trip each in GTK 4.8. */
static gboolean
query_tooltip_cb (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard_mode,
                  GtkTooltip *tooltip,
                  gpointer    data)
{
  const char *text = gtk_inscription_get_text (GTK_INSCRIPTION (widget));
  g_autoptr(PangoLayout) layout = NULL;
  int width;

  if (gtk_widget_has_css_class (widget, "error"))
    {
      gtk_tooltip_set_text (tooltip, _("Overdue"));
      return TRUE;
    }
  if (text == NULL)
    return FALSE;
  layout = gtk_widget_create_pango_layout (widget, text);
  pango_layout_get_pixel_size (layout, &width, NULL);
  if (width <= gtk_widget_get_width (widget))
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
setup_label_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                KoersCaseloadPage        *self)
{
  setup_cell (item, 14);
  gtk_widget_set_has_tooltip (gtk_list_item_get_child (item), TRUE);
  g_signal_connect (gtk_list_item_get_child (item), "query-tooltip",
                    G_CALLBACK (query_tooltip_cb), NULL);
}

/* For the columns whose text can be longer than the column: names and target groups. */
static void
setup_long_label_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     KoersCaseloadPage        *self)
{
  setup_cell (item, 28);
  gtk_widget_set_has_tooltip (gtk_list_item_get_child (item), TRUE);
  g_signal_connect (gtk_list_item_get_child (item), "query-tooltip",
                    G_CALLBACK (query_tooltip_cb), NULL);
}

static GtkInscription *
item_label (GtkListItem *item)
{
  GtkWidget *cell = gtk_list_item_get_child (item);

  gtk_widget_remove_css_class (cell, "dim-label");
  gtk_widget_remove_css_class (cell, "error");
  return GTK_INSCRIPTION (cell);
}

/* An inscription aligns each text by its own first letter's direction, so in an Arabic
 * window a Latin municipality would sit left and an Arabic status right. A mark of the window's
 * direction first makes every cell of a column line up at its start. */
static void
set_cell_text (GtkInscription *cell,
               const char     *text)
{
  const char *mark = gtk_widget_get_direction (GTK_WIDGET (cell)) == GTK_TEXT_DIR_RTL ? RLM
                                                                                      : LRM;
  g_autofree char *marked = g_strconcat (mark, text, NULL);

  gtk_inscription_set_text (cell, marked);
}

static KoersCaseloadRow *
item_row (GtkListItem *item)
{
  return KOERS_CASELOAD_ROW (gtk_list_item_get_item (item));
}

/* A name is the user's text: isolated (FSI ... PDI) so an Arabic name cannot reorder the
 * line. */
static void
bind_name_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              KoersCaseloadPage        *self)
{
  g_autofree char *text = g_strconcat (FSI, koers_caseload_row_get_name (item_row (item)), PDI,
                                       NULL);

  set_cell_text (item_label (item), text);
}

static void
bind_municipality_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      KoersCaseloadPage        *self)
{
  set_cell_text (item_label (item),
                      koers_municipality_label (koers_caseload_row_get_municipality (
                                                  item_row (item))));
}

static void
bind_target_group_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      KoersCaseloadPage        *self)
{
  set_cell_text (item_label (item),
                      koers_target_group_label (koers_caseload_row_get_target_group (
                                                  item_row (item))));
}

static void
bind_status_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                KoersCaseloadPage        *self)
{
  KoersStatus status = koers_caseload_row_get_status (item_row (item));
  GtkInscription *label = item_label (item);

  set_cell_text (label, koers_status_label (status));
  if (koers_status_is_final (status))
    gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
}

static void
bind_coach_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               KoersCaseloadPage        *self)
{
  const char *coach = koers_caseload_row_get_coach_name (item_row (item));
  GtkInscription *label = item_label (item);

  if (coach == NULL || coach[0] == '\0')
    {
      set_cell_text (label, _("Unassigned"));
      gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
    }
  else
    {
      g_autofree char *text = g_strconcat (FSI, coach, PDI, NULL);

      set_cell_text (label, text);
    }
}

static void
bind_next_action_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     KoersCaseloadPage        *self)
{
  KoersCaseloadRow *row = item_row (item);
  const char *date = koers_caseload_row_get_next_action_date (row);
  GtkInscription *label = item_label (item);
  g_autofree char *text = NULL;

  if (date == NULL || date[0] == '\0')
    {
      set_cell_text (label, "—");
      gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
      return;
    }

  text = koers_date_format (date, koers_locale_style_current ());
  set_cell_text (label, text);
  /* An open trajectory whose next step lies in the past needs the coach's attention. */
  if (strcmp (date, self->today) < 0 &&
      !koers_status_is_final (koers_caseload_row_get_status (row)))
    {
      gtk_widget_add_css_class (GTK_WIDGET (label), "error");
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
