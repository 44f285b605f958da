package hardware

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"golang.org/x/sys/windows/registry"
)

// computeAcceleratorClass is the device class "Neural processors"
// (ComputeAccelerator) that Windows drivers for Intel, AMD and Qualcomm
// NPUs install into.
const computeAcceleratorClass = `SYSTEM\CurrentControlSet\Control\Class\{f01a9d53-3ff6-48d2-9f97-c8a7004be10c}`

// pciEnumKey lists every PCI device Windows has seen, with or without a
// driver, as VEN_xxxx&DEV_yyyy&… subkeys.
const pciEnumKey = `SYSTEM\CurrentControlSet\Enum\PCI`

var venDev = regexp.MustCompile(`(?i)ven_([0-9a-f]{4})&dev_([0-9a-f]{4})`)

// readNPUs lists the drivers in the neural-processor class, then PCI
// devices with known NPU ids that have no driver yet.
func readNPUs(context.Context, *collector) (NPUList, error) {
	npus := []NPU{}
	seen := map[pciID]bool{}
	if cls, err := registry.OpenKey(registry.LOCAL_MACHINE, computeAcceleratorClass, registry.ENUMERATE_SUB_KEYS); err == nil {
		names, _ := cls.ReadSubKeyNames(-1)
		for _, name := range names {
			k, err := registry.OpenKey(cls, name, registry.QUERY_VALUE)
			if err != nil {
				continue
			}
			desc, _, _ := k.GetStringValue("DriverDesc")
			provider, _, _ := k.GetStringValue("ProviderName")
			version, _, _ := k.GetStringValue("DriverVersion")
			match, _, _ := k.GetStringValue("MatchingDeviceId")
			k.Close()
			if desc == "" {
				continue
			}
			n := NPU{Vendor: provider, Model: desc, Family: npuFamilyFromName(desc + " " + provider), Driver: version}
			if m := venDev.FindStringSubmatch(match); m != nil {
				id := pciID{strings.ToLower(m[1]), strings.ToLower(m[2])}
				n.VendorID, n.DeviceID = id.vendor, id.device
				if k, ok := knownNPUs[id]; ok {
					n.Family = k.family
				}
				seen[id] = true
			}
			npus = append(npus, n)
		}
		cls.Close()
	}
	enum, err := registry.OpenKey(registry.LOCAL_MACHINE, pciEnumKey, registry.ENUMERATE_SUB_KEYS)
	if err != nil {
		if len(npus) > 0 {
			return NPUList{Devices: npus}, nil
		}
		return NPUList{}, fmt.Errorf("read the PCI device list HKLM\\%s: %w", pciEnumKey, err)
	}
	defer enum.Close()
	names, _ := enum.ReadSubKeyNames(-1)
	for _, name := range names {
		m := venDev.FindStringSubmatch(name)
		if m == nil {
			continue
		}
		id := pciID{strings.ToLower(m[1]), strings.ToLower(m[2])}
		if seen[id] {
			continue
		}
		n, ok := classifyNPU(id.vendor, id.device, "")
		if !ok {
			continue
		}
		seen[id] = true
		n.Address = `PCI\` + name
		npus = append(npus, n)
	}
	return NPUList{Devices: npus}, nil
}
