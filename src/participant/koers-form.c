/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "participant/koers-form.h"

#include "core/koers-date.h"
#include "core/koers-i18n.h"
#include "core/koers-text.h"

#include <stdlib.h>
#include <string.h>

void
koers_form_field_init (KoersFormField *field,
                       GtkWidget      *row)
{
  GtkWidget *list;
  GtkWidget *label;

  g_return_if_fail (field != NULL);
  g_return_if_fail (ADW_IS_PREFERENCES_ROW (row));

  field->row = row;
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                                  -1);

  label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_widget_add_css_class (label, "error");
  gtk_widget_add_css_class (label, "caption");

  field->message_row = adw_preferences_row_new ();
  field->message_label = GTK_LABEL (label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (field->message_row), label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (field->message_row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (field->message_row), FALSE);
  gtk_widget_set_visible (field->message_row, FALSE);

  /* An AdwPreferencesGroup keeps its rows in a GtkListBox; the message belongs right below. */
  list = gtk_widget_get_parent (row);
  g_return_if_fail (GTK_IS_LIST_BOX (list));
  gtk_list_box_insert (GTK_LIST_BOX (list), field->message_row,
                       gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)) + 1);
}

void
koers_form_field_clear (KoersFormField *field)
{
  field->row = NULL;
  field->message_row = NULL;
  field->message_label = NULL;
}

void
koers_form_field_set_message (KoersFormField *field,
                              const char     *message)
{
  gboolean invalid = message != NULL && *message != '\0';

  g_return_if_fail (field != NULL);

  if (field->row == NULL)
    return;

  gtk_label_set_text (field->message_label, invalid ? message : "");
  gtk_widget_set_visible (field->message_row, invalid);
  if (invalid)
    {
      gtk_widget_add_css_class (field->row, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (field->row),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (field->row),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
    }
  else
    {
      gtk_widget_remove_css_class (field->row, "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (field->row), GTK_ACCESSIBLE_STATE_INVALID);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (field->row),
                                     GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
}

const char *
koers_form_field_get_message (KoersFormField *field)
{
  g_return_val_if_fail (field != NULL, NULL);

  if (field->row == NULL || !gtk_widget_get_visible (field->message_row))
    return NULL;
  return gtk_label_get_text (field->message_label);
}

char *
koers_form_entry_text (AdwEntryRow *row)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (ADW_IS_ENTRY_ROW (row), NULL);

  text = koers_text_normalize (gtk_editable_get_text (GTK_EDITABLE (row)));
  if (text == NULL || *text == '\0')
    return NULL;
  return g_steal_pointer (&text);
}

void
koers_form_set_text (AdwEntryRow *row,
                     const char  *text)
{
  g_return_if_fail (ADW_IS_ENTRY_ROW (row));

  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
}

/* The Arabic display style isolates dates for labels; in an entry those marks would only get
 * in the way of editing, so they are left out. */
static char *
strip_isolates (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x2066 || c > 0x2069)
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

void
koers_form_set_date (AdwEntryRow *row,
                     const char  *iso)
{
  g_autofree char *shown = NULL;
  g_autofree char *plain = NULL;

  g_return_if_fail (ADW_IS_ENTRY_ROW (row));

  if (iso == NULL || *iso == '\0')
    {
      gtk_editable_set_text (GTK_EDITABLE (row), "");
      return;
    }
  shown = koers_date_format (iso, koers_locale_style_current ());
  plain = strip_isolates (shown);
  gtk_editable_set_text (GTK_EDITABLE (row), plain);
}

static void
put_message (GHashTable *messages,
             const char *key,
             char       *message)
{
  if (messages != NULL)
    g_hash_table_replace (messages, g_strdup (key), message);
  else
    g_free (message);
}

gboolean
koers_form_parse_year (AdwEntryRow *row,
                       int         *out_year,
                       GHashTable  *messages,
                       const char  *key)
{
  g_autofree char *text = NULL;
  gsize len;

  g_return_val_if_fail (ADW_IS_ENTRY_ROW (row), FALSE);
  g_return_val_if_fail (out_year != NULL, FALSE);

  *out_year = 0;
  text = koers_form_entry_text (row);
  if (text == NULL)
    return TRUE;

  len = strlen (text);
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (text[i]) || len != 4)
        {
          put_message (messages, key,
                       g_strdup (_("Birth year must be a four-digit year, such as 1984")));
          return FALSE;
        }
    }
  *out_year = atoi (text);
  return TRUE;
}

gboolean
koers_form_parse_date (AdwEntryRow *row,
                       char       **out_iso,
                       GHashTable  *messages,
                       const char  *key)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (ADW_IS_ENTRY_ROW (row), FALSE);
  g_return_val_if_fail (out_iso != NULL, FALSE);

  *out_iso = NULL;
  text = koers_form_entry_text (row);
  if (text == NULL)
    return TRUE;
  if (!koers_date_parse_user (text, koers_locale_style_current (), out_iso, &error))
    {
      put_message (messages, key, g_strdup (error->message));
      return FALSE;
    }
  return TRUE;
}

GListModel *
koers_form_labels_model (const char *(*label) (int value),
                         int         n)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  for (int i = 0; i < n; i++)
    gtk_string_list_append (list, label (i));
  return G_LIST_MODEL (list);
}
