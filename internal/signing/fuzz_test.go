package signing

import (
	"strings"
	"testing"
	"time"
)

// FuzzAllowedSigners feeds arbitrary allowed_signers files to Check: it
// must never panic, and a file that does not contain the key's base64
// can never trust it.
func FuzzAllowedSigners(f *testing.F) {
	k, err := Load(f.TempDir())
	if err != nil {
		f.Fatal(err)
	}
	line := AllowedSignersLine(k.Public())
	f.Add([]byte(line))
	f.Add([]byte(`"a,b" namespaces="x",valid-after="20200101" ` + AuthorizedKey(k.Public())))
	f.Add([]byte("# comment\n\n*,!kc-1 cert-authority ssh-ed25519 AAAA\n"))
	f.Add([]byte(`"unterminated ssh-ed25519 AAAA`))
	keyB64 := AuthorizedKey(k.Public())[len("ssh-ed25519 "):]
	f.Fuzz(func(t *testing.T, b []byte) {
		a := ParseAllowedSigners("fuzz", b)
		err := a.Check(k.DeviceID(), Namespace, k.Public(), time.Now())
		if err == nil && !strings.Contains(string(b), keyB64) {
			t.Fatalf("trusted without the key in the file: %q", b)
		}
	})
}

// FuzzUnarmor parses arbitrary signature files without panicking.
func FuzzUnarmor(f *testing.F) {
	k, err := Load(f.TempDir())
	if err != nil {
		f.Fatal(err)
	}
	sig, _ := k.Sign([]byte("x"))
	f.Add(sig)
	f.Add([]byte("-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = Unarmor(b)
		_, _ = Verify([]byte("x"), b)
	})
}
