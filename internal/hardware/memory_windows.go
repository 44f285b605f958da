package hardware

import (
	"context"
	"strings"

	"github.com/yusufpapurcu/wmi"
)

type win32PhysicalMemory struct {
	DeviceLocator        string
	Capacity             uint64
	Speed                uint32
	ConfiguredClockSpeed uint32
	SMBIOSMemoryType     uint32
}

// memoryModules asks WMI's Win32_PhysicalMemory, which any user may read.
func memoryModules(ctx context.Context, _ *collector) ([]MemoryModule, bool) {
	var rows []win32PhysicalMemory
	q := "SELECT DeviceLocator, Capacity, Speed, ConfiguredClockSpeed, SMBIOSMemoryType FROM Win32_PhysicalMemory"
	if err := wmiQuery(ctx, q, &rows); err != nil {
		return nil, false
	}
	mods := make([]MemoryModule, 0, len(rows))
	for _, r := range rows {
		m := MemoryModule{Locator: strings.TrimSpace(r.DeviceLocator), SizeBytes: r.Capacity, Type: smbiosMemoryTypes[byte(r.SMBIOSMemoryType)]}
		switch {
		case r.ConfiguredClockSpeed > 0:
			m.SpeedMTs = int(r.ConfiguredClockSpeed)
		case r.Speed > 0:
			m.SpeedMTs = int(r.Speed)
		}
		mods = append(mods, m)
	}
	return mods, true
}

// wmiQuery runs a WMI query that gives up with ctx (the query itself goes
// on in the background: WMI has no cancel).
func wmiQuery(ctx context.Context, query string, dst any) error {
	done := make(chan error, 1)
	go func() { done <- wmi.Query(query, dst) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
