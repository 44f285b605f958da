package signing

import (
	"bytes"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/hiddeco/sshsig"
	"golang.org/x/crypto/ssh"
)

// Sentinel causes of a failed verification, for errors.Is.
var (
	ErrSignatureFormat  = errors.New("signature file is not an armored SSH signature")
	ErrWrongNamespace   = errors.New("signature was made for another purpose")
	ErrSignatureInvalid = errors.New("signature does not match the report")
)

const (
	armorBegin = "-----BEGIN SSH SIGNATURE-----"
	armorEnd   = "-----END SSH SIGNATURE-----"
	armorWidth = 70 // what ssh-keygen writes
)

// Sign signs data with the key and returns the armored signature, byte
// for byte in the layout ssh-keygen -Y sign writes.
func (k *Key) Sign(data []byte) ([]byte, error) {
	sig, err := sshsig.Sign(bytes.NewReader(data), k.signer, sshsig.HashSHA512, Namespace)
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	return Armor(sig), nil
}

// Armor encodes sig like ssh-keygen: base64 in lines of 70 characters
// between BEGIN and END lines, ending with a newline.
func Armor(sig *sshsig.Signature) []byte {
	enc := base64.StdEncoding.EncodeToString(sig.Marshal())
	var b strings.Builder
	b.WriteString(armorBegin + "\n")
	for len(enc) > armorWidth {
		b.WriteString(enc[:armorWidth] + "\n")
		enc = enc[armorWidth:]
	}
	b.WriteString(enc + "\n" + armorEnd + "\n")
	return []byte(b.String())
}

// Unarmor parses an armored signature strictly: nothing before the BEGIN
// line or after the END line (but one line ending), only base64 lines in
// between (any width, LF or CRLF), canonical base64. Being strict means a
// changed byte anywhere in the file is noticed, even where a lenient
// decoder would ignore it.
func Unarmor(b []byte) (*sshsig.Signature, error) {
	text := string(b)
	text = strings.TrimSuffix(text, "\n")
	text = strings.TrimSuffix(text, "\r")
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if i < len(lines)-1 {
			lines[i] = strings.TrimSuffix(l, "\r")
		}
	}
	if len(lines) < 3 || lines[0] != armorBegin {
		return nil, fmt.Errorf("%w: it must start with the line %s", ErrSignatureFormat, armorBegin)
	}
	if lines[len(lines)-1] != armorEnd {
		return nil, fmt.Errorf("%w: it must end with the line %s", ErrSignatureFormat, armorEnd)
	}
	var body strings.Builder
	for i, l := range lines[1 : len(lines)-1] {
		if l == "" {
			return nil, fmt.Errorf("%w: empty line %d", ErrSignatureFormat, i+2)
		}
		for _, c := range l {
			if !isBase64(c) {
				return nil, fmt.Errorf("%w: line %d has a character that is not base64", ErrSignatureFormat, i+2)
			}
		}
		body.WriteString(l)
	}
	raw, err := base64.StdEncoding.Strict().DecodeString(body.String())
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSignatureFormat, err)
	}
	sig, err := sshsig.ParseSignature(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSignatureFormat, err)
	}
	return sig, nil
}

func isBase64(c rune) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '='
}

// Verify checks that armored is a valid SSHSIG signature over data in the
// KI-Check namespace and returns the public key that made it. Whether that
// key is trusted is a separate question (AllowedSigners.Check).
func Verify(data, armored []byte) (ssh.PublicKey, error) {
	sig, err := Unarmor(armored)
	if err != nil {
		return nil, err
	}
	if err := CheckStrength(sig.PublicKey); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSignatureFormat, err)
	}
	if sig.Namespace != Namespace {
		return nil, fmt.Errorf("%w: namespace %q, expected %q", ErrWrongNamespace, sig.Namespace, Namespace)
	}
	if err := sig.HashAlgorithm.Supported(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSignatureFormat, err)
	}
	if err := sshsig.Verify(bytes.NewReader(data), sig, sig.PublicKey, sig.HashAlgorithm, Namespace); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSignatureInvalid, err)
	}
	return sig.PublicKey, nil
}

// MinRSABits is the smallest RSA key accepted, for signatures and in
// allowed_signers (OpenSSH refuses smaller keys since 8.8 too).
const MinRSABits = 2048

// ErrWeakKey is a key too small to be trusted.
var ErrWeakKey = errors.New("key too weak")

// CheckStrength refuses RSA keys below MinRSABits; KI-Check signs with
// Ed25519, other key types pass.
func CheckStrength(pub ssh.PublicKey) error {
	cpk, ok := pub.(ssh.CryptoPublicKey)
	if !ok {
		return nil
	}
	if rk, ok := cpk.CryptoPublicKey().(*rsa.PublicKey); ok && rk.N.BitLen() < MinRSABits {
		return fmt.Errorf("%w: RSA key of %d bits, at least %d are needed", ErrWeakKey, rk.N.BitLen(), MinRSABits)
	}
	return nil
}
