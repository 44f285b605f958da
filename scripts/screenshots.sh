#!/usr/bin/env bash
# Starts the GUI under Xvfb with a fresh data dir, reaches every screen with
# the keyboard (Ctrl+1 …) and saves a screenshot of each to
# docs/screenshots/ (`import -window root`, as a person would see it).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/xvfb.sh
[ -x ./kicheck ] || make --no-print-directory build
data=$(mktemp -d)
fleet=$(mktemp -d)
out=docs/screenshots
mkdir -p "$out"
# The Sammelstelle shows a central database of 36 demo workplaces: real
# signed reports through the real intake (internal/collect/demo_test.go).
# The settings name it as the database opened last, which the screen opens
# again, as it does for IT.
go test ./internal/collect -run '^TestDemoFleet$' -count=1 -args -demo-db "$fleet/sammelstelle.db" >/dev/null
start_xvfb
trap 'kill $XVFB_PID 2>/dev/null; rm -rf "$data" "$fleet"' EXIT
# One file name per screen, in navigation order (keep in step with
# internal/ui/shell.go).
screens=(${KICHECK_SCREENS:-uebersicht hardware eignung ki-test lokal-oder-cloud quiz prozesse berichte sammelstelle einstellungen})
for lang in de en; do
  rm -rf "$data"/*
  echo "{\"language\":\"$lang\",\"theme\":\"light\",\"collect_db\":\"$fleet/sammelstelle.db\"}" >"$data/settings.json"
  ./kicheck --data-dir "$data" >"$data/gui.log" 2>&1 &
  pid=$!
  win=$(wait_window KI-Check) || { cat "$data/gui.log" >&2; exit 1; }
  xdotool windowsize --sync "$win" 1200 760 2>/dev/null || true
  xdotool windowmove --sync "$win" 0 0 2>/dev/null || true
  focus_window "$win"
  sleep 1.5
  i=1
  for name in "${screens[@]}"; do
    xdotool key ctrl+$((i % 10)) # the tenth screen is Ctrl+0
    sleep ${KICHECK_SCREENSHOT_WAIT:-3}
    import -window root -crop 1200x760+0+0 "$out/$lang-$i-$name.png"
    i=$((i+1))
  done
  kill $pid; wait $pid 2>/dev/null || true
done
echo "screenshots written to $out"
