package ui

import (
	"context"
	"fmt"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ki-reise/kicheck/internal/quiz"
	"github.com/ki-reise/kicheck/internal/quizsession"
)

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
	c := q.st.win.Canvas()
	c.SetOnTypedRune(q.onTypedRune)
	c.SetOnTypedKey(q.onTypedKey)
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
	if r.entry != nil {
		q.st.win.Canvas().Focus(r.entry)
	} else {
		q.st.win.Canvas().Unfocus() // number keys reach onTypedRune
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
		q.st.win.Canvas().Unfocus()
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
	// The options are shown numbered; quizsession maps the numbers chosen
	// to the answer, as for the CLI.
	number := func(label string) int { return slices.Index(numbered(r.options), label) + 1 }
	var a quizsession.Answer
	switch qu.Type {
	case quiz.Single, quiz.TrueFalse, quiz.SelfRating:
		a, _ = sh.Choose()
		if n := number(r.choices.Selected); n > 0 {
			a, _ = sh.Choose(n)
		}
	case quiz.Multi:
		var nums []int
		for _, s := range r.multi.Selected {
			if n := number(s); n > 0 {
				nums = append(nums, n)
			}
		}
		a, _ = sh.Choose(nums...)
	case quiz.Short, quiz.Numerical, quiz.Essay:
		a = sh.Write(r.entry.Text)
	case quiz.Matching:
		nums := make([]int, len(r.matches))
		for i, sel := range r.matches {
			nums[i] = sel.SelectedIndex() + 1 // none chosen: 0
		}
		a = sh.Match(nums...)
	default:
		a = sh.NewAnswer()
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
	q.st.win.Canvas().SetOnTypedRune(nil)
	q.st.win.Canvas().SetOnTypedKey(nil)
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
