package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/collect"
	"github.com/ki-reise/kicheck/internal/store"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// TestServeAndCheckUpload runs kicheck serve on loopback and the real
// headless check with --upload against it.
func TestServeAndCheckUpload(t *testing.T) {
	const token = "bauamt-0123456789abcdef0123456789abcdef"
	dir := t.TempDir()
	tokens := filepath.Join(dir, "tokens")
	os.WriteFile(tokens, []byte("# one line per unit\n"+token+" Bauamt\n"), 0o600)
	tokenFile := filepath.Join(dir, "token")
	os.WriteFile(tokenFile, []byte(token+"\n"), 0o600)
	wrongToken := filepath.Join(dir, "wrong")
	os.WriteFile(wrongToken, []byte("wrong-0123456789abcdef0123456789abcdef"), 0o600)
	db := filepath.Join(dir, "central.db")

	url, _, errb, stop := startServe(t, "--data-dir", t.TempDir(), "serve", "--db", db, "--enroll", "--token-file", tokens, "--addr", "127.0.0.1:0")

	pcData := t.TempDir()
	stdout, stderr, _ := kicheck(t, "--data-dir", pcData, "check", "--headless", "--out", t.TempDir(), "--json", "--upload", url, "--upload-token-file", tokenFile)
	var res checkJSON
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("%v: %s %s", err, stdout, stderr)
	}
	if res.Upload == nil || res.Upload.Status != "accepted" {
		t.Fatalf("upload: %+v (stderr %s)", res.Upload, stderr)
	}
	// A wrong token: the upload fails without retrying, the report stays local.
	outDir := t.TempDir()
	stdout, stderr, _ = kicheck(t, "--data-dir", pcData, "--lang", "en", "check", "--headless", "--out", outDir, "--json", "--upload", url, "--upload-token-file", wrongToken)
	res = checkJSON{}
	json.Unmarshal([]byte(stdout), &res)
	if res.Upload == nil || res.Upload.Status != "failed" || !strings.Contains(stderr, "401") || !strings.Contains(stderr, "kept locally") {
		t.Fatalf("wrong token: %+v %s", res.Upload, stderr)
	}
	if _, err := os.Stat(res.Exported.JSON); err != nil {
		t.Fatalf("report not kept: %v", err)
	}
	if code := stop(); code != 0 {
		t.Fatalf("serve exit %d: %s", code, errb.String())
	}
	sdb, err := store.Open(context.Background(), db, collect.Schema)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	var n int
	var src string
	sdb.QueryRow(`SELECT COUNT(*), MIN(source) FROM collect_reports`).Scan(&n, &src)
	if n != 1 || src != "upload:Bauamt" {
		t.Fatalf("stored %d, source %q", n, src)
	}
}

func TestServeArguments(t *testing.T) {
	for _, args := range [][]string{
		{"serve", "--db", "x.db"},
		{"serve", "--token-file", "t"},
		{"serve", "--db", "x.db", "--token-file", "t", "--tls-cert", "c"},
		{"serve", "--db", "x.db", "--token-file", "t", "--rate", "0"},
	} {
		if _, stderr, code := kicheck(t, append([]string{"--data-dir", t.TempDir()}, args...)...); code != exitUsage {
			t.Errorf("%v: exit %d %s", args, code, stderr)
		}
	}
	bad := filepath.Join(t.TempDir(), "tokens")
	os.WriteFile(bad, []byte("short Bauamt\n"), 0o600)
	_, stderr, code := kicheck(t, "--data-dir", t.TempDir(), "--lang", "en", "serve", "--db", filepath.Join(t.TempDir(), "c.db"), "--token-file", bad)
	if code != exitFailure || !strings.Contains(stderr, ":1: token shorter") || !strings.Contains(stderr, "hint:") {
		t.Errorf("bad token file: %d %s", code, stderr)
	}
}

// startServe runs kicheck with args (a serve command listening on
// 127.0.0.1:0) in the background and returns the URL it announces, its
// output, and stop, which ends it and returns its exit code.
func startServe(t *testing.T, args ...string) (url string, out, errb *syncBuffer, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, errb = &syncBuffer{}, &syncBuffer{}
	done := make(chan int)
	go func() { done <- Main(ctx, args, out, errb) }()
	stop = func() int { cancel(); return <-done }
	addr := regexp.MustCompile(`http://127\.0\.0\.1:\d+`)
	deadline := time.Now().Add(10 * time.Second)
	for addr.FindString(out.String()) == "" && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond) // polls for the announcement; the deadline bounds it
	}
	if url = addr.FindString(out.String()); url == "" {
		stop()
		t.Fatalf("server did not start: %s %s", out.String(), errb.String())
	}
	return url, out, errb, stop
}
