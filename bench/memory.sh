#!/usr/bin/env bash
# memory.sh: resident size (VmRSS) of `licensedesk --demo`, idle, against a
# minimal Fyne window built the same way (bench/minimalfyne), each in its own
# Xvfb display and D-Bus session with a throwaway HOME. Prints both and their
# ratio; appends them to $BENCH_RESULTS when set. IDLE_S (default 6) is how
# long each program runs before it is measured; LICENSEDESK_BIN measures an
# already built binary instead of building one.
set -euo pipefail
cd "$(dirname "$0")/.."
idle=${IDLE_S:-6}
for tool in Xvfb dbus-run-session; do
  command -v "$tool" >/dev/null || { echo "memory.sh: $tool is missing; run make deps" >&2; exit 1; }
done
work=$(mktemp -d)
# Xvfb may still be writing its log as it ends: retry the clean-up once.
trap 'rm -rf "$work" 2>/dev/null || { sleep 1; rm -rf "$work"; }' EXIT
flags=(-tags migrated_fynedo -trimpath)
bin=${LICENSEDESK_BIN:-$work/licensedesk}
[ -n "${LICENSEDESK_BIN:-}" ] || go build "${flags[@]}" -o "$bin" .
go build "${flags[@]}" -o "$work/minimalfyne" ./bench/minimalfyne

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
    DISPLAY=$disp LANG=C.UTF-8 IDLE=$idle timeout $((idle + 20)) dbus-run-session -- bash -c '
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

app_kb=$(rss "$bin" --demo)
min_kb=$(rss "$work/minimalfyne")
if [ "${app_kb:-0}" -le 0 ] || [ "${min_kb:-0}" -le 0 ]; then
  echo "memory.sh: a program did not stay up to be measured (licensedesk $app_kb KiB, minimal $min_kb KiB)" >&2
  exit 1
fi
ratio=$(awk -v a="$app_kb" -v m="$min_kb" 'BEGIN { printf "%.2f", a / m }')
printf 'memory: resident size after %s s idle under Xvfb (software GL)\n' "$idle"
printf '  licensedesk --demo  %7.1f MiB\n' "$(awk -v k="$app_kb" 'BEGIN { print k / 1024 }')"
printf '  minimal Fyne window %7.1f MiB   ratio %s×\n' "$(awk -v k="$min_kb" 'BEGIN { print k / 1024 }')" "$ratio"
if [ -n "${BENCH_RESULTS:-}" ]; then
  {
    echo "memory.idle_s=$idle"
    echo "memory.app_kib=$app_kb"
    echo "memory.minimal_kib=$min_kb"
    echo "memory.ratio=$ratio"
  } >>"$BENCH_RESULTS"
fi
