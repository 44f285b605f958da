package ui

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ki-reise/kicheck/internal/load"
	"github.com/ki-reise/kicheck/internal/load/loadtest"
)

func loadScreenOf(t *testing.T, st *state) *loadScreen {
	t.Helper()
	for i, sc := range st.shell.screens {
		if s, ok := sc.(*loadScreen); ok {
			press(st.win, i)
			if st.shell.current != i {
				t.Fatal("Ctrl+L did not open the load test")
			}
			return s
		}
	}
	t.Fatal("no load screen")
	return nil
}

// refLoadServer is the reference model server of internal/load: it streams
// on a known schedule with a given number of parallel slots.
func refLoadServer(t *testing.T, s loadtest.Schedule) *loadtest.Server {
	t.Helper()
	srv, err := loadtest.Start(s)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// enter presses a focused button with the Enter key, as a keyboard user.
func enter(b *kcButton) { b.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) }

func awaitRun(t *testing.T, s *loadScreen) {
	t.Helper()
	awaitIdle(t, s.st, "the load run to end")
}

// TestLoadScreenSweepExportCompare: a sweep against the reference server
// with 2 slots, started with Enter; the clerk's sentence, the table, the
// inferred slots, the stored run, its export (HTML, PDF, signed JSON) and
// a second run with another label side by side.
func TestLoadScreenSweepExportCompare(t *testing.T) {
	st := newTestState(t)
	s := loadScreenOf(t, st)
	srv := refLoadServer(t, loadtest.Schedule{TTFT: 5 * time.Millisecond, ITL: 2 * time.Millisecond, Tokens: 16, Slots: 2})
	s.url.SetText(srv.URL)
	s.model.SetText("kc-ref")
	s.maxConc.SetText("8")
	s.full.SetChecked(true)
	s.label.SetText("zwei Plätze")
	enter(s.startBtn)
	if s.stopBtn.Disabled() {
		t.Fatal("the cancel button is not enabled while running")
	}
	awaitRun(t, s)
	if !strings.HasPrefix(s.answer.Text, "Dieser Server bedient bis zu ") || !strings.Contains(s.answer.Text, "95-%-Intervall") {
		t.Fatalf("answer = %q (status %q)", s.answer.Text, s.status.Text)
	}
	for _, want := range []string{"Stufe", "Parallele Plätze des Servers: nicht lesbar; aus der Messung geschlossen: zwischen 2 und 3"} {
		if !strings.Contains(s.table.Text+s.facts.Text, want) {
			t.Errorf("result lacks %q:\nfacts %s\ntable %s", want, s.facts.Text, s.table.Text)
		}
	}
	if !strings.Contains(s.level.Text, "Stufe 8") {
		t.Errorf("progress line = %q, want the last level", s.level.Text)
	}
	if len(s.listed) != 1 || s.listed[0].Label != "zwei Plätze" || s.runs.SelectedIndex() != 0 {
		t.Fatalf("stored runs: %+v", s.listed)
	}
	first := s.listed[0].ID

	dir := t.TempDir()
	s.exportTo(dir)
	awaitIdle(t, s.st, "the export")
	for _, p := range []string{s.lastExport.HTML, s.lastExport.PDF, s.lastExport.JSON, s.lastExport.JSON + ".sig"} {
		if fi, err := os.Stat(p); err != nil || fi.Size() == 0 {
			t.Errorf("export %s: %v (status %q)", p, err, s.status.Text)
		}
	}

	// The same load with a second label, then both side by side.
	s.label.SetText("B")
	enter(s.startBtn)
	awaitRun(t, s)
	if len(s.listed) != 2 {
		t.Fatalf("stored runs after the second: %d", len(s.listed))
	}
	s.compareSel.SetText("#" + strconv.FormatInt(first, 10) + ", " + strconv.FormatInt(s.listed[0].ID, 10))
	enter(s.compareBtn)
	for _, want := range []string{"zwei Plätze", "B", "Antwort (Sachbearbeiter:innen, Ziele erfüllt)", "erstes Token p50 bei 8"} {
		if !strings.Contains(s.compareOut.Text, want) {
			t.Errorf("comparison lacks %q:\n%s", want, s.compareOut.Text)
		}
	}
	if strings.Contains(s.compareOut.Text, "nicht dieselbe Last") {
		t.Errorf("the same load called different:\n%s", s.compareOut.Text)
	}
	if s.compareSave.Disabled() {
		t.Fatal("the comparison cannot be saved")
	}
	if page, err := os.ReadFile(s.compareTo(dir)); err != nil || !strings.Contains(string(page), "<svg") || !strings.Contains(string(page), "zwei Plätze") {
		t.Errorf("comparison page: %v (status %q)", err, s.status.Text)
	}

	// The first run shown again from the store.
	s.runs.SetSelectedIndex(1)
	enter(s.showBtn)
	if !strings.Contains(s.facts.Text, "zwei Plätze") || !strings.HasPrefix(s.answer.Text, "Dieser Server bedient") {
		t.Errorf("stored run shown: %q / %q", s.facts.Text, s.answer.Text)
	}
}

// TestLoadScreenCancelKeepsMeasured: a slow server with one slot; the
// cancel button (pressed with Enter) stops the sweep once a level is
// done, and what was measured is shown and stored, marked incomplete.
func TestLoadScreenCancelKeepsMeasured(t *testing.T) {
	st := newTestState(t)
	s := loadScreenOf(t, st)
	srv := refLoadServer(t, loadtest.Schedule{TTFT: 20 * time.Millisecond, ITL: 10 * time.Millisecond, Tokens: 20, Slots: 1})
	s.url.SetText(srv.URL)
	s.model.SetText("kc-ref")
	s.maxConc.SetText("64")
	s.full.SetChecked(true)
	enter(s.startBtn)
	awaitUI(t, "the second level to start", time.Minute, func() bool { return strings.Contains(s.level.Text, "Stufe 2") })
	enter(s.stopBtn)
	awaitRun(t, s)
	if !strings.Contains(s.facts.Text, "Abgebrochen") || !strings.Contains(s.status.Text, "unvollständig") {
		t.Fatalf("facts %q, status %q", s.facts.Text, s.status.Text)
	}
	if s.table.Text == "" || len(s.listed) != 1 || s.listed[0].Status != "incomplete" {
		t.Fatalf("table %q, stored %+v", s.table.Text, s.listed)
	}
	r, err := load.LoadResult(t.Context(), st.db, s.listed[0].ID)
	if err != nil || len(r.Levels) == 0 || r.Complete {
		t.Fatalf("stored: %+v, %v", r, err)
	}
}

// TestLoadScreenBadInput: a concurrency of 0, a word in a number field
// and an address where no model server listens each get a message with
// a hint, and nothing is stored.
func TestLoadScreenBadInput(t *testing.T) {
	st := newTestState(t)
	s := loadScreenOf(t, st)
	s.model.SetText("m")
	s.maxConc.SetText("0")
	enter(s.startBtn)
	if !strings.Contains(s.status.Text, "1") || s.status.Importance != widget.DangerImportance {
		t.Errorf("concurrency 0: %q", s.status.Text)
	}
	s.maxConc.SetText("viele")
	enter(s.startBtn)
	if !strings.Contains(s.status.Text, "Höchste Gleichzeitigkeit") {
		t.Errorf("word in a number field: %q", s.status.Text)
	}
	s.maxConc.SetText("4")
	s.url.SetText("http://127.0.0.1:1")
	enter(s.startBtn)
	awaitRun(t, s)
	if s.status.Importance != widget.DangerImportance || !strings.Contains(s.status.Text, "\n") {
		t.Errorf("no server: %q", s.status.Text)
	}
	if len(s.listed) != 0 {
		t.Errorf("a refused run was stored: %+v", s.listed)
	}
	t.Logf("no server: %s", s.status.Text)
}

// TestLoadScreenInEnglish: after switching to English, the load screen's
// title, the clerk's sentence, the slots and the four operating models on
// the Betriebsmodelle screen are English.
func TestLoadScreenInEnglish(t *testing.T) {
	st := newTestState(t)
	last := len(st.shell.screens) - 1
	st.shell.nav.Select(last)
	st.shell.screens[last].(*settingsScreen).language.SetSelected("English")
	s := loadScreenOf(t, st)
	if s.title() != "Load test (server)" {
		t.Errorf("title %q", s.title())
	}
	srv := refLoadServer(t, loadtest.Schedule{TTFT: 5 * time.Millisecond, ITL: 2 * time.Millisecond, Tokens: 16, Slots: 2})
	s.url.SetText(srv.URL)
	s.model.SetText("kc-ref")
	s.maxConc.SetText("4")
	enter(s.startBtn)
	awaitRun(t, s)
	if !strings.HasPrefix(s.answer.Text, "This server serves up to ") || !strings.Contains(s.facts.Text, "Parallel slots of the server: not readable") {
		t.Errorf("answer %q, facts %q", s.answer.Text, s.facts.Text)
	}
	c := cloudScreenOf(t, st)
	if c.title() != "Operating models" {
		t.Errorf("cloud screen title %q", c.title())
	}
	awaitIdle(t, st, "the stored load test")
	test.Tap(c.operating.computeBtn)
	if !strings.Contains(c.operating.out.Text, "Four operating models") || !strings.Contains(c.operating.out.Text, "central server") {
		t.Errorf("operating models: %s", c.operating.out.Text)
	}
}

// TestLoadScreenRemoteNeedsConsent: a server off this PC gets the consent
// dialog of a cloud run, naming the host, before anything is sent; cancel
// sends nothing and stores nothing. (192.0.2.1 is TEST-NET: never reached.)
func TestLoadScreenRemoteNeedsConsent(t *testing.T) {
	st := newTestState(t)
	s := loadScreenOf(t, st)
	s.url.SetText("http://192.0.2.1:11434")
	s.model.SetText("m")
	enter(s.startBtn)
	if s.consent == nil || !strings.Contains(s.consent.text.Text, "192.0.2.1") {
		t.Fatalf("no consent dialog naming the host (status %q)", s.status.Text)
	}
	if !s.stopBtn.Disabled() {
		t.Fatal("a run started before the consent")
	}
	enter(s.consent.cancel)
	if !strings.Contains(s.status.Text, "Nicht gestartet") || len(s.listed) != 0 {
		t.Errorf("after cancel: status %q, stored %d", s.status.Text, len(s.listed))
	}
}

// TestLoadScreenShapeFields: only the fields of the chosen shape are
// enabled.
func TestLoadScreenShapeFields(t *testing.T) {
	st := newTestState(t)
	s := loadScreenOf(t, st)
	if s.maxConc.Disabled() || s.full.Disabled() || !s.clerks.Disabled() || !s.rate.Disabled() {
		t.Fatal("sweep: wrong fields enabled")
	}
	s.shape.SetSelectedIndex(2) // day
	if !s.maxConc.Disabled() || s.clerks.Disabled() || s.think.Disabled() || !s.full.Disabled() {
		t.Fatal("day: wrong fields enabled")
	}
	s.shape.SetSelectedIndex(1) // poisson
	if s.rate.Disabled() || s.maxConc.Disabled() || !s.clerks.Disabled() {
		t.Fatal("poisson: wrong fields enabled")
	}
}
