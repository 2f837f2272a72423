/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A refused change, said in the user's language. The server's `reden` is one Dutch sentence
 * with wire field names ("coachId: alleen een ondersteuner ..."); its `redenCode` and `veld`
 * (koers-sync-refusal.h) let the Conflicts page say the same with the field's own label.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sync/koers-sync-review.h"

#include "sync/koers-sync-private.h"

/**
 * koers_sync_review_refused_value:
 * @diff: (nullable): a refused change's {field: {was, wordt}}
 * @field: (nullable): a wire field name
 *
 * Returns: (transfer none) (nullable): the value the change gave @field
 */
JsonNode *
koers_sync_review_refused_value (JsonObject *diff, const char *field)
{
  JsonNode *change;

  if (diff == NULL || field == NULL)
    return NULL;
  change = json_object_get_member (diff, field);
  if (change == NULL || !JSON_NODE_HOLDS_OBJECT (change))
    return NULL;
  return json_object_get_member (json_node_get_object (change), "wordt");
}

/* An invalid value: the field's own check says what is wrong, as when the user types it.
 * A value that passes here broke a rule across fields, or the server's rules are newer. */
static char *
invalid_value_text (const KoersSyncQuarantined *item)
{
  g_autoptr(GError) error = NULL;
  JsonNode *value = koers_sync_review_refused_value (item->diff, item->field);

  if (item->field == NULL)
    return g_strdup (_("The server did not accept one of the values"));
  /* No value at all (a required field left out) is checked too: "a value is required". */
  if (item->diff != NULL
      && !koers_sync_review_check_value (item->entity, item->field, value, &error))
    return g_strdup (error->message);
  /* Translators: %s is a field's label, "Birth year" */
  return g_strdup_printf (_("The server did not accept the value of %s"),
                          koers_sync_review_field_label (item->entity, item->field));
}

static const char *
field_label (const KoersSyncQuarantined *item)
{
  return koers_sync_review_field_label (item->entity, item->field);
}

/**
 * koers_sync_quarantined_reason_text:
 * @item: a quarantined change
 *
 * Returns: (transfer full) (nullable): why @item was refused, in the user's language; %NULL
 *   when its code is unknown (a newer server) or says too little without its field, and
 *   the caller shows @item->reason as the server wrote it
 */
char *
koers_sync_quarantined_reason_text (const KoersSyncQuarantined *item)
{
  g_return_val_if_fail (item != NULL, NULL);

  /* About a field this build does not declare here (a conflict resolution's target field, a
   * name the server would not echo): the server's sentence says more. */
  if (item->field == NULL
      && (item->refusal == KOERS_SYNC_REFUSAL_UNKNOWN_FIELD
          || item->refusal == KOERS_SYNC_REFUSAL_SERVER_FIELD
          || item->refusal == KOERS_SYNC_REFUSAL_FIXED_FIELD))
    return NULL;

  switch (item->refusal)
    {
    case KOERS_SYNC_REFUSAL_INVALID_VALUE:
      return invalid_value_text (item);
    case KOERS_SYNC_REFUSAL_UNKNOWN_FIELD:
      /* Translators: %s is a field's label; the server runs an older version of the API */
      return g_strdup_printf (_("The server does not know the field %s yet"),
                              field_label (item));
    case KOERS_SYNC_REFUSAL_SERVER_FIELD:
      /* Translators: %s is a field's label */
      return g_strdup_printf (_("%s is filled in by the server only"), field_label (item));
    case KOERS_SYNC_REFUSAL_FIXED_FIELD:
      /* Translators: %s is a field's label */
      return g_strdup_printf (_("%s cannot change once the record exists"), field_label (item));
    case KOERS_SYNC_REFUSAL_NOT_A_COACH:
      return g_strdup (_("The chosen coach is not a coach of your organisation"));
    case KOERS_SYNC_REFUSAL_OWN_CASELOAD:
      return g_strdup (_("A coach can only add participants to their own caseload"));
    case KOERS_SYNC_REFUSAL_SUPPORT_ONLY:
      if (g_strcmp0 (item->action, "wissen") == 0)
        return g_strdup (_("Only support staff may erase a participant’s data"));
      return g_strdup (_("Only support staff may move a participant to another coach"));
    case KOERS_SYNC_REFUSAL_NOT_FOUND:
      return g_strdup (_("The server has no such record in your caseload: it was never "
                         "sent, or it is outside your caseload now"));
    case KOERS_SYNC_REFUSAL_ERASED:
      return g_strdup (_("The participant’s data was erased (right to erasure); nothing can "
                         "change it any more"));
    case KOERS_SYNC_REFUSAL_DELETED:
      return g_strdup (_("The record was deleted; restore it first"));
    case KOERS_SYNC_REFUSAL_OUTCOME_MISSING:
      return g_strdup (_("A trajectory can be completed only once its outcome is recorded"));
    case KOERS_SYNC_REFUSAL_CLOSED:
      return g_strdup (_("A completed or dropped-out trajectory keeps its status"));
    case KOERS_SYNC_REFUSAL_TRANSITION:
      return g_strdup (_("This status change is not a step of the workflow"));
    case KOERS_SYNC_REFUSAL_APPEND_ONLY:
      return g_strdup (_("This kind of record is never changed: an edit is saved as a new "
                         "revision"));
    case KOERS_SYNC_REFUSAL_ACTION:
      return g_strdup (_("This cannot be done with this kind of record"));
    case KOERS_SYNC_REFUSAL_ID_TAKEN:
      return g_strdup (_("The server already has another record with the same id"));
    case KOERS_SYNC_REFUSAL_RESOLVED:
      return g_strdup (_("This conflict was already resolved another way, on another device "
                         "or by a colleague"));
    case KOERS_SYNC_REFUSAL_OUT_OF_SCOPE:
      return g_strdup (_("The participant was moved out of your caseload before this change "
                         "reached the server"));
    case KOERS_SYNC_REFUSAL_ERASED_HERE:
      return g_strdup (_("The record was erased on the server (right to erasure); the change "
                         "was dropped with it"));
    case KOERS_SYNC_REFUSAL_MALFORMED:       /* a client fault: the server's words help most */
    case KOERS_SYNC_REFUSAL_UNKNOWN:
    case KOERS_SYNC_REFUSAL_N:
    default:
      return NULL;
    }
}
