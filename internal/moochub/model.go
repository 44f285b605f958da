package moochub

// Version is the MOOChub version this package reads and writes.
const Version = "3"

// Fixed values of the format.
const (
	CourseType         = "Course"
	CourseResourceType = "https://w3id.org/kim/hcrt/course"
	HCRTScheme         = "https://w3id.org/kim/hcrt/scheme"
	// AudienceBase is the prefix of the LRMI educationalAudienceRole
	// vocabulary's IRIs.
	AudienceBase = "http://purl.org/dcx/lrmi-vocabs/educationalAudienceRole/"
	// DigCompFramework and DigCompVersion name DigComp 2.2 in teaches.
	DigCompFramework = "DigComp"
	DigCompVersion   = "2.2"
)

// Document is one page of a catalogue.
type Document struct {
	Links Links    `json:"links"`
	Data  []Course `json:"data"`
}

// Links are the JSON:API pagination links (IRIs). Next and Prev are empty
// on the last and the first page.
type Links struct {
	Self  string `json:"self"`
	First string `json:"first"`
	Last  string `json:"last"`
	Next  string `json:"next,omitempty"`
	Prev  string `json:"prev,omitempty"`
}

// Course is one item of data.
type Course struct {
	ID         string     `json:"id"`
	Type       string     `json:"type"`
	Attributes Attributes `json:"attributes"`
}

// Attributes are the attributes KI-Check reads and writes; others in a
// feed are ignored.
type Attributes struct {
	Name                 string    `json:"name"`
	Description          string    `json:"description,omitempty"`
	LearningResourceType Concept   `json:"learningResourceType"`
	Publisher            Agent     `json:"publisher"`
	URL                  string    `json:"url"`
	License              []License `json:"license"`
	Creator              []Agent   `json:"creator"`
	InLanguage           []string  `json:"inLanguage,omitempty"`
	// Duration is an ISO 8601 duration (PT3H).
	Duration   string    `json:"duration,omitempty"`
	Workload   *Workload `json:"workload,omitempty"`
	CourseMode []string  `json:"courseMode,omitempty"`
	Access     []string  `json:"access,omitempty"`
	Keywords   []string  `json:"keywords,omitempty"`
	Teaches    []Skill   `json:"teaches,omitempty"`
	Audience   []string  `json:"audience,omitempty"`
}

// Concept is an entry of a SKOS vocabulary.
type Concept struct {
	Identifier string `json:"identifier"`
	Type       string `json:"type"`
	InScheme   string `json:"inScheme"`
}

// CourseConcept is the learningResourceType every course carries.
var CourseConcept = Concept{Identifier: CourseResourceType, Type: "Concept", InScheme: HCRTScheme}

// Agent is an Organization (Name, URL) or a Person (Name).
type Agent struct {
	Type string `json:"type"`
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

// License is an SPDX licence id (or "proprietary") with its URL; URL is
// written as null when empty.
type License struct {
	Identifier string  `json:"identifier"`
	URL        *string `json:"url"`
}

// Workload is the expected effort per month, week or day.
type Workload struct {
	TimeValue int    `json:"timeValue"`
	TimeUnit  string `json:"timeUnit"` // h/month, h/week, h/day
}

// Skill is one competence a course teaches, in a named framework.
type Skill struct {
	Name                        []LangName `json:"name"`
	ShortCode                   string     `json:"shortCode,omitempty"`
	EducationalFramework        string     `json:"educationalFramework"`
	EducationalFrameworkVersion string     `json:"educationalFrameworkVersion,omitempty"`
	URL                         string     `json:"url,omitempty"`
}

// LangName is a name in one language.
type LangName struct {
	InLanguage string `json:"inLanguage"`
	Name       string `json:"name"`
}

// IsDigComp reports whether the skill names DigComp (any spelling of the
// framework's name that starts with "DigComp").
func (s Skill) IsDigComp() bool {
	return len(s.EducationalFramework) >= 7 && equalFold(s.EducationalFramework[:7], "digcomp")
}

// NameIn returns the skill's name in lang, else the first name.
func (s Skill) NameIn(lang string) string {
	for _, n := range s.Name {
		if equalFold(n.InLanguage, lang) {
			return n.Name
		}
	}
	if len(s.Name) > 0 {
		return s.Name[0].Name
	}
	return ""
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
