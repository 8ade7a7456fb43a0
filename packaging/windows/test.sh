#!/usr/bin/env bash
# test.sh EXE: checks the Windows build without Windows. EXE is the
# licensedesk.exe from `fyne package -os windows`, with licensedesk.com (its
# console launcher) beside it; the installer is rebuilt around them here,
# signed with a throw-away self-signed certificate, so the signing path is
# exercised without the real certificate.
#   licensedesk.exe: PE32+ x86-64, GUI subsystem, icon, version resource.
#   licensedesk.com: PE32+ x86-64, console subsystem.
#   installer: builds, is signed, `osslsigncode verify` accepts its signature
#   against the throw-away certificate, and it holds both signed programs.
#   Under Wine, per user and per machine: installs (twice), puts the install
#   folder on that hive's PATH once, the installed programs print the version
#   and check emulated Grafana instances on loopback as a scheduled task
#   would, `licensedesk` typed in an interactive cmd.exe is waited for (exit
#   code, a password prompt without echo), and it uninstalls cleanly, taking
#   only its own entry off PATH.
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
com=$(dirname "$exe")/licensedesk.com
[ -f "$com" ] || fail "no licensedesk.com beside $exe: run make package-windows"
check_pe() { # FILE FORMAT [SUBSYSTEM NAME]: a program of that format, by default a GUI one (2, no console window)
  $objdump -p "$1" > "$tmp/pe"
  grep -q "file format $2" "$tmp/pe" || fail "$(basename "$1") is not $2: $(grep 'file format' "$tmp/pe")"
  grep -Eq "^Subsystem[[:space:]]+0000000${3:-2}" "$tmp/pe" || fail "$(basename "$1") is not a ${4:-GUI}-subsystem program: $(grep Subsystem "$tmp/pe")"
}
check_pe "$exe" pei-x86-64
wrestool -l "$exe" > "$tmp/res"
grep -q -- '--type=14' "$tmp/res" || fail "licensedesk.exe has no icon group resource"
grep -q -- '--type=16' "$tmp/res" || fail "licensedesk.exe has no version resource"
strings -el "$exe" | grep -Fxq "$VERSION.$BUILD" || fail "the version resource does not say $VERSION.$BUILD"
ok "licensedesk.exe: x86-64, GUI subsystem, icon and version $VERSION.$BUILD resources"
check_pe "$com" pei-x86-64 3 console
ok "licensedesk.com: x86-64, console subsystem"

# A throw-away code-signing certificate, valid for a day, never stored.
openssl req -x509 -newkey rsa:3072 -sha256 -days 1 -nodes -subj "/CN=Licensedesk test signing" \
  -addext "keyUsage=critical,digitalSignature" -addext "extendedKeyUsage=codeSigning" \
  -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null
pass=$(openssl rand -hex 16)
openssl pkcs12 -export -inkey "$tmp/key.pem" -in "$tmp/cert.pem" -passout "pass:$pass" -out "$tmp/sign.p12"

SIGN_PKCS12="$tmp/sign.p12" SIGN_PASSWORD="$pass" "$here/installer.sh" "$exe" "$tmp/out" | tee "$tmp/log"
setup="$tmp/out/licensedesk-$VERSION-windows-amd64-setup.exe"
[ -f "$setup" ] || fail "the installer was not written"
# Program, launcher, uninstaller (signed by makensis through !uninstfinalize), installer.
[ "$(grep -c '^signed ' "$tmp/log")" -eq 4 ] || fail "expected 4 signatures (program, launcher, uninstaller, installer), the log shows: $(grep '^signed ' "$tmp/log" | tr '\n' ' ')"
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

# What the installer unpacks: the signed programs, identical to the ones built.
7z x -y -o"$tmp/x" "$setup" > /dev/null || fail "7z cannot open the installer"
for f in licensedesk.exe licensedesk.com; do
  [ -f "$tmp/x/$f" ] || fail "the installer does not contain $f: $(cd "$tmp/x" && find . -type f)"
  verify "$tmp/x/$f"
done
[ -f "$tmp/x/uninstall.exe" ] || fail "the installer does not contain its uninstaller"
cmp -s "$tmp/x/licensedesk.ico" "$here/../../assets/icon.ico" || fail "the installer does not ship assets/icon.ico for its shortcut"
verify "$tmp/x/uninstall.exe"
# Without its signature each program is the one built, but for the PE
# checksum (bytes 217-220, counting from 1), which signing updates.
for built in "$exe" "$com"; do
  f=$(basename "$built")
  osslsigncode remove-signature -in "$tmp/x/$f" -out "$tmp/unsigned-$f" >/dev/null
  if [ "$(stat -c %s "$tmp/unsigned-$f")" != "$(stat -c %s "$built")" ] ||
    [ -n "$(cmp -l "$tmp/unsigned-$f" "$built" | awk '$1 < 217 || $1 > 220')" ]; then
    fail "the $f in the installer is not the one built"
  fi
done
ok "installer holds the signed licensedesk.exe and licensedesk.com built in $(dirname "$exe") and a signed uninstaller"

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
(cd "$here/../.." && go build -o "$tmp/grafanafleet" ./bench/grafanafleet &&
  go build -o "$tmp/consoletest" ./packaging/windows/consoletest)
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
# PATH as Windows keeps it: the user's and the system's.
user_env='HKCU\Environment'
machine_env='HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\Environment'
path_of() { # KEY: its Path value if it is a REG_EXPAND_SZ, as stored
  wine reg query "$1" /v Path 2>/dev/null | tr -d '\r' | sed -n 's/^ *Path *REG_EXPAND_SZ *//p'
}
entries() { # PATH DIR: how many of PATH's entries are DIR (case does not matter, as on Windows)
  tr ';' '\n' <<< "$1" | grep -cixF -- "$2" || true
}
# The user's own PATH entries, there before the install, must survive it
# (no empty entry among them: Wine's cmd.exe stops searching PATH at one).
user_path='C:\Tools\seeded;%USERPROFILE%\bin'
wine reg add "$user_env" /v Path /t REG_EXPAND_SZ /d "$user_path" /f > /dev/null 2>&1 || fail "cannot seed the user's PATH"
machine_path=$(path_of "$machine_env")
[ -n "$machine_path" ] || fail "the Wine prefix has no system PATH"
mkdir -p "$tmp/cwd" # where the interactive cmd.exe starts: no licensedesk there
for mode in CurrentUser AllUsers; do
  if [ $mode = CurrentUser ]; then
    dir=$user_dir lnk=$user_lnk hive=HKCU env=$user_env other_env=$machine_env
    win_dir="C:\\users\\$(id -un)\\AppData\\Local\\Programs\\Licensedesk"
  else
    dir=$machine_dir lnk=$machine_lnk hive=HKLM env=$machine_env other_env=$user_env
    win_dir='C:\Program Files\Licensedesk'
  fi
  # Installed twice (an upgrade, a repair): PATH must still name it once.
  for run in first second; do
    timeout 300 wine "$setup64" /S /$mode || fail "silent /$mode install ($run) failed"
    wineserver -w
    [ "$(entries "$(path_of "$env")" "$win_dir")" -eq 1 ] ||
      fail "after the $run /$mode install the $hive PATH (a REG_EXPAND_SZ) does not name $win_dir once: '$(path_of "$env")'"
  done
  [ "$(entries "$(path_of "$other_env")" "$win_dir")" -eq 0 ] || fail "/$mode install changed the other hive's PATH"
  ok "under Wine, /$mode: installed twice, the $hive PATH names $win_dir once: $(path_of "$env")"
  for f in licensedesk.exe licensedesk.com licensedesk.ico uninstall.exe; do
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
  # licensedesk.com, the console launcher, runs the exe, waits for it (else
  # its exit code would be 0 and the output cut short) and hands on its
  # output and exit code.
  out=$(timeout 120 wine "$dir/licensedesk.com" --version 2> "$tmp/err.version") ||
    fail "/$mode: licensedesk.com --version exited $?: $(cat "$tmp/err.version")"
  [[ $out =~ $VERSION_LINE ]] || fail "/$mode: licensedesk.com --version said '$out'"
  rc=0
  timeout 300 wine "$dir/licensedesk.com" check > "$tmp/check.com" 2> "$tmp/err.com" || rc=$?
  [ $rc -eq 1 ] || fail "/$mode: licensedesk.com check exited $rc, want check's 1: $(cat "$tmp/check.com" "$tmp/err.com")"
  # The same report but for the time it was made.
  diff <(sed 's/ — checked .*//' "$tmp/check") <(sed 's/ — checked .*//' "$tmp/check.com") ||
    fail "/$mode: licensedesk.com check printed another report than licensedesk.exe check"
  cmp -s "$tmp/err" "$tmp/err.com" || fail "/$mode: licensedesk.com check wrote other errors: $(cat "$tmp/err.com")"
  ok "under Wine, /$mode: licensedesk.com says '$out'; its check waits, exits 1 and prints what licensedesk.exe check prints"
  # A person at an interactive cmd.exe (a new one, which reads PATH afresh)
  # types `licensedesk`: PATH and PATHEXT find licensedesk.com, cmd waits for
  # it, so the output comes before the next prompt, %ERRORLEVEL% is check's,
  # and set-secret's password prompt gets the typed password without showing
  # it, where the windowed exe alone would leave it to cmd.
  typed="Typed-$(openssl rand -hex 6)"
  (cd "$tmp/cwd" && "$tmp/consoletest" 'wait:>' \
    'send:licensedesk --version' "wait:licensedesk ${VERSION//./\\.} \\(commit [0-9a-f]+" 'wait:>' \
    'send:licensedesk check' 'wait:— checked' 'wait:>' 'send:echo rc=%ERRORLEVEL%' 'wait:rc=[0-9]+' 'wait:>' \
    'send:licensedesk instances set-secret fleet-002' 'wait:The password for Fleet 002: *' "send:$typed" \
    'wait:Stored the password of fleet-002' 'wait:>' 'send:echo rc=%ERRORLEVEL%' 'wait:rc=[0-9]+' 'wait:>') \
    > "$tmp/console" 2>&1 || fail "/$mode: licensedesk in an interactive cmd.exe: $(cat "$tmp/console")"
  [ "$(grep -o '^rc=[0-9]*' "$tmp/console" | tr '\n' ' ')" = "rc=1 rc=0 " ] ||
    fail "/$mode: in cmd.exe, %ERRORLEVEL% after check and set-secret was not 1 and 0: $(cat "$tmp/console")"
  ! grep -qF "$typed" "$tmp/console" || fail "/$mode: the password typed at set-secret's prompt showed on the console: $(cat "$tmp/console")"
  ok "under Wine, /$mode: licensedesk typed in cmd.exe runs licensedesk.com from PATH; check sets %ERRORLEVEL% 1, set-secret reads the password unseen"
  uninstaller=$(wine reg query "$hive\\$uninstall_key" /v QuietUninstallString 2>/dev/null | tr -d '\r' |
    sed -n 's/.*REG_SZ *"\(.*\)" .*/\1/p')
  [ -n "$uninstaller" ] || fail "/$mode install registered no QuietUninstallString"
  # What the program registers for its toasts when it runs (app/watch), as
  # if it had: the uninstaller takes it away.
  wine reg add 'HKCU\Software\Classes\AppUserModelId\io.github.licensedesk' /v DisplayName /d Licensedesk /f > /dev/null 2>&1 ||
    fail "could not put the notifications' app id in the registry"
  timeout 300 wine "$uninstaller" /$mode /S || fail "/$mode uninstall failed"
  wineserver -w
  sleep 2 # the uninstaller finishes from a temporary copy of itself
  [ ! -e "$dir" ] || fail "/$mode uninstall left ${dir#"$c/"}: $(ls "$dir")"
  [ ! -e "$lnk" ] || fail "/$mode uninstall left the Start-menu shortcut"
  ! wine reg query "$hive\\$uninstall_key" > /dev/null 2>&1 || fail "/$mode uninstall left its $hive uninstall key"
  ! wine reg query 'HKCU\Software\Classes\AppUserModelId\io.github.licensedesk' > /dev/null 2>&1 ||
    fail "/$mode uninstall left the notifications' app id in the user's registry"
  [ "$(path_of "$user_env")" = "$user_path" ] ||
    fail "after the /$mode uninstall the user's PATH is '$(path_of "$user_env")', want it as it was: '$user_path'"
  [ "$(path_of "$machine_env")" = "$machine_path" ] ||
    fail "after the /$mode uninstall the system PATH is '$(path_of "$machine_env")', want it as it was: '$machine_path'"
  ok "under Wine, /$mode uninstall took $win_dir off the $hive PATH and kept the other entries"
  ok "under Wine, /$mode installs to ${dir#"$c/"} with a shortcut, and uninstalls cleanly"
done
echo "Windows package: all checks passed"
