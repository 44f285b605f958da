package offers

import (
	"encoding/csv"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/ki-reise/kicheck/internal/learning"
	"github.com/ki-reise/kicheck/internal/moochub"
	"github.com/ki-reise/kicheck/internal/quiz"
)

// ExportOptions fill what the catalogue itself does not say.
type ExportOptions struct {
	// Publisher and PublisherURL name the municipality publishing the
	// catalogue (publisher and creator of every course).
	Publisher    string
	PublisherURL string
	// BaseURL is where the catalogue is published; a module without its
	// own link gets BaseURL#module-id as its url. The document's links
	// point to BaseURL too.
	BaseURL string
}

// ErrNoURL is returned when a module has no link and no BaseURL is given.
var ErrNoURL = fmt.Errorf("module without a link and no base URL")

var modeOf = map[string][]string{"praesenz": {"onsite"}, "online": {"online"}, "selbstlernen": {"online", "asynchronous"}}

// audienceOf maps roles to the LRMI educationalAudienceRole vocabulary:
// every role is staff of an administration ("professional"), leaders
// also "administrator".
var audienceOf = map[quiz.Role][]string{
	quiz.Anwender: {"professional"}, quiz.Fachverantwortlich: {"professional"},
	quiz.Fuehrungskraft: {"administrator", "professional"}, quiz.IT: {"professional"},
}

// CatalogueMOOChub writes the training catalogue as one MOOChub v3 page:
// one Course per module, teaching the module's areas (the framework's
// short codes "A3-mittel") and the DigComp 2.2 competences the framework
// relates to those areas, licensed as the catalogue (CC BY 4.0).
func CatalogueMOOChub(c *learning.Content, o ExportOptions) (*moochub.Document, error) {
	cat, fw := c.Catalogue, c.Framework
	if strings.TrimSpace(o.Publisher) == "" {
		return nil, &UsageError{Msg: msgf("offers.err.no_publisher")}
	}
	base := strings.TrimSpace(o.BaseURL)
	if base != "" {
		if u, err := url.Parse(base); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, &UsageError{Msg: msgf("offers.err.bad_base_url", "URL", moochub.Clean(base))}
		}
	}
	pub := moochub.Agent{Type: "Organization", Name: o.Publisher, URL: o.PublisherURL}
	roles := map[string][]quiz.Role{}
	for _, p := range cat.Paths {
		for _, m := range p.Modules {
			roles[m] = append(roles[m], p.Role)
		}
	}
	doc := &moochub.Document{}
	for _, m := range cat.Modules {
		link := m.Link
		if learning.IsPlaceholder(link) {
			if base == "" {
				return nil, &UsageError{Msg: msgf("offers.err.no_link", "Module", m.ID)}
			}
			link = strings.TrimRight(base, "#") + "#" + m.ID
		}
		a := moochub.Attributes{
			Name:                 m.Title,
			Description:          m.Description,
			LearningResourceType: moochub.CourseConcept,
			Publisher:            pub,
			URL:                  link,
			License:              []moochub.License{{Identifier: cat.License, URL: moochub.SPDXURL(cat.License)}},
			Creator:              []moochub.Agent{pub},
			Duration:             moochub.ISODuration(m.DurationMinutes),
			CourseMode:           modeOf[m.Format],
		}
		if cat.Language != "" {
			a.InLanguage = []string{cat.Language}
		}
		seenDig := map[string]bool{}
		for _, comp := range m.Competencies {
			area := fw.Area(comp.Area)
			if area == nil {
				continue
			}
			a.Keywords = appendNew(a.Keywords, area.Title)
			a.Teaches = append(a.Teaches, moochub.Skill{
				Name:                        []moochub.LangName{{InLanguage: "de", Name: area.Title + " (" + fw.LevelTitle(comp.Level) + ")"}},
				ShortCode:                   comp.Area + "-" + string(comp.Level),
				EducationalFramework:        fw.ID,
				EducationalFrameworkVersion: fw.Version,
			})
			for _, d := range area.DigComp {
				if seenDig[d] {
					continue
				}
				seenDig[d] = true
				for _, ref := range fw.DigComp {
					if ref.ID != d {
						continue
					}
					names := []moochub.LangName{{InLanguage: "en", Name: ref.TitleEN}}
					if ref.TitleDE != "" {
						names = append(names, moochub.LangName{InLanguage: "de", Name: ref.TitleDE})
					}
					a.Teaches = append(a.Teaches, moochub.Skill{Name: names, ShortCode: d,
						EducationalFramework: moochub.DigCompFramework, EducationalFrameworkVersion: moochub.DigCompVersion})
				}
			}
		}
		seenAud := map[string]bool{}
		for _, r := range roles[m.ID] {
			for _, au := range audienceOf[r] {
				if !seenAud[au] {
					seenAud[au] = true
					a.Audience = append(a.Audience, moochub.AudienceBase+au)
				}
			}
		}
		doc.Data = append(doc.Data, moochub.Course{ID: m.ID, Type: moochub.CourseType, Attributes: a})
	}
	self := base
	if self == "" {
		self = "urn:kicheck:catalogue:" + cat.ID + ":" + cat.Version
	}
	doc.Links = moochub.Links{Self: self, First: self, Last: self}
	return doc, nil
}

func appendNew(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

// PathsFormat is the format of the learning paths JSON
// (docs/schema/learning-paths.schema.json).
const PathsFormat = "kicheck-learning-paths/1"

// PathsDoc is the learning paths with the courses chosen per module.
type PathsDoc struct {
	Format    string     `json:"format"`
	Catalogue string     `json:"catalogue"`
	Framework string     `json:"framework"`
	License   string     `json:"license"`
	Paths     []PathJSON `json:"paths"`
}

// PathJSON is one role's path.
type PathJSON struct {
	Role    quiz.Role    `json:"role"`
	Title   string       `json:"title"`
	Modules []PathModule `json:"modules"`
}

// PathModule is a module in a path with its courses.
type PathModule struct {
	ID              string                `json:"id"`
	Title           string                `json:"title"`
	DurationMinutes int                   `json:"duration_minutes"`
	Format          string                `json:"format"`
	Level           quiz.Level            `json:"level"`
	Areas           []learning.Competency `json:"areas"`
	Courses         []learning.CourseRef  `json:"courses"`
}

// Paths builds the learning paths document (apply the database's
// assignments to the catalogue first, Apply).
func Paths(c *learning.Content) *PathsDoc {
	d := &PathsDoc{Format: PathsFormat, Catalogue: c.Catalogue.ID + "@" + c.Catalogue.Version, Framework: c.Framework.Ref(), License: c.Catalogue.License, Paths: []PathJSON{}}
	for _, p := range c.Catalogue.Paths {
		pj := PathJSON{Role: p.Role, Title: string(p.Role), Modules: []PathModule{}}
		if r := c.Framework.Role(p.Role); r != nil {
			pj.Title = r.Title
		}
		for _, id := range p.Modules {
			m := c.Catalogue.Module(id)
			if m == nil {
				continue
			}
			courses := m.Offers
			if courses == nil {
				courses = []learning.CourseRef{}
			}
			pj.Modules = append(pj.Modules, PathModule{ID: m.ID, Title: m.Title, DurationMinutes: m.DurationMinutes, Format: m.Format, Level: m.Level, Areas: m.Competencies, Courses: courses})
		}
		d.Paths = append(d.Paths, pj)
	}
	return d
}

// WriteCSV writes one row per role, module and course (a module without
// a chosen course has one row with empty course fields).
func (d *PathsDoc) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"role", "position", "module_id", "module_title", "duration_minutes", "format", "level", "own_training", "course_title", "course_provider", "course_url", "course_duration_minutes", "course_language", "course_cost"})
	for _, p := range d.Paths {
		for i, m := range p.Modules {
			row := []string{string(p.Role), strconv.Itoa(i + 1), m.ID, m.Title, strconv.Itoa(m.DurationMinutes), m.Format, string(m.Level)}
			if len(m.Courses) == 0 {
				cw.Write(append(row, "false", "", "", "", "", "", ""))
				continue
			}
			for _, c := range m.Courses {
				dur := ""
				if c.DurationMinutes > 0 {
					dur = strconv.Itoa(c.DurationMinutes)
				}
				cw.Write(append(append([]string{}, row...), strconv.FormatBool(c.Own), csvSafe(c.Title), csvSafe(c.Provider), csvSafe(c.URL), dur, c.Language, csvSafe(c.Cost)))
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
