package hardware

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// SchemaVersion is the version of the JSON shape of Inventory (see
// docs/hardware.md). It changes only when a field changes meaning or is
// removed; new fields keep the version.
const SchemaVersion = 1

// Inventory is everything KI-Check knows about this PC's hardware. Each
// section is collected on its own with its own timeout; a section that
// failed or timed out says so in its Status and Reason and the others are
// still filled in.
type Inventory struct {
	SchemaVersion int       `json:"schema_version"`
	CollectedAt   time.Time `json:"collected_at"`
	// Complete is false when the collection was cancelled before every
	// section finished; the sections that finished are kept.
	Complete bool `json:"complete"`

	CPU    Section[CPU]     `json:"cpu"`
	Memory Section[Memory]  `json:"memory"`
	GPUs   Section[GPUList] `json:"gpus"`
	NPUs   Section[NPUList] `json:"npus"`
	Disk   Section[Disk]    `json:"disk"`
	System Section[System]  `json:"system"`
	Power  Section[Power]   `json:"power"`
}

// Status tells whether a section could be read.
type Status string

const (
	StatusOK      Status = "ok"
	StatusUnknown Status = "unknown"
)

// Section is one part of the inventory: its Value when Status is ok, or
// the Reason it is unknown. In JSON the value's fields sit next to
// "status" (and "reason"), e.g. {"status":"ok","threads":8,...} or
// {"status":"unknown","reason":"timed out after 2s"}.
type Section[T any] struct {
	Status Status
	Reason string // why the section is unknown; empty when ok
	Value  T      // zero when unknown
}

// Known reports whether the section was read.
func (s Section[T]) Known() bool { return s.Status == StatusOK }

func known[T any](v T) Section[T] { return Section[T]{Status: StatusOK, Value: v} }

func unknown[T any](reason string) Section[T] {
	return Section[T]{Status: StatusUnknown, Reason: reason}
}

type sectionHeader struct {
	Status Status `json:"status"`
	Reason string `json:"reason,omitempty"`
}

// MarshalJSON writes the status, the reason and (when ok) the value's
// fields in one flat object.
func (s Section[T]) MarshalJSON() ([]byte, error) {
	status := s.Status
	if status == "" {
		status = StatusUnknown
	}
	head, err := json.Marshal(sectionHeader{Status: status, Reason: s.Reason})
	if err != nil {
		return nil, err
	}
	if status != StatusOK {
		return head, nil
	}
	body, err := json.Marshal(s.Value)
	if err != nil {
		return nil, err
	}
	body = bytes.TrimSpace(body)
	if len(body) < 2 || body[0] != '{' {
		return nil, fmt.Errorf("section value %T is not a JSON object", s.Value)
	}
	if string(body) == "{}" {
		return head, nil
	}
	out := make([]byte, 0, len(head)+len(body))
	out = append(out, head[:len(head)-1]...)
	out = append(out, ',')
	out = append(out, body[1:]...)
	return out, nil
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (s *Section[T]) UnmarshalJSON(data []byte) error {
	var head sectionHeader
	if err := json.Unmarshal(data, &head); err != nil {
		return err
	}
	s.Status, s.Reason = head.Status, head.Reason
	var zero T
	s.Value = zero
	if head.Status != StatusOK {
		return nil
	}
	return json.Unmarshal(data, &s.Value)
}

// CPU describes the processor. Counts cover all sockets.
type CPU struct {
	Vendor        string   `json:"vendor"`         // e.g. "GenuineIntel", "AuthenticAMD", "Qualcomm"
	Model         string   `json:"model"`          // e.g. "Intel(R) Core(TM) i5-1335U"
	Arch          string   `json:"arch"`           // Go's GOARCH: amd64, arm64
	Sockets       int      `json:"sockets"`        // physical packages; 0 = unknown
	PhysicalCores int      `json:"physical_cores"` // 0 = unknown
	Threads       int      `json:"threads"`        // logical processors
	BaseMHz       float64  `json:"base_mhz"`       // 0 = unknown
	MaxMHz        float64  `json:"max_mhz"`        // highest (boost) clock; 0 = unknown
	Flags         CPUFlags `json:"flags"`
	// Sources names where each figure came from (CPUSource* values), so a
	// reader can tell a registry figure on a virtual desktop from the
	// OS's processor table. Added in schema version 1 without a bump.
	Sources CPUSources `json:"sources"`
}

// CPUSources names, per figure of CPU, the source it came from; empty
// when the figure is unknown.
type CPUSources struct {
	Vendor        string `json:"vendor,omitempty"`
	Model         string `json:"model,omitempty"`
	PhysicalCores string `json:"physical_cores,omitempty"`
	Threads       string `json:"threads,omitempty"`
	BaseMHz       string `json:"base_mhz,omitempty"`
	MaxMHz        string `json:"max_mhz,omitempty"`
	Flags         string `json:"flags,omitempty"`
}

// CPUFlags are the instruction-set extensions that matter for running
// models on the CPU (llama.cpp and friends pick their kernels by these).
// They come from the CPUID/feature registers via golang.org/x/sys/cpu, so
// they are the same on every OS.
type CPUFlags struct {
	SSE42      bool `json:"sse4_2"`
	AVX        bool `json:"avx"`
	AVX2       bool `json:"avx2"`
	FMA        bool `json:"fma"`
	AVX512F    bool `json:"avx512f"`
	AVX512VNNI bool `json:"avx512_vnni"`
	AVX512BF16 bool `json:"avx512_bf16"`
	AVXVNNI    bool `json:"avx_vnni"`
	AMXTile    bool `json:"amx_tile"`
	AMXInt8    bool `json:"amx_int8"`
	AMXBF16    bool `json:"amx_bf16"`
	NEON       bool `json:"neon"`    // ARM Advanced SIMD
	SVE        bool `json:"sve"`     // ARM Scalable Vector Extension
	DotProd    bool `json:"dotprod"` // ARM SDOT/UDOT (asimddp)
}

// Memory is the main memory (RAM).
type Memory struct {
	TotalBytes     uint64 `json:"total_bytes"`
	AvailableBytes uint64 `json:"available_bytes"` // what programs can still use without swapping
	// Modules lists the RAM modules where the OS tells them without admin
	// rights (Windows: yes; Linux: only when the SMBIOS tables are
	// readable). ModulesKnown is false when it does not.
	ModulesKnown bool           `json:"modules_known"`
	Modules      []MemoryModule `json:"modules,omitempty"`
}

// MemoryModule is one RAM stick.
type MemoryModule struct {
	Locator   string `json:"locator,omitempty"` // slot name, e.g. "DIMM A1"
	SizeBytes uint64 `json:"size_bytes"`
	SpeedMTs  int    `json:"speed_mts,omitempty"` // configured speed in MT/s (often sold as "MHz"); 0 = unknown
	Type      string `json:"type,omitempty"`      // DDR4, DDR5, LPDDR5 …
}

// GPUList is every graphics adapter found.
type GPUList struct {
	Devices []GPU `json:"devices"`
}

// GPU is one graphics adapter.
type GPU struct {
	Vendor   string `json:"vendor"`              // "NVIDIA", "AMD", "Intel", … or the PCI vendor id
	Model    string `json:"model"`               // marketing name where known
	VendorID string `json:"vendor_id,omitempty"` // PCI vendor id, 4 lowercase hex digits
	DeviceID string `json:"device_id,omitempty"` // PCI device id, 4 lowercase hex digits
	Address  string `json:"address,omitempty"`   // PCI address (Linux) or PnP id (Windows)
	Driver   string `json:"driver,omitempty"`    // driver name and/or version
	// Discrete is true for a card with its own memory, false for graphics
	// built into the processor (which shares RAM).
	Discrete bool `json:"discrete"`
	// DedicatedVRAMBytes is the card's own memory; 0 = unknown (or none,
	// for integrated graphics without a carve-out).
	DedicatedVRAMBytes uint64 `json:"dedicated_vram_bytes"`
	// FreeVRAMBytes is the memory not in use right now where the driver
	// tells (nvidia-smi, amdgpu); 0 = unknown.
	FreeVRAMBytes uint64 `json:"free_vram_bytes"`
	// VRAMSource names where the VRAM figure came from: "nvidia-smi",
	// "sysfs", "registry", or "" when unknown.
	VRAMSource string `json:"vram_source,omitempty"`
	// Note says why something about this card is unknown, e.g. that
	// nvidia-smi failed.
	Note string `json:"note,omitempty"`
}

// NPUList is every AI accelerator (neural processing unit) found.
type NPUList struct {
	Devices []NPU `json:"devices"`
}

// NPU is one AI accelerator such as Intel AI Boost, AMD XDNA (Ryzen AI) or
// a Qualcomm Hexagon NPU.
type NPU struct {
	Vendor   string `json:"vendor"`
	Model    string `json:"model"`
	Family   string `json:"family"`              // "Intel NPU", "AMD XDNA", "Qualcomm Hexagon", "other"
	VendorID string `json:"vendor_id,omitempty"` // PCI vendor id where it is a PCI device
	DeviceID string `json:"device_id,omitempty"`
	Address  string `json:"address,omitempty"`
	Driver   string `json:"driver,omitempty"` // empty when no driver is loaded
}

// Disk is the drive that holds KI-Check's data folder (where models would
// be stored), plus the physical drives.
type Disk struct {
	Path       string `json:"path"` // the folder asked about
	TotalBytes uint64 `json:"total_bytes"`
	FreeBytes  uint64 `json:"free_bytes"` // free for the current user
	// Kind of the drive holding Path: "ssd", "hdd" or "unknown".
	Kind   string      `json:"kind"`
	Drives []DiskDrive `json:"drives,omitempty"`
}

// DiskDrive is one physical drive.
type DiskDrive struct {
	Name       string `json:"name"` // e.g. "nvme0n1", "\\\\.\\PHYSICALDRIVE0"
	Model      string `json:"model,omitempty"`
	SizeBytes  uint64 `json:"size_bytes"`
	Kind       string `json:"kind"`                 // "ssd", "hdd" or "unknown"
	Controller string `json:"controller,omitempty"` // nvme, scsi, virtio, mmc, ide
	Removable  bool   `json:"removable"`
}

// System is the machine and its operating system.
type System struct {
	Hostname        string `json:"hostname"`
	OS              string `json:"os"`               // windows, linux, darwin
	Platform        string `json:"platform"`         // e.g. "Microsoft Windows 11 Pro", "debian"
	PlatformVersion string `json:"platform_version"` // e.g. "10.0.22631", "12.7"
	KernelVersion   string `json:"kernel_version,omitempty"`
	Arch            string `json:"arch"`
	Vendor          string `json:"vendor,omitempty"` // machine maker, e.g. "LENOVO"
	Model           string `json:"model,omitempty"`  // e.g. "ThinkPad T14 Gen 4"
	// ChassisType is the SMBIOS chassis type number ("3" desktop, "10"
	// notebook …), ChassisDescription its name.
	ChassisType        string `json:"chassis_type,omitempty"`
	ChassisDescription string `json:"chassis_description,omitempty"`
	// FormFactor is "laptop", "desktop", "server", "virtual" or "unknown".
	FormFactor string `json:"form_factor"`
}

// Power is where the PC takes its power from right now.
type Power struct {
	// Source is "ac", "battery" or "unknown".
	Source     string `json:"source"`
	HasBattery bool   `json:"has_battery"`
	// BatteryPercent is the charge level 0–100; -1 = unknown or no battery.
	BatteryPercent int `json:"battery_percent"`
}
