package learning

import (
	"fmt"
	"slices"

	"github.com/ki-reise/kicheck/internal/quiz"
)

// FrameworkFormat is the value of a framework file's format field.
const FrameworkFormat = "kicheck-competencies/1"

// Framework is a competency framework (docs/competencies.md).
type Framework struct {
	Format      string          `yaml:"format" json:"format"`
	ID          string          `yaml:"id" json:"id"`
	Version     string          `yaml:"version" json:"version"`
	Title       string          `yaml:"title" json:"title"`
	Language    string          `yaml:"language" json:"language,omitempty"`
	License     string          `yaml:"license" json:"license"`
	Attribution string          `yaml:"attribution" json:"attribution,omitempty"`
	Sources     []Source        `yaml:"sources" json:"sources,omitempty"`
	Levels      []LevelInfo     `yaml:"levels" json:"levels"`
	DigComp     []DigCompRef    `yaml:"digcomp" json:"digcomp,omitempty"`
	Guidance    []GuidancePoint `yaml:"guidance" json:"guidance,omitempty"`
	Areas       []Area          `yaml:"areas" json:"areas"`
	Roles       []RoleProfile   `yaml:"roles" json:"roles"`
}

// Source is a published framework this one is mapped to.
type Source struct {
	ID        string `yaml:"id" json:"id"`
	Title     string `yaml:"title" json:"title"`
	Publisher string `yaml:"publisher" json:"publisher,omitempty"`
	Year      int    `yaml:"year" json:"year,omitempty"`
	Reference string `yaml:"reference" json:"reference,omitempty"`
	// AsOf is the "Stand" of a legal source: the date (YYYY-MM-DD) its
	// summary was last checked.
	AsOf string `yaml:"as_of" json:"as_of,omitempty"`
}

// LevelInfo describes one of the four proficiency levels.
type LevelInfo struct {
	ID            quiz.Level `yaml:"id" json:"id"`
	Title         string     `yaml:"title" json:"title"`
	TitleEN       string     `yaml:"title_en" json:"title_en,omitempty"`
	DigCompLevels []int      `yaml:"digcomp_levels" json:"digcomp_levels,omitempty"`
	Description   string     `yaml:"description" json:"description"`
}

// DigCompRef is a DigComp 2.2 competence (number and title).
type DigCompRef struct {
	ID      string `yaml:"id" json:"id"`
	TitleEN string `yaml:"title_en" json:"title_en"`
	TitleDE string `yaml:"title_de" json:"title_de,omitempty"`
}

// GuidancePoint is one point of the Commission's Art. 4 guidance.
type GuidancePoint struct {
	ID          string `yaml:"id" json:"id"`
	Title       string `yaml:"title" json:"title"`
	Description string `yaml:"description" json:"description,omitempty"`
}

// Area is a competency area with what each level means in it.
type Area struct {
	ID          string                `yaml:"id" json:"id"`
	Title       string                `yaml:"title" json:"title"`
	TitleEN     string                `yaml:"title_en" json:"title_en,omitempty"`
	Description string                `yaml:"description" json:"description,omitempty"`
	DigComp     []string              `yaml:"digcomp" json:"digcomp,omitempty"`
	Guidance    []string              `yaml:"guidance" json:"guidance,omitempty"`
	Descriptors map[quiz.Level]string `yaml:"descriptors" json:"descriptors"`
}

// RoleProfile gives a role's target level per area.
type RoleProfile struct {
	ID          quiz.Role             `yaml:"id" json:"id"`
	Title       string                `yaml:"title" json:"title"`
	TitleEN     string                `yaml:"title_en" json:"title_en,omitempty"`
	Description string                `yaml:"description" json:"description,omitempty"`
	Targets     map[string]quiz.Level `yaml:"targets" json:"targets"`
}

// Ref is how quiz bundles name the framework: id@version.
func (f *Framework) Ref() string { return f.ID + "@" + f.Version }

// Area returns the area with the id, or nil.
func (f *Framework) Area(id string) *Area {
	for i := range f.Areas {
		if f.Areas[i].ID == id {
			return &f.Areas[i]
		}
	}
	return nil
}

// Role returns the role profile, or nil.
func (f *Framework) Role(id quiz.Role) *RoleProfile {
	for i := range f.Roles {
		if f.Roles[i].ID == id {
			return &f.Roles[i]
		}
	}
	return nil
}

// LevelTitle returns the display title of a level ("Mittel").
func (f *Framework) LevelTitle(l quiz.Level) string {
	for _, li := range f.Levels {
		if li.ID == l {
			return li.Title
		}
	}
	return string(l)
}

// The bundle's titles are German (the framework's language); title_en
// gives an English run its own. The Label methods pick the reader's:
// title_en in English, where the bundle has it, else KI-Check's English
// name of a standard role, else the German title.

// LevelLabel is the display title of a level in lang.
func (f *Framework) LevelLabel(l quiz.Level, lang string) string {
	for _, li := range f.Levels {
		if li.ID == l {
			return inLang(lang, li.Title, li.TitleEN, "")
		}
	}
	return string(l)
}

// RoleLabel is the display title of a role in lang; an unknown role is
// returned as it is.
func (f *Framework) RoleLabel(r quiz.Role, lang string) string {
	std := ""
	if slices.Contains(quiz.Roles, r) {
		std = r.Label(lang)
	}
	if p := f.Role(r); p != nil {
		return inLang(lang, p.Title, p.TitleEN, std)
	}
	if std != "" {
		return std
	}
	return string(r)
}

// AreaLabel is the title of the area with the id in lang; the id when the
// framework does not have the area.
func (f *Framework) AreaLabel(id, lang string) string {
	if a := f.Area(id); a != nil {
		return a.Label(lang)
	}
	return id
}

// Label is the area's title in lang.
func (a *Area) Label(lang string) string { return inLang(lang, a.Title, a.TitleEN, "") }

func inLang(lang, title, titleEN, std string) string {
	if lang != "en" {
		return title
	}
	switch {
	case titleEN != "":
		return titleEN
	case std != "":
		return std
	}
	return title
}

// Rank orders levels: 0 = none (below Grundlage), 1 = grundlage … 4 =
// hochspezialisiert.
func Rank(l quiz.Level) int { return slices.Index(quiz.Levels, l) + 1 }

func parseFramework(file string, data []byte) (*Framework, error) {
	var f Framework
	doc, err := decode(file, data, competenciesSchema, &f)
	if err != nil {
		return nil, err
	}
	var errs FileErrors
	bad := func(field, format string, a ...any) {
		errs = append(errs, fileError(doc.ErrorAt(field, fmt.Sprintf(format, a...))))
	}
	digcomp := map[string]bool{}
	for _, d := range f.DigComp {
		digcomp[d.ID] = true
	}
	guidance := map[string]bool{}
	for _, g := range f.Guidance {
		guidance[g.ID] = true
	}
	for i, l := range f.Levels {
		if l.ID != quiz.Levels[i] {
			bad(fmt.Sprintf("levels[%d].id", i), "level %d must be %q (levels are listed from lowest to highest)", i+1, quiz.Levels[i])
		}
	}
	areas := map[string]bool{}
	for i, a := range f.Areas {
		if areas[a.ID] {
			bad(fmt.Sprintf("areas[%d].id", i), "duplicate area id %q", a.ID)
		}
		areas[a.ID] = true
		for j, d := range a.DigComp {
			if !digcomp[d] {
				bad(fmt.Sprintf("areas[%d].digcomp[%d]", i, j), "DigComp competence %q is not listed under digcomp", d)
			}
		}
		for j, g := range a.Guidance {
			if !guidance[g] {
				bad(fmt.Sprintf("areas[%d].guidance[%d]", i, j), "guidance point %q is not listed under guidance", g)
			}
		}
	}
	roles := map[quiz.Role]bool{}
	for i, r := range f.Roles {
		if roles[r.ID] {
			bad(fmt.Sprintf("roles[%d].id", i), "duplicate role %q", r.ID)
		}
		roles[r.ID] = true
		for _, a := range f.Areas {
			if _, ok := r.Targets[a.ID]; !ok {
				bad(fmt.Sprintf("roles[%d].targets", i), "no target level for area %s", a.ID)
			}
		}
		for id := range r.Targets {
			if !areas[id] {
				bad(fmt.Sprintf("roles[%d].targets.%s", i, id), "unknown area %q", id)
			}
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return &f, nil
}
