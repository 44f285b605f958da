package hardware

import (
	"context"
	"os"
	"strings"

	"github.com/shirou/gopsutil/v4/host"
)

// platform reads the distribution from /etc/os-release (ID and
// VERSION_ID), which every current distribution has; Debian's point
// release comes from /etc/debian_version. Without os-release, gopsutil's
// slower probing decides.
func platform(ctx context.Context) (name, version string) {
	data, err := os.ReadFile("/etc/os-release")
	if err != nil {
		data, err = os.ReadFile("/usr/lib/os-release")
	}
	if err != nil {
		name, _, version, _ = host.PlatformInformationWithContext(ctx)
		return name, version
	}
	name, version = parseOSRelease(string(data))
	if name == "debian" {
		if v, ok := readTextFile("/etc/debian_version"); ok && strings.HasPrefix(v, version+".") {
			version = v
		}
	}
	return name, version
}

// parseOSRelease returns ID and VERSION_ID of an os-release file.
func parseOSRelease(s string) (id, version string) {
	for _, line := range strings.Split(s, "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), "=")
		if !ok {
			continue
		}
		v = strings.Trim(v, `"'`)
		switch k {
		case "ID":
			id = v
		case "VERSION_ID":
			version = v
		}
	}
	return id, version
}
