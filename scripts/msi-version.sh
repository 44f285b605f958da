#!/usr/bin/env bash
# Maps the app version (git describe) to the numeric MSI ProductVersion
# x.y.z that Windows Installer compares (major.minor.build, each field
# 0-255/0-255/0-65535):
#   v1.2.3            -> 1.2.3
#   v1.2.3-4-gabc1234 -> 1.2.3   (commits after a tag keep the tag's version;
#                                 tag a release to make an upgrade)
#   anything else     -> the Version of FyneApp.toml with the commit count
#                        as the third field (0.1.0 and 57 commits -> 0.1.57),
#                        so untagged builds of one branch still upgrade.
# Usage: scripts/msi-version.sh [VERSION]
set -euo pipefail
v="${1:-$(git describe --tags --always 2>/dev/null || echo dev)}"
if [[ "$v" =~ ^v?([0-9]+)\.([0-9]+)\.([0-9]+) ]]; then
  echo "$((BASH_REMATCH[1] % 256)).$((BASH_REMATCH[2] % 256)).$((BASH_REMATCH[3] % 65536))"
  exit 0
fi
base=$(sed -n 's/^Version *= *"\([0-9]*\)\.\([0-9]*\)\..*"/\1.\2/p' FyneApp.toml)
n=$(git rev-list --count HEAD 2>/dev/null || echo 0)
echo "${base:-0.1}.$((n % 65536))"
