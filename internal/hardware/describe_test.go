package hardware

import (
	"strings"
	"testing"
)

func TestDescribe(t *testing.T) {
	inv := Inventory{
		CPU: known(CPU{Model: "Intel(R) Core(TM) i5-1335U", PhysicalCores: 10, Threads: 12, BaseMHz: 1300, MaxMHz: 4600,
			Flags: CPUFlags{SSE42: true, AVX: true, AVX2: true, FMA: true, AVXVNNI: true}}),
		Memory: known(Memory{TotalBytes: 16 << 30, AvailableBytes: 9 << 29, ModulesKnown: true,
			Modules: []MemoryModule{{SizeBytes: 8 << 30, SpeedMTs: 5200, Type: "DDR5"}, {SizeBytes: 8 << 30, SpeedMTs: 5200, Type: "DDR5"}}}),
		GPUs: known(GPUList{Devices: []GPU{
			{Vendor: "NVIDIA", Model: "NVIDIA GeForce RTX 4090", Discrete: true, DedicatedVRAMBytes: 24564 << 20, FreeVRAMBytes: 23975 << 20, Driver: "nvidia 550.54.14"},
			{Vendor: "Intel", Model: "Iris Xe Graphics"},
			{Vendor: "NVIDIA", Model: "PCI 10de:1c82", Discrete: true, Note: "nvidia-smi not found"},
		}}),
		NPUs:   unknown[NPUList]("no answer within 3s"),
		Disk:   known(Disk{Path: `C:\ProgramData\KI-Check`, FreeBytes: 100 << 30, TotalBytes: 476 << 30, Kind: "ssd"}),
		System: known(System{OS: "windows", Arch: "amd64", Platform: "Microsoft Windows 11 Pro", PlatformVersion: "10.0.22631", Vendor: "LENOVO", Model: "ThinkPad T14 Gen 4 (21HD)", FormFactor: "laptop"}),
		Power:  known(Power{Source: PowerBattery, HasBattery: true, BatteryPercent: 64}),
	}
	text := func(groups []Group) string {
		var b strings.Builder
		for _, g := range groups {
			b.WriteString("# " + g.Title + "\n")
			if g.Unknown {
				b.WriteString("? " + g.Reason + "\n")
			}
			for _, r := range g.Rows {
				b.WriteString(r.Label + ": " + r.Value + "\n")
			}
		}
		return b.String()
	}
	de := text(Describe(inv, "de"))
	for _, want := range []string{
		"# Prozessor\nModell: Intel(R) Core(TM) i5-1335U\nKerne: 10 Kerne, 12 Threads\nTakt: 1,30 GHz Basis, bis 4,60 GHz\nBefehlssätze: SSE4.2, AVX, AVX2, FMA, AVX-VNNI\n",
		"Gesamt: 16,0 GB\nFrei verfügbar: 4,5 GB\nModule: 2: 8,0 GB DDR5 5200 MT/s, 8,0 GB DDR5 5200 MT/s\n",
		"Grafik 1: NVIDIA GeForce RTX 4090\nArt: eigene Grafikkarte\nGrafikspeicher: 24,0 GB (23,4 GB frei)\nTreiber: nvidia 550.54.14\n",
		"Grafik 2: Intel Iris Xe Graphics\nArt: im Prozessor eingebaut\nTreiber: kein Treiber geladen\n",
		"Grafik 3: NVIDIA PCI 10de:1c82\nArt: eigene Grafikkarte\nGrafikspeicher: unbekannt\nTreiber: kein Treiber geladen\nHinweis: nvidia-smi not found\n",
		"# KI-Beschleuniger (NPU)\n? no answer within 3s\n# Datenträger",
		"Freier Platz: 100,0 GB frei von 476,0 GB\nLaufwerksart: SSD\n",
		"Betriebssystem: Microsoft Windows 11 Pro 10.0.22631 (windows/amd64)\nGerät: LENOVO ThinkPad T14 Gen 4 (21HD)\nBauform: Notebook\nStromversorgung: Akku, 64 % geladen\n",
	} {
		if !strings.Contains(de, want) {
			t.Errorf("German description lacks\n%s\nin\n%s", want, de)
		}
	}
	en := text(Describe(inv, "en"))
	for _, want := range []string{"Clock: 1.30 GHz base, up to 4.60 GHz", "Video memory: 24.0 GB (23.4 GB free)", "Form factor: laptop", "# AI accelerators (NPU)"} {
		if !strings.Contains(en, want) {
			t.Errorf("English description lacks %q in\n%s", want, en)
		}
	}
	if strings.Contains(de+en, "hardware.") {
		t.Errorf("an id is not translated:\n%s\n%s", de, en)
	}
}
