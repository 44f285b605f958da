package hotspot

import (
	"github.com/ki-reise/kicheck/internal/aiact"
)

// Answers are the process's legal facts as answers to the plain-language
// survey questions of internal/aiact (question id → answer id), for a
// form that asks them. Questions whose answer is not stored on a process
// (personenbezug: the data class says it) are left out.
func (p Process) Answers() map[string]string {
	f := p.Facts()
	out := map[string]string{}
	for _, q := range aiact.Questions() {
		if !FormAsks(q) {
			continue
		}
		v, err := f.Get(q.Field)
		if err != nil {
			continue
		}
		for _, a := range q.Answers {
			if a.Set[q.Field] == v {
				out[q.ID] = a.ID
				break
			}
		}
	}
	return out
}

// FormAsks reports whether a form for a process asks the question: every
// question but the one on personal data, which the data class answers.
func FormAsks(q aiact.Question) bool { return q.Field != aiact.FieldPersonalData }

// WithAnswers returns p with the legal columns set from the answers to
// aiact's questions (aiact.Answered): bereich, anhang_iii_nummer,
// profiling, wirkung, ausnahme, ausnahme_dokumentiert, buergerkontakt,
// veroeffentlichung, redaktionelle_pruefung, beschaeftigte, verbot.
// Answers to questions no longer asked (an earlier answer changed) do
// not count.
func (p Process) WithAnswers(answers map[string]string) (Process, error) {
	f, err := aiact.Answered(aiact.Facts{}, answers)
	if err != nil {
		return p, err
	}
	p.Area = string(f.Area)
	if p.Area == "" {
		p.Area = string(aiact.AreaNone)
	}
	p.Point = string(f.Point)
	p.Profiling = f.Profiling
	p.Effect = string(f.Effect)
	p.Exception = string(f.Exception)
	p.ExceptionDocumented = f.ExceptionDocumented
	p.PublicContact = f.InteractsWithPublic
	p.PublishesText = f.PublishesText
	p.EditorialReview = f.EditorialReview
	p.AffectsStaff = f.AffectsStaff
	p.Practice = string(f.Practice)
	return p, nil
}

// ClassColour is the colour (RGB) of a legal class in the matrix and on
// the Steckbrief; every place that shows it also names the class in text.
func ClassColour(c aiact.Class) [3]int { return classColour[c] }

// FormProcess builds a process from a form: cells are the survey columns
// the form asks as text (id, prozess, faelle_pro_jahr, …; numbers with a
// decimal comma or point), answers the legal questions (WithAnswers). It
// is checked by the rules of a sheet row; problems name the column, the
// file is "Formular".
func FormProcess(cells map[string]string, answers map[string]string, tasks []string) (Process, Problems) {
	legal, err := Process{}.WithAnswers(answers)
	if err != nil {
		return Process{}, Problems{{File: "Formular", Msg: msg("err.form_answers", "Err", err.Error())}}
	}
	rec := legal.cells(false)
	for i, col := range AllColumns {
		if v, ok := cells[col]; ok {
			rec[i] = v
		}
	}
	index := map[string]int{}
	for i, c := range AllColumns {
		index[c] = i
	}
	taskSet := map[string]bool{}
	for _, t := range tasks {
		taskSet[t] = true
	}
	p, ps := parseRow(rec, index, 0, taskSet)
	for _, q := range ps {
		q.File = "Formular"
	}
	if ps != nil {
		return Process{}, ps
	}
	p.Source.File = "Formular"
	return p, nil
}
