/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-sync-json.h: the server's answers are untrusted input (RELIABILITY.md, "JSON from the
 * network"): the decoded body is size-capped and read by a strict RFC 8259 reader
 * (core/koers-json-doc.h) that checks UTF-8 and nesting as it goes, never recursing past the
 * limit; only an object is accepted at the top.
 */
#pragma once

#include "core/koers-json-doc.h"

#include <string.h>

G_BEGIN_DECLS

/* Largest decoded answer accepted (docs/api-protocol.md: 16 MiB per page). */
#define KOERS_SYNC_RESPONSE_LIMIT (16 * 1024 * 1024)
#define KOERS_SYNC_JSON_MAX_DEPTH 64

#define KOERS_SYNC_ERROR (koers_sync_error_quark ())

typedef enum {
  KOERS_SYNC_ERROR_RESPONSE,   /* the server's answer is malformed or breaks a limit */
  KOERS_SYNC_ERROR_REFUSED,    /* a page holds a record this client cannot store */
  KOERS_SYNC_ERROR_HTTP,       /* an unexpected status */
  KOERS_SYNC_ERROR_AUTH,       /* 401 after one refresh: sign in again */
  KOERS_SYNC_ERROR_NETWORK,    /* the server could not be reached */
  KOERS_SYNC_ERROR_RETRY,      /* 429/503: try again after the Retry-After delay */
  KOERS_SYNC_ERROR_SEQUENCE,   /* device numbers could not be brought in line */
} KoersSyncError;

GQuark    koers_sync_error_quark (void);

/**
 * koers_sync_json_parse_response:
 * @body: the decoded response body
 *
 * Returns: (transfer full) (nullable): the root object (sealed), or %NULL with
 * KOERS_SYNC_ERROR_RESPONSE when the body is too large, not UTF-8, too deep, not strict JSON
 * (RFC 8259; integers past 64 bits, \u0000 and unpaired surrogates refused) or not an object.
 */
JsonNode *koers_sync_json_parse_response (GBytes *body, GError **error);

/**
 * koers_sync_json_parse_page:
 * @body: the decoded body of a pull page
 *
 * koers_sync_json_parse_response() for a pull page, as a document: the apply reads its items
 * there and takes an item's own text for the shadow when it came compact
 * (koers_json_doc_compact_text()).
 *
 * Returns: (transfer full) (nullable): the document (its root an object), or %NULL as for
 *   koers_sync_json_parse_response()
 */
KoersJsonDoc *koers_sync_json_parse_page (GBytes *body, GError **error);

/* (transfer full) Compact JSON text of @node: UTF-8 as it is, every control character
 * escaped (json-glib's generator writes U+001F raw, which a strict reader refuses). */
char     *koers_sync_json_to_string  (JsonNode *node);
/* g_string_append_len() for the many short pieces of a feed page: GLib 2.74's is a call into
 * its general insert, which checks for overlap and moves a tail, where this is a copy. So
 * @text must not point into @out (growing @out would free it first). */
static inline void
koers_sync_json_append_len (GString *out, const char *text, gsize length)
{
  gsize at = out->len;

  if (G_UNLIKELY (at + length >= out->allocated_len))
    g_string_set_size (out, at + length);  /* grows by doubling */
  memcpy (out->str + at, text, length);
  out->len = at + length;
  out->str[out->len] = '\0';
}
/* The same for a string literal. */
#define koers_sync_json_append_literal(out, literal) \
  koers_sync_json_append_len ((out), "" literal, sizeof (literal) - 1)
/* TRUE when none of the eight bytes of @word (as read from memory, in any byte order) has to
 * be escaped in a JSON string: no control character, quote or backslash. A feed page runs
 * some 200 KB of text through this. */
static inline gboolean
koers_sync_json_word_is_plain (guint64 word)
{
  const guint64 ones = G_GUINT64_CONSTANT (0x0101010101010101);
  const guint64 quote = word ^ (ones * '"');
  const guint64 backslash = word ^ (ones * '\\');

  /* The classic "has a byte less than n" and "has a zero byte" tests, or-ed. */
  return ((((word - ones * 0x20) & ~word) | ((quote - ones) & ~quote)
           | ((backslash - ones) & ~backslash))
          & G_GUINT64_CONSTANT (0x8080808080808080)) == 0;
}
/* Appends @text (nullable: null) as that writer writes a JSON string. */
void      koers_sync_json_append_string (GString *out, const char *text);
/* The same for the @length bytes at @text (not nullable), up to a NUL among them as the other
 * stops at its end: \u0000 would be JSON, but Koers' own strict reader refuses it. */
void      koers_sync_json_append_string_len (GString *out, const char *text, gsize length);

G_END_DECLS
