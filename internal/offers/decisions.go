package offers

// TrainerDecisionsForCLI lists, for the packaged test feeds in
// internal/offers/testdata, the area and level a trainer confirms per
// offer name. Tests of the command line and the GUI use it, so they rest
// on the same decisions as this package's tests.
func TrainerDecisionsForCLI() [][3]string {
	out := make([][3]string, len(trainerDecisions))
	for i, d := range trainerDecisions {
		out[i] = [3]string{d.name, d.area, d.level}
	}
	return out
}

var trainerDecisions = []struct{ name, area, level string }{
	{"Einführung in die Künstliche Intelligenz", "A1", "grundlage"},
	{"Machine Learning mit Python für Entwickler", "A1", "fortgeschritten"},
	{"Sprachmodelle kritisch nutzen: Halluzinationen erkennen", "A4", "mittel"},
	{"Informationen bewerten: Fakten, Quellen, KI-Fehler", "A4", "grundlage"},
	{"Prompting für Einsteiger", "A6", "grundlage"},
	{"Prompt-Vorlagen für Teams", "A6", "fortgeschritten"},
	{"Datenschutz im digitalen Alltag", "A5", "grundlage"},
	{"KI im Rathaus: Anwendungsfälle finden", "A8", "mittel"},
	{"Digitale Kompetenzlücken im Team erkennen", "A8", "fortgeschritten"},
	{"Urheberrecht und KI-generierte Inhalte", "A7", "mittel"},
}
