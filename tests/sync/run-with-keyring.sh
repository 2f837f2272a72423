#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs a test binary (and its arguments) against a real, headless GNOME Keyring that exists
# only for this run: a private D-Bus session (dbus-run-session), gnome-keyring-daemon with
# just the Secret Service component, and every XDG directory, HOME and XDG_RUNTIME_DIR in a
# temporary directory that is removed afterwards, so no real keyring is ever read or written.
#
# gnome-keyring 42 headless: `--unlock` reads a password from stdin and creates the "login"
# keyring with it when none exists, which also becomes the default collection. An empty
# password creates nothing (every store then wants a prompt), so a fixed test password is
# used; it protects nothing but this throwaway keyring.
set -eu

if ! command -v dbus-run-session >/dev/null 2>&1 \
   || ! command -v gnome-keyring-daemon >/dev/null 2>&1 \
   || ! command -v gdbus >/dev/null 2>&1; then
  echo "run-with-keyring: needs dbus-run-session, gnome-keyring-daemon and gdbus" \
       "(Debian: dbus, gnome-keyring, libglib2.0-bin)" >&2
  exit 1
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/koers-keyring-XXXXXX")
trap 'rm -rf "$dir"' EXIT
trap 'exit 1' INT TERM
mkdir -p "$dir/home" "$dir/data" "$dir/config" "$dir/cache" "$dir/state" "$dir/runtime"
chmod 700 "$dir/runtime"

export HOME="$dir/home"
export XDG_DATA_HOME="$dir/data"
export XDG_CONFIG_HOME="$dir/config"
export XDG_CACHE_HOME="$dir/cache"
export XDG_STATE_HOME="$dir/state"
export XDG_RUNTIME_DIR="$dir/runtime"
# The test refuses to touch a keyring unless it runs under this script.
export KOERS_TEST_KEYRING_DIR="$dir"
unset DISPLAY WAYLAND_DISPLAY GNOME_KEYRING_CONTROL

# Inside the private session: the keyring daemon runs without the test's G_DEBUG (its
# fatal-warnings would kill gnome-keyring 42, which warns "asked to register item ..., but
# it's already registered" each time an item is replaced). The daemon forks and claims its bus
# name a moment later; a call before that would have the bus activate a second daemon, which
# finds the first and quits without answering, so the test starts once the name is owned.
status=0
dbus-run-session -- sh -c '
  printf "%s" "koers-test-keyring" \
    | G_DEBUG= gnome-keyring-daemon --unlock --components=secrets >/dev/null || exit 1
  gdbus wait --session --timeout 20 org.freedesktop.secrets || exit 1
  exec "$@"
' run-with-keyring "$@" || status=$?
exit "$status"
