package hardware

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// Group is one block of the inventory as people read it: the CLI prints
// it as a table, the GUI as a card. Texts are translated.
type Group struct {
	ID      string // cpu, memory, gpus, npus, disk, system
	Title   string
	Unknown bool   // the section could not be read
	Reason  string // why, when Unknown
	Rows    []Row
}

// Row is one labelled value of a Group.
type Row struct {
	Label string
	Value string
}

// Describe turns an inventory into readable groups in lang ("de", "en"):
// Prozessor, Arbeitsspeicher, Grafik, KI-Beschleuniger (NPU), Datenträger,
// System (with the power source).
func Describe(inv Inventory, lang string) []Group {
	d := describer{lang: lang}
	return []Group{
		d.cpu(inv.CPU),
		d.memory(inv.Memory),
		d.gpus(inv.GPUs),
		d.npus(inv.NPUs),
		d.disk(inv.Disk),
		d.system(inv.System, inv.Power),
	}
}

type describer struct{ lang string }

func (d describer) t(id string, data ...any) string { return i18n.T(d.lang, "hardware."+id, data...) }

func (d describer) group(id string, status Status, reason string) Group {
	g := Group{ID: id, Title: d.t("group." + id)}
	if status != StatusOK {
		g.Unknown = true
		g.Reason = reason
		if g.Reason == "" {
			g.Reason = d.t("not_read")
		}
	}
	return g
}

func (g *Group) add(label, value string) { g.Rows = append(g.Rows, Row{Label: label, Value: value}) }

func (d describer) cpu(s Section[CPU]) Group {
	g := d.group("cpu", s.Status, s.Reason)
	if g.Unknown {
		return g
	}
	c := s.Value
	model := c.Model
	if model == "" {
		model = d.t("unknown")
	}
	g.add(d.t("cpu.model"), model)
	cores := d.t("unknown")
	if c.PhysicalCores > 0 {
		cores = strconv.Itoa(c.PhysicalCores)
	}
	g.add(d.t("cpu.cores"), d.t("cpu.cores_value", map[string]any{"Cores": cores, "Threads": c.Threads}))
	g.add(d.t("cpu.clock"), d.clock(c.BaseMHz, c.MaxMHz))
	g.add(d.t("cpu.flags"), d.flags(c.Flags))
	return g
}

func (d describer) clock(base, max float64) string {
	var parts []string
	if base > 0 {
		parts = append(parts, d.t("cpu.base", map[string]any{"GHz": d.decimal(base/1000, 2)}))
	}
	if max > 0 {
		parts = append(parts, d.t("cpu.max", map[string]any{"GHz": d.decimal(max/1000, 2)}))
	}
	if len(parts) == 0 {
		return d.t("unknown")
	}
	return strings.Join(parts, ", ")
}

// flags lists the extensions present, in the order of their importance for
// inference kernels.
func (d describer) flags(f CPUFlags) string {
	var out []string
	for _, x := range []struct {
		on   bool
		name string
	}{
		{f.SSE42, "SSE4.2"}, {f.AVX, "AVX"}, {f.AVX2, "AVX2"}, {f.FMA, "FMA"},
		{f.AVX512F, "AVX-512"}, {f.AVX512VNNI, "AVX-512 VNNI"}, {f.AVX512BF16, "AVX-512 BF16"},
		{f.AVXVNNI, "AVX-VNNI"}, {f.AMXTile || f.AMXInt8 || f.AMXBF16, "AMX"},
		{f.NEON, "NEON"}, {f.DotProd, "DotProd"}, {f.SVE, "SVE"},
	} {
		if x.on {
			out = append(out, x.name)
		}
	}
	if len(out) == 0 {
		return d.t("none")
	}
	return strings.Join(out, ", ")
}

func (d describer) memory(s Section[Memory]) Group {
	g := d.group("memory", s.Status, s.Reason)
	if g.Unknown {
		return g
	}
	m := s.Value
	g.add(d.t("memory.total"), d.bytes(m.TotalBytes))
	g.add(d.t("memory.available"), d.bytes(m.AvailableBytes))
	switch {
	case !m.ModulesKnown:
		g.add(d.t("memory.modules"), d.t("memory.modules_unknown"))
	case len(m.Modules) == 0:
		g.add(d.t("memory.modules"), d.t("none"))
	default:
		var parts []string
		for _, mod := range m.Modules {
			p := d.bytes(mod.SizeBytes)
			if mod.Type != "" {
				p += " " + mod.Type
			}
			if mod.SpeedMTs > 0 {
				p += fmt.Sprintf(" %d MT/s", mod.SpeedMTs)
			}
			parts = append(parts, p)
		}
		g.add(d.t("memory.modules"), d.t("memory.modules_value", map[string]any{"Count": len(m.Modules), "List": strings.Join(parts, ", ")}))
	}
	return g
}

func (d describer) gpus(s Section[GPUList]) Group {
	g := d.group("gpus", s.Status, s.Reason)
	if g.Unknown {
		return g
	}
	if len(s.Value.Devices) == 0 {
		g.add(d.t("group.gpus"), d.t("gpu.none"))
		return g
	}
	for i, gpu := range s.Value.Devices {
		name := strings.TrimSpace(gpu.Vendor + " " + gpu.Model)
		if gpu.Vendor != "" && strings.HasPrefix(strings.ToLower(gpu.Model), strings.ToLower(gpu.Vendor)) {
			name = gpu.Model
		}
		g.add(d.t("gpu.label", map[string]any{"N": i + 1}), name)
		kind := d.t("gpu.integrated")
		if gpu.Discrete {
			kind = d.t("gpu.discrete")
		}
		g.add(d.t("gpu.kind"), kind)
		switch {
		case gpu.DedicatedVRAMBytes > 0 && gpu.FreeVRAMBytes > 0:
			g.add(d.t("gpu.vram"), d.t("gpu.vram_free", map[string]any{"Size": d.bytes(gpu.DedicatedVRAMBytes), "Free": d.bytes(gpu.FreeVRAMBytes)}))
		case gpu.DedicatedVRAMBytes > 0:
			g.add(d.t("gpu.vram"), d.bytes(gpu.DedicatedVRAMBytes))
		case gpu.Discrete:
			g.add(d.t("gpu.vram"), d.t("unknown"))
		}
		driver := gpu.Driver
		if driver == "" {
			driver = d.t("gpu.no_driver")
		}
		g.add(d.t("gpu.driver"), driver)
		if gpu.Note != "" {
			g.add(d.t("gpu.note"), gpu.Note)
		}
	}
	return g
}

func (d describer) npus(s Section[NPUList]) Group {
	g := d.group("npus", s.Status, s.Reason)
	if g.Unknown {
		return g
	}
	if len(s.Value.Devices) == 0 {
		g.add(d.t("npu.none_label"), d.t("npu.none"))
		return g
	}
	for i, n := range s.Value.Devices {
		value := n.Model
		if n.Family != "" && n.Family != "other" && !strings.Contains(n.Model, n.Family) {
			value += " (" + n.Family + ")"
		}
		if n.Driver == "" {
			value += " – " + d.t("npu.no_driver")
		}
		g.add(d.t("npu.label", map[string]any{"N": i + 1}), value)
	}
	return g
}

func (d describer) disk(s Section[Disk]) Group {
	g := d.group("disk", s.Status, s.Reason)
	if g.Unknown {
		return g
	}
	k := s.Value
	g.add(d.t("disk.path"), k.Path)
	g.add(d.t("disk.free"), d.t("disk.free_value", map[string]any{"Free": d.bytes(k.FreeBytes), "Total": d.bytes(k.TotalBytes)}))
	g.add(d.t("disk.kind"), d.t("disk.kind_"+k.Kind))
	return g
}

func (d describer) system(s Section[System], p Section[Power]) Group {
	g := d.group("system", s.Status, s.Reason)
	if !g.Unknown {
		v := s.Value
		osName := HostInfo{OS: v.OS, Arch: v.Arch, Platform: v.Platform, PlatformVersion: v.PlatformVersion}.OSName()
		g.add(d.t("system.os"), osName)
		machine := strings.TrimSpace(v.Vendor + " " + v.Model)
		if machine == "" {
			machine = d.t("unknown")
		}
		g.add(d.t("system.machine"), machine)
		g.add(d.t("system.form"), d.t("system.form_"+v.FormFactor))
	}
	switch {
	case !p.Known():
		g.add(d.t("system.power"), d.t("unknown_because", map[string]any{"Reason": p.Reason}))
	default:
		value := d.t("system.power_" + p.Value.Source)
		if p.Value.HasBattery && p.Value.BatteryPercent >= 0 {
			value += ", " + d.t("system.battery", map[string]any{"Percent": p.Value.BatteryPercent})
		}
		g.add(d.t("system.power"), value)
	}
	return g
}

// bytes formats a size the way Windows Explorer does: binary units named
// "GB"/"MB", one decimal, the decimal separator of the language.
func (d describer) bytes(n uint64) string {
	const (
		mib = 1 << 20
		gib = 1 << 30
		tib = 1 << 40
	)
	switch {
	case n >= tib:
		return d.decimal(float64(n)/tib, 1) + " TB"
	case n >= gib:
		return d.decimal(float64(n)/gib, 1) + " GB"
	default:
		return d.decimal(float64(n)/mib, 0) + " MB"
	}
}

func (d describer) decimal(v float64, places int) string {
	return i18n.Decimal(d.lang, v, places)
}
