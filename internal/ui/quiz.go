package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ki-reise/kicheck/internal/learning"
	"github.com/ki-reise/kicheck/internal/offers"
	"github.com/ki-reise/kicheck/internal/quiz"
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

func newQuizScreen(st *state) *quizScreen { return &quizScreen{st: st, now: time.Now} }

func (q *quizScreen) title() string       { return lang.L("common.quiz") }
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
	showErrorDialog(q.st.win, err)
}
