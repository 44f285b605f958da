package hotspot

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml"

	"github.com/ki-reise/kicheck/internal/atomicfile"
	"github.com/ki-reise/kicheck/internal/bench"
	"github.com/ki-reise/kicheck/internal/dataclass"
)

// Erprobung ("Musterversion"): a hotspot gets its own test bundle, made
// from the department's example inputs, in the existing prompt-bundle
// format (docs/prompts.md). It is written to the municipality's bundle
// folder (<datadir>/bundles/prompts), so the one KI-Test runner
// (internal/bench, and internal/cloudrun with consent for the cloud) runs
// it like any other bundle; RecordTrial takes the run's pass rate and
// speed back to the process.

// Limits of an inputs file.
const (
	MaxTrialBytes      = 1 << 20
	MaxTrialInputs     = 50
	MaxTrialInputRunes = 20000
	trialMaxTokens     = 512
)

// TrialInput is one example input of the department, with the words an
// answer must contain ("erwartet:" lines).
type TrialInput struct {
	Text   string       `json:"text"`
	Expect []string     `json:"expect,omitempty"`
	Line   int          `json:"line"` // where it starts in the file
	PII    []PIIFinding `json:"personal_data,omitempty"`
}

// ParseTrialInputs reads an inputs file: UTF-8 text, the examples
// separated by lines of "---"; a line "erwartet: WORT" (or "expect:")
// adds a check that the answer contains WORT and is not part of the
// input. Each input is checked for personal data (DetectPersonal).
func ParseTrialInputs(name string, r io.Reader) ([]TrialInput, Problems) {
	data, err := io.ReadAll(io.LimitReader(r, MaxTrialBytes+1))
	if err != nil {
		return nil, Problems{{File: name, Msg: msg("err.read", "Err", errText(err)), Hint: msg("hint.read")}}
	}
	if len(data) > MaxTrialBytes {
		return nil, Problems{{File: name, Msg: msg("trial.err.too_big", "Max", MaxTrialBytes>>20), Hint: msg("trial.hint.split")}}
	}
	data = bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})
	if !utf8.Valid(data) {
		return nil, Problems{{File: name, Line: lineOf(data, firstInvalid(data)), Msg: msg("trial.err.not_utf8"), Hint: msg("trial.hint.utf8")}}
	}
	var out []TrialInput
	var ps Problems
	cur := TrialInput{}
	var text []string
	flush := func() {
		t := strings.TrimSpace(strings.Join(text, "\n"))
		text = nil
		if t == "" && len(cur.Expect) == 0 {
			cur = TrialInput{}
			return
		}
		switch {
		case t == "":
			ps = append(ps, &Problem{File: name, Line: cur.Line, Msg: msg("trial.err.empty_input"), Hint: msg("trial.hint.format")})
		case utf8.RuneCountInString(t) > MaxTrialInputRunes:
			ps = append(ps, &Problem{File: name, Line: cur.Line, Msg: msg("trial.err.input_too_long", "Max", MaxTrialInputRunes), Hint: msg("trial.hint.split")})
		default:
			cur.Text = t
			cur.PII = DetectPersonal(t)
			out = append(out, cur)
		}
		cur = TrialInput{}
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), MaxTrialBytes+1)
	line := 0
	for sc.Scan() {
		line++
		l := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(l) == "---" {
			flush()
			continue
		}
		if cur.Line == 0 && strings.TrimSpace(l) != "" {
			cur.Line = line
		}
		if m := expectLine.FindStringSubmatch(l); m != nil {
			if w := strings.TrimSpace(m[1]); w != "" {
				cur.Expect = append(cur.Expect, w)
			}
			continue
		}
		text = append(text, l)
	}
	flush()
	if len(out) > MaxTrialInputs {
		ps = append(ps, &Problem{File: name, Msg: msg("trial.err.too_many", "Max", MaxTrialInputs, "Count", len(out)), Hint: msg("trial.hint.split")})
	}
	if len(out) == 0 && ps == nil {
		ps = append(ps, &Problem{File: name, Msg: msg("trial.err.no_inputs"), Hint: msg("trial.hint.format")})
	}
	if ps != nil {
		return nil, ps
	}
	return out, nil
}

var expectLine = regexp.MustCompile(`^\s*(?i:erwartet|expect)\s*:\s*(.*)$`)

// ReadTrialInputs reads an inputs file from disk.
func ReadTrialInputs(path string) ([]TrialInput, Problems) {
	f, err := os.Open(path)
	if err != nil {
		return nil, Problems{{File: path, Msg: msg("err.read", "Err", errText(err)), Hint: msg("hint.read")}}
	}
	defer f.Close()
	return ParseTrialInputs(path, f)
}

// TrialBundleID is the id of a process's Erprobung bundle.
func TrialBundleID(processID string) string {
	id := strings.ToLower(processID)
	id = regexp.MustCompile(`[^a-z0-9._-]+`).ReplaceAllString(id, "-")
	return "erprobung-" + id
}

// TrialBundleFile is where the bundle is written in the data folder.
func TrialBundleFile(dataDir, processID string) string {
	return filepath.Join(bench.OverrideDir(dataDir), TrialBundleID(processID)+".yaml")
}

// PersonalFindings counts the inputs with personal-data findings.
func PersonalFindings(in []TrialInput) int {
	n := 0
	for _, x := range in {
		if len(x.PII) > 0 {
			n++
		}
	}
	return n
}

// The bundle as written (the bench.Bundle fields, with omitempty so that a
// check has exactly one field).
type trialBundle struct {
	Format       int           `yaml:"format"`
	ID           string        `yaml:"id"`
	Version      string        `yaml:"version"`
	Title        string        `yaml:"title"`
	Description  string        `yaml:"description"`
	Language     string        `yaml:"language"`
	CloudAllowed bool          `yaml:"cloud_allowed"`
	Prompts      []trialPrompt `yaml:"prompts"`
}

type trialPrompt struct {
	ID       string          `yaml:"id"`
	UseCase  string          `yaml:"use_case"`
	Title    string          `yaml:"title"`
	Messages []bench.Message `yaml:"messages"`
	Params   trialParams     `yaml:"params"`
	Checks   []trialCheck    `yaml:"checks"`
}

type trialParams struct {
	Temperature float32 `yaml:"temperature"`
	MaxTokens   int     `yaml:"max_tokens"`
	Seed        int     `yaml:"seed"`
}

type trialCheck struct {
	Contains         string              `yaml:"contains,omitempty"`
	NotContains      string              `yaml:"not_contains,omitempty"`
	Length           *bench.LengthBounds `yaml:"length,omitempty"`
	LanguageIsGerman *bench.GermanCheck  `yaml:"language_is_german,omitempty"`
}

// TrialBundle makes the Erprobung bundle of p: one prompt per input, the
// task type's plain description as the instruction, and checks (the
// expected words, a sensible length, a German answer unless the task is
// translation, no "Als KI" disclaimer). cloud_allowed is true only where
// the data class may go to the cloud (CloudAllowed with avv) and no input
// looks like personal data. The bytes are checked by the bench package's
// own parser before they are returned.
func TrialBundle(p Process, t TaskType, inputs []TrialInput, avv bool, version string) ([]byte, *bench.Bundle, error) {
	cloud := CloudAllowed(dataclass.Class(p.DataClass), avv) && PersonalFindings(inputs) == 0
	b := trialBundle{Format: bench.FormatVersion, ID: TrialBundleID(p.ID), Version: version,
		Title:       "Erprobung: " + p.Name,
		Description: fmt.Sprintf("Musterversion für %s (%s), KI-Aufgabe %s, aus %d Beispielen des Fachbereichs.", p.Name, p.Unit, t.ID, len(inputs)),
		Language:    "de", CloudAllowed: cloud}
	system := fmt.Sprintf("Du bist eine hilfsbereite Assistenz in einer deutschen Kommunalverwaltung (%s). Antworte immer auf Deutsch, sachlich und knapp.", p.Unit)
	for i, in := range inputs {
		checks := []trialCheck{}
		for _, w := range in.Expect {
			checks = append(checks, trialCheck{Contains: w})
		}
		checks = append(checks, trialCheck{NotContains: "Als KI"}, trialCheck{Length: &bench.LengthBounds{Min: 10, Max: 6000}})
		if t.ID != "uebersetzen" {
			checks = append(checks, trialCheck{LanguageIsGerman: &bench.GermanCheck{MinRatio: 0.15}})
		}
		b.Prompts = append(b.Prompts, trialPrompt{
			ID: fmt.Sprintf("beispiel-%02d", i+1), UseCase: t.UseCase, Title: fmt.Sprintf("%s – Beispiel %d", t.Name, i+1),
			Messages: []bench.Message{{Role: "system", Content: system},
				{Role: "user", Content: "Aufgabe: " + t.Description + "\n\n" + in.Text}},
			Params: trialParams{Temperature: 0, MaxTokens: trialMaxTokens, Seed: 42}, Checks: checks})
	}
	body, err := yaml.MarshalWithOptions(b, yaml.UseLiteralStyleIfMultiline(true))
	if err != nil {
		return nil, nil, fmt.Errorf("write trial bundle: %w", err)
	}
	head := "# KI-Check Erprobung (Musterversion) für den Prozess " + oneLine(p.ID) + ".\n" +
		"# Erzeugt aus den Beispielen des Fachbereichs; Format: docs/prompts.md.\n" +
		"# Die Beispiele müssen erfunden oder anonymisiert sein.\n"
	data := append([]byte(head), body...)
	parsed, err := bench.ParseBundle(b.ID+".yaml", data)
	if err != nil {
		return nil, nil, fmt.Errorf("trial bundle: %w", err)
	}
	return data, parsed, nil
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// WriteTrialBundle writes the bundle to the municipality's prompt-bundle
// folder (atomically) and returns its path.
func WriteTrialBundle(dataDir, processID string, data []byte) (string, error) {
	path := TrialBundleFile(dataDir, processID)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", &ExportError{Dir: filepath.Dir(path), Err: err}
	}
	if err := atomicfile.Write(path, data, 0o644); err != nil {
		return "", &ExportError{Dir: filepath.Dir(path), Err: err}
	}
	return path, nil
}
