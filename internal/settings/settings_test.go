package settings

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDefaultsWhenMissing(t *testing.T) {
	loc, err := Locate(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	s, err := Load(loc)
	if err != nil {
		t.Fatal(err)
	}
	if s != Defaults() || s.Language != "de" {
		t.Fatalf("settings = %+v, want German defaults", s)
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	loc, _ := Locate(t.TempDir())
	want := Settings{Language: "en", Theme: "contrast", TextSize: 150, DataDir: "/srv/daten"}
	if err := Save(loc, want); err != nil {
		t.Fatal(err)
	}
	got, err := Load(loc)
	if err != nil || got != want {
		t.Fatalf("got %+v, %v; want %+v", got, err, want)
	}
	// No temp files are left behind.
	entries, _ := os.ReadDir(filepath.Dir(loc.SettingsFile))
	if len(entries) != 1 {
		t.Fatalf("folder holds %d entries, want only settings.json", len(entries))
	}
}

func TestUnknownValuesFallBack(t *testing.T) {
	loc, _ := Locate(t.TempDir())
	os.WriteFile(loc.SettingsFile, []byte(`{"language":"fr","theme":"pink"}`), 0o600)
	s, err := Load(loc)
	if err != nil || s.Language != "de" || s.Theme != "system" {
		t.Fatalf("got %+v, %v; want defaults for unknown values", s, err)
	}
}

func TestBrokenFileNamesItAndUsesDefaults(t *testing.T) {
	loc, _ := Locate(t.TempDir())
	os.WriteFile(loc.SettingsFile, []byte(`{"language":`), 0o600)
	s, err := Load(loc)
	if err == nil || !strings.Contains(err.Error(), loc.SettingsFile) {
		t.Fatalf("err = %v, want it to name %s", err, loc.SettingsFile)
	}
	if s != Defaults() {
		t.Fatalf("settings = %+v, want defaults", s)
	}
}

func TestDataDirResolution(t *testing.T) {
	dir := t.TempDir()
	override, _ := Locate(dir)
	if got := override.DataDir(Settings{DataDir: "/elsewhere"}); got != dir {
		t.Fatalf("with --data-dir: DataDir = %q, want %q (the flag wins)", got, dir)
	}
	def := Location{SettingsFile: filepath.Join(dir, "cfg", FileName)}
	if got := def.DataDir(Settings{}); got != filepath.Join(dir, "cfg") {
		t.Fatalf("default DataDir = %q", got)
	}
	if got := def.DataDir(Settings{DataDir: "/srv/ki"}); got != "/srv/ki" {
		t.Fatalf("moved DataDir = %q, want /srv/ki", got)
	}
}
