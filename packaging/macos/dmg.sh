#!/usr/bin/env bash
# dmg.sh APP OUTDIR ARCH: puts APP (Licensedesk.app from `fyne package -os
# darwin`) in OUTDIR/licensedesk-VERSION-macos-ARCH.dmg, beside a link to
# /Applications for drag-and-drop install. Runs on macOS only.
#
# Signing and notarization happen only when their settings are given:
#   MACOS_SIGN_IDENTITY  a "Developer ID Application: …" identity in the keychain
#   APPLE_ID, APPLE_TEAM_ID, APPLE_APP_PASSWORD  notarize with notarytool and
#                        staple the ticket (needs MACOS_SIGN_IDENTITY too)
set -euo pipefail
app=${1:?usage: dmg.sh APP OUTDIR ARCH}
out=${2:?usage: dmg.sh APP OUTDIR ARCH}
arch=${3:?usage: dmg.sh APP OUTDIR ARCH}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=packaging/version.sh
. "$here/../version.sh"
mkdir -p "$out"
dmg="$(cd "$out" && pwd)/licensedesk-$VERSION-macos-$arch.dmg"

if [ -n "${MACOS_SIGN_IDENTITY:-}" ]; then
  # Hardened runtime and a secure timestamp: both required for notarization.
  codesign --force --options runtime --timestamp --sign "$MACOS_SIGN_IDENTITY" "$app"
  codesign --verify --strict --verbose=2 "$app"
else
  echo "dmg: MACOS_SIGN_IDENTITY not set, the app stays unsigned"
fi

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp -R "$app" "$stage/"
ln -s /Applications "$stage/Applications"
rm -f "$dmg"
hdiutil create -volname "Licensedesk $VERSION" -srcfolder "$stage" -fs HFS+ -format UDZO -ov "$dmg"

if [ -n "${MACOS_SIGN_IDENTITY:-}" ]; then
  codesign --force --timestamp --sign "$MACOS_SIGN_IDENTITY" "$dmg"
  if [ -n "${APPLE_ID:-}" ] && [ -n "${APPLE_TEAM_ID:-}" ] && [ -n "${APPLE_APP_PASSWORD:-}" ]; then
    xcrun notarytool submit "$dmg" --apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" \
      --password "$APPLE_APP_PASSWORD" --wait
    xcrun stapler staple "$dmg"
    xcrun stapler validate "$dmg"
  else
    echo "dmg: APPLE_ID/APPLE_TEAM_ID/APPLE_APP_PASSWORD not set, skipping notarization"
  fi
fi
hdiutil verify "$dmg"
echo "$dmg"
