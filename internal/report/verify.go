package report

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"sort"
	"sync"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/crypto/ssh"
	"golang.org/x/sync/semaphore"

	"github.com/ki-reise/kicheck/docs/schema"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/signing"
	"github.com/ki-reise/kicheck/internal/textfile"
)

// Problem classifies why a report is not valid. Each has its own exit
// code in `kicheck verify` (docs/report.md).
type Problem string

// The problems verify tells apart, in the order they are checked.
const (
	ProblemNone             Problem = ""
	ProblemTooLarge         Problem = "too_large"
	ProblemNotJSON          Problem = "not_json"
	ProblemSignatureMissing Problem = "signature_missing"
	ProblemSignatureFormat  Problem = "signature_format"
	ProblemSignatureInvalid Problem = "signature_invalid"
	ProblemUnknownKey       Problem = "unknown_key"
	ProblemNewerVersion     Problem = "newer_version"
	ProblemSchema           Problem = "schema_violation"
	ProblemHash             Problem = "hash_mismatch"
	ProblemDeviceID         Problem = "device_id_mismatch"
	ProblemFuture           Problem = "created_in_future"
)

// VerifyOptions say what to trust.
type VerifyOptions struct {
	// AllowedSigners, when set, must trust the signing key for the
	// report's device id; without it any key that signed is accepted and
	// Result.Trusted is false.
	AllowedSigners *signing.AllowedSigners
	// Now is the time valid-after/valid-before are checked against; zero
	// means the current time.
	Now time.Time
}

// Result is the outcome of Verify.
type Result struct {
	Valid   bool    `json:"valid"`
	Problem Problem `json:"problem,omitempty"`
	// Message is one line saying what is wrong (or that all is well), in
	// German from Verify; Localize gives another language. Problem is the
	// stable code for programs.
	Message string `json:"message"`
	// msg is the message id and values behind Message ("verify.*").
	msg i18n.Msg
	// Trusted is true when an allowed_signers file vouched for the key.
	Trusted       bool   `json:"trusted"`
	SchemaVersion int    `json:"schema_version,omitempty"`
	DeviceID      string `json:"device_id,omitempty"`
	Fingerprint   string `json:"fingerprint,omitempty"` // of the signing key
	Created       string `json:"created,omitempty"`
	Overall       string `json:"overall,omitempty"`
	// Report is the parsed report when it is valid.
	Report *Report `json:"-"`
}

// fail is a result with problem p and the message id ("verify.*").
func fail(p Problem, id string, data map[string]any) Result {
	m := i18n.Msg{ID: id, Data: data}
	return Result{Problem: p, msg: m, Message: m.Text(i18n.Default)}
}

// Msg is the message id and values behind Message, for callers that keep
// the result and render it later (the intake's file list).
func (r Result) Msg() i18n.Msg { return r.msg }

// Localize returns the result with Message in lang ("de", "en"). A result
// read back from JSON has no message id and is returned as it is.
func (r Result) Localize(lang string) Result {
	if r.msg.ID != "" {
		r.Message = r.msg.Text(lang)
	}
	return r
}

// Verify checks a report's bytes and its armored signature: size,
// signature, trust, JSON, version, schema, section hashes, that the device
// id belongs to the signing key, and that the report is not dated in the
// future. It never panics on any input.
//
// The order is the cost: the signature is checked over the raw bytes
// (one SHA-512 pass, no allocation that grows with the report) before
// anything is parsed, and the trust in the key (allowed_signers, for the
// device id the key stands for) before the document is read, so bytes
// nobody signed, or a key nobody trusts, never cost a parse. Parsing
// builds a tree several times the report's size; parses in flight share
// one memory budget (ParseBudget), so many large reports at once wait for
// each other instead of exhausting memory.
func Verify(data, sig []byte, opts VerifyOptions) Result {
	if len(data) > MaxSize {
		return fail(ProblemTooLarge, "verify.too_large", map[string]any{"Size": i18n.Int(len(data)), "Max": i18n.Int(MaxSize)})
	}
	if len(sig) > maxSigSize {
		return fail(ProblemSignatureFormat, "verify.signature_too_large", map[string]any{"Size": i18n.Int(len(sig)), "Max": i18n.Int(maxSigSize)})
	}
	if sig == nil {
		return fail(ProblemSignatureMissing, "verify.signature_missing", nil)
	}
	pub, err := signing.Verify(data, sig)
	switch {
	case errors.Is(err, signing.ErrSignatureFormat):
		return fail(ProblemSignatureFormat, "verify.signature_format", map[string]any{"Detail": i18n.Escape(err.Error())})
	case errors.Is(err, signing.ErrWrongNamespace):
		ns := ""
		if s, err := signing.Unarmor(sig); err == nil {
			ns = i18n.Escape(s.Namespace)
		}
		return fail(ProblemSignatureInvalid, "verify.wrong_namespace", map[string]any{"Namespace": ns, "Want": signing.Namespace})
	case err != nil:
		return fail(ProblemSignatureInvalid, "verify.signature_invalid", nil)
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	// The device id a report may carry is the one its key stands for
	// (checked below once the document is read), so the trust is decided
	// for that id before the document is parsed.
	keyDevice := signing.DeviceID(pub)
	res := Result{Fingerprint: signing.Fingerprint(pub), DeviceID: keyDevice}
	if opts.AllowedSigners != nil {
		if err := opts.AllowedSigners.Check(keyDevice, signing.Namespace, pub, now); err != nil {
			return withHead(res, fail(ProblemUnknownKey, "verify.unknown_key", unknownKeyData(err, opts.AllowedSigners.Name(), keyDevice, res.Fingerprint)))
		}
		res.Trusted = true
	}
	release := acquireParse(len(data))
	defer release()
	doc, sections, err := parse(data)
	if err != nil {
		return withHead(res, fail(ProblemNotJSON, "verify.not_json", map[string]any{"Detail": detail(err)}))
	}
	head := peekHead(doc)
	res.SchemaVersion, res.Created = head.version, head.created
	if head.version > SchemaVersion {
		return withHead(res, fail(ProblemNewerVersion, "verify.newer_version", map[string]any{"Version": head.version, "Max": SchemaVersion}))
	}
	if err := reportSchema().Validate(doc); err != nil {
		return withHead(res, fail(ProblemSchema, "verify.schema", map[string]any{"Detail": schemaDetailOf(err)}))
	}
	if m := checkHashes(sections, integrityOf(doc)); m.ID != "" {
		return withHead(res, fail(ProblemHash, "verify.hash", map[string]any{"Detail": m}))
	}
	if head.deviceID != keyDevice {
		return withHead(res, fail(ProblemDeviceID, "verify.device_id",
			map[string]any{"Device": i18n.Escape(head.deviceID), "Fingerprint": res.Fingerprint, "Want": keyDevice}))
	}
	if created, err := time.Parse(time.RFC3339, head.created); err == nil && created.After(now.Add(MaxClockSkew)) {
		return withHead(res, fail(ProblemFuture, "verify.future", map[string]any{"Created": timestamp(head.created), "Now": i18n.Time(now),
			"Hours": i18n.Int(int(MaxClockSkew / time.Hour))}))
	}
	doc, sections = nil, nil // the typed report below is all that is kept
	var r Report
	if err := jsonv2.Unmarshal(data, &r); err != nil {
		return withHead(res, fail(ProblemSchema, "verify.schema", map[string]any{"Detail": i18n.Escape(err.Error())}))
	}
	res.Report = &r
	res.Valid = true
	res.Overall = r.Summary.Overall
	id := "verify.valid_untrusted"
	if res.Trusted {
		id = "verify.valid_trusted"
	}
	res.msg = i18n.Msg{ID: id, Data: map[string]any{"Device": res.DeviceID, "Created": timestamp(res.Created), "Fingerprint": res.Fingerprint}}
	res.Message = res.msg.Text(i18n.Default)
	return res
}

// MaxClockSkew is how far in the future a report's "created" time may lie
// compared with the time it is verified (received): a PC's clock may be
// off by minutes or a time zone, but a report dated later than that would
// stay a device's newest report until that date, however many genuine
// reports came after it.
const MaxClockSkew = 24 * time.Hour

// ParseBudget is the sum of report sizes parsed at the same time in this
// process. A parse needs several times the report's size (a tree of
// generic values for the JSON Schema); the budget bounds that memory
// however many reports arrive at once. A report larger than the budget
// takes all of it.
const ParseBudget = 8 << 20

var parseSem = semaphore.NewWeighted(ParseBudget)

// acquireParse waits until n bytes of the parse budget are free and
// returns the function that frees them.
func acquireParse(n int) (release func()) {
	w := int64(max(n, 1))
	w = min(w, ParseBudget)
	_ = parseSem.Acquire(context.Background(), w) // never fails without a deadline
	return func() { parseSem.Release(w) }
}

// maxSigSize caps a signature file; an armored SSHSIG with an RSA-8192 key
// is under 4 KiB.
const maxSigSize = 16 << 10

func withHead(head, r Result) Result {
	r.Fingerprint, r.SchemaVersion, r.DeviceID, r.Created, r.Trusted = head.Fingerprint, head.SchemaVersion, head.DeviceID, head.Created, head.Trusted
	return r
}

func position(data []byte, off int64) (line, col int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	before := data[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(off) - bytes.LastIndexByte(before, '\n')
	return line, col
}

type head struct {
	version  int
	deviceID string
	created  string
}

// peekHead reads the few fields needed before the schema is applied,
// tolerating any shape.
func peekHead(doc any) head {
	var h head
	m, ok := doc.(map[string]any)
	if !ok {
		return h
	}
	if v, ok := m["schema_version"].(float64); ok && v > 0 && v < 1<<31 && v == float64(int(v)) {
		h.version = int(v)
	}
	if d, ok := m["device"].(map[string]any); ok {
		h.deviceID, _ = d["device_id"].(string)
	}
	h.created, _ = m["created"].(string)
	return h
}

// integrityOf reads the section hashes from a document the schema
// accepted (integrity.sections maps names to hex strings).
func integrityOf(doc any) map[string]string {
	hashes := map[string]string{}
	m, _ := doc.(map[string]any)
	integrity, _ := m["integrity"].(map[string]any)
	sections, _ := integrity["sections"].(map[string]any)
	for name, v := range sections {
		hashes[name], _ = v.(string)
	}
	return hashes
}

// checkHashes returns the first section whose hash is wrong or missing, as
// a message ("verify.hash.*"); an empty message when all match.
func checkHashes(sections map[string]json.RawMessage, hashes map[string]string) i18n.Msg {
	var names []string
	for n := range sections {
		names = append(names, n)
	}
	for n := range hashes {
		if _, ok := sections[n]; !ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		v, ok := sections[n]
		if !ok {
			return i18n.Msg{ID: "verify.hash.missing_section", Data: map[string]any{"Section": n}}
		}
		want, ok := hashes[n]
		if !ok {
			return i18n.Msg{ID: "verify.hash.no_hash", Data: map[string]any{"Section": n}}
		}
		got, err := SectionHash(v)
		if err != nil || got != want {
			return i18n.Msg{ID: "verify.hash.mismatch", Data: map[string]any{"Section": n}}
		}
	}
	return i18n.Msg{}
}

var (
	schemaOnce     sync.Once
	compiledSchema *jsonschema.Schema
)

// reportSchema compiles docs/schema/report.schema.json once.
func reportSchema() *jsonschema.Schema {
	schemaOnce.Do(func() {
		b, err := fs.ReadFile(schema.FS, "report.schema.json")
		if err != nil {
			panic("report.schema.json: " + err.Error()) // embedded; a test covers it
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			panic("report.schema.json: " + err.Error()) // embedded; a test covers it
		}
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		const url = "https://ki-reise.de/kicheck/schema/report.schema.json"
		if err := c.AddResource(url, doc); err != nil {
			panic("report.schema.json: " + err.Error())
		}
		compiledSchema = c.MustCompile(url)
	})
	return compiledSchema
}

// ValidateSchema checks a report's bytes against the published schema.
func ValidateSchema(data []byte) error {
	doc, _, err := parse(data)
	if err != nil {
		return err
	}
	if err := reportSchema().Validate(doc); err != nil {
		return errors.New(schemaDetailOf(err).Text("en"))
	}
	return nil
}

// ReadFiles reads NAME.json and NAME.json.sig with the size caps applied;
// a missing signature gives sig == nil. Only regular files are read: a
// named pipe, a device or a symbolic link in the place of either file is
// refused at once (a *textfile.Error saying what it is), so a hostile
// share cannot make a reader wait forever or read elsewhere.
func ReadFiles(path string) (data, sig []byte, err error) {
	data, err = textfile.ReadExact(path, MaxSize)
	if err != nil {
		return nil, nil, err
	}
	sig, err = textfile.ReadExact(path+".sig", maxSigSize)
	if errors.Is(err, os.ErrNotExist) {
		return data, nil, nil
	}
	return data, sig, err
}

// PublicKeyOf parses the public key text of a report's device section.
func PublicKeyOf(r *Report) (ssh.PublicKey, error) {
	pub, _, _, _, err := ssh.ParseAuthorizedKey([]byte(r.Device.PublicKey))
	return pub, err
}
