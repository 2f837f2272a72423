/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-json-doc.h: a strict RFC 8259 reader for untrusted JSON into one flat, read-only
 * document: every value in an array in text order, every string in one block. Reading a
 * 500-record pull page into json-glib's tree and freeing it again (a node, a hash table and
 * several allocations per member) was two fifths of a first sync's instructions; this
 * document is two allocations whatever the text holds.
 *
 * What it refuses is listed at the top of koers-json-doc.c. koers-json-parser.h makes a
 * json-glib tree from a document for code that wants one.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define KOERS_JSON_PARSER_ERROR (koers_json_parser_error_quark ())

typedef enum {
  KOERS_JSON_PARSER_ERROR_SYNTAX,   /* not JSON text by RFC 8259's grammar */
  KOERS_JSON_PARSER_ERROR_ENCODING, /* not UTF-8, or a \u escape that is no character */
  KOERS_JSON_PARSER_ERROR_RANGE,    /* an integer outside 64 bits, a number beyond a double */
  KOERS_JSON_PARSER_ERROR_DEPTH,    /* nested deeper than allowed */
  KOERS_JSON_PARSER_ERROR_REPEATED, /* a member name twice in one object */
} KoersJsonParserError;

GQuark koers_json_parser_error_quark (void);

typedef enum {
  KOERS_JSON_NULL,
  KOERS_JSON_BOOLEAN,
  KOERS_JSON_INTEGER,   /* no fraction and no exponent; fits in 64 bits */
  KOERS_JSON_DOUBLE,    /* any other number */
  KOERS_JSON_STRING,
  KOERS_JSON_OBJECT,
  KOERS_JSON_ARRAY,
} KoersJsonKind;

typedef struct _KoersJsonDoc KoersJsonDoc;

/* A value in a document: its index. The root is 0; KOERS_JSON_NONE is "no such value". */
typedef guint KoersJsonRef;
#define KOERS_JSON_NONE G_MAXUINT

KoersJsonDoc *koers_json_doc_parse        (GBytes       *text,
                                           guint         max_depth,
                                           GError      **error);
KoersJsonDoc *koers_json_doc_ref          (KoersJsonDoc *doc);
void          koers_json_doc_unref        (KoersJsonDoc *doc);

KoersJsonKind koers_json_doc_kind         (KoersJsonDoc *doc,
                                           KoersJsonRef  value);
guint         koers_json_doc_size         (KoersJsonDoc *doc,
                                           KoersJsonRef  value);
KoersJsonRef  koers_json_doc_first        (KoersJsonDoc *doc,
                                           KoersJsonRef  container);
KoersJsonRef  koers_json_doc_next         (KoersJsonDoc *doc,
                                           KoersJsonRef  value);
const char   *koers_json_doc_name         (KoersJsonDoc *doc,
                                           KoersJsonRef  member);
KoersJsonRef  koers_json_doc_member       (KoersJsonDoc *doc,
                                           KoersJsonRef  object,
                                           const char   *name);

const char   *koers_json_doc_get_string   (KoersJsonDoc *doc,
                                           KoersJsonRef  value);
gint64        koers_json_doc_get_int      (KoersJsonDoc *doc,
                                           KoersJsonRef  value);
double        koers_json_doc_get_double   (KoersJsonDoc *doc,
                                           KoersJsonRef  value);
gboolean      koers_json_doc_get_boolean  (KoersJsonDoc *doc,
                                           KoersJsonRef  value);
const char   *koers_json_doc_compact_text (KoersJsonDoc *doc,
                                           KoersJsonRef  object,
                                           gsize        *out_length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersJsonDoc, koers_json_doc_unref)

G_END_DECLS
