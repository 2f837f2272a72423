/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Reading a request as the specification allows it (If-Match, the query's keys and limits,
 * Accept, the route's pattern), and the ETag and Link headers an answer carries.
 */
#include "config.h"

#include "server/koers-server-http-private.h"

#include <string.h>

void
koers_server_http_set_etag (SoupServerMessage *msg,
                            gint64             version)
{
  g_autofree char *etag = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", version);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "ETag", etag);
}

gboolean
koers_server_http_parse_if_match (const char *value,
                                  gint64     *out_version)
{
  g_autofree char *copy = NULL;
  char *text;
  gsize length;
  guint64 version = 0;

  if (value == NULL)
    return FALSE;

  copy = g_strdup (value);
  text = g_strstrip (copy);
  length = strlen (text);
  if (length < 3 || text[0] != '"' || text[length - 1] != '"')
    return FALSE;

  text[length - 1] = '\0';
  text++;
  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &version, NULL))
    return FALSE;

  if (out_version != NULL)
    *out_version = (gint64) version;
  return TRUE;
}

const char *
koers_server_http_unknown_query_key (GHashTable         *query,
                                     const char * const *allowed)
{
  GHashTableIter iter;
  gpointer key;

  if (query == NULL)
    return NULL;

  g_hash_table_iter_init (&iter, query);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      if (allowed == NULL || !g_strv_contains (allowed, key))
        return key;
    }

  return NULL;
}

/* Decodes one half of a query pair as soup_form_decode() does ("+" is a space); NULL when it
 * does not decode (a bad or NUL escape). */
static char *
decode_query_part (const char *part)
{
  g_autofree char *spaced = g_strdup (part);

  g_strdelimit (spaced, "+", ' ');
  return g_uri_unescape_string (spaced, NULL);
}

char *
koers_server_http_ambiguous_query_key (const char  *raw,
                                       const char **out_reason)
{
  g_autoptr (GHashTable) seen = NULL;
  g_auto (GStrv) pairs = NULL;

  g_return_val_if_fail (out_reason != NULL, NULL);

  if (raw == NULL)
    return NULL;

  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  pairs = g_strsplit (raw, "&", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      const char *equals = strchr (pairs[i], '=');
      g_autofree char *name = NULL;
      g_autofree char *key = NULL;
      g_autofree char *value = NULL;

      /* "?&&" names nothing, as libsoup reads it. */
      if (pairs[i][0] == '\0')
        continue;
      name = equals != NULL ? g_strndup (pairs[i], equals - pairs[i]) : g_strdup (pairs[i]);
      key = decode_query_part (name);
      if (equals == NULL)
        {
          *out_reason = "moet een waarde hebben (naam=waarde)";
          return key != NULL ? g_steal_pointer (&key) : g_strdup ("query");
        }
      value = decode_query_part (equals + 1);
      if (key == NULL || value == NULL)
        {
          *out_reason = "is geen geldige URL-codering";
          return key != NULL ? g_steal_pointer (&key) : g_strdup ("query");
        }
      if (g_hash_table_contains (seen, key))
        {
          *out_reason = "mag maar één keer voorkomen";
          return g_steal_pointer (&key);
        }
      g_hash_table_add (seen, g_steal_pointer (&key));
    }

  return NULL;
}

gboolean
koers_server_http_parse_limit (GHashTable *query,
                               guint       fallback,
                               guint      *out_limit)
{
  const char *text = query != NULL ? g_hash_table_lookup (query, "limiet") : NULL;
  guint64 value = 0;

  if (text == NULL)
    {
      *out_limit = fallback;
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (text, 10, 1, KOERS_SERVER_LIMIT_MAX, &value, NULL))
    return FALSE;

  *out_limit = (guint) value;
  return TRUE;
}

void
koers_server_http_set_next_link (SoupServerMessage *msg,
                                 const char        *path,
                                 const char        *cursor_key,
                                 const char        *cursor,
                                 guint              limit,
                                 const char        *extra_key,
                                 const char        *extra_value)
{
  g_autofree char *escaped = g_uri_escape_string (cursor, NULL, FALSE);
  g_autoptr (GString) link = g_string_new (NULL);

  g_string_append_printf (link, "<%s?", path);
  if (extra_key != NULL && extra_value != NULL)
    {
      g_autofree char *value = g_uri_escape_string (extra_value, NULL, FALSE);

      g_string_append_printf (link, "%s=%s&", extra_key, value);
    }
  g_string_append_printf (link, "%s=%s&limiet=%u>; rel=\"next\"", cursor_key, escaped, limit);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Link",
                                link->str);
}

const char *
koers_server_http_query_get (KoersServerRequest *request,
                             const char         *key)
{
  g_return_val_if_fail (request != NULL, NULL);

  return request->query != NULL ? g_hash_table_lookup (request->query, key) : NULL;
}

/* ---- routing (koers-server.c) ----------------------------------------------------------- */

/* How well @pattern matches @segments: -1 no match, else the number of literal segments (a
 * literal such as "_zoek" beats "{id}"). *out_id gets the {id} segment. */
int
koers_server_http_match_pattern (const char  *pattern,
                                 char       **segments,
                                 const char **out_id)
{
  const char *part = pattern;
  int literals = 0;
  guint i;

  /* The pattern's parts are read where they stand: every request tries every route, and
   * splitting each pattern first was an allocation per part per route per request. */
  *out_id = NULL;
  if (*pattern == '\0')
    return -1;
  for (i = 0; segments[i] != NULL; i++)
    {
      const char *slash = strchr (part, '/');
      gsize length = slash != NULL ? (gsize) (slash - part) : strlen (part);

      if (length == 4 && strncmp (part, "{id}", 4) == 0)
        {
          if (segments[i][0] == '\0')
            return -1;
          *out_id = segments[i];
        }
      else if (strncmp (part, segments[i], length) == 0 && segments[i][length] == '\0')
        literals++;
      else
        return -1;
      if (slash == NULL)
        return segments[i + 1] == NULL ? literals : -1;
      part = slash + 1;
    }
  /* The path ended before the pattern. */
  return -1;
}

/* TRUE when the Accept header (nullable) allows a JSON answer. */
gboolean
koers_server_http_accepts_json (const char *accept)
{
  g_auto (GStrv) ranges = NULL;

  if (accept == NULL || *accept == '\0')
    return TRUE;

  ranges = g_strsplit (accept, ",", -1);
  for (guint i = 0; ranges[i] != NULL; i++)
    {
      g_auto (GStrv) params = g_strsplit (ranges[i], ";", -1);
      const char *type;
      gboolean refused = FALSE;

      /* An empty range ("a/b,,c", a trailing comma) splits into no parts at all: it names no
       * type, so it allows nothing. */
      if (params[0] == NULL)
        continue;
      type = g_strstrip (params[0]);
      for (guint j = 1; params[j] != NULL; j++)
        {
          const char *param = g_strstrip (params[j]);

          if (g_str_has_prefix (param, "q=") && g_ascii_strtod (param + 2, NULL) <= 0.0)
            refused = TRUE;
        }
      if (refused)
        continue;
      if (g_ascii_strcasecmp (type, "*/*") == 0
          || g_ascii_strcasecmp (type, "application/*") == 0
          || g_ascii_strcasecmp (type, "application/json") == 0
          || g_ascii_strcasecmp (type, "application/problem+json") == 0)
        return TRUE;
    }

  return FALSE;
}
