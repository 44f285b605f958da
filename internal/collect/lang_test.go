package collect

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestIntakeMessagesInBothLanguages: the reasons of accepted, duplicate
// and rejected reports are German by default and English through
// Localize, while outcome and problem codes stay the same.
func TestIntakeMessagesInBothLanguages(t *testing.T) {
	in := NewIntake(openDB(t), Trust{})
	enrolling := NewIntake(in.db, Trust{Enroll: true})
	key := newKey(t)
	good, goodSig := makeReport(t, key, spec{})
	res, err := enrolling.Add(context.Background(), []Item{{Source: "good.json", Data: good, Sig: goodSig}})
	if err != nil {
		t.Fatal(err)
	}
	if m := res[0].Message; m != "Gespeichert: Bericht des Geräts "+res[0].DeviceID+" vom 20.11.2026 09:00:00 UTC" {
		t.Errorf("accepted, German: %q", m)
	}
	if m := res[0].Localize("en").Message; m != "stored: report of device "+res[0].DeviceID+" from 2026-11-20 09:00:00 UTC" {
		t.Errorf("accepted, English: %q", m)
	}
	stranger, strangerSig := makeReport(t, newKey(t), spec{})
	sum := runItems(t, in,
		Item{Source: "a-dup.json", Data: good, Sig: goodSig},
		Item{Source: "b-stranger.json", Data: stranger, Sig: strangerSig},
		Item{Source: "c-truncated.json", Data: good[:len(good)/3], Sig: signed(t, key, good[:len(good)/3])},
		Item{Source: "d-unreadable.json", Err: readError("intake.read.cannot_read", nil, os.ErrPermission)},
	)
	want := map[string][2]string{
		"a-dup.json":        {"Schon gespeichert (Eintrag 1)", "already stored (entry 1)"},
		"b-stranger.json":   {"Unbekannter Schlüssel: Das Gerät kc-", "unknown key: device kc-"},
		"c-truncated.json":  {"Kein JSON: die Datei endet mitten im Dokument (abgeschnitten?)", "not JSON: the file ends in the middle of the document (truncated?)"},
		"d-unreadable.json": {"Nicht lesbar: permission denied", "cannot read: permission denied"},
	}
	en := sum.Localize("en")
	if len(sum.Files) != len(want) || len(en.Files) != len(want) {
		t.Fatalf("%+v", sum)
	}
	for i, f := range sum.Files {
		w := want[f.Source]
		if !strings.HasPrefix(f.Message, w[0]) || !strings.HasPrefix(en.Files[i].Message, w[1]) {
			t.Errorf("%s: %q / %q, want %q / %q", f.Source, f.Message, en.Files[i].Message, w[0], w[1])
		}
		if en.Files[i].Problem != f.Problem || en.Files[i].Outcome != f.Outcome {
			t.Errorf("%s: Localize changed the codes", f.Source)
		}
	}
	if sum.Files[1].Problem != ProblemNotEnrolled || sum.Files[2].Problem != "not_json" {
		t.Errorf("codes: %+v", sum.Files)
	}
	if l := sum.Line("de"); l != "0 gespeichert, 1 schon vorhanden, 3 abgelehnt" {
		t.Errorf("German line %q", l)
	}
	if l := sum.Line("en"); l != "0 accepted, 1 duplicate, 3 rejected" {
		t.Errorf("English line %q", l)
	}
	if Rejected.Text("de") != "abgelehnt" || Rejected.Text("en") != "rejected" {
		t.Errorf("outcome words %q %q", Rejected.Text("de"), Rejected.Text("en"))
	}
}

// TestServerAnswersInTheRequestLanguage: the JSON error code is the same
// in every language; the message follows Accept-Language, else the
// server's language, and the log is in the server's language.
func TestServerAnswersInTheRequestLanguage(t *testing.T) {
	var logged bytes.Buffer
	ts, _ := testServer(t, ServerOptions{Log: func(format string, a ...any) {
		logged.WriteString(strings.TrimSpace(fmt.Sprintf(format, a...)) + "\n")
	}})
	data, sig := makeReport(t, newKey(t), spec{})
	tampered := bytes.Replace(data, []byte(`"total_bytes": 17179869184`), []byte(`"total_bytes": 68719476736`), 1)
	if bytes.Equal(tampered, data) {
		t.Fatal("test did not change the report")
	}
	ask := func(lang, token string, body []byte) (int, apiError) {
		req, _ := http.NewRequest(http.MethodPost, ts.URL+UploadPath, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		if lang != "" {
			req.Header.Set("Accept-Language", lang)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var ae apiError
		b, _ := io.ReadAll(resp.Body)
		json.Unmarshal(b, &ae)
		return resp.StatusCode, ae
	}
	for _, c := range []struct {
		lang, token string
		body        []byte
		code        int
		kind, msg   string
	}{
		{"", tokenBau, envelopeOf(tampered, sig), 400, "signature_invalid", "Signatur ungültig: Der Bericht oder seine Signatur"},
		{"en-GB,en;q=0.9", tokenBau, envelopeOf(tampered, sig), 400, "signature_invalid", "signature invalid: the report or its signature"},
		{"de-DE", "wrong-token-0123456789abcdef", envelopeOf(data, sig), 401, "unauthorized", "Bearer-Token fehlt oder ist falsch"},
		{"en", "wrong-token-0123456789abcdef", envelopeOf(data, sig), 401, "unauthorized", "missing or wrong bearer token"},
		{"en", tokenBau, []byte(`{"report":"!!","signature":"x"}`), 400, "bad_request", `JSON envelope: "report" is not base64: illegal base64`},
		{"de", tokenBau, []byte(`{"report":"!!","signature":"x"}`), 400, "bad_request", "JSON-Umschlag: „report“ ist kein Base64: illegal base64"},
	} {
		code, ae := ask(c.lang, c.token, c.body)
		if code != c.code || ae.Error != c.kind || !strings.HasPrefix(ae.Message, c.msg) {
			t.Errorf("Accept-Language %q: %d %+v, want %d %s %q", c.lang, code, ae, c.code, c.kind, c.msg)
		}
	}
	if !strings.Contains(logged.String(), "401 unauthorized: Bearer-Token fehlt oder ist falsch") || strings.Contains(logged.String(), "missing or wrong") {
		t.Errorf("log not in the server's language (German):\n%s", logged.String())
	}
	// A server set to English answers in English when the request asks for nothing.
	tsEn, _ := testServer(t, ServerOptions{Lang: "en"})
	ts = tsEn
	if _, ae := ask("", tokenBau, envelopeOf(tampered, sig)); !strings.HasPrefix(ae.Message, "signature invalid") {
		t.Errorf("English server: %+v", ae)
	}
}

// TestUploadErrorsInBothLanguages: the client's error, hint and the
// server's reason are in the language asked for.
func TestUploadErrorsInBothLanguages(t *testing.T) {
	ts, _ := testServer(t, ServerOptions{})
	key := newKey(t)
	data, sig := makeReport(t, key, spec{})
	for lang, want := range map[string][2]string{
		"de": {"Hochladen nach " + ts.URL + UploadPath + " fehlgeschlagen: HTTP 400: not_json: Kein JSON: die Datei endet", "Die Sammelstelle hat den Bericht abgelehnt"},
		"en": {"upload to " + ts.URL + UploadPath + ": HTTP 400: not_json: not JSON: the file ends", "the central collection refused the report"},
	} {
		_, err := Upload(context.Background(), ts.URL, data[:50], signed(t, key, data[:50]), UploadOptions{Token: tokenBau, Lang: lang, Backoff: time.Millisecond})
		var ue *UploadError
		if !errors.As(err, &ue) || !strings.HasPrefix(err.Error(), want[0]) || !strings.HasPrefix(ue.Hint(), want[1]) {
			t.Errorf("%s: %v / hint %q", lang, err, ue.Hint())
		}
	}
	if _, err := Upload(context.Background(), ts.URL, data, sig, UploadOptions{Token: tokenBau, Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	res, err := Upload(context.Background(), ts.URL, data, sig, UploadOptions{Token: tokenBau, Lang: "de"})
	if err != nil || res.Status != "duplicate" || res.Message != "schon gespeichert" {
		t.Errorf("duplicate: %+v %v", res, err)
	}
}

// TestRefusedArchivesInBothLanguages: an archive with an entry leaving it
// and a zip bomb are rejected with reasons in either language.
func TestRefusedArchivesInBothLanguages(t *testing.T) {
	dir := t.TempDir()
	data, sig := makeReport(t, newKey(t), spec{})
	writeZip(t, filepath.Join(dir, "trav.zip"), map[string][]byte{"ok.json": data, "ok.json.sig": sig, "../evil.json": data})
	writeZip(t, filepath.Join(dir, "bomb.zip"), map[string][]byte{"r.json": make([]byte, 6<<20), "r.json.sig": sig})
	sum := runItems(t, NewIntake(openDB(t), Trust{Enroll: true}), append(walkAll(t, filepath.Join(dir, "trav.zip")), walkAll(t, filepath.Join(dir, "bomb.zip"))...)...)
	en := sum.Localize("en")
	if len(sum.Files) != 2 || sum.Files[0].Problem != ProblemRead || sum.Files[1].Problem != ProblemRead {
		t.Fatalf("%+v", sum)
	}
	for i, want := range [][2]string{
		{"im Verhältnis", "compressed "},
		{`Archiv ` + filepath.Join(dir, "trav.zip") + ` abgelehnt: Eintrag "../evil.json" zeigt aus dem Archiv heraus`,
			`archive ` + filepath.Join(dir, "trav.zip") + ` refused: entry "../evil.json" points outside the archive (path traversal)`},
	} {
		if !strings.HasPrefix(sum.Files[i].Message, want[0]) || !strings.HasPrefix(en.Files[i].Message, want[1]) {
			t.Errorf("%s: %q / %q", sum.Files[i].Source, sum.Files[i].Message, en.Files[i].Message)
		}
	}
	if !strings.Contains(sum.Files[0].Message, "als mögliche ZIP-Bombe abgelehnt") || !strings.Contains(en.Files[0].Message, "refused as a possible zip bomb") {
		t.Errorf("bomb: %q / %q", sum.Files[0].Message, en.Files[0].Message)
	}
}
