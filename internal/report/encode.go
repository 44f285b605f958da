package report

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"runtime"
	"sort"
	"time"

	"github.com/ki-reise/kicheck/internal/buildinfo"
	"github.com/ki-reise/kicheck/internal/signing"
)

// New starts a report for the installation's key: schema version, a new
// report id, the creation time and the app build are filled in.
func New(key *signing.Key, now time.Time) *Report {
	info := buildinfo.Get()
	id := make([]byte, 16)
	_, _ = rand.Read(id)
	pub := key.Public()
	return &Report{
		SchemaVersion: SchemaVersion,
		Kind:          Kind,
		ReportID:      hex.EncodeToString(id),
		Created:       now.UTC().Truncate(time.Second),
		Status:        StatusComplete,
		App: App{Name: "KI-Check", Version: info.Version, Commit: info.Commit, BuildDate: info.Date,
			GoVersion: info.GoVersion, Platform: runtime.GOOS + "/" + runtime.GOARCH, Dirty: info.Dirty},
		Device: Device{DeviceID: signing.DeviceID(pub), PublicKey: signing.AuthorizedKey(pub),
			Fingerprint: signing.Fingerprint(pub)},
		Bundles: []Bundle{},
		Summary: Summary{Overall: LevelUnknown, Verdicts: []Verdict{}, Steps: []Step{}},
	}
}

// Marshal fills in the integrity hashes and returns the report's bytes:
// JSON indented by two spaces, ending in a newline. These bytes are what
// is written and signed; nothing re-encodes them afterwards.
func Marshal(r *Report) ([]byte, error) {
	if r.Bundles == nil {
		r.Bundles = []Bundle{}
	}
	if r.Summary.Verdicts == nil {
		r.Summary.Verdicts = []Verdict{}
	}
	if r.Summary.Steps == nil {
		r.Summary.Steps = []Step{}
	}
	sec, err := json.Marshal(r.Sections)
	if err != nil {
		return nil, fmt.Errorf("encode report sections: %w", err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(sec, &raw); err != nil {
		return nil, fmt.Errorf("encode report sections: %w", err)
	}
	hashes, err := sectionHashes(raw)
	if err != nil {
		return nil, err
	}
	r.Integrity = Integrity{Algorithm: "sha256", Sections: hashes}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode report: %w", err)
	}
	return append(b, '\n'), nil
}

// SectionHash is the hex SHA-256 of a section's JSON value with
// insignificant whitespace removed (encoding/json Compact: member order and
// number spelling stay as written).
func SectionHash(value json.RawMessage) (string, error) {
	var buf bytes.Buffer
	if err := json.Compact(&buf, value); err != nil {
		return "", err
	}
	sum := sha256.Sum256(buf.Bytes())
	return hex.EncodeToString(sum[:]), nil
}

func sectionHashes(raw map[string]json.RawMessage) (map[string]string, error) {
	out := make(map[string]string, len(raw))
	for name, v := range raw {
		h, err := SectionHash(v)
		if err != nil {
			return nil, fmt.Errorf("section %s: %w", name, err)
		}
		out[name] = h
	}
	return out, nil
}

// BundleHash is the hex SHA-256 over a bundle's files: for each regular
// file under root in lexical path order, the path (slash-separated,
// relative to root), a NUL byte, the content's SHA-256, a newline.
func BundleHash(fsys fs.FS, root string) (string, error) {
	var paths []string
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("hash bundle %s: %w", root, err)
	}
	sort.Strings(paths)
	h := sha256.New()
	for _, p := range paths {
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return "", fmt.Errorf("hash bundle %s: %w", root, err)
		}
		sum := sha256.Sum256(b)
		rel := p
		if root != "." && len(p) > len(root) {
			rel = p[len(root)+1:]
		}
		fmt.Fprintf(h, "%s\x00%x\n", rel, sum)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
