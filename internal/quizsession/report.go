package quizsession

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/learning"
	"github.com/ki-reise/kicheck/internal/quiz"
	"github.com/ki-reise/kicheck/internal/quizstats"
	"github.com/ki-reise/kicheck/internal/store"
)

// Stats runs the item analysis over a session's attempts. Only scored items
// count; choice items carry their options for the distractor analysis.
func Stats(ctx context.Context, db *store.DB, sessionID string) (*quizstats.Report, error) {
	s, err := Get(ctx, db, sessionID)
	if err != nil {
		return nil, err
	}
	as, err := Attempts(ctx, db, sessionID)
	if err != nil {
		return nil, err
	}
	return StatsOf(s, as)
}

// StatsOf is Stats on loaded data.
func StatsOf(s *Session, as []Attempt) (*quizstats.Report, error) {
	var items []quizstats.Item
	var positions []int
	for _, it := range s.Items {
		q := it.Question
		if !q.Type.Scored() {
			continue
		}
		si := quizstats.Item{ID: q.ID, Title: q.DisplayTitle(), Area: q.Area}
		if q.Type == quiz.Single || q.Type == quiz.Multi || q.Type == quiz.TrueFalse {
			for _, a := range q.Answers {
				si.Options = append(si.Options, quizstats.Option{Text: a.Text, Fraction: a.Fraction})
			}
		}
		items = append(items, si)
		positions = append(positions, it.Position)
	}
	var attempts []quizstats.Attempt
	for _, a := range as {
		byPos := map[int]Answer{}
		for _, ans := range a.Answers {
			byPos[ans.Position] = ans
		}
		sa := quizstats.Attempt{Participant: a.Pseudonym, Scores: make([]float64, len(items)), Choices: make([][]int, len(items))}
		for i, pos := range positions {
			if ans, ok := byPos[pos]; ok && ans.Answered {
				sa.Scores[i] = ans.Fraction
				sa.Choices[i] = ans.Response.Choices
			}
		}
		attempts = append(attempts, sa)
	}
	return quizstats.Analyze(items, attempts)
}

// Result is one participant's evaluation in one session.
type Result struct {
	Session    string               `json:"session"`
	Title      string               `json:"title"`
	Content    string               `json:"content"` // bundle id@version
	Pseudonym  string               `json:"pseudonym"`
	Finished   time.Time            `json:"finished"`
	Score      float64              `json:"score"`
	MaxScore   float64              `json:"max_score"`
	CBMMark    *float64             `json:"cbm_mark,omitempty"`
	TimedOut   bool                 `json:"timed_out"`
	Evaluation *learning.Evaluation `json:"evaluation"`
}

// ResultOf evaluates an attempt against the framework and catalogue.
func ResultOf(s *Session, a *Attempt, c *learning.Content) (*Result, error) {
	role := a.Role
	if role == "" {
		role = quiz.Anwender
	}
	ev, err := learning.Evaluate(c.Framework, c.Catalogue, role, Outcomes(s, a))
	if err != nil {
		return nil, err
	}
	return &Result{Session: s.ID, Title: s.Title, Content: s.BundleID + "@" + s.BundleVersion, Pseudonym: a.Pseudonym,
		Finished: a.Finished, Score: a.Score, MaxScore: a.MaxScore, CBMMark: a.CBMMark, TimedOut: a.TimedOut, Evaluation: ev}, nil
}

// Results evaluates every attempt of a pseudonym (or, with sessionID set,
// the one in that session), newest first.
func Results(ctx context.Context, db *store.DB, c *learning.Content, pseudonym, sessionID string) ([]*Result, error) {
	as, err := AttemptsOf(ctx, db, pseudonym)
	if err != nil {
		return nil, err
	}
	var out []*Result
	sessions := map[string]*Session{}
	for i := range as {
		a := &as[i]
		if sessionID != "" && a.SessionID != sessionID {
			continue
		}
		s := sessions[a.SessionID]
		if s == nil {
			if s, err = Get(ctx, db, a.SessionID); err != nil {
				return nil, err
			}
			sessions[a.SessionID] = s
		}
		r, err := ResultOf(s, a, c)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		return nil, &NotFoundError{What: "participant", ID: pseudonym}
	}
	return out, nil
}

// EvidenceRow is one line of the Art. 4 evidence.
type EvidenceRow struct {
	Participant string      `json:"participant"` // pseudonym, or the name when asked for
	Role        string      `json:"role"`
	RoleTitle   string      `json:"role_title"`
	Date        time.Time   `json:"date"`
	Score       float64     `json:"score"`
	MaxScore    float64     `json:"max_score"`
	Percent     float64     `json:"percent"`
	Levels      string      `json:"levels"` // "A1 Mittel, A4 Grundlage, …"
	TimedOut    bool        `json:"timed_out"`
	areas       []areaLevel // the levels for a document in another language
}

// areaLevel is the level reached in an area ("" below Grundlage).
type areaLevel struct {
	area  string
	level quiz.Level
}

// Evidence is the Art. 4 record of one session: who (pseudonymised by
// default), when, which content in which version, and the result.
type Evidence struct {
	Session     string              `json:"session"`
	Title       string              `json:"title"`
	Content     string              `json:"content"`
	ContentHash string              `json:"content_hash"`
	Framework   string              `json:"framework"`
	License     string              `json:"license"`
	Created     time.Time           `json:"created"`
	Items       int                 `json:"items"`
	WithNames   bool                `json:"with_names"`
	Rows        []EvidenceRow       `json:"participants"`
	fw          *learning.Framework // names levels and roles in a document's language
}

// BuildEvidence collects the evidence for a session. withNames shows the
// optional real names instead of the pseudonyms where one was given.
func BuildEvidence(ctx context.Context, db *store.DB, c *learning.Content, sessionID string, withNames bool) (*Evidence, error) {
	s, err := Get(ctx, db, sessionID)
	if err != nil {
		return nil, err
	}
	as, err := Attempts(ctx, db, sessionID)
	if err != nil {
		return nil, err
	}
	ev := &Evidence{Session: s.ID, Title: s.Title, Content: s.BundleTitle + " (" + s.BundleID + "@" + s.BundleVersion + ")",
		ContentHash: s.ContentHash, Framework: s.Framework, License: s.License, Created: s.Created, Items: int(s.MaxScore()), WithNames: withNames}
	for i := range as {
		a := &as[i]
		r, err := ResultOf(s, a, c)
		if err != nil {
			return nil, err
		}
		var lv []string
		var areas []areaLevel
		for _, ar := range r.Evaluation.Areas {
			if ar.Items == 0 {
				continue
			}
			l := "unter Grundlage"
			if ar.Level != "" {
				l = c.Framework.LevelTitle(ar.Level)
			}
			lv = append(lv, ar.Area+" "+l)
			areas = append(areas, areaLevel{ar.Area, ar.Level})
		}
		who := a.Pseudonym
		if withNames && a.DisplayName != "" {
			who = a.DisplayName
		}
		pct := 0.0
		if a.MaxScore > 0 {
			pct = 100 * a.Score / a.MaxScore
		}
		ev.Rows = append(ev.Rows, EvidenceRow{Participant: who, Role: string(a.Role), RoleTitle: r.Evaluation.RoleTitle, Date: a.Finished, Score: a.Score, MaxScore: a.MaxScore,
			Percent: pct, Levels: strings.Join(lv, ", "), TimedOut: a.TimedOut, areas: areas})
	}
	sort.Slice(ev.Rows, func(i, j int) bool { return ev.Rows[i].Participant < ev.Rows[j].Participant })
	ev.fw = c.Framework
	return ev, nil
}

// evidenceLegalAsOf is the "Rechtsstand" of the evidence's legal wording.
const evidenceLegalAsOf = "2026-12-04"

// WriteEvidenceMarkdown writes the evidence as a printable document in
// lang (the CSV and JSON keep the data as stored).
func WriteEvidenceMarkdown(w io.Writer, e *Evidence, lang string) error {
	t := func(id string, data ...any) string { return i18n.T(lang, id, data...) }
	when := func(d time.Time) string {
		if lang == i18n.Default {
			return d.Local().Format("02.01.2006 15:04")
		}
		return i18n.DateTime(lang, d.Local())
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", t("evidence.title"))
	fmt.Fprintf(&b, "| | |\n|---|---|\n")
	fmt.Fprintf(&b, "| %s | %s |\n", t("evidence.measure"), mdCell(e.Title))
	fmt.Fprintf(&b, "| %s | %s |\n", t("quiz.session"), t("evidence.session_value", map[string]any{"ID": e.Session, "Date": when(e.Created)}))
	fmt.Fprintf(&b, "| %s | %s |\n", t("evidence.content"), t("evidence.content_value", map[string]any{"Content": mdCell(e.Content), "Items": e.Items}))
	fmt.Fprintf(&b, "| %s | `%s` |\n", t("evidence.hash"), e.ContentHash)
	fmt.Fprintf(&b, "| %s | %s |\n", t("evidence.framework"), mdCell(e.Framework))
	fmt.Fprintf(&b, "| %s | %s |\n", t("evidence.license"), mdCell(e.License))
	who := t("quiz.pseudonym")
	if e.WithNames {
		who = t("evidence.col.name")
	}
	fmt.Fprintf(&b, "\n## %s\n\n| %s | %s | %s | %s | %s |\n|---|---|---|---|---|\n", t("evidence.participants", map[string]any{"N": len(e.Rows)}),
		who, t("common.role"), t("evidence.col.date"), t("evidence.col.result"), t("evidence.col.levels"))
	for _, r := range e.Rows {
		res := t("evidence.result", map[string]any{"Score": i18n.Decimal(lang, r.Score, 1), "Max": fmt.Sprintf("%g", r.MaxScore), "Pct": fmt.Sprintf("%.0f", r.Percent)})
		if r.TimedOut {
			res += ", " + t("evidence.timed_out")
		}
		role, levels := r.RoleTitle, r.Levels
		if e.fw != nil {
			role = e.fw.RoleLabel(quiz.Role(r.Role), lang)
			var lv []string
			for _, a := range r.areas {
				l := t("quiz.below_grundlage")
				if a.level != "" {
					l = e.fw.LevelLabel(a.level, lang)
				}
				lv = append(lv, a.area+" "+l)
			}
			levels = strings.Join(lv, ", ")
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", mdCell(r.Participant), mdCell(role), when(r.Date), res, mdCell(levels))
	}
	if !e.WithNames {
		fmt.Fprintf(&b, "\n%s\n", t("evidence.pseudonymised"))
	}
	asOf, _ := i18n.ParseDate(evidenceLegalAsOf)
	fmt.Fprintf(&b, "\n%s\n", t("evidence.footer", map[string]any{"AsOf": asOf.Text(lang)}))
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteEvidenceCSV writes the evidence as CSV, one participant per row.
func WriteEvidenceCSV(w io.Writer, e *Evidence) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"session", "content", "content_hash", "participant", "role", "date", "score", "max_score", "percent", "levels", "timed_out"})
	for _, r := range e.Rows {
		cw.Write([]string{e.Session, e.Content, e.ContentHash, r.Participant, r.Role, r.Date.UTC().Format(time.RFC3339),
			fmt.Sprintf("%.2f", r.Score), fmt.Sprintf("%g", r.MaxScore), fmt.Sprintf("%.1f", r.Percent), r.Levels, fmt.Sprint(r.TimedOut)})
	}
	cw.Flush()
	return cw.Error()
}

func mdCell(s string) string { return strings.ReplaceAll(s, "|", "\\|") }
