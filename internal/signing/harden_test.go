package signing

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hiddeco/sshsig"
	"golang.org/x/crypto/ssh"
)

// Issue 20, failure 8: an allowed_signers file saved by Windows Notepad
// starts with a byte-order mark; the first device must still be trusted.
func TestAllowedSignersWithBOM(t *testing.T) {
	k, err := Load(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "allowed_signers")
	if err := os.WriteFile(path, []byte("\xEF\xBB\xBF"+AllowedSignersLine(k.Public())+"\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	a, err := ReadAllowedSigners(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Check(DeviceID(k.Public()), Namespace, k.Public(), time.Now()); err != nil {
		t.Fatalf("first line after a BOM: %v", err)
	}
}

// Weakness of issue 20: an RSA key below 2048 bits is refused, in an
// allowed_signers line (named as malformed) and as a signature's key.
func TestWeakRSARefused(t *testing.T) {
	rk, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := ssh.NewSignerFromKey(rk)
	if err != nil {
		t.Fatal(err)
	}
	pub := signer.PublicKey()
	id := DeviceID(pub)
	a := ParseAllowedSigners("allowed_signers", []byte(AllowedSignersLine(pub)+"\n"))
	err = a.Check(id, Namespace, pub, time.Now())
	var le *LineError
	if !errors.Is(err, ErrUnknownKey) || !errors.As(err, &le) || !errors.Is(err, ErrWeakKey) || le.Line != 1 {
		t.Fatalf("RSA-1024 line: %v", err)
	}
	data := []byte(`{"x":1}`)
	s, err := sshsig.Sign(bytes.NewReader(data), signer, sshsig.HashSHA512, Namespace)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(data, Armor(s)); !errors.Is(err, ErrSignatureFormat) || !strings.Contains(err.Error(), "1024 bits") {
		t.Fatalf("RSA-1024 signature: %v", err)
	}
	big, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	bs, _ := ssh.NewSignerFromKey(big)
	if err := CheckStrength(bs.PublicKey()); err != nil {
		t.Fatalf("RSA-2048: %v", err)
	}
}
