/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Inside the mutation engine: the actions, shared between koers-server-engine-apply.c (create,
 * change, delete, restore) and koers-server-engine-ops.c (resolve, erase, reassign). Each
 * returns FALSE only on a storage error; a refusal is put in the result.
 */
#pragma once

#include "server/koers-server-engine-private.h"

G_BEGIN_DECLS

gboolean    engine_apply_change  (EngineTxn *txn, EngineMutation *m, EngineRecord *existing,
                                  EngineResult *result, GError **error);
gboolean    engine_apply_delete  (EngineTxn *txn, EngineMutation *m, EngineRecord *existing,
                                  EngineResult *result, GError **error);
gboolean    engine_apply_restore (EngineTxn *txn, EngineMutation *m, EngineRecord *existing,
                                  EngineResult *result, GError **error);
gboolean    engine_apply_resolve (EngineTxn *txn, EngineMutation *m, EngineRecord *existing,
                                  EngineResult *result, GError **error);
gboolean    engine_apply_erase   (EngineTxn *txn, EngineMutation *m, EngineRecord *existing,
                                  EngineResult *result, GError **error);
/* @participant was just saved with a new coach: its children follow with new versions, and
 * @old_coach's feed gets buitenBereik items. */
gboolean    engine_reassign      (EngineTxn *txn, EngineRecord *participant,
                                  const char *old_coach, GError **error);

/* (nullable) (transfer none): member @which ("was"/"wordt") of change @name in @changes. */
JsonNode   *engine_change_member (JsonObject *changes, const char *name, const char *which);
/* Sets @name to a copy of @value; a null value removes the member. */
void        engine_object_set    (JsonObject *object, const char *name, JsonNode *value);
JsonObject *engine_object_copy   (JsonObject *object);
void        engine_diff_add      (JsonObject *diff, const char *name, JsonNode *was,
                                  JsonNode *becomes);

G_END_DECLS
