/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The audit trail's participant lists on SQLite: two SQL functions and an FTS5 tokenizer
 * (koers-server-sqlite-lists.h says what each does; koers-server-schema.c, versions 4 and 5,
 * where they are used). */
#include "config.h"

#include "server/koers-server-sqlite-lists.h"
#include "core/koers-uuid.h"

/* SQLite's headers in Debian 12 do not carry fts5.h. What follows is the part of the
 * extension interface this file uses, as https://sqlite.org/fts5.html ("Extending FTS5")
 * documents it: a stable interface, version 2 since SQLite 3.9. */
typedef struct Fts5Tokenizer Fts5Tokenizer;
typedef int (*Fts5TokenFunc) (void *context, int token_flags, const char *token, int n_token,
                              int start, int end);
typedef struct {
  int  (*xCreate) (void *user_data, const char **args, int n_args, Fts5Tokenizer **out);
  void (*xDelete) (Fts5Tokenizer *tokenizer);
  int  (*xTokenize) (Fts5Tokenizer *tokenizer, void *context, int flags, const char *text,
                     int n_text, Fts5TokenFunc token_func);
} Fts5TokenizerClass;
typedef struct Fts5Api Fts5Api;
struct Fts5Api {
  int   iVersion;
  int  (*xCreateTokenizer) (Fts5Api *api, const char *name, void *user_data,
                            Fts5TokenizerClass *tokenizer, void (*destroy) (void *));
  void (*xFindTokenizer) (void);    /* not used here */
  void (*xCreateFunction) (void);   /* not used here */
};
#define FTS5_TOKENIZE_QUERY    0x0001
#define FTS5_TOKENIZE_DOCUMENT 0x0004

#define ID_BYTES     16
#define ID_TEXT      36
#define ID_TOKEN     22   /* 128 bits, six to a character */

/* ---- koers_uuid_list and koers_uuid_list_pack ------------------------------------------- */

static void
uuid_list_text_cb (sqlite3_context *context, int n_args, sqlite3_value **args)
{
  const guint8 *bytes;
  gsize n_ids, length;
  char *text;

  if (sqlite3_value_type (args[0]) != SQLITE_BLOB)
    {
      sqlite3_result_value (context, args[0]);
      return;
    }
  bytes = sqlite3_value_blob (args[0]);
  n_ids = (gsize) sqlite3_value_bytes (args[0]) / ID_BYTES;
  if ((gsize) sqlite3_value_bytes (args[0]) % ID_BYTES != 0)
    {
      sqlite3_result_error (context, "koers_uuid_list: not a list of ids", -1);
      return;
    }
  if (bytes == NULL && n_ids > 0)
    {
      sqlite3_result_error_nomem (context);
      return;
    }
  length = KOERS_UUID_LIST_TEXT_LENGTH (n_ids);
  text = sqlite3_malloc64 (length + 1);
  if (text == NULL)
    {
      sqlite3_result_error_nomem (context);
      return;
    }
  koers_uuid_format_list (bytes, n_ids, text);
  text[length] = '\0';
  sqlite3_result_text64 (context, text, length, sqlite3_free, SQLITE_UTF8);
}

static void
uuid_list_pack_cb (sqlite3_context *context, int n_args, sqlite3_value **args)
{
  const char *text;
  gsize length, n_ids;
  guint8 *bytes;

  switch (sqlite3_value_type (args[0]))
    {
    case SQLITE_NULL:
      sqlite3_result_null (context);
      return;
    case SQLITE_BLOB:
      /* Packed already (the index's triggers pack whatever the table holds). */
      length = (gsize) sqlite3_value_bytes (args[0]);
      if (length == 0 || length % ID_BYTES != 0)
        sqlite3_result_error (context, "koers_uuid_list_pack: not a list of ids", -1);
      else
        sqlite3_result_value (context, args[0]);
      return;
    default:
      break;
    }
  text = (const char *) sqlite3_value_text (args[0]);
  length = (gsize) sqlite3_value_bytes (args[0]);
  n_ids = (length + 1) / (ID_TEXT + 1);
  if (text == NULL || length == 0 || (length + 1) % (ID_TEXT + 1) != 0)
    {
      sqlite3_result_error (context, "koers_uuid_list_pack: not a list of ids", -1);
      return;
    }
  bytes = sqlite3_malloc64 (n_ids * ID_BYTES);
  if (bytes == NULL)
    {
      sqlite3_result_error_nomem (context);
      return;
    }
  for (gsize i = 0; i < n_ids; i++)
    if (!koers_uuid_parse (text + (ID_TEXT + 1) * i, bytes + ID_BYTES * i)
        || (i + 1 < n_ids && text[(ID_TEXT + 1) * i + ID_TEXT] != ' '))
      {
        sqlite3_free (bytes);
        sqlite3_result_error (context, "koers_uuid_list_pack: not a list of ids", -1);
        return;
      }
  sqlite3_result_blob64 (context, bytes, n_ids * ID_BYTES, sqlite3_free);
}

/* ---- the "koers_ids" tokenizer ----------------------------------------------------------- */

/* Six bits a character from '0' (0x30) up to 'o' (0x6f): never a NUL (SQLite 3.40's FTS5
 * takes a term to its first NUL when it writes a segment), a space or a quote. */
static void
encode_token (const guint8 id[ID_BYTES], char token[ID_TOKEN])
{
  guint32 bits = 0;
  guint n_bits = 0, n_chars = 0;

  for (guint i = 0; i < ID_BYTES; i++)
    {
      bits = (bits << 8) | id[i];
      n_bits += 8;
      while (n_bits >= 6)
        {
          n_bits -= 6;
          token[n_chars++] = (char) ('0' + ((bits >> n_bits) & 0x3f));
        }
    }
  /* 128 = 21 x 6 + 2: the last two bits. */
  token[n_chars++] = (char) ('0' + ((bits << (6 - n_bits)) & 0x3f));
  g_assert (n_chars == ID_TOKEN);
}

/* A list as the table stores it (koers_uuid_list_pack): 16 bytes an id. */
static int
tokenize_list (void *context, const char *text, int n_text, Fts5TokenFunc token_func)
{
  char token[ID_TOKEN];
  int rc = SQLITE_OK;

  if (n_text % ID_BYTES != 0)
    return SQLITE_ERROR;
  for (int at = 0; at < n_text && rc == SQLITE_OK; at += ID_BYTES)
    {
      encode_token ((const guint8 *) text + at, token);
      rc = token_func (context, 0, token, ID_TOKEN, at, at + ID_BYTES);
    }
  return rc;
}

/* A query's phrase: ids as text, separated by spaces. Anything else is an error rather
 * than a search that quietly finds nothing. */
static int
tokenize_query (void *context, const char *text, int n_text, Fts5TokenFunc token_func)
{
  guint8 id[ID_BYTES];
  char token[ID_TOKEN];
  int at = 0, rc = SQLITE_OK;
  gboolean any = FALSE;

  while (rc == SQLITE_OK && at < n_text)
    {
      if (text[at] == ' ')
        {
          at++;
          continue;
        }
      if (n_text - at < ID_TEXT || !koers_uuid_parse (text + at, id)
          || (n_text - at > ID_TEXT && text[at + ID_TEXT] != ' '))
        return SQLITE_ERROR;
      encode_token (id, token);
      rc = token_func (context, 0, token, ID_TOKEN, at, at + ID_TEXT);
      at += ID_TEXT;
      any = TRUE;
    }
  /* An empty phrase would find nothing, quietly. */
  return rc == SQLITE_OK && !any ? SQLITE_ERROR : rc;
}

static int
ids_tokenize (Fts5Tokenizer *tokenizer, void *context, int flags, const char *text, int n_text,
              Fts5TokenFunc token_func)
{
  if (flags & FTS5_TOKENIZE_DOCUMENT)
    return tokenize_list (context, text, n_text, token_func);
  if (flags & FTS5_TOKENIZE_QUERY)
    return tokenize_query (context, text, n_text, token_func);
  /* Auxiliary functions (highlight, snippet) have no text to show: the index keeps none. */
  return SQLITE_ERROR;
}

static int
ids_create (void *user_data, const char **args, int n_args, Fts5Tokenizer **out)
{
  static int the_tokenizer;

  if (n_args != 0)
    return SQLITE_ERROR;
  /* No state: any pointer that is not NULL will do. */
  *out = (Fts5Tokenizer *) &the_tokenizer;
  return SQLITE_OK;
}

static void
ids_delete (Fts5Tokenizer *tokenizer)
{
}

static Fts5TokenizerClass ids_tokenizer = {
  .xCreate = ids_create,
  .xDelete = ids_delete,
  .xTokenize = ids_tokenize,
};

/* FTS5 hands out its interface through a pointer bound to "SELECT fts5(?1)". */
static Fts5Api *
find_fts5 (sqlite3 *handle)
{
  Fts5Api *api = NULL;
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (handle, "SELECT fts5 (?1)", -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  sqlite3_bind_pointer (stmt, 1, (void *) &api, "fts5_api_ptr", NULL);
  sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  return api != NULL && api->iVersion >= 2 ? api : NULL;
}

int
koers_server_sqlite_add_list_functions (sqlite3 *handle)
{
  const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
  Fts5Api *fts5;
  int rc;

  g_return_val_if_fail (handle != NULL, SQLITE_MISUSE);

  rc = sqlite3_create_function_v2 (handle, "koers_uuid_list", 1, flags, NULL,
                                   uuid_list_text_cb, NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_create_function_v2 (handle, "koers_uuid_list_pack", 1, flags, NULL,
                                     uuid_list_pack_cb, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    return rc;
  fts5 = find_fts5 (handle);
  if (fts5 == NULL)
    return SQLITE_ERROR;
  return fts5->xCreateTokenizer (fts5, "koers_ids", NULL, &ids_tokenizer, NULL);
}
