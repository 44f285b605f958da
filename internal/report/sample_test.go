package report

import (
	"time"

	"github.com/ki-reise/kicheck/internal/hardware"
)

// sampleInventory is a typical office PC, filled by hand.
func sampleInventory() hardware.Inventory {
	ok := hardware.StatusOK
	return hardware.Inventory{
		SchemaVersion: 1, CollectedAt: time.Date(2026, 11, 26, 23, 30, 0, 0, time.UTC), Complete: true,
		CPU: hardware.Section[hardware.CPU]{Status: ok, Value: hardware.CPU{Vendor: "GenuineIntel", Model: "13th Gen Intel(R) Core(TM) i5-1335U",
			Arch: "amd64", Sockets: 1, PhysicalCores: 10, Threads: 12, BaseMHz: 1300, MaxMHz: 4600,
			Flags: hardware.CPUFlags{SSE42: true, AVX: true, AVX2: true, FMA: true, AVXVNNI: true}}},
		Memory: hardware.Section[hardware.Memory]{Status: ok, Value: hardware.Memory{TotalBytes: 16 << 30, AvailableBytes: 9 << 30}},
		GPUs: hardware.Section[hardware.GPUList]{Status: ok, Value: hardware.GPUList{Devices: []hardware.GPU{
			{Vendor: "Intel", Model: "Iris Xe Graphics", VendorID: "8086", DeviceID: "a7a1"}}}},
		NPUs:   hardware.Section[hardware.NPUList]{Status: ok, Value: hardware.NPUList{Devices: []hardware.NPU{}}},
		Disk:   hardware.Section[hardware.Disk]{Status: ok, Value: hardware.Disk{Path: `C:\Users\anna.schmidt\AppData\Roaming\KI-Check`, TotalBytes: 512e9, FreeBytes: 230e9, Kind: "ssd"}},
		System: hardware.Section[hardware.System]{Status: ok, Value: hardware.System{Hostname: "PC-BA-0815", OS: "windows", Platform: "Microsoft Windows 11 Pro", PlatformVersion: "10.0.22631", Arch: "amd64", Vendor: "LENOVO", Model: "ThinkPad T14 Gen 4", FormFactor: "laptop"}},
		Power:  hardware.Section[hardware.Power]{Status: hardware.StatusUnknown, Reason: "no answer within 3s"},
	}
}
