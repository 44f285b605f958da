package hardware

import (
	"context"
	"os"
	"runtime"
	"strings"

	"github.com/shirou/gopsutil/v4/host"
)

// HostInfo names the machine and its operating system.
type HostInfo struct {
	Hostname        string `json:"hostname"`
	OS              string `json:"os"`               // windows, linux, darwin
	Platform        string `json:"platform"`         // e.g. "Microsoft Windows 11 Pro", "debian"
	PlatformVersion string `json:"platform_version"` // e.g. "10.0.22631", "12.7"
	KernelVersion   string `json:"kernel_version,omitempty"`
	Arch            string `json:"arch"`
}

// Host returns the hostname and OS. It needs no special rights; what the OS
// does not tell stays empty.
//
// It asks gopsutil only for what it needs: host.Info also counts processes,
// reads the boot time and probes for virtualisation, and on Debian-like
// systems runs the lsb_release script, together about 0.1 s.
func Host(ctx context.Context) HostInfo {
	h := HostInfo{OS: runtime.GOOS, Arch: runtime.GOARCH}
	h.Hostname, _ = os.Hostname()
	h.Platform, h.PlatformVersion = platform(ctx)
	if v, err := host.KernelVersionWithContext(ctx); err == nil {
		h.KernelVersion = v
	}
	return h
}

// OSName is a one-line description such as "debian 12.7 (linux/amd64)".
func (h HostInfo) OSName() string {
	parts := []string{}
	if h.Platform != "" {
		parts = append(parts, h.Platform)
	}
	if h.PlatformVersion != "" {
		parts = append(parts, h.PlatformVersion)
	}
	if len(parts) == 0 {
		parts = append(parts, h.OS)
	}
	return strings.Join(parts, " ") + " (" + h.OS + "/" + h.Arch + ")"
}
