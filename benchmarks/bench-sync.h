/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * bench-sync's parts: bench-sync-data.c (the participants, the server's seeding, tokens, the
 * two floors) and bench-sync-client.c (koers-cli as a measured child, the incremental rounds).
 */
#pragma once

#include "server/koers-server-auth.h"
#include "server/koers-server-db.h"

#include "bench-db.h"

G_BEGIN_DECLS

#define STAMP "2026-11-28T08:00:00Z"
#define SEED_ROWS 100           /* rows per multi-row INSERT while seeding */

typedef struct {
  char       *id;
  char       *name;
  char       *preferred;
  char       *phone;
  char       *email;
  char       *interests;
  char       *next_action;
  char       *next_action_date;
  char       *registered_on;
  const char *municipality;
  const char *target_group;
  const char *dutch_level;
  gint64      birth_year;
  gint64      project_line;
  gint64      version;
  char       *fields;      /* records.fields: the engine's JSON text of gegevens */
  char       *search_key;  /* records.search_key */
  char       *wire;        /* the record as the feed sends it (the floor's shadow row) */
} Person;

typedef struct {
  double wall_ms;
  double cpu_ms;         /* the measured process's (or this one's) user + system CPU */
  double server_cpu_ms;  /* koers-server's */
  double peak_rss_mib;   /* the child's VmHWM (sampled every 2 ms) */
  guint  pages;
  guint  records;
  gboolean ok;
} Measure;

typedef struct {
  const char     *backend;
  char           *location;
  KoersServerDb  *db;
  KoersServerAuth *auth;
  char           *org;
  char           *coach_id;
  char           *base;       /* http://127.0.0.1:PORT */
  char           *server_pid;
  char           *tmp_dir;
  GPtrArray      *people;     /* Person */
  guint           n_people;   /* --participants */
  guint           page_size;
  gboolean        random_ids; /* version-4 ids (the worst case) instead of Koers' own (v7) */
  guint           changes;    /* local changes per incremental round */
  guint           rounds;     /* in-process incremental rounds */
  guint           cli_rounds; /* incremental rounds through koers-cli */
  const char     *cli;        /* koers-cli */
  const char     *wrap_cli;   /* (nullable) a command koers-cli runs behind */
} Bench;

double   self_cpu_ms        (void);
/* User + system CPU ms of process @pid so far (/proc/PID/stat), or < 0. */
double   process_cpu_ms     (const char *pid);
/* Sets b->auth, b->org and b->coach_id: an organisation and its coach in b->db. */
gboolean add_coach          (Bench *b, GError **error);
/* @args behind the words of @wrapper (nullable: "perf record -g --"); (transfer full). */
GPtrArray *wrapped          (const char *wrapper, const char * const *args);
/* koers-server @server on b->location at a free loopback port, behind @wrapper (nullable);
 * sets b->base and b->server_pid. */
gboolean start_server       (Bench *b, const char *server, const char *wrapper,
                             GSubprocess **out_server);
/* Makes b->people and writes them into the server database (b->n_people, a multiple of
 * SEED_ROWS). */
gboolean seed               (Bench *b, GError **error);
/* (transfer full) the access token of a new device of the coach; also written to @path
 * (nullable; mode 600, as koers-cli wants it). */
char    *new_token          (Bench *b, const char *path, GError **error);
/* Participants in a client database, or -1 (also when a search index fails its check). */
gint64   count_participants (const char *path);
gboolean floor_http         (Bench *b, Measure *m);
gboolean floor_sqlite       (Bench *b, gboolean shadow, Measure *m);

/* bench-sync-client.c: koers-cli as a measured child, and the incremental rounds. */

/* Called every few ms while the child runs; TRUE: kill it (SIGKILL) now. */
typedef gboolean (*PollFunc) (gpointer data);

typedef struct {
  const char *path;
  gint64      threshold;   /* kill once the cursor's number reaches this */
  gint64      reached;
  gint64      last_look;   /* monotonic time of the last look */
} Interrupt;

/* koers-cli --database @db_path sync with a new device's token (or @token_file); @poll
 * (nullable) may kill it; @wrap: behind b->wrap_cli. */
gboolean   run_cli           (Bench *b, const char *db_path, const char *token_file,
                              PollFunc poll, gpointer data, gboolean wrap, Measure *m,
                              gboolean *out_killed);
/* A PollFunc over an Interrupt: TRUE once the client's cursor reached the threshold. */
gboolean   cursor_reached    (gpointer data);
/* b->rounds rounds of b->changes local edits on @db_path, each followed by one timed sync of a
 * KoersSyncClient in this process; then b->cli_rounds through koers-cli. */
gboolean   incremental       (Bench *b, const char *db_path, GArray *inproc_ms, GArray *cli_ms,
                              double *out_server_ms, double *out_client_ms);

G_END_DECLS
