/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-section-util.h: pieces the participant page's lists share. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Removes every row of @list. */
void       koers_section_clear (GtkListBox *list);
/* Appends the dim "nothing here yet" line. */
void       koers_section_add_empty (GtkListBox *list, const char *text);
/* Returns (transfer floating): a flat icon button for @action_name on record @id. */
GtkWidget *koers_section_button (const char *icon_name, const char *label,
                                 const char *action_name, const char *id);
/* Adds a conflict badge as the first suffix of @row when @conflicts (nullable; element-type
 * KoersSyncConflict) hold an open conflict, not yet decided here, on record @record_id of
 * @entity (the wire name, "activiteiten"); the badge leads to the first such conflict. */
void       koers_section_add_conflict_badge (AdwActionRow *row, GPtrArray *conflicts,
                                             const char *entity, const char *record_id);

G_END_DECLS
