#!/usr/bin/env bash
# Builds dist/kicheck.msi from dist/kicheck.exe and dist/kicheck-cli.exe with
# msitools' wixl (packaging/windows/kicheck.wxs). Signs both exe files
# before packing and the MSI afterwards when a certificate is configured
# (scripts/sign.sh). Usage: scripts/msi.sh [APP-VERSION]
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(scripts/msi-version.sh "${1:-}")
dist=${KICHECK_DIST:-dist}
for f in kicheck.exe kicheck-cli.exe; do
  [ -f "$dist/$f" ] || { echo "msi: $dist/$f missing; run make windows" >&2; exit 1; }
done
# The Start-menu and Add/Remove-Programs icon, from FyneApp.toml's Icon.
icon=$(sed -n 's/^Icon *= *"\(.*\)"/\1/p' FyneApp.toml)
convert "$icon" -define icon:auto-resize=256,48,32,16 "$dist/kicheck.ico"
scripts/sign.sh "$dist/kicheck.exe" "$dist/kicheck-cli.exe"
rm -f "$dist/kicheck.msi"
wxs="$PWD/packaging/windows/kicheck.wxs"
# wixl takes source paths relative to the working folder.
(cd "$dist" && wixl -a x64 -D Version="$version" -D SourceDir=. -o kicheck.msi "$wxs")
scripts/sign.sh "$dist/kicheck.msi"
echo "msi: $dist/kicheck.msi (ProductVersion $version)"
