#!/usr/bin/env bash
# Builds the .deb (scripts/deb.sh), installs it with dpkg into a private
# root (dpkg --root, so the test leaves the machine as it was), checks the
# program, desktop entry and icon, runs the installed program, and removes
# the package with dpkg again. Usage: scripts/deb-test.sh [APP-VERSION]
set -euo pipefail
cd "$(dirname "$0")/.."
deb=$(scripts/deb.sh "${1:-}")
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
fail() { echo "deb-test: FAIL: $*" >&2; exit 1; }
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
touch "$root/var/lib/dpkg/status"
# --force-depends: the private root has no packages; the dependencies are
# checked against this machine below.
dpkg --root="$root" --force-depends --force-script-chrootless -i "$deb" >/dev/null 2>&1 || fail "dpkg -i $deb"
dpkg --root="$root" -s kicheck | grep -q '^Status: install ok installed' || fail "not installed"
id=$(sed -n 's/^ID *= *"\(.*\)"/\1/p' FyneApp.toml)
for f in usr/bin/kicheck "usr/share/applications/$id.desktop" "usr/share/icons/hicolor/256x256/apps/$id.png"; do
  [ -f "$root/$f" ] || fail "$f not installed"
done
grep -q '^Exec=kicheck$' "$root/usr/share/applications/$id.desktop" && grep -q "^Icon=$id$" "$root/usr/share/applications/$id.desktop" || fail "desktop entry"
if command -v desktop-file-validate >/dev/null; then desktop-file-validate "$root/usr/share/applications/$id.desktop" || fail "desktop-file-validate"; fi
"$root/usr/bin/kicheck" --lang en version 2>/dev/null | grep -q "with GUI" || fail "installed kicheck does not run"
for dep in $(dpkg-deb -f "$deb" Depends | tr -d ' ' | tr ',' ' '); do
  dpkg -s "$dep" >/dev/null 2>&1 || echo "deb-test: note: dependency $dep is not installed on this machine"
done
dpkg --root="$root" --force-script-chrootless -r kicheck >/dev/null 2>&1 || fail "dpkg -r"
[ ! -e "$root/usr/bin/kicheck" ] && [ ! -e "$root/usr/share/applications/$id.desktop" ] || fail "files left after dpkg -r"
echo "deb-test: $deb installed, run and removed with dpkg: ok"
