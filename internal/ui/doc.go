// Package ui is KI-Check's Fyne GUI: a thin view over the capability
// packages. Each screen is a struct in its own file with newX(), buildUI()
// and onX() handlers; it only calls domain packages. Long work runs on its
// own goroutine, started with state.goBackground under the window's
// context (cancelled when the window closes), and reports back through
// fyne.Do. Tests run fyne.Do on their own UI loop (uiloop_test.go).
//
// This is the only package besides app/gui.go that imports Fyne.
package ui
