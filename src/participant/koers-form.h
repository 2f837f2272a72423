/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-form.h: what every participant form shares: reading typed text as the domain wants it
 * (NFC, trimmed, empty = unset; day-first dates; years) and showing one field's problem right
 * under its row, in words, with the row marked invalid for assistive technology.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef struct {
  GtkWidget *row;          /* the AdwPreferencesRow the user edits */
  GtkWidget *message_row;  /* the line under it; hidden while the field is fine */
  GtkLabel  *message_label;
} KoersFormField;

/* @row must already sit in a boxed list (an AdwPreferencesGroup); the message line goes
 * directly below it. Also gives @row an accessible label from its title. */
void  koers_form_field_init (KoersFormField *field, GtkWidget *row);
void  koers_form_field_clear (KoersFormField *field);
/* @message: (nullable): the problem, or %NULL when the field is fine. */
void  koers_form_field_set_message (KoersFormField *field, const char *message);
const char *koers_form_field_get_message (KoersFormField *field);

/* Returns (transfer full) (nullable): the row's text in NFC, trimmed; %NULL when empty. */
char *koers_form_entry_text (AdwEntryRow *row);
/* @text: (nullable) */
void  koers_form_set_text (AdwEntryRow *row, const char *text);
/* Shows @iso (nullable) as the user types dates. */
void  koers_form_set_date (AdwEntryRow *row, const char *iso);

/* Parse the row; on failure store a message under @key in @messages (when not %NULL) and
 * return FALSE. Empty is valid: year 0, date %NULL. */
gboolean koers_form_parse_year (AdwEntryRow *row, int *out_year, GHashTable *messages,
                                const char *key);
gboolean koers_form_parse_date (AdwEntryRow *row, char **out_iso, GHashTable *messages,
                                const char *key);

/* Returns (transfer full): a GtkStringList of @n labels. */
GListModel *koers_form_labels_model (const char *(*label) (int value), int n);

G_END_DECLS
