package ui

import (
	"fyne.io/fyne/v2"
	"github.com/go-gl/glfw/v3.3/glfw"
)

// The window's key hook
//
// Fyne 2.7 gives a key to the focused widget alone; a canvas-wide handler
// (desktop.Canvas.SetOnKeyDown) runs only while nothing has the focus.
// So Esc did nothing while a button of one of Fyne's own dialogs
// (dialog.ShowConfirm, ShowError, the file dialogs …) had the focus, and
// Tab moved the focus without scrolling to it. installKeyHook puts a
// handler in front of Fyne's in the window's GLFW key callback: it sees
// every key first, closes the topmost dialog on Esc (onEscape), and after
// Fyne has moved the focus on Tab it scrolls the newly focused widget into
// view (onTabbed). Everything else goes to Fyne unchanged.
//
// The hook's decisions are the functions onEscape and onTabbed, tested with
// Fyne's test driver; the GLFW wiring itself is exercised under Xvfb with
// real key presses (scripts/a11y-xvfb.sh).

// onEscape handles Esc for canvas c before Fyne sees it: with a dialog or
// pop-up open it closes the topmost one, whatever has the focus, and says
// the key is used up.
func onEscape(c fyne.Canvas) bool {
	return closeTopOverlay(c)
}

// onTabbed runs after Fyne moved the focus with Tab or Shift+Tab.
func onTabbed(c fyne.Canvas) {
	revealFocused(c)
}

// contextRunner is Fyne's GLFW window, which runs a function with its GL
// context current on the main goroutine.
type contextRunner interface{ RunWithContext(func()) }

// installKeyHook wires onEscape and onTabbed into window w. It must run on
// the main goroutine once the window exists (the app's OnStarted); on a
// driver without GLFW windows it does nothing.
func installKeyHook(w fyne.Window) {
	r, ok := w.(contextRunner)
	if !ok {
		return
	}
	r.RunWithContext(func() {
		gw := glfw.GetCurrentContext()
		if gw == nil {
			return
		}
		var fyneKeys glfw.KeyCallback
		fyneKeys = gw.SetKeyCallback(func(gw *glfw.Window, key glfw.Key, scancode int, action glfw.Action, mods glfw.ModifierKey) {
			c := w.Canvas()
			if key == glfw.KeyEscape && action == glfw.Press && mods == 0 && onEscape(c) {
				return
			}
			if fyneKeys != nil {
				fyneKeys(gw, key, scancode, action, mods)
			}
			if key == glfw.KeyTab && action != glfw.Release && mods&^glfw.ModShift == 0 {
				onTabbed(c)
			}
		})
	})
}
