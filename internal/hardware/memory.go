package hardware

import (
	"context"
	"fmt"

	"github.com/shirou/gopsutil/v4/mem"
)

// readMemory takes total and available RAM from gopsutil and the modules
// from whatever the OS lets an ordinary user read.
func readMemory(ctx context.Context, c *collector) (Memory, error) {
	vm, err := mem.VirtualMemoryWithContext(ctx)
	if err != nil {
		return Memory{}, fmt.Errorf("read memory size: %w", err)
	}
	out := Memory{TotalBytes: vm.Total, AvailableBytes: vm.Available}
	if mods, ok := memoryModules(ctx, c); ok {
		out.ModulesKnown = true
		out.Modules = mods
	}
	return out, nil
}

// smbiosMemoryTypes names the SMBIOS type-17 "Memory Type" values that
// occur in office PCs (SMBIOS 3.x, table 76).
var smbiosMemoryTypes = map[byte]string{
	0x12: "DDR", 0x13: "DDR2", 0x18: "DDR3", 0x1A: "DDR4", 0x1B: "LPDDR",
	0x1C: "LPDDR2", 0x1D: "LPDDR3", 0x1E: "LPDDR4", 0x22: "DDR5", 0x23: "LPDDR5",
}

// parseSMBIOSMemoryDevice decodes one SMBIOS type-17 (Memory Device)
// structure as Linux exposes it in /sys/firmware/dmi/entries/17-*/raw:
// the formatted area followed by its string set. ok is false for a
// malformed structure or an empty slot.
func parseSMBIOSMemoryDevice(raw []byte) (m MemoryModule, ok bool) {
	if len(raw) < 0x17 || raw[0] != 17 {
		return m, false
	}
	length := int(raw[1])
	if length < 0x17 || length > len(raw) {
		return m, false
	}
	word := func(off int) uint32 { return uint32(raw[off]) | uint32(raw[off+1])<<8 }
	size := word(0x0C)
	switch {
	case size == 0 || size == 0xFFFF:
		return m, false // no module installed / unknown size
	case size == 0x7FFF && length >= 0x20:
		ext := uint64(word(0x1C)) | uint64(word(0x1E))<<16
		m.SizeBytes = (ext & 0x7FFFFFFF) << 20
	case size&0x8000 != 0:
		m.SizeBytes = uint64(size&0x7FFF) << 10
	default:
		m.SizeBytes = uint64(size) << 20
	}
	if m.SizeBytes == 0 {
		return m, false
	}
	m.Type = smbiosMemoryTypes[raw[0x12]]
	speed := word(0x15)
	if length >= 0x22 {
		if configured := word(0x20); configured != 0 && configured != 0xFFFF {
			speed = configured
		}
	}
	if speed != 0 && speed != 0xFFFF {
		m.SpeedMTs = int(speed)
	}
	m.Locator = smbiosString(raw[length:], raw[0x10])
	return m, true
}

// smbiosString returns string number n (1-based) of an SMBIOS string set.
func smbiosString(set []byte, n byte) string {
	if n == 0 {
		return ""
	}
	start := 0
	for i := 0; i < len(set); i++ {
		if set[i] != 0 {
			continue
		}
		if i == start {
			return "" // double NUL: end of the set
		}
		n--
		if n == 0 {
			return string(set[start:i])
		}
		start = i + 1
	}
	return ""
}
