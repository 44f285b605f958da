package signing

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/ki-reise/kicheck/internal/textfile"
)

// ErrUnknownKey means no line of the allowed_signers file trusts the key
// for the device id.
var ErrUnknownKey = errors.New("key is not trusted for this device id")

// AllowedSigners is an OpenSSH allowed_signers file (ssh-keygen(1),
// section ALLOWED SIGNERS). Each line is
//
//	principals [options] keytype base64-key [comment]
//
// principals is a comma-separated list of patterns (* and ?, ! negates),
// optionally in double quotes; options are cert-authority,
// namespaces="pattern,…", valid-after="time", valid-before="time".
//
// Check follows ssh-keygen -Y verify (OpenSSH 9.x) line by line: a line
// whose principals do not match is skipped without being parsed further; a
// matching line that is malformed is skipped too (and named in the error if
// no other line trusts the key); a line with cert-authority never matches a
// plain key (certificates are not used by KI-Check).
type AllowedSigners struct {
	name  string
	lines []string
}

// maxAllowedSigners caps the file size read; a fleet of 100,000 devices
// needs about 15 MB.
const maxAllowedSigners = 64 << 20

// ReadAllowedSigners reads an allowed_signers file: a regular file (a
// named pipe, device or link is refused with a *textfile.Error saying
// what it is) of at most 64 MiB. A byte-order mark at the start (Windows
// Notepad writes one) is removed.
func ReadAllowedSigners(path string) (*AllowedSigners, error) {
	b, err := textfile.ReadText(path, maxAllowedSigners)
	if err != nil {
		return nil, fmt.Errorf("allowed signers: %w", err)
	}
	return ParseAllowedSigners(path, b), nil
}

// ParseAllowedSigners splits b into lines; name is used in messages. A
// leading byte-order mark is removed: it would otherwise become part of
// the first device id, and that device would never be trusted.
func ParseAllowedSigners(name string, b []byte) *AllowedSigners {
	a := &AllowedSigners{name: name}
	sc := bufio.NewScanner(bytes.NewReader(textfile.StripBOM(b)))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		a.lines = append(a.lines, sc.Text())
	}
	return a
}

// LineError is a malformed allowed_signers line.
type LineError struct {
	File string
	Line int
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err) }
func (e *LineError) Unwrap() error { return e.Err }

// Hint says what to do.
func (e *LineError) Hint() string {
	return "fix that line: principals [namespaces=\"kicheck-report-v1\"] ssh-ed25519 AAAA… (kicheck key show prints one)"
}

// Name is the file name given when the lines were read, for messages.
func (a *AllowedSigners) Name() string { return a.name }

// Check reports whether key may sign for principal in namespace at time
// at. It returns nil or an error wrapping ErrUnknownKey; when lines for
// the principal were malformed, the error also wraps the first *LineError.
func (a *AllowedSigners) Check(principal, namespace string, key ssh.PublicKey, at time.Time) error {
	var malformed *LineError
	for i, raw := range a.lines {
		ok, err := checkLine(raw, principal, namespace, key, at)
		if err != nil && malformed == nil {
			malformed = &LineError{File: a.name, Line: i + 1, Err: err}
		}
		if ok {
			return nil
		}
	}
	err := fmt.Errorf("%w (%s, device %s, %s)", ErrUnknownKey, a.name, principal, Fingerprint(key))
	if malformed != nil {
		return fmt.Errorf("%w; skipped malformed %w", err, malformed)
	}
	return err
}

func checkLine(raw, principal, namespace string, key ssh.PublicKey, at time.Time) (bool, error) {
	line := strings.TrimLeft(raw, " \t")
	if line == "" || line[0] == '#' {
		return false, nil
	}
	principals, rest, err := nextToken(line)
	if err != nil {
		return false, err
	}
	if rest == "" {
		return false, errors.New("invalid line: principals without a key")
	}
	if matchPatternList(principal, principals) != 1 {
		return false, nil
	}
	pub, _, options, _, err := ssh.ParseAuthorizedKey([]byte(rest))
	if err != nil {
		return false, fmt.Errorf("invalid key or options: %v", err)
	}
	if err := CheckStrength(pub); err != nil {
		return false, err
	}
	var (
		ca                      bool
		namespaces              *string
		validAfter, validBefore time.Time
	)
	for _, o := range options {
		name, value, hasValue := strings.Cut(o, "=")
		switch strings.ToLower(name) {
		case "cert-authority":
			ca = true
		case "namespaces", "valid-after", "valid-before":
			if !hasValue {
				return false, fmt.Errorf("option %s needs a value", name)
			}
			v, err := unquote(value)
			if err != nil {
				return false, fmt.Errorf("option %s: %v", name, err)
			}
			switch strings.ToLower(name) {
			case "namespaces":
				namespaces = &v
			case "valid-after":
				if validAfter, err = parseSSHTime(v); err != nil {
					return false, fmt.Errorf("option valid-after: %v", err)
				}
			case "valid-before":
				if validBefore, err = parseSSHTime(v); err != nil {
					return false, fmt.Errorf("option valid-before: %v", err)
				}
			}
		default:
			return false, fmt.Errorf("unsupported option %q", name)
		}
	}
	if namespaces != nil && matchPatternList(namespace, *namespaces) != 1 {
		return false, nil
	}
	if ca || !bytes.Equal(pub.Marshal(), key.Marshal()) {
		return false, nil
	}
	if !validAfter.IsZero() && at.Before(validAfter) {
		return false, nil
	}
	if !validBefore.IsZero() && at.After(validBefore) {
		return false, nil
	}
	return true, nil
}

// nextToken splits off the first whitespace-delimited token; a token that
// starts with a double quote runs to the closing quote (quotes removed).
func nextToken(s string) (tok, rest string, err error) {
	if strings.HasPrefix(s, `"`) {
		end := strings.IndexByte(s[1:], '"')
		if end < 0 {
			return "", "", errors.New("unterminated quote in principals")
		}
		tok, rest = s[1:1+end], s[2+end:]
		if rest != "" && rest[0] != ' ' && rest[0] != '\t' {
			return "", "", errors.New("text after the quoted principals")
		}
	} else {
		i := strings.IndexAny(s, " \t")
		if i < 0 {
			return s, "", nil
		}
		tok, rest = s[:i], s[i:]
	}
	return tok, strings.TrimLeft(rest, " \t"), nil
}

func unquote(v string) (string, error) {
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		return v[1 : len(v)-1], nil
	}
	return "", errors.New("value must be in double quotes")
}

// parseSSHTime reads YYYYMMDD[Z] or YYYYMMDDHHMM[SS][Z]; without Z the
// time is local, as in ssh-keygen.
func parseSSHTime(s string) (time.Time, error) {
	loc := time.Local
	if strings.HasSuffix(s, "Z") || strings.HasSuffix(s, "z") {
		s, loc = s[:len(s)-1], time.UTC
	}
	var layout string
	switch len(s) {
	case 8:
		layout = "20060102"
	case 12:
		layout = "200601021504"
	case 14:
		layout = "20060102150405"
	default:
		return time.Time{}, fmt.Errorf("time %q: use YYYYMMDD[Z] or YYYYMMDDHHMM[SS][Z]", s)
	}
	return time.ParseInLocation(layout, s, loc)
}

// matchPatternList follows OpenSSH's match_pattern_list: 1 if s matches a
// pattern of the comma-separated list and no negated one, -1 if a negated
// pattern (!pat) matches, 0 otherwise.
func matchPatternList(s, list string) int {
	got := 0
	for _, p := range strings.Split(list, ",") {
		negated := strings.HasPrefix(p, "!")
		if negated {
			p = p[1:]
		}
		if p == "" {
			continue
		}
		if matchPattern(s, p) {
			if negated {
				return -1
			}
			got = 1
		}
	}
	return got
}

// matchPattern matches * (any run) and ? (one byte), like OpenSSH.
func matchPattern(s, p string) bool {
	for {
		if p == "" {
			return s == ""
		}
		switch p[0] {
		case '*':
			for len(p) > 0 && p[0] == '*' {
				p = p[1:]
			}
			if p == "" {
				return true
			}
			for i := 0; i <= len(s); i++ {
				if matchPattern(s[i:], p) {
					return true
				}
			}
			return false
		case '?':
			if s == "" {
				return false
			}
		default:
			if s == "" || s[0] != p[0] {
				return false
			}
		}
		s, p = s[1:], p[1:]
	}
}
