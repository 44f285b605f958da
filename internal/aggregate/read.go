package aggregate

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ki-reise/kicheck/internal/bundle"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/signing"
	"github.com/ki-reise/kicheck/internal/textfile"
)

// MaxBytes caps an aggregate file: a municipality's summary is a few
// kilobytes (a few hundred rows at most).
const MaxBytes = 1 << 20

// maxSigBytes caps its .sig file (an Ed25519 signature is about 300
// bytes; an RSA-8192 one under 2 KiB).
const maxSigBytes = 16 << 10

var docSchema = bundle.NewSchema("aggregate.schema.json")

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
			hint: "give the aggregate file written by kicheck fleet --export-aggregate, with its .sig beside it"}
	}
	sig, err = textfile.ReadExact(path+".sig", maxSigBytes)
	if err != nil {
		return nil, nil, &Error{File: path, Msg: i18n.Msg{ID: "aggregate.err.no_sig", Data: map[string]any{"Err": errText(err)}}, Err: fmt.Errorf("%w: %v", ErrSignature, err),
			hint: "ask the municipality for the file with its .sig, unchanged"}
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
			hint: "give the Land's allowed_signers file: one line per municipality, its AGS as principal"}
	}
	pub, err := signing.Verify(data, sig)
	if err != nil {
		return nil, &Error{File: name, Msg: i18n.Msg{ID: "aggregate.err.signature", Data: map[string]any{"Err": i18n.Escape(err.Error())}},
			Err: fmt.Errorf("%w: %v", ErrSignature, err), hint: "ask the municipality for the file with its .sig, unchanged (kicheck fleet --export-aggregate)"}
	}
	d, err := Parse(name, data)
	if err != nil {
		return nil, err
	}
	if err := allowed.Check(d.Municipality.AGS, signing.Namespace, pub, now); err != nil {
		return nil, &Error{File: name, Msg: i18n.Msg{ID: "aggregate.err.unknown_key", Data: map[string]any{"AGS": d.Municipality.AGS,
			"Name": i18n.Escape(d.Municipality.Name), "Key": signing.Fingerprint(pub), "Allowed": i18n.Escape(allowed.Name())}},
			Err:  fmt.Errorf("%w: %v", ErrUnknownKey, err),
			hint: "if the key is the municipality's, add its line to the allowed_signers file: AGS ssh-ed25519 AAAA… (kicheck fleet --export-aggregate prints it)"}
	}
	return &Verified{File: name, Doc: d, Fingerprint: signing.Fingerprint(pub), Data: data, Sig: sig}, nil
}

// Parse reads a document: at most MaxBytes, valid against the schema,
// decoded strictly, and every rule of the format checked. Errors name the
// file, line, column and field, or the bucket under the minimum.
func Parse(name string, data []byte) (*Document, error) {
	if len(data) > MaxBytes {
		return nil, badFile(name, fmt.Sprintf("larger than %d KiB", MaxBytes>>10))
	}
	var d Document
	doc, errs := bundle.Decode(name, data, docSchema, &d)
	if errs != nil {
		return nil, &Error{File: name, Msg: i18n.Msg{ID: "aggregate.err.format", Data: map[string]any{"Err": i18n.Escape(strings.TrimPrefix(errs[0].Error(), name+":"))}},
			Err: fmt.Errorf("%w: %v", ErrBadFile, errs[0]), hint: errs.Hint()}
	}
	at := func(field, msg string) error {
		e := doc.ErrorAt(field, msg)
		return badFile(name, strings.TrimPrefix(e.Error(), name+":"))
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
			Err: ErrSmallBucket, hint: "ask the municipality to export again with KI-Check (it merges groups under the minimum itself)"}
	}
	// Every group: 0 or at least MinBucket.
	small := func(field string, n int) error {
		return &Error{File: name, Msg: i18n.Msg{ID: "aggregate.err.small_bucket", Data: map[string]any{"Bucket": field, "Devices": n, "Min": MinBucket}},
			Err: ErrSmallBucket, hint: "ask the municipality to export again with KI-Check (it merges groups under the minimum itself); the file was not taken"}
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
		Err: ErrBadFile, hint: "give the file as kicheck fleet --export-aggregate wrote it (docs/aggregate.md)"}
}
