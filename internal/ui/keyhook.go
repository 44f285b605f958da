package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
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
// view (onTabbed). The window's shortcuts Ctrl+0 … Ctrl+9 (screens) and
// Alt+1 … Alt+3 (quiz tabs) work with the focus in an entry too
// (onWindowShortcut): Fyne gives a shortcut to a focused entry alone,
// which ignores these, so they were dead while typing. Everything else
// goes to Fyne unchanged.
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

// onWindowShortcut delivers the window shortcut sc to the canvas when
// the focused widget would take it for itself (an entry); it says
// whether it did.
func onWindowShortcut(c fyne.Canvas, sc *desktop.CustomShortcut) bool {
	if _, ok := c.Focused().(fyne.Shortcutable); !ok {
		return false // Fyne gives it to the canvas itself
	}
	cs, ok := c.(fyne.Shortcutable)
	if !ok {
		return false
	}
	cs.TypedShortcut(sc)
	return true
}

// digitShortcut is Ctrl+digit or Alt+digit from GLFW's key and modifiers,
// or nil for any other key.
func digitShortcut(key glfw.Key, mods glfw.ModifierKey) *desktop.CustomShortcut {
	if key < glfw.Key0 || key > glfw.Key9 {
		return nil
	}
	var mod fyne.KeyModifier
	switch mods {
	case glfw.ModControl:
		mod = fyne.KeyModifierControl
	case glfw.ModAlt:
		mod = fyne.KeyModifierAlt
	case glfw.ModSuper:
		mod = fyne.KeyModifierSuper // Cmd on macOS (KeyModifierShortcutDefault)
	default:
		return nil
	}
	return &desktop.CustomShortcut{KeyName: fyne.KeyName(rune('0' + key - glfw.Key0)), Modifier: mod}
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
			if sc := digitShortcut(key, mods); sc != nil && action == glfw.Press && onWindowShortcut(c, sc) {
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
