package aggregate_test

import (
	"os"
	"os/exec"
	"strconv"
	"testing"
)

func fmtInt(n int) string { return strconv.Itoa(n) }

// sshKeygen runs the real ssh-keygen with the file on stdin.
func sshKeygen(t *testing.T, stdin string, args ...string) ([]byte, error) {
	t.Helper()
	p, err := exec.LookPath("ssh-keygen")
	if err != nil {
		t.Skip("ssh-keygen not installed (package openssh-client)")
	}
	f, err := os.Open(stdin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cmd := exec.Command(p, args...)
	cmd.Stdin = f
	return cmd.CombinedOutput()
}
