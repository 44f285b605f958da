package collect

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/signing"
)

// NewTrust decides the same for the CLI and the GUI: enrolment does not
// read the file, a file is read and must exist, neither trusts only
// earlier enrolments.
func TestNewTrust(t *testing.T) {
	dir := t.TempDir()
	key, err := signing.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "allowed_signers")
	if err := os.WriteFile(file, []byte(signing.AllowedSignersLine(key.Public())+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tr, err := NewTrust(file, false)
	if err != nil || tr.Enroll || tr.AllowedSigners == nil {
		t.Fatalf("allowed signers: %+v %v", tr, err)
	}
	if err := tr.AllowedSigners.Check(key.DeviceID(), signing.Namespace, key.Public(), time.Now()); err != nil {
		t.Errorf("the file's key is not trusted: %v", err)
	}
	if _, err := NewTrust(filepath.Join(dir, "missing"), false); err == nil {
		t.Error("a missing allowed_signers file was accepted")
	}
	if tr, err := NewTrust(filepath.Join(dir, "missing"), true); err != nil || !tr.Enroll || tr.AllowedSigners != nil {
		t.Errorf("enrol with a file named: %+v %v", tr, err)
	}
	if tr, err := NewTrust("", false); err != nil || tr.Enroll || tr.AllowedSigners != nil {
		t.Errorf("neither: %+v %v", tr, err)
	}
}
