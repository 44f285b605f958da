package collect

import (
	"archive/zip"
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
)

// FuzzIntake feeds arbitrary report and signature bytes to the intake with
// a real database: it never panics, a rejected item leaves no row, and an
// accepted one is stored byte for byte.
func FuzzIntake(f *testing.F) {
	key := newKey(f)
	data, sig := makeReport(f, key, spec{bandwidth: 30, quiz: [2]float64{3, 50}})
	f.Add(data, sig)
	f.Add(data[:len(data)/2], sig)
	f.Add(data, sig[:len(sig)-20])
	f.Add([]byte(`{"schema_version":1}`), sig)
	f.Add([]byte{}, []byte{})
	db := openDB(f)
	in := NewIntake(db, Trust{Enroll: true})
	f.Fuzz(func(t *testing.T, data, sig []byte) {
		before := countRows(t, db, "collect_reports")
		res, err := in.Add(context.Background(), []Item{{Source: "fuzz", Data: data, Sig: sig}})
		if err != nil {
			t.Fatal(err)
		}
		after := countRows(t, db, "collect_reports")
		switch res[0].Outcome {
		case Accepted:
			if stored, _, err := StoredReport(context.Background(), db, res[0].SHA256); err != nil || !bytes.Equal(stored, data) {
				t.Fatalf("accepted but not stored as sent: %v", err)
			}
			if after != before+1 {
				t.Fatalf("accepted: %d → %d rows", before, after)
			}
		default:
			if after != before {
				t.Fatalf("%s left a row: %d → %d", res[0].Outcome, before, after)
			}
			if res[0].Message == "" {
				t.Fatal("no reason")
			}
		}
	})
}

// FuzzArchive reads arbitrary bytes as a ZIP file: no panic, no entry read
// beyond the caps.
func FuzzArchive(f *testing.F) {
	key := newKey(f)
	data, sig := makeReport(f, key, spec{})
	for _, files := range []map[string][]byte{
		{"r.json": data, "r.json.sig": sig},
		{"../r.json": data},
		{"r.json": make([]byte, 1<<20)},
	} {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for n, b := range files {
			w, _ := zw.Create(n)
			w.Write(b)
		}
		zw.Close()
		f.Add(buf.Bytes())
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return
		}
		if checkArchive("fuzz.zip", zr) != nil {
			return
		}
		bud := newBudget()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		zipEntries(ctx, "fuzz.zip", zr, int64(len(b)), bud, func(it Item) bool {
			if len(it.Data) > 8<<20 || len(it.Sig) > MaxSigSize {
				t.Errorf("entry over the cap: %d / %d bytes", len(it.Data), len(it.Sig))
			}
			it.Done()
			return true
		})
		if ctx.Err() != nil {
			t.Fatal("reading the archive blocked")
		}
		// Every entry gave its memory back.
		if !bud.sem.TryAcquire(MemoryBudget) {
			t.Fatal("budget not given back")
		}
	})
}

// FuzzTokens parses arbitrary token files: no panic, and every token
// accepted is at least MinTokenLength long.
func FuzzTokens(f *testing.F) {
	f.Add([]byte("# c\n0123456789abcdef0123456789 Bauamt\n"))
	f.Add([]byte("short unit\n"))
	f.Add([]byte("0123456789abcdef0123456789\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		tok, err := ParseTokens("fuzz", b)
		if err != nil {
			return
		}
		if len(tok.units) == 0 {
			t.Fatal("no tokens without an error")
		}
	})
}

// FuzzEnvelope reads arbitrary request bodies as an upload envelope: no
// panic; what is accepted has exactly the members "report" and
// "signature", each once, and nothing after the object.
func FuzzEnvelope(f *testing.F) {
	f.Add([]byte(`{"report":"e30=","signature":"x"}`))
	f.Add([]byte(`{"report":"e30=","report":"e30=","signature":"x"}`))
	f.Add([]byte(`{"Report":"e30=","signature":"x"}`))
	f.Add([]byte(`{"report":"e30=","signature":"x"} {}`))
	f.Add([]byte(`{"report":"!!","signature":"x"}`))
	f.Add([]byte("\xEF\xBB\xBF{}"))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, _ := http.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.ContentLength = int64(len(body))
		data, sig, err := readUpload(req)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("error without text")
			}
			return
		}
		if data == nil || len(sig) == 0 {
			t.Fatalf("accepted without report or signature: %q", body)
		}
		// The same body decoded as a generic object has exactly the two
		// members, each once.
		var m map[string]any
		if err := jsonv2.Unmarshal(body, &m); err != nil || len(m) != 2 || m["report"] == nil || m["signature"] == nil {
			t.Fatalf("accepted %q (generic: %v, %v)", body, m, err)
		}
	})
}

// FuzzRedactDSN: whatever user, password and host a URL carries (the
// --db value comes from the command line or the settings), the redacted
// form has no password but xxxxx, and the key=value form loses it too.
func FuzzRedactDSN(f *testing.F) {
	f.Add("kicheck", "geheim", "db.example:5432")
	f.Add("a@b", "p:w/d?#%", "[::1]:5432")
	f.Add("", "", "")
	f.Fuzz(func(t *testing.T, user, pw, host string) {
		u := &url.URL{Scheme: "postgres", User: url.UserPassword(user, pw), Host: host, Path: "/kicheck"}
		red := RedactDSN(u.String())
		if r, err := url.Parse(red); err == nil && r.User != nil {
			if p, ok := r.User.Password(); ok && p != "xxxxx" {
				t.Fatalf("%q → %q keeps password %q", u.String(), red, p)
			}
		}
		if strings.ContainsAny(pw, " '\\\t\n\r\v\f") || len(pw) < 3 {
			return
		}
		kv := "host=db.example password=" + pw + " user=kicheck"
		if red := RedactDSN(kv); strings.Contains(red, pw) && !strings.Contains("host=db.example password=xxxxx user=kicheck", pw) {
			t.Fatalf("%q → %q", kv, red)
		}
	})
}
