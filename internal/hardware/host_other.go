//go:build !linux

package hardware

import (
	"context"

	"github.com/shirou/gopsutil/v4/host"
)

// platform asks gopsutil (Windows: the registry's product name and build).
func platform(ctx context.Context) (name, version string) {
	name, _, version, _ = host.PlatformInformationWithContext(ctx)
	return name, version
}
