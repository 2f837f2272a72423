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

/* Applies "COLUMN=FIELD" entries to @reader (see KoersImportOptions.mapping). */
gboolean koers_import_apply_mapping (KoersCsvReader      *reader,
                                     const char * const  *mapping,
                                     GError             **error);

/* Adds to @issues (element-type KoersCsvIssue) the problems of the mapping itself: a field every
 * participant needs (a name, the municipality, the target group) that no column gives. */
void     koers_import_check_mapping (KoersCsvReader *reader, GPtrArray *issues);

/* Turns @record into @out_row, adding every problem to @issues, located at the cell. TRUE when
 * there was none (then @out_row is filled). */
gboolean koers_import_map_record (KoersCsvReader       *reader,
                                  const KoersCsvRecord *record,
                                  int                   today_year,
                                  KoersImportRow       *out_row,
                                  GPtrArray            *issues);

G_END_DECLS
