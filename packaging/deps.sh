#!/usr/bin/env bash
# Installs what the packaging targets need beyond scripts/deps.sh: the fyne CLI
# (pinned, into the repo-local build/bin, never the user's home), and on Debian
# or Ubuntu the tools that build and check the installers. Packages already
# present are left alone, so a second run costs nothing.
#
# usage: packaging/deps.sh [linux|windows|check-linux|check-windows|all]...   (default: all)
#   linux          dpkg-deb, dpkg-shlibdeps, xz      windows  mingw-w64, NSIS, osslsigncode
#   check-linux    lintian, desktop-file-validate    check-windows  wrestool, 7z, Wine, mingw-w64
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"

FYNE_TOOLS_VERSION=v1.7.4

want=("$@")
[ ${#want[@]} -gt 0 ] || want=(all)
pkgs=()
for w in "${want[@]}"; do
  case "$w" in
    linux) pkgs+=(dpkg-dev xz-utils) ;;
    windows) pkgs+=(gcc-mingw-w64-x86-64 nsis osslsigncode openssl) ;;
    check-linux) pkgs+=(lintian desktop-file-utils binutils file) ;;
    check-windows) pkgs+=(binutils icoutils p7zip-full binutils-mingw-w64-x86-64 gcc-mingw-w64-x86-64 wine wine64) ;;
    all) pkgs+=(dpkg-dev xz-utils gcc-mingw-w64-x86-64 nsis osslsigncode openssl
      lintian desktop-file-utils binutils file icoutils p7zip-full binutils-mingw-w64-x86-64 wine wine64) ;;
    *) echo "packaging/deps.sh: unknown group $w (linux, windows, check-linux, check-windows, all)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "packaging deps: installing ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The fyne CLI: installed once per checkout, rebuilt only when the pin changes.
bin="$PWD/build/bin"
stamp="$bin/.fyne-$FYNE_TOOLS_VERSION"
if [ ! -x "$bin/fyne" ] || [ ! -e "$stamp" ]; then
  echo "packaging deps: installing fyne $FYNE_TOOLS_VERSION into build/bin"
  mkdir -p "$bin"
  GOBIN="$bin" go install "fyne.io/tools/cmd/fyne@$FYNE_TOOLS_VERSION"
  rm -f "$bin"/.fyne-*
  touch "$stamp"
fi
