#!/usr/bin/env bash
# deb.sh TARBALL OUTDIR: builds licensedesk_VERSION-BUILD_ARCH.deb in OUTDIR
# from the `fyne package` tarball, so the .deb ships the very same binary and
# .desktop file. Depends is computed by dpkg-shlibdeps from the libraries the
# binary links, plus the packages of the libraries named in dlopen-libs.
set -euo pipefail
tarball=$(realpath "${1:?usage: deb.sh TARBALL OUTDIR}")
out=${2:?usage: deb.sh TARBALL OUTDIR}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=packaging/version.sh
. "$root/packaging/version.sh"
app_id=io.github.licensedesk
maintainer=${DEB_MAINTAINER:-Licensedesk maintainers <licensedesk@users.noreply.github.com>}
arch=$(dpkg --print-architecture)
deb_version="$VERSION-$BUILD"
# Reproducible: every date in the package is the commit's.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || date +%s)}

work=$(mktemp -d "${TMPDIR:-/tmp}/licensedesk-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
umask 022
tar -C "$work" -xJf "$tarball"
src=$(find "$work" -path '*/bin/licensedesk' -type f | head -n1)
desktop=$(find "$work" -name "$app_id.desktop" -type f | head -n1)
if [ -z "$src" ] || [ -z "$desktop" ]; then
  echo "deb.sh: $tarball lacks bin/licensedesk or $app_id.desktop" >&2
  exit 1
fi

pkg="$work/pkg"
doc="$pkg/usr/share/doc/licensedesk"
install -D -m 0755 "$src" "$pkg/usr/bin/licensedesk"
install -D -m 0644 "$desktop" "$pkg/usr/share/applications/$app_id.desktop"
for png in "$root"/assets/hicolor/*x*.png; do
  size=$(basename "$png" .png)
  install -D -m 0644 "$png" "$pkg/usr/share/icons/hicolor/$size/apps/$app_id.png"
done
# Fleet mode (README.md): the service, not enabled by default; the alert
# rules and dashboard it is meant with; examples of its secrets and web files.
install -D -m 0644 "$here/licensedesk-serve.service" "$pkg/lib/systemd/system/licensedesk-serve.service"
install -D -m 0644 "$root/packaging/prometheus/licensedesk-rules.yml" "$pkg/usr/share/licensedesk/prometheus/licensedesk-rules.yml"
install -D -m 0644 "$root/packaging/grafana/licensedesk-dashboard.json" "$pkg/usr/share/licensedesk/grafana/licensedesk-dashboard.json"
install -D -m 0644 "$here/serve.env" "$doc/examples/serve.env"
install -D -m 0644 "$here/web.yml" "$doc/examples/web.yml"
install -d -m 0755 "$pkg/usr/share/man/man1" "$doc" "$pkg/usr/share/lintian/overrides"
gzip -9n < "$here/licensedesk.1" > "$pkg/usr/share/man/man1/licensedesk.1.gz"
install -m 0644 "$here/lintian-overrides" "$pkg/usr/share/lintian/overrides/licensedesk"
"$here/copyright.sh" "$root" > "$doc/copyright"
chmod 0644 "$doc/copyright"
{
  printf 'licensedesk (%s) unstable; urgency=medium\n\n' "$deb_version"
  printf '  * Release %s (build %s, commit %s).\n\n' "$VERSION" "$BUILD" "$COMMIT"
  printf ' -- %s  %s\n' "$maintainer" "$(date -u -R -d "@$SOURCE_DATE_EPOCH")"
} | gzip -9n > "$doc/changelog.Debian.gz"

# Depends: what the binary links, as packages with minimum versions.
mkdir -p "$work/debian"
printf 'Source: licensedesk\n\nPackage: licensedesk\nArchitecture: any\n' > "$work/debian/control"
depends=$(cd "$work" && dpkg-shlibdeps -O "$pkg/usr/bin/licensedesk" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "deb.sh: dpkg-shlibdeps found no dependencies" >&2; exit 1; }
# Plus what GLFW loads with dlopen, which no tool can read off the binary.
mapfile -t sonames < <(grep -v '^#' "$here/dlopen-libs")
for so in "${sonames[@]}"; do
  dep=$("$here/owner.sh" "$so")
  [[ ", $depends," =~ [\ ,]${dep}[\ ,] ]] || depends="$depends, $dep"
done

mkdir -p "$pkg/DEBIAN"
install -m 0755 "$here/postinst" "$here/postrm" "$pkg/DEBIAN/"
size=$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
sed -e "s|@DEB_VERSION@|$deb_version|" -e "s|@ARCH@|$arch|" -e "s|@MAINTAINER@|$maintainer|" \
  -e "s|@INSTALLED_SIZE@|$size|" -e "s|@DEPENDS@|$depends|" "$here/control.in" > "$pkg/DEBIAN/control"
(cd "$pkg" && find usr lib -type f -print0 | sort -z | xargs -0 md5sum) > "$pkg/DEBIAN/md5sums"
chmod 0644 "$pkg/DEBIAN/control" "$pkg/DEBIAN/md5sums"
find "$pkg" -type d -exec chmod 0755 {} +
find "$pkg" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

mkdir -p "$out"
deb="$out/licensedesk_${deb_version}_$arch.deb"
dpkg-deb --root-owner-group -Zxz --build "$pkg" "$deb" >/dev/null
echo "$deb"
