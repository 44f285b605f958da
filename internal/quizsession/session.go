package quizsession

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/fnv"
	mrand "math/rand/v2"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/quiz"
)

// Cell is one competency area at one level: the unit of pool drawing.
type Cell struct {
	Area  string
	Level quiz.Level
}

func (c Cell) String() string { return c.Area + "/" + string(c.Level) }

// Options are what a trainer chooses when starting a session.
type Options struct {
	ID    string // optional; default s-YYYYMMDD-<random>
	Title string // default: the bundle's title
	// Seed makes the drawing and the answer order reproducible; 0 picks a
	// random one (it is recorded either way).
	Seed int64
	// PerCell draws this many items from every area × level cell (0 = all
	// items of the cell). Draw overrides it for the cells it names.
	PerCell int
	Draw    map[Cell]int
	// NoShuffle keeps the answers in the order of the bundle.
	NoShuffle bool
	// TimeLimit per participant; 0 = no limit.
	TimeLimit time.Duration
	// CBM switches on confidence-based marking.
	CBM bool
}

// Item is one drawn question of a session.
type Item struct {
	Position int           `json:"position"`
	Kind     string        `json:"kind"` // knowledge, selfrating
	Question quiz.Question `json:"question"`
}

// Item kinds.
const (
	KindKnowledge  = "knowledge"
	KindSelfRating = "selfrating"
)

// Session statuses.
const (
	StatusOpen     = "open"
	StatusFinished = "finished"
)

// Session is a planned or stored session.
type Session struct {
	ID                string        `json:"id"`
	Title             string        `json:"title"`
	BundleID          string        `json:"bundle_id"`
	BundleVersion     string        `json:"bundle_version"`
	BundleTitle       string        `json:"bundle_title"`
	ContentHash       string        `json:"content_hash"`
	SelfBundleID      string        `json:"self_bundle_id,omitempty"`
	SelfBundleVersion string        `json:"self_bundle_version,omitempty"`
	Framework         string        `json:"framework,omitempty"`
	License           string        `json:"license,omitempty"`
	Seed              int64         `json:"seed"`
	Draw              string        `json:"draw"`
	Shuffle           bool          `json:"shuffle"`
	TimeLimit         time.Duration `json:"time_limit_ns"`
	CBM               bool          `json:"cbm"`
	Status            string        `json:"status"`
	Created           time.Time     `json:"created"`
	Finished          *time.Time    `json:"finished,omitempty"`
	Items             []Item        `json:"items"`
}

// Knowledge returns the scored items (and essays), in order.
func (s *Session) Knowledge() []Item { return s.kind(KindKnowledge) }

// SelfRatings returns the self-rating statements, in order.
func (s *Session) SelfRatings() []Item { return s.kind(KindSelfRating) }

func (s *Session) kind(k string) []Item {
	var out []Item
	for _, it := range s.Items {
		if it.Kind == k {
			out = append(out, it)
		}
	}
	return out
}

// Item returns the item at position, or nil.
func (s *Session) Item(pos int) *Item {
	for i := range s.Items {
		if s.Items[i].Position == pos {
			return &s.Items[i]
		}
	}
	return nil
}

// MaxScore is the number of scored items.
func (s *Session) MaxScore() float64 {
	n := 0
	for _, it := range s.Items {
		if it.Question.Type.Scored() {
			n++
		}
	}
	return float64(n)
}

var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// Plan draws a session from a knowledge bundle and, optionally, its
// self-rating bundle. It is pure: the same bundles, options and seed give
// the same items in the same order.
func Plan(b, self *quiz.Bundle, opts Options, now time.Time) (*Session, error) {
	if b == nil || len(b.Questions) == 0 {
		return nil, i18n.NewError("quizsession.plan.no_questions", "", nil, nil)
	}
	if opts.ID != "" && !idPattern.MatchString(opts.ID) {
		return nil, i18n.NewError("quizsession.plan.id", "", map[string]any{"ID": i18n.Escape(opts.ID)}, nil)
	}
	if opts.PerCell < 0 {
		return nil, i18n.NewError("quizsession.plan.per_cell", "", map[string]any{"N": opts.PerCell}, nil)
	}
	if opts.TimeLimit < 0 {
		return nil, i18n.NewError("quizsession.plan.time_limit", "", map[string]any{"Limit": opts.TimeLimit.String()}, nil)
	}
	seed := opts.Seed
	if seed == 0 {
		var buf [8]byte
		rand.Read(buf[:])
		seed = int64(binary.LittleEndian.Uint64(buf[:]) >> 1)
		if seed == 0 {
			seed = 1
		}
	}
	s := &Session{
		ID: opts.ID, Title: opts.Title,
		BundleID: b.ID, BundleVersion: b.Version, BundleTitle: b.Title,
		Framework: b.Framework, License: b.License,
		Seed: seed, Draw: drawSpec(opts), Shuffle: !opts.NoShuffle,
		TimeLimit: opts.TimeLimit, CBM: opts.CBM, Status: StatusOpen, Created: now.UTC(),
	}
	if s.Title == "" {
		s.Title = b.Title
	}
	if s.ID == "" {
		var buf [3]byte
		rand.Read(buf[:])
		s.ID = "s-" + now.UTC().Format("20060102") + "-" + hex.EncodeToString(buf[:])
	}
	for c := range opts.Draw {
		if !slices.ContainsFunc(b.Questions, func(q quiz.Question) bool { return q.Area == c.Area && q.Level == c.Level }) {
			return nil, i18n.NewError("quizsession.plan.cell_empty", "", map[string]any{"Quiz": i18n.Escape(b.ID), "Area": i18n.Escape(c.Area), "Level": i18n.Escape(string(c.Level))}, nil)
		}
	}
	drawn := draw(b.Questions, opts, seed)
	for _, q := range drawn {
		if q.Type == quiz.SelfRating {
			continue // self-ratings are kept apart, see below
		}
		s.Items = append(s.Items, Item{Position: len(s.Items), Kind: KindKnowledge, Question: q})
	}
	if len(s.Items) == 0 {
		return nil, i18n.NewError("quizsession.plan.none_drawn", "", nil, nil)
	}
	if self != nil {
		s.SelfBundleID, s.SelfBundleVersion = self.ID, self.Version
		// Only statements about areas the session tests: a self-rating
		// without knowledge items to compare with says little.
		areas := map[string]bool{}
		for _, it := range s.Items {
			areas[it.Question.Area] = true
		}
		for _, q := range self.Questions {
			if q.Type == quiz.SelfRating && areas[q.Area] {
				s.Items = append(s.Items, Item{Position: len(s.Items), Kind: KindSelfRating, Question: q})
			}
		}
	}
	s.ContentHash = contentHash(s.Items)
	return s, nil
}

// draw picks the items: per area × level cell, the number the options ask
// for, chosen with the seed; the picked items keep the bundle's order.
func draw(qs []quiz.Question, opts Options, seed int64) []quiz.Question {
	if opts.PerCell == 0 && len(opts.Draw) == 0 {
		return qs
	}
	cells := map[Cell][]int{}
	var order []Cell
	for i, q := range qs {
		c := Cell{q.Area, q.Level}
		if _, ok := cells[c]; !ok {
			order = append(order, c)
		}
		cells[c] = append(cells[c], i)
	}
	rng := mrand.New(mrand.NewPCG(uint64(seed), 0x6b692d636865636b)) // "ki-check"
	var keep []int
	for _, c := range order {
		idx := cells[c]
		want, named := opts.Draw[c]
		if !named {
			if len(opts.Draw) > 0 && opts.PerCell == 0 {
				continue // only the named cells
			}
			want = opts.PerCell
		}
		perm := rng.Perm(len(idx))
		for k := 0; k < len(idx) && k < want; k++ {
			keep = append(keep, idx[perm[k]])
		}
	}
	sort.Ints(keep)
	out := make([]quiz.Question, len(keep))
	for i, k := range keep {
		out[i] = qs[k]
	}
	return out
}

func drawSpec(o Options) string {
	var parts []string
	if o.PerCell > 0 {
		parts = append(parts, "per-cell="+strconv.Itoa(o.PerCell))
	}
	var cells []string
	for c, n := range o.Draw {
		cells = append(cells, c.String()+"="+strconv.Itoa(n))
	}
	sort.Strings(cells)
	return strings.Join(append(parts, cells...), ",")
}

// ParseDraw reads a drawing rule as written by drawSpec:
// "per-cell=2,A1/grundlage=3". The empty string means all items.
func ParseDraw(spec string) (perCell int, cells map[Cell]int, err error) {
	cells = map[Cell]int{}
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		n, convErr := strconv.Atoi(strings.TrimSpace(v))
		if !ok || convErr != nil || n < 0 {
			return 0, nil, fmt.Errorf("draw rule %q: write AREA/LEVEL=N or per-cell=N", part)
		}
		if k == "per-cell" {
			perCell = n
			continue
		}
		area, level, ok := strings.Cut(k, "/")
		if !ok || area == "" || !slices.Contains(quiz.Levels, quiz.Level(level)) {
			return 0, nil, fmt.Errorf("draw rule %q: write AREA/LEVEL=N with a level of grundlage, mittel, fortgeschritten, hochspezialisiert", part)
		}
		cells[Cell{area, quiz.Level(level)}] = n
	}
	return perCell, cells, nil
}

// contentHash fingerprints exactly what was asked.
func contentHash(items []Item) string {
	h := sha256.New()
	for _, it := range items {
		b, _ := json.Marshal(it)
		h.Write(b)
		h.Write([]byte{'\n'})
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// Shown is an item as one participant sees it: Order[i] is the index (in
// the question's Answers, or in MatchChoices for matching) of the option
// shown at place i.
type Shown struct {
	Item
	Order []int `json:"order,omitempty"`
}

// Present returns the items in the order a participant sees them, with
// the options shuffled by the session seed, the pseudonym and the question
// id: the same participant sees the same order again.
func (s *Session) Present(pseudonym string) []Shown {
	out := make([]Shown, len(s.Items))
	for i, it := range s.Items {
		n := 0
		switch it.Question.Type {
		case quiz.Single, quiz.Multi:
			n = len(it.Question.Answers)
		case quiz.Matching:
			n = len(it.Question.MatchChoices())
		}
		order := make([]int, n)
		for k := range order {
			order[k] = k
		}
		if s.Shuffle && n > 1 {
			h := fnv.New64a()
			fmt.Fprintf(h, "%d\x00%s\x00%s", s.Seed, pseudonym, it.Question.ID)
			rng := mrand.New(mrand.NewPCG(h.Sum64(), uint64(s.Seed)))
			rng.Shuffle(n, func(a, b int) { order[a], order[b] = order[b], order[a] })
		}
		out[i] = Shown{Item: it, Order: order}
	}
	return out
}
