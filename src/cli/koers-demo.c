/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "cli/koers-demo.h"
#include "cli/koers-demo-private.h"

#include "cli/koers-demo-content.h"
#include "cli/koers-demo-names.h"
#include "cli/koers-demo-records.h"
#include "core/koers-caseload-query.h"
#include "storage/koers-audit.h"
#include "storage/koers-participant-repository.h"

/* Progress is reported this often; cancellation is checked for every participant. */
#define PROGRESS_EVERY 500

void
koers_demo_options_init (KoersDemoOptions *options)
{
  g_return_if_fail (options != NULL);

  options->n_participants = KOERS_DEMO_DEFAULT_PARTICIPANTS;
  options->seed = KOERS_DEMO_DEFAULT_SEED;
  options->n_notes = -1;
  options->append = FALSE;
  options->actor = NULL;
  options->out_stats = NULL;
}

char *
koers_demo_next_uuid (KoersDemoGenerator *gen)
{
  guint8 b[16];

  for (guint i = 0; i < 4; i++)
    {
      guint32 v = g_rand_int (gen->id_rand);

      b[4 * i] = v >> 24;
      b[4 * i + 1] = (v >> 16) & 0xff;
      b[4 * i + 2] = (v >> 8) & 0xff;
      b[4 * i + 3] = v & 0xff;
    }
  /* RFC 4122 version 4 and variant bits, so the ids look like any client-made UUID. */
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;

  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                          "%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10],
                          b[11], b[12], b[13], b[14], b[15]);
}

void
koers_demo_day_to_iso (int day, char out[11])
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 5, G_DATE_JANUARY, 2026); /* KOERS_DEMO_FIRST_DATE */
  g_date_add_days (&date, (guint) day);
  g_snprintf (out, 11, "%04d-%02d-%02d", g_date_get_year (&date), g_date_get_month (&date),
              g_date_get_day (&date));
}

char *
koers_demo_timestamp (KoersDemoGenerator *gen, int day)
{
  char iso[11];
  /* Office hours in the Netherlands, 08:00-17:00 local, are 07:00-16:00 UTC in winter. */
  int minute_of_day = g_rand_int_range (gen->rand, 7 * 60, 16 * 60);

  koers_demo_day_to_iso (day, iso);
  return g_strdup_printf ("%sT%02d:%02d:%02dZ", iso, minute_of_day / 60, minute_of_day % 60,
                          g_rand_int_range (gen->rand, 0, 60));
}

void
koers_demo_pin_clock (KoersDemoGenerator *gen, int day)
{
  g_autofree char *timestamp = koers_demo_timestamp (gen, day);

  koers_database_pin_clock (gen->db, timestamp);
}

void
koers_demo_unpin_clock (KoersDemoGenerator *gen)
{
  koers_database_pin_clock (gen->db, NULL);
  koers_database_set_id_source (gen->db, NULL, NULL);
}

/* Rows the repositories make themselves (status history, audit events) take their ids from
 * the seed too, so one seed gives one database. */
static char *
demo_id_source (gpointer data)
{
  return koers_demo_next_uuid (data);
}

static void
demo_coach_free (gpointer data)
{
  KoersDemoCoach *coach = data;

  g_free (coach->id);
  g_free (coach->name);
  g_free (coach->organisation_id);
  g_free (coach);
}

static gboolean
count_participants (KoersDatabase *db, guint *out_count, GError **error)
{
  KoersCaseloadQuery query;
  g_autoptr(GArray) rowids = NULL;

  koers_caseload_query_init (&query);
  rowids = koers_participant_repository_query_rowids (db, &query, error);
  koers_caseload_query_clear (&query);
  if (rowids == NULL)
    return FALSE;
  *out_count = rowids->len;
  return TRUE;
}

/* The plan's partners that hold caseloads, and 6-12 coaches spread over them (most at
 * Werkcentrum Achterhoek, which finds and guides participants). */
static gboolean
make_organisations_and_coaches (KoersDemoGenerator *gen, GError **error)
{
  guint n_coaches = (guint) g_rand_int_range (gen->rand, 6, KOERS_DEMO_MAX_COACHES + 1);

  for (guint i = 0; i < KOERS_DEMO_N_ORGANISATIONS; i++)
    {
      char *id = NULL;

      koers_demo_pin_clock (gen, 0);
      if (!koers_demo_write_organisation (gen, koers_demo_organisation_name (i), &id, error))
        return FALSE;
      g_ptr_array_add (gen->organisation_ids, id);
      gen->stats.n_organisations++;
    }

  for (guint i = 0; i < n_coaches; i++)
    {
      static const guint org_weights[KOERS_DEMO_N_ORGANISATIONS] = { 60, 12, 8, 8, 6, 6 };
      KoersDemoCoach *coach = g_new0 (KoersDemoCoach, 1);
      guint org = koers_demo_pick_weighted (gen->rand, org_weights, KOERS_DEMO_N_ORGANISATIONS);

      g_ptr_array_add (gen->coaches, coach);
      coach->name = g_strdup (koers_demo_coach_name (i));
      coach->organisation_id = g_strdup (g_ptr_array_index (gen->organisation_ids, org));
      koers_demo_pin_clock (gen, 0);
      if (!koers_demo_write_coach (gen, coach->name, coach->organisation_id, &coach->id, error))
        return FALSE;
      gen->stats.n_coaches++;
    }
  return TRUE;
}

/* One transaction of a large demo outgrows SQLite's default 2 MB page cache, which then spills
 * to the WAL and reads back: a bigger cache for the run halves the time at 10,000 people.
 * Negative sizes are KiB, as in PRAGMA cache_size. */
#define DEMO_CACHE_KIB (-256 * 1024)

/* The connection's cache size in PRAGMA cache_size units, or 0 when it cannot be read. */
static gint64
get_cache_size (KoersDatabase *db)
{
  sqlite3_stmt *stmt = koers_database_prepare (db, "PRAGMA cache_size", NULL);
  gboolean has_row = FALSE;
  gint64 size;

  if (stmt == NULL || !koers_database_step (db, stmt, &has_row, NULL) || !has_row)
    return 0;
  size = koers_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return size;
}

/* Failing only makes the run slower, so errors are ignored. */
static void
set_cache_size (KoersDatabase *db, gint64 size)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA cache_size = %" G_GINT64_FORMAT, size);

  koers_database_exec (db, sql, NULL);
}

static gboolean
validate_options (const KoersDemoOptions *options, GError **error)
{
  if (options->n_participants > KOERS_DEMO_MAX_PARTICIPANTS)
    {
      g_set_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_INVALID,
                   _("participants: at most %d can be made, not %u"),
                   KOERS_DEMO_MAX_PARTICIPANTS, options->n_participants);
      return FALSE;
    }
  if (options->n_notes < -1 || options->n_notes > KOERS_DEMO_MAX_NOTES)
    {
      g_set_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_INVALID,
                   _("notes: between 0 and %d, not %d"), KOERS_DEMO_MAX_NOTES,
                   options->n_notes);
      return FALSE;
    }
  if (options->n_notes > 0 && options->n_participants == 0)
    {
      g_set_error_literal (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_INVALID,
                           _("notes: notes need participants to be about"));
      return FALSE;
    }
  return TRUE;
}

/* The generated data set leaves one audit event, not one per record. The audit trail answers
 * "who read or changed this person's file"; made-up people have no file to protect, and one
 * event per record was half of a 10,000-participant database and most of the time it took to
 * make. The event names the generator, seed and counts, so the trail still shows that, when
 * and by whom demo data entered the database; each row keeps its created_at/created_by. */
static gboolean
audit_generation (KoersDemoGenerator *gen, GError **error)
{
  g_autofree char *purpose = NULL;

  /* Not translated: the audit trail is read by auditors and by the server, in one language. */
  purpose = g_strdup_printf ("Demo data, seed %u: %u participants, %u notes, %u status changes, "
                             "%u activities, %u skills, %u consent records, %u coaches, "
                             "%u organisations",
                             gen->options->seed, gen->options->n_participants,
                             gen->stats.n_notes, gen->stats.n_status_changes,
                             gen->stats.n_activities, gen->stats.n_skills,
                             gen->stats.n_consents, gen->stats.n_coaches,
                             gen->stats.n_organisations);
  koers_demo_pin_clock (gen, KOERS_DEMO_SPAN_DAYS);
  return koers_audit_record (gen->db, gen->actor, KOERS_AUDIT_ACTION_CREATE, "demo", NULL,
                             purpose, KOERS_AUDIT_RESULT_SUCCESS, error);
}

static gboolean
generate (KoersDemoGenerator *gen, GCancellable *cancellable, KoersDemoProgressFunc progress,
          gpointer progress_data, GError **error)
{
  const KoersDemoOptions *options = gen->options;
  g_autoptr(KoersParticipantBulk) bulk = NULL;

  if (gen->organisation_ids->len == 0 && !make_organisations_and_coaches (gen, error))
    return FALSE;

  /* The participants' search indexes are filled once, at the end (see the repository). */
  bulk = koers_participant_repository_bulk_begin (gen->db, FALSE, error);
  if (bulk == NULL)
    return FALSE;
  gen->bulk = bulk;
  for (guint i = 0; i < options->n_participants; i++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (!koers_demo_make_participant (gen, i, error))
        {
          g_prefix_error (error, _("Demo participant %u: "), i + 1);
          return FALSE;
        }
      if (progress != NULL && (i + 1) % PROGRESS_EVERY == 0 && i + 1 < options->n_participants)
        progress (i + 1, options->n_participants, progress_data);
    }
  gen->bulk = NULL;
  if (!koers_participant_repository_bulk_end (bulk, error))
    return FALSE;
  if (!audit_generation (gen, error))
    return FALSE;
  if (progress != NULL)
    progress (options->n_participants, options->n_participants, progress_data);
  return TRUE;
}

gboolean
koers_demo_generate (KoersDatabase          *db,
                     const KoersDemoOptions *options,
                     GCancellable           *cancellable,
                     KoersDemoProgressFunc   progress,
                     gpointer                progress_data,
                     GError                **error)
{
  KoersDemoGenerator gen = { 0 };
  guint existing = 0;
  guint32 seed[4];
  gint64 old_cache = 0;
  gboolean ok;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!validate_options (options, error))
    return FALSE;
  if (!count_participants (db, &existing, error))
    return FALSE;
  if (existing > 0 && !options->append)
    {
      g_set_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%s already has %u participant; demo data is only added to "
                                "it when asked to append",
                                "%s already has %u participants; demo data is only added to "
                                "it when asked to append", existing),
                   koers_database_get_path (db), existing);
      return FALSE;
    }

  gen.db = db;
  gen.options = options;
  gen.actor = options->actor != NULL ? options->actor : "demo";
  gen.organisation_ids = g_ptr_array_new_with_free_func (g_free);
  gen.coaches = g_ptr_array_new_with_free_func (demo_coach_free);
  gen.notes_left = options->n_notes > 0 ? (guint) options->n_notes : 0;

  /* Organisations and coaches already there are reused: demo participants join them. */
  if (!koers_demo_load_existing (&gen, error))
    {
      g_ptr_array_unref (gen.organisation_ids);
      g_ptr_array_unref (gen.coaches);
      return FALSE;
    }

  /* Appending with the same seed must not repeat the ids already there, so what was found is
   * part of the seed: still the same result for the same database. */
  seed[0] = options->seed;
  seed[1] = existing;
  seed[2] = gen.organisation_ids->len;
  seed[3] = 1;
  gen.rand = g_rand_new_with_seed_array (seed, G_N_ELEMENTS (seed));
  seed[3] = 2;
  gen.id_rand = g_rand_new_with_seed_array (seed, G_N_ELEMENTS (seed));
  gen.municipality_start = g_rand_int (gen.rand);

  old_cache = get_cache_size (db);
  if (old_cache != 0)
    set_cache_size (db, DEMO_CACHE_KIB);
  koers_database_set_id_source (db, demo_id_source, &gen);
  ok = koers_database_begin (db, error);
  if (ok)
    {
      /* A failed commit ends the transaction itself; anything else is rolled back here. */
      if (generate (&gen, cancellable, progress, progress_data, error))
        ok = koers_database_commit (db, error);
      else
        {
          koers_database_rollback (db);
          ok = FALSE;
        }
    }
  koers_demo_unpin_clock (&gen);
  if (old_cache != 0)
    set_cache_size (db, old_cache);

  if (ok && options->out_stats != NULL)
    *options->out_stats = gen.stats;

  g_rand_free (gen.rand);
  g_rand_free (gen.id_rand);
  g_ptr_array_unref (gen.organisation_ids);
  g_ptr_array_unref (gen.coaches);
  return ok;
}
