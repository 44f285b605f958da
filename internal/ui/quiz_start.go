package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ki-reise/kicheck/internal/policy"
	"github.com/ki-reise/kicheck/internal/quiz"
	"github.com/ki-reise/kicheck/internal/quizsession"
)

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
	q.st.goBackground(func(ctx context.Context) {
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

func (q *quizScreen) onStart() {
	i := q.sessionSel.SelectedIndex()
	name := strings.TrimSpace(q.pseudonym.Text)
	if i < 0 || i >= len(q.sessionIDs) {
		q.startStatus.SetText(lang.L("quiz.no_open_sessions"))
		return
	}
	s, err := quizsession.Get(context.Background(), q.st.db, q.sessionIDs[i])
	if err != nil {
		q.showError(err)
		return
	}
	// Who may take part is the package's decision, as for the CLI: the
	// session must be open and the pseudonym new in it.
	var ce *quizsession.ConflictError
	if err := quizsession.CanTakePart(context.Background(), q.st.db, s, name); errors.As(err, &ce) {
		q.startStatus.SetText(localized(ce))
		return
	} else if err != nil {
		q.showError(err)
		return
	}
	role := quiz.Roles[0]
	for k, t := range roleTitles() {
		if t == q.roleSel.Selected {
			role = quiz.Roles[k]
		}
	}
	q.beginAttempt(s, name, role)
}
