package learning

import (
	"fmt"
	"strings"

	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/quiz"
)

// CatalogueFormat is the value of a catalogue file's format field.
const CatalogueFormat = "kicheck-training/1"

// Placeholder marks a provider or link the municipality still has to fill
// in. It is shown as such, never as a real offer.
const Placeholder = "von der Kommune einzutragen"

// Catalogue is the training catalogue with learning paths
// (docs/training.md).
type Catalogue struct {
	Format    string   `yaml:"format" json:"format"`
	ID        string   `yaml:"id" json:"id"`
	Version   string   `yaml:"version" json:"version"`
	Title     string   `yaml:"title" json:"title"`
	Language  string   `yaml:"language" json:"language,omitempty"`
	License   string   `yaml:"license" json:"license"`
	Framework string   `yaml:"framework" json:"framework"`
	Modules   []Module `yaml:"modules" json:"modules"`
	Paths     []Path   `yaml:"paths" json:"paths"`
}

// Module is one training offer.
type Module struct {
	ID              string       `yaml:"id" json:"id"`
	Title           string       `yaml:"title" json:"title"`
	Description     string       `yaml:"description" json:"description,omitempty"`
	DurationMinutes int          `yaml:"duration_minutes" json:"duration_minutes"`
	Format          string       `yaml:"format" json:"format"` // praesenz, online, selbstlernen
	Level           quiz.Level   `yaml:"level" json:"level"`
	Competencies    []Competency `yaml:"competencies" json:"competencies"`
	Provider        string       `yaml:"provider" json:"provider"`
	Link            string       `yaml:"link" json:"link"`
	// Offers are the courses chosen for the module: external offers
	// analysed with package offers, or the municipality's own training.
	Offers []CourseRef `yaml:"offers,omitempty" json:"offers,omitempty"`
}

// OwnTraining is how a module the municipality runs itself is named.
const OwnTraining = "eigene Schulung"

// CourseRef is a concrete course chosen for a module: an external offer
// with its link, or (Own) the municipality's own training.
type CourseRef struct {
	Own             bool   `yaml:"own,omitempty" json:"own,omitempty"`
	Title           string `yaml:"title,omitempty" json:"title,omitempty"`
	Provider        string `yaml:"provider,omitempty" json:"provider,omitempty"`
	URL             string `yaml:"url,omitempty" json:"url,omitempty"`
	DurationMinutes int    `yaml:"duration_minutes,omitempty" json:"duration_minutes,omitempty"`
	Language        string `yaml:"language,omitempty" json:"language,omitempty"`
	Cost            string `yaml:"cost,omitempty" json:"cost,omitempty"`
}

// Competency is an area at a level.
type Competency struct {
	Area  string     `yaml:"area" json:"area"`
	Level quiz.Level `yaml:"level" json:"level"`
}

// Path is a role's learning path: modules in the recommended order.
type Path struct {
	Role    quiz.Role `yaml:"role" json:"role"`
	Modules []string  `yaml:"modules" json:"modules"`
}

// formatIDs are the message ids of a module's formats: Präsenz and online
// share the learning offers' modes.
var formatIDs = map[string]string{"praesenz": "offers.mode.onsite", "online": "offers.mode.online", "selbstlernen": "learning.format.selbstlernen"}

// FormatLabel is the display title of a module format in lang; an unknown
// format is returned as it is.
func FormatLabel(f, lang string) string {
	if id, ok := formatIDs[f]; ok {
		return i18n.T(lang, id)
	}
	return f
}

// IsPlaceholder reports whether a provider or link still has to be filled
// in by the municipality.
func IsPlaceholder(s string) bool {
	return strings.TrimSpace(s) == "" || strings.EqualFold(strings.TrimSpace(s), Placeholder)
}

// Module returns the module with the id, or nil.
func (c *Catalogue) Module(id string) *Module {
	for i := range c.Modules {
		if c.Modules[i].ID == id {
			return &c.Modules[i]
		}
	}
	return nil
}

// Path returns the learning path of a role, or nil.
func (c *Catalogue) Path(r quiz.Role) *Path {
	for i := range c.Paths {
		if c.Paths[i].Role == r {
			return &c.Paths[i]
		}
	}
	return nil
}

func parseCatalogue(file string, data []byte, fw *Framework) (*Catalogue, error) {
	var c Catalogue
	doc, err := decode(file, data, trainingSchema, &c)
	if err != nil {
		return nil, err
	}
	var errs FileErrors
	for _, p := range c.problems(fw) {
		errs = append(errs, fileError(doc.ErrorAt(p.field, p.msg)))
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return &c, nil
}

type problem struct{ field, msg string }

func (c *Catalogue) problems(fw *Framework) []problem {
	var ps []problem
	if c.Framework != fw.Ref() {
		ps = append(ps, problem{"framework", fmt.Sprintf("the catalogue is written for %s, the framework in use is %s", c.Framework, fw.Ref())})
	}
	ids := map[string]bool{}
	for i, m := range c.Modules {
		if ids[m.ID] {
			ps = append(ps, problem{fmt.Sprintf("modules[%d].id", i), fmt.Sprintf("duplicate module id %q", m.ID)})
		}
		ids[m.ID] = true
		for j, comp := range m.Competencies {
			if fw.Area(comp.Area) == nil {
				ps = append(ps, problem{fmt.Sprintf("modules[%d].competencies[%d].area", i, j), fmt.Sprintf("unknown area %q (the framework has %s)", comp.Area, areaIDs(fw))})
			}
		}
	}
	roles := map[quiz.Role]bool{}
	for i, p := range c.Paths {
		roles[p.Role] = true
		for j, id := range p.Modules {
			if !ids[id] {
				ps = append(ps, problem{fmt.Sprintf("paths[%d].modules[%d]", i, j), fmt.Sprintf("unknown module %q", id)})
			}
		}
	}
	for _, r := range fw.Roles {
		if !roles[r.ID] {
			ps = append(ps, problem{"paths", fmt.Sprintf("no learning path for role %s", r.ID)})
		}
	}
	return ps
}

// check returns the problems as errors (for a catalogue loaded earlier).
func (c *Catalogue) check(fw *Framework) []error {
	var out []error
	for _, p := range c.problems(fw) {
		out = append(out, fmt.Errorf("%s: %s", p.field, p.msg))
	}
	return out
}

func areaIDs(fw *Framework) string {
	s := make([]string, len(fw.Areas))
	for i, a := range fw.Areas {
		s[i] = a.ID
	}
	return strings.Join(s, ", ")
}
