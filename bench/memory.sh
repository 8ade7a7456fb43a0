#!/usr/bin/env bash
# memory.sh: resident size (VmRSS) of the Licensedesk window, idle, watching
# 9 and then 200 emulated Grafanas that run in a process of their own
# (bench/grafanafleet), against a minimal Fyne window built the same way
# (bench/minimalfyne). Each program runs alone in its own Xvfb display and
# D-Bus session with a throwaway HOME. Prints the figures and ratios;
# appends them to $BENCH_RESULTS when set. IDLE_S (default 20: reading 200
# instances at start takes a while on a busy machine) is how long each
# program runs before it is measured; LICENSEDESK_BIN measures an already
# built binary instead of building one.
set -euo pipefail
cd "$(dirname "$0")/.."
idle=${IDLE_S:-20}
for tool in Xvfb dbus-run-session; do
  command -v "$tool" >/dev/null || { echo "memory.sh: $tool is missing; run make deps" >&2; exit 1; }
done
work=$(mktemp -d)
fleet_pid=
cleanup() {
  [ -n "$fleet_pid" ] && kill "$fleet_pid" 2>/dev/null && wait "$fleet_pid" 2>/dev/null
  # Xvfb may still be writing its log as it ends: retry the clean-up once.
  rm -rf "$work" 2>/dev/null || { sleep 1; rm -rf "$work"; }
}
trap cleanup EXIT
flags=(-tags migrated_fynedo -trimpath)
bin=${LICENSEDESK_BIN:-$work/licensedesk}
[ -n "${LICENSEDESK_BIN:-}" ] || go build "${flags[@]}" -o "$bin" .
go build "${flags[@]}" -o "$work/minimalfyne" ./bench/minimalfyne
go build -trimpath -o "$work/grafanafleet" ./bench/grafanafleet

# rss PROGRAM ARGS...: runs it under a private Xvfb and D-Bus session, waits
# $idle seconds, then prints its VmRSS in KiB (the largest of three reads
# half a second apart, so a GC in the middle does not flatter it).
rss() {
  local home; home=$(mktemp -d -p "$work")
  mkdir -m700 "$home/run"
  local disp=:$((100 + RANDOM % 400))
  Xvfb "$disp" -screen 0 1280x800x24 -nolisten tcp >"$home/xvfb.log" 2>&1 &
  local xpid=$!
  sleep 1
  HOME=$home XDG_RUNTIME_DIR=$home/run XDG_CONFIG_HOME=$home/config XDG_DATA_HOME=$home/data \
    DISPLAY=$disp LANG=C.UTF-8 IDLE=$idle LICENSEDESK_FLEET_PASSWORD=admin \
    timeout $((idle + 30)) dbus-run-session -- bash -c '
      "$@" >"$HOME/app.log" 2>&1 & app=$!
      sleep "$IDLE"
      best=0
      for _ in 1 2 3; do
        kb=$(awk "/^VmRSS:/ {print \$2}" /proc/$app/status 2>/dev/null || echo 0)
        [ "${kb:-0}" -gt "$best" ] && best=$kb
        sleep 0.5
      done
      kill $app 2>/dev/null; wait $app 2>/dev/null || true
      echo "$best"
    ' rss "$@" 2>"$home/session.log" || { echo "memory.sh: $1 failed:" >&2; cat "$home/session.log" "$home/app.log" >&2; }
  kill "$xpid" 2>/dev/null; wait "$xpid" 2>/dev/null || true
}

# fleet N: the window's resident size watching N instances of the fleet.
fleet() {
  local n=$1 cfg="$work/fleet-$1/instances.json"
  mkdir -p "$(dirname "$cfg")"
  "$work/grafanafleet" -n "$n" -config "$cfg" >"$work/fleet-$n.log" 2>&1 &
  fleet_pid=$!
  for _ in $(seq 100); do grep -q ready "$work/fleet-$n.log" 2>/dev/null && break; sleep 0.1; done
  grep -q ready "$work/fleet-$n.log" || { echo "memory.sh: the fleet of $n did not start:" >&2; cat "$work/fleet-$n.log" >&2; exit 1; }
  rss "$bin" --config "$cfg"
  kill "$fleet_pid" 2>/dev/null; wait "$fleet_pid" 2>/dev/null || true
  fleet_pid=
}

min_kb=$(rss "$work/minimalfyne")
app9_kb=$(fleet 9)
app200_kb=$(fleet 200)
for kb in "$min_kb" "$app9_kb" "$app200_kb"; do
  if [ "${kb:-0}" -le 0 ]; then
    echo "memory.sh: a program did not stay up to be measured (minimal $min_kb, 9: $app9_kb, 200: $app200_kb KiB)" >&2
    exit 1
  fi
done
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
ratio() { awk -v a="$1" -v m="$min_kb" 'BEGIN { printf "%.2f", a / m }'; }
printf 'memory: resident size after %s s idle under Xvfb (software GL)\n' "$idle"
printf '  minimal Fyne window            %7s MiB\n' "$(mib "$min_kb")"
printf '  licensedesk, 9 instances       %7s MiB   %s×  (target ≤ 1.3×)\n' "$(mib "$app9_kb")" "$(ratio "$app9_kb")"
printf '  licensedesk, 200 instances     %7s MiB   %s×  (target ≤ 1.45×)\n' "$(mib "$app200_kb")" "$(ratio "$app200_kb")"
if [ -n "${BENCH_RESULTS:-}" ]; then
  {
    echo "memory.idle_s=$idle"
    echo "memory.minimal_kib=$min_kb"
    echo "memory.app9_kib=$app9_kb"
    echo "memory.ratio9=$(ratio "$app9_kb")"
    echo "memory.app200_kib=$app200_kb"
    echo "memory.ratio200=$(ratio "$app200_kb")"
  } >>"$BENCH_RESULTS"
fi
