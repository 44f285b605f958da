package offers

import (
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/ki-reise/kicheck/internal/learning"
	"github.com/ki-reise/kicheck/internal/quiz"
)

// Proposal is an area an offer probably covers, found by matching its
// title, keywords and description against the area's title, description
// and level descriptors, or through a DigComp competence the feed names.
// A trainer confirms it (Assign) or rejects it (Reject); it never counts
// as coverage by itself.
type Proposal struct {
	Area  string     `json:"area"`
	Title string     `json:"title"`
	Level quiz.Level `json:"level"`
	Score float64    `json:"score"`
	// Terms are the matched words, DigComp the shared DigComp codes.
	Terms   []string `json:"terms,omitempty"`
	DigComp []string `json:"digcomp,omitempty"`
}

// MinScore is the score from which an area is proposed.
const MinScore = 6.0

// RelScore drops areas scoring below this share of the best area.
const RelScore = 0.35

// MaxProposals is the number of proposals per offer at most.
const MaxProposals = 3

// Propose returns up to MaxProposals areas for the offer, best first,
// leaving out areas it is already mapped to and areas in rejected.
func Propose(fw *learning.Framework, o *Offer, rejected map[string]bool) []Proposal {
	m := matcherFor(fw)
	offerTerms := map[string]float64{}
	add := func(text string, w float64) {
		for _, t := range terms(text) {
			offerTerms[t] = math.Max(offerTerms[t], w)
		}
	}
	add(o.Name, 2)
	add(strings.Join(o.Keywords, " "), 2)
	add(o.Description, 1)
	dig := o.DigComp()
	var out []Proposal
	best := 0.0 // over all areas, mapped ones included
	for _, a := range fw.Areas {
		p := Proposal{Area: a.ID, Title: a.Title, Level: quiz.Grundlage}
		for t, w := range m.area[a.ID] {
			if ow := matchWeight(offerTerms, t); ow > 0 {
				p.Score += w * ow * m.idf[t]
				p.Terms = append(p.Terms, t)
			}
		}
		for _, d := range dig {
			if slices.Contains(a.DigComp, d) {
				p.Score += MinScore
				p.DigComp = append(p.DigComp, d)
			}
		}
		best = math.Max(best, p.Score)
		if p.Score < MinScore || o.Mapping(a.ID) != nil || rejected[a.ID] {
			continue
		}
		sort.Strings(p.Terms)
		// The level whose descriptor shares most words with the offer.
		bestLevel := 0.0
		for _, l := range quiz.Levels {
			s := 0.0
			for _, t := range terms(a.Descriptors[l]) {
				if matchWeight(offerTerms, t) > 0 {
					s += m.idf[t]
				}
			}
			if s > bestLevel+1e-9 {
				bestLevel, p.Level = s, l
			}
		}
		p.Score = math.Round(p.Score*10) / 10
		out = append(out, p)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	for i := range out {
		if out[i].Score < RelScore*best {
			out = out[:i]
			break
		}
	}
	if len(out) > MaxProposals {
		out = out[:MaxProposals]
	}
	return out
}

// matchWeight finds t among the offer's words, also as the start of a
// longer word or the other way round (German compounds: "Sprachmodell",
// "Sprachmodelle"), from seven letters on.
func matchWeight(offer map[string]float64, t string) float64 {
	if w, ok := offer[t]; ok {
		return w
	}
	if len([]rune(t)) < 7 {
		return 0
	}
	best := 0.0
	for o, w := range offer {
		if len([]rune(o)) >= 7 && (strings.HasPrefix(o, t) || strings.HasPrefix(t, o)) {
			best = math.Max(best, w*0.8)
		}
	}
	return best
}

type matcher struct {
	area map[string]map[string]float64 // area → term → weight
	idf  map[string]float64
}

func matcherFor(fw *learning.Framework) *matcher {
	m := &matcher{area: map[string]map[string]float64{}, idf: map[string]float64{}}
	df := map[string]int{}
	for _, a := range fw.Areas {
		w := map[string]float64{}
		put := func(text string, weight float64) {
			for _, t := range terms(text) {
				w[t] = math.Max(w[t], weight)
			}
		}
		put(a.Title, 3)
		put(a.Description, 2)
		for _, d := range a.Descriptors {
			put(d, 1)
		}
		m.area[a.ID] = w
		for t := range w {
			df[t]++
		}
	}
	n := float64(len(fw.Areas))
	for t, d := range df {
		m.idf[t] = math.Log(1 + n/float64(d))
	}
	return m
}

// terms splits a text into lower-case words of at least four letters
// without stop words, with the most common German endings removed.
func terms(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if len([]rune(w)) < 4 || stopWords[w] {
			continue
		}
		out = append(out, stem(w))
	}
	return out
}

func stem(w string) string {
	for _, suf := range []string{"ungen", "ung", "en", "er", "es", "e", "n", "s"} {
		if strings.HasSuffix(w, suf) && len([]rune(w))-len([]rune(suf)) >= 4 {
			return strings.TrimSuffix(w, suf)
		}
	}
	return w
}

var stopWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`aber alle allem allen aller alles also andere anderen auch auf aus bei beim bzw dabei damit dann dass dem den denen der des die dies diese diesem diesen dieser dieses doch durch eigene eigenen eine einem einen einer eines einfach etwa euch für gibt habe haben hier ihre ihren ihr immer jede jeden jeder kann kein keine können lernen lernst mehr mein meine mich mit nach nicht noch nur oder ohne sehr seine sich sie sind so über um und uns unter viele vom von vor was weil welche wenn werden wie wird wir wo zu zum zur zwischen ich einfache eigener eigenes kurs kurse kurses course courses this that with from your about into what which their they have will learn learning also einführung introduction anderen anderer bereich bereiche beispiele beispielen grundlagen grundlage basics`) {
		stopWords[w] = true
	}
}
