package policy

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/ki-reise/kicheck/bundles"
	"github.com/ki-reise/kicheck/internal/bundle"
	"github.com/ki-reise/kicheck/internal/dataclass"
	"github.com/ki-reise/kicheck/internal/i18n"
)

// Format is the value of the format field this build reads.
const Format = "kicheck-policy/1"

// Decisions of a rule.
const (
	Allowed           = "erlaubt"
	AllowedConditions = "erlaubt_mit_auflagen"
	Forbidden         = "verboten"
)

// Tool kinds as written in tools[].kind.
const (
	KindWorkplace = "arbeitsplatz"
	KindServer    = "server"
	KindCloud     = "cloud"
)

// Tool classes the rules are written for: the kind, and for a cloud
// service whether a data-processing agreement (AVV, Art. 28 DSGVO) exists.
const (
	ClassWorkplace = "arbeitsplatz"
	ClassServer    = "server"
	ClassCloudAVV  = "cloud_mit_avv"
	ClassCloudNone = "cloud_ohne_avv"
)

// ToolClasses lists the tool classes in table order.
var ToolClasses = []string{ClassWorkplace, ClassServer, ClassCloudAVV, ClassCloudNone}

// Variants of the rendered document.
const (
	Leitlinie          = "leitlinie"
	Dienstanweisung    = "dienstanweisung"
	Dienstvereinbarung = "dienstvereinbarung"
)

// Variants lists the variants in order.
var Variants = []string{Leitlinie, Dienstanweisung, Dienstvereinbarung}

// RequiredRoles must each be in every policy.
var RequiredRoles = []string{"verwaltungsleitung", "ki_beauftragte", "dsb", "isb", "personalrat"}

// Policy is one policy file. Field names match the YAML.
type Policy struct {
	Format      string     `yaml:"format" json:"format"`
	ID          string     `yaml:"id" json:"id"`
	Version     string     `yaml:"version" json:"version"`
	Title       string     `yaml:"title" json:"title"`
	Kommune     string     `yaml:"kommune" json:"kommune,omitempty"`
	Stand       string     `yaml:"stand" json:"stand"`
	License     string     `yaml:"license" json:"license,omitempty"`
	PassPercent float64    `yaml:"pass_percent" json:"pass_percent"`
	Tools       []Tool     `yaml:"tools" json:"tools"`
	Purposes    []Purpose  `yaml:"purposes" json:"purposes,omitempty"`
	Rules       []Rule     `yaml:"rules" json:"rules"`
	Roles       []Role     `yaml:"roles" json:"roles"`
	Approval    []Step     `yaml:"approval" json:"approval"`
	KIPass      []PassRule `yaml:"ki_pass" json:"ki_pass"`
	Clauses     []Clause   `yaml:"clauses" json:"clauses"`

	// Source is the file it came from; Packaged is true for the Muster.
	Source   string `yaml:"-" json:"source"`
	Packaged bool   `yaml:"-" json:"packaged"`
}

// Tool is an approved AI tool.
type Tool struct {
	ID   string `yaml:"id" json:"id"`
	Kind string `yaml:"kind" json:"kind"`
	Name string `yaml:"name" json:"name"`
	Host string `yaml:"host,omitempty" json:"host,omitempty"`
	AVV  bool   `yaml:"avv,omitempty" json:"avv"`
}

// Class is the tool class its rules are written for.
func (t Tool) Class() string {
	switch t.Kind {
	case KindWorkplace:
		return ClassWorkplace
	case KindServer:
		return ClassServer
	}
	if t.AVV {
		return ClassCloudAVV
	}
	return ClassCloudNone
}

// Purpose is what a tool is used for.
type Purpose struct {
	ID   string `yaml:"id" json:"id"`
	Name string `yaml:"name" json:"name"`
}

// Rule decides tool class × data classes × purposes (none = all).
type Rule struct {
	Tool        string   `yaml:"tool" json:"tool"`
	DataClasses []string `yaml:"data_classes" json:"data_classes"`
	Purposes    []string `yaml:"purposes,omitempty" json:"purposes,omitempty"`
	Decision    string   `yaml:"decision" json:"decision"`
	Conditions  []string `yaml:"conditions,omitempty" json:"conditions,omitempty"`
	Clause      string   `yaml:"clause" json:"clause"`
}

func (r Rule) covers(tool string, dc dataclass.Class, purpose string) bool {
	return r.Tool == tool && slices.Contains(r.DataClasses, string(dc)) &&
		(len(r.Purposes) == 0 || purpose == "" || slices.Contains(r.Purposes, purpose))
}

// Role is a governance role.
type Role struct {
	ID     string `yaml:"id" json:"id"`
	Name   string `yaml:"name" json:"name"`
	Duties string `yaml:"duties" json:"duties"`
	Person string `yaml:"person,omitempty" json:"person,omitempty"`
}

// Step is one step of the approval path for a new use.
type Step struct {
	ID           string   `yaml:"id" json:"id"`
	Name         string   `yaml:"name" json:"name"`
	Roles        []string `yaml:"roles" json:"roles"`
	ReviewMonths int      `yaml:"review_months,omitempty" json:"review_months,omitempty"`
	Text         string   `yaml:"text" json:"text"`
}

// PassRule is part of the KI-Pass: what a staff role (the competency
// framework's role profiles) needs before using the tools named.
type PassRule struct {
	Role     string   `yaml:"role" json:"role"`
	Tools    []string `yaml:"tools" json:"tools"`
	Quizzes  []string `yaml:"quizzes,omitempty" json:"quizzes,omitempty"`
	Training []string `yaml:"training,omitempty" json:"training,omitempty"`
}

// Clause is one rule of the clause library, with its legal references and
// the variants it belongs to.
type Clause struct {
	ID       string   `yaml:"id" json:"id"`
	Section  string   `yaml:"section" json:"section"`
	Variants []string `yaml:"variants" json:"variants"`
	Title    string   `yaml:"title" json:"title"`
	Text     string   `yaml:"text" json:"text"`
	Refs     []string `yaml:"refs,omitempty" json:"refs,omitempty"`
}

// Tool returns the tool with the id, or the first tool of that kind
// ("cloud" finds the cloud service even when its id is another).
func (p *Policy) Tool(idOrKind string) (Tool, bool) {
	for _, t := range p.Tools {
		if t.ID == idOrKind {
			return t, true
		}
	}
	for _, t := range p.Tools {
		if t.Kind == idOrKind {
			return t, true
		}
	}
	return Tool{}, false
}

// Clause returns the clause with the id.
func (p *Policy) Clause(id string) (Clause, bool) {
	for _, c := range p.Clauses {
		if c.ID == id {
			return c, true
		}
	}
	return Clause{}, false
}

// Role returns the governance role with the id.
func (p *Policy) Role(id string) (Role, bool) {
	for _, r := range p.Roles {
		if r.ID == id {
			return r, true
		}
	}
	return Role{}, false
}

// Ref is what names a policy in reports and logs: id, version, source.
type Ref struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	Stand   string `json:"stand,omitempty"`
	Source  string `json:"source,omitempty"`
}

// Ref names the policy.
func (p *Policy) Ref() Ref {
	return Ref{ID: p.ID, Version: p.Version, Stand: p.Stand, Source: p.Source}
}

// MaxFileSize caps a policy file; the Muster is about 20 KiB.
const MaxFileSize = 1 << 20

var (
	policyKind   = bundle.Kind{Dir: "policy", Embedded: bundles.Policy}
	policySchema = bundle.NewSchema("policy.schema.json")
)

// MusterFile is the packaged policy's file name.
const MusterFile = "bundles/policy/muster.yaml"

// Muster returns the packaged model policy.
func Muster() *Policy {
	b, err := fs.ReadFile(bundles.Policy, "policy/muster.yaml")
	if err != nil {
		panic("embedded policy missing: " + err.Error())
	}
	p, errs := Parse(MusterFile, b)
	if errs != nil {
		panic("embedded policy invalid: " + errs.Error())
	}
	p.Packaged = true
	return p
}

// OwnDir is the folder of the municipality's policy files.
func OwnDir(dataDir string) string { return policyKind.OwnDir(dataDir) }

// Parse reads and validates one policy file: the schema, then the rules a
// schema cannot say (known data classes, purposes, tools and clauses; no
// rule contradicting another; every required role). Each problem names
// file, line and field.
func Parse(name string, data []byte) (*Policy, bundle.Errors) {
	if len(data) > MaxFileSize {
		return nil, bundle.Errors{{File: name, Msg: fmt.Sprintf("file is larger than %d KiB", MaxFileSize>>10)}}
	}
	var p Policy
	doc, errs := bundle.Decode(name, data, policySchema, &p)
	if errs != nil {
		return nil, errs
	}
	if errs := p.validate(doc); errs != nil {
		return nil, errs
	}
	p.Source = name
	return &p, nil
}

func (p *Policy) validate(doc *bundle.Document) bundle.Errors {
	var errs bundle.Errors
	add := func(field, format string, a ...any) {
		errs = append(errs, doc.ErrorAt(field, fmt.Sprintf(format, a...)))
	}

	ids := func(list string, n int, id func(int) string) map[string]bool {
		seen := map[string]bool{}
		for i := 0; i < n; i++ {
			if seen[id(i)] {
				add(fmt.Sprintf("%s[%d].id", list, i), "id %q appears twice", id(i))
			}
			seen[id(i)] = true
		}
		return seen
	}
	toolIDs := ids("tools", len(p.Tools), func(i int) string { return p.Tools[i].ID })
	purposeIDs := ids("purposes", len(p.Purposes), func(i int) string { return p.Purposes[i].ID })
	roleIDs := ids("roles", len(p.Roles), func(i int) string { return p.Roles[i].ID })
	clauseIDs := ids("clauses", len(p.Clauses), func(i int) string { return p.Clauses[i].ID })
	ids("approval", len(p.Approval), func(i int) string { return p.Approval[i].ID })

	for i, t := range p.Tools {
		if t.Kind != KindCloud && t.AVV {
			add(fmt.Sprintf("tools[%d].avv", i), "only a cloud service has a data-processing agreement (avv); remove it or set kind: cloud")
		}
	}
	for _, r := range RequiredRoles {
		if !roleIDs[r] {
			add("roles", "the role %q is missing (every policy names %s)", r, strings.Join(RequiredRoles, ", "))
		}
	}
	for i, r := range p.Rules {
		f := fmt.Sprintf("rules[%d]", i)
		for j, dc := range r.DataClasses {
			if _, err := dataclass.Parse(dc); err != nil {
				add(fmt.Sprintf("%s.data_classes[%d]", f, j), "%v", err)
			}
		}
		for j, pu := range r.Purposes {
			if !purposeIDs[pu] {
				add(fmt.Sprintf("%s.purposes[%d]", f, j), "unknown purpose %q (not in purposes)", pu)
			}
		}
		if !clauseIDs[r.Clause] {
			add(f+".clause", "unknown clause %q (not in clauses)", r.Clause)
		}
		if r.Decision == AllowedConditions && len(r.Conditions) == 0 {
			add(f+".conditions", "%s needs at least one condition (which Auflagen?)", AllowedConditions)
		}
		if r.Decision != AllowedConditions && len(r.Conditions) > 0 {
			add(f+".conditions", "conditions belong only to %s, not to %s", AllowedConditions, r.Decision)
		}
	}
	// A contradiction: two rules for the same tool class, data class and
	// purpose with different decisions.
	for i, a := range p.Rules {
		for j := 0; j < i; j++ {
			b := p.Rules[j]
			if a.Tool != b.Tool || a.Decision == b.Decision {
				continue
			}
			for _, dc := range a.DataClasses {
				if !slices.Contains(b.DataClasses, dc) || !purposesOverlap(a.Purposes, b.Purposes) {
					continue
				}
				add(fmt.Sprintf("rules[%d].decision", i), "contradicts rules[%d] (line %d): %s × %s is both %s and %s",
					j, doc.ErrorAt(fmt.Sprintf("rules[%d].decision", j), "").Line, a.Tool, dc, b.Decision, a.Decision)
				break
			}
		}
	}
	for i, s := range p.Approval {
		for j, r := range s.Roles {
			if !roleIDs[r] {
				add(fmt.Sprintf("approval[%d].roles[%d]", i, j), "unknown role %q (not in roles)", r)
			}
		}
	}
	for i, k := range p.KIPass {
		for j, t := range k.Tools {
			if !toolIDs[t] {
				add(fmt.Sprintf("ki_pass[%d].tools[%d]", i, j), "unknown tool %q (not in tools)", t)
			}
		}
	}
	for i, c := range p.Clauses {
		seen := map[string]bool{}
		for j, v := range c.Variants {
			if seen[v] {
				add(fmt.Sprintf("clauses[%d].variants[%d]", i, j), "variant %q appears twice", v)
			}
			seen[v] = true
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return sortErrs(errs)
}

func purposesOverlap(a, b []string) bool {
	if len(a) == 0 || len(b) == 0 {
		return true
	}
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

func sortErrs(es bundle.Errors) bundle.Errors {
	slices.SortStableFunc(es, func(a, b *bundle.Error) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Column - b.Column
	})
	return es
}

// Selection is what IT's central policy file names (both may be empty).
type Selection struct {
	ID      string
	Version string
	Source  string // the central file, for messages
}

// Loaded is the policy in force and what was refused on the way.
type Loaded struct {
	Policy *Policy
	// Problems are own files that were refused, and a selection that
	// could not be met; the policy in force is still usable.
	Problems []error
	// All are every valid policy found (the Muster first).
	All []*Policy
}

// Load finds the policy in force: the one IT names (id, and version if
// given), else the last valid file of the municipality (name order), else
// the packaged Muster. Broken files are reported in Problems and never
// put in force.
func Load(dataDir string, sel Selection) *Loaded {
	l := &Loaded{Policy: Muster()}
	l.All = []*Policy{l.Policy}
	files, problems := policyKind.Own(dataDir)
	for _, e := range problems {
		l.Problems = append(l.Problems, &FileError{Errs: bundle.Errors{e}})
	}
	for _, f := range files {
		p, errs := Parse(f.Name, f.Data)
		if errs != nil {
			l.Problems = append(l.Problems, &FileError{Errs: errs})
			continue
		}
		l.All = append(l.All, p)
	}
	if sel.ID == "" {
		l.Policy = l.All[len(l.All)-1]
		return l
	}
	for i := len(l.All) - 1; i >= 0; i-- {
		p := l.All[i]
		if p.ID == sel.ID && (sel.Version == "" || p.Version == sel.Version) {
			l.Policy = p
			return l
		}
	}
	l.Problems = append(l.Problems, &SelectionError{Sel: sel, InForce: l.Policy.Ref()})
	return l
}

// FileError is a refused policy file (every problem, in file order).
type FileError struct{ Errs bundle.Errors }

func (e *FileError) Error() string { return "policy file refused: " + e.Errs.Error() }
func (e *FileError) Unwrap() error { return e.Errs }

// Hint says what to do (English; a person gets Localize).
func (e *FileError) Hint() string { return i18n.T("en", "policy.file_error.hint") }

// Localize renders every problem (file:line:column, one a line) and what
// to do in lang.
func (e *FileError) Localize(lang string) (msg, hint string) {
	msg, _ = e.Errs.Localize(lang)
	return msg, i18n.T(lang, "policy.file_error.hint")
}

// SelectionError is a policy named by IT that was not found.
type SelectionError struct {
	Sel     Selection
	InForce Ref
}

func (e *SelectionError) Error() string {
	want := e.Sel.ID
	if e.Sel.Version != "" {
		want += " version " + e.Sel.Version
	}
	return fmt.Sprintf("the central policy file %s names the AI policy %s, which is not installed; %s version %s stays in force", e.Sel.Source, want, e.InForce.ID, e.InForce.Version)
}

// Hint says what to do.
func (e *SelectionError) Hint() string {
	return "put the policy file into the data folder's bundles/policy/ or correct ki_policy/ki_policy_version in the central policy file"
}

// ErrNotFound is returned by Find for an unknown id.
var ErrNotFound = errors.New("no such policy")
