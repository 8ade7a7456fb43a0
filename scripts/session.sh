#!/usr/bin/env bash
# session.sh CMD...: runs CMD inside a private D-Bus session with a throwaway
# HOME, an unlocked gnome-keyring (a real Secret Service) and, when DISPLAY is
# unset, a private Xvfb display. Everything it starts ends with it.
set -euo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -m700 "$work/run"
export HOME="$work" XDG_RUNTIME_DIR="$work/run" XDG_CONFIG_HOME="$work/config" \
  XDG_DATA_HOME="$work/data" XDG_CACHE_HOME="${XDG_CACHE_HOME:-$HOME/.cache}" \
  GOCACHE="$(go env GOCACHE)" GOMODCACHE="$(go env GOMODCACHE)" GOPATH="$(go env GOPATH)"
inner='
set -e
if [ -z "${DISPLAY:-}" ]; then
  disp=:$((100 + RANDOM % 400))
  Xvfb $disp -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
  xpid=$!
  trap "kill $xpid 2>/dev/null" EXIT
  export DISPLAY=$disp
  sleep 1
fi
eval "$(printf "" | gnome-keyring-daemon --unlock --components=secrets)" >/dev/null
export LICENSEDESK_SECRET_SERVICE=1
"$@"
'
exec dbus-run-session -- bash -c "$inner" session "$@"
