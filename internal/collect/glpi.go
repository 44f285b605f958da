package collect

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ki-reise/kicheck/internal/hardware"
	"github.com/ki-reise/kicheck/internal/report"
)

// GLPI inventory files follow the JSON inventory the GLPI (formerly
// FusionInventory) agent sends: the sections and field names of the agent's
// inventory (lower-cased), sizes in MB (2^20 bytes, as the Windows agent
// divides them) and clock speeds in MHz. The format is closed: a section or
// field it does not know makes GLPI refuse the file, so KI-Check writes no
// section of its own. Its results travel in the format's envs section
// (key/value pairs) as KICHECK_* entries; docs/collect.md explains why.
// testdata/glpi/ holds the schema the test checks the files against and
// where it comes from.

type glpiInventory struct {
	Action   string      `json:"action"`
	DeviceID string      `json:"deviceid"`
	ItemType string      `json:"itemtype"`
	Content  glpiContent `json:"content"`
}

type glpiContent struct {
	VersionClient   string        `json:"versionclient"`
	Hardware        glpiHardware  `json:"hardware"`
	BIOS            *glpiBIOS     `json:"bios,omitempty"`
	CPUs            []glpiCPU     `json:"cpus,omitempty"`
	Memories        []glpiMemory  `json:"memories,omitempty"`
	Videos          []glpiVideo   `json:"videos,omitempty"`
	Storages        []glpiStorage `json:"storages,omitempty"`
	OperatingSystem *glpiOS       `json:"operatingsystem,omitempty"`
	Envs            []glpiEnv     `json:"envs"`
	// KICheck is the extra property GLPIOptions.ExtraProperty asks for.
	KICheck *glpiKICheck `json:"kicheck,omitempty"`
}

// glpiKICheck is the KI-Check result as one extra property under content,
// for a GLPI where a plugin registers it (GLPI refuses it otherwise).
type glpiKICheck struct {
	DeviceID    string          `json:"device_id"`
	Fingerprint string          `json:"fingerprint"`
	ReportID    string          `json:"report_id"`
	Created     string          `json:"created"`
	OrgUnit     string          `json:"org_unit,omitempty"`
	Overall     string          `json:"overall"`
	Verdicts    []glpiKIVerdict `json:"verdicts"`
}

type glpiKIVerdict struct {
	UseCase        string   `json:"use_case,omitempty"`
	Model          string   `json:"model,omitempty"`
	Level          string   `json:"level"`
	PredictedTPS   *float64 `json:"predicted_tokens_per_second,omitempty"`
	MeasuredTPS    *float64 `json:"measured_tokens_per_second,omitempty"`
	ReadyWithRAMGB *int     `json:"ready_with_ram_gb,omitempty"`
}

// GLPIOptions tune the GLPI export.
type GLPIOptions struct {
	// ExtraProperty also writes the results as content.kicheck, the way
	// GLPI takes extra inventory properties that a plugin registers. Off
	// by default: a GLPI without such a plugin refuses the whole file.
	ExtraProperty bool
}

type glpiHardware struct {
	Name        string `json:"name"`
	Memory      uint64 `json:"memory,omitempty"` // MB
	ChassisType string `json:"chassis_type,omitempty"`
}

type glpiBIOS struct {
	SManufacturer string `json:"smanufacturer,omitempty"`
	SModel        string `json:"smodel,omitempty"`
}

// glpiCPU is one physical processor (socket), as the agent lists them:
// core and thread count that socket's cores and logical processors.
type glpiCPU struct {
	Name         string `json:"name"`
	Manufacturer string `json:"manufacturer,omitempty"`
	Core         int    `json:"core,omitempty"`
	Thread       int    `json:"thread,omitempty"`
	Speed        int    `json:"speed,omitempty"` // MHz
	Arch         string `json:"arch,omitempty"`
}

type glpiMemory struct {
	Capacity uint64 `json:"capacity"` // MB
	Caption  string `json:"caption,omitempty"`
	Speed    string `json:"speed,omitempty"` // MHz (MT/s), digits only
	Type     string `json:"type,omitempty"`
	NumSlots int    `json:"numslots,omitempty"` // slot number, from 1
}

type glpiVideo struct {
	Name    string `json:"name"`
	Chipset string `json:"chipset,omitempty"`
	Memory  uint64 `json:"memory,omitempty"` // MB
}

type glpiStorage struct {
	Name        string `json:"name"`
	Model       string `json:"model,omitempty"`
	Description string `json:"description,omitempty"`
	DiskSize    uint64 `json:"disksize,omitempty"`  // MB
	Type        string `json:"type,omitempty"`      // disk or removable
	Interface   string `json:"interface,omitempty"` // only values the format lists
}

type glpiOS struct {
	Name          string `json:"name,omitempty"`
	FullName      string `json:"full_name,omitempty"`
	Version       string `json:"version,omitempty"`
	Arch          string `json:"arch,omitempty"`
	KernelName    string `json:"kernel_name,omitempty"`
	KernelVersion string `json:"kernel_version,omitempty"`
}

// glpiEnv is one entry of the format's envs section.
type glpiEnv struct {
	Key string `json:"key"`
	Val string `json:"val"`
}

const mib = 1 << 20

// WriteGLPI writes one inventory file per device (its newest report) into
// dir, named DEVICE-ID.json, and returns how many it wrote.
func WriteGLPI(ctx context.Context, s Store, dir string, opts GLPIOptions) (int, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, fmt.Errorf("glpi export: %w", err)
	}
	n := 0
	err := s.LatestReports(ctx, func(lr LatestReport) error {
		var r report.Report
		if err := json.Unmarshal(lr.Data, &r); err != nil {
			return fmt.Errorf("stored report of %s: %w", lr.DeviceID, err)
		}
		inv := glpiOf(&r, lr.Fingerprint, lr.FirstCreated)
		if opts.ExtraProperty {
			inv.Content.KICheck = glpiExtra(&r, lr.Fingerprint)
		}
		b, err := json.MarshalIndent(inv, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, lr.DeviceID+".json"), append(b, '\n'), 0o644); err != nil {
			return err
		}
		n++
		return nil
	})
	if err != nil {
		return n, fmt.Errorf("glpi export: %w", err)
	}
	return n, nil
}

// glpiOf maps a report to an inventory. first is the time of the device's
// earliest stored report.
func glpiOf(r *report.Report, fingerprint string, first time.Time) glpiInventory {
	// GLPI refuses a computer without a name (its default import rules), so
	// the KI-Check device id stands in where the report carries no host name.
	name := r.Device.Hostname
	if name == "" {
		name = r.Device.DeviceID
	}
	inv := glpiInventory{Action: "inventory", ItemType: "Computer",
		// As the agent builds it: computer name, then the time it was made.
		DeviceID: name + "-" + first.UTC().Format("2006-01-02-15-04-05")}
	c := &inv.Content
	c.VersionClient = "KI-Check_v" + glpiVersionToken(r.App.Version)
	c.Hardware.Name = name
	c.Envs = glpiEnvs(r, fingerprint)
	hw := r.Sections.Inventory
	if hw == nil {
		return inv
	}
	if hw.Memory.Known() {
		c.Hardware.Memory = hw.Memory.Value.TotalBytes / mib
		for i, m := range hw.Memory.Value.Modules {
			mem := glpiMemory{Capacity: m.SizeBytes / mib, Caption: m.Locator, Type: m.Type, NumSlots: i + 1}
			if m.SpeedMTs > 0 {
				mem.Speed = strconv.Itoa(m.SpeedMTs)
			}
			c.Memories = append(c.Memories, mem)
		}
	}
	if hw.CPU.Known() {
		c.CPUs = glpiCPUs(hw.CPU.Value)
	}
	if hw.GPUs.Known() {
		for _, g := range hw.GPUs.Value.Devices {
			c.Videos = append(c.Videos, glpiVideo{Name: g.Model, Chipset: g.Vendor, Memory: g.DedicatedVRAMBytes / mib})
		}
	}
	if hw.Disk.Known() {
		for _, d := range hw.Disk.Value.Drives {
			st := glpiStorage{Name: d.Name, Model: d.Model, DiskSize: d.SizeBytes / mib, Type: "disk",
				Description: glpiDriveKinds[d.Kind], Interface: glpiInterfaces[d.Controller]}
			if d.Removable {
				st.Type = "removable"
			}
			c.Storages = append(c.Storages, st)
		}
	}
	if hw.System.Known() {
		s := hw.System.Value
		c.OperatingSystem = glpiOSOf(s)
		c.Hardware.ChassisType = glpiChassis(s)
		if s.Vendor != "" || s.Model != "" {
			c.BIOS = &glpiBIOS{SManufacturer: s.Vendor, SModel: s.Model}
		}
	}
	return inv
}

// glpiVersionToken makes the version part of versionclient
// ("GLPI-Agent_v1.7", "FusionInventory-Agent_v2.6"): no blanks.
func glpiVersionToken(v string) string {
	v = strings.Join(strings.Fields(strings.TrimPrefix(v, "v")), "-")
	if v == "" {
		return "unknown"
	}
	return v
}

// glpiEnvs carries the KI-Check results: identity of the report, the
// overall level and one entry per verdict.
func glpiEnvs(r *report.Report, fingerprint string) []glpiEnv {
	envs := []glpiEnv{
		{"KICHECK_DEVICE_ID", r.Device.DeviceID},
		{"KICHECK_FINGERPRINT", fingerprint},
		{"KICHECK_REPORT_ID", r.ReportID},
		{"KICHECK_REPORT_CREATED", r.Created.UTC().Format(time.RFC3339)},
		{"KICHECK_OVERALL", r.Summary.Overall},
	}
	if r.Device.OrgUnit != "" {
		envs = append(envs, glpiEnv{"KICHECK_ORG_UNIT", r.Device.OrgUnit})
	}
	seen := map[string]int{}
	for _, v := range r.Summary.Verdicts {
		key := "KICHECK_VERDICT_" + glpiKeyPart(v.UseCase) + "__" + glpiKeyPart(v.Model)
		if v.UseCase == "" && v.Model == "" {
			key = "KICHECK_VERDICT_" + glpiKeyPart(v.Subject)
		}
		// Two verdicts with the same key keep both: the later one is numbered.
		if seen[key]++; seen[key] > 1 {
			key += "_" + strconv.Itoa(seen[key])
		}
		envs = append(envs, glpiEnv{key, glpiVerdictValue(v)})
	}
	return envs
}

var glpiKeyUnsafe = regexp.MustCompile(`[^A-Z0-9]+`)

// glpiKeyPart turns an id like "llama3.2-1b" into "LLAMA3_2_1B", the shape
// of an environment variable name.
func glpiKeyPart(s string) string {
	s = strings.Trim(glpiKeyUnsafe.ReplaceAllString(strings.ToUpper(s), "_"), "_")
	if s == "" {
		return "UNNAMED"
	}
	return s
}

// glpiVerdictValue is "LEVEL; measured N tok/s" (or predicted), e.g.
// "limited; predicted 6.8 tok/s": the level first, so GLPI's search on the
// value can filter by it.
func glpiVerdictValue(v report.Verdict) string {
	s := v.Level
	if v.MeasuredTokensPerSecond != nil {
		s += "; measured " + strconv.FormatFloat(*v.MeasuredTokensPerSecond, 'f', 1, 64) + " tok/s"
	} else if v.PredictedTokensPerSecond != nil {
		s += "; predicted " + strconv.FormatFloat(*v.PredictedTokensPerSecond, 'f', 1, 64) + " tok/s"
	}
	return s
}

// glpiCPUs lists one entry per socket, as the agent does.
func glpiCPUs(v hardware.CPU) []glpiCPU {
	sockets := max(v.Sockets, 1)
	mhz := v.MaxMHz
	if mhz <= 0 {
		mhz = v.BaseMHz
	}
	cpu := glpiCPU{Name: v.Model, Manufacturer: glpiCPUMakers[v.Vendor], Core: v.PhysicalCores / sockets,
		Thread: v.Threads / sockets, Speed: int(math.Round(mhz)), Arch: glpiCPUArch[v.Arch]}
	if cpu.Manufacturer == "" {
		cpu.Manufacturer = v.Vendor
	}
	if cpu.Name == "" {
		cpu.Name = v.Vendor // the format needs a name for each processor
	}
	out := make([]glpiCPU, sockets)
	for i := range out {
		out[i] = cpu
	}
	return out
}

// The agent's names for CPUID vendor strings (getCanonicalManufacturer).
var glpiCPUMakers = map[string]string{"GenuineIntel": "Intel", "AuthenticAMD": "AMD", "HygonGenuine": "Hygon", "CentaurHauls": "VIA"}

// Go's GOARCH to the processor architectures the format lists.
var glpiCPUArch = map[string]string{"amd64": "x86_64", "386": "i386", "arm64": "AArch64", "arm": "ARM",
	"ppc64": "PowerPC64", "ppc64le": "PowerPC64", "mips": "MIPS", "mips64": "MIPS64", "sparc64": "SPARC64"}

// Drive controllers to the storage interfaces the format lists; nvme,
// virtio and mmc have no value there and are left out.
var glpiInterfaces = map[string]string{"sata": "SATA", "scsi": "SCSI", "sas": "SAS", "usb": "USB", "ide": "IDE"}

var glpiDriveKinds = map[string]string{"ssd": "SSD", "hdd": "HDD"}

func glpiOSOf(s hardware.System) *glpiOS {
	o := &glpiOS{Version: s.PlatformVersion, KernelVersion: s.KernelVersion}
	switch s.OS {
	case "windows":
		// The Windows agent: name "Windows", full name the caption, kernel
		// version the build ("10.0.22631"), arch "64-bit".
		o.Name, o.KernelName, o.FullName = "Windows", "MSWin32", s.Platform
		if o.KernelVersion == "" {
			o.KernelVersion = s.PlatformVersion
		}
		switch s.Arch {
		case "amd64", "arm64":
			o.Arch = "64-bit"
		case "386", "arm":
			o.Arch = "32-bit"
		}
	case "darwin":
		o.Name, o.KernelName, o.FullName = "MacOSX", "darwin", s.Platform
		o.Arch = glpiUnixArch[s.Arch]
	default:
		o.Name, o.KernelName = s.Platform, s.OS
		o.FullName = strings.TrimSpace(s.Platform + " " + s.PlatformVersion)
		o.Arch = glpiUnixArch[s.Arch]
	}
	return o
}

// What `arch` (uname -m) prints, which the agent reports on Unix systems.
var glpiUnixArch = map[string]string{"amd64": "x86_64", "386": "i686", "arm64": "aarch64", "arm": "armv7l"}

// glpiChassis gives the SMBIOS chassis type name as dmidecode spells it,
// which the format uses; the number is more reliable than the description
// the OS tells.
func glpiChassis(s hardware.System) string {
	if n, err := strconv.Atoi(s.ChassisType); err == nil && n > 0 && n < len(glpiChassisTypes) {
		return glpiChassisTypes[n]
	}
	for _, name := range glpiChassisTypes[1:] {
		if strings.EqualFold(name, s.ChassisDescription) {
			return name
		}
	}
	return ""
}

// SMBIOS chassis types 1–36 by dmidecode's names (index = type number).
var glpiChassisTypes = []string{"", "Other", "Unknown", "Desktop", "Low Profile Desktop", "Pizza Box", "Mini Tower",
	"Tower", "Portable", "Laptop", "Notebook", "Hand Held", "Docking Station", "All in One", "Sub Notebook",
	"Space-Saving", "Lunch Box", "Main Server Chassis", "Expansion Chassis", "Sub Chassis", "Bus Expansion Chassis",
	"Peripheral Chassis", "RAID Chassis", "Rack Mount Chassis", "Sealed-case PC", "Multi-system", "CompactPCI",
	"AdvancedTCA", "Blade", "Blade Enclosing", "Tablet", "Convertible", "Detachable", "IoT Gateway", "Embedded PC",
	"Mini PC", "Stick PC"}

// glpiExtra is the report's result as the content.kicheck property.
func glpiExtra(r *report.Report, fingerprint string) *glpiKICheck {
	k := &glpiKICheck{DeviceID: r.Device.DeviceID, Fingerprint: fingerprint, ReportID: r.ReportID,
		Created: r.Created.UTC().Format(time.RFC3339), OrgUnit: r.Device.OrgUnit, Overall: r.Summary.Overall, Verdicts: []glpiKIVerdict{}}
	upgrade := map[string]int{}
	if f := r.Sections.Fit; f != nil {
		for _, u := range f.UseCases {
			upgrade[u.UseCase] = u.ReadyWithRAMGB
		}
	}
	for _, v := range r.Summary.Verdicts {
		kv := glpiKIVerdict{UseCase: v.UseCase, Model: v.Model, Level: v.Level, PredictedTPS: v.PredictedTokensPerSecond, MeasuredTPS: v.MeasuredTokensPerSecond}
		if gb, ok := upgrade[v.UseCase]; ok {
			kv.ReadyWithRAMGB = &gb
		}
		k.Verdicts = append(k.Verdicts, kv)
	}
	return k
}
