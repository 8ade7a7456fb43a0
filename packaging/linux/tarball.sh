#!/usr/bin/env bash
# tarball.sh TARBALL: adds fleet mode (README.md) to the `fyne package`
# tarball in place, as the .deb ships it: the licensedesk-serve.service
# unit, the alert rules, the dashboard and the examples, with install and
# uninstall rules in its Makefile. `sudo make install` then installs them
# beside the binary, the unit's ExecStart naming the installed binary.
set -euo pipefail
tarball=$(realpath "${1:?usage: tarball.sh TARBALL}")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || date +%s)}

work=$(mktemp -d "${TMPDIR:-/tmp}/licensedesk-tar.XXXXXX")
trap 'rm -rf "$work"' EXIT
umask 022
mkdir "$work/x"
tar -C "$work/x" -xJf "$tarball"
mk=$(find "$work/x" -name Makefile -type f | head -n1)
[ -n "$mk" ] || { echo "tarball.sh: $tarball has no install Makefile" >&2; exit 1; }
top=$(dirname "$mk") # the folder the Makefile installs from
bin=$(cd "$top" && find usr -path '*/bin/licensedesk' -type f | head -n1)
[ -n "$bin" ] || { echo "tarball.sh: $tarball lacks bin/licensedesk" >&2; exit 1; }
usr=${bin%/bin/licensedesk} # usr or usr/local, as fyne laid it out
share=$usr/share/licensedesk
if grep -q '^install-fleet:' "$mk"; then
  echo "tarball.sh: $tarball has fleet mode already" >&2
  exit 1
fi

install -D -m 0644 "$here/licensedesk-serve.service" "$top/$share/systemd/licensedesk-serve.service"
install -D -m 0644 "$root/packaging/prometheus/licensedesk-rules.yml" "$top/$share/prometheus/licensedesk-rules.yml"
install -D -m 0644 "$root/packaging/grafana/licensedesk-dashboard.json" "$top/$share/grafana/licensedesk-dashboard.json"
install -D -m 0644 "$here/serve.env" "$top/$share/examples/serve.env"
install -D -m 0644 "$here/web.yml" "$top/$share/examples/web.yml"

cat >>"$mk" <<MAKE

# Fleet mode (README.md): the licensedesk serve unit (not enabled), its alert
# rules, dashboard and examples. Added by packaging/linux/tarball.sh.
install: install-fleet
uninstall: uninstall-fleet

install-fleet:
	install -d \$(DESTDIR)\$(PREFIX)/lib/systemd/system
	sed 's,/usr/bin/licensedesk,\$(PREFIX)/bin/licensedesk,' $share/systemd/licensedesk-serve.service > \$(DESTDIR)\$(PREFIX)/lib/systemd/system/licensedesk-serve.service
	chmod 0644 \$(DESTDIR)\$(PREFIX)/lib/systemd/system/licensedesk-serve.service
	install -Dm00644 $share/prometheus/licensedesk-rules.yml \$(DESTDIR)\$(PREFIX)/share/licensedesk/prometheus/licensedesk-rules.yml
	install -Dm00644 $share/grafana/licensedesk-dashboard.json \$(DESTDIR)\$(PREFIX)/share/licensedesk/grafana/licensedesk-dashboard.json
	install -Dm00644 $share/examples/serve.env \$(DESTDIR)\$(PREFIX)/share/doc/licensedesk/examples/serve.env
	install -Dm00644 $share/examples/web.yml \$(DESTDIR)\$(PREFIX)/share/doc/licensedesk/examples/web.yml

uninstall-fleet:
	-rm \$(DESTDIR)\$(PREFIX)/lib/systemd/system/licensedesk-serve.service
	-rm -r \$(DESTDIR)\$(PREFIX)/share/licensedesk
	-rm -r \$(DESTDIR)\$(PREFIX)/share/doc/licensedesk/examples

.PHONY: install-fleet uninstall-fleet
MAKE

(cd "$work/x" && tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" \
  -cJf "$work/new.tar.xz" -- *)
mv -f "$work/new.tar.xz" "$tarball"
