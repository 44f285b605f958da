# Sourced by the GUI scripts: starts Xvfb on a free display and stops it on
# exit. Leaves DISPLAY exported. start_xvfb N uses display :N only.
start_xvfb() {
  local n
  for n in ${1:-$(seq 90 120)}; do
    [ -e /tmp/.X11-unix/X$n ] || [ -e /tmp/.X$n-lock ] && continue
    Xvfb :$n -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
    XVFB_PID=$!
    export DISPLAY=:$n
    for _ in $(seq 50); do
      xdpyinfo >/dev/null 2>&1 && { trap 'kill $XVFB_PID 2>/dev/null' EXIT; return 0; }
      sleep 0.1
    done
    kill $XVFB_PID 2>/dev/null
  done
  echo "could not start Xvfb" >&2
  return 1
}

# wait_window NAME: waits up to 20 s for a window titled NAME, prints its id.
wait_window() {
  local id
  for _ in $(seq 200); do
    id=$(xdotool search --name "^$1\$" 2>/dev/null | head -1)
    [ -n "$id" ] && { echo "$id"; return 0; }
    sleep 0.1
  done
  return 1
}

# focus_window ID: Xvfb runs no window manager, so the keyboard goes to the
# window under the pointer; put the pointer on the window.
focus_window() {
  xdotool windowmove --sync "$1" 0 0 2>/dev/null || true
  sleep 0.5
  xdotool mousemove --sync 400 300
}
