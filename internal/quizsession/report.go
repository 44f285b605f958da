package quizsession

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

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
	Participant string    `json:"participant"` // pseudonym, or the name when asked for
	Role        string    `json:"role"`
	RoleTitle   string    `json:"role_title"`
	Date        time.Time `json:"date"`
	Score       float64   `json:"score"`
	MaxScore    float64   `json:"max_score"`
	Percent     float64   `json:"percent"`
	Levels      string    `json:"levels"` // "A1 Mittel, A4 Grundlage, …"
	TimedOut    bool      `json:"timed_out"`
}

// Evidence is the Art. 4 record of one session: who (pseudonymised by
// default), when, which content in which version, and the result.
type Evidence struct {
	Session     string        `json:"session"`
	Title       string        `json:"title"`
	Content     string        `json:"content"`
	ContentHash string        `json:"content_hash"`
	Framework   string        `json:"framework"`
	License     string        `json:"license"`
	Created     time.Time     `json:"created"`
	Items       int           `json:"items"`
	WithNames   bool          `json:"with_names"`
	Rows        []EvidenceRow `json:"participants"`
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
		for _, ar := range r.Evaluation.Areas {
			if ar.Items == 0 {
				continue
			}
			l := "unter Grundlage"
			if ar.Level != "" {
				l = c.Framework.LevelTitle(ar.Level)
			}
			lv = append(lv, ar.Area+" "+l)
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
			Percent: pct, Levels: strings.Join(lv, ", "), TimedOut: a.TimedOut})
	}
	sort.Slice(ev.Rows, func(i, j int) bool { return ev.Rows[i].Participant < ev.Rows[j].Participant })
	return ev, nil
}

// evidenceLegalAsOf is the "Rechtsstand" of the evidence's legal wording.
const evidenceLegalAsOf = "04.12.2026"

// WriteEvidenceMarkdown writes the evidence as a printable German
// document.
func WriteEvidenceMarkdown(w io.Writer, e *Evidence) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Nachweis: Maßnahme zur Förderung der KI-Kompetenz (Art. 4 KI-Verordnung)\n\n")
	fmt.Fprintf(&b, "| | |\n|---|---|\n")
	fmt.Fprintf(&b, "| Maßnahme | %s |\n", mdCell(e.Title))
	fmt.Fprintf(&b, "| Sitzung | %s, begonnen %s |\n", e.Session, e.Created.Local().Format("02.01.2006 15:04"))
	fmt.Fprintf(&b, "| Inhalt und Version | %s, %d Wissensfragen |\n", mdCell(e.Content), e.Items)
	fmt.Fprintf(&b, "| Prüfsumme des Inhalts | `%s` |\n", e.ContentHash)
	fmt.Fprintf(&b, "| Kompetenzrahmen | %s |\n", mdCell(e.Framework))
	fmt.Fprintf(&b, "| Lizenz des Inhalts | %s |\n", mdCell(e.License))
	who := "Pseudonym"
	if e.WithNames {
		who = "Name bzw. Pseudonym"
	}
	fmt.Fprintf(&b, "\n## Teilnehmende (%d)\n\n| %s | Rolle | Datum | Ergebnis | Niveau je Bereich |\n|---|---|---|---|---|\n", len(e.Rows), who)
	for _, r := range e.Rows {
		res := strings.Replace(fmt.Sprintf("%.1f von %g (%.0f %%)", r.Score, r.MaxScore, r.Percent), ".", ",", 1)
		if r.TimedOut {
			res += ", Zeit abgelaufen"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", mdCell(r.Participant), mdCell(r.RoleTitle), r.Date.Local().Format("02.01.2006 15:04"), res, mdCell(r.Levels))
	}
	if !e.WithNames {
		fmt.Fprintf(&b, "\nDie Teilnehmenden sind pseudonymisiert. Die Zuordnung der Pseudonyme zu Personen führt die schulende Stelle getrennt.\n")
	}
	fmt.Fprintf(&b, "\nErstellt mit KI-Check. Interne Aufzeichnung der Maßnahmen zur Förderung der KI-Kompetenz nach Art. 4 Verordnung (EU) 2024/1689 "+
		"in der Fassung des Digital Omnibus zur KI (2026). Art. 4 verlangt solche Maßnahmen, passend zu Rolle, Erfahrung und Einsatzkontext, "+
		"aber kein garantiertes Kompetenzniveau; ein Zertifikat ist nicht vorgeschrieben. Rechtsstand: %s.\n", evidenceLegalAsOf)
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
