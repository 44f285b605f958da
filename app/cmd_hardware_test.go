package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"

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
		if err := runHardware(context.Background(), opts, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
