package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// Keeping the focused widget on screen
//
// Fyne 2.7 moves the focus with Tab but never scrolls: after an export
// the audit pressed Tab four times onto dialog buttons below the visible
// area and nothing on screen changed. revealFocused scrolls every
// container.Scroll that holds the focused widget so that the widget is
// inside its viewport. The window's key hook (keyhook.go) calls it after
// each Tab and Shift+Tab; tests call it after FocusNext.

// revealMargin is the room left between the focused widget and the edge
// of the viewport, so that its focus ring is seen whole.
const revealMargin = 8

// revealFocused scrolls the focused widget of canvas c into view. It says
// whether some container scrolled.
func revealFocused(c fyne.Canvas) bool {
	if c == nil || c.Focused() == nil {
		return false
	}
	obj, ok := c.Focused().(fyne.CanvasObject)
	if !ok {
		return false
	}
	return revealObject(c, obj)
}

// revealObject scrolls obj into view in every scroll container around it,
// the innermost first. A widget in a dialog is looked for in the dialog
// only (the focus is in the topmost overlay while one is open).
func revealObject(c fyne.Canvas, obj fyne.CanvasObject) bool {
	root := c.Content()
	if top := c.Overlays().Top(); top != nil {
		root = top
	}
	drv := fyne.CurrentApp().Driver()
	moved := false
	// Innermost first: scrolling an inner container moves obj within the
	// outer one, so positions are read again for every container.
	scrolls := scrollsAround(drv, root, obj)
	for i := len(scrolls) - 1; i >= 0; i-- {
		if revealIn(drv, scrolls[i], obj) {
			moved = true
		}
	}
	return moved
}

// scrollsAround lists the visible scroll containers under root whose
// content holds obj, outermost first. Fyne gives no parent links, so a
// container counts as holding obj when obj is found in its content by
// walking the structure (containers, scrolls, splits, tabs, cards,
// forms, pop-ups), or, where a widget of our own hides its children,
// when obj lies inside the content's area.
func scrollsAround(drv fyne.Driver, root, obj fyne.CanvasObject) []*container.Scroll {
	var out []*container.Scroll
	var walk func(o fyne.CanvasObject) bool // reports whether obj was found
	walk = func(o fyne.CanvasObject) bool {
		if o == nil || !o.Visible() {
			return false
		}
		if o == obj {
			return true
		}
		switch v := o.(type) {
		case *container.Scroll:
			n := len(out)
			out = append(out, v)
			if walk(v.Content) || (v.Content != nil && inside(drv, obj, v.Content)) {
				return true
			}
			out = out[:n]
			return false
		case *fyne.Container:
			for _, ch := range v.Objects {
				if walk(ch) {
					return true
				}
			}
		case *container.Split:
			return walk(v.Leading) || walk(v.Trailing)
		case *container.AppTabs:
			if sel := v.Selected(); sel != nil {
				return walk(sel.Content)
			}
		case *widget.PopUp:
			return walk(v.Content)
		case *widget.Card:
			return walk(v.Content)
		case *widget.Form:
			for _, it := range v.Items {
				if walk(it.Widget) {
					return true
				}
			}
		}
		return false
	}
	walk(root)
	return out
}

// inside says whether obj lies within the area of area on screen.
func inside(drv fyne.Driver, obj, area fyne.CanvasObject) bool {
	op, ap := drv.AbsolutePositionForObject(obj), drv.AbsolutePositionForObject(area)
	os, as := obj.Size(), extent(area)
	return op.X >= ap.X && op.Y >= ap.Y && op.X+os.Width <= ap.X+as.Width && op.Y+os.Height <= ap.Y+as.Height
}

// extent is the size o takes once laid out: its minimum size where it has
// grown since the last layout (content loaded in the background).
func extent(o fyne.CanvasObject) fyne.Size {
	return o.Size().Max(o.MinSize())
}

// revealIn scrolls s so that obj is inside its viewport, as little as
// needed; it says whether it scrolled.
func revealIn(drv fyne.Driver, s *container.Scroll, obj fyne.CanvasObject) bool {
	if s.Content == nil {
		return false
	}
	// Lay the content out at its current size first, as the scroll's own
	// layout does: content grown since (loaded in the background) would
	// make the scroll clamp the offset to the old, smaller size.
	if want := s.Content.MinSize().Max(s.Size()); s.Content.Size() != want {
		s.Content.Resize(want)
	}
	// obj's place within the whole content, independent of the offset.
	rel := drv.AbsolutePositionForObject(obj).Subtract(drv.AbsolutePositionForObject(s.Content))
	size, view, content := obj.Size(), s.Size(), extent(s.Content)
	off := s.Offset
	axis := func(pos, length, offset, viewLen, contentLen float32) float32 {
		switch {
		case length+2*revealMargin >= viewLen || pos-revealMargin < offset:
			offset = pos - revealMargin // too big or above: show its start
		case pos+length+revealMargin > offset+viewLen:
			offset = pos + length + revealMargin - viewLen
		}
		if max := contentLen - viewLen; offset > max {
			offset = max
		}
		if offset < 0 {
			offset = 0
		}
		return offset
	}
	if s.Direction != container.ScrollHorizontalOnly && s.Direction != container.ScrollNone {
		off.Y = axis(rel.Y, size.Height, off.Y, view.Height, content.Height)
	}
	if s.Direction != container.ScrollVerticalOnly && s.Direction != container.ScrollNone {
		off.X = axis(rel.X, size.Width, off.X, view.Width, content.Width)
	}
	if off == s.Offset {
		return false
	}
	s.ScrollToOffset(off)
	s.Refresh()
	return true
}
