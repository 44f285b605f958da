package report

import (
	"time"

	"github.com/ki-reise/kicheck/internal/benchscore"
	"github.com/ki-reise/kicheck/internal/cost"
	"github.com/ki-reise/kicheck/internal/hardware"
	"github.com/ki-reise/kicheck/internal/probe"
	"github.com/ki-reise/kicheck/internal/quizstats"
)

// SchemaVersion is the version of the report format this code writes and
// the newest it reads. It changes only for incompatible changes; a new
// optional field or section keeps it (docs/report.md, "Versions").
// Version 2 replaced the fit section's full predictions by the figures a
// reader of many reports needs.
const SchemaVersion = 2

// Kind marks a KI-Check report document.
const Kind = "kicheck-report"

// MaxSize caps the size of a report file that is read. Real reports are
// a few tens of kilobytes; the cap keeps a hostile file from exhausting
// memory in verify and in IT's intake.
const MaxSize = 8 << 20

// Report is one readiness check of one PC, as written to NAME.json.
type Report struct {
	SchemaVersion int       `json:"schema_version"`
	Kind          string    `json:"kind"`
	ReportID      string    `json:"report_id"` // 32 random hex digits
	Created       time.Time `json:"created"`   // UTC, whole seconds
	// Status is StatusComplete, or StatusIncomplete when a step was
	// cancelled, timed out or failed; what was measured is still here.
	Status  string   `json:"status"`
	App     App      `json:"app"`
	Device  Device   `json:"device"`
	Bundles []Bundle `json:"bundles"`
	Summary Summary  `json:"summary"`
	// Sections holds the measurements, one key per capability.
	Sections Sections `json:"sections"`
	// Integrity holds a SHA-256 per section (see SectionHash).
	Integrity Integrity `json:"integrity"`
}

// Report statuses.
const (
	StatusComplete   = "complete"
	StatusIncomplete = "incomplete"
)

// App names the KI-Check build that wrote the report.
type App struct {
	Name      string `json:"name"` // "KI-Check"
	Version   string `json:"version"`
	Commit    string `json:"commit"`
	BuildDate string `json:"build_date"`
	GoVersion string `json:"go_version"`
	Platform  string `json:"platform"` // GOOS/GOARCH
	Dirty     bool   `json:"dirty,omitempty"`
}

// Device identifies the installation that signed the report.
type Device struct {
	// DeviceID is derived from PublicKey (signing.DeviceID); verify
	// checks that it belongs to the key that signed.
	DeviceID    string `json:"device_id"`
	PublicKey   string `json:"public_key"`  // "ssh-ed25519 AAAA…"
	Fingerprint string `json:"fingerprint"` // "SHA256:…"
	// Hostname is present only if the user or IT policy allowed it.
	Hostname string `json:"hostname,omitempty"`
	// OrgUnit is the organisational unit from the settings or IT policy.
	OrgUnit string `json:"org_unit,omitempty"`
}

// Bundle names a content bundle the check used, so a report says which
// test prompts, thresholds and catalogue it was judged by.
type Bundle struct {
	Kind    string `json:"kind"` // models, prompts, usecases, …
	ID      string `json:"id"`
	Version string `json:"version"`
	SHA256  string `json:"sha256"` // over the bundle's files, see BundleHash
	Source  string `json:"source"` // "embedded" or "override" (data dir)
}

// Levels of a verdict and of the whole report.
const (
	LevelReady    = "ready"     // bereit
	LevelLimited  = "limited"   // eingeschränkt
	LevelNotReady = "not_ready" // nicht bereit
	LevelUnknown  = "unknown"   // no verdict could be made
)

// Summary is what a person reads first.
type Summary struct {
	// Overall is the level of the PC (see Overall).
	Overall  string    `json:"overall"`
	Verdicts []Verdict `json:"verdicts"`
	// Steps lists the steps of the check that ran, in order.
	Steps []Step `json:"steps"`
}

// Verdict says whether one use case or model works on this PC.
type Verdict struct {
	Subject string `json:"subject"` // e.g. "Texte zusammenfassen (llama3.2:3b)"
	UseCase string `json:"use_case,omitempty"`
	Model   string `json:"model,omitempty"`
	Level   string `json:"level"`
	// Reason is the plain reason in the language of the check.
	Reason string `json:"reason"`
	// Subjects is the subject per language ("de", "en").
	Subjects map[string]string `json:"subjects,omitempty"`
	// ReasonMessage is Reason as a message id with its values, so the
	// readable report can say it in the reader's language; the id + ".it"
	// is the technical line for IT.
	ReasonMessage *Message `json:"reason_message,omitempty"`
	// CloseMessage is the "Knapp: …" sentence of a close verdict as a
	// message (fit.Closeness), rendered after the reason.
	CloseMessage *Message `json:"close_message,omitempty"`
	// Predicted and measured generation speed in tokens per second, when
	// known: the PDF charts them side by side.
	PredictedTokensPerSecond *float64 `json:"predicted_tokens_per_second,omitempty"`
	MeasuredTokensPerSecond  *float64 `json:"measured_tokens_per_second,omitempty"`
	// CloudTokensPerSecond is the cloud's speed for the same prompts, when
	// a cloud comparison ran.
	CloudTokensPerSecond *float64 `json:"cloud_tokens_per_second,omitempty"`
	// The predicted speed's interval (fit.Figure Low/High), when known.
	PredictedLow  *float64 `json:"predicted_tokens_per_second_low,omitempty"`
	PredictedHigh *float64 `json:"predicted_tokens_per_second_high,omitempty"`
	// Close: the verdict is knapp, the interval reaches across a threshold.
	Close bool `json:"close,omitempty"`
	// Calibrated: the prediction uses this PC's efficiency measured with a
	// local runtime (fit.Calibration); CalibratedWith is the measurement's
	// date (YYYY-MM-DD).
	Calibrated     bool   `json:"calibrated,omitempty"`
	CalibratedWith string `json:"calibrated_with,omitempty"`
}

// Step is one step of the check.
type Step struct {
	Name       string `json:"name"`   // inventory, probe, fit, inference, …
	Status     string `json:"status"` // done, skipped, failed, cancelled
	DurationMS int64  `json:"duration_ms"`
	Message    string `json:"message,omitempty"`
	// MessageID is Message as an id (assets/lang) where the step knows
	// one, for the reader's language; Message stays for IT.
	MessageID string `json:"message_id,omitempty"`
}

// Message is a text as a message id (assets/lang) with its values.
type Message struct {
	ID   string         `json:"id"`
	Data map[string]any `json:"data,omitempty"`
}

// Step statuses.
const (
	StepDone      = "done"
	StepSkipped   = "skipped"
	StepFailed    = "failed"
	StepCancelled = "cancelled"
)

// Sections are the measurements. Each is typed by the capability package
// that produces it and grows with it; a section that did not run is
// absent, never empty or guessed.
type Sections struct {
	// Inventory is the PC's hardware (docs/hardware.md), with the two
	// fields that could name a person or the PC emptied: system.hostname
	// (the policy decides, in device.hostname) and disk.path (the data
	// folder, usually under the user's name). See ScrubInventory.
	Inventory *hardware.Inventory `json:"inventory,omitempty"`
	// Probe is the measured memory bandwidth and compute (docs/probe.md).
	Probe *probe.Result `json:"probe,omitempty"`
	// Fit is the machine as the fit saw it and, per use case, the verdict,
	// the memory upgrade that would make it ready, and the figures of each
	// candidate model (fit.go, docs/report.md).
	Fit *Fit `json:"fit,omitempty"`
	// Inference is the AI test against the local runtime: run summaries
	// and per-prompt statistics, never the answers (docs/bench.md).
	Inference *Inference `json:"inference,omitempty"`
	// Cost is the cost comparison local / cloud / hybrid, present when
	// the municipality keeps its own cost parameters (docs/cost.md).
	Cost *Cost `json:"cost,omitempty"`
	// Quiz holds quiz results in aggregate, only for the sessions the
	// trainer chose to include (never per participant).
	Quiz *Quiz `json:"quiz,omitempty"`
	// Policy names the AI policy (KI-Richtlinie, internal/policy) in force
	// when the check ran: id, version, Stand and where it came from.
	Policy *Policy `json:"policy,omitempty"`
}

// Policy is the policy section.
type Policy struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	Stand   string `json:"stand,omitempty"`
	// Source is "muster" (the packaged policy) or "own:FILE" (the
	// municipality's file, its name only).
	Source string `json:"source"`
}

// Inference is the inference section.
type Inference struct {
	Runtime        string         `json:"runtime"`
	RuntimeVersion string         `json:"runtime_version,omitempty"`
	Runs           []InferenceRun `json:"runs"`
}

// InferenceRun is one test bundle run with one model.
type InferenceRun struct {
	Summary benchscore.RunSummary      `json:"summary"`
	Prompts []benchscore.PromptSummary `json:"prompts"`
}

// Cost is the cost section.
type Cost struct {
	Source string      `json:"source"` // the parameter file's name
	Result cost.Result `json:"result"`
}

// Quiz is the quiz section.
type Quiz struct {
	Sessions []QuizSession `json:"sessions"`
}

// QuizSession is one quiz session's item analysis (docs/quiz-sessions.md).
type QuizSession struct {
	SessionID     string            `json:"session_id"`
	Title         string            `json:"title"`
	BundleID      string            `json:"bundle_id"`
	BundleVersion string            `json:"bundle_version"`
	Stats         *quizstats.Report `json:"stats"`
}

// ScrubInventory empties the fields of an inventory that a report must not
// carry.
func ScrubInventory(inv hardware.Inventory) *hardware.Inventory {
	inv.System.Value.Hostname = ""
	inv.Disk.Value.Path = ""
	return &inv
}

// Integrity carries the hashes verify recomputes.
type Integrity struct {
	Algorithm string `json:"algorithm"` // "sha256"
	// Sections maps each key of Sections to SectionHash of its value.
	Sections map[string]string `json:"sections"`
}

// Overall combines verdicts into the PC's level: ready when every verdict
// is ready, not ready when none is at least limited, limited otherwise;
// unknown without verdicts.
func Overall(vs []Verdict) string {
	if len(vs) == 0 {
		return LevelUnknown
	}
	ready, usable := 0, 0
	for _, v := range vs {
		switch v.Level {
		case LevelReady:
			ready++
			usable++
		case LevelLimited:
			usable++
		}
	}
	switch {
	case ready == len(vs):
		return LevelReady
	case usable == 0:
		return LevelNotReady
	default:
		return LevelLimited
	}
}
