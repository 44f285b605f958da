package hardware

import (
	"context"
	"fmt"
	"unsafe"

	"golang.org/x/sys/windows"
)

// systemPowerStatus is Win32's SYSTEM_POWER_STATUS.
type systemPowerStatus struct {
	ACLineStatus        byte
	BatteryFlag         byte
	BatteryLifePercent  byte
	SystemStatusFlag    byte
	BatteryLifeTime     uint32
	BatteryFullLifeTime uint32
}

var procGetSystemPowerStatus = windows.NewLazySystemDLL("kernel32.dll").NewProc("GetSystemPowerStatus")

// readPower asks GetSystemPowerStatus, which needs no rights.
func readPower(context.Context, *collector) (Power, error) {
	var s systemPowerStatus
	r, _, err := procGetSystemPowerStatus.Call(uintptr(unsafe.Pointer(&s)))
	if r == 0 {
		return Power{}, fmt.Errorf("GetSystemPowerStatus: %w", err)
	}
	p := Power{Source: PowerUnknown, BatteryPercent: -1}
	switch s.ACLineStatus {
	case 0:
		p.Source = PowerBattery
	case 1:
		p.Source = PowerAC
	}
	// BatteryFlag 128 = no system battery, 255 = unknown.
	p.HasBattery = s.BatteryFlag != 128 && s.BatteryFlag != 255
	if p.HasBattery && s.BatteryLifePercent <= 100 {
		p.BatteryPercent = int(s.BatteryLifePercent)
	}
	return p, nil
}
