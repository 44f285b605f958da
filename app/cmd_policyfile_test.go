package main

import (
	"path/filepath"
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
