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
	inv := hardware.Collect(ctx, hardware.Options{DataDir: c.opts.DataDir, Progress: func(p hardware.Progress) {
		progress(float64(p.Done)/float64(max(p.Total, 1)), p.Section)
	}})
	c.inventory = &inv
	if c.opts.Policy.IncludeHostname {
		host := inv.System.Value.Hostname
		if host == "" {
			host = hardware.Host(ctx).Hostname
		}
		c.report.Device.Hostname = host
	}
	// The inventory never carries the PC's name or the user's folder:
	// whether the name appears is decided once, in device.hostname.
	c.report.Sections.Inventory = report.ScrubInventory(inv)
	if !inv.Complete {
		return ctx.Err()
	}
	return nil
}
