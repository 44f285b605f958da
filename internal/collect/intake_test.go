package collect

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/report"
	"github.com/ki-reise/kicheck/internal/signing"
)

func TestIntakeAcceptsDuplicatesAndHistory(t *testing.T) {
	db := openDB(t)
	in := NewIntake(db, Trust{Enroll: true})
	key := newKey(t)
	old, oldSig := makeReport(t, key, spec{created: time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC), ramGB: 8})
	cur, curSig := makeReport(t, key, spec{created: time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC), ramGB: 32})

	sum := runItems(t, in, Item{Source: "cur.json", Data: cur, Sig: curSig})
	if sum.Accepted != 1 || sum.Rejected != 0 || sum.Duplicate != 0 {
		t.Fatalf("first run: %+v", sum)
	}
	// The same report again (a replay) is a duplicate; an older report of
	// the same device is kept as history but does not become the latest.
	sum = runItems(t, in, Item{Source: "again.json", Data: cur, Sig: curSig}, Item{Source: "old.json", Data: old, Sig: oldSig})
	if sum.Accepted != 1 || sum.Duplicate != 1 || sum.Rejected != 0 {
		t.Fatalf("second run: %+v", sum)
	}
	if sum.Files[0].Source != "again.json" || sum.Files[0].Outcome != Duplicate {
		t.Fatalf("duplicate not listed: %+v", sum.Files)
	}
	if n := countRows(t, db, "collect_reports"); n != 2 {
		t.Fatalf("%d reports stored, want 2", n)
	}
	var ram int64
	if err := db.QueryRow(`SELECT r.ram_bytes FROM collect_devices d JOIN collect_reports r ON r.id = d.latest_report`).Scan(&ram); err != nil {
		t.Fatal(err)
	}
	if ram != 32<<30 {
		t.Fatalf("latest report has %d bytes RAM, want the newer report's 32 GiB", ram)
	}
	var digest string
	if err := db.QueryRow(`SELECT sha256 FROM collect_reports WHERE created = '2026-11-01T08:00:00Z'`).Scan(&digest); err != nil {
		t.Fatal(err)
	}
	stored, _, err := StoredReport(context.Background(), db, digest)
	if err != nil || !bytes.Equal(stored, cur) {
		t.Fatal("stored bytes differ from the signed report")
	}
}

func TestIntakeRejectsBadReportsAndKeepsStoredOnes(t *testing.T) {
	db := openDB(t)
	in := NewIntake(db, Trust{Enroll: true})
	key := newKey(t)
	good, goodSig := makeReport(t, key, spec{})
	runItems(t, in, Item{Source: "good.json", Data: good, Sig: goodSig})

	other, otherSig := makeReport(t, key, spec{created: time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)})
	tampered := bytes.Replace(other, []byte(`"total_bytes": 17179869184`), []byte(`"total_bytes": 68719476736`), 1)
	if bytes.Equal(tampered, other) {
		t.Fatal("test did not change the report")
	}
	flipped := bytes.Clone(other)
	flipped[len(flipped)/2] ^= 0x01
	badSig := bytes.Clone(otherSig)
	badSig[40] ^= 0x01
	huge := append(bytes.Repeat([]byte(" "), report.MaxSize), other...)
	items := []Item{
		{Source: "tampered.json", Data: tampered, Sig: otherSig},
		{Source: "flipped.json", Data: flipped, Sig: otherSig},
		{Source: "truncated.json", Data: other[:len(other)/3], Sig: signed(t, key, other[:len(other)/3])},
		{Source: "badsig.json", Data: other, Sig: badSig},
		{Source: "nosig.json", Data: other},
		{Source: "notjson.json", Data: []byte("hello"), Sig: signed(t, key, []byte("hello"))},
		{Source: "notjson-unsigned.json", Data: []byte("hello"), Sig: otherSig}, // the signature is checked first
		{Source: "huge.json", Data: huge, Sig: otherSig},
		{Source: "wrongsig.json", Data: other, Sig: goodSig}, // signature of another report: replay of a signature
		{Source: "unreadable.json", Err: os.ErrPermission},
	}
	sum := runItems(t, in, items...)
	if sum.Rejected != len(items) || sum.Accepted != 0 {
		t.Fatalf("want all %d rejected: %+v", len(items), sum)
	}
	want := map[string]report.Problem{
		"tampered.json": report.ProblemSignatureInvalid, "flipped.json": "",
		"truncated.json": report.ProblemNotJSON, "badsig.json": "", "nosig.json": report.ProblemSignatureMissing,
		"notjson.json": report.ProblemNotJSON, "huge.json": report.ProblemTooLarge,
		"wrongsig.json": report.ProblemSignatureInvalid, "unreadable.json": ProblemRead,
		"notjson-unsigned.json": report.ProblemSignatureInvalid,
	}
	for _, f := range sum.Files {
		if f.Message == "" {
			t.Errorf("%s: no reason given", f.Source)
		}
		if w := want[f.Source]; w != "" && f.Problem != w {
			t.Errorf("%s: problem %q (%s), want %q", f.Source, f.Problem, f.Message, w)
		}
	}
	if n := countRows(t, db, "collect_reports"); n != 1 {
		t.Fatalf("%d reports stored, want only the good one", n)
	}
	var stored []byte
	var encoding string
	if err := db.QueryRow(`SELECT data, encoding FROM collect_report_files`).Scan(&stored, &encoding); err != nil {
		t.Fatal(err)
	}
	if back, err := unpackReport(stored, encoding); err != nil || !bytes.Equal(back, good) {
		t.Fatalf("stored report changed (err %v)", err)
	}
}

func TestIntakeTrust(t *testing.T) {
	key, stranger := newKey(t), newKey(t)
	data, sig := makeReport(t, key, spec{})
	sData, sSig := makeReport(t, stranger, spec{})

	t.Run("not enrolling refuses unknown devices", func(t *testing.T) {
		db := openDB(t)
		sum := runItems(t, NewIntake(db, Trust{}), Item{Source: "a.json", Data: data, Sig: sig})
		if sum.Rejected != 1 || sum.Files[0].Problem != ProblemNotEnrolled {
			t.Fatalf("%+v", sum)
		}
		if countRows(t, db, "collect_devices")+countRows(t, db, "collect_reports") != 0 {
			t.Fatal("a refused report left rows behind")
		}
		// After enrolment the same device is accepted without --enroll.
		runItems(t, NewIntake(db, Trust{Enroll: true}), Item{Source: "a.json", Data: data, Sig: sig})
		d2, s2 := makeReport(t, key, spec{created: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)})
		sum = runItems(t, NewIntake(db, Trust{}), Item{Source: "b.json", Data: d2, Sig: s2}, Item{Source: "s.json", Data: sData, Sig: sSig})
		if sum.Accepted != 1 || sum.Rejected != 1 || sum.Files[0].Source != "s.json" {
			t.Fatalf("%+v", sum)
		}
	})

	t.Run("allowed_signers", func(t *testing.T) {
		db := openDB(t)
		allowed := signing.ParseAllowedSigners("allowed_signers", []byte(signing.AllowedSignersLine(key.Public())+"\n"))
		sum := runItems(t, NewIntake(db, Trust{AllowedSigners: allowed}),
			Item{Source: "a.json", Data: data, Sig: sig}, Item{Source: "s.json", Data: sData, Sig: sSig})
		if sum.Accepted != 1 || sum.Rejected != 1 || sum.Files[0].Problem != report.ProblemUnknownKey {
			t.Fatalf("%+v", sum)
		}
		var trust string
		if err := db.QueryRow(`SELECT trust FROM collect_devices`).Scan(&trust); err != nil || trust != "allowed_signers" {
			t.Fatalf("trust %q, err %v", trust, err)
		}
	})

	t.Run("a report claiming an enrolled device but signed by another key", func(t *testing.T) {
		db := openDB(t)
		runItems(t, NewIntake(db, Trust{Enroll: true}), Item{Source: "a.json", Data: data, Sig: sig})
		// The stranger writes the enrolled device's id into its report.
		r := report.New(stranger, time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC))
		r.Device.DeviceID = key.DeviceID()
		forged, _ := report.Marshal(r)
		forgedSig, _ := stranger.Sign(forged)
		sum := runItems(t, NewIntake(db, Trust{Enroll: true}), Item{Source: "forged.json", Data: forged, Sig: forgedSig})
		if sum.Rejected != 1 || sum.Files[0].Problem != report.ProblemDeviceID {
			t.Fatalf("%+v", sum)
		}
	})

	t.Run("enrolment conflict", func(t *testing.T) {
		// Injected state: the device id derives from the key, so a real
		// conflict needs a database whose record was made with another key
		// (restored backup, edited row). The intake must not rebind it.
		db := openDB(t)
		if _, err := db.Exec(`INSERT INTO collect_devices (device_id, public_key, fingerprint, trust, first_seen) VALUES (?, ?, ?, 'enrolled', '2026-01-01T00:00:00Z')`,
			key.DeviceID(), signing.AuthorizedKey(stranger.Public()), stranger.Fingerprint()); err != nil {
			t.Fatal(err)
		}
		sum := runItems(t, NewIntake(db, Trust{Enroll: true}), Item{Source: "a.json", Data: data, Sig: sig})
		if sum.Rejected != 1 || sum.Files[0].Problem != ProblemEnrolConflict {
			t.Fatalf("%+v", sum)
		}
		if countRows(t, db, "collect_reports") != 0 {
			t.Fatal("conflicting report stored")
		}
	})
}

func TestWalkFoldersAndZip(t *testing.T) {
	dir := t.TempDir()
	key := newKey(t)
	var names []string
	for i := range 3 {
		data, sig := makeReport(t, key, spec{created: time.Date(2026, 11, 1+i, 9, 0, 0, 0, time.UTC)})
		sub := filepath.Join(dir, "share", "amt"+string(rune('a'+i)))
		os.MkdirAll(sub, 0o755)
		name := filepath.Join(sub, "bericht.json")
		os.WriteFile(name, data, 0o644)
		os.WriteFile(name+".sig", sig, 0o644)
		names = append(names, name)
	}
	os.WriteFile(filepath.Join(dir, "share", "notes.txt"), []byte("ignored"), 0o644)
	zdata, zsig := makeReport(t, key, spec{created: time.Date(2026, 11, 10, 9, 0, 0, 0, time.UTC)})
	zipPath := filepath.Join(dir, "share", "export.zip")
	writeZip(t, zipPath, map[string][]byte{"pc1/r.json": zdata, "pc1/r.json.sig": zsig})

	db := openDB(t)
	ch := make(chan Item)
	go Walk(context.Background(), []string{filepath.Join(dir, "share")}, ch)
	sum, err := NewIntake(db, Trust{Enroll: true}).Run(context.Background(), ch, Options{Batch: 2})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Accepted != 4 || sum.Rejected != 0 {
		t.Fatalf("%+v", sum)
	}
	var src string
	db.QueryRow(`SELECT source FROM collect_reports WHERE source LIKE '%!%'`).Scan(&src)
	if !strings.HasSuffix(src, "export.zip!pc1/r.json") {
		t.Fatalf("zip source %q", src)
	}
}

func writeZip(t testing.TB, path string, files map[string][]byte) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, b := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func walkAll(t testing.TB, paths ...string) []Item {
	ch := make(chan Item)
	go Walk(context.Background(), paths, ch)
	var items []Item
	for it := range ch {
		items = append(items, it)
	}
	return items
}

func TestZipRefusals(t *testing.T) {
	dir := t.TempDir()
	key := newKey(t)
	data, sig := makeReport(t, key, spec{})
	for _, name := range []string{"../../etc/evil.json", "/abs/r.json", `..\win.json`, "a/../../b.json", "C:/x.json"} {
		p := filepath.Join(dir, "trav.zip")
		writeZip(t, p, map[string][]byte{"ok.json": data, "ok.json.sig": sig, name: data})
		items := walkAll(t, p)
		if len(items) != 1 || items[0].Err == nil || !strings.Contains(items[0].Err.Error(), "path traversal") {
			t.Fatalf("%q: %+v", name, items)
		}
	}

	// A zip bomb: 6 MiB of zeros compress to a few KiB.
	bomb := filepath.Join(dir, "bomb.zip")
	writeZip(t, bomb, map[string][]byte{"r.json": make([]byte, 6<<20), "r.json.sig": sig})
	items := walkAll(t, bomb)
	if len(items) != 1 || items[0].Err == nil || !strings.Contains(items[0].Err.Error(), "zip bomb") {
		t.Fatalf("bomb: %+v", items)
	}

	// An entry over the size cap is refused without reading it whole.
	big := filepath.Join(dir, "big.zip")
	rnd := make([]byte, report.MaxSize+10)
	for i := range rnd {
		rnd[i] = byte(i*7919 + i>>8)
	}
	writeZip(t, big, map[string][]byte{"r.json": rnd})
	items = walkAll(t, big)
	if len(items) != 1 || items[0].Err == nil || !strings.Contains(items[0].Err.Error(), "too large") {
		t.Fatalf("big: %+v", items)
	}

	// Not a zip at all.
	fake := filepath.Join(dir, "fake.zip")
	os.WriteFile(fake, []byte("not a zip"), 0o644)
	items = walkAll(t, fake)
	if len(items) != 1 || items[0].Err == nil {
		t.Fatalf("fake: %+v", items)
	}
	// All of them end as rejections in the intake, with nothing stored.
	db := openDB(t)
	sum := runItems(t, NewIntake(db, Trust{Enroll: true}), append(walkAll(t, bomb, big, fake), walkAll(t, filepath.Join(dir, "trav.zip"))...)...)
	if sum.Rejected != 4 || sum.Accepted != 0 || countRows(t, db, "collect_reports") != 0 {
		t.Fatalf("%+v", sum)
	}
}

// TestGeneratedReportsVerifyWithSSHKeygen checks that the reports the tests
// and benchmarks feed the intake are what ssh-keygen accepts too.
func TestGeneratedReportsVerifyWithSSHKeygen(t *testing.T) {
	bin, err := exec.LookPath("ssh-keygen")
	if err != nil {
		t.Skip("ssh-keygen not installed")
	}
	key := newKey(t)
	s := spec{ramGB: 4, bandwidth: 40, quiz: [2]float64{12, 71.5}, judge: true}
	data, sig := makeReport(t, key, s)
	dir := t.TempDir()
	allowed := filepath.Join(dir, "allowed_signers")
	os.WriteFile(allowed, []byte(signing.AllowedSignersLine(key.Public())+"\n"), 0o644)
	sigPath := filepath.Join(dir, "r.json.sig")
	os.WriteFile(sigPath, sig, 0o644)
	cmd := exec.Command(bin, "-Y", "verify", "-f", allowed, "-I", key.DeviceID(), "-n", signing.Namespace, "-s", sigPath)
	cmd.Stdin = bytes.NewReader(data)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	db := openDB(t)
	a, _ := signing.ReadAllowedSigners(allowed)
	sum := runItems(t, NewIntake(db, Trust{AllowedSigners: a}), Item{Source: "r.json", Data: data, Sig: sig})
	if sum.Accepted != 1 {
		t.Fatalf("%+v", sum)
	}
	var bw, score float64
	if err := db.QueryRow(`SELECT bandwidth_gbps, quiz_score_pct FROM collect_reports`).Scan(&bw, &score); err != nil {
		t.Fatal(err)
	}
	if bw != 40 || score != 71.5 {
		t.Fatalf("columns: bandwidth %v, quiz %v", bw, score)
	}
	// Each verdict row carries its use case's upgrade figure from the fit
	// section.
	fitSection, verdicts := judged(t, s)
	want := map[string]int64{}
	upgrades := 0
	for _, u := range fitSection.UseCases {
		want[u.UseCase] = int64(u.ReadyWithRAMGB)
		if u.ReadyWithRAMGB > 0 {
			upgrades++
		}
	}
	rows, err := db.Query(`SELECT use_case, level, ready_with_ram_gb FROM collect_verdicts`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var uc, level string
		var gb int64
		if err := rows.Scan(&uc, &level, &gb); err != nil {
			t.Fatal(err)
		}
		if w, ok := want[uc]; !ok || gb != w {
			t.Errorf("verdict %s (%s): ready_with_ram_gb %d, report says %d", uc, level, gb, w)
		}
		n++
	}
	if n != len(verdicts) || upgrades == 0 {
		t.Errorf("%d verdict rows for %d verdicts; %d use cases with an upgrade (a 4 GB PC has some)", n, len(verdicts), upgrades)
	}
}

func TestRunCancelledKeepsStored(t *testing.T) {
	db := openDB(t)
	key := newKey(t)
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan Item)
	go func() {
		for i := range 5 {
			d, s := makeReport(t, key, spec{created: time.Date(2026, 11, 1+i, 9, 0, 0, 0, time.UTC)})
			ch <- Item{Source: "r.json", Data: d, Sig: s}
		}
		cancel()
		close(ch)
	}()
	sum, err := NewIntake(db, Trust{Enroll: true}).Run(ctx, ch, Options{Batch: 1, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !sum.Incomplete {
		t.Fatal("not marked incomplete")
	}
	if n := countRows(t, db, "collect_reports"); n != sum.Accepted || n == 0 {
		t.Fatalf("%d stored, %d counted as accepted", n, sum.Accepted)
	}
}

// TestStoredReportIsTheSignedBytes: the database keeps the exact signed
// bytes (compressed), so a stored report verifies again.
func TestStoredReportIsTheSignedBytes(t *testing.T) {
	db := openDB(t)
	key := newKey(t)
	data, sig := makeReport(t, key, spec{ramGB: 8, bandwidth: 30, judge: true})
	if sum := runItems(t, NewIntake(db, Trust{Enroll: true}), Item{Source: "r.json", Data: data, Sig: sig}); sum.Accepted != 1 {
		t.Fatalf("%+v", sum)
	}
	var stored, storedSig []byte
	var encoding string
	if err := db.QueryRow(`SELECT data, sig, encoding FROM collect_report_files`).Scan(&stored, &storedSig, &encoding); err != nil {
		t.Fatal(err)
	}
	back, err := unpackReport(stored, encoding)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(back, data) || !bytes.Equal(storedSig, sig) {
		t.Fatal("the stored report is not the signed bytes")
	}
	if res := report.Verify(back, storedSig, report.VerifyOptions{}); !res.Valid {
		t.Fatalf("stored report does not verify: %s", res.Message)
	}
	if encoding != fileEncodingZstd || len(stored)*3 > len(data) {
		t.Errorf("stored %d bytes (%q) for a %d byte report; compressed it should be under a third", len(stored), encoding, len(data))
	}
	t.Logf("report %d bytes, stored %d bytes", len(data), len(stored))
	if _, err := unpackReport([]byte("not zstd"), fileEncodingZstd); err == nil {
		t.Error("damaged stored bytes unpacked without error")
	}
	if _, err := unpackReport(stored, "brotli"); err == nil {
		t.Error("unknown encoding unpacked without error")
	}
}

// TestRealCheckReportsBothVersions: reports exactly as the headless check
// wrote them, version 1 (before the fit section was slimmed) and version
// 2, are accepted; only version 2 carries the upgrade figures, so the
// version 1 device counts as without fit data.
func TestRealCheckReportsBothVersions(t *testing.T) {
	db := openDB(t)
	var items []Item
	for _, name := range []string{"real-check-report-v1.json", "real-check-report.json"} {
		data, sig := readReport(t, name)
		items = append(items, Item{Source: name, Data: data, Sig: sig})
	}
	if sum := runItems(t, NewIntake(db, Trust{Enroll: true}), items...); sum.Accepted != 2 {
		t.Fatalf("%s: %+v", sum.Line("en"), sum.Files)
	}
	f, err := ComputeFleet(context.Background(), db, FleetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	notReady := f.Overall.Limited + f.Overall.NotReady
	if f.Devices != 2 || len(f.UseCases) != 5 {
		t.Fatalf("devices %d, use cases %d", f.Devices, len(f.UseCases))
	}
	// Both development-VM reports are below ready; the v1 one cannot be
	// judged, the v2 one can (it says whether memory would help).
	if notReady != 2 || f.Upgrade.WithoutFitData != 1 {
		t.Errorf("overall %+v, upgrade %+v", f.Overall, f.Upgrade)
	}
}
