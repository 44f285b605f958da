package collect

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/ki-reise/kicheck/internal/report"
	"github.com/ki-reise/kicheck/internal/store"
)

// Fleet is the overview of a central database. Every figure is computed
// from the newest report of each device; the history only counts in
// Reports. docs/collect.md describes each field.
type Fleet struct {
	SchemaVersion int       `json:"schema_version"`
	GeneratedAt   time.Time `json:"generated_at"`
	Devices       int       `json:"devices"`
	Reports       int       `json:"reports"`
	// Overall counts devices by the overall level of their newest report.
	Overall Levels `json:"overall"`
	// UseCases: per use case, a device counts with the best level any
	// model reached for it.
	UseCases []Readiness `json:"use_cases"`
	// Models: per use case and model.
	Models    []Readiness `json:"models"`
	RAM       []Bucket    `json:"ram"`
	VRAM      []Bucket    `json:"vram"`
	GPUModels []Bucket    `json:"gpu_models"` // the 10 most frequent, then "other"
	Bandwidth []Bucket    `json:"memory_bandwidth"`
	// Speed is the measured generation speed per model.
	Speed    []ModelSpeed `json:"tokens_per_second"`
	Upgrade  Upgrade      `json:"upgrade"`
	OrgUnits []OrgUnit    `json:"org_units"`
	Stale    Stale        `json:"stale"`
}

// Levels counts devices per readiness level.
type Levels struct {
	Ready    int `json:"ready"`     // bereit
	Limited  int `json:"limited"`   // eingeschränkt
	NotReady int `json:"not_ready"` // nicht bereit
	Unknown  int `json:"unknown"`   // no verdict
}

func (l *Levels) add(level string) {
	switch level {
	case report.LevelReady:
		l.Ready++
	case report.LevelLimited:
		l.Limited++
	case report.LevelNotReady:
		l.NotReady++
	default:
		l.Unknown++
	}
}

// Total is the number of devices counted.
func (l Levels) Total() int { return l.Ready + l.Limited + l.NotReady + l.Unknown }

// Share is n as a fraction of the total (0 when there are none).
func (l Levels) Share(n int) float64 {
	if l.Total() == 0 {
		return 0
	}
	return float64(n) / float64(l.Total())
}

// Readiness is the level count of one use case (and model).
type Readiness struct {
	UseCase string `json:"use_case"`
	Model   string `json:"model,omitempty"`
	Levels
	ReadyShare float64 `json:"ready_share"`
}

// Bucket is one bar of a distribution.
type Bucket struct {
	Label   string `json:"label"`
	Devices int    `json:"devices"`
}

// ModelSpeed summarises measured tokens per second of one model.
type ModelSpeed struct {
	Model   string  `json:"model"`
	Devices int     `json:"devices"`
	Min     float64 `json:"min"`
	P10     float64 `json:"p10"`
	Median  float64 `json:"median"`
	P90     float64 `json:"p90"`
	Max     float64 `json:"max"`
}

// Upgrade is the RAM upgrade that would make the most devices ready.
type Upgrade struct {
	// Method says how it was computed, in one sentence.
	Method string `json:"method"`
	// Options lists each RAM target with the devices it would make ready.
	Options []UpgradeOption `json:"options"`
	// Best is the target with the most devices, nil when no target helps.
	Best *UpgradeOption `json:"best,omitempty"`
	// WithoutFitData counts devices not ready everywhere whose reports
	// carry no memory need for a not-ready verdict: they cannot be judged.
	WithoutFitData int `json:"without_fit_data"`
}

// UpgradeOption is one RAM target.
type UpgradeOption struct {
	RAMGB   int `json:"ram_gb"`
	Devices int `json:"devices"`
}

// OrgUnit is one organisational unit: devices, levels, and the quiz
// aggregate its reports carry (never individual results).
type OrgUnit struct {
	Name    string `json:"name"` // "" = none given
	Devices int    `json:"devices"`
	Levels
	QuizReports      int      `json:"quiz_reports"`
	QuizParticipants int      `json:"quiz_participants"`
	QuizScorePercent *float64 `json:"quiz_score_percent,omitempty"` // mean weighted by participants
}

// Stale lists devices whose newest report is older than Days days.
type Stale struct {
	Days    int           `json:"days"`
	Count   int           `json:"count"`
	Devices []StaleDevice `json:"devices"` // oldest first, at most MaxStaleListed
}

// StaleDevice is one device with an old last report.
type StaleDevice struct {
	DeviceID   string `json:"device_id"`
	OrgUnit    string `json:"org_unit"`
	Hostname   string `json:"hostname,omitempty"`
	LastReport string `json:"last_report"`
}

// MaxStaleListed caps the stale devices listed by name (all are counted).
const MaxStaleListed = 500

// RAMTargets are the upgrade targets considered, in GB.
var RAMTargets = []int{16, 32, 64}

// RAMUsableShare is the part of the RAM a model may use: the rest is for
// the operating system and the office programs that stay open.
const RAMUsableShare = 0.75

// FleetOptions tune the overview.
type FleetOptions struct {
	StaleDays int       // default 30
	Now       time.Time // default: now
}

// ComputeFleet reads the overview from db. It runs three queries over
// the newest report per device (devices, verdicts, report count); the
// aggregation is in Go so the same queries run on PostgreSQL.
func ComputeFleet(ctx context.Context, db *store.DB, opts FleetOptions) (*Fleet, error) {
	if opts.StaleDays <= 0 {
		opts.StaleDays = 30
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	f := &Fleet{SchemaVersion: 1, GeneratedAt: opts.Now.UTC().Truncate(time.Second), Stale: Stale{Days: opts.StaleDays, Devices: []StaleDevice{}}}
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("fleet: %w", err)
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM collect_reports`).Scan(&f.Reports); err != nil {
		return nil, fmt.Errorf("fleet: count reports: %w", err)
	}
	devs, err := latestDevices(ctx, tx)
	if err != nil {
		return nil, err
	}
	f.Devices = len(devs)
	if err := addVerdicts(ctx, tx, devs); err != nil {
		return nil, err
	}
	f.aggregate(devs, opts)
	return f, nil
}

// device is one device with its newest report's columns.
type device struct {
	ID, OrgUnit, Hostname, Overall, Created, GPU, OS, CPU string
	RAM, VRAM, Threads                                    sql.NullInt64
	Bandwidth, QuizScore                                  sql.NullFloat64
	QuizPeople                                            sql.NullInt64
	ReportCount                                           int
	verdicts                                              []deviceVerdict
}

type deviceVerdict struct {
	UseCase, Model, Level string
	Measured              sql.NullFloat64
	Required              sql.NullInt64
}

const latestQuery = `SELECT d.device_id, r.org_unit, r.hostname, r.overall, r.created, r.gpu_model, r.os, r.cpu_model,
	r.ram_bytes, r.vram_bytes, r.threads, r.bandwidth_gbps, r.quiz_score_pct, r.quiz_participants
	FROM collect_devices d JOIN collect_reports r ON r.id = d.latest_report ORDER BY d.device_id`

func latestDevices(ctx context.Context, tx *sql.Tx) ([]*device, error) {
	rows, err := tx.QueryContext(ctx, latestQuery)
	if err != nil {
		return nil, fmt.Errorf("fleet: read devices: %w", err)
	}
	defer rows.Close()
	var out []*device
	for rows.Next() {
		d := &device{}
		if err := rows.Scan(&d.ID, &d.OrgUnit, &d.Hostname, &d.Overall, &d.Created, &d.GPU, &d.OS, &d.CPU,
			&d.RAM, &d.VRAM, &d.Threads, &d.Bandwidth, &d.QuizScore, &d.QuizPeople); err != nil {
			return nil, fmt.Errorf("fleet: read devices: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

func addVerdicts(ctx context.Context, tx *sql.Tx, devs []*device) error {
	byID := make(map[string]*device, len(devs))
	for _, d := range devs {
		byID[d.ID] = d
	}
	rows, err := tx.QueryContext(ctx, `SELECT d.device_id, v.use_case, v.model, v.level, v.measured_tps, v.required_ram_bytes
		FROM collect_devices d JOIN collect_verdicts v ON v.report = d.latest_report`)
	if err != nil {
		return fmt.Errorf("fleet: read verdicts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var v deviceVerdict
		if err := rows.Scan(&id, &v.UseCase, &v.Model, &v.Level, &v.Measured, &v.Required); err != nil {
			return fmt.Errorf("fleet: read verdicts: %w", err)
		}
		if d := byID[id]; d != nil {
			d.verdicts = append(d.verdicts, v)
		}
	}
	return rows.Err()
}

func (f *Fleet) aggregate(devs []*device, opts FleetOptions) {
	type pair struct{ useCase, model string }
	models := map[pair]*Readiness{}
	useCases := map[string]*Readiness{}
	speeds := map[string][]float64{}
	orgs := map[string]*OrgUnit{}
	gpus := map[string]int{}
	var ram, vram, bw []Bucket
	ram = bucketsOf(ramLabels)
	vram = bucketsOf(vramLabels)
	bw = bucketsOf(bandwidthLabels)
	staleBefore := opts.Now.UTC().AddDate(0, 0, -opts.StaleDays).Format(time.RFC3339)
	var stale []StaleDevice
	options := make([]UpgradeOption, len(RAMTargets))
	for i, t := range RAMTargets {
		options[i].RAMGB = t
	}

	for _, d := range devs {
		f.Overall.add(d.Overall)
		o := orgs[d.OrgUnit]
		if o == nil {
			o = &OrgUnit{Name: d.OrgUnit}
			orgs[d.OrgUnit] = o
		}
		o.Devices++
		o.Levels.add(d.Overall)
		if d.QuizPeople.Valid && d.QuizPeople.Int64 > 0 && d.QuizScore.Valid {
			o.QuizReports++
			o.QuizParticipants += int(d.QuizPeople.Int64)
			s := 0.0
			if o.QuizScorePercent != nil {
				s = *o.QuizScorePercent
			}
			s += d.QuizScore.Float64 * float64(d.QuizPeople.Int64) // divided below
			o.QuizScorePercent = &s
		}
		ram[ramBucket(d.RAM)].Devices++
		vram[vramBucket(d.VRAM)].Devices++
		bw[bandwidthBucket(d.Bandwidth)].Devices++
		if d.GPU != "" {
			gpus[d.GPU]++
		}
		if d.Created < staleBefore {
			stale = append(stale, StaleDevice{DeviceID: d.ID, OrgUnit: d.OrgUnit, Hostname: d.Hostname, LastReport: d.Created})
		}
		best := map[string]string{}
		for _, v := range d.verdicts {
			k := pair{v.UseCase, v.Model}
			m := models[k]
			if m == nil {
				m = &Readiness{UseCase: v.UseCase, Model: v.Model}
				models[k] = m
			}
			m.Levels.add(v.Level)
			if rank(v.Level) > rank(best[v.UseCase]) || best[v.UseCase] == "" {
				best[v.UseCase] = v.Level
			}
			if v.Measured.Valid && v.Model != "" {
				speeds[v.Model] = append(speeds[v.Model], v.Measured.Float64)
			}
		}
		for uc, level := range best {
			u := useCases[uc]
			if u == nil {
				u = &Readiness{UseCase: uc}
				useCases[uc] = u
			}
			u.Levels.add(level)
		}
		switch target, judged := upgradeTarget(d); {
		case !judged:
			f.Upgrade.WithoutFitData++
		case target > 0:
			for i := range options {
				if options[i].RAMGB >= target {
					options[i].Devices++
				}
			}
		}
	}

	for _, m := range models {
		m.ReadyShare = m.Share(m.Ready)
		f.Models = append(f.Models, *m)
	}
	sort.Slice(f.Models, func(i, j int) bool {
		a, b := f.Models[i], f.Models[j]
		return a.UseCase < b.UseCase || a.UseCase == b.UseCase && a.Model < b.Model
	})
	for _, u := range useCases {
		u.ReadyShare = u.Share(u.Ready)
		f.UseCases = append(f.UseCases, *u)
	}
	sort.Slice(f.UseCases, func(i, j int) bool { return f.UseCases[i].UseCase < f.UseCases[j].UseCase })
	for model, v := range speeds {
		slices.Sort(v)
		f.Speed = append(f.Speed, ModelSpeed{Model: model, Devices: len(v), Min: v[0], Max: v[len(v)-1],
			P10: quantile(v, 0.1), Median: quantile(v, 0.5), P90: quantile(v, 0.9)})
	}
	sort.Slice(f.Speed, func(i, j int) bool { return f.Speed[i].Model < f.Speed[j].Model })
	for _, o := range orgs {
		if o.QuizScorePercent != nil {
			mean := math.Round(*o.QuizScorePercent/float64(o.QuizParticipants)*10) / 10
			o.QuizScorePercent = &mean
		}
		f.OrgUnits = append(f.OrgUnits, *o)
	}
	sort.Slice(f.OrgUnits, func(i, j int) bool { return f.OrgUnits[i].Name < f.OrgUnits[j].Name })
	f.RAM, f.VRAM, f.Bandwidth = ram, vram, bw
	f.GPUModels = topBuckets(gpus, 10)
	sort.Slice(stale, func(i, j int) bool { return stale[i].LastReport < stale[j].LastReport })
	f.Stale.Count = len(stale)
	f.Stale.Devices = append(f.Stale.Devices, stale[:min(len(stale), MaxStaleListed)]...)

	f.Upgrade.Method = fmt.Sprintf("A device counts for a RAM target when every verdict of its newest report that is not 'ready' is held back by memory: "+
		"the model's memory need from the report's fit section is more than %.0f%% of the device's RAM and at most %.0f%% of the target.",
		RAMUsableShare*100, RAMUsableShare*100)
	f.Upgrade.Options = options
	for i := range options {
		if options[i].Devices > 0 && (f.Upgrade.Best == nil || options[i].Devices > f.Upgrade.Best.Devices) {
			f.Upgrade.Best = &options[i]
		}
	}
	for _, l := range []*[]Readiness{&f.UseCases, &f.Models} {
		if *l == nil {
			*l = []Readiness{}
		}
	}
	if f.Speed == nil {
		f.Speed = []ModelSpeed{}
	}
	if f.OrgUnits == nil {
		f.OrgUnits = []OrgUnit{}
	}
}

// rank orders levels: a use case counts with its best model.
func rank(level string) int {
	switch level {
	case report.LevelReady:
		return 3
	case report.LevelLimited:
		return 2
	case report.LevelNotReady:
		return 1
	}
	return 0
}

// upgradeTarget returns the smallest RAM (GB) that makes every not-ready
// verdict of d fit, 0 when RAM alone would not make d ready (or it is
// ready already), and judged=false when a not-ready verdict has no memory
// need in the report.
func upgradeTarget(d *device) (target int, judged bool) {
	var need int64
	notReady := 0
	for _, v := range d.verdicts {
		if v.Level == report.LevelReady {
			continue
		}
		notReady++
		if !v.Required.Valid || !d.RAM.Valid {
			return 0, false
		}
		if float64(v.Required.Int64) <= RAMUsableShare*float64(d.RAM.Int64) {
			return 0, true // fits already: something other than memory holds it back
		}
		need = max(need, v.Required.Int64)
	}
	if notReady == 0 {
		return 0, true
	}
	for _, t := range RAMTargets {
		if float64(need) <= RAMUsableShare*float64(int64(t)<<30) && int64(t)<<30 > d.RAM.Int64 {
			return t, true
		}
	}
	return 0, true
}

func quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	pos := q * float64(len(sorted)-1)
	lo := int(math.Floor(pos))
	hi := min(lo+1, len(sorted)-1)
	v := sorted[lo] + (sorted[hi]-sorted[lo])*(pos-float64(lo))
	return math.Round(v*10) / 10
}

// Distribution buckets. A PC's reported RAM is a little below the size of
// its modules (the firmware keeps some), so a value counts for the
// smallest standard size at or above it: 15.7 GiB counts as 16 GB.
var (
	ramSizes        = []int{4, 8, 12, 16, 24, 32, 48, 64, 128}
	ramLabels       = append(sizeLabels(ramSizes, "GB"), "mehr als 128 GB", "unbekannt")
	vramSizes       = []int{2, 4, 6, 8, 12, 16, 24, 48}
	vramLabels      = append(append([]string{"keine eigene"}, sizeLabels(vramSizes, "GB")...), "mehr als 48 GB", "unbekannt")
	bandwidthLimits = []float64{20, 40, 60, 100}
	bandwidthLabels = []string{"unter 20 GB/s", "20–40 GB/s", "40–60 GB/s", "60–100 GB/s", "100 GB/s und mehr", "nicht gemessen"}
)

func sizeLabels(sizes []int, unit string) []string {
	out := make([]string, len(sizes))
	for i, s := range sizes {
		out[i] = fmt.Sprintf("%d %s", s, unit)
	}
	return out
}

func bucketsOf(labels []string) []Bucket {
	out := make([]Bucket, len(labels))
	for i, l := range labels {
		out[i].Label = l
	}
	return out
}

func sizeBucket(bytes int64, sizes []int) int {
	for i, s := range sizes {
		if bytes <= int64(s)<<30 {
			return i
		}
	}
	return len(sizes)
}

func ramBucket(v sql.NullInt64) int {
	if !v.Valid || v.Int64 <= 0 {
		return len(ramLabels) - 1
	}
	return sizeBucket(v.Int64, ramSizes)
}

func vramBucket(v sql.NullInt64) int {
	if !v.Valid {
		return len(vramLabels) - 1
	}
	if v.Int64 == 0 {
		return 0
	}
	return 1 + sizeBucket(v.Int64, vramSizes)
}

func bandwidthBucket(v sql.NullFloat64) int {
	if !v.Valid {
		return len(bandwidthLabels) - 1
	}
	for i, l := range bandwidthLimits {
		if v.Float64 < l {
			return i
		}
	}
	return len(bandwidthLimits)
}

func topBuckets(counts map[string]int, n int) []Bucket {
	out := make([]Bucket, 0, len(counts))
	for k, v := range counts {
		out = append(out, Bucket{Label: k, Devices: v})
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Devices > out[j].Devices || out[i].Devices == out[j].Devices && out[i].Label < out[j].Label
	})
	if len(out) > n {
		other := 0
		for _, b := range out[n:] {
			other += b.Devices
		}
		out = append(out[:n], Bucket{Label: "andere", Devices: other})
	}
	return out
}
