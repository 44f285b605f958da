package hotspot

import (
	"strings"
	"unicode/utf8"

	"github.com/ki-reise/kicheck/internal/aiact"
	"github.com/ki-reise/kicheck/internal/i18n"
)

// Record is one algorithm of the Algorithmic Transparency Standard
// v0.3.1 (the algorithm register of Amsterdam, Helsinki and other
// Eurocities members): exactly its required fields. Values KI-Check
// cannot know say "von der Kommune einzutragen" (docs/hotspots.md lists
// where every field comes from).
type Record struct {
	Name                  string `json:"name"`
	DescriptionShort      string `json:"description_short"`
	Organization          string `json:"organization"`
	Department            string `json:"department"`
	ContactEmail          string `json:"contact_email"`
	Area                  string `json:"area"`
	Domain                string `json:"domain"`
	Status                string `json:"status"`
	DecisionMakingProcess string `json:"decision_making_process"`
	Goal                  string `json:"goal"`
	Impact                string `json:"impact"`
	Risks                 string `json:"risks"`
	RiskCategory          string `json:"risk_category"`
	Proportionality       string `json:"proportionality"`
	LawfulBasis           string `json:"lawful_basis"`
	TrainingData          string `json:"training_data"`
	SourceData            string `json:"source_data"`
	ConnectedDataSources  string `json:"connected_data_sources"`
	AlgorithmType         string `json:"algorithm_type"`
	Description           string `json:"description"`
	Monitoring            string `json:"monitoring"`
	Type                  string `json:"type"`
	HumanIntervention     string `json:"human_intervention"`
	ObjectionProcedure    string `json:"objection_procedure"`
	StandardVersion       string `json:"standard_version"`
	Lang                  string `json:"lang"`
	PublicationDate       string `json:"publication_date"`
	LastChangeDate        string `json:"last_change_date"`
	RevisionDate          string `json:"revision_date"`
}

// Enumerations of the standard that KI-Check fills.
var (
	RegisterStatuses       = []string{"planned", "design", "development", "pilot", "evaluation", "operational", "retired"}
	RegisterRiskCategories = []string{"minimal risk", "limited risk", "high risk", "unacceptable"}
	RegisterAlgorithmTypes = []string{"self-learning", "rule-based", "hybrid"}
	RegisterTypes          = []string{"descriptive", "diagnostic", "predictive", "prescriptive"}
	// RegisterDomains are the domain names of the standard KI-Check uses
	// (the ones the issue names); a unit is mapped by DomainOf.
	RegisterDomains = []string{"subsidies, benefits and allowances", "government", "housing, living and living environment", "public safety", "family, youth and households", "taxes", "generic"}
)

// DomainOf maps an organisational unit's name to a domain of the
// standard by keywords; "government" for the administration's own units,
// "generic" where nothing matches.
func DomainOf(unit string) string {
	u := strings.ToLower(unit)
	for _, m := range []struct{ keys, domain string }{
		{"sozial|wohngeld|grundsicherung", "subsidies, benefits and allowances"},
		{"jugend|familie|kita", "family, youth and households"},
		{"bau|wohn|stadtplan", "housing, living and living environment"},
		{"ordnung|feuerwehr|sicherheit", "public safety"},
		{"kämmerei|kaemmerei|steuer|finanz", "taxes"},
		{"bürger|buerger|standes|personal|rat|haupt|post|querschnitt|vergabe|organisation|digital", "government"},
	} {
		for _, k := range strings.Split(m.keys, "|") {
			if strings.Contains(u, k) {
				return m.domain
			}
		}
	}
	return "generic"
}

// RegisterRecord is a hotspot as an algorithm-register record in m.Lang.
func RegisterRecord(h Hotspot, m Meta) Record {
	lang := m.Lang
	t := func(id string, kv ...any) string { return msg(id, kv...).Text(lang) }
	h.Legal.Localize(lang)
	p := h.Process
	contact := m.Contact
	if contact == "" {
		contact = Placeholder
	}
	status := "planned"
	if p.PassRate != nil {
		status = "pilot"
	}
	typ := "descriptive"
	if p.Effect != string(aiact.EffectPreparatory) {
		typ = "prescriptive"
	}
	model := h.Model
	if model == "" {
		model = t("register.model_open")
	}
	var risks []string
	risks = append(risks, h.Legal.ClassLabel)
	risks = append(risks, h.Legal.Notes...)
	var basis []string
	for _, b := range h.Legal.Basis {
		basis = append(basis, b.Article)
	}
	lastChange := m.Created
	if !p.Source.Imported.IsZero() {
		lastChange = p.Source.Imported
	}
	eur := Placeholder
	if h.EUR != nil {
		eur = i18n.Grouped(lang, *h.EUR, 0) + " €"
	}
	return Record{
		Name:                  p.Name + " – " + h.Task.Title(lang),
		DescriptionShort:      shorten(h.Task.Text(lang), 150),
		Organization:          m.kommune(),
		Department:            p.Unit,
		ContactEmail:          contact,
		Area:                  h.Task.Title(lang),
		Domain:                DomainOf(p.Unit),
		Status:                status,
		DecisionMakingProcess: t("readme.effect." + p.Effect),
		Goal:                  t("register.goal", "Hours", i18n.Grouped(lang, h.Hours, 0), "EUR", eur),
		Impact:                t("register.impact", "Class", i18n.Msg{ID: "dataclass." + p.DataClass}, "Effect", i18n.Msg{ID: "aiact.effect." + p.Effect}),
		Risks:                 strings.Join(risks, " "),
		RiskCategory:          h.Legal.Result.Class.RiskCategory(),
		Proportionality:       t("register.proportionality", "Places", placesText(h, lang)),
		LawfulBasis:           t("register.lawful_basis", "Placeholder", Placeholder, "Basis", strings.Join(basis, "; "), "Stand", h.Legal.Stand),
		TrainingData:          t("register.training_data", "Model", model),
		SourceData:            t("register.source_data", "Class", i18n.Msg{ID: "dataclass." + p.DataClass}),
		ConnectedDataSources:  Placeholder,
		AlgorithmType:         "self-learning",
		Description:           h.Task.Text(lang) + " " + t("register.description", "UseCase", h.Task.UseCase),
		Monitoring:            t("register.monitoring"),
		Type:                  typ,
		HumanIntervention:     t("register.human." + p.Effect),
		ObjectionProcedure:    Placeholder,
		StandardVersion:       RegisterVersion,
		Lang:                  lang,
		PublicationDate:       m.Created.Format("2006-01-02"),
		LastChangeDate:        lastChange.Format("2006-01-02"),
		RevisionDate:          m.Created.AddDate(1, 0, 0).Format("2006-01-02"),
	}
}

func placesText(h Hotspot, lang string) string {
	var out []string
	for _, pl := range h.Places {
		if pl.Allowed {
			out = append(out, msg("place."+pl.ID).Text(lang))
		}
	}
	return strings.Join(out, ", ")
}

// shorten cuts s to at most n characters at a word boundary, with "…".
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n-1]
	cut := string(r)
	if i := strings.LastIndex(cut, " "); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:") + "…"
}
