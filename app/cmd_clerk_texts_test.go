package main

import (
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/fit"
	"github.com/ki-reise/kicheck/internal/i18n"
)

// The clerk-facing outputs, run in German and in English: the check's
// summary, the report as HTML and as PDF text, the Eignung texts and the
// fleet page. Each must be in one language (no sentence of the other) and
// its main text (everything before "Für die IT" / "For IT") must not use
// a jargon word without explaining it where it first appears.

// jargon is a word a clerk does not know, with the phrase that explains
// it; an empty explanation means the word may not appear at all.
type jargon struct{ word, explanation string }

var jargonWords = map[string][]jargon{
	"de": {{"token", "etwa ¾ wort"}, {"quantisierung", "verkleinert"}, {"bandbreite", "wie schnell"}, {"parameter", "maß für die größe"}, {"matvec", ""}},
	"en": {{"token", "about ¾ of a word"}, {"quantization", "made smaller"}, {"bandwidth", "how fast"}, {"parameter", "measure of a model's size"}, {"matvec", ""}},
}

// explainWithin is how far after a jargon word's first use its
// explanation must start.
const explainWithin = 160

// jargonProblems lists each jargon word in text that is not explained
// right after its first use.
func jargonProblems(lang, text string) []string {
	low := strings.ToLower(text)
	var out []string
	for _, j := range jargonWords[lang] {
		i := strings.Index(low, j.word)
		if i < 0 {
			continue
		}
		after := low[i:min(len(low), i+len(j.word)+explainWithin)]
		if j.explanation == "" || !strings.Contains(after, j.explanation) {
			out = append(out, fmt.Sprintf("%q unexplained in …%s…", j.word, snippet(text, i)))
		}
	}
	return out
}

// Function words that mark a sentence as German or English.
var langMarkers = map[string][]string{
	"de": {"der", "die", "das", "und", "ist", "nicht", "mit", "für", "wird", "auf", "ein", "eine", "kein", "keine", "von", "oder", "wurde", "sind", "dieser", "diese", "bei", "nach", "wie", "gefunden", "übersprungen", "stand", "unbekannt", "seite", "sekunden"},
	"en": {"the", "and", "is", "not", "with", "for", "was", "on", "a", "an", "no", "of", "or", "are", "this", "found", "skipped", "unknown", "page", "seconds", "runtime", "local"},
}

// Words that alone show a fragment of the other language ("Stand
// unknown", "übersprungen: no local AI runtime …").
var strongMarkers = map[string][]string{
	"de": {"der", "die", "das", "und", "nicht", "für", "übersprungen", "unbekannt", "erledigt", "seite", "sekunden", "gemessen"},
	"en": {"the", "and", "with", "unknown", "skipped", "found", "failed", "runtime", "seconds", "measured"},
}

var wordRe = regexp.MustCompile(`[\p{L}]+`)

// otherLanguageSentences lists the sentences of text that read as the
// other language: at least two of its function words and more of them
// than of lang's own.
func otherLanguageSentences(lang, text string) []string {
	other := "en"
	if lang == "en" {
		other = "de"
	}
	count := func(words []string, l string) int {
		n := 0
		for _, w := range words {
			for _, m := range langMarkers[l] {
				if w == m {
					n++
				}
			}
		}
		return n
	}
	var out []string
	for _, s := range regexp.MustCompile(`[.;:!?\n()·]+`).Split(text, -1) {
		// Words only: ids, paths, hashes and commands are not language.
		var words []string
		for _, tok := range strings.Fields(strings.ToLower(s)) {
			if w := strings.Trim(tok, ",\"'„“”‚‘’«»"); wordRe.FindString(w) == w && w != "" {
				words = append(words, w)
			}
		}
		own, foreign := count(words, lang), count(words, other)
		strong := 0
		for _, w := range words {
			for _, m := range strongMarkers[other] {
				if w == m {
					strong++
				}
			}
		}
		if strong > 0 || foreign >= 2 && foreign > own {
			out = append(out, strings.TrimSpace(s))
		}
	}
	return out
}

func snippet(s string, i int) string {
	r := []rune(s[:i])
	from := max(0, len(r)-40)
	rest := []rune(s[i:])
	return string(r[from:]) + string(rest[:min(len(rest), 80)])
}

// mainText is the clerk's part: everything before the IT heading.
func mainText(lang, text string) string {
	head := map[string]string{"de": "Für die IT", "en": "For IT"}[lang]
	if i := strings.Index(text, head); i >= 0 {
		return text[:i]
	}
	return text
}

var tagRe = regexp.MustCompile(`(?s)<style.*?</style>|<[^>]+>`)

func htmlText(page string) string {
	return html.UnescapeString(tagRe.ReplaceAllString(page, "\n"))
}

// checkClerkText reports both kinds of problem in one output.
func checkClerkText(t *testing.T, lang, what, whole, main string) {
	t.Helper()
	if strings.TrimSpace(main) == "" {
		t.Errorf("%s (%s): empty", what, lang)
	}
	for _, s := range otherLanguageSentences(lang, whole) {
		t.Errorf("%s (%s): a sentence in the other language: %q", what, lang, s)
	}
	for _, p := range jargonProblems(lang, main) {
		t.Errorf("%s (%s): %s", what, lang, p)
	}
	// Dates as the language writes them, not ISO, in the clerk's part.
	if d := isoDate.FindString(main); d != "" {
		t.Errorf("%s (%s): an ISO date %s in the clerk's text", what, lang, d)
	}
}

var isoDate = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)

// The checkers themselves catch what the review found.
func TestClerkTextCheckers(t *testing.T) {
	for _, c := range []struct {
		lang, text string
		foreign    bool
		jargon     bool
	}{
		{"de", "KI-Test mit lokalem Modell: übersprungen: no local AI runtime with a model found", true, false},
		{"de", "Programm: KI-Check dev (Stand unknown)", true, false},
		{"de", "Die Antwort käme mit etwa 3,3 Token/s; nötig sind mindestens 4,0. Es fehlt Speicherbandbreite.", false, true},
		{"de", "Wählen Sie ein kleineres Modell oder eine stärkere Quantisierung.", false, true},
		{"de", "Leistung messen: matvec", false, true},
		{"de", "Der Arbeitsspeicher reicht für Modelle bis etwa 15 Mrd. Parameter.", false, true},
		{"de", "Der Arbeitsspeicher reicht für Modelle bis etwa 15 Mrd. Parameter (Parameter: ein Maß für die Größe eines Modells).", false, false},
		{"en", "The memory is enough. Die Antwort beginnt nach etwa 16 Sekunden.", true, false},
		{"en", "Measured speed (tokens per second; a token is about ¾ of a word)", false, false},
	} {
		if got := len(otherLanguageSentences(c.lang, c.text)) > 0; got != c.foreign {
			t.Errorf("%q: other language %v, want %v", c.text, got, c.foreign)
		}
		if got := len(jargonProblems(c.lang, c.text)) > 0; got != c.jargon {
			t.Errorf("%q: jargon %v, want %v", c.text, got, c.jargon)
		}
	}
}

// TestClerkOutputsOneLanguagePlainWords runs a real check (inventory,
// probe, fit; no local AI runtime) in each language, collects both
// reports into a central database and writes the fleet page, and reads
// every clerk-facing text.
func TestClerkOutputsOneLanguagePlainWords(t *testing.T) {
	pdftotext, _ := exec.LookPath("pdftotext")
	central := filepath.Join(t.TempDir(), "central.db")
	reports := t.TempDir()
	for _, lang := range []string{"de", "en"} {
		t.Run(lang, func(t *testing.T) {
			out := t.TempDir()
			summary, stderr, code := kicheck(t, "--data-dir", t.TempDir(), "--lang", lang, "check", "--headless", "--out", out)
			if code > 20 {
				t.Fatalf("check: exit %d\n%s", code, stderr)
			}
			checkClerkText(t, lang, "check summary", summary, summary)

			files, _ := filepath.Glob(filepath.Join(out, "*"))
			for _, f := range files {
				data, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				switch filepath.Ext(f) {
				case ".html":
					text := htmlText(string(data))
					checkClerkText(t, lang, "report HTML", text, mainText(lang, text))
					if !strings.Contains(text, map[string]string{"de": "Für die IT", "en": "For IT"}[lang]) || !strings.Contains(text, "ssh-keygen -Y verify") {
						t.Errorf("report HTML (%s): no IT section with the ssh-keygen command", lang)
					}
					if i := strings.Index(text, "ssh-keygen -Y verify"); i >= 0 && i < len(mainText(lang, text)) {
						t.Errorf("report HTML (%s): the ssh-keygen command is in the clerk's part", lang)
					}
					if strings.Contains(string(data), "ZgotmplZ") {
						t.Errorf("report HTML (%s): ZgotmplZ", lang)
					}
				case ".pdf":
					if pdftotext == "" {
						t.Log("pdftotext not installed: the PDF text is not read")
						continue
					}
					text, err := exec.Command(pdftotext, "-layout", f, "-").Output()
					if err != nil {
						t.Fatal(err)
					}
					// The footer and layout columns are not sentences.
					checkClerkText(t, lang, "report PDF", string(text), mainText(lang, string(text)))
				case ".json", ".sig":
					os.WriteFile(filepath.Join(reports, lang+"-"+filepath.Base(f)), data, 0o644)
				}
			}
		})
	}
	if _, stderr, code := kicheck(t, "--data-dir", t.TempDir(), "collect", "--db", central, "--enroll", reports); code != 0 {
		t.Fatalf("collect: %d %s", code, stderr)
	}
	for _, lang := range []string{"de", "en"} {
		page := filepath.Join(t.TempDir(), "fleet.html")
		if _, stderr, code := kicheck(t, "--data-dir", t.TempDir(), "--lang", lang, "fleet", "--db", central, "--html", page); code != 0 {
			t.Fatalf("fleet: %d %s", code, stderr)
		}
		data, _ := os.ReadFile(page)
		text := htmlText(string(data))
		checkClerkText(t, lang, "fleet page", text, text)
		for _, id := range []string{"anfrage-klassifizieren", "llama3.2-1b", "llama3.1-8b"} {
			if strings.Contains(text, id) {
				t.Errorf("fleet page (%s) shows the id %q instead of its title", lang, id)
			}
		}
		if regexp.MustCompile(`\d{4}-\d{2}-\d{2}`).MatchString(text) && lang == "de" {
			t.Errorf("fleet page (de) shows an ISO date")
		}
		if strings.Contains(text, "0 Arbeitsplätze lassen sich nicht") || strings.Contains(text, "0 workplaces cannot") {
			t.Errorf("fleet page (%s) says that 0 workplaces cannot be judged", lang)
		}
	}
}

// TestEignungTextsPlain renders every text of the Eignung screen and the
// fit's reasons (not their ".it" lines) in both languages with typical
// values.
func TestEignungTextsPlain(t *testing.T) {
	data := map[string]any{"TPS": 3.3, "Good": 10.0, "Minimum": 4.0, "Maximum": 20.0, "Secs": 16.0, "Prompt": 1000, "Need": 9.5,
		"Minutes": 36.0, "Factor": 0.6, "B": 15.0, "Limit": "bandwidth", "Where": "ram",
		"Date": "04.12.2026 20:00", "GBps": "25,4", "GOPS": "180", "RAM": "23,5"}
	for _, lang := range []string{"de", "en"} {
		var ids []string
		for id := range i18n.Catalog(lang) {
			if (strings.HasPrefix(id, "fit.reason.") || strings.HasPrefix(id, "fit.capacity") || strings.HasPrefix(id, "eignung.")) && !strings.HasSuffix(id, ".it") {
				ids = append(ids, id)
			}
		}
		sort.Strings(ids)
		if len(ids) < 20 {
			t.Fatalf("%s: only %d Eignung texts", lang, len(ids))
		}
		data["GBps"] = i18n.Decimal(lang, 25.4, 1)
		for _, id := range ids {
			text := fit.Reason{ID: id, Data: data}.Text(lang)
			checkClerkText(t, lang, id, text, text)
		}
	}
}
