/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "window/koers-sync-indicator.h"
#include "window/koers-sync-indicator-private.h"

#include "participant/koers-participant-display.h"

#include "core/koers-date.h"
#include "core/koers-i18n.h"

#include <string.h>

/* How often the first-sync bar moves while the popover shows it. */
#define PULSE_INTERVAL_MS 120

struct _KoersSyncIndicator
{
  AdwBin            parent_instance;

  KoersSyncService *service;
  gboolean          saw_first_sync;   /* a first sync ran while this window was open */
  gboolean          first_sync_done;  /* ... and it completed */
  gboolean          first_sync_told;  /* ... and the popover said so and was closed again */
  guint             pulse_source;
  guint             fit_source;       /* the popover's first fit, after the first frame */

  GtkMenuButton    *button;
  GtkPopover       *popover;
  GtkScrolledWindow *scroller;
  GtkWidget        *content_box;
  GtkImage         *state_image;
  GtkLabel         *title_label;
  GtkLabel         *detail_label;
  GtkLabel         *account_label;
  GtkLabel         *pending_label;
  GtkWidget        *first_sync_box;
  GtkLabel         *first_sync_label;
  GtkProgressBar   *first_sync_bar;
  GtkWidget        *clock_box;
  GtkLabel         *clock_label;
  GtkWidget        *sync_now_button;
  GtkWidget        *sign_in_button;
  GtkWidget        *sign_out_button;
};

G_DEFINE_FINAL_TYPE (KoersSyncIndicator, koers_sync_indicator, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SERVICE,
  N_PROPS
};

enum {
  ADD_TOAST,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* --- text ------------------------------------------------------------------------------- */

/* Numbers and times in Arabic text keep their left-to-right order inside an isolate. */
static char *
isolate (char *text)
{
  char *isolated;

  if (koers_locale_style_current () != KOERS_LOCALE_STYLE_AR)
    return text;
  isolated = g_strconcat (KOERS_LRI, text, KOERS_PDI, NULL);
  g_free (text);
  return isolated;
}

char *
koers_sync_indicator_format_count (guint64 n)
{
  return isolate (g_strdup_printf ("%'" G_GUINT64_FORMAT, n));
}

/* (nullable) "Last synced at 10:42" today, with the date on another day; in local time. */
static char *
format_last_sync (const char *iso)
{
  g_autoptr(GDateTime) utc = iso != NULL ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *day = NULL;
  g_autofree char *today = NULL;
  g_autofree char *time = NULL;
  g_autofree char *date = NULL;

  if (utc == NULL)
    return NULL;
  local = g_date_time_to_local (utc);
  day = g_date_time_format (local, "%Y-%m-%d");
  time = isolate (g_date_time_format (local, "%H:%M"));
  today = koers_date_today_iso ();
  if (g_strcmp0 (day, today) == 0)
    /* Translators: %s is a time of day, "10:42" */
    return g_strdup_printf (_("Last synced at %s"), time);
  date = koers_date_format (day, koers_locale_style_current ());
  /* Translators: "Last synced on 27-11-2026 at 10:42" */
  return g_strdup_printf (_("Last synced on %s at %s"), date, time);
}

static char *
join_lines (const char *first,
            const char *second)
{
  if (first == NULL || second == NULL)
    return g_strdup (first != NULL ? first : second);
  return g_strconcat (first, "\n", second, NULL);
}

static char *
server_host (const char *url)
{
  g_autoptr(GUri) uri = url != NULL ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup (url);
  return g_strdup (g_uri_get_host (uri));
}

static char *
format_account (const KoersSyncStatus *s)
{
  g_autofree char *raw_host = server_host (s->server_url);
  /* Isolated, so a Latin name and address keep their order inside an Arabic sentence (and
   * an Arabic name inside a Dutch one). */
  g_autofree char *host = koers_display_isolate (raw_host);
  g_autofree char *user = s->user_name != NULL ? koers_display_isolate (s->user_name) : NULL;
  g_autofree char *organisation = s->organisation != NULL
                                  ? koers_display_isolate (s->organisation) : NULL;

  /* The server asks for a new sign-in: the account is the one last used, not a live one. */
  if (s->needs_sign_in)
    {
      if (user != NULL && organisation != NULL)
        /* Translators: "Last signed in as Sanne Hulshof (Werkplein Achterhoek) at
         * api.example.nl" */
        return g_strdup_printf (_("Last signed in as %s (%s) at %s"), user, organisation, host);
      if (user != NULL)
        return g_strdup_printf (_("Last signed in as %s at %s"), user, host);
      /* Translators: %s is the server's name, "api.example.nl" */
      return g_strdup_printf (_("Last signed in at %s"), host);
    }
  if (user != NULL && organisation != NULL)
    /* Translators: "Signed in as Sanne Hulshof (Werkplein Achterhoek) at api.example.nl" */
    return g_strdup_printf (_("Signed in as %s (%s) at %s"), user, organisation, host);
  if (user != NULL)
    return g_strdup_printf (_("Signed in as %s at %s"), user, host);
  /* Translators: %s is the server's name, "api.example.nl" */
  return g_strdup_printf (_("Signed in at %s"), host);
}

static char *
format_clock (gint64 offset)
{
  guint64 minutes = (guint64) (ABS (offset) + 59) / 60;
  g_autofree char *count = koers_sync_indicator_format_count (minutes);
  g_autofree char *how = NULL;

  if (offset > 0)
    /* Translators: %s is a number of minutes */
    how = g_strdup_printf (ngettext ("The server’s clock is %s minute ahead.",
                                     "The server’s clock is %s minutes ahead.", minutes), count);
  else
    how = g_strdup_printf (ngettext ("The server’s clock is %s minute behind.",
                                     "The server’s clock is %s minutes behind.", minutes),
                           count);
  return g_strdup_printf ("%s %s",
                          _("This computer’s clock differs more than 5 minutes from the "
                            "server’s. Set the right time, so changes are dated correctly."),
                          how);
}

/* --- state ------------------------------------------------------------------------------ */

static gboolean
pulse_cb (gpointer data)
{
  KoersSyncIndicator *self = data;

  gtk_progress_bar_pulse (self->first_sync_bar);
  return G_SOURCE_CONTINUE;
}

/* The bar moves only while someone can see it. */
static void
update_pulse (KoersSyncIndicator *self,
              gboolean            pulsing)
{
  pulsing = pulsing && gtk_widget_get_mapped (GTK_WIDGET (self->popover));
  if (pulsing && self->pulse_source == 0)
    self->pulse_source = g_timeout_add (PULSE_INTERVAL_MS, pulse_cb, self);
  else if (!pulsing)
    g_clear_handle_id (&self->pulse_source, g_source_remove);
}

static void
set_label (GtkLabel   *label,
           const char *text)
{
  gtk_label_set_label (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

static void
update_first_sync (KoersSyncIndicator    *self,
                   const KoersSyncStatus *s)
{
  /* "Complete" is news until the coach has read it in the popover, not for the session. */
  gboolean shown = s->signed_in && !s->needs_sign_in
                   && (!s->initial_sync_complete
                       || (self->first_sync_done && !self->first_sync_told));
  gboolean syncing = s->state == KOERS_SYNC_CLIENT_SYNCING;
  g_autofree char *count = koers_sync_indicator_format_count (s->records_received);
  g_autofree char *text = NULL;

  gtk_widget_set_visible (self->first_sync_box, shown);
  if (!shown)
    {
      set_label (self->first_sync_label, NULL);
      update_pulse (self, FALSE);
      return;
    }
  if (s->initial_sync_complete)
    {
      text = g_strdup (_("First sync complete: all your data is here."));
      gtk_progress_bar_set_fraction (self->first_sync_bar, 1.0);
    }
  else if (syncing)
    /* Translators: %s is a number, "12,000" */
    text = g_strdup_printf (ngettext ("First sync: %s record received. You can go on working "
                                      "meanwhile.",
                                      "First sync: %s records received. You can go on working "
                                      "meanwhile.", s->records_received), count);
  else
    text = g_strdup_printf (ngettext ("First sync paused after %s record: the caseload is not "
                                      "complete yet. It goes on when the server can be "
                                      "reached.",
                                      "First sync paused after %s records: the caseload is not "
                                      "complete yet. It goes on when the server can be "
                                      "reached.", s->records_received), count);
  set_label (self->first_sync_label, text);
  update_pulse (self, syncing && !s->initial_sync_complete);
}

/* The popover's content is as tall as its wrapped text needs at the content's own width. */
static void
fit_height (KoersSyncIndicator *self)
{
  int width = 0;
  int height = 0;

  gtk_widget_measure (self->content_box, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &width, NULL,
                      NULL);
  gtk_widget_measure (self->content_box, GTK_ORIENTATION_VERTICAL, width, &height, NULL, NULL,
                      NULL);
  gtk_scrolled_window_set_min_content_height (self->scroller, -1);
  gtk_scrolled_window_set_max_content_height (self->scroller, height);
  gtk_scrolled_window_set_min_content_height (self->scroller, height);
}

static void
update (KoersSyncIndicator *self)
{
  const KoersSyncStatus *s;
  const char *icon;
  const char *title;
  g_autofree char *last = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *account = NULL;
  g_autofree char *pending = NULL;
  g_autofree char *clock = NULL;
  g_autofree char *summary = NULL;
  gboolean active;

  gtk_widget_set_visible (GTK_WIDGET (self), self->service != NULL);
  if (self->service == NULL)
    return;

  s = koers_sync_service_get_status (self->service);
  active = s->signed_in && !s->needs_sign_in;
  last = format_last_sync (s->last_sync);

  if (!s->signed_in)
    {
      icon = "network-server-symbolic";
      title = _("Not Signed In");
      detail = g_strdup (_("Sign in to your organisation’s Koers server to share this caseload "
                           "with your colleagues and keep it safe on the server."));
    }
  else if (s->needs_sign_in)
    {
      /* Not the warning triangle, which the header shows for a wrong clock: this one asks for
       * a password. */
      icon = "dialog-password-symbolic";
      title = _("Sign-in Needed");
      detail = g_strdup (s->last_error != NULL ? s->last_error
                                               : _("Sign in again to go on syncing."));
    }
  else
    switch (s->state)
      {
      case KOERS_SYNC_CLIENT_SYNCING:
        icon = "emblem-synchronizing-symbolic";
        title = _("Syncing…");
        detail = g_strdup (last);
        break;
      case KOERS_SYNC_CLIENT_OFFLINE:
        icon = "network-offline-symbolic";
        title = _("Offline");
        detail = join_lines (_("Your changes are kept on this computer and sent when the server "
                               "can be reached again."), last);
        break;
      case KOERS_SYNC_CLIENT_ERROR:
        icon = "dialog-error-symbolic";
        title = _("Sync Failed");
        detail = join_lines (s->last_error, _("Koers tries again by itself."));
        break;
      case KOERS_SYNC_CLIENT_IDLE:
      default:
        icon = "emblem-ok-symbolic";
        title = _("Synced");
        detail = g_strdup (last != NULL ? last : _("Not synced yet."));
        break;
      }

  if (s->signed_in)
    account = format_account (s);
  if (s->pending_count > 0)
    {
      g_autofree char *count = koers_sync_indicator_format_count ((guint64) s->pending_count);

      if (active)
        /* Translators: %s is a number */
        pending = g_strdup_printf (ngettext ("%s change waiting to be sent",
                                             "%s changes waiting to be sent",
                                             (gulong) s->pending_count), count);
      else
        pending = g_strdup_printf (ngettext ("%s change not sent yet: it goes to the server "
                                             "after you sign in.",
                                             "%s changes not sent yet: they go to the server "
                                             "after you sign in.",
                                             (gulong) s->pending_count), count);
    }
  if (s->signed_in && s->clock_skewed)
    clock = format_clock (s->clock_offset);

  /* Each setter below does work even for the value it already has (GTK 4.8: the menu button
   * makes a new image and so relayouts the window, which on X11 asks the X server for the work
   * area; a tooltip asks it where the pointer is), and a first sync sends a status a few times
   * a second: each set only when the value changes. */
  if (g_strcmp0 (gtk_image_get_icon_name (self->state_image), icon) != 0)
    gtk_image_set_from_icon_name (self->state_image, icon);
  /* The header button warns about the clock too: wrong times end up in the caseload. */
  if (g_strcmp0 (gtk_menu_button_get_icon_name (self->button),
                 clock != NULL ? "dialog-warning-symbolic" : icon) != 0)
    gtk_menu_button_set_icon_name (self->button,
                                   clock != NULL ? "dialog-warning-symbolic" : icon);
  if ((s->signed_in && s->clock_skewed) || s->needs_sign_in)
    gtk_widget_add_css_class (GTK_WIDGET (self->button), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->button), "warning");

  set_label (self->title_label, title);
  set_label (self->detail_label, detail);
  set_label (self->account_label, account);
  set_label (self->pending_label, pending);
  set_label (self->clock_label, clock);
  gtk_widget_set_visible (self->clock_box, clock != NULL);
  update_first_sync (self, s);

  gtk_widget_set_visible (self->sync_now_button, active);
  gtk_widget_set_visible (self->sign_in_button, !active);
  gtk_widget_set_visible (self->sign_out_button, s->signed_in);

  /* What the button says to a screen reader and on hover: the title, then what waits. */
  summary = join_lines (title, pending);
  if (clock != NULL)
    {
      char *with_clock = join_lines (summary, _("This computer’s clock is off"));

      g_free (summary);
      summary = with_clock;
    }
  if (g_strcmp0 (gtk_widget_get_tooltip_text (GTK_WIDGET (self->button)), summary) != 0)
    {
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->button), summary);
      g_strdelimit (summary, "\n", ' ');
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, summary, -1);
    }
  /* Measuring wrapped text lays it out (20 ms of start-up for the first text Koers measures):
   * not while the window is being built, but after its first frame (map_cb); and only while
   * the popover shows: a first sync changes the status a few times a second, and fitting the
   * closed popover each time shaped its text on the main thread for nothing (310 ms over a
   * 100,000-record first sync). Opening it fits it to what it says then (popover_mapped_cb). */
  if (gtk_widget_get_mapped (GTK_WIDGET (self->popover)))
    fit_height (self);
}

void
koers_sync_indicator_toast (KoersSyncIndicator *self,
                            const char         *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  g_autoptr(AdwToast) shown = adw_toast_new (escaped);

  g_signal_emit (self, signals[ADD_TOAST], 0, shown);
}

static void
service_notify_cb (KoersSyncIndicator *self,
                   GParamSpec         *pspec,
                   KoersSyncService   *service)
{
  const KoersSyncStatus *s = koers_sync_service_get_status (service);

  if (s->signed_in && !s->initial_sync_complete && s->state == KOERS_SYNC_CLIENT_SYNCING)
    self->saw_first_sync = TRUE;
  /* Said once, when a first sync this window showed reaches the end. */
  if (self->saw_first_sync && !self->first_sync_done && s->initial_sync_complete)
    {
      self->first_sync_done = TRUE;
      g_autoptr(AdwToast) done = adw_toast_new (_("First sync complete: all your data is here"));

      g_signal_emit (self, signals[ADD_TOAST], 0, done);
    }
  if (!s->signed_in)
    self->saw_first_sync = self->first_sync_done = self->first_sync_told = FALSE;
  update (self);
}

static void
popover_mapped_cb (KoersSyncIndicator *self)
{
  update (self);
}

static void
popover_unmapped_cb (KoersSyncIndicator *self)
{
  update_pulse (self, FALSE);
  if (self->first_sync_done && gtk_widget_get_visible (self->first_sync_box))
    {
      self->first_sync_told = TRUE;
      update (self);
    }
}

static gboolean
fit_after_first_frame_cb (gpointer user_data)
{
  KoersSyncIndicator *self = user_data;

  self->fit_source = 0;
  fit_height (self);
  return G_SOURCE_REMOVE;
}

/* Below the frame clock's priority, so the window's first frame comes first; opening the
 * popover before then fits it anyway (popover_mapped_cb). */
static void
map_cb (KoersSyncIndicator *self)
{
  if (self->fit_source == 0)
    self->fit_source = g_idle_add_full (G_PRIORITY_LOW, fit_after_first_frame_cb, self, NULL);
}

/* --- public ------------------------------------------------------------------------------- */

GtkWidget *
koers_sync_indicator_new (KoersSyncService *service)
{
  g_return_val_if_fail (service == NULL || KOERS_IS_SYNC_SERVICE (service), NULL);

  return g_object_new (KOERS_TYPE_SYNC_INDICATOR, "service", service, NULL);
}

KoersSyncService *
koers_sync_indicator_get_service (KoersSyncIndicator *self)
{
  g_return_val_if_fail (KOERS_IS_SYNC_INDICATOR (self), NULL);

  return self->service;
}

void
koers_sync_indicator_set_service (KoersSyncIndicator *self,
                                  KoersSyncService   *service)
{
  g_return_if_fail (KOERS_IS_SYNC_INDICATOR (self));
  g_return_if_fail (service == NULL || KOERS_IS_SYNC_SERVICE (service));

  if (self->service == service)
    return;
  if (self->service != NULL)
    g_signal_handlers_disconnect_by_data (self->service, self);
  g_set_object (&self->service, service);
  self->saw_first_sync = self->first_sync_done = FALSE;
  if (service != NULL)
    {
      g_signal_connect_object (service, "notify", G_CALLBACK (service_notify_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (service, "unsent-records",
                               G_CALLBACK (koers_sync_indicator_ask_unsent), self,
                               G_CONNECT_SWAPPED);
    }
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVICE]);
}

void
koers_sync_indicator_popup (KoersSyncIndicator *self)
{
  g_return_if_fail (KOERS_IS_SYNC_INDICATOR (self));

  gtk_menu_button_popup (self->button);
}

GtkWidget *
koers_sync_indicator_get_popover (KoersSyncIndicator *self)
{
  g_return_val_if_fail (KOERS_IS_SYNC_INDICATOR (self), NULL);

  return GTK_WIDGET (self->popover);
}

GtkWidget *
koers_sync_indicator_get_button (KoersSyncIndicator *self)
{
  g_return_val_if_fail (KOERS_IS_SYNC_INDICATOR (self), NULL);

  return GTK_WIDGET (self->button);
}

GtkLabel *
koers_sync_indicator_get_label (KoersSyncIndicator *self,
                                const char         *name)
{
  const struct { const char *name; GtkLabel *label; } labels[] = {
    { "title", self->title_label },
    { "detail", self->detail_label },
    { "account", self->account_label },
    { "pending", self->pending_label },
    { "first-sync", self->first_sync_label },
    { "clock", self->clock_label },
  };

  g_return_val_if_fail (KOERS_IS_SYNC_INDICATOR (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (labels[i].name, name) == 0)
      return labels[i].label;
  g_return_val_if_reached (NULL);
}

/* --- GObject ------------------------------------------------------------------------------ */

static void
koers_sync_indicator_dispose (GObject *object)
{
  KoersSyncIndicator *self = KOERS_SYNC_INDICATOR (object);

  g_clear_handle_id (&self->pulse_source, g_source_remove);
  g_clear_handle_id (&self->fit_source, g_source_remove);
  if (self->service != NULL)
    g_signal_handlers_disconnect_by_data (self->service, self);
  g_clear_object (&self->service);
  /* The bin's child is a template child too: the bin lets go of it first, once. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), KOERS_TYPE_SYNC_INDICATOR);

  G_OBJECT_CLASS (koers_sync_indicator_parent_class)->dispose (object);
}

static void
koers_sync_indicator_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  KoersSyncIndicator *self = KOERS_SYNC_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      g_value_set_object (value, self->service);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_sync_indicator_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  KoersSyncIndicator *self = KOERS_SYNC_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      koers_sync_indicator_set_service (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_sync_indicator_class_init (KoersSyncIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = koers_sync_indicator_dispose;
  object_class->get_property = koers_sync_indicator_get_property;
  object_class->set_property = koers_sync_indicator_set_property;

  properties[PROP_SERVICE] =
    g_param_spec_object ("service", NULL, NULL, KOERS_TYPE_SYNC_SERVICE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A toast (transfer none) for the window: first sync complete, signed out, records queued. */
  signals[ADD_TOAST] =
    g_signal_new ("add-toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, ADW_TYPE_TOAST);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/nl/achterhoek/Koers/window/koers-sync-indicator.ui");
  gtk_widget_class_bind_template_child (widget_class, KoersSyncIndicator, button);
  gtk_widget_class_bind_template_child (widget_class, KoersSyncIndicator, popover);
  gtk_widget_class_bind_template_child (widget_class, KoersSyncIndicator, scroller);
  gtk_widget_class_bind_template_child (widget_class, KoersSyncIndicator, content_box);
  gtk_widget_class_bind_template_child (widget_class, KoersSyncIndicator, state_image);
  gtk_widget_class_bind_template_child (widget_class, KoersSyncIndicator, title_label);
  gtk_widget_class_bind_template_child (widget_class, KoersSyncIndicator, detail_label);
  gtk_widget_class_bind_template_child (widget_class, KoersSyncIndicator, account_label);
  gtk_widget_class_bind_template_child (widget_class, KoersSyncIndicator, pending_label);
  gtk_widget_class_bind_template_child (widget_class, KoersSyncIndicator, first_sync_box);
  gtk_widget_class_bind_template_child (widget_class, KoersSyncIndicator, first_sync_label);
  gtk_widget_class_bind_template_child (widget_class, KoersSyncIndicator, first_sync_bar);
  gtk_widget_class_bind_template_child (widget_class, KoersSyncIndicator, clock_box);
  gtk_widget_class_bind_template_child (widget_class, KoersSyncIndicator, clock_label);
  gtk_widget_class_bind_template_child (widget_class, KoersSyncIndicator, sync_now_button);
  gtk_widget_class_bind_template_child (widget_class, KoersSyncIndicator, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, KoersSyncIndicator, sign_out_button);
  gtk_widget_class_bind_template_callback (widget_class, popover_mapped_cb);
  gtk_widget_class_bind_template_callback (widget_class, popover_unmapped_cb);
}

static void
koers_sync_indicator_init (KoersSyncIndicator *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "map", G_CALLBACK (map_cb), NULL);
  /* Signing in or out opens a dialog: the popover steps aside for it instead of staying open
   * behind it (a button's action does not close a plain popover). "Sync Now" keeps it open to
   * show the run. */
  g_signal_connect_object (self->sign_in_button, "clicked", G_CALLBACK (gtk_popover_popdown),
                           self->popover, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sign_out_button, "clicked", G_CALLBACK (gtk_popover_popdown),
                           self->popover, G_CONNECT_SWAPPED);
  update (self);
}
