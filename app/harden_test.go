package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Issue 20, failure 3: a named pipe as the report's signature, or as the
// report given on the command line, makes verify and collect answer at
// once (they waited forever).
func TestVerifyAndCollectRefuseNamedPipes(t *testing.T) {
	dir := t.TempDir()
	good := writeReport(t, dir, nil)
	os.Remove(good + ".sig")
	if err := syscall.Mkfifo(good+".sig", 0o644); err != nil {
		t.Skip("no named pipes here:", err)
	}
	fifo := filepath.Join(t.TempDir(), "pipe.json")
	syscall.Mkfifo(fifo, 0o644)
	type result struct {
		out, errOut string
		code        int
	}
	run := func(args ...string) result {
		done := make(chan result, 1)
		go func() {
			out, errOut, code := kicheck(t, args...)
			done <- result{out, errOut, code}
		}()
		select {
		case r := <-done:
			return r
		case <-time.After(10 * time.Second):
			t.Fatalf("kicheck %s blocked on a named pipe", strings.Join(args, " "))
			return result{}
		}
	}
	for _, path := range []string{good, fifo} {
		r := run("--data-dir", dir, "--lang", "en", "verify", path)
		if r.code != 1 || !strings.Contains(r.errOut, "named pipe") {
			t.Errorf("verify %s: %d %q %q", path, r.code, r.out, r.errOut)
		}
	}
	r := run("--data-dir", dir, "--lang", "en", "collect", "--db", filepath.Join(t.TempDir(), "c.db"), "--enroll", filepath.Dir(good), fifo)
	if r.code != exitCollectRejected || strings.Count(r.out, "named pipe") != 2 {
		t.Errorf("collect: %d %q %q", r.code, r.out, r.errOut)
	}
}

// Issue 20, failure 4: a file name on the share with an escape sequence
// and a line break cannot draw on the terminal or fake a summary line.
func TestCollectEscapesFileNames(t *testing.T) {
	share := t.TempDir()
	name := "x\x1b[1A\x1b[2K\n0 accepted, 0 duplicate, 0 rejected\n.json"
	if err := os.WriteFile(filepath.Join(share, name), []byte("{}"), 0o644); err != nil {
		t.Skip("file system refuses the name:", err)
	}
	out, _, code := kicheck(t, "--data-dir", t.TempDir(), "--lang", "en", "collect", "--db", filepath.Join(t.TempDir(), "c.db"), "--enroll", share)
	if code != exitCollectRejected || strings.Contains(out, "\x1b") || strings.Count(out, "\n") != 2 || !strings.Contains(out, `x\x1b[1A\x1b[2K\n0 accepted`) {
		t.Errorf("exit %d, output %q", code, out)
	}
}

// Issue 20, failure 8 and weaknesses: serve reads a token file saved by
// Notepad (BOM), warns when every user may read it, refuses a device as
// token file, and checks a TLS key before it says it is listening.
func TestServeTokenFileAndTLS(t *testing.T) {
	const token = "bauamt-0123456789abcdef0123456789abcdef"
	dir := t.TempDir()
	tokens := filepath.Join(dir, "tokens")
	os.WriteFile(tokens, []byte("\xEF\xBB\xBF"+token+" Bauamt\r\n"), 0o644)
	os.Chmod(tokens, 0o644)
	_, _, errb, stop := startServe(t, "--data-dir", t.TempDir(), "--lang", "en", "serve", "--db", filepath.Join(dir, "c.db"), "--enroll", "--token-file", tokens, "--addr", "127.0.0.1:0")
	if code := stop(); code != 0 || !strings.Contains(errb.String(), "can be read by every user") {
		t.Errorf("world-readable token file: exit %d, %q", code, errb.String())
	}
	out, errOut, code := kicheck(t, "--data-dir", t.TempDir(), "--lang", "en", "serve", "--db", filepath.Join(dir, "c.db"), "--token-file", "/dev/zero")
	if code != 1 || !strings.Contains(errOut, "a device, not a regular file") {
		t.Errorf("/dev/zero: %d %q %q", code, out, errOut)
	}
	cert, key := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(cert, []byte("kaputt"), 0o600)
	os.WriteFile(key, []byte("kaputt"), 0o600)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var outb, errs syncBuffer
	code = Main(ctx, []string{"--data-dir", t.TempDir(), "--lang", "en", "serve", "--db", filepath.Join(dir, "c.db"), "--token-file", tokens,
		"--addr", "127.0.0.1:0", "--tls-cert", cert, "--tls-key", key}, &outb, &errs)
	if code != 1 || strings.Contains(outb.String(), "receiving reports") || !strings.Contains(errs.String(), "TLS") {
		t.Errorf("broken TLS key: exit %d, out %q, err %q", code, outb.String(), errs.String())
	}
}
