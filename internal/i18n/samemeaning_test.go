package i18n

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/assets"
)

// computed lists the ids whose name is built by concatenation, not written
// out where they are used: a family filled from data ("level."+verdict), a
// package's shorthand (report's t("complete") is "report.complete"), a
// suffix the caller adds to another id (id+".hint", reason+".it"), and
// Fyne's own words (de.fyne.json), which Fyne looks up by their English
// name. Such an id cannot be replaced by another one without breaking its
// family, so it may say the same as another id; a literal id may say the
// same as a computed one (borrowing a computed id from outside its package
// would tie the two together), but never the same as another literal id.
// Keep the list short and say where the name is built.
var computed = []struct{ prefix, suffix, except, where string }{
	{suffix: ".hint", where: "an error's hint: its message id + \".hint\" (cloud/errors.go, quizsession/store.go, i18n.Error)"},
	{suffix: ".it", where: "a fit reason's line for IT: reason id + \".it\" (fit/plain.go)"},
	{prefix: "aiact.q.", where: "aiact/questions.go: \"aiact.q.\"+question(+\".\"+answer, +\".help\")"},
	{prefix: "aiact.effect.", where: "aiact/aiact.go: \"aiact.effect.\"+effect"},
	{prefix: "aggregate.outcome.", where: "app/cmd_collect_aggregates.go, ui/collect_land.go: \"aggregate.outcome.\"+outcome"},
	{prefix: "bench.compare.", where: "bench/compare.go: t(id) = \"bench.compare.\"+id"},
	{prefix: "bench.text.", where: "bench/report.go: t(id) = \"bench.text.\"+id"},
	{prefix: "cloud.error.", where: "cloud/errors.go: the hint is the error's id + \".hint\", so two errors that read alike but need different hints keep two ids"},
	{prefix: "compare.text.", where: "compare/text.go: t(id) = \"compare.text.\"+id"},
	{prefix: "cost.text.", where: "cost/text.go: t(id) = \"cost.text.\"+id"},
	{prefix: "fit.calibration.source.", where: "fit/calibrate.go: \"fit.calibration.source.\"+source"},
	{prefix: "fit.placement.", where: "\"fit.placement.\"+placement (app/cmd_models.go, ui/fit_screen.go, webview/fit.go)"},
	{prefix: "fit.verdict.", where: "fit/verdict.go, hotspot: \"fit.verdict.\"+verdict"},
	{prefix: "hardware.", where: "hardware/describe.go: d.t(id) = \"hardware.\"+id, \"system.form_\"+form, …"},
	{prefix: "hotspot.", where: "hotspot: t(lang, id) = \"hotspot.\"+id, \"hotspot.class.\"+class, \"hotspot.quadrant.\"+q, …"},
	{prefix: "intake.outcome.", where: "collect/intake.go: \"intake.outcome.\"+outcome"},
	{prefix: "level.", where: "\"level.\"+level (aggregate/output.go, ui/collect_land.go)"},
	{prefix: "load.col.", where: "load/table.go, load/export.go: \"load.col.\"+column"},
	{prefix: "loadscreen.status_", where: "ui/loadscreen.go: \"loadscreen.status_\"+run status"},
	{prefix: "offers.access.", where: "offers/coverage.go: \"offers.access.\"+access"},
	{prefix: "offerscli.action.", where: "app/cmd_training.go: \"offerscli.action.\"+action"},
	{prefix: "offerscli.origin.", where: "app/cmd_training.go: \"offerscli.origin.\"+origin"},
	{prefix: "operating.", except: "operating.ui.", where: "cost/operating_text.go: t(id) = \"operating.\"+id, \"operating.model.\"+model"},
	{prefix: "policy.decision_label.", where: "policy/render.go: \"policy.decision_label.\"+decision"},
	{prefix: "policy.diff.", where: "app/cmd_policy.go: \"policy.diff.\"+change"},
	{prefix: "policy.kind.", where: "app/cmd_policy.go: \"policy.kind.\"+kind"},
	{prefix: "policy.staffrole.", where: "policy/quiz.go, policy/render.go: \"policy.staffrole.\"+role"},
	{prefix: "report.", where: "report/view.go: t(id) = \"report.\"+id, \"report.status.\"+status, \"report.step.\"+step"},
	{prefix: "strategy.", where: "strategy/strategy.go: t(id) = \"strategy.\"+id"},
	{prefix: "webview.file_", where: "webview/check.go: \"webview.file_\"+field"},
}

// pending: literal ids used in app/cmd_*.go, which other work edits at the
// same time; they are merged last. The list only shrinks.
var pending = map[string]bool{
	"benchcli.incomplete": true, "cloud.preset": true, "offerscli.provider": true,
	"quiz.provider": true, "policy.doc.col.quizzes": true, "policy.doc.col.role": true, "offerscli.areas_none": true,
	"offerscli.imported": true, "offerscli.link": true, "quizcli.link": true,
}

func isComputed(id, file string) bool {
	if pending[id] {
		return true
	}
	if strings.Contains(file, ".fyne.") {
		return true
	}
	for _, c := range computed {
		if strings.HasPrefix(id, c.prefix) && strings.HasSuffix(id, c.suffix) && (c.except == "" || !strings.HasPrefix(id, c.except)) {
			return true
		}
	}
	return false
}

// TestNoMeaningWrittenTwice: two ids with the same German text and the same
// English text are one meaning written twice; a translator would have to
// change both, and they drift apart (see docs/ARCHITECTURE.md, "Texts").
// The same German text with different English texts is allowed: a German
// word with two English senses ("Fehler": "Error" and "errors").
func TestNoMeaningWrittenTwice(t *testing.T) {
	de, deFile := readWithFiles(t, "de")
	en, enFile := readWithFiles(t, "en")
	for _, p := range sameMeaning(de, en, deFile, enFile) {
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
	got := sameMeaning(de, en, files, files)
	if len(got) != 1 || !strings.Contains(got[0], `"a.save"`) || !strings.Contains(got[0], `"b.save"`) || !strings.Contains(got[0], "assets/lang/de.json") {
		t.Errorf("got %q, want one problem naming a.save and b.save and their file", got)
	}
}

// sameMeaning lists the pairs of literal ids with the same German and
// English text.
func sameMeaning(de, en, deFile, enFile map[string]string) []string {
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
		var literal []string
		for _, id := range ids {
			if !isComputed(id, deFile[id]) {
				literal = append(literal, id)
			}
		}
		for _, other := range literal[min(1, len(literal)):] {
			problems = append(problems, fmt.Sprintf("%q (assets/lang/%s, %s) and %q (assets/lang/%s, %s) both say %q / %q: keep the better-named id, "+
				"use it wherever the other is used (Go code, templates, bundles, tests) and delete the other from both languages; "+
				"if they mean different things, make the English (or German) say how they differ",
				literal[0], deFile[literal[0]], enFile[literal[0]], other, deFile[other], enFile[other], texts[0], texts[1]))
		}
	}
	sort.Strings(problems)
	return problems
}

func TestComputedFamiliesExist(t *testing.T) {
	de, _ := readWithFiles(t, "de")
	for _, c := range computed {
		found := false
		for id := range de {
			if strings.HasPrefix(id, c.prefix) && strings.HasSuffix(id, c.suffix) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("computed family %q…%q (%s) has no id left: remove it from the list", c.prefix, c.suffix, c.where)
		}
	}
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
