package report

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/signing"
)

// junkJSON is what the attack of issue 20 uploaded: a valid JSON document
// of n bytes made of many small values, the worst case for a generic
// parse.
func junkJSON(n int) []byte {
	var b bytes.Buffer
	b.Grow(n)
	b.WriteString(`{"a":[`)
	for b.Len() < n-8 {
		b.WriteString(`0,`)
	}
	b.WriteString(`0]}`)
	return b.Bytes()
}

// Issue 20, failure 1: the signature is checked over the raw bytes before
// anything is parsed, so an 8 MB document that nobody signed costs no
// parse. Before, Verify built the generic tree of the whole document
// first (about twenty times its size in allocations).
func TestUnsignedJunkIsNotParsed(t *testing.T) {
	key, _, data, sig := sample(t)
	junk := junkJSON(MaxSize - 16)
	other, _ := key.Sign(data) // a valid signature, but of another document
	for name, s := range map[string][]byte{"signature of another report": other, "no valid signature": sig[:len(sig)/2]} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		res := Verify(junk, s, VerifyOptions{})
		runtime.ReadMemStats(&after)
		if res.Valid || (res.Problem != ProblemSignatureInvalid && res.Problem != ProblemSignatureFormat) {
			t.Fatalf("%s: %+v", name, res)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
			t.Errorf("%s: verifying %d junk bytes allocated %d bytes; the signature must be checked before parsing", name, len(junk), alloc)
		}
	}
	// A key that the allowed_signers file does not trust costs no parse
	// either.
	s, _ := key.Sign(junk)
	stranger, err := signing.Load(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	allowed := signing.ParseAllowedSigners("allowed_signers", []byte(signing.AllowedSignersLine(stranger.Public())+"\n"))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	res := Verify(junk, s, VerifyOptions{AllowedSigners: allowed})
	runtime.ReadMemStats(&after)
	if res.Problem != ProblemUnknownKey {
		t.Fatalf("untrusted key: %+v", res)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Errorf("untrusted key: verifying allocated %d bytes; trust must be decided before parsing", alloc)
	}
	// The file name of the allowed_signers is the server's business; the
	// message names it (for IT's log), the device id is the key's.
	if res.DeviceID != signing.DeviceID(key.Public()) {
		t.Errorf("device id %q, want the key's", res.DeviceID)
	}
}

// Issue 20, failure 5: a report dated 2099, signed by its device, is
// refused, so it cannot become the device's newest report for decades; a
// clock a few hours ahead is tolerated.
func TestFutureReportRefused(t *testing.T) {
	key, err := signing.Load(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		created time.Time
		ok      bool
	}{
		{time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC), false},
		{now.Add(24*time.Hour + time.Minute), false},
		{now.Add(3 * time.Hour), true},
		{now.Add(-90 * 24 * time.Hour), true},
	} {
		r := New(key, c.created)
		data, err := Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		sig, _ := key.Sign(data)
		res := Verify(data, sig, VerifyOptions{Now: now})
		if res.Valid != c.ok {
			t.Errorf("created %s: valid=%v (%s), want %v", c.created, res.Valid, res.Message, c.ok)
		}
		if !c.ok && (res.Problem != Problem("created_in_future") || !strings.Contains(res.Localize("en").Message, "clock")) {
			t.Errorf("created %s: %q %q", c.created, res.Problem, res.Localize("en").Message)
		}
	}
}
