package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/aggregate"
	"github.com/ki-reise/kicheck/internal/aggregate/aggtest"
	"github.com/ki-reise/kicheck/internal/pgtest"
)

// A municipality exports its summary from its central database (name and
// AGS from flags or settings), the Land takes it against its
// allowed_signers and shows it per municipality, as text, JSON and HTML,
// in German and English; bad input is refused with its reason.
func TestFleetAggregateEndToEnd(t *testing.T) {
	end := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	central := filepath.Join(t.TempDir(), "central.db")
	aggtest.CentralDB(t, central, aggtest.Mixed(15, end))

	muni := t.TempDir()
	out := filepath.Join(t.TempDir(), "halle.json")
	stdout, stderr, code := kicheck(t, "--data-dir", muni, "fleet", "--db", central, "--export-aggregate", out, "--kommune", "Halle (Saale)", "--ags", "15002000")
	if code != 0 || !strings.Contains(stdout, "Zusammenfassung für „Halle (Saale)“ (AGS 15002000) geschrieben") {
		t.Fatalf("export: %d %s %s", code, stdout, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	allowedLine := lines[len(lines)-1]
	if !strings.HasPrefix(allowedLine, `15002000 namespaces="kicheck-report-v1" ssh-ed25519 `) {
		t.Fatalf("allowed_signers line %q", allowedLine)
	}
	data, _ := os.ReadFile(out)
	if strings.Contains(string(data), "PC-BAUAMT") || strings.Contains(string(data), "Bauamt") {
		t.Fatal("a hostname or unit reached the summary")
	}

	// Name and AGS from settings.json; an AGS of 7 digits is refused.
	settings := t.TempDir()
	os.WriteFile(filepath.Join(settings, "settings.json"), []byte(`{"language":"de","municipality":"Magdeburg","ags":"15003000"}`), 0o644)
	out2 := filepath.Join(t.TempDir(), "md.json")
	if stdout, stderr, code := kicheck(t, "--data-dir", settings, "fleet", "--db", central, "--export-aggregate", out2); code != 0 || !strings.Contains(stdout, "Magdeburg") {
		t.Fatalf("from settings: %d %s %s", code, stdout, stderr)
	}
	if _, stderr, code := kicheck(t, "--data-dir", settings, "fleet", "--db", central, "--export-aggregate", out2, "--ags", "1500300"); code != 1 ||
		!strings.Contains(stderr, "„1500300“ ist kein Amtlicher Gemeindeschlüssel (AGS: 8 Ziffern)") || !strings.Contains(stderr, "hint: ") {
		t.Errorf("7-digit AGS: %d %s", code, stderr)
	}
	few := filepath.Join(t.TempDir(), "few.db")
	aggtest.CentralDB(t, few, aggtest.Mixed(3, end))
	if _, stderr, code := kicheck(t, "--data-dir", muni, "--lang", "en", "fleet", "--db", few, "--export-aggregate", out2, "--kommune", "X", "--ags", "15099999"); code != 1 ||
		!strings.Contains(stderr, "holds 3 devices; a summary for the Land needs at least 5") {
		t.Errorf("3 devices: %d %s", code, stderr)
	}

	// The Land: an allowed_signers without Halle refuses it, nothing stored.
	land := filepath.Join(t.TempDir(), "land.db")
	other := aggtest.NewMunicipality(t, "15003000", "Magdeburg")
	wrong := aggtest.AllowedSigners(t, other)
	stdout, _, code = kicheck(t, "--data-dir", t.TempDir(), "collect", "--aggregates", "--db", land, "--allowed-signers", wrong, out)
	if code != exitCollectRejected || !strings.Contains(stdout, "unbekannter Schlüssel") || !strings.Contains(stdout, "0 übernommen") {
		t.Fatalf("unknown key: %d %s", code, stdout)
	}
	stdout, _, _ = kicheck(t, "--data-dir", t.TempDir(), "fleet", "--db", land, "--by-municipality")
	if !strings.Contains(stdout, "Noch keine Daten von Kommunen") {
		t.Fatalf("stored after a refusal: %s", stdout)
	}
	allowed := filepath.Join(t.TempDir(), "allowed_signers")
	os.WriteFile(allowed, []byte(allowedLine+"\n"), 0o644)
	stdout, stderr, code = kicheck(t, "--data-dir", t.TempDir(), "collect", "--aggregates", "--db", land, "--allowed-signers", allowed, filepath.Dir(out))
	if code != 0 || !strings.Contains(stdout, "„Halle (Saale)“ (AGS 15002000): Daten vom 06.11.2026 bis 20.11.2026 übernommen") {
		t.Fatalf("take: %d %s %s", code, stdout, stderr)
	}
	// --enroll is no way around the Land's keys.
	if _, _, code := kicheck(t, "--data-dir", t.TempDir(), "collect", "--aggregates", "--enroll", "--db", land, out); code != exitUsage {
		t.Errorf("--aggregates --enroll: %d", code)
	}

	html := filepath.Join(t.TempDir(), "land.html")
	stdout, _, code = kicheck(t, "--data-dir", t.TempDir(), "--lang", "en", "fleet", "--db", land, "--by-municipality", "--html", html)
	if code != 0 || !strings.Contains(stdout, "Land: 1 municipality, 15 devices: 5 ready (33%)") || !strings.Contains(stdout, "15002000 Halle (Saale): 15 devices") {
		t.Fatalf("view: %d %s", code, stdout)
	}
	page, _ := os.ReadFile(html)
	if !strings.Contains(string(page), `<html lang="en">`) || !strings.Contains(string(page), "Halle (Saale)") {
		t.Errorf("page: %s", page)
	}
	stdout, _, _ = kicheck(t, "--data-dir", t.TempDir(), "fleet", "--db", land, "--by-municipality", "--json")
	var v aggregate.LandView
	if err := json.Unmarshal([]byte(stdout), &v); err != nil || v.Total.Devices != 15 || v.Municipalities[0].To != "2026-11-20" {
		t.Fatalf("json: %v %s", err, stdout)
	}
	if _, _, code := kicheck(t, "--data-dir", t.TempDir(), "fleet", "--db", land, "--by-municipality", "--csv", "x.csv"); code != exitUsage {
		t.Errorf("--by-municipality --csv: %d", code)
	}

}

// The Land on PostgreSQL: the summary exported from a collection in
// PostgreSQL, taken into the Land's tables of a PostgreSQL database and
// shown, with the password from a file; the same view as in SQLite.
func TestFleetAggregateOnPostgres(t *testing.T) {
	cluster := pgtest.Start(t, pgtest.Options{}) // stopped at the test's end
	end := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	central := filepath.Join(t.TempDir(), "central.db")
	aggtest.CentralDB(t, central, aggtest.Mixed(15, end))
	out := filepath.Join(t.TempDir(), "halle.json")
	stdout, stderr, code := kicheck(t, "--data-dir", t.TempDir(), "fleet", "--db", central, "--export-aggregate", out, "--kommune", "Halle (Saale)", "--ags", "15002000")
	if code != 0 {
		t.Fatalf("export: %d %s %s", code, stdout, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	allowed := filepath.Join(t.TempDir(), "allowed_signers")
	os.WriteFile(allowed, []byte(lines[len(lines)-1]+"\n"), 0o644)
	pw := filepath.Join(t.TempDir(), "pgpass")
	os.WriteFile(pw, []byte(pgtest.Password+"\n"), 0o600)
	dsn := cluster.NewDatabase(t)
	kc := func(args ...string) (string, string, int) {
		return kicheck(t, append([]string{"--data-dir", t.TempDir(), "--lang", "en"}, args...)...)
	}
	if stdout, stderr, code := kc("collect", "--aggregates", "--db", dsn, "--db-password-file", pw, "--allowed-signers", allowed, out); code != 0 || !strings.Contains(stdout, "1 taken") {
		t.Fatalf("take: %d %s %s", code, stdout, stderr)
	}
	if stdout, _, code := kc("collect", "--aggregates", "--db", dsn, "--db-password-file", pw, "--allowed-signers", allowed, out); code != 0 || !strings.Contains(stdout, "this very file is stored already") {
		t.Fatalf("again: %d %s", code, stdout)
	}
	stdout, stderr, code = kc("fleet", "--db", dsn, "--db-password-file", pw, "--by-municipality")
	if code != 0 || !strings.HasPrefix(stdout, "Land: 1 municipality, 15 devices: 5 ready (33%)") || !strings.Contains(stdout, "data from 6 Nov 2026 to 20 Nov 2026") {
		t.Fatalf("view: %d %s %s", code, stdout, stderr)
	}
	if strings.Contains(stdout+stderr, pgtest.Password) {
		t.Fatal("the password was printed")
	}
}
