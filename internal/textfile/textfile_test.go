package textfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A named pipe, a symbolic link, a device and a folder are refused at
// once and say what they are; nothing blocks.
func TestOnlyRegularFiles(t *testing.T) {
	dir := t.TempDir()
	regular := filepath.Join(dir, "r.txt")
	if err := os.WriteFile(regular, []byte("\xEF\xBB\xBFzeile\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "r.json.sig")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no named pipes here:", err)
	}
	link := filepath.Join(dir, "link.txt")
	if err := os.Symlink(regular, link); err != nil {
		t.Fatal(err)
	}
	for path, kind := range map[string]string{fifo: "named pipe", link: "symbolic link", "/dev/zero": "device", dir: "folder"} {
		done := make(chan error, 1)
		go func() { _, err := ReadText(path, 1<<20); done <- err }()
		select {
		case err := <-done:
			if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), kind) {
				t.Errorf("%s: %v, want %q refused", path, err, kind)
			}
			var te *Error
			if !errors.As(err, &te) || !strings.Contains(te.Text("de"), "keine gewöhnliche Datei") {
				t.Errorf("%s: German text missing: %v", path, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: read blocked", path)
		}
	}
	b, err := ReadText(regular, 1<<20)
	if err != nil || string(b) != "zeile\n" {
		t.Fatalf("regular file with BOM: %q, %v", b, err)
	}
	b, err = ReadExact(regular, 1<<20)
	if err != nil || !strings.HasPrefix(string(b), "\xEF\xBB\xBF") {
		t.Fatalf("ReadExact must keep the BOM: %q, %v", b, err)
	}
	if _, err := ReadExact(regular, 4); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("over the limit: %v", err)
	}
	if _, err := ReadExact(filepath.Join(dir, "missing"), 4); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing file: %v", err)
	}
}
