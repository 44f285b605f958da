package collect

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/ki-reise/kicheck/internal/report"
)

// row is one verified report with the columns the fleet overview reads.
type row struct {
	SHA256      string
	ReportID    string
	DeviceID    string
	PublicKey   string
	Fingerprint string
	Created     time.Time
	Source      string
	OrgUnit     string
	// Grant is the upload token's, nil for files.
	Grant      *Grant
	Hostname   string
	Overall    string
	Status     string
	AppVersion string
	OS         string
	CPUModel   string
	Threads    *int64
	RAMBytes   *int64
	GPUModel   string
	VRAMBytes  *int64
	Bandwidth  *float64
	QuizPeople *int64
	QuizScore  *float64
	Verdicts   []verdictRow
	Data, Sig  []byte
	// Stored is Data as it goes into the database, in Encoding (files.go).
	Stored   []byte
	Encoding string
}

type verdictRow struct {
	UseCase, Model, Subject, Level string
	Predicted, Measured            *float64
	// ReadyWithRAMGB is the fit's memory upgrade for the use case (0:
	// none makes it ready); nil when the report does not say.
	ReadyWithRAMGB *int64
	// Calibrated: the device's fit learnt its efficiency from a local
	// runtime measurement (report.Verdict.Calibrated).
	Calibrated bool
}

// extract builds the row of a report that report.Verify accepted.
func extract(res report.Result, data, sig []byte, source string) row {
	r := res.Report
	sum := sha256.Sum256(data)
	rw := row{
		SHA256: hex.EncodeToString(sum[:]), ReportID: r.ReportID, DeviceID: r.Device.DeviceID,
		PublicKey: r.Device.PublicKey, Fingerprint: res.Fingerprint, Created: r.Created.UTC(),
		Source: source, OrgUnit: r.Device.OrgUnit, Hostname: r.Device.Hostname,
		Overall: r.Summary.Overall, Status: r.Status, AppVersion: r.App.Version,
		Data: data, Sig: sig,
	}
	if inv := r.Sections.Inventory; inv != nil {
		if inv.System.Known() {
			rw.OS = inv.System.Value.Platform
			if rw.OS == "" {
				rw.OS = inv.System.Value.OS
			}
		}
		if inv.CPU.Known() {
			rw.CPUModel = inv.CPU.Value.Model
			rw.Threads = ptr(int64(inv.CPU.Value.Threads))
		}
		if inv.Memory.Known() && inv.Memory.Value.TotalBytes > 0 {
			rw.RAMBytes = ptr(int64(inv.Memory.Value.TotalBytes))
		}
		if inv.GPUs.Known() {
			var best int64
			for _, g := range inv.GPUs.Value.Devices {
				if rw.GPUModel == "" || int64(g.DedicatedVRAMBytes) > best {
					rw.GPUModel = g.Model
					if rw.GPUModel == "" {
						rw.GPUModel = g.Vendor
					}
				}
				best = max(best, int64(g.DedicatedVRAMBytes))
			}
			rw.VRAMBytes = ptr(best)
		}
	}
	// Quiz results come in aggregate per session (participants, mean and
	// maximum total); they are summed per report: participants, and the
	// mean score in percent weighted by participants.
	if q := r.Sections.Quiz; q != nil {
		var people int64
		var weighted float64
		for _, s := range q.Sessions {
			if s.Stats != nil && s.Stats.N > 0 && s.Stats.MaxTotal > 0 {
				people += int64(s.Stats.N)
				weighted += float64(s.Stats.N) * s.Stats.MeanTotal / s.Stats.MaxTotal * 100
			}
		}
		if people > 0 {
			rw.QuizPeople, rw.QuizScore = ptr(people), ptr(weighted/float64(people))
		}
	}
	// The bandwidth the fit judged with; a report without a fit section
	// may still carry the probe's measurement.
	readyWithRAM := map[string]int64{}
	if f := r.Sections.Fit; f != nil {
		if f.Machine.MemoryReadGBps > 0 {
			rw.Bandwidth = ptr(f.Machine.MemoryReadGBps)
		}
		for _, u := range f.UseCases {
			readyWithRAM[u.UseCase] = int64(u.ReadyWithRAMGB)
		}
	}
	if p := r.Sections.Probe; rw.Bandwidth == nil && p != nil && p.ReadGBps() > 0 {
		rw.Bandwidth = ptr(p.ReadGBps())
	}
	for _, v := range r.Summary.Verdicts {
		vr := verdictRow{UseCase: v.UseCase, Model: v.Model, Subject: v.Subject, Level: v.Level,
			Predicted: v.PredictedTokensPerSecond, Measured: v.MeasuredTokensPerSecond, Calibrated: v.Calibrated}
		if gb, ok := readyWithRAM[v.UseCase]; ok {
			vr.ReadyWithRAMGB = ptr(gb)
		}
		rw.Verdicts = append(rw.Verdicts, vr)
	}
	return rw
}

func ptr[T any](v T) *T { return &v }
