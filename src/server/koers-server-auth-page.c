/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "server/koers-server-auth-private.h"

/* The login page and the error page of /oauth/autoriseren. Dutch like the rest of the API;
 * no JavaScript (the CSP forbids scripts anyway); every value that came from the request is
 * HTML-escaped, inside attributes too (g_markup_escape_text escapes both quote kinds). */

static const char page_head[] =
  "<!DOCTYPE html>\n"
  "<html lang=\"nl\">\n"
  "<head>\n"
  "<meta charset=\"utf-8\">\n"
  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
  "<meta name=\"referrer\" content=\"no-referrer\">\n"
  "<title>";

static const char page_style[] =
  "</title>\n"
  "<style>\n"
  "body{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem;"
  "line-height:1.5;color:#1d1d1d;background:#fff}\n"
  "h1{font-size:1.5rem}\n"
  "label{display:block;margin-top:1rem;font-weight:600}\n"
  "input{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem;"
  "border:1px solid #555;border-radius:4px}\n"
  "input:focus,button:focus{outline:3px solid #1a5fb4;outline-offset:2px}\n"
  "button{margin-top:1.5rem;padding:.6rem 1.4rem;font-size:1rem;border:0;border-radius:4px;"
  "background:#1a5fb4;color:#fff}\n"
  ".melding{border-left:4px solid #a51d2d;background:#fbe9eb;padding:.5rem .75rem}\n"
  "</style>\n"
  "</head>\n"
  "<body>\n"
  "<main>\n";

static const char page_tail[] =
  "</main>\n"
  "</body>\n"
  "</html>\n";

static void
append_escaped (GString    *out,
                const char *text)
{
  g_autofree char *escaped = NULL;

  if (text == NULL)
    return;
  /* Invalid UTF-8 would make g_markup_escape_text complain; such input is replaced. */
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (text, -1);

      escaped = g_markup_escape_text (valid, -1);
    }
  else
    escaped = g_markup_escape_text (text, -1);
  g_string_append (out, escaped);
}

static void
append_hidden (GString    *out,
               const char *name,
               const char *value)
{
  if (value == NULL)
    return;
  g_string_append_printf (out, "<input type=\"hidden\" name=\"%s\" value=\"", name);
  append_escaped (out, value);
  g_string_append (out, "\">\n");
}

char *
koers_server_auth_render_login (const KoersAuthLoginForm *form,
                                const char               *message)
{
  GString *out = g_string_new (page_head);
  const char *described_by = message != NULL ? " aria-describedby=\"melding\"" : "";

  g_string_append (out, "Inloggen bij Koers");
  g_string_append (out, page_style);
  g_string_append (out, "<h1>Inloggen bij Koers</h1>\n");
  g_string_append (out, "<p>Log in met uw Koers-account om dit apparaat (");
  g_string_append (out, "<strong>");
  append_escaped (out, form->device_name != NULL ? form->device_name
                                                 : KOERS_AUTH_DEFAULT_DEVICE);
  g_string_append (out, "</strong>) toegang te geven tot uw gegevens.</p>\n");
  if (message != NULL)
    {
      g_string_append (out, "<p class=\"melding\" id=\"melding\" role=\"alert\">");
      append_escaped (out, message);
      g_string_append (out, "</p>\n");
    }
  g_string_append (out, "<form method=\"post\" action=\"/oauth/autoriseren\">\n");
  append_hidden (out, "client_id", form->client_id);
  append_hidden (out, "redirect_uri", form->redirect_uri);
  append_hidden (out, "state", form->state);
  append_hidden (out, "code_challenge", form->code_challenge);
  append_hidden (out, "code_challenge_method", "S256");
  append_hidden (out, "apparaat", form->device_name);
  g_string_append (out, "<label for=\"gebruikersnaam\">Gebruikersnaam</label>\n");
  g_string_append_printf (out,
                          "<input id=\"gebruikersnaam\" name=\"gebruikersnaam\" type=\"text\" "
                          "autocomplete=\"username\" autocapitalize=\"none\" "
                          "spellcheck=\"false\" required%s value=\"",
                          described_by);
  append_escaped (out, form->username);
  g_string_append (out, "\">\n");
  g_string_append (out, "<label for=\"wachtwoord\">Wachtwoord</label>\n");
  g_string_append_printf (out,
                          "<input id=\"wachtwoord\" name=\"wachtwoord\" type=\"password\" "
                          "autocomplete=\"current-password\" required%s>\n",
                          described_by);
  g_string_append (out, "<button type=\"submit\">Inloggen</button>\n");
  g_string_append (out, "</form>\n");
  g_string_append (out, page_tail);
  return g_string_free (out, FALSE);
}

char *
koers_server_auth_render_error_page (const char *title,
                                     const char *message)
{
  GString *out = g_string_new (page_head);

  append_escaped (out, title);
  g_string_append (out, page_style);
  g_string_append (out, "<h1>");
  append_escaped (out, title);
  g_string_append (out, "</h1>\n<p class=\"melding\" role=\"alert\">");
  append_escaped (out, message);
  g_string_append (out, "</p>\n");
  g_string_append (out, page_tail);
  return g_string_free (out, FALSE);
}
