package hardware

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// readPower reads /sys/class/power_supply: "Mains"/"USB" supplies that are
// online mean AC; a battery that is "Discharging" means battery. A PC
// without any supply entry (most desktops and VMs) is on AC.
func readPower(_ context.Context, c *collector) (Power, error) {
	dir := filepath.Join(c.root, "sys/class/power_supply")
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		return Power{}, fmt.Errorf("read power supplies: %w", err)
	}
	p := Power{Source: PowerUnknown, BatteryPercent: -1}
	acOnline, acSeen, discharging := false, false, false
	for _, e := range entries {
		base := filepath.Join(dir, e.Name())
		typ, _ := readTextFile(filepath.Join(base, "type"))
		switch typ {
		case "Mains", "USB", "USB_C", "USB_PD":
			acSeen = true
			if v, ok := readTextFile(filepath.Join(base, "online")); ok && v == "1" {
				acOnline = true
			}
		case "Battery":
			// Batteries of mice and keyboards say scope=Device.
			if scope, _ := readTextFile(filepath.Join(base, "scope")); strings.EqualFold(scope, "device") {
				continue
			}
			p.HasBattery = true
			status, _ := readTextFile(filepath.Join(base, "status"))
			if status == "Discharging" {
				discharging = true
			}
			if v, ok := readTextFile(filepath.Join(base, "capacity")); ok && p.BatteryPercent < 0 {
				if n, err := strconv.Atoi(v); err == nil && n >= 0 && n <= 100 {
					p.BatteryPercent = n
				}
			}
		}
	}
	switch {
	case acOnline:
		p.Source = PowerAC
	case discharging:
		p.Source = PowerBattery
	case p.HasBattery && acSeen:
		p.Source = PowerBattery // AC adapter present but offline
	case !p.HasBattery:
		p.Source = PowerAC
	}
	return p, nil
}
