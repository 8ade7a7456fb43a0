#!/usr/bin/env bash
# session.sh CMD...: runs CMD inside a private D-Bus session with a throwaway
# HOME, an unlocked gnome-keyring (a real Secret Service) and, when DISPLAY is
# unset, a private Xvfb display. Everything it starts ends with it.
set -euo pipefail
for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
  command -v "$tool" >/dev/null || { echo "session.sh: $tool is missing; run make deps" >&2; exit 1; }
done
# Ask Go for its caches before HOME moves, so builds stay cached between runs.
gocache=$(go env GOCACHE) gomodcache=$(go env GOMODCACHE) gopath=$(go env GOPATH)
work=$(mktemp -d)
# Not exec: this shell stays to remove the throwaway HOME afterwards.
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -m700 "$work/run"
export HOME="$work" XDG_RUNTIME_DIR="$work/run" XDG_CONFIG_HOME="$work/config" \
  XDG_DATA_HOME="$work/data" GOCACHE="$gocache" GOMODCACHE="$gomodcache" GOPATH="$gopath"
unset DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL SSH_AUTH_SOCK
inner='
set -e
if [ -z "${DISPLAY:-}" ]; then
  # -displayfd: Xvfb picks a free display itself and writes its number once it
  # accepts clients, so parallel sessions never collide or race its start.
  fifo=$(mktemp -u); mkfifo "$fifo"
  Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$fifo" >/dev/null 2>&1 &
  xpid=$!
  trap "kill $xpid 2>/dev/null; rm -f $fifo" EXIT
  read -r -t 20 dnum <"$fifo" || { echo "session.sh: Xvfb did not start" >&2; exit 1; }
  export DISPLAY=:$dnum
fi
# A password on stdin makes the daemon create the "login" keyring, unlocked,
# and alias it as the default collection; an empty one creates nothing and
# every Secret Service call then waits on a prompt nobody can answer. The
# daemon leaves when the session bus does, at the end of dbus-run-session.
eval "$(printf "licensedesk-session" | gnome-keyring-daemon --unlock --components=secrets)" >/dev/null
# Wait for the daemon to own its name (asking NameHasOwner starts nothing,
# unlike a call to org.freedesktop.secrets, which would D-Bus-activate a
# second daemon), then check the default collection exists.
coll=
for _ in $(seq 50); do
  if dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q true; then
    coll=$(dbus-send --session --print-reply=literal --dest=org.freedesktop.secrets \
      /org/freedesktop/secrets org.freedesktop.Secret.Service.ReadAlias string:default 2>/dev/null || true)
    break
  fi
  sleep 0.1
done
case $coll in
  */collection/*) ;;
  *) echo "session.sh: gnome-keyring started without a default keyring (alias: ${coll:-none})" >&2; exit 1 ;;
esac
export LICENSEDESK_SECRET_SERVICE=1
"$@"
'
rc=0
dbus-run-session -- bash -c "$inner" session "$@" || rc=$?
exit $rc
