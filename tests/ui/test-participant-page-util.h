/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-participant-page-util.h: the participant page in a window of its own on a temporary
 * database, for test-participant-page.c and test-participant-page-undo.c: a participant to
 * open, the page's "deleted" and "add-toast" caught, a wait for a text the page shows, the
 * stored participant, and a file with a record of each kind.
 */
#pragma once

#include <adwaita.h>

#include "app/koers-context.h"
#include "core/koers-participant.h"
#include "core/koers-status.h"
#include "participant/koers-participant-page.h"

G_BEGIN_DECLS

typedef struct {
  KoersContext         *context;
  char                 *id;
  GtkWindow            *window;
  KoersParticipantPage *page;
  char                 *deleted_id;    /* what "deleted" said, once it was emitted */
  char                 *deleted_name;
  AdwToast             *toast;         /* the last toast the page asked for */
} PageFixture;

/* ptest_init() with the test accessibility backend, so a test can read labels back. */
void              page_test_init             (int *argc, char ***argv);
void              page_fixture_set_up        (PageFixture *f, gconstpointer data);
/* Closes the window and waits until the page is gone (a read may still hold it). */
void              page_fixture_tear_down     (PageFixture *f, gconstpointer data);

/* Adds a participant in Oude IJsselstreek and keeps its id in f->id. */
void              page_test_add_participant  (PageFixture *f, const char *name,
                                              KoersStatus status);
/* Opens f->id's page in a window and waits until it has loaded. */
void              page_test_open             (PageFixture *f);
/* Returns (transfer full): f->id's participant as stored. */
KoersParticipant *page_test_stored           (PageFixture *f);
/* Wait (bounded) until a label on the page contains @text, or until none does. */
gboolean          page_test_wait_for_text    (PageFixture *f, const char *text);
gboolean          page_test_wait_for_no_text (PageFixture *f, const char *text);
/* Activates "form.save" on @dialog and waits until it has closed. */
void              page_test_save_dialog      (GtkWidget *dialog);

/* The ids of what page_test_seed_full_file() added. */
typedef struct {
  char *activity_id;
  char *skill_id;
} PageFileSeed;

/* Gives f->id an activity, a skill, a consent and a note. Returns (transfer full). */
PageFileSeed     *page_test_seed_full_file   (PageFixture *f);
void              page_file_seed_free        (PageFileSeed *seed);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PageFileSeed, page_file_seed_free)

/* Registers "/participant-page/@path" with a fresh PageFixture. */
#define PAGE_TEST_ADD(path, func) \
  g_test_add ("/participant-page/" path, PageFixture, NULL, page_fixture_set_up, func, \
              page_fixture_tear_down)

G_END_DECLS
