package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/check"
)

// What the MSI writes from its properties is what the check then reads.
func TestPolicyFileWriteRoundTrip(t *testing.T) {
	out := filepath.Join(t.TempDir(), "KI-Check", "policy.yaml")
	path, err := runPolicyFileWrite(policyFileOptions{Out: out, OrgUnit: "Amt 10: Hauptamt", UploadURL: "https://kicheck.halle.de/upload", IncludeHostname: "1", PolicyID: "halle"})
	if err != nil || path != out {
		t.Fatalf("write: %v (%s)", err, path)
	}
	p, err := check.LoadPolicy(out)
	if err != nil {
		t.Fatal(err)
	}
	if p.OrgUnit != "Amt 10: Hauptamt" || p.UploadURL != "https://kicheck.halle.de/upload" || !p.IncludeHostname || p.KIPolicy != "halle" {
		t.Errorf("read back %+v", p)
	}
}

func TestPolicyFileWriteRefusesBadInput(t *testing.T) {
	dir := t.TempDir()
	if _, err := runPolicyFileWrite(policyFileOptions{Out: filepath.Join(dir, "a.yaml"), UploadURL: "ftp://x"}); err == nil {
		t.Error("ftp upload URL accepted")
	}
	if _, err := runPolicyFileWrite(policyFileOptions{Out: filepath.Join(dir, "b.yaml"), IncludeHostname: "vielleicht"}); err == nil {
		t.Error("include-hostname vielleicht accepted")
	}
}

// The command as the MSI calls it: empty properties arrive as "" and are
// left out; a wrong value is a usage error (exit 2) naming the flag.
func TestPolicyFileCommand(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "policy.yaml")
	stdout, errOut, code := kicheck(t, "--data-dir", dir, "policyfile", "write", "--out", out, "--org-unit", "Amt 32", "--upload-url", "", "--include-hostname", "", "--policy-id", "")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if stdout != out+"\n" {
		t.Errorf("stdout %q", stdout)
	}
	p, err := check.LoadPolicy(out)
	if err != nil || p.OrgUnit != "Amt 32" || p.UploadURL != "" || p.IncludeHostname {
		t.Errorf("policy %+v, %v", p, err)
	}
	_, errOut, code = kicheck(t, "--data-dir", dir, "policyfile", "write", "--out", out, "--include-hostname", "vielleicht")
	if code != 2 || !strings.Contains(errOut, "--include-hostname") {
		t.Errorf("exit %d: %s", code, errOut)
	}
}
