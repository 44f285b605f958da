package offers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/golden"
	"github.com/ki-reise/kicheck/internal/learning"
	"github.com/ki-reise/kicheck/internal/moochub"
	"github.com/ki-reise/kicheck/internal/quiz"
	"github.com/ki-reise/kicheck/internal/store"
)

var t0 = time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)

func openDB(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), store.FileName), Schema)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func loadContent(t *testing.T) *learning.Content {
	t.Helper()
	c, err := learning.Load("")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestFeeds are the three providers' MOOChub feeds (one in two pages, one
// with teaches in DigComp 2.2, one without skills) and a CSV list.
var TestFeeds = []string{"testdata/campus-page1.json", "testdata/campus-page2.json", "testdata/akademie.json", "testdata/mooc-verbund.json", "testdata/papier.csv"}

func importAll(t *testing.T, db *store.DB, fw *learning.Framework) {
	t.Helper()
	for _, f := range TestFeeds {
		if _, err := Import(context.Background(), db, fw, f, ImportOptions{Now: t0}); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
}

func byName(t *testing.T, db *store.DB, name string) *Offer {
	t.Helper()
	list, err := List(context.Background(), db, true)
	if err != nil {
		t.Fatal(err)
	}
	for i := range list {
		if list[i].Name == name {
			return &list[i]
		}
	}
	t.Fatalf("no offer %q", name)
	return nil
}

func confirmAll(t *testing.T, db *store.DB, fw *learning.Framework) {
	t.Helper()
	ctx := context.Background()
	for _, d := range trainerDecisions(t, "testdata/") {
		o := byName(t, db, d[0])
		if err := Assign(ctx, db, fw, o.ID, d[1], quiz.Level(d[2]), t0); err != nil {
			t.Fatal(err)
		}
	}
	if err := Reject(ctx, db, byName(t, db, "KI im Rathaus: Anwendungsfälle finden").ID, "A4", t0); err != nil {
		t.Fatal(err)
	}
}

func TestImportAndCoverage(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	c := loadContent(t)
	fw := c.Framework
	importAll(t, db, fw)
	list, err := List(ctx, db, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 14 {
		t.Fatalf("%d offers, want 5+4+3+2", len(list))
	}
	// The HTML description is plain text now; the script is gone.
	intro := byName(t, db, "Einführung in die Künstliche Intelligenz")
	if strings.ContainsAny(intro.Description, "<>") || strings.Contains(intro.Description, "alert") || !strings.Contains(intro.Description, "• Begriffe") {
		t.Errorf("description %q", intro.Description)
	}
	// Mappings from the feed: only teaches in the municipality's
	// framework; DigComp alone maps nothing.
	vo := byName(t, db, "KI-Verordnung für Kommunen: Pflichten als Betreiber")
	if len(vo.Areas) != 1 || vo.Areas[0].Area != "A3" || vo.Areas[0].Level != quiz.Mittel || !vo.Areas[0].LevelStated || vo.Areas[0].Origin != OriginFeed {
		t.Errorf("areas %+v", vo.Areas)
	}
	if d := byName(t, db, "Informationen bewerten: Fakten, Quellen, KI-Fehler"); len(d.Areas) != 0 || strings.Join(d.DigComp(), ",") != "1.2,2.5" {
		t.Errorf("DigComp offer %+v %v", d.Areas, d.DigComp())
	}
	// Before a trainer confirms anything, only feed and CSV mappings
	// count; everything else is a proposal.
	cov := Analyse(fw, list, nil, t0)
	if n := countCovered(cov); n != 4 { // A3 mittel, A5 fortgeschritten (feed), A2 grundlage (CSV areas column)...
		t.Logf("covered cells before confirmation: %d", n)
	}
	for _, p := range cov.Proposals {
		if p.Name == "Kochen mit Kindern" {
			t.Error("an unrelated course was proposed")
		}
	}
	if len(cov.Proposals) < 10 {
		t.Errorf("%d offers with proposals", len(cov.Proposals))
	}
	confirmAll(t, db, fw)
	list, _ = List(ctx, db, false)
	rej, _ := Rejected(ctx, db)
	cov = Analyse(fw, list, rej, t0)
	for _, p := range cov.Proposals {
		if p.Name == "KI im Rathaus: Anwendungsfälle finden" {
			t.Errorf("rejected or confirmed area proposed again: %+v", p.Proposals)
		}
	}
	// Gaps: A2 has only Grundlage (paper list); Fachverantwortliche and IT
	// need A2 up to Fortgeschritten.
	gaps := map[string]string{}
	for _, g := range cov.Gaps {
		gaps[g.Area+"-"+string(g.Level)] = strings.Join(rolesStr(g.Roles), ",")
	}
	if gaps["A2-mittel"] != "fachverantwortlich,fuehrungskraft,it" || gaps["A2-fortgeschritten"] != "fachverantwortlich,it" {
		t.Errorf("A2 gaps %v", gaps)
	}
	if _, ok := gaps["A1-grundlage"]; ok {
		t.Error("A1 Grundlage is covered by the introduction course")
	}
	if _, ok := gaps["A4-hochspezialisiert"]; ok {
		t.Error("no role needs hochspezialisiert: not a gap")
	}
	// Per role: Anwender needs A1..A8 up to their targets.
	for _, r := range cov.Roles {
		if r.Role == quiz.Anwender {
			miss := map[string][]quiz.Level{}
			for _, a := range r.Areas {
				miss[a.Area] = a.Missing
			}
			if len(miss["A4"]) != 0 || len(miss["A3"]) != 1 || miss["A3"][0] != quiz.Grundlage || len(miss["A7"]) != 1 {
				t.Errorf("anwender missing %v", miss)
			}
		}
	}
	var buf bytes.Buffer
	cov.WriteText(&buf, "de", fw)
	golden.Check(t, "coverage.de.golden", buf.Bytes())
	buf.Reset()
	cov.WriteText(&buf, "en", fw)
	golden.Check(t, "coverage.en.golden", buf.Bytes())
	js, _ := json.Marshal(cov)
	if err := ValidateJSON(CoverageSchema, js); err != nil {
		t.Errorf("coverage JSON: %v", err)
	}
	buf.Reset()
	if err := cov.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "coverage.golden.csv", buf.Bytes())
}

func countCovered(c *Coverage) int {
	n := 0
	for _, a := range c.Areas {
		for _, l := range a.Levels {
			if len(l.Offers) > 0 {
				n++
			}
		}
	}
	return n
}

func rolesStr(rs []quiz.Role) []string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return s
}

// A re-import updates changed offers, marks vanished ones removed and
// keeps the earlier versions in the history; a trainer's mapping stays.
func TestReimportKeepsHistory(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	fw := loadContent(t).Framework
	dir := t.TempDir()
	data, _ := os.ReadFile("testdata/akademie.json")
	feed := filepath.Join(dir, "akademie.json")
	os.WriteFile(feed, data, 0o644)
	if _, err := Import(ctx, db, fw, feed, ImportOptions{Now: t0}); err != nil {
		t.Fatal(err)
	}
	id := byName(t, db, "Informationen bewerten: Fakten, Quellen, KI-Fehler").ID
	if err := Assign(ctx, db, fw, id, "A4", quiz.Grundlage, t0); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	json.Unmarshal(data, &m)
	items := m["data"].([]any)
	items[2].(map[string]any)["attributes"].(map[string]any)["name"] = "Informationen und KI-Ausgaben bewerten"
	m["data"] = items[:3] // s-104 is gone
	changed, _ := json.Marshal(m)
	os.WriteFile(feed, changed, 0o644)
	res, err := Import(ctx, db, fw, feed, ImportOptions{Now: t0.Add(24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != 0 || res.Updated != 1 || res.Unchanged != 2 || res.Removed != 1 {
		t.Errorf("result %+v", res)
	}
	o, _ := Get(ctx, db, id)
	if o.Name != "Informationen und KI-Ausgaben bewerten" || o.Mapping("A4") == nil || !o.FirstImported.Equal(t0) {
		t.Errorf("offer %+v", o)
	}
	h, _ := History(ctx, db, id)
	if len(h) != 2 || h[0].Action != "added" || h[1].Action != "updated" || h[1].Before == nil || h[1].Before.Name != "Informationen bewerten: Fakten, Quellen, KI-Fehler" {
		t.Errorf("history %+v", h)
	}
	gone := byName(t, db, "Digitale Kompetenzlücken im Team erkennen")
	if gone.Removed == nil {
		t.Error("vanished offer not marked removed")
	}
	if l, _ := List(ctx, db, false); len(l) != 3 {
		t.Errorf("%d current offers", len(l))
	}
}

// A bad source stores nothing and leaves what was stored before.
func TestBadSourceStoresNothing(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	fw := loadContent(t).Framework
	if _, err := Import(ctx, db, fw, "testdata/akademie.json", ImportOptions{Now: t0}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	data, _ := os.ReadFile("testdata/mooc-verbund.json")
	bad := filepath.Join(dir, "kaputt.json")
	os.WriteFile(bad, bytes.Replace(data, []byte(`"name": "Max Mustermann"`), []byte(`"nom": "Max"`), 1), 0o644)
	_, err := Import(ctx, db, fw, bad, ImportOptions{Now: t0})
	if !errors.Is(err, moochub.ErrInvalid) || !strings.Contains(err.Error(), "$.data[0].attributes.creator[0].name") {
		t.Fatalf("got %v", err)
	}
	csvBad := filepath.Join(dir, "papier.csv")
	os.WriteFile(csvBad, []byte("provider,title,url,duration,format,cost,language\nA,Kurs,https://a.example,3 h,online,0,de\nB,,ftp://x,drei Stunden,webinar,0,deutsch!\n"), 0o644)
	_, err = Import(ctx, db, fw, csvBad, ImportOptions{Now: t0})
	var ce CSVErrors
	if !errors.As(err, &ce) || len(ce) != 5 || ce[0].Line != 3 || ce[0].Field != "title" {
		t.Fatalf("CSV: %v", err)
	}
	if !strings.Contains(Localized(err, "de").Error(), "papier.csv:3:12: duration: Dauer drei Stunden nicht lesbar") {
		t.Errorf("CSV message: %v", Localized(err, "de"))
	}
	l, _ := List(ctx, db, true)
	if len(l) != 4 {
		t.Errorf("%d offers stored, want the 4 of the good feed", len(l))
	}
}

// A URL is read only with permission; pages are followed on a loopback
// server; a loop stores nothing.
func TestImportURL(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	fw := loadContent(t).Framework
	loop := false
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		file := "testdata/campus-page1.json"
		if r.URL.Query().Get("page") == "2" {
			file = "testdata/campus-page2.json"
		}
		data, _ := os.ReadFile(file)
		data = bytes.ReplaceAll(data, []byte("https://campus.example.org/api/v3/courses"), []byte(srv.URL+"/courses"))
		if loop && file == "testdata/campus-page2.json" {
			data = bytes.Replace(data, []byte(`"prev"`), []byte(`"next": "`+srv.URL+`/courses?page=1", "prev"`), 1)
		}
		w.Write(data)
	}))
	defer srv.Close()
	u := srv.URL + "/courses?page=1"
	if _, err := Import(ctx, db, fw, u, ImportOptions{}); err == nil || !strings.Contains(Localized(err, "de").Error(), "ausdrückliche Erlaubnis") {
		t.Fatalf("URL without permission: %v", err)
	}
	loop = true
	if _, err := Import(ctx, db, fw, u, ImportOptions{AllowNetwork: true}); !errors.Is(err, moochub.ErrPageLoop) {
		t.Fatalf("loop: %v", err)
	}
	if l, _ := List(ctx, db, true); len(l) != 0 {
		t.Fatalf("a looping feed stored %d offers", len(l))
	}
	loop = false
	res, err := Import(ctx, db, fw, u, ImportOptions{AllowNetwork: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Pages != 2 || res.Added != 5 {
		t.Errorf("result %+v", res)
	}
}

// The catalogue with chosen offers: learning paths name real courses, a
// quiz result lists them, and the MOOChub export validates.
func TestCatalogueWithOffers(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	c := loadContent(t)
	importAll(t, db, c.Framework)
	intro := byName(t, db, "Einführung in die Künstliche Intelligenz")
	halluz := byName(t, db, "Sprachmodelle kritisch nutzen: Halluzinationen erkennen")
	for _, a := range []struct {
		module string
		offer  int64
	}{{"m01-ki-verstehen", intro.ID}, {"m06-halluzinationen-pruefen", halluz.ID}, {"m06-halluzinationen-pruefen", byName(t, db, "Informationen bewerten: Fakten, Quellen, KI-Fehler").ID}, {"m02-werkzeuge-der-verwaltung", OwnOffer}} {
		if err := AssignModule(ctx, db, c.Catalogue, a.module, a.offer, t0); err != nil {
			t.Fatal(err)
		}
	}
	if err := AssignModule(ctx, db, c.Catalogue, "m99", intro.ID, t0); err == nil {
		t.Error("unknown module accepted")
	}
	if err := Apply(ctx, db, c.Catalogue); err != nil {
		t.Fatal(err)
	}
	m06 := c.Catalogue.Module("m06-halluzinationen-pruefen")
	if len(m06.Offers) != 2 || m06.Offers[0].URL != "https://campus.example.org/courses/llm-pruefen" || m06.Offers[1].Provider != "Verwaltungsakademie Musterland (fiktiv)" {
		t.Errorf("m06 offers %+v", m06.Offers)
	}
	if o := c.Catalogue.Module("m02-werkzeuge-der-verwaltung").Offers; len(o) != 1 || !o[0].Own {
		t.Errorf("m02 %+v", o)
	}
	// A participant weak in A4 gets m06 with its two courses.
	ev, err := learning.Evaluate(c.Framework, c.Catalogue, quiz.Anwender, []learning.Outcome{{Type: quiz.Single, Area: "A4", Level: quiz.Grundlage, Fraction: 0}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range ev.Recommendations {
		for _, o := range r.Module.Offers {
			got = append(got, r.Module.ID+"→"+o.URL)
		}
	}
	if strings.Join(got, " ") != "m01-ki-verstehen→https://campus.example.org/courses/ki-einfuehrung m06-halluzinationen-pruefen→https://campus.example.org/courses/llm-pruefen m06-halluzinationen-pruefen→https://akademie.example.net/seminare/s-103" {
		t.Errorf("recommended courses %v", got)
	}
	paths := Paths(c)
	js, _ := json.MarshalIndent(paths, "", "  ")
	if err := ValidateJSON(PathsSchema, js); err != nil {
		t.Errorf("paths JSON: %v", err)
	}
	var buf bytes.Buffer
	paths.WriteCSV(&buf)
	golden.Check(t, "paths.golden.csv", buf.Bytes())
	doc, err := CatalogueMOOChub(c, ExportOptions{Publisher: "Stadt Beispielstadt", BaseURL: "https://www.beispielstadt.example/ki-schulungen"})
	if err != nil {
		t.Fatal(err)
	}
	data, err := moochub.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	back, err := moochub.Parse("export", data)
	if err != nil {
		t.Fatalf("export does not validate against docs/schema/moochub.schema.json: %v", err)
	}
	if len(back.Data) != len(c.Catalogue.Modules) {
		t.Errorf("%d courses", len(back.Data))
	}
	a := back.Data[0].Attributes
	if a.URL != "https://www.beispielstadt.example/ki-schulungen#m01-ki-verstehen" || a.License[0].Identifier != "CC-BY-4.0" || a.Duration != "PT1H30M" {
		t.Errorf("m01 %+v", a)
	}
	var dig, own int
	for _, s := range a.Teaches {
		if s.IsDigComp() {
			dig++
		} else if s.EducationalFramework == "ki-kompetenz-kommunen" {
			own++
		}
	}
	if own != 2 || dig == 0 {
		t.Errorf("teaches %+v", a.Teaches)
	}
	// Read back as offers: the module's own areas map from the feed.
	o := FromMOOChub("export", back.Data[0], c.Framework)
	if o.Mapping("A1") == nil || o.Mapping("A1").Level != quiz.Grundlage || !o.Mapping("A1").LevelStated {
		t.Errorf("re-read mapping %+v", o.Areas)
	}
	if _, err := CatalogueMOOChub(c, ExportOptions{Publisher: "Stadt"}); err == nil {
		t.Error("placeholder links exported without a base URL")
	}
}

// trainerDecisions reads testdata/trainer-entscheidungen.csv: per offer
// of the test feeds the area and level a trainer confirms (name;area;level).
// The command line and GUI tests read the same file.
func trainerDecisions(t *testing.T, dir string) [][]string {
	t.Helper()
	data, err := os.ReadFile(dir + "trainer-entscheidungen.csv")
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n")[1:] {
		out = append(out, strings.Split(l, ";"))
	}
	return out
}
