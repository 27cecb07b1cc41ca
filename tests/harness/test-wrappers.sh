#!/bin/sh
# test-wrappers.sh: proves run-with-keyring and run-under-xvfb set up what they promise
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Run as: run-with-keyring run-under-xvfb test-wrappers.sh

set -eu

fail () {
  echo "FAIL: $*" >&2
  exit 1
}

# Xvfb: a display whose socket exists, and GTK pointed at it.
[ -n "${DISPLAY:-}" ] || fail "DISPLAY is not set"
[ -S "/tmp/.X11-unix/X${DISPLAY#:}" ] || fail "no X socket for $DISPLAY"
[ "$GDK_BACKEND" = x11 ] || fail "GDK_BACKEND=$GDK_BACKEND"
[ "$GSK_RENDERER" = cairo ] || fail "GSK_RENDERER=$GSK_RENDERER"
[ "$GDK_DEBUG" = gl-disable ] || fail "GDK_DEBUG=$GDK_DEBUG"
[ "$GSETTINGS_BACKEND" = memory ] || fail "GSETTINGS_BACKEND=$GSETTINGS_BACKEND"
case "$HOME" in
  */ms-xvfb-*) ;;
  *) fail "HOME=$HOME is not private" ;;
esac
for dir in "$XDG_CACHE_HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"; do
  [ -d "$dir" ] || fail "$dir does not exist"
done

# Keyring: the Secret Service stores, finds and deletes a secret, and the
# login collection is unlocked (no prompt could ever be answered here).
[ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] || fail "no session bus"
value="wrapper-test-$$ ü \" \\"
printf '%s' "$value" | secret-tool store --label="wrapper test" ms-wrapper-test "$$"
[ "$(secret-tool lookup ms-wrapper-test "$$")" = "$value" ] || fail "lookup returned another value"
secret-tool clear ms-wrapper-test "$$"
[ -z "$(secret-tool lookup ms-wrapper-test "$$" || true)" ] || fail "clear did not delete"
locked=$(gdbus call --session --dest org.freedesktop.secrets \
           --object-path /org/freedesktop/secrets/collection/login \
           --method org.freedesktop.DBus.Properties.Get \
           org.freedesktop.Secret.Collection Locked)
[ "$locked" = "(<false>,)" ] || fail "login collection Locked=$locked"

echo "wrappers ok: DISPLAY=$DISPLAY, Secret Service unlocked"
