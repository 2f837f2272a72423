/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-activities-list.h: the participant's activities, with an add button and per-row actions. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KOERS_TYPE_ACTIVITIES_LIST (koers_activities_list_get_type ())
G_DECLARE_FINAL_TYPE (KoersActivitiesList, koers_activities_list, KOERS, ACTIVITIES_LIST, AdwBin)

GtkWidget *koers_activities_list_new (void);
/* @items: (element-type KoersActivity): shown in the given order; not kept. */
/* @conflicts: (nullable) (element-type KoersSyncConflict): the participant's open conflicts;
 * an activity with one gets a badge that leads to it. */
void       koers_activities_list_set_items (KoersActivitiesList *self, GPtrArray *items,
                                            GPtrArray *conflicts);
guint      koers_activities_list_get_n_items (KoersActivitiesList *self);

G_END_DECLS
