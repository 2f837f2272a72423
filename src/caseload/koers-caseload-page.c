/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "caseload/koers-caseload-page.h"
#include "caseload/koers-caseload-page-private.h"
#include "app/koers-sync-service.h"
#include "caseload/koers-column-sorter.h"
#include "caseload/koers-kpi-strip.h"
#include "core/koers-date.h"
#include "core/koers-i18n.h"
#include "core/koers-status.h"

G_DEFINE_FINAL_TYPE (KoersCaseloadPage, koers_caseload_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_BUSY,
  N_PROPS
};

enum {
  PARTICIPANT_ACTIVATED,
  ADD_TOAST,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* --- count and empty state -------------------------------------------------------------- */

static gboolean
query_is_unfiltered (const KoersCaseloadQuery *query)
{
  return query->status < 0 && query->target_group < 0 && query->municipality < 0 &&
         query->project_line == 0 && query->coach_id == NULL &&
         (query->search == NULL || query->search[0] == '\0');
}

static void
update_count (KoersCaseloadPage *self)
{
  /* The count of matches, not of rows in the model: the first frame has a screenful of rows
   * and already the true count. */
  guint n = koers_caseload_model_get_n_matches (self->model);
  gboolean loading = koers_caseload_model_get_loading (self->model);
  g_autofree char *number = NULL;
  g_autofree char *text = NULL;

  if (loading && !self->loaded_once
      && g_list_model_get_n_items (G_LIST_MODEL (self->model)) == 0)
    return;
  self->loaded_once = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (self->first_sync_hint),
                          koers_caseload_model_get_held (self->model) && n > 0);

  /* The thousands separator of the user's locale: "1,234" or "1.234". */
  number = g_strdup_printf ("%'u", n);
  if (koers_locale_style_current () == KOERS_LOCALE_STYLE_AR)
    {
      char *isolated = g_strconcat (KOERS_LRI, number, KOERS_PDI, NULL);

      g_free (number);
      number = isolated;
    }
  /* Translators: the result count over the caseload, "1,234 participants" */
  text = g_strdup_printf (ngettext ("%s participant", "%s participants", n), number);
  if (g_strcmp0 (gtk_label_get_label (self->count_label), text) != 0)
    gtk_label_set_text (self->count_label, text);

  if (n > 0)
    {
      gtk_stack_set_visible_child_name (self->content_stack, "list");
    }
  else if (koers_caseload_model_get_held (self->model)
           && query_is_unfiltered (koers_caseload_model_get_query (self->model)))
    {
      /* A first sync brings the caseload: not "No Participants Yet", they are on their way. */
      adw_status_page_set_title (self->empty_status, _("First Sync in Progress"));
      adw_status_page_set_description (self->empty_status,
                                       _("Participants appear here as they arrive from the "
                                         "server"));
      gtk_widget_set_visible (GTK_WIDGET (self->empty_button), FALSE);
      gtk_stack_set_visible_child_name (self->content_stack, "empty");
    }
  else if (query_is_unfiltered (koers_caseload_model_get_query (self->model)))
    {
      adw_status_page_set_title (self->empty_status, _("No Participants Yet"));
      adw_status_page_set_description (self->empty_status,
                                       _("Participants you add appear here"));
      gtk_button_set_label (self->empty_button, _("_New Participant"));
      gtk_button_set_use_underline (self->empty_button, TRUE);
      /* Without it a screen reader reads the mnemonic's underscore. */
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->empty_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("New Participant"), -1);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->empty_button),
                                      "win.new-participant");
      gtk_widget_set_visible (GTK_WIDGET (self->empty_button), TRUE);
      gtk_stack_set_visible_child_name (self->content_stack, "empty");
    }
  else
    {
      adw_status_page_set_title (self->empty_status, _("No Matches"));
      adw_status_page_set_description (self->empty_status,
                                       _("No participant matches the search and filters"));
      gtk_button_set_label (self->empty_button, _("_Clear Filters"));
      gtk_button_set_use_underline (self->empty_button, TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->empty_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Clear Filters"), -1);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->empty_button),
                                      "caseload.clear-filters");
      gtk_widget_set_visible (GTK_WIDGET (self->empty_button), TRUE);
      gtk_stack_set_visible_child_name (self->content_stack, "empty");
    }
}

/* --- a first sync ---------------------------------------------------------------------- */

/* While a first sync runs, the list keeps the rows it shows and only its count follows the
 * data (koers_caseload_model_set_held: each refresh that changed the rows on screen froze the
 * window for 100-150 ms at 100,000 participants); when the sync is complete, or stops before,
 * the whole list shows. */
static void
update_first_sync (KoersCaseloadPage *self)
{
  KoersSyncService *service = koers_context_get_sync_service (self->context);
  const KoersSyncStatus *s = service != NULL ? koers_sync_service_get_status (service) : NULL;
  gboolean held = s != NULL && s->signed_in && !s->needs_sign_in && !s->initial_sync_complete
                  && s->state == KOERS_SYNC_CLIENT_SYNCING;

  /* The service notifies for every page the sync applies: only a change of hold counts. */
  if (koers_caseload_model_get_held (self->model) == held)
    return;
  koers_caseload_model_set_held (self->model, held);
  update_count (self);
}

/* --- search, filters and sorting -------------------------------------------------------- */

static void
apply_query (KoersCaseloadPage *self)
{
  KoersCaseloadQuery query;
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  if (self->updating_filters)
    return;

  koers_caseload_query_init (&query);
  koers_caseload_query_copy (&query, koers_caseload_model_get_query (self->model));
  koers_caseload_page_read_filters (self, &query);
  g_free (query.search);
  query.search = g_strdup (search);
  koers_caseload_model_set_query (self->model, &query);
  koers_caseload_query_clear (&query);
}

static void
search_changed_cb (KoersCaseloadPage *self,
                   GtkSearchEntry    *entry)
{
  apply_query (self);
}

static void
stop_search_cb (KoersCaseloadPage *self,
                GtkSearchEntry    *entry)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
}

static void
filter_changed_cb (KoersCaseloadPage *self)
{
  apply_query (self);
}

static void
view_sorter_changed_cb (KoersCaseloadPage *self,
                        GtkSorterChange    change,
                        GtkSorter         *sorter)
{
  KoersCaseloadSort key = KOERS_CASELOAD_SORT_NAME;
  gboolean descending = FALSE;

  /* No sorted column falls back to the list's natural order: by name. */
  if (!koers_column_sorter_probe_view (sorter, &self->probe, &key, &descending))
    {
      key = KOERS_CASELOAD_SORT_NAME;
      descending = FALSE;
    }
  koers_caseload_model_set_sort (self->model, key, descending);
  koers_caseload_page_remember_sort (self, key, descending);
}

static void
clear_filters_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  KoersCaseloadPage *self = KOERS_CASELOAD_PAGE (widget);

  self->updating_filters = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  koers_caseload_page_reset_filters (self);
  self->updating_filters = FALSE;
  apply_query (self);
}

static void
row_activated_cb (KoersCaseloadPage *self,
                  guint              position,
                  GtkColumnView     *view)
{
  g_autoptr(KoersCaseloadRow) row = g_list_model_get_item (G_LIST_MODEL (self->model), position);

  if (row == NULL || koers_caseload_row_get_id (row)[0] == '\0')
    return;
  g_signal_emit (self, signals[PARTICIPANT_ACTIVATED], 0, koers_caseload_row_get_id (row));
}

/* --- the first frame --------------------------------------------------------------------- */

/* About the height of a caseload row; a little less, so the estimate errs on more rows. */
#define ROW_HEIGHT_ESTIMATE 30

/* How many caseload rows the window can show at most: the rows for its remembered height, or
 * for the tallest monitor when it opens maximized (the height includes the header and filters,
 * so this errs on more rows). GTK 4.8's list view makes widgets for ~200 items before the first
 * frame, whatever fits, so the model starts with only these
 * (koers_caseload_model_new_first_rows()). */
static guint
first_screenful (KoersCaseloadPage *self)
{
  GdkDisplay *display = gdk_display_get_default ();
  GSettings *settings = koers_context_get_settings (self->context);
  int tallest = 0;

  if (display != NULL)
    {
      GListModel *monitors = gdk_display_get_monitors (display);

      for (guint i = 0; i < g_list_model_get_n_items (monitors); i++)
        {
          g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, i);
          GdkRectangle geometry;

          gdk_monitor_get_geometry (monitor, &geometry);
          tallest = MAX (tallest, geometry.height);
        }
    }
  if (tallest <= 0)
    tallest = 1080;
  if (settings != NULL && !g_settings_get_boolean (settings, "window-maximized"))
    tallest = MIN (tallest, MAX (g_settings_get_int (settings, "window-height"), 0));
  return CLAMP (tallest / ROW_HEIGHT_ESTIMATE + 1, 16, 200);
}

/* What the coach does not see in the first frame waits until it is painted: the rest of the
 * list (beyond the rows that fit) and the KPI strip's computation, which would otherwise take a
 * core from it on a two-core laptop. */
static void
first_frame_cb (GdkFrameClock     *clock,
                KoersCaseloadPage *self)
{
  g_signal_handlers_disconnect_by_func (clock, first_frame_cb, self);
  koers_caseload_model_load_rest (self->model);
  koers_kpi_strip_set_context (self->kpi_strip, self->context);
}

static void
first_map_cb (GtkWidget *widget)
{
  g_signal_handlers_disconnect_by_func (widget, first_map_cb, NULL);
  g_signal_connect_object (gtk_widget_get_frame_clock (widget), "after-paint",
                           G_CALLBACK (first_frame_cb), widget, 0);
}

/* --- GObject ---------------------------------------------------------------------------- */

static void
koers_caseload_page_constructed (GObject *object)
{
  KoersCaseloadPage *self = KOERS_CASELOAD_PAGE (object);
  g_autoptr(GtkSingleSelection) selection = NULL;
  GListModel *columns;
  GSettings *settings;
  KoersCaseloadSort sort;
  gboolean descending;

  G_OBJECT_CLASS (koers_caseload_page_parent_class)->constructed (object);

  g_assert (self->context != NULL);

  koers_caseload_page_get_remembered_sort (self, &sort, &descending);
  self->model = koers_caseload_model_new_first_rows (koers_context_get_store (self->context),
                                                     first_screenful (self), sort, descending);
  g_signal_connect_object (self->model, "notify::n-items",
                           G_CALLBACK (update_count), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::loading",
                           G_CALLBACK (update_count), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::n-matches",
                           G_CALLBACK (update_count), self, G_CONNECT_SWAPPED);
  /* The model arrives with its first list already read. */
  update_count (self);
  if (koers_context_get_sync_service (self->context) != NULL)
    {
      g_signal_connect_object (koers_context_get_sync_service (self->context), "notify",
                               G_CALLBACK (update_first_sync), self, G_CONNECT_SWAPPED);
      update_first_sync (self);
    }

  /* The view's model is the caseload itself, never a GtkSortListModel: SQL sorts. */
  selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));

  columns = gtk_column_view_get_columns (self->column_view);
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      GtkSorter *sorter = gtk_column_view_column_get_sorter (column);

      if (KOERS_IS_COLUMN_SORTER (sorter))
        koers_column_sorter_set_probe (KOERS_COLUMN_SORTER (sorter), &self->probe);
    }
  koers_caseload_page_setup_state (self);
  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (view_sorter_changed_cb), self, G_CONNECT_SWAPPED);

  /* The KPIs (seconds of SQL at 100,000 participants) and the rest of the list wait for the
   * first frame. */
  g_signal_connect (self, "map", G_CALLBACK (first_map_cb), NULL);
  settings = koers_context_get_settings (self->context);
  if (settings != NULL)
    g_settings_bind (settings, "show-kpi-strip", self->kpi_strip, "visible",
                     G_SETTINGS_BIND_GET);

  koers_caseload_page_setup_filters (self);
  g_signal_connect_object (self->status_dropdown, "notify::selected",
                           G_CALLBACK (filter_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->coach_dropdown, "notify::selected",
                           G_CALLBACK (filter_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->target_group_dropdown, "notify::selected",
                           G_CALLBACK (filter_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->municipality_dropdown, "notify::selected",
                           G_CALLBACK (filter_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->project_line_dropdown, "notify::selected",
                           G_CALLBACK (filter_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
koers_caseload_page_dispose (GObject *object)
{
  KoersCaseloadPage *self = KOERS_CASELOAD_PAGE (object);

  /* The column view's sorter announces its columns going away; nothing is sorted any more. */
  if (self->column_view != NULL)
    g_signal_handlers_disconnect_by_data (gtk_column_view_get_sorter (self->column_view), self);
  koers_caseload_page_dispose_state (self);
  koers_caseload_page_dispose_filters (self);
  koers_caseload_page_dispose_bulk (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), KOERS_TYPE_CASELOAD_PAGE);
  g_clear_object (&self->model);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (koers_caseload_page_parent_class)->dispose (object);
}

static void
koers_caseload_page_finalize (GObject *object)
{
  KoersCaseloadPage *self = KOERS_CASELOAD_PAGE (object);

  g_free (self->today);

  G_OBJECT_CLASS (koers_caseload_page_parent_class)->finalize (object);
}

static void
koers_caseload_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  KoersCaseloadPage *self = KOERS_CASELOAD_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, koers_caseload_page_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_caseload_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  KoersCaseloadPage *self = KOERS_CASELOAD_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_caseload_page_class_init (KoersCaseloadPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = koers_caseload_page_constructed;
  object_class->dispose = koers_caseload_page_dispose;
  object_class->finalize = koers_caseload_page_finalize;
  object_class->get_property = koers_caseload_page_get_property;
  object_class->set_property = koers_caseload_page_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, KOERS_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* An import or export is open: the window greys out its menu entries too. */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[PARTICIPANT_ACTIVATED] =
    g_signal_new ("participant-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* A toast for the window to show (after an export). */
  signals[ADD_TOAST] =
    g_signal_new ("add-toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, ADW_TYPE_TOAST);

  g_type_ensure (KOERS_TYPE_COLUMN_SORTER);
  g_type_ensure (KOERS_TYPE_KPI_STRIP);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/nl/achterhoek/Koers/caseload/koers-caseload-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KoersCaseloadPage, kpi_strip);
  gtk_widget_class_bind_template_child (widget_class, KoersCaseloadPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, KoersCaseloadPage, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KoersCaseloadPage, coach_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KoersCaseloadPage, target_group_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KoersCaseloadPage, municipality_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KoersCaseloadPage, project_line_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KoersCaseloadPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, KoersCaseloadPage, first_sync_hint);
  gtk_widget_class_bind_template_child (widget_class, KoersCaseloadPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, KoersCaseloadPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, KoersCaseloadPage, empty_status);
  gtk_widget_class_bind_template_child (widget_class, KoersCaseloadPage, empty_button);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  koers_caseload_page_class_init_cells (widget_class);
  koers_caseload_page_class_init_bulk (widget_class);

  gtk_widget_class_install_action (widget_class, "caseload.clear-filters", NULL,
                                   clear_filters_action);
}

static void
koers_caseload_page_init (KoersCaseloadPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->probe.key = -1;
  self->today = koers_date_today_iso ();
}

GtkWidget *
koers_caseload_page_new (KoersContext *context)
{
  g_return_val_if_fail (KOERS_IS_CONTEXT (context), NULL);

  return g_object_new (KOERS_TYPE_CASELOAD_PAGE, "context", context, NULL);
}

KoersContext *
koers_caseload_page_get_context (KoersCaseloadPage *self)
{
  g_return_val_if_fail (KOERS_IS_CASELOAD_PAGE (self), NULL);

  return self->context;
}

KoersCaseloadModel *
koers_caseload_page_get_model (KoersCaseloadPage *self)
{
  g_return_val_if_fail (KOERS_IS_CASELOAD_PAGE (self), NULL);

  return self->model;
}

void
koers_caseload_page_focus_search (KoersCaseloadPage *self)
{
  g_return_if_fail (KOERS_IS_CASELOAD_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}
