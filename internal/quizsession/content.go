package quizsession

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/ki-reise/kicheck/bundles"
	"github.com/ki-reise/kicheck/internal/bundle"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/quiz"
	"github.com/ki-reise/kicheck/internal/store"
)

// SelfSuffix names a quiz's self-rating bundle: <quiz id>-selbst.
const SelfSuffix = "-selbst"

// Library is the quiz bundles a session can be started from: the packaged
// ones, replaced or extended by the municipality's files in
// <datadir>/bundles/quizzes/. Warnings lists override files that were
// refused (with file, line and field); the packaged bundles stay usable.
type Library struct {
	Bundles  []*quiz.Bundle
	Warnings []error
}

var quizKind = bundle.Kind{Dir: "quizzes", Embedded: bundles.Quizzes}

// LoadLibrary reads the packaged and the data dir's quiz bundles.
func LoadLibrary(dataDir string) (*Library, error) {
	packaged, err := quiz.LoadBundles(quizKind.Embedded, quizKind.Dir)
	if err != nil {
		return nil, fmt.Errorf("packaged quizzes: %w", err)
	}
	byID := map[string]*quiz.Bundle{}
	for _, b := range packaged {
		byID[b.ID] = b
	}
	lib := &Library{}
	own, problems := quizKind.Own(dataDir)
	for _, p := range problems {
		lib.Warnings = append(lib.Warnings, p)
	}
	for _, f := range own {
		b, errs := quiz.ParseBundle(f.Name, f.Data)
		if len(errs) > 0 {
			// A partly valid file is refused whole: a trainer's quiz
			// must not lose questions without anyone noticing.
			lib.Warnings = append(lib.Warnings, errs)
			continue
		}
		byID[b.ID] = b
	}
	for _, b := range byID {
		lib.Bundles = append(lib.Bundles, b)
	}
	sort.Slice(lib.Bundles, func(i, j int) bool { return lib.Bundles[i].ID < lib.Bundles[j].ID })
	return lib, nil
}

// Quizzes returns the knowledge bundles (not the self-rating ones).
func (l *Library) Quizzes() []*quiz.Bundle {
	var out []*quiz.Bundle
	for _, b := range l.Bundles {
		if !strings.HasSuffix(b.ID, SelfSuffix) {
			out = append(out, b)
		}
	}
	return out
}

// Find returns the bundle with the id, or nil.
func (l *Library) Find(id string) *quiz.Bundle {
	for _, b := range l.Bundles {
		if b.ID == id {
			return b
		}
	}
	return nil
}

// UnknownQuizError names the quizzes there are.
type UnknownQuizError struct {
	ID    string
	Known []string
}

func (e *UnknownQuizError) Error() string {
	msg, _ := e.Localize("en")
	return msg
}

// Hint says what to do (English; a person gets Localize).
func (e *UnknownQuizError) Hint() string {
	_, hint := e.Localize("en")
	return hint
}

// Localize renders the message and the hint (the quizzes there are) in
// lang.
func (e *UnknownQuizError) Localize(lang string) (msg, hint string) {
	data := map[string]any{"ID": i18n.Escape(e.ID), "Known": strings.Join(e.Known, ", ")}
	return i18n.T(lang, "quizsession.unknown_quiz", data), i18n.T(lang, "quizsession.unknown_quiz.hint", data)
}

// Resolve finds the quiz and its self-rating bundle (nil when there is
// none) by id, or reads a bundle file when ref is a path to a .yaml/.yml
// file.
func (l *Library) Resolve(ref string) (quizBundle, self *quiz.Bundle, err error) {
	if ext := strings.ToLower(filepath.Ext(ref)); ext == ".yaml" || ext == ".yml" {
		b, err := quiz.LoadBundleFile(ref)
		if err != nil {
			return nil, nil, err
		}
		return b, l.Find(b.ID + SelfSuffix), nil
	}
	b := l.Find(ref)
	if b == nil {
		var known []string
		for _, q := range l.Quizzes() {
			known = append(known, q.ID)
		}
		return nil, nil, &UnknownQuizError{ID: ref, Known: known}
	}
	return b, l.Find(ref + SelfSuffix), nil
}

// AddBank adds the newest version of every bundle in the question bank
// (imported GIFT, Moodle XML or YAML files) whose id the library does not
// have yet, so a trainer can run a session on an imported Moodle bank.
func (l *Library) AddBank(ctx context.Context, db *store.DB) error {
	sbs, err := quiz.CurrentBundles(ctx, db)
	if err != nil {
		return err
	}
	for _, sb := range sbs {
		if l.Find(sb.ID) != nil {
			continue
		}
		b, err := quiz.LoadBundle(ctx, db, sb)
		if err != nil {
			return err
		}
		l.Bundles = append(l.Bundles, b)
	}
	sort.Slice(l.Bundles, func(i, j int) bool { return l.Bundles[i].ID < l.Bundles[j].ID })
	return nil
}

// Start plans a session and stores it. The bundles are put into the
// question bank first (unchanged if they are there already), so every
// session item links the bank's copy; a bundle whose version is in the
// bank with other content is not stored again, and the session keeps its
// own snapshot of the questions either way.
func Start(ctx context.Context, db *store.DB, b, self *quiz.Bundle, opts Options, now time.Time) (*Session, []error, error) {
	s, err := Plan(b, self, opts, now)
	if err != nil {
		return nil, nil, &PlanError{Err: err}
	}
	var warnings []error
	for _, x := range []*quiz.Bundle{b, self} {
		if x == nil {
			continue
		}
		cp := *x
		cp.Questions = append([]quiz.Question(nil), x.Questions...)
		if _, _, err := quiz.StoreBundle(ctx, db, &cp, "session:"+s.ID, "yaml"); err != nil {
			warnings = append(warnings, err)
		}
	}
	if err := Create(ctx, db, s); err != nil {
		return nil, warnings, err
	}
	return s, warnings, nil
}

// PlanError is a session that cannot be drawn as asked (no items in a
// named cell, a bad id): the trainer's input, not the system, is at fault.
type PlanError struct{ Err error }

func (e *PlanError) Error() string { return e.Err.Error() }
func (e *PlanError) Unwrap() error { return e.Err }
