package collect

import (
	"fmt"
	"io"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// WriteText writes the fleet overview as `kicheck fleet` prints it, in
// lang: the counts, the models per use case, the upgrade that helps most,
// clocks ahead and how many verdicts were calibrated.
func (f Fleet) WriteText(w io.Writer, lang string) error {
	o := f.Overall
	lines := []string{i18n.T(lang, "fleet.cli.summary", map[string]any{"Devices": f.Devices, "Reports": f.Reports,
		"Ready": o.Ready, "Limited": o.Limited, "NotReady": o.NotReady, "Unknown": o.Unknown, "Stale": f.Stale.Count, "Days": f.Stale.Days})}
	for _, m := range f.Models {
		lines = append(lines, i18n.T(lang, "fleet.cli.model", map[string]any{"UseCase": m.UseCase, "Model": m.Model,
			"Ready": m.Ready, "Limited": m.Limited, "NotReady": m.NotReady}))
	}
	if b := f.Upgrade.Best; b != nil {
		lines = append(lines, i18n.T(lang, "fleet.cli.upgrade", map[string]any{"GB": b.RAMGB, "Devices": b.Devices}))
	}
	if c := f.ClockAhead; c.Count > 0 {
		lines = append(lines, i18n.T(lang, "fleet.cli.clock_ahead", map[string]any{"Count": c.Count,
			"Device": i18n.Escape(c.Devices[0].DeviceID), "Ahead": AheadText(lang, c.Devices[0].AheadSeconds)}))
	}
	lines = append(lines, i18n.T(lang, "fit.fleet_calibrated", map[string]any{"Calibrated": f.Calibration.Calibrated, "Total": f.Calibration.Verdicts}))
	for _, l := range lines {
		if _, err := fmt.Fprintln(w, l); err != nil {
			return err
		}
	}
	return nil
}
