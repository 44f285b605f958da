package hardware

import "strings"

// knownNPUs are the PCI ids of the AI accelerators built into office
// processors, with their family and name. The ids come from the Linux
// drivers that bind them (intel_vpu, amdxdna, qaic).
var knownNPUs = map[pciID]struct{ family, model string }{
	{"8086", "7d1d"}: {"Intel NPU", "Intel AI Boost NPU (Meteor Lake)"},
	{"8086", "ad1d"}: {"Intel NPU", "Intel AI Boost NPU (Arrow Lake)"},
	{"8086", "643e"}: {"Intel NPU", "Intel AI Boost NPU (Lunar Lake)"},
	{"8086", "b03e"}: {"Intel NPU", "Intel AI Boost NPU (Panther Lake)"},
	{"8086", "fd3e"}: {"Intel NPU", "Intel AI Boost NPU (Wildcat Lake)"},
	{"1022", "1502"}: {"AMD XDNA", "AMD Ryzen AI NPU (XDNA, Phoenix/Hawk Point)"},
	{"1022", "17f0"}: {"AMD XDNA", "AMD Ryzen AI NPU (XDNA 2, Strix)"},
	{"17cb", "a100"}: {"Qualcomm Cloud AI", "Qualcomm Cloud AI 100"},
}

// pciClassProcessingAccelerator is PCI base class 0x12, which NPUs and
// other AI accelerators use when they are not in knownNPUs.
const pciClassProcessingAccelerator = "12"

// classifyNPU tells whether a PCI device is an NPU, from its ids and
// class, and fills family and model where known.
func classifyNPU(vendorID, deviceID, classID string) (NPU, bool) {
	vendorID, deviceID = strings.ToLower(vendorID), strings.ToLower(deviceID)
	n := NPU{VendorID: vendorID, DeviceID: deviceID, Vendor: pciVendorName(vendorID)}
	if k, ok := knownNPUs[pciID{vendorID, deviceID}]; ok {
		n.Family, n.Model = k.family, k.model
		return n, true
	}
	if strings.ToLower(classID) == pciClassProcessingAccelerator {
		n.Family = "other"
		return n, true
	}
	return n, false
}

// npuFamilyFromName guesses the family from a name the OS gives (Windows
// device list), for NPUs that are not PCI devices (Qualcomm Hexagon).
func npuFamilyFromName(name string) string {
	l := strings.ToLower(name)
	switch {
	case strings.Contains(l, "hexagon") || strings.Contains(l, "qualcomm"):
		return "Qualcomm Hexagon"
	case strings.Contains(l, "intel"):
		return "Intel NPU"
	case strings.Contains(l, "amd") || strings.Contains(l, "ryzen") || strings.Contains(l, "ipu"):
		return "AMD XDNA"
	}
	return "other"
}
