package aggregate

import (
	"encoding/json"
	"errors"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ki-reise/kicheck/internal/collect"
	"github.com/ki-reise/kicheck/internal/fit"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/quiz"
	"github.com/ki-reise/kicheck/internal/report"
)

// Format names the file format (docs/aggregate.md).
const Format = "kicheck-aggregate-v1"

// MinBucket is the fewest devices (or quiz participants) a published
// group may count, unless it counts none: a group with 1 to MinBucket-1
// is merged into its neighbour or left out before the file is written,
// and the Land refuses a file that has one.
const MinBucket = 5

// Document is one municipality's signed summary. Every count is 0 or at
// least MinBucket; no device id, hostname, org unit or single report is
// in it.
type Document struct {
	Format       string       `json:"format"`
	Created      string       `json:"created"` // RFC 3339 UTC, when it was written
	Version      string       `json:"kicheck_version"`
	Municipality Municipality `json:"municipality"`
	MinBucket    int          `json:"min_bucket"`
	Data         DataRange    `json:"data"`
	Devices      int          `json:"devices"`
	// Overall: devices by the overall level of their newest report, in
	// the order ready, limited, not_ready, unknown.
	Overall []Group `json:"overall"`
	// UseCases: per use case, devices by the best level any model
	// reached; Models: per use case and model.
	UseCases []Row `json:"use_cases"`
	Models   []Row `json:"models"`
	// RAM and VRAM: devices per memory size (the fleet's buckets, keys as
	// in kicheck fleet --json).
	RAM  []Group `json:"ram"`
	VRAM []Group `json:"vram"`
	// Upgrade: devices by the smallest memory size (fit.RAMSizesGB) that
	// would make every use case of theirs ready, then no_size (ready
	// already, or memory alone would not do) and without_fit_data.
	Upgrade []Group `json:"upgrade"`
	// QuizRoles: quiz participants per staff role with their mean score.
	QuizRoles []QuizRole `json:"quiz_roles"`
	// Suppressed names the rows left out because they counted fewer
	// than MinBucket (never their count).
	Suppressed []Suppressed `json:"suppressed"`
}

// Municipality names who sends the file. AGS is the Amtlicher
// Gemeindeschlüssel (8 digits), the principal in the Land's
// allowed_signers file.
type Municipality struct {
	Name string `json:"name"`
	AGS  string `json:"ags"`
}

// DataRange is the first and last day of the newest reports counted
// (YYYY-MM-DD, UTC).
type DataRange struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// Group is one published count: a bucket, or several neighbouring
// buckets merged (Keys in their order) because one of them counted fewer
// than MinBucket.
type Group struct {
	Keys    []string `json:"keys"`
	Devices int      `json:"devices"`
}

// Merged tells whether g joins several buckets.
func (g Group) Merged() bool { return len(g.Keys) > 1 }

// Row is the level distribution of one use case (and model).
type Row struct {
	UseCase string  `json:"use_case"`
	Model   string  `json:"model,omitempty"`
	Devices int     `json:"devices"`
	Levels  []Group `json:"levels"`
}

// QuizRole is one staff role's quiz results.
type QuizRole struct {
	Role             string  `json:"role"`
	Participants     int     `json:"participants"`
	MeanScorePercent float64 `json:"mean_score_percent"`
}

// Suppressed is a row left out: table (use_cases, models, quiz_roles) and
// key (the use case, "use case/model", the role).
type Suppressed struct {
	Table  string `json:"table"`
	Key    string `json:"key"`
	Reason string `json:"reason"` // "fewer_than_min"
}

// Levels is the order of the level buckets.
var Levels = []string{report.LevelReady, report.LevelLimited, report.LevelNotReady, report.LevelUnknown}

// Upgrade buckets after the memory sizes.
const (
	UpgradeNoSize         = "no_size"
	UpgradeWithoutFitData = "without_fit_data"
)

// Inputs is what Build needs besides the fleet.
type Inputs struct {
	Municipality Municipality
	// From and To are the dates of the oldest and newest of the devices'
	// newest reports (collect.DataRange).
	From, To time.Time
	// QuizRoles are the quiz results per role (QuizRolesOf), before
	// suppression.
	QuizRoles []QuizRole
	Version   string
	Now       time.Time
}

var agsPattern = regexp.MustCompile(`^[0-9]{8}$`)

// CheckAGS checks the format of an Amtlicher Gemeindeschlüssel: exactly
// eight digits. Whether the key belongs to a municipality is not checked
// (no register is packaged).
func CheckAGS(ags string) error {
	if !agsPattern.MatchString(ags) {
		return &Error{Msg: i18n.Msg{ID: "aggregate.err.ags", Data: map[string]any{"AGS": i18n.Escape(ags)}},
			Err: ErrBadAGS, Tip: i18n.Msg{ID: "aggregate.hint.ags"}}
	}
	return nil
}

// Sentinel causes, for errors.Is.
var (
	ErrBadAGS      = errors.New("not an 8-digit Amtlicher Gemeindeschlüssel")
	ErrTooFew      = errors.New("fewer devices than the minimum group size")
	ErrNoName      = errors.New("no municipality name")
	ErrSignature   = errors.New("bad signature")
	ErrUnknownKey  = errors.New("key not allowed for this municipality")
	ErrSmallBucket = errors.New("a group under the minimum size")
	ErrBadFile     = errors.New("not a KI-Check aggregate file")
)

// Error is a refused export or file, with its text as a message id.
type Error struct {
	File string
	Msg  i18n.Msg
	Err  error
	Tip  i18n.Msg // what to do
}

func (e *Error) Error() string { return e.Text("en") }
func (e *Error) Unwrap() error { return e.Err }

// Text renders the error in lang, with the file name (escaped) first.
func (e *Error) Text(lang string) string {
	if e.File == "" {
		return e.Msg.Text(lang)
	}
	return i18n.Escape(e.File) + ": " + e.Msg.Text(lang)
}

// Hint says what to do, in English (see Localize).
func (e *Error) Hint() string { return e.Tip.Text("en") }

// Localize renders message and hint in lang (an i18n.Localizer).
func (e *Error) Localize(lang string) (msg, hint string) {
	if e.Tip.ID == "" {
		return e.Text(lang), ""
	}
	return e.Text(lang), e.Tip.Text(lang)
}

// CheckMunicipality checks that m has a name and a well-formed AGS.
func CheckMunicipality(m Municipality) error {
	if strings.TrimSpace(m.Name) == "" {
		return &Error{Msg: i18n.Msg{ID: "aggregate.err.no_name"}, Err: ErrNoName,
			Tip: i18n.Msg{ID: "aggregate.hint.no_name"}}
	}
	return CheckAGS(m.AGS)
}

// Build makes the municipality's document from its fleet overview. It
// refuses a fleet of fewer than MinBucket devices (nothing could be
// published) and a municipality without a name or a well-formed AGS.
func Build(f *collect.Fleet, in Inputs) (*Document, error) {
	if err := CheckMunicipality(in.Municipality); err != nil {
		return nil, err
	}
	if f.Devices < MinBucket {
		return nil, &Error{Msg: i18n.Msg{ID: "aggregate.err.too_few", Data: map[string]any{"Devices": f.Devices, "Min": MinBucket}},
			Err: ErrTooFew, Tip: i18n.Msg{ID: "aggregate.hint.too_few", Data: map[string]any{"Min": MinBucket}}}
	}
	if in.Now.IsZero() {
		in.Now = time.Now()
	}
	d := &Document{Format: Format, Created: in.Now.UTC().Truncate(time.Second).Format(time.RFC3339), Version: in.Version,
		Municipality: Municipality{Name: strings.TrimSpace(in.Municipality.Name), AGS: in.Municipality.AGS},
		MinBucket:    MinBucket, Devices: f.Devices,
		Data:     DataRange{From: dateOf(in.From), To: dateOf(in.To)},
		UseCases: []Row{}, Models: []Row{}, QuizRoles: []QuizRole{}, Suppressed: []Suppressed{}}
	d.Overall = merge(levelCounts(f.Overall))
	for _, u := range f.UseCases {
		if r, ok := levelRow(u); ok {
			d.UseCases = append(d.UseCases, r)
		} else {
			d.Suppressed = append(d.Suppressed, Suppressed{Table: "use_cases", Key: u.UseCase, Reason: "fewer_than_min"})
		}
	}
	for _, m := range f.Models {
		if r, ok := levelRow(m); ok {
			d.Models = append(d.Models, r)
		} else {
			d.Suppressed = append(d.Suppressed, Suppressed{Table: "models", Key: m.UseCase + "/" + m.Model, Reason: "fewer_than_min"})
		}
	}
	d.RAM = merge(bucketCounts(f.RAM))
	d.VRAM = merge(bucketCounts(f.VRAM))
	d.Upgrade = merge(upgradeCounts(f))
	for _, q := range in.QuizRoles {
		if q.Participants >= MinBucket {
			q.MeanScorePercent = math.Round(q.MeanScorePercent*10) / 10
			d.QuizRoles = append(d.QuizRoles, q)
		} else if q.Participants > 0 {
			d.Suppressed = append(d.Suppressed, Suppressed{Table: "quiz_roles", Key: q.Role, Reason: "fewer_than_min"})
		}
	}
	return d, nil
}

func dateOf(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

// count is one bucket before merging.
type count struct {
	key string
	n   int
}

func levelCounts(l collect.Levels) []count {
	return []count{{report.LevelReady, l.Ready}, {report.LevelLimited, l.Limited}, {report.LevelNotReady, l.NotReady}, {report.LevelUnknown, l.Unknown}}
}

func levelRow(r collect.Readiness) (Row, bool) {
	if r.Total() < MinBucket {
		return Row{}, false
	}
	return Row{UseCase: r.UseCase, Model: r.Model, Devices: r.Total(), Levels: merge(levelCounts(r.Levels))}, true
}

func bucketCounts(bs []collect.Bucket) []count {
	out := make([]count, len(bs))
	for i, b := range bs {
		out[i] = count{b.Key, b.Devices}
	}
	return out
}

// upgradeCounts: devices per smallest sufficient size, then those no size
// helps or needs, then those without fit data.
func upgradeCounts(f *collect.Fleet) []count {
	smallest := map[int]int{}
	sum := 0
	for _, o := range f.Upgrade.Options {
		smallest[o.RAMGB] = o.Smallest
		sum += o.Smallest
	}
	var out []count
	for _, gb := range fit.RAMSizesGB {
		out = append(out, count{UpgradeKey(gb), smallest[gb]})
	}
	none := max(f.Devices-sum-f.Upgrade.WithoutFitData, 0)
	return append(out, count{UpgradeNoSize, none}, count{UpgradeWithoutFitData, f.Upgrade.WithoutFitData})
}

// UpgradeKey is the key of a memory size in the upgrade table ("32gb").
func UpgradeKey(gb int) string { return strconv.Itoa(gb) + "gb" }

// merge joins neighbouring buckets until every group counts 0 or at least
// MinBucket: buckets are taken in order into a group until it reaches
// MinBucket; an empty bucket with no group open stays on its own; a small
// group left at the end joins the groups before it. The total is kept, so
// no small count can be recovered by subtraction.
func merge(cs []count) []Group {
	var out []Group
	var cur *Group
	for _, c := range cs {
		if cur == nil && c.n == 0 {
			out = append(out, Group{Keys: []string{c.key}})
			continue
		}
		if cur == nil {
			cur = &Group{}
		}
		cur.Keys = append(cur.Keys, c.key)
		cur.Devices += c.n
		if cur.Devices >= MinBucket {
			out = append(out, *cur)
			cur = nil
		}
	}
	for cur != nil && len(out) > 0 {
		last := out[len(out)-1]
		out = out[:len(out)-1]
		cur = &Group{Keys: append(last.Keys, cur.Keys...), Devices: last.Devices + cur.Devices}
		if cur.Devices >= MinBucket {
			break
		}
	}
	if cur != nil {
		out = append(out, *cur)
	}
	if out == nil {
		out = []Group{}
	}
	return out
}

// JSON is the document's bytes, as signed.
func (d *Document) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// QuizRoleOrder is the order of the roles in a document.
func QuizRoleOrder() []string {
	out := make([]string, len(quiz.Roles))
	for i, r := range quiz.Roles {
		out[i] = string(r)
	}
	return out
}
