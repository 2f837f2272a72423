/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The participants a read carried (koers-server-participant-set.h). A page of 500 made 500
 * copies of their ids, hashed each twice as text, and checked each UUID again on the server's
 * thread for the list: about a tenth of serving a feed page. Here an id is checked and read
 * as its 128 bits in one pass, found in an open-addressing table of those bits and, when new,
 * appended to an array of them that is the list as SQLite's audit trail stores it.
 */
#include "config.h"

#include "server/koers-server-participant-set.h"

#include "core/koers-uuid.h"

#include <string.h>

/* The id's 16 bytes as they come (read_uuid): an array of them is the list as the SQLite
 * audit trail stores it (koers_server_participant_set_get_ids). */
typedef struct {
  guint64 high;
  guint64 low;
} Uuid;
G_STATIC_ASSERT (sizeof (Uuid) == 16);

struct _KoersServerParticipantSet
{
  GArray     *uuids;      /* (element-type Uuid) in order */
  guint32    *slots;      /* index + 1 into uuids, 0 for free; a power of two of them */
  guint       n_slots;
  GPtrArray  *others;
  GHashTable *others_seen; /* made for the first other */
};

KoersServerParticipantSet *
koers_server_participant_set_new (guint expected)
{
  KoersServerParticipantSet *set = g_new0 (KoersServerParticipantSet, 1);

  expected = CLAMP (expected, 8, 1 << 20);
  set->uuids = g_array_sized_new (FALSE, FALSE, sizeof (Uuid), expected);
  /* At most half full. */
  set->n_slots = 16;
  while (set->n_slots < 2 * expected)
    set->n_slots *= 2;
  set->slots = g_new0 (guint32, set->n_slots);
  set->others = g_ptr_array_new_with_free_func (g_free);
  return set;
}

void
koers_server_participant_set_free (KoersServerParticipantSet *set)
{
  if (set == NULL)
    return;

  g_array_unref (set->uuids);
  g_free (set->slots);
  g_ptr_array_unref (set->others);
  g_clear_pointer (&set->others_seen, g_hash_table_unref);
  g_free (set);
}

/* TRUE when @text is an id as the wire carries it (koers_uuid_is_valid()), read into @out. */
static gboolean
read_uuid (const char *text, Uuid *out)
{
  guint8 bytes[16];

  if (!koers_uuid_parse (text, bytes) || text[36] != '\0')
    return FALSE;
  /* Only equality and the hash look at the halves: byte order does not matter. */
  memcpy (&out->high, bytes, 8);
  memcpy (&out->low, bytes + 8, 8);
  return TRUE;
}

/* Both halves count: a version-7 id's high half is mostly its time. Ids are chosen by clients
 * too, so collisions can be made, but a set holds a page's 500 at most. */
static inline guint
slot_of (const Uuid *uuid, guint n_slots)
{
  guint64 mixed = (uuid->high ^ uuid->low) * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);

  return (guint) (mixed >> 32) & (n_slots - 1);
}

static void
grow (KoersServerParticipantSet *set)
{
  g_free (set->slots);
  set->n_slots *= 2;
  set->slots = g_new0 (guint32, set->n_slots);
  for (guint i = 0; i < set->uuids->len; i++)
    {
      guint slot = slot_of (&g_array_index (set->uuids, Uuid, i), set->n_slots);

      while (set->slots[slot] != 0)
        slot = (slot + 1) & (set->n_slots - 1);
      set->slots[slot] = i + 1;
    }
}

static void
add_other (KoersServerParticipantSet *set, const char *participant)
{
  char *copy;

  if (set->others_seen == NULL)
    set->others_seen = g_hash_table_new (g_str_hash, g_str_equal);
  if (g_hash_table_contains (set->others_seen, participant))
    return;
  copy = g_strdup (participant);
  g_ptr_array_add (set->others, copy);
  g_hash_table_add (set->others_seen, copy);
}

void
koers_server_participant_set_add (KoersServerParticipantSet *set, const char *participant)
{
  Uuid uuid;
  guint slot;

  g_return_if_fail (set != NULL);

  if (participant == NULL)
    return;
  if (!read_uuid (participant, &uuid))
    {
      add_other (set, participant);
      return;
    }
  for (slot = slot_of (&uuid, set->n_slots); set->slots[slot] != 0;
       slot = (slot + 1) & (set->n_slots - 1))
    {
      const Uuid *known = &g_array_index (set->uuids, Uuid, set->slots[slot] - 1);

      if (known->high == uuid.high && known->low == uuid.low)
        return;
    }
  g_array_append_val (set->uuids, uuid);
  set->slots[slot] = set->uuids->len;
  if (set->uuids->len * 2 > set->n_slots)
    grow (set);
}

guint
koers_server_participant_set_get_size (KoersServerParticipantSet *set)
{
  g_return_val_if_fail (set != NULL, 0);

  return set->uuids->len + set->others->len;
}

const guint8 *
koers_server_participant_set_get_ids (KoersServerParticipantSet *set,
                                      gsize                     *out_length)
{
  g_return_val_if_fail (set != NULL, NULL);
  g_return_val_if_fail (out_length != NULL, NULL);

  *out_length = set->uuids->len * sizeof (Uuid);
  return (const guint8 *) set->uuids->data;
}

char *
koers_server_participant_set_dup_list (KoersServerParticipantSet *set)
{
  gsize length;
  char *text;

  g_return_val_if_fail (set != NULL, NULL);

  length = KOERS_UUID_LIST_TEXT_LENGTH (set->uuids->len);
  text = g_malloc (length + 1);
  koers_uuid_format_list ((const guint8 *) set->uuids->data, set->uuids->len, text);
  text[length] = '\0';
  return text;
}

GPtrArray *
koers_server_participant_set_get_others (KoersServerParticipantSet *set)
{
  g_return_val_if_fail (set != NULL, NULL);

  return set->others;
}
