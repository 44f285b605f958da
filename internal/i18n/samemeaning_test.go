package i18n

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/assets"
)

// keepApart lists literal ids that read like another id but must stay
// apart, each with the reason.
var keepApart = map[string]string{
	"cloud.error.unknown_ca_with_file": "its hint (the id + \".hint\", cloud/errors.go) names the chosen CA file; cloud.error.unknown_ca's does not",
	"overview.db_ok":                   "the database's state on the Übersicht, not a workplace's level: level.ready's word may change with the verdicts",
}

// pending: literal ids used in app/cmd_*.go, which other work edits at the
// same time; they are merged last. The list only shrinks.
var pending = map[string]bool{
	"benchcli.incomplete": true, "cloud.preset": true, "offerscli.provider": true,
	"quiz.provider": true, "policy.doc.col.quizzes": true, "policy.doc.col.role": true, "offerscli.areas_none": true,
	"offerscli.imported": true, "offerscli.link": true, "quizcli.link": true, "hotspot.trial.no_speed": true,
	// new in the usage-error branches, to be merged after them
	"cli.probe.not_measured": true, "cli.usage.training.export.format": true,
}

// writtenOut returns the ids that some source file of the module (Go code
// outside tests, templates, scripts, bundles) writes out whole, in quotes.
// The others are computed: a family filled from data ("level."+verdict), a
// package's shorthand (report's t("complete") is "report.complete"), an id
// plus ".hint" or ".it", or Fyne's own words (de.fyne.json), which Fyne
// looks up itself. A computed id stays, even when it reads like another id:
// replacing it would break its family.
func writtenOut(t *testing.T, ids map[string]string) map[string]bool {
	t.Helper()
	quoted := regexp.MustCompile("[\"`]([A-Za-z][A-Za-z0-9_.]*)[\"`]")
	out := map[string]bool{}
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules" || p == filepath.Join(root, "assets", "lang")) {
				return filepath.SkipDir
			}
			return nil
		}
		switch filepath.Ext(name) {
		case ".go", ".html", ".mjs", ".js", ".yaml", ".yml", ".sh":
		default:
			return nil
		}
		if strings.HasSuffix(name, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range quoted.FindAllSubmatch(b, -1) {
			if _, ok := ids[string(m[1])]; ok {
				out[string(m[1])] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 100 {
		t.Fatalf("found only %d ids written out in the source: is the module root %s?", len(out), root)
	}
	return out
}

// TestNoMeaningWrittenTwice: two ids with the same German text and the same
// English text are one meaning written twice; a translator would have to
// change both, and they drift apart (see docs/ARCHITECTURE.md, "Texts").
// The same German text with different English texts is allowed: a German
// word with two English senses ("Fehler": "Error" and "errors").
func TestNoMeaningWrittenTwice(t *testing.T) {
	de, deFile := readWithFiles(t, "de")
	en, enFile := readWithFiles(t, "en")
	literal := writtenOut(t, de)
	for id := range keepApart {
		if !literal[id] {
			t.Errorf("keepApart lists %s, which no source file writes out any more: remove it", id)
		}
		delete(literal, id)
	}
	for id := range pending {
		delete(literal, id)
	}
	for _, p := range sameMeaning(de, en, deFile, enFile, literal) {
		t.Error(p)
	}
}

// TestSameMeaningFindsAPair: the check above on a made-up catalogue.
func TestSameMeaningFindsAPair(t *testing.T) {
	de := map[string]string{"a.save": "Speichern", "b.save": "Speichern", "level.x": "bereit", "c.ready": "bereit",
		"load.errors": "Fehler", "d.error": "Fehler"}
	en := map[string]string{"a.save": "Save", "b.save": "Save", "level.x": "ready", "c.ready": "ready",
		"load.errors": "errors", "d.error": "Error"}
	files := map[string]string{}
	for id := range de {
		files[id] = "de.json"
	}
	literal := map[string]bool{"a.save": true, "b.save": true, "c.ready": true, "load.errors": true, "d.error": true}
	got := sameMeaning(de, en, files, files, literal)
	if len(got) != 1 || !strings.Contains(got[0], `"a.save"`) || !strings.Contains(got[0], `"b.save"`) || !strings.Contains(got[0], "assets/lang/de.json") {
		t.Errorf("got %q, want one problem naming a.save and b.save and their file", got)
	}
}

// sameMeaning lists the pairs of literal ids with the same German and
// English text.
func sameMeaning(de, en, deFile, enFile map[string]string, literal map[string]bool) []string {
	byText := map[[2]string][]string{}
	for id, text := range de {
		byText[[2]string{text, en[id]}] = append(byText[[2]string{text, en[id]}], id)
	}
	var problems []string
	for texts, ids := range byText {
		if len(ids) < 2 {
			continue
		}
		sort.Strings(ids)
		var written []string
		for _, id := range ids {
			if literal[id] {
				written = append(written, id)
			}
		}
		for _, other := range written[min(1, len(written)):] {
			problems = append(problems, fmt.Sprintf("%q (assets/lang/%s, %s) and %q (assets/lang/%s, %s) both say %q / %q: keep the better-named id, "+
				"use it wherever the other is used (Go code, templates, bundles, tests) and delete the other from both languages; "+
				"if they mean different things, make the English (or German) say how they differ",
				written[0], deFile[written[0]], enFile[written[0]], other, deFile[other], enFile[other], texts[0], texts[1]))
		}
	}
	sort.Strings(problems)
	return problems
}

// readWithFiles reads one language's catalogue and the file each id is in.
func readWithFiles(t *testing.T, code string) (texts, files map[string]string) {
	t.Helper()
	texts, files = map[string]string{}, map[string]string{}
	entries, err := fs.ReadDir(assets.Lang, "lang")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if c, _, _ := strings.Cut(strings.TrimSuffix(e.Name(), ".json"), "."); c != code {
			continue
		}
		b, err := fs.ReadFile(assets.Lang, path.Join("lang", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		for id, text := range m {
			texts[id], files[id] = text, e.Name()
		}
	}
	return texts, files
}
