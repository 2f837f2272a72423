/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-notes-timeline.h: a participant's contact notes, newest contact first, each with its
 * kind, date and author. An edited note says so and keeps its earlier versions one click away
 * (notes are append-only: an edit is a new revision).
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KOERS_TYPE_NOTES_TIMELINE (koers_notes_timeline_get_type ())
G_DECLARE_FINAL_TYPE (KoersNotesTimeline, koers_notes_timeline, KOERS, NOTES_TIMELINE, AdwBin)

GtkWidget *koers_notes_timeline_new (void);
/* @threads: (element-type GPtrArray): one array of KoersNote per note, its revisions oldest
 * first (the last is the current text); the threads in display order. Not kept. */
void       koers_notes_timeline_set_notes (KoersNotesTimeline *self, GPtrArray *threads);
/* The number of notes shown (not counting revisions). */
guint      koers_notes_timeline_get_n_notes (KoersNotesTimeline *self);

G_END_DECLS
