package offers

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/learning"
	"github.com/ki-reise/kicheck/internal/quiz"
)

// CoverageFormat is the format of the coverage JSON
// (docs/schema/offers-coverage.schema.json).
const CoverageFormat = "kicheck-offers-coverage/1"

// Coverage is the analysis of the offers against the framework: per area
// and level the offers that cover it, per role what its targets need, and
// the gaps where no offer exists.
type Coverage struct {
	Format    string          `json:"format"`
	Framework string          `json:"framework"`
	License   string          `json:"license"`
	Generated time.Time       `json:"generated"`
	Offers    int             `json:"offers"`
	Areas     []AreaCoverage  `json:"areas"`
	Roles     []RoleCoverage  `json:"roles"`
	Gaps      []Gap           `json:"gaps"`
	DigComp   []DigCompCover  `json:"digcomp"`
	Proposals []OfferProposal `json:"proposals"`
}

// AreaCoverage is one area with its four levels.
type AreaCoverage struct {
	Area    string          `json:"area"`
	Title   string          `json:"title"`
	DigComp []string        `json:"digcomp,omitempty"`
	Levels  []LevelCoverage `json:"levels"`
}

// LevelCoverage is one level of an area.
type LevelCoverage struct {
	Level    quiz.Level      `json:"level"`
	Offers   []CoveringOffer `json:"offers"`
	NeededBy []quiz.Role     `json:"needed_by"`
	Gap      bool            `json:"gap"`
}

// CoveringOffer is an offer as the coverage lists it.
type CoveringOffer struct {
	ID              int64      `json:"id"`
	Name            string     `json:"name"`
	Provider        string     `json:"provider"`
	URL             string     `json:"url,omitempty"`
	Level           quiz.Level `json:"level"`
	LevelStated     bool       `json:"level_stated"`
	Origin          string     `json:"origin"`
	DurationMinutes int        `json:"duration_minutes,omitempty"`
	Workload        string     `json:"workload,omitempty"`
	Cost            string     `json:"cost,omitempty"`
	Free            bool       `json:"free"`
	Languages       []string   `json:"languages,omitempty"`
	Modes           []string   `json:"modes,omitempty"`
}

// RoleCoverage is what a role's targets need and what is missing.
type RoleCoverage struct {
	Role  quiz.Role  `json:"role"`
	Title string     `json:"title"`
	Areas []RoleArea `json:"areas"`
	Gaps  int        `json:"gaps"`
}

// RoleArea is one area of a role: the target, the levels up to it that
// offers cover and those that none covers.
type RoleArea struct {
	Area    string       `json:"area"`
	Target  quiz.Level   `json:"target"`
	Covered []quiz.Level `json:"covered"`
	Missing []quiz.Level `json:"missing"`
	Offers  int          `json:"offers"`
}

// Gap is an area and level some role needs and no offer covers: the
// municipality has to build it itself.
type Gap struct {
	Area  string      `json:"area"`
	Title string      `json:"title"`
	Level quiz.Level  `json:"level"`
	Roles []quiz.Role `json:"roles"`
}

// DigCompCover lists the offers whose feed says they teach a DigComp 2.2
// competence the framework refers to.
type DigCompCover struct {
	ID     string  `json:"id"`
	Title  string  `json:"title"`
	Offers []int64 `json:"offers"`
}

// OfferProposal is an offer with proposals still to confirm.
type OfferProposal struct {
	ID        int64      `json:"id"`
	Name      string     `json:"name"`
	Proposals []Proposal `json:"proposals"`
}

// Analyse computes the coverage of the framework by the offers (only
// confirmed mappings count; proposals are listed apart).
func Analyse(fw *learning.Framework, list []Offer, rejected map[int64]map[string]bool, now time.Time) *Coverage {
	c := &Coverage{Format: CoverageFormat, Framework: fw.Ref(), License: "CC-BY-4.0", Generated: now.UTC(), Offers: len(list),
		Areas: []AreaCoverage{}, Roles: []RoleCoverage{}, Gaps: []Gap{}, DigComp: []DigCompCover{}, Proposals: []OfferProposal{}}
	covered := map[string]map[quiz.Level]int{}
	for _, a := range fw.Areas {
		ac := AreaCoverage{Area: a.ID, Title: a.Title, DigComp: a.DigComp}
		covered[a.ID] = map[quiz.Level]int{}
		for _, l := range quiz.Levels {
			lc := LevelCoverage{Level: l, Offers: []CoveringOffer{}, NeededBy: []quiz.Role{}}
			for i := range list {
				o := &list[i]
				m := o.Mapping(a.ID)
				if m == nil || m.Level != l {
					continue
				}
				lc.Offers = append(lc.Offers, CoveringOffer{ID: o.ID, Name: o.Name, Provider: o.Provider, URL: o.URL, Level: m.Level,
					LevelStated: m.LevelStated, Origin: m.Origin, DurationMinutes: o.DurationMinutes, Workload: o.Workload,
					Cost: o.CostText(), Free: o.Free(), Languages: o.Languages, Modes: o.Modes})
			}
			covered[a.ID][l] = len(lc.Offers)
			for _, r := range fw.Roles {
				if learning.Rank(l) <= learning.Rank(r.Targets[a.ID]) {
					lc.NeededBy = append(lc.NeededBy, r.ID)
				}
			}
			lc.Gap = len(lc.Offers) == 0 && len(lc.NeededBy) > 0
			if lc.Gap {
				c.Gaps = append(c.Gaps, Gap{Area: a.ID, Title: a.Title, Level: l, Roles: lc.NeededBy})
			}
			ac.Levels = append(ac.Levels, lc)
		}
		c.Areas = append(c.Areas, ac)
	}
	for _, r := range fw.Roles {
		rc := RoleCoverage{Role: r.ID, Title: r.Title}
		for _, a := range fw.Areas {
			ra := RoleArea{Area: a.ID, Target: r.Targets[a.ID], Covered: []quiz.Level{}, Missing: []quiz.Level{}}
			for _, l := range quiz.Levels {
				if learning.Rank(l) > learning.Rank(ra.Target) {
					break
				}
				if n := covered[a.ID][l]; n > 0 {
					ra.Covered = append(ra.Covered, l)
					ra.Offers += n
				} else {
					ra.Missing = append(ra.Missing, l)
					rc.Gaps++
				}
			}
			rc.Areas = append(rc.Areas, ra)
		}
		c.Roles = append(c.Roles, rc)
	}
	for _, d := range fw.DigComp {
		dc := DigCompCover{ID: d.ID, Title: d.TitleDE, Offers: []int64{}}
		for i := range list {
			if slices.Contains(list[i].DigComp(), d.ID) {
				dc.Offers = append(dc.Offers, list[i].ID)
			}
		}
		c.DigComp = append(c.DigComp, dc)
	}
	for i := range list {
		if ps := Propose(fw, &list[i], rejected[list[i].ID]); len(ps) > 0 {
			c.Proposals = append(c.Proposals, OfferProposal{ID: list[i].ID, Name: list[i].Name, Proposals: ps})
		}
	}
	return c
}

// WriteText prints the coverage table: per area and level the offers (or
// the gap with the roles that need it), then per role the gaps, then the
// proposals waiting for a trainer.
func (c *Coverage) WriteText(w io.Writer, lang string, fw *learning.Framework) {
	t := func(id string, kv ...any) string { return msgf(id, kv...).Text(lang) }
	fmt.Fprintln(w, t("offers.cov.head", "Framework", c.Framework, "Offers", c.Offers))
	for _, a := range c.Areas {
		fmt.Fprintf(w, "\n%s %s\n", a.Area, fw.AreaLabel(a.Area, lang))
		for _, l := range a.Levels {
			lt := fw.LevelLabel(l.Level, lang)
			switch {
			case len(l.Offers) > 0:
				for i, o := range l.Offers {
					label := ""
					if i == 0 {
						label = lt
					}
					fmt.Fprintf(w, "  %-18s #%d %s – %s (%s)\n", label, o.ID, o.Provider, o.Name, OfferFacts(lang, o))
				}
			case l.Gap:
				fmt.Fprintf(w, "  %-18s %s\n", lt, t("offers.cov.gap", "Roles", roleTitles(fw, l.NeededBy, lang)))
			default:
				fmt.Fprintf(w, "  %-18s %s\n", lt, t("offers.cov.not_needed"))
			}
		}
	}
	fmt.Fprintf(w, "\n%s\n", t("offers.cov.roles_head"))
	for _, r := range c.Roles {
		var miss []string
		for _, a := range r.Areas {
			for _, l := range a.Missing {
				miss = append(miss, a.Area+" "+fw.LevelLabel(l, lang))
			}
		}
		if len(miss) == 0 {
			fmt.Fprintf(w, "  %-24s %s\n", fw.RoleLabel(r.Role, lang), t("offers.cov.role_complete"))
			continue
		}
		fmt.Fprintf(w, "  %-24s %s\n", fw.RoleLabel(r.Role, lang), t("offers.cov.role_gaps", "Count", len(miss), "List", strings.Join(miss, ", ")))
	}
	fmt.Fprintf(w, "\n%s\n", t("offers.cov.digcomp_head"))
	for _, d := range c.DigComp {
		ids := make([]string, len(d.Offers))
		for i, id := range d.Offers {
			ids[i] = "#" + strconv.FormatInt(id, 10)
		}
		list := t("offers.cov.digcomp_none")
		if len(ids) > 0 {
			list = strings.Join(ids, ", ")
		}
		title := d.Title
		for _, ref := range fw.DigComp {
			if ref.ID == d.ID && (lang == "en" || title == "") {
				title = ref.TitleEN
			}
		}
		fmt.Fprintf(w, "  %-4s %-10s %s\n", d.ID, list, title)
	}
	if len(c.Proposals) > 0 {
		fmt.Fprintf(w, "\n%s\n", t("offers.cov.proposals_head"))
		for _, p := range c.Proposals {
			var ps []string
			for _, x := range p.Proposals {
				ps = append(ps, x.Area+" "+fw.LevelLabel(x.Level, lang))
			}
			fmt.Fprintf(w, "  #%d %s: %s\n", p.ID, p.Name, strings.Join(ps, ", "))
		}
		fmt.Fprintln(w, "  "+t("offers.cov.proposals_hint"))
	}
}

// OfferFacts is "6 h, kostenlos, de, online" for an offer.
func OfferFacts(lang string, o CoveringOffer) string {
	var parts []string
	if o.DurationMinutes > 0 {
		parts = append(parts, i18n.Minutes(lang, o.DurationMinutes))
	} else if o.Workload != "" {
		parts = append(parts, WorkloadText(lang, o.Workload))
	}
	if o.Workload != "" && o.DurationMinutes > 0 {
		parts = append(parts, WorkloadText(lang, o.Workload))
	}
	switch {
	case o.Free:
		parts = append(parts, i18n.T(lang, "offers.free"))
	case o.Cost != "":
		parts = append(parts, CostText(lang, o.Cost))
	}
	if len(o.Languages) > 0 {
		parts = append(parts, strings.Join(o.Languages, "/"))
	}
	if len(o.Modes) > 0 {
		parts = append(parts, ModesText(lang, o.Modes))
	}
	if !o.LevelStated {
		parts = append(parts, i18n.T(lang, "offers.level_assumed"))
	}
	return strings.Join(parts, ", ")
}

func roleTitles(fw *learning.Framework, roles []quiz.Role, lang string) string {
	s := make([]string, len(roles))
	for i, r := range roles {
		s[i] = fw.RoleLabel(r, lang)
	}
	return strings.Join(s, ", ")
}

// WriteCSV writes one row per area and level: the offers covering it, the
// roles needing it and whether it is a gap.
func (c *Coverage) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"area", "area_title", "level", "offers", "offer_ids", "offer_names", "needed_by", "gap"})
	for _, a := range c.Areas {
		for _, l := range a.Levels {
			var ids, names []string
			for _, o := range l.Offers {
				ids = append(ids, strconv.FormatInt(o.ID, 10))
				names = append(names, o.Provider+": "+o.Name)
			}
			roles := make([]string, len(l.NeededBy))
			for i, r := range l.NeededBy {
				roles[i] = string(r)
			}
			cw.Write([]string{a.Area, a.Title, string(l.Level), strconv.Itoa(len(l.Offers)), strings.Join(ids, " "),
				csvSafe(strings.Join(names, " | ")), strings.Join(roles, " "), strconv.FormatBool(l.Gap)})
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe keeps a value from outside from being read as a formula by a
// spreadsheet.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}

// ModesText names course modes in lang (onsite → Präsenz).
func ModesText(lang string, modes []string) string {
	s := make([]string, len(modes))
	for i, m := range modes {
		s[i] = m
		if t := i18n.T(lang, "offers.mode."+m); t != "offers.mode."+m {
			s[i] = t
		}
	}
	return strings.Join(s, "/")
}

// CostText names a cost in lang: the MOOChub access values (free, paid,
// student, other) are translated, a CSV text is shown as written.
func CostText(lang, cost string) string {
	var s []string
	for _, p := range strings.Split(cost, ", ") {
		if t := i18n.T(lang, "offers.access."+p); t != "offers.access."+p {
			p = t
		}
		s = append(s, p)
	}
	return strings.Join(s, ", ")
}

// WorkloadText writes "2 h/week" in lang.
func WorkloadText(lang, w string) string {
	n, unit, _ := strings.Cut(w, " ")
	if t := i18n.T(lang, "offers.workload."+unit, map[string]any{"N": n}); t != "offers.workload."+unit {
		return t
	}
	return w
}
