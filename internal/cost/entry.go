package cost

import (
	"fmt"
	"strconv"
	"strings"
)

// Entry is what a person entered in the cost form (the GUI's
// Betriebsmodelle screen). Its Apply is the last layer of Apply
// (Layers.Entered): what a person entered wins.
type Entry struct {
	Users             int
	RequestsPerDay    float64
	PriceIn, PriceOut float64 // Euro per million tokens
	PriceDate         string  // YYYY-MM-DD
	Verdict           string  // the hardware verdict; "" leaves the one before
	PersonalData      bool
	AVV               bool
	Offline           bool
}

// Apply puts e over p.
func (e Entry) Apply(p *Params) {
	p.Usage.Users, p.Usage.RequestsPerUserPerDay = e.Users, e.RequestsPerDay
	p.Cloud.PriceInputPerMillion, p.Cloud.PriceOutputPerMillion, p.Cloud.PriceDate = e.PriceIn, e.PriceOut, e.PriceDate
	if e.Verdict != "" {
		p.Local.HardwareVerdict = e.Verdict
	}
	p.Criteria.PersonalData, p.Cloud.AVVAvailable, p.Criteria.NeedsOffline = e.PersonalData, e.AVV, e.Offline
}

// ParseAmount reads a number ≥ 0 as a person types it into a form: a
// decimal comma or point ("1,5", "1.5"), spaces around it.
func ParseAmount(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(s), ",", "."), 64)
	if err != nil {
		return 0, fmt.Errorf("amount %q: %w", s, err)
	}
	if v < 0 {
		return 0, fmt.Errorf("amount %q is negative", s)
	}
	return v, nil
}
