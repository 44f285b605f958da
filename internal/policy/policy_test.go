package policy

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/bundles"
	"github.com/ki-reise/kicheck/internal/dataclass"
	"github.com/ki-reise/kicheck/internal/i18n"
)

func musterBytes(t testing.TB) []byte {
	t.Helper()
	b, err := bundles.Policy.ReadFile("policy/muster.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// writeOwn puts a municipality's policy file into dataDir.
func writeOwn(t testing.TB, dataDir, name, content string) string {
	t.Helper()
	dir := OwnDir(dataDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// ownVariant is the Muster with the replacements applied and a new id.
func ownVariant(t testing.TB, pairs ...string) string {
	t.Helper()
	s := strings.Replace(string(musterBytes(t)), "id: muster\n", "id: halle\n", 1)
	for i := 0; i < len(pairs); i += 2 {
		n := strings.Replace(s, pairs[i], pairs[i+1], 1)
		if n == s {
			t.Fatalf("%q not in the Muster", pairs[i])
		}
		s = n
	}
	return s
}

func TestMusterIsValidAndCoversEveryCell(t *testing.T) {
	p := Muster()
	if p.ID != "muster" || p.Stand != "2026-12-04" || !p.Packaged {
		t.Fatalf("muster: %+v", p.Ref())
	}
	for _, tc := range ToolClasses {
		for _, dc := range dataclass.All {
			d, _, clause := p.Cell(tc, dc)
			if clause == "" {
				t.Errorf("%s × %s: no rule", tc, dc)
			}
			if d == "" {
				t.Errorf("%s × %s: no decision", tc, dc)
			}
		}
	}
}

func TestCheckCloudNeedsAVVForPersonalData(t *testing.T) {
	p := Muster()
	d, err := p.Check("cloud", dataclass.Personal, "")
	if err != nil {
		t.Fatal(err)
	}
	if d.Allowed() || d.Decision != Forbidden || d.ToolClass != ClassCloudNone || d.Clause.ID != "cloud-ohne-avv" || d.Rule < 0 {
		t.Fatalf("packaged policy, cloud × personenbezogen: %+v", d)
	}
	// Synthetic test prompts are public: allowed.
	if d, _ := p.Check("cloud", dataclass.Synthetic(), "test"); !d.Allowed() || d.Decision != Allowed {
		t.Fatalf("synthetic: %+v", d)
	}
	if d, _ := p.Check("arbeitsplatz", dataclass.Personal, ""); d.Decision != AllowedConditions || len(d.Conditions) == 0 {
		t.Fatalf("workplace: %+v", d)
	}

	dir := t.TempDir()
	writeOwn(t, dir, "halle.yaml", ownVariant(t, "    avv: false\n", "    avv: true\n"))
	l := Load(dir, Selection{})
	if len(l.Problems) != 0 || l.Policy.ID != "halle" || l.Policy.Packaged {
		t.Fatalf("own policy: %v %+v", l.Problems, l.Policy.Ref())
	}
	d, _ = l.Policy.Check("cloud", dataclass.Personal, "")
	if !d.Allowed() || d.Decision != AllowedConditions || d.ToolClass != ClassCloudAVV || d.Clause.ID != "cloud-avv" {
		t.Fatalf("with AVV: %+v", d)
	}
	if d, _ := l.Policy.Check("cloud", dataclass.SocialData, ""); d.Allowed() {
		t.Fatalf("social data to the cloud with AVV: %+v", d)
	}
}

func TestCheckUnknownToolAndPurpose(t *testing.T) {
	p := Muster()
	var ue *UnknownError
	if _, err := p.Check("chatgpt", dataclass.Public, ""); !errors.As(err, &ue) || !strings.Contains(err.Error(), "arbeitsplatz") {
		t.Fatalf("unknown tool: %v", err)
	}
	if _, err := p.Check("cloud", dataclass.Public, "wahrsagen"); !errors.As(err, &ue) || ue.What != "purpose" {
		t.Fatalf("unknown purpose: %v", err)
	}
}

func TestPurposeRuleIsMorePrecise(t *testing.T) {
	src := ownVariant(t, "  - tool: arbeitsplatz\n    data_classes: [oeffentlich, intern]\n    decision: erlaubt\n",
		"  - tool: arbeitsplatz\n    data_classes: [oeffentlich]\n    decision: erlaubt\n    clause: lokal-erlaubt\n  - tool: arbeitsplatz\n    data_classes: [intern]\n    purposes: [uebersetzung]\n    decision: erlaubt\n    clause: lokal-erlaubt\n  - tool: arbeitsplatz\n    data_classes: [intern]\n    purposes: [entwurf]\n    decision: verboten\n")
	p, errs := Parse("p.yaml", []byte(src))
	if errs != nil {
		t.Fatal(errs)
	}
	if d, _ := p.Check("arbeitsplatz", dataclass.Internal, "entwurf"); d.Decision != Forbidden || d.Rule != 2 {
		t.Fatalf("entwurf: %+v", d)
	}
	if d, _ := p.Check("arbeitsplatz", dataclass.Internal, "uebersetzung"); d.Decision != Allowed {
		t.Fatalf("uebersetzung: %+v", d)
	}
}

// TestBrokenOverrideKeepsMuster: each bad file names file, line and field,
// and the packaged policy stays in force.
func TestBrokenOverrideKeepsMuster(t *testing.T) {
	cases := []struct {
		name, src, field, msg, lineHas string
	}{
		{"unknown data class", ownVariant(t, "data_classes: [oeffentlich, intern]", "data_classes: [oeffentlich, geheim]"), "rules[0].data_classes[1]", `unknown data class "geheim"`, "geheim"},
		{"contradiction", ownVariant(t, "    data_classes: [vs_nfd]\n    decision: verboten\n    clause: vs-nfd\n  - tool: server",
			"    data_classes: [vs_nfd, intern]\n    decision: verboten\n    clause: vs-nfd\n  - tool: server"), "rules[3].decision", "contradicts rules[0]", "decision: verboten"},
		{"missing role", ownVariant(t, "  - id: personalrat\n    name: \"Personalrat\"\n", "  - id: betriebsrat\n    name: \"Betriebsrat\"\n"), "roles", `role "personalrat" is missing`, "- id: verwaltungsleitung"},
		{"unknown clause", ownVariant(t, "clause: cloud-avv", "clause: cloud-vertrag"), "rules[9].clause", "unknown clause", "cloud-vertrag"},
		{"conditions missing", ownVariant(t, "    conditions:\n      - \"Keine Namen, Aktenzeichen oder andere Angaben, die auf Personen schließen lassen.\"\n", ""), "rules[12].conditions", "needs at least one condition", "- tool: cloud_ohne_avv"},
		{"schema", ownVariant(t, "decision: erlaubt\n", "decision: vielleicht\n"), "rules[0].decision", "one of", "vielleicht"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := writeOwn(t, dir, "kaputt.yaml", tc.src)
			l := Load(dir, Selection{})
			if l.Policy.ID != "muster" || !l.Policy.Packaged {
				t.Fatalf("in force: %+v", l.Policy.Ref())
			}
			if len(l.Problems) != 1 {
				t.Fatalf("problems: %v", l.Problems)
			}
			var fe *FileError
			if !errors.As(l.Problems[0], &fe) {
				t.Fatalf("not a FileError: %v", l.Problems[0])
			}
			e := fe.Errs[0]
			if e.File != path || e.Line == 0 || !strings.HasPrefix(e.Field(), tc.field) || !strings.Contains(e.Msg, tc.msg) {
				t.Fatalf("error %v (field %q line %d)", e, e.Field(), e.Line)
			}
			// The line named is the line of that field in the file.
			// (a missing field: at its parent that exists)
			if line := strings.Split(tc.src, "\n")[e.Line-1]; !strings.Contains(line, tc.lineHas) {
				t.Errorf("line %d %q does not hold %q", e.Line, line, tc.lineHas)
			}
			if fe.Hint() == "" {
				t.Error("no hint")
			}
		})
	}
}

func TestSelectionByIT(t *testing.T) {
	dir := t.TempDir()
	writeOwn(t, dir, "a.yaml", ownVariant(t, "version: \"1.0\"", "version: \"2.0\""))
	if l := Load(dir, Selection{ID: "muster"}); l.Policy.ID != "muster" || len(l.Problems) != 0 {
		t.Fatalf("IT names the Muster: %+v %v", l.Policy.Ref(), l.Problems)
	}
	if l := Load(dir, Selection{ID: "halle", Version: "2.0"}); l.Policy.ID != "halle" || l.Policy.Version != "2.0" {
		t.Fatalf("halle 2.0: %+v", l.Policy.Ref())
	}
	l := Load(dir, Selection{ID: "halle", Version: "3.0", Source: "/etc/kicheck/policy.yaml"})
	var se *SelectionError
	if len(l.Problems) != 1 || !errors.As(l.Problems[0], &se) || !strings.Contains(se.Error(), "halle version 3.0") {
		t.Fatalf("missing version: %v", l.Problems)
	}
}

func TestPass(t *testing.T) {
	p := Muster()
	st, err := p.Pass("anwender", "cloud", nil)
	if err != nil {
		t.Fatal(err)
	}
	if st.Ready || strings.Join(st.Missing, ",") != "ki-grundlagen,datenschutz-ki-verordnung" || len(st.Training) != 3 {
		t.Fatalf("nothing passed: %+v", st)
	}
	st, _ = p.Pass("anwender", "cloud", []QuizResult{{"ki-grundlagen", 80}, {"datenschutz-ki-verordnung", 40}, {"datenschutz-ki-verordnung", 59.9}})
	if st.Ready || strings.Join(st.Missing, ",") != "datenschutz-ki-verordnung" {
		t.Fatalf("one below the mark: %+v", st)
	}
	st, _ = p.Pass("anwender", "cloud", []QuizResult{{"ki-grundlagen", 80}, {"datenschutz-ki-verordnung", 60}})
	if !st.Ready {
		t.Fatalf("both passed: %+v", st)
	}
	if st, _ := p.Pass("anwender", "arbeitsplatz", []QuizResult{{"ki-grundlagen", 61}}); !st.Ready {
		t.Fatalf("workplace: %+v", st)
	}
}

// Every quiz and training module the KI-Pass names exists in the packaged
// content, so the pass can be earned.
func TestKIPassNamesExistingContent(t *testing.T) {
	for _, k := range Muster().KIPass {
		for _, q := range k.Quizzes {
			if _, err := bundles.Quizzes.ReadFile("quizzes/" + q + ".yaml"); err != nil {
				t.Errorf("quiz %s: %v", q, err)
			}
		}
		cat, _ := bundles.Training.ReadFile("training/ki-schulungskatalog.yaml")
		for _, m := range k.Training {
			if !strings.Contains(string(cat), "- id: "+m+"\n") {
				t.Errorf("training module %s not in the catalogue", m)
			}
		}
	}
}

func TestSetCell(t *testing.T) {
	p := Muster()
	p.SetCell(ClassCloudNone, dataclass.Personal, AllowedConditions, []string{"Nur mit Einwilligung."}, "cloud-ohne-avv")
	d, _ := p.Check("cloud", dataclass.Personal, "")
	if d.Decision != AllowedConditions || d.Conditions[0] != "Nur mit Einwilligung." {
		t.Fatalf("after SetCell: %+v", d)
	}
	if d, _ := p.Check("cloud", dataclass.SocialData, ""); d.Decision != Forbidden {
		t.Fatalf("neighbour changed: %+v", d)
	}
	b, err := p.YAML()
	if err != nil {
		t.Fatal(err)
	}
	q, errs := Parse("again.yaml", b)
	if errs != nil {
		t.Fatalf("saved matrix is invalid: %v\n%s", errs, b)
	}
	if d, _ := q.Check("cloud", dataclass.Personal, ""); d.Decision != AllowedConditions {
		t.Fatalf("round trip: %+v", d)
	}
}

// FuzzParse: any bytes in a municipality's policy file give a policy that
// keeps its promises (known data classes, every required role) or errors
// naming the file; never a panic.
func FuzzParse(f *testing.F) {
	f.Add(musterBytes(f))
	f.Add([]byte("format: kicheck-policy/1\nid: x\n"))
	f.Add([]byte("a: &x [*x]\n"))
	f.Add([]byte("\xff\xfe"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, errs := Parse("fuzz.yaml", data)
		if errs != nil {
			for _, e := range errs {
				if e.File != "fuzz.yaml" || e.Msg == "" {
					t.Fatalf("error without file or message: %#v", e)
				}
			}
			return
		}
		for _, r := range p.Rules {
			for _, dc := range r.DataClasses {
				if _, err := dataclass.Parse(dc); err != nil {
					t.Fatalf("accepted %v", err)
				}
			}
		}
		for _, r := range RequiredRoles {
			if _, ok := p.Role(r); !ok {
				t.Fatalf("accepted a policy without %s", r)
			}
		}
	})
}

// TestUnknownErrorSpeaksTheReadersLanguage: an unknown tool is named, with
// the valid ids, in the reader's language (message and hint).
func TestUnknownErrorSpeaksTheReadersLanguage(t *testing.T) {
	_, err := Muster().Check("chatbot", dataclass.Public, "")
	var l i18n.Localizer
	if !errors.As(err, &l) {
		t.Fatalf("err %T is no i18n.Localizer", err)
	}
	for lang, want := range map[string][2]string{
		"de": {"das Werkzeug „chatbot“ kennt die Richtlinie nicht (gültig: arbeitsplatz, ", "eine der genannten Kennungen angeben"},
		"en": {"the policy has no tool \"chatbot\" (valid: arbeitsplatz, ", "use one of the listed ids"},
	} {
		msg, hint := l.Localize(lang)
		if !strings.HasPrefix(msg, want[0]) || !strings.HasPrefix(hint, want[1]) {
			t.Errorf("%s: %q / %q, want %q… / %q…", lang, msg, hint, want[0], want[1])
		}
	}
}
