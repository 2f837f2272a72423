/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-csv-validate.h: the whole-file check before an import (issue 3: "validate the whole
 * file first, then write it in one transaction"): every error and warning of a CSV file, read
 * with the automatic mapping, without keeping the rows.
 */
#pragma once

#include "core/koers-csv-reader.h"

G_BEGIN_DECLS

/* The outcome of koers_csv_validate(). */
typedef struct {
  KoersCsvEncoding encoding;
  char             separator;
  GStrv            headers;
  guint            n_rows;      /* data rows, good or bad */
  guint            n_errors;    /* all of them */
  guint            n_warnings;
  GPtrArray       *errors;      /* (element-type KoersCsvIssue): the first max_issues */
  GPtrArray       *warnings;    /* (element-type KoersCsvIssue): the first max_issues */
  gsize            peak_buffered_bytes;
} KoersCsvReport;

void              koers_csv_report_free (KoersCsvReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersCsvReport, koers_csv_report_free)

/**
 * koers_csv_validate:
 * @stream: the file's contents
 * @max_issues: how many errors and warnings to keep (all are counted)
 * @cancellable: (nullable): to stop
 * @error: set when the file cannot be read as a participant list at all (the reasons of
 *   koers_csv_reader_new()), or on an I/O error or cancellation
 *
 * Reads the whole file with the automatic mapping and lists every problem: the step before an
 * import, which writes nothing unless the report has no errors.
 *
 * Returns: (transfer full) (nullable): the report.
 */
KoersCsvReport   *koers_csv_validate (GInputStream  *stream,
                                      guint          max_issues,
                                      GCancellable  *cancellable,
                                      GError       **error);

G_END_DECLS
