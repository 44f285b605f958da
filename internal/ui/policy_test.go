package ui

import (
	"context"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

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
	awaitSignal(t, cs.policy.passDone, "the KI-Pass", time.Minute)
	drainUI(t)
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
	waitClosed(t, cs.runDone)
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
	awaitSignal(t, q.passDone, "the KI-Pass", time.Minute)
	drainUI(t)
	if !strings.Contains(q.pass.Text, "KI-Pass (Anwender:innen) für Cloud-Dienst") || !strings.Contains(q.pass.Text, "noch offen: Quiz ki-grundlagen, datenschutz-ki-verordnung") {
		t.Fatalf("anwender: %q", q.pass.Text)
	}
	q.roleSel.SetSelected(roleTitles()[3]) // IT
	awaitSignal(t, q.passDone, "the KI-Pass", time.Minute)
	drainUI(t)
	if !strings.Contains(q.pass.Text, "KI-Pass (IT)") || !strings.Contains(q.pass.Text, "m11-modelle-betreiben") {
		t.Fatalf("it: %q", q.pass.Text)
	}
}
