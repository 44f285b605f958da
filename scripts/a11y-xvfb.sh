#!/usr/bin/env bash
# Keyboard walk of the real GUI under Xvfb with real key presses (xdotool)
# and screenshots (import -window root), for issue 19: Tab reaches
# "Arbeitsplatz prüfen" with a visible focus, Enter starts the check, Esc
# closes its dialog; Esc and Enter close one of Fyne's own dialogs while
# its button has the focus; in the quiz, Alt+2 opens the trainer tab and Tab walks it
# with the page scrolling to the focus; Ctrl+1 works from an entry; the
# high-contrast theme; Down and Enter in the navigation. Each step is checked by comparing screenshots
# (ImageMagick compare: pixels changed), and the pictures stay for a
# person to look at.
#
#   scripts/a11y-xvfb.sh              # pictures in a temp folder (printed)
#   A11Y_OUT=dir A11Y_DISPLAY=34 scripts/a11y-xvfb.sh
#   A11Y_DOCS=1 scripts/a11y-xvfb.sh  # also docs/screenshots/a11y-*.png
#   KICHECK_BIN=/tmp/old/kicheck ...  # another build (before/after)
#
# Exits non-zero when a step fails.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/xvfb.sh
bin=${KICHECK_BIN:-./kicheck}
if [ -z "${KICHECK_BIN:-}" ] && [ ! -x ./kicheck ]; then make --no-print-directory build; fi
out=${A11Y_OUT:-$(mktemp -d)}
mkdir -p "$out"
data=$(mktemp -d)
start_xvfb ${A11Y_DISPLAY:-}
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
  kill "$XVFB_PID" 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT
failed=0
fail() { echo "a11y-xvfb: FAIL: $*" >&2; failed=1; }
ok() { echo "a11y-xvfb: ok: $*"; }
W=1200 H=760

# shot NAME [WAIT]: the window as $out/NAME.png (the screen cut to the
# window, which sits at 0,0; Fyne may keep it larger than asked for).
shot() {
  sleep "${2:-0.5}"
  local WIDTH HEIGHT
  eval "$(xdotool getwindowgeometry --shell "$win" | grep -E '^(WIDTH|HEIGHT)=')"
  import -window root -crop "${WIDTH}x${HEIGHT}+0+0" +repage "$out/$1.png"
}
# changed A B: number of pixels that differ between two shots.
changed() { compare -metric AE "$out/$1.png" "$out/$2.png" null: 2>&1 | cut -d' ' -f1 || true; }
# bbox A B: the rectangle (WxH+X+Y) holding every pixel that differs.
bbox() {
  compare "$out/$1.png" "$out/$2.png" -compose src -highlight-color black -lowlight-color white "$out/.diff.png" 2>/dev/null || true
  convert "$out/.diff.png" -negate -trim -format '%wx%h%X%Y' info: 2>/dev/null
}

# start THEME LANG: a fresh app with these settings, window at 0,0.
start() {
  [ -n "$pid" ] && { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; }
  rm -rf "$data"/*
  echo "{\"language\":\"$2\",\"theme\":\"$1\"}" >"$data/settings.json"
  "$bin" --data-dir "$data" >"$data/gui.log" 2>&1 &
  pid=$!
  win=$(wait_window KI-Check) || { cat "$data/gui.log" >&2; exit 1; }
  xdotool windowsize --sync "$win" $W $H 2>/dev/null || true
  focus_window "$win"
  sleep 2
}
key() { xdotool key --delay 120 "$@"; }

start light de
shot 01-start
key Tab Tab # the navigation, then "Arbeitsplatz prüfen" (the Übersicht's first widget)
shot 02-focus-check
n=$(changed 01-start 02-focus-check)
[ "$n" -gt 100 ] && ok "Tab to Arbeitsplatz prüfen changes $n pixels (focus visible)" || fail "Tab to Arbeitsplatz prüfen changed $n pixels"
focusbox=$(bbox 01-start 02-focus-check)

# Fyne's own dialog (the statement, dialog.ShowCustom, behind the
# Übersicht's last button "Barrierefreiheit": Shift+Tab twice goes back
# over the navigation to the window's last widget): Tab onto its button,
# then Esc.
key shift+Tab shift+Tab Return
shot 03-statement 1
n=$(changed 02-focus-check 03-statement)
[ "$n" -gt 100000 ] && ok "Enter on Barrierefreiheit opened the statement ($n pixels)" || fail "Enter on Barrierefreiheit: $n pixels changed, no dialog"
key Tab
shot 04-statement-button-focused
key Escape
shot 05-after-escape
n=$(changed 03-statement 05-after-escape)
back=$(changed 02-focus-check 05-after-escape)
if [ "$n" -gt 10000 ] && [ "$back" -lt "$n" ]; then
  ok "Esc with the focus on the dialog's own button closed it ($n pixels changed)"
else
  fail "Esc with the focus on the dialog's own button: $n pixels changed, $back still differ from the window before"
  key space # close it with Fyne's own key, so that the next steps are measured on their own
  sleep 0.5
fi

# Again, closed with Enter on the dialog's own button (Fyne's react to
# Space only).
key Return
shot 05b-statement-again 1
n=$(changed 05-after-escape 05b-statement-again)
[ "$n" -gt 100000 ] || fail "Enter on Barrierefreiheit again: $n pixels changed, no dialog"
key Tab Return
shot 05c-after-enter
n=$(changed 05b-statement-again 05c-after-enter)
back=$(changed 02-focus-check 05c-after-enter)
if [ "$n" -gt 10000 ] && [ "$back" -lt "$n" ]; then
  ok "Enter on the dialog's own button closed it ($n pixels changed)"
else
  fail "Enter on the dialog's own button: $n pixels changed, $back still differ from the window before"
  key space
  sleep 0.5
fi

# "Arbeitsplatz prüfen": Tab past the end to the navigation and on to
# it, Enter starts the check; Esc closes the check's dialog.
key Tab Tab
shot 06-focus-check-again
key Return
shot 07-check-dialog 2
n=$(changed 06-focus-check-again 07-check-dialog)
[ "$n" -gt 10000 ] && ok "Enter on Arbeitsplatz prüfen opened the check ($n pixels)" || fail "Enter on Arbeitsplatz prüfen: $n pixels changed"
key Escape
shot 08-check-escape
n=$(changed 07-check-dialog 08-check-escape)
[ "$n" -gt 10000 ] && ok "Esc closed the check's dialog ($n pixels)" || fail "Esc on the check's dialog: $n pixels changed"

# Quiz: Ctrl+6, Alt+2 for the trainer tab, then Tab through it.
key ctrl+6 alt+2
shot 10-quiz-trainer 1.5
prev=10-quiz-trainer
scrolled=0
for i in $(seq 11 24); do
  key Tab
  shot "$i-quiz-tab" 0.4
  n=$(changed "$prev" "$i-quiz-tab")
  [ "$n" -gt 60000 ] && scrolled=$((scrolled + 1))
  prev=$i-quiz-tab
done
[ "$scrolled" -gt 0 ] && ok "Tab through the trainer tab scrolled the page $scrolled times to the focus" || fail "Tab through the trainer tab never scrolled"
# From an entry (the session title), Ctrl+1 goes to the Übersicht.
key alt+2 Tab Tab Tab
shot 25-in-entry
key ctrl+1
shot 26-ctrl1-from-entry 1
n=$(changed 01-start 26-ctrl1-from-entry)
m=$(changed 25-in-entry 26-ctrl1-from-entry)
[ "$m" -gt "$n" ] && ok "Ctrl+1 from an entry showed the Übersicht" || fail "Ctrl+1 from an entry: $m pixels changed, $n differ from the Übersicht"

# High contrast, with the focus on "Arbeitsplatz prüfen".
start contrast de
shot 30-contrast
key Tab Tab
shot 31-contrast-focus
n=$(changed 30-contrast 31-contrast-focus)
[ "$n" -gt 100 ] && ok "high contrast: Tab to Arbeitsplatz prüfen changes $n pixels" || fail "high contrast: focus changed $n pixels"
contrastbox=$(bbox 30-contrast 31-contrast-focus)
# The navigation: Shift+Tab back to the list, Down, Enter opens Hardware.
key shift+Tab
shot 32-nav-focus
key Down Return
shot 33-nav-enter 1.5
n=$(changed 32-nav-focus 33-nav-enter)
[ "$n" -gt 50000 ] && ok "Down and Enter in the navigation opened the next screen ($n pixels)" || fail "Down and Enter in the navigation: $n pixels changed"

if [ "${A11Y_DOCS:-}" = 1 ]; then
  docs=docs/screenshots
  # The focused and the unfocused button, one above the other, cut
  # around the place that changed (plus a margin).
  crop() { # SHOT BOX -> cut with 24 px around BOX
    local w h x y
    IFS='x+' read -r w h x y <<<"$2"
    convert "$out/$1.png" -crop $((w + 48))x$((h + 48))+$((x > 24 ? x - 24 : 0))+$((y > 24 ? y - 24 : 0)) +repage "$out/.c-$1.png"
    echo "$out/.c-$1.png"
  }
  convert "$(crop 01-start "$focusbox")" "$(crop 02-focus-check "$focusbox")" -append -strip "$docs/a11y-focus-light.png"
  convert "$(crop 30-contrast "$contrastbox")" "$(crop 31-contrast-focus "$contrastbox")" -append -strip "$docs/a11y-focus-contrast.png"
  convert "$out/31-contrast-focus.png" -resize 60% -strip "$docs/a11y-contrast.png"
  echo "a11y-xvfb: wrote $docs/a11y-focus-light.png, a11y-focus-contrast.png, a11y-contrast.png"
fi
echo "a11y-xvfb: screenshots in $out"
exit $failed
