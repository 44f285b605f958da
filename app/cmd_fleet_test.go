package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/collect"
	"github.com/ki-reise/kicheck/internal/store"
)

// TestFleetFollowsLang reads an empty central database: the text output and
// the dashboard follow --lang (German without it), the JSON does not.
func TestFleetFollowsLang(t *testing.T) {
	db := filepath.Join(t.TempDir(), "central.db")
	s, err := store.Open(context.Background(), db, collect.Schema)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	cases := []struct {
		args       []string
		lang, text string
		page       []string
	}{
		{nil, "de", "0 Arbeitsplätze, 0 Berichte; neuester Bericht je Arbeitsplatz: 0 bereit",
			[]string{"Übersicht der Arbeitsplätze", ">nicht gemessen<", ">keine eigene<", "Die Berichte enthalten noch keine Urteile je Anwendungsfall."}},
		{[]string{"--lang", "de"}, "de", "0 Arbeitsplätze, 0 Berichte", []string{"Gesamturteil"}},
		{[]string{"--lang", "en"}, "en", "0 devices, 0 reports; newest report per device: 0 ready",
			[]string{"Workplace overview", ">not measured<", ">none of its own<", "The reports contain no verdicts per use case yet."}},
	}
	for _, c := range cases {
		html := filepath.Join(t.TempDir(), "fleet.html")
		args := append(append([]string{"--data-dir", t.TempDir()}, c.args...), "fleet", "--db", db, "--html", html)
		stdout, stderr, code := kicheck(t, args...)
		if code != 0 || !strings.Contains(stdout, c.text) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", c.args, code, stdout, stderr)
		}
		page, err := os.ReadFile(html)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range append(c.page, `<html lang="`+c.lang+`">`) {
			if !strings.Contains(string(page), want) {
				t.Errorf("%v: page lacks %q", c.args, want)
			}
		}
		if c.lang == "en" && strings.ContainsAny(string(page), "äöüÄÖÜß") {
			t.Errorf("English page has an umlaut")
		}

		jsonOut, _, _ := kicheck(t, append(args, "--json")...)
		if !strings.Contains(jsonOut, `"key": "not_measured",
      "label": "nicht gemessen"`) {
			t.Errorf("%v: JSON changed with the language: %s", c.args, jsonOut)
		}
	}
}
