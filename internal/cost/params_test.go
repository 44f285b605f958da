package cost

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDefaultsAreValid(t *testing.T) {
	p := Defaults()
	if p.Usage.Users != 50 || p.Local.HardwareInvestEUR() != 1500 || p.Cloud.PriceDate != "2026-11-01" {
		t.Fatalf("defaults = %+v", p)
	}
}

func TestBadParamsNameFileLineAndField(t *testing.T) {
	cases := []struct {
		name, yaml, field string
		line              int
	}{
		{"negative users", "version: 1\nusage:\n  users: -3\ncloud: {}\nlocal: {}\n", "usage.users", 3},
		{"unknown verdict", "version: 1\nusage: {}\ncloud: {}\nlocal:\n  hardware_verdict: great\n", "local.hardware_verdict", 5},
		{"share above 1", "version: 1\nusage: {}\ncloud: {}\nlocal: {}\nhybrid:\n  cloud_share: 1.5\n", "hybrid.cloud_share", 6},
		// The unknown key itself is named (it used to be only its parent, /usage).
		{"typo in key", "version: 1\nusage:\n  userz: 3\ncloud: {}\nlocal: {}\n", "usage.userz", 3},
		{"bad date", "version: 1\nusage: {}\ncloud:\n  price_date: 1.11.2026\nlocal: {}\n", "cloud.price_date", 4},
	}
	for _, c := range cases {
		_, err := ParseOver(Defaults(), "kommune.yaml", []byte(c.yaml))
		var pe *ParamsError
		if !errors.As(err, &pe) || pe.Field() != c.field || pe.File != "kommune.yaml" || pe.Hint() == "" {
			t.Errorf("%s: err = %v, want field %s", c.name, err, c.field)
			continue
		}
		if pe.Line != c.line {
			t.Errorf("%s: line = %d, want %d (%v)", c.name, pe.Line, c.line, err)
		}
	}
	_, err := ParseOver(Defaults(), "kaputt.yaml", []byte("version: 1\nusage: [\n"))
	var pe *ParamsError
	if !errors.As(err, &pe) || pe.Line == 0 {
		t.Errorf("syntax error: %v, want a line", err)
	}
}

func TestOverrideInDataDirKeepsUnsetDefaults(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bundles", "cost", DefaultFile)
	os.MkdirAll(filepath.Dir(path), 0o700)
	os.WriteFile(path, []byte("version: 1\nusage:\n  users: 120\ncloud:\n  avv_available: true\nlocal: {}\n"), 0o600)
	p, from, err := Load(dir)
	if err != nil || from != path {
		t.Fatalf("load: %v from %s", err, from)
	}
	if p.Usage.Users != 120 || !p.Cloud.AVVAvailable || p.Usage.RequestsPerUserPerDay != 10 || p.Local.UpgradeCostEUR["not_ready"] != 4500 {
		t.Fatalf("override not merged over defaults: %+v", p)
	}
	if Defaults().Usage.Users != 50 {
		t.Fatal("the override changed the defaults")
	}
	// A broken override: the error names the file, the defaults still work.
	os.WriteFile(path, []byte("version: 1\nusage:\n  users: viele\ncloud: {}\nlocal: {}\n"), 0o600)
	p, _, err = Load(dir)
	if err == nil || !strings.Contains(err.Error(), path) || p.Usage.Users != 50 {
		t.Fatalf("broken override: %v, users %d", err, p.Usage.Users)
	}
}

func FuzzParse(f *testing.F) {
	b, _ := os.ReadFile("../../bundles/cost/default.yaml")
	f.Add(b)
	f.Add([]byte("version: 1\nusage: {users: 3}\ncloud: {}\nlocal: {}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParseOver(Defaults(), "fuzz.yaml", data)
		if err == nil {
			Compute(p, today) // must not panic on any valid file
		}
	})
}

// TestOperatingFromParams: the operating models' figures come from the
// parameters (the municipality's override over the packaged file); the
// packaged file enters no hardware price, and a price without its date is
// refused with the field named.
func TestOperatingFromParams(t *testing.T) {
	d := Defaults().Operating
	if d.Server.Known() || d.UpgradePerPC.Known() || d.ServerWatts != 0 || d.ClerksPerServer != 0 {
		t.Fatalf("the packaged parameters enter a hardware figure: %+v", d)
	}
	dir := t.TempDir()
	own := filepath.Join(dir, "bundles", "cost")
	if err := os.MkdirAll(own, 0o755); err != nil {
		t.Fatal(err)
	}
	// Test figures, not prices.
	yaml := "version: 1\nusage: {}\ncloud: {}\nlocal: {}\noperating:\n  server:\n    eur: 12345\n    date: 2026-11-30\n  server_watts: 400\n  clerks_per_server: 30\n"
	if err := os.WriteFile(filepath.Join(own, DefaultFile), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	p, src, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	o := p.Operating
	if !o.Server.Known() || *o.Server.EUR != 12345 || o.Server.Date != "2026-11-30" || o.ServerWatts != 400 || o.ClerksPerServer != 30 || src == BuiltinSource {
		t.Fatalf("override not read: %+v from %s", o, src)
	}
	if o.ServerAdminHours != d.ServerAdminHours || o.ServerHoursPerYear != 8760 {
		t.Errorf("fields the override leaves out lost their defaults: %+v", o)
	}
	_, err = ParseOver(Defaults(), "kommune.yaml", []byte("version: 1\nusage: {}\ncloud: {}\nlocal: {}\noperating:\n  server:\n    eur: 12345\n"))
	var pe *ParamsError
	if !errors.As(err, &pe) || !strings.HasPrefix(pe.Field(), "operating.server") {
		t.Errorf("a price without its date: %v", err)
	}
}
