package hardware

import (
	"os"
	"strconv"
	"strings"
)

// readTextFile returns the trimmed content of a small text file (sysfs
// values are one line; at most 4 KiB is read so a broken file cannot fill
// memory).
func readTextFile(path string) (string, bool) {
	f, err := os.Open(path)
	if err != nil {
		return "", false
	}
	defer f.Close()
	buf := make([]byte, 4096)
	n, _ := f.Read(buf)
	if n <= 0 {
		return "", false
	}
	return strings.TrimSpace(string(buf[:n])), true
}

// readUintFile reads a file holding one unsigned decimal or 0x-hex number,
// as sysfs writes them.
func readUintFile(path string) (uint64, bool) {
	s, ok := readTextFile(path)
	if !ok {
		return 0, false
	}
	return parseSysfsUint(s)
}

// parseSysfsUint parses one sysfs number: decimal, or hex with 0x.
func parseSysfsUint(s string) (uint64, bool) {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, " \t\n"); i >= 0 {
		s = s[:i]
	}
	base := 10
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		s, base = s[2:], 16
	}
	v, err := strconv.ParseUint(s, base, 64)
	if err != nil {
		return 0, false
	}
	return v, true
}
