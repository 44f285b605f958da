package bundle

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

// useCase mirrors docs/schema/usecases.schema.json, a real published
// schema, so these tests run the mechanism the loaders use.
type useCase struct {
	ID            string `yaml:"id"`
	Name          string `yaml:"name"`
	NameEN        string `yaml:"name_en"`
	Kind          string `yaml:"kind"`
	ContextTokens int    `yaml:"context_tokens"`
	PromptTokens  int    `yaml:"prompt_tokens"`
	AnswerTokens  int    `yaml:"answer_tokens"`
	Thresholds    struct {
		DecodeTPS *struct {
			Good    float64 `yaml:"good"`
			Minimum float64 `yaml:"minimum"`
		} `yaml:"decode_tps"`
		FirstTokenS *struct {
			Good    float64 `yaml:"good"`
			Maximum float64 `yaml:"maximum"`
		} `yaml:"first_token_s"`
		RealtimeFactor *struct {
			Good    float64 `yaml:"good"`
			Maximum float64 `yaml:"maximum"`
		} `yaml:"realtime_factor"`
	} `yaml:"thresholds"`
	Candidates []string `yaml:"candidates"`
}

var useCaseSchema = NewSchema("usecases.schema.json")

const goodUseCase = `# a comment line
id: protokoll
name: Protokoll
kind: chat
context_tokens: 4096
prompt_tokens: 900
answer_tokens: 300
thresholds:
  decode_tps: {good: 10, minimum: 4}
candidates: [llama3.2-1b]
`

func TestDecodeGoodFile(t *testing.T) {
	var u useCase
	doc, errs := Decode("u.yaml", []byte(goodUseCase), useCaseSchema, &u)
	if errs != nil {
		t.Fatal(errs)
	}
	if u.ID != "protokoll" || u.ContextTokens != 4096 || u.Thresholds.DecodeTPS.Minimum != 4 || len(u.Candidates) != 1 {
		t.Fatalf("decoded %+v", u)
	}
	// A rule the schema cannot say is positioned like a schema error.
	e := doc.ErrorAt("thresholds.decode_tps.minimum", "must not be above good")
	if e.File != "u.yaml" || e.Line != 9 || e.Field() != "thresholds.decode_tps.minimum" {
		t.Errorf("got %v (line %d)", e, e.Line)
	}
	// A missing field is placed at its nearest parent.
	// (thresholds, a mapping, starts at its first key, decode_tps.)
	if e := doc.ErrorAt("thresholds.first_token_s.good", "x"); e.Line != 9 || e.Column != 3 || e.Field() != "thresholds.first_token_s.good" {
		t.Errorf("missing field: %v", e)
	}
	if e := doc.ErrorAt("", "x"); e.Line != 2 || e.Column != 1 || e.Path == nil || e.Field() != "" {
		t.Errorf("top level: %v (path %#v)", e, e.Path)
	}
}

// TestDecodeRefusesBadFiles: every kind of bad file names its line, the
// field and what is wrong.
func TestDecodeRefusesBadFiles(t *testing.T) {
	replace := func(old, new string) string {
		s := strings.Replace(goodUseCase, old, new, 1)
		if s == goodUseCase {
			t.Fatalf("%q not in the good file", old)
		}
		return s
	}
	cases := []struct {
		name, src string
		line      int
		field     string // "-": no field (Path nil)
		msg       string
		reason    error
	}{
		{"empty", "  \n\n", 1, "-", "empty", ErrEmpty},
		{"only a comment", "# nothing here\n", 1, "-", "exactly one YAML document", ErrNotOneDocument},
		{"two documents", goodUseCase + "---\n" + goodUseCase, 1, "-", "exactly one YAML document", ErrNotOneDocument},
		{"syntax", replace("name: Protokoll", "name: [Protokoll"), 4, "-", "must be specified", nil},
		{"wrong type", replace("prompt_tokens: 900", "prompt_tokens: viele"), 6, "prompt_tokens", "want integer", nil},
		{"below minimum", replace("context_tokens: 4096", "context_tokens: 0"), 5, "context_tokens", "minimum", nil},
		{"not in enum", replace("kind: chat", "kind: plaudern"), 4, "kind", "one of", nil},
		{"missing required", replace("name: Protokoll\n", ""), 2, "", "name", nil},
		{"missing nested", replace("{good: 10, minimum: 4}", "{good: 10}"), 9, "thresholds.decode_tps", "minimum", nil},
		{"unknown key", replace("kind: chat", "kind: chat\nfarbe: blau"), 5, "farbe", `unknown field "farbe"`, nil},
		{"unknown nested key", replace("{good: 10, minimum: 4}", "{good: 10, minimum: 4, best: 20}"), 9, "thresholds.decode_tps.best", "unknown field", nil},
		{"not a mapping", "- a\n- b\n", 1, "", "want object", nil},
		{"bad list item", replace("[llama3.2-1b]", "[llama3.2-1b, 7]"), 10, "candidates[1]", "want string", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var u useCase
			doc, errs := Decode("/data/bundles/usecases/u.yaml", []byte(tc.src), useCaseSchema, &u)
			if len(errs) == 0 || doc != nil {
				t.Fatalf("accepted: %+v", u)
			}
			e := errs[0]
			if e.File != "/data/bundles/usecases/u.yaml" || e.Line != tc.line || e.Column == 0 {
				t.Errorf("position: got %v (line %d col %d), want line %d", e, e.Line, e.Column, tc.line)
			}
			if tc.field == "-" {
				if e.Path != nil {
					t.Errorf("path %#v, want none", e.Path)
				}
			} else if e.Path == nil || e.Field() != tc.field {
				t.Errorf("field %q (path %#v), want %q", e.Field(), e.Path, tc.field)
			}
			if e.Msg == "" || !strings.Contains(e.Msg, tc.msg) {
				t.Errorf("message %q lacks %q", e.Msg, tc.msg)
			}
			if tc.reason != nil && !errors.Is(e, tc.reason) {
				t.Errorf("errors.Is(%v, %v) is false", e, tc.reason)
			}
			want := "/data/bundles/usecases/u.yaml:"
			if !strings.HasPrefix(e.Error(), want) || !strings.HasSuffix(e.Error(), e.Msg) {
				t.Errorf("Error() = %q", e.Error())
			}
			var h interface{ Hint() string }
			if !errors.As(error(errs), &h) || h.Hint() == "" || e.Hint() == "" {
				t.Error("no hint")
			}
		})
	}
}

// Every broken field is reported once, in file order.
func TestValidateReportsEveryFieldInFileOrder(t *testing.T) {
	src := strings.NewReplacer("kind: chat", "kind: plaudern", "answer_tokens: 300", "answer_tokens: -1\nfarbe: blau\nform: rund").Replace(goodUseCase)
	doc, errs := Parse("u.yaml", []byte(src))
	if errs != nil {
		t.Fatal(errs)
	}
	errs = doc.Validate(useCaseSchema)
	var got []string
	for _, e := range errs {
		got = append(got, e.Field())
	}
	want := []string{"kind", "answer_tokens", "farbe", "form"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("fields %v, want %v\n%v", got, want, errs)
	}
	for i := 1; i < len(errs); i++ {
		if errs[i].Line <= errs[i-1].Line {
			t.Errorf("not in file order: %v", errs)
		}
	}
	if n := strings.Count(errs.Error(), "\n"); n != len(want)-1 {
		t.Errorf("Errors.Error() has %d lines:\n%v", n+1, errs)
	}
}

// Without a schema, Decode still refuses what the Go type does not know;
// DecodeLenient, for formats that keep a file's valid parts, does not.
func TestStrictAndLenientDecode(t *testing.T) {
	src := []byte("id: x\nfarbe: blau\n")
	var v struct {
		ID string `yaml:"id"`
	}
	_, errs := Decode("v.yaml", src, nil, &v)
	if len(errs) != 1 || errs[0].Line != 2 || !strings.Contains(errs[0].Msg, "farbe") {
		t.Fatalf("strict: %v", errs)
	}
	doc, errs := Parse("v.yaml", src)
	if errs != nil {
		t.Fatal(errs)
	}
	if errs := doc.DecodeLenient(&v); errs != nil || v.ID != "x" {
		t.Fatalf("lenient: %v %+v", errs, v)
	}
	if doc.File() != "v.yaml" {
		t.Errorf("file %q", doc.File())
	}
}

func TestUnknownSchemaIsNamed(t *testing.T) {
	doc, _ := Parse("u.yaml", []byte(goodUseCase))
	errs := doc.Validate(NewSchema("nope.schema.json"))
	if len(errs) != 1 || !strings.Contains(errs[0].Msg, "nope.schema.json") {
		t.Fatalf("%v", errs)
	}
}

func TestFieldNames(t *testing.T) {
	for field, path := range map[string][]string{
		"":                              {},
		"id":                            {"id"},
		"questions[3].answers[0].text":  {"questions", "3", "answers", "0", "text"},
		"roles[1].targets.A1":           {"roles", "1", "targets", "A1"},
		"prompts[0].checks[12].regex":   {"prompts", "0", "checks", "12", "regex"},
		"thresholds.decode_tps.minimum": {"thresholds", "decode_tps", "minimum"},
	} {
		if got := SplitField(field); !reflect.DeepEqual(got, path) {
			t.Errorf("SplitField(%q) = %#v, want %#v", field, got, path)
		}
		if got := FieldName(path); got != field {
			t.Errorf("FieldName(%#v) = %q, want %q", path, got, field)
		}
	}
}

// writeFiles writes files (slash paths below dir: content) to disk.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestKindFileOrder: packaged files first, then the municipality's, each
// in name order; other files and folders are passed over.
func TestKindFileOrder(t *testing.T) {
	embedded := fstest.MapFS{
		"usecases/b.yaml":     {Data: []byte("b")},
		"usecases/a.yml":      {Data: []byte("a")},
		"usecases/readme.md":  {Data: []byte("not a bundle")},
		"usecases/sub/c.yaml": {Data: []byte("deeper: not read")},
		"other/x.yaml":        {Data: []byte("another kind")},
	}
	k := Kind{Dir: "usecases", Embedded: embedded}
	dataDir := t.TempDir()
	own := k.OwnDir(dataDir)
	if own != filepath.Join(dataDir, "bundles", "usecases") {
		t.Fatalf("OwnDir = %s", own)
	}
	writeFiles(t, own, map[string]string{
		"z.yaml":          "z",
		"m.yml":           "m",
		"notes.txt":       "ignored",
		"dir.yaml/x.yaml": "a folder named like a file",
	})

	packaged, err := k.Packaged()
	if err != nil {
		t.Fatal(err)
	}
	files, problems := k.Own(dataDir)
	if problems != nil {
		t.Fatal(problems)
	}
	var got []string
	for _, f := range append(packaged, files...) {
		got = append(got, f.Name+"="+string(f.Data)+map[bool]string{true: " (own)"}[f.Own])
	}
	want := []string{
		"bundles/usecases/a.yml=a",
		"bundles/usecases/b.yaml=b",
		filepath.Join(own, "m.yml") + "=m (own)",
		filepath.Join(own, "z.yaml") + "=z (own)",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("files\n%v\nwant\n%v", got, want)
	}
}

func TestKindWithoutOwnFiles(t *testing.T) {
	k := Kind{Dir: "usecases", Embedded: fstest.MapFS{}}
	if files, problems := k.Own(""); files != nil || problems != nil {
		t.Errorf("no data dir: %v %v", files, problems)
	}
	if files, problems := k.Own(t.TempDir()); files != nil || problems != nil {
		t.Errorf("no folder: %v %v", files, problems)
	}
	if _, err := k.Packaged(); err == nil || !strings.Contains(err.Error(), "usecases") {
		t.Errorf("missing packaged folder: %v", err)
	}
}

// An own file that cannot be read is reported by name; the others load.
func TestKindReportsUnreadableFile(t *testing.T) {
	dataDir := t.TempDir()
	k := Kind{Dir: "usecases", Embedded: fstest.MapFS{}}
	own := k.OwnDir(dataDir)
	writeFiles(t, own, map[string]string{"gut.yaml": goodUseCase})
	// A link to nowhere: listed, but reading it fails (also for root).
	if err := os.Symlink(filepath.Join(dataDir, "gone"), filepath.Join(own, "weg.yaml")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	files, problems := k.Own(dataDir)
	if len(files) != 1 || files[0].Name != filepath.Join(own, "gut.yaml") {
		t.Errorf("files %v", files)
	}
	if len(problems) != 1 || problems[0].File != filepath.Join(own, "weg.yaml") || !strings.Contains(problems[0].Msg, "cannot be read") {
		t.Fatalf("problems %v", problems)
	}
	// The path is said once, in File, not again in the message.
	if strings.Count(problems[0].Error(), own) != 1 {
		t.Errorf("error %q", problems[0])
	}
}

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)

// FuzzDecode: any bytes in a municipality's file give a value that keeps
// the schema's promises, or errors that each name the file and say what
// is wrong; never a panic.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(goodUseCase))
	for _, name := range []string{"anfrage-klassifizieren.yaml", "besprechung-transkribieren.yaml"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "bundles", "usecases", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("id: [\n"))
	f.Add([]byte("---\na: 1\n---\nb: 2\n"))
	f.Add([]byte("thresholds: {decode_tps: {good: .nan, minimum: .inf}}\n"))
	f.Add([]byte("a: &x [*x]\n"))
	f.Add([]byte("\xff\xfe\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var u useCase
		doc, errs := Decode("fuzz.yaml", data, useCaseSchema, &u)
		if errs == nil {
			if doc == nil {
				t.Fatal("no document and no error")
			}
			if !idPattern.MatchString(u.ID) || u.Name == "" || u.ContextTokens < 1 || len(u.Candidates) == 0 {
				t.Fatalf("accepted a use case the schema forbids: %+v", u)
			}
			return
		}
		for _, e := range errs {
			if e.File != "fuzz.yaml" || e.Msg == "" || e.Line < 0 || e.Column < 0 {
				t.Fatalf("error without file or message: %#v", e)
			}
		}
	})
}
