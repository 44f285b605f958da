package collect

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/ki-reise/kicheck/internal/report"
	"github.com/ki-reise/kicheck/internal/store"
)

// GLPI inventory files follow glpi-project/inventory_format (the JSON the
// GLPI agent sends, accepted by GLPI's "Import from file" and
// glpi-injector). Sizes are in MB (2^20 bytes) and clock speeds in MHz, as
// that format defines them. The KI-Check results go under content.kicheck,
// an extra property.

type glpiInventory struct {
	Action   string      `json:"action"`
	DeviceID string      `json:"deviceid"`
	ItemType string      `json:"itemtype"`
	Content  glpiContent `json:"content"`
}

type glpiContent struct {
	VersionClient   string          `json:"versionclient"`
	Hardware        glpiHardware    `json:"hardware"`
	CPUs            []glpiCPU       `json:"cpus,omitempty"`
	Memories        []glpiMemory    `json:"memories,omitempty"`
	Videos          []glpiVideo     `json:"videos,omitempty"`
	Storages        []glpiStorage   `json:"storages,omitempty"`
	OperatingSystem glpiOS          `json:"operatingsystem"`
	KICheck         glpiKICheckPart `json:"kicheck"`
}

type glpiHardware struct {
	Name        string `json:"name,omitempty"`
	Memory      uint64 `json:"memory,omitempty"` // MB
	ChassisType string `json:"chassis_type,omitempty"`
}

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
	Speed    string `json:"speed,omitempty"`
	Type     string `json:"type,omitempty"`
	NumSlots int    `json:"numslots,omitempty"`
}

type glpiVideo struct {
	Name    string `json:"name"`
	Chipset string `json:"chipset,omitempty"`
	Memory  uint64 `json:"memory,omitempty"` // MB
}

type glpiStorage struct {
	Name      string `json:"name"`
	Model     string `json:"model,omitempty"`
	DiskSize  uint64 `json:"disksize,omitempty"` // MB
	Type      string `json:"type,omitempty"`
	Interface string `json:"interface,omitempty"`
}

type glpiOS struct {
	Name          string `json:"name,omitempty"`
	FullName      string `json:"full_name,omitempty"`
	Version       string `json:"version,omitempty"`
	Arch          string `json:"arch,omitempty"`
	KernelVersion string `json:"kernel_version,omitempty"`
}

// glpiKICheckPart carries the readiness results of the newest report.
type glpiKICheckPart struct {
	DeviceID    string           `json:"device_id"`
	Fingerprint string           `json:"fingerprint"`
	ReportID    string           `json:"report_id"`
	Created     string           `json:"created"`
	OrgUnit     string           `json:"org_unit,omitempty"`
	Overall     string           `json:"overall"`
	Verdicts    []report.Verdict `json:"verdicts"`
}

const mib = 1 << 20

// WriteGLPI writes one inventory file per device (its newest report) into
// dir, named DEVICE-ID.json, and returns how many it wrote.
func WriteGLPI(ctx context.Context, db *store.DB, dir string) (int, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, fmt.Errorf("glpi export: %w", err)
	}
	rows, err := db.QueryContext(ctx, `SELECT d.device_id, d.fingerprint, f.data FROM collect_devices d
		JOIN collect_report_files f ON f.report = d.latest_report ORDER BY d.device_id`)
	if err != nil {
		return 0, fmt.Errorf("glpi export: %w", err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id, fp string
		var data []byte
		if err := rows.Scan(&id, &fp, &data); err != nil {
			return n, fmt.Errorf("glpi export: %w", err)
		}
		var r report.Report
		if err := json.Unmarshal(data, &r); err != nil {
			return n, fmt.Errorf("glpi export: stored report of %s: %w", id, err)
		}
		b, err := json.MarshalIndent(glpiOf(&r, fp), "", "  ")
		if err != nil {
			return n, err
		}
		if err := os.WriteFile(filepath.Join(dir, id+".json"), append(b, '\n'), 0o644); err != nil {
			return n, fmt.Errorf("glpi export: %w", err)
		}
		n++
	}
	return n, rows.Err()
}

func glpiOf(r *report.Report, fingerprint string) glpiInventory {
	name := r.Device.Hostname
	if name == "" {
		name = r.Device.DeviceID
	}
	inv := glpiInventory{Action: "inventory", ItemType: "Computer",
		// The GLPI agent's deviceid is the computer name and a time stamp.
		DeviceID: name + "-" + r.Created.UTC().Format("2006-01-02-15-04-05")}
	c := &inv.Content
	c.VersionClient = "KI-Check_v" + strings.TrimPrefix(r.App.Version, "v")
	c.Hardware.Name = r.Device.Hostname
	c.KICheck = glpiKICheckPart{DeviceID: r.Device.DeviceID, Fingerprint: fingerprint, ReportID: r.ReportID,
		Created: r.Created.UTC().Format("2006-01-02T15:04:05Z"), OrgUnit: r.Device.OrgUnit, Overall: r.Summary.Overall, Verdicts: r.Summary.Verdicts}
	hw := r.Sections.Inventory
	if hw == nil {
		return inv
	}
	if hw.Memory.Known() {
		c.Hardware.Memory = hw.Memory.Value.TotalBytes / mib
		for _, m := range hw.Memory.Value.Modules {
			mem := glpiMemory{Capacity: m.SizeBytes / mib, Caption: m.Locator, Type: m.Type}
			if m.SpeedMTs > 0 {
				mem.Speed = fmt.Sprint(m.SpeedMTs)
			}
			c.Memories = append(c.Memories, mem)
		}
	}
	if hw.CPU.Known() {
		v := hw.CPU.Value
		c.CPUs = append(c.CPUs, glpiCPU{Name: v.Model, Manufacturer: v.Vendor, Core: v.PhysicalCores, Thread: v.Threads, Speed: int(v.MaxMHz), Arch: v.Arch})
	}
	if hw.GPUs.Known() {
		for _, g := range hw.GPUs.Value.Devices {
			c.Videos = append(c.Videos, glpiVideo{Name: g.Model, Chipset: g.Vendor, Memory: g.DedicatedVRAMBytes / mib})
		}
	}
	if hw.Disk.Known() {
		for _, d := range hw.Disk.Value.Drives {
			c.Storages = append(c.Storages, glpiStorage{Name: d.Name, Model: d.Model, DiskSize: d.SizeBytes / mib, Type: d.Kind, Interface: d.Controller})
		}
	}
	if hw.System.Known() {
		s := hw.System.Value
		c.OperatingSystem = glpiOS{Name: s.OS, FullName: s.Platform, Version: s.PlatformVersion, Arch: s.Arch, KernelVersion: s.KernelVersion}
		c.Hardware.ChassisType = s.ChassisDescription
	}
	return inv
}
