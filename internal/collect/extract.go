package collect

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
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
	Hostname    string
	Overall     string
	Status      string
	AppVersion  string
	OS          string
	CPUModel    string
	Threads     *int64
	RAMBytes    *int64
	GPUModel    string
	VRAMBytes   *int64
	Bandwidth   *float64
	QuizPeople  *int64
	QuizScore   *float64
	Verdicts    []verdictRow
	Data, Sig   []byte
}

type verdictRow struct {
	UseCase, Model, Subject, Level string
	Predicted, Measured            *float64
	RequiredRAM                    *int64
}

// extraSections are the sections other capabilities add to reports that
// the typed report.Sections does not (yet) carry (probe, fit). They are read by name
// and tolerated when absent or shaped differently; docs/collect.md lists
// the fields used.
type extraSections struct {
	Sections struct {
		Probe *struct {
			MemoryReadGBps *float64 `json:"memory_read_gbps"`
		} `json:"probe"`
		Fit *struct {
			Machine struct {
				MemoryReadGBps *float64 `json:"memory_read_gbps"`
			} `json:"machine"`
			Usecases []struct {
				Usecase struct {
					ID string `json:"id"`
				} `json:"usecase"`
				Models []struct {
					Model      string `json:"model"`
					Prediction struct {
						Memory struct {
							TotalBytes *int64 `json:"total_bytes"`
						} `json:"memory"`
					} `json:"prediction"`
				} `json:"models"`
			} `json:"usecases"`
		} `json:"fit"`
	} `json:"sections"`
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
	var extra extraSections
	required := map[[2]string]int64{}
	if json.Unmarshal(data, &extra) == nil {
		s := extra.Sections
		switch {
		case s.Probe != nil && s.Probe.MemoryReadGBps != nil:
			rw.Bandwidth = s.Probe.MemoryReadGBps
		case s.Fit != nil && s.Fit.Machine.MemoryReadGBps != nil:
			rw.Bandwidth = s.Fit.Machine.MemoryReadGBps
		}
		if s.Fit != nil {
			for _, u := range s.Fit.Usecases {
				for _, m := range u.Models {
					if m.Prediction.Memory.TotalBytes != nil {
						required[[2]string{u.Usecase.ID, m.Model}] = *m.Prediction.Memory.TotalBytes
					}
				}
			}
		}
	}
	for _, v := range r.Summary.Verdicts {
		vr := verdictRow{UseCase: v.UseCase, Model: v.Model, Subject: v.Subject, Level: v.Level,
			Predicted: v.PredictedTokensPerSecond, Measured: v.MeasuredTokensPerSecond}
		if req, ok := required[[2]string{v.UseCase, v.Model}]; ok {
			vr.RequiredRAM = ptr(req)
		}
		rw.Verdicts = append(rw.Verdicts, vr)
	}
	return rw
}

func ptr[T any](v T) *T { return &v }
