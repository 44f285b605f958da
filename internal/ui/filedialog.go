package ui

import (
	"io"
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"

	"github.com/ki-reise/kicheck/internal/report"
)

// The one way the GUI asks for a file or a folder: a dialog parented to
// the window, 800×560, that hands the screen a path (the screen reads and
// writes through the packages, not through the dialog's stream). A cancel
// does nothing; a dialog that fails shows its error on the window.

var fileDialogSize = fyne.NewSize(800, 560)

// choosePath asks for an existing file (only files ending in one of exts
// when given) and hands its path to onPath.
func choosePath(win fyne.Window, exts []string, onPath func(path string)) {
	showFileDialog(dialog.NewFileOpen(chosen[fyne.URIReadCloser](win, onPath), win), "", exts)
}

// chooseSavePath asks where to save a file, suggesting name (when not
// empty) and showing only files ending in one of exts when given, and
// hands the path to onPath. The dialog leaves an empty file there.
func chooseSavePath(win fyne.Window, name string, exts []string, onPath func(path string)) {
	showFileDialog(dialog.NewFileSave(chosen[fyne.URIWriteCloser](win, onPath), win), name, exts)
}

// chosen is a file dialog's callback: it closes the file the dialog
// opened and hands its path on.
func chosen[F interface {
	URI() fyne.URI
	Close() error
}](win fyne.Window, onPath func(path string)) func(F, error) {
	return func(f F, err error) {
		if err != nil {
			showErrorDialog(win, err)
			return
		}
		if any(f) == nil {
			return // cancelled
		}
		path := f.URI().Path()
		f.Close()
		onPath(path)
	}
}

func showFileDialog(d *dialog.FileDialog, name string, exts []string) {
	if name != "" {
		d.SetFileName(name)
	}
	if len(exts) > 0 {
		d.SetFilter(storage.NewExtensionFileFilter(exts))
	}
	d.Resize(fileDialogSize)
	d.Show()
}

// chooseFolder asks for a folder, starting in start when that is an
// existing folder ("" for the dialog's own start), and hands its path to
// onDir.
func chooseFolder(win fyne.Window, start string, onDir func(dir string)) {
	d := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil {
			showErrorDialog(win, err)
			return
		}
		if dir == nil {
			return
		}
		onDir(dir.Path())
	}, win)
	if start != "" {
		if st, err := os.Stat(start); err == nil && st.IsDir() {
			if l, err := storage.ListerForURI(storage.NewFileURI(start)); err == nil {
				d.SetLocation(l)
			}
		}
	}
	d.Resize(fileDialogSize)
	d.Show()
}

// documentsFolder is the user's Documents folder, "" when there is none.
func documentsFolder() string {
	docs, err := report.DocumentsDir()
	if err != nil {
		return ""
	}
	return docs
}

// readHead reads at most max bytes of the file at path.
func readHead(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, max))
}
