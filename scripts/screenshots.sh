#!/usr/bin/env bash
# screenshots.sh BINARY: runs the demo under Xvfb (each shot in its own
# dbus-run-session with a throwaway HOME, under timeout) and writes the PNGs
# the README shows into assets/screenshots/.
set -euo pipefail
bin=$(realpath "${1:-./licensedesk}")
out=assets/screenshots
mkdir -p "$out"
shot() { # shot NAME [xdotool steps...]
  local name=$1; shift
  # The demo's first check notifies; dismiss the popup so it hides nothing.
  # The window opens a little smaller than the screen, centred: fill the
  # screen so the clicks below land where they aim.
  local keys=(--keys "exec --sync dunstctl close-all" --keys "search --name Licensedesk windowmove 0 0 windowsize 1280 800")
  for k in "$@"; do keys+=(--keys "$k"); done
  ./scripts/xshot.sh "$out/$name.png" --wait 6 "${keys[@]}" -- "$bin" --demo >/dev/null
  echo "screenshot: $out/$name.png"
}
# Pick an instance by typing its id into the filter box (Ctrl+F), then selecting
# the first row, which sits below the two-line demo note.
pick() { echo "key ctrl+f type $1"; echo "mousemove 200 219 click 1"; }
shot main-window
mapfile -t p < <(pick prod-eu);     shot healthy "${p[@]}"
mapfile -t p < <(pick prod-us);     shot warning "${p[@]}"
FYNE_THEME=light shot warning-light "${p[@]}"
mapfile -t p < <(pick dev-sandbox); shot failing "${p[@]}"
mapfile -t p < <(pick prod-eu);     shot remove-dialog "${p[@]}" "mousemove 915 235 click 1"
# What Grafana itself judges: each case's detail pane, scrolled (one wheel
# click a step) to the card that shows it.
scroll() { echo "mousemove 900 600 click --repeat $1 --delay 50 5"; }
mapfile -t p < <(pick trial-lab);      shot trial "${p[@]}" "$(scroll 10)"
mapfile -t p < <(pick support-portal); shot users-over-limit "${p[@]}" "$(scroll 40)"
mapfile -t p < <(pick edge-proxy);     shot renewal-stalled "${p[@]}" "$(scroll 18)"
mapfile -t p < <(pick aws-analytics);  shot aws-marketplace "${p[@]}"
mapfile -t p < <(pick prod-ha-b);      shot ha-stale-node "${p[@]}" "$(scroll 25)"
# Settings; and History after a Renew all (Remote Office, 2 s per answer, is
# newest; Escape closes its summary), stretched over the screen, with its newest row picked.
shot settings "mousemove 718 22 click 1"
shot history "mousemove 311 22 click 1" "sleep 4" "key Escape" "mousemove 620 22 click 1" \
  "search --name History windowsize %@ 1280 800" "mousemove 300 105 click 1"
