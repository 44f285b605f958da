package hardware

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// readNPUs looks through the PCI devices (ghw, without its name database)
// for known NPUs and processing accelerators, then through the kernel's
// accel class for accelerators that are not PCI devices.
func readNPUs(_ context.Context, c *collector) (NPUList, error) {
	info, err := ghwPCI(c)
	if err != nil {
		return NPUList{}, fmt.Errorf("list PCI devices: %w", err)
	}
	npus := []NPU{}
	seen := map[string]bool{}
	var want []pciID
	for _, d := range info.Devices {
		if d == nil || d.Vendor == nil || d.Product == nil {
			continue
		}
		classID := ""
		if d.Class != nil {
			classID = d.Class.ID
		}
		n, ok := classifyNPU(d.Vendor.ID, d.Product.ID, classID)
		if !ok {
			continue
		}
		n.Address, n.Driver = d.Address, d.Driver
		seen[d.Address] = true
		npus = append(npus, n)
		want = append(want, pciID{n.VendorID, n.DeviceID})
	}
	names := lookupPCINames(c.root, c.opts.PCIIDsPath, want)
	for i := range npus {
		n := &npus[i]
		if n.Vendor == "" {
			n.Vendor = names.vendors[n.VendorID]
		}
		if n.Model == "" {
			n.Model = names.devices[pciID{n.VendorID, n.DeviceID}]
		}
		if n.Model == "" {
			n.Model = "PCI " + n.VendorID + ":" + n.DeviceID
		}
	}
	// Accelerators bound to the kernel's accel subsystem that are not on
	// PCI (e.g. on Arm laptops) appear only here.
	accel := filepath.Join(c.root, "sys/class/accel")
	entries, _ := os.ReadDir(accel)
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "accel") {
			continue
		}
		target, err := filepath.EvalSymlinks(filepath.Join(accel, e.Name(), "device"))
		if err != nil {
			continue
		}
		addr := filepath.Base(target)
		if seen[addr] {
			continue
		}
		driver := ""
		if d, err := os.Readlink(filepath.Join(accel, e.Name(), "device", "driver")); err == nil {
			driver = filepath.Base(d)
		}
		npus = append(npus, NPU{Vendor: "", Model: driver, Family: npuFamilyFromName(driver), Address: addr, Driver: driver})
	}
	return NPUList{Devices: npus}, nil
}
