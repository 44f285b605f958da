package signing

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"
)

// Namespace is the SSHSIG namespace of KI-Check reports. A signature made
// for another purpose (git commits, files) never verifies as a report.
const Namespace = "kicheck-report-v1"

// Files in the data dir.
const (
	KeyDir      = "keys"
	privateName = "report_ed25519"
	publicName  = "report_ed25519.pub"
	historyName = "history.json"
)

// deviceIDPrefix marks KI-Check device ids, so one seen in a list of
// principals says where it comes from.
const deviceIDPrefix = "kc-"

// DeviceID derives the device id from a public key: "kc-" followed by the
// first 10 bytes (20 hex digits) of the SHA-256 digest of the key in SSH
// wire format. That digest is the one ssh-keygen prints base64-encoded as
// the key's fingerprint ("SHA256:…"), so IT can recompute the id from the
// public key alone. 80 bits leave no realistic chance of two installations
// sharing an id, and the id stays short enough to read out on the phone.
func DeviceID(pub ssh.PublicKey) string {
	sum := sha256.Sum256(pub.Marshal())
	return deviceIDPrefix + hex.EncodeToString(sum[:10])
}

// Fingerprint is the key's SHA256 fingerprint as ssh-keygen -l prints it.
func Fingerprint(pub ssh.PublicKey) string { return ssh.FingerprintSHA256(pub) }

// AuthorizedKey is the public key as one line "ssh-ed25519 AAAA…" without
// a trailing newline.
func AuthorizedKey(pub ssh.PublicKey) string {
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pub)))
}

// AllowedSignersLine is the line IT puts into its allowed_signers file to
// trust reports signed with pub.
func AllowedSignersLine(pub ssh.PublicKey) string {
	return fmt.Sprintf("%s namespaces=%q %s", DeviceID(pub), Namespace, AuthorizedKey(pub))
}

// Key is the installation's signing key.
type Key struct {
	signer ssh.Signer
	dir    string
}

// Public returns the public key.
func (k *Key) Public() ssh.PublicKey { return k.signer.PublicKey() }

// DeviceID is the device id derived from the public key.
func (k *Key) DeviceID() string { return DeviceID(k.Public()) }

// Fingerprint is the public key's SHA256 fingerprint.
func (k *Key) Fingerprint() string { return Fingerprint(k.Public()) }

// PrivateKeyPath is where the private key file lives.
func (k *Key) PrivateKeyPath() string { return filepath.Join(k.dir, privateName) }

// Error is a key failure a person can act on.
type Error struct {
	Path string
	Err  error
	hint string
}

func (e *Error) Error() string { return fmt.Sprintf("signing key %s: %v", e.Path, e.Err) }
func (e *Error) Unwrap() error { return e.Err }

// Hint says what to do.
func (e *Error) Hint() string { return e.hint }

// Load returns the key in dataDir, generating it on first use.
func Load(dataDir string) (*Key, error) {
	dir := filepath.Join(dataDir, KeyDir)
	k, err := readKey(dir)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return k, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, &Error{Path: dir, Err: err, hint: "choose a writable data folder (--data-dir or Einstellungen)"}
	}
	signer, privPEM, err := generate()
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, privateName)
	// Link refuses to replace a file: if another KI-Check process created
	// the key a moment ago, its key wins and is read back.
	if err := writeNew(path, privPEM, 0o600); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return readKey(dir)
		}
		return nil, &Error{Path: path, Err: err, hint: "choose a writable data folder (--data-dir or Einstellungen)"}
	}
	if err := writeAtomic(filepath.Join(dir, publicName), []byte(AuthorizedKey(signer.PublicKey())+" kicheck "+DeviceID(signer.PublicKey())+"\n"), 0o644); err != nil {
		return nil, err
	}
	return &Key{signer: signer, dir: dir}, nil
}

func generate() (ssh.Signer, []byte, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("generate key: %w", err)
	}
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		return nil, nil, fmt.Errorf("generate key: %w", err)
	}
	block, err := ssh.MarshalPrivateKey(priv, "kicheck "+DeviceID(signer.PublicKey()))
	if err != nil {
		return nil, nil, fmt.Errorf("encode key: %w", err)
	}
	return signer, pem.EncodeToMemory(block), nil
}

func readKey(dir string) (*Key, error) {
	path := filepath.Join(dir, privateName)
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, &Error{Path: path, Err: err, hint: "check the file's permissions"}
	}
	signer, err := ssh.ParsePrivateKey(b)
	if err != nil {
		return nil, &Error{Path: path, Err: fmt.Errorf("not an OpenSSH private key: %w", err),
			hint: "move the file away; KI-Check then creates a new key (and a new device id) on the next run"}
	}
	if runtime.GOOS != "windows" {
		// The key must stay readable by the user only; repair what a copy
		// or a backup restore loosened rather than refuse to work.
		if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
			_ = os.Chmod(path, 0o600)
		}
	}
	return &Key{signer: signer, dir: dir}, nil
}

// HistoryEntry is a retired key.
type HistoryEntry struct {
	DeviceID    string    `json:"device_id"`
	PublicKey   string    `json:"public_key"`
	Fingerprint string    `json:"fingerprint"`
	Retired     time.Time `json:"retired"`
	ReplacedBy  string    `json:"replaced_by"` // device id of the next key
}

// History returns the retired keys of dataDir, oldest first.
func History(dataDir string) ([]HistoryEntry, error) {
	path := filepath.Join(dataDir, KeyDir, historyName)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("key history: %w", err)
	}
	var h struct {
		Keys []HistoryEntry `json:"keys"`
	}
	if err := json.Unmarshal(b, &h); err != nil {
		return nil, &Error{Path: path, Err: err, hint: "fix the JSON or move the file away; the current key is not affected"}
	}
	return h.Keys, nil
}

// Rotate replaces the key in dataDir by a new one and records the old
// public key in keys/history.json. The device id changes with the key.
func Rotate(dataDir string) (old, cur *Key, err error) {
	old, err = Load(dataDir)
	if err != nil {
		return nil, nil, err
	}
	hist, err := History(dataDir)
	if err != nil {
		return nil, nil, err
	}
	signer, privPEM, err := generate()
	if err != nil {
		return nil, nil, err
	}
	dir := filepath.Join(dataDir, KeyDir)
	hist = append(hist, HistoryEntry{
		DeviceID: old.DeviceID(), PublicKey: AuthorizedKey(old.Public()), Fingerprint: old.Fingerprint(),
		Retired: time.Now().UTC().Truncate(time.Second), ReplacedBy: DeviceID(signer.PublicKey()),
	})
	hb, err := json.MarshalIndent(struct {
		Keys []HistoryEntry `json:"keys"`
	}{hist}, "", "  ")
	if err != nil {
		return nil, nil, err
	}
	// History first: a crash after it leaves the old key in use and its
	// record harmlessly present, never a new key without the old one noted.
	if err := writeAtomic(filepath.Join(dir, historyName), append(hb, '\n'), 0o644); err != nil {
		return nil, nil, err
	}
	if err := writeAtomic(filepath.Join(dir, privateName), privPEM, 0o600); err != nil {
		return nil, nil, err
	}
	if err := writeAtomic(filepath.Join(dir, publicName), []byte(AuthorizedKey(signer.PublicKey())+" kicheck "+DeviceID(signer.PublicKey())+"\n"), 0o644); err != nil {
		return nil, nil, err
	}
	return old, &Key{signer: signer, dir: dir}, nil
}

// writeAtomic writes data to a temp file beside path and renames it over
// path, so readers see the old or the new content, never a part.
func writeAtomic(path string, data []byte, perm os.FileMode) error {
	tmp, err := tempFile(path, data, perm)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// writeNew is writeAtomic that fails with fs.ErrExist instead of replacing.
func writeNew(path string, data []byte, perm os.FileMode) error {
	tmp, err := tempFile(path, data, perm)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	if err := os.Link(tmp, path); err != nil {
		if _, statErr := os.Lstat(path); statErr == nil {
			return fs.ErrExist
		}
		return err
	}
	return nil
}

func tempFile(path string, data []byte, perm os.FileMode) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+"-*")
	if err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	name := f.Name()
	fail := func(err error) (string, error) {
		f.Close()
		os.Remove(name)
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Chmod(perm); err != nil && runtime.GOOS != "windows" {
		return fail(err)
	}
	if _, err := f.Write(data); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(name)
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	return name, nil
}

// LoadFile reads an unencrypted OpenSSH private key file, such as one made
// by ssh-keygen. Tests and IT tooling use it to sign reports with a key
// from outside KI-Check.
func LoadFile(path string) (*Key, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read key: %w", err)
	}
	signer, err := ssh.ParsePrivateKey(b)
	if err != nil {
		return nil, &Error{Path: path, Err: err, hint: "use an unencrypted OpenSSH private key"}
	}
	return &Key{signer: signer, dir: filepath.Dir(path)}, nil
}
