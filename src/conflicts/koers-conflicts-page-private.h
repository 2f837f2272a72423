/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-conflicts-page-private.h: shared between the page and its actions. */
#pragma once

#include "conflicts/koers-conflicts-page.h"

#include "sync/koers-sync-review.h"

G_BEGIN_DECLS

struct _KoersConflictsPage
{
  AdwBin               parent_instance;

  KoersContext        *context;
  GCancellable        *cancellable;
  KoersSyncReview     *review;         /* the last snapshot shown */
  char                *fingerprint;    /* of that snapshot: a reload that finds the same
                                          rebuilds nothing (editors and focus stay) */
  gboolean             loaded;
  gboolean             reading;
  gboolean             reload_pending;
  guint                conflict_count;
  guint                quarantine_count;
  char                *show_pending;   /* conflict to show once loaded */

  GHashTable          *conflict_rows;  /* id -> KoersConflictRow (owned by the groups) */
  GHashTable          *quarantine_rows;/* gint64 seq -> KoersQuarantineRow */
  GHashTable          *discarding;     /* gint64 seqs hidden while their undo toast shows */
  GHashTable          *toasts;         /* gint64 seq -> AdwToast (ref) */
  GHashTable          *busy;           /* "c:<id>" / "q:<seq>": a write is running */

  AdwToastOverlay     *toast_overlay;
  GtkStack            *stack;
  AdwStatusPage       *empty_status;
  GtkWidget           *conflicts_section;
  GtkBox              *conflicts_box;
  AdwPreferencesGroup *quarantine_group;
};

/* koers-conflicts-page.c */
void koers_conflicts_page_reload (KoersConflictsPage *self);
/* Sets conflict-count and quarantine-count (and attention-count), notifying changes. */
void koers_conflicts_page_set_counts (KoersConflictsPage *self, guint conflicts,
                                      guint quarantined);

/* koers-conflicts-page-rows.c */
/* Rebuilds the rows from self->review (keeping open editors, focus and busy states). */
void koers_conflicts_page_rebuild (KoersConflictsPage *self);
void koers_conflicts_page_set_busy (KoersConflictsPage *self, const char *key, gboolean busy);

/* koers-conflicts-page-actions.c */
void koers_conflicts_page_class_init_actions (GtkWidgetClass *widget_class);
void koers_conflicts_page_show_now (KoersConflictsPage *self, const char *conflict_id);

G_END_DECLS
