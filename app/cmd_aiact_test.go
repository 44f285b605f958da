package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestAIActClassifyCommand: the named cases through the command
// line, as JSON, and the text output in both languages.
func TestAIActClassifyCommand(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args    []string
		class   string
		article string
	}{
		{[]string{"--area", "oeffentliche_leistungen", "--point", "5a", "--effect", "vorschlag", "--personal-data"}, "hochrisiko", "Art. 6 Abs. 2 i. V. m. Anhang III Nr. 5 Buchst. a KI-VO"},
		{[]string{"--area", "oeffentliche_leistungen", "--point", "5(a)", "--effect", "vorbereitend", "--exception", "vorbereitung", "--documented"}, "minimal", "Art. 6 Abs. 3 Buchst. d KI-VO"},
		{[]string{"--area", "oeffentliche_leistungen", "--point", "5a", "--effect", "vorbereitend", "--exception", "vorbereitung", "--profiling"}, "hochrisiko", "Art. 6 Abs. 3 KI-VO"},
		{[]string{"--area", "keiner", "--effect", "vorbereitend", "--personal-data"}, "minimal", "Art. 5, 6, 50 KI-VO"},
		{[]string{"--area", "keiner", "--effect", "vorbereitend", "--interacts-with-public"}, "transparenz", "Art. 50 Abs. 1 KI-VO"},
		{[]string{"--area", "beschaeftigung", "--point", "4a", "--effect", "vorschlag", "--profiling"}, "hochrisiko", "Art. 6 Abs. 2 i. V. m. Anhang III Nr. 4 Buchst. a KI-VO"},
		{[]string{"--practice", "emotion_arbeitsplatz_bildung", "--affects-staff"}, "verboten", "Art. 5 Abs. 1 Buchst. f KI-VO"},
		// Survey answers, one overridden by a flag.
		{[]string{"--answer", "verbot=keine", "--answer", "bereich=oeffentliche_leistungen", "--answer", "nummer_oeffentliche_leistungen=5a",
			"--answer", "profiling=nein", "--answer", "wirkung=vorbereitend", "--answer", "ausnahme=vorbereitung", "--profiling"}, "hochrisiko", "Art. 6 Abs. 3 KI-VO"},
	} {
		out, errOut, code := kicheck(t, append([]string{"--data-dir", dir, "aiact", "classify", "--json"}, tc.args...)...)
		var r struct {
			Facts map[string]any `json:"facts"`
			Class string         `json:"class"`
			Basis []struct {
				Article string `json:"article"`
			} `json:"basis"`
			Duties []struct {
				ID   string `json:"id"`
				From string `json:"from"`
			} `json:"duties"`
			Stand string `json:"stand"`
		}
		if code != 0 || json.Unmarshal([]byte(out), &r) != nil {
			t.Fatalf("%v: exit %d %s\n%s", tc.args, code, errOut, out)
		}
		found := false
		for _, b := range r.Basis {
			found = found || b.Article == tc.article
		}
		if r.Class != tc.class || !found || r.Stand != "2026-12-04" {
			t.Errorf("%v: class %s stand %s basis %v; want %s with %q", tc.args, r.Class, r.Stand, r.Basis, tc.class, tc.article)
		}
	}

	out, _, code := kicheck(t, "--data-dir", dir, "--lang", "en", "aiact", "classify", "--area", "oeffentliche_leistungen", "--point", "5a", "--effect", "entscheidung", "--personal-data")
	for _, want := range []string{"high-risk AI system", "Art. 6(2) with Annex III point 5(a) AI Act", "§ 35a VwVfG", "Art. 22 GDPR", "from 2 December 2027", "Legal standing: 4 December 2026"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("English text lacks %q (exit %d):\n%s", want, code, out)
		}
	}
	out, _, _ = kicheck(t, "--data-dir", dir, "aiact", "classify", "--area", "keiner", "--effect", "vorbereitend", "--interacts-with-public")
	for _, want := range []string{"Transparenzpflicht (Art. 50 KI-VO)", "ab 2. August 2026", "Rechtsstand: 4. Dezember 2026"} {
		if !strings.Contains(out, want) {
			t.Errorf("German text lacks %q:\n%s", want, out)
		}
	}
}

func TestAIActBadInput(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string // in stderr
	}{
		{[]string{"aiact"}, "kicheck aiact help"},
		{[]string{"aiact", "einstufen"}, "kicheck aiact help"},
		{[]string{"aiact", "classify"}, "--area"},
		{[]string{"aiact", "classify", "--area", "sozialamt", "--effect", "vorschlag"}, "justiz_wahlen"},
		{[]string{"aiact", "classify", "--area", "keiner", "--effect", "automatisch"}, "entscheidung"},
		{[]string{"aiact", "classify", "--area", "beschaeftigung", "--point", "5a", "--effect", "vorschlag"}, "hint:"},
		{[]string{"aiact", "classify", "--answer", "bereich=sozialamt"}, "kicheck aiact questions"},
		{[]string{"aiact", "classify", "--answer", "kaputt"}, "FRAGE=ANTWORT"},
		{[]string{"aiact", "classify", "--area", "keiner", "--effect", "entscheidung", "--land", "LSA"}, "ST"},
		{[]string{"aiact", "classify", "--area", "keiner", "--effect", "vorschlag", "übrig"}, "„übrig“"},
	} {
		_, errOut, code := kicheck(t, append([]string{"--data-dir", dir}, tc.args...)...)
		if code != exitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, want %d with %q:\n%s", tc.args, code, exitUsage, tc.want, errOut)
		}
	}
}

func TestAIActQuestionsCommand(t *testing.T) {
	dir := t.TempDir()
	out, errOut, code := kicheck(t, "--data-dir", dir, "aiact", "questions", "--json")
	var qs []struct {
		ID      string `json:"id"`
		Text    string `json:"text"`
		Answers []struct {
			ID   string            `json:"id"`
			Text string            `json:"text"`
			Set  map[string]string `json:"set"`
		} `json:"answers"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &qs) != nil || len(qs) < 10 {
		t.Fatalf("questions --json: exit %d %s\n%s", code, errOut, out)
	}
	for _, q := range qs {
		if q.Text == "" || strings.HasPrefix(q.Text, "aiact.") || len(q.Answers) < 2 {
			t.Errorf("question %s: text %q, %d answers", q.ID, q.Text, len(q.Answers))
		}
	}
	out, _, code = kicheck(t, "--data-dir", dir, "aiact", "questions")
	if code != 0 || !strings.Contains(out, "Sozialleistung") || !strings.Contains(out, "4. Dezember 2026") || strings.Contains(out, "aiact.q") {
		t.Errorf("questions: exit %d\n%s", code, out)
	}
}

// TestAIActEnglishHasNoGerman: every result and the questions read in
// English without German words (the German law names stay: "§ 35a
// VwVfG", "Art. 35a BayVwVfG" carry no marker).
func TestAIActEnglishHasNoGerman(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"--area", "oeffentliche_leistungen", "--point", "5a", "--effect", "entscheidung", "--personal-data", "--data-class", "sozialdaten", "--affects-staff", "--exception", "vorbereitung"},
		{"--area", "oeffentliche_leistungen", "--point", "5a", "--effect", "vorschlag", "--exception", "verbesserung"},
		{"--area", "biometrie", "--point", "1_emotionserkennung", "--effect", "vorbereitend", "--interacts-with-public", "--publishes-text", "--profiling"},
		{"--area", "kritische_infrastruktur", "--effect", "vorschlag", "--data-class", "besondere_kategorien"},
		{"--area", "keiner", "--effect", "vorschlag", "--publishes-text", "--editorial-review"},
		{"--area", "keiner", "--effect", "entscheidung", "--land", "SN"},
		{"--area", "keiner", "--effect", "entscheidung", "--land", "HE"},
		{"--area", "keiner", "--effect", "entscheidung", "--land", "SH"},
		{"--practice", "intime_bilder"},
		{"--practice", "echtzeit_fernidentifizierung"},
	} {
		out, errOut, code := kicheck(t, append([]string{"--data-dir", dir, "--lang", "en", "aiact", "classify"}, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d %s", args, code, errOut)
		}
		assertNoGerman(t, "aiact classify "+strings.Join(args, " "), out)
	}
	out, _, _ := kicheck(t, "--data-dir", dir, "--lang", "en", "aiact", "questions")
	assertNoGerman(t, "aiact questions", out)
	_, errOut, _ := kicheck(t, "--data-dir", dir, "--lang", "en", "aiact", "classify")
	assertNoGerman(t, "aiact classify (usage)", errOut)
}
