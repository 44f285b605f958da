package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUploadOverHTTPWarnsAndReadsABOMToken is from issue 20: `check
// --upload http://…` sent the bearer token in clear without a word; it now
// warns (German and English) each time. The token file is written as
// Windows Notepad writes it (a byte order mark, CRLF), and accepted.
func TestUploadOverHTTPWarnsAndReadsABOMToken(t *testing.T) {
	const token = "bauamt-0123456789abcdef0123456789abcdef"
	dir := t.TempDir()
	tokens := filepath.Join(dir, "tokens")
	os.WriteFile(tokens, []byte(token+" Bauamt\n"), 0o600)
	tokenFile := filepath.Join(dir, "token.txt")
	os.WriteFile(tokenFile, []byte("\xef\xbb\xbf"+token+"\r\n"), 0o600)
	url, _, _, stop := startServe(t, "--data-dir", t.TempDir(), "serve", "--db", filepath.Join(dir, "central.db"), "--enroll", "--token-file", tokens, "--addr", "127.0.0.1:0")
	defer stop()
	pc := t.TempDir()
	for lang, want := range map[string]string{
		"de": "warning: Das Upload-Token geht unverschlüsselt an " + url,
		"en": "warning: The upload token goes to " + url + " unencrypted",
	} {
		stdout, stderr, _ := kicheck(t, "--data-dir", pc, "--lang", lang, "check", "--headless", "--out", t.TempDir(), "--json", "--upload", url, "--upload-token-file", tokenFile)
		if !strings.Contains(stderr, want) || !strings.Contains(stderr, "hint: ") || !strings.Contains(stderr, "https://") {
			t.Fatalf("%s: no clear-text warning:\n%s", lang, stderr)
		}
		var res checkJSON
		if err := json.Unmarshal([]byte(stdout), &res); err != nil || res.Upload == nil || res.Upload.Status != "accepted" {
			t.Fatalf("%s: upload with the BOM token file: %+v %v\n%s", lang, res.Upload, err, stderr)
		}
	}
	// A token file that is not one line is refused without reading it all.
	big := filepath.Join(dir, "big")
	os.WriteFile(big, []byte(strings.Repeat("x", 5000)), 0o600)
	_, stderr, _ := kicheck(t, "--data-dir", pc, "--lang", "en", "check", "--headless", "--out", t.TempDir(), "--upload", url, "--upload-token-file", big)
	if !strings.Contains(stderr, big+": the file is larger than 4096 bytes") {
		t.Fatalf("big token file: %s", stderr)
	}
}
