/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * bench-sync: the participants, seeding the server, tokens and the two floors (see
 * bench-sync.c).
 */
#include "config.h"

#include "bench-sync.h"

#include "bench-net.h"

#include "core/koers-enums.h"
#include "core/koers-text.h"
#include "core/koers-uuid.h"
#include "server/koers-server-engine.h"
#include "storage/koers-database.h"
#include "sync/koers-sync-schema.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

double
self_cpu_ms (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec * 1e3 + usage.ru_utime.tv_usec / 1e3
         + usage.ru_stime.tv_sec * 1e3 + usage.ru_stime.tv_usec / 1e3;
}

/* User + system CPU ms of process @pid so far (/proc/PID/stat), or < 0. */
double
process_cpu_ms (const char *pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", pid);
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_name;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return -1;
  after_name = strrchr (text, ')');
  if (after_name == NULL)
    return -1;
  fields = g_strsplit (after_name + 2, " ", -1);
  if (g_strv_length (fields) < 13)
    return -1;
  /* utime and stime are fields 14 and 15 of stat: 11 and 12 after the name. */
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) * 1e3
         / sysconf (_SC_CLK_TCK);
}

/* ---- the participants ------------------------------------------------------------------- */

static void
person_free (gpointer data)
{
  Person *p = data;

  g_free (p->id);
  g_free (p->name);
  g_free (p->preferred);
  g_free (p->phone);
  g_free (p->email);
  g_free (p->interests);
  g_free (p->next_action);
  g_free (p->next_action_date);
  g_free (p->registered_on);
  g_free (p->fields);
  g_free (p->search_key);
  g_free (p->wire);
  g_free (p);
}

/* Participant @i (version i + 1), deterministic; the fields as a coach's device creates them. */
static Person *
person_new (guint i, GRand *rand, const char *coach_id, gboolean random_ids)
{
  static const char *const given[] = { "Fatma", "Jan", "Thi Lan", "Sanne", "Mohammed", "Olena",
                                       "Gerrit", "Aster", "Dimitris", "Ayşe" };
  static const char *const family[] = { "Yılmaz", "Jansen", "Nguyễn", "de Vries", "El Amrani",
                                        "Kovalenko", "Wolters", "Tesfaye", "Papadopoulos",
                                        "Bulut" };
  Person *p = g_new0 (Person, 1);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *name_key = NULL;
  g_autofree char *preferred_key = NULL;

  /* Koers makes time-ordered ids (koers-uuid.h); --random-ids measures data whose ids come
   * in no order at all (another system's, or records whose changes reordered the feed). */
  p->id = random_ids ? g_uuid_string_random () : koers_uuid_new_time_ordered ();
  p->version = (gint64) i + 1;
  p->name = g_strdup_printf ("%s %s %u", given[i % 10], family[(i / 10) % 10], i);
  p->preferred = i % 3 == 0 ? g_strdup (given[i % 10]) : NULL;
  p->phone = g_strdup_printf ("06-%08u", g_rand_int_range (rand, 10000000, 99999999));
  p->email = g_strdup_printf ("deelnemer%u@example.nl", i);
  p->interests = g_strdup_printf ("Werken in de zorg of de techniek; wil rijbewijs halen en "
                                  "Nederlands verbeteren (notitie %u).", i);
  p->next_action = g_strdup ("Intakegesprek plannen");
  p->next_action_date = g_strdup_printf ("2027-%02d-%02d", 1 + i % 12, 1 + i % 28);
  p->registered_on = g_strdup_printf ("2026-%02d-%02d", 1 + i % 11, 1 + i % 28);
  p->municipality = koers_municipality_to_id (i % KOERS_N_MUNICIPALITIES);
  p->target_group = koers_target_group_to_id (i % KOERS_N_TARGET_GROUPS);
  p->dutch_level = koers_cefr_level_to_id (i % KOERS_N_CEFR_LEVELS);
  p->birth_year = g_rand_int_range (rand, 1960, 2007);
  p->project_line = 1 + i % KOERS_N_PROJECT_LINES;

  json_builder_begin_object (builder);
#define MEMBER(name, kind, value) \
  (json_builder_set_member_name (builder, name), json_builder_add_##kind##_value (builder, value))
  MEMBER ("naam", string, p->name);
  if (p->preferred != NULL)
    MEMBER ("roepnaam", string, p->preferred);
  MEMBER ("geboortejaar", int, p->birth_year);
  MEMBER ("gemeente", string, p->municipality);
  MEMBER ("telefoon", string, p->phone);
  MEMBER ("email", string, p->email);
  MEMBER ("niveauNederlands", string, p->dutch_level);
  MEMBER ("digitaleVaardighedenNodig", boolean, i % 4 == 0);
  MEMBER ("doelgroep", string, p->target_group);
  MEMBER ("interesses", string, p->interests);
  MEMBER ("coachId", string, coach_id);
  MEMBER ("projectlijn", int, p->project_line);
  MEMBER ("status", string, "registered");
  MEMBER ("aanmeldDatum", string, p->registered_on);
  MEMBER ("volgendeActieDatum", string, p->next_action_date);
  MEMBER ("volgendeActie", string, p->next_action);
#undef MEMBER
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  p->fields = json_generator_to_data (generator, NULL);
  name_key = koers_text_fold (p->name);
  preferred_key = koers_text_fold (p->preferred);
  p->search_key = g_strconcat (name_key, " ", preferred_key, NULL);
  p->wire = g_strdup_printf ("{\"id\":\"%s\",\"entiteit\":\"deelnemers\",\"versie\":%"
                             G_GINT64_FORMAT ",\"verwijderd\":false,\"gewist\":false,"
                             "\"aangemaaktOp\":\"" STAMP "\",\"aangemaaktDoor\":\"%s\","
                             "\"gewijzigdOp\":\"" STAMP "\",\"gewijzigdDoor\":\"%s\","
                             "\"gegevens\":%s}", p->id, p->version, coach_id, coach_id,
                             p->fields);
  return p;
}


/* ---- the server ------------------------------------------------------------------------- */

/* The records and their creation history as koers_server_engine_push_batch() leaves them, in
 * one transaction of multi-row INSERTs (SEED_ROWS divides --participants), then the
 * organisation's sequence; then the records' stored feed items (schema version 6), as the
 * engine writes them. */
gboolean
seed (Bench *b, GError **error)
{
  g_autoptr(GString) records_sql = g_string_new ("INSERT INTO records (organisation_id, entity, "
                                                 "id, version, scope_coach_id, participant_id, "
                                                 "deleted, erased, fields, search_key, "
                                                 "created_at, created_by, updated_at, "
                                                 "updated_by) VALUES ");
  g_autoptr(GString) history_sql = g_string_new ("INSERT INTO history (organisation_id, version, "
                                                 "entity, id, action, mutation_id, user_id, "
                                                 "device_id, diff, changed_at) VALUES ");
  g_autoptr(GArray) params = g_array_new (FALSE, TRUE, sizeof (KoersSqlValue));
  g_autoptr(GArray) hparams = g_array_new (FALSE, TRUE, sizeof (KoersSqlValue));
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  KoersSqlValue sequence[2];

  for (guint r = 0; r < SEED_ROWS; r++)
    {
      guint k = r * 8, h = r * 5;

      g_string_append_printf (records_sql, "%s($%u, 'deelnemers', $%u, $%u, $%u, $%u, 0, 0, $%u, "
                              "$%u, '" STAMP "', $%u, '" STAMP "', $%u)", r > 0 ? ", " : "",
                              k + 1, k + 2, k + 3, k + 4, k + 2, k + 5, k + 6, k + 7, k + 8);
      g_string_append_printf (history_sql, "%s($%u, $%u, 'deelnemers', $%u, 'aanmaken', NULL, "
                              "$%u, NULL, $%u, '" STAMP "')", r > 0 ? ", " : "", h + 1, h + 2,
                              h + 3, h + 4, h + 5);
    }
  b->people = g_ptr_array_new_with_free_func (person_free);
  for (guint i = 0; i < b->n_people; i++)
    g_ptr_array_add (b->people, person_new (i, rand, b->coach_id, b->random_ids));

  if (!koers_server_db_begin (b->db, b->org, error))
    return FALSE;
  for (guint start = 0; start < b->n_people; start += SEED_ROWS)
    {
      g_array_set_size (params, 0);
      g_array_set_size (hparams, 0);
      for (guint r = 0; r < SEED_ROWS; r++)
        {
          Person *p = g_ptr_array_index (b->people, start + r);
          KoersSqlValue row[] = {
            KOERS_SQL_TEXT_VALUE (b->org), KOERS_SQL_TEXT_VALUE (p->id),
            KOERS_SQL_INT_VALUE (p->version), KOERS_SQL_TEXT_VALUE (b->coach_id),
            KOERS_SQL_TEXT_VALUE (p->fields), KOERS_SQL_TEXT_VALUE (p->search_key),
            KOERS_SQL_TEXT_VALUE (b->coach_id), KOERS_SQL_TEXT_VALUE (b->coach_id),
          };
          KoersSqlValue hrow[] = {
            KOERS_SQL_TEXT_VALUE (b->org), KOERS_SQL_INT_VALUE (p->version),
            KOERS_SQL_TEXT_VALUE (p->id), KOERS_SQL_TEXT_VALUE (b->coach_id),
            KOERS_SQL_TEXT_VALUE (p->fields),
          };

          g_array_append_vals (params, row, G_N_ELEMENTS (row));
          g_array_append_vals (hparams, hrow, G_N_ELEMENTS (hrow));
        }
      if (!koers_server_db_exec (b->db, records_sql->str, (KoersSqlValue *) (void *) params->data,
                                 params->len, NULL, error)
          || !koers_server_db_exec (b->db, history_sql->str,
                                    (KoersSqlValue *) (void *) hparams->data, hparams->len, NULL,
                                    error))
        {
          koers_server_db_rollback (b->db);
          return FALSE;
        }
    }
  sequence[0] = (KoersSqlValue) KOERS_SQL_INT_VALUE (b->n_people);
  sequence[1] = (KoersSqlValue) KOERS_SQL_TEXT_VALUE (b->org);
  if (!koers_server_db_exec (b->db, "UPDATE organisations SET sequence = $1 WHERE id = $2",
                             sequence, 2, NULL, error)
      || !koers_server_db_commit (b->db, error))
    {
      koers_server_db_rollback (b->db);
      return FALSE;
    }
  {
    KoersServerEngine *engine = koers_server_engine_new (b->db);
    gboolean filled = koers_server_engine_fill_feed_items (engine, NULL, error);

    koers_server_engine_free (engine);
    return filled;
  }
}

/* A new device of the coach; its access token in @path (mode 600, as koers-cli wants it). */
char *
new_token (Bench *b, const char *path, GError **error)
{
  g_autofree char *device = NULL;
  g_autofree char *refresh = NULL;
  char *access = NULL;

  device = koers_server_auth_issue_tokens (b->auth, b->coach_id, "bench-sync", &access,
                                           &refresh, error);
  if (device == NULL)
    return NULL;
  if (path != NULL
      && !g_file_set_contents_full (path, access, -1, G_FILE_SET_CONTENTS_NONE, 0600, error))
    g_clear_pointer (&access, g_free);
  return access;
}

/* Participants in a client database, or -1. */
gint64
count_participants (const char *path)
{
  static const char *const checks[] = {
    "INSERT INTO participant_search (participant_search, rank) VALUES ('integrity-check', 1)",
    "INSERT INTO participant_words (participant_words, rank) VALUES ('integrity-check', 1)",
  };
  sqlite3 *handle = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  if (sqlite3_open_v2 (path, &handle, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK
      && sqlite3_prepare_v2 (handle, "SELECT count(*) FROM participant", -1, &stmt, NULL)
         == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  /* The search indexes, whole and in step with the rows (rank 1 compares with the table). */
  for (guint i = 0; n >= 0 && i < G_N_ELEMENTS (checks); i++)
    if (sqlite3_exec (handle, checks[i], NULL, NULL, NULL) != SQLITE_OK)
      {
        g_printerr ("bench-sync: %s: %s\n", path, sqlite3_errmsg (handle));
        n = -1;
      }
  sqlite3_close (handle);
  return n;
}

/* ---- the floors ------------------------------------------------------------------------- */

/* Every page of the feed with a plain SoupSession, parsed with json-glib, nothing applied. */
gboolean
floor_http (Bench *b, Measure *m)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *token = new_token (b, NULL, &error);
  g_autofree char *bearer = NULL;
  g_autofree char *cursor = g_strdup ("0");
  gboolean more = TRUE;
  double cpu = self_cpu_ms (), server = process_cpu_ms (b->server_pid);
  gint64 start = g_get_monotonic_time ();

  if (token == NULL)
    {
      g_printerr ("bench-sync: no token: %s\n", error->message);
      return FALSE;
    }
  bearer = g_strconcat ("Bearer ", token, NULL);
  while (more)
    {
      g_autofree char *escaped = g_uri_escape_string (cursor, NULL, FALSE);
      g_autofree char *url = g_strdup_printf ("%s/v1/wijzigingen?vanaf=%s&limiet=%u", b->base,
                                              escaped, b->page_size);
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
      g_autoptr(GBytes) body = NULL;
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *root;

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    bearer);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept",
                                    "application/json");
      body = soup_session_send_and_read (session, msg, NULL, &error);
      if (body == NULL || soup_message_get_status (msg) != 200
          || !json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                          (gssize) g_bytes_get_size (body), &error))
        {
          g_printerr ("bench-sync: feed page %u: HTTP %u %s\n", m->pages,
                      soup_message_get_status (msg), error != NULL ? error->message : "");
          return FALSE;
        }
      root = json_node_get_object (json_parser_get_root (parser));
      m->records += json_array_get_length (json_object_get_array_member (root, "wijzigingen"));
      g_free (cursor);
      cursor = g_strdup (json_object_get_string_member (root, "volgendeCursor"));
      more = json_object_get_boolean_member (root, "meerBeschikbaar");
      m->pages++;
    }
  m->wall_ms = (g_get_monotonic_time () - start) / 1e3;
  m->cpu_ms = self_cpu_ms () - cpu;
  m->server_cpu_ms = process_cpu_ms (b->server_pid) - server;
  m->ok = m->records == b->n_people;
  return m->ok;
}

/* The same participants as plain prepared INSERTs in one transaction into a new database with
 * the client's schema (migrations and sync tables made first, not timed); with @shadow also
 * each record's shadow row. */
gboolean
floor_sqlite (Bench *b, gboolean shadow, Measure *m)
{
  g_autofree char *path = g_build_filename (b->tmp_dir, "floor.db", NULL);
  g_autoptr(KoersDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *person, *shadow_stmt, *coach;
  double cpu;
  gint64 start;

  koers_paths_remove_database (path);
  db = koers_database_open (path, KOERS_DATABASE_OPEN_DEFAULT, &error);
  if (db == NULL || !koers_sync_schema_install (db, &error))
    goto failed;
  cpu = self_cpu_ms ();
  start = g_get_monotonic_time ();
  if (!koers_database_begin (db, &error)
      || (coach = koers_database_prepare (db, "INSERT INTO coach (id, created_at, created_by, "
                                              "updated_at, updated_by, name) VALUES (?1, ?2, "
                                              "'sync', ?2, 'sync', 'Coach')", &error)) == NULL)
    goto failed;
  koers_bind_text (coach, 1, b->coach_id);
  koers_bind_text (coach, 2, STAMP);
  if (!koers_database_step (db, coach, NULL, &error))
    goto failed;
  person = koers_database_prepare (db,
    "INSERT INTO participant (id, version, created_at, created_by, updated_at, updated_by, "
    "name, preferred_name, birth_year, municipality, phone, email, dutch_level, "
    "digital_skills_need, target_group, interests, coach_id, project_line, status, "
    "registered_on, next_action_date, next_action, outcome, name_key, search_key) "
    "VALUES (?1, ?2, ?3, ?4, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?4, ?15, "
    "'registered', ?16, ?17, ?18, 'unknown', koers_fold(?5), "
    "koers_fold(?5) || char(10) || koers_fold(coalesce(?6, '')))", &error);
  shadow_stmt = koers_database_prepare (db,
    "INSERT INTO sync_shadow (entity, id, version, deleted, erased, parent_id, record) "
    "VALUES ('deelnemers', ?1, ?2, 0, 0, NULL, ?3)", &error);
  if (person == NULL || shadow_stmt == NULL)
    goto failed;
  for (guint i = 0; i < b->people->len; i++)
    {
      Person *p = g_ptr_array_index (b->people, i);

      sqlite3_reset (person);
      koers_bind_text (person, 1, p->id);
      koers_bind_int64 (person, 2, p->version);
      koers_bind_text (person, 3, STAMP);
      koers_bind_text (person, 4, b->coach_id);
      koers_bind_text (person, 5, p->name);
      koers_bind_text (person, 6, p->preferred);
      koers_bind_int64 (person, 7, p->birth_year);
      koers_bind_text (person, 8, p->municipality);
      koers_bind_text (person, 9, p->phone);
      koers_bind_text (person, 10, p->email);
      koers_bind_text (person, 11, p->dutch_level);
      koers_bind_int64 (person, 12, i % 4 == 0);
      koers_bind_text (person, 13, p->target_group);
      koers_bind_text (person, 14, p->interests);
      koers_bind_int64 (person, 15, p->project_line);
      koers_bind_text (person, 16, p->registered_on);
      koers_bind_text (person, 17, p->next_action_date);
      koers_bind_text (person, 18, p->next_action);
      if (!koers_database_step (db, person, NULL, &error))
        goto failed;
      if (!shadow)
        continue;
      sqlite3_reset (shadow_stmt);
      koers_bind_text (shadow_stmt, 1, p->id);
      koers_bind_int64 (shadow_stmt, 2, p->version);
      koers_bind_text (shadow_stmt, 3, p->wire);
      if (!koers_database_step (db, shadow_stmt, NULL, &error))
        goto failed;
    }
  if (!koers_database_commit (db, &error))
    goto failed;
  m->wall_ms = (g_get_monotonic_time () - start) / 1e3;
  m->cpu_ms = self_cpu_ms () - cpu;
  m->records = b->people->len;
  m->ok = TRUE;
  g_clear_object (&db);
  koers_paths_remove_database (path);
  return TRUE;

failed:
  g_printerr ("bench-sync: SQLite floor: %s\n", error != NULL ? error->message : "?");
  return FALSE;
}

/* @args behind the words of @wrapper (nullable: "perf record -g --"). */
GPtrArray *
wrapped (const char *wrapper, const char * const *args)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) words = NULL;

  if (wrapper != NULL && g_shell_parse_argv (wrapper, NULL, &words, NULL))
    for (guint i = 0; words[i] != NULL; i++)
      g_ptr_array_add (argv, g_strdup (words[i]));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);
  return argv;
}

/* koers-server on b->location at a free loopback port (behind @wrapper, nullable); sets
 * b->base and b->server_pid. */
gboolean
start_server (Bench *b, const char *server, const char *wrapper, GSubprocess **out_server)
{
  g_autoptr(GError) error = NULL;
  guint port = bench_free_port ();
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", port);
  const char *args[] = { server, "--database", b->location, "--listen", listen, NULL };
  g_autoptr(GPtrArray) argv = wrapped (wrapper, args);

  *out_server = g_subprocess_newv ((const char * const *) argv->pdata,
                                   G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);
  if (*out_server == NULL || !bench_wait_for_server (port))
    {
      g_printerr ("bench: koers-server did not start: %s\n",
                  error != NULL ? error->message : "no answer on its port");
      return FALSE;
    }
  b->base = g_strdup_printf ("http://127.0.0.1:%u", port);
  b->server_pid = g_strdup (g_subprocess_get_identifier (*out_server));
  return TRUE;
}

/* The organisation and the coach whose caseload is seeded, in b->db. */
gboolean
add_coach (Bench *b, GError **error)
{
  b->auth = koers_server_auth_new (b->db);
  b->org = koers_server_auth_add_organisation (b->auth, "Bench Achterhoek", error);
  if (b->org == NULL)
    return FALSE;
  b->coach_id = koers_server_auth_add_user (b->auth, b->org, "coach", "Coach Bench",
                                           KOERS_SERVER_ROLE_COACH, "bench-wachtwoord-1", error);
  return b->coach_id != NULL;
}
