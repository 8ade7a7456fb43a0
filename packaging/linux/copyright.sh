#!/usr/bin/env bash
# copyright.sh ROOT: prints the Debian copyright file (machine-readable format)
# for the .deb, naming the licence found in ROOT/LICENSE.
set -euo pipefail
root=${1:?usage: copyright.sh ROOT}
year=$(date -u -d "@${SOURCE_DATE_EPOCH:-$(date +%s)}" +%Y)
license=$root/LICENSE
name=unknown
if [ -f "$license" ]; then
  case "$(head -c 4000 "$license")" in
    *"Apache License"*"Version 2.0"*) name=Apache-2.0 ;;
    *"MIT License"* | *"Permission is hereby granted, free of charge"*) name=Expat ;;
    *"BSD 3-Clause"* | *"Neither the name of"*) name=BSD-3-clause ;;
    *"Mozilla Public License Version 2.0"*) name=MPL-2.0 ;;
    *"GNU GENERAL PUBLIC LICENSE"*"Version 3"*) name=GPL-3 ;;
    *) name=other ;;
  esac
fi
cat <<HEAD
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: Licensedesk
Source: https://github.com/licensedesk/licensedesk

Files: *
Copyright: $year Licensedesk authors
Comment: The binary statically links Go modules (Fyne and its dependencies,
 resty, go-keyring, flock and the Go standard library), each under its own
 permissive licence (BSD-3-clause, MIT or Apache-2.0).
License: $name
HEAD
case "$name" in
  Apache-2.0 | GPL-3 | MPL-2.0)
    printf ' On Debian systems, the full text of the license can be found in\n /usr/share/common-licenses/%s.\n' "$name"
    ;;
  unknown)
    printf ' The source tree carried no LICENSE file when this package was built.\n'
    ;;
  *)
    # The licence text, indented as the format asks, blank lines as " .".
    sed -e 's/^[[:space:]]*$/./' -e 's/^/ /' "$license"
    ;;
esac
