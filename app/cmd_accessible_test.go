package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/ki-reise/kicheck/internal/store"
)

// `kicheck accessible` serves the view on loopback until the context
// ends, prints the address and hands it to the browser opener.
func TestAccessibleServesUntilCancelled(t *testing.T) {
	dir := t.TempDir()
	db, err := store.Open(context.Background(), filepath.Join(dir, store.FileName), allSchemas()...)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut bytes.Buffer
	var opened string
	done := make(chan error)
	got := make(chan string, 1)
	go func() {
		done <- serveAccessible(ctx, accessibleOptions{DataDir: dir, Lang: "en", open: func(u string) error { opened = u; return nil },
			ready: func(u string) { got <- u }}, db, &out, &errOut)
	}()
	url := <-got
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `<html lang="en">`) {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if opened != url || !strings.HasPrefix(url, "http://127.0.0.1:") || !strings.Contains(out.String(), "Accessible view: "+url) {
		t.Errorf("opened %q, printed %q", opened, out.String())
	}
	if _, err := http.Get(url); err == nil {
		t.Error("still serving after the command ended")
	}
}

// `kicheck --lang en --accessible --no-browser --json` goes to the command:
// it prints the address, serves, and ends with the context.
func TestAccessibleGlobalFlag(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	w := &signalWriter{wrote: make(chan struct{})}
	var errOut bytes.Buffer
	code := make(chan int)
	go func() {
		code <- Main(ctx, []string{"--data-dir", t.TempDir(), "--lang", "en", "--accessible", "--no-browser", "--json"}, w, &errOut)
	}()
	select {
	case <-w.wrote:
	case c := <-code:
		t.Fatalf("ended with %d before printing: %s", c, errOut.String())
	}
	var v struct{ URL string }
	if err := json.Unmarshal(w.buf.Bytes(), &v); err != nil || !strings.HasPrefix(v.URL, "http://127.0.0.1:") || !strings.HasSuffix(v.URL, "/en/") {
		t.Fatalf("out %q: %v", w.buf.String(), err)
	}
	if resp, err := http.Get(v.URL); err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET: %v", err)
	}
	cancel()
	if c := <-code; c != 0 {
		t.Fatalf("exit %d: %s", c, errOut.String())
	}
}

// signalWriter closes wrote after the first write.
type signalWriter struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	once  sync.Once
	wrote chan struct{}
}

func (w *signalWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	n, err := w.buf.Write(p)
	w.mu.Unlock()
	w.once.Do(func() { close(w.wrote) })
	return n, err
}
