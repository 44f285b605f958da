package check

import (
	"context"

	"github.com/ki-reise/kicheck/internal/hardware"
	"github.com/ki-reise/kicheck/internal/report"
)

// steps returns the check's steps in order. A capability joins the check
// by adding its step here once its package is in the build.
func steps() []step {
	return []step{
		{name: "inventory", weight: 1, run: runInventory},
	}
}

func runInventory(ctx context.Context, c *runState, progress func(float64, string)) error {
	progress(0, "")
	h := hardware.Host(ctx)
	if c.opts.Policy.IncludeHostname && h.Hostname != "" {
		c.report.Device.Hostname = h.Hostname
	}
	// The inventory never carries the PC's name: whether it appears is
	// decided once, in device.hostname, by the policy.
	h.Hostname = ""
	c.report.Sections.Inventory = &report.Inventory{Host: h}
	progress(1, "")
	return nil
}
