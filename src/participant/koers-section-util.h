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

G_END_DECLS
