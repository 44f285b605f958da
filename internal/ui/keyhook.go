package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
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
// view (onTabbed). The window's shortcuts Ctrl+0 … Ctrl+9 and Ctrl+L
// (screens), Ctrl+B (the browser view) and Alt+1 … Alt+3 (quiz tabs) work
// with the focus in an entry too
// (onWindowShortcut): Fyne gives a shortcut to a focused entry alone,
// which ignores these, so they were dead while typing. Enter presses a
// focused button of Fyne's own dialogs and chooses the highlighted row of
// a list, as Space does (onEnter; our own buttons are kcButtons, keys.go).
// Everything else goes to Fyne unchanged.
//
// The hook's decisions are the functions onEscape, onTabbed, onEnter and
// onWindowShortcut, tested with
// Fyne's test driver; the GLFW wiring itself is exercised under Xvfb with
// real key presses (scripts/a11y-xvfb.sh).

// onEscape handles Esc for canvas c before Fyne sees it: with a dialog or
// pop-up open it closes the topmost one, whatever has the focus, and says
// the key is used up.
func onEscape(c fyne.Canvas) bool {
	return closeTopOverlay(c)
}

// onEnter presses the focused button when it is one of Fyne's own (in its
// dialogs: OK, Abbrechen, Öffnen, Speichern …), or chooses the highlighted
// row of a list (the navigation, the file dialogs' lists), as Space does:
// Fyne's react to Space only. It says whether it did.
func onEnter(c fyne.Canvas) bool {
	switch w := c.Focused().(type) {
	case *widget.Button:
		if w.Disabled() {
			return false
		}
		w.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
		return true
	case *widget.List:
		w.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
		return true
	}
	return false
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

// windowShortcut is Ctrl, Alt or Super with a digit or a letter from
// GLFW's key and modifiers, or nil for any other key. The letters an
// entry uses itself (Ctrl+A, C, V, X, Y, Z: select all, copy, paste, cut,
// undo, redo) are left to it.
func windowShortcut(key glfw.Key, mods glfw.ModifierKey) *desktop.CustomShortcut {
	var name fyne.KeyName
	switch {
	case key >= glfw.Key0 && key <= glfw.Key9:
		name = fyne.KeyName(rune('0' + key - glfw.Key0))
	case key >= glfw.KeyA && key <= glfw.KeyZ:
		name = fyne.KeyName(rune('A' + key - glfw.KeyA))
		if strings.ContainsRune("ACVXYZ", rune(name[0])) {
			return nil
		}
	default:
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
	return &desktop.CustomShortcut{KeyName: name, Modifier: mod}
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
			if (key == glfw.KeyEnter || key == glfw.KeyKPEnter) && action == glfw.Press && mods == 0 && onEnter(c) {
				return
			}
			if sc := windowShortcut(key, mods); sc != nil && action == glfw.Press && onWindowShortcut(c, sc) {
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
