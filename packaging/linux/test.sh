#!/usr/bin/env bash
# test.sh DIST: checks the Linux packages in DIST the way a user and a distro
# would meet them. Fails on the first problem, saying what is wrong.
#   .deb:    fields, contents, Depends covering every linked library, lintian
#            (errors and warnings fail; accepted tags are overridden in the
#            package, see packaging/linux/lintian-overrides), unpacked binary
#            runs --version and opens its window under Xvfb,
#            desktop-file-validate, the icon the .desktop names.
#            Fleet mode: the serve unit passes systemd-analyze verify (where
#            installed) and a hardening check, is not enabled, and the
#            packaged binary serves /readyz and stops on SIGTERM.
#   .tar.xz: its Makefile installs into a temp root; that binary runs too,
#            and the fleet files it installs are the .deb's.
set -euo pipefail
dist=${1:?usage: test.sh DIST}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=packaging/version.sh
. "$here/../version.sh"
app_id=io.github.licensedesk
arch=$(dpkg --print-architecture)
deb="$dist/licensedesk_${VERSION}-${BUILD}_$arch.deb"
tarball=$(ls "$dist"/licensedesk-"$VERSION"-linux-*.tar.xz)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/licensedesk-pkgtest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

# The binary says the one version, with the commit it was built from.
check_version() {
  local out
  out=$("$1" --version) || fail "$1 --version exited $?"
  [[ $out =~ $VERSION_LINE ]] ||
    fail "$1 --version said '$out', want 'licensedesk $VERSION (commit <hash>)'"
  ok "$2 --version: $out"
}

[ -f "$deb" ] || fail "no $deb: run make package-linux"
dpkg-deb --info "$deb"
field() { dpkg-deb --field "$deb" "$1"; }
[ "$(field Package)" = licensedesk ] || fail "Package is $(field Package)"
[ "$(field Version)" = "$VERSION-$BUILD" ] || fail "Version is $(field Version), want $VERSION-$BUILD"
ok "control: licensedesk $VERSION-$BUILD $arch"

dpkg-deb --contents "$deb" > "$tmp/contents"
want=(./usr/bin/licensedesk "./usr/share/applications/$app_id.desktop"
  ./usr/share/doc/licensedesk/copyright ./usr/share/doc/licensedesk/changelog.Debian.gz
  ./usr/share/man/man1/licensedesk.1.gz)
for n in 16 32 48 64 128 256 512; do want+=("./usr/share/icons/hicolor/${n}x$n/apps/$app_id.png"); done
fleet=(lib/systemd/system/licensedesk-serve.service usr/share/licensedesk/prometheus/licensedesk-rules.yml
  usr/share/licensedesk/grafana/licensedesk-dashboard.json usr/share/doc/licensedesk/examples/serve.env
  usr/share/doc/licensedesk/examples/web.yml)
for f in "${fleet[@]}"; do want+=("./$f"); done
for p in "${want[@]}"; do
  grep -q " $p\$" "$tmp/contents" || fail "the .deb lacks $p"
done
grep -q ' root/root .* ./usr/bin/licensedesk$' "$tmp/contents" || fail "usr/bin/licensedesk is not owned by root"
grep -q '^-rwxr-xr-x .* ./usr/bin/licensedesk$' "$tmp/contents" || fail "usr/bin/licensedesk is not 0755"
ok "contents: binary, .desktop, ${#want[@]} files in place"

mkdir "$tmp/root"
dpkg-deb -x "$deb" "$tmp/root"
bin="$tmp/root/usr/bin/licensedesk"
check_version "$bin" ".deb"

# Every library the binary links, or that GLFW opens at run time, must come
# from a package named in Depends.
depends=$(field Depends)
ldd "$bin" > "$tmp/ldd"
! grep -q 'not found' "$tmp/ldd" || fail "unresolved libraries: $(grep 'not found' "$tmp/ldd")"
strings "$bin" > "$tmp/strings"
dlopened=$(grep -v '^#' "$here/dlopen-libs")
for so in $dlopened; do
  grep -Fxq "$so" "$tmp/strings" || fail "the binary no longer names $so: update packaging/linux/dlopen-libs"
done
for lib in $(objdump -p "$bin" | awk '/NEEDED/ {print $2}') $dlopened; do
  pkg=$("$here/owner.sh" "$lib") || fail "no package here ships $lib"
  [[ ", $depends," =~ [\ ,]${pkg}[\ ,] ]] || fail "$lib comes from $pkg, which Depends ($depends) does not name"
done
ok "Depends covers every linked and dlopened library: $depends"
apt-get install -s --no-install-recommends "$(realpath "$deb")" > "$tmp/apt" 2>&1 ||
  { cat "$tmp/apt"; fail "apt cannot install the .deb here (simulated)"; }
ok "apt can resolve and install the .deb (simulated)"
file -b "$bin" | grep -q 'pie executable' || fail "usr/bin/licensedesk is not position-independent: $(file -b "$bin")"

# Fleet mode: the unit is valid, hardened, not enabled, and what it runs works.
unit="$tmp/root/lib/systemd/system/licensedesk-serve.service"
grep -q '^ExecStart=/usr/bin/licensedesk --config /etc/licensedesk/instances.json serve' "$unit" ||
  fail "licensedesk-serve.service does not run /usr/bin/licensedesk serve on /etc/licensedesk/instances.json"
! grep -q ' ./etc/systemd/' "$tmp/contents" || fail "the .deb enables licensedesk-serve.service; it must stay disabled until an administrator enables it"
if command -v systemd-analyze >/dev/null; then
  # verify checks that ExecStart's program exists: point it at the unpacked
  # one. The man page it names is checked above, as a file of the package.
  mkdir "$tmp/unit"
  sed "s|/usr/bin/licensedesk|$bin|" "$unit" > "$tmp/unit/licensedesk-serve.service"
  systemd-analyze verify --man=no "$tmp/unit/licensedesk-serve.service" || fail "systemd-analyze verify rejects licensedesk-serve.service"
  systemd-analyze security --offline=yes --threshold=20 "$tmp/unit/licensedesk-serve.service" > "$tmp/security" ||
    { cat "$tmp/security"; fail "licensedesk-serve.service lost its hardening: exposure above 2.0"; }
  ok "licensedesk-serve.service: systemd-analyze verify passes; $(grep -o 'exposure level.*' "$tmp/security")"
else
  echo "skip: systemd-analyze is not installed here, so licensedesk-serve.service was not verified"
fi
printf '{"version":1,"instances":[]}\n' > "$tmp/instances.json"
"$bin" --config "$tmp/instances.json" serve --listen 127.0.0.1:0 2> "$tmp/serve.log" & serve_pid=$!
port=
for _ in $(seq 1 100); do
  port=$(sed -n 's/.*msg="Listening on" address=127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/serve.log")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { kill $serve_pid; cat "$tmp/serve.log"; fail "licensedesk serve did not start listening"; }
ready=
for _ in $(seq 1 100); do
  exec 3<>"/dev/tcp/127.0.0.1/$port"
  printf 'GET /readyz HTTP/1.0\r\n\r\n' >&3
  ready=$(head -n1 <&3)
  exec 3<&-
  [[ $ready == *" 200 "* ]] && break
  sleep 0.1
done
kill -TERM $serve_pid
wait $serve_pid || fail "licensedesk serve exited $? on SIGTERM, want 0: $(cat "$tmp/serve.log")"
[[ $ready == *" 200 "* ]] || fail "licensedesk serve's /readyz answered: $ready"
ok "the packaged licensedesk serve answers /readyz and stops on SIGTERM"

desktop="$tmp/root/usr/share/applications/$app_id.desktop"
desktop-file-validate "$desktop" || fail "desktop-file-validate rejects $app_id.desktop"
icon=$(sed -n 's/^Icon=//p' "$desktop")
[ -f "$tmp/root/usr/share/icons/hicolor/48x48/apps/$icon.png" ] || fail ".desktop names icon '$icon', which the .deb does not install"
exec_=$(sed -n 's/^Exec=//p' "$desktop")
[ -x "$tmp/root/usr/bin/${exec_%% *}" ] || fail ".desktop runs '$exec_', which is not in /usr/bin"
ok "desktop entry valid; icon $icon and Exec=$exec_ resolve"

# The packaged program opens its window on a real X server (Xvfb, software GL):
# the libraries it links load and nothing crashes at start.
if command -v Xvfb >/dev/null && command -v xdotool >/dev/null; then
  # shellcheck disable=SC2016 # expanded by the inner shell
  timeout 120 "$here/../../scripts/session.sh" bash -c '
    "$1" --demo > "$2" 2>&1 & pid=$!
    for _ in $(seq 1 40); do
      if xdotool search --name "^Licensedesk" > /dev/null 2>&1; then kill $pid; wait $pid 2>/dev/null; exit 0; fi
      kill -0 $pid 2>/dev/null || { echo "licensedesk --demo exited before showing a window:"; cat "$2"; exit 1; }
      sleep 1
    done
    kill $pid; echo "no Licensedesk window after 40 s"; exit 1' smoke "$bin" "$tmp/smoke.log" ||
    fail "the packaged licensedesk did not open its window"
  ok "the packaged licensedesk --demo opens its window under Xvfb"
else
  echo "skip: window check needs Xvfb and xdotool (make deps installs them)"
fi

if command -v lintian >/dev/null; then
  # Errors and warnings fail; info and pedantic notes are shown, not fatal.
  lintian --fail-on error,warning --display-info "$deb" || fail "lintian found errors or warnings (above)"
  ok "lintian: no errors or warnings"
else
  echo "skip: lintian is not installed (packaging/deps.sh check installs it)"
fi

# The tarball: what its Makefile installs must run and validate too.
mkdir "$tmp/tar" "$tmp/inst"
tar -C "$tmp/tar" -xJf "$tarball"
mk=$(find "$tmp/tar" -name Makefile | head -n1)
[ -n "$mk" ] || fail "the tarball has no install Makefile"
make -s -C "$(dirname "$mk")" install DESTDIR="$tmp/inst" PREFIX=/usr >/dev/null
check_version "$tmp/inst/usr/bin/licensedesk" ".tar.xz"
desktop-file-validate "$tmp/inst/usr/share/applications/$app_id.desktop" || fail "the tarball's .desktop does not validate"
[ -f "$tmp/inst/usr/share/pixmaps/$app_id.png" ] || fail "the tarball's Makefile installed no icon"
cmp -s "$tmp/inst/usr/bin/licensedesk" "$bin" || fail "the .deb and the .tar.xz ship different binaries"
for f in "${fleet[@]}"; do
  inst=$tmp/inst/usr/${f#usr/}
  cmp -s "$inst" "$tmp/root/$f" || fail "the tarball's make install does not install the .deb's $f"
done
ok "tarball: make install works, same binary as the .deb"
echo "Linux packages: all checks passed"
