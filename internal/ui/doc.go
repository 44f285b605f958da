// Package ui is KI-Check's Fyne GUI: a thin view over the capability
// packages. Each screen is a struct in its own file with newX(), buildUI()
// and onX() handlers; it only calls domain packages. Long work runs on its
// own goroutine with a context and reports back through fyne.Do.
//
// This is the only package besides app/gui.go that imports Fyne.
package ui
