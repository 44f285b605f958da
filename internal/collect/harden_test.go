package collect

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/report"
	"github.com/ki-reise/kicheck/internal/signing"
)

// junkUpload is the body of the attack of issue 20, failure 1: an
// envelope of about 11 MB whose report is valid JSON of many small values
// (the costliest thing to parse) with a well-formed signature of another
// report.
func junkUpload(t testing.TB, sig []byte) []byte {
	t.Helper()
	var doc bytes.Buffer
	doc.WriteString(`{"a":[`)
	for doc.Len() < report.MaxSize-16 {
		doc.WriteString(`0,`)
	}
	doc.WriteString(`0]}`)
	body, err := json.Marshal(map[string]string{"report": base64.StdEncoding.EncodeToString(doc.Bytes()), "signature": string(sig)})
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// Issue 20, failure 1: one junk upload with a valid token costs the server
// about the body and the decoded report, not a parse of it (it cost about
// 175 MB before: the report was parsed before its signature was checked).
func TestJunkUploadCostsNoParse(t *testing.T) {
	ts, _ := testServer(t, ServerOptions{})
	_, sig := makeReport(t, newKey(t), spec{})
	body := junkUpload(t, sig)
	post(t, ts.URL, tokenBau, "application/json", []byte(`{}`)) // warm up the connection
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	code, ae := post(t, ts.URL, tokenBau, "application/json", body)
	runtime.ReadMemStats(&after)
	if code != http.StatusBadRequest || ae.Error != string(report.ProblemSignatureInvalid) {
		t.Fatalf("junk upload: %d %+v", code, ae)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("one upload of %d bytes allocated %d MB", len(body), alloc>>20)
	if alloc > 3*uint64(len(body)) {
		t.Errorf("one junk upload of %d bytes allocated %d bytes (more than three times its size): the report is parsed before its signature is checked", len(body), alloc)
	}
}

// peakHeap samples the Go heap (objects, live or not yet collected) until
// stop is closed and returns the largest figure.
func peakHeap(stop <-chan struct{}) func() uint64 {
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		defer close(done)
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	return func() uint64 { <-done; return peak.Load() }
}

// Issue 20, failure 1 under load: 40 junk uploads of 11 MB at once with
// a valid token (the attack pushed the server to 9.27 GB). With the
// settings kicheck serve runs with, the heap stays under 300 MB, and every
// upload is answered: refused for its signature, or told to come back.
func TestConcurrentJunkUploadsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	defer debug.SetGCPercent(debug.SetGCPercent(IntakeGCPercent))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(IntakeMemoryLimit))
	ts, _ := testServer(t, ServerOptions{Rate: 1000, Burst: 1000})
	_, sig := makeReport(t, newKey(t), spec{})
	body := junkUpload(t, sig)
	runtime.GC()
	stop := make(chan struct{})
	peak := peakHeap(stop)
	var wg sync.WaitGroup
	var refused, busy, other atomic.Int64
	var mu sync.Mutex
	var others []string // what the uploads counted as "other" got, for the log
	noteOther := func(what string) {
		other.Add(1)
		mu.Lock()
		others = append(others, what)
		mu.Unlock()
	}
	for range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodPost, ts.URL+UploadPath, bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+tokenBau)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				noteOther(err.Error())
				return
			}
			answer, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			switch {
			case resp.StatusCode == http.StatusBadRequest:
				refused.Add(1)
			case resp.StatusCode == http.StatusServiceUnavailable && resp.Header.Get("Retry-After") != "":
				busy.Add(1)
			default:
				noteOther(fmt.Sprintf("%s: %s", resp.Status, answer))
			}
		}()
	}
	wg.Wait()
	close(stop)
	p := peak()
	t.Logf("40 junk uploads: %d refused, %d told to retry, %d other; peak heap %d MB", refused.Load(), busy.Load(), other.Load(), p>>20)
	if other.Load() != 0 {
		t.Errorf("%d uploads got another answer: %q", other.Load(), others)
	}
	if p > 300<<20 {
		t.Errorf("peak heap %d MB under 40 junk uploads, want under 300 MB", p>>20)
	}
}

// bombEntry is one entry of the archive of issue 20, failure 2: 8 MiB
// compressed about 63 to 1 (under the ratio cap), deflated once.
func bombEntry(t testing.TB) (raw []byte, crc uint32, size uint64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, report.MaxSize)
	for i := range b {
		if rng.IntN(165) == 0 {
			b[i] = byte('a' + rng.IntN(26))
		} else {
			b[i] = '0'
		}
	}
	var out bytes.Buffer
	w, _ := flate.NewWriter(&out, flate.BestCompression)
	w.Write(b)
	w.Close()
	return out.Bytes(), crc32.ChecksumIEEE(b), uint64(len(b))
}

// writeBombZip writes n copies of the entry as r000.json, r001.json, ….
func writeBombZip(t testing.TB, path string, n int) {
	t.Helper()
	raw, crc, size := bombEntry(t)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for i := range n {
		w, err := zw.CreateRaw(&zip.FileHeader{Name: fmt.Sprintf("r%03d.json", i), Method: zip.Deflate,
			CRC32: crc, CompressedSize64: uint64(len(raw)), UncompressedSize64: size})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(raw)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

// Issue 20, failure 2: an archive of 40 entries of 8 MiB at 63:1 (320
// MiB uncompressed; the attack used 256) is read entry by entry: while
// the intake holds the first report, the walker has read no more than
// the memory budget. Before, every entry was read into memory before the
// first was handed on.
func TestArchiveReadEntryByEntry(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 320 MiB archive (5 MB on disk)")
	}
	path := filepath.Join(t.TempDir(), "bomb.zip")
	writeBombZip(t, path, 40)
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	ctx, cancel := context.WithCancel(context.Background())
	items := make(chan Item, 64)
	go Walk(ctx, []string{path}, items)
	first := <-items
	time.Sleep(500 * time.Millisecond) // let the walker read what it may
	runtime.GC()
	var held runtime.MemStats
	runtime.ReadMemStats(&held)
	live := int64(held.HeapAlloc) - int64(base.HeapAlloc)
	t.Logf("holding the first entry (%d bytes): %d MB live", len(first.Data), live>>20)
	if len(first.Data) != report.MaxSize {
		t.Fatalf("first entry: %d bytes, %v", len(first.Data), first.Err)
	}
	if live > 100<<20 {
		t.Errorf("%d MB live while the first of 40 entries of 8 MiB is held: the archive is read ahead without bound", live>>20)
	}
	cancel()
	for range items {
	}

	// The whole intake rejects every entry (no signature) and says so.
	db := openDB(t)
	sum, err := Collect(context.Background(), db, Trust{Enroll: true}, []string{path}, Options{})
	if err != nil || sum.Rejected != 40 || sum.Files[0].Problem != report.ProblemSignatureMissing {
		t.Fatalf("%+v %v", sum, err)
	}
}

// Weakness of issue 20: a ZIP inside a ZIP was silently ignored ("0
// accepted, 0 rejected"); it is reported as rejected.
func TestNestedZipReported(t *testing.T) {
	var inner bytes.Buffer
	zw := zip.NewWriter(&inner)
	w, _ := zw.Create("r.json")
	w.Write([]byte("{}"))
	zw.Close()
	path := filepath.Join(t.TempDir(), "outer.zip")
	f, _ := os.Create(path)
	zw = zip.NewWriter(f)
	w, _ = zw.Create("innen/berichte.zip")
	w.Write(inner.Bytes())
	zw.Close()
	f.Close()
	sum, err := Collect(context.Background(), openDB(t), Trust{Enroll: true}, []string{path}, Options{})
	if err != nil || sum.Rejected != 1 || !strings.Contains(sum.Files[0].Localize("en").Message, "ZIP file inside the ZIP") ||
		sum.Files[0].Source != path+"!innen/berichte.zip" {
		t.Fatalf("%+v %v", sum, err)
	}
}

// Issue 20, failure 3: a named pipe called NAME.json.sig beside a real
// report, a pipe given as the report, and a .sig that is a symbolic link
// are refused at once and say what they are; the intake ends.
func TestFIFOAndLinkedSignatureRefused(t *testing.T) {
	dir := t.TempDir()
	key := newKey(t)
	data, sig := makeReport(t, key, spec{})
	os.WriteFile(filepath.Join(dir, "a.json"), data, 0o644)
	if err := syscall.Mkfifo(filepath.Join(dir, "a.json.sig"), 0o644); err != nil {
		t.Skip("no named pipes here:", err)
	}
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "real.sig"), sig, 0o644)
	os.WriteFile(filepath.Join(dir, "b.json"), data, 0o644)
	os.Symlink(filepath.Join(other, "real.sig"), filepath.Join(dir, "b.json.sig"))
	syscall.Mkfifo(filepath.Join(dir, "c.json"), 0o644)
	done := make(chan Summary, 1)
	go func() {
		sum, err := Collect(context.Background(), openDB(t), Trust{Enroll: true}, []string{dir, filepath.Join(dir, "a.json.sig")}, Options{})
		if err != nil {
			t.Error(err)
		}
		done <- sum
	}()
	select {
	case sum := <-done:
		if sum.Accepted != 0 || sum.Rejected != 4 {
			t.Fatalf("%+v", sum)
		}
		for _, f := range sum.Files {
			msg := f.Localize("en").Message
			if !strings.Contains(msg, "named pipe") && !strings.Contains(msg, "symbolic link") {
				t.Errorf("%s: %s", f.Source, msg)
			}
		}
	case <-time.After(10 * time.Second):
		t.Fatal("collect blocked on a named pipe")
	}
}

// Issue 20, failure 4: file names with ESC and newlines, and a device id
// in a report not yet verified, never reach a log line or the terminal
// raw: the server's log has one line per refused request.
func TestControlCharactersEscapedInTheLog(t *testing.T) {
	var logged bytes.Buffer
	var mu sync.Mutex
	logf := func(format string, a ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(&logged, format+"\n", a...)
	}
	tokens, _ := ParseTokens("tokens", []byte(tokenBau+" Bauamt\n"))
	trusted := newKey(t)
	allowed := signing.ParseAllowedSigners("/srv/kicheck/allowed_signers", []byte(signing.AllowedSignersLine(trusted.Public())+"\n"))
	in := NewIntake(openDB(t), Trust{AllowedSigners: allowed})
	srv := httpServer(t, NewServer(ServerOptions{Intake: in, Tokens: tokens, Log: logf}))
	// A stranger's report whose device id forges a log line.
	stranger := newKey(t)
	forged := "kc-x\n2026/12/04 10:00:00 kicheck serve: 10.0.0.1 POST /api/v1/reports: 201 accepted\x1b[2K"
	data, sig := makeReport(t, stranger, spec{})
	var r map[string]any
	json.Unmarshal(data, &r)
	r["device"].(map[string]any)["device_id"] = forged
	data, _ = json.Marshal(r)
	sig = signed(t, stranger, data)
	code, ae := postJSON(t, srv, tokenBau, data, sig)
	if code != http.StatusBadRequest || ae.Error != "unknown_key" {
		t.Fatalf("%d %+v", code, ae)
	}
	// The answer does not tell the sender where the server keeps its
	// allowed_signers file; the log does.
	if strings.Contains(ae.Message, "/srv/kicheck") {
		t.Errorf("answer reveals the server's path: %q", ae.Message)
	}
	mu.Lock()
	log := logged.String()
	mu.Unlock()
	if strings.Count(log, "\n") != 1 || strings.Contains(log, "\x1b") || !strings.Contains(log, "/srv/kicheck/allowed_signers") {
		t.Errorf("log:\n%s", log)
	}
	// An unreadable envelope that quotes control characters.
	code, _ = post(t, srv, tokenBau, "application/json", []byte("{\"report\x1b[31m\n201\":1}"))
	mu.Lock()
	log = logged.String()
	mu.Unlock()
	if code != http.StatusBadRequest || strings.Count(log, "\n") != 2 || strings.Contains(log, "\x1b") {
		t.Errorf("log after a bad envelope:\n%s", log)
	}
}

// httpServer serves h on a loopback port and returns its URL.
func httpServer(t *testing.T, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := HTTPServer("", h)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, srv, ln) }()
	t.Cleanup(func() { cancel(); <-done })
	return "http://" + ln.Addr().String()
}

// Issue 20, failure 4 on a share: a file name with an escape sequence and
// a line break is kept as it is in the summary (JSON escapes it); the
// CLI's escaping is tested in app.
func TestControlCharactersInFileNames(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "x\x1b[2J\n0 accepted.json")
	if err := os.WriteFile(name, []byte("{}"), 0o644); err != nil {
		t.Skip("file system refuses the name:", err)
	}
	sum, err := Collect(context.Background(), openDB(t), Trust{Enroll: true}, []string{dir}, Options{})
	if err != nil || sum.Rejected != 1 || sum.Files[0].Source != name {
		t.Fatalf("%+v %v", sum, err)
	}
}

// Issue 20, failure 5 at the intake: a re-signed report dated 2099 does
// not become the device's newest; the genuine report after it does.
func TestFutureReportDoesNotPinDevice(t *testing.T) {
	db := openDB(t)
	in := NewIntake(db, Trust{Enroll: true})
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	in.now = func() time.Time { return now }
	key := newKey(t)
	future, fsig := makeReport(t, key, spec{created: time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC)})
	genuine, gsig := makeReport(t, key, spec{created: now.Add(-time.Hour)})
	sum := runItems(t, in, Item{Source: "future.json", Data: future, Sig: fsig}, Item{Source: "genuine.json", Data: genuine, Sig: gsig})
	if sum.Accepted != 1 || sum.Rejected != 1 || sum.Files[0].Problem != "created_in_future" {
		t.Fatalf("%+v", sum)
	}
	var latest string
	db.QueryRow(`SELECT latest_created FROM collect_devices`).Scan(&latest)
	if latest != now.Add(-time.Hour).Format(time.RFC3339) {
		t.Errorf("newest report of the device: %s", latest)
	}
	// A PC whose clock is three hours ahead is stored (within the
	// tolerance) and shown in the overview with its skew.
	ahead, asig := makeReport(t, newKey(t), spec{created: now.Add(3 * time.Hour), hostname: "PC-UHR"})
	if sum := runItems(t, in, Item{Source: "ahead.json", Data: ahead, Sig: asig}); sum.Accepted != 1 {
		t.Fatalf("%+v", sum)
	}
	f, err := ComputeFleet(context.Background(), db, FleetOptions{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if f.ClockAhead.Count != 1 || f.ClockAhead.Devices[0].AheadSeconds != 3*3600 {
		t.Fatalf("clock ahead: %+v", f.ClockAhead)
	}
	var html bytes.Buffer
	if err := WriteHTML(&html, f, "de"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(html.String(), "Arbeitsplätze mit vorgehender Uhr") || !strings.Contains(html.String(), "3,0 h") {
		t.Errorf("dashboard without the clock skew")
	}
}

// Issue 20, failure 8: a token file saved by Windows Notepad (byte-order
// mark, CRLF) works for its first line.
func TestTokenFileWithBOM(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tokens")
	os.WriteFile(path, []byte("\xEF\xBB\xBF"+tokenBau+" Bauamt\r\n"+tokenBuer+" Bürgerservice\r\n"), 0o600)
	tok, err := ReadTokens(path)
	if err != nil {
		t.Fatal(err)
	}
	if g, ok := tok.grant(tokenBau, 5); !ok || g.Unit != "Bauamt" {
		t.Fatalf("first token after a BOM: %+v %v", g, ok)
	}
	if tok.WorldReadable {
		t.Error("0600 counted as world-readable")
	}
	os.Chmod(path, 0o644)
	if tok, _ = ReadTokens(path); !tok.WorldReadable {
		t.Error("0644 not counted as world-readable")
	}
	// A device, a pipe or a huge file is refused at once.
	if _, err := ReadTokens("/dev/zero"); err == nil || !strings.Contains(err.Error(), "device") {
		t.Errorf("/dev/zero: %v", err)
	}
	big := filepath.Join(t.TempDir(), "big")
	os.WriteFile(big, bytes.Repeat([]byte("#"), MaxTokenFile+1), 0o600)
	if _, err := ReadTokens(big); err == nil || !strings.Contains(err.Error(), "larger") {
		t.Errorf("big token file: %v", err)
	}
}

// Weakness of issue 20: a token is bound to its unit. Reports uploaded
// with the Bauamt token count for the Bauamt whatever they claim, and the
// token enrols at most its limit of new devices (none with enroll=off).
func TestTokenBoundToUnit(t *testing.T) {
	tokens, err := ParseTokens("tokens", []byte(tokenBau+" enroll=2 Bauamt\n"+tokenBuer+" enroll=off Bürgerservice\n"))
	if err != nil {
		t.Fatal(err)
	}
	in := NewIntake(openDB(t), Trust{Enroll: true})
	url := httpServer(t, NewServer(ServerOptions{Intake: in, Tokens: tokens}))
	for i := range 3 {
		data, sig := makeReport(t, newKey(t), spec{orgUnit: "Hauptamt"})
		code, ae := postJSON(t, url, tokenBau, data, sig)
		switch {
		case i < 2 && code != http.StatusCreated:
			t.Fatalf("device %d: %d %+v", i, code, ae)
		case i == 2 && (code != http.StatusBadRequest || ae.Error != "enrolment_limit"):
			t.Fatalf("third device: %d %+v", code, ae)
		}
	}
	var units []string
	rows, _ := testDB{in.db}.Query(`SELECT org_unit FROM collect_reports`)
	for rows.Next() {
		var u string
		rows.Scan(&u)
		units = append(units, u)
	}
	rows.Close()
	if strings.Join(units, ",") != "Bauamt,Bauamt" {
		t.Errorf("units stored: %v", units)
	}
	data, sig := makeReport(t, newKey(t), spec{})
	if code, ae := postJSON(t, url, tokenBuer, data, sig); code != http.StatusBadRequest || ae.Error != "enrolment_limit" || !strings.Contains(ae.Message, "enroll=off") {
		t.Fatalf("enroll=off: %d %+v", code, ae)
	}
}

// Weakness of issue 20: the upload envelope is strict: a member twice,
// in another case, or data after the object is refused.
func TestStrictEnvelope(t *testing.T) {
	ts, _ := testServer(t, ServerOptions{})
	data, sig := makeReport(t, newKey(t), spec{})
	rep := base64.StdEncoding.EncodeToString(data)
	sigJSON, _ := json.Marshal(string(sig))
	for name, body := range map[string]string{
		"member twice":   `{"report":"e30=","report":"` + rep + `","signature":` + string(sigJSON) + `}`,
		"other case":     `{"Report":"` + rep + `","signature":` + string(sigJSON) + `}`,
		"case twice":     `{"report":"` + rep + `","REPORT":"e30=","signature":` + string(sigJSON) + `}`,
		"trailing data":  `{"report":"` + rep + `","signature":` + string(sigJSON) + `}{"x":1}`,
		"trailing comma": `{"report":"` + rep + `","signature":` + string(sigJSON) + `},`,
	} {
		if code, ae := post(t, ts.URL, tokenBau, "application/json", []byte(body)); code != http.StatusBadRequest || ae.Error != "bad_request" {
			t.Errorf("%s: %d %+v", name, code, ae)
		}
	}
	good := `{"report":"` + rep + `","signature":` + string(sigJSON) + "}\n"
	if code, ae := post(t, ts.URL, tokenBau, "application/json", []byte(good)); code != http.StatusCreated {
		t.Errorf("good envelope: %d %+v", code, ae)
	}
}

// Weakness of issue 20: /health says what is wrong. With the database
// full (SQLite's page limit, a real SQLITE_FULL), an upload fails with
// database_full and /health answers 503 database_full until a store works.
func TestHealthSaysDatabaseFull(t *testing.T) {
	ts, in := testServer(t, ServerOptions{})
	health := func() (int, healthAnswer) {
		resp, err := http.Get(ts.URL + "/api/v1/health")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var h healthAnswer
		json.NewDecoder(resp.Body).Decode(&h)
		return resp.StatusCode, h
	}
	if code, h := health(); code != 200 || h.Status != "ok" {
		t.Fatalf("health: %d %+v", code, h)
	}
	// Fault injection: cap the database at the pages it has now.
	DB(in.db).SetMaxOpenConns(1) // the pragma is per connection
	var pages int
	testDB{in.db}.QueryRow(`PRAGMA page_count`).Scan(&pages)
	if _, err := (testDB{in.db}).Exec(fmt.Sprintf(`PRAGMA max_page_count = %d`, pages)); err != nil {
		t.Fatal(err)
	}
	// The free space left in the pages is used up after a few reports.
	key := newKey(t)
	var code int
	var ae apiError
	for i := range 50 {
		data, sig := makeReport(t, key, spec{created: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour)})
		if code, ae = postJSON(t, ts.URL, tokenBau, data, sig); code != http.StatusCreated {
			break
		}
	}
	if code != http.StatusInternalServerError || ae.Error != "database_full" {
		t.Fatalf("upload into a full database: %d %+v", code, ae)
	}
	if code, h := health(); code != http.StatusServiceUnavailable || h.Problem != "database_full" || h.Message == "" {
		t.Fatalf("health with a full database: %d %+v", code, h)
	}
}

// Weakness of issue 20: a client that goes away in the middle of its
// upload is logged as such, not as a failed store.
func TestClientDisconnectLogged(t *testing.T) {
	var logged bytes.Buffer
	var mu sync.Mutex
	logf := func(format string, a ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(&logged, format+"\n", a...)
	}
	tokens, _ := ParseTokens("tokens", []byte(tokenBau+" Bauamt\n"))
	url := httpServer(t, NewServer(ServerOptions{Intake: NewIntake(openDB(t), Trust{Enroll: true}), Tokens: tokens, Log: logf, Lang: "en"}))
	conn, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"report\":\"AAAA", UploadPath, tokenBau)
	time.Sleep(100 * time.Millisecond)
	conn.Close()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		log := logged.String()
		mu.Unlock()
		if strings.Contains(log, "closed the connection") {
			if strings.Contains(log, "store_failed") || strings.Contains(log, " 500 ") {
				t.Errorf("log: %s", log)
			}
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no disconnect logged: %q", logged.String())
}

// Weakness of issue 20: a broken TLS key is an error of Listen, before
// the server says it is listening.
func TestListenChecksTLSFirst(t *testing.T) {
	dir := t.TempDir()
	cert, key := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(cert, []byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), 0o600)
	os.WriteFile(key, []byte("kaputt"), 0o600)
	ln, err := Listen("127.0.0.1:0", cert, key)
	if err == nil {
		ln.Close()
		t.Fatal("broken TLS key accepted")
	}
	if !strings.Contains(err.Error(), "TLS") {
		t.Errorf("error: %v", err)
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		t.Errorf("the address was bound before the key was checked: %v", err)
	}
}
