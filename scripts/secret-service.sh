#!/usr/bin/env bash
# Runs a command with a real Secret Service (GNOME Keyring) in a private
# D-Bus session, so the OS credential store path of internal/cloud is tested
# for real on Linux CI, where no desktop session provides one.
#
#   scripts/secret-service.sh go test ./internal/cloud -run TestRealSecretService
#
# Needs Debian's gnome-keyring and dbus-daemon (installed here if missing and
# running as root). Sets KICHECK_SECRET_SERVICE=1 for the command.
set -euo pipefail
if ! command -v gnome-keyring-daemon >/dev/null || ! command -v dbus-run-session >/dev/null; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gnome-keyring dbus-daemon dbus >/dev/null
	else
		echo "secret-service.sh: gnome-keyring and dbus are not installed" >&2
		exit 1
	fi
fi
# The keyring lives in a throw-away HOME; Go keeps its caches where they are.
if command -v go >/dev/null; then
	export GOPATH="$(go env GOPATH)" GOCACHE="$(go env GOCACHE)" GOMODCACHE="$(go env GOMODCACHE)"
fi
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export HOME="$home" XDG_DATA_HOME="$home/.local/share" XDG_RUNTIME_DIR="$home/run"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
exec dbus-run-session -- bash -c '
	# A throw-away password creates and unlocks the login keyring.
	printf "kicheck-test" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
	KICHECK_SECRET_SERVICE=1 "$@"' bash "$@"
