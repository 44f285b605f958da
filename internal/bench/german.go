package bench

import (
	"strings"
	"unicode"
)

// The language check is a heuristic, documented in docs/prompts.md
// ("language_is_german"): the share of words that are common German
// function words, compared with the share of English ones. Function words
// are frequent in any running text of a language and rare in others, so
// the ratio separates German from English (the likely failure: a model
// answering in English) without a language model. Only umlaut-free words
// are listed, so text whose umlauts were replaced (ae, oe) or lost still
// counts. Words that are also common in English (in, an, so, am, was,
// also, man, die) are left out of both lists.

// DefaultGermanRatio is the minimum share of German function words.
// Measured on the bundle's reference answers: German prose 0.25–0.45,
// Leichte Sprache 0.2–0.4, English prose below 0.03.
const DefaultGermanRatio = 0.15

// minGermanWords: below this the ratio says nothing.
const minGermanWords = 8

var germanFunctionWords = setOf(`der das und ist nicht ein eine einen einem einer eines zu den dem des
mit von auf sie wir ich es sich im bei auch oder aber wird werden sind wie als nach bitte ihre ihr
ihnen ihren ihrem noch nur kann dass wenn zum zur aus vom um hat haben sein wurde wurden uns unser
unsere diese dieser dieses diesem diesen kein keine keinen sehr bis durch gegen ohne hier dann schon
alle ob weil mich mir dich dir dein ihm ihn er wer wo wann warum jetzt immer sowie sollen soll muss
mussen darf wir bei beim gibt gilt welche welcher welches nicht nichts etwa zwischen innerhalb
damit dabei dazu daher deshalb jedoch sondern sowohl weder noch denn doch ja nein vielen dank`)

var englishFunctionWords = setOf(`the and is are not a an to of with from on they we i it you he she
be will been have has had this that these those which who what when where why how or but if for
by at as please your our their there here would should can could may must do does did`)

func setOf(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// GermanMeasure is what the heuristic found in a text.
type GermanMeasure struct {
	Words        int
	GermanRatio  float64
	EnglishRatio float64
}

// MeasureGerman counts words and the shares of German and English function
// words in text.
func MeasureGerman(text string) GermanMeasure {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r)
	})
	var m GermanMeasure
	var de, en int
	for _, w := range words {
		m.Words++
		if germanFunctionWords[w] {
			de++
		}
		if englishFunctionWords[w] {
			en++
		}
	}
	if m.Words > 0 {
		m.GermanRatio = float64(de) / float64(m.Words)
		m.EnglishRatio = float64(en) / float64(m.Words)
	}
	return m
}
