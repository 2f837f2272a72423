/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-sync-record-state.h: a record as this device sees it (its shadow plus what pending
 * outbox rows set), shared by the rebuild of working rows (koers-sync-local.c) and the upsert
 * that writes them (koers-sync-upsert.c). Private to src/sync.
 */
#pragma once

#include "sync/koers-sync-private.h"

#include "core/koers-json-doc.h"

G_BEGIN_DECLS

/* A value and the document it lives in. */
typedef struct {
  KoersJsonDoc *doc;
  KoersJsonRef  value;
} DocValue;

/* The record's wire state as this device sees it: shadow plus pending rows. */
typedef struct {
  KoersJsonDoc *doc;      /* the shadow record's document, or NULL */
  KoersJsonRef  record;   /* the shadow record in it */
  KoersJsonRef  values;   /* its gegevens, or KOERS_JSON_NONE */
  GHashTable   *pending;  /* (nullable) field name -> DocValue: what pending rows set */
  GPtrArray    *pending_docs; /* (nullable) the documents those values live in */
  gboolean      exists;
  gboolean      deleted;
  gboolean      erased;
  gint64        version;
} RecordState;

/* Writes @state as @entity's working row @id: an insert for a new row of an initial pull, else
 * the upsert, and the participant's search key when its names changed. Capture silenced by
 * the caller (the apply guard). */
gboolean koers_sync_upsert_working_row (KoersDatabase *db, const KoersSyncEntity *entity,
                                        const char *id, RecordState *state,
                                        KoersSyncPageContext *page, GError **error);

G_END_DECLS
