#!/usr/bin/env bash
# test.sh EXE: checks the Windows build without Windows. EXE is the
# licensedesk.exe from `fyne package -os windows`; the installer is rebuilt
# around it here, signed with a throw-away self-signed certificate, so the
# signing path is exercised without the real certificate.
#   licensedesk.exe: PE32+ x86-64, GUI subsystem, icon, version resource.
#   installer: builds, is signed, `osslsigncode verify` accepts its signature
#   against the throw-away certificate, and it holds the signed program.
#   Under Wine, per user and per machine: installs, the installed program
#   prints its version and checks emulated Grafana instances on loopback as
#   a scheduled task would, and it uninstalls cleanly.
set -euo pipefail
exe=${1:?usage: test.sh EXE}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=packaging/version.sh
. "$here/../version.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/licensedesk-wintest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }
objdump=x86_64-w64-mingw32-objdump

[ -f "$exe" ] || fail "no $exe: run make package-windows"
check_pe() { # FILE FORMAT: a GUI program (no console window) of that format
  $objdump -p "$1" > "$tmp/pe"
  grep -q "file format $2" "$tmp/pe" || fail "$(basename "$1") is not $2: $(grep 'file format' "$tmp/pe")"
  grep -Eq '^Subsystem[[:space:]]+00000002' "$tmp/pe" || fail "$(basename "$1") is not a GUI-subsystem program: $(grep Subsystem "$tmp/pe")"
}
check_pe "$exe" pei-x86-64
wrestool -l "$exe" > "$tmp/res"
grep -q -- '--type=14' "$tmp/res" || fail "licensedesk.exe has no icon group resource"
grep -q -- '--type=16' "$tmp/res" || fail "licensedesk.exe has no version resource"
strings -el "$exe" | grep -Fxq "$VERSION.$BUILD" || fail "the version resource does not say $VERSION.$BUILD"
ok "licensedesk.exe: x86-64, GUI subsystem, icon and version $VERSION.$BUILD resources"

# A throw-away code-signing certificate, valid for a day, never stored.
openssl req -x509 -newkey rsa:3072 -sha256 -days 1 -nodes -subj "/CN=Licensedesk test signing" \
  -addext "keyUsage=critical,digitalSignature" -addext "extendedKeyUsage=codeSigning" \
  -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null
pass=$(openssl rand -hex 16)
openssl pkcs12 -export -inkey "$tmp/key.pem" -in "$tmp/cert.pem" -passout "pass:$pass" -out "$tmp/sign.p12"

SIGN_PKCS12="$tmp/sign.p12" SIGN_PASSWORD="$pass" "$here/installer.sh" "$exe" "$tmp/out" | tee "$tmp/log"
setup="$tmp/out/licensedesk-$VERSION-windows-amd64-setup.exe"
[ -f "$setup" ] || fail "the installer was not written"
# Program, uninstaller (signed by makensis through !uninstfinalize), installer.
[ "$(grep -c '^signed ' "$tmp/log")" -eq 3 ] || fail "expected 3 signatures (program, uninstaller, installer), the log shows: $(grep '^signed ' "$tmp/log" | tr '\n' ' ')"
check_pe "$setup" pei-i386
strings -el "$setup" | grep -Fxq "$VERSION.$BUILD" || fail "the installer's version resource does not say $VERSION.$BUILD"

verify() { # FILE: the Authenticode signature is intact and chains to the throw-away certificate
  osslsigncode verify -CAfile "$tmp/cert.pem" -in "$1" > "$tmp/verify" 2>&1 ||
    { cat "$tmp/verify"; fail "osslsigncode verify rejects $(basename "$1")"; }
  grep -q 'Signature verification: ok' "$tmp/verify" || { cat "$tmp/verify"; fail "no good signature on $(basename "$1")"; }
  grep -q 'CN=Licensedesk test signing' "$tmp/verify" || fail "$(basename "$1") is signed by someone else"
}
verify "$setup"
ok "installer signed; osslsigncode verify accepts it"

# What the installer unpacks: the signed program, identical to the one built.
7z x -y -o"$tmp/x" "$setup" > /dev/null || fail "7z cannot open the installer"
[ -f "$tmp/x/licensedesk.exe" ] || fail "the installer does not contain licensedesk.exe: $(cd "$tmp/x" && find . -type f)"
verify "$tmp/x/licensedesk.exe"
[ -f "$tmp/x/uninstall.exe" ] || fail "the installer does not contain its uninstaller"
cmp -s "$tmp/x/licensedesk.ico" "$here/../../assets/icon.ico" || fail "the installer does not ship assets/icon.ico for its shortcut"
verify "$tmp/x/uninstall.exe"
# Without its signature the program is the one built, but for the PE checksum
# (bytes 217-220, counting from 1), which signing updates.
osslsigncode remove-signature -in "$tmp/x/licensedesk.exe" -out "$tmp/unsigned.exe" >/dev/null
if [ "$(stat -c %s "$tmp/unsigned.exe")" != "$(stat -c %s "$exe")" ] ||
  [ -n "$(cmp -l "$tmp/unsigned.exe" "$exe" | awk '$1 < 217 || $1 > 220')" ]; then
  fail "the program in the installer is not the one built"
fi
ok "installer holds the signed licensedesk.exe built from $exe and a signed uninstaller"

# Unsigned path: without a certificate the installer still builds, unsigned.
env -u SIGN_PKCS12 -u SIGN_PASSWORD "$here/installer.sh" "$exe" "$tmp/unsigned" > /dev/null
! osslsigncode verify -in "$tmp/unsigned/$(basename "$setup")" > /dev/null 2>&1 || fail "the unsigned build carries a signature"
ok "without SIGN_PKCS12/SIGN_PASSWORD the installer builds unsigned"
# Install, run and uninstall for real under Wine, per user and per machine.
# This Wine runs 64-bit programs only, so the same script is built on NSIS's
# amd64 stub. Go programs load bcryptprimitives.dll, which Wine 8 lacks, so
# the prefix gets the shim in bcryptprimitives.c (never shipped). No X
# display is needed: the program runs only headless verbs here.
export WINEPREFIX="$tmp/wine" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=;bcryptprimitives=n"
unset LICENSEDESK_CONFIG # the program must find its instance list where Windows keeps it
fleet_pid=
trap '[ -z "$fleet_pid" ] || kill "$fleet_pid" 2>/dev/null || true; wineserver -k 2>/dev/null || true; rm -rf "$tmp"' EXIT
NSIS_TARGET=amd64-unicode "$here/installer.sh" "$exe" "$tmp/wine-setup" > /dev/null
setup64="$tmp/wine-setup/$(basename "$setup")"
timeout 300 wine wineboot --init > /dev/null 2>&1 || fail "wineboot failed"
c="$WINEPREFIX/drive_c"
x86_64-w64-mingw32-gcc -shared -O2 -o "$c/windows/system32/bcryptprimitives.dll" "$here/bcryptprimitives.c" -ladvapi32 ||
  fail "cannot build the bcryptprimitives.dll shim"
# Three emulated Grafana instances on loopback (bench/grafanafleet), the third
# license in its warning period, listed in the Wine user's default instance
# list (%AppData%\licensedesk\instances.json), the password in a variable.
(cd "$here/../.." && go build -o "$tmp/grafanafleet" ./bench/grafanafleet)
config_dir="$c/users/$(id -un)/AppData/Roaming/licensedesk"
mkdir -p "$config_dir"
"$tmp/grafanafleet" -n 3 -config "$config_dir/instances.json" > "$tmp/fleet.log" 2>&1 & fleet_pid=$!
for _ in $(seq 1 100); do grep -qx ready "$tmp/fleet.log" && break; sleep 0.1; done
grep -qx ready "$tmp/fleet.log" || fail "the Grafana emulators did not start: $(cat "$tmp/fleet.log")"
export LICENSEDESK_FLEET_PASSWORD=admin # grafanatest's, no secret
user_dir="$c/users/$(id -un)/AppData/Local/Programs/Licensedesk"
user_lnk="$c/users/$(id -un)/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Licensedesk.lnk"
machine_dir="$c/Program Files/Licensedesk"
machine_lnk="$c/ProgramData/Microsoft/Windows/Start Menu/Programs/Licensedesk.lnk"
uninstall_key='Software\Microsoft\Windows\CurrentVersion\Uninstall\io.github.licensedesk'
for mode in CurrentUser AllUsers; do
  if [ $mode = CurrentUser ]; then dir=$user_dir lnk=$user_lnk hive=HKCU; else dir=$machine_dir lnk=$machine_lnk hive=HKLM; fi
  timeout 300 wine "$setup64" /S /$mode || fail "silent /$mode install failed"
  wineserver -w
  for f in licensedesk.exe licensedesk.ico uninstall.exe; do
    [ -f "$dir/$f" ] || fail "/$mode install did not put $f in ${dir#"$c/"}"
  done
  [ -f "$lnk" ] || fail "/$mode install made no Start-menu shortcut at ${lnk#"$c/"}"
  wine reg query "$hive\\$uninstall_key" /v DisplayVersion 2>/dev/null | tr -d '\r' | grep -q "REG_SZ *$VERSION\$" ||
    fail "/$mode install did not register version $VERSION under $hive for Apps & features"
  # The installed, windowed (GUI-subsystem) program prints to the pipes Wine
  # hands it as its standard handles, which it keeps, as it keeps a Windows
  # scheduled task's redirection; check exits like a monitoring plugin.
  out=$(timeout 120 wine "$dir/licensedesk.exe" --version 2> "$tmp/err") || fail "/$mode: --version exited $?: $(cat "$tmp/err")"
  [[ $out =~ $VERSION_LINE ]] || fail "/$mode: the installed licensedesk.exe --version said '$out', want 'licensedesk $VERSION (commit <hash>)'"
  rc=0
  timeout 300 wine "$dir/licensedesk.exe" check > "$tmp/check" 2> "$tmp/err" || rc=$?
  [ $rc -eq 1 ] || fail "/$mode: check exited $rc, want 1 (one instance in warning): $(cat "$tmp/check" "$tmp/err")"
  grep -Eq '^Fleet 003 \(fleet-003\) +warning +.*License expires in' "$tmp/check" &&
    grep -Eq '^Fleet 001 \(fleet-001\) +ok ' "$tmp/check" && grep -q '^1 warning, 2 ok — checked' "$tmp/check" ||
    fail "/$mode: check did not report fleet-003 in warning and the others ok: $(cat "$tmp/check")"
  ok "under Wine, /$mode: the installed program says '$out'; check exits 1: $(tail -n1 "$tmp/check")"
  uninstaller=$(wine reg query "$hive\\$uninstall_key" /v QuietUninstallString 2>/dev/null | tr -d '\r' |
    sed -n 's/.*REG_SZ *"\(.*\)" .*/\1/p')
  [ -n "$uninstaller" ] || fail "/$mode install registered no QuietUninstallString"
  timeout 300 wine "$uninstaller" /$mode /S || fail "/$mode uninstall failed"
  wineserver -w
  sleep 2 # the uninstaller finishes from a temporary copy of itself
  [ ! -e "$dir" ] || fail "/$mode uninstall left ${dir#"$c/"}: $(ls "$dir")"
  [ ! -e "$lnk" ] || fail "/$mode uninstall left the Start-menu shortcut"
  ! wine reg query "$hive\\$uninstall_key" > /dev/null 2>&1 || fail "/$mode uninstall left its $hive uninstall key"
  ok "under Wine, /$mode installs to ${dir#"$c/"} with a shortcut, and uninstalls cleanly"
done
echo "Windows package: all checks passed"
