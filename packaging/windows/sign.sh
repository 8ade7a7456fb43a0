#!/usr/bin/env bash
# sign.sh FILE: Authenticode-signs FILE in place, using the PKCS#12 bundle
# SIGN_PKCS12 and its password SIGN_PASSWORD. With osslsigncode (Linux, and
# macOS) the password never appears on a command line: it is read from a
# private file; on Windows without osslsigncode, signtool.exe signs.
# SIGN_TIMESTAMP_URL, when set, adds an RFC 3161 timestamp so the signature
# outlives the certificate.
set -euo pipefail
file=${1:?usage: sign.sh FILE}
: "${SIGN_PKCS12:?sign.sh: SIGN_PKCS12 is not set}" "${SIGN_PASSWORD:?sign.sh: SIGN_PASSWORD is not set}"
if ! command -v osslsigncode >/dev/null && command -v cygpath >/dev/null; then
  signtool=$(printf "%s\n" "/c/Program Files (x86)/Windows Kits/10/bin/"*/x64/signtool.exe | sort -V | tail -n1)
  [ -f "$signtool" ] || signtool=""
  [ -n "$signtool" ] || { echo "sign.sh: neither osslsigncode nor signtool.exe found" >&2; exit 1; }
  ts=()
  [ -z "${SIGN_TIMESTAMP_URL:-}" ] || ts=(//tr "$SIGN_TIMESTAMP_URL" //td sha256)
  "$signtool" sign //f "$(cygpath -w "$SIGN_PKCS12")" //p "$SIGN_PASSWORD" //fd sha256 \
    //d Licensedesk "${ts[@]}" "$(cygpath -w "$file")"
  echo "signed $(basename "$file")"
  exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/licensedesk-sign.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
umask 077
printf '%s' "$SIGN_PASSWORD" > "$tmp/pass"
ts=()
[ -z "${SIGN_TIMESTAMP_URL:-}" ] || ts=(-ts "$SIGN_TIMESTAMP_URL")
osslsigncode sign -pkcs12 "$SIGN_PKCS12" -readpass "$tmp/pass" -h sha256 \
  -n "Licensedesk" -i "https://github.com/licensedesk/licensedesk" "${ts[@]}" \
  -in "$file" -out "$tmp/signed" >/dev/null
chmod 0644 "$tmp/signed"
mv -f "$tmp/signed" "$file"
echo "signed $(basename "$file")"
