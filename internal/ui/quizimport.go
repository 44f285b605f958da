package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ki-reise/kicheck/internal/bundle"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/quiz"
)

// quizImport is the "Fragen importieren" part of the Quiz screen: a trainer
// picks a GIFT, Moodle XML or YAML file (file dialog or drag and drop onto
// the window), sees what was read (questions per type, every error with
// line and column) and imports it into the question bank. A file with
// errors is imported only when "nur gültige Fragen importieren" is ticked;
// nothing in the bank changes otherwise.
//
// The Quiz screen embeds buildUI() and may set onImported to refresh its
// list of quizzes.
type quizImport struct {
	st         *state
	onImported func(quiz.StoredBundle)

	choose    *kcButton
	fileLabel *widget.Label
	summary   *widget.Label
	errList   *widget.Label
	errBox    *fyne.Container
	validOnly *widget.Check
	importBtn *kcButton
	status    *widget.Label

	current *quizImportResult
}

// quizImportResult is one file read, before it is stored.
type quizImportResult struct {
	name   string // shown to the user
	source string // path or URI stored with the bundle
	format string
	bundle *quiz.Bundle
	errs   bundle.Errors
	err    error // the file could not be read at all
}

func newQuizImport(st *state) *quizImport { return &quizImport{st: st} }

func (q *quizImport) title() string { return lang.L("quizimport.heading") }

func (q *quizImport) buildUI() fyne.CanvasObject {
	heading := widget.NewLabelWithStyle(lang.L("quizimport.heading"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	intro := widget.NewLabel(lang.L("quizimport.intro"))
	intro.Wrapping = fyne.TextWrapWord
	q.choose = newKCButtonWithIcon(lang.L("common.choose_file"), theme.FolderOpenIcon(), q.onChooseFile)
	q.fileLabel = widget.NewLabel(lang.L("quizimport.no_file"))
	q.fileLabel.Wrapping = fyne.TextWrapBreak
	q.summary = widget.NewLabel("")
	q.summary.Wrapping = fyne.TextWrapWord
	q.errList = widget.NewLabel("")
	q.errList.Wrapping = fyne.TextWrapWord
	q.errList.Importance = widget.DangerImportance
	errHeading := widget.NewLabelWithStyle(lang.L("quizimport.errors_heading"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	q.errBox = container.NewVBox(errHeading, q.errList)
	q.errBox.Hide()
	q.validOnly = widget.NewCheck(lang.L("quizimport.valid_only"), func(bool) { q.updateImportButton() })
	q.validOnly.Hide()
	q.importBtn = newKCButtonWithIcon(lang.L("quizimport.import"), theme.DownloadIcon(), q.onImport)
	q.importBtn.Importance = widget.HighImportance
	q.importBtn.Disable()
	q.status = widget.NewLabel("")
	q.status.Wrapping = fyne.TextWrapWord

	q.st.win.SetOnDropped(q.onDropped)
	return container.NewVBox(heading, intro, container.NewHBox(q.choose), q.fileLabel, q.summary, q.errBox,
		q.validOnly, container.NewHBox(q.importBtn), q.status)
}

func (q *quizImport) onChooseFile() {
	choosePath(q.st.win, quiz.FileExtensions, func(path string) { q.open(storage.NewFileURI(path)) })
}

// onDropped takes the first dropped file (SetOnDropped of the window).
func (q *quizImport) onDropped(_ fyne.Position, uris []fyne.URI) {
	if len(uris) > 0 {
		q.open(uris[0])
	}
}

// open reads the file at u in the background.
func (q *quizImport) open(u fyne.URI) {
	r, err := storage.Reader(u)
	if err != nil {
		q.show(&quizImportResult{name: u.Name(), err: err})
		return
	}
	q.readInBackground(u, r)
}

func (q *quizImport) readInBackground(u fyne.URI, r io.ReadCloser) {
	q.fileLabel.SetText(lang.L("quizimport.reading", map[string]any{"File": u.Name()}))
	q.importBtn.Disable()
	q.st.goBackground(func(context.Context) {
		defer r.Close()
		res := readQuizFile(u.Name(), uriSource(u), r)
		fyne.Do(func() { q.show(res) })
	})
}

func uriSource(u fyne.URI) string {
	if u.Scheme() == "file" {
		return u.Path()
	}
	return u.String()
}

// readQuizFile reads and parses a question file; no UI.
func readQuizFile(name, source string, r io.Reader) *quizImportResult {
	res := &quizImportResult{name: name, source: source, format: quiz.FormatFromName(name)}
	if res.format == "" {
		res.err = fmt.Errorf("%s", lang.L("quizimport.unknown_format", map[string]any{"File": name}))
		return res
	}
	data, err := quiz.ReadLimited(name, res.format, r)
	if errs, ok := err.(bundle.Errors); ok {
		res.errs = errs
		return res
	}
	if err != nil {
		res.err = err
		return res
	}
	res.bundle, res.errs, res.err = quiz.ReadQuestions(name, res.format, data, quiz.ReadOptions{Title: strings.TrimSuffix(name, filepath.Ext(name))})
	return res
}

// show puts a read result on screen.
func (q *quizImport) show(res *quizImportResult) {
	q.current = res
	q.status.SetText("")
	q.status.Importance = widget.MediumImportance
	q.validOnly.SetChecked(false)
	q.fileLabel.SetText(res.name)
	if res.err != nil {
		var l i18n.Localizer
		if errors.As(res.err, &l) {
			q.summary.SetText(describeError(res.err)) // names the file itself
		} else {
			q.summary.SetText(lang.L("quizimport.read_failed", map[string]any{"File": res.name, "Detail": res.err.Error()}))
		}
		q.errBox.Hide()
		q.validOnly.Hide()
		q.updateImportButton()
		return
	}
	valid := 0
	if res.bundle != nil {
		valid = len(res.bundle.Questions)
	}
	text := lang.L("quizimport.read_ok", map[string]any{"Count": valid})
	if len(res.errs) > 0 {
		text = lang.L("quizimport.read_errors", map[string]any{"Count": valid, "Errors": len(res.errs)})
	}
	if valid > 0 {
		text += "\n" + typeCountText(quiz.CountTypes(res.bundle.Questions))
	}
	q.summary.SetText(text)
	if len(res.errs) > 0 {
		var lines []string
		for i, e := range res.errs {
			if i == maxShownErrors {
				lines = append(lines, lang.L("common.more_errors", map[string]any{"Count": len(res.errs) - maxShownErrors}))
				break
			}
			lines = append(lines, errorLine(e, q.language()))
		}
		q.errList.SetText(strings.Join(lines, "\n"))
		q.errBox.Show()
		if valid > 0 {
			q.validOnly.Show()
		} else {
			q.validOnly.Hide()
		}
	} else {
		q.errBox.Hide()
		q.validOnly.Hide()
	}
	q.updateImportButton()
}

// maxShownErrors keeps a badly broken file from filling the screen; the
// first errors are the ones to fix first anyway.
const maxShownErrors = 30

// typeLabel is the translated name of a question type.
func typeLabel(t quiz.Type) string { return t.Label(textLang()) }

func typeCountText(m map[quiz.Type]int) string {
	var parts []string
	for _, t := range quiz.Types {
		if m[t] > 0 {
			parts = append(parts, fmt.Sprintf("%s: %d", typeLabel(t), m[t]))
		}
	}
	return strings.Join(parts, " · ")
}

// errorLine writes a parse error for a person: where, which question, what.
func errorLine(e *bundle.Error, language string) string {
	where := ""
	field := e.Field()
	switch {
	case e.Line > 0 && e.Column > 0:
		where = lang.L("quizimport.line_col", map[string]any{"Line": e.Line, "Col": e.Column})
	case e.Line > 0:
		where = lang.L("quizimport.line", map[string]any{"Line": e.Line})
	case field != "":
		where = field
	}
	msg := e.Message(language)
	if field != "" && e.Line > 0 {
		msg = field + ": " + msg
	}
	if e.Question != "" {
		msg = i18n.T(language, "bundle.question", map[string]any{"Name": i18n.Escape(e.Question)}) + ": " + msg
	}
	if where == "" {
		return msg
	}
	return where + ": " + msg
}

// importable reports whether the current result may be stored now.
func (q *quizImport) importable() bool {
	res := q.current
	if res == nil || res.err != nil || res.bundle == nil || len(res.bundle.Questions) == 0 {
		return false
	}
	return len(res.errs) == 0 || q.validOnly.Checked
}

func (q *quizImport) updateImportButton() {
	if q.importable() {
		q.importBtn.Enable()
	} else {
		q.importBtn.Disable()
	}
}

func (q *quizImport) onImport() {
	if !q.importable() {
		return
	}
	if q.st.db == nil {
		q.showStatus(describeError(q.st.dbErr), true)
		return
	}
	res := q.current
	q.importBtn.Disable()
	q.st.goBackground(func(ctx context.Context) {
		sb, created, err := quiz.StoreBundle(ctx, q.st.db, res.bundle, res.source, res.format)
		fyne.Do(func() { q.showImported(sb, created, err) })
	})
}

func (q *quizImport) showImported(sb quiz.StoredBundle, created bool, err error) {
	switch {
	case err != nil:
		detail := err.Error()
		var be *quiz.BankError
		if errors.As(err, &be) {
			msg, hint := be.Text(q.language())
			detail = msg + ". " + hint
		}
		q.showStatus(lang.L("quizimport.failed", map[string]any{"Detail": detail}), true)
		q.updateImportButton()
		return
	case !created:
		q.showStatus(lang.L("quizimport.unchanged"), false)
	default:
		q.showStatus(lang.L("quizimport.imported", map[string]any{"Count": sb.Questions, "Title": sb.Title, "Version": sb.Version}), false)
	}
	// The file is in the bank: importing it again would change nothing.
	q.current = nil
	q.importBtn.Disable()
	q.validOnly.Hide()
	if q.onImported != nil {
		q.onImported(sb)
	}
}

// language is the language of the messages shown (the settings' choice).
func (q *quizImport) language() string {
	if q.st.settings.Language == "" {
		return "de"
	}
	return q.st.settings.Language
}

func (q *quizImport) showStatus(text string, bad bool) {
	q.status.Importance = widget.MediumImportance
	if bad {
		q.status.Importance = widget.DangerImportance
	}
	q.status.SetText(text)
}
