/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-participant-query.c: the caseload list's two reads. The query returns only rowids in
 * display order; the list model then loads the page it shows by rowid, so a caseload of
 * 100,000 never becomes 100,000 objects.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "storage/koers-participant-repository.h"

#include "storage/koers-repository-private.h"
#include "storage/koers-search-backlog.h"

/* The trigram index only answers for three characters or more; shorter queries match word
 * starts through the word index (migration 4). */
#define TRIGRAM_MIN_CHARS 3

/* One FTS5 phrase: the whole query as a substring, quotes doubled so nothing in it is syntax. */
static char *
match_phrase (const char *folded)
{
  GString *phrase = g_string_new (folded);

  g_string_replace (phrase, "\"", "\"\"", 0);
  g_string_prepend_c (phrase, '"');
  g_string_append_c (phrase, '"');
  return g_string_free (phrase, FALSE);
}

/* "j" -> "j"*: a prefix query on the words of the name. The phrase is quoted so that FTS5
 * syntax characters in what was typed are only text. */
static char *
word_prefix_phrase (const char *folded)
{
  g_autofree char *phrase = match_phrase (folded);

  return g_strconcat (phrase, "*", NULL);
}

static const char *
order_by_columns (KoersCaseloadSort sort, gboolean descending)
{
  /* Ties always fall back to the name and then the rowid, so the order is total and a row
   * never jumps between two identical queries. */
  switch (sort)
    {
    case KOERS_CASELOAD_SORT_MUNICIPALITY:
      return descending ? "p.municipality DESC, p.name_key, p.seq"
                        : "p.municipality, p.name_key, p.seq";
    case KOERS_CASELOAD_SORT_TARGET_GROUP:
      return descending ? "p.target_group_rank DESC, p.name_key, p.seq"
                        : "p.target_group_rank, p.name_key, p.seq";
    case KOERS_CASELOAD_SORT_STATUS:
      return descending ? "p.status_rank DESC, p.name_key, p.seq"
                        : "p.status_rank, p.name_key, p.seq";
    case KOERS_CASELOAD_SORT_COACH:
      return descending ? "c.name COLLATE NOCASE DESC NULLS LAST, p.name_key, p.seq"
                        : "c.name COLLATE NOCASE NULLS LAST, p.name_key, p.seq";
    case KOERS_CASELOAD_SORT_NEXT_ACTION:
      return descending ? "p.next_action_date DESC NULLS LAST, p.name_key, p.seq"
                        : "p.next_action_date NULLS LAST, p.name_key, p.seq";
    case KOERS_CASELOAD_SORT_NAME:
    default:
      return descending ? "p.name_key DESC, p.seq DESC" : "p.name_key, p.seq";
    }
}

/* TRUE when @query filters on a column other than the one it sorts by. Such a list is the
 * filter's rows only: read from the filter's index and sorted, it costs a fraction of walking
 * the sort column's whole index and testing every row (at 100,000 participants, a coach's
 * caseload by next action 27 against 149 ms, a municipality 40 against 153), which SQLite,
 * knowing nothing of how many rows a filter keeps, prefers because it sorts nothing. */
static gboolean
sorts_filtered_rows (const KoersCaseloadQuery *query)
{
  gboolean other_filter;

  switch (query->sort)
    {
    case KOERS_CASELOAD_SORT_MUNICIPALITY:
      other_filter = query->status >= 0 || query->target_group >= 0;
      break;
    case KOERS_CASELOAD_SORT_TARGET_GROUP:
      other_filter = query->status >= 0 || query->municipality >= 0;
      break;
    case KOERS_CASELOAD_SORT_STATUS:
      other_filter = query->target_group >= 0 || query->municipality >= 0;
      break;
    case KOERS_CASELOAD_SORT_NEXT_ACTION:
      other_filter = query->status >= 0 || query->target_group >= 0
                     || query->municipality >= 0;
      break;
    case KOERS_CASELOAD_SORT_NAME:
    case KOERS_CASELOAD_SORT_COACH:
    default:
      /* The name is in every filter's index; the coach's order is always sorted. */
      return FALSE;
    }
  return other_filter || query->project_line > 0 || query->coach_id != NULL;
}

/* Returns (transfer full) the ORDER BY terms of @query. A "+" before the first keeps SQLite
 * from reading the order from that column's index (sorts_filtered_rows()); the order itself
 * is the same. */
static char *
order_by (const KoersCaseloadQuery *query)
{
  return g_strconcat (sorts_filtered_rows (query) ? "+" : "",
                      order_by_columns (query->sort, query->descending), NULL);
}

/* What a search binds: the FTS5 query (?6) and, while participants wait in the search backlog
 * (koers-search-backlog.h), the backlog's first seq (?8) and what the backlog's rows are
 * matched by (?9): the folded text as a substring, or the word to match the start of. */
typedef struct {
  char    *match;
  gboolean trigram;     /* @match is for the trigram index, else for the word index */
  gint64   backlog_first_seq;
  char    *backlog_match;
} SearchArgs;

static void
search_args_clear (SearchArgs *args)
{
  g_clear_pointer (&args->match, g_free);
  g_clear_pointer (&args->backlog_match, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SearchArgs, search_args_clear)

/* The word FTS5's unicode61 tokenizer makes of one or two typed characters: their letters and
 * digits ("o'" -> "o"). */
static char *
word_of (const char *folded)
{
  GString *word = g_string_new (NULL);

  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        g_string_append_unichar (word, c);
      else if (word->len > 0)
        break;
    }
  return g_string_free (word, FALSE);
}

/* Reads the backlog and folds the search of @query into @args. Returns FALSE with @error when
 * the backlog could not be read; @args->match stays NULL without a search. */
static gboolean
search_args_init (SearchArgs *args, KoersDatabase *db, const char *search, GError **error)
{
  g_autofree char *folded = koers_repository_fold (search);

  memset (args, 0, sizeof *args);
  if (*folded == '\0')
    return TRUE;
  if (!koers_search_backlog_first_seq (db, &args->backlog_first_seq, error))
    return FALSE;
  args->trigram = g_utf8_strlen (folded, -1) >= TRIGRAM_MIN_CHARS;
  if (args->trigram)
    {
      args->match = match_phrase (folded);
      args->backlog_match = g_steal_pointer (&folded);
    }
  else
    {
      args->match = word_prefix_phrase (folded);
      args->backlog_match = word_of (folded);
    }
  return TRUE;
}

/* The rows a search matches, as a condition on p.seq (trigram index for three characters or
 * more, else the word index; see migration 4). A row of the backlog may lack its index entries,
 * so those rows are also tested directly: a trigram phrase matches where the folded text is a
 * substring of the key, a word prefix where a word of the key starts with it. */
static void
append_search (GString *sql, const SearchArgs *args)
{
  const char *index = args->trigram ? "participant_search" : "participant_words";

  if (args->backlog_first_seq > 0)
    g_string_append_c (sql, '(');
  g_string_append_printf (sql, "p.seq IN (SELECT rowid FROM %s WHERE %s MATCH ?6)", index,
                          index);
  if (args->backlog_first_seq > 0)
    g_string_append (sql, args->trigram ? " OR (p.seq >= ?8 AND instr (p.search_key, ?9) > 0))"
                                  : " OR (p.seq >= ?8 AND koers_word_prefix (p.search_key, ?9)))");
}

/* Appends the WHERE clause of @query to @sql. Parameters are numbered by filter, so the SQL
 * text (and so the cached statement) depends only on which filters are on. */
static void
append_where (GString *sql, const KoersCaseloadQuery *query, const SearchArgs *args)
{
  g_string_append (sql, "WHERE p.deleted = 0");
  /* By rank, the indexed form of the same value (migration 1's CASE gives each id its
   * enum value): "p.status = ?" could not use an index, and at 100,000 participants a status
   * filter read every row in name order to test it. */
  if (query->status >= 0)
    g_string_append (sql, " AND p.status_rank = ?1");
  if (query->target_group >= 0)
    g_string_append (sql, " AND p.target_group_rank = ?2");
  if (query->municipality >= 0)
    g_string_append (sql, " AND p.municipality = ?3");
  if (query->project_line > 0)
    g_string_append (sql, " AND p.project_line = ?4");
  if (query->coach_id != NULL)
    g_string_append (sql, " AND p.coach_id = ?5");
  if (args->match == NULL)
    return;
  g_string_append (sql, " AND ");
  append_search (sql, args);
}

static void
bind_search (sqlite3_stmt *stmt, const SearchArgs *args)
{
  if (args->match == NULL)
    return;
  koers_bind_text (stmt, 6, args->match);
  if (args->backlog_first_seq > 0)
    {
      koers_bind_int64 (stmt, 8, args->backlog_first_seq);
      koers_bind_text (stmt, 9, args->backlog_match);
    }
}

static void
bind_where (sqlite3_stmt *stmt, const KoersCaseloadQuery *query, const SearchArgs *args)
{
  if (query->status >= 0)
    koers_bind_int64 (stmt, 1, query->status);
  if (query->target_group >= 0)
    koers_bind_int64 (stmt, 2, query->target_group);
  if (query->municipality >= 0)
    koers_bind_text (stmt, 3, koers_municipality_to_id (query->municipality));
  if (query->project_line > 0)
    koers_bind_int64 (stmt, 4, query->project_line);
  if (query->coach_id != NULL)
    koers_bind_text (stmt, 5, query->coach_id);
  bind_search (stmt, args);
}

/* The rowids of @query (its search as @args has it) in display order, at most @limit of them
 * (G_MAXUINT: all). */
static GArray *
query_rowids (KoersDatabase *db, const KoersCaseloadQuery *query, const SearchArgs *args,
              guint limit, GError **error)
{
  g_autoptr(GArray) rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GString) sql = g_string_new ("SELECT p.seq FROM participant p ");
  g_autoptr(GError) local_error = NULL;
  g_autofree char *order = NULL;
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;

  if (query->sort == KOERS_CASELOAD_SORT_COACH)
    g_string_append (sql, "LEFT JOIN coach c ON c.id = p.coach_id ");
  append_where (sql, query, args);
  order = order_by (query);
  g_string_append_printf (sql, " ORDER BY %s", order);
  if (limit != G_MAXUINT)
    g_string_append (sql, " LIMIT ?7");

  stmt = koers_database_prepare (db, sql->str, error);
  if (stmt == NULL)
    return NULL;
  bind_where (stmt, query, args);
  if (limit != G_MAXUINT)
    koers_bind_int64 (stmt, 7, limit);

  while (koers_database_step (db, stmt, &has_row, &local_error) && has_row)
    {
      gint64 rowid = koers_column_int64 (stmt, 0);

      g_array_append_val (rowids, rowid);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&rowids);
}

GArray *
koers_participant_repository_query_rowids (KoersDatabase *db, const KoersCaseloadQuery *query,
                                           GError **error)
{
  g_auto(SearchArgs) args = { 0 };

  g_return_val_if_fail (KOERS_IS_DATABASE (db), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  if (!search_args_init (&args, db, query->search, error))
    return NULL;
  return query_rowids (db, query, &args, G_MAXUINT, error);
}

GArray *
koers_participant_repository_query_first_rowids (KoersDatabase            *db,
                                                 const KoersCaseloadQuery *query,
                                                 guint                     limit,
                                                 guint                    *out_total,
                                                 GError                  **error)
{
  g_autoptr(GArray) rowids = NULL;
  g_autoptr(GString) sql = g_string_new ("SELECT count(*) FROM participant p ");
  g_auto(SearchArgs) args = { 0 };
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), NULL);
  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (out_total != NULL, NULL);

  /* One reading of the search (and the backlog) for the rows and the count alike. */
  if (!search_args_init (&args, db, query->search, error))
    return NULL;
  rowids = query_rowids (db, query, &args, limit, error);
  if (rowids == NULL)
    return NULL;
  /* Fewer rows than asked for: that is all of them, no count needed. */
  if (rowids->len < limit)
    {
      *out_total = rowids->len;
      return g_steal_pointer (&rowids);
    }

  append_where (sql, query, &args);
  stmt = koers_database_prepare (db, sql->str, error);
  if (stmt == NULL)
    return NULL;
  bind_where (stmt, query, &args);
  if (!koers_database_step (db, stmt, &has_row, error))
    return NULL;
  *out_total = (guint) koers_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return g_steal_pointer (&rowids);
}

GArray *
koers_participant_repository_search_rowids (KoersDatabase *db, const char *search,
                                            GError **error)
{
  g_autoptr(GArray) rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GString) sql = g_string_new ("SELECT rowid FROM ");
  g_auto(SearchArgs) args = { 0 };
  const char *index;
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), NULL);

  if (!search_args_init (&args, db, search, error))
    return NULL;
  if (args.match == NULL)
    return g_steal_pointer (&rowids);
  /* The index alone, without a look at each row it names: a one-letter search can match half
   * the caseload. The backlog's rows are added to what it finds. */
  index = args.trigram ? "participant_search" : "participant_words";
  g_string_append_printf (sql, "%s WHERE %s MATCH ?6", index, index);
  if (args.backlog_first_seq > 0)
    g_string_append (sql, args.trigram
                            ? " UNION SELECT seq FROM participant "
                              "WHERE seq >= ?8 AND instr (search_key, ?9) > 0"
                            : " UNION SELECT seq FROM participant "
                              "WHERE seq >= ?8 AND koers_word_prefix (search_key, ?9)");
  stmt = koers_database_prepare (db, sql->str, error);
  if (stmt == NULL)
    return NULL;
  bind_search (stmt, &args);
  while (koers_database_step (db, stmt, &has_row, &local_error) && has_row)
    {
      gint64 rowid = koers_column_int64 (stmt, 0);

      g_array_append_val (rowids, rowid);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&rowids);
}

GPtrArray *
koers_participant_repository_load_rows (KoersDatabase *db, const gint64 *rowids,
                                        guint n_rowids, GError **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_full (n_rowids, g_object_unref);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), NULL);
  g_return_val_if_fail (rowids != NULL || n_rowids == 0, NULL);

  stmt = koers_database_prepare (db,
                                 "SELECT p.id, p.name, p.municipality, p.target_group, p.status, "
                                 "c.name, p.next_action_date FROM participant p "
                                 "LEFT JOIN coach c ON c.id = p.coach_id WHERE p.seq = ?1",
                                 error);
  if (stmt == NULL)
    return NULL;

  for (guint i = 0; i < n_rowids; i++)
    {
      KoersMunicipality municipality = 0;
      KoersTargetGroup group = 0;
      KoersStatus status = 0;
      gboolean has_row = FALSE;

      sqlite3_reset (stmt);
      koers_bind_int64 (stmt, 1, rowids[i]);
      if (!koers_database_step (db, stmt, &has_row, error))
        return NULL;
      if (!has_row)
        {
          g_ptr_array_add (rows, koers_caseload_row_new (rowids[i], "", "", 0, 0, 0, NULL,
                                                         NULL));
          continue;
        }
      koers_municipality_from_id (koers_column_text (stmt, 2), &municipality);
      koers_target_group_from_id (koers_column_text (stmt, 3), &group);
      koers_status_from_id (koers_column_text (stmt, 4), &status);
      g_ptr_array_add (rows, koers_caseload_row_new (rowids[i], koers_column_text (stmt, 0),
                                                     koers_column_text (stmt, 1), municipality,
                                                     group, status,
                                                     koers_column_text (stmt, 5),
                                                     koers_column_text (stmt, 6)));
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&rows);
}
