package hardware

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// maxCPUInfoSize bounds how much of /proc/cpuinfo is read: a 512-thread
// server writes about 800 KiB.
const maxCPUInfoSize = 2 << 20

// cpuInfo is what KI-Check reads from /proc/cpuinfo itself when gopsutil
// left figures empty.
type cpuInfo struct {
	Vendor     string
	Model      string
	ModelFrom  string // CPUSourceCPUInfo or CPUSourceCPUPart
	Processors int    // "processor" entries
	Cores      int    // distinct (physical id, core id); 0 = not in the file
	MHz        float64
}

// armImplementers maps the "CPU implementer" ids of /proc/cpuinfo on ARM
// to vendor names (the Linux kernel's and lscpu's tables).
var armImplementers = map[uint64]string{
	0x41: "ARM", 0x42: "Broadcom", 0x43: "Cavium", 0x48: "HiSilicon",
	0x4e: "NVIDIA", 0x51: "Qualcomm", 0x53: "Samsung", 0x61: "Apple",
	0x6d: "Microsoft", 0xc0: "Ampere",
}

// armParts names the common cores of implementer 0x41 (ARM Ltd.) by
// their "CPU part" id, as lscpu does.
var armParts = map[uint64]string{
	0xd03: "Cortex-A53", 0xd04: "Cortex-A35", 0xd05: "Cortex-A55",
	0xd07: "Cortex-A57", 0xd08: "Cortex-A72", 0xd09: "Cortex-A73",
	0xd0a: "Cortex-A75", 0xd0b: "Cortex-A76", 0xd0c: "Neoverse-N1",
	0xd0d: "Cortex-A77", 0xd40: "Neoverse-V1", 0xd41: "Cortex-A78",
	0xd44: "Cortex-X1", 0xd46: "Cortex-A510", 0xd47: "Cortex-A710",
	0xd48: "Cortex-X2", 0xd49: "Neoverse-N2", 0xd4f: "Neoverse-V2",
}

// parseCPUInfo reads the fields of /proc/cpuinfo that KI-Check needs.
// Unknown or malformed lines are skipped; at most maxCPUInfoSize bytes
// are read.
func parseCPUInfo(r io.Reader) cpuInfo {
	var ci cpuInfo
	var implementer, part uint64
	var physID, coreID string
	cores := map[string]bool{}
	flushCore := func() {
		if coreID != "" {
			cores[physID+"/"+coreID] = true
		}
		physID, coreID = "", ""
	}
	sc := bufio.NewScanner(io.LimitReader(r, maxCPUInfoSize))
	sc.Buffer(make([]byte, 0, 64<<10), 64<<10)
	for sc.Scan() {
		line := sc.Text()
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			if strings.TrimSpace(line) == "" {
				flushCore()
			}
			continue
		}
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		switch key {
		case "processor":
			if _, err := strconv.Atoi(val); err == nil {
				ci.Processors++
			}
		case "vendor_id":
			setOnce(&ci.Vendor, val)
		case "model name", "Processor", "cpu model":
			if ci.Model == "" && val != "" {
				ci.Model, ci.ModelFrom = val, CPUSourceCPUInfo
			}
		case "physical id":
			physID = val
		case "core id":
			coreID = val
		case "cpu MHz":
			if ci.MHz == 0 {
				if f, err := strconv.ParseFloat(val, 64); err == nil && f > 0 && f < 100000 {
					ci.MHz = f
				}
			}
		case "CPU implementer":
			if implementer == 0 {
				implementer, _ = parseSysfsUint(val)
			}
		case "CPU part":
			if part == 0 {
				part, _ = parseSysfsUint(val)
			}
		}
	}
	flushCore()
	if len(cores) > 0 {
		ci.Cores = len(cores)
	}
	if ci.Vendor == "" {
		ci.Vendor = armImplementers[implementer]
	}
	if ci.Model == "" && implementer == 0x41 && armParts[part] != "" {
		ci.Model, ci.ModelFrom = "ARM "+armParts[part], CPUSourceCPUPart
	}
	return ci
}

func setOnce(field *string, val string) {
	if *field == "" {
		*field = val
	}
}

// sysfsCPUCounts counts logical processors (cpu/online) and physical
// cores (distinct package/core ids in topology) under root; 0 = unknown.
func sysfsCPUCounts(root string) (threads, cores int) {
	dir := filepath.Join(root, "sys/devices/system/cpu")
	if s, ok := readTextFile(filepath.Join(dir, "online")); ok {
		threads = countCPUList(s)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return threads, 0
	}
	seen := map[string]bool{}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, "cpu") {
			continue
		}
		if _, err := strconv.Atoi(name[3:]); err != nil {
			continue
		}
		topo := filepath.Join(dir, name, "topology")
		core, ok1 := readTextFile(filepath.Join(topo, "core_id"))
		pkg, ok2 := readTextFile(filepath.Join(topo, "physical_package_id"))
		if ok1 && ok2 {
			seen[pkg+"/"+core] = true
		}
	}
	return threads, len(seen)
}

// countCPUList counts the processors in a sysfs cpu list such as
// "0-3,6,8-9"; 0 when it is malformed.
func countCPUList(s string) int {
	n := 0
	for _, part := range strings.Split(strings.TrimSpace(s), ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.Atoi(lo)
		if err != nil || a < 0 {
			return 0
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(hi); err != nil || b < a || b-a > 1<<16 {
				return 0
			}
		}
		n += b - a + 1
	}
	return n
}

// fillFromLinux fills the figures gopsutil left empty from root's
// /proc/cpuinfo (read by KI-Check) and /sys/devices/system/cpu.
func fillFromLinux(root string, out *CPU, src *CPUSources) {
	var ci cpuInfo
	if data, err := readBounded(filepath.Join(root, "proc/cpuinfo"), maxCPUInfoSize); err == nil {
		ci = parseCPUInfo(bytes.NewReader(data))
	}
	threads, cores := sysfsCPUCounts(root)
	if out.Vendor == "" && ci.Vendor != "" {
		out.Vendor, src.Vendor = ci.Vendor, CPUSourceCPUInfo
	}
	if out.Model == "" && ci.Model != "" {
		out.Model, src.Model = ci.Model, ci.ModelFrom
	}
	switch {
	case out.Threads > 0:
	case threads > 0:
		out.Threads, src.Threads = threads, CPUSourceSysfs
	case ci.Processors > 0:
		out.Threads, src.Threads = ci.Processors, CPUSourceCPUInfo
	}
	switch {
	case out.PhysicalCores > 0:
	case cores > 0:
		out.PhysicalCores, src.PhysicalCores = cores, CPUSourceSysfs
	case ci.Cores > 0:
		out.PhysicalCores, src.PhysicalCores = ci.Cores, CPUSourceCPUInfo
	}
	if out.BaseMHz == 0 && out.MaxMHz == 0 && ci.MHz > 0 {
		out.BaseMHz, src.BaseMHz = ci.MHz, CPUSourceCPUInfo
	}
}

// readBounded reads at most limit bytes of a file.
func readBounded(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit))
}
