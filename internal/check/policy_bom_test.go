package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPolicyWindowsFile is from issue 20: IT writes the policy with Windows
// Notepad, which starts it with a byte order mark; the first key became
// "\ufefforg_unit" and the policy was refused as an unknown field. The mark
// is dropped. A policy "file" without end (/dev/zero) is read only up to
// the limit and refused.
func TestPolicyWindowsFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "policy.yaml")
	os.WriteFile(path, []byte("\xef\xbb\xbforg_unit: Bauamt\r\ninclude_hostname: true\r\n"), 0o600)
	p, err := LoadPolicy(path)
	if err != nil || p.OrgUnit != "Bauamt" || !p.IncludeHostname {
		t.Fatalf("policy with a byte order mark: %+v %v", p, err)
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		_, err := LoadPolicy("/dev/zero")
		if err == nil || !strings.Contains(err.Error(), "larger than 1024 KiB") {
			t.Fatalf("/dev/zero as policy: %v", err)
		}
	}
}
