/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Reading a document (koers-json-doc.h): every accessor takes any index, KOERS_JSON_NONE
 * included, and answers "nothing" for a value that is not there or of another kind, the way the
 * sync's type-checking accessors do.
 */
#include "config.h"

#include "core/koers-json-doc-private.h"

#include <string.h>

static inline const KoersJsonSlot *
value_at (KoersJsonDoc *doc, KoersJsonRef ref)
{
  return doc != NULL && ref < doc->n_values ? &doc->values[ref] : NULL;
}

/* KOERS_JSON_NULL also for KOERS_JSON_NONE: "no value" and null mean the same to callers. */
KoersJsonKind
koers_json_doc_kind (KoersJsonDoc *doc, KoersJsonRef value)
{
  const KoersJsonSlot *v = value_at (doc, value);

  return v != NULL ? v->kind : KOERS_JSON_NULL;
}

/* Members of an object, elements of an array; 0 for anything else. */
guint
koers_json_doc_size (KoersJsonDoc *doc, KoersJsonRef value)
{
  const KoersJsonSlot *v = value_at (doc, value);

  return v != NULL && (v->kind == KOERS_JSON_OBJECT || v->kind == KOERS_JSON_ARRAY) ? v->size : 0;
}

/* The first member or element of @container, or KOERS_JSON_NONE. */
KoersJsonRef
koers_json_doc_first (KoersJsonDoc *doc, KoersJsonRef container)
{
  return koers_json_doc_size (doc, container) > 0 ? container + 1 : KOERS_JSON_NONE;
}

/* The member or element after @value in its container, or KOERS_JSON_NONE. */
KoersJsonRef
koers_json_doc_next (KoersJsonDoc *doc, KoersJsonRef value)
{
  const KoersJsonSlot *v = value_at (doc, value);

  return v != NULL && value > 0 && !(v->flags & FLAG_LAST) ? v->next : KOERS_JSON_NONE;
}

/* The name of an object's member, or NULL for anything else. */
const char *
koers_json_doc_name (KoersJsonDoc *doc, KoersJsonRef member)
{
  const KoersJsonSlot *v = value_at (doc, member);

  return v != NULL && v->name != G_MAXUINT32 ? doc->strings + v->name : NULL;
}

/* @object's member @name, or KOERS_JSON_NONE (also when @object is no object). */
KoersJsonRef
koers_json_doc_member (KoersJsonDoc *doc, KoersJsonRef object, const char *name)
{
  const KoersJsonSlot *v = value_at (doc, object);

  if (v == NULL || v->kind != KOERS_JSON_OBJECT || v->size == 0)
    return KOERS_JSON_NONE;
  for (KoersJsonRef i = object + 1;; i = doc->values[i].next)
    {
      const char *own = doc->strings + doc->values[i].name;

      if (own[0] == name[0] && strcmp (own, name) == 0)
        return i;
      if (doc->values[i].flags & FLAG_LAST)
        return KOERS_JSON_NONE;
    }
}

/* The text of a string value, or NULL for anything else. */
const char *
koers_json_doc_get_string (KoersJsonDoc *doc, KoersJsonRef value)
{
  const KoersJsonSlot *v = value_at (doc, value);

  return v != NULL && v->kind == KOERS_JSON_STRING ? doc->strings + v->u.string : NULL;
}

/* An integer value, or 0 for anything else. */
gint64
koers_json_doc_get_int (KoersJsonDoc *doc, KoersJsonRef value)
{
  const KoersJsonSlot *v = value_at (doc, value);

  return v != NULL && v->kind == KOERS_JSON_INTEGER ? v->u.integer : 0;
}

/* A number that is no integer, or 0 for anything else. */
double
koers_json_doc_get_double (KoersJsonDoc *doc, KoersJsonRef value)
{
  const KoersJsonSlot *v = value_at (doc, value);

  return v != NULL && v->kind == KOERS_JSON_DOUBLE ? v->u.number : 0.0;
}

/* A boolean value, or FALSE for anything else. */
gboolean
koers_json_doc_get_boolean (KoersJsonDoc *doc, KoersJsonRef value)
{
  const KoersJsonSlot *v = value_at (doc, value);

  return v != NULL && v->kind == KOERS_JSON_BOOLEAN && v->u.boolean;
}

/**
 * koers_json_doc_compact_text:
 * @doc: the document
 * @object: an object in it
 * @out_length: (out): the text's length in bytes
 *
 * The object's own text when it was written compactly: no white space, strings escaped only
 * as \" \\ \n \r \t, integers but no other numbers and no "-0". That is exactly what a compact
 * writer (koers_sync_json_to_string()) writes for it, so a caller that would write the object
 * again can take this text instead.
 *
 * Returns: (nullable): the text (not NUL-terminated; it lives as long as @doc), or NULL when
 *   @object is no object or was not written compactly
 */
const char *
koers_json_doc_compact_text (KoersJsonDoc *doc, KoersJsonRef object, gsize *out_length)
{
  const KoersJsonSlot *v = value_at (doc, object);

  g_return_val_if_fail (out_length != NULL, NULL);

  *out_length = 0;
  if (v == NULL || v->kind != KOERS_JSON_OBJECT || !(v->flags & FLAG_COMPACT))
    return NULL;
  *out_length = v->end - v->start;
  return (const char *) g_bytes_get_data (doc->text, NULL) + v->start;
}
