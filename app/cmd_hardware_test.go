package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/golden"
	"github.com/ki-reise/kicheck/internal/hardware"
)

func TestHardwareJSON(t *testing.T) {
	var out, errb bytes.Buffer
	dataDir := t.TempDir()
	code := Main(context.Background(), []string{"--data-dir", dataDir, "hardware", "--json"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var inv hardware.Inventory
	if err := json.Unmarshal(out.Bytes(), &inv); err != nil {
		t.Fatalf("output is not the documented JSON: %v\n%s", err, out.String())
	}
	if inv.SchemaVersion != hardware.SchemaVersion || !inv.Complete || !inv.CPU.Known() || inv.CPU.Value.Threads < 1 || !inv.Memory.Known() {
		t.Errorf("inventory = %+v", inv)
	}
	if !inv.Disk.Known() || inv.Disk.Value.Path != dataDir {
		t.Errorf("disk section should describe the data dir %s: %+v", dataDir, inv.Disk)
	}
}

func TestHardwareTableInBothLanguages(t *testing.T) {
	for lang, want := range map[string][]string{
		"de": {"Prozessor", "Arbeitsspeicher", "Grafik", "KI-Beschleuniger (NPU)", "Datenträger", "System", "Befehlssätze"},
		"en": {"Processor", "Memory", "Graphics", "AI accelerators (NPU)", "Storage", "System", "Instruction sets"},
	} {
		var out, errb bytes.Buffer
		code := Main(context.Background(), []string{"--data-dir", t.TempDir(), "--lang", lang, "hardware"}, &out, &errb)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", lang, code, errb.String())
		}
		for _, w := range want {
			if !strings.Contains(out.String(), w) {
				t.Errorf("%s table lacks %q:\n%s", lang, w, out.String())
			}
		}
		if strings.Contains(out.String(), "hardware.") {
			t.Errorf("%s table shows an untranslated id:\n%s", lang, out.String())
		}
	}
}

func TestHardwareUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"hardware", "extra"}, {"hardware", "--timeout", "0s"}, {"hardware", "--nope"}} {
		var out, errb bytes.Buffer
		if code := Main(context.Background(), append([]string{"--data-dir", t.TempDir()}, args...), &out, &errb); code != exitUsage {
			t.Errorf("%v: exit %d, want %d (%s)", args, code, exitUsage, errb.String())
		}
	}
}

// BenchmarkHardwareCommand is `kicheck hardware` inside the process (the
// goal is under 0.5 s); see also the binary timing in docs/hardware.md.
func BenchmarkHardwareCommand(b *testing.B) {
	opts := hardwareOptions{DataDir: b.TempDir(), Timeout: hardware.DefaultSectionTimeout, Lang: "de"}
	for b.Loop() {
		if err := runHardware(context.Background(), opts, &env{stdout: io.Discard, stderr: io.Discard, lang: "de"}); err != nil {
			b.Fatal(err)
		}
	}
}

// The table of `kicheck hardware` for a PC filled by hand, in both
// languages, against its golden file (go test ./app -run HardwareTableGolden -update).
func TestHardwareTableGolden(t *testing.T) {
	ok := hardware.StatusOK
	inv := hardware.Inventory{
		SchemaVersion: 1, CollectedAt: time.Date(2026, 11, 26, 23, 30, 0, 0, time.UTC), Complete: true,
		CPU: hardware.Section[hardware.CPU]{Status: ok, Value: hardware.CPU{Vendor: "GenuineIntel", Model: "13th Gen Intel(R) Core(TM) i5-1335U",
			Arch: "amd64", Sockets: 1, PhysicalCores: 10, Threads: 12, BaseMHz: 1300, MaxMHz: 4600,
			Flags: hardware.CPUFlags{SSE42: true, AVX: true, AVX2: true, FMA: true, AVXVNNI: true}}},
		Memory: hardware.Section[hardware.Memory]{Status: ok, Value: hardware.Memory{TotalBytes: 16 << 30, AvailableBytes: 9 << 30}},
		GPUs: hardware.Section[hardware.GPUList]{Status: ok, Value: hardware.GPUList{Devices: []hardware.GPU{
			{Vendor: "Intel", Model: "Iris Xe Graphics", VendorID: "8086", DeviceID: "a7a1"}}}},
		NPUs:   hardware.Section[hardware.NPUList]{Status: ok, Value: hardware.NPUList{Devices: []hardware.NPU{}}},
		Disk:   hardware.Section[hardware.Disk]{Status: ok, Value: hardware.Disk{Path: "/home/kommune/.local/share/kicheck", TotalBytes: 512e9, FreeBytes: 230e9, Kind: "ssd"}},
		System: hardware.Section[hardware.System]{Status: ok, Value: hardware.System{Hostname: "PC-BA-0815", OS: "windows", Platform: "Microsoft Windows 11 Pro", PlatformVersion: "10.0.22631", Arch: "amd64", Vendor: "LENOVO", Model: "ThinkPad T14 Gen 4", FormFactor: "laptop"}},
		Power:  hardware.Section[hardware.Power]{Status: hardware.StatusUnknown, Reason: "no answer within 3s"},
	}
	for _, lang := range []string{"de", "en"} {
		var b bytes.Buffer
		if err := printHardwareTable(&b, inv, lang); err != nil {
			t.Fatal(err)
		}
		golden.Check(t, "hardware-table."+lang+".golden", b.Bytes())
	}
}
