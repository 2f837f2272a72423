/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-application-first-start.c: the first start, when there is no caseload file yet. The
 * welcome window offers demo data (made on the store's worker, with progress and cancel) or an
 * empty caseload; walking away leaves no file, so the next start asks again.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "app/koers-application-private.h"
#include "cli/koers-demo.h"

/* What a first start with demo data makes: enough to look around, quick to generate. */
#define FIRST_START_DEMO_PARTICIPANTS 200

/* --- first start ------------------------------------------------------------------------ */

typedef struct
{
  KoersApplication *app;
  guint             done;
  guint             total;
} DemoProgress;

static gboolean
demo_progress_main (gpointer data)
{
  DemoProgress *progress = data;

  if (progress->app->welcome != NULL)
    koers_welcome_window_set_progress (progress->app->welcome, progress->done,
                                       progress->total);
  return G_SOURCE_REMOVE;
}

static void
demo_progress_free (gpointer data)
{
  DemoProgress *progress = data;

  g_object_unref (progress->app);
  g_free (progress);
}

/* Runs on the store's worker: hand the numbers to the main thread. */
static void
demo_progress_cb (guint    done,
                  guint    total,
                  gpointer user_data)
{
  DemoProgress *progress = g_new0 (DemoProgress, 1);

  progress->app = g_object_ref (user_data);
  progress->done = done;
  progress->total = total;
  g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, demo_progress_main, progress,
                              demo_progress_free);
}

typedef struct
{
  KoersApplication *app;
  char             *actor;
} DemoJob;

static void
demo_job_free (gpointer data)
{
  DemoJob *job = data;

  g_object_unref (job->app);
  g_free (job->actor);
  g_free (job);
}

static gpointer
demo_job (KoersDatabase  *db,
          gpointer        data,
          GCancellable   *cancellable,
          GError        **error)
{
  DemoJob *job = data;
  KoersDemoOptions options;

  koers_demo_options_init (&options);
  options.n_participants = FIRST_START_DEMO_PARTICIPANTS;
  options.actor = job->actor;
  if (!koers_demo_generate (db, &options, cancellable, demo_progress_cb, job->app, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static void
leave_welcome (KoersApplication *self)
{
  g_autoptr(KoersStore) store = g_steal_pointer (&self->pending_store);
  KoersWelcomeWindow *welcome = g_steal_pointer (&self->welcome);

  self->started = TRUE;
  /* The main window first, so the application never runs out of windows in between. */
  koers_application_show_main_window (self, store);
  gtk_window_destroy (GTK_WINDOW (welcome));
}

static void
demo_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(KoersApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->demo_cancellable);
  koers_store_run_finish (KOERS_STORE (object), result, &error);
  if (self->welcome == NULL)
    return;

  if (error == NULL)
    {
      leave_welcome (self);
      return;
    }

  /* Generation runs in one transaction: after a cancel or a failure the file is empty. */
  koers_welcome_window_show_choice (self->welcome);
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    koers_application_show_message (self, GTK_WINDOW (self->welcome), _("Could Not Make Demo Data"),
                  error->message);
}

static void
welcome_start_cb (KoersApplication   *self,
                  gboolean            with_demo,
                  KoersWelcomeWindow *welcome)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  DemoJob *job;

  if (self->pending_store == NULL)
    {
      dir = g_path_get_dirname (self->database_path);
      g_mkdir_with_parents (dir, 0700);
      self->pending_store = koers_application_open_store (self, &error);
      if (self->pending_store == NULL)
        {
          koers_welcome_window_show_choice (welcome);
          koers_application_show_message (self, GTK_WINDOW (welcome), _("Could Not Create the Caseload"),
                        error->message);
          return;
        }
    }

  if (!with_demo)
    {
      leave_welcome (self);
      return;
    }

  job = g_new0 (DemoJob, 1);
  job->app = g_object_ref (self);
  job->actor = g_strdup (g_get_user_name ());
  g_clear_object (&self->demo_cancellable);
  self->demo_cancellable = g_cancellable_new ();
  koers_store_run_async (self->pending_store, demo_job, job, demo_job_free, NULL, "participants",
                         self->demo_cancellable, demo_done, g_object_ref (self));
}

static void
welcome_cancel_cb (KoersApplication   *self,
                   KoersWelcomeWindow *welcome)
{
  if (self->demo_cancellable != NULL)
    g_cancellable_cancel (self->demo_cancellable);
}

static void
welcome_destroyed_cb (KoersApplication *self,
                      GtkWidget        *welcome)
{
  if (self->welcome == KOERS_WELCOME_WINDOW (welcome))
    self->welcome = NULL;
  if (self->demo_cancellable != NULL)
    g_cancellable_cancel (self->demo_cancellable);
}

void
koers_application_show_welcome (KoersApplication *self)
{
  self->welcome = koers_welcome_window_new (GTK_APPLICATION (self));
  g_signal_connect_object (self->welcome, "start", G_CALLBACK (welcome_start_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->welcome, "cancel", G_CALLBACK (welcome_cancel_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->welcome, "destroy", G_CALLBACK (welcome_destroyed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->welcome));
}

/* A first start the user walked away from leaves no file, so the next start asks again. */
void
koers_application_remove_unchosen_database (KoersApplication *self)
{
  static const char *suffixes[] = { "", "-wal", "-shm" };

  if (self->started || self->database_path == NULL)
    return;
  if (self->pending_store == NULL)
    return;

  g_clear_object (&self->pending_store);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (self->database_path, suffixes[i], NULL);

      g_unlink (path);
    }
}
