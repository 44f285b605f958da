package signing

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

func sshKeygen(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("ssh-keygen")
	if err != nil {
		t.Skip("ssh-keygen not installed (package openssh-client)")
	}
	return p
}

func run(t testing.TB, stdin []byte, name string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Stdin = bytes.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func TestLoadCreatesKeyThatSSHKeygenReads(t *testing.T) {
	kg := sshKeygen(t)
	dir := t.TempDir()
	k, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		fi, err := os.Stat(k.PrivateKeyPath())
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("private key mode %v, want 0600", fi.Mode().Perm())
		}
	}
	out, err := run(t, nil, kg, "-y", "-f", k.PrivateKeyPath())
	if err != nil {
		t.Fatalf("ssh-keygen -y: %v\n%s", err, out)
	}
	if got := strings.Fields(out); len(got) < 2 || got[0]+" "+got[1] != AuthorizedKey(k.Public()) {
		t.Errorf("ssh-keygen derives %q, want %q", out, AuthorizedKey(k.Public()))
	}
	out, err = run(t, nil, kg, "-l", "-f", filepath.Join(dir, KeyDir, publicName))
	if err != nil {
		t.Fatalf("ssh-keygen -l: %v\n%s", err, out)
	}
	if !strings.Contains(out, k.Fingerprint()) {
		t.Errorf("ssh-keygen fingerprint %q does not contain %q", out, k.Fingerprint())
	}
	if !strings.HasPrefix(k.DeviceID(), "kc-") || len(k.DeviceID()) != 23 {
		t.Errorf("device id %q", k.DeviceID())
	}
	again, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if again.DeviceID() != k.DeviceID() {
		t.Errorf("second Load gives device %s, first %s", again.DeviceID(), k.DeviceID())
	}
}

func TestLoadRefusesGarbageKey(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, KeyDir), 0o700)
	os.WriteFile(filepath.Join(dir, KeyDir, privateName), []byte("not a key"), 0o600)
	_, err := Load(dir)
	var e *Error
	if !errors.As(err, &e) || e.Hint() == "" {
		t.Fatalf("Load of a garbage key: %v, want *Error with hint", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, KeyDir, privateName)); string(b) != "not a key" {
		t.Error("garbage key file was overwritten")
	}
}

// The app's signature is accepted by ssh-keygen -Y verify with the line
// `kicheck key show` prints, and is byte for byte what ssh-keygen -Y sign
// writes with the same key (Ed25519 signatures are deterministic).
func TestSignatureMatchesSSHKeygen(t *testing.T) {
	kg := sshKeygen(t)
	dir := t.TempDir()
	k, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("{\"x\": \"Prüfbericht\"}\n")
	sig, err := k.Sign(data)
	if err != nil {
		t.Fatal(err)
	}
	sigPath := filepath.Join(dir, "r.json.sig")
	allowed := filepath.Join(dir, "allowed_signers")
	os.WriteFile(sigPath, sig, 0o644)
	os.WriteFile(allowed, []byte(AllowedSignersLine(k.Public())+"\n"), 0o644)
	out, err := run(t, data, kg, "-Y", "verify", "-f", allowed, "-I", k.DeviceID(), "-n", Namespace, "-s", sigPath)
	if err != nil {
		t.Fatalf("ssh-keygen -Y verify rejects the app's signature: %v\n%s", err, out)
	}
	// A wrong identity is refused by ssh-keygen too.
	if out, err := run(t, data, kg, "-Y", "verify", "-f", allowed, "-I", "kc-other", "-n", Namespace, "-s", sigPath); err == nil {
		t.Fatalf("ssh-keygen accepted a wrong identity\n%s", out)
	}

	msg := filepath.Join(dir, "r.json")
	os.WriteFile(msg, data, 0o644)
	if out, err := run(t, nil, kg, "-Y", "sign", "-f", k.PrivateKeyPath(), "-n", Namespace, msg); err != nil {
		t.Fatalf("ssh-keygen -Y sign: %v\n%s", err, out)
	}
	want, _ := os.ReadFile(msg + ".sig")
	if !bytes.Equal(sig, want) {
		t.Errorf("armored signature differs from ssh-keygen's:\n%s\nwant\n%s", sig, want)
	}
}

func TestVerifyAcceptsSSHKeygenSignature(t *testing.T) {
	kg := sshKeygen(t)
	dir := t.TempDir()
	keyPath := filepath.Join(dir, "id")
	if out, err := run(t, nil, kg, "-q", "-t", "ed25519", "-N", "", "-C", "it", "-f", keyPath); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	data := []byte("report bytes")
	msg := filepath.Join(dir, "m")
	os.WriteFile(msg, data, 0o644)
	if out, err := run(t, nil, kg, "-Y", "sign", "-f", keyPath, "-n", Namespace, msg); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	sig, _ := os.ReadFile(msg + ".sig")
	pub, err := Verify(data, sig)
	if err != nil {
		t.Fatal(err)
	}
	pubText, _ := os.ReadFile(keyPath + ".pub")
	want, _, _, _, _ := ssh.ParseAuthorizedKey(pubText)
	if !bytes.Equal(pub.Marshal(), want.Marshal()) {
		t.Error("Verify returned another key than the signer's")
	}
	if _, err := Verify([]byte("report bytez"), sig); !errors.Is(err, ErrSignatureInvalid) {
		t.Errorf("changed data: %v, want ErrSignatureInvalid", err)
	}

	// Another namespace (here: git's) is refused.
	os.Remove(msg + ".sig")
	if out, err := run(t, nil, kg, "-Y", "sign", "-f", keyPath, "-n", "git", msg); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	gitSig, _ := os.ReadFile(msg + ".sig")
	if _, err := Verify(data, gitSig); !errors.Is(err, ErrWrongNamespace) {
		t.Errorf("git namespace: %v, want ErrWrongNamespace", err)
	}
}

// Every single changed byte of a signature file is rejected.
func TestTamperedSignatureRejected(t *testing.T) {
	k, err := Load(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	data := []byte(`{"a":1}`)
	sig, err := k.Sign(data)
	if err != nil {
		t.Fatal(err)
	}
	for i := range sig {
		for _, delta := range []byte{1, 0x80} {
			bad := bytes.Clone(sig)
			bad[i] += delta
			if _, err := Verify(data, bad); err == nil {
				t.Fatalf("byte %d (%q) changed by %d: accepted", i, sig[i], delta)
			}
		}
	}
	for _, bad := range [][]byte{nil, []byte("garbage"), sig[:len(sig)/2], append(bytes.Clone(sig), "trailing"...)} {
		if _, err := Verify(data, bad); !errors.Is(err, ErrSignatureFormat) {
			t.Errorf("Verify(%.20q…): %v, want ErrSignatureFormat", bad, err)
		}
	}
	// CRLF line endings (a Windows editor or git autocrlf) are fine.
	crlf := bytes.ReplaceAll(sig, []byte("\n"), []byte("\r\n"))
	if _, err := Verify(data, crlf); err != nil {
		t.Errorf("CRLF signature: %v", err)
	}
}

func TestRotateRecordsOldKey(t *testing.T) {
	dir := t.TempDir()
	first, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	old, cur, err := Rotate(dir)
	if err != nil {
		t.Fatal(err)
	}
	if old.DeviceID() != first.DeviceID() || cur.DeviceID() == first.DeviceID() {
		t.Fatalf("rotate: old %s cur %s first %s", old.DeviceID(), cur.DeviceID(), first.DeviceID())
	}
	loaded, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if loaded.DeviceID() != cur.DeviceID() {
		t.Errorf("after rotate Load gives %s, want %s", loaded.DeviceID(), cur.DeviceID())
	}
	if _, _, err := Rotate(dir); err != nil {
		t.Fatal(err)
	}
	h, err := History(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 2 || h[0].DeviceID != first.DeviceID() || h[0].PublicKey != AuthorizedKey(first.Public()) || h[0].ReplacedBy != cur.DeviceID() {
		t.Errorf("history %+v", h)
	}
}

// The allowed_signers matching is compared with ssh-keygen -Y verify on
// the same files: principals with wildcards and negation, quoted
// principals, namespaces=, validity, cert-authority, comments, other keys.
func TestAllowedSignersAgreesWithSSHKeygen(t *testing.T) {
	kg := sshKeygen(t)
	dir := t.TempDir()
	k, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	other, err := Load(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("payload")
	sig, _ := k.Sign(data)
	sigPath := filepath.Join(dir, "m.sig")
	os.WriteFile(sigPath, sig, 0o644)
	key := AuthorizedKey(k.Public())
	id := k.DeviceID()
	cases := []struct {
		name, file string
	}{
		{"exact", AllowedSignersLine(k.Public())},
		{"no options", id + " " + key},
		{"wildcard", "kc-* " + key},
		{"question marks", "kc-" + strings.Repeat("?", 20) + " " + key},
		{"too few question marks", "kc-" + strings.Repeat("?", 19) + " " + key},
		{"list", "someone,kc-*,other " + key},
		{"negated", "kc-*,!" + id + " " + key},
		{"quoted", `"x, ` + id + `" ` + key},
		{"other principal", "kc-0000 " + key},
		{"other key", id + " " + AuthorizedKey(other.Public())},
		{"other then ours", id + " " + AuthorizedKey(other.Public()) + "\n" + id + " " + key},
		{"namespace other", id + ` namespaces="git,file" ` + key},
		{"namespace pattern", id + ` namespaces="git,kicheck-*" ` + key},
		{"namespace negated", id + ` namespaces="*,!kicheck-report-v1" ` + key},
		{"comment and blank", "# trusted devices\n\n   \n" + AllowedSignersLine(k.Public()) + " clerk PC"},
		{"valid-after past", id + ` valid-after="20200101" ` + key},
		{"valid-after future", id + ` valid-after="29990101Z" ` + key},
		{"valid-before past", id + ` valid-before="202001011200Z" ` + key},
		{"valid both", id + ` namespaces="kicheck-report-v1",valid-after="20200101",valid-before="29991231235959Z" ` + key},
		{"cert-authority", id + ` cert-authority ` + key},
		{"leading whitespace", "  \t" + AllowedSignersLine(k.Public())},
		{"malformed other principal", "kc-other garbage\n" + AllowedSignersLine(k.Public())},
		{"malformed our principal", id + " garbage\n" + AllowedSignersLine(k.Public())},
		{"unknown option", id + ` no-touch-required ` + key},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "allowed_signers")
			os.WriteFile(path, []byte(c.file+"\n"), 0o644)
			out, kerr := run(t, data, kg, "-Y", "verify", "-f", path, "-I", id, "-n", Namespace, "-s", sigPath)
			want := kerr == nil
			a, err := ReadAllowedSigners(path)
			if err != nil {
				t.Fatal(err)
			}
			gotErr := a.Check(id, Namespace, k.Public(), time.Now())
			if got := gotErr == nil; got != want {
				t.Errorf("file %q: kicheck accepts=%v (%v), ssh-keygen accepts=%v (%s)", c.file, got, gotErr, want, strings.TrimSpace(out))
			}
		})
	}
}

func TestMatchPattern(t *testing.T) {
	for _, c := range []struct {
		s, p string
		want bool
	}{
		{"kc-abc", "kc-*", true}, {"kc-abc", "*", true}, {"", "*", true}, {"kc-abc", "kc-a?c", true},
		{"kc-abc", "kc-a?", false}, {"kc-abc", "*c", true}, {"kc-abc", "*b", false}, {"a", "", false},
	} {
		if got := matchPattern(c.s, c.p); got != c.want {
			t.Errorf("matchPattern(%q, %q) = %v", c.s, c.p, got)
		}
	}
}

func ExampleAllowedSignersLine() {
	pub, _, _, _, _ := ssh.ParseAuthorizedKey([]byte("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILv89cgxLJTArP85x5hCasczcmbd4EinZmg4W6YJAUiZ"))
	fmt.Println(AllowedSignersLine(pub))
	// Output: kc-588f3adb4445c3c6de01 namespaces="kicheck-report-v1" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILv89cgxLJTArP85x5hCasczcmbd4EinZmg4W6YJAUiZ
}
