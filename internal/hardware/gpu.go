package hardware

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// amdAPUDeviceIDs are the PCI device ids (vendor 1002) of AMD graphics
// built into Ryzen processors. AMD's driver has no "integrated" flag, and
// APUs report a VRAM carve-out like a card, so the id decides.
var amdAPUDeviceIDs = map[string]bool{
	"9874": true, "98e4": true, // Carrizo, Stoney
	"15dd": true, "15d8": true, // Raven, Picasso
	"1636": true, "1638": true, "164c": true, "15e7": true, // Renoir, Cezanne, Lucienne, Barcelo
	"163f": true, "1681": true, "1506": true, "13fe": true, // Van Gogh, Rembrandt, Mendocino, Cyan Skillfish
	"164e": true, "13c0": true, // Raphael, Granite Ridge (Ryzen 7000/9000 desktop)
	"15bf": true, "15c8": true, "1900": true, "1901": true, // Phoenix, Phoenix 2, Hawk Point
	"150e": true, "1586": true, "1114": true, // Strix Point, Strix Halo, Krackan
}

// isDiscreteGPU decides whether a graphics adapter is a card with its own
// memory, from its PCI ids.
func isDiscreteGPU(vendorID, deviceID string) bool {
	vendorID, deviceID = strings.ToLower(vendorID), strings.ToLower(deviceID)
	switch vendorID {
	case "10de":
		return true
	case "1002":
		return !amdAPUDeviceIDs[deviceID]
	case "8086":
		// Intel's cards: DG1 (Iris Xe MAX) 4905–4909, Arc A (Alchemist)
		// 5690–56ff, Arc B (Battlemage) e202–e2ff. Everything else is
		// graphics in the processor.
		id, err := strconv.ParseUint(deviceID, 16, 16)
		if err != nil {
			return false
		}
		return (id >= 0x4905 && id <= 0x4909) || (id >= 0x5690 && id <= 0x56ff) || (id >= 0xe202 && id <= 0xe2ff)
	}
	// Virtual adapters (QEMU, VMware, Hyper-V), server BMC graphics
	// (ASPEED, Matrox) and phone-style SoCs (Qualcomm Adreno) have no
	// memory of their own worth running models in.
	return false
}

// nameGPUs fills vendor and model names from the built-in vendor list and
// the pci.ids file where the OS did not name the adapter.
func nameGPUs(c *collector, gpus []GPU) {
	var want []pciID
	for _, g := range gpus {
		if g.VendorID != "" && g.DeviceID != "" && g.Model == "" {
			want = append(want, pciID{g.VendorID, g.DeviceID})
		}
	}
	names := lookupPCINames(c.root, c.opts.PCIIDsPath, want)
	for i := range gpus {
		g := &gpus[i]
		if g.Vendor == "" {
			g.Vendor = pciVendorName(g.VendorID)
		}
		if g.Vendor == "" {
			g.Vendor = names.vendors[g.VendorID]
		}
		if g.Vendor == "" && g.VendorID != "" {
			g.Vendor = "PCI " + g.VendorID
		}
		if g.Model == "" {
			if n := names.devices[pciID{g.VendorID, g.DeviceID}]; n != "" {
				g.Model = shortDeviceName(n)
			}
		}
		if g.Model == "" && g.DeviceID != "" {
			g.Model = "PCI " + g.VendorID + ":" + g.DeviceID
		}
	}
}

// addNvidiaSMI asks nvidia-smi when there is an NVIDIA adapter (or when
// the caller named the program) and merges its names, driver versions and
// memory figures into gpus. Cards nvidia-smi knows that the OS list lacks
// are added. A failing nvidia-smi leaves a note on the NVIDIA cards.
func addNvidiaSMI(ctx context.Context, c *collector, gpus []GPU) []GPU {
	hasNvidia := false
	for _, g := range gpus {
		hasNvidia = hasNvidia || g.VendorID == "10de"
	}
	if !hasNvidia && c.opts.NvidiaSMI == "" && len(gpus) > 0 {
		return gpus
	}
	program, err := findNvidiaSMI(c.opts.NvidiaSMI)
	if err != nil {
		noteNvidia(gpus, "nvidia-smi not found: VRAM unknown (is the NVIDIA driver installed?)")
		return gpus
	}
	// nvidia-smi gets two thirds of what is left of the section's time, so
	// that a hanging driver costs the VRAM figures, not the whole list.
	nctx := ctx
	if deadline, ok := ctx.Deadline(); ok {
		var cancel context.CancelFunc
		nctx, cancel = context.WithTimeout(ctx, time.Until(deadline)*2/3)
		defer cancel()
	}
	nv, err := runNvidiaSMI(nctx, program)
	if err != nil {
		if nctx.Err() != nil && ctx.Err() == nil {
			err = fmt.Errorf("nvidia-smi gave no answer in time (driver hanging?)")
		}
		noteNvidia(gpus, err.Error())
		return gpus
	}
	return mergeNvidia(gpus, nv)
}

func noteNvidia(gpus []GPU, note string) {
	for i := range gpus {
		if gpus[i].VendorID == "10de" && gpus[i].VRAMSource == "" {
			gpus[i].Note = note
		}
	}
}

// mergeNvidia matches nvidia-smi's cards to the OS's list by PCI bus id,
// then by name, then (one card each) by being the only one.
func mergeNvidia(gpus []GPU, nv []nvidiaGPU) []GPU {
	used := make([]bool, len(gpus))
	find := func(n nvidiaGPU) int {
		for i, g := range gpus {
			if !used[i] && n.BusID != "" && strings.EqualFold(g.Address, n.BusID) {
				return i
			}
		}
		for i, g := range gpus {
			if !used[i] && g.VendorID == "10de" && n.Name != "" && strings.EqualFold(g.Model, n.Name) {
				return i
			}
		}
		var cands []int
		for i, g := range gpus {
			if !used[i] && g.VendorID == "10de" {
				cands = append(cands, i)
			}
		}
		if len(cands) == 1 && len(nv) == 1 {
			return cands[0]
		}
		return -1
	}
	for _, n := range nv {
		i := find(n)
		if i < 0 {
			gpus = append(gpus, GPU{Vendor: "NVIDIA", VendorID: "10de", Address: n.BusID})
			used = append(used, false)
			i = len(gpus) - 1
		}
		used[i] = true
		g := &gpus[i]
		g.Discrete = true
		if n.Name != "" {
			g.Model = n.Name
		}
		if n.Driver != "" {
			g.Driver = joinDriver(g.Driver, n.Driver)
		}
		if n.TotalBytes > 0 {
			g.DedicatedVRAMBytes = n.TotalBytes
			g.FreeVRAMBytes = n.FreeBytes
			g.VRAMSource = "nvidia-smi"
			g.Note = ""
		}
	}
	return gpus
}

// joinDriver combines a driver name and version: "nvidia 550.54.14".
func joinDriver(name, version string) string {
	switch {
	case name == "":
		return version
	case version == "" || strings.Contains(name, version):
		return name
	}
	return name + " " + version
}
