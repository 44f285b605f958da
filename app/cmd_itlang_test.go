package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/collect"
	"github.com/ki-reise/kicheck/internal/signing"
)

// TestITCommandsInBothLanguages runs the IT-side commands (key, verify,
// collect, serve and the upload of check) with --lang de and --lang en:
// the texts follow the language, the codes in --json and the exit codes
// do not.
func TestITCommandsInBothLanguages(t *testing.T) {
	want := map[string][]string{
		"de": {"# neuer Schlüssel; der alte (Gerät kc-",
			"Signatur ungültig: Der Bericht oder seine Signatur wurde nach dem Signieren verändert",
			"Kein JSON: Zeile 1, Spalte 1: ungültiges Zeichen 'P'", "Unbekannter Schlüssel: SHA256:",
			"error: Bericht ", "abgelehnt: Unbekannter Schlüssel: Das Gerät kc-", "0 gespeichert, 0 schon vorhanden, 2 abgelehnt",
			"error: 2 von 2 Dateien abgelehnt", "schon vorhanden: Schon gespeichert (Eintrag 1)", "0 gespeichert, 1 schon vorhanden, 1 abgelehnt",
			"Berichte werden empfangen unter http://127.0.0.1:", "401 unauthorized: Bearer-Token fehlt oder ist falsch",
			"warning: Hochladen nach http://127.0.0.1:", "fehlgeschlagen: HTTP 401: unauthorized: Bearer-Token fehlt oder ist falsch",
			"hint: Prüfen Sie das Upload-Token Ihrer Organisationseinheit",
			"tokens:1: Token kürzer als 24 Zeichen", "hint: Jede Zeile lautet: TOKEN ORGANISATIONSEINHEIT"},
		"en": {"# new key; the old one (device kc-",
			"signature invalid: the report or its signature was changed after signing",
			"not JSON: line 1, column 1: invalid character 'P'", "unknown key: SHA256:",
			"error: report ", "rejected: unknown key: device kc-", "0 accepted, 0 duplicate, 2 rejected",
			"error: 2 of 2 files rejected", "duplicate: already stored (entry 1)", "0 accepted, 1 duplicate, 1 rejected",
			"receiving reports at http://127.0.0.1:", "401 unauthorized: missing or wrong bearer token",
			"warning: upload to http://127.0.0.1:", ": HTTP 401: unauthorized: missing or wrong bearer token",
			"hint: check the upload token of your organisational unit",
			"tokens:1: token shorter than 24 characters", "hint: each line is: TOKEN ORGANISATIONAL UNIT"},
	}
	validLine := map[string]*regexp.Regexp{
		"de": regexp.MustCompile(`r\.json: Gültig: Bericht des Geräts kc-\w+ vom \d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d UTC, signiert mit einem vertrauenswürdigen Schlüssel`),
		"en": regexp.MustCompile(`r\.json: valid: report of device kc-\w+ from \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, signed by a trusted key`),
	}
	for _, lang := range []string{"de", "en"} {
		dir := t.TempDir()
		var all strings.Builder
		run := func(wantCode int, args ...string) string {
			t.Helper()
			out, errOut, code := kicheck(t, append([]string{"--data-dir", dir, "--lang", lang}, args...)...)
			if code != wantCode {
				t.Errorf("%s %v: exit %d, want %d\n%s%s", lang, args, code, wantCode, out, errOut)
			}
			all.WriteString(out + errOut)
			return out
		}
		oldLine := run(0, "key", "show")
		run(0, "key", "rotate")
		newLine := run(0, "key", "show")
		oldSigners, signers := filepath.Join(t.TempDir(), "old"), filepath.Join(t.TempDir(), "allowed_signers")
		os.WriteFile(oldSigners, []byte(oldLine), 0o644)
		os.WriteFile(signers, []byte(newLine), 0o644)

		good := writeReport(t, dir, nil)
		tampered := writeReport(t, dir, nil)
		b, _ := os.ReadFile(tampered)
		os.WriteFile(tampered, bytes.Replace(b, []byte(`"status": "complete"`), []byte(`"status": "incomplete"`), 1), 0o644)
		notJSON := filepath.Join(t.TempDir(), "x.json")
		os.WriteFile(notJSON, []byte("PK\x03\x04 zip?"), 0o644)
		// Signed, so the JSON is read (the signature is checked first).
		key, err := signing.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		notJSONSig, _ := key.Sign([]byte("PK\x03\x04 zip?"))
		os.WriteFile(notJSON+".sig", notJSONSig, 0o644)

		if out := run(0, "verify", "--allowed-signers", signers, good); !validLine[lang].MatchString(out) {
			t.Errorf("%s: verify of a good report: %q", lang, out)
		}
		run(exitVerifySignature, "verify", tampered)
		run(exitVerifyInvalid, "verify", notJSON)
		run(exitVerifyUnknown, "verify", "--allowed-signers", oldSigners, good)
		run(exitFailure, "verify", filepath.Join(dir, "missing.json"))
		var res struct {
			Problem string `json:"problem"`
			Message string `json:"message"`
		}
		out := run(exitVerifySignature, "verify", "--json", tampered)
		if err := json.Unmarshal([]byte(out), &res); err != nil || res.Problem != "signature_invalid" || !strings.HasPrefix(res.Message, map[string]string{"de": "Signatur ungültig", "en": "signature invalid"}[lang]) {
			t.Errorf("%s: verify --json: %v %s", lang, err, out)
		}

		share := t.TempDir()
		for name, p := range map[string]string{"good.json": good, "tampered.json": tampered} {
			for _, ext := range []string{"", ".sig"} {
				b, _ := os.ReadFile(p + ext)
				os.WriteFile(filepath.Join(share, name+ext), b, 0o644)
			}
		}
		db := filepath.Join(t.TempDir(), "central.db")
		run(exitCollectRejected, "collect", "--db", db, share)
		out = run(exitCollectRejected, "collect", "--db", db, "--enroll", "--json", share)
		var sum collect.Summary
		if err := json.Unmarshal([]byte(out), &sum); err != nil || sum.Accepted != 1 || len(sum.Files) != 1 ||
			sum.Files[0].Outcome != collect.Rejected || sum.Files[0].Problem != "signature_invalid" ||
			!strings.HasPrefix(sum.Files[0].Message, map[string]string{"de": "Signatur ungültig", "en": "signature invalid"}[lang]) {
			t.Errorf("%s: collect --json: %v %s", lang, err, out)
		}
		run(exitCollectRejected, "collect", "--db", db, share)
		badTokens := filepath.Join(t.TempDir(), "tokens")
		os.WriteFile(badTokens, []byte("short Bauamt\n"), 0o600)
		run(exitFailure, "serve", "--db", filepath.Join(t.TempDir(), "c.db"), "--token-file", badTokens)
		all.WriteString(serveAndUpload(t, lang))

		for _, w := range want[lang] {
			if !strings.Contains(all.String(), w) {
				t.Errorf("--lang %s: output lacks %q:\n%s", lang, w, all.String())
			}
		}
		if lang == "en" {
			assertNoGerman(t, "key/verify/collect/serve/upload", all.String())
		}
	}
}

// serveAndUpload runs kicheck serve in lang, asks it once with a wrong
// token (the log line and the answer are in lang) and runs a check whose
// upload is refused; it returns what serve logged and the upload's
// warning and hint.
func serveAndUpload(t *testing.T, lang string) string {
	t.Helper()
	const token = "bauamt-0123456789abcdef0123456789abcdef"
	dir := t.TempDir()
	tokens, wrong := filepath.Join(dir, "tokens"), filepath.Join(dir, "wrong")
	os.WriteFile(tokens, []byte(token+" Bauamt\n"), 0o600)
	os.WriteFile(wrong, []byte("wrong-0123456789abcdef0123456789abcdef"), 0o600)
	url, out, errb, stop := startServe(t, "--data-dir", t.TempDir(), "--lang", lang, "serve", "--db", filepath.Join(dir, "central.db"), "--enroll",
		"--token-file", tokens, "--addr", "127.0.0.1:0")
	req, _ := http.NewRequest(http.MethodPost, url+collect.UploadPath, strings.NewReader("{}"))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer nope")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var ae struct{ Error, Message string }
	json.NewDecoder(resp.Body).Decode(&ae)
	resp.Body.Close()
	if ae.Error != "unauthorized" || !strings.HasPrefix(ae.Message, map[string]string{"de": "Bearer-Token fehlt", "en": "missing or wrong"}[lang]) {
		t.Errorf("%s: answer to a wrong token: %+v", lang, ae)
	}
	_, stderr, _ := kicheck(t, "--data-dir", t.TempDir(), "--lang", lang, "check", "--headless", "--out", t.TempDir(), "--upload", url, "--upload-token-file", wrong)
	var upload strings.Builder
	for _, line := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(line, "warning: ") || strings.HasPrefix(line, "hint: ") {
			upload.WriteString(line + "\n")
		}
	}
	if code := stop(); code != 0 {
		t.Errorf("serve exit %d: %s", code, errb.String())
	}
	return out.String() + errb.String() + upload.String()
}
