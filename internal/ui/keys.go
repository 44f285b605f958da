package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// kcButton is Fyne's button that Enter (Return or the keypad's Enter)
// activates as well as Space: Fyne's own reacts to Space only, and a
// keyboard user expects Enter on a focused button to press it.
type kcButton struct {
	widget.Button
}

// newKCButton is widget.NewButton with Enter (kcButton).
func newKCButton(label string, tapped func()) *kcButton {
	return newKCButtonWithIcon(label, nil, tapped)
}

// newKCButtonWithIcon is widget.NewButtonWithIcon with Enter (kcButton).
func newKCButtonWithIcon(label string, icon fyne.Resource, tapped func()) *kcButton {
	b := &kcButton{}
	b.Text, b.Icon, b.OnTapped = label, icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

// TypedKey presses the button on Enter and Space.
func (b *kcButton) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyReturn || ev.Name == fyne.KeyEnter {
		if !b.Disabled() {
			b.Tapped(nil)
		}
		return
	}
	if ev.Name == fyne.KeyEscape && b.escape() {
		return
	}
	b.Button.TypedKey(ev)
}

// TypedKey on a kcButton also closes the dialog it sits in on Esc (see
// closeTopOverlay); every other key goes to Fyne's button.
func (b *kcButton) escape() bool {
	return closeTopOverlay(fyne.CurrentApp().Driver().CanvasForObject(b))
}

// closeTopOverlay hides the topmost dialog or pop-up of canvas c, as Esc
// does in every desktop toolkit; Fyne 2.7's dialogs ignore Esc. A dialog
// closed so does not run its callbacks (nothing is confirmed); the check's
// dialog shows again with the running check when "Arbeitsplatz prüfen"
// is pressed again. It says whether there was one.
func closeTopOverlay(c fyne.Canvas) bool {
	if c == nil {
		return false
	}
	top := c.Overlays().Top()
	if top == nil {
		return false
	}
	top.Hide()
	return true
}

// windowKeyDown is the window's handler for keys pressed while no widget
// has the focus: Esc closes the topmost dialog.
func windowKeyDown(c fyne.Canvas) func(*fyne.KeyEvent) {
	return func(ev *fyne.KeyEvent) {
		if ev.Name == fyne.KeyEscape {
			closeTopOverlay(c)
		}
	}
}

// registerEscape binds windowKeyDown to the window (desktop drivers).
func registerEscape(w fyne.Window) {
	if dc, ok := w.Canvas().(desktop.Canvas); ok {
		dc.SetOnKeyDown(windowKeyDown(w.Canvas()))
	}
}
