/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-import-private.h: the parts of the CSV import shared between its files: turning one CSV
 * record into a participant (koers-import-map.c) and the manual mapping.
 */
#pragma once

#include "cli/koers-import.h"

#include "core/koers-csv-reader.h"
#include "core/koers-participant.h"

G_BEGIN_DECLS

/* One row as it will be stored. */
typedef struct {
  KoersParticipant *participant;
  char             *note;  /* (nullable): the note column's text, stored as one note */
  char             *key;   /* the import key: hex SHA-256 over the normalised mapped values */
} KoersImportRow;

void     koers_import_row_clear (KoersImportRow *row);

/* Empties @report for a new import, keeping its arrays. */
void     koers_import_report_reset (KoersImportReport *report);
/* TRUE (with @error, KOERS_IMPORT_ERROR_REFUSED) when @report's errors, or its warnings not
 * accepted, refuse the file. */
gboolean koers_import_refuse (KoersImportReport *report, gboolean accept_warnings,
                              GError **error);

/* Applies "COLUMN=FIELD" entries to @reader (see KoersImportOptions.mapping). */
gboolean koers_import_apply_mapping (KoersCsvReader      *reader,
                                     const char * const  *mapping,
                                     GError             **error);

/* Adds to @issues (element-type KoersCsvIssue) the problems of the mapping itself: a field every
 * participant needs (a name, the municipality, the target group) that no column gives. */
void     koers_import_check_mapping (KoersCsvReader *reader, GPtrArray *issues);

/* What mapping a record can reuse from the rows before it: the matching keys of the closed
 * vocabularies (their identifiers, labels and Dutch words) and, per vocabulary, what the
 * values seen so far matched. A partner's file writes "Oost Gelre" or "statushouder" on
 * thousands of rows; folding each cell and every candidate anew cost a quarter of an import. */
typedef struct _KoersImportMapper KoersImportMapper;

typedef enum {
  KOERS_IMPORT_VOCABULARY_MUNICIPALITY,
  KOERS_IMPORT_VOCABULARY_TARGET_GROUP,
  KOERS_IMPORT_VOCABULARY_STATUS,
  KOERS_IMPORT_VOCABULARY_LEVEL,
  KOERS_IMPORT_VOCABULARY_OUTCOME,
  KOERS_IMPORT_N_VOCABULARIES
} KoersImportVocabulary;

typedef enum {
  KOERS_IMPORT_COACH_FOUND,
  KOERS_IMPORT_COACH_UNKNOWN,     /* no coach has this name */
  KOERS_IMPORT_COACH_AMBIGUOUS,   /* two or more coaches have it */
  KOERS_IMPORT_COACH_NOT_LOADED,  /* koers_import_mapper_load_coaches() was not called */
} KoersImportCoachMatch;

KoersImportMapper *koers_import_mapper_new (void);
void               koers_import_mapper_free (KoersImportMapper *mapper);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersImportMapper, koers_import_mapper_free)

/* Reads the coaches (not deleted) the coach column is matched against, by name, ignoring
 * case, accents and punctuation. Without this the coach column is not imported. */
gboolean koers_import_mapper_load_coaches (KoersImportMapper *mapper, KoersDatabase *db,
                                           GError **error);

/* The value of @vocabulary @value names (its identifier, its label in the user's language, or
 * a Dutch word for it, on the matching key), or -1. */
int      koers_import_mapper_match (KoersImportMapper     *mapper,
                                    KoersImportVocabulary  vocabulary,
                                    const char            *value);
/* The coach called @name; on KOERS_IMPORT_COACH_FOUND, @out_id and @out_organisation_id
 * (transfer none, the second nullable) are set. */
KoersImportCoachMatch koers_import_mapper_find_coach (KoersImportMapper *mapper,
                                                      const char        *name,
                                                      const char       **out_id,
                                                      const char       **out_organisation_id);

/* koers_import_map_record() with @mapper's caches: the same result, faster. */
gboolean koers_import_mapper_map (KoersImportMapper    *mapper,
                                  KoersCsvReader       *reader,
                                  const KoersCsvRecord *record,
                                  int                   today_year,
                                  KoersImportRow       *out_row,
                                  GPtrArray            *issues);

/* The rows of the writing pass, read and mapped on a thread of their own (koers-import-feed.c):
 * the database thread only writes. The thread owns @reader and uses @mapper until
 * koers_import_feed_free(), which stops it (within the row it is reading) and waits for it.
 * After a failure every koers_import_feed_next() fails the same way. */
typedef struct _KoersImportFeed KoersImportFeed;

KoersImportFeed *koers_import_feed_start (KoersCsvReader    *reader,
                                          KoersImportMapper *mapper,
                                          int                today_year,
                                          GCancellable      *cancellable,
                                          GError           **error);
gboolean         koers_import_feed_next  (KoersImportFeed   *feed,
                                          KoersImportRow    *out_row,
                                          GError           **error);
void             koers_import_feed_free  (KoersImportFeed   *feed);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersImportFeed, koers_import_feed_free)

/* Turns @record into @out_row, adding every problem to @issues, located at the cell. TRUE when
 * there was none (then @out_row is filled). */
gboolean koers_import_map_record (KoersCsvReader       *reader,
                                  const KoersCsvRecord *record,
                                  int                   today_year,
                                  KoersImportRow       *out_row,
                                  GPtrArray            *issues);

G_END_DECLS
