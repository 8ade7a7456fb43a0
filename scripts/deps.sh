#!/usr/bin/env bash
# Installs, on Debian or Ubuntu, what building and testing Licensedesk needs and
# a fresh machine may lack: Fyne's cgo libraries, Xvfb, D-Bus, gnome-keyring,
# a notification daemon, Prometheus with Alertmanager (promtool checks the
# alert rules; the fleet-mode test runs both on loopback), and Wine with MinGW
# and Node.js for the tests of the Windows and macOS file dialogs (Wine shows
# the real Windows dialogs; Node.js runs the macOS panels' script). Packages
# already present are left alone.
set -euo pipefail
pkgs=(gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev
  libxinerama-dev libxi-dev libxxf86vm-dev xvfb xdotool imagemagick dbus dbus-x11
  gnome-keyring libsecret-tools dunst xauth prometheus prometheus-alertmanager
  wine wine64 gcc-mingw-w64-x86-64)
command -v node >/dev/null || pkgs+=(nodejs)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v go >/dev/null || { echo "deps: Go is not on PATH (expected /usr/local/go/bin)" >&2; exit 1; }
go mod download
