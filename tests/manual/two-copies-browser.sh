#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Stands in for the system browser in two-copies.sh: logs in on the server's own form as
# DEMO_USER, as a person would, and hands the address the server redirects to to Koers, as a
# browser following the link would (GApplication::open in the copy that is waiting).
set -eu
url="$1"
echo "$(date +%T) browser opened $url" >> "$DEMO_DIR/browser.log"
query="${url#*\?}"
param () { echo "$query" | tr '&' '\n' | sed -n "s/^$1=//p"; }
location=$(curl -s -o /dev/null -D - -X POST "${url%%/oauth*}/oauth/autoriseren" \
  --data "client_id=$(param client_id)&redirect_uri=$(param redirect_uri)&code_challenge=$(param code_challenge)&code_challenge_method=S256&apparaat=$(param apparaat)&state=$(param state)" \
  --data-urlencode "gebruikersnaam=$DEMO_USER" --data-urlencode "wachtwoord=$DEMO_PASS" \
  | tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
echo "$(date +%T) redirected to ${location%%\?*}" >> "$DEMO_DIR/browser.log"
exec "$KOERS_BIN" "$location"
