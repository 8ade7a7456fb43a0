#!/usr/bin/env bash
# installer.sh EXE OUTDIR: wraps EXE (from `fyne package -os windows`) and the
# licensedesk.com beside it (its console launcher, packaging/windows/console)
# in the NSIS installer OUTDIR/licensedesk-VERSION-windows-amd64-setup.exe.
# With SIGN_PKCS12 and SIGN_PASSWORD set, signs both programs, the uninstaller
# and the installer; without them, leaves all four unsigned and says so.
# NSIS_TARGET picks another NSIS stub (the Wine test uses amd64-unicode).
set -euo pipefail
exe=$(realpath "${1:?usage: installer.sh EXE OUTDIR}")
com=$(dirname "$exe")/licensedesk.com
[ -f "$com" ] || { echo "installer: no $com beside $exe: run packaging/fyne-package.sh windows" >&2; exit 1; }
out=${2:?usage: installer.sh EXE OUTDIR}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=packaging/version.sh
. "$root/packaging/version.sh"
mkdir -p "$out"
out=$(cd "$out" && pwd)
# makensis on Windows wants Windows paths; elsewhere paths pass unchanged.
native() { if command -v cygpath >/dev/null; then cygpath -m "$1"; else printf '%s' "$1"; fi; }
setup="$out/licensedesk-$VERSION-windows-amd64-setup.exe"

work=$(mktemp -d "${TMPDIR:-/tmp}/licensedesk-nsis.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp "$exe" "$work/licensedesk.exe"
cp "$com" "$work/licensedesk.com"
sign=()
if [ -n "${SIGN_PKCS12:-}" ] && [ -n "${SIGN_PASSWORD:-}" ]; then
  "$here/sign.sh" "$work/licensedesk.exe"
  "$here/sign.sh" "$work/licensedesk.com"
  # makensis runs this through the system shell once the uninstaller exists.
  sign=("-DSIGN_CMD=\"$(native "$BASH")\" \"$(native "$here/sign.sh")\" \"%1\"")
else
  echo "installer: SIGN_PKCS12/SIGN_PASSWORD not set, building an unsigned installer"
fi
makensis -V2 -NOCD "-DVERSION=$VERSION" "-DBUILD=$BUILD" "-DEXE=$(native "$work/licensedesk.exe")" \
  "-DCOM=$(native "$work/licensedesk.com")" \
  "-DICON=$(native "$root/assets/icon.ico")" "-DOUTFILE=$(native "$setup")" "${sign[@]}" ${NSIS_TARGET:+"-DTARGET=$NSIS_TARGET"} "$(native "$here/installer.nsi")"
[ ${#sign[@]} -eq 0 ] || "$here/sign.sh" "$setup"
echo "$setup"
