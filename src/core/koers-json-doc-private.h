/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The document's layout, shared by its reader (koers-json-doc.c) and its accessors
 * (koers-json-doc-read.c).
 */
#pragma once

#include "core/koers-json-doc.h"

G_BEGIN_DECLS

enum {
  FLAG_LAST    = 1 << 0,    /* the last member or element of its container */
  FLAG_COMPACT = 1 << 1,    /* an object written as koers_sync_json_to_string() writes it */
};

typedef struct {
  guint8  kind;
  guint8  flags;
  guint32 name;             /* offset of the member name in strings, or G_MAXUINT32 */
  guint32 next;             /* the index after this value and everything inside it */
  guint32 size;             /* members or elements */
  guint32 start, end;       /* a container's text: byte offsets */
  union {
    gint64   integer;
    double   number;
    guint32  string;        /* offset in strings */
    gboolean boolean;
  } u;
} KoersJsonSlot;

struct _KoersJsonDoc {
  gatomicrefcount ref;
  GBytes         *text;
  KoersJsonSlot          *values;
  guint           n_values;
  guint           n_allocated;
  char           *strings;
  gsize           strings_used;
};

G_END_DECLS
