# shellcheck shell=bash disable=SC2034
# Sourced by the packaging scripts: the one version, read from FyneApp.toml.
# Sets VERSION (x.y.z), BUILD (integer), COMMIT (short hash), MODULE,
# VERSION_LINE (a bash regex: what a packaged `licensedesk --version` prints,
# for the package tests), and GOFLAGS_LDFLAGS, the -X flags in the
# one-field-per-flag form that both the go tool and `fyne package` read from
# GOFLAGS.
_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VERSION=$(sed -n 's/^ *Version *= *"\(.*\)"/\1/p' "$_root/FyneApp.toml")
BUILD=$(sed -n 's/^ *Build *= *\([0-9][0-9]*\).*/\1/p' "$_root/FyneApp.toml")
COMMIT=${COMMIT:-$(git -C "$_root" rev-parse --short HEAD 2>/dev/null || echo unknown)}
MODULE=github.com/licensedesk/licensedesk
if [ -z "$VERSION" ] || [ -z "$BUILD" ]; then
  echo "packaging: FyneApp.toml lacks Version or Build under [Details]" >&2
  exit 1
fi
VERSION_LINE="^licensedesk ${VERSION//./\\.} \\(commit [0-9a-f]{7,}(-dirty)?\\)\$"
GOFLAGS_LDFLAGS="-ldflags=-X=$MODULE/app.Version=$VERSION -ldflags=-X=$MODULE/app.Commit=$COMMIT"
unset _root
