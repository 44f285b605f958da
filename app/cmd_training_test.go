package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/moochub"
	"github.com/ki-reise/kicheck/internal/offers"
)

const offersData = "../internal/offers/testdata/"

func kicheckIn(t *testing.T, dir, lang string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(t.Context(), append([]string{"--data-dir", dir, "--lang", lang}, args...), &out, &errb)
	return out.String(), errb.String(), code
}

func offerID(t *testing.T, dir, name string) string {
	t.Helper()
	out, _, _ := kicheckIn(t, dir, "de", "training", "offers", "list", "--json")
	var list []struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	for _, o := range list {
		if o.Name == name {
			return itoa64(o.ID)
		}
	}
	t.Fatalf("no offer %q", name)
	return ""
}

func itoa64(n int64) string { b, _ := json.Marshal(n); return string(b) }

// The trainer's flow on the command line: import three providers' feeds
// and a paper list, confirm proposals, read coverage and gaps, choose
// courses for modules, see them in a participant's result, export.
func TestTrainingOffersCLI(t *testing.T) {
	dir := t.TempDir()
	args := []string{"training", "offers", "import"}
	for _, f := range []string{"campus-page1.json", "campus-page2.json", "akademie.json", "mooc-verbund.json", "papier.csv"} {
		args = append(args, offersData+f)
	}
	out, errOut, code := kicheckIn(t, dir, "de", append(args, "--dry-run")...)
	if code != 0 || strings.Count(out, "(nichts gespeichert)") != 5 || !strings.Contains(out, "akademie.json: gültig, 4 Angebote auf 1 Seite(n)") {
		t.Fatalf("dry run: %d %s %s", code, out, errOut)
	}
	if out, _, _ := kicheckIn(t, dir, "de", "training", "offers", "list"); !strings.Contains(out, "Noch keine Lernangebote") {
		t.Errorf("dry run stored: %s", out)
	}
	out, errOut, code = kicheckIn(t, dir, "de", args...)
	if code != 0 || strings.Count(out, " neu,") != 5 {
		t.Fatalf("import: %d %s %s", code, out, errOut)
	}
	// Bad input among good: the good ones are stored, the command fails.
	bad := filepath.Join(t.TempDir(), "v2.json")
	os.WriteFile(bad, []byte(`{"links":{},"data":[{"id":"1","type":"courses","attributes":{"name":"x","moocProvider":{}}}]}`), 0o644)
	out, errOut, code = kicheckIn(t, dir, "de", "training", "offers", "import", bad, offersData+"akademie.json")
	if code != 1 || !strings.Contains(errOut, "v2.json: $.data[0]: Katalog einer anderen MOOChub-Version") || !strings.Contains(errOut, "hint: den Katalog in Version 3") ||
		!strings.Contains(out, "0 neu, 0 geändert, 4 unverändert") {
		t.Errorf("bad + good: %d\n%s\n%s", code, out, errOut)
	}
	_, errOut, code = kicheckIn(t, dir, "en", "training", "offers", "import", "https://example.org/moochub")
	if code != 1 || !strings.Contains(errOut, "needs your explicit permission") || !strings.Contains(errOut, "--allow-network") {
		t.Errorf("URL without permission: %d %s", code, errOut)
	}
	decisions, err := os.ReadFile(offersData + "trainer-entscheidungen.csv")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(strings.TrimSpace(string(decisions)), "\n")[1:] {
		d := strings.Split(l, ";")
		id := offerID(t, dir, d[0])
		if out, errOut, code := kicheckIn(t, dir, "de", "training", "offers", "assign", id, "--area", d[1], "--level", d[2]); code != 0 || !strings.Contains(out, "bestätigt") {
			t.Fatalf("assign %v: %s %s", d, out, errOut)
		}
	}
	out, _, code = kicheckIn(t, dir, "de", "training", "offers", "coverage")
	if code != 0 || !strings.Contains(out, "A2 KI-Systeme der eigenen Verwaltung") || !strings.Contains(out, "LÜCKE – kein Angebot; gebraucht von: Fachverantwortliche:r, Führungskraft, IT") {
		t.Errorf("coverage: %s", out)
	}
	out, _, _ = kicheckIn(t, dir, "en", "training", "offers", "coverage", "--role", "anwender", "--json")
	if err := offers.ValidateJSON(offers.CoverageSchema, []byte(out)); err != nil {
		t.Errorf("coverage JSON: %v", err)
	}
	var cov offers.Coverage
	json.Unmarshal([]byte(out), &cov)
	if len(cov.Roles) != 1 || cov.Roles[0].Gaps != 5 {
		t.Errorf("anwender gaps: %+v", cov.Roles)
	}
	intro := offerID(t, dir, "Einführung in die Künstliche Intelligenz")
	halluz := offerID(t, dir, "Sprachmodelle kritisch nutzen: Halluzinationen erkennen")
	for _, a := range [][]string{{"m01-ki-verstehen", intro}, {"m06-halluzinationen-pruefen", halluz}} {
		if _, errOut, code := kicheckIn(t, dir, "de", "training", "offers", "assign", "--module", a[0], a[1]); code != 0 {
			t.Fatal(errOut)
		}
	}
	if _, errOut, code := kicheckIn(t, dir, "de", "training", "offers", "assign", "--module", "m02-werkzeuge-der-verwaltung", "--own"); code != 0 {
		t.Fatal(errOut)
	}
	out, _, _ = kicheckIn(t, dir, "de", "training", "offers", "compare", intro, halluz)
	if !strings.Contains(out, "Kosten") || !strings.Contains(out, "https://campus.example.org/courses/llm-pruefen") {
		t.Errorf("compare: %s", out)
	}
	out, _, _ = kicheckIn(t, dir, "de", "training", "offers", "show", intro)
	if !strings.Contains(out, "• Begriffe") || strings.Contains(out, "<") || !strings.Contains(out, "Gewählt für Module: m01-ki-verstehen") {
		t.Errorf("show: %s", out)
	}
	out, _, _ = kicheckIn(t, dir, "de", "training", "paths", "--role", "anwender")
	if !strings.Contains(out, "→ Beispiel-Campus (fiktiv): Einführung in die Künstliche Intelligenz (6 h, kostenlos, de)\n       https://campus.example.org/courses/ki-einfuehrung") ||
		!strings.Contains(out, "→ eigene Schulung") {
		t.Errorf("paths: %s", out)
	}

	// A participant below Grundlage in A1 and A4 gets the chosen courses.
	if _, errOut, code := kicheckIn(t, dir, "de", "quiz", "session", "start", "--quiz", "ki-grundlagen", "--id", "k1", "--seed", "7", "--draw", "A1/grundlage=2,A4/grundlage=1"); code != 0 {
		t.Fatal(errOut)
	}
	if _, errOut, code := kicheckSession(t, dir, "9\n9\n9\n", "quiz", "session", "answer", "k1", "--pseudonym", "Eule", "--role", "anwender"); code != 0 {
		t.Fatal(errOut)
	}
	out, errOut, _ = kicheckIn(t, dir, "de", "quiz", "result", "Eule")
	if !strings.Contains(out, "→ Beispiel-Campus (fiktiv): Einführung in die Künstliche Intelligenz") || !strings.Contains(out, "https://campus.example.org/courses/llm-pruefen") {
		t.Errorf("result: %s %s", out, errOut)
	}

	// Exports.
	exp := t.TempDir()
	for _, f := range []string{"moochub", "paths-json", "paths-csv", "coverage-json", "coverage-csv"} {
		if _, errOut, code := kicheckIn(t, dir, "de", "training", "export", "--format", f, "--out", filepath.Join(exp, f), "--base-url", "https://www.beispielstadt.example/ki"); code != 0 {
			t.Fatalf("export %s: %s", f, errOut)
		}
	}
	data, _ := os.ReadFile(filepath.Join(exp, "moochub"))
	doc, err := moochub.Parse("export", data)
	if err != nil {
		t.Fatalf("MOOChub export does not validate: %v", err)
	}
	if doc.Data[0].Attributes.Publisher.Name == "" || doc.Data[0].Attributes.License[0].Identifier != "CC-BY-4.0" {
		t.Errorf("export %+v", doc.Data[0].Attributes)
	}
	data, _ = os.ReadFile(filepath.Join(exp, "paths-json"))
	if err := offers.ValidateJSON(offers.PathsSchema, data); err != nil || !strings.Contains(string(data), "https://campus.example.org/courses/ki-einfuehrung") {
		t.Errorf("paths JSON: %v", err)
	}
	data, _ = os.ReadFile(filepath.Join(exp, "coverage-json"))
	if err := offers.ValidateJSON(offers.CoverageSchema, data); err != nil {
		t.Errorf("coverage JSON: %v", err)
	}
	_, errOut, code = kicheckIn(t, dir, "de", "training", "export", "--format", "moochub", "--out", filepath.Join(exp, "x"))
	if code != 1 || !strings.Contains(errOut, "--base-url fehlt") {
		t.Errorf("export without base URL: %d %s", code, errOut)
	}
}

// --allow-network reads a catalogue with its pages from a loopback server.
func TestTrainingOffersImportURL(t *testing.T) {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		file := offersData + "campus-page1.json"
		if r.URL.Query().Get("page") == "2" {
			file = offersData + "campus-page2.json"
		}
		data, _ := os.ReadFile(file)
		w.Write(bytes.ReplaceAll(data, []byte("https://campus.example.org/api/v3/courses"), []byte(srv.URL+"/c")))
	}))
	defer srv.Close()
	dir := t.TempDir()
	out, errOut, code := kicheckIn(t, dir, "en", "training", "offers", "import", "--allow-network", srv.URL+"/c?page=1", "--json")
	var res []offers.ImportResult
	json.Unmarshal([]byte(out), &res)
	if code != 0 || len(res) != 1 || res[0].Pages != 2 || res[0].Added != 5 || !strings.Contains(errOut, "page 2: ") {
		t.Errorf("%d %s %s", code, out, errOut)
	}
	_, errOut, code = kicheckIn(t, dir, "en", "training", "offers", "import", "--allow-network", "--max-pages", "1", srv.URL+"/c?page=1")
	if code != 1 || !strings.Contains(errOut, "more than 1 pages") {
		t.Errorf("page limit: %d %s", code, errOut)
	}
}
