package hardware

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// installCPUInfo copies a recorded /proc/cpuinfo into a fake machine.
func installCPUInfo(t *testing.T, m *fakeMachine, name string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "cpuinfo", name))
	if err != nil {
		t.Fatal(err)
	}
	m.file("proc/cpuinfo", string(data))
}

// An ARM board's cpuinfo has no "model name" and no vendor_id; sysfs has
// the counts. gopsutil found nothing (the empty CPU passed in).
func TestCPUFallbackARMBoard(t *testing.T) {
	m := newFakeMachine(t)
	installCPUInfo(t, m, "arm-board.txt")
	m.file("sys/devices/system/cpu/online", "0-3\n")
	for i, core := range []string{"0", "1", "2", "3"} {
		m.file(filepath.Join("sys/devices/system/cpu", "cpu"+string(rune('0'+i)), "topology/core_id"), core)
		m.file(filepath.Join("sys/devices/system/cpu", "cpu"+string(rune('0'+i)), "topology/physical_package_id"), "0")
	}
	var out CPU
	var src CPUSources
	fillFromLinux(m.root, &out, &src)
	want := CPU{Vendor: "ARM", Model: "ARM Cortex-A72", Threads: 4, PhysicalCores: 4}
	if out != want {
		t.Errorf("got %+v, want %+v", out, want)
	}
	wantSrc := CPUSources{Vendor: CPUSourceCPUInfo, Model: CPUSourceCPUPart, Threads: CPUSourceSysfs, PhysicalCores: CPUSourceSysfs}
	if src != wantSrc {
		t.Errorf("sources %+v, want %+v", src, wantSrc)
	}
}

// A container hides "model name" and sysfs; the counts come from the
// processor entries and core ids, the clock from "cpu MHz".
func TestCPUFallbackContainer(t *testing.T) {
	m := newFakeMachine(t)
	installCPUInfo(t, m, "container.txt")
	var out CPU
	var src CPUSources
	fillFromLinux(m.root, &out, &src)
	want := CPU{Vendor: "GenuineIntel", Threads: 4, PhysicalCores: 2, BaseMHz: 2200}
	if out != want {
		t.Errorf("got %+v, want %+v", out, want)
	}
	if src.Threads != CPUSourceCPUInfo || src.PhysicalCores != CPUSourceCPUInfo || src.BaseMHz != CPUSourceCPUInfo || src.Model != "" {
		t.Errorf("sources %+v", src)
	}
}

// Figures the OS already supplied are kept, with their source.
func TestCPUFallbackKeepsKnownFigures(t *testing.T) {
	m := newFakeMachine(t)
	installCPUInfo(t, m, "container.txt")
	out := CPU{Model: "Intel Xeon", Threads: 8, PhysicalCores: 4, BaseMHz: 3000}
	src := CPUSources{Model: CPUSourceOS, Threads: CPUSourceOS, PhysicalCores: CPUSourceOS, BaseMHz: CPUSourceOS}
	fillFromLinux(m.root, &out, &src)
	if out.Model != "Intel Xeon" || out.Threads != 8 || out.PhysicalCores != 4 || out.BaseMHz != 3000 || out.Vendor != "GenuineIntel" {
		t.Errorf("got %+v", out)
	}
	if src.Threads != CPUSourceOS || src.Vendor != CPUSourceCPUInfo {
		t.Errorf("sources %+v", src)
	}
}

func TestCountCPUList(t *testing.T) {
	for in, want := range map[string]int{"0-3": 4, "0": 1, "0-3,6,8-9": 7, "": 0, "3-1": 0, "x": 0} {
		if got := countCPUList(in); got != want {
			t.Errorf("countCPUList(%q) = %d, want %d", in, got, want)
		}
	}
}

// The real readCPU on this machine names a source for every figure it has.
func TestReadCPUNamesSources(t *testing.T) {
	c := &collector{root: "/"}
	got, err := readCPU(t.Context(), c)
	if err != nil {
		t.Fatal(err)
	}
	if got.Threads == 0 || got.Sources.Threads == "" || got.Sources.Flags != CPUSourceCPUID {
		t.Errorf("cpu %+v", got)
	}
	if got.Model != "" && got.Sources.Model == "" {
		t.Errorf("model %q without source", got.Model)
	}
}

func FuzzParseCPUInfo(f *testing.F) {
	for _, name := range []string{"arm-board.txt", "container.txt"} {
		data, err := os.ReadFile(filepath.Join("testdata", "cpuinfo", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ci := parseCPUInfo(bytes.NewReader(data))
		if ci.Processors < 0 || ci.Cores < 0 || ci.Cores > len(data) {
			t.Errorf("impossible counts %+v", ci)
		}
		_ = countCPUList(string(data))
	})
}
