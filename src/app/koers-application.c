/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "app/koers-application.h"
#include "app/koers-application-private.h"
#include "app/koers-caseload-model.h"
#include "caseload/koers-caseload-page.h"
#include "core/koers-date.h"
#include "core/koers-i18n.h"
#include "storage/koers-backup.h"
#include "storage/koers-paths.h"
#include "window/koers-sign-in-dialog.h"
#include "window/koers-window.h"

/* The daily backup waits this long after the window opens: a VACUUM INTO of a large caseload
 * takes a core and the disk for a while, and the coach's first look at the caseload comes
 * first. Closing Koers earlier skips it; the next start tries again. */
#define BACKUP_DELAY_SECONDS 10

G_DEFINE_FINAL_TYPE (KoersApplication, koers_application, ADW_TYPE_APPLICATION)

/* --- messages --------------------------------------------------------------------------- */

void
koers_application_show_message (KoersApplication *self,
              GtkWindow        *parent,
              const char       *heading,
              const char       *body)
{
  GtkWidget *dialog = adw_message_dialog_new (parent, heading, body);

  /* Without a parent the dialog is the app's only window and keeps it running until read. */
  if (parent == NULL)
    gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
show_open_error (KoersApplication *self,
                 const GError     *error)
{
  g_autofree char *body = NULL;

  if (g_error_matches (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_TOO_NEW))
    {
      body = g_strdup_printf (_("The caseload in %s was saved by a newer version of Koers. "
                                "This version cannot read it and has not changed it. Please "
                                "install the newer version of Koers to open it."),
                              self->database_path);
      koers_application_show_message (self, NULL, _("Caseload From a Newer Koers"), body);
      return;
    }

  /* Translators: %s is the database file, the second %s the technical reason */
  body = g_strdup_printf (_("Koers could not open the caseload in %s: %s"),
                          self->database_path, error->message);
  koers_application_show_message (self, NULL, _("Could Not Open the Caseload"), body);
}

/* --- the main window and the daily backup ----------------------------------------------- */

typedef struct
{
  char *backup_dir;
  char *today;
} BackupJob;

static void
backup_job_free (gpointer data)
{
  BackupJob *job = data;

  g_free (job->backup_dir);
  g_free (job->today);
  g_free (job);
}

static gpointer
backup_job (KoersDatabase  *db,
            gpointer        data,
            GCancellable   *cancellable,
            GError        **error)
{
  BackupJob *job = data;

  return koers_backup_run (db, job->backup_dir, job->today, error);
}

static void
backup_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(KoersApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  path = koers_store_run_finish (KOERS_STORE (object), result, &error);
  if (path != NULL)
    {
      g_debug ("Daily backup written to %s", path);
      return;
    }

  /* The caseload works without it, but the coach must know there is no fresh safety net. */
  g_warning ("Daily backup failed: %s", error->message);
  {
    GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

    if (KOERS_IS_WINDOW (window))
      {
        AdwToast *toast = adw_toast_new (_("Today’s backup could not be made"));

        adw_toast_set_timeout (toast, 0);
        koers_window_add_toast (KOERS_WINDOW (window), toast);
      }
  }
}

static gboolean
run_daily_backup_if_due (KoersApplication *self)
{
  BackupJob *job;
  g_autofree char *backup_dir = NULL;
  g_autofree char *today = NULL;

  if (self->settings == NULL || !g_settings_get_boolean (self->settings, "daily-backup"))
    return FALSE;

  backup_dir = koers_paths_backup_dir (self->database_path);
  today = koers_date_today_iso ();
  if (!koers_backup_is_due (backup_dir, today))
    return FALSE;

  job = g_new0 (BackupJob, 1);
  job->backup_dir = g_steal_pointer (&backup_dir);
  job->today = g_steal_pointer (&today);
  koers_store_run_async (koers_context_get_store (self->context), backup_job, job,
                         backup_job_free, g_free, NULL, NULL, backup_done,
                         g_object_ref (self));
  return TRUE;
}

/* --- the start-up benchmark's probe ------------------------------------------------------ */

/* benchmarks/bench-startup times Koers from spawn to the first frame that shows caseload rows,
 * against a bare window's first frame. With KOERS_BENCHMARK=first-populated-frame the app says
 * when that frame is painted and quits; without it none of this runs. */

static void
benchmark_after_paint (GdkFrameClock *clock,
                       GtkWindow     *window)
{
  g_signal_handlers_disconnect_by_func (clock, benchmark_after_paint, window);
  g_print ("first-populated-frame\n");
  gtk_window_destroy (window);
}

static void
benchmark_model_settled (KoersCaseloadModel *model,
                         GParamSpec         *pspec,
                         GtkWindow          *window)
{
  GdkFrameClock *clock;

  /* Rows to show, not the whole list: the page starts with the rows that fit and reads the
   * rest after its first frame (koers_caseload_model_new_first_rows()). */
  if (g_list_model_get_n_items (G_LIST_MODEL (model)) == 0)
    return;
  g_signal_handlers_disconnect_by_func (model, benchmark_model_settled, window);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (clock, "after-paint", G_CALLBACK (benchmark_after_paint), window);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
}

static void
benchmark_window_mapped (GtkWidget *window)
{
  GtkWidget *page = koers_window_get_caseload_page (KOERS_WINDOW (window));
  KoersCaseloadModel *model = koers_caseload_page_get_model (KOERS_CASELOAD_PAGE (page));

  g_signal_connect_object (model, "notify::loading", G_CALLBACK (benchmark_model_settled),
                           window, 0);
  benchmark_model_settled (model, NULL, GTK_WINDOW (window));
}

static gboolean
backup_timeout (gpointer user_data)
{
  KoersApplication *self = user_data;

  self->backup_source = 0;
  run_daily_backup_if_due (self);
  return G_SOURCE_REMOVE;
}

gboolean
koers_application_run_daily_backup_now (KoersApplication *self)
{
  g_return_val_if_fail (KOERS_IS_APPLICATION (self), FALSE);

  if (self->backup_source == 0)
    return FALSE;
  g_clear_handle_id (&self->backup_source, g_source_remove);
  return run_daily_backup_if_due (self);
}

KoersWindow *
koers_application_show_main_window (KoersApplication *self,
                  KoersStore       *store)
{
  KoersWindow *window;
  g_autoptr(KoersSyncService) sync = NULL;

  koers_application_stop_sync (self);
  g_clear_object (&self->context);
  /* Sync runs on a thread of its own from the start; it resumes a sign-in on record. */
  sync = koers_sync_service_new (store);
  koers_sync_service_start (sync);
  koers_sync_service_resume (sync);
  self->context = koers_context_new_full (store, self->settings, sync);
  window = koers_window_new (GTK_APPLICATION (self), self->context);
  if (g_strcmp0 (g_getenv ("KOERS_BENCHMARK"), "first-populated-frame") == 0)
    g_signal_connect (window, "map", G_CALLBACK (benchmark_window_mapped), NULL);
  gtk_window_present (GTK_WINDOW (window));

  g_clear_handle_id (&self->backup_source, g_source_remove);
  self->backup_source = g_timeout_add_seconds (BACKUP_DELAY_SECONDS, backup_timeout, self);
  return window;
}

void
koers_application_stop_sync (KoersApplication *self)
{
  KoersSyncService *sync = self->context != NULL
                           ? koers_context_get_sync_service (self->context) : NULL;

  if (sync != NULL)
    koers_sync_service_shutdown (sync);
}

/* --- opening an existing database ------------------------------------------------------- */

KoersStore *
koers_application_open_store (KoersApplication  *self,
            GError           **error)
{
  return koers_store_new (self->database_path, g_get_user_name (), error);
}

/* A damaged file is moved aside and the newest good backup put in its place; the coach is
 * told which backup, because the work since then is gone. */
static void
recover_from_corruption (KoersApplication *self,
                         const GError     *corruption)
{
  g_autofree char *backup_dir = koers_paths_backup_dir (self->database_path);
  g_autofree char *restored_from = NULL;
  g_autofree char *backup_name = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersStore) store = NULL;
  KoersWindow *window;

  if (!koers_backup_restore_latest_good (self->database_path, backup_dir, &restored_from,
                                         &error))
    {
      if (g_error_matches (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_NOT_FOUND))
        body = g_strdup_printf (_("The caseload in %s is damaged (%s) and there is no good "
                                  "backup to restore. Koers has not changed the file. Please "
                                  "ask your administrator for help."),
                                self->database_path, corruption->message);
      else
        /* There is a good backup, so the administrator must hear why it could not be put in
         * place (a full disk, a folder Koers may not write) rather than that none exists. */
        /* Translators: %s the database file, then why it is damaged, then why the backup
         * could not be restored */
        body = g_strdup_printf (_("The caseload in %s is damaged (%s). Koers has a good backup "
                                  "but could not restore it: %s. Please ask your administrator "
                                  "for help."),
                                self->database_path, corruption->message, error->message);
      koers_application_show_message (self, NULL, _("Caseload Damaged"), body);
      return;
    }

  store = koers_application_open_store (self, &error);
  if (store == NULL)
    {
      show_open_error (self, error);
      return;
    }

  window = koers_application_show_main_window (self, store);
  backup_name = g_path_get_basename (restored_from);
  body = g_strdup_printf (_("The caseload was damaged, so Koers restored the backup %s. "
                            "Changes made after that backup are missing: please enter them "
                            "again. The damaged file was kept next to the caseload."),
                          backup_name);
  koers_application_show_message (self, GTK_WINDOW (window), _("Caseload Restored From Backup"), body);
}

/* The background check found the open file damaged: close the window, wait until the store
 * has let go of the file (its worker joined, its connections closed, which Windows needs
 * before the file can be moved), then restore. */
typedef struct
{
  KoersApplication *app;
  GError           *corruption;
  guint             fallback_source;
  gboolean          done;
} Recovery;

static void
recovery_run (Recovery *recovery)
{
  if (recovery->done)
    return;
  recovery->done = TRUE;
  g_clear_handle_id (&recovery->fallback_source, g_source_remove);
  recover_from_corruption (recovery->app, recovery->corruption);
  g_application_release (G_APPLICATION (recovery->app));
}

static gboolean
recovery_idle (gpointer data)
{
  Recovery *recovery = data;

  recovery_run (recovery);
  g_error_free (recovery->corruption);
  g_object_unref (recovery->app);
  g_free (recovery);
  return G_SOURCE_REMOVE;
}

/* Not from inside the store's finalization: restoring opens a new store. */
static void
recovery_store_finalized (gpointer  data,
                          GObject  *where_the_store_was)
{
  g_idle_add (recovery_idle, data);
}

/* Something still holds the store after a few seconds: restore anyway (on Linux the open
 * file can be moved aside; elsewhere the restore reports why it could not). */
static gboolean
recovery_fallback (gpointer data)
{
  Recovery *recovery = data;

  recovery->fallback_source = 0;
  recovery_run (recovery);
  return G_SOURCE_REMOVE;
}

static void
check_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(KoersApplication) self = user_data;
  KoersStore *store = KOERS_STORE (object);
  g_autoptr(GError) error = NULL;
  GtkWindow *window;
  Recovery *recovery;

  if (koers_store_check_finish (store, result, &error)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED))
    return;
  if (self->context == NULL || koers_context_get_store (self->context) != store)
    return;
  g_warning ("The caseload failed its integrity check: %s", error->message);

  recovery = g_new0 (Recovery, 1);
  recovery->app = g_object_ref (self);
  recovery->corruption = g_steal_pointer (&error);
  g_application_hold (G_APPLICATION (self));
  g_object_weak_ref (G_OBJECT (store), recovery_store_finalized, recovery);
  recovery->fallback_source = g_timeout_add_seconds (3, recovery_fallback, recovery);

  g_clear_handle_id (&self->backup_source, g_source_remove);
  koers_application_stop_sync (self);
  while ((window = gtk_application_get_active_window (GTK_APPLICATION (self))) != NULL)
    gtk_window_destroy (window);
  g_clear_object (&self->context);
}

/* The check starts once the window has painted its first frame: on a two-core laptop it
 * would otherwise take a core from the caseload's first look. */
static void
check_after_first_frame (GdkFrameClock *clock,
                         GtkWindow     *window)
{
  GtkApplication *app = gtk_window_get_application (window);
  KoersApplication *self;

  g_signal_handlers_disconnect_by_func (clock, check_after_first_frame, window);
  if (!KOERS_IS_APPLICATION (app))
    return;
  self = KOERS_APPLICATION (app);
  if (self->context == NULL)
    return;
  koers_store_check_async (koers_context_get_store (self->context), NULL, check_done,
                           g_object_ref (self));
}

static void
check_when_mapped (GtkWidget *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  g_signal_handlers_disconnect_by_func (window, check_when_mapped, NULL);
  g_signal_connect_object (clock, "after-paint", G_CALLBACK (check_after_first_frame), window,
                           0);
}

/* A caseload file of 0 bytes holds nothing: something emptied it (a copy or sync tool, a full
 * disk). Opened as it is, it would become a new, empty caseload (SQLite deletes its log), and
 * from day to day the backups of that would push the good ones out. With backups or a log
 * beside it, it is damage: kept aside with its log, and the newest good backup restored, as
 * for any damaged file (or, with no good backup, nothing changed and the coach told). With
 * neither, it is a first start. */
static void
open_empty_file (KoersApplication *self)
{
  g_autoptr(GError) error = NULL;

  if (!koers_backup_database_is_emptied (self->database_path))
    {
      koers_application_show_welcome (self);
      return;
    }
  g_set_error_literal (&error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_CORRUPT,
                       /* Translators: why a caseload is damaged, in "The caseload in %s is
                        * damaged (%s)" */
                       _("the file is empty"));
  recover_from_corruption (self, error);
}

static void
open_existing (KoersApplication *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersStore) store = NULL;

  /* The caseload shows at once; PRAGMA quick_check reads the whole file, so it runs beside it
   * (after the first frame) and a damaged file is handled as soon as the check says so. */
  store = koers_store_new_unchecked (self->database_path, g_get_user_name (), &error);
  if (store != NULL)
    {
      KoersWindow *window = koers_application_show_main_window (self, store);

      if (gtk_widget_get_mapped (GTK_WIDGET (window)))
        check_when_mapped (GTK_WIDGET (window));
      else
        g_signal_connect (window, "map", G_CALLBACK (check_when_mapped), NULL);
      return;
    }

  if (g_error_matches (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_CORRUPT))
    recover_from_corruption (self, error);
  else
    show_open_error (self, error);
}

/* --- GApplication ----------------------------------------------------------------------- */

static void
koers_application_startup (GApplication *application)
{
  KoersApplication *self = KOERS_APPLICATION (application);
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  G_APPLICATION_CLASS (koers_application_parent_class)->startup (application);

  /* GTK flips to right-to-left from its own translation; Koers' Arabic must not depend on
   * GTK's catalogue being installed. */
  if (koers_locale_style_current () == KOERS_LOCALE_STYLE_AR)
    gtk_widget_set_default_direction (GTK_TEXT_DIR_RTL);

  gtk_window_set_default_icon_name (APPLICATION_ID);

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema != NULL)
    self->settings = g_settings_new (APPLICATION_ID);
  else
    g_message ("Settings schema %s is not installed: window state and preferences are not "
               "kept", APPLICATION_ID);

  koers_application_install_actions (self);
}

static void
koers_application_activate (GApplication *application)
{
  KoersApplication *self = KOERS_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  g_free (self->database_path);
  self->database_path = koers_paths_default_database ();

  if (!g_file_test (self->database_path, G_FILE_TEST_EXISTS))
    koers_application_show_welcome (self);
  else if (koers_paths_database_is_empty (self->database_path))
    open_empty_file (self);
  else
    open_existing (self);
}

/* The browser hands the sign-in's answer back as `koers nl.achterhoek.koers:/oauth/terug?...`,
 * which reaches the running Koers here. Only the sign-in dialog whose attempt it belongs to
 * (the state matches) takes it; anything else is left alone, and its text (a code, a path) is
 * never written to a log. */
static void
koers_application_open (GApplication  *application,
                        GFile        **files,
                        int            n_files,
                        const char    *hint)
{
  KoersApplication *self = KOERS_APPLICATION (application);
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint stale = 0;
  guint malformed = 0;
  guint other = 0;

  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *uri = g_file_get_uri (files[i]);
      g_autofree char *scheme = g_uri_parse_scheme (uri);
      gboolean taken = FALSE;

      if (g_ascii_strcasecmp (scheme != NULL ? scheme : "", KOERS_SIGN_IN_URI_SCHEME) != 0)
        {
          other++;
          continue;
        }
      for (guint j = 0; !taken && j < g_list_model_get_n_items (toplevels); j++)
        {
          g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, j);

          taken = KOERS_IS_SIGN_IN_DIALOG (window)
                  && koers_sign_in_dialog_handle_redirect (KOERS_SIGN_IN_DIALOG (window), uri);
        }
      if (!taken && koers_sign_in_is_redirect (uri))
        stale++;
      else if (!taken)
        malformed++;
    }
  if (stale > 0)
    g_message ("A sign-in answer arrived that belongs to no sign-in in progress; it was "
               "ignored");
  /* Not the address Koers asked the server to send the browser back to (a server that wrote
   * it another way, say with "//"): said as such, not blamed on the sign-in's state. */
  if (malformed > 0)
    g_message ("An address for Koers arrived that is no sign-in answer (Koers expects %s "
               "with a query); it was ignored", KOERS_SIGN_IN_REDIRECT_URI);
  if (other > 0)
    g_message ("Koers opens no files or addresses; %u given at start were ignored", other);

  /* Started by the browser while Koers was not running: open as usual. */
  if (gtk_application_get_active_window (GTK_APPLICATION (self)) == NULL)
    koers_application_activate (application);
}

static void
koers_application_shutdown (GApplication *application)
{
  KoersApplication *self = KOERS_APPLICATION (application);

  g_clear_handle_id (&self->backup_source, g_source_remove);
  /* The sync thread's connection is a writer too: it ends first, so the store's writer is
   * the last to close. */
  koers_application_stop_sync (self);
  /* Whoever still holds the store (a check or a job finishing on another thread), its file
   * is closed now, the writer last, so no empty write-ahead log is left beside it. */
  if (self->context != NULL)
    koers_store_close (koers_context_get_store (self->context));
  koers_application_remove_unchosen_database (self);

  G_APPLICATION_CLASS (koers_application_parent_class)->shutdown (application);
}

static void
koers_application_dispose (GObject *object)
{
  KoersApplication *self = KOERS_APPLICATION (object);

  g_clear_handle_id (&self->backup_source, g_source_remove);
  if (self->demo_cancellable != NULL)
    g_cancellable_cancel (self->demo_cancellable);
  g_clear_object (&self->demo_cancellable);
  g_clear_object (&self->pending_store);
  g_clear_object (&self->context);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (koers_application_parent_class)->dispose (object);
}

static void
koers_application_finalize (GObject *object)
{
  KoersApplication *self = KOERS_APPLICATION (object);

  g_free (self->database_path);

  G_OBJECT_CLASS (koers_application_parent_class)->finalize (object);
}

static void
koers_application_class_init (KoersApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = koers_application_dispose;
  object_class->finalize = koers_application_finalize;
  app_class->startup = koers_application_startup;
  app_class->activate = koers_application_activate;
  app_class->open = koers_application_open;
  app_class->shutdown = koers_application_shutdown;
}

static void
koers_application_init (KoersApplication *self)
{
}

KoersApplication *
koers_application_new (void)
{
  return g_object_new (KOERS_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       /* The sign-in's answer comes back from the browser as a URI. */
                       "flags", G_APPLICATION_DEFAULT_FLAGS | G_APPLICATION_HANDLES_OPEN,
                       /* The same resources for the .Devel build. */
                       "resource-base-path", "/nl/achterhoek/Koers",
                       NULL);
}
