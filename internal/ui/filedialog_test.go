package ui

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
)

// TestFileDialogsHandOnAPath: every file dialog of the GUI goes through
// filedialog.go. The callback hands the chosen file's path on (and closes
// what the dialog opened), does nothing on cancel, and shows a failing
// dialog's error on the window; the three dialogs open on the window.
func TestFileDialogsHandOnAPath(t *testing.T) {
	st := newScreenState(t, fyne.NewSize(1000, 700))
	c := st.win.Canvas()
	path := filepath.Join(t.TempDir(), "liste.csv")
	if err := os.WriteFile(path, []byte("a;b\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var got []string
	onPath := func(p string) { got = append(got, p) }
	r, err := storage.Reader(storage.NewFileURI(path))
	if err != nil {
		t.Fatal(err)
	}
	chosen[fyne.URIReadCloser](st.win, onPath)(r, nil)
	chosen[fyne.URIReadCloser](st.win, onPath)(nil, nil) // cancelled
	if len(got) != 1 || got[0] != path {
		t.Errorf("paths handed on: %q, want only %q", got, path)
	}
	if c.Overlays().Top() != nil {
		t.Fatal("a dialog is open after a choice and a cancel")
	}
	chosen[fyne.URIWriteCloser](st.win, onPath)(nil, errors.New("keine Berechtigung"))
	if c.Overlays().Top() == nil || len(got) != 1 {
		t.Errorf("a failing dialog: no error shown (or a path handed on: %q)", got)
	}
	c.Overlays().Top().Hide()
	for name, show := range map[string]func(){
		"open":   func() { choosePath(st.win, []string{".csv"}, onPath) },
		"save":   func() { chooseSavePath(st.win, "liste.csv", []string{".csv"}, onPath) },
		"folder": func() { chooseFolder(st.win, filepath.Dir(path), onPath) },
	} {
		show()
		top := c.Overlays().Top()
		if top == nil {
			t.Fatalf("%s: no dialog on the window", name)
		}
		top.Hide()
	}
}
