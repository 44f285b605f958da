package ui

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ki-reise/kicheck/internal/learning"
	"github.com/ki-reise/kicheck/internal/offers"
	"github.com/ki-reise/kicheck/internal/policy"
	"github.com/ki-reise/kicheck/internal/quiz"
	"github.com/ki-reise/kicheck/internal/quizsession"
)

// quizScreen is the "Quiz" screen: participants take a session's quiz
// (keyboard only works: number keys choose, Enter goes on), see their
// per-area result and learning path; trainers start sessions, merge
// results from other PCs, read the item statistics and save the Art. 4
// evidence (quiz_trainer.go).
type quizScreen struct {
	st   *state
	tabs *container.AppTabs
	now  func() time.Time

	// Taking part.
	takeBox     *fyne.Container // what the "Teilnehmen" tab shows now
	sessionSel  *widget.Select
	pseudonym   *widget.Entry
	roleSel     *widget.RadioGroup
	startBtn    *kcButton
	startStatus *widget.Label
	pass        *widget.Label // the AI policy's KI-Pass for the role and pseudonym entered
	passDone    chan struct{} // closed when pass was updated (tests)
	sessionIDs  []string
	attempt     *quizRun
	// who takes the running attempt
	attemptPseudonym string
	attemptRole      quiz.Role
	resultBox        *fyne.Container
	trainer          *quizTrainer
	offersPart       *quizOffers
	contentCache     *learning.Content
}

// quizRun is one participant's attempt in progress.
type quizRun struct {
	session  *quizsession.Session
	shown    []quizsession.Shown
	index    int
	answers  []quizsession.Answer
	started  time.Time
	deadline time.Time

	header    *widget.Label
	timer     *widget.Label
	text      *widget.RichText
	choices   *widget.RadioGroup // single, truefalse, selfrating
	multi     *widget.CheckGroup
	entry     *widget.Entry
	matches   []*widget.Select
	certainty *widget.RadioGroup
	// certaintyStep: with CBM, Enter after the answer moves here; the
	// number keys 1–3 then choose the certainty and Enter goes on.
	certaintyStep bool
	keys          *widget.Label
	nextBtn       *kcButton
	options       []string // shown option texts, for the number keys
	done          bool
}

func newQuizScreen(st *state) *quizScreen { return &quizScreen{st: st, now: time.Now} }

func (q *quizScreen) title() string       { return lang.L("nav.quiz") }
func (q *quizScreen) icon() fyne.Resource { return theme.QuestionIcon() }

func (q *quizScreen) buildUI() fyne.CanvasObject {
	if q.st.db == nil {
		l := widget.NewLabel(lang.L("quiz.no_db"))
		l.Wrapping = fyne.TextWrapWord
		return l
	}
	q.takeBox = container.NewStack()
	q.trainer = newQuizTrainer(q)
	q.offersPart = newQuizOffers(q)
	q.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(lang.L("quiz.tab_take"), theme.DocumentCreateIcon(), q.takeBox),
		container.NewTabItemWithIcon(lang.L("quiz.tab_trainer"), theme.SettingsIcon(), q.trainer.buildUI()),
		container.NewTabItemWithIcon(lang.L("offersui.tab"), theme.ListIcon(), q.offersPart.buildUI()),
	)
	q.showStartForm()
	q.registerTabKeys()
	return q.tabs
}

// registerTabKeys binds Alt+1 … Alt+3 to the tabs (Teilnehmen, Trainer,
// Lernangebote): Fyne's tab buttons take no keyboard focus.
func (q *quizScreen) registerTabKeys() {
	if q.st.win == nil {
		return
	}
	keys := []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3}
	for i := range q.tabs.Items {
		if i >= len(keys) {
			break
		}
		sc := &desktop.CustomShortcut{KeyName: keys[i], Modifier: fyne.KeyModifierAlt}
		q.st.win.Canvas().RemoveShortcut(sc)
		q.st.win.Canvas().AddShortcut(sc, func(fyne.Shortcut) { q.tabs.SelectIndex(i) })
	}
}

func (q *quizScreen) content() *learning.Content {
	if q.contentCache == nil {
		c, err := learning.Load(q.st.dataDir)
		if err != nil {
			q.showError(err)
			return nil
		}
		// The courses chosen for the modules (Lernangebote) go with the
		// learning paths and results.
		if err := offers.Apply(context.Background(), q.st.db, c.Catalogue); err != nil {
			q.showError(err)
			return nil
		}
		q.contentCache = c
	}
	return q.contentCache
}

func (q *quizScreen) showError(err error) {
	if q.st.win != nil {
		showErrorDialog(q.st.win, err)
	}
}

// showStartForm lets a participant pick an open session, a pseudonym and
// a role.
func (q *quizScreen) showStartForm() {
	heading := widget.NewLabelWithStyle(lang.L("quiz.take_heading"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	intro := widget.NewLabel(lang.L("quiz.take_intro"))
	intro.Wrapping = fyne.TextWrapWord
	q.sessionSel = widget.NewSelect(nil, nil)
	q.sessionSel.PlaceHolder = lang.L("quiz.choose_session")
	q.pseudonym = widget.NewEntry()
	q.pseudonym.SetPlaceHolder(lang.L("quiz.pseudonym_hint"))
	q.pseudonym.OnSubmitted = func(string) { q.onStart() }
	q.pseudonym.SetText(q.st.settings.Pseudonym)
	q.pseudonym.OnChanged = func(string) { q.updatePass() }
	q.pass = widget.NewLabel("")
	q.pass.Wrapping = fyne.TextWrapWord
	q.roleSel = widget.NewRadioGroup(roleTitles(), func(string) { q.updatePass() })
	q.roleSel.SetSelected(roleTitles()[max(0, indexOf(policy.StaffRoles, q.st.role()))])
	q.startBtn = newKCButtonWithIcon(lang.L("quiz.start"), theme.MediaPlayIcon(), q.onStart)
	q.startBtn.Importance = widget.HighImportance
	q.startStatus = widget.NewLabel("")
	q.startStatus.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(
		widget.NewFormItem(lang.L("quiz.session"), q.sessionSel),
		widget.NewFormItem(lang.L("quiz.pseudonym"), q.pseudonym),
		widget.NewFormItem(lang.L("quiz.role"), q.roleSel),
	)
	q.refreshSessions()
	box := container.NewVBox(heading, intro, form, container.NewHBox(q.startBtn), q.startStatus, q.pass)
	q.setTake(container.NewVScroll(box))
	q.updatePass()
}

// updatePass shows what the AI policy's KI-Pass still asks of the role
// chosen, against the quiz results of the pseudonym entered.
func (q *quizScreen) updatePass() {
	if q.pass == nil || q.roleSel == nil {
		return
	}
	role := string(quiz.Anwender)
	if i := indexOf(roleTitles(), q.roleSel.Selected); i >= 0 {
		role = string(quiz.Roles[i])
	}
	pseudonym := strings.TrimSpace(q.pseudonym.Text)
	p := q.st.aiPolicy().Policy
	msgLang := q.st.settings.Language
	db := q.st.db
	done := make(chan struct{})
	q.passDone = done
	q.st.goBackground(func(ctx context.Context) {
		defer close(done)
		var results []policy.QuizResult
		if db != nil {
			results, _ = policy.QuizResultsOf(ctx, db, pseudonym)
		}
		text := passText(msgLang, p, role, "", results)
		fyne.Do(func() {
			q.pass.SetText(text)
			q.takeBox.Refresh()
		})
	})
}

func (q *quizScreen) setTake(o fyne.CanvasObject) {
	q.takeBox.Objects = []fyne.CanvasObject{o}
	q.takeBox.Refresh()
}

// refreshSessions fills the session choice with the open sessions.
func (q *quizScreen) refreshSessions() {
	if q.sessionSel == nil {
		return
	}
	ss, err := quizsession.List(context.Background(), q.st.db)
	if err != nil {
		q.showError(err)
		return
	}
	var labels []string
	q.sessionIDs = nil
	for _, s := range ss {
		if s.Status != quizsession.StatusOpen {
			continue
		}
		labels = append(labels, fmt.Sprintf("%s – %s", s.Title, s.ID))
		q.sessionIDs = append(q.sessionIDs, s.ID)
	}
	q.sessionSel.SetOptions(labels)
	if len(labels) > 0 {
		q.sessionSel.SetSelectedIndex(0)
		q.startStatus.SetText("")
	} else {
		q.startStatus.SetText(lang.L("quiz.no_open_sessions"))
	}
}

func roleTitles() []string {
	out := make([]string, len(quiz.Roles))
	for i, r := range quiz.Roles {
		switch r {
		case quiz.Anwender:
			out[i] = lang.L("quiz.role_anwender")
		case quiz.Fachverantwortlich:
			out[i] = lang.L("quiz.role_fachverantwortlich")
		case quiz.Fuehrungskraft:
			out[i] = lang.L("quiz.role_fuehrungskraft")
		case quiz.IT:
			out[i] = lang.L("quiz.role_it")
		}
	}
	return out
}

// gapText says how the self-rating compares with the knowledge score.
func gapText(a learning.AreaResult) string {
	data := map[string]any{"Self": fmt.Sprintf("%.0f", 100**a.SelfRating), "Score": fmt.Sprintf("%.0f", 100*a.Score)}
	switch a.GapVerdict {
	case "higher":
		return lang.L("quiz.gap_higher", data)
	case "lower":
		return lang.L("quiz.gap_lower", data)
	}
	return lang.L("quiz.gap_matches", data)
}

func (q *quizScreen) onStart() {
	i := q.sessionSel.SelectedIndex()
	name := strings.TrimSpace(q.pseudonym.Text)
	if i < 0 || i >= len(q.sessionIDs) {
		q.startStatus.SetText(lang.L("quiz.no_open_sessions"))
		return
	}
	if name == "" {
		q.startStatus.SetText(lang.L("quiz.pseudonym_missing"))
		return
	}
	s, err := quizsession.Get(context.Background(), q.st.db, q.sessionIDs[i])
	if err != nil {
		q.showError(err)
		return
	}
	as, err := quizsession.Attempts(context.Background(), q.st.db, s.ID)
	if err != nil {
		q.showError(err)
		return
	}
	for _, a := range as {
		if a.Pseudonym == name {
			q.startStatus.SetText(lang.L("quiz.pseudonym_taken", map[string]any{"Name": name}))
			return
		}
	}
	role := quiz.Roles[0]
	for k, t := range roleTitles() {
		if t == q.roleSel.Selected {
			role = quiz.Roles[k]
		}
	}
	q.beginAttempt(s, name, role)
}

// beginAttempt shows the first question and takes over the number keys
// and Enter for the window while the attempt runs.
func (q *quizScreen) beginAttempt(s *quizsession.Session, pseudonym string, role quiz.Role) {
	r := &quizRun{session: s, shown: s.Present(pseudonym), started: q.now()}
	if s.TimeLimit > 0 {
		r.deadline = r.started.Add(s.TimeLimit)
	}
	r.answers = make([]quizsession.Answer, 0, len(r.shown))
	q.attempt = r
	q.attemptPseudonym, q.attemptRole = pseudonym, role
	if q.st.win != nil {
		c := q.st.win.Canvas()
		c.SetOnTypedRune(q.onTypedRune)
		c.SetOnTypedKey(q.onTypedKey)
	}
	if !r.deadline.IsZero() {
		q.st.goBackground(func(ctx context.Context) { q.tick(ctx, r) })
	}
	q.showQuestion()
}

// tick updates the remaining time once a second and ends the attempt when
// it is up.
func (q *quizScreen) tick(ctx context.Context, r *quizRun) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-t.C:
		case <-ctx.Done():
			return // the window closed
		}
		over := false
		fyne.DoAndWait(func() {
			if r.done {
				over = true
				return
			}
			left := r.deadline.Sub(q.now())
			if left <= 0 {
				over = true
				q.finishAttempt(true)
				return
			}
			if r.timer != nil {
				r.timer.SetText(lang.L("quiz.time_left", map[string]any{"Time": fmt.Sprintf("%d:%02d", int(left.Minutes()), int(left.Seconds())%60)}))
			}
		})
		if over {
			return
		}
	}
}

func (q *quizScreen) showQuestion() {
	r := q.attempt
	sh := r.shown[r.index]
	qu := sh.Question
	r.header = widget.NewLabelWithStyle(lang.L("quiz.item_head", map[string]any{"N": r.index + 1, "Of": len(r.shown), "Area": qu.Area, "Title": qu.DisplayTitle()}),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.timer = widget.NewLabel("")
	r.text = widget.NewRichTextFromMarkdown(qu.Text)
	r.text.Wrapping = fyne.TextWrapWord
	r.choices, r.multi, r.entry, r.matches, r.certainty, r.options = nil, nil, nil, nil, nil, nil
	r.certaintyStep = false
	body := container.NewVBox()
	hint := ""
	switch qu.Type {
	case quiz.Single, quiz.TrueFalse, quiz.SelfRating:
		r.options = q.optionTexts(sh)
		r.choices = widget.NewRadioGroup(numbered(r.options), nil)
		body.Add(r.choices)
		hint = lang.L("quiz.keys_single")
	case quiz.Multi:
		r.options = q.optionTexts(sh)
		r.multi = widget.NewCheckGroup(numbered(r.options), nil)
		body.Add(r.multi)
		hint = lang.L("quiz.keys_multi")
	case quiz.Short, quiz.Numerical, quiz.Essay:
		r.entry = widget.NewEntry()
		if qu.Type == quiz.Essay {
			r.entry.MultiLine = true
			r.entry.Wrapping = fyne.TextWrapWord
			r.entry.SetMinRowsVisible(5)
		} else {
			r.entry.OnSubmitted = func(string) { q.onNext() }
		}
		body.Add(r.entry)
		hint = lang.L("quiz.keys_text")
	case quiz.Matching:
		choices := qu.MatchChoices()
		opts := make([]string, len(sh.Order))
		for k, idx := range sh.Order {
			opts[k] = choices[idx]
		}
		form := widget.NewForm()
		for _, p := range qu.SubQuestions() {
			sel := widget.NewSelect(opts, nil)
			r.matches = append(r.matches, sel)
			form.Append(p.Question, sel)
		}
		body.Add(form)
		hint = lang.L("quiz.keys_matching")
	}
	if r.session.CBM && qu.Type.Scored() {
		r.certainty = widget.NewRadioGroup(numbered([]string{lang.L("quiz.cbm_1"), lang.L("quiz.cbm_2"), lang.L("quiz.cbm_3")}), nil)
		r.certainty.Horizontal = true
		r.certainty.SetSelected(r.certainty.Options[0])
		body.Add(widget.NewLabel(lang.L("quiz.cbm_question")))
		body.Add(r.certainty)
	}
	label := lang.L("quiz.next")
	if r.index == len(r.shown)-1 {
		label = lang.L("quiz.finish")
	}
	r.nextBtn = newKCButtonWithIcon(label, theme.NavigateNextIcon(), q.onNext)
	r.nextBtn.Importance = widget.HighImportance
	keys := widget.NewLabel(hint)
	keys.Importance = widget.LowImportance
	keys.Wrapping = fyne.TextWrapWord
	r.keys = keys
	page := container.NewVBox(container.NewBorder(nil, nil, nil, r.timer, r.header))
	if qu.Type == quiz.SelfRating && (r.index == 0 || r.shown[r.index-1].Question.Type != quiz.SelfRating) {
		l := widget.NewLabel(lang.L("quiz.self_intro"))
		l.Wrapping = fyne.TextWrapWord
		page.Add(l)
	}
	page.Objects = append(page.Objects, r.text, body, container.NewHBox(r.nextBtn), keys)
	q.setTake(container.NewVScroll(page))
	if q.st.win != nil {
		if r.entry != nil {
			q.st.win.Canvas().Focus(r.entry)
		} else {
			q.st.win.Canvas().Unfocus() // number keys reach onTypedRune
		}
	}
}

// optionTexts are the answers in the order this participant sees them.
func (q *quizScreen) optionTexts(sh quizsession.Shown) []string {
	qu := sh.Question
	switch qu.Type {
	case quiz.TrueFalse:
		return []string{lang.L("quiz.true"), lang.L("quiz.false")}
	case quiz.SelfRating:
		return append([]string(nil), qu.Scale...)
	}
	out := make([]string, len(sh.Order))
	for k, idx := range sh.Order {
		out[k] = qu.Answers[idx].Text
	}
	return out
}

func numbered(opts []string) []string {
	out := make([]string, len(opts))
	for i, o := range opts {
		out[i] = fmt.Sprintf("%d) %s", i+1, o)
	}
	return out
}

// onTypedRune: the number keys 1–9 choose (single) or toggle (multiple)
// the answer with that number.
func (q *quizScreen) onTypedRune(ru rune) {
	r := q.attempt
	if r == nil || r.done || ru < '1' || ru > '9' {
		return
	}
	n := int(ru - '1')
	if r.certaintyStep {
		if n < len(r.certainty.Options) {
			r.certainty.SetSelected(r.certainty.Options[n])
		}
		return
	}
	labels := numbered(r.options)
	if n >= len(labels) {
		return
	}
	switch {
	case r.choices != nil:
		r.choices.SetSelected(labels[n])
	case r.multi != nil:
		sel := append([]string(nil), r.multi.Selected...)
		for i, s := range sel {
			if s == labels[n] {
				r.multi.SetSelected(append(sel[:i], sel[i+1:]...))
				return
			}
		}
		r.multi.SetSelected(append(sel, labels[n]))
	}
}

// onTypedKey: Enter goes to the next question.
func (q *quizScreen) onTypedKey(ev *fyne.KeyEvent) {
	if q.attempt == nil || q.attempt.done {
		return
	}
	if ev.Name == fyne.KeyReturn || ev.Name == fyne.KeyEnter {
		q.onNext()
	}
}

// onNext records the current answer and shows the next question or the
// result.
func (q *quizScreen) onNext() {
	r := q.attempt
	if r == nil || r.done {
		return
	}
	if !r.deadline.IsZero() && q.now().After(r.deadline) {
		q.finishAttempt(true)
		return
	}
	a := q.currentAnswer()
	if r.certainty != nil && a.Answered && !r.certaintyStep {
		// CBM: ask for the certainty before going on.
		r.certaintyStep = true
		r.keys.SetText(lang.L("quiz.keys_certainty"))
		if q.st.win != nil {
			q.st.win.Canvas().Unfocus()
		}
		return
	}
	r.answers = append(r.answers, a)
	r.index++
	if r.index >= len(r.shown) {
		q.finishAttempt(false)
		return
	}
	q.showQuestion()
}

// currentAnswer reads the widgets of the shown question.
func (q *quizScreen) currentAnswer() quizsession.Answer {
	r := q.attempt
	sh := r.shown[r.index]
	qu := sh.Question
	a := quizsession.Answer{Position: sh.Position, QID: qu.ID, Shown: sh.Order}
	labels := numbered(r.options)
	indexOf := func(label string) int {
		for i, l := range labels {
			if l == label {
				return i
			}
		}
		return -1
	}
	switch qu.Type {
	case quiz.Single:
		if k := indexOf(r.choices.Selected); k >= 0 {
			a.Response.Choices, a.Answered = []int{sh.Order[k]}, true
		}
	case quiz.TrueFalse:
		if k := indexOf(r.choices.Selected); k >= 0 {
			a.Response.Choices, a.Answered = []int{k}, true
		}
	case quiz.SelfRating:
		if k := indexOf(r.choices.Selected); k >= 0 {
			a.Response.Rating, a.Answered = k, true
		}
	case quiz.Multi:
		for _, s := range r.multi.Selected {
			if k := indexOf(s); k >= 0 {
				a.Response.Choices = append(a.Response.Choices, sh.Order[k])
			}
		}
		a.Answered = len(a.Response.Choices) > 0
	case quiz.Short, quiz.Numerical, quiz.Essay:
		if t := strings.TrimSpace(r.entry.Text); t != "" {
			a.Response.Text, a.Answered = t, true
		}
	case quiz.Matching:
		for _, sel := range r.matches {
			a.Response.Matches = append(a.Response.Matches, sel.Selected)
			if sel.Selected != "" {
				a.Answered = true
			}
		}
	}
	if r.certainty != nil && a.Answered {
		for i, l := range r.certainty.Options {
			if r.certainty.Selected == l {
				a.Certainty = i + 1
			}
		}
	}
	return a
}

// finishAttempt stores the attempt and shows the result.
func (q *quizScreen) finishAttempt(timedOut bool) {
	r := q.attempt
	if r == nil || r.done {
		return
	}
	r.done = true
	if q.st.win != nil {
		c := q.st.win.Canvas()
		c.SetOnTypedRune(nil)
		c.SetOnTypedKey(nil)
	}
	a := &quizsession.Attempt{SessionID: r.session.ID, Pseudonym: q.attemptPseudonym, Role: q.attemptRole,
		Started: r.started, Finished: q.now(), TimedOut: timedOut, Answers: r.answers}
	if err := quizsession.SaveAttempt(context.Background(), q.st.db, r.session, a); err != nil {
		q.showError(err)
		q.showStartForm()
		return
	}
	c := q.content()
	if c == nil {
		return
	}
	res, err := quizsession.ResultOf(r.session, a, c)
	if err != nil {
		q.showError(err)
		return
	}
	q.showResult(res, c)
	if q.trainer != nil {
		q.trainer.refresh()
	}
}

// showResult shows the per-area chart, the self-rating gaps and the
// learning path.
func (q *quizScreen) showResult(res *quizsession.Result, c *learning.Content) {
	ev := res.Evaluation
	heading := widget.NewLabelWithStyle(lang.L("quiz.result_heading", map[string]any{"Pseudonym": res.Pseudonym}), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	heading.SizeName = theme.SizeNameHeadingText
	pct := 0.0
	if res.MaxScore > 0 {
		pct = 100 * res.Score / res.MaxScore
	}
	total := widget.NewLabel(lang.L("quiz.result_total", map[string]any{"Score": numberText(res.Score),
		"Max": numberText(res.MaxScore), "Pct": fmt.Sprintf("%.0f", pct), "Role": ev.RoleTitle}))
	total.Wrapping = fyne.TextWrapWord
	parts := []fyne.CanvasObject{heading, total}
	if res.TimedOut {
		parts = append(parts, widget.NewLabel(lang.L("quiz.time_up")))
	}
	if res.CBMMark != nil {
		parts = append(parts, widget.NewLabel(lang.L("quiz.cbm_total", map[string]any{"Mark": numberText(*res.CBMMark), "Max": numberText(3 * res.MaxScore)})))
	}
	parts = append(parts, widget.NewCard(lang.L("quiz.areas_heading"), lang.L("quiz.areas_sub"), newAreaChart(ev, c)))
	path := container.NewVBox()
	if len(ev.Recommendations) == 0 {
		path.Add(widget.NewLabel(lang.L("quiz.path_none")))
	}
	for i, rec := range ev.Recommendations {
		m := rec.Module
		provider := m.Provider
		if learning.IsPlaceholder(provider) {
			provider = lang.L("quiz.placeholder")
		}
		where := lang.L("quiz.provider") + ": " + provider
		if len(m.Offers) > 0 {
			var cs []string
			for _, o := range m.Offers {
				if o.Own {
					cs = append(cs, "→ "+lang.L("offersui.own_training"))
				} else {
					cs = append(cs, "→ "+o.Provider+": "+o.Title+"\n   "+o.URL)
				}
			}
			where = strings.Join(cs, "\n")
		}
		l := widget.NewLabel(fmt.Sprintf("%d. %s\n%s · %s · %s · %s\n%s", i+1, m.Title,
			durationText(m.DurationMinutes), learning.FormatTitle(m.Format), c.Framework.LevelTitle(m.Level),
			lang.L("quiz.closes", map[string]any{"Areas": strings.Join(rec.Closes, ", ")}), where))
		l.Wrapping = fyne.TextWrapWord
		path.Add(l)
	}
	parts = append(parts, widget.NewCard(lang.L("quiz.path_heading", map[string]any{"Role": ev.RoleTitle}), "", path))
	again := newKCButtonWithIcon(lang.L("quiz.next_participant"), theme.AccountIcon(), q.showStartForm)
	again.Importance = widget.HighImportance
	parts = append(parts, container.NewHBox(again))
	q.resultBox = container.NewVBox(parts...)
	q.setTake(container.NewVScroll(q.resultBox))
	if q.st.win != nil {
		q.st.win.Canvas().Focus(again)
	}
}

// newAreaChart draws one bar per tested area: the score, the level
// reached against the role's target, and the self-rating gap.
func newAreaChart(ev *learning.Evaluation, c *learning.Content) fyne.CanvasObject {
	grid := container.New(layout.NewFormLayout())
	for _, a := range ev.Areas {
		if a.Items == 0 {
			continue
		}
		bar := widget.NewProgressBar()
		bar.SetValue(a.Score)
		level := lang.L("quiz.below_grundlage")
		if a.Level != "" {
			level = c.Framework.LevelTitle(a.Level)
		}
		st := widget.NewLabel(lang.L("quiz.level_target", map[string]any{"Level": level, "Target": c.Framework.LevelTitle(a.Target)}))
		if a.MeetsTarget {
			st.Importance = widget.SuccessImportance
		} else {
			st.Importance = widget.WarningImportance
		}
		grid.Add(widget.NewLabel(a.Area + " " + a.Title))
		grid.Add(container.NewBorder(nil, nil, nil, st, bar))
		if a.SelfRating != nil && a.GapVerdict != "" {
			g := widget.NewLabel(gapText(a))
			g.Wrapping = fyne.TextWrapWord
			g.Importance = widget.LowImportance
			grid.Add(widget.NewLabel(""))
			grid.Add(g)
		}
	}
	out := container.NewVBox(grid)
	if len(ev.Untested) > 0 {
		out.Add(widget.NewLabel(lang.L("quiz.untested", map[string]any{"Areas": strings.Join(ev.Untested, ", ")})))
	}
	return out
}

// numberText writes a score with at most two decimals and the decimal
// separator of the language in use.
func numberText(f float64) string {
	s := strconv.FormatFloat(f, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if lang.L("quiz.decimal_separator") == "," {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

func durationText(min int) string {
	if min%60 == 0 {
		return fmt.Sprintf("%d h", min/60)
	}
	if min > 60 {
		return fmt.Sprintf("%d h %d min", min/60, min%60)
	}
	return fmt.Sprintf("%d min", min)
}
