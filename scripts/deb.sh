#!/usr/bin/env bash
# Builds dist/kicheck_VERSION_ARCH.deb from ./kicheck (make build) with the
# desktop entry and icon from FyneApp.toml (Name, ID, Icon, Version).
# Usage: scripts/deb.sh [APP-VERSION]   (prints the .deb's path)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x ./kicheck ] || { echo "deb: ./kicheck missing; run make build" >&2; exit 1; }
toml() { sed -n "s/^$1 *= *\"\(.*\)\"/\1/p" FyneApp.toml | head -1; }
name=$(toml Name); id=$(toml ID); icon=$(toml Icon); base=$(toml Version)
v="${1:-$(git describe --tags --always 2>/dev/null || echo dev)}"
# Debian versions start with a digit: v1.2.3 -> 1.2.3, v1.2.3-4-gabc -> 1.2.3+4.gabc,
# untagged -> FyneApp's Version + commit count and hash (0.1.0+494.gb6d1cec).
if [[ "$v" =~ ^v?([0-9]+\.[0-9]+\.[0-9]+)(-([0-9]+)-(g[0-9a-f]+))?$ ]]; then
  debver=${BASH_REMATCH[1]}${BASH_REMATCH[3]:++${BASH_REMATCH[3]}.${BASH_REMATCH[4]}}
else
  debver="$base+$(git rev-list --count HEAD 2>/dev/null || echo 0).g$(git rev-parse --short HEAD 2>/dev/null || echo 0)"
fi
arch=$(dpkg --print-architecture)
out="dist/kicheck_${debver}_${arch}.deb"
pkg=$(mktemp -d)
trap 'rm -rf "$pkg"' EXIT
install -Dm755 kicheck "$pkg/usr/bin/kicheck"
install -d "$pkg/usr/share/icons/hicolor/256x256/apps" "$pkg/usr/share/applications" "$pkg/DEBIAN"
convert "$icon" -resize 256x256 -depth 8 "$pkg/usr/share/icons/hicolor/256x256/apps/$id.png"
sed -e "s/@NAME@/$name/g" -e "s/@ID@/$id/g" packaging/linux/kicheck.desktop > "$pkg/usr/share/applications/$id.desktop"
size=$(du -sk "$pkg/usr" | cut -f1)
sed -e "s/@VERSION@/$debver/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" packaging/linux/control > "$pkg/DEBIAN/control"
mkdir -p dist
dpkg-deb --root-owner-group -Zgzip --build "$pkg" "$out" >/dev/null
echo "$out"
