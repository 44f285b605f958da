//go:build !linux

package hardware

import "github.com/jaypipes/ghw"

// driveByDeviceNumber: only Linux has device numbers to follow; elsewhere
// the mount point (drive letter) decides.
func driveByDeviceNumber(*collector, string, *ghw.BlockInfo) *ghw.Disk { return nil }
