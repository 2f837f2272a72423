/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-cli demo: a realistic made-up caseload, the same for the same seed. */
#include "config.h"

#include <glib/gi18n.h>

#include "cli/koers-cli-commands.h"

#include "cli/koers-demo.h"
#include "storage/koers-audit.h"
#include "storage/koers-database.h"

#include <errno.h>
#include <glib/gstdio.h>

/* Parses a whole decimal number in [min, max]; on failure prints which option and why. */
static gboolean
parse_count (const char *option, const char *text, guint64 max, const char *range,
             guint64 *out_value)
{
  if (g_ascii_string_to_unsigned (text, 10, 0, max, out_value, NULL))
    return TRUE;

  koers_cli_fail ("demo", KOERS_CLI_EXIT_USAGE,
                  _("%s must be a whole number from %s, not “%s”"), option, range, text);
  return FALSE;
}

/* Progress for long runs: a line on stderr every PROGRESS_STEP participants, whether or not
 * stderr is a terminal, so a log shows how far a run got; stdout keeps only the summary that
 * scripts read. Shorter runs finish before anyone wonders. */
#define PROGRESS_STEP 5000

static void
print_progress (guint done, guint total, gpointer user_data)
{
  guint *next = user_data;

  /* The generator calls more often than that; the last call (done == total) is the summary's. */
  if (done < *next || done >= total)
    return;
  *next = (done / PROGRESS_STEP + 1) * PROGRESS_STEP;
  g_printerr (g_dngettext (GETTEXT_PACKAGE, "  %u of %u participant…\n",
                           "  %u of %u participants…\n", total),
              done, total);
}

int
koers_cli_demo (KoersCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(KoersDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *participants_text = NULL;
  g_autofree char *seed_text = NULL;
  g_autofree char *notes_text = NULL;
  gboolean append = FALSE;
  guint next_progress = PROGRESS_STEP;
  KoersDemoOptions options;
  KoersDemoStats stats = { 0 };
  guint64 value;
  gint64 started;
  double seconds;
  const char *path;
  GOptionEntry entries[] = {
    { "participants", 'n', 0, G_OPTION_ARG_STRING, &participants_text,
      N_("Make N participants, 0 to 1,000,000 (default 200)"), N_("N") },
    { "seed", 's', 0, G_OPTION_ARG_STRING, &seed_text,
      N_("Seed S, 0 to 4,294,967,295 (default 1): the same seed makes the same data"), N_("S") },
    { "notes", 0, 0, G_OPTION_ARG_STRING, &notes_text,
      N_("Make M contact notes in total, 0 to 10,000,000 (default 2 to 6 per participant)"),
      N_("M") },
    { "append", 0, 0, G_OPTION_ARG_NONE, &append,
      N_("Add to a database that already has participants"), NULL },
    { NULL },
  };

  g_return_val_if_fail (cli != NULL, KOERS_CLI_EXIT_USAGE);
  g_return_val_if_fail (argc >= 1 && argv != NULL, KOERS_CLI_EXIT_USAGE);

  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Fills the database with realistic made-up organisations, "
                                  "coaches and participants (with status history, consent, "
                                  "notes, activities and skills) for trying, demonstrating and "
                                  "measuring Koers. Refuses a database that already has "
                                  "participants unless --append is given. Nothing is kept when "
                                  "anything fails."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  koers_cli_add_common_options (cli, context);
  if (!koers_cli_parse (context, "demo", &argc, &argv))
    return KOERS_CLI_EXIT_USAGE;

  koers_demo_options_init (&options);
  options.append = append;
  options.actor = g_get_user_name ();
  options.out_stats = &stats;
  if (participants_text != NULL)
    {
      if (!parse_count ("--participants", participants_text, KOERS_DEMO_MAX_PARTICIPANTS,
                        _("0 to 1,000,000"), &value))
        return KOERS_CLI_EXIT_USAGE;
      options.n_participants = (guint) value;
    }
  if (seed_text != NULL)
    {
      if (!parse_count ("--seed", seed_text, G_MAXUINT32, _("0 to 4,294,967,295"), &value))
        return KOERS_CLI_EXIT_USAGE;
      options.seed = (guint32) value;
    }
  if (notes_text != NULL)
    {
      if (!parse_count ("--notes", notes_text, KOERS_DEMO_MAX_NOTES, _("0 to 10,000,000"),
                        &value))
        return KOERS_CLI_EXIT_USAGE;
      options.n_notes = (int) value;
    }

  path = koers_cli_get_database_path (cli);
  {
    g_autofree char *dir = g_path_get_dirname (path);

    /* The default place (~/.local/share/koers) does not exist before the app's first start. */
    if (g_mkdir_with_parents (dir, 0700) != 0)
      return koers_cli_fail ("demo", KOERS_CLI_EXIT_FAILURE, _("cannot create the folder %s: %s"),
                             dir, g_strerror (errno));
  }
  if (koers_cli_refuse_emptied (cli, "demo"))
    return KOERS_CLI_EXIT_FAILURE;
  db = koers_database_open (path, KOERS_DATABASE_OPEN_DEFAULT, &error);
  if (db == NULL)
    return koers_cli_fail ("demo", KOERS_CLI_EXIT_FAILURE, "%s", error->message);
  koers_audit_set_origin (db, KOERS_AUDIT_ORIGIN_CLI);

  started = g_get_monotonic_time ();
  if (!koers_demo_generate (db, &options, NULL, print_progress, &next_progress, &error))
    return koers_cli_fail ("demo", KOERS_CLI_EXIT_FAILURE, "%s", error->message);
  seconds = (double) (g_get_monotonic_time () - started) / G_USEC_PER_SEC;

  g_print (_("Made %u participants, %u notes, %u status changes, %u activities, %u skills, "
             "%u consent records, %u coaches and %u organisations in %.1f s\n"),
           options.n_participants, stats.n_notes, stats.n_status_changes, stats.n_activities,
           stats.n_skills, stats.n_consents, stats.n_coaches, stats.n_organisations, seconds);
  g_print (_("Database: %s\n"), path);
  return KOERS_CLI_EXIT_OK;
}
