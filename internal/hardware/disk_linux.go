package hardware

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/jaypipes/ghw"
	"golang.org/x/sys/unix"
)

// driveByDeviceNumber maps the filesystem holding path to its drive
// through /sys/dev/block/MAJOR:MINOR, which also works for a filesystem on
// a whole disk without partitions (common in virtual machines). Only on
// the live system: a test tree's sysfs does not describe this machine.
func driveByDeviceNumber(c *collector, path string, info *ghw.BlockInfo) *ghw.Disk {
	if c.root != "/" {
		return nil
	}
	var st syscall.Stat_t
	if err := syscall.Stat(path, &st); err != nil {
		return nil
	}
	dev := uint64(st.Dev)
	link := filepath.Join("/sys/dev/block", strconv.FormatUint(uint64(unix.Major(dev)), 10)+":"+strconv.FormatUint(uint64(unix.Minor(dev)), 10))
	target, err := filepath.EvalSymlinks(link)
	if err != nil {
		return nil
	}
	// A partition's sysfs folder sits inside its disk's folder.
	names := []string{filepath.Base(target)}
	if _, err := os.Stat(filepath.Join(target, "partition")); err == nil {
		names = append(names, filepath.Base(filepath.Dir(target)))
	}
	for _, n := range names {
		for _, d := range info.Disks {
			if d != nil && strings.EqualFold(d.Name, n) {
				return d
			}
		}
	}
	return nil
}
