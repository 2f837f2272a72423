/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-import-dialog-preview.c: what a check found, as widgets: how the file was read, the first
 * rows under the field each column goes to, a dropdown per column for the manual mapping, and
 * the problem list (a GtkListView: a file with a thousand problems stays quick to show).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "caseload/koers-import-dialog-private.h"

#include "core/koers-csv-header.h"
#include "core/koers-i18n.h"

/* RIGHT-TO-LEFT MARK: starts a paragraph right to left whatever its first letter. */
#define KOERS_RLM "\xe2\x80\x8f"

/* --- problem list items ----------------------------------------------------------------- */

struct _KoersImportIssueItem
{
  GObject   parent_instance;

  char     *message;
  gboolean  is_error;
};

G_DEFINE_FINAL_TYPE (KoersImportIssueItem, koers_import_issue_item, G_TYPE_OBJECT)

static void
koers_import_issue_item_finalize (GObject *object)
{
  g_free (KOERS_IMPORT_ISSUE_ITEM (object)->message);

  G_OBJECT_CLASS (koers_import_issue_item_parent_class)->finalize (object);
}

static void
koers_import_issue_item_class_init (KoersImportIssueItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = koers_import_issue_item_finalize;
}

static void
koers_import_issue_item_init (KoersImportIssueItem *self)
{
}

KoersImportIssueItem *
koers_import_issue_item_new (const KoersCsvIssue *issue,
                             gboolean             is_error)
{
  KoersImportIssueItem *self;

  g_return_val_if_fail (issue != NULL, NULL);

  self = g_object_new (KOERS_TYPE_IMPORT_ISSUE_ITEM, NULL);
  self->message = g_strdup (issue->message);
  self->is_error = is_error;
  return self;
}

const char *
koers_import_issue_item_get_message (KoersImportIssueItem *self)
{
  g_return_val_if_fail (KOERS_IS_IMPORT_ISSUE_ITEM (self), NULL);

  return self->message;
}

gboolean
koers_import_issue_item_get_is_error (KoersImportIssueItem *self)
{
  g_return_val_if_fail (KOERS_IS_IMPORT_ISSUE_ITEM (self), FALSE);

  return self->is_error;
}

char *
koers_import_dialog_bidi_message (GtkWidget  *widget,
                                  const char *message)
{
  static GRegex *location;

  if (gtk_widget_get_direction (widget) != GTK_TEXT_DIR_RTL)
    return g_strdup (message);
  if (g_once_init_enter (&location))
    g_once_init_leave (&location, g_regex_new ("^(\\d+:\\d+(?: \\([^)]*\\))?): ",
                                               G_REGEX_OPTIMIZE, 0, NULL));
  /* An Arabic sentence starting with "7:12 (Telefoon)" would be laid out left to right
   * (its first letter is Latin): the paragraph is marked right-to-left and the location kept
   * as one left-to-right unit, so it reads first, on the right. */
  if (g_regex_match (location, message, 0, NULL))
    {
      g_autofree char *isolated = g_regex_replace (location, message, -1, 0,
                                                   KOERS_LRI "\\1" KOERS_PDI ": ", 0, NULL);

      if (isolated != NULL)
        return g_strconcat (KOERS_RLM, isolated, NULL);
    }
  return g_strconcat (KOERS_RLM, message, NULL);
}

static void
setup_issue_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 9);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_item_set_child (item, box);
}

static void
bind_issue_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  KoersImportIssueItem *issue = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *icon = gtk_widget_get_first_child (box);
  GtkWidget *label = gtk_widget_get_last_child (box);
  const char *kind = issue->is_error ? _("Error") : _("Warning");
  g_autofree char *spoken = NULL;
  g_autofree char *text = NULL;

  gtk_image_set_from_icon_name (GTK_IMAGE (icon), issue->is_error ? "dialog-error-symbolic"
                                                                  : "dialog-warning-symbolic");
  gtk_widget_remove_css_class (icon, issue->is_error ? "warning" : "error");
  gtk_widget_add_css_class (icon, issue->is_error ? "error" : "warning");
  gtk_widget_set_tooltip_text (icon, kind);
  text = koers_import_dialog_bidi_message (label, issue->message);
  gtk_label_set_text (GTK_LABEL (label), text);
  /* The icon alone says nothing to a screen reader. */
  /* Translators: a problem in the problem list read aloud: "Error: 7:12 (Telefoon): reason" */
  spoken = g_strdup_printf (_("%s: %s"), kind, issue->message);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, spoken,
                                  -1);
}

/* --- the first rows --------------------------------------------------------------------- */

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  /* A phone number or a date fits whole; the table scrolls sideways rather than cut it. */
  gtk_label_set_width_chars (GTK_LABEL (label), GPOINTER_TO_INT (user_data) < 0 ? 3 : 13);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 28);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  gtk_list_item_set_child (item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              KoersImportDialog        *self)
{
  GtkWidget *label = gtk_list_item_get_child (item);
  int column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "column"));
  guint position = gtk_list_item_get_position (item);
  const char *value = "";

  if (column < 0)
    {
      GtkStringObject *line = gtk_list_item_get_item (item);

      gtk_label_set_text (GTK_LABEL (label), gtk_string_object_get_string (line));
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "numeric");
      return;
    }
  if (self->preview != NULL && position < self->preview->rows->len)
    {
      GStrv row = g_ptr_array_index (self->preview->rows, position);

      if ((guint) column < g_strv_length (row))
        value = row[column];
    }
  /* The cell shows the line; the whole value (a long note) is in the tooltip. */
  gtk_label_set_text (GTK_LABEL (label), value);
  gtk_widget_set_tooltip_text (label, value[0] != '\0' ? value : NULL);
  if (self->report != NULL && self->report->mapping != NULL &&
      self->report->mapping[column] == KOERS_CSV_FIELD_NONE)
    gtk_widget_add_css_class (label, "dim-label");
  else
    gtk_widget_remove_css_class (label, "dim-label");
}

static char *
column_title (KoersImportDialog *self,
              guint              index)
{
  KoersCsvField field = self->report->mapping[index];

  if (field != KOERS_CSV_FIELD_NONE)
    return g_strdup (koers_csv_field_get_label (field));
  /* Translators: the header of a preview column that is not imported; %s is the file's header */
  return g_strdup_printf (_("%s (not imported)"), self->report->headers[index]);
}

static void
add_view_column (KoersImportDialog *self,
                 int                index,
                 const char        *title)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) column = NULL;

  g_object_set_data (G_OBJECT (factory), "column", GINT_TO_POINTER (index));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), GINT_TO_POINTER (index));
  g_signal_connect_object (factory, "bind", G_CALLBACK (bind_cell_cb), self, 0);
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_append_column (self->rows_view, column);
}

static void
show_rows (KoersImportDialog *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->rows_view);
  guint n_columns = g_strv_length (self->report->headers);
  guint n_rows = self->preview != NULL ? self->preview->rows->len : 0;
  g_autoptr(GtkNoSelection) selection = NULL;

  /* The titles follow the mapping, so the columns are made anew after every check. */
  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, 0);

      gtk_column_view_remove_column (self->rows_view, column);
    }
  gtk_column_view_set_model (self->rows_view, NULL);
  /* Translators: the preview's first column: the line of the file a row starts on */
  add_view_column (self, -1, _("Line"));
  for (guint i = 0; i < n_columns; i++)
    {
      g_autofree char *title = column_title (self, i);

      add_view_column (self, (int) i, title);
    }

  if (g_list_model_get_n_items (G_LIST_MODEL (self->row_lines)) != n_rows)
    {
      g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);

      for (guint i = 0; i < n_rows; i++)
        g_ptr_array_add (lines, g_strdup_printf ("%u", g_array_index (self->preview->lines,
                                                                      guint, i)));
      g_ptr_array_add (lines, NULL);
      gtk_string_list_splice (self->row_lines, 0,
                              g_list_model_get_n_items (G_LIST_MODEL (self->row_lines)),
                              (const char * const *) lines->pdata);
    }
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->row_lines)));
  gtk_column_view_set_model (self->rows_view, GTK_SELECTION_MODEL (selection));
  gtk_stack_set_visible_child_name (self->rows_stack, n_rows > 0 ? "rows" : "empty");
}

/* --- the mapping ------------------------------------------------------------------------ */

static void
dropdown_changed_cb (GtkDropDown       *dropdown,
                     GParamSpec        *pspec,
                     KoersImportDialog *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (dropdown), "column"));
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (self->updating || selected == GTK_INVALID_LIST_POSITION || self->report == NULL ||
      self->report->mapping[index] == (KoersCsvField) selected)
    return;
  koers_import_dialog_override (self, index, (KoersCsvField) selected);
  koers_import_dialog_start_check (self);
}

static GtkStringList *
field_labels (void)
{
  GtkStringList *labels = gtk_string_list_new (NULL);

  for (int field = 0; field < KOERS_CSV_N_FIELDS; field++)
    gtk_string_list_append (labels, koers_csv_field_get_label ((KoersCsvField) field));
  return labels;
}

static char *
sample_value (KoersImportDialog *self,
              guint              index)
{
  if (self->preview == NULL)
    return NULL;
  for (guint i = 0; i < self->preview->rows->len; i++)
    {
      GStrv row = g_ptr_array_index (self->preview->rows, i);

      if (index < g_strv_length (row) && row[index][0] != '\0')
        return g_strdup (row[index]);
    }
  return NULL;
}

static void
build_mapping_rows (KoersImportDialog *self)
{
  guint n_columns = g_strv_length (self->report->headers);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->mapping_list))) != NULL)
    gtk_list_box_remove (self->mapping_list, child);
  g_ptr_array_set_size (self->dropdowns, 0);

  for (guint i = 0; i < n_columns; i++)
    {
      const char *header = self->report->headers[i];
      g_autofree char *sample = sample_value (self, i);
      g_autofree char *subtitle = NULL;
      g_autofree char *name = NULL;
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *dropdown;

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), header);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      if (sample != NULL)
        /* Translators: under a column's header: "Column 3, for example “Jan”" */
        subtitle = g_strdup_printf (_("Column %u, for example “%s”"), i + 1, sample);
      else
        /* Translators: under a column's header when the preview shows no value in it */
        subtitle = g_strdup_printf (_("Column %u, empty in the first rows"), i + 1);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);

      dropdown = gtk_drop_down_new (G_LIST_MODEL (field_labels ()), NULL);
      gtk_widget_set_valign (dropdown, GTK_ALIGN_CENTER);
      g_object_set_data (G_OBJECT (dropdown), "column", GUINT_TO_POINTER (i));
      /* Translators: accessible name of a column's dropdown: "Import “Voornaam” as" */
      name = g_strdup_printf (_("Import “%s” as"), header);
      gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      name, -1);
      gtk_widget_set_tooltip_text (dropdown, name);
      g_signal_connect_object (dropdown, "notify::selected", G_CALLBACK (dropdown_changed_cb),
                               self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), dropdown);
      gtk_list_box_append (self->mapping_list, row);
      g_ptr_array_add (self->dropdowns, dropdown);
    }
}

static void
update_mapping_rows (KoersImportDialog *self)
{
  guint n_columns = g_strv_length (self->report->headers);

  if (self->dropdowns->len != n_columns)
    build_mapping_rows (self);
  self->updating = TRUE;
  for (guint i = 0; i < n_columns; i++)
    gtk_drop_down_set_selected (g_ptr_array_index (self->dropdowns, i),
                                (guint) self->report->mapping[i]);
  self->updating = FALSE;
}

/* --- summary ---------------------------------------------------------------------------- */

static const char *
encoding_label (KoersCsvEncoding encoding)
{
  switch (encoding)
    {
    case KOERS_CSV_ENCODING_ASCII:
      /* Translators: the file's encoding when it holds only plain letters and digits */
      return _("plain text (ASCII)");
    case KOERS_CSV_ENCODING_UTF8:
      return _("UTF-8");
    case KOERS_CSV_ENCODING_UTF8_BOM:
      return _("UTF-8 with byte order mark");
    case KOERS_CSV_ENCODING_UTF16LE:
      return _("UTF-16 (Excel “Unicode text”)");
    case KOERS_CSV_ENCODING_WINDOWS_1252:
      return _("Windows-1252 (older Excel)");
    default:
      return koers_csv_encoding_to_string (encoding);
    }
}

static char *
separator_label (char separator)
{
  switch (separator)
    {
    case ';':
      return g_strdup (_("semicolons"));
    case ',':
      return g_strdup (_("commas"));
    case '\t':
      return g_strdup (_("tabs"));
    default:
      return g_strdup_printf ("“%c”", separator);
    }
}

/* @format comes from ngettext (), which picked the plural form for @n. */
static char *
count (const char *format,
       guint       n)
{
  return g_strdup_printf (format, n);
}

static void
show_summary (KoersImportDialog *self)
{
  const KoersImportReport *report = self->report;
  g_autofree char *separator = separator_label (report->separator);
  g_autofree char *detected = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *summary = NULL;
  guint n;

  /* Translators: how the file was read: "UTF-8, separated by semicolons" */
  detected = g_strdup_printf (_("%s, separated by %s"), encoding_label (report->encoding),
                              separator);
  adw_action_row_set_subtitle (self->detected_row, detected);

  n = report->n_rows;
  if (report->n_errors > 0)
    rows = count (ngettext ("%'u row read", "%'u rows read", n), n);
  else if (report->n_already > 0)
    {
      g_autofree char *total = count (ngettext ("%'u row", "%'u rows", n), n);
      g_autofree char *already = NULL;
      g_autofree char *new_rows = NULL;

      n = report->n_already;
      already = count (ngettext ("%'u already imported earlier", "%'u already imported earlier",
                                 n), n);
      n = report->n_to_import;
      new_rows = count (ngettext ("%'u to import", "%'u to import", n), n);
      /* Translators: "312 rows: 308 to import, 4 already imported earlier" */
      rows = g_strdup_printf (_("%s: %s, %s"), total, new_rows, already);
    }
  else
    rows = count (ngettext ("%'u row, all new", "%'u rows, all new", n), n);
  adw_action_row_set_subtitle (self->rows_row, rows);

  if (report->n_errors > 0)
    summary = g_strdup (_("Fix the errors in the file or change the columns above, then "
                          "import again. Nothing is imported while the file has errors."));
  else if (report->n_to_import == 0 && report->n_already > 0)
    summary = g_strdup (_("Every row of this file was imported earlier: there is nothing new "
                          "to import."));
  else if (report->n_to_import == 0)
    summary = g_strdup (_("The file has no participants to import."));
  else
    {
      g_autofree char *will = NULL;

      n = report->n_to_import;
      will = count (ngettext ("%'u participant will be imported",
                              "%'u participants will be imported", n), n);
      /* Translators: %s is "312 participants will be imported" */
      summary = g_strdup_printf (_("%s. The import is one transaction: if it is cancelled or "
                                   "fails, nothing is changed."), will);
    }
  gtk_label_set_text (self->summary_label, summary);
}

static char *
describe_problems (const KoersImportReport *report)
{
  guint n_errors = report->n_errors;
  guint n_warnings = report->n_warnings;

  if (n_errors > 0 && n_warnings > 0)
    {
      g_autofree char *errors = count (ngettext ("%'u error", "%'u errors", n_errors),
                                       n_errors);
      g_autofree char *warnings = count (ngettext ("%'u warning", "%'u warnings", n_warnings),
                                         n_warnings);

      /* Translators: "3 errors and 2 warnings" */
      return g_strdup_printf (_("%s and %s"), errors, warnings);
    }
  if (n_errors > 0)
    return count (ngettext ("%'u error: nothing can be imported until it is fixed",
                            "%'u errors: nothing can be imported until they are fixed",
                            n_errors), n_errors);
  if (n_warnings > 0)
    return count (ngettext ("%'u warning: a value that looks damaged by a spreadsheet. Check "
                            "it, then confirm it or fix the file",
                            "%'u warnings: values that look damaged by a spreadsheet. Check "
                            "them, then confirm them or fix the file", n_warnings),
                  n_warnings);
  return NULL;
}

static void
show_problems (KoersImportDialog *self)
{
  const KoersImportReport *report = self->report;
  guint n_shown = report->errors->len + report->warnings->len;
  guint n_total = report->n_errors + report->n_warnings;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *description = describe_problems (report);

  for (guint i = 0; i < report->errors->len; i++)
    g_ptr_array_add (items, koers_import_issue_item_new (g_ptr_array_index (report->errors, i),
                                                         TRUE));
  for (guint i = 0; i < report->warnings->len; i++)
    g_ptr_array_add (items, koers_import_issue_item_new (g_ptr_array_index (report->warnings, i),
                                                         FALSE));
  /* One items-changed for the whole list, however long. */
  g_list_store_splice (self->issues, 0, g_list_model_get_n_items (G_LIST_MODEL (self->issues)),
                       items->pdata, items->len);

  adw_preferences_group_set_description (self->problems_group, description);
  gtk_stack_set_visible_child_name (self->problems_stack, n_total > 0 ? "list" : "none");

  gtk_widget_set_visible (GTK_WIDGET (self->problems_more), n_total > n_shown);
  if (n_total > n_shown)
    {
      guint n_more = n_total - n_shown;
      g_autofree char *more = count (ngettext ("and %'u more, not listed",
                                               "and %'u more, not listed", n_more), n_more);

      gtk_label_set_text (self->problems_more, more);
    }

  /* Only warnings: the coach may confirm them. With errors there is nothing to confirm yet. */
  gtk_widget_set_visible (GTK_WIDGET (self->accept_check),
                          report->n_errors == 0 && report->n_warnings > 0);
}

static void
accept_toggled_cb (KoersImportDialog *self)
{
  koers_import_dialog_update_actions (self);
}

gboolean
koers_import_dialog_can_import (KoersImportDialog *self)
{
  const KoersImportReport *report = self->report;

  return report != NULL && report->n_errors == 0 && report->n_to_import > 0 &&
         (report->n_warnings == 0 || gtk_check_button_get_active (self->accept_check));
}

void
koers_import_dialog_show_report (KoersImportDialog *self)
{
  g_assert (self->report != NULL);

  if (self->report->headers == NULL)
    {
      /* A report without columns comes only with a refusal; nothing to lay out. */
      gtk_stack_set_visible_child_name (self->rows_stack, "empty");
      return;
    }
  show_summary (self);
  show_problems (self);
  update_mapping_rows (self);
  show_rows (self);
}

void
koers_import_dialog_class_init_preview (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, setup_issue_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_issue_cb);
  gtk_widget_class_bind_template_callback (widget_class, accept_toggled_cb);
}
