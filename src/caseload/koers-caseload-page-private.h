/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-caseload-page-private.h: the page's state, shared by its files: the page itself
 * (-page.c), its filters (-filters.c), its list cells (-cells.c), its import and export
 * (-bulk.c) and what it remembers between starts (-state.c).
 */
#pragma once

#include "caseload/koers-caseload-page.h"
#include "caseload/koers-column-sorter.h"
#include "caseload/koers-kpi-strip.h"

G_BEGIN_DECLS

struct _KoersCaseloadPage
{
  AdwBin                  parent_instance;

  KoersContext           *context;
  KoersCaseloadModel     *model;
  KoersColumnSorterProbe  probe;
  GPtrArray              *coach_ids;      /* the coach dropdown's ids, after "All coaches" */
  GCancellable           *coach_cancellable;
  char                   *today;          /* ISO; next actions before it are overdue */
  gboolean                updating_filters;
  gboolean                loaded_once;
  /* -state.c: the columns' widths as the .ui sets them, by KoersCaseloadSort; a resize not
   * saved yet */
  int                     default_widths[KOERS_CASELOAD_SORT_NEXT_ACTION + 1];
  guint                   save_widths_source;

  KoersKpiStrip          *kpi_strip;
  GtkSearchEntry         *search_entry;
  GtkDropDown            *status_dropdown;
  GtkDropDown            *coach_dropdown;
  GtkDropDown            *target_group_dropdown;
  GtkDropDown            *municipality_dropdown;
  GtkDropDown            *project_line_dropdown;
  GtkLabel               *count_label;
  GtkLabel               *first_sync_hint;
  GtkStack               *content_stack;
  GtkColumnView          *column_view;
  AdwStatusPage          *empty_status;
  GtkButton              *empty_button;

  /* -bulk.c: the open import/export dialogs (the page is busy while one is open) */
  GtkFileChooserNative   *import_chooser;
  GtkWindow              *import_dialog;
  GtkWindow              *export_dialog;
};

/* koers-caseload-page-filters.c */
void koers_caseload_page_setup_filters (KoersCaseloadPage *self);
void koers_caseload_page_dispose_filters (KoersCaseloadPage *self);
void koers_caseload_page_reset_filters (KoersCaseloadPage *self);
/* Copies the dropdowns' choices into @query (search and sort untouched). */
void koers_caseload_page_read_filters (KoersCaseloadPage *self, KoersCaseloadQuery *query);

/* koers-caseload-page-bulk.c: "caseload.import" and "caseload.export" (issue 3). */
void       koers_caseload_page_class_init_bulk (GtkWidgetClass *widget_class);
void       koers_caseload_page_dispose_bulk (KoersCaseloadPage *self);
/* Property "busy": an import or export dialog (or the file chooser before it) is open. */
gboolean   koers_caseload_page_get_busy (KoersCaseloadPage *self);
/* Opens the import dialog on @file, as after the file chooser. Returns (transfer none) it. */
GtkWindow *koers_caseload_page_import_file (KoersCaseloadPage *self, GFile *file);
/* Opens the export dialog for the list as shown. Returns (transfer none) it. */
GtkWindow *koers_caseload_page_export (KoersCaseloadPage *self);

/* koers-caseload-page-state.c: the sort and the column widths, remembered in GSettings. */
void koers_caseload_page_get_remembered_sort (KoersCaseloadPage *self,
                                              KoersCaseloadSort *out_key,
                                              gboolean          *out_descending);
void koers_caseload_page_remember_sort (KoersCaseloadPage *self,
                                        KoersCaseloadSort  key,
                                        gboolean           descending);
/* Sorts the view's header as remembered and applies the remembered widths; the view's model
 * and column sorters must be set up. */
void koers_caseload_page_setup_state (KoersCaseloadPage *self);
void koers_caseload_page_dispose_state (KoersCaseloadPage *self);

/* koers-caseload-page-cells.c */
void koers_caseload_page_class_init_cells (GtkWidgetClass *widget_class);

G_END_DECLS
