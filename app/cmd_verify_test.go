package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	reports "github.com/ki-reise/kicheck/internal/report"
	"github.com/ki-reise/kicheck/internal/signing"
)

// writeReport signs a minimal report with the data dir's key, as the check
// does, and returns the JSON path.
func writeReport(t *testing.T, dataDir string, edit func([]byte) []byte) string {
	t.Helper()
	key, err := signing.Load(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	data, err := reports.Marshal(reports.New(key, time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		data = edit(data)
	}
	sig, err := key.Sign(data)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "r.json")
	os.WriteFile(path, data, 0o644)
	os.WriteFile(path+".sig", sig, 0o644)
	return path
}

func TestKeyShowIsAnAllowedSignersLine(t *testing.T) {
	dir := t.TempDir()
	out, _, code := kicheck(t, "--data-dir", dir, "key", "show")
	if code != 0 || !strings.HasPrefix(out, "kc-") || !strings.Contains(out, ` namespaces="kicheck-report-v1" ssh-ed25519 AAAA`) {
		t.Fatalf("key show: %d %q", code, out)
	}
	allowed := filepath.Join(t.TempDir(), "allowed_signers")
	os.WriteFile(allowed, []byte(out), 0o644)
	path := writeReport(t, dir, nil)
	vout, verr, code := kicheck(t, "--data-dir", dir, "--lang", "en", "verify", path, "--allowed-signers", allowed)
	if code != 0 || !strings.Contains(vout, "valid: report of device kc-") || !strings.Contains(vout, "trusted key") {
		t.Fatalf("verify: %d %q %q", code, vout, verr)
	}

	out2, _, code := kicheck(t, "--data-dir", dir, "--lang", "en", "key", "rotate")
	if code != 0 || !strings.Contains(out2, "recorded in the key history") || strings.Contains(out2, strings.Fields(out)[0]+" ") {
		t.Fatalf("key rotate: %d %q", code, out2)
	}
	// A report signed with the new key is unknown to the old trust list.
	path = writeReport(t, dir, nil)
	vout, _, code = kicheck(t, "--data-dir", dir, "--lang", "en", "verify", "--allowed-signers", allowed, path)
	if code != exitVerifyUnknown || !strings.Contains(vout, "unknown key") {
		t.Fatalf("verify after rotate: %d %q", code, vout)
	}
	var k keyJSON
	jout, _, _ := kicheck(t, "--data-dir", dir, "key", "show", "--json")
	if err := json.Unmarshal([]byte(jout), &k); err != nil || len(k.Previous) != 1 || k.Previous[0].DeviceID != strings.Fields(out)[0] {
		t.Fatalf("key show --json: %v %s", err, jout)
	}
	if _, _, code := kicheck(t, "--data-dir", dir, "key"); code != exitUsage {
		t.Errorf("key without action: exit %d", code)
	}
}

func TestVerifyExitCodes(t *testing.T) {
	dir := t.TempDir()
	good := writeReport(t, dir, nil)
	tampered := writeReport(t, dir, nil)
	b, _ := os.ReadFile(tampered)
	os.WriteFile(tampered, bytes.Replace(b, []byte(`"status": "complete"`), []byte(`"status": "incomplete"`), 1), 0o644)
	newer := writeReport(t, dir, func(b []byte) []byte {
		return bytes.Replace(b, fmt.Appendf(nil, `"schema_version": %d`, reports.SchemaVersion), fmt.Appendf(nil, `"schema_version": %d`, reports.SchemaVersion+1), 1)
	})
	schemaBad := writeReport(t, dir, func(b []byte) []byte {
		return bytes.Replace(b, []byte(`"status": "complete"`), []byte(`"status": "fertig"`), 1)
	})
	notJSON := filepath.Join(t.TempDir(), "x.json")
	os.WriteFile(notJSON, []byte("PK\x03\x04 zip?"), 0o644)
	noSig := filepath.Join(t.TempDir(), "n.json")
	b, _ = os.ReadFile(good)
	os.WriteFile(noSig, b, 0o644)
	for _, c := range []struct {
		path string
		code int
		msg  string
	}{
		{good, 0, "valid:"},
		{good + ".sig", 0, "valid:"},
		{tampered, exitVerifySignature, "signature invalid"},
		{noSig, exitVerifySignature, "signature file missing"},
		{newer, exitVerifyNewer, "report from a newer version"},
		{schemaBad, exitVerifyInvalid, "schema violation: at /status"},
		// The signature is checked before the JSON is read.
		{notJSON, exitVerifySignature, "signature file missing"},
	} {
		out, errOut, code := kicheck(t, "--data-dir", dir, "--lang", "en", "verify", c.path)
		if code != c.code || !strings.Contains(out, c.msg) || strings.Count(out, "\n") != 1 {
			t.Errorf("verify %s: exit %d, out %q, err %q; want %d with %q", filepath.Base(c.path), code, out, errOut, c.code, c.msg)
		}
	}
	out, _, code := kicheck(t, "--data-dir", dir, "--lang", "en", "verify", "--json", tampered)
	var res struct {
		File    string `json:"file"`
		Valid   bool   `json:"valid"`
		Problem string `json:"problem"`
	}
	if code != exitVerifySignature || json.Unmarshal([]byte(out), &res) != nil || res.Valid || res.Problem != "signature_invalid" {
		t.Errorf("verify --json: %d %s", code, out)
	}
	_, errOut, code := kicheck(t, "--data-dir", dir, "--lang", "en", "verify", filepath.Join(dir, "missing.json"))
	if code != exitFailure || !strings.Contains(errOut, "error: report") {
		t.Errorf("missing file: %d %q", code, errOut)
	}
	if _, _, code := kicheck(t, "--data-dir", dir, "--lang", "en", "verify"); code != exitUsage {
		t.Errorf("verify without file: exit %d", code)
	}
}
