#!/usr/bin/env bash
# owner.sh SONAME_OR_PATH: prints the Debian package that ships a library, as
# the linker would find it here. Tries the path as given and as resolved, in
# /lib and /usr/lib, since merged-/usr systems know files under either.
set -euo pipefail
lib=${1:?usage: owner.sh SONAME_OR_PATH}
if [[ $lib != /* ]]; then
  arch_tag=$(dpkg --print-architecture | sed 's/amd64/x86-64/; s/arm64/AArch64/')
  path=$(/sbin/ldconfig -p | awk -v l="$lib" -v a="$arch_tag" '$1 == l && index($0, a) {print $NF; exit}')
  if [ -z "$path" ]; then # the cache may be mid-rebuild while apt runs: look in the usual places
    multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
    for d in "/usr/lib/$multiarch" "/lib/$multiarch" /usr/lib /lib; do
      [ -e "$d/$lib" ] && { path="$d/$lib"; break; }
    done
  fi
  [ -n "$path" ] || { echo "owner.sh: $lib is not installed here" >&2; exit 1; }
else
  path=$lib
fi
real=$(realpath "$path")
for attempt in 1 2 3; do # dpkg's database may be mid-update while apt runs
  for p in "$path" "$real" "${path#/usr}" "${real#/usr}" "/usr${path#/usr}" "/usr${real#/usr}"; do
    if out=$(dpkg -S "$p" 2>/dev/null); then
      out=${out%%: *}
      echo "${out%%:*}"
      exit 0
    fi
  done
  [ $attempt = 3 ] || sleep 2
done
echo "owner.sh: no package ships $path" >&2
exit 1
