#!/usr/bin/env bash
# Opens the real GUI under Xvfb with a fresh data dir, checks that the
# window appears, that Ctrl+2 … reach the other screens without a crash,
# and that a second instance refuses to start. Exits non-zero otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/xvfb.sh
[ -x ./kicheck ] || make --no-print-directory build
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
start_xvfb
trap 'kill $XVFB_PID 2>/dev/null; rm -rf "$data"' EXIT
./kicheck --data-dir "$data" >"$data/gui.log" 2>&1 &
pid=$!
if ! win=$(wait_window KI-Check); then
  echo "gui-smoke: no KI-Check window appeared" >&2; cat "$data/gui.log" >&2; kill $pid; exit 1
fi
focus_window "$win"
for k in 2 3 4 5 6 7 1; do xdotool key ctrl+$k; sleep 0.3; done
kill -0 $pid || { echo "gui-smoke: the app died while switching screens" >&2; cat "$data/gui.log" >&2; exit 1; }
set +e
second=$(timeout 20 ./kicheck --data-dir "$data" 2>&1); rc=$?
set -e
if [ $rc -eq 0 ] || ! grep -q "already running" <<<"$second"; then
  echo "gui-smoke: a second instance was not refused (exit $rc): $second" >&2; kill $pid; exit 1
fi
kill $pid; wait $pid 2>/dev/null || true
[ -f "$data/kicheck.db" ] || { echo "gui-smoke: no database was created" >&2; exit 1; }
echo "gui-smoke: window opened, screens switched, second instance refused: ok"
