package collect

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ki-reise/kicheck/internal/fit"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/report"
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
	// ClockAhead lists devices whose clock was ahead when their newest
	// report arrived (reports dated more than report.MaxClockSkew ahead
	// are refused at intake).
	ClockAhead ClockAhead `json:"clock_ahead"`

	// Calibration counts the use-case verdicts of the devices' newest
	// reports and how many of them were calibrated with a measurement on
	// the device (docs/fit.md, "Calibration from local measurements").
	Calibration CalibrationCount `json:"calibration"`
}

// CalibrationCount: verdicts in all, and those calibrated.
type CalibrationCount struct {
	Verdicts   int `json:"verdicts"`
	Calibrated int `json:"calibrated"`
}

// ClockAhead counts devices whose newest report was dated at least
// MinSeconds after it was received: their clock is wrong, and their
// reports sort later than they are.
type ClockAhead struct {
	MinSeconds int                `json:"min_seconds"`
	Count      int                `json:"count"`
	Devices    []ClockAheadDevice `json:"devices"` // furthest ahead first, at most MaxStaleListed
}

// ClockAheadDevice is one device with a clock ahead.
type ClockAheadDevice struct {
	DeviceID     string `json:"device_id"`
	OrgUnit      string `json:"org_unit"`
	Hostname     string `json:"hostname,omitempty"`
	AheadSeconds int64  `json:"ahead_seconds"`
}

// MinClockAhead is how far ahead a clock must be to be listed: a few
// minutes of drift are normal.
const MinClockAhead = 5 * time.Minute

// Levels counts devices per readiness level.
type Levels struct {
	Ready    int `json:"ready"`     // bereit
	Limited  int `json:"limited"`   // eingeschränkt
	NotReady int `json:"not_ready"` // nicht bereit
	Unknown  int `json:"unknown"`   // no verdict
}

func (l *Levels) addN(level string, n int) {
	switch level {
	case report.LevelReady:
		l.Ready += n
	case report.LevelLimited:
		l.Limited += n
	case report.LevelNotReady:
		l.NotReady += n
	default:
		l.Unknown += n
	}
}

// Total is the number of devices counted.
func (l Levels) Total() int { return l.Ready + l.Limited + l.NotReady + l.Unknown }

// NeedUpgrade is the devices that need an upgrade to run a model well:
// "eingeschränkt" and "nicht bereit" (the cost model's am-Arbeitsplatz
// figure; devices without a verdict are not counted).
func (l Levels) NeedUpgrade() int { return l.Limited + l.NotReady }

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
	// Key is a language-neutral id of a fixed bucket ("16gb", "over_128gb",
	// "unknown", "none", "lt_20gbps", "not_measured", "other"); empty for
	// a GPU model, whose Label is the name the reports give.
	Key string `json:"key,omitempty"`
	// Label is the German label (kept as it was for readers of the JSON);
	// BucketLabel gives the label for display in a language.
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
	// Options lists each memory size (fit.RAMSizesGB) that makes at least
	// one device ready, with the devices it would make ready.
	Options []UpgradeOption `json:"options"`
	// Best is the target with the most devices, nil when no target helps.
	Best *UpgradeOption `json:"best,omitempty"`
	// WithoutFitData counts devices not ready everywhere whose newest
	// report carries no upgrade figure (no fit section, or report version
	// 1): they cannot be judged.
	WithoutFitData int `json:"without_fit_data"`
}

// UpgradeOption is one memory size.
type UpgradeOption struct {
	RAMGB int `json:"ram_gb"`
	// Devices would be ready with this much memory (a device that needs
	// less counts too: it gets more than it needs).
	Devices int `json:"devices"`
	// Smallest is the part of Devices for which this is the smallest size
	// that is enough.
	Smallest int `json:"smallest"`
}

// OrgUnit is one organisational unit: devices, levels, and the quiz
// aggregate its reports carry (never individual results).
type OrgUnit struct {
	Name    string `json:"name"` // "" = none given
	Devices int    `json:"devices"`
	Levels
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

// FleetOptions tune the overview.
type FleetOptions struct {
	StaleDays int       // default 30
	Now       time.Time // default: now
}

// ComputeFleet reads the overview from db. The intake keeps running
// counts per figure (table collect_fleet_counts, see counts.go), so the
// overview reads a few hundred counter rows and the stale devices from an
// index, however many devices and reports there are.
func ComputeFleet(ctx context.Context, s Store, opts FleetOptions) (*Fleet, error) {
	return s.Fleet(ctx, opts)
}

// device is one device with its newest report's columns.
type device struct {
	ID, OrgUnit, Hostname, Overall, Created, GPU string
	RAM, VRAM                                    sql.NullInt64
	Bandwidth, QuizScore                         sql.NullFloat64
	QuizPeople                                   sql.NullInt64
	verdicts                                     []deviceVerdict
}

type deviceVerdict struct {
	UseCase, Model, Level string
	Measured              sql.NullFloat64
	ReadyWithRAMGB        sql.NullInt64
	Calibrated            bool
}

// Counter dimensions of collect_fleet_counts.
const (
	dimReports   = "reports"
	dimOverall   = "overall"
	dimOrg       = "org"
	dimQuiz      = "quiz"
	dimRAM       = "ram"
	dimVRAM      = "vram"
	dimBandwidth = "bandwidth"
	dimGPU       = "gpu"
	dimUseCase   = "usecase"
	dimModel     = "model"
	dimSpeed     = "speed"
	dimUpgrade   = "upgrade"
	// dimCalibrated counts use-case verdicts by whether the device's fit
	// was calibrated with a local measurement (val "1") or not ("0").
	dimCalibrated = "calibrated"
)

// countKey is one counter: dimension, key (org unit, use case, model …)
// and value (level, bucket label, speed bin …).
type countKey struct{ dim, key, val string }

// count is a counter's value: devices, and a sum where the figure needs
// one (quiz: participants × score).
type count struct {
	n     int64
	total float64
}

type counts map[countKey]count

func (c counts) add(k countKey, n int64, total float64) {
	v := c[k]
	v.n += n
	v.total += total
	c[k] = v
}

// modelKey joins use case and model into one counter key.
func modelKey(useCase, model string) string { return useCase + "\x1f" + model }

// contribute adds what one device (its newest report) counts for, times
// sign (+1 when a report becomes a device's newest, -1 when it stops
// being it).
func contribute(c counts, d *device, sign int64) {
	c.add(countKey{dimOverall, "", d.Overall}, sign, 0)
	c.add(countKey{dimOrg, d.OrgUnit, d.Overall}, sign, 0)
	if d.QuizPeople.Valid && d.QuizPeople.Int64 > 0 && d.QuizScore.Valid {
		c.add(countKey{dimQuiz, d.OrgUnit, ""}, sign*d.QuizPeople.Int64, float64(sign)*d.QuizScore.Float64*float64(d.QuizPeople.Int64))
	}
	c.add(countKey{dimRAM, "", ramLabels[ramBucket(d.RAM)]}, sign, 0)
	c.add(countKey{dimVRAM, "", vramLabels[vramBucket(d.VRAM)]}, sign, 0)
	c.add(countKey{dimBandwidth, "", bandwidthLabels[bandwidthBucket(d.Bandwidth)]}, sign, 0)
	if d.GPU != "" {
		c.add(countKey{dimGPU, "", d.GPU}, sign, 0)
	}
	best := map[string]string{}
	for _, v := range d.verdicts {
		c.add(countKey{dimModel, modelKey(v.UseCase, v.Model), v.Level}, sign, 0)
		if v.UseCase != "" {
			cal := "0"
			if v.Calibrated {
				cal = "1"
			}
			c.add(countKey{dimCalibrated, "", cal}, sign, 0)
		}
		if b, ok := best[v.UseCase]; !ok || rank(v.Level) > rank(b) {
			best[v.UseCase] = v.Level
		}
		if v.Measured.Valid && v.Model != "" {
			// Speeds are kept as a histogram in steps of 0.1 tokens/s.
			c.add(countKey{dimSpeed, v.Model, strconv.FormatFloat(math.Round(v.Measured.Float64*10)/10, 'f', 1, 64)}, sign, 0)
		}
	}
	for uc, level := range best {
		c.add(countKey{dimUseCase, uc, level}, sign, 0)
	}
	target, judged := upgradeTarget(d)
	val := strconv.Itoa(target)
	if !judged {
		val = "unjudged"
	}
	c.add(countKey{dimUpgrade, "", val}, sign, 0)
}

// fleetFromCounts builds the overview from the counters.
func fleetFromCounts(c counts, opts FleetOptions) *Fleet {
	f := &Fleet{SchemaVersion: 1, GeneratedAt: opts.Now.UTC().Truncate(time.Second), Stale: Stale{Days: opts.StaleDays, Devices: []StaleDevice{}}}
	models := map[[2]string]*Readiness{}
	useCases := map[string]*Readiness{}
	orgs := map[string]*OrgUnit{}
	org := func(name string) *OrgUnit {
		if orgs[name] == nil {
			orgs[name] = &OrgUnit{Name: name}
		}
		return orgs[name]
	}
	gpus := map[string]int{}
	labelled := map[string]map[string]int{dimRAM: {}, dimVRAM: {}, dimBandwidth: {}}
	type bin struct {
		v float64
		n int
	}
	speeds := map[string][]bin{}
	upgrade := map[int]int{}
	for k, v := range c {
		if v.n == 0 {
			continue
		}
		n := int(v.n)
		switch k.dim {
		case dimReports:
			f.Reports += n
		case dimOverall:
			f.Overall.addN(k.val, n)
		case dimOrg:
			o := org(k.key)
			o.Devices += n
			o.Levels.addN(k.val, n)
		case dimQuiz:
			o := org(k.key)
			o.QuizParticipants += n
			mean := math.Round(v.total/float64(v.n)*10) / 10
			o.QuizScorePercent = &mean
		case dimRAM, dimVRAM, dimBandwidth:
			labelled[k.dim][k.val] += n
		case dimGPU:
			gpus[k.val] += n
		case dimUseCase:
			u := useCases[k.key]
			if u == nil {
				u = &Readiness{UseCase: k.key}
				useCases[k.key] = u
			}
			u.Levels.addN(k.val, n)
		case dimModel:
			uc, model, _ := strings.Cut(k.key, "\x1f")
			m := models[[2]string{uc, model}]
			if m == nil {
				m = &Readiness{UseCase: uc, Model: model}
				models[[2]string{uc, model}] = m
			}
			m.Levels.addN(k.val, n)
		case dimSpeed:
			x, err := strconv.ParseFloat(k.val, 64)
			if err == nil {
				speeds[k.key] = append(speeds[k.key], bin{x, n})
			}
		case dimCalibrated:
			f.Calibration.Verdicts += n
			if k.val == "1" {
				f.Calibration.Calibrated += n
			}
		case dimUpgrade:
			if k.val == "unjudged" {
				f.Upgrade.WithoutFitData += n
			} else if t, err := strconv.Atoi(k.val); err == nil {
				upgrade[t] += n
			}
		}
	}
	f.Devices = f.Overall.Total()
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
	for model, bins := range speeds {
		sort.Slice(bins, func(i, j int) bool { return bins[i].v < bins[j].v })
		total := 0
		for _, b := range bins {
			total += b.n
		}
		// at returns the i-th smallest measurement.
		at := func(i int) float64 {
			for _, b := range bins {
				if i < b.n {
					return b.v
				}
				i -= b.n
			}
			return bins[len(bins)-1].v
		}
		q := func(p float64) float64 {
			pos := p * float64(total-1)
			lo := int(math.Floor(pos))
			hi := min(lo+1, total-1)
			return math.Round((at(lo)+(at(hi)-at(lo))*(pos-float64(lo)))*10) / 10
		}
		f.Speed = append(f.Speed, ModelSpeed{Model: model, Devices: total, Min: bins[0].v, Max: bins[len(bins)-1].v,
			P10: q(0.1), Median: q(0.5), P90: q(0.9)})
	}
	sort.Slice(f.Speed, func(i, j int) bool { return f.Speed[i].Model < f.Speed[j].Model })
	for _, o := range orgs {
		f.OrgUnits = append(f.OrgUnits, *o)
	}
	sort.Slice(f.OrgUnits, func(i, j int) bool { return f.OrgUnits[i].Name < f.OrgUnits[j].Name })
	fill := func(labels []string, m map[string]int) []Bucket {
		out := bucketsOf(labels)
		for i := range out {
			out[i].Devices = m[out[i].Label]
		}
		return out
	}
	f.RAM, f.VRAM, f.Bandwidth = fill(ramLabels, labelled[dimRAM]), fill(vramLabels, labelled[dimVRAM]), fill(bandwidthLabels, labelled[dimBandwidth])
	f.GPUModels = topBuckets(gpus, 10)

	f.Upgrade.Method = "A device counts for a memory size when each of its newest report's use cases that is not ready " +
		"would be ready with that much memory, everything else unchanged, as the fit on the device computed it (ready_with_ram_gb). " +
		"Best is the smallest size that makes the most devices ready."
	f.Upgrade.Options = []UpgradeOption{}
	for _, size := range fit.RAMSizesGB {
		o := UpgradeOption{RAMGB: size}
		for target, n := range upgrade {
			if target > 0 && target <= size {
				o.Devices += n
			}
			if target == size {
				o.Smallest += n
			}
		}
		if o.Devices > 0 {
			f.Upgrade.Options = append(f.Upgrade.Options, o)
		}
	}
	for i := range f.Upgrade.Options {
		// Devices grows with the size: the first with the most is the
		// smallest upgrade that does the most.
		if o := &f.Upgrade.Options[i]; f.Upgrade.Best == nil || o.Devices > f.Upgrade.Best.Devices {
			f.Upgrade.Best = o
		}
	}
	if f.UseCases == nil {
		f.UseCases = []Readiness{}
	}
	if f.Models == nil {
		f.Models = []Readiness{}
	}
	if f.Speed == nil {
		f.Speed = []ModelSpeed{}
	}
	if f.OrgUnits == nil {
		f.OrgUnits = []OrgUnit{}
	}
	return f
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

// upgradeTarget returns the memory size (GB) at which every verdict of d
// that is not ready would be ready: the largest of the fit's figures for
// them (report.FitUseCase.ReadyWithRAMGB). It is 0 when d is ready already
// or when memory alone would not make it ready, and judged is false when
// the report does not say (no fit section, or a version 1 report).
func upgradeTarget(d *device) (target int, judged bool) {
	for _, v := range d.verdicts {
		if v.Level == report.LevelReady {
			continue
		}
		if !v.ReadyWithRAMGB.Valid {
			return 0, false
		}
		if v.ReadyWithRAMGB.Int64 == 0 {
			return 0, true // held back by speed, not memory
		}
		target = max(target, int(v.ReadyWithRAMGB.Int64))
	}
	return target, true
}

// Distribution buckets. A PC's reported RAM is a little below the size of
// its modules (the firmware keeps some), so a value counts for the
// smallest standard size at or above it: 15.7 GiB counts as 16 GB.
var (
	ramSizes         = []int{4, 8, 12, 16, 24, 32, 48, 64, 128}
	ramBuckets       = append(sizeBuckets(ramSizes), overBucket(128), unknownBucket)
	vramSizes        = []int{2, 4, 6, 8, 12, 16, 24, 48}
	vramBuckets      = append(append([]bucketDef{noVRAMBucket}, sizeBuckets(vramSizes)...), overBucket(48), unknownBucket)
	bandwidthLimits  = []float64{20, 40, 60, 100}
	bandwidthBuckets = []bucketDef{
		{key: "lt_20gbps", stored: "unter 20 GB/s", text: "fleet.bucket.gbps_below", data: map[string]any{"GBps": 20}},
		{key: "20_40gbps", stored: "20–40 GB/s", text: "fleet.bucket.gbps_range", data: map[string]any{"From": 20, "To": 40}},
		{key: "40_60gbps", stored: "40–60 GB/s", text: "fleet.bucket.gbps_range", data: map[string]any{"From": 40, "To": 60}},
		{key: "60_100gbps", stored: "60–100 GB/s", text: "fleet.bucket.gbps_range", data: map[string]any{"From": 60, "To": 100}},
		{key: "ge_100gbps", stored: "100 GB/s und mehr", text: "fleet.bucket.gbps_at_least", data: map[string]any{"GBps": 100}},
		{key: "not_measured", stored: "nicht gemessen", text: "fleet.bucket.not_measured"},
	}
	unknownBucket = bucketDef{key: "unknown", stored: "unbekannt", text: "fleet.bucket.unknown"}
	noVRAMBucket  = bucketDef{key: "none", stored: "keine eigene", text: "fleet.bucket.no_vram"}
	// otherGPUs sums the GPU models after the 10 most frequent.
	otherGPUs = bucketDef{key: "other", stored: "andere", text: "fleet.bucket.other"}

	ramLabels       = storedLabels(ramBuckets)
	vramLabels      = storedLabels(vramBuckets)
	bandwidthLabels = storedLabels(bandwidthBuckets)

	bucketsByStored = bucketIndex(func(d bucketDef) string { return d.stored })
	bucketsByKey    = bucketIndex(func(d bucketDef) string { return d.key })
)

// bucketDef is one fixed bucket of a distribution.
type bucketDef struct {
	// key is the language-neutral id in the JSON output (Bucket.Key).
	key string
	// stored is the German label: the counter value in the table
	// collect_fleet_counts of existing databases and Bucket.Label in the
	// JSON output. Never change it (a changed one would need a --recount
	// and would break readers of the JSON).
	stored string
	// text is the i18n id (assets/lang) of the label shown to people,
	// filled with data.
	text string
	data map[string]any
}

func sizeBuckets(sizes []int) []bucketDef {
	out := make([]bucketDef, len(sizes))
	for i, s := range sizes {
		out[i] = bucketDef{key: fmt.Sprintf("%dgb", s), stored: fmt.Sprintf("%d GB", s), text: "fleet.bucket.size_gb", data: map[string]any{"GB": s}}
	}
	return out
}

func overBucket(gb int) bucketDef {
	return bucketDef{key: fmt.Sprintf("over_%dgb", gb), stored: fmt.Sprintf("mehr als %d GB", gb), text: "fleet.bucket.over_gb", data: map[string]any{"GB": gb}}
}

func storedLabels(defs []bucketDef) []string {
	out := make([]string, len(defs))
	for i, d := range defs {
		out[i] = d.stored
	}
	return out
}

// bucketIndex maps every fixed bucket by by(bucket). The same key means the
// same bucket in each distribution ("16gb", "unknown").
func bucketIndex(by func(bucketDef) string) map[string]bucketDef {
	m := map[string]bucketDef{}
	for _, defs := range [][]bucketDef{ramBuckets, vramBuckets, bandwidthBuckets, {otherGPUs}} {
		for _, d := range defs {
			m[by(d)] = d
		}
	}
	return m
}

// BucketLabel is the label of b shown to people, in lang (de, en): a fixed
// bucket is translated by its key, a GPU model (no key) is shown as the
// reports name it.
func BucketLabel(lang string, b Bucket) string {
	d, ok := bucketsByKey[b.Key]
	if b.Key == "" || !ok {
		return b.Label
	}
	return i18n.T(lang, d.text, d.data)
}

func bucketsOf(labels []string) []Bucket {
	out := make([]Bucket, len(labels))
	for i, l := range labels {
		out[i] = Bucket{Key: bucketsByStored[l].key, Label: l}
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
		out = append(out[:n], Bucket{Key: otherGPUs.key, Label: otherGPUs.stored, Devices: other})
	}
	return out
}
