package hardware

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/jaypipes/ghw"
	"github.com/shirou/gopsutil/v4/disk"
)

// readDisk reports the free space of the drive holding the data folder
// and, from ghw's block-device list, whether it is an SSD or a hard disk.
func readDisk(ctx context.Context, c *collector) (Disk, error) {
	path := c.opts.DataDir
	if path == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return Disk{}, fmt.Errorf("find the home folder: %w", err)
		}
		path = home
	}
	path = existingParent(path)
	u, err := disk.UsageWithContext(ctx, path)
	if err != nil {
		return Disk{}, fmt.Errorf("read free space of %s: %w", path, err)
	}
	out := Disk{Path: path, TotalBytes: u.Total, FreeBytes: u.Free, Kind: "unknown"}

	info, err := ghw.Block(c.ghwOptions()...)
	if err != nil {
		return out, nil // free space is known; drive kind stays unknown
	}
	for _, d := range info.Disks {
		if d == nil || skipBlockDevice(d) {
			continue
		}
		out.Drives = append(out.Drives, DiskDrive{
			Name:       d.Name,
			Model:      cleanGhwString(d.Model),
			SizeBytes:  d.SizeBytes,
			Kind:       driveKind(d.DriveType),
			Controller: controllerName(d.StorageController),
			Removable:  d.IsRemovable,
		})
	}
	if d := driveOfPath(c, path, info); d != nil {
		out.Kind = driveKind(d.DriveType)
	}
	return out, nil
}

// existingParent walks up from a folder that does not exist yet (a data
// dir before first use) to one that does.
func existingParent(path string) string {
	p := filepath.Clean(path)
	for {
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(p)
		if parent == p {
			return path
		}
		p = parent
	}
}

// skipBlockDevice leaves out what is not a drive: loop devices, RAM disks,
// compressed swap and empty optical/floppy drives.
func skipBlockDevice(d *ghw.Disk) bool {
	for _, prefix := range []string{"loop", "ram", "zram", "dm-", "md", "sr", "fd"} {
		if strings.HasPrefix(d.Name, prefix) {
			return true
		}
	}
	return d.SizeBytes == 0
}

// driveOfPath finds the drive whose partition is mounted at the longest
// prefix of path (a Linux mount point or a Windows drive letter), or, on
// Linux, the drive behind the path's device number.
func driveOfPath(c *collector, path string, info *ghw.BlockInfo) *ghw.Disk {
	if d := driveByDeviceNumber(c, path, info); d != nil {
		return d
	}
	var best *ghw.Disk
	bestLen := -1
	fold := runtime.GOOS == "windows"
	for _, d := range info.Disks {
		if d == nil {
			continue
		}
		for _, p := range d.Partitions {
			mp := p.MountPoint
			if mp == "" {
				continue
			}
			if hasPathPrefix(path, mp, fold) && len(mp) > bestLen {
				best, bestLen = d, len(mp)
			}
		}
	}
	return best
}

// hasPathPrefix reports whether dir (a mount point, "C:" or "/home") is
// path or one of its parents.
func hasPathPrefix(path, dir string, fold bool) bool {
	if fold {
		path, dir = strings.ToLower(path), strings.ToLower(dir)
	}
	dir = strings.TrimRight(dir, `/\`)
	if dir == "" {
		return strings.HasPrefix(path, "/")
	}
	if !strings.HasPrefix(path, dir) {
		return false
	}
	rest := path[len(dir):]
	return rest == "" || rest[0] == '/' || rest[0] == '\\'
}

func driveKind(t ghw.DriveType) string {
	switch t {
	case ghw.DriveTypeSSD:
		return "ssd"
	case ghw.DriveTypeHDD:
		return "hdd"
	}
	return "unknown"
}

func controllerName(s ghw.StorageController) string {
	switch s {
	case ghw.StorageControllerNVMe:
		return "nvme"
	case ghw.StorageControllerSCSI:
		return "scsi"
	case ghw.StorageControllerIDE:
		return "ide"
	case ghw.StorageControllerVirtIO:
		return "virtio"
	case ghw.StorageControllerMMC:
		return "mmc"
	}
	return ""
}

// cleanGhwString drops ghw's "unknown" placeholder.
func cleanGhwString(s string) string {
	s = strings.TrimSpace(s)
	if s == "unknown" {
		return ""
	}
	return strings.ReplaceAll(s, "_", " ")
}
