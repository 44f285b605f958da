package check

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/goccy/go-yaml"

	"github.com/ki-reise/kicheck/internal/atomicfile"
	"github.com/ki-reise/kicheck/internal/bundle"
)

// Policy is what IT sets for the checks of its PCs, in a YAML or JSON
// file deployed by software distribution (docs/report.md, "Policy").
type Policy struct {
	// OrgUnit is the organisational unit written into every report.
	OrgUnit string `yaml:"org_unit" json:"org_unit,omitempty"`
	// IncludeHostname puts the PC's name into the report. Off by default:
	// the device id identifies the installation without naming the PC.
	IncludeHostname bool `yaml:"include_hostname" json:"include_hostname"`
	// Bundles limits the inference test to these prompt bundles (ids);
	// empty runs the default bundle.
	Bundles []string `yaml:"bundles" json:"bundles,omitempty"`
	// UploadURL is where the headless check sends the report (central
	// collection); not used by this build yet.
	UploadURL string `yaml:"upload_url" json:"upload_url,omitempty"`
	// KIPolicy and KIPolicyVersion name the AI policy (KI-Richtlinie,
	// internal/policy) in force on the PCs: its id and, optionally, the
	// version. Empty: the municipality's own policy file, else the
	// packaged Muster.
	KIPolicy        string `yaml:"ki_policy" json:"ki_policy,omitempty"`
	KIPolicyVersion string `yaml:"ki_policy_version" json:"ki_policy_version,omitempty"`
	// Source is the file the policy came from ("" = none).
	Source string `yaml:"-" json:"source,omitempty"`
}

// SystemPolicyPath is where IT deploys the policy for all users:
// %ProgramData%\KI-Check\policy.yaml on Windows, /etc/kicheck/policy.yaml
// elsewhere.
func SystemPolicyPath() string {
	if runtime.GOOS == "windows" {
		pd := os.Getenv("ProgramData")
		if pd == "" {
			pd = `C:\ProgramData`
		}
		return filepath.Join(pd, "KI-Check", "policy.yaml")
	}
	return "/etc/kicheck/policy.yaml"
}

// maxPolicySize caps the policy file; a real one is a few lines.
const maxPolicySize = 1 << 20

// PolicyError is a policy file that cannot be used.
type PolicyError struct {
	Path string
	Err  error
}

func (e *PolicyError) Error() string { return fmt.Sprintf("policy %s: %v", e.Path, e.Err) }
func (e *PolicyError) Unwrap() error { return e.Err }

// Hint says what to do.
func (e *PolicyError) Hint() string {
	return "fix the file (fields: org_unit, include_hostname, bundles, upload_url, ki_policy, ki_policy_version; see docs/report.md) or remove it"
}

// LoadPolicy reads the policy: the file given, or else the system-wide
// file if it exists, or else the empty policy. A file that exists but is
// malformed is an error naming line and column; the check does not run on
// a policy IT did not mean.
func LoadPolicy(explicit string) (Policy, error) {
	path := explicit
	if path == "" {
		path = SystemPolicyPath()
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return Policy{}, nil
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return Policy{}, &PolicyError{Path: path, Err: err}
	}
	defer f.Close()
	// Bounded: one byte more than allowed tells ParsePolicy it is too big.
	b, err := io.ReadAll(io.LimitReader(f, maxPolicySize+1))
	if err != nil {
		return Policy{}, &PolicyError{Path: path, Err: err}
	}
	return ParsePolicy(path, b)
}

// ParsePolicy parses a policy file's content (YAML, or JSON, which is YAML).
func ParsePolicy(path string, b []byte) (Policy, error) {
	if len(b) > maxPolicySize {
		return Policy{}, &PolicyError{Path: path, Err: fmt.Errorf("file is larger than %d KiB", maxPolicySize>>10)}
	}
	var p Policy
	b = bundle.Text(b) // IT may write the file with Windows Notepad
	if strings.TrimSpace(string(b)) == "" {
		p.Source = path
		return p, nil
	}
	if err := yaml.UnmarshalWithOptions(b, &p, yaml.Strict(), yaml.DisallowUnknownField()); err != nil {
		return Policy{}, &PolicyError{Path: path, Err: errors.New(oneLine(yaml.FormatError(err, false, false)))}
	}
	p.OrgUnit = strings.TrimSpace(p.OrgUnit)
	if len(p.OrgUnit) > 200 {
		return Policy{}, &PolicyError{Path: path, Err: errors.New("org_unit: at most 200 characters")}
	}
	if p.UploadURL != "" && !strings.HasPrefix(p.UploadURL, "https://") && !strings.HasPrefix(p.UploadURL, "http://") {
		return Policy{}, &PolicyError{Path: path, Err: fmt.Errorf("upload_url %q: must start with https:// or http://", p.UploadURL)}
	}
	p.KIPolicy, p.KIPolicyVersion = strings.TrimSpace(p.KIPolicy), strings.TrimSpace(p.KIPolicyVersion)
	if p.KIPolicyVersion != "" && p.KIPolicy == "" {
		return Policy{}, &PolicyError{Path: path, Err: errors.New("ki_policy_version needs ki_policy (the id of the AI policy)")}
	}
	if len(p.KIPolicy) > 64 || len(p.KIPolicyVersion) > 32 {
		return Policy{}, &PolicyError{Path: path, Err: errors.New("ki_policy: at most 64 characters, ki_policy_version: at most 32")}
	}
	p.Source = path
	return p, nil
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}

// MarshalPolicy renders p as the policy file's YAML, validated by
// ParsePolicy (so an installer never writes a file the check would refuse).
func MarshalPolicy(p Policy) ([]byte, error) {
	p.Source = ""
	b, err := yaml.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("render policy: %w", err)
	}
	if _, err := ParsePolicy("policy.yaml", b); err != nil {
		return nil, err
	}
	head := "# KI-Check: IT policy for every user of this PC (docs/report.md).\n# Written by the installer from its properties; edit or replace as needed.\n"
	return append([]byte(head), b...), nil
}

// WritePolicy writes p atomically to path (SystemPolicyPath() when empty),
// creating the folder. The MSI's properties ORGUNIT, UPLOADURL,
// INCLUDEHOSTNAME and POLICYID arrive here via `kicheck policyfile write`.
func WritePolicy(path string, p Policy) (string, error) {
	if path == "" {
		path = SystemPolicyPath()
	}
	b, err := MarshalPolicy(p)
	if err != nil {
		return path, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return path, &PolicyError{Path: path, Err: err}
	}
	if err := atomicfile.Write(path, b, 0o644); err != nil {
		return path, &PolicyError{Path: path, Err: err}
	}
	return path, nil
}
