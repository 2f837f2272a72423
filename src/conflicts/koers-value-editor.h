/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-value-editor.h: the input for one field's value on the Conflicts page: an entry for
 * text, numbers and dates, a text view for long text, a drop-down of labels for a vocabulary
 * (koers_sync_review_edit_kind says which). The text it gives back is parsed and checked by
 * koers_sync_review_parse_value(), so the page holds no rules of its own.
 *
 * Signal "activate": Enter in a one-line entry (the row sends the value).
 */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define KOERS_TYPE_VALUE_EDITOR (koers_value_editor_get_type ())
G_DECLARE_FINAL_TYPE (KoersValueEditor, koers_value_editor, KOERS, VALUE_EDITOR, AdwBin)

/* @initial: (nullable) the wire value to start from; @label: the field's name for screen
 * readers. */
GtkWidget  *koers_value_editor_new (const char *entity,
                                    const char *field,
                                    JsonNode   *initial,
                                    const char *label);
const char *koers_value_editor_get_field (KoersValueEditor *self);
/* (transfer full): what the user entered, as koers_sync_review_parse_value() takes it. */
char       *koers_value_editor_get_text (KoersValueEditor *self);
void        koers_value_editor_set_text (KoersValueEditor *self, const char *text);
void        koers_value_editor_focus (KoersValueEditor *self);

G_END_DECLS
