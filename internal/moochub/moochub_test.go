package moochub

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

const feeds = "../offers/testdata/"

func TestParseTestFeeds(t *testing.T) {
	want := map[string]int{"campus-page1.json": 3, "campus-page2.json": 2, "akademie.json": 4, "mooc-verbund.json": 3}
	for name, n := range want {
		doc, err := ReadFile(feeds+name, 0)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(doc.Data) != n {
			t.Errorf("%s: %d courses, want %d", name, len(doc.Data), n)
		}
	}
	doc, _ := ReadFile(feeds+"campus-page1.json", 0)
	if doc.Links.Next != "https://campus.example.org/api/v3/courses?page=2" || doc.Links.Prev != "" {
		t.Errorf("links %+v", doc.Links)
	}
	a := doc.Data[0].Attributes
	if a.Publisher.Name != "Beispiel-Campus (fiktiv)" || a.Creator[1].Type != "Person" || a.License[0].Identifier != "CC-BY-SA-4.0" {
		t.Errorf("attributes %+v", a)
	}
	doc, _ = ReadFile(feeds+"akademie.json", 0)
	s := doc.Data[0].Attributes.Teaches[1]
	if !s.IsDigComp() || s.ShortCode != "2.3" || s.NameIn("de") != "Gesellschaftliche Teilhabe mit digitalen Technologien" {
		t.Errorf("teaches %+v", s)
	}
	if doc.Data[1].Attributes.License[0].URL != nil {
		t.Error("null licence URL read as a value")
	}
}

// mutate loads a test feed, applies f to its generic form and returns the
// JSON.
func mutate(t *testing.T, name string, f func(m map[string]any)) []byte {
	t.Helper()
	data, err := os.ReadFile(feeds + name)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	json.Unmarshal(data, &m)
	f(m)
	out, _ := json.MarshalIndent(m, "", "  ")
	return out
}

func item(m map[string]any, i int) map[string]any {
	return m["data"].([]any)[i].(map[string]any)
}
func attrs(m map[string]any, i int) map[string]any {
	return item(m, i)["attributes"].(map[string]any)
}

func paths(err error) []string {
	var es Errors
	errors.As(err, &es)
	var out []string
	for _, e := range es {
		out = append(out, e.Path)
	}
	return out
}

func TestBadInput(t *testing.T) {
	cases := []struct {
		name  string
		data  []byte
		kind  error
		paths []string
		text  string
	}{
		{"not json", []byte("{\n  \"links\": {,\n}"), ErrSyntax, nil, "test:2:13: kein gültiges JSON"},
		{"array", []byte(`[1,2]`), ErrNotMOOChub, []string{"$"}, "kein JSON-Objekt"},
		{"other json", []byte(`{"courses": [], "total": 3}`), ErrNotMOOChub, []string{"$"}, "gefunden: "},
		{"data object", []byte(`{"links": {}, "data": {"id": "1"}}`), ErrNotMOOChub, []string{"$.data"}, "keine Liste"},
		{"version 2", mutate(t, "mooc-verbund.json", func(m map[string]any) {
			item(m, 1)["type"] = "courses"
			attrs(m, 1)["moocProvider"] = map[string]any{"name": "x"}
		}), ErrVersion, []string{"$.data[1]"}, "anderen MOOChub-Version"},
		{"missing fields", mutate(t, "akademie.json", func(m map[string]any) {
			delete(attrs(m, 2), "publisher")
			delete(attrs(m, 0), "license")
			delete(attrs(m, 3)["creator"].([]any)[0].(map[string]any), "name")
			attrs(m, 1)["learningResourceType"].(map[string]any)["identifier"] = "https://w3id.org/kim/hcrt/video"
			attrs(m, 1)["workload"] = map[string]any{"timeValue": 2, "timeUnit": "h/year"}
		}), ErrInvalid, []string{"$.data[0].attributes.license", "$.data[1].attributes.learningResourceType.identifier",
			"$.data[1].attributes.workload.timeUnit", "$.data[2].attributes.publisher", "$.data[3].attributes.creator[0].name"}, "Pflichtfeld \"publisher\" fehlt"},
		{"no links", mutate(t, "akademie.json", func(m map[string]any) { delete(m, "links") }), ErrInvalid, []string{"$"}, "\"links\""},
		{"duplicate id", mutate(t, "akademie.json", func(m map[string]any) { item(m, 2)["id"] = "s-101" }), ErrInvalid, []string{"$.data[2].id"}, "doppelt"},
		{"bad duration", mutate(t, "akademie.json", func(m map[string]any) { attrs(m, 0)["duration"] = "3 Stunden" }), ErrInvalid, []string{"$.data[0].attributes.duration"}, ""},
	}
	for _, c := range cases {
		_, err := Parse("test", c.data)
		if !errors.Is(err, c.kind) {
			t.Errorf("%s: got %v, want kind %v", c.name, err, c.kind)
			continue
		}
		got := paths(err)
		sort.Strings(got)
		if c.paths != nil && strings.Join(got, " ") != strings.Join(c.paths, " ") {
			t.Errorf("%s: paths %v, want %v\n%v", c.name, got, c.paths, err)
		}
		if !strings.Contains(Localized(err, "de").Error(), c.text) {
			t.Errorf("%s: message %q lacks %q", c.name, Localized(err, "de").Error(), c.text)
		}
		var h interface{ Hint() string }
		if !errors.As(err, &h) || h.Hint() == "" {
			t.Errorf("%s: no hint", c.name)
		}
	}
}

// countingReader produces n bytes of a JSON array without holding them.
type countingReader struct {
	n, read int64
}

func (r *countingReader) Read(p []byte) (int, error) {
	if r.read >= r.n {
		return 0, io.EOF
	}
	k := int64(len(p))
	if k > r.n-r.read {
		k = r.n - r.read
	}
	for i := range p[:k] {
		p[i] = ' '
	}
	if r.read == 0 && k > 0 {
		p[0] = '['
	}
	r.read += k
	return int(k), nil
}

// A 500 MB file is refused before it is read (its size is known), and a
// 500 MB stream (an HTTP answer without length) after the cap: the bytes
// read stay bounded by the cap.
func TestSizeCap(t *testing.T) {
	p := filepath.Join(t.TempDir(), "gross.json")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(500 << 20); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	f.Close()
	_, err = ReadFile(p, 0)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(Localized(err, "de").Error(), "größer als 32 MiB") {
		t.Fatalf("500 MB file: %v", err)
	}
	r := &countingReader{n: 500 << 20}
	_, err = ReadLimited("stream", r, 1<<20)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("stream: %v", err)
	}
	if r.read > 1<<20+64<<10 {
		t.Errorf("read %d bytes of a 500 MB stream with a 1 MiB cap", r.read)
	}
}

// feedServer serves the campus pages on a loopback port with their links
// rewritten to the server's address; pages maps a path to its next link.
func feedServer(t *testing.T, next map[string]string) *httptest.Server {
	t.Helper()
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page := r.URL.Query().Get("page")
		if page == "" {
			page = "1"
		}
		file := feeds + "campus-page1.json"
		if page != "1" {
			file = feeds + "campus-page2.json"
		}
		data, _ := os.ReadFile(file)
		data = bytes.ReplaceAll(data, []byte("https://campus.example.org/api/v3/courses"), []byte(srv.URL+"/courses"))
		var m map[string]any
		json.Unmarshal(data, &m)
		links := m["links"].(map[string]any)
		if n, ok := next[page]; ok {
			if n == "" {
				delete(links, "next")
			} else {
				links["next"] = srv.URL + "/courses?page=" + n
			}
		}
		if page == "500" {
			w.WriteHeader(500)
			return
		}
		w.Header().Set("Content-Type", "application/vnd.api+json")
		json.NewEncoder(w).Encode(m)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestFetchPages(t *testing.T) {
	srv := feedServer(t, nil)
	var seen []int
	pages, err := Fetch(context.Background(), srv.URL+"/courses?page=1", FetchOptions{Progress: func(n int, u string) { seen = append(seen, n) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 2 || len(pages[0].Doc.Data)+len(pages[1].Doc.Data) != 5 || fmt.Sprint(seen) != "[1 2]" {
		t.Fatalf("%d pages, progress %v", len(pages), seen)
	}
}

func TestFetchFailures(t *testing.T) {
	// Page 2 points back to page 1.
	srv := feedServer(t, map[string]string{"2": "1"})
	pages, err := Fetch(context.Background(), srv.URL+"/courses?page=1", FetchOptions{})
	if !errors.Is(err, ErrPageLoop) || len(pages) != 2 || !strings.Contains(err.Error(), "$.links.next") {
		t.Errorf("loop: %d pages, %v", len(pages), err)
	}
	// Every page has a next page: the page limit ends it.
	srv = feedServer(t, map[string]string{"1": "2", "2": "3", "3": "4", "4": "5", "5": "6"})
	pages, err = Fetch(context.Background(), srv.URL+"/courses?page=1", FetchOptions{MaxPages: 3})
	if !errors.Is(err, ErrTooManyPages) || len(pages) != 3 {
		t.Errorf("limit: %d pages, %v", len(pages), err)
	}
	// Pages that are each small but many: the total cap ends it.
	srv = feedServer(t, map[string]string{"1": "2", "2": "3", "3": "4", "4": "5", "5": "6", "6": "7"})
	pages, err = Fetch(context.Background(), srv.URL+"/courses?page=1", FetchOptions{MaxBytes: 8 << 10, MaxTotalBytes: 12 << 10})
	if !errors.Is(err, ErrTooLarge) || len(pages) < 2 || len(pages) > 4 {
		t.Errorf("total cap: %d pages, %v", len(pages), err)
	}
	// The server fails on page 2: page 1 is returned with the error.
	srv = feedServer(t, map[string]string{"1": "500"})
	pages, err = Fetch(context.Background(), srv.URL+"/courses?page=1", FetchOptions{})
	if !errors.Is(err, ErrNetwork) || len(pages) != 1 || !strings.Contains(Localized(err, "en").Error(), "500") {
		t.Errorf("500: %d pages, %v", len(pages), err)
	}
	// Nobody listens on the port.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, err = Fetch(context.Background(), "http://"+addr+"/courses", FetchOptions{})
	if !errors.Is(err, ErrNetwork) || Localized(err, "de").(Errors).Hint() == "" {
		t.Errorf("closed port: %v", err)
	}
	// A server that accepts but never answers: the client's timeout.
	hang := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-hang:
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	defer close(hang)
	_, err = Fetch(context.Background(), slow.URL, FetchOptions{Client: &http.Client{Timeout: 200 * time.Millisecond}})
	if !errors.Is(err, ErrNetwork) {
		t.Errorf("no answer: %v", err)
	}
	// Not http.
	if _, err := Fetch(context.Background(), "file:///etc/passwd", FetchOptions{}); !errors.Is(err, ErrNetwork) {
		t.Errorf("file URL: %v", err)
	}
}

func TestWriteValidates(t *testing.T) {
	u := "https://spdx.org/licenses/CC-BY-4.0.html"
	doc := &Document{Links: Links{Self: "https://example.org/k", First: "https://example.org/k", Last: "https://example.org/k"},
		Data: []Course{{ID: "m1", Type: CourseType, Attributes: Attributes{Name: "Kurs", LearningResourceType: CourseConcept,
			Publisher: Agent{Type: "Organization", Name: "Stadt"}, URL: "https://example.org/k#m1",
			License: []License{{Identifier: "CC-BY-4.0", URL: &u}}, Creator: []Agent{{Type: "Person", Name: "A"}},
			Duration: ISODuration(90), Workload: &Workload{TimeValue: 2, TimeUnit: "h/week"}}}}}
	data, err := Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse("out", data)
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	if back.Data[0].Attributes.Duration != "PT1H30M" || strings.Contains(string(data), `"next"`) {
		t.Errorf("%s", data)
	}
}

func TestPlainText(t *testing.T) {
	in := "<p>Was ist <b>KI</b>?</p><ul><li>Begriffe</li><li>A &amp; B</li></ul><script>alert('x')</script><img src=x onerror=alert(1)>\x1b[31mrot"
	want := "Was ist KI?\n\n• Begriffe\n• A & B\n[31mrot"
	if got := PlainText(in); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := Clean("a\x1b]0;title\x07b\nc\u202ed"); got != "a]0;titleb cd" {
		t.Errorf("Clean: %q", got)
	}
	for in, want := range map[string]int{"PT3H": 180, "PT1H30M": 90, "P4W": 40320, "P1D": 1440, "PT45M": 45} {
		if got, ok := DurationMinutes(in); !ok || got != want {
			t.Errorf("%s: %d %v", in, got, ok)
		}
	}
	if _, ok := DurationMinutes("P"); ok {
		t.Error("P accepted")
	}
}
