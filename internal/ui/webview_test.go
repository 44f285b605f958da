package ui

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
	"github.com/go-gl/glfw/v3.3/glfw"
)

// viewServer is the running accessible view's address, "" when none.
func viewAddr(st *state) string {
	if st.view == nil {
		return ""
	}
	st.view.mu.Lock()
	defer st.view.mu.Unlock()
	if st.view.srv == nil {
		return ""
	}
	return st.view.srv.URLIn(st.settings.Language)
}

// "Barrierefreie Ansicht im Browser" on the Übersicht (Enter on the
// focused button) and Ctrl+B start the accessible view on loopback; it
// serves the window's language and stops when the window closes.
func TestAccessibleViewFromWindow(t *testing.T) {
	st := newTestState(t)
	ov := st.shell.screens[0].(*overview)
	if ov.webBtn == nil || ov.webBtn.Text != "Barrierefreie Ansicht im Browser" {
		t.Fatalf("button: %+v", ov.webBtn)
	}
	st.win.Canvas().Focus(ov.webBtn)
	ov.webBtn.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	awaitUI(t, "the view to start", time.Minute, func() bool { return viewAddr(st) != "" })
	addr := viewAddr(st)
	if !strings.HasPrefix(addr, "http://127.0.0.1:") || !strings.HasSuffix(addr, "/de/") {
		t.Fatalf("address %q", addr)
	}
	awaitUI(t, "the address on the Übersicht", time.Minute, func() bool { return ov.webStatus.Visible() })
	if !strings.Contains(ov.webStatus.Text, addr) {
		t.Errorf("Übersicht shows %q", ov.webStatus.Text)
	}
	resp, err := http.Get(addr)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `<html lang="de">`) {
		t.Fatalf("%d %.200s", resp.StatusCode, body)
	}
	// A second open uses the running view (no second server).
	var again string
	st.openAccessibleView(func(u string, err error) { again = u })
	awaitUI(t, "the second open", time.Minute, func() bool { return again != "" })
	if again != addr {
		t.Errorf("second open: %q, first %q", again, addr)
	}
	// Closing the window stops it.
	awaitSignal(t, st.stopBackground(), "the window's background work", time.Minute)
	if _, err := http.Get(addr); err == nil {
		t.Error("the view still serves after the window closed")
	}
}

// Ctrl+B alone starts the view, in English when the window is English.
func TestAccessibleViewShortcut(t *testing.T) {
	st := newTestState(t)
	st.settings.Language = "en"
	st.win.Canvas().(fyne.Shortcutable).TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyB, Modifier: fyne.KeyModifierShortcutDefault})
	awaitUI(t, "the view to start", time.Minute, func() bool { return viewAddr(st) != "" })
	if addr := viewAddr(st); !strings.HasSuffix(addr, "/en/") {
		t.Errorf("address %q", addr)
	}
}

// Ctrl+B reaches the window while an entry has the focus (the key hook
// hands it over, as Ctrl+digit); other letters and modifiers do not.
func TestAccessibleViewShortcutFromEntry(t *testing.T) {
	if sc := windowShortcut(glfw.KeyC, glfw.ModControl); sc != nil {
		t.Fatalf("Ctrl+C (copy) taken from the entry as %v", sc)
	}
	if windowShortcut(glfw.KeyB, 0) != nil {
		t.Fatal("B without a modifier taken from the entry")
	}
	st := newTestState(t)
	e := widget.NewEntry()
	st.win.SetContent(e)
	st.win.Canvas().Focus(e)
	if !onWindowShortcut(st.win.Canvas(), windowShortcut(glfw.KeyB, glfw.ModControl)) {
		t.Fatal("Ctrl+B was not handed to the window")
	}
	awaitUI(t, "the view to start", time.Minute, func() bool { return viewAddr(st) != "" })
}
