#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages KI-Check needs, only those missing,
# and says what it does. Usage: scripts/deps.sh gui|test
#   gui:  what Fyne needs to build and open a window (as Fyne's own CI)
#   test: gui plus Xvfb, ImageMagick (screenshots), poppler (PDF pages),
#         ssh-keygen (signatures), mingw-w64 (Windows build), LibreOffice
#         (libreoffice-writer-nogui: the ODT tests open the files) and what the
#         pinned Ollama needs to build, and Chromium, Node.js and npm with
#         the pinned axe-core and puppeteer-core in scripts/a11y (accessibility
#         tests, internal/axetest; no browser download); msitools/wixl (MSI),
#         osslsigncode and openssl (Authenticode, test certificate), wine (the
#         Windows build run by the tests), dpkg-dev (make deb), postgresql
#         (internal/pgtest starts a private cluster from its binaries for the
#         central collection's PostgreSQL store).
set -euo pipefail
want=(gcc pkg-config libgl1-mesa-dev xorg-dev libxkbcommon-dev libwayland-dev)
if [ "${1:-gui}" = test ]; then
  want+=(g++ xvfb xauth xdotool x11-utils imagemagick poppler-utils openssh-client gcc-mingw-w64-x86-64 nlohmann-json3-dev gnome-keyring dbus-daemon dbus libreoffice-writer-nogui chromium nodejs jq msitools wixl osslsigncode openssl wine wine64 dpkg-dev postgresql)
  # Debian's npm; NodeSource's nodejs brings its own and conflicts with it.
  command -v npm >/dev/null || want+=(npm)
fi
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
a11y_npm() {
  # axe-core and puppeteer-core, pinned by scripts/a11y/package-lock.json.
  if [ "${1:-gui}" = test ] && [ ! -f "$(dirname "$0")/a11y/node_modules/axe-core/axe.min.js" ]; then
    echo "deps.sh: installing axe-core and puppeteer-core into scripts/a11y (npm ci)" >&2
    (cd "$(dirname "$0")/a11y" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund >/dev/null)
  fi
}
[ ${#missing[@]} -eq 0 ] && { a11y_npm "${1:-gui}"; exit 0; }
if ! command -v apt-get >/dev/null; then
  echo "deps.sh: missing packages ${missing[*]}, and this is no Debian/Ubuntu system; install them by hand" >&2
  exit 1
fi
sudo_cmd=""
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=sudo; fi
echo "deps.sh: installing ${missing[*]} (needed for ${1:-gui})" >&2
$sudo_cmd apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
a11y_npm "${1:-gui}"
