/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-import-dialog-private.h: the import dialog's state, shared by its files: the dialog and
 * its states (-dialog.c), what a check found laid out as widgets (-preview.c) and the jobs on the
 * store's worker (-jobs.c). The ui tests read it too, to see what a user sees.
 */
#pragma once

#include "caseload/koers-import-dialog.h"

#include "cli/koers-import.h"
#include "cli/koers-import-preview.h"

G_BEGIN_DECLS

typedef enum {
  KOERS_IMPORT_STATE_CHECKING,   /* the first check: nothing to show yet */
  KOERS_IMPORT_STATE_REFUSED,    /* the file cannot be read as a participant list at all */
  KOERS_IMPORT_STATE_PREVIEW,    /* checked: rows, mapping, problems; also while re-checking */
  KOERS_IMPORT_STATE_IMPORTING,
  KOERS_IMPORT_STATE_DONE,
} KoersImportState;

/* Written by the worker, read by the main thread's timer: plain atomics, no widget calls off the
 * main thread. Shared through g_atomic_rc_box. */
typedef struct {
  int phase;    /* KoersImportPhase */
  int n_done;
  int n_total;
  int n_checking_reports;  /* CHECKING reports of the jobs so far: an import after the
                            * preview's check makes none */
} KoersImportProgressState;

/* What a job hands back. */
typedef struct {
  KoersImportReport  *report;
  KoersImportPreview *preview;  /* (nullable): only the first check reads it */
  GError             *refusal;  /* (nullable): the file is not a participant list Koers reads */
} KoersImportJobResult;

void koers_import_job_result_free (KoersImportJobResult *result);

struct _KoersImportDialog
{
  AdwWindow                 parent_instance;

  KoersContext             *context;
  GFile                    *file;
  KoersImportState          state;
  gboolean                  busy;
  gboolean                  closed;          /* hidden for good: results are dropped */
  gboolean                  rechecking;
  gboolean                  updating;        /* dropdowns set from a report, not by the user */
  GCancellable             *cancellable;
  KoersImportProgressState *progress;
  guint                     progress_timer;
  GPtrArray                *overrides;       /* "N=field" the user chose, in order, N 1-based */
  KoersImportReport        *report;          /* the last check's */
  KoersImportPreview       *preview;
  GListStore               *issues;          /* (element-type KoersImportIssueItem) */
  GtkStringList            *row_lines;       /* one item per preview row: its line number */
  GPtrArray                *dropdowns;       /* (element-type GtkDropDown): one per column */

  AdwWindowTitle           *window_title;
  GtkButton                *cancel_button;
  GtkButton                *import_button;
  GtkStack                 *state_stack;
  GtkLabel                 *progress_title;
  GtkLabel                 *progress_label;
  GtkProgressBar           *progress_bar;
  GtkLabel                 *progress_note;
  AdwStatusPage            *refused_status;
  AdwStatusPage            *done_status;
  GtkProgressBar           *recheck_bar;
  GtkLabel                 *message_label;
  AdwActionRow             *detected_row;
  AdwActionRow             *rows_row;
  GtkStack                 *rows_stack;
  GtkColumnView            *rows_view;
  GtkListBox               *mapping_list;
  AdwPreferencesGroup      *problems_group;
  GtkStack                 *problems_stack;
  GtkListView              *issue_view;
  GtkLabel                 *problems_more;
  GtkCheckButton           *accept_check;
  GtkLabel                 *summary_label;
};

/* One line of the problem list. */
#define KOERS_TYPE_IMPORT_ISSUE_ITEM (koers_import_issue_item_get_type ())
G_DECLARE_FINAL_TYPE (KoersImportIssueItem, koers_import_issue_item, KOERS, IMPORT_ISSUE_ITEM,
                      GObject)

KoersImportIssueItem *koers_import_issue_item_new (const KoersCsvIssue *issue, gboolean is_error);
const char           *koers_import_issue_item_get_message (KoersImportIssueItem *self);
gboolean              koers_import_issue_item_get_is_error (KoersImportIssueItem *self);

/* koers-import-dialog.c */
void koers_import_dialog_update_actions (KoersImportDialog *self);
void koers_import_dialog_set_state (KoersImportDialog *self, KoersImportState state);
void koers_import_dialog_set_busy (KoersImportDialog *self, gboolean busy);

/* koers-import-dialog-preview.c: lays out @self->report (and the preview rows). */
void koers_import_dialog_class_init_preview (GtkWidgetClass *widget_class);
void koers_import_dialog_show_report (KoersImportDialog *self);
/* Returns (transfer full): @message ("7:12 (Telefoon): reason") laid out for @widget's text
 * direction: in Arabic the location stays one left-to-right unit at the start, on the right. */
char *koers_import_dialog_bidi_message (GtkWidget *widget, const char *message);
/* TRUE when the last check allows an import (no errors, warnings confirmed, rows to write). */
gboolean koers_import_dialog_can_import (KoersImportDialog *self);

/* koers-import-dialog-jobs.c: @dry_run checks (reading the preview rows the first time). */
void koers_import_dialog_start_check (KoersImportDialog *self);
void koers_import_dialog_start_import (KoersImportDialog *self);
/* Stops a running job; its callback then finds the dialog as the user left it. */
void koers_import_dialog_stop (KoersImportDialog *self);
/* "N=field" for column @index (0-based) to @field, replacing an earlier choice for it. */
void koers_import_dialog_override (KoersImportDialog *self, guint index, KoersCsvField field);

G_END_DECLS
