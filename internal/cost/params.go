package cost

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/ki-reise/kicheck/bundles"
	"github.com/ki-reise/kicheck/internal/bundle"
)

// Params are the inputs of the cost model. Field names match the YAML.
type Params struct {
	Version         int     `json:"version" yaml:"version"`
	HorizonMonths   int     `json:"horizon_months" yaml:"horizon_months"`
	AdminEURPerHour float64 `json:"admin_eur_per_hour" yaml:"admin_eur_per_hour"`
	// StaffEURPerHour is the staff-cost rate per hour of the clerks whose
	// time AI saves (the hotspot scoring's benefit in €); nil: not set,
	// "von der Kommune einzutragen".
	StaffEURPerHour *float64 `json:"staff_eur_per_hour" yaml:"staff_eur_per_hour"`
	Usage           Usage    `json:"usage" yaml:"usage"`
	Cloud           Cloud    `json:"cloud" yaml:"cloud"`
	Local           Local    `json:"local" yaml:"local"`
	Hybrid          Hybrid   `json:"hybrid" yaml:"hybrid"`
	Criteria        Criteria `json:"criteria" yaml:"criteria"`
	// Operating are the four operating models' own figures (issue 14):
	// prices only as the municipality enters them, with their date.
	Operating Operating `json:"operating" yaml:"operating"`
}

// Usage is how much the municipality would use AI.
type Usage struct {
	Users                 int     `json:"users" yaml:"users"`
	RequestsPerUserPerDay float64 `json:"requests_per_user_per_day" yaml:"requests_per_user_per_day"`
	WorkingDaysPerMonth   float64 `json:"working_days_per_month" yaml:"working_days_per_month"`
	HoursPerWorkingDay    float64 `json:"hours_per_working_day" yaml:"hours_per_working_day"`
	TokensInPerRequest    float64 `json:"tokens_in_per_request" yaml:"tokens_in_per_request"`
	TokensOutPerRequest   float64 `json:"tokens_out_per_request" yaml:"tokens_out_per_request"`
}

// Cloud is the rented service's price.
type Cloud struct {
	Provider              string  `json:"provider" yaml:"provider"`
	PriceInputPerMillion  float64 `json:"price_input_per_million" yaml:"price_input_per_million"`
	PriceOutputPerMillion float64 `json:"price_output_per_million" yaml:"price_output_per_million"`
	PriceDate             string  `json:"price_date" yaml:"price_date"`
	FixedPerMonth         float64 `json:"fixed_per_month" yaml:"fixed_per_month"`
	AdminHoursPerMonth    float64 `json:"admin_hours_per_month" yaml:"admin_hours_per_month"`
	AVVAvailable          bool    `json:"avv_available" yaml:"avv_available"`
}

// Verdicts of the hardware check (issue 3), which decide the upgrade cost.
const (
	VerdictReady    = "ready"
	VerdictLimited  = "limited"
	VerdictNotReady = "not_ready"
)

// Local is what running the model on own hardware costs.
type Local struct {
	HardwareVerdict      string             `json:"hardware_verdict" yaml:"hardware_verdict"`
	UpgradeCostEUR       map[string]float64 `json:"upgrade_cost_eur" yaml:"upgrade_cost_eur"`
	HardwareEUR          *float64           `json:"hardware_eur,omitempty" yaml:"hardware_eur"`
	DepreciationYears    float64            `json:"depreciation_years" yaml:"depreciation_years"`
	PowerWatts           float64            `json:"power_watts" yaml:"power_watts"`
	SecondsPerRequest    float64            `json:"seconds_per_request" yaml:"seconds_per_request"`
	ElectricityEURPerKWh float64            `json:"electricity_eur_per_kwh" yaml:"electricity_eur_per_kwh"`
	AdminHoursPerMonth   float64            `json:"admin_hours_per_month" yaml:"admin_hours_per_month"`
}

// Hybrid sends a share of requests (those without personal data) to the
// cloud and keeps the rest local.
type Hybrid struct {
	CloudShare float64 `json:"cloud_share" yaml:"cloud_share"`
}

// Criteria are the non-monetary facts that can outweigh the price.
type Criteria struct {
	PersonalData  bool    `json:"personal_data" yaml:"personal_data"`
	NeedsOffline  bool    `json:"needs_offline" yaml:"needs_offline"`
	MaxLatencyS   float64 `json:"max_latency_s" yaml:"max_latency_s"`
	LocalLatencyS float64 `json:"local_latency_s" yaml:"local_latency_s"`
	CloudLatencyS float64 `json:"cloud_latency_s" yaml:"cloud_latency_s"`
}

// HardwareInvestEUR is the one-off investment: the explicit amount if set,
// else the upgrade cost for the hardware verdict.
func (l Local) HardwareInvestEUR() float64 {
	if l.HardwareEUR != nil {
		return *l.HardwareEUR
	}
	return l.UpgradeCostEUR[l.HardwareVerdict]
}

// DefaultFile is the bundle file's name, embedded and in the data dir.
const DefaultFile = "default.yaml"

// ParamsError is a bad parameter file: file, line, column and field (the
// one bundle error type).
type ParamsError = bundle.Error

var (
	costKind   = bundle.Kind{Dir: "cost", Embedded: bundles.Cost}
	costSchema = bundle.NewSchema("cost.schema.json")
)

// Defaults returns the embedded default parameters.
func Defaults() Params {
	b, err := fs.ReadFile(costKind.Embedded, "cost/"+DefaultFile)
	if err != nil {
		panic("embedded cost bundle missing: " + err.Error())
	}
	p, err := Parse("bundles/cost/"+DefaultFile, b)
	if err != nil {
		panic("embedded cost bundle invalid: " + err.Error())
	}
	return p
}

// BuiltinSource is the source Load names for the built-in parameters (a
// stable value in `kicheck cost --json`; texts say it in their language).
const BuiltinSource = "bundles/cost/" + DefaultFile + " (eingebaut)"

// Load returns the data dir's override (<dataDir>/bundles/cost/default.yaml)
// if there is one, else the defaults. A broken override is reported and
// the defaults are returned with the error, so the app keeps working.
func Load(dataDir string) (Params, string, error) {
	path := filepath.Join(costKind.OwnDir(dataDir), DefaultFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return Defaults(), BuiltinSource, nil
	}
	if err != nil {
		return Defaults(), "", fmt.Errorf("read cost parameters: %w", err)
	}
	p, err := ParseOver(Defaults(), path, b)
	if err != nil {
		return Defaults(), "", err
	}
	return p, path, nil
}

// LoadFile reads a parameter file given on the command line over the
// defaults (fields it leaves out keep their default).
func LoadFile(path string) (Params, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Params{}, fmt.Errorf("read cost parameters: %w", err)
	}
	return ParseOver(Defaults(), path, b)
}

// Parse validates data (YAML) against the schema and decodes it.
func Parse(name string, data []byte) (Params, error) { return ParseOver(Params{}, name, data) }

// ParseOver is Parse with base's values for the fields data leaves out.
func ParseOver(base Params, name string, data []byte) (Params, error) {
	p := base
	if base.Local.UpgradeCostEUR != nil {
		// Copy the map: decoding into it must not change the defaults.
		m := map[string]float64{}
		for k, v := range base.Local.UpgradeCostEUR {
			m[k] = v
		}
		p.Local.UpgradeCostEUR = m
	}
	if _, errs := bundle.Decode(name, data, costSchema, &p); errs != nil {
		return Params{}, paramsError(errs[0])
	}
	return p, nil
}

// paramsError is the file's first problem (the line to fix first).
func paramsError(e *bundle.Error) *ParamsError {
	e.Doc = "docs/cost.md"
	return e
}
