package aiact

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ki-reise/kicheck/internal/dataclass"
	"github.com/ki-reise/kicheck/internal/i18n"
)

// Stand is the date of the legal reference the procedure follows
// (shared/recht/ki-verordnung-kurzreferenz.md). Every Result carries it.
const Stand = "2026-12-04"

// Source names the legal reference (the file, in shared/recht/), for
// documents that show a result.
const Source = "ki-verordnung-kurzreferenz.md"

// Dates from which the rules apply, as the reference states them.
const (
	DateArt5        Date = "2025-02-02" // Art. 5(1)(a)–(h) and Art. 4
	DateArt5Omnibus Date = "2026-12-02" // Art. 5(1)(ba), (bb), added by the Omnibus
	DateArt50       Date = "2026-08-02" // Art. 50 transparency
	DateAnnexIII    Date = "2027-12-02" // Annex III high-risk duties (moved by the Omnibus)
)

// Area is the Annex III area a process belongs to, or "keiner".
type Area string

// The areas of Annex III (numbers 1–8) and "keiner".
const (
	AreaNone           Area = "keiner"
	AreaBiometrics     Area = "biometrie"
	AreaInfrastructure Area = "kritische_infrastruktur"
	AreaEducation      Area = "bildung"
	AreaEmployment     Area = "beschaeftigung"
	AreaPublicServices Area = "oeffentliche_leistungen"
	AreaLawEnforcement Area = "strafverfolgung"
	AreaMigration      Area = "migration"
	AreaJustice        Area = "justiz_wahlen"
)

// Areas lists every area, "keiner" first, then in Annex III order.
var Areas = []Area{AreaNone, AreaBiometrics, AreaInfrastructure, AreaEducation, AreaEmployment, AreaPublicServices, AreaLawEnforcement, AreaMigration, AreaJustice}

// Number is the area's number in Annex III (0 for keiner or unknown).
func (a Area) Number() int {
	for i, k := range Areas {
		if k == a {
			return i
		}
	}
	return 0
}

// hasPoints reports whether the reference names points of the area.
func (a Area) hasPoints() bool {
	for _, p := range Points {
		if p.Area() == a {
			return true
		}
	}
	return false
}

// Label is the area's short name for people.
func (a Area) Label() i18n.Msg { return i18n.Msg{ID: "aiact.area." + string(a)} }

// Point is one point of an Annex III area ("5a" for Annex III 5(a)). Area 1
// has three points the reference lists without letters; areas 2 and 6
// have none. A Point is optional in Facts: without it the basis names the
// area's number only.
type Point string

type pointInfo struct {
	area   Area
	letter string // "" for the unlettered points of area 1
}

// The points of Annex III the reference names.
const (
	Point1Identification Point = "1_identifizierung"
	Point1Categorisation Point = "1_kategorisierung"
	Point1Emotion        Point = "1_emotionserkennung"
)

// Points lists every point in Annex III order.
var Points = []Point{Point1Identification, Point1Categorisation, Point1Emotion,
	"3a", "3b", "3c", "3d", "4a", "4b", "5a", "5b", "5c", "5d", "7a", "7b", "7c", "7d", "8a", "8b"}

func (p Point) info() (pointInfo, bool) {
	switch p {
	case Point1Identification, Point1Categorisation, Point1Emotion:
		return pointInfo{area: AreaBiometrics}, true
	}
	for _, k := range Points {
		if k == p && len(p) == 2 {
			return pointInfo{area: Areas[int(p[0]-'0')], letter: string(p[1])}, true
		}
	}
	return pointInfo{}, false
}

// Area is the area the point belongs to ("" if the point is unknown).
func (p Point) Area() Area {
	i, _ := p.info()
	return i.area
}

// Label describes the point in plain words.
func (p Point) Label() i18n.Msg { return i18n.Msg{ID: "aiact.point." + string(p)} }

// Effect is what the AI output does in the process.
type Effect string

// The effects, from least to most influence.
const (
	EffectPreparatory Effect = "vorbereitend" // prepares the work; a person assesses the case fully
	EffectSuggestion  Effect = "vorschlag"    // proposes a result a person checks and adopts or changes
	EffectDecision    Effect = "entscheidung" // the result stands without a person checking it
)

// Effects lists every effect.
var Effects = []Effect{EffectPreparatory, EffectSuggestion, EffectDecision}

// Label is the effect's name for people.
func (e Effect) Label() i18n.Msg { return i18n.Msg{ID: "aiact.effect." + string(e)} }

// Exception is the Art. 6(3) exception a system in an Annex III area relies
// on, or "" for none.
type Exception string

// The exceptions of Art. 6(3)(a)–(d).
const (
	ExceptionNone        Exception = ""
	ExceptionNarrowTask  Exception = "eng_verfahren" // (a) narrow procedural task
	ExceptionImprovement Exception = "verbesserung"  // (b) improves a completed human activity
	ExceptionPatterns    Exception = "muster"        // (c) detects decision patterns or deviations
	ExceptionPreparatory Exception = "vorbereitung"  // (d) preparatory task to an assessment
)

// Exceptions lists the exceptions (without "").
var Exceptions = []Exception{ExceptionNarrowTask, ExceptionImprovement, ExceptionPatterns, ExceptionPreparatory}

// Letter is the exception's letter in Art. 6(3) ("" for none).
func (x Exception) Letter() string {
	for i, k := range Exceptions {
		if k == x {
			return string(rune('a' + i))
		}
	}
	return ""
}

// Label describes the exception in plain words.
func (x Exception) Label() i18n.Msg {
	if x == ExceptionNone {
		return i18n.Msg{ID: "aiact.exception.keine"}
	}
	return i18n.Msg{ID: "aiact.exception." + string(x)}
}

// Practice is a prohibited practice of Art. 5(1), or "" for none.
type Practice string

// The prohibited practices of Art. 5(1), including (ba) and (bb) added by
// the Digital Omnibus.
const (
	PracticeNone                   Practice = ""
	PracticeManipulation           Practice = "manipulation"                 // (a)
	PracticeExploitation           Practice = "schwaeche_ausnutzen"          // (b)
	PracticeSocialScoring          Practice = "social_scoring"               // (c)
	PracticeCrimePrediction        Practice = "straftat_prognose"            // (d)
	PracticeFacialScraping         Practice = "gesichtsbilder_scraping"      // (e)
	PracticeEmotionWorkEducation   Practice = "emotion_arbeitsplatz_bildung" // (f)
	PracticeBiometricCategorising  Practice = "biometrische_kategorisierung" // (g)
	PracticeRealTimeIdentification Practice = "echtzeit_fernidentifizierung" // (h)
	PracticeIntimateImages         Practice = "intime_bilder"                // (ba)
	PracticeAbuseMaterial          Practice = "missbrauchsdarstellungen"     // (bb)
)

type practiceInfo struct {
	letter string
	from   Date
	// limit: a message id saying where the prohibition has an exception
	// or a limit the reference names ("" if none).
	limit string
}

var practiceTable = map[Practice]practiceInfo{
	PracticeManipulation:           {"a", DateArt5, ""},
	PracticeExploitation:           {"b", DateArt5, ""},
	PracticeSocialScoring:          {"c", DateArt5, "aiact.note.limit.social_scoring"},
	PracticeCrimePrediction:        {"d", DateArt5, "aiact.note.limit.straftat_prognose"},
	PracticeFacialScraping:         {"e", DateArt5, ""},
	PracticeEmotionWorkEducation:   {"f", DateArt5, "aiact.note.limit.emotion_arbeitsplatz_bildung"},
	PracticeBiometricCategorising:  {"g", DateArt5, ""},
	PracticeRealTimeIdentification: {"h", DateArt5, "aiact.note.limit.echtzeit_fernidentifizierung"},
	PracticeIntimateImages:         {"ba", DateArt5Omnibus, "aiact.note.limit.omnibus"},
	PracticeAbuseMaterial:          {"bb", DateArt5Omnibus, "aiact.note.limit.omnibus"},
}

// Practices lists the prohibited practices in the order of Art. 5(1)
// ((ba) and (bb) last).
var Practices = []Practice{PracticeManipulation, PracticeExploitation, PracticeSocialScoring, PracticeCrimePrediction,
	PracticeFacialScraping, PracticeEmotionWorkEducation, PracticeBiometricCategorising, PracticeRealTimeIdentification,
	PracticeIntimateImages, PracticeAbuseMaterial}

// Letter is the practice's point in Art. 5(1) ("ba" for (ba); "" for none).
func (p Practice) Letter() string { return practiceTable[p].letter }

// Label describes the practice in plain words.
func (p Practice) Label() i18n.Msg {
	if p == PracticeNone {
		return i18n.Msg{ID: "aiact.practice.keine"}
	}
	return i18n.Msg{ID: "aiact.practice." + string(p)}
}

// Facts describe one use of AI in a process: what the survey asks. The
// JSON names are the field names of Answer.Set.
type Facts struct {
	Area      Area      `json:"area"`
	Profiling bool      `json:"profiling"` // the system profiles natural persons
	Effect    Effect    `json:"effect"`
	Exception Exception `json:"exception,omitempty"`
	// ExceptionDocumented: the Art. 6(3) assessment is written down (Art. 6(4)).
	ExceptionDocumented bool `json:"exception_documented,omitempty"`
	// InteractsWithPublic: citizens talk or write to the AI directly.
	InteractsWithPublic bool `json:"interacts_with_public"`
	// PublishesText: AI-generated text is published to inform the public.
	PublishesText bool     `json:"publishes_text"`
	Practice      Practice `json:"practice,omitempty"`
	PersonalData  bool     `json:"personal_data"` // the AI processes data about persons
	AffectsStaff  bool     `json:"affects_staff"` // the system can show staff's conduct or performance

	// Added beside the first API, all optional:

	// Point narrows Area to one point of Annex III (e.g. "5a"); it must
	// belong to Area.
	Point Point `json:"point,omitempty"`
	// EditorialReview: every published AI text is reviewed by a person and
	// someone holds editorial responsibility (Art. 50(4) then does not ask
	// for a disclosure).
	EditorialReview bool `json:"editorial_review,omitempty"`
	// DataClass is the process's data class; personenbezogen,
	// besondere_kategorien and sozialdaten count as PersonalData.
	DataClass dataclass.Class `json:"data_class,omitempty"`
	// Land is the municipality's federal state (e.g. "ST"); with it the
	// § 35a VwVfG duty names the Land's provision.
	Land Land `json:"land,omitempty"`
}

// personal reports whether persons' data are processed.
func (f Facts) personal() bool { return f.PersonalData || f.DataClass.PersonalData() }

// Class is the result of the classification.
type Class string

// The classes, from strictest to least strict.
const (
	Prohibited   Class = "verboten"
	HighRisk     Class = "hochrisiko"
	Transparency Class = "transparenz"
	Minimal      Class = "minimal"
)

// Classes lists every class, strictest first.
var Classes = []Class{Prohibited, HighRisk, Transparency, Minimal}

// Label is the class's name for people.
func (c Class) Label() i18n.Msg { return i18n.Msg{ID: "aiact.class." + string(c)} }

// RiskCategory is the class as the Algorithmic Transparency Standard
// v0.3.1 writes it (field risk_category, issue 12 point 6).
func (c Class) RiskCategory() string {
	switch c {
	case Prohibited:
		return "unacceptable"
	case HighRisk:
		return "high risk"
	case Transparency:
		return "limited risk"
	case Minimal:
		return "minimal risk"
	}
	return ""
}

// Ref is one legal provision a result rests on.
type Ref struct {
	ID      string   `json:"id"`
	Article string   `json:"article"` // German citation, e.g. "Art. 6 Abs. 3 Buchst. d KI-VO"
	Text    i18n.Msg `json:"-"`       // what the provision says about this case
}

// Duty is one thing the municipality (or the provider) must do.
type Duty struct {
	ID      string   `json:"id"`
	Article string   `json:"article"`
	Text    i18n.Msg `json:"-"`
	// From is the date from which the duty applies ("" where the
	// reference gives none).
	From Date `json:"from,omitempty"`
}

// Result is the classification of one use of AI.
type Result struct {
	Class  Class
	Basis  []Ref
	Duties []Duty
	Notes  []i18n.Msg
	Stand  string // the legal reference's date, shown with every result
	// Since is the date from which the rule that decided Class applies
	// ("" for minimal).
	Since Date
}

// HasDuty reports whether the result lists the duty with this id.
func (r Result) HasDuty(id string) bool {
	for _, d := range r.Duties {
		if d.ID == id {
			return true
		}
	}
	return false
}

// HasNote reports whether the result carries the note with this message id.
func (r Result) HasNote(id string) bool {
	for _, n := range r.Notes {
		if n.ID == id {
			return true
		}
	}
	return false
}

// Date is a day, "YYYY-MM-DD", that renders itself per language
// ("2. Dezember 2027", "2 December 2027").
type Date string

var (
	monthsDE = []string{"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"}
	monthsEN = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
)

// Text renders the date in lang.
func (d Date) Text(lang string) string {
	var y, m, day int
	if _, err := fmt.Sscanf(string(d), "%4d-%2d-%2d", &y, &m, &day); err != nil || m < 1 || m > 12 {
		return string(d)
	}
	if lang == "en" {
		return fmt.Sprintf("%d %s %d", day, monthsEN[m-1], y)
	}
	return fmt.Sprintf("%d. %s %d", day, monthsDE[m-1], y)
}

// parse finds s among ids (case and surrounding spaces ignored).
func parse[T ~string](kind, s string, all []T) (T, error) {
	v := T(strings.ToLower(strings.TrimSpace(s)))
	for _, k := range all {
		if v == k {
			return k, nil
		}
	}
	ids := make([]string, len(all))
	for i, k := range all {
		ids[i] = string(k)
	}
	return "", unknown(kind, s, ids)
}

// ParseArea reads an area id (keiner or an Annex III area).
func ParseArea(s string) (Area, error) { return parse("area", s, Areas) }

// ParseEffect reads an effect id.
func ParseEffect(s string) (Effect, error) { return parse("effect", s, Effects) }

// ParsePractice reads a prohibited-practice id; "" and "keine" mean none.
func ParsePractice(s string) (Practice, error) {
	if t := strings.ToLower(strings.TrimSpace(s)); t == "" || t == "keine" {
		return PracticeNone, nil
	}
	return parse("practice", s, Practices)
}

// ParseException reads an Art. 6(3) exception id; "" and "keine" mean none.
func ParseException(s string) (Exception, error) {
	if t := strings.ToLower(strings.TrimSpace(s)); t == "" || t == "keine" {
		return ExceptionNone, nil
	}
	return parse("exception", s, Exceptions)
}

// ParsePoint reads an Annex III point: "5a", "5(a)", "5 a" or one of the
// ids of area 1; "" means none.
func ParsePoint(s string) (Point, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	if t == "" {
		return "", nil
	}
	if !strings.HasPrefix(t, "1_") {
		t = strings.NewReplacer("(", "", ")", "", " ", "", ".", "").Replace(t)
	}
	p, err := parse("point", t, Points)
	if err != nil {
		return "", unknown("point", s, pointIDs())
	}
	return p, nil
}

func pointIDs() []string {
	out := make([]string, len(Points))
	for i, p := range Points {
		out[i] = string(p)
	}
	return out
}

// Validate reports the first value of f that is not a known id, or a
// Point outside Area. Classify accepts such facts too (it notes and skips
// the bad value); Validate is for input checks.
func (f Facts) Validate() error {
	if f.Area != "" && f.Area.Number() == 0 && f.Area != AreaNone {
		return unknown("area", string(f.Area), ids(Areas))
	}
	if f.Effect != "" && !known(f.Effect, Effects) {
		return unknown("effect", string(f.Effect), ids(Effects))
	}
	if _, ok := practiceTable[f.Practice]; !ok && f.Practice != PracticeNone {
		return unknown("practice", string(f.Practice), ids(Practices))
	}
	if f.Exception != ExceptionNone && f.Exception.Letter() == "" {
		return unknown("exception", string(f.Exception), ids(Exceptions))
	}
	if f.Point != "" {
		info, ok := f.Point.info()
		if !ok {
			return unknown("point", string(f.Point), pointIDs())
		}
		if info.area != f.Area {
			return i18n.NewError("aiact.err.point_area", "", map[string]any{"Point": string(f.Point), "Area": string(info.area), "Given": i18n.Escape(string(f.Area))}, nil)
		}
	}
	if f.Land != "" && !known(f.Land, Lands) {
		return unknown("land", string(f.Land), ids(Lands))
	}
	if f.DataClass != "" {
		if _, err := dataclass.Parse(string(f.DataClass)); err != nil {
			return err
		}
	}
	return nil
}

func known[T comparable](v T, all []T) bool {
	for _, k := range all {
		if k == v {
			return true
		}
	}
	return false
}

// unknown is the error for a value that is none of the valid ids of its
// kind (area, effect, practice, exception, point, land), in the reader's
// language.
func unknown(kind, value string, valid []string) error {
	return i18n.NewError("aiact.err.unknown", "", map[string]any{
		"Kind": i18n.Msg{ID: "aiact.kind." + kind}, "Value": i18n.Escape(value), "Valid": strings.Join(valid, ", ")}, nil)
}

func ids[T ~string](all []T) []string {
	out := make([]string, len(all))
	for i, v := range all {
		out[i] = string(v)
	}
	return out
}

// errMsg renders an error in a language: its message when it is a
// Localizer, else its text (for {{.Detail}} in a message).
type errMsg struct{ err error }

func (e errMsg) Text(lang string) string {
	var l i18n.Localizer
	if errors.As(e.err, &l) {
		m, _ := l.Localize(lang)
		return m
	}
	return i18n.Escape(e.err.Error())
}
