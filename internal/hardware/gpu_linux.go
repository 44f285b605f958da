package hardware

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
)

// readGPUs lists the adapters the kernel's DRM subsystem knows (through
// ghw), reads amdgpu's VRAM from sysfs and asks nvidia-smi for NVIDIA
// cards.
func readGPUs(ctx context.Context, c *collector) (GPUList, error) {
	info, err := ghwGPU(c)
	if err != nil {
		return GPUList{}, fmt.Errorf("list graphics adapters: %w", err)
	}
	gpus := []GPU{}
	for _, card := range info.GraphicsCards {
		g := GPU{Address: card.Address}
		if d := card.DeviceInfo; d != nil {
			if d.Vendor != nil {
				g.VendorID = strings.ToLower(d.Vendor.ID)
			}
			if d.Product != nil {
				g.DeviceID = strings.ToLower(d.Product.ID)
			}
			g.Driver = d.Driver
		}
		dev := filepath.Join(c.root, "sys/class/drm", "card"+strconv.Itoa(card.Index), "device")
		if g.Driver != "" {
			if v, ok := readTextFile(filepath.Join(c.root, "sys/module", g.Driver, "version")); ok {
				g.Driver = joinDriver(g.Driver, v)
			}
		}
		// amdgpu (and Intel's xe) tell the card's memory to any user.
		if total, ok := readUintFile(filepath.Join(dev, "mem_info_vram_total")); ok && total > 0 {
			g.DedicatedVRAMBytes = total
			g.VRAMSource = "sysfs"
			if used, ok := readUintFile(filepath.Join(dev, "mem_info_vram_used")); ok && used <= total {
				g.FreeVRAMBytes = total - used
			}
		}
		g.Discrete = isDiscreteGPU(g.VendorID, g.DeviceID)
		gpus = append(gpus, g)
	}
	gpus = addNvidiaSMI(ctx, c, gpus)
	nameGPUs(c, gpus)
	return GPUList{Devices: gpus}, nil
}
