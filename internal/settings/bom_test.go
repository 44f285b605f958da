package settings

import (
	"os"
	"testing"
)

// TestByteOrderMark is from issue 20: settings.json edited with Windows
// Notepad starts with a byte order mark, which is not JSON; the settings
// were then ignored (the defaults used, with a warning). The mark is
// dropped.
func TestByteOrderMark(t *testing.T) {
	loc, _ := Locate(t.TempDir())
	if err := os.WriteFile(loc.SettingsFile, []byte("\xef\xbb\xbf{\"language\": \"en\", \"theme\": \"dark\"}\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Load(loc)
	if err != nil || s.Language != "en" || s.Theme != "dark" {
		t.Fatalf("settings = %+v, %v; want en/dark", s, err)
	}
}
