package hardware

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/sys/windows/registry"
)

// directXKey lists one subkey per graphics adapter, written by the DirectX
// graphics kernel; any user may read it. Its DedicatedVideoMemory is a
// 64-bit byte count, unlike WMI's AdapterRAM, which stops at 4 GiB (and
// ghw reports no VRAM on Windows at all).
const directXKey = `SOFTWARE\Microsoft\DirectX`

// readGPUs lists the adapters DirectX knows and asks nvidia-smi for
// NVIDIA cards (free VRAM, driver version).
func readGPUs(ctx context.Context, c *collector) (GPUList, error) {
	gpus, err := directXAdapters()
	if err != nil {
		return GPUList{}, err
	}
	gpus = addNvidiaSMI(ctx, c, gpus)
	nameGPUs(c, gpus)
	return GPUList{Devices: gpus}, nil
}

func directXAdapters() ([]GPU, error) {
	root, err := registry.OpenKey(registry.LOCAL_MACHINE, directXKey, registry.ENUMERATE_SUB_KEYS)
	if err != nil {
		return nil, fmt.Errorf("open registry key HKLM\\%s: %w", directXKey, err)
	}
	defer root.Close()
	names, err := root.ReadSubKeyNames(-1)
	if err != nil {
		return nil, fmt.Errorf("list registry key HKLM\\%s: %w", directXKey, err)
	}
	gpus := []GPU{}
	seen := map[string]bool{}
	for _, name := range names {
		if !strings.HasPrefix(name, "{") {
			continue // adapters are GUIDs; other subkeys are settings
		}
		k, err := registry.OpenKey(root, name, registry.QUERY_VALUE)
		if err != nil {
			continue
		}
		g, ok := directXAdapter(k)
		k.Close()
		if !ok {
			continue
		}
		// DirectX keeps a key per adapter LUID; the same card can appear
		// again after a driver update.
		key := g.VendorID + ":" + g.DeviceID + ":" + g.Model
		if seen[key] {
			continue
		}
		seen[key] = true
		gpus = append(gpus, g)
	}
	return gpus, nil
}

func directXAdapter(k registry.Key) (GPU, bool) {
	vendor, _, err := k.GetIntegerValue("VendorId")
	if err != nil {
		return GPU{}, false
	}
	device, _, _ := k.GetIntegerValue("DeviceId")
	if vendor == 0x1414 && device == 0x8c {
		return GPU{}, false // Microsoft Basic Render Driver (software)
	}
	g := GPU{VendorID: fmt.Sprintf("%04x", vendor), DeviceID: fmt.Sprintf("%04x", device)}
	g.Model, _, _ = k.GetStringValue("Description")
	if v, _, err := k.GetIntegerValue("DriverVersion"); err == nil && v != 0 {
		// A 64-bit value holding four 16-bit parts: 31.0.15.5222.
		g.Driver = strconv.FormatUint(v>>48, 10) + "." + strconv.FormatUint(v>>32&0xffff, 10) + "." +
			strconv.FormatUint(v>>16&0xffff, 10) + "." + strconv.FormatUint(v&0xffff, 10)
	}
	if mem, _, err := k.GetIntegerValue("DedicatedVideoMemory"); err == nil && mem > 0 {
		g.DedicatedVRAMBytes = mem
		g.VRAMSource = "registry"
	}
	g.Discrete = isDiscreteGPU(g.VendorID, g.DeviceID)
	return g, true
}
