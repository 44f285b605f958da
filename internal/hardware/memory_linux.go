package hardware

import (
	"context"
	"os"
	"path/filepath"
)

// memoryModules reads the SMBIOS memory-device entries. Linux lets only
// root read them, so for an ordinary user the modules stay unknown.
func memoryModules(_ context.Context, c *collector) ([]MemoryModule, bool) {
	entries, err := filepath.Glob(filepath.Join(c.root, "sys/firmware/dmi/entries/17-*/raw"))
	if err != nil || len(entries) == 0 {
		return nil, false
	}
	var mods []MemoryModule
	readable := false
	for _, e := range entries {
		raw, err := readSmallFile(e, 4096)
		if err != nil {
			continue
		}
		readable = true
		if m, ok := parseSMBIOSMemoryDevice(raw); ok {
			mods = append(mods, m)
		}
	}
	return mods, readable
}

// readSmallFile reads at most limit bytes of a file.
func readSmallFile(path string, limit int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, limit)
	n, err := f.Read(buf)
	if n == 0 && err != nil {
		return nil, err
	}
	return buf[:n], nil
}
