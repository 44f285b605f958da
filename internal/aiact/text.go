package aiact

import (
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// LocalRef is a Ref rendered in one language.
type LocalRef struct {
	ID      string `json:"id"`
	Article string `json:"article"`
	Text    string `json:"text"`
}

// LocalDuty is a Duty rendered in one language.
type LocalDuty struct {
	ID      string `json:"id"`
	Article string `json:"article"`
	Text    string `json:"text"`
	From    string `json:"from,omitempty"` // YYYY-MM-DD
}

// Local is a Result rendered in one language: the stable JSON of
// `kicheck aiact classify --json` (docs/aiact.md).
type Local struct {
	Class      Class       `json:"class"`
	ClassLabel string      `json:"class_label"`
	Since      string      `json:"since,omitempty"` // YYYY-MM-DD
	Basis      []LocalRef  `json:"basis"`
	Duties     []LocalDuty `json:"duties"`
	Notes      []string    `json:"notes"`
	Stand      string      `json:"stand"`
	Source     string      `json:"source"`
}

// Localize renders every text of r in lang.
func (r Result) Localize(lang string) Local {
	l := Local{Class: r.Class, ClassLabel: r.Class.Label().Text(lang), Since: string(r.Since), Stand: r.Stand, Source: Source,
		Basis: []LocalRef{}, Duties: []LocalDuty{}, Notes: i18n.Texts(r.Notes, lang)}
	for _, b := range r.Basis {
		l.Basis = append(l.Basis, LocalRef{b.ID, b.ArticleIn(lang), b.Text.Text(lang)})
	}
	for _, d := range r.Duties {
		l.Duties = append(l.Duties, LocalDuty{d.ID, Cite(d.Article, lang), d.Text.Text(lang), string(d.From)})
	}
	return l
}

// ArticleIn is the citation in lang.
func (r Ref) ArticleIn(lang string) string { return Cite(r.Article, lang) }

// ArticleIn is the citation in lang.
func (d Duty) ArticleIn(lang string) string { return Cite(d.Article, lang) }

var (
	citeArt   = regexp.MustCompile(`Art\. (\d+[a-z]?) Abs\. (\d+[a-z]?)(?: Buchst\. ([a-z]+))?`)
	citeAnnex = regexp.MustCompile(`Anhang III Nr\. (\d)(?: Buchst\. ([a-z]))?`)
)

// Cite writes a German citation in lang: "Art. 6 Abs. 3 Buchst. d KI-VO"
// becomes "Art. 6(3)(d) AI Act" in English, "Art. 35 DSGVO" "Art. 35 GDPR".
// German stays as it is.
func Cite(article, lang string) string {
	if lang != "en" {
		return article
	}
	s := citeArt.ReplaceAllStringFunc(article, func(m string) string {
		g := citeArt.FindStringSubmatch(m)
		out := fmt.Sprintf("Art. %s(%s)", g[1], g[2])
		if g[3] != "" {
			out += "(" + g[3] + ")"
		}
		return out
	})
	s = citeAnnex.ReplaceAllStringFunc(s, func(m string) string {
		g := citeAnnex.FindStringSubmatch(m)
		if g[2] != "" {
			return fmt.Sprintf("Annex III point %s(%s)", g[1], g[2])
		}
		return "Annex III point " + g[1]
	})
	return strings.NewReplacer(
		"KI-VO", "AI Act",
		"DSGVO", "GDPR",
		" i. V. m. dem Verwaltungsverfahrensgesetz des Landes", " with the federal state's administrative procedure act",
		" i. V. m. ", " with ",
		"Verwaltungsverfahrensgesetz des Landes (Vorschrift von der Kommune einzutragen)", "the federal state's administrative procedure act (provision to be filled in by the municipality)",
		"LVwG (Vorschrift zu prüfen)", "LVwG (provision to be checked)",
		"Personalvertretungsgesetz des Landes (Vorschrift von der Kommune einzutragen)", "the federal state's staff representation act (provision to be filled in by the municipality)",
	).Replace(s)
}

// WriteText prints r for people: class, basis, duties with their dates,
// notes, and the legal standing date.
func WriteText(w io.Writer, lang string, r Result) error {
	l := r.Localize(lang)
	t := func(id string, kv ...any) string { return msg(id, kv...).Text(lang) }
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n", t("aiact.text.class"), l.ClassLabel)
	if r.Since != "" {
		fmt.Fprintf(&b, "%s\n", t("aiact.text.since", "Date", r.Since))
	}
	if len(l.Basis) > 0 {
		fmt.Fprintf(&b, "\n%s\n", t("aiact.text.basis"))
		for _, ref := range l.Basis {
			fmt.Fprintf(&b, "  - %s: %s\n", ref.Article, ref.Text)
		}
	}
	if len(l.Duties) > 0 {
		fmt.Fprintf(&b, "\n%s\n", t("aiact.text.duties"))
		for i, d := range l.Duties {
			fmt.Fprintf(&b, "  - %s: %s", d.Article, d.Text)
			if r.Duties[i].From != "" {
				fmt.Fprintf(&b, " (%s)", t("aiact.text.from", "Date", r.Duties[i].From))
			}
			b.WriteByte('\n')
		}
	}
	if len(l.Notes) > 0 {
		fmt.Fprintf(&b, "\n%s\n", t("aiact.text.notes"))
		for _, n := range l.Notes {
			fmt.Fprintf(&b, "  - %s\n", n)
		}
	}
	fmt.Fprintf(&b, "\n%s\n", t("aiact.text.stand", "Stand", Date(r.Stand), "Source", Source))
	_, err := io.WriteString(w, b.String())
	return err
}
