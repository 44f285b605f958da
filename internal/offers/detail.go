package offers

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/learning"
	"github.com/ki-reise/kicheck/internal/quiz"
	"github.com/ki-reise/kicheck/internal/store"
)

// OfferDetail is one offer with what the analysis says about it.
type OfferDetail struct {
	Offer
	Proposals []Proposal     `json:"proposals"`
	DigComp   []DigCompSkill `json:"digcomp"`
	// Modules are the catalogue modules the offer is chosen for.
	Modules []string       `json:"modules"`
	History []HistoryEntry `json:"history"`
}

// DigCompSkill is a DigComp 2.2 competence the feed names.
type DigCompSkill struct {
	ShortCode string `json:"short_code"`
	Title     string `json:"title"`
}

// Detail loads an offer with its proposals, DigComp competences, modules
// and history.
func Detail(ctx context.Context, db *store.DB, c *learning.Content, id int64) (*OfferDetail, error) {
	o, err := Get(ctx, db, id)
	if err != nil {
		return nil, err
	}
	rej, err := Rejected(ctx, db)
	if err != nil {
		return nil, err
	}
	d := &OfferDetail{Offer: *o, Proposals: Propose(c.Framework, o, rej[id]), DigComp: []DigCompSkill{}, Modules: []string{}}
	if d.Proposals == nil {
		d.Proposals = []Proposal{}
	}
	for _, code := range o.DigComp() {
		title := ""
		for _, ref := range c.Framework.DigComp {
			if ref.ID == code {
				title = ref.TitleDE
			}
		}
		if title == "" {
			for _, s := range o.Teaches {
				if s.IsDigComp() && s.ShortCode == code {
					title = s.NameIn("de")
				}
			}
		}
		d.DigComp = append(d.DigComp, DigCompSkill{ShortCode: code, Title: title})
	}
	mo, err := ModuleOffers(ctx, db)
	if err != nil {
		return nil, err
	}
	for m, ids := range mo {
		for _, x := range ids {
			if x == id {
				d.Modules = append(d.Modules, m)
			}
		}
	}
	sort.Strings(d.Modules)
	if d.History, err = History(ctx, db, id); err != nil {
		return nil, err
	}
	return d, nil
}

// CoverageOf analyses the current offers in the database.
func CoverageOf(ctx context.Context, db *store.DB, fw *learning.Framework, now time.Time) (*Coverage, error) {
	list, err := List(ctx, db, false)
	if err != nil {
		return nil, err
	}
	rej, err := Rejected(ctx, db)
	if err != nil {
		return nil, err
	}
	return Analyse(fw, list, rej, now), nil
}

// ForRole keeps the levels up to the role's targets: the areas show
// only what the role needs, gaps and roles only that role.
func (c *Coverage) ForRole(r quiz.Role) *Coverage {
	out := *c
	out.Roles, out.Gaps, out.Areas = nil, []Gap{}, nil
	var target map[string]quiz.Level
	for _, rc := range c.Roles {
		if rc.Role == r {
			out.Roles = []RoleCoverage{rc}
			target = map[string]quiz.Level{}
			for _, a := range rc.Areas {
				target[a.Area] = a.Target
			}
		}
	}
	if out.Roles == nil {
		out.Roles = []RoleCoverage{}
	}
	for _, a := range c.Areas {
		na := a
		na.Levels = nil
		for _, l := range a.Levels {
			if learning.Rank(l.Level) <= learning.Rank(target[a.Area]) {
				na.Levels = append(na.Levels, l)
			}
		}
		if na.Levels == nil {
			na.Levels = []LevelCoverage{}
		}
		out.Areas = append(out.Areas, na)
	}
	for _, g := range c.Gaps {
		for _, x := range g.Roles {
			if x == r {
				out.Gaps = append(out.Gaps, g)
			}
		}
	}
	return &out
}

// Comparison is offers side by side.
type Comparison struct {
	Offers []Offer `json:"offers"`
}

// Compare loads the offers to put side by side.
func Compare(ctx context.Context, db *store.DB, fw *learning.Framework, ids []int64) (*Comparison, error) {
	c := &Comparison{}
	for _, id := range ids {
		o, err := Get(ctx, db, id)
		if err != nil {
			return nil, err
		}
		c.Offers = append(c.Offers, *o)
	}
	return c, nil
}

// Rows is the comparison as a table: a header row with the offers, then
// one row per property (provider, duration, cost, language, format,
// licence, areas, DigComp, link).
func (c *Comparison) Rows(lang string, fw *learning.Framework) [][]string {
	t := func(id string) string { return i18n.T(lang, id) }
	head := []string{""}
	rows := map[string][]string{}
	keys := []string{"offerscli.provider", "offerscli.duration", "offerscli.workload", "offerscli.cost", "common.language", "common.format", "offerscli.license", "offerscli.areas", "offerscli.digcomp", "offerscli.link"}
	for _, k := range keys {
		rows[k] = []string{t(k)}
	}
	dash := func(s string) string {
		if s == "" {
			return "–"
		}
		return s
	}
	for _, o := range c.Offers {
		head = append(head, "#"+itoa(o.ID)+" "+o.Name)
		dur := ""
		if o.DurationMinutes > 0 {
			dur = i18n.Minutes(lang, o.DurationMinutes)
		}
		cost := CostText(lang, o.CostText())
		if o.Free() {
			cost = t("offers.free")
		}
		var areas []string
		for _, m := range o.Areas {
			areas = append(areas, m.Area+" "+fw.LevelLabel(m.Level, lang))
		}
		wl := ""
		if o.Workload != "" {
			wl = WorkloadText(lang, o.Workload)
		}
		add := map[string]string{
			"offerscli.provider": o.Provider, "offerscli.duration": dur, "offerscli.workload": wl, "offerscli.cost": cost,
			"common.language": strings.Join(o.Languages, ", "), "common.format": ModesText(lang, o.Modes),
			"offerscli.license": strings.Join(o.License, ", "), "offerscli.areas": strings.Join(areas, ", "),
			"offerscli.digcomp": strings.Join(o.DigComp(), ", "), "offerscli.link": o.URL,
		}
		for _, k := range keys {
			rows[k] = append(rows[k], dash(add[k]))
		}
	}
	out := [][]string{head}
	for _, k := range keys {
		out = append(out, rows[k])
	}
	return out
}

func itoa(n int64) string {
	var b [20]byte
	i := len(b)
	if n == 0 {
		return "0"
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
