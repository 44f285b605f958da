package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ki-reise/kicheck/internal/hotspot"
)

// sampleSheets are the hotspot package's test sheets: a department's 12
// processes as Excel saves them (Windows-1252) and a second department's.
var sampleSheets = []string{"../hotspot/testdata/buergeramt.csv", "../hotspot/testdata/sozialamt-excel.csv"}

// showProcesses opens the Prozesse screen with the keyboard (its Ctrl+N
// shortcut) and waits until it has scored what is stored.
func showProcesses(t *testing.T, st *state) *processesScreen {
	t.Helper()
	idx := -1
	for i, sc := range st.shell.screens {
		if _, ok := sc.(*processesScreen); ok {
			idx = i
		}
	}
	if idx < 0 {
		t.Fatal("no Prozesse screen in the navigation")
	}
	press(st.win, idx)
	if st.shell.current != idx {
		t.Fatalf("Ctrl+%d did not open Prozesse", idx+1)
	}
	s := st.shell.screens[idx].(*processesScreen)
	awaitUI(t, "the processes to be scored", time.Minute, func() bool { return s.loaded || s.status.Text != "" })
	if !s.loaded {
		t.Fatalf("the processes were not scored: %s", s.status.Text)
	}
	return s
}

func importAndWait(t *testing.T, s *processesScreen, paths ...string) {
	t.Helper()
	s.status.SetText("")
	shown := s.shown
	s.importPaths(paths)
	awaitUI(t, "the import", time.Minute, func() bool {
		return s.status.Text != "" && s.status.Text != "Tabelle wird gelesen …" && !s.importBtn.Disabled()
	})
	if s.problems.Visible() {
		return // refused: nothing to reload
	}
	awaitUI(t, "the list after the import", time.Minute, func() bool { return s.shown > shown })
}

func TestProcessesImportShowsConflictsAndRanks(t *testing.T) {
	st := newTestState(t)
	s := showProcesses(t, st)
	if !strings.Contains(s.summary.Text, "Noch keine Prozesse") {
		t.Fatalf("empty screen says %q", s.summary.Text)
	}
	importAndWait(t, s, sampleSheets[0])
	if !strings.Contains(s.status.Text, "buergeramt.csv eingelesen: ") {
		t.Fatalf("status %q", s.status.Text)
	}
	n1 := len(s.pf.Hotspots)
	if n1 == 0 {
		t.Fatal("nothing listed after the import")
	}
	importAndWait(t, s, sampleSheets[1])
	stored, err := hotspot.List(context.Background(), st.db)
	if err != nil {
		t.Fatal(err)
	}
	awaitUI(t, "the second sheet in the list", time.Minute, func() bool { return len(s.pf.Hotspots) == len(stored) })
	// The list: every row with rank, hours, quadrant and legal class, in
	// ranking order.
	for i, h := range s.pf.Hotspots {
		if h.Rank != i+1 {
			t.Fatalf("row %d has rank %d", i, h.Rank)
		}
		for _, col := range processColumns {
			if hotspotCell(h, col, "de") == "" {
				t.Errorf("%s: column %s is empty", h.Process.ID, col)
			}
		}
	}
	if !strings.Contains(s.matrixText.Text, "1. "+s.pf.Hotspots[0].Process.Name+": ") {
		t.Errorf("matrix text list %q does not start with rank 1", s.matrixText.Text)
	}
	t.Logf("%s", s.status.Text)
}

func TestProcessesConflictIsDecidedNotOverwritten(t *testing.T) {
	st := newTestState(t)
	s := showProcesses(t, st)
	importAndWait(t, s, sampleSheets[0])
	// A corrected copy under another name: one process with other figures.
	data, err := os.ReadFile(sampleSheets[0])
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	cells := strings.Split(lines[1], ";")
	id, before := cells[0], cells[4]
	cells[4] = "9999"
	lines[1] = strings.Join(cells, ";")
	other := filepath.Join(t.TempDir(), "buergeramt-zweite-meinung.csv")
	if err := os.WriteFile(other, []byte(strings.Join(lines, "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	importAndWait(t, s, other)
	if !s.conflictBox.Visible() || len(s.conflicts) != 1 || s.conflicts[0].ID != id {
		t.Fatalf("conflicts %+v, status %q", s.conflicts, s.status.Text)
	}
	p, _, _ := hotspot.Get(context.Background(), st.db, id)
	if got := p.CasesPerYear; got == 9999 {
		t.Fatalf("the conflicting row was stored over the old one (%s had %s)", id, before)
	}
	if !hasTextContaining(t, s.conflictBox, "faelle_pro_jahr: "+before+" ↔ 9999") {
		t.Error("the difference is not shown")
	}
	// Decide for the new sheet, with the keyboard's equivalent: the
	// radio group's option, then the apply button.
	s.choices[0].SetSelected(s.choices[0].Options[2])
	test.Tap(s.conflictApply)
	awaitUI(t, "the decision to be stored", time.Minute, func() bool { return !s.conflictBox.Visible() })
	p, _, _ = hotspot.Get(context.Background(), st.db, id)
	if p.CasesPerYear != 9999 {
		t.Fatalf("after deciding, %s has %d cases", id, p.CasesPerYear)
	}
}

func TestProcessesBadSheetStoresNothing(t *testing.T) {
	st := newTestState(t)
	s := showProcesses(t, st)
	importAndWait(t, s, sampleSheets[0])
	before, _ := hotspot.List(context.Background(), st.db)
	bad := filepath.Join(t.TempDir(), "kaputt.csv")
	os.WriteFile(bad, []byte("id,prozess\nx,y\n"), 0o600)
	importAndWait(t, s, bad)
	if !s.problems.Visible() || !strings.Contains(s.problems.Text, "kaputt.csv") {
		t.Fatalf("problems %q", s.problems.Text)
	}
	if !strings.Contains(s.status.Text, "nichts gespeichert") {
		t.Errorf("status %q", s.status.Text)
	}
	after, _ := hotspot.List(context.Background(), st.db)
	if len(after) != len(before) {
		t.Fatalf("%d processes before, %d after a refused sheet", len(before), len(after))
	}
}

// TestProcessFormByKeyboard fills the form with typed keys, answers the
// legal questions and saves: the new process is classified from the
// answers (a citizens' chatbot → Art. 50).
func TestProcessFormByKeyboard(t *testing.T) {
	st := newTestState(t)
	s := showProcesses(t, st)
	test.Tap(s.newBtn)
	f := s.form
	if f == nil {
		t.Fatal("no form")
	}
	if st.win.Canvas().Focused() != f.entries["id"] {
		t.Fatal("the form does not start in the id field")
	}
	c := st.win.Canvas()
	typeInto := func(text string) { test.Type(c.Focused(), text) } // the keys go to the focused field
	typeInto("bo-01")
	for i, v := range []string{"Chatbot für Bürgerfragen", "Bürgerbüro", "", "12000", "4", "90"} {
		c.Focus(f.entries[formTextColumns[i+1]])
		typeInto(v)
	}
	if f.entries["textanteil_prozent"].Text != "90" || f.entries["prozess"].Text != "Chatbot für Bürgerfragen" {
		t.Fatalf("typed values not in the fields: %q %q", f.entries["prozess"].Text, f.entries["textanteil_prozent"].Text)
	}
	// Save too early: the form names what is missing, nothing is stored.
	test.Tap(f.save)
	if !f.problems.Visible() || !strings.Contains(f.problems.Text, "ki_aufgabe") {
		t.Fatalf("problems %q", f.problems.Text)
	}
	f.task.SetSelectedIndex(indexOfTask(s, "entwerfen"))
	f.dataClass.SetSelectedIndex(1) // intern
	answer := func(qid, aid string) {
		t.Helper()
		for _, fq := range f.questions {
			if fq.q.ID == qid {
				if !fq.box.Visible() {
					t.Fatalf("question %s is hidden", qid)
				}
				for i, a := range fq.q.Answers {
					if a.ID == aid {
						fq.sel.SetSelectedIndex(i)
						return
					}
				}
			}
		}
		t.Fatalf("no question %s/%s", qid, aid)
	}
	answer("verbot", "keine")
	answer("bereich", "keiner")
	for _, fq := range f.questions {
		if fq.q.ID == "ausnahme" && fq.box.Visible() {
			t.Error("the Art. 6(3) question is asked outside an Annex III area")
		}
	}
	answer("profiling", "nein")
	answer("wirkung", "vorschlag")
	answer("buerger_dialog", "ja")
	shown := s.shown
	test.Tap(f.save)
	awaitUI(t, "the form to be saved", time.Minute, func() bool { return s.form == nil && s.shown > shown })
	if s.selected != "bo-01" {
		t.Errorf("selected after saving: %q", s.selected)
	}
	h, ok := s.pf.Get("bo-01")
	if !ok {
		t.Fatal("the new process is not listed")
	}
	if h.Legal.Result.Class != "transparenz" {
		t.Fatalf("class %q, want transparenz (Art. 50)", h.Legal.Result.Class)
	}
	// Edit keeps the id fixed and the answers.
	test.Tap(s.editBtn)
	if s.form.entries["id"].Disabled() != true {
		t.Error("the id can be changed when editing")
	}
	if s.form.answers()["buerger_dialog"] != "ja" {
		t.Errorf("answers when editing: %v", s.form.answers())
	}
	s.form.dlg.Hide()
}

func indexOfTask(s *processesScreen, id string) int {
	for i, tt := range s.in.Catalogue.TaskTypes {
		if tt.ID == id {
			return i
		}
	}
	return -1
}

func TestProcessesSteckbriefAndExport(t *testing.T) {
	st := newTestState(t)
	s := showProcesses(t, st)
	importAndWait(t, s, sampleSheets[0])
	// Keyboard: the list takes focus, arrow down and space select a row.
	st.win.Canvas().Focus(s.table)
	s.table.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	s.table.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	if s.selected == "" {
		t.Fatal("arrow and space in the list selected nothing")
	}
	if s.steckbriefBtn.Disabled() {
		t.Fatal("Steckbrief disabled with a process selected")
	}
	h, _ := s.selectedHotspot()
	text := steckbriefText(*h, len(s.pf.Hotspots), "de")
	for _, want := range []string{"Rechtsklasse: ", "So ist gerechnet:", "Nächste Schritte:", h.Process.Unit} {
		if !strings.Contains(text, want) {
			t.Errorf("Steckbrief text lacks %q:\n%s", want, text)
		}
	}
	dir := t.TempDir()
	for _, f := range hotspot.Formats {
		s.status.SetText("")
		s.export(dir, f, "")
		awaitUI(t, "the export "+f, time.Minute, func() bool { return s.status.Text != "" })
		if s.status.Importance != widget.SuccessImportance {
			t.Fatalf("export %s: %s", f, s.status.Text)
		}
	}
	s.status.SetText("")
	s.export(dir, hotspot.FormatPDF, h.Process.ID)
	awaitUI(t, "the Steckbrief PDF", time.Minute, func() bool { return s.status.Text != "" })
	if _, err := os.Stat(filepath.Join(dir, "steckbrief-"+h.Process.ID+".pdf.sig")); err != nil {
		t.Fatalf("Steckbrief not written and signed: %v (%s)", err, s.status.Text)
	}
	s.status.SetText("")
	s.writeTemplate(filepath.Join(dir, hotspot.TemplateSheet))
	awaitUI(t, "the template", time.Minute, func() bool { return s.status.Text != "" })
	if _, err := os.Stat(filepath.Join(dir, hotspot.TemplateReadme)); err != nil {
		t.Fatalf("template readme: %v (%s)", err, s.status.Text)
	}
}

func TestProcessesInEnglish(t *testing.T) {
	st := newTestState(t)
	st.settings.Language = "en"
	applyLanguage("en")
	st.shell.rebuild()
	s := showProcesses(t, st)
	if s.title() != "Processes" || !strings.Contains(s.summary.Text, "No processes yet") {
		t.Fatalf("title %q, summary %q", s.title(), s.summary.Text)
	}
	importAndWait(t, s, sampleSheets[0])
	if !strings.Contains(s.matrixText.Text, "High benefit from") {
		t.Errorf("matrix text %q", s.matrixText.Text)
	}
}

// TestProcessTrialWarnsAndMakesTheBundle types examples into the
// Erprobung, sees the personal-data warning, writes the bundle and finds
// it chosen in the KI-Test (the one runner).
func TestProcessTrialWarnsAndMakesTheBundle(t *testing.T) {
	st := newTestState(t)
	s := showProcesses(t, st)
	importAndWait(t, s, sampleSheets[1])
	if !s.selectID("so-01") {
		t.Fatal("so-01 not listed")
	}
	test.Tap(s.trialBtn)
	tp := s.trial
	if tp == nil || st.win.Canvas().Focused() != tp.inputs {
		t.Fatal("the Erprobung does not open with the inputs focused")
	}
	test.Type(tp.inputs, "Betreff: Nachweise\nAnbei die Mietbescheinigung.\nerwartet: Nachweis\n---\nBitte an Herrn Mustermann, IBAN DE89 3704 0044 0532 0130 00\n")
	if !tp.pii.Visible() || !strings.Contains(tp.pii.Text, "Beispiel 2 (Zeile 5) eine gültige IBAN") || !strings.Contains(tp.pii.Text, "sieht aus wie ein Name") {
		t.Fatalf("warning %q", tp.pii.Text)
	}
	if tp.make.Disabled() {
		t.Fatal("the bundle cannot be made")
	}
	test.Tap(tp.make)
	awaitUI(t, "the bundle", time.Minute, func() bool { return tp.bundleID != "" || tp.status.Text != "" })
	if tp.bundleID != "erprobung-so-01" || tp.cloudOK || !tp.cloud.Disabled() {
		t.Fatalf("bundle %q cloud %v: %s", tp.bundleID, tp.cloudOK, tp.status.Text)
	}
	if _, err := os.Stat(hotspot.TrialBundleFile(st.dataDir, "so-01")); err != nil {
		t.Fatal(err)
	}
	// Recording before any run says what to do.
	tp.status.SetText("")
	test.Tap(tp.record)
	awaitUI(t, "the record attempt", time.Minute, func() bool { return tp.status.Text != "" })
	if !strings.Contains(tp.status.Text, "Führen Sie zuerst den KI-Test mit erprobung-so-01 aus") {
		t.Errorf("status %q", tp.status.Text)
	}
	test.Tap(tp.local)
	a, ok := st.shell.screens[st.shell.current].(*aiTest)
	if !ok {
		t.Fatal("the KI-Test is not shown")
	}
	if !strings.Contains(a.bundleSel.Selected, "(erprobung-so-01 ") {
		t.Fatalf("KI-Test bundle %q", a.bundleSel.Selected)
	}
}

// A process with public data may be tried in the cloud: the Erprobung
// opens "Lokal oder Cloud" with its bundle chosen, where the consent is
// asked as for every cloud run.
func TestProcessTrialOpensTheCloudScreen(t *testing.T) {
	st := newTestState(t)
	s := showProcesses(t, st)
	p := hotspot.Process{ID: "rb-01", Name: "Sitzungsvorlagen zusammenfassen", Unit: "Ratsbüro", CasesPerYear: 400, MinutesPerCase: 20,
		TextSharePercent: 90, Task: "zusammenfassen", DataClass: "oeffentlich", Effect: "vorbereitend", Area: "keiner"}
	if ps, err := hotspot.Save(context.Background(), st.db, p, s.in.Catalogue.TaskIDs()); err != nil || ps != nil {
		t.Fatal(ps, err)
	}
	shown := s.shown
	s.reload()
	awaitUI(t, "the new process", time.Minute, func() bool { return s.shown > shown })
	s.selectID("rb-01")
	test.Tap(s.trialBtn)
	tp := s.trial
	test.Type(tp.inputs, "Vorlage: Sanierung der Grundschule, Kosten 1,2 Mio. Euro, Beschluss im Juni.\nerwartet: Grundschule\n")
	if tp.pii.Visible() {
		t.Fatalf("warning on a public text: %q", tp.pii.Text)
	}
	test.Tap(tp.make)
	awaitUI(t, "the bundle", time.Minute, func() bool { return tp.bundleID != "" || tp.status.Text != "" })
	if !tp.cloudOK || tp.cloud.Disabled() {
		t.Fatalf("public data, no personal data: cloud %v (%s)", tp.cloudOK, tp.status.Text)
	}
	test.Tap(tp.cloud)
	c, ok := st.shell.screens[st.shell.current].(*cloudScreen)
	if !ok {
		t.Fatal("Lokal oder Cloud is not shown")
	}
	if i := c.bundleSel.SelectedIndex(); i < 0 || c.bundles[i].ID != "erprobung-rb-01" {
		t.Fatalf("cloud screen bundle %q", c.bundleSel.Selected)
	}
}
