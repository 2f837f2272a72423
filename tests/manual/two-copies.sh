#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Starts one copy of Koers for the "two copies on one machine" check of the sync issue (see
# README.md here): its own home, data, settings and keyring, its own D-Bus session (so it is
# an application instance of its own), and a stand-in browser that signs in as USER.
#
#   two-copies.sh DIR N USER PASSWORD        (BUILD=path/to/_build, default ./_build)
set -eu
[ $# -eq 4 ] || { echo "usage: $0 DIR N USER PASSWORD" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${BUILD:-_build}" && pwd)
export DEMO_DIR="$1" DEMO_USER="$3" DEMO_PASS="$4" KOERS_BIN="$build/src/koers"
copy="$DEMO_DIR/copy$2"
mkdir -p "$copy/home" "$copy/data/applications" "$copy/config" "$copy/cache" "$copy/state" \
         "$copy/runtime"
chmod 700 "$copy/runtime"
export HOME="$copy/home" XDG_DATA_HOME="$copy/data" XDG_CONFIG_HOME="$copy/config" \
       XDG_CACHE_HOME="$copy/cache" XDG_STATE_HOME="$copy/state" XDG_RUNTIME_DIR="$copy/runtime"
cat > "$copy/data/applications/demo-browser.desktop" <<DESKTOP
[Desktop Entry]
Type=Application
Name=Demo browser
Exec=$here/two-copies-browser.sh %u
MimeType=x-scheme-handler/http;x-scheme-handler/https;
NoDisplay=true
DESKTOP
printf '[Default Applications]\nx-scheme-handler/http=demo-browser.desktop\nx-scheme-handler/https=demo-browser.desktop\n' \
  > "$copy/config/mimeapps.list"
export GSETTINGS_SCHEMA_DIR="$build/data" GSETTINGS_BACKEND=memory KOERS_LOCALEDIR="$build/po/locale"
export LANGUAGE="${DEMO_LANG:-nl}"
# A throwaway keyring per copy (its password protects nothing but this test).
exec dbus-run-session -- sh -c 'printf demo-keyring | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec "$KOERS_BIN"' \
  > "$copy/koers.log" 2>&1
