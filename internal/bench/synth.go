package bench

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strings"
	"unicode"
	"unicode/utf8"
)

// SynthDefinition names the published way synthetic prompts are built
// (docs/prompts.md, "Speed scenarios"). Change the text or the algorithm
// only together with a new definition name, so old runs stay comparable.
const SynthDefinition = "synth-de/1"

// synthWords is the fixed vocabulary of synth-de/1: everyday words of
// municipal German. Order matters (the generator indexes it).
var synthWords = strings.Fields(`Antrag Bescheid Gemeinde Stadt Verwaltung Bürger Bürgerin Amt Frist
Gebühr Bauantrag Genehmigung Anlage Schreiben Unterlagen Termin Sprechstunde Rathaus Ordnungsamt
Bürgerbüro Meldebehörde Straße Hausnummer Grundstück Eigentümer Mieter Wohnung Kindergarten Schule
Sozialamt Jugendamt Standesamt Urkunde Ausweis Reisepass Führerschein Kennzeichen Parkplatz
Abfall Entsorgung Wasser Abwasser Strom Haushalt Satzung Verordnung Beschluss Stadtrat Ausschuss
Sitzung Tagesordnung Protokoll Anfrage Antwort Auskunft Widerspruch Klage Zahlung Rechnung Konto
Mahnung Erinnerung Zuständigkeit Abteilung Sachbearbeitung Leitung Vertretung Öffnungszeiten
Montag Dienstag Mittwoch Donnerstag Freitag Woche Monat Jahr heute morgen bald später rechtzeitig
bitte wird wurde werden ist sind war hat haben kann können muss soll darf gilt bleibt erhält
prüft bearbeitet sendet schickt beantragt genehmigt lehnt ab teilt mit reicht ein füllt aus
der die das den dem des ein eine einen einem einer und oder aber auch noch schon nur sehr
mit von zu bei nach aus für über unter vor hinter neben zwischen durch gegen ohne um
neue alte schnelle vollständige fehlende zuständige öffentliche städtische schriftliche digitale
gültige notwendige weitere erste letzte nächste wichtige einfache kurze lange klare`)

// synthRand returns the deterministic random source of one prompt and
// repetition: the same scenario and repetition always give the same text,
// different repetitions give different texts.
func synthRand(scenario string, rep int) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(SynthDefinition + "\x00" + scenario))
	return rand.New(rand.NewPCG(h.Sum64(), uint64(rep)+1))
}

// SynthText builds words words of German-looking text for scenario and
// repetition rep. The first sentence names the repetition and a random
// reference, so no two repetitions share a prefix and a runtime's prompt
// cache cannot skip their processing.
func SynthText(scenario string, rep, words int) string {
	r := synthRand(scenario, rep)
	var b strings.Builder
	fmt.Fprintf(&b, "Vorgang %d-%06d.", rep, r.IntN(1000000))
	inSentence := 0
	sentenceLen := 6 + r.IntN(9)
	for i := 0; i < words; i++ {
		w := synthWords[r.IntN(len(synthWords))]
		if inSentence == 0 {
			w = capitalise(w)
		}
		b.WriteByte(' ')
		b.WriteString(w)
		inSentence++
		if inSentence == sentenceLen || i == words-1 {
			b.WriteByte('.')
			inSentence = 0
			sentenceLen = 6 + r.IntN(9)
		}
	}
	return b.String()
}

func capitalise(w string) string {
	r, n := utf8.DecodeRuneInString(w)
	return string(unicode.ToUpper(r)) + w[n:]
}

// synthInstruction precedes the text. Generation scenarios ask the model to
// continue writing, so a model that follows instructions keeps producing
// tokens until max_tokens.
const synthInstruction = "Lies den folgenden Text und schreibe ihn ausführlich weiter.\n\n"

// Calibration maps words of synthetic text to prompt tokens for one model:
// tokens = Overhead + PerWord × words. Measured with two short requests
// (docs/prompts.md), because the tokenizer is the runtime's.
type Calibration struct {
	Overhead float64 `json:"overhead"` // tokens of template, instruction and first sentence
	PerWord  float64 `json:"per_word"` // tokens per synthetic word
	Measured bool    `json:"measured"` // false: the assumed defaults below
	Words    int     `json:"words"`    // synthetic words PerWord is estimated from
}

// observe pools one more measured prompt (words words gave tokens prompt
// tokens) into the tokens-per-word estimate: more words, less noise from
// the random choice of words.
func (c *Calibration) observe(words, tokens int) {
	extra := float64(tokens) - c.Overhead
	if words <= 0 || extra <= 0 {
		return
	}
	total := c.PerWord*float64(c.Words) + extra
	c.Words += words
	c.PerWord = total / float64(c.Words)
}

// defaultCalibration is used when the runtime reports no token counts.
var defaultCalibration = Calibration{Overhead: 30, PerWord: 2.0}

// WordsFor returns how many words give about tokens prompt tokens.
func (c Calibration) WordsFor(tokens int) int {
	per := c.PerWord
	if per <= 0 {
		per = defaultCalibration.PerWord
	}
	w := int((float64(tokens) - c.Overhead) / per)
	return max(w, 1)
}

// synthMessages builds the messages of a synthetic scenario.
func synthMessages(scenario string, rep, words int) []Message {
	return []Message{{Role: "user", Content: synthInstruction + SynthText(scenario, rep, words)}}
}
