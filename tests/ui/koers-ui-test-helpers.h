/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers for the app and UI tests: spin the main loop until a condition holds, make a store on
 * a temporary database and fill it through the repositories. */
#pragma once

#include <gtk/gtk.h>

#include "app/koers-store.h"
#include "core/koers-enums.h"

G_BEGIN_DECLS

typedef gboolean (*KoersTestCondition) (gpointer data);

/* Iterates the default main context until @condition returns TRUE or @timeout_ms passed;
 * returns the condition's last answer. */
gboolean koers_test_wait_until (KoersTestCondition condition, gpointer data, guint timeout_ms);
/* Iterates the default main context for @ms milliseconds. */
void     koers_test_spin (guint ms);
/* Waits (bounded) until @object's boolean property @property equals @value. */
gboolean koers_test_wait_for_boolean (gpointer object, const char *property, gboolean value,
                                      guint timeout_ms);

/* Returns (transfer full): a store on a fresh temporary database (removed after the test). */
KoersStore *koers_test_make_store (void);

/* Inserts a participant through the store's worker (announcing "participants").
 * Returns (transfer full): its id. */
char *koers_test_add_participant (KoersStore *store, const char *name,
                                  KoersMunicipality municipality, KoersTargetGroup group,
                                  KoersStatus status);
/* Inserts participants "@prefix NNN" for NNN from @first, @n of them, in one write through the
 * store's worker, as a sync page lands (one "changed::participants"), municipality and target group cycling. */
void  koers_test_add_participants (KoersStore *store, const char *prefix, guint first,
                                   guint n);
/* Tombstones the participant with @id (announcing "participants"). */
void  koers_test_delete_participant (KoersStore *store, const char *id);

/* Fails the test unless every button, menu button, dropdown, entry, search entry and switch
 * shown under @root has a name a screen reader can say: an accessible label (or labelled-by), or a
 * text label without a mnemonic underscore. Needs GTK_A11Y=test, set before GTK starts. */
void  koers_test_assert_accessible_names (GtkWidget *root);

/* Returns (transfer full): the name of the caseload row at @position of @caseload (a
 * KoersCaseloadModel), which must be there. */
char *koers_test_row_name (GListModel *caseload, guint position);
/* The caseload's first row is @name's. */
void  koers_test_assert_first_row (GListModel *caseload, const char *name);

G_END_DECLS
