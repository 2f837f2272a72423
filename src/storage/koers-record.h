/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-record.h: the sync metadata every stored record carries (ARCHITECTURE.md, "Data
 * model"): a client-made UUID, the tenant, the server sequence (0 = never synced), who created
 * and last changed it, and the tombstone.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char    *id;
  char    *organisation_id; /* nullable */
  gint64   version;
  char    *created_at;
  char    *created_by;
  char    *updated_at;
  char    *updated_by;
  gboolean deleted;
} KoersRecordMeta;

/* Frees the strings of @meta and zeroes it. */
void koers_record_meta_clear (KoersRecordMeta *meta);
/* Deep copy of @src into @dest (which must be cleared). */
void koers_record_meta_copy (KoersRecordMeta *dest, const KoersRecordMeta *src);

G_END_DECLS
