package aggregate_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/aggregate"
	"github.com/ki-reise/kicheck/internal/aggregate/aggtest"
	"github.com/ki-reise/kicheck/internal/collect"
	"github.com/ki-reise/kicheck/internal/pgtest"
	"github.com/ki-reise/kicheck/internal/report"
	"github.com/ki-reise/kicheck/internal/signing"
	"github.com/ki-reise/kicheck/internal/store"
)

var now = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC) // in the past: the intake refuses reports from the future

// export writes m's summary of devs into dir and returns the file's path.
func export(t *testing.T, m aggtest.Municipality, devs []aggtest.Device, at time.Time) (string, *aggregate.Export) {
	t.Helper()
	central := filepath.Join(t.TempDir(), "central.db")
	aggtest.CentralDB(t, central, devs)
	cdb, err := collect.OpenSQLite(context.Background(), central)
	if err != nil {
		t.Fatal(err)
	}
	defer cdb.Close()
	ex, err := aggregate.BuildSigned(context.Background(), cdb, nil, m.Key, aggregate.Inputs{
		Municipality: aggregate.Municipality{Name: m.Name, AGS: m.AGS}, Version: "test", Now: at})
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), m.AGS+".json")
	if err := ex.WriteFiles(p); err != nil {
		t.Fatal(err)
	}
	return p, ex
}

// onPostgres makes landDB open the Land's store in PostgreSQL
// (TestLandOnPostgres runs the same tests again with it).
var onPostgres bool

// landDB opens a new Land store: SQLite in t.TempDir(), or a fresh
// database of a private PostgreSQL cluster (internal/pgtest).
func landDB(t *testing.T) aggregate.LandStore {
	t.Helper()
	if onPostgres {
		s, err := collect.OpenPostgres(context.Background(), pgtest.Shared(t).NewDatabase(t), collect.PostgresOptions{Password: pgtest.Password, MaxConns: 4})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		ls, err := aggregate.OpenLandPostgres(context.Background(), collect.DB(s))
		if err != nil {
			t.Fatal(err)
		}
		// Opening again finds the schema current.
		if _, err := aggregate.OpenLandPostgres(context.Background(), collect.DB(s)); err != nil {
			t.Fatal(err)
		}
		return ls
	}
	db, err := aggregate.OpenLand(context.Background(), filepath.Join(t.TempDir(), "land.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return aggregate.SQLiteStore{DB: db}
}

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.StopShared()
	os.Exit(code)
}

// TestLandOnPostgres runs the Land's tests again with the store in
// PostgreSQL: the same outcomes, the same view, the same golden text.
func TestLandOnPostgres(t *testing.T) {
	pgtest.Shared(t) // skip (or fail with KICHECK_REQUIRE_POSTGRES=1) once
	onPostgres = true
	defer func() { onPostgres = false }()
	t.Run("ExportImportView", TestExportImportView)
	t.Run("ImportRefusesWithReason", TestImportRefusesWithReason)
	t.Run("ViewTextGolden", TestViewTextGolden)
	t.Run("NewerSchemaRefused", func(t *testing.T) {
		land := landDB(t).(*aggregate.PostgresStore)
		if _, err := land.DB.Exec(`INSERT INTO schema_migrations (component, version) VALUES ('aggregate', 99)`); err != nil {
			t.Fatal(err)
		}
		if _, err := aggregate.OpenLandPostgres(context.Background(), land.DB); !errors.Is(err, store.ErrNewerSchema) {
			t.Fatalf("newer schema: %v", err)
		}
		var n int
		if err := land.DB.QueryRow(`SELECT COUNT(*) FROM aggregate_municipalities`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("table changed: %d %v", n, err)
		}
	})
}

// A municipality's 40 real reports become a summary without device ids,
// hostnames or org units; the Land takes it against its allowed_signers
// and shows it; a newer file replaces it, an older one does not.
func TestExportImportView(t *testing.T) {
	halle := aggtest.NewMunicipality(t, "15002000", "Halle (Saale)")
	devs := aggtest.Mixed(40, now)
	devs[0].RAMGB = 128 // one device alone in its memory size
	file, ex := export(t, halle, devs, now)
	text := string(ex.Data)
	for _, bad := range []string{"PC-BAUAMT", "Bauamt", "kc-", "device_id", "hostname"} {
		if strings.Contains(text, bad) {
			t.Errorf("summary contains %q", bad)
		}
	}
	d := ex.Doc
	if d.Devices != 40 || d.Data.From != "2026-10-22" || d.Data.To != "2026-11-20" {
		t.Errorf("devices %d, data %+v", d.Devices, d.Data)
	}
	// 14 ready, 13 limited, 13 not ready: no merging of levels.
	if len(d.Overall) != 4 || d.Overall[0].Devices != 14 || d.Overall[0].Merged() || d.Overall[3].Devices != 0 {
		t.Errorf("overall %+v", d.Overall)
	}
	// The lone 128 GB device is merged with its neighbours, never alone.
	for _, g := range d.RAM {
		if g.Devices > 0 && g.Devices < aggregate.MinBucket {
			t.Errorf("ram group %+v under the minimum", g)
		}
		if strings.Contains(strings.Join(g.Keys, ","), "128gb") && !g.Merged() {
			t.Errorf("128 GB published alone: %+v", g)
		}
	}
	// ssh-keygen checks the signature as the Land's allowed_signers names it.
	allowed := aggtest.AllowedSigners(t, halle)
	sshVerify(t, allowed, halle.AGS, file)

	land := landDB(t)
	a, err := signing.ReadAllowedSigners(allowed)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := aggregate.Import(context.Background(), land, []string{file}, a, now)
	if err != nil || sum.Stored != 1 || sum.Files[0].Outcome != aggregate.OutcomeNew {
		t.Fatalf("import: %v %+v", err, sum)
	}
	v, err := aggregate.View(context.Background(), land, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Municipalities) != 1 || v.Total.Devices != 40 || v.Total.Ready != 14 || v.Municipalities[0].From != "2026-10-22" {
		t.Fatalf("view %+v", v)
	}

	// A newer file replaces the stored one and says so; the older one is
	// then not taken.
	newer, _ := export(t, halle, aggtest.Mixed(45, now.AddDate(0, 0, 2)), now.Add(48*time.Hour))
	later := now.Add(48 * time.Hour) // the Land's clock when the newer file comes
	sum, err = aggregate.Import(context.Background(), land, []string{newer}, a, later)
	if err != nil || sum.Files[0].Outcome != aggregate.OutcomeReplaced || !strings.Contains(sum.Localize("de").Files[0].Message, "ersetzen die ältere Datei vom 20.11.2026") {
		t.Fatalf("newer: %v %+v", err, sum.Localize("de"))
	}
	sum, err = aggregate.Import(context.Background(), land, []string{file}, a, later)
	if err != nil || sum.Files[0].Outcome != aggregate.OutcomeOlder || sum.Stored != 0 {
		t.Fatalf("older: %v %+v", err, sum)
	}
	v, _ = aggregate.View(context.Background(), land, now)
	if v.Total.Devices != 45 || v.Municipalities[0].To != "2026-11-22" {
		t.Fatalf("after replace: %+v", v.Total)
	}
}

// sshVerify checks file's signature with the real ssh-keygen.
func sshVerify(t *testing.T, allowed, principal, file string) {
	t.Helper()
	out, err := sshKeygen(t, file, "-Y", "verify", "-f", allowed, "-I", principal, "-n", signing.Namespace, "-s", file+".sig")
	if err != nil {
		t.Fatalf("ssh-keygen -Y verify: %v: %s", err, out)
	}
}

// Refusals: a changed byte, an unknown key, a key listed for another
// AGS, a group under the minimum; each with its reason, and nothing of
// the batch stored.
func TestImportRefusesWithReason(t *testing.T) {
	halle := aggtest.NewMunicipality(t, "15002000", "Halle (Saale)")
	magdeburg := aggtest.NewMunicipality(t, "15003000", "Magdeburg")
	good, ex := export(t, halle, aggtest.Mixed(30, now), now)
	dir := t.TempDir()
	write := func(name string, data, sig []byte) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, data, 0o644)
		os.WriteFile(p+".sig", sig, 0o644)
		return p
	}
	tampered := write("tampered.json", []byte(strings.Replace(string(ex.Data), `"devices": 30`, `"devices": 31`, 1)), ex.Sig)
	// Magdeburg signs a file that claims Halle's AGS.
	claimData := ex.Data
	claimSig, _ := magdeburg.Key.Sign(claimData)
	claim := write("claim.json", claimData, claimSig)
	// A hand-made file with a group of 3, correctly signed by Halle.
	small := strings.Replace(string(ex.Data), `"devices": 10`, `"devices": 3`, 1)
	small = strings.Replace(small, `"devices": 30`, `"devices": 23`, 1)
	smallSig, _ := halle.Key.Sign([]byte(small))
	smallFile := write("small.json", []byte(small), smallSig)

	// A file dated three days ahead (a wrong clock) would hold off the
	// newer files.
	ahead, _ := export(t, halle, aggtest.Mixed(30, now), now.Add(72*time.Hour))

	a, _ := signing.ReadAllowedSigners(aggtest.AllowedSigners(t, halle))
	land := landDB(t)
	cases := []struct {
		file, want string
		is         error
	}{
		{tampered, "Signatur passt nicht", aggregate.ErrSignature},
		{claim, "nicht für die Kommune „Halle (Saale)“ (AGS 15002000) eingetragen", aggregate.ErrUnknownKey},
		{smallFile, "overall[0] (ready) zählt 3, weniger als die Mindestgröße 5", aggregate.ErrSmallBucket},
		{ahead, "mehr als 24 Stunden nach jetzt", aggregate.ErrBadFile},
	}
	for _, c := range cases {
		data, sig, err := aggregate.ReadFile(c.file)
		if err != nil {
			t.Fatal(err)
		}
		_, err = aggregate.Verify(c.file, data, sig, a, now)
		var e *aggregate.Error
		if !errors.As(err, &e) || !errors.Is(err, c.is) || !strings.Contains(e.Text("de"), c.want) || e.Hint() == "" {
			t.Errorf("%s: %v", filepath.Base(c.file), err)
		}
		// With the good file in the same batch: nothing stored.
		sum, err := aggregate.Import(context.Background(), land, []string{good, c.file}, a, now)
		if err != nil || sum.Refused != 1 || sum.HeldBack != 1 || sum.Stored != 0 || !strings.Contains(sum.Localize("de").Files[1].Message, c.want) {
			t.Errorf("%s batch: %v %+v", filepath.Base(c.file), err, sum.Localize("de"))
		}
	}
	v, _ := aggregate.View(context.Background(), land, now)
	if len(v.Municipalities) != 0 {
		t.Errorf("stored after refusals: %+v", v.Municipalities)
	}
	// A missing .sig names what is missing.
	os.Remove(smallFile + ".sig")
	if _, _, err := aggregate.ReadFile(smallFile); !errors.Is(err, aggregate.ErrSignature) {
		t.Errorf("no sig: %v", err)
	}
}

// Export refuses a fleet of fewer than MinBucket devices, a missing name
// and an AGS that is not 8 digits.
func TestExportRefuses(t *testing.T) {
	f := &collect.Fleet{Devices: 4, Overall: collect.Levels{Ready: 4}}
	m := aggregate.Municipality{Name: "Halle (Saale)", AGS: "15002000"}
	if _, err := aggregate.Build(f, aggregate.Inputs{Municipality: m}); !errors.Is(err, aggregate.ErrTooFew) {
		t.Errorf("4 devices: %v", err)
	}
	for _, ags := range []string{"1500200", "150020001", "15 002000", "1500200x", ""} {
		if err := aggregate.CheckMunicipality(aggregate.Municipality{Name: "X", AGS: ags}); !errors.Is(err, aggregate.ErrBadAGS) {
			t.Errorf("AGS %q: %v", ags, err)
		}
	}
	if err := aggregate.CheckMunicipality(aggregate.Municipality{Name: " ", AGS: "15002000"}); !errors.Is(err, aggregate.ErrNoName) {
		t.Errorf("no name: %v", err)
	}
}

// The merge rule: every published group is 0 or at least MinBucket, the
// total is kept, and small rows and quiz roles are left out and named.
func TestBuildMergesAndSuppresses(t *testing.T) {
	f := &collect.Fleet{Devices: 12, Overall: collect.Levels{Ready: 9, Limited: 2, NotReady: 1},
		UseCases: []collect.Readiness{
			{UseCase: "a", Levels: collect.Levels{Ready: 3, NotReady: 9}},
			{UseCase: "b", Levels: collect.Levels{Ready: 4}},
		},
		RAM: []collect.Bucket{{Key: "8gb", Devices: 1}, {Key: "16gb", Devices: 0}, {Key: "32gb", Devices: 6}, {Key: "64gb", Devices: 5}},
	}
	d, err := aggregate.Build(f, aggregate.Inputs{Municipality: aggregate.Municipality{Name: "Testdorf", AGS: "15099999"},
		QuizRoles: []aggregate.QuizRole{{Role: "anwender", Participants: 7, MeanScorePercent: 61.25}, {Role: "it", Participants: 2, MeanScorePercent: 90}}})
	if err != nil {
		t.Fatal(err)
	}
	want := func(name string, gs []aggregate.Group, keys string) {
		var got []string
		for _, g := range gs {
			got = append(got, strings.Join(g.Keys, "+")+"="+itoa(g.Devices))
		}
		if strings.Join(got, " ") != keys {
			t.Errorf("%s: %s, want %s", name, strings.Join(got, " "), keys)
		}
	}
	want("overall", d.Overall, "ready+limited+not_ready+unknown=12")
	want("use case a", d.UseCases[0].Levels, "ready+limited+not_ready=12 unknown=0")
	want("ram", d.RAM, "8gb+16gb+32gb=7 64gb=5")
	if len(d.UseCases) != 1 || len(d.QuizRoles) != 1 || d.QuizRoles[0].MeanScorePercent != 61.3 {
		t.Errorf("rows %+v quiz %+v", d.UseCases, d.QuizRoles)
	}
	sup := []string{}
	for _, s := range d.Suppressed {
		sup = append(sup, s.Table+":"+s.Key)
	}
	if strings.Join(sup, " ") != "use_cases:b quiz_roles:it" {
		t.Errorf("suppressed %v", sup)
	}
	_ = report.LevelReady
}

func itoa(n int) string { return fmtInt(n) }
