package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/bundles"
	"github.com/ki-reise/kicheck/internal/document/officetest"
	"github.com/ki-reise/kicheck/internal/policy"
	"github.com/ki-reise/kicheck/internal/signing"
)

// writeOwnPolicy puts the Muster, with the replacements and the id
// "halle", into the data dir's bundles/policy/.
func writeOwnPolicy(t *testing.T, dataDir string, pairs ...string) string {
	t.Helper()
	b, err := bundles.Policy.ReadFile("policy/muster.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(b), "id: muster\n", "id: halle\n", 1)
	for i := 0; i < len(pairs); i += 2 {
		n := strings.Replace(s, pairs[i], pairs[i+1], 1)
		if n == s {
			t.Fatalf("%q not in the Muster", pairs[i])
		}
		s = n
	}
	dir := policy.OwnDir(dataDir)
	os.MkdirAll(dir, 0o755)
	p := filepath.Join(dir, "halle.yaml")
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestPolicyCheckCloudNeedsAVV: cloud × personenbezogen is refused with
// the packaged policy (no AVV) and allowed once the municipality's file
// marks the service as having one.
func TestPolicyCheckCloudNeedsAVV(t *testing.T) {
	dir := t.TempDir()
	out, errOut, code := kicheck(t, "--data-dir", dir, "policy", "check", "--tool", "cloud", "--data-class", "personenbezogen")
	if code != exitPolicyForbidden || !strings.HasPrefix(out, "Verboten:") || !strings.Contains(out, "Cloud-Dienste ohne Auftragsverarbeitungsvertrag") || !strings.Contains(out, "muster 1.0") {
		t.Fatalf("packaged: exit %d\n%s%s", code, out, errOut)
	}
	writeOwnPolicy(t, dir, "    avv: false\n", "    avv: true\n")
	out, errOut, code = kicheck(t, "--data-dir", dir, "policy", "check", "--tool", "cloud", "--data-class", "personenbezogen", "--json")
	var d struct {
		Allowed  bool   `json:"allowed"`
		Decision string `json:"decision"`
		Policy   struct{ ID, Version string }
		Clause   struct{ ID string }
	}
	if code != 0 || json.Unmarshal([]byte(out), &d) != nil || !d.Allowed || d.Decision != policy.AllowedConditions || d.Policy.ID != "halle" || d.Clause.ID != "cloud-avv" {
		t.Fatalf("with AVV: exit %d\n%s%s", code, out, errOut)
	}
	out, _, code = kicheck(t, "--data-dir", dir, "--lang", "en", "policy", "check", "--tool", "cloud", "--data-class", "personenbezogen")
	if code != 0 || !strings.HasPrefix(out, "Allowed with conditions:") || !strings.Contains(out, "Conditions:") {
		t.Fatalf("english: %d %s", code, out)
	}
	// Bad input: usage errors.
	if _, errOut, code := kicheck(t, "--data-dir", dir, "policy", "check", "--tool", "cloud", "--data-class", "geheim"); code != exitUsage || !strings.Contains(errOut, "sozialdaten") {
		t.Fatalf("unknown data class: %d %s", code, errOut)
	}
	if _, errOut, code := kicheck(t, "--data-dir", dir, "policy", "check", "--tool", "chatbot", "--data-class", "intern"); code != exitFailure || !strings.Contains(errOut, "hint:") {
		t.Fatalf("unknown tool: %d %s", code, errOut)
	}
}

// IT names the policy in force in its central policy file.
func TestPolicyNamedByIT(t *testing.T) {
	dir := t.TempDir()
	writeOwnPolicy(t, dir, "    avv: false\n", "    avv: true\n")
	central := filepath.Join(dir, "central.yaml")
	os.WriteFile(central, []byte("ki_policy: muster\n"), 0o644)
	_, _, code := kicheck(t, "--data-dir", dir, "policy", "check", "--policy", central, "--tool", "cloud", "--data-class", "personenbezogen")
	if code != exitPolicyForbidden {
		t.Fatalf("IT named the Muster, the cloud must be refused: %d", code)
	}
	os.WriteFile(central, []byte("ki_policy: halle\nki_policy_version: \"9\"\n"), 0o644)
	out, errOut, code := kicheck(t, "--data-dir", dir, "policy", "show", "--policy", central)
	if code != 0 || !strings.Contains(errOut, "warning:") || !strings.Contains(errOut, "halle version 9") || !strings.Contains(out, "muster") {
		t.Fatalf("missing version: %d\n%s\n%s", code, out, errOut)
	}
}

// A broken own policy: file, line and field, and the Muster stays in force.
func TestPolicyBrokenOverride(t *testing.T) {
	dir := t.TempDir()
	path := writeOwnPolicy(t, dir, "  - id: dsb\n", "  - id: datenschutz\n")
	out, errOut, code := kicheck(t, "--data-dir", dir, "policy", "show")
	if code != 0 || !strings.Contains(errOut, path+":") || !strings.Contains(errOut, `roles: the role "dsb" is missing`) || !strings.Contains(out, "muster") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
}

// TestPolicyRenderSigned: each format is written with a signature that
// ssh-keygen verifies; the ODT opens in LibreOffice; an unwritable folder
// gives a clear message and no file.
func TestPolicyRenderSigned(t *testing.T) {
	dir := t.TempDir()
	outDir := filepath.Join(dir, "out")
	os.Mkdir(outDir, 0o755)
	for _, f := range []string{"odt", "pdf", "md"} {
		file := filepath.Join(outDir, "dienstanweisung."+f)
		out, errOut, code := kicheck(t, "--data-dir", dir, "policy", "render", "--variant", "dienstanweisung", "--format", f, "--out", file)
		if code != 0 || !strings.Contains(out, file) {
			t.Fatalf("%s: exit %d %s", f, code, errOut)
		}
		data, _ := os.ReadFile(file)
		sig, _ := os.ReadFile(file + ".sig")
		if _, err := signing.Verify(data, sig); err != nil {
			t.Fatalf("%s: signature: %v", f, err)
		}
		if kg, err := exec.LookPath("ssh-keygen"); err == nil {
			key, _ := signing.Load(dir)
			allowed := filepath.Join(dir, "allowed_signers")
			os.WriteFile(allowed, []byte(signing.AllowedSignersLine(key.Public())+"\n"), 0o644)
			cmd := exec.Command(kg, "-Y", "verify", "-f", allowed, "-I", key.DeviceID(), "-n", signing.Namespace, "-s", file+".sig")
			cmd.Stdin = strings.NewReader(string(data))
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("ssh-keygen -Y verify %s: %v\n%s", f, err, b)
			}
		}
	}
	md, _ := os.ReadFile(filepath.Join(outDir, "dienstanweisung.md"))
	if !strings.Contains(string(md), "Stand der Rechtslage: 04.12.2026") {
		t.Error("no Stand date in the Markdown")
	}

	bad := filepath.Join(dir, "gibtsnicht", "x.odt")
	_, errOut, code := kicheck(t, "--data-dir", dir, "policy", "render", "--format", "odt", "--out", bad)
	if code != exitFailure || !strings.Contains(errOut, "gibtsnicht") || !strings.Contains(errOut, "hint:") {
		t.Fatalf("missing folder: %d %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Dir(bad)); !os.IsNotExist(err) {
		t.Error("the folder was created")
	}
	if _, _, code := kicheck(t, "--data-dir", dir, "policy", "render", "--format", "docx", "--out", bad); code != exitUsage {
		t.Errorf("unknown format: %d", code)
	}
	// Last, as it skips without LibreOffice (outside make test and CI).
	officetest.Soffice(t)
	pdf := officetest.ToPDF(t, t.TempDir(), filepath.Join(outDir, "dienstanweisung.odt"))[0]
	officetest.Contains(t, "cli odt", officetest.Text(t, pdf), "Dienstanweisung", "Verbotene Nutzungen", "Cloud-Dienst ohne AVV")
}

// TestPolicyDiffNamesTheChangedClause: one clause changed in the
// municipality's file; diff against the Muster names exactly that clause.
func TestPolicyDiffNamesTheChangedClause(t *testing.T) {
	dir := t.TempDir()
	own := writeOwnPolicy(t, dir, "Texte, die mit KI erzeugt und veröffentlicht werden,", "Alle Texte, die mit KI erzeugt werden,")
	out, errOut, code := kicheck(t, "--data-dir", dir, "policy", "diff")
	if code != 0 || !strings.Contains(out, "Unterschiede von muster 1.0 zu halle 1.0: 1") || !strings.Contains(out, "geändert Klausel kennzeichnung (text)") || !strings.Contains(out, "+ Alle Texte") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	out, _, code = kicheck(t, "--data-dir", dir, "policy", "diff", "--json")
	var d struct{ Changes []policy.Change }
	if code != 0 || json.Unmarshal([]byte(out), &d) != nil || len(d.Changes) != 1 || d.Changes[0].ID != "kennzeichnung" || d.Changes[0].Kind != "clause" {
		t.Fatalf("json: %s", out)
	}
	// Between two versions given as files.
	v2 := filepath.Join(dir, "v2.yaml")
	b, _ := os.ReadFile(own)
	os.WriteFile(v2, []byte(strings.Replace(strings.Replace(string(b), "version: \"1.0\"", "version: \"2.0\"", 1), "review_months: 12", "review_months: 6", 1)), 0o644)
	out, _, code = kicheck(t, "--data-dir", dir, "--lang", "en", "policy", "diff", own, v2)
	if code != 0 || !strings.Contains(out, "halle 1.0 to halle 2.0: 1") || !strings.Contains(out, "changed approval step wiedervorlage (review_months)") {
		t.Fatalf("two versions: %s", out)
	}
}
