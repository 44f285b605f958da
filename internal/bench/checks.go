package bench

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// CheckResult is the outcome of one check on one answer.
type CheckResult struct {
	Kind   string `json:"kind"` // contains, not_contains, regex, json_schema, length, language_is_german
	Passed bool   `json:"passed"`
	Detail string `json:"detail"` // why it failed, or the measured value
}

// checker is a compiled check.
type checker interface {
	kind() string
	run(answer string) CheckResult
}

// compile validates the check and prepares it. It returns the YAML field
// suffix (".regex") that an error refers to.
func (c *Check) compile() (string, error) {
	n := 0
	for _, set := range []bool{c.Contains != nil, c.NotContains != nil, c.Regex != nil,
		c.JSONSchema != nil, c.Length != nil, c.LanguageIsGerman != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		return "", fmt.Errorf("a check has exactly one of contains, not_contains, regex, json_schema, length, language_is_german (found %d)", n)
	}
	switch {
	case c.Contains != nil:
		if *c.Contains == "" {
			return ".contains", errors.New("contains: empty text")
		}
		c.compiled = containsCheck{text: *c.Contains, want: true}
	case c.NotContains != nil:
		if *c.NotContains == "" {
			return ".not_contains", errors.New("not_contains: empty text")
		}
		c.compiled = containsCheck{text: *c.NotContains, want: false}
	case c.Regex != nil:
		re, err := regexp.Compile(*c.Regex)
		if err != nil {
			return ".regex", fmt.Errorf("regex does not compile: %w", err)
		}
		c.compiled = regexCheck{re: re}
	case c.JSONSchema != nil:
		sch, err := compileSchema(c.JSONSchema)
		if err != nil {
			return ".json_schema", err
		}
		c.compiled = jsonCheck{schema: sch}
	case c.Length != nil:
		if c.Length.Min < 0 || (c.Length.Max > 0 && c.Length.Max < c.Length.Min) || (c.Length.Min == 0 && c.Length.Max == 0) {
			return ".length", fmt.Errorf("length: min %d, max %d: give min ≥ 0 and max ≥ min (max 0 = no upper bound)", c.Length.Min, c.Length.Max)
		}
		c.compiled = lengthCheck{b: *c.Length}
	case c.LanguageIsGerman != nil:
		r := c.LanguageIsGerman.MinRatio
		if r == 0 {
			r = DefaultGermanRatio
		}
		if r < 0 || r > 1 {
			return ".language_is_german.min_ratio", fmt.Errorf("min_ratio %g: use 0 to 1", r)
		}
		c.compiled = germanCheck{minRatio: r}
	}
	return "", nil
}

// compileSchema turns the YAML value of a json_schema check into a compiled
// JSON Schema (draft 2020-12 unless $schema says otherwise).
func compileSchema(v any) (*jsonschema.Schema, error) {
	// Round-trip through JSON so YAML's types become JSON's.
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("json_schema is not JSON-compatible: %w", err)
	}
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(string(raw)))
	if err != nil {
		return nil, fmt.Errorf("json_schema: %w", err)
	}
	if _, ok := doc.(map[string]any); !ok {
		return nil, errors.New("json_schema must be an object")
	}
	comp := jsonschema.NewCompiler()
	comp.DefaultDraft(jsonschema.Draft2020)
	if err := comp.AddResource("urn:kicheck:check", doc); err != nil {
		return nil, fmt.Errorf("json_schema: %w", err)
	}
	sch, err := comp.Compile("urn:kicheck:check")
	if err != nil {
		return nil, fmt.Errorf("json_schema is not a valid JSON Schema: %w", err)
	}
	return sch, nil
}

// Run applies the check to an answer.
func (c *Check) Run(answer string) CheckResult {
	if c.compiled == nil {
		if _, err := c.compile(); err != nil {
			return CheckResult{Kind: "invalid", Detail: err.Error()}
		}
	}
	return c.compiled.run(answer)
}

type containsCheck struct {
	text string
	want bool
}

func (c containsCheck) kind() string {
	if c.want {
		return "contains"
	}
	return "not_contains"
}

// run matches case-insensitively: "Frist" and "frist" are the same finding.
func (c containsCheck) run(answer string) CheckResult {
	found := strings.Contains(strings.ToLower(answer), strings.ToLower(c.text))
	r := CheckResult{Kind: c.kind(), Passed: found == c.want}
	switch {
	case c.want && !found:
		r.Detail = fmt.Sprintf("%q fehlt", c.text)
	case !c.want && found:
		r.Detail = fmt.Sprintf("%q kommt vor", c.text)
	}
	return r
}

type regexCheck struct{ re *regexp.Regexp }

func (c regexCheck) kind() string { return "regex" }
func (c regexCheck) run(answer string) CheckResult {
	if c.re.MatchString(answer) {
		return CheckResult{Kind: "regex", Passed: true}
	}
	return CheckResult{Kind: "regex", Detail: fmt.Sprintf("kein Treffer für %s", c.re)}
}

type jsonCheck struct{ schema *jsonschema.Schema }

func (c jsonCheck) kind() string { return "json_schema" }

func (c jsonCheck) run(answer string) CheckResult {
	body := ExtractJSON(answer)
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(body))
	if err != nil {
		return CheckResult{Kind: "json_schema", Detail: "kein gültiges JSON: " + err.Error()}
	}
	if err := c.schema.Validate(v); err != nil {
		return CheckResult{Kind: "json_schema", Detail: "JSON passt nicht zum Schema: " + oneLine(err.Error())}
	}
	return CheckResult{Kind: "json_schema", Passed: true}
}

// ExtractJSON returns the JSON part of an answer: models often wrap JSON in
// a Markdown code fence or add a sentence around it. The rule (docs/
// prompts.md): the text inside the first ``` fence if there is one, else
// from the first '{' or '[' to the last matching '}' or ']'.
func ExtractJSON(answer string) string {
	s := strings.TrimSpace(answer)
	if i := strings.Index(s, "```"); i >= 0 {
		rest := s[i+3:]
		if nl := strings.IndexByte(rest, '\n'); nl >= 0 {
			rest = rest[nl+1:] // skip the info string (```json)
		}
		if j := strings.Index(rest, "```"); j >= 0 {
			return strings.TrimSpace(rest[:j])
		}
		return strings.TrimSpace(rest)
	}
	start := strings.IndexAny(s, "{[")
	if start < 0 {
		return s
	}
	closer := byte('}')
	if s[start] == '[' {
		closer = ']'
	}
	end := strings.LastIndexByte(s, closer)
	if end < start {
		return s[start:]
	}
	return s[start : end+1]
}

type lengthCheck struct{ b LengthBounds }

func (c lengthCheck) kind() string { return "length" }
func (c lengthCheck) run(answer string) CheckResult {
	n := utf8.RuneCountInString(strings.TrimSpace(answer))
	r := CheckResult{Kind: "length", Detail: fmt.Sprintf("%d Zeichen", n)}
	switch {
	case n < c.b.Min:
		r.Detail = fmt.Sprintf("%d Zeichen, mindestens %d erwartet", n, c.b.Min)
	case c.b.Max > 0 && n > c.b.Max:
		r.Detail = fmt.Sprintf("%d Zeichen, höchstens %d erwartet", n, c.b.Max)
	default:
		r.Passed = true
	}
	return r
}

type germanCheck struct{ minRatio float64 }

func (c germanCheck) kind() string { return "language_is_german" }
func (c germanCheck) run(answer string) CheckResult {
	g := MeasureGerman(answer)
	r := CheckResult{Kind: "language_is_german",
		Detail: fmt.Sprintf("%d Wörter, Anteil deutscher Funktionswörter %.2f, englischer %.2f", g.Words, g.GermanRatio, g.EnglishRatio)}
	switch {
	case g.Words < minGermanWords:
		r.Detail = fmt.Sprintf("nur %d Wörter, zu wenig für die Spracherkennung (mindestens %d)", g.Words, minGermanWords)
	case g.GermanRatio < c.minRatio:
		r.Detail += fmt.Sprintf(", mindestens %.2f erwartet", c.minRatio)
	case g.GermanRatio <= g.EnglishRatio:
		r.Detail += ", eher Englisch"
	default:
		r.Passed = true
	}
	return r
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		s = s[:300] + " …"
	}
	return s
}

// RunChecks applies all checks of a prompt to an answer.
func RunChecks(p *Prompt, answer string) []CheckResult {
	out := make([]CheckResult, len(p.Checks))
	for i := range p.Checks {
		out[i] = p.Checks[i].Run(answer)
	}
	return out
}
