package quiz

import "fmt"

// message is a text for a person: an English format with its arguments.
// The German text is looked up by the English format (germanMessages), so
// the call sites read like plain fmt.Sprintf and a test checks that every
// format has a translation.
type message struct {
	format string
	args   []any
}

func msgf(format string, args ...any) message { return message{format: format, args: args} }

func (m message) String() string { return fmt.Sprintf(m.format, m.args...) }

// in returns the text in lang; English when there is no translation.
func (m message) in(lang string) string {
	if lang == "de" {
		if f, ok := germanMessages[m.format]; ok {
			return fmt.Sprintf(f, m.args...)
		}
	}
	return m.String()
}

// germanMessages translates the English formats; the German text must use
// the same arguments (messages_test.go checks both).
var germanMessages = map[string]string{
	"unknown question type %q; use one of %s": "unbekannter Fragetyp %q; möglich sind %s",
	"the file is larger than %d KiB, the most KI-Check imports in this format; split it into several files": "die Datei ist größer als %d KiB, mehr liest KI-Check in diesem Format nicht ein; bitte teilen Sie sie auf mehrere Dateien auf",
	"the question text is empty":                                                    "der Fragetext ist leer",
	"unknown text format %q; use markdown, html, plain or moodle":                   "unbekanntes Textformat %q; möglich sind markdown, html, plain und moodle",
	"unknown level %q; use grundlage, mittel, fortgeschritten or hochspezialisiert": "unbekannte Stufe %q; möglich sind grundlage, mittel, fortgeschritten und hochspezialisiert",
	"unknown role %q; use anwender, fachverantwortlich, fuehrungskraft or it":       "unbekannte Rolle %q; möglich sind anwender, fachverantwortlich, fuehrungskraft und it",
	"the tag is empty": "das Schlagwort ist leer",
	"tag %q uses a reserved prefix (area:, level:, role:, type:); use the fields area, level, roles instead": "das Schlagwort %q beginnt mit einem reservierten Präfix (area:, level:, role:, type:); bitte die Felder area, level und roles verwenden",
	"a %s question has no %s":                                                            "eine Frage vom Typ %s hat kein Feld %s",
	"answer %d is empty":                                                                 "Antwort %d ist leer",
	"fraction %v is outside -1..1":                                                       "der Anteil %v liegt nicht zwischen -1 und 1",
	"a single-choice question needs at least 2 answers, has %d":                          "eine Einfachauswahl braucht mindestens 2 Antworten, hat aber %d",
	"one answer must have fraction 1 (100 %%)":                                           "eine Antwort muss den Anteil 1 (100 %%) haben",
	"a multiple-answer question needs at least 2 answers, has %d":                        "eine Mehrfachauswahl braucht mindestens 2 Antworten, hat aber %d",
	"at least one answer must have a positive fraction":                                  "mindestens eine Antwort muss einen positiven Anteil haben",
	"a truefalse question has exactly the answers %q and %q":                             "eine Wahr/Falsch-Frage hat genau die Antworten %q und %q",
	"exactly one of true/false must have fraction 1, the other 0":                        "genau eine der Antworten true/false muss den Anteil 1 haben, die andere 0",
	"a short answer cannot contain -> (GIFT reads it as a matching pair)":                "eine Kurzantwort darf -> nicht enthalten (GIFT liest das als Zuordnungspaar)",
	"a short-answer question needs at least one accepted answer":                         "eine Kurzantwort-Frage braucht mindestens eine richtige Antwort",
	"a numerical question needs at least one answer":                                     "eine Zahlenfrage braucht mindestens eine Antwort",
	"tolerance %v is negative":                                                           "die Toleranz %v ist negativ",
	"a range needs both min and max":                                                     "ein Bereich braucht min und max",
	"min %v is greater than max %v":                                                      "min %v ist größer als max %v",
	"not a finite number":                                                                "keine endliche Zahl",
	"the answer of pair %d is empty":                                                     "die Antwort von Paar %d ist leer",
	"a sub-question cannot contain -> (it separates question and answer)":                "eine Teilfrage darf -> nicht enthalten (es trennt Frage und Antwort)",
	"a matching question needs at least 2 pairs with a sub-question, has %d":             "eine Zuordnungsfrage braucht mindestens 2 Paare mit Teilfrage, hat aber %d",
	"a self-rating statement needs a scale of at least 2 steps, has %d":                  "eine Selbsteinschätzung braucht eine Skala mit mindestens 2 Stufen, hat aber %d",
	"scale step %d is empty":                                                             "Skalenstufe %d ist leer",
	"two competency areas: %q and %q":                                                    "zwei Kompetenzbereiche: %q und %q",
	"two levels: %q and %q":                                                              "zwei Stufen: %q und %q",
	"tag type:%s: only type:selfrating is known":                                         "Schlagwort type:%s: bekannt ist nur type:selfrating",
	"a $CATEGORY line must be followed by a blank line":                                  "nach einer $CATEGORY-Zeile muss eine Leerzeile folgen",
	"duplicate id %q (first used by the question in line %d)":                            "die ID %q ist doppelt (zuerst bei der Frage in Zeile %d)",
	"the title opened with :: is not closed with ::; write \\: for a colon in the title": "der mit :: begonnene Titel wird nicht mit :: beendet; ein Doppelpunkt im Titel wird als \\: geschrieben",
	"} without {; write \\} for a literal brace":                                         "} ohne {; eine Klammer als Text wird als \\} geschrieben",
	"tag type:selfrating needs the scale as answers {~… ~…}":                             "das Schlagwort type:selfrating braucht die Skala als Antworten {~… ~…}",
	"the answer block opened here is not closed with }; write \\{ for a literal brace":   "der hier begonnene Antwortblock wird nicht mit } geschlossen; eine Klammer als Text wird als \\{ geschrieben",
	"{ inside an answer block; close the block with } first or write \\{":                "{ innerhalb eines Antwortblocks; zuerst den Block mit } schließen oder \\{ schreiben",
	"a question has only one answer block; write \\%c for a literal brace":               "eine Frage hat nur einen Antwortblock; eine Klammer als Text wird als \\%c geschrieben",
	"%s": "%s",
	"weight not closed: write %%50%% (a percentage between -100 and 100)":          "Gewichtung nicht geschlossen: %%50%% schreiben (ein Prozentsatz zwischen -100 und 100)",
	"weight %%%s%% is not a percentage between -100 and 100":                       "die Gewichtung %%%s%% ist kein Prozentsatz zwischen -100 und 100",
	"text before the first answer; start every answer with = (right) or ~ (wrong)": "Text vor der ersten Antwort; jede Antwort beginnt mit = (richtig) oder ~ (falsch)",
	"the answer block has no answer":                                               "der Antwortblock enthält keine Antwort",
	"text before the first pair; write every pair as =question -> answer":          "Text vor dem ersten Paar; jedes Paar wird als =Frage -> Antwort geschrieben",
	"pair %d has no ->; write =question -> answer":                                 "Paar %d hat kein ->; =Frage -> Antwort schreiben",
	"pair %d has no answer after ->":                                               "Paar %d hat keine Antwort nach ->",
	"numerical answer %d has no number":                                            "Zahlenantwort %d enthält keine Zahl",
	"%q is not a number (write 3.14, 3.14:0.01 or 1..5)":                           "%q ist keine Zahl (3.14, 3.14:0.01 oder 1..5 schreiben)",
	"the numerical answer block has no number":                                     "der Zahlen-Antwortblock enthält keine Zahl",
	"the file is empty":                            "die Datei ist leer",
	"the file must hold exactly one YAML document": "die Datei muss genau ein YAML-Dokument enthalten",
	"the file must be a mapping with format, id, version, title and questions": "die Datei muss eine Zuordnung mit format, id, version, title und questions sein",
	"must not be blank":                           "darf nicht leer sein",
	"duplicate id %q (first used by question %d)": "die ID %q ist doppelt (zuerst bei Frage %d)",
	"not a Moodle XML file: %v":                   "keine Moodle-XML-Datei: %v",
	"fraction %q is not a number":                 "der Anteil %q ist keine Zahl",
	"numerical answer %q is not a number":         "die Zahlenantwort %q ist keine Zahl",
	"tolerance %q is not a number":                "die Toleranz %q ist keine Zahl",
	"question type %q is not supported; KI-Check reads multichoice, truefalse, shortanswer, numerical, matching, essay and description": "der Fragetyp %q wird nicht unterstützt; KI-Check liest multichoice, truefalse, shortanswer, numerical, matching, essay und description",
	"tag type:selfrating on a question that is not a multichoice scale":                                                                 "Schlagwort type:selfrating an einer Frage, die keine Skala (multichoice) ist",
	"bundle %s: no questions to import":                                                                                                  "Fragensammlung %s: keine Fragen zu importieren",
	"the file has no valid question; fix the reported problems first":                                                                    "die Datei enthält keine gültige Frage; bitte zuerst die gemeldeten Fehler beheben",
	"bundle %s: duplicate question id %q":                                                                                                "Fragensammlung %s: die Fragen-ID %q ist doppelt",
	"give every question its own id ([id:…] in GIFT, id: in YAML)":                                                                       "jeder Frage eine eigene ID geben ([id:…] in GIFT, id: in YAML)",
	"%s version %s is already in the bank with other content (imported %s from %s)":                                                      "%s Version %s ist schon mit anderem Inhalt in der Fragensammlung (importiert %s aus %s)",
	"raise the version in the file (version: in YAML) or import with --version NEW; the bank keeps every version that sessions may cite": "die Version in der Datei erhöhen (version: in YAML) oder mit --version NEU importieren; die Fragensammlung behält jede Version, auf die sich Durchführungen beziehen können",
	"no bundle %q in the question bank":                                                                                                  "keine Fragensammlung %q vorhanden",
	"run 'kicheck quiz list' for the bundles in the bank":                                                                                "'kicheck quiz list' zeigt die vorhandenen Fragensammlungen",
}
