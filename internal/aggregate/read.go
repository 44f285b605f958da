package aggregate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/report"
	"github.com/ki-reise/kicheck/internal/signing"
	"github.com/ki-reise/kicheck/internal/textfile"
)

// MaxBytes caps an aggregate file: a municipality's summary is a few
// kilobytes (a few hundred rows at most).
const MaxBytes = 1 << 20 // 1 MiB

// maxSigBytes caps its .sig file (an Ed25519 signature is about 300
// bytes; an RSA-8192 one under 2 KiB).
const maxSigBytes = 16 << 10

// Verified is a file that passed every check: its document, signer and
// bytes.
type Verified struct {
	File        string
	Doc         *Document
	Fingerprint string // of the key that signed it
	Data, Sig   []byte
}

// ReadFile reads path and path.sig (regular files, bounded).
func ReadFile(path string) (data, sig []byte, err error) {
	data, err = textfile.ReadExact(path, MaxBytes)
	if err != nil {
		return nil, nil, &Error{File: path, Msg: i18n.Msg{ID: "aggregate.err.read", Data: map[string]any{"Err": errText(err)}}, Err: err,
			Tip: i18n.Msg{ID: "aggregate.hint.read"}}
	}
	sig, err = textfile.ReadExact(path+".sig", maxSigBytes)
	if err != nil {
		return nil, nil, &Error{File: path, Msg: i18n.Msg{ID: "aggregate.err.no_sig", Data: map[string]any{"Err": errText(err)}}, Err: fmt.Errorf("%w: %v", ErrSignature, err),
			Tip: i18n.Msg{ID: "aggregate.hint.ask_unchanged"}}
	}
	return data, sig, nil
}

// errText is an outside error's text, escaped, in a form a Msg renders
// in its language when it can.
func errText(err error) any {
	var t i18n.Texter
	if errors.As(err, &t) {
		return escapedTexter{t}
	}
	return i18n.Escape(err.Error())
}

type escapedTexter struct{ t i18n.Texter }

func (e escapedTexter) Text(lang string) string { return i18n.Escape(e.t.Text(lang)) }

// Verify checks a municipality's file for the Land: the signature over
// the exact bytes first (SSHSIG, namespace signing.Namespace), then the
// format (docs/schema/aggregate.schema.json and the rules of
// docs/aggregate.md: every group 0 or at least MinBucket), then that the
// signing key is listed in allowed for the file's AGS as principal.
func Verify(name string, data, sig []byte, allowed *signing.AllowedSigners, now time.Time) (*Verified, error) {
	if allowed == nil {
		return nil, &Error{File: name, Msg: i18n.Msg{ID: "aggregate.err.no_allowed"}, Err: ErrUnknownKey,
			Tip: i18n.Msg{ID: "aggregate.hint.no_allowed"}}
	}
	pub, err := signing.Verify(data, sig)
	if err != nil {
		return nil, &Error{File: name, Msg: i18n.Msg{ID: "aggregate.err.signature", Data: map[string]any{"Err": i18n.Escape(err.Error())}},
			Err: fmt.Errorf("%w: %v", ErrSignature, err), Tip: i18n.Msg{ID: "aggregate.hint.signature"}}
	}
	d, err := Parse(name, data)
	if err != nil {
		return nil, err
	}
	// A file dated ahead would hold off every newer one of its
	// municipality (newer replaces older by created).
	if created, _ := time.Parse(time.RFC3339, d.Created); created.After(now.Add(report.MaxClockSkew)) {
		return nil, &Error{File: name, Msg: i18n.Msg{ID: "aggregate.err.future", Data: map[string]any{"Created": i18n.Time(created), "Now": i18n.Time(now),
			"Hours": int(report.MaxClockSkew / time.Hour)}}, Err: ErrBadFile,
			Tip: i18n.Msg{ID: "aggregate.hint.future"}}
	}
	if err := allowed.Check(d.Municipality.AGS, signing.Namespace, pub, now); err != nil {
		return nil, &Error{File: name, Msg: i18n.Msg{ID: "aggregate.err.unknown_key", Data: map[string]any{"AGS": d.Municipality.AGS,
			"Name": i18n.Escape(d.Municipality.Name), "Key": signing.Fingerprint(pub), "Allowed": i18n.Escape(allowed.Name())}},
			Err: fmt.Errorf("%w: %v", ErrUnknownKey, err),
			Tip: i18n.Msg{ID: "aggregate.hint.unknown_key"}}
	}
	return &Verified{File: name, Doc: d, Fingerprint: signing.Fingerprint(pub), Data: data, Sig: sig}, nil
}

// Parse reads a document: at most MaxBytes, JSON nested at most
// maxDepth deep, decoded strictly (no unknown field), and every rule of
// the format checked (docs/aggregate.md; the same limits as
// docs/schema/aggregate.schema.json). Errors name the file and the line
// and column or the field, or the group under the minimum. Memory and
// time grow linearly with the input: one token pass, one decode.
func Parse(name string, data []byte) (*Document, error) {
	if len(data) > MaxBytes {
		return nil, badFile(name, fmt.Sprintf("larger than %d KiB", MaxBytes>>10))
	}
	if err := scan(data); err != nil {
		return nil, badFile(name, err.Error())
	}
	var d Document
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		return nil, badFile(name, decodeError(data, err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, badFile(name, at(data, dec.InputOffset())+": more data after the document")
	}
	at := func(field, msg string) error { return badFile(name, field+": "+msg) }
	if err := limits(&d); err != nil {
		return nil, badFile(name, err.Error())
	}
	if d.Format != Format {
		return nil, at("format", "must be "+Format)
	}
	if _, err := time.Parse(time.RFC3339, d.Created); err != nil {
		return nil, at("created", "not an RFC 3339 time")
	}
	if err := CheckAGS(d.Municipality.AGS); err != nil {
		return nil, at("municipality.ags", "must be 8 digits")
	}
	for _, f := range []struct{ field, v string }{{"data.from", d.Data.From}, {"data.to", d.Data.To}} {
		if _, err := time.Parse(time.DateOnly, f.v); err != nil {
			return nil, at(f.field, "not a date YYYY-MM-DD")
		}
	}
	if d.Data.From > d.Data.To {
		return nil, at("data.from", "after data.to")
	}
	if d.MinBucket < MinBucket {
		return nil, &Error{File: name, Msg: i18n.Msg{ID: "aggregate.err.min_bucket", Data: map[string]any{"Got": d.MinBucket, "Min": MinBucket}},
			Err: ErrSmallBucket, Tip: i18n.Msg{ID: "aggregate.hint.min_bucket"}}
	}
	// Every group: 0 or at least MinBucket.
	small := func(field string, n int) error {
		return &Error{File: name, Msg: i18n.Msg{ID: "aggregate.err.small_bucket", Data: map[string]any{"Bucket": field, "Devices": n, "Min": MinBucket}},
			Err: ErrSmallBucket, Tip: i18n.Msg{ID: "aggregate.hint.small_bucket"}}
	}
	groups := func(field string, gs []Group, known []string, total int) error {
		sum := 0
		var seen []string
		for i, g := range gs {
			f := fmt.Sprintf("%s[%d] (%s)", field, i, strings.Join(g.Keys, "+"))
			if g.Devices > 0 && g.Devices < MinBucket {
				return small(f, g.Devices)
			}
			for _, k := range g.Keys {
				if known != nil && !slices.Contains(known, k) || slices.Contains(seen, k) {
					return at(fmt.Sprintf("%s[%d].keys", field, i), "unknown or repeated key "+i18n.Escape(k))
				}
				seen = append(seen, k)
			}
			sum += g.Devices
		}
		if total >= 0 && sum != total {
			return at(field, fmt.Sprintf("counts %d devices, the file says %d", sum, total))
		}
		return nil
	}
	if d.Devices < MinBucket {
		return nil, small("devices", d.Devices)
	}
	if err := groups("overall", d.Overall, Levels, d.Devices); err != nil {
		return nil, err
	}
	for _, t := range []struct {
		field string
		rows  []Row
	}{{"use_cases", d.UseCases}, {"models", d.Models}} {
		for i, r := range t.rows {
			f := fmt.Sprintf("%s[%d]", t.field, i)
			if r.Devices < MinBucket {
				return nil, small(f+" ("+i18n.Escape(r.UseCase)+")", r.Devices)
			}
			if err := groups(f+".levels", r.Levels, Levels, r.Devices); err != nil {
				return nil, err
			}
		}
	}
	if err := groups("ram", d.RAM, nil, d.Devices); err != nil {
		return nil, err
	}
	if err := groups("vram", d.VRAM, nil, d.Devices); err != nil {
		return nil, err
	}
	if err := groups("upgrade", d.Upgrade, nil, d.Devices); err != nil {
		return nil, err
	}
	for i, q := range d.QuizRoles {
		if q.Participants < MinBucket {
			return nil, small(fmt.Sprintf("quiz_roles[%d] (%s)", i, i18n.Escape(q.Role)), q.Participants)
		}
	}
	return &d, nil
}

func badFile(name, detail string) error {
	return &Error{File: name, Msg: i18n.Msg{ID: "aggregate.err.format", Data: map[string]any{"Err": strings.TrimSpace(detail)}},
		Err: ErrBadFile, Tip: i18n.Msg{ID: "aggregate.hint.format"}}
}

// maxDepth is the deepest nesting of a valid document (object, rows,
// row, levels, group, keys).
const maxDepth = 6

// scan walks the tokens once: valid JSON, nested at most maxDepth deep.
func scan(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	depth := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			if depth != 0 {
				return errors.New("the JSON ends early")
			}
			return nil
		}
		if err != nil {
			return errors.New(decodeError(data, err))
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
			if depth > maxDepth {
				return fmt.Errorf("%s: nested deeper than a summary is", at(data, dec.InputOffset()))
			}
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
}

// decodeError says where the JSON is wrong: line and column, and the
// field for a value of the wrong type.
func decodeError(data []byte, err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return at(data, se.Offset) + ": " + se.Error()
	case errors.As(err, &te):
		return at(data, te.Offset) + ": " + te.Field + ": " + te.Value + " where " + te.Type.String() + " belongs"
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return "the JSON ends early"
	}
	return i18n.Escape(err.Error())
}

// at is the line and column of byte offset off ("3:14").
func at(data []byte, off int64) string {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int64(len(before)) - int64(bytes.LastIndexByte(before, '\n'))
	return fmt.Sprintf("%d:%d", line, col)
}

var keyPattern = regexp.MustCompile(`^[a-z0-9_]{1,40}$`)

// limits checks what the schema limits: lengths, counts and keys.
func limits(d *Document) error {
	str := func(field, v string, maxLen int) error {
		if len(v) > maxLen || !utf8.ValidString(v) {
			return fmt.Errorf("%s: longer than %d bytes or not UTF-8", field, maxLen)
		}
		return nil
	}
	for _, c := range []struct {
		field, v string
		n        int
	}{{"created", d.Created, 40}, {"kicheck_version", d.Version, 100}, {"municipality.name", d.Municipality.Name, 200}} {
		if err := str(c.field, c.v, c.n); err != nil {
			return err
		}
	}
	if strings.TrimSpace(d.Municipality.Name) == "" {
		return errors.New("municipality.name: empty")
	}
	if len(d.UseCases) > 500 || len(d.Models) > 5000 || len(d.QuizRoles) > 20 || len(d.Suppressed) > 5000 {
		return errors.New("more rows than a summary has")
	}
	groups := func(field string, gs []Group) error {
		if len(gs) > 100 {
			return fmt.Errorf("%s: more than 100 groups", field)
		}
		for i, g := range gs {
			if len(g.Keys) == 0 || len(g.Keys) > 100 {
				return fmt.Errorf("%s[%d].keys: 1 to 100 keys", field, i)
			}
			for _, k := range g.Keys {
				if !keyPattern.MatchString(k) {
					return fmt.Errorf("%s[%d].keys: %q is no bucket key", field, i, i18n.Escape(k))
				}
			}
			if g.Devices < 0 || g.Devices > 100_000_000 {
				return fmt.Errorf("%s[%d].devices: out of range", field, i)
			}
		}
		return nil
	}
	for _, c := range []struct {
		field string
		gs    []Group
	}{{"overall", d.Overall}, {"ram", d.RAM}, {"vram", d.VRAM}, {"upgrade", d.Upgrade}} {
		if err := groups(c.field, c.gs); err != nil {
			return err
		}
	}
	for _, t := range []struct {
		field string
		rows  []Row
	}{{"use_cases", d.UseCases}, {"models", d.Models}} {
		for i, r := range t.rows {
			f := fmt.Sprintf("%s[%d]", t.field, i)
			if err := str(f+".use_case", r.UseCase, 200); err != nil {
				return err
			}
			if err := str(f+".model", r.Model, 200); err != nil {
				return err
			}
			if err := groups(f+".levels", r.Levels); err != nil {
				return err
			}
		}
	}
	roles := QuizRoleOrder()
	for i, q := range d.QuizRoles {
		if !slices.Contains(roles, q.Role) {
			return fmt.Errorf("quiz_roles[%d].role: %q is no staff role", i, i18n.Escape(q.Role))
		}
		if q.MeanScorePercent < 0 || q.MeanScorePercent > 100 {
			return fmt.Errorf("quiz_roles[%d].mean_score_percent: not 0 to 100", i)
		}
	}
	for i, s := range d.Suppressed {
		if !slices.Contains([]string{"use_cases", "models", "quiz_roles"}, s.Table) || s.Reason != "fewer_than_min" {
			return fmt.Errorf("suppressed[%d]: unknown table or reason", i)
		}
		if err := str(fmt.Sprintf("suppressed[%d].key", i), s.Key, 400); err != nil {
			return err
		}
	}
	return nil
}
