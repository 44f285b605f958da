package hardware

import (
	"context"
	"strings"
	"testing"
	"time"
)

// collectFake inventories a fake machine's tree. CPU and memory come from
// gopsutil, which reads this machine, so they are not asserted here.
func collectFake(t *testing.T, root string, opts Options) Inventory {
	t.Helper()
	opts.Root = root
	if opts.NvidiaSMI == "" {
		opts.NvidiaSMI = "-"
	}
	if opts.SectionTimeout == 0 {
		opts.SectionTimeout = 5 * time.Second
	}
	inv := Collect(context.Background(), opts)
	for name, s := range map[string]Section[struct{}]{
		"gpus":   {Status: inv.GPUs.Status, Reason: inv.GPUs.Reason},
		"npus":   {Status: inv.NPUs.Status, Reason: inv.NPUs.Reason},
		"disk":   {Status: inv.Disk.Status, Reason: inv.Disk.Reason},
		"system": {Status: inv.System.Status, Reason: inv.System.Reason},
		"power":  {Status: inv.Power.Status, Reason: inv.Power.Reason},
	} {
		if !s.Known() {
			t.Fatalf("section %s unknown: %s", name, s.Reason)
		}
	}
	return inv
}

const gib = 1 << 30

// buildLaptopAMD: a laptop with Ryzen 7040 graphics (APU, 512 MiB
// carve-out), a Radeon RX 7600M card, the Ryzen AI NPU, an NVMe SSD holding
// /, running on battery.
func buildLaptopAMD(m *fakeMachine) {
	igpu := m.pciDevice("0000:c4:00.0", "1002", "15bf", "030000", "amdgpu")
	m.file(igpu+"/mem_info_vram_total", "536870912\n")
	m.file(igpu+"/mem_info_vram_used", "100000000\n")
	m.drmCard(1, "0000:c4:00.0")
	dgpu := m.pciDevice("0000:03:00.0", "1002", "7480", "030000", "amdgpu")
	m.file(dgpu+"/mem_info_vram_total", "8573157376\n")
	m.file(dgpu+"/mem_info_vram_used", "1073741824\n")
	m.drmCard(0, "0000:03:00.0")
	m.pciDevice("0000:c5:00.1", "1022", "1502", "118000", "amdxdna")
	m.pciDevice("0000:c4:00.3", "1022", "15b9", "0c0330", "xhci_hcd") // USB: neither GPU nor NPU
	m.dmi("LENOVO", "21K3", "ThinkPad P14s Gen 4", "10")
	m.powerSupply("AC", map[string]string{"type": "Mains", "online": "0"})
	m.powerSupply("BAT0", map[string]string{"type": "Battery", "status": "Discharging", "capacity": "73"})
	m.powerSupply("hidpp_battery_0", map[string]string{"type": "Battery", "scope": "Device", "status": "Charging", "capacity": "5"})
	m.disk("nvme0n1", "nvme0n1p2", 512*gib, false, "/")
	m.file("sys/block/nvme0n1/device/model", "SAMSUNG MZVL2512HCJQ\n")
}

func TestLaptopWithAMDIntegratedAndDiscreteGPU(t *testing.T) {
	m := newFakeMachine(t)
	buildLaptopAMD(m)
	checkLaptopAMD(t, collectFake(t, m.root, Options{DataDir: t.TempDir()}))
}

func checkLaptopAMD(t *testing.T, inv Inventory) {
	t.Helper()
	gpus := inv.GPUs.Value.Devices
	if len(gpus) != 2 {
		t.Fatalf("got %d GPUs, want 2: %+v", len(gpus), gpus)
	}
	byAddr := map[string]GPU{}
	for _, g := range gpus {
		byAddr[g.Address] = g
	}
	i, d := byAddr["0000:c4:00.0"], byAddr["0000:03:00.0"]
	if i.Discrete || i.Vendor != "AMD" || i.VendorID != "1002" || i.DeviceID != "15bf" {
		t.Errorf("integrated GPU = %+v", i)
	}
	if i.DedicatedVRAMBytes != 512<<20 || i.FreeVRAMBytes != 512<<20-100000000 || i.VRAMSource != "sysfs" {
		t.Errorf("integrated GPU memory = %d total, %d free, source %q", i.DedicatedVRAMBytes, i.FreeVRAMBytes, i.VRAMSource)
	}
	if !d.Discrete || d.DedicatedVRAMBytes != 8573157376 || d.FreeVRAMBytes != 8573157376-gib || !strings.HasPrefix(d.Driver, "amdgpu") {
		t.Errorf("discrete GPU = %+v", d)
	}
	// No pci.ids in this tree: the model falls back to the ids.
	if d.Model != "PCI 1002:7480" {
		t.Errorf("discrete GPU model without pci.ids = %q", d.Model)
	}

	npus := inv.NPUs.Value.Devices
	if len(npus) != 1 || npus[0].Family != "AMD XDNA" || npus[0].Driver != "amdxdna" || npus[0].Address != "0000:c5:00.1" {
		t.Errorf("NPUs = %+v, want one AMD XDNA with driver amdxdna", npus)
	}

	sys := inv.System.Value
	if sys.Vendor != "LENOVO" || sys.Model != "ThinkPad P14s Gen 4 (21K3)" || sys.FormFactor != "laptop" || sys.ChassisType != "10" {
		t.Errorf("system = %+v", sys)
	}
	p := inv.Power.Value
	if p.Source != PowerBattery || !p.HasBattery || p.BatteryPercent != 73 {
		t.Errorf("power = %+v, want battery at 73 %% (the mouse battery ignored)", p)
	}
	disk := inv.Disk.Value
	if disk.Kind != "ssd" || len(disk.Drives) != 1 || disk.Drives[0].Controller != "nvme" || disk.Drives[0].SizeBytes != 512*gib {
		t.Errorf("disk = %+v", disk)
	}
	if disk.FreeBytes == 0 || disk.FreeBytes > disk.TotalBytes {
		t.Errorf("free space %d of %d", disk.FreeBytes, disk.TotalBytes)
	}
}

// buildDesktopIntelNPU: a desktop with Meteor Lake graphics, its NPU, a
// GeForce RTX 4090, a hard disk holding /, on mains power, with a pci.ids.
func buildDesktopIntelNPU(m *fakeMachine) {
	m.pciDevice("0000:00:02.0", "8086", "7d55", "030000", "i915")
	m.drmCard(0, "0000:00:02.0")
	m.pciDevice("0000:01:00.0", "10de", "2684", "030000", "nvidia")
	m.drmCard(1, "0000:01:00.0")
	m.file("sys/module/nvidia/version", "550.54.14\n")
	m.pciDevice("0000:00:0b.0", "8086", "7d1d", "120000", "intel_vpu")
	m.pciDevice("0000:00:08.0", "8086", "7e4c", "088000", "") // GNA: not an NPU
	m.pciDevice("0000:05:00.0", "1e0f", "0001", "120000", "") // unknown accelerator by class
	m.file("usr/share/misc/pci.ids", `# test pci.ids
10de  NVIDIA Corporation
	2684  AD102 [GeForce RTX 4090]
		10de 165b  GeForce RTX 4090 Founders Edition
1e0f  KIOXIA Corporation
	0001  NVMe SSD Controller BG4
8086  Intel Corporation
	7d1d  Meteor Lake NPU
	7d55  Meteor Lake-P [Intel Arc Graphics]
C 03  Display controller
	00  VGA compatible controller
`)
	m.dmi("Dell Inc.", "OptiPlex Tower Plus 7020", "OptiPlex", "3")
	m.disk("sda", "sda1", 2000*gib, true, "/")
}

// The NVIDIA card's name, driver and memory come from nvidia-smi.
func TestDesktopWithIntelNPUAndNvidiaCard(t *testing.T) {
	m := newFakeMachine(t)
	buildDesktopIntelNPU(m)
	checkDesktopIntelNPU(t, collectFake(t, m.root, Options{DataDir: t.TempDir(), NvidiaSMI: recordedNvidiaSMI(t, "rtx4090.csv")}))
}

func checkDesktopIntelNPU(t *testing.T, inv Inventory) {
	t.Helper()
	gpus := inv.GPUs.Value.Devices
	if len(gpus) != 2 {
		t.Fatalf("got %d GPUs, want 2: %+v", len(gpus), gpus)
	}
	byAddr := map[string]GPU{}
	for _, g := range gpus {
		byAddr[g.Address] = g
	}
	intel, nv := byAddr["0000:00:02.0"], byAddr["0000:01:00.0"]
	if intel.Discrete || intel.Vendor != "Intel" || intel.Model != "Intel Arc Graphics" || intel.DedicatedVRAMBytes != 0 {
		t.Errorf("Intel iGPU = %+v", intel)
	}
	want := GPU{Vendor: "NVIDIA", Model: "NVIDIA GeForce RTX 4090", VendorID: "10de", DeviceID: "2684",
		Address: "0000:01:00.0", Driver: "nvidia 550.54.14", Discrete: true,
		DedicatedVRAMBytes: 24564 << 20, FreeVRAMBytes: 23975 << 20, VRAMSource: "nvidia-smi"}
	if nv != want {
		t.Errorf("NVIDIA card\n got %+v\nwant %+v", nv, want)
	}

	npus := inv.NPUs.Value.Devices
	if len(npus) != 2 {
		t.Fatalf("NPUs = %+v, want the Intel NPU and the class-12 accelerator", npus)
	}
	if n := npus[0]; n.Family != "Intel NPU" || n.Vendor != "Intel" || n.Driver != "intel_vpu" || !strings.Contains(n.Model, "Meteor Lake") {
		t.Errorf("Intel NPU = %+v", n)
	}
	if n := npus[1]; n.Family != "other" || n.Vendor != "KIOXIA Corporation" || n.Model != "NVMe SSD Controller BG4" || n.Driver != "" {
		t.Errorf("class-12 accelerator = %+v", n)
	}

	if sys := inv.System.Value; sys.FormFactor != "desktop" || sys.Vendor != "Dell Inc." || sys.Model != "OptiPlex Tower Plus 7020" {
		t.Errorf("system = %+v", sys)
	}
	if p := inv.Power.Value; p.Source != PowerAC || p.HasBattery || p.BatteryPercent != -1 {
		t.Errorf("power = %+v, want AC without battery", p)
	}
	if k := inv.Disk.Value.Kind; k != "hdd" {
		t.Errorf("disk kind = %q, want hdd", k)
	}
}

// A machine whose sysfs has no DRM and no DMI (a server VM like this build
// machine) but where nvidia-smi answers: the cards come from nvidia-smi.
func TestNvidiaCardsOnlyKnownToNvidiaSMI(t *testing.T) {
	m := newFakeMachine(t)
	inv := collectFake(t, m.root, Options{DataDir: t.TempDir(), NvidiaSMI: recordedNvidiaSMI(t, "two-cards.csv")})
	gpus := inv.GPUs.Value.Devices
	if len(gpus) != 2 {
		t.Fatalf("GPUs = %+v", gpus)
	}
	if gpus[0].Model != "NVIDIA RTX A2000 12GB" || gpus[0].DedicatedVRAMBytes != 12282<<20 || !gpus[0].Discrete || gpus[0].Address != "0000:17:00.0" {
		t.Errorf("first card = %+v", gpus[0])
	}
	if gpus[1].Model != "NVIDIA T400 4GB" || gpus[1].FreeVRAMBytes != 4011<<20 || gpus[1].Driver != "535.183.01" {
		t.Errorf("second card = %+v", gpus[1])
	}
	if ff := inv.System.Value.FormFactor; ff != "unknown" {
		t.Errorf("form factor without DMI = %q", ff)
	}
}

// nvidia-smi present but failing (driver not loaded) or hanging: the
// card is still listed, with a note instead of VRAM, and the section ends
// within its timeout.
func TestNvidiaSMIFailureLeavesANote(t *testing.T) {
	for _, tc := range []struct {
		name, script, note string
	}{
		{"fails", `echo "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver." ; exit 9`, "couldn't communicate"},
		{"hangs", `exec sleep 60`, "no answer in time"},
		{"garbage", `echo "Usage: nvidia-smi [OPTION1 [ARG1]]"`, "fields"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newFakeMachine(t)
			m.pciDevice("0000:01:00.0", "10de", "1c82", "030000", "nvidia")
			m.drmCard(0, "0000:01:00.0")
			start := time.Now()
			inv := collectFake(t, m.root, Options{DataDir: t.TempDir(), SectionTimeout: 1500 * time.Millisecond, NvidiaSMI: nvidiaSMIScript(t, tc.script)})
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("took %s with a section timeout of 1.5s", took)
			}
			gpus := inv.GPUs.Value.Devices
			if len(gpus) != 1 || !gpus[0].Discrete || gpus[0].DedicatedVRAMBytes != 0 || gpus[0].VRAMSource != "" {
				t.Fatalf("GPUs = %+v", gpus)
			}
			if !strings.Contains(gpus[0].Note, tc.note) {
				t.Errorf("note = %q, want it to mention %q", gpus[0].Note, tc.note)
			}
		})
	}
}

func TestIsDiscreteGPU(t *testing.T) {
	for _, tc := range []struct {
		vendor, device string
		want           bool
	}{
		{"10de", "2684", true},  // GeForce RTX 4090
		{"1002", "744c", true},  // Radeon RX 7900 XTX
		{"1002", "15bf", false}, // Ryzen 7040 graphics
		{"1002", "1586", false}, // Strix Halo
		{"8086", "56a0", true},  // Arc A770
		{"8086", "e20b", true},  // Arc B580
		{"8086", "a7a0", false}, // Raptor Lake Iris Xe
		{"8086", "7d55", false}, // Meteor Lake Arc (integrated)
		{"1af4", "1050", false}, // virtio GPU
		{"1a03", "2000", false}, // ASPEED BMC
		{"8086", "zzzz", false},
	} {
		if got := isDiscreteGPU(tc.vendor, tc.device); got != tc.want {
			t.Errorf("isDiscreteGPU(%s, %s) = %v, want %v", tc.vendor, tc.device, got, tc.want)
		}
	}
}

func TestFormFactor(t *testing.T) {
	for _, tc := range []struct{ chassis, vendor, model, want string }{
		{"10", "LENOVO", "21K3", "laptop"},
		{"31", "HP", "EliteBook x360", "laptop"},
		{"3", "Dell Inc.", "OptiPlex 7020", "desktop"},
		{"35", "Intel", "NUC", "desktop"},
		{"23", "Supermicro", "SYS-1029", "server"},
		{"1", "QEMU", "Standard PC (Q35 + ICH9, 2009)", "virtual"},
		{"", "Microsoft Corporation", "Virtual Machine", "virtual"},
		{"2", "", "", "unknown"},
	} {
		if got := formFactor(tc.chassis, tc.vendor, tc.model); got != tc.want {
			t.Errorf("formFactor(%q, %q, %q) = %q, want %q", tc.chassis, tc.vendor, tc.model, got, tc.want)
		}
	}
}
