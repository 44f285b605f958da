package ui

import (
	"context"
	"image/png"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ki-reise/kicheck/bundles"
	"github.com/ki-reise/kicheck/internal/cloud"
	"github.com/ki-reise/kicheck/internal/policy"
)

// writeAVVPolicy puts the Muster with the cloud service marked as having
// an AVV into the data dir, as the municipality's own policy.
func writeAVVPolicy(t *testing.T, dataDir string) {
	t.Helper()
	b, err := bundles.Policy.ReadFile("policy/muster.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(strings.Replace(string(b), "id: muster\n", "id: halle\n", 1), "    avv: false\n", "    avv: true\n", 1)
	dir := policy.OwnDir(dataDir)
	os.MkdirAll(dir, 0o755)
	if err := os.WriteFile(filepath.Join(dir, "halle.yaml"), []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// picture keeps a picture of the window in KICHECK_PICS, when set.
func picture(t *testing.T, w fyne.Window, name string) {
	dir := os.Getenv("KICHECK_PICS")
	if dir == "" {
		return
	}
	os.MkdirAll(dir, 0o755)
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	png.Encode(f, w.Canvas().Capture())
}

// TestCloudScreenFollowsThePolicy: on "Lokal oder Cloud", test inputs of
// class personenbezogen are refused under the packaged policy (no AVV)
// before the consent dialog and before anything is sent; once the
// municipality's policy records an AVV for the service, the same run asks
// for consent and runs.
func TestCloudScreenFollowsThePolicy(t *testing.T) {
	useKeyringMock(t)
	const key = "sk-gui-policy-4711"
	tlsProxy, proxy, ep, _ := cloudWorld(t, key)
	st := newTestState(t)
	os.MkdirAll(filepath.Join(st.dataDir, "bundles", "prompts"), 0o700)
	os.WriteFile(filepath.Join(st.dataDir, "bundles", "prompts", "gui-cloud.yaml"), []byte(guiCloudBundle), 0o600)
	if err := cloud.SaveEndpoint(context.Background(), st.db, ep); err != nil {
		t.Fatal(err)
	}
	if err := cloud.SaveKey(ep, cloud.NewAPIKey(key)); err != nil {
		t.Fatal(err)
	}
	cs := cloudScreenOf(t, st)
	cs.repeat = 1
	cs.reload()
	cs.bundleSel.SetSelected("Zwei kurze Aufgaben (GUI-Test) (gui-cloud)")
	drainUI(t)
	if !strings.Contains(cs.policy.rule.Text, "Es gilt: Erlaubt:") || !strings.Contains(cs.policy.rule.Text, "öffentlich") {
		t.Fatalf("synthetic prompts: rule %q", cs.policy.rule.Text)
	}

	cs.policy.dataClass.SetSelected("personenbezogen")
	awaitIdle(t, st, "the KI-Pass")
	if !strings.Contains(cs.policy.rule.Text, "Verboten") || !strings.Contains(cs.policy.pass.Text, "noch offen: Quiz ki-grundlagen") {
		t.Fatalf("rule %q pass %q", cs.policy.rule.Text, cs.policy.pass.Text)
	}
	test.Tap(cs.runBtn)
	if cs.consent != nil || !strings.Contains(cs.runStatus.Text, "Die KI-Richtlinie verbietet diesen Lauf") || !strings.Contains(cs.runStatus.Text, "Cloud-Dienste ohne Auftragsverarbeitungsvertrag") {
		t.Fatalf("packaged policy: consent %v, status %q", cs.consent != nil, cs.runStatus.Text)
	}
	picture(t, st.win, "gui-cloud-verboten.png")
	if proxy.Connects.Load() != 0 || len(tlsProxy.AuthHeaders()) != 0 {
		t.Fatal("something was sent although the policy forbids it")
	}

	writeAVVPolicy(t, st.dataDir)
	cs.policy.refresh()
	drainUI(t)
	if !strings.Contains(cs.policy.rule.Text, "Erlaubt mit Auflagen") || !strings.Contains(cs.policy.rule.Text, "halle") {
		t.Fatalf("with AVV: rule %q", cs.policy.rule.Text)
	}
	test.Tap(cs.runBtn)
	if cs.consent == nil {
		t.Fatalf("no consent dialog; status %q", cs.runStatus.Text)
	}
	test.Tap(cs.consent.agree)
	test.Tap(cs.consent.send)
	awaitIdle(t, st, "the cloud run")
	picture(t, st.win, "gui-cloud-erlaubt-avv.png")
	if !strings.Contains(cs.runStatus.Text, "Fertig") || len(tlsProxy.AuthHeaders()) == 0 {
		t.Fatalf("with AVV: status %q", cs.runStatus.Text)
	}
}

// The quiz screen shows what the KI-Pass still asks of the role chosen.
func TestQuizScreenShowsKIPass(t *testing.T) {
	q, _ := newQuizScreenForTest(t)
	q.st.dataDir = t.TempDir()
	q.updatePass()
	awaitIdle(t, q.st, "the KI-Pass")
	drainUI(t)
	if !strings.Contains(q.pass.Text, "KI-Pass (Anwender:innen) für Cloud-Dienst") || !strings.Contains(q.pass.Text, "noch offen: Quiz ki-grundlagen, datenschutz-ki-verordnung") {
		t.Fatalf("anwender: %q", q.pass.Text)
	}
	q.roleSel.SetSelected(roleTitles()[3]) // IT
	awaitIdle(t, q.st, "the KI-Pass")
	drainUI(t)
	if !strings.Contains(q.pass.Text, "KI-Pass (IT)") || !strings.Contains(q.pass.Text, "m11-modelle-betreiben") {
		t.Fatalf("it: %q", q.pass.Text)
	}
}

// TestPolicyEditor: in Einstellungen the matrix is edited (each cell a
// focusable choice), the AVV recorded, the policy saved as the
// municipality's own (then in force: the cloud may receive personal
// data), previewed and exported signed; an unwritable folder is refused
// with a message and no file.
func TestPolicyEditor(t *testing.T) {
	st := newTestState(t)
	e := settingsOf(t, st).policy
	drainUI(t)
	if !strings.Contains(e.inForce.Text, "In Kraft: muster, Version 1.0") {
		t.Fatalf("in force: %q", e.inForce.Text)
	}
	cell := e.cells[policy.ClassCloudNone+"×personenbezogen"]
	if cell.Selected != "verboten" {
		t.Fatalf("cloud without AVV × personenbezogen = %q", cell.Selected)
	}
	var _ fyne.Focusable = cell // reachable with Tab, opened with Space
	st.win.Canvas().Focus(cell)
	if st.win.Canvas().Focused() != cell {
		t.Fatal("a matrix cell cannot take the keyboard focus")
	}

	// A cell to erlaubt mit Auflagen: the conditions are edited below.
	vs := e.cells[policy.ClassWorkplace+"×vs_nfd"]
	vs.SetSelected("erlaubt mit Auflagen")
	e.cond.SetText("Nur mit Freigabe der Informationssicherheit.\nNur auf Geräten ohne Netz.")
	test.Tap(e.applyCond)
	e.avv.SetChecked(true)
	e.kommune.SetText("Stadt Musterstadt")
	drainUI(t)
	md := e.previewMD
	if !strings.Contains(md, "Nur auf Geräten ohne Netz.") || !strings.Contains(md, "Stadt Musterstadt") || len(e.preview.Objects) < 50 {
		t.Fatalf("preview lacks the edit:\n%s", md)
	}
	test.Tap(e.save)
	drainUI(t)
	if !strings.Contains(e.status.Text, "Gespeichert") || !strings.Contains(e.inForce.Text, "In Kraft: kommune") {
		t.Fatalf("save: %q / %q", e.status.Text, e.inForce.Text)
	}
	in := st.aiPolicy().Policy
	if d, _ := in.Check("cloud", "personenbezogen", ""); d.Decision != policy.AllowedConditions {
		t.Fatalf("after saving with AVV: %+v", d)
	}
	var got []string
	for _, c := range policy.Diff(policy.Muster(), in) {
		got = append(got, c.String())
	}
	if want := "changed meta kommune|changed tool cloud (avv)|changed rule arbeitsplatz×vs_nfd (decision, conditions)"; strings.Join(got, "|") != want {
		t.Fatalf("diff %q, want %q", strings.Join(got, "|"), want)
	}
	if sc, ok := st.shell.built[len(st.shell.screens)-1].(*container.Scroll); ok {
		sc.Offset.Y = e.box.Position().Y
		sc.Refresh()
	}
	picture(t, st.win, "gui-einstellungen-richtlinie.png")

	// Export, signed; then a folder that does not exist.
	out := filepath.Join(t.TempDir(), "da.odt")
	e.exportTo(out, "odt")
	awaitUI(t, "the export", time.Minute, func() bool {
		return strings.Contains(e.status.Text, "Exportiert") || e.status.Importance == widget.DangerImportance
	})
	if _, err := os.Stat(out + ".sig"); err != nil {
		t.Fatalf("export: %q %v", e.status.Text, err)
	}
	bad := filepath.Join(t.TempDir(), "weg", "da.pdf")
	e.setStatus("", false)
	e.exportTo(bad, "pdf")
	awaitUI(t, "the refused export", time.Minute, func() bool { return e.status.Text != "" })
	if !strings.Contains(e.status.Text, "weg") {
		t.Fatalf("unwritable: %q", e.status.Text)
	}
	if _, err := os.Stat(bad); !os.IsNotExist(err) {
		t.Fatal("a file was written")
	}
}

// In English the policy editor, the rule on the cloud screen and the
// KI-Pass speak English; the policy's own (German) texts are named by id.
func TestPolicyPartsInEnglish(t *testing.T) {
	st := newTestState(t)
	last := len(st.shell.screens) - 1
	st.shell.nav.Select(last)
	st.shell.screens[last].(*settingsScreen).language.SetSelected("English")
	e := settingsOf(t, st).policy
	drainUI(t)
	if !strings.HasPrefix(e.inForce.Text, "In force: muster, version 1.0") || e.cells[policy.ClassCloudNone+"×personenbezogen"].Selected != "forbidden" || e.variant.Selected != "Service instruction (for staff)" {
		t.Fatalf("editor: %q %q %q", e.inForce.Text, e.cells[policy.ClassCloudNone+"×personenbezogen"].Selected, e.variant.Selected)
	}
	cs := cloudScreenOf(t, st)
	cs.policy.dataClass.SetSelectedIndex(2)
	awaitIdle(t, st, "the KI-Pass")
	for _, s := range []string{cs.policy.rule.Text, cs.policy.pass.Text} {
		if germanLeft(s) != "" {
			t.Errorf("German left in %q: %q", s, germanLeft(s))
		}
	}
	if !strings.Contains(cs.policy.rule.Text, "Applies: Forbidden:") || !strings.Contains(cs.policy.pass.Text, "still open: quiz ki-grundlagen") {
		t.Fatalf("rule %q pass %q", cs.policy.rule.Text, cs.policy.pass.Text)
	}
}

// The KI-Test asks for the data class of its inputs and shows the rule for
// the workplace PC; VS-NfD is forbidden by the packaged policy.
func TestAITestShowsTheWorkplaceRule(t *testing.T) {
	st := newTestState(t)
	closed := httptest.NewServer(nil)
	url := closed.URL
	closed.Close()
	a := newAITest(st)
	a.discover = onlyAt(url)
	st.win.SetContent(a.buildUI())
	awaitIdle(t, a.st, "search")
	awaitIdle(t, st, "the KI-Pass")
	if !strings.Contains(a.policy.rule.Text, "Erlaubt: KI auf dem Arbeitsplatz-PC") || !strings.Contains(a.policy.pass.Text, "KI-Pass (Anwender:innen) für KI auf dem Arbeitsplatz-PC: noch offen: Quiz ki-grundlagen") {
		t.Fatalf("rule %q pass %q", a.policy.rule.Text, a.policy.pass.Text)
	}
	a.policy.dataClass.SetSelectedIndex(5) // vs_nfd
	drainUI(t)
	if d := a.policy.decision(); d.Allowed() || !strings.Contains(a.policy.rule.Text, "Verboten") || d.Clause.ID != "vs-nfd" {
		t.Fatalf("vs_nfd: %q %+v", a.policy.rule.Text, d)
	}
}
