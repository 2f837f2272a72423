/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "caseload/koers-kpi-strip.h"
#include "core/koers-i18n.h"
#include "storage/koers-kpi-repository.h"

/* A recomputation after a write that takes longer than this dims the numbers shown, so a coach
 * sees that they are being brought up to date; a quick one changes them without a flicker. */
#define UPDATING_DELAY_MS 400
/* How dim the last numbers are while they are brought up to date. */
#define UPDATING_OPACITY 0.45
/* Writes that come while a count runs (a sync announces what it wrote every 2 s; a count at
 * 100,000 takes 0.5 s, seconds on a loaded laptop) wait for it to end, then for twice as long
 * as it took, at least FOLLOW_UP_MIN_MS, at most FOLLOW_UP_MAX_MS, before one count covers them
 * all: a third of a core at most, where a count per write, each dropped by the next, could
 * keep a core busy and show no number until the writes stopped. */
#define FOLLOW_UP_MIN_MS 250
#define FOLLOW_UP_MAX_MS 10000

struct _KoersKpiStrip
{
  AdwBin        parent_instance;

  KoersContext *context;
  GCancellable *cancellable;  /* of the count in flight, if any */
  gint64        count_started;
  guint         follow_up_source;
  guint         updating_source;
  gboolean      ready;
  gboolean      updating;
  gboolean      dirty;      /* written to since the count in flight (or the last) began */
  gboolean      stale;      /* a computation was dropped when the strip left its window */

  GtkWidget    *migrants_card;
  GtkLabel     *migrants_value;
  GtkLevelBar  *migrants_bar;
  GtkWidget    *distance_card;
  GtkLabel     *distance_value;
  GtkLevelBar  *distance_bar;
  GtkWidget    *reskilling_card;
  GtkLabel     *reskilling_value;
  GtkLevelBar  *reskilling_bar;
  GtkWidget    *flow_on_card;
  GtkLabel     *flow_on_value;
  GtkLevelBar  *flow_on_bar;
  GtkWidget    *proeverijen_card;
  GtkLabel     *proeverijen_value;
  GtkLevelBar  *proeverijen_bar;
};

G_DEFINE_FINAL_TYPE (KoersKpiStrip, koers_kpi_strip, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_READY,
  PROP_UPDATING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Numbers in Arabic text keep their left-to-right order inside an isolate. */
static char *
isolate_number_text (char *text)
{
  if (koers_locale_style_current () != KOERS_LOCALE_STYLE_AR)
    return text;

  {
    char *isolated = g_strconcat (KOERS_LRI, text, KOERS_PDI, NULL);

    g_free (text);
    return isolated;
  }
}

static void
show_count (GtkLabel    *label,
            GtkLevelBar *bar,
            GtkWidget   *card,
            const char  *title,
            guint        value,
            guint        target)
{
  /* Translators: a KPI card: participants counted against the plan's target, "12 / 75" */
  g_autofree char *text = isolate_number_text (g_strdup_printf (_("%u / %u"), value, target));
  g_autofree char *description = NULL;

  gtk_label_set_text (label, text);
  gtk_level_bar_set_max_value (bar, target);
  gtk_level_bar_set_value (bar, MIN (value, target));
  gtk_widget_set_opacity (GTK_WIDGET (bar), 1.0);
  gtk_accessible_update_state (GTK_ACCESSIBLE (card), GTK_ACCESSIBLE_STATE_BUSY, FALSE, -1);

  /* Translators: accessible description of a KPI card: "Migrants: 12 of 75" */
  description = g_strdup_printf (_("%s: %u of %u"), title, value, target);
  gtk_accessible_update_property (GTK_ACCESSIBLE (card),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
}

/* Before the first computation there is no number to show: a coach must never read a 0 that
 * was not counted. The card says it is counting, to the eye and to a screen reader. */
static void
show_pending (GtkLabel    *label,
              GtkLevelBar *bar,
              GtkWidget   *card,
              const char  *title)
{
  /* Translators: a KPI card's accessible description while it is computed */
  g_autofree char *description = g_strdup_printf (_("%s: counting…"), title);

  gtk_label_set_text (label, "…");
  gtk_level_bar_set_value (bar, 0);
  /* Kept in the layout, so the cards do not grow when the numbers arrive. */
  gtk_widget_set_opacity (GTK_WIDGET (bar), 0);
  gtk_accessible_update_property (GTK_ACCESSIBLE (card),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
  gtk_accessible_update_state (GTK_ACCESSIBLE (card), GTK_ACCESSIBLE_STATE_BUSY, TRUE, -1);
}

static void
show_all_pending (KoersKpiStrip *self)
{
  show_pending (self->migrants_value, self->migrants_bar, self->migrants_card, _("Migrants"));
  show_pending (self->distance_value, self->distance_bar, self->distance_card,
                _("Distance to Work"));
  show_pending (self->reskilling_value, self->reskilling_bar, self->reskilling_card,
                _("Re-skilling"));
  show_pending (self->flow_on_value, self->flow_on_bar, self->flow_on_card, _("Flow-on"));
  show_pending (self->proeverijen_value, self->proeverijen_bar, self->proeverijen_card,
                _("Orientation days"));
}

/* The numbers shown are from before the last write while @updating: dimmed, and busy for a
 * screen reader. */
static void
set_updating (KoersKpiStrip *self,
              gboolean       updating)
{
  GtkWidget *cards[] = {
    self->migrants_card, self->distance_card, self->reskilling_card, self->flow_on_card,
    self->proeverijen_card,
  };
  GtkWidget *values[] = {
    GTK_WIDGET (self->migrants_value), GTK_WIDGET (self->distance_value),
    GTK_WIDGET (self->reskilling_value), GTK_WIDGET (self->flow_on_value),
    GTK_WIDGET (self->proeverijen_value),
    GTK_WIDGET (self->migrants_bar), GTK_WIDGET (self->distance_bar),
    GTK_WIDGET (self->reskilling_bar), GTK_WIDGET (self->flow_on_bar),
    GTK_WIDGET (self->proeverijen_bar),
  };

  updating = !!updating;
  if (self->updating == updating)
    return;
  self->updating = updating;

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    gtk_widget_set_opacity (values[i], updating ? UPDATING_OPACITY : 1.0);
  for (guint i = 0; i < G_N_ELEMENTS (cards); i++)
    gtk_accessible_update_state (GTK_ACCESSIBLE (cards[i]), GTK_ACCESSIBLE_STATE_BUSY, updating,
                                 -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATING]);
}

static gboolean
updating_timeout (gpointer user_data)
{
  KoersKpiStrip *self = user_data;

  self->updating_source = 0;
  set_updating (self, TRUE);
  return G_SOURCE_REMOVE;
}

void
koers_kpi_strip_set_result (KoersKpiStrip        *self,
                            const KoersKpiResult *result)
{
  g_autofree char *flow_text = NULL;
  g_autofree char *flow_description = NULL;
  int percent;

  g_return_if_fail (KOERS_IS_KPI_STRIP (self));
  g_return_if_fail (result != NULL);

  show_count (self->migrants_value, self->migrants_bar, self->migrants_card, _("Migrants"),
              result->guided[KOERS_PLAN_GROUP_MIGRANTS], KOERS_KPI_TARGET_MIGRANTS);
  show_count (self->distance_value, self->distance_bar, self->distance_card,
              _("Distance to Work"), result->guided[KOERS_PLAN_GROUP_DISTANCE],
              KOERS_KPI_TARGET_DISTANCE);
  show_count (self->reskilling_value, self->reskilling_bar, self->reskilling_card,
              _("Re-skilling"), result->guided[KOERS_PLAN_GROUP_RESKILLING],
              KOERS_KPI_TARGET_RESKILLING);
  show_count (self->proeverijen_value, self->proeverijen_bar, self->proeverijen_card,
              _("Orientation days"), result->proeverijen, KOERS_KPI_TARGET_PROEVERIJEN);

  percent = koers_kpi_flow_on_percent (result);
  gtk_level_bar_set_max_value (self->flow_on_bar, 100);
  if (percent < 0)
    {
      /* Translators: flow-on rate before any trajectory ended, against the 60% target */
      flow_text = g_strdup_printf (_("– / %d%%"), KOERS_KPI_TARGET_FLOW_ON_PERCENT);
      flow_description = g_strdup (_("Flow-on: no trajectory ended yet"));
      gtk_level_bar_set_value (self->flow_on_bar, 0);
    }
  else
    {
      /* Translators: flow-on rate against its target, "58% / 60%" */
      flow_text = g_strdup_printf (_("%d%% / %d%%"), percent, KOERS_KPI_TARGET_FLOW_ON_PERCENT);
      /* Translators: accessible description, "Flow-on: 58% of 12 ended trajectories" */
      flow_description = g_strdup_printf (_("Flow-on: %d%% of %u ended trajectories"),
                                          percent, result->ended);
      gtk_level_bar_set_value (self->flow_on_bar, percent);
    }
  flow_text = isolate_number_text (g_steal_pointer (&flow_text));
  gtk_label_set_text (self->flow_on_value, flow_text);
  gtk_widget_set_opacity (GTK_WIDGET (self->flow_on_bar), 1.0);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->flow_on_card),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, flow_description, -1);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->flow_on_card), GTK_ACCESSIBLE_STATE_BUSY,
                               FALSE, -1);

  g_clear_handle_id (&self->updating_source, g_source_remove);
  set_updating (self, FALSE);

  if (!self->ready)
    {
      self->ready = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
    }
}

static gpointer
compute_job (KoersDatabase  *db,
             gpointer        data,
             GCancellable   *cancellable,
             GError        **error)
{
  g_autofree KoersKpiResult *result = g_new0 (KoersKpiResult, 1);

  if (!koers_kpi_repository_compute (db, KOERS_KPI_WINDOW_START, KOERS_KPI_WINDOW_END,
                                     result, error))
    return NULL;
  return g_steal_pointer (&result);
}

static void start_count (KoersKpiStrip *self);

static gboolean
follow_up_timeout (gpointer user_data)
{
  KoersKpiStrip *self = user_data;

  self->follow_up_source = 0;
  start_count (self);
  return G_SOURCE_REMOVE;
}

static void
compute_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(KoersKpiStrip) self = user_data;
  g_autofree KoersKpiResult *kpi = NULL;
  g_autoptr(GError) error = NULL;
  gint64 took_ms;

  kpi = koers_store_read_finish (KOERS_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED))
    return;
  g_clear_object (&self->cancellable);
  took_ms = (g_get_monotonic_time () - self->count_started) / 1000;
  if (error != NULL)
    {
      /* The last numbers stay, marked as not up to date; the next write tries again. */
      g_warning ("Could not compute the KPIs: %s", error->message);
    }
  else
    {
      /* Numbers of a moment ago beat none: shown, and kept dim while writes wait. */
      koers_kpi_strip_set_result (self, kpi);
    }
  if (!self->dirty)
    return;
  self->dirty = FALSE;
  set_updating (self, TRUE);
  self->follow_up_source = g_timeout_add (CLAMP (2 * took_ms, FOLLOW_UP_MIN_MS,
                                                 FOLLOW_UP_MAX_MS),
                                          follow_up_timeout, self);
  g_source_set_static_name (g_main_context_find_source_by_id (NULL, self->follow_up_source),
                            "[koers] kpi follow-up count");
}

static void
start_count (KoersKpiStrip *self)
{
  if (self->context == NULL)
    return;

  self->cancellable = g_cancellable_new ();
  self->count_started = g_get_monotonic_time ();
  /* Seconds at 100,000 participants on a slow disk: on the store's aggregate-read worker, so
   * the caseload's searches never wait for it. */
  koers_store_read_async (koers_context_get_store (self->context), compute_job, NULL, NULL,
                          g_free, self->cancellable, compute_done, g_object_ref (self));
  if (self->ready && self->updating_source == 0 && !self->updating)
    {
      self->updating_source = g_timeout_add (UPDATING_DELAY_MS, updating_timeout, self);
      g_source_set_static_name (g_main_context_find_source_by_id (NULL, self->updating_source),
                                "[koers] kpi updating");
    }
}

/* One count at a time: a write during a count is covered by the one count that follows it,
 * a write while that one waits to start by that count itself. */
static void
recompute (KoersKpiStrip *self)
{
  if (self->follow_up_source != 0)
    return;
  if (self->cancellable != NULL)
    {
      self->dirty = TRUE;
      return;
    }
  start_count (self);
}

static void
store_changed_cb (KoersKpiStrip *self,
                  const char    *what,
                  KoersStore    *store)
{
  recompute (self);
}

static void
set_tooltips (KoersKpiStrip *self)
{
  g_autofree char *guided = NULL;

  /* The definitions of koers-kpi.h, for the coach who wonders what a number counts. */
  guided = g_strdup_printf (_("Participants whose guidance started (their status first became "
                              "active) between %s and %s, counted once each in the plan group "
                              "of their target group. Participants who later dropped out "
                              "still count."),
                            KOERS_KPI_WINDOW_START, KOERS_KPI_WINDOW_END);
  gtk_widget_set_tooltip_text (self->migrants_card, guided);
  gtk_widget_set_tooltip_text (self->distance_card, guided);
  gtk_widget_set_tooltip_text (self->reskilling_card, guided);
  gtk_widget_set_tooltip_text (self->flow_on_card,
                               _("Of the participants whose trajectory ended (completed or "
                                 "dropped out) in the plan period, the share that went on to "
                                 "work, education or a work-learning place. Dropped-out "
                                 "participants count in the total. Target 60%."));
  gtk_widget_set_tooltip_text (self->proeverijen_card,
                               _("Participants with at least one proeverij (orientation in an "
                                 "opportunity sector) starting in the plan period, counted "
                                 "once each however many they followed."));
}

/* Out of a window nobody reads the numbers; the computation in flight (whose callback keeps the
 * strip alive) is dropped, and made again if the strip is shown again. */
static void
koers_kpi_strip_unroot (GtkWidget *widget)
{
  KoersKpiStrip *self = KOERS_KPI_STRIP (widget);

  if (self->cancellable != NULL || self->follow_up_source != 0)
    {
      if (self->cancellable != NULL)
        g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      g_clear_handle_id (&self->follow_up_source, g_source_remove);
      self->dirty = FALSE;
      self->stale = TRUE;
    }
  g_clear_handle_id (&self->updating_source, g_source_remove);

  GTK_WIDGET_CLASS (koers_kpi_strip_parent_class)->unroot (widget);
}

static void
koers_kpi_strip_root (GtkWidget *widget)
{
  KoersKpiStrip *self = KOERS_KPI_STRIP (widget);

  GTK_WIDGET_CLASS (koers_kpi_strip_parent_class)->root (widget);

  if (self->stale)
    {
      self->stale = FALSE;
      recompute (self);
    }
}

static void
koers_kpi_strip_dispose (GObject *object)
{
  KoersKpiStrip *self = KOERS_KPI_STRIP (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->follow_up_source, g_source_remove);
  g_clear_handle_id (&self->updating_source, g_source_remove);
  g_clear_object (&self->context);
  gtk_widget_dispose_template (GTK_WIDGET (self), KOERS_TYPE_KPI_STRIP);

  G_OBJECT_CLASS (koers_kpi_strip_parent_class)->dispose (object);
}

static void
koers_kpi_strip_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  KoersKpiStrip *self = KOERS_KPI_STRIP (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_READY:
      g_value_set_boolean (value, self->ready);
      break;
    case PROP_UPDATING:
      g_value_set_boolean (value, self->updating);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_kpi_strip_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  KoersKpiStrip *self = KOERS_KPI_STRIP (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      koers_kpi_strip_set_context (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_kpi_strip_class_init (KoersKpiStripClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = koers_kpi_strip_dispose;
  object_class->get_property = koers_kpi_strip_get_property;
  object_class->set_property = koers_kpi_strip_set_property;
  widget_class->root = koers_kpi_strip_root;
  widget_class->unroot = koers_kpi_strip_unroot;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, KOERS_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* The numbers shown predate a write and a recomputation has run for a while. */
  properties[PROP_UPDATING] =
    g_param_spec_boolean ("updating", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/nl/achterhoek/Koers/caseload/koers-kpi-strip.ui");
  gtk_widget_class_bind_template_child (widget_class, KoersKpiStrip, migrants_card);
  gtk_widget_class_bind_template_child (widget_class, KoersKpiStrip, migrants_value);
  gtk_widget_class_bind_template_child (widget_class, KoersKpiStrip, migrants_bar);
  gtk_widget_class_bind_template_child (widget_class, KoersKpiStrip, distance_card);
  gtk_widget_class_bind_template_child (widget_class, KoersKpiStrip, distance_value);
  gtk_widget_class_bind_template_child (widget_class, KoersKpiStrip, distance_bar);
  gtk_widget_class_bind_template_child (widget_class, KoersKpiStrip, reskilling_card);
  gtk_widget_class_bind_template_child (widget_class, KoersKpiStrip, reskilling_value);
  gtk_widget_class_bind_template_child (widget_class, KoersKpiStrip, reskilling_bar);
  gtk_widget_class_bind_template_child (widget_class, KoersKpiStrip, flow_on_card);
  gtk_widget_class_bind_template_child (widget_class, KoersKpiStrip, flow_on_value);
  gtk_widget_class_bind_template_child (widget_class, KoersKpiStrip, flow_on_bar);
  gtk_widget_class_bind_template_child (widget_class, KoersKpiStrip, proeverijen_card);
  gtk_widget_class_bind_template_child (widget_class, KoersKpiStrip, proeverijen_value);
  gtk_widget_class_bind_template_child (widget_class, KoersKpiStrip, proeverijen_bar);
  gtk_widget_class_set_css_name (widget_class, "kpistrip");
}

static void
koers_kpi_strip_init (KoersKpiStrip *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  set_tooltips (self);
  show_all_pending (self);
}

GtkWidget *
koers_kpi_strip_new (KoersContext *context)
{
  g_return_val_if_fail (KOERS_IS_CONTEXT (context), NULL);

  return g_object_new (KOERS_TYPE_KPI_STRIP, "context", context, NULL);
}

KoersContext *
koers_kpi_strip_get_context (KoersKpiStrip *self)
{
  g_return_val_if_fail (KOERS_IS_KPI_STRIP (self), NULL);

  return self->context;
}

void
koers_kpi_strip_set_context (KoersKpiStrip *self,
                             KoersContext  *context)
{
  g_return_if_fail (KOERS_IS_KPI_STRIP (self));
  g_return_if_fail (context == NULL || KOERS_IS_CONTEXT (context));
  g_return_if_fail (self->context == NULL || context == self->context);

  if (self->context == context)
    return;

  self->context = g_object_ref (context);
  /* Every write can move a KPI: a status change, an outcome, a proeverij, a deletion. */
  g_signal_connect_object (koers_context_get_store (context), "changed",
                           G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
  recompute (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTEXT]);
}

gboolean
koers_kpi_strip_get_ready (KoersKpiStrip *self)
{
  g_return_val_if_fail (KOERS_IS_KPI_STRIP (self), FALSE);

  return self->ready;
}

gboolean
koers_kpi_strip_get_updating (KoersKpiStrip *self)
{
  g_return_val_if_fail (KOERS_IS_KPI_STRIP (self), FALSE);

  return self->updating;
}
