package hardware

import (
	"context"
	"strings"

	"github.com/jaypipes/ghw"
)

// readSystem names the OS (gopsutil) and the machine (ghw's product and
// chassis, from SMBIOS/DMI, which any user may read).
func readSystem(ctx context.Context, c *collector) (System, error) {
	h := Host(ctx)
	s := System{
		Hostname: h.Hostname, OS: h.OS, Platform: h.Platform,
		PlatformVersion: h.PlatformVersion, KernelVersion: h.KernelVersion, Arch: h.Arch,
		FormFactor: "unknown",
	}
	if c.root != "/" {
		// A test tree describes another machine; its OS is not this one's.
		s.Hostname, s.Platform, s.PlatformVersion, s.KernelVersion = "", "", "", ""
	}
	if p, err := ghw.Product(c.ghwOptions()...); err == nil && p != nil {
		s.Vendor = cleanDMI(p.Vendor)
		s.Model = cleanDMI(p.Name)
		if fam := cleanDMI(p.Family); fam != "" && s.Model != "" && !strings.Contains(s.Model, fam) && looksLikeModelNumber(s.Model) {
			// Lenovo puts the type number ("21HD") in the name and the
			// readable name ("ThinkPad T14 Gen 4") in the version/family.
			s.Model = fam + " (" + s.Model + ")"
		}
	}
	if ch, err := ghw.Chassis(c.ghwOptions()...); err == nil && ch != nil {
		s.ChassisType = cleanDMI(ch.Type)
		s.ChassisDescription = cleanDMI(ch.TypeDescription)
	}
	s.FormFactor = formFactor(s.ChassisType, s.Vendor, s.Model)
	if s.FormFactor == "unknown" && s.ChassisType == "" && underHypervisor(c) {
		s.FormFactor = "virtual"
	}
	return s, nil
}

// formFactor maps the SMBIOS chassis type (SMBIOS 3.x, 7.4.1) to what
// matters here: a laptop may run on battery and throttle; a virtual
// machine's hardware figures describe its host only in part.
func formFactor(chassisType, vendor, model string) string {
	if isVirtualMachine(vendor, model) {
		return "virtual"
	}
	switch chassisType {
	case "8", "9", "10", "11", "14", "30", "31", "32":
		// portable, laptop, notebook, hand held, sub notebook, tablet,
		// convertible, detachable
		return "laptop"
	case "3", "4", "5", "6", "7", "13", "15", "16", "24", "34", "35", "36":
		// desktop, low-profile desktop, pizza box, mini tower, tower,
		// all in one, space-saving, lunch box, sealed-case PC, embedded
		// PC, mini PC, stick PC
		return "desktop"
	case "17", "23", "25", "28", "29":
		// main server chassis, rack mount, multi-system, blade, blade
		// enclosure
		return "server"
	}
	return "unknown"
}

func isVirtualMachine(vendor, model string) bool {
	v := strings.ToLower(vendor + " " + model)
	for _, s := range []string{"qemu", "kvm", "vmware", "virtualbox", "innotek", "xen", "bochs", "firecracker"} {
		if strings.Contains(v, s) {
			return true
		}
	}
	return strings.Contains(v, "microsoft corporation virtual machine")
}

// cleanDMI drops the placeholders firmware and ghw put into empty fields.
func cleanDMI(s string) string {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "", "unknown", "to be filled by o.e.m.", "default string", "system product name",
		"system manufacturer", "not applicable", "none", "n/a", "o.e.m.", "oem":
		return ""
	}
	return s
}

// looksLikeModelNumber is true for short all-caps/digit names like "21HD"
// or "20XWCTO1WW".
func looksLikeModelNumber(s string) bool {
	if len(s) > 12 || strings.ContainsRune(s, ' ') {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}
