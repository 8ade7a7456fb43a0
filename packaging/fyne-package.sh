#!/usr/bin/env bash
# fyne-package.sh linux|windows|darwin OUTDIR: runs `fyne package --release`
# for the given OS and leaves its result in OUTDIR: Licensedesk.tar.xz for
# linux, licensedesk.exe (GUI subsystem, icon and version resource) and its
# console launcher licensedesk.com (packaging/windows/console) for windows,
# Licensedesk.app for darwin (on a Mac only).
#
# It packages the committed HEAD, so the commit that --version names is exactly
# what was built; PACKAGE_WORKTREE=1 takes the working tree as it is instead
# (tracked and new files), for trying out uncommitted changes. Either way fyne
# runs on a private copy: it writes into the source folder while it works (a
# metadata .go file, a .syso, the binary), which builds that others run
# meanwhile in the checkout must never see.
# The version and commit reach the binary through GOFLAGS, which fyne passes on
# to go build; the tags come from FyneApp.toml (migrated_fynedo) and --release.
set -euo pipefail
usage="usage: fyne-package.sh linux|windows|darwin OUTDIR"
os=${1:?$usage}
out=${2:?$usage}
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=packaging/version.sh
. "$root/packaging/version.sh"
export PATH="$PATH:/usr/local/go/bin"
fyne="$root/build/bin/fyne"
[ -f "$fyne" ] || fyne="$fyne.exe"
[ -f "$fyne" ] || fyne=$(command -v fyne) || { echo "fyne CLI missing: run packaging/deps.sh" >&2; exit 1; }

mkdir -p "$out"
out=$(cd "$out" && pwd)
stage=$(mktemp -d "${TMPDIR:-/tmp}/licensedesk-src.XXXXXX")
trap 'rm -rf "$stage"' EXIT
if [ "${PACKAGE_WORKTREE:-0}" = 1 ]; then
  git -C "$root" ls-files -z -co --exclude-standard |
    (cd "$root" && while IFS= read -r -d '' f; do [ -f "$f" ] && printf '%s\0' "$f"; done) |
    tar -C "$root" --null -T - -cf - | tar -C "$stage" -xf -
  COMMIT="$COMMIT-dirty"
  GOFLAGS_LDFLAGS="-ldflags=-X=$MODULE/app.Version=$VERSION -ldflags=-X=$MODULE/app.Commit=$COMMIT"
else
  git -C "$root" archive --format=tar HEAD | tar -C "$stage" -xf -
fi

# fyne is a native program: on Windows (Git Bash) it wants a Windows path.
src=$stage
command -v cygpath >/dev/null && src=$(cygpath -m "$stage")
export GOFLAGS="${GOFLAGS:+$GOFLAGS }$GOFLAGS_LDFLAGS"
echo "fyne package: $os, version $VERSION build $BUILD, commit $COMMIT"
case "$os" in
  linux)
    # Position-independent, as Debian's hardening policy (and lintian) expects.
    export GOFLAGS="$GOFLAGS -buildmode=pie"
    (cd "$out" && "$fyne" package -os linux --release --src "$src")
    ;;
  windows)
    if [ "$(go env GOHOSTOS)" != windows ]; then
      export CC=${CC:-x86_64-w64-mingw32-gcc} CXX=${CXX:-x86_64-w64-mingw32-g++}
    fi
    export GOARCH=${GOARCH:-amd64}
    # fyne builds a Windows program twice, the second time with the icon and
    # version resource, and its first build takes -ldflags out of GOFLAGS for
    # good, so the program shipped would say "licensedesk dev (commit
    # unknown)" (fyne-io/tools#17). Naming an existing executable skips the
    # first build; this empty placeholder is overwritten by the second.
    : > "$stage/Licensedesk.exe"
    (cd "$out" && "$fyne" package -os windows --release --src "$src" --executable "$src/Licensedesk.exe")
    # fyne names the result after the app's display name, in the source folder.
    mv -f "$stage/Licensedesk.exe" "$out/licensedesk.exe"
    # The console launcher: plain Go, no cgo, a console-subsystem program
    # that cmd.exe and PowerShell wait for (packaging/windows/console).
    com="$out/licensedesk.com"
    command -v cygpath >/dev/null && com=$(cygpath -m "$com")
    (cd "$stage" && CGO_ENABLED=0 GOOS=windows go build -trimpath -ldflags "-s -w" \
      -o "$com" ./packaging/windows/console)
    ;;
  darwin)
    rm -rf "$out/Licensedesk.app"
    (cd "$out" && "$fyne" package -os darwin --release --src "$src")
    ;;
  *) echo "fyne-package.sh: unknown OS $os (linux, windows or darwin)" >&2; exit 2 ;;
esac
