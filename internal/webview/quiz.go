package webview

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/learning"
	"github.com/ki-reise/kicheck/internal/quiz"
	"github.com/ki-reise/kicheck/internal/quizsession"
)

// attempt is one participant's run through a session in the view; its
// fields are read and written under Server.mu.
type attempt struct {
	id        string
	session   *quizsession.Session
	pseudonym string
	role      quiz.Role
	shown     []quizsession.Shown
	answers   []quizsession.Answer
	index     int
	started   time.Time
	deadline  time.Time
	finishing bool          // the last answer is in (or the time is up)
	done      bool          // stored and evaluated
	evaluated chan struct{} // closed when done
	result    *quizsession.Result
	content   *learning.Content
	err       error
}

// maxPseudonym bounds a pseudonym (runes).
const maxPseudonym = 64

type option struct {
	Value   string
	Label   string
	Checked bool
}

type quizStartData struct {
	Sessions  []option
	Pseudonym string
	Roles     []option
	Errors    []fieldError
	None      bool
}

type fieldError struct{ Field, Text string }

// HasError says whether field has an error (for aria-invalid).
func (d quizStartData) HasError(field string) bool {
	for _, e := range d.Errors {
		if e.Field == field {
			return true
		}
	}
	return false
}

// openSessions lists the sessions a participant can join, as the Quiz
// screen's "Teilnehmen".
func (s *Server) openSessions(ctx context.Context) ([]quizsession.Summary, error) {
	all, err := quizsession.List(ctx, s.opts.DB)
	if err != nil {
		return nil, err
	}
	var out []quizsession.Summary
	for _, x := range all {
		if x.Status == quizsession.StatusOpen {
			out = append(out, x)
		}
	}
	return out, nil
}

func (s *Server) quizForm(l, chosen, pseudonym, role string, errs []fieldError, open []quizsession.Summary) quizStartData {
	d := quizStartData{Pseudonym: pseudonym, Errors: errs, None: len(open) == 0}
	for i, x := range open {
		label := i18n.T(l, "webview.session_label", map[string]any{"Title": x.Title, "Items": x.Items, "ID": x.ID})
		d.Sessions = append(d.Sessions, option{Value: x.ID, Label: label, Checked: x.ID == chosen || (chosen == "" && i == 0)})
	}
	if role == "" {
		role = string(quiz.Anwender)
	}
	for _, r := range quiz.Roles {
		d.Roles = append(d.Roles, option{Value: string(r), Label: r.Label(l), Checked: string(r) == role})
	}
	return d
}

func (s *Server) quizStart(w http.ResponseWriter, r *http.Request) {
	l := langOf(r)
	open, err := s.openSessions(r.Context())
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	s.render(w, http.StatusOK, "quiz_start", s.newPage(l, rest(r), "quiz.take_heading", "quiz", s.quizForm(l, "", "", "", nil, open)))
}

func (s *Server) quizPost(w http.ResponseWriter, r *http.Request) {
	l := langOf(r)
	ctx := r.Context()
	open, err := s.openSessions(ctx)
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	sid := r.PostForm.Get("session")
	name := strings.TrimSpace(r.PostForm.Get("pseudonym"))
	roleV := r.PostForm.Get("role")
	var errs []fieldError
	var sess *quizsession.Session
	found := false
	for _, x := range open {
		found = found || x.ID == sid
	}
	if !found {
		errs = append(errs, fieldError{"session", i18n.T(l, "webview.choose_session_missing")})
	}
	switch {
	case name == "":
		errs = append(errs, fieldError{"pseudonym", i18n.T(l, "quiz.pseudonym_missing")})
	case utf8.RuneCountInString(name) > maxPseudonym || !utf8.ValidString(name):
		errs = append(errs, fieldError{"pseudonym", i18n.T(l, "webview.pseudonym_long", map[string]any{"Max": maxPseudonym})})
	}
	role := quiz.Anwender
	for _, x := range quiz.Roles {
		if string(x) == roleV {
			role = x
		}
	}
	if len(errs) == 0 {
		sess, err = quizsession.Get(ctx, s.opts.DB, sid)
		if err != nil {
			s.fail(w, r, http.StatusInternalServerError, err)
			return
		}
		// Who may take part is quizsession's decision: an open session
		// and a pseudonym new in it.
		var ce *quizsession.ConflictError
		if err := quizsession.CanTakePart(ctx, s.opts.DB, sess, name); errors.As(err, &ce) {
			errs = append(errs, fieldError{"pseudonym", i18n.Sentences(ce, l)})
		} else if err != nil {
			s.fail(w, r, http.StatusInternalServerError, err)
			return
		}
	}
	if len(errs) > 0 {
		p := s.newPage(l, rest(r), "quiz.take_heading", "quiz", s.quizForm(l, sid, name, roleV, errs, open))
		p.Title = p.T("webview.error_prefix", "Title", p.Title)
		s.render(w, http.StatusUnprocessableEntity, "quiz_start", p)
		return
	}
	now := s.opts.Now()
	a := &attempt{id: newID(), session: sess, pseudonym: name, role: role, shown: sess.Present(name), started: now, evaluated: make(chan struct{})}
	if sess.TimeLimit > 0 {
		a.deadline = now.Add(sess.TimeLimit)
	}
	s.mu.Lock()
	s.attempts[a.id] = a
	s.mu.Unlock()
	http.Redirect(w, r, s.base(l)+"/quiz/"+a.id+"#question", http.StatusSeeOther)
}

type questionData struct {
	ID        string
	Pos       int
	Head      string
	SelfIntro bool
	Paras     []string
	Kind      string // radio, checkbox, text, essay, matching
	Options   []option
	Matches   []matchRow
	CBM       []option
	Last      bool
	Deadline  string
}

type matchRow struct {
	Label   string
	Name    string
	Choices []string
}

func (s *Server) attemptOf(r *http.Request) *attempt {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.attempts[r.PathValue("id")]
}

func (s *Server) quizGet(w http.ResponseWriter, r *http.Request) {
	l := langOf(r)
	a := s.attemptOf(r)
	if a == nil {
		s.notFound(w, r)
		return
	}
	s.mu.Lock()
	finishing, evaluated := a.finishing, a.evaluated
	s.mu.Unlock()
	if finishing {
		// The attempt is being stored: its result follows at once.
		select {
		case <-evaluated:
		case <-r.Context().Done():
			return
		}
		s.mu.Lock()
		res, c, err := a.result, a.content, a.err
		s.mu.Unlock()
		if err != nil {
			s.fail(w, r, http.StatusInternalServerError, err)
			return
		}
		d := resultData(l, res, c)
		p := s.newPage(l, rest(r), "quiz.take_heading", "quiz", d)
		p.Title = d.Heading
		s.render(w, http.StatusOK, "quiz_result", p)
		return
	}
	d := s.question(l, a)
	p := s.newPage(l, rest(r), "quiz.take_heading", "quiz", d)
	p.Title = d.Head
	s.render(w, http.StatusOK, "quiz_question", p)
}

func (s *Server) question(l string, a *attempt) questionData {
	s.mu.Lock()
	defer s.mu.Unlock()
	return questionOf(l, a)
}

// questionOf is the current question of a; the caller holds s.mu.
func questionOf(l string, a *attempt) questionData {
	sh := a.shown[a.index]
	qu := sh.Question
	d := questionData{ID: a.id, Pos: a.index, Last: a.index == len(a.shown)-1,
		Head: i18n.T(l, "quiz.item_head", map[string]any{"N": a.index + 1, "Of": len(a.shown), "Area": qu.Area, "Title": qu.DisplayTitle()})}
	d.SelfIntro = qu.Type == quiz.SelfRating && (a.index == 0 || a.shown[a.index-1].Question.Type != quiz.SelfRating)
	d.Paras = paragraphs(qu.Text, qu.Format)
	opts := func(texts []string) {
		for k, t := range texts {
			d.Options = append(d.Options, option{Value: strconv.Itoa(k), Label: t})
		}
	}
	switch qu.Type {
	case quiz.Single, quiz.SelfRating, quiz.TrueFalse:
		d.Kind = "radio"
		opts(optionTexts(l, sh))
	case quiz.Multi:
		d.Kind = "checkbox"
		opts(optionTexts(l, sh))
	case quiz.Short, quiz.Numerical:
		d.Kind = "text"
	case quiz.Essay:
		d.Kind = "essay"
	case quiz.Matching:
		d.Kind = "matching"
		choices := qu.MatchChoices()
		shown := make([]string, len(sh.Order))
		for k, idx := range sh.Order {
			shown[k] = choices[idx]
		}
		for i, p := range qu.SubQuestions() {
			d.Matches = append(d.Matches, matchRow{Label: plain(p.Question, qu.PartFormat(p.Format)), Name: "m" + strconv.Itoa(i), Choices: shown})
		}
	}
	if a.session.CBM && qu.Type.Scored() {
		for i, id := range []string{"quiz.cbm_1", "quiz.cbm_2", "quiz.cbm_3"} {
			d.CBM = append(d.CBM, option{Value: strconv.Itoa(i + 1), Label: i18n.T(l, id), Checked: i == 0})
		}
	}
	if !a.deadline.IsZero() {
		d.Deadline = i18n.T(l, "webview.time_until", map[string]any{"Time": a.deadline.Local().Format("15:04")})
	}
	return d
}

// optionTexts are the answers in the order this participant sees them,
// as on the Quiz screen.
func optionTexts(l string, sh quizsession.Shown) []string {
	qu := sh.Question
	switch qu.Type {
	case quiz.TrueFalse:
		return []string{i18n.T(l, "quiz.true"), i18n.T(l, "quiz.false")}
	case quiz.SelfRating:
		return append([]string(nil), qu.Scale...)
	}
	out := make([]string, len(sh.Order))
	for k, idx := range sh.Order {
		a := qu.Answers[idx]
		out[k] = plain(a.Text, qu.PartFormat(a.Format))
	}
	return out
}

// answerOf reads the form of the shown question sh into an answer with the
// question's own indexes (quizsession.Answer), as the Quiz screen reads its
// widgets.
func answerOf(form map[string][]string, sh quizsession.Shown, cbm bool) quizsession.Answer {
	qu := sh.Question
	a := sh.NewAnswer()
	n := 0
	switch qu.Type {
	case quiz.Single, quiz.Multi, quiz.TrueFalse, quiz.SelfRating:
		n = len(optionTexts("de", sh))
	}
	picked := func() []int {
		var out []int
		seen := map[int]bool{}
		for _, v := range form["a"] {
			k, err := strconv.Atoi(v)
			if err == nil && k >= 0 && k < n && !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
		return out
	}
	// The options are shown numbered; quizsession maps the numbers
	// picked to the answer, as for the CLI and the Quiz screen.
	numbers := func(ks []int) []int {
		out := make([]int, len(ks))
		for i, k := range ks {
			out[i] = k + 1
		}
		return out
	}
	switch qu.Type {
	case quiz.Single, quiz.TrueFalse, quiz.SelfRating:
		if ks := picked(); len(ks) > 0 {
			a, _ = sh.Choose(ks[0] + 1)
		}
	case quiz.Multi:
		a, _ = sh.Choose(numbers(picked())...)
	case quiz.Short, quiz.Numerical, quiz.Essay:
		a = sh.Write(first(form["text"]))
	case quiz.Matching:
		choices := qu.MatchChoices()
		var nums []int
		for i := range qu.SubQuestions() {
			v, n := first(form["m"+strconv.Itoa(i)]), 0
			for k, idx := range sh.Order {
				if choices[idx] == v {
					n = k + 1
				}
			}
			nums = append(nums, n) // not one of the choices: none
		}
		a = sh.Match(nums...)
	}
	if cbm && qu.Type.Scored() && a.Answered {
		if c, err := strconv.Atoi(first(form["cbm"])); err == nil && c >= 1 && c <= 3 {
			a.Certainty = c
		} else {
			a.Certainty = 1
		}
	}
	return a
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

// maxText bounds a typed answer (runes).
const maxText = 4000

func (s *Server) quizAnswer(w http.ResponseWriter, r *http.Request) {
	l := langOf(r)
	a := s.attemptOf(r)
	if a == nil {
		s.notFound(w, r)
		return
	}
	back := s.base(l) + "/quiz/" + a.id + "#question"
	if t := r.PostForm.Get("text"); utf8.RuneCountInString(t) > maxText {
		r.PostForm.Set("text", string([]rune(t)[:maxText]))
	}
	if finish, timedOut := s.record(a, r.PostForm); finish {
		s.finishAttempt(r.Context(), a, timedOut)
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// record takes the answer of the form to the current question of a and
// says whether the attempt is over. A repeated or stale form (its "pos"
// is not the current question) changes nothing.
func (s *Server) record(a *attempt, form url.Values) (finish, timedOut bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	pos, err := strconv.Atoi(form.Get("pos"))
	if a.finishing || err != nil || pos != a.index {
		return false, false
	}
	timedOut = !a.deadline.IsZero() && s.opts.Now().After(a.deadline)
	if !timedOut {
		a.answers = append(a.answers, answerOf(form, a.shown[a.index], a.session.CBM))
		a.index++
	}
	finish = timedOut || a.index >= len(a.shown)
	a.finishing = finish
	return finish, timedOut
}

// finishAttempt stores the attempt and evaluates it (quizsession.SaveAttempt
// and ResultOf with the learning content, as the Quiz screen).
func (s *Server) finishAttempt(ctx context.Context, a *attempt, timedOut bool) {
	ctx = context.WithoutCancel(ctx)
	st := &quizsession.Attempt{SessionID: a.session.ID, Pseudonym: a.pseudonym, Role: a.role,
		Started: a.started, Finished: s.opts.Now(), TimedOut: timedOut, Answers: a.answers}
	var res *quizsession.Result
	var c *learning.Content
	err := quizsession.SaveAttempt(ctx, s.opts.DB, a.session, st)
	if err == nil {
		c, err = learning.Load(s.opts.DataDir)
	}
	if err == nil {
		res, err = quizsession.ResultOf(a.session, st, c)
	}
	s.mu.Lock()
	a.result, a.content, a.err, a.done = res, c, err, true
	s.mu.Unlock()
	close(a.evaluated)
}

type areaRow struct {
	Title, Score, Level, Self, Gap string
	Meets                          bool
}

type moduleRow struct {
	Title, Facts string
	Provider     string
	Offers       []offerRow
}

type offerRow struct{ Text, URL string }

type resultView struct {
	Heading  string
	Total    string
	TimedOut bool
	CBM      string
	Areas    []areaRow
	Untested string
	PathHead string
	Modules  []moduleRow
}

// resultData is the result in lang, with the Quiz screen's texts.
func resultData(l string, res *quizsession.Result, c *learning.Content) resultView {
	ev := res.Evaluation
	t := func(id string, data map[string]any) string { return i18n.T(l, id, data) }
	pct := 0.0
	if res.MaxScore > 0 {
		pct = 100 * res.Score / res.MaxScore
	}
	d := resultView{Heading: t("quiz.result_heading", map[string]any{"Pseudonym": res.Pseudonym}),
		Total: t("quiz.result_total", map[string]any{"Score": i18n.Short(l, res.Score), "Max": i18n.Short(l, res.MaxScore),
			"Pct": fmt.Sprintf("%.0f", pct), "Role": c.Framework.RoleLabel(ev.Role, l)}),
		TimedOut: res.TimedOut,
		PathHead: t("quiz.path_heading", map[string]any{"Role": c.Framework.RoleLabel(ev.Role, l)})}
	if res.CBMMark != nil {
		d.CBM = t("quiz.cbm_total", map[string]any{"Mark": i18n.Short(l, *res.CBMMark), "Max": i18n.Short(l, 3*res.MaxScore)})
	}
	for _, a := range ev.Areas {
		if a.Items == 0 {
			continue
		}
		level := i18n.T(l, "quiz.below_grundlage")
		if a.Level != "" {
			level = c.Framework.LevelLabel(a.Level, l)
		}
		row := areaRow{Title: a.Area + " " + c.Framework.AreaLabel(a.Area, l), Score: fmt.Sprintf("%.0f %%", 100*a.Score), Meets: a.MeetsTarget,
			Level: t("quiz.level_target", map[string]any{"Level": level, "Target": c.Framework.LevelLabel(a.Target, l)})}
		if gap, ok := a.GapMsg(); ok {
			row.Gap = gap.Text(l)
		}
		d.Areas = append(d.Areas, row)
	}
	if len(ev.Untested) > 0 {
		d.Untested = t("quiz.untested", map[string]any{"Areas": strings.Join(ev.Untested, ", ")})
	}
	for _, rec := range ev.Recommendations {
		m := rec.Module
		row := moduleRow{Title: m.Title, Facts: strings.Join([]string{i18n.Minutes(l, m.DurationMinutes), learning.FormatTitle(m.Format),
			c.Framework.LevelLabel(m.Level, l), t("quiz.closes", map[string]any{"Areas": strings.Join(rec.Closes, ", ")})}, " · ")}
		row.Provider = m.Provider
		if learning.IsPlaceholder(row.Provider) {
			row.Provider = i18n.T(l, "common.municipality_to_fill")
		}
		for _, o := range m.Offers {
			if o.Own {
				row.Offers = append(row.Offers, offerRow{Text: i18n.T(l, "offersui.own_training")})
				continue
			}
			row.Offers = append(row.Offers, offerRow{Text: o.Provider + ": " + o.Title, URL: safeURL(o.URL)})
		}
		d.Modules = append(d.Modules, row)
	}
	return d
}

// safeURL keeps only http(s) links (an offer's URL comes from an imported
// catalogue).
func safeURL(u string) string {
	if strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://") {
		return u
	}
	return ""
}
